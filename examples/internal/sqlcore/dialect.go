package sqlcore

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/dossierwacht/dossierwacht/privacy"
	"github.com/dossierwacht/dossierwacht/retention"
)

// Conn runs statements: a transaction of the dialect's, or the pool or
// connection a read outside one goes to.
type Conn interface {
	// Exec runs a statement and returns the number of rows it wrote.
	Exec(ctx context.Context, query string, args ...any) (int64, error)
	// QueryRow runs a query that returns at most one row.
	QueryRow(ctx context.Context, query string, args ...any) Row
	// Query runs a query; the caller closes the rows.
	Query(ctx context.Context, query string, args ...any) (Rows, error)
}

// Row is the one row of a query; its Scan fails with an error matching
// sql.ErrNoRows when there is none (pgx's ErrNoRows matches it too).
type Row interface {
	Scan(dest ...any) error
}

// Rows are the rows of a query, read in order.
type Rows interface {
	Next() bool
	Scan(dest ...any) error
	// Err is the error that ended the rows, once Next returned false.
	Err() error
	Close()
}

// Codec is how a database keeps the values whose column types differ
// between the dialects. Every other value is a string, an integer, a
// bool or bytes, which both drivers take and return as they are.
type Codec interface {
	// Time is t as a parameter: NULL for the zero time, otherwise t as
	// privacy.Timestamp leaves it.
	Time(t time.Time) any
	// ScanTime is a destination that reads what Time stored into t, in
	// UTC; NULL reads as the zero time.
	ScanTime(t *time.Time) any
	// IDs is a list of IDs (a hold's or an erasure's records, the
	// subjects or cases a query takes) as a parameter: NULL for none.
	IDs(ids []string) any
	// Names is a list of names (a grant's categories, a disclosure's
	// grants, a group's members) as a parameter: an empty list for none,
	// never NULL.
	Names(names []string) any
	// ScanList is a destination that reads what IDs or Names stored into
	// list; NULL and an empty list read as nil. A stored list that does
	// not decode is an error matching privacy.ErrUnavailable.
	ScanList(list *[]string) any
	// JSON is a JSON document (a proof's recipients) as a parameter: NULL
	// for nil.
	JSON(b []byte) any
	// ScanJSON is a destination that reads what JSON stored into b; NULL
	// reads as nil.
	ScanJSON(b *[]byte) any
}

// Dialect is what the core asks of a database beyond its [Queries]: its
// values, its transactions, its errors, and the steps whose SQL differs.
// An adapter implements it on an unexported type of its own.
type Dialect interface {
	Codec
	// Write runs fn in a write transaction and commits it; an error of
	// fn, or of the commit, rolls the whole of it back and is returned
	// through Fail with op.
	Write(ctx context.Context, op string, fn func(tx Conn) error) error
	// Snapshot runs fn in a read-only transaction whose queries all see
	// one snapshot. Its errors are returned as they are.
	Snapshot(ctx context.Context, fn func(tx Conn) error) error
	// Reader is where a read outside a transaction goes; a listing read
	// (a page of a listing, a report) may go to a replica that lags.
	Reader(ctx context.Context, listing bool) Conn
	// Fail translates err into the library's error model ([Fail] with the
	// dialect's driver errors); fk is the kind of a foreign key
	// violation, privacy.ErrNotFound when nil.
	Fail(op string, err, fk error) error
	// InsertRecords inserts rs into file f inside tx, with f.Insert, and
	// accounts for the rows written (the store's [sqladapter.Faults]).
	InsertRecords(ctx context.Context, tx Conn, op string, f *File, rs []privacy.Record) error
	// AppendEvents appends one or more events to the audit trail inside
	// tx, numbered and chained after its last event (rule G7), and
	// accounts for the rows written. It returns them as stored, except
	// for a sweep's batch (sweep set), whose events nobody reads back.
	AppendEvents(ctx context.Context, tx Conn, op string, events []privacy.Event, sweep bool) ([]privacy.Event, error)
	// Erase deletes the records of a sweep's batch and stores their
	// proofs inside tx, after checking each item ([Refusal]). It returns
	// one result per proof: nil for an erased record, the refusal of an
	// item that stays. Any other error fails the whole batch.
	Erase(ctx context.Context, tx Conn, op string, proofs []retention.Proof) ([]error, error)
}

// Classify sorts out an error a driver raised: its kind (fk for a foreign
// key violation), the rule that refused it, and what of it to keep as the
// *privacy.Error's Err. A nil kind means privacy.ErrUnavailable.
type Classify func(err, fk error) (kind error, rule privacy.RuleID, keep error)

// Fail translates err into the library's error model. A *privacy.Error
// passes unchanged; no row is privacy.ErrNotFound; what classify sorts
// out has its kind and rule; everything else is privacy.ErrUnavailable.
// fk is the kind of a foreign key violation, privacy.ErrNotFound when nil.
// The *privacy.Error keeps what classify keeps of err, for logs: never a
// value of a row.
func Fail(op string, err, fk error, classify Classify) error {
	var pe *privacy.Error
	if errors.As(err, &pe) {
		return pe
	}
	if errors.Is(err, sql.ErrNoRows) {
		return &privacy.Error{Op: op, Kind: privacy.ErrNotFound}
	}
	if fk == nil {
		fk = privacy.ErrNotFound
	}
	kind, rule, keep := classify(err, fk)
	if kind == nil {
		kind = privacy.ErrUnavailable
	}
	return &privacy.Error{Op: op, Kind: kind, Rule: rule, Err: keep}
}

// noRows reports whether err is a query's missing row.
func noRows(err error) bool { return errors.Is(err, sql.ErrNoRows) }

// each calls f on every row of rows (err is the error of the query that
// returned them), closes them and returns the first error.
func each(rows Rows, err error, f func(Row) error) error {
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := f(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}

// collect scans every row of rows with scan; no rows are an empty,
// non-nil slice.
func collect[T any](rows Rows, err error, scan func(Codec, Row) (T, error), v Codec) ([]T, error) {
	out := []T{}
	err = each(rows, err, func(row Row) error {
		x, err := scan(v, row)
		out = append(out, x)
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}
