package statement_test

import (
	"strings"
	"testing"

	"github.com/dossierwacht/dossierwacht/privacy"
	"github.com/dossierwacht/dossierwacht/privacy/statement"
)

// TestStatementOpenCaseEndsR9O12N7 checks what the statement tells a person
// of a case left open (retention.CaseEnded): that a case with nothing
// recorded in it counts as closed on the day it opened (rules R9, O12),
// and, where the policy has a statutory period from a case's closing,
// that such a period never runs, for an open case, from before the day
// the data was recorded (rules N7, G3: a statutory minimum is never
// shortened; retention.Engine.Schedule counts it so).
func TestStatementOpenCaseEndsR9O12N7(t *testing.T) {
	opened := map[statement.Language]string{
		statement.Dutch:   "(is er niets in vastgelegd, de dag van de opening)",
		statement.English: "(with nothing recorded, the day it opened)",
	}
	floor := map[statement.Language]string{
		statement.Dutch:   "Voor een wettelijke bewaartermijn geldt een open dossier nooit als afgesloten vóór de dag waarop de gegevens werden vastgelegd.",
		statement.English: "For a statutory retention period, an open case never counts as closed before the day the data was recorded.",
	}
	selfInsurer := privacy.Strict()
	selfInsurer.Retention = append(selfInsurer.Retention, privacy.SelfInsurerRetention())
	// Each policy says it when it has a statutory period from a case's
	// closing (the ready ones: the fiscal 7 years).
	for _, p := range []*privacy.Policy{privacy.RegulationR(), privacy.RegulationO(), privacy.Strict(), selfInsurer} {
		tc := struct {
			p         *privacy.Policy
			statutory bool
		}{p: p}
		for _, r := range p.Retention {
			tc.statutory = tc.statutory || r.Statutory && r.Trigger == privacy.TriggerCaseClosed
		}
		for _, lang := range []statement.Language{statement.Dutch, statement.English} {
			for _, f := range []statement.Format{statement.Markdown, statement.HTML} {
				got := renderText(t, tc.p, lang, f)
				if !strings.Contains(got, opened[lang]) {
					t.Errorf("%s, %s, %s: the statement does not say when an empty open case counts as closed (%q)", tc.p.Name, lang, f, opened[lang])
				}
				if strings.Contains(got, floor[lang]) != tc.statutory {
					t.Errorf("%s, %s, %s: says that a statutory period runs from no earlier than the recording: %v, want %v",
						tc.p.Name, lang, f, !tc.statutory, tc.statutory)
				}
			}
		}
	}
}
