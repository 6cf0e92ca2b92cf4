package rights

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"iter"
	"maps"
	"slices"
	"time"

	"github.com/dossierwacht/dossierwacht/access"
	"github.com/dossierwacht/dossierwacht/export"
	"github.com/dossierwacht/dossierwacht/privacy"
	"github.com/dossierwacht/dossierwacht/privacy/calendar"
	"github.com/dossierwacht/dossierwacht/retention"
)

// Plan is the decision on a rectification or erasure request: which
// records change or go, which stay and why (rule G3), which recipients
// must be told (rule G4), and by when medical records are destroyed (rule
// N8). [Desk.Plan] makes it; [Desk.Apply] carries it out; [Desk.Answer]
// records its outcome.
type Plan struct {
	Request RequestID
	Kind    Kind
	Subject privacy.SubjectID
	// Policy is the policy version that decided (O16).
	Policy string
	// Changes are the records that change (rectification) or go
	// (erasure).
	Changes []Change
	// Keeps are the records an erasure leaves, with the ground (G3).
	Keeps []Keep
	// Notify are the recipients to tell of the changes (G4).
	Notify []Notify
	// MedicalDue is the last day to destroy the medical records that go
	// (N8); zero when none go.
	MedicalDue calendar.Date
	// RetentionKnown reports that the record's retention came from the
	// desk's retention facts ([Options].Retention); without them the
	// policy's statutory periods decided and legal holds were not known.
	RetentionKnown bool
	// DisclosuresKnown reports that the disclosure log was read; without
	// it Notify is empty for want of knowledge, not for want of
	// recipients.
	DisclosuresKnown bool
}

// Change is one record that a plan changes or erases.
type Change struct {
	Record   privacy.RecordID
	Case     privacy.CaseID
	Category privacy.Category
	Medical  bool
	// Erase reports an erasure; otherwise Fields is the record's content
	// after rectification.
	Erase  bool
	Fields map[privacy.Field]string
	Rule   privacy.RuleID
}

// Keep is one record that an erasure leaves, and why.
type Keep struct {
	Record   privacy.RecordID `json:"record"`
	Case     privacy.CaseID   `json:"case"`
	Category privacy.Category `json:"category"`
	Ground   Ground           `json:"ground"`
	// Rule is the rule that keeps it (G3) and Retention the rule of the
	// period (R9, N7).
	Rule      privacy.RuleID `json:"rule"`
	Retention privacy.RuleID `json:"retention,omitempty"`
	// Until is the last day it is kept; zero while its period has not
	// started, or under a legal hold.
	Until    calendar.Date `json:"until,omitzero"`
	Citation string        `json:"citation,omitempty"`
	Reason   string        `json:"reason,omitempty"`
}

// Notify is a recipient that must be told of a rectification or erasure
// (rule G4, GDPR art. 19): it received records that changed or went.
type Notify struct {
	Recipient     privacy.PartyID
	RecipientKind privacy.PartyKind
	// Disclosures are the log entries through which it received them.
	Disclosures []string
	// Records are the changed records it received.
	Records []privacy.RecordID
	Rule    privacy.RuleID
}

// Corrections are the new values of a rectification, per record and field.
// An empty value removes the field.
type Corrections map[privacy.RecordID]map[privacy.Field]string

