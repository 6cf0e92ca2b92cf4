package privacy

import (
	"slices"
	"time"
)

// The ready policies are built in code rather than embedded JSON so that
// the compiler checks every name; [Policy.Encode] shows them as data, and
// the tests decode that JSON back to the same value.

var gdprInForce = time.Date(2018, time.May, 25, 0, 0, 0, 0, time.UTC)

// The placeholders a service replaces with its own name, processor, contact
// details and data protection officer, in both languages.
var (
	controller = Text{NL: "de dienst", EN: "the service"}
	processor  = Text{NL: "de externe verwerker bij wie het dossiersysteem is ondergebracht",
		EN: "the external processor hosting the case system"}
	contact = Text{NL: "het postadres, telefoonnummer en e-mailadres van de dienst",
		EN: "the service's postal address, phone number and e-mail address"}
	dpo = Text{NL: "de functionaris voor gegevensbescherming van de dienst, bereikbaar via het adres van de dienst",
		EN: "the service's data protection officer, reachable at the service's address"}
)

// The legal bases of the purposes (GDPR art. 6 and 9; art. 13(1)(c)).
var (
	absenceBasis = Text{
		NL: "AVG artikel 6 lid 1 onder c: de wettelijke plicht van de werkgever om zich bij de begeleiding van zieke werknemers " +
			"te laten bijstaan door een bedrijfsarts (Arbeidsomstandighedenwet artikel 14 lid 1 onder b); gezondheidsgegevens: " +
			"AVG artikel 9 lid 2 onder b met UAVG artikel 30 lid 1 onder b",
		EN: "GDPR art. 6(1)(c): the employer's legal obligation to have sick employees guided with the support of a company " +
			"doctor (Arbeidsomstandighedenwet art. 14(1)(b)); health data: GDPR art. 9(2)(b) with UAVG art. 30(1)(b)",
	}
	reintegrationBasis = Text{
		NL: "AVG artikel 6 lid 1 onder c: de wettelijke re-integratieplicht van de werkgever (BW 7:658a) of de wettelijke taak " +
			"van de opdrachtgever; gezondheidsgegevens: AVG artikel 9 lid 2 onder b met UAVG artikel 30 lid 1 onder b",
		EN: "GDPR art. 6(1)(c): the employer's legal obligation to promote reintegration (BW 7:658a) or the commissioning " +
			"party's statutory task; health data: GDPR art. 9(2)(b) with UAVG art. 30(1)(b)",
	}
	preventionBasis = Text{
		NL: "AVG artikel 6 lid 1 onder c: de plichten van de werkgever uit de Arbeidsomstandighedenwet (artikel 14 en 18: " +
			"spreekuur en periodiek onderzoek); gezondheidsgegevens: AVG artikel 9 lid 2 onder h en lid 3, arbeidsgeneeskunde " +
			"door wie aan het beroepsgeheim is gebonden",
		EN: "GDPR art. 6(1)(c): the employer's obligations under the Arbeidsomstandighedenwet (art. 14 and 18: consultation " +
			"hour and periodic examinations); health data: GDPR art. 9(2)(h) and (3), occupational medicine by professionals " +
			"bound to secrecy",
	}
)

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
		Name:         "regulation-r",
		Version:      "1.0.0",
		Effective:    gdprInForce,
		Title:        "Privacy regulation for reintegration and absence (regulation R)",
		TitleNL:      "Privacyreglement re-integratie en verzuim (reglement R)",
		Controller:   controller.EN,
		ControllerNL: controller.NL,
		Contact:      contact,
		DPO:          dpo,
		Regulations:  []string{"R"},
		Purposes: []PurposeRule{
			{Purpose: PurposeReintegration, Rule: R5, CaseKinds: []CaseKind{CaseReintegration, CaseAbsence},
				Reason: "promoting reintegration", ReasonNL: "het bevorderen van re-integratie", Basis: reintegrationBasis},
			{Purpose: PurposeAbsenceGuidance, Rule: R5, CaseKinds: []CaseKind{CaseAbsence, CaseReintegration},
				Reason: "reducing absence", ReasonNL: "het terugdringen van verzuim", Basis: absenceBasis},
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
				Reason:   "to the employer only with the client's explicit consent",
				ReasonNL: "aan de werkgever alleen met uitdrukkelijke toestemming van de cliënt"},
			{Rule: R6, Recipient: PartyThirdParty, Categories: plainContent, Basis: BasisConsent,
				Reason:   "to third parties only with the client's explicit consent",
				ReasonNL: "aan derden alleen met uitdrukkelijke toestemming van de cliënt"},
			{Rule: R6, Recipient: PartyMunicipality, Categories: plainContent, Basis: BasisConsent,
				Reason:   "to the municipality only with the client's explicit consent",
				ReasonNL: "aan de gemeente alleen met uitdrukkelijke toestemming van de cliënt"},
			insurerMaximumRule(BasisConsent),
		},
		LegalBases:     statutoryBases(),
		Retention:      slices.Concat(regulationRRetention(), fiscalRetention()),
		Data:           dataRetention(R9, R6, R9, R11, regulationRText),
		AuditRetention: auditRetention(),
		Requests: RequestRules{
			Answer: []Deadline{{R11, Weeks(4), "regulation R: within 4 weeks"}},
			// Rule R11: four weeks, unconditionally. G2 lets a controller
			// extend by two months; regulation R does not, and the
			// stricter rule holds.
			MedicalErasure: &Deadline{N8, Months(3), "BW 7:455"},
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
		Name:         "regulation-o",
		Version:      "1.0.0",
		Effective:    gdprInForce,
		Title:        "Privacy regulation of the occupational health service (regulation O)",
		TitleNL:      "Privacyreglement arbodienst (reglement O)",
		Controller:   controller.EN,
		ControllerNL: controller.NL,
		Processor:    processor.EN,
		ProcessorNL:  processor.NL,
		Contact:      contact,
		DPO:          dpo,
		Regulations:  []string{"O"},
		Purposes: []PurposeRule{
			{Purpose: PurposeAbsenceGuidance, Rule: O2, CaseKinds: []CaseKind{CaseAbsence, CasePreventive},
				Reason: "absence guidance under the employer contract", ReasonNL: "verzuimbegeleiding op grond van de overeenkomst met de werkgever",
				Basis: absenceBasis},
			{Purpose: PurposePrevention, Rule: O2, CaseKinds: []CaseKind{CasePreventive, CaseConsultation, CasePeriodicExam},
				Reason: "prevention under the employer contract", ReasonNL: "preventie op grond van de overeenkomst met de werkgever",
				Basis: preventionBasis},
			{Purpose: PurposeReintegration, Rule: O2, CaseKinds: []CaseKind{CaseReintegration, CaseAbsence},
				Reason: "reintegration under the employer contract", ReasonNL: "re-integratie op grond van de overeenkomst met de werkgever",
				Basis: reintegrationBasis},
		},
		Access:         occupationalAccess(O4),
		Disclosures:    occupationalDisclosures(),
		LegalBases:     statutoryBases(),
		Retention:      slices.Concat(absenceRetention(), reintegrationFileRetention(), preventionRetention(), fiscalRetention(), medicalRetention()),
		Data:           dataRetention(O12, O14, O13, O13, regulationOText),
		AuditRetention: auditRetention(),
		Requests: RequestRules{
			Answer:         []Deadline{{O13, Months(1), "regulation O: within one month"}, {G2, Months(1), "GDPR art. 12(3)"}},
			Extension:      &Deadline{G2, Months(2), "GDPR art. 12(3)"},
			MedicalErasure: &Deadline{N8, Months(3), "BW 7:455"},
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
		Name:         "strict",
		Version:      "1.0.0",
		Effective:    gdprInForce,
		Title:        "Privacy regulation of the occupational health and reintegration service (regulations R and O)",
		TitleNL:      "Privacyreglement arbodienst en re-integratie (reglementen R en O)",
		Controller:   o.Controller,
		ControllerNL: o.ControllerNL,
		Processor:    o.Processor,
		ProcessorNL:  o.ProcessorNL,
		Contact:      o.Contact,
		DPO:          o.DPO,
		Regulations:  []string{"R", "O"},
		Purposes: []PurposeRule{
			{Purpose: PurposeAbsenceGuidance, Rule: O2, CaseKinds: []CaseKind{CaseAbsence, CasePreventive, CaseReintegration},
				Reason: "reducing absence, under the employer contract", ReasonNL: "het terugdringen van verzuim, op grond van de overeenkomst met de werkgever",
				Basis: absenceBasis},
			{Purpose: PurposePrevention, Rule: O2, CaseKinds: []CaseKind{CasePreventive, CaseConsultation, CasePeriodicExam},
				Reason: "prevention under the employer contract", ReasonNL: "preventie op grond van de overeenkomst met de werkgever",
				Basis: preventionBasis},
			{Purpose: PurposeReintegration, Rule: R5, CaseKinds: []CaseKind{CaseReintegration, CaseAbsence},
				Reason: "promoting reintegration", ReasonNL: "het bevorderen van re-integratie", Basis: reintegrationBasis},
		},
		// R7 is the stricter reading of O4: content needs an assignment.
		Access: occupationalAccess(R7),
		// O14 is the stricter reading of R6: consent must be written.
		Disclosures:    occupationalDisclosures(),
		LegalBases:     statutoryBases(),
		Retention:      slices.Concat(reintegrationRetention(), absenceRetention(), preventionRetention(), fiscalRetention(), medicalRetention()),
		Data:           dataRetention(R9, O14, O13, R11, regulationRText+"; "+regulationOText),
		AuditRetention: auditRetention(),
		Requests: RequestRules{
			Answer: slices.Concat(r.Requests.Answer, o.Requests.Answer),
			// Rule R11 wins over G2: every request is answered within
			// regulation R's four weeks, which allow no extension.
			MedicalErasure: &Deadline{N8, Months(3), "BW 7:455"},
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
			Reason:   "to the employer beyond the statutory minimum only on written request and written consent",
			ReasonNL: "aan de werkgever meer dan het wettelijke minimum alleen op schriftelijk verzoek en met schriftelijke toestemming"},
		{Rule: O14, Recipient: PartyThirdParty, Categories: plainContent, Basis: BasisWrittenConsent,
			Reason:   "to third parties only on written request and written consent",
			ReasonNL: "aan derden alleen op schriftelijk verzoek en met schriftelijke toestemming"},
		{Rule: O6, Recipient: PartyThirdParty, Categories: []Category{CategoryMedical}, Basis: BasisWrittenConsent,
			Reason:   "medical data only with the employee's written authorisation",
			ReasonNL: "medische gegevens alleen met schriftelijke machtiging van de werknemer"},
		{Rule: O10, Recipient: PartyEmployer, Categories: []Category{CategoryConsultation}, Basis: BasisWrittenConsent,
			Reason:   "consultation-hour visits and periodic examinations only with the employee's approval",
			ReasonNL: "spreekuurbezoeken en periodieke onderzoeken alleen met instemming van de werknemer"},
		{Rule: N2, Recipient: PartyEmployer, From: []Role{RolePhysician}, Categories: []Category{CategoryWorkCapacity},
			Fields: PhysicianToEmployerFields(), Basis: BasisNone, NotifySubject: true,
			Reason:   "the physician's advice to the employer, the same text to the employee",
			ReasonNL: "het advies van de bedrijfsarts aan de werkgever, dezelfde tekst aan de werknemer"},
		{Rule: O11, Recipient: PartyInsurer, Categories: []Category{CategoryIdentity, CategoryAbsenceFacts},
			Fields: []Field{FieldName, FieldFirstDay, FieldRecoveryDate, FieldIncapacityDegree}, Basis: BasisNone,
			Reason:   "absence insurers get the overview of sick employees, no medical information",
			ReasonNL: "verzuimverzekeraars krijgen het overzicht van zieke werknemers, geen medische informatie"},
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
		Reason:   "the most an absence insurer may receive, never consultation reports",
		ReasonNL: "het meeste dat een verzuimverzekeraar mag ontvangen, nooit spreekuurverslagen"}
}

