package memstore

import (
	"cmp"
	"context"
	"slices"
	"time"

	"github.com/dossierwacht/dossierwacht/consent"
	"github.com/dossierwacht/dossierwacht/privacy"
)

// consentData holds consent grants and the disclosure log (package
// consent).
type consentData struct {
	grants             map[consent.GrantID]consent.Grant
	subjectGrants      map[privacy.SubjectID][]consent.GrantID
	disclosures        map[consent.DisclosureID]consent.Disclosure
	subjectDisclosures map[privacy.SubjectID][]consent.DisclosureID
}

func newConsentData() consentData {
	return consentData{
		grants:             map[consent.GrantID]consent.Grant{},
		subjectGrants:      map[privacy.SubjectID][]consent.GrantID{},
		disclosures:        map[consent.DisclosureID]consent.Disclosure{},
		subjectDisclosures: map[privacy.SubjectID][]consent.DisclosureID{},
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

// Disclose implements [consent.Store]: the grants are read, decide is
// called and its verdict recorded under one write lock.
func (s *Store) Disclose(ctx context.Context, subject privacy.SubjectID, decide func([]consent.Grant) consent.Verdict) error {
	const op = "disclose"
	if err := ctxErr(ctx, op); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	c := &s.consents
	v := decide(s.subjectGrants(subject))
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
