package consent

import (
	"cmp"
	"context"
	"errors"
	"log/slog"
	"slices"
	"strconv"
	"time"

	"github.com/dossierwacht/dossierwacht/access"
	"github.com/dossierwacht/dossierwacht/privacy"
)

// Disclosure is one entry of the disclosure log: what went to whom, of
// which subject, when, on which basis, by whose hand (R6, O14, G1, G4).
// Entries are written only by [Registry.Disclose], in the same atomic step
// as the decision that allowed them, and never change: a later revocation
// does not touch them.
type Disclosure struct {
	ID        DisclosureID      `json:"id"`
	Subject   privacy.SubjectID `json:"subject"`
	Case      privacy.CaseID    `json:"case,omitempty"`
	Recipient Recipient         `json:"recipient"`
	Items     []Item            `json:"items"`
	Purpose   privacy.Purpose   `json:"purpose"`
	At        time.Time         `json:"at"`
	// By and Role are the principal who disclosed.
	By   privacy.PrincipalID `json:"by"`
	Role privacy.Role        `json:"role"`
	// WrittenRequest references the recipient's written request, when it
	// made one (rule O14: a third party or the employer receives data on
	// consent only on its written request).
	WrittenRequest string `json:"written_request,omitempty"`
	// Rule, Basis, LegalBasis and Grants are the allowing decision's.
	Rule       privacy.RuleID       `json:"rule"`
	Basis      privacy.BasisKind    `json:"basis"`
	LegalBasis privacy.LegalBasisID `json:"legal_basis,omitempty"`
	Grants     []GrantID            `json:"grants,omitempty"`
	// NotifySubject records that the same text went to the subject (N2).
	NotifySubject bool `json:"notify_subject,omitempty"`
	// Policy is the version of the policy that allowed it (O16).
	Policy string `json:"policy"`
	// Coverage is the entry of the coverage register an absence
	// insurer's overview rested on (O11).
	Coverage CoverageID `json:"coverage,omitempty"`
}

// Clone returns a deep copy of d: stores copy disclosures in and out.
func (d Disclosure) Clone() Disclosure {
	d.Items = slices.Clone(d.Items)
	for i := range d.Items {
		d.Items[i].Fields = slices.Clone(d.Items[i].Fields)
	}
	d.Grants = slices.Clone(d.Grants)
	return d
}

// LogValue identifies the disclosure by ID, subject and recipient.
func (d Disclosure) LogValue() slog.Value {
	return slog.GroupValue(slog.String("id", string(d.ID)), slog.String("subject", string(d.Subject)),
		slog.String("recipient", d.Recipient.String()))
}

// Verdict is what the callback of [Store.Disclose] hands back to the store
// to record: the log entry of an allowed disclosure (nil when denied) and
// the audit events, which a denied disclosure has too.
type Verdict struct {
	Disclosure *Disclosure
	Events     []privacy.Event
}

