package privacy_test

import (
	"testing"

	"github.com/dossierwacht/dossierwacht/privacy"
)

// TestIndex checks every Index against the order of its list, and that
// values outside the list are -1.
func TestIndex(t *testing.T) {
	check := func(what string, n, size int, index func(i int) int) {
		t.Helper()
		if n != size {
			t.Errorf("%s: list has %d values, Num constant says %d", what, n, size)
		}
		for i := range n {
			if got := index(i); got != i {
				t.Errorf("%s[%d].Index() = %d", what, i, got)
			}
		}
	}
	cats, roles, acts, kinds, parties := privacy.Categories(), privacy.Roles(), privacy.Actions(), privacy.CaseKinds(), privacy.PartyKinds()
	check("Categories", len(cats), privacy.NumCategories, func(i int) int { return cats[i].Index() })
	check("Roles", len(roles), privacy.NumRoles, func(i int) int { return roles[i].Index() })
	check("Actions", len(acts), privacy.NumActions, func(i int) int { return acts[i].Index() })
	check("CaseKinds", len(kinds), privacy.NumCaseKinds, func(i int) int { return kinds[i].Index() })
	check("PartyKinds", len(parties), privacy.NumPartyKinds, func(i int) int { return parties[i].Index() })
	for _, c := range privacy.SpecialCategories() {
		if c.Index() != -1 {
			t.Errorf("special category %s has index %d", c, c.Index())
		}
	}
	if privacy.Category("x").Index() != -1 || privacy.Role("x").Index() != -1 || privacy.Action("x").Index() != -1 ||
		privacy.CaseKind("x").Index() != -1 || privacy.PartyKind("x").Index() != -1 {
		t.Error("an unknown value has an index")
	}
}
