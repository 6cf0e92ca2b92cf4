package privacy

import (
	"bytes"
	"encoding/json"
	"io"
	"slices"
	"time"
)

// Action is what a principal does to data. Values are stored.
type Action string

// The actions.
const (
	ActionRead     Action = "read"
	ActionWrite    Action = "write"
	ActionDisclose Action = "disclose" // share with a party outside the service
	ActionExport   Action = "export"   // include in a subject's export
	ActionErase    Action = "erase"
)

// Actions returns every action.
func Actions() []Action {
	return []Action{ActionRead, ActionWrite, ActionDisclose, ActionExport, ActionErase}
}

// Known reports whether a is one of the actions.
func (a Action) Known() bool { return a.Index() >= 0 }

// Effect is whether an access rule allows or denies. A deny rule wins over
// any allow rule.
type Effect string

// The effects.
const (
	Allow Effect = "allow"
	Deny  Effect = "deny"
)

// Condition is a fact an access rule requires of a principal and a case
// before it applies.
type Condition string

// The conditions.
const (
	// CondAssigned: the principal is assigned to the case (R7, O4).
	CondAssigned Condition = "assigned"
	// CondSecrecy: the principal carries a secrecy basis (N4, G8).
	CondSecrecy Condition = "secrecy"
	// CondProfessionalSecrecy: the principal is bound by professional
	// (medical) secrecy (O6, G8).
	CondProfessionalSecrecy Condition = "professional-secrecy"
	// CondMultiFactor: the principal signed in with more than one factor
	// (N6).
	CondMultiFactor Condition = "multi-factor"
	// CondCommissioner: the principal acts for the party that
	// commissioned the case (O2).
	CondCommissioner Condition = "commissioner"
	// CondCovers: the principal is an insurer that covers the case's
	// employer (O11).
	CondCovers Condition = "covers"
	// CondOwnData: the principal is the case's subject (R11, O13).
	CondOwnData Condition = "own-data"
	// CondConsent: the subject consented to the principal's party
	// learning of the case (O10).
	CondConsent Condition = "consent"
	// CondContractInForce: the case's contract is in force at the time of
	// the decision (O2).
	CondContractInForce Condition = "contract-in-force"
)

// Conditions returns every condition.
func Conditions() []Condition {
	return []Condition{CondAssigned, CondSecrecy, CondProfessionalSecrecy, CondMultiFactor,
		CondCommissioner, CondCovers, CondOwnData, CondConsent, CondContractInForce}
}

// AccessRule says that principals of some roles may (or may not) take some
// actions on some categories of some kinds of case, when conditions hold.
type AccessRule struct {
	Rule    RuleID   `json:"rule"`
	Effect  Effect   `json:"effect"`
	Roles   []Role   `json:"roles"`
	Actions []Action `json:"actions"`
	// Categories the rule covers.
	Categories []Category `json:"categories"`
	// Fields, if set, limits an allow rule to these fields of the
	// categories: the rest of a record stays hidden.
	Fields []Field `json:"fields,omitempty"`
	// CaseKinds, if set, limits the rule to cases of these kinds.
	CaseKinds []CaseKind `json:"case_kinds,omitempty"`
	// Requires lists conditions that must all hold.
	Requires []Condition `json:"requires,omitempty"`
	Reason   string      `json:"reason"`
}

// BasisKind is what a disclosure rests on.
type BasisKind string

// The kinds of basis for a disclosure.
const (
	// BasisConsent is the subject's explicit consent (R6).
	BasisConsent BasisKind = "consent"
	// BasisWrittenConsent is the subject's written consent, referencing a
	// signed document (O14, O6).
	BasisWrittenConsent BasisKind = "written-consent"
	// BasisStatute is a named legal obligation (R6, O14, N10).
	BasisStatute BasisKind = "statute"
	// BasisNone marks the disclosures a rule allows without consent: the
	// insurer overview (O11) and the physician's four items to the
	// employer (N2).
	BasisNone BasisKind = "none"
)

// DisclosureRule says what may go to a kind of recipient, on which basis.
type DisclosureRule struct {
	Rule      RuleID    `json:"rule"`
	Recipient PartyKind `json:"recipient"`
	// From, if set, limits who may disclose under this rule (N2: the
	// physician).
	From       []Role     `json:"from,omitempty"`
	Categories []Category `json:"categories"`
	// Fields, if set, limits the disclosure to these fields.
	Fields []Field   `json:"fields,omitempty"`
	Basis  BasisKind `json:"basis"`
	// NotifySubject marks disclosures whose text must go to the subject
	// at the same time (N2).
	NotifySubject bool   `json:"notify_subject,omitempty"`
	Reason        string `json:"reason"`
	// ReasonNL is Reason in Dutch (see [Policy], # Texts).
	ReasonNL string `json:"reason_nl,omitempty"`
}

