package rights_test

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/dossierwacht/dossierwacht/access"
	"github.com/dossierwacht/dossierwacht/export"
	"github.com/dossierwacht/dossierwacht/privacy"
	"github.com/dossierwacht/dossierwacht/rights"
)

// TestExportO13Medical: medical records reach the subject through the
// physician's release where the policy says so (O13, O6).
func TestExportO13Medical(t *testing.T) {
	direct := privacy.Strict()
	direct.Access = append(direct.Access, privacy.AccessRule{Rule: privacy.O13, Effect: privacy.Allow,
		Roles: []privacy.Role{privacy.RoleSubject}, Actions: []privacy.Action{privacy.ActionExport},
		Categories: []privacy.Category{privacy.CategoryMedical}, Requires: []privacy.Condition{privacy.CondOwnData},
		Reason: "this service gives the subject the medical file directly"})
	notPhysician := physician
	notPhysician.Role = privacy.RoleCaseManager
	tests := []struct {
		name       string
		policy     *privacy.Policy
		release    *rights.MedicalRelease
		withheld   bool
		releasedBy privacy.PrincipalID
		err        error
	}{
		{"O13_without_release_listed_not_shown", nil, nil, true, "", nil},
		{"O13_released_by_the_physician", nil, &rights.MedicalRelease{Physician: assigned(physician)}, false, physician.ID, nil},
		{"O13_release_of_other_records_only", nil, &rights.MedicalRelease{Physician: assigned(physician), Records: []privacy.RecordID{"rec-other"}}, true, "", nil},
		{"O13_release_of_this_record", nil, &rights.MedicalRelease{Physician: assigned(physician), Records: []privacy.RecordID{"rec-medical"}}, false, physician.ID, nil},
		{"O13_policy_gives_medical_data_directly", direct, nil, false, "", nil},
		{"O6_release_only_by_a_physician", nil, &rights.MedicalRelease{Physician: assigned(notPhysician)}, false, "", privacy.ErrForbidden},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			w := newWorld(t, &worldOptions{Policy: tc.policy})
			if tc.err != nil {
				_, err := w.Desk.Export(w.Ctx, subjectAct(anna, t0), discard{}, anna, &rights.ExportOptions{Release: tc.release})
				wantKind(t, "Export", err, tc.err)
				wantRule(t, "Export", err, privacy.O6)
				return
			}
			e, raw := w.Export(t, &rights.ExportOptions{Release: tc.release})
			m := records(e)["rec-medical"]
			if !m.Medical {
				t.Fatalf("medical record not marked medical: %+v", m)
			}
			secret := "lumbale overbelasting"
			if tc.withheld {
				if m.Withheld != export.WithheldPendingRelease || m.Fields != nil || bytes.Contains(raw, []byte(secret)) {
					t.Errorf("withheld medical record = %+v; content in export: %t", m, bytes.Contains(raw, []byte(secret)))
				}
				if e.Totals.Withheld != 1 {
					t.Errorf("totals.withheld = %d", e.Totals.Withheld)
				}
				return
			}
			if m.Withheld != "" || !strings.Contains(m.Fields[privacy.FieldText], secret) || m.ReleasedBy != tc.releasedBy {
				t.Errorf("released medical record = %+v", m)
			}
			if e.Medical.ReleasedBy != tc.releasedBy && tc.release != nil && len(tc.release.Records) == 0 {
				t.Errorf("medical access = %+v", e.Medical)
			}
		})
	}
}

