package export_test

import (
	"bytes"
	"html"
	"regexp"
	"slices"
	"strings"
	"testing"
	"unicode"

	"github.com/dossierwacht/dossierwacht/export"
	"github.com/dossierwacht/dossierwacht/privacy"
	"github.com/dossierwacht/dossierwacht/privacy/statement"
	"github.com/dossierwacht/dossierwacht/retention"
	"github.com/dossierwacht/dossierwacht/rights"
)

// Words that mark a page as written (partly) in the other language. The
// lists leave out words both languages use ("data", "contract", "we",
// "of", "in").
var (
	englishWords = []string{"the", "and", "to", "with", "for", "from", "your", "our", "you", "service", "processor",
		"employer", "purpose", "purposes", "regulation", "consent", "years", "after", "case", "cases", "reintegration",
		"absence", "retention", "statutory", "rights", "gdpr", "hosting", "under", "only", "never", "external", "guidance"}
	dutchWords = []string{"de", "het", "een", "en", "van", "met", "voor", "werkgever", "gegevens", "verwerker", "dienst",
		"jaar", "uw", "wij", "reglement", "toestemming", "bewaartermijn", "avg", "na", "bij", "zijn", "wordt", "niet"}
)

// TestDocumentsInOneLanguage renders the privacy statement (Markdown and
// HTML), the register of processing activities and the HTML export of a
// ready policy in Dutch and checks that no English word from a list
// appears, and in English that no Dutch one does (rules R1, G1, G6). Names
// are the same in both languages and are taken out first: the IDs of the
// fixture, the record contents, the policy's citations of Dutch statutes
// and regulations, and a few proper names.
func TestDocumentsInOneLanguage(t *testing.T) {
	for _, pf := range []func() *privacy.Policy{privacy.RegulationR, privacy.RegulationO, privacy.Strict} {
		p := pf()
		w := newWorld(t, &worldOptions{Policy: p})
		rules, err := retention.NewEngine(p)
		if err != nil {
			t.Fatal(err)
		}
		desk, err := rights.New(w.Store, w.Dossiers, &rights.Options{Complaints: "klachten@dienst.example",
			Disclosures: w.Sources, Consents: w.Sources, Audit: w.Sources, Retention: export.RetentionFromStore(w.Store, rules)})
		if err != nil {
			t.Fatal(err)
		}
		w.Desk = desk
		w.File(t, rights.Filing{ID: "req-1", Kind: rights.KindAccess})
		names := namesOf(p)
		for _, lang := range []struct {
			st     statement.Language
			ex     export.Lang
			banned []string
		}{{statement.Dutch, export.Dutch, englishWords}, {statement.English, export.English, dutchWords}} {
			docs := map[string]string{}
			for _, f := range []statement.Format{statement.Markdown, statement.HTML} {
				var st, reg bytes.Buffer
				opts := &statement.Options{Language: lang.st, Format: f}
				if err := statement.Render(&st, p, opts); err != nil {
					t.Fatal(err)
				}
				if err := statement.RenderRegister(&reg, p, opts); err != nil {
					t.Fatal(err)
				}
				docs["statement."+string(f)], docs["register."+string(f)] = st.String(), reg.String()
			}
			var ex bytes.Buffer
			if _, err := w.Desk.Export(w.Ctx, subjectAct(anna, t0.Add(72*3600e9)), &ex, anna, &rights.ExportOptions{Format: export.FormatHTML, Lang: lang.ex}); err != nil {
				t.Fatal(err)
			}
			docs["export.html"] = ex.String()
			for name, doc := range docs {
				t.Run(p.Name+"/"+string(lang.st)+"/"+name, func(t *testing.T) {
					words := wordsOf(visible(doc), names)
					var found []string
					for _, b := range lang.banned {
						if words[b] > 0 {
							found = append(found, b)
						}
					}
					if len(found) > 0 {
						t.Errorf("the %s page holds words of the other language: %v", lang.st, found)
						for _, b := range found {
							t.Logf("%q in: %s", b, wordContext(visible(doc), names, b))
						}
					}
				})
			}
		}
	}
}

