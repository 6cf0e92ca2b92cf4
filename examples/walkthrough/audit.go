package main

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"path/filepath"
	"time"

	"github.com/dossierwacht/dossierwacht/access"
	"github.com/dossierwacht/dossierwacht/export"
	"github.com/dossierwacht/dossierwacht/privacy"
)

// verifyAudit has the privacy officer verify the audit trail and keep its
// checkpoint, shows what Anna's export tells her of it, then edits one
// event in the file behind the store's back and shows that the next
// verification catches it, and where.
func (w *world) verifyAudit(ctx context.Context) error {
	w.later(time.Hour)
	w.section("The audit trail: verified, then tampered with and caught (rules G7, N9)")
	var buf bytes.Buffer
	if _, err := w.svc.Export(ctx, w.anna, "employee-anna", &buf, nil); err != nil {
		return err
	}
	doc, err := export.Decode(&buf)
	if err != nil {
		return err
	}
	log := doc.AccessLog.Entries
	var denied, refused *export.AccessEntry
	outcomes := map[privacy.Outcome]int{}
	for i, e := range log {
		outcomes[e.Outcome]++
		if denied == nil && e.Principal == w.bert.ID && e.Action == privacy.EventRead &&
			e.Category == privacy.CategoryAbsenceReason && e.Outcome == privacy.OutcomeDenied {
			denied = &log[i]
		}
		if refused == nil && e.Action == privacy.EventExecute && e.Outcome == privacy.OutcomeDenied {
			refused = &log[i]
		}
	}
	if denied == nil || refused == nil {
		return errors.New("the subject's access log lacks the employer's refused read or the refused disclosure")
	}
	w.p.printf("Anna's export lists the %d events about her data (rule N9): %d allowed, %d refused; e.g.\n",
		len(log), outcomes[privacy.OutcomeAllowed], outcomes[privacy.OutcomeDenied])
	for _, e := range []*export.AccessEntry{denied, refused} {
		w.p.printf("  event %d: %s %s %s %s: %s by rule %s\n", e.Seq, e.Time.Format("2006-01-02 15:04"),
			e.Principal, e.Action, e.Category, e.Outcome, e.Rule)
	}

	w.checkpoint, err = w.svc.VerifyAudit(ctx, w.olga, nil)
	if err != nil {
		return err
	}
	events := 0
	for _, cp := range w.checkpoint {
		events += int(cp.Seq)
	}
	w.p.printf("privacy-officer-olga verifies the whole trail: %d events in %d chains, one per subject and\n",
		events, len(w.checkpoint))
	w.p.printf("  the service's own, each event chained to the one before by its hash under a key the file\n")
	w.p.printf("  does not hold; all of the walkthrough's decisions, allowed or refused, on anyone's data,\n")
	w.p.printf("  and the service's own steps (sweeps, proofs, verifications): intact (rule G7)\n")
	w.p.printf("the Service keeps each chain's head outside the file (%s): a later verification\n", checkpointFile)
	w.p.printf("  against them also catches a chain cut short, removed or rewritten; Anna's chain ends at\n")
	w.p.printf("  event %d:%s\n", w.checkpoint["employee-anna"].Seq, w.checkpoint["employee-anna"].Hash)

	// The store refuses any change to the trail (its triggers, rule G7).
	// Play someone who got past them with write access to the file: drop
	// the trigger and turn the employer's refused read into an allowed one.
	if err := w.tamper(ctx, denied.Seq); err != nil {
		return err
	}
	w.p.printf("someone with write access to the file drops the store's append-only trigger and edits\n")
	w.p.printf("  event %d: the employer's refused read of the absence reason now reads allowed\n", denied.Seq)
	_, err = w.svc.VerifyAudit(ctx, w.olga, nil)
	var ce *access.ChainError
	if !errors.Is(err, access.ErrTampered) || !errors.As(err, &ce) {
		return fmt.Errorf("tampering was not caught: %w", err)
	}
	w.p.printf("the next verification fails: Anna's chain, event %d %s (rule %s)\n",
		ce.Seq, ce.Problem, privacy.RuleOf(err))
	return nil
}

// tamper edits event seq in the SQLite file as an attacker would, not
// through the library: the store would refuse.
func (w *world) tamper(ctx context.Context, seq uint64) error {
	abs, err := filepath.Abs(w.path)
	if err != nil {
		return err
	}
	// The driver the SQLite adapter registers, on the file's URI.
	db, err := sql.Open("sqlite", (&url.URL{Scheme: "file", Path: filepath.ToSlash(abs)}).String())
	if err != nil {
		return err
	}
	defer db.Close()
	if _, err := db.ExecContext(ctx, `DROP TRIGGER audit_chain_no_update`); err != nil {
		return err
	}
	if _, err := db.ExecContext(ctx, `UPDATE audit_events SET outcome = 'allowed' WHERE subject = 'employee-anna' AND seq = ?`,
		int64(seq)); err != nil {
		return err
	}
	return nil
}
