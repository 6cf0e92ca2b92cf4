package consent

import (
	"fmt"
	"slices"
	"time"

	"github.com/dossierwacht/dossierwacht/access"
	"github.com/dossierwacht/dossierwacht/privacy"
)

// Decision is the answer to a disclosure [Request]: allowed or not, the
// rule that decided, on which basis, and why. The zero Decision is a
// denial: decisions fail closed.
type Decision struct {
	// Allowed reports whether the disclosure may go ahead.
	Allowed bool
	// Rule is the rule that decided: for an allowance, the policy's
	// disclosure rule or the legal basis's rule; for a denial, the rule
	// that refused, or [privacy.RuleDefaultDeny] when none allowed.
	Rule privacy.RuleID
	// Basis is what an allowed disclosure rests on: the subject's consent,
	// written consent, a statute, or a rule that needs none (N2, O11).
	// Where items rest on different bases it is the strongest of them.
	Basis privacy.BasisKind
	// LegalBasis names the statute, when Basis is [privacy.BasisStatute].
	LegalBasis privacy.LegalBasisID
	// NotifySubject reports that the subject must get the same text, in
	// writing, at the same time (N2).
	NotifySubject bool
	// Category is, for a denial, the category that was refused, when one
	// item was.
	Category privacy.Category
	// Reason is a short explanation, without personal data.
	Reason string
	// Policy is the version of the policy that decided (O16).
	Policy string
	// Coverage is, for the overview an absence insurer receives without
	// consent (O11), the entry of the coverage register it rests on.
	Coverage CoverageID

	// The grants an allowed disclosure relies on (see Grants): the first
	// few inline, so that a decision allocates nothing.
	grants  [inlineGrants]GrantID
	more    []GrantID
	nGrants int
}

// inlineGrants is how many grant IDs a Decision holds without allocating.
const inlineGrants = 4

// Grants returns the grants an allowed disclosure relies on, each once, in
// the order of the items that needed them; nil if none. The slice is new
// on every call.
func (d Decision) Grants() []GrantID {
	if d.nGrants == 0 {
		return nil
	}
	out := make([]GrantID, 0, d.nGrants)
	out = append(out, d.grants[:min(d.nGrants, inlineGrants)]...)
	return append(out, d.more...)
}

// addGrant records that the decision relies on grant g, which it does
// not list yet.
func (d *Decision) addGrant(g GrantID) {
	if d.nGrants < inlineGrants {
		d.grants[d.nGrants] = g
	} else {
		d.more = append(d.more, g)
	}
	d.nGrants++
}

// String describes d in one line: "allowed by O14 (written-consent)" or
// "denied by O9: …".
func (d Decision) String() string {
	if !d.Allowed {
		s := "denied by " + string(d.Rule)
		if d.Category != "" {
			s += " (" + string(d.Category) + ")"
		}
		return s + ": " + d.Reason
	}
	s := "allowed by " + string(d.Rule) + " (" + string(d.Basis)
	if d.LegalBasis != "" {
		s += " " + string(d.LegalBasis)
	}
	return s + ")"
}

// Engine decides disclosures from a policy, a request and the facts of
// the store: the case the data comes from, the subject's grants and the
// coverage register ([Facts]). It is pure: no I/O, no clock, no state
// beyond the policy it was built from, so it is safe for concurrent use.
// It holds the access engine compiled from the same policy, so that a
// discloser passes on only what it may read itself. [Registry] uses one
// inside the store's transaction; the access engine may use one to ask
// whether a subject consented (O10) through [Engine.Consents].
type Engine struct {
	version  string
	purposes []privacy.Purpose
	cats     [numCats]catRules // by catIndex
	bases    map[privacy.LegalBasisID]*basis
	engine   *access.Engine
	// writtenRequest reports that the employer and a third party receive
	// data on consent only on their written request (rule O14): the policy applies
	// regulation O, or names no regulation at all.
	writtenRequest bool
}

// Facts are what a disclosure is decided on beside the request and the
// policy, as the store holds them at the moment of the decision.
type Facts struct {
	// Case is the case the request names, as stored: its kind (O10),
	// commissioning party (N2, O11, O2), purpose (R5) and contract term
	// (O2) decide, and the discloser's access is decided on it.
	Case privacy.Case
	// Grants are the subject's grants, revoked ones included (R6, O14,
	// O6, O10); grants of other subjects are ignored.
	Grants []Grant
	// Coverage is the coverage register's entries for the case's
	// employer (O11); only a disclosure to an absence insurer needs it.
	Coverage []Coverage
}

