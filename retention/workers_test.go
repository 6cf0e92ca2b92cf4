package retention_test

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"math/rand/v2"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/dossierwacht/dossierwacht/privacy"
	"github.com/dossierwacht/dossierwacht/retention"
)

// byRecordRecipients says each record was given to one or two recipients
// chosen by its ID, so that a sweep has notices to merge (rule G4).
var byRecordRecipients = retention.RecipientsFunc(func(_ context.Context, recs []retention.Schedule) (map[privacy.RecordID][]retention.Recipient, error) {
	out := map[privacy.RecordID][]retention.Recipient{}
	for _, s := range recs {
		h := 0
		for _, c := range s.Record {
			h = h*31 + int(c)
		}
		out[s.Record] = []retention.Recipient{{Kind: privacy.PartyEmployer, Party: privacy.PartyID(fmt.Sprint("employer-", h%3))}}
		if h%5 == 0 {
			out[s.Record] = append(out[s.Record], retention.Recipient{Kind: privacy.PartyInsurer, Party: "insurer-1"})
		}
	}
	return out, nil
})

// TestSweepWorkersSameOutcomeO12G4 is a property test of Options.Workers: on
// random worlds, a sweep that deletes several batches at once ends with
// what the same sweep one batch after the other ends with: the same
// report (its notices in the same order, rule G4), the same records
// left, one proof and one delete event per record gone (rules O12, G3,
// G7).
func TestSweepWorkersSameOutcomeO12G4(t *testing.T) {
	for seed := range uint64(4) {
		for _, workers := range []int{2, 3, 8} {
			t.Run(fmt.Sprint("seed", seed, "/workers", workers), func(t *testing.T) {
				now := epoch.Add(time.Duration(3*365*24+int(seed)*500*24) * time.Hour)
				sweep := func(workers int) (*world, map[privacy.RecordID]retention.Schedule, retention.Report) {
					rng := rand.New(rand.NewPCG(seed, 7))
					w := newWorld(t, rng, 50, withRules(privacy.Strict(), privacy.SelfInsurerRetention()))
					w.holdsAndErasures(t, rng, now.Add(-48*time.Hour))
					r, err := retention.New(w.store, withRules(privacy.Strict(), privacy.SelfInsurerRetention()),
						&retention.Options{BatchSize: 3, PageSize: 4, Workers: workers, Recipients: byRecordRecipients})
					if err != nil {
						t.Fatal(err)
					}
					w.r = r
					before := w.state(t, now)
					rep, err := r.Sweep(w.ctx, sweeper, now)
					if err != nil {
						t.Fatalf("Sweep with %d workers: %v", workers, err)
					}
					return w, before, rep
				}
				w1, before, want := sweep(1)
				wn, _, got := sweep(workers)
				if want.Erased == 0 || len(want.Notices) == 0 {
					t.Fatalf("nothing erased or no notices (%+v): the test needs both", want)
				}
				if diff := cmp.Diff(want, got); diff != "" {
					t.Errorf("report with %d workers differs from one worker's (-one +%d):\n%s", workers, workers, diff)
				}
				if diff := cmp.Diff(slices.Sorted(maps.Keys(w1.state(t, now))), slices.Sorted(maps.Keys(wn.state(t, now)))); diff != "" {
					t.Errorf("records left differ (-one +%d):\n%s", workers, diff)
				}
				wn.checkProofs(t, before)
			})
		}
	}
}

// gatedStore counts the EraseRecords calls in flight, holds each a
// moment so that they can overlap, and fails or panics on the n-th.
type gatedStore struct {
	retention.BatchStore
	inFlight, most, calls atomic.Int32
	failAt, panicAt       int32 // the call that fails or panics, from 1; 0 never
	failed                atomic.Bool
	late                  atomic.Int32 // calls started after the failure
}

func (s *gatedStore) EraseRecords(ctx context.Context, proofs []retention.Proof, events []privacy.Event) ([]error, error) {
	n := s.inFlight.Add(1)
	defer s.inFlight.Add(-1)
	for {
		m := s.most.Load()
		if n <= m || s.most.CompareAndSwap(m, n) {
			break
		}
	}
	call := s.calls.Add(1)
	if s.failed.Load() {
		s.late.Add(1)
	}
	time.Sleep(2 * time.Millisecond)
	switch call {
	case s.failAt:
		s.failed.Store(true)
		return nil, errInjected
	case s.panicAt:
		s.failed.Store(true)
		panic("the store panicked")
	}
	return s.BatchStore.EraseRecords(ctx, proofs, events)
}

