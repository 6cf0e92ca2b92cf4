package access

import (
	"slices"
	"time"

	"github.com/dossierwacht/dossierwacht/privacy"
)

// Request asks whether a principal may take an action on a category (and
// optionally one field) of a case, for a purpose, at a time. It is the
// input of [Engine.Decide].
type Request struct {
	// Principal is the actor, with its assignments. Required.
	Principal *Principal
	// Case is the case the data belongs to. Required.
	Case *privacy.Case
	// Action is what the principal wants to do. Required.
	Action privacy.Action
	// Category is the kind of data. Required.
	Category privacy.Category
	// Field, if set, narrows the question to one field of the category.
	// Left empty, a read asks whether any field of the category is
	// visible (the decision says whether it is [Decision.Partial]); every
	// other action asks about the whole record, every field of it.
	Field privacy.Field
	// Purpose is why the principal asks (rule R5): it must be the case's
	// purpose. The subject acting on their own data may leave it empty.
	Purpose privacy.Purpose
	// Time is when the request is made (the caller's clock: the engine
	// never reads one). Required.
	Time time.Time
	// Consent answers whether the subject consented to the case's
	// employer learning of the case (rule O10): the consent register (the
	// front door asks it), or the caller's own records, supply it; nil
	// means no consent. It is asked only where it matters. Without it an
	// employer learns nothing of a consultation-hour or
	// periodic-examination case. It is the same [ConsentChecker] a
	// listing takes ([ListRequest]): one way to say consent.
	Consent ConsentChecker
	// Restriction answers whether a granted restriction of processing
	// stands on Object or on the case (GDPR art. 18): the front door asks
	// the register of holds; nil means none. While one stands, everything
	// but the subject's own read and export is denied with
	// [privacy.RuleRestriction].
	Restriction RestrictionChecker

	// Object is the record (or other object) the request is about, for
	// the audit trail (rule N9); the decision depends on it only through
	// Restriction.
	Object string
	// Create marks a write that creates a record rather than changing
	// one, for the audit trail (NEN 7513 tells create from update).
	Create bool
}

// Validate reports whether r is well formed, with an [*privacy.Error]
// matching [privacy.ErrInvalid] that names the bad value. A well-formed
// request that is forbidden as such fails with [privacy.ErrForbidden]: a
// special category with [privacy.ErrProhibitedCategory] (rule O5), a
// contractor without its agreement with rule O7. [Guard] validates every
// request before it decides, and decides and audits the forbidden ones as
// denials; [Engine.Decide] on a malformed request denies with
// [privacy.RuleDefaultDeny].
func (r *Request) Validate() error {
	const op = "access: validate request"
	bad := func(path, msg string) error {
		return &privacy.Error{Op: op, Kind: privacy.ErrInvalid, Path: path, Msg: msg}
	}
	if r.Principal == nil {
		return bad("principal", "missing")
	}
	forbidden := r.Principal.Validate() // O7: forbidden, reported if all else is well formed
	if malformed(forbidden) {
		return forbidden
	}
	if r.Case == nil {
		return bad("case", "missing")
	}
	if err := r.Case.Validate(); err != nil {
		return err
	}
	if r.Action.Index() < 0 {
		return bad("action", "unknown action")
	}
	if r.Category.Special() {
		if forbidden == nil {
			forbidden = &privacy.Error{Op: op, Kind: privacy.ErrProhibitedCategory, Rule: privacy.O5, Path: "category",
				Msg: "a special category is never processed"}
		}
		if r.Field != "" {
			return bad("field", "the category has no such field")
		}
	} else if ci := r.Category.Index(); ci < 0 {
		return bad("category", "unknown category")
	} else if r.Field != "" && fieldPos(ci, r.Field) < 0 {
		return bad("field", "the category has no such field")
	}
	if r.Purpose != "" && !privacy.ValidID(string(r.Purpose)) {
		return bad("purpose", "malformed purpose")
	}
	if r.Purpose == "" && r.Principal.Role != privacy.RoleSubject {
		return &privacy.Error{Op: op, Kind: privacy.ErrInvalid, Rule: privacy.R5, Path: "purpose", Msg: "a request states its purpose"}
	}
	if r.Time.IsZero() {
		return bad("time", "missing")
	}
	if r.Object != "" && !privacy.ValidID(r.Object) {
		return bad("object", "malformed object ID")
	}
	return forbidden
}

