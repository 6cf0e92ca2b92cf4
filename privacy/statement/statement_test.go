package statement_test

import (
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/dossierwacht/dossierwacht/privacy"
	"github.com/dossierwacht/dossierwacht/privacy/statement"
)

// regR and regO map each rule of the two regulations to phrases its
// Dutch statement must hold, so that a person who knows the regulation
// recognises it (the seeds in shared/seeds).
var regR = []struct {
	rule    privacy.RuleID
	phrases []string
}{
	{privacy.R1, []string{"welke persoonsgegevens wij verwerken", "waarom", "wat er met de gegevens gebeurt", "welke rechten u hebt"}},
	{privacy.R2, []string{"naam", "adres", "woonplaats", "geslacht", "geboortedatum", "burgerservicenummer", "telefoonnummer", "nationaliteit", "Uitkeringsgegevens", "Opleiding, diploma's en werkervaring", "gemeente, het UWV of uw werkgever", "bij de aanvang van een traject of ziekteperiode"}},
	{privacy.R3, []string{"in gesprekken", "deelname aan arbeid", "(medische) beperkingen", "voorkeur voor bepaalde arbeid"}},
	{privacy.R4, []string{"aangevuld met relevante gegevens"}},
	{privacy.R5, []string{"Het bevorderen van re-integratie", "Het terugdringen van verzuim"}},
	{privacy.R6, []string{"Wij verstrekken geen gegevens aan anderen, tenzij u daarvoor uitdrukkelijk toestemming hebt gegeven of een wettelijke bepaling dat voorschrijft"}},
	{privacy.R7, []string{"Arbeidsdeskundige, consulent", "alleen toegang tot de dossiers waaraan hij of zij is toegewezen"}},
	{privacy.R8, []string{"Andere medewerkers hebben alleen toegang voor zover dat nodig is om de dienstverlening uit te voeren", "geheimhouding"}},
	{privacy.R9, []string{"2 jaar na de afsluiting van het dossier", "7 jaar", "eerder te verwijderen", "tenzij de wet zich daartegen verzet"}},
	{privacy.R10, []string{"klacht", "klachtenregeling"}},
	{privacy.R11, []string{"inzage", "afschrift", "schriftelijk verzoek", "binnen 4 weken", "gratis"}},
	{privacy.R12, []string{"gebruikersnaam en wachtwoord", "applicatiebeheerder", "dossierkast", "op slot"}},
	{privacy.R13, []string{"Wet bescherming persoonsgegevens", "College bescherming persoonsgegevens", "AVG", "Autoriteit Persoonsgegevens"}},
}

