package pgstore_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/dossierwacht/dossierwacht/access/rights"
	"github.com/dossierwacht/dossierwacht/consent"
	"github.com/dossierwacht/dossierwacht/examples/pgstore"
	"github.com/dossierwacht/dossierwacht/privacy"
	"github.com/dossierwacht/dossierwacht/retention"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// TestGrants runs the statements of Grants for two fresh roles and shows
// that the database keeps the medical file apart (rule O6): the
// application's role cannot read or write it, the medical role can read
// nothing of the case file but the case IDs, and neither may change the
// audit trail (rule G7). Each deletes records of its file, but not held
// ones (rule G3).
func TestGrants(t *testing.T) {
	ctx := context.Background()
	owner := pgstore.PoolForTest(t, pgx.QueryExecModeExec)
	schema := pgstore.SchemaForTest(t)
	s := pgstore.NewForTest(t, owner, &pgstore.Options{Schema: schema})
	t0 := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	if err := s.CreateSubject(ctx, privacy.Subject{ID: "s-1", Created: t0}); err != nil {
		t.Fatal(err)
	}
	if err := s.CreateCase(ctx, privacy.Case{ID: "c-1", Subject: "s-1", Opened: t0}); err != nil {
		t.Fatal(err)
	}
	note := privacy.Record{ID: "r-1", Case: "c-1", Subject: "s-1", Category: privacy.CategoryNotes, Created: t0,
		Fields: map[privacy.Field]string{privacy.FieldText: "note"}}
	finding := privacy.Record{ID: "m-1", Case: "c-1", Subject: "s-1", Category: privacy.CategoryMedical, Created: t0,
		Fields: map[privacy.Field]string{privacy.FieldText: "finding"}}
	if err := s.AddRecords(ctx, note); err != nil {
		t.Fatal(err)
	}
	if err := s.AddMedicalRecords(ctx, finding); err != nil {
		t.Fatal(err)
	}

	app, medical := schema+"_app", schema+"_physician"
	for _, role := range []string{app, medical} {
		if _, err := owner.Exec(ctx, "CREATE ROLE "+pgx.Identifier{role}.Sanitize()+" LOGIN"); err != nil {
			t.Fatalf("CREATE ROLE: %v", err)
		}
		// Cleanups run last first: this one after the schemas are dropped.
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
	for _, g := range grants {
		if _, err := owner.Exec(ctx, g); err != nil {
			t.Fatalf("%s: %v", g, err)
		}
	}
	if _, err := pgstore.Grants("Bad", app, medical); !errors.Is(err, privacy.ErrInvalid) {
		t.Errorf("Grants(bad schema) = %v, want ErrInvalid", err)
	}

	as := func(role string) *pgstore.Store {
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
		// The schema is current: a role without the right to change it
		// opens the store all the same.
		st, err := pgstore.New(ctx, pool, &pgstore.Options{Schema: schema})
		if err != nil {
			t.Fatalf("New as %s: %v", role, err)
		}
		return st
	}
	appStore, medStore := as(app), as(medical)

	t.Run("O6_app_role_works_the_case_file", func(t *testing.T) {
		if _, err := appStore.Record(ctx, "r-1"); err != nil {
			t.Errorf("Record: %v", err)
		}
		r := note
		r.ID = "r-2"
		if err := appStore.AddRecords(ctx, r); err != nil {
			t.Errorf("AddRecords: %v", err)
		}
		if _, err := appStore.AppendEvents(ctx, privacy.Event{Time: t0, Principal: "cm-1", Subject: "s-1"}); err != nil {
			t.Errorf("AppendEvents: %v", err)
		}
	})
	t.Run("O6_app_role_never_reaches_the_medical_file", func(t *testing.T) {
		if _, err := appStore.MedicalRecord(ctx, "m-1"); !errors.Is(err, privacy.ErrForbidden) {
			t.Errorf("MedicalRecord = %v, want ErrForbidden", err)
		}
		for _, err := range appStore.CaseMedicalRecords(ctx, "c-1") {
			if !errors.Is(err, privacy.ErrForbidden) {
				t.Errorf("CaseMedicalRecords = %v, want ErrForbidden", err)
			}
		}
		r := finding
		r.ID = "m-2"
		if err := appStore.AddMedicalRecords(ctx, r); !errors.Is(err, privacy.ErrForbidden) {
			t.Errorf("AddMedicalRecords = %v, want ErrForbidden", err)
		}
		// Erasing a case needs the medical file too: refused whole.
		if err := appStore.DeleteCase(ctx, "c-1"); !errors.Is(err, privacy.ErrForbidden) {
			t.Errorf("DeleteCase = %v, want ErrForbidden", err)
		}
		if _, err := s.Record(ctx, "r-1"); err != nil {
			t.Errorf("a refused DeleteCase removed a record: %v", err)
		}
	})
	t.Run("O6_medical_role_works_the_medical_file", func(t *testing.T) {
		got, err := medStore.MedicalRecord(ctx, "m-1")
		if err != nil || got.Fields[privacy.FieldText] != "finding" {
			t.Errorf("MedicalRecord = %+v, %v", got, err)
		}
		r := finding
		r.ID = "m-3"
		if err := medStore.AddMedicalRecords(ctx, r); err != nil {
			t.Errorf("AddMedicalRecords: %v", err)
		}
		n := 0
		for _, err := range medStore.CaseMedicalRecords(ctx, "c-1") {
			if err != nil {
				t.Fatalf("CaseMedicalRecords: %v", err)
			}
			n++
		}
		if n != 2 {
			t.Errorf("CaseMedicalRecords = %d records, want 2", n)
		}
		for _, err := range medStore.CaseMedicalRecords(ctx, "c-9") {
			if !errors.Is(err, privacy.ErrNotFound) {
				t.Errorf("CaseMedicalRecords(missing case) = %v, want ErrNotFound", err)
			}
		}
	})
	t.Run("O6_medical_role_never_reads_the_case_file", func(t *testing.T) {
		if _, err := medStore.Record(ctx, "r-1"); !errors.Is(err, privacy.ErrForbidden) {
			t.Errorf("Record = %v, want ErrForbidden", err)
		}
		if _, err := medStore.Case(ctx, "c-1"); !errors.Is(err, privacy.ErrForbidden) {
			t.Errorf("Case = %v, want ErrForbidden", err)
		}
		if _, err := medStore.Subject(ctx, "s-1"); !errors.Is(err, privacy.ErrForbidden) {
			t.Errorf("Subject = %v, want ErrForbidden", err)
		}
	})
	t.Run("G3_both_roles_delete_what_no_hold_keeps", func(t *testing.T) {
		r1, r2, m1, m2 := note, note, finding, finding
		r1.ID, r2.ID, m1.ID, m2.ID = "r-g1", "r-g2", "m-g1", "m-g2"
		if err := s.AddRecords(ctx, r1, r2); err != nil {
			t.Fatal(err)
		}
		if err := s.AddMedicalRecords(ctx, m1, m2); err != nil {
			t.Fatal(err)
		}
		ev := privacy.Event{Time: t0, Principal: "officer-1", Subject: "s-1", Rule: privacy.G3}
		if err := s.PlaceHold(ctx, retention.Hold{ID: "h-1", Subject: "s-1", Records: []privacy.RecordID{r1.ID, m1.ID},
			Ground: retention.GroundLegalClaim, Reason: "claim 1", PlacedBy: "officer-1", Placed: t0}, ev); err != nil {
			t.Fatal(err)
		}
		held := func(what string, err error) {
			t.Helper()
			if !errors.Is(err, privacy.ErrForbidden) || privacy.RuleOf(err) != privacy.G3 {
				t.Errorf("%s of a held record = %v, want ErrForbidden by rule G3", what, err)
			}
		}
		held("DeleteRecord as the application", appStore.DeleteRecord(ctx, r1.ID))
		held("DeleteMedicalRecord as the physician", medStore.DeleteMedicalRecord(ctx, m1.ID))
		if err := appStore.DeleteRecord(ctx, r2.ID); err != nil {
			t.Errorf("DeleteRecord as the application: %v", err)
		}
		if err := medStore.DeleteMedicalRecord(ctx, m2.ID); err != nil {
			t.Errorf("DeleteMedicalRecord as the physician: %v", err)
		}
		// The physicians' role sees what a hold covers, not why.
		if _, err := medStore.Hold(ctx, "h-1"); !errors.Is(err, privacy.ErrForbidden) {
			t.Errorf("Hold as the physician = %v, want ErrForbidden", err)
		}
		if err := s.LiftHold(ctx, "h-1", "officer-1", t0.Add(time.Hour), "settled", ev); err != nil {
			t.Fatal(err)
		}
		if err := appStore.DeleteRecord(ctx, r1.ID); err != nil {
			t.Errorf("DeleteRecord as the application after the hold was lifted: %v", err)
		}
		if err := medStore.DeleteMedicalRecord(ctx, m1.ID); err != nil {
			t.Errorf("DeleteMedicalRecord as the physician after the hold was lifted: %v", err)
		}
	})
	t.Run("O6_physician_deletes_through_the_dossiers_medical_file", func(t *testing.T) {
		m := finding
		m.ID = "m-d1"
		if err := s.AddMedicalRecords(ctx, m); err != nil {
			t.Fatal(err)
		}
		d, err := privacy.NewDossiers(medStore, privacy.Strict())
		if err != nil {
			t.Fatal(err)
		}
		// DeleteRecord asks the ordinary file first, which this role may
		// not read; DeleteMedicalRecord goes to the medical file alone.
		if err := d.DeleteRecord(ctx, m.ID); !errors.Is(err, privacy.ErrForbidden) {
			t.Errorf("Dossiers.DeleteRecord as the physician = %v, want ErrForbidden (the ordinary file)", err)
		}
		if err := d.DeleteMedicalRecord(ctx, m.ID); err != nil {
			t.Errorf("Dossiers.DeleteMedicalRecord as the physician: %v", err)
		}
		if _, err := s.MedicalRecord(ctx, m.ID); !errors.Is(err, privacy.ErrNotFound) {
			t.Errorf("MedicalRecord after the physician's delete = %v, want ErrNotFound", err)
		}
	})
	t.Run("O6_both_roles_record_consent_and_disclose", func(t *testing.T) {
		for i, st := range []*pgstore.Store{appStore, medStore} {
			g := consent.Grant{ID: consent.GrantID(fmt.Sprintf("g-%d", i)), Subject: "s-1",
				Recipient:  consent.Recipient{Party: "lawyer-1", Kind: privacy.PartyThirdParty},
				Categories: []privacy.Category{privacy.CategoryNotes}, Purpose: privacy.PurposeAbsenceGuidance,
				Form: consent.FormWritten, Document: "doc-1", Given: t0, From: t0}
			if err := st.AddGrant(ctx, g, nil); err != nil {
				t.Errorf("AddGrant: %v", err)
			}
			d := consent.Disclosure{ID: consent.DisclosureID(fmt.Sprintf("d-%d", i)), Subject: "s-1", Recipient: g.Recipient,
				Items: []consent.Item{{Category: privacy.CategoryNotes}}, At: t0, Grants: []consent.GrantID{g.ID}}
			if err := st.Disclose(ctx, "s-1", "", func([]consent.Grant, []consent.Coverage) consent.Verdict {
				return consent.Verdict{Disclosure: &d, Events: []privacy.Event{{Time: t0, Principal: "p-1", Subject: "s-1"}}}
			}); err != nil {
				t.Errorf("Disclose: %v", err)
			}
			if _, err := st.RevokeGrant(ctx, g.ID, t0.Add(time.Hour), nil); err != nil {
				t.Errorf("RevokeGrant: %v", err)
			}
		}
		// Neither may rewrite the disclosure log.
		var n int
		err := owner.QueryRow(ctx, `SELECT count(*) FROM information_schema.role_table_grants
			WHERE table_schema = $1 AND table_name = 'disclosures' AND grantee IN ($2, $3)
			AND privilege_type NOT IN ('SELECT', 'INSERT')`, schema, app, medical).Scan(&n)
		if err != nil || n != 0 {
			t.Errorf("roles hold %d other privileges on disclosures (%v)", n, err)
		}
	})
	t.Run("app_role_files_requests", func(t *testing.T) {
		r := rights.Request{ID: "req-1", Subject: "s-1", Kind: rights.KindAccess, Form: rights.FormWritten,
			Received: t0, Status: rights.StatusReceived,
			History: []rights.Step{{Kind: rights.StepFiled, Status: rights.StatusReceived, At: t0, By: "cm-1"}}}
		if err := appStore.CreateRequest(ctx, r); err != nil {
			t.Errorf("CreateRequest: %v", err)
		}
		if _, err := appStore.OpenRequests(ctx); err != nil {
			t.Errorf("OpenRequests: %v", err)
		}
	})
	t.Run("G7_no_role_changes_the_audit_trail", func(t *testing.T) {
		for _, st := range []*pgstore.Store{appStore, medStore} {
			if _, err := st.AppendEvents(ctx, privacy.Event{Time: t0, Principal: "p-1"}); err != nil {
				t.Errorf("AppendEvents: %v", err)
			}
		}
		// Neither role was granted UPDATE or DELETE on audit_events.
		var n int
		err := owner.QueryRow(ctx, `SELECT count(*) FROM information_schema.role_table_grants
			WHERE table_schema = $1 AND table_name = 'audit_events' AND grantee IN ($2, $3)
			AND privilege_type NOT IN ('SELECT', 'INSERT')`, schema, app, medical).Scan(&n)
		if err != nil || n != 0 {
			t.Errorf("roles hold %d other privileges on audit_events (%v)", n, err)
		}
	})
}