// Decision is the answer to a [Request]. Its zero value is a denial: a
// decision fails closed. It says which rule decided and why, and under
// which policy version (rule O16).
type Decision struct {
	// Allowed reports whether the request is allowed.
	Allowed bool
	// Partial marks an allowed read of a category of which only some
	// fields are visible; [Engine.View] shows just those.
	Partial bool
	// Rule is the rule that decided: the allow rule that matched, the
	// rule behind a failed condition or a statutory floor, or
	// [privacy.RuleDefaultDeny] when no rule allows the request.
	Rule privacy.RuleID
	// Reason is a short explanation, without personal data.
	Reason string
	// Policy is the version of the policy that decided.
	Policy string
}

// String returns "allowed by R7: …" or "denied by O10: …".
func (d Decision) String() string {
	verb := "denied"
	if d.Allowed {
		verb = "allowed"
	}
	rule := d.Rule
	if rule == "" {
		rule = privacy.RuleDefaultDeny
	}
	return verb + " by " + string(rule) + ": " + d.Reason
}

// The conditions, as bits.
const (
	condAssigned = 1 << iota
	condSecrecy
	condProfessional
	condMultiFactor
	condCommissioner
	condCovers
	condOwnData
	condConsent
	condContract
)

// condOrder is the order in which failed conditions are reported: the one
// that says most about why the principal is not the right one first.
var condOrder = [...]uint16{condOwnData, condCommissioner, condCovers, condAssigned, condConsent,
	condSecrecy, condProfessional, condMultiFactor, condContract}

func condBit(c privacy.Condition) uint16 {
	switch c {
	case privacy.CondAssigned:
		return condAssigned
	case privacy.CondSecrecy:
		return condSecrecy
	case privacy.CondProfessionalSecrecy:
		return condProfessional
	case privacy.CondMultiFactor:
		return condMultiFactor
	case privacy.CondCommissioner:
		return condCommissioner
	case privacy.CondCovers:
		return condCovers
	case privacy.CondOwnData:
		return condOwnData
	case privacy.CondConsent:
		return condConsent
	case privacy.CondContractInForce:
		return condContract
	}
	return 0
}

// rule is an access rule compiled for one role, action and category.
type rule struct {
	allow    bool
	id       privacy.RuleID
	kinds    uint8    // case kinds it applies to; 0: all
	fields   uint16   // the category's fields it covers
	requires uint16   // conditions that must all hold
	decision Decision // the decision when it applies
}

// Engine decides who may see and do what of which case. It is built from
// a [privacy.Policy], whose access rules it compiles into lookup tables, and
// holds the statutory floors in code besides, so that no policy, however
// it was loaded, can lift them. An Engine is immutable: safe for concurrent
// use, and its decisions are pure functions of their requests. It does no
// I/O and reads no clock; [Guard] puts auditing and storage around it.
type Engine struct {
	name      string
	version   string
	effective time.Time
	// since is effective as an instant, for the comparison on every
	// decision.
	since    instant
	minGroup int

	// cells holds, per role, action and category (see cellIndex), the
	// floors that hold whatever the request and the policy's compiled
	// rules.
	cells [numRoles * numActions * numCats]cell
	// reads lists, per role, the categories some rule lets it read: the
	// ones whose visibility tells whether a case exists for it.
	reads [numRoles][]int8
	// assignRule and ownRule are the rules that a failed assignment or
	// own-data condition is reported under (R7 or O4; R11 or O13), as
	// privacy.Policy.Validate reports them; roleAssign is, per role, the
	// rule of the role's own first assignment rule, else assignRule.
	assignRule, ownRule privacy.RuleID
	roleAssign          [numRoles]privacy.RuleID
}

// NewEngine compiles policy into an Engine. The policy is validated (an
// invalid one fails with [privacy.ErrInvalid]) and copied: later changes to
// it have no effect.
func NewEngine(policy *privacy.Policy) (*Engine, error) {
	if policy == nil {
		return nil, &privacy.Error{Op: "access: new engine", Kind: privacy.ErrInvalid, Msg: "nil policy"}
	}
	if err := policy.Validate(); err != nil {
		return nil, err
	}
	return compile(policy.Clone()), nil
}

