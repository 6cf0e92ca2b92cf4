package pgstore

import (
	"context"
	"iter"
	"slices"

	"github.com/dossierwacht/dossierwacht/examples/internal/sqladapter"
	"github.com/dossierwacht/dossierwacht/privacy"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"
)

// CreateSubject implements [privacy.Store]: the subject and its audit
// events in one transaction.
func (s *Store) CreateSubject(ctx context.Context, sub privacy.Subject, events []privacy.Event) error {
	const op = "pgstore: create subject"
	if err := checkWrite(op, sqladapter.CheckSubject(op, sub), events); err != nil {
		return err
	}
	return s.write(ctx, op, func(tx pgx.Tx) error {
		if _, err := s.exec(ctx, tx, op, s.q.createSubject, string(sub.ID), string(sub.Employer), ts(sub.EmploymentEnded),
			ts(sub.Created)); err != nil {
			return err
		}
		_, err := s.appendEvents(ctx, tx, op, events)
		return err
	})
}

// checkWrite returns the first of err and the check of a write's audit
// events (rules O1, G7: none goes unaudited).
func checkWrite(op string, err error, events []privacy.Event) error {
	if err != nil {
		return err
	}
	return sqladapter.CheckWriteEvents(op, events)
}

func scanSubject(id privacy.SubjectID, row pgx.Row) (privacy.Subject, error) {
	var employer string
	var ended, created pgtype.Timestamptz
	if err := row.Scan(&employer, &ended, &created); err != nil {
		return privacy.Subject{}, err
	}
	return privacy.Subject{ID: id, Employer: privacy.PartyID(employer), EmploymentEnded: timeOf(ended), Created: timeOf(created)}, nil
}

// Subject implements [privacy.Store]. It always reads the primary.
func (s *Store) Subject(ctx context.Context, id privacy.SubjectID) (privacy.Subject, error) {
	const op = "pgstore: subject"
	if err := sqladapter.CheckID(op, "id", string(id)); err != nil {
		return privacy.Subject{}, err
	}
	sub, err := scanSubject(id, s.pool.QueryRow(ctx, s.q.subject, string(id)))
	if err != nil {
		return privacy.Subject{}, fail(op, err, nil)
	}
	return sub, nil
}

// UpdateSubject implements [privacy.Store]. A subject whose whole data a
// standing legal hold keeps does not change (rule G3), except to record
// the end of employment: the check runs under the lock of the subject's
// row, which [Store.PlaceHold] takes too.
func (s *Store) UpdateSubject(ctx context.Context, sub privacy.Subject, events []privacy.Event) error {
	const op = "pgstore: update subject"
	if err := checkWrite(op, sqladapter.CheckSubject(op, sub), events); err != nil {
		return err
	}
	return s.write(ctx, op, func(tx pgx.Tx) error {
		old, err := scanSubject(sub.ID, tx.QueryRow(ctx, s.q.subjectForUpdate, string(sub.ID)))
		if err != nil {
			return err
		}
		holds, err := s.standingHolds(ctx, tx, []string{string(sub.ID)})
		if err != nil {
			return err
		}
		if sqladapter.SubjectChangeHeld(holds[sub.ID], old, sub) {
			return sqladapter.Held(op, "a legal hold keeps the subject's data")
		}
		if _, err := s.exec(ctx, tx, op, s.q.updateSubject, string(sub.Employer), ts(sub.EmploymentEnded), ts(sub.Created),
			string(sub.ID)); err != nil {
			return err
		}
		_, err = s.appendEvents(ctx, tx, op, events)
		return err
	})
}

