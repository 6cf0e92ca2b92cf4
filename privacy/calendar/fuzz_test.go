package calendar

import (
	"math"
	"testing"

	"github.com/dossierwacht/dossierwacht/privacy"
)

func FuzzParseDate(f *testing.F) {
	for _, s := range []string{"2026-03-05", "2024-02-29", "2026-02-29", "0001-01-01", "9999-12-31", "0000-00-00", "", "2026-3-5", "２０２６-03-05"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := ParseDate(s)
		if err != nil {
			if !d.IsZero() {
				t.Fatalf("ParseDate(%q) = %v with error %v", s, d, err)
			}
			return
		}
		checkValid(t, "ParseDate", d)
		if d.String() != s {
			t.Fatalf("ParseDate(%q).String() = %q", s, d.String())
		}
		b, err := d.MarshalText()
		if err != nil || string(b) != s {
			t.Fatalf("MarshalText = %q, %v; want %q", b, err, s)
		}
		var u Date
		if err := u.UnmarshalText(b); err != nil || u != d {
			t.Fatalf("UnmarshalText(%q) = %v, %v; want %v", b, u, err, d)
		}
		if e, err := NewDate(d.Year(), d.Month(), d.Day()); err != nil || e != d {
			t.Fatalf("NewDate(%v) = %v, %v", d, e, err)
		}
	})
}

// last9999 is 9999-12-31 in days since 1970-01-01.
const last9999 = 2932896

// bounded maps any int into the bounds of privacy.Period.Validate.
func bounded(n int) int {
	if n < 0 {
		n = -(n + 1) // no overflow at MinInt
	}
	return n % 10001
}

func fuzzSeeds(f *testing.F) {
	f.Add(int64(20517), 0, 1, 0, 0) // 2026-03-05, P1M
	f.Add(int64(19782), 2, 0, 0, 0) // 2024-02-29, P2Y
	f.Add(int64(19753), 0, 1, 0, 0) // 2024-01-31, P1M
	f.Add(int64(0), 0, 0, 4, 0)
	f.Add(int64(-719162), 10000, 10000, 10000, 10000)
	f.Add(int64(last9999), 10000, 10000, 10000, 10000)
	f.Add(int64(math.MaxInt64), math.MaxInt, math.MaxInt, math.MaxInt, math.MaxInt)
	f.Add(int64(math.MinInt64), math.MinInt, math.MinInt, math.MinInt, math.MinInt)
}

func FuzzAdd(f *testing.F) {
	fuzzSeeds(f)
	f.Fuzz(func(t *testing.T, n int64, years, months, weeks, days int) {
		d := fromDays(n)
		checkValid(t, "fromDays", d)
		// Any ints at all: no panic, a valid date.
		checkValid(t, "Add(unbounded)", Add(d, privacy.Period{Years: years, Months: months, Weeks: weeks, Days: days}))

		p := privacy.Period{Years: bounded(years), Months: bounded(months), Weeks: bounded(weeks), Days: bounded(days)}
		if err := p.Validate(); err != nil {
			t.Fatal(err)
		}
		got := Add(d, p)
		checkValid(t, "Add", got)
		if got.Before(d) {
			t.Fatalf("Add(%v, %v) = %v, before the start", d, p, got)
		}
		if p.Weeks == 0 && p.Days == 0 && got.day > d.day {
			t.Fatalf("Add(%v, %v) = %v: the day of the month grew", d, p, got)
		}
	})
}

func FuzzDeadline(f *testing.F) {
	fuzzSeeds(f)
	f.Fuzz(func(t *testing.T, n int64, years, months, weeks, days int) {
		// Any inputs at all: no panic.
		_ = Deadline(fromDays(n), privacy.Period{Years: years, Months: months, Weeks: weeks, Days: days}, Dutch(nil))

		// A receipt day in years 1 to 9999 and a valid period: the deadline
		// is a valid working day, not before the end of the period.
		d := fromDays(minDays + floorMod(n, last9999-minDays+1))
		p := privacy.Period{Years: bounded(years), Months: bounded(months), Weeks: bounded(weeks), Days: bounded(days)}
		for _, h := range []Holidays{Dutch(nil), Dutch(&DutchOptions{Decreed: true}), nil} {
			got := Deadline(d, p, h)
			checkValid(t, "Deadline", got)
			if end := Add(d, p); got.Before(end) {
				t.Fatalf("Deadline(%v, %v) = %v, before %v", d, p, got, end)
			}
			if !IsWorkingDay(got, h) {
				t.Fatalf("Deadline(%v, %v) = %v, not a working day", d, p, got)
			}
		}
	})
}

// FuzzExtendedDeadline checks the extension (rule G2) on any input: no
// panic; for a valid receipt and periods, a working day, not before the
// first deadline, and never after the deadline of one period of both.
func FuzzExtendedDeadline(f *testing.F) {
	fuzzSeeds(f)
	f.Fuzz(func(t *testing.T, n int64, years, months, weeks, days int) {
		_ = ExtendedDeadline(fromDays(n), privacy.Period{Years: years, Weeks: weeks}, privacy.Period{Months: months, Days: days}, Dutch(nil))

		d := fromDays(minDays + floorMod(n, last9999-minDays+1))
		p := privacy.Period{Months: bounded(months) % 13, Weeks: bounded(weeks) % 9}
		ext := privacy.Period{Months: bounded(years) % 13, Days: bounded(days) % 32}
		for _, h := range []Holidays{Dutch(nil), Dutch(&DutchOptions{Decreed: true})} {
			got := ExtendedDeadline(d, p, ext, h)
			checkValid(t, "ExtendedDeadline", got)
			if !IsWorkingDay(got, h) {
				t.Fatalf("ExtendedDeadline(%v, %v, %v) = %v, not a working day", d, p, ext, got)
			}
			if first := Deadline(d, p, h); got.Before(first) {
				t.Fatalf("ExtendedDeadline(%v, %v, %v) = %v, before the first deadline %v", d, p, ext, got, first)
			}
			sum := privacy.Period{Months: p.Months + ext.Months, Weeks: p.Weeks, Days: ext.Days}
			if whole := Deadline(d, sum, h); got.After(whole) {
				t.Fatalf("ExtendedDeadline(%v, %v, %v) = %v, after %v", d, p, ext, got, whole)
			}
		}
	})
}
