package calendar

import "time"

// Holidays is a calendar of public holidays, the days besides Saturdays and
// Sundays on which a period does not end (Regulation 1182/71 art. 3(4)).
// [Dutch] is the Dutch calendar; [HolidaySet] and [NoHolidays] let callers
// supply their own, and any type with this method will do.
//
// IsHoliday reports whether d is a public holiday. It need not report
// Saturdays and Sundays, which [IsWorkingDay] treats as days off anyway. It
// must report false for the zero Date, must be safe for concurrent use, and
// should be cheap and not allocate: [Deadline] calls it a few times per
// deadline.
type Holidays interface {
	IsHoliday(d Date) bool
}

// NoHolidays is a calendar without public holidays: only Saturdays and
// Sundays are days off.
type NoHolidays struct{}

// IsHoliday reports false for every day.
func (NoHolidays) IsHoliday(Date) bool { return false }

// HolidaySet is a calendar made of fixed dates, such as an organisation's
// own closing days or another country's holidays. Its zero value has no
// holidays. A HolidaySet is immutable and safe for concurrent use.
type HolidaySet struct {
	days map[Date]struct{}
}

// NewHolidaySet returns a HolidaySet of the given days. It copies them; zero
// Dates are ignored.
func NewHolidaySet(days ...Date) HolidaySet {
	s := HolidaySet{days: make(map[Date]struct{}, len(days))}
	for _, d := range days {
		if !d.IsZero() {
			s.days[d] = struct{}{}
		}
	}
	return s
}

// IsHoliday reports whether d is one of the set's days.
func (s HolidaySet) IsHoliday(d Date) bool {
	_, ok := s.days[d]
	return ok
}

// Len returns the number of days in the set.
func (s HolidaySet) Len() int { return len(s.days) }

// DutchOptions adjusts the Dutch holiday calendar. A nil *DutchOptions means
// the zero value: the holidays of the Algemene termijnenwet.
type DutchOptions struct {
	// GoodFriday makes Goede Vrijdag (Good Friday) a holiday. It is not a
	// general day off in the Netherlands and the Algemene termijnenwet does
	// not list it; set it when the organisation is closed that day.
	GoodFriday bool
}

// DutchHolidays is the calendar of Dutch public holidays. Create it with
// [Dutch]; its zero value is Dutch(nil). It is a small value, safe for
// concurrent use, and IsHoliday does not allocate.
type DutchHolidays struct {
	goodFriday bool
}

// Dutch returns the Dutch public holidays: the days the Algemene termijnenwet
// (art. 3) puts on a par with Sundays, plus the Sundays among the Christian
// feasts. See the package documentation for the list and the years covered.
func Dutch(opts *DutchOptions) DutchHolidays {
	if opts == nil {
		return DutchHolidays{}
	}
	return DutchHolidays{goodFriday: opts.GoodFriday}
}

// IsHoliday reports whether d is a Dutch public holiday.
func (h DutchHolidays) IsHoliday(d Date) bool { return h.Name(d) != "" }

// Name returns the Dutch name of the holiday on d ("Koningsdag",
// "Tweede Paasdag"), or "" if d is not a holiday. When two holidays fall on
// the same day (Bevrijdingsdag and Hemelvaartsdag in 2016), Name returns one
// of them.
func (h DutchHolidays) Name(d Date) string {
	y, m, day := int64(d.year), time.Month(d.month), int(d.day)
	switch {
	case m == time.January && day == 1:
		return "Nieuwjaarsdag"
	case m == time.December && day == 25:
		return "Eerste Kerstdag"
	case m == time.December && day == 26:
		return "Tweede Kerstdag"
	case m == time.May && day == 5 && y >= 1945:
		return "Bevrijdingsdag"
	}
	if m == time.April || m == time.May {
		if km, kd, name := royalDay(y); km == m && kd == day {
			return name
		}
	}
	if m < time.March || m > time.June {
		return ""
	}
	// The feasts that follow Easter: 22 March to 14 June.
	switch d.days() - Easter(int(y)).days() {
	case -2:
		if h.goodFriday {
			return "Goede Vrijdag"
		}
	case 0:
		return "Eerste Paasdag"
	case 1:
		return "Tweede Paasdag"
	case 39:
		return "Hemelvaartsdag"
	case 49:
		return "Eerste Pinksterdag"
	case 50:
		return "Tweede Pinksterdag"
	}
	return ""
}

// royalDay returns the day on which the monarch's birthday is celebrated in
// year y, or 0 if this package does not know it:
//
//   - from 2014 Koningsdag, 27 April (King Willem-Alexander), or 26 April when
//     the 27th is a Sunday;
//   - 1980 to 2013 Koninginnedag, 30 April, or 29 April when the 30th is a
//     Sunday;
//   - 1949 to 1979 Koninginnedag, 30 April (Queen Juliana), or 1 May when the
//     30th is a Sunday.
func royalDay(y int64) (time.Month, int, string) {
	switch {
	case y >= 2014:
		if weekday(y, time.April, 27) == time.Sunday {
			return time.April, 26, "Koningsdag"
		}
		return time.April, 27, "Koningsdag"
	case y >= 1980:
		if weekday(y, time.April, 30) == time.Sunday {
			return time.April, 29, "Koninginnedag"
		}
		return time.April, 30, "Koninginnedag"
	case y >= 1949:
		if weekday(y, time.April, 30) == time.Sunday {
			return time.May, 1, "Koninginnedag"
		}
		return time.April, 30, "Koninginnedag"
	}
	return 0, 0, ""
}

func weekday(y int64, m time.Month, d int) time.Weekday {
	return Date{int32(y), uint8(m), uint8(d)}.Weekday()
}

// Easter returns Easter Sunday of year in the Gregorian calendar, by the
// anonymous Gregorian algorithm (Meeus/Jones/Butcher). Years before 1583,
// when the Gregorian calendar began, get the proleptic date. Easter returns
// the zero Date for a year a Date cannot hold (before 1 or after 2147483647).
func Easter(year int) Date {
	if year < minTextYear || int64(year) > maxYear {
		return Date{}
	}
	a := year % 19
	b := year / 100
	c := year % 100
	d := b / 4
	e := b % 4
	f := (b + 8) / 25
	g := (b - f + 1) / 3
	h := (19*a + b - d - g + 15) % 30
	i := c / 4
	k := c % 4
	l := (32 + 2*e + 2*i - h - k) % 7
	m := (a + 11*h + 22*l) / 451
	month := (h + l - 7*m + 114) / 31
	day := (h+l-7*m+114)%31 + 1
	return Date{int32(year), uint8(month), uint8(day)}
}
