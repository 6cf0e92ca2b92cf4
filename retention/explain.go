package retention

import (
	"fmt"
	"strings"
	"time"

	"github.com/dossierwacht/dossierwacht/privacy"
	"github.com/dossierwacht/dossierwacht/privacy/calendar"
)

// Considered is one retention rule that applies to a record, as an
// [Explanation] lists it.
type Considered struct {
	// Index is the rule's index in the policy's Keeper.
	Index int
	Rule  privacy.RetentionRule
	// Pending reports that the rule's trigger has not happened.
	Pending bool
	// Due is the first day after the rule's period; zero while pending.
	Due calendar.Date
	// Won reports whether this rule set the schedule's date (or keeps it
	// pending).
	Won bool
}

// Explanation is a schedule with every rule that applied to the record and
// a sentence saying which one won and why. It is for people: a sweep's
// dry run, an answer to the subject (G1: the retention period), a review.
type Explanation struct {
	Schedule   Schedule
	Considered []Considered
	Why        string
}

// String returns the schedule and the sentence.
func (x Explanation) String() string { return x.Schedule.String() + ": " + x.Why }

// Explain computes the schedule of record id in d at now, with every rule
// that applied and why the winner won. A record that is not in d fails
// with [privacy.ErrNotFound].
func (r *Engine) Explain(d *Dossier, id privacy.RecordID, now time.Time) (Explanation, error) {
	for ci := range d.Cases {
		cf := &d.Cases[ci]
		for ri := range cf.Records {
			if cf.Records[ri].ID != id {
				continue
			}
			// The one record in its case as it is (open or closed: rules
			// N7, G3, a statutory minimum of an open case runs from no
			// earlier than the record's last change), with the whole
			// case's activity, which its other records share in
			// (CaseEnded); ended is the case as retention reads it.
			ended := cf.Case
			ended.Closed = cf.Ended(d.Subject.EmploymentEnded)
			one := Dossier{Subject: d.Subject, Holds: d.Holds, Erasures: d.Erasures,
				Cases: []CaseFile{{Case: cf.Case, Records: cf.Records[ri : ri+1], Active: cf.LastActivity()}}}
			s := r.Schedule(nil, &one, now)[0]
			x := Explanation{Schedule: s}
			e := &cf.Records[ri]
			for i, rule := range r.rules {
				if !applies(&rule, e.Category, cf.Case.Kind) {
					continue
				}
				var t time.Time
				switch rule.Trigger {
				case privacy.TriggerCaseClosed:
					t = ended.Closed
				case privacy.TriggerEmploymentEnded:
					t = privacy.EmploymentEnd(d.Subject, ended, e.Updated)
					if e.Medical && !t.IsZero() && e.Updated.After(t) && !e.Updated.After(now) {
						// Rule N7: the medical file from its last change
						// when that came later (BW 7:454(3)), as
						// Engine.Schedule counts it.
						t = e.Updated
					}
				case privacy.TriggerRecordCreated:
					t = e.Created
				case privacy.TriggerRecordUpdated:
					t = e.Updated
				}
				cons := Considered{Index: i, Rule: rule, Won: i == s.Index}
				if day, ok := r.day(t, now); ok {
					if u, ok := r.day(e.Updated, now); ok && rule.FromYearEnd && u.After(day) {
						day = u // rules R9, N7: as Engine.Schedule counts it
					}
					if u, ok := r.day(lastChange(e), now); ok && cf.Case.IsOpen() && rule.Statutory &&
						rule.Trigger == privacy.TriggerCaseClosed && u.After(day) {
						day = u // rules N7, G3: as Engine.Schedule counts it
					}
					cons.Due = ruleEnd(&rule, day)
				} else {
					cons.Pending = true
				}
				x.Considered = append(x.Considered, cons)
			}
			x.Why = r.why(&x)
			return x, nil
		}
	}
	return Explanation{}, &privacy.Error{Op: "retention: explain", Kind: privacy.ErrNotFound, Path: "record"}
}

func applies(rule *privacy.RetentionRule, c privacy.Category, k privacy.CaseKind) bool {
	in := func(n int, has func(int) bool) bool {
		if n == 0 {
			return true
		}
		for i := range n {
			if has(i) {
				return true
			}
		}
		return false
	}
	return in(len(rule.Categories), func(i int) bool { return rule.Categories[i] == c }) &&
		in(len(rule.CaseKinds), func(i int) bool { return rule.CaseKinds[i] == k })
}

func describe(c *Considered) string {
	what := fmt.Sprintf("%s (%s after %s", c.Rule.Rule, c.Rule.Period, c.Rule.Trigger)
	if c.Rule.FromYearEnd {
		what += " counted from the end of its year"
	}
	if c.Rule.Statutory {
		what += ", statutory: " + c.Rule.Citation
	}
	if c.Pending {
		return what + ", not started)"
	}
	return what + ", due " + c.Due.String() + ")"
}

func (r *Engine) why(x *Explanation) string {
	s := &x.Schedule
	var b strings.Builder
	var others []string
	for i := range x.Considered {
		if !x.Considered[i].Won {
			others = append(others, describe(&x.Considered[i]))
		}
	}
	won := func() string {
		for i := range x.Considered {
			if x.Considered[i].Won {
				return describe(&x.Considered[i])
			}
		}
		return string(s.Rule)
	}
	switch s.Reason {
	case ReasonNoRule:
		b.WriteString("no retention rule covers this category in this kind of case: kept until the policy has one (default deny)")
	case ReasonPending:
		b.WriteString("kept: " + won() + " waits for its trigger")
		if s.Index >= 0 && r.rules[s.Index].Statutory {
			b.WriteString("; a statutory duty that has not started keeps the record (G3)")
		}
	case ReasonMaximum:
		b.WriteString("the earliest policy maximum wins: " + won())
		if !s.Floor.IsZero() {
			b.WriteString("; the statutory minimum ends before it")
		}
	case ReasonStatute:
		b.WriteString("the longest statutory minimum wins: " + won())
		if len(others) > 0 {
			b.WriteString("; statutory periods are minimums no policy maximum or erasure shortens (N7, G3)")
		}
	case ReasonErasure:
		fmt.Fprintf(&b, "erasure request %s (rule %s) brought the date forward to the day it was granted", s.Erasure, s.Rule)
		if !s.Deadline.IsZero() {
			fmt.Fprintf(&b, "; the medical file goes by %s (N8)", s.Deadline)
		}
	case ReasonHold:
		fmt.Fprintf(&b, "hold %s (%s) keeps the record whatever its date (%s)", s.Hold, s.Ground, s.Ground.Rule())
		if !s.Due.IsZero() {
			fmt.Fprintf(&b, "; without it due from %s", s.Due)
		}
	}
	if s.Refused() && s.Reason != ReasonHold {
		fmt.Fprintf(&b, "; erasure request %s refused for now: a legal obligation keeps the record (G3)", s.Erasure)
	}
	if len(others) > 0 {
		b.WriteString("; also considered: " + strings.Join(others, ", "))
	}
	return b.String()
}
