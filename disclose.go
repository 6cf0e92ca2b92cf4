package dossierwacht

import (
	"context"
	"errors"
	"iter"
	"slices"

	"github.com/dossierwacht/dossierwacht/access"
	"github.com/dossierwacht/dossierwacht/consent"
	"github.com/dossierwacht/dossierwacht/privacy"
	"github.com/dossierwacht/dossierwacht/retention"
)

// GrantConsent records a consent the subject gave (rules R6, O14, O6,
// O10), as of now; g.Given says when the subject signed or gave it and may
// lie before now, never after. The subject records their own consent, or
// the service's staff record it for them; anyone else is refused.
func (s *Service) GrantConsent(ctx context.Context, a *Actor, g consent.Grant) (consent.Grant, error) {
	if err := s.checkActor(ctx, verbConsent, a); err != nil {
		return consent.Grant{}, err
	}
	now := s.now()
	e := s.event(a, privacy.EventCreate, g.Subject, g.Case, string(g.ID), privacy.O14, false)
	if !mayRecordConsent(a, g.Subject) {
		return consent.Grant{}, s.refuse(ctx, e, forbidden(verbConsent, roleRule(a.Role), "consent is recorded by the subject or the service's staff"))
	}
	if g.Given.IsZero() {
		g.Given = now
	}
	if g.Given.After(now) {
		return consent.Grant{}, &privacy.Error{Op: "dossierwacht: " + string(verbConsent), Kind: privacy.ErrInvalid, Path: "given",
			Msg: "consent is recorded once given, not before"}
	}
	added, err := s.registry.AddGrant(ctx, a, g, now)
	return added, s.clashed(ctx, e, err)
}

// RevokeConsent withdraws a grant as of now (rules R6, O14): no disclosure
// from now on rests on it, and the log of earlier disclosures stays as it
// was. The subject withdraws their own consent, or the service's staff
// record the withdrawal for them. A grant of another subject is not found.
func (s *Service) RevokeConsent(ctx context.Context, a *Actor, id consent.GrantID) (consent.Grant, error) {
	if err := s.checkActor(ctx, verbConsent, a); err != nil {
		return consent.Grant{}, err
	}
	e := s.event(a, privacy.EventUpdate, "", "", string(id), privacy.O14, false)
	if a.Role != privacy.RoleSubject && !mayRecordConsent(a, "") {
		// Decided before the grant is looked up: the answer tells nothing
		// of whether it exists.
		return consent.Grant{}, s.refuse(ctx, e, forbidden(verbConsent, roleRule(a.Role), "consent is withdrawn by the subject or the service's staff"))
	}
	g, err := s.registry.Grant(ctx, id)
	if err != nil && !errors.Is(err, privacy.ErrNotFound) {
		return consent.Grant{}, err
	}
	if err != nil || (a.Role == privacy.RoleSubject && g.Subject != a.Subject) {
		// A missing grant and another subject's are answered alike: not
		// theirs to withdraw, nor to know of; both refusals audited (N9).
		return consent.Grant{}, s.refuse(ctx, e, notFound("grant"))
	}
	e.Subject = g.Subject
	g, err = s.registry.Revoke(ctx, a, id, s.now())
	return g, s.clashed(ctx, e, err)
}

// mayRecordConsent reports whether a may record or withdraw subject's
// consent: the subject themself, or the service's staff who work with
// subjects (rules R6, O14: the consent must be the subject's own, never
// recorded by the party that would receive the data).
func mayRecordConsent(a *Actor, subject privacy.SubjectID) bool {
	switch a.Role {
	case privacy.RoleSubject:
		return a.Subject == subject
	case privacy.RoleCaseManager, privacy.RolePhysician, privacy.RoleSupportStaff:
		return true
	}
	return false
}

// Disclosed is an allowed disclosure: the decision (the rule, the basis it
// rests on, whether the subject gets the same text, N2) and what the
// recipient is to receive — exactly the records and fields decided, no
// more, so that the caller sends what the law allows and nothing it read
// elsewhere.
type Disclosed struct {
	consent.Decision
	// Records are the records disclosed: each record an item names, or
	// every record of the case in an item's category, with only the
	// item's fields.
	Records []access.RecordView
}

