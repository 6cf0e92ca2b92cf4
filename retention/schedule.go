package retention

import (
	"fmt"
	"slices"
	"time"

	"github.com/dossierwacht/dossierwacht/privacy"
	"github.com/dossierwacht/dossierwacht/privacy/calendar"
)

// Status is where a record stands in its retention. The zero Status is
// not due: a zero [Schedule] deletes nothing.
type Status string

// The statuses.
const (
	// StatusKept: the record has no due date now (a trigger has not
	// happened, no rule covers it) or a legal hold keeps it.
	StatusKept Status = "kept"
	// StatusScheduled: the record has a due date after today.
	StatusScheduled Status = "scheduled"
	// StatusDue: the record's due date has come; a sweep deletes it.
	StatusDue Status = "due"
)

// Reason says how a schedule came about. Values are stored in proofs;
// they are never renamed.
type Reason string

// The reasons.
const (
	// ReasonNoRule: no retention rule of the policy covers the record's
	// category in its kind of case. Nothing is deleted without a rule
	// (rule default-deny); the policy has a gap to fill.
	ReasonNoRule Reason = "no-rule"
	// ReasonPending: the event a period runs from has not happened: the
	// case is open, the employment has not ended. Rule names the rule
	// waiting for it.
	ReasonPending Reason = "pending"
	// ReasonMaximum: the date is the end of the earliest policy maximum
	// that applies (R9, O12, N7): data is kept no longer than any
	// applicable rule allows.
	ReasonMaximum Reason = "maximum"
	// ReasonStatute: the date is the end of the longest statutory
	// retention duty, which outlasts the policy maxima or is the only
	// rule (N7, R9; G3 against erasure).
	ReasonStatute Reason = "statute"
	// ReasonErasure: a granted erasure request brought the date forward
	// (R9, O13, N8).
	ReasonErasure Reason = "erasure"
	// ReasonHold: a legal hold keeps the record (G3).
	ReasonHold Reason = "hold"
)

// Schedule is the retention decision for one record: when it is due for
// deletion and the rule that sets that date, or that it is kept and why.
// The zero Schedule is kept, never due.
type Schedule struct {
	Record   privacy.RecordID
	Case     privacy.CaseID
	CaseKind privacy.CaseKind
	Subject  privacy.SubjectID
	Category privacy.Category
	Medical  bool
	// Updated is the version of the record this schedule was made for.
	Updated time.Time

	Status Status
	Reason Reason
	// Rule is the rule behind Status and Reason: the retention rule that
	// set Due or that waits for its trigger, the request's rule (R9, O13;
	// N8 for a medical record) for an erasure, G3 for a hold, and
	// [privacy.RuleDefaultDeny] when no rule covers the record.
	Rule privacy.RuleID
	// Index is the index in the policy's Retention of the rule that set
	// Due or waits for its trigger; -1 when none did.
	Index int
	// Due is the first day on which the record may be deleted, from 00:00
	// Europe/Amsterdam time: the day after the retention period ends
	// (Regulation 1182/71 art. 3(2)(c): a period ends with the last hour
	// of its last day). Zero while no date is known. For a held record it
	// is the day it would be due without the hold: Status decides.
	Due calendar.Date
	// Floor is the first day allowed by the longest statutory retention
	// duty that applies; zero when none applies or its trigger has not
	// happened (then Status is kept). No schedule is ever due before it.
	Floor calendar.Date
	// Deadline is the last day by which the record must be gone: N8's
	// three months for a medical record under an erasure request. Zero
	// when no deadline beyond "at the next sweep" applies.
	Deadline calendar.Date
	// Hold is the legal hold that keeps the record, if one does.
	Hold HoldID
	// Ground is the hold's ground, if a hold keeps the record.
	Ground Ground
	// Erasure is the granted erasure request that covers the record, if
	// any, whether it could bring the date forward or not.
	Erasure ErasureID
}

// IsDue reports whether a sweep is to delete the record now.
func (s *Schedule) IsDue() bool { return s.Status == StatusDue }

