package sqlcore

import (
	"context"
	"iter"
	"slices"

	"github.com/dossierwacht/dossierwacht/examples/internal/sqladapter"
	"github.com/dossierwacht/dossierwacht/privacy"
)

// CreateSubject implements privacy.Store: the subject and its audit events
// in one transaction.
func (s Store) CreateSubject(ctx context.Context, sub privacy.Subject, events []privacy.Event) error {
	op := s.op("create subject")
	if err := checkWrite(op, sqladapter.CheckSubject(op, sub), events); err != nil {
		return err
	}
	return s.write(ctx, op, func(tx Conn) error {
		if _, err := s.Exec(ctx, tx, op, s.Q.CreateSubject, string(sub.ID), string(sub.Employer),
			s.D.Time(sub.EmploymentEnded), s.D.Time(sub.Created)); err != nil {
			return err
		}
		_, err := s.appendEvents(ctx, tx, op, events)
		return err
	})
}

// Subject implements privacy.Store.
func (s Store) Subject(ctx context.Context, id privacy.SubjectID) (privacy.Subject, error) {
	op := s.op("subject")
	if err := sqladapter.CheckID(op, "id", string(id)); err != nil {
		return privacy.Subject{}, err
	}
	sub, err := scanSubject(s.D, s.D.Reader(ctx, false).QueryRow(ctx, s.Q.Subject, string(id)))
	if err != nil {
		return privacy.Subject{}, s.fail(op, err)
	}
	return sub, nil
}

// UpdateSubject implements privacy.Store. A subject whose whole data a
// standing legal hold keeps does not change (rule G3), except to record
// the end of employment: checked in the update's transaction, after the
// subject's row is read for update.
func (s Store) UpdateSubject(ctx context.Context, sub privacy.Subject, events []privacy.Event) error {
	op := s.op("update subject")
	if err := checkWrite(op, sqladapter.CheckSubject(op, sub), events); err != nil {
		return err
	}
	return s.write(ctx, op, func(tx Conn) error {
		old, err := scanSubject(s.D, tx.QueryRow(ctx, s.Q.SubjectForUpdate, string(sub.ID)))
		if err != nil {
			return err
		}
		hs, err := s.SubjectHolds(ctx, tx, sub.ID)
		if err != nil {
			return err
		}
		if sqladapter.SubjectChangeHeld(hs, old, sub) {
			return sqladapter.Held(op, "a legal hold keeps the subject's data")
		}
		if _, err := s.Exec(ctx, tx, op, s.Q.UpdateSubject, string(sub.Employer), s.D.Time(sub.EmploymentEnded),
			s.D.Time(sub.Created), string(sub.ID)); err != nil {
			return err
		}
		_, err = s.appendEvents(ctx, tx, op, events)
		return err
	})
}

// DeleteSubject implements privacy.Store: the subject, its cases and every
// record of them, medical ones included, and the rest of its data but its
// requests — its disclosure-log entries, consent grants, lifted holds and
// erasure requests (rules R9, O12: no subject row would lead a sweep to
// them) — in one transaction, its ID replaced in the group histories
// (rule N12). A subject
// with a standing legal hold is not deleted (rule G3): checked after its
// row is locked.
func (s Store) DeleteSubject(ctx context.Context, id privacy.SubjectID, events []privacy.Event) error {
	op := s.op("delete subject")
	if err := checkWrite(op, sqladapter.CheckID(op, "id", string(id)), events); err != nil {
		return err
	}
	return s.write(ctx, op, func(tx Conn) error {
		if err := tx.QueryRow(ctx, s.Q.LockSubject, string(id)).Scan(new(int)); err != nil {
			return err
		}
		// Rule G3: a held record is never deleted.
		if err := s.checkSubjectHolds(ctx, tx, op, id); err != nil {
			return err
		}
		if s.Q.LockSubjectCases != "" {
			if _, err := tx.Exec(ctx, s.Q.LockSubjectCases, string(id)); err != nil {
				return err
			}
		}
		for _, q := range append(slices.Clip(s.Q.DeleteSubject), s.Q.ForgetSubject...) {
			if _, err := s.Exec(ctx, tx, op, q, string(id)); err != nil {
				return s.D.Fail(op, err, privacy.ErrConflict)
			}
		}
		// Rules N12, R9, O12: its ID leaves the group histories.
		if err := s.forgetInGroups(ctx, tx, op, id); err != nil {
			return err
		}
		_, err := s.appendEvents(ctx, tx, op, events)
		return err
	})
}