// namesOf lists what is the same in both languages: the fixture's IDs and
// record contents, the policy's citations, and proper names.
func namesOf(p *privacy.Policy) []string {
	names := []string{
		// Proper names, and the English statement's gloss of the Dutch name
		// of the GDPR.
		"in Dutch AVG", "Autoriteit Persoonsgegevens", "autoriteitpersoonsgegevens.nl", "Wet bescherming persoonsgegevens",
		"College bescherming persoonsgegevens", "klachten@dienst.example",
		// The fixture's IDs and the record contents (data, not text).
		string(anna), string(annaCase), string(carla), string(physician.ID), "employer-contact-bert", "employer-bakery",
		"contract-bakery", "insurer-verzekerd", "reintegration-firm", "doc-consent-1", "grant-1", "dis-1", "dis-2", "req-1",
		"rec-identity", "rec-sick-report", "rec-wages", "rec-note", "rec-medical", "someone-else",
		"Anna de Vries", "Utrecht", "2 weken", "bakker", "Gesprek met Anna; collega Piet Jansen was erbij.",
		"lumbale overbelasting; fysiotherapie geadviseerd", p.Name,
		"regulation-r", "regulation-o", "strict",
	}
	for _, r := range p.Retention {
		names = append(names, r.Citation)
	}
	for _, r := range p.Data {
		names = append(names, r.Citation)
	}
	for _, l := range p.LegalBases {
		names = append(names, l.Citation)
	}
	names = append(names, p.AuditRetention.Citation, "IAB Tech Lab Privacy Taxonomy", "Ethyca, Inc.")
	// fideslang's keys are identifiers ("user.health_and_medical").
	for _, c := range privacy.Categories() {
		names = append(names, c.Fideslang()...)
	}
	// Longest first, so that a name inside another goes with it.
	slices.SortFunc(names, func(a, b string) int { return len(b) - len(a) })
	return names
}

var (
	styleRE  = regexp.MustCompile(`(?s)<style.*?</style>`)
	markupRE = regexp.MustCompile(`<[^>]*>`)
)

// visible returns the text a reader sees: without HTML tags, styles and
// Markdown escapes, entities decoded.
func visible(doc string) string {
	doc = styleRE.ReplaceAllString(doc, " ")
	doc = markupRE.ReplaceAllString(doc, " ")
	doc = html.UnescapeString(doc)
	return strings.NewReplacer(`\&`, "&", `\|`, "|", `\*`, "*", `\_`, "_", `\[`, "[", `\]`, "]", `\<`, "<", `\>`, ">", `\#`, "#", `\!`, "!").Replace(doc)
}

func wordsOf(text string, names []string) map[string]int {
	for _, n := range names {
		if n != "" {
			text = strings.ReplaceAll(text, n, " ")
		}
	}
	out := map[string]int{}
	for _, w := range strings.FieldsFunc(text, func(r rune) bool { return !unicode.IsLetter(r) }) {
		out[strings.ToLower(w)]++
	}
	return out
}

// wordContext shows where word occurs, for the failure message.
func wordContext(text string, names []string, word string) string {
	for _, n := range names {
		if n != "" {
			text = strings.ReplaceAll(text, n, " ")
		}
	}
	re := regexp.MustCompile(`(?i)[^\n]{0,60}\b` + regexp.QuoteMeta(word) + `\b[^\n]{0,60}`)
	return strings.Join(re.FindAllString(text, 3), " | ")
}

// TestDocumentsInOneLanguageCatches: the check finds the English of a
// policy without its Dutch texts.
func TestDocumentsInOneLanguageCatches(t *testing.T) {
	p := privacy.RegulationO()
	p.ControllerNL, p.ProcessorNL = "", ""
	var st bytes.Buffer
	if err := statement.Render(&st, p, nil); err != nil {
		t.Fatal(err)
	}
	words := wordsOf(visible(st.String()), namesOf(p))
	for _, w := range []string{"the", "service", "processor", "external"} {
		if words[w] == 0 {
			t.Errorf("the Dutch statement with an English controller and processor has no %q", w)
		}
	}
}
