package memstore

import (
	"cmp"
	"context"
	"slices"
	"time"

	"github.com/dossierwacht/dossierwacht/privacy"
	"github.com/dossierwacht/dossierwacht/retention"
)

// retentionData is package retention's data: legal holds, granted erasure
// requests and proofs of deletion. Its maps are made on the first write.
type retentionData struct {
	holds           map[retention.HoldID]retention.Hold
	subjectHolds    map[privacy.SubjectID][]retention.HoldID
	erasures        map[retention.ErasureID]retention.Erasure
	subjectErasures map[privacy.SubjectID][]retention.ErasureID
	proofs          map[privacy.RecordID]retention.Proof
	subjectProofs   map[privacy.SubjectID][]privacy.RecordID
	// The proofs of deleted objects besides records (objects.go).
	objectProofs        map[objectKey]retention.ObjectProof
	subjectObjectProofs map[privacy.SubjectID][]objectKey
}

func (d *retentionData) init() {
	if d.holds != nil {
		return
	}
	d.holds = map[retention.HoldID]retention.Hold{}
	d.subjectHolds = map[privacy.SubjectID][]retention.HoldID{}
	d.erasures = map[retention.ErasureID]retention.Erasure{}
	d.subjectErasures = map[privacy.SubjectID][]retention.ErasureID{}
	d.proofs = map[privacy.RecordID]retention.Proof{}
	d.subjectProofs = map[privacy.SubjectID][]privacy.RecordID{}
	d.objectProofs = map[objectKey]retention.ObjectProof{}
	d.subjectObjectProofs = map[privacy.SubjectID][]objectKey{}
}

var _ retention.Store = (*Store)(nil)

// PlaceHold implements [retention.Store].
func (s *Store) PlaceHold(ctx context.Context, h retention.Hold, e privacy.Event) error {
	const op = "place hold"
	if err := ctxErr(ctx, op); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.retention.holds[h.ID]; ok {
		return exists(op)
	}
	if _, ok := s.subjects[h.Subject]; !ok {
		return notFound(op)
	}
	// Rule G3: a hold is not placed behind a deletion or a change in its
	// scope (as a case is not closed behind its records, R4): a sweep or
	// a change that took its time after the hold's, and was stored first,
	// would otherwise leave a record or a proof dated under the standing
	// hold.
	for _, rid := range s.retention.subjectProofs[h.Subject] {
		if p := s.retention.proofs[rid]; h.Covers(p.Case, p.Record) && p.Deleted.After(h.Placed) {
			return &privacy.Error{Op: "memstore: " + op, Kind: privacy.ErrConflict, Rule: privacy.G3,
				Msg: "a record in the hold's scope was deleted after its time"}
		}
	}
	for _, cid := range s.subjectCases[h.Subject] {
		for i := range s.files {
			for _, rid := range s.files[i].caseRecords[cid] {
				if r := s.files[i].records[rid]; h.Covers(cid, rid) && (r.Created.After(h.Placed) || r.Updated.After(h.Placed)) {
					return &privacy.Error{Op: "memstore: " + op, Kind: privacy.ErrConflict, Rule: privacy.G3,
						Msg: "a record in the hold's scope was changed after its time"}
				}
			}
		}
	}
	if err := s.write(op); err != nil {
		return err
	}
	events := []privacy.Event{e}
	if err := s.stageEvents(op, events); err != nil {
		return err
	}
	s.retention.init()
	s.retention.holds[h.ID] = h.Clone()
	s.retention.subjectHolds[h.Subject] = append(s.retention.subjectHolds[h.Subject], h.ID)
	s.applyEvents(events)
	return nil
}