// Plan decides a rectification or erasure request at act.At, read as act:
// the medical records it looks at are read through the case file, which
// audits the read (rules G7, N9).
//
// A rectification applies corrections to the records they name, which must
// be the subject's, in the request's scope, and valid for their category
// afterwards (rule O13). An erasure takes every record in its scope (all
// the subject's records when the request names none) and keeps those that
// a legal hold or a statutory retention period keeps, with the ground and
// the rule (rule G3), from the retention facts ([Options].Retention) — or,
// without them, from the policy's statutory periods. Medical records that go are due within the
// policy's medical erasure period from the request's receipt (rule N8).
// For both, the disclosure log gives the recipients to tell (rule G4).
//
// Plan changes nothing. It fails with [privacy.ErrInvalid] for a request of
// another kind or bad corrections, [privacy.ErrConflict] for a closed
// request, [privacy.ErrNotFound] for a record that is not the subject's.
func (d *Desk) Plan(ctx context.Context, act privacy.Act, id RequestID, corrections Corrections) (Plan, error) {
	const o = "plan request"
	if err := act.Validate(); err != nil {
		return Plan{}, err
	}
	if err := d.gate(ctx, o, act, deciders, "", objectOf(id), privacy.EventRead); err != nil {
		return Plan{}, err
	}
	now := act.At
	if err := checkID(o, "id", string(id)); err != nil {
		return Plan{}, err
	}
	// Rules R7, O4: only a request of a subject the decider is assigned to.
	r, err := d.request(ctx, o, &act, id, privacy.EventRead)
	if err != nil {
		return Plan{}, err
	}
	if r.Kind != KindRectification && r.Kind != KindErasure {
		return Plan{}, invalid(o, "kind", "only a rectification or erasure is planned")
	}
	if r.Status.Final() {
		return Plan{}, &privacy.Error{Op: op + o, Kind: privacy.ErrConflict, Msg: "the request is closed"}
	}
	if err := checkTime(o, "act.at", now); err != nil {
		return Plan{}, err
	}
	ctx = export.OnePass(ctx) // the subject's holds read once for the whole plan
	p := Plan{Request: r.ID, Kind: r.Kind, Subject: r.Subject, Policy: d.policy.Version,
		RetentionKnown: d.retention != nil, DisclosuresKnown: d.disclosures != nil}
	if r.Kind == KindRectification {
		err = d.planRectification(ctx, act, r, corrections, &p)
	} else {
		if corrections != nil {
			return Plan{}, invalid(o, "corrections", "an erasure has no corrections")
		}
		err = d.planErasure(ctx, act, r, &p)
	}
	if err != nil {
		return Plan{}, err
	}
	if err := d.planNotify(ctx, &p); err != nil {
		return Plan{}, err
	}
	return p, nil
}

func (d *Desk) planRectification(ctx context.Context, act privacy.Act, r Request, corrections Corrections, p *Plan) error {
	const o = "plan request"
	if len(corrections) == 0 {
		return invalid(o, "corrections", "a rectification needs corrections")
	}
	if len(corrections) > maxScope {
		return invalid(o, "corrections", "more than 10000 records")
	}
	ids := slices.Sorted(maps.Keys(corrections))
	for _, id := range ids {
		if err := checkID(o, "corrections", string(id)); err != nil {
			return err
		}
		if len(r.Records) > 0 && !slices.Contains(r.Records, id) {
			return invalid(o, "corrections", "a record outside the request's scope")
		}
		rec, err := d.subjectRecord(ctx, act, r.Subject, id)
		if err != nil {
			return err
		}
		if len(corrections[id]) == 0 {
			return invalid(o, "corrections", "no fields to correct")
		}
		for f, v := range corrections[id] {
			if v == "" {
				delete(rec.Fields, f)
			} else {
				rec.Fields[f] = v
			}
		}
		// Rule O13: the corrected record must still be a valid record.
		if err := rec.Validate(); err != nil {
			var e *privacy.Error
			if errors.As(err, &e) {
				c := *e
				c.Op, c.Rule = op+o, privacy.O13
				return &c
			}
			return err
		}
		// Rules O13, O4, R7, O6, N4 …: only who may write the record
		// corrects it — the access engine decides every corrected field
		// for the act's principal on the record's case.
		if err := d.mayWrite(ctx, o, act, &rec, slices.Sorted(maps.Keys(corrections[id]))); err != nil {
			return err
		}
		p.Changes = append(p.Changes, Change{Record: rec.ID, Case: rec.Case, Category: rec.Category,
			Medical: rec.Category.Medical(), Fields: rec.Fields, Rule: privacy.O13})
	}
	return nil
}

