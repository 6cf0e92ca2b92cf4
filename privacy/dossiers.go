package privacy

import (
	"context"
	"errors"
	"iter"
	"maps"
	"slices"
	"time"
)

// Dossiers is the case file of a service: subjects, their cases and the
// records in them, kept in a [Store] and checked against a [Policy] on every
// write.
//
// It decides what may be stored (O5, R5, O2, N5, O6, R4) and audits: every
// write, and every read of the medical file, takes an [Act] — who acts,
// when, why and from where — and writes one audit event per object it
// creates, changes or deletes (rules O1, G7, N9, with the NEN 7513 fields),
// in the store's atomic unit of the write, so that the write and its
// events land together or not at all. A read of the medical file appends
// its event before it returns anything: no event, no data. Who may do
// what is decided by package access and the front door, which callers put
// in front of it; an Act grants nothing.
//
// The events name the rule that allowed each write: O8 for a subject and
// the end of an employment, O2 for a case opened under its contract, R9
// for its closing (retention runs from it), R4 for a record added (N5 for
// a BSN, O6 for a medical record), O13 for a rectification and for a
// deletion, O6 for a read of the medical file.
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

// event is the audit event of act doing action to an object (rules G7,
// N9): allowed under rule, by the policy's version.
func (d *Dossiers) event(act *Act, action EventAction, rule RuleID, subject SubjectID, c CaseID, cat Category,
	object string, purpose Purpose) Event {
	if act.Purpose != "" {
		purpose = act.Purpose
	}
	return Event{Time: act.At, Principal: act.By.ID, Role: act.By.Role, OnBehalfOf: act.By.Party, Purpose: purpose,
		Subject: subject, Case: c, Category: cat, Object: object, Action: action, Outcome: OutcomeAllowed,
		Rule: rule, Policy: d.policy.Version, AccessPoint: act.AccessPoint, Client: act.Client}
}

// recordEvent is the event of act doing action to record r.
func (d *Dossiers) recordEvent(act *Act, action EventAction, rule RuleID, r *Record) Event {
	return d.event(act, action, rule, r.Subject, r.Case, r.Category, string(r.ID), r.Purpose)
}

// checkAct validates act for operation op: a malformed act fails with
// [ErrInvalid] (a contractor without its agreement with [ErrForbidden],
// rule O7) and nothing is written.
func checkAct(op string, act *Act) error {
	if err := act.Validate(); err != nil {
		var e *Error
		if errors.As(err, &e) {
			c := *e
			c.Op, c.Path = op, "act."+c.Path
			return &c
		}
		return err
	}
	return nil
}

// checkPurpose refuses an act for another purpose than the one of what it
// acts on (R5).
func checkPurpose(op string, act *Act, purpose Purpose) error {
	if act.Purpose != "" && act.Purpose != purpose {
		// Rule R5: a use for another purpose is refused.
		return &Error{Op: op, Kind: ErrForbidden, Rule: R5, Path: "act.purpose", Msg: "the act's purpose is not the case's"}
	}
	return nil
}

// CreateSubject registers a new subject, audited as act.
func (d *Dossiers) CreateSubject(ctx context.Context, act Act, s Subject) error {
	const op = "create subject"
	if err := checkAct(op, &act); err != nil {
		return err
	}
	s = s.normalize()
	if err := s.Validate(); err != nil {
		return err
	}
	return d.store.CreateSubject(ctx, s, []Event{d.event(&act, EventCreate, O8, s.ID, "", "", string(s.ID), "")})
}

// Subject returns a subject.
func (d *Dossiers) Subject(ctx context.Context, id SubjectID) (Subject, error) {
	if err := checkID("subject", "id", string(id)); err != nil {
		return Subject{}, err
	}
	return d.store.Subject(ctx, id)
}

// EndEmployment records, audited as act, that the subject's employment
// ended at ended (O8): several retention periods run from it (N7).
func (d *Dossiers) EndEmployment(ctx context.Context, act Act, id SubjectID, ended time.Time) error {
	const op = "end employment"
	if err := checkAct(op, &act); err != nil {
		return err
	}
	s, err := d.Subject(ctx, id)
	if err != nil {
		return err
	}
	if ended.IsZero() || ended.Before(s.Created) {
		return &Error{Op: op, Kind: ErrInvalid, Rule: O8, Msg: "employment cannot end before the subject was registered"}
	}
	s.EmploymentEnded = ended
	return d.store.UpdateSubject(ctx, s.normalize(), []Event{d.event(&act, EventUpdate, O8, s.ID, "", "", string(s.ID), "")})
}

