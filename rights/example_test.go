package rights_test

import (
	"bytes"
	"context"
	"fmt"
	"log"
	"time"

	"github.com/dossierwacht/dossierwacht/export"
	"github.com/dossierwacht/dossierwacht/memstore"
	"github.com/dossierwacht/dossierwacht/privacy"
	"github.com/dossierwacht/dossierwacht/retention"
	"github.com/dossierwacht/dossierwacht/rights"
)

// caseManager is Carla, who works the desk in the examples.
var caseManager = privacy.Principal{ID: "case-manager-carla", Role: privacy.RoleCaseManager, Secrecy: privacy.SecrecyAgreement}

// carlasCases are the cases Carla is assigned to: she decides the
// requests of their subjects (R7, O4).
var carlasCases = []privacy.CaseID{"case-anna"}

// exampleService is a service on memstore under the strict policy, with
// one employee, one absence case, a wage record and a medical record.
func exampleService() (*rights.Desk, *privacy.Dossiers) { return exampleServiceUnder(privacy.Strict()) }

// exampleServiceUnder is exampleService under policy p.
func exampleServiceUnder(p *privacy.Policy) (*rights.Desk, *privacy.Dossiers) {
	ctx := context.Background()
	store := memstore.New()
	dossiers, err := privacy.NewDossiers(store, p)
	if err != nil {
		log.Fatal(err)
	}
	now := time.Date(2026, time.March, 2, 9, 0, 0, 0, time.UTC)
	s, _ := privacy.NewSubject("employee-anna", "employer-bakery", now)
	contract := privacy.Contract{ID: "contract-bakery", Party: "employer-bakery", PartyKind: privacy.PartyEmployer,
		Start: time.Date(2025, time.January, 1, 0, 0, 0, 0, time.UTC)}
	c, _ := privacy.NewCase("case-anna", s.ID, privacy.CaseAbsence, privacy.PurposeAbsenceGuidance, contract, now)
	// Who writes, when: the case file audits every write (rule G7).
	carla := privacy.Act{By: privacy.Principal{ID: "case-manager-carla", Role: privacy.RoleCaseManager,
		Secrecy: privacy.SecrecyAgreement}, At: now}
	dirk := privacy.Act{By: privacy.Principal{ID: "physician-dirk", Role: privacy.RolePhysician,
		Secrecy: privacy.SecrecyProfessional, MultiFactor: true}, At: now}
	if err := dossiers.CreateSubject(ctx, carla, s); err != nil {
		log.Fatal(err)
	}
	if err := dossiers.OpenCase(ctx, carla, c); err != nil {
		log.Fatal(err)
	}
	employer := privacy.Source{Kind: privacy.PartyEmployer, Party: "employer-bakery"}
	if err := dossiers.AddRecords(ctx, carla,
		privacy.Record{ID: "rec-identity", Case: c.ID, Category: privacy.CategoryIdentity, Author: "employer-contact-bert",
			Source: employer, Created: now, Fields: map[privacy.Field]string{privacy.FieldName: "Anna de Vries"}},
		privacy.Record{ID: "rec-wages", Case: c.ID, Category: privacy.CategoryEmployment, Author: "employer-contact-bert",
			Source: employer, Created: now, Fields: map[privacy.Field]string{privacy.FieldWages: "2800"}},
	); err != nil {
		log.Fatal(err)
	}
	if err := dossiers.AddRecord(ctx, dirk, privacy.Record{ID: "rec-medical", Case: c.ID, Category: privacy.CategoryMedical,
		Author: "physician-dirk", Source: privacy.Source{Kind: privacy.PartyService}, Created: now,
		Fields: map[privacy.Field]string{privacy.FieldText: "lumbar strain"}}); err != nil {
		log.Fatal(err)
	}
	// Erasures go through package retention, with a proof of each
	// deletion (R9, O13, G3).
	keeper, err := retention.New(store, privacy.Strict(), nil)
	if err != nil {
		log.Fatal(err)
	}
	desk, err := rights.New(store, dossiers, &rights.Options{Erasures: keeper})
	if err != nil {
		log.Fatal(err)
	}
	return desk, dossiers
}

