package pgstore

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"hash/fnv"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/dossierwacht/dossierwacht/examples/internal/sqladapter"
	"github.com/dossierwacht/dossierwacht/examples/internal/sqlcore"
	"github.com/dossierwacht/dossierwacht/privacy"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgtype"
	"github.com/jackc/pgx/v5/pgxpool"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// DefaultSchema is the schema a [Store] uses when [Options].Schema is empty;
// its medical file is in DefaultSchema+"_medical".
const DefaultSchema = "dossierwacht"

// Store keeps subjects, cases, records, the separate medical file and the
// audit trail in PostgreSQL. It is safe for concurrent use. The zero value
// is not usable; call [Open] or [New].
type Store struct {
	pool    *pgxpool.Pool
	replica *pgxpool.Pool // nil without a replica
	owned   bool          // Close closes pool
	schema  string        // unquoted names, validated
	medical string
	q       queries
	// auditLock is the advisory lock key of this schema's audit trail;
	// each chain is locked under its low 32 bits and the chain's hash.
	auditLock int64
	faults    sqladapter.Faults
	key       []byte // the audit chains' key (G7); nil: unkeyed
	heads     chainHeads
	appends   appendQueue
}

var _ privacy.Store = (*Store)(nil)

// Options tunes a [Store]. A nil *Options means the defaults.
type Options struct {
	// Schema is the PostgreSQL schema of the case file and the audit
	// trail: lower-case letters, digits and underscores, starting with a
	// letter or underscore, at most 55 bytes, not starting with "pg_".
	// The medical file is in Schema+"_medical". Empty means
	// [DefaultSchema].
	Schema string
	// Replica is an optional pool on a read replica. Listing reads made
	// with a context marked by [WithReplica] go to it; every other read,
	// and every write, goes to the primary. The caller closes it.
	Replica *pgxpool.Pool
	// NoMigrate makes Open and New leave the schema alone: they fail with
	// privacy.ErrConflict unless it is at the adapter's version. Use it
	// when the application's role may not change the schema and
	// migrations run apart ([Store.Migrate] under an owner role).
	NoMigrate bool
	// StatementTimeout and LockTimeout are PostgreSQL's statement_timeout
	// and lock_timeout, set as runtime parameters on every connection of
	// the pool Open makes: a statement that runs longer, or waits longer
	// for a lock (the audit trail's included), is cancelled by the server
	// and fails with privacy.ErrUnavailable, so that one stuck statement
	// cannot hold a connection or a lock for ever. They count in whole
	// milliseconds, rounded up; zero leaves the server's setting. They
	// bind Open's migrations too: choose limits the migrations fit in, or
	// migrate apart and open with NoMigrate. New cannot set them on a
	// pool it did not make and refuses them: set them in that pool's
	// ConnConfig.RuntimeParams.
	StatementTimeout time.Duration
	LockTimeout      time.Duration
	// AuditKey is the key the audit chains' links are computed under
	// (HMAC-SHA256, rule G7). Keep it out of the database: whoever can
	// write the database but does not hold the key cannot rewrite, extend
	// or re-chain the trail unnoticed. Nil means unkeyed links.
	AuditKey []byte
}

// runtimeParams sets o's timeouts as runtime parameters in params.
func (o *Options) runtimeParams(op string, params map[string]string) error {
	for _, t := range []struct {
		name string
		d    time.Duration
	}{{"statement_timeout", o.StatementTimeout}, {"lock_timeout", o.LockTimeout}} {
		switch {
		case t.d < 0:
			return &privacy.Error{Op: op, Kind: privacy.ErrInvalid, Path: t.name, Msg: "negative"}
		case t.d > 0:
			params[t.name] = strconv.FormatInt(int64((t.d+time.Millisecond-1)/time.Millisecond), 10)
		}
	}
	return nil
}

// Open connects to the database at dsn (a PostgreSQL URL or key=value
// string, as pgxpool.ParseConfig takes), brings the schema up to date and
// returns the store; Close releases the pool.
//
// Unless dsn sets default_query_exec_mode, statements are sent with
// pgx.QueryExecModeCacheDescribe: one round trip each once a connection has
// asked the server for a statement's parameter types (the first use), no
// named prepared statement, no session state, so that the store works
// unchanged behind PgBouncer in transaction mode and on managed
// PostgreSQL. Knowing the types, pgx sends the parameters in binary: the
// column arrays of a batch (a sweep's proofs and audit events, an
// append's events) cost a fraction of what they cost as text, which is
// how QueryExecModeExec, the default before, sends every parameter.
func Open(ctx context.Context, dsn string, opts *Options) (*Store, error) {
	const op = "pgstore: open"
	cfg, err := pgxpool.ParseConfig(dsn)
	if err != nil {
		// The DSN may hold a password: keep no part of it.
		return nil, &privacy.Error{Op: op, Kind: privacy.ErrInvalid, Path: "dsn", Msg: "malformed connection string"}
	}
	if !strings.Contains(dsn, "default_query_exec_mode") {
		cfg.ConnConfig.DefaultQueryExecMode = pgx.QueryExecModeCacheDescribe
	}
	var o Options
	if opts != nil {
		o = *opts
	}
	if err := o.runtimeParams(op, cfg.ConnConfig.RuntimeParams); err != nil {
		return nil, err
	}
	o.StatementTimeout, o.LockTimeout = 0, 0 // set on the pool's connections
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fail(op, err, nil)
	}
	s, err := New(ctx, pool, &o)
	if err != nil {
		pool.Close()
		return nil, err
	}
	s.owned = true
	return s, nil
}

