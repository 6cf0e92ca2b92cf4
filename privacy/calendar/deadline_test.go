package calendar_test

import (
	"testing"
	"time"

	"github.com/dossierwacht/dossierwacht/privacy"
	"github.com/dossierwacht/dossierwacht/privacy/calendar"
)

// day parses a "2006-01-02" date or fails the test.
func day(tb testing.TB, s string) calendar.Date {
	tb.Helper()
	d, err := calendar.ParseDate(s)
	if err != nil {
		tb.Fatalf("ParseDate(%q): %v", s, err)
	}
	return d
}

var (
	dutch   = calendar.Dutch(nil)
	decreed = calendar.Dutch(&calendar.DutchOptions{Decreed: true})
	noHols  = calendar.NoHolidays{}
)

// TestDeadlineG2 checks Deadline against hand-checked deadlines: one month
// (rules G2, O13), one plus two months (G2's extension), four weeks (rule
// R11) and three months (rule N8), counted by Regulation 1182/71 art. 3. Each
// expected day was worked out on paper from the weekday of the first of the
// month and the Dutch holidays of that year (Easter 1989: 26 March; 1995:
// 16 April; 2025: 20 April; 2026: 5 April; 2027: 28 March; 2028: 16 April),
// Good Friday among them (Algemene termijnenwet art. 3(2)).
func TestDeadlineG2(t *testing.T) {
	p1M, p3M, p4W := privacy.Months(1), privacy.Months(3), privacy.Weeks(4)
	tests := []struct {
		received string
		p        privacy.Period
		h        calendar.Holidays
		want     string
		why      string
	}{
		// Rule G2, O13: one month.
		{"2027-03-05", p1M, dutch, "2027-04-05", "G2's example: 5 March → 5 April, a Monday"},
		{"2026-03-05", p1M, dutch, "2026-04-07", "5 April 2026 is Easter Sunday, 6 April Easter Monday"},
		{"2026-03-05", p1M, noHols, "2026-04-06", "without holidays Sunday 5 April moves to Monday"},
		{"2024-01-31", p1M, dutch, "2024-02-29", "leap year: 31 January → 29 February, a Thursday"},
		{"2026-01-31", p1M, dutch, "2026-03-02", "31 January → 28 February, a Saturday → Monday 2 March"},
		{"2028-01-31", p1M, dutch, "2028-02-29", "leap year: 29 February 2028 is a Tuesday"},
		{"2027-01-31", p1M, dutch, "2027-03-01", "28 February 2027 is a Sunday"},
		{"2025-01-31", p1M, dutch, "2025-02-28", "28 February 2025 is a Friday"},
		{"2024-02-29", privacy.Years(2), dutch, "2026-03-02", "29 February + 2 years = 28 February 2026, a Saturday"},
		{"2026-03-31", p1M, dutch, "2026-04-30", "April has no 31st: its last day, a Thursday"},
		{"2026-05-31", p1M, dutch, "2026-06-30", "June has no 31st: 30 June, a Tuesday"},
		{"2026-04-30", p1M, dutch, "2026-06-01", "30 May 2026 is a Saturday"},
		{"2026-08-31", p1M, dutch, "2026-09-30", "September has no 31st: 30 September, a Wednesday"},
		{"2026-02-07", p1M, dutch, "2026-03-09", "7 March 2026 is a Saturday"},
		{"2026-02-08", p1M, dutch, "2026-03-09", "8 March 2026 is a Sunday"},
		{"2025-03-26", p1M, dutch, "2025-04-28", "26 April 2025 is King's Day on a Saturday (27 April is a Sunday)"},
		{"2026-03-27", p1M, dutch, "2026-04-28", "King's Day 27 April 2026 is a Monday"},
		{"2025-03-20", p1M, dutch, "2025-04-22", "20 April 2025 is Easter Sunday, 21 April Easter Monday"},
		{"2025-03-18", p1M, dutch, "2025-04-22", "Good Friday 18 April 2025 (Atw art. 3(2)), a weekend, Easter Monday"},
		{"2026-03-03", p1M, dutch, "2026-04-07", "O's example: Good Friday 3 April 2026, Easter Sunday, Easter Monday 6 April"},
		{"2024-02-29", p1M, dutch, "2024-04-02", "29 March 2024 is Good Friday; Easter Monday 1 April"},
		{"2026-03-03", p1M, noHols, "2026-04-03", "without holidays Friday 3 April is a working day"},
		{"2026-04-15", p1M, dutch, "2026-05-15", "the Friday after Ascension is no holiday unless a decree says so"},
		{"2026-04-15", p1M, decreed, "2026-05-18", "15 May 2026 is put on a par by royal decree (Atw art. 3(3))"},
		{"2025-12-02", p1M, decreed, "2026-01-05", "2 January 2026 is put on a par by royal decree, then a weekend"},
		{"2025-12-02", p1M, dutch, "2026-01-02", "2 January 2026 is a working day without the decree"},
		{"1989-04-05", p1M, dutch, "1989-05-05", "5 May 1989: not counted before 1990 (see the package doc)"},
		{"1995-04-05", p1M, dutch, "1995-05-08", "Liberation Day 5 May 1995 is a Friday, then a weekend"},
		{"2026-04-14", p1M, dutch, "2026-05-15", "14 May 2026 is Ascension Day"},
		{"2026-04-25", p1M, dutch, "2026-05-26", "25 May 2026 is Whit Monday"},
		{"2025-05-09", p1M, dutch, "2025-06-10", "9 June 2025 is Whit Monday"},
		{"2025-04-05", p1M, dutch, "2025-05-06", "Liberation Day 5 May 2025 is a Monday"},
		{"2026-11-25", p1M, dutch, "2026-12-28", "Christmas Friday, Boxing Day Saturday, then Sunday"},
		{"2027-11-25", p1M, dutch, "2027-12-27", "Christmas 2027 is Saturday, Boxing Day Sunday; not moved"},
		{"2025-11-26", p1M, dutch, "2025-12-29", "Boxing Day 2025 is a Friday, then a weekend"},
		{"2026-12-01", p1M, dutch, "2027-01-04", "New Year 2027 is a Friday, then a weekend"},
		{"2027-12-01", p1M, dutch, "2028-01-03", "New Year 2028 is a Saturday"},
		{"2026-12-31", p1M, dutch, "2027-02-01", "31 January 2027 is a Sunday"},
		{"2026-03-28", p1M, dutch, "2026-04-28", "receipt on a Saturday counts from Sunday; 28 April is a Tuesday"},
		// Rule G2: the extension by two further months, three in all.
		{"2026-03-31", p3M, dutch, "2026-06-30", "30 June 2026 is a Tuesday"},
		// Rule R11: four weeks.
		{"2026-03-05", p4W, dutch, "2026-04-02", "Thursday + 28 days is a Thursday"},
		{"2026-03-07", p4W, dutch, "2026-04-07", "Saturday 4 April, Easter Sunday, Easter Monday"},
		{"2026-11-27", p4W, dutch, "2026-12-28", "Friday + 4 weeks is Christmas, then Boxing Day and Sunday"},
		{"2027-03-01", p4W, dutch, "2027-03-30", "29 March 2027 is Easter Monday"},
		{"2026-04-07", p4W, dutch, "2026-05-06", "5 May 2026 is Liberation Day, a Tuesday"},
		{"2028-02-01", p4W, dutch, "2028-02-29", "4 weeks in a leap February"},
		{"2028-04-28", p4W, dutch, "2028-05-26", "Ascension 25 May 2028 falls inside the period, not at its end"},
		// Rule N8: three months.
		{"2026-01-31", p3M, dutch, "2026-04-30", "31 January + 3 months: 30 April, a Thursday"},
		{"2025-11-30", p3M, dutch, "2026-03-02", "28 February 2026 is a Saturday"},
		{"2023-11-29", p3M, dutch, "2024-02-29", "29 February 2024 is a Thursday"},
		{"2027-02-06", p3M, dutch, "2027-05-07", "6 May 2027 is Ascension Day"},
		{"2028-03-05", p3M, dutch, "2028-06-06", "5 June 2028 is Whit Monday"},
		// Art. 3(5): a period of two days or more has two working days.
		{"2026-12-24", privacy.Days(2), dutch, "2026-12-29", "only Monday 28 December is a working day; extended"},
		{"2026-03-05", privacy.Days(2), dutch, "2026-03-09", "Friday and Monday are two working days"},
		{"2026-03-06", privacy.Days(1), dutch, "2026-03-09", "one day: art. 3(5) does not apply"},
		{"2026-04-04", privacy.Period{}, dutch, "2026-04-07", "an empty period ending on Saturday of Easter weekend"},
	}
	for _, tt := range tests {
		got := calendar.Deadline(day(t, tt.received), tt.p, tt.h)
		if got != day(t, tt.want) {
			t.Errorf("Deadline(%s, %v) = %v, want %v (%s)", tt.received, tt.p, got, tt.want, tt.why)
		}
	}

	// Rule G2: the answer period extended by two further months (GDPR
	// art. 12(3)). The extension runs from the end of the first period,
	// taken before any roll to a working day; where that and one period of
	// three months from receipt differ (receipts on the 29th to the 31st),
	// the earlier date holds.
	p2M := privacy.Months(2)
	extended := []struct {
		received string
		p, ext   privacy.Period
		want     string
		why      string
	}{
		{"2026-01-31", p1M, p2M, "2026-04-28", "28 February (not the rolled 2 March) plus two months: 28 April, a Tuesday; not 30 April"},
		{"2027-01-29", p1M, p2M, "2027-04-28", "28 February 2027 plus two months: Wednesday 28 April, not 29 April"},
		{"2026-03-31", p1M, p2M, "2026-06-30", "30 April plus two months: 30 June, a Tuesday"},
		{"2025-11-29", p1M, p2M, "2026-03-02", "29 December plus two months: Saturday 28 February, then Monday"},
		{"2025-09-25", p1M, p2M, "2025-12-29", "25 December, Boxing Day, a weekend"},
		{"2026-02-03", p4W, p2M, "2026-05-01", "four weeks, then two months: Sunday 3 May; two months and four weeks from receipt: Friday 1 May, the earlier"},
		{"2026-03-02", p4W, p2M, "2026-06-01", "30 March plus two months: Saturday 30 May, then Monday 1 June"},
	}
	for _, tt := range extended {
		got := calendar.ExtendedDeadline(day(t, tt.received), tt.p, tt.ext, dutch)
		if got != day(t, tt.want) {
			t.Errorf("ExtendedDeadline(%s, %v, %v) = %v, want %v (%s)", tt.received, tt.p, tt.ext, got, tt.want, tt.why)
		}
	}
}

