package pgstore

import (
	"context"
	"strings"
	"time"

	"github.com/dossierwacht/dossierwacht/examples/internal/sqlcore"
	"github.com/dossierwacht/dossierwacht/privacy"
	"github.com/dossierwacht/dossierwacht/retention"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"
)

var (
	_ retention.Store      = (*Store)(nil)
	_ retention.BatchStore = (*Store)(nil)
)

// retentionQueries are the statements of package retention's store
// (migration 0003), their schema names filled in once by [New].
type retentionQueries struct {
	insertHold, hold, holdLifted, liftHold, standingHolds, subjectHolds string
	insertErasure                                                       string
	proof, proofs                                                       string
	candidates                                                          string
	dossierSubjects, dossierCases, dossierEntries                       string
	dossierHolds, dossierErasures                                       string
	lockSubjects, eraseCheck, probeByKey                                string
	deleteOrdinary, deleteMedical                                       string
	subjectHeld, caseHasRecord                                          string
}

const (
	holdColumns    = sqlcore.HoldColumns
	erasureColumns = sqlcore.ErasureColumns
	proofColumns   = sqlcore.ProofColumns
)

func newRetentionQueries(r *strings.Replacer) retentionQueries {
	q := retentionQueries{
		insertHold: sqlcore.SQLInsertHold,
		hold:       sqlcore.SQLHold,
		holdLifted: sqlcore.SQLHoldLifted + ` FOR UPDATE`,
		liftHold:   sqlcore.SQLLiftHold,
		standingHolds: `SELECT subject_id, case_id, records FROM {schema}.holds
	WHERE subject_id = ANY ($1::text[]) AND lifted IS NULL`,
		subjectHolds:  sqlcore.SQLSubjectHolds,
		insertErasure: sqlcore.SQLInsertErasure,

		proof:  sqlcore.SQLProof,
		proofs: sqlcore.SQLProofs,

		// The subjects in ID order, on an index that carries the
		// employment end; each asked from an index whether a case closed,
		// a record was created or a request was decided before a cut-off.
		// A NULL cut-off (a criterion not set) matches nothing. OFFSET 0
		// keeps each EXISTS a probe per subject: without it the planner
		// may hash the whole set of matches instead, which reads every
		// closed case and every old record on every page.
		candidates: `SELECT s.id FROM {schema}.subjects s WHERE s.id > $1 AND (
	s.employment_ended < $2
	OR EXISTS (SELECT 1 FROM {schema}.cases c WHERE c.subject_id = s.id AND c.closed < $3 OFFSET 0)
	OR EXISTS (SELECT 1 FROM {schema}.cases c WHERE c.subject_id = s.id AND c.closed IS NULL
		AND ` + sqlcore.SQLCaseActive + ` < $3 OFFSET 0)
	OR EXISTS (SELECT 1 FROM {schema}.cases c JOIN {schema}.records r ON r.case_id = c.id
		WHERE c.subject_id = s.id AND r.created < $4 OFFSET 0)
	OR EXISTS (SELECT 1 FROM {schema}.cases c JOIN {medical}.records r ON r.case_id = c.id
		WHERE c.subject_id = s.id AND r.created < $4 OFFSET 0)
	OR EXISTS (SELECT 1 FROM {schema}.erasures e WHERE e.subject_id = s.id AND e.decided < $5 OFFSET 0)
	OR s.created < $7)
ORDER BY s.id LIMIT $6`,

		// The dossiers of a page of subjects, five queries whatever its
		// size.
		dossierSubjects: `SELECT ` + sqlcore.SubjectColumns + ` FROM {schema}.subjects WHERE id = ANY ($1::text[])`,
		dossierCases: `SELECT ` + caseColumns + `, active FROM {schema}.cases WHERE subject_id = ANY ($1::text[])
	ORDER BY subject_id, opened NULLS FIRST, id`,
		dossierEntries: `SELECT false, case_id, id, category, created, coalesce(updated, created) FROM {schema}.records
	WHERE case_id = ANY ($1::text[])
UNION ALL
SELECT true, case_id, id, category, created, coalesce(updated, created) FROM {medical}.records
	WHERE case_id = ANY ($1::text[])`,
		dossierHolds: `SELECT ` + holdColumns + ` FROM {schema}.holds WHERE subject_id = ANY ($1::text[])
	ORDER BY subject_id, seq`,
		dossierErasures: `SELECT ` + erasureColumns + ` FROM {schema}.erasures WHERE subject_id = ANY ($1::text[])
	ORDER BY subject_id, seq`,

		// EraseRecords: lock the batch's subjects in ID order; check every
		// item in one statement; delete, guarded by the version checked.
		lockSubjects: `SELECT id FROM {schema}.subjects WHERE id = ANY ($1::text[]) ORDER BY id FOR UPDATE`,
		// For the rest of the transaction only: find each row of a batch
		// by its key. Left to its estimates the planner hashes the whole
		// file (and every proof) to join a batch of a few thousand rows:
		// each batch then reads the full table, and a sweep costs the
		// square of its size. Nested loops over the primary keys make a
		// batch cost its own rows (EXPLAIN ANALYZE of a batch of 4,096 in
		// a file of 90,000: 51 ms hashed, 17 ms probed).
		probeByKey: `SELECT set_config('enable_hashjoin', 'off', true), set_config('enable_mergejoin', 'off', true),
	set_config('enable_seqscan', 'off', true)`,
		eraseCheck: `SELECT p.i, x.record_id IS NOT NULL, r.case_id, r.subject_id, r.updated
FROM unnest($1::text[], $2::bool[]) WITH ORDINALITY AS p (id, medical, i)
LEFT JOIN {schema}.proofs x ON x.record_id = p.id
LEFT JOIN LATERAL (
	SELECT case_id, subject_id, coalesce(updated, created) AS updated FROM {schema}.records
		WHERE id = p.id AND NOT p.medical
	UNION ALL
	SELECT case_id, subject_id, coalesce(updated, created) FROM {medical}.records
		WHERE id = p.id AND p.medical
) r ON true`,
		deleteOrdinary: deleteGuarded("{schema}.records"),
		deleteMedical:  deleteGuarded("{medical}.records"),

		// The direct deletions' checks (rule G3): does the subject have a
		// standing hold; is one of the records a hold names of the case,
		// in either file.
		subjectHeld: sqlcore.SQLSubjectHeld,
		caseHasRecord: `SELECT EXISTS (SELECT 1 FROM {schema}.records WHERE id = ANY ($2::text[]) AND case_id = $1)
	OR EXISTS (SELECT 1 FROM {medical}.records WHERE id = ANY ($2::text[]) AND case_id = $1)`,
	}
	for _, p := range []*string{&q.insertHold, &q.hold, &q.holdLifted, &q.liftHold, &q.standingHolds, &q.subjectHolds, &q.insertErasure,
		&q.proof, &q.proofs, &q.candidates, &q.dossierSubjects, &q.dossierCases, &q.dossierEntries,
		&q.dossierHolds, &q.dossierErasures, &q.lockSubjects, &q.eraseCheck, &q.probeByKey, &q.deleteOrdinary, &q.deleteMedical,
		&q.subjectHeld, &q.caseHasRecord} {
		*p = r.Replace(*p)
	}
	return q
}

