package pgstore

import (
	"cmp"
	"context"
	"slices"
	"strings"
	"time"

	"github.com/dossierwacht/dossierwacht/examples/internal/sqladapter"
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
	insertHold, hold, holdLifted, liftHold, standingHolds string
	insertErasure                                         string
	proof, proofs                                         string
	candidates                                            string
	dossierSubjects, dossierCases, dossierEntries         string
	dossierHolds, dossierErasures                         string
	lockSubjects, eraseCheck, probeByKey                  string
	deleteOrdinary, deleteMedical                         string
	subjectHeld, caseHasRecord                            string
}

const (
	holdColumns    = `id, subject_id, case_id, records, ground, reason, placed_by, placed, lifted_by, lifted, lift_reason`
	erasureColumns = `id, subject_id, case_id, records, rule, received, decided, decided_by`
	proofColumns   = `record_id, medical, case_id, case_kind, subject_id, category, updated, due, deleted, rule, reason,
	citation, erasure, policy, by_principal, recipients`
)

func newRetentionQueries(r *strings.Replacer) retentionQueries {
	q := retentionQueries{
		insertHold: `INSERT INTO {schema}.holds (` + holdColumns + `) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, NULL, NULL, NULL)`,
		hold:       `SELECT ` + holdColumns + ` FROM {schema}.holds WHERE id = $1`,
		holdLifted: `SELECT lifted IS NOT NULL FROM {schema}.holds WHERE id = $1 FOR UPDATE`,
		liftHold:   `UPDATE {schema}.holds SET lifted_by = $1, lifted = $2, lift_reason = $3 WHERE id = $4 AND lifted IS NULL`,
		standingHolds: `SELECT subject_id, case_id, records FROM {schema}.holds
	WHERE subject_id = ANY ($1::text[]) AND lifted IS NULL`,
		insertErasure: `INSERT INTO {schema}.erasures (` + erasureColumns + `) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,

		proof:  `SELECT ` + proofColumns + ` FROM {schema}.proofs WHERE record_id = $1`,
		proofs: `SELECT ` + proofColumns + ` FROM {schema}.proofs WHERE subject_id = $1 ORDER BY seq`,

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
	OR EXISTS (SELECT 1 FROM {schema}.cases c JOIN {schema}.records r ON r.case_id = c.id
		WHERE c.subject_id = s.id AND r.created < $4 OFFSET 0)
	OR EXISTS (SELECT 1 FROM {schema}.cases c JOIN {medical}.records r ON r.case_id = c.id
		WHERE c.subject_id = s.id AND r.created < $4 OFFSET 0)
	OR EXISTS (SELECT 1 FROM {schema}.erasures e WHERE e.subject_id = s.id AND e.decided < $5 OFFSET 0))
ORDER BY s.id LIMIT $6`,

		// The dossiers of a page of subjects, five queries whatever its
		// size.
		dossierSubjects: `SELECT id, employer, employment_ended, created FROM {schema}.subjects WHERE id = ANY ($1::text[])`,
		dossierCases: `SELECT ` + caseColumns + ` FROM {schema}.cases WHERE subject_id = ANY ($1::text[])
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
		subjectHeld: `SELECT EXISTS (SELECT 1 FROM {schema}.holds WHERE subject_id = $1 AND lifted IS NULL)`,
		caseHasRecord: `SELECT EXISTS (SELECT 1 FROM {schema}.records WHERE id = ANY ($2::text[]) AND case_id = $1)
	OR EXISTS (SELECT 1 FROM {medical}.records WHERE id = ANY ($2::text[]) AND case_id = $1)`,
	}
	for _, p := range []*string{&q.insertHold, &q.hold, &q.holdLifted, &q.liftHold, &q.standingHolds, &q.insertErasure,
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

// ids returns IDs as the []string pgx sends as text[]; none is NULL.
func ids[T ~string](xs []T) []string {
	if len(xs) == 0 {
		return nil
	}
	out := make([]string, len(xs))
	for i, x := range xs {
		out[i] = string(x)
	}
	return out
}

func recordIDs(xs []string) []privacy.RecordID {
	if xs == nil {
		return nil
	}
	out := make([]privacy.RecordID, len(xs))
	for i, x := range xs {
		out[i] = privacy.RecordID(x)
	}
	return out
}

// optional keeps an empty optional ID as NULL.
func optional(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// PlaceHold implements [retention.Store]. It locks the subject's row
// (FOR UPDATE) before it inserts the hold: an erasure of the subject's
// records that runs at the same time either holds that lock first, and
// the hold waits until it commits, or waits for the hold and sees it (rule
// G3; see [Store.EraseRecords]).
func (s *Store) PlaceHold(ctx context.Context, h retention.Hold, e privacy.Event) error {
	const op = "pgstore: place hold"
	if err := sqladapter.CheckHold(op, h); err != nil {
		return err
	}
	if err := sqladapter.CheckEvent(op, e); err != nil {
		return err
	}
	return s.write(ctx, op, func(tx pgx.Tx) error {
		if err := tx.QueryRow(ctx, s.q.lockSubject, string(h.Subject)).Scan(new(int)); err != nil {
			return err
		}
		if _, err := s.exec(ctx, tx, op, s.q.ret.insertHold, string(h.ID), string(h.Subject), optional(string(h.Case)),
			ids(h.Records), string(h.Ground), h.Reason, string(h.PlacedBy), ts(h.Placed)); err != nil {
			return err
		}
		_, err := s.appendEvents(ctx, tx, op, []privacy.Event{e})
		return err
	})
}

// LiftHold implements [retention.Store].
func (s *Store) LiftHold(ctx context.Context, id retention.HoldID, by privacy.PrincipalID, at time.Time, reason string, e privacy.Event) error {
	const op = "pgstore: lift hold"
	if err := sqladapter.CheckLift(op, id, by, reason); err != nil {
		return err
	}
	if err := sqladapter.CheckTime(op, "at", at); err != nil {
		return err
	}
	if err := sqladapter.CheckEvent(op, e); err != nil {
		return err
	}
	return s.write(ctx, op, func(tx pgx.Tx) error {
		var lifted bool
		if err := tx.QueryRow(ctx, s.q.ret.holdLifted, string(id)).Scan(&lifted); err != nil {
			return err
		}
		if lifted {
			return &privacy.Error{Op: op, Kind: privacy.ErrConflict, Rule: privacy.G3, Msg: "lifted already"}
		}
		if _, err := s.exec(ctx, tx, op, s.q.ret.liftHold, string(by), ts(at), reason, string(id)); err != nil {
			return err
		}
		_, err := s.appendEvents(ctx, tx, op, []privacy.Event{e})
		return err
	})
}

// Hold implements [retention.Store]. It always reads the primary.
func (s *Store) Hold(ctx context.Context, id retention.HoldID) (retention.Hold, error) {
	const op = "pgstore: hold"
	if err := sqladapter.CheckID(op, "id", string(id)); err != nil {
		return retention.Hold{}, err
	}
	h, err := scanHold(s.pool.QueryRow(ctx, s.q.ret.hold, string(id)))
	if err != nil {
		return retention.Hold{}, fail(op, err, nil)
	}
	return h, nil
}

func scanHold(row pgx.Row) (retention.Hold, error) {
	var id, subject, ground, reason, placedBy string
	var c, liftedBy, liftReason *string
	var records []string
	var placed, lifted pgtype.Timestamptz
	if err := row.Scan(&id, &subject, &c, &records, &ground, &reason, &placedBy, &placed, &liftedBy, &lifted, &liftReason); err != nil {
		return retention.Hold{}, err
	}
	return retention.Hold{ID: retention.HoldID(id), Subject: privacy.SubjectID(subject), Case: privacy.CaseID(deref(c)),
		Records: recordIDs(records), Ground: retention.Ground(ground), Reason: reason, PlacedBy: privacy.PrincipalID(placedBy),
		Placed: timeOf(placed), LiftedBy: privacy.PrincipalID(deref(liftedBy)), Lifted: timeOf(lifted),
		LiftReason: deref(liftReason)}, nil
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// AddErasure implements [retention.Store]. It locks the subject's row, as
// PlaceHold does.
func (s *Store) AddErasure(ctx context.Context, r retention.Erasure, e privacy.Event) error {
	const op = "pgstore: add erasure"
	if err := sqladapter.CheckErasure(op, r); err != nil {
		return err
	}
	if err := sqladapter.CheckEvent(op, e); err != nil {
		return err
	}
	return s.write(ctx, op, func(tx pgx.Tx) error {
		if err := tx.QueryRow(ctx, s.q.lockSubject, string(r.Subject)).Scan(new(int)); err != nil {
			return err
		}
		if _, err := s.exec(ctx, tx, op, s.q.ret.insertErasure, string(r.ID), string(r.Subject), optional(string(r.Case)),
			ids(r.Records), string(r.Rule), ts(r.Received), ts(r.Decided), string(r.DecidedBy)); err != nil {
			return err
		}
		_, err := s.appendEvents(ctx, tx, op, []privacy.Event{e})
		return err
	})
}

func scanErasure(row pgx.Row) (retention.Erasure, error) {
	var id, subject, rule, decidedBy string
	var c *string
	var records []string
	var received, decided pgtype.Timestamptz
	if err := row.Scan(&id, &subject, &c, &records, &rule, &received, &decided, &decidedBy); err != nil {
		return retention.Erasure{}, err
	}
	return retention.Erasure{ID: retention.ErasureID(id), Subject: privacy.SubjectID(subject), Case: privacy.CaseID(deref(c)),
		Records: recordIDs(records), Rule: privacy.RuleID(rule), Received: timeOf(received), Decided: timeOf(decided),
		DecidedBy: privacy.PrincipalID(decidedBy)}, nil
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
	const op = "pgstore: dossier"
	if err := sqladapter.CheckID(op, "id", string(id)); err != nil {
		return retention.Dossier{}, err
	}
	var d []retention.Dossier
	err := s.snapshot(ctx, func(tx pgx.Tx) error {
		var err error
		d, err = s.dossiers(ctx, tx, []string{string(id)})
		return err
	})
	if err != nil {
		return retention.Dossier{}, fail(op, err, nil)
	}
	if len(d) == 0 {
		return retention.Dossier{}, &privacy.Error{Op: op, Kind: privacy.ErrNotFound}
	}
	return d[0], nil
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
	const op = "pgstore: candidates"
	if err := sqladapter.CheckQuery(op, q); err != nil {
		return nil, err
	}
	var out []retention.Dossier
	err := s.snapshot(ctx, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, s.q.ret.candidates, string(q.After), ts(q.EmploymentEndedBefore), ts(q.ClosedBefore),
			ts(q.CreatedBefore), ts(q.ErasedBefore), q.Limit)
		if err != nil {
			return err
		}
		page, err := pgx.CollectRows(rows, pgx.RowTo[string])
		if err != nil {
			return err
		}
		out, err = s.dossiers(ctx, tx, page)
		return err
	})
	if err != nil {
		return nil, fail(op, err, nil)
	}
	return out, nil
}

// dossiers loads the dossiers of the subjects ids (ordered by ID; missing
// ones left out), inside tx.
func (s *Store) dossiers(ctx context.Context, tx pgx.Tx, subjects []string) ([]retention.Dossier, error) {
	out := make([]retention.Dossier, 0, len(subjects))
	if len(subjects) == 0 {
		return out, nil
	}
	rows, err := tx.Query(ctx, s.q.ret.dossierSubjects, subjects)
	if err != nil {
		return nil, err
	}
	subs, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (privacy.Subject, error) {
		var id, employer string
		var ended, created pgtype.Timestamptz
		err := row.Scan(&id, &employer, &ended, &created)
		return privacy.Subject{ID: privacy.SubjectID(id), Employer: privacy.PartyID(employer), EmploymentEnded: timeOf(ended),
			Created: timeOf(created)}, err
	})
	if err != nil {
		return nil, err
	}
	slices.SortFunc(subs, func(a, b privacy.Subject) int { return cmp.Compare(a.ID, b.ID) })
	at := make(map[privacy.SubjectID]int, len(subs))
	for i, sub := range subs {
		at[sub.ID] = i
		out = append(out, retention.Dossier{Subject: sub})
	}

	rows, err = tx.Query(ctx, s.q.ret.dossierCases, subjects)
	if err != nil {
		return nil, err
	}
	cs, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (privacy.Case, error) { return scanCase(row) })
	if err != nil {
		return nil, err
	}
	type ref struct{ d, c int }
	where := make(map[privacy.CaseID]ref, len(cs))
	caseIDs := make([]string, 0, len(cs))
	for _, c := range cs {
		i, ok := at[c.Subject]
		if !ok {
			continue
		}
		where[c.ID] = ref{i, len(out[i].Cases)}
		caseIDs = append(caseIDs, string(c.ID))
		out[i].Cases = append(out[i].Cases, retention.CaseFile{Case: c})
	}

	if len(caseIDs) > 0 {
		rows, err = tx.Query(ctx, s.q.ret.dossierEntries, caseIDs)
		if err != nil {
			return nil, err
		}
		var medical bool
		var caseID, id, category string
		var created, updated pgtype.Timestamptz
		_, err = pgx.ForEachRow(rows, []any{&medical, &caseID, &id, &category, &created, &updated}, func() error {
			if r, ok := where[privacy.CaseID(caseID)]; ok {
				cf := &out[r.d].Cases[r.c]
				cf.Records = append(cf.Records, retention.Entry{ID: privacy.RecordID(id), Category: privacy.Category(category),
					Medical: medical, Created: timeOf(created), Updated: timeOf(updated)})
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
		for i := range out {
			for j := range out[i].Cases {
				slices.SortFunc(out[i].Cases[j].Records, func(a, b retention.Entry) int {
					return cmp.Or(a.Created.Compare(b.Created), cmp.Compare(a.ID, b.ID))
				})
			}
		}
	}

	rows, err = tx.Query(ctx, s.q.ret.dossierHolds, subjects)
	if err != nil {
		return nil, err
	}
	hs, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (retention.Hold, error) { return scanHold(row) })
	if err != nil {
		return nil, err
	}
	for _, h := range hs {
		if i, ok := at[h.Subject]; ok {
			out[i].Holds = append(out[i].Holds, h)
		}
	}
	rows, err = tx.Query(ctx, s.q.ret.dossierErasures, subjects)
	if err != nil {
		return nil, err
	}
	es, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (retention.Erasure, error) { return scanErasure(row) })
	if err != nil {
		return nil, err
	}
	for _, e := range es {
		if i, ok := at[e.Subject]; ok {
			out[i].Erasures = append(out[i].Erasures, e)
		}
	}
	return out, nil
}

// EraseRecord implements [retention.Store]: [Store.EraseRecords] with one
// item.
func (s *Store) EraseRecord(ctx context.Context, p retention.Proof, e privacy.Event) error {
	res, err := s.eraseRecords(ctx, "pgstore: erase record", []retention.Proof{p}, []privacy.Event{e})
	if err != nil {
		return err
	}
	return res[0]
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
	return s.eraseRecords(ctx, "pgstore: erase records", proofs, events)
}

func (s *Store) eraseRecords(ctx context.Context, op string, proofs []retention.Proof, events []privacy.Event) ([]error, error) {
	if err := checkBatch(op, proofs, events); err != nil {
		return nil, err
	}
	n := len(proofs)
	if n == 0 {
		return []error{}, nil
	}
	subjectSet := map[string]bool{}
	for i := range proofs {
		subjectSet[string(proofs[i].Subject)] = true
	}
	subjects := make([]string, 0, len(subjectSet))
	for sub := range subjectSet {
		subjects = append(subjects, sub)
	}
	slices.Sort(subjects)

	var results []error
	err := s.write(ctx, op, func(tx pgx.Tx) error {
		results = make([]error, n)
		if _, err := tx.Exec(ctx, s.q.ret.probeByKey); err != nil {
			return err
		}
		// 1. The subjects' rows, in ID order.
		if _, err := tx.Exec(ctx, s.q.ret.lockSubjects, subjects); err != nil {
			return err
		}
		// 2. The standing holds of the batch's subjects: stable while
		// their rows are locked.
		holds, err := s.standingHolds(ctx, tx, subjects)
		if err != nil {
			return err
		}
		// 3. Delete every record not held, per file, guarded by the
		// case, subject and version its proof names and by the absence
		// of a proof: the checks run inside the DELETE, as it finds each
		// row by its key.
		held := make([]bool, n)
		var del [2]struct {
			ids, cases, subjects []string
			updated              []pgtype.Timestamptz
		}
		for i := range proofs {
			p := &proofs[i]
			for _, h := range holds[p.Subject] {
				held[i] = held[i] || h.Covers(p.Case, p.Record)
			}
			if held[i] {
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
				return err
			}
			deleted, err := pgx.CollectRows(rows, pgx.RowTo[string])
			if err != nil {
				return err
			}
			if err := s.faults.Wrote(op, int64(len(deleted))); err != nil {
				return err
			}
			for _, id := range deleted {
				gone[id] = true
			}
		}
		// Why the others stay, in the contract's order: one statement,
		// only when some stay.
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
				return err
			}
			var k int64
			var proven bool
			var caseID, subject *string
			var updated pgtype.Timestamptz
			_, err = pgx.ForEachRow(rows, []any{&k, &proven, &caseID, &subject, &updated}, func() error {
				i := refused[k-1]
				p := &proofs[i]
				switch {
				case proven:
					results[i] = &privacy.Error{Op: op, Kind: privacy.ErrExists, Msg: "the record has a proof of deletion"}
				case caseID == nil:
					results[i] = &privacy.Error{Op: op, Kind: privacy.ErrNotFound}
				case *caseID != string(p.Case) || deref(subject) != string(p.Subject) || !timeOf(updated).Equal(p.Updated):
					results[i] = &privacy.Error{Op: op, Kind: privacy.ErrConflict, Msg: "the record is not the version scheduled"}
				case held[i]:
					// Rule G3: a held record is never deleted.
					results[i] = &privacy.Error{Op: op, Kind: privacy.ErrForbidden, Rule: privacy.G3, Msg: "a legal hold keeps the record"}
				default:
					results[i] = &privacy.Error{Op: op, Kind: privacy.ErrConflict, Msg: "the record changed during its erasure"}
				}
				return nil
			})
			if err != nil {
				return err
			}
		}
		if len(gone) == 0 {
			return nil
		}
		// 5. The proofs and the audit events of what was deleted.
		erased := make([]int, 0, len(gone))
		for i := range proofs {
			if results[i] == nil {
				erased = append(erased, i)
			}
		}
		if err := s.copyProofs(ctx, tx, op, proofs, erased); err != nil {
			return err
		}
		evs := events
		if len(erased) < n {
			evs = make([]privacy.Event, len(erased))
			for k, i := range erased {
				evs[k] = events[i]
			}
		}
		// The events as stored are not needed: chained as they are sent.
		_, err = s.chainEvents(ctx, tx, op, evs, false)
		return err
	})
	if err != nil {
		return nil, err
	}
	return results, nil
}

// proofColumnNames are the columns of proofColumns, for COPY.
var proofColumnNames = []string{"record_id", "medical", "case_id", "case_kind", "subject_id", "category", "updated",
	"due", "deleted", "rule", "reason", "citation", "erasure", "policy", "by_principal", "recipients"}

// copyProofs stores the proofs at the given indexes with COPY, the
// fastest way PostgreSQL takes rows in; it accounts for the rows written.
func (s *Store) copyProofs(ctx context.Context, tx pgx.Tx, op string, proofs []retention.Proof, at []int) error {
	k := 0
	row := make([]any, 0, len(proofColumnNames))
	src := pgx.CopyFromFunc(func() ([]any, error) {
		if k == len(at) {
			return nil, nil
		}
		p := &proofs[at[k]]
		k++
		row := row[:0]
		var due, recipients *string
		if !p.Due.IsZero() {
			d := p.Due.String()
			due = &d
		}
		if b := sqladapter.EncodeRecipients(p.Recipients); b != nil {
			r := string(b)
			recipients = &r
		}
		// pgx encodes a row before it asks for the next: one slice
		// serves them all.
		return append(row, string(p.Record), p.Medical, string(p.Case), string(p.CaseKind), string(p.Subject),
			string(p.Category), ts(p.Updated), due, ts(p.Deleted), string(p.Rule), string(p.Reason), p.Citation,
			string(p.Erasure), p.Policy, string(p.By), recipients), nil
	})
	n, err := tx.CopyFrom(ctx, pgx.Identifier{s.schema, "proofs"}, proofColumnNames, src)
	if err != nil {
		return err
	}
	return s.faults.Wrote(op, n)
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

// Proof implements [retention.Store]. It always reads the primary.
func (s *Store) Proof(ctx context.Context, id privacy.RecordID) (retention.Proof, error) {
	const op = "pgstore: proof"
	if err := sqladapter.CheckID(op, "id", string(id)); err != nil {
		return retention.Proof{}, err
	}
	p, err := scanProof(s.pool.QueryRow(ctx, s.q.ret.proof, string(id)))
	if err != nil {
		return retention.Proof{}, fail(op, err, nil)
	}
	return p, nil
}

// Proofs implements [retention.Store]. With a context marked by
// [WithReplica] it may read the replica.
func (s *Store) Proofs(ctx context.Context, subject privacy.SubjectID) ([]retention.Proof, error) {
	const op = "pgstore: proofs"
	if err := sqladapter.CheckID(op, "subject", string(subject)); err != nil {
		return nil, err
	}
	rows, err := s.lister(ctx).Query(ctx, s.q.ret.proofs, string(subject))
	if err != nil {
		return nil, fail(op, err, nil)
	}
	out, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (retention.Proof, error) { return scanProof(row) })
	if err != nil {
		return nil, fail(op, err, nil)
	}
	if out == nil {
		out = []retention.Proof{}
	}
	return out, nil
}

func scanProof(row pgx.Row) (retention.Proof, error) {
	var record, caseID, caseKind, subject, category, rule, reason, citation, erasure, policy, by string
	var medical bool
	var updated, deleted pgtype.Timestamptz
	var due, recipients *string
	if err := row.Scan(&record, &medical, &caseID, &caseKind, &subject, &category, &updated, &due, &deleted, &rule,
		&reason, &citation, &erasure, &policy, &by, &recipients); err != nil {
		return retention.Proof{}, err
	}
	p := retention.Proof{Record: privacy.RecordID(record), Medical: medical, Case: privacy.CaseID(caseID),
		CaseKind: privacy.CaseKind(caseKind), Subject: privacy.SubjectID(subject), Category: privacy.Category(category),
		Updated: timeOf(updated), Deleted: timeOf(deleted), Rule: privacy.RuleID(rule), Reason: retention.Reason(reason),
		Citation: citation, Erasure: retention.ErasureID(erasure), Policy: policy, By: privacy.PrincipalID(by)}
	var err error
	if p.Due, err = sqladapter.DecodeDate(deref(due)); err != nil {
		return retention.Proof{}, err
	}
	if recipients != nil {
		p.Recipients, err = sqladapter.DecodeRecipients([]byte(*recipients))
	}
	if err != nil {
		return retention.Proof{}, err
	}
	return p, nil
}

// standingHolds returns the holds of subjects that have not been lifted,
// with their scopes, by subject. The role needs SELECT on holds' subject_id,
// case_id, records and lifted.
func (s *Store) standingHolds(ctx context.Context, tx pgx.Tx, subjects []string) (map[privacy.SubjectID][]retention.Hold, error) {
	rows, err := tx.Query(ctx, s.q.ret.standingHolds, subjects)
	if err != nil {
		return nil, err
	}
	holds := map[privacy.SubjectID][]retention.Hold{}
	var hs string
	var hc *string
	var hr []string
	_, err = pgx.ForEachRow(rows, []any{&hs, &hc, &hr}, func() error {
		sub := privacy.SubjectID(hs)
		holds[sub] = append(holds[sub], retention.Hold{Subject: sub, Case: privacy.CaseID(deref(hc)), Records: recordIDs(hr)})
		return nil
	})
	if err != nil {
		return nil, err
	}
	return holds, nil
}

// The checks of the direct deletions of privacy.Store (DeleteRecord,
// DeleteMedicalRecord, DeleteCase, DeleteSubject): each runs in the
// deletion's transaction after it locked the subject's row, which
// [Store.PlaceHold] locks before it inserts a hold, and fails with the
// refusal of rule G3 if a standing hold covers what would be deleted.

// checkRecordHolds checks record id of case c of subject.
func (s *Store) checkRecordHolds(ctx context.Context, tx pgx.Tx, op, subject, c, id string) error {
	holds, err := s.standingHolds(ctx, tx, []string{subject})
	if err != nil {
		return err
	}
	for _, h := range holds[privacy.SubjectID(subject)] {
		if h.Covers(privacy.CaseID(c), privacy.RecordID(id)) {
			return sqladapter.Held(op, "a legal hold keeps the record")
		}
	}
	return nil
}

// checkCaseHolds checks case c of subject, whole and each of its records
// in both files.
func (s *Store) checkCaseHolds(ctx context.Context, tx pgx.Tx, op, subject, c string) error {
	holds, err := s.standingHolds(ctx, tx, []string{subject})
	if err != nil {
		return err
	}
	whole, named := sqladapter.CaseHolds(holds[privacy.SubjectID(subject)], privacy.CaseID(c))
	if !whole && len(named) > 0 {
		if err := tx.QueryRow(ctx, s.q.ret.caseHasRecord, c, ids(named)).Scan(&whole); err != nil {
			return err
		}
	}
	if whole {
		return sqladapter.Held(op, "a legal hold keeps the case")
	}
	return nil
}

// checkSubjectHolds checks the whole of subject's data.
func (s *Store) checkSubjectHolds(ctx context.Context, tx pgx.Tx, op, subject string) error {
	var held bool
	if err := tx.QueryRow(ctx, s.q.ret.subjectHeld, subject).Scan(&held); err != nil {
		return err
	}
	if held {
		return sqladapter.Held(op, "a legal hold keeps the subject's data")
	}
	return nil
}
