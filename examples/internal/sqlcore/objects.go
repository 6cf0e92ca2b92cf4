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
	// LockGroups (subjects) locks, in one order, the group-history rows of
	// every employer any of the subjects is in, before a batch forgets
	// any of them (rule N12): the dialect's where forgetting one subject
	// locks its employers' rows one employer at a time, so that two
	// batches, or a batch and DeleteSubject, never take them in opposite
	// orders; empty where a write transaction locks the whole database.
	LockGroups string
	// The set-based statements of EraseObjects, for a dialect that takes
	// a list of IDs as one parameter ([Codec].IDs) and implements
	// [ObjectProofWriter]; empty where it has none (SQLite), and then
	// every item is checked and erased on its own. Their columns and
	// parameters are those of [Store.eraseObjectSet]'s steps.
	Set ObjectSetQueries
}

// ObjectSetQueries are the statements that check and erase a batch of
// objects a few statements to the batch, whatever its size
// ([Store.EraseObjects]). Lists of kinds are in the order of [SetKinds].
type ObjectSetQueries struct {
	// Proven (kinds, ids: i) are the positions, from 1, of the pairs of
	// kind and ID that have a proof.
	Proven string
	// Rows (one list of IDs per kind of SetKinds: the kind's position in
	// SetKinds, id, subject_id, t1, t2, case_id, status, history) reads
	// the rows of every kind at once: t1 is the end the row query of its
	// kind reads (ObjectQueries.Ended), t2 a grant's revocation, case_id
	// '' for none, status and history a request's ('' otherwise).
	Rows string
	// Holds (subjects: subject_id, case_id, records) are the subjects'
	// standing holds.
	Holds string
	// CaseRecords (cases: case_id) are the cases with a record in either
	// file; RecordCases (records: id, case_id) the case of each record
	// named, in either file.
	CaseRecords, RecordCases string
	// Delete (one list of IDs per kind of SetKinds but the subject, last:
	// position, id) deletes them in one statement. DeleteSubjects (ids:
	// id) deletes the subjects that have nothing else left (what
	// SubjectHasData asks). Forget (subjects, tokens) takes each subject
	// out of the group histories, with its own token (rule N12).
	Delete, DeleteSubjects, Forget string
}

// SetKinds are the kinds of objects a sweep erases, in the order of the
// lists of [ObjectSetQueries]: the subject last.
var SetKinds = []privacy.DataKind{privacy.DataDisclosure, privacy.DataGrant, privacy.DataRequest, privacy.DataErasure,
	privacy.DataHold, privacy.DataCase, privacy.DataSubject}

