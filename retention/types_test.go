package retention_test

import (
	"slices"
	"testing"

	"github.com/dossierwacht/dossierwacht/privacy"
	"github.com/dossierwacht/dossierwacht/retention"
)

// TestHoldKeepsCase checks what a hold keeps of a case deleted whole
// (rule G3): the stores refuse DeleteCase on it.
func TestHoldKeepsCase(t *testing.T) {
	for _, tc := range []struct {
		name    string
		hold    retention.Hold
		whole   bool
		records []privacy.RecordID
	}{
		{"G3_whole_subject_keeps_every_case", retention.Hold{Subject: "s-1"}, true, nil},
		{"G3_hold_of_the_case", retention.Hold{Subject: "s-1", Case: "c-1"}, true, nil},
		{"G3_records_of_the_case_keep_it", retention.Hold{Subject: "s-1", Case: "c-1", Records: []privacy.RecordID{"r-1"}}, true, nil},
		{"G3_another_case_keeps_nothing", retention.Hold{Subject: "s-1", Case: "c-2"}, false, nil},
		{"G3_records_of_another_case_keep_nothing", retention.Hold{Subject: "s-1", Case: "c-2", Records: []privacy.RecordID{"r-9"}}, false, nil},
		{"G3_subject_records_named_for_the_caller", retention.Hold{Subject: "s-1", Records: []privacy.RecordID{"r-1", "r-9"}}, false,
			[]privacy.RecordID{"r-1", "r-9"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			whole, records := tc.hold.KeepsCase("c-1")
			if whole != tc.whole || !slices.Equal(records, tc.records) {
				t.Errorf("KeepsCase(c-1) = %t, %v; want %t, %v", whole, records, tc.whole, tc.records)
			}
		})
	}
}
