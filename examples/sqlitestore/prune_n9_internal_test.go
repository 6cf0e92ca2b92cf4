package sqlitestore

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/dossierwacht/dossierwacht/examples/internal/tampertest"
)

// TestPruneAuditN9LeadingRunOnly: PruneAudit (sqlcore's SQLPruneCuts)
// takes only each chain's leading run of events older than the cut (rule
// N9).
func TestPruneAuditN9LeadingRunOnly(t *testing.T) {
	tampertest.RunPruneLeadingRun(t, func(t *testing.T, key []byte) (tampertest.Store, tampertest.DB) {
		s, err := Open(context.Background(), filepath.Join(t.TempDir(), "t.db"), &Options{AuditKey: key})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		return s, nil
	})
}
