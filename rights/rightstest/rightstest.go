// Package rightstest is the conformance kit for [rights.Store] adapters,
// in the spirit of testing/fstest.TestFS. An adapter runs it from its own
// test:
//
//	func TestRights(t *testing.T) {
//		rightstest.Run(t, func(t *testing.T) rights.Store { return mystore.New(t) })
//	}
//
// Every case runs on a fresh store in a named subtest, through the
// [rights.Desk] users work with (and, for the store's own contract, on the
// store directly), and says which rule it checks. It covers round trips of
// requests and their history, listings and their order, typed errors for
// missing and duplicate IDs, copy semantics, the compare-and-swap that
// keeps two racing decisions from both landing (run it with -race), the
// audit (rules O1, G7, N9): every write appends exactly the events it was
// given, chained into the one trail, a write without events is refused,
// every step of the desk and the export leave their event, refusals by
// role are audited as denials; and atomicity: an adapter that implements
// [privacytest.FaultInjector] shows that a failed write, its events
// included, leaves nothing behind. Adapters without it skip those cases by
// name, and adapters whose trail the kit cannot read ([EventLog]) the
// checks of the trail.
//
// A Desk also reads the case file, so the store under test must implement
// [privacy.Store] too, as every shipped adapter does: the kit fails at once
// on one that does not. The kit brings no store of its own.
package rightstest

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/dossierwacht/dossierwacht/internal/kitdiff"
	"github.com/dossierwacht/dossierwacht/privacy"
	"github.com/dossierwacht/dossierwacht/privacy/privacytest"
	"github.com/dossierwacht/dossierwacht/rights"
)

// Run runs the kit against stores made by newStore, one per subtest.
func Run(t *testing.T, newStore func(t *testing.T) rights.Store) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := newStore(t)
			ps, ok := s.(privacy.Store)
			if !ok {
				t.Fatalf("rightstest: the store under test (%T) does not implement privacy.Store; a rights.Desk reads the case file from it", s)
			}
			policy := privacy.Strict()
			if tc.policy != nil {
				policy = tc.policy()
			}
			d, err := privacy.NewDossiers(ps, policy)
			if err != nil {
				t.Fatalf("NewDossiers: %v", err)
			}
			desk, err := rights.New(s, d, nil)
			if err != nil {
				t.Fatalf("rights.New: %v", err)
			}
			e := &env{ctx: context.Background(), s: s, d: d, desk: desk}
			e.populate(t)
			tc.run(t, e)
		})
	}
}

type env struct {
	ctx  context.Context
	s    rights.Store
	d    *privacy.Dossiers
	desk *rights.Desk
}

var cases = []struct {
	name string
	run  func(*testing.T, *env)
	// policy is the policy the desk works under; nil: privacy.Strict.
	policy func() *privacy.Policy
}{
	{"R11_RequestRoundTrip", testRoundTrip, nil},
	{"RequestErrors", testErrors, nil},
	// Regulation O: its month extends (G2); regulation R's four weeks, and
	// so the strict policy's, do not (R11).
	{"G2_HistoryRoundTrip", testHistory, privacy.RegulationO},
	{"SubjectRequestsOrder", testSubjectOrder, nil},
	{"OpenRequestsOrder", testOpenOrder, nil},
	{"CopySemantics", testCopies, nil},
	{"StaleUpdateConflicts", testStale, nil},
	{"RacingDecisionsOneLands", testRace, nil},
	{"ConcurrentFilings", testConcurrent, nil},
	{"AtomicFaultOnFile", testFaultFile, nil},
	{"AtomicFaultOnStep", testFaultStep, nil},
	{"G7_StoreAppendsExactlyItsEvents", testStoreAppends, nil},
	{"G7_UnauditedWritesRefused", testUnaudited, nil},
	// It extends a request: regulation O's month extends (G2).
	{"G7_EveryStepAudited", testStepsAudited, privacy.RegulationO},
	{"G7_FailedAuditLeavesNothing", testFailedAudit, nil},
	{"R11_OnlyTheDeskRolesAct", testRoles, nil},
}

// Fixed times: the kit never reads the clock. t0 is Monday 2 March 2026.
var t0 = time.Date(2026, time.March, 2, 9, 0, 0, 0, time.UTC)

// staff is who works the desk in the kit's stories.
var staff = privacy.Principal{ID: "case-manager-carla", Role: privacy.RoleCaseManager, Party: "service-1",
	Secrecy: privacy.SecrecyAgreement}

