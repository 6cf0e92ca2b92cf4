package seal_test

import (
	"testing"

	"github.com/dossierwacht/dossierwacht/compliancetest"
	"github.com/dossierwacht/dossierwacht/memstore"
	"github.com/dossierwacht/dossierwacht/privacy"
	"github.com/dossierwacht/dossierwacht/seal"
	"github.com/dossierwacht/dossierwacht/seal/sealtest"
)

// The kit of sealed stores over the in-memory store: every package's
// conformance kit through the wrapper, and the cases of the sealing.
func TestSealedMemstore(t *testing.T) {
	sealtest.Run(t, func(t *testing.T) seal.Backend { return memstore.New() })
}

// TestSealedCompliance runs the compliance kit, one scenario per rule,
// against the library on a sealed memstore: sealing changes no decision.
func TestSealedCompliance(t *testing.T) {
	compliancetest.Run(t, func(t *testing.T) compliancetest.System {
		sys, err := compliancetest.NewLibrarySystem(sealtest.Wrap(t, memstore.New(), seal.NewMemKeys()), privacy.Strict())
		if err != nil {
			t.Fatalf("NewLibrarySystem: %v", err)
		}
		return sys
	})
}
