package access

import (
	"slices"
	"time"

	"github.com/dossierwacht/dossierwacht/privacy"
)

// Figure is an anonymised figure about a group of employees that an
// employer may see (rule N12). Values are stored.
type Figure string

// The figures.
const (
	// FigureAbsenceRate is the absence rate ("verzuimpercentage"): the
	// days of the period the members spent in an absence case, divided by
	// the members times the days of the period.
	FigureAbsenceRate Figure = "absence-rate"
	// FigurePeriodicExam is periodic-examination participation: the share
	// of members with a periodic-examination case opened in the period.
	FigurePeriodicExam Figure = "periodic-exam-participation"
)

// Known reports whether f is one of the figures.
func (f Figure) Known() bool { return f == FigureAbsenceRate || f == FigurePeriodicExam }

// Confidential reports whether f counts cases of a kind the employer may
// not learn of without the employee's approval (rule O10): consultation-hour
// visits and periodic examinations. Such a figure is suppressed when it
// would tell something about each member (all or none took part) or about
// fewer members than the policy's minimum (rule N12); see [GroupFigure].
func (f Figure) Confidential() bool { return f == FigurePeriodicExam }

// GroupRequest asks for a figure about a group of an employer's employees.
type GroupRequest struct {
	// Principal must be an employer contact acting for Employer.
	Principal *Principal
	Employer  privacy.PartyID
	Figure    Figure
	// Members are the subjects in the group, employees of Employer.
	Members []privacy.SubjectID
	// From and To bound the period the figure is about, To excluded: one
	// calendar month in UTC that has ended by Time (rule N12: see
	// [GroupRequest.Validate]).
	From, To time.Time
	// Time is when the request is made.
	Time time.Time
	// Restriction answers whether a restriction of processing stands on
	// a member's case as a whole (GDPR art. 18(2)): such a case is only
	// stored, and the figure is computed as if it were not there. nil
	// means none stands; the front door asks the register of holds.
	Restriction RestrictionChecker
}

// Validate reports whether r is well formed.
func (r *GroupRequest) Validate() error {
	const op = "access: validate group request"
	bad := func(path, msg string) error {
		return &privacy.Error{Op: op, Kind: privacy.ErrInvalid, Rule: privacy.N12, Path: path, Msg: msg}
	}
	if r.Principal == nil {
		return bad("principal", "missing")
	}
	if err := r.Principal.Validate(); err != nil {
		return err // rule O7 included: a contractor without its agreement
	}
	if !privacy.ValidID(string(r.Employer)) {
		return bad("employer", "malformed party ID")
	}
	if !r.Figure.Known() {
		return bad("figure", "unknown figure")
	}
	if len(r.Members) > maxGroupMembers {
		return bad("members", "more than 1,000,000 members")
	}
	for _, m := range r.Members {
		if !privacy.ValidID(string(m)) {
			return bad("members", "malformed subject ID")
		}
	}
	if r.From.IsZero() || !r.To.After(r.From) {
		return bad("to", "an empty period")
	}
	if r.Time.IsZero() {
		return bad("time", "missing")
	}
	// Rule N12: a figure is of one calendar month (UTC) that has ended.
	// Periods then never partly overlap, so no difference of two answered
	// figures tells about a shorter time, or about a period whose own
	// figure was suppressed; and the figure of a month does not change
	// between two questions, so that no difference over time singles out
	// who became absent or went to an examination in between.
	if y, m, d := r.From.UTC().Date(); d != 1 || !r.From.Equal(time.Date(y, m, 1, 0, 0, 0, 0, time.UTC)) {
		return bad("from", "a group figure covers one calendar month: from is the first of a month, 00:00 UTC")
	}
	if !r.To.Equal(r.From.UTC().AddDate(0, 1, 0)) {
		return bad("to", "a group figure covers one calendar month: to is the first of the next month")
	}
	if r.To.After(r.Time) {
		return bad("to", "a group figure is of a month that has ended")
	}
	return nil
}

const maxGroupMembers = 1_000_000

// GroupFigure is an answered group figure.
type GroupFigure struct {
	Figure   Figure
	Employer privacy.PartyID
	From, To time.Time
	// Members is the size of the group.
	Members int
	// Value is the figure, a share between 0 and 1; zero, and meaning
	// nothing, when the figure is suppressed.
	Value float64
	// Suppressed reports that the figure is withheld: for a confidential
	// figure ([Figure.Confidential]) whose members all or none are
	// counted (rule O10: that would tell the employer about each of them)
	// or whose counted or uncounted members are fewer than the policy's
	// minimum (rule N12). Reason says that it is withheld, in one text
	// for every suppressed figure, without personal data: which of these
	// it is would tell what it hides.
	Suppressed bool
	Reason     string
	// Rule is the rule that decided: N12 for an answered figure; O10 for
	// every suppressed one. Policy is the version that decided.
	Rule   privacy.RuleID
	Policy string
}

// reasonSuppressed is the one reason of every suppressed figure. One
// reason, and one rule, whatever the figure hides: a reason for "none took
// part" apart from one for "a few took part" would itself tell the
// employer whether anyone of the group took part (rules O10, N12).
const reasonSuppressed = "all, none or fewer than the policy's minimum of the group are counted, or left out: the figure would tell about its members"

