package access

import (
	"context"
	"errors"
	"iter"
	"slices"
	"time"

	"github.com/dossierwacht/dossierwacht/privacy"
)

// Store keeps what package access persists: the audit trail (rules G7,
// N9) and the group figures an employer was answered (rule N12). Users
// work with [Guard]; an adapter implements Store, and package
// access/accesstest checks it.
//
// Contract:
//   - Methods are safe for concurrent use; values are copied in and out.
//   - The audit trail is append-only and hash-chained, one chain per
//     subject (events about no subject in the service's own chain, ""):
//     AppendEvents gives each event the next sequence number of its chain
//     (the first is 1) and chains it with [privacy.Event.ChainKeyed] under
//     the same lock or transaction that stores it, so that no chain has
//     gaps or forks; chains need no common lock. All events of a call
//     land, or none.
//   - A storage failure gives an error matching [privacy.ErrUnavailable],
//     and nothing changed.
type Store interface {
	// AppendEvents appends events to the audit trail, all or none, and
	// returns them as stored: numbered and chained.
	AppendEvents(ctx context.Context, events ...privacy.Event) ([]privacy.Event, error)
	// Events yields the audit trail in the order its events were
	// appended, from the from-th on (0 and 1 both mean from the first):
	// every chain, interleaved, each in its order.
	Events(ctx context.Context, from uint64) iter.Seq2[privacy.Event, error]
	// SubjectEvents yields, in order, the events about one subject from
	// sequence number from on (0 and 1 both mean from the first): who
	// accessed, or tried to access, their data (rule N9: a client may ask
	// who accessed their data). An unknown subject yields nothing.
	SubjectEvents(ctx context.Context, subject privacy.SubjectID, from uint64) iter.Seq2[privacy.Event, error]

	// GroupHistory returns the groups answered for employer (rule N12);
	// an employer without any has the zero GroupHistory.
	GroupHistory(ctx context.Context, employer privacy.PartyID) (GroupHistory, error)
	// AddGroup records that a figure about members was answered for
	// employer, together with the audit events that tell of it, all or
	// nothing. If the employer's history is no longer at version, it
	// fails with [privacy.ErrConflict] and changes nothing (the caller
	// decided on a stale history). A new version follows on success. A
	// store that keeps subjects too (a privacy.Store) refuses, with
	// [privacy.ErrNotFound] naming rule N12 and changing nothing, a member
	// that is not one of its subjects, and keeps the members' subjects
	// until the group is stored: an erased subject's ID never enters a
	// history after its erasure took it out of the others.
	AddGroup(ctx context.Context, employer privacy.PartyID, version uint64, members []privacy.SubjectID, events ...privacy.Event) ([]privacy.Event, error)
}

// Guard is what callers use in real code: it decides with an [Engine],
// writes every decision, allowed or denied, and every search to the audit
// trail in a [Store] (rules G7, N9, O1), and loads cases and records from
// [privacy.Dossiers] for views and group figures. No audit, no access: if
// the audit event cannot be written, the decision is a denial and the
// error says why.
//
// A Guard is safe for concurrent use if its Store and Dossiers are.
type Guard struct {
	engine   *Engine
	store    Store
	dossiers *privacy.Dossiers
}

// Options configure a [Guard]. The zero value is the default.
type Options struct {
	// Policy, if set, is the policy the Guard decides under, for instance
	// the version of a [privacy.Versions] in force; by default, the
	// dossiers' own.
	Policy *privacy.Policy
}

// New returns a Guard that audits to store and reads cases from dossiers.
// dossiers may be nil for a Guard that only decides ([Guard.Check],
// [Guard.List]); opts may be nil.
func New(store Store, dossiers *privacy.Dossiers, opts *Options) (*Guard, error) {
	const op = "access: new guard"
	if store == nil {
		return nil, &privacy.Error{Op: op, Kind: privacy.ErrInvalid, Msg: "nil store"}
	}
	var policy *privacy.Policy
	switch {
	case opts != nil && opts.Policy != nil:
		policy = opts.Policy
	case dossiers != nil:
		policy = dossiers.Policy()
	default:
		return nil, &privacy.Error{Op: op, Kind: privacy.ErrInvalid, Msg: "no policy: give dossiers or Options.Policy"}
	}
	e, err := NewEngine(policy)
	if err != nil {
		return nil, err
	}
	return &Guard{engine: e, store: store, dossiers: dossiers}, nil
}

