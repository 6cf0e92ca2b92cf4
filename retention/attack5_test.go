package retention_test

import (
	"context"
	"math/rand/v2"
	"runtime"
	"slices"
	"sync/atomic"
	"testing"
	"time"

	"github.com/dossierwacht/dossierwacht/privacy"
	"github.com/dossierwacht/dossierwacht/retention"
)

// attack5Store holds each EraseRecords a while, so that batches are under
// way, counts those in flight and those still running after Sweep gave
// up, and panics in Candidates on the panicPage-th page.
type attack5Store struct {
	retention.BatchStore
	inFlight  atomic.Int32
	pages     atomic.Int32
	panicPage int32
	hold      time.Duration
	// exitAt is the EraseRecords call, from 1, that commits and then
	// ends its goroutine with runtime.Goexit (as t.FailNow does); 0 never.
	exitAt int32
	calls  atomic.Int32
}

func (s *attack5Store) EraseRecords(ctx context.Context, proofs []retention.Proof, events []privacy.Event) ([]error, error) {
	s.inFlight.Add(1)
	defer s.inFlight.Add(-1)
	time.Sleep(s.hold)
	res, err := s.BatchStore.EraseRecords(ctx, proofs, events)
	if s.calls.Add(1) == s.exitAt {
		runtime.Goexit()
	}
	return res, err
}

func (s *attack5Store) Candidates(ctx context.Context, q retention.Query) ([]retention.Dossier, error) {
	if s.pages.Add(1) == s.panicPage {
		panic("the reader panicked")
	}
	return s.BatchStore.Candidates(ctx, q)
}

func TestAttack5(t *testing.T) {
	// Rule O12: a sweep's deletions are its own. A panic raised in the
	// sweep's goroutine (the store's reader, re-raised there) while
	// batches are under way with workers must not leave those batches
	// calling the store after Sweep is gone: "no call to the store
	// outlives Sweep", as with one worker.
	t.Run("ReaderPanicWaitsForBatchesO12", func(t *testing.T) {
		now := epoch.Add(10 * 365 * 24 * time.Hour)
		w := newWorld(t, rand.New(rand.NewPCG(9, 9)), 60, privacy.Strict())
		s := &attack5Store{BatchStore: w.store, panicPage: 4, hold: 50 * time.Millisecond}
		r, err := retention.New(s, privacy.Strict(), &retention.Options{BatchSize: 1, PageSize: 2, Workers: 64})
		if err != nil {
			t.Fatal(err)
		}
		var panicked any
		func() {
			defer func() { panicked = recover() }()
			_, _ = r.Sweep(w.ctx, sweeper, now)
		}()
		n := s.inFlight.Load()
		if panicked != "the reader panicked" {
			t.Fatalf("Sweep's panic = %v, want the reader's", panicked)
		}
		if n != 0 {
			t.Errorf("%d deletions still under way after Sweep panicked: a call to the store outlived Sweep", n)
		}
		// Let stray batches end before the world goes.
		time.Sleep(100 * time.Millisecond)
	})

	// Rules G4, O12: a batch whose store call never answers (it ended its
	// goroutine with runtime.Goexit, as t.FailNow does, after it
	// committed) must not vanish from the sweep. With one worker the
	// Goexit ends the caller's goroutine and Sweep never returns; with
	// workers Sweep must not return success with the batch's deletions
	// uncounted and their recipients untold.
	t.Run("GoexitInBatchNotLostG4", func(t *testing.T) {
		now := epoch.Add(10 * 365 * 24 * time.Hour)
		w := newWorld(t, rand.New(rand.NewPCG(9, 9)), 20, privacy.Strict())
		s := &attack5Store{BatchStore: w.store, exitAt: 2}
		r, err := retention.New(s, privacy.Strict(), &retention.Options{BatchSize: 2, Workers: 3, Recipients: byRecordRecipients})
		if err != nil {
			t.Fatal(err)
		}
		var (
			rep      retention.Report
			returned bool
		)
		done := make(chan struct{})
		go func() {
			defer close(done)
			rep, err = r.Sweep(w.ctx, sweeper, now)
			returned = true
		}()
		<-done
		if n := s.inFlight.Load(); n != 0 {
			t.Errorf("%d deletions still under way after Sweep ended", n)
		}
		if !returned || err != nil {
			return // it ended as one worker does, or said it failed
		}
		proofs := 0
		for _, sid := range w.ids {
			ps, err := w.r.Proofs(w.ctx, sid)
			if err != nil {
				t.Fatal(err)
			}
			proofs += len(ps)
		}
		t.Errorf("Sweep succeeded though a batch never answered: %d erased reported, %d proofs stored", rep.Erased, proofs)
	})

	// Rule G4: Recipients was called from the sweep's goroutine, one
	// batch after another, and its documentation asks nothing more; the
	// kit's own hooks (testHoldDuringSweep) keep plain variables. With
	// workers it must still be called so: one call at a time, in the
	// order of the batches, as with one worker.
	t.Run("RecipientsOneAtATimeInOrderG4", func(t *testing.T) {
		now := epoch.Add(10 * 365 * 24 * time.Hour)
		order := func(workers int) []privacy.RecordID {
			w := newWorld(t, rand.New(rand.NewPCG(3, 3)), 20, privacy.Strict())
			var (
				seen    []privacy.RecordID // no lock: the contract is one call at a time
				calling atomic.Int32
				overlap atomic.Bool
			)
			hook := retention.RecipientsFunc(func(ctx context.Context, recs []retention.Schedule) (map[privacy.RecordID][]retention.Recipient, error) {
				if calling.Add(1) > 1 {
					overlap.Store(true)
				}
				defer calling.Add(-1)
				time.Sleep(time.Millisecond)
				seen = append(seen, recs[0].Record)
				return byRecordRecipients(ctx, recs)
			})
			s := &attack5Store{BatchStore: w.store, hold: time.Millisecond}
			r, err := retention.New(s, privacy.Strict(), &retention.Options{BatchSize: 1, PageSize: 3, Workers: workers, Recipients: hook})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := r.Sweep(w.ctx, sweeper, now); err != nil {
				t.Fatal(err)
			}
			if overlap.Load() {
				t.Errorf("%d workers: Recipients called while another call was under way", workers)
			}
			return seen
		}
		want := order(1)
		if len(want) < 4 {
			t.Fatalf("%d batches: the test needs more", len(want))
		}
		if got := order(4); !slices.Equal(got, want) {
			t.Errorf("Recipients saw the batches in another order with 4 workers:\n%v\nwant\n%v", got, want)
		}
	})
}
