package pgstore

import (
	"context"
	"strings"

	"github.com/dossierwacht/dossierwacht/examples/internal/sqladapter"
	"github.com/dossierwacht/dossierwacht/privacy"
	"github.com/dossierwacht/dossierwacht/rights"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"
)

// The rights store (package rights): the subjects' requests with
// their history, in the table of migration 0005.

var _ rights.Store = (*Store)(nil)

// rightsQueries are the rights store's statements.
type rightsQueries struct {
	insert, get, update, state, subject, open string
}

const requestColumns = `id, subject_id, kind, form, received, document, records, written_rule, written, status,
	open, due, due_rule, due_citation, due_extension, policy, steps, history`

func newRightsQueries(r *strings.Replacer) rightsQueries {
	q := rightsQueries{
		insert: `INSERT INTO {schema}.requests (` + requestColumns + `) VALUES ($1, $2, $3, $4, $5, $6, $7::text[], $8, $9,
	$10, $11, $12, $13, $14, $15, $16, $17, $18::jsonb)`,
		get: `SELECT ` + requestColumns + ` FROM {schema}.requests WHERE id = $1`,
		// The compare-and-swap: the row changes only if it still has one
		// step fewer than the new history. Under read committed a racing
		// update waits for the row and then finds steps changed.
		update: `UPDATE {schema}.requests SET kind = $1, form = $2, received = $3, document = $4, records = $5::text[],
	written_rule = $6, written = $7, status = $8, open = $9, due = $10, due_rule = $11, due_citation = $12,
	due_extension = $13, policy = $14, steps = $15, history = $16::jsonb
	WHERE id = $17 AND subject_id = $18 AND steps = $19`,
		state:   `SELECT subject_id, steps FROM {schema}.requests WHERE id = $1`,
		subject: `SELECT ` + requestColumns + ` FROM {schema}.requests WHERE subject_id = $1 ORDER BY received NULLS FIRST, id`,
		open:    `SELECT ` + requestColumns + ` FROM {schema}.requests WHERE open ORDER BY due NULLS FIRST, id`,
	}
	for _, p := range []*string{&q.insert, &q.get, &q.update, &q.state, &q.subject, &q.open} {
		*p = r.Replace(*p)
	}
	return q
}

// requestRow is a request as its columns hold it.
type requestRow struct {
	records []string
	history string
	due     any
	open    bool
}

func encodeRequest(op string, r rights.Request) (requestRow, error) {
	if err := sqladapter.CheckRequest(op, r); err != nil {
		return requestRow{}, err
	}
	h, err := sqladapter.EncodeHistory(op, r.History)
	if err != nil {
		return requestRow{}, err
	}
	return requestRow{records: sqladapter.Strings(r.Records), history: string(h),
		due: sqladapter.DateText(r.Due.Date), open: !r.Status.Final()}, nil
}

func scanRequest(row pgx.Row) (rights.Request, error) {
	var id, subject, kind, form, document, writtenRule, status, dueRule, citation, extension, policy, history string
	var received, written pgtype.Timestamptz
	var records []string
	var due pgtype.Text
	var open bool
	var steps int32
	if err := row.Scan(&id, &subject, &kind, &form, &received, &document, &records, &writtenRule, &written, &status,
		&open, &due, &dueRule, &citation, &extension, &policy, &steps, &history); err != nil {
		return rights.Request{}, err
	}
	r := rights.Request{ID: rights.RequestID(id), Subject: privacy.SubjectID(subject), Kind: rights.Kind(kind),
		Form: rights.Form(form), Received: timeOf(received), Document: document,
		Records: sqladapter.Named[privacy.RecordID](records), WrittenRule: privacy.RuleID(writtenRule),
		Written: timeOf(written), Status: rights.Status(status),
		Due:    rights.Due{Rule: privacy.RuleID(dueRule), Citation: citation, Extension: privacy.RuleID(extension)},
		Policy: policy}
	var err error
	if r.Due.Date, err = sqladapter.ParseDateText(due.String); err != nil {
		return rights.Request{}, err
	}
	if r.History, err = sqladapter.DecodeHistory([]byte(history)); err != nil {
		return rights.Request{}, err
	}
	return r, nil
}

