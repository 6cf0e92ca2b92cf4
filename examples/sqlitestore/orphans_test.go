package sqlitestore_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/dossierwacht/dossierwacht/examples/internal/adaptertest"
	"github.com/dossierwacht/dossierwacht/examples/sqlitestore"
)

// Rules R9, O12: nothing is kept for ever because its subject is gone or
// was never registered (adaptertest.RunOrphans).
func TestOrphans(t *testing.T) {
	s, err := sqlitestore.Open(context.Background(), filepath.Join(t.TempDir(), "dw.db"), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	adaptertest.RunOrphans(t, s)
}

// Rules R9, O12: DeleteSubject removes the subject's grants, disclosure-log
// entries, lifted holds and erasure requests with it, all or nothing
// (adaptertest.RunDeleteSubject).
func TestDeleteSubjectForgetsEverything(t *testing.T) {
	s, err := sqlitestore.Open(context.Background(), filepath.Join(t.TempDir(), "dw.db"), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	adaptertest.RunDeleteSubject(t, s)
}