// Store keeps consent grants, their revocations, the coverage register
// and the disclosure log, and reads the cases and records a disclosure
// names. It is the small interface an adapter implements; users work with
// [Registry], which validates and decides before anything reaches the
// Store. Package consenttest checks an adapter against this contract.
//
// The case file is read through the Store rather than through a second
// argument of [New] because a disclosure must be decided on the case and
// the records as the service holds them: one argument cannot be paired by
// mistake with another service's case file, and every adapter keeps the
// case file on the same type already (its Case, Record and MedicalRecord
// are those of [privacy.Store]).
//
// Contract:
//   - Methods are safe for concurrent use.
//   - Values are copied in and out: changing a returned Grant's
//     Categories never changes the store.
//   - A missing grant, coverage, case or record gives an error matching
//     [privacy.ErrNotFound]; an ID that exists gives [privacy.ErrExists];
//     a storage failure gives [privacy.ErrUnavailable]. Adapters
//     translate driver errors into these kinds.
//   - Every write method is one atomic unit with the audit events it is
//     given: all of it lands, or on error none of it.
//   - Disclose and RevokeGrant on the same subject are serialised (one
//     lock, or one transaction that locks the subject's grants): a
//     disclosure never rests on a grant whose revocation took effect
//     before the disclosure's time. Disclose and EndCoverage on the same
//     coverage are serialised likewise.
//   - Times come back equal (time.Time.Equal) to what went in, given
//     [privacy.Timestamp]-normalised input.
type Store interface {
	// AddGrant stores a new grant and appends events to the audit trail.
	AddGrant(ctx context.Context, g Grant, events []privacy.Event) error
	// Grant returns the grant with the given ID.
	Grant(ctx context.Context, id GrantID) (Grant, error)
	// SubjectGrants returns the subject's grants, revoked ones included,
	// ordered by Given, then ID; none is an empty list, not an error.
	SubjectGrants(ctx context.Context, subject privacy.SubjectID) ([]Grant, error)
	// RevokeGrant sets the grant's Revoked time to at, appends events and
	// returns the grant as revoked. It fails with [privacy.ErrConflict],
	// changing nothing, when the grant is revoked already or when a
	// logged disclosure at or after at rests on it (a revocation never
	// rewrites what was disclosed before it).
	RevokeGrant(ctx context.Context, id GrantID, at time.Time, events []privacy.Event) (Grant, error)

	// AddCoverage stores a new entry of the coverage register and
	// appends events to the audit trail.
	AddCoverage(ctx context.Context, c Coverage, events []privacy.Event) error
	// Coverage returns the coverage with the given ID.
	Coverage(ctx context.Context, id CoverageID) (Coverage, error)
	// EmployerCoverage returns the coverage register's entries for an
	// employer, ended ones included, ordered by From, then ID; none is an
	// empty list, not an error.
	EmployerCoverage(ctx context.Context, employer privacy.PartyID) ([]Coverage, error)
	// EndCoverage sets the coverage's Until to at, appends events and
	// returns the coverage as ended. It fails with [privacy.ErrConflict],
	// changing nothing, when the coverage ends at or before at already,
	// or when a logged disclosure at or after at rests on it.
	EndCoverage(ctx context.Context, id CoverageID, at time.Time, events []privacy.Event) (Coverage, error)

	// Disclose is one atomic unit: it reads the subject's grants (copies,
	// revoked ones included) under the lock or transaction that
	// serialises it with RevokeGrant and, when employer is not empty,
	// the employer's coverage (as EmployerCoverage, under the lock that
	// serialises it with EndCoverage), calls decide once with them, and
	// records what decide returns: the Disclosure, if any, in the log and
	// the Events in the audit trail. A Disclosure whose ID is in the log
	// already fails the whole unit with [privacy.ErrExists]. decide has
	// no side effects beyond its return value; an adapter that retries a
	// transaction may call it again.
	Disclose(ctx context.Context, subject privacy.SubjectID, employer privacy.PartyID,
		decide func(grants []Grant, coverage []Coverage) Verdict) error
	// SubjectDisclosures returns the subject's disclosure log ordered by
	// At, then ID; none is an empty list, not an error.
	SubjectDisclosures(ctx context.Context, subject privacy.SubjectID) ([]Disclosure, error)

	// Case returns the case with the given ID, as [privacy.Store.Case].
	Case(ctx context.Context, id privacy.CaseID) (privacy.Case, error)
	// Record returns a non-medical record, as [privacy.Store.Record].
	Record(ctx context.Context, id privacy.RecordID) (privacy.Record, error)
	// MedicalRecord returns a record of the medical file, as
	// [privacy.MedicalStore.MedicalRecord].
	MedicalRecord(ctx context.Context, id privacy.RecordID) (privacy.Record, error)
}

// Options configure a [Registry]. The zero value, and nil, mean the
// defaults; there is nothing to configure yet. In particular no option
// turns off a check: the case and every named record are always read from
// the store and checked.
type Options struct{}

// Registry is the consent register and disclosure gate of a service: it
// records the subjects' grants and their revocations, decides every
// disclosure from the policy, the grants and the legal bases, and logs
// each allowed disclosure in the same atomic step as the decision, with
// an audit event for allowed and denied ones alike. It answers who received
// what (G1) and whom to tell of a rectification or erasure (G4).
//
// A Registry is safe for concurrent use if its Store is.
//
// Like every engine below the front door, a Registry takes each step's
// time from its caller and reads no clock: a caller that dates a
// disclosure in the future makes a revocation before that date fail with
// [privacy.ErrConflict] (a revocation does not undo what was disclosed).
// The front door ([github.com/dossierwacht/dossierwacht.Service]) dates
// every step from its own clock, so its callers cannot; a program that
// uses the Registry directly must do the same. Nor does the Registry read
// the holds of package retention: a restriction of processing (GDPR art.
// 18) is refused by the front door before the Registry is asked.
type Registry struct {
	store   Store
	decider *Engine
}

