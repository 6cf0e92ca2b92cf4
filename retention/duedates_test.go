package retention_test

import (
	"testing"
	"time"

	"github.com/dossierwacht/dossierwacht/privacy"
	"github.com/dossierwacht/dossierwacht/privacy/calendar"
	"github.com/dossierwacht/dossierwacht/retention"
)

// ams returns the instant of a wall-clock time in Europe/Amsterdam.
func ams(y int, m time.Month, d, h, min int) time.Time {
	return time.Date(y, m, d, h, min, 0, 0, calendar.Amsterdam())
}

func mustDay(tb testing.TB, s string) calendar.Date {
	tb.Helper()
	d, err := calendar.ParseDate(s)
	if err != nil {
		tb.Fatal(err)
	}
	return d
}

// TestDueDateTableR9O12N7N9 compares the due dates of the ready policies
// with a table worked out by hand: a period of years runs from the day of
// its trigger in Europe/Amsterdam (the day itself not counted, EU 1182/71
// art. 3(1)), ends with the day of the same date (or the month's last day,
// art. 3(2)(c)), and the record is due from 00:00 Amsterdam time on the
// next day — not a nanosecond earlier.
func TestDueDateTableR9O12N7N9(t *testing.T) {
	type row struct {
		name     string
		policy   func() *privacy.Policy
		kind     privacy.CaseKind
		party    privacy.PartyKind
		cat      privacy.Category
		closed   time.Time // case closed
		employed time.Time // employment ended (zero: lasting)
		rule     privacy.RuleID
		due      string
	}
	never := time.Time{}
	rows := []row{
		// Two years after closing (O12, R9).
		{"O12_leap_day_plus_2y", privacy.RegulationO, privacy.CaseAbsence, privacy.PartyEmployer, privacy.CategoryNotes,
			ams(2024, 2, 29, 10, 0), never, privacy.O12, "2026-03-01"},
		{"O12_28_feb_plus_2y_into_leap_year", privacy.RegulationO, privacy.CaseAbsence, privacy.PartyEmployer, privacy.CategoryNotes,
			ams(2026, 2, 28, 10, 0), never, privacy.O12, "2028-02-29"},
		{"R9_31_january_plus_2y", privacy.RegulationR, privacy.CaseReintegration, privacy.PartyMunicipality, privacy.CategoryNotes,
			ams(2023, 1, 31, 12, 0), never, privacy.R9, "2025-02-01"},
		{"R9_31_december_late_evening", privacy.RegulationR, privacy.CaseReintegration, privacy.PartyMunicipality, privacy.CategoryNotes,
			ams(2024, 12, 31, 23, 59), never, privacy.R9, "2027-01-01"},
		{"R9_31_december_utc_is_1_january_in_amsterdam", privacy.RegulationR, privacy.CaseReintegration, privacy.PartyMunicipality, privacy.CategoryNotes,
			time.Date(2024, 12, 31, 23, 30, 0, 0, time.UTC), never, privacy.R9, "2027-01-02"},
		{"R9_dst_start_night", privacy.Strict, privacy.CaseReintegration, privacy.PartyEmployer, privacy.CategoryNotes,
			time.Date(2025, 3, 29, 23, 30, 0, 0, time.UTC), never, privacy.R9, "2027-03-31"}, // 00:30 CET on 30 March
		{"R9_dst_end_night", privacy.Strict, privacy.CaseReintegration, privacy.PartyEmployer, privacy.CategoryNotes,
			time.Date(2025, 10, 25, 22, 30, 0, 0, time.UTC), never, privacy.R9, "2027-10-27"}, // 00:30 CEST on 26 October
		{"R9_summer_time_utc_evening", privacy.Strict, privacy.CaseReintegration, privacy.PartyEmployer, privacy.CategoryNotes,
			time.Date(2025, 6, 30, 22, 15, 0, 0, time.UTC), never, privacy.R9, "2027-07-02"}, // 00:15 CEST on 1 July
		// Absence administration: 2 years after the employment ends, when
		// that comes before the case's closing plus 2 years (N7).
		{"N7_absence_employment_ended_leap_day", privacy.RegulationO, privacy.CaseAbsence, privacy.PartyEmployer, privacy.CategoryNotes,
			ams(2025, 1, 10, 9, 0), ams(2024, 2, 29, 17, 0), privacy.N7, "2026-03-01"},
		// The medical file: 20 years after the employment ends (N7).
		{"N7_medical_20y_from_leap_day", privacy.RegulationO, privacy.CaseAbsence, privacy.PartyEmployer, privacy.CategoryMedical,
			ams(2024, 1, 10, 9, 0), ams(2024, 2, 29, 17, 0), privacy.N7, "2044-03-01"},
		{"N7_medical_20y_from_31_december", privacy.Strict, privacy.CaseAbsence, privacy.PartyEmployer, privacy.CategoryMedical,
			ams(2024, 1, 10, 9, 0), ams(2023, 12, 31, 23, 0), privacy.N7, "2044-01-01"},
		{"N7_medical_municipality_20y_from_closing", privacy.Strict, privacy.CaseReintegration, privacy.PartyMunicipality, privacy.CategoryMedical,
			ams(2023, 2, 28, 9, 0), never, privacy.N7, "2043-03-01"},
	}
	for _, x := range rows {
		t.Run(x.name, func(t *testing.T) {
			e := rulesOf(t, x.policy())
			rec := time.Date(2020, 1, 6, 9, 0, 0, 0, time.UTC)
			d := &retention.Dossier{
				Subject: privacy.Subject{ID: "s", Created: rec, EmploymentEnded: x.employed},
				Cases: []retention.CaseFile{{
					Case: privacy.Case{ID: "c", Subject: "s", Kind: x.kind, Opened: rec, Closed: x.closed,
						Contract: privacy.Contract{ID: "k", Party: "p", PartyKind: x.party, Start: rec.AddDate(-1, 0, 0)}},
					Records: []retention.Entry{{ID: "r", Category: x.cat, Medical: x.cat.Medical(), Created: rec, Updated: rec}},
				}},
			}
			want := mustDay(t, x.due)
			midnight := want.In(calendar.Amsterdam())
			s := e.Schedule(nil, d, midnight)[0]
			if s.Due != want || s.Rule != x.rule || !s.IsDue() {
				t.Errorf("at %v: %s; want due from %s under %s", midnight, s, want, x.rule)
			}
			if s := e.Schedule(nil, d, midnight.Add(-time.Nanosecond))[0]; s.IsDue() {
				t.Errorf("a nanosecond before 00:00 Amsterdam on %s: %s, want not yet due", want, s)
			}
		})
	}
}

