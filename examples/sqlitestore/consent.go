package sqlitestore

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/dossierwacht/dossierwacht/consent"
	"github.com/dossierwacht/dossierwacht/examples/internal/sqladapter"
	"github.com/dossierwacht/dossierwacht/privacy"
)

// The consent store (package consent): grants and the disclosure log, in
// the tables of migration 0004; the coverage register, the written request
// and the coverage of a disclosure, in migration 0007. Cases and records
// are read as [privacy.Store] reads them.

var _ consent.Store = (*Store)(nil)

const grantColumns = `id, subject_id, recipient_party, recipient_kind, categories, purpose, case_id, form, document,
	given, valid_from, valid_until, revoked`

const disclosureColumns = `id, subject_id, case_id, recipient_party, recipient_kind, items, purpose, at, by_principal,
	role, rule, basis, legal_basis, grants, notify_subject, policy, written_request, coverage_id`

const coverageColumns = `id, insurer, employer, valid_from, valid_until`

const (
	qInsertGrant   = `INSERT INTO consent_grants (` + grantColumns + `) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`
	qGrant         = `SELECT ` + grantColumns + ` FROM consent_grants WHERE id = ?`
	qSubjectGrants = `SELECT ` + grantColumns + ` FROM consent_grants WHERE subject_id = ? ORDER BY given, id`
	qRevokeGrant   = `UPDATE consent_grants SET revoked = ? WHERE id = ? AND revoked IS NULL`
	// The first disclosure of the subject at or after a time that rests
	// on a grant: the index finds the subject's disclosures from that
	// time on, and only those are searched for the grant.
	qRestsOnGrant = `SELECT d.id FROM disclosures AS d WHERE d.subject_id = ? AND d.at >= ?
	AND EXISTS (SELECT 1 FROM json_each(d.grants) AS g WHERE g.value = ?) ORDER BY d.at, d.id LIMIT 1`
	qInsertDisclosure   = `INSERT INTO disclosures (` + disclosureColumns + `) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`
	qSubjectDisclosures = `SELECT ` + disclosureColumns + ` FROM disclosures WHERE subject_id = ? ORDER BY at, id`

	qInsertCoverage   = `INSERT INTO consent_coverage (` + coverageColumns + `) VALUES (?, ?, ?, ?, ?)`
	qCoverage         = `SELECT ` + coverageColumns + ` FROM consent_coverage WHERE id = ?`
	qEmployerCoverage = `SELECT ` + coverageColumns + ` FROM consent_coverage WHERE employer = ? ORDER BY valid_from, id`
	qEndCoverage      = `UPDATE consent_coverage SET valid_until = ? WHERE id = ?`
	// The first disclosure at or after a time that rests on a coverage.
	qRestsOnCoverage = `SELECT id FROM disclosures WHERE coverage_id = ? AND coverage_id <> '' AND at >= ? ORDER BY at, id LIMIT 1`
)

func scanGrant(row scanner) (consent.Grant, error) {
	var g consent.Grant
	var cats string
	var given, from, until, revoked sql.NullInt64
	if err := row.Scan(&g.ID, &g.Subject, &g.Recipient.Party, &g.Recipient.Kind, &cats, &g.Purpose, &g.Case, &g.Form,
		&g.Document, &given, &from, &until, &revoked); err != nil {
		return consent.Grant{}, err
	}
	var err error
	if g.Categories, err = sqladapter.DecodeStrings[privacy.Category](cats); err != nil {
		return consent.Grant{}, err
	}
	g.Given, g.From, g.Until, g.Revoked = timeOf(given), timeOf(from), timeOf(until), timeOf(revoked)
	return g, nil
}

// checkEvents checks the audit events an operation appends.
func checkEvents(op string, events []privacy.Event) error {
	for _, e := range events {
		if err := sqladapter.CheckEvent(op, e); err != nil {
			return err
		}
	}
	return nil
}

