package dossierwacht_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/dossierwacht/dossierwacht/privacy"
)

// BenchmarkServiceView measures the front door's View of a case with 100
// records, on memstore: the registers read (consent, coverage,
// restrictions), every record decided field by field, and the audit event
// of each record shown or withheld appended (G7, N9) — what a handler pays
// per request, beside the engine's bare ViewTo (package access).
func BenchmarkServiceView(b *testing.B) {
	ctx := context.Background()
	w := newWorld(b)
	carla := w.actors[privacy.RoleCaseManager]
	for i := range 98 {
		must(b, w.svc.AddRecords(ctx, carla, record(privacy.RecordID(fmt.Sprintf("r-%03d", i)), privacy.CategoryNotes,
			privacy.FieldText, "a note of the conversation")))
	}
	for _, role := range []privacy.Role{privacy.RoleCaseManager, privacy.RoleEmployerContact} {
		a := w.actors[role]
		b.Run(string(role), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				v, err := w.svc.View(ctx, a, case1, privacy.PurposeAbsenceGuidance)
				if err != nil || len(v.Records) == 0 {
					b.Fatal(v, err)
				}
			}
		})
	}
}
