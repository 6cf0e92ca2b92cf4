package retention_test

import (
	"slices"
	"testing"
	"time"

	"github.com/dossierwacht/dossierwacht/privacy"
	"github.com/dossierwacht/dossierwacht/privacy/calendar"
	"github.com/dossierwacht/dossierwacht/retention"
)

func utc(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}

func day(tb testing.TB, s string) calendar.Date {
	tb.Helper()
	if s == "" {
		return calendar.Date{}
	}
	d, err := calendar.ParseDate(s)
	if err != nil {
		tb.Fatalf("ParseDate(%q): %v", s, err)
	}
	return d
}

func rulesOf(tb testing.TB, p *privacy.Policy) *retention.Engine {
	tb.Helper()
	r, err := retention.NewEngine(p)
	if err != nil {
		tb.Fatalf("NewEngine: %v", err)
	}
	return r
}

func withRules(p *privacy.Policy, extra ...privacy.RetentionRule) *privacy.Policy {
	p.Retention = append(p.Retention, extra...)
	return p
}

// fact is one record in one case of one subject: the inputs of a schedule.
type fact struct {
	kind     privacy.CaseKind
	cat      privacy.Category
	created  string // RFC 3339; default 2023-01-10T09:00:00Z
	closed   string // "" = open
	empEnded string // "" = employment continues
	employer privacy.PartyID
	holds    []retention.Hold
	erasures []retention.Erasure
}

func (f fact) dossier() *retention.Dossier {
	created := utc("2023-01-10T09:00:00Z")
	if f.created != "" {
		created = utc(f.created)
	}
	sub := privacy.Subject{ID: "s-1", Employer: f.employer, Created: created}
	if f.empEnded != "" {
		sub.EmploymentEnded = utc(f.empEnded)
	}
	c := privacy.Case{ID: "c-1", Subject: "s-1", Kind: f.kind, Purpose: privacy.PurposeAbsenceGuidance, Opened: created}
	if f.closed != "" {
		c.Closed = utc(f.closed)
	}
	return &retention.Dossier{Subject: sub, Holds: f.holds, Erasures: f.erasures,
		Cases: []retention.CaseFile{{Case: c, Records: []retention.Entry{{ID: "r-1", Category: f.cat,
			Medical: f.cat.Medical(), Created: created, Updated: created}}}}}
}

func hold(id retention.HoldID, placed, lifted string) retention.Hold {
	h := retention.Hold{ID: id, Subject: "s-1", Ground: retention.GroundLegalClaim, Reason: "claim C/16/1",
		PlacedBy: "officer-1", Placed: utc(placed)}
	if lifted != "" {
		h.Lifted, h.LiftedBy, h.LiftReason = utc(lifted), "officer-1", "settled"
	}
	return h
}

func erasure(rule privacy.RuleID, received, decided string) retention.Erasure {
	return retention.Erasure{ID: "e-1", Subject: "s-1", Rule: rule, Received: utc(received), Decided: utc(decided),
		DecidedBy: "officer-1"}
}

