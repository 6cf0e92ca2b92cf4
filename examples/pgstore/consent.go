package pgstore

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/dossierwacht/dossierwacht/consent"
	"github.com/dossierwacht/dossierwacht/examples/internal/sqladapter"
	"github.com/dossierwacht/dossierwacht/privacy"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"
)

// The consent store (package consent): grants and the disclosure log, in
// the tables of migration 0004; the coverage register, the written request
// and the coverage of a disclosure, in migration 0009. Cases and records
// are read as [privacy.Store] reads them.

var _ consent.Store = (*Store)(nil)

// consentQueries are the consent store's statements.
type consentQueries struct {
	insertGrant, grant, lockGrant, subjectGrants, lockSubjectGrants, revokeGrant, restsOnGrant string
	insertDisclosure, subjectDisclosures                                                       string
	insertCoverage, coverage, lockCoverage, employerCoverage, lockEmployerCoverage             string
	endCoverage, restsOnCoverage                                                               string
}

const grantColumns = `id, subject_id, recipient_party, recipient_kind, categories, purpose, case_id, form, document,
	given, valid_from, valid_until, revoked`

const disclosureColumns = `id, subject_id, case_id, recipient_party, recipient_kind, items, purpose, at, by_principal,
	role, rule, basis, legal_basis, grants, notify_subject, policy, written_request, coverage_id`

const coverageColumns = `id, insurer, employer, valid_from, valid_until`

func newConsentQueries(r *strings.Replacer) consentQueries {
	q := consentQueries{
		insertGrant: `INSERT INTO {schema}.consent_grants (` + grantColumns + `)
	VALUES ($1, $2, $3, $4, $5::text[], $6, $7, $8, $9, $10, $11, $12, $13)`,
		grant:         `SELECT ` + grantColumns + ` FROM {schema}.consent_grants WHERE id = $1`,
		lockGrant:     `SELECT ` + grantColumns + ` FROM {schema}.consent_grants WHERE id = $1 FOR UPDATE`,
		subjectGrants: `SELECT ` + grantColumns + ` FROM {schema}.consent_grants WHERE subject_id = $1 ORDER BY given NULLS FIRST, id`,
		// Disclose reads the grants under a share lock: disclosures of
		// one subject go on side by side, but a revocation (FOR UPDATE,
		// then UPDATE) of one of the grants waits for them, and they for
		// it.
		lockSubjectGrants: `SELECT ` + grantColumns + ` FROM {schema}.consent_grants WHERE subject_id = $1
	ORDER BY given NULLS FIRST, id FOR SHARE`,
		revokeGrant: `UPDATE {schema}.consent_grants SET revoked = $1 WHERE id = $2 AND revoked IS NULL`,
		// The first disclosure of the subject at or after a time that
		// rests on a grant: the index finds the subject's disclosures from
		// that time on, and only those are searched for the grant.
		restsOnGrant: `SELECT id FROM {schema}.disclosures WHERE subject_id = $1 AND at >= $2 AND $3 = ANY (grants)
	ORDER BY at NULLS FIRST, id LIMIT 1`,
		insertDisclosure: `INSERT INTO {schema}.disclosures (` + disclosureColumns + `)
	VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7, $8, $9, $10, $11, $12, $13, $14::text[], $15, $16, $17, $18)`,
		subjectDisclosures: `SELECT ` + disclosureColumns + ` FROM {schema}.disclosures WHERE subject_id = $1
	ORDER BY at NULLS FIRST, id`,
		insertCoverage: `INSERT INTO {schema}.consent_coverage (` + coverageColumns + `) VALUES ($1, $2, $3, $4, $5)`,
		coverage:       `SELECT ` + coverageColumns + ` FROM {schema}.consent_coverage WHERE id = $1`,
		lockCoverage:   `SELECT ` + coverageColumns + ` FROM {schema}.consent_coverage WHERE id = $1 FOR UPDATE`,
		employerCoverage: `SELECT ` + coverageColumns + ` FROM {schema}.consent_coverage WHERE employer = $1
	ORDER BY valid_from NULLS FIRST, id`,
		// Disclose reads an employer's coverage under a share lock, as it
		// reads the grants: EndCoverage (FOR UPDATE, then UPDATE) waits for
		// the disclosures that read it, and they for it.
		lockEmployerCoverage: `SELECT ` + coverageColumns + ` FROM {schema}.consent_coverage WHERE employer = $1
	ORDER BY valid_from NULLS FIRST, id FOR SHARE`,
		endCoverage: `UPDATE {schema}.consent_coverage SET valid_until = $1 WHERE id = $2`,
		restsOnCoverage: `SELECT id FROM {schema}.disclosures WHERE coverage_id = $1 AND coverage_id <> '' AND at >= $2
	ORDER BY at NULLS FIRST, id LIMIT 1`,
	}
	for _, p := range []*string{&q.insertGrant, &q.grant, &q.lockGrant, &q.subjectGrants, &q.lockSubjectGrants,
		&q.revokeGrant, &q.restsOnGrant, &q.insertDisclosure, &q.subjectDisclosures, &q.insertCoverage, &q.coverage,
		&q.lockCoverage, &q.employerCoverage, &q.lockEmployerCoverage, &q.endCoverage, &q.restsOnCoverage} {
		*p = r.Replace(*p)
	}
	return q
}