// catRules is what a Engine knows of one category.
type catRules struct {
	fields  []privacy.Field  // every field of the category
	insurer []privacy.Field  // rule N3's maximum; nil: an insurer gets none of it
	byKind  [numKinds][]rule // the policy's disclosure rules, by recipient kind
	// plain is, by recipient kind, the rules chosen for any item and any
	// discloser, where no rule of the kind limits its fields or who
	// discloses (plain.ok): most of them, chosen once when the decider
	// is built rather than on every decision.
	plain [numKinds]selection
}

// selection is the disclosure rules that may allow an item: the first
// that needs no consent, the first that needs consent in any form (a
// written grant satisfies it), and the first that takes explicit
// consent.
type selection struct {
	ok                      bool
	none, anyForm, explicit *rule
}

// choose fills cr.plain from cr.byKind for category c.
func (cr *catRules) choose(c privacy.Category) {
	for k, rules := range cr.byKind {
		sl := selection{ok: true}
		for j := range rules {
			r := &rules[j]
			if len(r.from) > 0 || r.fields != nil {
				sl = selection{}
				break
			}
			switch r.basis {
			case privacy.BasisNone:
				if sl.none == nil {
					sl.none = r
				}
			case privacy.BasisConsent:
				if sl.anyForm == nil {
					sl.anyForm = r
				}
				if sl.explicit == nil && c != privacy.CategoryMedical {
					sl.explicit = r
				}
			case privacy.BasisWrittenConsent:
				if sl.anyForm == nil {
					sl.anyForm = r
				}
			}
		}
		cr.plain[k] = sl
	}
}

// numKinds is the number of party kinds (privacy.PartyKind.Index).
const numKinds = privacy.NumPartyKinds

// numCats is the number of categories the service processes
// (privacy.Category.Index).
const numCats = privacy.NumCategories

// cat returns what the decider knows of c, or nil for a category the
// service does not process.
func (d *Engine) cat(c privacy.Category) *catRules {
	i := c.Index()
	if i < 0 {
		return nil
	}
	return &d.cats[i]
}

// rulesFor returns the disclosure rules for category c to recipients of
// kind k (k from kindIndex), and what the decider knows of c; nil for an
// unknown category.
func (d *Engine) rulesFor(c privacy.Category, k int) ([]rule, *catRules) {
	return d.rulesAt(c.Index(), k)
}

// rulesAt is rulesFor for the category of index ci.
func (d *Engine) rulesAt(ci, k int) ([]rule, *catRules) {
	if ci < 0 {
		return nil, nil
	}
	cr := &d.cats[ci]
	if k < 0 {
		return nil, cr
	}
	return cr.byKind[k], cr
}

// rule is a [privacy.DisclosureRule] for one recipient kind and category.
type rule struct {
	id     privacy.RuleID
	basis  privacy.BasisKind
	from   []privacy.Role
	fields []privacy.Field // nil: every field
	notify bool
	reason string
}

type basis struct {
	id         privacy.LegalBasisID
	rule       privacy.RuleID
	recipients []privacy.PartyKind
	categories []privacy.Category
	purposes   []privacy.Purpose // empty: any purpose
	reason     string
}

// NewEngine returns a Engine for policy. The policy is validated and
// copied: later changes to it have no effect.
func NewEngine(policy *privacy.Policy) (*Engine, error) {
	if policy == nil {
		return nil, &privacy.Error{Op: "consent: new decider", Kind: privacy.ErrInvalid, Msg: "nil policy"}
	}
	if err := policy.Validate(); err != nil {
		return nil, err
	}
	engine, err := access.NewEngine(policy)
	if err != nil {
		return nil, err
	}
	p := policy.Clone()
	d := &Engine{
		version: p.Version,
		bases:   map[privacy.LegalBasisID]*basis{},
		engine:  engine,
		// Rule O14 is regulation O's; a policy that names no regulation
		// is held to it too.
		writtenRequest: len(p.Regulations) == 0 || slices.Contains(p.Regulations, "O"),
	}
	insurer := privacy.InsurerMaximum()
	for _, pr := range p.Purposes {
		if !slices.Contains(d.purposes, pr.Purpose) {
			d.purposes = append(d.purposes, pr.Purpose)
		}
	}
	for _, c := range privacy.Categories() {
		info, _ := c.Info()
		cr := d.cat(c)
		if cr == nil {
			return nil, &privacy.Error{Op: "consent: new decider", Kind: privacy.ErrInvalid, Msg: fmt.Sprintf("category %q unknown to the decider", c)}
		}
		*cr = catRules{fields: info.Fields, insurer: insurer[c]}
	}
	for i, dr := range p.Disclosures {
		k := dr.Recipient.Index()
		if k < 0 {
			return nil, &privacy.Error{Op: "consent: new decider", Kind: privacy.ErrInvalid, Path: fmt.Sprintf("disclosures[%d].recipient", i),
				Msg: "unknown party kind"}
		}
		for _, c := range dr.Categories {
			r := rule{id: dr.Rule, basis: dr.Basis, from: dr.From, notify: dr.NotifySubject, reason: dr.Reason}
			if len(dr.Fields) > 0 {
				// Keep only the fields of this category: a rule's field
				// list spans all its categories.
				for _, f := range dr.Fields {
					if c.HasField(f) {
						r.fields = append(r.fields, f)
					}
				}
				if r.fields == nil {
					continue // none of its fields is of c: it allows nothing of c
				}
			}
			cr := d.cat(c)
			cr.byKind[k] = append(cr.byKind[k], r)
		}
	}
	for _, c := range privacy.Categories() {
		d.cat(c).choose(c)
	}
	for _, l := range p.LegalBases {
		d.bases[l.ID] = &basis{id: l.ID, rule: l.Rule, recipients: l.Recipients, categories: l.Categories, reason: l.Reason,
			purposes: l.Purposes}
	}
	return d, nil
}

