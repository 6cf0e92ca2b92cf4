// Package words holds the library's words in Dutch and in English that
// more than one package speaks: the names of the values of its vocabulary
// (categories and their fields, case kinds, parties, roles, purposes,
// triggers, bases, actions and outcomes of the audit trail; the kinds,
// statuses, steps and grounds of a subject's request and the subject's
// rights) and the way a day is written. The page of package export and the
// notices of package rights use them, so that a letter and the page it
// goes with name a thing the same way.
package words

import (
	"fmt"
	"time"

	"github.com/dossierwacht/dossierwacht/privacy/calendar"
)

// The languages are "nl" and "en"; any other is read as Dutch, the
// default of the page and the notices.
func index(lang string) int {
	if lang == "en" {
		return 1
	}
	return 0
}

// Lookup returns the name of value of kind ("kind", "ground", "field", …)
// in lang, and whether the vocabulary names it. A category has no Dutch
// name here: its Dutch name is the taxonomy's (privacy.Category.Info).
func Lookup(lang, kind, value string) (string, bool) {
	v, ok := vocabulary[kind+":"+value]
	return v[index(lang)], ok
}

// Name returns the name of value of kind in lang, or value itself when
// the vocabulary does not name it.
func Name(lang, kind, value string) string {
	if s, ok := Lookup(lang, kind, value); ok {
		return s
	}
	return value
}

var months = [2][12]string{
	{"januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober", "november", "december"},
	{"January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"},
}

// Date writes the day of t in the Netherlands in lang: "2 maart 2026",
// "2 March 2026"; "—" for the zero time.
func Date(lang string, t time.Time) string {
	if t.IsZero() {
		return "—"
	}
	return Day(lang, calendar.DateIn(t, calendar.Amsterdam()))
}

// Day writes day d in lang, as [Date] does.
func Day(lang string, d calendar.Date) string {
	if d.IsZero() {
		return "—"
	}
	return fmt.Sprintf("%d %s %d", d.Day(), months[index(lang)][d.Month()-1], d.Year())
}

