package statement_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/dossierwacht/dossierwacht/privacy"
	"github.com/dossierwacht/dossierwacht/privacy/statement"
)

func register(t testing.TB, p *privacy.Policy, opts *statement.Options) string {
	t.Helper()
	var buf bytes.Buffer
	if err := statement.RenderRegister(&buf, p, opts); err != nil {
		t.Fatalf("RenderRegister(%s) = %v", p.Name, err)
	}
	return buf.String()
}

// TestRegister checks that the register of every ready policy holds what
// GDPR art. 30(1)(a)–(g) asks (rule G6), in both languages.
func TestRegister(t *testing.T) {
	nlWant := []struct{ part, phrase string }{
		{"a_controller", "Verwerkingsverantwoordelijke: de dienst."},
		{"b_purposes", "## b. Doeleinden"},
		{"b_purposes", "Het bevorderen van re-integratie"},
		{"c_subjects", "Cliënten in een re-integratietraject"},
		{"c_data", "Identificatiegegevens (NAW) — fideslang: user.name, "},
		{"c_data", "Nooit verwerkt: godsdienst"},
		{"d_recipients", "UWV: verstrekking op grond van Wet SUWI art. 54(3)(c)"},
		{"e_transfers", "## e. Doorgifte naar derde landen\n\nGeen."},
		{"f_retention", "| 7 jaar | het einde van het jaar van de afsluiting van het dossier | ja | Algemene wet inzake rijksbelastingen art. 52(4) | R9 |"},
		{"f_retention", "| Logboek van inzage en wijzigingen | 5 jaar |"},
		{"g_security_role_based", "Rolgebaseerde toegang"},
		{"g_security_audit_trail", "Een logboek van elke inzage en wijziging"},
		{"g_security_authentication", "Authenticatie met een eigen account"},
	}
	oWant := []struct{ part, phrase string }{
		{"a_processor", "Verwerker: de externe verwerker bij wie het dossiersysteem is ondergebracht, onder een verwerkersovereenkomst"},
		{"c_subjects", "Werknemers van werkgevers die ons een opdracht geven."},
		{"c_data_health", "Medische gegevens (gezondheidsgegeven, AVG art. 9) — fideslang: user.health\\_and\\_medical."},
		{"d_recipients", "Verzuimverzekeraars: inzage in het systeem"},
		{"f_retention", "| Medische gegevens | 20 jaar | het einde van het dienstverband (bij een cliënt van een gemeente of het UWV: de afsluiting van het dossier) |"},
		{"g_security_medical_apart", "Medische gegevens apart opgeslagen"},
		{"g_security_mfa", "Meervoudige authenticatie (meer dan één factor)"},
		{"g_security_group_size", "ten minste 10 personen"},
	}
	for _, p := range ready() {
		text := register(t, p, nil)
		for _, w := range nlWant {
			t.Run("G6_"+p.Name+"_"+w.part, func(t *testing.T) {
				if !strings.Contains(text, w.phrase) {
					t.Errorf("the register of %s lacks %q", p.Name, w.phrase)
				}
			})
		}
		if p.Name == "regulation-r" {
			continue
		}
		for _, w := range oWant {
			t.Run("G6_"+p.Name+"_"+w.part, func(t *testing.T) {
				if !strings.Contains(text, w.phrase) {
					t.Errorf("the register of %s lacks %q", p.Name, w.phrase)
				}
			})
		}
	}
	t.Run("G6_english", func(t *testing.T) {
		text := register(t, privacy.Strict(), &statement.Options{Language: statement.English})
		for _, s := range []string{"# Record of processing activities", "## a. Controller", "## b. Purposes",
			"## c. Categories of data subjects and of personal data", "## d. Categories of recipients",
			"## e. Transfers to third countries\n\nNone.", "## f. Time limits for erasure", "## g. Security measures",
			"Multi-factor authentication for access to medical data."} {
			if !strings.Contains(text, s) {
				t.Errorf("the English register lacks %q", s)
			}
		}
	})
}

// TestRegisterFideslang: the register gives each category's fideslang
// keys, or says that none fits (rule G6).
func TestRegisterFideslang(t *testing.T) {
	for _, tc := range []struct {
		lang *statement.Options
		want []string
	}{
		{nil, []string{"Burgerservicenummer (BSN) (alleen op wettelijke grondslag, UAVG art. 46) — fideslang: user.government\\_id.national\\_identification\\_number.",
			"Opleiding, diploma's en werkervaring — fideslang: geen passende sleutel.", "CC BY 4.0"}},
		{&statement.Options{Language: statement.English}, []string{"Contact details — fideslang: user.contact.phone\\_number, user.contact.email.",
			"Education, diplomas and work experience — fideslang: no matching key.", "IAB Tech Lab Privacy Taxonomy (CC BY 4.0"}},
	} {
		text := register(t, privacy.Strict(), tc.lang)
		for _, s := range tc.want {
			if !strings.Contains(text, s) {
				t.Errorf("G6: the register lacks %q", s)
			}
		}
	}
}

// TestRegisterFollowsData: the register changes with the policy.
func TestRegisterFollowsData(t *testing.T) {
	p := bump(privacy.RegulationO(), func(p *privacy.Policy) {
		p.Processor, p.ProcessorNL = "", ""
		p.Retention = append(p.Retention, privacy.ExposureExamRetention())
		p.MinGroupSize = 30
	})
	text := register(t, p, nil)
	for _, s := range []string{"Verwerker: geen.", "| 40 jaar |", "ten minste 30 personen", "Versie 1.1.0, geldig vanaf 1 januari 2027."} {
		if !strings.Contains(text, s) {
			t.Errorf("G6: the register lacks %q after the change", s)
		}
	}
	if strings.Contains(text, "externe verwerker") {
		t.Error("G6: the register still names the processor")
	}
}