func statutoryBases() []LegalBasis {
	return []LegalBasis{
		{ID: "suwi-54-3c", Rule: N10, Citation: "Wet SUWI art. 54(3)(c)",
			Recipients: []PartyKind{PartyUWV},
			Categories: []Category{CategoryIdentity, CategoryContact, CategoryEmployment, CategoryAbsenceFacts,
				CategoryWorkCapacity, CategoryExpertReport, CategoryMedical, CategoryNotes},
			// The sick-leave statutes serve the guidance of a sick employee
			// and the reintegration, nothing else (R5, O10).
			Purposes: []Purpose{PurposeAbsenceGuidance, PurposeReintegration},
			Reason:   "UWV receives what it needs for its tasks, medical data to its insurance physician included",
			ReasonNL: "het UWV krijgt wat het voor zijn taken nodig heeft, medische gegevens aan zijn verzekeringsarts inbegrepen"},
		{ID: "suwi-73-4", Rule: N5, Citation: "Wet SUWI art. 73(4)",
			Recipients: []PartyKind{PartyUWV}, Categories: []Category{CategoryNationalID},
			Purposes: []Purpose{PurposeAbsenceGuidance, PurposeReintegration},
			Reason:   "the BSN in exchanges with UWV",
			ReasonNL: "het BSN bij de uitwisseling met het UWV"},
		{ID: "bw-7-658a-5", Rule: N10, Citation: "BW 7:658a(5)",
			Recipients: []PartyKind{PartyReintegrationCompany},
			Categories: []Category{CategoryIdentity, CategoryNationalID, CategoryContact, CategoryEmployment,
				CategoryEducation, CategoryAbsenceFacts, CategoryWorkCapacity},
			Purposes: []Purpose{PurposeAbsenceGuidance, PurposeReintegration},
			Reason:   "a reintegration company receives the necessary data and the BSN, no medical data",
			ReasonNL: "een re-integratiebedrijf krijgt de noodzakelijke gegevens en het BSN, geen medische gegevens"},
		{ID: "procesgang-4-3", Rule: N10, Citation: "Regeling procesgang eerste en tweede ziektejaar art. 4(3)",
			Recipients: []PartyKind{PartySubject, PartyService},
			Categories: []Category{CategoryNotes, CategoryWorkCapacity},
			Purposes:   []Purpose{PurposeAbsenceGuidance, PurposeReintegration},
			Reason:     "the plan of action goes to the employee, the case manager and the company doctor",
			ReasonNL:   "het plan van aanpak gaat naar de werknemer, de casemanager en de bedrijfsarts"},
		// Rule N5: the employer gives the company doctor the BSN for the
		// guidance of a sick employee and the reintegration, and for that
		// only (Arbeidsomstandighedenwet art. 14(1)(b), Regeling
		// procesgang art. 2(1)).
		{ID: "arbowet-14", Rule: N5,
			Citation:   "Arbeidsomstandighedenwet art. 14(1)(b); Regeling procesgang eerste en tweede ziektejaar art. 2(1)",
			Recipients: []PartyKind{PartyService}, Categories: []Category{CategoryNationalID},
			Purposes: []Purpose{PurposeAbsenceGuidance, PurposeReintegration},
			Reason:   "the company doctor records the BSN for the guidance of sick employees and their reintegration",
			ReasonNL: "de bedrijfsarts legt het BSN vast voor de begeleiding van zieke werknemers en hun re-integratie"},
	}
}