var regO = []struct {
	rule    privacy.RuleID
	phrases []string
}{
	{privacy.O1, []string{"iedere verwerking van persoonsgegevens"}},
	{privacy.O2, []string{"medische gegevens inbegrepen", "op grond van een overeenkomst opdraagt", "binnen de kaders van de wet"}},
	{privacy.O3, []string{"geautomatiseerd systeem", "externe, beveiligde server", "verwerker", "de externe verwerker bij wie het dossiersysteem is ondergebracht", "afspraken"}},
	{privacy.O4, []string{"voor zover dat voor hun functie relevant is", "autorisatie"}},
	{privacy.O5, []string{"nooit gegevens over godsdienst, levensovertuiging, ras of etnische afkomst, politieke opvattingen, seksueel gedrag of seksuele gerichtheid"}},
	{privacy.O6, []string{"bedrijfsartsen", "medisch beroepsgeheim", "apart", "medisch dossier", "schriftelijke machtiging"}},
	{privacy.O7, []string{"zonder bij ons in dienst te zijn", "aparte overeenkomst"}},
	{privacy.O8, []string{"postcode", "geboortedatum", "Contactgegevens", "functie", "aard van het dienstverband", "bij de aanvang van de overeenkomst, bij wijzigingen, en bij de aanvang en het einde van uw dienstverband"}},
	{privacy.O9, []string{"eerste ziektedag", "mate van arbeidsongeschiktheid", "hersteldatum", "reden ziekmelding (alleen intern)", "door de werknemer verstrekte informatie", "rapportage deskundige", "notities"}},
	{privacy.O10, []string{"arbeidsomstandighedenspreekuur", "periodiek onderzoek", "Zonder uw toestemming hoort uw werkgever niet eens"}},
	{privacy.O11, []string{"Verzuimverzekeraar", "mate van arbeidsongeschiktheid", "nooit medische informatie"}},
	{privacy.O12, []string{"niet langer dan nodig is voor de uitvoering van de overeenkomst", "wettelijke bewaartermijnen"}},
	{privacy.O13, []string{"schriftelijk verzoek", "binnen een maand", "overmacht", "medische gegevens voor zover de wet dat toestaat", "correctie of verwijdering", "onderbouwing", "ongegrond of buitenproportioneel", "in strijd met de wet of met het doel"}},
	{privacy.O14, []string{"schriftelijke toestemming", "wettelijke bepaling"}},
	{privacy.O15, []string{"klachtenregeling", "Autoriteit Persoonsgegevens"}},
	{privacy.O16, []string{"25 mei 2018", "versie 1.0.0", "Wij mogen deze verklaring wijzigen", "de datum waarop zij ingaat"}},
}

// cited returns the rule IDs the text cites in its "(R9, G3)" marks.
func cited(text string) map[privacy.RuleID]bool {
	out := map[privacy.RuleID]bool{}
	for _, m := range citeRE.FindAllStringSubmatch(text, -1) {
		for _, id := range strings.Split(m[1], ", ") {
			out[privacy.RuleID(id)] = true
		}
	}
	return out
}

var citeRE = regexp.MustCompile(`\(((?:[RONG]\d{1,2})(?:, [RONG]\d{1,2})*)\)`)

// TestRuleCoverage checks that the Dutch statement of each ready policy
// covers every rule of the regulation it implements: the phrases a reader
// of the regulation recognises, and the rule's ID in a citation.
func TestRuleCoverage(t *testing.T) {
	for _, p := range ready() {
		text := render(t, p, nil)
		ids := cited(text)
		check := func(rule privacy.RuleID, phrases []string) {
			t.Run(p.Name+"/"+string(rule), func(t *testing.T) {
				for _, ph := range phrases {
					if !strings.Contains(text, ph) {
						t.Errorf("%s: the Dutch statement of %s lacks %q", rule, p.Name, ph)
					}
				}
				if !ids[rule] {
					t.Errorf("%s: the Dutch statement of %s never cites (%s)", rule, p.Name, rule)
				}
			})
		}
		if slices.Contains(p.Regulations, "R") {
			for _, r := range regR {
				check(r.rule, r.phrases)
			}
		}
		if slices.Contains(p.Regulations, "O") {
			for _, r := range regO {
				check(r.rule, r.phrases)
			}
		}
	}
}

// TestEveryRuleOfThePolicyIsCited checks that every rule the policy's data
// cites appears in its statement, and that the statement cites only rules
// of the catalog.
func TestEveryRuleOfThePolicyIsCited(t *testing.T) {
	for _, p := range ready() {
		for _, lang := range []statement.Language{statement.Dutch, statement.English} {
			t.Run(p.Name+"/"+string(lang), func(t *testing.T) {
				ids := cited(render(t, p, &statement.Options{Language: lang}))
				var want []privacy.RuleID
				for _, a := range p.Access {
					want = append(want, a.Rule)
				}
				for _, d := range p.Disclosures {
					want = append(want, d.Rule)
				}
				for _, l := range p.LegalBases {
					want = append(want, l.Rule)
				}
				for _, r := range p.Retention {
					want = append(want, r.Rule)
				}
				for _, r := range p.Purposes {
					want = append(want, r.Rule)
				}
				for _, d := range p.Requests.Answer {
					want = append(want, d.Rule)
				}
				want = append(want, p.AuditRetention.Rule, p.Requests.MedicalErasure.Rule)
				if p.Requests.Extension != nil {
					want = append(want, p.Requests.Extension.Rule)
				}
				for _, id := range want {
					if !ids[id] {
						t.Errorf("the statement never cites (%s), which the policy uses", id)
					}
				}
				for id := range ids {
					if !id.Known() {
						t.Errorf("the statement cites %s, not a rule of the catalog", id)
					}
				}
			})
		}
	}
}

