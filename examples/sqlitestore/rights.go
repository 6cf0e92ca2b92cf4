package sqlitestore

import (
	"context"
	"database/sql"

	"github.com/dossierwacht/dossierwacht/examples/internal/sqladapter"
	"github.com/dossierwacht/dossierwacht/examples/internal/sqlcore"
	"github.com/dossierwacht/dossierwacht/privacy"
	"github.com/dossierwacht/dossierwacht/rights"
)

// The rights store (package rights): the subjects' requests with
// their history, in the table of migration 0005.

var _ rights.Store = (*Store)(nil)

const requestColumns = `id, subject_id, kind, form, received, document, records, written_rule, written, status,
	open, due, due_rule, due_citation, due_extension, policy, steps, history`

const (
	qInsertRequest = `INSERT INTO requests (` + requestColumns + `)
	VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`
	qRequest = `SELECT ` + requestColumns + ` FROM requests WHERE id = ?`
	// The compare-and-swap: the row changes only if it still has one step
	// fewer than the new history.
	qUpdateRequest = `UPDATE requests SET kind = ?, form = ?, received = ?, document = ?, records = ?, written_rule = ?,
	written = ?, status = ?, open = ?, due = ?, due_rule = ?, due_citation = ?, due_extension = ?, policy = ?,
	steps = ?, history = ? WHERE id = ? AND subject_id = ? AND steps = ?`
	qRequestState     = `SELECT subject_id, steps FROM requests WHERE id = ?`
	qSubjectRequests  = `SELECT ` + requestColumns + ` FROM requests WHERE subject_id = ? ORDER BY received, id`
	qOpenRequests     = `SELECT ` + requestColumns + ` FROM requests WHERE open = 1 ORDER BY due, id`
	msgSubjectChanges = "a request's subject does not change"
)

// requestRow is a request as its columns hold it.
type requestRow struct {
	records, history, due any
	open                  bool
}

func encodeRequest(op string, r rights.Request) (requestRow, error) {
	if err := sqladapter.CheckRequest(op, r); err != nil {
		return requestRow{}, err
	}
	h, err := sqladapter.EncodeHistory(op, r.History)
	if err != nil {
		return requestRow{}, err
	}
	return requestRow{records: sqladapter.EncodeStrings(r.Records), history: string(h),
		due: sqladapter.DateText(r.Due.Date), open: !r.Status.Final()}, nil
}

func scanRequest(row scanner) (rights.Request, error) {
	var r rights.Request
	var received, written sql.NullInt64
	var records, history string
	var due sql.NullString
	var open bool
	var steps int
	if err := row.Scan(&r.ID, &r.Subject, &r.Kind, &r.Form, &received, &r.Document, &records, &r.WrittenRule, &written,
		&r.Status, &open, &due, &r.Due.Rule, &r.Due.Citation, &r.Due.Extension, &r.Policy, &steps, &history); err != nil {
		return rights.Request{}, err
	}
	r.Received, r.Written = timeOf(received), timeOf(written)
	var err error
	if r.Records, err = sqladapter.DecodeStrings[privacy.RecordID](records); err != nil {
		return rights.Request{}, err
	}
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
	const op = "sqlitestore: create request"
	row, err := encodeRequest(op, r)
	if err == nil {
		err = sqladapter.CheckWriteEvents(op, events)
	}
	if err != nil {
		return err
	}
	return s.write(ctx, op, func(tx *sql.Tx) error {
		if _, err := s.exec(ctx, tx, op, qInsertRequest, r.ID, r.Subject, r.Kind, r.Form, micros(r.Received), r.Document,
			row.records, r.WrittenRule, micros(r.Written), r.Status, row.open, row.due, r.Due.Rule, r.Due.Citation,
			r.Due.Extension, r.Policy, len(r.History), row.history); err != nil {
			return err
		}
		return s.appendInTx(ctx, tx, op, events)
	})
}

// Request implements [rights.Store].
func (s *Store) Request(ctx context.Context, id rights.RequestID) (rights.Request, error) {
	const op = "sqlitestore: request"
	if err := sqladapter.CheckID(op, "id", string(id)); err != nil {
		return rights.Request{}, err
	}
	r, err := scanRequest(s.r.QueryRowContext(ctx, qRequest, id))
	if err != nil {
		return rights.Request{}, s.fail(op, err, nil)
	}
	return r, nil
}

// UpdateRequest implements [rights.Store]: a compare-and-swap on the
// length of the history, in one statement, and the step's audit events,
// in one transaction.
func (s *Store) UpdateRequest(ctx context.Context, r rights.Request, events []privacy.Event) error {
	const op = "sqlitestore: update request"
	row, err := encodeRequest(op, r)
	if err == nil {
		err = sqladapter.CheckWriteEvents(op, events)
	}
	if err != nil {
		return err
	}
	return s.write(ctx, op, func(tx *sql.Tx) error {
		n, err := s.exec(ctx, tx, op, qUpdateRequest, r.Kind, r.Form, micros(r.Received), r.Document, row.records,
			r.WrittenRule, micros(r.Written), r.Status, row.open, row.due, r.Due.Rule, r.Due.Citation, r.Due.Extension,
			r.Policy, len(r.History), row.history, r.ID, r.Subject, len(r.History)-1)
		if err != nil {
			return err
		}
		if n == 1 {
			return s.appendInTx(ctx, tx, op, events)
		}
		// Nothing changed: say why.
		var subject privacy.SubjectID
		var steps int
		if err := tx.QueryRowContext(ctx, qRequestState, r.ID).Scan(&subject, &steps); err != nil {
			return err
		}
		if steps+1 != len(r.History) {
			return &privacy.Error{Op: op, Kind: privacy.ErrConflict, Msg: "another step landed first"}
		}
		return &privacy.Error{Op: op, Kind: privacy.ErrInvalid, Path: "subject", Msg: msgSubjectChanges}
	})
}

// SubjectRequests implements [rights.Store].
func (s *Store) SubjectRequests(ctx context.Context, subject privacy.SubjectID) ([]rights.Request, error) {
	const op = "sqlitestore: subject requests"
	if err := sqladapter.CheckID(op, "subject", string(subject)); err != nil {
		return nil, err
	}
	return s.requests(ctx, op, qSubjectRequests, subject)
}

// OpenRequests implements [rights.Store].
func (s *Store) OpenRequests(ctx context.Context) ([]rights.Request, error) {
	return s.requests(ctx, "sqlitestore: open requests", qOpenRequests)
}

func (s *Store) requests(ctx context.Context, op, query string, args ...any) ([]rights.Request, error) {
	rows, err := s.r.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, s.fail(op, err, nil)
	}
	defer rows.Close()
	out := []rights.Request{}
	for rows.Next() {
		r, err := scanRequest(rows)
		if err != nil {
			return nil, s.fail(op, err, nil)
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, s.fail(op, err, nil)
	}
	return out, nil
}

// appendInTx appends the audit events of a request's step inside tx, the
// step's own transaction (rules O1, G7).
func (s *Store) appendInTx(ctx context.Context, tx *sql.Tx, op string, events []privacy.Event) error {
	if len(events) == 0 {
		return nil
	}
	return inTx(tx, func(c sqlcore.Conn) error {
		_, err := dialect{s}.AppendEvents(ctx, c, op, events, false)
		return err
	})
}
