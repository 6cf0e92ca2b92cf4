package access_test

import (
	"errors"
	"slices"
	"testing"

	"github.com/dossierwacht/dossierwacht/access"
	"github.com/dossierwacht/dossierwacht/privacy"
)

// visible returns "category.field" for every field of every record in v.
func visible(v access.CaseView) []string {
	var out []string
	for _, r := range v.Records {
		for _, f := range r.Fields {
			out = append(out, string(r.Category)+"."+string(f.Field))
		}
	}
	return out
}

func TestView(t *testing.T) {
	e := engineFor(t, privacy.Strict())
	records, medical := caseRecords(absenceCase)
	for _, tc := range []struct {
		name string
		p    *access.Principal
		want []string
	}{
		{"O11_insurer_sees_exactly_the_overview", insurer, []string{"identity.name",
			"absence-facts.first-day", "absence-facts.recovery-date", "absence-facts.incapacity-degree"}},
		{"O9_N2_employer_sees_facts_and_advice_only", employer, []string{
			"identity.name", "identity.address", "identity.postcode", "identity.city",
			"contact.phone", "contact.email",
			"employment.job", "employment.employment-kind", "employment.employment-start", "employment.employment-end", "employment.wages",
			"absence-facts.first-day", "absence-facts.recovery-date", "absence-facts.incapacity-degree", "absence-facts.expected-duration",
			"absence-facts.reachable-at", "absence-facts.ongoing-work", "absence-facts.safety-net", "absence-facts.work-accident", "absence-facts.recourse",
			"work-capacity.limitations", "work-capacity.capacities", "work-capacity.expected-duration", "work-capacity.incapacity-degree", "work-capacity.adjustments"}},
		{"R8_support_staff_sees_identity_contact_appointments", supportStaff, []string{
			"identity.name", "identity.address", "identity.postcode", "identity.city", "identity.gender", "identity.date-of-birth", "identity.nationality",
			"contact.phone", "contact.email", "appointment.when", "appointment.where", "appointment.with"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			v, err := e.View(req(tc.p, absenceCase, read, "", ""), records, medical)
			if err != nil {
				t.Fatalf("View: %v", err)
			}
			if got := visible(v); !slices.Equal(got, tc.want) {
				t.Errorf("View(%s) shows\n%v\nwant\n%v", tc.p.ID, got, tc.want)
			}
		})
	}

	t.Run("O6_physician_sees_everything_medical_last", func(t *testing.T) {
		v, err := e.View(req(physician, absenceCase, read, "", ""), records, medical)
		if err != nil {
			t.Fatal(err)
		}
		// Everything but the BSN, which only the case manager reads (N5).
		if got, want := len(v.Records), len(records)+len(medical)-1; got != want {
			t.Errorf("physician sees %d records, want %d", got, want)
		}
		if last := v.Records[len(v.Records)-1]; last.Category != privacy.CategoryMedical || last.Rule != privacy.O6 {
			t.Errorf("last record %s by %s, want the medical one by O6", last.Category, last.Rule)
		}
	})
	t.Run("R7_case_manager_sees_no_medical", func(t *testing.T) {
		v, err := e.View(req(caseManager, absenceCase, read, "", ""), records, medical)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := len(v.Records), len(records); got != want {
			t.Errorf("case manager sees %d records, want %d", got, want)
		}
		for _, r := range v.Records {
			if r.Category == privacy.CategoryMedical {
				t.Error("case manager sees a medical record")
			}
		}
	})
	t.Run("O10_employer_view_of_consultation_not_found", func(t *testing.T) {
		rs, ms := caseRecords(consultCase)
		_, err := e.View(req(employer, consultCase, read, "", ""), rs, ms)
		if !errors.Is(err, privacy.ErrNotFound) {
			t.Errorf("View = %v, want ErrNotFound", err)
		}
	})
	t.Run("R12_administrator_view_not_found", func(t *testing.T) {
		_, err := e.View(req(administrator, absenceCase, read, "", ""), records, medical)
		if !errors.Is(err, privacy.ErrNotFound) {
			t.Errorf("View = %v, want ErrNotFound", err)
		}
	})
	t.Run("record_of_another_case_invalid", func(t *testing.T) {
		other := slices.Clone(records)
		other[0].Case = "c-other"
		if _, err := e.View(req(caseManager, absenceCase, read, "", ""), other, nil); !errors.Is(err, privacy.ErrInvalid) {
			t.Errorf("View = %v, want ErrInvalid", err)
		}
	})
	t.Run("view_shares_no_memory", func(t *testing.T) {
		rs := []privacy.Record{record("n-1", absenceCase, privacy.CategoryNotes, map[privacy.Field]string{privacy.FieldText: "before"})}
		v, err := e.View(req(caseManager, absenceCase, read, "", ""), rs, nil)
		if err != nil {
			t.Fatal(err)
		}
		rs[0].Fields[privacy.FieldText] = "after"
		if got, _ := v.Records[0].Field(privacy.FieldText); got != "before" {
			t.Errorf("the view changed with its input: %q", got)
		}
	})
	t.Run("O5_special_category_never_shown", func(t *testing.T) {
		rs := []privacy.Record{record("x-1", absenceCase, privacy.CategoryReligion, map[privacy.Field]string{privacy.FieldText: "x"})}
		v, err := e.View(req(physician, absenceCase, read, "", ""), rs, nil)
		if err != nil || len(v.Records) != 0 {
			t.Errorf("View = %d records, %v; want none", len(v.Records), err)
		}
	})
}

