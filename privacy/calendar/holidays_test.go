package calendar_test

import (
	"strings"
	"testing"
	"time"

	"github.com/dossierwacht/dossierwacht/privacy"
	"github.com/dossierwacht/dossierwacht/privacy/calendar"
)

// TestDutchHolidays checks every day of 2024 to 2028 against the hand-made
// list of Dutch holidays (rule G2), Good Friday included (Algemene
// termijnenwet art. 3(2)): the listed days have their name, every other day
// is no holiday; with the days put on a par by royal decree (art. 3(3)),
// those days too.
func TestDutchHolidays(t *testing.T) {
	want := map[string]string{
		// 2024: Easter 31 March.
		"2024-01-01": "Nieuwjaarsdag",
		"2024-03-29": "Goede Vrijdag",
		"2024-03-31": "Eerste Paasdag",
		"2024-04-01": "Tweede Paasdag",
		"2024-04-27": "Koningsdag", // a Saturday, not moved
		"2024-05-05": "Bevrijdingsdag",
		"2024-05-09": "Hemelvaartsdag",
		"2024-05-19": "Eerste Pinksterdag",
		"2024-05-20": "Tweede Pinksterdag",
		"2024-12-25": "Eerste Kerstdag",
		"2024-12-26": "Tweede Kerstdag",
		// 2025: Easter 20 April; 27 April is a Sunday.
		"2025-01-01": "Nieuwjaarsdag",
		"2025-04-18": "Goede Vrijdag",
		"2025-04-20": "Eerste Paasdag",
		"2025-04-21": "Tweede Paasdag",
		"2025-04-26": "Koningsdag",
		"2025-05-05": "Bevrijdingsdag",
		"2025-05-29": "Hemelvaartsdag",
		"2025-06-08": "Eerste Pinksterdag",
		"2025-06-09": "Tweede Pinksterdag",
		"2025-12-25": "Eerste Kerstdag",
		"2025-12-26": "Tweede Kerstdag",
		// 2026: Easter 5 April.
		"2026-01-01": "Nieuwjaarsdag",
		"2026-04-03": "Goede Vrijdag",
		"2026-04-05": "Eerste Paasdag",
		"2026-04-06": "Tweede Paasdag",
		"2026-04-27": "Koningsdag",
		"2026-05-05": "Bevrijdingsdag",
		"2026-05-14": "Hemelvaartsdag",
		"2026-05-24": "Eerste Pinksterdag",
		"2026-05-25": "Tweede Pinksterdag",
		"2026-12-25": "Eerste Kerstdag",
		"2026-12-26": "Tweede Kerstdag",
		// 2027: Easter 28 March.
		"2027-01-01": "Nieuwjaarsdag",
		"2027-03-26": "Goede Vrijdag",
		"2027-03-28": "Eerste Paasdag",
		"2027-03-29": "Tweede Paasdag",
		"2027-04-27": "Koningsdag",
		"2027-05-05": "Bevrijdingsdag",
		"2027-05-06": "Hemelvaartsdag",
		"2027-05-16": "Eerste Pinksterdag",
		"2027-05-17": "Tweede Pinksterdag",
		"2027-12-25": "Eerste Kerstdag",
		"2027-12-26": "Tweede Kerstdag",
		// 2028: Easter 16 April.
		"2028-01-01": "Nieuwjaarsdag",
		"2028-04-14": "Goede Vrijdag",
		"2028-04-16": "Eerste Paasdag",
		"2028-04-17": "Tweede Paasdag",
		"2028-04-27": "Koningsdag",
		"2028-05-05": "Bevrijdingsdag",
		"2028-05-25": "Hemelvaartsdag",
		"2028-06-04": "Eerste Pinksterdag",
		"2028-06-05": "Tweede Pinksterdag",
		"2028-12-25": "Eerste Kerstdag",
		"2028-12-26": "Tweede Kerstdag",
	}
	// The days put on a par by the decrees of 2023 and 2025 (see
	// calendar.DecreedDays): the Friday after Ascension Day and after a
	// Thursday holiday.
	byDecree := map[string]bool{
		"2024-05-10": true, "2024-12-27": true, "2025-05-30": true,
		"2026-01-02": true, "2026-05-15": true, "2027-05-07": true, "2028-04-28": true, "2028-05-26": true,
	}
	n := 0
	for d := day(t, "2024-01-01"); d.Before(day(t, "2029-01-01")); d = d.AddDays(1) {
		n++
		if got := dutch.Name(d); got != want[d.String()] {
			t.Errorf("Dutch(nil).Name(%v) = %q, want %q", d, got, want[d.String()])
		}
		if got, want := dutch.IsHoliday(d), want[d.String()] != ""; got != want {
			t.Errorf("Dutch(nil).IsHoliday(%v) = %v, want %v", d, got, want)
		}
		wantDecreed := want[d.String()] != "" || byDecree[d.String()]
		if got := decreed.IsHoliday(d); got != wantDecreed {
			t.Errorf("Dutch(Decreed).IsHoliday(%v) = %v, want %v", d, got, wantDecreed)
		}
	}
	if n != 366+365+365+365+366 {
		t.Errorf("checked %d days", n)
	}
	if got := decreed.Name(day(t, "2026-05-15")); got != "gelijkgestelde dag" {
		t.Errorf("Dutch(Decreed).Name(15 May 2026) = %q, want %q", got, "gelijkgestelde dag")
	}
}

