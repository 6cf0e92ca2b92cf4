package retention_test

import (
	"slices"
	"testing"
	"time"

	"github.com/dossierwacht/dossierwacht/privacy"
	"github.com/dossierwacht/dossierwacht/retention"
)

// TestHoldKeepsCase checks what a hold keeps of a case deleted whole
// (rule G3): the stores refuse DeleteCase on it.
func TestHoldKeepsCase(t *testing.T) {
	for _, tc := range []struct {
		name    string
		hold    retention.Hold
		whole   bool
		records []privacy.RecordID
	}{
		{"G3_whole_subject_keeps_every_case", retention.Hold{Subject: "s-1"}, true, nil},
		{"G3_hold_of_the_case", retention.Hold{Subject: "s-1", Case: "c-1"}, true, nil},
		{"G3_records_of_the_case_keep_it", retention.Hold{Subject: "s-1", Case: "c-1", Records: []privacy.RecordID{"r-1"}}, true, nil},
		{"G3_another_case_keeps_nothing", retention.Hold{Subject: "s-1", Case: "c-2"}, false, nil},
		{"G3_records_of_another_case_keep_nothing", retention.Hold{Subject: "s-1", Case: "c-2", Records: []privacy.RecordID{"r-9"}}, false, nil},
		{"G3_subject_records_named_for_the_caller", retention.Hold{Subject: "s-1", Records: []privacy.RecordID{"r-1", "r-9"}}, false,
			[]privacy.RecordID{"r-1", "r-9"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			whole, records := tc.hold.KeepsCase("c-1")
			if whole != tc.whole || !slices.Equal(records, tc.records) {
				t.Errorf("KeepsCase(c-1) = %t, %v; want %t, %v", whole, records, tc.whole, tc.records)
			}
		})
	}
}

// TestHoldKeepsWhole checks which holds keep a case or a subject whole,
// and which changes alter what they keep (rule G3): the stores refuse
// such a change of held data.
func TestHoldKeepsWhole(t *testing.T) {
	for _, tc := range []struct {
		name            string
		hold            retention.Hold
		subject, caseC1 bool
	}{
		{"G3_whole_subject", retention.Hold{Subject: "s-1"}, true, true},
		{"G3_case", retention.Hold{Subject: "s-1", Case: "c-1"}, false, true},
		{"G3_another_case", retention.Hold{Subject: "s-1", Case: "c-2"}, false, false},
		{"G3_records_of_the_case", retention.Hold{Subject: "s-1", Case: "c-1", Records: []privacy.RecordID{"r-1"}}, false, false},
		{"G3_records_of_the_subject", retention.Hold{Subject: "s-1", Records: []privacy.RecordID{"r-1"}}, false, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.hold.HoldsSubject(); got != tc.subject {
				t.Errorf("HoldsSubject() = %t, want %t", got, tc.subject)
			}
			if got := tc.hold.HoldsCase("c-1"); got != tc.caseC1 {
				t.Errorf("HoldsCase(c-1) = %t, want %t", got, tc.caseC1)
			}
		})
	}
	t0 := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	open := privacy.Case{ID: "c-1", Subject: "s-1", Kind: privacy.CaseAbsence, Purpose: privacy.PurposeAbsenceGuidance,
		Contract: privacy.Contract{ID: "k-1", Party: "e-1", PartyKind: privacy.PartyEmployer, Start: t0}, Opened: t0}
	closed := open
	closed.Closed = t0.AddDate(0, 1, 0)
	for _, tc := range []struct {
		name      string
		old, next privacy.Case
		alters    bool
	}{
		{"G3_same", open, open, false},
		{"G3_closing_adds_a_fact", open, closed, false},
		{"G3_the_same_time_in_another_zone", closed, withClosed(closed, closed.Closed.In(time.FixedZone("CET", 3600))), false},
		{"G3_reopening", closed, open, true},
		{"G3_closing_again_later", closed, withClosed(closed, closed.Closed.Add(time.Hour)), true},
		{"G3_another_purpose", open, withPurpose(open, privacy.PurposePrevention), true},
	} {
		t.Run("case/"+tc.name, func(t *testing.T) {
			if got := retention.AltersCase(tc.old, tc.next); got != tc.alters {
				t.Errorf("AltersCase = %t, want %t", got, tc.alters)
			}
		})
	}
	s := privacy.Subject{ID: "s-1", Employer: "e-1", Created: t0}
	ended := s
	ended.EmploymentEnded = t0.AddDate(1, 0, 0)
	later := ended
	later.EmploymentEnded = ended.EmploymentEnded.AddDate(0, 0, 1)
	moved := s
	moved.Employer = "e-2"
	for _, tc := range []struct {
		name      string
		old, next privacy.Subject
		alters    bool
	}{
		{"G3_same", s, s, false},
		{"G3_end_of_employment_adds_a_fact", s, ended, false},
		{"G3_another_end", ended, later, true},
		{"G3_end_undone", ended, s, true},
		{"G3_another_employer", s, moved, true},
	} {
		t.Run("subject/"+tc.name, func(t *testing.T) {
			if got := retention.AltersSubject(tc.old, tc.next); got != tc.alters {
				t.Errorf("AltersSubject = %t, want %t", got, tc.alters)
			}
		})
	}
}

func withClosed(c privacy.Case, at time.Time) privacy.Case { c.Closed = at; return c }

func withPurpose(c privacy.Case, p privacy.Purpose) privacy.Case { c.Purpose = p; return c }
