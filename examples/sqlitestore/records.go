package sqlitestore

import (
	"context"
	"database/sql"
	"iter"

	"github.com/dossierwacht/dossierwacht/examples/internal/sqladapter"
	"github.com/dossierwacht/dossierwacht/privacy"
)

// CreateSubject implements [privacy.Store]: the subject and its audit
// events in one transaction.
func (s *Store) CreateSubject(ctx context.Context, sub privacy.Subject, events []privacy.Event) error {
	const op = "sqlitestore: create subject"
	if err := checkWrite(op, sqladapter.CheckSubject(op, sub), events); err != nil {
		return err
	}
	return s.write(ctx, op, func(tx *sql.Tx) error {
		if _, err := s.exec(ctx, tx, op, `INSERT INTO subjects (id, employer, employment_ended, created) VALUES (?, ?, ?, ?)`,
			sub.ID, sub.Employer, micros(sub.EmploymentEnded), micros(sub.Created)); err != nil {
			return err
		}
		_, err := s.appendEvents(ctx, tx, op, events)
		return err
	})
}

// checkWrite returns the first of err and the check of a write's audit
// events (rules O1, G7).
func checkWrite(op string, err error, events []privacy.Event) error {
	if err != nil {
		return err
	}
	return sqladapter.CheckWriteEvents(op, events)
}

const qSubject = `SELECT employer, employment_ended, created FROM subjects WHERE id = ?`

func scanSubject(id privacy.SubjectID, row scanner) (privacy.Subject, error) {
	sub := privacy.Subject{ID: id}
	var ended, created sql.NullInt64
	if err := row.Scan(&sub.Employer, &ended, &created); err != nil {
		return privacy.Subject{}, err
	}
	sub.EmploymentEnded, sub.Created = timeOf(ended), timeOf(created)
	return sub, nil
}

// Subject implements [privacy.Store].
func (s *Store) Subject(ctx context.Context, id privacy.SubjectID) (privacy.Subject, error) {
	const op = "sqlitestore: subject"
	if err := sqladapter.CheckID(op, "id", string(id)); err != nil {
		return privacy.Subject{}, err
	}
	sub, err := scanSubject(id, s.r.QueryRowContext(ctx, qSubject, id))
	if err != nil {
		return privacy.Subject{}, s.fail(op, err, nil)
	}
	return sub, nil
}

// UpdateSubject implements [privacy.Store]. A subject whose whole data a
// standing legal hold keeps does not change (rule G3), except to record
// the end of employment: checked in the update's transaction, which
// PlaceHold cannot enter.
func (s *Store) UpdateSubject(ctx context.Context, sub privacy.Subject, events []privacy.Event) error {
	const op = "sqlitestore: update subject"
	if err := checkWrite(op, sqladapter.CheckSubject(op, sub), events); err != nil {
		return err
	}
	return s.write(ctx, op, func(tx *sql.Tx) error {
		old, err := scanSubject(sub.ID, tx.QueryRowContext(ctx, qSubject, sub.ID))
		if err != nil {
			return err
		}
		hs, err := holdsOf(ctx, tx, sub.ID)
		if err != nil {
			return err
		}
		if sqladapter.SubjectChangeHeld(hs, old, sub) {
			return sqladapter.Held(op, "a legal hold keeps the subject's data")
		}
		if _, err := s.exec(ctx, tx, op, `UPDATE subjects SET employer = ?, employment_ended = ?, created = ? WHERE id = ?`,
			sub.Employer, micros(sub.EmploymentEnded), micros(sub.Created), sub.ID); err != nil {
			return err
		}
		_, err = s.appendEvents(ctx, tx, op, events)
		return err
	})
}

