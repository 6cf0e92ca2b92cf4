package rights_test

import (
	"bytes"
	"testing"
	"time"

	"github.com/dossierwacht/dossierwacht/privacy"
	"github.com/dossierwacht/dossierwacht/rights"
)

// TestRectificationOnlyByWriters: the desk corrects a record only for who
// may write it (O13 with R7, O4, O6, N4, R8): an unassigned case manager,
// support staff or a case manager at the medical file is refused, audited,
// in the plan and in the application of a plan the caller made up, and
// nothing changes.
func TestRectificationOnlyByWriters(t *testing.T) {
	support := privacy.Act{By: privacy.Principal{ID: "support-sam", Role: privacy.RoleSupportStaff}}
	tests := []struct {
		name   string
		by     func(at time.Time) privacy.Act
		record privacy.RecordID
		field  privacy.Field
		rule   privacy.RuleID // "" when allowed
	}{
		{"R7_assigned_case_manager_corrects_a_note", deskAct, "rec-note", privacy.FieldText, ""},
		{"R7_unassigned_case_manager_is_refused", func(at time.Time) privacy.Act { return as("case-manager-eve", at) },
			"rec-note", privacy.FieldText, privacy.R7},
		{"R8_support_staff_never_writes_case_content", func(at time.Time) privacy.Act { a := support; a.At = at; return a },
			"rec-note", privacy.FieldText, privacy.R8},
		{"O6_case_manager_never_writes_the_medical_file", deskAct, "rec-medical", privacy.FieldText, privacy.O6},
		{"O6_the_assigned_physician_corrects_the_medical_file", func(at time.Time) privacy.Act { return as(physician.ID, at) },
			"rec-medical", privacy.FieldText, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			w := newWorld(t, nil)
			w.File(t, rights.Filing{ID: "req-fix", Kind: rights.KindRectification})
			corr := rights.Corrections{tc.record: {tc.field: "corrected"}}
			seq := w.LastSeq(t)
			p, err := w.Desk.Plan(w.Ctx, tc.by(t0.Add(3*time.Hour)), "req-fix", corr)
			if tc.rule == "" {
				if err != nil {
					t.Fatalf("Plan: %v", err)
				}
				if err := w.Desk.Apply(w.Ctx, tc.by(t0.Add(4*time.Hour)), p); err != nil {
					t.Fatalf("Apply: %v", err)
				}
				if got := w.Field(t, tc.record, tc.field); got != "corrected" {
					t.Errorf("after Apply %s = %q", tc.field, got)
				}
				return
			}
			// Rules R7, O4: the request of a subject the case manager is
			// not assigned to is not found for it, the denial audited.
			refused, hidden := privacy.ErrForbidden, tc.rule == privacy.R7
			if hidden {
				refused = privacy.ErrNotFound
			}
			wantKind(t, "Plan", err, refused)
			if !hidden {
				wantRule(t, "Plan", err, tc.rule)
			}
			w.WantDenied(t, seq, tc.rule)

			// The plan a hostile caller makes up itself fares no better.
			before := w.Field(t, tc.record, tc.field)
			forged := rights.Plan{Request: "req-fix", Subject: anna, Kind: rights.KindRectification,
				Changes: []rights.Change{{Record: tc.record, Fields: map[privacy.Field]string{tc.field: "forged"}}}}
			seq = w.LastSeq(t)
			err = w.Desk.Apply(w.Ctx, tc.by(t0.Add(4*time.Hour)), forged)
			wantKind(t, "Apply(forged plan)", err, refused)
			if !hidden {
				wantRule(t, "Apply(forged plan)", err, tc.rule)
			}
			w.WantDenied(t, seq, tc.rule)
			if got := w.Field(t, tc.record, tc.field); got != before {
				t.Errorf("forged plan changed %s to %q", tc.field, got)
			}
		})
	}
	t.Run("O13_a_forged_plan_changes_nothing_when_one_change_is_refused", func(t *testing.T) {
		w := newWorld(t, nil)
		w.File(t, rights.Filing{ID: "req-fix", Kind: rights.KindRectification})
		note, med := w.Field(t, "rec-note", privacy.FieldText), w.Field(t, "rec-medical", privacy.FieldText)
		forged := rights.Plan{Request: "req-fix", Subject: anna, Kind: rights.KindRectification, Changes: []rights.Change{
			{Record: "rec-note", Fields: map[privacy.Field]string{privacy.FieldText: "forged"}},
			{Record: "rec-medical", Fields: map[privacy.Field]string{privacy.FieldText: "forged"}},
		}}
		err := w.Desk.Apply(w.Ctx, deskAct(t0.Add(4*time.Hour)), forged)
		wantKind(t, "Apply", err, privacy.ErrForbidden)
		if w.Field(t, "rec-note", privacy.FieldText) != note || w.Field(t, "rec-medical", privacy.FieldText) != med {
			t.Error("a refused plan changed a record")
		}
	})
	t.Run("O13_a_forged_plan_stays_inside_the_request", func(t *testing.T) {
		w := newWorld(t, nil)
		w.File(t, rights.Filing{ID: "req-fix", Kind: rights.KindRectification, Records: []privacy.RecordID{"rec-identity"}})
		forged := rights.Plan{Request: "req-fix", Subject: anna, Kind: rights.KindRectification, Changes: []rights.Change{
			{Record: "rec-note", Fields: map[privacy.Field]string{privacy.FieldText: "forged"}}}}
		err := w.Desk.Apply(w.Ctx, deskAct(t0.Add(4*time.Hour)), forged)
		wantKind(t, "Apply", err, privacy.ErrInvalid)
		if w.Field(t, "rec-note", privacy.FieldText) == "forged" {
			t.Error("a record outside the request changed")
		}
	})
}

