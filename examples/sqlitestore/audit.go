package sqlitestore

import (
	"context"
	"iter"

	"github.com/dossierwacht/dossierwacht/examples/internal/sqlcore"
	"github.com/dossierwacht/dossierwacht/privacy"
)

// AppendEvents appends events to the audit trail, all or none, and returns
// them as stored: numbered and chained (rules G7, N9). Every write of the
// store appends its events in its own transaction the same way.
func (s *Store) AppendEvents(ctx context.Context, events ...privacy.Event) ([]privacy.Event, error) {
	return s.core().AppendEvents(ctx, events)
}

// Events yields the audit trail from sequence number from on (1 is the
// first event), in order. It reads a page at a time, so events appended
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
