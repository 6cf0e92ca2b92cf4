package rights

import (
	"slices"
	"time"

	"github.com/dossierwacht/dossierwacht/privacy"
	"github.com/dossierwacht/dossierwacht/privacy/calendar"
)

// Deadline returns the deadline of a request received at the instant
// received under the policy's request rules: the earliest of the answer
// periods in rules.Answer (R11's 4 weeks, O13's and G2's one month), each
// counted by [calendar.DeadlineAt] — the day of receipt in the Netherlands
// not counted, a period ending on a Saturday, Sunday or holiday of h moving
// to the next working day (rule G2, EU Regulation 1182/71). On a tie the
// rule listed first wins. A nil h means the Dutch holidays
// ([calendar.Dutch]).
//
// It fails with [privacy.ErrInvalid] when rules has no answer period or
// received is zero.
func Deadline(rules privacy.RequestRules, received time.Time, h calendar.Holidays) (Due, error) {
	return deadline("deadline", rules.Answer, privacy.Period{}, "", received, h)
}

// ExtendedDeadline returns the deadline of a request whose answer period
// was extended by rules.Extension (rule G2: by two further months). Each
// answer period is extended by [calendar.ExtendedDeadlineAt]: the extension
// runs from the first period's own end, before any move to a working day,
// so that whether the first period happened to end on a weekend does not
// move the second; where that and one period from receipt differ (receipts
// on the 29th to the 31st), the earlier date holds, the safe reading for
// the controller. Received 31 January 2026: 28 April, not 30 April. The
// earliest result wins, as for [Deadline].
//
// It fails with [privacy.ErrForbidden] when the policy allows no
// extension (rule G2), or when one of its answer periods is regulation R's
// four weeks (rule R11: unconditional; the stricter rule wins over G2's
// two further months, so a policy that applies regulation R, [privacy.Strict]
// included, extends nothing), and as [Deadline] does otherwise.
func ExtendedDeadline(rules privacy.RequestRules, received time.Time, h calendar.Holidays) (Due, error) {
	if slices.ContainsFunc(rules.Answer, func(d privacy.Deadline) bool { return d.Rule == privacy.R11 }) {
		// Rule R11: within 4 weeks, with no extension.
		return Due{}, &privacy.Error{Op: op + "extended deadline", Kind: privacy.ErrForbidden, Rule: privacy.R11,
			Msg: "regulation R's four weeks are not extended"}
	}
	if rules.Extension == nil {
		return Due{}, &privacy.Error{Op: op + "extended deadline", Kind: privacy.ErrForbidden, Rule: privacy.G2,
			Msg: "the policy allows no extension"}
	}
	return deadline("extended deadline", rules.Answer, rules.Extension.Period, rules.Extension.Rule, received, h)
}

// MedicalErasureDeadline returns the last day to destroy medical records
// after a granted request to erase them, received at received: three
// months under Civil Code 7:455 (rule N8), from rules.MedicalErasure,
// counted as [Deadline] counts. It fails with [privacy.ErrInvalid] when the
// policy has no such period.
func MedicalErasureDeadline(rules privacy.RequestRules, received time.Time, h calendar.Holidays) (Due, error) {
	if rules.MedicalErasure == nil {
		return Due{}, &privacy.Error{Op: op + "medical erasure deadline", Kind: privacy.ErrInvalid, Rule: privacy.N8,
			Msg: "the policy has no medical erasure period"}
	}
	return deadline("medical erasure deadline", []privacy.Deadline{*rules.MedicalErasure}, privacy.Period{}, "", received, h)
}

func deadline(opName string, answers []privacy.Deadline, ext privacy.Period, extRule privacy.RuleID,
	received time.Time, h calendar.Holidays) (Due, error) {
	if len(answers) == 0 {
		return Due{}, &privacy.Error{Op: op + opName, Kind: privacy.ErrInvalid, Rule: privacy.G2, Msg: "the policy has no answer period"}
	}
	if !validTime(received) {
		return Due{}, invalid(opName, "received", msgTimeBounds)
	}
	if h == nil {
		h = calendar.Dutch(nil)
	}
	var best Due
	for _, a := range answers {
		if sum(a.Period, ext).Validate() != nil {
			return Due{}, invalid(opName, "period", "units must be between 0 and 10000")
		}
		// Rules G2, R11, O13 (and N8): 1182/71 counting with holidays;
		// the extension from the end of the first period.
		d := calendar.ExtendedDeadlineAt(received, a.Period, ext, h)
		if d.IsZero() {
			return Due{}, invalid(opName, "period", "no working day ends the period")
		}
		if best.Date.IsZero() || d.Before(best.Date) {
			best = Due{Date: d, Rule: a.Rule, Citation: a.Citation, Extension: extRule}
		}
	}
	return best, nil
}

func sum(a, b privacy.Period) privacy.Period {
	return privacy.Period{Years: a.Years + b.Years, Months: a.Months + b.Months, Weeks: a.Weeks + b.Weeks, Days: a.Days + b.Days}
}

// dayOf returns the day of t in the Netherlands: deadlines are days there.
func dayOf(t time.Time) calendar.Date { return calendar.DateIn(t, calendar.Amsterdam()) }
