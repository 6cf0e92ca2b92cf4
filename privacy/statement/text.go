package statement

import (
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/dossierwacht/dossierwacht/privacy"
)

// lang chooses between the Dutch and the English wording of a sentence.
// Every sentence of this package is written in both, side by side, with t.
type lang struct{ en bool }

var (
	nl = lang{}
	en = lang{en: true}
)

// t returns the sentence in l's language.
func (l lang) t(dutch, english string) string {
	if l.en {
		return english
	}
	return dutch
}

func (l lang) code() string { return l.t("nl", "en") }

// and joins items as "a, b en c" or "a, b and c".
func (l lang) and(items []string) string { return join(items, l.t(" en ", " and ")) }

// or joins items as "a, b of c" or "a, b or c".
func (l lang) or(items []string) string { return join(items, l.t(" of ", " or ")) }

func join(items []string, last string) string {
	switch len(items) {
	case 0:
		return ""
	case 1:
		return items[0]
	}
	return strings.Join(items[:len(items)-1], ", ") + last + items[len(items)-1]
}

// period writes p in words: "2 jaar", "een maand", "18 maanden", "4 weken";
// "2 years", "one month".
func (l lang) period(p privacy.Period) string {
	type unit struct {
		n                  int
		nl1, nlN, en1, enN string
	}
	units := []unit{
		{p.Years, "een jaar", "jaar", "one year", "years"},
		{p.Months, "een maand", "maanden", "one month", "months"},
		{p.Weeks, "een week", "weken", "one week", "weeks"},
		{p.Days, "een dag", "dagen", "one day", "days"},
	}
	var parts []string
	for _, u := range units {
		switch {
		case u.n == 1:
			parts = append(parts, l.t(u.nl1, u.en1))
		case u.n > 1:
			parts = append(parts, strconv.Itoa(u.n)+" "+l.t(u.nlN, u.enN))
		}
	}
	if len(parts) == 0 {
		return l.t("geen termijn", "no period")
	}
	return l.and(parts)
}

// days is a period's length in days, roughly, for ordering periods.
func days(p privacy.Period) int { return p.Years*365 + p.Months*30 + p.Weeks*7 + p.Days }

var dutchMonths = [...]string{"januari", "februari", "maart", "april", "mei", "juni", "juli",
	"augustus", "september", "oktober", "november", "december"}

// date writes the calendar day of t as "25 mei 2018" or "25 May 2018".
func (l lang) date(t time.Time) string {
	y, m, d := t.Date()
	month := m.String()
	if !l.en {
		month = dutchMonths[m-1]
	}
	return strconv.Itoa(d) + " " + month + " " + strconv.Itoa(y)
}

// upper capitalises the first letter of s.
func upper(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if n == 0 || unicode.IsUpper(r) {
		return s
	}
	return string(unicode.ToUpper(r)) + s[n:]
}

// sentence ends s with a full stop unless it ends with punctuation.
func sentence(s string) string {
	if s == "" || strings.HasSuffix(s, ".") || strings.HasSuffix(s, "?") || strings.HasSuffix(s, "!") || strings.HasSuffix(s, ":") {
		return s
	}
	return s + "."
}
