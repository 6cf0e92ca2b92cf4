package main

import (
	"context"
	"time"

	"github.com/dossierwacht/dossierwacht/access"
	"github.com/dossierwacht/dossierwacht/access/rights"
	"github.com/dossierwacht/dossierwacht/consent"
	"github.com/dossierwacht/dossierwacht/privacy"
	"github.com/dossierwacht/dossierwacht/retention"
)

// Stores are where the service keeps its data. One adapter may be all of
// them (memstore is); Retention is optional.
type Stores struct {
	Dossiers privacy.Store
	// Access keeps the audit trail; Consent writes its decisions to the
	// same trail, so both must be the same store's.
	Access  access.Store
	Consent consent.Store
	Rights  rights.Store
	// Retention, if set, must keep the same records as Dossiers: the
	// export then shows each record's retention (G1).
	Retention retention.Store
}

// buildDeps wires the library's engines over stores, under policy, with
// auth as the (stand-in) authentication.
func buildDeps(st Stores, policy *privacy.Policy, auth Authenticator, now func() time.Time) (Deps, error) {
	dossiers, err := privacy.NewDossiers(st.Dossiers, policy)
	if err != nil {
		return Deps{}, err
	}
	guard, err := access.New(st.Access, dossiers, nil)
	if err != nil {
		return Deps{}, err
	}
	reg, err := consent.New(st.Consent, policy, nil)
	if err != nil {
		return Deps{}, err
	}
	log := rights.FromConsent(reg)
	opts := &rights.Options{
		Disclosures: log,
		Consents:    log,
		Audit:       rights.FromAudit(guard),
		Complaints:  "the service's complaints procedure, see /privacy",
	}
	if st.Retention != nil {
		rules, err := retention.NewRules(policy)
		if err != nil {
			return Deps{}, err
		}
		opts.Retention = rights.RetentionFromStore(st.Retention, rules)
	}
	desk, err := rights.New(st.Rights, dossiers, opts)
	if err != nil {
		return Deps{}, err
	}
	return Deps{Auth: auth, Dossiers: dossiers, Guard: guard, Audit: st.Access, Consent: reg, Rights: desk,
		Subjects: demoSubjects(), Now: now}, nil
}

// The demo world: one employer (a bakery) under contract, three employees,
// an absence case with the sick report, the reason, the physician's advice
// and a medical record, and two consultation-hour visits, one of which the
// employee let the employer know of (rule O10).
const (
	employer  privacy.PartyID   = "employer-bakery"
	insurer   privacy.PartyID   = "insurer-zeker"
	service   privacy.PartyID   = "the-service"
	coach     privacy.PartyID   = "coach-ravi"
	anna      privacy.SubjectID = "employee-anna"
	bob       privacy.SubjectID = "employee-bob"
	cees      privacy.SubjectID = "employee-cees"
	annaSick  privacy.CaseID    = "case-anna-absence"
	annaVisit privacy.CaseID    = "case-anna-visit"
	bobSick   privacy.CaseID    = "case-bob-absence"
	ceesVisit privacy.CaseID    = "case-cees-visit"
)

func demoSubjects() []privacy.SubjectID { return []privacy.SubjectID{anna, bob, cees} }

// demoPrincipals is the STAND-IN table of callers (replace it with your own
// authentication and assignment tables; rule R12).
func demoPrincipals() []*access.Principal {
	staff := func(id privacy.PrincipalID, role privacy.Role, secrecy privacy.SecrecyBasis, mfa bool, cases ...privacy.CaseID) *access.Principal {
		return access.NewPrincipal(privacy.Principal{ID: id, Role: role, Party: service, Secrecy: secrecy, MultiFactor: mfa}, cases, nil)
	}
	subject := func(s privacy.SubjectID) *access.Principal {
		return access.NewPrincipal(privacy.Principal{ID: privacy.PrincipalID(s), Role: privacy.RoleSubject, Subject: s}, nil, nil)
	}
	return []*access.Principal{
		access.NewPrincipal(privacy.Principal{ID: "hr-bert", Role: privacy.RoleEmployerContact, Party: employer}, nil, nil),
		access.NewPrincipal(privacy.Principal{ID: "insurer-ida", Role: privacy.RoleInsurer, Party: insurer}, nil, []privacy.PartyID{employer}),
		staff("physician-dirk", privacy.RolePhysician, privacy.SecrecyProfessional, true, annaSick, annaVisit, ceesVisit),
		staff("physician-eva", privacy.RolePhysician, privacy.SecrecyProfessional, false, annaSick), // no second factor (N6)
		staff("case-manager-carla", privacy.RoleCaseManager, privacy.SecrecyAgreement, false, annaSick, bobSick),
		staff("support-sam", privacy.RoleSupportStaff, privacy.SecrecyNone, false),
		staff("admin-ad", privacy.RoleAdministrator, privacy.SecrecyNone, true),
		subject(anna), subject(bob), subject(cees),
	}
}

