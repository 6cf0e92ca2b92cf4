package statement

import (
	"slices"
	"strconv"
	"strings"

	"github.com/dossierwacht/dossierwacht/privacy"
)

// builder holds what every section of a document needs.
type builder struct {
	facts
	l lang
	c citer
}

// text writes a text of the policy in the document's language, cleaned.
func (b *builder) text(t privacy.Text) string { return clean(t.In(b.l.code())) }

func newBuilder(p *privacy.Policy, s settings) *builder {
	return &builder{facts: analyse(p), l: s.l, c: citer{omit: s.omit, regs: p.Regulations}}
}

// buildStatement makes the privacy statement of p.
func buildStatement(p *privacy.Policy, s settings) document {
	b := newBuilder(p, s)
	l := b.l
	d := document{
		Lang:  l.code(),
		Title: l.t("Privacyverklaring", "Privacy statement") + ": " + b.text(p.TitleText()),
		Lead: []block{para(l.t("Versie ", "Version ")+clean(p.Version)+l.t(", geldig vanaf ", ", in force from ")+l.date(p.Effective)+".",
			b.c.ids(privacy.O16))},
	}
	d.Sections = []section{
		b.about(),
		b.responsible(),
		b.dataProcessed(),
		b.purposes(),
		b.access(),
		b.disclosures(),
		b.retention(),
		b.rights(),
		b.security(),
		b.complaints(),
	}
	return d
}

func (b *builder) about() section {
	l, p := b.l, b.p
	return section{Level: 2, Title: l.t("Over deze verklaring", "About this statement"), Blocks: []block{
		para(l.t("In deze verklaring leest u welke persoonsgegevens wij verwerken, waarom wij dat doen, wat er met de gegevens gebeurt en welke rechten u hebt. Zij geldt voor iedere verwerking van persoonsgegevens door ons.",
			"This statement tells you which personal data we process, why we do so, what happens to the data and what rights you have. It applies to every processing of personal data by us."),
			b.c.reg(privacy.R1, privacy.O1)),
		para(l.t("Deze verklaring is gemaakt uit dezelfde regels die onze systemen afdwingen: wat hier staat, is wat de software toestaat, en niets meer.",
			"This statement is made from the same rules our systems enforce: what it says is what the software allows, and nothing more."), ""),
		para(l.t("Wij houden ons aan de Algemene Verordening Gegevensbescherming (AVG), die sinds 25 mei 2018 geldt en de Wet bescherming persoonsgegevens (Wbp) heeft vervangen. Toezichthouder is de Autoriteit Persoonsgegevens, de opvolger van het College bescherming persoonsgegevens (CBP).",
			"We comply with the General Data Protection Regulation (GDPR, in Dutch AVG), in force since 25 May 2018, which replaced the Dutch Personal Data Protection Act (Wbp). The supervisory authority is the Autoriteit Persoonsgegevens, successor to the College bescherming persoonsgegevens (CBP)."),
			b.c.reg(privacy.R13)),
		para(l.t("Dit is versie "+clean(p.Version)+", geldig vanaf "+l.date(p.Effective)+". Wij mogen deze verklaring wijzigen; elke wijziging krijgt een nieuw versienummer en de datum waarop zij ingaat.",
			"This is version "+clean(p.Version)+", in force from "+l.date(p.Effective)+". We may change this statement; every change gets a new version number and the date it comes into force."),
			b.c.ids(privacy.O16)),
	}}
}

func (b *builder) responsible() section {
	l, p := b.l, b.p
	s := section{Level: 2, Title: l.t("Wie verantwoordelijk is", "Who is responsible")}
	s.Blocks = append(s.Blocks, para(l.t("Verantwoordelijk voor de verwerking (de verwerkingsverantwoordelijke) is: ", "The controller responsible for the processing is: ")+sentence(b.text(p.ControllerText())), ""))
	// GDPR art. 13(1)(a) and (b): the controller's contact details and
	// the data protection officer's.
	if !p.Contact.IsZero() {
		s.Blocks = append(s.Blocks, para(l.t("U bereikt ons via ", "You can reach us at ")+sentence(b.text(p.Contact)), ""))
	}
	if !p.DPO.IsZero() {
		s.Blocks = append(s.Blocks, para(l.t("Onze functionaris voor gegevensbescherming: ", "Our data protection officer: ")+sentence(b.text(p.DPO))+
			l.t(" U kunt hem of haar alles vragen over de verwerking van uw gegevens en over uw rechten (AVG art. 38 lid 4).",
				" You may ask them anything about the processing of your data and about your rights (GDPR art. 38(4))."), ""))
	}
	if p.Processor != "" {
		s.Blocks = append(s.Blocks, para(l.t(
			"Wij leggen uw gegevens vast in een geautomatiseerd systeem op een externe, beveiligde server van onze verwerker: "+sentence(b.text(p.ProcessorText()))+" Met deze verwerker hebben wij afspraken gemaakt om aan de wet te voldoen (een verwerkersovereenkomst, AVG art. 28).",
			"We keep your data in an automated system on an external, secured server of our processor: "+sentence(b.text(p.ProcessorText()))+" We have an agreement with this processor to comply with the law (a data processing agreement, GDPR art. 28)."),
			b.c.ids(privacy.O3)))
	} else {
		s.Blocks = append(s.Blocks, para(l.t("Wij schakelen geen externe verwerker in voor de opslag van uw dossier.",
			"We use no external processor to store your case."), b.c.reg(privacy.O3)))
	}
	s.Blocks = append(s.Blocks, para(l.t(
		"Wie in onze opdracht werkt zonder bij ons in dienst te zijn, zoals een ingehuurde bedrijfsarts, is gebonden door een aparte overeenkomst die waarborgt dat deze regels worden nageleefd; zonder zo'n overeenkomst krijgt hij of zij geen toegang.",
		"Anyone who works for us without being employed by us, such as a contracted company doctor, is bound by a separate agreement that guarantees these rules are followed; without one they get no access."),
		b.c.ids(privacy.O7)))
	return s
}

