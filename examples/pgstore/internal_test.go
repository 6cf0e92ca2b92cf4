package pgstore

import (
	"context"
	"errors"
	"fmt"
	"github.com/dossierwacht/dossierwacht/examples/internal/sqlcore"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/dossierwacht/dossierwacht/examples/internal/sqladapter"
	"github.com/dossierwacht/dossierwacht/privacy"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

var t0 = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

// audit is the audit event of a write the tests make on the store
// directly: privacy.Store takes none without (rules O1, G7).
var audit = []privacy.Event{{Time: t0, Principal: "p-1", Action: privacy.EventCreate}}

func migrations(t *testing.T) []sqladapter.Migration {
	t.Helper()
	ms, err := sqladapter.Migrations(migrationFiles, "migrations")
	if err != nil {
		t.Fatal(err)
	}
	return ms
}

// catalog describes the store's schemas: tables, columns, indexes,
// triggers, functions and the migrations applied.
func catalog(t *testing.T, pool *pgxpool.Pool, schema string) string {
	t.Helper()
	ctx := context.Background()
	var b strings.Builder
	for _, q := range []string{
		`SELECT table_schema || '.' || table_name || '.' || column_name || ' ' || data_type
			FROM information_schema.columns WHERE table_schema IN ($1::text, $1::text || '_medical') ORDER BY 1`,
		`SELECT schemaname || ' ' || indexdef FROM pg_indexes WHERE schemaname IN ($1::text, $1::text || '_medical') ORDER BY 1`,
		`SELECT tgname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace
			WHERE n.nspname = $1 AND NOT tgisinternal ORDER BY 1`,
		`SELECT proname FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = $1 ORDER BY 1`,
		`SELECT version || ' ' || name || ' ' || applied FROM ` + pgx.Identifier{schema, "schema_migrations"}.Sanitize() + ` ORDER BY version`,
	} {
		var args []any
		if strings.Contains(q, "$1") {
			args = append(args, schema)
		}
		rows, err := pool.Query(ctx, q, args...)
		if err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		lines, err := pgx.CollectRows(rows, pgx.RowTo[string])
		if err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		b.WriteString(strings.Join(lines, "\n") + "\n--\n")
	}
	return b.String()
}

// TestMigrate shows that migrations are idempotent, that a schema at an
// old version upgrades with its data kept, that stores opening at once
// apply each migration once, and that a schema newer than the adapter is
// refused.
func TestMigrate(t *testing.T) {
	ctx := context.Background()
	pool := PoolForTest(t, pgx.QueryExecModeExec)
	schema := SchemaForTest(t)
	DropSchemas(t, pool, schema)

	// A schema at version 1: records, no audit trail yet.
	s := &Store{pool: pool, schema: schema, medical: schema + "_medical"}
	s.q = newQueries(s.replacer())
	s.auditLock = lockKey("dossierwacht audit " + schema)
	if err := s.migrate(ctx, migrations(t)[:1]); err != nil {
		t.Fatalf("migrate to version 1: %v", err)
	}
	// Version 1 has no audit trail to audit a write in: the rows go in
	// directly.
	if _, err := pool.Exec(ctx, s.q.createSubject, "s-1", "", nil, ts(t0)); err != nil {
		t.Fatal(err)
	}
	if _, err := pool.Exec(ctx, s.q.createCase, "c-1", "s-1", "", "", "", "", "", nil, nil, ts(t0), nil); err != nil {
		t.Fatal(err)
	}
	if _, err := s.AppendEvents(ctx, privacy.Event{Time: t0, Principal: "p-1"}); err == nil {
		t.Fatal("version 1 has an audit trail")
	}
	v1 := catalog(t, pool, schema)
	if err := s.migrate(ctx, migrations(t)[:1]); err != nil {
		t.Fatalf("migrate to version 1 again: %v", err)
	}
	if again := catalog(t, pool, schema); again != v1 {
		t.Errorf("a second run changed the schema:\n%s\nwant\n%s", again, v1)
	}

	// Stores opening at once bring it to the current version, data kept.
	var wg sync.WaitGroup
	errs := make([]error, 4)
	for i := range errs {
		wg.Go(func() { _, errs[i] = New(ctx, pool, &Options{Schema: schema}) })
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			t.Fatalf("New(version 1 schema), concurrently: %v", err)
		}
	}
	s, err := New(ctx, pool, &Options{Schema: schema})
	if err != nil {
		t.Fatal(err)
	}
	if c, err := s.Case(ctx, "c-1"); err != nil || c.Subject != "s-1" {
		t.Errorf("after upgrade: Case(c-1) = %+v, %v", c, err)
	}
	if _, err := s.AppendEvents(ctx, privacy.Event{Time: t0, Principal: "p-1"}); err != nil {
		t.Errorf("after upgrade: AppendEvents: %v", err)
	}
	current := catalog(t, pool, schema)
	if n := strings.Count(current, "audit_events_pos"); n != 1 {
		t.Errorf("after upgrade the audit index appears %d times:\n%s", n, current)
	}
	if err := s.Migrate(ctx); err != nil {
		t.Fatalf("Migrate again: %v", err)
	}
	if again := catalog(t, pool, schema); again != current {
		t.Errorf("a second run changed the schema:\n%s\nwant\n%s", again, current)
	}

	// A schema from a newer adapter.
	if _, err := pool.Exec(ctx, s.q.insertMigration, len(migrations(t))+1, "future"); err != nil {
		t.Fatal(err)
	}
	if _, err := New(ctx, pool, &Options{Schema: schema}); !errors.Is(err, privacy.ErrConflict) {
		t.Errorf("New(newer schema) = %v, want ErrConflict", err)
	}
}