// deleteGuarded is the deletion of a batch's records from table: only a
// record of the case, subject and version the proof names, and without a
// proof already; it returns the IDs deleted.
func deleteGuarded(table string) string {
	return `DELETE FROM ` + table + ` r
	USING unnest($1::text[], $2::text[], $3::text[], $4::timestamptz[]) AS p (id, case_id, subject_id, updated)
	WHERE r.id = p.id AND r.case_id = p.case_id AND r.subject_id = p.subject_id
		AND coalesce(r.updated, r.created) = p.updated
		AND NOT EXISTS (SELECT 1 FROM {schema}.proofs x WHERE x.record_id = r.id)
	RETURNING r.id`
}

// PlaceHold implements [retention.Store]. It locks the subject's row
// (FOR UPDATE) before it inserts the hold: an erasure of the subject's
// records that runs at the same time either holds that lock first, and
// the hold waits until it commits, or waits for the hold and sees it (rule
// G3; see [Store.EraseRecords]).
func (s *Store) PlaceHold(ctx context.Context, h retention.Hold, e privacy.Event) error {
	return s.core().PlaceHold(ctx, h, e)
}

// LiftHold implements [retention.Store].
func (s *Store) LiftHold(ctx context.Context, id retention.HoldID, by privacy.PrincipalID, at time.Time, reason string, e privacy.Event) error {
	return s.core().LiftHold(ctx, id, by, at, reason, e)
}

