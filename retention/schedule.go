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
	// Index is the index in the policy's Keeper of the rule that set
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
		return fmt.Sprintf("%s: kept by hold %s (%s), rule %s", what, s.Hold, s.Ground, s.Ground.Rule())
	case s.Status == StatusKept:
		return fmt.Sprintf("%s: kept (%s), rule %s", what, s.Reason, s.Rule)
	}
	return fmt.Sprintf("%s: %s from %s (%s), rule %s", what, s.Status, s.Due, s.Reason, s.Rule)
}

// Engine are a policy's retention rules, compiled for scheduling. They are
// immutable and safe for concurrent use. Make them with [NewEngine].
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
type Engine struct {
	version string
	rules   []privacy.RetentionRule
	loc     *time.Location
	// table[catRow*numKinds+kind] lists the rules applying to a category
	// in a kind of case, in policy order.
	catRow     map[privacy.Category]int
	kindIdx    map[privacy.CaseKind]int
	table      [][]int32
	audit      privacy.Deadline
	data       map[privacy.DataKind]privacy.DataRule
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

// NewEngine compiles the retention rules of policy, which must validate.
// Later changes to the policy have no effect on them.
func NewEngine(policy *privacy.Policy) (*Engine, error) {
	if policy == nil {
		return nil, &privacy.Error{Op: "retention: new rules", Kind: privacy.ErrInvalid, Msg: "nil policy"}
	}
	if err := policy.Validate(); err != nil {
		return nil, err
	}
	p := policy.Clone()
	r := &Engine{
		version:  p.Name + "@" + p.Version,
		rules:    p.Retention,
		loc:      calendar.Amsterdam(),
		catRow:   map[privacy.Category]int{},
		kindIdx:  map[privacy.CaseKind]int{},
		audit:    p.AuditRetention,
		data:     map[privacy.DataKind]privacy.DataRule{},
		holidays: calendar.Dutch(nil),
	}
	for _, k := range privacy.DataKinds() {
		r.data[k], _ = p.DataRule(k)
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
func (r *Engine) Policy() string { return r.version }

// Rule returns the retention rule at index i of the policy's Keeper, as
// a [Schedule]'s Index names it.
func (r *Engine) Rule(i int) (privacy.RetentionRule, bool) {
	if i < 0 || i >= len(r.rules) {
		return privacy.RetentionRule{}, false
	}
	rule := r.rules[i]
	rule.Categories, rule.CaseKinds = slices.Clone(rule.Categories), slices.Clone(rule.CaseKinds)
	return rule, true
}

// Citation returns the citation of the rule a schedule's Index names, or
// "".
func (r *Engine) Citation(s *Schedule) string {
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
func (r *Engine) day(t, now time.Time) (calendar.Date, bool) {
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
func (r *Engine) AuditDue(e privacy.Event) calendar.Date {
	// Rule N9: audit events are kept at least 5 years.
	return calendar.Add(calendar.DateIn(e.Time, r.loc), r.audit.Period).AddDays(1)
}

// AuditRule returns the policy's audit retention (N9).
func (r *Engine) AuditRule() privacy.Deadline { return r.audit }

// scopes is what a dossier's holds and erasure requests say at a time,
// prepared once per dossier.
type scopes struct {
	holds    []*Hold    // standing at now
	erasures []*Erasure // decided at or before now, earliest first
	erDay    []calendar.Date
	erDead   []calendar.Date // N8 deadline per request
}

func (r *Engine) prepare(sc *scopes, d *Dossier, now time.Time) {
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
func (r *Engine) Schedule(dst []Schedule, d *Dossier, now time.Time) []Schedule {
	at := r.dossierAt(d, now)
	dst = slices.Grow(dst, d.Records())
	for ci := range d.Cases {
		cf := &d.Cases[ci]
		var c caseAt
		r.openCase(&c, cf, d.Subject.EmploymentEnded, now)
		for ri := range cf.Records {
			dst = append(dst, Schedule{})
			r.schedule(&dst[len(dst)-1], &at, &c, &cf.Records[ri])
		}
	}
	return dst
}

// schedule fills in s, a zero Schedule, for record e, in the steps of
// "How the rules combine" on [Engine]:
//
//  1. trigger dates: when the period of each rule that covers the record
//     ends, if its trigger has happened;
//  2. statutory minimum, first half: a statutory duty whose trigger has not
//     happened keeps the record (G3);
//  3. maximums: the earliest policy maximum sets the date (R9, O12), or the
//     longest statutory period when no maximum applies (O12);
//  4. erasure: a granted request brings the date forward (R9, O13, N8);
//  5. statutory minimum, second half: no date before the longest
//     statutory period ends (N7, G3);
//  6. hold: a standing legal hold keeps the record (G3).
//
// A record no rule covers is kept (default deny).
func (r *Engine) schedule(s *Schedule, at *dossierAt, c *caseAt, e *Entry) {
	s.Record, s.Case, s.CaseKind, s.Subject = e.ID, c.c.ID, c.c.Kind, at.subject
	s.Category, s.Medical, s.Updated = e.Category, e.Medical, e.Updated
	s.Status, s.Index = StatusKept, -1
	idx := r.rulesFor(c, e.Category)
	t := r.tally(at, c, e, idx) // 1. trigger dates
	var er int
	s.Erasure, er = at.erasureFor(c.c.ID, e.ID)
	switch {
	case len(idx) == 0:
		// Rule default-deny: nothing is deleted without a rule.
		s.Reason, s.Rule = ReasonNoRule, privacy.RuleDefaultDeny
	case t.pendFloor >= 0:
		r.waitFor(s, t.pendFloor) // 2. statutory duty not started (G3)
	default:
		r.maximum(s, &t)         // 3. maximums (R9, O12)
		r.erasure(s, &t, at, er) // 4. erasure (R9, O13, N8)
		r.minimum(s, &t)         // 5. statutory minimum (N7, G3)
	}
	s.Status = statusOn(s.Due, at.today)
	at.hold(s) // 6. hold (G3)
}

// dossierAt is what a schedule call knows of its dossier at now, the same
// for all its records.
type dossierAt struct {
	scopes
	now     time.Time
	today   calendar.Date
	subject privacy.SubjectID
	// employment is the day the subject's employment ended; ended reports
	// whether it has.
	employment calendar.Date
	ended      bool
}

// dossierAt prepares what the records of d share at now.
func (r *Engine) dossierAt(d *Dossier, now time.Time) dossierAt {
	at := dossierAt{now: now, today: calendar.DateIn(now, r.loc), subject: d.Subject.ID}
	at.employment, at.ended = r.day(d.Subject.EmploymentEnded, now)
	if len(d.Holds) > 0 || len(d.Erasures) > 0 {
		r.prepare(&at.scopes, d, now)
	}
	return at
}

// caseAt is what one case says for its records' schedules: its kind's
// column in the rule table, the day it closed, and the ends of the rules
// that run from the case's closing or the subject's employment, computed
// once per case for the rules of the first 64 indexes (the common case;
// others are computed for each record).
type caseAt struct {
	// c is the case as retention reads it: closed when it ends for
	// retention ([CaseEnded]), an open one at its last activity.
	c      *privacy.Case
	ended  privacy.Case
	kind   int
	kindOK bool
	// closed is the day the case ended for retention; closedOK reports
	// whether it has.
	closed   calendar.Date
	closedOK bool
	// open reports whether the case is still open, read as ended at its
	// last activity or the end of the employment (CaseEnded).
	open  bool
	ends  [64]calendar.Date
	known uint64 // bit i: ends[i] is known
}

// openCase prepares in cc, a zero caseAt, what the records of case file
// cf share at now, its subject's employment having ended at
// employmentEnded (zero if not). Rules R9, O12, N7: the periods that run
// from the closing of a case run, for a case left open, from when it ends
// for retention ([CaseEnded]), and so do those that run from the closing
// of a case no employment is about ([privacy.EmploymentEnd]).
func (r *Engine) openCase(cc *caseAt, cf *CaseFile, employmentEnded, now time.Time) {
	cc.ended = cf.Case
	cc.ended.Closed = cf.Ended(employmentEnded)
	cc.c = &cc.ended
	cc.kind, cc.kindOK = r.kindIdx[cf.Case.Kind]
	cc.closed, cc.closedOK = r.day(cc.ended.Closed, now)
	cc.open = cf.Case.IsOpen()
}

// rulesFor returns the indexes, in policy order, of the rules that apply
// to a record of category cat in case c: those that list the category (or
// none) and the case's kind (or none).
func (r *Engine) rulesFor(c *caseAt, cat privacy.Category) []int32 {
	row, ok := r.catRow[cat]
	if !ok || !c.kindOK {
		return nil
	}
	return r.table[row*len(r.kindIdx)+c.kind]
}

// ends is how the rules that cover a record end, folded as they combine:
// the index of the earliest maximum and of the longest statutory minimum
// that have a date, and of the first of each whose trigger has not
// happened; -1 where there is none.
type ends struct {
	maxIdx, floorIdx, pendMax, pendFloor int
	maxDue, floor                        calendar.Date
}

// tally is step 1, trigger dates: it folds the end of every rule in idx
// for the record e.
func (r *Engine) tally(at *dossierAt, c *caseAt, e *Entry, idx []int32) ends {
	t := ends{maxIdx: -1, floorIdx: -1, pendMax: -1, pendFloor: -1}
	for _, i := range idx {
		t.add(int(i), r.end(at, c, e, int(i)), r.rules[i].Statutory)
	}
	return t
}

// end returns the first day after the period of rule i for record e: its
// trigger's day in Europe/Amsterdam plus the period by [calendar.Add], plus
// one day (Regulation 1182/71 art. 3(2)(c): a period ends with the last
// hour of its last day). Zero when the trigger has not happened.
func (r *Engine) end(at *dossierAt, c *caseAt, e *Entry, i int) calendar.Date {
	rule := &r.rules[i]
	// A medical record's period from the end of the employment is its own
	// (see start), never the case's cached one.
	perRecord := (e.Medical && rule.Trigger == privacy.TriggerEmploymentEnded) || rule.FromYearEnd || floorOfOpen(rule, c)
	if !perRecord && i < 64 && c.known&(1<<i) != 0 {
		return c.ends[i]
	}
	start, happened, caseLevel := r.start(at, c, e, rule.Trigger)
	var end calendar.Date
	if happened {
		if rule.FromYearEnd {
			// Rules R9, N7: the year the data was last entered, when
			// that came after the trigger (a rectification after the
			// closing); per record.
			if u, ok := r.day(e.Updated, at.now); ok && u.After(start) {
				start = u
			}
			caseLevel = false
		}
		if floorOfOpen(rule, c) {
			// Rules N7, G3: a statutory minimum from the closing of a
			// case still open runs from no earlier than the record's
			// last change: an absence case read as ended at the end of
			// the employment (CaseEnded) has its maxima shortened, not
			// the law's minimum of a record recorded after that end
			// (a self-insurer's sickness data of a former employee).
			if u, ok := r.day(lastChange(e), at.now); ok && u.After(start) {
				start = u
			}
			caseLevel = false
		}
		end = ruleEnd(rule, start)
	}
	if caseLevel && i < 64 {
		c.ends[i], c.known = end, c.known|1<<i
	}
	return end
}

// floorOfOpen reports whether rule is a statutory minimum that runs from
// the closing of case c and c is still open: such a period runs, per
// record, from no earlier than the record's last change (rules N7, G3).
func floorOfOpen(rule *privacy.RetentionRule, c *caseAt) bool {
	return rule.Statutory && rule.Trigger == privacy.TriggerCaseClosed && c.open
}

// lastChange is the later of e's creation and its last change.
func lastChange(e *Entry) time.Time {
	if e.Created.After(e.Updated) {
		return e.Created
	}
	return e.Updated
}

// ruleEnd returns the first day after the period of rule that runs from
// the day of its trigger: the period counted by [calendar.Add], from the
// end of that day's year when the rule says so (rules R9, N7: the fiscal
// seven years, AWR art. 52(4)).
func ruleEnd(rule *privacy.RetentionRule, start calendar.Date) calendar.Date {
	if rule.FromYearEnd {
		start = start.YearEnd()
	}
	return calendar.Add(start, rule.Period).AddDays(1)
}

// start returns the day a period of trigger t starts for record e, whether
// the trigger has happened, and whether the day is the same for every
// record of the case.
func (r *Engine) start(at *dossierAt, c *caseAt, e *Entry, t privacy.Trigger) (day calendar.Date, happened, caseLevel bool) {
	switch t {
	case privacy.TriggerCaseClosed:
		return c.closed, c.closedOK, true
	case privacy.TriggerEmploymentEnded:
		// Rules O8, N7: for a case no employment of the commissioning
		// party's is about, the closing of the case or a later
		// rectification, as privacy.EmploymentEnd says (which reads no
		// subject then); per record, so not cached per case.
		if c.c.Contract.WithoutEmployment() {
			day, happened = r.day(privacy.EmploymentEnd(privacy.Subject{}, *c.c, e.Updated), at.now)
			return day, happened, false
		}
		if e.Medical && at.ended {
			// Rule N7: the law keeps the medical file at least 20 years
			// from its last change (BW 7:454(3), 7:464(1)), practice 20
			// years after the employment ends: a record changed after
			// the employment ended runs from its change.
			if u, ok := r.day(e.Updated, at.now); ok && u.After(at.employment) {
				return u, true, false
			}
			return at.employment, true, false
		}
		return at.employment, at.ended, true
	case privacy.TriggerRecordCreated:
		day, happened = r.day(e.Created, at.now)
	case privacy.TriggerRecordUpdated:
		day, happened = r.day(e.Updated, at.now)
	}
	return day, happened, false
}

// add folds the end of rule i into t; a zero end means the rule's trigger
// has not happened. Ties go to the rule that comes first.
func (t *ends) add(i int, end calendar.Date, statutory bool) {
	switch {
	case end.IsZero():
		t.addPending(i, statutory)
	case statutory:
		// Rule N7: statutory periods are minimums; the longest one holds
		// (G3).
		if t.floorIdx < 0 || end.After(t.floor) {
			t.floor, t.floorIdx = end, i
		}
	default:
		// Engine R9, O12: other periods are maximums; the earliest holds.
		if t.maxIdx < 0 || end.Before(t.maxDue) {
			t.maxDue, t.maxIdx = end, i
		}
	}
}

// addPending notes rule i, whose trigger has not happened, if it is the
// first such rule of its kind.
func (t *ends) addPending(i int, statutory bool) {
	switch {
	case statutory && t.pendFloor < 0:
		t.pendFloor = i
	case !statutory && t.pendMax < 0:
		t.pendMax = i
	}
}

// set makes rule i, with its date due, the reason for s.
func (r *Engine) set(s *Schedule, due calendar.Date, why Reason, i int) {
	s.Due, s.Reason, s.Rule, s.Index = due, why, r.rules[i].Rule, i
}

// waitFor keeps s without a date until the trigger of rule i happens. It
// is step 2 for a statutory rule: Rule G3: a statutory duty whose period
// has not even started keeps the record, erasure request or not.
func (r *Engine) waitFor(s *Schedule, i int) {
	s.Reason, s.Rule, s.Index = ReasonPending, r.rules[i].Rule, i
}

// maximum is step 3. Engine R9, O12: the record is kept no longer than
// every applicable maximum allows, so the earliest end is the date; while
// no maximum has a date, the record waits for the first one's trigger.
// Rule O12: when only statutory rules apply, the longest one's end is the
// date: after it nothing justifies keeping the record.
func (r *Engine) maximum(s *Schedule, t *ends) {
	switch {
	case t.maxIdx >= 0:
		r.set(s, t.maxDue, ReasonMaximum, t.maxIdx)
	case t.pendMax >= 0:
		r.waitFor(s, t.pendMax)
	default: // statutory rules only, all started
		r.set(s, t.floor, ReasonStatute, t.floorIdx)
	}
}

// erasure is step 4, for the granted erasure request at index er of
// at.erasures, if er is not -1. Engine R9, O13: the request brings the date
// to the day it was granted, unless a policy maximum ends sooner. Rule N8:
// a medical file is destroyed on the patient's request within 3 months of
// it; the deadline stands even when a maximum ends sooner.
func (r *Engine) erasure(s *Schedule, t *ends, at *dossierAt, er int) {
	if er < 0 {
		return
	}
	n8 := s.Medical && r.medErasure != nil
	if n8 {
		s.Deadline = at.erDead[er]
	}
	if t.maxIdx >= 0 && t.maxDue.Before(at.erDay[er]) {
		return
	}
	s.Due, s.Reason, s.Rule, s.Index = at.erDay[er], ReasonErasure, at.erasures[er].Rule, -1
	if n8 {
		s.Rule = r.medErasure.Rule
	}
}

// minimum is step 5. Engine N7, G3: the longest statutory period whose
// trigger has happened is the floor; when the maximum or the erasure
// request would end sooner, the statutory minimum outlasts it and its
// end is the date (no N8 deadline then: the law keeps the record).
func (r *Engine) minimum(s *Schedule, t *ends) {
	if t.floorIdx < 0 {
		return
	}
	s.Floor = t.floor
	if !s.Due.IsZero() && t.floor.After(s.Due) {
		r.set(s, t.floor, ReasonStatute, t.floorIdx)
		s.Deadline = calendar.Date{}
	}
}

// statusOn returns the status, on the day today, of a record first due on
// the day due (zero: no date).
func statusOn(due, today calendar.Date) Status {
	switch {
	case due.IsZero():
		return StatusKept
	case due.After(today):
		return StatusScheduled
	}
	return StatusDue
}

// erasureFor returns the first granted erasure request, earliest decided
// first, that covers record id of case c, and its index in at.erasures;
// "" and -1 when none does.
func (at *dossierAt) erasureFor(c privacy.CaseID, id privacy.RecordID) (ErasureID, int) {
	for k, x := range at.erasures {
		if x.Covers(c, id) {
			return x.ID, k
		}
	}
	return "", -1
}

// hold is step 6. Rule G3: a standing legal hold keeps the record, whatever
// its date; Due stays the day it would be due without the hold. A
// restriction of processing keeps it likewise (GDPR art. 18(2): only
// storage), under its own rule.
func (at *dossierAt) hold(s *Schedule) {
	for _, h := range at.holds {
		if h.Covers(s.Case, s.Record) {
			s.Status, s.Reason, s.Rule, s.Hold, s.Ground = StatusKept, ReasonHold, h.Ground.Rule(), h.ID, h.Ground
			return
		}
	}
}

// cutoff returns the instant before which a trigger of kind t must have
// happened for a record to be due at today: generous by the slack of
// years of 365 days and months of 28, so that a query with it misses
// nothing. Zero when no rule uses the trigger.
func (r *Engine) cutoff(t int, today calendar.Date) time.Time {
	if !r.uses[t] {
		return time.Time{}
	}
	return today.AddDays(1 - minDays(r.shortest[t])).In(r.loc)
}

// Query returns the candidate query for a sweep at now: cut-offs for the
// triggers the policy uses, and every erasure request decided by now.
func (r *Engine) Query(now time.Time) Query {
	today := calendar.DateIn(now, r.loc)
	q := Query{
		ClosedBefore:          r.cutoff(0, today),
		EmploymentEndedBefore: r.cutoff(1, today),
		ErasedBefore:          now.Add(time.Microsecond),
	}
	// A period that runs from the end of the employment runs from the
	// closing of a case no employment is about (privacy.EmploymentEnd):
	// such a case's subject is a candidate by either cut-off.
	if q.EmploymentEndedBefore.After(q.ClosedBefore) {
		q.ClosedBefore = q.EmploymentEndedBefore
	}
	created, updated := r.cutoff(2, today), r.cutoff(3, today)
	// A record updated before a cut-off was created before it too.
	if updated.After(created) {
		created = updated
	}
	q.CreatedBefore = created
	return q
}