// A written access request gets its deadline: the strict policy applies
// regulation R's four weeks (R11), earlier than one month (O13, G2).
func ExampleDesk_File() {
	desk, _ := exampleService()
	received := time.Date(2026, time.March, 2, 9, 0, 0, 0, time.UTC)
	req, err := desk.File(context.Background(), privacy.Act{By: caseManager, At: received, Cases: carlasCases}, rights.Filing{ID: "req-1", Subject: "employee-anna",
		Kind: rights.KindAccess, Form: rights.FormWritten, Received: received})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(req.Status, "due", req.Due.Date, "under", req.Due.Rule)

	oral, err := desk.File(context.Background(), privacy.Act{By: caseManager, At: received, Cases: carlasCases}, rights.Filing{ID: "req-2", Subject: "employee-anna",
		Kind: rights.KindCopy, Form: rights.FormOral, Received: received})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("oral request awaits written confirmation:", oral.AwaitsWritten(), "rule", oral.WrittenRule)
	// Output:
	// received due 2026-03-30 under R11
	// oral request awaits written confirmation: true rule R11
}

// The deadline of a request received on 31 January: one month ends on 28
// February 2026, a Saturday, so the answer is due on Monday 2 March (G2).
// Extended by two further months, it runs from 28 February to 28 April.
func ExampleDeadline() {
	received := time.Date(2026, time.January, 31, 11, 0, 0, 0, time.UTC)
	due, err := rights.Deadline(privacy.RegulationO().Requests, received, nil)
	if err != nil {
		log.Fatal(err)
	}
	ext, _ := rights.ExtendedDeadline(privacy.RegulationO().Requests, received, nil)
	fmt.Println(due.Date, due.Rule)
	fmt.Println(ext.Date, ext.Rule, ext.Extension)
	// Output:
	// 2026-03-02 O13
	// 2026-04-28 O13 G2
}

// The export, in JSON, read back: every record, the medical one listed
// without content until the physician releases it (O13), and the facts of
// GDPR art. 15 (G1).
func ExampleDesk_Export() {
	desk, _ := exampleService()
	now := time.Date(2026, time.March, 3, 9, 0, 0, 0, time.UTC)
	// Anna asks for her own file; the case file audits the export's read
	// of the medical file (rules G7, N9). Staff export only where the
	// policy lets them (R7, O4): the strict policy lets no case manager.
	anna := privacy.Act{By: privacy.Principal{ID: "employee-anna", Role: privacy.RoleSubject,
		Subject: "employee-anna"}, At: now}
	var buf bytes.Buffer
	totals, err := desk.Export(context.Background(), anna, &buf, "employee-anna", nil)
	if err != nil {
		log.Fatal(err)
	}
	e, err := export.Decode(&buf)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(e.Schema, "records:", totals.Records, "withheld:", totals.Withheld)
	for _, r := range e.Cases[0].Records {
		if r.Withheld != "" {
			fmt.Println(r.ID, r.Category, r.Withheld)
		} else {
			fmt.Println(r.ID, r.Category, r.Fields)
		}
	}
	fmt.Println("consents:", e.Consents.Note)
	fmt.Println("complain to:", e.Facts.Complaint.Authority)
	// Output:
	// dossierwacht.export/v1 records: 3 withheld: 1
	// rec-identity identity map[name:Anna de Vries]
	// rec-wages employment map[wages:2800]
	// rec-medical medical pending-physician-release
	// consents: not available: no consent register was connected
	// complain to: Autoriteit Persoonsgegevens
}

// An erasure request: the wage record stays under the statutory fiscal
// period (G3), the rest goes, the medical record within three months of
// the request (N8).
func ExampleDesk_Plan() {
	desk, dossiers := exampleService()
	ctx := context.Background()
	received := time.Date(2026, time.March, 2, 9, 0, 0, 0, time.UTC)
	if _, err := desk.File(ctx, privacy.Act{By: caseManager, At: received, Cases: carlasCases}, rights.Filing{ID: "req-erase", Subject: "employee-anna", Kind: rights.KindErasure,
		Form: rights.FormWritten, Received: received}); err != nil {
		log.Fatal(err)
	}
	carla := privacy.Act{By: privacy.Principal{ID: "case-manager-carla", Role: privacy.RoleCaseManager,
		Secrecy: privacy.SecrecyAgreement}, At: received.Add(time.Hour), Cases: carlasCases}
	plan, err := desk.Plan(ctx, carla, "req-erase", nil)
	if err != nil {
		log.Fatal(err)
	}
	for _, c := range plan.Changes {
		fmt.Println("erase", c.Record)
	}
	for _, k := range plan.Keeps {
		fmt.Println("keep", k.Record, k.Ground, k.Rule, k.Retention)
	}
	fmt.Println("medical records gone by", plan.MedicalDue)
	// Olga, the privacy officer, carries the erasure out: each record
	// goes with a proof of its deletion.
	olga := privacy.Act{By: privacy.Principal{ID: "privacy-officer-olga", Role: privacy.RolePrivacyOfficer},
		At: received.Add(2 * time.Hour)}
	if err := desk.Apply(ctx, olga, plan); err != nil {
		log.Fatal(err)
	}
	req, err := desk.Answer(ctx, privacy.Act{By: caseManager, At: received.Add(2 * time.Hour), Cases: carlasCases}, "req-erase", rights.Answer{Reason: "erased, except what the law keeps", Plan: &plan})
	if err != nil {
		log.Fatal(err)
	}
	_, err = dossiers.Record(ctx, "rec-identity")
	fmt.Println(req.Status, "identity record still there:", err == nil)
	// Output:
	// erase rec-identity
	// erase rec-medical
	// keep rec-wages statutory-retention G3 R9
	// medical records gone by 2026-06-02
	// answered identity record still there: false
}

