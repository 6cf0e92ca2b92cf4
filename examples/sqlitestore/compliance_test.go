package sqlitestore_test

import (
	"testing"

	"github.com/dossierwacht/dossierwacht/compliancetest"
	"github.com/dossierwacht/dossierwacht/privacy"
)

// TestCompliance runs the compliance kit, one scenario per rule, against the
// library on SQLite.
func TestCompliance(t *testing.T) {
	compliancetest.Run(t, func(t *testing.T) compliancetest.System {
		sys, err := compliancetest.NewLibrarySystem(open(t), privacy.Strict())
		if err != nil {
			t.Fatalf("NewLibrarySystem: %v", err)
		}
		return sys
	})
}
