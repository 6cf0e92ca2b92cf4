package sqlitestore

import (
	"context"
	"database/sql"
	"errors"
	"iter"

	"github.com/dossierwacht/dossierwacht/examples/internal/sqladapter"
	"github.com/dossierwacht/dossierwacht/privacy"
)

// eventsPage is how many events one query of [Store.Events] reads.
const eventsPage = 256

const eventColumns = `seq, time, principal, role, on_behalf_of, purpose, subject, case_id, category, object,
	action, outcome, rule, policy, access_point, client, prev, hash`

const (
	qLastEvent     = `SELECT seq, hash FROM audit_events ORDER BY seq DESC LIMIT 1`
	qEvents        = `SELECT ` + eventColumns + ` FROM audit_events WHERE seq >= ? ORDER BY seq LIMIT ?`
	qSubjectEvents = `SELECT ` + eventColumns + ` FROM audit_events WHERE subject = ? AND seq >= ? ORDER BY seq LIMIT ?`
)

// AppendEvents appends events to the audit trail, all or none, and returns
// them as stored: numbered and chained (rules G7, N9).
func (s *Store) AppendEvents(ctx context.Context, events ...privacy.Event) ([]privacy.Event, error) {
	const op = "sqlitestore: append events"
	for _, e := range events {
		if err := sqladapter.CheckEvent(op, e); err != nil {
			return nil, err
		}
	}
	var out []privacy.Event
	err := s.write(ctx, op, func(tx *sql.Tx) error {
		var err error
		out, err = s.appendEvents(ctx, tx, op, events)
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// appendEvents chains events after the last one and inserts them, inside
// tx. The stores of later rounds call it from their own transactions, so
// that an operation and its audit events commit together. The chain cannot
// fork: every write transaction of the file runs alone (one writer
// connection, BEGIN IMMEDIATE), so the last event read here is still the
// last when the new ones are inserted.
func (s *Store) appendEvents(ctx context.Context, tx *sql.Tx, op string, events []privacy.Event) ([]privacy.Event, error) {
	if len(events) == 0 {
		return []privacy.Event{}, nil
	}
	var seq uint64
	var prev privacy.Hash
	var last []byte
	err := tx.QueryRowContext(ctx, qLastEvent).Scan(&seq, &last)
	switch {
	case errors.Is(err, sql.ErrNoRows):
	case err != nil:
		return nil, err
	case len(last) != len(prev):
		return nil, &privacy.Error{Op: op, Kind: privacy.ErrUnavailable, Msg: "the last audit event's hash is damaged"}
	default:
		copy(prev[:], last)
	}
	stmt, err := tx.PrepareContext(ctx, `INSERT INTO audit_events (`+eventColumns+`)
	VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
	if err != nil {
		return nil, err
	}
	defer stmt.Close()
	out := make([]privacy.Event, len(events))
	for i, e := range events {
		seq++
		e = e.Chain(seq, prev)
		res, err := stmt.ExecContext(ctx, int64(e.Seq), micros(e.Time), e.Principal, e.Role, e.OnBehalfOf, e.Purpose,
			e.Subject, e.Case, e.Category, e.Object, e.Action, e.Outcome, e.Rule, e.Policy, e.AccessPoint, e.Client,
			e.Prev[:], e.Hash[:])
		if err != nil {
			return nil, err
		}
		n, err := res.RowsAffected()
		if err != nil {
			return nil, err
		}
		if err := s.faults.Wrote(op, n); err != nil {
			return nil, err
		}
		out[i], prev = e, e.Hash
	}
	return out, nil
}

func scanEvent(row scanner) (privacy.Event, error) {
	var e privacy.Event
	var seq int64
	var t sql.NullInt64
	var prev, hash []byte
	if err := row.Scan(&seq, &t, &e.Principal, &e.Role, &e.OnBehalfOf, &e.Purpose, &e.Subject, &e.Case, &e.Category,
		&e.Object, &e.Action, &e.Outcome, &e.Rule, &e.Policy, &e.AccessPoint, &e.Client, &prev, &hash); err != nil {
		return privacy.Event{}, err
	}
	if len(prev) != len(e.Prev) || len(hash) != len(e.Hash) {
		return privacy.Event{}, &privacy.Error{Op: "sqlitestore: read event", Kind: privacy.ErrUnavailable, Msg: "a stored hash is damaged"}
	}
	e.Seq, e.Time = uint64(seq), timeOf(t)
	copy(e.Prev[:], prev)
	copy(e.Hash[:], hash)
	return e, nil
}

// Events yields the audit trail from sequence number from on (1 is the
// first event), in order. It reads a page at a time, so events appended
// while it runs are yielded too.
func (s *Store) Events(ctx context.Context, from uint64) iter.Seq2[privacy.Event, error] {
	return s.events(ctx, "sqlitestore: events", qEvents, nil, from)
}

// SubjectEvents yields the audit events about one subject from sequence
// number from on, in order: who did what with the subject's data (rule
// N9: a client may ask who accessed their data).
func (s *Store) SubjectEvents(ctx context.Context, id privacy.SubjectID, from uint64) iter.Seq2[privacy.Event, error] {
	const op = "sqlitestore: subject events"
	if err := sqladapter.CheckID(op, "id", string(id)); err != nil {
		return func(yield func(privacy.Event, error) bool) { yield(privacy.Event{}, err) }
	}
	return s.events(ctx, op, qSubjectEvents, []any{id}, from)
}

// events pages through query, which takes args, then the first sequence
// number and the page size.
func (s *Store) events(ctx context.Context, op, query string, args []any, from uint64) iter.Seq2[privacy.Event, error] {
	return func(yield func(privacy.Event, error) bool) {
		next := max(from, 1)
		for {
			page, err := s.eventPage(ctx, query, append(args[:len(args):len(args)], int64(min(next, 1<<63-1)), eventsPage))
			if err != nil {
				yield(privacy.Event{}, s.fail(op, err, nil))
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

func (s *Store) eventPage(ctx context.Context, query string, args []any) ([]privacy.Event, error) {
	rows, err := s.r.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var page []privacy.Event
	for rows.Next() {
		e, err := scanEvent(rows)
		if err != nil {
			return nil, err
		}
		page = append(page, e)
	}
	return page, rows.Err()
}