// A refusal states its reasons and the right to complain to the
// Autoriteit Persoonsgegevens (G2, O15).
func ExampleDesk_Refuse() {
	desk, _ := exampleService()
	ctx := context.Background()
	received := time.Date(2026, time.March, 2, 9, 0, 0, 0, time.UTC)
	if _, err := desk.File(ctx, privacy.Act{By: caseManager, At: received, Cases: carlasCases}, rights.Filing{ID: "req-fix", Subject: "employee-anna", Kind: rights.KindRectification,
		Form: rights.FormWritten, Received: received}); err != nil {
		log.Fatal(err)
	}
	req, err := desk.Refuse(ctx, privacy.Act{By: caseManager, At: received.Add(48 * time.Hour), Cases: carlasCases}, "req-fix", rights.Refusal{Ground: rights.GroundUnfounded, Reason: "the recorded first day of absence matches the sick report"})
	if err != nil {
		log.Fatal(err)
	}
	n, err := desk.Notice(req, export.English)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(n.Title)
	for _, l := range n.Lines {
		fmt.Println(l)
	}
	fmt.Println(n.Rules)
	// Output:
	// Your request req-fix is refused
	// We refuse your request on 4 March 2026. Ground: unfounded (rule O13).
	// Our reasons: the recorded first day of absence matches the sick report
	// You may lodge a complaint with the Autoriteit Persoonsgegevens, the Dutch data protection authority (autoriteitpersoonsgegevens.nl), and you may go to court (GDPR articles 12(4), 77 and 79).
	// [O13 G2 O15]
}

// An extension is the notice, with reasons, within the first period (G2).
// Regulation O's month extends by two further months; regulation R's four
// weeks, and so the strict policy's, do not extend (R11).
func ExampleDesk_Extend() {
	ctx := context.Background()
	received := time.Date(2026, time.March, 2, 9, 0, 0, 0, time.UTC)
	for _, p := range []*privacy.Policy{privacy.RegulationO(), privacy.Strict()} {
		desk, _ := exampleServiceUnder(p)
		if _, err := desk.File(ctx, privacy.Act{By: caseManager, At: received, Cases: carlasCases}, rights.Filing{ID: "req-1", Subject: "employee-anna",
			Kind: rights.KindAccess, Form: rights.FormWritten, Received: received}); err != nil {
			log.Fatal(err)
		}
		req, err := desk.Extend(ctx, privacy.Act{By: caseManager, At: received.Add(7 * 24 * time.Hour), Cases: carlasCases}, "req-1",
			rights.Extension{Reason: "the paper archive of the former arbodienst must be searched"})
		if err != nil {
			fmt.Println(p.Name+":", err)
			continue
		}
		fmt.Println(p.Name+":", req.Status, "now due", req.Due.Date, req.Due.Extension)
		_, err = desk.Extend(ctx, privacy.Act{By: caseManager, At: received.Add(8 * 24 * time.Hour), Cases: carlasCases}, "req-1", rights.Extension{Reason: "again"})
		fmt.Println(err)
	}
	// Output:
	// regulation-o: extended now due 2026-06-02 G2
	// privacy: rights: extend request: rule G2: only a received request is extended, once
	// strict: privacy: rights: extended deadline: rule R11: regulation R's four weeks are not extended
}
