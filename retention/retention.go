package retention

import (
	"context"
	"errors"
	"iter"
	"slices"
	"time"

	"github.com/dossierwacht/dossierwacht/privacy"
	"github.com/dossierwacht/dossierwacht/privacy/calendar"
)

// Keeper schedules, holds and deletes a service's records under a
// policy's retention rules. It holds the [Store] that keeps holds, erasure
// requests and proofs. A Keeper is safe for concurrent use if its Store
// is.
//
// Only the privacy officer ([privacy.RolePrivacyOfficer]) places and
// lifts holds, grants and carries out erasure requests and runs sweeps
// and their dry runs; anyone else is refused and the refusal audited (see
// the package documentation, # Who decides). Keeper checks that the
// principal is well formed and names it in every audit event.
type Keeper struct {
	store      Store
	rules      *Engine
	recipients Recipients
	batch      int
	page       int
	workers    int
	// eraseRule is the rule an erasure is decided under: O13, or R9
	// under a policy of regulation R alone.
	eraseRule privacy.RuleID
	// accessPoint and client say where the acts come from ([Keeper.From]).
	accessPoint, client string
}

// From returns a Keeper like r whose audit events also say where the acts
// come from — the access point (a network address, a workstation) and the
// client application — as NEN 7513 asks of every logged act (rule N9). The
// front door and the rights desk take it per act. A value of more than 256
// bytes or with other than printable ASCII is personal data or noise, not
// an origin, and is left out.
func (r *Keeper) From(accessPoint, client string) *Keeper {
	k := *r
	k.accessPoint, k.client = origin(accessPoint), origin(client)
	return &k
}

// origin returns s if it is a plausible access point or client: at most
// 256 printable ASCII bytes; else "".
func origin(s string) string {
	if len(s) > 256 {
		return ""
	}
	for i := 0; i < len(s); i++ {
		if s[i] < 0x20 || s[i] > 0x7e {
			return ""
		}
	}
	return s
}

// Options tune a [Keeper]. The zero value and nil mean the defaults.
type Options struct {
	// Recipients, if set, tells a sweep who received the records it
	// deletes, for the notices rule G4 requires. Nil: no notification
	// list.
	Recipients Recipients
	// BatchSize is how many due records a sweep gathers before it looks up
	// their recipients and deletes them; default 256.
	BatchSize int
	// PageSize is how many subjects' dossiers a sweep reads at a time;
	// default 256.
	PageSize int
	// Workers is how many batches of due records a sweep deletes at
	// once, each in its own atomic step of the store, batches that share
	// a subject waiting for each other in the store; default 1, one after
	// the other. The other kinds of stored data go after the records, as
	// many batches at once, each of whole subjects: a subject's objects
	// are erased in order (a case before its subject), and one with more
	// than a batch has them one batch after the other (rule O12).
	// More use more of the database's connections and cores: a batch's
	// checks, chaining and encoding in Go then overlap the database's
	// work on another (issue 14: the PostgreSQL sweep benchmark runs 2).
	// A store that takes one writer at a time (SQLite) gains nothing.
	Workers int
}

// New returns the retention of a service whose case file is kept under
// policy, with holds, erasure requests and proofs in store. The policy is
// validated and its rules compiled: later changes to it have no effect.
func New(store Store, policy *privacy.Policy, opts *Options) (*Keeper, error) {
	const op = "retention: new"
	if store == nil {
		return nil, &privacy.Error{Op: op, Kind: privacy.ErrInvalid, Msg: "nil store"}
	}
	rules, err := NewEngine(policy)
	if err != nil {
		return nil, err
	}
	r := &Keeper{store: store, rules: rules, batch: 256, page: 256, workers: 1, eraseRule: privacy.O13}
	if !slices.Contains(policy.Regulations, "O") && slices.Contains(policy.Regulations, "R") {
		r.eraseRule = privacy.R9
	}
	if opts != nil {
		r.recipients = opts.Recipients
		if opts.BatchSize < 0 || opts.PageSize < 0 || opts.Workers < 0 {
			return nil, &privacy.Error{Op: op, Kind: privacy.ErrInvalid, Path: "options", Msg: "negative size or number of workers"}
		}
		if opts.BatchSize > 0 {
			r.batch = opts.BatchSize
		}
		if opts.PageSize > 0 {
			r.page = opts.PageSize
		}
		if opts.Workers > 0 {
			r.workers = opts.Workers
		}
	}
	return r, nil
}

