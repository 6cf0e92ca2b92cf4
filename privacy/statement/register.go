package statement

import (
	"slices"
	"strconv"
	"strings"

	"github.com/dossierwacht/dossierwacht/privacy"
)

// buildRegister makes the record of processing activities of p (rule G6,
// GDPR art. 30(1)(a)–(g)).
func buildRegister(p *privacy.Policy, s settings) document {
	b := newBuilder(p, s)
	l := b.l
	d := document{
		Lang:  l.code(),
		Title: l.t("Register van verwerkingsactiviteiten", "Record of processing activities") + ": " + b.text(p.TitleText()),
		Lead: []block{para(l.t("Op grond van artikel 30, lid 1, van de AVG. Versie ", "Under Article 30(1) GDPR. Version ")+clean(p.Version)+
			l.t(", geldig vanaf ", ", in force from ")+l.date(p.Effective)+".", b.c.ids(privacy.G6, privacy.O16))},
	}
	d.Sections = []section{
		b.regController(),
		b.regPurposes(),
		{Level: 2, Title: l.t("c. Categorieën van betrokkenen en van persoonsgegevens", "c. Categories of data subjects and of personal data"),
			Subs: []section{b.regSubjects(), b.regCategories()}},
		b.regRecipients(),
		{Level: 2, Title: l.t("e. Doorgifte naar derde landen", "e. Transfers to third countries"), Blocks: []block{para(l.t(
			"Geen. Alle ontvangers bevinden zich in de Europese Economische Ruimte; het beleid kent geen ontvangers daarbuiten.",
			"None. Every recipient is in the European Economic Area; the policy knows no recipient outside it."), "")}},
		b.regRetention(),
		b.regSecurity(),
	}
	return d
}

func (b *builder) regController() section {
	l, p := b.l, b.p
	items := []item{{l.t("Verwerkingsverantwoordelijke: ", "Controller: ") + sentence(b.text(p.ControllerText())), ""}}
	if p.Processor != "" {
		items = append(items, item{l.t("Verwerker: ", "Processor: ") + b.text(p.ProcessorText()) + l.t(", onder een verwerkersovereenkomst (AVG art. 28).", ", under a data processing agreement (GDPR art. 28)."), b.c.ids(privacy.O3)})
	} else {
		items = append(items, item{l.t("Verwerker: geen.", "Processor: none."), ""})
	}
	items = append(items, item{l.t("Regelingen die het beleid uitvoert: ", "Regulations the policy implements: ") + l.and(cleanAll(p.Regulations)) + ".", ""})
	return section{Level: 2, Title: l.t("a. Verwerkingsverantwoordelijke", "a. Controller"), Blocks: []block{list(items...)}}
}

func cleanAll(ss []string) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = clean(s)
	}
	return out
}

func (b *builder) regPurposes() section {
	l, p := b.l, b.p
	var items []item
	for _, pr := range p.Purposes {
		items = append(items, item{upper(l.purpose(pr.Purpose)) + l.t(", in ", ", in ") + l.caseKinds(pr.CaseKinds) + ".", b.c.ids(pr.Rule)})
	}
	blocks := []block{list(items...)}
	if b.conds[privacy.CondContractInForce] {
		blocks = append(blocks, para(l.t("Alleen ter uitvoering van een overeenkomst met de opdrachtgever, zolang die van kracht is; een ander doel wordt geweigerd.",
			"Only to carry out a contract with the commissioning party, while it is in force; any other purpose is refused."), b.c.ids(privacy.O2, privacy.R5)))
	}
	return section{Level: 2, Title: l.t("b. Doeleinden", "b. Purposes"), Blocks: blocks}
}