// TestExportErrors: bad options and unknown subjects are typed errors.
func TestExportErrors(t *testing.T) {
	w := newWorld(t, nil)
	w.File(t, rights.Filing{ID: "req-erase", Kind: rights.KindErasure})
	w.File(t, rights.Filing{ID: "req-other", Subject: "stranger-1", Kind: rights.KindAccess})
	w.File(t, rights.Filing{ID: "req-refused", Kind: rights.KindAccess})
	if _, err := w.Desk.Refuse(w.Ctx, as(carla, t0), "req-refused", rights.Refusal{Ground: rights.GroundUnfounded, Reason: "x"}); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		subject privacy.SubjectID
		now     time.Time
		opts    *rights.ExportOptions
		kind    error
	}{
		{"unknown_subject", "stranger-1", t0, nil, privacy.ErrNotFound},
		{"malformed_subject", "Anna de Vries", t0, nil, privacy.ErrInvalid},
		{"no_time", anna, time.Time{}, nil, privacy.ErrInvalid},
		{"unknown_format", anna, t0, &rights.ExportOptions{Format: "pdf"}, privacy.ErrInvalid},
		{"unknown_language", anna, t0, &rights.ExportOptions{Format: export.FormatHTML, Lang: "fr"}, privacy.ErrInvalid},
		{"unknown_request", anna, t0, &rights.ExportOptions{Request: "req-none"}, privacy.ErrNotFound},
		{"another_subjects_request", anna, t0, &rights.ExportOptions{Request: "req-other"}, privacy.ErrNotFound},
		{"erasure_request_is_not_answered_by_an_export", anna, t0, &rights.ExportOptions{Request: "req-erase"}, privacy.ErrInvalid},
		{"refused_request", anna, t0, &rights.ExportOptions{Request: "req-refused"}, privacy.ErrConflict},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var buf bytes.Buffer
			_, err := w.Desk.Export(w.Ctx, subjectAct(tc.subject, tc.now), &buf, tc.subject, tc.opts)
			wantKind(t, "Export", err, tc.kind)
			if buf.Len() != 0 {
				t.Errorf("a refused export wrote %d bytes", buf.Len())
			}
		})
	}
	t.Run("failing_source_stops_the_export", func(t *testing.T) {
		w.Sources.Fail = &privacy.Error{Op: "log", Kind: privacy.ErrUnavailable}
		defer func() { w.Sources.Fail = nil }()
		_, err := w.Desk.Export(w.Ctx, subjectAct(anna, t0), discard{}, anna, nil)
		wantKind(t, "Export(failing log)", err, privacy.ErrUnavailable)
	})
	t.Run("failing_writer", func(t *testing.T) {
		_, err := w.Desk.Export(w.Ctx, subjectAct(anna, t0), failWriter{}, anna, nil)
		wantKind(t, "Export(failing writer)", err, privacy.ErrUnavailable)
	})
}

type failWriter struct{}

func (failWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }

