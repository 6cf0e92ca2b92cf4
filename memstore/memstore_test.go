package memstore_test

import (
	"testing"

	"github.com/dossierwacht/dossierwacht/access"
	"github.com/dossierwacht/dossierwacht/access/accesstest"
	"github.com/dossierwacht/dossierwacht/memstore"
	"github.com/dossierwacht/dossierwacht/privacy"
	"github.com/dossierwacht/dossierwacht/privacy/privacytest"
)

func TestConformance(t *testing.T) {
	privacytest.Run(t, func(t *testing.T) privacy.Store { return memstore.New() })
}

// The in-memory store lets the access kit break its audit trail on purpose.
var _ accesstest.Tamperer = (*memstore.Store)(nil)

func TestAccessConformance(t *testing.T) {
	accesstest.Run(t, func(t *testing.T) access.Store { return memstore.New() })
}