func (b *builder) dataProcessed() section {
	l := b.l
	s := section{Level: 2, Title: l.t("Welke gegevens wij verwerken", "What data we process")}
	s.Blocks = append(s.Blocks, para(l.t("Wij verwerken de volgende soorten persoonsgegevens:", "We process the following kinds of personal data:"), ""))
	var items []item
	for _, c := range b.processed {
		info, _ := c.Info()
		text := l.category(c)
		if fs := info.Fields; len(fs) > 1 {
			text += ": " + l.and(l.fieldList(fs))
		}
		switch {
		case c.Medical():
			text += l.t(" — gegevens over uw gezondheid, apart vastgelegd in een medisch dossier", " — health data, kept apart in a medical file")
		case c.Health():
			text += l.t(" — gegevens over uw gezondheid", " — health data")
		}
		items = append(items, item{sentence(upper(text)), b.c.ids(append([]privacy.RuleID{info.Rule}, info.Rules...)...)})
	}
	s.Blocks = append(s.Blocks, list(items...))

	var special []string
	for _, c := range privacy.SpecialCategories() {
		special = append(special, l.category(c))
	}
	s.Blocks = append(s.Blocks, para(l.t(
		"Wij verwerken nooit gegevens over "+l.or(special)+". Wie zulke gegevens probeert vast te leggen, krijgt een foutmelding, en er wordt niets opgeslagen.",
		"We never process data about "+l.or(special)+". An attempt to record such data is refused with an error, and nothing is stored."),
		b.c.ids(privacy.O5)))

	src := section{Level: 3, Title: l.t("Waar de gegevens vandaan komen", "Where the data comes from")}
	src.Blocks = append(src.Blocks, para(l.t(
		"Wij verwerken de gegevens die uw opdrachtgever (bijvoorbeeld uw gemeente, het UWV of uw werkgever) aanlevert bij de aanvang van een traject of ziekteperiode. Bij elk gegeven leggen wij vast wie het heeft aangeleverd.",
		"We process the data your commissioning party (for example your municipality, UWV or your employer) supplies at the start of a trajectory or a period of sickness. For every item we record who supplied it."),
		b.c.ids(privacy.R2)))
	if b.processes(privacy.CategoryStatements) || b.processes(privacy.CategoryWorkCapacity) {
		src.Blocks = append(src.Blocks, para(l.t(
			"Ook leggen wij gegevens vast die in gesprekken met u naar voren komen en die van belang zijn voor uw deelname aan arbeid, zoals uw (medische) beperkingen en mogelijkheden en uw voorkeur voor bepaalde arbeid; zonder diagnose.",
			"We also record data that comes up in conversations with you and matters for your participation in work, such as your (medical) limitations and possibilities and your preference for certain work; without a diagnosis."),
			b.c.ids(privacy.R3)))
	}
	src.Blocks = append(src.Blocks, para(l.t(
		"Tijdens het traject of de begeleiding wordt uw dossier aangevuld met relevante gegevens; bij elk gegeven staat wie het heeft vastgelegd en wanneer.",
		"During the trajectory or the guidance your case is supplemented with relevant data; every item shows who recorded it and when."),
		b.c.ids(privacy.R4)))
	src.Blocks = append(src.Blocks, b.sources()...)
	s.Subs = append(s.Subs, src)
	return s
}

// sources writes where the data not obtained from the subject comes from
// (GDPR art. 14(1)(d) and (2)(f)): the commissioning party at the start of
// a trajectory (R2), the employer as its write rules allow (O8, N1), the
// experts involved (O9); and that no public source is used.
func (b *builder) sources() []block {
	l := b.l
	var items []item
	if slices.Contains(b.p.Regulations, "R") {
		var cats []privacy.Category
		for _, c := range []privacy.Category{privacy.CategoryIdentity, privacy.CategoryNationalID, privacy.CategoryContact,
			privacy.CategoryBenefits, privacy.CategoryEducation} {
			if b.processes(c) {
				cats = append(cats, c)
			}
		}
		if len(cats) > 0 {
			items = append(items, item{sentence(upper(l.t("uw opdrachtgever (uw gemeente, het UWV of uw werkgever), bij de aanmelding: ",
				"your commissioning party (your municipality, UWV or your employer), when you are referred: ")) + l.catList(cats)), b.c.ids(privacy.R2)})
		}
	}
	for _, a := range b.p.Access {
		if a.Effect != privacy.Allow || !slices.Contains(a.Roles, privacy.RoleEmployerContact) || !slices.Contains(a.Actions, privacy.ActionWrite) {
			continue
		}
		if slices.Contains(a.Categories, privacy.CategoryAbsenceFacts) {
			items = append(items, item{sentence(l.t("Uw werkgever, bij uw ziekmelding: ", "Your employer, when you report sick: ") + b.what(a.Categories, a.Fields)), b.c.ids(a.Rule)})
			continue
		}
		items = append(items, item{sentence(l.t(
			"Uw werkgever, bij de aanvang van de overeenkomst, bij wijzigingen, en bij de aanvang en het einde van uw dienstverband: ",
			"Your employer, at the start of the contract, on changes, and at the start and end of your employment: ") + b.what(a.Categories, a.Fields)), b.c.ids(a.Rule)})
	}
	if b.processes(privacy.CategoryExpertReport) {
		items = append(items, item{sentence(l.t("Deskundigen die bij uw begeleiding betrokken zijn, zoals een arbeidsdeskundige of een behandelaar: ",
			"Experts involved in your guidance, such as a labour expert or a practitioner treating you: ") + l.category(privacy.CategoryExpertReport)), b.c.ids(privacy.O9)})
	}
	var out []block
	if len(items) > 0 {
		out = append(out, para(l.t("Gegevens die wij niet van u zelf krijgen, komen van:", "Data we do not receive from you yourself comes from:"), ""), list(items...))
	}
	return append(out, para(l.t("Wij halen geen gegevens uit openbaar toegankelijke bronnen.",
		"We take no data from publicly accessible sources."), ""))
}

// scoped writes categories limited to fields: each category whose fields
// are all allowed by name, the others with the fields allowed of them:
// "identificatiegegevens (NAW) (alleen naam), contactgegevens".
func (b *builder) scoped(cs []privacy.Category, fs []privacy.Field) string {
	l := b.l
	if len(fs) == 0 {
		return b.categoriesPhrase(l, cs)
	}
	out := make([]string, 0, len(cs))
	for _, c := range cs {
		info, _ := c.Info()
		var mine []privacy.Field
		for _, f := range fs {
			if c.HasField(f) && !slices.Contains(mine, f) {
				mine = append(mine, f)
			}
		}
		switch {
		case len(mine) == 0:
			// The rule names this category but none of its fields: it
			// grants nothing of it.
		case len(mine) == len(info.Fields) && len(mine) == 1:
			out = append(out, l.category(c))
		case len(mine) == len(info.Fields):
			out = append(out, l.category(c)+" ("+l.and(l.fieldList(mine))+")")
		default:
			out = append(out, l.category(c)+l.t(" (alleen ", " (only ")+l.and(l.fieldList(mine))+")")
		}
	}
	return l.joinNames(out)
}

