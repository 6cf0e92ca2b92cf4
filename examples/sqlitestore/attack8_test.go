package sqlitestore_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/dossierwacht/dossierwacht/privacy"
	"github.com/dossierwacht/dossierwacht/retention"
)

// TestAttack8 is the SQLite side of pgstore's TestAttack8 (item by item:
// SQLite has no set-based path): the same record ID in both files, a
// standing hold naming it, and the case of its ordinary record erased.
// Rule G3 refuses it here; pgstore's set-based path answers a conflict.
func TestAttack8(t *testing.T) {
	t.Run("RecordIDInBothFilesHoldG3", func(t *testing.T) {
		ctx := context.Background()
		s := open(t)
		t0 := time.Date(2025, 1, 10, 9, 0, 0, 0, time.UTC)
		closed := time.Date(2025, 3, 1, 9, 0, 0, 0, time.UTC)
		ev := []privacy.Event{{Time: t0, Principal: "officer-1", Role: privacy.RolePrivacyOfficer, Action: privacy.EventCreate,
			Outcome: privacy.OutcomeAllowed, Rule: privacy.O12, Subject: "s-x", Object: "s-x"}}
		must := func(what string, err error) {
			t.Helper()
			if err != nil {
				t.Fatalf("%s: %v", what, err)
			}
		}
		sub, _ := privacy.NewSubject("s-x", "employer-1", t0)
		must("CreateSubject", s.CreateSubject(ctx, sub, ev))
		rec := func(c privacy.CaseID, cat privacy.Category) []privacy.Record {
			return []privacy.Record{{ID: "r-dup", Case: c, Subject: "s-x", Category: cat, Author: "cm-1",
				Source: privacy.Source{Kind: privacy.PartyService}, Created: t0, Fields: map[privacy.Field]string{privacy.FieldText: "note"}}}
		}
		for _, c := range []privacy.CaseID{"c-1", "c-2"} {
			cs := privacy.Case{ID: c, Subject: "s-x", Kind: privacy.CaseAbsence, Purpose: privacy.PurposeAbsenceGuidance,
				Contract: privacy.Contract{ID: "contract-1", Party: "employer-1", PartyKind: privacy.PartyEmployer, Start: t0.AddDate(-1, 0, 0)}, Opened: t0}
			must("CreateCase", s.CreateCase(ctx, cs, ev))
			if c == "c-1" {
				must("AddRecords", s.AddRecords(ctx, rec(c, privacy.CategoryNotes), ev))
			} else {
				must("AddMedicalRecords", s.AddMedicalRecords(ctx, rec(c, privacy.CategoryMedical), ev))
			}
			cs.Closed = closed
			must("UpdateCase", s.UpdateCase(ctx, cs, ev))
		}
		must("PlaceHold", s.PlaceHold(ctx, retention.Hold{ID: "h-rec", Subject: "s-x", Records: []privacy.RecordID{"r-dup"},
			Ground: retention.GroundLegalClaim, Reason: "claim", PlacedBy: "officer-1", Placed: closed}, ev[0]))
		p := retention.ObjectProof{Kind: privacy.DataCase, ID: "c-1", Subject: "s-x", Ended: closed, Deleted: closed.AddDate(8, 0, 0),
			Rule: privacy.O12, Reason: retention.ReasonMaximum, Citation: "regulation O", Policy: "strict@1.0.0", By: "officer-1"}
		e := ev[0]
		e.Time, e.Action = p.Deleted, privacy.EventDelete
		res, err := s.EraseObjects(ctx, []retention.ObjectProof{p}, []privacy.Event{e})
		if err != nil {
			t.Fatal(err)
		}
		var pe *privacy.Error
		if !errors.As(res[0], &pe) || pe.Rule != privacy.G3 {
			t.Errorf("rule G3: case c-1 with a record a standing hold names: %v, want ErrForbidden naming G3", res[0])
		}
	})
}
