package rights

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/dossierwacht/dossierwacht/access"
	"github.com/dossierwacht/dossierwacht/export"
	"github.com/dossierwacht/dossierwacht/privacy"
	"github.com/dossierwacht/dossierwacht/privacy/calendar"
	"github.com/dossierwacht/dossierwacht/retention"
)

// Store keeps requests. It is the small interface an adapter implements;
// users work with [Desk], which validates every request and every step
// before it reaches the Store.
//
// Every write comes with its audit events (rules O1, G7, N9): the store
// appends them to the same hash-chained audit trail as the case file's
// ([privacy.Store]), numbered and chained with [privacy.Event.Chain], in
// the atomic unit of the write, so that a step and its events land
// together or not at all. A write without events is refused with
// [privacy.ErrInvalid] naming rule G7.
//
// Contract, checked by the kit in package rightstest:
//   - Methods are safe for concurrent use.
//   - Requests are copied in and out: changing a returned Request's
//     slices never changes the store.
//   - A missing request gives an error matching [privacy.ErrNotFound];
//     creating a request whose ID exists gives [privacy.ErrExists]; a
//     storage failure gives [privacy.ErrUnavailable].
//   - Every method is atomic: when it fails, nothing has changed, audit
//     events included.
//   - Times come back equal (time.Time.Equal) to what went in.
type Store interface {
	// CreateRequest stores a new request and appends the audit events of
	// its filing, together.
	CreateRequest(ctx context.Context, r Request, events []privacy.Event) error
	// Request returns the request with the given ID.
	Request(ctx context.Context, id RequestID) (Request, error)
	// UpdateRequest replaces a stored request with r, which has exactly
	// one step more than the stored one, and appends the audit events of
	// that step, together; otherwise — another step landed first — it
	// fails with [privacy.ErrConflict] and changes nothing. This
	// compare-and-swap on the length of the history is what keeps two
	// racing decisions from both landing.
	UpdateRequest(ctx context.Context, r Request, events []privacy.Event) error
	// SubjectRequests returns the subject's requests ordered by receipt,
	// then ID; none (not an error) for a subject without requests.
	SubjectRequests(ctx context.Context, subject privacy.SubjectID) ([]Request, error)
	// OpenRequests returns the requests that are neither answered nor
	// refused, ordered by deadline, then ID.
	OpenRequests(ctx context.Context) ([]Request, error)
	// AppendEvents appends events to the audit trail, all or none, and
	// returns them as stored: numbered and chained. The desk uses it for
	// what writes no request: an export, before it writes anything; a
	// plan's application, before it changes anything; a refused step. It
	// is the method of the same name of [privacy.Store] and access.Store,
	// which an adapter has already.
	AppendEvents(ctx context.Context, events ...privacy.Event) ([]privacy.Event, error)
}

// Options configure a [Desk]. A nil *Options means the zero value: Dutch
// holidays and no other sources.
type Options struct {
	// Holidays is the calendar of days on which a deadline does not end;
	// nil means [calendar.Dutch](nil).
	Holidays calendar.Holidays
	// Disclosures, Consents, Audit and Retention are the other packages'
	// records of the subject, as package export reads them (see its
	// interfaces, and the glue export.FromConsent, export.FromAudit and
	// export.RetentionFromStore). Each may be nil: its part of the export
	// is then marked "not available"; without Retention an erasure is
	// decided on the policy's statutory periods alone, and without
	// Disclosures it names no recipient to tell (G4).
	Disclosures export.DisclosureSource
	Consents    export.ConsentSource
	Audit       export.AuditSource
	Retention   export.RetentionFacts
	// Erasures is package retention's Retention, under the same policy
	// and over the same case file, through which [Desk.Apply] records a
	// granted erasure and carries it out at once, with a proof of each
	// deletion and the holds checked as it deletes (rules R9, O13, G3,
	// N8). Without it, an erasure plan is not applied: the desk deletes
	// nothing without a proof.
	Erasures *retention.Keeper
	// Complaints describes the service's own complaints procedure (rules
	// R10, O15), e.g. an address or a URL; the export and every refusal
	// name it beside the Autoriteit Persoonsgegevens.
	Complaints string
}

