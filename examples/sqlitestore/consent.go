package sqlitestore

import (
	"context"
	"time"

	"github.com/dossierwacht/dossierwacht/consent"
	"github.com/dossierwacht/dossierwacht/privacy"
)

// The consent store (package consent): grants and the disclosure log, in
// the tables of migration 0004; the coverage register, the written request
// and the coverage of a disclosure, in migration 0007. Cases and records
// are read as [privacy.Store] reads them.

var _ consent.Store = (*Store)(nil)

// AddGrant implements [consent.Store]: the grant and its audit events in
// one transaction.
func (s *Store) AddGrant(ctx context.Context, g consent.Grant, events []privacy.Event) error {
	return s.core().AddGrant(ctx, g, events)
}

// Grant implements [consent.Store].
func (s *Store) Grant(ctx context.Context, id consent.GrantID) (consent.Grant, error) {
	return s.core().Grant(ctx, id)
}

// SubjectGrants implements [consent.Store].
func (s *Store) SubjectGrants(ctx context.Context, subject privacy.SubjectID) ([]consent.Grant, error) {
	return s.core().SubjectGrants(ctx, subject)
}

// RevokeGrant implements [consent.Store]. It runs in a write transaction,
// and the file has one writer at a time: no disclosure can be logged
// between the check that none rests on the grant at or after at and the
// revocation.
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

// EmployerCoverage implements [consent.Store].
func (s *Store) EmployerCoverage(ctx context.Context, employer privacy.PartyID) ([]consent.Coverage, error) {
	return s.core().EmployerCoverage(ctx, employer)
}

// EndCoverage implements [consent.Store]. It runs in a write transaction,
// and the file has one writer at a time: no overview can be logged
// between the check that none rests on the coverage at or after at and
// the end.
func (s *Store) EndCoverage(ctx context.Context, id consent.CoverageID, at time.Time, events []privacy.Event) (consent.Coverage, error) {
	return s.core().EndCoverage(ctx, id, at, events)
}

// Disclose implements [consent.Store]: one write transaction reads the
// subject's grants and, for an employer, its coverage, calls decide and
// records its verdict. The file has one writer at a time (one writer
// connection, BEGIN IMMEDIATE), so a revocation of one of the grants, or
// the end of a coverage, runs wholly before or wholly after it.
func (s *Store) Disclose(ctx context.Context, subject privacy.SubjectID, employer privacy.PartyID,
	decide func([]consent.Grant, []consent.Coverage) consent.Verdict) error {
	return s.core().Disclose(ctx, subject, employer, decide)
}

// SubjectDisclosures implements [consent.Store].
func (s *Store) SubjectDisclosures(ctx context.Context, subject privacy.SubjectID) ([]consent.Disclosure, error) {
	return s.core().SubjectDisclosures(ctx, subject)
}
