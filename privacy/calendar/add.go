package calendar

import "github.com/dossierwacht/dossierwacht/privacy"

// Add returns the day on which the period p, counted from d, ends, in the
// way of EU Regulation 1182/71 art. 3(2)(c):
//
//   - Years and months are added together first. A period of months or
//     years from day D ends on day D of the target month, or on the last day
//     of that month when it has no day D: 31 January plus one month is 28
//     February (29 in a leap year), 29 February 2024 plus two years is 28
//     February 2026.
//   - Then weeks (seven days each) and days are added.
//
// Add is the arithmetic of retention schedules (rules R9, N7): data closed on
// d and kept for p may be deleted after Add(d, p). Retention is not a time
// limit for an act, so a weekend or holiday does not move it. For answer
// deadlines use [Deadline], which adds the working-day rule.
//
// Add is meant for periods that pass [privacy.Period.Validate]. Negative
// units count backwards in the same way (31 March minus one month is 28 or
// 29 February). The zero Date stays zero. Add never panics: a result beyond
// the representable range stops at its end.
func Add(d Date, p privacy.Period) Date {
	// Rules G2, R9, N7.
	if d.IsZero() {
		return d
	}
	if p.Years != 0 || p.Months != 0 {
		// Months since the start of year 0; at most about 2^44, no overflow.
		total := int64(d.year)*12 + int64(d.month-1) + clampUnit(p.Years)*12 + clampUnit(p.Months)
		y := floorDiv(total, 12)
		m := total - y*12 + 1
		switch {
		case y < minTextYear:
			return fromDays(minDays)
		case y > maxYear:
			return fromDays(maxDays)
		}
		day := min(int64(d.day), int64(daysIn(y, m)))
		d = Date{int32(y), uint8(m), uint8(day)}
	}
	if p.Weeks != 0 || p.Days != 0 {
		d = fromDays(d.days() + clampUnit(p.Weeks)*7 + clampUnit(p.Days))
	}
	return d
}

// maxYear is the last year a Date can hold.
const maxYear = 1<<31 - 1