// Policy returns the version of the policy d decides by (O16).
func (d *Engine) Policy() string { return d.version }

// The reasons of the engine's own denials.
const (
	reasonMalformed           = "the request is incomplete"
	reasonNotTheCase          = "the facts are not of the request's case and subject"
	reasonHidden              = "no such case, or one the discloser may not know of"
	reasonAdmin               = "the application administrator sees no case content and discloses none"
	reasonNotStaff            = "only the service's own staff disclose its data"
	reasonPurpose             = "the policy does not process for this purpose"
	reasonCasePurpose         = "the request's purpose is not the case's"
	reasonContract            = "the case's contract is not in force at the disclosure's time"
	reasonConfidential        = "the employer learns nothing of a consultation-hour visit or periodic examination without the employee's written approval"
	reasonBackdated           = "the disclosure is dated before a revocation the subject's file already records"
	reasonUnknownLaw          = "the policy names no such legal basis"
	reasonLawParty            = "the statute does not name this recipient"
	reasonLawCategory         = "the statute does not cover this category"
	reasonLawPurpose          = "the statute does not cover this purpose"
	reasonConfidentialStatute = "no statute carries data out of a consultation-hour visit or periodic examination"
	reasonOtherSubject        = "the statute gives the employee's text to the employee only"
	reasonOverviewKind        = "the insurer's overview is of sick employees: only from an absence or reintegration case"
	reasonReason              = "the absence reason is for the service's internal use and never leaves it"
	reasonBSN                 = "the BSN leaves only on a statute that allows it, never on consent"
	reasonInsurer             = "an absence insurer never receives more than the AP's list, not even with consent"
	reasonMedicalBy           = "only a physician discloses medical data"
	reasonNoRule              = "no disclosure rule of the policy covers this category for this recipient"
	reasonFields              = "the rule that covers this category allows fewer fields"
	reasonConsent             = "needs the subject's explicit consent; no grant in force covers it"
	reasonWritten             = "needs the subject's written consent; no written grant in force covers it"
	reasonNotCommissioner     = "the physician's advice without consent goes only to the employer that commissioned the case"
	reasonCommissionerKind    = "the recipient is the party that commissioned the case, of another kind than declared"
	reasonNotCovered          = "the overview goes only to an absence insurer that covers the case's employer"
	reasonNoneKind            = "this recipient receives data only on consent or a statute"
	reasonWrittenRequest      = "the employer or a third party receives data on consent only on its written request"
	reasonPartialRead         = "the discloser may read only some fields of this category"
)