// Engine returns the compiled retention rules.
func (r *Keeper) Engine() *Engine { return r.rules }

func checkPrincipal(op string, by privacy.Principal) error {
	if err := by.Validate(); err != nil {
		return &privacy.Error{Op: op, Kind: privacy.ErrInvalid, Path: "by", Msg: "malformed principal", Err: err}
	}
	return nil
}

func checkNow(op string, now time.Time) error {
	if now.IsZero() {
		return &privacy.Error{Op: op, Kind: privacy.ErrInvalid, Path: "now", Msg: "missing"}
	}
	return nil
}

// gate lets only the privacy officer take the step op (see the package
// documentation, # Who decides). Anyone else is refused before anything
// is looked up, with an error matching [privacy.ErrForbidden] that names
// rule, and the refusal is audited as a denial: who, when, the action
// tried, and the subject and object asked about. A refusal that cannot be
// audited fails with [privacy.ErrUnavailable] and rule G7.
func (r *Keeper) gate(ctx context.Context, op string, by privacy.Principal, now time.Time, action privacy.EventAction,
	rule privacy.RuleID, subject privacy.SubjectID, object string, what string) error {
	if by.Role == privacy.RolePrivacyOfficer {
		return nil
	}
	if !privacy.ValidID(string(subject)) {
		subject = ""
	}
	e := r.event(by, privacy.Timestamp(now), action, rule, subject, "", object)
	e.Outcome = privacy.OutcomeDenied
	if _, err := r.store.AppendEvents(ctx, e); err != nil {
		return &privacy.Error{Op: op, Kind: privacy.ErrUnavailable, Rule: privacy.G7,
			Msg: "the refusal could not be audited", Err: err}
	}
	return &privacy.Error{Op: op, Kind: privacy.ErrForbidden, Rule: rule, Path: "by",
		Msg: "only the privacy officer " + what}
}

// objectID returns prefix and id as an audit event's object, or "" when
// id is malformed (a refusal names what was asked, never what is not an
// ID).
func objectID(prefix, id string) string {
	if !privacy.ValidID(id) {
		return ""
	}
	return prefix + id
}

func (r *Keeper) event(by privacy.Principal, now time.Time, action privacy.EventAction, rule privacy.RuleID,
	subject privacy.SubjectID, c privacy.CaseID, object string) privacy.Event {
	return privacy.Event{Time: now, Principal: by.ID, Role: by.Role, OnBehalfOf: by.Party, Subject: subject, Case: c,
		Object: object, Action: action, Outcome: privacy.OutcomeAllowed, Rule: rule, Policy: r.rules.version,
		AccessPoint: r.accessPoint, Client: r.client}
}

// checkScope fails with ErrNotFound unless the case and records a hold or
// request names belong to the subject (and to the case, when it names one).
func checkScope(op string, d *Dossier, c privacy.CaseID, records []privacy.RecordID) error {
	var cases []*CaseFile
	for i := range d.Cases {
		if c == "" || d.Cases[i].Case.ID == c {
			cases = append(cases, &d.Cases[i])
		}
	}
	if c != "" && len(cases) == 0 {
		return &privacy.Error{Op: op, Kind: privacy.ErrNotFound, Path: "case", Msg: "no such case of the subject"}
	}
	for _, id := range records {
		found := slices.ContainsFunc(cases, func(cf *CaseFile) bool {
			return slices.ContainsFunc(cf.Records, func(e Entry) bool { return e.ID == id })
		})
		if !found {
			return &privacy.Error{Op: op, Kind: privacy.ErrNotFound, Path: "records", Msg: "no such record in scope"}
		}
	}
	return nil
}

