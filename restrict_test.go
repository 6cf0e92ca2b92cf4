package dossierwacht_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/dossierwacht/dossierwacht"
	"github.com/dossierwacht/dossierwacht/consent"
	"github.com/dossierwacht/dossierwacht/privacy"
	"github.com/dossierwacht/dossierwacht/retention"
	"github.com/dossierwacht/dossierwacht/rights"
)

// restrict files Anna's request to restrict processing of records (all of
// her data when none) and has the privacy officer grant it.
func restrict(t *testing.T, w *world, id rights.RequestID, records ...privacy.RecordID) retention.Hold {
	t.Helper()
	ctx := context.Background()
	_, err := w.svc.FileRequest(ctx, w.actors[privacy.RoleSubject],
		rights.Filing{ID: id, Subject: anna, Kind: rights.KindRestriction, Form: rights.FormWritten, Records: records})
	must(t, err)
	h, err := w.svc.Restrict(ctx, w.actors[privacy.RolePrivacyOfficer], id, "accuracy contested; checking")
	must(t, err)
	return h
}

// wantRestricted fails the test unless err is a refusal that names GDPR
// art. 18 and the trail's last event is its audited denial.
func wantRestricted(t *testing.T, w *world, what string, err error) {
	t.Helper()
	if !errors.Is(err, privacy.ErrForbidden) || privacy.RuleOf(err) != privacy.RuleRestriction {
		t.Fatalf("%s = %v, want ErrForbidden naming %s", what, err, privacy.RuleRestriction)
	}
	evs := w.events(t)
	if last := evs[len(evs)-1]; last.Outcome != privacy.OutcomeDenied || last.Rule != privacy.RuleRestriction {
		t.Errorf("%s: last event = %+v, want its denial under %s", what, last, privacy.RuleRestriction)
	}
}

// TestRestrictionOfAllData: while a granted restriction of processing of
// all of a subject's data stands (GDPR art. 18, rule gdpr-18), the data is
// only stored: the subject still sees it, no one else; it is not changed,
// added to or disclosed; a sweep past every period keeps it. Lifted, all
// works again.
func TestRestrictionOfAllData(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t)
	carla, anna_, olga := w.actors[privacy.RoleCaseManager], w.actors[privacy.RoleSubject], w.actors[privacy.RolePrivacyOfficer]
	_, err := w.svc.GrantConsent(ctx, anna_, consent.Grant{ID: "g-1", Subject: anna, Recipient: consent.Recipient{Party: bakery, Kind: privacy.PartyEmployer},
		Categories: []privacy.Category{privacy.CategoryNotes}, Purpose: privacy.PurposeAbsenceGuidance, Form: consent.FormWritten, Document: "letter-1"})
	must(t, err)
	h := restrict(t, w, "req-restrict")
	w.now = w.now.Add(time.Hour)
	if h.Ground != retention.GroundRestriction || h.Subject != anna || h.ID != "restriction-req-restrict" {
		t.Fatalf("restriction = %+v", h)
	}

	t.Run("GDPR18_the_subject_views_her_own_data", func(t *testing.T) {
		v, err := w.svc.View(ctx, anna_, case1, "")
		must(t, err)
		if len(v.Records) != 2 {
			t.Errorf("the subject's own view shows %d records, want 2", len(v.Records))
		}
	})
	t.Run("GDPR18_no_one_else_views_it", func(t *testing.T) {
		_, err := w.svc.View(ctx, carla, case1, privacy.PurposeAbsenceGuidance)
		wantRestricted(t, w, "View", err)
	})
	t.Run("GDPR18_no_change", func(t *testing.T) {
		err := w.svc.UpdateRecord(ctx, carla, record("r-note", privacy.CategoryNotes, privacy.FieldText, "changed"))
		wantRestricted(t, w, "UpdateRecord", err)
	})
	t.Run("GDPR18_no_addition", func(t *testing.T) {
		err := w.svc.AddRecords(ctx, carla, record("r-new", privacy.CategoryNotes, privacy.FieldText, "new"))
		wantRestricted(t, w, "AddRecords", err)
	})
	t.Run("GDPR18_no_disclosure_even_with_consent", func(t *testing.T) {
		_, err := w.svc.Disclose(ctx, carla, consent.Request{Subject: anna, Case: case1,
			Recipient: consent.Recipient{Party: bakery, Kind: privacy.PartyEmployer}, Purpose: privacy.PurposeAbsenceGuidance,
			Items: []consent.Item{{Category: privacy.CategoryNotes, Record: "r-note"}}})
		wantRestricted(t, w, "Disclose", err)
	})
	t.Run("GDPR18_a_decision_names_the_restriction", func(t *testing.T) {
		d, err := w.svc.Decide(ctx, carla, case1, privacy.ActionRead, privacy.CategoryNotes, "")
		must(t, err)
		if d.Allowed || d.Rule != privacy.RuleRestriction {
			t.Errorf("Decide = %+v, want a denial under %s", d, privacy.RuleRestriction)
		}
	})
	t.Run("GDPR18_a_sweep_past_every_period_keeps_it", func(t *testing.T) {
		must(t, w.svc.CloseCase(ctx, carla, case1))
		saved := w.now
		defer func() { w.now = saved }()
		w.now = w.now.AddDate(30, 0, 0)
		_, err := w.svc.Sweep(ctx, olga)
		must(t, err)
		if _, err := w.store.Record(ctx, "r-note"); err != nil {
			t.Errorf("a restricted record was swept: %v", err)
		}
		plan, err := w.svc.PlanSweep(ctx, olga)
		must(t, err)
		for _, s := range plan.Records {
			if s.Record == "r-note" && (s.Rule != privacy.RuleRestriction || s.Status != retention.StatusKept) {
				t.Errorf("schedule of r-note = %v, want kept under %s", s, privacy.RuleRestriction)
			}
		}
	})
	t.Run("GDPR18_lifted_all_works_again", func(t *testing.T) {
		must(t, w.svc.LiftHold(ctx, olga, h.ID, "accuracy checked; subject told"))
		v, err := w.svc.View(ctx, carla, case1, privacy.PurposeAbsenceGuidance)
		must(t, err)
		if len(v.Records) != 2 {
			t.Errorf("after lifting the case manager sees %d records, want 2", len(v.Records))
		}
	})
}

