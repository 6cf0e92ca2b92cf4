package privacy

import (
	"slices"
	"time"
)

// The ready policies are built in code rather than embedded JSON so that
// the compiler checks every name; [Policy.Encode] shows them as data, and
// the tests decode that JSON back to the same value.

var gdprInForce = time.Date(2018, time.May, 25, 0, 0, 0, 0, time.UTC)

// Content categories, without medical data and the BSN.
var (
	masterData   = []Category{CategoryIdentity, CategoryContact, CategoryEmployment}
	plainContent = []Category{CategoryIdentity, CategoryContact, CategoryEmployment, CategoryBenefits, CategoryEducation,
		CategoryAbsenceFacts, CategoryWorkCapacity, CategoryExpertReport, CategoryNotes, CategoryAppointment}
	healthContent = []Category{CategoryAbsenceReason, CategoryStatements, CategoryConsultation}
	ordinaryCases = []CaseKind{CaseAbsence, CasePreventive, CaseReintegration}
	readWrite     = []Action{ActionRead, ActionWrite}
	everyAction   = []Action{ActionRead, ActionWrite, ActionDisclose, ActionExport, ActionErase}
)

// RegulationR returns the policy of regulation R, a reintegration and
// absence service (clients sent by a municipality, UWV or an employer),
// read under the GDPR. Each call returns a new value.
func RegulationR() *Policy {
	return &Policy{
		Name:        "regulation-r",
		Version:     "1.0.0",
		Effective:   gdprInForce,
		Title:       "Privacyreglement re-integratie en verzuim (regulation R)",
		Controller:  "the service",
		Regulations: []string{"R"},
		Purposes: []PurposeRule{
			{PurposeReintegration, R5, []CaseKind{CaseReintegration, CaseAbsence}, "promoting reintegration"},
			{PurposeAbsenceGuidance, R5, []CaseKind{CaseAbsence, CaseReintegration}, "reducing absence"},
		},
		Access: slices.Concat(
			caseManagerRules(R7),
			[]AccessRule{
				supportStaffRule(),
				administratorRule(),
				subjectRule(R11),
			}),
		Disclosures: []DisclosureRule{
			{Rule: R6, Recipient: PartyEmployer, Categories: plainContent, Basis: BasisConsent,
				Reason: "to the employer only with the client's explicit consent"},
			{Rule: R6, Recipient: PartyThirdParty, Categories: plainContent, Basis: BasisConsent,
				Reason: "to third parties only with the client's explicit consent"},
			{Rule: R6, Recipient: PartyMunicipality, Categories: plainContent, Basis: BasisConsent,
				Reason: "to the municipality only with the client's explicit consent"},
			insurerMaximumRule(BasisConsent),
		},
		LegalBases:     statutoryBases(),
		Retention:      slices.Concat(reintegrationRetention(), fiscalRetention()),
		AuditRetention: auditRetention(),
		Requests: RequestRules{
			Answer: []Deadline{{R11, Weeks(4), "regulation R: within 4 weeks"}},
			// Rule R11: four weeks, unconditionally. G2 lets a controller
			// extend by two months; regulation R does not, and the
			// stricter rule holds.
			MedicalErasure: &Deadline{N8, Months(3), "Civil Code 7:455"},
			WrittenBy:      []RuleID{R11},
			FreeCopies:     1,
		},
		MinGroupSize: 10,
	}
}

// RegulationO returns the policy of regulation O, an occupational health
// service (arbodienst) working for employers under the GDPR since 25 May
// 2018. Each call returns a new value.
func RegulationO() *Policy {
	return &Policy{
		Name:        "regulation-o",
		Version:     "1.0.0",
		Effective:   gdprInForce,
		Title:       "Privacyreglement arbodienst (regulation O)",
		Controller:  "the service",
		Processor:   "the external processor hosting the case system",
		Regulations: []string{"O"},
		Purposes: []PurposeRule{
			{PurposeAbsenceGuidance, O2, []CaseKind{CaseAbsence, CasePreventive}, "absence guidance under the employer contract"},
			{PurposePrevention, O2, []CaseKind{CasePreventive, CaseConsultation, CasePeriodicExam}, "prevention under the employer contract"},
			{PurposeReintegration, O2, []CaseKind{CaseReintegration, CaseAbsence}, "reintegration under the employer contract"},
		},
		Access:         occupationalAccess(O4),
		Disclosures:    occupationalDisclosures(),
		LegalBases:     statutoryBases(),
		Retention:      slices.Concat(absenceRetention(), preventionRetention(), fiscalRetention(), medicalRetention()),
		AuditRetention: auditRetention(),
		Requests: RequestRules{
			Answer:         []Deadline{{O13, Months(1), "regulation O: within one month"}, {G2, Months(1), "GDPR art. 12(3)"}},
			Extension:      &Deadline{G2, Months(2), "GDPR art. 12(3)"},
			MedicalErasure: &Deadline{N8, Months(3), "Civil Code 7:455"},
			WrittenBy:      []RuleID{O13},
			FreeCopies:     1,
		},
		MinGroupSize: 10,
	}
}

