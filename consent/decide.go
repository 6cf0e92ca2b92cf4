package consent

import (
	"fmt"
	"slices"
	"time"

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

// Decider decides disclosures from a policy, a request and the subject's
// grants. It is pure: no I/O, no clock, no state beyond the policy it was
// built from, so it is safe for concurrent use. [Registry] uses one inside
// the store's transaction; the access engine may use one to ask whether a
// subject consented (O10) through [Decider.Consents].
type Decider struct {
	version  string
	purposes []privacy.Purpose
	cats     [numCats]catRules // by catIndex
	bases    map[privacy.LegalBasisID]*basis
}

// catRules is what a Decider knows of one category.
type catRules struct {
	fields  []privacy.Field  // every field of the category
	insurer []privacy.Field  // rule N3's maximum; nil: an insurer gets none of it
	byKind  [numKinds][]rule // the policy's disclosure rules, by recipient kind
}

// numKinds is the number of party kinds (privacy.PartyKind.Index).
const numKinds = privacy.NumPartyKinds

// numCats is the number of categories the service processes
// (privacy.Category.Index).
const numCats = privacy.NumCategories

// cat returns what the decider knows of c, or nil for a category the
// service does not process.
func (d *Decider) cat(c privacy.Category) *catRules {
	i := c.Index()
	if i < 0 {
		return nil
	}
	return &d.cats[i]
}

// rulesFor returns the disclosure rules for category c to recipients of
// kind k (k from kindIndex), and what the decider knows of c; nil for an
// unknown category.
func (d *Decider) rulesFor(c privacy.Category, k int) ([]rule, *catRules) {
	cr := d.cat(c)
	if cr == nil || k < 0 {
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

// NewDecider returns a Decider for policy. The policy is validated and
// copied: later changes to it have no effect.
func NewDecider(policy *privacy.Policy) (*Decider, error) {
	if policy == nil {
		return nil, &privacy.Error{Op: "consent: new decider", Kind: privacy.ErrInvalid, Msg: "nil policy"}
	}
	if err := policy.Validate(); err != nil {
		return nil, err
	}
	p := policy.Clone()
	d := &Decider{
		version: p.Version,
		bases:   map[privacy.LegalBasisID]*basis{},
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
	for _, l := range p.LegalBases {
		d.bases[l.ID] = &basis{id: l.ID, rule: l.Rule, recipients: l.Recipients, categories: l.Categories, reason: l.Reason,
			purposes: l.Purposes}
	}
	return d, nil
}

// Policy returns the version of the policy d decides by (O16).
func (d *Decider) Policy() string { return d.version }

// The reasons of the engine's own denials.
const (
	reasonMalformed   = "the request is incomplete"
	reasonAdmin       = "the application administrator sees no case content and discloses none"
	reasonNotStaff    = "only the service's own staff disclose its data"
	reasonPurpose     = "the policy does not process for this purpose"
	reasonUnknownLaw  = "the policy names no such legal basis"
	reasonLawParty    = "the statute does not name this recipient"
	reasonLawCategory = "the statute does not cover this category"
	reasonLawPurpose  = "the statute does not cover this purpose"
	reasonReason      = "the absence reason is for the service's internal use and never leaves it"
	reasonBSN         = "the BSN leaves only on a statute that allows it, never on consent"
	reasonInsurer     = "an absence insurer never receives more than the AP's list, not even with consent"
	reasonMedicalBy   = "only a physician discloses medical data"
	reasonNoRule      = "no disclosure rule of the policy covers this category for this recipient"
	reasonFields      = "the rule that covers this category allows fewer fields"
	reasonConsent     = "needs the subject's explicit consent; no grant in force covers it"
	reasonWritten     = "needs the subject's written consent; no written grant in force covers it"
)

// Decide decides req against the subject's grants (others in grants are
// ignored). It checks, in this order, and the first rule that refuses
// decides:
//   - the discloser is the service's own staff, not the administrator
//     (R12), and the purpose is one of the policy's (R5);
//   - on a named statute: the policy has it and it names the recipient's
//     kind, every category and, if it names purposes, the request's
//     purpose (N10, N5);
//   - the absence reason never leaves (O9); the BSN never on consent
//     (N5); an insurer never gets more than N3's list; medical data only
//     from a physician (O6);
//   - a disclosure rule of the policy for the recipient's kind and each
//     category: a rule that needs no consent (N2, O11) within its fields,
//     else one that needs consent with a grant in force for the recipient,
//     purpose, case and category, in the written form where the rule or
//     medical data (O6) asks for it (R6, O14, O10);
//   - nothing else: [privacy.RuleDefaultDeny].
//
// Decide does not validate req (see [Request.Validate]); malformed input
// is denied. It allocates nothing unless a decision rests on more than
// four grants or more than eight items need one.
func (d *Decider) Decide(req *Request, grants []Grant) (out Decision) {
	if req == nil || req.At.IsZero() || req.Subject == "" || req.Recipient.Party == "" || req.Recipient.Kind == "" ||
		req.By.ID == "" || req.Purpose == "" || len(req.Items) == 0 {
		return d.deny(privacy.RuleDefaultDeny, "", reasonMalformed)
	}
	switch {
	case req.By.Role == privacy.RoleAdministrator:
		// Rule R12: the administrator manages accounts and sees no case
		// content.
		return d.deny(privacy.R12, "", reasonAdmin)
	case !req.By.Role.Staff():
		return d.deny(privacy.RuleDefaultDeny, "", reasonNotStaff)
	case !slices.Contains(d.purposes, req.Purpose):
		// Rule R5: a use for another purpose is refused.
		return d.deny(privacy.R5, "", reasonPurpose)
	}
	if req.Basis != "" {
		return d.statute(req)
	}
	// Written in place, field by field, for the same reason.
	out.Allowed, out.Policy = true, d.version
	strength := -1
	// The items that need a grant. Stored by index into a local array,
	// not appended, so that the stores need no write barriers.
	var buf [8]pending
	var extra []pending // beyond len(buf), rare
	n := 0
	kindIdx := req.Recipient.Kind.Index()
	for i := range req.Items {
		it := &req.Items[i]
		rules, cr := d.rulesFor(it.Category, kindIdx)
		if rule, why := floor(req, it, cr, false); rule != "" {
			return d.deny(rule, it.Category, why)
		}
		var none, anyForm, explicit, fields *rule
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
				none = r
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
		case none != nil:
			// Rules N2 and O11: allowed without consent, within their
			// fields; preferred over consent, which can be withdrawn.
			out.add(none, "", &strength)
		case anyForm != nil:
			if n < len(buf) {
				// Field by field: a composite literal here is built in a
				// temporary and copied, which stalls store forwarding.
				p := &buf[n]
				p.cat, p.anyForm, p.explicit, p.grant = it.Category, anyForm, explicit, -1
			} else {
				extra = append(extra, pending{cat: it.Category, anyForm: anyForm, explicit: explicit, grant: -1})
			}
			n++
		case fields != nil:
			return d.deny(fields.id, it.Category, reasonFields)
		default:
			return d.deny(noRuleRule(req, it), it.Category, reasonNoRule)
		}
	}
	if n == 0 {
		return out
	}
	need := buf[:min(n, len(buf))]
	if extra != nil {
		need = append(need, extra...)
	}
	// Rules R6, O14, O10, O6: one pass over the grants finds, for every
	// item that needs consent, the first grant in force that covers it.
	firstGrants(grants, req, need)
	for k := range need {
		p := &need[k]
		if p.grant < 0 {
			if p.explicit != nil {
				return d.deny(p.anyForm.id, p.cat, reasonConsent)
			}
			return d.deny(p.anyForm.id, p.cat, reasonWritten)
		}
		g := &grants[p.grant]
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
	return out
}

// firstGrants sets, for every pending item, the first grant in force at
// req.At that lets req's recipient have the item's category of req's
// subject for req's purpose and case, in a form the item's rules take.
// Kept apart from Decide so that the loop keeps its values in registers.
func firstGrants(grants []Grant, req *Request, need []pending) {
	open := len(need)
	kind, kindLen := req.Recipient.Kind.Index(), len(req.Recipient.Kind)
	party, purpose, cse, subject := req.Recipient.Party, req.Purpose, req.Case, req.Subject
	at := instantOf(req.At)
	for gi := range grants {
		g := &grants[gi]
		// Cheapest and most selective first. The kind: a different length
		// is a different kind; at the same length it is matched by its
		// index, as a switch on constants compares inline where comparing
		// two strings calls the runtime. An unknown kind matches nothing.
		if k := g.Recipient.Kind; k != "" && (len(k) != kindLen || k.Index() != kind) {
			continue
		}
		if (g.Recipient.Party != party && g.Recipient.Party != "") ||
			at.before(instantOf(g.From)) || (!g.Until.IsZero() && !at.before(instantOf(g.Until))) ||
			(!g.Revoked.IsZero() && !at.before(instantOf(g.Revoked))) ||
			g.Purpose != purpose || (g.Case != cse && g.Case != "") || g.Subject != subject {
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
		if open == 0 {
			return
		}
	}
}

// pending is an item that needs a grant: the first consent rule that
// covers it, which a written grant satisfies, and the first that takes
// explicit consent, if any.
type pending struct {
	cat      privacy.Category
	anyForm  *rule
	explicit *rule
	grant    int // the grant found; -1 while none
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
// allows exactly its recipients and categories (N10, N5).
func (d *Decider) statute(req *Request) Decision {
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
	for i := range req.Items {
		it := &req.Items[i]
		if rule, why := floor(req, it, d.cat(it.Category), true); rule != "" {
			return d.deny(rule, it.Category, why)
		}
		if !slices.Contains(b.categories, it.Category) {
			// Rule N10: and exactly its categories.
			return d.deny(b.rule, it.Category, reasonLawCategory)
		}
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

func (d *Decider) deny(rule privacy.RuleID, c privacy.Category, reason string) Decision {
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
func (d *Decider) Consents(q Query, grants []Grant) bool {
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