// TestDeadlineAt checks that the day of receipt is the day in Amsterdam
// (rule G2).
func TestDeadlineAt(t *testing.T) {
	plus14 := time.FixedZone("+14", 14*3600)
	tests := []struct {
		received time.Time
		want     string
		why      string
	}{
		{time.Date(2026, 3, 31, 23, 30, 0, 0, time.UTC), "2026-05-01", "01:30 CEST on 1 April"},
		{time.Date(2026, 3, 31, 21, 59, 0, 0, time.UTC), "2026-04-30", "23:59 CEST on 31 March"},
		{time.Date(2026, 2, 27, 23, 30, 0, 0, time.UTC), "2026-03-30", "00:30 CET on 28 February; 28 March is a Saturday"},
		{time.Date(2026, 2, 27, 22, 30, 0, 0, time.UTC), "2026-03-27", "23:30 CET on 27 February"},
		{time.Date(2026, 4, 1, 11, 30, 0, 0, plus14), "2026-04-30", "11:30 on 1 April at UTC+14 is 23:30 CEST on 31 March"},
	}
	for _, tt := range tests {
		if got := calendar.DeadlineAt(tt.received, privacy.Months(1), dutch); got != day(t, tt.want) {
			t.Errorf("DeadlineAt(%v, P1M) = %v, want %v (%s)", tt.received, got, tt.want, tt.why)
		}
	}
	if got := calendar.DeadlineAt(time.Time{}, privacy.Months(1), dutch); !got.IsZero() {
		t.Errorf("DeadlineAt(zero time) = %v, want the zero Date", got)
	}
}

