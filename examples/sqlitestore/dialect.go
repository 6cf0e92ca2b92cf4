package sqlitestore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"time"

	"github.com/dossierwacht/dossierwacht/examples/internal/sqladapter"
	"github.com/dossierwacht/dossierwacht/examples/internal/sqlcore"
	"github.com/dossierwacht/dossierwacht/privacy"
	"github.com/dossierwacht/dossierwacht/retention"
)

// core is the body of the store (package sqlcore) on this file.
func (s *Store) core() sqlcore.Store {
	return sqlcore.Store{Name: "sqlitestore", Q: &queries, D: dialect{s}, Faults: &s.faults, Key: s.key}
}

// dialect is SQLite's part of the store: one writer, values as SQLite
// keeps them, and the steps that write a row at a time.
type dialect struct{ s *Store }

var _ sqlcore.Dialect = dialect{}

// Time stores a time as microseconds since 1970 UTC, NULL for the zero
// time.
func (dialect) Time(t time.Time) any { return micros(t) }

// ScanTime reads what Time stored.
func (dialect) ScanTime(t *time.Time) any { return microsDest{t} }

// IDs keeps a list of IDs as a JSON array in a BLOB, NULL for none.
func (dialect) IDs(ids []string) any {
	if len(ids) == 0 {
		return nil
	}
	b, _ := json.Marshal(ids) // checked UTF-8 strings: cannot fail
	return b
}

// Names keeps a list of names as a JSON array in TEXT, [] for none.
func (dialect) Names(names []string) any { return sqladapter.EncodeStrings(names) }

// ScanList reads what IDs or Names stored.
func (dialect) ScanList(list *[]string) any { return jsonDest{list} }

// JSON keeps a JSON document as a BLOB, NULL for nil.
func (dialect) JSON(b []byte) any { return b }

// ScanJSON reads what JSON stored.
func (dialect) ScanJSON(b *[]byte) any { return b }

// microsDest scans what micros stored.
type microsDest struct{ t *time.Time }

func (d microsDest) Scan(src any) error {
	switch v := src.(type) {
	case nil:
		*d.t = time.Time{}
	case int64:
		*d.t = time.UnixMicro(v).UTC()
	default:
		return &privacy.Error{Op: "sqlitestore: read time", Kind: privacy.ErrUnavailable, Msg: "a stored time is damaged"}
	}
	return nil
}

// jsonDest scans a JSON array of strings, kept as TEXT or BLOB.
type jsonDest struct{ list *[]string }

func (d jsonDest) Scan(src any) error {
	var b []byte
	switch v := src.(type) {
	case nil:
	case string:
		b = []byte(v)
	case []byte:
		b = v
	default:
		return errDamagedList
	}
	*d.list = nil
	if len(b) == 0 {
		return nil
	}
	var list []string
	if err := json.Unmarshal(b, &list); err != nil {
		return errDamagedList
	}
	if len(list) > 0 {
		*d.list = list
	}
	return nil
}

var errDamagedList = &privacy.Error{Op: "sqlitestore: read list", Kind: privacy.ErrUnavailable, Msg: "a stored list is damaged"}

func (d dialect) Write(ctx context.Context, op string, fn func(tx sqlcore.Conn) error) error {
	return d.s.write(ctx, op, func(tx *sql.Tx) error { return inTx(tx, fn) })
}

// Snapshot runs fn in a read transaction on a reader connection: one
// snapshot of the file (WAL), whatever the writer does meanwhile.
func (d dialect) Snapshot(ctx context.Context, fn func(tx sqlcore.Conn) error) error {
	return d.s.read(ctx, func(tx *sql.Tx) error { return inTx(tx, fn) })
}

// inTx runs fn on tx, the statements it repeats prepared.
func inTx(tx *sql.Tx, fn func(tx sqlcore.Conn) error) error {
	c := &conn{db: tx, tx: tx}
	defer c.close()
	return fn(c)
}

// Reader is one of the reader connections, for every read.
func (d dialect) Reader(context.Context, bool) sqlcore.Conn { return &conn{db: d.s.r} }

func (d dialect) Fail(op string, err, fk error) error { return d.s.fail(op, err, fk) }

// InsertRecords inserts a row per record, through one prepared statement.
func (d dialect) InsertRecords(ctx context.Context, tx sqlcore.Conn, op string, f *sqlcore.File, rs []privacy.Record) error {
	args := make([]any, 0, 12)
	for i := range rs {
		if _, err := d.s.core().Exec(ctx, tx, op, f.Insert, sqlcore.RecordArgs(args[:0], d, &rs[i])...); err != nil {
			return err
		}
	}
	return nil
}

