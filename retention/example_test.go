package retention_test

import (
	"context"
	"fmt"
	"log"
	"time"

	"github.com/dossierwacht/dossierwacht/memstore"
	"github.com/dossierwacht/dossierwacht/privacy"
	"github.com/dossierwacht/dossierwacht/retention"
)

// exampleWorld stores one employee with a closed absence case holding a
// note, employment data and a medical finding.
func exampleWorld(ctx context.Context) (*memstore.Store, *privacy.Dossiers) {
	store := memstore.New()
	d, err := privacy.NewDossiers(store, privacy.Strict())
	if err != nil {
		log.Fatal(err)
	}
	opened := time.Date(2024, time.February, 1, 9, 0, 0, 0, time.UTC)
	contract := privacy.Contract{ID: "contract-1", Party: "employer-1", PartyKind: privacy.PartyEmployer,
		Start: time.Date(2024, time.January, 1, 0, 0, 0, 0, time.UTC)}
	sub, _ := privacy.NewSubject("employee-1", "employer-1", opened)
	c, _ := privacy.NewCase("case-1", sub.ID, privacy.CaseAbsence, privacy.PurposeAbsenceGuidance, contract, opened)
	manager := privacy.Act{By: privacy.Principal{ID: "cm-1", Role: privacy.RoleCaseManager, Secrecy: privacy.SecrecyAgreement}, At: opened}
	doctor := privacy.Act{By: privacy.Principal{ID: "doc-1", Role: privacy.RolePhysician, Secrecy: privacy.SecrecyProfessional,
		MultiFactor: true}, At: opened}
	must(d.CreateSubject(ctx, manager, sub))
	must(d.OpenCase(ctx, manager, c))
	src := privacy.Source{Kind: privacy.PartyService}
	must(d.AddRecords(ctx, manager,
		privacy.Record{ID: "rec-note", Case: c.ID, Category: privacy.CategoryNotes, Author: "cm-1", Source: src, Created: opened,
			Fields: map[privacy.Field]string{privacy.FieldText: "called, back next week"}},
		privacy.Record{ID: "rec-job", Case: c.ID, Category: privacy.CategoryEmployment, Author: "cm-1", Source: src, Created: opened,
			Fields: map[privacy.Field]string{privacy.FieldJob: "baker"}}))
	must(d.AddRecord(ctx, doctor, privacy.Record{ID: "rec-medical", Case: c.ID, Category: privacy.CategoryMedical, Author: "doc-1",
		Source: src, Created: opened, Fields: map[privacy.Field]string{privacy.FieldText: "finding"}}))
	// The case closes on 29 February 2024.
	manager.At = time.Date(2024, time.February, 29, 15, 0, 0, 0, time.UTC)
	must(d.CloseCase(ctx, manager, c.ID))
	return store, d
}

func must(err error) {
	if err != nil {
		log.Fatal(err)
	}
}

// A sweep two years after the case closed deletes the note (O12: 29
// February 2024 plus two years ends on 28 February 2026, so it is due from
// 1 March) and keeps the employment data (a 7-year statutory duty) and the
// medical file (20 years after employment ends, which has not).
func ExampleKeeper_Sweep() {
	ctx := context.Background()
	store, _ := exampleWorld(ctx)
	ret, err := retention.New(store, privacy.Strict(), nil)
	if err != nil {
		log.Fatal(err)
	}
	job := privacy.Principal{ID: "retention-job", Role: privacy.RolePrivacyOfficer}
	now := time.Date(2026, time.March, 1, 6, 0, 0, 0, time.UTC)
	report, err := ret.Sweep(ctx, job, now)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("examined %d, erased %d\n", report.Examined, report.Erased)
	proofs, _ := ret.Proofs(ctx, "employee-1")
	for _, p := range proofs {
		fmt.Println(p)
	}
	schedules, _ := ret.Schedules(ctx, "employee-1", now)
	for _, s := range schedules {
		fmt.Println(s)
	}
	// Output:
	// examined 3, erased 1
	// deleted rec-note (notes) of case case-1 on 2026-03-01, rule O12 (maximum)
	// rec-job (employment, case case-1): scheduled from 2032-01-01 (statute), rule R9
	// rec-medical (medical, case case-1): kept (pending), rule N7
}

