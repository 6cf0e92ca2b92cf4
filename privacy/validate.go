package privacy

import (
	"fmt"
	"slices"
)

// policyChecker collects the first error of a policy validation, with the
// path of the bad value.
type policyChecker struct {
	err error
	// The rules the floors cite where both regulations have one (see
	// [Policy.citing]): the assignment (R7 or O4), the subject's own data
	// (R11 or O13), the gate to third parties (R6 or O14), statutory
	// retention (R9 or N7).
	assign, own, gate, statutory RuleID
	// regulationO: the policy implements regulation O, whose insurer sees
	// only the overview (O11) and whose consent to a transfer is written
	// (O14).
	regulationO bool
}

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
// Each failure is an [*Error] matching [ErrInvalid] that names the floor's
// rule and the path of the bad value.
//
// # Floors
//
// Access rules that allow something:
//   - a subject rule requires own-data: the subject reads only their own
//     data (R11, O13);
//   - an employer-contact rule requires commissioner: an employer sees only
//     the cases it commissioned (O2);
//   - an insurer rule requires covers: an insurer sees only the employers
//     it covers (O11);
//   - a case-manager or physician rule requires assigned: content only for
//     staff assigned to the case (R7, O4);
//   - an employer-contact rule reads no health data: not the subject's
//     statements (N4), the absence reason (O9) or the medical file (O6);
//     consultation facts only with consent (O10);
//   - and the floors of O6, G8, N6, N4, N5, R8, R12, N1, N3 and O10 on
//     roles, categories, fields and conditions.
//
// Disclosure rules:
//   - without consent (basis none) only the physician's advice to the
//     employer, N2's items (N2), and the insurer's overview (O11); anything
//     else needs consent (R6, O14);
//   - no health data to an employer, consent or not, except the fact of a
//     consultation or examination with written consent (N4, O10);
//   - the floors of O9, N5, O6 and N3.
//
// Legal bases: the statutes the library knows ([StatutoryBases]) are the
// ceiling. A policy's legal basis must fit within one of them under the
// same rule: its recipients and its categories among that statute's (N5,
// N10). The citation is the policy's own, so that a policy may name the
// more precise provision it relies on (Wet WIA art. 25 for the
// reintegration report to UWV, within SUWI art. 54(3)(c)); but what goes
// to whom never exceeds a known statute, so no custom statute, cited or
// invented, unlocks medical data for an employer or the BSN for a third
// party. The legal bases' rule is N5 or N10.
//
// Retention: the statutory minimums the library knows (the fiscal 7 years
// of General Tax Act art. 52(4), R9 and N7; the 5 years of the Sickness
// Benefits Act for self-insurers and the 40 years of Working Conditions
// Decree 4.10c for exposure examinations, N7) are floors in two ways:
//   - a retention rule that cites one of these statutes (the same citation,
//     or one that starts with it) is statutory, runs from the same trigger
//     (from the end of its year when the statute's period does: the fiscal
//     7 years) and is at least as long;
//   - the fiscal minimum applies to every policy: for every case kind the
//     policy's purposes open (R5) and every category the statute covers
//     (employment and benefits), some statutory rule with the statute's
//     trigger covers that category in that kind and is at least 7 years.
//     Categories are not matched against access rules: any category can be
//     recorded in any case, so every kind counts.
//
// Retention has a ceiling (rules R9, O12, N7: nothing is kept for ever):
// a retention or data rule that is not statutory keeps at most 20 years,
// the longest period the catalog knows without a statute (the medical file
// in professional practice, N7); a statutory one at most 40 years, the
// longest statutory minimum the library knows (exposure examinations, N7).
// A longer period fails naming R9 (O12 for regulation O alone), or R9 or
// N7 for a statutory rule, at the rule's period.
//
// Retention has no gaps (rules R9, O12, N7, N9): every category of every
// kind of case is covered by a retention rule, every other kind of stored
// personal data ([DataKinds]) by exactly one rule of Data with its
// citation, and audit events by AuditRetention with its citation. A
// policy that leaves any of them without a rule fails naming R9 (O12 for
// regulation O alone) and the path "retention" or "data".
//
// A period is at least as long as another when it is so from every start
// date: its months (years counted as 12) and its days (weeks as 7) are
// both at least the other's, or its shortest length in days is at least
// the other's longest.
//
// Requests: every answer period is one month at most (G2, O13); a policy
// that implements regulation R ([Policy.Regulations] holds "R") answers
// within 4 weeks and allows no extension: R11's four weeks are
// unconditional and the stricter rule wins over G2's extension (R11).
func (p *Policy) Validate() error {
	if p == nil {
		return &Error{Op: "validate policy", Kind: ErrInvalid, Msg: "no policy"}
	}
	c := policyChecker{assign: p.citing(R7, O4), own: p.citing(R11, O13), gate: p.citing(R6, O14), statutory: N7}
	if slices.Contains(p.Regulations, "R") {
		c.statutory = R9
	}
	c.regulationO = slices.Contains(p.Regulations, "O")
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
	if len(p.Regulations) == 0 {
		c.fail("", "regulations", "a policy implements regulation R, O or both")
	}
	for i, r := range p.Regulations {
		if r != "R" && r != "O" {
			c.fail("", fmt.Sprintf("regulations[%d]", i), "unknown regulation %q: want R or O", truncate(r, 32))
		}
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
		c.legalBasisCeiling(path, &l)
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
		c.retentionCeiling(path+".period", p, r.Period, r.Statutory)
	}
	c.retentionFloors(p)
	c.retentionGaps(p)
	c.rule("audit_retention.rule", p.AuditRetention.Rule)
	c.period("audit_retention.period", p.AuditRetention.Period, true)
	if minDays(p.AuditRetention.Period) < 5*365 {
		c.fail(N9, "audit_retention.period", "audit events are kept at least 5 years")
	}
	c.requests(&p.Requests, slices.Contains(p.Regulations, "R"))
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
			case cat.Health() && cat != CategoryConsultation && role == RoleEmployerContact:
				// Rule N4: health data only for people bound to secrecy;
				// an employer is not (the subject's statements included).
				c.fail(N4, rpath, "health data is not for the employer")
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
			if len(a.CaseKinds) == 0 || slices.ContainsFunc(a.CaseKinds, func(k CaseKind) bool {
				return k != CaseAbsence && k != CaseReintegration
			}) {
				// Rules O11, O10: the insurer's overview is of sick
				// employees; it never reaches a consultation-hour visit, a
				// periodic examination or a preventive case.
				c.fail(O11, path+".case_kinds", "an insurer rule is for absence and reintegration cases only")
			}
			if c.regulationO {
				// Rule O11: under regulation O the insurer sees the
				// overview, narrower than N3's maximum.
				c.limitFields(rpath, O11, a, InsurerOverview())
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
		// The conditions that say who the principal is to the case: no
		// allow rule may drop them.
		need, rule, msg := roleCondition(role)
		switch {
		case rule == assignFloor && (a.Rule == R7 || a.Rule == O4):
			rule = a.Rule
		case rule == assignFloor:
			rule = c.assign
		case rule == ownFloor && (a.Rule == R11 || a.Rule == O13):
			rule = a.Rule
		case rule == ownFloor:
			rule = c.own
		}
		if need != "" && !slices.Contains(a.Requires, need) {
			c.fail(rule, path+".requires", "%s", msg)
		}
	}
}

