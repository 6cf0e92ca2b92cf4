package pgstore

import (
	"context"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/dossierwacht/dossierwacht/examples/internal/sqladapter"
	"github.com/dossierwacht/dossierwacht/privacy"
	"github.com/dossierwacht/dossierwacht/retention"
)

// TestMigrationCaseActivityKeepsSweptRecordsR9O12 attacks migration
// 0072's backfill of a case's last activity (cases.active) on a schema
// written before it, as sqlitestore's test of the same name does: an open
// consultation case whose last activity, an appointment, a sweep already
// erased (its proof stands) must not end at its older note (rules R9,
// O12).
func TestMigrationCaseActivityKeepsSweptRecordsR9O12(t *testing.T) {
	ctx := context.Background()
	pool := PoolForTest(t, pgx.QueryExecModeExec)
	schema := SchemaForTest(t)
	DropSchemas(t, pool, schema)
	s := &Store{pool: pool, schema: schema, medical: schema + "_medical"}
	s.q = newQueries(s.replacer())
	s.auditLock = lockKey("dossierwacht audit " + schema)
	ms := migrations(t)
	if ms[len(ms)-1].Name != "case_activity" {
		t.Fatalf("the last migration is %q, want case_activity", ms[len(ms)-1].Name)
	}
	if err := s.migrate(ctx, ms[:len(ms)-1]); err != nil {
		t.Fatalf("migrate to before case_activity: %v", err)
	}
	appointment := t0.AddDate(1, 0, 0)
	medical := t0.AddDate(0, 6, 0)
	r := s.replacer()
	for _, q := range []struct {
		sql  string
		args []any
	}{
		{`INSERT INTO {schema}.subjects (id, employer, employment_ended, created) VALUES ('s-1', 'employer-1', NULL, $1)`, []any{ts(t0)}},
		{`INSERT INTO {schema}.cases (id, subject_id, kind, purpose, contract_id, contract_party, contract_party_kind, contract_start,
	contract_end, opened, closed) VALUES ('c-1', 's-1', 'consultation', 'prevention', 'k-1', 'employer-1', 'employer', $1, NULL, $2, NULL)`,
			[]any{ts(t0.AddDate(-1, 0, 0)), ts(t0)}},
		{`INSERT INTO {schema}.records (id, case_id, subject_id, category, author, source_kind, source_party, purpose, basis, created,
	updated, fields) VALUES ('n-1', 'c-1', 's-1', 'notes', 'cm-1', 'service', '', 'prevention', '', $1, $1, $2)`,
			[]any{ts(t0), sqladapter.EncodeFields(map[privacy.Field]string{privacy.FieldText: "x"})}},
		{`INSERT INTO {schema}.proofs (record_id, medical, case_id, case_kind, subject_id, category, updated, due, deleted, rule, reason,
	citation, erasure, policy, by_principal) VALUES ('a-1', false, 'c-1', 'consultation', 's-1', 'appointment', $1, '2027-04-03', $2,
	'O12', 'maximum', 'x', '', 'p@1', 'officer-1')`, []any{ts(appointment), ts(appointment.AddDate(0, 1, 1))}},
		{`INSERT INTO {schema}.proofs (record_id, medical, case_id, case_kind, subject_id, category, updated, due, deleted, rule, reason,
	citation, erasure, policy, by_principal) VALUES ('m-1', true, 'c-1', 'consultation', 's-1', 'medical', $1, '2026-10-03', $2,
	'O12', 'erasure', 'x', 'e-1', 'p@1', 'officer-1')`, []any{ts(medical), ts(medical.AddDate(0, 1, 1))}},
	} {
		if _, err := pool.Exec(ctx, r.Replace(q.sql), q.args...); err != nil {
			t.Fatalf("%s: %v", q.sql, err)
		}
	}
	s, err := New(ctx, pool, &Options{Schema: schema})
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	d, err := s.Dossier(ctx, "s-1")
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Cases) != 1 || !d.Cases[0].Active.Equal(appointment) {
		t.Fatalf("after the upgrade, the case's kept activity is %v; want the swept appointment's, %v (rules R9, O12)",
			d.Cases[0].Active, appointment)
	}
	// Two years and two days after the note, a year before the case
	// ends: the note is not due.
	eng, err := retention.NewEngine(privacy.Strict())
	if err != nil {
		t.Fatal(err)
	}
	if sc := eng.Schedule(nil, &d, t0.AddDate(2, 0, 2)); len(sc) != 1 || sc[0].IsDue() {
		t.Errorf("Schedule two years after the note = %v; want it not due (rules R9, O12)", sc)
	}
}