// subjectRecord finds a record of the subject in either file, the medical
// one read as act (the case file audits that read). A record of someone
// else is not found: it is not the subject's, nor act's to learn of (rules
// O10, R7). It answers exactly as a record that does not exist — the one
// error of errNoRecord, after the same lookups, so with the same audit: an ID
// that is not the subject's in the case file is looked for in the medical
// file too, whether or not the case file holds it for someone else, and
// the medical file's read of it is audited as a read of a missing one is.
func (d *Desk) subjectRecord(ctx context.Context, act privacy.Act, subject privacy.SubjectID, id privacy.RecordID) (privacy.Record, error) {
	rec, err := d.dossiers.Record(ctx, id)
	switch {
	case err == nil && rec.Subject == subject:
	case err == nil || errors.Is(err, privacy.ErrNotFound):
		rec, err = d.dossiers.MedicalRecord(ctx, act, id)
		if errors.Is(err, privacy.ErrNotFound) || (err == nil && rec.Subject != subject) {
			return privacy.Record{}, errNoRecord()
		}
		if err != nil {
			return privacy.Record{}, err
		}
	default:
		return privacy.Record{}, err
	}
	if rec.Fields == nil {
		rec.Fields = map[privacy.Field]string{}
	}
	return rec, nil
}

// errNoRecord is the one error of a plan for a record that does not exist
// and for one that is not the subject's: the same kind and text,
// whichever it is (rule O10). It names no adapter.
func errNoRecord() error {
	return &privacy.Error{Op: op + "plan request", Kind: privacy.ErrNotFound, Path: "records",
		Msg: "no such record of the subject"}
}

func (d *Desk) planErasure(ctx context.Context, act privacy.Act, r Request, p *Plan) error {
	now := act.At
	s, err := d.dossiers.Subject(ctx, r.Subject)
	if err != nil {
		return err
	}
	cases, err := d.dossiers.SubjectCases(ctx, r.Subject)
	if err != nil {
		return err
	}
	caseOf := make(map[privacy.CaseID]privacy.Case, len(cases))
	for _, c := range cases {
		caseOf[c.ID] = c
	}
	today := dayOf(now)
	decide := func(c privacy.Case, rec privacy.Record) error {
		var ret export.Retention
		var known bool
		if d.retention != nil {
			if ret, err = d.retention.RecordRetention(ctx, s, c, rec, now); err != nil {
				return err
			}
			known = true
		} else {
			ret, known = policyRetention(d.policy, s, c, rec)
		}
		if g, keep := keeps(ret, today); known && keep {
			// Rule G3: a legal obligation or legal claims block erasure;
			// GDPR art. 18(2): so does a restriction of processing.
			rule := privacy.G3
			if g == GroundRestricted {
				rule = privacy.RuleRestriction
			}
			p.Keeps = append(p.Keeps, Keep{Record: rec.ID, Case: rec.Case, Category: rec.Category, Ground: g,
				Rule: rule, Retention: ret.Rule, Until: ret.Until, Citation: ret.Citation, Reason: ret.Reason})
			return nil
		}
		p.Changes = append(p.Changes, Change{Record: rec.ID, Case: rec.Case, Category: rec.Category,
			Medical: rec.Category.Medical(), Erase: true, Rule: privacy.O13})
		return nil
	}
	// Records this request erased already (a run whose answer failed
	// after its deletions, say) stay in the plan as erasures done, from
	// their proofs of deletion: a retry then answers the request instead
	// of failing on records that are gone (O13, G2).
	done, err := d.erasedBy(ctx, r)
	if err != nil {
		return err
	}
	if len(r.Records) > 0 {
		for _, id := range r.Records {
			if _, ok := done[id]; ok {
				continue
			}
			rec, err := d.subjectRecord(ctx, act, r.Subject, id)
			if err != nil {
				return err
			}
			if err := decide(caseOf[rec.Case], rec); err != nil {
				return err
			}
		}
	} else {
		for _, c := range cases {
			for _, seq := range [...]iter.Seq2[privacy.Record, error]{
				d.dossiers.SubjectCaseRecords(ctx, c.Subject, c.ID), d.dossiers.SubjectCaseMedicalRecords(ctx, act, c.Subject, c.ID)} {
				for rec, err := range seq {
					if err != nil {
						return err
					}
					if err := decide(c, rec); err != nil {
						return err
					}
				}
			}
		}
	}
	for _, id := range slices.Sorted(maps.Keys(done)) {
		if pr := done[id]; !slices.ContainsFunc(p.Changes, func(c Change) bool { return c.Record == id }) {
			p.Changes = append(p.Changes, Change{Record: id, Case: pr.Case, Category: pr.Category,
				Medical: pr.Medical, Erase: true, Rule: privacy.O13})
		}
	}
	if slices.ContainsFunc(p.Changes, func(c Change) bool { return c.Medical }) {
		// Rule N8: a medical file is destroyed within 3 months of the
		// request.
		due, err := MedicalErasureDeadline(d.policy.Requests, r.Received, d.holidays)
		if err != nil {
			return err
		}
		p.MedicalDue = due.Date
	}
	return nil
}

