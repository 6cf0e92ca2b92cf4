package sqlcore

import (
	"context"
	"errors"
	"slices"
	"time"

	"github.com/dossierwacht/dossierwacht/examples/internal/sqladapter"
	"github.com/dossierwacht/dossierwacht/privacy"
	"github.com/dossierwacht/dossierwacht/retention"
	"github.com/dossierwacht/dossierwacht/rights"
)

// ObjectQueries are the statements of retention.ObjectStore (migration
// 0050): the proofs of deleted objects besides records, what a sweep reads
// of each kind of object, and its deletion.
type ObjectQueries struct {
	// ProofExists (kind, id: bool); InsertProof (the columns of
	// ObjectProofColumns); Proofs (subject: the ObjectProofColumns in
	// order).
	ProofExists, InsertProof, Proofs string
	// Requests (subject: subject_id, id, status, history) lists a
	// subject's requests ([SQLSubjectRequests]).
	Requests string
	// Ended (id: subject_id, then the object's ended columns) per kind:
	// a disclosure's time; a grant's end and revocation; a request's
	// status and history; an erasure's decision; a hold's lifting; a
	// case's closing; a subject's end of employment. Those of a
	// disclosure, grant, erasure and hold end with the object's case
	// ('' for none), which a hold of that case keeps (rule G3).
	Ended map[privacy.DataKind]string
	// Delete (id) per kind.
	Delete map[privacy.DataKind]string
	// Orphans (after, limit: subject_id) lists, ordered, the subjects
	// without a row that have a request, a grant, a disclosure-log
	// entry, a hold or an erasure request (retention.OrphanStore; rules
	// R9, O12). OrphanRest (subject: subject_id, kind, id, case_id,
	// ended) lists the holds (ended: lifted), then the erasure requests
	// (ended: decided), each by ID, of a subject without a row, none for
	// a subject with one ([SQLOrphanRest]).
	Orphans, OrphanRest string
	// CaseHasRecords (case: bool) in either file; SubjectHasData
	// (subject: bool): a case, hold, erasure, grant, disclosure or request.
	CaseHasRecords, SubjectHasData string
	// LockSubjects (ids: id) locks the rows of the subjects named, in
	// the order every batch of the dialect takes them, and returns those
	// it found: the dialect's, empty where a write transaction locks
	// the whole database (SQLite), and then EraseObjects locks each
	// subject with LockSubject, in ID order, before its first item.
	LockSubjects string
}

// ObjectProofColumns are the columns of the object_proofs table.
const ObjectProofColumns = `kind, id, subject_id, case_id, ended, due, deleted, rule, reason, citation, policy, by_principal`

