package sqlcore

import (
	"context"
	"errors"
	"time"

	"github.com/dossierwacht/dossierwacht/access"
	"github.com/dossierwacht/dossierwacht/consent"
	"github.com/dossierwacht/dossierwacht/examples/internal/sqladapter"
	"github.com/dossierwacht/dossierwacht/privacy"
)

// AddGrant implements consent.Store: the grant and its audit events in one
// transaction.
func (s Store) AddGrant(ctx context.Context, g consent.Grant, events []privacy.Event) error {
	op := s.op("add grant")
	if err := sqladapter.CheckGrant(op, g); err != nil {
		return err
	}
	if err := CheckEvents(op, events); err != nil {
		return err
	}
	return s.write(ctx, op, func(tx Conn) error {
		if _, err := s.Exec(ctx, tx, op, s.Q.InsertGrant, string(g.ID), string(g.Subject), string(g.Recipient.Party),
			string(g.Recipient.Kind), s.D.Names(sqladapter.Strings(g.Categories)), string(g.Purpose), string(g.Case),
			string(g.Form), g.Document, s.D.Time(g.Given), s.D.Time(g.From), s.D.Time(g.Until), s.D.Time(g.Revoked)); err != nil {
			return err
		}
		_, err := s.appendEvents(ctx, tx, op, events)
		return err
	})
}

// Grant implements consent.Store.
func (s Store) Grant(ctx context.Context, id consent.GrantID) (consent.Grant, error) {
	op := s.op("grant")
	if err := sqladapter.CheckID(op, "id", string(id)); err != nil {
		return consent.Grant{}, err
	}
	g, err := scanGrant(s.D, s.D.Reader(ctx, false).QueryRow(ctx, s.Q.Grant, string(id)))
	if err != nil {
		return consent.Grant{}, s.fail(op, err)
	}
	return g, nil
}

// SubjectGrants implements consent.Store. It is not a listing read: the
// registry decides on what it returns.
func (s Store) SubjectGrants(ctx context.Context, subject privacy.SubjectID) ([]consent.Grant, error) {
	op := s.op("subject grants")
	if err := sqladapter.CheckID(op, "subject", string(subject)); err != nil {
		return nil, err
	}
	rows, err := s.D.Reader(ctx, false).Query(ctx, s.Q.SubjectGrants, string(subject))
	gs, err := collect(rows, err, scanGrant, s.D)
	if err != nil {
		return nil, s.fail(op, err)
	}
	return gs, nil
}

// RevokeGrant implements consent.Store. It reads the grant's row for
// update first; a disclosure resting on it reads it shared until it
// commits, so the check that no disclosure at or after at rests on the
// grant sees every disclosure that read the grant before the revocation,
// and every later one reads the grant revoked.
func (s Store) RevokeGrant(ctx context.Context, id consent.GrantID, at time.Time, events []privacy.Event) (consent.Grant, error) {
	op := s.op("revoke grant")
	if err := sqladapter.CheckID(op, "id", string(id)); err != nil {
		return consent.Grant{}, err
	}
	if err := sqladapter.CheckTime(op, "at", at); err != nil {
		return consent.Grant{}, err
	}
	if at.IsZero() {
		return consent.Grant{}, &privacy.Error{Op: op, Kind: privacy.ErrInvalid, Path: "at", Msg: "missing"}
	}
	if err := CheckEvents(op, events); err != nil {
		return consent.Grant{}, err
	}
	var g consent.Grant
	err := s.write(ctx, op, func(tx Conn) error {
		var err error
		if g, err = scanGrant(s.D, tx.QueryRow(ctx, s.Q.LockGrant, string(id))); err != nil {
			return err
		}
		if !g.Revoked.IsZero() {
			return &privacy.Error{Op: op, Kind: privacy.ErrConflict, Msg: "the grant is revoked already"}
		}
		var did string
		switch err := tx.QueryRow(ctx, s.Q.RestsOnGrant, string(g.Subject), s.D.Time(at), string(id)).Scan(&did); {
		case err == nil:
			// Rule R6: a revocation never rewrites what was disclosed
			// before it.
			return &privacy.Error{Op: op, Kind: privacy.ErrConflict, Rule: privacy.R6,
				Msg: "disclosure " + did + " at or after this time rests on the grant"}
		case !noRows(err):
			return err
		}
		if _, err := s.Exec(ctx, tx, op, s.Q.RevokeGrant, s.D.Time(at), string(id)); err != nil {
			return err
		}
		_, err = s.appendEvents(ctx, tx, op, events)
		return err
	})
	if err != nil {
		return consent.Grant{}, err
	}
	g.Revoked = privacy.Timestamp(at)
	return g, nil
}

// AddCoverage implements consent.Store: the coverage and its audit events
// in one transaction.
func (s Store) AddCoverage(ctx context.Context, c consent.Coverage, events []privacy.Event) error {
	op := s.op("add coverage")
	if err := sqladapter.CheckCoverage(op, c); err != nil {
		return err
	}
	if err := CheckEvents(op, events); err != nil {
		return err
	}
	return s.write(ctx, op, func(tx Conn) error {
		if _, err := s.Exec(ctx, tx, op, s.Q.InsertCoverage, string(c.ID), string(c.Insurer), string(c.Employer),
			s.D.Time(c.From), s.D.Time(c.Until)); err != nil {
			return err
		}
		_, err := s.appendEvents(ctx, tx, op, events)
		return err
	})
}

