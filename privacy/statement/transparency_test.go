package statement_test

import (
	"strings"
	"testing"

	"github.com/dossierwacht/dossierwacht/privacy"
	"github.com/dossierwacht/dossierwacht/privacy/statement"
)

// The items GDPR art. 13 and 14 add to what the regulations ask of the
// statement (rules R1 and G1), one test each, in both languages.

var bothLanguages = []struct {
	name string
	opts *statement.Options
	lang string
}{
	{"nl", &statement.Options{Language: statement.Dutch}, "nl"},
	{"en", &statement.Options{Language: statement.English}, "en"},
}

// TestStatementLegalBasisPerPurpose: art. 13(1)(c), the legal basis of each
// purpose, in the reader's language.
func TestStatementLegalBasisPerPurpose(t *testing.T) {
	for _, p := range ready() {
		for _, l := range bothLanguages {
			t.Run("R1_G1_"+p.Name+"_"+l.name, func(t *testing.T) {
				text := render(t, p, l.opts)
				label := map[string]string{"nl": "Grondslag: ", "en": "Legal basis: "}[l.lang]
				if got := strings.Count(text, label); got != len(p.Purposes) {
					t.Errorf("the statement gives %d legal bases, want one per purpose (%d)", got, len(p.Purposes))
				}
				for _, pr := range p.Purposes {
					if pr.Basis.IsZero() {
						t.Fatalf("purpose %s of the ready policy has no legal basis", pr.Purpose)
					}
					if !strings.Contains(text, label+pr.Basis.In(l.lang)) {
						t.Errorf("the statement lacks the basis of %s: %q", pr.Purpose, pr.Basis.In(l.lang))
					}
				}
			})
		}
	}
	// A purpose without a basis gets no empty label.
	p := bump(privacy.RegulationR(), func(p *privacy.Policy) { p.Purposes[0].Basis = privacy.Text{} })
	if got := strings.Count(render(t, p, nil), "Grondslag: "); got != len(p.Purposes)-1 {
		t.Errorf("with one basis removed the statement gives %d bases, want %d", got, len(p.Purposes)-1)
	}
}

// TestStatementWithdrawConsent: art. 7(3) and 13(2)(c), consent may be
// withdrawn at any time, where anything rests on consent.
func TestStatementWithdrawConsent(t *testing.T) {
	phrase := map[string]string{"nl": "op elk moment intrekken", "en": "withdraw that consent at any time"}
	for _, p := range ready() {
		for _, l := range bothLanguages {
			t.Run("R6_O14_"+p.Name+"_"+l.name, func(t *testing.T) {
				if text := render(t, p, l.opts); !strings.Contains(text, phrase[l.lang]) {
					t.Errorf("the statement lacks %q", phrase[l.lang])
				}
			})
		}
	}
	t.Run("no_consent_no_sentence", func(t *testing.T) {
		p := bump(privacy.RegulationR(), func(p *privacy.Policy) {
			p.Disclosures = nil
		})
		if text := render(t, p, nil); strings.Contains(text, phrase["nl"]) {
			t.Error("a policy with nothing on consent still tells how to withdraw it")
		}
	})
}

// TestStatementContactAndDPO: art. 13(1)(a) and (b), the controller's
// contact details and the data protection officer, from the policy.
func TestStatementContactAndDPO(t *testing.T) {
	for _, p := range ready() {
		for _, l := range bothLanguages {
			t.Run(p.Name+"_"+l.name, func(t *testing.T) {
				text := render(t, p, l.opts)
				for _, s := range []string{p.Contact.In(l.lang), p.DPO.In(l.lang)} {
					if s == "" || !strings.Contains(text, s) {
						t.Errorf("the statement lacks %q", s)
					}
				}
			})
		}
	}
	p := bump(privacy.RegulationO(), func(p *privacy.Policy) {
		p.Contact = privacy.Text{NL: "Postbus 12, 3500 AA Utrecht, privacy@dienst.example", EN: "PO Box 12, 3500 AA Utrecht, privacy@dienst.example"}
		p.DPO = privacy.Text{NL: "mr. J. de Vries, fg@dienst.example", EN: "J. de Vries LLM, fg@dienst.example"}
	})
	nl, en := render(t, p, nil), render(t, p, &statement.Options{Language: statement.English})
	for _, want := range []string{"U bereikt ons via Postbus 12, 3500 AA Utrecht", "Onze functionaris voor gegevensbescherming: mr. J. de Vries"} {
		if !strings.Contains(nl, want) {
			t.Errorf("the Dutch statement lacks %q", want)
		}
	}
	for _, want := range []string{"You can reach us at PO Box 12, 3500 AA Utrecht", "Our data protection officer: J. de Vries LLM"} {
		if !strings.Contains(en, want) {
			t.Errorf("the English statement lacks %q", want)
		}
	}
	none := bump(privacy.RegulationO(), func(p *privacy.Policy) { p.DPO, p.Contact = privacy.Text{}, privacy.Text{} })
	if text := render(t, none, nil); strings.Contains(text, "functionaris voor gegevensbescherming:") || strings.Contains(text, "U bereikt ons via") {
		t.Error("a policy without contact details or DPO still names them")
	}
}

