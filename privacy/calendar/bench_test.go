package calendar_test

import (
	"testing"
	"time"

	"github.com/dossierwacht/dossierwacht/privacy"
	"github.com/dossierwacht/dossierwacht/privacy/calendar"
)

// days2026 returns the days of 2026.
func days2026(tb testing.TB) []calendar.Date {
	tb.Helper()
	var ds []calendar.Date
	for d := day(tb, "2026-01-01"); d.Year() == 2026; d = d.AddDays(1) {
		ds = append(ds, d)
	}
	return ds
}

// TestNoAllocs holds IsHoliday and Deadline to zero allocations.
func TestNoAllocs(t *testing.T) {
	ds := days2026(t)
	var h calendar.Holidays = calendar.Dutch(nil)
	for name, f := range map[string]func(){
		"IsHoliday":  func() { _ = h.IsHoliday(ds[100]) },
		"Deadline":   func() { _ = calendar.Deadline(ds[94], privacy.Months(1), h) },
		"DeadlineAt": func() { _ = calendar.DeadlineAt(ds[94].In(time.UTC), privacy.Months(1), h) },
		"Add":        func() { _ = calendar.Add(ds[30], privacy.Period{Years: 1, Months: 1, Days: 3}) },
	} {
		if n := testing.AllocsPerRun(100, f); n != 0 {
			t.Errorf("%s: %v allocations, want 0", name, n)
		}
	}
}

func BenchmarkDeadline(b *testing.B) {
	ds := days2026(b)
	var h calendar.Holidays = calendar.Dutch(nil)
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		_ = calendar.Deadline(ds[i%len(ds)], privacy.Months(1), h)
		i++
	}
}

func BenchmarkDeadlineAt(b *testing.B) {
	t0 := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	var h calendar.Holidays = calendar.Dutch(nil)
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		_ = calendar.DeadlineAt(t0.Add(time.Duration(i%365)*24*time.Hour), privacy.Weeks(4), h)
		i++
	}
}

func BenchmarkIsHoliday(b *testing.B) {
	ds := days2026(b)
	var h calendar.Holidays = calendar.Dutch(nil)
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		_ = h.IsHoliday(ds[i%len(ds)])
		i++
	}
}

func BenchmarkAdd(b *testing.B) {
	ds := days2026(b)
	p := privacy.Period{Years: 2, Months: 1}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		_ = calendar.Add(ds[i%len(ds)], p)
		i++
	}
}

func BenchmarkParseDate(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		_, _ = calendar.ParseDate("2026-03-05")
	}
}