// TestRoyalDay checks the monarch's birthday over the years it moved.
func TestRoyalDay(t *testing.T) {
	tests := []struct {
		d    string
		want string
	}{
		{"1948-04-30", ""}, // before Juliana: not covered
		{"1949-04-30", "Koninginnedag"},
		{"1950-04-30", ""}, // a Sunday under Juliana: moved to Monday 1 May
		{"1950-05-01", "Koninginnedag"},
		{"1978-05-01", "Koninginnedag"},
		{"1980-04-30", "Koninginnedag"},
		{"1989-04-29", "Koninginnedag"}, // a Sunday from 1980: moved to Saturday
		{"1989-04-30", ""},
		{"2006-04-29", "Koninginnedag"},
		{"2013-04-30", "Koninginnedag"},
		{"2013-04-27", ""},
		{"2014-04-26", "Koningsdag"}, // 27 April 2014 was a Sunday
		{"2014-04-27", ""},
		{"2014-04-30", ""},
		{"2025-04-27", ""},
		{"2026-04-27", "Koningsdag"},
		{"1944-05-05", ""},               // before liberation
		{"1945-05-05", ""},               // not in art. 3(1) of 1964
		{"1985-05-05", ""},               // not counted before 1990 (the amendment's date is not verified)
		{"1989-05-05", ""},               // a Friday
		{"1990-05-05", "Bevrijdingsdag"}, // counted every year from 1990
		{"1995-05-05", "Bevrijdingsdag"},
	}
	for _, tt := range tests {
		if got := dutch.Name(day(t, tt.d)); got != tt.want {
			t.Errorf("Dutch(nil).Name(%s) = %q, want %q", tt.d, got, tt.want)
		}
	}
	// Ascension Day on Liberation Day: one of the names, and a holiday.
	if d := day(t, "2016-05-05"); !dutch.IsHoliday(d) || dutch.Name(d) == "" {
		t.Errorf("2016-05-05: IsHoliday = %v, Name = %q", dutch.IsHoliday(d), dutch.Name(d))
	}
}

