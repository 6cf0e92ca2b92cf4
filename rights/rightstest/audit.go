package rightstest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"iter"
	"testing"
	"time"

	"github.com/dossierwacht/dossierwacht/privacy"
	"github.com/dossierwacht/dossierwacht/rights"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// The cases of the audit of the desk (rules O1, G7, N9) and of who acts at
// it (R8, R11, R12, O13).

// EventLog is implemented by adapters whose audit trail the kit can read,
// as every shipped adapter's is (it is access.Store's method). Without it
// the checks of the trail skip.
type EventLog interface {
	Events(ctx context.Context, from uint64) iter.Seq2[privacy.Event, error]
}

// kitEvents returns the two audit events the kit hands a store's write
// directly, each naming what of the call it tells of.
func kitEvents(what string) []privacy.Event {
	out := make([]privacy.Event, 2)
	for i := range out {
		out[i] = privacy.Event{Time: t0, Principal: staff.ID, Role: staff.Role, OnBehalfOf: staff.Party,
			Subject: "employee-anna", Object: fmt.Sprintf("%s#%d", what, i+1), Action: privacy.EventUpdate,
			Outcome: privacy.OutcomeAllowed, Rule: privacy.R11, Policy: "rightstest", AccessPoint: "10.0.0.9",
			Client: "rightstest"}
	}
	return out
}

// trail returns the store's audit trail from sequence number from on; ok
// is false if the kit cannot read it.
func (e *env) trail(t *testing.T, from uint64) (events []privacy.Event, ok bool) {
	t.Helper()
	log, ok := e.s.(EventLog)
	if !ok {
		return nil, false
	}
	for ev, err := range log.Events(e.ctx, from) {
		if err != nil {
			t.Fatalf("Events(%d): %v", from, err)
		}
		events = append(events, ev)
	}
	return events, true
}

func (e *env) needTrail(t *testing.T) {
	t.Helper()
	if _, ok := e.s.(EventLog); !ok {
		t.Skip("the kit cannot read the adapter's audit trail (rightstest.EventLog)")
	}
}

// lastSeq is the number of events in the trail, 0 for none: the mark
// from which trail(t, mark+1) returns the events appended since.
func (e *env) lastSeq(t *testing.T) uint64 {
	t.Helper()
	es, _ := e.trail(t, 1)
	if len(es) == 0 {
		return 0
	}
	return uint64(len(es))
}

var ignoreChain = cmpopts.IgnoreFields(privacy.Event{}, "Seq", "Prev", "Hash")

// wantAppended checks that the events appended after the first after are
// exactly want, in order, each chained on in its subject's chain.
func (e *env) wantAppended(t *testing.T, what string, after uint64, want []privacy.Event) {
	t.Helper()
	got, ok := e.trail(t, after+1)
	if !ok {
		return
	}
	if d := cmp.Diff(want, got, ignoreChain, cmpopts.EquateEmpty()); d != "" {
		t.Errorf("G7: %s appended other events than its own (-want +got):\n%s", what, d)
		return
	}
	e.verify(t)
}

// verify checks the whole audit trail's chains (G7), one per subject:
// every event numbered one after the last of its chain, linked to its
// hash, its own hash its content's.
func (e *env) verify(t *testing.T) {
	t.Helper()
	events, ok := e.trail(t, 1)
	if !ok {
		return
	}
	type head struct {
		seq  uint64
		hash privacy.Hash
	}
	heads := map[privacy.SubjectID]head{}
	for _, ev := range events {
		h := heads[ev.Subject]
		prev := h.hash
		switch {
		case ev.Seq != h.seq+1:
			t.Errorf("G7: the audit trail's event %d of chain %q follows event %d", ev.Seq, ev.Subject, h.seq)
			return
		case ev.Prev != prev:
			t.Errorf("G7: the audit trail's event %d does not link to the one before", ev.Seq)
			return
		case ev.ComputeHash() != ev.Hash:
			t.Errorf("G7: the audit trail's event %d does not match its hash", ev.Seq)
			return
		}
		heads[ev.Subject] = head{ev.Seq, ev.Hash}
	}
}