// Engine.Schedule is a pure function: records, case, subject, holds,
// requests and the time in; dates and reasons out.
func ExampleEngine_Schedule() {
	rules, err := retention.NewEngine(privacy.Strict())
	if err != nil {
		log.Fatal(err)
	}
	closed := time.Date(2024, time.March, 15, 10, 0, 0, 0, time.UTC)
	d := retention.Dossier{
		Subject: privacy.Subject{ID: "client-1", Created: closed},
		Cases: []retention.CaseFile{{
			Case: privacy.Case{ID: "trajectory-1", Subject: "client-1", Kind: privacy.CaseReintegration, Closed: closed},
			Records: []retention.Entry{
				{ID: "rec-1", Category: privacy.CategoryNotes, Created: closed, Updated: closed},
				{ID: "rec-2", Category: privacy.CategoryBenefits, Created: closed, Updated: closed},
			},
		}},
	}
	for _, s := range rules.Schedule(nil, &d, time.Date(2026, time.March, 16, 8, 0, 0, 0, time.UTC)) {
		fmt.Printf("%s: %s from %s by %s (%s)\n", s.Record, s.Status, s.Due, s.Rule, s.Reason)
	}
	// Output:
	// rec-1: due from 2026-03-16 by R9 (maximum)
	// rec-2: scheduled from 2032-01-01 by R9 (statute)
}

// Explain says which rules applied and why the winner won.
func ExampleEngine_Explain() {
	rules, _ := retention.NewEngine(privacy.Strict())
	d := retention.Dossier{
		Subject: privacy.Subject{ID: "employee-1", Employer: "employer-1",
			EmploymentEnded: time.Date(2024, time.December, 31, 17, 0, 0, 0, time.UTC)},
		Cases: []retention.CaseFile{{
			Case:    privacy.Case{ID: "case-1", Kind: privacy.CaseAbsence, Closed: time.Date(2025, time.June, 1, 9, 0, 0, 0, time.UTC)},
			Records: []retention.Entry{{ID: "rec-1", Category: privacy.CategoryAbsenceFacts}},
		}},
	}
	x, err := rules.Explain(&d, "rec-1", time.Date(2025, time.July, 1, 0, 0, 0, 0, time.UTC))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(x.Schedule.Due, x.Schedule.Rule)
	fmt.Println(x.Why)
	// Output:
	// 2027-01-01 N7
	// the earliest policy maximum wins: N7 (P2Y after employment-ended, due 2027-01-01); also considered: O12 (P2Y after case-closed, due 2027-06-02)
}

// An erasure request brings the dates forward, except where the law keeps
// the data (G3); the medical file goes within three months (N8).
func ExampleKeeper_RequestErasure() {
	ctx := context.Background()
	store, _ := exampleWorld(ctx)
	ret, _ := retention.New(store, privacy.Strict(), nil)
	officer := privacy.Principal{ID: "privacy-officer", Role: privacy.RolePrivacyOfficer}
	received := time.Date(2025, time.January, 6, 9, 0, 0, 0, time.UTC)
	dec, err := ret.RequestErasure(ctx, officer, retention.Erasure{ID: "request-1", Subject: "employee-1",
		Rule: privacy.O13, Received: received}, received.Add(48*time.Hour))
	if err != nil {
		log.Fatal(err)
	}
	for _, s := range dec.Erase {
		fmt.Printf("erase %s from %s, rule %s\n", s.Record, s.Due, s.Rule)
	}
	for _, s := range dec.Keep {
		fmt.Printf("keep %s until %s: rule %s (%s), refused under G3: %t\n", s.Record, s.Due, s.Rule, s.Reason, s.Refused())
	}
	fmt.Println("medical file gone by", dec.Deadline)
	// Output:
	// erase rec-medical from 2025-01-08, rule N8
	// erase rec-note from 2025-01-08, rule O13
	// keep rec-job until 2032-01-01: rule R9 (statute), refused under G3: true
	// medical file gone by 2025-04-07
}

// A legal hold keeps what it covers until it is lifted (G3).
func ExampleKeeper_PlaceHold() {
	ctx := context.Background()
	store, _ := exampleWorld(ctx)
	ret, _ := retention.New(store, privacy.Strict(), nil)
	officer := privacy.Principal{ID: "privacy-officer", Role: privacy.RolePrivacyOfficer}
	job := privacy.Principal{ID: "retention-job", Role: privacy.RolePrivacyOfficer}
	now := time.Date(2026, time.March, 1, 6, 0, 0, 0, time.UTC)
	_, err := ret.PlaceHold(ctx, officer, retention.Hold{ID: "hold-1", Subject: "employee-1", Case: "case-1",
		Ground: retention.GroundLegalClaim, Reason: "court case C/16/2026/17"}, now.Add(-time.Hour))
	if err != nil {
		log.Fatal(err)
	}
	report, _ := ret.Sweep(ctx, job, now)
	fmt.Printf("held: erased %d, held %d\n", report.Erased, report.Held)
	must(ret.LiftHold(ctx, officer, "hold-1", "judgment final", now.Add(time.Hour)))
	report, _ = ret.Sweep(ctx, job, now.Add(2*time.Hour))
	fmt.Printf("lifted: erased %d, held %d\n", report.Erased, report.Held)
	// Output:
	// held: erased 0, held 1
	// lifted: erased 1, held 0
}