// what lists the fields of cs, or their categories when no field limit
// applies and they have no fields of their own.
func (b *builder) what(cs []privacy.Category, fs []privacy.Field) string {
	l := b.l
	if len(fs) > 0 {
		return l.and(l.fieldList(fs))
	}
	var out []string
	for _, c := range cs {
		info, _ := c.Info()
		if len(info.Fields) > 1 {
			out = append(out, l.fieldList(info.Fields)...)
		} else {
			out = append(out, l.category(c))
		}
	}
	return l.and(out)
}

func (b *builder) purposes() section {
	l, p := b.l, b.p
	s := section{Level: 2, Title: l.t("Waarvoor wij de gegevens gebruiken", "Why we use the data")}
	s.Blocks = append(s.Blocks, para(l.t("Wij verwerken uw gegevens alleen voor deze doelen; voor een ander doel worden zij niet gebruikt:",
		"We process your data only for these purposes; it is not used for any other:"), ""))
	var items []item
	for _, pr := range p.Purposes {
		text := upper(l.purpose(pr.Purpose)) + l.t(", in ", ", in ") + l.caseKinds(pr.CaseKinds) + "."
		if !pr.Basis.IsZero() {
			// GDPR art. 13(1)(c): the legal basis of each purpose.
			text += l.t(" Grondslag: ", " Legal basis: ") + sentence(b.text(pr.Basis))
		}
		items = append(items, item{text, b.c.ids(pr.Rule)})
	}
	s.Blocks = append(s.Blocks, list(items...))
	if b.conds[privacy.CondContractInForce] {
		med := ""
		if b.processes(privacy.CategoryMedical) {
			med = l.t(", medische gegevens inbegrepen,", ", medical data included,")
		}
		s.Blocks = append(s.Blocks, para(l.t(
			"Wij verwerken persoonsgegevens"+med+" alleen om de taken uit te voeren die uw werkgever of een andere opdrachtgever ons op grond van een overeenkomst opdraagt, en binnen de kaders van de wet. Loopt er geen overeenkomst (meer), dan wordt de verwerking geweigerd.",
			"We process personal data"+med+" only to carry out the tasks your employer or another commissioning party assigns to us under a contract, and within the law. Without a contract in force, processing is refused."),
			b.c.ids(privacy.O2)))
	}
	return s
}

func (b *builder) access() section {
	l := b.l
	s := section{Level: 2, Title: l.t("Wie uw gegevens ziet", "Who sees your data")}
	s.Blocks = append(s.Blocks, para(l.t(
		"Niemand ziet uw gegevens, tenzij een van de regels hieronder het toestaat. Medewerkers hebben alleen toegang voor zover dat voor hun functie relevant is, via een autorisatie die daarop is afgestemd. Elke inzage, toegestaan of geweigerd, wordt vastgelegd in een logboek.",
		"No one sees your data unless one of the rules below allows it. Staff have access only as far as their function needs, through an authorisation that matches it. Every access, allowed or refused, is recorded in a log."),
		b.c.ids(privacy.O4, privacy.G7)))
	if b.contractEverywhere {
		s.Blocks = append(s.Blocks, para(l.t(
			"Voor iedereen behalve uzelf geldt bovendien: alleen zolang de overeenkomst met uw werkgever of opdrachtgever van kracht is.",
			"For everyone but you, moreover: only while the contract with your employer or commissioning party is in force."),
			b.c.ids(privacy.O2)))
	}
	if b.conds[privacy.CondSecrecy] || b.conds[privacy.CondProfessionalSecrecy] {
		text := l.t("Gegevens over uw gezondheid ziet alleen wie aan geheimhouding is gebonden: door een beroepsgeheim of door een geheimhoudingsovereenkomst.",
			"Data about your health is seen only by people bound to secrecy: by professional secrecy or by a confidentiality agreement.")
		if b.conds[privacy.CondProfessionalSecrecy] {
			text = l.t("Gegevens over uw gezondheid ziet alleen wie aan geheimhouding is gebonden: door een beroepsgeheim, zoals de bedrijfsarts, of door een geheimhoudingsovereenkomst.",
				"Data about your health is seen only by people bound to secrecy: by professional secrecy, as the company doctor is, or by a confidentiality agreement.")
		}
		s.Blocks = append(s.Blocks, para(text, b.c.ids(privacy.N4, privacy.G8)))
	}
	for _, r := range b.roles {
		s.Subs = append(s.Subs, b.role(r))
	}
	return s
}

// accessItem writes one access rule as a list item: the actions, the
// categories and fields, the kinds of case, the conditions.
func (b *builder) accessItem(a privacy.AccessRule) item {
	l := b.l
	var text string
	if a.Effect == privacy.Allow {
		text = upper(l.and(l.verbs(a.Actions)))
	} else {
		text = l.t("Nooit ", "Never ") + l.or(l.verbs(a.Actions))
	}
	text += ": " + b.scoped(a.Categories, a.Fields)
	var qual []string
	if len(a.CaseKinds) > 0 {
		qual = append(qual, l.t("in ", "in ")+l.caseKinds(a.CaseKinds))
	}
	if cs := b.shownConditions(a.Requires); len(cs) > 0 {
		if a.Effect == privacy.Allow {
			qual = append(qual, l.t("mits ", "provided ")+l.conditions(cs))
		} else {
			qual = append(qual, l.t("wanneer ", "when ")+l.conditions(cs))
		}
	}
	if len(qual) > 0 {
		text += " — " + strings.Join(qual, ", ")
	}
	return item{sentence(text), b.c.ids(a.Rule)}
}

