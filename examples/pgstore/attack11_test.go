package pgstore_test

import (
	"testing"

	"github.com/dossierwacht/dossierwacht/examples/internal/adaptertest"
	"github.com/dossierwacht/dossierwacht/examples/pgstore"
)

// TestAttack11OpenRequestsR11O13O12 checks the open requests' retention
// through the Service on this store (rules R11, O13, O12; attack review
// 11): kept until due, erased when due, and not under a stale proof.
func TestAttack11OpenRequestsR11O13O12(t *testing.T) {
	adaptertest.RunOpenRequestsThroughService(t, pgstore.OpenForTest(t, nil))
}
