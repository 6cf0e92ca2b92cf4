package consent_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"strings"
	"time"

	"github.com/dossierwacht/dossierwacht/access"
	"github.com/dossierwacht/dossierwacht/consent"
	"github.com/dossierwacht/dossierwacht/memstore"
	"github.com/dossierwacht/dossierwacht/privacy"
)

// service returns a consent registry under policy over an in-memory store
// that holds Anna's absence case, commissioned by the bakery, with her
// physician's assessment of her work capacity, and her reintegration
// trajectory, commissioned by the municipality of Utrecht. A disclosure is
// always decided with the case it comes from.
func service(policy *privacy.Policy) *consent.Registry {
	ctx := context.Background()
	store := memstore.New()
	file, err := privacy.NewDossiers(store, policy)
	if err != nil {
		log.Fatal(err)
	}
	start := time.Date(2025, time.January, 1, 0, 0, 0, 0, time.UTC)
	opened := time.Date(2026, time.March, 1, 9, 0, 0, 0, time.UTC)
	setup := privacy.Act{By: privacy.Principal{ID: "physician-dirk", Role: privacy.RolePhysician, Party: "the-service",
		Secrecy: privacy.SecrecyProfessional, MultiFactor: true}, At: opened}
	if err := file.CreateSubject(ctx, setup, privacy.Subject{ID: "employee-anna", Employer: "employer-bakery", Created: start}); err != nil {
		log.Fatal(err)
	}
	for _, c := range []privacy.Case{
		{ID: "case-anna-absence", Subject: "employee-anna", Kind: privacy.CaseAbsence, Purpose: privacy.PurposeAbsenceGuidance,
			Contract: privacy.Contract{ID: "contract-bakery", Party: "employer-bakery", PartyKind: privacy.PartyEmployer, Start: start},
			Opened:   opened},
		{ID: "case-anna-trajectory", Subject: "employee-anna", Kind: privacy.CaseReintegration, Purpose: privacy.PurposeReintegration,
			Contract: privacy.Contract{ID: "contract-utrecht", Party: "gemeente-utrecht", PartyKind: privacy.PartyMunicipality, Start: start},
			Opened:   opened},
	} {
		if err := file.OpenCase(ctx, setup, c); err != nil {
			log.Fatal(err)
		}
	}
	if err := file.AddRecord(ctx, setup, privacy.Record{ID: "rec-capacity", Case: "case-anna-absence", Category: privacy.CategoryWorkCapacity,
		Author: "physician-dirk", Source: privacy.Source{Kind: privacy.PartyService}, Created: opened,
		Fields: map[privacy.Field]string{privacy.FieldLimitations: "no lifting"}}); err != nil {
		log.Fatal(err)
	}
	reg, err := consent.New(store, policy, nil)
	if err != nil {
		log.Fatal(err)
	}
	return reg
}

// The service's staff, each assigned to Anna's cases (rules R7, O4, O6).
var (
	carla = access.NewPrincipal(privacy.Principal{ID: "case-manager-carla", Role: privacy.RoleCaseManager, Party: "service",
		Secrecy: privacy.SecrecyAgreement}, []privacy.CaseID{"case-anna-absence", "case-anna-trajectory"}, nil)
	dirk = access.NewPrincipal(privacy.Principal{ID: "physician-dirk", Role: privacy.RolePhysician, Party: "service",
		Secrecy: privacy.SecrecyProfessional, MultiFactor: true}, []privacy.CaseID{"case-anna-absence"}, nil)
	annaPortal = access.NewPrincipal(privacy.Principal{ID: "anna-portal", Role: privacy.RoleSubject, Subject: "employee-anna"}, nil, nil)
)

