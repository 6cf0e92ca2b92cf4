package retention

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/dossierwacht/dossierwacht/privacy"
	"github.com/dossierwacht/dossierwacht/privacy/calendar"
)

// Object is a stored object of a subject besides the records, the cases,
// the holds and the erasure requests of its [Dossier] — a consent grant, a
// subject request or a disclosure-log entry — as a sweep sees it: its
// kind, its ID and the facts its retention runs from, never its content.
// An [ObjectStore] lists them.
type Object struct {
	Kind    privacy.DataKind
	ID      string
	Subject privacy.SubjectID
	// Case is the case the object concerns, if one.
	Case privacy.CaseID
	// Ended is when the object ended, the day its period runs from (see
	// [privacy.DataKind]): a grant revoked or expired, a request closed
	// (or, never closed, its deadline passed: rights.Request.Ended), a
	// disclosure made. Zero while it lasts: a grant in force with no end.
	Ended time.Time
	// Records are the records a disclosure-log entry names: it is kept
	// while one of them is (G4).
	Records []privacy.RecordID
	// Categories are the categories a disclosure-log entry hands over
	// whole (items without a record ID): it names every record of its
	// case in them that existed when it was made, and is kept while one
	// of those is (G4).
	Categories []privacy.Category
	// RestsOn are the grants a disclosure rests on: a grant is kept while
	// a disclosure that rests on it is (GDPR art. 7(1)).
	RestsOn []string
}

// ObjectProof is the proof of the deletion of a stored object besides a
// record: which object of whom, when, by which rule and citation, for
// what reason and by whom. Like [Proof] it holds identifiers, dates and
// rule IDs only. Stores keep at most one proof per kind and ID: a proof
// present means the deletion is done.
type ObjectProof struct {
	Kind    privacy.DataKind  `json:"kind"`
	ID      string            `json:"id"`
	Subject privacy.SubjectID `json:"subject"`
	Case    privacy.CaseID    `json:"case,omitempty"`
	// Ended is the version of the object that was scheduled: the time it
	// ended ([Object.Ended]; a case's closing, a hold's lifting, an
	// erasure request's decision; the subject's end of employment). A
	// store refuses the deletion with ErrConflict when it changed since.
	Ended time.Time `json:"ended,omitzero"`
	// Due is the day the object became due; Deleted when it was deleted.
	Due     calendar.Date `json:"due"`
	Deleted time.Time     `json:"deleted"`
	// Rule made it due, Reason says how, Citation is its source.
	Rule     privacy.RuleID      `json:"rule"`
	Reason   Reason              `json:"reason"`
	Citation string              `json:"citation,omitempty"`
	Policy   string              `json:"policy"`
	By       privacy.PrincipalID `json:"by"`
}

// String describes the deletion in one line: IDs, dates and rules only.
func (p ObjectProof) String() string {
	return fmt.Sprintf("deleted %s %s of subject %s on %s, rule %s (%s)", p.Kind, p.ID, p.Subject,
		calendar.DateIn(p.Deleted, calendar.Amsterdam()), p.Rule, p.Reason)
}

// ObjectStore is what a store implements so that sweeps remove the stored
// data besides records, each kind by its own rule (rules R9, O12, N7, G3,
// G4; [privacy.DataKind]). A sweep of a store that does not implement it
// removes records only and reports the other kinds as not swept.
//
// Contract, checked by the kit in package retentiontest:
//   - Objects returns the subject's grants, requests and disclosure-log
//     entries, none is not an error.
//   - EraseObject deletes the object p names (p.Kind, p.ID; for a
//     subject the ID is the subject's, for a case the case's), stores the
//     proof p and appends the audit event e, all or nothing, under one
//     lock or transaction that also checks:
//   - a proof for p.Kind and p.ID exists: ErrExists, nothing changes;
//   - the object does not exist, or is not p.Subject's: ErrNotFound;
//   - its end is not p.Ended (it changed since it was scheduled), a case
//     still has records in either file, a subject still has anything
//     else (a case, a hold, an erasure request, a grant, a request, a
//     disclosure-log entry), or a hold still stands: ErrConflict;
//   - a standing hold keeps it — a hold of the subject's whole data
//     keeps every object of the subject, a hold of a case that case and
//     the objects of that case, and a hold of records their case: an
//     error matching [privacy.ErrForbidden] that names rule G3.
//   - ObjectProofs returns the proofs of a subject's deleted objects in
//     the order they were stored; they outlive the subject.
type ObjectStore interface {
	Objects(ctx context.Context, subject privacy.SubjectID) ([]Object, error)
	EraseObject(ctx context.Context, p ObjectProof, e privacy.Event) error
	ObjectProofs(ctx context.Context, subject privacy.SubjectID) ([]ObjectProof, error)
}