// erasedBy returns, by record, the proofs of deletion of the records that
// erasure request r erased already (none without package retention).
func (d *Desk) erasedBy(ctx context.Context, r Request) (map[privacy.RecordID]retention.Proof, error) {
	if d.erasures == nil {
		return nil, nil
	}
	proofs, err := d.erasures.Proofs(ctx, r.Subject)
	if err != nil {
		return nil, err
	}
	done := map[privacy.RecordID]retention.Proof{}
	for _, p := range proofs {
		if p.Erasure == retention.ErasureID(r.ID) && (len(r.Records) == 0 || slices.Contains(r.Records, p.Record)) {
			done[p.Record] = p
		}
	}
	return done, nil
}

// planNotify finds the recipients of the changed records in the disclosure
// log (rule G4).
func (d *Desk) planNotify(ctx context.Context, p *Plan) error {
	if d.disclosures == nil || len(p.Changes) == 0 {
		return nil
	}
	byRecord := make(map[privacy.RecordID]Change, len(p.Changes))
	for _, c := range p.Changes {
		byRecord[c.Record] = c
	}
	// Rule G4: every recipient of a changed or erased record is told.
	to := map[privacy.PartyID]*Notify{}
	for dis, err := range d.disclosures.SubjectDisclosures(ctx, p.Subject) {
		if err != nil {
			return err
		}
		var hit []privacy.RecordID
		if len(dis.Records) > 0 {
			for _, id := range dis.Records {
				if _, ok := byRecord[id]; ok {
					hit = append(hit, id)
				}
			}
		} else {
			for _, c := range p.Changes {
				if (dis.Case == "" || dis.Case == c.Case) && slices.Contains(dis.Categories, c.Category) {
					hit = append(hit, c.Record)
				}
			}
		}
		if len(hit) == 0 {
			continue
		}
		n := to[dis.Recipient]
		if n == nil {
			n = &Notify{Recipient: dis.Recipient, RecipientKind: dis.RecipientKind, Rule: privacy.G4}
			to[dis.Recipient] = n
		}
		n.Disclosures = append(n.Disclosures, dis.ID)
		for _, id := range hit {
			if !slices.Contains(n.Records, id) {
				n.Records = append(n.Records, id)
			}
		}
	}
	for _, n := range to {
		slices.Sort(n.Records)
		p.Notify = append(p.Notify, *n)
	}
	slices.SortFunc(p.Notify, func(a, b Notify) int { return cmp.Compare(a.Recipient, b.Recipient) })
	return nil
}