// CreateRequest implements [rights.Store]: the request and its audit
// events in one transaction.
func (s *Store) CreateRequest(ctx context.Context, r rights.Request, events []privacy.Event) error {
	const op = "pgstore: create request"
	row, err := encodeRequest(op, r)
	if err == nil {
		err = sqladapter.CheckWriteEvents(op, events)
	}
	if err != nil {
		return err
	}
	return s.write(ctx, op, func(tx pgx.Tx) error {
		if _, err := s.exec(ctx, tx, op, s.q.rts.insert, string(r.ID), string(r.Subject), string(r.Kind), string(r.Form),
			ts(r.Received), r.Document, row.records, string(r.WrittenRule), ts(r.Written), string(r.Status), row.open,
			row.due, string(r.Due.Rule), r.Due.Citation, string(r.Due.Extension), r.Policy, len(r.History), row.history); err != nil {
			return err
		}
		_, err := s.appendEvents(ctx, tx, op, events)
		return err
	})
}

// Request implements [rights.Store]. It reads the primary: the desk
// decides the next step on what it returns.
func (s *Store) Request(ctx context.Context, id rights.RequestID) (rights.Request, error) {
	const op = "pgstore: request"
	if err := sqladapter.CheckID(op, "id", string(id)); err != nil {
		return rights.Request{}, err
	}
	r, err := scanRequest(s.pool.QueryRow(ctx, s.q.rts.get, string(id)))
	if err != nil {
		return rights.Request{}, fail(op, err, nil)
	}
	return r, nil
}

// UpdateRequest implements [rights.Store]: a compare-and-swap on the
// length of the history, in one statement, and the step's audit events,
// in one transaction.
func (s *Store) UpdateRequest(ctx context.Context, r rights.Request, events []privacy.Event) error {
	const op = "pgstore: update request"
	row, err := encodeRequest(op, r)
	if err == nil {
		err = sqladapter.CheckWriteEvents(op, events)
	}
	if err != nil {
		return err
	}
	return s.write(ctx, op, func(tx pgx.Tx) error {
		n, err := s.exec(ctx, tx, op, s.q.rts.update, string(r.Kind), string(r.Form), ts(r.Received), r.Document,
			row.records, string(r.WrittenRule), ts(r.Written), string(r.Status), row.open, row.due, string(r.Due.Rule),
			r.Due.Citation, string(r.Due.Extension), r.Policy, len(r.History), row.history, string(r.ID),
			string(r.Subject), len(r.History)-1)
		if err != nil {
			return err
		}
		if n == 1 {
			_, err := s.appendEvents(ctx, tx, op, events)
			return err
		}
		// Nothing changed: say why.
		var subject string
		var steps int32
		if err := tx.QueryRow(ctx, s.q.rts.state, string(r.ID)).Scan(&subject, &steps); err != nil {
			return err
		}
		if int(steps)+1 != len(r.History) {
			return &privacy.Error{Op: op, Kind: privacy.ErrConflict, Msg: "another step landed first"}
		}
		return &privacy.Error{Op: op, Kind: privacy.ErrInvalid, Path: "subject", Msg: "a request's subject does not change"}
	})
}

// SubjectRequests implements [rights.Store]. With a context marked by
// [WithReplica] it may read the replica.
func (s *Store) SubjectRequests(ctx context.Context, subject privacy.SubjectID) ([]rights.Request, error) {
	const op = "pgstore: subject requests"
	if err := sqladapter.CheckID(op, "subject", string(subject)); err != nil {
		return nil, err
	}
	return s.requests(ctx, op, s.q.rts.subject, string(subject))
}

// OpenRequests implements [rights.Store]. With a context marked by
// [WithReplica] it may read the replica.
func (s *Store) OpenRequests(ctx context.Context) ([]rights.Request, error) {
	return s.requests(ctx, "pgstore: open requests", s.q.rts.open)
}

func (s *Store) requests(ctx context.Context, op, query string, args ...any) ([]rights.Request, error) {
	rows, err := s.lister(ctx).Query(ctx, query, args...)
	if err != nil {
		return nil, fail(op, err, nil)
	}
	out, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (rights.Request, error) { return scanRequest(row) })
	if err != nil {
		return nil, fail(op, err, nil)
	}
	if out == nil {
		out = []rights.Request{}
	}
	return out, nil
}