// filed is a request as the desk files it, for the store's own writes.
func (e *env) filed(t *testing.T, id rights.RequestID) rights.Request {
	t.Helper()
	r := e.file(t, id, "employee-anna", rights.KindAccess, t0)
	return r
}

// nextStep returns r with one step more: answered at at.
func nextStep(r rights.Request, at time.Time) rights.Request {
	n := r.Clone()
	n.History = append(n.History, rights.Step{Kind: rights.StepAnswered, Status: rights.StatusAnswered, At: at, By: staff.ID,
		Reason: "sent", Rule: privacy.R11, Policy: privacy.Strict().Version})
	n.Status = rights.StatusAnswered
	return n
}

func testStoreAppends(t *testing.T, e *env) {
	// Rules G7, N9: every write appends exactly the events it was given,
	// numbered on and chained into the one audit trail, with the write.
	e.needTrail(t)
	r := e.filed(t, "req-0")
	r.ID = "req-1"
	after := e.lastSeq(t)
	events := kitEvents("CreateRequest")
	if err := e.s.CreateRequest(e.ctx, r, events); err != nil {
		t.Fatalf("CreateRequest: %v", err)
	}
	e.wantAppended(t, "CreateRequest", after, events)
	after = e.lastSeq(t)
	events = kitEvents("UpdateRequest")
	if err := e.s.UpdateRequest(e.ctx, nextStep(r, t0.Add(time.Hour)), events); err != nil {
		t.Fatalf("UpdateRequest: %v", err)
	}
	e.wantAppended(t, "UpdateRequest", after, events)
	after = e.lastSeq(t)
	events = kitEvents("AppendEvents")
	stored, err := e.s.AppendEvents(e.ctx, events...)
	if err != nil {
		t.Fatalf("AppendEvents: %v", err)
	}
	if len(stored) != len(events) || stored[0].Hash != stored[0].ComputeHash() || stored[1].Seq != stored[0].Seq+1 ||
		stored[1].Prev != stored[0].Hash {
		t.Errorf("AppendEvents returned %+v, want the events numbered on and chained", stored)
	}
	e.wantAppended(t, "AppendEvents", after, events)
	e.verify(t)
}

func testUnaudited(t *testing.T, e *env) {
	// Rules O1, G7: a write that comes without its audit events is refused
	// and stores nothing.
	r := e.filed(t, "req-0")
	r.ID = "req-1"
	after := e.lastSeq(t)
	for _, events := range [][]privacy.Event{nil, {}} {
		err := e.s.CreateRequest(e.ctx, r, events)
		wantKind(t, fmt.Sprintf("G7: CreateRequest(%d events)", len(events)), err, privacy.ErrInvalid)
		err = e.s.UpdateRequest(e.ctx, nextStep(e.filed0(t), t0.Add(time.Hour)), events)
		wantKind(t, fmt.Sprintf("G7: UpdateRequest(%d events)", len(events)), err, privacy.ErrInvalid)
	}
	if _, err := e.s.Request(e.ctx, "req-1"); !errors.Is(err, privacy.ErrNotFound) {
		t.Errorf("G7: an unaudited filing was stored (%v)", err)
	}
	if got, err := e.s.Request(e.ctx, "req-0"); err != nil || len(got.History) != 1 {
		t.Errorf("G7: an unaudited step was stored: %+v, %v", got, err)
	}
	if e.lastSeq(t) != after {
		t.Errorf("G7: refused writes appended events")
	}
}

// filed0 returns request req-0 as stored.
func (e *env) filed0(t *testing.T) rights.Request {
	t.Helper()
	r, err := e.s.Request(e.ctx, "req-0")
	if err != nil {
		t.Fatalf("Request(req-0): %v", err)
	}
	return r
}

// stepEvent is the event the kit expects of a step of the desk taken as
// a on request r, whose last step it is.
func stepEvent(a privacy.Act, r rights.Request, action privacy.EventAction) privacy.Event {
	return privacy.Event{Time: a.At, Principal: a.By.ID, Role: a.By.Role, OnBehalfOf: a.By.Party, Purpose: a.Purpose,
		Subject: r.Subject, Object: "request:" + string(r.ID), Action: action, Outcome: privacy.OutcomeAllowed,
		Rule: r.Last().Rule, Policy: privacy.Strict().Version, AccessPoint: a.AccessPoint, Client: a.Client}
}