func (p *Plan) outcome() *Outcome {
	o := &Outcome{MedicalDue: p.MedicalDue, Kept: slices.Clone(p.Keeps)}
	for _, c := range p.Changes {
		if c.Erase {
			o.Erased = append(o.Erased, c.Record)
		} else {
			o.Changed = append(o.Changed, c.Record)
		}
	}
	for _, n := range p.Notify {
		o.Notify = append(o.Notify, n.Recipient)
	}
	return o
}

// Apply carries out a plan at act.At, as act (rules O1, G7, N9: one audit
// event for the application, execute, before anything changes; no event,
// no change).
//
// A rectification gives the records their new content (updated at
// act.At) through the case file, which audits each write. A record under
// a legal hold is not rectified ([privacy.ErrForbidden], rule G3).
//
// An erasure goes through package retention ([Options].Erasures), never
// straight to the case file: the desk records the granted request
// ([retention.Keeper.RequestErasure], under O13, or R9 under a policy
// of regulation R alone, its ID the request's) and carries it out at once
// ([retention.Keeper.Erase]): each record is deleted from its file with
// its [retention.Proof] and audit event in one atomic unit that checks the
// holds, as a sweep deletes. So only the privacy officer applies an
// erasure plan, as package retention wants: anyone else is refused with
// [privacy.ErrForbidden] and that rule, audited as a denial. Without
// [Options].Erasures an erasure plan is refused with [privacy.ErrInvalid]:
// the desk deletes nothing without a proof.
//
// The plan's request must still be open, and only its subject's records
// are touched. A record already gone is skipped, so that Apply can be run
// again after a failure; an erasure recorded before is carried out again,
// deleting nothing twice. Telling the recipients (Plan.Notify) is left to
// the caller, who knows how to reach them.
//
// Before it changes anything, Apply asks package retention about every
// record the plan erases, from its entries, reading no content: if a
// legal hold keeps one now (placed after the plan was made), Apply changes
// nothing and returns an error with Kind [privacy.ErrForbidden] and Rule
// [privacy.G3]; make a new plan. A hold placed after that check, or a
// statute the plan did not know of, still keeps its records: the deletion
// checks the holds in its atomic unit, and Apply returns the same error
// naming the first record kept, the others erased with their proofs.
func (d *Desk) Apply(ctx context.Context, act privacy.Act, p Plan) error {
	const o = "apply plan"
	if err := act.Validate(); err != nil {
		return err
	}
	if err := d.gate(ctx, o, act, deciders, "", objectOf(p.Request), privacy.EventExecute); err != nil {
		return err
	}
	if p.Kind == KindErasure && act.By.Role != privacy.RolePrivacyOfficer {
		// Rules O13, R9: an erasure is decided and carried out by the
		// privacy officer (package retention).
		return d.deny(ctx, o, act, d.eraseRule(), "", objectOf(p.Request), privacy.EventExecute,
			"only the privacy officer applies an erasure")
	}
	at := act.At
	if err := checkID(o, "plan.request", string(p.Request)); err != nil {
		return err
	}
	// Rules R7, O4: only a request of a subject the decider is assigned to.
	r, err := d.request(ctx, o, &act, p.Request, privacy.EventExecute)
	if err != nil {
		return err
	}
	if r.Status.Final() {
		return &privacy.Error{Op: op + o, Kind: privacy.ErrConflict, Msg: "the request is closed"}
	}
	if r.Kind != p.Kind || r.Subject != p.Subject {
		return invalid(o, "plan", "not the plan of this request")
	}
	if err := checkTime(o, "act.at", at); err != nil {
		return err
	}
	if r.Kind == KindErasure && d.erasures == nil {
		return &privacy.Error{Op: op + o, Kind: privacy.ErrInvalid, Rule: d.eraseRule(), Path: "options.erasures",
			Msg: "an erasure is applied through package retention, with a proof of each deletion"}
	}
	var erase []privacy.RecordID
	if r.Kind == KindErasure {
		if erase, err = d.erasable(ctx, act, r, p); err != nil {
			return err
		}
	}
	// Rule O13: a plan is a value its caller holds. Every change is
	// checked before any is written — only the records the request
	// names, each a valid record, each field written as who applies it
	// may write it (R7, O4, O6, N4, …), whatever the plan says — so a
	// refusal changes nothing.
	var writes []privacy.Record
	if r.Kind != KindErasure {
		if writes, err = d.rectifications(ctx, o, act, r, p); err != nil {
			return err
		}
	}
	// Rules O1, G7, N9: the application is audited before it changes
	// anything; no event, no change.
	if _, err := d.store.AppendEvents(ctx, d.event(&act, privacy.EventExecute, privacy.O13, r.Subject, objectOf(r.ID))); err != nil {
		return auditFailed(o, err)
	}
	if r.Kind == KindErasure {
		return d.erase(ctx, act, r, erase)
	}
	for _, rec := range writes {
		if err := d.dossiers.UpdateRecord(ctx, act, rec); err != nil {
			return err
		}
	}
	return nil
}

