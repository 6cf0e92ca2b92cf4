package consent

import (
	"testing"

	"github.com/dossierwacht/dossierwacht/privacy"
)

// TestIndexesCoverTheTaxonomy: the decider numbers every party kind and
// every category the service processes, each with its own index. A kind
// or category added to package privacy fails here until it is numbered
// (and NewEngine refuses policies that use it, failing closed).
func TestIndexesCoverTheTaxonomy(t *testing.T) {
	seen := map[int]privacy.PartyKind{}
	for _, k := range privacy.PartyKinds() {
		i := k.Index()
		if i < 0 || i >= numKinds {
			t.Errorf("%s.Index() = %d, want 0..%d", k, i, numKinds-1)
		} else if other, dup := seen[i]; dup {
			t.Errorf("%s.Index() = %s.Index() = %d", k, other, i)
		}
		seen[i] = k
	}
	if len(privacy.PartyKinds()) != numKinds || privacy.PartyKind("nobody").Index() != -1 {
		t.Errorf("numKinds = %d for %d kinds", numKinds, len(privacy.PartyKinds()))
	}
	cats := map[int]privacy.Category{}
	for _, c := range privacy.Categories() {
		i := c.Index()
		if i < 0 || i >= numCats {
			t.Errorf("%s.Index() = %d, want 0..%d", c, i, numCats-1)
		} else if other, dup := cats[i]; dup {
			t.Errorf("%s.Index() = %s.Index() = %d", c, other, i)
		}
		cats[i] = c
	}
	if len(privacy.Categories()) != numCats {
		t.Errorf("numCats = %d for %d categories", numCats, len(privacy.Categories()))
	}
	for _, c := range privacy.SpecialCategories() {
		if c.Index() != -1 {
			t.Errorf("%s.Index() = %d: a special category is never processed (O5)", c, c.Index())
		}
	}
}
