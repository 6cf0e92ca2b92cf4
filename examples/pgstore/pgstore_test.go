package pgstore_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/dossierwacht/dossierwacht/examples/internal/adaptertest"
	"github.com/dossierwacht/dossierwacht/examples/pgstore"
	"github.com/dossierwacht/dossierwacht/privacy"
	"github.com/dossierwacht/dossierwacht/privacy/privacytest"
	"github.com/jackc/pgx/v5"
)

var _ privacytest.FaultInjector = (*pgstore.Store)(nil)

// audit is the audit event of a write the tests make on the store
// directly: privacy.Store takes none without (rules O1, G7).
var audit = []privacy.Event{{Time: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC), Principal: "p-1", Action: privacy.EventCreate}}

// TestConformance runs the kit on a store opened with Open (statements in
// pgx.QueryExecModeCacheDescribe, as behind PgBouncer), and on stores made
// with New on pools in the simple protocol, with text parameters
// (QueryExecModeExec) and with cached prepared statements.
func TestConformance(t *testing.T) {
	t.Run("open", func(t *testing.T) {
		privacytest.Run(t, func(t *testing.T) privacy.Store { return pgstore.OpenForTest(t, nil) })
	})
	for _, m := range []struct {
		name string
		mode pgx.QueryExecMode
	}{{"simple_protocol", pgx.QueryExecModeSimpleProtocol}, {"exec", pgx.QueryExecModeExec},
		{"cache_statement", pgx.QueryExecModeCacheStatement}} {
		t.Run(m.name, func(t *testing.T) {
			pool := pgstore.PoolForTest(t, m.mode)
			privacytest.Run(t, func(t *testing.T) privacy.Store { return pgstore.NewForTest(t, pool, nil) })
		})
	}
}

func TestAdapter(t *testing.T) {
	adaptertest.Run(t, func(t *testing.T) adaptertest.Store { return pgstore.OpenForTest(t, nil) })
}

func TestOpenErrors(t *testing.T) {
	ctx := context.Background()
	dsn := pgstore.DSNForTest(t)
	if _, err := pgstore.Open(ctx, "postgres://user:secret@[::1", nil); !errors.Is(err, privacy.ErrInvalid) {
		t.Errorf("Open(malformed DSN) = %v, want ErrInvalid", err)
	} else if e := err.Error(); contains(e, "secret") {
		t.Errorf("Open(malformed DSN) leaks the password: %s", e)
	}
	if _, err := pgstore.Open(ctx, "postgres://postgres:secret@127.0.0.1:1/test?sslmode=disable&connect_timeout=2", nil); !errors.Is(err, privacy.ErrUnavailable) {
		t.Errorf("Open(no server) = %v, want ErrUnavailable", err)
	} else if contains(err.Error(), "secret") {
		t.Errorf("Open(no server) leaks the password: %v", err)
	}
	for _, schema := range []string{"Upper", "pg_catalog", "1abc", "a-b", `x"; DROP SCHEMA public; --`, "abcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdef"} {
		if _, err := pgstore.Open(ctx, dsn, &pgstore.Options{Schema: schema}); !errors.Is(err, privacy.ErrInvalid) {
			t.Errorf("Open(schema %q) = %v, want ErrInvalid", schema, err)
		}
	}
	if _, err := pgstore.New(ctx, nil, nil); !errors.Is(err, privacy.ErrInvalid) {
		t.Errorf("New(nil pool) = %v, want ErrInvalid", err)
	}
	// NoMigrate on an empty schema: the schema is behind.
	pool := pgstore.PoolForTest(t, pgx.QueryExecModeExec)
	if _, err := pgstore.New(ctx, pool, &pgstore.Options{Schema: pgstore.SchemaForTest(t), NoMigrate: true}); !errors.Is(err, privacy.ErrConflict) {
		t.Errorf("New(NoMigrate, empty schema) = %v, want ErrConflict", err)
	}
	// NoMigrate on a current schema opens.
	s := pgstore.NewForTest(t, pool, nil)
	schema, medical := s.Schemas()
	if medical != schema+"_medical" {
		t.Errorf("Schemas() = %s, %s", schema, medical)
	}
	if _, err := pgstore.New(ctx, pool, &pgstore.Options{Schema: schema, NoMigrate: true}); err != nil {
		t.Errorf("New(NoMigrate, current schema): %v", err)
	}
}

func contains(s, sub string) bool {
	for i := 0; i+len(sub) <= len(s); i++ {
		if s[i:i+len(sub)] == sub {
			return true
		}
	}
	return false
}

