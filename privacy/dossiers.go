package privacy

import (
	"context"
	"errors"
	"iter"
	"slices"
	"time"
)

// Dossiers is the case file of a service: subjects, their cases and the
// records in them, kept in a [Store] and checked against a [Policy] on every
// write. It decides what may be stored (O5, R5, O2, N5, O6); who may read or
// write it is decided by package access, which callers put in front of it.
//
// A Dossiers is safe for concurrent use if its Store is.
type Dossiers struct {
	store  Store
	policy *Policy
}

// NewDossiers returns the case file kept in store under policy. The policy
// is validated and copied: later changes to it have no effect.
func NewDossiers(store Store, policy *Policy) (*Dossiers, error) {
	if store == nil {
		return nil, &Error{Op: "new dossiers", Kind: ErrInvalid, Msg: "nil store"}
	}
	if policy == nil {
		return nil, &Error{Op: "new dossiers", Kind: ErrInvalid, Msg: "nil policy"}
	}
	if err := policy.Validate(); err != nil {
		return nil, err
	}
	return &Dossiers{store: store, policy: policy.Clone()}, nil
}

// Policy returns a copy of the policy the case file is checked against.
func (d *Dossiers) Policy() *Policy { return d.policy.Clone() }

// Store returns the underlying store, for packages that keep their own data
// beside it.
func (d *Dossiers) Store() Store { return d.store }

// CreateSubject registers a new subject.
func (d *Dossiers) CreateSubject(ctx context.Context, s Subject) error {
	s = s.normalize()
	if err := s.Validate(); err != nil {
		return err
	}
	return d.store.CreateSubject(ctx, s)
}

// Subject returns a subject.
func (d *Dossiers) Subject(ctx context.Context, id SubjectID) (Subject, error) {
	if err := checkID("subject", "id", string(id)); err != nil {
		return Subject{}, err
	}
	return d.store.Subject(ctx, id)
}

// EndEmployment records that the subject's employment ended at t (O8):
// several retention periods run from it (N7).
func (d *Dossiers) EndEmployment(ctx context.Context, id SubjectID, at time.Time) error {
	s, err := d.Subject(ctx, id)
	if err != nil {
		return err
	}
	if at.IsZero() || at.Before(s.Created) {
		return &Error{Op: "end employment", Kind: ErrInvalid, Rule: O8, Msg: "employment cannot end before the subject was registered"}
	}
	s.EmploymentEnded = at
	return d.store.UpdateSubject(ctx, s.normalize())
}

// OpenCase opens a new case of an existing subject. The case must carry a
// purpose the policy processes for in cases of its kind (R5) and a contract
// in force when it opens (O2).
func (d *Dossiers) OpenCase(ctx context.Context, c Case) error {
	c = c.normalize()
	if err := c.Validate(); err != nil {
		return err
	}
	if !c.IsOpen() {
		return &Error{Op: "open case", Kind: ErrInvalid, Path: "closed", Msg: "a new case is open"}
	}
	if !d.policy.AllowsPurpose(c.Purpose, c.Kind) {
		// Rule R5: data is processed only for the policy's purposes.
		return &Error{Op: "open case", Kind: ErrForbidden, Rule: R5, Path: "purpose",
			Msg: "the policy does not process for this purpose in cases of this kind"}
	}
	return d.store.CreateCase(ctx, c)
}

// Case returns a case.
func (d *Dossiers) Case(ctx context.Context, id CaseID) (Case, error) {
	if err := checkID("case", "id", string(id)); err != nil {
		return Case{}, err
	}
	return d.store.Case(ctx, id)
}

// SubjectCases returns a subject's cases, oldest first.
func (d *Dossiers) SubjectCases(ctx context.Context, id SubjectID) ([]Case, error) {
	if err := checkID("subject cases", "id", string(id)); err != nil {
		return nil, err
	}
	return d.store.SubjectCases(ctx, id)
}

// CloseCase closes an open case at t. Closing starts most retention clocks
// (R9, O12). Closing a closed case fails with [ErrConflict].
func (d *Dossiers) CloseCase(ctx context.Context, id CaseID, at time.Time) error {
	c, err := d.Case(ctx, id)
	if err != nil {
		return err
	}
	if !c.IsOpen() {
		return &Error{Op: "close case", Kind: ErrConflict, Msg: "the case is closed already"}
	}
	at = Timestamp(at)
	if at.Before(c.Opened) {
		return &Error{Op: "close case", Kind: ErrInvalid, Msg: "a case cannot close before it opens"}
	}
	c.Closed = at
	return d.store.UpdateCase(ctx, c)
}

// AddRecord adds one record to a case; see [Dossiers.AddRecords].
func (d *Dossiers) AddRecord(ctx context.Context, r Record) error { return d.AddRecords(ctx, r) }