var allButFiscal = []Category{CategoryIdentity, CategoryContact, CategoryAbsenceFacts, CategoryAbsenceReason,
	CategoryStatements, CategoryWorkCapacity, CategoryExpertReport, CategoryNotes, CategoryAppointment,
	CategoryConsultation, CategoryEducation, CategoryNationalID}

func reintegrationRetention() []RetentionRule {
	return []RetentionRule{
		{Rule: R9, Categories: allButFiscal, CaseKinds: []CaseKind{CaseReintegration},
			Trigger: TriggerCaseClosed, Period: Years(2), Citation: "Privacyreglement re-integratie en verzuim; AP-beleidsregels De zieke werknemer (2016)",
			Reason:   "kept until 2 years after the reintegration trajectory closes",
			ReasonNL: "bewaard tot 2 jaar na de afsluiting van het re-integratietraject"},
	}
}

// regulationRText is where regulation R sets its period: "Tot 2 jaar na
// het tijdstip van afsluiting van het re-integratietraject worden de
// persoonsgegevens bewaard" (rule R9).
const regulationRText = "Privacyreglement re-integratie en verzuim, Bewaartermijn"

// regulationOText is regulation O's article 12 (rule O12).
const regulationOText = "Privacyreglement arbodienst art. 12"

// regulationRRetention is rule R9 for every kind of case: regulation R keeps
// "the personal data" — all of it, medical data included, whatever kind of
// case the service opened — until 2 years after the trajectory closes. The
// fiscal 7 years (fiscalRetention), a statutory minimum, keep wage and
// benefit data longer.
func regulationRRetention() []RetentionRule {
	return []RetentionRule{
		{Rule: R9,
			Trigger: TriggerCaseClosed, Period: Years(2), Citation: regulationRText,
			Reason:   "kept until 2 years after the reintegration or absence trajectory closes",
			ReasonNL: "bewaard tot 2 jaar na de afsluiting van het re-integratie- of verzuimtraject"},
	}
}

