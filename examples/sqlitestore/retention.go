package sqlitestore

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"slices"
	"time"

	"github.com/dossierwacht/dossierwacht/examples/internal/sqladapter"
	"github.com/dossierwacht/dossierwacht/privacy"
	"github.com/dossierwacht/dossierwacht/retention"
)

// The store of package retention: legal holds, granted erasure requests,
// proofs of deletion, the candidate dossiers of a sweep and the deletion
// of a record with its proof and audit event (migration 0003). Every write
// runs in one IMMEDIATE transaction on the one writer connection, so the
// checks of EraseRecord (a proof exists, the record changed, a hold
// stands) and its deletion see the same file: no hold can be placed in
// between (rule G3). So do the direct deletions of privacy.Store
// (DeleteRecord, DeleteMedicalRecord, DeleteCase, DeleteSubject): each
// reads the standing holds in its own transaction and refuses to delete
// what one covers.

var (
	_ retention.Store      = (*Store)(nil)
	_ retention.BatchStore = (*Store)(nil)
)

const (
	holdColumns    = `id, subject_id, case_id, records, ground, reason, placed_by, placed, lifted_by, lifted, lift_reason`
	erasureColumns = `id, subject_id, case_id, records, rule, received, decided, decided_by`
	proofColumns   = `record_id, medical, case_id, case_kind, subject_id, category, updated, due, deleted, rule, reason,
	citation, erasure, policy, by_principal, recipients`

	qInsertHold    = `INSERT INTO holds (` + holdColumns + `) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`
	qHold          = `SELECT ` + holdColumns + ` FROM holds WHERE id = ?`
	qHoldLifted    = `SELECT lifted IS NOT NULL FROM holds WHERE id = ?`
	qLiftHold      = `UPDATE holds SET lifted_by = ?, lifted = ?, lift_reason = ? WHERE id = ? AND lifted IS NULL`
	qStandingHolds = `SELECT case_id, records FROM holds WHERE subject_id = ? AND lifted IS NULL`
	qSubjectHeld   = `SELECT EXISTS (SELECT 1 FROM holds WHERE subject_id = ? AND lifted IS NULL)`
	// qCaseHasRecord asks whether one of the records of a JSON array is
	// of a case, in either file, finding each by its key.
	qCaseHasRecord = `SELECT EXISTS (SELECT 1 FROM json_each(?2)
	WHERE EXISTS (SELECT 1 FROM records r WHERE r.id = json_each.value AND r.case_id = ?1)
		OR EXISTS (SELECT 1 FROM medical_records r WHERE r.id = json_each.value AND r.case_id = ?1))`
	qInsertErasure = `INSERT INTO erasures (` + erasureColumns + `) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`
	qInsertProof   = `INSERT INTO proofs (` + proofColumns + `) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`
	qProof         = `SELECT ` + proofColumns + ` FROM proofs WHERE record_id = ?`
	qProofs        = `SELECT ` + proofColumns + ` FROM proofs WHERE subject_id = ? ORDER BY seq`
	qProofExists   = `SELECT 1 FROM proofs WHERE record_id = ?`

	// qCandidates walks the subjects in ID order from an index that
	// carries the employment end, and asks each from an index whether a
	// case closed, a record was created or a request was decided before a
	// cut-off. A NULL cut-off (a criterion not set) matches nothing.
	qCandidates = `SELECT s.id FROM subjects s WHERE s.id > ?1 AND (
	s.employment_ended < ?2
	OR EXISTS (SELECT 1 FROM cases c WHERE c.subject_id = s.id AND c.closed < ?3)
	OR EXISTS (SELECT 1 FROM cases c JOIN records r ON r.case_id = c.id WHERE c.subject_id = s.id AND r.created < ?4)
	OR EXISTS (SELECT 1 FROM cases c JOIN medical_records r ON r.case_id = c.id WHERE c.subject_id = s.id AND r.created < ?4)
	OR EXISTS (SELECT 1 FROM erasures e WHERE e.subject_id = s.id AND e.decided < ?5))
ORDER BY s.id LIMIT ?6`

	// The dossiers of a page of subjects, whose IDs come as one JSON
	// array.
	qDossierSubjects = `SELECT id, employer, employment_ended, created FROM subjects
	WHERE id IN (SELECT value FROM json_each(?))`
	qDossierCases = `SELECT ` + caseColumns + ` FROM cases WHERE subject_id IN (SELECT value FROM json_each(?))
	ORDER BY subject_id, opened, id`
	qDossierHolds = `SELECT ` + holdColumns + ` FROM holds WHERE subject_id IN (SELECT value FROM json_each(?))
	ORDER BY subject_id, seq`
	qDossierErasures = `SELECT ` + erasureColumns + ` FROM erasures WHERE subject_id IN (SELECT value FROM json_each(?))
	ORDER BY subject_id, seq`
)