// vocabulary names the library's values: Dutch first, then English.
var vocabulary = map[string][2]string{
	"category:identity":       {"", "identity (name, address)"},
	"category:national-id":    {"", "citizen service number (BSN)"},
	"category:contact":        {"", "contact details"},
	"category:employment":     {"", "job and employment"},
	"category:benefits":       {"", "benefits"},
	"category:education":      {"", "education, diplomas and work experience"},
	"category:absence-facts":  {"", "absence facts"},
	"category:absence-reason": {"", "reason for the sick report (internal only)"},
	"category:statements":     {"", "information you supplied"},
	"category:work-capacity":  {"", "work capacity (limitations and possibilities)"},
	"category:expert-report":  {"", "expert report"},
	"category:medical":        {"", "medical data"},
	"category:notes":          {"", "notes"},
	"category:consultation":   {"", "consultation-hour visit or periodic examination"},
	"category:appointment":    {"", "appointments"},

	"field:text":              {"tekst", "text"},
	"field:name":              {"naam", "name"},
	"field:address":           {"adres", "address"},
	"field:postcode":          {"postcode", "postcode"},
	"field:city":              {"woonplaats", "city"},
	"field:gender":            {"geslacht", "gender"},
	"field:date-of-birth":     {"geboortedatum", "date of birth"},
	"field:nationality":       {"nationaliteit", "nationality"},
	"field:bsn":               {"BSN", "BSN"},
	"field:phone":             {"telefoon", "phone"},
	"field:email":             {"e-mail", "e-mail"},
	"field:job":               {"functie", "job"},
	"field:employment-kind":   {"aard dienstverband", "kind of employment"},
	"field:employment-start":  {"begin dienstverband", "start of employment"},
	"field:employment-end":    {"einde dienstverband", "end of employment"},
	"field:wages":             {"loon", "wages"},
	"field:first-day":         {"eerste ziektedag", "first day of absence"},
	"field:recovery-date":     {"hersteldatum", "recovery date"},
	"field:incapacity-degree": {"mate van arbeidsongeschiktheid", "degree of incapacity"},
	"field:expected-duration": {"verwachte duur", "expected duration"},
	"field:reachable-at":      {"bereikbaar op", "reachable at"},
	"field:ongoing-work":      {"lopende afspraken en werk", "ongoing appointments and work"},
	"field:safety-net":        {"vangnetregeling", "safety-net provision"},
	"field:work-accident":     {"arbeidsongeval", "work accident"},
	"field:recourse":          {"aansprakelijke derde (regres)", "liable third party (recourse)"},
	"field:build-up":          {"opbouwschema", "build-up schedule"},
	"field:wage-sanction":     {"loonsanctie", "wage sanction"},
	"field:plan-of-action":    {"plan van aanpak", "plan of action"},
	"field:limitations":       {"beperkingen", "limitations"},
	"field:capacities":        {"mogelijkheden", "capacities"},
	"field:adjustments":       {"aanpassingen", "adjustments"},
	"field:consultation-kind": {"soort bezoek", "kind of visit"},
	"field:date":              {"datum", "date"},
	"field:when":              {"wanneer", "when"},
	"field:where":             {"waar", "where"},
	"field:with":              {"met", "with"},

	"case:absence":       {"verzuimdossier", "absence case"},
	"case:preventive":    {"preventief dossier", "preventive case"},
	"case:reintegration": {"re-integratietraject", "reintegration trajectory"},
	"case:consultation":  {"spreekuurbezoek", "consultation-hour visit"},
	"case:periodic-exam": {"periodiek onderzoek", "periodic examination"},

	"party:service":               {"de dienst", "the service"},
	"party:employer":              {"werkgever", "employer"},
	"party:municipality":          {"gemeente", "municipality"},
	"party:uwv":                   {"UWV", "UWV"},
	"party:insurer":               {"verzuimverzekeraar", "absence insurer"},
	"party:reintegration-company": {"re-integratiebedrijf", "reintegration company"},
	"party:court":                 {"rechter", "court"},
	"party:third-party":           {"derde", "third party"},
	"party:subject":               {"uzelf", "yourself"},

	"role:case-manager":     {"casemanager of arbeidsdeskundige", "case manager or labour expert"},
	"role:support-staff":    {"ondersteunend medewerker", "support staff"},
	"role:physician":        {"bedrijfsarts", "company doctor"},
	"role:employer-contact": {"werkgever", "employer contact"},
	"role:insurer":          {"verzekeraar", "insurer"},
	"role:administrator":    {"applicatiebeheerder", "application administrator"},
	"role:subject":          {"uzelf", "yourself"},

	"purpose:reintegration":    {"re-integratie", "reintegration"},
	"purpose:absence-guidance": {"verzuimbegeleiding", "absence guidance"},
	"purpose:prevention":       {"preventie", "prevention"},

	"kind:access":        {"inzage", "access"},
	"kind:copy":          {"afschrift", "copy"},
	"kind:rectification": {"correctie", "rectification"},
	"kind:erasure":       {"verwijdering", "erasure"},
	"kind:restriction":   {"beperking", "restriction"},
	"kind:portability":   {"overdraagbaarheid", "portability"},

	"status:received": {"ontvangen", "received"},
	"status:extended": {"termijn verlengd", "deadline extended"},
	"status:answered": {"beantwoord", "answered"},
	"status:refused":  {"afgewezen", "refused"},

	"step:filed":     {"ontvangen", "received"},
	"step:confirmed": {"schriftelijk bevestigd", "confirmed in writing"},
	"step:extended":  {"termijn verlengd", "deadline extended"},
	"step:answered":  {"beantwoord", "answered"},
	"step:refused":   {"afgewezen", "refused"},

	"ground:unfounded":           {"ongegrond", "unfounded"},
	"ground:disproportionate":    {"onevenredig", "disproportionate"},
	"ground:contrary-to-law":     {"in strijd met de wet", "contrary to law"},
	"ground:against-purpose":     {"in strijd met het doel", "against the purpose"},
	"ground:statutory-retention": {"wettelijke bewaarplicht", "statutory retention duty"},
	"ground:legal-claims":        {"nodig voor een rechtsvordering", "needed for legal claims"},
	"ground:restricted":          {"de verwerking is op uw verzoek beperkt", "processing is restricted at your request"},
	"ground:not-in-writing":      {"niet schriftelijk bevestigd", "not confirmed in writing"},

	"right:access":           {"inzage en een afschrift van uw gegevens", "access to your data and a copy"},
	"right:rectification":    {"correctie van onjuiste gegevens", "rectification of wrong data"},
	"right:erasure":          {"verwijdering van gegevens", "erasure of data"},
	"right:restriction":      {"beperking van de verwerking", "restriction of processing"},
	"right:portability":      {"uw gegevens in een machineleesbare vorm", "your data in a machine-readable form"},
	"right:objection":        {"bezwaar tegen de verwerking", "objection to the processing"},
	"right:withdraw-consent": {"intrekken van uw toestemming", "withdrawal of your consent"},
	"right:complain":         {"een klacht indienen", "lodging a complaint"},

	"trigger:case-closed":      {"na sluiting van het dossier", "after the case closes"},
	"trigger:employment-ended": {"na einde dienstverband", "after the employment ends"},
	"trigger:record-created":   {"na vastlegging", "after it was recorded"},
	"trigger:record-updated":   {"na de laatste wijziging", "after the last change"},

	"basis:consent":         {"uw toestemming", "your consent"},
	"basis:written-consent": {"uw schriftelijke toestemming", "your written consent"},
	"basis:statute":         {"een wettelijke plicht", "a statutory duty"},
	"basis:none":            {"toegestaan zonder toestemming", "allowed without consent"},

	"from:policy":  {"mag ontvangen volgens het reglement", "may receive under the policy"},
	"from:statute": {"ontvangt op grond van de wet", "receives under a statute"},
	"from:log":     {"heeft ontvangen", "has received"},

	"action:create":    {"aangemaakt", "created"},
	"action:read":      {"ingezien", "read"},
	"action:update":    {"gewijzigd", "changed"},
	"action:delete":    {"verwijderd", "deleted"},
	"action:execute":   {"uitgevoerd (verstrekking of export)", "executed (disclosure or export)"},
	"action:search":    {"gezocht", "searched"},
	"action:emergency": {"noodtoegang", "emergency access"},

	"outcome:allowed": {"toegestaan", "allowed"},
	"outcome:denied":  {"geweigerd", "denied"},
	"outcome:failed":  {"mislukt", "failed"},
}
