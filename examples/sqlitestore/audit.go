package sqlitestore

import (
	"context"
	"iter"
	"time"

	"github.com/dossierwacht/dossierwacht/access"

	"github.com/dossierwacht/dossierwacht/examples/internal/sqlcore"
	"github.com/dossierwacht/dossierwacht/privacy"
)

// AppendEvents appends events to the audit trail, all or none, and returns
// them as stored: numbered and chained (rules G7, N9). Every write of the
// store appends its events in its own transaction the same way.
func (s *Store) AppendEvents(ctx context.Context, events ...privacy.Event) ([]privacy.Event, error) {
	return s.core().AppendEvents(ctx, events)
}

// Events yields the audit trail in the order it was appended, from the
// from-th event on (0 and 1: the first): every chain (one per subject,
// rule G7), interleaved. It reads a page at a time, so events appended
// while it runs are yielded too.
func (s *Store) Events(ctx context.Context, from uint64) iter.Seq2[privacy.Event, error] {
	return s.core().Events(ctx, from)
}

// SubjectEvents yields the audit events about one subject from sequence
// number from on, in order: who did what with the subject's data (rule
// N9: a client may ask who accessed their data).
func (s *Store) SubjectEvents(ctx context.Context, id privacy.SubjectID, from uint64) iter.Seq2[privacy.Event, error] {
	return s.core().SubjectEvents(ctx, id, from)
}

// scanEvent reads a row of eventColumns.
func scanEvent(row scanner) (privacy.Event, error) { return sqlcore.ScanEvent(dialect{}, row) }

// ChainEvents yields every chain of the trail, one after the other, each
// in the order of its numbers: what a verifier reads (access.ChainStore).
func (s *Store) ChainEvents(ctx context.Context) iter.Seq2[privacy.Event, error] {
	return s.core().ChainEvents(ctx)
}

// AuditKey returns the key the store chains its audit events under
// (Options.AuditKey; nil: unkeyed), for the verifier of the same process.
func (s *Store) AuditKey() []byte { return s.key }

// AuditHeads returns the last event of every chain of the trail: what a
// service saves as checkpoints outside the file (rule G7).
func (s *Store) AuditHeads(ctx context.Context) (access.Heads, error) {
	return s.core().AuditHeads(ctx)
}

// AuditAnchors returns the signed starting points of the pruned chains.
func (s *Store) AuditAnchors(ctx context.Context) (map[privacy.SubjectID]privacy.Anchor, error) {
	return s.core().AuditAnchors(ctx)
}

// PruneAudit deletes the events of every chain up to the last one dated
// before before (rule N9), keeping each pruned chain's signed anchor
// (G7), and appends e in the same transaction; see the retention sweep.
func (s *Store) PruneAudit(ctx context.Context, before time.Time, e privacy.Event) (int, error) {
	return s.core().PruneAudit(ctx, before, e)
}
