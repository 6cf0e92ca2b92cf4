package calendar

import (
	"slices"
	"time"
)

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
// the zero value: the holidays of the Algemene termijnenwet art. 3(1) and
// (2), Good Friday included, without the days put on a par by royal decree.
type DutchOptions struct {
	// Decreed adds the days put on a par with the holidays by royal decree
	// under art. 3(3) that this package ships: [DecreedDays].
	Decreed bool
	// Extra adds further days put on a par by royal decree, such as those
	// of a decree published after this package. Zero Dates are ignored.
	Extra []Date
}

// DutchHolidays is the calendar of Dutch public holidays. Create it with
// [Dutch]; its zero value is Dutch(nil). It is safe for concurrent use, and
// IsHoliday does not allocate.
type DutchHolidays struct {
	// x is nil for Dutch(nil): a single pointer keeps the value as small
	// as one, so that it goes into a Holidays without allocating.
	x *dutchExtra
}

type dutchExtra struct {
	decreed bool
	extra   HolidaySet
}

// Dutch returns the Dutch public holidays: the days the Algemene termijnenwet
// (art. 3) puts on a par with Sundays, Good Friday among them (art. 3(2)),
// plus the Sundays among the Christian feasts, and the days of royal decrees
// that opts asks for (art. 3(3)). See the package documentation for the list
// and the years covered.
func Dutch(opts *DutchOptions) DutchHolidays {
	if opts == nil {
		return DutchHolidays{}
	}
	if !opts.Decreed && len(opts.Extra) == 0 {
		return DutchHolidays{}
	}
	return DutchHolidays{&dutchExtra{decreed: opts.Decreed, extra: NewHolidaySet(opts.Extra...)}}
}

// IsHoliday reports whether d is a Dutch public holiday.
func (h DutchHolidays) IsHoliday(d Date) bool { return h.Name(d) != "" }

// Name returns the Dutch name of the holiday on d ("Koningsdag",
// "Tweede Paasdag"; "gelijkgestelde dag" for a day put on a par by royal
// decree), or "" if d is not a holiday. When two holidays fall on the same
// day (Bevrijdingsdag and Hemelvaartsdag in 2016), Name returns one of them.
func (h DutchHolidays) Name(d Date) string {
	if name := dutchName(d); name != "" {
		return name
	}
	if h.x == nil {
		return ""
	}
	if _, ok := decreedIndex[d]; ok && h.x.decreed {
		return equatedName
	}
	if h.x.extra.IsHoliday(d) {
		return equatedName
	}
	return ""
}

// equatedName names a day put on a par with the holidays by royal decree.
const equatedName = "gelijkgestelde dag"

// liberationFrom is the first year in which 5 May counts. See the package
// documentation: the Algemene termijnenwet of 1964 did not name it, and the
// date of the amendment that added it to art. 3(1) is not verified, so the
// calendar takes the later year 1990, from which 5 May is a national
// holiday every year. A 5 May of 1982 to 1989 the act may already have
// counted is left out, which can only make a deadline earlier.
const liberationFrom = 1990

// dutchName is the name of the holiday of art. 3(1) and (2) on d, or "".
func dutchName(d Date) string {
	y, m, day := int64(d.year), time.Month(d.month), int(d.day)
	switch {
	case m == time.January && day == 1:
		return "Nieuwjaarsdag"
	case m == time.December && day == 25:
		return "Eerste Kerstdag"
	case m == time.December && day == 26:
		return "Tweede Kerstdag"
	case m == time.May && day == 5 && y >= liberationFrom:
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
	// The feasts around Easter: Good Friday (20 March at the earliest) to
	// Whit Monday (14 June at the latest).
	switch d.days() - Easter(int(y)).days() {
	case -2:
		// Algemene termijnenwet art. 3(2): "Voor de toepassing van deze
		// wet wordt de Goede Vrijdag met de in het vorige lid genoemde
		// dagen gelijkgesteld."
		return "Goede Vrijdag"
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

// DecreedDay is a day put on a par with the holidays by royal decree
// (Algemene termijnenwet art. 3(3)), and the decree that does so.
type DecreedDay struct {
	Date   Date
	Decree string
}

// The decrees under art. 3(3) this package ships, by their titles. Each
// decree's days are in its title.
const (
	decree2016 = "Besluit van 24 oktober 2016, nr. 2016001827, houdende gelijkstelling van 28 april en 26 mei 2017, " +
		"11 mei en 24 en 31 december 2018 en 31 mei en 27 december 2019 met een algemeen erkende feestdag (BWBR0038666)"
	decree2023 = "Besluit gelijkstelling van 28 april 2023, 19 mei 2023, 10 mei 2024, 27 december 2024 en 30 mei 2025 " +
		"met een algemeen erkende feestdag"
	decree2026 = "Besluit gelijkstelling van 2 januari 2026, 15 mei 2026, 7 mei 2027, 28 april 2028 en 26 mei 2028 " +
		"met een algemeen erkende feestdag"
)

// decreedDays lists the shipped days in order. Read-only.
var decreedDays = []DecreedDay{
	{Date{2017, 4, 28}, decree2016}, {Date{2017, 5, 26}, decree2016}, {Date{2018, 5, 11}, decree2016},
	{Date{2018, 12, 24}, decree2016}, {Date{2018, 12, 31}, decree2016}, {Date{2019, 5, 31}, decree2016},
	{Date{2019, 12, 27}, decree2016},
	{Date{2023, 4, 28}, decree2023}, {Date{2023, 5, 19}, decree2023}, {Date{2024, 5, 10}, decree2023},
	{Date{2024, 12, 27}, decree2023}, {Date{2025, 5, 30}, decree2023},
	{Date{2026, 1, 2}, decree2026}, {Date{2026, 5, 15}, decree2026}, {Date{2027, 5, 7}, decree2026},
	{Date{2028, 4, 28}, decree2026}, {Date{2028, 5, 26}, decree2026},
}

// decreedIndex is built once and never changed.
var decreedIndex = func() map[Date]struct{} {
	m := make(map[Date]struct{}, len(decreedDays))
	for _, d := range decreedDays {
		m[d.Date] = struct{}{}
	}
	return m
}()

// DecreedDays returns the days put on a par with the holidays by royal
// decree (Algemene termijnenwet art. 3(3)) that [Dutch] counts with
// [DutchOptions].Decreed, in order, each with its decree: those of the
// decrees for 2017–2019, 2023–2025 and 2026–2028. The decree for 2020–2022
// was not found and its days are not included; add them, and those of later
// decrees, with [DutchOptions].Extra. The slice is new on every call.
func DecreedDays() []DecreedDay { return slices.Clone(decreedDays) }

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