func testStepsAudited(t *testing.T, e *env) {
	// Rules O1, G7, N9: each step of the desk writes one audit event with
	// the NEN 7513 fields of its act, with the step: the filing (create),
	// the written confirmation, the extension, the answer and the refusal
	// (update); the export writes its execute event before anything else.
	e.needTrail(t)
	steps := []struct {
		name   string
		action privacy.EventAction
		at     time.Time
		do     func(privacy.Act) (rights.Request, error)
	}{
		{"File", privacy.EventCreate, t0, func(a privacy.Act) (rights.Request, error) {
			return e.desk.File(e.ctx, a, rights.Filing{ID: "req-1", Subject: "employee-anna", Kind: rights.KindAccess,
				Form: rights.FormOral, Received: t0})
		}},
		{"ConfirmWritten", privacy.EventUpdate, t0.Add(time.Hour), func(a privacy.Act) (rights.Request, error) {
			return e.desk.ConfirmWritten(e.ctx, a, "req-1", rights.Confirmation{Document: "letter-1"})
		}},
		{"Extend", privacy.EventUpdate, t0.Add(2 * time.Hour), func(a privacy.Act) (rights.Request, error) {
			return e.desk.Extend(e.ctx, a, "req-1", rights.Extension{Reason: "a second archive"})
		}},
		{"Answer", privacy.EventUpdate, t0.Add(3 * time.Hour), func(a privacy.Act) (rights.Request, error) {
			return e.desk.Answer(e.ctx, a, "req-1", rights.Answer{Reason: "export sent"})
		}},
		{"File(req-2)", privacy.EventCreate, t0, func(a privacy.Act) (rights.Request, error) {
			return e.desk.File(e.ctx, a, rights.Filing{ID: "req-2", Subject: "employee-anna", Kind: rights.KindErasure,
				Form: rights.FormWritten, Received: t0})
		}},
		{"Refuse", privacy.EventUpdate, t0.Add(time.Hour), func(a privacy.Act) (rights.Request, error) {
			return e.desk.Refuse(e.ctx, a, "req-2", rights.Refusal{Ground: rights.GroundUnfounded, Reason: "nothing held"})
		}},
	}
	for _, st := range steps {
		a := act(st.at)
		a.Purpose = privacy.PurposeAbsenceGuidance
		after := e.lastSeq(t)
		r, err := st.do(a)
		if err != nil {
			t.Fatalf("%s: %v", st.name, err)
		}
		e.wantAppended(t, st.name, after, []privacy.Event{stepEvent(a, r, st.action)})
	}
	// The export: its execute event first, before anything is written.
	// Carol is registered without a case, so that her export writes its
	// execute event alone (a case's medical file would add its read).
	s, err := privacy.NewSubject("employee-carol", "employer-1", t0)
	if err != nil {
		t.Fatal(err)
	}
	if err := e.d.CreateSubject(e.ctx, act(t0), s); err != nil {
		t.Fatalf("CreateSubject: %v", err)
	}
	after := e.lastSeq(t)
	a := self(t0.Add(4 * time.Hour))
	a.By = privacy.Principal{ID: "employee-carol", Role: privacy.RoleSubject, Subject: "employee-carol"}
	var b bytes.Buffer
	if _, err := e.desk.Export(e.ctx, a, &b, "employee-carol", nil); err != nil {
		t.Fatalf("Export: %v", err)
	}
	rule := e.desk.Policy().Requests.WrittenBy[0]
	e.wantAppended(t, "Export", after, []privacy.Event{{Time: a.At, Principal: a.By.ID, Role: a.By.Role,
		OnBehalfOf: a.By.Party, Subject: "employee-carol", Object: "export", Action: privacy.EventExecute,
		Outcome: privacy.OutcomeAllowed, Rule: rule, Policy: e.desk.Policy().Version, AccessPoint: a.AccessPoint,
		Client: a.Client}})
	e.verify(t)
}