// Decide decides req against the facts of the store (see [Facts]). It
// checks, in this order, and the first rule that refuses decides:
//   - the discloser is the service's own staff, not the administrator
//     (R12); the facts are of the request's case and subject; the purpose
//     is one of the policy's and the case's (R5); the case's contract is
//     in force (O2); an employer learns nothing of a consultation-hour or
//     periodic-exam case without the subject's written approval (O10);
//     the disclosure is not dated before a revocation already recorded
//     for the subject (R6);
//   - on a named statute: the policy has it and it names the recipient's
//     kind, every category and, if it names purposes, the request's
//     purpose (N10, N5);
//   - the absence reason never leaves (O9); the BSN never on consent
//     (N5); an insurer never gets more than N3's list; medical data only
//     from a physician (O6);
//   - a disclosure rule of the policy for the recipient's kind and each
//     category, with the rule's own conditions: the physician's advice
//     without consent only to the employer that commissioned the case
//     (N2), the overview only to an insurer the coverage register shows
//     covering the case's employer (O11);
//   - the discloser may read what it discloses of the case, at that time,
//     for that purpose: each named field, or the whole category for an
//     item that names none (the access engine decides, naming R7, O4, R8,
//     O6, G8, N4, N6, R12, O7, …);
//   - for the items that need consent: a grant in force for the
//     recipient, purpose, case and category, in the written form where the
//     rule or medical data (O6) asks for it (R6, O14, O10); and then the
//     written request of a third party or the employer (O14);
//   - nothing else: [privacy.RuleDefaultDeny].
//
// Decide does not validate req (see [Request.Validate]); malformed input
// is denied. It decides the discloser's access once per category, and
// allocates nothing unless a decision rests on more than four grants or
// more than four items need one.
func (d *Engine) Decide(req *Request, f *Facts) (out Decision) {
	if req == nil || f == nil || req.By == nil || req.At.IsZero() || req.Subject == "" || req.Case == "" ||
		req.Recipient.Party == "" || req.Recipient.Kind == "" || req.By.ID == "" || req.Purpose == "" || len(req.Items) == 0 {
		return d.deny(privacy.RuleDefaultDeny, "", reasonMalformed)
	}
	c := &f.Case
	at := instantOf(req.At)
	switch by := req.By; {
	case by.Role == privacy.RoleAdministrator:
		// Rule R12: the administrator manages accounts and sees no case
		// content.
		return d.deny(privacy.R12, "", reasonAdmin)
	case !by.Role.Staff():
		return d.deny(privacy.RuleDefaultDeny, "", reasonNotStaff)
	case c.ID != req.Case || c.Subject != req.Subject:
		return d.deny(privacy.RuleDefaultDeny, "", reasonNotTheCase)
	case !slices.Contains(d.purposes, req.Purpose):
		// Rule R5: a use for another purpose is refused.
		return d.deny(privacy.R5, "", reasonPurpose)
	case req.Purpose != c.Purpose:
		// Rule R5: data leaves only for the purpose it was collected for.
		return d.deny(privacy.R5, "", reasonCasePurpose)
	case req.Recipient.Party == c.Contract.Party && req.Recipient.Kind != c.Contract.PartyKind:
		// Rules R6, O6, O9: the party that commissioned the case is what
		// the case's contract says it is; declared as another kind (the
		// employer as the UWV) it would receive what that kind may.
		return d.deny(privacy.R6, "", reasonCommissionerKind)
	case c.Contract.Start.IsZero() || at.before(instantOf(c.Contract.Start)) ||
		(!c.Contract.End.IsZero() && !at.before(instantOf(c.Contract.End))):
		// Rule O2: processing only under a contract in force.
		return d.deny(privacy.O2, "", reasonContract)
	case req.Recipient.Kind == privacy.PartyEmployer && c.Kind.Confidential() &&
		!d.Consents(Query{Subject: req.Subject, Recipient: req.Recipient, Category: privacy.CategoryConsultation,
			Case: req.Case, Purpose: req.Purpose, At: req.At}, f.Grants):
		// Rule O10: not even that the case exists, let alone its content,
		// without the employee's approval.
		return d.deny(privacy.O10, "", reasonConfidential)
	}
	var rd reader
	rd.init(d, req, c)
	if req.Basis != "" {
		return d.statute(req, f, &rd)
	}
	// Written in place, field by field, for the same reason.
	out.Allowed, out.Policy = true, d.version
	strength := -1
	// The items that need a grant. Stored by index into a local array,
	// not appended, so that the stores need no write barriers.
	var buf [4]pending
	var extra []pending // beyond len(buf), rare
	n := 0
	kindIdx := req.Recipient.Kind.Index()
	// Whether the case lets the rules that need no consent apply (N2,
	// O11): decided once, when the first such rule is met.
	var caseOK int8 // 0: not yet decided; 1: holds; -1: fails
	var caseRule privacy.RuleID
	var caseWhy string
	var cover *Coverage
	for i := range req.Items {
		it := &req.Items[i]
		ci := it.Category.Index()
		rules, cr := d.rulesAt(ci, kindIdx)
		if rule, why := floor(req, it, cr, false); rule != "" {
			return d.deny(rule, it.Category, why)
		}
		var none, noneFailed, anyForm, explicit, fields *rule
		if sl := plainFor(cr, kindIdx); sl != nil {
			anyForm, explicit = sl.anyForm, sl.explicit
			if sl.none != nil {
				if caseOK == 0 {
					caseOK, caseRule, caseWhy, cover = d.noneHolds(req, f)
				}
				if caseOK > 0 {
					none = sl.none
				} else {
					noneFailed = sl.none
				}
			}
			rules = nil
		}
		for j := range rules {
			r := &rules[j]
			if len(r.from) > 0 && !slices.Contains(r.from, req.By.Role) {
				continue
			}
			if !within(it, r.fields, cr) {
				if fields == nil {
					fields = r
				}
				continue
			}
			switch r.basis {
			case privacy.BasisNone:
				if caseOK == 0 {
					caseOK, caseRule, caseWhy, cover = d.noneHolds(req, f)
				}
				if caseOK > 0 {
					none = r
				} else if noneFailed == nil {
					noneFailed = r
				}
			case privacy.BasisConsent:
				if anyForm == nil {
					anyForm = r
				}
				// Rule O6: medical data leaves on written consent only,
				// whatever the rule says.
				if explicit == nil && it.Category != privacy.CategoryMedical {
					explicit = r
				}
			case privacy.BasisWrittenConsent:
				if anyForm == nil {
					anyForm = r
				}
			}
			if none != nil {
				break
			}
		}
		switch {
		case none != nil || anyForm != nil:
		case noneFailed != nil:
			// Rules N2, O11: the rule that needs no consent does not
			// apply to this case and recipient, and none that needs
			// consent covers the item.
			return d.deny(caseRule, it.Category, caseWhy)
		case fields != nil:
			return d.deny(fields.id, it.Category, reasonFields)
		default:
			return d.deny(noRuleRule(req, it), it.Category, reasonNoRule)
		}
		// Rules R7, O4, R8, O6, G8, N4, N6: no one passes on what they
		// may not read themselves.
		if rule, why := rd.mayRead(it, ci); rule != "" {
			return d.deny(rule, it.Category, why)
		}
		if none != nil {
			// Rules N2 and O11: allowed without consent, within their
			// fields; preferred over consent, which can be withdrawn.
			out.add(none, "", &strength)
			if cover != nil && req.Recipient.Kind == privacy.PartyInsurer {
				out.Coverage = cover.ID
			}
			continue
		}
		var p *pending
		if n < len(buf) {
			p = &buf[n]
		} else {
			extra = append(extra, pending{})
			p = &extra[len(extra)-1]
		}
		// Field by field: a composite literal here is built in a
		// temporary and copied, which stalls store forwarding.
		p.cat, p.anyForm, p.explicit, p.grant, p.caseFailed = it.Category, anyForm, explicit, -1, noneFailed != nil
		n++
	}
	if n == 0 {
		if revokedAfter(f.Grants, req.Subject, instantOf(req.At)) {
			return d.deny(privacy.R6, "", reasonBackdated)
		}
		return out
	}
	need := buf[:min(n, len(buf))]
	if extra != nil {
		need = append(need, extra...)
	}
	// Rules R6, O14, O10, O6: one pass over the grants finds, for every
	// item that needs consent, the first grant in force that covers it,
	// and any revocation recorded after the request's time.
	if firstGrants(f.Grants, req, need) {
		return d.deny(privacy.R6, "", reasonBackdated)
	}
	for k := range need {
		p := &need[k]
		if p.grant < 0 {
			switch {
			case p.caseFailed:
				return d.deny(caseRule, p.cat, caseWhy)
			case p.explicit != nil:
				return d.deny(p.anyForm.id, p.cat, reasonConsent)
			}
			return d.deny(p.anyForm.id, p.cat, reasonWritten)
		}
		g := &f.Grants[p.grant]
		r := p.anyForm
		if !g.Written() {
			r = p.explicit
		}
		id := g.ID
		for j := range k {
			if need[j].grant == p.grant {
				id = "" // listed already: compare indexes, not IDs
				break
			}
		}
		out.add(r, id, &strength)
	}
	if d.writtenRequest && req.WrittenRequest == "" &&
		(req.Recipient.Kind == privacy.PartyThirdParty || req.Recipient.Kind == privacy.PartyEmployer) {
		// Rule O14: transfer to a third party only on its written request
		// as well as the employee's written consent — and so to the
		// employer beyond the statutory minimum, as the ready policies
		// say in so many words (privacy.Strict, privacy.RegulationO).
		// What needs no consent (N2's advice) needs no request either.
		// Checked last, so that a disclosure refused on other grounds
		// (no grant, not the commissioner) names them.
		return d.deny(privacy.O14, "", reasonWrittenRequest)
	}
	return out
}

