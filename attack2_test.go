package dossierwacht_test

// A second attack review through the public API (Service, the engines'
// exported packages): each subtest of TestAttack reproduces one break and
// FAILS on the code it was written against; the subtest name names the
// rule. The fixes are not part of this file.

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/dossierwacht/dossierwacht"
	"github.com/dossierwacht/dossierwacht/access"
	"github.com/dossierwacht/dossierwacht/consent"
	"github.com/dossierwacht/dossierwacht/privacy"
	"github.com/dossierwacht/dossierwacht/retention"
	"github.com/dossierwacht/dossierwacht/rights"
)

// withZed registers zed, an employee of the garage (not the bakery), with
// an absence case zed-case, as the service's case manager.
func withZed(t *testing.T, w *world) {
	t.Helper()
	ctx := context.Background()
	carla := dossierwacht.NewActor(privacy.Principal{ID: "carla", Role: privacy.RoleCaseManager, Party: "arbo",
		Secrecy: privacy.SecrecyAgreement}, []privacy.CaseID{"zed-case"}, nil)
	garage := privacy.Contract{ID: "contract-g", Party: "garage", PartyKind: privacy.PartyEmployer, Start: contract.Start}
	must(t, w.svc.RegisterSubject(ctx, carla, privacy.Subject{ID: "zed", Employer: "garage"}))
	must(t, w.svc.OpenCase(ctx, carla, privacy.Case{ID: "zed-case", Subject: "zed", Kind: privacy.CaseAbsence,
		Purpose: privacy.PurposeAbsenceGuidance, Contract: garage}))
}

