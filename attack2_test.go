package dossierwacht_test

// A second attack review through the public API (Service, the engines'
// exported packages): each subtest of TestAttack reproduces one break and
// FAILS on the code it was written against; the subtest name names the
// rule. The fixes are not part of this file.

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/dossierwacht/dossierwacht"
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
		missing := w.svc.OpenCase(ctx, bert, privacy.Case{ID: "bert-nobody", Subject: "nobody", Kind: privacy.CaseAbsence,
			Purpose: privacy.PurposeAbsenceGuidance, Contract: contract})
		if (err == nil) != (missing == nil) || (err != nil && err.Error() != missing.Error()) {
			t.Errorf("O10: another employer's employee answers %v, a missing subject %v", err, missing)
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
}
