package privacy

import "slices"

// Category is a kind of personal data. The taxonomy is closed: a record has
// exactly one category, and every rule that decides who sees, receives or
// keeps what speaks in categories. Category values are stored; they are
// never renamed.
type Category string

// The categories the service may process. Each names its Dutch term and the
// rule that introduces it.
const (
	// CategoryIdentity is identity data: name, address, postcode, city,
	// gender, date of birth, nationality ("NAW-gegevens", R2, O8).
	CategoryIdentity Category = "identity"
	// CategoryNationalID is the citizen service number ("BSN",
	// formerly "sofinummer"), a category of its own because only a named
	// statute may unlock it (R2, N5).
	CategoryNationalID Category = "national-id"
	// CategoryContact is contact data: phone, e-mail ("contactgegevens",
	// R2, O8).
	CategoryContact Category = "contact"
	// CategoryEmployment is employment data: job, nature and duration of
	// employment, wages ("functie, aard en duur dienstverband", O8).
	CategoryEmployment Category = "employment"
	// CategoryBenefits is benefit data ("uitkeringsgegevens", R2).
	CategoryBenefits Category = "benefits"
	// CategoryEducation is education, diplomas and work experience
	// ("opleiding, diploma's, werkervaring", R2).
	CategoryEducation Category = "education"
	// CategoryAbsenceFacts is the facts of an absence: first day, degree of
	// incapacity and its changes, recovery, and what the employer may
	// register at a sick report ("verzuimgegevens", O9, N1).
	CategoryAbsenceFacts Category = "absence-facts"
	// CategoryAbsenceReason is the reason for the sick report as the
	// employee gave it: for the service's internal use only ("reden
	// ziekmelding", O9). It is health data.
	CategoryAbsenceReason Category = "absence-reason"
	// CategoryStatements is information the subject supplied, in
	// conversations or in writing ("door de werknemer verstrekte
	// informatie", R3, O9). It may touch on health.
	CategoryStatements Category = "statements"
	// CategoryWorkCapacity is functional limitations and remaining
	// capacities, without a diagnosis ("belastbaarheid: beperkingen en
	// mogelijkheden", R3, N2).
	CategoryWorkCapacity Category = "work-capacity"
	// CategoryExpertReport is a report of an expert involved in prevention,
	// absence guidance or reintegration, without medical data ("rapportage
	// deskundige", O9).
	CategoryExpertReport Category = "expert-report"
	// CategoryMedical is medical data: diagnosis, treatment, examination
	// results. Kept apart and only for authorised physicians ("medische
	// gegevens", "medisch dossier", O6, G8).
	CategoryMedical Category = "medical"
	// CategoryNotes is notes in the course of prevention, absence guidance
	// and reintegration by or for the employer and staff ("notities", O9).
	CategoryNotes Category = "notes"
	// CategoryConsultation is the fact of a consultation-hour visit or of
	// participation in a periodic examination ("spreekuur", "PAGO/PMO",
	// O10, N12). Its results are medical.
	CategoryConsultation Category = "consultation"
	// CategoryAppointment is scheduling data: when, where and with whom an
	// appointment is, never its content ("afspraken", R8).
	CategoryAppointment Category = "appointment"
)

// The special categories of personal data (GDPR art. 9 other than health,
// and criminal data, art. 10). Writing a record in any of them fails with
// [ErrProhibitedCategory] and stores nothing (rule O5).
const (
	CategoryReligion          Category = "religion"           // godsdienst (O5)
	CategoryBelief            Category = "belief"             // levensovertuiging (O5)
	CategoryRaceEthnicity     Category = "race-ethnicity"     // ras of etnische afkomst (O5)
	CategoryPoliticalOpinion  Category = "political-opinion"  // politieke opvattingen (O5)
	CategorySexualOrientation Category = "sexual-orientation" // seksuele geaardheid en seksueel gedrag (O5)
	CategoryTradeUnion        Category = "trade-union"        // lidmaatschap vakbond (GDPR art. 9)
	CategoryGenetic           Category = "genetic"            // genetische gegevens (GDPR art. 9)
	CategoryBiometric         Category = "biometric"          // biometrische gegevens (GDPR art. 9)
	CategoryCriminal          Category = "criminal"           // strafrechtelijke gegevens (GDPR art. 10)
)

// Field is a named item of a record's content. Where a rule names the items
// it allows (N1, N2, N3, O11), it names Fields; every other content is
// [FieldText].
type Field string

