package export

import (
	"fmt"
	"slices"
	"time"

	"github.com/dossierwacht/dossierwacht/privacy"
	"github.com/dossierwacht/dossierwacht/privacy/calendar"
)

// The subject's requests, as the export shows them (rules R11, O13, G2,
// G1). Package rights keeps each request with its history; the export has
// its own form of it, member for member, so that the documented format
// (schema [Schema]) stays what it is when the desk's types change, as it
// does for what the other sources keep. The desk hands the subject's
// requests to the [Writer] in this form ([Job].Requests), and checks its
// own requests with [RequestData.Validate]: every request it keeps can be
// exported.
//
// The values of a request's kind, form, status, step and ground are those
// of package rights; the lists below are the ones this version of the
// format knows, and a test keeps them equal to that package's (and to the
// JSON Schema's enumerations).
var (
	requestKinds = []string{"access", "copy", "rectification", "erasure", "restriction", "portability"}
	// scopedKinds may name the records they are about.
	scopedKinds     = []string{"rectification", "erasure", "restriction"}
	requestForms    = []string{"written", "oral"}
	requestStatuses = []string{"received", "extended", "answered", "refused"}
	stepKinds       = []string{"filed", "confirmed", "extended", "answered", "refused"}
	grounds         = []string{"unfounded", "disproportionate", "contrary-to-law", "against-purpose", "statutory-retention",
		"legal-claims", "restricted", "not-in-writing"}
)

// RequestData is one of the subject's requests and its history.
type RequestData struct {
	ID      string            `json:"id"`
	Subject privacy.SubjectID `json:"subject"`
	// Kind is what the subject asked for: access, copy, rectification,
	// erasure, restriction or portability.
	Kind string `json:"kind"`
	// Form is how the request came in: written or oral.
	Form string `json:"form"`
	// Received is when the request reached the service.
	Received time.Time `json:"received"`
	// Document references the written request or its confirmation.
	Document string `json:"document,omitempty"`
	// Records limits a rectification, erasure or restriction to these
	// records; empty means every record of the subject.
	Records []privacy.RecordID `json:"records,omitempty"`
	// WrittenRule is the rule that wants the request in writing (R11,
	// O13), for a request that arrived in another form; Written is when
	// it, or its confirmation, was in writing.
	WrittenRule privacy.RuleID `json:"written_rule,omitempty"`
	Written     time.Time      `json:"written,omitzero"`
	// Status is where the request stands: received, extended, answered or
	// refused, the status of its last step.
	Status string  `json:"status"`
	Due    DueData `json:"due"`
	// Policy is the version of the policy the request was filed under
	// (O16).
	Policy string `json:"policy"`
	// History is every step, oldest first; the first is the filing.
	History []StepData `json:"history"`
}

// DueData is a request's deadline: the last day, in the Netherlands, and
// the rule of the answer period that set it (R11, O13, G2); Extension is
// the rule of the extension (G2), once extended.
type DueData struct {
	Date      calendar.Date  `json:"date"`
	Rule      privacy.RuleID `json:"rule"`
	Citation  string         `json:"citation,omitempty"`
	Extension privacy.RuleID `json:"extension,omitempty"`
}

// StepData is one step of a request's history: what happened, when, who
// decided, why, under which rule and policy version.
type StepData struct {
	// Kind is what the step did: filed, confirmed, extended, answered or
	// refused; Status the request's status after it.
	Kind   string              `json:"step"`
	Status string              `json:"status"`
	At     time.Time           `json:"at"`
	By     privacy.PrincipalID `json:"by"`
	Reason string              `json:"reason"`
	Rule   privacy.RuleID      `json:"rule"`
	Policy string              `json:"policy"`
	// Ground is why a refused request was refused.
	Ground string `json:"ground,omitempty"`
	// Due is the deadline after a filing or an extension.
	Due calendar.Date `json:"due,omitzero"`
	// Late reports an answer or refusal after the deadline.
	Late bool `json:"late,omitempty"`
	// Copy is which copy of the subject's data an answer delivered, and
	// FeeCents the fee for it in euro cents (N11; GDPR art. 15(3)).
	Copy     int   `json:"copy,omitempty"`
	FeeCents int64 `json:"fee_cents,omitempty"`
	// Document references a written confirmation.
	Document string `json:"document,omitempty"`
	// Outcome is what an answered rectification or erasure changed.
	Outcome *OutcomeData `json:"outcome,omitempty"`
}

