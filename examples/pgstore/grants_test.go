package pgstore_test

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"regexp"
	"slices"
	"testing"
	"time"

	"github.com/dossierwacht/dossierwacht/access"
	"github.com/dossierwacht/dossierwacht/consent"
	"github.com/dossierwacht/dossierwacht/examples/pgstore"
	"github.com/dossierwacht/dossierwacht/privacy"
	"github.com/dossierwacht/dossierwacht/retention"
	"github.com/dossierwacht/dossierwacht/rights"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
)

// TestGrants runs the statements of Grants for two fresh roles and shows
// that the database keeps the medical file apart (rule O6): the
// application's role cannot read or write it, the medical role can read
// nothing of the case file but the case IDs, and neither may change the
// audit trail (rule G7), the medical role appending to it only through
// the function append_events, for every write and read of the medical
// file (rules O1, N9). Each changes and deletes records of its file, but
// not held ones (rule G3), and adds records only to open cases (R4).
// doctor is the physician who acts through the physicians' role.
var doctor = privacy.Act{By: privacy.Principal{ID: "dr-1", Role: privacy.RolePhysician, Secrecy: privacy.SecrecyProfessional,
	MultiFactor: true}, At: time.Date(2026, 3, 3, 9, 0, 0, 0, time.UTC)}

// trail is the whole audit trail of s.
func trail(t *testing.T, s *pgstore.Store) []privacy.Event {
	t.Helper()
	var out []privacy.Event
	for e, err := range s.Events(context.Background(), 1) {
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, e)
	}
	return out
}