// The fields. A category accepts only its own fields (see [CategoryInfo]).
const (
	FieldText Field = "text" // free text: a note, a statement, a report

	// Identity (R2, O8).
	FieldName        Field = "name"
	FieldAddress     Field = "address"
	FieldPostcode    Field = "postcode"
	FieldCity        Field = "city"
	FieldGender      Field = "gender"
	FieldDateOfBirth Field = "date-of-birth"
	FieldNationality Field = "nationality"

	// National ID (N5).
	FieldBSN Field = "bsn"

	// Contact (O8).
	FieldPhone Field = "phone"
	FieldEmail Field = "email"

	// Employment (O8, N3).
	FieldJob             Field = "job"
	FieldEmploymentKind  Field = "employment-kind"
	FieldEmploymentStart Field = "employment-start"
	FieldEmploymentEnd   Field = "employment-end"
	FieldWages           Field = "wages"

	// Absence facts (O9, N1, N3, O11).
	FieldFirstDay         Field = "first-day"         // eerste ziektedag
	FieldRecoveryDate     Field = "recovery-date"     // hersteldatum
	FieldIncapacityDegree Field = "incapacity-degree" // mate van arbeidsongeschiktheid
	FieldExpectedDuration Field = "expected-duration" // verwachte duur
	FieldReachableAt      Field = "reachable-at"      // telefoonnummer en (verpleeg)adres (N1)
	FieldOngoingWork      Field = "ongoing-work"      // lopende afspraken en werkzaamheden (N1)
	FieldSafetyNet        Field = "safety-net"        // of (niet welke) een vangnetregeling geldt (N1)
	FieldWorkAccident     Field = "work-accident"     // of het een arbeidsongeval is (N1)
	FieldRecourse         Field = "recourse"          // of een derde aansprakelijk is: regres (N1)
	FieldBuildUp          Field = "build-up"          // opbouwschema werkhervatting (N3)
	FieldWageSanction     Field = "wage-sanction"     // of loonsanctie of -opschorting geldt (N3)
	FieldPlanOfAction     Field = "plan-of-action"    // of er een plan van aanpak is en het op schema ligt (N3)

	// Work capacity (R3, N2).
	FieldLimitations Field = "limitations" // functionele beperkingen
	FieldCapacities  Field = "capacities"  // resterende mogelijkheden
	FieldAdjustments Field = "adjustments" // benodigde aanpassingen

	// Consultation facts (O10).
	FieldConsultationKind Field = "consultation-kind" // spreekuur of periodiek onderzoek
	FieldDate             Field = "date"

	// Appointments (R8).
	FieldWhen  Field = "when"
	FieldWhere Field = "where"
	FieldWith  Field = "with"
)

// CategoryInfo describes a category.
type CategoryInfo struct {
	Category Category
	Dutch    string   // the Dutch term
	Rule     RuleID   // the rule that introduces it
	Health   bool     // whether it is data concerning health (GDPR art. 9(1))
	Special  bool     // a special category other than health: never written (O5)
	Fields   []Field  // the fields a record of this category may hold
	Rules    []RuleID // further rules that govern it
}

var categoryTable = []CategoryInfo{
	{CategoryIdentity, "identificatiegegevens (NAW)", R2, false, false,
		[]Field{FieldName, FieldAddress, FieldPostcode, FieldCity, FieldGender, FieldDateOfBirth, FieldNationality}, []RuleID{O8}},
	{CategoryNationalID, "burgerservicenummer (BSN)", N5, false, false,
		[]Field{FieldBSN}, []RuleID{R2}},
	{CategoryContact, "contactgegevens", O8, false, false,
		[]Field{FieldPhone, FieldEmail}, []RuleID{R2}},
	{CategoryEmployment, "functie, aard en duur dienstverband", O8, false, false,
		[]Field{FieldJob, FieldEmploymentKind, FieldEmploymentStart, FieldEmploymentEnd, FieldWages}, []RuleID{N3}},
	{CategoryBenefits, "uitkeringsgegevens", R2, false, false,
		[]Field{FieldText}, nil},
	{CategoryEducation, "opleiding, diploma's en werkervaring", R2, false, false,
		[]Field{FieldText}, nil},
	{CategoryAbsenceFacts, "verzuimgegevens", O9, false, false,
		[]Field{FieldFirstDay, FieldRecoveryDate, FieldIncapacityDegree, FieldExpectedDuration,
			FieldReachableAt, FieldOngoingWork, FieldSafetyNet, FieldWorkAccident, FieldRecourse,
			FieldBuildUp, FieldWageSanction, FieldPlanOfAction}, []RuleID{N1, N3, O11}},
	{CategoryAbsenceReason, "reden ziekmelding (alleen intern)", O9, true, false,
		[]Field{FieldText}, nil},
	{CategoryStatements, "door de werknemer verstrekte informatie", R3, true, false,
		[]Field{FieldText}, []RuleID{O9}},
	{CategoryWorkCapacity, "belastbaarheid (beperkingen en mogelijkheden)", R3, false, false,
		[]Field{FieldLimitations, FieldCapacities, FieldExpectedDuration, FieldIncapacityDegree, FieldAdjustments}, []RuleID{N2}},
	{CategoryExpertReport, "rapportage deskundige", O9, false, false,
		[]Field{FieldText}, nil},
	{CategoryMedical, "medische gegevens", O6, true, false,
		[]Field{FieldText}, []RuleID{G8, N4, N6}},
	{CategoryNotes, "notities", O9, false, false,
		[]Field{FieldText}, nil},
	{CategoryConsultation, "spreekuurbezoek en periodiek onderzoek", O10, true, false,
		[]Field{FieldConsultationKind, FieldDate}, []RuleID{N12}},
	{CategoryAppointment, "afspraken", R8, false, false,
		[]Field{FieldWhen, FieldWhere, FieldWith}, nil},

	{CategoryReligion, "godsdienst", O5, false, true, nil, nil},
	{CategoryBelief, "levensovertuiging", O5, false, true, nil, nil},
	{CategoryRaceEthnicity, "ras of etnische afkomst", O5, false, true, nil, nil},
	{CategoryPoliticalOpinion, "politieke opvattingen", O5, false, true, nil, nil},
	{CategorySexualOrientation, "seksueel gedrag of seksuele gerichtheid", O5, false, true, nil, nil},
	{CategoryTradeUnion, "lidmaatschap van een vakbond", O5, false, true, nil, nil},
	{CategoryGenetic, "genetische gegevens", O5, false, true, nil, nil},
	{CategoryBiometric, "biometrische gegevens", O5, false, true, nil, nil},
	{CategoryCriminal, "strafrechtelijke gegevens", O5, false, true, nil, nil},
}