// entryQueries are the statements that list and check the records of one
// file for package retention.
type entryQueries struct {
	entries, check string
}

func newEntryQueries(table string) entryQueries {
	return entryQueries{
		entries: `SELECT case_id, id, category, created, coalesce(updated, created) FROM ` + table +
			` WHERE case_id IN (SELECT value FROM json_each(?))`,
		check: `SELECT case_id, subject_id, coalesce(updated, created) FROM ` + table + ` WHERE id = ?`,
	}
}

var (
	ordinaryEntries = newEntryQueries("records")
	medicalEntries  = newEntryQueries("medical_records")
)

// PlaceHold implements [retention.Store].
func (s *Store) PlaceHold(ctx context.Context, h retention.Hold, e privacy.Event) error {
	const op = "sqlitestore: place hold"
	if err := sqladapter.CheckHold(op, h); err != nil {
		return err
	}
	if err := sqladapter.CheckEvent(op, e); err != nil {
		return err
	}
	return s.write(ctx, op, func(tx *sql.Tx) error {
		if err := tx.QueryRowContext(ctx, `SELECT 1 FROM subjects WHERE id = ?`, h.Subject).Scan(new(int)); err != nil {
			return err
		}
		if _, err := s.exec(ctx, tx, op, qInsertHold, h.ID, h.Subject, nullID(string(h.Case)), sqladapter.EncodeIDs(h.Records),
			h.Ground, h.Reason, h.PlacedBy, micros(h.Placed), nil, nil, nil); err != nil {
			return err
		}
		_, err := s.appendEvents(ctx, tx, op, []privacy.Event{e})
		return err
	})
}

// LiftHold implements [retention.Store].
func (s *Store) LiftHold(ctx context.Context, id retention.HoldID, by privacy.PrincipalID, at time.Time, reason string, e privacy.Event) error {
	const op = "sqlitestore: lift hold"
	if err := sqladapter.CheckLift(op, id, by, reason); err != nil {
		return err
	}
	if err := sqladapter.CheckTime(op, "at", at); err != nil {
		return err
	}
	if err := sqladapter.CheckEvent(op, e); err != nil {
		return err
	}
	return s.write(ctx, op, func(tx *sql.Tx) error {
		var lifted bool
		if err := tx.QueryRowContext(ctx, qHoldLifted, id).Scan(&lifted); err != nil {
			return err
		}
		if lifted {
			return &privacy.Error{Op: op, Kind: privacy.ErrConflict, Rule: privacy.G3, Msg: "lifted already"}
		}
		if _, err := s.exec(ctx, tx, op, qLiftHold, by, micros(at), reason, id); err != nil {
			return err
		}
		_, err := s.appendEvents(ctx, tx, op, []privacy.Event{e})
		return err
	})
}

// Hold implements [retention.Store].
func (s *Store) Hold(ctx context.Context, id retention.HoldID) (retention.Hold, error) {
	const op = "sqlitestore: hold"
	if err := sqladapter.CheckID(op, "id", string(id)); err != nil {
		return retention.Hold{}, err
	}
	h, err := scanHold(s.r.QueryRowContext(ctx, qHold, id))
	if err != nil {
		return retention.Hold{}, s.fail(op, err, nil)
	}
	return h, nil
}

