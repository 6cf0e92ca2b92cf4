package export

import (
	"fmt"
	"strings"
	"time"

	"github.com/dossierwacht/dossierwacht/internal/words"
	"github.com/dossierwacht/dossierwacht/privacy"
	"github.com/dossierwacht/dossierwacht/privacy/calendar"
)

// texts holds the words of one language: the page's labels, its plurals
// and what it says of the rules; the names of the library's vocabulary and
// the way a day is written are package words', which the notices of
// package rights speak too. Built once, never changed.
type texts struct {
	lang    Lang
	labels  map[string]string
	plurals map[string][2]string // noun → the form for one, the form for more (with %d)
	rules   map[privacy.RuleID]string
	sources map[string]string // a rule's source → its name
}

func (t *texts) label(key string) string {
	if s, ok := t.labels[key]; ok {
		return s
	}
	return key
}

// name translates a value of the vocabulary; an unknown value is shown as
// it is.
func (t *texts) name(kind, value string) string { return words.Name(string(t.lang), kind, value) }

func (t *texts) category(c privacy.Category) string {
	if t.lang == Dutch {
		if info, ok := c.Info(); ok {
			return info.Dutch
		}
	}
	return t.name("category", string(c))
}

// pick returns a text of the policy in the page's language: the Dutch
// form on a Dutch page when the policy has one, else the English.
func (t *texts) pick(english, dutch string) string {
	return privacy.Text{NL: dutch, EN: english}.In(string(t.lang))
}

// article writes an article of the GDPR as the reader knows it: "AVG art.
// 15" on a Dutch page for the export's "GDPR art. 15".
func (t *texts) article(a string) string {
	if t.lang == Dutch {
		if rest, ok := strings.CutPrefix(a, "GDPR "); ok {
			return "AVG " + rest
		}
	}
	return a
}

// date formats the day of t in the Netherlands: "2 maart 2026".
func (t *texts) date(tm time.Time) string { return words.Date(string(t.lang), tm) }

// day formats a calendar day.
func (t *texts) day(d calendar.Date) string { return words.Day(string(t.lang), d) }

// datetime formats t in the Netherlands: "2 maart 2026, 10:00".
func (t *texts) datetime(tm time.Time) string {
	if tm.IsZero() {
		return "—"
	}
	local := tm.In(calendar.Amsterdam())
	return t.date(tm) + ", " + local.Format("15:04")
}

func (t *texts) period(p privacy.Period) string {
	var parts []string
	for _, u := range []struct {
		n              int
		one, many, key string
	}{{p.Years, "year", "years", "y"}, {p.Months, "month", "months", "mo"}, {p.Weeks, "week", "weeks", "w"}, {p.Days, "day", "days", "d"}} {
		if u.n == 0 {
			continue
		}
		w := t.label("unit." + u.many)
		if u.n == 1 {
			w = t.label("unit." + u.one)
		}
		parts = append(parts, fmt.Sprintf("%d %s", u.n, w))
	}
	if len(parts) == 0 {
		return "—"
	}
	return strings.Join(parts, " ")
}

func (t *texts) yesno(b bool) string {
	if b {
		return t.label("yes")
	}
	return t.label("no")
}

func (t *texts) retention(r *Retention) string {
	if r == nil {
		return "—"
	}
	var b strings.Builder
	if !r.Period.IsZero() {
		b.WriteString(t.period(r.Period))
		if r.Trigger != "" {
			b.WriteString(" " + t.name("trigger", string(r.Trigger)))
		}
	}
	if !r.Until.IsZero() {
		if b.Len() > 0 {
			b.WriteString("; ")
		}
		b.WriteString(t.label("until") + " " + t.day(r.Until))
	}
	if r.Statutory {
		b.WriteString("; " + t.label("statutory"))
	}
	switch {
	case r.Hold && r.Rule == privacy.RuleRestriction:
		b.WriteString("; " + t.label("restricted"))
	case r.Hold:
		b.WriteString("; " + t.label("hold"))
	}
	fmt.Fprintf(&b, " (%s %s)", t.label("rule"), r.Rule)
	return strings.TrimPrefix(b.String(), "; ")
}

// field names a field of a record in the page's language.
func (t *texts) field(f privacy.Field) string { return t.name("field", string(f)) }

// fieldLine is a field of a record as the page shows it.
type fieldLine struct{ Label, Value string }

