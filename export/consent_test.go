package export_test

import (
	"context"
	"testing"
	"time"

	"github.com/dossierwacht/dossierwacht/access"
	"github.com/dossierwacht/dossierwacht/consent"
	"github.com/dossierwacht/dossierwacht/export"
	"github.com/dossierwacht/dossierwacht/memstore"
	"github.com/dossierwacht/dossierwacht/privacy"
)

// TestFromConsent checks the glue from package consent: the export lists the
// subject's written grant with its revocation (O14) and the disclosure that
// rested on it (G1), with its recipient.
func TestFromConsent(t *testing.T) {
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
	c, _ := privacy.NewCase("c-1", "s-1", privacy.CaseAbsence, privacy.PurposeAbsenceGuidance, contract, t0)
	note := privacy.Record{ID: "r-note", Case: "c-1", Category: privacy.CategoryNotes, Author: "cm-1",
		Source: privacy.Source{Kind: privacy.PartyService}, Created: t0, Fields: map[privacy.Field]string{privacy.FieldText: "x"}}
	for _, err := range []error{d.CreateSubject(ctx, deskAct(t0), s), d.OpenCase(ctx, deskAct(t0), c), d.AddRecord(ctx, deskAct(t0), note)} {
		if err != nil {
			t.Fatal(err)
		}
	}
	reg, err := consent.New(store, policy, nil)
	if err != nil {
		t.Fatal(err)
	}
	cm := access.NewPrincipal(privacy.Principal{ID: "cm-1", Role: privacy.RoleCaseManager, Party: "service",
		Secrecy: privacy.SecrecyAgreement}, []privacy.CaseID{"c-1"}, nil)
	employer := consent.Recipient{Party: "employer-1", Kind: privacy.PartyEmployer}
	g, err := reg.AddGrant(ctx, cm, consent.Grant{ID: "g-1", Subject: "s-1", Recipient: employer,
		Categories: []privacy.Category{privacy.CategoryNotes}, Purpose: privacy.PurposeAbsenceGuidance, Case: "c-1",
		Form: consent.FormWritten, Document: "doc-1", Given: t0.Add(time.Hour)}, t0.Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := reg.Disclose(ctx, consent.Request{ID: "disc-1", By: cm, Recipient: employer, Subject: "s-1", Case: "c-1",
		Items: []consent.Item{{Category: privacy.CategoryNotes, Record: note.ID}}, Purpose: privacy.PurposeAbsenceGuidance,
		At: t0.Add(2 * time.Hour), WrittenRequest: "letter-1"}); err != nil { // O14: on the employer's written request
		t.Fatal(err)
	}
	if _, err := reg.Revoke(ctx, cm, g.ID, t0.Add(3*time.Hour)); err != nil {
		t.Fatal(err)
	}
	log := export.FromConsent(reg)
	var ds []export.Disclosure
	for x, err := range log.SubjectDisclosures(ctx, "s-1") {
		if err != nil {
			t.Fatal(err)
		}
		ds = append(ds, x)
	}
	if len(ds) != 1 || ds[0].ID != "disc-1" || ds[0].Recipient != "employer-1" || ds[0].Rule != privacy.O14 ||
		ds[0].Grant != "g-1" || len(ds[0].Records) != 1 || ds[0].Records[0] != "r-note" {
		t.Errorf("G1: SubjectDisclosures = %+v, want disc-1 to employer-1 on g-1 by O14", ds)
	}
	var cs []export.Consent
	for x, err := range log.SubjectConsents(ctx, "s-1") {
		if err != nil {
			t.Fatal(err)
		}
		cs = append(cs, x)
	}
	if len(cs) != 1 || !cs[0].Written || cs[0].Document != "doc-1" || cs[0].Rule != privacy.O14 || !cs[0].Revoked.Equal(t0.Add(3*time.Hour)) {
		t.Errorf("O14: SubjectConsents = %+v, want written g-1, revoked", cs)
	}
}

// TestFromAudit checks that the export's access log reads the subject's
// events from the first on (N9).
func TestFromAudit(t *testing.T) {
	ctx := context.Background()
	store := memstore.New()
	t0 := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	if _, err := store.AppendEvents(ctx,
		privacy.Event{Time: t0, Principal: "p-1", Role: privacy.RoleCaseManager, Subject: "s-1", Action: privacy.EventRead, Outcome: privacy.OutcomeAllowed, Rule: privacy.R7, Policy: "1.0.0"},
		privacy.Event{Time: t0, Principal: "p-2", Role: privacy.RoleEmployerContact, Subject: "s-2", Action: privacy.EventRead, Outcome: privacy.OutcomeDenied, Rule: privacy.O9, Policy: "1.0.0"},
		privacy.Event{Time: t0, Principal: "p-3", Role: privacy.RoleEmployerContact, Subject: "s-1", Action: privacy.EventRead, Outcome: privacy.OutcomeDenied, Rule: privacy.O9, Policy: "1.0.0"},
	); err != nil {
		t.Fatal(err)
	}
	var who []privacy.PrincipalID
	for e, err := range export.FromAudit(store).SubjectEvents(ctx, "s-1") {
		if err != nil {
			t.Fatal(err)
		}
		who = append(who, e.Principal)
	}
	if len(who) != 2 || who[0] != "p-1" || who[1] != "p-3" {
		t.Errorf("N9: SubjectEvents(s-1) = %v, want [p-1 p-3]", who)
	}
}