// Desk is the service's desk for data subjects' requests: it files them
// with their deadline, moves them on step by step, decides rectification
// and erasure, and lets, audits and writes the subject's export (through
// package export). It keeps requests in a [Store] and reads the case file
// from [privacy.Dossiers], under the dossiers' policy.
//
// A Desk never reads the clock: every method takes the time of its act.
// It is safe for concurrent use if its Store and sources are.
type Desk struct {
	store    Store
	dossiers *privacy.Dossiers
	policy   *privacy.Policy
	holidays calendar.Holidays

	disclosures export.DisclosureSource
	retention   export.RetentionFacts
	erasures    *retention.Keeper
	complaints  string
	// writer writes the exports the desk lets (package export).
	writer *export.Writer
	// engine decides a physician's release of medical records as a
	// medical read (O6, G8, N6).
	engine *access.Engine
}

// New returns a desk that keeps requests in store and reads the case file
// from dossiers, under the dossiers' policy.
func New(store Store, dossiers *privacy.Dossiers, opts *Options) (*Desk, error) {
	if store == nil {
		return nil, invalid("new desk", "store", "nil store")
	}
	if dossiers == nil {
		return nil, invalid("new desk", "dossiers", "nil dossiers")
	}
	if opts == nil {
		opts = &Options{}
	}
	if len(opts.Complaints) > maxReasonLen {
		return nil, invalid("new desk", "complaints", "longer than 4096 bytes")
	}
	d := &Desk{store: store, dossiers: dossiers, policy: dossiers.Policy(), holidays: opts.Holidays,
		disclosures: opts.Disclosures, retention: opts.Retention, erasures: opts.Erasures, complaints: opts.Complaints}
	if d.holidays == nil {
		d.holidays = calendar.Dutch(nil)
	}
	engine, err := access.NewEngine(d.policy)
	if err != nil {
		return nil, err
	}
	d.engine = engine
	d.writer, err = export.NewWriter(dossiers, &export.Options{Disclosures: opts.Disclosures, Consents: opts.Consents,
		Audit: opts.Audit, Retention: opts.Retention, Complaints: opts.Complaints})
	if err != nil {
		return nil, err
	}
	return d, nil
}

// Policy returns a copy of the policy the desk works under.
func (d *Desk) Policy() *privacy.Policy { return d.policy.Clone() }

// Filing is a request as it arrives.
type Filing struct {
	ID      RequestID
	Subject privacy.SubjectID
	Kind    Kind
	Form    Form
	// Received is when the request reached the service: at or before the
	// act that files it.
	Received time.Time
	// Document references the written request (optional).
	Document string
	// Records limits a rectification, erasure or restriction to these
	// records; empty means all the subject's records.
	Records []privacy.RecordID
}

