package consent_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/dossierwacht/dossierwacht/access"
	"github.com/dossierwacht/dossierwacht/consent"
	"github.com/dossierwacht/dossierwacht/privacy"
)

// Fixed times: the tests never read the clock.
var t0 = time.Date(2026, time.March, 2, 9, 0, 0, 0, time.UTC)

const (
	anna      privacy.SubjectID = "employee-anna"
	annaAbs   privacy.CaseID    = "case-anna-absence"
	annaVisit privacy.CaseID    = "case-anna-visit" // a consultation-hour visit
	annaExam  privacy.CaseID    = "case-anna-exam"  // a periodic examination
)

// contractBakery is the bakery's contract with the service: from a year
// before t0, open-ended.
var contractBakery = privacy.Contract{ID: "contract-bakery", Party: "employer-bakery", PartyKind: privacy.PartyEmployer,
	Start: t0.AddDate(-1, 0, 0)}

// The cases of Anna's that the tests disclose from: her absence case, a
// consultation-hour visit and a periodic examination, all commissioned by
// the bakery.
var (
	annaCase = privacy.Case{ID: annaAbs, Subject: anna, Kind: privacy.CaseAbsence, Purpose: privacy.PurposeAbsenceGuidance,
		Contract: contractBakery, Opened: t0.Add(-24 * time.Hour)}
	annaVisitCase = privacy.Case{ID: annaVisit, Subject: anna, Kind: privacy.CaseConsultation, Purpose: privacy.PurposePrevention,
		Contract: contractBakery, Opened: t0.Add(-24 * time.Hour)}
	annaExamCase = privacy.Case{ID: annaExam, Subject: anna, Kind: privacy.CasePeriodicExam, Purpose: privacy.PurposePrevention,
		Contract: contractBakery, Opened: t0.Add(-24 * time.Hour)}
)

// assigned is p assigned to Anna's cases.
func assigned(p privacy.Principal) *access.Principal {
	return access.NewPrincipal(p, []privacy.CaseID{annaAbs, annaVisit, annaExam}, nil)
}

var (
	physician = assigned(privacy.Principal{ID: "physician-dirk", Role: privacy.RolePhysician, Party: "service",
		Secrecy: privacy.SecrecyProfessional, MultiFactor: true})
	caseManager = assigned(privacy.Principal{ID: "case-manager-carla", Role: privacy.RoleCaseManager, Party: "service",
		Secrecy: privacy.SecrecyAgreement})
	supportSam    = assigned(privacy.Principal{ID: "support-sam", Role: privacy.RoleSupportStaff, Party: "service", Secrecy: privacy.SecrecyAgreement})
	admin         = assigned(privacy.Principal{ID: "admin-ad", Role: privacy.RoleAdministrator, Party: "service"})
	employerBert  = access.NewPrincipal(privacy.Principal{ID: "employer-contact-bert", Role: privacy.RoleEmployerContact, Party: "employer-bakery"}, nil, nil)
	annaHerself   = access.NewPrincipal(privacy.Principal{ID: "anna-portal", Role: privacy.RoleSubject, Subject: anna}, nil, nil)
	bakery        = consent.Recipient{Party: "employer-bakery", Kind: privacy.PartyEmployer}
	otherEmployer = consent.Recipient{Party: "employer-butcher", Kind: privacy.PartyEmployer}
	insurer       = consent.Recipient{Party: "insurer-verzuim", Kind: privacy.PartyInsurer}
	uwv           = consent.Recipient{Party: "uwv", Kind: privacy.PartyUWV}
	reintegrator  = consent.Recipient{Party: "reintegration-werkfit", Kind: privacy.PartyReintegrationCompany}
	lawyer        = consent.Recipient{Party: "lawyer-jansen", Kind: privacy.PartyThirdParty}
	court         = consent.Recipient{Party: "court-utrecht", Kind: privacy.PartyCourt}
	annaParty     = consent.Recipient{Party: "employee-anna", Kind: privacy.PartySubject}
)

// written returns a written grant by Anna to to, for absence guidance, all
// cases, from t0 on.
func written(id consent.GrantID, to consent.Recipient, cats ...privacy.Category) consent.Grant {
	return consent.Grant{ID: id, Subject: anna, Recipient: to, Categories: cats, Purpose: privacy.PurposeAbsenceGuidance,
		Form: consent.FormWritten, Document: "doc-" + string(id), Given: t0}
}

