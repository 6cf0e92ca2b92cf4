package sqlitestore

import (
	"context"

	"github.com/dossierwacht/dossierwacht/examples/internal/sqlcore"
	"github.com/dossierwacht/dossierwacht/privacy"
	"github.com/dossierwacht/dossierwacht/rights"
)

// The rights store (package rights): the subjects' requests with
// their history, in the table of migration 0005. Its body is package
// sqlcore's; the statements are SQLite's (records and history as JSON
// text, open as 0 or 1).

var _ rights.Store = (*Store)(nil)

const requestColumns = sqlcore.RequestColumns

var (
	qInsertRequest = `INSERT INTO requests (` + requestColumns + `)
	VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`
	qRequest = inFile(sqlcore.SQLRequest)
	// The compare-and-swap: the row changes only if it still has one step
	// fewer than the new history.
	qUpdateRequest = `UPDATE requests SET kind = ?, form = ?, received = ?, document = ?, records = ?, written_rule = ?,
	written = ?, status = ?, open = ?, due = ?, due_rule = ?, due_citation = ?, due_extension = ?, policy = ?,
	steps = ?, history = ? WHERE id = ? AND subject_id = ? AND steps = ?`
	qRequestState    = inFile(sqlcore.SQLRequestState)
	qSubjectRequests = `SELECT ` + requestColumns + ` FROM requests WHERE subject_id = ? ORDER BY received, id`
	qOpenRequests    = `SELECT ` + requestColumns + ` FROM requests WHERE open = 1 ORDER BY due, id`
)

// CreateRequest implements [rights.Store]: the request and its audit
// events in one transaction.
func (s *Store) CreateRequest(ctx context.Context, r rights.Request, events []privacy.Event) error {
	return s.core().CreateRequest(ctx, r, events)
}

// Request implements [rights.Store].
func (s *Store) Request(ctx context.Context, id rights.RequestID) (rights.Request, error) {
	return s.core().Request(ctx, id)
}

// UpdateRequest implements [rights.Store]: a compare-and-swap on the
// length of the history, in one statement, and the step's audit events,
// in one transaction.
func (s *Store) UpdateRequest(ctx context.Context, r rights.Request, events []privacy.Event) error {
	return s.core().UpdateRequest(ctx, r, events)
}

// SubjectRequests implements [rights.Store].
func (s *Store) SubjectRequests(ctx context.Context, subject privacy.SubjectID) ([]rights.Request, error) {
	return s.core().SubjectRequests(ctx, subject)
}

// OpenRequests implements [rights.Store].
func (s *Store) OpenRequests(ctx context.Context) ([]rights.Request, error) {
	return s.core().OpenRequests(ctx)
}
