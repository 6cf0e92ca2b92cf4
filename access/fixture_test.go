package access_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/dossierwacht/dossierwacht/access"
	"github.com/dossierwacht/dossierwacht/privacy"
)

// The fixture: one employer under contract, an insurer covering it, a
// few cases, and a principal of every kind. The tests never read the
// clock.
var (
	now = time.Date(2026, time.March, 2, 9, 0, 0, 0, time.UTC)
	// lastMonth is the calendar month before now: what a group figure
	// covers (N12).
	lastMonth = time.Date(2026, time.February, 1, 0, 0, 0, 0, time.UTC)
	contract  = privacy.Contract{ID: "contract-1", Party: "employer-1", PartyKind: privacy.PartyEmployer,
		Start: time.Date(2025, time.January, 1, 0, 0, 0, 0, time.UTC)}
	ended = privacy.Contract{ID: "contract-old", Party: "employer-1", PartyKind: privacy.PartyEmployer,
		Start: time.Date(2020, time.January, 1, 0, 0, 0, 0, time.UTC), End: time.Date(2024, time.January, 1, 0, 0, 0, 0, time.UTC)}
	municipal = privacy.Contract{ID: "contract-city", Party: "city-1", PartyKind: privacy.PartyMunicipality,
		Start: time.Date(2025, time.January, 1, 0, 0, 0, 0, time.UTC)}

	absenceCase  = mkCase("c-abs", "s-1", privacy.CaseAbsence, privacy.PurposeAbsenceGuidance, contract, now.AddDate(0, -1, 0))
	consultCase  = mkCase("c-cons", "s-1", privacy.CaseConsultation, privacy.PurposePrevention, contract, now.AddDate(0, -1, 0))
	examCase     = mkCase("c-exam", "s-1", privacy.CasePeriodicExam, privacy.PurposePrevention, contract, now.AddDate(0, -1, 0))
	endedCase    = mkCase("c-old", "s-1", privacy.CaseAbsence, privacy.PurposeAbsenceGuidance, ended, time.Date(2023, time.May, 1, 0, 0, 0, 0, time.UTC))
	reintegCase  = mkCase("c-reint", "s-3", privacy.CaseReintegration, privacy.PurposeReintegration, municipal, now.AddDate(0, -2, 0))
	otherEmpCase = mkCase("c-other", "s-9", privacy.CaseAbsence, privacy.PurposeAbsenceGuidance,
		privacy.Contract{ID: "contract-2", Party: "employer-2", PartyKind: privacy.PartyEmployer, Start: contract.Start}, now.AddDate(0, -1, 0))

	allCases = []privacy.CaseID{"c-abs", "c-cons", "c-exam", "c-old", "c-reint", "c-other"}

	caseManager = access.NewPrincipal(privacy.Principal{ID: "cm-1", Role: privacy.RoleCaseManager, Party: "service",
		Secrecy: privacy.SecrecyAgreement}, allCases, nil)
	caseManagerUnassigned = access.NewPrincipal(privacy.Principal{ID: "cm-2", Role: privacy.RoleCaseManager, Party: "service",
		Secrecy: privacy.SecrecyAgreement}, nil, nil)
	caseManagerNoSecrecy = access.NewPrincipal(privacy.Principal{ID: "cm-3", Role: privacy.RoleCaseManager, Party: "service"},
		allCases, nil)
	contractorNoAgreement = access.NewPrincipal(privacy.Principal{ID: "cm-4", Role: privacy.RoleCaseManager, Party: "service",
		Secrecy: privacy.SecrecyAgreement, Contractor: true}, allCases, nil)
	contractor = access.NewPrincipal(privacy.Principal{ID: "cm-5", Role: privacy.RoleCaseManager, Party: "service",
		Secrecy: privacy.SecrecyAgreement, Contractor: true, Agreement: "agreement-2025-7"}, allCases, nil)
	supportStaff = access.NewPrincipal(privacy.Principal{ID: "staff-1", Role: privacy.RoleSupportStaff, Party: "service",
		Secrecy: privacy.SecrecyAgreement}, nil, nil)
	physician = access.NewPrincipal(privacy.Principal{ID: "doc-1", Role: privacy.RolePhysician, Party: "service",
		Secrecy: privacy.SecrecyProfessional, MultiFactor: true}, allCases, nil)
	physicianNoMFA = access.NewPrincipal(privacy.Principal{ID: "doc-2", Role: privacy.RolePhysician, Party: "service",
		Secrecy: privacy.SecrecyProfessional}, allCases, nil)
	physicianUnassigned = access.NewPrincipal(privacy.Principal{ID: "doc-3", Role: privacy.RolePhysician, Party: "service",
		Secrecy: privacy.SecrecyProfessional, MultiFactor: true}, nil, nil)
	physicianAgreement = access.NewPrincipal(privacy.Principal{ID: "doc-4", Role: privacy.RolePhysician, Party: "service",
		Secrecy: privacy.SecrecyAgreement, MultiFactor: true}, allCases, nil)
	officer = access.NewPrincipal(privacy.Principal{ID: "dpo-1", Role: privacy.RolePrivacyOfficer, Party: "service",
		Secrecy: privacy.SecrecyAgreement, MultiFactor: true}, allCases, nil)
	employer = access.NewPrincipal(privacy.Principal{ID: "hr-1", Role: privacy.RoleEmployerContact, Party: "employer-1"},
		nil, nil)
	employerOther = access.NewPrincipal(privacy.Principal{ID: "hr-2", Role: privacy.RoleEmployerContact, Party: "employer-2"},
		nil, nil)
	insurer = access.NewPrincipal(privacy.Principal{ID: "ins-1", Role: privacy.RoleInsurer, Party: "insurer-1"},
		nil, []privacy.PartyID{"employer-1"})
	insurerOther = access.NewPrincipal(privacy.Principal{ID: "ins-2", Role: privacy.RoleInsurer, Party: "insurer-2"},
		nil, []privacy.PartyID{"employer-3"})
	administrator = access.NewPrincipal(privacy.Principal{ID: "admin-1", Role: privacy.RoleAdministrator, Party: "service",
		Secrecy: privacy.SecrecyAgreement, MultiFactor: true}, allCases, nil)
	subject      = access.NewPrincipal(privacy.Principal{ID: "p-s-1", Role: privacy.RoleSubject, Subject: "s-1"}, nil, nil)
	otherSubject = access.NewPrincipal(privacy.Principal{ID: "p-s-2", Role: privacy.RoleSubject, Subject: "s-2"}, nil, nil)
)