// OrphanStore is an [ObjectStore] that also finds the objects no subject
// row leads to: the requests of someone the service never registered
// (staff file them; the desk allows it) and the requests left after the
// subject's deletion (privacy.Store.DeleteSubject keeps them, since an open
// one — the erasure request itself — is still to be answered). No
// candidate dossier names them, so without it no sweep reaches them and
// they are kept for ever (rules R9, O12). A sweep of a store that
// implements it schedules their objects by their own rules, as it does a
// subject's, and removes those due; there is no subject to remove.
//
// Orphans returns, ordered by ID, at most limit IDs that sort after after
// of subjects that do not exist but have objects ([ObjectStore.Objects]
// returns them). Besides grants, requests and disclosure-log entries,
// those objects include the legal holds and erasure requests of a subject
// whose row is gone while they stayed (a store written by an older
// version whose DeleteSubject kept them): Objects returns them too, for
// such a subject only — no dossier holds them — as kind
// [privacy.DataHold] ended at its lifting (zero while it stands) and
// [privacy.DataErasure] ended at its decision, with its case; a sweep
// removes each by its own rule (rules R9, O12).
type OrphanStore interface {
	ObjectStore
	Orphans(ctx context.Context, after privacy.SubjectID, limit int) ([]privacy.SubjectID, error)
}

// ObjectPageStore is an [ObjectStore] that reads the objects of a page of
// subjects at once, as [BatchStore] erases a batch of records: a sweep
// lists the objects of every candidate subject and of every subject
// without a row (rules R9, O12), and a database would otherwise pay a few
// round trips per subject — tens of thousands for a large service. A
// sweep ([Keeper.Sweep], [Keeper.PlanSweep]) of a store that implements
// it makes one ObjectsOf call per page of subjects, the sweep's read
// ahead of its deletions; of a store that does not, one Objects call per
// subject. A store that wraps another passes it on, and falls back to
// Objects per subject when the store beneath does not implement it.
//
// Contract, checked by the kit in package retentiontest:
//   - ObjectsOf returns, for each of subjects, exactly what Objects would
//     return for it at the same moment: the same objects, in the same
//     order. A subject with none — unknown, or with no objects — may be
//     absent from the map or map to an empty list.
//   - A store whose Objects refuses a malformed subject ID with an error
//     matching [privacy.ErrInvalid] refuses the whole call so, and reads
//     nothing.
//   - Subjects may repeat; an empty list of subjects is no error.
type ObjectPageStore interface {
	ObjectStore
	// ObjectsOf returns, for each of subjects, exactly what Objects would
	// return for it (same objects, same order); a subject with none may be
	// absent from the map.
	ObjectsOf(ctx context.Context, subjects []privacy.SubjectID) (map[privacy.SubjectID][]Object, error)
}

// objectReader reads the objects of the subjects a sweep examines: a
// page at a time from an [ObjectPageStore], else one subject at a time.
type objectReader struct {
	os   ObjectStore
	page ObjectPageStore // nil when os reads one subject at a time
}

func newObjectReader(os ObjectStore) objectReader {
	ps, _ := os.(ObjectPageStore)
	return objectReader{os: os, page: ps}
}

// load reads the objects of the subjects ids in one call when the store
// reads pages; otherwise it returns nil and [objectReader.of] asks the
// store per subject.
func (o objectReader) load(ctx context.Context, ids []privacy.SubjectID) (map[privacy.SubjectID][]Object, error) {
	if o.page == nil || len(ids) == 0 {
		return nil, nil
	}
	return o.page.ObjectsOf(ctx, ids)
}

// of returns the objects of subject: from loaded, what load returned for
// the page the subject is on, when the store reads pages.
func (o objectReader) of(ctx context.Context, loaded map[privacy.SubjectID][]Object, subject privacy.SubjectID) ([]Object, error) {
	if o.page != nil {
		return loaded[subject], nil
	}
	return o.os.Objects(ctx, subject)
}