// kitSubjects are the subjects whose requests the kit's staff decide:
// each has a case the staff member is assigned to, for a case manager
// decides only the requests of subjects in one of whose cases it is
// assigned (rules R7, O4).
var kitSubjects = []privacy.SubjectID{"employee-anna", "employee-bob"}

// kitCases are the cases of kitSubjects, in order.
var kitCases = []privacy.CaseID{"case-employee-anna", "case-employee-bob"}

// act is the staff member acting at at, from the kit's workstation,
// assigned to the kit's cases.
func act(at time.Time) privacy.Act {
	return privacy.Act{By: staff, At: at, AccessPoint: "10.0.0.7", Client: "rightstest", Cases: kitCases}
}

// populate registers the kit's subjects, each with an absence case, a day
// before t0.
func (e *env) populate(t *testing.T) {
	t.Helper()
	at := t0.Add(-24 * time.Hour)
	contract := privacy.Contract{ID: "contract-1", Party: "employer-1", PartyKind: privacy.PartyEmployer, Start: t0.AddDate(-1, 0, 0)}
	for i, id := range kitSubjects {
		s, err := privacy.NewSubject(id, "employer-1", at)
		if err != nil {
			t.Fatal(err)
		}
		if err := e.d.CreateSubject(e.ctx, act(at), s); err != nil {
			t.Fatalf("rightstest: CreateSubject(%s): %v", id, err)
		}
		c, err := privacy.NewCase(kitCases[i], id, privacy.CaseAbsence, privacy.PurposeAbsenceGuidance, contract, at)
		if err != nil {
			t.Fatal(err)
		}
		if err := e.d.OpenCase(e.ctx, act(at), c); err != nil {
			t.Fatalf("rightstest: OpenCase(%s): %v", c.ID, err)
		}
	}
}

// self is Anna herself acting at at: who takes her own export (R11, O13).
func self(at time.Time) privacy.Act {
	return privacy.Act{By: privacy.Principal{ID: "employee-anna", Role: privacy.RoleSubject, Subject: "employee-anna"},
		At: at, AccessPoint: "10.0.0.8", Client: "rightstest"}
}

func (e *env) file(t *testing.T, id rights.RequestID, subject privacy.SubjectID, kind rights.Kind, received time.Time) rights.Request {
	t.Helper()
	r, err := e.desk.File(e.ctx, act(received), rights.Filing{ID: id, Subject: subject, Kind: kind, Form: rights.FormWritten,
		Received: received, Document: "letter-" + string(id)})
	if err != nil {
		t.Fatalf("File(%s): %v", id, err)
	}
	return r
}

func wantKind(t *testing.T, what string, err, kind error) {
	t.Helper()
	if !errors.Is(err, kind) {
		t.Errorf("%s: err = %v, want %v", what, err, kind)
	}
}

// same reports the difference between the request a store gave back and
// the one it was given: the whole value, times compared with Equal, so
// that a field an adapter drops fails the kit.
func same(got, want rights.Request) error {
	if d := kitdiff.Diff(want, got); d != "" {
		return fmt.Errorf("request %s mismatch (-want +got):\n%s", want.ID, d)
	}
	return nil
}

// wantFull stops the kit when a round trip's input leaves a field unset: a
// field no adapter would be checked on.
func wantFull(t *testing.T, what string, v any, except ...string) {
	t.Helper()
	if unset := kitdiff.Unset(v, except...); len(unset) > 0 {
		t.Fatalf("rightstest: the kit's %s leaves %v unset: set them, so that the round trip checks them", what, unset)
	}
}

