package memstore

import (
	"cmp"
	"context"
	"slices"
	"time"

	"github.com/dossierwacht/dossierwacht/consent"
	"github.com/dossierwacht/dossierwacht/privacy"
)

// consentData holds consent grants, the coverage register and the
// disclosure log (package consent).
type consentData struct {
	grants             map[consent.GrantID]consent.Grant
	subjectGrants      map[privacy.SubjectID][]consent.GrantID
	coverage           map[consent.CoverageID]consent.Coverage
	employerCoverage   map[privacy.PartyID][]consent.CoverageID
	disclosures        map[consent.DisclosureID]consent.Disclosure
	subjectDisclosures map[privacy.SubjectID][]consent.DisclosureID
	// coverageDisclosures lists, per coverage, the disclosures that
	// rested on it (EndCoverage's check).
	coverageDisclosures map[consent.CoverageID][]consent.DisclosureID
}

func newConsentData() consentData {
	return consentData{
		grants:              map[consent.GrantID]consent.Grant{},
		subjectGrants:       map[privacy.SubjectID][]consent.GrantID{},
		coverage:            map[consent.CoverageID]consent.Coverage{},
		employerCoverage:    map[privacy.PartyID][]consent.CoverageID{},
		disclosures:         map[consent.DisclosureID]consent.Disclosure{},
		subjectDisclosures:  map[privacy.SubjectID][]consent.DisclosureID{},
		coverageDisclosures: map[consent.CoverageID][]consent.DisclosureID{},
	}
}

var _ consent.Store = (*Store)(nil)

// AddGrant implements [consent.Store].
func (s *Store) AddGrant(ctx context.Context, g consent.Grant, events []privacy.Event) error {
	const op = "add grant"
	if err := ctxErr(ctx, op); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	c := &s.consents
	if _, ok := c.grants[g.ID]; ok {
		return exists(op)
	}
	if err := s.write(op); err != nil {
		return err
	}
	if err := s.stageEvents(op, events); err != nil {
		return err
	}
	c.grants[g.ID] = g.Clone()
	c.subjectGrants[g.Subject] = append(c.subjectGrants[g.Subject], g.ID)
	s.applyEvents(events)
	return nil
}