// Engine returns the Guard's engine, for decisions that need no audit
// (a UI deciding which buttons to show); every access to data goes through
// the Guard.
func (g *Guard) Engine() *Engine { return g.engine }

// Check validates r, decides it and writes the decision to the audit
// trail. A malformed request fails with [privacy.ErrInvalid] and writes
// nothing; one that is well formed but forbidden as such (a contractor
// without its agreement, O7; a special category, O5) is denied and
// audited. The caller acts only on an allowed decision with a nil error.
func (g *Guard) Check(ctx context.Context, r Request) (Decision, error) {
	ds, err := g.CheckAll(ctx, []Request{r})
	if err != nil {
		return Decision{}, err
	}
	return ds[0], nil
}

// CheckAll is [Guard.Check] for a batch: every request is validated first
// (one malformed request fails the whole batch, and nothing is written),
// then decided, and all the audit events are appended at once.
func (g *Guard) CheckAll(ctx context.Context, rs []Request) ([]Decision, error) {
	if g == nil {
		return nil, errNoGuard("access: check")
	}
	for i := range rs {
		if err := rs[i].Validate(); malformed(err) {
			return nil, err
		}
	}
	ds := make([]Decision, len(rs))
	events := make([]privacy.Event, len(rs))
	for i := range rs {
		ds[i] = g.engine.Decide(rs[i])
		events[i] = event(&rs[i], ds[i])
	}
	if _, err := g.store.AppendEvents(ctx, events...); err != nil {
		return make([]Decision, len(rs)), auditFailed(err)
	}
	return ds, nil
}

// malformed reports whether err makes a request unfit to be decided at
// all. A request that is well formed but forbidden as such (a contractor
// without its agreement, O7; a special category, O5) is decided, denied and
// audited like any other.
func malformed(err error) bool { return err != nil && !errors.Is(err, privacy.ErrForbidden) }

func auditFailed(err error) error {
	if errors.Is(err, privacy.ErrUnavailable) || errors.Is(err, privacy.ErrInvalid) {
		return &privacy.Error{Op: "access: audit", Kind: privacy.ErrUnavailable, Rule: privacy.G7,
			Msg: "the decision could not be audited, so it is a denial", Err: err}
	}
	return err
}

// ViewRequest asks for the view of one case; see [Guard.View]. Its
// fields mean what those of [Request] mean.
type ViewRequest struct {
	Principal *Principal
	Case      privacy.CaseID
	// Purpose must be the case's (R5); the subject may leave it empty.
	Purpose privacy.Purpose
	Time    time.Time
	// Consent answers whether the subject consented to the case's
	// employer learning of it (O10); nil means no consent.
	Consent ConsentChecker
	// Restriction answers whether a restriction of processing stands on
	// a record (GDPR art. 18); its records are left out of the view of
	// anyone but the subject, audited as denied. nil means none.
	Restriction RestrictionChecker
}

