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
	// Consent reports whether the subject consented to the principal's
	// party learning of the case (rule O10): the consent package, or the
	// caller's own records, supply it. Without it an employer learns
	// nothing of a consultation-hour or periodic-examination case.
	Consent bool

	// Object is the record (or other object) the request is about, for
	// the audit trail (rule N9); the decision does not depend on it.
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
	minGroup  int

	rules [numRoles][numActions][numCats][]rule
	// reads lists, per role, the categories some rule lets it read: the
	// ones whose visibility tells whether a case exists for it.
	reads [numRoles][]int8
	// assignRule and ownRule are the rules that a failed assignment or
	// own-data condition is reported under (R7 or O4; R11 or O13).
	assignRule, ownRule privacy.RuleID
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
	p := policy.Clone()
	e := &Engine{name: p.Name, version: p.Version, effective: privacy.Timestamp(p.Effective), minGroup: p.MinGroupSize,
		assignRule: privacy.R7, ownRule: privacy.R11}
	for _, r := range p.Access {
		if r.Rule == privacy.R7 || r.Rule == privacy.O4 {
			e.assignRule = r.Rule
			break
		}
	}
	for _, r := range p.Access {
		if r.Rule == privacy.R11 || r.Rule == privacy.O13 {
			e.ownRule = r.Rule
			break
		}
	}
	for _, a := range p.Access {
		var kinds uint8
		for _, k := range a.CaseKinds {
			kinds |= 1 << k.Index()
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
					fields := fieldsMask(ci, a.Fields)
					if a.Effect == privacy.Allow && fields == 0 {
						continue // the rule names no field of this category
					}
					allow := a.Effect == privacy.Allow
					e.rules[ri][ai][ci] = append(e.rules[ri][ai][ci], rule{allow: allow, id: a.Rule,
						kinds: kinds, fields: fields, requires: requires,
						decision: Decision{Allowed: allow, Rule: a.Rule, Reason: a.Reason, Policy: p.Version}})
				}
			}
		}
	}
	for ri := range e.rules {
		for ai := range e.rules[ri] {
			for ci := range e.rules[ri][ai] {
				// Deny rules first: a deny rule wins over any allow rule.
				slices.SortStableFunc(e.rules[ri][ai][ci], func(a, b rule) int {
					switch {
					case a.allow == b.allow:
						return 0
					case !a.allow:
						return -1
					}
					return 1
				})
				if ai == readIndex && slices.ContainsFunc(e.rules[ri][ai][ci], func(r rule) bool { return r.allow }) {
					e.reads[ri] = append(e.reads[ri], int8(ci))
				}
			}
		}
	}
	return e, nil
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
	ri, ai, ci, fp, ok := e.indices(&r)
	switch {
	case !ok && r.Category.Special():
		e.deny(&d, privacy.O5, reasonSpecial)
	case !ok:
		e.deny(&d, privacy.RuleDefaultDeny, reasonMalformed)
	case e.caseFloor(&r, ri, &d):
		e.decideCategory(&r, ri, ai, ci, fp, &d)
	}
	return d
}

// indices resolves r's vocabulary, or reports it malformed.
func (e *Engine) indices(r *Request) (ri, ai, ci, fp int, ok bool) {
	if r.Principal == nil || r.Case == nil || r.Time.IsZero() {
		return 0, 0, 0, 0, false
	}
	ri, ai, ci = r.Principal.Role.Index(), r.Action.Index(), r.Category.Index()
	if ri < 0 || ai < 0 || ci < 0 || r.Case.Kind.Index() < 0 {
		return 0, 0, 0, 0, false
	}
	fp = -1
	if r.Field != "" {
		if fp = fieldPos(ci, r.Field); fp < 0 {
			return 0, 0, 0, 0, false
		}
	}
	return ri, ai, ci, fp, true
}

// caseFloor holds the statutory floors that concern the principal and the
// case as a whole, whatever the category. It reports false, with the
// denial in d, when one denies.
func (e *Engine) caseFloor(r *Request, ri int, d *Decision) bool {
	p, c := r.Principal, r.Case
	switch own := ri == riSubject; {
	case r.Time.Before(e.effective):
		// Rule O16: a decision is made under the policy in force.
		e.deny(d, privacy.O16, reasonNotInForce)
	case p.Contractor && p.Agreement == "":
		// Rule O7: a contractor without the agreement that binds it is
		// refused.
		e.deny(d, privacy.O7, reasonContractor)
	case ri == riAdministrator:
		// Rule R12: the application administrator sees no case content
		// (and never medical data, N6).
		e.deny(d, privacy.R12, reasonAdministrator)
	case ri == riOfficer:
		// Rule R8: staff see only what their task needs; the privacy
		// officer's task (holds, erasures, sweeps) needs no case content.
		e.deny(d, privacy.R8, reasonOfficer)
	case ri == riEmployer && !r.Consent && c.Kind.Confidential():
		// Rule O10: consultation-hour and periodic-examination cases are
		// invisible to the employer, existence included, without the
		// employee's approval.
		e.deny(d, privacy.O10, reasonConfidential)
	case !own && (c.Contract.Start.IsZero() || !c.Contract.Covers(r.Time)):
		// Rule O2: processing only under a contract in force (a case
		// without one is never in force). The subject's own access (R11,
		// O13, GDPR art. 15) outlives the contract.
		e.deny(d, privacy.O2, reasonContractTerm)
	case r.Purpose != c.Purpose && !(own && r.Purpose == ""):
		// Rule R5: a use for another purpose is refused.
		e.deny(d, privacy.R5, reasonPurpose)
	default:
		return true
	}
	return false
}