// Grant implements [consent.Store].
func (s *Store) Grant(ctx context.Context, id consent.GrantID) (consent.Grant, error) {
	if err := ctxErr(ctx, "grant"); err != nil {
		return consent.Grant{}, err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	g, ok := s.consents.grants[id]
	if !ok {
		return consent.Grant{}, notFound("grant")
	}
	return g.Clone(), nil
}

// SubjectGrants implements [consent.Store].
func (s *Store) SubjectGrants(ctx context.Context, subject privacy.SubjectID) ([]consent.Grant, error) {
	if err := ctxErr(ctx, "subject grants"); err != nil {
		return nil, err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.subjectGrants(subject), nil
}

// subjectGrants copies the subject's grants in order; the lock is held.
func (s *Store) subjectGrants(subject privacy.SubjectID) []consent.Grant {
	ids := s.consents.subjectGrants[subject]
	out := make([]consent.Grant, len(ids))
	for i, id := range ids {
		out[i] = s.consents.grants[id].Clone()
	}
	slices.SortFunc(out, func(a, b consent.Grant) int { return cmp.Or(a.Given.Compare(b.Given), cmp.Compare(a.ID, b.ID)) })
	return out
}

// RevokeGrant implements [consent.Store].
func (s *Store) RevokeGrant(ctx context.Context, id consent.GrantID, at time.Time, events []privacy.Event) (consent.Grant, error) {
	const op = "revoke grant"
	if err := ctxErr(ctx, op); err != nil {
		return consent.Grant{}, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	c := &s.consents
	g, ok := c.grants[id]
	if !ok {
		return consent.Grant{}, notFound(op)
	}
	if !g.Revoked.IsZero() {
		return consent.Grant{}, &privacy.Error{Op: "memstore: " + op, Kind: privacy.ErrConflict, Msg: "the grant is revoked already"}
	}
	for _, did := range c.subjectDisclosures[g.Subject] {
		d := c.disclosures[did]
		if !d.At.Before(at) && slices.Contains(d.Grants, id) {
			return consent.Grant{}, &privacy.Error{Op: "memstore: " + op, Kind: privacy.ErrConflict, Rule: privacy.R6,
				Msg: "disclosure " + string(d.ID) + " at or after this time rests on the grant"}
		}
	}
	if err := s.write(op); err != nil {
		return consent.Grant{}, err
	}
	if err := s.stageEvents(op, events); err != nil {
		return consent.Grant{}, err
	}
	g.Revoked = at
	c.grants[id] = g
	s.applyEvents(events)
	return g.Clone(), nil
}

// AddCoverage implements [consent.Store].
func (s *Store) AddCoverage(ctx context.Context, c consent.Coverage, events []privacy.Event) error {
	const op = "add coverage"
	if err := ctxErr(ctx, op); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	d := &s.consents
	if _, ok := d.coverage[c.ID]; ok {
		return exists(op)
	}
	if err := s.write(op); err != nil {
		return err
	}
	if err := s.stageEvents(op, events); err != nil {
		return err
	}
	d.coverage[c.ID] = c
	d.employerCoverage[c.Employer] = append(d.employerCoverage[c.Employer], c.ID)
	s.applyEvents(events)
	return nil
}

// Coverage implements [consent.Store].
func (s *Store) Coverage(ctx context.Context, id consent.CoverageID) (consent.Coverage, error) {
	if err := ctxErr(ctx, "coverage"); err != nil {
		return consent.Coverage{}, err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	c, ok := s.consents.coverage[id]
	if !ok {
		return consent.Coverage{}, notFound("coverage")
	}
	return c, nil
}

// EmployerCoverage implements [consent.Store].
func (s *Store) EmployerCoverage(ctx context.Context, employer privacy.PartyID) ([]consent.Coverage, error) {
	if err := ctxErr(ctx, "employer coverage"); err != nil {
		return nil, err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.employerCoverage(employer), nil
}

// employerCoverage copies the employer's coverage in order; the lock is
// held.
func (s *Store) employerCoverage(employer privacy.PartyID) []consent.Coverage {
	ids := s.consents.employerCoverage[employer]
	out := make([]consent.Coverage, len(ids))
	for i, id := range ids {
		out[i] = s.consents.coverage[id]
	}
	slices.SortFunc(out, func(a, b consent.Coverage) int { return cmp.Or(a.From.Compare(b.From), cmp.Compare(a.ID, b.ID)) })
	return out
}

// EndCoverage implements [consent.Store].
func (s *Store) EndCoverage(ctx context.Context, id consent.CoverageID, at time.Time, events []privacy.Event) (consent.Coverage, error) {
	const op = "end coverage"
	if err := ctxErr(ctx, op); err != nil {
		return consent.Coverage{}, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	d := &s.consents
	c, ok := d.coverage[id]
	if !ok {
		return consent.Coverage{}, notFound(op)
	}
	if !c.Until.IsZero() && !c.Until.After(at) {
		return consent.Coverage{}, &privacy.Error{Op: "memstore: " + op, Kind: privacy.ErrConflict, Msg: "the coverage ends by then already"}
	}
	for _, did := range d.coverageDisclosures[id] {
		if dis := d.disclosures[did]; !dis.At.Before(at) {
			return consent.Coverage{}, &privacy.Error{Op: "memstore: " + op, Kind: privacy.ErrConflict, Rule: privacy.O11,
				Msg: "disclosure " + string(dis.ID) + " at or after this time rests on the coverage"}
		}
	}
	if err := s.write(op); err != nil {
		return consent.Coverage{}, err
	}
	if err := s.stageEvents(op, events); err != nil {
		return consent.Coverage{}, err
	}
	c.Until = at
	d.coverage[id] = c
	s.applyEvents(events)
	return c, nil
}

// Disclose implements [consent.Store]: the grants and the coverage are
// read, decide is called and its verdict recorded under one write lock.
func (s *Store) Disclose(ctx context.Context, subject privacy.SubjectID, employer privacy.PartyID,
	decide func([]consent.Grant, []consent.Coverage) consent.Verdict) error {
	const op = "disclose"
	if err := ctxErr(ctx, op); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	c := &s.consents
	var cover []consent.Coverage
	if employer != "" {
		cover = s.employerCoverage(employer)
	}
	v := decide(s.subjectGrants(subject), cover)
	if d := v.Disclosure; d != nil {
		if _, ok := c.disclosures[d.ID]; ok {
			return exists(op)
		}
		if d.Subject != subject {
			return &privacy.Error{Op: "memstore: " + op, Kind: privacy.ErrInvalid, Msg: "the disclosure is of another subject"}
		}
		if err := s.write(op); err != nil {
			return err
		}
	}
	if err := s.stageEvents(op, v.Events); err != nil {
		return err
	}
	if d := v.Disclosure; d != nil {
		c.disclosures[d.ID] = d.Clone()
		c.subjectDisclosures[subject] = append(c.subjectDisclosures[subject], d.ID)
		if d.Coverage != "" {
			c.coverageDisclosures[d.Coverage] = append(c.coverageDisclosures[d.Coverage], d.ID)
		}
	}
	s.applyEvents(v.Events)
	return nil
}

// SubjectDisclosures implements [consent.Store].
func (s *Store) SubjectDisclosures(ctx context.Context, subject privacy.SubjectID) ([]consent.Disclosure, error) {
	if err := ctxErr(ctx, "subject disclosures"); err != nil {
		return nil, err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	ids := s.consents.subjectDisclosures[subject]
	out := make([]consent.Disclosure, len(ids))
	for i, id := range ids {
		out[i] = s.consents.disclosures[id].Clone()
	}
	slices.SortFunc(out, func(a, b consent.Disclosure) int { return cmp.Or(a.At.Compare(b.At), cmp.Compare(a.ID, b.ID)) })
	return out, nil
}
