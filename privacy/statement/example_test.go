package statement_test

import (
	"bytes"
	"fmt"
	"log"
	"os"
	"strings"
	"time"

	"github.com/dossierwacht/dossierwacht/privacy"
	"github.com/dossierwacht/dossierwacht/privacy/statement"
)

// section returns the part of a Markdown document from the heading that
// starts with title up to the next heading of the same level.
func section(doc, title string) string {
	i := strings.Index(doc, "\n## "+title)
	if i < 0 {
		return ""
	}
	rest := doc[i+1:]
	if j := strings.Index(rest[3:], "\n## "); j >= 0 {
		rest = rest[:j+4]
	}
	return rest
}

// The Dutch statement of regulation R: its paragraph on retention, made
// from the policy's retention rules of records, of the other stored data
// (Policy.Data) and of the audit log (R9, N9).
func ExampleRender() {
	var buf bytes.Buffer
	if err := statement.Render(&buf, privacy.RegulationR(), nil); err != nil {
		log.Fatal(err)
	}
	fmt.Print(section(buf.String(), "Hoe lang"))
	// Output:
	// ## Hoe lang wij gegevens bewaren
	//
	// Wij bewaren uw gegevens niet langer dan nodig is voor de uitvoering van de overeenkomst, en houden ons aan de wettelijke bewaartermijnen:
	//
	// - Alle gegevens: 2 jaar na de afsluiting van het dossier — bron: Privacyreglement re-integratie en verzuim, Bewaartermijn. (R9)
	// - Functie, aard en duur dienstverband; uitkeringsgegevens: 7 jaar na het einde van het jaar van de afsluiting van het dossier — wettelijke bewaarplicht: Algemene wet inzake rijksbelastingen art. 52(4); een verzoek om verwijdering maakt deze termijn niet korter. (R9)
	// - Uw stamgegevens (zoals naam, adres en BSN) (2 jaar): stamgegevens: 2 jaar na de afsluiting van het laatste dossier, of na het einde van het dienstverband als dat later is, en zolang iets anders van de betrokkene wordt bewaard — bron: Privacyreglement re-integratie en verzuim, Bewaartermijn; AP-beleidsregels De zieke werknemer (2016). (R9)
	// - Het dossier zelf (2 jaar): het dossier: 2 jaar na de afsluiting; bleef het open, 2 jaar na het laatste dat erin werd vastgelegd (een verzuimdossier: na het einde van het dienstverband, als dat eerder was, N7); en zolang een gegeven ervan wordt bewaard — bron: Privacyreglement re-integratie en verzuim, Bewaartermijn. (R9)
	// - Bewaarplichten die het verwijderen tegenhouden (zoals voor een rechtszaak) (2 jaar): een opgeheven bewaarplicht laat zien waarom gegevens langer bleven: 2 jaar na de opheffing; een lopende wordt bewaard met wat zij bewaart — bron: AVG art. 5(2), 17(3)(b),(e). (G3)
	// - Toegewezen verzoeken tot verwijdering (2 jaar): een toegewezen verzoek tot verwijdering: 2 jaar na de toewijzing, en zolang een gegeven waarop het ziet wordt bewaard — bron: AVG art. 5(2), 17(1). (R9)
	// - Uw toestemmingen (2 jaar): toestemming: 2 jaar na de intrekking of het einde, en zolang een verstrekking die erop berust wordt bewaard — bron: AVG art. 5(2), 7(1). (R6)
	// - Uw verzoeken (inzage, correctie, verwijdering, beperking) (2 jaar): een verzoek van de betrokkene: 2 jaar na de afhandeling, of, nooit afgehandeld, na de uiterste termijn — bron: AVG art. 5(2), 12. (R11)
	// - De groepsgeschiedenis (over welke groepen uw werkgever groepscijfers kreeg) (geen vaste termijn): de groepen waarover uw werkgever geanonimiseerde cijfers kreeg: uw plaats daarin wordt bewaard zolang uw stamgegevens, zodat geen later cijfer u kan aanwijzen; worden die verwijderd, dan wordt uw ID daar vervangen door een willekeurig kenmerk dat niemand aanwijst — bron: Arbowet art. 14, 18; AVG art. 5(1)(c),(e). (N12)
	// - Het logboek van verstrekkingen aan anderen (geen vaste termijn): een vermelding in het verstrekkingenlogboek: zolang een gegeven dat erin staat wordt bewaard, zodat de ontvanger over de verwijdering kan worden ingelicht; daarna hoeft niemand meer te worden ingelicht — bron: AVG art. 19, 15(1)(c). (G4)
	// - Het logboek van wie uw gegevens heeft ingezien of gewijzigd: 5 jaar — bron: NEN 7513; Besluit elektronische gegevensverwerking door zorgaanbieders art. 5 (Stb. 2017, 446); Stcrt. 2019, 38007. (N9)
	//
	// Een dossier dat open blijft terwijl er niets meer in wordt vastgelegd of gecorrigeerd, geldt voor deze termijnen als afgesloten op de dag van het laatste dat erin werd vastgelegd of gecorrigeerd (is er niets in vastgelegd, de dag van de opening); een verzuimdossier in opdracht van uw werkgever geldt als afgesloten op de dag dat uw dienstverband eindigde, als dat eerder was. Voor een wettelijke bewaartermijn geldt een open dossier nooit als afgesloten vóór de dag waarop de gegevens werden vastgelegd. (R9)
	//
	// Vraagt u ons uw gegevens eerder te verwijderen, dan doen wij dat, tenzij de wet zich daartegen verzet: gegevens met een wettelijke bewaarplicht, en gegevens die nodig zijn voor een rechtsvordering, blijven bewaard zolang dat moet. (R9, G3)
}