func TestAttack(t *testing.T) {
	ctx := context.Background()

	// Rule O2 (and O10's "not even their existence" for subjects): an
	// employer contact opens cases only for its own employees. The bakery's
	// contact opens an absence case for the garage's employee under its own
	// contract — and the answer tells an existing subject (success) from a
	// missing one (not found).
	t.Run("O2_employer_opens_case_for_another_employers_employee", func(t *testing.T) {
		w := newWorld(t)
		withZed(t, w)
		bert := w.actors[privacy.RoleEmployerContact]
		err := w.svc.OpenCase(ctx, bert, privacy.Case{ID: "bert-zed", Subject: "zed", Kind: privacy.CaseAbsence,
			Purpose: privacy.PurposeAbsenceGuidance, Contract: contract})
		if err == nil {
			t.Errorf("the bakery opened a case for the garage's employee zed")
			if v, err := w.svc.View(ctx, bert, "bert-zed", privacy.PurposeAbsenceGuidance); err == nil {
				t.Logf("and views it: %d records, rule %s", len(v.Records), v.Rule)
			}
		}
		// The refusal says no more than RegisterSubject does of the same
		// ID (taken); a sick report of a person the service does not know
		// registers them (O8), so it never tells whether the service knew
		// them from a visit (O10).
		if !errors.Is(err, privacy.ErrExists) || privacy.RuleOf(err) != privacy.O2 {
			t.Errorf("another employer's employee answers %v, want ErrExists naming O2", err)
		}
		if _, cerr := w.store.Case(ctx, "bert-zed"); !errors.Is(cerr, privacy.ErrNotFound) {
			t.Errorf("the refused case was stored: %v", cerr)
		}
		must(t, w.svc.OpenCase(ctx, bert, privacy.Case{ID: "bert-nobody", Subject: "nobody", Kind: privacy.CaseAbsence,
			Purpose: privacy.PurposeAbsenceGuidance, Contract: contract}))
		if s, err := w.store.Subject(ctx, "nobody"); err != nil || s.Employer != bakery {
			t.Errorf("the sick report of a new employee did not register them with the bakery: %+v, %v", s, err)
		}
	})

	// Rules O13, O6: medical data goes to the subject through the
	// physician. The subject's own export takes any ExportOptions.ReleasedBy
	// — an actor value that never acted — and carries the medical file,
	// with audit events in the name of a physician who did nothing.
	t.Run("O13_O6_subject_export_with_a_forged_release", func(t *testing.T) {
		w := newWorld(t)
		dirk := w.actors[privacy.RolePhysician]
		must(t, w.svc.AddRecords(ctx, dirk, privacy.Record{ID: "r-medical", Case: case1, Subject: anna, Category: privacy.CategoryMedical,
			Source: privacy.Source{Kind: privacy.PartyService}, Fields: map[privacy.Field]string{privacy.FieldText: "lumbar strain"}}))
		annaA := w.actors[privacy.RoleSubject]
		forged := dossierwacht.NewActor(privacy.Principal{ID: "dirk", Role: privacy.RolePhysician, Party: "arbo",
			Secrecy: privacy.SecrecyProfessional, MultiFactor: true}, []privacy.CaseID{case1}, nil)
		var buf bytes.Buffer
		_, err := w.svc.Export(ctx, annaA, anna, &buf, &dossierwacht.ExportOptions{ReleasedBy: forged})
		if err == nil && strings.Contains(buf.String(), "lumbar strain") {
			t.Errorf("the subject released the medical file to itself with a physician actor it made up")
		}
	})

	// Rules G7, N9: every access decision, allowed or denied, is audited.
	// A contractor without its agreement (O7) is refused by every verb of
	// the front door without an audit event.
	t.Run("N9_O7_contractor_refusal_not_audited", func(t *testing.T) {
		w := newWorld(t)
		c := *w.actors[privacy.RoleCaseManager]
		c.Contractor = true
		before := len(w.events(t))
		_, err := w.svc.View(ctx, &c, case1, privacy.PurposeAbsenceGuidance)
		if !errors.Is(err, privacy.ErrForbidden) || privacy.RuleOf(err) != privacy.O7 {
			t.Fatalf("View by a contractor without agreement = %v, want O7", err)
		}
		if got := len(w.events(t)) - before; got == 0 {
			t.Errorf("the O7 refusal of a view left no audit event")
		}
	})

	// Rule N9 (and NewID's promise: "creating an object under an ID that
	// is taken fails with privacy.ErrExists (audited)"): probing IDs
	// leaves a trace. These verbs answer ErrExists without one.
	t.Run("N9_taken_ID_refusal_audited", func(t *testing.T) {
		grant := consent.Grant{ID: "g-1", Subject: anna, Recipient: consent.Recipient{Party: "uwv", Kind: privacy.PartyUWV},
			Categories: []privacy.Category{privacy.CategoryNotes}, Purpose: privacy.PurposeAbsenceGuidance,
			Form: consent.FormWritten, Document: "letter-1"}
		hold := retention.Hold{ID: "hold-1", Subject: anna, Ground: retention.GroundLegalClaim, Reason: "case C/16/1"}
		filing := rights.Filing{ID: "req-1", Subject: anna, Kind: rights.KindAccess, Form: rights.FormWritten}
		disclosure := toUWV("d-1", case1, consent.Item{Category: privacy.CategoryAbsenceFacts, Record: "r-facts"})
		for _, tt := range []struct {
			name string
			// do is called twice: the second call meets the taken ID.
			do func(w *world) error
		}{
			{"GrantConsent", func(w *world) error {
				_, err := w.svc.GrantConsent(ctx, w.actors[privacy.RoleCaseManager], grant)
				return err
			}},
			{"RecordCoverage", func(w *world) error {
				_, err := w.svc.RecordCoverage(ctx, w.actors[privacy.RoleCaseManager], consent.Coverage{ID: "cov-2",
					Insurer: "insurer2", Employer: bakery, From: w.now.AddDate(0, -1, 0)})
				return err
			}},
			{"PlaceHold", func(w *world) error {
				_, err := w.svc.PlaceHold(ctx, w.actors[privacy.RolePrivacyOfficer], hold)
				return err
			}},
			{"FileRequest", func(w *world) error {
				_, err := w.svc.FileRequest(ctx, w.actors[privacy.RoleSubject], filing)
				return err
			}},
			{"Disclose", func(w *world) error {
				_, err := w.svc.Disclose(ctx, w.actors[privacy.RoleCaseManager], disclosure)
				return err
			}},
		} {
			t.Run(tt.name, func(t *testing.T) {
				w := newWorld(t)
				must(t, tt.do(w))
				before := len(w.events(t))
				err := tt.do(w)
				if !errors.Is(err, privacy.ErrExists) {
					t.Fatalf("second call = %v, want ErrExists", err)
				}
				events := w.events(t)[before:]
				if len(events) == 0 || events[len(events)-1].Outcome != privacy.OutcomeDenied {
					t.Errorf("a taken ID answered ErrExists with no denied audit event: %+v", events)
				}
			})
		}
	})

	// Rule R7 (O4): only the consultant assigned to the client has access
	// to the client's personal data. A case manager assigned to none of
	// bob's cases answers (and so reads: subject, kind, records, history)
	// bob's request, where a missing request is not found.
	t.Run("R7_unassigned_case_manager_takes_another_subjects_request", func(t *testing.T) {
		w := newWorld(t)
		withBob(t, w)
		bob := dossierwacht.NewActor(privacy.Principal{ID: "bob", Role: privacy.RoleSubject, Subject: "bob"}, nil, nil)
		_, err := w.svc.FileRequest(ctx, bob, rights.Filing{ID: "req-bob", Subject: "bob", Kind: rights.KindErasure,
			Form: rights.FormWritten})
		must(t, err)
		carla := w.actors[privacy.RoleCaseManager] // assigned to anna's case-1 only
		_, missing := w.svc.RefuseRequest(ctx, carla, "req-none", rights.GroundUnfounded, "no")
		r, err := w.svc.RefuseRequest(ctx, carla, "req-bob", rights.GroundUnfounded, "no")
		if err == nil {
			t.Errorf("carla, not assigned to bob, refused bob's erasure request and read it: subject %s, kind %s", r.Subject, r.Kind)
		}
		if !errors.Is(missing, privacy.ErrNotFound) || (err != nil && err.Error() != missing.Error()) {
			t.Errorf("another subject's request answers %v, a missing one %v", err, missing)
		}
	})

	// Rule O6 (and the hidden-vs-missing answer for record IDs): a case
	// manager probing the medical file by UpdateRecord learns which medical
	// record IDs exist in the case: an existing one is refused by O6, a
	// missing one is not found.
	t.Run("O6_update_probes_medical_record_ids", func(t *testing.T) {
		w := newWorld(t)
		must(t, w.svc.AddRecords(ctx, w.actors[privacy.RolePhysician], privacy.Record{ID: "r-medical", Case: case1, Subject: anna,
			Category: privacy.CategoryMedical, Source: privacy.Source{Kind: privacy.PartyService},
			Fields: map[privacy.Field]string{privacy.FieldText: "lumbar strain"}}))
		carla := w.actors[privacy.RoleCaseManager]
		probe := func(id privacy.RecordID) error {
			return w.svc.UpdateRecord(ctx, carla, privacy.Record{ID: id, Case: case1, Subject: anna, Category: privacy.CategoryMedical,
				Source: privacy.Source{Kind: privacy.PartyService}, Fields: map[privacy.Field]string{privacy.FieldText: "x"}})
		}
		present, missing := probe("r-medical"), probe("r-none")
		if errors.Is(present, privacy.ErrNotFound) != errors.Is(missing, privacy.ErrNotFound) ||
			privacy.RuleOf(present) != privacy.RuleOf(missing) {
			t.Errorf("an existing medical record answers %v, a missing one %v", present, missing)
		}
	})

	// Rules O10, N12: a suppressed periodic-examination figure must not
	// tell why in a way that says what it hides. With nobody examined the
	// answer is "O10: all or none are counted"; with one examined it is
	// "N12: fewer than the minimum": the employer learns whether anyone of
	// the group took part.
	t.Run("O10_N12_suppression_reason_tells_none_from_some", func(t *testing.T) {
		answer := func(examined int) (privacy.RuleID, string) {
			w := newWorld(t)
			carla := w.actors[privacy.RoleCaseManager]
			var members []privacy.SubjectID
			for i := range 10 {
				id := privacy.SubjectID(fmt.Sprintf("emp-%d", i))
				members = append(members, id)
				must(t, w.svc.RegisterSubject(ctx, carla, privacy.Subject{ID: id, Employer: bakery}))
				if i < examined {
					must(t, w.svc.OpenCase(ctx, carla, privacy.Case{ID: privacy.CaseID("pe-" + string(id)), Subject: id,
						Kind: privacy.CasePeriodicExam, Purpose: privacy.PurposePrevention, Contract: contract}))
				}
			}
			w.now = time.Date(2026, 4, 2, 9, 0, 0, 0, time.UTC)
			f, err := w.svc.GroupFigure(ctx, w.actors[privacy.RoleEmployerContact], access.GroupRequest{Employer: bakery,
				Figure: access.FigurePeriodicExam, Members: members,
				From: time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC), To: time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC)})
			must(t, err)
			if !f.Suppressed {
				t.Fatalf("figure with %d examined not suppressed: %+v", examined, f)
			}
			return f.Rule, f.Reason
		}
		r0, why0 := answer(0)
		r1, why1 := answer(1)
		if r0 != r1 || why0 != why1 {
			t.Errorf("nobody examined: %s %q; one examined: %s %q", r0, why0, r1, why1)
		}
	})

	// Bad input (STYLE: typed error, changes nothing, never panics): an
	// export to a nil writer panics — after its audit events say the
	// export was made.
	t.Run("G7_export_to_a_nil_writer_panics_after_auditing", func(t *testing.T) {
		w := newWorld(t)
		before := len(w.events(t))
		var err error
		panicked := func() (p bool) {
			defer func() { p = recover() != nil }()
			_, err = w.svc.Export(ctx, w.actors[privacy.RoleSubject], anna, nil, nil)
			return false
		}()
		if panicked || !errors.Is(err, privacy.ErrInvalid) {
			t.Errorf("Export(nil writer): panicked %v, err %v; want ErrInvalid", panicked, err)
		}
		if got := len(w.events(t)) - before; got != 0 {
			t.Errorf("Export(nil writer) wrote %d audit events for an export that was not made", got)
		}
	})

	// Hidden vs missing record IDs (O10, R7): a rectification naming a
	// record of another subject fails otherwise than one naming a record
	// that does not exist (other text, other audit), so a case manager
	// learns which record IDs exist elsewhere.
	t.Run("O10_rectify_names_another_subjects_record_vs_a_missing_one", func(t *testing.T) {
		w := newWorld(t)
		withBob(t, w)
		annaA := w.actors[privacy.RoleSubject]
		carla := w.actors[privacy.RoleCaseManager]
		answer := func(id privacy.RecordID) (int, error) {
			rid := rights.RequestID("req-" + string(id))
			_, err := w.svc.FileRequest(ctx, annaA, rights.Filing{ID: rid, Subject: anna, Kind: rights.KindRectification, Form: rights.FormWritten})
			must(t, err)
			n := len(w.events(t))
			_, err = w.svc.Rectify(ctx, carla, rid, rights.Corrections{id: {privacy.FieldText: "x"}}, "ok")
			return len(w.events(t)) - n, err
		}
		nOther, other := answer("r-bob")
		nMissing, missing := answer("r-none")
		if other == nil || missing == nil || other.Error() != missing.Error() || nOther != nMissing {
			t.Errorf("another subject's record: %v (+%d events); a missing one: %v (+%d events)", other, nOther, missing, nMissing)
		}
	})

	// Rules O13, G3 (the role gate on erasures): only the privacy officer
	// decides an erasure. A physician's Erase, where a hold keeps
	// everything, refuses the subject's request — a write by a role that
	// may not take the step — and hands back the plan, with the hold's
	// ground and reason.
	t.Run("O13_G3_non_officer_erase_refuses_the_request", func(t *testing.T) {
		w := newWorld(t)
		_, err := w.svc.PlaceHold(ctx, w.actors[privacy.RolePrivacyOfficer], retention.Hold{ID: "hold-1", Subject: anna,
			Ground: retention.GroundLegalClaim, Reason: "case C/16/1"})
		must(t, err)
		file(t, w, "req-erase", rights.KindErasure)
		plan, err := w.svc.Erase(ctx, w.actors[privacy.RolePhysician], "req-erase", "no")
		if !errors.Is(err, privacy.ErrForbidden) || privacy.RuleOf(err) == privacy.G3 {
			t.Errorf("Erase by a physician = %v, want refused by the role gate", err)
		}
		if len(plan.Keeps)+len(plan.Changes) > 0 {
			t.Errorf("the physician got the plan: %+v", plan)
		}
		if r, err := w.store.Request(ctx, "req-erase"); err != nil || r.Status != rights.StatusReceived {
			t.Errorf("the physician's Erase changed the request: %s, %v", r.Status, err)
		}
	})

	// Rule R7: a case manager assigned to none of bob's cases calls Erase
	// on bob's erasure request: the retention step refuses it, but the
	// plan — bob's records, cases, categories — is handed back.
	t.Run("R7_unassigned_case_manager_gets_another_subjects_erasure_plan", func(t *testing.T) {
		w := newWorld(t)
		withBob(t, w)
		bob := dossierwacht.NewActor(privacy.Principal{ID: "bob", Role: privacy.RoleSubject, Subject: "bob"}, nil, nil)
		_, err := w.svc.FileRequest(ctx, bob, rights.Filing{ID: "req-bob", Subject: "bob", Kind: rights.KindErasure, Form: rights.FormWritten})
		must(t, err)
		plan, err := w.svc.Erase(ctx, w.actors[privacy.RoleCaseManager], "req-bob", "done")
		if err == nil {
			t.Fatal("carla erased bob's data")
		}
		if len(plan.Changes)+len(plan.Keeps) > 0 {
			t.Errorf("a refused Erase hands carla bob's plan: %+v", plan.Changes)
		}
	})

	// Rule N9 (NEN 7513: from where, which application): the events of
	// legal holds, their lifting, and the erasure and deletions of a
	// granted erasure request carry no access point and no client, though
	// the acting privacy officer had both.
	t.Run("N9_hold_and_erasure_events_lose_access_point_and_client", func(t *testing.T) {
		w := newWorld(t)
		olga := *w.actors[privacy.RolePrivacyOfficer]
		olga.AccessPoint, olga.Client = "10.0.0.7", "officer-desk"
		annaA := *w.actors[privacy.RoleSubject]
		annaA.AccessPoint, annaA.Client = "10.0.0.8", "portal"
		before := len(w.events(t))
		_, err := w.svc.PlaceHold(ctx, &olga, retention.Hold{ID: "hold-1", Subject: anna, Ground: retention.GroundLegalClaim, Reason: "case C/16/1"})
		must(t, err)
		must(t, w.svc.LiftHold(ctx, &olga, "hold-1", "settled"))
		_, err = w.svc.FileRequest(ctx, &annaA, rights.Filing{ID: "req-erase", Subject: anna, Kind: rights.KindErasure,
			Form: rights.FormWritten, Records: []privacy.RecordID{"r-note"}})
		must(t, err)
		w.now = w.now.Add(time.Hour)
		_, err = w.svc.Erase(ctx, &olga, "req-erase", "granted")
		must(t, err)
		for _, e := range w.events(t)[before:] {
			if e.AccessPoint == "" || e.Client == "" {
				t.Errorf("event %d (%s %s by %s, rule %s) has access point %q, client %q", e.Seq, e.Action, e.Object, e.Principal, e.Rule,
					e.AccessPoint, e.Client)
			}
		}
	})

	// Failure halfway (STYLE: a failure leaves the store as it was; O13,
	// G2: the request is answered within its deadline): an Erase whose
	// deletions land and whose answer fails leaves the records gone and
	// the request open, and no retry can answer it: the plan no longer
	// finds the records the request names ("medical record: not found").
	t.Run("O13_G2_erase_failing_at_the_answer_strands_the_request", func(t *testing.T) {
		for n := 0; n < 12; n++ {
			w := newWorld(t)
			olga := w.actors[privacy.RolePrivacyOfficer]
			file(t, w, "req-erase", rights.KindErasure, "r-note")
			w.now = w.now.Add(time.Hour)
			w.store.FailAfter(n)
			_, err := w.svc.Erase(ctx, olga, "req-erase", "granted")
			w.store.FailAfter(-1)
			if err == nil {
				break // no failure injected any more: every n was tried
			}
			if _, gone := w.store.Record(ctx, "r-note"); gone == nil {
				continue // nothing applied: a retry starts afresh
			}
			w.now = w.now.Add(time.Hour)
			_, rerr := w.svc.Erase(ctx, olga, "req-erase", "granted")
			r, err := w.store.Request(ctx, "req-erase")
			must(t, err)
			if r.Status != rights.StatusAnswered {
				t.Errorf("failure after %d writes: r-note erased, request %s; the retry: %v", n, r.Status, rerr)
			}
		}
	})

	// Failure halfway (STYLE; R6, G4, G7): a disclosure is logged as made
	// before what the recipient receives is read; when that read fails
	// (its audit event cannot be written) the caller gets an error and no
	// records, yet the log says the medical record went to the UWV — the
	// subject's export and the G4 notices will say so — and a retry with
	// the same ID is refused as a duplicate.
	t.Run("G7_R6_disclosure_logged_though_nothing_was_handed_over", func(t *testing.T) {
		for n := 0; n < 8; n++ {
			w := newWorld(t)
			dirk := w.actors[privacy.RolePhysician]
			must(t, w.svc.AddRecords(ctx, dirk, privacy.Record{ID: "r-medical", Case: case1, Subject: anna, Category: privacy.CategoryMedical,
				Source: privacy.Source{Kind: privacy.PartyService}, Fields: map[privacy.Field]string{privacy.FieldText: "lumbar strain"}}))
			req := toUWV("d-1", case1, consent.Item{Category: privacy.CategoryMedical, Record: "r-medical"})
			w.store.FailAfter(n)
			d, err := w.svc.Disclose(ctx, dirk, req)
			w.store.FailAfter(-1)
			if err == nil {
				break
			}
			log, lerr := w.store.SubjectDisclosures(ctx, anna)
			must(t, lerr)
			if len(log) > 0 {
				_, retry := w.svc.Disclose(ctx, dirk, req)
				t.Errorf("failure after %d writes: Disclose = %d records, %v; the log holds %d disclosure(s); the retry: %v",
					n, len(d.Records), err, len(log), retry)
			}
		}
	})

	// Rules R2, G1 (GDPR art. 15(1)(g): the source of the data): each
	// record keeps the party that supplied it. The bakery's contact writes
	// a sick report and names any source it likes — the service, the
	// employee, another employer, the UWV — and the record keeps it, so
	// the case file and the subject's export name a false source.
	t.Run("R2_G1_employer_forges_a_records_source", func(t *testing.T) {
		w := newWorld(t)
		bert := w.actors[privacy.RoleEmployerContact]
		for i, src := range []privacy.Source{{Kind: privacy.PartyService}, {Kind: privacy.PartySubject},
			{Kind: privacy.PartyEmployer, Party: "garage"}, {Kind: privacy.PartyUWV, Party: "uwv"}} {
			id := privacy.RecordID(fmt.Sprintf("r-sick-%d", i))
			err := w.svc.AddRecords(ctx, bert, privacy.Record{ID: id, Case: case1, Subject: anna, Category: privacy.CategoryAbsenceFacts,
				Source: src, Fields: map[privacy.Field]string{privacy.FieldFirstDay: "2026-03-02"}})
			if err != nil {
				continue // refused: holds
			}
			r, err := w.store.Record(ctx, id)
			must(t, err)
			if want := (privacy.Source{Kind: privacy.PartyEmployer, Party: bakery}); r.Source != want {
				t.Errorf("the bakery's sick report claims source %+v and keeps it: %+v", src, r.Source)
			}
		}
	})

	// Rules R2, R4, O13: a record keeps its author and the party that
	// supplied it; the service's records are rectified on the subject's
	// request. The bakery's contact overwrites the absence facts the case
	// manager recorded: the record now says bert wrote it, still with the
	// service as its source, and the case manager's version is gone.
	t.Run("R2_R4_employer_overwrites_the_services_record", func(t *testing.T) {
		w := newWorld(t)
		w.now = w.now.Add(time.Minute)
		err := w.svc.UpdateRecord(ctx, w.actors[privacy.RoleEmployerContact], privacy.Record{ID: "r-facts", Case: case1, Subject: anna,
			Category: privacy.CategoryAbsenceFacts, Source: privacy.Source{Kind: privacy.PartyService},
			Fields: map[privacy.Field]string{privacy.FieldFirstDay: "2026-01-01"}})
		r, rerr := w.store.Record(ctx, "r-facts")
		must(t, rerr)
		if err == nil || r.Author != "carla" || r.Fields[privacy.FieldFirstDay] != "2026-03-02" {
			t.Errorf("UpdateRecord by the employer of the case manager's record = %v; record now by %s, source %+v, first day %s",
				err, r.Author, r.Source, r.Fields[privacy.FieldFirstDay])
		}
	})

	// Rule N9 (the time the event started): a Service whose clock reads
	// no time (a broken clock; Service.now says "the operation's
	// validation refuses it") still appends audit events — dated year 1 —
	// for Decide's refusal (which also calls the visible case "not found"),
	// PlanSweep and VerifyAudit.
	t.Run("N9_events_without_a_time_from_a_clock_that_reads_zero", func(t *testing.T) {
		w := newWorld(t)
		svc, err := dossierwacht.Open(ctx, w.store, privacy.Strict(), &dossierwacht.Options{Clock: func() time.Time { return time.Time{} }})
		must(t, err)
		before := len(w.events(t))
		_, derr := svc.Decide(ctx, w.actors[privacy.RoleCaseManager], case1, privacy.ActionRead, privacy.CategoryNotes, "")
		_, _ = svc.PlanSweep(ctx, w.actors[privacy.RolePrivacyOfficer])
		_, _ = svc.VerifyAudit(ctx, w.actors[privacy.RolePrivacyOfficer], nil)
		for _, e := range w.events(t)[before:] {
			if e.Time.IsZero() {
				t.Errorf("event %d (%s %s by %s) has no time; Decide answered %v", e.Seq, e.Action, e.Object, e.Principal, derr)
			}
		}
	})

	// Rule O10 (and N12: an employee may see the company doctor without
	// the employer's permission): the physician registered zoe, a bakery
	// employee, for a consultation-hour visit. The bakery's contact
	// "registers" zoe and is told the ID is taken: the service knows zoe,
	// though every case of hers is hidden from the employer. A subject the
	// employer has not learned of answers as a new one would.
	t.Run("O10_employer_registration_reveals_a_subject_known_only_from_a_consultation", func(t *testing.T) {
		w := newWorld(t)
		zoeFromConsultation(t, w)
		bert := w.actors[privacy.RoleEmployerContact]
		if cs, err := w.svc.Cases(ctx, bert, "zoe"); err != nil || len(cs) != 0 {
			t.Fatalf("the employer lists %d of zoe's cases (%v): want none", len(cs), err)
		}
		known := w.svc.RegisterSubject(ctx, bert, privacy.Subject{ID: "zoe", Employer: bakery})
		fresh := w.svc.RegisterSubject(ctx, bert, privacy.Subject{ID: "yara", Employer: bakery})
		if (known == nil) != (fresh == nil) {
			t.Errorf("registering zoe (known only from a consultation) answers %v; a new employee %v", known, fresh)
		}
	})

	// Rule O10, as above, by another verb: the bakery's contact records
	// the end of zoe's employment, which succeeds for zoe (known to the
	// service only from her consultation-hour visit) and is not found for
	// a person the service does not know: the employer learns who saw the
	// company doctor on their own.
	t.Run("O10_employer_end_of_employment_reveals_a_subject_known_only_from_a_consultation", func(t *testing.T) {
		w := newWorld(t)
		zoeFromConsultation(t, w)
		w.now = w.now.Add(time.Hour)
		bert := w.actors[privacy.RoleEmployerContact]
		known := w.svc.EndEmployment(ctx, bert, "zoe", w.now)
		unknown := w.svc.EndEmployment(ctx, bert, "yara", w.now)
		if (known == nil) != (unknown == nil) {
			t.Errorf("end of employment of zoe (known only from a consultation) answers %v; of an unknown person %v", known, unknown)
		}
	})

	// Rule O14: transfer beyond the statutory minimum only on written
	// request and written consent — the ready policy says so of the
	// employer in so many words ("to the employer beyond the statutory
	// minimum only on written request and written consent"), and the
	// privacy statement tells the subject so. A disclosure of notes to the
	// employer on written consent with no written request is allowed; the
	// same to a third party is refused.
	t.Run("O14_employer_receives_on_consent_without_a_written_request", func(t *testing.T) {
		w := newWorld(t)
		_, err := w.svc.GrantConsent(ctx, w.actors[privacy.RoleSubject], consent.Grant{ID: "g-1", Subject: anna,
			Recipient:  consent.Recipient{Party: bakery, Kind: privacy.PartyEmployer},
			Categories: []privacy.Category{privacy.CategoryNotes}, Purpose: privacy.PurposeAbsenceGuidance,
			Form: consent.FormWritten, Document: "letter-1"})
		must(t, err)
		d, err := w.svc.Disclose(ctx, w.actors[privacy.RoleCaseManager], consent.Request{ID: "d-1",
			Recipient: consent.Recipient{Party: bakery, Kind: privacy.PartyEmployer}, Subject: anna, Case: case1,
			Items: []consent.Item{{Category: privacy.CategoryNotes}}, Purpose: privacy.PurposeAbsenceGuidance})
		if err == nil || d.Allowed {
			t.Errorf("notes went to the employer without its written request: %s, %d records", d.Rule, len(d.Records))
		}
	})

	// Rules G2, R11, O13 (the deadline runs from receipt, counted to the
	// day): FileRequest takes any past Received. The subject files online
	// "received" in 1990, decades before the service registered her: the
	// request is born 36 years overdue, and its extension (G2) impossible.
	t.Run("G2_request_received_before_the_subject_existed", func(t *testing.T) {
		w := newWorld(t)
		r, err := w.svc.FileRequest(ctx, w.actors[privacy.RoleSubject], rights.Filing{ID: "req-1990", Subject: anna,
			Kind: rights.KindAccess, Form: rights.FormWritten, Received: time.Date(1990, 1, 1, 0, 0, 0, 0, time.UTC)})
		must(t, err)
		if !r.Received.Equal(w.now) {
			t.Errorf("the subject's own request is received %v, not now (%v)", r.Received, w.now)
		}
		_, err = w.svc.FileRequest(ctx, w.actors[privacy.RoleCaseManager], rights.Filing{ID: "req-1990-staff", Subject: anna,
			Kind: rights.KindAccess, Form: rights.FormWritten, Received: time.Date(1990, 1, 1, 0, 0, 0, 0, time.UTC)})
		if !errors.Is(err, privacy.ErrInvalid) {
			t.Errorf("staff filed a request received in 1990 for a subject registered %v: %v", w.now, err)
		}
	})

	// Rule N9, as for taken IDs: a write that meets another state
	// (ErrConflict) is refused without a trace — the front door's own
	// refused() says such refusals are "logged like the engine's".
	t.Run("N9_conflict_refusal_audited", func(t *testing.T) {
		grant := consent.Grant{ID: "g-1", Subject: anna, Recipient: consent.Recipient{Party: "uwv", Kind: privacy.PartyUWV},
			Categories: []privacy.Category{privacy.CategoryNotes}, Purpose: privacy.PurposeAbsenceGuidance,
			Form: consent.FormWritten, Document: "letter-1"}
		for _, tt := range []struct {
			name  string
			setup func(w *world)
			// do is called twice: the second call meets the changed state.
			do func(w *world) error
		}{
			{"RevokeConsent", func(w *world) {
				_, err := w.svc.GrantConsent(ctx, w.actors[privacy.RoleSubject], grant)
				must(t, err)
			}, func(w *world) error {
				_, err := w.svc.RevokeConsent(ctx, w.actors[privacy.RoleSubject], "g-1")
				return err
			}},
			{"EndCoverage", func(*world) {}, func(w *world) error {
				_, err := w.svc.EndCoverage(ctx, w.actors[privacy.RoleCaseManager], "cov-1")
				return err
			}},
			{"LiftHold", func(w *world) {
				_, err := w.svc.PlaceHold(ctx, w.actors[privacy.RolePrivacyOfficer], retention.Hold{ID: "hold-1", Subject: anna,
					Ground: retention.GroundLegalClaim, Reason: "case C/16/1"})
				must(t, err)
			}, func(w *world) error {
				return w.svc.LiftHold(ctx, w.actors[privacy.RolePrivacyOfficer], "hold-1", "settled")
			}},
		} {
			t.Run(tt.name, func(t *testing.T) {
				w := newWorld(t)
				tt.setup(w)
				w.now = w.now.Add(time.Minute)
				must(t, tt.do(w))
				w.now = w.now.Add(time.Minute)
				before := len(w.events(t))
				err := tt.do(w)
				if !errors.Is(err, privacy.ErrConflict) {
					t.Skipf("second call = %v, not a conflict", err)
				}
				events := w.events(t)[before:]
				if len(events) == 0 || events[len(events)-1].Outcome != privacy.OutcomeDenied {
					t.Errorf("a conflict answered %v with no denied audit event", err)
				}
			})
		}
	})

	// Rule O9 (the absence reason is internal; hidden vs missing record
	// IDs): the employer "rectifies" record IDs as absence facts, which it
	// may write. The case manager's absence-reason record answers
	// ErrInvalid ("category ... do not change"), a missing ID not found:
	// the employer learns which IDs hold data of another category — the
	// reason among them.
	t.Run("O9_employer_update_probes_record_ids_and_categories", func(t *testing.T) {
		w := newWorld(t)
		must(t, w.svc.AddRecords(ctx, w.actors[privacy.RoleCaseManager],
			record("r-reason", privacy.CategoryAbsenceReason, privacy.FieldText, "burn-out after a conflict")))
		w.now = w.now.Add(time.Minute)
		bert := w.actors[privacy.RoleEmployerContact]
		probe := func(id privacy.RecordID) error {
			return w.svc.UpdateRecord(ctx, bert, privacy.Record{ID: id, Case: case1, Subject: anna, Category: privacy.CategoryAbsenceFacts,
				Source: privacy.Source{Kind: privacy.PartyEmployer, Party: bakery}, Fields: map[privacy.Field]string{privacy.FieldFirstDay: "2026-03-02"}})
		}
		reason, missing := probe("r-reason"), probe("r-none")
		if reason == nil || missing == nil || reason.Error() != missing.Error() {
			t.Errorf("an absence-reason record answers %v; a missing one %v", reason, missing)
		}
	})
}

// zoeFromConsultation registers zoe, a bakery employee the service knows
// only from a consultation-hour visit (case zoe-visit, which the employer
// may not know of: rule O10), as the company doctor dirk.
func zoeFromConsultation(t *testing.T, w *world) {
	t.Helper()
	ctx := context.Background()
	dirk := dossierwacht.NewActor(privacy.Principal{ID: "dirk", Role: privacy.RolePhysician, Party: "arbo",
		Secrecy: privacy.SecrecyProfessional, MultiFactor: true}, []privacy.CaseID{"zoe-visit"}, nil)
	must(t, w.svc.RegisterSubject(ctx, dirk, privacy.Subject{ID: "zoe", Employer: bakery}))
	must(t, w.svc.OpenCase(ctx, dirk, privacy.Case{ID: "zoe-visit", Subject: "zoe", Kind: privacy.CaseConsultation,
		Purpose: privacy.PurposePrevention, Contract: contract}))
}
