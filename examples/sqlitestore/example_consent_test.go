package sqlitestore_test

import (
	"context"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"time"

	"github.com/dossierwacht/dossierwacht/access"
	"github.com/dossierwacht/dossierwacht/consent"
	"github.com/dossierwacht/dossierwacht/examples/sqlitestore"
	"github.com/dossierwacht/dossierwacht/privacy"
)

// Example_consent keeps the consent register and the disclosure log in the
// same file as the case file, from which each disclosure's case is read: a
// written grant, a disclosure on it at the lawyer's written request, a
// revocation, and a disclosure after it that is refused; both decisions
// are in the audit trail.
func Example_consent() {
	ctx := context.Background()
	dir, err := os.MkdirTemp("", "dossiers")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	store, err := sqlitestore.Open(ctx, filepath.Join(dir, "dossiers.db"), nil)
	if err != nil {
		log.Fatal(err)
	}
	defer store.Close()
	reg, err := consent.New(store, privacy.Strict(), nil)
	if err != nil {
		log.Fatal(err)
	}

	now := time.Date(2026, time.March, 2, 9, 0, 0, 0, time.UTC)
	setup := privacy.Act{By: privacy.Principal{ID: "case-manager-1", Role: privacy.RoleCaseManager, Party: "service",
		Secrecy: privacy.SecrecyAgreement}, At: now}
	file, err := privacy.NewDossiers(store, privacy.Strict())
	if err != nil {
		log.Fatal(err)
	}
	if err := file.CreateSubject(ctx, setup, privacy.Subject{ID: "employee-1", Employer: "employer-1", Created: now.AddDate(-1, 0, 0)}); err != nil {
		log.Fatal(err)
	}
	if err := file.OpenCase(ctx, setup, privacy.Case{ID: "case-1", Subject: "employee-1", Kind: privacy.CaseAbsence,
		Purpose: privacy.PurposeAbsenceGuidance, Opened: now.Add(-24 * time.Hour),
		Contract: privacy.Contract{ID: "contract-1", Party: "employer-1", PartyKind: privacy.PartyEmployer, Start: now.AddDate(-1, 0, 0)}}); err != nil {
		log.Fatal(err)
	}
	staff := access.NewPrincipal(privacy.Principal{ID: "case-manager-1", Role: privacy.RoleCaseManager, Party: "service",
		Secrecy: privacy.SecrecyAgreement}, []privacy.CaseID{"case-1"}, nil)
	lawyer := consent.Recipient{Party: "lawyer-1", Kind: privacy.PartyThirdParty}
	if _, err := reg.AddGrant(ctx, staff, consent.Grant{ID: "grant-1", Subject: "employee-1", Recipient: lawyer,
		Categories: []privacy.Category{privacy.CategoryNotes}, Purpose: privacy.PurposeAbsenceGuidance,
		Form: consent.FormWritten, Document: "signed-form-17", Given: now}, now); err != nil {
		log.Fatal(err)
	}
	send := func(id consent.DisclosureID, at time.Time) {
		d, err := reg.Disclose(ctx, consent.Request{ID: id, By: staff, Recipient: lawyer, Subject: "employee-1", Case: "case-1",
			Items: []consent.Item{{Category: privacy.CategoryNotes}}, Purpose: privacy.PurposeAbsenceGuidance,
			WrittenRequest: "letter-" + string(id), At: at})
		fmt.Println(id, "allowed:", d.Allowed, "rule:", d.Rule, "err:", err != nil)
	}
	send("disclosure-1", now.Add(time.Hour))
	if _, err := reg.Revoke(ctx, staff, "grant-1", now.Add(2*time.Hour)); err != nil {
		log.Fatal(err)
	}
	send("disclosure-2", now.Add(3*time.Hour))

	logged, err := reg.Disclosures(ctx, "employee-1")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("logged:", len(logged), logged[0].ID, logged[0].Grants)
	for e, err := range store.SubjectEvents(ctx, "employee-1", 1) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println("audit", e.Seq, e.Action, e.Outcome, e.Object)
	}
	// Output:
	// disclosure-1 allowed: true rule: O14 err: false
	// disclosure-2 allowed: false rule: O14 err: true
	// logged: 1 disclosure-1 [grant-1]
	// audit 1 create allowed employee-1
	// audit 2 create allowed case-1
	// audit 3 create allowed grant-1
	// audit 4 execute allowed disclosure-1
	// audit 5 update allowed grant-1
	// audit 6 execute denied disclosure-2
}
