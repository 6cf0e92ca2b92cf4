package retention_test

import (
	"fmt"
	"maps"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/dossierwacht/dossierwacht/privacy"
	"github.com/dossierwacht/dossierwacht/retention"
)

// TestAttack9 attacks the sweep's batches cut at dossier edges (rules O12,
// R9, G4): whatever the batch size and workers, a sweep ends with the
// same report (notices in the same order), the same records left and one
// proof per record gone as one sweep in a single batch.
func TestAttack9(t *testing.T) {
	t.Run("BatchEdgesSameOutcomeO12G4", func(t *testing.T) {
		for seed := range uint64(4) {
			for _, cfg := range [][2]int{{1, 1}, {2, 3}, {3, 4}, {5, 2}, {7, 8}} {
				t.Run(fmt.Sprint("seed", seed, "/batch", cfg[0], "/workers", cfg[1]), func(t *testing.T) {
					now := epoch.Add(time.Duration(3*365*24+int(seed)*500*24) * time.Hour)
					sweep := func(batch, workers int) (*world, map[privacy.RecordID]retention.Schedule, retention.Report) {
						rng := rand.New(rand.NewPCG(seed, 11))
						w := newWorld(t, rng, 40, withRules(privacy.Strict(), privacy.SelfInsurerRetention()))
						w.holdsAndErasures(t, rng, now.Add(-48*time.Hour))
						r, err := retention.New(w.store, withRules(privacy.Strict(), privacy.SelfInsurerRetention()),
							&retention.Options{BatchSize: batch, PageSize: 3, Workers: workers, Recipients: byRecordRecipients})
						if err != nil {
							t.Fatal(err)
						}
						w.r = r
						before := w.state(t, now)
						rep, err := r.Sweep(w.ctx, sweeper, now)
						if err != nil {
							t.Fatalf("Sweep batch %d workers %d: %v", batch, workers, err)
						}
						return w, before, rep
					}
					w1, _, want := sweep(10000, 1)
					wn, before, got := sweep(cfg[0], cfg[1])
					if want.Erased == 0 {
						t.Fatalf("nothing erased")
					}
					if diff := cmp.Diff(want, got); diff != "" {
						t.Errorf("report differs (-one batch +batch %d workers %d):\n%s", cfg[0], cfg[1], diff)
					}
					if diff := cmp.Diff(slices.Sorted(maps.Keys(w1.state(t, now))), slices.Sorted(maps.Keys(wn.state(t, now)))); diff != "" {
						t.Errorf("records left differ:\n%s", diff)
					}
					wn.checkProofs(t, before)
				})
			}
		}
	})
}