// Disclose decides and logs a disclosure of data of one case to a party
// outside the service (rules R6, O14, O6, N2, N5, N10, O11, N3, O9), as
// of now and by a. req.By and req.At are set here; whatever the caller put
// in them is ignored. The consent register decides it with the case and
// with a's own access (package consent): a may disclose only what it may
// read itself of a case it may know of (R7, R8, O4, O6, G8, N4, N6), and a
// case or record that is missing, hidden or another's fails with
// privacy.ErrNotFound, all alike. An allowed disclosure is logged in the
// same atomic step as its decision and returns what the recipient
// receives; a refused one is an error that names the rule, and is audited
// too (G7).
func (s *Service) Disclose(ctx context.Context, a *Actor, req consent.Request) (Disclosed, error) {
	if err := s.checkActor(ctx, "disclose", a); err != nil {
		return Disclosed{}, err
	}
	req.By, req.At = a, s.now()
	req.AccessPoint, req.Client = a.AccessPoint, a.Client
	if err := s.unrestricted(ctx, a, &req); err != nil {
		return Disclosed{}, err
	}
	dec, err := s.registry.Disclose(ctx, req)
	if err != nil {
		e := s.event(a, privacy.EventExecute, req.Subject, req.Case, string(req.ID), dec.Rule, false)
		return Disclosed{Decision: dec}, s.clashed(ctx, e, err)
	}
	out := Disclosed{Decision: dec}
	out.Records, err = s.package_(ctx, &req, dec.Rule)
	return out, err
}

// unrestricted refuses, audited and naming [privacy.RuleRestriction], a
// disclosure of data a restriction of processing keeps (GDPR art. 18(2):
// only storage): an item naming a restricted record, or an item of a
// category of which a record of the case is restricted, or any item of a
// case restricted as a whole. A case that is missing or that a may not
// know of passes here: the register refuses it, as a missing one (O10).
func (s *Service) unrestricted(ctx context.Context, a *Actor, req *consent.Request) error {
	c, err := s.dossiers.Case(ctx, req.Case)
	if err != nil && !errors.Is(err, privacy.ErrNotFound) {
		return err
	}
	found := err == nil && c.Subject == req.Subject
	if !found {
		// The registers are read for a missing case (or another
		// subject's) as for a hidden one, so that the work done tells
		// them apart no better than the register's answer (O10).
		c = privacy.Case{ID: req.Case}
	}
	q := access.Request{Time: req.At, Purpose: c.Purpose}
	if err := s.picture(ctx, a, &c, &q); err != nil {
		return err
	}
	rs, _ := q.Restriction.(restrictions)
	if !found || rs == nil || !s.engine.Visible(q).Allowed {
		return nil
	}
	for _, it := range req.Items {
		hit := rs.Restricted(&c, it.Record)
		for i := 0; !hit && it.Record == "" && i < len(rs); i++ {
			for _, id := range rs[i].Records {
				r, err := s.lookup(ctx, id, it.Category)
				if err != nil && !errors.Is(err, privacy.ErrNotFound) {
					return err
				}
				if hit = err == nil && r.Case == c.ID && r.Category == it.Category; hit {
					break
				}
			}
		}
		if hit {
			e := s.event(a, privacy.EventExecute, c.Subject, c.ID, string(it.Record), privacy.RuleRestriction, false)
			e.Category, e.Purpose = it.Category, req.Purpose
			return s.refuse(ctx, e, forbidden("disclose", privacy.RuleRestriction,
				"a restriction of processing stands: the data is only stored"))
		}
	}
	return nil
}

// package_ gathers what an allowed disclosure hands over: the records its
// items name, or every record of the case in an item's category, each with
// only the item's fields. It reads the store directly, after the
// disclosure is decided and logged: the disclosure's own audit events,
// one per item, written in the log entry's atomic step, are the record of
// this access (N9, G7). A read audited apart could fail after the log
// entry stood, and leave a logged disclosure that handed nothing over
// (R6, G4: the subject's export and the notices of an erasure would name
// a recipient that received nothing).
func (s *Service) package_(ctx context.Context, req *consent.Request, rule privacy.RuleID) ([]access.RecordView, error) {
	var out []access.RecordView
	for _, it := range req.Items {
		var recs []privacy.Record
		switch {
		case it.Record != "":
			r, err := s.lookup(ctx, it.Record, it.Category)
			if err != nil {
				return nil, err
			}
			recs = []privacy.Record{r}
		case req.Case != "":
			seq := caseFile(ctx, s.store, req.Subject, req.Case, it.Category.Medical())
			for r, err := range seq {
				if err != nil {
					return nil, err
				}
				if r.Category == it.Category {
					recs = append(recs, r)
				}
			}
		}
		for _, r := range recs {
			v := access.RecordView{ID: r.ID, Category: r.Category, Author: r.Author, Source: r.Source,
				Created: r.Created, Updated: r.Updated, Rule: rule}
			info, _ := r.Category.Info()
			for _, f := range info.Fields {
				val, ok := r.Fields[f]
				if ok && (len(it.Fields) == 0 || slices.Contains(it.Fields, f)) {
					v.Fields = append(v.Fields, access.FieldValue{Field: f, Value: val})
				}
			}
			out = append(out, v)
		}
	}
	return out, nil
}