// CreateCase implements privacy.Store.
func (s Store) CreateCase(ctx context.Context, c privacy.Case, events []privacy.Event) error {
	op := s.op("create case")
	if err := checkWrite(op, sqladapter.CheckCase(op, c), events); err != nil {
		return err
	}
	return s.write(ctx, op, func(tx Conn) error {
		if _, err := s.Exec(ctx, tx, op, s.Q.CreateCase, string(c.ID), string(c.Subject), string(c.Kind),
			string(c.Purpose), string(c.Contract.ID), string(c.Contract.Party), string(c.Contract.PartyKind),
			s.D.Time(c.Contract.Start), s.D.Time(c.Contract.End), s.D.Time(c.Opened), s.D.Time(c.Closed)); err != nil {
			return err
		}
		_, err := s.appendEvents(ctx, tx, op, events)
		return err
	})
}

// Case implements privacy.Store.
func (s Store) Case(ctx context.Context, id privacy.CaseID) (privacy.Case, error) {
	op := s.op("case")
	if err := sqladapter.CheckID(op, "id", string(id)); err != nil {
		return privacy.Case{}, err
	}
	c, err := scanCase(s.D, s.D.Reader(ctx, false).QueryRow(ctx, s.Q.Case, string(id)))
	if err != nil {
		return privacy.Case{}, s.fail(op, err)
	}
	return c, nil
}

// UpdateCase implements privacy.Store. A case whose whole data a standing
// legal hold keeps does not change (rule G3), except to close; a case
// closes after what it holds (rule R4). Both are checked after the rows of
// its subject and of the case are locked: an addition of records locks the
// case's row shared, so it comes wholly before or after the update.
func (s Store) UpdateCase(ctx context.Context, c privacy.Case, events []privacy.Event) error {
	op := s.op("update case")
	if err := checkWrite(op, sqladapter.CheckCase(op, c), events); err != nil {
		return err
	}
	return s.write(ctx, op, func(tx Conn) error {
		var subject privacy.SubjectID
		if err := tx.QueryRow(ctx, s.Q.CaseSubject, string(c.ID)).Scan(&subject); err != nil {
			return err
		}
		if subject != c.Subject {
			return &privacy.Error{Op: op, Kind: privacy.ErrInvalid, Msg: "a case's subject does not change"}
		}
		if err := tx.QueryRow(ctx, s.Q.LockSubject, string(subject)).Scan(new(int)); err != nil {
			return err
		}
		// The case's row before what is read of it, so that no record is
		// added meanwhile.
		if err := tx.QueryRow(ctx, s.Q.LockCase, string(c.ID)).Scan(new(int)); err != nil {
			return err
		}
		old, err := scanCase(s.D, tx.QueryRow(ctx, s.Q.Case, string(c.ID)))
		if err != nil {
			return err
		}
		hs, err := s.SubjectHolds(ctx, tx, subject)
		if err != nil {
			return err
		}
		if sqladapter.CaseChangeHeld(hs, old, c) {
			return sqladapter.Held(op, "a legal hold keeps the case")
		}
		// Rule R4: a case closes after what it holds, not before.
		if old.IsOpen() && !c.IsOpen() {
			var after bool
			if err := tx.QueryRow(ctx, s.Q.CaseDatedAfter, string(c.ID), s.D.Time(c.Closed)).Scan(&after); err != nil {
				return err
			}
			if after {
				return sqladapter.ClosedBefore(op)
			}
		}
		n, err := s.Exec(ctx, tx, op, s.Q.UpdateCase, string(c.Kind), string(c.Purpose), string(c.Contract.ID),
			string(c.Contract.Party), string(c.Contract.PartyKind), s.D.Time(c.Contract.Start), s.D.Time(c.Contract.End),
			s.D.Time(c.Opened), s.D.Time(c.Closed), string(c.ID), string(c.Subject))
		if err != nil {
			return err
		}
		if n != 1 {
			return &privacy.Error{Op: op, Kind: privacy.ErrConflict, Msg: "the case changed while it was updated"}
		}
		_, err = s.appendEvents(ctx, tx, op, events)
		return err
	})
}

