package retention_test

import (
	"testing"

	"github.com/dossierwacht/dossierwacht/privacy"
	"github.com/dossierwacht/dossierwacht/retention"
)

// TestScheduleObjectsDisclosure is rule G4: a disclosure-log entry is
// kept while a record it names is, so that its recipient can be told of
// the erasure — for a category handed over whole (an item without a
// record ID), every record of its case in that category made by the
// disclosure.
func TestScheduleObjectsDisclosure(t *testing.T) {
	eng := rulesOf(t, privacy.Strict())
	// A note made in January 2023 in an absence case still open: kept
	// until 2 years after the case's last activity (its one note).
	d := fact{kind: privacy.CaseAbsence, cat: privacy.CategoryNotes}.dossier()
	now := utc("2023-03-01T09:00:00Z")
	disclosed := utc("2023-02-01T09:00:00Z")
	for _, tc := range []struct {
		name string
		obj  retention.Object
		kept bool
	}{
		{"G4_record_named_kept", retention.Object{Records: []privacy.RecordID{"r-1"}}, true},
		{"G4_category_disclosure_kept_while_its_records_are", retention.Object{Categories: []privacy.Category{privacy.CategoryNotes}}, true},
		{"G4_other_category_due", retention.Object{Categories: []privacy.Category{privacy.CategoryContact}}, false},
		{"G4_other_case_due", retention.Object{Case: "c-2", Categories: []privacy.Category{privacy.CategoryNotes}}, false},
		{"G4_record_made_after_the_disclosure_due", retention.Object{Categories: []privacy.Category{privacy.CategoryNotes},
			Ended: utc("2023-01-01T09:00:00Z")}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			o := tc.obj
			o.Kind, o.ID, o.Subject = privacy.DataDisclosure, "d-1", "s-1"
			if o.Case == "" {
				o.Case = "c-1"
			}
			if o.Ended.IsZero() {
				o.Ended = disclosed
			}
			records := eng.Schedule(nil, d, now)
			got := eng.ScheduleObjects(nil, d, []retention.Object{o}, records, now)
			if got[0].Kind != privacy.DataDisclosure {
				t.Fatalf("first schedule is %s, want the disclosure", got[0].Kind)
			}
			// Kept: with no date, or no earlier than the note it names.
			if kept := got[0].Status == retention.StatusKept || !got[0].Due.Before(records[0].Due); kept != tc.kept {
				t.Errorf("disclosure schedule %v, want kept=%v", got[0], tc.kept)
			}
		})
	}
}
