package pgstore

import (
	"context"
	"strings"

	"github.com/dossierwacht/dossierwacht/access"
	"github.com/dossierwacht/dossierwacht/examples/internal/sqlcore"
	"github.com/dossierwacht/dossierwacht/privacy"
)

// The access store (package access): the audit trail of audit.go, and the
// groups answered per employer (rule N12) in the table of migration 0006.

var _ access.Store = (*Store)(nil)

// accessQueries are the access store's statements beyond the audit trail's.
type accessQueries struct {
	groups, groupVersion, insertGroup, groupMembers, lockGroupHistory string
	// forgetInGroups takes an erased subject out of the group histories
	// (rules N12, R9, O12) by migration 0062's function: the roles may
	// only add groups to the table, never rewrite one.
	forgetInGroups string
}

func newAccessQueries(r *strings.Replacer) accessQueries {
	return accessQueries{
		groups:       r.Replace(sqlcore.SQLGroups),
		groupVersion: r.Replace(sqlcore.SQLGroupVersion),
		// FOR KEY SHARE: an erasure's FOR UPDATE of the subject's row
		// waits for the group, or the group for the erasure (rule N12).
		// Migration 0071's lock, the one forget_in_groups takes.
		lockGroupHistory: r.Replace(`SELECT pg_advisory_xact_lock({groupslock32}, hashtext($1))`),
		groupMembers:     r.Replace(`SELECT id FROM {schema}.subjects WHERE id = ANY ($1::text[]) ORDER BY id FOR KEY SHARE`),
		insertGroup:      r.Replace(`INSERT INTO {schema}.access_groups (employer, version, members) VALUES ($1, $2, $3::text[])`),
		forgetInGroups:   r.Replace(`SELECT {schema}.forget_in_groups($1, $2)`),
	}
}

// GroupHistory implements [access.Store]. It reads the primary: the guard
// decides on what it returns.
func (s *Store) GroupHistory(ctx context.Context, employer privacy.PartyID) (access.GroupHistory, error) {
	return s.core().GroupHistory(ctx, employer)
}

// AddGroup implements [access.Store]: the group and its audit events in one
// transaction, if the employer's history is still at version (rule N12:
// the caller decided on it). Two stores that add a group at the same
// version both insert the row numbered version+1; the primary key lets one
// of them, and the other fails with privacy.ErrConflict.
func (s *Store) AddGroup(ctx context.Context, employer privacy.PartyID, version uint64, members []privacy.SubjectID, events ...privacy.Event) ([]privacy.Event, error) {
	return s.core().AddGroup(ctx, employer, version, members, events)
}
