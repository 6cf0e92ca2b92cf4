package memstore

import (
	"context"
	"slices"
	"time"

	"github.com/dossierwacht/dossierwacht/consent"
	"github.com/dossierwacht/dossierwacht/privacy"
	"github.com/dossierwacht/dossierwacht/retention"
	"github.com/dossierwacht/dossierwacht/rights"
)

var _ retention.ObjectStore = (*Store)(nil)

// objectKey names a deleted object: its kind and ID.
type objectKey struct {
	kind privacy.DataKind
	id   string
}

// Objects implements [retention.ObjectStore]: the subject's grants,
// requests and disclosure-log entries.
func (s *Store) Objects(ctx context.Context, subject privacy.SubjectID) ([]retention.Object, error) {
	if err := ctxErr(ctx, "objects"); err != nil {
		return nil, err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.objectsLocked(subject), nil
}

var _ retention.ObjectPageStore = (*Store)(nil)

// ObjectsOf implements [retention.ObjectPageStore]: what Objects returns
// for each subject, all read under one lock, so that a sweep's page of
// subjects sees one state of the store (rules R9, O12).
func (s *Store) ObjectsOf(ctx context.Context, subjects []privacy.SubjectID) (map[privacy.SubjectID][]retention.Object, error) {
	if err := ctxErr(ctx, "objects of"); err != nil {
		return nil, err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	out := make(map[privacy.SubjectID][]retention.Object, len(subjects))
	for _, id := range subjects {
		if objs := s.objectsLocked(id); len(objs) > 0 {
			out[id] = objs
		}
	}
	return out, nil
}

// objectsLocked is Objects under s.mu, read-locked at least.
func (s *Store) objectsLocked(subject privacy.SubjectID) []retention.Object {
	var out []retention.Object
	c := &s.consents
	for _, id := range c.subjectDisclosures[subject] {
		d := c.disclosures[id]
		o := retention.Object{Kind: privacy.DataDisclosure, ID: string(d.ID), Subject: d.Subject, Case: d.Case, Ended: d.At}
		for _, it := range d.Items {
			switch {
			case it.Record != "" && !slices.Contains(o.Records, it.Record):
				o.Records = append(o.Records, it.Record)
			case it.Record == "" && !slices.Contains(o.Categories, it.Category):
				// Rule G4: a whole category handed over.
				o.Categories = append(o.Categories, it.Category)
			}
		}
		for _, g := range d.Grants {
			o.RestsOn = append(o.RestsOn, string(g))
		}
		out = append(out, o)
	}
	for _, id := range c.subjectGrants[subject] {
		out = append(out, grantObject(c.grants[id]))
	}
	for _, id := range s.rights.bySubject[subject] {
		out = append(out, requestObject(s.rights.requests[id]))
	}
	return out
}

var _ retention.OrphanStore = (*Store)(nil)

// Orphans implements [retention.OrphanStore]: the subjects without a row
// that have a grant, a request or a disclosure-log entry (rules R9, O12).
func (s *Store) Orphans(ctx context.Context, after privacy.SubjectID, limit int) ([]privacy.SubjectID, error) {
	const op = "orphans"
	if err := ctxErr(ctx, op); err != nil {
		return nil, err
	}
	if limit <= 0 {
		return nil, &privacy.Error{Op: "memstore: " + op, Kind: privacy.ErrInvalid, Path: "limit", Msg: "want a positive limit"}
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	seen := map[privacy.SubjectID]bool{}
	var out []privacy.SubjectID
	add := func(id privacy.SubjectID, n int) {
		if _, ok := s.subjects[id]; !ok && n > 0 && id > after && !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	for id, rs := range s.rights.bySubject {
		add(id, len(rs))
	}
	for id, gs := range s.consents.subjectGrants {
		add(id, len(gs))
	}
	for id, ds := range s.consents.subjectDisclosures {
		add(id, len(ds))
	}
	slices.Sort(out)
	if len(out) > limit {
		out = out[:limit]
	}
	return out, nil
}

// grantObject is g as a sweep sees it: it ends when it is revoked or runs
// out, whichever comes first.
func grantObject(g consent.Grant) retention.Object {
	end := g.Revoked
	if !g.Until.IsZero() && (end.IsZero() || g.Until.Before(end)) {
		end = g.Until
	}
	return retention.Object{Kind: privacy.DataGrant, ID: string(g.ID), Subject: g.Subject, Case: g.Case, Ended: end}
}

// requestObject is r as a sweep sees it: it ends with its final step, or,
// never closed, with its deadline ([rights.Request.Ended]).
func requestObject(r rights.Request) retention.Object {
	return retention.Object{Kind: privacy.DataRequest, ID: string(r.ID), Subject: r.Subject, Ended: r.Ended()}
}

// ObjectProofs implements [retention.ObjectStore].
func (s *Store) ObjectProofs(ctx context.Context, subject privacy.SubjectID) ([]retention.ObjectProof, error) {
	if err := ctxErr(ctx, "object proofs"); err != nil {
		return nil, err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	var out []retention.ObjectProof
	for _, k := range s.retention.subjectObjectProofs[subject] {
		out = append(out, s.retention.objectProofs[k])
	}
	return out, nil
}

// EraseObject implements [retention.ObjectStore]: the object, its proof
// and its audit event in one step under the write lock, after checking
// for a proof, for what the object outlives and for standing holds (rule
// G3).
func (s *Store) EraseObject(ctx context.Context, p retention.ObjectProof, e privacy.Event) error {
	const op = "erase object"
	if err := ctxErr(ctx, op); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	key := objectKey{p.Kind, p.ID}
	if _, ok := s.retention.objectProofs[key]; ok {
		return exists(op)
	}
	apply, err := s.stageObjectErase(op, &p)
	if err != nil {
		return err
	}
	if err := s.write(op); err != nil {
		return err
	}
	if err := s.write(op); err != nil {
		return err
	}
	events := []privacy.Event{e}
	if err := s.stageEvents(op, events); err != nil {
		return err
	}
	apply()
	s.retention.init()
	s.retention.objectProofs[key] = p
	s.retention.subjectObjectProofs[p.Subject] = append(s.retention.subjectObjectProofs[p.Subject], key)
	s.applyEvents(events)
	return nil
}

// stageObjectErase checks that the object of p may be deleted, as
// [retention.ObjectStore] documents, and returns the deletion; the write
// lock is held.
func (s *Store) stageObjectErase(op string, p *retention.ObjectProof) (func(), error) {
	conflict := func(msg string) error {
		return &privacy.Error{Op: "memstore: " + op, Kind: privacy.ErrConflict, Msg: msg}
	}
	changed := func(t time.Time) error {
		if !t.Equal(p.Ended) {
			return conflict("changed since it was scheduled")
		}
		return nil
	}
	// Rule G3: a hold of the subject's whole data keeps every object of
	// it; a hold of a case that case and its objects.
	heldFor := func(c privacy.CaseID) bool {
		return s.standing(p.Subject, func(h *retention.Hold) bool { return h.HoldsSubject() || (c != "" && h.Case == c) })
	}
	if p.Kind != privacy.DataHold && p.Kind != privacy.DataCase && p.Kind != privacy.DataSubject && heldFor(p.Case) {
		return nil, held(op, "a legal hold keeps it")
	}
	// Rule G3: the case the object has counts too, not only the one the
	// proof names: a proof that left the case out, or named another,
	// erased the object of a held case.
	objectHeld := func(c privacy.CaseID) error {
		if heldFor(c) {
			return held(op, "a legal hold keeps it")
		}
		return nil
	}
	c := &s.consents
	switch p.Kind {
	case privacy.DataDisclosure:
		d, ok := c.disclosures[consent.DisclosureID(p.ID)]
		if !ok || d.Subject != p.Subject {
			return nil, notFound(op)
		}
		if err := objectHeld(d.Case); err != nil {
			return nil, err
		}
		if err := changed(d.At); err != nil {
			return nil, err
		}
		return func() {
			delete(c.disclosures, d.ID)
			c.subjectDisclosures[d.Subject] = remove(c.subjectDisclosures[d.Subject], d.ID)
			if d.Coverage != "" {
				c.coverageDisclosures[d.Coverage] = remove(c.coverageDisclosures[d.Coverage], d.ID)
			}
		}, nil
	case privacy.DataGrant:
		g, ok := c.grants[consent.GrantID(p.ID)]
		if !ok || g.Subject != p.Subject {
			return nil, notFound(op)
		}
		if err := objectHeld(g.Case); err != nil {
			return nil, err
		}
		if err := changed(grantObject(g).Ended); err != nil {
			return nil, err
		}
		return func() {
			delete(c.grants, g.ID)
			c.subjectGrants[g.Subject] = remove(c.subjectGrants[g.Subject], g.ID)
		}, nil
	case privacy.DataRequest:
		r, ok := s.rights.requests[rights.RequestID(p.ID)]
		if !ok || r.Subject != p.Subject {
			return nil, notFound(op)
		}
		if err := changed(requestObject(r).Ended); err != nil {
			return nil, err
		}
		return func() {
			delete(s.rights.requests, r.ID)
			s.rights.bySubject[r.Subject] = remove(s.rights.bySubject[r.Subject], r.ID)
		}, nil
	case privacy.DataErasure:
		x, ok := s.retention.erasures[retention.ErasureID(p.ID)]
		if !ok || x.Subject != p.Subject {
			return nil, notFound(op)
		}
		if err := objectHeld(x.Case); err != nil {
			return nil, err
		}
		if err := changed(x.Decided); err != nil {
			return nil, err
		}
		return func() {
			delete(s.retention.erasures, x.ID)
			s.retention.subjectErasures[x.Subject] = remove(s.retention.subjectErasures[x.Subject], x.ID)
		}, nil
	case privacy.DataHold:
		h, ok := s.retention.holds[retention.HoldID(p.ID)]
		if !ok || h.Subject != p.Subject {
			return nil, notFound(op)
		}
		if h.Lifted.IsZero() {
			// Rule G3: a standing hold is kept with what it keeps.
			return nil, held(op, "the hold stands")
		}
		// Rule G3: a lifted hold is an object of its case like any other:
		// a standing hold of the case or the subject keeps it, as
		// retention.Engine.ScheduleObjects keeps it.
		if err := objectHeld(h.Case); err != nil {
			return nil, err
		}
		if err := objectHeld(p.Case); err != nil {
			return nil, err
		}
		if err := changed(h.Lifted); err != nil {
			return nil, err
		}
		return func() {
			delete(s.retention.holds, h.ID)
			s.retention.subjectHolds[h.Subject] = remove(s.retention.subjectHolds[h.Subject], h.ID)
		}, nil
	case privacy.DataCase:
		cs, ok := s.cases[privacy.CaseID(p.ID)]
		if !ok || cs.Subject != p.Subject {
			return nil, notFound(op)
		}
		if s.caseHeld(cs) || heldFor(cs.ID) {
			return nil, held(op, "a legal hold keeps the case")
		}
		// Rules R9, O12, N7: the day the case's period ran from, as the
		// sweep scheduled it (a case left open: its last activity, which
		// the store keeps past its records; an absence case: the end of
		// the employment if that came first).
		if err := changed(retention.CaseEnded(cs, s.subjects[cs.Subject].EmploymentEnded, s.active[cs.ID])); err != nil {
			return nil, err
		}
		if len(s.files[ordinary].caseRecords[cs.ID]) > 0 || len(s.files[medical].caseRecords[cs.ID]) > 0 {
			return nil, conflict("the case still has records")
		}
		if err := s.stageCaseDelete(op, cs.ID); err != nil {
			return nil, err
		}
		return func() {
			s.applyCaseDelete(cs.ID)
			s.subjectCases[cs.Subject] = remove(s.subjectCases[cs.Subject], cs.ID)
		}, nil
	case privacy.DataSubject:
		sub, ok := s.subjects[privacy.SubjectID(p.ID)]
		if !ok || sub.ID != p.Subject {
			return nil, notFound(op)
		}
		if s.subjectHeld(sub.ID) {
			return nil, held(op, "a legal hold keeps the subject")
		}
		if err := changed(sub.EmploymentEnded); err != nil {
			return nil, err
		}
		if len(s.subjectCases[sub.ID]) > 0 || len(s.retention.subjectHolds[sub.ID]) > 0 || len(s.retention.subjectErasures[sub.ID]) > 0 ||
			len(c.subjectGrants[sub.ID]) > 0 || len(c.subjectDisclosures[sub.ID]) > 0 || len(s.rights.bySubject[sub.ID]) > 0 {
			return nil, conflict("the subject still has other data")
		}
		return func() {
			delete(s.subjects, sub.ID)
			delete(s.subjectCases, sub.ID)
			delete(s.retention.subjectHolds, sub.ID)
			delete(s.retention.subjectErasures, sub.ID)
			delete(c.subjectGrants, sub.ID)
			delete(c.subjectDisclosures, sub.ID)
			delete(s.rights.bySubject, sub.ID)
			s.forgetInGroups(sub.ID)
		}, nil
	}
	return nil, &privacy.Error{Op: "memstore: " + op, Kind: privacy.ErrInvalid, Path: "kind", Msg: "unknown kind of data"}
}

// remove returns ids without id, in a new slice.
func remove[T comparable](ids []T, id T) []T {
	return slices.DeleteFunc(slices.Clone(ids), func(x T) bool { return x == id })
}
