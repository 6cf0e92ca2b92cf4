package seal_test

import (
	"testing"

	"github.com/dossierwacht/dossierwacht/memstore"
	"github.com/dossierwacht/dossierwacht/seal"
	"github.com/dossierwacht/dossierwacht/seal/sealtest"
)

// The kit of sealed stores over the in-memory store: every package's
// conformance kit through the wrapper, and the cases of the sealing.
func TestSealedMemstore(t *testing.T) {
	sealtest.Run(t, func(t *testing.T) seal.Backend { return memstore.New() })
}