// Placeholders for the rules that depend on the regulations a policy
// implements.
const (
	assignFloor RuleID = "assign"
	ownFloor    RuleID = "own"
)

// roleCondition returns the condition every allow rule for role must
// require, the rule behind it and the message of its absence.
func roleCondition(role Role) (Condition, RuleID, string) {
	switch role {
	case RoleSubject:
		// Rules R11, O13: the subject inspects their own data, no one
		// else's.
		return CondOwnData, ownFloor, "a subject rule must require own-data: the subject reads only their own data"
	case RoleEmployerContact:
		// Rule O2: an employer works only with the cases it commissioned.
		return CondCommissioner, O2, "an employer rule must require commissioner: an employer sees only its own cases"
	case RoleInsurer:
		// Rule O11: an insurer sees only the employers it covers.
		return CondCovers, O11, "an insurer rule must require covers: an insurer sees only the employers it covers"
	case RoleCaseManager, RolePhysician:
		// Rules R7, O4: content needs an assignment, not just a role.
		return CondAssigned, assignFloor, "a case-manager or physician rule must require assigned: content only for staff assigned to the case"
	}
	return "", "", ""
}

// citing returns the rule a floor cites where both regulations have one
// (r of regulation R, o of regulation O): the first the policy's own
// access or disclosure rules cite, else r if the policy implements
// regulation R, else o. The access engine reports the same rule for the
// same floor.
func (p *Policy) citing(r, o RuleID) RuleID {
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
	if d.Basis == BasisConsent && c.regulationO {
		// Rule O14: under regulation O a transfer rests on the employee's
		// written consent; an explicit but unsigned one does not do.
		c.fail(O14, path+".basis", "regulation O asks for written consent")
	}
	if d.Recipient == PartyInsurer {
		a := AccessRule{Categories: d.Categories, Fields: d.Fields}
		c.limitFields(path, N3, &a, InsurerMaximum())
	}
	if d.Basis == BasisNone && d.Recipient == PartyEmployer {
		a := AccessRule{Categories: d.Categories, Fields: d.Fields}
		c.limitFields(path, N2, &a, map[Category][]Field{CategoryWorkCapacity: PhysicianToEmployerFields()})
		if len(d.From) == 0 || slices.ContainsFunc(d.From, func(r Role) bool { return r != RolePhysician }) {
			// Rule N2: it is the company doctor who tells the employer.
			c.fail(N2, path+".from", "only the physician tells the employer without consent")
		}
	}
	if d.Basis == BasisNone && d.Recipient == PartyInsurer {
		// Rule O11: without consent an insurer gets the overview of sick
		// employees, the degree of incapacity and the absence period.
		a := AccessRule{Categories: d.Categories, Fields: d.Fields}
		c.limitFields(path, O11, &a, InsurerOverview())
	}
	if d.Basis == BasisNone && d.Recipient != PartyEmployer && d.Recipient != PartyInsurer {
		// Rules R6, O14: nothing leaves without consent or a statute but
		// the physician's advice (N2) and the insurer's overview (O11).
		c.fail(c.gate, path+".basis", "without consent only the physician's advice goes to the employer and the overview to the insurer")
	}
	if d.Recipient == PartyEmployer {
		for _, cat := range d.Categories {
			if cat.Health() && cat != CategoryConsultation {
				// Rule N4: the employer is not bound to secrecy and never
				// receives health data, consent or not (the AP's policy
				// rules: the employee's consent is not free towards the
				// employer).
				c.fail(N4, path+".categories", "health data never goes to the employer")
			}
		}
	}
}