// dataRetention is the retention of the stored data besides records (rules
// R9, O12, N7, G3, G4): master data and case rows for the regulation's own
// period after the last case closes or the employment ends, whichever is
// later; the evidence of what was done with the data (holds, erasure
// requests, consent, requests) for the same period after it ended, so that
// a complaint about it can be answered (GDPR art. 5(2)); a subject's place
// in the group histories while its master data is (N12); disclosure-log
// entries while a record they name is kept and no longer. Each also
// outlives the data it is about (see [DataKind]).
func dataRetention(own, gate, erasure, answer RuleID, citation string) []DataRule {
	return []DataRule{
		{Rule: own, Kind: DataSubject, Period: Years(2), Citation: citation + "; AP-beleidsregels De zieke werknemer (2016)",
			Reason:   "master data: 2 years after the last case closes, or after the employment ends if that is later, and while anything else of the subject is kept",
			ReasonNL: "stamgegevens: 2 jaar na de afsluiting van het laatste dossier, of na het einde van het dienstverband als dat later is, en zolang iets anders van de betrokkene wordt bewaard"},
		{Rule: own, Kind: DataCase, Period: Years(2), Citation: citation,
			Reason:   "the case: 2 years after it closes; left open, 2 years after the last thing recorded in it (an absence case: after the employment ends, if that came first, N7); and while a record of it is kept",
			ReasonNL: "het dossier: 2 jaar na de afsluiting; bleef het open, 2 jaar na het laatste dat erin werd vastgelegd (een verzuimdossier: na het einde van het dienstverband, als dat eerder was, N7); en zolang een gegeven ervan wordt bewaard"},
		{Rule: G3, Kind: DataHold, Period: Years(2), Citation: "AVG art. 5(2), 17(3)(b),(e)",
			Reason:   "a lifted legal hold shows why data outlived its period: 2 years after it is lifted; a standing hold is kept with what it keeps",
			ReasonNL: "een opgeheven bewaarplicht laat zien waarom gegevens langer bleven: 2 jaar na de opheffing; een lopende wordt bewaard met wat zij bewaart"},
		{Rule: erasure, Kind: DataErasure, Period: Years(2), Citation: "AVG art. 5(2), 17(1)",
			Reason:   "a granted erasure request: 2 years after it is granted, and while a record it covers is kept",
			ReasonNL: "een toegewezen verzoek tot verwijdering: 2 jaar na de toewijzing, en zolang een gegeven waarop het ziet wordt bewaard"},
		{Rule: gate, Kind: DataGrant, Period: Years(2), Citation: "AVG art. 5(2), 7(1)",
			Reason:   "consent: 2 years after it is withdrawn or ends, and while a disclosure that rests on it is kept",
			ReasonNL: "toestemming: 2 jaar na de intrekking of het einde, en zolang een verstrekking die erop berust wordt bewaard"},
		{Rule: answer, Kind: DataRequest, Period: Years(2), Citation: "AVG art. 5(2), 12",
			Reason:   "a request of the subject: 2 years after it is closed, or, never closed, after its deadline",
			ReasonNL: "een verzoek van de betrokkene: 2 jaar na de afhandeling, of, nooit afgehandeld, na de uiterste termijn"},
		{Rule: N12, Kind: DataGroups, Citation: "Arbowet art. 14, 18; AVG art. 5(1)(c),(e)",
			Reason:   "the groups your employer received anonymised figures about: your place in them is kept while your master data is, so that no later figure can single you out; when it is removed, your ID there is replaced by a random token that names no one",
			ReasonNL: "de groepen waarover uw werkgever geanonimiseerde cijfers kreeg: uw plaats daarin wordt bewaard zolang uw stamgegevens, zodat geen later cijfer u kan aanwijzen; worden die verwijderd, dan wordt uw ID daar vervangen door een willekeurig kenmerk dat niemand aanwijst"},
		{Rule: G4, Kind: DataDisclosure, Citation: "AVG art. 19, 15(1)(c)",
			Reason:   "a disclosure-log entry: while a record it names is kept, so that its recipient can be told of the erasure; after that no one needs to be told",
			ReasonNL: "een vermelding in het verstrekkingenlogboek: zolang een gegeven dat erin staat wordt bewaard, zodat de ontvanger over de verwijdering kan worden ingelicht; daarna hoeft niemand meer te worden ingelicht"},
	}
}

