package pgstore

import (
	"context"
	"errors"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/dossierwacht/dossierwacht/privacy"
)

// attack9Roles makes the roles of Grants and EraserGrants on a fresh
// schema and returns the owner's store and one store per role.
func attack9Roles(t *testing.T) (owner *Store, app, medical, eraser *Store) {
	ctx := context.Background()
	pool := PoolForTest(t, pgx.QueryExecModeExec)
	schema := SchemaForTest(t)
	owner = NewForTest(t, pool, &Options{Schema: schema})
	ra, rm, re := schema+"_app", schema+"_physician", schema+"_eraser"
	for _, role := range []string{ra, rm, re} {
		if _, err := pool.Exec(ctx, "CREATE ROLE "+pgx.Identifier{role}.Sanitize()+" LOGIN"); err != nil {
			t.Fatalf("CREATE ROLE: %v", err)
		}
		t.Cleanup(func() {
			id := pgx.Identifier{role}.Sanitize()
			_, _ = pool.Exec(context.Background(), "DROP OWNED BY "+id)
			_, _ = pool.Exec(context.Background(), "DROP ROLE "+id)
		})
	}
	grants, err := Grants(schema, ra, rm)
	if err != nil {
		t.Fatal(err)
	}
	grants = append(grants, "GRANT "+pgx.Identifier{ra}.Sanitize()+", "+pgx.Identifier{rm}.Sanitize()+" TO "+pgx.Identifier{re}.Sanitize())
	more, err := EraserGrants(schema, re)
	if err != nil {
		t.Fatal(err)
	}
	for _, g := range append(grants, more...) {
		if _, err := pool.Exec(ctx, g); err != nil {
			t.Fatalf("%s: %v", g, err)
		}
	}
	as := func(role string) *Store {
		cfg, err := pgxpool.ParseConfig(DSNForTest(t))
		if err != nil {
			t.Fatal(err)
		}
		cfg.ConnConfig.User = role
		cfg.ConnConfig.DefaultQueryExecMode = pgx.QueryExecModeExec
		p, err := pgxpool.NewWithConfig(ctx, cfg)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(p.Close)
		st, err := New(ctx, p, &Options{Schema: schema, NoMigrate: true})
		if err != nil {
			t.Fatalf("New as %s: %v", role, err)
		}
		return st
	}
	return owner, as(ra), as(rm), as(re)
}

// Rule N12 and the grants: the application's role adds groups (AddGroup
// keeps the members FOR KEY SHARE, which needs UPDATE on subjects); the
// eraser's role erases subjects in group histories, grants, holds and
// cases (lock_groups_of, FOR UPDATE on each object's row); neither the
// application's nor the physicians' role may call lock_groups_of (a
// SECURITY DEFINER function that locks every group row of any employer).
func attack9RolesN12(t *testing.T) {
	owner, app, medical, eraser := attack9Roles(t)
	a := newA8(t, owner)
	ps, subs, _ := a.mixedWorld(t)

	ae := newA8(t, app)
	ae.subject(t, "n1", "employer-2")
	ae.subject(t, "n2", "employer-2")
	if _, err := app.AddGroup(a.ctx, "employer-2", 0, []privacy.SubjectID{"n1", "n2"}, a.ev("", privacy.EventCreate)); err != nil {
		t.Errorf("AddGroup as app: %v", err)
	}
	if _, err := medical.AddGroup(a.ctx, "employer-2", 1, []privacy.SubjectID{"n1"}, a.ev("", privacy.EventCreate)); err == nil {
		t.Errorf("AddGroup as the physicians' role succeeded")
	}
	for name, st := range map[string]*Store{"app": app, "medical": medical} {
		_, err := st.pool.Exec(a.ctx, `SELECT `+pgx.Identifier{owner.schema}.Sanitize()+`.lock_groups_of(ARRAY['m1'])`)
		if err == nil {
			t.Errorf("lock_groups_of as %s: allowed", name)
		}
	}
	res, err := eraser.EraseObjects(a.ctx, ps, a8events(ps))
	if err != nil {
		t.Fatalf("EraseObjects as eraser: %v", err)
	}
	for i, e := range res {
		if e != nil {
			t.Errorf("EraseObjects as eraser item %d (%s %s): %v", i, ps[i].Kind, ps[i].ID, e)
		}
	}
	for _, s := range subs {
		a.noMember(t, "employer-1", s)
	}
	if err := eraser.DeleteSubject(a.ctx, "n1", []privacy.Event{a.ev("n1", privacy.EventDelete)}); err != nil {
		t.Errorf("DeleteSubject as eraser: %v", err)
	}
	a.noMember(t, "employer-2", "n1")
	if err := app.DeleteSubject(a.ctx, "n2", []privacy.Event{a.ev("n2", privacy.EventDelete)}); err != nil && !errors.Is(err, privacy.ErrForbidden) {
		t.Errorf("DeleteSubject as app: %v, want success or ErrForbidden", err)
	}
}