// StatutoryBases returns the statutes the library knows that allow a
// disclosure or use without consent (rules N5 and N10): UWV under the SUWI
// Act art. 54(3)(c) and 73(4), a reintegration company under Civil Code
// 7:658a(5), the plan of action under the Regeling procesgang art. 4(3),
// and the BSN under the Working Conditions Act art. 14. They are the
// ceiling of every policy's [Policy.LegalBases]: a policy may name them or
// narrow them, never widen them or add another (see [Policy.Validate]).
// The ready policies carry them all. Each call returns a new value.
func StatutoryBases() []LegalBasis { return statutoryBases() }

// legalBasisCeiling fails unless l fits within a statute the library
// knows under the same rule (see [Policy.Validate]).
func (c *policyChecker) legalBasisCeiling(path string, l *LegalBasis) {
	for _, s := range statutoryBases() {
		// A statute that names its purposes (N5, N10) is narrowed, never
		// widened: a basis of it names some of them.
		purposes := len(s.Purposes) == 0 || (len(l.Purposes) > 0 && subset(l.Purposes, s.Purposes))
		if s.Rule == l.Rule && subset(l.Recipients, s.Recipients) && subset(l.Categories, s.Categories) && purposes {
			return
		}
	}
	rule := l.Rule
	if rule != N5 && rule != N10 {
		rule = N10
		if slices.Contains(l.Categories, CategoryNationalID) {
			rule = N5
		}
	}
	// Rules N5, N10: no statute, named or invented, unlocks more than the
	// statutes the library knows.
	c.fail(rule, path, "beyond every statute the library knows under rule %s: their recipients and categories are the ceiling (see privacy.StatutoryBases)", l.Rule)
}

