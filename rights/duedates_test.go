package rights_test

import (
	"testing"
	"time"

	"github.com/dossierwacht/dossierwacht/privacy"
	"github.com/dossierwacht/dossierwacht/privacy/calendar"
	"github.com/dossierwacht/dossierwacht/rights"
)

// TestDeadlineTableG2R11O13N8 compares the answer deadlines of the ready
// policies with a table worked out by hand under EU Regulation 1182/71:
// the day of receipt (in Amsterdam) not counted, a month ending on the same
// date or the month's last day, a Saturday, Sunday or Dutch holiday moving
// the end to the next working day.
func TestDeadlineTableG2R11O13N8(t *testing.T) {
	ams := calendar.Amsterdam()
	for _, x := range []struct {
		name     string
		policy   *privacy.Policy
		received time.Time
		due      string
		rule     privacy.RuleID
		extended string // "" when no extension is allowed
	}{
		// 31 January 2026 (Saturday) + 1 month = Saturday 28 February,
		// moved to Monday 2 March; extended from 28 February: 28 April.
		{"O13_31_january_2026", privacy.RegulationO(), time.Date(2026, 1, 31, 10, 0, 0, 0, ams), "2026-03-02", privacy.O13, "2026-04-28"},
		// 2028 is a leap year: 29 February, a Tuesday; extended 29 April
		// (Saturday) → Monday 1 May.
		{"O13_31_january_2028", privacy.RegulationO(), time.Date(2028, 1, 31, 10, 0, 0, 0, ams), "2028-02-29", privacy.O13, "2028-05-01"},
		// Received at 23:30 UTC on 31 March 2026: 1 April in Amsterdam;
		// 1 May 2026 is a Friday.
		{"O13_utc_evening_next_day_in_amsterdam", privacy.RegulationO(), time.Date(2026, 3, 31, 22, 30, 0, 0, time.UTC), "2026-05-01", privacy.O13, "2026-07-01"},
		// 5 April 2025 + 1 month = Monday 5 May, Liberation Day → 6 May.
		{"O13_liberation_day", privacy.RegulationO(), time.Date(2025, 4, 5, 12, 0, 0, 0, ams), "2025-05-06", privacy.O13, "2025-07-07"},
		// 30 November 2026 + 1 month = Wednesday 30 December.
		{"O13_30_november", privacy.RegulationO(), time.Date(2026, 11, 30, 12, 0, 0, 0, ams), "2026-12-30", privacy.O13, "2027-03-01"},
		// Four weeks (R11): 31 January 2028 (Monday) + 28 days = Monday
		// 28 February, before the month; no extension.
		{"R11_four_weeks", privacy.Strict(), time.Date(2028, 1, 31, 10, 0, 0, 0, ams), "2028-02-28", privacy.R11, ""},
		// 27 November 2026 (Friday) + 4 weeks = Friday 25 December,
		// Christmas → Monday 28 December (Boxing Day is the Saturday).
		{"R11_christmas", privacy.RegulationR(), time.Date(2026, 11, 27, 9, 0, 0, 0, ams), "2026-12-28", privacy.R11, ""},
	} {
		t.Run(x.name, func(t *testing.T) {
			d, err := rights.Deadline(x.policy.Requests, x.received, nil)
			if err != nil {
				t.Fatal(err)
			}
			if d.Date.String() != x.due || d.Rule != x.rule {
				t.Errorf("Deadline = %s under %s, want %s under %s", d.Date, d.Rule, x.due, x.rule)
			}
			e, err := rights.ExtendedDeadline(x.policy.Requests, x.received, nil)
			switch {
			case x.extended == "" && err == nil:
				t.Errorf("ExtendedDeadline = %s, want refused", e.Date)
			case x.extended != "" && err != nil:
				t.Errorf("ExtendedDeadline: %v", err)
			case x.extended != "" && e.Date.String() != x.extended:
				t.Errorf("ExtendedDeadline = %s, want %s", e.Date, x.extended)
			}
		})
	}
}
