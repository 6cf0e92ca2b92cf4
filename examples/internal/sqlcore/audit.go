package sqlcore

import (
	"context"
	"iter"

	"github.com/dossierwacht/dossierwacht/examples/internal/sqladapter"
	"github.com/dossierwacht/dossierwacht/privacy"
)

// eventsPage is how many events one query of Events reads.
const eventsPage = 256

// AppendEvents appends events to the audit trail, all or none, and returns
// them as stored: numbered and chained (rules G7, N9).
func (s Store) AppendEvents(ctx context.Context, events []privacy.Event) ([]privacy.Event, error) {
	op := s.op("append events")
	if err := CheckEvents(op, events); err != nil {
		return nil, err
	}
	if len(events) == 0 {
		return []privacy.Event{}, nil
	}
	var out []privacy.Event
	err := s.write(ctx, op, func(tx Conn) error {
		var err error
		out, err = s.appendEvents(ctx, tx, op, events)
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// Chained reads the last event of the audit trail inside tx and returns
// events numbered, linked and hashed after it, as privacy.Event.Chain
// does (rule G7). The dialect holds what keeps the trail from forking
// until tx commits: the one writer, or a lock taken before the read. A
// stored hash of the wrong length is an error matching
// privacy.ErrUnavailable.
func (s Store) Chained(ctx context.Context, tx Conn, op string, events []privacy.Event) ([]privacy.Event, error) {
	var seq int64
	var prev privacy.Hash
	var last []byte
	switch err := tx.QueryRow(ctx, s.Q.LastEvent).Scan(&seq, &last); {
	case noRows(err):
	case err != nil:
		return nil, err
	case len(last) != len(prev):
		return nil, &privacy.Error{Op: op, Kind: privacy.ErrUnavailable, Msg: "the last audit event's hash is damaged"}
	default:
		copy(prev[:], last)
	}
	out := make([]privacy.Event, len(events))
	for i, e := range events {
		seq++
		out[i] = e.Chain(uint64(seq), prev)
		prev = out[i].Hash
	}
	return out, nil
}

// Events yields the audit trail from sequence number from on (1 is the
// first event), in order: a listing read. It reads a page at a time, so
// events appended while it runs are yielded too.
func (s Store) Events(ctx context.Context, from uint64) iter.Seq2[privacy.Event, error] {
	return s.events(ctx, s.op("events"), s.Q.Events, nil, from)
}

// SubjectEvents yields the audit events about one subject from sequence
// number from on, in order: who did what with the subject's data (rule
// N9: a client may ask who accessed their data). A listing read.
func (s Store) SubjectEvents(ctx context.Context, id privacy.SubjectID, from uint64) iter.Seq2[privacy.Event, error] {
	op := s.op("subject events")
	if err := sqladapter.CheckID(op, "id", string(id)); err != nil {
		return func(yield func(privacy.Event, error) bool) { yield(privacy.Event{}, err) }
	}
	return s.events(ctx, op, s.Q.SubjectEvents, []any{string(id)}, from)
}

// events pages through query, which takes args, then the first sequence
// number and the page size.
func (s Store) events(ctx context.Context, op, query string, args []any, from uint64) iter.Seq2[privacy.Event, error] {
	return func(yield func(privacy.Event, error) bool) {
		db := s.D.Reader(ctx, true)
		next := max(from, 1)
		for {
			rows, err := db.Query(ctx, query, append(args[:len(args):len(args)], int64(min(next, 1<<63-1)), eventsPage)...)
			page, err := collect(rows, err, ScanEvent, s.D)
			if err != nil {
				yield(privacy.Event{}, s.fail(op, err))
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
