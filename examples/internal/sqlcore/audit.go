package sqlcore

import (
	"context"
	"iter"
	"slices"
	"time"

	"github.com/dossierwacht/dossierwacht/access"
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

// Chained reads the last event of each chain events go to (rule G7: one
// chain per subject, "" the service's own) inside tx and returns events
// numbered, linked and hashed after it under the store's key, as
// privacy.Event.ChainKeyed does. The dialect holds what keeps each chain
// from forking until tx commits: the one writer, or a lock of the chain
// taken before the read. A stored hash of the wrong length is an error
// matching access.ErrDamaged.
func (s Store) Chained(ctx context.Context, tx Conn, op string, events []privacy.Event) ([]privacy.Event, error) {
	// The heads are read in the order of the chains' names: where reading
	// a head locks its chain (PostgreSQL), two appends never wait on each
	// other crosswise.
	chains := make([]string, 0, 1)
	for _, e := range events {
		chains = append(chains, string(e.Subject))
	}
	slices.Sort(chains)
	chains = slices.Compact(chains)
	heads := make(map[privacy.SubjectID]access.Checkpoint, len(chains))
	for _, c := range chains {
		var h access.Checkpoint
		var seq int64
		var last []byte
		switch err := tx.QueryRow(ctx, s.Q.LastEvent, c).Scan(&seq, &last); {
		case noRows(err):
		case err != nil:
			return nil, err
		case len(last) != len(h.Hash):
			return nil, access.Damaged(op, privacy.SubjectID(c), uint64(seq))
		default:
			h.Seq = uint64(seq)
			copy(h.Hash[:], last)
		}
		heads[privacy.SubjectID(c)] = h
	}
	out := make([]privacy.Event, len(events))
	for i, e := range events {
		h := heads[e.Subject]
		out[i] = e.ChainKeyed(s.Key, h.Seq+1, h.Hash)
		heads[e.Subject] = access.Checkpoint{Seq: out[i].Seq, Hash: out[i].Hash}
	}
	return out, nil
}

// Events yields the audit trail in the order it was appended, from the
// from-th event on (0 and 1: the first): a listing read. It reads a page
// at a time, so events appended while it runs are yielded too.
func (s Store) Events(ctx context.Context, from uint64) iter.Seq2[privacy.Event, error] {
	op := s.op("events")
	return func(yield func(privacy.Event, error) bool) {
		db := s.D.Reader(ctx, true)
		skip := max(from, 1) - 1
		var pos int64
		for {
			rows, err := db.Query(ctx, s.Q.Events, pos, eventsPage)
			page, err := collect(rows, err, func(v Codec, row Row) (posEvent, error) {
				var pe posEvent
				var err error
				pe.e, err = ScanEvent(v, extraRow{row, &pe.pos})
				return pe, err
			}, s.D)
			if err != nil {
				yield(privacy.Event{}, s.fail(op, err))
				return
			}
			for _, pe := range page {
				if skip > 0 {
					skip--
					continue
				}
				if !yield(pe.e, nil) {
					return
				}
			}
			if len(page) < eventsPage {
				return
			}
			pos = page[len(page)-1].pos
		}
	}
}

// ChainEvents yields every chain of the trail, one after the other (by
// subject), each in the order of its numbers: what a verifier reads
// (access.ChainStore, rule G7). A listing read, a page at a time.
func (s Store) ChainEvents(ctx context.Context) iter.Seq2[privacy.Event, error] {
	op := s.op("chain events")
	return func(yield func(privacy.Event, error) bool) {
		db := s.D.Reader(ctx, true)
		var subject string
		var seq int64 = -1 << 62
		for {
			rows, err := db.Query(ctx, s.Q.ChainEvents, subject, seq, eventsPage)
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
			last := page[len(page)-1]
			subject, seq = string(last.Subject), int64(last.Seq)
		}
	}
}

// posEvent is an event and its position in the trail.
type posEvent struct {
	e   privacy.Event
	pos int64
}

// extraRow scans one column more than its caller asks for, into extra.
type extraRow struct {
	Row
	extra any
}

func (r extraRow) Scan(dest ...any) error { return r.Row.Scan(append(dest, r.extra)...) }

// AuditHeads returns the last event of every chain of the trail: what a
// service saves as checkpoints outside the database (rule G7).
func (s Store) AuditHeads(ctx context.Context) (access.Heads, error) {
	op := s.op("audit heads")
	rows, err := s.D.Reader(ctx, false).Query(ctx, s.Q.AuditHeads)
	type head struct {
		id privacy.SubjectID
		cp access.Checkpoint
	}
	hs, err := collect(rows, err, func(_ Codec, row Row) (head, error) {
		var h head
		var seq int64
		var hash []byte
		if err := row.Scan(&h.id, &seq, &hash); err != nil {
			return h, err
		}
		if len(hash) != len(h.cp.Hash) {
			return h, access.Damaged(op, h.id, uint64(seq))
		}
		h.cp.Seq = uint64(seq)
		copy(h.cp.Hash[:], hash)
		return h, nil
	}, s.D)
	if err != nil {
		return nil, s.fail(op, err)
	}
	out := make(access.Heads, len(hs))
	for _, h := range hs {
		out[h.id] = h.cp
	}
	return out, nil
}

// AuditAnchors returns the signed starting points of the pruned chains
// (rule G7).
func (s Store) AuditAnchors(ctx context.Context) (map[privacy.SubjectID]privacy.Anchor, error) {
	op := s.op("audit anchors")
	rows, err := s.D.Reader(ctx, false).Query(ctx, s.Q.AuditAnchors)
	as, err := collect(rows, err, func(_ Codec, row Row) (privacy.Anchor, error) {
		var a privacy.Anchor
		var seq int64
		var hash, mac []byte
		if err := row.Scan(&a.Subject, &seq, &hash, &mac); err != nil {
			return a, err
		}
		if len(hash) != len(a.Hash) || len(mac) != len(a.MAC) {
			return a, access.Damaged(op, a.Subject, uint64(seq))
		}
		a.Seq = uint64(seq)
		copy(a.Hash[:], hash)
		copy(a.MAC[:], mac)
		return a, nil
	}, s.D)
	if err != nil {
		return nil, s.fail(op, err)
	}
	out := make(map[privacy.SubjectID]privacy.Anchor, len(as))
	for _, a := range as {
		out[a.Subject] = a
	}
	return out, nil
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

// PruneAudit deletes, from every chain, the events before the audit
// retention's end (rule N9): in each chain, every event up to the last one
// dated before before. For each chain it prunes it keeps a signed anchor
// of the last event deleted (privacy.Anchor under the store's key, rule
// G7), so that what remains verifies from a point only the key could have
// made; the schema lets only events at or before their chain's anchor go.
// The events of the one chain before migration 0060, kept in
// audit_events_legacy, go by the same rule in the same transaction: its
// leading run dated before before, counted with the others (N9: the
// legacy events carry personal data too, and are kept no longer). It
// appends e, the sweep's own event, in the same transaction when it
// deletes any (a sweep with nothing past its period leaves the trail as it
// was), and returns the number of events deleted.
func (s Store) PruneAudit(ctx context.Context, before time.Time, e privacy.Event) (int, error) {
	op := s.op("prune audit")
	if err := CheckEvents(op, []privacy.Event{e}); err != nil {
		return 0, err
	}
	var n int64
	err := s.write(ctx, op, func(tx Conn) error {
		n = 0
		rows, err := tx.Query(ctx, s.Q.PruneCuts, s.D.Time(before))
		cuts, err := collect(rows, err, func(_ Codec, row Row) (privacy.Anchor, error) {
			var a privacy.Anchor
			var seq int64
			var hash []byte
			if err := row.Scan(&a.Subject, &seq, &hash); err != nil {
				return a, err
			}
			if len(hash) != len(a.Hash) {
				return a, access.Damaged(op, a.Subject, uint64(seq))
			}
			a.Seq = uint64(seq)
			copy(a.Hash[:], hash)
			return a, nil
		}, s.D)
		if err != nil {
			return err
		}
		// Rule N9: the legacy chain's events past their period go too.
		legacy, err := s.pruneLegacy(ctx, tx, op, before)
		if err != nil {
			return err
		}
		n = legacy
		if len(cuts) == 0 && legacy == 0 {
			// Nothing past its period: nothing deleted, nothing to tell.
			return nil
		}
		for _, a := range cuts {
			a = a.Sign(s.Key)
			if s.Q.PruneChain != "" {
				var k int64
				if err := tx.QueryRow(ctx, s.Q.PruneChain, string(a.Subject), int64(a.Seq), a.Hash[:], a.MAC[:]).Scan(&k); err != nil {
					return err
				}
				if err := s.Faults.Wrote(op, k+1); err != nil {
					return err
				}
				n += k
				continue
			}
			if _, err := s.Exec(ctx, tx, op, s.Q.UpsertAnchor, string(a.Subject), int64(a.Seq), a.Hash[:], a.MAC[:]); err != nil {
				return err
			}
			k, err := s.Exec(ctx, tx, op, s.Q.PruneEvents, string(a.Subject), int64(a.Seq))
			if err != nil {
				return err
			}
			n += k
		}
		_, err = s.appendEvents(ctx, tx, op, []privacy.Event{e})
		return err
	})
	if err != nil {
		return 0, s.fail(op, err)
	}
	return int(n), nil
}

// pruneLegacy deletes the legacy chain's leading run of events dated
// before before (rule N9) and returns how many went.
func (s Store) pruneLegacy(ctx context.Context, tx Conn, op string, before time.Time) (int64, error) {
	if s.Q.PruneLegacyCall != "" {
		var k int64
		if err := tx.QueryRow(ctx, s.Q.PruneLegacyCall, s.D.Time(before)).Scan(&k); err != nil {
			return 0, err
		}
		return k, s.Faults.Wrote(op, k)
	}
	return s.Exec(ctx, tx, op, s.Q.PruneLegacy, s.D.Time(before))
}
