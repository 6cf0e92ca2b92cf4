package pgstore_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/dossierwacht/dossierwacht/access"
	"github.com/dossierwacht/dossierwacht/examples/pgstore"
	"github.com/dossierwacht/dossierwacht/privacy"
	"github.com/jackc/pgx/v5"
)

// TestPruneAuditConcurrentN9: two or more pruning runs at once (two sweeps
// past the audit retention, N9) each read the chains' cuts before they
// take the chains' locks; the one that comes second finds a chain pruned
// up to its cut already. That is nothing left to do, not a trail that
// was tampered with: every run succeeds, each old event goes once, and
// the chains verify from their anchors (G7). Before migration 0067 the
// second run failed with "prune_chain: event … is not there" (SQLSTATE
// DWG07, ErrForbidden), which stopped its sweep.
func TestPruneAuditConcurrentN9(t *testing.T) {
	ctx := context.Background()
	pool := pgstore.PoolForTest(t, pgx.QueryExecModeCacheDescribe)
	key := []byte("the test's audit key")
	s := pgstore.NewForTest(t, pool, &pgstore.Options{AuditKey: key})
	old := time.Date(2015, 3, 2, 9, 0, 0, 0, time.UTC)
	const chains, perChain = 40, 5
	for i := range chains {
		for j := range perChain {
			if _, err := s.AppendEvents(ctx, privacy.Event{Time: old.Add(time.Duration(j) * time.Minute), Principal: "p",
				Subject: privacy.SubjectID(fmt.Sprintf("s-%03d", i)), Action: privacy.EventRead}); err != nil {
				t.Fatal(err)
			}
		}
	}
	before := old.AddDate(5, 0, 0)
	now := before.Add(time.Hour)
	const runs = 4
	var wg sync.WaitGroup
	pruned := make([]int, runs)
	errs := make([]error, runs)
	for r := range runs {
		wg.Go(func() {
			pruned[r], errs[r] = s.PruneAudit(ctx, before, privacy.Event{Time: now, Principal: "retention-job",
				Role: privacy.RolePrivacyOfficer, Action: privacy.EventDelete, Rule: privacy.N9, Object: "audit-trail"})
		})
	}
	wg.Wait()
	total := 0
	for r := range runs {
		if errs[r] != nil {
			t.Errorf("pruning run %d of %d at once: %v", r, runs, errs[r])
		}
		total += pruned[r]
	}
	if total != chains*perChain {
		t.Errorf("the runs pruned %d events together, want each of the %d old ones once", total, chains*perChain)
	}
	anchors, err := s.AuditAnchors(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(anchors) != chains {
		t.Errorf("%d chains anchored, want %d", len(anchors), chains)
	}
	if _, err := access.VerifyChains(s.ChainEvents(ctx), access.VerifyOptions{Key: key, Anchors: anchors}); err != nil {
		t.Errorf("the chains do not verify after the runs: %v", err)
	}
}
