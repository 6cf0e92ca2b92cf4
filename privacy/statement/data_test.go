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

// Rules R9, O12 (GDPR art. 13(2)(a): the period for which personal data
// will be stored): the statement gives the retention of the stored data
// besides records — each rule of Policy.Data, with its kind, its period
// and its citation — in every language and format, beside the records'
// rules and the audit log's (N9).
func TestR9StatementGivesRetentionOfEveryKindOfData(t *testing.T) {
	for _, p := range []*privacy.Policy{privacy.RegulationR(), privacy.RegulationO(), privacy.Strict()} {
		for _, lang := range []statement.Language{statement.Dutch, statement.English} {
			for _, f := range []statement.Format{statement.Markdown, statement.HTML} {
				got := renderText(t, p, lang, f)
				for _, r := range p.Data {
					reason := r.ReasonText().In(string(lang))
					i := strings.Index(got, reason)
					if i < 0 {
						t.Errorf("%s, %s, %s: the retention of %s is not given (%q)", p.Name, lang, f, r.Kind, reason)
						continue
					}
					// The rule's line: its kind and period before the
					// reason, its citation after.
					start := strings.LastIndex(got[:i], "\n")
					end := i + strings.Index(got[i:], "\n")
					line := got[start+1 : end]
					if !strings.Contains(line, r.Citation) {
						t.Errorf("%s, %s, %s: %s without its citation %q: %s", p.Name, lang, f, r.Kind, r.Citation, line)
					}
					period := map[statement.Language]string{statement.Dutch: "2 jaar", statement.English: "2 years"}[lang]
					if r.Period.IsZero() {
						period = map[statement.Language]string{statement.Dutch: "geen vaste termijn", statement.English: "no fixed period"}[lang]
					}
					if !strings.Contains(line[:i-start-1], period) {
						t.Errorf("%s, %s, %s: %s without its period %q before the reason: %s", p.Name, lang, f, r.Kind, period, line)
					}
					if !strings.Contains(line, "("+string(r.Rule)) && !strings.Contains(line, ">"+string(r.Rule)) {
						t.Errorf("%s, %s, %s: %s does not name its rule %s: %s", p.Name, lang, f, r.Kind, r.Rule, line)
					}
				}
			}
		}
	}
}

// Rules R9, O12 (GDPR art. 30(1)(f)): the register of processing gives the
// time limit of every kind of stored data besides records too, with its
// citation, in every language and format.
func TestR9RegisterGivesRetentionOfEveryKindOfData(t *testing.T) {
	for _, p := range []*privacy.Policy{privacy.RegulationR(), privacy.RegulationO(), privacy.Strict()} {
		for _, lang := range []statement.Language{statement.Dutch, statement.English} {
			for _, f := range []statement.Format{statement.Markdown, statement.HTML} {
				var buf bytes.Buffer
				if err := statement.RenderRegister(&buf, p, &statement.Options{Language: lang, Format: f}); err != nil {
					t.Fatal(err)
				}
				got := html.UnescapeString(buf.String())
				for _, r := range p.Data {
					if !strings.Contains(got, r.ReasonText().In(string(lang))) || !strings.Contains(got, r.Citation) {
						t.Errorf("%s, %s, %s: the register does not give the retention of %s with its citation", p.Name, lang, f, r.Kind)
					}
				}
			}
		}
	}
}

// Rules R9, O12, O16: a new version of a policy that changes the retention
// of a kind of stored data besides records says so, in both languages.
func TestR9DiffSaysDataRetentionChanged(t *testing.T) {
	old := privacy.RegulationO()
	p := privacy.RegulationO()
	p.Version = "1.1.0"
	for i := range p.Data {
		if p.Data[i].Kind == privacy.DataGrant {
			p.Data[i].Period = privacy.Years(1)
		}
	}
	changes, err := statement.Diff(old, p)
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, c := range changes {
		if c.Area == statement.AreaRetention && strings.Contains(c.English, "your consents goes from 2 years to one year") &&
			strings.Contains(c.Dutch, "uw toestemmingen van 2 jaar naar een jaar") {
			found = true
		}
	}
	if !found {
		t.Errorf("Diff = %+v, want the consents' retention going from 2 years to 1", changes)
	}
}
