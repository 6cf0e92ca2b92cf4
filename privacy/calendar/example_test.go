package calendar_test

import (
	"fmt"
	"log"
	"time"

	"github.com/dossierwacht/dossierwacht/privacy"
	"github.com/dossierwacht/dossierwacht/privacy/calendar"
)

// A subject access request has one month (rules G2, O13). Received on
// 31 January 2026, the month ends on 28 February, a Saturday, so the answer
// is due on Monday 2 March.
func ExampleDeadline() {
	received, err := calendar.ParseDate("2026-01-31")
	if err != nil {
		log.Fatal(err)
	}
	due := calendar.Deadline(received, privacy.Months(1), calendar.Dutch(nil))
	fmt.Println(due, due.Weekday())
	// Output: 2026-03-02 Monday
}

// Four weeks under rule R11, from a request received on the Saturday before
// Easter: the period ends on Saturday 4 April 2026, and Easter Sunday and
// Easter Monday follow.
func ExampleDeadline_fourWeeks() {
	received, err := calendar.ParseDate("2026-03-07")
	if err != nil {
		log.Fatal(err)
	}
	h := calendar.Dutch(nil)
	end := calendar.Add(received, privacy.Weeks(4))
	due := calendar.Deadline(received, privacy.Weeks(4), h)
	fmt.Println(end, h.Name(end.AddDays(1)), h.Name(end.AddDays(2)))
	fmt.Println(due)
	// Output:
	// 2026-04-04 Eerste Paasdag Tweede Paasdag
	// 2026-04-07
}

// The GDPR's extension by two further months runs from the end of the first
// month, not from the working day the answer was due on: received 31
// January 2026, the first month ends on Saturday 28 February (due Monday
// 2 March), the extension on Tuesday 28 April (rule G2).
func ExampleExtendedDeadline() {
	received, err := calendar.ParseDate("2026-01-31")
	if err != nil {
		log.Fatal(err)
	}
	h := calendar.Dutch(nil)
	fmt.Println(calendar.Deadline(received, privacy.Months(1), h))
	fmt.Println(calendar.ExtendedDeadline(received, privacy.Months(1), privacy.Months(2), h))
	// Output:
	// 2026-03-02
	// 2026-04-28
}

// Good Friday is a holiday for Dutch statutory periods (Algemene
// termijnenwet art. 3(2)): an access request received on 3 March 2026 is
// due on Tuesday 7 April, after Good Friday, Easter Sunday and Easter
// Monday.
func ExampleDutch() {
	received, err := calendar.ParseDate("2026-03-03")
	if err != nil {
		log.Fatal(err)
	}
	h := calendar.Dutch(nil)
	due := calendar.Deadline(received, privacy.Months(1), h)
	fmt.Println(h.Name(due.AddDays(-4)), due, due.Weekday())
	decreed := calendar.Dutch(&calendar.DutchOptions{Decreed: true})
	friday, err := calendar.ParseDate("2026-05-15")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(h.IsHoliday(friday), decreed.Name(friday))
	// Output:
	// Goede Vrijdag 2026-04-07 Tuesday
	// false gelijkgestelde dag
}

// A request that arrives at 23:30 UTC on 31 March arrives on 1 April in the
// Netherlands.
func ExampleDeadlineAt() {
	received := time.Date(2026, time.March, 31, 23, 30, 0, 0, time.UTC)
	fmt.Println(calendar.DeadlineAt(received, privacy.Months(1), calendar.Dutch(nil)))
	// Output: 2026-05-01
}

// Retention (rules R9, N7) counts months and years to the same day, or the
// last day of a shorter month, and ignores weekends.
func ExampleAdd() {
	closed, err := calendar.NewDate(2024, time.February, 29)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(calendar.Add(closed, privacy.Years(2)))
	fmt.Println(calendar.Add(closed, privacy.Years(7)))
	jan31, err := calendar.NewDate(2026, time.January, 31)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(calendar.Add(jan31, privacy.Months(1)))
	fmt.Println(calendar.Add(jan31, privacy.Months(2)))
	// Output:
	// 2026-02-28
	// 2031-02-28
	// 2026-02-28
	// 2026-03-31
}

// An organisation closed between Christmas and New Year adds its own days to
// the Dutch holidays with a small Holidays of its own.
func ExampleHolidays() {
	var days []calendar.Date
	for _, s := range []string{"2026-12-28", "2026-12-29", "2026-12-30", "2026-12-31"} {
		d, err := calendar.ParseDate(s)
		if err != nil {
			log.Fatal(err)
		}
		days = append(days, d)
	}
	h := either{calendar.Dutch(nil), calendar.NewHolidaySet(days...)}

	received, err := calendar.ParseDate("2026-11-27")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(calendar.Deadline(received, privacy.Weeks(4), calendar.Dutch(nil)))
	fmt.Println(calendar.Deadline(received, privacy.Weeks(4), h))
	// Output:
	// 2026-12-28
	// 2027-01-04
}

// either is a day off in a or in b.
type either struct{ a, b calendar.Holidays }

func (e either) IsHoliday(d calendar.Date) bool { return e.a.IsHoliday(d) || e.b.IsHoliday(d) }

func ExampleDate_MarshalText() {
	d, err := calendar.ParseDate("2026-03-05")
	if err != nil {
		log.Fatal(err)
	}
	b, err := d.MarshalText()
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%s %v\n", b, d.Weekday())
	// Output: 2026-03-05 Thursday
}