// writer is who writes the case file in the tests: the case manager, at
// the time at, or as the physician for medical records.
func writer(at time.Time) privacy.Act { return privacy.Act{By: caseManager.Principal, At: at} }

func doctorAct(at time.Time) privacy.Act { return privacy.Act{By: physician.Principal, At: at} }

func mkCase(id privacy.CaseID, s privacy.SubjectID, k privacy.CaseKind, p privacy.Purpose, c privacy.Contract, opened time.Time) *privacy.Case {
	cs, err := privacy.NewCase(id, s, k, p, c, opened)
	if err != nil {
		panic(fmt.Sprintf("fixture case %s: %v", id, err))
	}
	return &cs
}

func engineFor(t testing.TB, p *privacy.Policy) *access.Engine {
	t.Helper()
	e, err := access.NewEngine(p)
	if err != nil {
		t.Fatalf("NewEngine(%s): %v", p.Name, err)
	}
	return e
}

// req is a request under the case's own purpose, now.
func req(p *access.Principal, c *privacy.Case, a privacy.Action, cat privacy.Category, f privacy.Field) access.Request {
	return access.Request{Principal: p, Case: c, Action: a, Category: cat, Field: f, Purpose: c.Purpose, Time: now}
}

// describe renders a request for failure messages, IDs only.
func describe(r access.Request) string {
	var who, cs privacy.PrincipalID
	if r.Principal != nil {
		who = r.Principal.ID
	}
	if r.Case != nil {
		cs = privacy.PrincipalID(r.Case.ID)
	}
	s := fmt.Sprintf("{%s %s %s %s", who, r.Action, cs, r.Category)
	if r.Field != "" {
		s += "." + string(r.Field)
	}
	if r.Consent != nil {
		s += " consent"
	}
	return s + "}"
}

func record(id privacy.RecordID, c *privacy.Case, cat privacy.Category, fields map[privacy.Field]string) privacy.Record {
	return privacy.Record{ID: id, Case: c.ID, Subject: c.Subject, Category: cat, Author: "cm-1",
		Source: privacy.Source{Kind: privacy.PartyService}, Purpose: c.Purpose, Created: c.Opened, Updated: c.Opened, Fields: fields}
}

// caseRecords is one record of every category, with every field filled.
func caseRecords(c *privacy.Case) (records, medical []privacy.Record) {
	for i, cat := range privacy.Categories() {
		info, _ := cat.Info()
		fields := map[privacy.Field]string{}
		for _, f := range info.Fields {
			fields[f] = "value of " + string(f)
		}
		r := record(privacy.RecordID(fmt.Sprintf("%s-r%02d", c.ID, i)), c, cat, fields)
		if cat.Medical() {
			medical = append(medical, r)
		} else {
			records = append(records, r)
		}
	}
	return records, medical
}
