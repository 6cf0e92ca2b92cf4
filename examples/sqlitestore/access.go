package sqlitestore

import (
	"context"

	"github.com/dossierwacht/dossierwacht/access"
	"github.com/dossierwacht/dossierwacht/privacy"
)

// The access store (package access): the audit trail of audit.go, and the
// groups answered per employer (rule N12) in the table of migration 0006.

var _ access.Store = (*Store)(nil)

// GroupHistory implements [access.Store].
func (s *Store) GroupHistory(ctx context.Context, employer privacy.PartyID) (access.GroupHistory, error) {
	return s.core().GroupHistory(ctx, employer)
}

// AddGroup implements [access.Store]: the group and its audit events in one
// write transaction, if the employer's history is still at version (rule
// N12: the caller decided on it).
func (s *Store) AddGroup(ctx context.Context, employer privacy.PartyID, version uint64, members []privacy.SubjectID, events ...privacy.Event) ([]privacy.Event, error) {
	return s.core().AddGroup(ctx, employer, version, members, events)
}