func (b *builder) role(r privacy.Role) section {
	l := b.l
	s := section{Level: 3, Title: l.roleHeading(r)}
	allow, deny := b.rulesOf(r)

	// What the role is, where the rules make it so.
	switch r {
	case privacy.RoleSupportStaff:
		s.Blocks = append(s.Blocks, para(l.t(
			"Andere medewerkers hebben alleen toegang voor zover dat nodig is om de dienstverlening uit te voeren, en nooit tot de inhoud van uw dossier.",
			"Other staff have access only as far as they need it to deliver the service, and never to the content of your case."),
			b.c.ids(firstRule(allow, privacy.R8))))
	case privacy.RolePhysician:
		if b.allows(r, privacy.ActionRead, privacy.CategoryMedical) {
			s.Blocks = append(s.Blocks, para(l.t(
				"Medische gegevens worden alleen verwerkt door bevoegde, geautoriseerde bedrijfsartsen die in onze opdracht werken en gebonden zijn aan het medisch beroepsgeheim. Zij leggen ze apart vast, in een medisch dossier.",
				"Medical data is processed only by competent, authorised company doctors who work for us and are bound by medical professional secrecy. They keep it apart, in a medical file."),
				b.c.ids(ruleFor(allow, privacy.CategoryMedical, privacy.O6), privacy.G8)))
		}
	case privacy.RoleAdministrator:
		s.Blocks = append(s.Blocks, para(l.t(
			"De applicatiebeheerder beheert de gebruikersnamen en wachtwoorden waarmee medewerkers inloggen, en ziet zelf geen inhoud van dossiers en nooit medische gegevens.",
			"The application administrator manages the user names and passwords staff sign in with, and sees no case content and never medical data."),
			b.c.ids(firstRule(deny, privacy.R12), privacy.N6)))
	}
	if r.Staff() && len(allow) > 0 && !slices.ContainsFunc(allow, func(a privacy.AccessRule) bool { return !slices.Contains(a.Requires, privacy.CondAssigned) }) {
		s.Blocks = append(s.Blocks, para(l.t(
			upper(l.roleSubject(r))+" heeft alleen toegang tot de dossiers waaraan hij of zij is toegewezen.",
			upper(l.roleSubject(r))+" has access only to the cases they are assigned to."),
			b.c.ids(allow[0].Rule)))
	}

	var items []item
	for _, a := range allow {
		items = append(items, b.accessItem(a))
	}
	for _, a := range deny {
		items = append(items, b.accessItem(a))
	}
	// The health data the role never sees.
	if r != privacy.RoleSubject && r != privacy.RolePhysician && len(allow) > 0 {
		var never []privacy.Category
		for _, c := range b.processed {
			if c.Health() && !b.allows(r, privacy.ActionRead, c) {
				never = append(never, c)
			}
		}
		if len(never) > 0 {
			items = append(items, item{sentence(l.t("Nooit inzien: ", "Never see: ") + l.catList(never)), b.c.ids(rulesOfCategories(never)...)})
		}
	}
	if len(items) > 0 {
		s.Blocks = append(s.Blocks, list(items...))
	}

	switch r {
	case privacy.RoleEmployerContact:
		s.Blocks = append(s.Blocks, b.employerExtras(allow)...)
	case privacy.RoleInsurer:
		s.Blocks = append(s.Blocks, para(l.t(
			"De verzuimverzekeraar krijgt nooit medische informatie, spreekuurverslagen of een kopie van het plan van aanpak, ook niet met uw toestemming.",
			"The absence insurer never receives medical information, consultation reports or a copy of the plan of action, not even with your consent."),
			b.c.ids(append(ruleIDs(allow), privacy.N3)...)))
	case privacy.RoleSubject:
		if b.processes(privacy.CategoryMedical) && !b.allows(r, privacy.ActionRead, privacy.CategoryMedical) {
			s.Blocks = append(s.Blocks, para(l.t(
				"Uw medische gegevens krijgt u via de bedrijfsarts, voor zover de wet dat toestaat.",
				"You receive your medical data through the company doctor, as far as the law allows."),
				b.c.ids(firstRule(allow, privacy.O13), privacy.O6)))
		}
	}
	return s
}

func (b *builder) employerExtras(allow []privacy.AccessRule) []block {
	l := b.l
	var out []block
	for _, a := range allow {
		if slices.Contains(a.Actions, privacy.ActionWrite) && slices.Contains(a.Categories, privacy.CategoryAbsenceFacts) {
			out = append(out, para(l.t(
				"Bij uw ziekmelding legt uw werkgever alleen de feiten hierboven vast, en nooit een diagnose, klachten, behandelingen, medische afspraken, eigen waarnemingen over uw gezondheid of een zelf bepaald arbeidsongeschiktheidspercentage, ook niet met uw toestemming.",
				"At your sick report your employer records only the facts above, and never a diagnosis, complaints, therapies, medical appointments, its own observations about your health or an incapacity percentage it set itself, not even with your consent."),
				b.c.ids(a.Rule)))
			break
		}
	}
	// Rule O10: confidential kinds of case are invisible to the employer
	// unless a rule that reaches them requires the subject's consent.
	var confidential []privacy.CaseKind
	for _, k := range privacy.CaseKinds() {
		if k.Confidential() && b.caseKindProcessed(k) {
			confidential = append(confidential, k)
		}
	}
	if len(confidential) > 0 {
		rule, open := privacy.O10, false
		for _, a := range allow {
			reaches := len(a.CaseKinds) == 0 || slices.ContainsFunc(a.CaseKinds, privacy.CaseKind.Confidential)
			if !reaches {
				continue
			}
			if slices.Contains(a.Requires, privacy.CondConsent) {
				rule = a.Rule
			} else {
				open = true
			}
		}
		if !open {
			out = append(out, para(l.t(
				"Zonder uw toestemming hoort uw werkgever niet eens dát u het arbeidsomstandighedenspreekuur hebt bezocht of vrijwillig aan een periodiek onderzoek hebt deelgenomen. U mag de bedrijfsarts op het spreekuur bezoeken zonder toestemming van uw werkgever.",
				"Without your approval your employer does not even learn that you visited the occupational-health consultation hour or took part in a voluntary periodic examination. You may see the company doctor at the consultation hour without your employer's permission."),
				b.c.ids(rule, privacy.N12)))
		}
	}
	if b.caseKindProcessed(privacy.CasePeriodicExam) {
		out = append(out, para(l.t(
			"Over periodieke onderzoeken krijgt uw werkgever alleen geanonimiseerde groepscijfers, en alleen over groepen van ten minste "+strconv.Itoa(b.p.MinGroupSize)+" personen; uw eigen uitslagen krijgt alleen u. "+
				"Wij houden bij over welke groepen uw werkgever cijfers kreeg (de groepsgeschiedenis), zodat geen later cijfer u door vergelijking kan aanwijzen; worden uw stamgegevens verwijderd, dan vervangen wij uw ID daarin door een willekeurig kenmerk dat niemand aanwijst.",
			"Of periodic examinations your employer receives only anonymised group figures, and only for groups of at least "+strconv.Itoa(b.p.MinGroupSize)+" people; your own results go to you alone. "+
				"We keep track of which groups your employer received figures about (the group history), so that no later figure can single you out by comparison; when your master data is removed, we replace your ID there by a random token that names no one."),
			b.c.ids(privacy.N12)))
	}
	return out
}