// TestIndexes checks with EXPLAIN that an index serves each hot query,
// order included. On tables this small the planner rightly prefers a
// sequential or bitmap scan and a sort of a few rows, so those are turned
// off for the transaction: a plan that still scans the table or sorts
// means no index can serve the query.
func TestIndexes(t *testing.T) {
	ctx := context.Background()
	s := OpenForTest(t, nil)
	// Many subjects, so that one subject's rows are few.
	var rs []privacy.Record
	for sub := range 20 {
		sid := privacy.SubjectID(fmt.Sprintf("s-%d", sub))
		if err := s.CreateSubject(ctx, privacy.Subject{ID: sid, Created: t0}, audit); err != nil {
			t.Fatal(err)
		}
		for c := range 3 {
			cid := privacy.CaseID(fmt.Sprintf("c-%d-%d", sub, c))
			if err := s.CreateCase(ctx, privacy.Case{ID: cid, Subject: sid, Opened: t0}, audit); err != nil {
				t.Fatal(err)
			}
			for i := range 15 {
				rs = append(rs, privacy.Record{ID: privacy.RecordID(fmt.Sprintf("r-%d-%d-%d", sub, c, i)), Case: cid,
					Created: t0.Add(time.Duration(i) * time.Minute), Fields: map[privacy.Field]string{privacy.FieldText: "x"}})
			}
		}
	}
	if err := s.AddRecords(ctx, rs, audit); err != nil {
		t.Fatal(err)
	}
	if err := s.AddMedicalRecords(ctx, rs, audit); err != nil {
		t.Fatal(err)
	}
	var es []privacy.Event
	for i := range 2000 {
		es = append(es, privacy.Event{Time: t0, Principal: "p-1", Subject: privacy.SubjectID(fmt.Sprintf("s-%d", i%100))})
	}
	if _, err := s.AppendEvents(ctx, es...); err != nil {
		t.Fatal(err)
	}
	for _, table := range []string{pgx.Identifier{s.schema, "records"}.Sanitize(), pgx.Identifier{s.medical, "records"}.Sanitize(),
		pgx.Identifier{s.schema, "cases"}.Sanitize(), pgx.Identifier{s.schema, "audit_events"}.Sanitize()} {
		if _, err := s.pool.Exec(ctx, "ANALYZE "+table); err != nil {
			t.Fatal(err)
		}
	}
	last := ts(t0)
	for _, tc := range []struct {
		name, query, want string
		args              []any
	}{
		{"SubjectCases", s.q.subjectCases, "cases_subject", []any{"s-1"}},
		{"CaseRecords", s.q.ordinary.first, "records_case", []any{"c-1-1", 10}},
		{"CaseRecordsNextPage", s.q.ordinary.after, "records_case", []any{"c-1-1", last, "r-1", 10}},
		{"CaseMedicalRecords", s.q.medical.first, "records_case", []any{"c-1-1", 10}},
		{"CaseMedicalRecordsNextPage", s.q.medical.after, "records_case", []any{"c-1-1", last, "r-1", 10}},
		// Issue 14 §2: a case's records by subject and case, on the index
		// of migration 0063.
		{"CaseRecordsBySubject", s.q.ordinary.subjectFirst, "records_subject_case", []any{"s-1", "c-1-1", 10}},
		{"CaseRecordsBySubjectNextPage", s.q.ordinary.subjectAfter, "records_subject_case", []any{"s-1", "c-1-1", last, "r-1", 10}},
		{"CaseMedicalRecordsBySubject", s.q.medical.subjectFirst, "records_subject_case", []any{"s-1", "c-1-1", 10}},
		{"CaseMedicalRecordsBySubjectNextPage", s.q.medical.subjectAfter, "records_subject_case", []any{"s-1", "c-1-1", last, "r-1", 10}},
		{"RecordByID", s.q.ordinary.get, "records_pkey", []any{"r-1-1-1"}},
		{"DeleteSubjectMedical", s.q.deleteSubject[0], "records_case", []any{"s-1"}},
		{"DeleteSubjectRecords", s.q.deleteSubject[1], "cases_subject", []any{"s-1"}},
		{"DeleteCaseRecords", s.q.deleteCase[1], "records_case", []any{"c-1-1"}},
		{"EventsInOrder", s.q.events, "audit_events_pos", []any{5, 10}},
		{"LastEvent", s.replacer().Replace(sqlcore.SQLLastEvent), "audit_events_pkey", []any{"s-1"}},
		{"EventsBySubject", s.q.subjectEvents, "audit_events_pkey", []any{"s-1", 1, 10}},
		{"ChainEvents", s.q.chainEvents, "audit_events_pkey", []any{"s-1", 1, 10}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			text := explain(t, s, noScans, tc.query, tc.args...)
			if !strings.Contains(text, "Index") || !strings.Contains(text, tc.want) || strings.Contains(text, "Sort") ||
				strings.Contains(text, "Seq Scan") {
				t.Errorf("plan of %s:\n%s\nwant an index scan on %s and no sort", tc.name, text, tc.want)
			}
		})
	}
}

