package calendar

import (
	"math/rand/v2"
	"testing"
	"time"

	"github.com/dossierwacht/dossierwacht/privacy"
)

// checkValid fails the test unless d is a real day of the calendar.
func checkValid(tb testing.TB, what string, d Date) {
	tb.Helper()
	if d.month < 1 || d.month > 12 || d.day < 1 || int(d.day) > daysIn(int64(d.year), int64(d.month)) || d.year < 1 {
		tb.Fatalf("%s = %+v (year %d, month %d, day %d), not a valid date", what, d, d.year, d.month, d.day)
	}
}

// randDate returns a day from 1900 to 2200.
func randDate(r *rand.Rand) Date {
	lo, hi := daysFromCivil(1900, 1, 1), daysFromCivil(2200, 12, 31)
	return fromDays(lo + r.Int64N(hi-lo+1))
}

// randPeriod returns a Period like those of the rule catalog, and sometimes
// a longer one.
func randPeriod(r *rand.Rand) privacy.Period {
	if r.IntN(10) == 0 {
		return privacy.Period{Years: r.IntN(50), Months: r.IntN(30), Weeks: r.IntN(60), Days: r.IntN(400)}
	}
	switch r.IntN(4) {
	case 0:
		return privacy.Months(1 + r.IntN(3)) // G2, O13, N8
	case 1:
		return privacy.Weeks(1 + r.IntN(6)) // R11
	case 2:
		return privacy.Days(r.IntN(40))
	}
	return privacy.Years(1 + r.IntN(40)) // R9, N7
}

// TestDeadlineProperties checks, over random receipt days and periods, that
// a deadline (rule G2) is never before the end of the period, is a working
// day, and is the first working day at or after it unless art. 3(5)
// extended the period.
func TestDeadlineProperties(t *testing.T) {
	r := rand.New(rand.NewPCG(1182, 71))
	cals := []Holidays{Dutch(nil), Dutch(&DutchOptions{Decreed: true}), NoHolidays{}, nil}
	for range 20000 {
		received, p, h := randDate(r), randPeriod(r), cals[r.IntN(len(cals))]
		end := Add(received, p)
		got := Deadline(received, p, h)
		if got.Before(end) {
			t.Fatalf("Deadline(%v, %v) = %v, before Add = %v", received, p, got, end)
		}
		if !IsWorkingDay(got, h) {
			t.Fatalf("Deadline(%v, %v) = %v (%v), not a working day", received, p, got, got.Weekday())
		}
		first := end
		if !IsWorkingDay(first, h) {
			first = NextWorkingDay(first, h)
		}
		if got != first && got != NextWorkingDay(first, h) {
			t.Fatalf("Deadline(%v, %v) = %v, want %v or the working day after", received, p, got, first)
		}
		// Dutch holidays never make more than four days off in a row.
		if got.days()-end.days() > 5 {
			t.Fatalf("Deadline(%v, %v) = %v, %d days after Add", received, p, got, got.days()-end.days())
		}
	}
}

// TestAddMonthsProperties checks that adding n months lands in the month n
// months on, never in the month after it, on the same day or the last day
// of a shorter month, and agrees with a reference built on the time package.
func TestAddMonthsProperties(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 2))
	for range 20000 {
		d := randDate(r)
		n := r.IntN(400)
		got := Add(d, privacy.Months(n))
		wantMonth := (int(d.month)-1+n)%12 + 1
		if int(got.month) != wantMonth {
			t.Fatalf("Add(%v, P%dM) = %v, in month %d, want month %d", d, n, got, got.month, wantMonth)
		}
		// Reference: the first of the target month by time.Date, then the
		// day, or the month's last day.
		first := time.Date(int(d.year), time.Month(d.month)+time.Month(n), 1, 0, 0, 0, 0, time.UTC)
		last := first.AddDate(0, 1, -1).Day()
		want := time.Date(first.Year(), first.Month(), min(int(d.day), last), 0, 0, 0, 0, time.UTC)
		if got != DateIn(want, time.UTC) {
			t.Fatalf("Add(%v, P%dM) = %v, want %v", d, n, got, want.Format(time.DateOnly))
		}
		if y := Add(d, privacy.Years(n)); y != Add(d, privacy.Months(12*n)) {
			t.Fatalf("Add(%v, P%dY) = %v, but P%dM gives %v", d, n, y, 12*n, Add(d, privacy.Months(12*n)))
		}
	}
}

// TestAddMonotonic checks that a later day never gives an earlier result,
// and that a non-empty period always moves forward.
func TestAddMonotonic(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 7))
	for range 20000 {
		a, b, p := randDate(r), randDate(r), randPeriod(r)
		if b.Before(a) {
			a, b = b, a
		}
		if Add(a, p).After(Add(b, p)) {
			t.Fatalf("%v ≤ %v but Add(·, %v) gives %v > %v", a, b, p, Add(a, p), Add(b, p))
		}
		if Deadline(a, p, Dutch(nil)).After(Deadline(b, p, Dutch(nil))) {
			t.Fatalf("%v ≤ %v but Deadline(·, %v) gives %v > %v", a, b, p, Deadline(a, p, Dutch(nil)), Deadline(b, p, Dutch(nil)))
		}
		if !p.IsZero() && !Add(a, p).After(a) {
			t.Fatalf("Add(%v, %v) = %v, not after the start", a, p, Add(a, p))
		}
		if next := a.AddDays(1); Add(next, p).Before(Add(a, p)) {
			t.Fatalf("Add(%v, %v) = %v before Add(%v) = %v", next, p, Add(next, p), a, Add(a, p))
		}
	}
}

// TestCivilAgainstTime checks the day arithmetic against the time package,
// day by day from year 1 to 3000 and at random to 9999.
func TestCivilAgainstTime(t *testing.T) {
	check := func(n int64) {
		d := fromDays(n)
		checkValid(t, "fromDays", d)
		tm := time.Unix(n*86400, 0).UTC()
		if y, m, dd := tm.Date(); int(d.year) != y || time.Month(d.month) != m || int(d.day) != dd {
			t.Fatalf("fromDays(%d) = %v, time says %v", n, d, tm.Format(time.DateOnly))
		}
		if d.days() != n {
			t.Fatalf("%v.days() = %d, want %d", d, d.days(), n)
		}
		if d.Weekday() != tm.Weekday() {
			t.Fatalf("%v.Weekday() = %v, time says %v", d, d.Weekday(), tm.Weekday())
		}
		if !d.In(time.UTC).Equal(tm) {
			t.Fatalf("%v.In(UTC) = %v, want %v", d, d.In(time.UTC), tm)
		}
	}
	for n := minDays; n <= daysFromCivil(3000, 12, 31); n++ {
		check(n)
	}
	r := rand.New(rand.NewPCG(1, 1))
	hi := daysFromCivil(9999, 12, 31)
	for range 10000 {
		check(minDays + r.Int64N(hi-minDays+1))
	}
}

// TestEasterRange checks that Easter always falls from 22 March to 25 April,
// on a Sunday, and so that the Easter-based holidays stay within March to
// June where Name looks for them.
func TestEasterRange(t *testing.T) {
	for y := 1583; y <= 9999; y++ {
		e := Easter(y)
		checkValid(t, "Easter", e)
		if e.Weekday() != time.Sunday {
			t.Fatalf("Easter(%d) = %v, a %v", y, e, e.Weekday())
		}
		if e.Before(Date{int32(y), 3, 22}) || e.After(Date{int32(y), 4, 25}) {
			t.Fatalf("Easter(%d) = %v, outside 22 March to 25 April", y, e)
		}
	}
}