// plainFor returns the rules chosen for any item of cr's category to a
// recipient of kind k (see catRules.plain), or nil when they must be
// chosen item by item.
func plainFor(cr *catRules, k int) *selection {
	if cr == nil || k < 0 || !cr.plain[k].ok {
		return nil
	}
	return &cr.plain[k]
}

// noneHolds decides whether the case and the recipient let a rule that
// needs no consent apply: the physician's advice goes only to the
// employer that commissioned the case (N2); the overview only to an
// absence insurer that the coverage register shows covering the case's
// employer at the disclosure's time (O11, and the coverage it rests on);
// no other recipient receives anything without consent or a statute. It
// returns 1 or -1, and for -1 the rule that refuses and why.
func (d *Engine) noneHolds(req *Request, f *Facts) (int8, privacy.RuleID, string, *Coverage) {
	k := &f.Case.Contract
	switch req.Recipient.Kind {
	case privacy.PartyEmployer:
		if k.PartyKind == privacy.PartyEmployer && req.Recipient.Party == k.Party {
			return 1, "", "", nil
		}
		return -1, privacy.N2, reasonNotCommissioner, nil
	case privacy.PartyInsurer:
		if f.Case.Kind != privacy.CaseAbsence && f.Case.Kind != privacy.CaseReintegration {
			// Rules O11, O10: the overview is of sick employees, never of
			// a consultation-hour visit, a periodic examination or a
			// preventive case.
			return -1, privacy.O11, reasonOverviewKind, nil
		}
		if k.PartyKind == privacy.PartyEmployer {
			if c := coverageFor(f.Coverage, req.Recipient.Party, k.Party, instantOf(req.At)); c != nil {
				return 1, "", "", c
			}
		}
		return -1, privacy.O11, reasonNotCovered, nil
	}
	return -1, privacy.R6, reasonNoneKind, nil
}