// LiftHold implements [retention.Store].
func (s *Store) LiftHold(ctx context.Context, id retention.HoldID, by privacy.PrincipalID, at time.Time, reason string, e privacy.Event) error {
	const op = "lift hold"
	if err := ctxErr(ctx, op); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	h, ok := s.retention.holds[id]
	if !ok {
		return notFound(op)
	}
	if !h.Lifted.IsZero() {
		return &privacy.Error{Op: "memstore: " + op, Kind: privacy.ErrConflict, Rule: privacy.G3, Msg: "lifted already"}
	}
	if err := s.write(op); err != nil {
		return err
	}
	events := []privacy.Event{e}
	if err := s.stageEvents(op, events); err != nil {
		return err
	}
	h.LiftedBy, h.Lifted, h.LiftReason = by, at, reason
	s.retention.holds[id] = h
	s.applyEvents(events)
	return nil
}

// Hold implements [retention.Store].
func (s *Store) Hold(ctx context.Context, id retention.HoldID) (retention.Hold, error) {
	if err := ctxErr(ctx, "hold"); err != nil {
		return retention.Hold{}, err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	h, ok := s.retention.holds[id]
	if !ok {
		return retention.Hold{}, notFound("hold")
	}
	return h.Clone(), nil
}

// AddErasure implements [retention.Store].
func (s *Store) AddErasure(ctx context.Context, r retention.Erasure, e privacy.Event) error {
	const op = "add erasure"
	if err := ctxErr(ctx, op); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.retention.erasures[r.ID]; ok {
		return exists(op)
	}
	if _, ok := s.subjects[r.Subject]; !ok {
		return notFound(op)
	}
	if err := s.write(op); err != nil {
		return err
	}
	events := []privacy.Event{e}
	if err := s.stageEvents(op, events); err != nil {
		return err
	}
	s.retention.init()
	s.retention.erasures[r.ID] = r.Clone()
	s.retention.subjectErasures[r.Subject] = append(s.retention.subjectErasures[r.Subject], r.ID)
	s.applyEvents(events)
	return nil
}

// Dossier implements [retention.Store].
func (s *Store) Dossier(ctx context.Context, id privacy.SubjectID) (retention.Dossier, error) {
	if err := ctxErr(ctx, "dossier"); err != nil {
		return retention.Dossier{}, err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	if _, ok := s.subjects[id]; !ok {
		return retention.Dossier{}, notFound("dossier")
	}
	return s.dossier(id), nil
}

// dossier builds a subject's dossier; the read lock is held.
func (s *Store) dossier(id privacy.SubjectID) retention.Dossier {
	d := retention.Dossier{Subject: s.subjects[id]}
	cids := s.subjectCases[id]
	d.Cases = make([]retention.CaseFile, 0, len(cids))
	for _, cid := range cids {
		cf := retention.CaseFile{Case: s.cases[cid], Active: s.active[cid]}
		n := len(s.files[ordinary].caseRecords[cid]) + len(s.files[medical].caseRecords[cid])
		cf.Records = make([]retention.Entry, 0, n)
		for i := range s.files {
			f := &s.files[i]
			for _, rid := range f.caseRecords[cid] {
				r := f.records[rid]
				cf.Records = append(cf.Records, retention.Entry{ID: r.ID, Category: r.Category, Medical: i == medical,
					Created: r.Created, Updated: r.Updated})
			}
		}
		slices.SortFunc(cf.Records, func(a, b retention.Entry) int {
			return cmp.Or(a.Created.Compare(b.Created), cmp.Compare(a.ID, b.ID))
		})
		d.Cases = append(d.Cases, cf)
	}
	slices.SortFunc(d.Cases, func(a, b retention.CaseFile) int {
		return cmp.Or(a.Case.Opened.Compare(b.Case.Opened), cmp.Compare(a.Case.ID, b.Case.ID))
	})
	for _, hid := range s.retention.subjectHolds[id] {
		d.Holds = append(d.Holds, s.retention.holds[hid].Clone())
	}
	for _, eid := range s.retention.subjectErasures[id] {
		d.Erasures = append(d.Erasures, s.retention.erasures[eid].Clone())
	}
	return d
}

// matches reports whether the subject id matches q; the read lock is held.
// lastActivity is retention.CaseFile.LastActivity of case c: the store
// keeps the last record write of each case (touch), never before its
// opening.
func (s *Store) lastActivity(c privacy.Case) time.Time {
	if a := s.active[c.ID]; a.After(c.Opened) {
		return a
	}
	return c.Opened
}

func (s *Store) matches(id privacy.SubjectID, q *retention.Query) bool {
	sub := s.subjects[id]
	if !q.SubjectCreatedBefore.IsZero() && sub.Created.Before(q.SubjectCreatedBefore) {
		return true
	}
	if !q.EmploymentEndedBefore.IsZero() && !sub.EmploymentEnded.IsZero() && sub.EmploymentEnded.Before(q.EmploymentEndedBefore) {
		return true
	}
	if !q.ErasedBefore.IsZero() {
		for _, eid := range s.retention.subjectErasures[id] {
			if s.retention.erasures[eid].Decided.Before(q.ErasedBefore) {
				return true
			}
		}
	}
	for _, cid := range s.subjectCases[id] {
		c := s.cases[cid]
		if !q.ClosedBefore.IsZero() && !c.Closed.IsZero() && c.Closed.Before(q.ClosedBefore) {
			return true
		}
		// Rules R9, O12: a case left open ends at its last activity
		// (retention.CaseEnded), no later than the latest of its opening,
		// its kept activity and its records' changes.
		if !q.ClosedBefore.IsZero() && c.IsOpen() && s.lastActivity(c).Before(q.ClosedBefore) {
			return true
		}
		if !q.CreatedBefore.IsZero() {
			for i := range s.files {
				f := &s.files[i]
				for _, rid := range f.caseRecords[cid] {
					if f.records[rid].Created.Before(q.CreatedBefore) {
						return true
					}
				}
			}
		}
	}
	return false
}

// Candidates implements [retention.Store]. It answers exactly (no extra
// subjects), scanning every subject on each call: a page costs time in
// proportion to the number of subjects.
func (s *Store) Candidates(ctx context.Context, q retention.Query) ([]retention.Dossier, error) {
	const op = "candidates"
	if err := ctxErr(ctx, op); err != nil {
		return nil, err
	}
	if q.Limit <= 0 {
		return nil, &privacy.Error{Op: "memstore: " + op, Kind: privacy.ErrInvalid, Path: "limit", Msg: "want a positive limit"}
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	var ids []privacy.SubjectID
	for id := range s.subjects {
		if id > q.After && s.matches(id, &q) {
			ids = append(ids, id)
		}
	}
	slices.Sort(ids)
	if len(ids) > q.Limit {
		ids = ids[:q.Limit]
	}
	out := make([]retention.Dossier, len(ids))
	for i, id := range ids {
		out[i] = s.dossier(id)
	}
	return out, nil
}

// EraseRecord implements [retention.Store]: the record, its proof and its
// audit event in one step under the write lock, after checking for a proof
// and for standing holds (rule G3).
func (s *Store) EraseRecord(ctx context.Context, p retention.Proof, e privacy.Event) error {
	const op = "erase record"
	if err := ctxErr(ctx, op); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.checkErase(op, &p); err != nil {
		return err
	}
	// Stage: the deletion, the proof, the event; then apply.
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
	s.applyErase(&p)
	s.applyEvents(events)
	return nil
}

// checkErase checks that the record of p may be deleted with p as its
// proof, as [Store.EraseRecord] documents; the write lock is held.
func (s *Store) checkErase(op string, p *retention.Proof) error {
	if _, ok := s.retention.proofs[p.Record]; ok {
		return exists(op)
	}
	r, ok := s.files[fileOf(p)].records[p.Record]
	if !ok {
		return notFound(op)
	}
	if r.Case != p.Case || r.Subject != p.Subject || !r.Updated.Equal(p.Updated) {
		return &privacy.Error{Op: "memstore: " + op, Kind: privacy.ErrConflict, Msg: "the record is not the version scheduled"}
	}
	if s.recordHeld(p.Subject, r.Case, r.ID) {
		// Rule G3: a held record is never deleted.
		return held(op, "a legal hold keeps the record")
	}
	return nil
}

func fileOf(p *retention.Proof) int {
	if p.Medical {
		return medical
	}
	return ordinary
}

// applyErase deletes the record of p and stores p; checkErase and the
// staging have passed.
func (s *Store) applyErase(p *retention.Proof) {
	f := &s.files[fileOf(p)]
	c := f.records[p.Record].Case
	delete(f.records, p.Record)
	f.caseRecords[c] = slices.DeleteFunc(f.caseRecords[c], func(x privacy.RecordID) bool { return x == p.Record })
	s.retention.init()
	s.retention.proofs[p.Record] = p.Clone()
	s.retention.subjectProofs[p.Subject] = append(s.retention.subjectProofs[p.Subject], p.Record)
}

// Proof implements [retention.Store].
func (s *Store) Proof(ctx context.Context, id privacy.RecordID) (retention.Proof, error) {
	if err := ctxErr(ctx, "proof"); err != nil {
		return retention.Proof{}, err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	p, ok := s.retention.proofs[id]
	if !ok {
		return retention.Proof{}, notFound("proof")
	}
	return p.Clone(), nil
}

// Proofs implements [retention.Store].
func (s *Store) Proofs(ctx context.Context, subject privacy.SubjectID) ([]retention.Proof, error) {
	if err := ctxErr(ctx, "proofs"); err != nil {
		return nil, err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	ids := s.retention.subjectProofs[subject]
	out := make([]retention.Proof, len(ids))
	for i, id := range ids {
		out[i] = s.retention.proofs[id].Clone()
	}
	return out, nil
}

// The direct deletions of privacy.Store (DeleteRecord, DeleteMedicalRecord,
// DeleteCase, DeleteSubject) ask these under the write lock, the lock
// PlaceHold takes: a hold is either placed before a deletion, which then
// sees it, or after it (rule G3).

// held is the refusal of a deletion that a standing hold forbids.
func held(op, msg string) error {
	return &privacy.Error{Op: "memstore: " + op, Kind: privacy.ErrForbidden, Rule: privacy.G3, Msg: msg}
}

// standing calls f on each standing hold of subject id until f returns
// true, and reports whether one did; the lock is held.
func (s *Store) standing(id privacy.SubjectID, f func(h *retention.Hold) bool) bool {
	for _, hid := range s.retention.subjectHolds[id] {
		h := s.retention.holds[hid]
		if h.Lifted.IsZero() && f(&h) {
			return true
		}
	}
	return false
}

// subjectHeld reports whether a standing hold keeps any of subject id's
// data.
func (s *Store) subjectHeld(id privacy.SubjectID) bool {
	return s.standing(id, func(*retention.Hold) bool { return true })
}

// recordHeld reports whether a standing hold covers record id of case c
// of subject sub.
func (s *Store) recordHeld(sub privacy.SubjectID, c privacy.CaseID, id privacy.RecordID) bool {
	return s.standing(sub, func(h *retention.Hold) bool { return h.Covers(c, id) })
}

// caseHeld reports whether a standing hold covers case c: the whole
// subject, the case (whichever of its records the hold names), or one of
// its records in either file.
func (s *Store) caseHeld(c privacy.Case) bool {
	return s.standing(c.Subject, func(h *retention.Hold) bool {
		whole, records := h.KeepsCase(c.ID)
		if whole {
			return true
		}
		for _, id := range records {
			for i := range s.files {
				if r, ok := s.files[i].records[id]; ok && r.Case == c.ID {
					return true
				}
			}
		}
		return false
	})
}
