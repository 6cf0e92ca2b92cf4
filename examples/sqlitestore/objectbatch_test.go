package sqlitestore_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/dossierwacht/dossierwacht/examples/internal/adaptertest"
	"github.com/dossierwacht/dossierwacht/examples/sqlitestore"
)

// TestObjectBatchPropertyR9O12G3 checks, for random worlds and batches,
// that EraseObjects gives each item the outcome EraseObject gives it one
// by one, and leaves the same behind (rules R9, O12, G3, N7).
func TestObjectBatchPropertyR9O12G3(t *testing.T) {
	open := func(t *testing.T) adaptertest.ObjectBatchStore {
		s, err := sqlitestore.Open(context.Background(), filepath.Join(t.TempDir(), "dw.db"), nil)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		return s
	}
	adaptertest.RunObjectBatchProperty(t, func(t *testing.T) (adaptertest.ObjectBatchStore, adaptertest.ObjectBatchStore) {
		return open(t), open(t)
	}, 40)
}
