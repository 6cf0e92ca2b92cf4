package memstore

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"iter"
	"slices"
	"sync"

	"github.com/dossierwacht/dossierwacht/access"
	"github.com/dossierwacht/dossierwacht/privacy"
)

var _ access.Store = (*Store)(nil)

// accessData is what package access keeps beside the audit trail: an
// index of the trail by subject, built lazily, and the group figures
// answered per employer (N12).
type accessData struct {
	// idxMu guards the subject index; readers hold s.mu for reading and
	// then idxMu, writers that reset it hold s.mu for writing.
	idxMu     sync.Mutex
	bySubject map[privacy.SubjectID][]int // positions in the trail
	indexed   int                         // events indexed so far

	groups map[privacy.PartyID]*groupLog
}

type groupLog struct {
	version uint64
	groups  [][]privacy.SubjectID
}

// forgetInGroups replaces the erased subject id in every employer's group
// history by one random token (rules O12, R9: an erased subject's ID is
// not kept for ever in what employers were told). The same token in
// every group keeps the cells of rule N12 as they were, so that no later
// group can single out the erased person by difference with the figures
// answered before; each changed history gets a new version, so that a
// group decided on the old one is refused as stale. The write lock is
// held.
func (s *Store) forgetInGroups(id privacy.SubjectID) {
	var token privacy.SubjectID
	for _, g := range s.access.groups {
		changed := false
		for i, m := range g.groups {
			j := slices.Index(m, id)
			if j < 0 {
				continue
			}
			if token == "" {
				var b [16]byte
				_, _ = rand.Read(b[:]) // crypto/rand.Read never fails
				token = privacy.SubjectID("erased-" + hex.EncodeToString(b[:]))
			}
			m = slices.Clone(m)
			m[j] = token
			slices.Sort(m)
			g.groups[i] = m
			changed = true
		}
		if changed {
			g.version++
		}
	}
}

// SubjectEvents implements [access.Store]: the events about one subject
// from sequence number from on, in order. The index behind it is brought up to date on each call, so
// that appending stays as fast as it can be.
func (s *Store) SubjectEvents(ctx context.Context, subject privacy.SubjectID, from uint64) iter.Seq2[privacy.Event, error] {
	return func(yield func(privacy.Event, error) bool) {
		if err := ctxErr(ctx, "subject events"); err != nil {
			yield(privacy.Event{}, err)
			return
		}
		s.mu.RLock()
		a := &s.access
		a.idxMu.Lock()
		if a.bySubject == nil {
			a.bySubject = map[privacy.SubjectID][]int{}
		}
		for ; a.indexed < s.audit.len(); a.indexed++ {
			if sub := s.audit.subjectAt(a.indexed); sub != "" {
				a.bySubject[sub] = append(a.bySubject[sub], a.indexed)
			}
		}
		idx := a.bySubject[subject]
		// Positions are sequence numbers less one, unless the trail was
		// tampered with; skip by the events' own numbers.
		events := make([]privacy.Event, 0, len(idx))
		for _, i := range idx {
			if e := s.audit.at(i); e.Seq >= from {
				events = append(events, e)
			}
		}
		a.idxMu.Unlock()
		s.mu.RUnlock()
		for _, e := range events {
			if !yield(e, nil) {
				return
			}
		}
	}
}