func scanGrant(row pgx.Row) (consent.Grant, error) {
	var id, subject, party, kind, purpose, caseID, form, document string
	var cats []string
	var given, from, until, revoked pgtype.Timestamptz
	if err := row.Scan(&id, &subject, &party, &kind, &cats, &purpose, &caseID, &form, &document,
		&given, &from, &until, &revoked); err != nil {
		return consent.Grant{}, err
	}
	return consent.Grant{ID: consent.GrantID(id), Subject: privacy.SubjectID(subject),
		Recipient:  consent.Recipient{Party: privacy.PartyID(party), Kind: privacy.PartyKind(kind)},
		Categories: sqladapter.Named[privacy.Category](cats), Purpose: privacy.Purpose(purpose),
		Case: privacy.CaseID(caseID), Form: consent.Form(form), Document: document,
		Given: timeOf(given), From: timeOf(from), Until: timeOf(until), Revoked: timeOf(revoked)}, nil
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

// appendIf appends events inside tx, if there are any.
func (s *Store) appendIf(ctx context.Context, tx pgx.Tx, op string, events []privacy.Event) error {
	if len(events) == 0 {
		return nil
	}
	_, err := s.appendEvents(ctx, tx, op, events)
	return err
}

// AddGrant implements [consent.Store]: the grant and its audit events in
// one transaction.
func (s *Store) AddGrant(ctx context.Context, g consent.Grant, events []privacy.Event) error {
	const op = "pgstore: add grant"
	if err := sqladapter.CheckGrant(op, g); err != nil {
		return err
	}
	if err := checkEvents(op, events); err != nil {
		return err
	}
	return s.write(ctx, op, func(tx pgx.Tx) error {
		if _, err := s.exec(ctx, tx, op, s.q.con.insertGrant, string(g.ID), string(g.Subject), string(g.Recipient.Party),
			string(g.Recipient.Kind), sqladapter.Strings(g.Categories), string(g.Purpose), string(g.Case), string(g.Form),
			g.Document, ts(g.Given), ts(g.From), ts(g.Until), ts(g.Revoked)); err != nil {
			return err
		}
		return s.appendIf(ctx, tx, op, events)
	})
}

// Grant implements [consent.Store].
func (s *Store) Grant(ctx context.Context, id consent.GrantID) (consent.Grant, error) {
	const op = "pgstore: grant"
	if err := sqladapter.CheckID(op, "id", string(id)); err != nil {
		return consent.Grant{}, err
	}
	g, err := scanGrant(s.pool.QueryRow(ctx, s.q.con.grant, string(id)))
	if err != nil {
		return consent.Grant{}, fail(op, err, nil)
	}
	return g, nil
}

// SubjectGrants implements [consent.Store]. It reads the primary: the
// registry decides on what it returns.
func (s *Store) SubjectGrants(ctx context.Context, subject privacy.SubjectID) ([]consent.Grant, error) {
	const op = "pgstore: subject grants"
	if err := sqladapter.CheckID(op, "subject", string(subject)); err != nil {
		return nil, err
	}
	gs, err := subjectGrants(ctx, s.pool, s.q.con.subjectGrants, subject)
	if err != nil {
		return nil, fail(op, err, nil)
	}
	return gs, nil
}

// rowQuerier is a pool or a transaction.
type rowQuerier interface {
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
}

func subjectGrants(ctx context.Context, db rowQuerier, query string, subject privacy.SubjectID) ([]consent.Grant, error) {
	rows, err := db.Query(ctx, query, string(subject))
	if err != nil {
		return nil, err
	}
	gs, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (consent.Grant, error) { return scanGrant(row) })
	if err != nil {
		return nil, err
	}
	if gs == nil {
		gs = []consent.Grant{}
	}
	return gs, nil
}