// New returns a Registry keeping its data in store and deciding by policy,
// which is validated and copied. Nil opts means the defaults.
func New(store Store, policy *privacy.Policy, opts *Options) (*Registry, error) {
	if store == nil {
		return nil, &privacy.Error{Op: "consent: new registry", Kind: privacy.ErrInvalid, Msg: "nil store"}
	}
	d, err := NewEngine(policy)
	if err != nil {
		return nil, err
	}
	return &Registry{store: store, decider: d}, nil
}

// Engine returns the pure decision engine the registry uses.
func (r *Registry) Engine() *Engine { return r.decider }

// formRule is the rule a grant of form f serves: written consent is O14's
// (and O6's), explicit consent R6's.
func formRule(f Form) privacy.RuleID {
	if f == FormWritten {
		return privacy.O14
	}
	return privacy.R6
}

// checkRecorder refuses a principal that may not record or revoke the
// subject's consent: consent is the subject's own, recorded by the
// subject or by the service's staff, never by the party that would
// receive the data or by the administrator.
func checkRecorder(op string, by *access.Principal, subject privacy.SubjectID, rule privacy.RuleID) error {
	if err := by.Validate(); err != nil {
		return err
	}
	switch by.Role {
	case privacy.RoleSubject:
		if by.Subject == subject {
			return nil
		}
	case privacy.RoleCaseManager, privacy.RolePhysician, privacy.RoleSupportStaff:
		return nil
	}
	// Rules R6, O14: the consent must be the subject's own.
	return &privacy.Error{Op: op, Kind: privacy.ErrForbidden, Rule: rule, Path: "by",
		Msg: "consent is recorded by the subject or the service's staff"}
}

// checkTime refuses a missing time of recording.
func checkTime(op string, at time.Time) error {
	if at.IsZero() {
		return &privacy.Error{Op: op, Kind: privacy.ErrInvalid, Path: "at", Msg: "missing"}
	}
	return nil
}

func (r *Registry) grantEvent(by *access.Principal, g *Grant, at time.Time, action privacy.EventAction) privacy.Event {
	e := privacy.Event{Time: at, Principal: by.ID, Role: by.Role, OnBehalfOf: by.Party, Purpose: g.Purpose,
		Subject: g.Subject, Case: g.Case, Object: string(g.ID), Action: action, Outcome: privacy.OutcomeAllowed,
		Rule: formRule(g.Form), Policy: r.decider.version, AccessPoint: by.AccessPoint, Client: by.Client}
	if len(g.Categories) == 1 {
		e.Category = g.Categories[0]
	}
	return e
}

// AddGrant records a grant the subject gave, as of at, the time it is
// recorded (its audit event's time), which is not before g.Given: consent
// is recorded once it is given, never ahead of it (rule R6). The grant is
// validated ([Grant.Validate]); a grant that is revoked already is
// refused. by must be the subject or one of the service's staff
// ([privacy.ErrForbidden] otherwise). A grant with the ID of another
// fails with [privacy.ErrExists]. It returns the grant as stored.
func (r *Registry) AddGrant(ctx context.Context, by *access.Principal, g Grant, at time.Time) (Grant, error) {
	const op = "consent: add grant"
	g = g.normalize()
	at = privacy.Timestamp(at)
	if err := g.Validate(); err != nil {
		return Grant{}, err
	}
	if !g.Revoked.IsZero() {
		return Grant{}, &privacy.Error{Op: op, Kind: privacy.ErrInvalid, Path: "revoked", Msg: "a new grant is not revoked"}
	}
	if err := checkTime(op, at); err != nil {
		return Grant{}, err
	}
	if g.Given.After(at) {
		// Rule R6: a grant is recorded after the subject gave it.
		return Grant{}, &privacy.Error{Op: op, Kind: privacy.ErrInvalid, Rule: privacy.R6, Path: "given",
			Msg: "a grant is given before it is recorded"}
	}
	if err := checkRecorder(op, by, g.Subject, formRule(g.Form)); err != nil {
		return Grant{}, err
	}
	if err := r.store.AddGrant(ctx, g, []privacy.Event{r.grantEvent(by, &g, at, privacy.EventCreate)}); err != nil {
		return Grant{}, err
	}
	return g.Clone(), nil
}

