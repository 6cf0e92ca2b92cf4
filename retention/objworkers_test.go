package retention_test

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"runtime"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/dossierwacht/dossierwacht/memstore"
	"github.com/dossierwacht/dossierwacht/privacy"
	"github.com/dossierwacht/dossierwacht/retention"
)

// objectBatches makes a memstore a retention.ObjectBatchStore: each
// EraseObjects erases its items in order under a lock of its own, one
// batch at a time, as a database's transaction would. It records the
// subjects of the batches in flight, holding each a moment so that they
// overlap, and fails, panics or ends its goroutine on the n-th call.
type objectBatches struct {
	*memstore.Store
	lock                      sync.Mutex // one batch at a time in the store
	mu                        sync.Mutex // guards what follows
	inFlight                  map[privacy.SubjectID]int
	batches                   [][]privacy.SubjectID
	overlap                   []privacy.SubjectID // subjects in two batches at once
	now, most, calls, late    int
	failAt, panicAt, goexitAt int // the call, from 1; 0 never
	failed                    bool
}

var _ retention.ObjectBatchStore = (*objectBatches)(nil)

func (s *objectBatches) EraseObjects(ctx context.Context, proofs []retention.ObjectProof, events []privacy.Event) ([]error, error) {
	subs := make([]privacy.SubjectID, len(proofs))
	for i := range proofs {
		subs[i] = proofs[i].Subject
	}
	s.mu.Lock()
	if s.inFlight == nil {
		s.inFlight = map[privacy.SubjectID]int{}
	}
	s.calls++
	call := s.calls
	if s.failed {
		s.late++
	}
	s.now++
	s.most = max(s.most, s.now)
	for _, sub := range slices.Compact(slices.Clone(subs)) {
		if s.inFlight[sub] > 0 {
			s.overlap = append(s.overlap, sub)
		}
		s.inFlight[sub]++
	}
	s.batches = append(s.batches, subs)
	s.mu.Unlock()
	defer func() {
		s.mu.Lock()
		defer s.mu.Unlock()
		s.now--
		for _, sub := range slices.Compact(slices.Clone(subs)) {
			s.inFlight[sub]--
		}
	}()
	time.Sleep(time.Millisecond)
	fail := func() {
		s.mu.Lock()
		s.failed = true
		s.mu.Unlock()
	}
	switch call {
	case s.failAt:
		fail()
		return nil, errInjected
	case s.panicAt:
		fail()
		panic("the store panicked")
	case s.goexitAt:
		fail()
		runtime.Goexit()
	}
	s.lock.Lock()
	defer s.lock.Unlock()
	out := make([]error, len(proofs))
	for i := range proofs {
		out[i] = s.Store.EraseObject(ctx, proofs[i], events[i])
	}
	return out, nil
}

// objectWorld is a world whose objects are due at the time it returns:
// subjects and cases past their periods, holds standing and lifted,
// erasure requests decided (rules R9, O12, G3).
func objectWorld(t *testing.T, seed uint64) (*world, *objectBatches, time.Time) {
	t.Helper()
	rng := rand.New(rand.NewPCG(seed, 13))
	p := withRules(privacy.Strict(), privacy.SelfInsurerRetention())
	w := newWorld(t, rng, 60, p)
	placed := epoch.AddDate(4, 0, 0)
	w.holdsAndErasures(t, rng, placed)
	for i := range w.ids {
		// Lift two thirds of the holds placed; the rest stand.
		if i%3 != 0 {
			err := w.r.LiftHold(w.ctx, officer, retention.HoldID(fmt.Sprintf("h-%d", i)), "settled", placed.Add(24*time.Hour))
			if err != nil && !errors.Is(err, privacy.ErrNotFound) {
				t.Fatal(err)
			}
		}
	}
	return w, &objectBatches{Store: w.store}, epoch.AddDate(30+int(seed), 0, 0)
}

// objectsLeft is every object left of w's subjects, and their proofs.
func objectsLeft(t *testing.T, w *world) (map[privacy.SubjectID][]retention.Object, int) {
	t.Helper()
	left := map[privacy.SubjectID][]retention.Object{}
	proofs := 0
	for _, sid := range w.ids {
		objs, err := w.store.Objects(w.ctx, sid)
		if err != nil && !errors.Is(err, privacy.ErrNotFound) {
			t.Fatal(err)
		}
		left[sid] = objs
		ps, err := w.store.ObjectProofs(w.ctx, sid)
		if err != nil {
			t.Fatal(err)
		}
		proofs += len(ps)
	}
	return left, proofs
}