// reintegrationFileRetention is regulation O's limit for a reintegration
// case (rule N7): no statute fixes a period, and the regulator's guidance
// is at most 2 years after the reintegration ends.
func reintegrationFileRetention() []RetentionRule {
	return []RetentionRule{
		{Rule: N7, Categories: allButFiscal, CaseKinds: []CaseKind{CaseReintegration},
			Trigger: TriggerCaseClosed, Period: Years(2), Citation: "AP-beleidsregels De zieke werknemer (2016)",
			Reason:   "reintegration file: no statute fixes a period; the regulator's guidance is at most 2 years after the reintegration ends",
			ReasonNL: "re-integratiedossier: geen wettelijke termijn; volgens de toezichthouder ten hoogste 2 jaar na de afronding van de re-integratie"},
	}
}

// fiscalRetention is the fiscal retention duty (rules R9, N7): AWR art.
// 52(4) keeps the administration "gedurende zeven jaren" and names no
// start; in practice the seven years run from the end of the (calendar or
// book) year in which the data was entered. The ready policies count them
// from the end of the year the case closes, or a record is rectified after
// it (FromYearEnd), which is never before the end of the year any of its
// records was entered: counted from the closing day, wage data of the
// closing's year would go up to a year early.
func fiscalRetention() []RetentionRule {
	return []RetentionRule{
		{Rule: R9, Categories: []Category{CategoryEmployment, CategoryBenefits},
			Trigger: TriggerCaseClosed, Period: Years(7), FromYearEnd: true, Statutory: true,
			Citation: "Algemene wet inzake rijksbelastingen art. 52(4)",
			Reason: "wage and benefit data needed for the statutory (fiscal) retention duty: 7 years " +
				"(the statute names no start; in practice from the end of the year the data was entered, " +
				"here from the end of the year the case closes, or a record is rectified after, which is never earlier)",
			ReasonNL: "loon- en uitkeringsgegevens voor de wettelijke (fiscale) bewaarplicht: 7 jaar " +
				"(de wet noemt geen begin; in de praktijk vanaf het einde van het jaar waarin de gegevens zijn verwerkt, " +
				"hier vanaf het einde van het jaar waarin het dossier is afgesloten, of een gegeven daarna is gecorrigeerd, wat nooit eerder is)"},
	}
}