// Revoke withdraws a grant as of at, with an audit event: every disclosure
// at or after at that would rest on it is refused, and the log of earlier
// disclosures stays as it was; a disclosure dated before at, asked after
// the revocation is recorded, is refused too (rule R6). Revoking twice,
// or as of a time before a disclosure that already rests on the grant,
// fails with [privacy.ErrConflict]; a revocation before the grant was
// given fails with [privacy.ErrInvalid]. by must be the subject or one of
// the service's staff. It returns the grant as revoked.
func (r *Registry) Revoke(ctx context.Context, by *access.Principal, id GrantID, at time.Time) (Grant, error) {
	const op = "consent: revoke grant"
	if !privacy.ValidID(string(id)) {
		return Grant{}, &privacy.Error{Op: op, Kind: privacy.ErrInvalid, Path: "id", Msg: idRule}
	}
	at = privacy.Timestamp(at)
	g, err := r.store.Grant(ctx, id)
	if err != nil {
		return Grant{}, err
	}
	if err := checkRecorder(op, by, g.Subject, formRule(g.Form)); err != nil {
		return Grant{}, err
	}
	if at.IsZero() || at.Before(g.Given) {
		return Grant{}, &privacy.Error{Op: op, Kind: privacy.ErrInvalid, Path: "at", Msg: "a revocation comes after the grant was given"}
	}
	if !g.Revoked.IsZero() {
		return Grant{}, &privacy.Error{Op: op, Kind: privacy.ErrConflict, Msg: "the grant is revoked already"}
	}
	return r.store.RevokeGrant(ctx, id, at, []privacy.Event{r.grantEvent(by, &g, at, privacy.EventUpdate)})
}

// checkCoverageKeeper refuses a principal that may not keep the coverage
// register: the service's staff do, the administrator (who manages
// accounts, R12) and outside parties do not.
func checkCoverageKeeper(op string, by *access.Principal) error {
	if err := by.Validate(); err != nil {
		return err
	}
	if !by.Role.Staff() || by.Role == privacy.RoleAdministrator {
		// Rule O11: which insurer sees which employer's sick employees
		// is the service's to record.
		return &privacy.Error{Op: op, Kind: privacy.ErrForbidden, Rule: privacy.O11, Path: "by",
			Msg: "the coverage register is kept by the service's staff"}
	}
	return nil
}

func (r *Registry) coverageEvent(by *access.Principal, c *Coverage, at time.Time, action privacy.EventAction) privacy.Event {
	return privacy.Event{Time: at, Principal: by.ID, Role: by.Role, OnBehalfOf: by.Party, Object: string(c.ID),
		Action: action, Outcome: privacy.OutcomeAllowed, Rule: privacy.O11, Policy: r.decider.version,
		AccessPoint: by.AccessPoint, Client: by.Client}
}

// AddCoverage records, as of at (its audit event's time), that an absence
// insurer covers an employer from c.From until c.Until (rule O11): from
// then on [Registry.Disclose] gives that insurer the overview of the
// employer's sick employees. The coverage is validated
// ([Coverage.Validate]); by must be one of the service's staff, not the
// administrator ([privacy.ErrForbidden] otherwise). An ID that exists
// fails with [privacy.ErrExists]. It returns the coverage as stored.
func (r *Registry) AddCoverage(ctx context.Context, by *access.Principal, c Coverage, at time.Time) (Coverage, error) {
	const op = "consent: add coverage"
	c = c.normalize()
	at = privacy.Timestamp(at)
	if err := c.Validate(); err != nil {
		return Coverage{}, err
	}
	if err := checkTime(op, at); err != nil {
		return Coverage{}, err
	}
	if err := checkCoverageKeeper(op, by); err != nil {
		return Coverage{}, err
	}
	if err := r.store.AddCoverage(ctx, c, []privacy.Event{r.coverageEvent(by, &c, at, privacy.EventCreate)}); err != nil {
		return Coverage{}, err
	}
	return c, nil
}