// rectifications returns the records plan p of rectification request r
// writes, as of act, each checked: the subject's own (a record that is
// gone, or is someone else's, is skipped), named by the request, valid,
// and every changed field one the principal of act may write.
func (d *Desk) rectifications(ctx context.Context, o string, act privacy.Act, r Request, p Plan) ([]privacy.Record, error) {
	var writes []privacy.Record
	for _, c := range p.Changes {
		if c.Erase {
			continue // a rectification erases nothing
		}
		rec, err := d.subjectRecord(ctx, act, p.Subject, c.Record)
		if errors.Is(err, privacy.ErrNotFound) {
			continue
		}
		if err != nil {
			return nil, err
		}
		if maps.Equal(rec.Fields, c.Fields) {
			continue // applied already
		}
		if len(r.Records) > 0 && !slices.Contains(r.Records, c.Record) {
			return nil, invalid(o, "plan", fmt.Sprintf("record %s is outside the request", c.Record))
		}
		if err := d.mayWrite(ctx, o, act, &rec, changed(rec.Fields, c.Fields)); err != nil {
			return nil, err
		}
		rec.Fields = maps.Clone(c.Fields)
		rec.Updated = act.At
		if !rec.Updated.After(rec.Created) {
			return nil, invalid(o, "act.at", fmt.Sprintf("not after record %s was created", rec.ID))
		}
		if err := rec.Validate(); err != nil {
			return nil, err
		}
		writes = append(writes, rec)
	}
	ids := make([]privacy.RecordID, len(writes))
	for i := range writes {
		ids[i] = writes[i].ID
	}
	if err := d.unheld(ctx, o, act, p.Subject, ids); err != nil {
		return nil, err
	}
	return writes, nil
}

// erasable returns the records plan p of request r erases that are
// still the subject's, as package retention lists them (entries, never
// content: the privacy officer reads none). If a legal hold keeps one now
// — placed after the plan was made — it refuses the whole plan (rule G3)
// and nothing changes.
func (d *Desk) erasable(ctx context.Context, act privacy.Act, r Request, p Plan) ([]privacy.RecordID, error) {
	sched, err := d.erasures.Schedules(ctx, r.Subject, act.At)
	if err != nil {
		return nil, err
	}
	held := map[privacy.RecordID]retention.Schedule{}
	present := make(map[privacy.RecordID]bool, len(sched))
	for _, s := range sched {
		present[s.Record] = true
		if s.Reason == retention.ReasonHold {
			held[s.Record] = s
		}
	}
	var ids []privacy.RecordID
	for _, c := range p.Changes {
		if !c.Erase || !present[c.Record] || slices.Contains(ids, c.Record) {
			continue // not an erasure, gone already, or not the subject's
		}
		// Rule O13: a plan is a value its caller holds; only the records
		// the request names are erased, whatever the plan says.
		if len(r.Records) > 0 && !slices.Contains(r.Records, c.Record) {
			return nil, invalid("apply plan", "plan", fmt.Sprintf("record %s is outside the request", c.Record))
		}
		if h, ok := held[c.Record]; ok {
			// Rule G3: a legal obligation or legal claims block erasure;
			// GDPR art. 18(2): so does a restriction of processing.
			return nil, d.deny(ctx, "apply plan", act, h.Ground.Rule(), r.Subject, string(c.Record), privacy.EventDelete,
				fmt.Sprintf("record %s is kept now by hold %s (%s): make a new plan", c.Record, h.Hold, h.Ground))
		}
		ids = append(ids, c.Record)
	}
	return ids, nil
}

