package statement

import (
	"strings"

	"github.com/dossierwacht/dossierwacht/privacy"
)

// The words of the statement for the policy's vocabulary. The tables are
// read-only. A value a table does not know (a purpose a custom policy
// introduces) is written as it is.

type term struct{ nl, en string }

func (l lang) term(m map[string]term, key string) string {
	if t, ok := m[key]; ok {
		return l.t(t.nl, t.en)
	}
	return clean(key)
}

// category names a category: the Dutch term from the taxonomy
// ([privacy.Category.Info]), or its English counterpart.
func (l lang) category(c privacy.Category) string {
	if !l.en {
		if info, ok := c.Info(); ok {
			return info.Dutch
		}
		return clean(string(c))
	}
	if s, ok := categoryEN[c]; ok {
		return s
	}
	return clean(string(c))
}

// catList joins category names: "a, b en c", or "a; b; c" when a name has
// a comma of its own ("functie, aard en duur dienstverband").
func (l lang) catList(cs []privacy.Category) string { return l.joinNames(l.categories(cs)) }

func (l lang) joinNames(names []string) string {
	for _, n := range names {
		if hasConjunction(n) {
			return strings.Join(names, "; ")
		}
	}
	return l.and(names)
}

// hasConjunction reports whether a name, outside its parentheses, holds a
// comma or "en"/"and", so that joining it with others by commas and "en"
// would blur where one name ends.
func hasConjunction(name string) bool {
	var b strings.Builder
	depth := 0
	for _, r := range name {
		switch {
		case r == '(':
			depth++
		case r == ')':
			depth--
		case depth == 0:
			b.WriteRune(r)
		}
	}
	s := b.String()
	return strings.Contains(s, ",") || strings.Contains(s, " en ") || strings.Contains(s, " and ")
}

func (l lang) categories(cs []privacy.Category) []string {
	out := make([]string, len(cs))
	for i, c := range cs {
		out[i] = l.category(c)
	}
	return out
}

var categoryEN = map[privacy.Category]string{
	privacy.CategoryIdentity:          "identity data (name and address)",
	privacy.CategoryNationalID:        "citizen service number (BSN)",
	privacy.CategoryContact:           "contact details",
	privacy.CategoryEmployment:        "job, nature and duration of employment",
	privacy.CategoryBenefits:          "benefit data",
	privacy.CategoryEducation:         "education, diplomas and work experience",
	privacy.CategoryAbsenceFacts:      "absence data",
	privacy.CategoryAbsenceReason:     "reason for the sick report (internal only)",
	privacy.CategoryStatements:        "information supplied by the employee",
	privacy.CategoryWorkCapacity:      "work capacity (limitations and possibilities)",
	privacy.CategoryExpertReport:      "expert reports",
	privacy.CategoryMedical:           "medical data",
	privacy.CategoryNotes:             "notes",
	privacy.CategoryConsultation:      "consultation-hour visits and periodic examinations",
	privacy.CategoryAppointment:       "appointments",
	privacy.CategoryReligion:          "religion",
	privacy.CategoryBelief:            "philosophical beliefs",
	privacy.CategoryRaceEthnicity:     "racial or ethnic origin",
	privacy.CategoryPoliticalOpinion:  "political opinions",
	privacy.CategorySexualOrientation: "sex life or sexual orientation",
	privacy.CategoryTradeUnion:        "trade union membership",
	privacy.CategoryGenetic:           "genetic data",
	privacy.CategoryBiometric:         "biometric data",
	privacy.CategoryCriminal:          "criminal-law data",
}

// fieldTerm names a field in a list ("hersteldatum") and as the object of a
// sentence ("de hersteldatum").
type fieldTerm struct{ nl, nlNoun, en, enNoun string }