// fields returns a record's content in the reader's order (its
// category's fields in the taxonomy's order), each with its name in the
// page's language.
func (t *texts) fields(r *RecordData) []fieldLine {
	fs := fieldsOf(r)
	out := make([]fieldLine, len(fs))
	for i, f := range fs {
		out[i] = fieldLine{t.field(f), r.Fields[f]}
	}
	return out
}

// plural counts n of a noun: "1 dossier", "2 dossiers"; "once", "3
// times".
func (t *texts) plural(n int, noun string) string {
	forms, ok := t.plurals[noun]
	if !ok {
		return fmt.Sprintf("%d %s", n, noun)
	}
	if n == 1 {
		if strings.Contains(forms[0], "%d") {
			return fmt.Sprintf(forms[0], n)
		}
		return forms[0]
	}
	return fmt.Sprintf(forms[1], n)
}

// totals is the page's closing count, with its nouns in the right
// number.
func (t *texts) totals(n *Totals) string {
	return fmt.Sprintf(t.label("totals"), t.plural(n.Cases, "case"), t.plural(n.Records, "record"), n.Medical, n.Withheld)
}

// ruleName is how the page names a rule: its ID, or in words the refusal
// of what no rule allows.
func (t *texts) ruleName(id privacy.RuleID) string {
	if id == privacy.RuleDefaultDeny {
		return t.label("defaultDeny")
	}
	return string(id)
}

// ruleText says in a sentence what a rule of the catalog is about, in the
// page's language.
func (t *texts) ruleText(id privacy.RuleID) string { return t.rules[id] }

// ruleSource names where a rule comes from: a regulation, the GDPR, Dutch
// law.
func (t *texts) ruleSource(id privacy.RuleID) string {
	r, ok := id.Describe()
	if !ok {
		return ""
	}
	return t.sources[r.Source]
}

// span gives the time of a row of the access log: one time, or the first
// and the last, on one day written once.
func (t *texts) span(first, last time.Time) string {
	first, last = first.Truncate(time.Minute), last.Truncate(time.Minute)
	switch {
	case first.Equal(last):
		return t.datetime(first)
	case t.date(first) == t.date(last):
		return t.datetime(first) + "–" + last.In(calendar.Amsterdam()).Format("15:04")
	}
	return t.datetime(first) + " – " + t.datetime(last)
}

func newTexts(lang Lang, labels map[string]string) *texts {
	t := &texts{lang: lang, labels: labels, plurals: englishPlurals, rules: englishRules(), sources: englishSources}
	if lang == Dutch {
		t.plurals, t.rules, t.sources = dutchPlurals, dutchRules, dutchSources
	}
	return t
}

var (
	dutchTexts   = newTexts(Dutch, dutchLabels)
	englishTexts = newTexts(English, englishLabels)
)

func textsFor(l Lang) *texts {
	if l == English {
		return englishTexts
	}
	return dutchTexts
}

