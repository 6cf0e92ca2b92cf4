package main

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/dossierwacht/dossierwacht/consent"
	"github.com/dossierwacht/dossierwacht/privacy"
)

// discloseToEmployer shows the disclosure gate: refused without consent,
// allowed and logged on the employee's written consent, refused again once
// she withdraws it.
func (w *world) discloseToEmployer(ctx context.Context) error {
	w.later(24 * time.Hour)
	w.section("A disclosure to the employer needs written consent (rules O14, R6)")
	note := record("rec-plan-note", privacy.CategoryNotes, privacy.PartyService, map[privacy.Field]string{
		privacy.FieldText: "gradual return from week 3, mornings only"})
	if err := w.svc.AddRecords(ctx, w.carla, note); err != nil {
		return err
	}
	w.p.printf("case-manager-carla notes the plan: %s\n", note.ID)
	employer := consent.Recipient{Party: bakery, Kind: privacy.PartyEmployer}
	// The bakery asked for the plan in writing: beyond the statutory
	// minimum the employer receives only on its written request and the
	// employee's written consent (rule O14).
	req := consent.Request{ID: "disclosure-anna-1", Recipient: employer, Subject: "employee-anna", Case: annaCase,
		Items: []consent.Item{{Category: privacy.CategoryNotes, Record: note.ID}}, Purpose: privacy.PurposeAbsenceGuidance,
		WrittenRequest: "letter-bakery-0017"}

	w.later(time.Hour)
	_, err := w.svc.Disclose(ctx, w.carla, req)
	if !errors.Is(err, privacy.ErrForbidden) {
		return fmt.Errorf("a disclosure without consent was not refused: %w", err)
	}
	w.p.printf("carla sends %s to %s without consent: refused by\n  %s\n", note.ID, employer.Party, why(err))

	w.later(time.Hour)
	g, err := w.svc.GrantConsent(ctx, w.carla, consent.Grant{ID: "grant-anna-bakery", Subject: "employee-anna",
		Recipient: employer, Categories: []privacy.Category{privacy.CategoryNotes}, Purpose: privacy.PurposeAbsenceGuidance,
		Case: annaCase, Form: consent.FormWritten, Document: "signed-consent-0042"})
	if err != nil {
		return err
	}
	w.p.printf("carla records %s: Anna's %s consent for %v to %s,\n  document %s (rule O14)\n",
		g.ID, g.Form, g.Categories, employer.Party, g.Document)

	w.later(time.Hour)
	req.ID = "disclosure-anna-2"
	d, err := w.svc.Disclose(ctx, w.carla, req)
	if err != nil {
		return err
	}
	w.p.printf("carla sends %s to %s with consent:\n  %v on %v\n", note.ID, employer.Party, d.Decision, d.Grants())
	for _, r := range d.Records {
		for _, f := range r.Fields {
			w.p.printf("  what goes: %s %s %q (logged, rules G1, G4)\n", r.ID, f.Field, f.Value)
		}
	}

	w.at(w.now.Add(21 * time.Hour))
	if _, err := w.svc.RevokeConsent(ctx, w.anna, g.ID); err != nil {
		return err
	}
	w.p.printf("employee-anna withdraws %s: no later disclosure may rest on it (rules O14, R6)\n", g.ID)

	w.later(time.Hour)
	req.ID = "disclosure-anna-3"
	_, err = w.svc.Disclose(ctx, w.carla, req)
	if !errors.Is(err, privacy.ErrForbidden) {
		return fmt.Errorf("a disclosure after revocation was not refused: %w", err)
	}
	w.p.printf("carla sends %s to %s after the withdrawal: refused by\n  %s\n", note.ID, employer.Party, why(err))
	return nil
}