// compile compiles p, which the engine keeps no reference to the caller's
// copy of. The floors the engine holds in code do not depend on p having
// been validated.
func compile(p *privacy.Policy) *Engine {
	e := &Engine{name: p.Name, version: p.Version, effective: privacy.Timestamp(p.Effective), minGroup: p.MinGroupSize,
		assignRule: citing(p, privacy.R7, privacy.O4), ownRule: citing(p, privacy.R11, privacy.O13)}
	e.since = instantOf(&e.effective)
	for ri := range e.roleAssign {
		e.roleAssign[ri] = e.assignRule
	}
	for i := len(p.Access) - 1; i >= 0; i-- {
		if a := &p.Access[i]; a.Effect == privacy.Allow && (a.Rule == privacy.R7 || a.Rule == privacy.O4) {
			for _, role := range a.Roles {
				if ri := role.Index(); ri >= 0 {
					e.roleAssign[ri] = a.Rule
				}
			}
		}
	}
	for _, a := range p.Access {
		var kinds uint8
		for _, k := range a.CaseKinds {
			if ki := k.Index(); ki >= 0 {
				kinds |= 1 << ki
			}
		}
		var requires uint16
		for _, c := range a.Requires {
			requires |= condBit(c)
		}
		for _, role := range a.Roles {
			ri := role.Index()
			for _, act := range a.Actions {
				ai := act.Index()
				for _, cat := range a.Categories {
					ci := cat.Index()
					if ri < 0 || ai < 0 || ci < 0 {
						continue // not in the vocabulary: Validate refuses it
					}
					fields := fieldsMask(ci, a.Fields)
					if a.Effect == privacy.Allow && fields == 0 {
						continue // the rule names no field of this category
					}
					allow := a.Effect == privacy.Allow
					c := &e.cells[cellIndex(ri, ai, ci)]
					c.rules = append(c.rules, rule{allow: allow, id: a.Rule,
						kinds: kinds, fields: fields, requires: requires,
						decision: Decision{Allowed: allow, Rule: a.Rule, Reason: a.Reason, Policy: p.Version}})
				}
			}
		}
	}
	for ri := range numRoles {
		for ai := range numActions {
			for ci := range numCats {
				c := &e.cells[cellIndex(ri, ai, ci)]
				// Deny rules first: a deny rule wins over any allow rule.
				slices.SortStableFunc(c.rules, func(a, b rule) int {
					switch {
					case a.allow == b.allow:
						return 0
					case !a.allow:
						return -1
					}
					return 1
				})
				if ai == readIndex && slices.ContainsFunc(c.rules, func(r rule) bool { return r.allow }) {
					e.reads[ri] = append(e.reads[ri], int8(ci))
				}
				e.floors(c, ri, ai, ci)
			}
		}
	}
	return e
}

// cellIndex is the index in Engine.cells of role ri, action ai and
// category ci.
func cellIndex(ri, ai, ci int) int { return (ri*numActions+ai)*numCats + ci }

// cell is what the engine knows of a role, action and category before it
// sees a request: the statutory floors, as far as they depend on these
// three alone, and the policy's rules for them.
type cell struct {
	// denied reports a floor that holds whatever the request: static is
	// its denial.
	denied bool
	// checks are the floors that depend on the request, checked in the
	// order of their bits.
	checks uint8
	// read reports whether the action is a read; full is the mask of
	// every field of the category.
	read bool
	full uint16
	// floor is the most of the category's fields the floors allow (N3,
	// N1); beyond reports going further.
	floor uint16
	// one is the only rule of the cell if it allows: the common case,
	// decided without the loop of evaluate.
	one *rule
	// rules are the policy's rules for the three, deny rules first.
	rules  []rule
	static Decision
	beyond Decision
}

// The floors a cell checks against the request, in this order.
const (
	// Rules O6, G8, N6: the physician reading medical data is assigned,
	// bound to medical secrecy and signed in with more than one factor.
	checkMedical = 1 << iota
	// Rule O10: the employer reads consultation facts only with consent.
	checkConsent
	// Rules R7, O4: a case manager's or physician's content needs an
	// assignment.
	checkAssigned
	// Rule N4: staff read health data only under secrecy.
	checkSecrecy
)

