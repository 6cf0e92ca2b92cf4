package access

import (
	"slices"
	"testing"

	"github.com/dossierwacht/dossierwacht/privacy"
)

// TestIndices checks the index switches against privacy's vocabulary:
// every value has its own index, in range, and nothing else has one.
func TestIndices(t *testing.T) {
	check := func(name string, n int, index func(string) int, values []string) {
		t.Helper()
		if len(values) != n {
			t.Errorf("%s: %d values, the tables hold %d", name, len(values), n)
		}
		seen := map[int]bool{}
		for _, v := range values {
			i := index(v)
			if i < 0 || i >= n || seen[i] {
				t.Errorf("%s: %q has index %d", name, v, i)
			}
			seen[i] = true
		}
		if index("unknown") != -1 || index("") != -1 {
			t.Errorf("%s: an unknown value has an index", name)
		}
	}
	strs := func(xs any) []string {
		var out []string
		switch xs := xs.(type) {
		case []privacy.Role:
			for _, x := range xs {
				out = append(out, string(x))
			}
		case []privacy.Action:
			for _, x := range xs {
				out = append(out, string(x))
			}
		case []privacy.Category:
			for _, x := range xs {
				out = append(out, string(x))
			}
		case []privacy.CaseKind:
			for _, x := range xs {
				out = append(out, string(x))
			}
		}
		return out
	}
	check("roles", numRoles, func(s string) int { return roleIndex(privacy.Role(s)) }, strs(privacy.Roles()))
	check("actions", numActions, func(s string) int { return actionIndex(privacy.Action(s)) }, strs(privacy.Actions()))
	check("categories", numCats, func(s string) int { return categoryIndex(privacy.Category(s)) }, strs(privacy.Categories()))
	check("case kinds", numKinds, func(s string) int { return kindIndex(privacy.CaseKind(s)) }, strs(privacy.CaseKinds()))
	for _, c := range privacy.SpecialCategories() {
		if categoryIndex(c) >= 0 {
			t.Errorf("special category %s has an index", c)
		}
	}
	for ri, r := range []privacy.Role{privacy.RoleCaseManager, privacy.RoleSupportStaff, privacy.RolePhysician,
		privacy.RoleEmployerContact, privacy.RoleInsurer, privacy.RoleAdministrator, privacy.RoleSubject} {
		if roleIndex(r) != ri {
			t.Errorf("role %s: index %d, the floors use %d", r, roleIndex(r), ri)
		}
	}
	for ci, c := range map[int]privacy.Category{catIdentity: privacy.CategoryIdentity, catNationalID: privacy.CategoryNationalID,
		catContact: privacy.CategoryContact, catAbsenceReason: privacy.CategoryAbsenceReason, catMedical: privacy.CategoryMedical,
		catAppointment: privacy.CategoryAppointment} {
		if categoryIndex(c) != ci {
			t.Errorf("category %s: index %d, the floors use %d", c, categoryIndex(c), ci)
		}
	}
	for _, c := range catList {
		info, _ := c.Info()
		if !slices.Equal(catFields[categoryIndex(c)], info.Fields) || len(info.Fields) > 16 {
			t.Errorf("category %s: fields differ or do not fit a mask", c)
		}
	}
}

// TestFloorMasks checks the N3 and N1 masks against privacy's lists.
func TestFloorMasks(t *testing.T) {
	for _, c := range catList {
		ci := categoryIndex(c)
		for p, f := range catFields[ci] {
			inN3 := slices.Contains(privacy.InsurerMaximum()[c], f)
			if got := n3Mask[ci]&(1<<p) != 0; got != inN3 {
				t.Errorf("N3 mask %s.%s = %t, want %t", c, f, got, inN3)
			}
			inN1 := c == privacy.CategoryAbsenceFacts && slices.Contains(privacy.SickReportFields(), f) ||
				c == privacy.CategoryIdentity || c == privacy.CategoryContact || c == privacy.CategoryEmployment || c == privacy.CategoryNotes
			if got := n1Mask[ci]&(1<<p) != 0; got != inN1 {
				t.Errorf("N1 mask %s.%s = %t, want %t", c, f, got, inN1)
			}
		}
	}
}
