package sqlitestore

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"time"

	"github.com/dossierwacht/dossierwacht/examples/internal/sqladapter"
	"github.com/dossierwacht/dossierwacht/examples/internal/sqlcore"
	"github.com/dossierwacht/dossierwacht/privacy"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// Store keeps subjects, cases, records, the separate medical file and the
// audit trail in one SQLite file. It is safe for concurrent use. The zero
// value is not usable; call [Open].
type Store struct {
	path   string  // absolute
	w      *sql.DB // the one writer connection
	r      *sql.DB // read connections
	faults sqladapter.Faults
	key    []byte // the audit chains' key (G7); nil: unkeyed
}

var _ privacy.Store = (*Store)(nil)

// Options tunes a [Store]. A nil *Options means the defaults.
type Options struct {
	// BusyTimeout is how long a write waits for another process that
	// holds the file's write lock before it fails with
	// privacy.ErrUnavailable. Zero means 5 seconds.
	BusyTimeout time.Duration
	// MaxReaders bounds the connections that serve reads in parallel
	// with the writer. Zero means 4.
	MaxReaders int
	// AuditKey is the key the audit chains' links are computed under
	// (HMAC-SHA256, rule G7). Keep it out of the file (a secret store, an
	// environment variable): whoever holds the file but not the key
	// cannot rewrite, extend or re-chain the trail unnoticed. Nil means
	// unkeyed links (plain SHA-256), which the file's holder can
	// recompute. A store's trail is keyed or not from its first event.
	AuditKey []byte
}

// Open opens the store in the SQLite file at path, creating the file if it
// does not exist, and brings its schema up to date. Close it when done.
//
// A file Open creates is readable and writable by its owner only (mode
// 0600), and so are the WAL and shared-memory files SQLite keeps beside it
// (path-wal, path-shm), which take the file's mode: it holds the medical
// file and the audit trail. A file that exists keeps its mode; one made by
// an earlier version of this package was 0644: chmod 600 it.
func Open(ctx context.Context, path string, opts *Options) (*Store, error) {
	const op = "sqlitestore: open"
	var o Options
	if opts != nil {
		o = *opts
	}
	if o.BusyTimeout <= 0 {
		o.BusyTimeout = 5 * time.Second
	}
	if o.MaxReaders <= 0 {
		o.MaxReaders = 4
	}
	if path == "" {
		return nil, &privacy.Error{Op: op, Kind: privacy.ErrInvalid, Path: "path", Msg: "missing"}
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, &privacy.Error{Op: op, Kind: privacy.ErrInvalid, Path: "path", Err: err}
	}
	migrations, err := sqladapter.Migrations(migrationFiles, "migrations")
	if err != nil {
		return nil, &privacy.Error{Op: op, Kind: privacy.ErrUnavailable, Err: err}
	}
	// Rules O6, R12: no other local user reads the medical file or the
	// audit trail. The driver would create the file with mode 0644; made
	// here first, empty (an empty file is an empty database), it is 0600,
	// and SQLite gives its WAL and shared-memory files the same mode.
	if f, err := os.OpenFile(abs, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600); err == nil {
		if err := f.Close(); err != nil {
			return nil, &privacy.Error{Op: op, Kind: privacy.ErrUnavailable, Err: err}
		}
	} else if !errors.Is(err, fs.ErrExist) {
		return nil, &privacy.Error{Op: op, Kind: privacy.ErrUnavailable, Err: err}
	}

	// One writer: SQLite lets one transaction write at a time, so the
	// adapter queues its writers on one connection instead of letting them
	// meet SQLITE_BUSY. Its transactions begin IMMEDIATE: they take the
	// write lock first, so a transaction never fails to upgrade a read
	// lock when another process writes too (busy_timeout waits for it).
	w, err := sql.Open("sqlite", dsn(abs, o.BusyTimeout, "_txlock=immediate"))
	if err != nil {
		return nil, &privacy.Error{Op: op, Kind: privacy.ErrUnavailable, Err: err}
	}
	w.SetMaxOpenConns(1)
	w.SetMaxIdleConns(1)
	w.SetConnMaxLifetime(0)
	w.SetConnMaxIdleTime(0)
	s := &Store{path: abs, w: w, key: slices.Clone(o.AuditKey)}
	// WAL lets readers go on while the writer writes; it is a property of
	// the file, set once.
	if _, err := w.ExecContext(ctx, "PRAGMA journal_mode = WAL"); err != nil {
		w.Close()
		return nil, s.fail(op, err, privacy.ErrUnavailable)
	}
	if err := s.migrate(ctx, migrations); err != nil {
		w.Close()
		return nil, err
	}
	r, err := sql.Open("sqlite", dsn(abs, o.BusyTimeout, "_query_only=1"))
	if err != nil {
		w.Close()
		return nil, &privacy.Error{Op: op, Kind: privacy.ErrUnavailable, Err: err}
	}
	r.SetMaxOpenConns(o.MaxReaders)
	r.SetMaxIdleConns(o.MaxReaders)
	s.r = r
	return s, nil
}