func testRoundTrip(t *testing.T, e *env) {
	want := e.file(t, "req-1", "employee-anna", rights.KindAccess, t0)
	got, err := e.desk.Request(e.ctx, "req-1")
	if err != nil {
		t.Fatalf("Request: %v", err)
	}
	if err := same(got, want); err != nil {
		t.Error(err)
	}
	// Rule R11: four weeks under the strict policy.
	if got.Due.Rule != privacy.R11 || got.Due.Date.String() != "2026-03-30" {
		t.Errorf("Due = %+v, want 2026-03-30 under R11", got.Due)
	}
	scoped, err := e.desk.File(e.ctx, act(t0), rights.Filing{ID: "req-2", Subject: "employee-anna", Kind: rights.KindErasure,
		Form: rights.FormOral, Received: t0, Records: []privacy.RecordID{"rec-b", "rec-a"}})
	if err != nil {
		t.Fatal(err)
	}
	got, err = e.desk.Request(e.ctx, "req-2")
	if err != nil {
		t.Fatal(err)
	}
	if err := same(got, scoped); err != nil {
		t.Error(err)
	}
	// Confirmed in writing (R11), every field of the request is set.
	confirmed, err := e.desk.ConfirmWritten(e.ctx, act(t0.Add(time.Hour)), "req-2", rights.Confirmation{Document: "letter-req-2"})
	if err != nil {
		t.Fatalf("ConfirmWritten: %v", err)
	}
	wantFull(t, "request", confirmed)
	got, err = e.desk.Request(e.ctx, "req-2")
	if err != nil {
		t.Fatal(err)
	}
	if err := same(got, confirmed); err != nil {
		t.Error(err)
	}
	list, err := e.desk.SubjectRequests(e.ctx, "employee-anna")
	if err != nil {
		t.Fatal(err)
	}
	if d := kitdiff.Diff([]rights.Request{want, confirmed}, list); d != "" {
		t.Errorf("SubjectRequests mismatch (-want +got):\n%s", d)
	}
}

func testErrors(t *testing.T, e *env) {
	_, err := e.desk.Request(e.ctx, "req-none")
	wantKind(t, "Request(missing)", err, privacy.ErrNotFound)
	_, err = e.s.Request(e.ctx, "req-none")
	wantKind(t, "store Request(missing)", err, privacy.ErrNotFound)
	r := e.file(t, "req-1", "employee-anna", rights.KindAccess, t0)
	err = e.s.CreateRequest(e.ctx, r, kitEvents("duplicate"))
	wantKind(t, "CreateRequest(duplicate)", err, privacy.ErrExists)
	missing := r
	missing.ID = "req-none"
	missing.History = append(missing.History, missing.History[0])
	err = e.s.UpdateRequest(e.ctx, missing, kitEvents("missing"))
	wantKind(t, "UpdateRequest(missing)", err, privacy.ErrNotFound)
}

func testHistory(t *testing.T, e *env) {
	e.file(t, "req-1", "employee-anna", rights.KindAccess, t0)
	ext, err := e.desk.Extend(e.ctx, act(t0.Add(time.Hour)), "req-1", rights.Extension{Reason: "a second archive"})
	if err != nil {
		t.Fatalf("Extend: %v", err)
	}
	ans, err := e.desk.Answer(e.ctx, act(t0.Add(2*time.Hour)), "req-1", rights.Answer{Reason: "export sent"})
	if err != nil {
		t.Fatalf("Answer: %v", err)
	}
	got, err := e.desk.Request(e.ctx, "req-1")
	if err != nil {
		t.Fatal(err)
	}
	if err := same(got, ans); err != nil {
		t.Error(err)
	}
	// Rule G2: the extended deadline and its rule are kept.
	if got.Due != ext.Due || got.Due.Extension != privacy.G2 || got.History[1].Kind != rights.StepExtended {
		t.Errorf("history = %+v", got.History)
	}
	// An outcome with kept records round-trips (G3).
	e.file(t, "req-2", "employee-anna", rights.KindErasure, t0)
	plan := rights.Plan{Request: "req-2", Kind: rights.KindErasure, Subject: "employee-anna",
		Changes: []rights.Change{{Record: "rec-a", Case: "case-1", Category: privacy.CategoryNotes, Erase: true}},
		Keeps: []rights.Keep{{Record: "rec-b", Case: "case-1", Category: privacy.CategoryEmployment,
			Ground: rights.GroundStatutoryRetention, Rule: privacy.G3, Retention: privacy.R9, Citation: "AWR 52(4)"}}}
	ans, err = e.desk.Answer(e.ctx, act(t0.Add(time.Hour)), "req-2", rights.Answer{Reason: "erased in part", Plan: &plan})
	if err != nil {
		t.Fatalf("Answer(erasure): %v", err)
	}
	got, err = e.desk.Request(e.ctx, "req-2")
	if err != nil {
		t.Fatal(err)
	}
	if err := same(got, ans); err != nil {
		t.Error(err)
	}
}

