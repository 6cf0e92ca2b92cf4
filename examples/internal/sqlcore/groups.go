package sqlcore

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"slices"

	"github.com/dossierwacht/dossierwacht/privacy"
)

// The statements that take a subject out of the group histories where the
// dialect runs them itself ([Queries].ForgetInGroups empty): SQLite's.
const (
	// SQLGroupsWith (subject: employer, version, members) are the
	// answered groups the subject is in, by employer and version.
	SQLGroupsWith = `SELECT employer, version, members FROM {schema}.access_groups
	WHERE EXISTS (SELECT 1 FROM json_each(members) WHERE value = $1) ORDER BY employer, version`
	// SQLShiftGroups (shift, employer) renumbers an employer's groups past
	// the latest version: a new version of the history, in order.
	SQLShiftGroups = `UPDATE {schema}.access_groups SET version = version + $1 WHERE employer = $2`
	// SQLGroupLow (employer: version) is the earliest version of an
	// employer's history, 0 for none.
	SQLGroupLow = `SELECT coalesce(min(version), 0) FROM {schema}.access_groups WHERE employer = $1`
	// SQLSetGroupMembers (members, employer, version).
	SQLSetGroupMembers = `UPDATE {schema}.access_groups SET members = $1 WHERE employer = $2 AND version = $3`
)

// erasedToken is the random token that stands in for an erased subject in
// the group histories: it names no one, and is unguessable, so that it
// cannot be linked back.
func erasedToken() privacy.SubjectID {
	var b [16]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails
	return privacy.SubjectID("erased-" + hex.EncodeToString(b[:]))
}

// forgetInGroups replaces the subject id, whose row is gone, in every
// employer's group history (privacy.DataGroups) by one random token,
// inside tx (rules N12, R9, O12: an erased subject's ID is not kept for
// ever in what employers were told). The same token in every group keeps
// the cells of rule N12 as they were, so that no later group can single
// the erased person out by difference with the figures answered before;
// each changed history gets a new version, so that a group decided on the
// old one is refused as stale (AddGroup). As memstore does.
func (s Store) forgetInGroups(ctx context.Context, tx Conn, op string, id privacy.SubjectID) error {
	token := erasedToken()
	if s.Q.ForgetInGroups != "" {
		_, err := s.Exec(ctx, tx, op, s.Q.ForgetInGroups, string(id), string(token))
		return err
	}
	type group struct {
		employer string
		version  int64
		members  []string
	}
	var gs []group
	rows, err := tx.Query(ctx, s.Q.GroupsWith, string(id))
	err = each(rows, err, func(row Row) error {
		var g group
		err := row.Scan(&g.employer, &g.version, s.D.ScanList(&g.members))
		gs = append(gs, g)
		return err
	})
	if err != nil {
		return err
	}
	shift := map[string]int64{}
	for _, g := range gs {
		if _, ok := shift[g.employer]; ok {
			continue
		}
		var top, low int64
		if err := tx.QueryRow(ctx, s.Q.GroupVersion, g.employer).Scan(&top); err != nil {
			return err
		}
		if err := tx.QueryRow(ctx, s.Q.GroupLow, g.employer).Scan(&low); err != nil {
			return err
		}
		// Every new number is past the latest: none collides on the way.
		// Rules N12, R9: the versions are consecutive (AddGroup adds the
		// next, a shift moves them all alike), so their span moves them
		// past the latest; shifted by the latest, as before, they doubled
		// with each erased member and ran out of range after some 60 of
		// one employer, and then no member could be erased or deleted.
		shift[g.employer] = top - low + 1
		if _, err := s.Exec(ctx, tx, op, s.Q.ShiftGroups, shift[g.employer], g.employer); err != nil {
			return err
		}
	}
	for _, g := range gs {
		ms := slices.Clone(g.members)
		for i := range ms {
			if ms[i] == string(id) {
				ms[i] = string(token)
			}
		}
		slices.Sort(ms)
		if _, err := s.Exec(ctx, tx, op, s.Q.SetGroupMembers, s.D.Names(ms), g.employer, g.version+shift[g.employer]); err != nil {
			return err
		}
	}
	return nil
}
