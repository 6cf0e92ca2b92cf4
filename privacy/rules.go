package privacy

// RuleID names a rule of the catalog in RULES.md: "R7", "O10", "G2", "N5".
// Every decision, error and audit event that a rule caused carries its ID,
// so that a person and a test can both read why.
type RuleID string

// RuleDefaultDeny is the outcome when no rule allows an operation: anything
// not allowed is refused (the design's "default deny, explained").
const RuleDefaultDeny RuleID = "default-deny"

// RuleRestriction is GDPR art. 18, outside the catalog of RULES.md (whose
// G1 lists the right to restriction and G4 its notification, art. 19, but
// no rule gives it effect): while a granted restriction of processing
// stands, the data in its scope is only stored (art. 18(2)) — no one but
// the subject views it, and it is not disclosed, changed, added to or
// erased — until it is lifted, the subject told first (art. 18(3)).
// Decisions and refusals that a restriction caused name it.
const RuleRestriction RuleID = "gdpr-18"

// The rules of the catalog. R: the reintegration service's regulation; O: the
// occupational health service's regulation; G: the GDPR (AVG) behind both;
// N: Dutch statutes and the regulator's guidance.
const (
	R1  RuleID = "R1"
	R2  RuleID = "R2"
	R3  RuleID = "R3"
	R4  RuleID = "R4"
	R5  RuleID = "R5"
	R6  RuleID = "R6"
	R7  RuleID = "R7"
	R8  RuleID = "R8"
	R9  RuleID = "R9"
	R10 RuleID = "R10"
	R11 RuleID = "R11"
	R12 RuleID = "R12"
	R13 RuleID = "R13"

	O1  RuleID = "O1"
	O2  RuleID = "O2"
	O3  RuleID = "O3"
	O4  RuleID = "O4"
	O5  RuleID = "O5"
	O6  RuleID = "O6"
	O7  RuleID = "O7"
	O8  RuleID = "O8"
	O9  RuleID = "O9"
	O10 RuleID = "O10"
	O11 RuleID = "O11"
	O12 RuleID = "O12"
	O13 RuleID = "O13"
	O14 RuleID = "O14"
	O15 RuleID = "O15"
	O16 RuleID = "O16"

	G1 RuleID = "G1"
	G2 RuleID = "G2"
	G3 RuleID = "G3"
	G4 RuleID = "G4"
	G5 RuleID = "G5"
	G6 RuleID = "G6"
	G7 RuleID = "G7"
	G8 RuleID = "G8"

	N1  RuleID = "N1"
	N2  RuleID = "N2"
	N3  RuleID = "N3"
	N4  RuleID = "N4"
	N5  RuleID = "N5"
	N6  RuleID = "N6"
	N7  RuleID = "N7"
	N8  RuleID = "N8"
	N9  RuleID = "N9"
	N10 RuleID = "N10"
	N11 RuleID = "N11"
	N12 RuleID = "N12"
)

// Rule describes one rule of the catalog.
type Rule struct {
	ID RuleID
	// Source is the text the rule comes from: "regulation R",
	// "regulation O", "GDPR" or "Dutch law".
	Source string
	// Title is a one-line English summary.
	Title string
	// Text reports whether the rule is information for the data subject
	// only, covered by the rendered privacy statement rather than a check.
	Text bool
}

