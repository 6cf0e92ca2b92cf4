package dossierwacht_test

import (
	"context"
	"errors"
	"testing"

	"github.com/dossierwacht/dossierwacht"
	"github.com/dossierwacht/dossierwacht/consent"
	"github.com/dossierwacht/dossierwacht/privacy"
)

// withBob adds a second subject of the bakery, bob, with an absence case
// case-2 and its sick report, and returns a case manager assigned to both
// cases.
func withBob(t *testing.T, w *world) *dossierwacht.Actor {
	t.Helper()
	ctx := context.Background()
	carla := dossierwacht.NewActor(privacy.Principal{ID: "carla", Role: privacy.RoleCaseManager, Party: "arbo",
		Secrecy: privacy.SecrecyAgreement}, []privacy.CaseID{case1, "case-2"}, nil)
	must(t, w.svc.RegisterSubject(ctx, carla, privacy.Subject{ID: "bob", Employer: bakery}))
	must(t, w.svc.OpenCase(ctx, carla, privacy.Case{ID: "case-2", Subject: "bob", Kind: privacy.CaseAbsence,
		Purpose: privacy.PurposeAbsenceGuidance, Contract: contract}))
	must(t, w.svc.AddRecords(ctx, carla, privacy.Record{ID: "r-bob", Case: "case-2", Subject: "bob",
		Category: privacy.CategoryAbsenceFacts, Source: privacy.Source{Kind: privacy.PartyService},
		Fields: map[privacy.Field]string{privacy.FieldFirstDay: "2026-03-01"}}))
	return carla
}

// toUWV is a disclosure of anna's data to the UWV on the statute.
func toUWV(id consent.DisclosureID, c privacy.CaseID, items ...consent.Item) consent.Request {
	return consent.Request{ID: id, Recipient: consent.Recipient{Party: "uwv", Kind: privacy.PartyUWV}, Subject: anna,
		Case: c, Items: items, Purpose: privacy.PurposeAbsenceGuidance, Basis: "suwi-54-3c"}
}

// TestDiscloseChecks: a disclosure through the front door hands over only
// what the discloser may read itself, of the case and subject it names
// (rules O1, O4, O6, N6, R7, O10), and a record of another case answers
// exactly as a missing one.
func TestDiscloseChecks(t *testing.T) {
	ctx := context.Background()
	t.Run("N6_physician_without_second_factor_discloses_no_medical_data", func(t *testing.T) {
		w := newWorld(t)
		dirk := w.actors[privacy.RolePhysician]
		must(t, w.svc.AddRecords(ctx, dirk, privacy.Record{ID: "r-medical", Case: case1, Subject: anna, Category: privacy.CategoryMedical,
			Source: privacy.Source{Kind: privacy.PartyService}, Fields: map[privacy.Field]string{privacy.FieldText: "lumbar strain"}}))
		noMFA := *dirk
		noMFA.MultiFactor = false
		before := len(w.events(t))
		d, err := w.svc.Disclose(ctx, &noMFA, toUWV("d-1", case1, consent.Item{Category: privacy.CategoryMedical, Record: "r-medical"}))
		if !errors.Is(err, privacy.ErrForbidden) || privacy.RuleOf(err) != privacy.N6 {
			t.Fatalf("Disclose = %v, %v; want refused by N6", d.Records, err)
		}
		if len(d.Records) != 0 {
			t.Errorf("a refused disclosure hands over %d records", len(d.Records))
		}
		events := w.events(t)[before:]
		if len(events) == 0 || events[len(events)-1].Outcome != privacy.OutcomeDenied || events[len(events)-1].Rule != privacy.N6 {
			t.Errorf("N9: the refusal is not audited with N6: %+v", events)
		}
		log, err := w.store.SubjectDisclosures(ctx, anna)
		must(t, err)
		if len(log) != 0 {
			t.Errorf("a refused disclosure is logged: %+v", log)
		}
	})
	t.Run("O4_support_staff_discloses_no_case_content", func(t *testing.T) {
		w := newWorld(t)
		_, err := w.svc.Disclose(ctx, w.actors[privacy.RoleSupportStaff], toUWV("d-1", case1, consent.Item{Category: privacy.CategoryAbsenceFacts}))
		if err == nil {
			t.Fatal("support staff disclosed absence facts")
		}
		if !errors.Is(err, privacy.ErrNotFound) && privacy.RuleOf(err) == "" {
			t.Errorf("refusal %v names no rule", err)
		}
	})
	t.Run("R7_case_of_another_subject_is_not_found", func(t *testing.T) {
		w := newWorld(t)
		carla := withBob(t, w)
		d, err := w.svc.Disclose(ctx, carla, toUWV("d-1", "case-2", consent.Item{Category: privacy.CategoryAbsenceFacts}))
		if !errors.Is(err, privacy.ErrNotFound) {
			t.Fatalf("Disclose of bob's case under anna's name = %d records, %v; want not found", len(d.Records), err)
		}
		_, missing := w.svc.Disclose(ctx, carla, toUWV("d-2", "case-nobody", consent.Item{Category: privacy.CategoryAbsenceFacts}))
		if err.Error() != missing.Error() {
			t.Errorf("another subject's case answers %q, a missing case %q", err, missing)
		}
	})
	t.Run("O10_record_of_another_case_answers_as_a_missing_one", func(t *testing.T) {
		w := newWorld(t)
		carla := withBob(t, w)
		_, err := w.svc.Disclose(ctx, carla, toUWV("d-1", case1, consent.Item{Category: privacy.CategoryAbsenceFacts, Record: "r-bob"}))
		if !errors.Is(err, privacy.ErrNotFound) {
			t.Fatalf("Disclose of bob's record from anna's case: %v, want not found", err)
		}
		_, missing := w.svc.Disclose(ctx, carla, toUWV("d-2", case1, consent.Item{Category: privacy.CategoryAbsenceFacts, Record: "r-nobody"}))
		if err.Error() != missing.Error() {
			t.Errorf("another case's record answers %q, a missing record %q", err, missing)
		}
		_, wrongCat := w.svc.Disclose(ctx, carla, toUWV("d-3", case1, consent.Item{Category: privacy.CategoryNotes, Record: "r-facts"}))
		if wrongCat == nil || wrongCat.Error() != missing.Error() {
			t.Errorf("a record named under another category answers %v, a missing record %q", wrongCat, missing)
		}
	})
	t.Run("N10_allowed_disclosure_still_hands_over_the_records", func(t *testing.T) {
		w := newWorld(t)
		d, err := w.svc.Disclose(ctx, w.actors[privacy.RoleCaseManager], toUWV("d-1", case1, consent.Item{Category: privacy.CategoryAbsenceFacts}))
		must(t, err)
		if !d.Allowed || len(d.Records) != 1 || d.Records[0].ID != "r-facts" {
			t.Errorf("Disclose = %+v, want r-facts on N10", d)
		}
	})
}
