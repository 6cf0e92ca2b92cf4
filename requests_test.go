package dossierwacht_test

import (
	"bytes"
	"context"
	"errors"
	"testing"

	"github.com/dossierwacht/dossierwacht"
	"github.com/dossierwacht/dossierwacht/export"
	"github.com/dossierwacht/dossierwacht/privacy"
)

// TestExportByReleasingPhysician: the assigned physician, bound to
// medical secrecy and signed in with a second factor, may have a
// subject's export carrying its own release of the medical file, to hand
// to the subject (rules O13, O6, G8, N6); without the second factor, or
// for a subject with a case it is not assigned to, the export is not found
// like a missing subject's, and every refusal is audited with the rule
// that decided (N9).
func TestExportByReleasingPhysician(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t)
	dirk := w.actors[privacy.RolePhysician]
	must(t, w.svc.AddRecords(ctx, dirk, privacy.Record{ID: "r-medical", Case: case1, Subject: anna, Category: privacy.CategoryMedical,
		Source: privacy.Source{Kind: privacy.PartyService}, Fields: map[privacy.Field]string{privacy.FieldText: "lumbar strain"}}))
	withBob(t, w)
	release := func(a *dossierwacht.Actor) *dossierwacht.ExportOptions {
		return &dossierwacht.ExportOptions{ReleasedBy: a}
	}

	t.Run("O13_O6_physician_export_carries_its_release", func(t *testing.T) {
		var buf bytes.Buffer
		_, err := w.svc.Export(ctx, dirk, anna, &buf, release(dirk))
		must(t, err)
		x, err := export.Decode(&buf)
		must(t, err)
		released := false
		for _, c := range x.Cases {
			for _, r := range c.Records {
				released = released || (r.ID == "r-medical" && r.Fields[privacy.FieldText] == "lumbar strain" && r.ReleasedBy == dirk.ID)
			}
		}
		if !released {
			t.Errorf("the export does not carry dirk's release of r-medical")
		}
	})

	_, missing := w.svc.Export(ctx, dirk, "nobody", &bytes.Buffer{}, release(dirk))
	if !errors.Is(missing, privacy.ErrNotFound) {
		t.Fatalf("export of a missing subject: %v, want not found", missing)
	}
	noMFA := *dirk
	noMFA.MultiFactor = false
	for _, tt := range []struct {
		name    string
		a       *dossierwacht.Actor
		subject privacy.SubjectID
		opts    *dossierwacht.ExportOptions
		rule    privacy.RuleID
	}{
		{"N6_physician_without_second_factor", &noMFA, anna, release(&noMFA), privacy.N6},
		{"O6_physician_not_assigned_to_every_case", dirk, "bob", release(dirk), privacy.O6},
		{"O13_physician_without_releasing", dirk, anna, nil, ""},
		{"O13_releasing_for_another_actor", w.actors[privacy.RoleCaseManager], anna, release(dirk), ""},
		{"missing_subject", dirk, "nobody", release(dirk), ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			before := len(w.events(t))
			var buf bytes.Buffer
			_, err := w.svc.Export(ctx, tt.a, tt.subject, &buf, tt.opts)
			if !errors.Is(err, privacy.ErrNotFound) || err.Error() != missing.Error() {
				t.Fatalf("Export = %v, want %v", err, missing)
			}
			if buf.Len() != 0 {
				t.Errorf("a refused export wrote %d bytes", buf.Len())
			}
			events := w.events(t)[before:]
			if len(events) != 1 || events[0].Outcome != privacy.OutcomeDenied {
				t.Fatalf("N9: refusal audited as %+v, want one denied event", events)
			}
			if tt.rule != "" && events[0].Rule != tt.rule {
				t.Errorf("refusal audited with rule %s, want %s", events[0].Rule, tt.rule)
			}
		})
	}
}