func TestVisible(t *testing.T) {
	e := engineFor(t, privacy.Strict())
	for _, tc := range []struct {
		name    string
		p       *access.Principal
		c       *privacy.Case
		consent bool
		allowed bool
		rule    privacy.RuleID
	}{
		{"O10_employer_never_knows_of_consultation", employer, consultCase, false, false, privacy.O10},
		{"O10_employer_never_knows_of_periodic_exam", employer, examCase, false, false, privacy.O10},
		{"O10_employer_with_consent_knows_of_consultation", employer, consultCase, true, true, privacy.O10},
		{"O9_employer_knows_of_absence_case", employer, absenceCase, false, true, privacy.O9},
		{"O2_other_employer_knows_nothing", employerOther, absenceCase, false, false, privacy.O2},
		{"O11_insurer_knows_of_covered_absence_case", insurer, absenceCase, false, true, privacy.O11},
		{"O11_insurer_not_covering_knows_nothing", insurerOther, absenceCase, false, false, privacy.O11},
		{"O11_insurer_never_knows_of_consultation", insurer, consultCase, true, false, privacy.RuleDefaultDeny},
		{"R12_administrator_knows_of_no_case", administrator, absenceCase, false, false, privacy.R12},
		{"R7_unassigned_case_manager_knows_nothing", caseManagerUnassigned, absenceCase, false, false, privacy.R7},
		{"R8_support_staff_knows_of_the_case", supportStaff, absenceCase, false, true, privacy.R8},
		{"O13_subject_knows_own_case", subject, absenceCase, false, true, privacy.O13},
		{"O13_other_subject_knows_nothing", otherSubject, absenceCase, false, false, privacy.O13},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := req(tc.p, tc.c, read, "", "")
			r.Consent = access.ConsentIf(tc.consent)
			if d := e.Visible(r); d.Allowed != tc.allowed || d.Rule != tc.rule {
				t.Errorf("Visible(%s) = %v, want allowed %t by %s", describe(r), d, tc.allowed, tc.rule)
			}
		})
	}
}

func TestList(t *testing.T) {
	e := engineFor(t, privacy.Strict())
	cases := []privacy.Case{*absenceCase, *consultCase, *examCase, *endedCase, *otherEmpCase}
	ids := func(cs []privacy.Case) []privacy.CaseID {
		var out []privacy.CaseID
		for _, c := range cs {
			out = append(out, c.ID)
		}
		return out
	}
	consentTo := func(id privacy.CaseID) access.ConsentChecker {
		return access.ConsentFunc(func(c privacy.Case, party privacy.PartyID) bool {
			return c.ID == id && party == "employer-1"
		})
	}
	for _, tc := range []struct {
		name    string
		p       *access.Principal
		purpose privacy.Purpose
		consent access.ConsentChecker
		want    []privacy.CaseID
	}{
		{"O10_employer_list_hides_consultation_and_exam", employer, "", nil, []privacy.CaseID{"c-abs"}},
		{"O10_employer_list_with_consent_shows_that_case_only", employer, "", consentTo("c-exam"), []privacy.CaseID{"c-abs", "c-exam"}},
		{"O2_employer_list_of_other_employer", employerOther, "", nil, []privacy.CaseID{"c-other"}},
		{"R5_list_for_one_purpose", caseManager, privacy.PurposePrevention, nil, []privacy.CaseID{"c-cons", "c-exam"}},
		{"R7_case_manager_lists_assigned_cases_in_force", caseManager, "", nil, []privacy.CaseID{"c-abs", "c-cons", "c-exam", "c-other"}},
		{"O11_insurer_lists_covered_absence_cases", insurer, "", nil, []privacy.CaseID{"c-abs"}},
		{"R12_administrator_lists_nothing", administrator, "", nil, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := ids(e.List(access.ListRequest{Principal: tc.p, Purpose: tc.purpose, Time: now, Consent: tc.consent}, cases))
			if !slices.Equal(got, tc.want) {
				t.Errorf("List(%s) = %v, want %v", tc.p.ID, got, tc.want)
			}
		})
	}
}

func TestViewTo(t *testing.T) {
	e := engineFor(t, privacy.Strict())
	records, medical := caseRecords(absenceCase)
	var v access.CaseView
	for _, p := range []*access.Principal{physician, insurer, caseManager, employer, physician} {
		want, err := e.View(req(p, absenceCase, read, "", ""), records, medical)
		if err != nil {
			t.Fatal(err)
		}
		if err := e.ViewTo(&v, req(p, absenceCase, read, "", ""), records, medical); err != nil {
			t.Fatal(err)
		}
		if got := visible(v); !slices.Equal(got, visible(want)) || v.Rule != want.Rule {
			t.Errorf("ViewTo(%s) = %v, View = %v", p.ID, got, visible(want))
		}
	}
	if allocs := testing.AllocsPerRun(50, func() {
		_ = e.ViewTo(&v, req(physician, absenceCase, read, "", ""), records, medical)
	}); allocs != 0 {
		t.Errorf("ViewTo reusing a grown view allocates %v times", allocs)
	}
	if err := e.ViewTo(&v, req(administrator, absenceCase, read, "", ""), records, medical); !errors.Is(err, privacy.ErrNotFound) || len(v.Records) != 0 {
		t.Errorf("ViewTo(administrator) = %d records, %v; want none and ErrNotFound", len(v.Records), err)
	}
}