// Hold implements [retention.Store]. It always reads the primary.
func (s *Store) Hold(ctx context.Context, id retention.HoldID) (retention.Hold, error) {
	return s.core().Hold(ctx, id)
}

// AddErasure implements [retention.Store]. It locks the subject's row, as
// PlaceHold does.
func (s *Store) AddErasure(ctx context.Context, r retention.Erasure, e privacy.Event) error {
	return s.core().AddErasure(ctx, r, e)
}

// snapshot runs fn in a read-only REPEATABLE READ transaction on the
// primary: every query of fn sees the same snapshot.
func (s *Store) snapshot(ctx context.Context, fn func(tx pgx.Tx) error) error {
	return pgx.BeginTxFunc(ctx, s.pool, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly}, fn)
}

// Dossier implements [retention.Store]. It reads one snapshot of the
// primary, both files included: the role needs SELECT on the medical
// file's records (the eraser's role; see [Grants]).
func (s *Store) Dossier(ctx context.Context, id privacy.SubjectID) (retention.Dossier, error) {
	return s.core().Dossier(ctx, id)
}

// Candidates implements [retention.Store]. It answers exactly (no subject
// that does not match), from indexes, on one snapshot of the primary: the
// subjects are walked in ID order on subjects_employment_ended, which
// carries the employment end, and each is asked whether a case closed
// (cases_closed), a record of either file was created (records_case) or a
// request was decided (erasures_decided) before its cut-off; the test
// TestRetentionIndexes checks the plan with EXPLAIN. Paging by subject ID
// is what the contract asks; an index ordered by date could not serve it
// without sorting every match on every page. A page costs one walk of the
// index from q.After to its last candidate, and five queries for the
// dossiers.
func (s *Store) Candidates(ctx context.Context, q retention.Query) ([]retention.Dossier, error) {
	return s.core().Candidates(ctx, q)
}

// EraseRecord implements [retention.Store]: [Store.EraseRecords] with one
// item.
func (s *Store) EraseRecord(ctx context.Context, p retention.Proof, e privacy.Event) error {
	return s.core().EraseRecord(ctx, p, e)
}

// EraseRecords implements [retention.BatchStore]: one transaction for the
// whole batch, whose statements take every item at once (columns as
// arrays), so that its cost grows with the rows, not with round trips:
//
//  1. lock the rows of the batch's subjects, FOR UPDATE, in ID order;
//  2. read the subjects' standing holds: a record a hold covers stays
//     (rule G3);
//  3. delete the others from the ordinary or the medical file (O6) with
//     one statement per file that checks, as it finds each row by its
//     key, that the record is of the proof's case and subject, is the
//     version scheduled and has no proof yet;
//  4. for the items that stayed, if any, find why in one statement, in
//     the contract's order: a proof exists (ErrExists), the record is not
//     in that file (ErrNotFound), it is another case's, subject's or
//     version (ErrConflict), a hold keeps it (ErrForbidden, G3);
//  5. store the proofs of what was deleted with COPY, and append their
//     audit events, chained.
//
// The lock of step 1 is what makes a hold placed concurrently count:
// [Store.PlaceHold] takes the same row lock before it inserts a hold. If
// the hold's transaction has it first, step 1 waits until the hold is
// committed, and step 2, a later statement under READ COMMITTED, sees it.
// If step 1 has it first, the hold waits until the deletions are
// committed, and its audit event follows theirs. A row lock rather than
// an advisory lock: it needs no lock-key scheme, holds behind PgBouncer in
// transaction mode, and a subject deleted meanwhile simply has no row to
// lock. Locks are taken in subject ID order, and the audit trail's
// advisory lock last, so two sweeps never deadlock; they queue per
// subject, and the second finds the proofs of the first (ErrExists).
//
// The role needs DELETE on both files and INSERT on proofs: the eraser's
// role of [Grants].
func (s *Store) EraseRecords(ctx context.Context, proofs []retention.Proof, events []privacy.Event) ([]error, error) {
	return s.core().EraseRecords(ctx, proofs, events)
}