// revokedAfter reports whether one of the subject's grants records a
// revocation after t.
func revokedAfter(grants []Grant, subject privacy.SubjectID, t instant) bool {
	for i := range grants {
		g := &grants[i]
		if !g.Revoked.IsZero() && t.before(instantOf(g.Revoked)) && g.Subject == subject {
			return true
		}
	}
	return false
}

// reader decides what the discloser may read of the case: each category
// once, whatever the number of items and grants.
type reader struct {
	engine *access.Engine
	req    access.Request
	// state is, per category, 0 while undecided, whole when the
	// discloser may read every field, some when only some.
	state [numCats]uint8
}

const (
	readWhole = 1
	readSome  = 2
)

func (rd *reader) init(d *Engine, req *Request, c *privacy.Case) {
	rd.engine = d.engine
	r := &rd.req
	r.Principal, r.Case, r.Action, r.Purpose, r.Time = req.By, c, privacy.ActionRead, req.Purpose, req.At
}

// mayRead returns the rule that refuses the discloser it and why, or ""
// when it may read the item: every named field, or the whole category
// when the item names none.
func (rd *reader) mayRead(it *Item, ci int) (privacy.RuleID, string) {
	if ci < 0 {
		return privacy.RuleDefaultDeny, reasonNoRule
	}
	st := rd.state[ci]
	if st == 0 {
		rd.req.Category, rd.req.Field = it.Category, ""
		dec := rd.engine.Decide(rd.req)
		switch {
		case !dec.Allowed:
			return dec.Rule, dec.Reason
		case dec.Partial:
			st = readSome
		default:
			st = readWhole
		}
		rd.state[ci] = st
	}
	if st == readWhole {
		return "", ""
	}
	fs := it.Fields
	whole := len(fs) == 0
	if whole {
		info, _ := it.Category.Info()
		fs = info.Fields
	}
	rd.req.Category = it.Category
	for _, f := range fs {
		rd.req.Field = f
		if dec := rd.engine.Decide(rd.req); !dec.Allowed {
			return dec.Rule, dec.Reason
		}
	}
	if whole {
		// Every field decided alone was allowed, yet the category is
		// not wholly readable: fail closed.
		return privacy.RuleDefaultDeny, reasonPartialRead
	}
	return "", ""
}

// firstGrants sets, for every pending item, the first grant in force at
// req.At that lets req's recipient have the item's category of req's
// subject for req's purpose and case, in a form the item's rules take. In
// the same pass it looks for a revocation of one of the subject's grants
// recorded after req.At, and reports whether it found one (rule R6).
func firstGrants(grants []Grant, req *Request, need []pending) (backdated bool) {
	open := len(need)
	at := instantOf(req.At)
	for gi := nextGrant(grants, 0, req, at, true); gi < len(grants); gi = nextGrant(grants, gi+1, req, at, open > 0) {
		g := &grants[gi]
		if !g.Revoked.IsZero() {
			if g.Subject == req.Subject {
				return true
			}
			continue
		}
		if !grantFits(g, req, at) {
			continue
		}
		written := g.Written()
		for k := range need {
			p := &need[k]
			if p.grant < 0 && (written || p.explicit != nil) && g.Covers(p.cat) {
				p.grant = gi
				open--
			}
		}
	}
	return false
}

// nextGrant returns the index, from gi on, of the next grant that is
// revoked after at (no disclosure may reach behind it) or, when fitting
// is set, that is not revoked and has names as long as req's (or none,
// where a grant may leave one out); len(grants) if there is none. It
// compares integers only and calls nothing, so that its few values stay
// in registers: most grants of a long file are set aside here, and only
// those it stops at are compared in full.
func nextGrant(grants []Grant, gi int, req *Request, at instant, fitting bool) int {
	kindLen := len(req.Recipient.Kind)
	for ; gi < len(grants); gi++ {
		g := &grants[gi]
		if !g.Revoked.IsZero() {
			// A revoked grant is either revoked after at, or not in
			// force then.
			if at.before(instantOf(g.Revoked)) {
				return gi
			}
			continue
		}
		// Each length is loaded only when the one before matched.
		if !fitting {
			continue
		}
		if k := len(g.Recipient.Kind); k != kindLen && k != 0 {
			continue
		}
		if p := len(g.Recipient.Party); p != len(req.Recipient.Party) && p != 0 {
			continue
		}
		if c := len(g.Case); len(g.Purpose) == len(req.Purpose) && (c == len(req.Case) || c == 0) {
			return gi
		}
	}
	return gi
}

