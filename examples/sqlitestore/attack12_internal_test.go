package sqlitestore

import (
	"context"
	"database/sql"
	"path/filepath"
	"testing"
	"time"

	"github.com/dossierwacht/dossierwacht/examples/internal/sqladapter"
	"github.com/dossierwacht/dossierwacht/privacy"
	"github.com/dossierwacht/dossierwacht/retention"
)

// TestMigrationCaseActivityKeepsSweptRecordsR9O12 attacks migration
// 0072's backfill of a case's last activity (cases.active) on a file
// written before it: an open consultation case with a note of t0 and an
// appointment of a year later that a sweep already erased (its proof
// stands). The appointment was the case's last activity (rules R9, O12:
// an open case ends then, retention.CaseEnded); backfilled from the
// records left alone, the case and its note would end a year early, the
// very dating back the column is there to prevent. The backfill reads the
// proofs of the erased records too (their version: the record's last
// change).
func TestMigrationCaseActivityKeepsSweptRecordsR9O12(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "old.db")
	old, err := sql.Open("sqlite", dsn(path, time.Second, "_txlock=immediate"))
	if err != nil {
		t.Fatal(err)
	}
	ms := migrations(t)
	if ms[len(ms)-1].Name != "case_activity" {
		t.Fatalf("the last migration is %q, want case_activity", ms[len(ms)-1].Name)
	}
	s := &Store{w: old}
	if err := s.migrate(ctx, ms[:len(ms)-1]); err != nil {
		t.Fatalf("migrate to before case_activity: %v", err)
	}
	appointment := t0.AddDate(1, 0, 0)
	medical := t0.AddDate(0, 6, 0)
	for _, q := range []struct {
		sql  string
		args []any
	}{
		{`INSERT INTO subjects (id, employer, employment_ended, created) VALUES ('s-1', 'employer-1', NULL, ?)`, []any{t0.UnixMicro()}},
		{`INSERT INTO cases (id, subject_id, kind, purpose, contract_id, contract_party, contract_party_kind, contract_start,
	contract_end, opened, closed) VALUES ('c-1', 's-1', 'consultation', 'prevention', 'k-1', 'employer-1', 'employer', ?, NULL, ?, NULL)`,
			[]any{t0.AddDate(-1, 0, 0).UnixMicro(), t0.UnixMicro()}},
		{`INSERT INTO records (id, case_id, subject_id, category, author, source_kind, source_party, purpose, basis, created,
	updated, fields) VALUES ('n-1', 'c-1', 's-1', 'notes', 'cm-1', 'service', '', 'prevention', '', ?, ?, ?)`,
			[]any{t0.UnixMicro(), t0.UnixMicro(), sqladapter.EncodeFields(map[privacy.Field]string{privacy.FieldText: "x"})}},
		// Swept before the upgrade: the appointment a month after its
		// making, a medical record likewise.
		{`INSERT INTO proofs (record_id, medical, case_id, case_kind, subject_id, category, updated, due, deleted, rule, reason,
	citation, erasure, policy, by_principal) VALUES ('a-1', 0, 'c-1', 'consultation', 's-1', 'appointment', ?, '2027-04-03', ?,
	'O12', 'maximum', 'x', '', 'p@1', 'officer-1')`, []any{appointment.UnixMicro(), appointment.AddDate(0, 1, 1).UnixMicro()}},
		{`INSERT INTO proofs (record_id, medical, case_id, case_kind, subject_id, category, updated, due, deleted, rule, reason,
	citation, erasure, policy, by_principal) VALUES ('m-1', 1, 'c-1', 'consultation', 's-1', 'medical', ?, '2026-10-03', ?,
	'O12', 'erasure', 'x', 'e-1', 'p@1', 'officer-1')`, []any{medical.UnixMicro(), medical.AddDate(0, 1, 1).UnixMicro()}},
	} {
		if _, err := old.Exec(q.sql, q.args...); err != nil {
			t.Fatalf("%s: %v", q.sql, err)
		}
	}
	old.Close()

	s, err = Open(ctx, path, nil)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	defer s.Close()
	d, err := s.Dossier(ctx, "s-1")
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Cases) != 1 || !d.Cases[0].Active.Equal(appointment) {
		t.Fatalf("after the upgrade, the case's kept activity is %v; want the swept appointment's, %v (rules R9, O12)",
			d.Cases[0].Active, appointment)
	}
	// Two years and two days after the note, a year before the case
	// ends: the note stays.
	k, err := retention.New(s, privacy.Strict(), nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := k.Sweep(ctx, privacy.Principal{ID: "officer-1", Role: privacy.RolePrivacyOfficer}, t0.AddDate(2, 0, 2)); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Record(ctx, "n-1"); err != nil {
		t.Errorf("Record(n-1) after a sweep a year before its case ends: %v; want it kept (rules R9, O12)", err)
	}
}
