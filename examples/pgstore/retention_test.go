package pgstore_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/dossierwacht/dossierwacht/consent"
	"github.com/dossierwacht/dossierwacht/examples/pgstore"
	"github.com/dossierwacht/dossierwacht/internal/objectkit"
	"github.com/dossierwacht/dossierwacht/privacy"
	"github.com/dossierwacht/dossierwacht/retention"
	"github.com/dossierwacht/dossierwacht/retention/retentiontest"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

var (
	_ retentiontest.EventLog = (*pgstore.Store)(nil)
	_ retention.BatchStore   = (*pgstore.Store)(nil)
)

func TestRetentionConformance(t *testing.T) {
	retentiontest.Run(t, func(t *testing.T) retention.Store { return pgstore.OpenForTest(t, nil) })
}

// TestObjectsOfEqualsObjectsR9O12 checks that a page of subjects' objects
// is what Objects returns one subject at a time, four statements a page
// (rules R9, O12).
func TestObjectsOfEqualsObjectsR9O12(t *testing.T) {
	objectkit.RunObjectsOf(t, pgstore.OpenForTest(t, nil))
}

// TestRetentionGrants runs the statements of Grants and shows what each
// role may do with the retention store: the application's role places and
// lifts holds, grants erasure requests and reads proofs, but cannot sweep,
// which reads and deletes the medical file too (rule O6); the eraser, given
// both roles, sweeps both files, holds respected (G3); no role may change
// or delete a proof.
func TestRetentionGrants(t *testing.T) {
	ctx := context.Background()
	owner := pgstore.PoolForTest(t, pgx.QueryExecModeExec)
	schema := pgstore.SchemaForTest(t)
	s := pgstore.NewForTest(t, owner, &pgstore.Options{Schema: schema})
	seedSweep(t, owner, s, 3, 10) // 3 subjects, 30 records, 3 of them medical

	app, medical, eraser := schema+"_app", schema+"_physician", schema+"_eraser"
	for _, role := range []string{app, medical, eraser} {
		if _, err := owner.Exec(ctx, "CREATE ROLE "+pgx.Identifier{role}.Sanitize()+" LOGIN"); err != nil {
			t.Fatalf("CREATE ROLE: %v", err)
		}
		t.Cleanup(func() {
			id := pgx.Identifier{role}.Sanitize()
			if _, err := owner.Exec(context.Background(), "DROP OWNED BY "+id); err != nil {
				t.Errorf("DROP OWNED: %v", err)
			}
			if _, err := owner.Exec(context.Background(), "DROP ROLE "+id); err != nil {
				t.Errorf("DROP ROLE: %v", err)
			}
		})
	}
	grants, err := pgstore.Grants(schema, app, medical)
	if err != nil {
		t.Fatal(err)
	}
	grants = append(grants, "GRANT "+pgx.Identifier{app}.Sanitize()+", "+pgx.Identifier{medical}.Sanitize()+" TO "+pgx.Identifier{eraser}.Sanitize())
	more, err := pgstore.EraserGrants(schema, eraser)
	if err != nil {
		t.Fatal(err)
	}
	grants = append(grants, more...)
	for _, g := range grants {
		if _, err := owner.Exec(ctx, g); err != nil {
			t.Fatalf("%s: %v", g, err)
		}
	}
	as := func(role string) (*retention.Keeper, *pgstore.Store) {
		cfg, err := pgxpool.ParseConfig(pgstore.DSNForTest(t))
		if err != nil {
			t.Fatal(err)
		}
		cfg.ConnConfig.User = role
		cfg.ConnConfig.DefaultQueryExecMode = pgx.QueryExecModeExec
		pool, err := pgxpool.NewWithConfig(ctx, cfg)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(pool.Close)
		st, err := pgstore.New(ctx, pool, &pgstore.Options{Schema: schema, NoMigrate: true})
		if err != nil {
			t.Fatalf("New as %s: %v", role, err)
		}
		r, err := retention.New(st, privacy.Strict(), nil)
		if err != nil {
			t.Fatal(err)
		}
		return r, st
	}
	appR, _ := as(app)
	eraserR, eraserS := as(eraser)
	officer := privacy.Principal{ID: "officer-1", Role: privacy.RolePrivacyOfficer}

	// The application's role keeps holds and requests, but Dossier reads
	// the medical file's entries: only the eraser's role may.
	if _, err := appR.PlaceHold(ctx, officer, retention.Hold{ID: "h-1", Subject: "s-00000001", Ground: retention.GroundLegalClaim,
		Reason: "court case 1"}, sweepNow); !errors.Is(err, privacy.ErrForbidden) {
		t.Errorf("PlaceHold as app (reads the medical file's entries) = %v, want ErrForbidden", err)
	}
	if _, err := eraserR.PlaceHold(ctx, officer, retention.Hold{ID: "h-1", Subject: "s-00000001", Ground: retention.GroundLegalClaim,
		Reason: "court case 1"}, sweepNow); err != nil {
		t.Fatalf("PlaceHold as eraser: %v", err)
	}
	if _, err := appR.Hold(ctx, "h-1"); err != nil {
		t.Errorf("Hold as app: %v", err)
	}
	if _, err := appR.Sweep(ctx, sweeper, sweepNow); !errors.Is(err, privacy.ErrForbidden) {
		t.Errorf("Sweep as app = %v, want ErrForbidden (O6)", err)
	}
	rep, err := eraserR.Sweep(ctx, sweeper, sweepNow)
	if err != nil || rep.Erased != 20 || rep.Held != 10 {
		t.Fatalf("Sweep as eraser = %+v, %v; want 20 erased, 10 held (G3)", rep, err)
	}
	if err := appR.LiftHold(ctx, officer, "h-1", "settled", sweepNow.Add(time.Hour)); err != nil {
		t.Errorf("LiftHold as app: %v", err)
	}
	if ps, err := appR.Proofs(ctx, "s-00000002"); err != nil || len(ps) != 10 {
		t.Errorf("Proofs as app = %d, %v; want 10", len(ps), err)
	}
	// Rules R9, O12: the sweep removed the emptied cases and subjects too,
	// with their proofs, which EraserGrants lets the eraser write; the
	// application's role reads them.
	if got := rep.Kind(privacy.DataSubject); got.Erased != 2 || got.Held != 1 {
		t.Errorf("Sweep as eraser, subjects: %+v, want 2 erased, 1 held (G3)", got)
	}
	if ps, err := appR.ObjectProofs(ctx, "s-00000002"); err != nil || len(ps) != 2 {
		t.Errorf("ObjectProofs as app = %v, %v; want the case's and the subject's", ps, err)
	}
	// Rules R9, O12: the eraser deletes a subject with its consent and its
	// disclosure-log entries (adaptertest.RunDeleteSubject), which the
	// application's role may not.
	g := consent.Grant{ID: "g-1", Subject: "s-00000001", Recipient: consent.Recipient{Party: "lawyer-1", Kind: privacy.PartyThirdParty},
		Categories: []privacy.Category{privacy.CategoryNotes}, Purpose: privacy.PurposeAbsenceGuidance,
		Form: consent.FormWritten, Document: "doc-1", Given: sweepNow, From: sweepNow}
	ev := []privacy.Event{{Time: sweepNow, Principal: "p-1", Subject: "s-00000001"}}
	if err := eraserS.AddGrant(ctx, g, ev); err != nil {
		t.Fatal(err)
	}
	d := consent.Disclosure{ID: "d-1", Subject: "s-00000001", Recipient: g.Recipient, At: sweepNow, Grants: []consent.GrantID{g.ID}}
	if err := eraserS.Disclose(ctx, "s-00000001", "", func([]consent.Grant, []consent.Coverage) consent.Verdict {
		return consent.Verdict{Disclosure: &d, Events: ev}
	}); err != nil {
		t.Fatal(err)
	}
	if err := eraserS.DeleteSubject(ctx, "s-00000001", ev); err != nil {
		t.Fatalf("DeleteSubject as eraser: %v", err)
	}
	if gs, err := s.SubjectGrants(ctx, "s-00000001"); err != nil || len(gs) != 0 {
		t.Errorf("DeleteSubject as eraser left grants %v, %v", gs, err)
	}
	if ds, err := s.SubjectDisclosures(ctx, "s-00000001"); err != nil || len(ds) != 0 {
		t.Errorf("DeleteSubject as eraser left disclosures %v, %v", ds, err)
	}
	var n int
	err = owner.QueryRow(ctx, `SELECT count(*) FROM information_schema.role_table_grants
		WHERE table_schema = $1 AND table_name = 'proofs' AND grantee IN ($2, $3)
		AND privilege_type NOT IN ('SELECT', 'INSERT')`, schema, app, medical).Scan(&n)
	if err != nil || n != 0 {
		t.Errorf("roles hold %d other privileges on proofs (%v)", n, err)
	}
}

// TestOpenRequestEndsR11O13O12 checks that a request's retention period
// runs from its deadline while it stays open (rules R11, O13, O12; issue
// 14 §1).
func TestOpenRequestEndsR11O13O12(t *testing.T) {
	objectkit.RunOpenRequestEnds(t, pgstore.OpenForTest(t, nil))
}

// TestOpenCaseEndsR9O12N7 checks that a case left open goes 2 years after
// its last activity, an absence case after the employment's end if that
// came first, its subject with it, and that the store keeps the activity
// past an erased record (issue 14 §1).
func TestOpenCaseEndsR9O12N7(t *testing.T) {
	objectkit.RunOpenCaseEnds(t, pgstore.OpenForTest(t, nil))
}

// TestOpenCaseRectifiedR9O12 checks that a case left open ends at the
// rectification of a medical record, kept past the record's deletion
// (rules R9, O12).
func TestOpenCaseRectifiedR9O12(t *testing.T) {
	objectkit.RunOpenCaseRectified(t, pgstore.OpenForTest(t, nil))
}