// TestOmitRules checks that the rule IDs go when asked.
func TestOmitRules(t *testing.T) {
	for _, p := range ready() {
		if ids := cited(render(t, p, &statement.Options{OmitRules: true})); len(ids) != 0 {
			t.Errorf("%s with OmitRules cites %v", p.Name, ids)
		}
	}
}

// TestFollowsData changes a policy and checks that the statement changes
// with it: the text is made from the policy, not written per policy.
func TestFollowsData(t *testing.T) {
	tests := []struct {
		name      string
		base      func() *privacy.Policy
		change    func(*privacy.Policy)
		lang      statement.Language
		gone, has []string
	}{
		{"R9_retention_2_to_3_years", privacy.RegulationR, func(p *privacy.Policy) {
			retentionRule(p, privacy.R9, privacy.TriggerCaseClosed).Period = privacy.Years(3)
		}, statement.Dutch, []string{"2 jaar na de afsluiting van het dossier"}, []string{"3 jaar na de afsluiting van het dossier"}},
		{"N7_absence_retention_18_months", privacy.RegulationO, shortenAbsence, statement.English,
			[]string{"in absence cases and reintegration trajectories: 2 years after the end of the employment"},
			[]string{"in absence cases and reintegration trajectories: 18 months after the end of the employment"}},
		{"N7_exposure_examinations_added", privacy.RegulationO, func(p *privacy.Policy) {
			p.Retention = append(p.Retention, privacy.ExposureExamRetention())
		}, statement.Dutch, nil, []string{"40 jaar na het einde van het dienstverband (bij een cliënt van een gemeente of het UWV: de afsluiting van het dossier) — wettelijke bewaarplicht: Arbeidsomstandighedenbesluit art. 4.10c"}},
		{"O11_insurer_rules_dropped", privacy.RegulationO, func(p *privacy.Policy) {
			p.Access = slices.DeleteFunc(p.Access, func(a privacy.AccessRule) bool { return a.Rule == privacy.O11 })
			p.Disclosures = slices.DeleteFunc(p.Disclosures, func(d privacy.DisclosureRule) bool { return d.Rule == privacy.O11 })
		}, statement.Dutch, []string{"### Verzuimverzekeraar", "Aan de verzuimverzekeraar", "(O11)"}, nil},
		{"O11_insurer_loses_recovery_date", privacy.RegulationO, removeRecovery, statement.Dutch,
			[]string{"verzuimgegevens (alleen eerste ziektedag, hersteldatum en mate van arbeidsongeschiktheid) — in verzuimdossiers, mits verzekeraar"},
			[]string{"verzuimgegevens (alleen eerste ziektedag en mate van arbeidsongeschiktheid) — in verzuimdossiers, mits verzekeraar"}},
		{"R11_deadline_3_weeks", privacy.RegulationR, func(p *privacy.Policy) { p.Requests.Answer[0].Period = privacy.Weeks(3) }, statement.Dutch,
			[]string{"binnen 4 weken"}, []string{"Wij voldoen aan uw verzoek binnen 3 weken. (R11)"}},
		{"R11_no_written_form", privacy.RegulationR, func(p *privacy.Policy) { p.Requests.WrittenBy = nil }, statement.Dutch,
			[]string{"schriftelijk verzoek", "schriftelijk en met onderbouwing"}, []string{"U kunt met onderbouwing vragen"}},
		{"N11_two_free_copies", privacy.RegulationO, func(p *privacy.Policy) { p.Requests.FreeCopies = 2 }, statement.English,
			[]string{"The first copy is free"}, []string{"The first 2 copies are free of charge"}},
		{"N12_group_size_25", privacy.RegulationO, func(p *privacy.Policy) { p.MinGroupSize = 25 }, statement.Dutch,
			[]string{"ten minste 10 personen"}, []string{"ten minste 25 personen"}},
		{"O3_processor_named", privacy.RegulationO, func(p *privacy.Policy) {
			p.Processor, p.ProcessorNL = "Unit 4 (Verzuimsignaal)", "Unit 4 (Verzuimsignaal)"
		}, statement.Dutch,
			[]string{"de externe verwerker"}, []string{"server van onze verwerker: Unit 4 (Verzuimsignaal)."}},
		{"O3_processor_named_in_English_only", privacy.RegulationO, func(p *privacy.Policy) {
			p.Processor, p.ProcessorNL = "Unit 4 (Verzuimsignaal)", ""
		}, statement.Dutch,
			[]string{"de externe verwerker"}, []string{"server van onze verwerker: Unit 4 (Verzuimsignaal)."}},
		{"O3_no_processor", privacy.RegulationO, func(p *privacy.Policy) { p.Processor, p.ProcessorNL = "", "" }, statement.Dutch,
			[]string{"externe, beveiligde server"}, []string{"Wij schakelen geen externe verwerker in"}},
		{"O16_version_and_date", privacy.RegulationO, func(p *privacy.Policy) { p.Version = "2.0.0" }, statement.Dutch,
			[]string{"versie 1.0.0", "25 mei 2018."}, []string{"Dit is versie 2.0.0, geldig vanaf 1 januari 2027."}},
		{"controller_named", privacy.RegulationR, func(p *privacy.Policy) { p.Controller, p.ControllerNL = "Solutions! vpr", "Solutions! vpr" }, statement.Dutch,
			[]string{"is: de dienst."}, []string{"(de verwerkingsverantwoordelijke) is: Solutions\\! vpr."}},
		{"controller_named_in_English", privacy.RegulationR, func(p *privacy.Policy) { p.Controller = "Solutions! vpr" }, statement.English,
			[]string{"is: the service."}, []string{"The controller responsible for the processing is: Solutions\\! vpr."}},
		{"R5_purpose_added", privacy.RegulationR, func(p *privacy.Policy) {
			p.Purposes = append(p.Purposes, privacy.PurposeRule{Purpose: privacy.PurposePrevention, Rule: privacy.R5,
				CaseKinds: []privacy.CaseKind{privacy.CasePreventive}, Reason: "prevention"})
		}, statement.Dutch, nil, []string{"- Preventie, in preventieve dossiers. (R5)"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			opts := &statement.Options{Language: tc.lang}
			before := render(t, tc.base(), opts)
			after := render(t, bump(tc.base(), tc.change), opts)
			for _, s := range tc.gone {
				if !strings.Contains(before, s) {
					t.Errorf("before the change the statement lacks %q", s)
				}
				if strings.Contains(after, s) {
					t.Errorf("after the change the statement still holds %q", s)
				}
			}
			for _, s := range tc.has {
				if strings.Contains(before, s) {
					t.Errorf("before the change the statement already holds %q", s)
				}
				if !strings.Contains(after, s) {
					t.Errorf("after the change the statement lacks %q", s)
				}
			}
		})
	}
}

