package dossierwacht

import (
	"context"
	"errors"
	"slices"
	"time"

	"github.com/dossierwacht/dossierwacht/access"
	"github.com/dossierwacht/dossierwacht/privacy"
	"github.com/dossierwacht/dossierwacht/retention"
	"github.com/dossierwacht/dossierwacht/rights"
)

// restrictions are the restrictions of processing (GDPR art. 18) standing
// on one subject's data, read from the register of holds: the access
// engine's [access.RestrictionChecker] on every decision of the front
// door. A restriction is a hold on [retention.GroundRestriction], so that
// what every hold does — no erasure, no change (art. 18(2): only storage)
// — the store enforces on every path, and the front door adds what is
// particular to it: no view but the subject's own, no disclosure, no
// addition.
type restrictions []retention.Hold

// Restricted implements access.RestrictionChecker.
func (rs restrictions) Restricted(c *privacy.Case, record privacy.RecordID) bool {
	for i := range rs {
		h := &rs[i]
		if h.Subject != c.Subject {
			continue
		}
		if record == "" && h.HoldsCase(c.ID) || record != "" && h.Covers(c.ID, record) {
			return true
		}
	}
	return false
}

// restrictionsOf reads the restrictions standing on subject's data at
// now. A subject that is missing has none; the same read is made, so that
// the work done does not tell a missing subject from a present one (O10).
func (s *Service) restrictionsOf(ctx context.Context, subject privacy.SubjectID, now time.Time) (access.RestrictionChecker, error) {
	d, err := s.store.Dossier(ctx, subject)
	if errors.Is(err, privacy.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var rs restrictions
	for _, h := range d.Holds {
		if h.Ground == retention.GroundRestriction && h.ActiveAt(now) {
			rs = append(rs, h)
		}
	}
	if rs == nil {
		return nil, nil // a nil interface, not a nil slice in one
	}
	return rs, nil
}

// restrictedWhole reports whether a restriction of processing of all of
// subject's data stands at now (GDPR art. 18(2)): nothing is added to it
// or changed in it, not a case, not the end of employment.
func (s *Service) restrictedWhole(ctx context.Context, subject privacy.SubjectID, now time.Time) (bool, error) {
	rc, err := s.restrictionsOf(ctx, subject, now)
	if err != nil {
		return false, err
	}
	rs, _ := rc.(restrictions)
	for i := range rs {
		if rs[i].HoldsSubject() {
			return true, nil
		}
	}
	return false, nil
}

// Restrict grants a request to restrict processing (GDPR art. 18) as of
// now: a restriction is placed on what the request names — the subject's
// whole data, or the records it lists — and the request answered with
// reason. While the restriction stands the data is only stored (art.
// 18(2)): no one but the subject views it, and it is not disclosed,
// changed, added to, erased or swept; every refusal names
// [privacy.RuleRestriction]. Lift it with [Service.LiftHold] (the hold's
// ID is "restriction-" and the request's ID) once the subject has been
// told (art. 18(3)). Only the privacy officer restricts, as only the
// privacy officer places holds.
//
// Restrict may be called again after a failure: a restriction placed
// already for the request stands, and the request is answered.
func (s *Service) Restrict(ctx context.Context, a *Actor, id rights.RequestID, reason string) (retention.Hold, error) {
	const v = verb("restrict")
	if err := s.checkActor(ctx, v, a); err != nil {
		return retention.Hold{}, err
	}
	if err := s.officer(ctx, verbHold, a, "", "request:"+string(id), privacy.EventExecute); err != nil {
		return retention.Hold{}, err
	}
	r, err := s.desk.Request(ctx, id)
	if err != nil {
		return retention.Hold{}, err
	}
	if r.Kind != rights.KindRestriction {
		return retention.Hold{}, &privacy.Error{Op: "dossierwacht: " + string(v), Kind: privacy.ErrInvalid,
			Rule: privacy.RuleRestriction, Path: "request", Msg: "not a request to restrict processing"}
	}
	if r.Status.Final() {
		return retention.Hold{}, &privacy.Error{Op: "dossierwacht: " + string(v), Kind: privacy.ErrConflict,
			Rule: privacy.RuleRestriction, Path: "request", Msg: "the request is closed"}
	}
	h := retention.Hold{ID: retention.HoldID("restriction-" + string(id)), Subject: r.Subject, Records: r.Records,
		Ground: retention.GroundRestriction, Reason: "restriction request " + string(id)}
	placed, err := s.retention.PlaceHold(ctx, a.Principal, h, s.now())
	if errors.Is(err, privacy.ErrExists) {
		// Placed by an earlier call that failed to answer: it stands.
		// Anything else with its ID — another kind of hold, another
		// scope, one lifted since — is a conflict: the request is not
		// answered as granted while nothing stands.
		placed, err = s.store.Hold(ctx, h.ID)
		if err == nil && (placed.Ground != retention.GroundRestriction || placed.Subject != r.Subject ||
			!slices.Equal(slices.Sorted(slices.Values(placed.Records)), slices.Sorted(slices.Values(h.Records))) || placed.Case != "" || !placed.ActiveAt(s.now())) {
			err = &privacy.Error{Op: "dossierwacht: " + string(v), Kind: privacy.ErrConflict, Rule: privacy.RuleRestriction,
				Path: "request", Msg: "a hold with the restriction's ID does not stand as this restriction"}
		}
	}
	if err != nil {
		return retention.Hold{}, err
	}
	if _, err := s.desk.Answer(ctx, act(a, s.now(), ""), id, rights.Answer{Reason: reason}); err != nil {
		return placed, err
	}
	return placed, nil
}