// The statement follows the policy: a service that names its processor
// and lets the insurer see less gets a statement that says so, in English
// here, without the rule IDs.
func ExampleRender_english() {
	p := privacy.RegulationO()
	p.Processor = "Hosting B.V."
	for i, a := range p.Access {
		if a.Rule == privacy.O11 {
			p.Access[i].Fields = []privacy.Field{privacy.FieldName, privacy.FieldFirstDay}
		}
	}
	var buf bytes.Buffer
	if err := statement.Render(&buf, p, &statement.Options{Language: statement.English, OmitRules: true}); err != nil {
		log.Fatal(err)
	}
	for _, line := range strings.Split(buf.String(), "\n") {
		if strings.Contains(line, "Hosting B.V.") || strings.HasPrefix(line, "- See: identity data (name and address) (only name)") {
			fmt.Println(line)
		}
	}
	// Output:
	// We keep your data in an automated system on an external, secured server of our processor: Hosting B.V. We have an agreement with this processor to comply with the law (a data processing agreement, GDPR art. 28).
	// - See: identity data (name and address) (only name) and absence data (only first day of absence) — in absence cases, provided they insure your employer.
}

// A new version of a policy, in force from 1 January 2027: the insurer no
// longer sees the recovery date, and absence data is kept 18 months after
// employment ends instead of 2 years (O16).
func ExampleDiff() {
	old := privacy.Strict()
	next := old.Clone()
	next.Version = "1.1.0"
	next.Effective = time.Date(2027, time.January, 1, 0, 0, 0, 0, time.UTC)
	for i, a := range next.Access {
		if a.Rule == privacy.O11 {
			next.Access[i].Fields = []privacy.Field{privacy.FieldName, privacy.FieldFirstDay, privacy.FieldIncapacityDegree}
		}
	}
	for i, r := range next.Retention {
		if r.Rule == privacy.N7 && r.Trigger == privacy.TriggerEmploymentEnded && r.Period == privacy.Years(2) {
			next.Retention[i].Period = privacy.Months(18)
		}
	}
	changes, err := statement.Diff(old, next)
	if err != nil {
		log.Fatal(err)
	}
	for _, c := range changes {
		fmt.Printf("%s %s %s\n%s\n", c.Rule, c.Area, c.Kind, c.English)
	}
	// Output:
	// O11 access removed
	// From 1 January 2027 the absence insurer may no longer see the recovery date (absence data).
	// N7 retention changed
	// From 1 January 2027 the retention period of all data (except job, nature and duration of employment; benefit data; medical data), in absence cases and reintegration trajectories, after the end of the employment (for a client of a municipality or the UWV: the closing of the case) goes from 2 years to 18 months.
}

