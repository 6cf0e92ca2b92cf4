package sqlitestore_test

import (
	"testing"

	"github.com/dossierwacht/dossierwacht/access"
	"github.com/dossierwacht/dossierwacht/access/accesstest"
	"github.com/dossierwacht/dossierwacht/consent"
	"github.com/dossierwacht/dossierwacht/consent/consenttest"
	"github.com/dossierwacht/dossierwacht/examples/internal/adaptertest"
	"github.com/dossierwacht/dossierwacht/examples/sqlitestore"
	"github.com/dossierwacht/dossierwacht/rights"
	"github.com/dossierwacht/dossierwacht/rights/rightstest"
)

// The kits of the library's stores, each run on fresh files. privacytest
// runs in TestConformance.
var (
	_ access.Store            = (*sqlitestore.Store)(nil)
	_ consent.Store           = (*sqlitestore.Store)(nil)
	_ consenttest.AuditReader = (*sqlitestore.Store)(nil)
	_ rights.Store            = (*sqlitestore.Store)(nil)
)

func TestConsentConformance(t *testing.T) {
	consenttest.Run(t, func(t *testing.T) consenttest.Store { return open(t) })
}

func TestRightsConformance(t *testing.T) {
	rightstest.Run(t, func(t *testing.T) rights.Store { return open(t) })
}

func TestKitsAdapter(t *testing.T) {
	adaptertest.RunKits(t, func(t *testing.T) adaptertest.KitStore { return open(t) })
}

// BenchmarkDisclose: one allowed disclosure of a subject with 50 grants,
// through consent.Registry.
func BenchmarkDisclose(b *testing.B) { adaptertest.BenchDisclose(b, open(b)) }

// BenchmarkUpdateRequest: one step of a request (the compare-and-swap).
func BenchmarkUpdateRequest(b *testing.B) { adaptertest.BenchUpdateRequest(b, open(b)) }

// TestAccessConformance runs the access kit, its tampering cases (G7)
// included: the store is wrapped so that the kit can break the trail's
// rows as someone with write access to the file could.
func TestAccessConformance(t *testing.T) {
	accesstest.Run(t, func(t *testing.T) access.Store { return sqlitestore.TamperableForTest(open(t)) })
}

func TestAccessAdapter(t *testing.T) {
	adaptertest.RunAccess(t, func(t *testing.T) access.Store { return open(t) })
}
