package sqlitestore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/dossierwacht/dossierwacht/examples/internal/sqladapter"
	"github.com/dossierwacht/dossierwacht/privacy"
)

var t0 = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

// schema describes the file's schema: every object's SQL and the versions
// applied.
func schema(t *testing.T, db *sql.DB) string {
	t.Helper()
	var b strings.Builder
	rows, err := db.Query(`SELECT type, name, coalesce(sql, '') FROM sqlite_master ORDER BY type, name`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var typ, name, text string
		if err := rows.Scan(&typ, &name, &text); err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(&b, "%s %s %s\n", typ, name, text)
	}
	rows, err = db.Query(`SELECT version, name, applied FROM schema_migrations ORDER BY version`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var v int
		var name, applied string
		if err := rows.Scan(&v, &name, &applied); err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(&b, "migration %d %s %s\n", v, name, applied)
	}
	return b.String()
}

func migrations(t *testing.T) []sqladapter.Migration {
	t.Helper()
	ms, err := sqladapter.Migrations(migrationFiles, "migrations")
	if err != nil {
		t.Fatal(err)
	}
	return ms
}

// TestMigrate shows that migrations are idempotent, that a file at an old
// version upgrades with its data kept, and that a file newer than the
// adapter is refused.
func TestMigrate(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "old.db")

	// A file at version 1: records, no audit trail yet.
	old, err := sql.Open("sqlite", dsn(path, time.Second, "_txlock=immediate"))
	if err != nil {
		t.Fatal(err)
	}
	s := &Store{w: old}
	if err := s.migrate(ctx, migrations(t)[:1]); err != nil {
		t.Fatalf("migrate to version 1: %v", err)
	}
	// Version 1 has no audit trail to audit a write in: the rows go in
	// directly.
	if _, err := old.Exec(`INSERT INTO subjects (id, employer, employment_ended, created) VALUES ('s-1', '', NULL, ?)`,
		t0.UnixMicro()); err != nil {
		t.Fatal(err)
	}
	if _, err := old.Exec(`INSERT INTO cases (id, subject_id, kind, purpose, contract_id, contract_party,
	contract_party_kind, contract_start, contract_end, opened, closed) VALUES ('c-1', 's-1', '', '', '', '', '', NULL, NULL, ?, NULL)`,
		t0.UnixMicro()); err != nil {
		t.Fatal(err)
	}
	if _, err := old.Exec(`SELECT 1 FROM audit_events`); err == nil {
		t.Fatal("version 1 has an audit trail")
	}
	v1 := schema(t, old)
	if err := s.migrate(ctx, migrations(t)[:1]); err != nil {
		t.Fatalf("migrate to version 1 again: %v", err)
	}
	if again := schema(t, old); again != v1 {
		t.Errorf("a second run changed the schema:\n%s\nwant\n%s", again, v1)
	}
	old.Close()

	// Open brings it to the current version, data kept.
	s, err = Open(ctx, path, nil)
	if err != nil {
		t.Fatalf("Open(version 1 file): %v", err)
	}
	if c, err := s.Case(ctx, "c-1"); err != nil || c.Subject != "s-1" {
		t.Errorf("after upgrade: Case(c-1) = %+v, %v", c, err)
	}
	if _, err := s.AppendEvents(ctx, privacy.Event{Time: t0, Principal: "p-1"}); err != nil {
		t.Errorf("after upgrade: AppendEvents: %v", err)
	}
	current := schema(t, s.w)
	ms := migrations(t)
	if !strings.Contains(current, fmt.Sprintf("migration %d ", ms[len(ms)-1].Version)) {
		t.Errorf("after upgrade the schema lacks the last migration:\n%s", current)
	}
	if err := s.migrate(ctx, migrations(t)); err != nil {
		t.Fatalf("migrate again: %v", err)
	}
	if again := schema(t, s.w); again != current {
		t.Errorf("a second run changed the schema:\n%s\nwant\n%s", again, current)
	}

	// A file from a newer adapter.
	if _, err := s.w.Exec(`INSERT INTO schema_migrations (version, name) VALUES (?, 'future')`, len(migrations(t))+1); err != nil {
		t.Fatal(err)
	}
	s.Close()
	if _, err := Open(ctx, path, nil); !errors.Is(err, privacy.ErrConflict) {
		t.Errorf("Open(newer schema) = %v, want ErrConflict", err)
	}
}

func TestMigrationFiles(t *testing.T) {
	ms := migrations(t)
	for i, m := range ms {
		// Versions ascend, with gaps where helpers took numbers apart.
		if (i > 0 && m.Version <= ms[i-1].Version) || m.Version < 1 || m.Name == "" || m.SQL == "" {
			t.Errorf("migration %d = %+v", i+1, m)
		}
	}
}

