package dossierwacht

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"time"

	"github.com/dossierwacht/dossierwacht/access"
	"github.com/dossierwacht/dossierwacht/consent"
	"github.com/dossierwacht/dossierwacht/privacy"
)

// RegisterSubject registers a new subject (rule O8: master data comes from
// the employer at the start of employment, or from the service's staff).
// The subject is registered as of now. The service's case managers and
// physicians may register anyone, an employer contact only the employees of
// an employer it acts for; anyone else is refused.
//
// An employer contact that registers an employee of its own whom the
// service knows already succeeds and changes nothing: the service may know
// them from a consultation-hour visit or a periodic examination the
// employer must not learn of (rule O10), so the answer is that of a new
// registration. An ID taken by a subject of another employer fails with
// privacy.ErrExists, audited; subject IDs should be unguessable ([NewID]).
func (s *Service) RegisterSubject(ctx context.Context, a *Actor, subj privacy.Subject) error {
	const v = verbRegisterSubject
	if err := s.checkActor(ctx, v, a); err != nil {
		return err
	}
	subj.Created = s.now()
	if err := subj.Validate(); err != nil {
		return err
	}
	e := s.event(a, privacy.EventCreate, subj.ID, "", string(subj.ID), privacy.O8, true)
	switch {
	case caseStaff(a.Role):
	case a.Role == privacy.RoleEmployerContact && subj.Employer != "" && a.ActsFor(subj.Employer):
	default:
		return s.refuse(ctx, e, forbidden(v, roleRule(a.Role), "may not register subjects"))
	}
	err := s.dossiers.CreateSubject(ctx, act(a, subj.Created, ""), subj)
	if a.Role == privacy.RoleEmployerContact && errors.Is(err, privacy.ErrExists) {
		known, kerr := s.dossiers.Subject(ctx, subj.ID)
		if kerr == nil && known.Employer == subj.Employer {
			// Rule O10: known already, answered as registered; the trail
			// says what happened (N9).
			e.Rule = privacy.O10
			return s.audit(ctx, e)
		}
	}
	return s.refused(ctx, e, err)
}

// OpenCase opens a new case of a registered subject as of now, under its
// contract (O2) and for its purpose (R5). The service's case managers and
// physicians open cases; an employer contact opens the ordinary cases its
// employer commissions (a sick report opens an absence case, N1), never a
// consultation-hour visit or a periodic examination, which it may not even
// know of (O10).
func (s *Service) OpenCase(ctx context.Context, a *Actor, c privacy.Case) error {
	const v = verbOpenCase
	if err := s.checkActor(ctx, v, a); err != nil {
		return err
	}
	c.Opened, c.Closed = s.now(), privacy.Case{}.Closed
	if err := c.Validate(); err != nil {
		return err
	}
	e := s.event(a, privacy.EventCreate, c.Subject, c.ID, string(c.ID), privacy.O2, true)
	switch {
	case caseStaff(a.Role):
	case a.Role == privacy.RoleEmployerContact && c.Kind.Confidential():
		return s.refuse(ctx, e, forbidden(v, privacy.O10, "the employer does not open consultation-hour or periodic-examination cases"))
	case a.Role == privacy.RoleEmployerContact && a.ActsFor(c.Contract.Party):
		// Rule O2: the employer commissions cases of its own employees
		// only. Rule O10: a sick report of an employee the service does
		// not know registers them (O8), so that the answer never tells
		// whether the service knew them from a visit the employer must
		// not learn of.
		register, err := s.employeeOf(ctx, a, c)
		if err != nil {
			return s.refused(ctx, e, err)
		}
		if register {
			if _, err := s.dossiers.Case(ctx, c.ID); !errors.Is(err, privacy.ErrNotFound) {
				if err == nil {
					err = &privacy.Error{Op: "dossierwacht: " + string(v), Kind: privacy.ErrExists, Msg: "the case ID is taken"}
				}
				return s.refused(ctx, e, err)
			}
			subj := privacy.Subject{ID: c.Subject, Employer: c.Contract.Party, Created: c.Opened}
			reg := s.event(a, privacy.EventCreate, subj.ID, "", string(subj.ID), privacy.O8, true)
			if err := s.refused(ctx, reg, s.dossiers.CreateSubject(ctx, act(a, c.Opened, ""), subj)); err != nil {
				return err
			}
		}
	default:
		return s.refuse(ctx, e, forbidden(v, roleRule(a.Role), "may not open this case"))
	}
	// GDPR art. 18(2): nothing is added to data whose processing is
	// restricted as a whole.
	if held, err := s.restrictedWhole(ctx, c.Subject, c.Opened); err != nil || held {
		if err != nil {
			return err
		}
		e.Rule = privacy.RuleRestriction
		return s.refuse(ctx, e, forbidden(v, privacy.RuleRestriction, "a restriction of processing stands: the data is only stored"))
	}
	return s.refused(ctx, e, s.dossiers.OpenCase(ctx, act(a, c.Opened, c.Purpose), c))
}