// TestAuditDueTableN9 checks the 5 years of the audit trail (NEN 7513,
// Stcrt. 2019, 38007) from the Amsterdam day of each event.
func TestAuditDueTableN9(t *testing.T) {
	e := rulesOf(t, privacy.Strict())
	for _, x := range []struct {
		at  time.Time
		due string
	}{
		{time.Date(2024, 2, 29, 12, 0, 0, 0, time.UTC), "2029-03-01"},
		{time.Date(2024, 2, 29, 23, 30, 0, 0, time.UTC), "2029-03-02"}, // 1 March in Amsterdam
		{time.Date(2025, 12, 31, 22, 59, 0, 0, time.UTC), "2031-01-01"},
		{time.Date(2025, 12, 31, 23, 0, 0, 0, time.UTC), "2031-01-02"},
	} {
		if got := e.AuditDue(privacy.Event{Time: x.at}); got != mustDay(t, x.due) {
			t.Errorf("event at %v: due %s, want %s", x.at, got, x.due)
		}
	}
}

// oneRecord is a dossier of one closed case of kind with one record.
func oneRecord(kind privacy.CaseKind, party privacy.PartyKind, cat privacy.Category,
	created, updated, closed, employmentEnded time.Time) *retention.Dossier {
	return &retention.Dossier{
		Subject: privacy.Subject{ID: "s", Created: created, EmploymentEnded: employmentEnded},
		Cases: []retention.CaseFile{{
			Case: privacy.Case{ID: "c", Subject: "s", Kind: kind, Opened: created, Closed: closed,
				Contract: privacy.Contract{ID: "k", Party: "p", PartyKind: party, Start: created.AddDate(-1, 0, 0)}},
			Records: []retention.Entry{{ID: "r", Category: cat, Medical: cat.Medical(), Created: created, Updated: updated}},
		}},
	}
}