// AddGrant implements [consent.Store]: the grant and its audit events in
// one transaction.
func (s *Store) AddGrant(ctx context.Context, g consent.Grant, events []privacy.Event) error {
	const op = "sqlitestore: add grant"
	if err := sqladapter.CheckGrant(op, g); err != nil {
		return err
	}
	if err := checkEvents(op, events); err != nil {
		return err
	}
	return s.write(ctx, op, func(tx *sql.Tx) error {
		if _, err := s.exec(ctx, tx, op, qInsertGrant, g.ID, g.Subject, g.Recipient.Party, g.Recipient.Kind,
			sqladapter.EncodeStrings(g.Categories), g.Purpose, g.Case, g.Form, g.Document,
			micros(g.Given), micros(g.From), micros(g.Until), micros(g.Revoked)); err != nil {
			return err
		}
		_, err := s.appendEvents(ctx, tx, op, events)
		return err
	})
}

// Grant implements [consent.Store].
func (s *Store) Grant(ctx context.Context, id consent.GrantID) (consent.Grant, error) {
	const op = "sqlitestore: grant"
	if err := sqladapter.CheckID(op, "id", string(id)); err != nil {
		return consent.Grant{}, err
	}
	g, err := scanGrant(s.r.QueryRowContext(ctx, qGrant, id))
	if err != nil {
		return consent.Grant{}, s.fail(op, err, nil)
	}
	return g, nil
}

// SubjectGrants implements [consent.Store].
func (s *Store) SubjectGrants(ctx context.Context, subject privacy.SubjectID) ([]consent.Grant, error) {
	const op = "sqlitestore: subject grants"
	if err := sqladapter.CheckID(op, "subject", string(subject)); err != nil {
		return nil, err
	}
	gs, err := subjectGrants(ctx, s.r, subject)
	if err != nil {
		return nil, s.fail(op, err, nil)
	}
	return gs, nil
}

// querier is a connection pool or a transaction.
type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

func subjectGrants(ctx context.Context, db querier, subject privacy.SubjectID) ([]consent.Grant, error) {
	rows, err := db.QueryContext(ctx, qSubjectGrants, subject)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []consent.Grant{}
	for rows.Next() {
		g, err := scanGrant(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, g)
	}
	return out, rows.Err()
}