// joinCites merges two citations into one: "(R6, O14)" and "(O14, N10)"
// make "(R6, O14, N10)".
func joinCites(a, b string) string {
	switch {
	case a == "":
		return b
	case b == "":
		return a
	}
	seen := strings.Split(strings.Trim(a, "()"), ", ")
	for _, id := range strings.Split(strings.Trim(b, "()"), ", ") {
		if !slices.Contains(seen, id) {
			seen = append(seen, id)
		}
	}
	return "(" + strings.Join(seen, ", ") + ")"
}

func firstRule(rs []privacy.AccessRule, fallback privacy.RuleID) privacy.RuleID {
	if len(rs) > 0 {
		return rs[0].Rule
	}
	return fallback
}

func ruleFor(rs []privacy.AccessRule, c privacy.Category, fallback privacy.RuleID) privacy.RuleID {
	for _, a := range rs {
		if slices.Contains(a.Categories, c) {
			return a.Rule
		}
	}
	return fallback
}

func ruleIDs(rs []privacy.AccessRule) []privacy.RuleID {
	out := make([]privacy.RuleID, len(rs))
	for i, a := range rs {
		out[i] = a.Rule
	}
	return out
}

func (b *builder) disclosures() section {
	l, p := b.l, b.p
	s := section{Level: 2, Title: l.t("Aan wie wij gegevens verstrekken", "Who receives your data")}
	var consentRules []privacy.RuleID
	var withConsent, without []item
	for _, d := range p.Disclosures {
		it := b.disclosureItem(d)
		if d.Basis == privacy.BasisNone {
			without = append(without, it)
		} else {
			withConsent = append(withConsent, it)
			consentRules = append(consentRules, d.Rule)
		}
	}
	var lawRules []privacy.RuleID
	var byLaw []item
	for _, lb := range p.LegalBases {
		var cats []privacy.Category
		for _, c := range lb.Categories {
			if b.processes(c) {
				cats = append(cats, c)
			}
		}
		if len(cats) == 0 {
			continue
		}
		rec := make([]string, len(lb.Recipients))
		for i, k := range lb.Recipients {
			rec[i] = l.party(k)
		}
		byLaw = append(byLaw, item{sentence(clean(lb.Citation) + l.t(" — aan ", " — to ") + l.and(rec) + ": " + l.catList(cats)), b.c.ids(lb.Rule)})
		lawRules = append(lawRules, lb.Rule)
	}
	s.Blocks = append(s.Blocks, para(l.t(
		"Wij verstrekken geen gegevens aan anderen, tenzij u daarvoor uitdrukkelijk toestemming hebt gegeven of een wettelijke bepaling dat voorschrijft. Elke verstrekking wordt vastgelegd.",
		"We give no data to anyone else unless you explicitly consented or a statutory provision requires it. Every disclosure is recorded."),
		joinCites(b.c.reg(privacy.R6, privacy.O14), b.c.ids(slices.Concat(consentRules, lawRules)...))))
	if len(withConsent) > 0 {
		s.Subs = append(s.Subs, section{Level: 3, Title: l.t("Met uw toestemming", "With your consent"), Blocks: []block{list(withConsent...)}})
	}
	if len(without) > 0 {
		s.Subs = append(s.Subs, section{Level: 3, Title: l.t("Zonder dat uw toestemming nodig is", "Without your consent being needed"), Blocks: []block{list(without...)}})
	}
	if len(byLaw) > 0 {
		s.Subs = append(s.Subs, section{Level: 3, Title: l.t("Op grond van de wet", "Required by law"), Blocks: []block{
			para(l.t("Deze verstrekkingen schrijft de wet voor; uw toestemming is er niet voor nodig:", "The law requires these disclosures; they need no consent:"), ""),
			list(byLaw...)}})
	}
	var never []block
	if b.processes(privacy.CategoryAbsenceReason) {
		never = append(never, para(l.t(
			"De reden van uw ziekmelding is alleen voor intern gebruik: wij verstrekken die aan niemand, ook niet aan uw werkgever.",
			"The reason for your sick report is for internal use only: we give it to no one, your employer included."),
			b.c.ids(privacy.O9)))
	}
	if b.processes(privacy.CategoryNationalID) {
		never = append(never, para(l.t(
			"Uw burgerservicenummer (BSN) gebruiken en verstrekken wij alleen waar een wet dat toestaat; uw toestemming kan dat niet vervangen.",
			"We use and disclose your citizen service number (BSN) only where a statute allows it; your consent cannot replace that."),
			b.c.ids(privacy.N5)))
	}
	if b.processes(privacy.CategoryMedical) {
		never = append(never, para(l.t(
			"Medische gegevens delen wij alleen met uw schriftelijke machtiging, of waar een wet dat voorschrijft.",
			"We share medical data only with your written authorisation, or where a statute requires it."),
			b.c.ids(privacy.O6)))
	}
	never = append(never, para(l.t(
		"Wij geven geen persoonsgegevens door naar landen buiten de Europese Economische Ruimte.",
		"We transfer no personal data to countries outside the European Economic Area."), ""))
	s.Subs = append(s.Subs, section{Level: 3, Title: l.t("Wat wij nooit verstrekken", "What we never give"), Blocks: never})
	return s
}

func (b *builder) disclosureItem(d privacy.DisclosureRule) item {
	l := b.l
	text := upper(l.t("aan ", "to ")) + l.party(d.Recipient) + ": " + b.scoped(d.Categories, d.Fields)
	if len(d.From) > 0 {
		from := make([]string, len(d.From))
		for i, r := range d.From {
			from[i] = l.roleSubject(r)
		}
		text += l.t(" — door ", " — by ") + l.or(from) + ", " + l.basis(d.Basis)
	} else {
		text += " — " + l.basis(d.Basis)
	}
	if d.NotifySubject {
		text += l.t("; u krijgt dezelfde tekst tegelijk en schriftelijk", "; you receive the same text, in writing, at the same time")
	}
	return item{sentence(text), b.c.ids(d.Rule)}
}

