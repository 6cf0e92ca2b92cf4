package main

import (
	"bytes"
	"context"
	"strings"
	"time"

	"github.com/dossierwacht/dossierwacht/export"
	"github.com/dossierwacht/dossierwacht/privacy"
)

// sweepRetention closes Anna's case, records the end of her employment,
// moves the clock two years on and has the privacy officer run the
// retention sweep: what is due goes, each deletion with a proof naming its
// rule; what must stay stays, and Anna's export says until when.
func (w *world) sweepRetention(ctx context.Context) error {
	w.at(time.Date(2026, time.March, 16, 9, 0, 0, 0, time.UTC))
	w.section("Two years after the case closes, the retention sweep (rules R9, O12, N7, G3)")
	if err := w.svc.CloseCase(ctx, w.carla, annaCase); err != nil {
		return err
	}
	w.p.printf("case-manager-carla closes %s: Anna is back at work; retention clocks start (rule O12)\n", annaCase)
	w.at(time.Date(2026, time.July, 1, 9, 0, 0, 0, time.UTC))
	ended := time.Date(2026, time.June, 30, 17, 0, 0, 0, time.UTC)
	if err := w.svc.EndEmployment(ctx, w.bert, "employee-anna", ended); err != nil {
		return err
	}
	w.p.printf("%s: employer-contact-bert reports that Anna's employment ended on %s (rules O8, N7)\n",
		w.now.Format("2006-01-02"), ended.Format("2006-01-02"))

	w.at(time.Date(2028, time.March, 17, 9, 0, 0, 0, time.UTC))
	w.p.printf("%s: the clock moves on two years and a day\n", w.now.Format("2006-01-02"))
	plan, err := w.svc.PlanSweep(ctx, w.olga)
	if err != nil {
		return err
	}
	w.p.printf("privacy-officer-olga's dry run: %s would go, nothing is deleted yet\n", plural(len(plan.Records), "record"))
	report, err := w.svc.Sweep(ctx, w.olga)
	if err != nil {
		return err
	}
	w.p.printf("the sweep under %s: %d examined, %d deleted, %d held by a legal hold (rule G3)\n",
		report.Policy, report.Examined, report.Erased, report.Held)
	// The rest of what is stored, each kind by its own rule (R9, O12, N7,
	// G3, G4): a case, a consent or a subject goes once what it is about
	// is gone and its own period has run.
	for _, k := range report.Objects {
		if k.Examined > 0 {
			w.p.printf("  %-12s %d examined, %d deleted, %d held\n", k.Kind+":", k.Examined, k.Erased, k.Held)
		}
	}
	for _, k := range report.Objects {
		if k.Kind == privacy.DataCase && k.Erased > 0 {
			// Rules R9, O12: the other employees' cases were left open,
			// nothing recorded in them since they opened.
			w.p.printf("  the %s: left open with nothing recorded in them for two years,\n"+
				"    they ended at their last activity, and went with their employees (rules R9, O12)\n",
				plural(k.Erased, "other case"))
		}
	}
	if len(report.Unswept) > 0 {
		w.p.printf("  not swept by this store: %v\n", report.Unswept)
	}
	proofs, err := w.svc.Proofs(ctx, w.olga, "employee-anna")
	if err != nil {
		return err
	}
	w.p.printf("the proofs of deletion of her records, which olga keeps (they hold no content):\n")
	for _, p := range proofs {
		w.p.printf("  proof: %-15s %-14s of %s deleted %s, rule %s (%s)\n", p.Record, p.Category,
			p.Case, p.Deleted.Format("2006-01-02"), p.Rule, p.Reason)
	}
	for _, n := range report.Notices {
		w.p.printf("  tell %s of the erasure of %v: it received them (rule G4)\n", n.Recipient.Party, n.Records)
	}

	// What is left, and until when, as Anna's export now says (rule G1).
	var buf bytes.Buffer
	if _, err := w.svc.Export(ctx, w.anna, "employee-anna", &buf, nil); err != nil {
		return err
	}
	export, err := export.Decode(&buf)
	if err != nil {
		return err
	}
	for _, c := range export.Cases {
		for _, r := range c.Records {
			if ret := r.Retention; ret != nil {
				w.p.printf("  still kept, as her export says: %s (%s) until %s, rule %s:\n    %s after the %s\n",
					r.ID, r.Category, ret.Until, ret.Rule, period(ret.Period), strings.ReplaceAll(string(ret.Trigger), "-", " "))
			}
		}
	}
	again, err := w.svc.Sweep(ctx, w.olga)
	if err != nil {
		return err
	}
	w.p.printf("the same sweep again deletes %d: sweeps are idempotent\n", again.Erased)
	return nil
}

// period is p in words: "20 years", "1 year and 6 months".
func period(p privacy.Period) string {
	var parts []string
	for _, u := range []struct {
		n    int
		unit string
	}{{p.Years, "year"}, {p.Months, "month"}, {p.Weeks, "week"}, {p.Days, "day"}} {
		if u.n != 0 {
			parts = append(parts, plural(u.n, u.unit))
		}
	}
	return strings.Join(parts, " and ")
}