// TestSweepObjectWorkersSameOutcomeO12 is a property test of
// Options.Workers for the objects: on random worlds with every kind of
// object a sweep erases, deleting several batches of objects at once
// ends with what one batch after the other ends with — the same report
// (its Objects tallies), the same objects left, as many proofs (rules
// O12, R9, G3).
func TestSweepObjectWorkersSameOutcomeO12(t *testing.T) {
	for seed := range uint64(4) {
		for _, workers := range []int{2, 3, 8} {
			t.Run(fmt.Sprint("seed", seed, "/workers", workers), func(t *testing.T) {
				sweep := func(workers int) (*world, *objectBatches, retention.Report) {
					w, store, now := objectWorld(t, seed)
					r, err := retention.New(store, withRules(privacy.Strict(), privacy.SelfInsurerRetention()),
						&retention.Options{BatchSize: 3, PageSize: 4, Workers: workers})
					if err != nil {
						t.Fatal(err)
					}
					rep, err := r.Sweep(w.ctx, sweeper, now)
					if err != nil {
						t.Fatalf("Sweep with %d workers: %v", workers, err)
					}
					return w, store, rep
				}
				w1, _, want := sweep(1)
				wn, store, got := sweep(workers)
				for _, k := range []privacy.DataKind{privacy.DataSubject, privacy.DataCase, privacy.DataHold, privacy.DataErasure} {
					if want.Kind(k).Erased == 0 {
						t.Fatalf("no %s erased (%+v): the test needs every kind", k, want.Objects)
					}
				}
				if want.Kind(privacy.DataSubject).Held == 0 && want.Kind(privacy.DataCase).Held == 0 {
					t.Fatalf("nothing held (%+v): the test needs standing holds", want.Objects)
				}
				if diff := cmp.Diff(want, got); diff != "" {
					t.Errorf("report with %d workers differs from one worker's (-one +%d):\n%s", workers, workers, diff)
				}
				left1, proofs1 := objectsLeft(t, w1)
				leftN, proofsN := objectsLeft(t, wn)
				if diff := cmp.Diff(left1, leftN); diff != "" {
					t.Errorf("objects left differ (-one +%d):\n%s", workers, diff)
				}
				if proofs1 != proofsN {
					t.Errorf("%d object proofs with one worker, %d with %d", proofs1, proofsN, workers)
				}
				if store.most < 2 {
					t.Errorf("at most %d object batches at once with %d workers, want several", store.most, workers)
				}
				if store.most > workers {
					t.Errorf("%d object batches at once, more than %d workers", store.most, workers)
				}
			})
		}
	}
}

// TestSweepObjectBatchesWholeSubjectsO12 checks that a sweep's batches
// of objects hold whole subjects: a subject's objects are in two batches
// only when it has more than a batch of them, and no subject is in two
// batches under way at once — its subject item sees the deletions of
// its other objects (rules O12, G3).
func TestSweepObjectBatchesWholeSubjectsO12(t *testing.T) {
	const batch = 3
	for seed := range uint64(4) {
		t.Run(fmt.Sprint("seed", seed), func(t *testing.T) {
			w, store, now := objectWorld(t, seed)
			r, err := retention.New(store, withRules(privacy.Strict(), privacy.SelfInsurerRetention()),
				&retention.Options{BatchSize: batch, PageSize: 4, Workers: 4})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := r.Sweep(w.ctx, sweeper, now); err != nil {
				t.Fatal(err)
			}
			if len(store.overlap) > 0 {
				t.Errorf("subjects in two batches under way at once: %v", store.overlap)
			}
			in, items := map[privacy.SubjectID]int{}, map[privacy.SubjectID]int{}
			for _, b := range store.batches {
				if len(b) > batch {
					t.Errorf("a batch of %d objects, more than %d", len(b), batch)
				}
				for _, s := range slices.Compact(slices.Clone(b)) {
					in[s]++
				}
				for _, s := range b {
					items[s]++
				}
			}
			split := 0
			for s, n := range in {
				if n > 1 && items[s] <= batch {
					t.Errorf("subject %s's %d due objects, which fit in a batch of %d, are in %d batches", s, items[s], batch, n)
				}
				if n > 1 {
					split++
				}
			}
			if split == 0 || len(store.batches) < 3 || store.most < 2 {
				t.Fatalf("%d batches, at most %d at once, %d subjects split: the test needs more", len(store.batches), store.most, split)
			}
		})
	}
}