type failWriter struct{}

func (failWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }

func TestRenderErrors(t *testing.T) {
	bad := privacy.RegulationO()
	bad.Access = append(bad.Access, privacy.AccessRule{Rule: privacy.O6, Effect: privacy.Allow, Roles: []privacy.Role{privacy.RoleEmployerContact},
		Actions: []privacy.Action{privacy.ActionRead}, Categories: []privacy.Category{privacy.CategoryMedical}, Reason: "never"})
	type renderFunc func(io.Writer, *privacy.Policy, *statement.Options) error
	funcs := map[string]renderFunc{
		"Render":         statement.Render,
		"RenderRegister": statement.RenderRegister,
		"RenderDiff": func(w io.Writer, p *privacy.Policy, o *statement.Options) error {
			return statement.RenderDiff(w, privacy.RegulationO(), p, o)
		},
	}
	tests := []struct {
		name string
		w    io.Writer
		p    *privacy.Policy
		opts *statement.Options
		kind error
	}{
		{"nil_policy", new(bytes.Buffer), nil, nil, privacy.ErrInvalid},
		{"O6_invalid_policy", new(bytes.Buffer), bad, nil, privacy.ErrInvalid},
		{"unknown_language", new(bytes.Buffer), privacy.RegulationO(), &statement.Options{Language: "fr"}, privacy.ErrInvalid},
		{"unknown_format", new(bytes.Buffer), privacy.RegulationO(), &statement.Options{Format: "pdf"}, privacy.ErrInvalid},
		{"nil_writer", nil, privacy.RegulationO(), nil, privacy.ErrInvalid},
		{"failing_writer", failWriter{}, privacy.RegulationO(), nil, privacy.ErrUnavailable},
	}
	for fname, f := range funcs {
		for _, tc := range tests {
			t.Run(fname+"/"+tc.name, func(t *testing.T) {
				err := f(tc.w, tc.p, tc.opts)
				if !errors.Is(err, tc.kind) {
					t.Fatalf("%s = %v, want %v", fname, err, tc.kind)
				}
				var e *privacy.Error
				if !errors.As(err, &e) || e.Op == "" {
					t.Errorf("%s error %#v is not a *privacy.Error with an Op", fname, err)
				}
				if b, ok := tc.w.(*bytes.Buffer); ok && b.Len() != 0 {
					t.Errorf("%s wrote %d bytes before failing", fname, b.Len())
				}
			})
		}
	}
	// The invalid policy's error names the rule that refused it.
	if err := statement.Render(io.Discard, bad, nil); privacy.RuleOf(err) != privacy.O6 {
		t.Errorf("Render(invalid) rule = %q, want O6", privacy.RuleOf(err))
	}
}