var fields = map[privacy.Field]fieldTerm{
	privacy.FieldText:             {"vrije tekst", "de vrije tekst", "free text", "the free text"},
	privacy.FieldName:             {"naam", "de naam", "name", "the name"},
	privacy.FieldAddress:          {"adres", "het adres", "address", "the address"},
	privacy.FieldPostcode:         {"postcode", "de postcode", "postcode", "the postcode"},
	privacy.FieldCity:             {"woonplaats", "de woonplaats", "city", "the city"},
	privacy.FieldGender:           {"geslacht", "het geslacht", "gender", "the gender"},
	privacy.FieldDateOfBirth:      {"geboortedatum", "de geboortedatum", "date of birth", "the date of birth"},
	privacy.FieldNationality:      {"nationaliteit", "de nationaliteit", "nationality", "the nationality"},
	privacy.FieldBSN:              {"burgerservicenummer", "het burgerservicenummer", "citizen service number", "the citizen service number"},
	privacy.FieldPhone:            {"telefoonnummer", "het telefoonnummer", "phone number", "the phone number"},
	privacy.FieldEmail:            {"e-mailadres", "het e-mailadres", "e-mail address", "the e-mail address"},
	privacy.FieldJob:              {"functie", "de functie", "job", "the job"},
	privacy.FieldEmploymentKind:   {"aard van het dienstverband", "de aard van het dienstverband", "nature of the employment", "the nature of the employment"},
	privacy.FieldEmploymentStart:  {"begin van het dienstverband", "het begin van het dienstverband", "start of the employment", "the start of the employment"},
	privacy.FieldEmploymentEnd:    {"einde van het dienstverband", "het einde van het dienstverband", "end of the employment", "the end of the employment"},
	privacy.FieldWages:            {"loongegevens", "de loongegevens", "wages", "the wages"},
	privacy.FieldFirstDay:         {"eerste ziektedag", "de eerste ziektedag", "first day of absence", "the first day of absence"},
	privacy.FieldRecoveryDate:     {"hersteldatum", "de hersteldatum", "recovery date", "the recovery date"},
	privacy.FieldIncapacityDegree: {"mate van arbeidsongeschiktheid", "de mate van arbeidsongeschiktheid", "degree of incapacity for work", "the degree of incapacity for work"},
	privacy.FieldExpectedDuration: {"verwachte duur", "de verwachte duur", "expected duration", "the expected duration"},
	privacy.FieldReachableAt:      {"telefoonnummer en (verpleeg)adres waarop u bereikbaar bent", "het telefoonnummer en (verpleeg)adres waarop u bereikbaar bent", "phone number and (nursing) address where you can be reached", "the phone number and (nursing) address where you can be reached"},
	privacy.FieldOngoingWork:      {"lopende afspraken en werkzaamheden", "de lopende afspraken en werkzaamheden", "ongoing appointments and work", "the ongoing appointments and work"},
	privacy.FieldSafetyNet:        {"of (niet welke) een vangnetregeling van de Ziektewet van toepassing is", "de vermelding of (niet welke) een vangnetregeling van de Ziektewet van toepassing is", "whether (not which) a safety-net provision of the Sickness Benefits Act applies", "whether (not which) a safety-net provision of the Sickness Benefits Act applies"},
	privacy.FieldWorkAccident:     {"of het verzuim het gevolg is van een arbeidsongeval", "de vermelding of het verzuim het gevolg is van een arbeidsongeval", "whether the absence follows a work accident", "whether the absence follows a work accident"},
	privacy.FieldRecourse:         {"of een derde aansprakelijk kan zijn (regres)", "de vermelding of een derde aansprakelijk kan zijn (regres)", "whether a third party may be liable (recourse)", "whether a third party may be liable (recourse)"},
	privacy.FieldBuildUp:          {"opbouwschema van de werkhervatting", "het opbouwschema van de werkhervatting", "build-up schedule of the return to work", "the build-up schedule of the return to work"},
	privacy.FieldWageSanction:     {"of een loonsanctie of loonopschorting geldt", "de vermelding of een loonsanctie of loonopschorting geldt", "whether a wage sanction or wage suspension applies", "whether a wage sanction or wage suspension applies"},
	privacy.FieldPlanOfAction:     {"of er een plan van aanpak is en het op schema ligt", "de vermelding of er een plan van aanpak is en het op schema ligt", "whether a plan of action exists and is on schedule", "whether a plan of action exists and is on schedule"},
	privacy.FieldLimitations:      {"functionele beperkingen", "de functionele beperkingen", "functional limitations", "the functional limitations"},
	privacy.FieldCapacities:       {"resterende mogelijkheden", "de resterende mogelijkheden", "remaining capacities", "the remaining capacities"},
	privacy.FieldAdjustments:      {"benodigde aanpassingen", "de benodigde aanpassingen", "needed adjustments", "the needed adjustments"},
	privacy.FieldConsultationKind: {"soort (spreekuur of periodiek onderzoek)", "de soort (spreekuur of periodiek onderzoek)", "kind (consultation hour or periodic examination)", "the kind (consultation hour or periodic examination)"},
	privacy.FieldDate:             {"datum", "de datum", "date", "the date"},
	privacy.FieldWhen:             {"tijdstip", "het tijdstip", "time", "the time"},
	privacy.FieldWhere:            {"plaats", "de plaats", "place", "the place"},
	privacy.FieldWith:             {"met wie", "met wie de afspraak is", "with whom", "with whom the appointment is"},
}