// Refused reports whether an erasure request covers the record but the law
// keeps it (rule G3): a legal hold, or a statutory retention duty that has
// not run out.
func (s *Schedule) Refused() bool { return s.Erasure != "" && s.Status != StatusDue }

// String describes the schedule in one line, naming IDs, the category,
// dates and rules only.
func (s Schedule) String() string {
	what := fmt.Sprintf("%s (%s, case %s)", s.Record, s.Category, s.Case)
	switch {
	case s.Reason == ReasonHold:
		return fmt.Sprintf("%s: kept by hold %s (%s), rule G3", what, s.Hold, s.Ground)
	case s.Status == StatusKept:
		return fmt.Sprintf("%s: kept (%s), rule %s", what, s.Reason, s.Rule)
	}
	return fmt.Sprintf("%s: %s from %s (%s), rule %s", what, s.Status, s.Due, s.Reason, s.Rule)
}

// Rules are a policy's retention rules, compiled for scheduling. They are
// immutable and safe for concurrent use. Make them with [NewRules].
//
// # How the rules combine
//
// A rule applies to a record when it lists the record's category (or none)
// and the case's kind (or none). Its period runs from its trigger — the
// case's closing, the end of the subject's employment, the record's
// creation or last change — taken as a day in Europe/Amsterdam, and ends
// at the end of the day [calendar.Add] gives (EU 1182/71 month-end
// clamping: 29 February 2024 plus 2 years ends on 28 February 2026). The
// record is due from the next day.
//
//   - Statutory periods are minimums (N7, G3): the record stays until the
//     longest of them has run out, whatever the other rules say, and no
//     erasure request shortens them. While the trigger of one has not
//     happened, the record is kept.
//   - Other periods are maximums (R9, O12, N7): "no longer than". A record
//     is kept no longer than every applicable maximum allows, so the
//     earliest end wins (data minimisation, GDPR art. 5(1)(e); where rules
//     differ the stricter holds). A maximum whose trigger has not happened
//     sets no date yet; when no maximum has a date, the record is kept.
//   - When only statutory rules apply, the longest one's end is the date:
//     after it nothing justifies keeping the record (O12).
//   - A granted erasure request brings the date forward to the day it was
//     granted (R9, O13, N8), but never before a statutory minimum.
//   - A standing legal hold keeps the record, whatever the date (G3).
//   - A record no rule covers is kept (default deny: nothing is deleted
//     without a rule that says so), with [ReasonNoRule].
//
// Ties go to the rule that comes first in the policy.
type Rules struct {
	version string
	rules   []privacy.RetentionRule
	loc     *time.Location
	// table[catRow*numKinds+kind] lists the rules applying to a category
	// in a kind of case, in policy order.
	catRow     map[privacy.Category]int
	kindIdx    map[privacy.CaseKind]int
	table      [][]int32
	audit      privacy.Deadline
	medErasure *privacy.Deadline
	holidays   calendar.Holidays
	// shortest[t] is the shortest period of trigger t, for candidate
	// cut-offs; ok[t] whether any rule uses t.
	shortest [numTriggers]privacy.Period
	uses     [numTriggers]bool
}

const numTriggers = 4

func triggerIndex(t privacy.Trigger) int {
	switch t {
	case privacy.TriggerCaseClosed:
		return 0
	case privacy.TriggerEmploymentEnded:
		return 1
	case privacy.TriggerRecordCreated:
		return 2
	case privacy.TriggerRecordUpdated:
		return 3
	}
	return -1
}

