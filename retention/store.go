package retention

import (
	"context"
	"time"

	"github.com/dossierwacht/dossierwacht/privacy"
)

// Store keeps legal holds, granted erasure requests and proofs of deletion,
// lists the dossiers a sweep must look at, and deletes a record together
// with its proof and audit event. It is the small interface an adapter
// implements beside [privacy.Store] (usually on the same type, over the
// same database); users work with [Keeper].
//
// A held record is never deleted (rule G3), by a sweep or otherwise: the
// store's direct deletions of [privacy.Store] (DeleteRecord,
// DeleteMedicalRecord, DeleteCase, DeleteSubject) must honour the standing
// holds it keeps as EraseRecord does, refusing with an error matching
// [privacy.ErrForbidden] that names rule G3 to delete anything one covers,
// checked under the lock or in the transaction of the deletion that
// PlaceHold takes too.
//
// Contract, checked by the kit in package retentiontest:
//   - Methods are safe for concurrent use.
//   - Values are copied in and out: a caller changing a returned Hold's
//     Records never changes the store.
//   - A missing object gives an error matching [privacy.ErrNotFound];
//     creating an object whose ID exists gives [privacy.ErrExists]; a
//     storage failure gives [privacy.ErrUnavailable].
//   - Every method is atomic: when it fails, nothing it would have written
//     or deleted has changed, audit events included.
//   - Times come back equal (time.Time.Equal) to what went in, given
//     [privacy.Timestamp]-normalised input.
type Store interface {
	// PlaceHold stores a new hold and appends its audit event, together.
	// A hold whose ID exists fails with ErrExists; a hold of a subject
	// that does not exist fails with ErrNotFound.
	PlaceHold(ctx context.Context, h Hold, e privacy.Event) error
	// LiftHold records that the standing hold id was lifted by whom, when
	// and why, and appends its audit event, together. A missing hold
	// fails with ErrNotFound; a hold lifted already with ErrConflict.
	LiftHold(ctx context.Context, id HoldID, by privacy.PrincipalID, at time.Time, reason string, e privacy.Event) error
	// Hold returns a hold, standing or lifted.
	Hold(ctx context.Context, id HoldID) (Hold, error)

	// AddErasure stores a granted erasure request and appends its audit
	// event, together. An existing ID fails with ErrExists; a subject
	// that does not exist with ErrNotFound.
	AddErasure(ctx context.Context, r Erasure, e privacy.Event) error

	// Dossier returns the subject's dossier: the subject; their cases
	// ordered by opening time, then ID, each with the entries of its
	// records of both files ordered by creation time, then ID; every hold
	// on the subject, lifted ones included, and every erasure request,
	// each in the order they were stored. A missing subject fails with
	// ErrNotFound.
	Dossier(ctx context.Context, id privacy.SubjectID) (Dossier, error)

	// Candidates returns, ordered by subject ID, the dossiers of at most
	// q.Limit subjects whose ID sorts after q.After and that match q (see
	// [Query]). It must return every matching subject and may return
	// others: a sweep decides from the dossier itself. A sweep pages
	// through all candidates by passing the last subject ID it got as the
	// next After.
	Candidates(ctx context.Context, q Query) ([]Dossier, error)

	// EraseRecord is the atomic unit of a sweep: it deletes the record
	// p.Record from the file p.Medical names (the medical file for a
	// medical record, O6), stores the proof p and appends the audit event
	// e, all or nothing, under one lock or transaction that also checks:
	//   - a proof for p.Record exists already: ErrExists, nothing changes
	//     (the deletion was done before; this is what makes a sweep
	//     idempotent);
	//   - the record does not exist in that file: ErrNotFound;
	//   - the record is not of p.Case and p.Subject, or its Updated time
	//     is not p.Updated (it changed since it was scheduled):
	//     ErrConflict;
	//   - a hold that has not been lifted covers the record (its subject,
	//     its case or the record itself): an error matching
	//     [privacy.ErrForbidden] that names rule G3. A held record is
	//     never deleted.
	EraseRecord(ctx context.Context, p Proof, e privacy.Event) error
	// Proof returns the proof of the deletion of record id.
	Proof(ctx context.Context, id privacy.RecordID) (Proof, error)
	// Proofs returns the proofs of the deletions of the subject's records,
	// in the order they were stored; none is not an error.
	Proofs(ctx context.Context, subject privacy.SubjectID) ([]Proof, error)

	// AppendEvents appends events to the audit trail, all or none, and
	// returns them as stored: numbered and chained into the same trail as
	// the events of the writes above. [Keeper] uses it for decisions
	// that write nothing else: a refusal (rules G7, N9: denied attempts
	// are logged too). It is the method of the same name of
	// [privacy.Store] and access.Store, which an adapter has already.
	AppendEvents(ctx context.Context, events ...privacy.Event) ([]privacy.Event, error)
}

// Query selects the subjects a sweep looks at. A subject matches when any
// criterion that is set holds for it:
//
//   - one of its cases closed before ClosedBefore, or is open and had its
//     last activity before it ([CaseFile.LastActivity]: an open case ends
//     for retention then, [CaseEnded]);
//   - its employment ended before EmploymentEndedBefore;
//   - one of its records was created before CreatedBefore;
//   - a granted erasure request of it was decided before ErasedBefore.
//
// Every criterion is a plain comparison with a stored time, so that a SQL
// adapter answers it from indexes on cases(closed), subjects
// (employment_ended), records(created) and erasures(decided) and pages
// with "subject_id > $after ORDER BY subject_id LIMIT $limit". [Keeper]
// derives the cut-offs from the shortest period of each trigger in the
// policy, so that no subject with a due record is missed.
type Query struct {
	After                 privacy.SubjectID
	Limit                 int
	ClosedBefore          time.Time
	EmploymentEndedBefore time.Time
	CreatedBefore         time.Time
	ErasedBefore          time.Time
	// SubjectCreatedBefore, when set, matches every subject created
	// before it. [Keeper] sets it only for an [ObjectStore], whose sweeps
	// also remove subjects that have nothing but master data or other
	// objects left (rules R9, O12, N7).
	SubjectCreatedBefore time.Time
}

// Recipients is what a sweep needs of the disclosure log: which parties
// received which records, so that they can be told of the erasure (rule
// G4, GDPR art. 19). Package consent's disclosure log provides it; a nil
// Recipients means no notification list. Records no one received are left
// out of the map.
//
// A sweep names each record by its schedule — record, subject, case,
// category — so that the lookup never reads the record itself: content a
// store cannot give back (a value that will not open, package seal) must
// not keep a sweep from deleting what is due (O12).
type Recipients interface {
	Recipients(ctx context.Context, records []Schedule) (map[privacy.RecordID][]Recipient, error)
}

// RecipientsFunc adapts a function to [Recipients].
type RecipientsFunc func(ctx context.Context, records []Schedule) (map[privacy.RecordID][]Recipient, error)

// Recipients calls f.
func (f RecipientsFunc) Recipients(ctx context.Context, records []Schedule) (map[privacy.RecordID][]Recipient, error) {
	return f(ctx, records)
}
