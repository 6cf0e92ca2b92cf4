package dossierwacht_test

import (
	"context"
	"errors"
	"testing"

	"github.com/dossierwacht/dossierwacht/privacy"
)

// TestDecide: the Service answers what an actor may do, with the rule,
// takes O10's consent from the register, hides a case the actor may not
// know of, and audits the question as a search.
func TestDecide(t *testing.T) {
	ctx := context.Background()
	t.Run("O9_the_employer_never_the_reason", func(t *testing.T) {
		w := newWorld(t)
		before := len(w.events(t))
		d, err := w.svc.Decide(ctx, w.actors[privacy.RoleEmployerContact], case1, privacy.ActionRead, privacy.CategoryAbsenceReason, "")
		must(t, err)
		if d.Allowed || d.Rule != privacy.O9 {
			t.Fatalf("O9: the employer reading the absence reason: %v, want denied by O9", d)
		}
		events := w.events(t)[before:]
		if len(events) != 1 {
			t.Fatalf("N9: %d events, want 1", len(events))
		}
		e := events[0]
		if e.Action != privacy.EventSearch || e.Outcome != privacy.OutcomeDenied || e.Rule != privacy.O9 ||
			e.Category != privacy.CategoryAbsenceReason || e.Case != case1 || e.Subject != anna {
			t.Errorf("N9: the question was audited as %+v", e)
		}
	})
	t.Run("N1_the_employer_writes_the_sick_report", func(t *testing.T) {
		w := newWorld(t)
		bert := w.actors[privacy.RoleEmployerContact]
		d, err := w.svc.Decide(ctx, bert, case1, privacy.ActionWrite, privacy.CategoryAbsenceFacts, privacy.FieldFirstDay)
		must(t, err)
		if !d.Allowed || d.Rule != privacy.N1 {
			t.Errorf("N1: the employer writing the first day of absence: %v, want allowed by N1", d)
		}
		d, err = w.svc.Decide(ctx, bert, case1, privacy.ActionWrite, privacy.CategoryAbsenceFacts, privacy.FieldIncapacityDegree)
		must(t, err)
		if d.Allowed || d.Rule != privacy.N1 {
			t.Errorf("N1: the employer writing an incapacity degree: %v, want denied by N1", d)
		}
	})
	t.Run("O10_a_hidden_case_is_not_found", func(t *testing.T) {
		w := newWorld(t)
		carla := w.actors[privacy.RoleCaseManager]
		must(t, w.svc.OpenCase(ctx, carla, privacy.Case{ID: "case-visit", Subject: anna, Kind: privacy.CaseConsultation,
			Purpose: privacy.PurposePrevention, Contract: contract}))
		bert := w.actors[privacy.RoleEmployerContact]
		_, hidden := w.svc.Decide(ctx, bert, "case-visit", privacy.ActionRead, privacy.CategoryConsultation, "")
		_, missing := w.svc.Decide(ctx, bert, "case-none", privacy.ActionRead, privacy.CategoryConsultation, "")
		if !errors.Is(hidden, privacy.ErrNotFound) || hidden.Error() != missing.Error() {
			t.Errorf("O10: a consultation-hour case told the employer %v, a missing one %v", hidden, missing)
		}
	})
	t.Run("malformed_question", func(t *testing.T) {
		w := newWorld(t)
		_, err := w.svc.Decide(ctx, w.actors[privacy.RoleCaseManager], case1, "peek", privacy.CategoryNotes, "")
		if !errors.Is(err, privacy.ErrInvalid) {
			t.Errorf("an unknown action: %v, want ErrInvalid", err)
		}
	})
}

// TestProofs: the privacy officer reads the proofs of a sweep's deletions
// (rules O12, G4); nobody else does.
func TestProofs(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t)
	officer := w.actors[privacy.RolePrivacyOfficer]
	must(t, w.svc.CloseCase(ctx, w.actors[privacy.RoleCaseManager], case1))
	w.now = w.now.AddDate(2, 1, 0)
	report, err := w.svc.Sweep(ctx, officer)
	must(t, err)
	proofs, err := w.svc.Proofs(ctx, officer, anna)
	must(t, err)
	if report.Erased == 0 || len(proofs) != report.Erased {
		t.Fatalf("O12: %d proofs for %d deletions", len(proofs), report.Erased)
	}
	for _, p := range proofs {
		if p.Subject != anna || p.Rule == "" || p.By != officer.ID || p.Deleted.IsZero() {
			t.Errorf("O12: proof %v lacks its subject, rule, author or time", p)
		}
	}
	_, err = w.svc.Proofs(ctx, w.actors[privacy.RoleCaseManager], anna)
	if !errors.Is(err, privacy.ErrForbidden) || privacy.RuleOf(err) == "" {
		t.Errorf("R8: the case manager read the proofs: %v, want a refusal that names its rule", err)
	}
}