// NewRules compiles the retention rules of policy, which must validate.
// Later changes to the policy have no effect on them.
func NewRules(policy *privacy.Policy) (*Rules, error) {
	if policy == nil {
		return nil, &privacy.Error{Op: "retention: new rules", Kind: privacy.ErrInvalid, Msg: "nil policy"}
	}
	if err := policy.Validate(); err != nil {
		return nil, err
	}
	p := policy.Clone()
	r := &Rules{
		version:  p.Name + "@" + p.Version,
		rules:    p.Retention,
		loc:      calendar.Amsterdam(),
		catRow:   map[privacy.Category]int{},
		kindIdx:  map[privacy.CaseKind]int{},
		audit:    p.AuditRetention,
		holidays: calendar.Dutch(nil),
	}
	if p.Requests.MedicalErasure != nil {
		d := *p.Requests.MedicalErasure
		r.medErasure = &d
	}
	cats, caseKinds := privacy.Categories(), privacy.CaseKinds()
	for i, c := range cats {
		r.catRow[c] = i
	}
	for i, k := range caseKinds {
		r.kindIdx[k] = i
	}
	r.table = make([][]int32, len(cats)*len(caseKinds))
	for i, rule := range p.Retention {
		for ci, c := range cats {
			if len(rule.Categories) > 0 && !slices.Contains(rule.Categories, c) {
				continue
			}
			for ki, k := range caseKinds {
				if len(rule.CaseKinds) > 0 && !slices.Contains(rule.CaseKinds, k) {
					continue
				}
				cell := &r.table[ci*len(caseKinds)+ki]
				*cell = append(*cell, int32(i))
			}
		}
		t := triggerIndex(rule.Trigger)
		if !r.uses[t] || minDays(rule.Period) < minDays(r.shortest[t]) {
			r.shortest[t] = rule.Period
		}
		r.uses[t] = true
	}
	return r, nil
}

// Policy returns the name and version of the policy the rules come from,
// as "name@version" (O16).
func (r *Rules) Policy() string { return r.version }

// Rule returns the retention rule at index i of the policy's Retention, as
// a [Schedule]'s Index names it.
func (r *Rules) Rule(i int) (privacy.RetentionRule, bool) {
	if i < 0 || i >= len(r.rules) {
		return privacy.RetentionRule{}, false
	}
	rule := r.rules[i]
	rule.Categories, rule.CaseKinds = slices.Clone(rule.Categories), slices.Clone(rule.CaseKinds)
	return rule, true
}

// Citation returns the citation of the rule a schedule's Index names, or
// "".
func (r *Rules) Citation(s *Schedule) string {
	if s.Index < 0 || s.Index >= len(r.rules) {
		return ""
	}
	return r.rules[s.Index].Citation
}

// minDays is a lower bound of a period's length in days: years of 365,
// months of 28.
func minDays(p privacy.Period) int { return p.Years*365 + p.Months*28 + p.Weeks*7 + p.Days }

// day returns the Amsterdam day of t, or false when t is zero or after now
// (the event has not happened).
func (r *Rules) day(t, now time.Time) (calendar.Date, bool) {
	if t.IsZero() || t.After(now) {
		return calendar.Date{}, false
	}
	return calendar.DateIn(t, r.loc), true
}

// Due returns the first day on which data kept for period p from the
// instant t may be deleted: the day after [calendar.Add] of t's day in
// Europe/Amsterdam. A record due on a day is due from 00:00 Amsterdam time
// that day.
func Due(t time.Time, p privacy.Period) calendar.Date {
	return calendar.Add(calendar.DateIn(t, calendar.Amsterdam()), p).AddDays(1)
}

// AuditDue returns the first day on which the audit event e may be
// deleted: the day after the policy's audit retention (N9: at least 5
// years) has run from the event's time.
func (r *Rules) AuditDue(e privacy.Event) calendar.Date {
	// Rule N9: audit events are kept at least 5 years.
	return calendar.Add(calendar.DateIn(e.Time, r.loc), r.audit.Period).AddDays(1)
}

// AuditRule returns the policy's audit retention (N9).
func (r *Rules) AuditRule() privacy.Deadline { return r.audit }

// scopes is what a dossier's holds and erasure requests say at a time,
// prepared once per dossier.
type scopes struct {
	holds    []*Hold    // standing at now
	erasures []*Erasure // decided at or before now, earliest first
	erDay    []calendar.Date
	erDead   []calendar.Date // N8 deadline per request
}