// RevokeGrant implements [consent.Store]. It locks the grant's row first;
// a disclosure resting on it holds a share lock on it until it commits, so
// the check that no disclosure at or after at rests on the grant sees
// every disclosure that read the grant before the revocation, and every
// later one reads the grant revoked.
func (s *Store) RevokeGrant(ctx context.Context, id consent.GrantID, at time.Time, events []privacy.Event) (consent.Grant, error) {
	const op = "pgstore: revoke grant"
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
	err := s.write(ctx, op, func(tx pgx.Tx) error {
		var err error
		if g, err = scanGrant(tx.QueryRow(ctx, s.q.con.lockGrant, string(id))); err != nil {
			return err
		}
		if !g.Revoked.IsZero() {
			return &privacy.Error{Op: op, Kind: privacy.ErrConflict, Msg: "the grant is revoked already"}
		}
		var did string
		switch err := tx.QueryRow(ctx, s.q.con.restsOnGrant, string(g.Subject), ts(at), string(id)).Scan(&did); {
		case err == nil:
			// Rule R6: a revocation never rewrites what was disclosed
			// before it.
			return &privacy.Error{Op: op, Kind: privacy.ErrConflict, Rule: privacy.R6,
				Msg: "disclosure " + did + " at or after this time rests on the grant"}
		case !errors.Is(err, pgx.ErrNoRows):
			return err
		}
		if _, err := s.exec(ctx, tx, op, s.q.con.revokeGrant, ts(at), string(id)); err != nil {
			return err
		}
		return s.appendIf(ctx, tx, op, events)
	})
	if err != nil {
		return consent.Grant{}, err
	}
	g.Revoked = privacy.Timestamp(at)
	return g, nil
}

func scanCoverage(row pgx.Row) (consent.Coverage, error) {
	var id, insurer, employer string
	var from, until pgtype.Timestamptz
	if err := row.Scan(&id, &insurer, &employer, &from, &until); err != nil {
		return consent.Coverage{}, err
	}
	return consent.Coverage{ID: consent.CoverageID(id), Insurer: privacy.PartyID(insurer), Employer: privacy.PartyID(employer),
		From: timeOf(from), Until: timeOf(until)}, nil
}

// AddCoverage implements [consent.Store]: the coverage and its audit
// events in one transaction.
func (s *Store) AddCoverage(ctx context.Context, c consent.Coverage, events []privacy.Event) error {
	const op = "pgstore: add coverage"
	if err := sqladapter.CheckCoverage(op, c); err != nil {
		return err
	}
	if err := checkEvents(op, events); err != nil {
		return err
	}
	return s.write(ctx, op, func(tx pgx.Tx) error {
		if _, err := s.exec(ctx, tx, op, s.q.con.insertCoverage, string(c.ID), string(c.Insurer), string(c.Employer),
			ts(c.From), ts(c.Until)); err != nil {
			return err
		}
		return s.appendIf(ctx, tx, op, events)
	})
}

// Coverage implements [consent.Store].
func (s *Store) Coverage(ctx context.Context, id consent.CoverageID) (consent.Coverage, error) {
	const op = "pgstore: coverage"
	if err := sqladapter.CheckID(op, "id", string(id)); err != nil {
		return consent.Coverage{}, err
	}
	c, err := scanCoverage(s.pool.QueryRow(ctx, s.q.con.coverage, string(id)))
	if err != nil {
		return consent.Coverage{}, fail(op, err, nil)
	}
	return c, nil
}

// EmployerCoverage implements [consent.Store]. It reads the primary: the
// registry decides on what it returns.
func (s *Store) EmployerCoverage(ctx context.Context, employer privacy.PartyID) ([]consent.Coverage, error) {
	const op = "pgstore: employer coverage"
	if err := sqladapter.CheckID(op, "employer", string(employer)); err != nil {
		return nil, err
	}
	cs, err := employerCoverage(ctx, s.pool, s.q.con.employerCoverage, employer)
	if err != nil {
		return nil, fail(op, err, nil)
	}
	return cs, nil
}

func employerCoverage(ctx context.Context, db rowQuerier, query string, employer privacy.PartyID) ([]consent.Coverage, error) {
	rows, err := db.Query(ctx, query, string(employer))
	if err != nil {
		return nil, err
	}
	cs, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (consent.Coverage, error) { return scanCoverage(row) })
	if err != nil {
		return nil, err
	}
	if cs == nil {
		cs = []consent.Coverage{}
	}
	return cs, nil
}