// TestSweepObjectWorkersFailO12 checks that a failure, a panic or a
// runtime.Goexit of one batch of objects stops the sweep with it: no
// batch is started after it but the few handed over meanwhile, every
// batch under way ends before Sweep returns, and the report counts what
// the store committed; a second sweep finishes the job (rule O12).
func TestSweepObjectWorkersFailO12(t *testing.T) {
	const workers = 3
	for _, tc := range []struct {
		name                      string
		failAt, panicAt, goexitAt int
	}{
		{"fails_on_the_first_batch", 1, 0, 0},
		{"fails_on_the_fifth_batch", 5, 0, 0},
		{"panics_on_the_fourth_batch", 0, 4, 0},
		{"goexits_on_the_third_batch", 0, 0, 3},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, clean, now := objectWorld(t, 1)
			r, err := retention.New(clean, withRules(privacy.Strict(), privacy.SelfInsurerRetention()), &retention.Options{BatchSize: 3, Workers: workers})
			if err != nil {
				t.Fatal(err)
			}
			want, err := r.Sweep(context.Background(), sweeper, now)
			if err != nil {
				t.Fatal(err)
			}
			w, store, _ := objectWorld(t, 1)
			store.failAt, store.panicAt, store.goexitAt = tc.failAt, tc.panicAt, tc.goexitAt
			r, err = retention.New(store, withRules(privacy.Strict(), privacy.SelfInsurerRetention()), &retention.Options{BatchSize: 3, Workers: workers})
			if err != nil {
				t.Fatal(err)
			}
			var (
				rep      retention.Report
				panicked any
				returned bool
				done     = make(chan struct{})
			)
			go func() {
				defer close(done)
				defer func() { panicked = recover() }()
				rep, err = r.Sweep(w.ctx, sweeper, now)
				returned = true
			}()
			<-done
			store.mu.Lock()
			under, late, calls := store.now, store.late, store.calls
			store.mu.Unlock()
			if under != 0 {
				t.Errorf("%d object batches still under way after Sweep returned", under)
			}
			switch {
			case tc.panicAt > 0:
				if panicked != "the store panicked" {
					t.Fatalf("Sweep's panic = %v, want the store's, raised in the caller", panicked)
				}
			case tc.goexitAt > 0:
				if returned || panicked != nil {
					t.Fatalf("Sweep returned (%v) or panicked (%v); want its goroutine ended by Goexit", returned, panicked)
				}
			default:
				if !errors.Is(err, errInjected) {
					t.Fatalf("Sweep = %v, want the injected failure", err)
				}
			}
			if late > workers-1 {
				t.Errorf("%d batches started after the failure, want at most %d", late, workers-1)
			}
			if all := len(clean.batches); calls >= all {
				t.Errorf("%d batches started, as many as the whole sweep has (%d): the failure did not stop it", calls, all)
			}
			_, proofs := objectsLeft(t, w)
			erased := 0
			for _, k := range rep.Objects {
				erased += k.Erased
			}
			if tc.failAt > 0 && erased != proofs {
				t.Errorf("the report says %d objects erased, the store holds %d proofs", erased, proofs)
			}
			store.failAt, store.panicAt, store.goexitAt = 0, 0, 0
			rep2, err := r.Sweep(w.ctx, sweeper, now)
			if err != nil {
				t.Fatalf("second Sweep: %v", err)
			}
			_, proofs2 := objectsLeft(t, w)
			_, wantProofs := objectsLeft(t, &world{ctx: w.ctx, store: clean.Store, ids: w.ids})
			if proofs2 != wantProofs {
				t.Errorf("after two sweeps %d object proofs, one clean sweep leaves %d (%+v, then %+v; clean %+v)",
					proofs2, wantProofs, rep.Objects, rep2.Objects, want.Objects)
			}
		})
	}
}
