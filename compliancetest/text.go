package compliancetest

import (
	"strings"

	"github.com/dossierwacht/dossierwacht/privacy"
)

// The rules marked as text in the catalog are information for the data
// subject: a system obeys them by publishing a privacy statement that says
// what they say. Each scenario reads the statement the system publishes
// (Dutch or English, any format) and looks for what the rule must tell.

// mention is one thing a document must say: any of the phrases, in Dutch
// or English, matched without regard to case.
type mention struct {
	what    string
	phrases []string
}

func (m mention) in(doc string) bool {
	for _, p := range m.phrases {
		if strings.Contains(doc, strings.ToLower(p)) {
			return true
		}
	}
	return false
}

var (
	mentionProcessing = mention{"which personal data is processed", []string{"persoonsgegevens wij verwerken", "verwerken", "personal data we process", "process"}}
	mentionPurposes   = mention{"why it is processed", []string{"waarom", "doeleinden", "waarvoor", "why", "purposes"}}
	mentionRights     = mention{"the subject's rights", []string{"rechten", "your rights", "rights"}}
	mentionProcedure  = mention{"the complaints procedure", []string{"klachtenregeling", "klachtenprocedure", "complaints procedure"}}
	mentionAP         = mention{"the Autoriteit Persoonsgegevens", []string{"Autoriteit Persoonsgegevens"}}
	mentionGDPR       = mention{"the GDPR (AVG)", []string{"AVG", "GDPR", "Algemene Verordening Gegevensbescherming", "General Data Protection Regulation"}}
	mentionComplaint  = mention{"that one may complain", []string{"klacht", "complain"}}
	mentionProcessor  = mention{"the processor that keeps the data", []string{"verwerker", "processor"}}
	mentionAgreement  = mention{"the agreement with the processor", []string{"verwerkersovereenkomst", "processing agreement", "agreement"}}
)

// publishes returns a scenario body that checks the document d mentions
// every one of ms.
func publishes(d Document, ms ...mention) func(w *world) error {
	return func(w *world) error {
		b, err := w.sys.Publish(w.ctx, d)
		if err != nil {
			return w.failErr(err, "the system publishes no %s", d)
		}
		doc := strings.ToLower(string(b))
		for _, m := range ms {
			if !m.in(doc) {
				return w.fail("the %s does not tell %s", d, m.what)
			}
		}
		return nil
	}
}

func documentScenarios() []def {
	return []def{
		{privacy.R1, "statement_tells_what_why_and_rights", publishes(Statement, mentionProcessing, mentionPurposes, mentionRights)},
		{privacy.R10, "statement_names_complaints_procedure", publishes(Statement, mentionComplaint, mentionProcedure)},
		{privacy.R13, "statement_names_gdpr_and_authority", publishes(Statement, mentionGDPR, mentionAP)},
		{privacy.O3, "statement_names_processor", publishes(Statement, mentionProcessor, mentionAgreement)},
		{privacy.O15, "statement_names_procedure_and_authority", publishes(Statement, mentionComplaint, mentionProcedure, mentionAP)},
		{privacy.G6, "register_of_processing_activities", publishes(Register,
			mention{"that it is the record of GDPR art. 30", []string{"artikel 30", "article 30", "art. 30"}},
			mention{"the controller", []string{"verwerkingsverantwoordelijke", "controller"}},
			mention{"the purposes", []string{"doeleinden", "purposes"}},
			mention{"the recipients", []string{"ontvangers", "recipients"}},
			mention{"the time limits for erasure", []string{"bewaartermijn", "time limits for erasure", "retention"}})},
	}
}