// seedWorld fills the case file as it stood at at, and records the
// consent grants.
func seedWorld(ctx context.Context, d Deps, at time.Time) error {
	at = privacy.Timestamp(at)
	contract := privacy.Contract{ID: "contract-bakery", Party: employer, PartyKind: privacy.PartyEmployer,
		Start: at.AddDate(-1, 0, 0)}
	for _, id := range demoSubjects() {
		s, err := privacy.NewSubject(id, employer, at)
		if err != nil {
			return err
		}
		if err := d.Dossiers.CreateSubject(ctx, s); err != nil {
			return err
		}
	}
	for _, c := range []struct {
		id      privacy.CaseID
		subject privacy.SubjectID
		kind    privacy.CaseKind
		purpose privacy.Purpose
	}{
		{annaSick, anna, privacy.CaseAbsence, privacy.PurposeAbsenceGuidance},
		{annaVisit, anna, privacy.CaseConsultation, privacy.PurposePrevention},
		{bobSick, bob, privacy.CaseAbsence, privacy.PurposeAbsenceGuidance},
		{ceesVisit, cees, privacy.CaseConsultation, privacy.PurposePrevention},
	} {
		cs, err := privacy.NewCase(c.id, c.subject, c.kind, c.purpose, contract, at)
		if err != nil {
			return err
		}
		if err := d.Dossiers.OpenCase(ctx, cs); err != nil {
			return err
		}
	}
	type F = map[privacy.Field]string
	n := 0
	rec := func(id privacy.RecordID, c privacy.CaseID, cat privacy.Category, author privacy.PrincipalID, src privacy.Source, f F) privacy.Record {
		n++
		return privacy.Record{ID: id, Case: c, Category: cat, Author: author, Source: src,
			Created: at.Add(time.Duration(n) * time.Minute), Fields: f}
	}
	fromEmployer := privacy.Source{Kind: privacy.PartyEmployer, Party: employer}
	fromService := privacy.Source{Kind: privacy.PartyService}
	fromSubject := privacy.Source{Kind: privacy.PartySubject}
	if err := d.Dossiers.AddRecords(ctx,
		rec("rec-anna-identity", annaSick, privacy.CategoryIdentity, "hr-bert", fromEmployer,
			F{privacy.FieldName: "Anna de Vries", privacy.FieldCity: "Utrecht", privacy.FieldDateOfBirth: "1990-04-01"}),
		rec("rec-anna-sick-report", annaSick, privacy.CategoryAbsenceFacts, "hr-bert", fromEmployer,
			F{privacy.FieldFirstDay: at.Format(time.DateOnly), privacy.FieldExpectedDuration: "2 weeks", privacy.FieldWorkAccident: "no"}),
		rec("rec-anna-degree", annaSick, privacy.CategoryAbsenceFacts, "physician-dirk", fromService,
			F{privacy.FieldIncapacityDegree: "100%"}),
		rec("rec-anna-reason", annaSick, privacy.CategoryAbsenceReason, "case-manager-carla", fromSubject,
			F{privacy.FieldText: "back pain after lifting"}),
		rec("rec-anna-capacity", annaSick, privacy.CategoryWorkCapacity, "physician-dirk", fromService,
			F{privacy.FieldLimitations: "no lifting over 5 kg", privacy.FieldCapacities: "desk work", privacy.FieldExpectedDuration: "2 weeks"}),
		rec("rec-anna-visit", annaVisit, privacy.CategoryConsultation, "physician-dirk", fromService,
			F{privacy.FieldConsultationKind: "consultation-hour", privacy.FieldDate: at.Format(time.DateOnly)}),
		rec("rec-bob-identity", bobSick, privacy.CategoryIdentity, "hr-bert", fromEmployer,
			F{privacy.FieldName: "Bob Jansen", privacy.FieldCity: "Amersfoort"}),
		rec("rec-bob-sick-report", bobSick, privacy.CategoryAbsenceFacts, "hr-bert", fromEmployer,
			F{privacy.FieldFirstDay: at.Format(time.DateOnly), privacy.FieldExpectedDuration: "1 week"}),
		rec("rec-cees-visit", ceesVisit, privacy.CategoryConsultation, "physician-dirk", fromService,
			F{privacy.FieldConsultationKind: "consultation-hour", privacy.FieldDate: at.Format(time.DateOnly)}),
	); err != nil {
		return err
	}
	// Rule O6: the medical record goes to the separate medical file.
	if err := d.Dossiers.AddRecord(ctx, rec("rec-anna-medical", annaSick, privacy.CategoryMedical, "physician-dirk", fromService,
		F{privacy.FieldText: "lumbar strain; physiotherapy advised"})); err != nil {
		return err
	}
	carla := access.NewPrincipal(privacy.Principal{ID: "case-manager-carla", Role: privacy.RoleCaseManager, Party: service,
		Secrecy: privacy.SecrecyAgreement}, nil, nil)
	for _, g := range []consent.Grant{
		// Rule O10: Cees lets the employer know of his visit.
		{ID: "grant-cees-visit", Subject: cees, Recipient: consent.Recipient{Party: employer, Kind: privacy.PartyEmployer},
			Categories: []privacy.Category{privacy.CategoryConsultation}, Purpose: privacy.PurposePrevention, Case: ceesVisit,
			Form: consent.FormWritten, Document: "doc-cees-2026-001", Given: at},
		// Rule O14: Anna lets her reintegration coach have the
		// physician's advice, in writing.
		{ID: "grant-anna-coach", Subject: anna, Recipient: consent.Recipient{Party: coach, Kind: privacy.PartyThirdParty},
			Categories: []privacy.Category{privacy.CategoryWorkCapacity}, Purpose: privacy.PurposeAbsenceGuidance, Case: annaSick,
			Form: consent.FormWritten, Document: "doc-anna-2026-001", Given: at},
	} {
		if _, err := d.Consent.AddGrant(ctx, carla, g, g.Given); err != nil {
			return err
		}
	}
	return nil
}