// ReasonText returns the rule's reason in Dutch and English.
func (d DisclosureRule) ReasonText() Text { return Text{NL: d.ReasonNL, EN: d.Reason} }

// LegalBasisID names a statutory basis of a policy, e.g. "suwi-54-3c".
type LegalBasisID string

// LegalBasis is a statute that requires or permits a disclosure or a use
// without consent (R6, O14, N5, N10). It allows exactly its recipients and
// categories, and, when Purposes is set, only for those purposes.
type LegalBasis struct {
	ID         LegalBasisID `json:"id"`
	Rule       RuleID       `json:"rule"`
	Citation   string       `json:"citation"`
	Recipients []PartyKind  `json:"recipients"`
	Categories []Category   `json:"categories"`
	// Purposes, if set, limits the basis to records and disclosures for
	// these purposes: the BSN goes to the company doctor for absence
	// guidance and reintegration (Arbeidsomstandighedenwet art. 14(1)(b),
	// rule N5), not for prevention.
	Purposes []Purpose `json:"purposes,omitempty"`
	Reason   string    `json:"reason"`
	// ReasonNL is Reason in Dutch (see [Policy], # Texts).
	ReasonNL string `json:"reason_nl,omitempty"`
}

// ReasonText returns the basis's reason in Dutch and English.
func (l LegalBasis) ReasonText() Text { return Text{NL: l.ReasonNL, EN: l.Reason} }

// Covers reports whether the basis allows a use for purpose: always when
// it names no purposes.
func (l LegalBasis) Covers(purpose Purpose) bool {
	return len(l.Purposes) == 0 || slices.Contains(l.Purposes, purpose)
}

// Trigger is the event a retention period runs from.
type Trigger string

// The triggers. A period of TriggerEmploymentEnded runs from the end of
// the employment (O8, N7); for a case a municipality or the UWV
// commissioned, whose client has no employment of the commissioning
// party's to end, from the closing of the case ([EmploymentEnd]).
const (
	TriggerCaseClosed      Trigger = "case-closed"      // R9, N7
	TriggerEmploymentEnded Trigger = "employment-ended" // O8, N7
	TriggerRecordCreated   Trigger = "record-created"
	TriggerRecordUpdated   Trigger = "record-updated" // the last change
)

// Triggers returns every trigger.
func Triggers() []Trigger {
	return []Trigger{TriggerCaseClosed, TriggerEmploymentEnded, TriggerRecordCreated, TriggerRecordUpdated}
}

// RetentionRule says how long records are kept and why (R9, O12, N7).
type RetentionRule struct {
	Rule RuleID `json:"rule"`
	// Categories and CaseKinds select the records; empty means all.
	Categories []Category `json:"categories,omitempty"`
	CaseKinds  []CaseKind `json:"case_kinds,omitempty"`
	Trigger    Trigger    `json:"trigger"`
	Period     Period     `json:"period"`
	// FromYearEnd starts the period at the end of the calendar year in
	// which the trigger happened, or the record was last changed if that
	// came later, not on the trigger's day: the fiscal retention duty (AWR
	// art. 52(4), "gedurende zeven jaren", which names no start) is
	// counted in practice from the end of the year in which the data was
	// entered in the administration, and the end of the year a case
	// closed, or a record of it was rectified after, is never before that
	// (rules R9, N7).
	FromYearEnd bool `json:"from_year_end,omitempty"`
	// Statutory marks a period a statute imposes: a minimum that no
	// erasure request shortens (R9, G3, N7).
	Statutory bool   `json:"statutory,omitempty"`
	Citation  string `json:"citation,omitempty"`
	Reason    string `json:"reason"`
	// ReasonNL is Reason in Dutch (see [Policy], # Texts).
	ReasonNL string `json:"reason_nl,omitempty"`
}

// ReasonText returns the rule's reason in Dutch and English.
func (r RetentionRule) ReasonText() Text { return Text{NL: r.ReasonNL, EN: r.Reason} }

// Deadline is a period within which something must be done, and the rule
// that sets it.
type Deadline struct {
	Rule     RuleID `json:"rule"`
	Period   Period `json:"period"`
	Citation string `json:"citation,omitempty"`
}

// RequestRules govern the subject's requests (R11, O13, G2, N8, N11).
type RequestRules struct {
	// Answer lists the answer deadlines; the earliest applies (R11's 4
	// weeks, O13's and G2's one month).
	Answer []Deadline `json:"answer"`
	// Extension is how far a deadline may be extended with notice (G2).
	Extension *Deadline `json:"extension,omitempty"`
	// MedicalErasure is the deadline for destroying a medical file after a
	// granted request (N8).
	MedicalErasure *Deadline `json:"medical_erasure,omitempty"`
	// WrittenBy lists the rules that demand a written request (R11, O13).
	WrittenBy []RuleID `json:"written_by,omitempty"`
	// FreeCopies is how many copies are free of charge (N11: the first).
	FreeCopies int `json:"free_copies"`
}

