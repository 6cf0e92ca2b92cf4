package privacy

import (
	"context"
	"iter"
)

// Store keeps subjects, cases and records. It is the small interface an
// adapter implements; users work with [Dossiers], which validates every
// write against the policy, and builds its audit events, before it reaches
// the Store.
//
// Contract, checked by the kit in package privacytest:
//   - Methods are safe for concurrent use.
//   - Values are copied in and out: a caller changing a returned Record's
//     Fields never changes the store.
//   - A missing object gives an error matching [ErrNotFound]; creating an
//     object whose ID exists gives [ErrExists]; a storage failure gives
//     [ErrUnavailable]. Adapters translate driver errors into these kinds.
//   - Every write is audited in its own atomic unit (rules O1, G7, N9):
//     each write method takes the audit events of the write and appends
//     exactly those, numbered and chained with [Event.Chain], to the one
//     audit trail that package access's Store appends to (AppendEvents),
//     under the same lock or in the same transaction as the write. The
//     write and its events land together or not at all: when the events
//     cannot be written, nothing is. A write without events is refused
//     with [ErrInvalid] (rule G7) and changes nothing.
//   - Every method is atomic: when it fails, nothing it would have written
//     or deleted has changed. AddRecords adds all records or none;
//     DeleteCase and DeleteSubject remove everything or nothing.
//   - After a delete, nothing of the deleted object is reachable through
//     any method.
//   - Records are added only to an open case (rule R4): AddRecords and
//     AddMedicalRecords read the case's state in the atomic unit of the
//     insert, under a lock that closing the case (UpdateCase) conflicts
//     with, and refuse a closed case with [ErrConflict] naming R4, so
//     that a closing and an addition racing each other never leave a
//     record added after the closing. Likewise UpdateCase refuses to
//     close a case at a time before a record of it, in either file, was
//     created or last changed ([ErrConflict], R4): a case closes after
//     what it holds.
//   - A store that also keeps legal holds (package retention's Store,
//     usually on the same type) refuses, with an error matching
//     [ErrForbidden] that names rule [G3] and changing nothing, a delete
//     that would remove anything a standing (not lifted) hold covers, and
//     an update of held data: a record a standing hold covers
//     (UpdateRecord, UpdateMedicalRecord), a case whose whole data a hold
//     keeps (UpdateCase, except closing it, which adds a fact and alters
//     none), a subject whose whole data a hold keeps (UpdateSubject,
//     except recording the end of employment for the first time). Held
//     data stays as it was, not versioned: GDPR art. 17(3)(b),(e) keeps
//     it for a legal obligation or a legal claim as it stood. The store
//     checks the holds under the lock or in the transaction of the write,
//     the one that placing a hold takes too, so that a hold placed at the
//     same time either comes first and is seen, or comes after the write.
//   - Times come back equal (time.Time.Equal) to what went in, given
//     [Timestamp]-normalised input.
type Store interface {
	// CreateSubject stores a new subject with the audit events of its
	// creation.
	CreateSubject(ctx context.Context, s Subject, events []Event) error
	// Subject returns the subject with the given ID.
	Subject(ctx context.Context, id SubjectID) (Subject, error)
	// UpdateSubject replaces an existing subject, with the audit events
	// of the change. A store that keeps legal holds refuses to change a
	// subject whose whole data a standing hold keeps (ErrForbidden, rule
	// G3), except to record the end of employment that was not recorded.
	UpdateSubject(ctx context.Context, s Subject, events []Event) error
	// DeleteSubject removes the subject with all its cases and records,
	// medical records included, with the audit events of the deletion. A
	// store that keeps legal holds refuses it while the subject has a
	// standing hold: ErrForbidden, rule G3. A store that also keeps the
	// other packages' data removes the subject's consent grants,
	// disclosure-log entries, lifted holds and erasure requests with it
	// (rules R9, O12: no subject would lead a sweep to them); its requests
	// stay, since an open one (the erasure request itself) is still to be
	// answered, and sweeps reach them as objects without a subject
	// (package retention's OrphanStore). memstore does; the SQL adapters
	// leave that to the role that sweeps (issue 14 §1).
	DeleteSubject(ctx context.Context, id SubjectID, events []Event) error

	// CreateCase stores a new case of an existing subject (else
	// ErrNotFound), with the audit events of its opening.
	CreateCase(ctx context.Context, c Case, events []Event) error
	// Case returns the case with the given ID.
	Case(ctx context.Context, id CaseID) (Case, error)
	// UpdateCase replaces an existing case, with the audit events of the
	// change; its subject does not change. Closing an open case at a time
	// before one of its records was created or changed fails with
	// ErrConflict, rule R4. A store that keeps legal holds refuses to
	// change a case whose whole data a standing hold keeps (ErrForbidden,
	// rule G3), except to close it.
	UpdateCase(ctx context.Context, c Case, events []Event) error
	// SubjectCases returns the subject's cases ordered by opening time,
	// then ID; ErrNotFound if the subject does not exist.
	SubjectCases(ctx context.Context, id SubjectID) ([]Case, error)
	// DeleteCase removes the case with all its records, medical records
	// included, with the audit events of the deletion. A store that keeps
	// legal holds refuses it while a standing hold covers the case: one
	// of the whole subject, of this case, or of one of its records
	// (ErrForbidden, rule G3).
	DeleteCase(ctx context.Context, id CaseID, events []Event) error

	// AddRecords stores new non-medical records of existing, open cases
	// (a closed case: ErrConflict, rule R4), all or none, with their
	// audit events.
	AddRecords(ctx context.Context, rs []Record, events []Event) error
	// Record returns a non-medical record.
	Record(ctx context.Context, id RecordID) (Record, error)
	// UpdateRecord replaces an existing non-medical record
	// (rectification), with the audit events of the change; its case does
	// not change. A store that keeps legal holds refuses it while a
	// standing hold covers the record (ErrForbidden, rule G3).
	UpdateRecord(ctx context.Context, r Record, events []Event) error
	// CaseRecords yields the case's non-medical records ordered by
	// creation time, then ID. A missing case yields ErrNotFound. The
	// records are read as the iteration goes, so a subject's whole file
	// can be streamed without holding it in memory.
	CaseRecords(ctx context.Context, id CaseID) iter.Seq2[Record, error]
	// DeleteRecord removes a non-medical record, with the audit events of
	// the deletion. A store that keeps legal holds refuses it while a
	// standing hold covers the record: one of the whole subject, of its
	// case, or of the record (ErrForbidden, rule G3).
	DeleteRecord(ctx context.Context, id RecordID, events []Event) error

	MedicalStore
}