// OutcomeData is what a granted rectification or erasure did: the records
// that changed or went, those kept and why (G3), the recipients told (G4),
// the last day to destroy the medical records erased (N8).
type OutcomeData struct {
	Changed    []privacy.RecordID `json:"changed,omitempty"`
	Erased     []privacy.RecordID `json:"erased,omitempty"`
	Kept       []KeptData         `json:"kept,omitempty"`
	Notify     []privacy.PartyID  `json:"notify,omitempty"`
	MedicalDue calendar.Date      `json:"medical_due,omitzero"`
}

// KeptData is a record an erasure left, and why: the ground and the rule
// that keeps it (G3), the rule of its period (R9, N7), its last day.
type KeptData struct {
	Record    privacy.RecordID `json:"record"`
	Case      privacy.CaseID   `json:"case"`
	Category  privacy.Category `json:"category"`
	Ground    string           `json:"ground"`
	Rule      privacy.RuleID   `json:"rule"`
	Retention privacy.RuleID   `json:"retention,omitempty"`
	Until     calendar.Date    `json:"until,omitzero"`
	Citation  string           `json:"citation,omitempty"`
	Reason    string           `json:"reason,omitempty"`
}

// Last returns the last step of the history, or the zero StepData.
func (r *RequestData) Last() StepData {
	if len(r.History) == 0 {
		return StepData{}
	}
	return r.History[len(r.History)-1]
}

// clone returns a deep copy of r: the writer normalizes its copy, not the
// caller's.
func (r RequestData) clone() RequestData {
	r.Records = slices.Clone(r.Records)
	r.History = slices.Clone(r.History)
	for i := range r.History {
		if o := r.History[i].Outcome; o != nil {
			c := *o
			c.Changed, c.Erased, c.Notify = slices.Clone(o.Changed), slices.Clone(o.Erased), slices.Clone(o.Notify)
			c.Kept = slices.Clone(o.Kept)
			r.History[i].Outcome = &c
		}
	}
	return r
}

// Validate reports whether r is a well-formed request of the export: IDs
// and times well-formed, its kind, form, status, steps and grounds known,
// records named only by a rectification, erasure or restriction (at most
// 10,000, none twice), a history that starts with the filing, runs
// forward in time and ends in the request's status. Errors match
// [privacy.ErrInvalid] and name the member that failed.
func (r *RequestData) Validate() error {
	const o = "validate request"
	if err := checkID(o, "id", r.ID); err != nil {
		return err
	}
	if err := checkID(o, "subject", string(r.Subject)); err != nil {
		return err
	}
	if !slices.Contains(requestKinds, r.Kind) {
		return invalid(o, "kind", fmt.Sprintf("unknown kind %q", trunc(r.Kind)))
	}
	if !slices.Contains(requestForms, r.Form) {
		return invalid(o, "form", "unknown form")
	}
	if err := checkTime(o, "received", r.Received); err != nil {
		return err
	}
	if r.Document != "" {
		if err := checkID(o, "document", r.Document); err != nil {
			return err
		}
	}
	if len(r.Records) > 0 && !slices.Contains(scopedKinds, r.Kind) {
		return invalid(o, "records", "only a rectification, erasure or restriction names records")
	}
	if len(r.Records) > maxScope {
		return invalid(o, "records", "more than 10000 records")
	}
	seen := make(map[privacy.RecordID]bool, len(r.Records))
	for i, id := range r.Records {
		if err := checkID(o, fmt.Sprintf("records[%d]", i), string(id)); err != nil {
			return err
		}
		if seen[id] {
			return invalid(o, fmt.Sprintf("records[%d]", i), "named twice")
		}
		seen[id] = true
	}
	if r.WrittenRule != "" && !r.WrittenRule.Known() {
		return invalid(o, "written_rule", "unknown rule")
	}
	if !r.Written.IsZero() {
		if err := checkTime(o, "written", r.Written); err != nil {
			return err
		}
	}
	if !slices.Contains(requestStatuses, r.Status) {
		return invalid(o, "status", "unknown status")
	}
	if len(r.History) == 0 {
		return invalid(o, "history", "a request has at least its filing")
	}
	if r.History[0].Kind != "filed" {
		return invalid(o, "history[0]", "the first step is the filing")
	}
	if r.Last().Status != r.Status {
		return invalid(o, "status", "not the status of the last step")
	}
	for i := range r.History {
		s := &r.History[i]
		if err := s.validate(fmt.Sprintf("history[%d]", i)); err != nil {
			return err
		}
		if i > 0 && s.At.Before(r.History[i-1].At) {
			return invalid(o, fmt.Sprintf("history[%d].at", i), "before the step it follows")
		}
	}
	return nil
}

