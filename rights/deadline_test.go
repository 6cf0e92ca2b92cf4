package rights_test

import (
	"errors"
	"math/rand"
	"slices"
	"testing"
	"time"

	"github.com/dossierwacht/dossierwacht/privacy"
	"github.com/dossierwacht/dossierwacht/privacy/calendar"
	"github.com/dossierwacht/dossierwacht/rights"
)

// noon returns 12:00 in Amsterdam on the given day: a request received in
// the middle of a Dutch working day.
func noon(y int, m time.Month, d int) time.Time {
	return time.Date(y, m, d, 12, 0, 0, 0, calendar.Amsterdam())
}

// TestDeadlineG2R11O13N8 checks the answer deadline of each ready policy
// against a hand-checked table of dates: one month under regulation O and
// the GDPR (rules O13, G2), four weeks under regulation R (rule R11), the
// earliest of both under the strict policy, the extension by two further
// months (G2) and the three months to destroy a medical file (N8). Each
// expected day was worked out on paper from the weekday and the Dutch
// holidays of its year (Easter 2024: 31 March; 2025: 20 April; 2026: 5
// April; 2027: 28 March; 2028: 16 April), Good Friday among them
// (Algemene termijnenwet art. 3(2)).
func TestDeadlineG2R11O13N8(t *testing.T) {
	o, r, s := privacy.RegulationO().Requests, privacy.RegulationR().Requests, privacy.Strict().Requests
	decreed := calendar.Dutch(&calendar.DutchOptions{Decreed: true})
	const (
		answer = iota
		extended
		medical
	)
	tests := []struct {
		name     string
		rules    privacy.RequestRules
		which    int
		received time.Time
		h        calendar.Holidays
		want     string
		rule     privacy.RuleID
	}{
		// Rules O13, G2: one month (regulation O lists O13 first).
		{"G2_5_March_to_5_April", o, answer, noon(2027, 3, 5), nil, "2027-04-05", privacy.O13},
		{"G2_5_April_2026_is_Easter_Sunday_then_Easter_Monday", o, answer, noon(2026, 3, 5), nil, "2026-04-07", privacy.O13},
		{"G2_31_January_to_Saturday_28_February_then_Monday", o, answer, noon(2026, 1, 31), nil, "2026-03-02", privacy.O13},
		{"G2_31_January_leap_year_2024_to_29_February", o, answer, noon(2024, 1, 31), nil, "2024-02-29", privacy.O13},
		{"G2_31_January_leap_year_2028_to_29_February", o, answer, noon(2028, 1, 31), nil, "2028-02-29", privacy.O13},
		{"G2_31_January_to_Sunday_28_February_2027", o, answer, noon(2027, 1, 31), nil, "2027-03-01", privacy.O13},
		{"G2_31_January_to_Friday_28_February_2025", o, answer, noon(2025, 1, 31), nil, "2025-02-28", privacy.O13},
		{"G2_receipt_is_the_Amsterdam_day_summer", o, answer, time.Date(2026, 3, 31, 23, 30, 0, 0, time.UTC), nil, "2026-05-01", privacy.O13},
		{"G2_receipt_is_the_Amsterdam_day_winter", o, answer, time.Date(2026, 2, 27, 23, 30, 0, 0, time.UTC), nil, "2026-03-30", privacy.O13},
		{"G2_Kings_Day_Monday_27_April_2026", o, answer, noon(2026, 3, 27), nil, "2026-04-28", privacy.O13},
		{"G2_Kings_Day_Saturday_26_April_2025", o, answer, noon(2025, 3, 26), nil, "2025-04-28", privacy.O13},
		{"G2_Ascension_Day_2026", o, answer, noon(2026, 4, 14), nil, "2026-05-15", privacy.O13},
		{"G2_Whit_Monday_2026", o, answer, noon(2026, 4, 25), nil, "2026-05-26", privacy.O13},
		{"G2_Liberation_Day_Monday_2025", o, answer, noon(2025, 4, 5), nil, "2025-05-06", privacy.O13},
		{"G2_Christmas_Friday_2026", o, answer, noon(2026, 11, 25), nil, "2026-12-28", privacy.O13},
		{"G2_New_Year_Friday_2027", o, answer, noon(2026, 12, 1), nil, "2027-01-04", privacy.O13},
		{"G2_31_December_to_Sunday_31_January", o, answer, noon(2026, 12, 31), nil, "2027-02-01", privacy.O13},
		{"G2_Easter_Monday_2024_leap_year", o, answer, noon(2024, 3, 1), nil, "2024-04-02", privacy.O13},
		{"G2_Good_Friday_2024_then_Easter_weekend", o, answer, noon(2024, 2, 29), nil, "2024-04-02", privacy.O13},
		{"O13_G2_3_March_2026_Good_Friday_3_April_to_Tuesday_7_April", o, answer, noon(2026, 3, 3), nil, "2026-04-07", privacy.O13},
		{"G2_Good_Friday_2025_then_Easter_weekend", o, answer, noon(2025, 3, 18), nil, "2025-04-22", privacy.O13},
		{"G2_Friday_after_Ascension_2026_only_with_the_decree", o, answer, noon(2026, 4, 15), nil, "2026-05-15", privacy.O13},
		{"G2_Friday_after_Ascension_2026_put_on_a_par_by_decree", o, answer, noon(2026, 4, 15), decreed, "2026-05-18", privacy.O13},
		{"G2_Easter_Sunday_and_Monday_2028", o, answer, noon(2028, 3, 16), nil, "2028-04-18", privacy.O13},
		// Rule R11: four weeks.
		{"R11_Thursday_plus_4_weeks", r, answer, noon(2026, 3, 5), nil, "2026-04-02", privacy.R11},
		{"R11_Saturday_then_Easter_weekend_2026", r, answer, noon(2026, 3, 7), nil, "2026-04-07", privacy.R11},
		{"R11_Christmas_Friday_2026", r, answer, noon(2026, 11, 27), nil, "2026-12-28", privacy.R11},
		{"R11_Easter_Monday_2027", r, answer, noon(2027, 3, 1), nil, "2027-03-30", privacy.R11},
		{"R11_leap_day_2024", r, answer, noon(2024, 2, 1), nil, "2024-02-29", privacy.R11},
		{"R11_Saturday_1_March_2025", r, answer, noon(2025, 2, 1), nil, "2025-03-03", privacy.R11},
		// The strict policy: the earliest of R11, O13 and G2.
		{"R11_O13_strict_tie_on_31_January_first_listed_wins", s, answer, noon(2026, 1, 31), nil, "2026-03-02", privacy.R11},
		{"R11_O13_strict_4_weeks_before_one_month", s, answer, noon(2026, 3, 2), nil, "2026-03-30", privacy.R11},
		{"R11_O13_strict_1_April", s, answer, noon(2026, 4, 1), nil, "2026-04-29", privacy.R11},
		// Rule G2: the extension, counted from receipt.
		{"G2_extension_31_March_to_30_June", o, extended, noon(2026, 3, 31), nil, "2026-06-30", privacy.O13},
		{"G2_extension_from_28_February_not_from_the_moved_first_deadline", o, extended, noon(2026, 1, 31), nil, "2026-04-28", privacy.O13},
		{"G2_extension_29_January_2027_to_28_April_not_29_April", o, extended, noon(2027, 1, 29), nil, "2027-04-28", privacy.O13},
		{"G2_extension_Christmas_2025", o, extended, noon(2025, 9, 25), nil, "2025-12-29", privacy.O13},
		// Rule N8: three months to destroy a medical file.
		{"N8_three_months", s, medical, noon(2026, 3, 2), nil, "2026-06-02", privacy.N8},
		{"N8_30_November_to_Saturday_28_February", s, medical, noon(2025, 11, 30), nil, "2026-03-02", privacy.N8},
		{"N8_Christmas_and_Boxing_Day_2025", s, medical, noon(2025, 9, 25), nil, "2025-12-29", privacy.N8},
		{"N8_leap_day_2024", s, medical, noon(2023, 11, 30), nil, "2024-02-29", privacy.N8},
	}
	if len(tests) < 30 {
		t.Fatalf("the table has %d dates, want at least 30", len(tests))
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var got rights.Due
			var err error
			switch tc.which {
			case answer:
				got, err = rights.Deadline(tc.rules, tc.received, tc.h)
			case extended:
				got, err = rights.ExtendedDeadline(tc.rules, tc.received, tc.h)
			case medical:
				got, err = rights.MedicalErasureDeadline(tc.rules, tc.received, tc.h)
			}
			if err != nil {
				t.Fatalf("deadline(%v) = %v", tc.received, err)
			}
			if got.Date.String() != tc.want || got.Rule != tc.rule {
				t.Errorf("deadline(%v) = %s (rule %s), want %s (rule %s)", tc.received, got.Date, got.Rule, tc.want, tc.rule)
			}
			if tc.which == extended && got.Extension != privacy.G2 {
				t.Errorf("extended deadline names extension rule %q, want G2", got.Extension)
			}
		})
	}
}

