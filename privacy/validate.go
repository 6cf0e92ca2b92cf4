package privacy

import (
	"fmt"
	"slices"
)

// policyChecker collects the first error of a policy validation, with the
// path of the bad value.
type policyChecker struct{ err error }

func (c *policyChecker) fail(rule RuleID, path, format string, args ...any) {
	if c.err == nil {
		c.err = &Error{Op: "validate policy", Kind: ErrInvalid, Rule: rule, Path: path, Msg: fmt.Sprintf(format, args...)}
	}
}

func (c *policyChecker) rule(path string, id RuleID) {
	if id == "" || !id.Known() {
		c.fail("", path, "unknown rule %q", truncate(string(id), 32))
	}
}

func (c *policyChecker) categories(path string, cs []Category, allowEmpty bool) {
	if len(cs) == 0 && !allowEmpty {
		c.fail("", path, "empty")
	}
	for i, cat := range cs {
		switch {
		case !cat.Known():
			c.fail("", fmt.Sprintf("%s[%d]", path, i), "unknown category %q", truncate(string(cat), 32))
		case cat.Special():
			c.fail(O5, fmt.Sprintf("%s[%d]", path, i), "category %q is never processed", cat)
		}
	}
}

func (c *policyChecker) fields(path string, fs []Field, cats []Category) {
	for i, f := range fs {
		if !slices.ContainsFunc(cats, func(cat Category) bool { return cat.HasField(f) }) {
			c.fail("", fmt.Sprintf("%s[%d]", path, i), "no category of the rule has field %q", truncate(string(f), 32))
		}
	}
}

func (c *policyChecker) caseKinds(path string, ks []CaseKind) {
	for i, k := range ks {
		if !k.Known() {
			c.fail("", fmt.Sprintf("%s[%d]", path, i), "unknown case kind %q", truncate(string(k), 32))
		}
	}
}

func (c *policyChecker) roles(path string, rs []Role, allowEmpty bool) {
	if len(rs) == 0 && !allowEmpty {
		c.fail("", path, "empty")
	}
	for i, r := range rs {
		if !r.Known() {
			c.fail("", fmt.Sprintf("%s[%d]", path, i), "unknown role %q", truncate(string(r), 32))
		}
	}
}

func (c *policyChecker) period(path string, p Period, needed bool) {
	if err := p.Validate(); err != nil {
		c.fail("", path, "units must be between 0 and 10000")
	}
	if needed && p.IsZero() {
		c.fail("", path, "empty period")
	}
}

// approxDays is an upper bound of a period's length in days, for comparing
// periods against the statutes' limits.
func approxDays(p Period) int { return p.Years*366 + p.Months*31 + p.Weeks*7 + p.Days }

// minDays is a lower bound of a period's length in days.
func minDays(p Period) int { return p.Years*365 + p.Months*28 + p.Weeks*7 + p.Days }