// TestIndexes checks with EXPLAIN QUERY PLAN that the hot queries search an
// index and never sort.
func TestIndexes(t *testing.T) {
	ctx := context.Background()
	s, err := Open(ctx, filepath.Join(t.TempDir(), "x.db"), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for _, tc := range []struct {
		name, query, want string
		args              []any
	}{
		{"SubjectCases", qSubjectCases, "USING INDEX cases_subject (subject_id=?)", []any{"s-1"}},
		{"CaseRecords", ordinaryFile.first, "USING INDEX records_case (case_id=?)", []any{"c-1", 10}},
		{"CaseRecordsNextPage", ordinaryFile.after, "USING INDEX records_case (case_id=? AND (created,id)>(?,?))", []any{"c-1", 1, "r-1", 10}},
		{"CaseMedicalRecords", medicalFile.first, "USING INDEX medical_records_case (case_id=?)", []any{"c-1", 10}},
		{"CaseMedicalRecordsNextPage", medicalFile.after, "USING INDEX medical_records_case (case_id=? AND (created,id)>(?,?))", []any{"c-1", 1, "r-1", 10}},
		// Issue 14 §2: a case's records by subject and case (migration 0063).
		{"CaseRecordsBySubject", ordinaryFile.subjectFirst, "USING INDEX records_subject_case (subject_id=? AND case_id=?)", []any{"s-1", "c-1", 10}},
		{"CaseRecordsBySubjectNextPage", ordinaryFile.subjectAfter, "USING INDEX records_subject_case (subject_id=? AND case_id=? AND (created,id)>(?,?))", []any{"s-1", "c-1", 1, "r-1", 10}},
		{"CaseMedicalRecordsBySubject", medicalFile.subjectFirst, "USING INDEX medical_records_subject_case (subject_id=? AND case_id=?)", []any{"s-1", "c-1", 10}},
		{"CaseMedicalRecordsBySubjectNextPage", medicalFile.subjectAfter, "USING INDEX medical_records_subject_case (subject_id=? AND case_id=? AND (created,id)>(?,?))", []any{"s-1", "c-1", 1, "r-1", 10}},
		{"RecordByID", ordinaryFile.get, "USING INDEX sqlite_autoindex_records_1 (id=?)", []any{"r-1"}},
		{"DeleteSubjectMedical", deleteSubject[0], "medical_records USING COVERING INDEX medical_records_case (case_id=?)", []any{"s-1"}},
		{"DeleteSubjectRecords", deleteSubject[1], "cases USING COVERING INDEX cases_subject (subject_id=?)", []any{"s-1"}},
		{"DeleteCaseRecords", deleteCase[1], "USING COVERING INDEX records_case (case_id=?)", []any{"c-1"}},
		{"EventsInOrder", qEvents, "USING INTEGER PRIMARY KEY (rowid>?)", []any{1, 10}},
		// A chain's last event and its anchor, each by its key (G7).
		{"LastEvent", qLastEvent, "USING INDEX sqlite_autoindex_audit_events_1 (subject=?)", []any{"s-1"}},
		{"EventsBySubject", qSubjectEvents, "USING INDEX sqlite_autoindex_audit_events_1 (subject=? AND seq>?)", []any{"s-1", 1, 10}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rows, err := s.r.QueryContext(ctx, "EXPLAIN QUERY PLAN "+tc.query, tc.args...)
			if err != nil {
				t.Fatal(err)
			}
			defer rows.Close()
			var plan strings.Builder
			for rows.Next() {
				var id, parent, notused int
				var detail string
				if err := rows.Scan(&id, &parent, &notused, &detail); err != nil {
					t.Fatal(err)
				}
				plan.WriteString(detail + "\n")
			}
			if !strings.Contains(plan.String(), tc.want) || strings.Contains(plan.String(), "TEMP B-TREE") {
				t.Errorf("plan of %s:\n%swant %q and no sort", tc.name, plan.String(), tc.want)
			}
		})
	}
}

// TestAuditAppendOnly shows that the file itself refuses to change or
// delete an audit event (rule G7), and that the store reports it as
// privacy.ErrForbidden citing G7.
func TestAuditAppendOnly(t *testing.T) {
	ctx := context.Background()
	s, err := Open(ctx, filepath.Join(t.TempDir(), "x.db"), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, err := s.AppendEvents(ctx, privacy.Event{Time: t0, Principal: "p-1"}); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ name, stmt string }{
		{"G7_no_update", `UPDATE audit_events SET principal = 'someone-else'`},
		{"G7_no_delete", `DELETE FROM audit_events`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := s.write(ctx, "test", func(tx *sql.Tx) error {
				_, err := tx.ExecContext(ctx, tc.stmt)
				return err
			})
			if !errors.Is(err, privacy.ErrForbidden) || privacy.RuleOf(err) != privacy.G7 {
				t.Errorf("%s = %v, want ErrForbidden citing G7", tc.stmt, err)
			}
		})
	}
	var n int
	if err := s.r.QueryRow(`SELECT count(*) FROM audit_events WHERE principal = 'p-1'`).Scan(&n); err != nil || n != 1 {
		t.Errorf("the event changed: %d, %v", n, err)
	}
}