// ObjectProofWriter is a Dialect that stores the proofs of a batch of
// erased objects in one step (PostgreSQL: COPY): with the statements of
// [ObjectSetQueries] it makes EraseObjects cost a few statements whatever
// the size of the batch. InsertObjectProofs stores proofs[i] for each i in
// at, inside tx, and accounts for the rows written.
type ObjectProofWriter interface {
	InsertObjectProofs(ctx context.Context, tx Conn, op string, proofs []retention.ObjectProof, at []int) error
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
			privacy.DataCase:       `SELECT subject_id, ` + SQLCaseEnded + ` FROM {schema}.cases WHERE id = $1`,
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

// SQLCaseEnded is retention.CaseEnded as an SQL expression over a row of
// the cases table (unaliased): its closing; and while it is open, its
// last activity (SQLCaseActive), for an absence case the employer
// commissioned the end of its subject's employment if that came first
// (rules R9, O12, N7). A store checks an erasure of a case against it, so
// that it erases a case on the day its sweep scheduled it from.
const SQLCaseEnded = `coalesce(closed, CASE WHEN kind = 'absence' AND contract_party_kind NOT IN ('municipality', 'uwv')
	AND (SELECT s.employment_ended FROM {schema}.subjects s WHERE s.id = cases.subject_id) < ` + SQLCaseActive + `
	THEN (SELECT s.employment_ended FROM {schema}.subjects s WHERE s.id = cases.subject_id) ELSE ` + SQLCaseActive + ` END)`

// SQLCaseActive is retention.CaseFile.LastActivity as an SQL expression
// over a row of the cases table (unaliased): the later of its opening and
// the last record write its row keeps (active, set by the triggers of
// migration 0072 of both adapters), in either dialect.
const SQLCaseActive = `(CASE WHEN opened IS NULL OR active > opened THEN active ELSE opened END)`

// requestEnded is when a request ends for retention
// ([rights.Request.Ended]): its final step, or, never closed, the end of
// its deadline, which its history's filing and extensions carry.
func requestEnded(status string, history string) (time.Time, error) {
	steps, err := sqladapter.DecodeHistory([]byte(history))
	if err != nil {
		return time.Time{}, err
	}
	return rights.Request{Status: rights.Status(status), History: steps}.Ended(), nil
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
		if err := s.lockGroupsOf(ctx, tx, proofs); err != nil {
			return err
		}
		w, set := s.D.(ObjectProofWriter)
		if set = set && s.Q.Objects.Set.Rows != "" && objectsInOrder(proofs); set {
			if results, err = s.eraseObjectSet(ctx, tx, op, w, proofs, locked); err != nil {
				return err
			}
		}
		for i := range proofs {
			err := results[i]
			if !set {
				// Item by item: each sees the deletions of the items
				// before it.
				err = s.eraseObject(ctx, tx, op, &proofs[i], locked)
			}
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

// lockGroupsOf locks the group-history rows of the employers of the
// subjects the batch may erase (ObjectQueries.LockGroups; rule N12), after
// their subjects' rows, as DeleteSubject takes them.
func (s Store) lockGroupsOf(ctx context.Context, tx Conn, proofs []retention.ObjectProof) error {
	q := s.Q.Objects.LockGroups
	if q == "" {
		return nil
	}
	var ids []string
	for i := range proofs {
		if proofs[i].Kind == privacy.DataSubject {
			ids = append(ids, proofs[i].ID)
		}
	}
	if len(ids) == 0 {
		return nil
	}
	_, err := tx.Exec(ctx, q, s.D.IDs(ids))
	return err
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
		} else {
			locked[p.Subject] = true
		}
	}
	if err := s.checkObject(ctx, tx, op, p, locked[p.Subject]); err != nil {
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

// ObjectState is what a store read, in the transaction that erases it, of
// an object a proof names and of what keeps it: the facts [ObjectRefusal]
// decides on. Both the row-at-a-time path (checkObject) and a dialect's
// set-based one ([ObjectEraser]) fill it in, so that the two refuse alike.
type ObjectState struct {
	// Locked: the row of the proof's subject exists and is locked.
	Locked bool
	// Proven: a proof for the kind and ID exists.
	Proven bool
	// Found: the object's row exists; Subject is its subject, Case its
	// case ('' for none, and for a case or a subject), Ended its end for
	// retention.
	Found   bool
	Subject privacy.SubjectID
	Case    privacy.CaseID
	Ended   time.Time
	// Holds are the subject's standing holds.
	Holds []retention.Hold
	// HeldRecordOfCase (a case only): one of the records a standing hold
	// names is of this case, in either file.
	HeldRecordOfCase bool
	// Left: what the object outlives is still there — a case's records,
	// in either file; a subject's other data (a case, a hold, an erasure
	// request, a grant, a request or a disclosure-log entry).
	Left bool
}

// ObjectRefusal is the refusal of the erasure of the object p names, given
// st, in the order of the contract of retention.ObjectStore; nil when it
// may go. Facts after a refusal need not have been read: Proven and Found
// are decided first.
func ObjectRefusal(op string, p *retention.ObjectProof, st *ObjectState) error {
	notFound := &privacy.Error{Op: op, Kind: privacy.ErrNotFound}
	conflict := func(msg string) error { return &privacy.Error{Op: op, Kind: privacy.ErrConflict, Msg: msg} }
	owned := p.Kind == privacy.DataCase || p.Kind == privacy.DataSubject
	switch {
	case owned && !st.Locked:
		// Rules R9, O12: a request, grant, disclosure-log entry, hold or
		// erasure request of a subject without a row
		// (retention.OrphanStore) has no row to lock and is found by its
		// own ID and subject; a case or a subject without its subject's
		// row is not there.
		return notFound
	case st.Proven:
		return &privacy.Error{Op: op, Kind: privacy.ErrExists, Msg: "the object has a proof of deletion"}
	case !st.Found || st.Subject != p.Subject:
		return notFound
	}
	switch p.Kind {
	case privacy.DataHold:
		if st.Ended.IsZero() {
			// Rule G3: a standing hold is kept with what it keeps.
			return sqladapter.Held(op, "the hold stands")
		}
		// Rule G3: a lifted hold is an object of its case like any
		// other: a standing hold of the case or the subject keeps it, as
		// retention.Engine.ScheduleObjects keeps it.
		if objectHeld(p, st) {
			return sqladapter.Held(op, "a legal hold keeps it")
		}
	case privacy.DataCase:
		// Rule G3: a hold of the case, of its subject or of one of its
		// records keeps it.
		if whole, named := sqladapter.CaseHolds(st.Holds, privacy.CaseID(p.ID)); whole || len(named) > 0 && st.HeldRecordOfCase {
			return sqladapter.Held(op, "a legal hold keeps the case")
		}
	case privacy.DataSubject:
		// Rule G3: any standing hold of the subject keeps the subject.
		if len(st.Holds) > 0 {
			return sqladapter.Held(op, "a legal hold keeps the subject's data")
		}
	default:
		if objectHeld(p, st) {
			return sqladapter.Held(op, "a legal hold keeps it")
		}
	}
	if !st.Ended.Equal(p.Ended) {
		return conflict("changed since it was scheduled")
	}
	switch {
	case !st.Left:
		return nil
	case p.Kind == privacy.DataCase:
		return conflict("the case still has records")
	case p.Kind == privacy.DataSubject:
		return conflict("the subject still has other data")
	}
	return nil
}

// objectHeld reports whether a standing hold keeps an object (rule G3): a
// hold of the subject's whole data keeps every object of it, a hold of a
// case that case's objects — the case the object has (read from its row)
// as well as the one the proof names: a proof that left the case out, or
// named another, erased the object of a held case.
func objectHeld(p *retention.ObjectProof, st *ObjectState) bool {
	for i := range st.Holds {
		c := st.Holds[i].Case
		if st.Holds[i].HoldsSubject() || (c != "" && (c == p.Case || c == st.Case)) {
			return true
		}
	}
	return false
}

// checkObject reads, in tx, what [ObjectRefusal] decides the erasure of
// the object p names on, and returns its refusal; locked says whether the
// subject's row is locked. It stops reading once a fact decides.
func (s Store) checkObject(ctx context.Context, tx Conn, op string, p *retention.ObjectProof, locked bool) error {
	q := &s.Q.Objects
	st := ObjectState{Locked: locked}
	if err := tx.QueryRow(ctx, q.ProofExists, string(p.Kind), p.ID).Scan(&st.Proven); err != nil {
		return err
	}
	if st.Proven || !locked && (p.Kind == privacy.DataCase || p.Kind == privacy.DataSubject) {
		return ObjectRefusal(op, p, &st)
	}
	var subject, objCase string
	var err error
	row := tx.QueryRow(ctx, q.Ended[p.Kind], p.ID)
	switch p.Kind {
	case privacy.DataGrant:
		var until, revoked time.Time
		err = row.Scan(&subject, s.D.ScanTime(&until), s.D.ScanTime(&revoked), &objCase)
		st.Ended = grantEnded(until, revoked)
	case privacy.DataRequest:
		var status, history string
		if err = row.Scan(&subject, &status, &history); err == nil {
			st.Ended, err = requestEnded(status, history)
		}
	case privacy.DataDisclosure, privacy.DataErasure, privacy.DataHold:
		err = row.Scan(&subject, s.D.ScanTime(&st.Ended), &objCase)
	default:
		err = row.Scan(&subject, s.D.ScanTime(&st.Ended))
	}
	if err != nil && !noRows(err) {
		return err
	}
	st.Found, st.Subject, st.Case = err == nil, privacy.SubjectID(subject), privacy.CaseID(objCase)
	if !st.Found || st.Subject != p.Subject {
		return ObjectRefusal(op, p, &st)
	}
	if st.Holds, err = s.SubjectHolds(ctx, tx, p.Subject); err != nil {
		return err
	}
	switch p.Kind {
	case privacy.DataCase:
		if whole, named := sqladapter.CaseHolds(st.Holds, privacy.CaseID(p.ID)); !whole && len(named) > 0 {
			if err := tx.QueryRow(ctx, s.Q.CaseHasRecord, p.ID, s.D.IDs(sqladapter.Strings(named))).Scan(&st.HeldRecordOfCase); err != nil {
				return err
			}
		}
		err = tx.QueryRow(ctx, q.CaseHasRecords, p.ID).Scan(&st.Left)
	case privacy.DataSubject:
		err = tx.QueryRow(ctx, q.SubjectHasData, p.ID).Scan(&st.Left)
	}
	if err != nil {
		return err
	}
	return ObjectRefusal(op, p, &st)
}

var (
	_ retention.ObjectStore      = Store{}
	_ retention.ObjectBatchStore = Store{}
)

// objectKey names one object: its kind and ID.
type objectKey struct {
	kind privacy.DataKind
	id   string
}

// objectsInOrder reports whether a batch can be checked and erased as a
// set ([Store.eraseObjectSet]) with the outcome item by item would have:
// no object comes twice, and a subject's own item (privacy.DataSubject)
// comes after every other item of that subject, as a sweep sends them. Then
// no item's checks read what an item before it deletes — a proof, a row,
// a standing hold (a standing hold is never erased), a record — except a
// subject's "has other data", which the set-based path asks after every
// other deletion of the batch, exactly those of the items before it.
func objectsInOrder(proofs []retention.ObjectProof) bool {
	seen := make(map[objectKey]bool, len(proofs))
	gone := map[privacy.SubjectID]bool{}
	for i := range proofs {
		p := &proofs[i]
		k := objectKey{p.Kind, p.ID}
		if seen[k] || gone[p.Subject] {
			return false
		}
		seen[k] = true
		if p.Kind == privacy.DataSubject {
			gone[p.Subject] = true
		}
	}
	return true
}

// eraseObjectSet checks and erases a batch in order ([objectsInOrder])
// inside tx, whose subjects' rows are locked (locked), with the statements
// of [ObjectSetQueries], a few whatever the batch's size: it reads every
// fact [ObjectRefusal] decides on for all the items at once, deletes what
// it allows kind by kind in one statement, then the subjects with nothing
// else left, takes them out of the group histories (rule N12), and stores
// the proofs of what it erased with w. It returns one result per item, as
// eraseObject would give it one by one; any error it returns fails the
// batch. Rules R9, O12 (what a sweep erases), G3 (holds), N7 (what a case
// outlives).
func (s Store) eraseObjectSet(ctx context.Context, tx Conn, op string, w ObjectProofWriter, proofs []retention.ObjectProof,
	locked map[privacy.SubjectID]bool) ([]error, error) {
	q := &s.Q.Objects.Set
	n := len(proofs)
	st := make([]ObjectState, n)
	at := make(map[objectKey]int, n)
	kinds, ids := make([]string, n), make([]string, n)
	byKind := make([][]string, len(SetKinds))
	subjects := make([]string, 0, n)
	for i := range proofs {
		p := &proofs[i]
		st[i].Locked = locked[p.Subject]
		at[objectKey{p.Kind, p.ID}] = i
		kinds[i], ids[i] = string(p.Kind), p.ID
		k := slices.Index(SetKinds, p.Kind)
		byKind[k] = append(byKind[k], p.ID)
		subjects = append(subjects, string(p.Subject))
	}
	slices.Sort(subjects)
	subjects = slices.Compact(subjects)
	lists := func(l [][]string) []any {
		args := make([]any, len(l))
		for k := range l {
			args[k] = s.D.IDs(l[k])
		}
		return args
	}
	// The facts, all items at once: the proofs that exist, then the rows.
	rows, err := tx.Query(ctx, q.Proven, s.D.Names(kinds), s.D.IDs(ids))
	err = each(rows, err, func(row Row) error {
		var i int
		err := row.Scan(&i)
		if err == nil && i >= 1 && i <= n {
			st[i-1].Proven = true
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	rows, err = tx.Query(ctx, q.Rows, lists(byKind)...)
	err = each(rows, err, func(row Row) error {
		var k int
		var id, subject, objCase, status, history string
		var t1, t2 time.Time
		if err := row.Scan(&k, &id, &subject, s.D.ScanTime(&t1), s.D.ScanTime(&t2), &objCase, &status, &history); err != nil {
			return err
		}
		if k < 0 || k >= len(SetKinds) {
			return &privacy.Error{Op: op, Kind: privacy.ErrUnavailable, Msg: "a row of an unknown kind"}
		}
		i, ok := at[objectKey{SetKinds[k], id}]
		if !ok {
			return nil
		}
		x := &st[i]
		x.Found, x.Subject, x.Case = true, privacy.SubjectID(subject), privacy.CaseID(objCase)
		switch SetKinds[k] {
		case privacy.DataGrant:
			x.Ended = grantEnded(t1, t2)
		case privacy.DataRequest:
			var err error
			x.Ended, err = requestEnded(status, history)
			return err
		default:
			x.Ended = t1
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	holds, err := s.StandingHolds(ctx, tx, subjects)
	if err != nil {
		return nil, err
	}
	// What a case outlives (N7: its records, in either file), and which
	// of the records standing holds name are of the batch's cases (G3).
	var cases, named []string
	for i := range proofs {
		p := &proofs[i]
		st[i].Holds = holds[p.Subject]
		if p.Kind != privacy.DataCase || !st[i].Found {
			continue
		}
		cases = append(cases, p.ID)
		if whole, rs := sqladapter.CaseHolds(st[i].Holds, privacy.CaseID(p.ID)); !whole {
			named = append(named, sqladapter.Strings(rs)...)
		}
	}
	// A record's ID is unique in its file, not across the two (O6): the
	// same ID may be a record of one case in the ordinary file and of
	// another in the medical file, so the pairs are kept, not a map from
	// record to case.
	type recordOf struct{ record, caseID string }
	left, recordCase := map[string]bool{}, map[recordOf]bool{}
	if len(cases) > 0 {
		rows, err := tx.Query(ctx, q.CaseRecords, s.D.IDs(cases))
		err = each(rows, err, func(row Row) error {
			var c string
			err := row.Scan(&c)
			left[c] = true
			return err
		})
		if err != nil {
			return nil, err
		}
	}
	if len(named) > 0 {
		rows, err := tx.Query(ctx, q.RecordCases, s.D.IDs(named))
		err = each(rows, err, func(row Row) error {
			var r, c string
			err := row.Scan(&r, &c)
			recordCase[recordOf{r, c}] = true
			return err
		})
		if err != nil {
			return nil, err
		}
	}
	// The decisions; a subject's "has other data" waits for the
	// deletions of the rest.
	results := make([]error, n)
	del := make([][]string, len(SetKinds)-1)
	var gone []string
	for i := range proofs {
		p, x := &proofs[i], &st[i]
		if p.Kind == privacy.DataCase {
			x.Left = left[p.ID]
			_, rs := sqladapter.CaseHolds(x.Holds, privacy.CaseID(p.ID))
			x.HeldRecordOfCase = slices.ContainsFunc(rs, func(r privacy.RecordID) bool { return recordCase[recordOf{string(r), p.ID}] })
		}
		if results[i] = ObjectRefusal(op, p, x); results[i] != nil {
			continue
		}
		if p.Kind == privacy.DataSubject {
			gone = append(gone, p.ID)
			continue
		}
		k := slices.Index(SetKinds, p.Kind)
		del[k] = append(del[k], p.ID)
	}
	deleted := map[objectKey]bool{}
	rows, err = tx.Query(ctx, q.Delete, lists(del)...)
	err = each(rows, err, func(row Row) error {
		var k int
		var id string
		err := row.Scan(&k, &id)
		if err == nil && k >= 0 && k < len(SetKinds) {
			deleted[objectKey{SetKinds[k], id}] = true
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	if err := s.Faults.Wrote(op, int64(len(deleted))); err != nil {
		return nil, err
	}
	if len(gone) > 0 {
		var k int64
		rows, err := tx.Query(ctx, q.DeleteSubjects, s.D.IDs(gone))
		err = each(rows, err, func(row Row) error {
			var id string
			err := row.Scan(&id)
			deleted[objectKey{privacy.DataSubject, id}] = true
			k++
			return err
		})
		if err != nil {
			return nil, err
		}
		if err := s.Faults.Wrote(op, k); err != nil {
			return nil, err
		}
	}
	var erased []int
	var forget, tokens []string
	for i := range proofs {
		p := &proofs[i]
		switch {
		case results[i] != nil:
		case deleted[objectKey{p.Kind, p.ID}]:
			erased = append(erased, i)
			if p.Kind == privacy.DataSubject {
				forget, tokens = append(forget, p.ID), append(tokens, string(erasedToken()))
			}
		case p.Kind == privacy.DataSubject:
			// What SubjectHasData asks, after the batch's other
			// deletions: those of the items before it.
			results[i] = &privacy.Error{Op: op, Kind: privacy.ErrConflict, Msg: "the subject still has other data"}
		default:
			// Only an object of a subject without a row (no lock keeps
			// it) can go meanwhile.
			results[i] = &privacy.Error{Op: op, Kind: privacy.ErrConflict, Msg: "the object changed during its erasure"}
		}
	}
	if len(forget) > 0 {
		if err := s.Faults.Wrote(op, int64(len(forget))); err != nil {
			return nil, err
		}
		// Rules N12, R9, O12: each erased subject's ID leaves the group
		// histories with it, a random token of its own in its place.
		if _, err := tx.Exec(ctx, q.Forget, s.D.IDs(forget), s.D.IDs(tokens)); err != nil {
			return nil, err
		}
	}
	if len(erased) == 0 {
		return results, nil
	}
	return results, w.InsertObjectProofs(ctx, tx, op, proofs, erased)
}

// StandingHolds are the standing holds of subjects, by subject (the
// statement Holds of [ObjectSetQueries]): what a batch of records or of
// objects reads once, after locking its subjects (rule G3).
func (s Store) StandingHolds(ctx context.Context, tx Conn, subjects []string) (map[privacy.SubjectID][]retention.Hold, error) {
	holds := map[privacy.SubjectID][]retention.Hold{}
	rows, err := tx.Query(ctx, s.Q.Objects.Set.Holds, s.D.IDs(subjects))
	err = each(rows, err, func(row Row) error {
		var subject string
		var c *string
		var records []string
		if err := row.Scan(&subject, &c, s.D.ScanList(&records)); err != nil {
			return err
		}
		sub := privacy.SubjectID(subject)
		holds[sub] = append(holds[sub], retention.Hold{Subject: sub, Case: privacy.CaseID(deref(c)),
			Records: sqladapter.Named[privacy.RecordID](records)})
		return nil
	})
	return holds, err
}