// floors sets the statutory floors of cell c for role ri, action ai and
// category ci: a static denial where one holds whatever the request, else
// the checks that depend on it and the fields allowed. The floors hold in
// code whatever the policy says. A static denial never comes after a
// request-dependent check (TestCellsMatchTheFloors holds the order).
func (e *Engine) floors(c *cell, ri, ai, ci int) {
	staff := ri <= riAdministrator && ri != riEmployer && ri != riInsurer
	deny := func(rule privacy.RuleID, reason string) {
		if c.static.Rule == "" && c.checks == 0 {
			c.static = Decision{Rule: rule, Reason: reason, Policy: e.version}
		}
	}
	switch {
	case ci == catMedical && ri != riPhysician:
		// Rules O6, G8, N6: medical data only for an assigned physician,
		// bound to medical secrecy, signed in with more than one factor.
		// Not even the subject reads it directly: it is released through
		// the physician (O13).
		deny(privacy.O6, reasonMedicalRole)
	case ci == catMedical:
		c.checks |= checkMedical
	case ci == catAbsenceReason && !staff && ri != riSubject:
		// Rule O9: the reason for the sick report is for internal use only.
		deny(privacy.O9, reasonAbsenceReason)
	case ci == catNationalID && (ri == riInsurer || ri == riEmployer):
		// Rule N5: the BSN is used only where a statute allows it.
		deny(privacy.N5, reasonBSN)
	case ri == riEmployer && ai != writeIndex && catHealth[ci] && ci != catConsultation:
		// Rule N4: health data only for people bound to secrecy; the
		// employer is not (the subject's statements included). What it
		// may write is N1's, below.
		deny(privacy.N4, reasonEmployerHealth)
	case ri == riEmployer && ai != writeIndex && ci == catConsultation:
		// Rule O10: the employer learns of a consultation-hour visit or
		// periodic examination only with the employee's approval.
		c.checks |= checkConsent
	}
	if ri == riSupportStaff && ci != catIdentity && ci != catContact && ci != catAppointment {
		// Rule R8: other staff only as far as needed, never case content.
		deny(privacy.R8, reasonSupportStaff)
	}
	if ri == riCaseManager || ri == riPhysician {
		// Rules R7, O4: content needs an assignment to the case.
		c.checks |= checkAssigned
	}
	if catHealth[ci] && staff {
		// Rule N4: health data only for people bound to secrecy.
		c.checks |= checkSecrecy
	}
	full := fullMask(ci)
	c.full, c.read, c.floor = full, ai == readIndex, full
	switch {
	case ri == riInsurer && ai != readIndex:
		// Rule N3: an insurer only reads.
		deny(privacy.N3, reasonInsurerAction)
	case ri == riInsurer:
		// Rule N3: never more than the statutory maximum, whatever the
		// policy says.
		c.floor, c.beyond = n3Mask[ci], Decision{Rule: privacy.N3, Reason: reasonInsurerMax, Policy: e.version}
	case ri == riEmployer && ai == writeIndex:
		// Rule N1: the employer registers only the sick report's facts
		// (and master data and notes), not even with consent.
		c.floor, c.beyond = n1Mask[ci], Decision{Rule: privacy.N1, Reason: reasonEmployerWrite, Policy: e.version}
	default:
		c.beyond = Decision{Policy: e.version}
	}
	if c.floor == 0 {
		deny(c.beyond.Rule, c.beyond.Reason)
	}
	if c.static.Rule != "" {
		c.denied, c.checks = true, 0
	}
	if len(c.rules) == 1 && c.rules[0].allow {
		c.one = &c.rules[0]
	}
}

// citing is privacy.Policy's choice between a rule of regulation R and
// one of regulation O for the same floor: the first the policy's access or
// disclosure rules cite, else r if it implements regulation R, else o.
func citing(p *privacy.Policy, r, o privacy.RuleID) privacy.RuleID {
	for _, a := range p.Access {
		if a.Rule == r || a.Rule == o {
			return a.Rule
		}
	}
	for _, d := range p.Disclosures {
		if d.Rule == r || d.Rule == o {
			return d.Rule
		}
	}
	if slices.Contains(p.Regulations, "R") {
		return r
	}
	return o
}

// Policy returns the name and version of the policy the engine decides
// under (rule O16).
func (e *Engine) Policy() (name, version string) { return e.name, e.version }

// MinGroupSize is the smallest group of which an employer may see figures
// (rule N12).
func (e *Engine) MinGroupSize() int { return e.minGroup }

// The reasons of the engine's own denials.
const (
	reasonMalformed      = "malformed request"
	reasonRestricted     = "a restriction of processing stands: the data is only stored"
	reasonNoRule         = "no rule allows it"
	reasonNotInForce     = "the policy is not in force at that time"
	reasonContractor     = "a contractor needs the agreement that binds it"
	reasonAdministrator  = "the application administrator sees no case content"
	reasonOfficer        = "the privacy officer manages holds, erasures and sweeps and sees no case content"
	reasonSpecial        = "a special category is never processed"
	reasonConfidential   = "the employer does not learn of a consultation-hour visit or periodic examination without the employee's approval"
	reasonContractTerm   = "the case's contract is not in force"
	reasonPurpose        = "the request's purpose is not the case's"
	reasonMedicalRole    = "medical data only for a physician"
	reasonMedicalAssign  = "medical data only for the physician assigned to the case"
	reasonMedicalSecrecy = "medical data only under medical professional secrecy"
	reasonMedicalMFA     = "medical data only after signing in with more than one factor"
	reasonAbsenceReason  = "the absence reason is for the service's own staff only"
	reasonSupportStaff   = "need-to-know staff see identity, contact and appointments only"
	reasonNoSecrecy      = "health data only for people bound to secrecy"
	reasonBSN            = "the BSN is not for outside parties"
	reasonInsurerAction  = "an insurer only reads"
	reasonInsurerMax     = "beyond the most an absence insurer may ever receive"
	reasonEmployerWrite  = "the employer writes only the sick report's facts, master data and notes, consent or not"
	reasonEmployerHealth = "health data is not for the employer"
	reasonField          = "the field is beyond what the rule allows"
	reasonWholeRecord    = "the rule allows only some fields of the record"
)

