package rights

import (
	"errors"
	"log/slog"
	"slices"
	"time"

	"github.com/dossierwacht/dossierwacht/export"
	"github.com/dossierwacht/dossierwacht/privacy"
	"github.com/dossierwacht/dossierwacht/privacy/calendar"
)

// RequestID names a request. Like every ID of the library it carries no
// personal data (see [privacy.ValidID]).
type RequestID string

// Kind is what a subject asks for. Values are stored and exported; they are
// never renamed.
type Kind string

// The kinds of request: the rights of GDPR art. 15 to 20 as the two
// regulations give them.
const (
	// KindAccess is a request to inspect one's data ("inzageverzoek",
	// GDPR art. 15; rules R11, O13, G1). The answer is the export.
	KindAccess Kind = "access"
	// KindCopy is a request for a copy of one's data ("afschrift", GDPR
	// art. 15(3); rules R11, N11). The first copy is free.
	KindCopy Kind = "copy"
	// KindRectification is a request to correct data ("correctie", GDPR
	// art. 16; rule O13).
	KindRectification Kind = "rectification"
	// KindErasure is a request to delete data ("verwijdering", GDPR art.
	// 17; rules O13, G3, N8).
	KindErasure Kind = "erasure"
	// KindRestriction is a request to restrict processing ("beperking",
	// GDPR art. 18).
	KindRestriction Kind = "restriction"
	// KindPortability is a request for one's data in a machine-readable
	// form ("dataportabiliteit", GDPR art. 20; rule G5). The answer is the
	// JSON export.
	KindPortability Kind = "portability"
)

// Kinds returns every kind of request, in a fixed order.
func Kinds() []Kind {
	return []Kind{KindAccess, KindCopy, KindRectification, KindErasure, KindRestriction, KindPortability}
}

// Known reports whether k is one of the kinds.
func (k Kind) Known() bool { return slices.Contains(Kinds(), k) }

// delivers reports whether answering a request of kind k hands the subject
// a copy of their data (GDPR art. 15(3)): those are the copies that rule
// N11 counts.
func (k Kind) delivers() bool { return k == KindAccess || k == KindCopy }

// Form is how a request reached the service. Values are stored.
type Form string

// The forms.
const (
	// FormWritten is a letter, an e-mail or a web form: a document the
	// service keeps (rules R11 and O13 ask for one).
	FormWritten Form = "written"
	// FormOral is a request made by phone or in person.
	FormOral Form = "oral"
)

// Known reports whether f is one of the forms.
func (f Form) Known() bool { return f == FormWritten || f == FormOral }

// Status is where a request stands. It moves received → (extended) →
// answered or refused; answered and refused are final. Values are stored.
type Status string

// The statuses.
const (
	StatusReceived Status = "received"
	StatusExtended Status = "extended" // the deadline was extended with notice (G2)
	StatusAnswered Status = "answered"
	StatusRefused  Status = "refused"
)

// Known reports whether s is one of the statuses.
func (s Status) Known() bool {
	switch s {
	case StatusReceived, StatusExtended, StatusAnswered, StatusRefused:
		return true
	}
	return false
}

// Final reports whether s is answered or refused: nothing follows.
func (s Status) Final() bool { return s == StatusAnswered || s == StatusRefused }

// StepKind is what one step of a request's history did. Values are stored.
type StepKind string

// The kinds of step.
const (
	StepFiled     StepKind = "filed"     // the request was received and recorded
	StepConfirmed StepKind = "confirmed" // a non-written request was confirmed in writing (R11, O13)
	StepExtended  StepKind = "extended"  // the deadline was extended, with notice and reasons (G2)
	StepAnswered  StepKind = "answered"  // the request was granted and answered
	StepRefused   StepKind = "refused"   // the request was refused, with reasons (G2, O13, G3)
)

// Known reports whether k is one of the kinds of step.
func (k StepKind) Known() bool {
	switch k {
	case StepFiled, StepConfirmed, StepExtended, StepAnswered, StepRefused:
		return true
	}
	return false
}

// Ground is why a request was refused. Values are stored.
type Ground string