// erase is steps 1 to 4 of [Store.EraseRecords] and the proofs of step 5,
// inside tx; the core appends the audit events.
func (s *Store) erase(ctx context.Context, tx pgx.Tx, op string, proofs []retention.Proof) ([]error, error) {
	n := len(proofs)
	subjects := sortedSubjects(proofs)
	results := make([]error, n)
	if _, err := tx.Exec(ctx, s.q.ret.probeByKey); err != nil {
		return nil, err
	}
	// 1. The subjects' rows, in ID order.
	if _, err := tx.Exec(ctx, s.q.ret.lockSubjects, subjects); err != nil {
		return nil, err
	}
	// 2. The standing holds of the batch's subjects: stable while their
	// rows are locked.
	holds, err := s.core().StandingHolds(ctx, txConn{tx}, subjects)
	if err != nil {
		return nil, err
	}
	// 3. Delete every record not held, per file, guarded by the case,
	// subject and version its proof names and by the absence of a proof:
	// the checks run inside the DELETE, as it finds each row by its key.
	held := make([]bool, n)
	var del [2]struct {
		ids, cases, subjects []string
		updated              []pgtype.Timestamptz
	}
	for i := range proofs {
		p := &proofs[i]
		if held[i] = sqlcore.Covered(holds[p.Subject], p); held[i] {
			continue
		}
		f := 0
		if p.Medical {
			f = 1 // rule O6: from the medical file
		}
		d := &del[f]
		d.ids, d.cases, d.subjects = append(d.ids, string(p.Record)), append(d.cases, string(p.Case)), append(d.subjects, string(p.Subject))
		d.updated = append(d.updated, ts(p.Updated))
	}
	gone := make(map[string]bool, n)
	for f, q := range []string{s.q.ret.deleteOrdinary, s.q.ret.deleteMedical} {
		if len(del[f].ids) == 0 {
			continue
		}
		rows, err := tx.Query(ctx, q, del[f].ids, del[f].cases, del[f].subjects, del[f].updated)
		if err != nil {
			return nil, err
		}
		deleted, err := pgx.CollectRows(rows, pgx.RowTo[string])
		if err != nil {
			return nil, err
		}
		if err := s.faults.Wrote(op, int64(len(deleted))); err != nil {
			return nil, err
		}
		for _, id := range deleted {
			gone[id] = true
		}
	}
	// 4. Why the others stay, in the contract's order: one statement, only
	// when some stay.
	var refused []int
	for i := range proofs {
		if !gone[string(proofs[i].Record)] {
			refused = append(refused, i)
		}
	}
	if len(refused) > 0 {
		records, medical := make([]string, len(refused)), make([]bool, len(refused))
		for k, i := range refused {
			records[k], medical[k] = string(proofs[i].Record), proofs[i].Medical
		}
		rows, err := tx.Query(ctx, s.q.ret.eraseCheck, records, medical)
		if err != nil {
			return nil, err
		}
		var k int64
		var got sqlcore.Stored
		var caseID, subject *string
		var updated pgtype.Timestamptz
		_, err = pgx.ForEachRow(rows, []any{&k, &got.Proven, &caseID, &subject, &updated}, func() error {
			i := refused[k-1]
			got.Found, got.Case, got.Subject = caseID != nil, privacy.CaseID(deref(caseID)), privacy.SubjectID(deref(subject))
			got.Updated = timeOf(updated)
			if results[i] = sqlcore.Refusal(op, &proofs[i], got, held[i]); results[i] == nil {
				results[i] = &privacy.Error{Op: op, Kind: privacy.ErrConflict, Msg: "the record changed during its erasure"}
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	if len(gone) == 0 {
		return results, nil
	}
	// 5. The proofs of what was deleted; the core appends the audit events.
	erased := make([]int, 0, len(gone))
	for i := range proofs {
		if results[i] == nil {
			erased = append(erased, i)
		}
	}
	return results, s.copyProofs(ctx, tx, op, proofs, erased)
}

// copyProofs stores the proofs at the given indexes with COPY, the
// fastest way PostgreSQL takes rows in; it accounts for the rows written.
func (s *Store) copyProofs(ctx context.Context, tx pgx.Tx, op string, proofs []retention.Proof, at []int) error {
	k := 0
	row := make([]any, 0, len(sqlcore.ProofColumnNames))
	src := pgx.CopyFromFunc(func() ([]any, error) {
		if k == len(at) {
			return nil, nil
		}
		p := &proofs[at[k]]
		k++
		// pgx encodes a row before it asks for the next: one slice
		// serves them all.
		return sqlcore.ProofArgs(row[:0], dialect{}, p), nil
	})
	n, err := tx.CopyFrom(ctx, pgx.Identifier{s.schema, "proofs"}, sqlcore.ProofColumnNames, src)
	if err != nil {
		return err
	}
	return s.faults.Wrote(op, n)
}

// Proof implements [retention.Store]. It always reads the primary.
func (s *Store) Proof(ctx context.Context, id privacy.RecordID) (retention.Proof, error) {
	return s.core().Proof(ctx, id)
}

// Proofs implements [retention.Store]. With a context marked by
// [WithReplica] it may read the replica.
func (s *Store) Proofs(ctx context.Context, subject privacy.SubjectID) ([]retention.Proof, error) {
	return s.core().Proofs(ctx, subject)
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// The other kinds of stored data (issue 14): subjects, cases, holds,
// erasure requests, grants, requests and disclosure-log entries, each
// removed by a sweep when its rule says, with its proof and audit event in
// one transaction that locks the subject's row first, as PlaceHold does,
// so that no hold comes between the checks and the deletion (rule G3).
var _ retention.ObjectStore = (*Store)(nil)

// Orphans implements [retention.OrphanStore]: the subjects without a row
// that still have a request, a grant or a disclosure-log entry, for
// sweeps to reach (rules R9, O12).
func (s *Store) Orphans(ctx context.Context, after privacy.SubjectID, limit int) ([]privacy.SubjectID, error) {
	return s.core().Orphans(ctx, after, limit)
}

// Objects implements [retention.ObjectStore].
func (s *Store) Objects(ctx context.Context, subject privacy.SubjectID) ([]retention.Object, error) {
	return s.core().Objects(ctx, subject)
}

var _ retention.ObjectPageStore = (*Store)(nil)

// ObjectsOf implements [retention.ObjectPageStore]: the objects of a page
// of subjects in four statements, one per kind, whatever the page's size
// — a sweep's page of 10,000 subjects costs four round trips rather than
// 40,000 (rules R9, O12) — each ordered as the statement Objects reads
// the kind of one subject with.
func (s *Store) ObjectsOf(ctx context.Context, subjects []privacy.SubjectID) (map[privacy.SubjectID][]retention.Object, error) {
	return s.core().ObjectsOf(ctx, subjects)
}

// EraseObject implements [retention.ObjectStore].
func (s *Store) EraseObject(ctx context.Context, p retention.ObjectProof, e privacy.Event) error {
	return s.core().EraseObject(ctx, p, e)
}

// EraseObjects implements [retention.ObjectBatchStore]: a sweep's due
// objects a batch to a transaction, each item with the outcome
// EraseObject would give it in order (rules R9, O12, G3, N7), the audit
// events of the erased ones appended at the end. The transaction locks
// the batch's subjects' rows in ID order, then takes every item at once,
// its IDs sent as text[] per kind:
//
//  1. read the proofs that exist, the rows of every kind, the subjects'
//     standing holds, which cases still have records and the case of each
//     record a hold names — five statements whatever the batch's size;
//  2. decide each item on what was read, exactly as an item alone is
//     decided (sqlcore.ObjectRefusal);
//  3. delete the objects allowed, every kind but the subject in one
//     statement; then the subjects allowed, in a statement that deletes
//     only a subject with nothing else left — which, for a batch in a
//     sweep's order, is what the items before it left;
//  4. take the erased subjects out of the group histories (rule N12) and
//     store the proofs with COPY.
//
// A batch not in a sweep's order — an object twice, or an item of a
// subject after that subject's own — is checked and erased item by item,
// about seven statements each. One transaction per object cost a sweep of
// cases and subjects a commit and an append each; one statement per check
// and item, about 1.1 ms an object.
func (s *Store) EraseObjects(ctx context.Context, proofs []retention.ObjectProof, events []privacy.Event) ([]error, error) {
	return s.core().EraseObjects(ctx, proofs, events)
}

var _ retention.ObjectBatchStore = (*Store)(nil)

// ObjectProofs implements [retention.ObjectStore].
func (s *Store) ObjectProofs(ctx context.Context, subject privacy.SubjectID) ([]retention.ObjectProof, error) {
	return s.core().ObjectProofs(ctx, subject)
}