// TestSchedule checks schedules against dates worked out by hand. Case names
// carry the rule each one checks.
func TestSchedule(t *testing.T) {
	strict := rulesOf(t, privacy.Strict())
	regR := rulesOf(t, privacy.RegulationR())
	exposure := rulesOf(t, withRules(privacy.Strict(), privacy.ExposureExamRetention()))
	selfIns := rulesOf(t, withRules(privacy.Strict(), privacy.SelfInsurerRetention()))
	monthPolicy := privacy.Strict()
	// Appointments kept a month, beside the statutory fiscal rule that no
	// policy drops (R9, N7).
	monthPolicy.Retention = append([]privacy.RetentionRule{{Rule: privacy.O12, Categories: []privacy.Category{privacy.CategoryAppointment},
		Trigger: privacy.TriggerRecordCreated, Period: privacy.Months(1), Citation: "regulation O", Reason: "appointments: a month"}},
		slices.DeleteFunc(monthPolicy.Retention, func(r privacy.RetentionRule) bool { return !r.Statutory })...)
	// Rule R9: every category of every kind of case has a rule; the rest
	// is kept 2 years after closing.
	monthPolicy.Retention = append(monthPolicy.Retention, privacy.RetentionRule{Rule: privacy.R9, Trigger: privacy.TriggerCaseClosed,
		Period: privacy.Years(2), Citation: "regulation R", Reason: "the rest: 2 years after closing"})
	monthly := rulesOf(t, monthPolicy)

	tests := []struct {
		name  string
		rules *retention.Engine
		f     fact
		now   string
		// want
		status retention.Status
		reason retention.Reason
		rule   privacy.RuleID
		due    string
		floor  string
		dead   string
		refuse bool
	}{
		// R9: 2 years after the trajectory closes; 15 March 2024 + 2Y = 15
		// March 2026, due from 16 March.
		{name: "R9_reintegration_two_years_after_closure", rules: strict,
			f:   fact{kind: privacy.CaseReintegration, cat: privacy.CategoryNotes, closed: "2024-03-15T10:00:00Z"},
			now: "2026-03-15T22:59:59Z", status: retention.StatusScheduled, reason: retention.ReasonMaximum, rule: privacy.R9, due: "2026-03-16"},
		// 23:00 UTC on 15 March is 00:00 on 16 March in Amsterdam (CET).
		{name: "R9_due_from_midnight_amsterdam", rules: strict,
			f:   fact{kind: privacy.CaseReintegration, cat: privacy.CategoryNotes, closed: "2024-03-15T10:00:00Z"},
			now: "2026-03-15T23:00:00Z", status: retention.StatusDue, reason: retention.ReasonMaximum, rule: privacy.R9, due: "2026-03-16"},
		// Closed at 23:30 UTC on 14 March = 00:30 on 15 March in Amsterdam.
		{name: "R9_closing_day_is_the_amsterdam_day", rules: strict,
			f:   fact{kind: privacy.CaseReintegration, cat: privacy.CategoryNotes, closed: "2024-03-14T23:30:00Z"},
			now: "2026-03-15T12:00:00Z", status: retention.StatusScheduled, reason: retention.ReasonMaximum, rule: privacy.R9, due: "2026-03-16"},
		// Summer time: 22:30 UTC on 26 October 2024 is 00:30 CEST on 27 October.
		{name: "R9_closing_day_in_summer_time", rules: strict,
			f:   fact{kind: privacy.CaseReintegration, cat: privacy.CategoryNotes, closed: "2024-10-26T22:30:00Z"},
			now: "2026-10-27T12:00:00Z", status: retention.StatusScheduled, reason: retention.ReasonMaximum, rule: privacy.R9, due: "2026-10-28"},
		// R9 (issue 14 §1): a trajectory left open ends for retention at
		// its last activity, here its one record of 10 January 2023: it
		// is kept while it is worked on, and goes 2 years after the last
		// thing recorded in it (10 January 2025 + 1 day).
		{name: "R9_open_trajectory_kept_while_worked_on", rules: strict,
			f:   fact{kind: privacy.CaseReintegration, cat: privacy.CategoryNotes},
			now: "2024-12-01T00:00:00Z", status: retention.StatusScheduled, reason: retention.ReasonMaximum, rule: privacy.R9, due: "2025-01-11"},
		{name: "R9_open_trajectory_abandoned_goes", rules: strict,
			f:   fact{kind: privacy.CaseReintegration, cat: privacy.CategoryNotes},
			now: "2030-01-01T00:00:00Z", status: retention.StatusDue, reason: retention.ReasonMaximum, rule: privacy.R9, due: "2025-01-11"},
		// R9: data under the fiscal duty 7 years (statutory, the only rule
		// for employment data), from the end of the year the case closed
		// (AWR art. 52(4) in practice): closed 15 March 2024, 31 December
		// 2024 + 7Y, due 1 January 2032.
		{name: "R9_statutory_data_seven_years", rules: strict,
			f:   fact{kind: privacy.CaseReintegration, cat: privacy.CategoryEmployment, closed: "2024-03-15T10:00:00Z"},
			now: "2026-06-01T00:00:00Z", status: retention.StatusScheduled, reason: retention.ReasonStatute, rule: privacy.R9,
			due: "2032-01-01", floor: "2032-01-01"},
		{name: "R9_erasure_brings_date_forward", rules: strict,
			f: fact{kind: privacy.CaseReintegration, cat: privacy.CategoryNotes, closed: "2024-03-15T10:00:00Z",
				erasures: []retention.Erasure{erasure(privacy.R9, "2025-01-06T09:00:00Z", "2025-01-10T15:00:00Z")}},
			now: "2025-01-10T16:00:00Z", status: retention.StatusDue, reason: retention.ReasonErasure, rule: privacy.R9, due: "2025-01-10"},
		// O13: deletion on a written request under regulation O.
		{name: "O13_erasure_request_brings_date_forward", rules: strict,
			f: fact{kind: privacy.CaseAbsence, cat: privacy.CategoryAbsenceReason, closed: "2025-11-30T10:00:00Z",
				erasures: []retention.Erasure{erasure(privacy.O13, "2025-12-01T09:00:00Z", "2025-12-04T09:00:00Z")}},
			now: "2025-12-04T09:00:00Z", status: retention.StatusDue, reason: retention.ReasonErasure, rule: privacy.O13, due: "2025-12-04"},
		{name: "R9_erasure_while_trajectory_open", rules: strict,
			f: fact{kind: privacy.CaseReintegration, cat: privacy.CategoryNotes,
				erasures: []retention.Erasure{erasure(privacy.R9, "2025-01-06T09:00:00Z", "2025-01-10T15:00:00Z")}},
			now: "2025-01-11T00:00:00Z", status: retention.StatusDue, reason: retention.ReasonErasure, rule: privacy.R9, due: "2025-01-10"},
		{name: "R9_erasure_not_yet_decided_has_no_effect", rules: strict,
			f: fact{kind: privacy.CaseReintegration, cat: privacy.CategoryNotes, closed: "2024-03-15T10:00:00Z",
				erasures: []retention.Erasure{erasure(privacy.R9, "2025-01-06T09:00:00Z", "2025-01-10T15:00:00Z")}},
			now: "2025-01-09T00:00:00Z", status: retention.StatusScheduled, reason: retention.ReasonMaximum, rule: privacy.R9, due: "2026-03-16"},

		// O12: absence case, 2 years after it closes. 29 February 2024 + 2Y
		// ends 28 February 2026 (1182/71 clamping); due 1 March.
		{name: "O12_leap_day_plus_two_years", rules: strict,
			f:   fact{kind: privacy.CaseAbsence, cat: privacy.CategoryAbsenceFacts, closed: "2024-02-29T12:00:00Z"},
			now: "2026-02-28T12:00:00Z", status: retention.StatusScheduled, reason: retention.ReasonMaximum, rule: privacy.O12, due: "2026-03-01"},
		{name: "O12_leap_day_due_on_first_of_march", rules: strict,
			f:   fact{kind: privacy.CaseAbsence, cat: privacy.CategoryAbsenceFacts, closed: "2024-02-29T12:00:00Z"},
			now: "2026-02-28T23:00:00Z", status: retention.StatusDue, reason: retention.ReasonMaximum, rule: privacy.O12, due: "2026-03-01"},
		{name: "O12_consultation_two_years", rules: strict,
			f:   fact{kind: privacy.CaseConsultation, cat: privacy.CategoryConsultation, closed: "2025-08-31T08:00:00Z"},
			now: "2026-01-01T00:00:00Z", status: retention.StatusScheduled, reason: retention.ReasonMaximum, rule: privacy.O12, due: "2027-09-01"},
		// O12 and N7 are both maximums: the earliest wins. Employment ended
		// 31 December 2023 (Amsterdam: 2023-12-31) + 2Y = 31 December 2025,
		// before the case's 1 June 2024 + 2Y.
		{name: "N7_employment_end_before_O12", rules: strict,
			f: fact{kind: privacy.CaseAbsence, cat: privacy.CategoryNotes, closed: "2024-06-01T10:00:00Z",
				empEnded: "2023-12-31T10:00:00Z", employer: "employer-1"},
			now: "2025-06-01T00:00:00Z", status: retention.StatusScheduled, reason: retention.ReasonMaximum, rule: privacy.N7, due: "2026-01-01"},
		{name: "O12_before_N7_employment_end", rules: strict,
			f: fact{kind: privacy.CaseAbsence, cat: privacy.CategoryNotes, closed: "2024-06-01T10:00:00Z",
				empEnded: "2025-03-31T10:00:00Z", employer: "employer-1"},
			now: "2025-06-01T00:00:00Z", status: retention.StatusScheduled, reason: retention.ReasonMaximum, rule: privacy.O12, due: "2026-06-02"},
		// O8: the end of employment drives the medical file's 20 years (N7).
		{name: "O8_employment_end_starts_medical_twenty_years", rules: strict,
			f: fact{kind: privacy.CaseAbsence, cat: privacy.CategoryMedical, closed: "2024-06-01T10:00:00Z",
				empEnded: "2025-01-31T16:00:00Z", employer: "employer-1"},
			now: "2026-01-01T00:00:00Z", status: retention.StatusScheduled, reason: retention.ReasonMaximum, rule: privacy.N7, due: "2045-02-01"},
		{name: "O8_employment_continues_medical_kept", rules: strict,
			f:   fact{kind: privacy.CaseAbsence, cat: privacy.CategoryMedical, closed: "2024-06-01T10:00:00Z", employer: "employer-1"},
			now: "2040-01-01T00:00:00Z", status: retention.StatusKept, reason: retention.ReasonPending, rule: privacy.N7},
		{name: "O8_employment_ending_later_is_not_yet_ended", rules: strict,
			f: fact{kind: privacy.CaseAbsence, cat: privacy.CategoryMedical, closed: "2024-06-01T10:00:00Z",
				empEnded: "2027-01-31T16:00:00Z", employer: "employer-1"},
			now: "2026-01-01T00:00:00Z", status: retention.StatusKept, reason: retention.ReasonPending, rule: privacy.N7},

		// N7: statutory periods are minimums; the longest wins over the
		// policy maximums. Self-insurer 5 years: 15 March 2024 + 5Y.
		{name: "N7_self_insurer_five_years_outlasts_O12", rules: selfIns,
			f:   fact{kind: privacy.CaseAbsence, cat: privacy.CategoryAbsenceFacts, closed: "2024-03-15T10:00:00Z"},
			now: "2026-06-01T00:00:00Z", status: retention.StatusScheduled, reason: retention.ReasonStatute, rule: privacy.N7,
			due: "2029-03-16", floor: "2029-03-16"},
		// Exposure examinations: 40 years after 1 May 2025, past the medical
		// file's 20 years after employment ends (30 June 2025).
		{name: "N7_exposure_exam_forty_years", rules: exposure,
			f: fact{kind: privacy.CasePeriodicExam, cat: privacy.CategoryMedical, closed: "2025-05-01T10:00:00Z",
				empEnded: "2025-06-30T10:00:00Z", employer: "employer-1"},
			now: "2026-01-01T00:00:00Z", status: retention.StatusScheduled, reason: retention.ReasonStatute, rule: privacy.N7,
			due: "2065-07-01", floor: "2065-07-01"}, // 40 years from the end of the employment, the last day of exposure
		{name: "N7_statute_pending_while_case_open", rules: exposure,
			f:   fact{kind: privacy.CasePeriodicExam, cat: privacy.CategoryConsultation, closed: "2025-05-01T10:00:00Z", employer: "employer-1"},
			now: "2026-01-01T00:00:00Z", status: retention.StatusKept, reason: retention.ReasonPending, rule: privacy.N7},
		{name: "N7_statute_ended_goes", rules: selfIns,
			f:   fact{kind: privacy.CaseAbsence, cat: privacy.CategoryAbsenceFacts, closed: "2024-03-15T10:00:00Z"},
			now: "2029-03-16T00:00:00+01:00", status: retention.StatusDue, reason: retention.ReasonStatute, rule: privacy.N7,
			due: "2029-03-16", floor: "2029-03-16"},

		// G3: a legal hold keeps a due record; a lifted one does not.
		{name: "G3_hold_keeps_due_record", rules: strict,
			f: fact{kind: privacy.CaseAbsence, cat: privacy.CategoryNotes, closed: "2020-01-10T10:00:00Z",
				holds: []retention.Hold{hold("h-1", "2025-01-01T00:00:00Z", "")}},
			now: "2026-01-01T00:00:00Z", status: retention.StatusKept, reason: retention.ReasonHold, rule: privacy.G3, due: "2022-01-11"},
		{name: "G3_lifted_hold_releases", rules: strict,
			f: fact{kind: privacy.CaseAbsence, cat: privacy.CategoryNotes, closed: "2020-01-10T10:00:00Z",
				holds: []retention.Hold{hold("h-1", "2025-01-01T00:00:00Z", "2025-06-01T00:00:00Z")}},
			now: "2026-01-01T00:00:00Z", status: retention.StatusDue, reason: retention.ReasonMaximum, rule: privacy.O12, due: "2022-01-11"},
		{name: "G3_hold_on_other_case_does_not_apply", rules: strict,
			f: fact{kind: privacy.CaseAbsence, cat: privacy.CategoryNotes, closed: "2020-01-10T10:00:00Z",
				holds: []retention.Hold{func() retention.Hold { h := hold("h-1", "2025-01-01T00:00:00Z", ""); h.Case = "c-9"; return h }()}},
			now: "2026-01-01T00:00:00Z", status: retention.StatusDue, reason: retention.ReasonMaximum, rule: privacy.O12, due: "2022-01-11"},
		{name: "G3_hold_blocks_erasure", rules: strict,
			f: fact{kind: privacy.CaseAbsence, cat: privacy.CategoryNotes, created: "2024-06-01T09:00:00Z",
				holds:    []retention.Hold{hold("h-1", "2025-01-01T00:00:00Z", "")},
				erasures: []retention.Erasure{erasure(privacy.O13, "2025-02-01T09:00:00Z", "2025-02-03T09:00:00Z")}},
			now: "2025-03-01T00:00:00Z", status: retention.StatusKept, reason: retention.ReasonHold, rule: privacy.G3, due: "2025-02-03", refuse: true},
		// G3: a statutory duty blocks erasure: the fiscal 7 years stay.
		{name: "G3_statute_blocks_erasure", rules: strict,
			f: fact{kind: privacy.CaseAbsence, cat: privacy.CategoryEmployment, closed: "2024-03-15T10:00:00Z",
				erasures: []retention.Erasure{erasure(privacy.O13, "2025-02-01T09:00:00Z", "2025-02-03T09:00:00Z")}},
			now: "2025-03-01T00:00:00Z", status: retention.StatusScheduled, reason: retention.ReasonStatute, rule: privacy.R9,
			due: "2032-01-01", floor: "2032-01-01", refuse: true},
		// The case open: its fiscal 7 years run from the end of the year
		// of its last activity (10 January 2023), and move on with it.
		{name: "G3_statute_of_open_case_blocks_erasure", rules: strict,
			f: fact{kind: privacy.CaseAbsence, cat: privacy.CategoryEmployment,
				erasures: []retention.Erasure{erasure(privacy.O13, "2025-02-01T09:00:00Z", "2025-02-03T09:00:00Z")}},
			now: "2025-03-01T00:00:00Z", status: retention.StatusScheduled, reason: retention.ReasonStatute, rule: privacy.R9,
			due: "2031-01-01", floor: "2031-01-01", refuse: true},
		// A statute whose trigger has not happened blocks erasure: the
		// case's last activity is still ahead (a record dated later than
		// now).
		{name: "G3_statute_not_started_blocks_erasure", rules: strict,
			f: fact{kind: privacy.CaseAbsence, cat: privacy.CategoryEmployment, created: "2025-03-02T09:00:00Z",
				erasures: []retention.Erasure{erasure(privacy.O13, "2025-02-01T09:00:00Z", "2025-02-03T09:00:00Z")}},
			now: "2025-03-01T00:00:00Z", status: retention.StatusKept, reason: retention.ReasonPending, rule: privacy.R9, refuse: true},
		// N8: a granted erasure of the medical file, within 3 months of
		// receipt: received 30 January 2026, deadline 30 April 2026 (a
		// Thursday, no holiday).
		{name: "N8_medical_erasure_three_months", rules: strict,
			f: fact{kind: privacy.CaseAbsence, cat: privacy.CategoryMedical, closed: "2025-06-01T10:00:00Z",
				erasures: []retention.Erasure{erasure(privacy.O13, "2026-01-30T09:00:00Z", "2026-02-02T09:00:00Z")}},
			now: "2026-02-02T10:00:00Z", status: retention.StatusDue, reason: retention.ReasonErasure, rule: privacy.N8,
			due: "2026-02-02", dead: "2026-04-30"},
		// Received 31 January 2026: 3 months end 30 April 2026 (clamped).
		{name: "N8_medical_erasure_month_end", rules: strict,
			f: fact{kind: privacy.CaseAbsence, cat: privacy.CategoryMedical,
				erasures: []retention.Erasure{erasure(privacy.O13, "2026-01-31T09:00:00Z", "2026-02-02T09:00:00Z")}},
			now: "2026-02-02T10:00:00Z", status: retention.StatusDue, reason: retention.ReasonErasure, rule: privacy.N8,
			due: "2026-02-02", dead: "2026-04-30"},
		{name: "N8_exposure_statute_outlasts_medical_erasure", rules: exposure,
			f: fact{kind: privacy.CasePeriodicExam, cat: privacy.CategoryMedical, closed: "2025-05-01T10:00:00Z",
				empEnded: "2025-06-30T10:00:00Z", employer: "employer-1",
				erasures: []retention.Erasure{erasure(privacy.O13, "2026-01-30T09:00:00Z", "2026-02-02T09:00:00Z")}},
			now: "2026-02-02T10:00:00Z", status: retention.StatusScheduled, reason: retention.ReasonStatute, rule: privacy.N7,
			due: "2065-07-01", floor: "2065-07-01", refuse: true},

		// Month ends: 31 January + 1 month = 28 February (29 in 2024).
		{name: "O12_month_end_clamped", rules: monthly,
			f:   fact{kind: privacy.CaseAbsence, cat: privacy.CategoryAppointment, created: "2025-01-31T10:00:00Z"},
			now: "2025-02-28T12:00:00Z", status: retention.StatusScheduled, reason: retention.ReasonMaximum, rule: privacy.O12, due: "2025-03-01"},
		{name: "O12_month_end_leap_year", rules: monthly,
			f:   fact{kind: privacy.CaseAbsence, cat: privacy.CategoryAppointment, created: "2024-01-31T10:00:00Z"},
			now: "2024-03-01T00:00:00+01:00", status: retention.StatusDue, reason: retention.ReasonMaximum, rule: privacy.O12, due: "2024-03-01"},

		// Rule R9 covers absence cases under regulation R too. This was
		// "kept, no rule" forever (issue 14): a policy may no longer leave
		// a category of a kind of case without a rule.
		{name: "R9_absence_case_under_regulation_R", rules: regR,
			f:   fact{kind: privacy.CaseAbsence, cat: privacy.CategoryIdentity, closed: "2010-01-01T00:00:00Z"},
			now: "2030-01-01T00:00:00Z", status: retention.StatusDue, reason: retention.ReasonMaximum, rule: privacy.R9, due: "2012-01-02"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d := tc.f.dossier()
			got := tc.rules.Schedule(nil, d, utc(tc.now))
			if len(got) != 1 {
				t.Fatalf("Schedule returned %d schedules, want 1", len(got))
			}
			s := got[0]
			if s.Status != tc.status || s.Reason != tc.reason || s.Rule != tc.rule || s.Due != day(t, tc.due) ||
				s.Floor != day(t, tc.floor) || s.Deadline != day(t, tc.dead) || s.Refused() != tc.refuse {
				t.Errorf("Schedule = {status %s, reason %s, rule %s, due %q, floor %q, deadline %q, refused %t},\n"+
					"      want {status %s, reason %s, rule %s, due %q, floor %q, deadline %q, refused %t}",
					s.Status, s.Reason, s.Rule, s.Due, s.Floor, s.Deadline, s.Refused(),
					tc.status, tc.reason, tc.rule, tc.due, tc.floor, tc.dead, tc.refuse)
			}
			if s.IsDue() != (tc.status == retention.StatusDue) {
				t.Errorf("IsDue = %t, want %t", s.IsDue(), tc.status == retention.StatusDue)
			}
			x, err := tc.rules.Explain(d, "r-1", utc(tc.now))
			if err != nil {
				t.Fatalf("Explain: %v", err)
			}
			if x.Schedule != s || x.Why == "" {
				t.Errorf("Explain = %+v, want the same schedule and a reason", x)
			}
		})
	}
}