// The grounds of refusal.
const (
	// GroundUnfounded: the request is (manifestly) unfounded ("ongegrond",
	// rule O13; GDPR art. 12(5)).
	GroundUnfounded Ground = "unfounded"
	// GroundDisproportionate: the request is disproportionate or excessive
	// ("onevenredig", rule O13; GDPR art. 12(5)).
	GroundDisproportionate Ground = "disproportionate"
	// GroundContraryToLaw: granting it would break the law ("in strijd met
	// de wet", rule O13).
	GroundContraryToLaw Ground = "contrary-to-law"
	// GroundAgainstPurpose: granting it would defeat the purpose of the
	// processing ("in strijd met het doel", rule O13).
	GroundAgainstPurpose Ground = "against-purpose"
	// GroundStatutoryRetention: a statute obliges the service to keep the
	// data (rule G3; GDPR art. 17(3)(b)).
	GroundStatutoryRetention Ground = "statutory-retention"
	// GroundLegalClaims: the data is needed for legal claims, under a
	// legal hold (rule G3; GDPR art. 17(3)(e)).
	GroundLegalClaims Ground = "legal-claims"
	// GroundRestricted: a restriction of processing the subject asked for
	// stands, and keeps the data as it is until it is lifted (GDPR art.
	// 18(2), [privacy.RuleRestriction]).
	GroundRestricted Ground = "restricted"
	// GroundNotInWriting: a request that the policy wants in writing
	// (rules R11, O13) was never confirmed in writing.
	GroundNotInWriting Ground = "not-in-writing"
)

// Grounds returns every ground, in a fixed order.
func Grounds() []Ground {
	return []Ground{GroundUnfounded, GroundDisproportionate, GroundContraryToLaw, GroundAgainstPurpose,
		GroundStatutoryRetention, GroundLegalClaims, GroundRestricted, GroundNotInWriting}
}

// Known reports whether g is one of the grounds.
func (g Ground) Known() bool { return slices.Contains(Grounds(), g) }

// grounds returns the grounds on which a request of kind k may be refused,
// and the rule behind each. GroundNotInWriting is checked apart: it depends
// on the policy.
func (k Kind) grounds() map[Ground]privacy.RuleID {
	switch k {
	case KindRectification:
		// Rule O13: correction unless unfounded, disproportionate,
		// unlawful or against the purpose.
		return map[Ground]privacy.RuleID{GroundUnfounded: privacy.O13, GroundDisproportionate: privacy.O13,
			GroundContraryToLaw: privacy.O13, GroundAgainstPurpose: privacy.O13}
	case KindErasure:
		// Rule O13 as for rectification; rule G3: a statutory duty to keep
		// the data, or legal claims; GDPR art. 18(2): a restriction.
		return map[Ground]privacy.RuleID{GroundUnfounded: privacy.O13, GroundDisproportionate: privacy.O13,
			GroundContraryToLaw: privacy.O13, GroundAgainstPurpose: privacy.O13,
			GroundStatutoryRetention: privacy.G3, GroundLegalClaims: privacy.G3, GroundRestricted: privacy.RuleRestriction}
	}
	// Access, copy, restriction, portability: only a manifestly unfounded
	// or excessive request may be refused (GDPR art. 12(5), under rule G2).
	return map[Ground]privacy.RuleID{GroundUnfounded: privacy.G2, GroundDisproportionate: privacy.G2}
}

// Due is a request's deadline: the last day on which it may be answered,
// and the rule that sets it. The request is late after the end of that day
// in the Netherlands.
type Due struct {
	// Date is the last day (Europe/Amsterdam).
	Date calendar.Date `json:"date"`
	// Rule is the rule of the answer period that gave the earliest day:
	// R11 (4 weeks), O13 or G2 (one month).
	Rule privacy.RuleID `json:"rule"`
	// Citation is where the period comes from.
	Citation string `json:"citation,omitempty"`
	// Extension is the rule of the extension (G2) once the deadline was
	// extended; empty before.
	Extension privacy.RuleID `json:"extension,omitempty"`
}

// Request is a data subject's request and its history. It is created by
// [Desk.File] and moved on by [Desk.ConfirmWritten], [Desk.Extend],
// [Desk.Answer] and [Desk.Refuse]; stores keep it whole. A request holds
// IDs, times and staff's reasons, no record content.
type Request struct {
	ID      RequestID         `json:"id"`
	Subject privacy.SubjectID `json:"subject"`
	Kind    Kind              `json:"kind"`
	Form    Form              `json:"form"`
	// Received is when the request reached the service. The deadline runs
	// from that day (in the Netherlands), whatever its form.
	Received time.Time `json:"received"`
	// Document references the written request or its written confirmation
	// (a document ID, never its content).
	Document string `json:"document,omitempty"`
	// Records limits a rectification, erasure or restriction to these
	// records; empty means every record of the subject.
	Records []privacy.RecordID `json:"records,omitempty"`
	// WrittenRule is the rule that wants the request in writing (R11,
	// O13), for a request that arrived in another form; empty otherwise.
	WrittenRule privacy.RuleID `json:"written_rule,omitempty"`
	// Written is when the request, or its confirmation, was in writing;
	// zero while a non-written request awaits confirmation.
	Written time.Time `json:"written,omitzero"`
	// Status is where the request stands: the status of its last step.
	Status Status `json:"status"`
	// Due is the current deadline.
	Due Due `json:"due"`
	// Policy is the version of the policy the request was filed under
	// (O16).
	Policy string `json:"policy"`
	// History is every step, oldest first; the first is the filing.
	History []Step `json:"history"`
}

