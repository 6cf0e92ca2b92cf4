package pgstore

import (
	"context"
	"errors"
	"strings"

	"github.com/dossierwacht/dossierwacht/access"
	"github.com/dossierwacht/dossierwacht/examples/internal/sqladapter"
	"github.com/dossierwacht/dossierwacht/privacy"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// The access store (package access): the audit trail of audit.go, and the
// groups answered per employer (rule N12) in the table of migration 0006.

var _ access.Store = (*Store)(nil)

// accessQueries are the access store's statements beyond the audit trail's.
type accessQueries struct {
	groups, groupVersion, insertGroup string
}

func newAccessQueries(r *strings.Replacer) accessQueries {
	return accessQueries{
		groups:       r.Replace(`SELECT version, members FROM {schema}.access_groups WHERE employer = $1 ORDER BY version`),
		groupVersion: r.Replace(`SELECT coalesce(max(version), 0) FROM {schema}.access_groups WHERE employer = $1`),
		insertGroup:  r.Replace(`INSERT INTO {schema}.access_groups (employer, version, members) VALUES ($1, $2, $3::text[])`),
	}
}

// GroupHistory implements [access.Store]. It reads the primary: the guard
// decides on what it returns.
func (s *Store) GroupHistory(ctx context.Context, employer privacy.PartyID) (access.GroupHistory, error) {
	const op = "pgstore: group history"
	if err := sqladapter.CheckID(op, "employer", string(employer)); err != nil {
		return access.GroupHistory{}, err
	}
	rows, err := s.pool.Query(ctx, s.q.acc.groups, string(employer))
	if err != nil {
		return access.GroupHistory{}, fail(op, err, nil)
	}
	var h access.GroupHistory
	var version int64
	var members []string
	_, err = pgx.ForEachRow(rows, []any{&version, &members}, func() error {
		h.Version = uint64(version)
		h.Groups = append(h.Groups, sqladapter.Named[privacy.SubjectID](members))
		return nil
	})
	if err != nil {
		return access.GroupHistory{}, fail(op, err, nil)
	}
	return h, nil
}

// AddGroup implements [access.Store]: the group and its audit events in one
// transaction, if the employer's history is still at version (rule N12:
// the caller decided on it). Two stores that add a group at the same
// version both insert the row numbered version+1; the primary key lets one
// of them, and the other fails with privacy.ErrConflict.
func (s *Store) AddGroup(ctx context.Context, employer privacy.PartyID, version uint64, members []privacy.SubjectID, events ...privacy.Event) ([]privacy.Event, error) {
	const op = "pgstore: add group"
	if err := sqladapter.CheckID(op, "employer", string(employer)); err != nil {
		return nil, err
	}
	for _, m := range members {
		if err := sqladapter.CheckID(op, "members", string(m)); err != nil {
			return nil, err
		}
	}
	if err := checkEvents(op, events); err != nil {
		return nil, err
	}
	if version >= 1<<63-1 {
		return nil, &privacy.Error{Op: op, Kind: privacy.ErrInvalid, Path: "version", Msg: "out of range"}
	}
	stale := &privacy.Error{Op: op, Kind: privacy.ErrConflict, Rule: privacy.N12, Msg: "the group history changed"}
	var out []privacy.Event
	err := s.write(ctx, op, func(tx pgx.Tx) error {
		var cur int64
		if err := tx.QueryRow(ctx, s.q.acc.groupVersion, string(employer)).Scan(&cur); err != nil {
			return err
		}
		if uint64(cur) != version {
			return stale
		}
		_, err := s.exec(ctx, tx, op, s.q.acc.insertGroup, string(employer), int64(version)+1, sqladapter.Strings(members))
		var pg *pgconn.PgError
		if errors.As(err, &pg) && pg.Code == codeUniqueViolation {
			return stale
		}
		if err != nil {
			return err
		}
		out, err = s.appendEvents(ctx, tx, op, events)
		return err
	})
	if err != nil {
		return nil, err
	}
	if out == nil {
		out = []privacy.Event{}
	}
	return out, nil
}