func (r *Rules) prepare(sc *scopes, d *Dossier, now time.Time) {
	for i := range d.Holds {
		if h := &d.Holds[i]; h.ActiveAt(now) {
			sc.holds = append(sc.holds, h)
		}
	}
	for i := range d.Erasures {
		e := &d.Erasures[i]
		if e.Decided.IsZero() || e.Decided.After(now) {
			continue
		}
		sc.erasures = append(sc.erasures, e)
	}
	slices.SortStableFunc(sc.erasures, func(a, b *Erasure) int { return a.Decided.Compare(b.Decided) })
	for _, e := range sc.erasures {
		sc.erDay = append(sc.erDay, calendar.DateIn(e.Decided, r.loc))
		var dl calendar.Date
		if r.medErasure != nil {
			// Rule N8: a medical file is destroyed within 3 months of
			// the request.
			dl = calendar.DeadlineAt(e.Received, r.medErasure.Period, r.holidays)
		}
		sc.erDead = append(sc.erDead, dl)
	}
}

// Schedule appends to dst the schedule of every record in d at the time
// now, in the dossier's order, and returns the extended slice. It is a pure
// function of its arguments: no I/O, no clock.
func (r *Rules) Schedule(dst []Schedule, d *Dossier, now time.Time) []Schedule {
	var sc scopes
	if len(d.Holds) > 0 || len(d.Erasures) > 0 {
		r.prepare(&sc, d, now)
	}
	today := calendar.DateIn(now, r.loc)
	empDay, empOK := r.day(d.Subject.EmploymentEnded, now)
	dst = slices.Grow(dst, d.Records())
	for ci := range d.Cases {
		cf := &d.Cases[ci]
		c := &cf.Case
		closedDay, closedOK := r.day(c.Closed, now)
		ki, kindOK := r.kindIdx[c.Kind]
		// Case-level ends, cached per rule for the rules of the first
		// 64 indexes (the common case; others are computed each time).
		var cache [64]calendar.Date
		var cached uint64
		for ri := range cf.Records {
			e := &cf.Records[ri]
			s := Schedule{Record: e.ID, Case: c.ID, CaseKind: c.Kind, Subject: d.Subject.ID, Category: e.Category,
				Medical: e.Medical, Updated: e.Updated, Index: -1}
			row, ok := r.catRow[e.Category]
			var idx []int32
			if ok && kindOK {
				idx = r.table[row*len(r.kindIdx)+ki]
			}
			maxIdx, floorIdx, pendMax, pendFloor := -1, -1, -1, -1
			var maxDue, floor calendar.Date
			for _, i32 := range idx {
				i := int(i32)
				rule := &r.rules[i]
				var end calendar.Date
				if i < 64 && cached&(1<<i) != 0 {
					end = cache[i]
				} else {
					var start calendar.Date
					happened, caseLevel := false, true
					switch rule.Trigger {
					case privacy.TriggerCaseClosed:
						start, happened = closedDay, closedOK
					case privacy.TriggerEmploymentEnded:
						start, happened = empDay, empOK
					case privacy.TriggerRecordCreated:
						start, happened = r.day(e.Created, now)
						caseLevel = false
					case privacy.TriggerRecordUpdated:
						start, happened = r.day(e.Updated, now)
						caseLevel = false
					}
					if happened {
						end = calendar.Add(start, rule.Period).AddDays(1)
					}
					if caseLevel && i < 64 {
						cache[i], cached = end, cached|1<<i
					}
				}
				switch {
				case end.IsZero() && rule.Statutory:
					if pendFloor < 0 {
						pendFloor = i
					}
				case end.IsZero():
					if pendMax < 0 {
						pendMax = i
					}
				case rule.Statutory:
					// Rule N7: statutory periods are minimums; the
					// longest one holds (G3).
					if floorIdx < 0 || end.After(floor) {
						floor, floorIdx = end, i
					}
				default:
					// Rules R9, O12: maximums; the earliest holds.
					if maxIdx < 0 || end.Before(maxDue) {
						maxDue, maxIdx = end, i
					}
				}
			}
			er := -1
			for k, x := range sc.erasures {
				if x.Covers(c.ID, e.ID) {
					er = k
					s.Erasure = x.ID
					break
				}
			}
			s.Status = StatusKept
			switch {
			case len(idx) == 0:
				s.Reason, s.Rule = ReasonNoRule, privacy.RuleDefaultDeny
			case pendFloor >= 0:
				// Rule G3: a statutory duty whose period has not even
				// started keeps the record, erasure request or not.
				s.Reason, s.Rule, s.Index = ReasonPending, r.rules[pendFloor].Rule, pendFloor
			case er >= 0:
				s.Due, s.Reason, s.Rule = sc.erDay[er], ReasonErasure, sc.erasures[er].Rule
				if e.Medical && r.medErasure != nil {
					// Rule N8: a medical file on the patient's request,
					// within 3 months of it.
					s.Rule, s.Deadline = r.medErasure.Rule, sc.erDead[er]
				}
				if maxIdx >= 0 && maxDue.Before(s.Due) {
					s.Due, s.Reason, s.Rule, s.Index = maxDue, ReasonMaximum, r.rules[maxIdx].Rule, maxIdx
				}
			case maxIdx >= 0:
				s.Due, s.Reason, s.Rule, s.Index = maxDue, ReasonMaximum, r.rules[maxIdx].Rule, maxIdx
			case pendMax >= 0:
				s.Reason, s.Rule, s.Index = ReasonPending, r.rules[pendMax].Rule, pendMax
			default: // statutory rules only, all started
				s.Due, s.Reason, s.Rule, s.Index = floor, ReasonStatute, r.rules[floorIdx].Rule, floorIdx
			}
			if floorIdx >= 0 && pendFloor < 0 {
				s.Floor = floor
				if !s.Due.IsZero() && floor.After(s.Due) {
					// Rule G3, N7: the statutory minimum outlasts the
					// policy maximum or the erasure request.
					s.Due, s.Reason, s.Rule, s.Index = floor, ReasonStatute, r.rules[floorIdx].Rule, floorIdx
					s.Deadline = calendar.Date{}
				}
			}
			if !s.Due.IsZero() {
				if s.Due.After(today) {
					s.Status = StatusScheduled
				} else {
					s.Status = StatusDue
				}
			}
			for _, h := range sc.holds {
				if h.Covers(c.ID, e.ID) {
					// Rule G3: a legal hold keeps the record.
					s.Status, s.Reason, s.Rule, s.Hold, s.Ground = StatusKept, ReasonHold, privacy.G3, h.ID, h.Ground
					break
				}
			}
			dst = append(dst, s)
		}
	}
	return dst
}

// cutoff returns the instant before which a trigger of kind t must have
// happened for a record to be due at today: generous by the slack of
// years of 365 days and months of 28, so that a query with it misses
// nothing. Zero when no rule uses the trigger.
func (r *Rules) cutoff(t int, today calendar.Date) time.Time {
	if !r.uses[t] {
		return time.Time{}
	}
	return today.AddDays(1 - minDays(r.shortest[t])).In(r.loc)
}

// Query returns the candidate query for a sweep at now: cut-offs for the
// triggers the policy uses, and every erasure request decided by now.
func (r *Rules) Query(now time.Time) Query {
	today := calendar.DateIn(now, r.loc)
	q := Query{
		ClosedBefore:          r.cutoff(0, today),
		EmploymentEndedBefore: r.cutoff(1, today),
		ErasedBefore:          now.Add(time.Microsecond),
	}
	created, updated := r.cutoff(2, today), r.cutoff(3, today)
	// A record updated before a cut-off was created before it too.
	if updated.After(created) {
		created = updated
	}
	q.CreatedBefore = created
	return q
}