// PlaceHold places a legal hold (rule G3) by the principal by at now: from
// then on no record in its scope is deleted, by a sweep or an erasure
// request, until it is lifted. The hold's ID, Subject, optional Case and
// Records, Ground and Reason come from h; PlacedBy and Placed are set
// here. The subject, case and records must exist (else ErrNotFound). The
// hold and its audit event are stored together. It returns the hold as
// stored.
//
// Only the privacy officer places a hold: anyone else is refused with
// [privacy.ErrForbidden] and rule G3, audited as a denial.
func (r *Keeper) PlaceHold(ctx context.Context, by privacy.Principal, h Hold, now time.Time) (Hold, error) {
	const op = "retention: place hold"
	if err := checkPrincipal(op, by); err != nil {
		return Hold{}, err
	}
	if err := checkNow(op, now); err != nil {
		return Hold{}, err
	}
	// Rule G3: who keeps data from erasure decides without seeing it.
	if err := r.gate(ctx, op, by, now, privacy.EventCreate, privacy.G3, h.Subject, objectID("hold:", string(h.ID)),
		"places a legal hold"); err != nil {
		return Hold{}, err
	}
	h = h.Clone()
	h.PlacedBy, h.Placed = by.ID, privacy.Timestamp(now)
	if err := h.Validate(); err != nil {
		return Hold{}, err
	}
	d, err := r.store.Dossier(ctx, h.Subject)
	if err != nil {
		return Hold{}, err
	}
	if err := checkScope(op, &d, h.Case, h.Records); err != nil {
		return Hold{}, err
	}
	// Rule G3: a legal obligation or a legal claim blocks erasure.
	e := r.event(by, h.Placed, privacy.EventCreate, privacy.G3, h.Subject, h.Case, "hold:"+string(h.ID))
	if err := r.store.PlaceHold(ctx, h, e); err != nil {
		return Hold{}, err
	}
	return h, nil
}

// LiftHold lifts the standing hold id, by the principal by at now, for the
// given reason (at most 200 bytes, no personal data). The lifting and its
// audit event are stored together; the hold stays as history. A hold
// lifted already fails with ErrConflict.
//
// Only the privacy officer lifts a hold: anyone else is refused with
// [privacy.ErrForbidden] and rule G3, audited as a denial, before the hold
// is looked up (a refused caller does not learn whether it exists).
func (r *Keeper) LiftHold(ctx context.Context, by privacy.Principal, id HoldID, reason string, now time.Time) error {
	const op = "retention: lift hold"
	if err := checkPrincipal(op, by); err != nil {
		return err
	}
	if err := checkNow(op, now); err != nil {
		return err
	}
	// Rule G3: a hold is not lifted by whoever wants the data gone.
	if err := r.gate(ctx, op, by, now, privacy.EventUpdate, privacy.G3, "", objectID("hold:", string(id)),
		"lifts a legal hold"); err != nil {
		return err
	}
	if !privacy.ValidID(string(id)) {
		return &privacy.Error{Op: op, Kind: privacy.ErrInvalid, Path: "id", Msg: "malformed hold ID"}
	}
	if err := validNote(op, "reason", reason, true); err != nil {
		return err
	}
	h, err := r.store.Hold(ctx, id)
	if err != nil {
		return err
	}
	if !h.Lifted.IsZero() {
		return &privacy.Error{Op: op, Kind: privacy.ErrConflict, Rule: privacy.G3, Msg: "the hold is lifted already"}
	}
	now = privacy.Timestamp(now)
	if now.Before(h.Placed) {
		return &privacy.Error{Op: op, Kind: privacy.ErrInvalid, Path: "now", Msg: "before the hold was placed"}
	}
	e := r.event(by, now, privacy.EventUpdate, privacy.G3, h.Subject, h.Case, "hold:"+string(h.ID))
	return r.store.LiftHold(ctx, id, by.ID, now, reason, e)
}

// Hold returns a hold, standing or lifted.
func (r *Keeper) Hold(ctx context.Context, id HoldID) (Hold, error) {
	if !privacy.ValidID(string(id)) {
		return Hold{}, &privacy.Error{Op: "retention: hold", Kind: privacy.ErrInvalid, Path: "id", Msg: "malformed hold ID"}
	}
	return r.store.Hold(ctx, id)
}

// ErasureDecision says, for a granted erasure request, which records go
// and which stay (rules R9, O13, G3, N8).
type ErasureDecision struct {
	Request Erasure
	// Erase are the records now due: the next sweep deletes them.
	Erase []Schedule
	// Keep are the records in scope that the law keeps: a legal hold
	// (Reason hold) or a statutory retention duty (Reason statute, or
	// pending when its period has not started). Each is refused under rule
	// G3; its Due says from when it may go, if known.
	Keep []Schedule
	// Deadline is the last day by which the medical records in Erase must
	// be gone (N8: three months from the request); zero when Erase holds
	// none.
	Deadline calendar.Date
}