// Strict returns the policy that applies both regulations at once, the
// stricter rule winning where they differ: the default. Where they differ:
// content needs an assignment (R7 over O4); consent to a disclosure is
// written (O14 over R6); requests are answered within 4 weeks (R11 over
// O13's month) and that deadline is not extended (R11 over G2's two
// further months). Each call returns a new value.
func Strict() *Policy {
	o := RegulationO()
	r := RegulationR()
	return &Policy{
		Name:        "strict",
		Version:     "1.0.0",
		Effective:   gdprInForce,
		Title:       "Privacyreglement arbodienst en re-integratie (regulations R and O)",
		Controller:  o.Controller,
		Processor:   o.Processor,
		Regulations: []string{"R", "O"},
		Purposes: []PurposeRule{
			{PurposeAbsenceGuidance, O2, []CaseKind{CaseAbsence, CasePreventive, CaseReintegration}, "reducing absence, under the employer contract"},
			{PurposePrevention, O2, []CaseKind{CasePreventive, CaseConsultation, CasePeriodicExam}, "prevention under the employer contract"},
			{PurposeReintegration, R5, []CaseKind{CaseReintegration, CaseAbsence}, "promoting reintegration"},
		},
		// R7 is the stricter reading of O4: content needs an assignment.
		Access: occupationalAccess(R7),
		// O14 is the stricter reading of R6: consent must be written.
		Disclosures:    occupationalDisclosures(),
		LegalBases:     statutoryBases(),
		Retention:      slices.Concat(reintegrationRetention(), absenceRetention(), preventionRetention(), fiscalRetention(), medicalRetention()),
		AuditRetention: auditRetention(),
		Requests: RequestRules{
			Answer: slices.Concat(r.Requests.Answer, o.Requests.Answer),
			// Rule R11 wins over G2: every request is answered within
			// regulation R's four weeks, which allow no extension.
			MedicalErasure: &Deadline{N8, Months(3), "Civil Code 7:455"},
			WrittenBy:      []RuleID{R11, O13},
			FreeCopies:     1,
		},
		MinGroupSize: 10,
	}
}

func caseManagerRules(rule RuleID) []AccessRule {
	return []AccessRule{
		{Rule: rule, Effect: Allow, Roles: []Role{RoleCaseManager}, Actions: readWrite, Categories: plainContent,
			Requires: []Condition{CondAssigned, CondContractInForce},
			Reason:   "the assigned labour expert or case manager works with the case's content"},
		{Rule: N4, Effect: Allow, Roles: []Role{RoleCaseManager}, Actions: readWrite, Categories: healthContent,
			Requires: []Condition{CondAssigned, CondSecrecy, CondContractInForce},
			Reason:   "health-related content only for assigned staff bound to secrecy"},
		{Rule: N5, Effect: Allow, Roles: []Role{RoleCaseManager}, Actions: []Action{ActionRead}, Categories: []Category{CategoryNationalID},
			Requires: []Condition{CondAssigned, CondContractInForce},
			Reason:   "the BSN is used only where a statute allows it"},
	}
}

func supportStaffRule() AccessRule {
	return AccessRule{Rule: R8, Effect: Allow, Roles: []Role{RoleSupportStaff}, Actions: readWrite,
		Categories: []Category{CategoryIdentity, CategoryContact, CategoryAppointment},
		Requires:   []Condition{CondContractInForce},
		Reason:     "other staff see identity and scheduling data, never case content"}
}