// TestMedicalFileFromLastChangeN7 checks the company doctor's medical file
// (rule N7): the ready policies keep it 20 years after the employment ends
// (practice), the law (BW 7:454(3) with 7:464(1)) at least 20 years from
// the file's last change. A note the company doctor changed after the
// employment ended is kept 20 years from that change, never deleted before
// the law's date.
func TestMedicalFileFromLastChangeN7(t *testing.T) {
	created := ams(2023, 1, 10, 9, 0)
	ended := ams(2024, 1, 10, 17, 0)
	changed := ams(2025, 5, 20, 11, 0)
	closed := ams(2025, 6, 1, 12, 0)
	for _, p := range []*privacy.Policy{privacy.RegulationO(), privacy.Strict()} {
		t.Run(p.Name, func(t *testing.T) {
			e := rulesOf(t, p)
			d := oneRecord(privacy.CaseAbsence, privacy.PartyEmployer, privacy.CategoryMedical, created, changed, closed, ended)
			want := mustDay(t, "2045-05-21")
			if s := e.Schedule(nil, d, ams(2045, 5, 20, 23, 59))[0]; s.IsDue() || s.Due != want || s.Rule != privacy.N7 {
				t.Errorf("on 20 May 2045, 20 years after the last change: %s; want kept, due from %s under N7 (BW 7:454(3))", s, want)
			}
			if s := e.Schedule(nil, d, want.In(calendar.Amsterdam()))[0]; !s.IsDue() {
				t.Errorf("on %s: %s; want due", want, s)
			}
			x, err := e.Explain(d, "r", ams(2030, 1, 1, 0, 0))
			if err != nil {
				t.Fatal(err)
			}
			for _, c := range x.Considered {
				if c.Won && c.Due != want {
					t.Errorf("Explain: the winning rule's date %s, want %s as Schedule has it", c.Due, want)
				}
			}
			// Unchanged after the employment ended: 20 years after it.
			d = oneRecord(privacy.CaseAbsence, privacy.PartyEmployer, privacy.CategoryMedical, created, created, closed, ended)
			if s := e.Schedule(nil, d, ams(2044, 1, 11, 0, 0))[0]; !s.IsDue() || s.Due != mustDay(t, "2044-01-11") {
				t.Errorf("unchanged since 2023, employment ended 10 January 2024: %s; want due from 2044-01-11", s)
			}
		})
	}
}

// TestFiscalSevenYearsFromYearEndR9N7 checks the fiscal period of the
// ready policies (rules R9, N7; AWR art. 52(4), "gedurende zeven jaren").
// The statute names no start; in practice the seven years run from the end
// of the (calendar or book) year in which the data was entered in the
// administration. Counted from the case's closing they end earlier for
// data of the closing's year: wage data entered on 1 March 2024 in a case
// closed on 14 June 2024 must be kept until the end of 2031, not until 14
// June 2031. Counted from the end of the year in which the case closed
// they never end before the practice's date for any record of the case.
func TestFiscalSevenYearsFromYearEndR9N7(t *testing.T) {
	entered := ams(2024, 3, 1, 10, 0)
	closed := ams(2024, 6, 14, 16, 0)
	for _, p := range []*privacy.Policy{privacy.RegulationR(), privacy.RegulationO(), privacy.Strict()} {
		for _, cat := range []privacy.Category{privacy.CategoryEmployment, privacy.CategoryBenefits} {
			t.Run(p.Name+"/"+string(cat), func(t *testing.T) {
				e := rulesOf(t, p)
				d := oneRecord(privacy.CaseAbsence, privacy.PartyEmployer, cat, entered, entered, closed, time.Time{})
				want := mustDay(t, "2032-01-01")
				if s := e.Schedule(nil, d, ams(2031, 12, 31, 23, 59))[0]; s.IsDue() || s.Due != want {
					t.Errorf("on 31 December 2031: %s; want kept until the end of that day, due from %s (AWR art. 52(4))", s, want)
				}
				if s := e.Schedule(nil, d, want.In(calendar.Amsterdam()))[0]; !s.IsDue() || s.Reason != retention.ReasonStatute {
					t.Errorf("on 1 January 2032: %s; want due under the statute", s)
				}
			})
		}
	}
}