func (l lang) field(f privacy.Field) string {
	if t, ok := fields[f]; ok {
		return l.t(t.nl, t.en)
	}
	return clean(string(f))
}

func (l lang) fieldNoun(f privacy.Field) string {
	if t, ok := fields[f]; ok {
		return l.t(t.nlNoun, t.enNoun)
	}
	return clean(string(f))
}

func (l lang) fieldList(fs []privacy.Field) []string {
	out := make([]string, len(fs))
	for i, f := range fs {
		out[i] = l.field(f)
	}
	return out
}

// roleTerm names a role as a heading ("Bedrijfsarts") and as the subject
// of a sentence with "mag"/"may" ("de bedrijfsarts").
type roleTerm struct{ heading, subject term }

var roles = map[privacy.Role]roleTerm{
	privacy.RoleCaseManager: {
		term{"Arbeidsdeskundige, consulent of casemanager", "Labour expert, consultant or case manager"},
		term{"de arbeidsdeskundige, consulent of casemanager", "the labour expert, consultant or case manager"}},
	privacy.RoleSupportStaff: {
		term{"Overig personeel", "Other staff"},
		term{"overig personeel", "other staff"}},
	privacy.RolePhysician: {
		term{"Bedrijfsarts", "Company doctor"},
		term{"de bedrijfsarts", "the company doctor"}},
	privacy.RoleEmployerContact: {
		term{"Uw werkgever", "Your employer"},
		term{"uw werkgever", "your employer"}},
	privacy.RoleInsurer: {
		term{"Verzuimverzekeraar", "Absence insurer"},
		term{"de verzuimverzekeraar", "the absence insurer"}},
	privacy.RoleAdministrator: {
		term{"Applicatiebeheerder", "Application administrator"},
		term{"de applicatiebeheerder", "the application administrator"}},
	privacy.RolePrivacyOfficer: {
		term{"Privacyfunctionaris", "Privacy officer"},
		term{"de privacyfunctionaris", "the privacy officer"}},
	privacy.RoleSubject: {
		term{"U zelf", "You"},
		term{"u", "you"}},
}

func (l lang) roleHeading(r privacy.Role) string {
	if t, ok := roles[r]; ok {
		return l.t(t.heading.nl, t.heading.en)
	}
	return clean(string(r))
}

func (l lang) roleSubject(r privacy.Role) string {
	if t, ok := roles[r]; ok {
		return l.t(t.subject.nl, t.subject.en)
	}
	return clean(string(r))
}

// parties names a kind of party as the object of "aan"/"to".
var parties = map[string]term{
	string(privacy.PartyService):              {"onze casemanager en bedrijfsarts", "our case manager and company doctor"},
	string(privacy.PartyEmployer):             {"uw werkgever", "your employer"},
	string(privacy.PartyMunicipality):         {"de gemeente", "the municipality"},
	string(privacy.PartyUWV):                  {"het UWV", "UWV (the employee insurance agency)"},
	string(privacy.PartyInsurer):              {"de verzuimverzekeraar", "the absence insurer"},
	string(privacy.PartyReintegrationCompany): {"een re-integratiebedrijf", "a reintegration company"},
	string(privacy.PartyCourt):                {"de rechter", "a court"},
	string(privacy.PartyThirdParty):           {"andere derden", "other third parties"},
	string(privacy.PartySubject):              {"uzelf", "yourself"},
}

func (l lang) party(k privacy.PartyKind) string { return l.term(parties, string(k)) }

var purposes = map[string]term{
	string(privacy.PurposeReintegration):   {"het bevorderen van re-integratie", "promoting reintegration"},
	string(privacy.PurposeAbsenceGuidance): {"het terugdringen van verzuim en de verzuimbegeleiding", "reducing and guiding absence"},
	string(privacy.PurposePrevention):      {"preventie", "prevention"},
}