// explicit returns an explicit (not written) grant.
func explicit(id consent.GrantID, to consent.Recipient, cats ...privacy.Category) consent.Grant {
	g := written(id, to, cats...)
	g.Form, g.Document = consent.FormExplicit, ""
	return g
}

func item(c privacy.Category, fields ...privacy.Field) consent.Item {
	return consent.Item{Category: c, Fields: fields}
}

// request returns a request by p to to of Anna's absence case, one hour
// after t0. A request to a third party carries its written request (O14).
func request(p *access.Principal, to consent.Recipient, items ...consent.Item) consent.Request {
	r := consent.Request{ID: "disclosure-1", By: p, Recipient: to, Subject: anna, Case: annaAbs, Items: items,
		Purpose: privacy.PurposeAbsenceGuidance, At: t0.Add(time.Hour)}
	if to.Kind == privacy.PartyThirdParty || to.Kind == privacy.PartyEmployer {
		r.WrittenRequest = "letter-" + string(to.Party)
	}
	return r
}

// noWrittenRequest is r without the recipient's written request (O14).
func noWrittenRequest(r consent.Request) consent.Request {
	r.WrittenRequest = ""
	return r
}

// insurerCoversBakery is the coverage register's entry that lets the
// insurer have the overview of the bakery's sick employees (O11).
var insurerCoversBakery = consent.Coverage{ID: "cover-verzuim-bakery", Insurer: "insurer-verzuim", Employer: "employer-bakery",
	From: t0.AddDate(0, -6, 0)}

// facts returns the facts of Anna's absence case with grants, and the
// insurer covering the bakery.
func facts(grants ...consent.Grant) *consent.Facts {
	return &consent.Facts{Case: annaCase, Grants: grants, Coverage: []consent.Coverage{insurerCoversBakery}}
}

func onStatute(r consent.Request, basis privacy.LegalBasisID) consent.Request {
	r.Basis = basis
	return r
}

func errorsIs(err, target error) bool { return errors.Is(err, target) }

// seedAnna puts Anna and her cases (those the policy processes) in store,
// with records: r-0 and r-4 notes, r-1 identity, r-2 work capacity, r-3 an
// expert report of her absence case, and m-1 in its medical file.
func seedAnna(t testing.TB, store privacy.Store, p *privacy.Policy) {
	t.Helper()
	ctx := context.Background()
	file, err := privacy.NewDossiers(store, p)
	if err != nil {
		t.Fatal(err)
	}
	act := func(at time.Time) privacy.Act {
		return privacy.Act{By: privacy.Principal{ID: "physician-dirk", Role: privacy.RolePhysician, Party: "the-service",
			Secrecy: privacy.SecrecyProfessional, MultiFactor: true}, At: at}
	}
	if err := file.CreateSubject(ctx, act(t0.AddDate(-1, 0, 0)), privacy.Subject{ID: anna, Employer: "employer-bakery", Created: t0.AddDate(-1, 0, 0)}); err != nil {
		t.Fatal(err)
	}
	for _, c := range []privacy.Case{annaCase, annaVisitCase, annaExamCase} {
		if err := file.OpenCase(ctx, act(c.Opened), c); err != nil && c.ID == annaAbs {
			t.Fatal(err)
		}
	}
	rec := func(id privacy.RecordID, c privacy.Category, f privacy.Field) privacy.Record {
		return privacy.Record{ID: id, Case: annaAbs, Category: c, Author: "case-manager-carla",
			Source: privacy.Source{Kind: privacy.PartyService}, Created: t0.Add(-time.Hour), Fields: map[privacy.Field]string{f: "x"}}
	}
	for _, r := range []privacy.Record{
		rec("r-0", privacy.CategoryNotes, privacy.FieldText), rec("r-1", privacy.CategoryIdentity, privacy.FieldName),
		rec("r-2", privacy.CategoryWorkCapacity, privacy.FieldLimitations), rec("r-3", privacy.CategoryExpertReport, privacy.FieldText),
		rec("r-4", privacy.CategoryNotes, privacy.FieldText),
		rec("m-1", privacy.CategoryMedical, privacy.FieldText),
	} {
		if err := file.AddRecord(ctx, act(r.Created), r); err != nil {
			t.Fatal(err)
		}
	}
}
