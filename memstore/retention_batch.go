package memstore

import (
	"context"

	"github.com/dossierwacht/dossierwacht/privacy"
	"github.com/dossierwacht/dossierwacht/retention"
)

var _ retention.BatchStore = (*Store)(nil)

// EraseRecords implements [retention.BatchStore]: every item checked as
// [Store.EraseRecord] checks it, then the deletions, proofs and audit
// events of those that passed, in one step under the write lock.
func (s *Store) EraseRecords(ctx context.Context, proofs []retention.Proof, events []privacy.Event) ([]error, error) {
	const op = "erase records"
	if err := ctxErr(ctx, op); err != nil {
		return nil, err
	}
	if len(proofs) != len(events) {
		return nil, &privacy.Error{Op: "memstore: " + op, Kind: privacy.ErrInvalid, Msg: "one event per proof"}
	}
	seen := make(map[privacy.RecordID]bool, len(proofs))
	for i := range proofs {
		if seen[proofs[i].Record] {
			return nil, &privacy.Error{Op: "memstore: " + op, Kind: privacy.ErrInvalid, Path: "proofs", Msg: "a record named twice"}
		}
		seen[proofs[i].Record] = true
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	results := make([]error, len(proofs))
	var ok []int
	var evs []privacy.Event
	for i := range proofs {
		if results[i] = s.checkErase(op, &proofs[i]); results[i] == nil {
			ok = append(ok, i)
			evs = append(evs, events[i])
		}
	}
	// Stage: per item the deletion and the proof, then the events.
	for range ok {
		if err := s.write(op); err != nil {
			return nil, err
		}
		if err := s.write(op); err != nil {
			return nil, err
		}
	}
	if err := s.stageEvents(op, evs); err != nil {
		return nil, err
	}
	for _, i := range ok {
		s.applyErase(&proofs[i])
	}
	s.applyEvents(evs)
	return results, nil
}