// TestExportOnlyByWhoMayExport: the desk exports a subject's file as the
// front door does — to the subject, to the physician who releases it, and
// to staff only where a policy rule lets them export every case (R7, O4,
// R11, O13). A refusal is audited, names its rule and writes nothing.
func TestExportOnlyByWhoMayExport(t *testing.T) {
	staffExport := privacy.Strict()
	staffExport.Access = append(staffExport.Access, privacy.AccessRule{Rule: privacy.R7, Effect: privacy.Allow,
		Roles: []privacy.Role{privacy.RoleCaseManager}, Actions: []privacy.Action{privacy.ActionExport},
		Categories: []privacy.Category{privacy.CategoryIdentity}, Requires: []privacy.Condition{privacy.CondAssigned, privacy.CondContractInForce},
		Reason: "this service lets the assigned case manager hand the export over"})
	release := &rights.ExportOptions{Release: &rights.MedicalRelease{Physician: assigned(physician)}}
	tests := []struct {
		name   string
		policy *privacy.Policy
		act    privacy.Act
		opts   *rights.ExportOptions
		rule   privacy.RuleID // "" when allowed
	}{
		{"R11_the_subject_herself", nil, subjectAct(anna, t0), nil, ""},
		{"R11_another_subject_is_refused", nil, subjectAct("employee-bob", t0), nil, privacy.R11},
		{"O13_the_releasing_physician", nil, as(physician.ID, t0), release, ""},
		{"O13_a_physician_without_release_is_refused", nil, as(physician.ID, t0), nil, privacy.RuleDefaultDeny},
		{"R7_no_policy_rule_no_staff_export", nil, deskAct(t0), nil, privacy.RuleDefaultDeny},
		{"R7_the_assigned_case_manager_where_the_policy_allows", staffExport, deskAct(t0), nil, ""},
		{"R7_an_unassigned_case_manager_is_refused", staffExport, as("case-manager-eve", t0), nil, privacy.R7},
		{"R8_support_staff_is_refused", staffExport, privacy.Act{By: privacy.Principal{ID: "support-sam", Role: privacy.RoleSupportStaff}, At: t0}, nil, privacy.R8},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			w := newWorld(t, &worldOptions{Policy: tc.policy})
			seq := w.LastSeq(t)
			var buf bytes.Buffer
			_, err := w.Desk.Export(w.Ctx, tc.act, &buf, anna, tc.opts)
			if tc.rule == "" {
				if err != nil || buf.Len() == 0 {
					t.Fatalf("Export: %v (%d bytes)", err, buf.Len())
				}
				return
			}
			wantKind(t, "Export", err, privacy.ErrForbidden)
			wantRule(t, "Export", err, tc.rule)
			if buf.Len() != 0 {
				t.Errorf("a refused export wrote %d bytes", buf.Len())
			}
			w.WantDenied(t, seq, tc.rule)
		})
	}
}