// condReason explains a failed condition.
func condReason(c uint16) string {
	switch c {
	case condAssigned:
		return "not assigned to the case"
	case condSecrecy:
		return "not bound to secrecy"
	case condProfessional:
		return "not bound to medical professional secrecy"
	case condMultiFactor:
		return "not signed in with more than one factor"
	case condCommissioner:
		return "does not act for the party that commissioned the case"
	case condCovers:
		return "does not cover the case's employer"
	case condOwnData:
		return "not the subject of the case"
	case condConsent:
		return "the subject has not consented"
	}
	return reasonContractTerm
}

// condRule names the rule behind a failed condition of rule r.
func (e *Engine) condRule(c uint16, r privacy.RuleID) privacy.RuleID {
	switch c {
	case condAssigned:
		if r == privacy.R7 || r == privacy.O4 {
			return r
		}
		return e.assignRule
	case condSecrecy:
		return privacy.N4
	case condProfessional:
		return privacy.G8
	case condMultiFactor:
		return privacy.N6
	case condCovers:
		return privacy.O11
	case condOwnData:
		if r == privacy.R11 || r == privacy.O13 {
			return r
		}
		return e.ownRule
	case condConsent:
		return privacy.O10
	}
	return privacy.O2 // commissioner, contract in force
}

// deny sets d to a denial by rule.
func (e *Engine) deny(d *Decision, rule privacy.RuleID, reason string) {
	*d = Decision{Rule: rule, Reason: reason, Policy: e.version}
}

// Decide answers r. It is pure and allocation-free: a few array and map
// lookups. A malformed request (see [Request.Validate]) is denied with
// [privacy.RuleDefaultDeny], a special category with rule O5.
func (e *Engine) Decide(r Request) (d Decision) {
	ri, ai, ci, ki, fb, ok := e.indices(&r)
	switch {
	case !ok && r.Category.Special():
		e.deny(&d, privacy.O5, reasonSpecial)
	case !ok:
		e.deny(&d, privacy.RuleDefaultDeny, reasonMalformed)
	default:
		if f, ok := e.caseFloor(&r, ri, ki, &d); ok {
			e.decideCategory(&r, &e.cells[cellIndex(ri, ai, ci)], ri, fb, f, &d)
		}
	}
	if d.Allowed && restricted(&r, privacy.RecordID(r.Object)) {
		// GDPR art. 18(2): while a restriction stands the data is only
		// stored.
		e.deny(&d, privacy.RuleRestriction, reasonRestricted)
	}
	return d
}

// indices resolves r's vocabulary into indices: role, action, category
// and case kind, and the field as its bit in the category's field masks
// (0: no field); or reports it malformed. A zero time is malformed too,
// which caseFloor checks.
func (e *Engine) indices(r *Request) (ri, ai, ci, ki int, fb uint16, ok bool) {
	if r.Principal == nil || r.Case == nil {
		return
	}
	ri, ai, ci, ki = r.Principal.Role.Index(), r.Action.Index(), r.Category.Index(), r.Case.Kind.Index()
	if ri < 0 || ai < 0 || ci < 0 || ki < 0 {
		return
	}
	if r.Field != "" {
		fp := fieldPos(ci, r.Field)
		if fp < 0 {
			return
		}
		fb = 1 << uint(fp)
	}
	return ri, ai, ci, ki, fb, true
}

// facts are what the case floors established: known says which
// conditions were evaluated, holds which of those hold, kind is the case's
// kind as a bit. The category decision and the policy's rules start from
// them rather than evaluate them again.
type facts struct {
	known, holds uint16
	kind         uint8
	// pass are the request-dependent checks of a cell that are known to
	// pass, so that the common allowed path skips them.
	pass uint8
}