// AddRecords adds records to their cases, all or none. Each record is
// checked before anything is stored:
//   - its category exists and is not a special category (O5: fails with
//     [ErrProhibitedCategory]);
//   - its fields belong to its category;
//   - its case exists and is open (R4), and its contract is in force at
//     the record's time (O2);
//   - its purpose is the case's (R5; an empty purpose takes the case's);
//   - a BSN record names a legal basis of the policy that covers the BSN
//     and the record's purpose (N5); a record naming a basis, a basis that
//     covers its purpose.
//
// Medical records go to the separate medical file (O6); a batch holds
// either medical or non-medical records, never both, so that each batch is
// one atomic write.
func (d *Dossiers) AddRecords(ctx context.Context, rs ...Record) error {
	const op = "add records"
	if len(rs) == 0 {
		return nil
	}
	out := make([]Record, len(rs))
	cases := map[CaseID]Case{}
	medical := rs[0].Category.Medical()
	for i, r := range rs {
		c, caseErr := d.caseOf(ctx, cases, r.Case)
		if caseErr == nil {
			if r.Purpose == "" {
				r.Purpose = c.Purpose
			}
			if r.Subject == "" {
				r.Subject = c.Subject
			}
		}
		r = r.Clone().normalize()
		// A prohibited category is refused as such (O5), whatever else is
		// wrong with the record.
		if caseErr == nil || r.Category.Special() {
			if err := r.Validate(); err != nil {
				return err
			}
		}
		if caseErr != nil {
			return caseErr
		}
		if r.Category.Medical() != medical {
			return &Error{Op: op, Kind: ErrInvalid, Rule: O6, Msg: "medical records are added apart from other records"}
		}
		if err := d.checkRecord(op, c, r); err != nil {
			return err
		}
		out[i] = r
	}
	if medical {
		return d.store.AddMedicalRecords(ctx, out...)
	}
	return d.store.AddRecords(ctx, out...)
}

func (d *Dossiers) caseOf(ctx context.Context, cache map[CaseID]Case, id CaseID) (Case, error) {
	if c, ok := cache[id]; ok {
		return c, nil
	}
	if !ValidID(string(id)) {
		return Case{}, &Error{Op: "add records", Kind: ErrInvalid, Path: "case", Msg: "malformed case ID"}
	}
	c, err := d.store.Case(ctx, id)
	if err != nil {
		return Case{}, err
	}
	cache[id] = c
	return c, nil
}

func (d *Dossiers) checkRecord(op string, c Case, r Record) error {
	if r.Subject != c.Subject {
		return &Error{Op: op, Kind: ErrInvalid, Path: "subject", Msg: "the record's subject is not the case's"}
	}
	if !c.IsOpen() && r.Created.After(c.Closed) {
		// Rule R4: a file is supplemented during the trajectory, not after.
		return &Error{Op: op, Kind: ErrConflict, Rule: R4, Msg: "the case is closed"}
	}
	if !c.Contract.Covers(r.Created) {
		// Rule O2: only under a contract in force.
		return &Error{Op: op, Kind: ErrForbidden, Rule: O2, Msg: "the case's contract is not in force at the record's time"}
	}
	if r.Purpose != c.Purpose {
		// Rule R5: a use for another purpose is refused.
		return &Error{Op: op, Kind: ErrForbidden, Rule: R5, Path: "purpose", Msg: "the record's purpose is not the case's"}
	}
	if r.Category == CategoryNationalID {
		// Rule N5: the BSN only where a statute allows it.
		l, ok := d.policy.LegalBasis(r.Basis)
		if !ok || !slices.Contains(l.Categories, CategoryNationalID) {
			return &Error{Op: op, Kind: ErrForbidden, Rule: N5, Path: "basis", Msg: "the BSN needs a statutory basis of the policy"}
		}
		if !l.Covers(r.Purpose) {
			// Rule N5: and for the purposes the statute names
			// (Arbeidsomstandighedenwet art. 14(1)(b): absence guidance
			// and reintegration).
			return &Error{Op: op, Kind: ErrForbidden, Rule: N5, Path: "basis", Msg: "the legal basis does not cover the record's purpose"}
		}
	} else if r.Basis != "" {
		l, ok := d.policy.LegalBasis(r.Basis)
		if !ok {
			return &Error{Op: op, Kind: ErrInvalid, Path: "basis", Msg: "unknown legal basis"}
		}
		if !l.Covers(r.Purpose) {
			return &Error{Op: op, Kind: ErrForbidden, Rule: l.Rule, Path: "basis", Msg: "the legal basis does not cover the record's purpose"}
		}
	}
	return nil
}

// Record returns a non-medical record.
func (d *Dossiers) Record(ctx context.Context, id RecordID) (Record, error) {
	if err := checkID("record", "id", string(id)); err != nil {
		return Record{}, err
	}
	return d.store.Record(ctx, id)
}

