package pgstore_test

import (
	"testing"

	"github.com/dossierwacht/dossierwacht/examples/internal/adaptertest"
	"github.com/dossierwacht/dossierwacht/examples/pgstore"
)

// TestAttack6 attacks EraseObjects (retention.ObjectBatchStore): invalid
// items among valid ones, a subject before its case, group histories
// (N12), holds placed while a batch runs (G3), a fault mid-batch.
func TestAttack6(t *testing.T) {
	s := pgstore.OpenForTest(t, nil)
	adaptertest.RunAttack6(t, s, s.FailAfter)
}