func testSubjectOrder(t *testing.T, e *env) {
	e.file(t, "req-c", "employee-anna", rights.KindAccess, t0.Add(2*time.Hour))
	e.file(t, "req-b", "employee-anna", rights.KindCopy, t0)
	e.file(t, "req-a", "employee-anna", rights.KindErasure, t0)
	e.file(t, "req-x", "employee-bob", rights.KindAccess, t0)
	rs, err := e.desk.SubjectRequests(e.ctx, "employee-anna")
	if err != nil {
		t.Fatal(err)
	}
	var got []rights.RequestID
	for _, r := range rs {
		got = append(got, r.ID)
	}
	if fmt.Sprint(got) != "[req-a req-b req-c]" {
		t.Errorf("SubjectRequests = %v, want [req-a req-b req-c] (receipt, then ID)", got)
	}
	none, err := e.desk.SubjectRequests(e.ctx, "employee-nobody")
	if err != nil || len(none) != 0 {
		t.Errorf("SubjectRequests(no requests) = %v, %v; want none, no error", none, err)
	}
}

func testOpenOrder(t *testing.T, e *env) {
	e.file(t, "req-late", "employee-anna", rights.KindAccess, t0.AddDate(0, 0, 7))
	e.file(t, "req-soon", "employee-bob", rights.KindAccess, t0)
	e.file(t, "req-done", "employee-anna", rights.KindAccess, t0)
	e.file(t, "req-also", "employee-anna", rights.KindAccess, t0)
	if _, err := e.desk.Answer(e.ctx, act(t0.Add(time.Hour)), "req-done", rights.Answer{Reason: "sent"}); err != nil {
		t.Fatal(err)
	}
	rs, err := e.desk.OpenRequests(e.ctx)
	if err != nil {
		t.Fatal(err)
	}
	var got []rights.RequestID
	for _, r := range rs {
		got = append(got, r.ID)
	}
	if fmt.Sprint(got) != "[req-also req-soon req-late]" {
		t.Errorf("OpenRequests = %v, want [req-also req-soon req-late] (deadline, then ID; answered ones left out)", got)
	}
}

func testCopies(t *testing.T, e *env) {
	r, err := e.desk.File(e.ctx, act(t0), rights.Filing{ID: "req-1", Subject: "employee-anna", Kind: rights.KindErasure,
		Form: rights.FormWritten, Received: t0, Records: []privacy.RecordID{"rec-a"}})
	if err != nil {
		t.Fatal(err)
	}
	got, _ := e.s.Request(e.ctx, "req-1")
	got.Records[0] = "rec-changed"
	got.History[0].Reason = "changed"
	list, _ := e.s.SubjectRequests(e.ctx, "employee-anna")
	list[0].History[0].By = "someone"
	again, _ := e.s.Request(e.ctx, "req-1")
	if err := same(again, r); err != nil {
		t.Errorf("changing a returned request changed the store: %v", err)
	}
	// Changing the value handed in does not change the store either.
	in := r.Clone()
	in.ID = "req-2"
	if err := e.s.CreateRequest(e.ctx, in, kitEvents("copy")); err != nil {
		t.Fatal(err)
	}
	in.Records[0] = "rec-changed"
	stored, _ := e.s.Request(e.ctx, "req-2")
	if stored.Records[0] != "rec-a" {
		t.Errorf("changing the request handed in changed the store")
	}
}

func testStale(t *testing.T, e *env) {
	r := e.file(t, "req-1", "employee-anna", rights.KindAccess, t0)
	step := rights.Step{Kind: rights.StepAnswered, Status: rights.StatusAnswered, At: t0.Add(time.Hour), By: staff.ID,
		Reason: "sent", Rule: privacy.R11, Policy: "1.0.0"}
	same := r.Clone()
	same.Status = rights.StatusAnswered
	err := e.s.UpdateRequest(e.ctx, same, kitEvents("same"))
	wantKind(t, "UpdateRequest(no new step)", err, privacy.ErrConflict)
	two := r.Clone()
	two.History = append(two.History, step, step)
	err = e.s.UpdateRequest(e.ctx, two, kitEvents("two"))
	wantKind(t, "UpdateRequest(two new steps)", err, privacy.ErrConflict)
	one := r.Clone()
	one.History = append(one.History, step)
	one.Status = rights.StatusAnswered
	if err := e.s.UpdateRequest(e.ctx, one, kitEvents("one")); err != nil {
		t.Fatalf("UpdateRequest(one new step): %v", err)
	}
	err = e.s.UpdateRequest(e.ctx, one, kitEvents("one"))
	wantKind(t, "UpdateRequest(stale)", err, privacy.ErrConflict)
	got, _ := e.s.Request(e.ctx, "req-1")
	if len(got.History) != 2 || got.Status != rights.StatusAnswered {
		t.Errorf("after the conflicts: %d steps, status %s", len(got.History), got.Status)
	}
}