// AsObjectStore returns store as an [ObjectStore] if it is one that
// removes stored data besides records. A store that wraps another (package
// seal's, say) implements ObjectStore by passing it on, and says with a
// method SweepsObjects() bool whether the store beneath does; AsObjectStore
// asks it, so that a sweep over a wrapper of a store without objects
// reports them as not swept rather than failing.
func AsObjectStore(store any) (ObjectStore, bool) {
	os, ok := store.(ObjectStore)
	if !ok {
		return nil, false
	}
	if w, ok := store.(interface{ SweepsObjects() bool }); ok && !w.SweepsObjects() {
		return nil, false
	}
	return os, true
}

// ObjectBatchStore is an [ObjectStore] that erases a batch of objects in
// one atomic step, as [BatchStore] does records: EraseObjects checks and
// erases each item in order, as EraseObject would, so that an item sees
// the deletions of the items before it (a case, then its subject), and
// returns one result per item — nil when erased, else the refusal
// EraseObject would give (ErrExists, ErrNotFound, ErrConflict, or
// ErrForbidden naming rule G3) — with the proofs and audit events of the
// erased items, all in one transaction. Any other error fails the whole
// batch and changes nothing. A sweep sends its due objects in batches of
// [Options].BatchSize: a database pays one transaction per batch.
type ObjectBatchStore interface {
	ObjectStore
	EraseObjects(ctx context.Context, proofs []ObjectProof, events []privacy.Event) ([]error, error)
}

// AuditPruner is what a store implements so that sweeps remove audit
// events after their retention (rule N9: at least 5 years). PruneAudit
// deletes the events whose time is before `before` and appends the audit
// event e of the pruning, together — only when it deletes any, so that a
// sweep with nothing past its period leaves the trail as it was — and
// returns how many it deleted; how
// it keeps the trail verifiable after a cut is the store's. A sweep of a
// store that does not implement it reports audit events as not swept.
type AuditPruner interface {
	PruneAudit(ctx context.Context, before time.Time, e privacy.Event) (int, error)
}

// ObjectSchedule is the retention decision for one stored object besides
// a record: when it is due and the rule that sets the date, or that it is
// kept and why (the rule of what it outlives, when that is what keeps it).
type ObjectSchedule struct {
	Kind    privacy.DataKind
	ID      string
	Subject privacy.SubjectID
	Case    privacy.CaseID
	Ended   time.Time

	Status   Status
	Reason   Reason
	Rule     privacy.RuleID
	Citation string
	Due      calendar.Date
	// Hold is the legal hold that keeps the object, if one does.
	Hold HoldID
}

// IsDue reports whether a sweep is to delete the object now.
func (s *ObjectSchedule) IsDue() bool { return s.Status == StatusDue }

// String describes the schedule in one line: IDs, dates and rules only.
func (s ObjectSchedule) String() string {
	what := fmt.Sprintf("%s %s", s.Kind, s.ID)
	if s.Status == StatusKept {
		return fmt.Sprintf("%s: kept (%s), rule %s", what, s.Reason, s.Rule)
	}
	return fmt.Sprintf("%s: %s from %s (%s), rule %s", what, s.Status, s.Due, s.Reason, s.Rule)
}

// verdict is a retention decision folded over what an object outlives:
// kept wins over a date, the later date over the earlier.
type verdict struct {
	kept     bool
	due      calendar.Date
	reason   Reason
	rule     privacy.RuleID
	citation string
	hold     HoldID
}

func (v *verdict) fold(w verdict) {
	switch {
	case v.kept:
	case w.kept, w.due.After(v.due):
		*v = w
	}
}

// own is the verdict of an object's own rule: its period from the day it
// ended, or kept (pending) while it has not.
func (r *Engine) own(k privacy.DataKind, ended time.Time, now time.Time) verdict {
	rule := r.data[k]
	v := verdict{rule: rule.Rule, citation: rule.Citation, reason: ReasonMaximum}
	if rule.Statutory {
		v.reason = ReasonStatute
	}
	if ended.IsZero() || ended.After(now) {
		v.kept, v.reason = true, ReasonPending
		return v
	}
	v.due = calendar.Add(calendar.DateIn(ended, r.loc), rule.Period).AddDays(1)
	return v
}

