package pgstore

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"flag"
	"fmt"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// The PostgreSQL tests run against the server named by
// DOSSIERWACHT_POSTGRES_DSN. Without it they skip, saying how to run them;
// with DOSSIERWACHT_REQUIRE_POSTGRES=1 (as in CI) a missing DSN or an
// unreachable server fails them instead.
const (
	envDSN     = "DOSSIERWACHT_POSTGRES_DSN"
	envRequire = "DOSSIERWACHT_REQUIRE_POSTGRES"
	howToRun   = "run them with " + envDSN + "='postgres://postgres@127.0.0.1:5432/test?sslmode=disable' go test -race -timeout 30m ./..."
)

// TestMain says, once per go test command and without -v too, that the
// PostgreSQL tests skip (see noticeSkip).
func TestMain(m *testing.M) {
	flag.Parse()
	if os.Getenv(envDSN) == "" && os.Getenv(envRequire) != "1" {
		noticeSkip()
	}
	os.Exit(m.Run())
}

var reach struct {
	once sync.Once
	err  error
}

// DSNForTest returns the test server's DSN, or skips (fails, when required)
// without one.
func DSNForTest(t testing.TB) string {
	t.Helper()
	dsn := os.Getenv(envDSN)
	required := os.Getenv(envRequire) == "1"
	if dsn == "" {
		if required {
			t.Fatalf("%s=1 but %s is not set; %s", envRequire, envDSN, howToRun)
		}
		t.Skipf("SKIPPED: %s is not set; %s", envDSN, howToRun)
	}
	reach.once.Do(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		conn, err := pgx.Connect(ctx, dsn)
		if err == nil {
			err = conn.Ping(ctx)
			conn.Close(ctx)
		}
		reach.err = err
	})
	if reach.err != nil {
		if required {
			t.Fatalf("the PostgreSQL server at %s is unreachable: %v", envDSN, reach.err)
		}
		t.Skipf("SKIPPED: the PostgreSQL server at %s is unreachable: %v", envDSN, reach.err)
	}
	return dsn
}

// SchemaForTest returns a fresh schema name for one test; the test drops its
// schemas when it ends, so runs never see each other's data.
func SchemaForTest(t testing.TB) string {
	t.Helper()
	b := make([]byte, 6)
	rand.Read(b)
	return "dwtest_" + hex.EncodeToString(b)
}

// PoolForTest returns a pool on the test server in the given mode, closed
// when the test ends.
func PoolForTest(t testing.TB, mode pgx.QueryExecMode) *pgxpool.Pool {
	t.Helper()
	cfg, err := pgxpool.ParseConfig(DSNForTest(t))
	if err != nil {
		t.Fatalf("ParseConfig: %v", err)
	}
	cfg.ConnConfig.DefaultQueryExecMode = mode
	pool, err := pgxpool.NewWithConfig(context.Background(), cfg)
	if err != nil {
		t.Fatalf("pgxpool: %v", err)
	}
	t.Cleanup(pool.Close)
	return pool
}

// DropSchemas drops the store's schemas when the test ends.
func DropSchemas(t testing.TB, pool *pgxpool.Pool, schema string) {
	t.Helper()
	t.Cleanup(func() {
		ctx := context.Background()
		_, err := pool.Exec(ctx, fmt.Sprintf("DROP SCHEMA IF EXISTS %s, %s CASCADE",
			pgx.Identifier{schema}.Sanitize(), pgx.Identifier{schema + "_medical"}.Sanitize()))
		if err != nil {
			t.Errorf("dropping the test's schemas: %v", err)
		}
	})
}

// OpenForTest opens a store with [Open] in a fresh schema; it is closed and
// its schemas dropped when the test ends.
func OpenForTest(t testing.TB, opts *Options) *Store {
	t.Helper()
	dsn := DSNForTest(t)
	var o Options
	if opts != nil {
		o = *opts
	}
	if o.Schema == "" {
		o.Schema = SchemaForTest(t)
	}
	s, err := Open(context.Background(), dsn, &o)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(s.Close)
	DropSchemas(t, s.pool, o.Schema)
	if !o.NoMigrate {
		FutureClockForTest(t, s)
	}
	return s
}

// FutureClockForTest moves s's database clock 1,000 years on for the
// audit trail's pruning floor only (migration 0069, rule N9), as its
// owner: the tests sweep at dates to come, past the events' 5 years by
// their own clocks, not by the database's.
func FutureClockForTest(t testing.TB, s *Store) {
	t.Helper()
	if _, err := s.pool.Exec(context.Background(), `UPDATE `+pgx.Identifier{s.schema}.Sanitize()+
		`.audit_prune_floor SET clock_offset = interval '1000 years'`); err != nil {
		t.Fatalf("moving the pruning floor's clock: %v", err)
	}
}

// NewForTest makes a store with [New] on pool in a fresh schema, dropped when
// the test ends.
func NewForTest(t testing.TB, pool *pgxpool.Pool, opts *Options) *Store {
	t.Helper()
	var o Options
	if opts != nil {
		o = *opts
	}
	if o.Schema == "" {
		o.Schema = SchemaForTest(t)
	}
	DropSchemas(t, pool, o.Schema)
	s, err := New(context.Background(), pool, &o)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	if !o.NoMigrate {
		FutureClockForTest(t, s)
	}
	return s
}

// SchemaOf returns the schema of s, for tests that add tables beside it.
func SchemaOf(s *Store) string { return s.schema }