// sameCitation reports whether citation names statute: the same text, or
// a more precise reference that starts with it.
func sameCitation(citation, statute string) bool {
	if len(citation) < len(statute) || citation[:len(statute)] != statute {
		return false
	}
	if len(citation) == len(statute) {
		return true
	}
	switch citation[len(statute)] {
	case ' ', ',', ';', '(':
		return true
	}
	return false
}

func subset[T comparable](a, b []T) bool {
	for _, x := range a {
		if !slices.Contains(b, x) {
			return false
		}
	}
	return true
}

// statutoryMinimum is a retention period a statute imposes; mandatory ones
// hold for every policy.
type statutoryMinimum struct {
	rule      RetentionRule
	mandatory bool
}

func statutoryMinimums() []statutoryMinimum {
	return []statutoryMinimum{
		{fiscalRetention()[0], true},
		{SelfInsurerRetention(), false},
		{ExposureExamRetention(), false},
	}
}

// atLeast reports whether period a is at least as long as b from every
// start date.
func atLeast(a, b Period) bool {
	am, ad := a.Years*12+a.Months, a.Weeks*7+a.Days
	bm, bd := b.Years*12+b.Months, b.Weeks*7+b.Days
	return (am >= bm && ad >= bd) || minDays(a) >= approxDays(b)
}

// covers reports whether retention rule r selects records of category cat
// in cases of kind k.
func (r *RetentionRule) covers(cat Category, k CaseKind) bool {
	return (len(r.Categories) == 0 || slices.Contains(r.Categories, cat)) &&
		(len(r.CaseKinds) == 0 || slices.Contains(r.CaseKinds, k))
}

// The ceilings of retention (rules R9, O12, N7: not kept longer than
// needed). A policy keeps nothing for ever: a rule that does not rest on a
// statute keeps at most as long as the longest period the catalog knows
// without one — the company doctor's medical file, 20 years after the
// employment ends in professional practice (N7, BW 7:454(3)); regulation
// R's and the regulator's 2 years are the ordinary length, and a policy may
// keep somewhat longer than them (a longer contract, O12) but never beyond
// the medical file. A statutory rule keeps at most as long as the longest
// statutory minimum the library knows — the 40 years of exposure
// examinations (N7, Arbeidsomstandighedenbesluit art. 4.10c): as with legal
// bases, the statutes the library knows are the ceiling, so that marking a
// rule statutory and citing some text does not keep data for ever.
var (
	nonStatutoryCeiling = Years(20)
	statutoryCeiling    = Years(40)
)