// absenceRetention lists O12 before N7: while both wait for their trigger
// (the case open, the employment lasting), the record is kept, and the
// rule named is the one that ends an absence case in the ordinary course,
// two years after it closes (the earliest maximum wins once both have a
// date).
func absenceRetention() []RetentionRule {
	return []RetentionRule{
		{Rule: O12, Categories: allButFiscal, CaseKinds: []CaseKind{CaseAbsence},
			Trigger: TriggerCaseClosed, Period: Years(2), Citation: "Privacyreglement arbodienst",
			Reason:   "not longer than the contract needs: 2 years after the case closes",
			ReasonNL: "niet langer dan de overeenkomst vereist: 2 jaar na de afsluiting van het dossier"},
		{Rule: N7, Categories: allButFiscal, CaseKinds: []CaseKind{CaseAbsence, CaseReintegration},
			Trigger: TriggerEmploymentEnded, Period: Years(2), Citation: "AP-beleidsregels De zieke werknemer (2016)",
			Reason:   "absence administration: 2 years after employment ends (for a client of a municipality or the UWV: after the case closes)",
			ReasonNL: "verzuimadministratie: 2 jaar na het einde van het dienstverband (bij een cliënt van een gemeente of het UWV: na de afsluiting van het dossier)"},
	}
}

