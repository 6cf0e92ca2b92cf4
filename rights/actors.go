package rights

import (
	"context"
	"errors"
	"slices"

	"github.com/dossierwacht/dossierwacht/privacy"
)

// Who acts at the desk (see the package documentation, # Who acts).

// roles is a set of roles that may take a kind of step.
type roles []privacy.Role

var (
	// filers file requests: the subject their own (checked apart), the
	// staff what they receive.
	filers = roles{privacy.RoleSubject, privacy.RoleCaseManager, privacy.RolePhysician, privacy.RoleSupportStaff,
		privacy.RolePrivacyOfficer}
	// deciders confirm, extend, refuse, answer, plan and apply.
	deciders = roles{privacy.RoleCaseManager, privacy.RolePhysician, privacy.RolePrivacyOfficer}
	// exporters export: the subject their own data (checked apart), and
	// the staff who read case content.
	exporters = roles{privacy.RoleSubject, privacy.RoleCaseManager, privacy.RolePhysician}
)

// objectOf is a request as an audit event's object.
func objectOf(id RequestID) string {
	if !privacy.ValidID(string(id)) {
		return ""
	}
	return "request:" + string(id)
}

// event is an audit event of act, with the NEN 7513 fields (rules G7,
// N9): who, in which role, for whom, why, from where, when, under which
// policy version.
func (d *Desk) event(act *privacy.Act, action privacy.EventAction, rule privacy.RuleID, subject privacy.SubjectID,
	object string) privacy.Event {
	return privacy.Event{Time: privacy.Timestamp(act.At), Principal: act.By.ID, Role: act.By.Role, OnBehalfOf: act.By.Party,
		Purpose: act.Purpose, Subject: subject, Object: object, Action: action, Outcome: privacy.OutcomeAllowed, Rule: rule,
		Policy: d.policy.Version, AccessPoint: act.AccessPoint, Client: act.Client}
}

// stepEvent is the audit event of step s of request r, taken by act.
func (d *Desk) stepEvent(act *privacy.Act, r *Request, s *Step, action privacy.EventAction) privacy.Event {
	return d.event(act, action, cmpRule(s.Rule, d.ownRule()), r.Subject, objectOf(r.ID))
}

func cmpRule(r, fallback privacy.RuleID) privacy.RuleID {
	if r == "" {
		return fallback
	}
	return r
}

// ownRule is the rule under which a data subject's requests are their
// own, to file and to have decided by the service: the policy's written
// request rule (R11 or O13), else O13.
func (d *Desk) ownRule() privacy.RuleID {
	if len(d.policy.Requests.WrittenBy) > 0 {
		return d.policy.Requests.WrittenBy[0]
	}
	return privacy.O13
}

// deniedRule is the rule that refuses a step to a principal of role:
// staff who see no case content (R8: support staff, the privacy officer,
// for what shows content), the application administrator (R12), and
// anyone else — the employer, the insurer, a subject acting on another's
// request — under the subject's own right (R11 or O13).
func (d *Desk) deniedRule(role privacy.Role) privacy.RuleID {
	switch role {
	case privacy.RoleSupportStaff, privacy.RolePrivacyOfficer:
		return privacy.R8
	case privacy.RoleAdministrator:
		return privacy.R12
	}
	return d.ownRule()
}

// gate lets act take a step that allowed may take, about subject's data
// (the subject role acts on its own data only; empty subject: the step
// names none, and the subject role is refused). Anyone else is refused
// before anything is read, with an error matching [privacy.ErrForbidden]
// that names the rule, and the refusal is audited as a denial of action on
// object. A refusal that cannot be audited fails with
// [privacy.ErrUnavailable] and rule G7.
func (d *Desk) gate(ctx context.Context, o string, act privacy.Act, allowed roles, subject privacy.SubjectID,
	object string, action privacy.EventAction) error {
	role := act.By.Role
	ok := slices.Contains(allowed, role)
	if role == privacy.RoleSubject {
		ok = ok && subject != "" && act.By.Subject == subject
	}
	if ok {
		return nil
	}
	return d.deny(ctx, o, act, d.deniedRule(role), subject, object, action, "the role may not take this step")
}

