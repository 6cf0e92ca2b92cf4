package pgstore

import (
	"context"
	"iter"

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

// appendEvents appends events inside tx, numbered, linked and hashed
// after the last one: the core calls it from the stores' own
// transactions, so that an operation and its audit events commit together
// (rules O1, G7, N9).
//
// It appends through the function append_events (migration 0008), the one
// way the physicians' role may append: it takes the trail's
// transaction-scoped advisory lock, reads the last event after the lock is
// held, and chains each event as privacy.Event.Chain does. The adapter
// chains each event itself as well and fails with privacy.ErrUnavailable
// unless the two agree, so that a database that chained otherwise is
// caught at once. The lock needs no session state, so it holds behind
// PgBouncer in transaction mode.
func (s *Store) appendEvents(ctx context.Context, tx pgx.Tx, op string, events []privacy.Event) ([]privacy.Event, error) {
	n := len(events)
	if n == 0 {
		return []privacy.Event{}, nil
	}
	times := make([]pgtype.Timestamptz, n)
	text := make([][]string, 14)
	for i := range text {
		text[i] = make([]string, n)
	}
	for i := range events {
		times[i] = ts(events[i].Time)
		for j, v := range sqlcore.EventText(&events[i]) {
			text[j][i] = v
		}
	}
	args := make([]any, 0, 15)
	args = append(args, times)
	for _, col := range text {
		args = append(args, col)
	}
	rows, err := tx.Query(ctx, s.q.appendEvents, args...)
	if err != nil {
		return nil, err
	}
	out := make([]privacy.Event, 0, n)
	var seq int64
	var prev, hash []byte
	_, err = pgx.ForEachRow(rows, []any{&seq, &prev, &hash}, func() error {
		if len(out) == n || len(prev) != len(privacy.Hash{}) {
			return &privacy.Error{Op: op, Kind: privacy.ErrUnavailable, Msg: "the audit trail answered an append wrongly"}
		}
		var p privacy.Hash
		copy(p[:], prev)
		e := events[len(out)].Chain(uint64(seq), p)
		if string(e.Hash[:]) != string(hash) {
			return &privacy.Error{Op: op, Kind: privacy.ErrUnavailable, Msg: "the audit trail chained an event otherwise than the adapter"}
		}
		out = append(out, e)
		return nil
	})
	if err != nil {
		return nil, err
	}
	if len(out) != n {
		return nil, &privacy.Error{Op: op, Kind: privacy.ErrUnavailable, Msg: "the audit trail answered an append wrongly"}
	}
	if err := s.faults.Wrote(op, int64(n)); err != nil {
		return nil, err
	}
	return out, nil
}

// chainEvents appends events inside tx as appendEvents does, but with the
// table's own INSERT (and COPY for a large batch), for a retention sweep
// whose role may insert into the trail (Grants: the erasing role holds the
// application's). It takes the same advisory lock and then chains the
// events after the last one ([sqlcore.Store.Chained]), read in a statement
// of its own (read committed: a fresh snapshot that sees every append
// committed before). A sweep does not read its events back.
func (s *Store) chainEvents(ctx context.Context, tx sqlcore.Conn, op string, events []privacy.Event) error {
	if _, err := tx.Exec(ctx, s.q.auditLock, s.auditLock); err != nil {
		return err
	}
	c := s.core()
	out, err := c.Chained(ctx, tx, op, events)
	if err != nil {
		return err
	}
	if len(out) >= copyEvents {
		return s.copyEvents(ctx, pgTx(tx), op, out)
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
	_, err = c.Exec(ctx, tx, op, s.q.insertEvents, args...)
	return err
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

// copyEvents is the number of events from which chainEvents sends them
// with COPY rather than one INSERT of arrays: a retention sweep appends
// thousands at once, and COPY is PostgreSQL's fastest way in.
const copyEvents = 64

// copyEvents stores the chained events out with COPY, inside tx;
// chainEvents holds the trail's lock.
func (s *Store) copyEvents(ctx context.Context, tx pgx.Tx, op string, out []privacy.Event) error {
	k := 0
	row := make([]any, 0, len(sqlcore.EventColumnNames))
	src := pgx.CopyFromFunc(func() ([]any, error) {
		if k == len(out) {
			return nil, nil
		}
		k++
		// pgx encodes a row before it asks for the next: one slice
		// serves them all.
		return sqlcore.EventArgs(row[:0], dialect{}, &out[k-1]), nil
	})
	n, err := tx.CopyFrom(ctx, pgx.Identifier{s.schema, "audit_events"}, sqlcore.EventColumnNames, src)
	if err != nil {
		return err
	}
	return s.faults.Wrote(op, n)
}
