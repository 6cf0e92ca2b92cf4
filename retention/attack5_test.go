package retention_test

import (
	"context"
	"errors"
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
		proofs := w.proofCount(t)
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

	// Rules O12, G4: a context cancelled while batches are under way
	// stops the sweep with ErrUnavailable; the report counts exactly what
	// the store committed, and a second sweep finishes the job.
	t.Run("CancelMidSweepCountsCommittedO12", func(t *testing.T) {
		now := epoch.Add(10 * 365 * 24 * time.Hour)
		w := newWorld(t, rand.New(rand.NewPCG(5, 5)), 40, privacy.Strict())
		ctx, cancel := context.WithCancel(w.ctx)
		defer cancel()
		s := &cancelStore{BatchStore: w.store, cancel: cancel, at: 5}
		r, err := retention.New(s, privacy.Strict(), &retention.Options{BatchSize: 1, Workers: 8, Recipients: byRecordRecipients})
		if err != nil {
			t.Fatal(err)
		}
		due := 0
		for _, sc := range w.state(t, now) {
			if sc.IsDue() {
				due++
			}
		}
		rep, err := r.Sweep(ctx, sweeper, now)
		if !errors.Is(err, privacy.ErrUnavailable) || !errors.Is(err, context.Canceled) {
			t.Fatalf("Sweep = %v, want ErrUnavailable with context.Canceled", err)
		}
		proofs, noticed := w.proofCount(t), 0
		for _, n := range rep.Notices {
			noticed += len(n.Records)
		}
		if rep.Erased != proofs || noticed < proofs {
			t.Errorf("report: %d erased, %d noticed; the store holds %d proofs", rep.Erased, noticed, proofs)
		}
		rep2, err := r.Sweep(w.ctx, sweeper, now)
		if err != nil || rep2.Erased+proofs != due {
			t.Errorf("second Sweep = %+v, %v; want %d erased", rep2, err, due-proofs)
		}
	})
}

// cancelStore cancels the sweep's context in its at-th EraseRecords call,
// after the store committed it.
type cancelStore struct {
	retention.BatchStore
	cancel context.CancelFunc
	at     int32
	calls  atomic.Int32
}

func (s *cancelStore) EraseRecords(ctx context.Context, proofs []retention.Proof, events []privacy.Event) ([]error, error) {
	time.Sleep(time.Millisecond)
	res, err := s.BatchStore.EraseRecords(context.WithoutCancel(ctx), proofs, events)
	if s.calls.Add(1) == s.at {
		s.cancel()
	}
	return res, err
}