// recordVerdict is what a record's schedule says for the objects that
// outlive it.
func (r *Engine) recordVerdict(s *Schedule) verdict {
	v := verdict{kept: s.Status == StatusKept, due: s.Due, reason: s.Reason, rule: s.Rule, citation: r.Citation(s), hold: s.Hold}
	switch {
	case s.Reason == ReasonHold:
		v.citation = string(s.Ground)
	case s.Reason != ReasonErasure:
	case r.medErasure != nil && s.Rule == r.medErasure.Rule:
		v.citation = r.medErasure.Citation
	default:
		// Rules R9, O13: the subject's right to erasure.
		v.citation = "AVG art. 17(1)"
	}
	return v
}

// ScheduleObjects appends to dst the schedules, at now, of the stored
// objects of d besides its records: its disclosure-log entries, grants and
// requests (objs, from [ObjectStore.Objects]), erasure requests, holds,
// cases and, last, the subject, in the order a sweep removes them
// ([privacy.DataKinds]). records are d's record schedules at now
// ([Engine.Schedule]). It is a pure function of its arguments.
//
// Each object is due when its own rule's period has run from the day it
// ended (see [privacy.DataKind]) and what it outlives is due or gone: a
// disclosure-log entry the records it names (G4) — for a category handed
// over whole ([Object].Categories), the case's records of that category
// made by the disclosure —, a grant the disclosures
// that rest on it, an erasure request the records in its scope, a case
// its records, the subject everything else of it. A standing legal hold
// keeps what it covers (G3): a hold of the subject's whole data every
// object of the subject; a hold of a case that case and its objects. The
// subject's own period runs from the later of the end of its employment
// (when recorded) and the closing of its last case, or from its creation
// when it has neither; while a case is open it has not started. An
// employment that has not ended does not keep the subject: its cases do,
// and their periods (N7 for the absence file) run from their own
// triggers.
func (r *Engine) ScheduleObjects(dst []ObjectSchedule, d *Dossier, objs []Object, records []Schedule, now time.Time) []ObjectSchedule {
	today := calendar.DateIn(now, r.loc)
	byRecord := make(map[privacy.RecordID]*Schedule, len(records))
	for i := range records {
		byRecord[records[i].Record] = &records[i]
	}
	var standing []*Hold
	for i := range d.Holds {
		if d.Holds[i].ActiveAt(now) {
			standing = append(standing, &d.Holds[i])
		}
	}
	// held returns the verdict of the first standing hold that keeps an
	// object of case c ("" for none): a hold of the subject's whole data,
	// or of case c. Rule G3.
	held := func(c privacy.CaseID) (verdict, bool) {
		for _, h := range standing {
			if h.HoldsSubject() || (c != "" && h.Case == c) {
				return holdVerdict(h), true
			}
		}
		return verdict{}, false
	}
	var subject verdict
	var lastClosed time.Time
	anyOpen := false
	emit := func(k privacy.DataKind, id string, c privacy.CaseID, ended time.Time, v verdict) {
		if hv, ok := held(c); ok {
			v = hv
		}
		s := ObjectSchedule{Kind: k, ID: id, Subject: d.Subject.ID, Case: c, Ended: ended, Reason: v.reason, Rule: v.rule,
			Citation: v.citation, Hold: v.hold, Status: StatusKept}
		if !v.kept {
			s.Due, s.Status = v.due, statusOn(v.due, today)
		}
		dst = append(dst, s)
		subject.fold(v)
	}
	for _, c := range d.Cases {
		if end := c.Ended(d.Subject.EmploymentEnded); end.IsZero() || end.After(now) {
			anyOpen = true
		} else if end.After(lastClosed) {
			lastClosed = end
		}
	}
	// Disclosure-log entries outlive the records they name (G4).
	disclosures := map[string]verdict{}
	for _, kind := range []privacy.DataKind{privacy.DataDisclosure, privacy.DataGrant, privacy.DataRequest} {
		for i := range objs {
			o := &objs[i]
			if o.Kind != kind {
				continue
			}
			ended := o.Ended
			if kind == privacy.DataGrant {
				// A grant with no end lasts with its subject's data, and
				// so does one that ends after it: a grant's end far off
				// keeps neither it nor its subject past the subject's
				// own period (rules O12, R9; issue 14 §1).
				if start := subjectStart(d, lastClosed, anyOpen); ended.IsZero() || !start.IsZero() && start.Before(ended) {
					ended = start
				}
			}
			v := r.own(kind, ended, now)
			switch kind {
			case privacy.DataDisclosure:
				for _, id := range o.Records {
					if s, ok := byRecord[id]; ok {
						v.fold(r.recordVerdict(s))
					}
				}
				// Rule G4: a disclosure of a whole category named every
				// record of its case in it made by then; its recipient is
				// told of each one's erasure, so the entry outlives them.
				for _, cf := range d.Cases {
					if len(o.Categories) == 0 || cf.Case.ID != o.Case {
						continue
					}
					for _, e := range cf.Records {
						if s, ok := byRecord[e.ID]; ok && slices.Contains(o.Categories, e.Category) && !e.Created.After(o.Ended) {
							v.fold(r.recordVerdict(s))
						}
					}
				}
				for _, g := range o.RestsOn {
					w, ok := disclosures[g]
					if !ok {
						w = v
					} else {
						w.fold(v)
					}
					disclosures[g] = w
				}
			case privacy.DataGrant:
				if w, ok := disclosures[o.ID]; ok {
					v.fold(w)
				}
			}
			emit(kind, o.ID, o.Case, o.Ended, v)
		}
	}
	for i := range d.Erasures {
		e := &d.Erasures[i]
		v := r.own(privacy.DataErasure, e.Decided, now)
		for j := range records {
			if s := &records[j]; e.Covers(s.Case, s.Record) {
				v.fold(r.recordVerdict(s))
			}
		}
		emit(privacy.DataErasure, string(e.ID), e.Case, e.Decided, v)
	}
	for i := range d.Holds {
		h := &d.Holds[i]
		v := r.own(privacy.DataHold, h.Lifted, now)
		if h.ActiveAt(now) {
			v = holdVerdict(h)
		}
		emit(privacy.DataHold, string(h.ID), h.Case, h.Lifted, v)
	}
	k := 0
	for _, cf := range d.Cases {
		ended := cf.Ended(d.Subject.EmploymentEnded)
		v := r.own(privacy.DataCase, ended, now)
		for range cf.Records {
			v.fold(r.recordVerdict(&records[k]))
			k++
		}
		// Rule G3: a hold of any of the case's records keeps the case.
		for _, h := range standing {
			if h.Case == cf.Case.ID || (h.Case == "" && slices.ContainsFunc(cf.Records, func(e Entry) bool { return h.Covers(cf.Case.ID, e.ID) })) {
				v.fold(holdVerdict(h))
			}
		}
		emit(privacy.DataCase, string(cf.Case.ID), cf.Case.ID, ended, v)
	}
	// The subject outlives everything else of it.
	v := r.own(privacy.DataSubject, subjectStart(d, lastClosed, anyOpen), now)
	// Rule G3: any standing hold keeps its subject; a hold of the whole
	// subject names itself.
	if hv, ok := held(""); ok {
		v = hv
	} else if len(standing) > 0 {
		v = holdVerdict(standing[0])
	}
	v.fold(subject)
	s := ObjectSchedule{Kind: privacy.DataSubject, ID: string(d.Subject.ID), Subject: d.Subject.ID, Ended: d.Subject.EmploymentEnded,
		Reason: v.reason, Rule: v.rule, Citation: v.citation, Hold: v.hold, Status: StatusKept}
	if !v.kept {
		s.Due, s.Status = v.due, statusOn(v.due, today)
	}
	return append(dst, s)
}