// File records a new request with its deadline, as act: the earliest
// answer period of the policy, counted to the day from its receipt (rules
// R11, O13, G2; see [Deadline]). The filing step is dated act.At and
// names act.By, and its audit event (create, with the NEN 7513 fields of
// act) lands with the request (rules O1, G7, N9).
//
// The subject files their own requests (act.By of [privacy.RoleSubject]
// for f.Subject); the service's staff — case managers, physicians,
// support staff and the privacy officer — file what they receive. Anyone
// else is refused with [privacy.ErrForbidden] (see [Desk], # Who acts).
//
// A request that is not in writing, under a policy that wants it in
// writing (Requests.WrittenBy: R11, O13), is not refused: it is recorded,
// marked as awaiting written confirmation ([Request.AwaitsWritten]), and
// its deadline runs from its receipt all the same — the GDPR, which both
// regulations now rest on, asks no form, so a form cannot buy time. It is
// answered only once confirmed ([Desk.ConfirmWritten]); if no confirmation
// comes, the desk may refuse it with [GroundNotInWriting].
//
// The subject need not be known to the service: a person about whom
// nothing is held still gets an answer. File fails with
// [privacy.ErrInvalid] for malformed input (a receipt after act.At
// included) and [privacy.ErrExists] for a taken ID; nothing is stored
// then.
func (d *Desk) File(ctx context.Context, act privacy.Act, f Filing) (Request, error) {
	const o = "file request"
	if err := act.Validate(); err != nil {
		return Request{}, err
	}
	if err := d.gate(ctx, o, act, filers, f.Subject, objectOf(f.ID), privacy.EventCreate); err != nil {
		return Request{}, err
	}
	at := privacy.Timestamp(act.At)
	r := Request{ID: f.ID, Subject: f.Subject, Kind: f.Kind, Form: f.Form, Received: privacy.Timestamp(f.Received),
		Document: f.Document, Records: slices.Clone(f.Records), Status: StatusReceived, Policy: d.policy.Version}
	if len(r.Records) == 0 {
		r.Records = nil
	}
	if validTime(r.Received) && r.Received.After(at) {
		return Request{}, invalid(o, "received", "after the act that files it")
	}
	// Rules R11, O13, G2: the earliest answer period, to the day.
	due, err := Deadline(d.policy.Requests, r.Received, d.holidays)
	if err != nil && validTime(r.Received) {
		return Request{}, err
	}
	r.Due = due
	step := Step{Kind: StepFiled, Status: StatusReceived, At: at, By: act.By.ID, Rule: due.Rule,
		Policy: d.policy.Version, Due: due.Date, Reason: "request received; answer due " + due.Date.String()}
	if r.Form == FormWritten {
		r.Written = r.Received
	} else if len(d.policy.Requests.WrittenBy) > 0 {
		// Rules R11, O13: the regulation wants a written request. Record
		// it, mark it, let the deadline run.
		r.WrittenRule = d.policy.Requests.WrittenBy[0]
		step.Reason = fmt.Sprintf("request received, not in writing; answered once confirmed in writing (rule %s); answer due %s",
			r.WrittenRule, due.Date)
	}
	r.History = []Step{step}
	if err := r.Validate(); err != nil {
		return Request{}, fileErr(err)
	}
	// Rules O1, G7, N9: the filing and its audit event land together.
	if err := d.store.CreateRequest(ctx, r, []privacy.Event{d.stepEvent(&act, &r, &step, privacy.EventCreate)}); err != nil {
		return Request{}, err
	}
	return r.Clone(), nil
}

// fileErr renames a validation error as the filing's.
func fileErr(err error) error {
	var e *privacy.Error
	if errors.As(err, &e) {
		c := *e
		c.Op = op + "file request"
		return &c
	}
	return err
}

// Request returns a request.
func (d *Desk) Request(ctx context.Context, id RequestID) (Request, error) {
	if err := checkID("request", "id", string(id)); err != nil {
		return Request{}, err
	}
	return d.store.Request(ctx, id)
}

// SubjectRequests returns a subject's requests, oldest first.
func (d *Desk) SubjectRequests(ctx context.Context, subject privacy.SubjectID) ([]Request, error) {
	if err := checkID("subject requests", "subject", string(subject)); err != nil {
		return nil, err
	}
	return d.store.SubjectRequests(ctx, subject)
}

// OpenRequests returns the requests still to be answered, the most urgent
// first.
func (d *Desk) OpenRequests(ctx context.Context) ([]Request, error) {
	return d.store.OpenRequests(ctx)
}

// Overdue returns the open requests whose deadline has passed at now.
func (d *Desk) Overdue(ctx context.Context, now time.Time) ([]Request, error) {
	open, err := d.store.OpenRequests(ctx)
	if err != nil {
		return nil, err
	}
	today := dayOf(now)
	return slices.DeleteFunc(open, func(r Request) bool { return !today.After(r.Due.Date) }), nil
}

// Confirmation is the written confirmation of a request that arrived in
// another form (rules R11, O13).
type Confirmation struct {
	// Document references the written confirmation (optional).
	Document string
}

// ConfirmWritten records, as act at act.At, that a request that arrived
// in another form was confirmed in writing (rules R11, O13). The deadline
// does not move: it runs from the first receipt. It fails with
// [privacy.ErrConflict] for a request that awaits no confirmation or is
// closed.
func (d *Desk) ConfirmWritten(ctx context.Context, act privacy.Act, id RequestID, c Confirmation) (Request, error) {
	const o = "confirm request"
	return d.step(ctx, o, act, id, func(r *Request, at time.Time) (Step, error) {
		if !r.AwaitsWritten() {
			return Step{}, &privacy.Error{Op: op + o, Kind: privacy.ErrConflict, Msg: "the request awaits no written confirmation"}
		}
		if c.Document != "" {
			if err := checkID(o, "document", c.Document); err != nil {
				return Step{}, err
			}
		}
		r.Written = at
		if r.Document == "" {
			r.Document = c.Document
		}
		return Step{Kind: StepConfirmed, Status: r.Status, Rule: r.WrittenRule, Document: c.Document,
			Reason: "confirmed in writing"}, nil
	})
}