// EndCoverage implements [consent.Store]. It locks the coverage's row
// first; a disclosure resting on it holds a share lock on it until it
// commits, so the check that no overview at or after at rests on the
// coverage sees every disclosure that read it before the end, and every
// later one reads it ended.
func (s *Store) EndCoverage(ctx context.Context, id consent.CoverageID, at time.Time, events []privacy.Event) (consent.Coverage, error) {
	const op = "pgstore: end coverage"
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
	err := s.write(ctx, op, func(tx pgx.Tx) error {
		var err error
		if c, err = scanCoverage(tx.QueryRow(ctx, s.q.con.lockCoverage, string(id))); err != nil {
			return err
		}
		if !c.Until.IsZero() && !c.Until.After(at) {
			return &privacy.Error{Op: op, Kind: privacy.ErrConflict, Msg: "the coverage ends by then already"}
		}
		var did string
		switch err := tx.QueryRow(ctx, s.q.con.restsOnCoverage, string(id), ts(at)).Scan(&did); {
		case err == nil:
			// Rule O11: an end never rewrites what was disclosed before it.
			return &privacy.Error{Op: op, Kind: privacy.ErrConflict, Rule: privacy.O11,
				Msg: "disclosure " + did + " at or after this time rests on the coverage"}
		case !errors.Is(err, pgx.ErrNoRows):
			return err
		}
		if _, err := s.exec(ctx, tx, op, s.q.con.endCoverage, ts(at), string(id)); err != nil {
			return err
		}
		return s.appendIf(ctx, tx, op, events)
	})
	if err != nil {
		return consent.Coverage{}, err
	}
	c.Until = privacy.Timestamp(at)
	return c, nil
}

// Disclose implements [consent.Store]: one transaction reads the subject's
// grants and, for an employer, its coverage, under share locks (see
// [Store.RevokeGrant] and [Store.EndCoverage]), calls decide and records
// its verdict. The transaction is read committed; decide is called once.
func (s *Store) Disclose(ctx context.Context, subject privacy.SubjectID, employer privacy.PartyID,
	decide func([]consent.Grant, []consent.Coverage) consent.Verdict) error {
	const op = "pgstore: disclose"
	if err := sqladapter.CheckID(op, "subject", string(subject)); err != nil {
		return err
	}
	if employer != "" {
		if err := sqladapter.CheckID(op, "employer", string(employer)); err != nil {
			return err
		}
	}
	return s.write(ctx, op, func(tx pgx.Tx) error {
		grants, err := subjectGrants(ctx, tx, s.q.con.lockSubjectGrants, subject)
		if err != nil {
			return err
		}
		var cover []consent.Coverage
		if employer != "" {
			if cover, err = employerCoverage(ctx, tx, s.q.con.lockEmployerCoverage, employer); err != nil {
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
			if _, err := s.exec(ctx, tx, op, s.q.con.insertDisclosure, string(d.ID), string(d.Subject), string(d.Case),
				string(d.Recipient.Party), string(d.Recipient.Kind), string(items), string(d.Purpose), ts(d.At),
				string(d.By), string(d.Role), string(d.Rule), string(d.Basis), string(d.LegalBasis),
				sqladapter.Strings(d.Grants), d.NotifySubject, d.Policy, d.WrittenRequest, string(d.Coverage)); err != nil {
				return err
			}
		}
		return s.appendIf(ctx, tx, op, v.Events)
	})
}

// SubjectDisclosures implements [consent.Store].
func (s *Store) SubjectDisclosures(ctx context.Context, subject privacy.SubjectID) ([]consent.Disclosure, error) {
	const op = "pgstore: subject disclosures"
	if err := sqladapter.CheckID(op, "subject", string(subject)); err != nil {
		return nil, err
	}
	rows, err := s.pool.Query(ctx, s.q.con.subjectDisclosures, string(subject))
	if err != nil {
		return nil, fail(op, err, nil)
	}
	out, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (consent.Disclosure, error) {
		var id, sub, caseID, party, kind, items, purpose, by, role, rule, basis, legal, policy, written, cover string
		var grants []string
		var at pgtype.Timestamptz
		var notify bool
		if err := row.Scan(&id, &sub, &caseID, &party, &kind, &items, &purpose, &at, &by, &role, &rule, &basis, &legal,
			&grants, &notify, &policy, &written, &cover); err != nil {
			return consent.Disclosure{}, err
		}
		d := consent.Disclosure{ID: consent.DisclosureID(id), Subject: privacy.SubjectID(sub), Case: privacy.CaseID(caseID),
			Recipient: consent.Recipient{Party: privacy.PartyID(party), Kind: privacy.PartyKind(kind)},
			Purpose:   privacy.Purpose(purpose), At: timeOf(at), By: privacy.PrincipalID(by), Role: privacy.Role(role),
			Rule: privacy.RuleID(rule), Basis: privacy.BasisKind(basis), LegalBasis: privacy.LegalBasisID(legal),
			Grants: sqladapter.Named[consent.GrantID](grants), NotifySubject: notify, Policy: policy,
			WrittenRequest: written, Coverage: consent.CoverageID(cover)}
		var err error
		d.Items, err = sqladapter.DecodeItems([]byte(items))
		return d, err
	})
	if err != nil {
		return nil, fail(op, err, nil)
	}
	if out == nil {
		out = []consent.Disclosure{}
	}
	return out, nil
}