// TestAuditAppendOnly shows that the database itself refuses to change,
// delete or truncate audit events (rule G7), and that the store reports it
// as privacy.ErrForbidden citing G7.
func TestAuditAppendOnly(t *testing.T) {
	ctx := context.Background()
	s := OpenForTest(t, nil)
	if _, err := s.AppendEvents(ctx, privacy.Event{Time: t0, Principal: "p-1"}); err != nil {
		t.Fatal(err)
	}
	table := pgx.Identifier{s.schema, "audit_events"}.Sanitize()
	for _, tc := range []struct{ name, stmt string }{
		{"G7_no_update", `UPDATE ` + table + ` SET principal = 'someone-else'`},
		{"G7_no_delete", `DELETE FROM ` + table},
		{"G7_no_truncate", `TRUNCATE ` + table},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := s.pool.Exec(ctx, tc.stmt)
			err = fail("test", err, nil)
			if !errors.Is(err, privacy.ErrForbidden) || privacy.RuleOf(err) != privacy.G7 {
				t.Errorf("%s = %v, want ErrForbidden citing G7", tc.stmt, err)
			}
		})
	}
	var n int
	if err := s.pool.QueryRow(ctx, `SELECT count(*) FROM `+table+` WHERE principal = 'p-1'`).Scan(&n); err != nil || n != 1 {
		t.Errorf("the event changed: %d, %v", n, err)
	}
}

// TestErrorDetailDropped shows that a server error kept in a
// *privacy.Error loses its detail, which can quote row values.
func TestErrorDetailDropped(t *testing.T) {
	ctx := context.Background()
	s := OpenForTest(t, nil)
	if err := s.CreateSubject(ctx, privacy.Subject{ID: "s-secret-id", Created: t0}, audit); err != nil {
		t.Fatal(err)
	}
	_, err := s.pool.Exec(ctx, s.q.createSubject, "s-secret-id", "", nil, nil)
	err = fail("test", err, nil)
	if !errors.Is(err, privacy.ErrExists) {
		t.Fatalf("duplicate insert = %v, want ErrExists", err)
	}
	if strings.Contains(fmt.Sprintf("%+v", err), "secret") {
		t.Errorf("the error quotes a row value: %v", err)
	}
}

// noScans are the settings under which a plan that still scans a table or
// sorts shows that no index serves its query.
var noScans = []string{"SET LOCAL enable_seqscan = off", "SET LOCAL enable_bitmapscan = off", "SET LOCAL enable_sort = off"}

// explain returns the plan of query with args, in a transaction that first
// runs setup and is rolled back (EXPLAIN of a DELETE changes nothing, but
// be sure).
func explain(t *testing.T, s *Store, setup []string, query string, args ...any) string {
	t.Helper()
	ctx := context.Background()
	var plan []string
	rollBack := errors.New("roll back")
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		for _, q := range setup {
			if _, err := tx.Exec(ctx, q); err != nil {
				return err
			}
		}
		rows, err := tx.Query(ctx, "EXPLAIN "+query, args...)
		if err != nil {
			return err
		}
		if plan, err = pgx.CollectRows(rows, pgx.RowTo[string]); err != nil {
			return err
		}
		return rollBack
	})
	if !errors.Is(err, rollBack) {
		t.Fatal(err)
	}
	return strings.Join(plan, "\n")
}
