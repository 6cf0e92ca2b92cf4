package main

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/dossierwacht/dossierwacht/access"
	"github.com/dossierwacht/dossierwacht/consent"
	"github.com/dossierwacht/dossierwacht/privacy"
)

// consentChecker answers rule O10's question from the consent registry: did
// the subject consent to the party learning of this case?
func (w *world) consentChecker(ctx context.Context) access.ConsentChecker {
	return access.ConsentFunc(func(c privacy.Case, party privacy.PartyID) bool {
		ok, err := w.registry.Consents(ctx, consent.Query{Subject: c.Subject,
			Recipient: consent.Recipient{Party: party, Kind: privacy.PartyEmployer},
			Category:  privacy.CategoryConsultation, Case: c.ID, At: w.now})
		return err == nil && ok // fail closed: an error is no consent
	})
}

// discloseToEmployer shows the disclosure gate: refused without consent,
// allowed and logged on the employee's written consent, refused again once
// it is revoked.
func (w *world) discloseToEmployer(ctx context.Context) error {
	w.p.section("A disclosure to the employer needs written consent (rules O14, R6)")
	note := privacy.Record{ID: "rec-plan-note", Case: annaCase, Category: privacy.CategoryNotes,
		Author: w.carla.ID, Source: privacy.Source{Kind: privacy.PartyService}, Created: w.now.Add(24 * time.Hour),
		Fields: map[privacy.Field]string{privacy.FieldText: "gradual return from week 3, mornings only"}}
	if err := w.dossiers.AddRecord(ctx, note); err != nil {
		return err
	}
	employer := consent.Recipient{Party: bakery, Kind: privacy.PartyEmployer}
	req := consent.Request{ID: "disclosure-anna-1", By: w.carla, Recipient: employer, Subject: "employee-anna",
		Case: annaCase, Items: []consent.Item{{Category: privacy.CategoryNotes, Record: note.ID}},
		Purpose: privacy.PurposeAbsenceGuidance, At: w.now.Add(25 * time.Hour)}
	d, err := w.registry.Disclose(ctx, req)
	if !errors.Is(err, privacy.ErrForbidden) {
		return fmt.Errorf("walkthrough: a disclosure without consent was not refused: %v", err)
	}
	w.p.printf("%s to %s without consent: %v\n", note.ID, employer.Party, d)

	g, err := w.registry.AddGrant(ctx, w.carla, consent.Grant{ID: "grant-anna-bakery", Subject: "employee-anna",
		Recipient: employer, Categories: []privacy.Category{privacy.CategoryNotes}, Purpose: privacy.PurposeAbsenceGuidance,
		Case: annaCase, Form: consent.FormWritten, Document: "signed-consent-0042", Given: w.now.Add(26 * time.Hour)},
		w.now.Add(26*time.Hour))
	if err != nil {
		return err
	}
	w.p.printf("recorded %s: %s consent of %s to %s for %v, document %s (rule O14)\n",
		g.ID, g.Form, g.Subject, employer.Party, g.Categories, g.Document)

	req.ID, req.At = "disclosure-anna-2", w.now.Add(27*time.Hour)
	if d, err = w.registry.Disclose(ctx, req); err != nil {
		return err
	}
	w.p.printf("%s to %s with consent: %v on %v\n", note.ID, employer.Party, d, d.Grants())

	revokedAt := w.now.Add(48 * time.Hour)
	if _, err := w.registry.Revoke(ctx, w.carla, g.ID, revokedAt); err != nil {
		return err
	}
	w.p.printf("revoked %s as of %s: no later disclosure may rest on it (rules O14, R6)\n", g.ID, revokedAt.Format("2006-01-02 15:04"))

	req.ID, req.At = "disclosure-anna-3", w.now.Add(49*time.Hour)
	d, err = w.registry.Disclose(ctx, req)
	if !errors.Is(err, privacy.ErrForbidden) {
		return fmt.Errorf("walkthrough: a disclosure after revocation was not refused: %v", err)
	}
	w.p.printf("%s to %s after revocation: %v\n", note.ID, employer.Party, d)

	logged, err := w.registry.Disclosures(ctx, "employee-anna")
	if err != nil {
		return err
	}
	for _, l := range logged {
		w.p.printf("disclosure log: %s, %s to %s at %s on %s by rule %s (rules G1, G4)\n",
			l.ID, l.Items[0].Record, l.Recipient.Party, l.At.Format("2006-01-02 15:04"), l.Basis, l.Rule)
	}
	return nil
}