// Extension is the notice that a request's deadline is extended.
type Extension struct {
	// Reason is why more time is needed; the subject is told (G2).
	Reason string
}

// Extend extends a request's deadline, as act at act.At, by the policy's
// extension (rule G2:
// two further months; see [ExtendedDeadline]). The subject must be told,
// with reasons, within the first period: Extend is that notice, and it is
// refused with [privacy.ErrForbidden] (rule G2) after the deadline's day
// has passed, and when the policy allows no extension; under a policy that
// applies regulation R, with rule R11 (four weeks, not extended). A request is
// extended once; extending again, or a closed request, fails with
// [privacy.ErrConflict]. A missing reason fails with [privacy.ErrInvalid].
func (d *Desk) Extend(ctx context.Context, act privacy.Act, id RequestID, e Extension) (Request, error) {
	const o = "extend request"
	return d.step(ctx, o, act, id, func(r *Request, at time.Time) (Step, error) {
		if r.Status != StatusReceived {
			return Step{}, &privacy.Error{Op: op + o, Kind: privacy.ErrConflict, Rule: privacy.G2, Msg: "only a received request is extended, once"}
		}
		if err := checkReason(o, e.Reason, privacy.G2); err != nil {
			return Step{}, err
		}
		if dayOf(at).After(r.Due.Date) {
			// Rule G2: the extension is notified within the first period.
			return Step{}, &privacy.Error{Op: op + o, Kind: privacy.ErrForbidden, Rule: privacy.G2,
				Msg: "an extension must be notified within the first period"}
		}
		// Rule G2: two further months, counted from receipt.
		due, err := ExtendedDeadline(d.policy.Requests, r.Received, d.holidays)
		if err != nil {
			return Step{}, err
		}
		r.Due = due
		return Step{Kind: StepExtended, Status: StatusExtended, Rule: privacy.G2, Due: due.Date, Reason: e.Reason}, nil
	})
}

// Answer is the answer to a request.
type Answer struct {
	// Reason says what was done, for the record and the subject.
	Reason string
	// FeeCents is a fee for a further copy, in euro cents: allowed only
	// beyond the policy's free copies (N11; GDPR art. 15(3)).
	FeeCents int64
	// Plan is the decision on a rectification or erasure, from
	// [Desk.Plan]; required for those kinds, refused for the others. Its
	// outcome is recorded in the answer.
	Plan *Plan
}

// Answer records, as act at act.At, that a request was granted and
// answered. It fails with
// [privacy.ErrConflict] for a closed request; with [privacy.ErrForbidden]
// for a request still awaiting written confirmation (R11, O13), or a fee
// on one of the free copies (N11: the first copy, medical records
// included, is free); with [privacy.ErrInvalid] for a rectification or
// erasure without a plan that changes something (refuse it instead). An
// answer after the deadline is recorded as late.
func (d *Desk) Answer(ctx context.Context, act privacy.Act, id RequestID, a Answer) (Request, error) {
	const o = "answer request"
	return d.step(ctx, o, act, id, func(r *Request, at time.Time) (Step, error) {
		if r.Status.Final() {
			return Step{}, &privacy.Error{Op: op + o, Kind: privacy.ErrConflict, Msg: "the request is closed"}
		}
		if r.AwaitsWritten() {
			// Rules R11, O13: answered on a written request.
			return Step{}, &privacy.Error{Op: op + o, Kind: privacy.ErrForbidden, Rule: r.WrittenRule,
				Msg: "the request awaits written confirmation"}
		}
		if err := checkReason(o, a.Reason, ""); err != nil {
			return Step{}, err
		}
		s := Step{Kind: StepAnswered, Status: StatusAnswered, Rule: d.answerRule(r.Kind), Reason: a.Reason,
			Late: dayOf(at).After(r.Due.Date)}
		if err := d.fee(ctx, r, a.FeeCents, &s); err != nil {
			return Step{}, err
		}
		switch r.Kind {
		case KindRectification, KindErasure:
			if a.Plan == nil || a.Plan.Request != r.ID || a.Plan.Kind != r.Kind {
				return Step{}, invalid(o, "plan", "a rectification or erasure is answered with its plan")
			}
			if len(a.Plan.Changes) == 0 {
				return Step{}, &privacy.Error{Op: op + o, Kind: privacy.ErrInvalid, Rule: privacy.G3, Path: "plan",
					Msg: "the plan changes nothing: refuse the request with its ground"}
			}
			s.Outcome = a.Plan.outcome()
		default:
			if a.Plan != nil {
				return Step{}, invalid(o, "plan", "only a rectification or erasure has a plan")
			}
		}
		return s, nil
	})
}