// TestReplica shows which reads a replica pool serves: the listings, with
// a context marked by WithReplica; never a single-object read, which the
// library makes before it decides.
func TestReplica(t *testing.T) {
	ctx := context.Background()
	primary := pgstore.PoolForTest(t, pgx.QueryExecModeExec)
	replica := pgstore.PoolForTest(t, pgx.QueryExecModeExec) // the same server stands in for a replica
	schema := pgstore.SchemaForTest(t)
	s := pgstore.NewForTest(t, primary, &pgstore.Options{Schema: schema, Replica: replica})
	t0 := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	if err := s.CreateSubject(ctx, privacy.Subject{ID: "s-1", Created: t0}, audit); err != nil {
		t.Fatal(err)
	}
	if err := s.CreateCase(ctx, privacy.Case{ID: "c-1", Subject: "s-1", Opened: t0}, audit); err != nil {
		t.Fatal(err)
	}
	lag := pgstore.WithReplica(ctx)
	for _, tc := range []struct {
		name    string
		ctx     context.Context
		read    func(context.Context) error
		replica bool
	}{
		{"SubjectCases_marked", lag, func(ctx context.Context) error { _, err := s.SubjectCases(ctx, "s-1"); return err }, true},
		{"CaseRecords_marked", lag, func(ctx context.Context) error { return drain(s.CaseRecords(ctx, "c-1")) }, true},
		{"CaseMedicalRecords_marked", lag, func(ctx context.Context) error { return drain(s.CaseMedicalRecords(ctx, "c-1")) }, true},
		{"Events_marked", lag, func(ctx context.Context) error { return drainEvents(s.Events(ctx, 1)) }, true},
		{"SubjectEvents_marked", lag, func(ctx context.Context) error { return drainEvents(s.SubjectEvents(ctx, "s-1", 1)) }, true},
		{"CaseRecords_unmarked", ctx, func(ctx context.Context) error { return drain(s.CaseRecords(ctx, "c-1")) }, false},
		{"Case_marked_reads_primary", lag, func(ctx context.Context) error { _, err := s.Case(ctx, "c-1"); return err }, false},
		{"Subject_marked_reads_primary", lag, func(ctx context.Context) error { _, err := s.Subject(ctx, "s-1"); return err }, false},
		{"Record_marked_reads_primary", lag, func(ctx context.Context) error {
			_, err := s.Record(ctx, "r-1")
			if errors.Is(err, privacy.ErrNotFound) {
				err = nil
			}
			return err
		}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := replica.Stat().AcquireCount()
			if err := tc.read(tc.ctx); err != nil {
				t.Fatalf("read: %v", err)
			}
			if used := replica.Stat().AcquireCount() > before; used != tc.replica {
				t.Errorf("read the replica: %t, want %t", used, tc.replica)
			}
		})
	}
}

func drain(seq func(func(privacy.Record, error) bool)) error {
	for _, err := range seq {
		if err != nil {
			return err
		}
	}
	return nil
}

func drainEvents(seq func(func(privacy.Event, error) bool)) error {
	for _, err := range seq {
		if err != nil {
			return err
		}
	}
	return nil
}

func benchStore(b *testing.B) *pgstore.Store {
	b.Helper()
	s := pgstore.OpenForTest(b, nil)
	ctx := context.Background()
	t0 := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	if err := s.CreateSubject(ctx, privacy.Subject{ID: "s-1", Created: t0}, audit); err != nil {
		b.Fatal(err)
	}
	if err := s.CreateCase(ctx, privacy.Case{ID: "c-1", Subject: "s-1", Opened: t0}, audit); err != nil {
		b.Fatal(err)
	}
	return s
}

// BenchmarkAddRecords adds batches of 100 records to one case.
func BenchmarkAddRecords(b *testing.B) {
	const batch = 100
	s := benchStore(b)
	ctx := context.Background()
	t0 := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	rs := make([]privacy.Record, batch)
	evs := make([]privacy.Event, batch) // one audit event per record, as privacy.Dossiers writes them
	b.ReportAllocs()
	n := 0
	for b.Loop() {
		for i := range rs {
			n++
			rs[i] = privacy.Record{ID: privacy.RecordID(fmt.Sprintf("r-%d", n)), Case: "c-1", Subject: "s-1",
				Category: privacy.CategoryNotes, Author: "cm-1", Source: privacy.Source{Kind: privacy.PartyService},
				Created: t0.Add(time.Duration(n) * time.Second), Fields: map[privacy.Field]string{privacy.FieldText: "a note of a few words"}}
			evs[i] = privacy.Event{Time: rs[i].Created, Principal: "cm-1", Role: privacy.RoleCaseManager, Subject: "s-1", Case: "c-1",
				Category: privacy.CategoryNotes, Object: string(rs[i].ID), Action: privacy.EventCreate, Outcome: privacy.OutcomeAllowed,
				Rule: privacy.R4}
		}
		if err := s.AddRecords(ctx, rs, evs); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "records/s")
}

// BenchmarkAuditAppendBatch appends batches of 100 hash-chained events.
func BenchmarkAuditAppendBatch(b *testing.B) {
	const batch = 100
	s := pgstore.OpenForTest(b, nil)
	ctx := context.Background()
	es := make([]privacy.Event, batch)
	for i := range es {
		es[i] = adaptertest.Event(i, "s-1")
	}
	b.ReportAllocs()
	n := 0
	for b.Loop() {
		if _, err := s.AppendEvents(ctx, es...); err != nil {
			b.Fatal(err)
		}
		n += batch
	}
	b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "events/s")
}
