package main

import (
	"context"
	"os"
	"path/filepath"
	"time"

	"github.com/dossierwacht/dossierwacht/access/rights"
)

// subjectAccess files Anna's written access request, computes its deadline
// and writes her export, in JSON and as a Dutch and an English page.
func (w *world) subjectAccess(ctx context.Context) error {
	w.p.section("Anna asks for her data (rules R11, O13, G1, G2, G5)")
	received := w.now.Add(72 * time.Hour)
	req, err := w.desk.File(ctx, act(w.carla, received), rights.Filing{ID: "req-anna-access", Subject: "employee-anna",
		Kind: rights.KindAccess, Form: rights.FormWritten, Received: received, Document: "letter-anna-2026-03-05"})
	if err != nil {
		return err
	}
	w.p.printf("filed %s (%s, %s) on %s: answer due %s (rule %s: %s)\n", req.ID, req.Kind, req.Form,
		req.Received.Format("2006-01-02"), req.Due.Date, req.Due.Rule, req.Due.Citation)
	// The export is Anna's whole file: the folder it makes is for its
	// owner only (0700), and so are the files (0600), whatever the umask;
	// a folder that exists keeps its mode.
	if err := os.MkdirAll(w.outDir, 0o700); err != nil {
		return err
	}
	at := w.now.Add(96 * time.Hour)
	for _, f := range []struct {
		name string
		opts rights.ExportOptions
	}{
		{"export.json", rights.ExportOptions{Format: rights.FormatJSON, Request: req.ID}},
		{"export.nl.html", rights.ExportOptions{Format: rights.FormatHTML, Lang: rights.Dutch, Request: req.ID}},
		{"export.en.html", rights.ExportOptions{Format: rights.FormatHTML, Lang: rights.English, Request: req.ID}},
	} {
		out, err := os.OpenFile(filepath.Join(w.outDir, f.name), os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
		if err != nil {
			return err
		}
		if err := out.Chmod(0o600); err != nil { // a file of an earlier run keeps its mode otherwise
			out.Close()
			return err
		}
		totals, err := w.desk.Export(ctx, act(w.carla, at), out, "employee-anna", &f.opts)
		if cerr := out.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return err
		}
		w.p.printf("wrote %-15s %d case, %d records, %d medical withheld until the physician releases them (rule O13), %d disclosures, %d access events (rules G1, N9)\n",
			f.name, totals.Cases, totals.Records, totals.Withheld, totals.Disclosures, totals.AccessEvents)
	}
	abs, err := filepath.Abs(w.outDir)
	if err != nil {
		return err
	}
	w.p.printf("export written to %s (JSON schema %s, rule G5)\n", abs, rights.Schema)
	answered, err := w.desk.Answer(ctx, act(w.carla, at), req.ID, rights.Answer{Reason: "export sent to the employee"})
	if err != nil {
		return err
	}
	last := answered.Last()
	w.p.printf("answered %s on %s: copy %d, fee %d cents (rule N11: the first copy is free), late %t\n",
		answered.ID, at.Format("2006-01-02"), last.Copy, last.FeeCents, last.Late)
	return nil
}