// retentionScope writes which records a retention rule covers. The kinds
// of case are left to the trigger when it names the one kind ("na de
// afsluiting van het re-integratietraject").
func (b *builder) retentionScope(r privacy.RetentionRule) string {
	text, kinds := b.retentionParts(r)
	if kinds != "" {
		text += ", " + kinds
	}
	return text
}

func (b *builder) retentionParts(r privacy.RetentionRule) (cats, kinds string) {
	l := b.l
	cats = b.categoriesPhrase(l, r.Categories)
	if len(r.CaseKinds) > 1 || (len(r.CaseKinds) == 1 && r.Trigger != privacy.TriggerCaseClosed) {
		kinds = l.t("in ", "in ") + l.caseKinds(r.CaseKinds)
	}
	return cats, kinds
}

func (b *builder) retentionItem(r privacy.RetentionRule) item {
	l := b.l
	text := upper(b.retentionScope(r)) + ": " + l.period(r.Period) + l.t(" na ", " after ") + l.from(r)
	switch {
	case r.Statutory:
		text += l.t(" — wettelijke bewaarplicht: ", " — statutory retention duty: ") + clean(r.Citation) +
			l.t("; een verzoek om verwijdering maakt deze termijn niet korter", "; a request for erasure does not shorten it")
	case r.Citation != "":
		text += l.t(" — bron: ", " — source: ") + clean(r.Citation)
	}
	return item{sentence(text), b.c.ids(r.Rule)}
}

func (b *builder) retention() section {
	l, p := b.l, b.p
	s := section{Level: 2, Title: l.t("Hoe lang wij gegevens bewaren", "How long we keep data")}
	s.Blocks = append(s.Blocks, para(l.t(
		"Wij bewaren uw gegevens niet langer dan nodig is voor de uitvoering van de overeenkomst, en houden ons aan de wettelijke bewaartermijnen:",
		"We keep your data no longer than the contract needs, and we respect the statutory retention periods:"), ""))
	items := make([]item, 0, len(p.Retention)+len(p.Data)+1)
	statutory := []privacy.RuleID{}
	for _, r := range p.Retention {
		items = append(items, b.retentionItem(r))
		if r.Statutory {
			statutory = append(statutory, r.Rule)
		}
	}
	// Rules R9, O12 (GDPR art. 13(2)(a)): the other stored data, each
	// kind by its own rule.
	for _, r := range p.Data {
		items = append(items, b.dataItem(r))
	}
	items = append(items, item{sentence(l.t("Het logboek van wie uw gegevens heeft ingezien of gewijzigd: ", "The log of who saw or changed your data: ") +
		l.period(p.AuditRetention.Period) + citeSuffix(l, p.AuditRetention.Citation)), b.c.ids(p.AuditRetention.Rule)})
	s.Blocks = append(s.Blocks, list(items...))
	// Rules R9, O12 (issue 14 §1): a case left open ends, for these
	// periods, at the last thing recorded in it (retention.CaseEnded);
	// cited by the rule that keeps the policy's case rows.
	// With nothing recorded, at its opening. Rules N7, G3: a statutory
	// period from the closing runs, for an open case, from no earlier
	// than the data's recording (retention.Engine.Schedule).
	var floors []privacy.RuleID
	for _, r := range p.Retention {
		if r.Statutory && r.Trigger == privacy.TriggerCaseClosed {
			floors = append(floors, r.Rule)
		}
	}
	for _, r := range p.Data {
		if r.Kind == privacy.DataCase {
			text := l.t(
				"Een dossier dat open blijft terwijl er niets meer in wordt vastgelegd of gecorrigeerd, geldt voor deze termijnen als afgesloten op de dag van het laatste dat erin werd vastgelegd of gecorrigeerd (is er niets in vastgelegd, de dag van de opening); een verzuimdossier in opdracht van uw werkgever geldt als afgesloten op de dag dat uw dienstverband eindigde, als dat eerder was.",
				"A case that stays open while nothing more is recorded or corrected in it counts, for these periods, as closed on the day of the last thing recorded or corrected in it (with nothing recorded, the day it opened); an absence case your employer commissioned counts as closed on the day your employment ended, if that came first.")
			if len(floors) > 0 {
				text += l.t(
					" Voor een wettelijke bewaartermijn geldt een open dossier nooit als afgesloten vóór de dag waarop de gegevens werden vastgelegd.",
					" For a statutory retention period, an open case never counts as closed before the day the data was recorded.")
			}
			s.Blocks = append(s.Blocks, para(text, b.c.ids(append([]privacy.RuleID{r.Rule}, floors...)...)))
			break
		}
	}
	s.Blocks = append(s.Blocks, para(l.t(
		"Vraagt u ons uw gegevens eerder te verwijderen, dan doen wij dat, tenzij de wet zich daartegen verzet: gegevens met een wettelijke bewaarplicht, en gegevens die nodig zijn voor een rechtsvordering, blijven bewaard zolang dat moet.",
		"If you ask us to erase your data earlier, we do so unless the law forbids it: data under a statutory retention duty, and data needed for legal claims, is kept as long as it must be."),
		b.c.ids(append(statutory, privacy.G3)...)))
	return s
}

// dataItem gives the retention of one kind of stored data besides records
// (a rule of Policy.Data): the kind, the period (none fixed when the rule
// keeps it only while what it is about is kept), the rule's reason and its
// citation.
func (b *builder) dataItem(r privacy.DataRule) item {
	l := b.l
	period := l.t("geen vaste termijn", "no fixed period")
	if !r.Period.IsZero() {
		period = l.period(r.Period)
	}
	text := upper(l.dataKind(r.Kind)) + " (" + period + "): " + b.text(r.ReasonText())
	if r.Statutory {
		text += l.t(" — wettelijke bewaarplicht: ", " — statutory retention duty: ") + clean(r.Citation)
	} else {
		text += citeSuffix(l, r.Citation)
	}
	return item{sentence(text), b.c.ids(r.Rule)}
}