// PurposeRule declares a purpose the policy processes for (R5, O2).
type PurposeRule struct {
	Purpose   Purpose    `json:"purpose"`
	Rule      RuleID     `json:"rule"`
	CaseKinds []CaseKind `json:"case_kinds"`
	Reason    string     `json:"reason"`
	// ReasonNL is Reason in Dutch (see [Policy], # Texts).
	ReasonNL string `json:"reason_nl,omitempty"`
	// Basis is the legal basis of the processing for this purpose (GDPR
	// art. 6 and, for health data, art. 9), which the privacy statement
	// gives per purpose (GDPR art. 13(1)(c)).
	Basis Text `json:"basis,omitzero"`
}

// ReasonText returns the purpose's reason in Dutch and English.
func (r PurposeRule) ReasonText() Text { return Text{NL: r.ReasonNL, EN: r.Reason} }

// Text is a text of a policy for people in Dutch (NL) and English (EN): a
// title, a name, a reason. Its JSON form is {"nl": "…", "en": "…"}.
type Text struct {
	NL string `json:"nl,omitempty"`
	EN string `json:"en,omitempty"`
}

// In returns the text in language lang, "nl" for Dutch and anything else
// for English. When the text has no form in that language, In returns the
// other one, so that a policy written in one language still renders.
func (t Text) In(lang string) string {
	if lang == "nl" {
		if t.NL != "" {
			return t.NL
		}
		return t.EN
	}
	if t.EN != "" {
		return t.EN
	}
	return t.NL
}

// IsZero reports whether t has no text in either language.
func (t Text) IsZero() bool { return t.NL == "" && t.EN == "" }

// Policy is everything the engines decide from: which role sees which
// categories under which conditions, which disclosures need which basis,
// how long data is kept, how fast requests are answered. It is data,
// versioned and dated (rule O16): every decision records the Version it
// used.
//
// A Policy is a value: engines copy what they need when they are built, so
// changing a Policy afterwards does not change them. Ready policies come
// from [RegulationR], [RegulationO] and [Strict]; others from
// [DecodePolicy].
//
// # Texts
//
// The texts a person reads — the title, the controller and processor, the
// reasons of purposes, disclosures, legal bases and retention rules — are
// in English in the fields of their own name (Title, Reason) and in Dutch
// in the same field with NL appended (TitleNL, ReasonNL), so that a page in
// one language shows no words of the other. The Dutch fields are optional:
// a policy written before they existed decodes as it did, and renders its
// English text in Dutch documents too ([Text.In]). Parallel fields, rather
// than a two-language type in place of the strings, keep every existing
// reader of the policy and its JSON form working; the fields added with
// them (Contact, DPO, PurposeRule.Basis) are [Text] values. The ready
// policies carry both languages throughout; their controller, processor,
// contact and data protection officer are placeholders a service replaces
// with its own, in both languages. Errors, decisions and logs stay in
// English.
type Policy struct {
	Name    string `json:"name"`
	Version string `json:"version"`
	// Effective is when this version comes into force (O16).
	Effective time.Time `json:"effective"`
	Title     string    `json:"title"`
	TitleNL   string    `json:"title_nl,omitempty"`
	// Controller is the service responsible for the processing; Processor
	// is the external party that hosts the system (O3).
	Controller   string `json:"controller"`
	ControllerNL string `json:"controller_nl,omitempty"`
	Processor    string `json:"processor,omitempty"`
	ProcessorNL  string `json:"processor_nl,omitempty"`
	// Contact is how to reach the controller (GDPR art. 13(1)(a)); DPO
	// names the data protection officer and how to reach them (art.
	// 13(1)(b)), zero when the controller has none. The privacy statement
	// gives both.
	Contact Text `json:"contact,omitzero"`
	DPO     Text `json:"dpo,omitzero"`
	// Regulations names the texts the policy implements ("R", "O").
	Regulations []string `json:"regulations"`

	Purposes    []PurposeRule    `json:"purposes"`
	Access      []AccessRule     `json:"access"`
	Disclosures []DisclosureRule `json:"disclosures"`
	LegalBases  []LegalBasis     `json:"legal_bases"`
	Retention   []RetentionRule  `json:"retention"`
	// Data holds the retention rules of the stored data besides
	// records, one per [DataKind] but audit events (R9, O12, N7, G3, G4).
	Data []DataRule `json:"data"`
	// AuditRetention is how long audit events are kept (N9: at least 5
	// years).
	AuditRetention Deadline     `json:"audit_retention"`
	Requests       RequestRules `json:"requests"`
	// MinGroupSize is the smallest group an employer may see figures of
	// (N12).
	MinGroupSize int `json:"min_group_size"`
}