// employeeOf decides an employer contact's case c of a subject (rule O2):
// it reports that the subject must be registered first when the service
// does not know them, and refuses, as a taken ID (privacy.ErrExists), a
// subject of another employer than the one commissioning the case.
func (s *Service) employeeOf(ctx context.Context, a *Actor, c privacy.Case) (register bool, err error) {
	subj, err := s.dossiers.Subject(ctx, c.Subject)
	switch {
	case errors.Is(err, privacy.ErrNotFound):
		return true, nil
	case err != nil:
		return false, err
	case subj.Employer != c.Contract.Party || !a.ActsFor(subj.Employer):
		return false, &privacy.Error{Op: "dossierwacht: " + string(verbOpenCase), Kind: privacy.ErrExists, Rule: privacy.O2,
			Msg: "the subject ID is taken"}
	}
	return false, nil
}

// CloseCase closes an open case as of now; most retention clocks start
// (R9, O12). Only a case manager or physician assigned to the case closes
// it (R7, O4).
func (s *Service) CloseCase(ctx context.Context, a *Actor, id privacy.CaseID) error {
	const v = verbCloseCase
	if err := s.checkActor(ctx, v, a); err != nil {
		return err
	}
	c, err := s.visibleCase(ctx, v, a, id)
	if err != nil {
		return err
	}
	e := s.event(a, privacy.EventUpdate, c.Subject, c.ID, string(c.ID), privacy.R7, true)
	if !caseStaff(a.Role) || !a.Assigned(id) {
		return s.refuse(ctx, e, forbidden(v, roleRule(a.Role), "only staff assigned to the case close it"))
	}
	return s.refused(ctx, e, s.dossiers.CloseCase(ctx, act(a, s.now(), c.Purpose), id))
}

