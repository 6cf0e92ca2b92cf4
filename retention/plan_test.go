package retention_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/dossierwacht/dossierwacht/memstore"
	"github.com/dossierwacht/dossierwacht/privacy"
	"github.com/dossierwacht/dossierwacht/retention"
	"github.com/dossierwacht/dossierwacht/rights"
)

// TestPlanSweepEveryKind is rules R9, O12 and N9 for a sweep's dry run:
// Keeper.PlanSweep lists what a sweep would remove of every kind — a
// subject with no case once its period has run, the request of a person
// never registered (OrphanStore) — and from when audit events would be
// pruned, deletes nothing, and refuses anyone but the privacy officer
// under O12, audited.
func TestPlanSweepEveryKind(t *testing.T) {
	ctx := context.Background()
	s := memstore.New()
	t0 := time.Date(2025, 1, 10, 9, 0, 0, 0, time.UTC)
	ev := []privacy.Event{{Time: t0, Principal: "cm-1", Role: privacy.RoleCaseManager, Action: privacy.EventCreate,
		Outcome: privacy.OutcomeAllowed, Rule: privacy.O13, Subject: "s-1"}}
	sub, _ := privacy.NewSubject("s-1", "employer-1", t0)
	if err := s.CreateSubject(ctx, sub, ev); err != nil {
		t.Fatal(err)
	}
	r := rights.Request{ID: "q-1", Subject: "stranger", Kind: rights.KindAccess, Form: rights.FormWritten, Received: t0,
		Status: rights.StatusAnswered, History: []rights.Step{{Kind: rights.StepFiled, Status: rights.StatusReceived, At: t0},
			{Kind: rights.StepAnswered, Status: rights.StatusAnswered, At: t0}}}
	if err := s.CreateRequest(ctx, r, ev); err != nil {
		t.Fatal(err)
	}
	k, err := retention.New(s, privacy.Strict(), nil)
	if err != nil {
		t.Fatal(err)
	}
	now := t0.AddDate(3, 0, 0)
	if _, err := k.PlanSweep(ctx, privacy.Principal{ID: "cm-1", Role: privacy.RoleCaseManager}, now); !errors.Is(err, privacy.ErrForbidden) ||
		privacy.RuleOf(err) != privacy.O12 {
		t.Errorf("PlanSweep by a case manager = %v, want ErrForbidden under O12", err)
	}
	plan, err := k.PlanSweep(ctx, sweeper, now)
	if err != nil {
		t.Fatal(err)
	}
	got := map[privacy.DataKind]string{}
	for _, o := range plan.Objects {
		got[o.Kind] = o.ID
	}
	if got[privacy.DataSubject] != "s-1" || got[privacy.DataRequest] != "q-1" || len(plan.Objects) != 2 {
		t.Errorf("plan objects = %v, want the subject s-1 and the stranger's request q-1", plan.Objects)
	}
	if plan.AuditBefore.IsZero() || len(plan.Unswept) != 0 {
		t.Errorf("plan: audit before %v, unswept %v; want a time (N9) and nothing unswept", plan.AuditBefore, plan.Unswept)
	}
	if _, err := s.Subject(ctx, "s-1"); err != nil {
		t.Errorf("the dry run deleted the subject: %v", err)
	}
	rep, err := k.Sweep(ctx, sweeper, now)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Kind(privacy.DataSubject).Erased != 1 || rep.Kind(privacy.DataRequest).Erased != 1 {
		t.Errorf("the sweep did not remove what the plan listed: %+v", rep.Objects)
	}
}