func scanHold(row scanner) (retention.Hold, error) {
	var h retention.Hold
	var c, liftedBy, liftReason sql.NullString
	var records []byte
	var placed, lifted sql.NullInt64
	if err := row.Scan(&h.ID, &h.Subject, &c, &records, &h.Ground, &h.Reason, &h.PlacedBy, &placed, &liftedBy, &lifted, &liftReason); err != nil {
		return retention.Hold{}, err
	}
	h.Case, h.LiftedBy, h.LiftReason = privacy.CaseID(c.String), privacy.PrincipalID(liftedBy.String), liftReason.String
	h.Placed, h.Lifted = timeOf(placed), timeOf(lifted)
	var err error
	h.Records, err = sqladapter.DecodeIDs(records)
	return h, err
}

// AddErasure implements [retention.Store].
func (s *Store) AddErasure(ctx context.Context, r retention.Erasure, e privacy.Event) error {
	const op = "sqlitestore: add erasure"
	if err := sqladapter.CheckErasure(op, r); err != nil {
		return err
	}
	if err := sqladapter.CheckEvent(op, e); err != nil {
		return err
	}
	return s.write(ctx, op, func(tx *sql.Tx) error {
		if err := tx.QueryRowContext(ctx, `SELECT 1 FROM subjects WHERE id = ?`, r.Subject).Scan(new(int)); err != nil {
			return err
		}
		if _, err := s.exec(ctx, tx, op, qInsertErasure, r.ID, r.Subject, nullID(string(r.Case)), sqladapter.EncodeIDs(r.Records),
			r.Rule, micros(r.Received), micros(r.Decided), r.DecidedBy); err != nil {
			return err
		}
		_, err := s.appendEvents(ctx, tx, op, []privacy.Event{e})
		return err
	})
}

func scanErasure(row scanner) (retention.Erasure, error) {
	var e retention.Erasure
	var c sql.NullString
	var records []byte
	var received, decided sql.NullInt64
	if err := row.Scan(&e.ID, &e.Subject, &c, &records, &e.Rule, &received, &decided, &e.DecidedBy); err != nil {
		return retention.Erasure{}, err
	}
	e.Case, e.Received, e.Decided = privacy.CaseID(c.String), timeOf(received), timeOf(decided)
	var err error
	e.Records, err = sqladapter.DecodeIDs(records)
	return e, err
}

// nullID keeps an empty optional ID as NULL.
func nullID(id string) any {
	if id == "" {
		return nil
	}
	return id
}

// Dossier implements [retention.Store]. It reads one snapshot of the file.
func (s *Store) Dossier(ctx context.Context, id privacy.SubjectID) (retention.Dossier, error) {
	const op = "sqlitestore: dossier"
	if err := sqladapter.CheckID(op, "id", string(id)); err != nil {
		return retention.Dossier{}, err
	}
	var d []retention.Dossier
	err := s.read(ctx, func(tx *sql.Tx) error {
		var err error
		d, err = dossiers(ctx, tx, []privacy.SubjectID{id})
		return err
	})
	if err != nil {
		return retention.Dossier{}, s.fail(op, err, nil)
	}
	if len(d) == 0 {
		return retention.Dossier{}, &privacy.Error{Op: op, Kind: privacy.ErrNotFound}
	}
	return d[0], nil
}

// Candidates implements [retention.Store]. It answers exactly (no subject
// that does not match), from indexes: see qCandidates and the test
// TestRetentionIndexes. A page costs one walk of the subjects' index from
// q.After to the last candidate, and five queries for the dossiers, all on
// one snapshot.
func (s *Store) Candidates(ctx context.Context, q retention.Query) ([]retention.Dossier, error) {
	const op = "sqlitestore: candidates"
	if err := sqladapter.CheckQuery(op, q); err != nil {
		return nil, err
	}
	var out []retention.Dossier
	err := s.read(ctx, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, qCandidates, q.After, micros(q.EmploymentEndedBefore), micros(q.ClosedBefore),
			micros(q.CreatedBefore), micros(q.ErasedBefore), q.Limit)
		if err != nil {
			return err
		}
		var ids []privacy.SubjectID
		for rows.Next() {
			var id privacy.SubjectID
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return err
			}
			ids = append(ids, id)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		out, err = dossiers(ctx, tx, ids)
		return err
	})
	if err != nil {
		return nil, s.fail(op, err, nil)
	}
	return out, nil
}

