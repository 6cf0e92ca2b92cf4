package calendar

import (
	"cmp"
	"math"
	"strconv"
	"time"

	"github.com/dossierwacht/dossierwacht/privacy"
)

// Date is a day in the Gregorian calendar: a year, a month and a day, with no
// time of day and no time zone. Dates are values: compare them with ==, use
// them as map keys, order them with [Date.Compare].
//
// The zero Date means "no date". It is not a day of any calendar: it sorts
// before every other Date, arithmetic on it returns the zero Date, and it is
// never a working day.
//
// [NewDate], [ParseDate] and the text form accept years 1 through 9999.
// Arithmetic may carry a Date beyond year 9999; such a Date still counts and
// compares correctly (the calendar is proleptic and continues as far as year
// 2147483647), but it has no text form. Arithmetic stops at 1 January of
// year 1 and at 31 December of year 2147483647 rather than wrapping around.
type Date struct {
	year  int32
	month uint8 // 1 to 12; 0 only in the zero Date
	day   uint8 // 1 to the length of the month
}

const (
	minTextYear = 1
	maxTextYear = 9999

	// The representable range, as days since 1970-01-01 (see daysFromCivil):
	// 0001-01-01 and 2147483647-12-31. TestRangeConstants checks them.
	minDays int64 = -719162
	maxDays int64 = 784351576776
)

// NewDate returns the Date year-month-day. It returns an error that matches
// [privacy.ErrInvalid] when the year is outside 1 through 9999, the month is
// not a month, or the month has no such day (31 April, 29 February 2026).
func NewDate(year int, month time.Month, day int) (Date, error) {
	if msg := checkDate(year, month, day); msg != "" {
		return Date{}, &privacy.Error{Op: "new date", Kind: privacy.ErrInvalid, Msg: msg}
	}
	return Date{int32(year), uint8(month), uint8(day)}, nil
}

// checkDate returns why year-month-day is not a valid Date, or "".
func checkDate(year int, month time.Month, day int) string {
	switch {
	case year < minTextYear || year > maxTextYear:
		return "year outside 1 to 9999"
	case month < time.January || month > time.December:
		return "month out of range"
	case day < 1 || day > daysIn(int64(year), int64(month)):
		return "day out of range for month"
	}
	return ""
}

// DateIn returns the day on which the instant t falls in the time zone loc.
// A nil loc means UTC. Use [Amsterdam] for the Dutch calendar day: an instant
// of 2026-03-31T23:30:00Z is on 1 April in Amsterdam.
//
// DateIn uses t's instant, not its own location, so DateIn(t, loc) is the same
// for t and t.UTC().
func DateIn(t time.Time, loc *time.Location) Date {
	if loc == nil {
		loc = time.UTC
	}
	y, m, d := t.In(loc).Date()
	switch {
	case y < 1:
		return fromDays(minDays)
	case y > math.MaxInt32:
		return fromDays(maxDays)
	}
	return Date{int32(y), uint8(m), uint8(d)}
}

// ParseDate parses a date in the form "2006-01-02" (ISO 8601 extended
// calendar date, four-digit year). Any other form, and any day that does not
// exist, is refused with an error that matches [privacy.ErrInvalid]. The
// error does not repeat the input, which may be a date of birth.
func ParseDate(s string) (Date, error) {
	bad := func(msg string) (Date, error) {
		return Date{}, &privacy.Error{Op: "parse date", Kind: privacy.ErrInvalid, Msg: msg}
	}
	if len(s) != 10 || s[4] != '-' || s[7] != '-' {
		return bad("want yyyy-mm-dd")
	}
	y, ok1 := digits(s[0:4])
	m, ok2 := digits(s[5:7])
	d, ok3 := digits(s[8:10])
	if !ok1 || !ok2 || !ok3 {
		return bad("want yyyy-mm-dd")
	}
	if msg := checkDate(y, time.Month(m), d); msg != "" {
		return bad(msg)
	}
	return Date{int32(y), uint8(m), uint8(d)}, nil
}

// digits parses s, which must be all ASCII digits.
func digits(s string) (int, bool) {
	n := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, true
}

// Year returns d's year, or 0 for the zero Date.
func (d Date) Year() int { return int(d.year) }

// Month returns d's month, or 0 for the zero Date.
func (d Date) Month() time.Month { return time.Month(d.month) }

// Day returns d's day of the month, or 0 for the zero Date.
func (d Date) Day() int { return int(d.day) }

// IsZero reports whether d is the zero Date, "no date".
func (d Date) IsZero() bool { return d.month == 0 }

// In returns the start of d in the time zone loc: midnight, as [time.Date]
// gives it (in a zone whose clocks skip midnight, time.Date picks a time
// near it; Europe/Amsterdam does not skip midnight). A nil loc means UTC.
// The zero Date gives the zero [time.Time].
func (d Date) In(loc *time.Location) time.Time {
	if d.IsZero() {
		return time.Time{}
	}
	if loc == nil {
		loc = time.UTC
	}
	return time.Date(int(d.year), time.Month(d.month), int(d.day), 0, 0, 0, 0, loc)
}

// Compare returns -1 if d is before u, 0 if they are the same day and +1 if d
// is after u. The zero Date is before every other Date. Compare fits
// [slices.SortFunc].
func (d Date) Compare(u Date) int {
	switch {
	case d.year != u.year:
		return cmp.Compare(d.year, u.year)
	case d.month != u.month:
		return cmp.Compare(d.month, u.month)
	}
	return cmp.Compare(d.day, u.day)
}

// Before reports whether d is before u.
func (d Date) Before(u Date) bool { return d.Compare(u) < 0 }

