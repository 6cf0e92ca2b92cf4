package memstore_test

import (
	"testing"

	"github.com/dossierwacht/dossierwacht/memstore"
	"github.com/dossierwacht/dossierwacht/rights"
	"github.com/dossierwacht/dossierwacht/rights/rightstest"
)

func TestRightsConformance(t *testing.T) {
	rightstest.Run(t, func(t *testing.T) rights.Store { return memstore.New() })
}
