package pgstore

import (
	"testing"

	"github.com/dossierwacht/dossierwacht/examples/internal/tampertest"
	"github.com/jackc/pgx/v5"
)

// TestPruneAuditN9LeadingRunOnly: PruneAudit (sqlcore's SQLPruneCuts)
// takes only each chain's leading run of events older than the cut (rule
// N9).
func TestPruneAuditN9LeadingRunOnly(t *testing.T) {
	pool := PoolForTest(t, pgx.QueryExecModeExec)
	tampertest.RunPruneLeadingRun(t, func(t *testing.T, key []byte) (tampertest.Store, tampertest.DB) {
		return NewForTest(t, pool, &Options{Schema: SchemaForTest(t), AuditKey: key}), nil
	})
}