// MedicalStore keeps medical records apart from the rest of a case (rule
// O6): an adapter keeps them in their own table, schema or database, so that
// access to them can be limited to the physicians' side on its own. Its
// contract is that of [Store].
//
// The physicians' side audits what it does to the medical file too (rules
// G7, N9): its writes take their events, and AppendEvents appends the
// events of its reads ([Dossiers.MedicalRecord] writes one before it
// returns anything), to the same trail as every other write.
type MedicalStore interface {
	// AddMedicalRecords stores new medical records of existing, open
	// cases (a closed case: ErrConflict, rule R4), all or none, with
	// their audit events.
	AddMedicalRecords(ctx context.Context, rs []Record, events []Event) error
	// MedicalRecord returns a medical record.
	MedicalRecord(ctx context.Context, id RecordID) (Record, error)
	// UpdateMedicalRecord replaces an existing medical record, with the
	// audit events of the change; refused as UpdateRecord is while a
	// standing hold covers it (rule G3).
	UpdateMedicalRecord(ctx context.Context, r Record, events []Event) error
	// CaseMedicalRecords yields the case's medical records ordered by
	// creation time, then ID.
	CaseMedicalRecords(ctx context.Context, id CaseID) iter.Seq2[Record, error]
	// DeleteMedicalRecord removes a medical record, with the audit events
	// of the deletion; refused as DeleteRecord is while a standing hold
	// covers it (rule G3).
	DeleteMedicalRecord(ctx context.Context, id RecordID, events []Event) error

	// AppendEvents appends events to the audit trail, all or none, and
	// returns them as stored: numbered and chained. It is the method of
	// package access's Store, which an adapter usually implements on the
	// same type.
	AppendEvents(ctx context.Context, events ...Event) ([]Event, error)
}