func testFailedAudit(t *testing.T, e *env) {
	// Rules G7, O1: a step whose audit event cannot be written is not
	// taken. Each write fails at every row it writes, its events
	// included, until it goes through: each failure leaves the request and
	// the trail as they were. An export whose event cannot be written
	// writes nothing.
	fi := injector(t, e)
	writes := []struct {
		name string
		do   func() error
	}{
		{"File", func() error {
			_, err := e.desk.File(e.ctx, act(t0), rights.Filing{ID: "req-1", Subject: "employee-anna",
				Kind: rights.KindAccess, Form: rights.FormWritten, Received: t0})
			return err
		}},
		{"Answer", func() error {
			_, err := e.desk.Answer(e.ctx, act(t0.Add(time.Hour)), "req-1", rights.Answer{Reason: "sent"})
			return err
		}},
	}
	for _, w := range writes {
		failures := 0
		for k := 0; ; k++ {
			if k > 100 {
				t.Fatalf("%s still fails after %d injected failures", w.name, k)
			}
			before, _ := e.s.Request(e.ctx, "req-1")
			seq := e.lastSeq(t)
			fi.FailAfter(k)
			err := w.do()
			fi.FailAfter(-1)
			if err == nil {
				break
			}
			failures++
			if !errors.Is(err, privacy.ErrUnavailable) {
				t.Fatalf("%s failing after %d rows: %v, want ErrUnavailable", w.name, k, err)
			}
			after, _ := e.s.Request(e.ctx, "req-1")
			if err := same(after, before); before.ID != "" && err != nil {
				t.Errorf("G7: %s failing after %d rows changed the request: %v", w.name, k, err)
			}
			if before.ID == "" && after.ID != "" {
				t.Errorf("G7: %s failing after %d rows stored the request", w.name, k)
			}
			if e.lastSeq(t) != seq {
				t.Errorf("G7: %s failing after %d rows appended events", w.name, k)
			}
		}
		if failures == 0 {
			t.Errorf("%s never failed: its writes are not counted by FailAfter", w.name)
		}
	}
	// Anna is registered (populate): her export reads her case file.
	var b bytes.Buffer
	fi.FailAfter(0)
	_, err := e.desk.Export(e.ctx, self(t0.Add(2*time.Hour)), &b, "employee-anna", nil)
	fi.FailAfter(-1)
	if !errors.Is(err, privacy.ErrUnavailable) || privacy.RuleOf(err) != privacy.G7 || b.Len() != 0 {
		t.Errorf("G7: Export with its event failing = %v with %d bytes written, want ErrUnavailable naming G7 and nothing", err, b.Len())
	}
	e.verify(t)
}

