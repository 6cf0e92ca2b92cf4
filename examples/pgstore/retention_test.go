package pgstore_test

import (
	"testing"

	"github.com/dossierwacht/dossierwacht/examples/pgstore"
	"github.com/dossierwacht/dossierwacht/retention"
	"github.com/dossierwacht/dossierwacht/retention/retentiontest"
)

var (
	_ retentiontest.EventLog = (*pgstore.Store)(nil)
	_ retention.BatchStore   = (*pgstore.Store)(nil)
)

func TestRetentionConformance(t *testing.T) {
	retentiontest.Run(t, func(t *testing.T) retention.Store { return pgstore.OpenForTest(t, nil) })
}