// EndEmployment records that the subject's employment ended at ended
// (rule O8); several retention periods run from it (N7). It is a fact
// reported, so it may lie in the past, but not in the future. The employer
// contact of the subject's employer and the service's case managers and
// physicians record it. An employer contact's report about a person the
// service holds nothing of (or of another employer's) records nothing and
// succeeds all the same, so that it never tells whether the service knows
// them (rules O2, O10); the audit trail says so.
func (s *Service) EndEmployment(ctx context.Context, a *Actor, id privacy.SubjectID, ended time.Time) error {
	const v = verbEndEmployment
	if err := s.checkActor(ctx, v, a); err != nil {
		return err
	}
	e := s.event(a, privacy.EventUpdate, id, "", string(id), privacy.O8, true)
	if !caseStaff(a.Role) && a.Role != privacy.RoleEmployerContact {
		return s.refuse(ctx, e, forbidden(v, roleRule(a.Role), "may not record the end of employment"))
	}
	if ended.IsZero() || ended.After(s.now()) {
		return &privacy.Error{Op: "dossierwacht: " + string(v), Kind: privacy.ErrInvalid, Path: "ended", Msg: "the end of employment is a date not after now"}
	}
	subj, err := s.dossiers.Subject(ctx, id)
	if err != nil && !errors.Is(err, privacy.ErrNotFound) {
		return err
	}
	if a.Role == privacy.RoleEmployerContact && (err != nil || subj.Employer == "" || !a.ActsFor(subj.Employer)) {
		// Rules O2, O10: the employer reports the end of employment of
		// its employees; where the service holds nothing of theirs
		// (missing, or another employer's), there is nothing to record,
		// and the report is accepted all the same, so that the answer
		// never tells whether the service knew the person — from a
		// consultation-hour visit, say. The trail says what happened
		// (N9).
		e.Rule, e.Outcome = privacy.O2, privacy.OutcomeDenied
		return s.audit(ctx, e)
	}
	if err != nil {
		// Staff: a missing subject is not found, audited (N9).
		e.Rule = privacy.O2
		return s.refuse(ctx, e, notFound(string(v)))
	}
	// GDPR art. 18(2): the subject's data is not changed while its
	// processing is restricted as a whole; the end of employment may be
	// recorded, with its own date, once the restriction is lifted.
	held, err := s.restrictedWhole(ctx, id, s.now())
	if err != nil {
		return err
	}
	if held {
		err = forbidden(v, privacy.RuleRestriction, "a restriction of processing stands: the data is only stored")
	} else {
		err = s.dossiers.EndEmployment(ctx, act(a, s.now(), ""), id, ended)
	}
	if err != nil && a.Role == privacy.RoleEmployerContact && (errors.Is(err, privacy.ErrInvalid) ||
		errors.Is(err, privacy.ErrForbidden) || errors.Is(err, privacy.ErrConflict)) {
		// Rule O10: the employer's report is refused as that of a person
		// the service does not know is accepted — a date before the
		// service registered the subject (O8), a restriction standing:
		// the refusal would tell that the service knows them, from a
		// consultation-hour visit, say. The trail says what happened (N9).
		e.Outcome = privacy.OutcomeDenied
		if e.Rule = privacy.RuleOf(err); e.Rule == "" {
			e.Rule = privacy.O8
		}
		return s.audit(ctx, e)
	}
	if held {
		e.Rule = privacy.RuleRestriction
	}
	return s.refused(ctx, e, err)
}

// visibleCase loads case id for a, for verb v: a case a may not know of
// is not found, exactly as a missing one (rule O10), and both refusals are
// audited alike, after the same reads of the store, so that neither the
// answer nor the work done tells them apart (N9: failed accesses are
// logged). It returns a as the decisions see it on that case (see
// [Service.picture]).
func (s *Service) visibleCase(ctx context.Context, v verb, a *Actor, id privacy.CaseID) (privacy.Case, error) {
	c, _, err := s.seen(ctx, v, a, id)
	return c, err
}

// seen is visibleCase returning also the picture of a on the case (see
// [Service.picture]), as of now, for the decisions that follow on it:
// the registers are read once per case, not once per record.
func (s *Service) seen(ctx context.Context, v verb, a *Actor, id privacy.CaseID) (privacy.Case, access.Request, error) {
	now := s.now()
	c, err := s.dossiers.Case(ctx, id)
	if err != nil && !errors.Is(err, privacy.ErrNotFound) {
		return privacy.Case{}, access.Request{}, err
	}
	found := err == nil
	if !found {
		c = privacy.Case{ID: id}
	}
	e := s.event(a, privacy.EventSearch, "", id, string(id), privacy.RuleDefaultDeny, false)
	req := access.Request{Time: now, Purpose: c.Purpose}
	if err := s.picture(ctx, a, &c, &req); err != nil {
		return privacy.Case{}, access.Request{}, err
	}
	if found {
		d := s.engine.Visible(req)
		if d.Allowed {
			return c, req, nil
		}
		e.Subject, e.Rule = c.Subject, d.Rule
	}
	return privacy.Case{}, access.Request{}, s.refuse(ctx, e, notFound(string(v)))
}

// notFound is the one answer for an object that is missing or that the
// actor may not know of: the same kind and text for both (rule O10).
func notFound(what string) error {
	return &privacy.Error{Op: "dossierwacht: " + what, Kind: privacy.ErrNotFound}
}