// TestReleaseFloors: a physician's release obeys the floors of a medical
// read (O13 with O6, G8, N6, R7/O4, O2): the desk releases a case's
// medical records only if the access engine lets that physician read
// medical data of that case at the export's time; the records of a case it
// may not read stay listed without content, pending release; a release of
// no case at all is refused with the rule that failed, and audited.
func TestReleaseFloors(t *testing.T) {
	noSecrecy := physician
	noSecrecy.Secrecy = privacy.SecrecyAgreement
	noSecondFactor := physician
	noSecondFactor.MultiFactor = false
	caseManager := physician
	caseManager.Role, caseManager.Secrecy = privacy.RoleCaseManager, privacy.SecrecyAgreement
	tests := []struct {
		name string
		by   *access.Principal
		rule privacy.RuleID
	}{
		{"O13_the_assigned_physician_releases", assigned(physician), ""},
		{"O6_only_a_physician_releases", assigned(caseManager), privacy.O6},
		{"O6_R7_O4_a_physician_not_assigned_releases_nothing", access.NewPrincipal(physician, nil, nil), privacy.O6},
		{"G8_no_medical_secrecy_releases_nothing", assigned(noSecrecy), privacy.G8},
		{"N6_no_second_factor_releases_nothing", assigned(noSecondFactor), privacy.N6},
	}
	const secret = "lumbale overbelasting"
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			w := newWorld(t, nil)
			seq := w.LastSeq(t)
			var b bytes.Buffer
			_, err := w.Desk.Export(w.Ctx, subjectAct(anna, t0.Add(48*time.Hour)), &b, anna, &rights.ExportOptions{Release: &rights.MedicalRelease{Physician: tc.by}})
			var releases []privacy.Event
			for _, e := range w.Events(t, seq) {
				if e.Object == "release" {
					releases = append(releases, e)
				}
			}
			if tc.rule == "" {
				if err != nil {
					t.Fatalf("Export: %v", err)
				}
				if !bytes.Contains(b.Bytes(), []byte(secret)) {
					t.Errorf("the assigned physician's release did not release the medical record")
				}
				if len(releases) != 1 || releases[0].Outcome != privacy.OutcomeAllowed || releases[0].Case != annaCase ||
					releases[0].Principal != physician.ID {
					t.Errorf("release events = %+v, want one allowed for %s (N9)", releases, annaCase)
				}
				return
			}
			wantKind(t, "Export", err, privacy.ErrForbidden)
			wantRule(t, "Export", err, tc.rule)
			if b.Len() != 0 {
				t.Errorf("a refused release wrote %d bytes", b.Len())
			}
			if len(releases) != 1 || releases[0].Outcome != privacy.OutcomeDenied || releases[0].Rule != tc.rule {
				t.Errorf("release events = %+v, want one denial under %s (N9)", releases, tc.rule)
			}
		})
	}
	t.Run("O2_contract_ended_releases_nothing", func(t *testing.T) {
		w := newWorld(t, nil)
		var b bytes.Buffer
		// Anna's contract runs; a release a year after it ended is not.
		ended := privacy.Contract{ID: "contract-old", Party: "employer-bakery", PartyKind: privacy.PartyEmployer,
			Start: contract.Start, End: t0.Add(24 * time.Hour)}
		c, err := privacy.NewCase("case-old", anna, privacy.CaseAbsence, privacy.PurposeAbsenceGuidance, ended, t0)
		if err != nil {
			t.Fatal(err)
		}
		if err := w.Dossiers.OpenCase(w.Ctx, deskAct(t0), c); err != nil {
			t.Fatal(err)
		}
		dirk := access.NewPrincipal(physician, []privacy.CaseID{"case-old"}, nil)
		_, err = w.Desk.Export(w.Ctx, subjectAct(anna, t0.Add(48*time.Hour)), &b, anna, &rights.ExportOptions{Release: &rights.MedicalRelease{Physician: dirk}})
		wantKind(t, "Export(contract ended)", err, privacy.ErrForbidden)
		wantRule(t, "Export(contract ended)", err, privacy.O2)
	})
	t.Run("N6_a_case_it_may_not_read_stays_pending", func(t *testing.T) {
		// Dirk is assigned to Anna's absence case, not to her consultation:
		// the first is released, the second stays listed without content.
		w := newWorld(t, nil)
		c, err := privacy.NewCase("case-consult", anna, privacy.CaseConsultation, privacy.PurposePrevention, contract, t0)
		if err != nil {
			t.Fatal(err)
		}
		if err := w.Dossiers.OpenCase(w.Ctx, deskAct(t0), c); err != nil {
			t.Fatal(err)
		}
		med := privacy.Record{ID: "rec-consult", Case: "case-consult", Category: privacy.CategoryMedical, Author: physician.ID,
			Source: privacy.Source{Kind: privacy.PartyService}, Created: t0.Add(time.Hour),
			Fields: map[privacy.Field]string{privacy.FieldText: "spreekuur: slaapproblemen"}}
		a := privacy.Act{By: physician, At: med.Created, Purpose: privacy.PurposePrevention}
		if err := w.Dossiers.AddRecord(w.Ctx, a, med); err != nil {
			t.Fatal(err)
		}
		e, raw := w.Export(t, &rights.ExportOptions{Release: &rights.MedicalRelease{Physician: assigned(physician)}})
		rs := records(e)
		if m := rs["rec-medical"]; m.Withheld != "" || m.ReleasedBy != physician.ID {
			t.Errorf("the assigned case's medical record = %+v, want it released", m)
		}
		if m := rs["rec-consult"]; m.Withheld != export.WithheldPendingRelease || m.Fields != nil || bytes.Contains(raw, []byte("slaapproblemen")) {
			t.Errorf("the unassigned case's medical record = %+v, want it pending release", m)
		}
	})
}
