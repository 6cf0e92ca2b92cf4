package consent

import (
	"testing"

	"github.com/dossierwacht/dossierwacht/privacy"
)

// TestIndexesCoverTheTaxonomy: the decider numbers every party kind and
// every category the service processes, each with its own index. A kind
// or category added to package privacy fails here until it is numbered
// (and NewDecider refuses policies that use it, failing closed).
func TestIndexesCoverTheTaxonomy(t *testing.T) {
	seen := map[int]privacy.PartyKind{}
	for _, k := range privacy.PartyKinds() {
		i := kindIndex(k)
		if i < 0 || i >= numKinds {
			t.Errorf("kindIndex(%s) = %d, want 0..%d", k, i, numKinds-1)
		} else if other, dup := seen[i]; dup {
			t.Errorf("kindIndex(%s) = kindIndex(%s) = %d", k, other, i)
		}
		seen[i] = k
	}
	if len(privacy.PartyKinds()) != numKinds || kindIndex("nobody") != -1 {
		t.Errorf("numKinds = %d for %d kinds", numKinds, len(privacy.PartyKinds()))
	}
	cats := map[int]privacy.Category{}
	for _, c := range privacy.Categories() {
		i := catIndex(c)
		if i < 0 || i >= numCats {
			t.Errorf("catIndex(%s) = %d, want 0..%d", c, i, numCats-1)
		} else if other, dup := cats[i]; dup {
			t.Errorf("catIndex(%s) = catIndex(%s) = %d", c, other, i)
		}
		cats[i] = c
	}
	if len(privacy.Categories()) != numCats {
		t.Errorf("numCats = %d for %d categories", numCats, len(privacy.Categories()))
	}
	for _, c := range privacy.SpecialCategories() {
		if catIndex(c) != -1 {
			t.Errorf("catIndex(%s) = %d: a special category is never processed (O5)", c, catIndex(c))
		}
	}
}
