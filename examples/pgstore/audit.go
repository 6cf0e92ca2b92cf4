package pgstore

import (
	"context"
	"iter"
	"slices"
	"time"

	"github.com/dossierwacht/dossierwacht/access"

	"github.com/dossierwacht/dossierwacht/examples/internal/sqlcore"
	"github.com/dossierwacht/dossierwacht/privacy"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"
)

const eventColumns = sqlcore.EventColumns

// AppendEvents appends events to the audit trail, all or none, and returns
// them as stored: numbered and chained (rules G7, N9). Every write of the
// store appends its events in its own transaction the same way.
func (s *Store) AppendEvents(ctx context.Context, events ...privacy.Event) ([]privacy.Event, error) {
	return s.core().AppendEvents(ctx, events)
}

// appendEvents appends events inside tx, each to the chain of its subject
// (rule G7), numbered, linked and hashed after the chain's last event: the
// core calls it from the stores' own transactions, so that an operation
// and its audit events commit together (rules O1, G7, N9).
//
// It locks each chain it appends to (a transaction-scoped advisory lock
// keyed by the chain, in the order of the chains' names so that two
// appends never wait on each other crosswise), reads the chains' heads,
// chains the events under the store's key ([sqlcore.Store.Chained]) and
// appends them through the function append_chained (migration 0060), the
// one way every role may append: it checks that each event is the next of
// its chain and linked to its head. Appends to different chains never
// wait on each other. The locks need no session state, so they hold
// behind PgBouncer in transaction mode.
func (s *Store) appendEvents(ctx context.Context, tx pgx.Tx, op string, events []privacy.Event) ([]privacy.Event, error) {
	if len(events) == 0 {
		return []privacy.Event{}, nil
	}
	if err := s.chainEvents(ctx, txConn{tx}, op, events, func(out []privacy.Event) { events = out }); err != nil {
		return nil, err
	}
	return events, nil
}

// chainEvents appends events inside tx as appendEvents does; done, if not
// nil, receives them as stored.
func (s *Store) chainEvents(ctx context.Context, tx sqlcore.Conn, op string, events []privacy.Event, done func([]privacy.Event)) error {
	chains := make([]string, 0, 1)
	for _, e := range events {
		chains = append(chains, string(e.Subject))
	}
	slices.Sort(chains)
	chains = slices.Compact(chains)
	for _, c := range chains {
		if _, err := tx.Exec(ctx, s.q.auditLock, int32(s.auditLock), c); err != nil {
			return err
		}
	}
	c := s.core()
	out, err := c.Chained(ctx, tx, op, events)
	if err != nil {
		return err
	}
	n := len(out)
	seqs, times := make([]int64, n), make([]pgtype.Timestamptz, n)
	text := make([][]string, 14)
	for i := range text {
		text[i] = make([]string, n)
	}
	prevs, hashes := make([][]byte, n), make([][]byte, n)
	for i := range out {
		e := &out[i]
		seqs[i], times[i], prevs[i], hashes[i] = int64(e.Seq), ts(e.Time), e.Prev[:], e.Hash[:]
		for j, v := range sqlcore.EventText(e) {
			text[j][i] = v
		}
	}
	args := []any{seqs, times}
	for _, col := range text {
		args = append(args, col)
	}
	args = append(args, prevs, hashes)
	if _, err := tx.Exec(ctx, s.q.appendEvents, args...); err != nil {
		return err
	}
	if err := s.faults.Wrote(op, int64(n)); err != nil {
		return err
	}
	if done != nil {
		done(out)
	}
	return nil
}

// Events yields the audit trail from sequence number from on (1 is the
// first event), in order. It reads a page at a time, so events appended
// while it runs are yielded too. With a context marked by [WithReplica] it
// may read the replica.
func (s *Store) Events(ctx context.Context, from uint64) iter.Seq2[privacy.Event, error] {
	return s.core().Events(ctx, from)
}

// SubjectEvents yields the audit events about one subject from sequence
// number from on, in order: who did what with the subject's data (rule
// N9: a client may ask who accessed their data). With a context marked by
// [WithReplica] it may read the replica.
func (s *Store) SubjectEvents(ctx context.Context, id privacy.SubjectID, from uint64) iter.Seq2[privacy.Event, error] {
	return s.core().SubjectEvents(ctx, id, from)
}

// scanEvent reads a row of eventColumns.
func scanEvent(row pgx.Row) (privacy.Event, error) { return sqlcore.ScanEvent(dialect{}, row) }

// ChainEvents yields every chain of the trail, one after the other, each
// in the order of its numbers: what a verifier reads (access.ChainStore).
func (s *Store) ChainEvents(ctx context.Context) iter.Seq2[privacy.Event, error] {
	return s.core().ChainEvents(ctx)
}

// AuditKey returns the key the store chains its audit events under
// (Options.AuditKey; nil: unkeyed), for the verifier of the same process.
func (s *Store) AuditKey() []byte { return s.key }

// AuditHeads returns the last event of every chain of the trail: what a
// service saves as checkpoints outside the database (rule G7).
func (s *Store) AuditHeads(ctx context.Context) (access.Heads, error) {
	return s.core().AuditHeads(ctx)
}

// AuditAnchors returns the signed starting points of the pruned chains.
func (s *Store) AuditAnchors(ctx context.Context) (map[privacy.SubjectID]privacy.Anchor, error) {
	return s.core().AuditAnchors(ctx)
}

// PruneAudit deletes the events of every chain up to the last one dated
// before before (rule N9), keeping each pruned chain's signed anchor
// (G7), and appends e in the same transaction.
func (s *Store) PruneAudit(ctx context.Context, before time.Time, e privacy.Event) (int, error) {
	return s.core().PruneAudit(ctx, before, e)
}
