package adaptertest_test

import (
	"testing"

	"github.com/dossierwacht/dossierwacht/examples/internal/adaptertest"
	"github.com/dossierwacht/dossierwacht/memstore"
)

// The reference store runs the adapters' kits of rules R9 and O12 too, so
// that every store is held to the same.
func TestMemstoreDeleteSubjectForgetsEverything(t *testing.T) {
	adaptertest.RunDeleteSubject(t, memstore.New())
}

func TestMemstoreOrphans(t *testing.T) {
	adaptertest.RunOrphans(t, memstore.New())
}

func TestMemstoreGroupHistories(t *testing.T) {
	adaptertest.RunGroupHistories(t, memstore.New())
}