// TestSweepWorkersO12 checks how many batches a sweep deletes at once, and
// that a failure or a panic of one batch stops the sweep with it: no
// batch is started after it, every batch under way ends before Sweep
// returns, and the report counts exactly what the store committed, each
// with its proof; a second sweep finishes the job.
func TestSweepWorkersO12(t *testing.T) {
	now := epoch.Add(10 * 365 * 24 * time.Hour)
	for _, tc := range []struct {
		name            string
		workers         int
		failAt, panicAt int32
	}{
		{"one_worker", 1, 0, 0},
		{"four_workers", 4, 0, 0},
		{"fails_on_the_fifth_batch", 4, 5, 0},
		{"fails_on_the_first_batch", 3, 1, 0},
		{"panics_on_the_third_batch", 3, 0, 3},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w := newWorld(t, rand.New(rand.NewPCG(9, 9)), 60, privacy.Strict())
			gs := &gatedStore{BatchStore: w.store, failAt: tc.failAt, panicAt: tc.panicAt}
			r, err := retention.New(gs, privacy.Strict(), &retention.Options{BatchSize: 4, PageSize: 6, Workers: tc.workers})
			if err != nil {
				t.Fatal(err)
			}
			before := w.state(t, now)
			due := 0
			for _, s := range before {
				if s.IsDue() {
					due++
				}
			}
			var rep retention.Report
			var panicked any
			func() {
				defer func() { panicked = recover() }()
				rep, err = r.Sweep(w.ctx, sweeper, now)
			}()
			if n := gs.inFlight.Load(); n != 0 {
				t.Errorf("%d deletions still under way after Sweep returned", n)
			}
			if most := gs.most.Load(); most > int32(tc.workers) || tc.failAt == 0 && tc.panicAt == 0 && most != int32(tc.workers) {
				t.Errorf("at most %d batches at once, want %d", most, tc.workers)
			}
			switch {
			case tc.panicAt > 0:
				if panicked != "the store panicked" {
					t.Fatalf("Sweep's panic = %v, want the store's, raised in the caller", panicked)
				}
			case tc.failAt > 0:
				if !errors.Is(err, errInjected) {
					t.Fatalf("Sweep = %v, want the injected failure", err)
				}
			default:
				if err != nil || rep.Erased != due {
					t.Fatalf("Sweep = %+v, %v; want %d erased", rep, err, due)
				}
			}
			if tc.failAt > 0 || tc.panicAt > 0 {
				// No batch starts once the failure is seen: only one
				// handed over in the moment between the store's answer
				// and the eraser's look at it, while another batch ended.
				if late := gs.late.Load(); late > int32(tc.workers)-1 {
					t.Errorf("%d batches started after the failure, want at most %d", late, tc.workers-1)
				}
				if c, all := gs.calls.Load(), int32((due+3)/4); c >= all {
					t.Errorf("%d batches started, as many as the whole sweep has (%d): the failure did not stop it", c, all)
				}
				proofs := w.proofCount(t)
				if tc.failAt > 0 && rep.Erased != proofs {
					t.Errorf("the report says %d erased, the store holds %d proofs", rep.Erased, proofs)
				}
				gs.failAt, gs.panicAt = 0, 0
				rep2, err := r.Sweep(w.ctx, sweeper, now)
				if err != nil || rep2.Erased != due-proofs {
					t.Fatalf("second Sweep = %+v, %v; want %d erased", rep2, err, due-proofs)
				}
			}
			w.checkProofs(t, before)
		})
	}
}

// TestSweepWorkersRefusedO12 checks that a negative number of workers is
// refused as invalid.
func TestSweepWorkersRefusedO12(t *testing.T) {
	w := newWorld(t, rand.New(rand.NewPCG(1, 1)), 1, privacy.Strict())
	if _, err := retention.New(w.store, privacy.Strict(), &retention.Options{Workers: -1}); !errors.Is(err, privacy.ErrInvalid) {
		t.Errorf("Workers -1: %v, want ErrInvalid", err)
	}
}

// batchLog is a store that records the subjects of each batch of records
// it is asked to erase.
type batchLog struct {
	retention.BatchStore
	mu      sync.Mutex
	batches [][]privacy.SubjectID
}

func (s *batchLog) EraseRecords(ctx context.Context, proofs []retention.Proof, events []privacy.Event) ([]error, error) {
	subs := make([]privacy.SubjectID, len(proofs))
	for i := range proofs {
		subs[i] = proofs[i].Subject
	}
	s.mu.Lock()
	s.batches = append(s.batches, subs)
	s.mu.Unlock()
	return s.BatchStore.EraseRecords(ctx, proofs, events)
}

// TestSweepBatchesEndAtDossierEdgesO12 checks that a sweep's batches of
// records end at a dossier's edge whenever the dossier fits in a batch: a
// subject in two batches makes the second wait in the store for the whole
// of the first (both lock the subject), and batches deleted at once
// (Workers) then run one after the other. Only a subject with more due
// records than a batch is split (rule O12: the sweep as a whole).
func TestSweepBatchesEndAtDossierEdgesO12(t *testing.T) {
	const batch = 5
	for seed := range uint64(4) {
		t.Run(fmt.Sprint("seed", seed), func(t *testing.T) {
			now := epoch.AddDate(8+int(seed), 0, 0)
			rng := rand.New(rand.NewPCG(seed, 11))
			p := withRules(privacy.Strict(), privacy.SelfInsurerRetention())
			w := newWorld(t, rng, 60, p)
			log := &batchLog{BatchStore: w.store}
			r, err := retention.New(log, p, &retention.Options{BatchSize: batch, PageSize: 7, Workers: 2})
			if err != nil {
				t.Fatal(err)
			}
			rep, err := r.Sweep(w.ctx, sweeper, now)
			if err != nil {
				t.Fatal(err)
			}
			in := map[privacy.SubjectID]int{}     // batches a subject is in
			erased := map[privacy.SubjectID]int{} // its records erased
			for _, b := range log.batches {
				if len(b) > batch {
					t.Errorf("a batch of %d records, more than %d", len(b), batch)
				}
				for _, s := range slices.Compact(slices.Clone(b)) {
					in[s]++
				}
				for _, s := range b {
					erased[s]++
				}
			}
			split := 0
			for s, n := range in {
				if n > 1 && erased[s] <= batch {
					t.Errorf("subject %s's %d due records, which fit in a batch of %d, are in %d batches", s, erased[s], batch, n)
				}
				if n > 1 {
					split++
				}
			}
			if rep.Erased == 0 || len(log.batches) < 3 {
				t.Fatalf("%d records erased in %d batches: the test needs several", rep.Erased, len(log.batches))
			}
			t.Logf("%d records in %d batches; %d subjects larger than a batch split", rep.Erased, len(log.batches), split)
		})
	}
}