// SQLObjects returns the statements of [ObjectQueries], rendered by
// render (see the comment of the SQL constants).
func SQLObjects(render func(string) string) ObjectQueries {
	q := ObjectQueries{
		ProofExists: `SELECT EXISTS (SELECT 1 FROM {schema}.object_proofs WHERE kind = $1 AND id = $2)`,
		InsertProof: `INSERT INTO {schema}.object_proofs (` + ObjectProofColumns + `)
	VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
		Proofs:   `SELECT ` + ObjectProofColumns + ` FROM {schema}.object_proofs WHERE subject_id = $1 ORDER BY seq`,
		Requests: SQLSubjectRequests("= $1"),
		Ended: map[privacy.DataKind]string{
			privacy.DataDisclosure: `SELECT subject_id, at, coalesce(case_id, '') FROM {schema}.disclosures WHERE id = $1`,
			privacy.DataGrant:      `SELECT subject_id, valid_until, revoked, coalesce(case_id, '') FROM {schema}.consent_grants WHERE id = $1`,
			privacy.DataRequest:    `SELECT subject_id, status, history FROM {schema}.requests WHERE id = $1`,
			privacy.DataErasure:    `SELECT subject_id, decided, coalesce(case_id, '') FROM {schema}.erasures WHERE id = $1`,
			privacy.DataHold:       `SELECT subject_id, lifted, coalesce(case_id, '') FROM {schema}.holds WHERE id = $1`,
			privacy.DataCase:       `SELECT subject_id, closed FROM {schema}.cases WHERE id = $1`,
			privacy.DataSubject:    `SELECT id, employment_ended FROM {schema}.subjects WHERE id = $1`,
		},
		Delete: map[privacy.DataKind]string{
			privacy.DataDisclosure: `DELETE FROM {schema}.disclosures WHERE id = $1`,
			privacy.DataGrant:      `DELETE FROM {schema}.consent_grants WHERE id = $1`,
			privacy.DataRequest:    `DELETE FROM {schema}.requests WHERE id = $1`,
			privacy.DataErasure:    `DELETE FROM {schema}.erasures WHERE id = $1`,
			privacy.DataHold:       `DELETE FROM {schema}.holds WHERE id = $1`,
			privacy.DataCase:       `DELETE FROM {schema}.cases WHERE id = $1`,
			privacy.DataSubject:    `DELETE FROM {schema}.subjects WHERE id = $1`,
		},
		Orphans: `SELECT subject_id FROM (SELECT subject_id FROM {schema}.requests
	UNION SELECT subject_id FROM {schema}.consent_grants
	UNION SELECT subject_id FROM {schema}.disclosures
	UNION SELECT subject_id FROM {schema}.holds
	UNION SELECT subject_id FROM {schema}.erasures) o
	WHERE subject_id > $1 AND NOT EXISTS (SELECT 1 FROM {schema}.subjects s WHERE s.id = o.subject_id)
	ORDER BY subject_id LIMIT $2`,
		OrphanRest: SQLOrphanRest("= $1"),
		CaseHasRecords: `SELECT EXISTS (SELECT 1 FROM {schema}.records WHERE case_id = $1)
	OR EXISTS (SELECT 1 FROM {medical}.records WHERE case_id = $1)`,
		SubjectHasData: `SELECT EXISTS (SELECT 1 FROM {schema}.cases WHERE subject_id = $1)
	OR EXISTS (SELECT 1 FROM {schema}.holds WHERE subject_id = $1)
	OR EXISTS (SELECT 1 FROM {schema}.erasures WHERE subject_id = $1)
	OR EXISTS (SELECT 1 FROM {schema}.consent_grants WHERE subject_id = $1)
	OR EXISTS (SELECT 1 FROM {schema}.disclosures WHERE subject_id = $1)
	OR EXISTS (SELECT 1 FROM {schema}.requests WHERE subject_id = $1)`,
	}
	for _, p := range []*string{&q.ProofExists, &q.InsertProof, &q.Proofs, &q.Requests, &q.Orphans, &q.OrphanRest, &q.CaseHasRecords, &q.SubjectHasData} {
		*p = render(*p)
	}
	for k := range q.Ended {
		q.Ended[k] = render(q.Ended[k])
		q.Delete[k] = render(q.Delete[k])
	}
	return q
}

// grantEnded is when a grant ends for retention: revoked or run out,
// whichever first; zero while it lasts.
func grantEnded(until, revoked time.Time) time.Time {
	if !until.IsZero() && (revoked.IsZero() || until.Before(revoked)) {
		return until
	}
	return revoked
}

// requestEnded is when a request ends for retention: its final step; zero
// while it is open.
func requestEnded(status string, history string) (time.Time, error) {
	if !rights.Status(status).Final() {
		return time.Time{}, nil
	}
	steps, err := sqladapter.DecodeHistory([]byte(history))
	if err != nil || len(steps) == 0 {
		return time.Time{}, err
	}
	return steps[len(steps)-1].At, nil
}

// Objects implements retention.ObjectStore: the subject's disclosure-log
// entries, grants and requests, and for a subject without a row its holds
// and erasure requests (retention.OrphanStore).
func (s Store) Objects(ctx context.Context, subject privacy.SubjectID) ([]retention.Object, error) {
	op := s.op("objects")
	if err := sqladapter.CheckID(op, "subject", string(subject)); err != nil {
		return nil, err
	}
	ds, err := s.SubjectDisclosures(ctx, subject)
	if err != nil {
		return nil, err
	}
	gs, err := s.SubjectGrants(ctx, subject)
	if err != nil {
		return nil, err
	}
	var out []retention.Object
	for _, d := range ds {
		out = append(out, disclosureObject(d))
	}
	for _, g := range gs {
		out = append(out, grantObject(g))
	}
	rows, err := s.D.Reader(ctx, true).Query(ctx, s.Q.Objects.Requests, string(subject))
	err = each(rows, err, func(row Row) error {
		o, err := scanRequestObject(row)
		out = append(out, o)
		return err
	})
	if err != nil {
		return nil, s.fail(op, err)
	}
	// Rules R9, O12: the holds and erasure requests of a subject whose
	// row is gone (retention.OrphanStore); none while it has one.
	rows, err = s.D.Reader(ctx, true).Query(ctx, s.Q.Objects.OrphanRest, string(subject))
	err = each(rows, err, func(row Row) error {
		o, err := scanOrphanObject(s.D, row)
		out = append(out, o)
		return err
	})
	if err != nil {
		return nil, s.fail(op, err)
	}
	return out, nil
}

// Orphans implements retention.OrphanStore: the subjects without a row
// that have a request, a grant, a disclosure-log entry, a hold or an
// erasure request (rules R9, O12).
func (s Store) Orphans(ctx context.Context, after privacy.SubjectID, limit int) ([]privacy.SubjectID, error) {
	op := s.op("orphans")
	if limit <= 0 {
		return nil, &privacy.Error{Op: op, Kind: privacy.ErrInvalid, Path: "limit", Msg: "want a positive limit"}
	}
	var out []privacy.SubjectID
	rows, err := s.D.Reader(ctx, true).Query(ctx, s.Q.Objects.Orphans, string(after), limit)
	err = each(rows, err, func(row Row) error {
		var id string
		err := row.Scan(&id)
		out = append(out, privacy.SubjectID(id))
		return err
	})
	if err != nil {
		return nil, s.fail(op, err)
	}
	return out, nil
}

// ObjectProofs implements retention.ObjectStore.
func (s Store) ObjectProofs(ctx context.Context, subject privacy.SubjectID) ([]retention.ObjectProof, error) {
	op := s.op("object proofs")
	if err := sqladapter.CheckID(op, "subject", string(subject)); err != nil {
		return nil, err
	}
	rows, err := s.D.Reader(ctx, true).Query(ctx, s.Q.Objects.Proofs, string(subject))
	out, err := collect(rows, err, scanObjectProof, s.D)
	if err != nil {
		return nil, s.fail(op, err)
	}
	return out, nil
}

func scanObjectProof(v Codec, row Row) (retention.ObjectProof, error) {
	var p retention.ObjectProof
	var due *string
	if err := row.Scan(&p.Kind, &p.ID, &p.Subject, &p.Case, v.ScanTime(&p.Ended), &due, v.ScanTime(&p.Deleted), &p.Rule,
		&p.Reason, &p.Citation, &p.Policy, &p.By); err != nil {
		return retention.ObjectProof{}, err
	}
	var err error
	p.Due, err = sqladapter.DecodeDate(deref(due))
	return p, err
}

// EraseObject implements retention.ObjectStore: [Store.EraseObjects]
// with one item.
func (s Store) EraseObject(ctx context.Context, p retention.ObjectProof, e privacy.Event) error {
	res, err := s.eraseObjects(ctx, s.op("erase object"), []retention.ObjectProof{p}, []privacy.Event{e})
	if err != nil {
		return err
	}
	return res[0]
}

// EraseObjects implements retention.ObjectBatchStore: in one write
// transaction, after locking the rows of all the batch's subjects in ID
// order as PlaceHold locks one (lockObjectSubjects), item by item in
// order, the checks of the contract — a proof exists, the object
// is missing or another subject's, it changed, what it outlives is still
// there, a standing hold keeps it (rule G3) — then the deletion and its
// proof; at the end the audit events of what it erased.
func (s Store) EraseObjects(ctx context.Context, proofs []retention.ObjectProof, events []privacy.Event) ([]error, error) {
	return s.eraseObjects(ctx, s.op("erase objects"), proofs, events)
}

func (s Store) eraseObjects(ctx context.Context, op string, proofs []retention.ObjectProof, events []privacy.Event) ([]error, error) {
	if len(proofs) != len(events) {
		return nil, &privacy.Error{Op: op, Kind: privacy.ErrInvalid, Msg: "one event per proof"}
	}
	for i := range proofs {
		if err := checkObjectProof(op, &proofs[i], events[i]); err != nil {
			return nil, err
		}
	}
	if len(proofs) == 0 {
		return []error{}, nil
	}
	var results []error
	err := s.write(ctx, op, func(tx Conn) error {
		results = make([]error, len(proofs))
		var erased []privacy.Event
		// The rows locked: a lock holds to the commit.
		locked, err := s.lockObjectSubjects(ctx, tx, proofs)
		if err != nil {
			return err
		}
		for i := range proofs {
			err := s.eraseObject(ctx, tx, op, &proofs[i], locked)
			if err != nil && !refusal(err) {
				return err // the database failed: the whole batch
			}
			if results[i] = err; err == nil {
				erased = append(erased, events[i])
			}
		}
		if len(erased) == 0 {
			return nil
		}
		_, err = s.D.AppendEvents(ctx, tx, op, erased, true)
		return err
	})
	if err != nil {
		return nil, err
	}
	return results, nil
}

// lockObjectSubjects locks, before any item is checked, the rows of every
// subject the batch names, in ID order, as EraseRecords does, and returns
// those it locked. Rules G3, N12: erasing a subject takes its employers'
// group rows (forgetInGroups); a batch that then waited for the next
// subject's row, taken item by item, closed a cycle with any writer that
// holds a subject's row and then wants the same group rows — DeleteSubject,
// another batch — and one of the two was killed as a deadlock, the whole
// batch with it. Locks taken in one order, all before the group rows,
// leave no cycle: the others wait their turn. A subject without a row
// (an orphan, rules R9, O12) is looked for again by its first item, as
// before.
func (s Store) lockObjectSubjects(ctx context.Context, tx Conn, proofs []retention.ObjectProof) (map[privacy.SubjectID]bool, error) {
	ids := make([]string, 0, len(proofs))
	for i := range proofs {
		ids = append(ids, string(proofs[i].Subject))
	}
	slices.Sort(ids)
	ids = slices.Compact(ids)
	locked := make(map[privacy.SubjectID]bool, len(ids))
	if q := s.Q.Objects.LockSubjects; q != "" {
		rows, err := tx.Query(ctx, q, s.D.IDs(ids))
		err = each(rows, err, func(row Row) error {
			var id string
			err := row.Scan(&id)
			locked[privacy.SubjectID(id)] = true
			return err
		})
		return locked, err
	}
	for _, id := range ids {
		if err := tx.QueryRow(ctx, s.Q.LockSubject, id).Scan(new(int)); err != nil {
			if noRows(err) {
				continue
			}
			return nil, err
		}
		locked[privacy.SubjectID(id)] = true
	}
	return locked, nil
}

// refusal reports whether err is the refusal of one item, which leaves the
// batch going: the contract's ErrExists, ErrNotFound, ErrConflict, or
// ErrForbidden naming rule G3.
func refusal(err error) bool {
	var pe *privacy.Error
	if !errors.As(err, &pe) {
		return false
	}
	return errors.Is(err, privacy.ErrExists) || errors.Is(err, privacy.ErrNotFound) || errors.Is(err, privacy.ErrConflict) ||
		errors.Is(err, privacy.ErrForbidden) && pe.Rule == privacy.G3
}

// checkObjectProof checks what of p and e reaches SQL.
func checkObjectProof(op string, p *retention.ObjectProof, e privacy.Event) error {
	// Rule N12: a subject's place in the group histories
	// (privacy.DataGroups) is no object of its own; it goes with the
	// subject, in the same step (forgetInGroups). Known as it is, it has
	// no statement to read or delete it by, and an item of it let through
	// failed a PostgreSQL batch as unavailable and, on SQLite, came back
	// ErrNotFound while the rest of the batch was erased. Audit events go
	// by PruneAudit (rule N9).
	if !p.Kind.Known() || p.Kind == privacy.DataAudit || p.Kind == privacy.DataGroups {
		return &privacy.Error{Op: op, Kind: privacy.ErrInvalid, Path: "kind", Msg: "not a kind of object a sweep erases"}
	}
	if err := sqladapter.CheckID(op, "id", p.ID); err != nil {
		return err
	}
	if err := sqladapter.CheckID(op, "subject", string(p.Subject)); err != nil {
		return err
	}
	if p.Case != "" {
		if err := sqladapter.CheckID(op, "case", string(p.Case)); err != nil {
			return err
		}
	}
	if err := sqladapter.CheckTime(op, "deleted", p.Deleted); err != nil {
		return err
	}
	return sqladapter.CheckEvent(op, e)
}

// eraseObject erases one object inside tx: its refusal as a
// *privacy.Error, nil when erased, any other error when the database
// failed. Its checks only read, so a refusal leaves tx usable.
func (s Store) eraseObject(ctx context.Context, tx Conn, op string, p *retention.ObjectProof, locked map[privacy.SubjectID]bool) error {
	q := &s.Q.Objects
	if !locked[p.Subject] {
		if err := tx.QueryRow(ctx, s.Q.LockSubject, string(p.Subject)).Scan(new(int)); err != nil {
			if !noRows(err) {
				return err
			}
			// Rules R9, O12: a request, grant, disclosure-log entry, hold
			// or erasure request of a subject without a row
			// (retention.OrphanStore) has no row to lock; checkObject
			// finds it by its own ID and subject.
			if p.Kind == privacy.DataCase || p.Kind == privacy.DataSubject {
				return &privacy.Error{Op: op, Kind: privacy.ErrNotFound}
			}
		} else {
			locked[p.Subject] = true
		}
	}
	var done bool
	if err := tx.QueryRow(ctx, q.ProofExists, string(p.Kind), p.ID).Scan(&done); err != nil {
		return err
	}
	if done {
		return &privacy.Error{Op: op, Kind: privacy.ErrExists, Msg: "the object has a proof of deletion"}
	}
	if err := s.checkObject(ctx, tx, op, p); err != nil {
		return err
	}
	if _, err := s.Exec(ctx, tx, op, q.Delete[p.Kind], p.ID); err != nil {
		return err
	}
	if p.Kind == privacy.DataSubject {
		// Rules N12, R9, O12: the subject's ID leaves the group
		// histories with it (privacy.DataGroups).
		if err := s.forgetInGroups(ctx, tx, op, p.Subject); err != nil {
			return err
		}
	}
	_, err := s.Exec(ctx, tx, op, q.InsertProof, string(p.Kind), p.ID, string(p.Subject), string(p.Case),
		s.D.Time(p.Ended), sqladapter.EncodeDate(p.Due), s.D.Time(p.Deleted), string(p.Rule), string(p.Reason),
		p.Citation, p.Policy, string(p.By))
	return err
}

// objectHeld refuses the erasure of an object a standing hold keeps (rule
// G3): a hold of the subject's whole data keeps every object of it, a
// hold of a case that case's objects — the case the object has (objCase,
// read from its row) as well as the one the proof names: a proof that
// left the case out, or named another, erased the object of a held case.
func (s Store) objectHeld(ctx context.Context, tx Conn, op string, p *retention.ObjectProof, objCase string) error {
	hs, err := s.SubjectHolds(ctx, tx, p.Subject)
	if err != nil {
		return err
	}
	for i := range hs {
		c := hs[i].Case
		if hs[i].HoldsSubject() || (c != "" && (c == p.Case || string(c) == objCase)) {
			return sqladapter.Held(op, "a legal hold keeps it")
		}
	}
	return nil
}

// checkObject is EraseObject's checks of the object itself, in tx.
func (s Store) checkObject(ctx context.Context, tx Conn, op string, p *retention.ObjectProof) error {
	q := &s.Q.Objects
	notFound := &privacy.Error{Op: op, Kind: privacy.ErrNotFound}
	conflict := func(msg string) error { return &privacy.Error{Op: op, Kind: privacy.ErrConflict, Msg: msg} }
	var subject, objCase string
	var ended time.Time
	var err error
	row := tx.QueryRow(ctx, q.Ended[p.Kind], p.ID)
	switch p.Kind {
	case privacy.DataGrant:
		var until, revoked time.Time
		err = row.Scan(&subject, s.D.ScanTime(&until), s.D.ScanTime(&revoked), &objCase)
		ended = grantEnded(until, revoked)
	case privacy.DataRequest:
		var status, history string
		if err = row.Scan(&subject, &status, &history); err == nil {
			ended, err = requestEnded(status, history)
		}
	case privacy.DataDisclosure, privacy.DataErasure, privacy.DataHold:
		err = row.Scan(&subject, s.D.ScanTime(&ended), &objCase)
	default:
		err = row.Scan(&subject, s.D.ScanTime(&ended))
	}
	if noRows(err) {
		return notFound
	}
	if err != nil {
		return err
	}
	if subject != string(p.Subject) {
		return notFound
	}
	switch p.Kind {
	case privacy.DataHold:
		if ended.IsZero() {
			// Rule G3: a standing hold is kept with what it keeps.
			return sqladapter.Held(op, "the hold stands")
		}
		// Rule G3: a lifted hold is an object of its case like any
		// other: a standing hold of the case or the subject keeps it, as
		// retention.Engine.ScheduleObjects keeps it.
		if err := s.objectHeld(ctx, tx, op, p, objCase); err != nil {
			return err
		}
	case privacy.DataCase:
		// Rule G3: a hold of the case, of its subject or of one of its
		// records keeps it.
		if err := s.checkCaseHolds(ctx, tx, op, p.Subject, privacy.CaseID(p.ID)); err != nil {
			return err
		}
	case privacy.DataSubject:
		if err := s.checkSubjectHolds(ctx, tx, op, p.Subject); err != nil {
			return err
		}
	default:
		if err := s.objectHeld(ctx, tx, op, p, objCase); err != nil {
			return err
		}
	}
	if !ended.Equal(p.Ended) {
		return conflict("changed since it was scheduled")
	}
	var left bool
	switch p.Kind {
	case privacy.DataCase:
		if err := tx.QueryRow(ctx, q.CaseHasRecords, p.ID).Scan(&left); err != nil {
			return err
		}
		if left {
			return conflict("the case still has records")
		}
	case privacy.DataSubject:
		if err := tx.QueryRow(ctx, q.SubjectHasData, p.ID).Scan(&left); err != nil {
			return err
		}
		if left {
			return conflict("the subject still has other data")
		}
	}
	return nil
}

var (
	_ retention.ObjectStore      = Store{}
	_ retention.ObjectBatchStore = Store{}
)
