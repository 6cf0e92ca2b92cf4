package sqlitestore_test

import (
	"testing"

	"github.com/dossierwacht/dossierwacht/examples/sqlitestore"
	"github.com/dossierwacht/dossierwacht/internal/objectkit"
	"github.com/dossierwacht/dossierwacht/retention"
	"github.com/dossierwacht/dossierwacht/retention/retentiontest"
)

var (
	_ retentiontest.EventLog = (*sqlitestore.Store)(nil)
	_ retention.BatchStore   = (*sqlitestore.Store)(nil)
)

func TestRetentionConformance(t *testing.T) {
	retentiontest.Run(t, func(t *testing.T) retention.Store { return open(t) })
}

// TestObjectsOfEqualsObjectsR9O12 checks that a page of subjects' objects
// is what Objects returns one subject at a time (rules R9, O12).
func TestObjectsOfEqualsObjectsR9O12(t *testing.T) {
	objectkit.RunObjectsOf(t, open(t))
}

// TestOpenRequestEndsR11O13O12 checks that a request's retention period
// runs from its deadline while it stays open (rules R11, O13, O12; issue
// 14 §1).
func TestOpenRequestEndsR11O13O12(t *testing.T) {
	objectkit.RunOpenRequestEnds(t, open(t))
}

// TestOpenCaseEndsR9O12N7 checks that a case left open goes 2 years after
// its last activity, an absence case after the employment's end if that
// came first, its subject with it, and that the store keeps the activity
// past an erased record (issue 14 §1).
func TestOpenCaseEndsR9O12N7(t *testing.T) {
	objectkit.RunOpenCaseEnds(t, open(t))
}

// TestOpenCaseRectifiedR9O12 checks that a case left open ends at the
// rectification of a medical record, kept past the record's deletion
// (rules R9, O12).
func TestOpenCaseRectifiedR9O12(t *testing.T) {
	objectkit.RunOpenCaseRectified(t, open(t))
}