// RequestErasure records a granted erasure request (R9, O13) by the
// principal by at now, and decides it: every record in scope is due from
// the day it was granted, except what a legal hold or a statutory duty
// keeps (G3), which the decision lists with its reason. The request's ID,
// Subject, optional Case and Records, Rule and Received come from e;
// DecidedBy and Decided (now) are set here. The next sweep deletes what is
// due, or [Keeper.Erase] at once; the medical file within N8's three
// months of receipt.
//
// Only the privacy officer grants an erasure request: anyone else is
// refused with [privacy.ErrForbidden] and rule O13 (R9 under a policy of
// regulation R alone), audited as a denial.
func (r *Keeper) RequestErasure(ctx context.Context, by privacy.Principal, e Erasure, now time.Time) (ErasureDecision, error) {
	const op = "retention: request erasure"
	if err := checkPrincipal(op, by); err != nil {
		return ErasureDecision{}, err
	}
	if err := checkNow(op, now); err != nil {
		return ErasureDecision{}, err
	}
	// Engine O13, R9: the erasure is decided by the service's privacy
	// officer, who needs no content to decide it.
	if err := r.gate(ctx, op, by, now, privacy.EventExecute, r.eraseRule, e.Subject, objectID("erasure:", string(e.ID)),
		"grants an erasure request"); err != nil {
		return ErasureDecision{}, err
	}
	e = e.Clone()
	e.DecidedBy, e.Decided, e.Received = by.ID, privacy.Timestamp(now), privacy.Timestamp(e.Received)
	if err := e.Validate(); err != nil {
		return ErasureDecision{}, err
	}
	d, err := r.store.Dossier(ctx, e.Subject)
	if err != nil {
		return ErasureDecision{}, err
	}
	if err := checkScope(op, &d, e.Case, e.Records); err != nil {
		return ErasureDecision{}, err
	}
	ev := r.event(by, e.Decided, privacy.EventExecute, e.Rule, e.Subject, e.Case, "erasure:"+string(e.ID))
	if err := r.store.AddErasure(ctx, e, ev); err != nil {
		return ErasureDecision{}, err
	}
	d.Erasures = append(d.Erasures, e)
	dec := ErasureDecision{Request: e}
	for _, s := range r.rules.Schedule(nil, &d, e.Decided) {
		if !e.Covers(s.Case, s.Record) {
			continue
		}
		if s.IsDue() {
			dec.Erase = append(dec.Erase, s)
			if s.Deadline.After(dec.Deadline) {
				dec.Deadline = s.Deadline
			}
		} else {
			dec.Keep = append(dec.Keep, s)
		}
	}
	return dec, nil
}

// Schedules returns the schedule of every record of the subject at now, in
// the order of [Store.Dossier].
func (r *Keeper) Schedules(ctx context.Context, subject privacy.SubjectID, now time.Time) ([]Schedule, error) {
	const op = "retention: schedules"
	if !privacy.ValidID(string(subject)) {
		return nil, &privacy.Error{Op: op, Kind: privacy.ErrInvalid, Path: "subject", Msg: "malformed subject ID"}
	}
	if err := checkNow(op, now); err != nil {
		return nil, err
	}
	d, err := r.store.Dossier(ctx, subject)
	if err != nil {
		return nil, err
	}
	return r.rules.Schedule(nil, &d, now), nil
}

// Explain returns the schedule of one record of the subject at now with
// every rule that applied and why the winner won.
func (r *Keeper) Explain(ctx context.Context, subject privacy.SubjectID, record privacy.RecordID, now time.Time) (Explanation, error) {
	const op = "retention: explain"
	if !privacy.ValidID(string(subject)) || !privacy.ValidID(string(record)) {
		return Explanation{}, &privacy.Error{Op: op, Kind: privacy.ErrInvalid, Msg: "malformed ID"}
	}
	if err := checkNow(op, now); err != nil {
		return Explanation{}, err
	}
	d, err := r.store.Dossier(ctx, subject)
	if err != nil {
		return Explanation{}, err
	}
	return r.rules.Explain(&d, record, now)
}

// Proofs returns the proofs of deletion of the subject's records, oldest
// first.
func (r *Keeper) Proofs(ctx context.Context, subject privacy.SubjectID) ([]Proof, error) {
	if !privacy.ValidID(string(subject)) {
		return nil, &privacy.Error{Op: "retention: proofs", Kind: privacy.ErrInvalid, Path: "subject", Msg: "malformed subject ID"}
	}
	return r.store.Proofs(ctx, subject)
}

// candidates pages through the candidate dossiers at now, calling f for
// each page; f may delete records (the pages are keyed by subject ID, so
// deleting does not disturb the paging).
func (r *Keeper) candidates(ctx context.Context, now time.Time, f func([]Dossier) error) error {
	q := r.rules.Query(now)
	q.Limit = r.page
	if _, ok := AsObjectStore(r.store); ok {
		q.SubjectCreatedBefore = now.Add(time.Microsecond)
	}
	for {
		page, err := r.store.Candidates(ctx, q)
		if err != nil {
			return err
		}
		if len(page) == 0 {
			return nil
		}
		if err := f(page); err != nil {
			return err
		}
		q.After = page[len(page)-1].Subject.ID
		if len(page) < q.Limit {
			return nil
		}
	}
}

