package memstore_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/dossierwacht/dossierwacht/access"
	"github.com/dossierwacht/dossierwacht/memstore"
	"github.com/dossierwacht/dossierwacht/privacy"
)

// The stores implement what a retention sweep calls to prune the trail
// (retention.AuditPruner).
var _ interface {
	PruneAudit(ctx context.Context, before time.Time, e privacy.Event) (int, error)
} = (*memstore.Store)(nil)

// TestPruneAuditN9G7: pruning deletes each chain's events before the
// retention's end and keeps each chain verifiable from its signed anchor;
// appending goes on after it, a whole chain pruned included; a failure
// changes nothing.
func TestPruneAuditN9G7(t *testing.T) {
	ctx := context.Background()
	key := []byte("k")
	s := memstore.NewKeyed(key)
	g, err := access.New(s, nil, &access.Options{Policy: privacy.Strict()})
	if err != nil {
		t.Fatal(err)
	}
	t0 := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	ev := func(sub privacy.SubjectID, i int) privacy.Event {
		return privacy.Event{Time: t0.Add(time.Duration(i) * time.Second), Principal: "p-1", Subject: sub,
			Action: privacy.EventRead, Outcome: privacy.OutcomeAllowed, Rule: privacy.R7, Policy: "1"}
	}
	for i := range 6 {
		if _, err := s.AppendEvents(ctx, ev("s-1", i), ev("s-2", i)); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.AppendEvents(ctx, ev("s-3", 0)); err != nil {
		t.Fatal(err)
	}
	heads, err := g.Verify(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	sweep := ev("", 100)
	s.FailAfter(0)
	if _, err := s.PruneAudit(ctx, t0.Add(3*time.Second), sweep); !errors.Is(err, privacy.ErrUnavailable) {
		t.Fatalf("PruneAudit with a failing store = %v", err)
	}
	if a, _ := s.AuditAnchors(ctx); len(a) != 0 {
		t.Errorf("a failed prune left anchors %v", a)
	}
	n, err := s.PruneAudit(ctx, t0.Add(3*time.Second), sweep)
	if err != nil || n != 3+3+1 {
		t.Fatalf("PruneAudit = %d, %v; want 7 (s-1 and s-2 up to event 3, s-3 whole)", n, err)
	}
	anchors, _ := s.AuditAnchors(ctx)
	if a := anchors["s-1"]; a.Seq != 3 || !a.Valid(key) || anchors["s-3"].Seq != 1 {
		t.Errorf("anchors = %v", anchors)
	}
	if _, err := g.Verify(ctx, heads); err != nil {
		t.Errorf("Verify after pruning, against the heads before = %v", err)
	}
	// s-3 was pruned whole: its next event follows the anchor.
	got, err := s.AppendEvents(ctx, ev("s-3", 9))
	if err != nil || got[0].Seq != 2 || got[0].Prev != anchors["s-3"].Hash {
		t.Errorf("append after a whole chain was pruned = %+v, %v; want event 2 linked to the anchor", got, err)
	}
	// A later prune moves the anchor on.
	if _, err := s.PruneAudit(ctx, t0.Add(5*time.Second), sweep); err != nil {
		t.Fatal(err)
	}
	if anchors, _ := s.AuditAnchors(ctx); anchors["s-1"].Seq != 5 {
		t.Errorf("anchor of s-1 at %d, want 5", anchors["s-1"].Seq)
	}
	if _, err := g.Verify(ctx, heads); err != nil {
		t.Errorf("Verify after the second prune = %v", err)
	}
	// Removing the first event left is caught from the anchor.
	if err := s.DeleteEvent(ctx, "s-1", 6); err != nil {
		t.Fatal(err)
	}
	if _, err := g.Verify(ctx, heads); !errors.Is(err, access.ErrTampered) {
		t.Errorf("Verify after the first event left was removed = %v, want ErrTampered", err)
	}
}

// TestPruneAuditN9LeadingRunOnly: pruning takes only each chain's leading
// run of events dated before the cut, up to the first that is not: an
// event dated in the past after recent ones (a clock set back, another
// instance's clock wrong) never takes the recent ones with it. What is
// left verifies from its anchor.
func TestPruneAuditN9LeadingRunOnly(t *testing.T) {
	ctx := context.Background()
	t0 := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	const cut = 10 // seconds after t0; events at smaller offsets are past their period
	for _, tc := range []struct {
		name   string
		times  []int // offsets of the chain's events, in the order of their numbers
		pruned int   // events that go: the leading run before cut
	}{
		{"all_old", []int{1, 2, 3}, 3},
		{"all_recent", []int{20, 21}, 0},
		{"old_event_after_recent_ones", []int{1, 20, 21, 2}, 1},
		{"recent_first", []int{20, 1, 2}, 0},
		{"old_run_then_recent_then_old", []int{1, 2, 20, 3, 21}, 2},
		{"equal_to_cut_is_kept", []int{1, cut, 2}, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			key := []byte("k")
			s := memstore.NewKeyed(key)
			g, err := access.New(s, nil, &access.Options{Policy: privacy.Strict()})
			if err != nil {
				t.Fatal(err)
			}
			for _, off := range tc.times {
				if _, err := s.AppendEvents(ctx, privacy.Event{Time: t0.Add(time.Duration(off) * time.Second), Principal: "p-1",
					Subject: "s-1", Action: privacy.EventRead, Outcome: privacy.OutcomeAllowed, Rule: privacy.R7, Policy: "1"}); err != nil {
					t.Fatal(err)
				}
			}
			heads, err := g.Verify(ctx, nil)
			if err != nil {
				t.Fatal(err)
			}
			sweep := privacy.Event{Time: t0.Add(100 * time.Second), Principal: "p-1", Action: privacy.EventDelete,
				Outcome: privacy.OutcomeAllowed, Rule: privacy.N9, Policy: "1"}
			n, err := s.PruneAudit(ctx, t0.Add(cut*time.Second), sweep)
			if err != nil || n != tc.pruned {
				t.Fatalf("PruneAudit = %d, %v; want %d (the leading run before the cut)", n, err, tc.pruned)
			}
			var left []uint64
			for e, err := range s.SubjectEvents(ctx, "s-1", 0) {
				if err != nil {
					t.Fatal(err)
				}
				left = append(left, e.Seq)
			}
			if len(left) != len(tc.times)-tc.pruned || len(left) > 0 && left[0] != uint64(tc.pruned+1) {
				t.Errorf("events left %v, want %d..%d", left, tc.pruned+1, len(tc.times))
			}
			if a, _ := s.AuditAnchors(ctx); a["s-1"].Seq != uint64(tc.pruned) {
				t.Errorf("anchor of s-1 at %d, want %d", a["s-1"].Seq, tc.pruned)
			}
			if _, err := g.Verify(ctx, heads); err != nil {
				t.Errorf("Verify after pruning = %v", err)
			}
		})
	}
}