// New returns a store on a pool the caller made and keeps; Close leaves it
// open. It brings the schema up to date unless [Options].NoMigrate. Behind
// PgBouncer in transaction mode, give the pool's config
// DefaultQueryExecMode pgx.QueryExecModeExec (or add
// default_query_exec_mode=exec to its DSN).
func New(ctx context.Context, pool *pgxpool.Pool, opts *Options) (*Store, error) {
	const op = "pgstore: new"
	if pool == nil {
		return nil, &privacy.Error{Op: op, Kind: privacy.ErrInvalid, Path: "pool", Msg: "nil pool"}
	}
	var o Options
	if opts != nil {
		o = *opts
	}
	if o.Schema == "" {
		o.Schema = DefaultSchema
	}
	if o.StatementTimeout != 0 || o.LockTimeout != 0 {
		return nil, &privacy.Error{Op: op, Kind: privacy.ErrInvalid, Path: "timeouts",
			Msg: "set statement_timeout and lock_timeout in the pool's ConnConfig.RuntimeParams"}
	}
	if !validSchema(o.Schema) {
		return nil, &privacy.Error{Op: op, Kind: privacy.ErrInvalid, Path: "schema",
			Msg: "want 1 to 55 of a-z 0-9 _, not starting with a digit or pg_"}
	}
	s := &Store{pool: pool, replica: o.Replica, schema: o.Schema, medical: o.Schema + "_medical", key: slices.Clone(o.AuditKey)}
	s.q = newQueries(s.replacer())
	s.auditLock = lockKey("dossierwacht audit " + s.schema)
	var err error
	if o.NoMigrate {
		err = s.checkVersion(ctx)
	} else {
		err = s.Migrate(ctx)
	}
	if err != nil {
		return nil, err
	}
	return s, nil
}

// validSchema reports whether name is a schema name the adapter accepts.
// Schema names are the only identifiers put into SQL text; they come from
// the options, never from data, and are quoted as well.
func validSchema(name string) bool {
	if len(name) == 0 || len(name) > 55 || strings.HasPrefix(name, "pg_") || (name[0] >= '0' && name[0] <= '9') {
		return false
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_') {
			return false
		}
	}
	return true
}

// replacer puts the quoted schema names into SQL templates.
func (s *Store) replacer() *strings.Replacer {
	return strings.NewReplacer("{schema}", pgx.Identifier{s.schema}.Sanitize(), "{medical}", pgx.Identifier{s.medical}.Sanitize(),
		"{groupslock32}", s.groupsLock32())
}

// groupsLock32 is the class of the advisory locks, one per employer, that
// order the writers of the group histories (rule N12): AddGroup, and the
// erasures that take a subject out of them (migration 0071).
func (s *Store) groupsLock32() string {
	return strconv.FormatInt(int64(int32(lockKey("dossierwacht groups "+s.schema))), 10)
}

// migrationReplacer is replacer for the migrations, which also name the
// key of the audit trail's advisory lock ({auditlock}): the function that
// appends for the physicians' role (migration 0008) takes the lock the
// adapter takes.
func (s *Store) migrationReplacer() *strings.Replacer {
	return strings.NewReplacer("{schema}", pgx.Identifier{s.schema}.Sanitize(), "{medical}", pgx.Identifier{s.medical}.Sanitize(),
		"{auditlock}", strconv.FormatInt(s.auditLock, 10), "{auditlock32}", strconv.FormatInt(int64(int32(s.auditLock)), 10),
		"{groupslock32}", s.groupsLock32())
}

func lockKey(name string) int64 {
	h := fnv.New64a()
	h.Write([]byte(name))
	return int64(h.Sum64())
}

// Schemas returns the schema of the case file and the audit trail, and the
// schema of the medical file.
func (s *Store) Schemas() (schema, medical string) { return s.schema, s.medical }

