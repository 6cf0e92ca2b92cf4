package compliancetest_test

import (
	"testing"

	"github.com/dossierwacht/dossierwacht/compliancetest"
	"github.com/dossierwacht/dossierwacht/memstore"
	"github.com/dossierwacht/dossierwacht/privacy"
)

// newLibrary is the reference system on a fresh in-memory store.
func newLibrary(t testing.TB) compliancetest.System {
	t.Helper()
	sys, err := compliancetest.NewLibrarySystem(memstore.New(), privacy.Strict())
	if err != nil {
		t.Fatalf("NewLibrarySystem: %v", err)
	}
	return sys
}

// TestLibrary runs the kit against the library on memstore.
func TestLibrary(t *testing.T) {
	compliancetest.Run(t, func(t *testing.T) compliancetest.System { return newLibrary(t) })
}