var dutchLabels = map[string]string{
	"title":         "Uw gegevens",
	"intro":         "Dit overzicht bevat alle gegevens die wij over u bewaren, met de informatie die de AVG (artikel 15) voorschrijft: waarvoor wij ze gebruiken, wie ze ontvangt, hoe lang wij ze bewaren, waar ze vandaan komen en welke rechten u heeft.",
	"subject":       "Kenmerk",
	"generated":     "Opgesteld op",
	"request":       "Antwoord op verzoek",
	"policy":        "Reglement",
	"effective":     "geldig vanaf",
	"controller":    "Verwerkingsverantwoordelijke",
	"processor":     "Verwerker",
	"registration":  "Uw registratie",
	"employer":      "Werkgever",
	"registered":    "Geregistreerd op",
	"employEnd":     "Einde dienstverband",
	"medDirect":     "Uw medische gegevens staan hieronder volledig vermeld.",
	"medReleased":   "Uw medische gegevens zijn vrijgegeven door bedrijfsarts %s en staan hieronder vermeld (regel O13).",
	"medWithheld":   "Medische gegevens ontvangt u via de bedrijfsarts. Medische stukken staan hieronder vermeld zonder inhoud, tot de arts ze vrijgeeft (regels O13, O6).",
	"retNote":       "De bewaartermijn per gegeven is niet beschikbaar; de regels die de termijnen bepalen staan onder ‘Bewaartermijnen’.",
	"cases":         "Uw dossiers",
	"noCases":       "Er zijn geen dossiers.",
	"purpose":       "Doel",
	"opened":        "Geopend",
	"closed":        "Gesloten",
	"commissioner":  "Opdrachtgever",
	"contract":      "contract",
	"colRecord":     "Gegeven",
	"colCategory":   "Soort gegeven",
	"colRecorded":   "Vastgelegd",
	"colSource":     "Bron",
	"by":            "door",
	"source":        "bron",
	"case":          "dossier",
	"colContent":    "Inhoud",
	"colRetention":  "Bewaartermijn",
	"changed":       "gewijzigd",
	"withheld":      "Medisch gegeven — de inhoud ontvangt u via de bedrijfsarts, na vrijgave.",
	"redacted":      "Gegevens over anderen zijn weggelaten.",
	"releasedBy":    "Vrijgegeven door bedrijfsarts",
	"noRecords":     "Geen gegevens in dit dossier.",
	"consents":      "Uw toestemmingen",
	"disclosures":   "Verstrekkingen aan anderen",
	"access":        "Wie uw gegevens heeft ingezien of gewijzigd, of dat heeft geprobeerd",
	"accessIntro":   "Elke keer dat iemand uw gegevens inziet, vastlegt, wijzigt of verwijdert, of dat probeert, wordt vastgelegd wie het was, wat er gebeurde en of het mocht (regel N9). Wat dezelfde persoon meer dan eens op dezelfde manier deed, staat hier één keer, met hoe vaak en wanneer de eerste en de laatste keer was.",
	"accessCount":   "In totaal %s, in %s.",
	"unavailable":   "Niet beschikbaar: deze bron is bij dit overzicht niet aangesloten.",
	"noConsents":    "U heeft geen toestemming gegeven of ingetrokken.",
	"noDisclosures": "Er zijn geen gegevens van u aan anderen verstrekt.",
	"noAccess":      "Niemand heeft uw gegevens ingezien of gewijzigd.",
	"chainHead":     "Dit logboek is uw eigen keten: elke gebeurtenis verwijst naar de vorige, zodat te zien is of er een is weggehaald of veranderd (regel G7). Toen dit overzicht werd opgesteld, was de laatste gebeurtenis nummer %d, met controlegetal",
	"chainAnchor":   "Gebeurtenissen tot en met nummer %d zijn na hun bewaartermijn verwijderd (regel N9); de keten gaat verder vanaf een ondertekend beginpunt met controlegetal",
	"chainKeep":     "Bewaar dit nummer en controlegetal: een later overzicht moet ze bevatten.",
	"noRequests":    "U heeft geen verzoeken gedaan.",
	"noPurposes":    "Het reglement noemt geen doelen.",
	"noCategories":  "Wij bewaren geen gegevens over u.",
	"noRecipients":  "Niemand ontvangt uw gegevens.",
	"noRetention":   "Het reglement noemt geen bewaartermijnen.",
	"noSources":     "Wij bewaren geen gegevens over u, en dus ook geen herkomst.",
	"allData":       "alle gegevens",
	"onBehalfOf":    "namens",
	"defaultDeny":   "geen regel",
	"rulesH":        "De regels op deze pagina",
	"rulesIntro":    "Elke uitkomst, termijn en verstrekking op deze pagina noemt de regel die haar bepaalt. Zo luiden die regels in het kort.",
	"colRecipient":  "Ontvanger",
	"colData":       "Gegevens",
	"colGranted":    "Gegeven op",
	"colWritten":    "Schriftelijk",
	"colRevoked":    "Ingetrokken op",
	"colDate":       "Datum",
	"colBasis":      "Grondslag",
	"colRule":       "Regel",
	"colWhen":       "Wanneer",
	"colWho":        "Wie",
	"colWhat":       "Wat",
	"colOutcome":    "Uitkomst",
	"colTimes":      "Hoe vaak",
	"requests":      "Uw verzoeken",
	"colRequest":    "Verzoek",
	"colReceived":   "Ontvangen",
	"colDue":        "Uiterlijk beantwoord",
	"colStatus":     "Stand",
	"colHistory":    "Verloop",
	"facts":         "Over deze verwerking",
	"purposes":      "Doelen",
	"categories":    "Soorten gegevens",
	"recipients":    "Ontvangers",
	"retentionH":    "Bewaartermijnen",
	"sources":       "Herkomst",
	"rights":        "Uw rechten",
	"complaints":    "Klachten",
	"colCases":      "Dossiers",
	"colRecords":    "Gegevens",
	"colFrom":       "Waarom",
	"colPeriod":     "Termijn",
	"colArticle":    "Artikel",
	"colRight":      "Recht",
	"colRules":      "Regels",
	"complaintAP":   "U kunt een klacht indienen bij de %s (%s).",
	"complaintOwn":  "Klachtenregeling van de dienst:",
	"automated":     "Er vindt geen geautomatiseerde besluitvorming plaats.",
	"footer":        "Dit overzicht volgt het gegevensformaat %s; de JSON-vorm ervan is machineleesbaar (AVG artikel 20).",
	"totals":        "Totaal: %s, %s, waarvan %d medisch en %d in afwachting van vrijgave.",
	"yes":           "ja",
	"no":            "nee",
	"until":         "tot en met",
	"fromYearEnd":   "gerekend vanaf het einde van dat jaar",
	"statutory":     "wettelijke termijn",
	"hold":          "bewaard voor een rechtsvordering",
	"restricted":    "alleen bewaard: de verwerking is op uw verzoek beperkt",
	"rule":          "regel",
	"late":          "te laat",
	"notWritten":    "niet schriftelijk; beantwoord na schriftelijke bevestiging",
	"unit.year":     "jaar", "unit.years": "jaar", "unit.month": "maand", "unit.months": "maanden",
	"unit.week": "week", "unit.weeks": "weken", "unit.day": "dag", "unit.days": "dagen",
}