// TestDeadlineErrors: bad input is a typed error.
func TestDeadlineErrors(t *testing.T) {
	rules := privacy.Strict().Requests
	if _, err := rights.Deadline(rules, time.Time{}, nil); !errors.Is(err, privacy.ErrInvalid) {
		t.Errorf("Deadline(zero time) = %v, want ErrInvalid", err)
	}
	if _, err := rights.Deadline(privacy.RequestRules{}, t0, nil); !errors.Is(err, privacy.ErrInvalid) {
		t.Errorf("Deadline(no answer rules) = %v, want ErrInvalid", err)
	}
	noExt := privacy.RegulationO().Requests
	noExt.Extension = nil
	_, err := rights.ExtendedDeadline(noExt, t0, nil)
	wantKind(t, "ExtendedDeadline(no extension)", err, privacy.ErrForbidden)
	wantRule(t, "ExtendedDeadline(no extension)", err, privacy.G2)
	// Rule R11: regulation R's four weeks are never extended, even by a
	// policy that carries an extension beside them.
	withExt := rules
	withExt.Extension = privacy.RegulationO().Requests.Extension
	for name, r := range map[string]privacy.RequestRules{"strict": rules, "regulation-r": privacy.RegulationR().Requests, "strict+extension": withExt} {
		_, err := rights.ExtendedDeadline(r, t0, nil)
		wantKind(t, "R11: ExtendedDeadline("+name+")", err, privacy.ErrForbidden)
		wantRule(t, "R11: ExtendedDeadline("+name+")", err, privacy.R11)
	}
	noMed := rules
	noMed.MedicalErasure = nil
	if _, err := rights.MedicalErasureDeadline(noMed, t0, nil); !errors.Is(err, privacy.ErrInvalid) {
		t.Errorf("MedicalErasureDeadline(none) = %v, want ErrInvalid", err)
	}
}

