package pgstore

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/dossierwacht/dossierwacht/privacy"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// openWithTimeouts opens a store with opts in a fresh schema, migrated
// apart first and dropped by another pool when the test ends (the store's
// own pool has the short timeouts under test, which would bind the
// migrations too).
func openWithTimeouts(t *testing.T, opts Options) *Store {
	t.Helper()
	dsn := DSNForTest(t)
	admin := PoolForTest(t, pgx.QueryExecModeExec)
	opts.Schema = SchemaForTest(t)
	DropSchemas(t, admin, opts.Schema)
	if _, err := New(context.Background(), admin, &Options{Schema: opts.Schema}); err != nil {
		t.Fatalf("migrate: %v", err)
	}
	opts.NoMigrate = true
	s, err := Open(context.Background(), dsn, &opts)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(s.Close)
	return s
}

// holdLock locks the store's subjects table from another connection until
// the test ends, as a long migration or a stuck transaction would.
func holdLock(t *testing.T, s *Store) {
	t.Helper()
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, DSNForTest(t))
	if err != nil {
		t.Fatal(err)
	}
	tx, err := conn.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		tx.Rollback(ctx)
		conn.Close(ctx)
	})
	if _, err := tx.Exec(ctx, fmt.Sprintf("LOCK TABLE %s.subjects IN ACCESS EXCLUSIVE MODE", pgx.Identifier{s.schema}.Sanitize())); err != nil {
		t.Fatal(err)
	}
}

// TestTimeouts: Options.StatementTimeout and LockTimeout are set on every
// connection of the pool, and a statement stuck behind a lock is cut off
// by the server with privacy.ErrUnavailable instead of waiting for ever.
func TestTimeouts(t *testing.T) {
	ctx := context.Background()
	t.Run("set_on_every_connection", func(t *testing.T) {
		s := openWithTimeouts(t, Options{StatementTimeout: 1500 * time.Millisecond, LockTimeout: 250*time.Millisecond + 1})
		var conns []interface{ Release() }
		defer func() {
			for _, c := range conns {
				c.Release()
			}
		}()
		for range 3 {
			c, err := s.pool.Acquire(ctx)
			if err != nil {
				t.Fatal(err)
			}
			conns = append(conns, c)
			var st, lt string
			if err := c.QueryRow(ctx, "SELECT current_setting('statement_timeout'), current_setting('lock_timeout')").Scan(&st, &lt); err != nil {
				t.Fatal(err)
			}
			if st != "1500ms" || lt != "251ms" {
				t.Errorf("connection %d: statement_timeout %s, lock_timeout %s; want 1500ms, 251ms", len(conns), st, lt)
			}
		}
	})
	for _, tt := range []struct {
		name string
		opts Options
		code string // the server's SQLSTATE
	}{
		{"lock_timeout_cuts_a_lock_wait", Options{LockTimeout: 200 * time.Millisecond}, "55P03"},
		{"statement_timeout_cuts_a_lock_wait", Options{StatementTimeout: 200 * time.Millisecond}, "57014"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			s := openWithTimeouts(t, tt.opts)
			holdLock(t, s)
			ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
			defer cancel()
			start := time.Now()
			_, err := s.Subject(ctx, "employee-anna")
			if took := time.Since(start); took > 10*time.Second {
				t.Errorf("the read waited %v", took)
			}
			if !errors.Is(err, privacy.ErrUnavailable) {
				t.Fatalf("read behind a lock = %v, want ErrUnavailable", err)
			}
			var pg *pgconn.PgError
			if !errors.As(err, &pg) || pg.Code != tt.code {
				t.Errorf("read behind a lock = %v, want SQLSTATE %s", err, tt.code)
			}
			if ctx.Err() != nil {
				t.Error("cut off by the test's context, not by the server")
			}
		})
	}
	t.Run("bad_options", func(t *testing.T) {
		dsn := DSNForTest(t)
		if _, err := Open(ctx, dsn, &Options{StatementTimeout: -time.Second}); !errors.Is(err, privacy.ErrInvalid) {
			t.Errorf("Open with a negative timeout = %v, want ErrInvalid", err)
		}
		pool := PoolForTest(t, pgx.QueryExecModeExec)
		if _, err := New(ctx, pool, &Options{Schema: SchemaForTest(t), LockTimeout: time.Second}); !errors.Is(err, privacy.ErrInvalid) {
			t.Errorf("New with a timeout = %v, want ErrInvalid", err)
		}
	})
	t.Run("ping", func(t *testing.T) {
		s := openWithTimeouts(t, Options{})
		if err := s.Ping(ctx); err != nil {
			t.Fatalf("Ping: %v", err)
		}
		s.Close()
		if err := s.Ping(ctx); !errors.Is(err, privacy.ErrUnavailable) {
			t.Errorf("Ping of a closed store = %v, want ErrUnavailable", err)
		}
	})
}