// SubjectCases implements privacy.Store: a listing read.
func (s Store) SubjectCases(ctx context.Context, id privacy.SubjectID) ([]privacy.Case, error) {
	op := s.op("subject cases")
	if err := sqladapter.CheckID(op, "id", string(id)); err != nil {
		return nil, err
	}
	db := s.D.Reader(ctx, true)
	rows, err := db.Query(ctx, s.Q.SubjectCases, string(id))
	out, err := collect(rows, err, scanCase, s.D)
	if err != nil {
		return nil, s.fail(op, err)
	}
	if len(out) == 0 {
		// No cases: does the subject exist?
		if err := db.QueryRow(ctx, s.Q.SubjectExists, string(id)).Scan(new(int)); err != nil {
			return nil, s.fail(op, err)
		}
	}
	return out, nil
}

// DeleteCase implements privacy.Store: the case and every record of it,
// medical ones included, in one transaction. A case that a standing legal
// hold covers, whole or in one of its records, is not deleted (rule G3):
// checked after the rows of its subject and of the case are locked.
func (s Store) DeleteCase(ctx context.Context, id privacy.CaseID, events []privacy.Event) error {
	op := s.op("delete case")
	if err := checkWrite(op, sqladapter.CheckID(op, "id", string(id)), events); err != nil {
		return err
	}
	return s.write(ctx, op, func(tx Conn) error {
		// The subject's row first, as DeleteSubject and EraseRecords lock
		// it, then the case's, which keeps records from being added
		// meanwhile. A case never changes subject.
		var subject privacy.SubjectID
		if err := tx.QueryRow(ctx, s.Q.CaseSubject, string(id)).Scan(&subject); err != nil {
			return err
		}
		if err := tx.QueryRow(ctx, s.Q.LockSubject, string(subject)).Scan(new(int)); err != nil {
			return err
		}
		if err := tx.QueryRow(ctx, s.Q.LockCase, string(id)).Scan(new(int)); err != nil {
			return err
		}
		// Rule G3: a held record is never deleted.
		if err := s.checkCaseHolds(ctx, tx, op, subject, id); err != nil {
			return err
		}
		for _, q := range s.Q.DeleteCase {
			if _, err := s.Exec(ctx, tx, op, q, string(id)); err != nil {
				return s.D.Fail(op, err, privacy.ErrConflict)
			}
		}
		_, err := s.appendEvents(ctx, tx, op, events)
		return err
	})
}

// AddRecords implements privacy.Store and, with the medical file,
// privacy.MedicalStore. A closed case takes no records (rule R4): the
// cases of the records are read open, locked shared, in the insert's
// transaction.
func (s Store) AddRecords(ctx context.Context, f *File, rs []privacy.Record, events []privacy.Event) error {
	op := s.op("add " + f.What + "s")
	for _, r := range rs {
		if err := sqladapter.CheckRecord(op, r); err != nil {
			return err
		}
	}
	if err := sqladapter.CheckWriteEvents(op, events); err != nil {
		return err
	}
	if len(rs) == 0 {
		return nil
	}
	var cases []string
	for _, r := range rs {
		if !slices.Contains(cases, string(r.Case)) {
			cases = append(cases, string(r.Case))
		}
	}
	return s.write(ctx, op, func(tx Conn) error {
		// Rule R4: only open cases take records.
		found := 0
		rows, err := tx.Query(ctx, s.Q.LockCases, s.D.IDs(cases))
		err = each(rows, err, func(row Row) error {
			var id string
			var open bool
			if err := row.Scan(&id, &open); err != nil {
				return err
			}
			found++
			if !open {
				return sqladapter.Closed(op)
			}
			return nil
		})
		if err != nil {
			return err
		}
		if found != len(cases) {
			return &privacy.Error{Op: op, Kind: privacy.ErrNotFound}
		}
		if err := s.D.InsertRecords(ctx, tx, op, f, rs); err != nil {
			return err
		}
		_, err = s.appendEvents(ctx, tx, op, events)
		return err
	})
}