// TestRenderDoesNotChangePolicy: rendering reads the policy only.
func TestRenderDoesNotChangePolicy(t *testing.T) {
	p := privacy.Strict()
	want := p.Clone()
	for _, f := range []statement.Format{statement.Markdown, statement.HTML} {
		render(t, p, &statement.Options{Format: f})
		if err := statement.RenderRegister(io.Discard, p, &statement.Options{Format: f}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := statement.Diff(p, p); err != nil {
		t.Fatal(err)
	}
	var a, b bytes.Buffer
	_ = p.Encode(&a)
	_ = want.Encode(&b)
	if a.String() != b.String() {
		t.Error("rendering changed the policy")
	}
}

// checkHTML reports whether page is a complete HTML document whose
// elements are balanced.
func checkHTML(t testing.TB, page string) {
	t.Helper()
	if !strings.HasPrefix(page, "<!DOCTYPE html>\n<html lang=\"") || !strings.HasSuffix(page, "</html>\n") {
		t.Fatalf("not a standalone page: %.60q … %.30q", page, page[max(0, len(page)-30):])
	}
	dec := xml.NewDecoder(strings.NewReader(page))
	dec.Strict = false
	dec.AutoClose = xml.HTMLAutoClose
	dec.Entity = xml.HTMLEntity
	var stack []string
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("HTML does not parse: %v", err)
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			stack = append(stack, tok.Name.Local)
		case xml.EndElement:
			if len(stack) == 0 || stack[len(stack)-1] != tok.Name.Local {
				t.Fatalf("HTML: </%s> closes %v", tok.Name.Local, stack)
			}
			stack = stack[:len(stack)-1]
		}
	}
	if len(stack) != 0 {
		t.Fatalf("HTML: unclosed %v", stack)
	}
}