func (s *StepData) validate(path string) error {
	const o = "validate request"
	if !slices.Contains(stepKinds, s.Kind) {
		return invalid(o, path+".step", "unknown step")
	}
	if !slices.Contains(requestStatuses, s.Status) {
		return invalid(o, path+".status", "unknown status")
	}
	if err := checkTime(o, path+".at", s.At); err != nil {
		return err
	}
	if err := checkID(o, path+".by", string(s.By)); err != nil {
		return err
	}
	if len(s.Reason) > maxReasonLen {
		return invalid(o, path+".reason", "longer than 4096 bytes")
	}
	if s.Rule != "" && !s.Rule.Known() {
		return invalid(o, path+".rule", "unknown rule")
	}
	if s.Ground != "" && !slices.Contains(grounds, s.Ground) {
		return invalid(o, path+".ground", "unknown ground")
	}
	if s.Copy < 0 || s.FeeCents < 0 || s.FeeCents > maxFeeCents {
		return invalid(o, path, "copy and fee must be within bounds")
	}
	if s.Document != "" {
		if err := checkID(o, path+".document", s.Document); err != nil {
			return err
		}
	}
	if s.Outcome != nil {
		for _, ids := range [][]privacy.RecordID{s.Outcome.Changed, s.Outcome.Erased} {
			for _, id := range ids {
				if err := checkID(o, path+".outcome", string(id)); err != nil {
					return err
				}
			}
		}
		for i := range s.Outcome.Kept {
			if err := s.Outcome.Kept[i].validate(path + ".outcome.kept"); err != nil {
				return err
			}
		}
		for _, p := range s.Outcome.Notify {
			if err := checkID(o, path+".outcome.notify", string(p)); err != nil {
				return err
			}
		}
	}
	return nil
}

func (k *KeptData) validate(path string) error {
	const o = "validate request"
	for _, f := range []struct{ p, id string }{{"record", string(k.Record)}, {"case", string(k.Case)}} {
		if err := checkID(o, path+"."+f.p, f.id); err != nil {
			return err
		}
	}
	if !k.Category.Known() || k.Category.Special() {
		return invalid(o, path+".category", "unknown category")
	}
	if !slices.Contains(grounds, k.Ground) {
		return invalid(o, path+".ground", "unknown ground")
	}
	for _, r := range []privacy.RuleID{k.Rule, k.Retention} {
		if r != "" && !r.Known() {
			return invalid(o, path+".rule", "unknown rule")
		}
	}
	if len(k.Citation) > maxReasonLen || len(k.Reason) > maxReasonLen {
		return invalid(o, path, "text longer than 4096 bytes")
	}
	return nil
}