// Close releases the pool if [Open] made it; a pool given to [New] stays
// open.
func (s *Store) Close() {
	if s.owned {
		s.pool.Close()
	}
}

// Ping reports, within ctx, whether the server is reachable: the front
// door's health check (dossierwacht.Service.Ping) asks it. A failure is
// privacy.ErrUnavailable.
func (s *Store) Ping(ctx context.Context) error {
	if err := s.pool.Ping(ctx); err != nil {
		return fail("pgstore: ping", err, nil)
	}
	return nil
}

// FailAfter arms an injected failure (privacytest.FaultInjector): after n
// more row writes, the next fails with privacy.ErrUnavailable inside its
// transaction, which rolls back. FailAfter(-1) disarms it.
func (s *Store) FailAfter(n int) { s.faults.Arm(n) }

type replicaKey struct{}

// WithReplica marks ctx: listing reads made with it may be served by the
// replica pool ([Options].Replica), which may lag behind the primary. The
// reads that honour the mark are [Store.SubjectCases], [Store.CaseRecords],
// [Store.CaseMedicalRecords], [Store.Events] and [Store.SubjectEvents].
// Single-object reads (Subject, Case, Record, MedicalRecord) and every read
// inside a write ignore it and always read the primary, because the
// library reads those before it decides (a case's state before a record is
// added, a record before it is rectified). Mark only reads whose result
// decides nothing: a listing page, an export, an audit report. Without a
// replica the mark changes nothing.
func WithReplica(ctx context.Context) context.Context {
	return context.WithValue(ctx, replicaKey{}, true)
}

// lister returns the pool a listing read uses.
func (s *Store) lister(ctx context.Context) *pgxpool.Pool {
	if s.replica != nil {
		if ok, _ := ctx.Value(replicaKey{}).(bool); ok {
			return s.replica
		}
	}
	return s.pool
}

// write runs fn in a transaction on the primary and commits it; any error
// rolls it back whole.
//
// The transaction is READ COMMITTED whatever the server's or the role's
// default_transaction_isolation says: every write that locks a row and
// then reads (a deletion that waited for a subject's lock and then reads
// its holds, rule G3; a disclosure that waited for its grants) counts on
// each statement seeing what committed before it. Under REPEATABLE READ
// the snapshot would be taken before the wait, and a hold committed
// meanwhile would be missed without any error.
func (s *Store) write(ctx context.Context, op string, fn func(tx pgx.Tx) error) error {
	if err := pgx.BeginTxFunc(ctx, s.pool, pgx.TxOptions{IsoLevel: pgx.ReadCommitted}, fn); err != nil {
		return fail(op, err, nil)
	}
	return nil
}

// SQLSTATE codes the adapter tells apart.
const (
	codeUniqueViolation     = "23505"
	codeForeignKeyViolation = "23503"
	codeAppendOnly          = "DWG07" // raised by the audit trail's triggers
	codeChainMoved          = "DWG7S" // append_chained: a chain's head moved on (migration 0061)
	codePruneFloor          = "DWG09" // prune_chain, prune_legacy: an event within the audit retention (migration 0069)
	codeInsufficientPriv    = "42501"
	codeSerialization       = "40001"
	codeDeadlock            = "40P01"
)

// fail translates err into the library's error model. A *privacy.Error
// passes unchanged. A unique violation is privacy.ErrExists; a foreign key
// violation is fk (privacy.ErrNotFound when nil: what a row points to does
// not exist); a missing row is privacy.ErrNotFound; a refused privilege is
// privacy.ErrForbidden (a role without the medical schema reading it, rule
// O6); a lost serialisation race privacy.ErrConflict; data the server
// refuses privacy.ErrInvalid; a lost connection, a timeout and everything
// else privacy.ErrUnavailable. The server's error is kept as Err with its
// SQLSTATE and message but without its detail, which can quote row values.
func fail(op string, err error, fk error) error {
	var pe *privacy.Error
	if errors.As(err, &pe) {
		return pe
	}
	if fk == nil {
		fk = privacy.ErrNotFound
	}
	kind, rule := privacy.ErrUnavailable, privacy.RuleID("")
	var pg *pgconn.PgError
	switch {
	case errors.Is(err, pgx.ErrNoRows):
		kind, err = privacy.ErrNotFound, nil
	case errors.As(err, &pg):
		switch {
		case pg.Code == codeUniqueViolation:
			kind = privacy.ErrExists
		case pg.Code == codeForeignKeyViolation:
			kind = fk
		case pg.Code == codeAppendOnly:
			kind, rule = privacy.ErrForbidden, privacy.G7
		case pg.Code == codeChainMoved:
			kind, rule = privacy.ErrConflict, privacy.G7
		case pg.Code == codePruneFloor:
			kind, rule = privacy.ErrForbidden, privacy.N9
		case pg.Code == codeInsufficientPriv:
			kind = privacy.ErrForbidden
		case pg.Code == codeSerialization, pg.Code == codeDeadlock:
			kind = privacy.ErrConflict
		case strings.HasPrefix(pg.Code, "22"), strings.HasPrefix(pg.Code, "23"):
			kind = privacy.ErrInvalid // data exceptions, other constraints
		}
		err = &pgconn.PgError{Severity: pg.Severity, Code: pg.Code, Message: pg.Message,
			SchemaName: pg.SchemaName, TableName: pg.TableName, ColumnName: pg.ColumnName, ConstraintName: pg.ConstraintName}
	}
	return &privacy.Error{Op: op, Kind: kind, Rule: rule, Err: err}
}