func preventionRetention() []RetentionRule {
	return []RetentionRule{
		{Rule: O12, Categories: allButFiscal, CaseKinds: []CaseKind{CasePreventive, CaseConsultation, CasePeriodicExam},
			Trigger: TriggerCaseClosed, Period: Years(2), Citation: "Privacyreglement arbodienst",
			Reason:   "not longer than the contract needs: 2 years after the case closes",
			ReasonNL: "niet langer dan de overeenkomst vereist: 2 jaar na de afsluiting van het dossier"},
	}
}

// medicalRetention is the company doctor's medical file (rule N7). The law:
// Civil Code 7:454(3), which 7:464(1) applies to the company doctor, keeps
// a medical file at least 20 years (15 before 1 January 2020) from the last
// change in it, "or as much longer as reasonably follows from the care of a
// good care provider". The ready policies follow professional practice: 20
// years after the employment ends, or after the record's last change when
// that came later (package retention counts a medical record's period from
// the later of the two), so never before the law's date. It is not
// Statutory in this library's sense: 7:455 lets the employee have the file destroyed within
// three months of a request (rule N8), so an erasure request does shorten
// it.
func medicalRetention() []RetentionRule {
	return []RetentionRule{
		{Rule: N7, Categories: []Category{CategoryMedical},
			Trigger: TriggerEmploymentEnded, Period: Years(20), Citation: "BW 7:454(3), 7:464(1)",
			Reason: "the company doctor's medical file: the law keeps it at least 20 years from the last change in the file " +
				"(15 years before 1 January 2020); in professional practice, followed here, 20 years after employment ends, " +
				"or after the file's last change if that came later " +
				"(for a client of a municipality or the UWV, who has no employment of theirs to end: the closing of the case instead of the end of the employment); " +
				"destroyed earlier on the employee's request (N8)",
			ReasonNL: "het medisch dossier van de bedrijfsarts: de wet bewaart het ten minste 20 jaar na de laatste wijziging in het dossier " +
				"(vóór 1 januari 2020: 15 jaar); in de beroepspraktijk, die dit reglement volgt, 20 jaar na het einde van het dienstverband, " +
				"of na de laatste wijziging in het dossier als die later was " +
				"(bij een cliënt van een gemeente of het UWV, die daar geen dienstverband heeft: de afsluiting van het dossier in plaats van het einde van het dienstverband); " +
				"op verzoek van de werknemer eerder vernietigd (N8)"},
	}
}

