package consent

import (
	"cmp"
	"context"
	"log/slog"
	"slices"
	"time"

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
	// Rule, Basis, LegalBasis and Grants are the allowing decision's.
	Rule       privacy.RuleID       `json:"rule"`
	Basis      privacy.BasisKind    `json:"basis"`
	LegalBasis privacy.LegalBasisID `json:"legal_basis,omitempty"`
	Grants     []GrantID            `json:"grants,omitempty"`
	// NotifySubject records that the same text went to the subject (N2).
	NotifySubject bool `json:"notify_subject,omitempty"`
	// Policy is the version of the policy that allowed it (O16).
	Policy string `json:"policy"`
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

// Store keeps consent grants, their revocations and the disclosure log. It
// is the small interface an adapter implements; users work with
// [Registry], which validates and decides before anything reaches the
// Store. Package consenttest checks an adapter against this contract.
//
// Contract:
//   - Methods are safe for concurrent use.
//   - Values are copied in and out: changing a returned Grant's
//     Categories never changes the store.
//   - A missing grant gives an error matching [privacy.ErrNotFound]; an ID
//     that exists gives [privacy.ErrExists]; a storage failure gives
//     [privacy.ErrUnavailable]. Adapters translate driver errors into
//     these kinds.
//   - Every write method is one atomic unit with the audit events it is
//     given: all of it lands, or on error none of it.
//   - Disclose and RevokeGrant on the same subject are serialised (one
//     lock, or one transaction that locks the subject's grants): a
//     disclosure never rests on a grant whose revocation took effect
//     before the disclosure's time.
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
	// Disclose is one atomic unit: it reads the subject's grants (copies,
	// revoked ones included) under the lock or transaction that
	// serialises it with RevokeGrant, calls decide once with them, and
	// records what decide returns: the Disclosure, if any, in the log and
	// the Events in the audit trail. A Disclosure whose ID is in the log
	// already fails the whole unit with [privacy.ErrExists]. decide has
	// no side effects beyond its return value; an adapter that retries a
	// transaction may call it again.
	Disclose(ctx context.Context, subject privacy.SubjectID, decide func(grants []Grant) Verdict) error
	// SubjectDisclosures returns the subject's disclosure log ordered by
	// At, then ID; none is an empty list, not an error.
	SubjectDisclosures(ctx context.Context, subject privacy.SubjectID) ([]Disclosure, error)
}

// RecordReader reads the records a request names, so that [Registry]
// can check that each is of the named category, subject and case before
// it decides. Both [*privacy.Dossiers] and any [privacy.Store] satisfy it.
type RecordReader interface {
	Record(ctx context.Context, id privacy.RecordID) (privacy.Record, error)
	MedicalRecord(ctx context.Context, id privacy.RecordID) (privacy.Record, error)
}

// Options configure a [Registry]. The zero value, and nil, mean the
// defaults.
type Options struct {
	// Records, if set, is where named records are checked (see
	// [RecordReader]). Without it the caller vouches that each item's
	// record is of the item's category, subject and case.
	Records RecordReader
}

// Registry is the consent register and disclosure gate of a service: it
// records the subjects' grants and their revocations, decides every
// disclosure from the policy, the grants and the legal bases, and logs
// each allowed disclosure in the same atomic step as the decision, with
// an audit event for allowed and denied ones alike. It answers who received
// what (G1) and whom to tell of a rectification or erasure (G4).
//
// A Registry is safe for concurrent use if its Store is.
type Registry struct {
	store   Store
	decider *Decider
	records RecordReader
}

// New returns a Registry keeping its data in store and deciding by policy,
// which is validated and copied. Nil opts means the defaults.
func New(store Store, policy *privacy.Policy, opts *Options) (*Registry, error) {
	if store == nil {
		return nil, &privacy.Error{Op: "consent: new registry", Kind: privacy.ErrInvalid, Msg: "nil store"}
	}
	d, err := NewDecider(policy)
	if err != nil {
		return nil, err
	}
	r := &Registry{store: store, decider: d}
	if opts != nil {
		r.records = opts.Records
	}
	return r, nil
}

