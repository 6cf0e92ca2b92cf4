// Package calendar is the exact calendar arithmetic that answer deadlines
// and retention schedules depend on: civil dates, periods of years, months,
// weeks and days, Dutch public holidays, and deadlines counted by EU
// Regulation 1182/71.
//
// It uses package [github.com/dossierwacht/dossierwacht/privacy] for
// [privacy.Period] and its error kinds; privacy does not import it. It keeps
// no mutable state (the one thing it caches is the loaded time zone): the
// time is always passed in, and every function is safe for concurrent use.
//
// # Dates
//
// A [Date] is a day without a time of day or time zone, a value that compares
// with == and serves as a map key; its zero value means "no date". Make one
// with [NewDate] or [ParseDate], or take the day of an instant with [DateIn].
// Its text and JSON form is "2026-03-05".
//
// # Periods
//
// [Add] adds a [privacy.Period] the way Regulation 1182/71 art. 3(2)(c)
// counts: years and months first, ending on the same day of the month or on
// the month's last day when it has no such day (31 January plus one month is
// 28 or 29 February), then weeks and days. Retention schedules use Add as it
// is (rules R9, N7).
//
// # Deadlines
//
// A subject access request is answered within one month of receipt, which
// may be extended by two more months (GDPR art. 12(3), rules G2 and O13), or
// within four weeks (rule R11); a granted request to destroy a medical file is
// carried out within three months (rule N8). EU Regulation 1182/71, which
// sets the rules for periods in EU law and so for the GDPR's, counts such a
// period as [Deadline] does: the day of receipt is not counted (art. 3(1));
// the period ends at the end of the day [Add] finds (art. 3(2)(c)); if that
// is a Saturday, a Sunday or a public holiday, the period ends at the end of
// the next working day (art. 3(4)); and a period of two days or more contains
// at least two working days (art. 3(5)). Received 5 March, one month: 5
// April. Received 31 January: 28 February, or 29 in a leap year.
//
// The GDPR lets the month be "extended by two further months". Read as one
// period of three months from receipt, a request received on 31 January
// 2026 would be due on 30 April; read as two months from the end of the
// first month (28 February, before that Saturday moves the answer to
// Monday 2 March), on 28 April. [ExtendedDeadline] takes the earlier date,
// the safe reading for a controller: an answer by it is never late under
// either reading. The readings differ only for receipts on the 29th to the
// 31st of a month.
//
// # Time zone
//
// A request arrives at an instant; the day of receipt is the calendar day in
// the Netherlands. [DeadlineAt] takes that day in Europe/Amsterdam
// ([Amsterdam]): a request received at 2026-03-31T23:30:00Z arrived on
// 1 April. [Amsterdam] falls back to the zone's current rule when the system
// has no time zone database.
//
// # Holidays
//
// [Dutch] is the calendar of Dutch public holidays that a period does not end
// on: the days that the Algemene termijnenwet (art. 3), the Dutch act on time
// limits, puts on a par with Sundays, and the Sunday feasts that go with
// them:
//
//   - Nieuwjaarsdag, New Year's Day, 1 January;
//   - Goede Vrijdag, Good Friday, two days before Easter. Art. 3(2): "Voor
//     de toepassing van deze wet wordt de Goede Vrijdag met de in het vorige
//     lid genoemde dagen gelijkgesteld." It is not a general day off, but a
//     statutory period does not end on it;
//   - Eerste and Tweede Paasdag, Easter Sunday and Easter Monday;
//   - Koningsdag, King's Day, 27 April, or 26 April when the 27th is a Sunday
//     (from 2014); before that Koninginnedag, Queen's Day, 30 April, moved to
//     29 April (1980–2013) or 1 May (1949–1979) when the 30th is a Sunday.
//     Before 1949 the monarch's birthday is not included;
//   - Bevrijdingsdag, Liberation Day, 5 May, every year from 1990. The act
//     of 1964 did not name it; an amendment of art. 3(1), introduced in the
//     Tweede Kamer on 18 June 1981, added "de vijfde mei" (and "de dag
//     waarop de verjaardag van de Koning wordt gevierd"). The date and
//     Staatsblad number of that amendment could not be verified, so the
//     calendar counts 5 May from 1990, from which it is a national holiday
//     every year: for 1982–1989 it may leave out a 5 May the act already
//     counted, which can only make a deadline earlier. It is a day off for
//     many only once every five years, but art. 3(1) names "de vijfde mei"
//     without condition, so a period never ends on it;
//   - Hemelvaartsdag, Ascension Day, 39 days after Easter;
//   - Eerste and Tweede Pinksterdag, Whit Sunday and Whit Monday, 49 and 50
//     days after Easter;
//   - Eerste and Tweede Kerstdag, Christmas Day and Boxing Day, 25 and 26
//     December.
//
// Art. 3(3) lets royal decrees, published in the Staatscourant a few years
// at a time, put further days on a par: mostly the Friday after Ascension
// Day and the Friday after (or the Monday before) a holiday on a Thursday
// (Tuesday). [DutchOptions].Decreed adds the days of the decrees this
// package ships, [DecreedDays], each with the title of its decree: 2017–2019
// (Besluit van 24 oktober 2016, nr. 2016001827), 2023–2025 and 2026–2028.
// The decree for 2020–2022 was not found; [DutchOptions].Extra adds its
// days, and those of later decrees. Decreed days are not in Dutch(nil):
// they count for the periods of Dutch statutes, and leaving them out can
// only make a deadline earlier.
//
// Easter is computed with the anonymous Gregorian algorithm ([Easter]).
// Holidays that fall on a weekend are not moved to a weekday. Other calendars
// plug in through the one-method interface [Holidays]: [HolidaySet] holds
// fixed dates, [NoHolidays] has none.
//
// # Rules
//
// The package implements the counting behind rules G2, O13, R11 and N8
// (deadlines) and R9 and N7 (retention); see RULES.md.
package calendar
