package rights_test

import (
	"context"
	"testing"
	"time"

	"github.com/dossierwacht/dossierwacht/access/rights"
	"github.com/dossierwacht/dossierwacht/memstore"
	"github.com/dossierwacht/dossierwacht/privacy"
	"github.com/dossierwacht/dossierwacht/retention"
)

// TestRetentionFromStore checks the glue from package retention: a record of
// a closed reintegration case is kept until 2 years after closure (R9), a
// wage record 7 years by statute (R9, N7), and a held record is marked held
// (G3).
func TestRetentionFromStore(t *testing.T) {
	ctx := context.Background()
	store := memstore.New()
	policy := privacy.Strict()
	d, err := privacy.NewDossiers(store, policy)
	if err != nil {
		t.Fatal(err)
	}
	t0 := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	contract := privacy.Contract{ID: "k-1", Party: "employer-1", PartyKind: privacy.PartyEmployer, Start: t0.AddDate(-1, 0, 0)}
	s, _ := privacy.NewSubject("s-1", "employer-1", t0)
	c, _ := privacy.NewCase("c-1", "s-1", privacy.CaseReintegration, privacy.PurposeReintegration, contract, t0)
	note := privacy.Record{ID: "r-note", Case: "c-1", Category: privacy.CategoryNotes, Author: "cm-1",
		Source: privacy.Source{Kind: privacy.PartyService}, Created: t0, Fields: map[privacy.Field]string{privacy.FieldText: "x"}}
	wages := privacy.Record{ID: "r-wages", Case: "c-1", Category: privacy.CategoryEmployment, Author: "cm-1",
		Source: privacy.Source{Kind: privacy.PartyEmployer}, Created: t0, Fields: map[privacy.Field]string{privacy.FieldWages: "3000"}}
	for _, err := range []error{d.CreateSubject(ctx, deskAct(t0), s), d.OpenCase(ctx, deskAct(t0), c), d.AddRecords(ctx, deskAct(t0), note, wages),
		d.CloseCase(ctx, deskAct(time.Date(2026, 6, 15, 12, 0, 0, 0, time.UTC)), "c-1")} {
		if err != nil {
			t.Fatal(err)
		}
	}
	rules, err := retention.NewRules(policy)
	if err != nil {
		t.Fatal(err)
	}
	facts := rights.RetentionFromStore(store, rules)
	now := time.Date(2026, 7, 1, 0, 0, 0, 0, time.UTC)
	closed, _ := d.Case(ctx, "c-1")
	for _, tc := range []struct {
		name      string
		rec       privacy.Record
		rule      privacy.RuleID
		until     string
		statutory bool
	}{
		{"R9_two_years_after_closure", note, privacy.R9, "2028-06-15", false},
		{"R9_N7_wages_seven_years_by_statute", wages, privacy.R9, "2033-06-15", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := facts.RecordRetention(ctx, s, closed, tc.rec, now)
			if err != nil {
				t.Fatal(err)
			}
			if got.Rule != tc.rule || got.Until.String() != tc.until || got.Statutory != tc.statutory {
				t.Errorf("RecordRetention(%s) = %+v, want rule %s until %s statutory %t", tc.rec.ID, got, tc.rule, tc.until, tc.statutory)
			}
		})
	}
	t.Run("G3_hold_for_legal_claims", func(t *testing.T) {
		ret, err := retention.New(store, policy, nil)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := ret.PlaceHold(ctx, privacy.Principal{ID: "legal-1", Role: privacy.RoleCaseManager},
			retention.Hold{ID: "h-1", Subject: "s-1", Ground: retention.GroundLegalClaim, Reason: "court case 2026/123"}, now); err != nil {
			t.Fatal(err)
		}
		// The same facts as above, which answered for this subject
		// before the hold was placed: a hold is seen as soon as it is
		// placed, never hidden by what was read before.
		got, err := facts.RecordRetention(ctx, s, closed, note, now)
		if err != nil {
			t.Fatal(err)
		}
		if !got.Hold || got.Rule != privacy.G3 {
			t.Errorf("RecordRetention(held) = %+v, want Hold citing G3", got)
		}
	})
}
