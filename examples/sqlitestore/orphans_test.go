package sqlitestore_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/dossierwacht/dossierwacht/examples/internal/adaptertest"
	"github.com/dossierwacht/dossierwacht/examples/sqlitestore"
	"github.com/dossierwacht/dossierwacht/privacy"
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

// Rules R9, O12: the lifted holds and erasure requests of a subject whose
// row is gone are listed and swept (adaptertest.RunLegacyOrphans).
func TestLegacyOrphans(t *testing.T) {
	path := filepath.Join(t.TempDir(), "dw.db")
	s, err := sqlitestore.Open(context.Background(), path, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	db := rawDB(t, path)
	adaptertest.RunLegacyOrphans(t, s, func(ctx context.Context, id privacy.SubjectID) error {
		_, err := db.ExecContext(ctx, `DELETE FROM subjects WHERE id = ?`, string(id))
		return err
	})
}

// Rules N12, R9, O12: an erased or deleted subject's ID leaves the group
// histories (adaptertest.RunGroupHistories).
func TestGroupHistoriesForgetSubjects(t *testing.T) {
	s, err := sqlitestore.Open(context.Background(), filepath.Join(t.TempDir(), "dw.db"), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	adaptertest.RunGroupHistories(t, s)
}

// Rules R9, O12: a page of subjects' objects read at once, the lifted
// holds and erasure requests of a subject whose row is gone included, is
// what Objects reads per subject, in its order
// (adaptertest.RunLegacyOrphansPage).
func TestLegacyOrphansObjectsOf_R9_O12(t *testing.T) {
	path := filepath.Join(t.TempDir(), "dw.db")
	s, err := sqlitestore.Open(context.Background(), path, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	db := rawDB(t, path)
	adaptertest.RunLegacyOrphansPage(t, s, func(ctx context.Context, id privacy.SubjectID) error {
		_, err := db.ExecContext(ctx, `DELETE FROM subjects WHERE id = ?`, string(id))
		return err
	})
}