// unheld refuses, audited, a change of any of records that a standing hold
// keeps (rule G3; GDPR art. 18(2) for a restriction of processing), naming
// the hold's rule, before anything is written: the store would refuse the
// write of that record, after the writes of the others. Without package
// retention (no Options.Erasures) the store's refusal is what stands.
func (d *Desk) unheld(ctx context.Context, o string, act privacy.Act, subject privacy.SubjectID, records []privacy.RecordID) error {
	if d.erasures == nil || len(records) == 0 {
		return nil
	}
	sched, err := d.erasures.Schedules(ctx, subject, act.At)
	if err != nil {
		return err
	}
	for _, s := range sched {
		if s.Reason == retention.ReasonHold && slices.Contains(records, s.Record) {
			return d.deny(ctx, o, act, s.Ground.Rule(), subject, string(s.Record), privacy.EventUpdate,
				fmt.Sprintf("record %s is kept as it is by hold %s (%s)", s.Record, s.Hold, s.Ground))
		}
	}
	return nil
}

// erase carries out the erasure of records ids of request r through
// package retention: the granted request recorded, its records deleted at
// once, each with its proof and audit event, the holds checked as each
// goes (rules R9, O13, G3, N8).
func (d *Desk) erase(ctx context.Context, act privacy.Act, r Request, ids []privacy.RecordID) error {
	if len(ids) == 0 {
		return nil
	}
	id := retention.ErasureID(r.ID)
	_, err := d.erasures.From(act.AccessPoint, act.Client).RequestErasure(ctx, act.By, retention.Erasure{ID: id, Subject: r.Subject, Records: ids,
		Rule: d.eraseRule(), Received: r.Received}, act.At)
	if err != nil && !errors.Is(err, privacy.ErrExists) { // exists: recorded by an earlier run
		return err
	}
	if _, err := d.erasures.From(act.AccessPoint, act.Client).Erase(ctx, act.By, r.Subject, id, act.At); err != nil {
		return err
	}
	after, err := d.erasures.Schedules(ctx, r.Subject, act.At)
	if err != nil {
		return err
	}
	for _, s := range after {
		if slices.Contains(ids, s.Record) {
			// Rule G3: a hold placed meanwhile, or a statute, keeps it.
			return &privacy.Error{Op: op + "apply plan", Kind: privacy.ErrForbidden, Rule: privacy.G3, Path: "records",
				Msg: fmt.Sprintf("record %s is kept (%s, rule %s): the others are erased", s.Record, s.Reason, s.Rule)}
		}
	}
	return nil
}

// keeps reports whether r keeps its record from erasure on day today, and
// on which ground (rule G3).
func keeps(r export.Retention, today calendar.Date) (Ground, bool) {
	switch {
	case r.Hold && r.Rule == privacy.RuleRestriction:
		return GroundRestricted, true
	case r.Hold:
		return GroundLegalClaims, true
	case r.Statutory && (r.Until.IsZero() || !today.After(r.Until)):
		return GroundStatutoryRetention, true
	}
	return "", false
}