func (b *builder) regSubjects() section {
	l := b.l
	var items []item
	employees := false
	for _, k := range []privacy.CaseKind{privacy.CaseAbsence, privacy.CasePreventive, privacy.CaseConsultation, privacy.CasePeriodicExam} {
		employees = employees || b.caseKindProcessed(k)
	}
	if employees {
		items = append(items, item{l.t("Werknemers van werkgevers die ons een opdracht geven.", "Employees of the employers that commission us."), ""})
	}
	if b.caseKindProcessed(privacy.CaseReintegration) {
		items = append(items, item{l.t("Cliënten in een re-integratietraject, aangemeld door een gemeente, het UWV of een werkgever.",
			"Clients in a reintegration trajectory, sent by a municipality, UWV or an employer."), b.c.ids(privacy.R2)})
	}
	if slices.Contains(b.roles, privacy.RoleEmployerContact) {
		items = append(items, item{l.t("Contactpersonen en functionarissen van werkgevers (opdrachtgevers), als gebruiker van het systeem.",
			"Contact persons and officers of employers (commissioning parties), as users of the system."), b.c.ids(privacy.O8)})
	}
	if slices.Contains(b.roles, privacy.RoleInsurer) {
		items = append(items, item{l.t("Contactpersonen van verzuimverzekeraars, als gebruiker van het systeem.",
			"Contact persons of absence insurers, as users of the system."), ""})
	}
	if slices.ContainsFunc(b.roles, privacy.Role.Staff) {
		items = append(items, item{l.t("Eigen medewerkers en ingeschakelde deskundigen, zoals bedrijfsartsen, als gebruiker van het systeem en in het logboek.",
			"Our own staff and contracted experts, such as company doctors, as users of the system and in the log."), b.c.ids(privacy.O8, privacy.G7)})
	}
	return section{Level: 3, Title: l.t("Betrokkenen", "Data subjects"), Blocks: []block{list(items...)}}
}

func (b *builder) regCategories() section {
	l := b.l
	var items []item
	for _, c := range b.processed {
		info, _ := c.Info()
		text := upper(l.category(c))
		if c.Health() {
			text += l.t(" (gezondheidsgegeven, AVG art. 9)", " (health data, GDPR art. 9)")
		}
		if c == privacy.CategoryNationalID {
			text += l.t(" (alleen op wettelijke grondslag, UAVG art. 46)", " (only on a statutory basis, UAVG art. 46)")
		}
		// The category's keys in the fideslang taxonomy, for exchanging
		// the register with other tools.
		if keys := c.Fideslang(); len(keys) > 0 {
			text += l.t(" — fideslang: ", " — fideslang: ") + strings.Join(keys, ", ")
		} else {
			text += l.t(" — fideslang: geen passende sleutel", " — fideslang: no matching key")
		}
		items = append(items, item{text + ".", b.c.ids(info.Rule)})
	}
	var special []string
	for _, c := range privacy.SpecialCategories() {
		special = append(special, l.category(c))
	}
	return section{Level: 3, Title: l.t("Persoonsgegevens", "Personal data"), Blocks: []block{
		list(items...),
		para(l.t("Nooit verwerkt: ", "Never processed: ")+l.and(special)+".", b.c.ids(privacy.O5)),
		para(l.t("De sleutels achter “fideslang” zijn de gegevenscategorieën van de fideslang-taxonomie van Fides en de IAB Tech Lab Privacy Taxonomy (CC BY 4.0, © Ethyca, Inc. en IAB Tech Lab).",
			"The keys after “fideslang” are the data categories of the fideslang taxonomy of Fides and the IAB Tech Lab Privacy Taxonomy (CC BY 4.0, © Ethyca, Inc. and IAB Tech Lab)."), ""),
	}}
}

// registerParties names the kinds of recipient in the register, where no
// one is addressed as "you".
var registerParties = map[string]term{
	string(privacy.PartyService):              {"Eigen medewerkers", "Own staff"},
	string(privacy.PartyEmployer):             {"Werkgevers (opdrachtgevers)", "Employers (commissioning parties)"},
	string(privacy.PartyMunicipality):         {"Gemeenten", "Municipalities"},
	string(privacy.PartyUWV):                  {"UWV", "UWV"},
	string(privacy.PartyInsurer):              {"Verzuimverzekeraars", "Absence insurers"},
	string(privacy.PartyReintegrationCompany): {"Re-integratiebedrijven", "Reintegration companies"},
	string(privacy.PartyCourt):                {"Rechters", "Courts"},
	string(privacy.PartyThirdParty):           {"Overige derden", "Other third parties"},
	string(privacy.PartySubject):              {"De betrokkene zelf", "The data subject"},
}