// Record implements privacy.Store and, with the medical file,
// privacy.MedicalStore.
func (s Store) Record(ctx context.Context, f *File, id privacy.RecordID) (privacy.Record, error) {
	op := s.op(f.What)
	if err := sqladapter.CheckID(op, "id", string(id)); err != nil {
		return privacy.Record{}, err
	}
	r, err := scanRecord(s.D, s.D.Reader(ctx, false).QueryRow(ctx, f.Get, string(id)))
	if err != nil {
		return privacy.Record{}, s.fail(op, err)
	}
	return r, nil
}

// UpdateRecord implements privacy.Store and, with the medical file,
// privacy.MedicalStore. A record that a standing legal hold covers does
// not change (rule G3): in one transaction it finds the record's subject,
// locks the subject's row, as PlaceHold does before it inserts a hold,
// reads the subject's standing holds and updates the record if none
// covers it.
func (s Store) UpdateRecord(ctx context.Context, f *File, r privacy.Record, events []privacy.Event) error {
	op := s.op("update " + f.What)
	if err := checkWrite(op, sqladapter.CheckRecord(op, r), events); err != nil {
		return err
	}
	return s.write(ctx, op, func(tx Conn) error {
		var c privacy.CaseID
		var subject privacy.SubjectID
		if err := tx.QueryRow(ctx, f.Owner, string(r.ID)).Scan(&c, &subject); err != nil {
			return err
		}
		if c != r.Case {
			return &privacy.Error{Op: op, Kind: privacy.ErrInvalid, Msg: "a record's case does not change"}
		}
		if err := tx.QueryRow(ctx, f.LockSubject, string(subject)).Scan(new(int)); err != nil {
			return err
		}
		// Rule G3: a held record stays as it was.
		if err := s.checkRecordHolds(ctx, tx, op, subject, c, r.ID); err != nil {
			return err
		}
		n, err := s.Exec(ctx, tx, op, f.Update, string(r.Subject), string(r.Category), string(r.Author),
			string(r.Source.Kind), string(r.Source.Party), string(r.Purpose), string(r.Basis),
			s.D.Time(r.Created), s.D.Time(r.Updated), sqladapter.EncodeFields(r.Fields), string(r.ID), string(r.Case))
		if err != nil {
			return err
		}
		if n != 1 {
			return &privacy.Error{Op: op, Kind: privacy.ErrConflict, Msg: "the record changed while it was updated"}
		}
		_, err = s.appendEvents(ctx, tx, op, events)
		return err
	})
}

// recordsPage is how many records one query of CaseRecords reads.
const recordsPage = 256

// CaseRecords implements privacy.Store and, with the medical file,
// privacy.MedicalStore: a listing read. The records are read a page at a
// time as the iteration goes, so that a large file is never held in
// memory and no connection is held while the caller works.
func (s Store) CaseRecords(ctx context.Context, f *File, id privacy.CaseID) iter.Seq2[privacy.Record, error] {
	op := s.op("case " + f.What + "s")
	return s.caseRecords(ctx, op, f.First, f.After, s.Q.CaseExists, nil, id)
}