// testRace: answers and refusals race on one request; exactly one lands
// (rule G2: a request has one outcome).
func testRace(t *testing.T, e *env) {
	e.file(t, "req-1", "employee-anna", rights.KindAccess, t0)
	var wg sync.WaitGroup
	errs := make([]error, 20)
	for i := range errs {
		wg.Go(func() {
			at := t0.Add(time.Duration(i+1) * time.Minute)
			if i%2 == 0 {
				_, errs[i] = e.desk.Answer(e.ctx, act(at), "req-1", rights.Answer{Reason: "sent"})
			} else {
				_, errs[i] = e.desk.Refuse(e.ctx, act(at), "req-1", rights.Refusal{Ground: rights.GroundUnfounded, Reason: "x"})
			}
		})
	}
	wg.Wait()
	landed := 0
	for _, err := range errs {
		switch {
		case err == nil:
			landed++
		case !errors.Is(err, privacy.ErrConflict):
			t.Errorf("racing decision: %v, want nil or ErrConflict", err)
		}
	}
	got, _ := e.desk.Request(e.ctx, "req-1")
	if landed != 1 || len(got.History) != 2 {
		t.Errorf("%d decisions landed and the history has %d steps; want 1 and 2", landed, len(got.History))
	}
}

func testConcurrent(t *testing.T, e *env) {
	var wg sync.WaitGroup
	for i := range 40 {
		wg.Go(func() {
			subject := privacy.SubjectID(fmt.Sprintf("employee-%d", i%4))
			received := t0.Add(time.Duration(i) * time.Minute)
			if _, err := e.desk.File(e.ctx, act(received), rights.Filing{ID: rights.RequestID(fmt.Sprintf("req-%d", i)), Subject: subject,
				Kind: rights.KindAccess, Form: rights.FormWritten, Received: received}); err != nil {
				t.Errorf("File: %v", err)
			}
			if _, err := e.desk.SubjectRequests(e.ctx, subject); err != nil {
				t.Errorf("SubjectRequests: %v", err)
			}
		})
	}
	wg.Wait()
	open, err := e.desk.OpenRequests(e.ctx)
	if err != nil || len(open) != 40 {
		t.Errorf("OpenRequests = %d, %v; want 40", len(open), err)
	}
}

func injector(t *testing.T, e *env) privacytest.FaultInjector {
	t.Helper()
	f, ok := e.s.(privacytest.FaultInjector)
	if !ok {
		t.Skip("the store cannot inject faults (privacytest.FaultInjector)")
	}
	return f
}

func testFaultFile(t *testing.T, e *env) {
	f := injector(t, e)
	f.FailAfter(0)
	_, err := e.desk.File(e.ctx, act(t0), rights.Filing{ID: "req-1", Subject: "employee-anna", Kind: rights.KindAccess,
		Form: rights.FormWritten, Received: t0})
	f.FailAfter(-1)
	wantKind(t, "File(injected failure)", err, privacy.ErrUnavailable)
	_, err = e.desk.Request(e.ctx, "req-1")
	wantKind(t, "Request after a failed filing", err, privacy.ErrNotFound)
	if rs, _ := e.desk.SubjectRequests(e.ctx, "employee-anna"); len(rs) != 0 {
		t.Errorf("a failed filing left %d requests", len(rs))
	}
}

func testFaultStep(t *testing.T, e *env) {
	f := injector(t, e)
	before := e.file(t, "req-1", "employee-anna", rights.KindAccess, t0)
	f.FailAfter(0)
	_, err := e.desk.Answer(e.ctx, act(t0.Add(time.Hour)), "req-1", rights.Answer{Reason: "sent"})
	f.FailAfter(-1)
	wantKind(t, "Answer(injected failure)", err, privacy.ErrUnavailable)
	got, _ := e.desk.Request(e.ctx, "req-1")
	if err := same(got, before); err != nil {
		t.Errorf("a failed answer changed the request: %v", err)
	}
	if _, err := e.desk.Answer(e.ctx, act(t0.Add(time.Hour)), "req-1", rights.Answer{Reason: "sent"}); err != nil {
		t.Errorf("Answer after the failure: %v", err)
	}
}
