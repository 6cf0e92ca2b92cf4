package pgstore

import (
	"context"
	"strconv"
	"strings"

	"github.com/dossierwacht/dossierwacht/examples/internal/sqladapter"
	"github.com/dossierwacht/dossierwacht/examples/internal/sqlcore"
	"github.com/dossierwacht/dossierwacht/retention"
	"github.com/jackc/pgx/v5"
)

// The tables of the kinds of objects a sweep erases, in the order of
// sqlcore.SetKinds, and the ended columns its row query reads of each
// (sqlcore.ObjectQueries.Ended): the set-based statements below read and
// delete them by kind's position.
var objectTables = []struct{ table, subject, t1, t2, caseID, status, history string }{
	{"disclosures", "subject_id", "at", "NULL::timestamptz", "coalesce(case_id, '')", "''", "''"},
	{"consent_grants", "subject_id", "valid_until", "revoked", "coalesce(case_id, '')", "''", "''"},
	{"requests", "subject_id", "NULL::timestamptz", "NULL::timestamptz", "''", "status", "history::text"},
	{"erasures", "subject_id", "decided", "NULL::timestamptz", "coalesce(case_id, '')", "''", "''"},
	{"holds", "subject_id", "lifted", "NULL::timestamptz", "coalesce(case_id, '')", "''", "''"},
	{"cases", "subject_id", sqlcore.SQLCaseEnded, "NULL::timestamptz", "''", "''", "''"},
	{"subjects", "id", "employment_ended", "NULL::timestamptz", "''", "''", "''"},
}

// subjectDataTables hold what a subject outlives: a case, a hold, an
// erasure request, a grant, a disclosure-log entry or a request (what
// sqlcore.ObjectQueries.SubjectHasData asks).
var subjectDataTables = []string{"cases", "holds", "erasures", "consent_grants", "disclosures", "requests"}

// objectSetQueries are the set-based statements of
// sqlcore.Store.EraseObjects on PostgreSQL: every item of a batch at once,
// its IDs as text[] per kind, found by their keys.
func objectSetQueries(r *strings.Replacer) sqlcore.ObjectSetQueries {
	var rows, rowSel, del, delSel []string
	for k, t := range objectTables {
		pos := strconv.Itoa(k)
		arg := "$" + strconv.Itoa(k+1) + "::text[]"
		rows = append(rows, `r`+pos+` AS (SELECT `+pos+` AS k, id, `+t.subject+` AS subject_id, `+t.t1+` AS t1, `+t.t2+` AS t2,
	`+t.caseID+` AS case_id, `+t.status+` AS status, `+t.history+` AS history
	FROM {schema}.`+t.table+` WHERE id = ANY (`+arg+`) ORDER BY id`+lockRow(t.table)+`)`)
		rowSel = append(rowSel, `SELECT * FROM r`+pos)
		if t.table == "subjects" {
			continue
		}
		del = append(del, `d`+pos+` AS (DELETE FROM {schema}.`+t.table+` WHERE id = ANY (`+arg+`) RETURNING `+pos+` AS k, id)`)
		delSel = append(delSel, `SELECT k, id FROM d`+pos)
	}
	var left []string
	for _, t := range subjectDataTables {
		left = append(left, `NOT EXISTS (SELECT 1 FROM {schema}.`+t+` x WHERE x.subject_id = s.id)`)
	}
	q := sqlcore.ObjectSetQueries{
		Proven: `SELECT p.i FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS p (kind, id, i)
	JOIN {schema}.object_proofs x ON x.kind = p.kind AND x.id = p.id`,
		// Each row locked as it is read, kind by kind in ID order: a
		// grant revoked or a request answered meanwhile (they lock their
		// own row, not the subject's) is read as it is committed, and
		// found changed (rule O12); records added to a case meanwhile
		// (AddRecords locks the case's row shared) are either seen by
		// CaseRecords or wait for the case's deletion and find no case
		// (N7), never a foreign key failing the whole batch.
		Rows: `WITH ` + strings.Join(rows, ",\n") + `
` + strings.Join(rowSel, "\nUNION ALL "),
		CaseRecords: `SELECT c FROM unnest($1::text[]) AS c
	WHERE EXISTS (SELECT 1 FROM {schema}.records WHERE case_id = c)
		OR EXISTS (SELECT 1 FROM {medical}.records WHERE case_id = c)`,
		RecordCases: `SELECT id, case_id FROM {schema}.records WHERE id = ANY ($1::text[])
UNION ALL SELECT id, case_id FROM {medical}.records WHERE id = ANY ($1::text[])`,
		Delete: `WITH ` + strings.Join(del, ",\n") + `
` + strings.Join(delSel, "\nUNION ALL "),
		DeleteSubjects: `DELETE FROM {schema}.subjects s WHERE s.id = ANY ($1::text[])
	AND ` + strings.Join(left, "\n\tAND ") + `
RETURNING s.id`,
		// Rule N12: forget_in_groups (migrations 0062, 0066) per subject,
		// in the order given.
		Forget: `SELECT count({schema}.forget_in_groups(u.s, u.t)) FROM unnest($1::text[], $2::text[]) AS u (s, t)`,
	}
	for _, p := range []*string{&q.Proven, &q.Rows, &q.CaseRecords, &q.RecordCases, &q.Delete, &q.DeleteSubjects, &q.Forget} {
		*p = r.Replace(*p)
	}
	return q
}

// objectProofColumns are the columns of sqlcore.ObjectProofColumns, one by
// one.
var objectProofColumns = strings.Split(strings.ReplaceAll(sqlcore.ObjectProofColumns, " ", ""), ",")

var _ sqlcore.ObjectProofWriter = dialect{}

// InsertObjectProofs stores the proofs of a batch's erased objects with
// COPY (sqlcore.ObjectProofWriter).
func (d dialect) InsertObjectProofs(ctx context.Context, tx sqlcore.Conn, op string, proofs []retention.ObjectProof, at []int) error {
	k := 0
	src := pgx.CopyFromFunc(func() ([]any, error) {
		if k == len(at) {
			return nil, nil
		}
		p := &proofs[at[k]]
		k++
		return []any{string(p.Kind), p.ID, string(p.Subject), string(p.Case), ts(p.Ended), sqladapter.EncodeDate(p.Due),
			ts(p.Deleted), string(p.Rule), string(p.Reason), p.Citation, p.Policy, string(p.By)}, nil
	})
	n, err := pgTx(tx).CopyFrom(ctx, pgx.Identifier{d.s.schema, "object_proofs"}, objectProofColumns, src)
	if err != nil {
		return err
	}
	return d.s.faults.Wrote(op, n)
}

// lockRow is what locks a row of table as a batch reads it: FOR UPDATE,
// but for the disclosure log, which no one updates (it is append-only; no
// role may update it, which FOR UPDATE would need).
func lockRow(table string) string {
	if table == "disclosures" {
		return ""
	}
	return " FOR UPDATE"
}