// The whole life of a consent: a disclosure to the employer is refused,
// the employee's written consent is recorded, the same disclosure is
// allowed and logged, the consent is revoked, and the disclosure is
// refused again.
func Example() {
	ctx := context.Background()
	reg := service(privacy.Strict())
	now := time.Date(2026, time.March, 2, 9, 0, 0, 0, time.UTC)
	bakery := consent.Recipient{Party: "employer-bakery", Kind: privacy.PartyEmployer}
	// The bakery asked in writing (O14: beyond the statutory minimum only
	// on the employer's written request and the employee's written consent).
	req := consent.Request{ID: "disclosure-1", By: carla, Recipient: bakery, Subject: "employee-anna",
		Case: "case-anna-absence", Items: []consent.Item{{Category: privacy.CategoryNotes}},
		Purpose: privacy.PurposeAbsenceGuidance, At: now, WrittenRequest: "letter-bakery-1"}

	d, err := reg.Disclose(ctx, req)
	fmt.Println("before consent:", d, "| forbidden:", errors.Is(err, privacy.ErrForbidden))

	// Anna signed at 10:00; Carla records it at 10:05.
	_, err = reg.AddGrant(ctx, carla, consent.Grant{ID: "grant-anna-1", Subject: "employee-anna", Recipient: bakery,
		Categories: []privacy.Category{privacy.CategoryNotes}, Purpose: privacy.PurposeAbsenceGuidance,
		Form: consent.FormWritten, Document: "scan-2026-0042", Given: now.Add(time.Hour)}, now.Add(65*time.Minute))
	if err != nil {
		log.Fatal(err)
	}
	req.ID, req.At = "disclosure-2", now.Add(2*time.Hour)
	d, err = reg.Disclose(ctx, req)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("with written consent:", d, "on", d.Grants())

	if _, err := reg.Revoke(ctx, carla, "grant-anna-1", now.Add(3*time.Hour)); err != nil {
		log.Fatal(err)
	}
	req.ID, req.At = "disclosure-3", now.Add(4*time.Hour)
	d, _ = reg.Disclose(ctx, req)
	fmt.Println("after revocation:", d.Allowed, d.Rule)

	logged, _ := reg.Disclosures(ctx, "employee-anna")
	for _, l := range logged {
		fmt.Println("logged:", l.ID, "to", l.Recipient, "at", l.At.Format("15:04"), "rule", l.Rule)
	}
	// Output:
	// before consent: denied by O14 (notes): needs the subject's written consent; no written grant in force covers it | forbidden: true
	// with written consent: allowed by O14 (written-consent) on [grant-anna-1]
	// after revocation: false O14
	// logged: disclosure-2 to employer:employer-bakery at 11:00 rule O14
}

// The company doctor tells the employer that commissioned the case the
// employee's limitations without consent (rule N2); the log records that
// the same text goes to the employee. Another employer gets nothing, and
// neither does the diagnosis.
func ExampleRegistry_Disclose() {
	ctx := context.Background()
	reg := service(privacy.Strict())
	req := consent.Request{ID: "advice-1", By: dirk, Subject: "employee-anna", Case: "case-anna-absence",
		Recipient: consent.Recipient{Party: "employer-bakery", Kind: privacy.PartyEmployer},
		Items: []consent.Item{{Category: privacy.CategoryWorkCapacity, Record: "rec-capacity",
			Fields: []privacy.Field{privacy.FieldLimitations, privacy.FieldCapacities, privacy.FieldAdjustments}}},
		Purpose: privacy.PurposeAbsenceGuidance, At: time.Date(2026, time.March, 9, 14, 0, 0, 0, time.UTC)}
	d, err := reg.Disclose(ctx, req)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(d, "| notify the employee:", d.NotifySubject)

	req.ID, req.Recipient.Party = "advice-2", "employer-butcher"
	_, err = reg.Disclose(ctx, req)
	fmt.Println(err)

	// The diagnosis is not among N2's items: without written consent it
	// stays with the physician.
	req.ID, req.Recipient.Party = "advice-3", "employer-bakery"
	req.Items = append(req.Items, consent.Item{Category: privacy.CategoryMedical})
	_, err = reg.Disclose(ctx, req)
	fmt.Println(err)
	// Output:
	// allowed by N2 (none) | notify the employee: true
	// privacy: consent: disclose: rule N2: the physician's advice without consent goes only to the employer that commissioned the case
	// privacy: consent: disclose: rule O6: no disclosure rule of the policy covers this category for this recipient
}