// AwaitsWritten reports whether the request arrived in another form than
// writing under a policy that wants it in writing (rules R11, O13) and has
// not been confirmed in writing yet. Such a request is recorded and its
// deadline runs, but it is answered only after the confirmation.
func (r Request) AwaitsWritten() bool { return r.WrittenRule != "" && r.Written.IsZero() }

// Last returns the last step of the history, or the zero Step.
func (r Request) Last() Step {
	if len(r.History) == 0 {
		return Step{}
	}
	return r.History[len(r.History)-1]
}

// Ended is when the request's retention period runs from (rules R11,
// O13, O12; issue 14 §1): once it is closed (its status final), the time
// of its final step; while it is open, the end of the last day of its
// deadline (the start of the next day in Europe/Amsterdam, the extended
// deadline once extended), or its last step when that came later (a
// request received long ago and filed only now), so that a request never
// answered is neither kept for ever, and its subject with it, nor erased
// as soon as it is filed; zero for a request with neither (one the desk
// has not filed). Stores give it to a sweep as [retention.Object.Ended].
func (r Request) Ended() time.Time {
	if r.Status.Final() {
		return r.Last().At
	}
	var end time.Time
	for i := len(r.History) - 1; i >= 0; i-- {
		if d := r.History[i].Due; !d.IsZero() {
			end = d.AddDays(1).In(calendar.Amsterdam())
			break
		}
	}
	if end.IsZero() && !r.Due.Date.IsZero() {
		end = r.Due.Date.AddDays(1).In(calendar.Amsterdam())
	}
	// Rules R11, O13, O12 (attack review 11): never before its last step.
	// A request received long ago and filed (or confirmed, or extended)
	// only now is in progress: from its deadline alone the next sweep
	// erased it, unanswered, minutes after it was filed.
	if last := r.Last().At; !end.IsZero() && last.After(end) {
		end = last
	}
	return end
}

// Clone returns a deep copy of r: stores copy requests in and out.
func (r Request) Clone() Request {
	r.Records = slices.Clone(r.Records)
	r.History = slices.Clone(r.History)
	for i := range r.History {
		r.History[i].Outcome = r.History[i].Outcome.clone()
	}
	return r
}

// LogValue identifies the request by ID, kind and status only.
func (r Request) LogValue() slog.Value {
	return slog.GroupValue(slog.String("id", string(r.ID)), slog.String("kind", string(r.Kind)),
		slog.String("status", string(r.Status)))
}

// Step is one step of a request's history: what happened, when, who
// decided, why, under which rule and policy version.
type Step struct {
	Kind StepKind `json:"step"`
	// Status is the request's status after the step.
	Status Status              `json:"status"`
	At     time.Time           `json:"at"`
	By     privacy.PrincipalID `json:"by"`
	Reason string              `json:"reason"`
	Rule   privacy.RuleID      `json:"rule"`
	Policy string              `json:"policy"`
	// Ground is why a refused request was refused.
	Ground Ground `json:"ground,omitempty"`
	// Due is the deadline after the step: set on filing and extension.
	Due calendar.Date `json:"due,omitzero"`
	// Late reports an answer or refusal after the deadline.
	Late bool `json:"late,omitempty"`
	// Copy is, for an answered access or copy request, which copy of the
	// subject's data it delivered: 1 for the first (N11).
	Copy int `json:"copy,omitempty"`
	// FeeCents is the fee charged for a further copy, in euro cents
	// (GDPR art. 15(3)); zero for the first copies (N11).
	FeeCents int64 `json:"fee_cents,omitempty"`
	// Document references the written confirmation, for a confirmation.
	Document string `json:"document,omitempty"`
	// Outcome is what an answered rectification or erasure changed.
	Outcome *Outcome `json:"outcome,omitempty"`
}