// ts is how a time is stored: timestamptz, NULL for the zero time.
func ts(t time.Time) pgtype.Timestamptz {
	if t.IsZero() {
		return pgtype.Timestamptz{}
	}
	return pgtype.Timestamptz{Time: privacy.Timestamp(t), Valid: true}
}

// timeOf reads what ts stored, in UTC.
func timeOf(v pgtype.Timestamptz) time.Time {
	if !v.Valid {
		return time.Time{}
	}
	return v.Time.UTC()
}

// Migrate brings the schema up to the adapter's version: it applies the
// migrations the database lacks, in one transaction under an advisory lock,
// so that stores opening at once never apply one twice. A second run
// applies nothing. A database whose schema is newer than the adapter fails
// with privacy.ErrConflict. [Open] and [New] call it.
func (s *Store) Migrate(ctx context.Context) error {
	ms, err := sqladapter.Migrations(migrationFiles, "migrations")
	if err != nil {
		return &privacy.Error{Op: "pgstore: migrate", Kind: privacy.ErrUnavailable, Err: err}
	}
	return s.migrate(ctx, ms)
}

func (s *Store) migrate(ctx context.Context, ms []sqladapter.Migration) error {
	const op = "pgstore: migrate"
	// Most opens find the schema current: they need no lock and no right
	// to change the schema.
	v, err := s.version(ctx)
	if err != nil {
		return err
	}
	if v == len(ms) {
		return nil
	}
	if v > len(ms) {
		return sqlcore.NewerSchema(op, v, len(ms))
	}
	r := s.migrationReplacer()
	return s.write(ctx, op, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1)`, lockKey("dossierwacht migrate "+s.schema)); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, r.Replace(`CREATE SCHEMA IF NOT EXISTS {schema};
CREATE TABLE IF NOT EXISTS {schema}.schema_migrations (
	version integer PRIMARY KEY,
	name    text NOT NULL,
	applied timestamptz NOT NULL DEFAULT now()
)`), pgx.QueryExecModeSimpleProtocol); err != nil {
			return err
		}
		// The schema's names filled in; several statements a file, sent
		// with the simple protocol.
		run := func(ctx context.Context, tx sqlcore.Conn, sql string) error {
			_, err := tx.Exec(ctx, r.Replace(sql), pgx.QueryExecModeSimpleProtocol)
			return err
		}
		return sqlcore.Migrate(ctx, txConn{tx}, op, sqlcore.Migration{Version: s.q.version, Record: s.q.insertMigration, Run: run}, ms)
	})
}

// version returns the schema's version on the primary: the number of
// migrations applied, 0 before the first.
func (s *Store) version(ctx context.Context) (int, error) {
	const op = "pgstore: schema version"
	var exists bool
	if err := s.pool.QueryRow(ctx, `SELECT to_regclass($1) IS NOT NULL`,
		pgx.Identifier{s.schema, "schema_migrations"}.Sanitize()).Scan(&exists); err != nil {
		return 0, fail(op, err, nil)
	}
	if !exists {
		return 0, nil
	}
	n, err := sqlcore.SchemaVersion(ctx, poolConn{s.pool}, op, s.q.version)
	if err != nil {
		return 0, fail(op, err, nil)
	}
	return n, nil
}

// checkVersion fails unless the schema is at the adapter's version.
func (s *Store) checkVersion(ctx context.Context) error {
	const op = "pgstore: new"
	ms, err := sqladapter.Migrations(migrationFiles, "migrations")
	if err != nil {
		return &privacy.Error{Op: op, Kind: privacy.ErrUnavailable, Err: err}
	}
	v, err := s.version(ctx)
	if err != nil {
		return err
	}
	switch {
	case v > len(ms):
		return sqlcore.NewerSchema(op, v, len(ms))
	case v < len(ms):
		return &privacy.Error{Op: op, Kind: privacy.ErrConflict,
			Msg: fmt.Sprintf("the schema is at version %d, the adapter needs %d: run Migrate", v, len(ms))}
	}
	return nil
}