// suppress decides whether a confidential figure that counts count of
// members is withheld (see [GroupFigure.Suppressed]). Every suppressed
// figure answers with rule O10 and reasonSuppressed, so that the answer
// tells no more than that it is withheld.
func suppress(f Figure, count, members, min int) (privacy.RuleID, string, bool) {
	switch {
	case !f.Confidential():
		return "", "", false
	case count == 0 || count == members,
		// Rule O10: "none took part" or "all took part" tells the
		// employer about each member.
		count < min || members-count < min:
		// Rule N12: a cell small enough to point at a person.
		return privacy.O10, reasonSuppressed, true
	}
	return "", "", false
}

// GroupHistory is what an employer was told before: the member sets of
// the group figures answered for it (rule N12), each sorted and without
// duplicates. Version changes with every answered group, so that a store
// can refuse to record a group decided on a stale history.
type GroupHistory struct {
	Version uint64
	Groups  [][]privacy.SubjectID
}

// members returns r's members sorted and without duplicates.
func sortedMembers(ms []privacy.SubjectID) []privacy.SubjectID {
	out := slices.Clone(ms)
	slices.Sort(out)
	return slices.Compact(out)
}

// CheckGroup decides whether an employer that was answered the groups of
// h may also be answered a figure about members (rule N12). members must
// be sorted and without duplicates.
//
// # The rule
//
// Figures are sums over the members (of absence days, of examinations). A
// figure for a group smaller than min is suppressed. That alone does not
// protect anyone: the difference of two answered groups that differ in one
// person gives that person's value (a difference attack), and three groups
// whose pairwise differences are all large can still combine to single one
// out (A = X+p, B = X+Y, C = Y+p: A+C-B = 2p). So the rule looks at what
// all answered groups together can tell apart: the people who are in
// exactly the same answered groups form one cell, and any sum or difference
// of answered figures is a sum over whole cells. A new group is answered
// only if, afterwards, every cell still has at least min members. No
// combination of answers then says anything about fewer than min people.
//
// An identical group is answered again (it splits no cell). The rule is
// strict by design: a group that overlaps an earlier one needs both the
// overlap and each remainder to be at least min; fixed disjoint groups of
// at least min (departments, locations) always pass.
func CheckGroup(h GroupHistory, members []privacy.SubjectID, min int) error {
	const op = "access: check group"
	if len(members) < min {
		// Rule N12: a group small enough to identify a person is
		// suppressed.
		return &privacy.Error{Op: op, Kind: privacy.ErrForbidden, Rule: privacy.N12, Msg: "the group is smaller than the policy's minimum"}
	}
	// Label every person of an answered group with its cell.
	cell := map[privacy.SubjectID]int{}
	next := 1
	for _, g := range h.Groups {
		split := map[int]int{} // old cell → new cell for those in g
		for _, s := range g {
			old := cell[s] // 0: in no group yet
			nc, ok := split[old]
			if !ok {
				nc = next
				next++
				split[old] = nc
			}
			cell[s] = nc
		}
	}
	size := map[int]int{}
	for _, c := range cell {
		size[c]++
	}
	inside := map[int]int{}
	for _, s := range members {
		inside[cell[s]]++ // cell 0: people in no answered group
	}
	for c, n := range inside {
		rest := size[c] - n
		if n < min || (c != 0 && rest > 0 && rest < min) {
			// Rule N12: the answer, combined with earlier ones, would tell
			// about fewer than min people.
			return &privacy.Error{Op: op, Kind: privacy.ErrForbidden, Rule: privacy.N12,
				Msg: "with earlier answered groups it would single out fewer than the policy's minimum"}
		}
	}
	return nil
}

// computeFigure computes figure f over members from their cases (cases
// of other subjects or other employers are ignored), and for a figure that
// counts members, how many it counts.
func computeFigure(f Figure, employer privacy.PartyID, members []privacy.SubjectID, cases []privacy.Case, from, to time.Time) (float64, int) {
	if len(members) == 0 {
		return 0, 0
	}
	in := NewSet(members...)
	switch f {
	case FigurePeriodicExam:
		took := Set[privacy.SubjectID]{}
		for _, c := range cases {
			if c.Kind == privacy.CasePeriodicExam && c.Contract.Party == employer && in.Has(c.Subject) &&
				!c.Opened.Before(from) && c.Opened.Before(to) {
				took.Add(c.Subject)
			}
		}
		return float64(len(took)) / float64(len(members)), len(took)
	case FigureAbsenceRate:
		days := func(a, b time.Time) float64 { return b.Sub(a).Hours() / 24 }
		spans := map[privacy.SubjectID][][2]time.Time{}
		for _, c := range cases {
			if c.Kind != privacy.CaseAbsence || c.Contract.Party != employer || !in.Has(c.Subject) {
				continue
			}
			a, b := c.Opened, c.Closed
			if b.IsZero() || b.After(to) {
				b = to
			}
			if a.Before(from) {
				a = from
			}
			if b.After(a) {
				spans[c.Subject] = append(spans[c.Subject], [2]time.Time{a, b})
			}
		}
		var total float64
		for _, ss := range spans {
			// Overlapping cases of one person count once.
			slices.SortFunc(ss, func(x, y [2]time.Time) int { return x[0].Compare(y[0]) })
			cur := ss[0]
			for _, s := range ss[1:] {
				if s[0].After(cur[1]) {
					total += days(cur[0], cur[1])
					cur = s
				} else if s[1].After(cur[1]) {
					cur[1] = s[1]
				}
			}
			total += days(cur[0], cur[1])
		}
		return total / (float64(len(members)) * days(from, to)), len(spans)
	}
	return 0, 0
}
