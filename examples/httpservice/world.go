package main

import (
	"context"
	"fmt"
	"time"

	"github.com/dossierwacht/dossierwacht"
	"github.com/dossierwacht/dossierwacht/consent"
	"github.com/dossierwacht/dossierwacht/privacy"
)

// The demo world is the walkthrough's (examples/walkthrough/world.go and
// cases.go), with the same people, subjects, cases and record IDs: one
// employer (a bakery) under contract, its absence insurer, five employees
// with a case of each kind, and Anna's absence case with the sick report,
// the reason, the physician's advice, the medical record and a plan note.
// Beside the walkthrough's, it has a physician without a second factor
// (N6), the employees as callers of their own data, a periodic
// examination of Chris that he lets the employer know of (O10), and Anna's
// written consent to the employer receiving the plan note (O14) standing.
const (
	bakery  privacy.PartyID = "employer-bakery"
	zeker   privacy.PartyID = "insurer-zeker"
	service privacy.PartyID = "the-service"

	anna  privacy.SubjectID = "employee-anna"
	bram  privacy.SubjectID = "employee-bram"
	chris privacy.SubjectID = "employee-chris"
	dana  privacy.SubjectID = "employee-dana"
	eva   privacy.SubjectID = "employee-eva"

	annaCase  privacy.CaseID = "case-anna-absence"
	bramCase  privacy.CaseID = "case-bram-consultation"
	chrisCase privacy.CaseID = "case-chris-periodic-exam"
	danaCase  privacy.CaseID = "case-dana-preventive"
	evaCase   privacy.CaseID = "case-eva-reintegration"
)

// The demo principals, as the walkthrough names them.
const (
	bert  privacy.PrincipalID = "employer-contact-bert"
	ida   privacy.PrincipalID = "insurer-ida"
	carla privacy.PrincipalID = "case-manager-carla"
	dirk  privacy.PrincipalID = "physician-dirk"
	femke privacy.PrincipalID = "physician-femke" // no second factor (N6)
	sam   privacy.PrincipalID = "support-sam"
	adam  privacy.PrincipalID = "administrator-adam"
)

// contract is the bakery's contract with the service (O2).
var contract = privacy.Contract{ID: "contract-bakery", Party: bakery, PartyKind: privacy.PartyEmployer,
	Start: time.Date(2025, time.January, 1, 0, 0, 0, 0, time.UTC)}

func demoSubjects() []privacy.SubjectID { return []privacy.SubjectID{anna, bram, chris, dana, eva} }

// demoPrincipals is the STAND-IN table of callers (replace it with your own
// authentication and assignment tables; rule R12).
func demoPrincipals() []*dossierwacht.Actor {
	staff := func(id privacy.PrincipalID, role privacy.Role, secrecy privacy.SecrecyBasis, mfa bool, cases ...privacy.CaseID) *dossierwacht.Actor {
		return dossierwacht.NewActor(privacy.Principal{ID: id, Role: role, Party: service, Secrecy: secrecy, MultiFactor: mfa}, cases, nil)
	}
	out := []*dossierwacht.Actor{
		dossierwacht.NewActor(privacy.Principal{ID: bert, Role: privacy.RoleEmployerContact, Party: bakery}, nil, []privacy.PartyID{bakery}),
		dossierwacht.NewActor(privacy.Principal{ID: ida, Role: privacy.RoleInsurer, Party: zeker}, nil, []privacy.PartyID{bakery}),
		staff(carla, privacy.RoleCaseManager, privacy.SecrecyAgreement, false, annaCase),
		staff(dirk, privacy.RolePhysician, privacy.SecrecyProfessional, true, annaCase, bramCase, chrisCase),
		staff(femke, privacy.RolePhysician, privacy.SecrecyProfessional, false, annaCase),
		staff(sam, privacy.RoleSupportStaff, privacy.SecrecyAgreement, false),
		staff(adam, privacy.RoleAdministrator, privacy.SecrecyNone, true),
	}
	for _, s := range demoSubjects() {
		out = append(out, dossierwacht.NewActor(privacy.Principal{ID: privacy.PrincipalID(s), Role: privacy.RoleSubject, Subject: s}, nil, nil))
	}
	return out
}