var categoryIndex = func() map[Category]int {
	m := make(map[Category]int, len(categoryTable))
	for i, c := range categoryTable {
		m[c.Category] = i
	}
	return m
}()

// Categories returns every category the service may process, in taxonomy
// order, without the special categories. The slice is new on every call.
func Categories() []Category {
	var out []Category
	for _, c := range categoryTable {
		if !c.Special {
			out = append(out, c.Category)
		}
	}
	return out
}

// SpecialCategories returns the categories that are never written (O5).
func SpecialCategories() []Category {
	var out []Category
	for _, c := range categoryTable {
		if c.Special {
			out = append(out, c.Category)
		}
	}
	return out
}

// Info returns the description of c, and false if c is not a category of
// the taxonomy. The returned slices are copies.
func (c Category) Info() (CategoryInfo, bool) {
	i, ok := categoryIndex[c]
	if !ok {
		return CategoryInfo{}, false
	}
	info := categoryTable[i]
	info.Fields = slices.Clone(info.Fields)
	info.Rules = slices.Clone(info.Rules)
	return info, true
}

// Known reports whether c is in the taxonomy (special categories included).
func (c Category) Known() bool { _, ok := categoryIndex[c]; return ok }

// Health reports whether c is data concerning health: medical data, the
// absence reason, the subject's statements, consultation facts.
func (c Category) Health() bool {
	i, ok := categoryIndex[c]
	return ok && categoryTable[i].Health
}

// Special reports whether c is a special category that is never written
// (rule O5).
func (c Category) Special() bool {
	i, ok := categoryIndex[c]
	return ok && categoryTable[i].Special
}

// Medical reports whether records of c are kept in the separate medical
// file (rule O6).
func (c Category) Medical() bool { return c == CategoryMedical }

// HasField reports whether records of c may hold field f.
func (c Category) HasField(f Field) bool {
	i, ok := categoryIndex[c]
	return ok && slices.Contains(categoryTable[i].Fields, f)
}

// SickReportFields returns the facts an employer may register at a sick
// report, and nothing else, not even with consent (rule N1): where the
// employee can be reached, the expected duration, ongoing appointments and
// work, whether (not which) a safety-net provision applies, whether it was a
// work accident, whether a third party may be liable. The first day and the
// recovery date are the sick report itself.
func SickReportFields() []Field {
	return []Field{FieldFirstDay, FieldRecoveryDate, FieldReachableAt, FieldExpectedDuration,
		FieldOngoingWork, FieldSafetyNet, FieldWorkAccident, FieldRecourse}
}

// PhysicianToEmployerFields returns the four things a company doctor may
// tell the employer without consent (rule N2): functional limitations and
// remaining capacities, expected duration, degree of incapacity, and needed
// adjustments.
func PhysicianToEmployerFields() []Field {
	return []Field{FieldLimitations, FieldCapacities, FieldExpectedDuration, FieldIncapacityDegree, FieldAdjustments}
}

// InsurerMaximum returns the most an absence insurer may ever receive (rule
// N3), per category: name and address, wages, first day of absence and
// recovery date, expected duration, incapacity, the build-up schedule,
// whether a wage sanction applies, whether a plan of action exists and is on
// schedule. No policy can widen it.
func InsurerMaximum() map[Category][]Field {
	return map[Category][]Field{
		CategoryIdentity:   {FieldName, FieldAddress, FieldPostcode, FieldCity},
		CategoryEmployment: {FieldWages},
		CategoryAbsenceFacts: {FieldFirstDay, FieldRecoveryDate, FieldExpectedDuration, FieldIncapacityDegree,
			FieldBuildUp, FieldWageSanction, FieldPlanOfAction},
	}
}

// InsurerOverview returns what regulation O lets an absence insurer see
// (rule O11, within N3): which employee is sick, the degree of incapacity
// and the absence period.
func InsurerOverview() map[Category][]Field {
	return map[Category][]Field{
		CategoryIdentity:     {FieldName},
		CategoryAbsenceFacts: {FieldFirstDay, FieldRecoveryDate, FieldIncapacityDegree},
	}
}