// RevokeGrant implements [consent.Store]. It runs in a write transaction,
// and the file has one writer at a time: no disclosure can be logged
// between the check that none rests on the grant at or after at and the
// revocation.
func (s *Store) RevokeGrant(ctx context.Context, id consent.GrantID, at time.Time, events []privacy.Event) (consent.Grant, error) {
	const op = "sqlitestore: revoke grant"
	if err := sqladapter.CheckID(op, "id", string(id)); err != nil {
		return consent.Grant{}, err
	}
	if err := sqladapter.CheckTime(op, "at", at); err != nil {
		return consent.Grant{}, err
	}
	if at.IsZero() {
		return consent.Grant{}, &privacy.Error{Op: op, Kind: privacy.ErrInvalid, Path: "at", Msg: "missing"}
	}
	if err := checkEvents(op, events); err != nil {
		return consent.Grant{}, err
	}
	var g consent.Grant
	err := s.write(ctx, op, func(tx *sql.Tx) error {
		var err error
		if g, err = scanGrant(tx.QueryRowContext(ctx, qGrant, id)); err != nil {
			return err
		}
		if !g.Revoked.IsZero() {
			return &privacy.Error{Op: op, Kind: privacy.ErrConflict, Msg: "the grant is revoked already"}
		}
		var did string
		switch err := tx.QueryRowContext(ctx, qRestsOnGrant, g.Subject, micros(at), id).Scan(&did); {
		case err == nil:
			// Rule R6: a revocation never rewrites what was disclosed
			// before it.
			return &privacy.Error{Op: op, Kind: privacy.ErrConflict, Rule: privacy.R6,
				Msg: "disclosure " + did + " at or after this time rests on the grant"}
		case !errors.Is(err, sql.ErrNoRows):
			return err
		}
		if _, err := s.exec(ctx, tx, op, qRevokeGrant, micros(at), id); err != nil {
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

func scanCoverage(row scanner) (consent.Coverage, error) {
	var c consent.Coverage
	var from, until sql.NullInt64
	if err := row.Scan(&c.ID, &c.Insurer, &c.Employer, &from, &until); err != nil {
		return consent.Coverage{}, err
	}
	c.From, c.Until = timeOf(from), timeOf(until)
	return c, nil
}

// AddCoverage implements [consent.Store]: the coverage and its audit
// events in one transaction.
func (s *Store) AddCoverage(ctx context.Context, c consent.Coverage, events []privacy.Event) error {
	const op = "sqlitestore: add coverage"
	if err := sqladapter.CheckCoverage(op, c); err != nil {
		return err
	}
	if err := checkEvents(op, events); err != nil {
		return err
	}
	return s.write(ctx, op, func(tx *sql.Tx) error {
		if _, err := s.exec(ctx, tx, op, qInsertCoverage, c.ID, c.Insurer, c.Employer, micros(c.From), micros(c.Until)); err != nil {
			return err
		}
		_, err := s.appendEvents(ctx, tx, op, events)
		return err
	})
}

// Coverage implements [consent.Store].
func (s *Store) Coverage(ctx context.Context, id consent.CoverageID) (consent.Coverage, error) {
	const op = "sqlitestore: coverage"
	if err := sqladapter.CheckID(op, "id", string(id)); err != nil {
		return consent.Coverage{}, err
	}
	c, err := scanCoverage(s.r.QueryRowContext(ctx, qCoverage, id))
	if err != nil {
		return consent.Coverage{}, s.fail(op, err, nil)
	}
	return c, nil
}

// EmployerCoverage implements [consent.Store].
func (s *Store) EmployerCoverage(ctx context.Context, employer privacy.PartyID) ([]consent.Coverage, error) {
	const op = "sqlitestore: employer coverage"
	if err := sqladapter.CheckID(op, "employer", string(employer)); err != nil {
		return nil, err
	}
	cs, err := employerCoverage(ctx, s.r, employer)
	if err != nil {
		return nil, s.fail(op, err, nil)
	}
	return cs, nil
}

func employerCoverage(ctx context.Context, db querier, employer privacy.PartyID) ([]consent.Coverage, error) {
	rows, err := db.QueryContext(ctx, qEmployerCoverage, employer)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []consent.Coverage{}
	for rows.Next() {
		c, err := scanCoverage(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// EndCoverage implements [consent.Store]. It runs in a write transaction,
// and the file has one writer at a time: no overview can be logged
// between the check that none rests on the coverage at or after at and
// the end.
func (s *Store) EndCoverage(ctx context.Context, id consent.CoverageID, at time.Time, events []privacy.Event) (consent.Coverage, error) {
	const op = "sqlitestore: end coverage"
	if err := sqladapter.CheckID(op, "id", string(id)); err != nil {
		return consent.Coverage{}, err
	}
	if err := sqladapter.CheckTime(op, "at", at); err != nil {
		return consent.Coverage{}, err
	}
	if at.IsZero() {
		return consent.Coverage{}, &privacy.Error{Op: op, Kind: privacy.ErrInvalid, Path: "at", Msg: "missing"}
	}
	if err := checkEvents(op, events); err != nil {
		return consent.Coverage{}, err
	}
	var c consent.Coverage
	err := s.write(ctx, op, func(tx *sql.Tx) error {
		var err error
		if c, err = scanCoverage(tx.QueryRowContext(ctx, qCoverage, id)); err != nil {
			return err
		}
		if !c.Until.IsZero() && !c.Until.After(at) {
			return &privacy.Error{Op: op, Kind: privacy.ErrConflict, Msg: "the coverage ends by then already"}
		}
		var did string
		switch err := tx.QueryRowContext(ctx, qRestsOnCoverage, id, micros(at)).Scan(&did); {
		case err == nil:
			// Rule O11: an end never rewrites what was disclosed before it.
			return &privacy.Error{Op: op, Kind: privacy.ErrConflict, Rule: privacy.O11,
				Msg: "disclosure " + did + " at or after this time rests on the coverage"}
		case !errors.Is(err, sql.ErrNoRows):
			return err
		}
		if _, err := s.exec(ctx, tx, op, qEndCoverage, micros(at), id); err != nil {
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

// Disclose implements [consent.Store]: one write transaction reads the
// subject's grants and, for an employer, its coverage, calls decide and
// records its verdict. The file has one writer at a time (one writer
// connection, BEGIN IMMEDIATE), so a revocation of one of the grants, or
// the end of a coverage, runs wholly before or wholly after it.
func (s *Store) Disclose(ctx context.Context, subject privacy.SubjectID, employer privacy.PartyID,
	decide func([]consent.Grant, []consent.Coverage) consent.Verdict) error {
	const op = "sqlitestore: disclose"
	if err := sqladapter.CheckID(op, "subject", string(subject)); err != nil {
		return err
	}
	if employer != "" {
		if err := sqladapter.CheckID(op, "employer", string(employer)); err != nil {
			return err
		}
	}
	return s.write(ctx, op, func(tx *sql.Tx) error {
		grants, err := subjectGrants(ctx, tx, subject)
		if err != nil {
			return err
		}
		var cover []consent.Coverage
		if employer != "" {
			if cover, err = employerCoverage(ctx, tx, employer); err != nil {
				return err
			}
		}
		v := decide(grants, cover)
		if err := checkEvents(op, v.Events); err != nil {
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
			if _, err := s.exec(ctx, tx, op, qInsertDisclosure, d.ID, d.Subject, d.Case, d.Recipient.Party,
				d.Recipient.Kind, string(items), d.Purpose, micros(d.At), d.By, d.Role, d.Rule, d.Basis, d.LegalBasis,
				sqladapter.EncodeStrings(d.Grants), d.NotifySubject, d.Policy, d.WrittenRequest, d.Coverage); err != nil {
				return err
			}
		}
		_, err = s.appendEvents(ctx, tx, op, v.Events)
		return err
	})
}

// SubjectDisclosures implements [consent.Store].
func (s *Store) SubjectDisclosures(ctx context.Context, subject privacy.SubjectID) ([]consent.Disclosure, error) {
	const op = "sqlitestore: subject disclosures"
	if err := sqladapter.CheckID(op, "subject", string(subject)); err != nil {
		return nil, err
	}
	rows, err := s.r.QueryContext(ctx, qSubjectDisclosures, subject)
	if err != nil {
		return nil, s.fail(op, err, nil)
	}
	defer rows.Close()
	out := []consent.Disclosure{}
	for rows.Next() {
		var d consent.Disclosure
		var items, grants string
		var at sql.NullInt64
		if err := rows.Scan(&d.ID, &d.Subject, &d.Case, &d.Recipient.Party, &d.Recipient.Kind, &items, &d.Purpose, &at,
			&d.By, &d.Role, &d.Rule, &d.Basis, &d.LegalBasis, &grants, &d.NotifySubject, &d.Policy, &d.WrittenRequest,
			&d.Coverage); err != nil {
			return nil, s.fail(op, err, nil)
		}
		d.At = timeOf(at)
		if d.Items, err = sqladapter.DecodeItems([]byte(items)); err != nil {
			return nil, s.fail(op, err, nil)
		}
		if d.Grants, err = sqladapter.DecodeStrings[consent.GrantID](grants); err != nil {
			return nil, s.fail(op, err, nil)
		}
		out = append(out, d)
	}
	if err := rows.Err(); err != nil {
		return nil, s.fail(op, err, nil)
	}
	return out, nil
}
