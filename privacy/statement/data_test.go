package statement_test

import (
	"bytes"
	"html"
	"strings"
	"testing"

	"github.com/dossierwacht/dossierwacht/privacy"
	"github.com/dossierwacht/dossierwacht/privacy/statement"
)

// renderText renders p's statement in lang and format.
func renderText(t *testing.T, p *privacy.Policy, lang statement.Language, f statement.Format) string {
	t.Helper()
	var buf bytes.Buffer
	if err := statement.Render(&buf, p, &statement.Options{Language: lang, Format: f}); err != nil {
		t.Fatal(err)
	}
	if f == statement.HTML {
		return html.UnescapeString(buf.String())
	}
	return buf.String()
}

// Rule N12: the statement says what the group histories are — the groups
// an employer was answered figures about — and what becomes of a person's
// place in them (privacy.DataGroups).
func TestN12StatementSaysWhatGroupHistoriesAre(t *testing.T) {
	for _, p := range []*privacy.Policy{privacy.RegulationO(), privacy.Strict()} {
		for lang, want := range map[statement.Language]string{
			statement.Dutch:   "Wij houden bij over welke groepen uw werkgever cijfers kreeg (de groepsgeschiedenis)",
			statement.English: "We keep track of which groups your employer received figures about (the group history)",
		} {
			for _, f := range []statement.Format{statement.Markdown, statement.HTML} {
				if got := renderText(t, p, lang, f); !strings.Contains(got, want) {
					t.Errorf("%s, %s, %s: the statement does not say what the group histories are", p.Name, lang, f)
				}
			}
		}
	}
}