// picture completes req with the whole picture of a on case c, from the
// registers, never from the caller: for an employer contact, rule O10's
// consent — did the subject let the employer learn of a consultation-hour
// visit or periodic examination? — from the consent register; for an
// absence insurer, rule O11's coverage — does it cover the case's employer
// now? — from the coverage register, whatever employers the actor claims.
// req.Principal is a, or, for an insurer, a copy that covers exactly what
// the register says. For every actor, the restrictions of processing
// standing on the subject's data (GDPR art. 18), from the register of
// holds. The same registers are read whether c exists, is
// hidden or is missing (c.Subject empty), so that the work done tells
// nothing (O10).
func (s *Service) picture(ctx context.Context, a *Actor, c *privacy.Case, req *access.Request) error {
	req.Principal, req.Case, req.Consent, req.Restriction = a, c, nil, nil
	// A case that is missing has no subject or employer: the registers
	// are asked of the case's ID instead, which names no subject or
	// party, so that they are read all the same.
	subject, employer := c.Subject, c.Contract.Party
	if subject == "" {
		subject, employer = privacy.SubjectID(c.ID), privacy.PartyID(c.ID)
	}
	// GDPR art. 18: a restriction of processing, from the register of
	// holds, for every actor.
	var err error
	if req.Restriction, err = s.restrictionsOf(ctx, subject, req.Time); err != nil {
		return err
	}
	switch a.Role {
	case privacy.RoleEmployerContact:
		ok, err := s.registry.Consents(ctx, consent.Query{Subject: subject,
			Recipient: consent.Recipient{Party: a.Party, Kind: privacy.PartyEmployer},
			Category:  privacy.CategoryConsultation, Case: c.ID, At: req.Time})
		req.Consent = access.ConsentIf(ok && c.Kind.Confidential())
		return err
	case privacy.RoleInsurer:
		covers, err := s.registry.EmployerCoverage(ctx, employer)
		if err != nil {
			return err
		}
		insurer := *a
		insurer.Employers = nil
		for _, cv := range covers {
			if cv.Insurer == a.Party && cv.InForce(req.Time) {
				insurer.Employers = access.NewSet(employer)
			}
		}
		req.Principal = &insurer
	}
	return nil
}

// AddRecords adds records to a case, all or none, written by a as of now:
// a is their author. The records of one call are of one case and of one
// file — the medical file is kept apart (O6) — so that the call is one
// atomic write. Every field of every record is decided by the
// access engine first (who may write what: R7, R8, O4, O6, N1, N4, O8,
// O10, R12, …), then the case file checks what may be stored (O5, R4, R5,
// O2, N5, O6). A refusal names its rule and stores nothing.
func (s *Service) AddRecords(ctx context.Context, a *Actor, recs ...privacy.Record) error {
	return s.write(ctx, a, true, recs)
}

// UpdateRecord rectifies a record (rule O13) as of now: its content
// changes, its identity, case and category do not. Decided as
// [Service.AddRecords] is. A record saved unchanged is audited and not
// rewritten: it is no activity in its case (rules R9, O12, N7).
func (s *Service) UpdateRecord(ctx context.Context, a *Actor, rec privacy.Record) error {
	return s.write(ctx, a, false, []privacy.Record{rec})
}