func citeSuffix(l lang, citation string) string {
	if citation == "" {
		return ""
	}
	return l.t(" — bron: ", " — source: ") + clean(citation)
}

func (b *builder) rights() section {
	l, p := b.l, b.p
	s := section{Level: 2, Title: l.t("Uw rechten", "Your rights")}
	r := p.Requests
	written := len(r.WrittenBy) > 0
	subjectAllow, _ := b.rulesOf(privacy.RoleSubject)

	// Inspection and copy (R11, O13, G1).
	text := l.t("U hebt recht op inzage in en een afschrift van al uw gegevens", "You have the right to inspect and receive a copy of all your data")
	if b.processes(privacy.CategoryMedical) {
		text += l.t(", ook van uw medische gegevens voor zover de wet dat toestaat (die krijgt u via de bedrijfsarts)", ", your medical data included as far as the law allows (you receive it through the company doctor)")
	}
	text += "."
	if written {
		text += l.t(" Dien daarvoor een schriftelijk verzoek in.", " Make your request in writing.")
	}
	s.Blocks = append(s.Blocks, para(text, b.c.ids(slices.Concat(ruleIDs(subjectAllow), r.WrittenBy)...)))

	// Deadlines: the earliest applies; the others are named after it.
	answers := slices.Clone(r.Answer)
	slices.SortStableFunc(answers, func(a, b privacy.Deadline) int { return days(a.Period) - days(b.Period) })
	if len(answers) > 0 {
		first := answers[0].Period
		var firstRules, laterRules []privacy.RuleID
		var later privacy.Period
		for _, d := range answers {
			if d.Period == first {
				firstRules = append(firstRules, d.Rule)
			} else if later.IsZero() || d.Period == later {
				later = d.Period
				laterRules = append(laterRules, d.Rule)
			}
		}
		s.Blocks = append(s.Blocks, para(l.t("Wij voldoen aan uw verzoek binnen "+l.period(first)+".", "We grant your request within "+l.period(first)+"."), b.c.ids(firstRules...)))
		if !later.IsZero() {
			s.Blocks = append(s.Blocks, para(l.t("In elk geval binnen "+l.period(later)+", zoals de wet vraagt.", "In any case within "+l.period(later)+", as the law requires."), b.c.ids(laterRules...)))
		}
	}
	if e := r.Extension; e != nil {
		s.Blocks = append(s.Blocks, para(l.t(
			"Lukt dat door overmacht, of door de omvang of ingewikkeldheid van uw verzoek, niet, dan kunnen wij de termijn met ten hoogste "+l.period(e.Period)+" verlengen. Dat laten wij u binnen de eerste termijn weten, met de redenen.",
			"If force majeure, or the size or complexity of your request, prevents that, we may extend the period by at most "+l.period(e.Period)+". We tell you so within the first period, with our reasons."),
			b.c.ids(e.Rule)))
	} else if slices.ContainsFunc(r.Answer, func(d privacy.Deadline) bool { return d.Rule == privacy.R11 }) {
		// Rule R11: regulation R's four weeks are not extended (the
		// stricter rule wins over G2's two further months).
		s.Blocks = append(s.Blocks, para(l.t(
			"Wij verlengen deze termijn niet, ook niet bij overmacht of een omvangrijk verzoek.",
			"We do not extend this period, not even for force majeure or a large request."),
			b.c.ids(privacy.R11)))
	}
	free := l.t("Het eerste afschrift is gratis", "The first copy is free of charge")
	if r.FreeCopies > 1 {
		free = l.t("De eerste "+strconv.Itoa(r.FreeCopies)+" afschriften zijn gratis", "The first "+strconv.Itoa(r.FreeCopies)+" copies are free of charge")
	}
	if b.processes(privacy.CategoryMedical) {
		free += l.t(", ook van uw medisch dossier", ", your medical file included")
	}
	free += l.t(". Voor verdere afschriften kunnen wij een redelijke vergoeding vragen.", ". For further copies we may ask a reasonable fee.")
	s.Blocks = append(s.Blocks, para(free, b.c.ids(privacy.N11)))
	s.Blocks = append(s.Blocks, para(l.t(
		"Bij uw gegevens vermelden wij de doelen, de soorten gegevens, de ontvangers, de bewaartermijnen, uw rechten, waar de gegevens vandaan komen, en wie uw gegevens heeft ingezien.",
		"With your data we state the purposes, the kinds of data, the recipients, the retention periods, your rights, where the data came from, and who accessed your data."),
		b.c.ids(privacy.G1, privacy.N9)))
	s.Blocks = append(s.Blocks, para(l.t(
		"U kunt uw gegevens ook krijgen in een gestructureerde, gangbare en machineleesbare vorm (JSON), om ze aan een ander over te dragen.",
		"You may also receive your data in a structured, commonly used and machine-readable form (JSON), to pass it on to someone else."),
		b.c.ids(privacy.G5)))

	// Correction and deletion (O13).
	how := l.t("met onderbouwing", "with reasons")
	if written {
		how = l.t("schriftelijk en met onderbouwing", "in writing and with reasons")
	}
	s.Blocks = append(s.Blocks, para(l.t(
		"U kunt "+how+" vragen om correctie of verwijdering van uw gegevens. Wij doen dat, tenzij het verzoek ongegrond of buitenproportioneel is, of in strijd met de wet of met het doel waarvoor de gegevens zijn vastgelegd. Ons besluit en de reden ervan leggen wij vast; weigeren wij, dan zeggen wij waarom en wijzen wij u op uw recht om te klagen.",
		"You may ask "+how+" for your data to be corrected or erased. We do so unless the request is unfounded or disproportionate, or against the law or the purpose for which the data was recorded. We record our decision and its reason; if we refuse, we tell you why and point out your right to complain."),
		b.c.ids(slices.Concat(r.WrittenBy, []privacy.RuleID{privacy.O13, privacy.G2})...)))
	s.Blocks = append(s.Blocks, para(l.t(
		"Hebben wij uw gegevens aan anderen verstrekt, dan laten wij hun weten dat ze zijn gecorrigeerd of verwijderd.",
		"If we gave your data to others, we tell them it was corrected or erased."),
		b.c.ids(privacy.G4)))
	if e := r.MedicalErasure; e != nil {
		s.Blocks = append(s.Blocks, para(l.t(
			"Vraagt u ons uw medisch dossier te vernietigen, dan doen wij dat binnen "+l.period(e.Period)+", tenzij het bewaren van aanmerkelijk belang is voor een ander of de wet zich ertegen verzet.",
			"If you ask us to destroy your medical file, we do so within "+l.period(e.Period)+", unless keeping it matters substantially to someone else or the law forbids it."),
			b.c.ids(e.Rule)))
	}
	s.Blocks = append(s.Blocks, para(l.t(
		"Daarnaast kunt u vragen de verwerking te beperken, en bezwaar maken tegen de verwerking (AVG art. 18 en 21).",
		"You may also ask us to restrict the processing, and object to it (GDPR art. 18 and 21)."), b.c.ids(privacy.G1)))
	if rules := b.consentRules(); len(rules) > 0 {
		// GDPR art. 7(3), 13(2)(c): consent may be withdrawn at any time.
		s.Blocks = append(s.Blocks, para(l.t(
			"Rust een verstrekking of inzage op uw toestemming, dan kunt u die toestemming op elk moment intrekken, net zo eenvoudig als u haar gaf. Vanaf dat moment gebeurt het niet meer; wat eerder met uw toestemming gebeurde, blijft rechtmatig (AVG art. 7 lid 3).",
			"Where a disclosure or access rests on your consent, you may withdraw that consent at any time, as easily as you gave it. From then on it no longer happens; what happened earlier with your consent remains lawful (GDPR art. 7(3))."),
			b.c.ids(rules...)))
	}
	// GDPR art. 13(2)(f): automated decision-making.
	s.Blocks = append(s.Blocks, para(l.t(
		"Wij nemen geen besluiten over u die uitsluitend berusten op geautomatiseerde verwerking, profilering daaronder begrepen (AVG art. 22): er vindt geen geautomatiseerde besluitvorming plaats.",
		"We take no decisions about you based solely on automated processing, profiling included (GDPR art. 22): no automated decision-making takes place."),
		b.c.ids(privacy.G1)))
	return s
}