// A revocation blocks every later disclosure and leaves the log of
// earlier ones as it was; it cannot be dated back before a disclosure
// that rests on the grant, and once it is recorded no disclosure dated
// before it is allowed any more.
func ExampleRegistry_Revoke() {
	ctx := context.Background()
	reg := service(privacy.RegulationR())
	day := func(d int) time.Time { return time.Date(2026, time.March, d, 9, 0, 0, 0, time.UTC) }
	gemeente := consent.Recipient{Party: "gemeente-utrecht", Kind: privacy.PartyMunicipality}
	// Rule R6: explicit consent, given by the client in the portal.
	if _, err := reg.AddGrant(ctx, annaPortal, consent.Grant{ID: "grant-1", Subject: "employee-anna", Recipient: gemeente,
		Categories: []privacy.Category{privacy.CategoryEducation}, Purpose: privacy.PurposeReintegration,
		Form: consent.FormExplicit, Given: day(1)}, day(1)); err != nil {
		log.Fatal(err)
	}
	req := consent.Request{ID: "d-1", By: carla, Recipient: gemeente, Subject: "employee-anna", Case: "case-anna-trajectory",
		Items: []consent.Item{{Category: privacy.CategoryEducation}}, Purpose: privacy.PurposeReintegration, At: day(5)}
	if _, err := reg.Disclose(ctx, req); err != nil {
		log.Fatal(err)
	}
	_, err := reg.Revoke(ctx, annaPortal, "grant-1", day(4))
	fmt.Println("revoke as of day 4:", errors.Is(err, privacy.ErrConflict))
	g, err := reg.Revoke(ctx, annaPortal, "grant-1", day(6))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("revoked as of", g.Revoked.Format("2 Jan"))
	req.ID, req.At = "d-2", day(7)
	d, _ := reg.Disclose(ctx, req)
	fmt.Println("day 7:", d)
	req.ID, req.At = "d-3", day(5).Add(time.Hour)
	d, _ = reg.Disclose(ctx, req)
	fmt.Println("dated day 5:", d)
	logged, _ := reg.Disclosures(ctx, "employee-anna")
	fmt.Println("logged:", len(logged), logged[0].ID, logged[0].Grants)
	// Output:
	// revoke as of day 4: true
	// revoked as of 6 Mar
	// day 7: denied by R6 (education): needs the subject's explicit consent; no grant in force covers it
	// dated day 5: denied by R6: the disclosure is dated before a revocation the subject's file already records
	// logged: 1 d-1 [grant-1]
}

// The access engine asks whether the employee approved that the employer
// learns of a consultation-hour visit (rule O10).
func ExampleRegistry_Consents() {
	ctx := context.Background()
	reg := service(privacy.Strict())
	at := time.Date(2026, time.April, 1, 9, 0, 0, 0, time.UTC)
	bakery := consent.Recipient{Party: "employer-bakery", Kind: privacy.PartyEmployer}
	q := consent.Query{Subject: "employee-anna", Recipient: bakery, Category: privacy.CategoryConsultation,
		Case: "case-anna-visit", At: at}
	ok, _ := reg.Consents(ctx, q)
	fmt.Println("without approval:", ok)
	if _, err := reg.AddGrant(ctx, annaPortal, consent.Grant{ID: "grant-visit", Subject: "employee-anna", Recipient: bakery,
		Categories: []privacy.Category{privacy.CategoryConsultation}, Purpose: privacy.PurposePrevention,
		Case: "case-anna-visit", Form: consent.FormWritten, Document: "signed-form-17", Given: at.Add(-time.Hour)},
		at.Add(-time.Hour)); err != nil {
		log.Fatal(err)
	}
	ok, _ = reg.Consents(ctx, q)
	fmt.Println("with written approval:", ok)
	q.Case = "case-anna-exam"
	ok, _ = reg.Consents(ctx, q)
	fmt.Println("for another case:", ok)
	// Output:
	// without approval: false
	// with written approval: true
	// for another case: false
}

