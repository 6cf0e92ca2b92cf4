package pgstore_test

import (
	"testing"

	"github.com/dossierwacht/dossierwacht/access"
	"github.com/dossierwacht/dossierwacht/access/accesstest"
	"github.com/dossierwacht/dossierwacht/consent"
	"github.com/dossierwacht/dossierwacht/consent/consenttest"
	"github.com/dossierwacht/dossierwacht/examples/internal/adaptertest"
	"github.com/dossierwacht/dossierwacht/examples/pgstore"
	"github.com/dossierwacht/dossierwacht/rights"
	"github.com/dossierwacht/dossierwacht/rights/rightstest"
	"github.com/jackc/pgx/v5"
)

// The kits of the library's stores, each run in fresh schemas, on a store
// opened with Open and on stores made with New on pools in the other query
// modes (as TestConformance runs privacytest).
var (
	_ access.Store            = (*pgstore.Store)(nil)
	_ consent.Store           = (*pgstore.Store)(nil)
	_ consenttest.AuditReader = (*pgstore.Store)(nil)
	_ rights.Store            = (*pgstore.Store)(nil)
)

// inEveryMode runs kit on stores from Open and from New in each query mode.
func inEveryMode(t *testing.T, kit func(t *testing.T, open func(t *testing.T) *pgstore.Store)) {
	t.Run("exec", func(t *testing.T) {
		kit(t, func(t *testing.T) *pgstore.Store { return pgstore.OpenForTest(t, nil) })
	})
	for _, m := range []struct {
		name string
		mode pgx.QueryExecMode
	}{{"simple_protocol", pgx.QueryExecModeSimpleProtocol}, {"cache_statement", pgx.QueryExecModeCacheStatement}} {
		t.Run(m.name, func(t *testing.T) {
			pool := pgstore.PoolForTest(t, m.mode)
			kit(t, func(t *testing.T) *pgstore.Store { return pgstore.NewForTest(t, pool, nil) })
		})
	}
}

// TestAccessConformance runs the access kit, its tampering cases (G7)
// included: the store is wrapped so that the kit can break the trail's
// rows as the tables' owner could.
func TestAccessConformance(t *testing.T) {
	inEveryMode(t, func(t *testing.T, open func(t *testing.T) *pgstore.Store) {
		accesstest.Run(t, func(t *testing.T) access.Store { return pgstore.TamperableForTest(open(t)) })
	})
}

func TestConsentConformance(t *testing.T) {
	inEveryMode(t, func(t *testing.T, open func(t *testing.T) *pgstore.Store) {
		consenttest.Run(t, func(t *testing.T) consenttest.Store { return open(t) })
	})
}

func TestRightsConformance(t *testing.T) {
	inEveryMode(t, func(t *testing.T, open func(t *testing.T) *pgstore.Store) {
		rightstest.Run(t, func(t *testing.T) rights.Store { return open(t) })
	})
}

func TestKitsAdapter(t *testing.T) {
	adaptertest.RunKits(t, func(t *testing.T) adaptertest.KitStore { return pgstore.OpenForTest(t, nil) })
}

// BenchmarkDisclose: one allowed disclosure of a subject with 50 grants,
// through consent.Registry.
func BenchmarkDisclose(b *testing.B) { adaptertest.BenchDisclose(b, pgstore.OpenForTest(b, nil)) }

// BenchmarkUpdateRequest: one step of a request (the compare-and-swap).
func BenchmarkUpdateRequest(b *testing.B) {
	adaptertest.BenchUpdateRequest(b, pgstore.OpenForTest(b, nil))
}

func TestAccessAdapter(t *testing.T) {
	adaptertest.RunAccess(t, func(t *testing.T) access.Store { return pgstore.OpenForTest(t, nil) })
}