// EndCoverage ends a coverage as of at, with an audit event: from at on,
// the insurer no longer receives the overview of the employer's sick
// employees. A coverage that ends at or before at already, or on which a
// logged disclosure at or after at rests, fails with
// [privacy.ErrConflict]; an end before the coverage's start fails with
// [privacy.ErrInvalid]. by must be one of the service's staff. It returns
// the coverage as ended.
func (r *Registry) EndCoverage(ctx context.Context, by *access.Principal, id CoverageID, at time.Time) (Coverage, error) {
	const op = "consent: end coverage"
	if !privacy.ValidID(string(id)) {
		return Coverage{}, &privacy.Error{Op: op, Kind: privacy.ErrInvalid, Path: "id", Msg: idRule}
	}
	at = privacy.Timestamp(at)
	if err := checkCoverageKeeper(op, by); err != nil {
		return Coverage{}, err
	}
	c, err := r.store.Coverage(ctx, id)
	if err != nil {
		return Coverage{}, err
	}
	if at.IsZero() || !at.After(c.From) {
		return Coverage{}, &privacy.Error{Op: op, Kind: privacy.ErrInvalid, Path: "at", Msg: "a coverage ends after it starts"}
	}
	if !c.Until.IsZero() && !c.Until.After(at) {
		return Coverage{}, &privacy.Error{Op: op, Kind: privacy.ErrConflict, Msg: "the coverage ends by then already"}
	}
	return r.store.EndCoverage(ctx, id, at, []privacy.Event{r.coverageEvent(by, &c, at, privacy.EventUpdate)})
}

// Coverage returns an entry of the coverage register.
func (r *Registry) Coverage(ctx context.Context, id CoverageID) (Coverage, error) {
	if !privacy.ValidID(string(id)) {
		return Coverage{}, &privacy.Error{Op: "consent: coverage", Kind: privacy.ErrInvalid, Path: "id", Msg: idRule}
	}
	return r.store.Coverage(ctx, id)
}

// EmployerCoverage returns the coverage register's entries for an
// employer, ended ones included, ordered by start.
func (r *Registry) EmployerCoverage(ctx context.Context, employer privacy.PartyID) ([]Coverage, error) {
	if !privacy.ValidID(string(employer)) {
		return nil, &privacy.Error{Op: "consent: employer coverage", Kind: privacy.ErrInvalid, Path: "employer", Msg: idRule}
	}
	return r.store.EmployerCoverage(ctx, employer)
}

// Grant returns a grant.
func (r *Registry) Grant(ctx context.Context, id GrantID) (Grant, error) {
	if !privacy.ValidID(string(id)) {
		return Grant{}, &privacy.Error{Op: "consent: grant", Kind: privacy.ErrInvalid, Path: "id", Msg: idRule}
	}
	return r.store.Grant(ctx, id)
}

// Grants returns the subject's grants, revoked ones included, in the
// order they were given.
func (r *Registry) Grants(ctx context.Context, subject privacy.SubjectID) ([]Grant, error) {
	if !privacy.ValidID(string(subject)) {
		return nil, &privacy.Error{Op: "consent: grants", Kind: privacy.ErrInvalid, Path: "subject", Msg: idRule}
	}
	return r.store.SubjectGrants(ctx, subject)
}

// prepared is a request ready to decide: validated, with its case as the
// store holds it.
type prepared struct {
	req Request
	c   privacy.Case
	// hidden names the rule that hides the case from the discloser, when
	// the case is missing, not the subject's ([privacy.RuleDefaultDeny])
	// or one the discloser may not know of (the access engine's rule):
	// the request is then answered as for a missing case.
	hidden privacy.RuleID
}

// errNoSuch is the one answer to a case or record that is missing, of
// another subject or case, or of another category than named: the caller
// learns nothing of what the store does hold.
func errNoSuch(op, path string) error {
	return &privacy.Error{Op: op, Kind: privacy.ErrNotFound, Path: path, Msg: "no such case or record"}
}