// The indices of the confidential case kinds (O10).
const (
	kindConsultation = 3
	kindPeriodicExam = 4
)

// instant is a time as seconds and nanoseconds since 1970, for comparing
// times without the work of time.Time.Before: wall-clock times, as the
// policy's effective date and a contract's term are.
type instant struct {
	sec  int64
	nsec int32
}

// zeroSec is the seconds of the zero time.Time.
const zeroSec = -62135596800

func instantOf(t *time.Time) instant { return instant{t.Unix(), int32(t.Nanosecond())} }

func (a instant) before(b instant) bool { return a.sec < b.sec || a.sec == b.sec && a.nsec < b.nsec }

func (a instant) zero() bool { return a.sec == zeroSec && a.nsec == 0 }

// inForce reports whether contract c is in force at t (rule O2): a
// contract without a start never is. It is privacy.Contract.Covers on
// instants.
func inForce(c *privacy.Contract, t instant) bool {
	start := instantOf(&c.Start)
	if start.zero() || t.before(start) {
		return false
	}
	end := instantOf(&c.End)
	return end.zero() || t.before(end)
}

// caseFloor holds the statutory floors that concern the principal and the
// case as a whole, whatever the category, and returns the conditions it
// established. It reports false, with the denial in d, when one denies.
func (e *Engine) caseFloor(r *Request, ri, ki int, d *Decision) (f facts, ok bool) {
	p, c := r.Principal, r.Case
	now := instantOf(&r.Time)
	if now.zero() {
		// A request without a time is malformed (see indices).
		e.deny(d, privacy.RuleDefaultDeny, reasonMalformed)
		return f, false
	}
	if now.before(e.since) {
		// Rule O16: a decision is made under the policy in force.
		e.deny(d, privacy.O16, reasonNotInForce)
		return f, false
	}
	if p.Contractor && p.Agreement == "" {
		// Rule O7: a contractor without the agreement that binds it is
		// refused.
		e.deny(d, privacy.O7, reasonContractor)
		return f, false
	}
	// The conditions about the principal alone cost a comparison each:
	// they are established here for every rule.
	f.known = condSecrecy | condProfessional | condMultiFactor | condConsent | condContract
	if p.Secrecy != privacy.SecrecyNone {
		f.holds, f.pass = f.holds|condSecrecy, f.pass|checkSecrecy
		if p.Secrecy == privacy.SecrecyProfessional {
			f.holds |= condProfessional
		}
	}
	if p.MultiFactor {
		f.holds |= condMultiFactor
	}
	if consented(r) {
		f.holds, f.pass = f.holds|condConsent, f.pass|checkConsent
	}
	f.kind = uint8(1) << (uint(ki) & 7)
	switch ri {
	case riAdministrator:
		// Rule R12: the application administrator sees no case content
		// (and never medical data, N6).
		e.deny(d, privacy.R12, reasonAdministrator)
		return f, false
	case riOfficer:
		// Rule R8: staff see only what their task needs; the privacy
		// officer's task (holds, erasures, sweeps) needs no case content.
		e.deny(d, privacy.R8, reasonOfficer)
		return f, false
	case riSubject:
		if p.Subject == "" || p.Subject != c.Subject {
			// Rules R11, O13: the subject inspects their own data, no one
			// else's, whatever the policy says.
			e.deny(d, e.ownRule, condReason(condOwnData))
			return f, false
		}
		// The subject's own access (R11, O13, GDPR art. 15) outlives the
		// contract, and may leave the purpose empty.
		f.known, f.holds = f.known&^condContract|condOwnData, f.holds|condOwnData
		if r.Purpose != c.Purpose && r.Purpose != "" {
			// Rule R5: a use for another purpose is refused.
			e.deny(d, privacy.R5, reasonPurpose)
			return f, false
		}
		return f, true
	case riEmployer:
		if f.holds&condConsent == 0 && (ki == kindConsultation || ki == kindPeriodicExam) {
			// Rule O10: consultation-hour and periodic-examination cases
			// are invisible to the employer, existence included, without
			// the employee's approval.
			e.deny(d, privacy.O10, reasonConfidential)
			return f, false
		}
		if !p.ActsFor(c.Contract.Party) {
			// Rule O2: an employer works only with the cases of the party
			// it acts for, whatever the policy says.
			e.deny(d, privacy.O2, condReason(condCommissioner))
			return f, false
		}
		f.known, f.holds = f.known|condCommissioner, f.holds|condCommissioner
	case riInsurer:
		if c.Contract.PartyKind != privacy.PartyEmployer || c.Contract.Party == "" || !p.Employers.Has(c.Contract.Party) {
			// Rule O11: an insurer sees only the employers it covers,
			// whatever the policy says.
			e.deny(d, privacy.O11, condReason(condCovers))
			return f, false
		}
		f.known, f.holds = f.known|condCovers, f.holds|condCovers
	case riCaseManager, riPhysician:
		// Rules R7, O4: the assignment, looked up once per decision.
		f.known |= condAssigned
		if p.Cases.Has(c.ID) {
			f.holds |= condAssigned
			f.pass |= checkAssigned
			if f.holds&(condProfessional|condMultiFactor) == condProfessional|condMultiFactor {
				f.pass |= checkMedical
			}
		}
	}
	if !inForce(&c.Contract, now) {
		// Rule O2: processing only under a contract in force (a case
		// without one is never in force).
		e.deny(d, privacy.O2, reasonContractTerm)
		return f, false
	}
	f.holds |= condContract
	if r.Purpose != c.Purpose {
		// Rule R5: a use for another purpose is refused.
		e.deny(d, privacy.R5, reasonPurpose)
		return f, false
	}
	return f, true
}