// TestAdd checks period arithmetic by art. 3(2)(c), as retention schedules
// use it (rules R9, N7). No working-day rule: a retention date stays on a
// weekend.
func TestAdd(t *testing.T) {
	tests := []struct {
		d    string
		p    string
		want string
	}{
		{"2024-02-29", "P2Y", "2026-02-28"}, // R9: 2 years; 2026 has no 29 February
		{"2024-02-29", "P1Y", "2025-02-28"},
		{"2024-02-29", "P4Y", "2028-02-29"},
		{"2000-02-29", "P100Y", "2100-02-28"}, // 2100 is not a leap year
		{"2026-03-05", "P7Y", "2033-03-05"},   // R9, N7: statutory and fiscal 7 years
		{"2026-03-05", "P5Y", "2031-03-05"},   // N7: self-insurer data
		{"2026-06-30", "P20Y", "2046-06-30"},  // N7: medical file
		{"2026-06-30", "P40Y", "2066-06-30"},  // N7: exposure examinations
		{"2026-01-31", "P1M", "2026-02-28"},
		{"2024-01-31", "P1M", "2024-02-29"},
		{"2026-01-31", "P2M", "2026-03-31"}, // months together, not one by one
		{"2026-03-31", "P1M", "2026-04-30"},
		{"2026-01-31", "P1M1D", "2026-03-01"}, // months first, then days
		{"2026-01-31", "P1M1W", "2026-03-07"},
		{"2025-08-31", "P1Y6M", "2027-02-28"},
		{"2026-01-31", "P13M", "2027-02-28"},
		{"2026-12-31", "P1M", "2027-01-31"},
		{"2026-11-30", "P3M", "2027-02-28"},
		{"2026-03-05", "P4W", "2026-04-02"},
		{"2026-12-25", "P10D", "2027-01-04"},
		{"2024-02-28", "P1D", "2024-02-29"},
		{"2025-02-28", "P1D", "2025-03-01"},
		{"2026-02-28", "P0D", "2026-02-28"},
		{"2026-03-07", "P2Y", "2028-03-07"}, // a Tuesday; a Saturday start stays put too
	}
	for _, tt := range tests {
		p, err := privacy.ParsePeriod(tt.p)
		if err != nil {
			t.Fatal(err)
		}
		if got := calendar.Add(day(t, tt.d), p); got != day(t, tt.want) {
			t.Errorf("Add(%s, %s) = %v, want %s", tt.d, tt.p, got, tt.want)
		}
	}
}

