package privacy

import (
	"fmt"
	"strconv"
	"strings"
)

// Period is a span of calendar time: years, months, weeks and days, counted
// on the calendar rather than as a fixed number of hours. Retention periods
// (R9, O12, N7) and answer deadlines (R11, O13, G2) are Periods.
//
// A Period encodes as an ISO 8601 duration of whole date units, such as
// "P2Y", "P1M", "P4W" or "P1Y6M". The arithmetic that adds a Period to a date
// lives in package [github.com/dossierwacht/dossierwacht/privacy/calendar].
type Period struct {
	Years  int
	Months int
	Weeks  int
	Days   int
}

// maxPeriodUnit bounds each unit so that no arithmetic on a Period can
// overflow a date: nothing in the rule catalog runs longer than decades.
const maxPeriodUnit = 10000

// Years returns a Period of n years.
func Years(n int) Period { return Period{Years: n} }

// Months returns a Period of n months.
func Months(n int) Period { return Period{Months: n} }

// Weeks returns a Period of n weeks.
func Weeks(n int) Period { return Period{Weeks: n} }

// Days returns a Period of n days.
func Days(n int) Period { return Period{Days: n} }

// IsZero reports whether p is empty.
func (p Period) IsZero() bool { return p == Period{} }

// String returns p as an ISO 8601 duration ("P2Y", "P4W"); the zero Period
// is "P0D".
func (p Period) String() string {
	if p.IsZero() {
		return "P0D"
	}
	var b strings.Builder
	b.WriteByte('P')
	for _, u := range []struct {
		n    int
		unit byte
	}{{p.Years, 'Y'}, {p.Months, 'M'}, {p.Weeks, 'W'}, {p.Days, 'D'}} {
		if u.n != 0 {
			b.WriteString(strconv.Itoa(u.n))
			b.WriteByte(u.unit)
		}
	}
	return b.String()
}

// ParsePeriod parses an ISO 8601 duration of date units ("P2Y", "P1Y6M",
// "P4W", "P3M10D"). Time units (hours and less), signs and fractions are not
// periods of this kind and are refused with an error that matches
// [ErrInvalid].
func ParsePeriod(s string) (Period, error) {
	bad := func(why string) (Period, error) {
		return Period{}, &Error{Op: "parse period", Kind: ErrInvalid, Msg: fmt.Sprintf("%q: %s", truncate(s, 32), why)}
	}
	if len(s) < 3 || s[0] != 'P' {
		return bad("want an ISO 8601 duration such as P2Y")
	}
	var p Period
	rest := s[1:]
	order := "YMWD"
	for rest != "" {
		i := 0
		for i < len(rest) && rest[i] >= '0' && rest[i] <= '9' {
			i++
		}
		if i == 0 || i == len(rest) {
			return bad("want digits followed by Y, M, W or D")
		}
		if i > 5 {
			return bad("number too large")
		}
		n, _ := strconv.Atoi(rest[:i])
		if n > maxPeriodUnit {
			return bad("number too large")
		}
		unit := rest[i]
		k := strings.IndexByte(order, unit)
		if k < 0 {
			return bad("unit must be Y, M, W or D")
		}
		order = order[k+1:] // each unit once, in order
		switch unit {
		case 'Y':
			p.Years = n
		case 'M':
			p.Months = n
		case 'W':
			p.Weeks = n
		case 'D':
			p.Days = n
		}
		rest = rest[i+1:]
	}
	return p, nil
}

// Validate reports whether p is a usable period: no negative or oversized
// unit.
func (p Period) Validate() error {
	for _, n := range []int{p.Years, p.Months, p.Weeks, p.Days} {
		if n < 0 || n > maxPeriodUnit {
			return &Error{Op: "validate period", Kind: ErrInvalid, Msg: "units must be between 0 and 10000"}
		}
	}
	return nil
}

// MarshalText encodes p as an ISO 8601 duration.
func (p Period) MarshalText() ([]byte, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	return []byte(p.String()), nil
}

// UnmarshalText decodes an ISO 8601 duration.
func (p *Period) UnmarshalText(b []byte) error {
	q, err := ParsePeriod(string(b))
	if err != nil {
		return err
	}
	*p = q
	return nil
}