// TestAuditDue checks rule N9: audit events are kept 5 years.
func TestAuditDue(t *testing.T) {
	r := rulesOf(t, privacy.Strict())
	for _, tc := range []struct {
		name, at, want string
	}{
		{"N9_five_years", "2024-03-15T10:00:00Z", "2029-03-16"},
		{"N9_leap_day", "2024-02-29T10:00:00Z", "2029-03-01"},
		{"N9_amsterdam_day", "2024-12-31T23:30:00Z", "2030-01-02"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := r.AuditDue(privacy.Event{Time: utc(tc.at)}); got != day(t, tc.want) {
				t.Errorf("AuditDue(%s) = %s, want %s", tc.at, got, tc.want)
			}
		})
	}
	if got := r.AuditRule(); got.Rule != privacy.N9 || got.Period != privacy.Years(5) {
		t.Errorf("AuditRule = %+v, want N9 P5Y", got)
	}
}

func TestDue(t *testing.T) {
	if got, want := retention.Due(utc("2024-02-29T12:00:00Z"), privacy.Years(2)), day(t, "2026-03-01"); got != want {
		t.Errorf("Due(2024-02-29, P2Y) = %s, want %s", got, want)
	}
}

func TestNewRulesInvalid(t *testing.T) {
	if _, err := retention.NewEngine(nil); err == nil {
		t.Error("NewEngine(nil) succeeded")
	}
	p := privacy.Strict()
	p.Retention[0].Trigger = "whenever"
	if _, err := retention.NewEngine(p); err == nil {
		t.Error("NewEngine(unknown trigger) succeeded")
	}
}