// candidatesAhead is candidates with the next page read while f works on
// the current one: a sweep's reads then overlap its deletions, which a
// database server runs on another connection. It reads one page ahead,
// no more: the further ahead, the older a page is when its records are
// deleted. f sees the pages in order, from this goroutine; no call to the
// store outlives candidatesAhead, and a panic of the store's reader goes
// on in this goroutine, as if the store had been called from here.
//
// With objects set, the reader also reads the objects of each page's
// subjects in one call ([ObjectPageStore]) before it hands the page on,
// so that those reads too overlap the deletions; f gets them with the
// page (nil without objects). Their failure or panic is the reader's.
func (r *Keeper) candidatesAhead(ctx context.Context, now time.Time, objects *objectReader,
	f func([]Dossier, map[privacy.SubjectID][]Object) error) error {
	type result struct {
		page     []Dossier
		objs     map[privacy.SubjectID][]Object
		err      error
		panicked bool
		value    any
	}
	readCtx, stop := context.WithCancel(ctx)
	pages := make(chan result) // unbuffered: the reader waits with one page
	go func() {
		defer close(pages)
		defer func() {
			if v := recover(); v != nil {
				pages <- result{panicked: true, value: v}
			}
		}()
		err := r.candidates(readCtx, now, func(page []Dossier) error {
			res := result{page: page}
			if objects != nil {
				// Rules R9, O12: every candidate's objects are swept; one
				// read for the page rather than one per subject.
				var err error
				if res.objs, err = objects.load(readCtx, subjectsOf(page)); err != nil {
					return err
				}
			}
			select {
			case pages <- res:
				return nil
			case <-readCtx.Done():
				return readCtx.Err()
			}
		})
		if err != nil && readCtx.Err() == nil {
			pages <- result{err: err}
		}
	}()
	defer func() {
		stop()
		for range pages {
			// Wait for the reader: it ends at its next page or its
			// next look at readCtx.
		}
	}()
	for res := range pages {
		switch {
		case res.panicked:
			panic(res.value)
		case res.err != nil:
			return res.err
		}
		if err := f(res.page, res.objs); err != nil {
			return err
		}
	}
	// The reader stopped on its own: a failure of the parent context
	// ends the pages early, and is the sweep's error.
	if err := ctx.Err(); err != nil {
		return &privacy.Error{Op: "retention: sweep", Kind: privacy.ErrUnavailable, Err: err}
	}
	return nil
}

// subjectsOf returns the IDs of the subjects of page, in order.
func subjectsOf(page []Dossier) []privacy.SubjectID {
	ids := make([]privacy.SubjectID, len(page))
	for i := range page {
		ids[i] = page[i].Subject.ID
	}
	return ids
}

// Plan is a sweep's dry run, run by the principal by: it yields the
// schedule of every record that a sweep at now would delete, with the
// rule and reason, and deletes nothing.
//
// Only the privacy officer runs it, as a sweep: anyone else gets one
// error matching [privacy.ErrForbidden] with rule O12, audited as a
// denial, and no schedule.
func (r *Keeper) Plan(ctx context.Context, by privacy.Principal, now time.Time) iter.Seq2[Schedule, error] {
	const op = "retention: plan"
	return func(yield func(Schedule, error) bool) {
		if err := checkPrincipal(op, by); err != nil {
			yield(Schedule{}, err)
			return
		}
		if err := checkNow(op, now); err != nil {
			yield(Schedule{}, err)
			return
		}
		// Rule O12: which records are due is the sweep's question.
		if err := r.gate(ctx, op, by, now, privacy.EventSearch, privacy.O12, "", "sweep-plan", "plans a sweep"); err != nil {
			yield(Schedule{}, err)
			return
		}
		var buf []Schedule
		stop := errors.New("stop")
		err := r.candidates(ctx, now, func(page []Dossier) error {
			for i := range page {
				buf = r.rules.Schedule(buf[:0], &page[i], now)
				for _, s := range buf {
					if s.IsDue() && !yield(s, nil) {
						return stop
					}
				}
			}
			return nil
		})
		if err != nil && err != stop {
			yield(Schedule{}, err)
		}
	}
}