func TestAddEdges(t *testing.T) {
	tests := []struct {
		d    string
		p    privacy.Period
		want string
	}{
		{"2026-03-31", privacy.Months(-1), "2026-02-28"},
		{"2024-03-31", privacy.Months(-1), "2024-02-29"},
		{"2026-01-15", privacy.Period{Years: 1, Months: -13}, "2025-12-15"},
		{"9999-12-31", privacy.Days(1), "10000-01-01"},
		{"0001-01-01", privacy.Days(-1), "0001-01-01"}, // stops at the first day
		{"0001-03-31", privacy.Months(-3), "0001-01-01"},
	}
	for _, tt := range tests {
		if got := calendar.Add(day(t, tt.d), tt.p).String(); got != tt.want {
			t.Errorf("Add(%s, %v) = %s, want %s", tt.d, tt.p, got, tt.want)
		}
	}
	if got := calendar.Add(calendar.Date{}, privacy.Months(1)); !got.IsZero() {
		t.Errorf("Add(zero, P1M) = %v, want the zero Date", got)
	}
	if got := calendar.Deadline(calendar.Date{}, privacy.Months(1), dutch); !got.IsZero() {
		t.Errorf("Deadline(zero, P1M) = %v, want the zero Date", got)
	}
}

func TestIsWorkingDay(t *testing.T) {
	tests := []struct {
		d    string
		h    calendar.Holidays
		want bool
	}{
		{"2026-03-05", dutch, true},  // Thursday
		{"2026-03-07", dutch, false}, // Saturday
		{"2026-03-08", dutch, false}, // Sunday
		{"2026-04-06", dutch, false}, // Easter Monday
		{"2026-04-06", nil, true},    // nil: no holidays
		{"2026-04-06", noHols, true}, // no holidays
		{"2026-04-03", dutch, false}, // Good Friday (Atw art. 3(2))
		{"2026-04-03", noHols, true},
		{"2026-05-15", dutch, true}, // the Friday after Ascension, without the decree
		{"2026-05-15", decreed, false},
		{"2026-05-01", dutch, true}, // 1 May is no Dutch holiday
	}
	for _, tt := range tests {
		if got := calendar.IsWorkingDay(day(t, tt.d), tt.h); got != tt.want {
			t.Errorf("IsWorkingDay(%s, %T) = %v, want %v", tt.d, tt.h, got, tt.want)
		}
	}
	if calendar.IsWorkingDay(calendar.Date{}, nil) {
		t.Error("IsWorkingDay(zero) = true, want false")
	}
}