// answerRule is the rule under which a request of kind k is granted.
func (d *Desk) answerRule(k Kind) privacy.RuleID {
	switch k {
	case KindAccess:
		if len(d.policy.Requests.WrittenBy) > 0 {
			return d.policy.Requests.WrittenBy[0] // R11 or O13
		}
		return privacy.G1
	case KindCopy:
		return privacy.N11
	case KindPortability:
		return privacy.G5
	case KindRectification, KindErasure:
		return privacy.O13
	}
	return privacy.G2
}

// Fee tells whether a request may carry a fee: which copy of the subject's
// data answering it would deliver, and whether that copy is free (rule
// N11: the first copy is free, a medical record included; GDPR art. 15(3):
// a reasonable fee is possible for further copies). Only access and copy
// requests deliver copies; every other request is free.
type Fee struct {
	// Copy is the number of the copy: 1 for the subject's first. Zero for
	// a request that delivers no copy.
	Copy int
	// Free reports that no fee may be charged.
	Free   bool
	Rule   privacy.RuleID
	Reason string
}

// Fee returns the fee decision for a request (rule N11).
func (d *Desk) Fee(ctx context.Context, id RequestID) (Fee, error) {
	r, err := d.Request(ctx, id)
	if err != nil {
		return Fee{}, err
	}
	return d.feeOf(ctx, r)
}

func (d *Desk) feeOf(ctx context.Context, r Request) (Fee, error) {
	if !r.Kind.delivers() {
		return Fee{Free: true, Rule: privacy.N11, Reason: "only further copies of one's data may carry a fee"}, nil
	}
	all, err := d.store.SubjectRequests(ctx, r.Subject)
	if err != nil {
		return Fee{}, err
	}
	n := 1
	for _, q := range all {
		if q.ID != r.ID && q.Kind.delivers() && q.Status == StatusAnswered {
			n++
		}
	}
	// Rule N11: the first copy (FreeCopies of them) is free.
	if n <= d.policy.Requests.FreeCopies {
		return Fee{Copy: n, Free: true, Rule: privacy.N11, Reason: "the first copy is free, medical records included"}, nil
	}
	return Fee{Copy: n, Rule: privacy.N11, Reason: "a further copy may carry a reasonable fee (GDPR art. 15(3))"}, nil
}

func (d *Desk) fee(ctx context.Context, r *Request, cents int64, s *Step) error {
	const o = "answer request"
	if cents < 0 || cents > maxFeeCents {
		return invalid(o, "fee", "between 0 and 1000000 cents")
	}
	f, err := d.feeOf(ctx, *r)
	if err != nil {
		return err
	}
	if cents > 0 && f.Free {
		// Rule N11: no fee for the first copy.
		return &privacy.Error{Op: op + o, Kind: privacy.ErrForbidden, Rule: privacy.N11, Path: "fee",
			Msg: "no fee on a free copy: only further copies may carry a fee"}
	}
	s.Copy, s.FeeCents = f.Copy, cents
	if f.Copy > 0 && s.Rule == "" {
		s.Rule = privacy.N11
	}
	return nil
}

// Refusal is the refusal of a request.
type Refusal struct {
	Ground Ground
	// Reason states the reasons; the subject is told them, with the right
	// to complain (G2, O15).
	Reason string
}

