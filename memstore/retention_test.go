package memstore_test

import (
	"testing"

	"github.com/dossierwacht/dossierwacht/memstore"
	"github.com/dossierwacht/dossierwacht/retention"
	"github.com/dossierwacht/dossierwacht/retention/retentiontest"
)

func TestRetentionConformance(t *testing.T) {
	retentiontest.Run(t, func(t *testing.T) retention.Store { return memstore.New() })
}