// prepare validates req and reads its case and records: the case must be
// the subject's, one the discloser may know of (as [access.Engine.Visible]
// decides for the case's own purpose), and every named record of the
// named category, subject and case, always. A missing case, another
// subject's and a hidden one are alike to the caller, and so are a missing
// record and a mismatched one. A principal that never discloses (outside
// parties, the subject, the administrator) learns nothing of the store:
// its request is decided and denied without reading it.
func (r *Registry) prepare(ctx context.Context, op string, req Request) (prepared, error) {
	req = req.normalize()
	// A principal forbidden as such (O7) is decided, denied and audited.
	if err := req.Validate(); err != nil && (!errors.Is(err, privacy.ErrForbidden) || privacy.RuleOf(err) != privacy.O7) {
		return prepared{}, err
	}
	if !req.By.Role.Staff() || req.By.Role == privacy.RoleAdministrator {
		return prepared{req: req}, nil
	}
	c, err := r.store.Case(ctx, req.Case)
	switch {
	case errors.Is(err, privacy.ErrNotFound):
		return prepared{req: req, hidden: privacy.RuleDefaultDeny}, nil
	case err != nil:
		return prepared{}, err
	case c.ID != req.Case || c.Subject != req.Subject:
		return prepared{req: req, hidden: privacy.RuleDefaultDeny}, nil
	}
	// Rules R7, O4, O2, O10, N4: a case the discloser may not know of is
	// answered as a missing one, as package access answers it.
	if v := r.decider.engine.Visible(access.Request{Principal: req.By, Case: &c, Purpose: c.Purpose, Time: req.At}); !v.Allowed {
		return prepared{req: req, hidden: v.Rule}, nil
	}
	for i := range req.Items {
		it := &req.Items[i]
		if it.Record == "" {
			continue
		}
		var rec privacy.Record
		if it.Category.Medical() {
			rec, err = r.store.MedicalRecord(ctx, it.Record)
		} else {
			rec, err = r.store.Record(ctx, it.Record)
		}
		path := "items[" + strconv.Itoa(i) + "].record"
		switch {
		case errors.Is(err, privacy.ErrNotFound):
			return prepared{}, errNoSuch(op, path)
		case err != nil:
			return prepared{}, err
		case rec.ID != it.Record || rec.Category != it.Category || rec.Subject != req.Subject || rec.Case != req.Case:
			return prepared{}, errNoSuch(op, path)
		}
	}
	return prepared{req: req, c: c}, nil
}

// employer is the party whose coverage a request needs read: the case's
// employer, when the recipient is an absence insurer (O11).
func (p *prepared) employer() privacy.PartyID {
	if p.req.Recipient.Kind == privacy.PartyInsurer && p.c.Contract.PartyKind == privacy.PartyEmployer {
		return p.c.Contract.Party
	}
	return ""
}

// Decide decides req without disclosing: a dry run on the case, the
// subject's grants and the coverage register as they are now. It records
// nothing, not even an audit event; [Registry.Disclose] is what a
// disclosure goes through. Invalid input fails with [privacy.ErrInvalid],
// a missing case or record as [Registry.Disclose] says.
func (r *Registry) Decide(ctx context.Context, req Request) (Decision, error) {
	const op = "consent: decide"
	p, err := r.prepare(ctx, op, req)
	if err != nil {
		return Decision{Policy: r.decider.version}, err
	}
	if p.hidden != "" {
		return Decision{Policy: r.decider.version}, errNoSuch(op, "case")
	}
	f := Facts{Case: p.c}
	if f.Grants, err = r.store.SubjectGrants(ctx, p.req.Subject); err != nil {
		return Decision{Policy: r.decider.version}, err
	}
	if e := p.employer(); e != "" {
		if f.Coverage, err = r.store.EmployerCoverage(ctx, e); err != nil {
			return Decision{Policy: r.decider.version}, err
		}
	}
	return r.decider.Decide(&p.req, &f), nil
}

