package access_test

import (
	"slices"
	"testing"

	"github.com/dossierwacht/dossierwacht/access"
	"github.com/dossierwacht/dossierwacht/privacy"
)

// restrictedRecords is a RestrictionChecker for the tests: the whole case
// when whole, else the records named.
type restrictedRecords struct {
	whole   bool
	records []privacy.RecordID
}

func (r restrictedRecords) Restricted(_ *privacy.Case, rec privacy.RecordID) bool {
	return r.whole || rec != "" && slices.Contains(r.records, rec)
}

// TestDecideRestriction: while a restriction of processing stands (GDPR
// art. 18, rule gdpr-18), the engine denies everything but the subject's
// own read and export of it, naming the restriction; with none, or on
// another record, it decides as ever.
func TestDecideRestriction(t *testing.T) {
	e := engineFor(t, privacy.Strict())
	whole := restrictedRecords{whole: true}
	one := restrictedRecords{records: []privacy.RecordID{"rec-1"}}
	with := func(r access.Request, rs access.RestrictionChecker, object string) access.Request {
		r.Restriction, r.Object = rs, object
		return r
	}
	tests := []struct {
		name    string
		req     access.Request
		allowed bool
		rule    privacy.RuleID
	}{
		{"GDPR18_none_stands_decided_as_ever", with(req(caseManager, absenceCase, read, privacy.CategoryNotes, ""), nil, "rec-1"), true, privacy.R7},
		{"GDPR18_case_manager_may_not_read", with(req(caseManager, absenceCase, read, privacy.CategoryNotes, ""), whole, "rec-1"), false, privacy.RuleRestriction},
		{"GDPR18_case_manager_may_not_write", with(req(caseManager, absenceCase, write, privacy.CategoryNotes, privacy.FieldText), whole, ""), false, privacy.RuleRestriction},
		{"GDPR18_physician_may_not_read_the_medical_file", with(req(physician, absenceCase, read, privacy.CategoryMedical, ""), whole, ""), false, privacy.RuleRestriction},
		{"GDPR18_subject_reads_her_own", with(req(subject, absenceCase, read, privacy.CategoryNotes, ""), whole, "rec-1"), true, privacy.O13},
		{"GDPR18_subject_exports_her_own", with(req(subject, absenceCase, privacy.ActionExport, privacy.CategoryNotes, ""), whole, "rec-1"), true, privacy.O13},
		{"GDPR18_a_record_restricted", with(req(caseManager, absenceCase, write, privacy.CategoryNotes, privacy.FieldText), one, "rec-1"), false, privacy.RuleRestriction},
		{"GDPR18_another_record_not", with(req(caseManager, absenceCase, write, privacy.CategoryNotes, privacy.FieldText), one, "rec-2"), true, privacy.R7},
		{"GDPR18_a_denial_keeps_its_own_rule", with(req(caseManagerUnassigned, absenceCase, read, privacy.CategoryNotes, ""), whole, "rec-1"), false, privacy.R7},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d := e.Decide(tc.req)
			if d.Allowed != tc.allowed || d.Rule != tc.rule {
				t.Errorf("Decide = %+v, want allowed=%t rule %s", d, tc.allowed, tc.rule)
			}
		})
	}
}

// TestViewRestriction: a view leaves the restricted records out for
// anyone but the subject (GDPR art. 18), and shows the rest.
func TestViewRestriction(t *testing.T) {
	e := engineFor(t, privacy.Strict())
	records, medical := caseRecords(absenceCase)
	if len(records) < 2 {
		t.Fatalf("fixture has %d records", len(records))
	}
	held := records[0].ID
	rs := restrictedRecords{records: []privacy.RecordID{held}}
	for _, tc := range []struct {
		name  string
		p     *access.Principal
		shown bool
	}{
		{"GDPR18_case_manager_does_not_see_it", caseManager, false},
		{"GDPR18_subject_sees_her_own", subject, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := req(tc.p, absenceCase, read, "", "")
			r.Restriction = rs
			v, err := e.View(r, records, medical)
			if err != nil {
				t.Fatal(err)
			}
			free, err := e.View(req(tc.p, absenceCase, read, "", ""), records, medical)
			if err != nil {
				t.Fatal(err)
			}
			ids := func(v access.CaseView) (out []privacy.RecordID) {
				for _, r := range v.Records {
					out = append(out, r.ID)
				}
				return out
			}
			got, all := ids(v), ids(free)
			if slices.Contains(got, held) != tc.shown {
				t.Errorf("view shows %v; restricted %s shown = %t, want %t", got, held, !tc.shown, tc.shown)
			}
			if want := slices.DeleteFunc(slices.Clone(all), func(id privacy.RecordID) bool { return !tc.shown && id == held }); !slices.Equal(got, want) {
				t.Errorf("view shows %v, want %v", got, want)
			}
		})
	}
}