// After reports whether d is after u.
func (d Date) After(u Date) bool { return d.Compare(u) > 0 }

// YearEnd returns 31 December of d's year; the zero Date stays zero. A
// retention period that runs from the end of the year of its trigger
// ([privacy.RetentionRule].FromYearEnd, rules R9, N7) starts there.
func (d Date) YearEnd() Date {
	if d.IsZero() {
		return d
	}
	return Date{d.year, uint8(time.December), 31}
}

// AddDays returns the day n days after d (before d when n is negative). The
// zero Date stays zero.
func (d Date) AddDays(n int) Date {
	if d.IsZero() {
		return d
	}
	return fromDays(d.days() + clampUnit(n))
}

// Weekday returns the day of the week of d. The zero Date's weekday is
// [time.Sunday], so that it is never taken for a working day.
func (d Date) Weekday() time.Weekday {
	if d.IsZero() {
		return time.Sunday
	}
	// 1970-01-01 was a Thursday.
	return time.Weekday(floorMod(d.days()+int64(time.Thursday), 7))
}

// String returns d as "2006-01-02". Years after 9999 have more digits; the
// zero Date is "".
func (d Date) String() string {
	if d.IsZero() {
		return ""
	}
	var buf [24]byte
	return string(d.appendTo(buf[:0]))
}

func (d Date) appendTo(b []byte) []byte {
	for p := int32(1000); p > 1 && d.year < p; p /= 10 {
		b = append(b, '0')
	}
	b = strconv.AppendInt(b, int64(d.year), 10)
	b = append(b, '-', byte('0'+d.month/10), byte('0'+d.month%10))
	b = append(b, '-', byte('0'+d.day/10), byte('0'+d.day%10))
	return b
}

// AppendText appends the text form of d, "2006-01-02", to b. The zero Date
// appends nothing. A Date after year 9999 is refused with an error that
// matches [privacy.ErrInvalid].
func (d Date) AppendText(b []byte) ([]byte, error) {
	if d.IsZero() {
		return b, nil
	}
	if d.year > maxTextYear {
		return b, &privacy.Error{Op: "marshal date", Kind: privacy.ErrInvalid, Msg: "year outside 1 to 9999"}
	}
	return d.appendTo(b), nil
}

// MarshalText encodes d as "2006-01-02", so that a Date is a JSON string
// such as "2026-03-05". The zero Date encodes as the empty string; a struct
// field tagged `json:",omitzero"` leaves it out. A Date after year 9999 is
// refused with an error that matches [privacy.ErrInvalid].
func (d Date) MarshalText() ([]byte, error) {
	return d.AppendText(nil)
}

// UnmarshalText decodes a Date from "2006-01-02" as [ParseDate] does. The
// empty text decodes as the zero Date.
func (d *Date) UnmarshalText(b []byte) error {
	if len(b) == 0 {
		*d = Date{}
		return nil
	}
	u, err := ParseDate(string(b))
	if err != nil {
		return err
	}
	*d = u
	return nil
}

// days returns d as the number of days since 1970-01-01.
func (d Date) days() int64 {
	return daysFromCivil(int64(d.year), int64(d.month), int64(d.day))
}

// fromDays returns the Date n days after 1970-01-01, clamped to the
// representable range.
func fromDays(n int64) Date {
	n = min(max(n, minDays), maxDays)
	y, m, d := civilFromDays(n)
	return Date{int32(y), uint8(m), uint8(d)}
}

// maxUnit bounds a count of days, weeks, months or years before arithmetic,
// so that no product or sum overflows int64. Any larger count runs past the
// representable range anyway.
const maxUnit = 1 << 40

func clampUnit(n int) int64 {
	return int64(min(max(n, -maxUnit), maxUnit))
}

// daysFromCivil and civilFromDays convert between a proleptic Gregorian
// date and the number of days since 1970-01-01. They are Howard Hinnant's
// algorithms ("chrono-Compatible Low-Level Date Algorithms"), which count
// the year from 1 March so that the leap day comes last.
func daysFromCivil(y, m, d int64) int64 {
	if m <= 2 {
		y--
	}
	era := floorDiv(y, 400)
	yoe := y - era*400                     // [0, 399]
	doy := (153*((m+9)%12)+2)/5 + d - 1    // [0, 365]
	doe := yoe*365 + yoe/4 - yoe/100 + doy // [0, 146096]
	return era*146097 + doe - 719468
}

func civilFromDays(z int64) (y, m, d int64) {
	z += 719468
	era := floorDiv(z, 146097)
	doe := z - era*146097                                  // [0, 146096]
	yoe := (doe - doe/1460 + doe/36524 - doe/146096) / 365 // [0, 399]
	doy := doe - (365*yoe + yoe/4 - yoe/100)               // [0, 365]
	mp := (5*doy + 2) / 153                                // [0, 11], March = 0
	d = doy - (153*mp+2)/5 + 1
	m = mp + 3
	if m > 12 {
		m -= 12
	}
	y = yoe + era*400
	if m <= 2 {
		y++
	}
	return y, m, d
}

func isLeap(y int64) bool {
	return y%4 == 0 && (y%100 != 0 || y%400 == 0)
}

// daysIn returns the number of days in month m (1 to 12) of year y.
func daysIn(y, m int64) int {
	switch m {
	case 2:
		if isLeap(y) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

func floorDiv(a, b int64) int64 {
	q := a / b
	if a%b != 0 && (a < 0) != (b < 0) {
		q--
	}
	return q
}

func floorMod(a, b int64) int64 {
	return a - floorDiv(a, b)*b
}
