package pgstore

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/dossierwacht/dossierwacht/privacy"
	"github.com/dossierwacht/dossierwacht/retention"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// TestRetentionIndexes checks with EXPLAIN that indexes answer the
// retention store's queries, order included: Candidates walks the
// subjects on subjects_employment_ended and asks each from cases_closed
// (closing date), records_case (creation time, both files) and
// erasures_decided (decision time); EraseRecords finds its rows by key, and
// so do the direct deletions' hold checks (rule G3). As in TestIndexes,
// sequential and bitmap scans and sorts are turned off for the
// transaction: a plan that still has one means no index serves the query.
func TestRetentionIndexes(t *testing.T) {
	ctx := context.Background()
	s := OpenForTest(t, nil)
	var rs []privacy.Record
	var toClose []privacy.Case
	closed := t0.Add(24 * time.Hour)
	for sub := range 50 {
		sid := privacy.SubjectID(fmt.Sprintf("s-%02d", sub))
		if err := s.CreateSubject(ctx, privacy.Subject{ID: sid, Created: t0}, audit); err != nil {
			t.Fatal(err)
		}
		for c := range 2 {
			cid := privacy.CaseID(fmt.Sprintf("c-%02d-%d", sub, c))
			cs := privacy.Case{ID: cid, Subject: sid, Opened: t0}
			if err := s.CreateCase(ctx, cs, audit); err != nil {
				t.Fatal(err)
			}
			if c == 0 {
				// Closed once its records are in (rule R4), below.
				toClose = append(toClose, cs)
			}
			for i := range 10 {
				rs = append(rs, privacy.Record{ID: privacy.RecordID(fmt.Sprintf("r-%02d-%d-%d", sub, c, i)), Case: cid, Subject: sid,
					Created: t0.Add(time.Duration(i) * time.Minute), Fields: map[privacy.Field]string{privacy.FieldText: "x"}})
			}
		}
		if err := s.AddErasure(ctx, retention.Erasure{ID: retention.ErasureID(fmt.Sprintf("e-%02d", sub)), Subject: sid, Rule: privacy.O13,
			Received: t0, Decided: t0, DecidedBy: "p-1"}, privacy.Event{Time: t0, Principal: "p-1", Subject: sid}); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.AddRecords(ctx, rs, audit); err != nil {
		t.Fatal(err)
	}
	if err := s.AddMedicalRecords(ctx, rs, audit); err != nil {
		t.Fatal(err)
	}
	for _, cs := range toClose {
		cs.Closed = closed
		if err := s.UpdateCase(ctx, cs, audit); err != nil {
			t.Fatal(err)
		}
	}
	for _, table := range []pgx.Identifier{{s.schema, "subjects"}, {s.schema, "cases"}, {s.schema, "records"},
		{s.medical, "records"}, {s.schema, "erasures"}, {s.schema, "holds"}, {s.schema, "proofs"}} {
		if _, err := s.pool.Exec(ctx, "ANALYZE "+table.Sanitize()); err != nil {
			t.Fatal(err)
		}
	}
	cut := ts(closed.Add(time.Hour))
	subjects, records := []string{"s-01", "s-02"}, []string{"r-01-0-1", "r-02-0-1"}
	for _, tc := range []struct {
		name  string
		query string
		want  []string
		args  []any
	}{
		{"Candidates", s.q.ret.candidates, []string{"subjects_employment_ended", "cases_closed", "cases_open", "records_case", "erasures_decided"},
			[]any{"s-10", cut, cut, cut, cut, 10, cut}},
		{"CandidatesClosedOnly", s.q.ret.candidates, []string{"subjects_employment_ended", "cases_closed", "cases_open"},
			[]any{"", nil, cut, nil, nil, 10, nil}},
		{"DossierCases", s.q.ret.dossierCases, []string{"cases_subject"}, []any{subjects}},
		{"DossierEntries", s.q.ret.dossierEntries, []string{"records_case"}, []any{[]string{"c-01-0", "c-02-0"}}},
		{"DossierHolds", s.q.ret.dossierHolds, []string{"holds_subject"}, []any{subjects}},
		{"DossierErasures", s.q.ret.dossierErasures, []string{"erasures_subject"}, []any{subjects}},
		{"EraseLockSubjects", s.q.ret.lockSubjects, []string{"LockRows", " on subjects"}, []any{subjects}},
		{"EraseCheck", s.q.ret.eraseCheck, []string{"proofs_pkey", "records_pkey"}, []any{records, []bool{false, true}}},
		{"EraseStandingHolds", s.q.ret.standingHolds, []string{"holds_subject"}, []any{subjects}},
		// A deletion names the record, its case and its subject: since
		// migration 0063 the planner may find the one row on
		// records_subject_case (subject_id, case_id, …, id) as well as on
		// the primary key; either is a lookup of one row.
		{"EraseDelete", s.q.ret.deleteOrdinary, []string{"records_pkey|records_subject_case", "proofs_pkey"},
			[]any{records, []string{"c-01-0", "c-02-0"}, subjects, []time.Time{t0, t0}}},
		{"EraseDeleteMedical", s.q.ret.deleteMedical, []string{"records_pkey|records_subject_case", "proofs_pkey"},
			[]any{records, []string{"c-01-0", "c-02-0"}, subjects, []time.Time{t0, t0}}},
		{"DeleteSubjectHeld", s.q.ret.subjectHeld, []string{"holds_subject"}, []any{"s-01"}},
		{"DeleteCaseHasHeldRecord", s.q.ret.caseHasRecord, []string{"records_pkey"}, []any{"c-01-0", records}},
		{"DeleteRecordOwner", s.q.ordinary.owner, []string{"records_pkey"}, []any{"r-01-0-1"}},
		{"DeleteRecordGuarded", s.q.medical.delete, []string{"records_pkey|records_subject_case"}, []any{"r-01-0-1", "c-01-0", "s-01"}},
		{"Proofs", s.q.ret.proofs, []string{"proofs_subject"}, []any{"s-01"}},
		{"Proof", s.q.ret.proof, []string{"proofs_pkey"}, []any{"r-01-0-1"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			text := explain(t, s, noScans, tc.query, tc.args...)
			bad := !strings.Contains(text, "Index") || strings.Contains(text, "Sort") || strings.Contains(text, "Seq Scan") ||
				strings.Contains(text, "hashed SubPlan") // a probe per subject, not every match per page
			for _, w := range tc.want {
				// w is one index, or alternatives a|b.
				bad = bad || !slices.ContainsFunc(strings.Split(w, "|"), func(alt string) bool { return strings.Contains(text, alt) })
			}
			if bad {
				t.Errorf("plan of %s:\n%s\nwant index scans on %v and no sort", tc.name, text, tc.want)
			} else if testing.Verbose() {
				t.Logf("plan of %s:\n%s", tc.name, text)
			}
		})
	}
}

// TestEraseDeletePlan checks the plan of EraseRecords' guarded DELETE as
// it runs: the planner left at its defaults but for the transaction's
// probeByKey settings, on a file of 20,000 analysed records and a batch of
// 2,000. Each row must be found by its key (records_pkey) and its proof
// looked for by key (proofs_pkey). Without probeByKey the planner hashes
// the whole file for every batch, and a sweep costs the square of its
// size; this test fails if that comes back.
func TestEraseDeletePlan(t *testing.T) {
	ctx := context.Background()
	s := OpenForTest(t, nil)
	sc, md := pgx.Identifier{s.schema}.Sanitize(), pgx.Identifier{s.medical}.Sanitize()
	const subjects, perCase = 1000, 20
	for _, q := range []string{
		`INSERT INTO ` + sc + `.subjects (id, employer) SELECT 's-' || lpad(i::text, 5, '0'), 'e' FROM generate_series(1, $1) i`,
		`INSERT INTO ` + sc + `.cases (id, subject_id, kind, purpose, contract_id, contract_party, contract_party_kind)
	SELECT 'c-' || lpad(i::text, 5, '0'), 's-' || lpad(i::text, 5, '0'), 'absence', 'p', 'k', 'e', 'employer'
	FROM generate_series(1, $1) i`,
	} {
		if _, err := s.pool.Exec(ctx, q, subjects); err != nil {
			t.Fatal(err)
		}
	}
	for _, table := range []string{sc + ".records", md + ".records"} {
		if _, err := s.pool.Exec(ctx, `INSERT INTO `+table+` (id, case_id, subject_id, category, author, source_kind,
	source_party, purpose, basis, created, fields)
	SELECT 'r-' || lpad(i::text, 5, '0') || '-' || j, 'c-' || lpad(i::text, 5, '0'), 's-' || lpad(i::text, 5, '0'),
		'notes', 'a', 'service', '', 'p', '', '2001-01-01T00:00:00Z', '\x00'
	FROM generate_series(1, $1) i, generate_series(1, $2) j`, subjects, perCase); err != nil {
			t.Fatal(err)
		}
		if _, err := s.pool.Exec(ctx, "ANALYZE "+table); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.pool.Exec(ctx, "ANALYZE "+sc+".proofs"); err != nil {
		t.Fatal(err)
	}
	const batch = 2000
	ids, cases, subs, updated := make([]string, batch), make([]string, batch), make([]string, batch), make([]time.Time, batch)
	for i := range batch {
		sub := 1 + i/perCase
		ids[i] = fmt.Sprintf("r-%05d-%d", sub, 1+i%perCase)
		cases[i], subs[i] = fmt.Sprintf("c-%05d", sub), fmt.Sprintf("s-%05d", sub)
		updated[i] = time.Date(2001, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	for _, tc := range []struct{ name, query string }{
		{"ordinary", s.q.ret.deleteOrdinary},
		{"medical", s.q.ret.deleteMedical},
	} {
		t.Run(tc.name, func(t *testing.T) {
			text := explain(t, s, []string{s.q.ret.probeByKey}, tc.query, ids, cases, subs, updated)
			if !strings.Contains(text, "Index Scan using records_pkey") || !strings.Contains(text, "proofs_pkey") ||
				strings.Contains(text, "Hash") || strings.Contains(text, "Seq Scan") || strings.Contains(text, "Merge") {
				t.Errorf("plan of the guarded DELETE (%s):\n%s\nwant a probe by key per row, no hash, merge or sequential scan", tc.name, text)
			}
		})
	}
}

// TestHoldSeenUnderRepeatableReadDefault checks rule G3 on a server whose
// sessions default to REPEATABLE READ: a hold committed while a direct
// deletion waits for the subject's lock must still stop the deletion.
// The store opens its writes READ COMMITTED whatever the default; without
// that, the deletion's snapshot predates the hold and the held record goes.
func TestHoldSeenUnderRepeatableReadDefault(t *testing.T) {
	ctx := context.Background()
	cfg, err := pgxpool.ParseConfig(DSNForTest(t))
	if err != nil {
		t.Fatal(err)
	}
	cfg.ConnConfig.RuntimeParams["default_transaction_isolation"] = "repeatable read"
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(pool.Close)
	s := NewForTest(t, pool, nil)
	if err := s.CreateSubject(ctx, privacy.Subject{ID: "s-1", Created: t0}, audit); err != nil {
		t.Fatal(err)
	}
	if err := s.CreateCase(ctx, privacy.Case{ID: "c-1", Subject: "s-1", Opened: t0}, audit); err != nil {
		t.Fatal(err)
	}
	rec := privacy.Record{ID: "r-1", Case: "c-1", Subject: "s-1", Created: t0, Fields: map[privacy.Field]string{privacy.FieldText: "x"}}
	if err := s.AddRecords(ctx, []privacy.Record{rec}, audit); err != nil {
		t.Fatal(err)
	}

	// A hold placed by hand, in a transaction that holds the subject's
	// lock until the deletion below is waiting for it.
	tx, err := pool.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback(ctx)
	if _, err := tx.Exec(ctx, s.q.lockSubject, "s-1"); err != nil {
		t.Fatal(err)
	}
	if _, err := tx.Exec(ctx, s.q.ret.insertHold, "h-1", "s-1", nil, []string{"r-1"}, string(retention.GroundLegalClaim),
		"court case", "officer-1", t0); err != nil {
		t.Fatal(err)
	}
	var xid string
	if err := tx.QueryRow(ctx, `SELECT pg_current_xact_id()::xid::text`).Scan(&xid); err != nil {
		t.Fatal(err)
	}
	deleted := make(chan error, 1)
	go func() { deleted <- s.DeleteRecord(ctx, "r-1", audit) }()
	// Commit once the deletion waits for this transaction.
	for waiting := false; !waiting; {
		if err := pool.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM pg_locks
	WHERE locktype = 'transactionid' AND transactionid::text = $1 AND NOT granted)`, xid).Scan(&waiting); err != nil {
			t.Fatal(err)
		}
		if !waiting {
			time.Sleep(5 * time.Millisecond)
		}
	}
	if err := tx.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	if err := <-deleted; !errors.Is(err, privacy.ErrForbidden) || privacy.RuleOf(err) != privacy.G3 {
		t.Errorf("DeleteRecord while a hold was placed = %v, want ErrForbidden by rule G3", err)
	}
	if _, err := s.Record(ctx, "r-1"); err != nil {
		t.Errorf("the held record after the refused deletion: %v", err)
	}
}
