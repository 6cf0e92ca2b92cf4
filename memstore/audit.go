package memstore

import (
	"context"
	"iter"

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

// applyEvents chains and appends events; the write lock is held and
// stageEvents has passed. Other domains' atomic operations call it as
// their last step, so that an operation and its audit events land together.
func (s *Store) applyEvents(events []privacy.Event) []privacy.Event {
	out := make([]privacy.Event, len(events))
	prev := s.audit.last
	for i, e := range events {
		e = e.Chain(uint64(s.audit.len())+1, prev)
		s.audit.push(e)
		out[i] = e
		prev = e.Hash
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

// Events yields the audit trail from sequence number from on (1 is the
// first event), in order.
func (s *Store) Events(ctx context.Context, from uint64) iter.Seq2[privacy.Event, error] {
	return func(yield func(privacy.Event, error) bool) {
		if from == 0 {
			from = 1
		}
		for i := from - 1; ; i++ {
			if err := ctxErr(ctx, "events"); err != nil {
				yield(privacy.Event{}, err)
				return
			}
			s.mu.RLock()
			if i >= uint64(s.audit.len()) {
				s.mu.RUnlock()
				return
			}
			e := s.audit.at(int(i))
			s.mu.RUnlock()
			if !yield(e, nil) {
				return
			}
		}
	}
}