// Refuse records, as act at act.At, that a request was refused, on a
// ground its kind allows:
// a rectification or erasure when unfounded, disproportionate, contrary to
// law or against the purpose (rule O13); an erasure also when a statute
// or legal claims keep the data (rule G3); any request when manifestly
// unfounded or excessive (G2, GDPR art. 12(5)), or when the policy wants it
// in writing and no confirmation came (R11, O13). A refusal states its
// reasons: a missing reason or a ground the kind does not allow fails with
// [privacy.ErrInvalid]; a closed request with [privacy.ErrConflict]. The
// subject's notice ([Desk.Notice]) names the reasons and the right to
// complain to the Autoriteit Persoonsgegevens (G2, O15).
func (d *Desk) Refuse(ctx context.Context, act privacy.Act, id RequestID, f Refusal) (Request, error) {
	const o = "refuse request"
	return d.step(ctx, o, act, id, func(r *Request, at time.Time) (Step, error) {
		if r.Status.Final() {
			return Step{}, &privacy.Error{Op: op + o, Kind: privacy.ErrConflict, Msg: "the request is closed"}
		}
		// Rule G2 (art. 12(4)): a refusal states its reasons.
		if err := checkReason(o, f.Reason, privacy.G2); err != nil {
			return Step{}, err
		}
		var rule privacy.RuleID
		if f.Ground == GroundNotInWriting {
			if !r.AwaitsWritten() {
				return Step{}, invalid(o, "ground", "the request is in writing")
			}
			rule = r.WrittenRule
		} else {
			// Rules O13, G3, G2: the grounds each kind may be refused on.
			var ok bool
			if rule, ok = r.Kind.grounds()[f.Ground]; !ok {
				return Step{}, &privacy.Error{Op: op + o, Kind: privacy.ErrInvalid, Rule: privacy.O13, Path: "ground",
					Msg: fmt.Sprintf("a %s request is not refused on ground %q", r.Kind, trunc(string(f.Ground)))}
			}
		}
		return Step{Kind: StepRefused, Status: StatusRefused, Rule: rule, Ground: f.Ground, Reason: f.Reason,
			Late: dayOf(at).After(r.Due.Date)}, nil
	})
}

func checkReason(opName, reason string, rule privacy.RuleID) error {
	if reason == "" {
		return &privacy.Error{Op: op + opName, Kind: privacy.ErrInvalid, Rule: rule, Path: "reason", Msg: "a reason is required"}
	}
	if len(reason) > maxReasonLen {
		return invalid(opName, "reason", "longer than 4096 bytes")
	}
	return nil
}

// step loads a request, lets fill decide the next step, taken by act at
// act.At, and stores it with its audit event and a compare-and-swap: a
// racing step makes it fail with ErrConflict. Only the deciding roles
// take a step (see [Desk], # Who acts).
func (d *Desk) step(ctx context.Context, o string, act privacy.Act, id RequestID,
	fill func(r *Request, at time.Time) (Step, error)) (Request, error) {
	if err := act.Validate(); err != nil {
		return Request{}, err
	}
	if err := checkID(o, "id", string(id)); err != nil {
		return Request{}, err
	}
	if err := checkTime(o, "act.at", act.At); err != nil {
		return Request{}, err
	}
	if err := d.gate(ctx, o, act, deciders, "", objectOf(id), privacy.EventUpdate); err != nil {
		return Request{}, err
	}
	// Rules R7, O4: only a request of a subject the decider is assigned to.
	r, err := d.request(ctx, o, &act, id, privacy.EventUpdate)
	if err != nil {
		return Request{}, err
	}
	if r.Status.Final() {
		return Request{}, &privacy.Error{Op: op + o, Kind: privacy.ErrConflict, Msg: "the request is closed"}
	}
	at := privacy.Timestamp(act.At)
	if at.Before(r.Last().At) {
		return Request{}, invalid(o, "act.at", "before the request's last step")
	}
	s, err := fill(&r, at)
	if err != nil {
		return Request{}, err
	}
	s.At, s.By, s.Policy = at, act.By.ID, d.policy.Version
	r.History = append(r.History, s)
	r.Status = s.Status
	if err := r.Validate(); err != nil {
		return Request{}, err
	}
	// Rules O1, G7, N9: the step and its audit event land together.
	if err := d.store.UpdateRequest(ctx, r, []privacy.Event{d.stepEvent(&act, &r, &s, privacy.EventUpdate)}); err != nil {
		return Request{}, err
	}
	return r.Clone(), nil
}