// View loads a case and its records and returns what the principal may
// see of it ([Engine.View]), writing one audit event per record shown or
// withheld, and one for the medical file when it stays closed. The medical
// file is read only when the principal may read medical data (rule O6).
//
// A case the principal may not know of and a case that does not exist are
// answered alike (rule O10: the employer does not even learn that a
// consultation-hour case exists): the same error, matching
// [privacy.ErrNotFound], with the same text; one audit event of the failed
// access either way (rule N9); and the same round trips to the stores (one
// read, one append), so that the time of the answer does not tell them
// apart either. A malformed request fails with [privacy.ErrInvalid] before
// the case is looked up, and writes nothing. A request without a purpose
// (other than the subject's) is not malformed here but denied by rule R5,
// audited and answered as a hidden case.
func (g *Guard) View(ctx context.Context, r ViewRequest) (CaseView, error) {
	const op = "access: view"
	if g == nil || g.dossiers == nil {
		return CaseView{}, &privacy.Error{Op: op, Kind: privacy.ErrInvalid, Msg: "the guard has no dossiers"}
	}
	if !privacy.ValidID(string(r.Case)) {
		return CaseView{}, &privacy.Error{Op: op, Kind: privacy.ErrInvalid, Path: "case", Msg: "malformed case ID"}
	}
	// The request is checked before the case is looked up: a malformed
	// one fails alike whether the case exists or not.
	probe := privacy.Case{ID: r.Case}
	req := Request{Principal: r.Principal, Case: &probe, Action: privacy.ActionRead, Purpose: r.Purpose, Time: r.Time, Consent: r.Consent,
		Restriction: r.Restriction}
	if err := validateAsked(&req); err != nil {
		return CaseView{}, err
	}
	c, err := g.dossiers.Case(ctx, r.Case)
	switch {
	case errors.Is(err, privacy.ErrNotFound):
		// Rules O10, N9: the failed access to a missing case is audited
		// as one to a hidden case is, and answered with the same error.
		d := Decision{Rule: privacy.RuleDefaultDeny, Reason: reasonNoCase, Policy: g.engine.version}
		if _, err := g.store.AppendEvents(ctx, event(&req, d)); err != nil {
			return CaseView{}, auditFailed(err)
		}
		return CaseView{}, errNotFound(op)
	case err != nil:
		return CaseView{}, err
	}
	// The stored case was validated when it was written; the engine
	// denies one that is not (a malformed request is default-denied).
	req.Case = &c
	vis := g.engine.Visible(req)
	if !vis.Allowed {
		if _, err := g.store.AppendEvents(ctx, event(&req, vis)); err != nil {
			return CaseView{}, auditFailed(err)
		}
		return CaseView{}, errNotFound(op)
	}
	// The case's subject is known now: the hot read filters by it too (issue
	// 14 §2, distribution by subject).
	records, err := collect(g.dossiers.SubjectCaseRecords(ctx, c.Subject, c.ID))
	if err != nil {
		return CaseView{}, err
	}
	req.Category = privacy.CategoryMedical
	var medical []privacy.Record
	medicalOpen := g.engine.Decide(req).Allowed
	if medicalOpen {
		// The case file audits its medical file's read too (rule G7).
		act := privacy.Act{By: r.Principal.Principal, At: r.Time, Purpose: req.Purpose,
			AccessPoint: r.Principal.AccessPoint, Client: r.Principal.Client}
		if medical, err = collect(g.dossiers.SubjectCaseMedicalRecords(ctx, act, c.Subject, c.ID)); err != nil {
			return CaseView{}, err
		}
	}
	var v CaseView
	var decided [numCats]Decision
	if err := g.engine.view(&v, req, records, medical, &decided); err != nil {
		return CaseView{}, err
	}
	// The audit: every record shown (read, allowed) or withheld (read,
	// denied). The view keeps the records' order, so walking both side by
	// side tells which were shown.
	events := make([]privacy.Event, 0, len(records)+len(medical)+1)
	j := 0
	for _, file := range [2][]privacy.Record{records, medical} {
		for i := range file {
			rec := &file[i]
			ci := rec.Category.Index()
			if ci < 0 {
				continue
			}
			d := decided[ci]
			if j < len(v.Records) && v.Records[j].ID == rec.ID {
				j++
			} else if d.Allowed && restricted(&req, rec.ID) {
				d = Decision{Rule: privacy.RuleRestriction, Reason: reasonRestricted, Policy: d.Policy}
			} else if d.Allowed {
				// Readable category, but none of this record's fields.
				d = Decision{Rule: d.Rule, Reason: reasonField, Policy: d.Policy}
			}
			req.Category, req.Object = rec.Category, string(rec.ID)
			events = append(events, event(&req, d))
		}
	}
	if !medicalOpen {
		// The medical file stayed closed: that decision is audited too.
		req.Category, req.Object = privacy.CategoryMedical, ""
		events = append(events, event(&req, g.engine.Decide(req)))
	}
	if _, err := g.store.AppendEvents(ctx, events...); err != nil {
		return CaseView{}, auditFailed(err)
	}
	return v, nil
}

