package calendar

import (
	"time"

	"github.com/dossierwacht/dossierwacht/privacy"
)

// maxDaysOff bounds the search for a working day. No real calendar has more
// than a year of consecutive days off; a Holidays that claims so gets the
// zero Date back rather than an endless loop.
const maxDaysOff = 366

// IsWorkingDay reports whether d is a working day: not a Saturday, not a
// Sunday, and not a holiday of h (Regulation 1182/71 art. 2(2)). A nil h has
// no holidays. The zero Date is not a working day.
func IsWorkingDay(d Date, h Holidays) bool {
	if d.IsZero() {
		return false
	}
	if wd := d.Weekday(); wd == time.Saturday || wd == time.Sunday {
		return false
	}
	return h == nil || !h.IsHoliday(d)
}

// NextWorkingDay returns the first working day after d (not d itself) in the
// calendar h; a nil h has no holidays. It returns the zero Date for the zero
// Date, and when h has no working day in the 366 days after d.
func NextWorkingDay(d Date, h Holidays) Date {
	if d.IsZero() {
		return d
	}
	for range maxDaysOff + 1 {
		d = d.AddDays(1)
		if IsWorkingDay(d, h) {
			return d
		}
	}
	return Date{}
}

// Deadline returns the last day of a period p that runs from the receipt of a
// request on received, counted by EU Regulation 1182/71 (rule G2):
//
//   - art. 3(1): the day of receipt is not counted; the period starts the
//     next day.
//   - art. 3(2)(c): the period ends at the end of the day [Add](received, p):
//     received 5 March with one month, 5 April; received 31 January, 28
//     February (29 in a leap year).
//   - art. 3(4): when that day is a Saturday, a Sunday or a holiday of h, the
//     period ends at the end of the next working day.
//   - art. 3(5): a period of two days or more includes at least two working
//     days; it is extended to the next working day until it does. (This only
//     matters for periods of a few days.)
//
// One month answers a subject access request (rules G2, O13), extended by two
// more months when needed ([ExtendedDeadline]); four weeks under rule R11; three months to destroy
// a medical file (rule N8). The request is late after the end of the
// returned day.
//
// A nil h has no holidays, only weekends, which can only make the deadline
// earlier. p should pass [privacy.Period.Validate]. The zero Date gives the
// zero Date, and so does an h with more than 366 consecutive holidays; a zero
// deadline is before every day, so a caller that checks for lateness treats
// the request as due.
func Deadline(received Date, p privacy.Period, h Holidays) Date {
	if received.IsZero() {
		return received
	}
	// Rule G2.
	return closeOn(received, Add(received, p), h)
}

// ExtendedDeadline returns the last day of a period p from the receipt of a
// request on received, extended by ext: GDPR art. 12(3)'s one month
// "extended by two further months" (rule G2). The extension runs from the
// end of the first period as [Add] finds it, before any move to a working
// day: received 31 January 2026, the first month ends on Saturday 28
// February (the answer is due on Monday 2 March), and the extension on 28
// April. Then the working-day rules of [Deadline] apply (art. 3(4), 3(5)).
//
// Where the readings of "two further months" differ, ExtendedDeadline takes
// the earlier date: counted as one period of three months from receipt, a
// request of 31 January would be due on 30 April. The readings differ for
// receipts on the 29th to the 31st of a month (and, for a first period of
// weeks, where the weeks cross a short month); the earlier date is the
// safe reading for a controller, who is never late by it. It is never later
// than [Deadline] of the sum of p and ext.
//
// The zero Date gives the zero Date, as for [Deadline].
func ExtendedDeadline(received Date, p, ext privacy.Period, h Holidays) Date {
	if received.IsZero() {
		return received
	}
	// Rule G2: the extension runs from the first period's own end.
	end := Add(Add(received, p), ext)
	whole := Add(received, privacy.Period{Years: p.Years + ext.Years, Months: p.Months + ext.Months,
		Weeks: p.Weeks + ext.Weeks, Days: p.Days + ext.Days})
	if whole.Before(end) {
		end = whole
	}
	return closeOn(received, end, h)
}

// closeOn applies Regulation 1182/71 art. 3(4) and 3(5) to a period from
// received whose last day by art. 3(2)(c) is end.
func closeOn(received, end Date, h Holidays) Date {
	long := end.days()-received.days() >= 2 // art. 3(5) applies
	if !IsWorkingDay(end, h) {              // art. 3(4)
		end = NextWorkingDay(end, h)
	}
	if !long || end.IsZero() {
		return end
	}
	// Art. 3(5): end is one working day of the period; find another one
	// before it, or extend the period to the next working day.
	off := 0
	for d := received.AddDays(1); d != end; d = d.AddDays(1) {
		if IsWorkingDay(d, h) {
			return end
		}
		if off++; off > maxDaysOff {
			return Date{}
		}
	}
	return NextWorkingDay(end, h)
}

// DeadlineAt is [Deadline] for a request received at the instant received:
// the day of receipt is the calendar day in the Netherlands, in the time zone
// [Amsterdam]. A request received at 2026-03-31T23:30:00Z arrived on 1 April
// (01:30 summer time), so one month runs to 1 May. The zero time.Time gives
// the zero Date.
func DeadlineAt(received time.Time, p privacy.Period, h Holidays) Date {
	if received.IsZero() {
		return Date{}
	}
	return Deadline(DateIn(received, Amsterdam()), p, h)
}

// ExtendedDeadlineAt is [ExtendedDeadline] for a request received at the
// instant received, the day of receipt taken in Europe/Amsterdam as
// [DeadlineAt] takes it. The zero time.Time gives the zero Date.
func ExtendedDeadlineAt(received time.Time, p, ext privacy.Period, h Holidays) Date {
	if received.IsZero() {
		return Date{}
	}
	return ExtendedDeadline(DateIn(received, Amsterdam()), p, ext, h)
}