// MedicalRecord returns a record of the medical file (O6).
func (d *Dossiers) MedicalRecord(ctx context.Context, id RecordID) (Record, error) {
	if err := checkID("medical record", "id", string(id)); err != nil {
		return Record{}, err
	}
	return d.store.MedicalRecord(ctx, id)
}

// CaseRecords yields a case's non-medical records, oldest first.
func (d *Dossiers) CaseRecords(ctx context.Context, id CaseID) iter.Seq2[Record, error] {
	if err := checkID("case records", "id", string(id)); err != nil {
		return errSeq(err)
	}
	return d.store.CaseRecords(ctx, id)
}

// CaseMedicalRecords yields a case's medical records, oldest first.
func (d *Dossiers) CaseMedicalRecords(ctx context.Context, id CaseID) iter.Seq2[Record, error] {
	if err := checkID("case medical records", "id", string(id)); err != nil {
		return errSeq(err)
	}
	return d.store.CaseMedicalRecords(ctx, id)
}

// UpdateRecord rectifies a record (O13): its content changes, its identity,
// case and category do not. The same checks as [Dossiers.AddRecords] apply.
func (d *Dossiers) UpdateRecord(ctx context.Context, r Record) error {
	const op = "update record"
	r = r.Clone().normalize()
	if err := r.Validate(); err != nil {
		return err
	}
	var old Record
	var err error
	if r.Category.Medical() {
		old, err = d.store.MedicalRecord(ctx, r.ID)
	} else {
		old, err = d.store.Record(ctx, r.ID)
	}
	if err != nil {
		return err
	}
	if old.Case != r.Case || old.Category != r.Category || old.Subject != r.Subject || !old.Created.Equal(r.Created) {
		return &Error{Op: op, Kind: ErrInvalid, Msg: "a record's case, subject, category and creation time do not change"}
	}
	if !r.Updated.After(old.Updated) {
		return &Error{Op: op, Kind: ErrInvalid, Path: "updated", Msg: "an update needs a later time"}
	}
	c, err := d.store.Case(ctx, r.Case)
	if err != nil {
		return err
	}
	if !c.Contract.Covers(r.Updated) {
		return &Error{Op: op, Kind: ErrForbidden, Rule: O2, Msg: "the case's contract is not in force"}
	}
	if r.Purpose != c.Purpose {
		return &Error{Op: op, Kind: ErrForbidden, Rule: R5, Path: "purpose", Msg: "the record's purpose is not the case's"}
	}
	if r.Category.Medical() {
		return d.store.UpdateMedicalRecord(ctx, r)
	}
	return d.store.UpdateRecord(ctx, r)
}

// DeleteRecord deletes a record from whichever file holds it. If the store
// also keeps legal holds (package retention), a record that a standing
// hold covers is not deleted: the error matches [ErrForbidden] and names
// rule [G3]. Lift the hold first, or let a retention sweep delete when it
// may.
func (d *Dossiers) DeleteRecord(ctx context.Context, id RecordID) error {
	if err := checkID("delete record", "id", string(id)); err != nil {
		return err
	}
	err := d.store.DeleteRecord(ctx, id)
	if errors.Is(err, ErrNotFound) {
		return d.store.DeleteMedicalRecord(ctx, id)
	}
	return err
}

// DeleteMedicalRecord deletes a record of the medical file only (rule O6),
// as the physicians' side does: unlike DeleteRecord it never asks the
// ordinary file, which a store limited to the medical file may not read.
// A record of the ordinary file is not found here. Legal holds count as
// for DeleteRecord ([ErrForbidden], rule [G3]).
func (d *Dossiers) DeleteMedicalRecord(ctx context.Context, id RecordID) error {
	if err := checkID("delete medical record", "id", string(id)); err != nil {
		return err
	}
	return d.store.DeleteMedicalRecord(ctx, id)
}

// DeleteCase deletes a case with all its records, medical ones included:
// all or nothing. If the store also keeps legal holds, a case that a
// standing hold covers, as a whole or in one of its records, is not
// deleted ([ErrForbidden], rule [G3]).
func (d *Dossiers) DeleteCase(ctx context.Context, id CaseID) error {
	if err := checkID("delete case", "id", string(id)); err != nil {
		return err
	}
	return d.store.DeleteCase(ctx, id)
}

// DeleteSubject deletes a subject with everything held about them: all or
// nothing. If the store also keeps legal holds, a subject with a standing
// hold is not deleted ([ErrForbidden], rule [G3]).
func (d *Dossiers) DeleteSubject(ctx context.Context, id SubjectID) error {
	if err := checkID("delete subject", "id", string(id)); err != nil {
		return err
	}
	return d.store.DeleteSubject(ctx, id)
}

func errSeq(err error) iter.Seq2[Record, error] {
	return func(yield func(Record, error) bool) { yield(Record{}, err) }
}