var englishLabels = map[string]string{
	"title":         "Your data",
	"intro":         "This overview holds all data we keep about you, with the information the GDPR (article 15) requires: what we use it for, who receives it, how long we keep it, where it comes from and what your rights are.",
	"subject":       "Reference",
	"generated":     "Generated on",
	"request":       "In answer to request",
	"policy":        "Policy",
	"effective":     "in force from",
	"controller":    "Controller",
	"processor":     "Processor",
	"registration":  "Your registration",
	"employer":      "Employer",
	"registered":    "Registered on",
	"employEnd":     "Employment ended",
	"medDirect":     "Your medical data is listed in full below.",
	"medReleased":   "Your medical data was released by company doctor %s and is listed below (rule O13).",
	"medWithheld":   "You receive medical data through the company doctor. Medical records are listed below without their content until the doctor releases them (rules O13, O6).",
	"retNote":       "The retention of each record is not available; the rules that set the periods are under ‘Retention periods’.",
	"cases":         "Your cases",
	"noCases":       "There are no cases.",
	"purpose":       "Purpose",
	"opened":        "Opened",
	"closed":        "Closed",
	"commissioner":  "Commissioned by",
	"contract":      "contract",
	"colRecord":     "Record",
	"colCategory":   "Kind of data",
	"colRecorded":   "Recorded",
	"colSource":     "Source",
	"by":            "by",
	"source":        "source",
	"case":          "case",
	"colContent":    "Content",
	"colRetention":  "Retention",
	"changed":       "changed",
	"withheld":      "Medical record — you receive its content through the company doctor, once released.",
	"redacted":      "Data about others was removed.",
	"releasedBy":    "Released by company doctor",
	"noRecords":     "No records in this case.",
	"consents":      "Your consents",
	"disclosures":   "Disclosures to others",
	"access":        "Who accessed, changed or tried to access your data",
	"accessIntro":   "Every time someone reads, records, changes or deletes your data, or tries to, the log keeps who it was, what they did and whether it was allowed (rule N9). What the same person did the same way more than once is shown here once, with how often and when the first and the last time were.",
	"accessCount":   "In all %s, in %s.",
	"unavailable":   "Not available: this source was not connected to this overview.",
	"noConsents":    "You have not given or withdrawn any consent.",
	"noDisclosures": "None of your data was disclosed to others.",
	"noAccess":      "Nobody has accessed or changed your data.",
	"chainHead":     "This log is your own chain: each event refers to the one before it, so that an event removed or changed shows (rule G7). When this overview was made, the last event was number %d, with check value",
	"chainAnchor":   "Events up to number %d were deleted after their retention period (rule N9); the chain goes on from a signed starting point with check value",
	"chainKeep":     "Keep this number and check value: a later overview must contain them.",
	"noRequests":    "You have made no requests.",
	"noPurposes":    "The policy names no purposes.",
	"noCategories":  "We hold no data about you.",
	"noRecipients":  "Nobody receives your data.",
	"noRetention":   "The policy names no retention periods.",
	"noSources":     "We hold no data about you, so it has no sources.",
	"allData":       "all data",
	"onBehalfOf":    "on behalf of",
	"defaultDeny":   "no rule",
	"rulesH":        "The rules on this page",
	"rulesIntro":    "Each outcome, period and disclosure on this page names the rule that decides it. This is what those rules say, in short.",
	"colRecipient":  "Recipient",
	"colData":       "Data",
	"colGranted":    "Given on",
	"colWritten":    "In writing",
	"colRevoked":    "Revoked on",
	"colDate":       "Date",
	"colBasis":      "Basis",
	"colRule":       "Rule",
	"colWhen":       "When",
	"colWho":        "Who",
	"colWhat":       "What",
	"colOutcome":    "Outcome",
	"colTimes":      "How often",
	"requests":      "Your requests",
	"colRequest":    "Request",
	"colReceived":   "Received",
	"colDue":        "Answer due by",
	"colStatus":     "Status",
	"colHistory":    "History",
	"facts":         "About this processing",
	"purposes":      "Purposes",
	"categories":    "Kinds of data",
	"recipients":    "Recipients",
	"retentionH":    "Retention periods",
	"sources":       "Sources",
	"rights":        "Your rights",
	"complaints":    "Complaints",
	"colCases":      "Cases",
	"colRecords":    "Records",
	"colFrom":       "Why",
	"colPeriod":     "Period",
	"colArticle":    "Article",
	"colRight":      "Right",
	"colRules":      "Rules",
	"complaintAP":   "You may lodge a complaint with the %s (%s).",
	"complaintOwn":  "The service's complaints procedure:",
	"automated":     "There is no automated decision-making.",
	"footer":        "This overview follows the data format %s; its JSON form is machine-readable (GDPR article 20).",
	"totals":        "In all: %s, %s, of which %d medical and %d awaiting release.",
	"yes":           "yes",
	"no":            "no",
	"until":         "until",
	"fromYearEnd":   "counted from the end of that year",
	"statutory":     "statutory period",
	"hold":          "kept for legal claims",
	"restricted":    "only stored: processing is restricted at your request",
	"rule":          "rule",
	"late":          "late",
	"notWritten":    "not in writing; answered once confirmed in writing",
	"unit.year":     "year", "unit.years": "years", "unit.month": "month", "unit.months": "months",
	"unit.week": "week", "unit.weeks": "weeks", "unit.day": "day", "unit.days": "days",
}

