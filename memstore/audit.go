package memstore

import (
	"cmp"
	"context"
	"iter"
	"maps"
	"slices"
	"time"

	"github.com/dossierwacht/dossierwacht/access"

	"github.com/dossierwacht/dossierwacht/privacy"
)

// stageEvents accounts for the row writes of appending events; call it
// before changing anything, with the write lock held.
func (s *Store) stageEvents(op string, events []privacy.Event) error {
	for range events {
		if err := s.write(op); err != nil {
			return err
		}
	}
	return nil
}

// applyEvents chains and appends events, each to the chain of its
// subject, under the store's audit key (G7); the write lock is held and
// stageEvents has passed. Other domains' atomic operations call it as
// their last step, so that an operation and its audit events land together.
func (s *Store) applyEvents(events []privacy.Event) []privacy.Event {
	out := make([]privacy.Event, len(events))
	for i, e := range events {
		h := s.audit.heads[e.Subject]
		e = e.ChainKeyed(s.key, h.seq+1, h.hash)
		s.audit.push(e)
		out[i] = e
	}
	return out
}

// AppendEvents appends events to the audit trail, all or none, and returns
// them as stored: numbered and chained.
func (s *Store) AppendEvents(ctx context.Context, events ...privacy.Event) ([]privacy.Event, error) {
	const op = "append events"
	if err := ctxErr(ctx, op); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.stageEvents(op, events); err != nil {
		return nil, err
	}
	return s.applyEvents(events), nil
}

// Events yields the audit trail in the order the events were appended,
// from the from-th on (0 and 1: the first): every chain, interleaved, each
// in its order.
func (s *Store) Events(ctx context.Context, from uint64) iter.Seq2[privacy.Event, error] {
	return func(yield func(privacy.Event, error) bool) {
		for i := int(min(max(from, 1)-1, 1<<62)); ; i++ {
			if err := ctxErr(ctx, "events"); err != nil {
				yield(privacy.Event{}, err)
				return
			}
			s.mu.RLock()
			if i >= s.audit.len() {
				s.mu.RUnlock()
				return
			}
			e := s.audit.at(i)
			s.mu.RUnlock()
			if !yield(e, nil) {
				return
			}
		}
	}
}

// AuditKey returns the key the store chains its audit events under (nil:
// unkeyed), for the verifier of the same process ([access.Guard.Verify]).
func (s *Store) AuditKey() []byte { return s.key }

// AuditHeads returns the last event of every chain of the trail: what a
// service saves as checkpoints outside the store (G7).
func (s *Store) AuditHeads(ctx context.Context) (access.Heads, error) {
	if err := ctxErr(ctx, "audit heads"); err != nil {
		return nil, err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	out := make(access.Heads, len(s.audit.heads))
	for id, h := range s.audit.heads {
		out[id] = access.Checkpoint{Seq: h.seq, Hash: h.hash}
	}
	return out, nil
}

// AuditAnchors returns the signed starting points of the chains pruned
// ([Store.PruneAudit]).
func (s *Store) AuditAnchors(ctx context.Context) (map[privacy.SubjectID]privacy.Anchor, error) {
	if err := ctxErr(ctx, "audit anchors"); err != nil {
		return nil, err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	return maps.Clone(s.anchors), nil
}

// PruneAudit deletes, from every chain, the events before the audit
// retention's end (rule N9: events are kept for their period, then go):
// in each chain, the events dated before before that lead it, up to the
// first event that is not — never an event after that one, whatever its
// date. It
// keeps, for each chain it prunes, a signed anchor of the last event it
// deleted ([privacy.Anchor], G7), so that what remains verifies from a
// point only the key could have made, and appends e, the sweep's own
// event, in the same step — only when it deletes any: a sweep with nothing
// past its period leaves the trail as it was. It returns the number of
// events deleted.
func (s *Store) PruneAudit(ctx context.Context, before time.Time, e privacy.Event) (int, error) {
	const op = "memstore: prune audit"
	if err := ctxErr(ctx, op); err != nil {
		return 0, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.stageEvents(op, []privacy.Event{e}); err != nil {
		return 0, err
	}
	// N9: only each chain's leading run of events dated before before
	// goes, up to the first event that is not: an event dated in the past
	// after recent ones (a clock set back, another instance's clock wrong)
	// must not take the recent ones with it. A chain's events stand in the
	// log in the order of their numbers.
	cut := map[privacy.SubjectID]privacy.Event{} // the last event to go, per chain
	stop := map[privacy.SubjectID]bool{}         // chains past their leading run
	for i := range s.audit.len() {
		ev := s.audit.at(i)
		switch {
		case stop[ev.Subject]:
		case !ev.Time.Before(before):
			stop[ev.Subject] = true
		case ev.Seq > cut[ev.Subject].Seq:
			cut[ev.Subject] = ev
		}
	}
	if len(cut) == 0 {
		// Nothing past its period: nothing deleted, nothing to tell.
		return 0, nil
	}
	kept := auditLog{heads: s.audit.heads}
	n := 0
	for i := range s.audit.len() {
		ev := s.audit.at(i)
		if c, ok := cut[ev.Subject]; ok && ev.Seq <= c.Seq {
			n++
			continue
		}
		kept.push(ev)
	}
	if s.anchors == nil {
		s.anchors = map[privacy.SubjectID]privacy.Anchor{}
	}
	for id, c := range cut {
		s.anchors[id] = privacy.Anchor{Subject: id, Seq: c.Seq, Hash: c.Hash}.Sign(s.key)
	}
	s.audit = kept
	s.resetIndex()
	s.applyEvents([]privacy.Event{e})
	return n, nil
}

// ChainEvents yields every chain of the trail, one after the other, each
// in the order of its numbers ([access.ChainStore]).
func (s *Store) ChainEvents(ctx context.Context) iter.Seq2[privacy.Event, error] {
	return func(yield func(privacy.Event, error) bool) {
		if err := ctxErr(ctx, "chain events"); err != nil {
			yield(privacy.Event{}, err)
			return
		}
		s.mu.RLock()
		all := make([]privacy.Event, s.audit.len())
		for i := range all {
			all[i] = s.audit.at(i)
		}
		s.mu.RUnlock()
		slices.SortStableFunc(all, func(a, b privacy.Event) int {
			return cmp.Or(cmp.Compare(a.Subject, b.Subject), cmp.Compare(a.Seq, b.Seq))
		})
		for _, e := range all {
			if !yield(e, nil) {
				return
			}
		}
	}
}

// ChainHead returns the head of one chain and its anchor if it was pruned
// ([access.ChainHeadStore], rule G7): what a subject's export hands over
// with the chain's events.
func (s *Store) ChainHead(ctx context.Context, chain privacy.SubjectID) (access.Checkpoint, privacy.Anchor, error) {
	if err := ctxErr(ctx, "chain head"); err != nil {
		return access.Checkpoint{}, privacy.Anchor{}, err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	h := s.audit.heads[chain]
	return access.Checkpoint{Seq: h.seq, Hash: h.hash}, s.anchors[chain], nil
}