func (s *Service) write(ctx context.Context, a *Actor, create bool, recs []privacy.Record) error {
	v := verb("add records")
	if !create {
		v = "update record"
	}
	if err := s.checkActor(ctx, v, a); err != nil {
		return err
	}
	if len(recs) == 0 {
		return &privacy.Error{Op: "dossierwacht: " + string(v), Kind: privacy.ErrInvalid, Msg: "no records"}
	}
	// All or none: one call is one atomic write of the case file, so its
	// records are of one case and one file (the medical file is kept
	// apart, O6).
	for _, r := range recs[1:] {
		if r.Case != recs[0].Case || r.Category.Medical() != recs[0].Category.Medical() {
			return &privacy.Error{Op: "dossierwacht: " + string(v), Kind: privacy.ErrInvalid, Path: "records",
				Msg: "the records of one call are of one case and one file (medical or not)"}
		}
	}
	now := s.now()
	recs = slices.Clone(recs)
	type pictured struct {
		c   privacy.Case
		req access.Request
	}
	cases := map[privacy.CaseID]*pictured{}
	for i := range recs {
		r := &recs[i]
		r.Author = a.ID
		r.Created, r.Updated = now, now
		if src, ok := ownSource(a); ok {
			// Rules R2, G1 (GDPR art. 15(1)(g)): what a party outside the
			// service writes is recorded as supplied by that party,
			// whatever source the call names.
			r.Source = src
		}
		if err := r.Validate(); err != nil {
			if errors.Is(err, privacy.ErrForbidden) {
				// Rule O5: a special category is refused and audited
				// without naming it.
				e := s.event(a, actionOf(create), r.Subject, r.Case, string(r.ID), privacy.O5, false)
				return s.refuse(ctx, e, err)
			}
			return err
		}
		pc, ok := cases[r.Case]
		if !ok {
			c, req, err := s.seen(ctx, v, a, r.Case)
			if err != nil {
				return err
			}
			pc = &pictured{c: c, req: req}
			cases[r.Case] = pc
		}
		c := pc.c
		if r.Purpose == "" {
			r.Purpose = c.Purpose
		}
		// Who may write what is decided before any record is looked up,
		// so that a refusal is the same whether the record exists or not
		// (O6: the medical file's record IDs are not probed by those who
		// may not write there).
		if err := s.decideWrite(ctx, a, &c, pc.req, r, create, now); err != nil {
			return err
		}
		if !create {
			// The case is one a may know of; the record to change must be
			// of it, of the category named, and — for a party outside the
			// service — one that party supplied (R2: a record keeps who
			// supplied it; the service's own records are rectified by the
			// service, O13). Any other record is answered as a missing
			// one, and both refusals audited (O9, O10, N9): the answer
			// tells nothing of what else the case holds.
			old, err := s.lookup(ctx, r.ID, r.Category)
			if err != nil && !errors.Is(err, privacy.ErrNotFound) {
				return err
			}
			src, outside := ownSource(a)
			if err != nil || old.Case != r.Case || old.Subject != c.Subject || old.Category != r.Category ||
				(outside && old.Source != src) {
				e := s.event(a, privacy.EventUpdate, c.Subject, c.ID, string(r.ID), privacy.RuleDefaultDeny, false)
				return s.refuse(ctx, e, notFound(string(v)))
			}
			r.Created = old.Created
		}
	}
	// The case file checks what may be stored: O5, R4, R5, O2, N5, O6.
	if create {
		return s.addRecords(ctx, a, now, recs)
	}
	e := s.event(a, privacy.EventUpdate, recs[0].Subject, recs[0].Case, string(recs[0].ID), privacy.O13, false)
	return s.refused(ctx, e, s.dossiers.UpdateRecord(ctx, act(a, now, recs[0].Purpose), recs[0]))
}

// addRecords stores recs in one atomic write of the case file (R4).
func (s *Service) addRecords(ctx context.Context, a *Actor, now time.Time, recs []privacy.Record) error {
	e := s.event(a, privacy.EventCreate, recs[0].Subject, recs[0].Case, string(recs[0].ID), privacy.R4, false)
	return s.refused(ctx, e, s.dossiers.AddRecords(ctx, act(a, now, recs[0].Purpose), recs...))
}

func actionOf(create bool) privacy.EventAction {
	if create {
		return privacy.EventCreate
	}
	return privacy.EventUpdate
}