// TestStatementAutomatedDecisions: art. 13(2)(f), whether automated
// decision-making takes place. The library takes none.
func TestStatementAutomatedDecisions(t *testing.T) {
	phrase := map[string]string{"nl": "er vindt geen geautomatiseerde besluitvorming plaats", "en": "no automated decision-making takes place"}
	for _, p := range ready() {
		for _, l := range bothLanguages {
			t.Run("G1_"+p.Name+"_"+l.name, func(t *testing.T) {
				if text := render(t, p, l.opts); !strings.Contains(text, phrase[l.lang]) {
					t.Errorf("the statement lacks %q", phrase[l.lang])
				}
			})
		}
	}
}

// TestStatementSources: art. 14(1)(d) and (2)(f), where data not obtained
// from the subject comes from, and that no public source is used.
func TestStatementSources(t *testing.T) {
	tests := []struct {
		policy func() *privacy.Policy
		lang   string
		want   []string
	}{
		{privacy.RegulationR, "nl", []string{"Gegevens die wij niet van u zelf krijgen, komen van:",
			"Uw opdrachtgever (uw gemeente, het UWV of uw werkgever), bij de aanmelding: identificatiegegevens (NAW); burgerservicenummer (BSN)",
			"Wij halen geen gegevens uit openbaar toegankelijke bronnen."}},
		{privacy.RegulationO, "nl", []string{"Gegevens die wij niet van u zelf krijgen, komen van:",
			"Uw werkgever, bij uw ziekmelding: eerste ziektedag",
			"Uw werkgever, bij de aanvang van de overeenkomst, bij wijzigingen, en bij de aanvang en het einde van uw dienstverband: naam",
			"Deskundigen die bij uw begeleiding betrokken zijn", "openbaar toegankelijke bronnen"}},
		{privacy.Strict, "en", []string{"Data we do not receive from you yourself comes from:",
			"Your commissioning party (your municipality, UWV or your employer), when you are referred:",
			"Your employer, when you report sick: first day of absence", "Experts involved in your guidance",
			"We take no data from publicly accessible sources."}},
	}
	for _, tc := range tests {
		p := tc.policy()
		t.Run("R2_O8_"+p.Name+"_"+tc.lang, func(t *testing.T) {
			opts := &statement.Options{Language: statement.Language(tc.lang)}
			text := render(t, p, opts)
			for _, s := range tc.want {
				if !strings.Contains(text, s) {
					t.Errorf("the statement lacks %q", s)
				}
			}
		})
	}
	// The employer's sick report leaves the list with its rule.
	p := bump(privacy.RegulationO(), func(p *privacy.Policy) {
		p.Access = slicesDelete(p.Access, privacy.N1)
	})
	if text := render(t, p, nil); strings.Contains(text, "Uw werkgever, bij uw ziekmelding") {
		t.Error("without rule N1 the statement still names the employer's sick report as a source")
	}
}

func slicesDelete(rs []privacy.AccessRule, rule privacy.RuleID) []privacy.AccessRule {
	var out []privacy.AccessRule
	for _, r := range rs {
		if r.Rule != rule {
			out = append(out, r)
		}
	}
	return out
}