// CaseEnded is when case c ends for retention, the day the periods that
// run from its closing ([privacy.TriggerCaseClosed], [privacy.DataCase])
// start: its closing; and while it is open, its last activity (active:
// the last time a record of it was written or rectified, its opening
// before that; see [CaseFile.LastActivity]), for an absence case the
// employer commissioned the end of its subject's employment
// (employmentEnded) if that came first.
//
// An open case is thus kept for its rule's period after the last thing
// recorded in it, and each new record moves that on (issue 14 §1: nothing
// is kept with no date). A case on which nothing has been recorded for
// that long is no longer being worked on, whatever its status says: the
// regulations keep the data "until 2 years after the trajectory is
// closed" (R9, O12) and the GDPR no longer than its purpose needs (art.
// 5(1)(e)); reading an abandoned case as closed at its last activity is
// this library's practice, which the regulations do not spell out. A
// case that must stay longer gets a record, a closing, or a legal hold
// (G3). Rule N7: the absence administration is kept 2 years after the
// employment ends, and the employer's absence guidance, with the
// service's mandate for the case, ends with the employment.
//
// Stores check an erasure against the same day (the SQL adapters restate
// it as SQL and keep the activity in the case's row).
func CaseEnded(c privacy.Case, employmentEnded, active time.Time) time.Time {
	if !c.IsOpen() {
		return c.Closed
	}
	if active.Before(c.Opened) {
		active = c.Opened
	}
	if c.Kind == privacy.CaseAbsence && !c.Contract.WithoutEmployment() && !employmentEnded.IsZero() && employmentEnded.Before(active) {
		return employmentEnded
	}
	return active
}