func (l lang) registerBasis(b privacy.BasisKind) string {
	switch b {
	case privacy.BasisConsent:
		return l.t("verstrekking met uitdrukkelijke toestemming van de betrokkene", "disclosure with the data subject's explicit consent")
	case privacy.BasisWrittenConsent:
		return l.t("verstrekking met schriftelijke toestemming van de betrokkene", "disclosure with the data subject's written consent")
	case privacy.BasisNone:
		return l.t("verstrekking zonder toestemming, beperkt tot de velden die de regel noemt", "disclosure without consent, limited to the fields the rule names")
	}
	return clean(string(b))
}

func (b *builder) regRecipients() section {
	l, p := b.l, b.p
	type entry struct {
		ways  []string
		rules []privacy.RuleID
	}
	var order []string
	byName := map[string]*entry{}
	add := func(name, way string, rule privacy.RuleID) {
		e, ok := byName[name]
		if !ok {
			e = &entry{}
			byName[name] = e
			order = append(order, name)
		}
		if !slices.Contains(e.ways, way) {
			e.ways = append(e.ways, way)
		}
		e.rules = append(e.rules, rule)
	}
	for _, r := range []struct {
		role  privacy.Role
		party privacy.PartyKind
	}{{privacy.RoleEmployerContact, privacy.PartyEmployer}, {privacy.RoleInsurer, privacy.PartyInsurer}} {
		allow, _ := b.rulesOf(r.role)
		for _, a := range allow {
			if slices.Contains(a.Actions, privacy.ActionRead) {
				add(l.term(registerParties, string(r.party)), l.t("inzage in het systeem, beperkt volgens het beleid", "access to the system, limited by the policy"), a.Rule)
			}
		}
	}
	for _, d := range p.Disclosures {
		add(l.term(registerParties, string(d.Recipient)), l.registerBasis(d.Basis), d.Rule)
	}
	for _, lb := range p.LegalBases {
		for _, k := range lb.Recipients {
			if k == privacy.PartyService || k == privacy.PartySubject {
				continue
			}
			add(l.term(registerParties, string(k)), l.t("verstrekking op grond van ", "disclosure under ")+clean(lb.Citation), lb.Rule)
		}
	}
	if p.Processor != "" {
		add(l.t("Verwerker (", "Processor (")+b.text(p.ProcessorText())+")", l.t("opslag van het systeem, onder een verwerkersovereenkomst", "hosting of the system, under a data processing agreement"), privacy.O3)
	}
	items := make([]item, 0, len(order))
	for _, name := range order {
		e := byName[name]
		items = append(items, item{name + ": " + strings.Join(e.ways, "; ") + ".", b.c.ids(e.rules...)})
	}
	return section{Level: 2, Title: l.t("d. Categorieën van ontvangers", "d. Categories of recipients"), Blocks: []block{list(items...)}}
}

func (b *builder) regRetention() section {
	l, p := b.l, b.p
	t := block{Kind: kindTable, Head: []string{
		l.t("Gegevens", "Data"), l.t("Termijn", "Period"), l.t("Loopt vanaf", "Runs from"),
		l.t("Wettelijk", "Statutory"), l.t("Bron", "Source"), l.t("Regel", "Rule")}}
	yes, no := l.t("ja", "yes"), l.t("nee", "no")
	for _, r := range p.Retention {
		stat := no
		if r.Statutory {
			stat = yes
		}
		t.Rows = append(t.Rows, []string{upper(b.retentionScope(r)), l.period(r.Period), l.from(r), stat, clean(r.Citation), string(r.Rule)})
	}
	// Rules R9, O12: the other stored data, each kind by its own rule;
	// what its period runs from, and what it outlives, in its reason.
	for _, r := range p.Data {
		stat, period := no, l.t("geen vaste termijn", "no fixed period")
		if r.Statutory {
			stat = yes
		}
		if !r.Period.IsZero() {
			period = l.period(r.Period)
		}
		t.Rows = append(t.Rows, []string{upper(l.term(registerDataKinds, string(r.Kind))), period, b.text(r.ReasonText()), stat, clean(r.Citation), string(r.Rule)})
	}
	a := p.AuditRetention
	t.Rows = append(t.Rows, []string{l.t("Logboek van inzage en wijzigingen", "Log of access and changes"), l.period(a.Period),
		l.t("het vastleggen van de gebeurtenis", "the event is recorded"), yes, clean(a.Citation), string(a.Rule)})
	blocks := []block{t}
	if e := p.Requests.MedicalErasure; e != nil {
		blocks = append(blocks, para(l.t("Een medisch dossier wordt op verzoek binnen "+l.period(e.Period)+" vernietigd.",
			"A medical file is destroyed within "+l.period(e.Period)+" of a request."), b.c.ids(e.Rule)))
	}
	return section{Level: 2, Title: l.t("f. Bewaartermijnen", "f. Time limits for erasure"), Blocks: blocks}
}