// decideWrite asks the access engine about every field of r (an employer
// may write some fields of a category and not others, N1) and audits a
// refusal. pic is a's picture on case c ([Service.seen]).
func (s *Service) decideWrite(ctx context.Context, a *Actor, c *privacy.Case, pic access.Request, r *privacy.Record, create bool, now time.Time) error {
	req := access.Request{Principal: pic.Principal, Case: c, Action: privacy.ActionWrite, Category: r.Category, Purpose: r.Purpose,
		Time: now, Object: string(r.ID), Create: create, Consent: pic.Consent, Restriction: pic.Restriction}
	fields := slices.Sorted(maps.Keys(r.Fields))
	if len(fields) == 0 {
		fields = []privacy.Field{""}
	}
	for _, f := range fields {
		req.Field = f
		if d := s.engine.Decide(req); !d.Allowed {
			e := s.event(a, actionOf(create), c.Subject, c.ID, string(r.ID), d.Rule, false)
			e.Category, e.Purpose = r.Category, r.Purpose
			return s.refuse(ctx, e, &privacy.Error{Op: "dossierwacht: write", Kind: privacy.ErrForbidden, Rule: d.Rule,
				Path: "fields." + string(f), Msg: d.Reason})
		}
	}
	return nil
}

// lookup reads record id of the file category c is kept in for the
// Service's own checks (which case, subject and category it has): nothing
// of it leaves the Service, so the lookup is not a read of the actor's.
func (s *Service) lookup(ctx context.Context, id privacy.RecordID, c privacy.Category) (privacy.Record, error) {
	if c.Medical() {
		return s.store.MedicalRecord(ctx, id)
	}
	return s.store.Record(ctx, id)
}

// View returns the case as a may see it, for purpose (rule R5: the case's
// purpose; the subject may leave it empty): only the records and fields a
// may read, the medical file only for the assigned physician under medical
// secrecy with a second factor (O6, G8, N6). Every record shown or
// withheld is audited (G7, N9). A case a may not know of fails exactly as
// a missing one, with privacy.ErrNotFound (O10).
func (s *Service) View(ctx context.Context, a *Actor, id privacy.CaseID, purpose privacy.Purpose) (access.CaseView, error) {
	const op = "dossierwacht: view"
	if err := s.checkActor(ctx, "view", a); err != nil {
		return access.CaseView{}, err
	}
	// Rule R5: the purpose is checked before the case is looked up, so
	// that a view without one is refused alike whether the case exists
	// or not.
	switch {
	case purpose != "" && !privacy.ValidID(string(purpose)):
		return access.CaseView{}, &privacy.Error{Op: op, Kind: privacy.ErrInvalid, Rule: privacy.R5, Path: "purpose", Msg: "malformed purpose"}
	case purpose == "" && a.Role != privacy.RoleSubject:
		return access.CaseView{}, &privacy.Error{Op: op, Kind: privacy.ErrInvalid, Rule: privacy.R5, Path: "purpose", Msg: "a view states its purpose"}
	}
	now := s.now()
	c, err := s.dossiers.Case(ctx, id)
	if err != nil && !errors.Is(err, privacy.ErrNotFound) {
		return access.CaseView{}, err
	}
	if err != nil {
		c = privacy.Case{ID: id}
	}
	// The registers are read, and the guard asked (which reads the case
	// and audits the refusal), whether the case is there or not: a
	// missing case is refused and audited as a hidden one is (N9), after
	// the same work (O10).
	q := access.Request{Time: now, Purpose: purpose}
	if err := s.picture(ctx, a, &c, &q); err != nil {
		return access.CaseView{}, err
	}
	if q.Restriction != nil && c.Subject != "" && q.Restriction.Restricted(&c, "") &&
		!(a.Role == privacy.RoleSubject && a.Subject == c.Subject) && s.engine.Visible(q).Allowed {
		// GDPR art. 18(2): while a restriction of the whole case stands,
		// it is only stored; no one but the subject views it. A case a
		// may not know of stays unknown (O10): the guard answers it.
		e := s.event(a, privacy.EventRead, c.Subject, c.ID, string(c.ID), privacy.RuleRestriction, false)
		e.Purpose = purpose
		return access.CaseView{}, s.refuse(ctx, e, forbidden("view", privacy.RuleRestriction,
			"a restriction of processing stands: the case is only stored"))
	}
	req := access.ViewRequest{Principal: q.Principal, Case: id, Purpose: purpose, Time: now, Consent: q.Consent,
		Restriction: q.Restriction}
	v, err := s.guard.View(ctx, req)
	if errors.Is(err, privacy.ErrNotFound) {
		return access.CaseView{}, notFound("case")
	}
	return v, err
}

