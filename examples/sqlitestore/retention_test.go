package sqlitestore_test

import (
	"testing"

	"github.com/dossierwacht/dossierwacht/examples/sqlitestore"
	"github.com/dossierwacht/dossierwacht/retention"
	"github.com/dossierwacht/dossierwacht/retention/retentiontest"
)

var (
	_ retentiontest.EventLog = (*sqlitestore.Store)(nil)
	_ retention.BatchStore   = (*sqlitestore.Store)(nil)
)

func TestRetentionConformance(t *testing.T) {
	retentiontest.Run(t, func(t *testing.T) retention.Store { return open(t) })
}