// TestExposureExamFromEmploymentEndN7 checks the 40 years of examinations
// of exposure to hazardous substances (rule N7, Arbeidsomstandighedenbesluit
// art. 4.10c: at least 40 years after the exposure ends). The library
// knows no end of exposure; the closing of the examination's case is not
// one (the employee may stay exposed for decades after an examination),
// and the end of the employment with the employer is the last day the
// exposure there can end. An examination closed in 2020 of an employee
// still employed in 2061 is kept; one whose employment ended on 30 June
// 2025 is kept until 30 June 2065, not until 40 years after the case's
// closing on 1 May 2025.
func TestExposureExamFromEmploymentEndN7(t *testing.T) {
	e := rulesOf(t, withRules(privacy.Strict(), privacy.ExposureExamRetention()))
	created := ams(2020, 3, 2, 9, 0)
	for _, cat := range []privacy.Category{privacy.CategoryMedical, privacy.CategoryConsultation} {
		d := oneRecord(privacy.CasePeriodicExam, privacy.PartyEmployer, cat, created, created, ams(2020, 3, 20, 12, 0), time.Time{})
		if s := e.Schedule(nil, d, ams(2061, 1, 1, 0, 0))[0]; s.IsDue() || s.Status != retention.StatusKept {
			t.Errorf("%s: an exposure examination of 2020, the employee still employed in 2061: %s, want kept (N7)", cat, s)
		}
		d = oneRecord(privacy.CasePeriodicExam, privacy.PartyEmployer, cat, ams(2025, 4, 1, 9, 0), ams(2025, 4, 1, 9, 0),
			ams(2025, 5, 1, 12, 0), ams(2025, 6, 30, 17, 0))
		want := mustDay(t, "2065-07-01")
		if s := e.Schedule(nil, d, ams(2065, 6, 30, 23, 59))[0]; s.IsDue() || s.Due != want || s.Rule != privacy.N7 {
			t.Errorf("%s: employment ended 30 June 2025: %s, want kept until 30 June 2065, due from %s under N7", cat, s, want)
		}
	}
}

// TestFiscalRectifiedAfterClosingR9N7 checks the fiscal seven years (rules
// R9, N7; AWR art. 52(4)) of wage data rectified after its case closed: in
// practice they run from the end of the year the data was entered, and a
// rectification in 2025 of a case closed in 2024 enters it again, so it is
// kept until the end of 2032, not of 2031.
func TestFiscalRectifiedAfterClosingR9N7(t *testing.T) {
	e := rulesOf(t, privacy.Strict())
	d := oneRecord(privacy.CaseAbsence, privacy.PartyEmployer, privacy.CategoryEmployment,
		ams(2024, 3, 1, 10, 0), ams(2025, 2, 3, 10, 0), ams(2024, 6, 14, 16, 0), time.Time{})
	want := mustDay(t, "2033-01-01")
	if s := e.Schedule(nil, d, ams(2032, 12, 31, 12, 0))[0]; s.IsDue() || s.Due != want {
		t.Errorf("wage data rectified in 2025: %s, want kept to the end of 2032, due from %s", s, want)
	}
	x, err := e.Explain(d, "r", ams(2026, 1, 1, 0, 0))
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range x.Considered {
		if c.Won && c.Due != want {
			t.Errorf("Explain: the winning rule's date %s, want %s as Schedule has it", c.Due, want)
		}
	}
}