func TestNextWorkingDay(t *testing.T) {
	tests := []struct {
		d    string
		h    calendar.Holidays
		want string
	}{
		{"2026-03-05", dutch, "2026-03-06"},  // Thursday → Friday: strictly after
		{"2026-03-06", dutch, "2026-03-09"},  // Friday → Monday
		{"2026-04-02", dutch, "2026-04-07"},  // Good Friday, weekend, Easter Monday
		{"2026-04-02", noHols, "2026-04-03"}, // no holidays
		{"2026-12-24", dutch, "2026-12-28"},  // Christmas, Boxing Day, Sunday
	}
	for _, tt := range tests {
		if got := calendar.NextWorkingDay(day(t, tt.d), tt.h); got != day(t, tt.want) {
			t.Errorf("NextWorkingDay(%s, %v) = %v, want %s", tt.d, tt.h, got, tt.want)
		}
	}
	if got := calendar.NextWorkingDay(calendar.Date{}, dutch); !got.IsZero() {
		t.Errorf("NextWorkingDay(zero) = %v, want the zero Date", got)
	}
}

// onlyOn is a calendar whose one working day is a weekday.
type onlyOn calendar.Date

func (o onlyOn) IsHoliday(d calendar.Date) bool { return d != calendar.Date(o) }

// TestNoWorkingDay checks that a calendar without working days ends the
// search with the zero Date instead of looping forever.
func TestNoWorkingDay(t *testing.T) {
	d := day(t, "2026-03-05")
	if got := calendar.NextWorkingDay(d, onlyOn{}); !got.IsZero() {
		t.Errorf("NextWorkingDay(never) = %v, want zero", got)
	}
	if got := calendar.Deadline(d, privacy.Months(1), onlyOn{}); !got.IsZero() {
		t.Errorf("Deadline(never) = %v, want zero", got)
	}
	// The period's last day is its only working day: art. 3(5) looks for a
	// second one for over a year and gives up.
	end := day(t, "2028-03-06") // a Monday
	if got := calendar.Deadline(d, privacy.Years(2), onlyOn(end)); !got.IsZero() {
		t.Errorf("Deadline(one working day) = %v, want zero", got)
	}
	// Within a year it finds the next working day after the end: none.
	end = day(t, "2026-04-06")
	if got := calendar.Deadline(d, privacy.Days(32), onlyOn(end)); !got.IsZero() {
		t.Errorf("Deadline(one working day, short) = %v, want zero", got)
	}
}