// consentRules returns the rules under which something rests on the
// subject's consent: disclosure rules on consent, and access rules that
// require it.
func (b *builder) consentRules() []privacy.RuleID {
	var out []privacy.RuleID
	for _, d := range b.p.Disclosures {
		if d.Basis == privacy.BasisConsent || d.Basis == privacy.BasisWrittenConsent {
			out = append(out, d.Rule)
		}
	}
	for _, a := range b.p.Access {
		if a.Effect == privacy.Allow && slices.Contains(a.Requires, privacy.CondConsent) {
			out = append(out, a.Rule)
		}
	}
	return out
}

func (b *builder) security() section {
	l, p := b.l, b.p
	s := section{Level: 2, Title: l.t("Beveiliging", "Security")}
	_, adminDeny := b.rulesOf(privacy.RoleAdministrator)
	s.Blocks = append(s.Blocks, para(l.t(
		"Wij gaan zorgvuldig met uw gegevens om en beveiligen ze passend. Ons systeem is alleen toegankelijk voor wie inlogt met een eigen gebruikersnaam en wachtwoord; de applicatiebeheerder beheert deze accounts en ziet zelf geen inhoud van dossiers.",
		"We handle your data with care and secure it appropriately. Our system is reachable only by people who sign in with their own user name and password; the application administrator manages these accounts and sees no case content."),
		b.c.ids(firstRule(adminDeny, privacy.R12))))
	if b.conds[privacy.CondMultiFactor] {
		s.Blocks = append(s.Blocks, para(l.t(
			"Medische gegevens zijn alleen toegankelijk na inloggen met meer dan één factor (meervoudige authenticatie), en nooit voor de applicatiebeheerder.",
			"Medical data is reachable only after signing in with more than one factor (multi-factor authentication), and never by the application administrator."),
			b.c.ids(privacy.N6)))
	}
	if b.processes(privacy.CategoryMedical) {
		s.Blocks = append(s.Blocks, para(l.t(
			"Medische gegevens staan apart van de rest van uw dossier, in een medisch dossier dat alleen voor bevoegde, geautoriseerde bedrijfsartsen toegankelijk is.",
			"Medical data is kept apart from the rest of your case, in a medical file that only competent, authorised company doctors can reach."),
			b.c.ids(privacy.O6, privacy.G8)))
	}
	s.Blocks = append(s.Blocks, para(l.t(
		"Elke inzage en wijziging, toegestaan of geweigerd, wordt vastgelegd in een logboek dat niet ongemerkt kan worden veranderd: wie, in welke rol, wat, van wie, wanneer, vanwaar en waarom. Het logboek wordt "+l.period(p.AuditRetention.Period)+" bewaard.",
		"Every access and change, allowed or refused, is recorded in a log that cannot be altered unnoticed: who, in which role, what, of whom, when, from where and why. The log is kept "+l.period(p.AuditRetention.Period)+"."),
		b.c.ids(privacy.G7, p.AuditRetention.Rule)))
	if slices.Contains(p.Regulations, "R") {
		// Regulation R also speaks of paper files (R12): a measure the
		// service takes, stated because the policy implements R.
		s.Blocks = append(s.Blocks, para(l.t(
			"Een papieren dossier wordt aan het eind van de dag opgeborgen in een dossierkast die iedere werkdag op slot gaat.",
			"A paper file is put away at the end of the day in a filing cabinet that is locked every working day."),
			b.c.ids(privacy.R12)))
	}
	return s
}

func (b *builder) complaints() section {
	l := b.l
	return section{Level: 2, Title: l.t("Klachten", "Complaints"), Blocks: []block{
		para(l.t(
			"Hebt u een klacht over de manier waarop wij met uw persoonsgegevens omgaan, of over de uitvoering van deze verklaring, dan kunt u die indienen volgens onze klachtenregeling.",
			"If you have a complaint about the way we handle your personal data, or about how this statement is carried out, you can file it under our complaints procedure."),
			b.c.reg(privacy.R10, privacy.O15)),
		para(l.t(
			"U kunt zich ook wenden tot de Autoriteit Persoonsgegevens, de toezichthouder op de naleving van de AVG: autoriteitpersoonsgegevens.nl.",
			"You may also turn to the Autoriteit Persoonsgegevens, the Dutch supervisory authority for the GDPR: autoriteitpersoonsgegevens.nl."),
			b.c.reg(privacy.O15, privacy.R13)),
	}}
}