// request loads request id for act, a decider the gate let through, to
// take step o (an audited action on the request). A case manager or
// physician sees only the requests of subjects in one of whose cases it
// is assigned (rules R7, O4: content needs an assignment, and a request
// tells its subject, kind, records and history); the privacy officer sees
// all. Another subject's request answers as a missing one does — the same
// kind and text, one denied audit event — so that probing request IDs
// tells neither which exist nor whose they are (O10, N9).
func (d *Desk) request(ctx context.Context, o string, act *privacy.Act, id RequestID, action privacy.EventAction) (Request, error) {
	r, err := d.store.Request(ctx, id)
	switch {
	case errors.Is(err, privacy.ErrNotFound):
		return Request{}, d.hide(ctx, o, act, privacy.RuleDefaultDeny, "", id, action)
	case err != nil:
		return Request{}, err
	}
	if act.By.Role == privacy.RolePrivacyOfficer {
		return r, nil
	}
	ok, err := d.assigned(ctx, act, r.Subject)
	if err != nil {
		return Request{}, err
	}
	if !ok {
		// Rules R7, O4: not assigned to the subject.
		return Request{}, d.hide(ctx, o, act, d.assignRule(), r.Subject, id, action)
	}
	return r, nil
}

// assigned reports whether act's principal is assigned to one of the
// subject's cases. A subject the case file does not know has none.
func (d *Desk) assigned(ctx context.Context, act *privacy.Act, subject privacy.SubjectID) (bool, error) {
	if len(act.Cases) == 0 {
		return false, nil
	}
	cases, err := d.dossiers.SubjectCases(ctx, subject)
	if errors.Is(err, privacy.ErrNotFound) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	for _, c := range cases {
		if slices.Contains(act.Cases, c.ID) {
			return true, nil
		}
	}
	return false, nil
}

// hide audits the denial of action on request id under rule and returns
// the one error of step o for a request that is missing or not act's to
// see: the same kind and text, whichever it is (O10).
func (d *Desk) hide(ctx context.Context, o string, act *privacy.Act, rule privacy.RuleID, subject privacy.SubjectID,
	id RequestID, action privacy.EventAction) error {
	e := d.event(act, action, rule, subject, objectOf(id))
	e.Outcome = privacy.OutcomeDenied
	if _, err := d.store.AppendEvents(ctx, e); err != nil {
		return auditFailed(o, err)
	}
	return &privacy.Error{Op: op + o, Kind: privacy.ErrNotFound, Path: "id", Msg: "no such request"}
}

// assignRule is the rule that keeps staff out of a subject's data without
// an assignment, as the access engine names it: the first of R7 and O4
// the policy's access rules cite, else R7 under a policy of regulation R,
// else O4.
func (d *Desk) assignRule() privacy.RuleID {
	for _, a := range d.policy.Access {
		if a.Rule == privacy.R7 || a.Rule == privacy.O4 {
			return a.Rule
		}
	}
	if slices.Contains(d.policy.Regulations, "R") {
		return privacy.R7
	}
	return privacy.O4
}

// deny refuses act the step o under rule and audits the refusal as a
// denial of action on object of subject's data.
func (d *Desk) deny(ctx context.Context, o string, act privacy.Act, rule privacy.RuleID, subject privacy.SubjectID,
	object string, action privacy.EventAction, msg string) error {
	if !privacy.ValidID(string(subject)) {
		subject = ""
	}
	e := d.event(&act, action, rule, subject, object)
	e.Outcome = privacy.OutcomeDenied
	if _, err := d.store.AppendEvents(ctx, e); err != nil {
		return auditFailed(o, err)
	}
	return &privacy.Error{Op: op + o, Kind: privacy.ErrForbidden, Rule: rule, Path: "act.by", Msg: msg}
}

// eraseRule is the rule an erasure is decided under, as package retention
// decides it: O13, or R9 under a policy of regulation R alone.
func (d *Desk) eraseRule() privacy.RuleID {
	if !slices.Contains(d.policy.Regulations, "O") && slices.Contains(d.policy.Regulations, "R") {
		return privacy.R9
	}
	return privacy.O13
}

// auditFailed is the error of a step whose audit event could not be
// written: the step is not taken (rule G7).
func auditFailed(o string, err error) error {
	return &privacy.Error{Op: op + o, Kind: privacy.ErrUnavailable, Rule: privacy.G7,
		Msg: "the step could not be audited, so it is not taken", Err: err}
}
