package sqlitestore

import (
	"context"
	"database/sql"

	"github.com/dossierwacht/dossierwacht/access"
	"github.com/dossierwacht/dossierwacht/examples/internal/sqladapter"
	"github.com/dossierwacht/dossierwacht/privacy"
)

// The access store (package access): the audit trail of audit.go, and the
// groups answered per employer (rule N12) in the table of migration 0006.

var _ access.Store = (*Store)(nil)

const (
	qGroups       = `SELECT version, members FROM access_groups WHERE employer = ? ORDER BY version`
	qGroupVersion = `SELECT coalesce(max(version), 0) FROM access_groups WHERE employer = ?`
	qInsertGroup  = `INSERT INTO access_groups (employer, version, members) VALUES (?, ?, ?)`
)

// GroupHistory implements [access.Store].
func (s *Store) GroupHistory(ctx context.Context, employer privacy.PartyID) (access.GroupHistory, error) {
	const op = "sqlitestore: group history"
	if err := sqladapter.CheckID(op, "employer", string(employer)); err != nil {
		return access.GroupHistory{}, err
	}
	rows, err := s.r.QueryContext(ctx, qGroups, employer)
	if err != nil {
		return access.GroupHistory{}, s.fail(op, err, nil)
	}
	defer rows.Close()
	var h access.GroupHistory
	for rows.Next() {
		var members string
		if err := rows.Scan(&h.Version, &members); err != nil {
			return access.GroupHistory{}, s.fail(op, err, nil)
		}
		m, err := sqladapter.DecodeStrings[privacy.SubjectID](members)
		if err != nil {
			return access.GroupHistory{}, s.fail(op, err, nil)
		}
		h.Groups = append(h.Groups, m)
	}
	if err := rows.Err(); err != nil {
		return access.GroupHistory{}, s.fail(op, err, nil)
	}
	return h, nil
}

// AddGroup implements [access.Store]: the group and its audit events in one
// write transaction, if the employer's history is still at version (rule
// N12: the caller decided on it).
func (s *Store) AddGroup(ctx context.Context, employer privacy.PartyID, version uint64, members []privacy.SubjectID, events ...privacy.Event) ([]privacy.Event, error) {
	const op = "sqlitestore: add group"
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
	var out []privacy.Event
	err := s.write(ctx, op, func(tx *sql.Tx) error {
		var cur int64
		if err := tx.QueryRowContext(ctx, qGroupVersion, employer).Scan(&cur); err != nil {
			return err
		}
		if uint64(cur) != version {
			return &privacy.Error{Op: op, Kind: privacy.ErrConflict, Rule: privacy.N12, Msg: "the group history changed"}
		}
		if _, err := s.exec(ctx, tx, op, qInsertGroup, employer, int64(version)+1, sqladapter.EncodeStrings(members)); err != nil {
			return err
		}
		var err error
		out, err = s.appendEvents(ctx, tx, op, events)
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}
