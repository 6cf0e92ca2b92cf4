package sqlitestore

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

// Subject implements [privacy.Store].
func (s *Store) Subject(ctx context.Context, id privacy.SubjectID) (privacy.Subject, error) {
	return s.core().Subject(ctx, id)
}

// UpdateSubject implements [privacy.Store]. A subject whose whole data a
// standing legal hold keeps does not change (rule G3), except to record
// the end of employment: checked in the update's transaction, which
// PlaceHold cannot enter.
func (s *Store) UpdateSubject(ctx context.Context, sub privacy.Subject, events []privacy.Event) error {
	return s.core().UpdateSubject(ctx, sub, events)
}

// DeleteSubject implements [privacy.Store]: the subject, its cases and
// every record of them, medical ones included, in one transaction. A
// subject with a standing legal hold is not deleted (rule G3).
func (s *Store) DeleteSubject(ctx context.Context, id privacy.SubjectID, events []privacy.Event) error {
	return s.core().DeleteSubject(ctx, id, events)
}

// CreateCase implements [privacy.Store].
func (s *Store) CreateCase(ctx context.Context, c privacy.Case, events []privacy.Event) error {
	return s.core().CreateCase(ctx, c, events)
}

// Case implements [privacy.Store].
func (s *Store) Case(ctx context.Context, id privacy.CaseID) (privacy.Case, error) {
	return s.core().Case(ctx, id)
}

// UpdateCase implements [privacy.Store]. A case whose whole data a
// standing legal hold keeps does not change (rule G3), except to close:
// checked in the update's transaction, which PlaceHold cannot enter.
// Closing it shuts out AddRecords (rule R4), which runs alone as well.
func (s *Store) UpdateCase(ctx context.Context, c privacy.Case, events []privacy.Event) error {
	return s.core().UpdateCase(ctx, c, events)
}

// SubjectCases implements [privacy.Store].
func (s *Store) SubjectCases(ctx context.Context, id privacy.SubjectID) ([]privacy.Case, error) {
	return s.core().SubjectCases(ctx, id)
}

// DeleteCase implements [privacy.Store]: the case and every record of it,
// medical ones included, in one transaction. A case that a standing legal
// hold covers, whole or in one of its records, is not deleted (rule G3).
func (s *Store) DeleteCase(ctx context.Context, id privacy.CaseID, events []privacy.Event) error {
	return s.core().DeleteCase(ctx, id, events)
}

// AddRecords implements [privacy.Store]. A closed case takes no records
// (rule R4): its state is read in the insert's transaction, and a write
// transaction runs alone, so a closing comes wholly before or after.
func (s *Store) AddRecords(ctx context.Context, rs []privacy.Record, events []privacy.Event) error {
	return s.core().AddRecords(ctx, &queries.Ordinary, rs, events)
}

// AddMedicalRecords implements [privacy.MedicalStore], as
// [Store.AddRecords] does.
func (s *Store) AddMedicalRecords(ctx context.Context, rs []privacy.Record, events []privacy.Event) error {
	return s.core().AddRecords(ctx, &queries.Medical, rs, events)
}

// Record implements [privacy.Store].
func (s *Store) Record(ctx context.Context, id privacy.RecordID) (privacy.Record, error) {
	return s.core().Record(ctx, &queries.Ordinary, id)
}

// MedicalRecord implements [privacy.MedicalStore].
func (s *Store) MedicalRecord(ctx context.Context, id privacy.RecordID) (privacy.Record, error) {
	return s.core().Record(ctx, &queries.Medical, id)
}

// UpdateRecord implements [privacy.Store]. A record that a standing legal
// hold covers does not change (rule G3): checked in the update's
// transaction, which PlaceHold cannot enter.
func (s *Store) UpdateRecord(ctx context.Context, r privacy.Record, events []privacy.Event) error {
	return s.core().UpdateRecord(ctx, &queries.Ordinary, r, events)
}

// UpdateMedicalRecord implements [privacy.MedicalStore], as
// [Store.UpdateRecord] does.
func (s *Store) UpdateMedicalRecord(ctx context.Context, r privacy.Record, events []privacy.Event) error {
	return s.core().UpdateRecord(ctx, &queries.Medical, r, events)
}

// CaseRecords implements [privacy.Store]. The records are read a page at a
// time as the iteration goes, so that a large file is never held in memory
// and no connection is held while the caller works.
func (s *Store) CaseRecords(ctx context.Context, id privacy.CaseID) iter.Seq2[privacy.Record, error] {
	return s.core().CaseRecords(ctx, &queries.Ordinary, id)
}

// CaseMedicalRecords implements [privacy.MedicalStore], as
// [Store.CaseRecords] does.
func (s *Store) CaseMedicalRecords(ctx context.Context, id privacy.CaseID) iter.Seq2[privacy.Record, error] {
	return s.core().CaseRecords(ctx, &queries.Medical, id)
}

// DeleteRecord implements [privacy.Store]. A record that a standing legal
// hold covers is not deleted (rule G3).
func (s *Store) DeleteRecord(ctx context.Context, id privacy.RecordID, events []privacy.Event) error {
	return s.core().DeleteRecord(ctx, &queries.Ordinary, id, events)
}

// DeleteMedicalRecord implements [privacy.MedicalStore], as
// [Store.DeleteRecord] does.
func (s *Store) DeleteMedicalRecord(ctx context.Context, id privacy.RecordID, events []privacy.Event) error {
	return s.core().DeleteRecord(ctx, &queries.Medical, id, events)
}