// Cases lists the cases of a subject that a may know of, oldest first
// (rules O10, R7, O2, O11): the others are absent, not counted, not hinted
// at. The search and every case shown or left out are audited (N9). It is
// [Service.ListCases] for one subject, each case under its own purpose.
func (s *Service) Cases(ctx context.Context, a *Actor, subject privacy.SubjectID) ([]privacy.Case, error) {
	listed, err := s.ListCases(ctx, a, CaseQuery{Subjects: []privacy.SubjectID{subject}})
	if err != nil {
		return nil, err
	}
	out := make([]privacy.Case, len(listed))
	for i := range listed {
		out[i] = listed[i].Case
	}
	return out, nil
}

// CaseQuery asks [Service.ListCases] for cases.
type CaseQuery struct {
	// Subjects are the subjects whose cases are candidates: the library
	// keeps no listing of all cases, the service chooses whom it asks
	// about (its own index, a search). A subject that is not registered
	// has no cases.
	Subjects []privacy.SubjectID
	// Purpose, if set, lists only cases of that purpose (rule R5); empty,
	// each case is judged under its own.
	Purpose privacy.Purpose
}

// ListedCase is a case in a listing, with the rule that lets the actor
// know of it.
type ListedCase struct {
	privacy.Case
	Rule privacy.RuleID
}

// ListCases lists the cases of q's subjects that a may know of, subject
// by subject in q's order and each subject's oldest first (rules R5, R7,
// O2, O4, O10, O11): the others are absent, not counted, not hinted at.
// The consent that lets an employer know of a consultation-hour visit or a
// periodic examination comes from the consent register (O10). The search
// and every case shown or left out are audited, in one step (N9).
func (s *Service) ListCases(ctx context.Context, a *Actor, q CaseQuery) ([]ListedCase, error) {
	const op = "dossierwacht: list cases"
	if err := s.checkActor(ctx, "list cases", a); err != nil {
		return nil, err
	}
	if q.Purpose != "" && !privacy.ValidID(string(q.Purpose)) {
		return nil, &privacy.Error{Op: op, Kind: privacy.ErrInvalid, Rule: privacy.R5, Path: "purpose", Msg: "malformed purpose"}
	}
	now := s.now()
	var cases []privacy.Case
	var held restrictions
	grants := map[privacy.SubjectID][]consent.Grant{}
	for i, subject := range q.Subjects {
		if !privacy.ValidID(string(subject)) {
			return nil, &privacy.Error{Op: op, Kind: privacy.ErrInvalid, Path: fmt.Sprintf("subjects[%d]", i), Msg: "malformed subject ID"}
		}
		// Rule O10: a subject that is not registered is answered after the
		// same reads as one that is (its restrictions, and for an employer
		// its grants), so that the work done does not tell an employer
		// which people the service knows — from a consultation-hour visit,
		// say.
		cs, err := s.dossiers.SubjectCases(ctx, subject)
		if err != nil && !errors.Is(err, privacy.ErrNotFound) {
			return nil, err
		}
		cases = append(cases, cs...)
		// GDPR art. 18: the restrictions standing on the subject's data.
		rc, err := s.restrictionsOf(ctx, subject, now)
		if err != nil {
			return nil, err
		}
		if rs, ok := rc.(restrictions); ok {
			held = append(held, rs...)
		}
		// Rule O10: the consent register is read for every subject an
		// employer lists, whether it has a consultation-hour or
		// periodic-examination case or not: the work done tells nothing.
		if a.Role == privacy.RoleEmployerContact {
			if grants[subject], err = s.registry.Grants(ctx, subject); err != nil {
				return nil, err
			}
		}
	}
	// Rule O11: an insurer covers the employers the coverage register
	// says it covers now, whatever employers the actor claims.
	p := a
	if a.Role == privacy.RoleInsurer {
		insurer := *a
		insurer.Employers = access.NewSet[privacy.PartyID]()
		read := map[privacy.PartyID]bool{}
		for _, c := range cases {
			employer := c.Contract.Party
			if read[employer] {
				continue
			}
			read[employer] = true
			covers, err := s.registry.EmployerCoverage(ctx, employer)
			if err != nil {
				return nil, err
			}
			for _, cv := range covers {
				if cv.Insurer == a.Party && cv.InForce(now) {
					insurer.Employers.Add(employer)
				}
			}
		}
		p = &insurer
	}
	decider := s.registry.Engine()
	checker := access.ConsentFunc(func(c privacy.Case, party privacy.PartyID) bool {
		return decider.Consents(consent.Query{Subject: c.Subject, Recipient: consent.Recipient{Party: party, Kind: privacy.PartyEmployer},
			Category: privacy.CategoryConsultation, Case: c.ID, At: now}, grants[c.Subject])
	})
	lr := access.ListRequest{Principal: p, Purpose: q.Purpose, Time: now, Consent: checker}
	if held != nil {
		lr.Restriction = held
	}
	shown, err := s.guard.List(ctx, lr, cases)
	if err != nil {
		return nil, err
	}
	out := make([]ListedCase, len(shown))
	for i := range shown {
		c := &shown[i]
		purpose := q.Purpose
		if purpose == "" {
			purpose = c.Purpose
		}
		// The rule that lets a know of the case: a pure decision, the
		// listing above audited it.
		d := s.engine.Visible(access.Request{Principal: p, Case: c, Purpose: purpose, Time: now,
			Consent: checker})
		out[i] = ListedCase{Case: *c, Rule: d.Rule}
	}
	return out, nil
}

