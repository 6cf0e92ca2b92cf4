// Package memstore is the in-memory reference adapter: one [Store] that
// implements every store interface of the library (privacy.Store with its
// separate medical file, and the stores of access, consent and retention as
// they are added). It uses the standard library only, backs every runnable
// example and passes every conformance kit, the way testing/fstest.MapFS
// stands beside fstest.TestFS.
//
// # Limits
//
// Everything lives in process memory and is gone when the process ends.
// One lock guards the whole store: reads run in parallel, writes one at a
// time. Values are copied in and out, so callers never share its state.
//
// # Fault injection
//
// [Store.FailAfter] makes a later write fail halfway, for the atomicity
// tests of the kits: the store shows that a failed operation leaves nothing
// half-written.
package memstore

import (
	"cmp"
	"context"
	"iter"
	"slices"
	"sync"
	"time"

	"github.com/dossierwacht/dossierwacht/privacy"
	"github.com/dossierwacht/dossierwacht/retention"
)

// Store is an in-memory store. The zero value is not usable; call [New].
type Store struct {
	mu sync.RWMutex

	subjects     map[privacy.SubjectID]privacy.Subject
	cases        map[privacy.CaseID]privacy.Case
	subjectCases map[privacy.SubjectID][]privacy.CaseID
	files        [2]file // 0: the ordinary file; 1: the medical file (O6)
	// active is the last record write of each case that had one
	// (retention.CaseFile.Active): it outlives the records, so that an
	// open case ends for retention at its last activity (R9, O12).
	active map[privacy.CaseID]time.Time

	// The other packages' data, each in a file of its own.
	audit     auditLog
	key       []byte                               // the audit chains' key (G7); nil: unkeyed
	anchors   map[privacy.SubjectID]privacy.Anchor // where pruned chains start (G7)
	retention retentionData
	access    accessData // audit index and group figures of package access

	rights rightsBook // package rights: the subjects' requests

	consents consentData // package consent: grants and the disclosure log

	// failAfter counts down the row writes until an injected failure;
	// negative means no failure is armed.
	failAfter int
}

// file is one compartment of records: the ordinary one or the medical one.
type file struct {
	records     map[privacy.RecordID]privacy.Record
	caseRecords map[privacy.CaseID][]privacy.RecordID // creation order
}

const (
	ordinary = 0
	medical  = 1
)

var _ privacy.Store = (*Store)(nil)

// NewKeyed returns an empty store that chains its audit events under key
// (HMAC-SHA256, rule G7): a copy of the store's data alone does not let
// anyone rewrite its trail unnoticed. The key is copied.
func NewKeyed(key []byte) *Store {
	s := New()
	s.key = slices.Clone(key)
	return s
}

// New returns an empty store.
func New() *Store {
	s := &Store{
		subjects:     map[privacy.SubjectID]privacy.Subject{},
		cases:        map[privacy.CaseID]privacy.Case{},
		subjectCases: map[privacy.SubjectID][]privacy.CaseID{},
		active:       map[privacy.CaseID]time.Time{},
		consents:     newConsentData(),
		failAfter:    -1,
	}
	s.rights.init()
	for i := range s.files {
		s.files[i] = file{records: map[privacy.RecordID]privacy.Record{}, caseRecords: map[privacy.CaseID][]privacy.RecordID{}}
	}
	return s
}

// FailAfter arms an injected failure: after n more row writes, the next
// one fails with [privacy.ErrUnavailable] and its whole operation is rolled
// back. The failure fires once. FailAfter(-1) disarms it.
func (s *Store) FailAfter(n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.failAfter = n
}

// write accounts for one row write of the operation op; it reports the
// injected failure when it is due. Callers hold the write lock and have not
// changed anything yet: every operation stages its writes, checks each
// one, and applies them only when all passed.
func (s *Store) write(op string) error {
	if s.failAfter < 0 {
		return nil
	}
	if s.failAfter == 0 {
		s.failAfter = -1
		return &privacy.Error{Op: op, Kind: privacy.ErrUnavailable, Msg: "injected failure"}
	}
	s.failAfter--
	return nil
}