func (l lang) purpose(p privacy.Purpose) string { return l.term(purposes, string(p)) }

// caseKinds names a kind of case in the plural ("verzuimdossiers") and in
// the singular with its article ("het verzuimdossier").
var caseKinds = map[privacy.CaseKind]struct{ plural, singular term }{
	privacy.CaseAbsence: {
		term{"verzuimdossiers", "absence cases"},
		term{"het verzuimdossier", "the absence case"}},
	privacy.CasePreventive: {
		term{"preventieve dossiers", "preventive cases"},
		term{"het preventieve dossier", "the preventive case"}},
	privacy.CaseReintegration: {
		term{"re-integratietrajecten", "reintegration trajectories"},
		term{"het re-integratietraject", "the reintegration trajectory"}},
	privacy.CaseConsultation: {
		term{"bezoeken aan het arbeidsomstandighedenspreekuur", "visits to the occupational-health consultation hour"},
		term{"het spreekuurbezoek", "the consultation-hour visit"}},
	privacy.CasePeriodicExam: {
		term{"periodieke onderzoeken (PAGO/PMO)", "periodic examinations (PAGO/PMO)"},
		term{"het periodiek onderzoek", "the periodic examination"}},
}

func (l lang) caseKinds(ks []privacy.CaseKind) string {
	out := make([]string, len(ks))
	for i, k := range ks {
		if t, ok := caseKinds[k]; ok {
			out[i] = l.t(t.plural.nl, t.plural.en)
		} else {
			out[i] = clean(string(k))
		}
	}
	return l.and(out)
}

func (l lang) caseKind(k privacy.CaseKind) string {
	if t, ok := caseKinds[k]; ok {
		return l.t(t.singular.nl, t.singular.en)
	}
	return clean(string(k))
}

// actions are the verbs of an access rule, in the infinitive.
var actions = map[string]term{
	string(privacy.ActionRead):     {"inzien", "see"},
	string(privacy.ActionWrite):    {"vastleggen", "record"},
	string(privacy.ActionDisclose): {"verstrekken", "disclose"},
	string(privacy.ActionExport):   {"exporteren", "export"},
	string(privacy.ActionErase):    {"verwijderen", "erase"},
}

func (l lang) verbs(as []privacy.Action) []string {
	out := make([]string, len(as))
	for i, a := range as {
		out[i] = l.term(actions, string(a))
	}
	return out
}

// conditions are written after "mits" or "provided".
var conditions = map[string]term{
	string(privacy.CondAssigned):            {"toegewezen aan uw dossier", "they are assigned to your case"},
	string(privacy.CondSecrecy):             {"gebonden aan geheimhouding", "they are bound to confidentiality"},
	string(privacy.CondProfessionalSecrecy): {"gebonden aan het medisch beroepsgeheim", "they are bound by medical professional secrecy"},
	string(privacy.CondMultiFactor):         {"ingelogd met meer dan één factor (meervoudige authenticatie)", "they signed in with more than one factor (multi-factor authentication)"},
	string(privacy.CondCommissioner):        {"handelend namens de opdrachtgever van uw dossier", "they act for the party that commissioned your case"},
	string(privacy.CondCovers):              {"verzekeraar van uw werkgever", "they insure your employer"},
	string(privacy.CondOwnData):             {"het om uw eigen gegevens gaat", "the data is your own"},
	string(privacy.CondConsent):             {"u daarvoor toestemming hebt gegeven", "you gave your consent"},
	string(privacy.CondContractInForce):     {"de overeenkomst met de opdrachtgever van kracht is", "the contract with the commissioning party is in force"},
}

func (l lang) conditions(cs []privacy.Condition) string {
	out := make([]string, len(cs))
	for i, c := range cs {
		out[i] = l.term(conditions, string(c))
	}
	return l.and(out)
}