// GroupHistory implements [access.Store].
func (s *Store) GroupHistory(ctx context.Context, employer privacy.PartyID) (access.GroupHistory, error) {
	if err := ctxErr(ctx, "group history"); err != nil {
		return access.GroupHistory{}, err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	g := s.access.groups[employer]
	if g == nil {
		return access.GroupHistory{}, nil
	}
	h := access.GroupHistory{Version: g.version, Groups: make([][]privacy.SubjectID, len(g.groups))}
	for i, m := range g.groups {
		h.Groups[i] = slices.Clone(m)
	}
	return h, nil
}

// AddGroup implements [access.Store]: the group and its audit events land
// together, or nothing does.
func (s *Store) AddGroup(ctx context.Context, employer privacy.PartyID, version uint64, members []privacy.SubjectID, events ...privacy.Event) ([]privacy.Event, error) {
	const op = "add group"
	if err := ctxErr(ctx, op); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	g := s.access.groups[employer]
	var cur uint64
	if g != nil {
		cur = g.version
	}
	if cur != version {
		return nil, &privacy.Error{Op: "memstore: " + op, Kind: privacy.ErrConflict, Rule: privacy.N12, Msg: "the group history changed"}
	}
	// Rule N12: every member is a subject (under the same lock as its
	// erasure): an erased subject's ID never enters a history after
	// its erasure took it out of the others.
	for _, m := range members {
		if _, ok := s.subjects[m]; !ok {
			return nil, &privacy.Error{Op: "memstore: " + op, Kind: privacy.ErrNotFound, Rule: privacy.N12, Path: "members",
				Msg: "a member is not a subject"}
		}
	}
	if err := s.write(op); err != nil {
		return nil, err
	}
	if err := s.stageEvents(op, events); err != nil {
		return nil, err
	}
	if g == nil {
		if s.access.groups == nil {
			s.access.groups = map[privacy.PartyID]*groupLog{}
		}
		g = &groupLog{}
		s.access.groups[employer] = g
	}
	g.groups = append(g.groups, slices.Clone(members))
	g.version++
	return s.applyEvents(events), nil
}

// The tampering methods below break the audit trail on purpose, for the
// kit in package access/accesstest (accesstest.Tamperer) to show that
// [access.Verify] notices; a real adapter has no such methods. They change
// the trail as rows keyed by sequence number change: an event keeps its
// place by its number. After them the trail is corrupt by design:
// appending to it continues from the corrupted end.

// TamperEvent applies change to the event numbered seq in chain and
// stores the result under the same number, without re-chaining it.
func (s *Store) TamperEvent(ctx context.Context, chain privacy.SubjectID, seq uint64, change func(*privacy.Event)) error {
	return s.tamper(ctx, func(es []privacy.Event) ([]privacy.Event, bool) {
		i := eventIndex(es, chain, seq)
		if i < 0 {
			return es, false
		}
		change(&es[i])
		es[i].Seq = seq
		return es, true
	})
}

// DeleteEvent removes the event numbered seq.
func (s *Store) DeleteEvent(ctx context.Context, chain privacy.SubjectID, seq uint64) error {
	return s.tamper(ctx, func(es []privacy.Event) ([]privacy.Event, bool) {
		i := eventIndex(es, chain, seq)
		if i < 0 {
			return es, false
		}
		return slices.Delete(es, i, i+1), true
	})
}

// InsertEvent stores e under the number after+1, moving the events
// numbered after+1 or higher up by one number first.
func (s *Store) InsertEvent(ctx context.Context, chain privacy.SubjectID, after uint64, e privacy.Event) error {
	return s.tamper(ctx, func(es []privacy.Event) ([]privacy.Event, bool) {
		if after != 0 && eventIndex(es, chain, after) < 0 {
			return es, false
		}
		at := len(es)
		for i := range es {
			if es[i].Subject == chain && es[i].Seq > after {
				at = min(at, i)
				es[i].Seq++
			}
		}
		e.Seq = after + 1
		return slices.Insert(es, at, e), true
	})
}

// SwapEvents swaps the content of the events numbered a and b, each
// number staying where it was.
func (s *Store) SwapEvents(ctx context.Context, chain privacy.SubjectID, a, b uint64) error {
	return s.tamper(ctx, func(es []privacy.Event) ([]privacy.Event, bool) {
		i, j := eventIndex(es, chain, a), eventIndex(es, chain, b)
		if i < 0 || j < 0 {
			return es, false
		}
		es[i], es[j] = es[j], es[i]
		es[i].Seq, es[j].Seq = a, b
		return es, true
	})
}

func eventIndex(es []privacy.Event, chain privacy.SubjectID, seq uint64) int {
	return slices.IndexFunc(es, func(e privacy.Event) bool { return e.Subject == chain && e.Seq == seq })
}

// tamper rewrites the whole trail with change and resets the subject
// index.
func (s *Store) tamper(ctx context.Context, change func([]privacy.Event) ([]privacy.Event, bool)) error {
	if err := ctxErr(ctx, "tamper"); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	es := make([]privacy.Event, 0, s.audit.len())
	for i := range s.audit.len() {
		es = append(es, s.audit.at(i))
	}
	es, ok := change(es)
	if !ok {
		return notFound("tamper")
	}
	s.audit = auditLog{}
	for _, e := range es {
		s.audit.push(e)
	}
	s.resetIndex()
	return nil
}

// resetIndex drops the subject index after the trail was rebuilt; the
// write lock is held.
func (s *Store) resetIndex() {
	s.access.idxMu.Lock()
	s.access.bySubject, s.access.indexed = nil, 0
	s.access.idxMu.Unlock()
}