// Outcome is what a granted rectification or erasure did, as recorded in
// the answer: the records that changed or went, those that stayed and why
// (G3), the recipients told (G4). It holds IDs, no content.
type Outcome struct {
	Changed []privacy.RecordID `json:"changed,omitempty"`
	Erased  []privacy.RecordID `json:"erased,omitempty"`
	Kept    []Keep             `json:"kept,omitempty"`
	Notify  []privacy.PartyID  `json:"notify,omitempty"`
	// MedicalDue is the last day to destroy the medical records erased
	// (N8).
	MedicalDue calendar.Date `json:"medical_due,omitzero"`
}

func (o *Outcome) clone() *Outcome {
	if o == nil {
		return nil
	}
	c := *o
	c.Changed, c.Erased, c.Notify = slices.Clone(o.Changed), slices.Clone(o.Erased), slices.Clone(o.Notify)
	c.Kept = slices.Clone(o.Kept)
	return &c
}

const (
	maxScope      = 10000 // records a request may name
	maxReasonLen  = 4096
	maxFeeCents   = 1_000_000
	minYear       = 1
	maxYear       = 9999
	op            = "rights: "
	msgMalformed  = "want 1 to 128 of A-Z a-z 0-9 . _ : -"
	msgTimeBounds = "missing or outside years 1 to 9999"
)

func invalid(opName, path, msg string) error {
	return &privacy.Error{Op: op + opName, Kind: privacy.ErrInvalid, Path: path, Msg: msg}
}

func checkID(opName, path, id string) error {
	if !privacy.ValidID(id) {
		return invalid(opName, path, msgMalformed)
	}
	return nil
}

// validTime reports whether t is set and its UTC year is 1 to 9999, the
// years that encode as JSON.
func validTime(t time.Time) bool {
	if t.IsZero() {
		return false
	}
	y := t.UTC().Year()
	return y >= minYear && y <= maxYear
}

func checkTime(opName, path string, t time.Time) error {
	if !validTime(t) {
		return invalid(opName, path, msgTimeBounds)
	}
	return nil
}

// Validate reports whether r is a well-formed request: the checks a store
// may rely on. They are the export's ([export.RequestData.Validate]), so
// that every request a store keeps can be exported: IDs and times
// well-formed, kind, form, status, steps and grounds known, records named
// only by a rectification, erasure or restriction, a history that starts
// with the filing, runs forward in time and ends in the request's status.
// It does not judge the history against a policy.
func (r Request) Validate() error {
	d := r.data()
	if err := d.Validate(); err != nil {
		var e *privacy.Error
		if errors.As(err, &e) {
			c := *e
			c.Op = op + "validate request"
			return &c
		}
		return err
	}
	return nil
}

// data is r in the export's form: the subject's export shows it so, and
// its Validate checks it. It shares no slice with r.
func (r *Request) data() export.RequestData {
	d := export.RequestData{ID: string(r.ID), Subject: r.Subject, Kind: string(r.Kind), Form: string(r.Form),
		Received: r.Received, Document: r.Document, Records: slices.Clone(r.Records), WrittenRule: r.WrittenRule,
		Written: r.Written, Status: string(r.Status), Policy: r.Policy,
		Due: export.DueData{Date: r.Due.Date, Rule: r.Due.Rule, Citation: r.Due.Citation, Extension: r.Due.Extension}}
	if r.History != nil {
		d.History = make([]export.StepData, len(r.History))
	}
	for i, s := range r.History {
		d.History[i] = export.StepData{Kind: string(s.Kind), Status: string(s.Status), At: s.At, By: s.By, Reason: s.Reason,
			Rule: s.Rule, Policy: s.Policy, Ground: string(s.Ground), Due: s.Due, Late: s.Late, Copy: s.Copy,
			FeeCents: s.FeeCents, Document: s.Document, Outcome: s.Outcome.data()}
	}
	return d
}

func (o *Outcome) data() *export.OutcomeData {
	if o == nil {
		return nil
	}
	d := &export.OutcomeData{Changed: slices.Clone(o.Changed), Erased: slices.Clone(o.Erased),
		Notify: slices.Clone(o.Notify), MedicalDue: o.MedicalDue}
	if o.Kept != nil {
		d.Kept = make([]export.KeptData, len(o.Kept))
	}
	for i, k := range o.Kept {
		d.Kept[i] = export.KeptData{Record: k.Record, Case: k.Case, Category: k.Category, Ground: string(k.Ground),
			Rule: k.Rule, Retention: k.Retention, Until: k.Until, Citation: k.Citation, Reason: k.Reason}
	}
	return d
}

func trunc(s string) string {
	if len(s) <= 32 {
		return s
	}
	return s[:32] + "…"
}