// holdVerdict is rule G3: the standing hold h keeps what it covers.
func holdVerdict(h *Hold) verdict {
	return verdict{kept: true, reason: ReasonHold, rule: h.Ground.Rule(), citation: string(h.Ground), hold: h.ID}
}

// subjectStart is the day the subject's own period runs from: the later
// of the end of its employment and the closing of its last case; zero
// while a case is open; its creation when it has neither.
func subjectStart(d *Dossier, lastClosed time.Time, anyOpen bool) time.Time {
	if anyOpen {
		return time.Time{}
	}
	start := d.Subject.EmploymentEnded
	if lastClosed.After(start) {
		start = lastClosed
	}
	if start.IsZero() {
		start = d.Subject.Created
	}
	return start
}

// AuditBefore returns the instant before which audit events are due at
// now: an event is due from the day after the policy's audit retention
// (N9: at least 5 years) has run from its day in Europe/Amsterdam.
func (r *Engine) AuditBefore(now time.Time) time.Time {
	today := calendar.DateIn(now, r.loc)
	due := func(d calendar.Date) bool { return !calendar.Add(d, r.audit.Period).AddDays(1).After(today) }
	// The last day whose events are due: start below it and step up.
	d := today.AddDays(-(minDays(r.audit.Period) + 400))
	for due(d.AddDays(1)) {
		d = d.AddDays(1)
	}
	return d.AddDays(1).In(r.loc)
}

// ObjectSchedules returns the schedules at now of the subject's stored
// objects besides records (see [Engine.ScheduleObjects]): what a sweep
// would remove, and what is kept and by which rule — a statute with its
// citation, a hold, a period still running. Grants, requests and
// disclosure-log entries are included when the store is an
// [ObjectStore].
func (r *Keeper) ObjectSchedules(ctx context.Context, subject privacy.SubjectID, now time.Time) ([]ObjectSchedule, error) {
	const op = "retention: object schedules"
	if !privacy.ValidID(string(subject)) {
		return nil, &privacy.Error{Op: op, Kind: privacy.ErrInvalid, Path: "subject", Msg: "malformed subject ID"}
	}
	if err := checkNow(op, now); err != nil {
		return nil, err
	}
	d, err := r.store.Dossier(ctx, subject)
	if err != nil {
		return nil, err
	}
	var objs []Object
	if os, ok := AsObjectStore(r.store); ok {
		if objs, err = os.Objects(ctx, subject); err != nil {
			return nil, err
		}
	}
	return r.rules.ScheduleObjects(nil, &d, objs, r.rules.Schedule(nil, &d, now), now), nil
}

// ObjectProofs returns the proofs of deletion of the subject's stored
// objects besides records, oldest first; none when the store is not an
// [ObjectStore].
func (r *Keeper) ObjectProofs(ctx context.Context, subject privacy.SubjectID) ([]ObjectProof, error) {
	if !privacy.ValidID(string(subject)) {
		return nil, &privacy.Error{Op: "retention: object proofs", Kind: privacy.ErrInvalid, Path: "subject", Msg: "malformed subject ID"}
	}
	os, ok := AsObjectStore(r.store)
	if !ok {
		return nil, nil
	}
	return os.ObjectProofs(ctx, subject)
}
