package dossierwacht_test

import (
	"bytes"
	"context"
	"fmt"
	"log"
	"time"

	"github.com/dossierwacht/dossierwacht"
	"github.com/dossierwacht/dossierwacht/consent"
	"github.com/dossierwacht/dossierwacht/memstore"
	"github.com/dossierwacht/dossierwacht/privacy"
)

// The basic job: open a store, add a case and records, see what each
// actor may see, disclose on consent, export, and sweep when the time has
// come. Every step is decided, audited and timed by the Service.
func Example() {
	ctx, now := context.Background(), time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	svc, err := dossierwacht.Open(ctx, memstore.New(), privacy.Strict(), &dossierwacht.Options{Clock: func() time.Time { return now }})
	if err != nil {
		log.Fatal(err)
	}
	staff := func(id privacy.PrincipalID, r privacy.Role) *dossierwacht.Actor {
		return dossierwacht.NewActor(privacy.Principal{ID: id, Role: r, Party: "arbo", Secrecy: privacy.SecrecyAgreement}, []privacy.CaseID{"case-1"}, nil)
	}
	carla, dpo := staff("carla", privacy.RoleCaseManager), staff("dpo", privacy.RolePrivacyOfficer)
	bert := dossierwacht.NewActor(privacy.Principal{ID: "bert", Role: privacy.RoleEmployerContact, Party: "bakery"}, nil, nil)
	anna := dossierwacht.NewActor(privacy.Principal{ID: "anna", Role: privacy.RoleSubject, Subject: "anna"}, nil, nil)
	must := func(err error) {
		if err != nil {
			log.Fatal(err)
		}
	}
	must(svc.RegisterSubject(ctx, bert, privacy.Subject{ID: "anna", Employer: "bakery"}))
	must(svc.OpenCase(ctx, carla, privacy.Case{ID: "case-1", Subject: "anna", Kind: privacy.CaseAbsence, Purpose: privacy.PurposeAbsenceGuidance,
		Contract: privacy.Contract{ID: "contract-1", Party: "bakery", PartyKind: privacy.PartyEmployer, Start: now.AddDate(-1, 0, 0)}}))
	rec := func(id privacy.RecordID, c privacy.Category, f privacy.Field, v string) privacy.Record {
		return privacy.Record{ID: id, Case: "case-1", Subject: "anna", Category: c, Source: privacy.Source{Kind: privacy.PartyService}, Fields: map[privacy.Field]string{f: v}}
	}
	must(svc.AddRecords(ctx, carla, rec("r-1", privacy.CategoryAbsenceFacts, privacy.FieldFirstDay, "2026-03-02"),
		rec("r-2", privacy.CategoryAbsenceReason, privacy.FieldText, "back pain"), rec("r-3", privacy.CategoryNotes, privacy.FieldText, "call Friday")))
	for _, who := range []*dossierwacht.Actor{carla, bert} {
		v, err := svc.View(ctx, who, "case-1", privacy.PurposeAbsenceGuidance)
		must(err)
		fmt.Println(who.ID, "sees records:", len(v.Records))
	}
	_, err = svc.Disclose(ctx, carla, consent.Request{ID: "d-1", Recipient: consent.Recipient{Party: "bakery", Kind: privacy.PartyEmployer},
		Subject: "anna", Case: "case-1", Items: []consent.Item{{Category: privacy.CategoryNotes, Record: "r-3"}}, Purpose: privacy.PurposeAbsenceGuidance})
	fmt.Println("without consent:", privacy.RuleOf(err))
	_, err = svc.GrantConsent(ctx, anna, consent.Grant{ID: "g-1", Subject: "anna", Recipient: consent.Recipient{Party: "bakery"},
		Categories: []privacy.Category{privacy.CategoryNotes}, Purpose: privacy.PurposeAbsenceGuidance, Form: consent.FormWritten, Document: "letter-1"})
	must(err)
	d, err := svc.Disclose(ctx, carla, consent.Request{ID: "d-2", Recipient: consent.Recipient{Party: "bakery", Kind: privacy.PartyEmployer},
		Subject: "anna", Case: "case-1", Items: []consent.Item{{Category: privacy.CategoryNotes, Record: "r-3"}}, Purpose: privacy.PurposeAbsenceGuidance,
		WrittenRequest: "letter-bakery"})
	must(err)
	fmt.Println("with written consent and request:", d.Rule, d.Records[0].Fields[0].Value)
	var export bytes.Buffer
	totals, err := svc.Export(ctx, anna, "anna", &export, nil)
	must(err)
	fmt.Println("anna's export:", totals.Records, "records,", totals.Disclosures, "disclosure")
	must(svc.CloseCase(ctx, carla, "case-1"))
	now = now.AddDate(2, 1, 0)
	report, err := svc.Sweep(ctx, dpo)
	must(err)
	fmt.Println("two years after closing, the sweep erased", report.Erased, "records")
	// Output:
	// carla sees records: 3
	// bert sees records: 1
	// without consent: O14
	// with written consent and request: O14 call Friday
	// anna's export: 3 records, 1 disclosure
	// two years after closing, the sweep erased 3 records
}