// TitleText returns the policy's title in Dutch and English.
func (p *Policy) TitleText() Text { return Text{NL: p.TitleNL, EN: p.Title} }

// ControllerText returns the controller in Dutch and English.
func (p *Policy) ControllerText() Text { return Text{NL: p.ControllerNL, EN: p.Controller} }

// ProcessorText returns the processor in Dutch and English; zero when the
// policy names none.
func (p *Policy) ProcessorText() Text { return Text{NL: p.ProcessorNL, EN: p.Processor} }

// Clone returns a deep copy of p.
func (p *Policy) Clone() *Policy {
	q := *p
	q.Regulations = slices.Clone(p.Regulations)
	q.Purposes = slices.Clone(p.Purposes)
	for i := range q.Purposes {
		q.Purposes[i].CaseKinds = slices.Clone(q.Purposes[i].CaseKinds)
	}
	q.Access = slices.Clone(p.Access)
	for i := range q.Access {
		a := &q.Access[i]
		a.Roles, a.Actions, a.Categories = slices.Clone(a.Roles), slices.Clone(a.Actions), slices.Clone(a.Categories)
		a.Fields, a.CaseKinds, a.Requires = slices.Clone(a.Fields), slices.Clone(a.CaseKinds), slices.Clone(a.Requires)
	}
	q.Disclosures = slices.Clone(p.Disclosures)
	for i := range q.Disclosures {
		d := &q.Disclosures[i]
		d.From, d.Categories, d.Fields = slices.Clone(d.From), slices.Clone(d.Categories), slices.Clone(d.Fields)
	}
	q.LegalBases = slices.Clone(p.LegalBases)
	for i := range q.LegalBases {
		l := &q.LegalBases[i]
		l.Recipients, l.Categories, l.Purposes = slices.Clone(l.Recipients), slices.Clone(l.Categories), slices.Clone(l.Purposes)
	}
	q.Retention = slices.Clone(p.Retention)
	for i := range q.Retention {
		r := &q.Retention[i]
		r.Categories, r.CaseKinds = slices.Clone(r.Categories), slices.Clone(r.CaseKinds)
	}
	q.Data = slices.Clone(p.Data)
	q.Requests.Answer = slices.Clone(p.Requests.Answer)
	q.Requests.WrittenBy = slices.Clone(p.Requests.WrittenBy)
	if p.Requests.Extension != nil {
		e := *p.Requests.Extension
		q.Requests.Extension = &e
	}
	if p.Requests.MedicalErasure != nil {
		e := *p.Requests.MedicalErasure
		q.Requests.MedicalErasure = &e
	}
	return &q
}

// LegalBasis returns the legal basis with the given ID.
func (p *Policy) LegalBasis(id LegalBasisID) (LegalBasis, bool) {
	for _, l := range p.LegalBases {
		if l.ID == id {
			return l, true
		}
	}
	return LegalBasis{}, false
}

// AllowsPurpose reports whether the policy processes for purpose in cases
// of kind k (R5).
func (p *Policy) AllowsPurpose(purpose Purpose, k CaseKind) bool {
	for _, r := range p.Purposes {
		if r.Purpose == purpose && slices.Contains(r.CaseKinds, k) {
			return true
		}
	}
	return false
}

const maxPolicySize = 4 << 20

// DecodePolicy reads a policy in JSON and validates it. Decoding is strict:
// an unknown field, an unknown category, role, rule or condition, trailing
// data, or rules that contradict each other or the statutes all fail with
// an [*Error] that matches [ErrInvalid] and names the path of the bad value.
func DecodePolicy(r io.Reader) (*Policy, error) {
	const op = "decode policy"
	data, err := io.ReadAll(io.LimitReader(r, maxPolicySize+1))
	if err != nil {
		return nil, &Error{Op: op, Kind: ErrInvalid, Msg: "read failed", Err: err}
	}
	if len(data) > maxPolicySize {
		return nil, &Error{Op: op, Kind: ErrInvalid, Msg: "larger than 4 MiB"}
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var p Policy
	if err := dec.Decode(&p); err != nil {
		return nil, JSONError(op, err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, &Error{Op: op, Kind: ErrInvalid, Msg: "trailing data after the policy"}
	}
	if err := p.Validate(); err != nil {
		return nil, err
	}
	return &p, nil
}

// Encode writes p as indented JSON that [DecodePolicy] reads back.
func (p *Policy) Encode(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	if err := enc.Encode(p); err != nil {
		return &Error{Op: "encode policy", Kind: ErrInvalid, Err: err}
	}
	return nil
}