// TestRestrictionOfSomeRecords: a restriction that names records keeps
// those, and only those: the case manager's view leaves them out (each
// audited as denied under gdpr-18) and shows the rest; the rest may still
// change.
func TestRestrictionOfSomeRecords(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t)
	carla := w.actors[privacy.RoleCaseManager]
	restrict(t, w, "req-restrict", "r-note")
	w.now = w.now.Add(time.Hour)
	v, err := w.svc.View(ctx, carla, case1, privacy.PurposeAbsenceGuidance)
	must(t, err)
	if len(v.Records) != 1 || v.Records[0].ID != "r-facts" {
		t.Fatalf("view = %+v, want r-facts alone", v.Records)
	}
	denied := false
	for _, e := range w.events(t) {
		denied = denied || e.Object == "r-note" && e.Outcome == privacy.OutcomeDenied && e.Rule == privacy.RuleRestriction
	}
	if !denied {
		t.Error("the view's withholding of r-note is not audited under gdpr-18")
	}
	must(t, w.svc.UpdateRecord(ctx, carla, record("r-facts", privacy.CategoryAbsenceFacts, privacy.FieldFirstDay, "2026-03-03")))
	err = w.svc.UpdateRecord(ctx, carla, record("r-note", privacy.CategoryNotes, privacy.FieldText, "changed"))
	wantRestricted(t, w, "UpdateRecord(r-note)", err)
	// A disclosure of the category a restricted record is of is refused;
	// one of another category is decided as ever (here: no consent, R6/O14).
	_, err = w.svc.Disclose(ctx, carla, consent.Request{Subject: anna, Case: case1,
		Recipient: consent.Recipient{Party: bakery, Kind: privacy.PartyEmployer}, Purpose: privacy.PurposeAbsenceGuidance,
		Items: []consent.Item{{Category: privacy.CategoryNotes}}})
	wantRestricted(t, w, "Disclose(notes)", err)
	_, err = w.svc.Disclose(ctx, carla, consent.Request{Subject: anna, Case: case1,
		Recipient: consent.Recipient{Party: bakery, Kind: privacy.PartyEmployer}, Purpose: privacy.PurposeAbsenceGuidance,
		Items: []consent.Item{{Category: privacy.CategoryAbsenceFacts}}})
	if privacy.RuleOf(err) == privacy.RuleRestriction {
		t.Errorf("Disclose(absence facts) = %v: refused for a restriction that does not cover it", err)
	}
}

// TestRestrictGate: only the privacy officer grants a restriction, only of
// a request to restrict, and only once.
func TestRestrictGate(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t)
	_, err := w.svc.FileRequest(ctx, w.actors[privacy.RoleSubject],
		rights.Filing{ID: "req-r", Subject: anna, Kind: rights.KindRestriction, Form: rights.FormWritten})
	must(t, err)
	fileRequest(t, w) // req-1, an access request
	tests := []struct {
		name string
		by   *dossierwacht.Actor
		id   rights.RequestID
		kind error
	}{
		{"R8_the_case_manager_may_not", w.actors[privacy.RoleCaseManager], "req-r", privacy.ErrForbidden},
		{"R12_the_administrator_may_not", w.actors[privacy.RoleAdministrator], "req-r", privacy.ErrForbidden},
		{"GDPR18_not_a_restriction_request", w.actors[privacy.RolePrivacyOfficer], "req-1", privacy.ErrInvalid},
		{"GDPR18_unknown_request", w.actors[privacy.RolePrivacyOfficer], "req-none", privacy.ErrNotFound},
		{"GDPR18_the_privacy_officer_grants_it", w.actors[privacy.RolePrivacyOfficer], "req-r", nil},
		{"GDPR18_granted_once", w.actors[privacy.RolePrivacyOfficer], "req-r", privacy.ErrConflict},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := w.svc.Restrict(ctx, tc.by, tc.id, "granted")
			if tc.kind == nil {
				must(t, err)
				return
			}
			if !errors.Is(err, tc.kind) {
				t.Errorf("Restrict = %v, want %v", err, tc.kind)
			}
		})
	}
}