// decideCategory decides, in d, for category ci once the case floors
// passed, and returns the mask of the category's fields it allows.
func (e *Engine) decideCategory(r *Request, c *cell, ri int, fb uint16, f facts, d *Decision) uint16 {
	if c.denied {
		*d = c.static
		return 0
	}
	if c.checks&^f.pass != 0 && !e.check(r, c.checks, ri, f, d) {
		return 0
	}
	if fb != 0 && c.floor&fb == 0 {
		*d = c.beyond
		return 0
	}
	var mask uint16
	if ru := c.one; ru != nil && (ru.kinds == 0 || ru.kinds&f.kind != 0) && ru.requires&^(f.known&f.holds) == 0 {
		// The one rule applies and its conditions are known to hold.
		*d = ru.decision
		mask = ru.fields & c.floor
	} else {
		mask = e.evaluate(r, c, fb, f, d) & c.floor
	}
	full := c.full
	switch {
	case !d.Allowed:
		return 0
	case fb != 0:
		if mask&fb == 0 {
			e.deny(d, d.Rule, reasonField)
			return 0
		}
		return fb
	case mask == 0:
		*d = c.beyond
		return 0
	case !c.read && mask != full:
		if c.floor != full {
			*d = c.beyond
		} else {
			e.deny(d, d.Rule, reasonWholeRecord)
		}
		return 0
	}
	d.Partial = mask != full
	return mask
}

// check holds the floors of checks that depend on the request, in order.
// It reports false, with the denial in d, when one denies.
func (e *Engine) check(r *Request, checks uint8, ri int, f facts, d *Decision) bool {
	p := r.Principal
	if checks&checkMedical != 0 {
		// Rules O6, G8, N6: medical data only for an assigned physician,
		// bound to medical secrecy, signed in with more than one factor.
		switch {
		case f.holds&condAssigned == 0:
			e.deny(d, privacy.O6, reasonMedicalAssign)
			return false
		case p.Secrecy != privacy.SecrecyProfessional:
			e.deny(d, privacy.G8, reasonMedicalSecrecy)
			return false
		case !p.MultiFactor:
			e.deny(d, privacy.N6, reasonMedicalMFA)
			return false
		}
	}
	if checks&checkConsent != 0 && !consented(r) {
		// Rule O10: the employer learns of a consultation-hour visit or
		// periodic examination only with the employee's approval.
		e.deny(d, privacy.O10, reasonConfidential)
		return false
	}
	if checks&checkAssigned != 0 && f.holds&condAssigned == 0 {
		// Rules R7, O4: a case manager's or physician's content needs an
		// assignment to the case, whatever the policy says.
		e.deny(d, e.roleAssign[ri], condReason(condAssigned))
		return false
	}
	if checks&checkSecrecy != 0 && p.Secrecy == privacy.SecrecyNone {
		// Rule N4: health data only for people bound to secrecy.
		e.deny(d, privacy.N4, reasonNoSecrecy)
		return false
	}
	return true
}

const (
	writeIndex       = 1
	catIdentity      = 0
	catNationalID    = 1
	catContact       = 2
	catAbsenceReason = 7
	catMedical       = 11
	catConsultation  = 13
	catAppointment   = 14
)