func administratorRule() AccessRule {
	return AccessRule{Rule: R12, Effect: Deny, Roles: []Role{RoleAdministrator}, Actions: everyAction,
		Categories: Categories(),
		Reason:     "the application administrator manages accounts and sees no case content"}
}

func subjectRule(rule RuleID) AccessRule {
	return AccessRule{Rule: rule, Effect: Allow, Roles: []Role{RoleSubject}, Actions: []Action{ActionRead, ActionExport},
		Categories: slices.Concat(plainContent, healthContent, []Category{CategoryNationalID}),
		Requires:   []Condition{CondOwnData},
		Reason:     "the subject inspects their own data; medical data through the physician"}
}

func occupationalAccess(assignment RuleID) []AccessRule {
	employerRead := []Category{CategoryIdentity, CategoryContact, CategoryEmployment, CategoryAbsenceFacts}
	return slices.Concat(
		caseManagerRules(assignment),
		[]AccessRule{
			{Rule: O6, Effect: Allow, Roles: []Role{RolePhysician}, Actions: everyAction, Categories: []Category{CategoryMedical},
				Requires: []Condition{CondAssigned, CondProfessionalSecrecy, CondMultiFactor, CondContractInForce},
				Reason:   "medical data only for the assigned physician, bound to medical secrecy, signed in with more than one factor"},
			{Rule: O4, Effect: Allow, Roles: []Role{RolePhysician}, Actions: readWrite, Categories: slices.Concat(plainContent, healthContent),
				Requires: []Condition{CondAssigned, CondProfessionalSecrecy, CondContractInForce},
				Reason:   "the assigned physician sees the whole case"},
			supportStaffRule(),
			administratorRule(),
			{Rule: N1, Effect: Allow, Roles: []Role{RoleEmployerContact}, Actions: []Action{ActionWrite},
				Categories: []Category{CategoryAbsenceFacts}, Fields: SickReportFields(), CaseKinds: ordinaryCases,
				Requires: []Condition{CondCommissioner, CondContractInForce},
				Reason:   "at a sick report the employer registers only the facts the AP allows"},
			{Rule: O8, Effect: Allow, Roles: []Role{RoleEmployerContact}, Actions: []Action{ActionWrite},
				Categories: masterData, CaseKinds: ordinaryCases,
				Requires: []Condition{CondCommissioner, CondContractInForce},
				Reason:   "the employer supplies master data at the start and end of employment"},
			{Rule: O9, Effect: Allow, Roles: []Role{RoleEmployerContact}, Actions: []Action{ActionRead},
				Categories: employerRead, CaseKinds: ordinaryCases,
				Fields: slices.Concat([]Field{FieldName, FieldAddress, FieldPostcode, FieldCity, FieldPhone, FieldEmail,
					FieldJob, FieldEmploymentKind, FieldEmploymentStart, FieldEmploymentEnd, FieldWages}, SickReportFields(), []Field{FieldIncapacityDegree}),
				Requires: []Condition{CondCommissioner, CondContractInForce},
				Reason:   "the employer sees the absence facts, never the reason"},
			{Rule: N2, Effect: Allow, Roles: []Role{RoleEmployerContact}, Actions: []Action{ActionRead},
				Categories: []Category{CategoryWorkCapacity}, Fields: PhysicianToEmployerFields(), CaseKinds: ordinaryCases,
				Requires: []Condition{CondCommissioner, CondContractInForce},
				Reason:   "the employer learns limitations and capacities, expected duration, degree of incapacity and adjustments"},
			{Rule: O10, Effect: Allow, Roles: []Role{RoleEmployerContact}, Actions: []Action{ActionRead},
				Categories: []Category{CategoryConsultation}, CaseKinds: []CaseKind{CaseConsultation, CasePeriodicExam},
				Requires: []Condition{CondCommissioner, CondConsent, CondContractInForce},
				Reason:   "the employer learns of a consultation-hour visit or periodic examination only with the employee's approval"},
			{Rule: O11, Effect: Allow, Roles: []Role{RoleInsurer}, Actions: []Action{ActionRead},
				Categories: []Category{CategoryIdentity, CategoryAbsenceFacts},
				Fields:     []Field{FieldName, FieldFirstDay, FieldRecoveryDate, FieldIncapacityDegree},
				CaseKinds:  []CaseKind{CaseAbsence},
				Requires:   []Condition{CondCovers, CondContractInForce},
				Reason:     "an absence insurer sees which employees are sick, the degree of incapacity and the absence period"},
			subjectRule(O13),
		})
}