// The changes as a Dutch list, for the page that announces a new version.
func ExampleRenderDiff() {
	old := privacy.RegulationO()
	next := old.Clone()
	next.Version = "1.1.0"
	next.Effective = time.Date(2027, time.January, 1, 0, 0, 0, 0, time.UTC)
	next.MinGroupSize = 20
	if err := statement.RenderDiff(os.Stdout, old, next, nil); err != nil {
		log.Fatal(err)
	}
	// Output:
	// # Wijzigingen: Privacyreglement arbodienst (reglement O)
	//
	// Van versie 1.0.0 (geldig vanaf 25 mei 2018) naar versie 1.1.0 (geldig vanaf 1 januari 2027). (O16)
	//
	// ## Wat verandert
	//
	// - Vanaf 1 januari 2027 gaat de kleinste groep waarover uw werkgever cijfers krijgt van 10 naar 20 personen. (N12)
}

// The register of processing activities (G6, GDPR art. 30(1)): here its
// retention periods for regulation R.
func ExampleRenderRegister() {
	var buf bytes.Buffer
	if err := statement.RenderRegister(&buf, privacy.RegulationR(), &statement.Options{Language: statement.English}); err != nil {
		log.Fatal(err)
	}
	fmt.Print(section(buf.String(), "f. "))
	// Output:
	// ## f. Time limits for erasure
	//
	// | Data | Period | Runs from | Statutory | Source | Rule |
	// |---|---|---|---|---|---|
	// | All data | 2 years | the closing of the case | no | Privacyreglement re-integratie en verzuim, Bewaartermijn | R9 |
	// | Job, nature and duration of employment; benefit data | 7 years | the end of the year of the closing of the case | yes | Algemene wet inzake rijksbelastingen art. 52(4) | R9 |
	// | Master data of data subjects (name, address, citizen service number) | 2 years | master data: 2 years after the last case closes, or after the employment ends if that is later, and while anything else of the subject is kept | no | Privacyreglement re-integratie en verzuim, Bewaartermijn; AP-beleidsregels De zieke werknemer (2016) | R9 |
	// | Case rows | 2 years | the case: 2 years after it closes; left open, 2 years after the last thing recorded in it (an absence case: after the employment ends, if that came first, N7); and while a record of it is kept | no | Privacyreglement re-integratie en verzuim, Bewaartermijn | R9 |
	// | Legal holds | 2 years | a lifted legal hold shows why data outlived its period: 2 years after it is lifted; a standing hold is kept with what it keeps | no | AVG art. 5(2), 17(3)(b),(e) | G3 |
	// | Granted erasure requests | 2 years | a granted erasure request: 2 years after it is granted, and while a record it covers is kept | no | AVG art. 5(2), 17(1) | R9 |
	// | Consents | 2 years | consent: 2 years after it is withdrawn or ends, and while a disclosure that rests on it is kept | no | AVG art. 5(2), 7(1) | R6 |
	// | Data subjects' requests | 2 years | a request of the subject: 2 years after it is closed, or, never closed, after its deadline | no | AVG art. 5(2), 12 | R11 |
	// | Group histories (the groups employers received group figures about) | no fixed period | the groups your employer received anonymised figures about: your place in them is kept while your master data is, so that no later figure can single you out; when it is removed, your ID there is replaced by a random token that names no one | no | Arbowet art. 14, 18; AVG art. 5(1)(c),(e) | N12 |
	// | Disclosure log | no fixed period | a disclosure-log entry: while a record it names is kept, so that its recipient can be told of the erasure; after that no one needs to be told | no | AVG art. 19, 15(1)(c) | G4 |
	// | Log of access and changes | 5 years | the event is recorded | yes | NEN 7513; Besluit elektronische gegevensverwerking door zorgaanbieders art. 5 (Stb. 2017, 446); Stcrt. 2019, 38007 | N9 |
	//
	// A medical file is destroyed within 3 months of a request. (N8)
}