func auditRetention() Deadline {
	// Rule N9: the decree's art. 5 makes the log follow NEN 7513; the
	// minister's decision under art. 5(2) keeps it at least 5 years from
	// the moment each log line is written.
	return Deadline{N9, Years(5), "NEN 7513; Besluit elektronische gegevensverwerking door zorgaanbieders art. 5 (Stb. 2017, 446); " +
		"Stcrt. 2019, 38007"}
}

// ExposureExamRetention returns the statutory rule for examinations of
// exposure to hazardous substances: at least 40 years after exposure ends
// (rule N7, Arbeidsomstandighedenbesluit 4.10c). The library records no end
// of exposure, and the closing of an examination's case is not one (the
// employee may stay exposed for years after it), so the period runs from
// the end of the employment, the last day the exposure with that employer
// can end (for a client of a municipality or the UWV, the closing of the
// case, [EmploymentEnd]). It is not in the ready
// policies because only some periodic examinations are exposure
// examinations; a service that holds them appends it to its policy.
func ExposureExamRetention(kinds ...CaseKind) RetentionRule {
	if len(kinds) == 0 {
		kinds = []CaseKind{CasePeriodicExam}
	}
	return RetentionRule{Rule: N7, Categories: []Category{CategoryMedical, CategoryConsultation}, CaseKinds: kinds,
		Trigger: TriggerEmploymentEnded, Period: Years(40), Statutory: true, Citation: "Arbeidsomstandighedenbesluit art. 4.10c",
		Reason: "exposure examinations for hazardous substances: at least 40 years after exposure ends; " +
			"counted from the end of the employment, the last day the exposure can end",
		ReasonNL: "onderzoeken naar blootstelling aan gevaarlijke stoffen: ten minste 40 jaar na het einde van de blootstelling; " +
			"gerekend vanaf het einde van het dienstverband, de laatste dag waarop de blootstelling kan eindigen"}
}

// SelfInsurerRetention returns the statutory rule for an employer that
// bears its own Sickness Benefits Act risk: 5 years (rule N7, art. 3(2) of
// the Regeling werkzaamheden, administratieve voorschriften en kosten
// eigenrisicodragen Ziektewet). A service working for such employers
// appends it to its policy.
func SelfInsurerRetention() RetentionRule {
	return RetentionRule{Rule: N7, Categories: []Category{CategoryAbsenceFacts}, CaseKinds: []CaseKind{CaseAbsence},
		Trigger: TriggerCaseClosed, Period: Years(5), Statutory: true,
		Citation: "Regeling werkzaamheden, administratieve voorschriften en kosten eigenrisicodragen Ziektewet art. 3(2)",
		Reason:   "self-insurer data under the Sickness Benefits Act: 5 years",
		ReasonNL: "gegevens van een eigenrisicodrager voor de Ziektewet: 5 jaar"}
}