func notFound(op string) error {
	return &privacy.Error{Op: "memstore: " + op, Kind: privacy.ErrNotFound}
}
func exists(op string) error { return &privacy.Error{Op: "memstore: " + op, Kind: privacy.ErrExists} }

// unaudited refuses a write that comes without its audit events (rules
// O1, G7): privacy.Store's writes are audited in their own atomic unit.
func unaudited(op string, events []privacy.Event) error {
	if len(events) == 0 {
		return &privacy.Error{Op: "memstore: " + op, Kind: privacy.ErrInvalid, Rule: privacy.G7, Msg: "a write needs its audit events"}
	}
	return nil
}

// begin checks ctx and events and takes the write lock; the caller
// unlocks.
func (s *Store) begin(ctx context.Context, op string, events []privacy.Event) error {
	if err := ctxErr(ctx, op); err != nil {
		return err
	}
	if err := unaudited(op, events); err != nil {
		return err
	}
	s.mu.Lock()
	return nil
}

func ctxErr(ctx context.Context, op string) error {
	if err := ctx.Err(); err != nil {
		return &privacy.Error{Op: "memstore: " + op, Kind: privacy.ErrUnavailable, Err: err}
	}
	return nil
}

// CreateSubject implements [privacy.Store]: the subject and its audit
// events land together.
func (s *Store) CreateSubject(ctx context.Context, sub privacy.Subject, events []privacy.Event) error {
	const op = "create subject"
	if err := s.begin(ctx, op, events); err != nil {
		return err
	}
	defer s.mu.Unlock()
	if _, ok := s.subjects[sub.ID]; ok {
		return exists(op)
	}
	if err := s.write(op); err != nil {
		return err
	}
	if err := s.stageEvents(op, events); err != nil {
		return err
	}
	s.subjects[sub.ID] = sub
	s.applyEvents(events)
	return nil
}

