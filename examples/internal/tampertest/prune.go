package tampertest

import (
	"context"
	"testing"
	"time"

	"github.com/dossierwacht/dossierwacht/access"
	"github.com/dossierwacht/dossierwacht/privacy"
)

// RunPruneLeadingRun checks rule N9 on an adapter's PruneAudit: it takes
// only each chain's leading run of events dated before the cut, up to
// the first event that is not; an event dated in the past after recent
// ones (a clock set back, another instance's clock wrong) never takes the
// recent ones with it, and what is left verifies from its anchor. open is
// as for [Run]; the DB is not used.
func RunPruneLeadingRun(t *testing.T, open func(t *testing.T, key []byte) (Store, DB)) {
	const cut = 10 // seconds after t0; events at smaller offsets are past their period
	for _, tc := range []struct {
		name   string
		times  []int // offsets of chain s-1's events, in the order of their numbers
		pruned int   // events that go: the leading run before cut
	}{
		{"all_old", []int{1, 2, 3}, 3},
		{"all_recent", []int{20, 21}, 0},
		{"old_event_after_recent_ones", []int{1, 20, 21, 2}, 1},
		{"recent_first", []int{20, 1, 2}, 0},
		{"old_run_then_recent_then_old", []int{1, 2, 20, 3, 21}, 2},
		{"equal_to_cut_is_kept", []int{1, cut, 2}, 1},
	} {
		t.Run("N9_"+tc.name, func(t *testing.T) {
			ctx := context.Background()
			key := []byte("the key the database does not hold")
			s, _ := open(t, key)
			g, err := access.New(s, nil, &access.Options{Policy: privacy.Strict()})
			if err != nil {
				t.Fatal(err)
			}
			for _, off := range tc.times {
				e := privacy.Event{Time: t0.Add(time.Duration(off) * time.Second), Principal: "cm-1", Role: privacy.RoleCaseManager,
					Subject: chain, Object: "r-1", Action: privacy.EventRead, Outcome: privacy.OutcomeAllowed, Rule: privacy.R7, Policy: "1.0.0"}
				other := e
				other.Subject = "s-2" // a chain beside it, all old or all recent alike
				if _, err := s.AppendEvents(ctx, e, other); err != nil {
					t.Fatal(err)
				}
			}
			heads, err := g.Verify(ctx, nil)
			if err != nil {
				t.Fatal(err)
			}
			sweep := privacy.Event{Time: t0.Add(time.Hour), Principal: "officer-1", Role: privacy.RolePrivacyOfficer,
				Object: "audit-trail", Action: privacy.EventDelete, Outcome: privacy.OutcomeAllowed, Rule: privacy.N9, Policy: "1.0.0"}
			n, err := s.PruneAudit(ctx, t0.Add(cut*time.Second), sweep)
			if err != nil || n != 2*tc.pruned {
				t.Fatalf("PruneAudit = %d, %v; want %d (the leading run before the cut, of two chains)", n, err, 2*tc.pruned)
			}
			var left []uint64
			for e, err := range s.SubjectEvents(ctx, chain, 0) {
				if err != nil {
					t.Fatal(err)
				}
				left = append(left, e.Seq)
			}
			if len(left) != len(tc.times)-tc.pruned || len(left) > 0 && left[0] != uint64(tc.pruned+1) {
				t.Errorf("events left %v, want %d..%d", left, tc.pruned+1, len(tc.times))
			}
			if as, ok := s.(access.AnchoredStore); ok {
				if a, err := as.AuditAnchors(ctx); err != nil || a[chain].Seq != uint64(tc.pruned) {
					t.Errorf("anchor of %s at %d (%v), want %d", chain, a[chain].Seq, err, tc.pruned)
				}
			}
			if _, err := g.Verify(ctx, heads); err != nil {
				t.Errorf("Verify after pruning = %v", err)
			}
		})
	}
}