func (b *builder) regSecurity() section {
	l, p := b.l, b.p
	items := []item{
		{l.t("Rolgebaseerde toegang: wat geen regel toestaat, wordt geweigerd; elke rol ziet alleen de categorieën en velden die haar functie nodig heeft.",
			"Role-based access: what no rule allows is refused; each role sees only the categories and fields its function needs."), b.c.ids(privacy.O4)},
		{l.t("Authenticatie met een eigen account voor elke gebruiker; de applicatiebeheerder beheert de accounts en ziet geen inhoud.",
			"Authentication with a personal account for every user; the application administrator manages the accounts and sees no content."), b.c.ids(privacy.R12)},
	}
	if b.conds[privacy.CondAssigned] {
		items = append(items, item{l.t("Inhoud van een dossier alleen voor wie aan het dossier is toegewezen.", "Case content only for those assigned to the case."), b.c.ids(privacy.R7)})
	}
	if b.conds[privacy.CondSecrecy] || b.conds[privacy.CondProfessionalSecrecy] {
		items = append(items, item{l.t("Gezondheidsgegevens alleen voor wie aan een beroepsgeheim of geheimhoudingsovereenkomst is gebonden.", "Health data only for those bound by professional secrecy or a confidentiality agreement."), b.c.ids(privacy.N4, privacy.G8)})
	}
	if b.processes(privacy.CategoryMedical) {
		items = append(items, item{l.t("Medische gegevens apart opgeslagen, in een eigen medisch dossier.", "Medical data stored apart, in a medical file of its own."), b.c.ids(privacy.O6)})
	}
	if b.conds[privacy.CondMultiFactor] {
		items = append(items, item{l.t("Meervoudige authenticatie (meer dan één factor) voor toegang tot medische gegevens.", "Multi-factor authentication for access to medical data."), b.c.ids(privacy.N6)})
	}
	items = append(items,
		item{l.t("Een logboek van elke inzage en wijziging, toegestaan of geweigerd, met een hashketen die wijzigingen zichtbaar maakt; bewaard "+l.period(p.AuditRetention.Period)+".",
			"A log of every access and change, allowed or refused, hash-chained so that tampering shows; kept "+l.period(p.AuditRetention.Period)+"."), b.c.ids(privacy.G7, p.AuditRetention.Rule)},
		item{l.t("Groepscijfers voor werkgevers alleen over groepen van ten minste "+strconv.Itoa(p.MinGroupSize)+" personen.",
			"Group figures for employers only for groups of at least "+strconv.Itoa(p.MinGroupSize)+" people."), b.c.ids(privacy.N12)},
		item{l.t("Wie niet in dienst is maar in opdracht werkt, is gebonden door een aparte overeenkomst; zonder overeenkomst geen toegang.",
			"Contractors are bound by a separate agreement; without one, no access."), b.c.ids(privacy.O7)},
	)
	if p.Processor != "" {
		items = append(items, item{l.t("Opslag op een externe, beveiligde server van de verwerker, onder een verwerkersovereenkomst.",
			"Storage on an external, secured server of the processor, under a data processing agreement."), b.c.ids(privacy.O3)})
	}
	if slices.Contains(p.Regulations, "R") {
		items = append(items, item{l.t("Papieren dossiers aan het eind van de dag in een dossierkast die iedere werkdag op slot gaat.",
			"Paper files put away at the end of the day in a filing cabinet locked every working day."), b.c.ids(privacy.R12)})
	}
	return section{Level: 2, Title: l.t("g. Beveiligingsmaatregelen (algemene beschrijving)", "g. Security measures (general description)"), Blocks: []block{list(items...)}}
}
