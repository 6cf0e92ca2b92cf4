package dossierwacht

import (
	"context"
	"errors"
	"maps"
	"slices"
	"time"

	"github.com/dossierwacht/dossierwacht/privacy"
)

// A verb is one operation of the Service, as the audit trail and the
// refusals name it.
type verb string

// The verbs the Service gates by role, beside those the access engine
// decides per category (records, views, exports).
const (
	verbRegisterSubject verb = "register subject"
	verbOpenCase        verb = "open case"
	verbCloseCase       verb = "close case"
	verbEndEmployment   verb = "end employment"
	verbConsent         verb = "record consent"
	verbCoverage        verb = "record coverage"
	verbFileRequest     verb = "file request"
	verbDecideRequest   verb = "decide request"
	verbHold            verb = "legal hold"
	verbErasure         verb = "erasure"
	verbSweep           verb = "sweep"
	verbVerify          verb = "verify audit"
)

// roleRule says, for a role that may not take a verb at all, the rule
// that keeps it out: the administrator manages accounts only (R12), the
// privacy officer sees no content (R8), outside parties and the subject
// take no part in the service's own work (O4, O2).
func roleRule(r privacy.Role) privacy.RuleID {
	switch r {
	case privacy.RoleAdministrator:
		return privacy.R12
	case privacy.RolePrivacyOfficer, privacy.RoleSupportStaff:
		return privacy.R8
	case privacy.RoleEmployerContact:
		return privacy.O2
	case privacy.RoleInsurer:
		return privacy.O11
	case privacy.RoleSubject:
		return privacy.O13
	}
	return privacy.O4
}

// forbidden is the refusal of verb v to actor a, naming rule.
func forbidden(v verb, rule privacy.RuleID, msg string) error {
	return &privacy.Error{Op: "dossierwacht: " + string(v), Kind: privacy.ErrForbidden, Rule: rule, Msg: msg}
}

// checkActor validates the actor and the Service's time before a verb
// does anything: a malformed actor fails with privacy.ErrInvalid and
// nothing is written (there is no one to audit); a contractor without its
// agreement is refused with privacy.ErrForbidden and rule O7, and the
// refusal is audited as every other (rule N9: failed attempts are logged
// too). A clock that reads no time stops every verb with
// privacy.ErrUnavailable before any event is written: an audit event
// without its time would be no record of when (N9).
func (s *Service) checkActor(ctx context.Context, v verb, a *Actor) error {
	if err := s.ready(ctx, "dossierwacht: "+string(v)); err != nil {
		return err
	}
	if a == nil {
		return &privacy.Error{Op: "dossierwacht: " + string(v), Kind: privacy.ErrInvalid, Path: "actor", Msg: "no actor"}
	}
	if s.now().IsZero() {
		return &privacy.Error{Op: "dossierwacht: " + string(v), Kind: privacy.ErrUnavailable, Rule: privacy.N9,
			Msg: "the clock reads no time"}
	}
	err := a.Validate()
	if errors.Is(err, privacy.ErrForbidden) {
		// Rule O7: a contractor works only under the agreement that binds
		// it. Validate checks everything else first, so the actor is
		// well formed and its refusal can be logged.
		return s.refuse(ctx, s.event(a, privacy.EventExecute, "", "", string(v), privacy.O7, false), err)
	}
	return err
}

// opened reports a Service that Open did not build — a nil *Service or
// a zero Service{} — as privacy.ErrInvalid, so that every verb fails
// with a typed error, changing nothing, instead of panicking (rules O1,
// G7: there is no store to decide with or audit in).
func (s *Service) opened(op string) error {
	if s == nil || s.store == nil || s.policy == nil || s.clock == nil || s.guard == nil || s.registry == nil ||
		s.retention == nil || s.desk == nil || s.dossiers == nil {
		return &privacy.Error{Op: op, Kind: privacy.ErrInvalid, Path: "service", Msg: "not opened: build a Service with Open"}
	}
	return nil
}

// ready is opened, and refuses a nil context as privacy.ErrInvalid before
// anything is read or written (rule O1: bad input is a typed error, never
// a panic in the store).
func (s *Service) ready(ctx context.Context, op string) error {
	if err := s.opened(op); err != nil {
		return err
	}
	if ctx == nil {
		return &privacy.Error{Op: op, Kind: privacy.ErrInvalid, Path: "ctx", Msg: "nil context"}
	}
	return nil
}

// event is the audit event of verb v by a about subject (and case,
// object), with its outcome and rule: the NEN 7513 fields (rule N9).
func (s *Service) event(a *Actor, action privacy.EventAction, subject privacy.SubjectID, c privacy.CaseID,
	object string, rule privacy.RuleID, allowed bool) privacy.Event {
	e := privacy.Event{Time: s.now(), Principal: a.ID, Role: a.Role, OnBehalfOf: a.Party, Subject: subject, Case: c,
		Object: object, Action: action, Outcome: privacy.OutcomeDenied, Rule: rule, Policy: s.policy.Version,
		AccessPoint: a.AccessPoint, Client: a.Client}
	if allowed {
		e.Outcome = privacy.OutcomeAllowed
	}
	if e.Rule == "" {
		e.Rule = privacy.RuleDefaultDeny
	}
	return e
}

// refuse audits a refusal (rule N9: denied attempts are logged too) and
// returns err. If the event cannot be written the refusal stands and the
// error says both.
func (s *Service) refuse(ctx context.Context, e privacy.Event, err error) error {
	e.Outcome = privacy.OutcomeDenied
	if r := privacy.RuleOf(err); r != "" {
		e.Rule = r
	}
	if _, aerr := s.store.AppendEvents(ctx, e); aerr != nil {
		return errors.Join(err, aerr)
	}
	return err
}

// act is the act of a at now for purpose, as the case file audits it:
// who, in which role, on whose behalf, why, when and from where (N9).
func act(a *Actor, now time.Time, purpose privacy.Purpose) privacy.Act {
	return privacy.Act{By: a.Principal, At: now, Purpose: purpose, AccessPoint: a.AccessPoint, Client: a.Client,
		Cases: slices.Collect(maps.Keys(a.Cases))}
}

// refused audits err when the store or a rule refused the operation: the
// case file's own refusals (O5, R4, R5, O2, N5, G3, ErrForbidden), an ID
// that is taken (ErrExists) and a write that meets another state
// (ErrConflict) are logged like the engine's (N9), so that probing the
// store leaves a trace. Other errors (bad input, a store that failed) are
// returned as they are.
func (s *Service) refused(ctx context.Context, e privacy.Event, err error) error {
	if errors.Is(err, privacy.ErrForbidden) || errors.Is(err, privacy.ErrExists) || errors.Is(err, privacy.ErrConflict) {
		return s.refuse(ctx, e, err)
	}
	return err
}

// clashed audits err when the store found the operation's ID taken
// (ErrExists) or the object in another state (ErrConflict: a grant revoked
// already, a hold lifted already), as a denial with e's fields, so that
// probing IDs and states leaves a trace (N9); the engines audit their own
// refusals by rule, so other errors are returned as they are.
func (s *Service) clashed(ctx context.Context, e privacy.Event, err error) error {
	if errors.Is(err, privacy.ErrExists) || errors.Is(err, privacy.ErrConflict) {
		return s.refuse(ctx, e, err)
	}
	return err
}

// caseStaff reports whether r is one of the service's own staff who work
// with cases: case managers, physicians (not support staff, the
// administrator or the privacy officer).
func caseStaff(r privacy.Role) bool {
	return r == privacy.RoleCaseManager || r == privacy.RolePhysician
}
