package export_test

import (
	"bytes"
	"context"
	"testing"
	"time"

	"github.com/dossierwacht/dossierwacht/export"
	"github.com/dossierwacht/dossierwacht/memstore"
	"github.com/dossierwacht/dossierwacht/privacy"
	"github.com/dossierwacht/dossierwacht/retention"
	"github.com/dossierwacht/dossierwacht/rights"
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
	rules, err := retention.NewEngine(policy)
	if err != nil {
		t.Fatal(err)
	}
	facts := export.RetentionFromStore(store, rules)
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
		// AWR art. 52(4): seven years from the end of the year the
		// case closed (closed 15 June 2026: until 31 December 2033).
		{"R9_N7_wages_seven_years_by_statute", wages, privacy.R9, "2033-12-31", true},
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
		if _, err := ret.PlaceHold(ctx, privacy.Principal{ID: "legal-1", Role: privacy.RolePrivacyOfficer},
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

// TestExportNamesTheWinningRetentionRule: the export names, per record, the
// rule that decides its retention date, as the retention engine schedules
// it and a sweep deletes it (rules G1, O12, N7). An absence record of a
// case that is open, or closed while the employment lasts, goes two years
// after the case closes (O12), not two years after the employment ends
// (N7); N7 decides when the employment ended first; the medical file goes
// 20 years after the employment ends (N7).
func TestExportNamesTheWinningRetentionRule(t *testing.T) {
	closedAt := time.Date(2026, 3, 16, 10, 0, 0, 0, time.UTC)
	ended := time.Date(2026, 6, 30, 17, 0, 0, 0, time.UTC)
	earlyEnd := time.Date(2026, 3, 5, 17, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		name      string
		closed    time.Time
		ended     time.Time
		rule      privacy.RuleID
		trigger   privacy.Trigger
		until     string
		medical   privacy.RuleID
		medUntil  string
		sweptRule privacy.RuleID
	}{
		// Open: 2 years after its last activity, its records of 2 March
		// 2026 (rules R9, O12: an open case ends for retention then).
		{"O12_case_open_employment_lasts", time.Time{}, time.Time{}, privacy.O12, privacy.TriggerCaseClosed, "2028-03-02", privacy.N7, "", ""},
		{"O12_case_closed_employment_lasts", closedAt, time.Time{}, privacy.O12, privacy.TriggerCaseClosed, "2028-03-16", privacy.N7, "", privacy.O12},
		{"O12_case_closed_before_the_employment_ended", closedAt, ended, privacy.O12, privacy.TriggerCaseClosed, "2028-03-16", privacy.N7, "2046-06-30", privacy.O12},
		{"N7_employment_ended_before_the_case_closed", closedAt, earlyEnd, privacy.N7, privacy.TriggerEmploymentEnded, "2028-03-05", privacy.N7, "2046-03-05", privacy.N7},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w := newWorld(t, &worldOptions{Policy: privacy.Strict()})
			rules, err := retention.NewEngine(privacy.Strict())
			if err != nil {
				t.Fatal(err)
			}
			desk, err := rights.New(w.Store, w.Dossiers, &rights.Options{Retention: export.RetentionFromStore(w.Store, rules)})
			if err != nil {
				t.Fatal(err)
			}
			if !tc.ended.IsZero() {
				if err := w.Dossiers.EndEmployment(w.Ctx, deskAct(tc.ended), anna, tc.ended); err != nil {
					t.Fatal(err)
				}
			}
			if !tc.closed.IsZero() {
				if err := w.Dossiers.CloseCase(w.Ctx, deskAct(tc.closed), annaCase); err != nil {
					t.Fatal(err)
				}
			}
			now := time.Date(2026, 9, 1, 9, 0, 0, 0, time.UTC)
			var buf bytes.Buffer
			if _, err := desk.Export(w.Ctx, subjectAct(anna, now), &buf, anna, nil); err != nil {
				t.Fatal(err)
			}
			e, err := export.Decode(&buf)
			if err != nil {
				t.Fatal(err)
			}
			for _, r := range e.Cases[0].Records {
				if r.Retention == nil {
					t.Fatalf("record %s has no retention", r.ID)
				}
				got := *r.Retention
				switch r.ID {
				case "rec-note", "rec-sick-report", "rec-identity":
					if got.Rule != tc.rule || got.Trigger != tc.trigger || got.Until.String() != tc.until {
						t.Errorf("%s: retention %s %s until %v, want %s %s until %s", r.ID, got.Rule, got.Trigger, got.Until, tc.rule, tc.trigger, tc.until)
					}
				case "rec-medical":
					if got.Rule != tc.medical || got.Until.String() != tc.medUntil {
						t.Errorf("%s: retention %s until %v, want %s until %s", r.ID, got.Rule, got.Until, tc.medical, tc.medUntil)
					}
				}
			}
			if tc.sweptRule == "" {
				return
			}
			// The day after the named last day, a sweep deletes the note
			// under the named rule.
			keeper, err := retention.New(w.Store, privacy.Strict(), nil)
			if err != nil {
				t.Fatal(err)
			}
			at := day(t, tc.until).AddDays(1).In(time.UTC).Add(12 * time.Hour)
			if _, err := keeper.Sweep(w.Ctx, privacy.Principal{ID: "job", Role: privacy.RolePrivacyOfficer}, at); err != nil {
				t.Fatal(err)
			}
			proofs, err := keeper.Proofs(w.Ctx, anna)
			if err != nil {
				t.Fatal(err)
			}
			found := false
			for _, p := range proofs {
				if p.Record == "rec-note" {
					found = true
					if p.Rule != tc.sweptRule {
						t.Errorf("the sweep deleted rec-note under %s, the export named %s", p.Rule, tc.rule)
					}
				}
			}
			if !found {
				t.Errorf("the sweep of %v did not delete rec-note", at)
			}
		})
	}
}
