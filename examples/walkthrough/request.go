package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"time"

	"github.com/dossierwacht/dossierwacht"
	"github.com/dossierwacht/dossierwacht/export"
	"github.com/dossierwacht/dossierwacht/rights"
)

// subjectAccess files Anna's written access request, with its deadline;
// Anna downloads her export, in JSON and as a Dutch and an English page;
// the case manager answers the request.
func (w *world) subjectAccess(ctx context.Context) error {
	w.at(time.Date(2026, time.March, 5, 9, 0, 0, 0, time.UTC))
	w.section("Anna asks for her data (rules R11, O13, G1, G2, G5)")
	req, err := w.svc.FileRequest(ctx, w.carla, rights.Filing{ID: "req-anna-access", Subject: "employee-anna",
		Kind: rights.KindAccess, Form: rights.FormWritten, Document: "letter-anna-2026-03-05"})
	if err != nil {
		return err
	}
	w.p.printf("carla files %s (%s, %s) on %s: answer due %s\n  (rule %s: %s)\n", req.ID, req.Kind, req.Form,
		req.Received.Format("2006-01-02"), req.Due.Date, req.Due.Rule, req.Due.Citation)

	w.at(w.now.Add(24 * time.Hour))
	w.p.printf("%s: Anna downloads everything held about her:\n", w.now.Format("2006-01-02"))
	var totals export.Totals
	for _, f := range []struct {
		name string
		opts dossierwacht.ExportOptions
	}{
		{"export.json", dossierwacht.ExportOptions{Format: export.FormatJSON, Request: req.ID}},
		{"export.nl.html", dossierwacht.ExportOptions{Format: export.FormatHTML, Lang: export.Dutch, Request: req.ID}},
		{"export.en.html", dossierwacht.ExportOptions{Format: export.FormatHTML, Lang: export.English, Request: req.ID}},
	} {
		var buf bytes.Buffer
		if totals, err = w.svc.Export(ctx, w.anna, "employee-anna", &buf, &f.opts); err != nil {
			return err
		}
		// The export is the subject's medical and absence data: the owner's
		// only, also where an earlier run left the file readable by others.
		path := filepath.Join(w.outDir, f.name)
		if err := os.WriteFile(path, buf.Bytes(), 0o600); err != nil {
			return err
		}
		if err := os.Chmod(path, 0o600); err != nil {
			return err
		}
		w.p.printf("  wrote %-14s %s, %s (%d medical, %d withheld), %s, %s\n", f.name,
			plural(totals.Cases, "case"), plural(totals.Records, "record"), totals.Medical, totals.Withheld,
			plural(totals.Disclosures, "disclosure"), plural(totals.AccessEvents, "access event"))
	}
	w.p.printf("withheld: the medical record is listed without its content until the physician releases it\n")
	w.p.printf("  (rule O13)\n")
	w.p.printf("access events: the audit trail's entries about Anna's data so far — every view, decision,\n")
	w.p.printf("  write, refusal and disclosure, with who, when, why and the rule (rule N9); each download\n")
	w.p.printf("  adds one, so each file lists one more than the file before it\n")
	w.p.printf("the JSON follows schema %s (rule G5); the files are in\n  %s\n", export.Schema, w.abs(w.outDir))

	// What the disclosure log told her (rule G1): read back from the JSON
	// she received.
	data, err := os.ReadFile(filepath.Join(w.outDir, "export.json"))
	if err != nil {
		return err
	}
	export, err := export.Decode(bytes.NewReader(data))
	if err != nil {
		return err
	}
	for _, d := range export.Disclosures.Entries {
		w.p.printf("her export's disclosure log: %s, %v to %s\n  on %s, on %s %s by rule %s (rules G1, G4)\n",
			d.ID, d.Records, d.Recipient, d.Time.Format("2006-01-02 15:04"), d.Basis, d.Grant, d.Rule)
	}

	answered, err := w.svc.AnswerRequest(ctx, w.carla, req.ID, "export sent to the employee", 0)
	if err != nil {
		return err
	}
	last := answered.Last()
	w.p.printf("carla answers %s on %s: copy %d, fee %d cents (rule N11: the first copy is free),\n  late: %t\n",
		answered.ID, w.now.Format("2006-01-02"), last.Copy, last.FeeCents, last.Late)
	return nil
}

// abs is path made absolute, for a person to find it.
func (w *world) abs(path string) string {
	if a, err := filepath.Abs(path); err == nil {
		return a
	}
	return path
}
