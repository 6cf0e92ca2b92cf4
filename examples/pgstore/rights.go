package pgstore

import (
	"context"
	"strings"

	"github.com/dossierwacht/dossierwacht/examples/internal/sqlcore"
	"github.com/dossierwacht/dossierwacht/privacy"
	"github.com/dossierwacht/dossierwacht/rights"
)

// The rights store (package rights): the subjects' requests with
// their history, in the table of migration 0005. Its body is package
// sqlcore's; the statements are PostgreSQL's (records as text[], the
// history as jsonb).

var _ rights.Store = (*Store)(nil)

// rightsQueries are the rights store's statements.
type rightsQueries struct {
	insert, get, update, state, subject, open string
}

const requestColumns = sqlcore.RequestColumns

func newRightsQueries(r *strings.Replacer) rightsQueries {
	q := rightsQueries{
		insert: `INSERT INTO {schema}.requests (` + requestColumns + `) VALUES ($1, $2, $3, $4, $5, $6, $7::text[], $8, $9,
	$10, $11, $12, $13, $14, $15, $16, $17, $18::jsonb)`,
		get: sqlcore.SQLRequest,
		// The compare-and-swap: the row changes only if it still has one
		// step fewer than the new history. Under read committed a racing
		// update waits for the row and then finds steps changed.
		update: `UPDATE {schema}.requests SET kind = $1, form = $2, received = $3, document = $4, records = $5::text[],
	written_rule = $6, written = $7, status = $8, open = $9, due = $10, due_rule = $11, due_citation = $12,
	due_extension = $13, policy = $14, steps = $15, history = $16::jsonb
	WHERE id = $17 AND subject_id = $18 AND steps = $19`,
		state:   sqlcore.SQLRequestState,
		subject: `SELECT ` + requestColumns + ` FROM {schema}.requests WHERE subject_id = $1 ORDER BY received NULLS FIRST, id`,
		open:    `SELECT ` + requestColumns + ` FROM {schema}.requests WHERE open ORDER BY due NULLS FIRST, id`,
	}
	for _, p := range []*string{&q.insert, &q.get, &q.update, &q.state, &q.subject, &q.open} {
		*p = r.Replace(*p)
	}
	return q
}

// CreateRequest implements [rights.Store]: the request and its audit
// events in one transaction.
func (s *Store) CreateRequest(ctx context.Context, r rights.Request, events []privacy.Event) error {
	return s.core().CreateRequest(ctx, r, events)
}

// Request implements [rights.Store]. It reads the primary: the desk
// decides the next step on what it returns.
func (s *Store) Request(ctx context.Context, id rights.RequestID) (rights.Request, error) {
	return s.core().Request(ctx, id)
}

// UpdateRequest implements [rights.Store]: a compare-and-swap on the
// length of the history, in one statement, and the step's audit events,
// in one transaction.
func (s *Store) UpdateRequest(ctx context.Context, r rights.Request, events []privacy.Event) error {
	return s.core().UpdateRequest(ctx, r, events)
}

// SubjectRequests implements [rights.Store]. With a context marked by
// [WithReplica] it may read the replica.
func (s *Store) SubjectRequests(ctx context.Context, subject privacy.SubjectID) ([]rights.Request, error) {
	return s.core().SubjectRequests(ctx, subject)
}

// OpenRequests implements [rights.Store]. With a context marked by
// [WithReplica] it may read the replica.
func (s *Store) OpenRequests(ctx context.Context) ([]rights.Request, error) {
	return s.core().OpenRequests(ctx)
}