// decideCategory decides, in d, for category ci once the case floors
// passed, and returns the mask of the category's fields it allows.
func (e *Engine) decideCategory(r *Request, ri, ai, ci, fp int, d *Decision) uint16 {
	p := r.Principal
	staff := ri <= riAdministrator && ri != riEmployer && ri != riInsurer
	switch {
	case ci == catMedical:
		// Rules O6, G8, N6: medical data only for an assigned physician,
		// bound to medical secrecy, signed in with more than one factor.
		// Not even the subject reads it directly: it is released through
		// the physician (O13).
		switch {
		case ri != riPhysician:
			e.deny(d, privacy.O6, reasonMedicalRole)
			return 0
		case !p.Cases.Has(r.Case.ID):
			e.deny(d, privacy.O6, reasonMedicalAssign)
			return 0
		case p.Secrecy != privacy.SecrecyProfessional:
			e.deny(d, privacy.G8, reasonMedicalSecrecy)
			return 0
		case !p.MultiFactor:
			e.deny(d, privacy.N6, reasonMedicalMFA)
			return 0
		}
	case ci == catAbsenceReason && !staff && ri != riSubject:
		// Rule O9: the reason for the sick report is for internal use only.
		e.deny(d, privacy.O9, reasonAbsenceReason)
		return 0
	case ci == catNationalID && (ri == riInsurer || ri == riEmployer):
		// Rule N5: the BSN is used only where a statute allows it.
		e.deny(d, privacy.N5, reasonBSN)
		return 0
	}
	if ri == riSupportStaff && ci != catIdentity && ci != catContact && ci != catAppointment {
		// Rule R8: other staff only as far as needed, never case content.
		e.deny(d, privacy.R8, reasonSupportStaff)
		return 0
	}
	if catHealth[ci] && staff && p.Secrecy == privacy.SecrecyNone {
		// Rule N4: health data only for people bound to secrecy.
		e.deny(d, privacy.N4, reasonNoSecrecy)
		return 0
	}
	full := fullMask(ci)
	floor, floorRule, floorReason := full, privacy.RuleID(""), ""
	switch {
	case ri == riInsurer:
		// Rule N3: an insurer only reads, and never more than the
		// statutory maximum, whatever the policy says.
		if ai != readIndex {
			e.deny(d, privacy.N3, reasonInsurerAction)
			return 0
		}
		floor, floorRule, floorReason = n3Mask[ci], privacy.N3, reasonInsurerMax
	case ri == riEmployer && ai == writeIndex:
		// Rule N1: the employer registers only the sick report's facts
		// (and master data and notes), not even with consent.
		floor, floorRule, floorReason = n1Mask[ci], privacy.N1, reasonEmployerWrite
	}
	if floor == 0 || (fp >= 0 && floor&(1<<fp) == 0) {
		e.deny(d, floorRule, floorReason)
		return 0
	}

	mask := e.evaluate(r, ri, ai, ci, fp, d) & floor
	switch {
	case !d.Allowed:
		return 0
	case fp >= 0:
		if mask&(1<<fp) == 0 {
			e.deny(d, d.Rule, reasonField)
			return 0
		}
		return 1 << fp
	case mask == 0:
		e.deny(d, floorRule, floorReason)
		return 0
	case ai != readIndex && mask != full:
		if floor != full {
			e.deny(d, floorRule, floorReason)
		} else {
			e.deny(d, d.Rule, reasonWholeRecord)
		}
		return 0
	}
	d.Partial = mask != full
	return mask
}

const (
	writeIndex       = 1
	catIdentity      = 0
	catNationalID    = 1
	catContact       = 2
	catAbsenceReason = 7
	catMedical       = 11
	catAppointment   = 14
)

// evaluate applies the policy's compiled rules to field position fp (-1:
// any field), leaving the decision in d and returning the fields allowed.
// A deny rule whose conditions hold wins; otherwise the allow rules whose
// conditions hold give their fields; otherwise the first failed condition
// of a matching allow rule names the denial; otherwise default deny.
func (e *Engine) evaluate(r *Request, ri, ai, ci, fp int, d *Decision) uint16 {
	kind := uint8(1) << r.Case.Kind.Index()
	// The case floors established that the contract is in force, except
	// for the subject's own access.
	var known, holds uint16
	if ri != riSubject {
		known, holds = condContract, condContract
	}
	var mask uint16
	var allowed, miss *rule
	var missCond uint16
	rules := e.rules[ri][ai][ci]
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
			if allowed == nil || (fp >= 0 && allowed.fields&(1<<fp) == 0 && ru.fields&(1<<fp) != 0) {
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
			ok = r.Consent
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
	ri, _, _, _, ok := e.indices(&r)
	if !ok {
		e.deny(&d, privacy.RuleDefaultDeny, reasonMalformed)
		return d
	}
	if !e.caseFloor(&r, ri, &d) {
		return d
	}
	var first Decision
	for _, ci := range e.reads[ri] {
		e.decideCategory(&r, ri, readIndex, int(ci), -1, &d)
		if d.Allowed {
			d.Partial = false
			return d
		}
		if first.Rule == "" || (first.Rule == privacy.RuleDefaultDeny && d.Rule != privacy.RuleDefaultDeny) {
			first = d
		}
	}
	if first.Rule == "" {
		e.deny(&d, privacy.RuleDefaultDeny, reasonNoRule)
		return d
	}
	return first
}
