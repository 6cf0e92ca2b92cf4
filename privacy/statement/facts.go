package statement

import (
	"slices"

	"github.com/dossierwacht/dossierwacht/privacy"
)

// facts are what the documents derive from a policy beyond its rules as
// written: which categories it processes at all, which roles appear,
// which conditions it uses.
type facts struct {
	p *privacy.Policy
	// processed lists, in taxonomy order, the categories some allow rule
	// lets someone read or write: what can be in a case at all.
	processed []privacy.Category
	// roles lists, in [privacy.Roles] order, the roles some access rule
	// names.
	roles []privacy.Role
	conds map[privacy.Condition]bool
	// contractEverywhere: every allow rule for anyone but the subject
	// requires the contract to be in force (O2), so the documents say so
	// once instead of on every line.
	contractEverywhere bool
}

func analyse(p *privacy.Policy) facts {
	f := facts{p: p, conds: map[privacy.Condition]bool{}}
	used := map[privacy.Category]bool{}
	roleSeen := map[privacy.Role]bool{}
	f.contractEverywhere = true
	others := 0
	for _, a := range p.Access {
		for _, r := range a.Roles {
			roleSeen[r] = true
		}
		if a.Effect != privacy.Allow {
			continue
		}
		for _, c := range a.Categories {
			used[c] = true
		}
		for _, c := range a.Requires {
			f.conds[c] = true
		}
		if !slices.Equal(a.Roles, []privacy.Role{privacy.RoleSubject}) {
			others++
			if !slices.Contains(a.Requires, privacy.CondContractInForce) {
				f.contractEverywhere = false
			}
		}
	}
	if others == 0 {
		f.contractEverywhere = false
	}
	for _, c := range privacy.Categories() {
		if used[c] {
			f.processed = append(f.processed, c)
		}
	}
	for _, r := range privacy.Roles() {
		if roleSeen[r] {
			f.roles = append(f.roles, r)
		}
	}
	return f
}

func (f *facts) processes(c privacy.Category) bool { return slices.Contains(f.processed, c) }

// shownConditions lists the conditions of a rule the documents write out: all of
// them, but the contract condition when it is said once for all.
func (f *facts) shownConditions(cs []privacy.Condition) []privacy.Condition {
	if !f.contractEverywhere || !slices.Contains(cs, privacy.CondContractInForce) {
		return cs
	}
	out := make([]privacy.Condition, 0, len(cs))
	for _, c := range cs {
		if c != privacy.CondContractInForce {
			out = append(out, c)
		}
	}
	return out
}

// allows reports whether some allow rule lets role take action on c.
func (f *facts) allows(role privacy.Role, action privacy.Action, c privacy.Category) bool {
	for _, a := range f.p.Access {
		if a.Effect == privacy.Allow && slices.Contains(a.Roles, role) && slices.Contains(a.Actions, action) && slices.Contains(a.Categories, c) {
			return true
		}
	}
	return false
}

// rulesOf returns the access rules that name role, allow rules first, each
// group in policy order.
func (f *facts) rulesOf(role privacy.Role) (allow, deny []privacy.AccessRule) {
	for _, a := range f.p.Access {
		if !slices.Contains(a.Roles, role) {
			continue
		}
		if a.Effect == privacy.Allow {
			allow = append(allow, a)
		} else {
			deny = append(deny, a)
		}
	}
	return allow, deny
}

// caseKindsProcessed reports whether any purpose covers a case of kind k.
func (f *facts) caseKindProcessed(k privacy.CaseKind) bool {
	for _, pr := range f.p.Purposes {
		if slices.Contains(pr.CaseKinds, k) {
			return true
		}
	}
	return false
}

// categoriesPhrase writes a set of categories: "alle gegevens in uw
// dossier" when it holds everything processed, "alle gegevens behalve …"
// when it lacks only a few, else the list.
func (f *facts) categoriesPhrase(l lang, cs []privacy.Category) string {
	if len(cs) == 0 {
		return l.t("alle gegevens", "all data")
	}
	var missing []privacy.Category
	for _, c := range f.processed {
		if !slices.Contains(cs, c) {
			missing = append(missing, c)
		}
	}
	extra := false
	for _, c := range cs {
		if !f.processes(c) {
			extra = true
		}
	}
	switch {
	case len(missing) == 0 && len(f.processed) > 1:
		return l.t("alle gegevens in uw dossier", "all data in your case")
	case !extra && len(missing) <= 3 && len(missing) < len(cs) && len(cs) > 4:
		return l.t("alle gegevens (behalve ", "all data (except ") + l.catList(missing) + ")"
	}
	return l.catList(cs)
}

// rulesOfCategories returns the rules that introduce cs, for citing.
func rulesOfCategories(cs []privacy.Category) []privacy.RuleID {
	var out []privacy.RuleID
	for _, c := range cs {
		if info, ok := c.Info(); ok {
			out = append(out, info.Rule)
		}
	}
	return out
}
