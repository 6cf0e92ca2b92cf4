package pgstore

import (
	"testing"

	"github.com/dossierwacht/dossierwacht/examples/internal/adaptertest"
	"github.com/dossierwacht/dossierwacht/examples/internal/sqlcore"
)

// TestObjectBatchPropertyR9O12G3 holds the set-based EraseObjects
// (sqlcore.ObjectSetQueries) against the row-at-a-time path, item by item
// through EraseObject on a second store without the set-based statements:
// for random worlds and batches — in a sweep's order, shuffled, with
// items twice, wrong ends, subjects and IDs — each item has the same
// outcome and the two stores hold the same after (rules R9, O12, G3, N7).
func TestObjectBatchPropertyR9O12G3(t *testing.T) {
	adaptertest.RunObjectBatchProperty(t, func(t *testing.T) (adaptertest.ObjectBatchStore, adaptertest.ObjectBatchStore) {
		single := OpenForTest(t, nil)
		single.q.core.Objects.Set = sqlcore.ObjectSetQueries{} // item by item
		return OpenForTest(t, nil), single
	}, 30)
}
