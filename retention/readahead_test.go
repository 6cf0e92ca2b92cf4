package retention_test

import (
	"context"
	"errors"
	"math/rand/v2"
	"sync/atomic"
	"testing"
	"time"

	"github.com/dossierwacht/dossierwacht/privacy"
	"github.com/dossierwacht/dossierwacht/retention"
)

// watchedStore counts the Candidates calls in flight and lets a test make
// the n-th Candidates call or the first EraseRecords batch fail.
type watchedStore struct {
	retention.BatchStore
	inFlight, calls  atomic.Int32
	failCandidatesAt int32 // the call that fails, from 1; 0 never
	failErase        bool
}

var errInjected = errors.New("injected failure")

func (s *watchedStore) Candidates(ctx context.Context, q retention.Query) ([]retention.Dossier, error) {
	s.inFlight.Add(1)
	defer s.inFlight.Add(-1)
	time.Sleep(time.Millisecond) // a round trip: the read-ahead has time to overlap
	if n := s.calls.Add(1); n == s.failCandidatesAt {
		return nil, errInjected
	}
	return s.BatchStore.Candidates(ctx, q)
}

func (s *watchedStore) EraseRecords(ctx context.Context, proofs []retention.Proof, events []privacy.Event) ([]error, error) {
	if s.failErase {
		return nil, errInjected
	}
	return s.BatchStore.EraseRecords(ctx, proofs, events)
}

// TestSweepReadsAhead checks the sweep that reads its next page while it
// deletes: a failure on either side stops it with that failure, what it
// did is reported and proven, and no read of the store outlives it.
func TestSweepReadsAhead(t *testing.T) {
	now := epoch.Add(10 * 365 * 24 * time.Hour)
	for _, tc := range []struct {
		name             string
		failCandidatesAt int32
		failErase        bool
		wantErr          error
	}{
		{"completes", 0, false, nil},
		{"read_fails_on_the_third_page", 3, false, errInjected},
		{"read_fails_on_the_first_page", 1, false, errInjected},
		{"deletion_fails", 0, true, errInjected},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w := newWorld(t, rand.New(rand.NewPCG(7, 11)), 40, privacy.Strict())
			before := w.state(t, now)
			due := 0
			for _, s := range before {
				if s.IsDue() {
					due++
				}
			}
			ws := &watchedStore{BatchStore: w.store, failCandidatesAt: tc.failCandidatesAt, failErase: tc.failErase}
			r, err := retention.New(ws, privacy.Strict(), &retention.Options{BatchSize: 7, PageSize: 5})
			if err != nil {
				t.Fatal(err)
			}
			rep, err := r.Sweep(w.ctx, sweeper, now)
			if n := ws.inFlight.Load(); n != 0 {
				t.Errorf("%d Candidates calls still running after Sweep returned", n)
			}
			if !errors.Is(err, tc.wantErr) {
				t.Fatalf("Sweep = %v, want %v", err, tc.wantErr)
			}
			if tc.wantErr == nil && rep.Erased != due {
				t.Errorf("erased %d, want every due record (%d)", rep.Erased, due)
			}
			if tc.wantErr != nil && rep.Erased >= due {
				t.Errorf("erased %d of %d despite the failure", rep.Erased, due)
			}
			// Whatever was erased has its proof; run again, the rest goes.
			w.checkProofs(t, before)
			again, err := w.r.Sweep(w.ctx, sweeper, now)
			if err != nil || rep.Erased+again.Erased != due {
				t.Errorf("second sweep = %+v, %v; want the other %d erased", again, err, due-rep.Erased)
			}
		})
	}
}
