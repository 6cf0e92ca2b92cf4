package compliancetest_test

import (
	"context"
	"fmt"
	"log"
	"testing"

	"github.com/dossierwacht/dossierwacht/compliancetest"
	"github.com/dossierwacht/dossierwacht/memstore"
	"github.com/dossierwacht/dossierwacht/privacy"
)

// A vendor runs the whole kit from one test of its own, with a new system
// per scenario. Here the system is the library on the in-memory adapter;
// a vendor returns the glue over its own system instead.
func ExampleRun() {
	testCompliance := func(t *testing.T) {
		compliancetest.Run(t, func(t *testing.T) compliancetest.System {
			sys, err := compliancetest.NewLibrarySystem(memstore.New(), privacy.Strict())
			if err != nil {
				t.Fatal(err)
			}
			return sys
		})
	}
	_ = testCompliance // func TestCompliance(t *testing.T) { testCompliance(t) }
}

// Scenarios can be played one by one, for instance the one of rule O5,
// against a fresh system each.
func ExampleScenarios() {
	for _, s := range compliancetest.Scenarios() {
		if s.Rule != privacy.O5 {
			continue
		}
		sys, err := compliancetest.NewLibrarySystem(memstore.New(), privacy.Strict())
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(s, "passed:", s.Check(context.Background(), sys) == nil)
	}
	// Output:
	// O5/special_categories_refused_nothing_stored passed: true
}
