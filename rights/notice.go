package rights

import (
	"fmt"

	"github.com/dossierwacht/dossierwacht/export"
	"github.com/dossierwacht/dossierwacht/internal/words"
	"github.com/dossierwacht/dossierwacht/privacy"
)

// Notice is what the subject is told about the last step of their request:
// the acknowledgement with the deadline, the extension with its reasons
// (G2), the answer, or the refusal with its reasons and the right to
// complain to the Autoriteit Persoonsgegevens (G2, O15). The desk composes
// it; sending it is the caller's.
type Notice struct {
	Request RequestID
	Step    StepKind
	Lang    export.Lang
	Title   string
	Lines   []string
	// Rules are the rules the notice gives effect to.
	Rules []privacy.RuleID
}

var noticeTexts = map[export.Lang]map[string]string{
	export.Dutch: {
		"filed.title":     "Ontvangstbevestiging van uw verzoek %s",
		"filed":           "Wij hebben uw verzoek om %s ontvangen op %s.",
		"due":             "U krijgt uiterlijk op %s antwoord (regel %s).",
		"awaits":          "Het reglement vraagt om een schriftelijk verzoek (regel %s). Wilt u uw verzoek schriftelijk bevestigen? Wij beantwoorden het daarna; de termijn loopt al.",
		"confirmed.title": "Uw schriftelijke bevestiging van verzoek %s",
		"confirmed":       "Wij hebben uw schriftelijke bevestiging ontvangen op %s.",
		"extended.title":  "Verlenging van de termijn voor uw verzoek %s",
		"extended":        "Wij hebben meer tijd nodig om uw verzoek te beantwoorden. Onze redenen: %s",
		"extendedDue":     "U krijgt uiterlijk op %s antwoord (regel G2, AVG artikel 12 lid 3).",
		"answered.title":  "Antwoord op uw verzoek %s",
		"answered":        "Wij hebben uw verzoek beantwoord op %s: %s",
		"free":            "Dit afschrift is kosteloos (regel N11).",
		"fee":             "Voor dit verdere afschrift rekenen wij € %d,%02d (AVG artikel 15 lid 3).",
		"medicalDue":      "Uw medische gegevens worden uiterlijk op %s vernietigd (regel N8).",
		"kept":            "%d gegevens blijven bewaard omdat de wet of een rechtsvordering dat eist (regel G3).",
		"notify":          "Wij informeren %d ontvanger(s) van uw gegevens over de wijziging (regel G4).",
		"refused.title":   "Afwijzing van uw verzoek %s",
		"refused":         "Wij wijzen uw verzoek af op %s. Grond: %s (regel %s).",
		"reasons":         "Onze redenen: %s",
		"complain":        "U kunt hierover een klacht indienen bij de Autoriteit Persoonsgegevens (autoriteitpersoonsgegevens.nl) en u kunt naar de rechter gaan (AVG artikelen 12 lid 4, 77 en 79).",
		"procedure":       "U kunt ook onze klachtenregeling volgen: %s",
		"late":            "Wij hebben de termijn overschreden; onze excuses.",
	},
	export.English: {
		"filed.title":     "Your request %s was received",
		"filed":           "We received your request for %s on %s.",
		"due":             "You will have our answer by %s at the latest (rule %s).",
		"awaits":          "The policy asks for a written request (rule %s). Please confirm your request in writing; we answer it then, and the deadline is already running.",
		"confirmed.title": "Your written confirmation of request %s",
		"confirmed":       "We received your written confirmation on %s.",
		"extended.title":  "More time for your request %s",
		"extended":        "We need more time to answer your request. Our reasons: %s",
		"extendedDue":     "You will have our answer by %s at the latest (rule G2, GDPR article 12(3)).",
		"answered.title":  "Answer to your request %s",
		"answered":        "We answered your request on %s: %s",
		"free":            "This copy is free of charge (rule N11).",
		"fee":             "We charge € %d.%02d for this further copy (GDPR article 15(3)).",
		"medicalDue":      "Your medical data will be destroyed by %s at the latest (rule N8).",
		"kept":            "%d records are kept because the law or legal claims require it (rule G3).",
		"notify":          "We inform %d recipient(s) of your data of the change (rule G4).",
		"refused.title":   "Your request %s is refused",
		"refused":         "We refuse your request on %s. Ground: %s (rule %s).",
		"reasons":         "Our reasons: %s",
		"complain":        "You may lodge a complaint with the Autoriteit Persoonsgegevens, the Dutch data protection authority (autoriteitpersoonsgegevens.nl), and you may go to court (GDPR articles 12(4), 77 and 79).",
		"procedure":       "You may also use our complaints procedure: %s",
		"late":            "We missed the deadline; our apologies.",
	},
}

