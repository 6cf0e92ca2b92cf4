package dossierwacht_test

import (
	"context"
	"errors"
	"slices"
	"testing"

	"github.com/dossierwacht/dossierwacht"
	"github.com/dossierwacht/dossierwacht/consent"
	"github.com/dossierwacht/dossierwacht/privacy"
)

// TestListCases: a listing over several subjects shows each actor the
// cases it may know of, with the rule that lets it, for one purpose or
// each case's own (rules R5, R7, O4, O10, O11, N9).
func TestListCases(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t)
	carla := withBob(t, w)
	// A consultation-hour visit of anna: the employer does not learn of
	// it until anna consents (O10).
	must(t, w.svc.OpenCase(ctx, carla, privacy.Case{ID: "case-visit", Subject: anna, Kind: privacy.CaseConsultation,
		Purpose: privacy.PurposePrevention, Contract: contract}))
	all := dossierwacht.CaseQuery{Subjects: []privacy.SubjectID{anna, "bob", "nobody"}}
	ids := func(cs []dossierwacht.ListedCase) []privacy.CaseID {
		var out []privacy.CaseID
		for _, c := range cs {
			out = append(out, c.ID)
		}
		return out
	}
	bert := w.actors[privacy.RoleEmployerContact]
	for _, tt := range []struct {
		name string
		a    *dossierwacht.Actor
		q    dossierwacht.CaseQuery
		want []privacy.CaseID
		rule privacy.RuleID // of the first case listed
	}{
		{"O10_employer_lists_no_consultation_without_consent", bert, all, []privacy.CaseID{case1, "case-2"}, privacy.O9},
		{"R5_employer_lists_by_purpose", bert, dossierwacht.CaseQuery{Subjects: all.Subjects, Purpose: privacy.PurposePrevention}, nil, ""},
		{"R7_case_manager_lists_assigned_cases", carla, all, []privacy.CaseID{case1, "case-2"}, privacy.R7},
		{"R7_unassigned_physician_lists_its_own", w.actors[privacy.RolePhysician], all, []privacy.CaseID{case1}, privacy.O4},
		{"O13_subject_lists_own_cases", w.actors[privacy.RoleSubject], all, []privacy.CaseID{case1, "case-visit"}, privacy.O13},
		{"R12_administrator_lists_nothing", w.actors[privacy.RoleAdministrator], all, nil, ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			before := len(w.events(t))
			got, err := w.svc.ListCases(ctx, tt.a, tt.q)
			must(t, err)
			if !slices.Equal(ids(got), tt.want) {
				t.Errorf("ListCases = %v, want %v", ids(got), tt.want)
			}
			for _, c := range got {
				if c.Rule == "" {
					t.Errorf("case %s listed without its rule", c.ID)
				}
			}
			if len(got) > 0 && got[0].Rule != tt.rule {
				t.Errorf("case %s listed by rule %s, want %s", got[0].ID, got[0].Rule, tt.rule)
			}
			if len(w.events(t)) == before {
				t.Error("N9: the listing is not audited")
			}
		})
	}
	t.Run("O10_employer_lists_consultation_with_consent", func(t *testing.T) {
		_, err := w.svc.GrantConsent(ctx, w.actors[privacy.RoleSubject], consent.Grant{ID: "g-visit", Subject: anna,
			Recipient: consent.Recipient{Party: bakery, Kind: privacy.PartyEmployer}, Categories: []privacy.Category{privacy.CategoryConsultation},
			Purpose: privacy.PurposePrevention, Case: "case-visit", Form: consent.FormWritten, Document: "letter-2"})
		must(t, err)
		got, err := w.svc.ListCases(ctx, bert, all)
		must(t, err)
		if !slices.Contains(ids(got), "case-visit") {
			t.Fatalf("ListCases = %v, want the consented visit", ids(got))
		}
		if i := slices.Index(ids(got), "case-visit"); got[i].Rule != privacy.O10 {
			t.Errorf("the consented visit listed by %s, want O10", got[i].Rule)
		}
		one, err := w.svc.Cases(ctx, bert, anna)
		must(t, err)
		if len(one) != 2 {
			t.Errorf("Cases(anna) = %d cases, want 2", len(one))
		}
	})
	t.Run("bad_input", func(t *testing.T) {
		for _, q := range []dossierwacht.CaseQuery{
			{Subjects: []privacy.SubjectID{"bad id"}},
			{Subjects: []privacy.SubjectID{anna}, Purpose: "a b"},
		} {
			if _, err := w.svc.ListCases(ctx, bert, q); !errors.Is(err, privacy.ErrInvalid) {
				t.Errorf("ListCases(%+v) = %v, want ErrInvalid", q, err)
			}
		}
		if _, err := w.svc.ListCases(ctx, nil, all); !errors.Is(err, privacy.ErrInvalid) {
			t.Errorf("ListCases(nil actor) = %v, want ErrInvalid", err)
		}
	})
}

// TestViewStatesItsPurpose: an actor other than the subject states the
// purpose of a view (rule R5), and a view without one is refused alike for
// a case that exists and one that does not, so that it tells nothing
// about either (O10).
func TestViewStatesItsPurpose(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t)
	bert := w.actors[privacy.RoleEmployerContact]
	for _, id := range []privacy.CaseID{case1, "case-nobody"} {
		_, err := w.svc.View(ctx, bert, id, "")
		if !errors.Is(err, privacy.ErrInvalid) || privacy.RuleOf(err) != privacy.R5 {
			t.Errorf("View(%s) without a purpose = %v, want ErrInvalid naming R5", id, err)
		}
		if _, err := w.svc.View(ctx, bert, id, "a b"); !errors.Is(err, privacy.ErrInvalid) {
			t.Errorf("View(%s) with a malformed purpose = %v, want ErrInvalid", id, err)
		}
	}
	if _, err := w.svc.View(ctx, w.actors[privacy.RoleSubject], case1, ""); err != nil {
		t.Errorf("the subject's own view without a purpose: %v", err)
	}
}

// TestViewMissingAuditedAlike: a view of a case that does not exist is
// refused and audited exactly as one of a case the actor may not know of:
// one denied event each, the same error (rules O10, N9).
func TestViewMissingAuditedAlike(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t)
	carla := withBob(t, w)
	must(t, w.svc.OpenCase(ctx, carla, privacy.Case{ID: "case-visit", Subject: anna, Kind: privacy.CaseConsultation,
		Purpose: privacy.PurposePrevention, Contract: contract}))
	bert := w.actors[privacy.RoleEmployerContact]
	var errs []string
	for _, id := range []privacy.CaseID{"case-visit", "case-nobody"} {
		before := len(w.events(t))
		_, err := w.svc.View(ctx, bert, id, privacy.PurposePrevention)
		if !errors.Is(err, privacy.ErrNotFound) {
			t.Fatalf("View(%s) = %v, want not found", id, err)
		}
		errs = append(errs, err.Error())
		events := w.events(t)[before:]
		if len(events) != 1 || events[0].Outcome != privacy.OutcomeDenied || events[0].Principal != bert.ID {
			t.Errorf("View(%s) audited as %+v, want one denied event", id, events)
		}
	}
	if errs[0] != errs[1] {
		t.Errorf("a hidden case answers %q, a missing one %q", errs[0], errs[1])
	}
}