var (
	dutchPlurals = map[string][2]string{
		"case": {"%d dossier", "%d dossiers"}, "record": {"%d gegeven", "%d gegevens"},
		"event": {"%d gebeurtenis", "%d gebeurtenissen"}, "row": {"%d rij", "%d rijen"},
		"time": {"%d keer", "%d keer"},
	}
	englishPlurals = map[string][2]string{
		"case": {"%d case", "%d cases"}, "record": {"%d record", "%d records"},
		"event": {"%d event", "%d events"}, "row": {"%d row", "%d rows"},
		"time": {"once", "%d times"},
	}
	dutchSources   = map[string]string{"regulation R": "reglement R", "regulation O": "reglement O", "GDPR": "AVG", "Dutch law": "Nederlandse wet"}
	englishSources = map[string]string{"regulation R": "regulation R", "regulation O": "regulation O", "GDPR": "GDPR", "Dutch law": "Dutch law"}
)

// englishRules are the catalog's own titles.
func englishRules() map[privacy.RuleID]string {
	m := map[privacy.RuleID]string{}
	for _, r := range privacy.Rules() {
		m[r.ID] = r.Title
	}
	for _, id := range []privacy.RuleID{privacy.RuleDefaultDeny, privacy.RuleRestriction} {
		if r, ok := id.Describe(); ok {
			m[r.ID] = r.Title
		}
	}
	return m
}