// DeleteSubject implements [privacy.Store]: the subject, its cases and
// every record of them, medical ones included, in one transaction. The
// role it runs under needs DELETE on both schemas. A subject with a
// standing legal hold is not deleted (rule G3): the check runs under the
// lock of the subject's row, which [Store.PlaceHold] takes too.
func (s *Store) DeleteSubject(ctx context.Context, id privacy.SubjectID, events []privacy.Event) error {
	const op = "pgstore: delete subject"
	if err := checkWrite(op, sqladapter.CheckID(op, "id", string(id)), events); err != nil {
		return err
	}
	return s.write(ctx, op, func(tx pgx.Tx) error {
		if err := tx.QueryRow(ctx, s.q.lockSubject, string(id)).Scan(new(int)); err != nil {
			return err
		}
		// Rule G3: a held record is never deleted.
		if err := s.checkSubjectHolds(ctx, tx, op, string(id)); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, s.q.lockSubjectCases, string(id)); err != nil {
			return err
		}
		for _, q := range s.q.deleteSubject {
			if _, err := s.exec(ctx, tx, op, q, string(id)); err != nil {
				return fail(op, err, privacy.ErrConflict)
			}
		}
		_, err := s.appendEvents(ctx, tx, op, events)
		return err
	})
}

// CreateCase implements [privacy.Store].
func (s *Store) CreateCase(ctx context.Context, c privacy.Case, events []privacy.Event) error {
	const op = "pgstore: create case"
	if err := checkWrite(op, sqladapter.CheckCase(op, c), events); err != nil {
		return err
	}
	return s.write(ctx, op, func(tx pgx.Tx) error {
		if _, err := s.exec(ctx, tx, op, s.q.createCase, string(c.ID), string(c.Subject), string(c.Kind), string(c.Purpose),
			string(c.Contract.ID), string(c.Contract.Party), string(c.Contract.PartyKind),
			ts(c.Contract.Start), ts(c.Contract.End), ts(c.Opened), ts(c.Closed)); err != nil {
			return err
		}
		_, err := s.appendEvents(ctx, tx, op, events)
		return err
	})
}

func scanCase(row pgx.Row) (privacy.Case, error) {
	var id, subject, kind, purpose, contractID, party, partyKind string
	var start, end, opened, closed pgtype.Timestamptz
	if err := row.Scan(&id, &subject, &kind, &purpose, &contractID, &party, &partyKind, &start, &end, &opened, &closed); err != nil {
		return privacy.Case{}, err
	}
	return privacy.Case{ID: privacy.CaseID(id), Subject: privacy.SubjectID(subject), Kind: privacy.CaseKind(kind),
		Purpose: privacy.Purpose(purpose),
		Contract: privacy.Contract{ID: privacy.ContractID(contractID), Party: privacy.PartyID(party),
			PartyKind: privacy.PartyKind(partyKind), Start: timeOf(start), End: timeOf(end)},
		Opened: timeOf(opened), Closed: timeOf(closed)}, nil
}

// Case implements [privacy.Store]. It always reads the primary.
func (s *Store) Case(ctx context.Context, id privacy.CaseID) (privacy.Case, error) {
	const op = "pgstore: case"
	if err := sqladapter.CheckID(op, "id", string(id)); err != nil {
		return privacy.Case{}, err
	}
	c, err := scanCase(s.pool.QueryRow(ctx, s.q.caseByID, string(id)))
	if err != nil {
		return privacy.Case{}, fail(op, err, nil)
	}
	return c, nil
}

