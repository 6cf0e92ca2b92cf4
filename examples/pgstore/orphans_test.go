package pgstore_test

import (
	"testing"

	"github.com/dossierwacht/dossierwacht/examples/internal/adaptertest"
	"github.com/dossierwacht/dossierwacht/examples/pgstore"
)

// Rules R9, O12: nothing is kept for ever because its subject is gone or
// was never registered (adaptertest.RunOrphans).
func TestOrphans(t *testing.T) {
	s := pgstore.OpenForTest(t, nil)
	adaptertest.RunOrphans(t, s)
}

// Rules R9, O12: DeleteSubject removes the subject's grants, disclosure-log
// entries, lifted holds and erasure requests with it, all or nothing
// (adaptertest.RunDeleteSubject).
func TestDeleteSubjectForgetsEverything(t *testing.T) {
	adaptertest.RunDeleteSubject(t, pgstore.OpenForTest(t, nil))
}
