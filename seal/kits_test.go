package seal_test

import (
	"context"
	"testing"

	"github.com/dossierwacht/dossierwacht/access"
	"github.com/dossierwacht/dossierwacht/access/accesstest"
	"github.com/dossierwacht/dossierwacht/consent/consenttest"
	"github.com/dossierwacht/dossierwacht/memstore"
	"github.com/dossierwacht/dossierwacht/privacy"
	"github.com/dossierwacht/dossierwacht/privacy/privacytest"
	"github.com/dossierwacht/dossierwacht/retention"
	"github.com/dossierwacht/dossierwacht/retention/retentiontest"
	"github.com/dossierwacht/dossierwacht/rights"
	"github.com/dossierwacht/dossierwacht/rights/rightstest"
	"github.com/dossierwacht/dossierwacht/seal"
)

// testKEK is a fixed key-encryption key for tests.
func testKEK(t testing.TB) *seal.LocalKEK {
	t.Helper()
	k, err := seal.ParseLocalKEK("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f")
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// sealed wraps b with fresh in-memory keys.
func sealed(t testing.TB, b seal.Backend) *seal.Store {
	t.Helper()
	s, err := seal.Wrap(context.Background(), b, seal.Vault{Keys: seal.NewMemKeys(), KEK: testKEK(t)})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// faulty is a sealed memstore the privacy kit can break halfway through
// a write (privacytest.FaultInjector): the fault reaches the Backend, so
// that the kit sees a deletion that fails after the key was destroyed
// leave the store as it was.
type faulty struct {
	*seal.Store
	mem *memstore.Store
}

func (f faulty) FailAfter(n int) { f.mem.FailAfter(n) }

var _ privacytest.FaultInjector = faulty{}

// The conformance kits of every package, run over sealed memstores: the
// sealed store keeps every contract of the store it seals.
func TestSealedMemstoreConformance(t *testing.T) {
	newFaulty := func(t *testing.T) faulty {
		m := memstore.New()
		return faulty{sealed(t, m), m}
	}
	t.Run("privacy", func(t *testing.T) {
		privacytest.Run(t, func(t *testing.T) privacy.Store { return newFaulty(t) })
	})
	t.Run("access", func(t *testing.T) {
		accesstest.Run(t, func(t *testing.T) access.Store { return sealed(t, memstore.New()) })
	})
	t.Run("consent", func(t *testing.T) {
		consenttest.Run(t, func(t *testing.T) consenttest.Store { return newFaulty(t) })
	})
	t.Run("retention", func(t *testing.T) {
		retentiontest.Run(t, func(t *testing.T) retention.Store { return newFaulty(t) })
	})
	t.Run("rights", func(t *testing.T) {
		rightstest.Run(t, func(t *testing.T) rights.Store { return sealed(t, memstore.New()) })
	})
}