// dsn is the driver's name for the file: a file: URI, with the settings of
// every connection as parameters.
func dsn(abs string, busy time.Duration, extra string) string {
	u := url.URL{Scheme: "file", Path: filepath.ToSlash(abs)}
	return fmt.Sprintf("%s?_busy_timeout=%d&_foreign_keys=1&_synchronous=FULL&%s", u.String(), busy.Milliseconds(), extra)
}

// Path returns the absolute path of the store's file.
func (s *Store) Path() string { return s.path }

// Close closes the store's connections.
func (s *Store) Close() error {
	return errors.Join(s.r.Close(), s.w.Close())
}

// Ping reports, within ctx, whether the store's file can be reached: the
// front door's health check (dossierwacht.Service.Ping) asks it. A failure
// is privacy.ErrUnavailable.
func (s *Store) Ping(ctx context.Context) error {
	if err := s.r.PingContext(ctx); err != nil {
		return &privacy.Error{Op: "sqlitestore: ping", Kind: privacy.ErrUnavailable, Err: err}
	}
	return nil
}

// FailAfter arms an injected failure (privacytest.FaultInjector): after n
// more row writes, the next fails with privacy.ErrUnavailable inside its
// transaction, which rolls back. FailAfter(-1) disarms it.
func (s *Store) FailAfter(n int) { s.faults.Arm(n) }

// migrate applies the migrations the file lacks, in one transaction. Its
// bookkeeping table, schema_migrations, holds one row per applied version.
func (s *Store) migrate(ctx context.Context, migrations []sqladapter.Migration) error {
	const op = "sqlitestore: migrate"
	return s.write(ctx, op, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
	version INTEGER NOT NULL PRIMARY KEY,
	name    TEXT    NOT NULL,
	applied TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
) STRICT`); err != nil {
			return err
		}
		return inTx(tx, func(tx sqlcore.Conn) error { return sqlcore.Migrate(ctx, tx, op, migration, migrations) })
	})
}

// migration is how the file's migrations run: a migration's statements
// through one call, which runs them all.
var migration = sqlcore.Migration{
	Version: inFile(sqlcore.SQLMigrationsVersion),
	Record:  inFile(sqlcore.SQLRecordMigration),
	Run: func(ctx context.Context, tx sqlcore.Conn, sql string) error {
		_, err := tx.Exec(ctx, sql)
		return err
	},
}

// write runs fn in a write transaction and commits it; any error rolls it
// back whole.
func (s *Store) write(ctx context.Context, op string, fn func(tx *sql.Tx) error) error {
	if err := ctx.Err(); err != nil {
		return s.fail(op, err, nil)
	}
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return s.fail(op, err, nil)
	}
	if err := fn(tx); err != nil {
		_ = tx.Rollback()
		return s.fail(op, err, nil)
	}
	if err := tx.Commit(); err != nil {
		return s.fail(op, err, nil)
	}
	return nil
}

// read runs fn in a read transaction on a reader connection: one snapshot
// of the file (WAL), whatever the writer does meanwhile.
func (s *Store) read(ctx context.Context, fn func(tx *sql.Tx) error) error {
	tx, err := s.r.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	return fn(tx)
}

// fail translates err into the library's error model ([sqlcore.Fail]). A
// *privacy.Error passes unchanged; a constraint names its kind (a foreign
// key: fk, which is privacy.ErrNotFound when nil); everything else is
// privacy.ErrUnavailable. The driver's error is kept as Err; its message
// names tables and constraints, never values.
func (s *Store) fail(op string, err error, fk error) error {
	return sqlcore.Fail(op, err, fk, classify)
}

// classify sorts out SQLite's constraint errors.
func classify(err, fk error) (error, privacy.RuleID, error) {
	var se *sqlite.Error
	if errors.As(err, &se) {
		switch se.Code() {
		case sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY, sqlite3.SQLITE_CONSTRAINT_UNIQUE:
			return privacy.ErrExists, "", err
		case sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY:
			return fk, "", err
		case sqlite3.SQLITE_CONSTRAINT_NOTNULL, sqlite3.SQLITE_CONSTRAINT_CHECK, sqlite3.SQLITE_CONSTRAINT_DATATYPE:
			return privacy.ErrInvalid, "", err
		case sqlite3.SQLITE_CONSTRAINT_TRIGGER:
			// Rule G7: only the audit trail's triggers refuse writes.
			return privacy.ErrForbidden, privacy.G7, err
		}
	}
	return nil, "", err
}

// scanner is a row to scan: *sql.Row or *sql.Rows.
type scanner interface{ Scan(dest ...any) error }

// micros is how a time is stored: microseconds since 1970 UTC, NULL for the
// zero time.
func micros(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return privacy.Timestamp(t).UnixMicro()
}
