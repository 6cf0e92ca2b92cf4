package privacy

// Role is what a principal does for the service or towards it. Role values
// are stored; they are never renamed.
type Role string

// The roles.
const (
	// RoleCaseManager is the labour expert, consultant or case manager
	// assigned to a client ("arbeidsdeskundige", "consulent",
	// "casemanager"). Sees case content of assigned cases only (R7, O4).
	RoleCaseManager Role = "case-manager"
	// RoleSupportStaff is other staff of the service who need identity
	// and scheduling data to deliver the service, never case content
	// ("overige medewerkers", R8).
	RoleSupportStaff Role = "support-staff"
	// RolePhysician is the (contracted) company doctor ("bedrijfsarts"),
	// the only role that may read medical data, and only when assigned,
	// bound to professional secrecy and signed in with more than one
	// factor (O6, G8, N4, N6).
	RolePhysician Role = "physician"
	// RoleEmployerContact is a person acting for the employer that
	// commissioned the case ("werkgever", "leidinggevende", "HR").
	// Registers the sick report's facts (N1), sees what the physician may
	// tell (N2), never learns of consultation-hour visits (O10).
	RoleEmployerContact Role = "employer-contact"
	// RoleInsurer is an absence insurer ("verzuimverzekeraar") covering an
	// employer: sees the overview of sick employees only (O11, N3).
	RoleInsurer Role = "insurer"
	// RoleAdministrator is the application administrator
	// ("applicatiebeheerder"): manages accounts, sees no case content and
	// never medical data (R12, N6).
	RoleAdministrator Role = "administrator"
	// RoleSubject is the data subject: the employee or client
	// ("betrokkene", "werknemer", "cliënt"), acting on their own data
	// (R11, O13).
	RoleSubject Role = "subject"
	// RolePrivacyOfficer is the service's privacy officer or data
	// protection officer ("privacyfunctionaris", "functionaris
	// gegevensbescherming", GDPR art. 37–39): places and lifts legal holds
	// (G3), decides erasure requests (R9, O13, N8) and runs retention
	// sweeps (O12), all without seeing case content (R8: staff see only
	// what their task needs).
	RolePrivacyOfficer Role = "privacy-officer"
)

// Roles returns every role, in a fixed order. The slice is new on every
// call.
func Roles() []Role {
	return []Role{RoleCaseManager, RoleSupportStaff, RolePhysician, RoleEmployerContact,
		RoleInsurer, RoleAdministrator, RoleSubject, RolePrivacyOfficer}
}

// Known reports whether r is one of the roles.
func (r Role) Known() bool { return r.Index() >= 0 }

// Staff reports whether r works for the service itself, as opposed to an
// outside party (employer, insurer) or the subject. The absence reason is
// for staff only (O9).
func (r Role) Staff() bool {
	switch r {
	case RoleCaseManager, RoleSupportStaff, RolePhysician, RoleAdministrator, RolePrivacyOfficer:
		return true
	}
	return false
}

// SecrecyBasis is what binds a principal to confidentiality about health
// data (rule N4, UAVG art. 30(4)). Values are stored.
type SecrecyBasis string

// The secrecy bases.
const (
	// SecrecyNone: not bound; may never see health data (N4).
	SecrecyNone SecrecyBasis = ""
	// SecrecyProfessional is professional secrecy ("medisch
	// beroepsgeheim"), as a physician has.
	SecrecyProfessional SecrecyBasis = "professional"
	// SecrecyAgreement is a confidentiality agreement
	// ("geheimhoudingsovereenkomst"), as staff working under a physician's
	// responsibility have.
	SecrecyAgreement SecrecyBasis = "agreement"
)

// Known reports whether s is one of the secrecy bases.
func (s SecrecyBasis) Known() bool {
	return s == SecrecyNone || s == SecrecyProfessional || s == SecrecyAgreement
}

// PartyKind is the kind of an organisation that commissions cases, supplies
// data or receives it. Values are stored.
type PartyKind string

// The kinds of party.
const (
	PartyService              PartyKind = "service"               // the arbo or reintegration service itself
	PartyEmployer             PartyKind = "employer"              // werkgever, opdrachtgever (O2)
	PartyMunicipality         PartyKind = "municipality"          // gemeente, opdrachtgever (R2)
	PartyUWV                  PartyKind = "uwv"                   // Uitvoeringsinstituut Werknemersverzekeringen (R2, N10)
	PartyInsurer              PartyKind = "insurer"               // verzuimverzekeraar (O11, N3)
	PartyReintegrationCompany PartyKind = "reintegration-company" // re-integratiebedrijf (N10)
	PartyCourt                PartyKind = "court"                 // rechter (a statutory request)
	PartyThirdParty           PartyKind = "third-party"           // anyone else (R6, O14)
	PartySubject              PartyKind = "subject"               // the data subject, as a source or recipient
)

// PartyKinds returns every kind of party.
func PartyKinds() []PartyKind {
	return []PartyKind{PartyService, PartyEmployer, PartyMunicipality, PartyUWV, PartyInsurer,
		PartyReintegrationCompany, PartyCourt, PartyThirdParty, PartySubject}
}

// Known reports whether k is one of the kinds of party.
func (k PartyKind) Known() bool { return k.Index() >= 0 }

// Purpose is why data is processed (R5, O2). Every case and record carries
// one; a use for another purpose is refused. Values are stored.
type Purpose string

// The purposes the ready policies allow.
const (
	// PurposeReintegration is promoting reintegration ("bevorderen van
	// re-integratie", R5).
	PurposeReintegration Purpose = "reintegration"
	// PurposeAbsenceGuidance is reducing and guiding absence ("terugdringen
	// van verzuim", "verzuimbegeleiding", R5, O2).
	PurposeAbsenceGuidance Purpose = "absence-guidance"
	// PurposePrevention is prevention under the employer contract:
	// consultation hours, periodic examinations, preventive cases (O2, O9).
	PurposePrevention Purpose = "prevention"
)

// CaseKind is the kind of a case. Values are stored.
type CaseKind string

// The kinds of case.
const (
	CaseAbsence       CaseKind = "absence"       // verzuimdossier, opened by a sick report (ziekmelding)
	CasePreventive    CaseKind = "preventive"    // preventief dossier (O9)
	CaseReintegration CaseKind = "reintegration" // re-integratietraject (R9)
	CaseConsultation  CaseKind = "consultation"  // bezoek arbeidsomstandighedenspreekuur (O10)
	CasePeriodicExam  CaseKind = "periodic-exam" // periodiek arbeidsgezondheidskundig onderzoek, PAGO/PMO (O10, N12)
)

// CaseKinds returns every kind of case.
func CaseKinds() []CaseKind {
	return []CaseKind{CaseAbsence, CasePreventive, CaseReintegration, CaseConsultation, CasePeriodicExam}
}

// Known reports whether k is one of the kinds of case.
func (k CaseKind) Known() bool { return k.Index() >= 0 }

// Confidential reports whether the employer may not even learn that a case
// of this kind exists without the subject's approval (rule O10).
func (k CaseKind) Confidential() bool { return k == CaseConsultation || k == CasePeriodicExam }