// retentionCeiling fails when period can be longer than the ceiling of a
// statutory or non-statutory rule (see [nonStatutoryCeiling]), citing the
// floor of statutory retention (R9 or N7) for a statutory rule and the
// regulation's own rule (R9 or O12) for another.
func (c *policyChecker) retentionCeiling(path string, p *Policy, period Period, statutory bool) {
	switch {
	case statutory && !atLeast(statutoryCeiling, period):
		c.fail(c.statutory, path, "longer than the longest statutory period the library knows (%s, Arbeidsomstandighedenbesluit art. 4.10c)", statutoryCeiling)
	case !statutory && !atLeast(nonStatutoryCeiling, period):
		c.fail(p.citing(R9, O12), path, "longer than anything is kept without a statute (%s, the medical file in professional practice, N7); "+
			"a longer period rests on a statute and is statutory", nonStatutoryCeiling)
	}
}

// retentionFloors holds the statutory minimums (rules N7, R9, O12): see
// [Policy.Validate].
func (c *policyChecker) retentionFloors(p *Policy) {
	mins := statutoryMinimums()
	for i := range p.Retention {
		r := &p.Retention[i]
		path := fmt.Sprintf("retention[%d]", i)
		for _, m := range mins {
			s := &m.rule
			if !sameCitation(r.Citation, s.Citation) {
				continue
			}
			rule := s.Rule
			if m.mandatory {
				rule = c.statutory
			}
			switch {
			case !r.Statutory:
				c.fail(rule, path+".statutory", "a period the statute imposes is statutory")
			case r.Trigger != s.Trigger:
				c.fail(rule, path+".trigger", "the statute's period runs from %s", s.Trigger)
			case s.FromYearEnd && !r.FromYearEnd:
				// Rules R9, N7: the fiscal seven years run from the end of
				// the year (AWR art. 52(4) in practice).
				c.fail(rule, path+".from_year_end", "the statute's period runs from the end of the year of %s", s.Trigger)
			case !atLeast(r.Period, s.Period):
				c.fail(rule, path+".period", "shorter than the statute's %s", s.Period)
			}
		}
	}
	var kinds []CaseKind
	for _, pr := range p.Purposes {
		for _, k := range pr.CaseKinds {
			if !slices.Contains(kinds, k) {
				kinds = append(kinds, k)
			}
		}
	}
	for _, m := range mins {
		if !m.mandatory {
			continue
		}
		s := &m.rule
		for _, k := range kinds {
			if len(s.CaseKinds) > 0 && !slices.Contains(s.CaseKinds, k) {
				continue
			}
			for _, cat := range s.Categories {
				if !slices.ContainsFunc(p.Retention, func(r RetentionRule) bool {
					return r.Statutory && r.Trigger == s.Trigger && (r.FromYearEnd || !s.FromYearEnd) &&
						r.covers(cat, k) && atLeast(r.Period, s.Period)
				}) {
					// Rules R9, N7: statutory minimums are never dropped or
					// shortened.
					c.fail(c.statutory, "retention", "%s in %s cases needs a statutory rule of at least %s from %s (%s)",
						cat, k, s.Period, s.Trigger, s.Citation)
					return
				}
			}
		}
	}
}

func (c *policyChecker) requests(r *RequestRules, regulationR bool) {
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
	if regulationR && !slices.ContainsFunc(r.Answer, func(d Deadline) bool {
		return d.Period.Years == 0 && d.Period.Months == 0 && d.Period.Weeks*7+d.Period.Days <= 28
	}) {
		// Rule R11: regulation R answers within 4 weeks.
		c.fail(R11, "requests.answer", "regulation R answers within 4 weeks")
	}
	if regulationR && r.Extension != nil {
		// Rule R11: regulation R's four weeks are unconditional; G2 allows
		// an extension, regulation R does not, and the stricter rule wins.
		c.fail(R11, "requests.extension", "regulation R's four weeks are not extended")
	}
	if r.MedicalErasure == nil {
		// Rule N8 (Civil Code 7:455): a granted request to destroy a
		// medical file is carried out within its period; without one the
		// erasure could never be planned, and the request never granted.
		c.fail(N8, "requests.medical_erasure", "a policy needs the period a medical file is destroyed within (at most 3 months)")
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