// TestDeadlineProperties checks invariants on random receipts (seeded):
// the deadline is a working day, never before the period's plain end, and
// a later receipt never gets an earlier deadline; the extended deadline is
// never before the first (rule G2).
func TestDeadlineProperties(t *testing.T) {
	rnd := rand.New(rand.NewSource(7))
	h := calendar.Dutch(nil)
	for _, p := range []*privacy.Policy{privacy.RegulationR(), privacy.RegulationO(), privacy.Strict()} {
		start := time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)
		var prev rights.Due
		var prevAt time.Time
		for i := range 3000 {
			at := start.Add(time.Duration(rnd.Int63n(int64(10 * 365 * 24 * time.Hour))))
			if i%2 == 1 {
				at = prevAt.Add(time.Duration(rnd.Int63n(int64(72 * time.Hour)))) // a later receipt
			}
			due, err := rights.Deadline(p.Requests, at, h)
			if err != nil {
				t.Fatal(err)
			}
			if !calendar.IsWorkingDay(due.Date, h) {
				t.Fatalf("%s: Deadline(%v) = %s, not a working day", p.Name, at, due.Date)
			}
			received := calendar.DateIn(at, calendar.Amsterdam())
			for _, a := range p.Requests.Answer {
				if plain := calendar.Add(received, a.Period); due.Date.Before(plain) && due.Rule == a.Rule {
					t.Fatalf("%s: Deadline(%v) = %s, before the plain end %s", p.Name, at, due.Date, plain)
				}
			}
			ext, err := rights.ExtendedDeadline(p.Requests, at, h)
			if slices.Contains(p.Regulations, "R") {
				// Rule R11: no extension.
				if !errors.Is(err, privacy.ErrForbidden) || privacy.RuleOf(err) != privacy.R11 {
					t.Fatalf("%s: ExtendedDeadline = %v, want refused by R11", p.Name, err)
				}
				ext = due
			} else if err != nil {
				t.Fatal(err)
			}
			if ext.Date.Before(due.Date) {
				t.Fatalf("%s: extended %s before first %s", p.Name, ext.Date, due.Date)
			}
			if i%2 == 1 && due.Date.Before(prev.Date) {
				t.Fatalf("%s: receipt %v after %v got earlier deadline %s < %s", p.Name, at, prevAt, due.Date, prev.Date)
			}
			prev, prevAt = due, at
		}
	}
}