// SubjectCaseRecords implements privacy.SubjectRecordStore, with the
// medical file too: the records of [Store.CaseRecords], read by subject
// and case (WHERE subject_id = $1 AND case_id = $2, on the index of
// migration 0063), so that a schema distributed by subject answers it
// from the subject's shard (issue 14 §2). A case that is not the
// subject's is not found.
func (s Store) SubjectCaseRecords(ctx context.Context, f *File, subject privacy.SubjectID, id privacy.CaseID) iter.Seq2[privacy.Record, error] {
	op := s.op("case " + f.What + "s")
	if err := sqladapter.CheckID(op, "subject", string(subject)); err != nil {
		return func(yield func(privacy.Record, error) bool) { yield(privacy.Record{}, err) }
	}
	return s.caseRecords(ctx, op, f.SubjectFirst, f.SubjectAfter, s.Q.SubjectCaseExists, []any{string(subject)}, id)
}

// caseRecords pages through a case's records: first (the leading args,
// case, limit) and after (the leading args, case, created, id, limit);
// exists (the leading args, case) tells an empty case from a missing one.
func (s Store) caseRecords(ctx context.Context, op, first, after, exists string, lead []any, id privacy.CaseID) iter.Seq2[privacy.Record, error] {
	args := func(more ...any) []any { return append(slices.Clone(lead), more...) }
	return func(yield func(privacy.Record, error) bool) {
		if err := sqladapter.CheckID(op, "id", string(id)); err != nil {
			yield(privacy.Record{}, err)
			return
		}
		db := s.D.Reader(ctx, true)
		rows, err := db.Query(ctx, first, args(string(id), recordsPage)...)
		page, err := collect(rows, err, scanRecord, s.D)
		if err == nil && len(page) == 0 {
			// No records: does the case exist (of the subject)?
			err = db.QueryRow(ctx, exists, args(string(id))...).Scan(new(int))
		}
		for err == nil && len(page) > 0 {
			for _, r := range page {
				if !yield(r, nil) {
					return
				}
			}
			if len(page) < recordsPage {
				return
			}
			last := page[len(page)-1]
			rows, err = db.Query(ctx, after, args(string(id), s.D.Time(last.Created), string(last.ID), recordsPage)...)
			page, err = collect(rows, err, scanRecord, s.D)
		}
		if err != nil {
			yield(privacy.Record{}, s.fail(op, err))
		}
	}
}

// DeleteRecord implements privacy.Store and, with the medical file,
// privacy.MedicalStore. A record that a standing legal hold covers is not
// deleted (rule G3). In one transaction it finds the record's subject,
// locks the subject's row, as PlaceHold does before it inserts a hold,
// reads the subject's standing holds and deletes the record if none covers
// it: a hold placed at the same time either waits for the deletion or is
// seen by it.
func (s Store) DeleteRecord(ctx context.Context, f *File, id privacy.RecordID, events []privacy.Event) error {
	op := s.op("delete " + f.What)
	if err := checkWrite(op, sqladapter.CheckID(op, "id", string(id)), events); err != nil {
		return err
	}
	return s.write(ctx, op, func(tx Conn) error {
		var c privacy.CaseID
		var subject privacy.SubjectID
		if err := tx.QueryRow(ctx, f.Owner, string(id)).Scan(&c, &subject); err != nil {
			return err
		}
		if err := tx.QueryRow(ctx, f.LockSubject, string(subject)).Scan(new(int)); err != nil {
			return err
		}
		// Rule G3: a held record is never deleted.
		if err := s.checkRecordHolds(ctx, tx, op, subject, c, id); err != nil {
			return err
		}
		// Only the record of the case and subject checked.
		n, err := s.Exec(ctx, tx, op, f.Delete, string(id), string(c), string(subject))
		if err != nil {
			return err
		}
		if n == 1 {
			_, err = s.appendEvents(ctx, tx, op, events)
			return err
		}
		if err := tx.QueryRow(ctx, f.CaseOf, string(id)).Scan(new(string)); err != nil {
			return err // deleted meanwhile
		}
		return &privacy.Error{Op: op, Kind: privacy.ErrConflict, Msg: "the record changed while it was deleted"}
	})
}