// read runs fn in a read transaction on a reader connection: one snapshot
// of the file (WAL), whatever the writer does meanwhile.
func (s *Store) read(ctx context.Context, fn func(tx *sql.Tx) error) error {
	tx, err := s.r.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	return fn(tx)
}

// dossiers loads the dossiers of the subjects ids (ordered by ID; missing
// ones left out), with five queries whatever their number.
func dossiers(ctx context.Context, tx *sql.Tx, ids []privacy.SubjectID) ([]retention.Dossier, error) {
	if len(ids) == 0 {
		return []retention.Dossier{}, nil
	}
	list, err := json.Marshal(ids)
	if err != nil {
		return nil, err
	}
	out := make([]retention.Dossier, 0, len(ids))
	at := map[privacy.SubjectID]int{}
	err = each(ctx, tx, qDossierSubjects, list, func(row scanner) error {
		var sub privacy.Subject
		var ended, created sql.NullInt64
		if err := row.Scan(&sub.ID, &sub.Employer, &ended, &created); err != nil {
			return err
		}
		sub.EmploymentEnded, sub.Created = timeOf(ended), timeOf(created)
		out = append(out, retention.Dossier{Subject: sub})
		return nil
	})
	if err != nil {
		return nil, err
	}
	slices.SortFunc(out, func(a, b retention.Dossier) int { return cmp.Compare(a.Subject.ID, b.Subject.ID) })
	for i := range out {
		at[out[i].Subject.ID] = i
	}
	type ref struct{ d, c int }
	cases := map[privacy.CaseID]ref{}
	var caseIDs []privacy.CaseID
	err = each(ctx, tx, qDossierCases, list, func(row scanner) error {
		c, err := scanCase(row)
		if err != nil {
			return err
		}
		i, ok := at[c.Subject]
		if !ok {
			return nil
		}
		d := &out[i]
		cases[c.ID] = ref{i, len(d.Cases)}
		caseIDs = append(caseIDs, c.ID)
		d.Cases = append(d.Cases, retention.CaseFile{Case: c})
		return nil
	})
	if err != nil {
		return nil, err
	}
	if len(caseIDs) > 0 {
		clist, err := json.Marshal(caseIDs)
		if err != nil {
			return nil, err
		}
		for _, f := range []struct {
			q       string
			medical bool
		}{{ordinaryEntries.entries, false}, {medicalEntries.entries, true}} {
			err := each(ctx, tx, f.q, clist, func(row scanner) error {
				var c privacy.CaseID
				var en retention.Entry
				var created, updated sql.NullInt64
				if err := row.Scan(&c, &en.ID, &en.Category, &created, &updated); err != nil {
					return err
				}
				en.Medical, en.Created, en.Updated = f.medical, timeOf(created), timeOf(updated)
				if r, ok := cases[c]; ok {
					cf := &out[r.d].Cases[r.c]
					cf.Records = append(cf.Records, en)
				}
				return nil
			})
			if err != nil {
				return nil, err
			}
		}
		for i := range out {
			for j := range out[i].Cases {
				slices.SortFunc(out[i].Cases[j].Records, func(a, b retention.Entry) int {
					return cmp.Or(a.Created.Compare(b.Created), cmp.Compare(a.ID, b.ID))
				})
			}
		}
	}
	err = each(ctx, tx, qDossierHolds, list, func(row scanner) error {
		h, err := scanHold(row)
		if i, ok := at[h.Subject]; ok && err == nil {
			out[i].Holds = append(out[i].Holds, h)
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	err = each(ctx, tx, qDossierErasures, list, func(row scanner) error {
		e, err := scanErasure(row)
		if i, ok := at[e.Subject]; ok && err == nil {
			out[i].Erasures = append(out[i].Erasures, e)
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// each runs query with args and calls f on every row.
func each(ctx context.Context, tx *sql.Tx, query string, arg any, f func(scanner) error) error {
	rows, err := tx.QueryContext(ctx, query, arg)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := f(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}

// EraseRecord implements [retention.Store]: the checks, the deletion, the
// proof and the audit event in one write transaction.
func (s *Store) EraseRecord(ctx context.Context, p retention.Proof, e privacy.Event) error {
	res, err := s.eraseRecords(ctx, "sqlitestore: erase record", []retention.Proof{p}, []privacy.Event{e})
	if err != nil {
		return err
	}
	return res[0]
}

// EraseRecords implements [retention.BatchStore]: every item checked as
// EraseRecord checks it, and the deletions, proofs and audit events of
// those that pass, in one write transaction.
func (s *Store) EraseRecords(ctx context.Context, proofs []retention.Proof, events []privacy.Event) ([]error, error) {
	return s.eraseRecords(ctx, "sqlitestore: erase records", proofs, events)
}

func (s *Store) eraseRecords(ctx context.Context, op string, proofs []retention.Proof, events []privacy.Event) ([]error, error) {
	if err := checkBatch(op, proofs, events); err != nil {
		return nil, err
	}
	if len(proofs) == 0 {
		return []error{}, nil
	}
	var results []error
	err := s.write(ctx, op, func(tx *sql.Tx) error {
		results = make([]error, len(proofs))
		stmts := map[string]*sql.Stmt{}
		prep := func(q string) (*sql.Stmt, error) {
			if st, ok := stmts[q]; ok {
				return st, nil
			}
			st, err := tx.PrepareContext(ctx, q)
			if err == nil {
				stmts[q] = st
			}
			return st, err
		}
		defer func() {
			for _, st := range stmts {
				st.Close()
			}
		}()
		holds := map[privacy.SubjectID][]retention.Hold{}
		var erased []privacy.Event
		for i := range proofs {
			p := &proofs[i]
			ok, err := s.eraseOne(ctx, tx, op, prep, holds, p)
			if err != nil {
				var pe *privacy.Error
				if errors.As(err, &pe) && pe.Kind != privacy.ErrUnavailable {
					results[i] = err // this item is refused; the others go on
					continue
				}
				return err
			}
			if ok {
				erased = append(erased, events[i])
			}
		}
		_, err := s.appendEvents(ctx, tx, op, erased)
		return err
	})
	if err != nil {
		return nil, err
	}
	return results, nil
}

// eraseOne checks and deletes the record of p and stores p, inside tx; a
// *privacy.Error of a kind other than ErrUnavailable refuses this item
// only.
func (s *Store) eraseOne(ctx context.Context, tx *sql.Tx, op string, prep func(string) (*sql.Stmt, error),
	holds map[privacy.SubjectID][]retention.Hold, p *retention.Proof) (bool, error) {
	st, err := prep(qProofExists)
	if err != nil {
		return false, err
	}
	switch err := st.QueryRowContext(ctx, p.Record).Scan(new(int)); {
	case err == nil:
		return false, &privacy.Error{Op: op, Kind: privacy.ErrExists, Msg: "the record has a proof of deletion"}
	case !errors.Is(err, sql.ErrNoRows):
		return false, err
	}
	eq, f := ordinaryEntries, ordinaryFile
	if p.Medical {
		eq, f = medicalEntries, medicalFile // rule O6: from the medical file
	}
	if st, err = prep(eq.check); err != nil {
		return false, err
	}
	var c privacy.CaseID
	var subject privacy.SubjectID
	var updated sql.NullInt64
	switch err := st.QueryRowContext(ctx, p.Record).Scan(&c, &subject, &updated); {
	case errors.Is(err, sql.ErrNoRows):
		return false, &privacy.Error{Op: op, Kind: privacy.ErrNotFound}
	case err != nil:
		return false, err
	}
	if c != p.Case || subject != p.Subject || !timeOf(updated).Equal(p.Updated) {
		return false, &privacy.Error{Op: op, Kind: privacy.ErrConflict, Msg: "the record is not the version scheduled"}
	}
	hs, ok := holds[p.Subject]
	if !ok {
		if hs, err = standingHolds(ctx, tx, prep, p.Subject); err != nil {
			return false, err
		}
		holds[p.Subject] = hs
	}
	for i := range hs {
		if hs[i].Covers(p.Case, p.Record) {
			// Rule G3: a held record is never deleted.
			return false, &privacy.Error{Op: op, Kind: privacy.ErrForbidden, Rule: privacy.G3, Msg: "a legal hold keeps the record"}
		}
	}
	if st, err = prep(f.delete); err != nil {
		return false, err
	}
	if err := s.stmtExec(ctx, st, op, p.Record); err != nil {
		return false, err
	}
	if st, err = prep(qInsertProof); err != nil {
		return false, err
	}
	medical := 0
	if p.Medical {
		medical = 1
	}
	err = s.stmtExec(ctx, st, op, p.Record, medical, p.Case, p.CaseKind, p.Subject, p.Category, micros(p.Updated),
		sqladapter.EncodeDate(p.Due), micros(p.Deleted), p.Rule, p.Reason, p.Citation, p.Erasure, p.Policy, p.By,
		sqladapter.EncodeRecipients(p.Recipients))
	return err == nil, err
}

// stmtExec runs a prepared statement of a write and accounts for the rows
// it wrote.
func (s *Store) stmtExec(ctx context.Context, st *sql.Stmt, op string, args ...any) error {
	res, err := st.ExecContext(ctx, args...)
	if err != nil {
		return err
	}
	n, err := res.RowsAffected()
	if err != nil {
		return err
	}
	return s.faults.Wrote(op, n)
}

// standingHolds returns the holds of subject that have not been lifted,
// with their scopes.
func standingHolds(ctx context.Context, tx *sql.Tx, prep func(string) (*sql.Stmt, error), subject privacy.SubjectID) ([]retention.Hold, error) {
	st, err := prep(qStandingHolds)
	if err != nil {
		return nil, err
	}
	rows, err := st.QueryContext(ctx, subject)
	return scanStandingHolds(subject, rows, err)
}

// holdsOf returns the standing holds of subject, read in tx.
func holdsOf(ctx context.Context, tx *sql.Tx, subject privacy.SubjectID) ([]retention.Hold, error) {
	rows, err := tx.QueryContext(ctx, qStandingHolds, subject)
	return scanStandingHolds(subject, rows, err)
}

// checkRecordHolds fails with the refusal of rule G3 if a standing hold of
// subject covers record id of case c, as read in tx.
func checkRecordHolds(ctx context.Context, tx *sql.Tx, op string, subject privacy.SubjectID, c privacy.CaseID, id privacy.RecordID) error {
	hs, err := holdsOf(ctx, tx, subject)
	if err != nil {
		return err
	}
	for i := range hs {
		if hs[i].Covers(c, id) {
			return sqladapter.Held(op, "a legal hold keeps the record")
		}
	}
	return nil
}

// checkCaseHolds fails with the refusal of rule G3 if a standing hold of
// subject covers case c, whole or in one of its records, as read in tx.
func checkCaseHolds(ctx context.Context, tx *sql.Tx, op string, subject privacy.SubjectID, c privacy.CaseID) error {
	hs, err := holdsOf(ctx, tx, subject)
	if err != nil {
		return err
	}
	whole, named := sqladapter.CaseHolds(hs, c)
	if !whole && len(named) > 0 {
		if err := tx.QueryRowContext(ctx, qCaseHasRecord, c, sqladapter.EncodeIDs(named)).Scan(&whole); err != nil {
			return err
		}
	}
	if whole {
		return sqladapter.Held(op, "a legal hold keeps the case")
	}
	return nil
}

// checkSubjectHolds fails with the refusal of rule G3 if subject has a
// standing hold, as read in tx.
func checkSubjectHolds(ctx context.Context, tx *sql.Tx, op string, subject privacy.SubjectID) error {
	var held bool
	if err := tx.QueryRowContext(ctx, qSubjectHeld, subject).Scan(&held); err != nil {
		return err
	}
	if held {
		return sqladapter.Held(op, "a legal hold keeps the subject's data")
	}
	return nil
}

// scanStandingHolds reads the rows of qStandingHolds of subject, and
// closes them.
func scanStandingHolds(subject privacy.SubjectID, rows *sql.Rows, err error) ([]retention.Hold, error) {
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	hs := []retention.Hold{}
	for rows.Next() {
		var c sql.NullString
		var records []byte
		if err := rows.Scan(&c, &records); err != nil {
			return nil, err
		}
		ids, err := sqladapter.DecodeIDs(records)
		if err != nil {
			return nil, err
		}
		hs = append(hs, retention.Hold{Subject: subject, Case: privacy.CaseID(c.String), Records: ids})
	}
	return hs, rows.Err()
}

// checkBatch checks a batch before any statement runs: one event per
// proof, no record twice, and what reaches SQL.
func checkBatch(op string, proofs []retention.Proof, events []privacy.Event) error {
	if len(proofs) != len(events) {
		return &privacy.Error{Op: op, Kind: privacy.ErrInvalid, Msg: "one event per proof"}
	}
	seen := make(map[privacy.RecordID]bool, len(proofs))
	for i := range proofs {
		if seen[proofs[i].Record] {
			return &privacy.Error{Op: op, Kind: privacy.ErrInvalid, Path: "proofs", Msg: "a record named twice"}
		}
		seen[proofs[i].Record] = true
		if err := sqladapter.CheckProof(op, proofs[i]); err != nil {
			return err
		}
		if err := sqladapter.CheckEvent(op, events[i]); err != nil {
			return err
		}
	}
	return nil
}

// Proof implements [retention.Store].
func (s *Store) Proof(ctx context.Context, id privacy.RecordID) (retention.Proof, error) {
	const op = "sqlitestore: proof"
	if err := sqladapter.CheckID(op, "id", string(id)); err != nil {
		return retention.Proof{}, err
	}
	p, err := scanProof(s.r.QueryRowContext(ctx, qProof, id))
	if err != nil {
		return retention.Proof{}, s.fail(op, err, nil)
	}
	return p, nil
}

// Proofs implements [retention.Store].
func (s *Store) Proofs(ctx context.Context, subject privacy.SubjectID) ([]retention.Proof, error) {
	const op = "sqlitestore: proofs"
	if err := sqladapter.CheckID(op, "subject", string(subject)); err != nil {
		return nil, err
	}
	rows, err := s.r.QueryContext(ctx, qProofs, subject)
	if err != nil {
		return nil, s.fail(op, err, nil)
	}
	defer rows.Close()
	out := []retention.Proof{}
	for rows.Next() {
		p, err := scanProof(rows)
		if err != nil {
			return nil, s.fail(op, err, nil)
		}
		out = append(out, p)
	}
	if err := rows.Err(); err != nil {
		return nil, s.fail(op, err, nil)
	}
	return out, nil
}

func scanProof(row scanner) (retention.Proof, error) {
	var p retention.Proof
	var medical int
	var updated, deleted sql.NullInt64
	var due sql.NullString
	var recipients []byte
	if err := row.Scan(&p.Record, &medical, &p.Case, &p.CaseKind, &p.Subject, &p.Category, &updated, &due, &deleted,
		&p.Rule, &p.Reason, &p.Citation, &p.Erasure, &p.Policy, &p.By, &recipients); err != nil {
		return retention.Proof{}, err
	}
	p.Medical, p.Updated, p.Deleted = medical != 0, timeOf(updated), timeOf(deleted)
	var err error
	if p.Due, err = sqladapter.DecodeDate(due.String); err != nil {
		return retention.Proof{}, err
	}
	p.Recipients, err = sqladapter.DecodeRecipients(recipients)
	return p, err
}