// Coverage implements consent.Store.
func (s Store) Coverage(ctx context.Context, id consent.CoverageID) (consent.Coverage, error) {
	op := s.op("coverage")
	if err := sqladapter.CheckID(op, "id", string(id)); err != nil {
		return consent.Coverage{}, err
	}
	c, err := scanCoverage(s.D, s.D.Reader(ctx, false).QueryRow(ctx, s.Q.Coverage, string(id)))
	if err != nil {
		return consent.Coverage{}, s.fail(op, err)
	}
	return c, nil
}

// EmployerCoverage implements consent.Store. It is not a listing read: the
// registry decides on what it returns.
func (s Store) EmployerCoverage(ctx context.Context, employer privacy.PartyID) ([]consent.Coverage, error) {
	op := s.op("employer coverage")
	if err := sqladapter.CheckID(op, "employer", string(employer)); err != nil {
		return nil, err
	}
	rows, err := s.D.Reader(ctx, false).Query(ctx, s.Q.EmployerCoverage, string(employer))
	cs, err := collect(rows, err, scanCoverage, s.D)
	if err != nil {
		return nil, s.fail(op, err)
	}
	return cs, nil
}

// EndCoverage implements consent.Store. It reads the coverage's row for
// update first; a disclosure resting on it reads it shared until it
// commits, so the check that no overview at or after at rests on the
// coverage sees every disclosure that read it before the end, and every
// later one reads it ended.
func (s Store) EndCoverage(ctx context.Context, id consent.CoverageID, at time.Time, events []privacy.Event) (consent.Coverage, error) {
	op := s.op("end coverage")
	if err := sqladapter.CheckID(op, "id", string(id)); err != nil {
		return consent.Coverage{}, err
	}
	if err := sqladapter.CheckTime(op, "at", at); err != nil {
		return consent.Coverage{}, err
	}
	if at.IsZero() {
		return consent.Coverage{}, &privacy.Error{Op: op, Kind: privacy.ErrInvalid, Path: "at", Msg: "missing"}
	}
	if err := CheckEvents(op, events); err != nil {
		return consent.Coverage{}, err
	}
	var c consent.Coverage
	err := s.write(ctx, op, func(tx Conn) error {
		var err error
		if c, err = scanCoverage(s.D, tx.QueryRow(ctx, s.Q.LockCoverage, string(id))); err != nil {
			return err
		}
		if !c.Until.IsZero() && !c.Until.After(at) {
			return &privacy.Error{Op: op, Kind: privacy.ErrConflict, Msg: "the coverage ends by then already"}
		}
		var did string
		switch err := tx.QueryRow(ctx, s.Q.RestsOnCoverage, string(id), s.D.Time(at)).Scan(&did); {
		case err == nil:
			// Rule O11: an end never rewrites what was disclosed before it.
			return &privacy.Error{Op: op, Kind: privacy.ErrConflict, Rule: privacy.O11,
				Msg: "disclosure " + did + " at or after this time rests on the coverage"}
		case !noRows(err):
			return err
		}
		if _, err := s.Exec(ctx, tx, op, s.Q.EndCoverage, s.D.Time(at), string(id)); err != nil {
			return err
		}
		_, err = s.appendEvents(ctx, tx, op, events)
		return err
	})
	if err != nil {
		return consent.Coverage{}, err
	}
	c.Until = privacy.Timestamp(at)
	return c, nil
}

// Disclose implements consent.Store: one write transaction reads the
// subject's grants and, for an employer, its coverage, shared (see
// RevokeGrant and EndCoverage), calls decide once and records its
// verdict.
func (s Store) Disclose(ctx context.Context, subject privacy.SubjectID, employer privacy.PartyID,
	decide func([]consent.Grant, []consent.Coverage) consent.Verdict) error {
	op := s.op("disclose")
	if err := sqladapter.CheckID(op, "subject", string(subject)); err != nil {
		return err
	}
	if employer != "" {
		if err := sqladapter.CheckID(op, "employer", string(employer)); err != nil {
			return err
		}
	}
	return s.write(ctx, op, func(tx Conn) error {
		rows, err := tx.Query(ctx, s.Q.LockSubjectGrants, string(subject))
		grants, err := collect(rows, err, scanGrant, s.D)
		if err != nil {
			return err
		}
		var cover []consent.Coverage
		if employer != "" {
			rows, err := tx.Query(ctx, s.Q.LockEmployerCoverage, string(employer))
			if cover, err = collect(rows, err, scanCoverage, s.D); err != nil {
				return err
			}
		}
		v := decide(grants, cover)
		if err := CheckEvents(op, v.Events); err != nil {
			return err
		}
		if d := v.Disclosure; d != nil {
			if d.Subject != subject {
				return &privacy.Error{Op: op, Kind: privacy.ErrInvalid, Path: "subject", Msg: "the disclosure is of another subject"}
			}
			if err := sqladapter.CheckDisclosure(op, *d); err != nil {
				return err
			}
			items, err := sqladapter.EncodeItems(op, d.Items)
			if err != nil {
				return err
			}
			if _, err := s.Exec(ctx, tx, op, s.Q.InsertDisclosure, string(d.ID), string(d.Subject), string(d.Case),
				string(d.Recipient.Party), string(d.Recipient.Kind), string(items), string(d.Purpose), s.D.Time(d.At),
				string(d.By), string(d.Role), string(d.Rule), string(d.Basis), string(d.LegalBasis),
				s.D.Names(sqladapter.Strings(d.Grants)), d.NotifySubject, d.Policy, d.WrittenRequest,
				string(d.Coverage)); err != nil {
				return err
			}
		}
		_, err = s.appendEvents(ctx, tx, op, v.Events)
		return err
	})
}