// Decider returns the pure decision engine the registry uses.
func (r *Registry) Decider() *Decider { return r.decider }

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
func checkRecorder(op string, by privacy.Principal, subject privacy.SubjectID, rule privacy.RuleID) error {
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

func (r *Registry) grantEvent(by privacy.Principal, g *Grant, at time.Time, action privacy.EventAction) privacy.Event {
	e := privacy.Event{Time: at, Principal: by.ID, Role: by.Role, OnBehalfOf: by.Party, Purpose: g.Purpose,
		Subject: g.Subject, Case: g.Case, Object: string(g.ID), Action: action, Outcome: privacy.OutcomeAllowed,
		Rule: formRule(g.Form), Policy: r.decider.version}
	if len(g.Categories) == 1 {
		e.Category = g.Categories[0]
	}
	return e
}

// AddGrant records a grant the subject gave, as of g.Given, with an audit
// event. The grant is validated ([Grant.Validate]); a grant that is
// revoked already is refused. by must be the subject or one of the
// service's staff ([privacy.ErrForbidden] otherwise). A grant with the
// ID of another fails with [privacy.ErrExists]. It returns the grant as
// stored.
func (r *Registry) AddGrant(ctx context.Context, by privacy.Principal, g Grant) (Grant, error) {
	const op = "consent: add grant"
	g = g.normalize()
	if err := g.Validate(); err != nil {
		return Grant{}, err
	}
	if !g.Revoked.IsZero() {
		return Grant{}, &privacy.Error{Op: op, Kind: privacy.ErrInvalid, Path: "revoked", Msg: "a new grant is not revoked"}
	}
	if err := checkRecorder(op, by, g.Subject, formRule(g.Form)); err != nil {
		return Grant{}, err
	}
	if err := r.store.AddGrant(ctx, g, []privacy.Event{r.grantEvent(by, &g, g.Given, privacy.EventCreate)}); err != nil {
		return Grant{}, err
	}
	return g.Clone(), nil
}

// Revoke withdraws a grant as of at, with an audit event: every disclosure
// at or after at that would rest on it is refused, and the log of earlier
// disclosures stays as it was. Revoking twice, or as of a time before a
// disclosure that already rests on the grant, fails with
// [privacy.ErrConflict]; a revocation before the grant was given fails
// with [privacy.ErrInvalid]. by must be the subject or one of the
// service's staff. It returns the grant as revoked.
func (r *Registry) Revoke(ctx context.Context, by privacy.Principal, id GrantID, at time.Time) (Grant, error) {
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

// prepare validates req and checks its records.
func (r *Registry) prepare(ctx context.Context, op string, req Request) (Request, error) {
	req = req.normalize()
	if err := req.Validate(); err != nil {
		return Request{}, err
	}
	if r.records == nil {
		return req, nil
	}
	for _, it := range req.Items {
		if it.Record == "" {
			continue
		}
		var rec privacy.Record
		var err error
		if it.Category.Medical() {
			rec, err = r.records.MedicalRecord(ctx, it.Record)
		} else {
			rec, err = r.records.Record(ctx, it.Record)
		}
		if err != nil {
			return Request{}, err
		}
		if rec.Category != it.Category || rec.Subject != req.Subject || (req.Case != "" && rec.Case != req.Case) {
			return Request{}, &privacy.Error{Op: op, Kind: privacy.ErrInvalid, Path: "items",
				Msg: "record " + string(it.Record) + " is not of the named category, subject and case"}
		}
	}
	return req, nil
}

// Decide decides req without disclosing: a dry run on the subject's
// grants as they are now. It records nothing, not even an audit event;
// [Registry.Disclose] is what a disclosure goes through. Invalid input
// fails with [privacy.ErrInvalid].
func (r *Registry) Decide(ctx context.Context, req Request) (Decision, error) {
	req, err := r.prepare(ctx, "consent: decide", req)
	if err != nil {
		return Decision{Policy: r.decider.version}, err
	}
	grants, err := r.store.SubjectGrants(ctx, req.Subject)
	if err != nil {
		return Decision{Policy: r.decider.version}, err
	}
	return r.decider.Decide(&req, grants), nil
}

// Disclose decides req and records the outcome in one atomic step of the
// store: the subject's grants are read, the decision made and, when it
// allows, the disclosure logged, all under the lock or transaction that
// serialises it with revocations, so that no disclosure is ever logged
// after a revocation took effect. Every decision, allowed or denied, is
// written to the audit trail (G7); a denied one records nothing else.
//
// It returns the decision, and for a denial an error matching
// [privacy.ErrForbidden] that names the rule. Invalid input fails with
// [privacy.ErrInvalid], a named record that does not exist with
// [privacy.ErrNotFound], and a request ID that is in the log already
// with [privacy.ErrExists]; none of these records anything.
func (r *Registry) Disclose(ctx context.Context, req Request) (Decision, error) {
	const op = "consent: disclose"
	req, err := r.prepare(ctx, op, req)
	if err != nil {
		return Decision{Policy: r.decider.version}, err
	}
	var dec Decision
	err = r.store.Disclose(ctx, req.Subject, func(grants []Grant) Verdict {
		dec = r.decider.Decide(&req, grants)
		if !dec.Allowed {
			return Verdict{Events: []privacy.Event{r.event(&req, &dec, dec.Category, string(req.ID))}}
		}
		d := &Disclosure{ID: req.ID, Subject: req.Subject, Case: req.Case, Recipient: req.Recipient,
			Items: req.Items, Purpose: req.Purpose, At: req.At, By: req.By.ID, Role: req.By.Role,
			Rule: dec.Rule, Basis: dec.Basis, LegalBasis: dec.LegalBasis, Grants: dec.Grants(),
			NotifySubject: dec.NotifySubject, Policy: dec.Policy}
		events := make([]privacy.Event, len(req.Items))
		for i, it := range req.Items {
			obj := string(it.Record)
			if obj == "" {
				obj = string(req.ID)
			}
			events[i] = r.event(&req, &dec, it.Category, obj)
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
	return privacy.Event{Time: req.At, Principal: req.By.ID, Role: req.By.Role, OnBehalfOf: req.By.Party,
		Purpose: req.Purpose, Subject: req.Subject, Case: req.Case, Category: c, Object: object,
		Action: privacy.EventExecute, Outcome: outcome, Rule: dec.Rule, Policy: dec.Policy,
		AccessPoint: req.AccessPoint, Client: req.Client}
}

// Consents reports whether the subject consented, in the form the policy
// asks, to q's recipient learning data of q's category at q.At (see
// [Decider.Consents]). It is the question the access engine asks before
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