func occupationalDisclosures() []DisclosureRule {
	return []DisclosureRule{
		{Rule: O14, Recipient: PartyEmployer, Categories: plainContent, Basis: BasisWrittenConsent,
			Reason: "to the employer beyond the statutory minimum only on written request and written consent"},
		{Rule: O14, Recipient: PartyThirdParty, Categories: plainContent, Basis: BasisWrittenConsent,
			Reason: "to third parties only on written request and written consent"},
		{Rule: O6, Recipient: PartyThirdParty, Categories: []Category{CategoryMedical}, Basis: BasisWrittenConsent,
			Reason: "medical data only with the employee's written authorisation"},
		{Rule: O10, Recipient: PartyEmployer, Categories: []Category{CategoryConsultation}, Basis: BasisWrittenConsent,
			Reason: "consultation-hour visits and periodic examinations only with the employee's approval"},
		{Rule: N2, Recipient: PartyEmployer, From: []Role{RolePhysician}, Categories: []Category{CategoryWorkCapacity},
			Fields: PhysicianToEmployerFields(), Basis: BasisNone, NotifySubject: true,
			Reason: "the physician's advice to the employer, the same text to the employee"},
		{Rule: O11, Recipient: PartyInsurer, Categories: []Category{CategoryIdentity, CategoryAbsenceFacts},
			Fields: []Field{FieldName, FieldFirstDay, FieldRecoveryDate, FieldIncapacityDegree}, Basis: BasisNone,
			Reason: "absence insurers get the overview of sick employees, no medical information"},
	}
}

// insurerMaximumRule lets an insurer receive at most N3's list on basis.
func insurerMaximumRule(basis BasisKind) DisclosureRule {
	max := InsurerMaximum()
	cats := []Category{CategoryIdentity, CategoryEmployment, CategoryAbsenceFacts}
	var fields []Field
	for _, c := range cats {
		fields = append(fields, max[c]...)
	}
	return DisclosureRule{Rule: N3, Recipient: PartyInsurer, Categories: cats, Fields: fields, Basis: basis,
		Reason: "the most an absence insurer may receive, never consultation reports"}
}

func statutoryBases() []LegalBasis {
	return []LegalBasis{
		{ID: "suwi-54-3c", Rule: N10, Citation: "Wet SUWI art. 54(3)(c)",
			Recipients: []PartyKind{PartyUWV},
			Categories: []Category{CategoryIdentity, CategoryContact, CategoryEmployment, CategoryAbsenceFacts,
				CategoryWorkCapacity, CategoryExpertReport, CategoryMedical, CategoryNotes},
			Reason: "UWV receives what it needs for its tasks, medical data to its insurance physician included"},
		{ID: "suwi-73-4", Rule: N5, Citation: "Wet SUWI art. 73(4)",
			Recipients: []PartyKind{PartyUWV}, Categories: []Category{CategoryNationalID},
			Reason: "the BSN in exchanges with UWV"},
		{ID: "bw-7-658a-5", Rule: N10, Citation: "Burgerlijk Wetboek 7:658a(5)",
			Recipients: []PartyKind{PartyReintegrationCompany},
			Categories: []Category{CategoryIdentity, CategoryNationalID, CategoryContact, CategoryEmployment,
				CategoryEducation, CategoryAbsenceFacts, CategoryWorkCapacity},
			Reason: "a reintegration company receives the necessary data and the BSN, no medical data"},
		{ID: "procesgang-4-3", Rule: N10, Citation: "Regeling procesgang eerste en tweede ziektejaar art. 4(3)",
			Recipients: []PartyKind{PartySubject, PartyService},
			Categories: []Category{CategoryNotes, CategoryWorkCapacity},
			Reason:     "the plan of action goes to the employee, the case manager and the company doctor"},
		{ID: "arbowet-14", Rule: N5, Citation: "Arbeidsomstandighedenwet art. 14",
			Recipients: []PartyKind{PartyService}, Categories: []Category{CategoryNationalID},
			Reason: "the occupational health service records the BSN for its statutory tasks"},
	}
}