// reasonNoCase is the reason a missing case is denied with, in the audit
// trail only.
const reasonNoCase = "no such case"

// errNotFound is the one error of op for a case, subject or member the
// principal may not know of, and for one that does not exist: the same
// kind and text, whichever it is (rule O10).
func errNotFound(op string) error { return &privacy.Error{Op: op, Kind: privacy.ErrNotFound} }

// validateAsked checks what a request asks, before the case it asks
// about is known: the principal, the purpose and the time, as
// [Request.Validate] does. A principal forbidden as such (O7) is decided
// and audited later, not refused here; so is a missing purpose (R5: it is
// not the case's), so that a caller that fills in the case's purpose when
// it finds the case tells a hidden case from a missing one no better.
func validateAsked(r *Request) error {
	const op = "access: validate request"
	if r.Principal == nil {
		return &privacy.Error{Op: op, Kind: privacy.ErrInvalid, Path: "principal", Msg: "missing"}
	}
	if err := r.Principal.Validate(); malformed(err) {
		return err
	}
	if r.Purpose != "" && !privacy.ValidID(string(r.Purpose)) {
		return &privacy.Error{Op: op, Kind: privacy.ErrInvalid, Path: "purpose", Msg: "malformed purpose"}
	}
	if r.Time.IsZero() {
		return &privacy.Error{Op: op, Kind: privacy.ErrInvalid, Path: "time", Msg: "missing"}
	}
	return nil
}

