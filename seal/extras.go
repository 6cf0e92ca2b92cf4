package seal

import (
	"context"

	"github.com/dossierwacht/dossierwacht/privacy"
	"github.com/dossierwacht/dossierwacht/retention"
)

// The optional extras of a Backend that the layers above look for with a
// type assertion, passed through so that sealing takes none away.

var _ retention.BatchStore = (*Store)(nil)

// EraseRecords implements retention.BatchStore: a sweep's deletions carry
// no content, so they go to the Backend as they are. A Backend without
// batch deletions gets one EraseRecord per item: each item is then atomic
// by itself (the record, its proof and its event), and a storage failure
// halfway leaves the items before it done — each with its proof, so that
// the sweep, run again, passes them by (ErrExists) — instead of none.
func (s *Store) EraseRecords(ctx context.Context, proofs []retention.Proof, events []privacy.Event) ([]error, error) {
	if bs, ok := s.Backend.(retention.BatchStore); ok {
		return bs.EraseRecords(ctx, proofs, events)
	}
	const op = "seal: erase records"
	if len(proofs) != len(events) {
		return nil, &privacy.Error{Op: op, Kind: privacy.ErrInvalid, Msg: "one event per proof"}
	}
	seen := make(map[privacy.RecordID]bool, len(proofs))
	for _, p := range proofs {
		if seen[p.Record] {
			return nil, &privacy.Error{Op: op, Kind: privacy.ErrInvalid, Msg: "record " + string(p.Record) + " named twice"}
		}
		seen[p.Record] = true
	}
	results := make([]error, len(proofs))
	for i := range proofs {
		results[i] = s.Backend.EraseRecord(ctx, proofs[i], events[i])
	}
	return results, nil
}

// Ping reports whether the Backend is reachable, if it can say (the front
// door's health check); otherwise it is taken to be.
func (s *Store) Ping(ctx context.Context) error {
	if p, ok := s.Backend.(interface{ Ping(context.Context) error }); ok {
		return p.Ping(ctx)
	}
	return nil
}