// trigger writes when a retention period starts to run, after "na"/"after".
func (l lang) trigger(t privacy.Trigger, kinds []privacy.CaseKind) string {
	switch t {
	case privacy.TriggerCaseClosed:
		if len(kinds) == 1 {
			return l.t("de afsluiting van ", "the closing of ") + l.caseKind(kinds[0])
		}
		return l.t("de afsluiting van het dossier", "the closing of the case")
	case privacy.TriggerEmploymentEnded:
		// Rules O8, N7: for a client of a municipality or the UWV, the
		// closing of the case (privacy.EmploymentEnd).
		return l.t("het einde van het dienstverband (bij een cliënt van een gemeente of het UWV: de afsluiting van het dossier)",
			"the end of the employment (for a client of a municipality or the UWV: the closing of the case)")
	case privacy.TriggerRecordCreated:
		return l.t("het vastleggen van het gegeven", "the recording of the data")
	case privacy.TriggerRecordUpdated:
		return l.t("de laatste wijziging van het gegeven", "the last change of the data")
	}
	return clean(string(t))
}

// from writes what the period of rule r runs from: its trigger, or the
// end of the trigger's year when the rule counts from there (rules R9,
// N7: the fiscal seven years).
func (l lang) from(r privacy.RetentionRule) string {
	t := l.trigger(r.Trigger, r.CaseKinds)
	if r.FromYearEnd {
		return l.t("het einde van het jaar van ", "the end of the year of ") + t
	}
	return t
}

// basis writes the basis of a disclosure, after the recipient.
func (l lang) basis(b privacy.BasisKind) string {
	switch b {
	case privacy.BasisConsent:
		return l.t("alleen met uw uitdrukkelijke toestemming", "only with your explicit consent")
	case privacy.BasisWrittenConsent:
		return l.t("alleen met uw schriftelijke toestemming (een door u ondertekende machtiging)", "only with your written consent (an authorisation you signed)")
	case privacy.BasisNone:
		return l.t("zonder dat uw toestemming nodig is", "without your consent being needed")
	case privacy.BasisStatute:
		return l.t("op grond van de wet", "as the law requires")
	}
	return clean(string(b))
}

// dataKinds name the kinds of stored data besides records
// ([privacy.DataKind]), as the statement's retention section lists them.
var dataKinds = map[string]term{
	string(privacy.DataSubject):    {"uw stamgegevens (zoals naam, adres en BSN)", "your master data (such as name, address and citizen service number)"},
	string(privacy.DataCase):       {"het dossier zelf", "the case itself"},
	string(privacy.DataHold):       {"bewaarplichten die het verwijderen tegenhouden (zoals voor een rechtszaak)", "legal holds that stop erasure (such as for a lawsuit)"},
	string(privacy.DataErasure):    {"toegewezen verzoeken tot verwijdering", "granted requests for erasure"},
	string(privacy.DataGrant):      {"uw toestemmingen", "your consents"},
	string(privacy.DataRequest):    {"uw verzoeken (inzage, correctie, verwijdering, beperking)", "your requests (access, rectification, erasure, restriction)"},
	string(privacy.DataDisclosure): {"het logboek van verstrekkingen aan anderen", "the log of disclosures to others"},
	string(privacy.DataGroups):     {"de groepsgeschiedenis (over welke groepen uw werkgever groepscijfers kreeg)", "the group history (which groups your employer received group figures about)"},
	string(privacy.DataAudit):      {"het logboek van wie uw gegevens heeft ingezien of gewijzigd", "the log of who saw or changed your data"},
}

func (l lang) dataKind(k privacy.DataKind) string { return l.term(dataKinds, string(k)) }

// registerDataKinds name the kinds of stored data besides records in the
// register of processing, which speaks of the data subjects rather than
// to one.
var registerDataKinds = map[string]term{
	string(privacy.DataSubject):    {"stamgegevens van betrokkenen (naam, adres, BSN)", "master data of data subjects (name, address, citizen service number)"},
	string(privacy.DataCase):       {"dossiers", "case rows"},
	string(privacy.DataHold):       {"bewaarplichten die het verwijderen tegenhouden", "legal holds"},
	string(privacy.DataErasure):    {"toegewezen verzoeken tot verwijdering", "granted erasure requests"},
	string(privacy.DataGrant):      {"toestemmingen", "consents"},
	string(privacy.DataRequest):    {"verzoeken van betrokkenen", "data subjects' requests"},
	string(privacy.DataDisclosure): {"verstrekkingenlogboek", "disclosure log"},
	string(privacy.DataGroups):     {"groepsgeschiedenis (groepen waarover werkgevers groepscijfers kregen)", "group histories (the groups employers received group figures about)"},
	string(privacy.DataAudit):      {"logboek van inzage en wijzigingen", "log of access and changes"},
}