// seedWorld fills the service with the demo world, each step taken by the
// demo principal who would take it, through the front door: decided and
// audited as any request is. The time of each step is the service's clock;
// at is that clock's time now, for the dates the records hold.
func seedWorld(ctx context.Context, svc *dossierwacht.Service, principals []*dossierwacht.Actor, at time.Time) error {
	who := map[privacy.PrincipalID]*dossierwacht.Actor{}
	for _, p := range principals {
		who[p.ID] = p
	}
	for _, id := range []privacy.PrincipalID{bert, carla, dirk, privacy.PrincipalID(chris)} {
		if who[id] == nil {
			return fmt.Errorf("httpservice: the demo world needs principal %s", id)
		}
	}
	// Rule O8: the employer supplies the master data.
	for _, s := range demoSubjects() {
		if err := svc.RegisterSubject(ctx, who[bert], privacy.Subject{ID: s, Employer: bakery}); err != nil {
			return err
		}
	}
	for _, c := range []struct {
		id      privacy.CaseID
		subject privacy.SubjectID
		kind    privacy.CaseKind
		purpose privacy.Purpose
	}{
		{annaCase, anna, privacy.CaseAbsence, privacy.PurposeAbsenceGuidance},
		{bramCase, bram, privacy.CaseConsultation, privacy.PurposePrevention},
		{chrisCase, chris, privacy.CasePeriodicExam, privacy.PurposePrevention},
		{danaCase, dana, privacy.CasePreventive, privacy.PurposePrevention},
		{evaCase, eva, privacy.CaseReintegration, privacy.PurposeReintegration},
	} {
		if err := svc.OpenCase(ctx, who[carla], privacy.Case{ID: c.id, Subject: c.subject, Kind: c.kind, Purpose: c.purpose,
			Contract: contract}); err != nil {
			return err
		}
	}
	type F = map[privacy.Field]string
	rec := func(id privacy.RecordID, c privacy.CaseID, s privacy.SubjectID, cat privacy.Category, src privacy.PartyKind, f F) privacy.Record {
		r := privacy.Record{ID: id, Case: c, Subject: s, Category: cat, Source: privacy.Source{Kind: src}, Fields: f}
		if src == privacy.PartyEmployer {
			r.Source.Party = bakery
		}
		return r
	}
	today := at.Format(time.DateOnly)
	for _, step := range []struct {
		by   privacy.PrincipalID
		recs []privacy.Record
	}{
		// Rule N1: at the sick report the employer registers only the
		// facts the AP allows; O8: master data.
		{bert, []privacy.Record{
			rec("rec-identity", annaCase, anna, privacy.CategoryIdentity, privacy.PartyEmployer,
				F{privacy.FieldName: "Anna de Vries", privacy.FieldCity: "Utrecht"}),
			rec("rec-sick-report", annaCase, anna, privacy.CategoryAbsenceFacts, privacy.PartyEmployer,
				F{privacy.FieldFirstDay: today, privacy.FieldExpectedDuration: "2 weeks", privacy.FieldWorkAccident: "no",
					privacy.FieldReachableAt: "home address, 06-12345678"}),
		}},
		// Rule N4: the reason, for staff bound to secrecy.
		{carla, []privacy.Record{
			rec("rec-reason", annaCase, anna, privacy.CategoryAbsenceReason, privacy.PartySubject,
				F{privacy.FieldText: "back pain after lifting flour sacks"}),
		}},
		// Rules O4, O6: the physician's advice, the medical record in
		// the separate medical file, the visits.
		{dirk, []privacy.Record{
			rec("rec-capacity", annaCase, anna, privacy.CategoryWorkCapacity, privacy.PartyService,
				F{privacy.FieldLimitations: "no lifting over 10 kg", privacy.FieldCapacities: "counter work",
					privacy.FieldExpectedDuration: "4 weeks", privacy.FieldIncapacityDegree: "50%"}),
			rec("rec-medical", annaCase, anna, privacy.CategoryMedical, privacy.PartyService,
				F{privacy.FieldText: "lumbar strain; physiotherapy advised"}),
			rec("rec-visit", bramCase, bram, privacy.CategoryConsultation, privacy.PartySubject,
				F{privacy.FieldConsultationKind: "spreekuur", privacy.FieldDate: today}),
			rec("rec-exam", chrisCase, chris, privacy.CategoryConsultation, privacy.PartyService,
				F{privacy.FieldConsultationKind: "periodiek onderzoek", privacy.FieldDate: today}),
		}},
		{carla, []privacy.Record{
			rec("rec-plan-note", annaCase, anna, privacy.CategoryNotes, privacy.PartyService,
				F{privacy.FieldText: "gradual return from week 3, mornings only"}),
		}},
	} {
		// One call per record: a call is one atomic write of one case's
		// file (the medical file is kept apart, O6).
		for _, r := range step.recs {
			if err := svc.AddRecords(ctx, who[step.by], r); err != nil {
				return err
			}
		}
	}
	// Rule O11: the coverage register records that the insurer covers the
	// bakery's absence risk; it sees the overview of the bakery's sick
	// employees, and of nobody else's.
	if _, err := svc.RecordCoverage(ctx, who[carla], consent.Coverage{ID: "coverage-zeker-bakery", Insurer: zeker,
		Employer: bakery, From: at.AddDate(-1, 0, 0)}); err != nil {
		return err
	}
	employer := consent.Recipient{Party: bakery, Kind: privacy.PartyEmployer}
	// Rule O14: Anna lets the employer have the plan note, in writing;
	// her case manager records it.
	if _, err := svc.GrantConsent(ctx, who[carla], consent.Grant{ID: "grant-anna-bakery", Subject: anna, Recipient: employer,
		Categories: []privacy.Category{privacy.CategoryNotes}, Purpose: privacy.PurposeAbsenceGuidance, Case: annaCase,
		Form: consent.FormWritten, Document: "signed-consent-0042"}); err != nil {
		return err
	}
	// Rule O10: Chris lets the employer know of his periodic
	// examination, and records it himself.
	if _, err := svc.GrantConsent(ctx, who[privacy.PrincipalID(chris)], consent.Grant{ID: "grant-chris-bakery", Subject: chris,
		Recipient: employer, Categories: []privacy.Category{privacy.CategoryConsultation}, Purpose: privacy.PurposePrevention,
		Case: chrisCase, Form: consent.FormWritten, Document: "signed-consent-0043"}); err != nil {
		return err
	}
	return nil
}
