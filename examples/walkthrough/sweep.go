package main

import (
	"context"
	"time"

	"github.com/dossierwacht/dossierwacht/privacy"
)

// sweepRetention closes Anna's case, records the end of her employment,
// moves the clock two years on and runs the retention sweep: what is due
// goes, each deletion with a proof naming its rule; what must stay stays.
func (w *world) sweepRetention(ctx context.Context) error {
	w.p.section("Two years after the case closes, the retention sweep (rules R9, O12, N7, G3)")
	closed := w.now.Add(14 * 24 * time.Hour)
	if err := w.dossiers.CloseCase(ctx, act(w.carla, closed), annaCase); err != nil {
		return err
	}
	ended := time.Date(2026, time.June, 30, 17, 0, 0, 0, time.UTC)
	if err := w.dossiers.EndEmployment(ctx, act(w.carla, ended), "employee-anna", ended); err != nil {
		return err
	}
	w.p.printf("%s closed %s; employment ended %s: retention clocks start (rules O8, O12, N7)\n",
		annaCase, closed.Format("2006-01-02"), ended.Format("2006-01-02"))
	later := closed.AddDate(2, 0, 1)
	job := privacy.Principal{ID: "retention-job", Role: privacy.RolePrivacyOfficer, Party: service}
	plan := 0
	for s, err := range w.keeper.Plan(ctx, job, later) {
		if err != nil {
			return err
		}
		if s.IsDue() {
			plan++
		}
	}
	w.p.printf("dry run on %s: %d records would go\n", later.Format("2006-01-02"), plan)
	report, err := w.keeper.Sweep(ctx, job, later)
	if err != nil {
		return err
	}
	w.p.printf("sweep on %s under %s: %d records examined, %d deleted, %d held\n",
		later.Format("2006-01-02"), report.Policy, report.Examined, report.Erased, report.Held)
	proofs, err := w.keeper.Proofs(ctx, "employee-anna")
	if err != nil {
		return err
	}
	for _, p := range proofs {
		w.p.printf("  proof: %s\n", p)
	}
	for _, n := range report.Notices {
		w.p.printf("  tell %s of the erasure of %v (rule G4)\n", n.Recipient.Party, n.Records)
	}
	schedules, err := w.keeper.Schedules(ctx, "employee-anna", later)
	if err != nil {
		return err
	}
	for _, s := range schedules {
		w.p.printf("  still kept: %s\n", s)
	}
	again, err := w.keeper.Sweep(ctx, job, later)
	if err != nil {
		return err
	}
	w.p.printf("the same sweep again deletes %d: sweeps are idempotent\n", again.Erased)
	return nil
}
