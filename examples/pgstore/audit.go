package pgstore

import (
	"context"
	"errors"
	"iter"

	"github.com/dossierwacht/dossierwacht/examples/internal/sqladapter"
	"github.com/dossierwacht/dossierwacht/privacy"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"
)

// eventsPage is how many events one query of [Store.Events] reads.
const eventsPage = 256

// AppendEvents appends events to the audit trail, all or none, and returns
// them as stored: numbered and chained (rules G7, N9).
func (s *Store) AppendEvents(ctx context.Context, events ...privacy.Event) ([]privacy.Event, error) {
	const op = "pgstore: append events"
	for _, e := range events {
		if err := sqladapter.CheckEvent(op, e); err != nil {
			return nil, err
		}
	}
	if len(events) == 0 {
		return []privacy.Event{}, nil
	}
	var out []privacy.Event
	err := s.write(ctx, op, func(tx pgx.Tx) error {
		var err error
		out, err = s.appendEvents(ctx, tx, op, events)
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// appendEvents appends events inside tx, numbered, linked and hashed
// after the last one. The stores call it from their own transactions, so
// that an operation and its audit events commit together (rules O1, G7,
// N9).
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
	for i, e := range events {
		times[i] = ts(e.Time)
		for j, v := range []string{string(e.Principal), string(e.Role), string(e.OnBehalfOf), string(e.Purpose),
			string(e.Subject), string(e.Case), string(e.Category), e.Object, string(e.Action), string(e.Outcome),
			string(e.Rule), e.Policy, e.AccessPoint, e.Client} {
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
// application's). It takes the same advisory lock and reads the last event
// after the lock is held, in a statement of its own (read committed: a
// fresh snapshot that sees every append committed before). It returns the
// events as stored only when keep is set (a sweep's batch does not need
// them).
func (s *Store) chainEvents(ctx context.Context, tx pgx.Tx, op string, events []privacy.Event, keep bool) ([]privacy.Event, error) {
	if _, err := tx.Exec(ctx, s.q.auditLock, s.auditLock); err != nil {
		return nil, err
	}
	var seq int64
	var prev privacy.Hash
	var last []byte
	switch err := tx.QueryRow(ctx, s.q.lastEvent).Scan(&seq, &last); {
	case errors.Is(err, pgx.ErrNoRows):
	case err != nil:
		return nil, err
	case len(last) != len(prev):
		return nil, &privacy.Error{Op: op, Kind: privacy.ErrUnavailable, Msg: "the last audit event's hash is damaged"}
	default:
		copy(prev[:], last)
	}
	if len(events) >= copyEvents {
		return s.copyEvents(ctx, tx, op, seq, prev, events, keep)
	}
	n := len(events)
	out := make([]privacy.Event, n)
	seqs, times := make([]int64, n), make([]pgtype.Timestamptz, n)
	text := make([][]string, 14)
	for i := range text {
		text[i] = make([]string, n)
	}
	prevs, hashes := make([][]byte, n), make([][]byte, n)
	for i, e := range events {
		seq++
		e = e.Chain(uint64(seq), prev)
		out[i], prev = e, e.Hash
		seqs[i], times[i] = seq, ts(e.Time)
		for j, v := range []string{string(e.Principal), string(e.Role), string(e.OnBehalfOf), string(e.Purpose),
			string(e.Subject), string(e.Case), string(e.Category), e.Object, string(e.Action), string(e.Outcome),
			string(e.Rule), e.Policy, e.AccessPoint, e.Client} {
			text[j][i] = v
		}
		prevs[i], hashes[i] = out[i].Prev[:], out[i].Hash[:]
	}
	args := []any{seqs, times}
	for _, col := range text {
		args = append(args, col)
	}
	args = append(args, prevs, hashes)
	if _, err := s.exec(ctx, tx, op, s.q.insertEvents, args...); err != nil {
		return nil, err
	}
	return out, nil
}

func scanEvent(row pgx.Row) (privacy.Event, error) {
	var seq int64
	var t pgtype.Timestamptz
	var principal, role, onBehalfOf, purpose, subject, caseID, category, object, action, outcome, rule, policy,
		accessPoint, client string
	var prev, hash []byte
	if err := row.Scan(&seq, &t, &principal, &role, &onBehalfOf, &purpose, &subject, &caseID, &category, &object,
		&action, &outcome, &rule, &policy, &accessPoint, &client, &prev, &hash); err != nil {
		return privacy.Event{}, err
	}
	e := privacy.Event{Seq: uint64(seq), Time: timeOf(t), Principal: privacy.PrincipalID(principal), Role: privacy.Role(role),
		OnBehalfOf: privacy.PartyID(onBehalfOf), Purpose: privacy.Purpose(purpose), Subject: privacy.SubjectID(subject),
		Case: privacy.CaseID(caseID), Category: privacy.Category(category), Object: object,
		Action: privacy.EventAction(action), Outcome: privacy.Outcome(outcome), Rule: privacy.RuleID(rule),
		Policy: policy, AccessPoint: accessPoint, Client: client}
	if len(prev) != len(e.Prev) || len(hash) != len(e.Hash) {
		return privacy.Event{}, &privacy.Error{Op: "pgstore: read event", Kind: privacy.ErrUnavailable, Msg: "a stored hash is damaged"}
	}
	copy(e.Prev[:], prev)
	copy(e.Hash[:], hash)
	return e, nil
}

// Events yields the audit trail from sequence number from on (1 is the
// first event), in order. It reads a page at a time, so events appended
// while it runs are yielded too. With a context marked by [WithReplica] it
// may read the replica.
func (s *Store) Events(ctx context.Context, from uint64) iter.Seq2[privacy.Event, error] {
	return s.events(ctx, "pgstore: events", s.q.events, nil, from)
}

// SubjectEvents yields the audit events about one subject from sequence
// number from on, in order: who did what with the subject's data (rule
// N9: a client may ask who accessed their data). With a context marked by
// [WithReplica] it may read the replica.
func (s *Store) SubjectEvents(ctx context.Context, id privacy.SubjectID, from uint64) iter.Seq2[privacy.Event, error] {
	const op = "pgstore: subject events"
	if err := sqladapter.CheckID(op, "id", string(id)); err != nil {
		return func(yield func(privacy.Event, error) bool) { yield(privacy.Event{}, err) }
	}
	return s.events(ctx, op, s.q.subjectEvents, []any{string(id)}, from)
}

// events pages through query, which takes args, then the first sequence
// number and the page size.
func (s *Store) events(ctx context.Context, op, query string, args []any, from uint64) iter.Seq2[privacy.Event, error] {
	return func(yield func(privacy.Event, error) bool) {
		db := s.lister(ctx)
		next := max(from, 1)
		for {
			rows, err := db.Query(ctx, query, append(args[:len(args):len(args)], int64(min(next, 1<<63-1)), eventsPage)...)
			var page []privacy.Event
			if err == nil {
				page, err = pgx.CollectRows(rows, func(row pgx.CollectableRow) (privacy.Event, error) { return scanEvent(row) })
			}
			if err != nil {
				yield(privacy.Event{}, fail(op, err, nil))
				return
			}
			for _, e := range page {
				if !yield(e, nil) {
					return
				}
			}
			if len(page) < eventsPage {
				return
			}
			next = page[len(page)-1].Seq + 1
		}
	}
}

// copyEvents is the number of events from which appendEvents sends them
// with COPY rather than one INSERT of arrays: a retention sweep appends
// thousands at once, and COPY is PostgreSQL's fastest way in.
const copyEvents = 64

// eventColumnNames are the columns of eventColumns, for COPY.
var eventColumnNames = []string{"seq", "time", "principal", "role", "on_behalf_of", "purpose", "subject", "case_id",
	"category", "object", "action", "outcome", "rule", "policy", "access_point", "client", "prev", "hash"}

// copyEvents chains events after the event seq with hash prev and stores
// them with COPY, inside tx; appendEvents holds the trail's lock. It
// chains each event as COPY asks for it, and returns them as stored only
// when keep is set.
func (s *Store) copyEvents(ctx context.Context, tx pgx.Tx, op string, seq int64, prev privacy.Hash, events []privacy.Event,
	keep bool) ([]privacy.Event, error) {
	var out []privacy.Event
	if keep {
		out = make([]privacy.Event, 0, len(events))
	}
	k := 0
	row := make([]any, 0, len(eventColumnNames))
	var e privacy.Event
	src := pgx.CopyFromFunc(func() ([]any, error) {
		if k == len(events) {
			return nil, nil
		}
		seq++
		e = events[k].Chain(uint64(seq), prev)
		prev = e.Hash
		k++
		if keep {
			out = append(out, e)
		}
		// pgx encodes a row before it asks for the next: one slice
		// serves them all.
		return append(row[:0], int64(e.Seq), ts(e.Time), string(e.Principal), string(e.Role), string(e.OnBehalfOf), string(e.Purpose),
			string(e.Subject), string(e.Case), string(e.Category), e.Object, string(e.Action), string(e.Outcome),
			string(e.Rule), e.Policy, e.AccessPoint, e.Client, e.Prev[:], e.Hash[:]), nil
	})
	n, err := tx.CopyFrom(ctx, pgx.Identifier{s.schema, "audit_events"}, eventColumnNames, src)
	if err != nil {
		return nil, err
	}
	if err := s.faults.Wrote(op, n); err != nil {
		return nil, err
	}
	return out, nil
}