func collect(seq iter.Seq2[privacy.Record, error]) ([]privacy.Record, error) {
	var out []privacy.Record
	for r, err := range seq {
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, nil
}

// List returns the cases the principal may know of ([Engine.List]) and
// audits the search: one search event, and one event per case shown
// (allowed) or left out (denied, with the rule that hid it).
func (g *Guard) List(ctx context.Context, r ListRequest, cases []privacy.Case) ([]privacy.Case, error) {
	const op = "access: list"
	if g == nil {
		return nil, errNoGuard(op)
	}
	if r.Principal == nil {
		return nil, &privacy.Error{Op: op, Kind: privacy.ErrInvalid, Path: "principal", Msg: "missing"}
	}
	if err := r.Principal.Validate(); malformed(err) {
		return nil, err
	}
	if r.Time.IsZero() {
		return nil, &privacy.Error{Op: op, Kind: privacy.ErrInvalid, Path: "time", Msg: "missing"}
	}
	if r.Purpose != "" && !privacy.ValidID(string(r.Purpose)) {
		return nil, &privacy.Error{Op: op, Kind: privacy.ErrInvalid, Path: "purpose", Msg: "malformed purpose"}
	}
	for i := range cases {
		if err := cases[i].Validate(); err != nil {
			return nil, err
		}
	}
	p := r.Principal
	events := make([]privacy.Event, 0, len(cases)+1)
	events = append(events, privacy.Event{Time: r.Time, Principal: p.ID, Role: p.Role, OnBehalfOf: p.Party,
		Purpose: r.Purpose, Object: "cases", Action: privacy.EventSearch, Outcome: privacy.OutcomeAllowed,
		Rule: privacy.N9, Policy: g.engine.version, AccessPoint: p.AccessPoint, Client: p.Client})
	out := make([]privacy.Case, 0, len(cases))
	for i := range cases {
		c := &cases[i]
		d := g.engine.listDecision(&r, c)
		if d.Allowed {
			out = append(out, *c)
		}
		purpose := r.Purpose
		if purpose == "" {
			purpose = c.Purpose
		}
		req := Request{Principal: p, Case: c, Action: privacy.ActionRead, Purpose: purpose, Time: r.Time, Object: string(c.ID)}
		events = append(events, event(&req, d))
	}
	if _, err := g.store.AppendEvents(ctx, events...); err != nil {
		return nil, auditFailed(err)
	}
	return out, nil
}

// event is the audit event of decision d on request r (rules G7, N9).
func event(r *Request, d Decision) privacy.Event {
	p := r.Principal
	e := privacy.Event{Time: r.Time, Principal: p.ID, Role: p.Role, OnBehalfOf: p.Party, Purpose: r.Purpose,
		Category: r.Category, Object: r.Object, Action: eventAction(r), Outcome: privacy.OutcomeDenied,
		Rule: d.Rule, Policy: d.Policy, AccessPoint: p.AccessPoint, Client: p.Client}
	if r.Case != nil {
		e.Subject, e.Case = r.Case.Subject, r.Case.ID
	}
	if d.Allowed {
		e.Outcome = privacy.OutcomeAllowed
	}
	if e.Rule == "" {
		e.Rule = privacy.RuleDefaultDeny
	}
	return e
}

// eventAction maps an action to its NEN 7513 term.
func eventAction(r *Request) privacy.EventAction {
	switch r.Action {
	case privacy.ActionWrite:
		if r.Create {
			return privacy.EventCreate
		}
		return privacy.EventUpdate
	case privacy.ActionDisclose, privacy.ActionExport:
		return privacy.EventExecute
	case privacy.ActionErase:
		return privacy.EventDelete
	}
	return privacy.EventRead
}

// SubjectEvents yields the audit events about a subject from sequence
// number from on (0: from the first): who accessed, or tried to access,
// their data, when, in which role, why and with which outcome (rule N9; the
// subject's export includes it).
func (g *Guard) SubjectEvents(ctx context.Context, subject privacy.SubjectID, from uint64) iter.Seq2[privacy.Event, error] {
	if g == nil {
		return func(yield func(privacy.Event, error) bool) {
			yield(privacy.Event{}, errNoGuard("access: subject events"))
		}
	}
	if !privacy.ValidID(string(subject)) {
		return func(yield func(privacy.Event, error) bool) {
			yield(privacy.Event{}, &privacy.Error{Op: "access: subject events", Kind: privacy.ErrInvalid, Path: "subject", Msg: "malformed subject ID"})
		}
	}
	return g.store.SubjectEvents(ctx, subject, from)
}

// Verify checks every chain of the audit trail (rules G7, N9) against
// want, checkpoints kept outside the database (nil: none), and returns the
// heads it reached; see [VerifyChains]. The key is the store's if it has
// one ([KeyedStore]), and pruned chains start at the store's signed anchors
// ([AnchoredStore]).
func (g *Guard) Verify(ctx context.Context, want Heads) (Heads, error) {
	if g == nil {
		return nil, errNoGuard("access: verify")
	}
	o := VerifyOptions{Want: want}
	if k, ok := g.store.(KeyedStore); ok {
		o.Key = k.AuditKey()
	}
	if a, ok := g.store.(AnchoredStore); ok {
		anchors, err := a.AuditAnchors(ctx)
		if err != nil {
			return nil, err
		}
		o.Anchors = anchors
	}
	events := g.store.Events(ctx, 1)
	if cs, ok := g.store.(ChainStore); ok {
		events = cs.ChainEvents(ctx)
	}
	return VerifyChains(events, o)
}

// ChainStore is a [Store] that reads its trail chain by chain, each in the
// order of its numbers (rule G7): the order a verifier needs, whatever
// order the rows were stored in. [Guard.Verify] reads it when the store
// has it, else Events.
type ChainStore interface {
	ChainEvents(ctx context.Context) iter.Seq2[privacy.Event, error]
}

// KeyedStore is a [Store] that chains its audit events under a key
// ([privacy.Event.ChainKeyed], rule G7); the key is given to the store by
// the program (its Open options), never kept in the database.
type KeyedStore interface {
	AuditKey() []byte
}

// AnchoredStore is a [Store] whose chains may have been pruned after the
// audit retention: AuditAnchors returns each pruned chain's signed
// starting point ([privacy.Anchor]).
type AnchoredStore interface {
	AuditAnchors(ctx context.Context) (map[privacy.SubjectID]privacy.Anchor, error)
}

// HeadsStore is a [Store] that reads the heads of all its chains cheaply,
// for a service to save as checkpoints outside the database ([Checkpoints]).
type HeadsStore interface {
	AuditHeads(ctx context.Context) (Heads, error)
}

// errNoGuard is the error of a method called on a nil *Guard, as when the
// error of [New] was not looked at: a denial, never a panic.
func errNoGuard(op string) error {
	return &privacy.Error{Op: op, Kind: privacy.ErrInvalid, Msg: "no guard: New failed"}
}

// GroupFigure answers an anonymised figure about a group of an employer's
// employees (rule N12), or refuses it with [privacy.ErrForbidden] and rule
// N12 when the group is smaller than the policy's minimum or would, with
// the groups answered before, single out fewer people than that (see
// [CheckGroup]). A confidential figure ([Figure.Confidential]: periodic
// examinations) is answered suppressed, with [GroupFigure.Suppressed], its
// rule and reason and no value, when all or none of the members are
// counted (rule O10) or fewer than the minimum are counted or left out
// (rule N12); the suppressed answer is audited as a denial by that rule. The principal must be an employer contact acting for the
// employer. Members must be subjects employed by it. Answer and refusal
// are audited; the answered group is recorded with its audit event in one
// step, so that two racing requests cannot together break the rule.
func (g *Guard) GroupFigure(ctx context.Context, r GroupRequest) (GroupFigure, error) {
	const op = "access: group figure"
	if g == nil || g.dossiers == nil {
		return GroupFigure{}, &privacy.Error{Op: op, Kind: privacy.ErrInvalid, Msg: "the guard has no dossiers"}
	}
	if err := r.Validate(); malformed(err) {
		return GroupFigure{}, err
	}
	p := r.Principal
	ev := privacy.Event{Time: r.Time, Principal: p.ID, Role: p.Role, OnBehalfOf: p.Party, Object: string(r.Figure),
		Action: privacy.EventExecute, Outcome: privacy.OutcomeDenied, Rule: privacy.N12, Policy: g.engine.version,
		AccessPoint: p.AccessPoint, Client: p.Client}
	ev.Purpose, ev.Category = privacy.PurposeAbsenceGuidance, privacy.CategoryAbsenceFacts
	if r.Figure == FigurePeriodicExam {
		ev.Purpose, ev.Category = privacy.PurposePrevention, privacy.CategoryConsultation
	}
	refuse := func(rule privacy.RuleID, msg string) (GroupFigure, error) {
		ev.Rule = rule
		if _, err := g.store.AppendEvents(ctx, ev); err != nil {
			return GroupFigure{}, auditFailed(err)
		}
		return GroupFigure{}, &privacy.Error{Op: op, Kind: privacy.ErrForbidden, Rule: rule, Msg: msg}
	}
	// Rule N12: a member who is not the employer's subject — never, or no
	// longer — is refused alike, audited as a denial.
	stranger := func() (GroupFigure, error) {
		ev.Outcome, ev.Rule = privacy.OutcomeDenied, privacy.N12
		if _, err := g.store.AppendEvents(ctx, ev); err != nil {
			return GroupFigure{}, auditFailed(err)
		}
		return GroupFigure{}, &privacy.Error{Op: op, Kind: privacy.ErrNotFound, Rule: privacy.N12, Path: "members",
			Msg: "a member is not an employee of the employer"}
	}
	switch {
	case r.Time.Before(g.engine.effective):
		return refuse(privacy.O16, reasonNotInForce)
	case p.Contractor && p.Agreement == "":
		// Rule O7: a contractor without its agreement is refused.
		return refuse(privacy.O7, reasonContractor)
	case p.Role != privacy.RoleEmployerContact:
		// Rule N12: group figures are the employer's.
		return refuse(privacy.RuleDefaultDeny, "group figures are for the employer")
	case !p.ActsFor(r.Employer):
		// Rule O2: only for the party the principal acts for.
		return refuse(privacy.O2, "does not act for the employer")
	}
	members := sortedMembers(r.Members)
	if len(members) < g.engine.minGroup {
		return refuse(privacy.N12, "the group is smaller than the policy's minimum")
	}
	// Every member is looked up, whether an earlier one failed or not: a
	// member who does not exist and one who works for another employer
	// are answered alike, with the same error, audit and round trips (the
	// employer learns nothing of who exists elsewhere).
	unknown := false
	for _, m := range members {
		s, err := g.dossiers.Subject(ctx, m)
		switch {
		case errors.Is(err, privacy.ErrNotFound):
			unknown = true
		case err != nil:
			return GroupFigure{}, err
		case s.Employer != r.Employer:
			unknown = true
		}
	}
	if unknown {
		return stranger()
	}
	var cases []privacy.Case
	for _, m := range members {
		cs, err := g.dossiers.SubjectCases(ctx, m)
		if errors.Is(err, privacy.ErrNotFound) {
			// Rule N12: erased since it was looked up.
			return stranger()
		}
		if err != nil {
			return GroupFigure{}, err
		}
		for i := range cs {
			// GDPR art. 18(2): a case whose processing is restricted is
			// only stored, not counted in a figure.
			if r.Restriction == nil || !r.Restriction.Restricted(&cs[i], "") {
				cases = append(cases, cs[i])
			}
		}
	}
	fig := GroupFigure{Figure: r.Figure, Employer: r.Employer, From: privacy.Timestamp(r.From), To: privacy.Timestamp(r.To),
		Members: len(members), Rule: privacy.N12, Policy: g.engine.version}
	var count int
	fig.Value, count = computeFigure(r.Figure, r.Employer, members, cases, r.From, r.To)
	ev.Outcome = privacy.OutcomeAllowed
	if rule, reason, ok := suppress(r.Figure, count, len(members), g.engine.minGroup); ok {
		// Rules O10, N12: the answer says that, and why, the figure is
		// withheld, never its value. The group counts as answered: the
		// suppression itself told something about it.
		fig.Value, fig.Suppressed, fig.Reason, fig.Rule = 0, true, reason, rule
		ev.Outcome, ev.Rule = privacy.OutcomeDenied, rule
	}
	const tries = 5
	for range tries {
		h, err := g.store.GroupHistory(ctx, r.Employer)
		if err != nil {
			return GroupFigure{}, err
		}
		if err := CheckGroup(h, members, g.engine.minGroup); err != nil {
			ev.Outcome = privacy.OutcomeDenied
			return refuse(privacy.N12, "with earlier answered groups it would single out fewer than the policy's minimum")
		}
		// From here on the answer is given, with its value or suppressed.
		if slices.ContainsFunc(h.Groups, func(g []privacy.SubjectID) bool { return slices.Equal(g, members) }) {
			// The same group again tells nothing new about who is in it.
			if _, err := g.store.AppendEvents(ctx, ev); err != nil {
				return GroupFigure{}, auditFailed(err)
			}
			return fig, nil
		}
		_, err = g.store.AddGroup(ctx, r.Employer, h.Version, members, ev)
		if errors.Is(err, privacy.ErrConflict) {
			continue // another answer landed first: decide again
		}
		if errors.Is(err, privacy.ErrNotFound) && privacy.RuleOf(err) == privacy.N12 {
			// Rule N12: a member was erased since it was looked up: the
			// store refused the group, and the figure is not given.
			return stranger()
		}
		if err != nil {
			return GroupFigure{}, auditFailed(err)
		}
		return fig, nil
	}
	return GroupFigure{}, &privacy.Error{Op: op, Kind: privacy.ErrConflict, Rule: privacy.N12, Msg: "too many concurrent group figures; try again"}
}
