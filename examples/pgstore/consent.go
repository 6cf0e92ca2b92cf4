package pgstore

import (
	"context"
	"strings"
	"time"

	"github.com/dossierwacht/dossierwacht/consent"
	"github.com/dossierwacht/dossierwacht/examples/internal/sqlcore"
	"github.com/dossierwacht/dossierwacht/privacy"
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

const (
	grantColumns      = sqlcore.GrantColumns
	disclosureColumns = sqlcore.DisclosureColumns
	coverageColumns   = sqlcore.CoverageColumns
)

// anySubject matches subject_id against a page of subject IDs, sent as
// one text[] parameter (sqlcore.ObjectPageQueries).
const anySubject = `= ANY ($1::text[])`

// subjectGrantsWhere is the statement of SubjectGrants for the subjects
// whose subject_id matches match: "= $1" for one, anySubject for a page
// (retention.ObjectPageStore), in the same order. Unrendered.
func subjectGrantsWhere(match string) string {
	return `SELECT ` + grantColumns + ` FROM {schema}.consent_grants WHERE subject_id ` + match + ` ORDER BY given NULLS FIRST, id`
}

// subjectDisclosuresWhere is the statement of SubjectDisclosures for the
// subjects whose subject_id matches match, as subjectGrantsWhere.
// Unrendered.
func subjectDisclosuresWhere(match string) string {
	return `SELECT ` + disclosureColumns + ` FROM {schema}.disclosures WHERE subject_id ` + match + `
	ORDER BY at NULLS FIRST, id`
}

// newObjectPageQueries are the statements that read the objects of a page
// of subjects, one per kind (retention.ObjectPageStore; rules R9, O12),
// each the shape of the statement that reads one subject's.
func newObjectPageQueries(r *strings.Replacer) sqlcore.ObjectPageQueries {
	return sqlcore.ObjectPageQueries{
		Disclosures: r.Replace(subjectDisclosuresWhere(anySubject)),
		Grants:      r.Replace(subjectGrantsWhere(anySubject)),
		Requests:    r.Replace(sqlcore.SQLSubjectRequests(anySubject)),
		OrphanRest:  r.Replace(sqlcore.SQLOrphanRest(anySubject)),
	}
}

func newConsentQueries(r *strings.Replacer) consentQueries {
	q := consentQueries{
		insertGrant: `INSERT INTO {schema}.consent_grants (` + grantColumns + `)
	VALUES ($1, $2, $3, $4, $5::text[], $6, $7, $8, $9, $10, $11, $12, $13)`,
		grant:         sqlcore.SQLGrant,
		lockGrant:     sqlcore.SQLGrant + ` FOR UPDATE`,
		subjectGrants: subjectGrantsWhere("= $1"),
		// Disclose reads the grants under a share lock: disclosures of
		// one subject go on side by side, but a revocation (FOR UPDATE,
		// then UPDATE) of one of the grants waits for them, and they for
		// it.
		lockSubjectGrants: subjectGrantsWhere("= $1") + ` FOR SHARE`,
		revokeGrant:       sqlcore.SQLRevokeGrant,
		// The first disclosure of the subject at or after a time that
		// rests on a grant: the index finds the subject's disclosures from
		// that time on, and only those are searched for the grant.
		restsOnGrant: `SELECT id FROM {schema}.disclosures WHERE subject_id = $1 AND at >= $2 AND $3 = ANY (grants)
	ORDER BY at NULLS FIRST, id LIMIT 1`,
		insertDisclosure: `INSERT INTO {schema}.disclosures (` + disclosureColumns + `)
	VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7, $8, $9, $10, $11, $12, $13, $14::text[], $15, $16, $17, $18)`,
		subjectDisclosures: subjectDisclosuresWhere("= $1"),
		insertCoverage:     sqlcore.SQLInsertCoverage,
		coverage:           sqlcore.SQLCoverage,
		lockCoverage:       sqlcore.SQLCoverage + ` FOR UPDATE`,
		employerCoverage: `SELECT ` + coverageColumns + ` FROM {schema}.consent_coverage WHERE employer = $1
	ORDER BY valid_from NULLS FIRST, id`,
		// Disclose reads an employer's coverage under a share lock, as it
		// reads the grants: EndCoverage (FOR UPDATE, then UPDATE) waits for
		// the disclosures that read it, and they for it.
		lockEmployerCoverage: `SELECT ` + coverageColumns + ` FROM {schema}.consent_coverage WHERE employer = $1
	ORDER BY valid_from NULLS FIRST, id FOR SHARE`,
		endCoverage: sqlcore.SQLEndCoverage,
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

// AddGrant implements [consent.Store]: the grant and its audit events in
// one transaction.
func (s *Store) AddGrant(ctx context.Context, g consent.Grant, events []privacy.Event) error {
	return s.core().AddGrant(ctx, g, events)
}

// Grant implements [consent.Store].
func (s *Store) Grant(ctx context.Context, id consent.GrantID) (consent.Grant, error) {
	return s.core().Grant(ctx, id)
}

// SubjectGrants implements [consent.Store]. It reads the primary: the
// registry decides on what it returns.
func (s *Store) SubjectGrants(ctx context.Context, subject privacy.SubjectID) ([]consent.Grant, error) {
	return s.core().SubjectGrants(ctx, subject)
}

// RevokeGrant implements [consent.Store]. It locks the grant's row first;
// a disclosure resting on it holds a share lock on it until it commits, so
// the check that no disclosure at or after at rests on the grant sees
// every disclosure that read the grant before the revocation, and every
// later one reads the grant revoked.
func (s *Store) RevokeGrant(ctx context.Context, id consent.GrantID, at time.Time, events []privacy.Event) (consent.Grant, error) {
	return s.core().RevokeGrant(ctx, id, at, events)
}

// AddCoverage implements [consent.Store]: the coverage and its audit
// events in one transaction.
func (s *Store) AddCoverage(ctx context.Context, c consent.Coverage, events []privacy.Event) error {
	return s.core().AddCoverage(ctx, c, events)
}

// Coverage implements [consent.Store].
func (s *Store) Coverage(ctx context.Context, id consent.CoverageID) (consent.Coverage, error) {
	return s.core().Coverage(ctx, id)
}

// EmployerCoverage implements [consent.Store]. It reads the primary: the
// registry decides on what it returns.
func (s *Store) EmployerCoverage(ctx context.Context, employer privacy.PartyID) ([]consent.Coverage, error) {
	return s.core().EmployerCoverage(ctx, employer)
}

// EndCoverage implements [consent.Store]. It locks the coverage's row
// first; a disclosure resting on it holds a share lock on it until it
// commits, so the check that no overview at or after at rests on the
// coverage sees every disclosure that read it before the end, and every
// later one reads it ended.
func (s *Store) EndCoverage(ctx context.Context, id consent.CoverageID, at time.Time, events []privacy.Event) (consent.Coverage, error) {
	return s.core().EndCoverage(ctx, id, at, events)
}

// Disclose implements [consent.Store]: one transaction reads the subject's
// grants and, for an employer, its coverage, under share locks (see
// [Store.RevokeGrant] and [Store.EndCoverage]), calls decide and records
// its verdict. The transaction is read committed; decide is called once.
func (s *Store) Disclose(ctx context.Context, subject privacy.SubjectID, employer privacy.PartyID,
	decide func([]consent.Grant, []consent.Coverage) consent.Verdict) error {
	return s.core().Disclose(ctx, subject, employer, decide)
}

// SubjectDisclosures implements [consent.Store].
func (s *Store) SubjectDisclosures(ctx context.Context, subject privacy.SubjectID) ([]consent.Disclosure, error) {
	return s.core().SubjectDisclosures(ctx, subject)
}