// Disclose decides req and records the outcome in one atomic step of the
// store: the subject's grants (and, for an absence insurer, the coverage
// register) are read, the decision made and, when it allows, the
// disclosure logged, all under the lock or transaction that serialises it
// with revocations, so that no disclosure is ever logged after a
// revocation took effect. Every decision, allowed or denied, is written to
// the audit trail (G7); a denied one records nothing else.
//
// The case the request names is read from the store first and must be the
// subject's and one the discloser may know of; so is every record an item
// names, which must be of the item's category, of the subject and of the
// case. A missing case, another subject's and one the discloser may not
// know of fail alike with [privacy.ErrNotFound], with one denied audit
// event; a missing record and one that does not match fail alike with
// [privacy.ErrNotFound] too (the caller learns nothing of what the store
// holds). A discloser that never discloses (an outside party, the
// subject, the administrator) is denied without the store being read. The
// decision is [Engine.Decide]'s, on the case as stored.
//
// It returns the decision, and for a denial an error matching
// [privacy.ErrForbidden] that names the rule. Invalid input fails with
// [privacy.ErrInvalid], and a request ID that is in the log already with
// [privacy.ErrExists]; none of these records anything. A principal that
// is forbidden as such (a contractor without its agreement) is denied by
// rule O7, and audited.
func (r *Registry) Disclose(ctx context.Context, req Request) (Decision, error) {
	const op = "consent: disclose"
	p, err := r.prepare(ctx, op, req)
	if err != nil {
		return Decision{Policy: r.decider.version}, err
	}
	rq := &p.req
	if p.hidden != "" {
		// A missing case and a hidden one alike: one denied event, and
		// "not found".
		dec := r.decider.deny(p.hidden, "", reasonHidden)
		if err := r.store.Disclose(ctx, rq.Subject, "", func([]Grant, []Coverage) Verdict {
			return Verdict{Events: []privacy.Event{r.event(rq, &dec, "", string(rq.ID))}}
		}); err != nil {
			return Decision{Policy: r.decider.version}, err
		}
		return Decision{Policy: r.decider.version}, errNoSuch(op, "case")
	}
	var dec Decision
	err = r.store.Disclose(ctx, rq.Subject, p.employer(), func(grants []Grant, coverage []Coverage) Verdict {
		f := Facts{Case: p.c, Grants: grants, Coverage: coverage}
		dec = r.decider.Decide(rq, &f)
		if !dec.Allowed {
			return Verdict{Events: []privacy.Event{r.event(rq, &dec, dec.Category, string(rq.ID))}}
		}
		d := &Disclosure{ID: rq.ID, Subject: rq.Subject, Case: rq.Case, Recipient: rq.Recipient,
			Items: rq.Items, Purpose: rq.Purpose, At: rq.At, By: rq.By.ID, Role: rq.By.Role,
			WrittenRequest: rq.WrittenRequest, Rule: dec.Rule, Basis: dec.Basis, LegalBasis: dec.LegalBasis,
			Grants: dec.Grants(), NotifySubject: dec.NotifySubject, Policy: dec.Policy, Coverage: dec.Coverage}
		events := make([]privacy.Event, len(rq.Items))
		for i, it := range rq.Items {
			obj := string(it.Record)
			if obj == "" {
				obj = string(rq.ID)
			}
			events[i] = r.event(rq, &dec, it.Category, obj)
		}
		return Verdict{Disclosure: d, Events: events}
	})
	if err != nil {
		return Decision{Policy: r.decider.version}, err
	}
	if !dec.Allowed {
		return dec, &privacy.Error{Op: op, Kind: privacy.ErrForbidden, Rule: dec.Rule, Msg: dec.Reason}
	}
	return dec, nil
}

func (r *Registry) event(req *Request, dec *Decision, c privacy.Category, object string) privacy.Event {
	outcome := privacy.OutcomeDenied
	if dec.Allowed {
		outcome = privacy.OutcomeAllowed
	}
	ap, client := req.AccessPoint, req.Client
	if ap == "" {
		ap = req.By.AccessPoint
	}
	if client == "" {
		client = req.By.Client
	}
	return privacy.Event{Time: req.At, Principal: req.By.ID, Role: req.By.Role, OnBehalfOf: req.By.Party,
		Purpose: req.Purpose, Subject: req.Subject, Case: req.Case, Category: c, Object: object,
		Action: privacy.EventExecute, Outcome: outcome, Rule: dec.Rule, Policy: dec.Policy,
		AccessPoint: ap, Client: client}
}

// Consents reports whether the subject consented, in the form the policy
// asks, to q's recipient learning data of q's category at q.At (see
// [Engine.Consents]). It is the question the access engine asks before
// it lets an employer learn of a consultation-hour visit or a periodic
// examination (O10).
func (r *Registry) Consents(ctx context.Context, q Query) (bool, error) {
	if !privacy.ValidID(string(q.Subject)) {
		return false, &privacy.Error{Op: "consent: consents", Kind: privacy.ErrInvalid, Path: "subject", Msg: idRule}
	}
	grants, err := r.store.SubjectGrants(ctx, q.Subject)
	if err != nil {
		return false, err
	}
	return r.decider.Consents(q, grants), nil
}

// Disclosures returns the subject's disclosure log, oldest first: who
// received what, when, on which basis (G1).
func (r *Registry) Disclosures(ctx context.Context, subject privacy.SubjectID) ([]Disclosure, error) {
	if !privacy.ValidID(string(subject)) {
		return nil, &privacy.Error{Op: "consent: disclosures", Kind: privacy.ErrInvalid, Path: "subject", Msg: idRule}
	}
	return r.store.SubjectDisclosures(ctx, subject)
}