func TestHTML(t *testing.T) {
	for _, p := range ready() {
		for _, lang := range []statement.Language{statement.Dutch, statement.English} {
			opts := &statement.Options{Language: lang, Format: statement.HTML}
			t.Run(p.Name+"/"+string(lang), func(t *testing.T) {
				page := render(t, p, opts)
				checkHTML(t, page)
				if !strings.Contains(page, `<html lang="`+string(lang)+`">`) {
					t.Errorf("page lacks lang=%q", lang)
				}
				var reg, diff bytes.Buffer
				if err := statement.RenderRegister(&reg, p, opts); err != nil {
					t.Fatal(err)
				}
				checkHTML(t, reg.String())
				if err := statement.RenderDiff(&diff, p, bump(p, func(p *privacy.Policy) { p.MinGroupSize = 20 }), opts); err != nil {
					t.Fatal(err)
				}
				checkHTML(t, diff.String())
			})
		}
	}
}

// TestEscaping puts markup in every free string of a policy and checks
// that no format lets it through.
func TestEscaping(t *testing.T) {
	p := privacy.RegulationO()
	p.Controller = `<script>alert("x")</script> & Co`
	p.Processor = "<img src=x onerror=alert(1)>\n# heading\n- item"
	p.Title = "Title <b>bold</b> *em* [link](javascript:x)"
	p.ControllerNL, p.ProcessorNL, p.TitleNL = p.Controller, p.Processor, p.Title
	p.Retention[0].Citation = "</li><script>x</script>"
	html := render(t, p, &statement.Options{Format: statement.HTML})
	checkHTML(t, html)
	for _, bad := range []string{"<script", "<img", "<b>"} {
		if strings.Contains(strings.ToLower(html), bad) {
			t.Errorf("HTML holds unescaped %q", bad)
		}
	}
	if !strings.Contains(html, "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; Co") {
		t.Error("HTML lacks the escaped controller name")
	}
	md := render(t, p, nil)
	for _, bad := range []string{"\n# heading", "\n- item", "[link]"} {
		if strings.Contains(md, bad) {
			t.Errorf("Markdown holds %q unescaped", bad)
		}
	}
	if rawTag.MatchString(md) {
		t.Errorf("Markdown holds a raw tag: %q", rawTag.FindString(md))
	}
	if !strings.Contains(md, `\[link\](javascript:x)`) {
		t.Error("Markdown lacks the escaped link")
	}
	if !strings.Contains(md, `\<script\>alert("x")\</script\> \& Co`) {
		t.Error("Markdown lacks the escaped controller name")
	}
}