// Rules R9, O12, N7: under every ready policy, every category of every kind
// of case has a rule that ends it: a record of a closed case of a subject
// whose employment ended is due once every period has run. Regulation R
// kept absence cases and the medical file of a closed reintegration
// trajectory forever (issue 14); this test failed then.
func TestReadyPoliciesLeaveNothingWithoutARule(t *testing.T) {
	t0 := time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)
	for _, p := range []*privacy.Policy{privacy.RegulationR(), privacy.RegulationO(), privacy.Strict()} {
		e := rulesOf(t, p)
		for _, k := range privacy.CaseKinds() {
			cf := retention.CaseFile{Case: privacy.Case{ID: "c", Subject: "s", Kind: k, Opened: t0, Closed: t0.Add(time.Hour)}}
			for _, c := range privacy.Categories() {
				cf.Records = append(cf.Records, retention.Entry{ID: privacy.RecordID("r-" + c), Category: c, Medical: c.Medical(), Created: t0, Updated: t0})
			}
			d := retention.Dossier{Subject: privacy.Subject{ID: "s", Created: t0, EmploymentEnded: t0.AddDate(1, 0, 0)}, Cases: []retention.CaseFile{cf}}
			for _, s := range e.Schedule(nil, &d, t0.AddDate(60, 0, 0)) {
				if !s.IsDue() || s.Reason == retention.ReasonNoRule {
					t.Errorf("%s: %s in %s cases: %s, want due", p.Name, s.Category, k, s)
				}
			}
		}
	}
}
