package tampertest

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/dossierwacht/dossierwacht/access"
	"github.com/dossierwacht/dossierwacht/privacy"
)

// Legacy is a test's hold on the one chain of the versions before
// migration 0060, kept in the table audit_events_legacy, as the
// database's owner with the table's triggers in place.
type Legacy interface {
	// InsertLegacy adds the legacy event numbered seq, dated t, with the
	// personal data such an event carries (principal, subject, case,
	// object), as a database upgraded from before migration 0060 has it.
	InsertLegacy(ctx context.Context, seq uint64, t time.Time) error
	// DeleteLegacy deletes the legacy event numbered seq with a plain
	// DELETE; the table's triggers decide whether it may go.
	DeleteLegacy(ctx context.Context, seq uint64) error
	// LegacySeqs returns the numbers of the legacy events left, in order.
	LegacySeqs(ctx context.Context) ([]uint64, error)
}

// RunPruneLegacy checks rule N9 on the legacy chain of an adapter that
// was upgraded past migration 0060: PruneAudit deletes the legacy events
// past the audit retention with the chains' (the leading run before the
// cut, as in a chain), counts them in what it returns and audits the
// pruning; a newer legacy event stays; and the legacy table still lets
// only its oldest events go (G7: no event in the middle may be deleted).
// open is as for [Run], with the hold on the legacy table instead of the
// attacker's.
func RunPruneLegacy(t *testing.T, open func(t *testing.T, key []byte) (Store, Legacy)) {
	const cut = 10 // seconds after t0; events at smaller offsets are past their period
	sweep := privacy.Event{Time: t0.Add(time.Hour), Principal: "officer-1", Role: privacy.RolePrivacyOfficer,
		Object: "audit-trail", Action: privacy.EventDelete, Outcome: privacy.OutcomeAllowed, Rule: privacy.N9, Policy: "1.0.0"}
	for _, tc := range []struct {
		name   string
		legacy []int // offsets of the legacy events, in the order of their numbers
		chain  []int // offsets of chain s-1's events
		want   int   // events PruneAudit deletes, legacy and chained
		left   []uint64
	}{
		{"N9_legacy_before_cut_pruned_and_counted", []int{1, 2, 20}, nil, 2, []uint64{3}},
		{"N9_legacy_pruned_with_the_chains", []int{1, 2, 20}, []int{1, 20}, 3, []uint64{3}},
		{"N9_legacy_newer_stays", []int{20, 21}, []int{1, 20}, 1, []uint64{1, 2}},
		{"N9_legacy_leading_run_only", []int{1, 20, 2}, nil, 1, []uint64{2, 3}},
		{"N9_legacy_all_pruned", []int{1, 2}, nil, 2, nil},
		// A long run, in one statement: each event is the oldest left
		// when it goes.
		{"N9_legacy_long_run", append(slices.Repeat([]int{1}, 300), 20), nil, 300, []uint64{301}},
		{"N9_no_legacy_prunes_as_before", nil, []int{1, 2, 20}, 2, nil},
		{"N9_no_legacy_nothing_old", nil, []int{20}, 0, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			s, l := open(t, []byte("the key the database does not hold"))
			g, err := access.New(s, nil, &access.Options{Policy: privacy.Strict()})
			if err != nil {
				t.Fatal(err)
			}
			for i, off := range tc.legacy {
				if err := l.InsertLegacy(ctx, uint64(i+1), t0.Add(time.Duration(off)*time.Second)); err != nil {
					t.Fatalf("InsertLegacy: %v", err)
				}
			}
			for _, off := range tc.chain {
				e := privacy.Event{Time: t0.Add(time.Duration(off) * time.Second), Principal: "cm-1", Role: privacy.RoleCaseManager,
					Subject: chain, Object: "r-1", Action: privacy.EventRead, Outcome: privacy.OutcomeAllowed, Rule: privacy.R7, Policy: "1.0.0"}
				if _, err := s.AppendEvents(ctx, e); err != nil {
					t.Fatal(err)
				}
			}
			heads, err := g.Verify(ctx, nil)
			if err != nil {
				t.Fatal(err)
			}
			n, err := s.PruneAudit(ctx, t0.Add(cut*time.Second), sweep)
			if err != nil || n != tc.want {
				t.Fatalf("PruneAudit = %d, %v; want %d (legacy and chained events before the cut)", n, err, tc.want)
			}
			left, err := l.LegacySeqs(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(left, tc.left) {
				t.Errorf("legacy events left %v, want %v", left, tc.left)
			}
			// The pruning is audited when it deleted anything, and only
			// then.
			var audited int
			for e, err := range s.Events(ctx, 0) {
				if err != nil {
					t.Fatal(err)
				}
				if e.Object == sweep.Object && e.Action == sweep.Action {
					audited++
				}
			}
			if want := min(tc.want, 1); audited != want {
				t.Errorf("sweep events appended %d, want %d", audited, want)
			}
			if _, err := g.Verify(ctx, heads); err != nil {
				t.Errorf("Verify after pruning = %v", err)
			}
		})
	}

	t.Run("G7_N9_legacy_middle_delete_refused", func(t *testing.T) {
		ctx := context.Background()
		s, l := open(t, []byte("the key the database does not hold"))
		for i, off := range []int{1, 2, 3, 20, 21, 22} {
			if err := l.InsertLegacy(ctx, uint64(i+1), t0.Add(time.Duration(off)*time.Second)); err != nil {
				t.Fatalf("InsertLegacy: %v", err)
			}
		}
		check := func(want ...uint64) {
			t.Helper()
			left, err := l.LegacySeqs(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(left, want) {
				t.Fatalf("legacy events left %v, want %v", left, want)
			}
		}
		if err := l.DeleteLegacy(ctx, 2); err == nil {
			t.Error("DeleteLegacy(2), a middle event, = nil, want refused")
		}
		check(1, 2, 3, 4, 5, 6)
		// Pruning goes from the front: the oldest event may go.
		if err := l.DeleteLegacy(ctx, 1); err != nil {
			t.Errorf("DeleteLegacy(1), the oldest event, = %v, want nil", err)
		}
		check(2, 3, 4, 5, 6)
		if err := l.DeleteLegacy(ctx, 3); err == nil {
			t.Error("DeleteLegacy(3), a middle event, = nil, want refused")
		}
		if n, err := s.PruneAudit(ctx, t0.Add(cut*time.Second), sweep); err != nil || n != 2 {
			t.Fatalf("PruneAudit = %d, %v; want 2", n, err)
		}
		check(4, 5, 6)
		for _, seq := range []uint64{5, 6} {
			if err := l.DeleteLegacy(ctx, seq); err == nil {
				t.Errorf("DeleteLegacy(%d) after pruning, = nil, want refused", seq)
			}
		}
		check(4, 5, 6)
	})
}
