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