// SubjectDisclosures implements consent.Store.
func (s Store) SubjectDisclosures(ctx context.Context, subject privacy.SubjectID) ([]consent.Disclosure, error) {
	op := s.op("subject disclosures")
	if err := sqladapter.CheckID(op, "subject", string(subject)); err != nil {
		return nil, err
	}
	rows, err := s.D.Reader(ctx, false).Query(ctx, s.Q.SubjectDisclosures, string(subject))
	out, err := collect(rows, err, scanDisclosure, s.D)
	if err != nil {
		return nil, s.fail(op, err)
	}
	return out, nil
}

// GroupHistory implements access.Store. It is not a listing read: the
// guard decides on what it returns.
func (s Store) GroupHistory(ctx context.Context, employer privacy.PartyID) (access.GroupHistory, error) {
	op := s.op("group history")
	if err := sqladapter.CheckID(op, "employer", string(employer)); err != nil {
		return access.GroupHistory{}, err
	}
	var h access.GroupHistory
	rows, err := s.D.Reader(ctx, false).Query(ctx, s.Q.Groups, string(employer))
	err = each(rows, err, func(row Row) error {
		var version int64
		var members []string
		if err := row.Scan(&version, s.D.ScanList(&members)); err != nil {
			return err
		}
		h.Version = uint64(version)
		h.Groups = append(h.Groups, sqladapter.Named[privacy.SubjectID](members))
		return nil
	})
	if err != nil {
		return access.GroupHistory{}, s.fail(op, err)
	}
	return h, nil
}

// AddGroup implements access.Store: the group and its audit events in one
// transaction, if the employer's history is still at version (rule N12:
// the caller decided on it). Two stores that add a group at the same
// version both insert the row numbered version+1; the primary key lets
// one of them, and the other fails with privacy.ErrConflict.
func (s Store) AddGroup(ctx context.Context, employer privacy.PartyID, version uint64, members []privacy.SubjectID,
	events []privacy.Event) ([]privacy.Event, error) {
	op := s.op("add group")
	if err := sqladapter.CheckID(op, "employer", string(employer)); err != nil {
		return nil, err
	}
	for _, m := range members {
		if err := sqladapter.CheckID(op, "members", string(m)); err != nil {
			return nil, err
		}
	}
	if err := CheckEvents(op, events); err != nil {
		return nil, err
	}
	if version >= 1<<63-1 {
		return nil, &privacy.Error{Op: op, Kind: privacy.ErrInvalid, Path: "version", Msg: "out of range"}
	}
	stale := &privacy.Error{Op: op, Kind: privacy.ErrConflict, Rule: privacy.N12, Msg: "the group history changed"}
	var out []privacy.Event
	err := s.write(ctx, op, func(tx Conn) error {
		// Rule N12: every member is a stored subject, its row kept until
		// the group commits. A subject erased after the caller decided
		// on it would otherwise enter the history after its forgetting
		// (forgetInGroups) had run, and stay there for ever.
		found := map[string]bool{}
		rows, err := tx.Query(ctx, s.Q.GroupMembers, s.D.IDs(sqladapter.Strings(members)))
		err = each(rows, err, func(row Row) error {
			var id string
			err := row.Scan(&id)
			found[id] = true
			return err
		})
		if err != nil {
			return err
		}
		for _, m := range members {
			if !found[string(m)] {
				return &privacy.Error{Op: op, Kind: privacy.ErrNotFound, Rule: privacy.N12, Path: "members", Msg: "a member is not a subject"}
			}
		}
		if q := s.Q.LockGroupHistory; q != "" {
			if _, err := tx.Exec(ctx, q, string(employer)); err != nil {
				return err
			}
		}
		var cur int64
		if err := tx.QueryRow(ctx, s.Q.GroupVersion, string(employer)).Scan(&cur); err != nil {
			return err
		}
		if uint64(cur) != version {
			return stale
		}
		_, err = s.Exec(ctx, tx, op, s.Q.InsertGroup, string(employer), int64(version)+1,
			s.D.Names(sqladapter.Strings(members)))
		if err != nil && errors.Is(s.fail(op, err), privacy.ErrExists) {
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
	return out, nil
}