func testRoles(t *testing.T, e *env) {
	// Rules R8, R11, R12, O13: the subject files their own requests, the
	// staff file what they receive; case managers, physicians and the
	// privacy officer decide. Anyone else is refused, with the rule, the
	// refusal audited as a denial, and nothing changes.
	employer := privacy.Principal{ID: "employer-contact-1", Role: privacy.RoleEmployerContact, Party: "employer-1"}
	admin := privacy.Principal{ID: "admin-1", Role: privacy.RoleAdministrator}
	support := privacy.Principal{ID: "support-1", Role: privacy.RoleSupportStaff, Secrecy: privacy.SecrecyAgreement}
	anna := privacy.Principal{ID: "employee-anna", Role: privacy.RoleSubject, Subject: "employee-anna"}
	bob := privacy.Principal{ID: "employee-bob", Role: privacy.RoleSubject, Subject: "employee-bob"}
	officer := privacy.Principal{ID: "officer-1", Role: privacy.RolePrivacyOfficer}
	own := privacy.Strict().Requests.WrittenBy[0]
	filing := func(id rights.RequestID) rights.Filing {
		return rights.Filing{ID: id, Subject: "employee-anna", Kind: rights.KindAccess, Form: rights.FormWritten, Received: t0}
	}
	// Allowed: the subject files her own; support staff and the officer
	// file what they receive; the officer answers.
	for i, by := range []privacy.Principal{anna, support, officer} {
		id := rights.RequestID(fmt.Sprintf("req-ok-%d", i))
		if _, err := e.desk.File(e.ctx, privacy.Act{By: by, At: t0}, filing(id)); err != nil {
			t.Errorf("File by %s: %v", by.Role, err)
		}
	}
	if _, err := e.desk.Answer(e.ctx, privacy.Act{By: officer, At: t0.Add(time.Hour)}, "req-ok-0", rights.Answer{Reason: "sent"}); err != nil {
		t.Errorf("Answer by the privacy officer: %v", err)
	}
	e.file(t, "req-1", "employee-anna", rights.KindAccess, t0)
	refused := []struct {
		name string
		by   privacy.Principal
		rule privacy.RuleID
		do   func(privacy.Act) error
	}{
		{"File/employer", employer, own, func(a privacy.Act) error {
			_, err := e.desk.File(e.ctx, a, filing("req-x"))
			return err
		}},
		{"File/administrator", admin, privacy.R12, func(a privacy.Act) error {
			_, err := e.desk.File(e.ctx, a, filing("req-x"))
			return err
		}},
		{"File/another_subject", bob, own, func(a privacy.Act) error {
			_, err := e.desk.File(e.ctx, a, filing("req-x"))
			return err
		}},
		{"Answer/employer", employer, own, func(a privacy.Act) error {
			_, err := e.desk.Answer(e.ctx, a, "req-1", rights.Answer{Reason: "sent"})
			return err
		}},
		{"Answer/the_subject", anna, own, func(a privacy.Act) error {
			_, err := e.desk.Answer(e.ctx, a, "req-1", rights.Answer{Reason: "sent"})
			return err
		}},
		{"Refuse/support_staff", support, privacy.R8, func(a privacy.Act) error {
			_, err := e.desk.Refuse(e.ctx, a, "req-1", rights.Refusal{Ground: rights.GroundUnfounded, Reason: "no"})
			return err
		}},
		{"Extend/administrator", admin, privacy.R12, func(a privacy.Act) error {
			_, err := e.desk.Extend(e.ctx, a, "req-1", rights.Extension{Reason: "busy"})
			return err
		}},
		{"ConfirmWritten/employer", employer, own, func(a privacy.Act) error {
			_, err := e.desk.ConfirmWritten(e.ctx, a, "req-1", rights.Confirmation{})
			return err
		}},
		{"Plan/employer", employer, own, func(a privacy.Act) error {
			_, err := e.desk.Plan(e.ctx, a, "req-1", nil)
			return err
		}},
		{"Export/employer", employer, own, func(a privacy.Act) error {
			var b bytes.Buffer
			_, err := e.desk.Export(e.ctx, a, &b, "employee-anna", nil)
			if b.Len() != 0 {
				return errors.New("a refused export wrote data")
			}
			return err
		}},
		{"Export/privacy_officer", officer, privacy.R8, func(a privacy.Act) error {
			var b bytes.Buffer
			_, err := e.desk.Export(e.ctx, a, &b, "employee-anna", nil)
			return err
		}},
	}
	for _, tc := range refused {
		t.Run(tc.name, func(t *testing.T) {
			before, _ := e.s.Request(e.ctx, "req-1")
			seq := e.lastSeq(t)
			a := privacy.Act{By: tc.by, At: t0.Add(2 * time.Hour), Client: "rightstest"}
			err := tc.do(a)
			if !errors.Is(err, privacy.ErrForbidden) || privacy.RuleOf(err) != tc.rule {
				t.Fatalf("%s = %v, want ErrForbidden naming %s", tc.name, err, tc.rule)
			}
			if _, err := e.s.Request(e.ctx, "req-x"); !errors.Is(err, privacy.ErrNotFound) {
				t.Errorf("a refused filing was stored (%v)", err)
			}
			after, _ := e.s.Request(e.ctx, "req-1")
			if err := same(after, before); err != nil {
				t.Errorf("a refused step changed the request: %v", err)
			}
			if evs, ok := e.trail(t, seq+1); ok {
				if len(evs) != 1 || evs[0].Outcome != privacy.OutcomeDenied || evs[0].Principal != tc.by.ID ||
					evs[0].Role != tc.by.Role || evs[0].Rule != tc.rule || !evs[0].Time.Equal(a.At) || evs[0].Client != a.Client {
					t.Errorf("the refusal left events %+v, want one denial under %s (G7, N9)", evs, tc.rule)
				}
			}
		})
	}
}