func TestGrants(t *testing.T) {
	ctx := context.Background()
	owner := pgstore.PoolForTest(t, pgx.QueryExecModeExec)
	schema := pgstore.SchemaForTest(t)
	s := pgstore.NewForTest(t, owner, &pgstore.Options{Schema: schema})
	t0 := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	audit := []privacy.Event{{Time: t0, Principal: "p-1", Subject: "s-1", Action: privacy.EventCreate}}
	if err := s.CreateSubject(ctx, privacy.Subject{ID: "s-1", Created: t0}, audit); err != nil {
		t.Fatal(err)
	}
	if err := s.CreateCase(ctx, privacy.Case{ID: "c-1", Subject: "s-1", Opened: t0}, audit); err != nil {
		t.Fatal(err)
	}
	note := privacy.Record{ID: "r-1", Case: "c-1", Subject: "s-1", Category: privacy.CategoryNotes, Created: t0,
		Fields: map[privacy.Field]string{privacy.FieldText: "note"}}
	finding := privacy.Record{ID: "m-1", Case: "c-1", Subject: "s-1", Category: privacy.CategoryMedical, Created: t0,
		Fields: map[privacy.Field]string{privacy.FieldText: "finding"}}
	if err := s.AddRecords(ctx, []privacy.Record{note}, audit); err != nil {
		t.Fatal(err)
	}
	if err := s.AddMedicalRecords(ctx, []privacy.Record{finding}, audit); err != nil {
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

	as := func(role string) (*pgstore.Store, *pgxpool.Pool) {
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
		return st, pool
	}
	appStore, _ := as(app)
	medStore, medPool := as(medical)

	t.Run("O6_app_role_works_the_case_file", func(t *testing.T) {
		if _, err := appStore.Record(ctx, "r-1"); err != nil {
			t.Errorf("Record: %v", err)
		}
		r := note
		r.ID = "r-2"
		if err := appStore.AddRecords(ctx, []privacy.Record{r}, audit); err != nil {
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
		if err := appStore.AddMedicalRecords(ctx, []privacy.Record{r}, audit); !errors.Is(err, privacy.ErrForbidden) {
			t.Errorf("AddMedicalRecords = %v, want ErrForbidden", err)
		}
		// Erasing a case needs the medical file too: refused whole.
		if err := appStore.DeleteCase(ctx, "c-1", audit); !errors.Is(err, privacy.ErrForbidden) {
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
		if err := medStore.AddMedicalRecords(ctx, []privacy.Record{r}, audit); err != nil {
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
	t.Run("O6_medical_role_reads_a_case_medical_file_by_subject", func(t *testing.T) {
		// Issue 14 §2: the read by subject and case works for the
		// physicians' role, which asks whether the case is the subject's
		// through case_of_subject (migration 0063), never reading cases.
		want, err := collectRecords(medStore.CaseMedicalRecords(ctx, "c-1"))
		if err != nil {
			t.Fatal(err)
		}
		got, err := collectRecords(medStore.SubjectCaseMedicalRecords(ctx, "s-1", "c-1"))
		if err != nil || len(got) != len(want) || len(got) == 0 {
			t.Fatalf("SubjectCaseMedicalRecords as the physician = %d records, %v; want %d", len(got), err, len(want))
		}
		for i := range got {
			if got[i].ID != want[i].ID {
				t.Errorf("record %d = %s, want %s", i, got[i].ID, want[i].ID)
			}
		}
		if got, err := collectRecords(medStore.SubjectCaseMedicalRecords(ctx, "s-2", "c-1")); len(got) != 0 || !errors.Is(err, privacy.ErrNotFound) {
			t.Errorf("SubjectCaseMedicalRecords of another subject as the physician = %d records, %v; want ErrNotFound", len(got), err)
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
		if err := s.AddRecords(ctx, []privacy.Record{r1, r2}, audit); err != nil {
			t.Fatal(err)
		}
		if err := s.AddMedicalRecords(ctx, []privacy.Record{m1, m2}, audit); err != nil {
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
		held("DeleteRecord as the application", appStore.DeleteRecord(ctx, r1.ID, audit))
		held("DeleteMedicalRecord as the physician", medStore.DeleteMedicalRecord(ctx, m1.ID, audit))
		// Rule G3: a held record is not overwritten either, not even
		// with empty content.
		empty := map[privacy.Field]string{privacy.FieldText: ""}
		r1x, m1x := r1, m1
		r1x.Fields, m1x.Fields = empty, empty
		held("UpdateRecord as the application", appStore.UpdateRecord(ctx, r1x, audit))
		held("UpdateMedicalRecord as the physician", medStore.UpdateMedicalRecord(ctx, m1x, audit))
		if got, err := s.MedicalRecord(ctx, m1.ID); err != nil || got.Fields[privacy.FieldText] != "finding" {
			t.Errorf("held m-g1 after a refused update = %+v, %v", got, err)
		}
		if err := medStore.UpdateMedicalRecord(ctx, func() privacy.Record { m := m2; m.Fields = empty; return m }(), audit); err != nil {
			t.Errorf("UpdateMedicalRecord of a record no hold keeps, as the physician: %v", err)
		}
		if err := appStore.DeleteRecord(ctx, r2.ID, audit); err != nil {
			t.Errorf("DeleteRecord as the application: %v", err)
		}
		if err := medStore.DeleteMedicalRecord(ctx, m2.ID, audit); err != nil {
			t.Errorf("DeleteMedicalRecord as the physician: %v", err)
		}
		// The physicians' role sees what a hold covers, not why.
		if _, err := medStore.Hold(ctx, "h-1"); !errors.Is(err, privacy.ErrForbidden) {
			t.Errorf("Hold as the physician = %v, want ErrForbidden", err)
		}
		if err := s.LiftHold(ctx, "h-1", "officer-1", t0.Add(time.Hour), "settled", ev); err != nil {
			t.Fatal(err)
		}
		if err := appStore.DeleteRecord(ctx, r1.ID, audit); err != nil {
			t.Errorf("DeleteRecord as the application after the hold was lifted: %v", err)
		}
		if err := medStore.DeleteMedicalRecord(ctx, m1.ID, audit); err != nil {
			t.Errorf("DeleteMedicalRecord as the physician after the hold was lifted: %v", err)
		}
	})
	t.Run("O6_physician_deletes_through_the_dossiers_medical_file", func(t *testing.T) {
		m := finding
		m.ID = "m-d1"
		if err := s.AddMedicalRecords(ctx, []privacy.Record{m}, audit); err != nil {
			t.Fatal(err)
		}
		d, err := privacy.NewDossiers(medStore, privacy.Strict())
		if err != nil {
			t.Fatal(err)
		}
		// DeleteRecord asks the ordinary file first, which this role may
		// not read; DeleteMedicalRecord goes to the medical file alone.
		if err := d.DeleteRecord(ctx, doctor, m.ID); !errors.Is(err, privacy.ErrForbidden) {
			t.Errorf("Dossiers.DeleteRecord as the physician = %v, want ErrForbidden (the ordinary file)", err)
		}
		if err := d.DeleteMedicalRecord(ctx, doctor, m.ID); err != nil {
			t.Errorf("Dossiers.DeleteMedicalRecord as the physician: %v", err)
		}
		if _, err := s.MedicalRecord(ctx, m.ID); !errors.Is(err, privacy.ErrNotFound) {
			t.Errorf("MedicalRecord after the physician's delete = %v, want ErrNotFound", err)
		}
	})
	t.Run("G7_medical_role_audits_through_append_chained_only", func(t *testing.T) {
		// Rules O1, G7, N9: the physicians' side audits its reads and
		// writes of the medical file, through the function alone.
		m := finding
		m.ID = "m-a1"
		if err := medStore.AddMedicalRecords(ctx, []privacy.Record{m}, audit); err != nil {
			t.Fatalf("AddMedicalRecords as the physician: %v", err)
		}
		d, err := privacy.NewDossiers(medStore, privacy.Strict())
		if err != nil {
			t.Fatal(err)
		}
		before := len(trail(t, s))
		if _, err := d.MedicalRecord(ctx, doctor, m.ID); err != nil {
			t.Fatalf("Dossiers.MedicalRecord as the physician: %v", err)
		}
		for _, err := range d.CaseMedicalRecords(ctx, doctor, "c-1") {
			if err != nil {
				t.Fatalf("Dossiers.CaseMedicalRecords as the physician: %v", err)
			}
		}
		if err := d.DeleteMedicalRecord(ctx, doctor, m.ID); err != nil {
			t.Fatalf("Dossiers.DeleteMedicalRecord as the physician: %v", err)
		}
		evs := trail(t, s)[before:]
		var got []string
		for _, e := range evs {
			got = append(got, string(e.Principal)+" "+string(e.Action)+" "+e.Object)
		}
		want := []string{"dr-1 read m-a1", "dr-1 read ", "dr-1 delete m-a1"}
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("the physician's events = %q, want %q", got, want)
		}
		if _, err := access.VerifyChains(s.ChainEvents(ctx), access.VerifyOptions{}); err != nil {
			t.Errorf("G7: the trail with the physician's events does not verify: %v", err)
		}
		// No row of its own making: the role may not insert.
		_, err = medPool.Exec(ctx, `INSERT INTO `+pgx.Identifier{schema, "audit_events"}.Sanitize()+
			` (seq, principal, role, on_behalf_of, purpose, subject, case_id, category, object, action, outcome, rule, policy,
			access_point, client, prev, hash) VALUES (1000000, 'x', '', '', '', '', '', '', '', '', '', '', '', '', '', '', '')`)
		var pe *pgconn.PgError
		if !errors.As(err, &pe) || pe.Code != "42501" {
			t.Errorf("INSERT into the audit trail as the physician = %v, want permission denied", err)
		}
		// The functions run as the owner with a fixed search_path: every
		// function a role is granted (rules G7, N9, N12: the trail is
		// appended, read at its heads and pruned only through them), and
		// append_events, which only refuses since migration 0060.
		fns := []string{"append_events"}
		eraser, err := pgstore.EraserGrants(schema, "eraser")
		if err != nil {
			t.Fatal(err)
		}
		for _, g := range append(slices.Clone(grants), eraser...) {
			for _, m := range regexp.MustCompile(`FUNCTION "[^"]+"\.(\w+)\(`).FindAllStringSubmatch(g, -1) {
				if !slices.Contains(fns, m[1]) {
					fns = append(fns, m[1])
				}
			}
		}
		for _, want := range []string{"append_chained", "chain_head_locked", "prune_chain", "lock_cases", "lock_subject"} {
			if !slices.Contains(fns, want) {
				t.Errorf("the grants give no role %s: %q", want, fns)
			}
		}
		for _, fn := range fns {
			var definer bool
			var config []string
			if err := owner.QueryRow(ctx, `SELECT p.prosecdef, coalesce(p.proconfig, '{}') FROM pg_proc p
				JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = $1 AND p.proname = $2`, schema, fn).
				Scan(&definer, &config); err != nil {
				t.Fatalf("%s: %v", fn, err)
			}
			if !definer || fmt.Sprint(config) != "[search_path=pg_catalog, pg_temp]" {
				t.Errorf("%s: SECURITY DEFINER %t, config %q; want a definer with a fixed search_path", fn, definer, config)
			}
		}
		// Columns of different lengths are refused, and nothing lands.
		n := len(trail(t, s))
		_, err = medPool.Exec(ctx, `SELECT * FROM `+pgx.Identifier{schema}.Sanitize()+`.append_events(
			ARRAY[now()], ARRAY['a','b'], '{}', '{}', '{}', '{}', '{}', '{}', '{}', '{}', '{}', '{}', '{}', '{}', '{}')`)
		if err == nil || len(trail(t, s)) != n {
			t.Errorf("append_events(ragged columns) = %v, %d events added", err, len(trail(t, s))-n)
		}
	})
	t.Run("R4_medical_role_adds_only_to_open_cases", func(t *testing.T) {
		c := privacy.Case{ID: "c-closed", Subject: "s-1", Opened: t0}
		if err := s.CreateCase(ctx, c, audit); err != nil {
			t.Fatal(err)
		}
		c.Closed = t0.Add(time.Hour)
		if err := s.UpdateCase(ctx, c, audit); err != nil {
			t.Fatal(err)
		}
		m := finding
		m.ID, m.Case = "m-late", c.ID
		if err := medStore.AddMedicalRecords(ctx, []privacy.Record{m}, audit); !errors.Is(err, privacy.ErrConflict) ||
			privacy.RuleOf(err) != privacy.R4 {
			t.Errorf("AddMedicalRecords to a closed case as the physician = %v, want ErrConflict by R4", err)
		}
		r := note
		r.ID, r.Case = "r-late", c.ID
		if err := appStore.AddRecords(ctx, []privacy.Record{r}, audit); !errors.Is(err, privacy.ErrConflict) ||
			privacy.RuleOf(err) != privacy.R4 {
			t.Errorf("AddRecords to a closed case as the application = %v, want ErrConflict by R4", err)
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
		if err := appStore.CreateRequest(ctx, r, audit); err != nil {
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
		// Neither role was granted INSERT, UPDATE or DELETE on the trail
		// or its anchors: they append and prune only through the
		// functions that check numbers and links (issue 14, E); the
		// physicians' role reads none of it.
		var n int
		err := owner.QueryRow(ctx, `SELECT count(*) FROM information_schema.role_table_grants
			WHERE table_schema = $1 AND table_name IN ('audit_events', 'audit_anchors') AND grantee IN ($2, $3)
			AND (privilege_type <> 'SELECT' OR grantee = $3)`, schema, app, medical).Scan(&n)
		if err != nil || n != 0 {
			t.Errorf("roles hold %d other privileges on audit_events (%v)", n, err)
		}
		err = owner.QueryRow(ctx, `SELECT count(*) FROM information_schema.role_table_grants
			WHERE table_schema = $1 AND table_name = 'audit_events_legacy' AND grantee IN ($2, $3)`, schema, app, medical).Scan(&n)
		if err != nil || n != 0 {
			t.Errorf("roles hold %d privileges on audit_events_legacy (%v)", n, err)
		}
	})
	t.Run("N9_app_role_prunes_the_legacy_chain", func(t *testing.T) {
		// A legacy event past the audit retention and one within it, as a
		// database upgraded from before migration 0060 keeps them.
		for i, at := range []time.Time{t0.AddDate(-6, 0, 0), t0} {
			if _, err := owner.Exec(ctx, `INSERT INTO `+pgx.Identifier{schema, "audit_events_legacy"}.Sanitize()+`
	(seq, time, principal, role, on_behalf_of, purpose, subject, case_id, category, object, action, outcome, rule, policy,
	access_point, client, prev, hash) VALUES ($1, $2, 'cm-1', 'case-manager', '', '', 's-1', 'c-1', 'notes', 'r-1', 'read',
	'allowed', 'R7', '1.0.0', '', '', $3, $3)`, i+1, at, make([]byte, 32)); err != nil {
				t.Fatal(err)
			}
		}
		sweep := privacy.Event{Time: t0, Principal: "officer-1", Role: privacy.RolePrivacyOfficer, Object: "audit-trail",
			Action: privacy.EventDelete, Outcome: privacy.OutcomeAllowed, Rule: privacy.N9, Policy: "1.0.0"}
		if _, err := medStore.PruneAudit(ctx, t0.AddDate(-5, 0, 0), sweep); !errors.Is(err, privacy.ErrForbidden) {
			t.Errorf("PruneAudit as the physicians' role = %v, want ErrForbidden", err)
		}
		if n, err := appStore.PruneAudit(ctx, t0.AddDate(-5, 0, 0), sweep); err != nil || n != 1 {
			t.Errorf("PruneAudit as the application's role = %d, %v; want the 1 legacy event", n, err)
		}
		var left []int64
		rows, err := owner.Query(ctx, `SELECT seq FROM `+pgx.Identifier{schema, "audit_events_legacy"}.Sanitize()+` ORDER BY seq`)
		if err == nil {
			left, err = pgx.CollectRows(rows, pgx.RowTo[int64])
		}
		if err != nil || len(left) != 1 || left[0] != 2 {
			t.Errorf("legacy events left %v (%v), want [2]", left, err)
		}
	})
}

func collectRecords(seq iter.Seq2[privacy.Record, error]) ([]privacy.Record, error) {
	var out []privacy.Record
	for r, err := range seq {
		if err != nil {
			return out, err
		}
		out = append(out, r)
	}
	return out, nil
}
