package pgstore

import (
	"context"
	"slices"
	"time"

	"github.com/dossierwacht/dossierwacht/examples/internal/sqladapter"
	"github.com/dossierwacht/dossierwacht/examples/internal/sqlcore"
	"github.com/dossierwacht/dossierwacht/privacy"
	"github.com/dossierwacht/dossierwacht/retention"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"
	"github.com/jackc/pgx/v5/pgxpool"
)

// core is the body of the store (package sqlcore) on this schema.
func (s *Store) core() sqlcore.Store {
	return sqlcore.Store{Name: "pgstore", Q: &s.q.core, D: dialect{s}, Faults: &s.faults, Key: s.key}
}

// dialect is PostgreSQL's part of the store: row locks under READ
// COMMITTED, a replica for listings, PostgreSQL's values, and the steps
// that send a batch as column arrays or COPY.
type dialect struct{ s *Store }

var _ sqlcore.Dialect = dialect{}

// Time stores a time as timestamptz, NULL for the zero time.
func (dialect) Time(t time.Time) any { return ts(t) }

// ScanTime reads a timestamptz in UTC.
func (dialect) ScanTime(t *time.Time) any { return tsDest{t} }

// IDs sends a list of IDs as text[], NULL for none.
func (dialect) IDs(ids []string) any {
	if len(ids) == 0 {
		return []string(nil)
	}
	return ids
}

// Names sends a list of names as text[], {} for none.
func (dialect) Names(names []string) any {
	if names == nil {
		return []string{}
	}
	return names
}

// ScanList reads a text[].
func (dialect) ScanList(list *[]string) any { return list }

// JSON keeps a JSON document as text, NULL for nil.
func (dialect) JSON(b []byte) any {
	if b == nil {
		return nil
	}
	return string(b)
}

// ScanJSON reads what JSON stored.
func (dialect) ScanJSON(b *[]byte) any { return b }

// tsDest scans a timestamptz into a time.Time in UTC, NULL as the zero
// time.
type tsDest struct{ t *time.Time }

func (d tsDest) ScanTimestamptz(v pgtype.Timestamptz) error {
	*d.t = timeOf(v)
	return nil
}

func (d dialect) Write(ctx context.Context, op string, fn func(tx sqlcore.Conn) error) error {
	return d.s.write(ctx, op, func(tx pgx.Tx) error { return fn(txConn{tx}) })
}

func (d dialect) Snapshot(ctx context.Context, fn func(tx sqlcore.Conn) error) error {
	return d.s.snapshot(ctx, func(tx pgx.Tx) error { return fn(txConn{tx}) })
}

// Reader is the primary, or for a listing read the pool of [Store.lister].
func (d dialect) Reader(ctx context.Context, listing bool) sqlcore.Conn {
	if listing {
		return poolConn{d.s.lister(ctx)}
	}
	return poolConn{d.s.pool}
}

func (dialect) Fail(op string, err, fk error) error { return fail(op, err, fk) }

// InsertRecords inserts the whole batch with one statement, its columns
// sent as arrays.
func (d dialect) InsertRecords(ctx context.Context, tx sqlcore.Conn, op string, f *sqlcore.File, rs []privacy.Record) error {
	_, err := d.s.core().Exec(ctx, tx, op, f.Insert, recordColumnsOf(rs)...)
	return err
}

// AppendEvents appends through the function append_chained
// ([Store.chainEvents]), a sweep's batch as every other.
func (d dialect) AppendEvents(ctx context.Context, tx sqlcore.Conn, op string, events []privacy.Event, sweep bool) ([]privacy.Event, error) {
	if sweep {
		return nil, d.s.chainEvents(ctx, tx, op, events, nil)
	}
	return d.s.appendEvents(ctx, pgTx(tx), op, events)
}

func (d dialect) Erase(ctx context.Context, tx sqlcore.Conn, op string, proofs []retention.Proof) ([]error, error) {
	return d.s.erase(ctx, pgTx(tx), op, proofs)
}

// txConn is a transaction as the core runs statements in it.
type txConn struct{ tx pgx.Tx }

// pgTx is the transaction of a txConn the dialect's Write or Snapshot
// made.
func pgTx(c sqlcore.Conn) pgx.Tx { return c.(txConn).tx }

func (c txConn) Exec(ctx context.Context, query string, args ...any) (int64, error) {
	tag, err := c.tx.Exec(ctx, query, args...)
	return tag.RowsAffected(), err
}

func (c txConn) QueryRow(ctx context.Context, query string, args ...any) sqlcore.Row {
	return c.tx.QueryRow(ctx, query, args...)
}

func (c txConn) Query(ctx context.Context, query string, args ...any) (sqlcore.Rows, error) {
	return c.tx.Query(ctx, query, args...)
}

// poolConn is a pool as the core runs reads on it.
type poolConn struct{ pool *pgxpool.Pool }

func (c poolConn) Exec(ctx context.Context, query string, args ...any) (int64, error) {
	tag, err := c.pool.Exec(ctx, query, args...)
	return tag.RowsAffected(), err
}

func (c poolConn) QueryRow(ctx context.Context, query string, args ...any) sqlcore.Row {
	return c.pool.QueryRow(ctx, query, args...)
}

func (c poolConn) Query(ctx context.Context, query string, args ...any) (sqlcore.Rows, error) {
	return c.pool.Query(ctx, query, args...)
}

// recordColumnsOf returns the records as the column arrays of the insert
// statement.
func recordColumnsOf(rs []privacy.Record) []any {
	n := len(rs)
	text := make([][]string, 9)
	for i := range text {
		text[i] = make([]string, n)
	}
	created, updated := make([]pgtype.Timestamptz, n), make([]pgtype.Timestamptz, n)
	fields := make([][]byte, n)
	for i, r := range rs {
		for j, v := range []string{string(r.ID), string(r.Case), string(r.Subject), string(r.Category), string(r.Author),
			string(r.Source.Kind), string(r.Source.Party), string(r.Purpose), string(r.Basis)} {
			text[j][i] = v
		}
		created[i], updated[i], fields[i] = ts(r.Created), ts(r.Updated), sqladapter.EncodeFields(r.Fields)
	}
	args := make([]any, 0, 12)
	for _, col := range text {
		args = append(args, col)
	}
	return append(args, created, updated, fields)
}

// sortedSubjects returns the subjects of proofs, each once, in ID order.
func sortedSubjects(proofs []retention.Proof) []string {
	subjects := make([]string, 0, len(proofs))
	for i := range proofs {
		subjects = append(subjects, string(proofs[i].Subject))
	}
	slices.Sort(subjects)
	return slices.Compact(subjects)
}