// DeleteSubject implements [privacy.Store]: the subject, its cases and
// every record of them, medical ones included, in one transaction. A
// subject with a standing legal hold is not deleted (rule G3).
func (s *Store) DeleteSubject(ctx context.Context, id privacy.SubjectID, events []privacy.Event) error {
	const op = "sqlitestore: delete subject"
	if err := checkWrite(op, sqladapter.CheckID(op, "id", string(id)), events); err != nil {
		return err
	}
	err := s.write(ctx, op, func(tx *sql.Tx) error {
		if err := tx.QueryRowContext(ctx, `SELECT 1 FROM subjects WHERE id = ?`, id).Scan(new(int)); err != nil {
			return err
		}
		// Rule G3: a held record is never deleted. Checked in the
		// deletion's transaction, which PlaceHold cannot enter.
		if err := checkSubjectHolds(ctx, tx, op, id); err != nil {
			return err
		}
		for _, q := range deleteSubject {
			if _, err := s.exec(ctx, tx, op, q, id); err != nil {
				return s.fail(op, err, privacy.ErrConflict)
			}
		}
		_, err := s.appendEvents(ctx, tx, op, events)
		return err
	})
	return err
}

// deleteSubject and deleteCase are the statements that erase a subject or
// a case, children first; each takes the ID.
var (
	deleteSubject = []string{
		`DELETE FROM medical_records WHERE case_id IN (SELECT id FROM cases WHERE subject_id = ?)`,
		`DELETE FROM records WHERE case_id IN (SELECT id FROM cases WHERE subject_id = ?)`,
		`DELETE FROM cases WHERE subject_id = ?`,
		`DELETE FROM subjects WHERE id = ?`,
	}
	deleteCase = []string{
		`DELETE FROM medical_records WHERE case_id = ?`,
		`DELETE FROM records WHERE case_id = ?`,
		`DELETE FROM cases WHERE id = ?`,
	}
)

