package dossierwacht_test

import (
	"context"
	"testing"
	"time"

	"github.com/dossierwacht/dossierwacht/privacy"
)

// Rules R9, O12, N7 (issue 14 §1): a case left open ends, for retention,
// at its last activity, "the last time a record of it was written or
// rectified". An integrator that saves its records again unchanged — a
// nightly sync that upserts every record it holds, an edit form saved
// without an edit — went through UpdateRecord as a rectification: the
// record's last change, and the case's activity with it, moved to the
// save, so that a case nobody had recorded anything in for years, and
// its subject, were kept for as long as the job ran. The same save after
// the closing moved the fiscal seven years (counted from the year the
// data was last entered) and the medical file's years (from its last
// change) on, for ever. An unchanged record is not a change: it is
// audited as the update asked for, and nothing of it is rewritten.
func TestAttack13UnchangedSaveIsNoActivityR9O12N7(t *testing.T) {
	ctx := context.Background()
	t.Run("open case", func(t *testing.T) {
		w := newWorld(t)
		carla, olga := w.actors[privacy.RoleCaseManager], w.actors[privacy.RolePrivacyOfficer]
		// Every month for four years, the sync saves the note unchanged.
		for range 48 {
			w.now = w.now.AddDate(0, 1, 0)
			must(t, w.svc.UpdateRecord(ctx, carla, record("r-note", privacy.CategoryNotes, privacy.FieldText, "call on Friday")))
		}
		// The day after its last save, 2 years and a year after the last
		// thing recorded (2 March 2026).
		w.now = time.Date(2030, 3, 3, 12, 0, 0, 0, time.UTC)
		_, err := w.svc.Sweep(ctx, olga)
		must(t, err)
		for _, id := range []privacy.RecordID{"r-facts", "r-note"} {
			if r, err := w.store.Record(ctx, id); err == nil {
				t.Errorf("record %s (last changed %s by its saves) is kept 4 years after anything was recorded in its open case",
					id, r.Updated.Format(time.DateOnly))
			}
		}
		if _, err := w.store.Case(ctx, case1); err == nil {
			t.Errorf("the open case, nothing recorded in it for 4 years, is kept")
		}
		if _, err := w.store.Subject(ctx, anna); err == nil {
			t.Errorf("anna, nothing recorded of her for 4 years, is kept")
		}
	})
	t.Run("fiscal record of a closed case", func(t *testing.T) {
		w := newWorld(t)
		carla, olga := w.actors[privacy.RoleCaseManager], w.actors[privacy.RolePrivacyOfficer]
		must(t, w.svc.AddRecords(ctx, carla, record("r-job", privacy.CategoryEmployment, privacy.FieldJob, "baker")))
		must(t, w.svc.CloseCase(ctx, carla, case1))
		// Every year for ten years, the sync saves the record unchanged.
		for range 10 {
			w.now = w.now.AddDate(1, 0, 0)
			must(t, w.svc.UpdateRecord(ctx, carla, record("r-job", privacy.CategoryEmployment, privacy.FieldJob, "baker")))
		}
		// AWR art. 52(4): 7 years from the end of 2026, the year the
		// wage data was entered and the case closed.
		w.now = time.Date(2036, 3, 3, 12, 0, 0, 0, time.UTC)
		_, err := w.svc.Sweep(ctx, olga)
		must(t, err)
		if r, err := w.store.Record(ctx, "r-job"); err == nil {
			t.Errorf("the wage record entered in 2026 (last saved unchanged %s) is kept past its 7 years", r.Updated.Format(time.DateOnly))
		}
	})
}