// UpdateCase implements [privacy.Store]. A case whose whole data a
// standing legal hold keeps does not change (rule G3), except to close:
// the check runs under the lock of its subject's row, which
// [Store.PlaceHold] takes too. The UPDATE locks the case's row, which
// AddRecords and AddMedicalRecords lock FOR SHARE before they read whether
// the case is open (rule R4): a closing waits for an addition under way,
// and an addition after it sees the case closed.
func (s *Store) UpdateCase(ctx context.Context, c privacy.Case, events []privacy.Event) error {
	const op = "pgstore: update case"
	if err := checkWrite(op, sqladapter.CheckCase(op, c), events); err != nil {
		return err
	}
	return s.write(ctx, op, func(tx pgx.Tx) error {
		var subject string
		if err := tx.QueryRow(ctx, s.q.caseSubject, string(c.ID)).Scan(&subject); err != nil {
			return err
		}
		if subject != string(c.Subject) {
			return &privacy.Error{Op: op, Kind: privacy.ErrInvalid, Msg: "a case's subject does not change"}
		}
		if err := tx.QueryRow(ctx, s.q.lockSubject, subject).Scan(new(int)); err != nil {
			return err
		}
		// The case's row before what is read of it, so that no record is
		// added meanwhile (AddRecords locks it FOR SHARE).
		if err := tx.QueryRow(ctx, s.q.lockCase, string(c.ID)).Scan(new(int)); err != nil {
			return err
		}
		old, err := scanCase(tx.QueryRow(ctx, s.q.caseByID, string(c.ID)))
		if err != nil {
			return err
		}
		holds, err := s.standingHolds(ctx, tx, []string{subject})
		if err != nil {
			return err
		}
		if sqladapter.CaseChangeHeld(holds[c.Subject], old, c) {
			return sqladapter.Held(op, "a legal hold keeps the case")
		}
		// Rule R4: a case closes after what it holds, not before; the
		// function answers for the medical file too, which this role may
		// not read.
		if old.IsOpen() && !c.IsOpen() {
			var after bool
			if err := tx.QueryRow(ctx, s.q.caseDatedAfter, string(c.ID), ts(c.Closed)).Scan(&after); err != nil {
				return err
			}
			if after {
				return sqladapter.ClosedBefore(op)
			}
		}
		n, err := s.exec(ctx, tx, op, s.q.updateCase, string(c.Kind), string(c.Purpose), string(c.Contract.ID),
			string(c.Contract.Party), string(c.Contract.PartyKind), ts(c.Contract.Start), ts(c.Contract.End),
			ts(c.Opened), ts(c.Closed), string(c.ID), string(c.Subject))
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

// SubjectCases implements [privacy.Store]. With a context marked by
// [WithReplica] it may read the replica.
func (s *Store) SubjectCases(ctx context.Context, id privacy.SubjectID) ([]privacy.Case, error) {
	const op = "pgstore: subject cases"
	if err := sqladapter.CheckID(op, "id", string(id)); err != nil {
		return nil, err
	}
	db := s.lister(ctx)
	rows, err := db.Query(ctx, s.q.subjectCases, string(id))
	if err != nil {
		return nil, fail(op, err, nil)
	}
	out, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (privacy.Case, error) { return scanCase(row) })
	if err != nil {
		return nil, fail(op, err, nil)
	}
	if len(out) == 0 {
		// No cases: does the subject exist?
		if err := db.QueryRow(ctx, s.q.subjectExists, string(id)).Scan(new(int)); err != nil {
			return nil, fail(op, err, nil)
		}
		return []privacy.Case{}, nil
	}
	return out, nil
}

// DeleteCase implements [privacy.Store]: the case and every record of it,
// medical ones included, in one transaction. The role it runs under needs
// DELETE on both schemas. A case that a standing legal hold covers, whole
// or in one of its records, is not deleted (rule G3): the check runs under
// the lock of its subject's row, which [Store.PlaceHold] takes too.
func (s *Store) DeleteCase(ctx context.Context, id privacy.CaseID, events []privacy.Event) error {
	const op = "pgstore: delete case"
	if err := checkWrite(op, sqladapter.CheckID(op, "id", string(id)), events); err != nil {
		return err
	}
	return s.write(ctx, op, func(tx pgx.Tx) error {
		// The subject's row first, as DeleteSubject and EraseRecords
		// lock it, then the case's, which keeps records from being added
		// meanwhile. A case never changes subject.
		var subject string
		if err := tx.QueryRow(ctx, s.q.caseSubject, string(id)).Scan(&subject); err != nil {
			return err
		}
		if err := tx.QueryRow(ctx, s.q.lockSubject, subject).Scan(new(int)); err != nil {
			return err
		}
		if err := tx.QueryRow(ctx, s.q.lockCase, string(id)).Scan(new(int)); err != nil {
			return err
		}
		// Rule G3: a held record is never deleted.
		if err := s.checkCaseHolds(ctx, tx, op, subject, string(id)); err != nil {
			return err
		}
		for _, q := range s.q.deleteCase {
			if _, err := s.exec(ctx, tx, op, q, string(id)); err != nil {
				return fail(op, err, privacy.ErrConflict)
			}
		}
		_, err := s.appendEvents(ctx, tx, op, events)
		return err
	})
}

// recordColumnsOf returns the records as the column arrays of the insert
// statement.
func recordColumnsOf(rs []privacy.Record) []any {
	n := len(rs)
	text := make([][]string, 9)
	for i := range text {
		text[i] = make([]string, n)
	}
	created, updated := make([]pgtype.Timestamptz, n), make([]pgtype.Timestamptz, n)
	fields := make([][]byte, n)
	for i, r := range rs {
		for j, v := range []string{string(r.ID), string(r.Case), string(r.Subject), string(r.Category), string(r.Author),
			string(r.Source.Kind), string(r.Source.Party), string(r.Purpose), string(r.Basis)} {
			text[j][i] = v
		}
		created[i], updated[i], fields[i] = ts(r.Created), ts(r.Updated), sqladapter.EncodeFields(r.Fields)
	}
	args := make([]any, 0, 12)
	for _, col := range text {
		args = append(args, col)
	}
	return append(args, created, updated, fields)
}

func scanRecord(row pgx.Row) (privacy.Record, error) {
	var id, caseID, subject, category, author, sourceKind, sourceParty, purpose, basis string
	var created, updated pgtype.Timestamptz
	var fields []byte
	if err := row.Scan(&id, &caseID, &subject, &category, &author, &sourceKind, &sourceParty, &purpose, &basis,
		&created, &updated, &fields); err != nil {
		return privacy.Record{}, err
	}
	f, err := sqladapter.DecodeFields(fields)
	if err != nil {
		return privacy.Record{}, err
	}
	return privacy.Record{ID: privacy.RecordID(id), Case: privacy.CaseID(caseID), Subject: privacy.SubjectID(subject),
		Category: privacy.Category(category), Author: privacy.PrincipalID(author),
		Source:  privacy.Source{Kind: privacy.PartyKind(sourceKind), Party: privacy.PartyID(sourceParty)},
		Purpose: privacy.Purpose(purpose), Basis: privacy.LegalBasisID(basis),
		Created: timeOf(created), Updated: timeOf(updated), Fields: f}, nil
}

// AddRecords implements [privacy.Store]. The records are inserted by one
// statement, their columns sent as arrays. A closed case takes no records
// (rule R4): in the insert's transaction their cases' rows are locked FOR
// SHARE, through the function lock_cases (migration 0008), and each must
// be open; closing a case waits for the lock, and an addition after a
// closing sees it.
func (s *Store) AddRecords(ctx context.Context, rs []privacy.Record, events []privacy.Event) error {
	return s.addRecords(ctx, s.q.ordinary, rs, events)
}

// AddMedicalRecords implements [privacy.MedicalStore], as
// [Store.AddRecords] does. The physicians' role, which may read no more of
// a case than its ID, locks and reads the cases through lock_cases, which
// [Grants] lets it execute.
func (s *Store) AddMedicalRecords(ctx context.Context, rs []privacy.Record, events []privacy.Event) error {
	return s.addRecords(ctx, s.q.medical, rs, events)
}

func (s *Store) addRecords(ctx context.Context, f fileQueries, rs []privacy.Record, events []privacy.Event) error {
	op := "pgstore: add " + f.what + "s"
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
	return s.write(ctx, op, func(tx pgx.Tx) error {
		// Rule R4: only open cases take records.
		rows, err := tx.Query(ctx, s.q.lockCases, cases)
		if err != nil {
			return err
		}
		var id string
		var open bool
		found := 0
		if _, err := pgx.ForEachRow(rows, []any{&id, &open}, func() error {
			found++
			if !open {
				return sqladapter.Closed(op)
			}
			return nil
		}); err != nil {
			return err
		}
		if found != len(cases) {
			return pgx.ErrNoRows
		}
		if _, err := s.exec(ctx, tx, op, f.insert, recordColumnsOf(rs)...); err != nil {
			return err
		}
		_, err = s.appendEvents(ctx, tx, op, events)
		return err
	})
}

// Record implements [privacy.Store]. It always reads the primary.
func (s *Store) Record(ctx context.Context, id privacy.RecordID) (privacy.Record, error) {
	return s.record(ctx, s.q.ordinary, id)
}

// MedicalRecord implements [privacy.MedicalStore]. It always reads the
// primary.
func (s *Store) MedicalRecord(ctx context.Context, id privacy.RecordID) (privacy.Record, error) {
	return s.record(ctx, s.q.medical, id)
}

func (s *Store) record(ctx context.Context, f fileQueries, id privacy.RecordID) (privacy.Record, error) {
	op := "pgstore: " + f.what
	if err := sqladapter.CheckID(op, "id", string(id)); err != nil {
		return privacy.Record{}, err
	}
	r, err := scanRecord(s.pool.QueryRow(ctx, f.get, string(id)))
	if err != nil {
		return privacy.Record{}, fail(op, err, nil)
	}
	return r, nil
}

// UpdateRecord implements [privacy.Store]. A record that a standing legal
// hold covers does not change (rule G3): in one transaction it finds the
// record's subject, locks the subject's row, as [Store.PlaceHold] does
// before it inserts a hold, reads the subject's standing holds and
// updates the record if none covers it.
func (s *Store) UpdateRecord(ctx context.Context, r privacy.Record, events []privacy.Event) error {
	return s.updateRecord(ctx, s.q.ordinary, r, events)
}

// UpdateMedicalRecord implements [privacy.MedicalStore], as
// [Store.UpdateRecord] does; the physicians' role locks the subject's row
// through the function lock_subject.
func (s *Store) UpdateMedicalRecord(ctx context.Context, r privacy.Record, events []privacy.Event) error {
	return s.updateRecord(ctx, s.q.medical, r, events)
}

func (s *Store) updateRecord(ctx context.Context, f fileQueries, r privacy.Record, events []privacy.Event) error {
	op := "pgstore: update " + f.what
	if err := checkWrite(op, sqladapter.CheckRecord(op, r), events); err != nil {
		return err
	}
	return s.write(ctx, op, func(tx pgx.Tx) error {
		var c, subject string
		if err := tx.QueryRow(ctx, f.owner, string(r.ID)).Scan(&c, &subject); err != nil {
			return err
		}
		if c != string(r.Case) {
			return &privacy.Error{Op: op, Kind: privacy.ErrInvalid, Msg: "a record's case does not change"}
		}
		if err := tx.QueryRow(ctx, f.lockSubject, subject).Scan(new(int)); err != nil {
			return err
		}
		// Rule G3: a held record stays as it was.
		if err := s.checkRecordHolds(ctx, tx, op, subject, c, string(r.ID)); err != nil {
			return err
		}
		n, err := s.exec(ctx, tx, op, f.update, string(r.Subject), string(r.Category), string(r.Author),
			string(r.Source.Kind), string(r.Source.Party), string(r.Purpose), string(r.Basis),
			ts(r.Created), ts(r.Updated), sqladapter.EncodeFields(r.Fields), string(r.ID), string(r.Case))
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

// recordsPage is how many records one query of [Store.CaseRecords] reads.
const recordsPage = 256

// CaseRecords implements [privacy.Store]. The records are read a page at a
// time as the iteration goes, so that a large file is never held in memory
// and no connection is held while the caller works. With a context marked
// by [WithReplica] it may read the replica.
func (s *Store) CaseRecords(ctx context.Context, id privacy.CaseID) iter.Seq2[privacy.Record, error] {
	return s.caseRecords(ctx, s.q.ordinary, id)
}

// CaseMedicalRecords implements [privacy.MedicalStore], as
// [Store.CaseRecords] does.
func (s *Store) CaseMedicalRecords(ctx context.Context, id privacy.CaseID) iter.Seq2[privacy.Record, error] {
	return s.caseRecords(ctx, s.q.medical, id)
}

func (s *Store) caseRecords(ctx context.Context, f fileQueries, id privacy.CaseID) iter.Seq2[privacy.Record, error] {
	op := "pgstore: case " + f.what + "s"
	return func(yield func(privacy.Record, error) bool) {
		if err := sqladapter.CheckID(op, "id", string(id)); err != nil {
			yield(privacy.Record{}, err)
			return
		}
		db := s.lister(ctx)
		page, err := recordPage(ctx, db, f.first, string(id), recordsPage)
		if err == nil && len(page) == 0 {
			// No records: does the case exist?
			err = db.QueryRow(ctx, s.q.caseExists, string(id)).Scan(new(int))
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
			page, err = recordPage(ctx, db, f.after, string(id), ts(last.Created), string(last.ID), recordsPage)
		}
		if err != nil {
			yield(privacy.Record{}, fail(op, err, nil))
		}
	}
}

type queryer interface {
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
}

func recordPage(ctx context.Context, db queryer, query string, args ...any) ([]privacy.Record, error) {
	rows, err := db.Query(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(row pgx.CollectableRow) (privacy.Record, error) { return scanRecord(row) })
}

// DeleteRecord implements [privacy.Store]. A record that a standing legal
// hold covers is not deleted (rule G3). In one transaction it finds the
// record's subject, locks the subject's row, as [Store.PlaceHold] does
// before it inserts a hold, reads the subject's standing holds and deletes
// the record if none covers it: a hold placed at the same time either
// waits for the deletion or is seen by it. The role needs SELECT on the
// holds (both roles of [Grants] have it).
func (s *Store) DeleteRecord(ctx context.Context, id privacy.RecordID, events []privacy.Event) error {
	return s.deleteRecord(ctx, s.q.ordinary, id, events)
}

// DeleteMedicalRecord implements [privacy.MedicalStore], as
// [Store.DeleteRecord] does. The physicians' role, which may not lock a
// subject's row, locks it through the function lock_subject (migration
// 0007), which [Grants] lets it execute.
func (s *Store) DeleteMedicalRecord(ctx context.Context, id privacy.RecordID, events []privacy.Event) error {
	return s.deleteRecord(ctx, s.q.medical, id, events)
}

func (s *Store) deleteRecord(ctx context.Context, f fileQueries, id privacy.RecordID, events []privacy.Event) error {
	op := "pgstore: delete " + f.what
	if err := checkWrite(op, sqladapter.CheckID(op, "id", string(id)), events); err != nil {
		return err
	}
	return s.write(ctx, op, func(tx pgx.Tx) error {
		var c, subject string
		if err := tx.QueryRow(ctx, f.owner, string(id)).Scan(&c, &subject); err != nil {
			return err
		}
		if err := tx.QueryRow(ctx, f.lockSubject, subject).Scan(new(int)); err != nil {
			return err
		}
		// Rule G3: a held record is never deleted.
		if err := s.checkRecordHolds(ctx, tx, op, subject, c, string(id)); err != nil {
			return err
		}
		// Only the record of the case and subject checked.
		n, err := s.exec(ctx, tx, op, f.delete, string(id), c, subject)
		if err != nil {
			return err
		}
		if n == 1 {
			_, err = s.appendEvents(ctx, tx, op, events)
			return err
		}
		if err := tx.QueryRow(ctx, f.caseOf, string(id)).Scan(new(string)); err != nil {
			return err // deleted meanwhile
		}
		return &privacy.Error{Op: op, Kind: privacy.ErrConflict, Msg: "the record changed while it was deleted"}
	})
}
