package pgstore

import (
	"context"
	"errors"
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
//
// It takes two round trips to the server, not four: the transaction's
// start and the reads of its chains' heads (which lock the chains) go in
// one batch, the append and the commit in another. What the guard appends
// for every decision is on the path of every read (issue 14).
func (s *Store) AppendEvents(ctx context.Context, events ...privacy.Event) ([]privacy.Event, error) {
	const op = "pgstore: append events"
	if err := sqlcore.CheckEvents(op, events); err != nil {
		return nil, err
	}
	if len(events) == 0 {
		return []privacy.Event{}, nil
	}
	out, err := s.appendBatched(ctx, op, events)
	if err != nil {
		return nil, fail(op, err, nil)
	}
	return out, nil
}

// appendBatched is AppendEvents in two batches on one connection. On an
// error the connection goes back to the pool inside its transaction, and
// the pool closes it: nothing was committed.
func (s *Store) appendBatched(ctx context.Context, op string, events []privacy.Event) ([]privacy.Event, error) {
	conn, err := s.pool.Acquire(ctx)
	if err != nil {
		return nil, err
	}
	defer conn.Release()
	chains := make([]string, 0, 1)
	for _, e := range events {
		chains = append(chains, string(e.Subject))
	}
	slices.Sort(chains)
	chains = slices.Compact(chains)
	var start pgx.Batch
	start.Queue("BEGIN ISOLATION LEVEL READ COMMITTED")
	for _, c := range chains {
		start.Queue(s.q.lastEvent, c)
	}
	heads := make(map[privacy.SubjectID]privacy.Event, len(chains))
	br := conn.SendBatch(ctx, &start)
	_, err = br.Exec()
	for _, c := range chains {
		if err != nil {
			break
		}
		var h privacy.Event
		var seq int64
		var hash []byte
		switch err = br.QueryRow().Scan(&seq, &hash); {
		case errors.Is(err, pgx.ErrNoRows):
			err = nil
		case err != nil:
		case len(hash) != len(h.Hash):
			err = access.Damaged(op, privacy.SubjectID(c), uint64(seq))
		default:
			h.Seq = uint64(seq)
			copy(h.Hash[:], hash)
		}
		heads[privacy.SubjectID(c)] = h
	}
	if cerr := br.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return nil, err
	}
	out := make([]privacy.Event, len(events))
	for i, e := range events {
		h := heads[e.Subject]
		out[i] = e.ChainKeyed(s.key, h.Seq+1, h.Hash)
		heads[e.Subject] = out[i]
	}
	if err := s.faults.Wrote(op, int64(len(out))); err != nil {
		return nil, err
	}
	var finish pgx.Batch
	finish.Queue(s.q.appendEvents, appendArgs(out)...)
	finish.Queue("COMMIT")
	br = conn.SendBatch(ctx, &finish)
	_, err = br.Exec()
	if err == nil {
		_, err = br.Exec()
	}
	if cerr := br.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return nil, err
	}
	return out, nil
}

// appendArgs are the arguments of append_chained for the chained events
// out: each column as an array.
func appendArgs(out []privacy.Event) []any {
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
	args := make([]any, 0, 18)
	args = append(args, seqs, times)
	for _, col := range text {
		args = append(args, col)
	}
	return append(args, prevs, hashes)
}

// appendEvents appends events inside tx, each to the chain of its subject
// (rule G7), numbered, linked and hashed after the chain's last event: the
// core calls it from the stores' own transactions, so that an operation
// and its audit events commit together (rules O1, G7, N9).
//
// It reads the heads of the chains it appends to through chain_head_locked
// (migration 0060), which locks each chain until the transaction ends (in
// the order of the chains' names, so that two appends never wait on each
// other crosswise), chains the events under the store's key
// ([sqlcore.Store.Chained]) and appends them through append_chained, the
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
	out, err := s.core().Chained(ctx, tx, op, events)
	if err != nil {
		return err
	}
	if _, err := tx.Exec(ctx, s.q.appendEvents, appendArgs(out)...); err != nil {
		return err
	}
	if err := s.faults.Wrote(op, int64(len(out))); err != nil {
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