// Validate reports whether p is a usable policy: every name known, every
// rule cited, no rule contradicting another or a statutory floor. The floors
// are checked here so that no policy can be loaded that would, for
// instance, show medical data to an employer (O6), the absence reason to an
// outsider (O9), more than N3 to an insurer, or the BSN on consent (N5).
func (p *Policy) Validate() error {
	var c policyChecker
	if p.Name == "" || !ValidID(p.Name) {
		c.fail("", "name", "want an identifier")
	}
	if p.Version == "" || len(p.Version) > 64 {
		c.fail(O16, "version", "a policy needs a version")
	}
	if p.Effective.IsZero() {
		c.fail(O16, "effective", "a policy needs an effective date")
	}
	if p.Controller == "" {
		c.fail("", "controller", "missing")
	}
	if len(p.Purposes) == 0 {
		c.fail(R5, "purposes", "a policy needs at least one purpose")
	}
	for i, pr := range p.Purposes {
		path := fmt.Sprintf("purposes[%d]", i)
		if !ValidID(string(pr.Purpose)) {
			c.fail(R5, path+".purpose", "want an identifier")
		}
		c.rule(path+".rule", pr.Rule)
		if len(pr.CaseKinds) == 0 {
			c.fail(R5, path+".case_kinds", "empty")
		}
		c.caseKinds(path+".case_kinds", pr.CaseKinds)
	}
	for i := range p.Access {
		c.accessRule(fmt.Sprintf("access[%d]", i), &p.Access[i])
	}
	c.contradictions(p.Access)
	for i := range p.Disclosures {
		c.disclosureRule(fmt.Sprintf("disclosures[%d]", i), &p.Disclosures[i])
	}
	seen := map[LegalBasisID]bool{}
	for i, l := range p.LegalBases {
		path := fmt.Sprintf("legal_bases[%d]", i)
		if !ValidID(string(l.ID)) {
			c.fail("", path+".id", "want an identifier")
		} else if seen[l.ID] {
			c.fail("", path+".id", "duplicate legal basis %q", l.ID)
		}
		seen[l.ID] = true
		c.rule(path+".rule", l.Rule)
		if l.Citation == "" {
			c.fail(l.Rule, path+".citation", "a legal basis must cite its statute")
		}
		if len(l.Recipients) == 0 {
			c.fail("", path+".recipients", "empty")
		}
		for j, k := range l.Recipients {
			if !k.Known() {
				c.fail("", fmt.Sprintf("%s.recipients[%d]", path, j), "unknown party kind %q", truncate(string(k), 32))
			}
			if k == PartyInsurer && slices.ContainsFunc(l.Categories, func(cat Category) bool { return cat.Health() }) {
				c.fail(N3, fmt.Sprintf("%s.recipients[%d]", path, j), "an insurer never receives health data")
			}
		}
		c.categories(path+".categories", l.Categories, false)
		for j, pr := range l.Purposes {
			if !p.hasPurpose(pr) {
				c.fail(R5, fmt.Sprintf("%s.purposes[%d]", path, j), "not a purpose of the policy")
			}
		}
		if slices.Contains(l.Categories, CategoryAbsenceReason) {
			c.fail(O9, path+".categories", "the absence reason never leaves the service")
		}
	}
	for i, r := range p.Retention {
		path := fmt.Sprintf("retention[%d]", i)
		c.rule(path+".rule", r.Rule)
		c.categories(path+".categories", r.Categories, true)
		c.caseKinds(path+".case_kinds", r.CaseKinds)
		if !slices.Contains(Triggers(), r.Trigger) {
			c.fail("", path+".trigger", "unknown trigger %q", truncate(string(r.Trigger), 32))
		}
		c.period(path+".period", r.Period, true)
		if r.Statutory && r.Citation == "" {
			c.fail(N7, path+".citation", "a statutory period must cite its statute")
		}
	}
	c.rule("audit_retention.rule", p.AuditRetention.Rule)
	c.period("audit_retention.period", p.AuditRetention.Period, true)
	if minDays(p.AuditRetention.Period) < 5*365 {
		c.fail(N9, "audit_retention.period", "audit events are kept at least 5 years")
	}
	c.requests(&p.Requests)
	if p.MinGroupSize < 2 {
		c.fail(N12, "min_group_size", "a group of fewer than 2 identifies a person")
	}
	return c.err
}

func (p *Policy) hasPurpose(purpose Purpose) bool {
	return slices.ContainsFunc(p.Purposes, func(r PurposeRule) bool { return r.Purpose == purpose })
}

