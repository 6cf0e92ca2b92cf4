package pgstore_test

import (
	"testing"

	"github.com/dossierwacht/dossierwacht/compliancetest"
	"github.com/dossierwacht/dossierwacht/examples/pgstore"
	"github.com/dossierwacht/dossierwacht/privacy"
)

// TestCompliance runs the compliance kit, one scenario per rule, against the
// library on PostgreSQL (each scenario in a schema of its own).
func TestCompliance(t *testing.T) {
	compliancetest.Run(t, func(t *testing.T) compliancetest.System {
		sys, err := compliancetest.NewLibrarySystem(pgstore.OpenForTest(t, nil), privacy.Strict())
		if err != nil {
			t.Fatalf("NewLibrarySystem: %v", err)
		}
		return sys
	})
}
