package memstore_test

import (
	"testing"

	"github.com/dossierwacht/dossierwacht/consent/consenttest"
	"github.com/dossierwacht/dossierwacht/memstore"
)

func TestConsentConformance(t *testing.T) {
	consenttest.Run(t, func(t *testing.T) consenttest.Store { return memstore.New() })
}