// AppendEvents chains events after the last one and inserts a row per
// event. The chain cannot fork: every write transaction of the file runs
// alone (one writer connection, BEGIN IMMEDIATE), so the last event read
// is still the last when the new ones are inserted.
func (d dialect) AppendEvents(ctx context.Context, tx sqlcore.Conn, op string, events []privacy.Event, _ bool) ([]privacy.Event, error) {
	c := d.s.core()
	out, err := c.Chained(ctx, tx, op, events)
	if err != nil {
		return nil, err
	}
	args := make([]any, 0, 18)
	for i := range out {
		if _, err := c.Exec(ctx, tx, op, qInsertEvent, sqlcore.EventArgs(args[:0], d, &out[i])...); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// Erase checks and erases one item at a time: its proof, its record, the
// standing holds of its subject (read once per subject), then the deletion
// and the proof. Every write transaction of the file runs alone, so no
// hold is placed, and no record changes, between an item's checks and its
// deletion (rule G3).
func (d dialect) Erase(ctx context.Context, tx sqlcore.Conn, op string, proofs []retention.Proof) ([]error, error) {
	c := d.s.core()
	results := make([]error, len(proofs))
	holds := map[privacy.SubjectID][]retention.Hold{}
	args := make([]any, 0, len(sqlcore.ProofColumnNames))
	for i := range proofs {
		p := &proofs[i]
		got, err := d.stored(ctx, tx, p)
		if err != nil {
			return nil, err
		}
		held := false
		if got.Found && !got.Proven {
			hs, ok := holds[p.Subject]
			if !ok {
				if hs, err = c.SubjectHolds(ctx, tx, p.Subject); err != nil {
					return nil, err
				}
				holds[p.Subject] = hs
			}
			held = sqlcore.Covered(hs, p)
		}
		if results[i] = sqlcore.Refusal(op, p, got, held); results[i] != nil {
			continue // this item is refused; the others go on
		}
		f := &queries.Ordinary
		if p.Medical {
			f = &queries.Medical // rule O6: from the medical file
		}
		if _, err := c.Exec(ctx, tx, op, f.Delete, string(p.Record), string(p.Case), string(p.Subject)); err != nil {
			return nil, err
		}
		if _, err := c.Exec(ctx, tx, op, qInsertProof, sqlcore.ProofArgs(args[:0], d, p)...); err != nil {
			return nil, err
		}
	}
	return results, nil
}

// stored reads what item p of a sweep finds of its record.
func (d dialect) stored(ctx context.Context, tx sqlcore.Conn, p *retention.Proof) (sqlcore.Stored, error) {
	var got sqlcore.Stored
	switch err := tx.QueryRow(ctx, qProofExists, string(p.Record)).Scan(new(int)); {
	case err == nil:
		got.Proven = true
	case !errors.Is(err, sql.ErrNoRows):
		return got, err
	}
	check := ordinaryEntries.check
	if p.Medical {
		check = medicalEntries.check
	}
	switch err := tx.QueryRow(ctx, check, string(p.Record)).Scan(&got.Case, &got.Subject, d.ScanTime(&got.Updated)); {
	case err == nil:
		got.Found = true
	case !errors.Is(err, sql.ErrNoRows):
		return got, err
	}
	return got, nil
}

// conn runs the core's statements on the readers or in a transaction. In
// a transaction a statement run a second time is prepared, and the
// prepared statement serves the rest of it: the rows of a batch of records
// or events, the items of a sweep.
type conn struct {
	db interface {
		ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
		QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
		QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
	}
	tx    *sql.Tx              // nil outside a transaction
	stmts map[string]*sql.Stmt // in tx: nil for a statement run once so far
}

// stmt returns the prepared statement for query, preparing it on its
// second run in a transaction; nil means run query directly.
func (c *conn) stmt(ctx context.Context, query string) (*sql.Stmt, error) {
	if c.tx == nil {
		return nil, nil
	}
	st, seen := c.stmts[query]
	if st != nil {
		return st, nil
	}
	if c.stmts == nil {
		c.stmts = map[string]*sql.Stmt{}
	}
	if !seen {
		c.stmts[query] = nil
		return nil, nil
	}
	st, err := c.tx.PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	c.stmts[query] = st
	return st, nil
}

// close closes the prepared statements.
func (c *conn) close() {
	for _, st := range c.stmts {
		if st != nil {
			st.Close()
		}
	}
}

func (c *conn) Exec(ctx context.Context, query string, args ...any) (int64, error) {
	st, err := c.stmt(ctx, query)
	if err != nil {
		return 0, err
	}
	var res sql.Result
	if st != nil {
		res, err = st.ExecContext(ctx, args...)
	} else {
		res, err = c.db.ExecContext(ctx, query, args...)
	}
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

func (c *conn) QueryRow(ctx context.Context, query string, args ...any) sqlcore.Row {
	st, err := c.stmt(ctx, query)
	switch {
	case err != nil:
		return errRow{err}
	case st != nil:
		return st.QueryRowContext(ctx, args...)
	}
	return c.db.QueryRowContext(ctx, query, args...)
}

func (c *conn) Query(ctx context.Context, query string, args ...any) (sqlcore.Rows, error) {
	st, err := c.stmt(ctx, query)
	if err != nil {
		return nil, err
	}
	var rows *sql.Rows
	if st != nil {
		rows, err = st.QueryContext(ctx, args...)
	} else {
		rows, err = c.db.QueryContext(ctx, query, args...)
	}
	if err != nil {
		return nil, err
	}
	return sqlRows{rows}, nil
}

// sqlRows are *sql.Rows as the core reads them.
type sqlRows struct{ *sql.Rows }

func (r sqlRows) Close() { _ = r.Rows.Close() }

// errRow is a row whose query failed before it ran.
type errRow struct{ err error }

func (r errRow) Scan(...any) error { return r.err }