// Rules returns the whole catalog in the order of RULES.md. The slice is
// new on every call.
func Rules() []Rule {
	return []Rule{
		{R1, srcR, "the regulation informs clients of processing, purposes and rights", true},
		{R2, srcR, "data supplied by the commissioning party, with its source", false},
		{R3, srcR, "conversation data and work-capacity limitations, apart from medical detail", false},
		{R4, srcR, "the file is supplemented during the trajectory", false},
		{R5, srcR, "purpose: reintegration or reducing absence; other purposes refused", false},
		{R6, srcR, "no third parties without explicit consent or a statute", false},
		{R7, srcR, "only the assigned labour expert or consultant has access", false},
		{R8, srcR, "other staff only as needed, under confidentiality", false},
		{R9, srcR, "kept 2 years after closure; statutory data 7 years; earlier erasure on request", false},
		{R10, srcR, "complaints through the complaints procedure", true},
		{R11, srcR, "inspection and copy on written request within 4 weeks, free", false},
		{R12, srcR, "access only for authenticated users managed by the administrator", false},
		{R13, srcR, "complies with data protection law (now the GDPR)", true},

		{O1, srcO, "applies to every processing by the service", false},
		{O2, srcO, "processing only for tasks under an employer contract", false},
		{O3, srcO, "kept at a secured external processor under an agreement", true},
		{O4, srcO, "staff see only what their function needs", false},
		{O5, srcO, "no religion, belief, race, political opinions or sexual orientation", false},
		{O6, srcO, "medical data only by authorised physicians, kept apart, shared only with written consent", false},
		{O7, srcO, "contractors bound by separate agreements", false},
		{O8, srcO, "master data from the employer at contract and employment start and end", false},
		{O9, srcO, "absence facts; the absence reason is internal only", false},
		{O10, srcO, "the employer is not told of consultation-hour visits or periodic examinations without approval", false},
		{O11, srcO, "absence insurers get only sick employees, degree of incapacity and absence period", false},
		{O12, srcO, "kept no longer than the contract needs; statutory periods respected", false},
		{O13, srcO, "access within one month on written request; reasoned correction or deletion", false},
		{O14, srcO, "transfer to third parties only with written consent or a statute", false},
		{O15, srcO, "complaints procedure and the Autoriteit Persoonsgegevens", true},
		{O16, srcO, "in force from 25 May 2018; changes are dated", false},

		{G1, srcG, "the access answer includes purposes, categories, recipients, retention, rights and source", false},
		{G2, srcG, "answer within one month, extensible by two with notice; refusals give reasons", false},
		{G3, srcG, "legal obligations and legal claims block erasure", false},
		{G4, srcG, "recipients are told of rectification or erasure", false},
		{G5, srcG, "portability in a machine-readable form", false},
		{G6, srcG, "a record of processing activities", false},
		{G7, srcG, "access to health records is logged, tamper-evident", false},
		{G8, srcG, "health data only under medical secrecy", false},

		{N1, srcN, "at a sick report the employer registers only six facts, not even with consent", false},
		{N2, srcN, "without consent the physician tells the employer only four things", false},
		{N3, srcN, "the most an absence insurer may receive", false},
		{N4, srcN, "health data only by people bound to secrecy", false},
		{N5, srcN, "the BSN only where a statute allows it", false},
		{N6, srcN, "no employer administrator access to medical files; multi-factor for medical data", false},
		{N7, srcN, "statutory retention periods", false},
		{N8, srcN, "a medical file is destroyed within 3 months of the request", false},
		{N9, srcN, "log every access; keep the log 5 years; subjects may ask who accessed", false},
		{N10, srcN, "statutory disclosures to UWV, reintegration companies and the plan's recipients", false},
		{N11, srcN, "the first copy is free, medical records included", false},
		{N12, srcN, "the employer gets anonymised group figures only", false},
	}
}

const (
	srcR = "regulation R"
	srcO = "regulation O"
	srcG = "GDPR"
	srcN = "Dutch law"
)

// Known reports whether id is a rule of the catalog, [RuleDefaultDeny] or
// [RuleRestriction].
func (id RuleID) Known() bool {
	_, ok := ruleIndex[id]
	return ok
}

// ruleIndex is built once and never changed.
var ruleIndex = func() map[RuleID]Rule {
	m := map[RuleID]Rule{
		RuleDefaultDeny: {ID: RuleDefaultDeny, Title: "anything not allowed by a rule is refused"},
		RuleRestriction: {ID: RuleRestriction, Source: srcG,
			Title: "while a restriction of processing stands, the data is only stored (GDPR art. 18)"},
	}
	for _, r := range Rules() {
		m[r.ID] = r
	}
	return m
}()

// Describe returns the catalog entry of id, and false if id is not a rule.
func (id RuleID) Describe() (Rule, bool) {
	r, ok := ruleIndex[id]
	return r, ok
}