func (c *policyChecker) accessRule(path string, a *AccessRule) {
	c.rule(path+".rule", a.Rule)
	if a.Effect != Allow && a.Effect != Deny {
		c.fail("", path+".effect", "want allow or deny")
	}
	c.roles(path+".roles", a.Roles, false)
	if len(a.Actions) == 0 {
		c.fail("", path+".actions", "empty")
	}
	for i, act := range a.Actions {
		if !act.Known() {
			c.fail("", fmt.Sprintf("%s.actions[%d]", path, i), "unknown action %q", truncate(string(act), 32))
		}
	}
	c.categories(path+".categories", a.Categories, false)
	c.fields(path+".fields", a.Fields, a.Categories)
	c.caseKinds(path+".case_kinds", a.CaseKinds)
	for i, cond := range a.Requires {
		if !slices.Contains(Conditions(), cond) {
			c.fail("", fmt.Sprintf("%s.requires[%d]", path, i), "unknown condition %q", truncate(string(cond), 32))
		}
	}
	if a.Effect != Allow {
		return
	}
	// The statutory floors: no allow rule may cross them.
	for i, role := range a.Roles {
		rpath := fmt.Sprintf("%s.roles[%d]", path, i)
		for _, cat := range a.Categories {
			switch {
			case cat == CategoryMedical && role != RolePhysician && role != RoleSubject:
				c.fail(O6, rpath, "only a physician reads medical data")
			case cat == CategoryMedical && role == RolePhysician &&
				!(slices.Contains(a.Requires, CondAssigned) && slices.Contains(a.Requires, CondProfessionalSecrecy) && slices.Contains(a.Requires, CondMultiFactor)):
				c.fail(N6, path+".requires", "medical data needs assigned, professional-secrecy and multi-factor")
			case cat == CategoryAbsenceReason && !role.Staff() && role != RoleSubject:
				c.fail(O9, rpath, "the absence reason is for the service's own staff only")
			case cat.Health() && role.Staff() && !slices.Contains(a.Requires, CondSecrecy) && !slices.Contains(a.Requires, CondProfessionalSecrecy):
				c.fail(N4, path+".requires", "health data needs a secrecy condition")
			case cat == CategoryNationalID && (role == RoleInsurer || role == RoleEmployerContact):
				c.fail(N5, rpath, "the BSN is not for outside parties")
			}
		}
		if role == RoleAdministrator {
			c.fail(R12, rpath, "the administrator sees no case content")
		}
		if role == RolePrivacyOfficer && a.Effect == Allow {
			c.fail(R8, rpath, "the privacy officer sees no case content")
		}
		if role == RoleSupportStaff && slices.ContainsFunc(a.Categories, func(cat Category) bool {
			return cat != CategoryIdentity && cat != CategoryContact && cat != CategoryAppointment
		}) {
			c.fail(R8, rpath, "need-to-know staff see identity, contact and appointments only")
		}
		if role == RoleInsurer {
			c.limitFields(rpath, N3, a, InsurerMaximum())
			if slices.ContainsFunc(a.Actions, func(act Action) bool { return act != ActionRead }) {
				c.fail(N3, path+".actions", "an insurer only reads")
			}
		}
		if role == RoleEmployerContact && !slices.Contains(a.Requires, CondConsent) &&
			(slices.Contains(a.Categories, CategoryConsultation) || len(a.CaseKinds) == 0 ||
				slices.ContainsFunc(a.CaseKinds, CaseKind.Confidential)) {
			// Rule O10: without the subject's approval the employer does not
			// even learn that a consultation-hour visit or periodic
			// examination exists.
			c.fail(O10, rpath, "an employer rule reaching consultation-hour visits or periodic examinations must require consent")
		}
		if role == RoleEmployerContact && slices.Contains(a.Actions, ActionWrite) {
			for _, cat := range a.Categories {
				if cat != CategoryAbsenceFacts && cat != CategoryIdentity && cat != CategoryContact && cat != CategoryEmployment && cat != CategoryNotes {
					c.fail(N1, path+".categories", "an employer writes master data, notes and the sick report's facts only")
				}
			}
			if slices.Contains(a.Categories, CategoryAbsenceFacts) {
				c.limitFields(rpath, N1, a, map[Category][]Field{CategoryAbsenceFacts: SickReportFields(),
					CategoryIdentity:   categoryTable[categoryIndex[CategoryIdentity]].Fields,
					CategoryContact:    categoryTable[categoryIndex[CategoryContact]].Fields,
					CategoryEmployment: categoryTable[categoryIndex[CategoryEmployment]].Fields,
					CategoryNotes:      {FieldText}})
			}
		}
	}
}

// limitFields fails unless every category and field an allow rule grants
// is within max.
func (c *policyChecker) limitFields(path string, rule RuleID, a *AccessRule, max map[Category][]Field) {
	for _, cat := range a.Categories {
		allowed, ok := max[cat]
		if !ok {
			c.fail(rule, path, "category %q is beyond what the rule allows", cat)
			return
		}
		fields := a.Fields
		if len(fields) == 0 {
			info, _ := cat.Info()
			fields = info.Fields
		}
		for _, f := range fields {
			if cat.HasField(f) && !slices.Contains(allowed, f) {
				c.fail(rule, path+".fields", "field %q of %q is beyond what the rule allows", f, cat)
				return
			}
		}
	}
}