// TestDecreedDays checks the shipped days put on a par by royal decree
// (Algemene termijnenwet art. 3(3), rule G2): each is a weekday that is no
// holiday of its own, names its decree, and counts only with the option or
// when added by hand.
func TestDecreedDays(t *testing.T) {
	days := calendar.DecreedDays()
	if len(days) < 17 {
		t.Fatalf("DecreedDays() has %d days, want the 17 of the decrees of 2016, 2023 and 2025", len(days))
	}
	for i, dd := range days {
		if wd := dd.Date.Weekday(); wd == time.Saturday || wd == time.Sunday {
			t.Errorf("%v falls on a %v", dd.Date, wd)
		}
		if dutch.IsHoliday(dd.Date) {
			t.Errorf("%v is a holiday without the decree", dd.Date)
		}
		if !decreed.IsHoliday(dd.Date) {
			t.Errorf("%v is not a holiday with the decree", dd.Date)
		}
		if !strings.HasPrefix(dd.Decree, "Besluit") {
			t.Errorf("%v: decree %q does not name a Besluit", dd.Date, dd.Decree)
		}
		if i > 0 && !days[i-1].Date.Before(dd.Date) {
			t.Errorf("DecreedDays() not in order at %v", dd.Date)
		}
	}
	// Days of a later decree, added by hand.
	extra := day(t, "2029-05-11")
	h := calendar.Dutch(&calendar.DutchOptions{Extra: []calendar.Date{extra}})
	if !h.IsHoliday(extra) || h.Name(extra) != "gelijkgestelde dag" || dutch.IsHoliday(extra) {
		t.Errorf("Extra day %v: IsHoliday = %v, Name = %q", extra, h.IsHoliday(extra), h.Name(extra))
	}
	if h.IsHoliday(day(t, "2026-05-15")) {
		t.Error("Extra alone includes the shipped decree days")
	}
	if got := calendar.Deadline(day(t, "2029-04-11"), privacy.Months(1), h); got != day(t, "2029-05-14") {
		t.Errorf("Deadline(2029-04-11, P1M) with 11 May 2029 added = %v, want 2029-05-14", got)
	}
	// The returned slice is a copy.
	days[0].Date = extra
	if calendar.DecreedDays()[0].Date == extra {
		t.Error("DecreedDays() returns the package's own slice")
	}
}

// TestEaster checks Easter Sunday against published dates, including the
// earliest (22 March) and latest (25 April) possible.
func TestEaster(t *testing.T) {
	tests := []struct {
		year int
		want string
	}{
		{1818, "1818-03-22"},
		{1943, "1943-04-25"},
		{1961, "1961-04-02"},
		{2000, "2000-04-23"},
		{2008, "2008-03-23"},
		{2011, "2011-04-24"},
		{2019, "2019-04-21"},
		{2024, "2024-03-31"},
		{2025, "2025-04-20"},
		{2026, "2026-04-05"},
		{2027, "2027-03-28"},
		{2028, "2028-04-16"},
		{2029, "2029-04-01"},
		{2030, "2030-04-21"},
		{2038, "2038-04-25"},
		{2285, "2285-03-22"},
	}
	for _, tt := range tests {
		if got := calendar.Easter(tt.year); got != day(t, tt.want) {
			t.Errorf("Easter(%d) = %v, want %s", tt.year, got, tt.want)
		}
	}
	for _, y := range []int{0, -1} {
		if got := calendar.Easter(y); !got.IsZero() {
			t.Errorf("Easter(%d) = %v, want the zero Date", y, got)
		}
	}
}

func TestHolidaySet(t *testing.T) {
	closed := day(t, "2026-12-31")
	s := calendar.NewHolidaySet(closed, closed, calendar.Date{})
	if s.Len() != 1 {
		t.Errorf("Len() = %d, want 1", s.Len())
	}
	if !s.IsHoliday(closed) || s.IsHoliday(day(t, "2026-12-30")) || s.IsHoliday(calendar.Date{}) {
		t.Error("HolidaySet.IsHoliday is wrong")
	}
	var zero calendar.HolidaySet
	if zero.IsHoliday(closed) || zero.Len() != 0 {
		t.Error("the zero HolidaySet has holidays")
	}
	if (calendar.NoHolidays{}).IsHoliday(day(t, "2026-12-25")) {
		t.Error("NoHolidays has a holiday")
	}
	if dutch.IsHoliday(calendar.Date{}) {
		t.Error("Dutch: the zero Date is a holiday")
	}
	// A set of closing days in place of the Dutch calendar.
	if got := calendar.Deadline(day(t, "2026-11-30"), privacy.Days(31), s); got != day(t, "2027-01-01") {
		t.Errorf("Deadline(2026-11-30, P31D, closed 31 December) = %v, want 2027-01-01", got)
	}
}