// After a record is rectified or erased, the log says whom to tell (rule
// G4); Recipients sums up who received what (G1).
func ExampleRegistry_Notify() {
	ctx := context.Background()
	reg := service(privacy.Strict())
	at := time.Date(2026, time.March, 2, 9, 0, 0, 0, time.UTC)
	uwv := consent.Recipient{Party: "uwv", Kind: privacy.PartyUWV}
	bakery := consent.Recipient{Party: "employer-bakery", Kind: privacy.PartyEmployer}
	for _, r := range []consent.Request{
		// Rule N10: UWV receives what it needs, on SUWI art. 54(3)(c).
		{ID: "d-uwv", By: carla, Recipient: uwv, Basis: "suwi-54-3c",
			Items: []consent.Item{{Category: privacy.CategoryWorkCapacity, Record: "rec-capacity"}}},
		// Rule N2: the physician's advice to the employer.
		{ID: "d-bakery", By: dirk, Recipient: bakery,
			Items: []consent.Item{{Category: privacy.CategoryWorkCapacity}}},
	} {
		r.Subject, r.Case, r.Purpose, r.At = "employee-anna", "case-anna-absence", privacy.PurposeAbsenceGuidance, at
		if _, err := reg.Disclose(ctx, r); err != nil {
			log.Fatal(err)
		}
	}
	notices, err := reg.Notify(ctx, "employee-anna", consent.Item{Category: privacy.CategoryWorkCapacity, Record: "rec-capacity"})
	if err != nil {
		log.Fatal(err)
	}
	for _, n := range notices {
		fmt.Println("tell", n.Recipient, "of", n.Disclosures)
	}
	received, _ := reg.Recipients(ctx, "employee-anna")
	for _, r := range received {
		fmt.Println(r.Recipient, "received", r.Categories, r.Count, "time(s)")
	}
	// Output:
	// tell employer:employer-bakery of [d-bakery]
	// tell uwv:uwv of [d-uwv]
	// employer:employer-bakery received [work-capacity] 1 time(s)
	// uwv:uwv received [work-capacity] 1 time(s)
}

// An absence insurer gets the overview of rule O11 only for an employer
// the coverage register shows it covering.
func ExampleRegistry_AddCoverage() {
	ctx := context.Background()
	reg := service(privacy.Strict())
	at := time.Date(2026, time.March, 2, 9, 0, 0, 0, time.UTC)
	req := consent.Request{ID: "overview-1", By: carla, Subject: "employee-anna", Case: "case-anna-absence",
		Recipient: consent.Recipient{Party: "insurer-verzuim", Kind: privacy.PartyInsurer},
		Items: []consent.Item{
			{Category: privacy.CategoryIdentity, Fields: []privacy.Field{privacy.FieldName}},
			{Category: privacy.CategoryAbsenceFacts, Fields: []privacy.Field{privacy.FieldFirstDay, privacy.FieldIncapacityDegree}},
		},
		Purpose: privacy.PurposeAbsenceGuidance, At: at}
	_, err := reg.Disclose(ctx, req)
	fmt.Println("no coverage:", err)
	if _, err := reg.AddCoverage(ctx, carla, consent.Coverage{ID: "cover-1", Insurer: "insurer-verzuim",
		Employer: "employer-bakery", From: time.Date(2026, time.January, 1, 0, 0, 0, 0, time.UTC)}, at.Add(-time.Hour)); err != nil {
		log.Fatal(err)
	}
	req.ID = "overview-2"
	d, err := reg.Disclose(ctx, req)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("covered:", d, "on", d.Coverage)
	// Output:
	// no coverage: privacy: consent: disclose: rule O11: the overview goes only to an absence insurer that covers the case's employer
	// covered: allowed by O11 (none) on cover-1
}

