package privacy

import "slices"

// The mapping of the taxonomy to fideslang.
//
// fideslang is the privacy taxonomy of the Fides platform and the IAB Tech
// Lab Privacy Taxonomy; its data categories are keys such as "user.name"
// and "user.health_and_medical". The keys below are those of the list
// published in IABTechLab/fideslang (data_files/data_categories.csv,
// commit 76ba0ad, 2024-12-10), © Ethyca, Inc. and IAB Tech Lab, licensed
// under Creative Commons Attribution 4.0 International (CC BY 4.0,
// https://creativecommons.org/licenses/by/4.0/). A copy of that list is in
// testdata/fideslang, against which the tests check every key used here.
//
// No key fits, and none is given, for:
//   - nationality (FieldNationality): fideslang has no nationality or
//     citizenship key; user.government_id.immigration is about immigration
//     documents;
//   - education, diplomas and work experience (CategoryEducation): there is
//     no education or qualification key;
//   - whether a third party is liable (FieldRecourse): a fact about another
//     party's liability;
//   - appointments (CategoryAppointment: when, where, with whom): there is no
//     scheduling key;
//   - trade union membership (CategoryTradeUnion, never processed);
//   - free text (FieldText): it takes the keys of its record's category.

// fieldKeys maps the fields to fideslang keys; a field that is not here
// has none of its own.
var fieldKeys = map[Field][]string{
	FieldName:        {"user.name"},
	FieldAddress:     {"user.contact.address.street"},
	FieldPostcode:    {"user.contact.address.postal_code"},
	FieldCity:        {"user.contact.address.city"},
	FieldGender:      {"user.demographic.gender"},
	FieldDateOfBirth: {"user.demographic.date_of_birth"},

	FieldBSN: {"user.government_id.national_identification_number"},

	FieldPhone: {"user.contact.phone_number"},
	FieldEmail: {"user.contact.email"},

	FieldJob:             {"user.job_title"},
	FieldEmploymentKind:  {"user.workplace"},
	FieldEmploymentStart: {"user.workplace"},
	FieldEmploymentEnd:   {"user.workplace"},
	FieldWages:           {"user.financial"},

	// The facts of an absence are data concerning health: that someone is
	// sick, since when, how much and for how long.
	FieldFirstDay:         {"user.health_and_medical"},
	FieldRecoveryDate:     {"user.health_and_medical"},
	FieldIncapacityDegree: {"user.health_and_medical"},
	FieldExpectedDuration: {"user.health_and_medical"},
	FieldReachableAt:      {"user.contact.phone_number", "user.contact.address"},
	FieldOngoingWork:      {"user.workplace"},
	FieldSafetyNet:        {"user.health_and_medical"},
	FieldWorkAccident:     {"user.health_and_medical"},
	FieldBuildUp:          {"user.workplace"},
	FieldWageSanction:     {"user.financial"},
	FieldPlanOfAction:     {"user.workplace"},

	FieldLimitations: {"user.health_and_medical"},
	FieldCapacities:  {"user.health_and_medical"},
	FieldAdjustments: {"user.workplace"},

	FieldConsultationKind: {"user.health_and_medical"},
	FieldDate:             {"user.health_and_medical"},
}

// categoryKeys maps the categories whose content is free text, or that
// are coarser than their fields, to fideslang keys of their own.
var categoryKeys = map[Category][]string{
	CategoryBenefits:      {"user.financial"},
	CategoryAbsenceReason: {"user.health_and_medical"},
	CategoryStatements:    {"user.content.private", "user.health_and_medical"},
	CategoryExpertReport:  {"user.content.private"},
	CategoryMedical:       {"user.health_and_medical"},
	CategoryNotes:         {"user.content.private"},

	CategoryReligion:          {"user.demographic.religious_belief"},
	CategoryBelief:            {"user.demographic.religious_belief"},
	CategoryRaceEthnicity:     {"user.demographic.race_ethnicity"},
	CategoryPoliticalOpinion:  {"user.demographic.political_opinion"},
	CategorySexualOrientation: {"user.demographic.sexual_orientation"},
	CategoryGenetic:           {"user.health_and_medical.genetic"},
	CategoryBiometric:         {"user.biometric"},
	CategoryCriminal:          {"user.criminal_history"},
}

// Fideslang returns the fideslang data category keys ("user.name",
// "user.contact.address.city") that describe f, or nil when f has none of
// its own: [FieldText], which takes its category's keys, and the fields no
// key fits (nationality, recourse, the appointment's when, where and with
// whom). The slice is new on every call. The keys are those of fideslang
// (IABTechLab/fideslang, CC BY 4.0; see the package's fideslang.go).
func (f Field) Fideslang() []string { return slices.Clone(fieldKeys[f]) }

// Fideslang returns the fideslang data category keys that describe records
// of c: its own keys and those of its fields, without duplicates, in a
// fixed order; nil for a category no key fits (education, appointments,
// trade union membership) or that is not in the taxonomy. For a record,
// the keys of its fields ([Field.Fideslang]) are the more precise. The
// slice is new on every call. The keys are those of fideslang
// (IABTechLab/fideslang, CC BY 4.0).
func (c Category) Fideslang() []string {
	i, ok := categoryIndex[c]
	if !ok {
		return nil
	}
	out := slices.Clone(categoryKeys[c])
	for _, f := range categoryTable[i].Fields {
		for _, k := range fieldKeys[f] {
			if !slices.Contains(out, k) {
				out = append(out, k)
			}
		}
	}
	return out
}