// Received sums up what one recipient received of a subject.
type Received struct {
	Recipient Recipient
	// Categories received, in taxonomy order.
	Categories []privacy.Category
	// First and Last are the times of the first and last disclosure;
	// Count is how many there were.
	First, Last time.Time
	Count       int
}

// Recipients returns who received data of the subject, and what, ordered
// by recipient kind then party: the recipients GDPR art. 15(1)(c) tells
// the subject of (G1).
func (r *Registry) Recipients(ctx context.Context, subject privacy.SubjectID) ([]Received, error) {
	log, err := r.Disclosures(ctx, subject)
	if err != nil {
		return nil, err
	}
	var out []Received
	index := map[Recipient]int{}
	for _, d := range log {
		i, ok := index[d.Recipient]
		if !ok {
			i = len(out)
			index[d.Recipient] = i
			out = append(out, Received{Recipient: d.Recipient, First: d.At})
		}
		rc := &out[i]
		rc.Count++
		if d.At.Before(rc.First) {
			rc.First = d.At
		}
		if d.At.After(rc.Last) {
			rc.Last = d.At
		}
		for _, it := range d.Items {
			if !slices.Contains(rc.Categories, it.Category) {
				rc.Categories = append(rc.Categories, it.Category)
			}
		}
	}
	order := map[privacy.Category]int{}
	for i, c := range privacy.Categories() {
		order[c] = i
	}
	for i := range out {
		slices.SortFunc(out[i].Categories, func(a, b privacy.Category) int { return cmp.Compare(order[a], order[b]) })
	}
	slices.SortFunc(out, func(a, b Received) int {
		return cmp.Or(cmp.Compare(a.Recipient.Kind, b.Recipient.Kind), cmp.Compare(a.Recipient.Party, b.Recipient.Party))
	})
	return out, nil
}

// Notice names a recipient to tell of a rectification or erasure, and the
// disclosures that gave it the data concerned (G4).
type Notice struct {
	Recipient   Recipient
	Disclosures []DisclosureID
}

// Notify returns whom to tell that the given data of the subject was
// rectified or erased (GDPR art. 19, rule G4): every recipient of a
// logged disclosure that included it, ordered by kind then party. An item
// naming a record matches disclosures of that record and disclosures of
// its whole category; an item naming only a category matches every
// disclosure of that category. Where both name fields and they share
// none, the change did not concern what was disclosed. Invalid items fail
// with [privacy.ErrInvalid].
func (r *Registry) Notify(ctx context.Context, subject privacy.SubjectID, changed ...Item) ([]Notice, error) {
	const op = "consent: notify"
	if len(changed) == 0 {
		return nil, &privacy.Error{Op: op, Kind: privacy.ErrInvalid, Path: "changed", Msg: "nothing changed"}
	}
	for i := range changed {
		if err := changed[i].validate(op, "changed"); err != nil {
			return nil, err
		}
	}
	log, err := r.Disclosures(ctx, subject)
	if err != nil {
		return nil, err
	}
	var out []Notice
	index := map[Recipient]int{}
	for _, d := range log {
		if !slices.ContainsFunc(d.Items, func(it Item) bool {
			return slices.ContainsFunc(changed, func(c Item) bool { return concerns(c, it) })
		}) {
			continue
		}
		i, ok := index[d.Recipient]
		if !ok {
			i = len(out)
			index[d.Recipient] = i
			out = append(out, Notice{Recipient: d.Recipient})
		}
		out[i].Disclosures = append(out[i].Disclosures, d.ID)
	}
	slices.SortFunc(out, func(a, b Notice) int {
		return cmp.Or(cmp.Compare(a.Recipient.Kind, b.Recipient.Kind), cmp.Compare(a.Recipient.Party, b.Recipient.Party))
	})
	return out, nil
}

// concerns reports whether a change c touches the disclosed item d.
func concerns(c, d Item) bool {
	if c.Category != d.Category {
		return false
	}
	if c.Record != "" && d.Record != "" && c.Record != d.Record {
		return false
	}
	if len(c.Fields) > 0 && len(d.Fields) > 0 &&
		!slices.ContainsFunc(c.Fields, func(f privacy.Field) bool { return slices.Contains(d.Fields, f) }) {
		return false
	}
	return true
}