// dutchRules say in Dutch what the catalog's titles say in English.
var dutchRules = map[privacy.RuleID]string{
	privacy.R1:  "het reglement informeert cliënten over de verwerking, de doelen en hun rechten",
	privacy.R2:  "gegevens komen van de opdrachtgever, met vermelding van de bron",
	privacy.R3:  "gespreksgegevens en beperkingen in het werk, los van medische details",
	privacy.R4:  "het dossier wordt tijdens het traject aangevuld",
	privacy.R5:  "doel: re-integratie of minder verzuim; andere doelen worden geweigerd",
	privacy.R6:  "geen derden zonder uitdrukkelijke toestemming of een wettelijke grondslag",
	privacy.R7:  "alleen de toegewezen arbeidsdeskundige of consulent heeft toegang",
	privacy.R8:  "andere medewerkers alleen waar nodig, met geheimhoudingsplicht",
	privacy.R9:  "bewaard tot 2 jaar na afsluiting; wettelijk verplichte gegevens 7 jaar; eerder verwijderd op verzoek",
	privacy.R10: "klachten via de klachtenregeling",
	privacy.R11: "inzage en afschrift op schriftelijk verzoek, binnen 4 weken en kosteloos",
	privacy.R12: "toegang alleen voor aangemelde gebruikers die de applicatiebeheerder beheert",
	privacy.R13: "voldoet aan de wet op de bescherming van persoonsgegevens (nu de AVG)",

	privacy.O1:  "geldt voor elke verwerking door de dienst",
	privacy.O2:  "verwerking alleen voor taken onder een contract met een werkgever",
	privacy.O3:  "opgeslagen bij een beveiligde externe verwerker, onder een overeenkomst",
	privacy.O4:  "medewerkers zien alleen wat hun functie vraagt",
	privacy.O5:  "geen gegevens over godsdienst, levensovertuiging, ras, politieke voorkeur of seksuele geaardheid",
	privacy.O6:  "medische gegevens alleen door bevoegde artsen, apart bewaard, alleen gedeeld met schriftelijke toestemming",
	privacy.O7:  "ingehuurde partijen zijn gebonden aan eigen overeenkomsten",
	privacy.O8:  "basisgegevens komen van de werkgever, bij begin en einde van contract en dienstverband",
	privacy.O9:  "verzuimgegevens; de reden van het verzuim blijft intern",
	privacy.O10: "de werkgever hoort zonder uw instemming niets over spreekuurbezoek of periodiek onderzoek",
	privacy.O11: "een verzuimverzekeraar krijgt alleen zieke werknemers, de mate van arbeidsongeschiktheid en de verzuimperiode",
	privacy.O12: "niet langer bewaard dan het contract vraagt; wettelijke termijnen gaan voor",
	privacy.O13: "inzage binnen een maand op schriftelijk verzoek; correctie of verwijdering met redenen",
	privacy.O14: "verstrekking aan derden alleen met schriftelijke toestemming of een wettelijke grondslag",
	privacy.O15: "klachtenregeling en de Autoriteit Persoonsgegevens",
	privacy.O16: "geldig vanaf 25 mei 2018; wijzigingen worden gedateerd",

	privacy.G1: "het antwoord op een inzageverzoek noemt doelen, soorten gegevens, ontvangers, bewaartermijnen, rechten en herkomst",
	privacy.G2: "antwoord binnen een maand, met bericht twee maanden te verlengen; een weigering wordt gemotiveerd",
	privacy.G3: "een wettelijke plicht of een rechtsvordering gaat voor verwijdering",
	privacy.G4: "ontvangers horen van een correctie of verwijdering",
	privacy.G5: "uw gegevens in een machineleesbare vorm",
	privacy.G6: "een register van verwerkingsactiviteiten",
	privacy.G7: "toegang tot gezondheidsgegevens wordt vastgelegd, zo dat achteraf wijzigen opvalt",
	privacy.G8: "gezondheidsgegevens alleen onder medisch beroepsgeheim",

	privacy.N1:  "bij een ziekmelding legt de werkgever alleen zes gegevens vast, ook niet meer met toestemming",
	privacy.N2:  "zonder toestemming vertelt de bedrijfsarts de werkgever alleen vier dingen",
	privacy.N3:  "het meeste dat een verzuimverzekeraar mag ontvangen",
	privacy.N4:  "gezondheidsgegevens alleen door mensen met een geheimhoudingsplicht",
	privacy.N5:  "het BSN alleen waar een wet het toestaat",
	privacy.N6:  "geen toegang tot medische dossiers voor beheerders van de werkgever; een tweede inlogstap voor medische gegevens",
	privacy.N7:  "wettelijke bewaartermijnen",
	privacy.N8:  "een medisch dossier wordt binnen 3 maanden na het verzoek vernietigd",
	privacy.N9:  "elke toegang wordt vastgelegd en 5 jaar bewaard; u mag vragen wie uw gegevens heeft ingezien",
	privacy.N10: "wettelijke verstrekkingen aan UWV, re-integratiebedrijven en de ontvangers van het plan van aanpak",
	privacy.N11: "het eerste afschrift is kosteloos, ook van medische stukken",
	privacy.N12: "de werkgever krijgt alleen geanonimiseerde groepscijfers",

	privacy.RuleDefaultDeny: "wat geen regel toestaat, wordt geweigerd",
	privacy.RuleRestriction: "zolang een beperking van de verwerking geldt, worden de gegevens alleen bewaard (AVG art. 18)",
}