// FuzzRender renders policies with arbitrary controller, processor, title
// and citation strings: it never panics, the HTML is a balanced page with
// no unescaped script tag, and the Markdown carries no raw tag.
func FuzzRender(f *testing.F) {
	f.Add("the service", "processor", "Privacyreglement", "BW 7:454")
	f.Add("<script>alert(1)</script>", "<SCRIPT src=x>", "</title><script>", "\x00\xff<script")
	f.Add("a\nb\r\n# c", "- d", "| e |", "`f`")
	f.Fuzz(func(t *testing.T, controller, processor, title, citation string) {
		p := privacy.RegulationO()
		p.Controller, p.Processor, p.Title = controller, processor, title
		p.ControllerNL, p.ProcessorNL, p.TitleNL = title, controller, processor
		p.Purposes[0].ReasonNL, p.Retention[0].ReasonNL, p.DPO.NL, p.Contact.EN = citation, controller, processor, title
		p.Purposes[0].Basis.EN = citation
		p.Retention[0].Citation = citation
		for _, lang := range []statement.Language{statement.Dutch, statement.English} {
			var html, md bytes.Buffer
			err := statement.Render(&html, p, &statement.Options{Language: lang, Format: statement.HTML})
			if err != nil {
				if !errors.Is(err, privacy.ErrInvalid) {
					t.Fatalf("Render = %v, want nil or ErrInvalid", err)
				}
				return
			}
			if strings.Contains(strings.ToLower(html.String()), "<script") {
				t.Fatal("HTML holds an unescaped <script")
			}
			checkHTML(t, html.String())
			if err := statement.Render(&md, p, &statement.Options{Language: lang}); err != nil {
				t.Fatal(err)
			}
			if rawTag.MatchString(md.String()) {
				t.Fatalf("Markdown holds a raw tag: %q", rawTag.FindString(md.String()))
			}
			if err := statement.RenderRegister(io.Discard, p, &statement.Options{Language: lang, Format: statement.HTML}); err != nil {
				t.Fatal(err)
			}
			var diff bytes.Buffer
			if err := statement.RenderDiff(&diff, privacy.RegulationO(), p, &statement.Options{Language: lang, Format: statement.HTML}); err != nil {
				t.Fatal(err)
			}
			if strings.Contains(strings.ToLower(diff.String()), "<script") {
				t.Fatal("HTML diff holds an unescaped <script")
			}
		}
	})
}

// TestMarkdownBlocks: a policy string that looks like the start of a
// Markdown block stays text.
func TestMarkdownBlocks(t *testing.T) {
	for _, citation := range []string{"1. Wet", "2) Wet", "- Wet", "+ Wet", "   # Wet", "=== Wet", "> Wet"} {
		p := privacy.Strict()
		p.LegalBases[0].Citation = citation
		md := render(t, p, nil)
		line := "\n- " + strings.TrimSpace(citation)
		if strings.Contains(md, line) {
			t.Errorf("citation %q starts a block: %q", citation, line)
		}
	}
}

// TestConcurrentRender renders from many goroutines at once (run with
// -race): the package keeps no mutable state.
func TestConcurrentRender(t *testing.T) {
	p := privacy.Strict()
	want := render(t, p, &statement.Options{Format: statement.HTML})
	done := make(chan string)
	for range 8 {
		go func() {
			var buf bytes.Buffer
			_ = statement.Render(&buf, p, &statement.Options{Format: statement.HTML})
			done <- buf.String()
		}()
	}
	for range 8 {
		if got := <-done; got != want {
			t.Error("concurrent Render gave a different page")
		}
	}
}

// rawTag finds a "<" that Markdown would read as the start of a tag: one
// not escaped with a backslash.
var rawTag = regexp.MustCompile(`(^|[^\\])<[A-Za-z/!?]`)

// TestRefusesPolicyCrossingO10: a policy that would let the employer learn of
// consultation-hour visits without consent does not validate, so no
// document is ever rendered from it, and a diff to it is refused.
func TestRefusesPolicyCrossingO10(t *testing.T) {
	p := privacy.RegulationO()
	for i := range p.Access {
		if p.Access[i].Rule == privacy.O10 && slices.Contains(p.Access[i].Roles, privacy.RoleEmployerContact) {
			p.Access[i].Requires = []privacy.Condition{privacy.CondCommissioner, privacy.CondContractInForce}
		}
	}
	var b strings.Builder
	err := statement.Render(&b, p, nil)
	if !errors.Is(err, privacy.ErrInvalid) || privacy.RuleOf(err) != privacy.O10 || b.Len() != 0 {
		t.Errorf("Render = %v (wrote %d bytes), want ErrInvalid citing O10 and nothing written", err, b.Len())
	}
	if _, err := statement.Diff(privacy.RegulationO(), p); !errors.Is(err, privacy.ErrInvalid) || privacy.RuleOf(err) != privacy.O10 {
		t.Errorf("Diff = %v, want ErrInvalid citing O10", err)
	}
}
