package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"os"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/dossierwacht/dossierwacht/examples/pgstore"
	"github.com/jackc/pgx/v5"
)

// The PostgreSQL tests run against the server named by
// DOSSIERWACHT_POSTGRES_DSN, as the adapter's own tests do: without it
// they skip, saying how to run them; with DOSSIERWACHT_REQUIRE_POSTGRES=1
// (as in CI) a missing DSN or an unreachable server fails them instead.
const (
	envDSN     = "DOSSIERWACHT_POSTGRES_DSN"
	envRequire = "DOSSIERWACHT_REQUIRE_POSTGRES"
	howToRun   = "run them with " + envDSN + "='postgres://postgres@127.0.0.1:5432/test?sslmode=disable' go test ./cmd/dossierwacht"
)

var reach struct {
	once sync.Once
	err  error
}

// dsnForTest returns the test server's DSN, or skips (fails, when
// required) without one.
func dsnForTest(t *testing.T) string {
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

// execSQL runs statements on the test server, as its owner.
func execSQL(t *testing.T, dsn string, stmts ...string) {
	t.Helper()
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	for _, s := range stmts {
		if _, err := conn.Exec(ctx, s); err != nil {
			t.Fatal(err)
		}
	}
}

// pgStore returns the flags of a PostgreSQL store in a schema of its own,
// filled by fill and dropped when the test ends.
func pgStore(t *testing.T) (dsn, schema string) {
	t.Helper()
	dsn = dsnForTest(t)
	b := make([]byte, 6)
	rand.Read(b)
	schema = "dwcli_" + hex.EncodeToString(b)
	t.Cleanup(func() {
		execSQL(t, dsn, `DROP SCHEMA IF EXISTS `+pgx.Identifier{schema}.Sanitize()+` CASCADE`,
			`DROP SCHEMA IF EXISTS `+pgx.Identifier{schema + "_medical"}.Sanitize()+` CASCADE`)
	})
	store, err := pgstore.Open(context.Background(), dsn, &pgstore.Options{Schema: schema})
	if err != nil {
		t.Fatal(err)
	}
	fill(t, store)
	store.Close()
	return dsn, schema
}

// TestPostgres: verify and the sweep's dry run against a PostgreSQL
// store the test made; the command never creates or migrates a schema.
func TestPostgres(t *testing.T) {
	t.Run("G7_verify_catches_a_changed_event", func(t *testing.T) {
		dsn, schema := pgStore(t)
		verifyStore(t, []string{"-postgres", dsn, "-schema", schema}, func(t *testing.T, seq uint64) {
			// As the tables' owner, past the append-only triggers.
			table := pgx.Identifier{schema, "audit_events"}.Sanitize()
			execSQL(t, dsn, `ALTER TABLE `+table+` DISABLE TRIGGER USER`,
				`UPDATE `+table+` SET outcome = CASE outcome WHEN 'allowed' THEN 'denied' ELSE 'allowed' END WHERE seq = `+
					strconv.FormatUint(seq, 10),
				`ALTER TABLE `+table+` ENABLE TRIGGER USER`)
		})
	})
	t.Run("R9_O12_sweep_dry_run_deletes_nothing", func(t *testing.T) {
		dsn, schema := pgStore(t)
		sweepStore(t, []string{"-postgres", dsn, "-schema", schema})
	})
	t.Run("no_such_schema", func(t *testing.T) {
		dsn := dsnForTest(t)
		b := make([]byte, 6)
		rand.Read(b)
		schema := "dwcli_" + hex.EncodeToString(b)
		t.Cleanup(func() {
			execSQL(t, dsn, `DROP SCHEMA IF EXISTS `+pgx.Identifier{schema}.Sanitize()+` CASCADE`,
				`DROP SCHEMA IF EXISTS `+pgx.Identifier{schema + "_medical"}.Sanitize()+` CASCADE`)
		})
		runCLI(t, "verify", "-postgres", dsn, "-schema", schema).want(t, exitUsage, nil, []string{"cannot open the PostgreSQL store"})
		ctx := context.Background()
		conn, err := pgx.Connect(ctx, dsn)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close(ctx)
		var n int
		if err := conn.QueryRow(ctx, `SELECT count(*) FROM information_schema.schemata WHERE schema_name = $1`, schema).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n != 0 {
			t.Errorf("verify created the schema %s", schema)
		}
	})
}
