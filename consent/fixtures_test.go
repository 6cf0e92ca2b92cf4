package consent_test

import (
	"errors"
	"time"

	"github.com/dossierwacht/dossierwacht/consent"
	"github.com/dossierwacht/dossierwacht/privacy"
)

// Fixed times: the tests never read the clock.
var t0 = time.Date(2026, time.March, 2, 9, 0, 0, 0, time.UTC)

const (
	anna    privacy.SubjectID = "employee-anna"
	annaAbs privacy.CaseID    = "case-anna-absence"
)

var (
	physician = privacy.Principal{ID: "physician-dirk", Role: privacy.RolePhysician, Party: "service",
		Secrecy: privacy.SecrecyProfessional, MultiFactor: true}
	caseManager = privacy.Principal{ID: "case-manager-carla", Role: privacy.RoleCaseManager, Party: "service",
		Secrecy: privacy.SecrecyAgreement}
	admin         = privacy.Principal{ID: "admin-ad", Role: privacy.RoleAdministrator, Party: "service"}
	employerBert  = privacy.Principal{ID: "employer-contact-bert", Role: privacy.RoleEmployerContact, Party: "employer-bakery"}
	annaHerself   = privacy.Principal{ID: "anna-portal", Role: privacy.RoleSubject, Subject: anna}
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
// after t0.
func request(p privacy.Principal, to consent.Recipient, items ...consent.Item) consent.Request {
	return consent.Request{ID: "disclosure-1", By: p, Recipient: to, Subject: anna, Case: annaAbs, Items: items,
		Purpose: privacy.PurposeAbsenceGuidance, At: t0.Add(time.Hour)}
}

func onStatute(r consent.Request, basis privacy.LegalBasisID) consent.Request {
	r.Basis = basis
	return r
}

func errorsIs(err, target error) bool { return errors.Is(err, target) }
