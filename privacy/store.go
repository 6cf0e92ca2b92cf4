package privacy

import (
	"context"
	"iter"
)

// Store keeps subjects, cases and records. It is the small interface an
// adapter implements; users work with [Dossiers], which validates every
// write against the policy before it reaches the Store.
//
// Contract, checked by the kit in package privacytest:
//   - Methods are safe for concurrent use.
//   - Values are copied in and out: a caller changing a returned Record's
//     Fields never changes the store.
//   - A missing object gives an error matching [ErrNotFound]; creating an
//     object whose ID exists gives [ErrExists]; a storage failure gives
//     [ErrUnavailable]. Adapters translate driver errors into these kinds.
//   - Every method is atomic: when it fails, nothing it would have written
//     or deleted has changed. AddRecords adds all records or none;
//     DeleteCase and DeleteSubject remove everything or nothing.
//   - After a delete, nothing of the deleted object is reachable through
//     any method.
//   - A store that also keeps legal holds (package retention's Store,
//     usually on the same type) refuses a delete that would remove
//     anything a standing (not lifted) hold covers, with an error matching
//     [ErrForbidden] that names rule [G3], and changes nothing. It checks
//     the holds under the lock or in the transaction of the delete, the
//     one that placing a hold takes too, so that a hold placed at the same
//     time either comes first and is seen, or comes after the delete.
//   - Times come back equal (time.Time.Equal) to what went in, given
//     [Timestamp]-normalised input.
type Store interface {
	// CreateSubject stores a new subject.
	CreateSubject(ctx context.Context, s Subject) error
	// Subject returns the subject with the given ID.
	Subject(ctx context.Context, id SubjectID) (Subject, error)
	// UpdateSubject replaces an existing subject.
	UpdateSubject(ctx context.Context, s Subject) error
	// DeleteSubject removes the subject with all its cases and records,
	// medical records included. A store that keeps legal holds refuses
	// it while the subject has a standing hold: ErrForbidden, rule G3.
	DeleteSubject(ctx context.Context, id SubjectID) error

	// CreateCase stores a new case of an existing subject (else
	// ErrNotFound).
	CreateCase(ctx context.Context, c Case) error
	// Case returns the case with the given ID.
	Case(ctx context.Context, id CaseID) (Case, error)
	// UpdateCase replaces an existing case; its subject does not change.
	UpdateCase(ctx context.Context, c Case) error
	// SubjectCases returns the subject's cases ordered by opening time,
	// then ID; ErrNotFound if the subject does not exist.
	SubjectCases(ctx context.Context, id SubjectID) ([]Case, error)
	// DeleteCase removes the case with all its records, medical records
	// included. A store that keeps legal holds refuses it while a
	// standing hold covers the case: one of the whole subject, of this
	// case, or of one of its records (ErrForbidden, rule G3).
	DeleteCase(ctx context.Context, id CaseID) error

	// AddRecords stores new non-medical records of existing cases, all or
	// none.
	AddRecords(ctx context.Context, rs ...Record) error
	// Record returns a non-medical record.
	Record(ctx context.Context, id RecordID) (Record, error)
	// UpdateRecord replaces an existing non-medical record (rectification);
	// its case does not change.
	UpdateRecord(ctx context.Context, r Record) error
	// CaseRecords yields the case's non-medical records ordered by
	// creation time, then ID. A missing case yields ErrNotFound. The
	// records are read as the iteration goes, so a subject's whole file
	// can be streamed without holding it in memory.
	CaseRecords(ctx context.Context, id CaseID) iter.Seq2[Record, error]
	// DeleteRecord removes a non-medical record. A store that keeps legal
	// holds refuses it while a standing hold covers the record: one of
	// the whole subject, of its case, or of the record (ErrForbidden, rule
	// G3).
	DeleteRecord(ctx context.Context, id RecordID) error

	MedicalStore
}

// MedicalStore keeps medical records apart from the rest of a case (rule
// O6): an adapter keeps them in their own table, schema or database, so that
// access to them can be limited to the physicians' side on its own. Its
// contract is that of [Store].
type MedicalStore interface {
	// AddMedicalRecords stores new medical records of existing cases, all
	// or none.
	AddMedicalRecords(ctx context.Context, rs ...Record) error
	// MedicalRecord returns a medical record.
	MedicalRecord(ctx context.Context, id RecordID) (Record, error)
	// UpdateMedicalRecord replaces an existing medical record.
	UpdateMedicalRecord(ctx context.Context, r Record) error
	// CaseMedicalRecords yields the case's medical records ordered by
	// creation time, then ID.
	CaseMedicalRecords(ctx context.Context, id CaseID) iter.Seq2[Record, error]
	// DeleteMedicalRecord removes a medical record, refused as
	// DeleteRecord is while a standing hold covers it (rule G3).
	DeleteMedicalRecord(ctx context.Context, id RecordID) error
}
