package sqlitestore_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/dossierwacht/dossierwacht/examples/internal/adaptertest"
	"github.com/dossierwacht/dossierwacht/examples/sqlitestore"
)

// TestAttack6 attacks EraseObjects (retention.ObjectBatchStore): invalid
// items among valid ones, a subject before its case, group histories
// (N12), holds placed while a batch runs (G3), a fault mid-batch.
func TestAttack6(t *testing.T) {
	s, err := sqlitestore.Open(context.Background(), filepath.Join(t.TempDir(), "dw.db"), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	adaptertest.RunAttack6(t, s, s.FailAfter)
}