var allButFiscal = []Category{CategoryIdentity, CategoryContact, CategoryAbsenceFacts, CategoryAbsenceReason,
	CategoryStatements, CategoryWorkCapacity, CategoryExpertReport, CategoryNotes, CategoryAppointment,
	CategoryConsultation, CategoryEducation, CategoryNationalID}

func reintegrationRetention() []RetentionRule {
	return []RetentionRule{
		{Rule: R9, Categories: allButFiscal, CaseKinds: []CaseKind{CaseReintegration},
			Trigger: TriggerCaseClosed, Period: Years(2), Citation: "regulation R; AP guidance",
			Reason: "kept until 2 years after the reintegration trajectory closes"},
	}
}

func fiscalRetention() []RetentionRule {
	return []RetentionRule{
		{Rule: R9, Categories: []Category{CategoryEmployment, CategoryBenefits},
			Trigger: TriggerCaseClosed, Period: Years(7), Statutory: true, Citation: "Algemene wet inzake rijksbelastingen art. 52(4)",
			Reason: "wage and benefit data needed for the statutory (fiscal) retention duty: 7 years"},
	}
}

func absenceRetention() []RetentionRule {
	return []RetentionRule{
		{Rule: N7, Categories: allButFiscal, CaseKinds: []CaseKind{CaseAbsence, CaseReintegration},
			Trigger: TriggerEmploymentEnded, Period: Years(2), Citation: "AP policy rules 'De zieke werknemer'",
			Reason: "absence administration: 2 years after employment ends"},
		{Rule: O12, Categories: allButFiscal, CaseKinds: []CaseKind{CaseAbsence},
			Trigger: TriggerCaseClosed, Period: Years(2), Citation: "regulation O",
			Reason: "not longer than the contract needs: 2 years after the case closes"},
	}
}

func preventionRetention() []RetentionRule {
	return []RetentionRule{
		{Rule: O12, Categories: allButFiscal, CaseKinds: []CaseKind{CasePreventive, CaseConsultation, CasePeriodicExam},
			Trigger: TriggerCaseClosed, Period: Years(2), Citation: "regulation O",
			Reason: "not longer than the contract needs: 2 years after the case closes"},
	}
}

func medicalRetention() []RetentionRule {
	return []RetentionRule{
		{Rule: N7, Categories: []Category{CategoryMedical},
			Trigger: TriggerEmploymentEnded, Period: Years(20), Citation: "Burgerlijk Wetboek 7:454(3), 7:464(2)(a)",
			Reason: "the company doctor's medical file: in professional practice 20 years after employment ends; destroyed earlier on request (N8)"},
	}
}

func auditRetention() Deadline {
	return Deadline{N9, Years(5), "NEN 7513; Besluit elektronische gegevensverwerking door zorgaanbieders"}
}

// ExposureExamRetention returns the statutory rule for examinations of
// exposure to hazardous substances: at least 40 years after exposure ends
// (rule N7, Arbeidsomstandighedenbesluit 4.10c). It is not in the ready
// policies because only some periodic examinations are exposure
// examinations; a service that holds them appends it to its policy.
func ExposureExamRetention(kinds ...CaseKind) RetentionRule {
	if len(kinds) == 0 {
		kinds = []CaseKind{CasePeriodicExam}
	}
	return RetentionRule{Rule: N7, Categories: []Category{CategoryMedical, CategoryConsultation}, CaseKinds: kinds,
		Trigger: TriggerCaseClosed, Period: Years(40), Statutory: true, Citation: "Arbeidsomstandighedenbesluit art. 4.10c",
		Reason: "exposure examinations for hazardous substances: at least 40 years after exposure ends"}
}

// SelfInsurerRetention returns the statutory rule for an employer that
// bears its own Sickness Benefits Act risk: 5 years (rule N7). A service
// working for such employers appends it to its policy.
func SelfInsurerRetention() RetentionRule {
	return RetentionRule{Rule: N7, Categories: []Category{CategoryAbsenceFacts}, CaseKinds: []CaseKind{CaseAbsence},
		Trigger: TriggerCaseClosed, Period: Years(5), Statutory: true, Citation: "Ziektewet (eigenrisicodrager)",
		Reason: "self-insurer data under the Sickness Benefits Act: 5 years"}
}