// Subject implements [privacy.Store].
func (s *Store) Subject(ctx context.Context, id privacy.SubjectID) (privacy.Subject, error) {
	if err := ctxErr(ctx, "subject"); err != nil {
		return privacy.Subject{}, err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	sub, ok := s.subjects[id]
	if !ok {
		return privacy.Subject{}, notFound("subject")
	}
	return sub, nil
}

// UpdateSubject implements [privacy.Store]. A subject whose whole data a
// standing legal hold keeps does not change (rule G3), except to record
// the end of employment.
func (s *Store) UpdateSubject(ctx context.Context, sub privacy.Subject, events []privacy.Event) error {
	const op = "update subject"
	if err := s.begin(ctx, op, events); err != nil {
		return err
	}
	defer s.mu.Unlock()
	old, ok := s.subjects[sub.ID]
	if !ok {
		return notFound(op)
	}
	// Rule G3: held data stays as it was. Checked under the write lock
	// that PlaceHold takes too.
	if retention.AltersSubject(old, sub) && s.standing(sub.ID, (*retention.Hold).HoldsSubject) {
		return held(op, "a legal hold keeps the subject's data")
	}
	if err := s.write(op); err != nil {
		return err
	}
	if err := s.stageEvents(op, events); err != nil {
		return err
	}
	s.subjects[sub.ID] = sub
	s.applyEvents(events)
	return nil
}

// DeleteSubject implements [privacy.Store]. A subject with a standing
// legal hold is not deleted (rule G3): see [Store.PlaceHold].
func (s *Store) DeleteSubject(ctx context.Context, id privacy.SubjectID, events []privacy.Event) error {
	const op = "delete subject"
	if err := s.begin(ctx, op, events); err != nil {
		return err
	}
	defer s.mu.Unlock()
	if _, ok := s.subjects[id]; !ok {
		return notFound(op)
	}
	// Rule G3: a held record is never deleted. Checked under the write
	// lock that PlaceHold takes too.
	if s.subjectHeld(id) {
		return held(op, "a legal hold keeps the subject's data")
	}
	// Stage: every row this deletes, then apply.
	for _, cid := range s.subjectCases[id] {
		if err := s.stageCaseDelete(op, cid); err != nil {
			return err
		}
	}
	if err := s.write(op); err != nil {
		return err
	}
	if err := s.stageEvents(op, events); err != nil {
		return err
	}
	for _, cid := range s.subjectCases[id] {
		s.applyCaseDelete(cid)
	}
	delete(s.subjectCases, id)
	delete(s.subjects, id)
	s.deleteSubjectObjects(id)
	s.forgetInGroups(id)
	s.applyEvents(events)
	return nil
}

// deleteSubjectObjects removes the rest of the subject id's data: its
// consent grants, disclosure-log entries, lifted holds and erasure
// requests (rules R9, O12: with no subject left they would be kept for
// ever). Its requests stay: an open one (the erasure request itself) is
// still to be answered, and a sweep reaches the requests of a subject
// without a row ([Store.Orphans]). Proofs of deletion outlive the subject.
// The write lock is held, and no hold of id stands.
func (s *Store) deleteSubjectObjects(id privacy.SubjectID) {
	c := &s.consents
	for _, g := range c.subjectGrants[id] {
		delete(c.grants, g)
	}
	delete(c.subjectGrants, id)
	for _, did := range c.subjectDisclosures[id] {
		if d := c.disclosures[did]; d.Coverage != "" {
			c.coverageDisclosures[d.Coverage] = remove(c.coverageDisclosures[d.Coverage], did)
		}
		delete(c.disclosures, did)
	}
	delete(c.subjectDisclosures, id)
	rd := &s.retention
	if rd.holds == nil {
		return
	}
	for _, h := range rd.subjectHolds[id] {
		delete(rd.holds, h)
	}
	delete(rd.subjectHolds, id)
	for _, e := range rd.subjectErasures[id] {
		delete(rd.erasures, e)
	}
	delete(rd.subjectErasures, id)
}

// CreateCase implements [privacy.Store].
func (s *Store) CreateCase(ctx context.Context, c privacy.Case, events []privacy.Event) error {
	const op = "create case"
	if err := s.begin(ctx, op, events); err != nil {
		return err
	}
	defer s.mu.Unlock()
	if _, ok := s.subjects[c.Subject]; !ok {
		return notFound(op)
	}
	if _, ok := s.cases[c.ID]; ok {
		return exists(op)
	}
	if err := s.write(op); err != nil {
		return err
	}
	if err := s.stageEvents(op, events); err != nil {
		return err
	}
	s.cases[c.ID] = c
	s.subjectCases[c.Subject] = append(s.subjectCases[c.Subject], c.ID)
	s.applyEvents(events)
	return nil
}

// Case implements [privacy.Store].
func (s *Store) Case(ctx context.Context, id privacy.CaseID) (privacy.Case, error) {
	if err := ctxErr(ctx, "case"); err != nil {
		return privacy.Case{}, err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	c, ok := s.cases[id]
	if !ok {
		return privacy.Case{}, notFound("case")
	}
	return c, nil
}

// UpdateCase implements [privacy.Store]. A case whose whole data a
// standing legal hold keeps does not change (rule G3), except to close.
func (s *Store) UpdateCase(ctx context.Context, c privacy.Case, events []privacy.Event) error {
	const op = "update case"
	if err := s.begin(ctx, op, events); err != nil {
		return err
	}
	defer s.mu.Unlock()
	old, ok := s.cases[c.ID]
	if !ok {
		return notFound(op)
	}
	if old.Subject != c.Subject {
		return &privacy.Error{Op: "memstore: " + op, Kind: privacy.ErrInvalid, Msg: "a case's subject does not change"}
	}
	// Rule G3: held data stays as it was. Checked under the write lock
	// that PlaceHold takes too.
	if retention.AltersCase(old, c) && s.standing(c.Subject, func(h *retention.Hold) bool { return h.HoldsCase(c.ID) }) {
		return held(op, "a legal hold keeps the case")
	}
	// Rule R4: a case closes after what it holds, not before.
	if old.IsOpen() && !c.IsOpen() && s.latest(c.ID).After(c.Closed) {
		return &privacy.Error{Op: "memstore: " + op, Kind: privacy.ErrConflict, Rule: privacy.R4,
			Msg: "the case holds records dated after the closing"}
	}
	if err := s.write(op); err != nil {
		return err
	}
	if err := s.stageEvents(op, events); err != nil {
		return err
	}
	s.cases[c.ID] = c
	s.applyEvents(events)
	return nil
}

// latest returns the latest time a record of case id, in either file, was
// created or changed; the lock is held.
func (s *Store) latest(id privacy.CaseID) time.Time {
	var t time.Time
	for i := range s.files {
		for _, rid := range s.files[i].caseRecords[id] {
			r := s.files[i].records[rid]
			for _, x := range [2]time.Time{r.Created, r.Updated} {
				if x.After(t) {
					t = x
				}
			}
		}
	}
	return t
}

// SubjectCases implements [privacy.Store].
func (s *Store) SubjectCases(ctx context.Context, id privacy.SubjectID) ([]privacy.Case, error) {
	if err := ctxErr(ctx, "subject cases"); err != nil {
		return nil, err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	if _, ok := s.subjects[id]; !ok {
		return nil, notFound("subject cases")
	}
	out := make([]privacy.Case, 0, len(s.subjectCases[id]))
	for _, cid := range s.subjectCases[id] {
		out = append(out, s.cases[cid])
	}
	slices.SortFunc(out, func(a, b privacy.Case) int {
		return cmp.Or(a.Opened.Compare(b.Opened), cmp.Compare(a.ID, b.ID))
	})
	return out, nil
}

// DeleteCase implements [privacy.Store]. A case that a standing legal hold
// covers, whole or in one of its records, is not deleted (rule G3).
func (s *Store) DeleteCase(ctx context.Context, id privacy.CaseID, events []privacy.Event) error {
	const op = "delete case"
	if err := s.begin(ctx, op, events); err != nil {
		return err
	}
	defer s.mu.Unlock()
	c, ok := s.cases[id]
	if !ok {
		return notFound(op)
	}
	// Rule G3: a held record is never deleted. Checked under the write
	// lock that PlaceHold takes too.
	if s.caseHeld(c) {
		return held(op, "a legal hold keeps the case")
	}
	if err := s.stageCaseDelete(op, id); err != nil {
		return err
	}
	if err := s.stageEvents(op, events); err != nil {
		return err
	}
	s.applyCaseDelete(id)
	s.subjectCases[c.Subject] = slices.DeleteFunc(s.subjectCases[c.Subject], func(x privacy.CaseID) bool { return x == id })
	s.applyEvents(events)
	return nil
}

// stageCaseDelete accounts for every row deleting case id writes.
func (s *Store) stageCaseDelete(op string, id privacy.CaseID) error {
	for i := range s.files {
		for range s.files[i].caseRecords[id] {
			if err := s.write(op); err != nil {
				return err
			}
		}
	}
	return s.write(op)
}

func (s *Store) applyCaseDelete(id privacy.CaseID) {
	for i := range s.files {
		f := &s.files[i]
		for _, rid := range f.caseRecords[id] {
			delete(f.records, rid)
		}
		delete(f.caseRecords, id)
	}
	delete(s.cases, id)
	delete(s.active, id)
}

// touch records a write of record r as its case's last activity.
func (s *Store) touch(r privacy.Record) {
	t := r.Created
	if r.Updated.After(t) {
		t = r.Updated
	}
	if t.After(s.active[r.Case]) {
		s.active[r.Case] = t
	}
}

// AddRecords implements [privacy.Store]. A closed case takes no records
// (rule R4): its state is read under the write lock that closing it
// takes too.
func (s *Store) AddRecords(ctx context.Context, rs []privacy.Record, events []privacy.Event) error {
	return s.addRecords(ctx, ordinary, "add records", rs, events)
}

// AddMedicalRecords implements [privacy.MedicalStore], as
// [Store.AddRecords] does.
func (s *Store) AddMedicalRecords(ctx context.Context, rs []privacy.Record, events []privacy.Event) error {
	return s.addRecords(ctx, medical, "add medical records", rs, events)
}

func (s *Store) addRecords(ctx context.Context, which int, op string, rs []privacy.Record, events []privacy.Event) error {
	if err := s.begin(ctx, op, events); err != nil {
		return err
	}
	defer s.mu.Unlock()
	f := &s.files[which]
	batch := make(map[privacy.RecordID]bool, len(rs))
	for _, r := range rs {
		c, ok := s.cases[r.Case]
		if !ok {
			return notFound(op)
		}
		if !c.IsOpen() {
			// Rule R4: a closed case takes no records.
			return &privacy.Error{Op: "memstore: " + op, Kind: privacy.ErrConflict, Rule: privacy.R4, Msg: "the case is closed"}
		}
		if _, ok := f.records[r.ID]; ok || batch[r.ID] {
			return exists(op)
		}
		batch[r.ID] = true
		if err := s.write(op); err != nil {
			return err
		}
	}
	if err := s.stageEvents(op, events); err != nil {
		return err
	}
	for _, r := range rs {
		f.records[r.ID] = r.Clone()
		f.caseRecords[r.Case] = append(f.caseRecords[r.Case], r.ID)
		s.touch(r)
	}
	s.applyEvents(events)
	return nil
}

// Record implements [privacy.Store].
func (s *Store) Record(ctx context.Context, id privacy.RecordID) (privacy.Record, error) {
	return s.record(ctx, ordinary, "record", id)
}

// MedicalRecord implements [privacy.MedicalStore].
func (s *Store) MedicalRecord(ctx context.Context, id privacy.RecordID) (privacy.Record, error) {
	return s.record(ctx, medical, "medical record", id)
}

func (s *Store) record(ctx context.Context, which int, op string, id privacy.RecordID) (privacy.Record, error) {
	if err := ctxErr(ctx, op); err != nil {
		return privacy.Record{}, err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	r, ok := s.files[which].records[id]
	if !ok {
		return privacy.Record{}, notFound(op)
	}
	return r.Clone(), nil
}

// UpdateRecord implements [privacy.Store]. A record that a standing legal
// hold covers does not change (rule G3).
func (s *Store) UpdateRecord(ctx context.Context, r privacy.Record, events []privacy.Event) error {
	return s.updateRecord(ctx, ordinary, "update record", r, events)
}

// UpdateMedicalRecord implements [privacy.MedicalStore], as
// [Store.UpdateRecord] does.
func (s *Store) UpdateMedicalRecord(ctx context.Context, r privacy.Record, events []privacy.Event) error {
	return s.updateRecord(ctx, medical, "update medical record", r, events)
}

func (s *Store) updateRecord(ctx context.Context, which int, op string, r privacy.Record, events []privacy.Event) error {
	if err := s.begin(ctx, op, events); err != nil {
		return err
	}
	defer s.mu.Unlock()
	f := &s.files[which]
	old, ok := f.records[r.ID]
	if !ok {
		return notFound(op)
	}
	if old.Case != r.Case {
		return &privacy.Error{Op: "memstore: " + op, Kind: privacy.ErrInvalid, Msg: "a record's case does not change"}
	}
	// Rule G3: a held record stays as it was. Checked under the write
	// lock that PlaceHold takes too.
	if s.recordHeld(old.Subject, old.Case, old.ID) {
		return held(op, "a legal hold keeps the record")
	}
	if err := s.write(op); err != nil {
		return err
	}
	if err := s.stageEvents(op, events); err != nil {
		return err
	}
	f.records[r.ID] = r.Clone()
	s.touch(r)
	s.applyEvents(events)
	return nil
}

// CaseRecords implements [privacy.Store].
func (s *Store) CaseRecords(ctx context.Context, id privacy.CaseID) iter.Seq2[privacy.Record, error] {
	return s.caseRecords(ctx, ordinary, "case records", "", id)
}

// CaseMedicalRecords implements [privacy.MedicalStore].
func (s *Store) CaseMedicalRecords(ctx context.Context, id privacy.CaseID) iter.Seq2[privacy.Record, error] {
	return s.caseRecords(ctx, medical, "case medical records", "", id)
}

// SubjectCaseRecords implements [privacy.SubjectRecordStore]: the records
// of CaseRecords, of a case of subject only (issue 14 §2).
func (s *Store) SubjectCaseRecords(ctx context.Context, subject privacy.SubjectID, id privacy.CaseID) iter.Seq2[privacy.Record, error] {
	if err := subjectGiven("case records", subject); err != nil {
		return func(yield func(privacy.Record, error) bool) { yield(privacy.Record{}, err) }
	}
	return s.caseRecords(ctx, ordinary, "case records", subject, id)
}

// SubjectCaseMedicalRecords implements [privacy.SubjectRecordStore], as
// SubjectCaseRecords does.
func (s *Store) SubjectCaseMedicalRecords(ctx context.Context, subject privacy.SubjectID, id privacy.CaseID) iter.Seq2[privacy.Record, error] {
	if err := subjectGiven("case medical records", subject); err != nil {
		return func(yield func(privacy.Record, error) bool) { yield(privacy.Record{}, err) }
	}
	return s.caseRecords(ctx, medical, "case medical records", subject, id)
}

// subjectGiven refuses a read by subject with a malformed subject ID —
// none at all, above all: caseRecords reads a case of any subject then
// (rules R7, O4; the SQL stores refuse it alike).
func subjectGiven(op string, subject privacy.SubjectID) error {
	if !privacy.ValidID(string(subject)) {
		return &privacy.Error{Op: "memstore: " + op, Kind: privacy.ErrInvalid, Path: "subject", Msg: "malformed subject ID"}
	}
	return nil
}

// caseRecords snapshots the IDs, then reads each record as the caller asks
// for it, so that streaming a large file holds one record at a time. A
// subject given must be the case's.
func (s *Store) caseRecords(ctx context.Context, which int, op string, subject privacy.SubjectID, id privacy.CaseID) iter.Seq2[privacy.Record, error] {
	return func(yield func(privacy.Record, error) bool) {
		if err := ctxErr(ctx, op); err != nil {
			yield(privacy.Record{}, err)
			return
		}
		s.mu.RLock()
		if c, ok := s.cases[id]; !ok || subject != "" && c.Subject != subject {
			s.mu.RUnlock()
			yield(privacy.Record{}, notFound(op))
			return
		}
		f := &s.files[which]
		ids := slices.Clone(f.caseRecords[id])
		// Creation order, then ID: appends are in arrival order, which
		// need not be creation order.
		slices.SortStableFunc(ids, func(a, b privacy.RecordID) int {
			ra, rb := f.records[a], f.records[b]
			return cmp.Or(ra.Created.Compare(rb.Created), cmp.Compare(a, b))
		})
		s.mu.RUnlock()
		for _, rid := range ids {
			if err := ctxErr(ctx, op); err != nil {
				yield(privacy.Record{}, err)
				return
			}
			s.mu.RLock()
			r, ok := f.records[rid]
			if ok {
				r = r.Clone()
			}
			s.mu.RUnlock()
			if !ok {
				continue // deleted while iterating
			}
			if !yield(r, nil) {
				return
			}
		}
	}
}

// DeleteRecord implements [privacy.Store]. A record that a standing legal
// hold covers is not deleted (rule G3).
func (s *Store) DeleteRecord(ctx context.Context, id privacy.RecordID, events []privacy.Event) error {
	return s.deleteRecord(ctx, ordinary, "delete record", id, events)
}

// DeleteMedicalRecord implements [privacy.MedicalStore], as
// [Store.DeleteRecord] does.
func (s *Store) DeleteMedicalRecord(ctx context.Context, id privacy.RecordID, events []privacy.Event) error {
	return s.deleteRecord(ctx, medical, "delete medical record", id, events)
}

func (s *Store) deleteRecord(ctx context.Context, which int, op string, id privacy.RecordID, events []privacy.Event) error {
	if err := s.begin(ctx, op, events); err != nil {
		return err
	}
	defer s.mu.Unlock()
	f := &s.files[which]
	r, ok := f.records[id]
	if !ok {
		return notFound(op)
	}
	// Rule G3: a held record is never deleted. Checked under the write
	// lock that PlaceHold takes too.
	if s.recordHeld(r.Subject, r.Case, r.ID) {
		return held(op, "a legal hold keeps the record")
	}
	if err := s.write(op); err != nil {
		return err
	}
	if err := s.stageEvents(op, events); err != nil {
		return err
	}
	delete(f.records, id)
	f.caseRecords[r.Case] = slices.DeleteFunc(f.caseRecords[r.Case], func(x privacy.RecordID) bool { return x == id })
	s.applyEvents(events)
	return nil
}