// Decide answers whether a may now take action on category of case id
// (and, if field is set, on that one field), and names the rule that
// decides, without reading or changing any record: what a user interface
// asks before it offers a control, or a person asks to learn why
// something is withheld. It asks for the case's own purpose (R5) and takes
// O10's consent from the register, as [Service.View] does. A case a may
// not know of fails exactly as a missing one (O10). The question is
// audited as a search (N9), with the decision's outcome and rule.
func (s *Service) Decide(ctx context.Context, a *Actor, id privacy.CaseID, action privacy.Action, category privacy.Category,
	field privacy.Field) (access.Decision, error) {
	const v = verb("decide")
	if err := s.checkActor(ctx, v, a); err != nil {
		return access.Decision{}, err
	}
	c, err := s.visibleCase(ctx, v, a, id)
	if err != nil {
		return access.Decision{}, err
	}
	req := access.Request{Principal: a, Case: &c, Action: action, Category: category, Field: field,
		Purpose: c.Purpose, Time: s.now()}
	if err := req.Validate(); err != nil && !errors.Is(err, privacy.ErrForbidden) {
		return access.Decision{}, err
	}
	if err := s.picture(ctx, a, &c, &req); err != nil {
		return access.Decision{}, err
	}
	d := s.engine.Decide(req)
	e := s.event(a, privacy.EventSearch, c.Subject, c.ID, string(field), d.Rule, d.Allowed)
	e.Category, e.Purpose = category, c.Purpose
	return d, s.audit(ctx, e)
}

// ownSource is the source of what a writes when a is a party outside the
// service (rules R2, G1): the employer contact's own employer, the subject
// themself, the insurer. The service's staff name the source they record
// from (a letter of the UWV, an expert's report), so ok is false for them.
func ownSource(a *Actor) (src privacy.Source, ok bool) {
	switch a.Role {
	case privacy.RoleEmployerContact:
		return privacy.Source{Kind: privacy.PartyEmployer, Party: a.Party}, true
	case privacy.RoleInsurer:
		return privacy.Source{Kind: privacy.PartyInsurer, Party: a.Party}, true
	case privacy.RoleSubject:
		return privacy.Source{Kind: privacy.PartySubject}, true
	}
	return privacy.Source{}, false
}