// recipients answers a sweep's question for rule G4: which parties the
// disclosure log says received the records it deletes.
type recipients struct{ s *Service }

// Recipients implements retention.Recipients from the schedules alone:
// the record's subject and category, never its content, which a store may
// fail to give back (a value that will not open) — and a sweep must delete
// what is due all the same (O12).
func (r recipients) Recipients(ctx context.Context, records []retention.Schedule) (map[privacy.RecordID][]retention.Recipient, error) {
	out := map[privacy.RecordID][]retention.Recipient{}
	for _, rec := range records {
		id := rec.Record
		notices, err := r.s.registry.Notify(ctx, rec.Subject, consent.Item{Category: rec.Category, Record: id})
		if err != nil {
			return nil, err
		}
		for _, n := range notices {
			out[id] = append(out[id], retention.Recipient{Party: n.Recipient.Party, Kind: n.Recipient.Kind})
		}
	}
	return out, nil
}

// RecordCoverage records, as of now, that an absence insurer covers an
// employer's absence risk from c.From (until c.Until, or open-ended): the
// coverage register (rule O11). Only an insurer in force for the case's
// employer receives the overview of a sick employee. The service's staff
// keep the register; anyone else is refused.
func (s *Service) RecordCoverage(ctx context.Context, a *Actor, c consent.Coverage) (consent.Coverage, error) {
	if err := s.checkActor(ctx, verbCoverage, a); err != nil {
		return consent.Coverage{}, err
	}
	e := s.event(a, privacy.EventCreate, "", "", string(c.ID), privacy.O11, false)
	if !caseStaff(a.Role) && a.Role != privacy.RoleSupportStaff && a.Role != privacy.RolePrivacyOfficer {
		return consent.Coverage{}, s.refuse(ctx, e, forbidden(verbCoverage, roleRule(a.Role), "the service's staff keep the coverage register"))
	}
	added, err := s.registry.AddCoverage(ctx, a, c, s.now())
	return added, s.clashed(ctx, e, err)
}

// EndCoverage ends a coverage as of now (rule O11): from now on the
// insurer receives no overview of that employer's sick employees.
func (s *Service) EndCoverage(ctx context.Context, a *Actor, id consent.CoverageID) (consent.Coverage, error) {
	if err := s.checkActor(ctx, verbCoverage, a); err != nil {
		return consent.Coverage{}, err
	}
	e := s.event(a, privacy.EventUpdate, "", "", string(id), privacy.O11, false)
	if !caseStaff(a.Role) && a.Role != privacy.RoleSupportStaff && a.Role != privacy.RolePrivacyOfficer {
		return consent.Coverage{}, s.refuse(ctx, e, forbidden(verbCoverage, roleRule(a.Role), "the service's staff keep the coverage register"))
	}
	c, err := s.registry.EndCoverage(ctx, a, id, s.now())
	return c, s.clashed(ctx, e, err)
}

// caseFile yields one file of case id's records: by subject and case when
// the store reads so (privacy.SubjectRecordStore; issue 14 §2, the hot
// query filters by the subject), else by case. The disclosure checked
// before that the case is the subject's.
func caseFile(ctx context.Context, store privacy.Store, subject privacy.SubjectID, id privacy.CaseID, medical bool) iter.Seq2[privacy.Record, error] {
	if ss, ok := store.(privacy.SubjectRecordStore); ok {
		if medical {
			return ss.SubjectCaseMedicalRecords(ctx, subject, id)
		}
		return ss.SubjectCaseRecords(ctx, subject, id)
	}
	if medical {
		return store.CaseMedicalRecords(ctx, id)
	}
	return store.CaseRecords(ctx, id)
}