// evaluate applies the policy's compiled rules to field position fp (-1:
// any field), leaving the decision in d and returning the fields allowed.
// A deny rule whose conditions hold wins; otherwise the allow rules whose
// conditions hold give their fields; otherwise the first failed condition
// of a matching allow rule names the denial; otherwise default deny.
func (e *Engine) evaluate(r *Request, c *cell, fb uint16, f facts, d *Decision) uint16 {
	// The case floors established some conditions: the contract in force
	// (except for the subject's own access), and who the principal is to
	// the case.
	rules := c.rules
	kind, known, holds := f.kind, f.known, f.holds
	var mask uint16
	var allowed, miss *rule
	var missCond uint16
	for i := range rules {
		ru := &rules[i]
		if ru.kinds != 0 && ru.kinds&kind == 0 {
			continue
		}
		// Evaluate the conditions it needs that are not known yet.
		if need := ru.requires &^ known; need != 0 {
			holds |= e.conditions(r, need)
			known |= need
		}
		failed := ru.requires &^ holds
		if !ru.allow {
			if failed == 0 {
				*d = ru.decision
				return 0
			}
			continue
		}
		if failed == 0 {
			// The deciding rule is the first that allows the field asked
			// about, or the first that allows anything.
			if allowed == nil || (fb != 0 && allowed.fields&fb == 0 && ru.fields&fb != 0) {
				allowed = ru
			}
			mask |= ru.fields
			continue
		}
		if miss == nil {
			miss = ru
			for _, c := range condOrder {
				if failed&c != 0 {
					missCond = c
					break
				}
			}
		}
	}
	switch {
	case allowed != nil:
		*d = allowed.decision
		return mask
	case miss != nil:
		e.deny(d, e.condRule(missCond, miss.id), condReason(missCond))
	default:
		e.deny(d, privacy.RuleDefaultDeny, reasonNoRule)
	}
	return 0
}

// conditions returns which of the conditions in need hold for r.
func (e *Engine) conditions(r *Request, need uint16) uint16 {
	p, c := r.Principal, r.Case
	var holds uint16
	for need != 0 {
		bit := need & -need
		need &^= bit
		var ok bool
		switch bit {
		case condAssigned:
			ok = p.Cases.Has(c.ID)
		case condSecrecy:
			ok = p.Secrecy != privacy.SecrecyNone
		case condProfessional:
			ok = p.Secrecy == privacy.SecrecyProfessional
		case condMultiFactor:
			ok = p.MultiFactor
		case condCommissioner:
			ok = p.ActsFor(c.Contract.Party)
		case condCovers:
			ok = c.Contract.PartyKind == privacy.PartyEmployer && p.Covers(c.Contract.Party)
		case condOwnData:
			ok = p.Role == privacy.RoleSubject && p.Subject != "" && p.Subject == c.Subject
		case condConsent:
			ok = consented(r)
		case condContract:
			ok = c.Contract.Covers(r.Time)
		}
		if ok {
			holds |= bit
		}
	}
	return holds
}

// Visible decides whether the principal may know that r.Case exists: it
// may if it may read at least one category of it. r's Action, Category and
// Field are ignored. A listing shows only visible cases, and a hidden case
// is "not found", never "forbidden" (rule O10 for the employer).
func (e *Engine) Visible(r Request) (d Decision) {
	r.Action, r.Field = privacy.ActionRead, ""
	r.Category = privacy.CategoryIdentity
	d, _ = e.visible(&r)
	return d
}

// visible is Visible, r's Action, Category and Field already set, also
// returning the facts the case floors established.
func (e *Engine) visible(r *Request) (d Decision, f facts) {
	ri, _, _, ki, _, ok := e.indices(r)
	if !ok {
		e.deny(&d, privacy.RuleDefaultDeny, reasonMalformed)
		return d, f
	}
	if f, ok = e.caseFloor(r, ri, ki, &d); !ok {
		return d, f
	}
	var first Decision
	for _, ci := range e.reads[ri] {
		e.decideCategory(r, &e.cells[cellIndex(ri, readIndex, int(ci))], ri, 0, f, &d)
		if d.Allowed {
			d.Partial = false
			return d, f
		}
		if first.Rule == "" || (first.Rule == privacy.RuleDefaultDeny && d.Rule != privacy.RuleDefaultDeny) {
			first = d
		}
	}
	if first.Rule == "" {
		e.deny(&d, privacy.RuleDefaultDeny, reasonNoRule)
		return d, f
	}
	return first, f
}

// consented answers rule O10's question for r: did the subject let the
// case's employer learn of it? It asks r.Consent, nil being no.
func consented(r *Request) bool {
	return r.Consent != nil && r.Case != nil && r.Consent.Consented(*r.Case, r.Case.Contract.Party)
}