// CreateCase implements [privacy.Store].
func (s *Store) CreateCase(ctx context.Context, c privacy.Case, events []privacy.Event) error {
	const op = "sqlitestore: create case"
	if err := checkWrite(op, sqladapter.CheckCase(op, c), events); err != nil {
		return err
	}
	return s.write(ctx, op, func(tx *sql.Tx) error {
		if _, err := s.exec(ctx, tx, op, `INSERT INTO cases (id, subject_id, kind, purpose, contract_id, contract_party,
	contract_party_kind, contract_start, contract_end, opened, closed) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			c.ID, c.Subject, c.Kind, c.Purpose, c.Contract.ID, c.Contract.Party, c.Contract.PartyKind,
			micros(c.Contract.Start), micros(c.Contract.End), micros(c.Opened), micros(c.Closed)); err != nil {
			return err
		}
		_, err := s.appendEvents(ctx, tx, op, events)
		return err
	})
}

const caseColumns = `id, subject_id, kind, purpose, contract_id, contract_party, contract_party_kind,
	contract_start, contract_end, opened, closed`

const qSubjectCases = `SELECT ` + caseColumns + ` FROM cases WHERE subject_id = ? ORDER BY opened, id`

// qCaseLatest is the latest time a record of a case, in either file, was
// created or changed (NULL for none).
const qCaseLatest = `SELECT max(t) FROM (
	SELECT max(created, coalesce(updated, created)) AS t FROM records WHERE case_id = ?1
	UNION ALL
	SELECT max(created, coalesce(updated, created)) FROM medical_records WHERE case_id = ?1)`

type scanner interface{ Scan(dest ...any) error }

func scanCase(row scanner) (privacy.Case, error) {
	var c privacy.Case
	var start, end, opened, closed sql.NullInt64
	err := row.Scan(&c.ID, &c.Subject, &c.Kind, &c.Purpose, &c.Contract.ID, &c.Contract.Party, &c.Contract.PartyKind,
		&start, &end, &opened, &closed)
	c.Contract.Start, c.Contract.End, c.Opened, c.Closed = timeOf(start), timeOf(end), timeOf(opened), timeOf(closed)
	return c, err
}

// Case implements [privacy.Store].
func (s *Store) Case(ctx context.Context, id privacy.CaseID) (privacy.Case, error) {
	const op = "sqlitestore: case"
	if err := sqladapter.CheckID(op, "id", string(id)); err != nil {
		return privacy.Case{}, err
	}
	c, err := scanCase(s.r.QueryRowContext(ctx, `SELECT `+caseColumns+` FROM cases WHERE id = ?`, id))
	if err != nil {
		return privacy.Case{}, s.fail(op, err, nil)
	}
	return c, nil
}

// UpdateCase implements [privacy.Store]. A case whose whole data a
// standing legal hold keeps does not change (rule G3), except to close:
// checked in the update's transaction, which PlaceHold cannot enter.
// Closing it shuts out AddRecords (rule R4), which runs alone as well.
func (s *Store) UpdateCase(ctx context.Context, c privacy.Case, events []privacy.Event) error {
	const op = "sqlitestore: update case"
	if err := checkWrite(op, sqladapter.CheckCase(op, c), events); err != nil {
		return err
	}
	return s.write(ctx, op, func(tx *sql.Tx) error {
		old, err := scanCase(tx.QueryRowContext(ctx, `SELECT `+caseColumns+` FROM cases WHERE id = ?`, c.ID))
		if err != nil {
			return err
		}
		if old.Subject != c.Subject {
			return &privacy.Error{Op: op, Kind: privacy.ErrInvalid, Msg: "a case's subject does not change"}
		}
		hs, err := holdsOf(ctx, tx, c.Subject)
		if err != nil {
			return err
		}
		if sqladapter.CaseChangeHeld(hs, old, c) {
			return sqladapter.Held(op, "a legal hold keeps the case")
		}
		// Rule R4: a case closes after what it holds, not before.
		if old.IsOpen() && !c.IsOpen() {
			var latest sql.NullInt64
			if err := tx.QueryRowContext(ctx, qCaseLatest, c.ID).Scan(&latest); err != nil {
				return err
			}
			if latest.Valid && timeOf(latest).After(c.Closed) {
				return sqladapter.ClosedBefore(op)
			}
		}
		if _, err := s.exec(ctx, tx, op, `UPDATE cases SET kind = ?, purpose = ?, contract_id = ?, contract_party = ?,
	contract_party_kind = ?, contract_start = ?, contract_end = ?, opened = ?, closed = ? WHERE id = ? AND subject_id = ?`,
			c.Kind, c.Purpose, c.Contract.ID, c.Contract.Party, c.Contract.PartyKind,
			micros(c.Contract.Start), micros(c.Contract.End), micros(c.Opened), micros(c.Closed), c.ID, c.Subject); err != nil {
			return err
		}
		_, err = s.appendEvents(ctx, tx, op, events)
		return err
	})
}

// SubjectCases implements [privacy.Store].
func (s *Store) SubjectCases(ctx context.Context, id privacy.SubjectID) ([]privacy.Case, error) {
	const op = "sqlitestore: subject cases"
	if err := sqladapter.CheckID(op, "id", string(id)); err != nil {
		return nil, err
	}
	rows, err := s.r.QueryContext(ctx, qSubjectCases, id)
	if err != nil {
		return nil, s.fail(op, err, nil)
	}
	defer rows.Close()
	var out []privacy.Case
	for rows.Next() {
		c, err := scanCase(rows)
		if err != nil {
			return nil, s.fail(op, err, nil)
		}
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		return nil, s.fail(op, err, nil)
	}
	if len(out) == 0 {
		// No cases: does the subject exist?
		if err := s.r.QueryRowContext(ctx, `SELECT 1 FROM subjects WHERE id = ?`, id).Scan(new(int)); err != nil {
			return nil, s.fail(op, err, nil)
		}
		return []privacy.Case{}, nil
	}
	return out, nil
}

// DeleteCase implements [privacy.Store]: the case and every record of it,
// medical ones included, in one transaction. A case that a standing legal
// hold covers, whole or in one of its records, is not deleted (rule G3).
func (s *Store) DeleteCase(ctx context.Context, id privacy.CaseID, events []privacy.Event) error {
	const op = "sqlitestore: delete case"
	if err := checkWrite(op, sqladapter.CheckID(op, "id", string(id)), events); err != nil {
		return err
	}
	return s.write(ctx, op, func(tx *sql.Tx) error {
		var subject privacy.SubjectID
		if err := tx.QueryRowContext(ctx, `SELECT subject_id FROM cases WHERE id = ?`, id).Scan(&subject); err != nil {
			return err
		}
		// Rule G3: a held record is never deleted. Checked in the
		// deletion's transaction, which PlaceHold cannot enter.
		if err := checkCaseHolds(ctx, tx, op, subject, id); err != nil {
			return err
		}
		for _, q := range deleteCase {
			if _, err := s.exec(ctx, tx, op, q, id); err != nil {
				return s.fail(op, err, privacy.ErrConflict)
			}
		}
		_, err := s.appendEvents(ctx, tx, op, events)
		return err
	})
}

// file is one compartment of records: the ordinary file or the medical
// file (rule O6), each a table of its own. Its queries are built once from
// the adapter's own table names.
type file struct {
	what                                                     string // "record" or "medical record", for error ops
	insert, get, update, caseOf, owner, first, after, delete string
}

const recordColumns = `id, case_id, subject_id, category, author, source_kind, source_party, purpose, basis,
	created, updated, fields`

func newFile(what, table string) file {
	return file{
		what:   what,
		insert: `INSERT INTO ` + table + ` (` + recordColumns + `) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		get:    `SELECT ` + recordColumns + ` FROM ` + table + ` WHERE id = ?`,
		update: `UPDATE ` + table + ` SET subject_id = ?, category = ?, author = ?, source_kind = ?, source_party = ?,
	purpose = ?, basis = ?, created = ?, updated = ?, fields = ? WHERE id = ? AND case_id = ?`,
		caseOf: `SELECT case_id FROM ` + table + ` WHERE id = ?`,
		owner:  `SELECT case_id, subject_id FROM ` + table + ` WHERE id = ?`,
		first:  `SELECT ` + recordColumns + ` FROM ` + table + ` WHERE case_id = ? ORDER BY created, id LIMIT ?`,
		after: `SELECT ` + recordColumns + ` FROM ` + table + ` WHERE case_id = ? AND (created, id) > (?, ?)
	ORDER BY created, id LIMIT ?`,
		delete: `DELETE FROM ` + table + ` WHERE id = ?`,
	}
}

var (
	ordinaryFile = newFile("record", "records")
	medicalFile  = newFile("medical record", "medical_records")
)

func scanRecord(row scanner) (privacy.Record, error) {
	var r privacy.Record
	var created, updated sql.NullInt64
	var fields []byte
	if err := row.Scan(&r.ID, &r.Case, &r.Subject, &r.Category, &r.Author, &r.Source.Kind, &r.Source.Party,
		&r.Purpose, &r.Basis, &created, &updated, &fields); err != nil {
		return privacy.Record{}, err
	}
	r.Created, r.Updated = timeOf(created), timeOf(updated)
	var err error
	r.Fields, err = sqladapter.DecodeFields(fields)
	return r, err
}

// AddRecords implements [privacy.Store]. A closed case takes no records
// (rule R4): its state is read in the insert's transaction, and a write
// transaction runs alone, so a closing comes wholly before or after.
func (s *Store) AddRecords(ctx context.Context, rs []privacy.Record, events []privacy.Event) error {
	return s.addRecords(ctx, ordinaryFile, rs, events)
}

// AddMedicalRecords implements [privacy.MedicalStore], as
// [Store.AddRecords] does.
func (s *Store) AddMedicalRecords(ctx context.Context, rs []privacy.Record, events []privacy.Event) error {
	return s.addRecords(ctx, medicalFile, rs, events)
}

func (s *Store) addRecords(ctx context.Context, f file, rs []privacy.Record, events []privacy.Event) error {
	op := "sqlitestore: add " + f.what + "s"
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
	return s.write(ctx, op, func(tx *sql.Tx) error {
		// Rule R4: only an open case takes records.
		seen := map[privacy.CaseID]bool{}
		for _, r := range rs {
			if seen[r.Case] {
				continue
			}
			seen[r.Case] = true
			var closed sql.NullInt64
			if err := tx.QueryRowContext(ctx, `SELECT closed FROM cases WHERE id = ?`, r.Case).Scan(&closed); err != nil {
				return err
			}
			if closed.Valid {
				return sqladapter.Closed(op)
			}
		}
		stmt, err := tx.PrepareContext(ctx, f.insert)
		if err != nil {
			return err
		}
		defer stmt.Close()
		for _, r := range rs {
			res, err := stmt.ExecContext(ctx, r.ID, r.Case, r.Subject, r.Category, r.Author, r.Source.Kind, r.Source.Party,
				r.Purpose, r.Basis, micros(r.Created), micros(r.Updated), sqladapter.EncodeFields(r.Fields))
			if err != nil {
				return err
			}
			n, err := res.RowsAffected()
			if err != nil {
				return err
			}
			if err := s.faults.Wrote(op, n); err != nil {
				return err
			}
		}
		_, err = s.appendEvents(ctx, tx, op, events)
		return err
	})
}

// Record implements [privacy.Store].
func (s *Store) Record(ctx context.Context, id privacy.RecordID) (privacy.Record, error) {
	return s.record(ctx, ordinaryFile, id)
}

// MedicalRecord implements [privacy.MedicalStore].
func (s *Store) MedicalRecord(ctx context.Context, id privacy.RecordID) (privacy.Record, error) {
	return s.record(ctx, medicalFile, id)
}

func (s *Store) record(ctx context.Context, f file, id privacy.RecordID) (privacy.Record, error) {
	op := "sqlitestore: " + f.what
	if err := sqladapter.CheckID(op, "id", string(id)); err != nil {
		return privacy.Record{}, err
	}
	r, err := scanRecord(s.r.QueryRowContext(ctx, f.get, id))
	if err != nil {
		return privacy.Record{}, s.fail(op, err, nil)
	}
	return r, nil
}

// UpdateRecord implements [privacy.Store]. A record that a standing legal
// hold covers does not change (rule G3): checked in the update's
// transaction, which PlaceHold cannot enter.
func (s *Store) UpdateRecord(ctx context.Context, r privacy.Record, events []privacy.Event) error {
	return s.updateRecord(ctx, ordinaryFile, r, events)
}

// UpdateMedicalRecord implements [privacy.MedicalStore], as
// [Store.UpdateRecord] does.
func (s *Store) UpdateMedicalRecord(ctx context.Context, r privacy.Record, events []privacy.Event) error {
	return s.updateRecord(ctx, medicalFile, r, events)
}

func (s *Store) updateRecord(ctx context.Context, f file, r privacy.Record, events []privacy.Event) error {
	op := "sqlitestore: update " + f.what
	if err := checkWrite(op, sqladapter.CheckRecord(op, r), events); err != nil {
		return err
	}
	return s.write(ctx, op, func(tx *sql.Tx) error {
		var c privacy.CaseID
		var subject privacy.SubjectID
		if err := tx.QueryRowContext(ctx, f.owner, r.ID).Scan(&c, &subject); err != nil {
			return err
		}
		if c != r.Case {
			return &privacy.Error{Op: op, Kind: privacy.ErrInvalid, Msg: "a record's case does not change"}
		}
		// Rule G3: a held record stays as it was.
		if err := checkRecordHolds(ctx, tx, op, subject, c, r.ID); err != nil {
			return err
		}
		if _, err := s.exec(ctx, tx, op, f.update, r.Subject, r.Category, r.Author, r.Source.Kind, r.Source.Party,
			r.Purpose, r.Basis, micros(r.Created), micros(r.Updated), sqladapter.EncodeFields(r.Fields), r.ID, r.Case); err != nil {
			return err
		}
		_, err := s.appendEvents(ctx, tx, op, events)
		return err
	})
}

// recordsPage is how many records one query of [Store.CaseRecords] reads.
const recordsPage = 256

// CaseRecords implements [privacy.Store]. The records are read a page at a
// time as the iteration goes, so that a large file is never held in memory
// and no connection is held while the caller works.
func (s *Store) CaseRecords(ctx context.Context, id privacy.CaseID) iter.Seq2[privacy.Record, error] {
	return s.caseRecords(ctx, ordinaryFile, id)
}

// CaseMedicalRecords implements [privacy.MedicalStore], as
// [Store.CaseRecords] does.
func (s *Store) CaseMedicalRecords(ctx context.Context, id privacy.CaseID) iter.Seq2[privacy.Record, error] {
	return s.caseRecords(ctx, medicalFile, id)
}

func (s *Store) caseRecords(ctx context.Context, f file, id privacy.CaseID) iter.Seq2[privacy.Record, error] {
	op := "sqlitestore: case " + f.what + "s"
	return func(yield func(privacy.Record, error) bool) {
		if err := sqladapter.CheckID(op, "id", string(id)); err != nil {
			yield(privacy.Record{}, err)
			return
		}
		page, err := s.recordPage(ctx, f.first, id, recordsPage)
		if err == nil && len(page) == 0 {
			// No records: does the case exist?
			err = s.r.QueryRowContext(ctx, `SELECT 1 FROM cases WHERE id = ?`, id).Scan(new(int))
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
			page, err = s.recordPage(ctx, f.after, id, micros(last.Created), last.ID, recordsPage)
		}
		if err != nil {
			yield(privacy.Record{}, s.fail(op, err, nil))
		}
	}
}

func (s *Store) recordPage(ctx context.Context, query string, args ...any) ([]privacy.Record, error) {
	rows, err := s.r.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var page []privacy.Record
	for rows.Next() {
		r, err := scanRecord(rows)
		if err != nil {
			return nil, err
		}
		page = append(page, r)
	}
	return page, rows.Err()
}

// DeleteRecord implements [privacy.Store]. A record that a standing legal
// hold covers is not deleted (rule G3).
func (s *Store) DeleteRecord(ctx context.Context, id privacy.RecordID, events []privacy.Event) error {
	return s.deleteRecord(ctx, ordinaryFile, id, events)
}

// DeleteMedicalRecord implements [privacy.MedicalStore], as
// [Store.DeleteRecord] does.
func (s *Store) DeleteMedicalRecord(ctx context.Context, id privacy.RecordID, events []privacy.Event) error {
	return s.deleteRecord(ctx, medicalFile, id, events)
}

func (s *Store) deleteRecord(ctx context.Context, f file, id privacy.RecordID, events []privacy.Event) error {
	op := "sqlitestore: delete " + f.what
	if err := checkWrite(op, sqladapter.CheckID(op, "id", string(id)), events); err != nil {
		return err
	}
	return s.write(ctx, op, func(tx *sql.Tx) error {
		var c privacy.CaseID
		var subject privacy.SubjectID
		if err := tx.QueryRowContext(ctx, f.owner, id).Scan(&c, &subject); err != nil {
			return err
		}
		// Rule G3: a held record is never deleted. Checked in the
		// deletion's transaction, which PlaceHold cannot enter.
		if err := checkRecordHolds(ctx, tx, op, subject, c, id); err != nil {
			return err
		}
		n, err := s.exec(ctx, tx, op, f.delete, id)
		if err == nil && n == 0 {
			err = sql.ErrNoRows
		}
		if err != nil {
			return err
		}
		_, err = s.appendEvents(ctx, tx, op, events)
		return err
	})
}