// The pure decision, on the facts of the case: an absence insurer gets
// the overview of rule O11 without consent, and never more than rule N3's
// list, consent or not.
func ExampleEngine_Decide() {
	d, err := consent.NewEngine(privacy.Strict())
	if err != nil {
		log.Fatal(err)
	}
	at := time.Date(2026, time.March, 2, 9, 0, 0, 0, time.UTC)
	bakery := privacy.Contract{ID: "contract-bakery", Party: "employer-bakery", PartyKind: privacy.PartyEmployer,
		Start: time.Date(2025, time.January, 1, 0, 0, 0, 0, time.UTC)}
	facts := &consent.Facts{
		Case: privacy.Case{ID: "case-anna-absence", Subject: "employee-anna", Kind: privacy.CaseAbsence,
			Purpose: privacy.PurposeAbsenceGuidance, Contract: bakery, Opened: at.Add(-24 * time.Hour)},
		Coverage: []consent.Coverage{{ID: "cover-1", Insurer: "insurer-verzuim", Employer: "employer-bakery", From: bakery.Start}},
	}
	insurer := consent.Recipient{Party: "insurer-verzuim", Kind: privacy.PartyInsurer}
	req := consent.Request{ID: "overview-1", Subject: "employee-anna", Case: "case-anna-absence", Recipient: insurer,
		Purpose: privacy.PurposeAbsenceGuidance, At: at, By: carla,
		Items: []consent.Item{
			{Category: privacy.CategoryIdentity, Fields: []privacy.Field{privacy.FieldName}},
			{Category: privacy.CategoryAbsenceFacts, Fields: []privacy.Field{privacy.FieldFirstDay, privacy.FieldIncapacityDegree}},
		}}
	fmt.Println(d.Decide(&req, facts))

	facts.Grants = []consent.Grant{{ID: "g-1", Subject: "employee-anna", Recipient: insurer, Purpose: privacy.PurposeAbsenceGuidance,
		Categories: []privacy.Category{privacy.CategoryWorkCapacity}, Form: consent.FormWritten, Document: "doc-1", Given: at}}
	req.Items = []consent.Item{{Category: privacy.CategoryWorkCapacity}}
	fmt.Println(d.Decide(&req, facts))
	// Output:
	// allowed by O11 (none)
	// denied by N3 (work-capacity): an absence insurer never receives more than the AP's list, not even with consent
}

// A grant as an HTTP service receives it: decoded strictly and validated;
// consent never covers the BSN (rule N5).
func ExampleDecodeGrant() {
	g, err := consent.DecodeGrant(strings.NewReader(`{"id":"grant-1","subject":"employee-anna",
		"recipient":{"kind":"third-party","party":"lawyer-jansen"},"categories":["notes","medical"],
		"purpose":"absence-guidance","form":"written","document":"scan-0042","given":"2026-03-02T09:00:00Z"}`))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(g.ID, g.Form, g.Categories, "in force from", g.From.Format(time.DateOnly))

	_, err = consent.DecodeGrant(strings.NewReader(`{"id":"grant-2","subject":"employee-anna",
		"recipient":{"kind":"employer"},"categories":["national-id"],
		"purpose":"absence-guidance","form":"written","document":"scan-0043","given":"2026-03-02T09:00:00Z"}`))
	fmt.Println(err, errors.Is(err, privacy.ErrInvalid))
	// Output:
	// grant-1 written [notes medical] in force from 2026-03-02
	// privacy: consent: validate grant: rule N5: categories[0]: consent never covers the BSN true
}
