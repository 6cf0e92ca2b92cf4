package retention_test

import (
	"context"
	"errors"
	"math/rand/v2"
	"sync"
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

// pagedStore remembers the pages Candidates returned, in order, and at
// every EraseRecords how many pages had been read ahead of the one the
// batch comes from.
type pagedStore struct {
	retention.BatchStore
	mu      sync.Mutex
	pageOf  map[privacy.SubjectID]int
	read    int
	ahead   int // the most pages read beyond the batch's own page
	panicAt int // the Candidates call that panics, from 1; 0 never
}

func (s *pagedStore) Candidates(ctx context.Context, q retention.Query) ([]retention.Dossier, error) {
	page, err := s.BatchStore.Candidates(ctx, q)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.read++
	if s.read == s.panicAt {
		panic("store failure")
	}
	for _, d := range page {
		s.pageOf[d.Subject.ID] = s.read
	}
	return page, err
}

func (s *pagedStore) EraseRecords(ctx context.Context, proofs []retention.Proof, events []privacy.Event) ([]error, error) {
	s.mu.Lock()
	if n := s.read - s.pageOf[proofs[0].Subject]; n > s.ahead {
		s.ahead = n
	}
	s.mu.Unlock()
	time.Sleep(100 * time.Microsecond) // a round trip: the reader has time to run ahead if it may
	return s.BatchStore.EraseRecords(ctx, proofs, events)
}

// TestSweepReadsOnePageAhead checks how far the read-ahead goes: while a
// batch of one page's records is deleted, at most the next page has been
// read (the further ahead, the staler a page is when it is swept); and a
// panic in the store's reader reaches Sweep's caller.
func TestSweepReadsOnePageAhead(t *testing.T) {
	now := epoch.Add(10 * 365 * 24 * time.Hour)
	w := newWorld(t, rand.New(rand.NewPCG(3, 5)), 30, privacy.Strict())
	ps := &pagedStore{BatchStore: w.store, pageOf: map[privacy.SubjectID]int{}}
	r, err := retention.New(ps, privacy.Strict(), &retention.Options{BatchSize: 1, PageSize: 1})
	if err != nil {
		t.Fatal(err)
	}
	rep, err := r.Sweep(w.ctx, sweeper, now)
	if err != nil || rep.Erased == 0 {
		t.Fatalf("Sweep = %+v, %v", rep, err)
	}
	if ps.ahead != 1 {
		t.Errorf("pages read beyond the one being swept: at most %d, want 1", ps.ahead)
	}

	w = newWorld(t, rand.New(rand.NewPCG(3, 5)), 30, privacy.Strict())
	ps = &pagedStore{BatchStore: w.store, pageOf: map[privacy.SubjectID]int{}, panicAt: 4}
	r, err = retention.New(ps, privacy.Strict(), &retention.Options{BatchSize: 1, PageSize: 1})
	if err != nil {
		t.Fatal(err)
	}
	defer func() {
		if v := recover(); v != "store failure" {
			t.Errorf("Sweep's caller recovered %v, want the store's panic", v)
		}
	}()
	_, _ = r.Sweep(w.ctx, sweeper, now)
	t.Error("Sweep returned after the store panicked")
}