// OpenCase opens a new case of an existing subject, audited as act. The
// case must carry a purpose the policy processes for in cases of its kind
// (R5) and a contract in force when it opens (O2).
func (d *Dossiers) OpenCase(ctx context.Context, act Act, c Case) error {
	const op = "open case"
	if err := checkAct(op, &act); err != nil {
		return err
	}
	c = c.normalize()
	if err := c.Validate(); err != nil {
		return err
	}
	if !c.IsOpen() {
		return &Error{Op: op, Kind: ErrInvalid, Path: "closed", Msg: "a new case is open"}
	}
	if !d.policy.AllowsPurpose(c.Purpose, c.Kind) {
		// Rule R5: data is processed only for the policy's purposes.
		return &Error{Op: op, Kind: ErrForbidden, Rule: R5, Path: "purpose",
			Msg: "the policy does not process for this purpose in cases of this kind"}
	}
	if err := checkPurpose(op, &act, c.Purpose); err != nil {
		return err
	}
	return d.store.CreateCase(ctx, c, []Event{d.event(&act, EventCreate, O2, c.Subject, c.ID, "", string(c.ID), c.Purpose)})
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

// CloseCase closes an open case at act.At, audited as act. Closing starts
// most retention clocks (R9, O12); a closed case takes no more records
// (R4). Closing a closed case fails with [ErrConflict], and so does
// closing it before one of its records was created or changed (the store
// checks that, R4: a case closes after what it holds).
func (d *Dossiers) CloseCase(ctx context.Context, act Act, id CaseID) error {
	const op = "close case"
	if err := checkAct(op, &act); err != nil {
		return err
	}
	c, err := d.Case(ctx, id)
	if err != nil {
		return err
	}
	if !c.IsOpen() {
		return &Error{Op: op, Kind: ErrConflict, Msg: "the case is closed already"}
	}
	at := Timestamp(act.At)
	if at.Before(c.Opened) {
		return &Error{Op: op, Kind: ErrInvalid, Path: "act.at", Msg: "a case cannot close before it opens"}
	}
	if err := checkPurpose(op, &act, c.Purpose); err != nil {
		return err
	}
	c.Closed = at
	return d.store.UpdateCase(ctx, c, []Event{d.event(&act, EventUpdate, R9, c.Subject, c.ID, "", string(c.ID), c.Purpose)})
}

// AddRecord adds one record to a case; see [Dossiers.AddRecords].
func (d *Dossiers) AddRecord(ctx context.Context, act Act, r Record) error {
	return d.AddRecords(ctx, act, r)
}

// AddRecords adds records to their cases, all or none, audited as act:
// one event per record. Each record is checked before anything is stored:
//   - its category exists and is not a special category (O5: fails with
//     [ErrProhibitedCategory]);
//   - its fields belong to its category;
//   - its case exists and is open (R4: a closed case takes no records at
//     all, [ErrConflict]; the store checks it again in the atomic unit of
//     the insert, so that a closing racing the addition never leaves a
//     record added after it), and its contract is in force at the
//     record's time (O2);
//   - its time is neither before its case opened nor after act.At (R4:
//     the file is supplemented as the trajectory goes, not back-dated or
//     ahead of time);
//   - its purpose is the case's (R5; an empty purpose takes the case's),
//     and so is the act's, if it has one;
//   - a BSN record names a legal basis of the policy that covers the BSN
//     and the record's purpose (N5); a record naming a basis, a basis that
//     covers its purpose.
//
// Medical records go to the separate medical file (O6); a batch holds
// either medical or non-medical records, never both, so that each batch is
// one atomic write.
func (d *Dossiers) AddRecords(ctx context.Context, act Act, rs ...Record) error {
	const op = "add records"
	if err := checkAct(op, &act); err != nil {
		return err
	}
	if len(rs) == 0 {
		return nil
	}
	out := make([]Record, len(rs))
	events := make([]Event, len(rs))
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
		if err := d.checkRecord(op, &act, c, r); err != nil {
			return err
		}
		rule := R4
		switch {
		case medical:
			rule = O6
		case r.Category == CategoryNationalID:
			rule = N5
		}
		out[i], events[i] = r, d.recordEvent(&act, EventCreate, rule, &r)
	}
	if medical {
		return d.store.AddMedicalRecords(ctx, out, events)
	}
	return d.store.AddRecords(ctx, out, events)
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

func (d *Dossiers) checkRecord(op string, act *Act, c Case, r Record) error {
	if r.Subject != c.Subject {
		return &Error{Op: op, Kind: ErrInvalid, Path: "subject", Msg: "the record's subject is not the case's"}
	}
	if !c.IsOpen() {
		// Rule R4: a file is supplemented during the trajectory, not
		// after: a closed case takes no records, whatever their time.
		return &Error{Op: op, Kind: ErrConflict, Rule: R4, Msg: "the case is closed"}
	}
	if r.Created.Before(c.Opened) {
		// Rule R4: no record from before the trajectory.
		return &Error{Op: op, Kind: ErrInvalid, Rule: R4, Path: "created", Msg: "before the case opened"}
	}
	if r.Created.After(Timestamp(act.At)) {
		// Rule R4: a record is not dated ahead of its adding.
		return &Error{Op: op, Kind: ErrInvalid, Rule: R4, Path: "created", Msg: "after the act that adds it"}
	}
	if !c.Contract.Covers(r.Created) {
		// Rule O2: only under a contract in force.
		return &Error{Op: op, Kind: ErrForbidden, Rule: O2, Msg: "the case's contract is not in force at the record's time"}
	}
	if r.Purpose != c.Purpose {
		// Rule R5: a use for another purpose is refused.
		return &Error{Op: op, Kind: ErrForbidden, Rule: R5, Path: "purpose", Msg: "the record's purpose is not the case's"}
	}
	if err := checkPurpose(op, act, c.Purpose); err != nil {
		return err
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

// MedicalRecord returns a record of the medical file (O6), read as act. It
// appends the read's audit event (rules G7, N9) before it returns
// anything: if the event cannot be written, the record is not returned
// and the error matches [ErrUnavailable] with rule G7. A record that is
// missing is audited as a failed read and fails with [ErrNotFound]; an
// act for another purpose than the record's case is audited as denied and
// fails with [ErrForbidden] (R5).
func (d *Dossiers) MedicalRecord(ctx context.Context, act Act, id RecordID) (Record, error) {
	const op = "medical record"
	if err := checkID(op, "id", string(id)); err != nil {
		return Record{}, err
	}
	if err := checkAct(op, &act); err != nil {
		return Record{}, err
	}
	r, err := d.store.MedicalRecord(ctx, id)
	switch {
	case errors.Is(err, ErrNotFound):
		ev := d.event(&act, EventRead, O6, "", "", CategoryMedical, string(id), "")
		ev.Outcome = OutcomeFailed
		if aerr := d.audit(ctx, ev); aerr != nil {
			return Record{}, aerr
		}
		return Record{}, err
	case err != nil:
		return Record{}, err
	}
	ev := d.recordEvent(&act, EventRead, O6, &r)
	perr := checkPurpose(op, &act, r.Purpose)
	if perr != nil {
		ev.Outcome, ev.Rule = OutcomeDenied, R5
	}
	if err := d.audit(ctx, ev); err != nil {
		return Record{}, err
	}
	if perr != nil {
		return Record{}, perr
	}
	return r, nil
}

// audit appends the events of a read; a failure is a refusal to read (G7).
func (d *Dossiers) audit(ctx context.Context, events ...Event) error {
	if _, err := d.store.AppendEvents(ctx, events...); err != nil {
		return &Error{Op: "audit read", Kind: ErrUnavailable, Rule: G7,
			Msg: "the read could not be audited, so nothing is returned", Err: err}
	}
	return nil
}

// CaseRecords yields a case's non-medical records, oldest first.
func (d *Dossiers) CaseRecords(ctx context.Context, id CaseID) iter.Seq2[Record, error] {
	if err := checkID("case records", "id", string(id)); err != nil {
		return errSeq(err)
	}
	return d.store.CaseRecords(ctx, id)
}

// SubjectRecordStore is a [Store] whose reads of a case's records filter
// by the case's subject as well as by the case (issue 14 §2: every hot
// query filters by the subject, so that a schema distributed by subject
// answers them from the subject's own shard). The records are those
// CaseRecords and CaseMedicalRecords yield, in the same order; a case
// that is not the subject's, or does not exist, yields [ErrNotFound].
// [Dossiers.SubjectCaseRecords] and [Dossiers.SubjectCaseMedicalRecords]
// read through it when the store has it; package privacytest checks that
// both paths give the same records.
type SubjectRecordStore interface {
	SubjectCaseRecords(ctx context.Context, subject SubjectID, id CaseID) iter.Seq2[Record, error]
	SubjectCaseMedicalRecords(ctx context.Context, subject SubjectID, id CaseID) iter.Seq2[Record, error]
}

// SubjectCaseRecords yields the non-medical records of case id of
// subject, oldest first, as [Dossiers.CaseRecords] does: filtered by the
// subject too when the store is a [SubjectRecordStore]. A caller that
// has read the case (access.Guard, an export) knows its subject. A case
// that is not the subject's yields [ErrNotFound].
func (d *Dossiers) SubjectCaseRecords(ctx context.Context, subject SubjectID, id CaseID) iter.Seq2[Record, error] {
	const op = "case records"
	if err := checkID(op, "subject", string(subject)); err != nil {
		return errSeq(err)
	}
	if err := checkID(op, "id", string(id)); err != nil {
		return errSeq(err)
	}
	return d.subjectRecords(ctx, op, subject, id, false)
}

// subjectRecords yields the records of one file of case id of subject:
// the store's filtered read, or, for a store without one, the case read
// first so that a case of another subject is refused alike.
func (d *Dossiers) subjectRecords(ctx context.Context, op string, subject SubjectID, id CaseID, medical bool) iter.Seq2[Record, error] {
	if ss, ok := d.store.(SubjectRecordStore); ok {
		if medical {
			return ss.SubjectCaseMedicalRecords(ctx, subject, id)
		}
		return ss.SubjectCaseRecords(ctx, subject, id)
	}
	return func(yield func(Record, error) bool) {
		c, err := d.store.Case(ctx, id)
		switch {
		case err != nil && !errors.Is(err, ErrNotFound):
			yield(Record{}, err)
			return
		case err != nil || c.Subject != subject:
			// Rule O10: a missing case and another subject's case give
			// the same error.
			yield(Record{}, &Error{Op: op, Kind: ErrNotFound, Path: "id", Msg: "no such case of the subject"})
			return
		}
		seq := d.store.CaseRecords(ctx, id)
		if medical {
			seq = d.store.CaseMedicalRecords(ctx, id)
		}
		for r, err := range seq {
			if !yield(r, err) || err != nil {
				return
			}
		}
	}
}

// CaseMedicalRecords yields a case's medical records, oldest first, read
// as act. It appends one audit event for the read (rules G7, N9) before it
// yields anything: if the event cannot be written, it yields that error
// (matching [ErrUnavailable], rule G7) and no record. A missing case is
// audited as a failed read; an act for another purpose than the case's is
// audited as denied and yields [ErrForbidden] (R5).
func (d *Dossiers) CaseMedicalRecords(ctx context.Context, act Act, id CaseID) iter.Seq2[Record, error] {
	const op = "case medical records"
	if err := checkID(op, "id", string(id)); err != nil {
		return errSeq(err)
	}
	if err := checkAct(op, &act); err != nil {
		return errSeq(err)
	}
	return d.medicalRead(ctx, op, &act, "", id, d.store.CaseMedicalRecords(ctx, id))
}

// SubjectCaseMedicalRecords is [Dossiers.CaseMedicalRecords] for case id
// of subject, filtered by the subject too when the store is a
// [SubjectRecordStore] (see [Dossiers.SubjectCaseRecords]); audited
// alike (rules G7, N9). A case that is not the subject's yields
// [ErrNotFound], audited as a failed read.
func (d *Dossiers) SubjectCaseMedicalRecords(ctx context.Context, act Act, subject SubjectID, id CaseID) iter.Seq2[Record, error] {
	const op = "case medical records"
	if err := checkID(op, "subject", string(subject)); err != nil {
		return errSeq(err)
	}
	if err := checkID(op, "id", string(id)); err != nil {
		return errSeq(err)
	}
	if err := checkAct(op, &act); err != nil {
		return errSeq(err)
	}
	return d.medicalRead(ctx, op, &act, subject, id, d.subjectRecords(ctx, op, subject, id, true))
}

// medicalRead yields the medical records of case id from src, with the
// read's audit event appended before the first of them (rules G7, N9).
// subject is the case's subject when the read asked by it (src then gives
// only a case of that subject), else empty.
func (d *Dossiers) medicalRead(ctx context.Context, op string, a *Act, subject SubjectID, id CaseID, src iter.Seq2[Record, error]) iter.Seq2[Record, error] {
	act := *a
	return func(yield func(Record, error) bool) {
		// The event is written once the store has answered, so that it
		// names the subject whose medical file was read.
		logged := false
		for r, err := range src {
			if !logged {
				logged = true
				ev := d.event(&act, EventRead, O6, r.Subject, id, CategoryMedical, "", r.Purpose)
				var perr error
				switch {
				case err != nil:
					ev.Outcome = OutcomeFailed
				default:
					if perr = checkPurpose(op, &act, r.Purpose); perr != nil {
						ev.Outcome, ev.Rule = OutcomeDenied, R5
					}
				}
				if aerr := d.audit(ctx, ev); aerr != nil {
					yield(Record{}, aerr)
					return
				}
				if perr != nil {
					yield(Record{}, perr)
					return
				}
			}
			if !yield(r, err) || err != nil {
				return
			}
		}
		if !logged {
			// An empty medical file was read all the same; asked by
			// subject, the store found the case the subject's, and the
			// read goes in the subject's chain (rules G7, N9: who saw
			// what of whom, in the access log of the subject's export).
			if aerr := d.audit(ctx, d.event(&act, EventRead, O6, subject, id, CategoryMedical, "", "")); aerr != nil {
				yield(Record{}, aerr)
			}
		}
	}
}

// UpdateRecord rectifies a record (O13), audited as act: its content
// changes, its identity, case, subject, category and creation time do
// not, and its update time becomes act.At, which must be later than its
// last. The same checks as [Dossiers.AddRecords] apply, but a record of a
// closed case may be rectified. A record saved unchanged (the same
// fields, source, purpose and legal basis) is not rewritten: the update
// is audited and its last change stays (rules R9, O12, N7: the periods
// that run from it, and from its case's last activity, do not move).
//
// A record that a standing legal hold covers does not change: the store
// refuses with an error matching [ErrForbidden] that names rule [G3].
// Refusal, not a new version: GDPR art. 17(3)(b),(e) keeps held data for a
// legal obligation or a legal claim as it stood, and a rectification that
// kept only the old version beside the new would still change what the
// file says. Lift the hold first.
func (d *Dossiers) UpdateRecord(ctx context.Context, act Act, r Record) error {
	const op = "update record"
	if err := checkAct(op, &act); err != nil {
		return err
	}
	r = r.Clone()
	r.Updated = act.At
	r = r.normalize()
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
		return &Error{Op: op, Kind: ErrInvalid, Path: "act.at", Msg: "an update needs a later time"}
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
	if err := checkPurpose(op, &act, c.Purpose); err != nil {
		return err
	}
	events := []Event{d.recordEvent(&act, EventUpdate, O13, &r)}
	if unchanged(&old, &r) {
		// Rules R9, O12, N7: a record saved again unchanged (a sync that
		// upserts what it holds, a form saved without an edit) is no
		// rectification and no activity: its last change, which the
		// periods of its case's last activity, of the fiscal seven
		// years' year and of the medical file run from, stays where it
		// was, or a nightly save would keep the data for ever. The save
		// is audited as asked (N9); nothing is rewritten.
		_, err := d.store.AppendEvents(ctx, events...)
		return err
	}
	if r.Category.Medical() {
		return d.store.UpdateMedicalRecord(ctx, r, events)
	}
	return d.store.UpdateRecord(ctx, r, events)
}

// unchanged reports whether r says what old says: its content, source,
// purpose and legal basis (who saves it and when are not what it says).
func unchanged(old, r *Record) bool {
	return maps.Equal(old.Fields, r.Fields) && old.Source == r.Source && old.Purpose == r.Purpose && old.Basis == r.Basis
}

// DeleteRecord deletes a record from whichever file holds it, audited as
// act. If the store also keeps legal holds (package retention), a record
// that a standing hold covers is not deleted: the error matches
// [ErrForbidden] and names rule [G3]. Lift the hold first, or let a
// retention sweep delete when it may.
func (d *Dossiers) DeleteRecord(ctx context.Context, act Act, id RecordID) error {
	const op = "delete record"
	if err := checkID(op, "id", string(id)); err != nil {
		return err
	}
	if err := checkAct(op, &act); err != nil {
		return err
	}
	r, err := d.store.Record(ctx, id)
	if errors.Is(err, ErrNotFound) {
		return d.DeleteMedicalRecord(ctx, act, id)
	}
	if err != nil {
		return err
	}
	if err := checkPurpose(op, &act, r.Purpose); err != nil {
		return err
	}
	return d.store.DeleteRecord(ctx, id, []Event{d.recordEvent(&act, EventDelete, O13, &r)})
}

// DeleteMedicalRecord deletes a record of the medical file only (rule O6),
// audited as act, as the physicians' side does: unlike DeleteRecord it
// never asks the ordinary file, which a store limited to the medical file
// may not read. A record of the ordinary file is not found here. Legal
// holds count as for DeleteRecord ([ErrForbidden], rule [G3]).
func (d *Dossiers) DeleteMedicalRecord(ctx context.Context, act Act, id RecordID) error {
	const op = "delete medical record"
	if err := checkID(op, "id", string(id)); err != nil {
		return err
	}
	if err := checkAct(op, &act); err != nil {
		return err
	}
	r, err := d.store.MedicalRecord(ctx, id)
	if err != nil {
		return err
	}
	if err := checkPurpose(op, &act, r.Purpose); err != nil {
		return err
	}
	return d.store.DeleteMedicalRecord(ctx, id, []Event{d.recordEvent(&act, EventDelete, O13, &r)})
}

// DeleteCase deletes a case with all its records, medical ones included:
// all or nothing, audited as act with one event per record and one for
// the case. If the store also keeps legal holds, a case that a standing
// hold covers, as a whole or in one of its records, is not deleted
// ([ErrForbidden], rule [G3]).
func (d *Dossiers) DeleteCase(ctx context.Context, act Act, id CaseID) error {
	const op = "delete case"
	if err := checkID(op, "id", string(id)); err != nil {
		return err
	}
	if err := checkAct(op, &act); err != nil {
		return err
	}
	c, err := d.store.Case(ctx, id)
	if err != nil {
		return err
	}
	if err := checkPurpose(op, &act, c.Purpose); err != nil {
		return err
	}
	events, err := d.caseDeletion(ctx, &act, c, nil)
	if err != nil {
		return err
	}
	return d.store.DeleteCase(ctx, id, events)
}

// caseDeletion appends to events those of deleting case c: one per record
// of either file, then the case's.
func (d *Dossiers) caseDeletion(ctx context.Context, act *Act, c Case, events []Event) ([]Event, error) {
	for _, seq := range [...]iter.Seq2[Record, error]{d.subjectRecords(ctx, "delete case", c.Subject, c.ID, false),
		d.subjectRecords(ctx, "delete case", c.Subject, c.ID, true)} {
		for r, err := range seq {
			if err != nil {
				return nil, err
			}
			events = append(events, d.recordEvent(act, EventDelete, O13, &r))
		}
	}
	return append(events, d.event(act, EventDelete, O13, c.Subject, c.ID, "", string(c.ID), c.Purpose)), nil
}

// DeleteSubject deletes a subject with everything held about them: all or
// nothing, audited as act with one event per record and per case and one
// for the subject. If the store also keeps legal holds, a subject with a
// standing hold is not deleted ([ErrForbidden], rule [G3]).
func (d *Dossiers) DeleteSubject(ctx context.Context, act Act, id SubjectID) error {
	const op = "delete subject"
	if err := checkID(op, "id", string(id)); err != nil {
		return err
	}
	if err := checkAct(op, &act); err != nil {
		return err
	}
	cases, err := d.store.SubjectCases(ctx, id)
	if err != nil {
		return err
	}
	var events []Event
	for _, c := range cases {
		if events, err = d.caseDeletion(ctx, &act, c, events); err != nil {
			return err
		}
	}
	events = append(events, d.event(&act, EventDelete, O13, id, "", "", string(id), ""))
	return d.store.DeleteSubject(ctx, id, events)
}

func errSeq(err error) iter.Seq2[Record, error] {
	return func(yield func(Record, error) bool) { yield(Record{}, err) }
}