// grantFits reports whether g, not revoked, is in force at at and names
// req's recipient (or its kind or party only), purpose, case (or none)
// and subject. Lengths are compared first, as integers; the kind is
// matched by its index, as a switch on constants compares inline where
// comparing two strings calls the runtime; an unknown kind matches
// nothing.
func grantFits(g *Grant, req *Request, at instant) bool {
	if (len(g.Recipient.Party) != len(req.Recipient.Party) && g.Recipient.Party != "") ||
		len(g.Purpose) != len(req.Purpose) || (len(g.Case) != len(req.Case) && g.Case != "") ||
		len(g.Subject) != len(req.Subject) ||
		at.before(instantOf(g.From)) || (!g.Until.IsZero() && !at.before(instantOf(g.Until))) {
		return false
	}
	if k := g.Recipient.Kind; k != "" && k.Index() != req.Recipient.Kind.Index() {
		return false
	}
	return (g.Recipient.Party == req.Recipient.Party || g.Recipient.Party == "") && g.Purpose == req.Purpose &&
		(g.Case == req.Case || g.Case == "") && g.Subject == req.Subject
}

// pending is an item that needs a grant: the first consent rule that
// covers it, which a written grant satisfies, and the first that takes
// explicit consent, if any.
type pending struct {
	cat      privacy.Category
	anyForm  *rule
	explicit *rule
	grant    int // the grant found; -1 while none
	// caseFailed marks an item that a rule needing no consent would have
	// allowed but for the case (N2, O11): without a grant, that rule's
	// refusal names the denial.
	caseFailed bool
}

// add counts an item allowed by r on grant g (none if empty) into the
// decision: the strongest basis names the decision's rule.
func (o *Decision) add(r *rule, g GrantID, strength *int) {
	if s := strengthOf(r.basis); s > *strength {
		*strength = s
		o.Rule, o.Basis, o.Reason = r.id, r.basis, r.reason
	}
	o.NotifySubject = o.NotifySubject || r.notify
	if g != "" {
		o.addGrant(g)
	}
}

// noRuleRule names the rule behind a denial that no disclosure rule
// covers: medical data (O6) and consultation facts towards the employer
// (O10) have rules of their own; the rest is refused by default.
func noRuleRule(req *Request, it *Item) privacy.RuleID {
	switch {
	case it.Category == privacy.CategoryMedical:
		return privacy.O6
	case it.Category == privacy.CategoryConsultation && req.Recipient.Kind == privacy.PartyEmployer:
		return privacy.O10
	}
	return privacy.RuleDefaultDeny
}

func strengthOf(b privacy.BasisKind) int {
	switch b {
	case privacy.BasisWrittenConsent:
		return 2
	case privacy.BasisConsent:
		return 1
	}
	return 0
}

// statute decides a request that invokes a legal basis: the statute
// allows exactly its recipients and categories (N10, N5), and the
// discloser passes on only what it may read (rd).
func (d *Engine) statute(req *Request, f *Facts, rd *reader) Decision {
	b, ok := d.bases[req.Basis]
	if !ok {
		return d.deny(privacy.RuleDefaultDeny, "", reasonUnknownLaw)
	}
	if !slices.Contains(b.recipients, req.Recipient.Kind) {
		// Rule N10 (or N5 for the BSN): each statute allows exactly its
		// recipients.
		return d.deny(b.rule, "", reasonLawParty)
	}
	if len(b.purposes) > 0 && !slices.Contains(b.purposes, req.Purpose) {
		// Rule N5 (or N10): and only for the purposes it names.
		return d.deny(b.rule, "", reasonLawPurpose)
	}
	if f.Case.Kind.Confidential() {
		// Rules O10, R5: the sick-leave statutes carry nothing out of a
		// consultation-hour visit or a periodic examination.
		return d.deny(privacy.O10, "", reasonConfidentialStatute)
	}
	if req.Recipient.Kind == privacy.PartySubject && req.Recipient.Party != privacy.PartyID(req.Subject) {
		// Rule N10 (and R6): a statute that gives the employee a text
		// gives it to this employee, the subject, and to nobody else.
		return d.deny(b.rule, "", reasonOtherSubject)
	}
	for i := range req.Items {
		it := &req.Items[i]
		if rule, why := floor(req, it, d.cat(it.Category), true); rule != "" {
			return d.deny(rule, it.Category, why)
		}
		if !slices.Contains(b.categories, it.Category) {
			// Rule N10: and exactly its categories.
			return d.deny(b.rule, it.Category, reasonLawCategory)
		}
		if rule, why := rd.mayRead(it, it.Category.Index()); rule != "" {
			return d.deny(rule, it.Category, why)
		}
	}
	if revokedAfter(f.Grants, req.Subject, instantOf(req.At)) {
		return d.deny(privacy.R6, "", reasonBackdated)
	}
	return Decision{Allowed: true, Rule: b.rule, Basis: privacy.BasisStatute, LegalBasis: b.id,
		Reason: b.reason, Policy: d.version}
}

