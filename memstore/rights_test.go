package memstore_test

import (
	"testing"

	"github.com/dossierwacht/dossierwacht/access/rights"
	"github.com/dossierwacht/dossierwacht/access/rights/rightstest"
	"github.com/dossierwacht/dossierwacht/memstore"
)

func TestRightsConformance(t *testing.T) {
	rightstest.Run(t, func(t *testing.T) rights.Store { return memstore.New() })
}
