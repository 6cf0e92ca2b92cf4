package pgstore

import (
	"context"
	"iter"

	"github.com/dossierwacht/dossierwacht/privacy"
)

// CreateSubject implements [privacy.Store]: the subject and its audit
// events in one transaction.
func (s *Store) CreateSubject(ctx context.Context, sub privacy.Subject, events []privacy.Event) error {
	return s.core().CreateSubject(ctx, sub, events)
}

// Subject implements [privacy.Store]. It always reads the primary.
func (s *Store) Subject(ctx context.Context, id privacy.SubjectID) (privacy.Subject, error) {
	return s.core().Subject(ctx, id)
}

// UpdateSubject implements [privacy.Store]. A subject whose whole data a
// standing legal hold keeps does not change (rule G3), except to record
// the end of employment: the check runs under the lock of the subject's
// row, which [Store.PlaceHold] takes too.
func (s *Store) UpdateSubject(ctx context.Context, sub privacy.Subject, events []privacy.Event) error {
	return s.core().UpdateSubject(ctx, sub, events)
}

// DeleteSubject implements [privacy.Store]: the subject, its cases and
// every record of them, medical ones included, in one transaction. The
// role it runs under needs DELETE on both schemas. A subject with a
// standing legal hold is not deleted (rule G3): the check runs under the
// lock of the subject's row, which [Store.PlaceHold] takes too.
func (s *Store) DeleteSubject(ctx context.Context, id privacy.SubjectID, events []privacy.Event) error {
	return s.core().DeleteSubject(ctx, id, events)
}

// CreateCase implements [privacy.Store].
func (s *Store) CreateCase(ctx context.Context, c privacy.Case, events []privacy.Event) error {
	return s.core().CreateCase(ctx, c, events)
}

// Case implements [privacy.Store]. It always reads the primary.
func (s *Store) Case(ctx context.Context, id privacy.CaseID) (privacy.Case, error) {
	return s.core().Case(ctx, id)
}

// UpdateCase implements [privacy.Store]. A case whose whole data a
// standing legal hold keeps does not change (rule G3), except to close:
// the check runs under the lock of its subject's row, which
// [Store.PlaceHold] takes too. The UPDATE locks the case's row, which
// AddRecords and AddMedicalRecords lock FOR SHARE before they read whether
// the case is open (rule R4): a closing waits for an addition under way,
// and an addition after it sees the case closed.
func (s *Store) UpdateCase(ctx context.Context, c privacy.Case, events []privacy.Event) error {
	return s.core().UpdateCase(ctx, c, events)
}

// SubjectCases implements [privacy.Store]. With a context marked by
// [WithReplica] it may read the replica.
func (s *Store) SubjectCases(ctx context.Context, id privacy.SubjectID) ([]privacy.Case, error) {
	return s.core().SubjectCases(ctx, id)
}

// DeleteCase implements [privacy.Store]: the case and every record of it,
// medical ones included, in one transaction. The role it runs under needs
// DELETE on both schemas. A case that a standing legal hold covers, whole
// or in one of its records, is not deleted (rule G3): the check runs under
// the lock of its subject's row, which [Store.PlaceHold] takes too.
func (s *Store) DeleteCase(ctx context.Context, id privacy.CaseID, events []privacy.Event) error {
	return s.core().DeleteCase(ctx, id, events)
}

// AddRecords implements [privacy.Store]. The records are inserted by one
// statement, their columns sent as arrays. A closed case takes no records
// (rule R4): in the insert's transaction their cases' rows are locked FOR
// SHARE, through the function lock_cases (migration 0008), and each must
// be open; closing a case waits for the lock, and an addition after a
// closing sees it.
func (s *Store) AddRecords(ctx context.Context, rs []privacy.Record, events []privacy.Event) error {
	return s.core().AddRecords(ctx, &s.q.core.Ordinary, rs, events)
}

// AddMedicalRecords implements [privacy.MedicalStore], as
// [Store.AddRecords] does. The physicians' role, which may read no more of
// a case than its ID, locks and reads the cases through lock_cases, which
// [Grants] lets it execute.
func (s *Store) AddMedicalRecords(ctx context.Context, rs []privacy.Record, events []privacy.Event) error {
	return s.core().AddRecords(ctx, &s.q.core.Medical, rs, events)
}

// Record implements [privacy.Store]. It always reads the primary.
func (s *Store) Record(ctx context.Context, id privacy.RecordID) (privacy.Record, error) {
	return s.core().Record(ctx, &s.q.core.Ordinary, id)
}

// MedicalRecord implements [privacy.MedicalStore]. It always reads the
// primary.
func (s *Store) MedicalRecord(ctx context.Context, id privacy.RecordID) (privacy.Record, error) {
	return s.core().Record(ctx, &s.q.core.Medical, id)
}

// UpdateRecord implements [privacy.Store]. A record that a standing legal
// hold covers does not change (rule G3): in one transaction it finds the
// record's subject, locks the subject's row, as [Store.PlaceHold] does
// before it inserts a hold, reads the subject's standing holds and
// updates the record if none covers it.
func (s *Store) UpdateRecord(ctx context.Context, r privacy.Record, events []privacy.Event) error {
	return s.core().UpdateRecord(ctx, &s.q.core.Ordinary, r, events)
}

// UpdateMedicalRecord implements [privacy.MedicalStore], as
// [Store.UpdateRecord] does; the physicians' role locks the subject's row
// through the function lock_subject.
func (s *Store) UpdateMedicalRecord(ctx context.Context, r privacy.Record, events []privacy.Event) error {
	return s.core().UpdateRecord(ctx, &s.q.core.Medical, r, events)
}

// CaseRecords implements [privacy.Store]. The records are read a page at a
// time as the iteration goes, so that a large file is never held in memory
// and no connection is held while the caller works. With a context marked
// by [WithReplica] it may read the replica.
func (s *Store) CaseRecords(ctx context.Context, id privacy.CaseID) iter.Seq2[privacy.Record, error] {
	return s.core().CaseRecords(ctx, &s.q.core.Ordinary, id)
}

// CaseMedicalRecords implements [privacy.MedicalStore], as
// [Store.CaseRecords] does.
func (s *Store) CaseMedicalRecords(ctx context.Context, id privacy.CaseID) iter.Seq2[privacy.Record, error] {
	return s.core().CaseRecords(ctx, &s.q.core.Medical, id)
}

// DeleteRecord implements [privacy.Store]. A record that a standing legal
// hold covers is not deleted (rule G3). In one transaction it finds the
// record's subject, locks the subject's row, as [Store.PlaceHold] does
// before it inserts a hold, reads the subject's standing holds and deletes
// the record if none covers it: a hold placed at the same time either
// waits for the deletion or is seen by it. The role needs SELECT on the
// holds (both roles of [Grants] have it).
func (s *Store) DeleteRecord(ctx context.Context, id privacy.RecordID, events []privacy.Event) error {
	return s.core().DeleteRecord(ctx, &s.q.core.Ordinary, id, events)
}

// DeleteMedicalRecord implements [privacy.MedicalStore], as
// [Store.DeleteRecord] does. The physicians' role, which may not lock a
// subject's row, locks it through the function lock_subject (migration
// 0007), which [Grants] lets it execute.
func (s *Store) DeleteMedicalRecord(ctx context.Context, id privacy.RecordID, events []privacy.Event) error {
	return s.core().DeleteRecord(ctx, &s.q.core.Medical, id, events)
}