// contradictions fails when an allow rule and a deny rule cover the same
// role, action, category and case kinds under the same conditions: one of
// them can never apply, and the author meant something else.
func (c *policyChecker) contradictions(rules []AccessRule) {
	for i, a := range rules {
		for j := i + 1; j < len(rules); j++ {
			b := rules[j]
			if a.Effect == b.Effect || !slices.Equal(a.Requires, b.Requires) || !slices.Equal(a.CaseKinds, b.CaseKinds) {
				continue
			}
			if overlaps(a.Roles, b.Roles) && overlaps(a.Actions, b.Actions) && overlaps(a.Categories, b.Categories) {
				c.fail(b.Rule, fmt.Sprintf("access[%d]", j), "contradicts access[%d]: one allows what the other denies under the same conditions", i)
				return
			}
		}
	}
}

func overlaps[T comparable](a, b []T) bool {
	for _, x := range a {
		if slices.Contains(b, x) {
			return true
		}
	}
	return false
}

func (c *policyChecker) disclosureRule(path string, d *DisclosureRule) {
	c.rule(path+".rule", d.Rule)
	if !d.Recipient.Known() {
		c.fail("", path+".recipient", "unknown party kind %q", truncate(string(d.Recipient), 32))
	}
	c.roles(path+".from", d.From, true)
	c.categories(path+".categories", d.Categories, false)
	c.fields(path+".fields", d.Fields, d.Categories)
	switch d.Basis {
	case BasisConsent, BasisWrittenConsent, BasisNone:
	case BasisStatute:
		c.fail("", path+".basis", "statutory disclosures are legal_bases, not disclosure rules")
	default:
		c.fail("", path+".basis", "unknown basis %q", truncate(string(d.Basis), 32))
	}
	for _, cat := range d.Categories {
		switch {
		case cat == CategoryAbsenceReason:
			c.fail(O9, path+".categories", "the absence reason never leaves the service")
		case cat == CategoryNationalID:
			c.fail(N5, path+".categories", "the BSN leaves only on a statute, never on consent")
		case cat == CategoryMedical && d.Basis != BasisWrittenConsent:
			c.fail(O6, path+".basis", "medical data leaves only on written consent or a statute")
		}
	}
	if d.Recipient == PartyInsurer {
		a := AccessRule{Categories: d.Categories, Fields: d.Fields}
		c.limitFields(path, N3, &a, InsurerMaximum())
	}
	if d.Basis == BasisNone && d.Recipient == PartyEmployer {
		a := AccessRule{Categories: d.Categories, Fields: d.Fields}
		c.limitFields(path, N2, &a, map[Category][]Field{CategoryWorkCapacity: PhysicianToEmployerFields()})
	}
}

func (c *policyChecker) requests(r *RequestRules) {
	if len(r.Answer) == 0 {
		c.fail(G2, "requests.answer", "a policy needs an answer deadline")
	}
	for i, d := range r.Answer {
		path := fmt.Sprintf("requests.answer[%d]", i)
		c.rule(path+".rule", d.Rule)
		c.period(path+".period", d.Period, true)
		// G2: one month at most, unless extended with notice.
		if d.Period.Years > 0 || d.Period.Months > 1 || (d.Period.Months == 1 && d.Period.Weeks+d.Period.Days > 0) ||
			(d.Period.Months == 0 && d.Period.Weeks*7+d.Period.Days > 28) {
			c.fail(G2, path+".period", "an answer is due within one month")
		}
	}
	if e := r.Extension; e != nil {
		c.rule("requests.extension.rule", e.Rule)
		c.period("requests.extension.period", e.Period, true)
		if approxDays(e.Period) > 2*31 {
			c.fail(G2, "requests.extension.period", "an extension is two months at most")
		}
	}
	if e := r.MedicalErasure; e != nil {
		c.rule("requests.medical_erasure.rule", e.Rule)
		c.period("requests.medical_erasure.period", e.Period, true)
		if approxDays(e.Period) > 3*31 {
			c.fail(N8, "requests.medical_erasure.period", "a medical file goes within 3 months")
		}
	}
	for i, id := range r.WrittenBy {
		c.rule(fmt.Sprintf("requests.written_by[%d]", i), id)
	}
	if r.FreeCopies < 1 {
		c.fail(N11, "requests.free_copies", "the first copy is free")
	}
}
