package pgstore_test

import (
	"context"
	"testing"

	"github.com/dossierwacht/dossierwacht/privacy"
	"github.com/jackc/pgx/v5"

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

// Rules R9, O12: the lifted holds and erasure requests of a subject whose
// row is gone are listed and swept (adaptertest.RunLegacyOrphans).
func TestLegacyOrphans(t *testing.T) {
	schema := pgstore.SchemaForTest(t)
	s := pgstore.OpenForTest(t, &pgstore.Options{Schema: schema})
	pool := pgstore.PoolForTest(t, pgx.QueryExecModeExec)
	adaptertest.RunLegacyOrphans(t, s, func(ctx context.Context, id privacy.SubjectID) error {
		_, err := pool.Exec(ctx, `DELETE FROM `+pgx.Identifier{schema, "subjects"}.Sanitize()+` WHERE id = $1`, string(id))
		return err
	})
}

// Rules N12, R9, O12: an erased or deleted subject's ID leaves the group
// histories (adaptertest.RunGroupHistories).
func TestGroupHistoriesForgetSubjects(t *testing.T) {
	adaptertest.RunGroupHistories(t, pgstore.OpenForTest(t, nil))
}

// Rules R9, O12: a page of subjects' objects read at once, the lifted
// holds and erasure requests of a subject whose row is gone included, is
// what Objects reads per subject, in its order
// (adaptertest.RunLegacyOrphansPage).
func TestLegacyOrphansObjectsOf_R9_O12(t *testing.T) {
	schema := pgstore.SchemaForTest(t)
	s := pgstore.OpenForTest(t, &pgstore.Options{Schema: schema})
	pool := pgstore.PoolForTest(t, pgx.QueryExecModeExec)
	adaptertest.RunLegacyOrphansPage(t, s, func(ctx context.Context, id privacy.SubjectID) error {
		_, err := pool.Exec(ctx, `DELETE FROM `+pgx.Identifier{schema, "subjects"}.Sanitize()+` WHERE id = $1`, string(id))
		return err
	})
}