// Notice composes the subject's notice of the last step of r in the
// language lang, naming things as the export's page does (the kind of
// request, the ground, the days). It fails with [privacy.ErrInvalid] for
// an unknown language or a malformed request.
func (d *Desk) Notice(r Request, lang export.Lang) (Notice, error) {
	if !lang.Known() {
		return Notice{}, invalid("notice", "lang", "want nl or en")
	}
	if err := r.Validate(); err != nil {
		return Notice{}, err
	}
	t, l := noticeTexts[lang], string(lang)
	f := func(key string, args ...any) string { return fmt.Sprintf(t[key], args...) }
	s := r.Last()
	n := Notice{Request: r.ID, Step: s.Kind, Lang: lang, Title: f(string(s.Kind)+".title", r.ID)}
	add := func(line string, rules ...privacy.RuleID) {
		n.Lines = append(n.Lines, line)
		for _, id := range rules {
			if id != "" && !containsRule(n.Rules, id) {
				n.Rules = append(n.Rules, id)
			}
		}
	}
	switch s.Kind {
	case StepFiled:
		add(f("filed", words.Name(l, "kind", string(r.Kind)), words.Date(l, r.Received)))
		add(f("due", words.Day(l, r.Due.Date), r.Due.Rule), r.Due.Rule)
		if r.AwaitsWritten() {
			add(f("awaits", r.WrittenRule), r.WrittenRule)
		}
	case StepConfirmed:
		add(f("confirmed", words.Date(l, s.At)), s.Rule)
		add(f("due", words.Day(l, r.Due.Date), r.Due.Rule), r.Due.Rule)
	case StepExtended:
		// Rule G2: the extension is notified with its reasons.
		add(f("extended", s.Reason), privacy.G2)
		add(f("extendedDue", words.Day(l, s.Due)))
	case StepAnswered:
		add(f("answered", words.Date(l, s.At), s.Reason), s.Rule)
		if s.Copy > 0 {
			if s.FeeCents == 0 {
				add(t["free"], privacy.N11)
			} else {
				add(f("fee", s.FeeCents/100, s.FeeCents%100), privacy.N11)
			}
		}
		if o := s.Outcome; o != nil {
			if !o.MedicalDue.IsZero() {
				add(f("medicalDue", words.Day(l, o.MedicalDue)), privacy.N8)
			}
			if len(o.Kept) > 0 {
				add(f("kept", len(o.Kept)), privacy.G3)
			}
			if len(o.Notify) > 0 {
				add(f("notify", len(o.Notify)), privacy.G4)
			}
		}
	case StepRefused:
		// Rule G2 (art. 12(4)) and O15: reasons and the right to complain.
		add(f("refused", words.Date(l, s.At), words.Name(l, "ground", string(s.Ground)), s.Rule), s.Rule)
		add(f("reasons", s.Reason), privacy.G2)
		add(t["complain"], privacy.O15)
		if d.complaints != "" {
			add(f("procedure", d.complaints), privacy.R10)
		}
	}
	if s.Late {
		add(t["late"])
	}
	return n, nil
}

func containsRule(rs []privacy.RuleID, id privacy.RuleID) bool {
	for _, r := range rs {
		if r == id {
			return true
		}
	}
	return false
}