// floor applies the rules no policy, grant or statute of the policy can
// set aside: it returns the rule that refuses the item and why, or "".
func floor(req *Request, it *Item, cr *catRules, statute bool) (privacy.RuleID, string) {
	switch {
	case it.Category == privacy.CategoryAbsenceReason:
		// Rule O9: the reason for the sick report is for internal use
		// only.
		return privacy.O9, reasonReason
	case it.Category == privacy.CategoryNationalID && !statute:
		// Rule N5: the BSN only where a statute allows it; consent cannot
		// make other use lawful.
		return privacy.N5, reasonBSN
	case cr == nil:
		return privacy.RuleDefaultDeny, reasonNoRule
	case req.Recipient.Kind == privacy.PartyInsurer && (cr.insurer == nil || !within(it, cr.insurer, cr)):
		// Rule N3: the most an absence insurer may receive, whatever the
		// policy says, consent or not.
		return privacy.N3, reasonInsurer
	case it.Category == privacy.CategoryMedical && req.By.Role != privacy.RolePhysician:
		// Rule O6: medical data is processed by physicians only.
		return privacy.O6, reasonMedicalBy
	}
	return "", ""
}

// within reports whether the item asks for no field beyond allowed; nil
// allowed means every field.
func within(it *Item, allowed []privacy.Field, cr *catRules) bool {
	if allowed == nil {
		return true
	}
	fs := it.Fields
	if len(fs) == 0 {
		fs = cr.fields
	}
	for _, f := range fs {
		if !slices.Contains(allowed, f) {
			return false
		}
	}
	return true
}

func (d *Engine) deny(rule privacy.RuleID, c privacy.Category, reason string) Decision {
	return Decision{Rule: rule, Category: c, Reason: reason, Policy: d.version}
}

// Query asks whether a subject consented to a recipient learning data of a
// category: the fact the access engine needs for rule O10 (may the
// employer learn of a consultation-hour visit or a periodic examination?).
type Query struct {
	Subject   privacy.SubjectID
	Recipient Recipient // party and kind
	Category  privacy.Category
	// Case is the case concerned; a grant for another case does not count.
	Case privacy.CaseID
	// Purpose, if set, must be the grant's; empty accepts any purpose.
	Purpose privacy.Purpose
	At      time.Time
}

// Consents reports whether a grant in force at q.At covers q: the policy
// lets q's category go to q's kind of recipient on consent, and one of
// grants gives it, in the form that rule asks for (written for O14, O10
// and medical data, O6). Consent never covers the absence reason (O9) or
// the BSN (N5): for those it reports false.
func (d *Engine) Consents(q Query, grants []Grant) bool {
	if q.Category == privacy.CategoryAbsenceReason || q.Category == privacy.CategoryNationalID ||
		q.Subject == "" || q.At.IsZero() {
		return false
	}
	kind, kindLen := q.Recipient.Kind.Index(), len(q.Recipient.Kind)
	rules, _ := d.rulesFor(q.Category, kind)
	// Which form the policy asks: any consent rule lets the category go;
	// one that takes explicit consent makes a written grant unnecessary,
	// except for medical data (O6).
	consentRule, explicitOK := false, false
	for _, r := range rules {
		switch r.basis {
		case privacy.BasisConsent:
			consentRule, explicitOK = true, q.Category != privacy.CategoryMedical
		case privacy.BasisWrittenConsent:
			consentRule = true
		}
	}
	if !consentRule {
		return false
	}
	at := instantOf(q.At)
	for i := range grants {
		g := &grants[i]
		if k := g.Recipient.Kind; k != "" && (len(k) != kindLen || k.Index() != kind) {
			continue
		}
		if (g.Recipient.Party != "" && g.Recipient.Party != q.Recipient.Party) || !g.Covers(q.Category) ||
			(g.Case != "" && g.Case != q.Case) || (q.Purpose != "" && g.Purpose != q.Purpose) ||
			(!explicitOK && !g.Written()) || g.Subject != q.Subject || !g.inForce(at) {
			continue
		}
		return true
	}
	return false
}
