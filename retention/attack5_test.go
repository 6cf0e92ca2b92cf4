package retention_test

import (
	"context"
	"math/rand/v2"
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
}

func (s *attack5Store) EraseRecords(ctx context.Context, proofs []retention.Proof, events []privacy.Event) ([]error, error) {
	s.inFlight.Add(1)
	defer s.inFlight.Add(-1)
	time.Sleep(s.hold)
	return s.BatchStore.EraseRecords(ctx, proofs, events)
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
}
