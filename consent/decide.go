package consent

import (
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
	// Grants are the grants an allowed disclosure relies on, each once.
	Grants []GrantID
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
	rules    map[ruleKey][]rule
	bases    map[privacy.LegalBasisID]*basis
	fields   map[privacy.Category][]privacy.Field // every field of each category
	insurer  map[privacy.Category][]privacy.Field // rule N3's maximum
}

type ruleKey struct {
	kind privacy.PartyKind
	cat  privacy.Category
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
	reason     string
}

// NewDecider returns a Decider for policy. The policy is validated and
// copied: later changes to it have no effect.
func NewDecider(policy *privacy.Policy) (*Decider, error) {
	if policy == nil {
		return nil, &privacy.Error{Op: "new decider", Kind: privacy.ErrInvalid, Msg: "nil policy"}
	}
	if err := policy.Validate(); err != nil {
		return nil, err
	}
	p := policy.Clone()
	d := &Decider{
		version: p.Version,
		rules:   map[ruleKey][]rule{},
		bases:   map[privacy.LegalBasisID]*basis{},
		fields:  map[privacy.Category][]privacy.Field{},
		insurer: privacy.InsurerMaximum(),
	}
	for _, pr := range p.Purposes {
		if !slices.Contains(d.purposes, pr.Purpose) {
			d.purposes = append(d.purposes, pr.Purpose)
		}
	}
	for _, c := range privacy.Categories() {
		info, _ := c.Info()
		d.fields[c] = info.Fields
	}
	for _, dr := range p.Disclosures {
		for _, c := range dr.Categories {
			k := ruleKey{dr.Recipient, c}
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
			d.rules[k] = append(d.rules[k], r)
		}
	}
	for _, l := range p.LegalBases {
		d.bases[l.ID] = &basis{id: l.ID, rule: l.Rule, recipients: l.Recipients, categories: l.Categories, reason: l.Reason}
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
//     kind and every category (N10, N5);
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
// is denied. It allocates only for the list of grants it relies on.
func (d *Decider) Decide(req Request, grants []Grant) Decision {
	if req.At.IsZero() || req.Subject == "" || req.Recipient.Party == "" || req.Recipient.Kind == "" ||
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
		return d.statute(&req)
	}
	out := Decision{Allowed: true, Policy: d.version}
	strength := -1
	for i := range req.Items {
		it := &req.Items[i]
		if no, refused := d.floor(&req, it, false); refused {
			return no
		}
		var (
			by      *rule // the rule that allows it
			grant   = -1
			refusal *rule // the rule that refuses it, if none allows
			why     string
		)
		rules := d.rules[ruleKey{req.Recipient.Kind, it.Category}]
		for j := range rules {
			r := &rules[j]
			if len(r.from) > 0 && !slices.Contains(r.from, req.By.Role) {
				continue
			}
			if !d.within(it, r.fields) {
				if refusal == nil {
					refusal, why = r, reasonFields
				}
				continue
			}
			if r.basis == privacy.BasisNone {
				// Rules N2 and O11: allowed without consent, within their
				// fields. Preferred over consent, which can be withdrawn.
				by, grant = r, -1
				break
			}
			if by != nil {
				continue // a consent rule allows it already; look on only for one that needs none
			}
			// Rule O6: medical data leaves on written consent only,
			// whatever the rule says.
			written := r.basis == privacy.BasisWrittenConsent || it.Category == privacy.CategoryMedical
			if g := findGrant(grants, &req, it.Category, written); g >= 0 {
				// Rules R6, O14, O10: a grant in force covers it.
				by, grant = r, g
				continue
			}
			if refusal == nil || why == reasonFields {
				refusal, why = r, reasonConsent
				if written {
					why = reasonWritten
				}
			}
		}
		if by == nil {
			if refusal != nil {
				return d.deny(refusal.id, it.Category, why)
			}
			return d.deny(noRuleRule(&req, it), it.Category, reasonNoRule)
		}
		if s := strengthOf(by.basis); s > strength {
			strength = s
			out.Rule, out.Basis, out.Reason = by.id, by.basis, by.reason
		}
		out.NotifySubject = out.NotifySubject || by.notify
		if grant >= 0 && !slices.Contains(out.Grants, grants[grant].ID) {
			out.Grants = append(out.Grants, grants[grant].ID)
		}
	}
	return out
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
	for i := range req.Items {
		it := &req.Items[i]
		if no, refused := d.floor(req, it, true); refused {
			return no
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
// set aside.
func (d *Decider) floor(req *Request, it *Item, statute bool) (Decision, bool) {
	switch {
	case it.Category == privacy.CategoryAbsenceReason:
		// Rule O9: the reason for the sick report is for internal use
		// only.
		return d.deny(privacy.O9, it.Category, reasonReason), true
	case it.Category == privacy.CategoryNationalID && !statute:
		// Rule N5: the BSN only where a statute allows it; consent cannot
		// make other use lawful.
		return d.deny(privacy.N5, it.Category, reasonBSN), true
	case req.Recipient.Kind == privacy.PartyInsurer && !d.insurerMay(it):
		// Rule N3: the most an absence insurer may receive, whatever the
		// policy says, consent or not.
		return d.deny(privacy.N3, it.Category, reasonInsurer), true
	case it.Category == privacy.CategoryMedical && req.By.Role != privacy.RolePhysician:
		// Rule O6: medical data is processed by physicians only.
		return d.deny(privacy.O6, it.Category, reasonMedicalBy), true
	}
	return Decision{}, false
}

// insurerMay reports whether the item is within rule N3's list.
func (d *Decider) insurerMay(it *Item) bool {
	max, ok := d.insurer[it.Category]
	return ok && d.within(it, max)
}

// within reports whether the item asks for no field beyond allowed; nil
// allowed means every field.
func (d *Decider) within(it *Item, allowed []privacy.Field) bool {
	if allowed == nil {
		return true
	}
	fs := it.Fields
	if len(fs) == 0 {
		fs = d.fields[it.Category]
	}
	for _, f := range fs {
		if !slices.Contains(allowed, f) {
			return false
		}
	}
	return true
}

// findGrant returns the index of the first grant in force at req.At that
// lets req's recipient have category c of req's subject for req's purpose
// and case, written if asked; -1 if none does.
func findGrant(grants []Grant, req *Request, c privacy.Category, written bool) int {
	for i := range grants {
		g := &grants[i]
		if (g.Recipient.Kind != "" && g.Recipient.Kind != req.Recipient.Kind) ||
			(g.Recipient.Party != "" && g.Recipient.Party != req.Recipient.Party) ||
			g.Purpose != req.Purpose || (g.Case != "" && g.Case != req.Case) ||
			(written && !g.Written()) || !g.InForce(req.At) || !g.Covers(c) || g.Subject != req.Subject {
			continue
		}
		return i
	}
	return -1
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
	for _, r := range d.rules[ruleKey{q.Recipient.Kind, q.Category}] {
		if r.basis != privacy.BasisConsent && r.basis != privacy.BasisWrittenConsent {
			continue
		}
		written := r.basis == privacy.BasisWrittenConsent || q.Category == privacy.CategoryMedical
		for i := range grants {
			g := &grants[i]
			if g.Subject == q.Subject && g.Recipient.covers(q.Recipient) && (g.Case == "" || g.Case == q.Case) &&
				(q.Purpose == "" || g.Purpose == q.Purpose) && (!written || g.Written()) &&
				g.InForce(q.At) && g.Covers(q.Category) {
				return true
			}
		}
	}
	return false
}