// policyRetention is the retention of a record as the policy alone sets it,
// for an erasure decided without retention facts: the statutory rule that
// keeps the record longest, if any applies (legal holds are then unknown).
// A rule whose trigger has not happened keeps the record with no end yet.
func policyRetention(p *privacy.Policy, s privacy.Subject, c privacy.Case, r privacy.Record) (export.Retention, bool) {
	var best export.Retention
	found := false
	for _, rule := range p.Retention {
		if !rule.Statutory || !applies(rule, c.Kind, r.Category) {
			continue
		}
		var from time.Time
		switch rule.Trigger {
		case privacy.TriggerCaseClosed:
			from = c.Closed
		case privacy.TriggerEmploymentEnded:
			from = privacy.EmploymentEnd(s, c, r.Updated)
		case privacy.TriggerRecordCreated:
			from = r.Created
		case privacy.TriggerRecordUpdated:
			from = r.Updated
		}
		var until calendar.Date
		if !from.IsZero() {
			if rule.FromYearEnd && r.Updated.After(from) {
				from = r.Updated
			}
			start := dayOf(from)
			if rule.FromYearEnd {
				// Rules R9, N7: the fiscal seven years from the end of
				// the year of the trigger or of the record's last change
				// (AWR art. 52(4) in practice).
				start = start.YearEnd()
			}
			until = calendar.Add(start, rule.Period)
		}
		cand := export.Retention{Rule: rule.Rule, Period: rule.Period, Trigger: rule.Trigger, Until: until,
			Statutory: true, Citation: rule.Citation, Reason: rule.Reason}
		switch {
		case !found:
			best, found = cand, true
		case best.Until.IsZero():
		case cand.Until.IsZero() || cand.Until.After(best.Until):
			best = cand
		}
	}
	return best, found
}

// applies reports whether a retention rule covers records of category cat
// in cases of kind k: empty lists cover everything.
func applies(rule privacy.RetentionRule, k privacy.CaseKind, cat privacy.Category) bool {
	okCat := len(rule.Categories) == 0
	for _, c := range rule.Categories {
		okCat = okCat || c == cat
	}
	okKind := len(rule.CaseKinds) == 0
	for _, ck := range rule.CaseKinds {
		okKind = okKind || ck == k
	}
	return okCat && okKind
}

// actor is the principal of act as the access engine sees it: assigned to
// the act's cases, and to no others.
func actor(act *privacy.Act) *access.Principal {
	return access.NewPrincipal(act.By, act.Cases, nil)
}

// mayWrite decides, for the principal of act, a write of every field
// fields names of record rec (rules R7, O4, O6, G8, N4, N6, N1, R8, R12):
// a rectification is a write of the case file. A refusal is audited as a
// denied update of the record and names its rule.
func (d *Desk) mayWrite(ctx context.Context, o string, act privacy.Act, rec *privacy.Record, fields []privacy.Field) error {
	c, err := d.dossiers.Case(ctx, rec.Case)
	if err != nil {
		return err
	}
	req := access.Request{Principal: actor(&act), Case: &c, Action: privacy.ActionWrite, Category: rec.Category,
		Purpose: c.Purpose, Time: act.At, Object: string(rec.ID)}
	for _, f := range fields {
		req.Field = f
		if dec := d.engine.Decide(req); !dec.Allowed {
			return d.deny(ctx, o, act, dec.Rule, c.Subject, string(rec.ID), privacy.EventUpdate,
				"may not correct this record: "+dec.Reason)
		}
	}
	return nil
}

// changed lists, sorted, the fields whose value differs between from and
// to, those to drops included.
func changed(from, to map[privacy.Field]string) []privacy.Field {
	var fs []privacy.Field
	for f, v := range to {
		if w, ok := from[f]; !ok || w != v {
			fs = append(fs, f)
		}
	}
	for f := range from {
		if _, ok := to[f]; !ok {
			fs = append(fs, f)
		}
	}
	slices.Sort(fs)
	return fs
}
