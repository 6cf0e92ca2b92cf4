// Package accesstest is the conformance kit for [access.Store] adapters,
// in the spirit of testing/fstest.TestFS. An adapter runs it from its own
// test:
//
//	func TestAccessConformance(t *testing.T) {
//		accesstest.Run(t, func(t *testing.T) access.Store { return mystore.New(t) })
//	}
//
// Every case runs on a fresh store in a named subtest, through the
// [access.Guard] users work with, and names the rule it checks: the audit
// trail is appended to and chained (G7), every decision and search lands in
// it with the fields NEN 7513 asks for (N9), a subject's events can be read
// back (N9), a batch lands whole or not at all, an audit failure turns the
// decision into a denial, [access.Verify] finds a changed, removed,
// inserted or reordered event and says where (G7), and the group history
// of rule N12 is versioned and atomic with its audit event.
//
// Adapters that implement [privacytest.FaultInjector] also run the
// atomicity cases, and stores that implement [Tamperer] (an adapter's test
// wraps its store in one) the tampering cases; the others skip them by
// name, with the reason. The group-figure case needs an adapter that is
// also a [privacy.Store]. A shipped adapter skips none.
package accesstest

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"iter"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/dossierwacht/dossierwacht/access"
	"github.com/dossierwacht/dossierwacht/internal/kitdiff"
	"github.com/dossierwacht/dossierwacht/privacy"
	"github.com/dossierwacht/dossierwacht/privacy/privacytest"
)

// Tamperer is implemented by a store whose audit trail the kit may break
// on purpose, as someone with write access to the storage could, to show
// that [access.Verify] notices and says where (rule G7). A production
// store must not have these methods: an adapter's own test wraps its store
// in a type that has them (a SQL adapter's wrapper switches the trail's
// append-only triggers off for the change and on again); the in-memory
// store has them for the tests of this library.
//
// The methods change the stored events of one chain (the events of one
// subject, rule G7) as rows of a table keyed by chain and sequence number
// change, the only kind of change a store that keeps events by their
// numbers allows: an event keeps its place by its number, and a chain's
// events are read back in the order of their numbers. Each returns an
// error matching [privacy.ErrNotFound] for a number that is not stored.
type Tamperer interface {
	// TamperEvent applies change to the stored event numbered seq and
	// stores the result under the same number, its Prev and Hash as change
	// leaves them, without re-chaining anything.
	TamperEvent(ctx context.Context, chain privacy.SubjectID, seq uint64, change func(*privacy.Event)) error
	// DeleteEvent removes the event numbered seq; the others keep their
	// numbers.
	DeleteEvent(ctx context.Context, chain privacy.SubjectID, seq uint64) error
	// InsertEvent stores e under the number after+1 (after 0: the first),
	// moving every stored event numbered after+1 or higher up by one
	// number first, their content and hashes unchanged. A missing event
	// numbered after (other than 0) is ErrNotFound.
	InsertEvent(ctx context.Context, chain privacy.SubjectID, after uint64, e privacy.Event) error
	// SwapEvents swaps the content of the events numbered a and b, hashes
	// included; each number stays where it was.
	SwapEvents(ctx context.Context, chain privacy.SubjectID, a, b uint64) error
}

// Run runs the kit against stores made by newStore, one per subtest.
func Run(t *testing.T, newStore func(t *testing.T) access.Store) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := newStore(t)
			g, err := access.New(s, nil, &access.Options{Policy: privacy.Strict()})
			if err != nil {
				t.Fatalf("access.New: %v", err)
			}
			tc.run(t, &env{ctx: context.Background(), s: s, g: g})
		})
	}
}

type env struct {
	ctx context.Context
	s   access.Store
	g   *access.Guard
}

var cases = []struct {
	name string
	run  func(*testing.T, *env)
}{
	{"G7_AppendNumbersAndChains", testAppendChains},
	{"G7_EveryDecisionAudited", testEveryDecisionAudited},
	{"N9_EventHasNEN7513Fields", testEventFields},
	{"N9_SubjectEventsReadBack", testSubjectEvents},
	{"N9_SearchAudited", testSearchAudited},
	{"G7_EventsFrom", testEventsFrom},
	{"G7_MalformedBatchWritesNothing", testMalformedBatch},
	{"G7_AuditFailureDenies", testAuditFailure},
	{"G7_VerifyDetectsAlteredEvent", testTamperAltered},
	{"G7_VerifyDetectsRehashedEvent", testTamperRehashed},
	{"G7_VerifyDetectsRemovedEvent", testTamperRemoved},
	{"G7_VerifyDetectsInsertedEvent", testTamperInserted},
	{"G7_VerifyDetectsReorderedEvents", testTamperReordered},
	{"G7_VerifyDetectsTruncation", testTamperTruncated},
	{"N12_GroupHistoryVersioned", testGroupHistory},
	{"N12_AddGroupAtomic", testAddGroupAtomic},
	{"N12_AddGroupRefusesErasedMember", testAddGroupErasedMember},
	{"N12_GroupFigure", testGroupFigure},
	{"G7_Concurrent", testConcurrent},
	{"G7_ChainHeadIsTheStoresHead", testChainHead},
}

// The fixture; the kit never reads the clock.
var (
	t0 = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	// lastMonth is the calendar month before t0, what a group figure
	// covers (N12).
	lastMonth = time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC)
	contract  = privacy.Contract{ID: "contract-1", Party: "employer-1", PartyKind: privacy.PartyEmployer,
		Start: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)}
	caseManager = access.NewPrincipal(privacy.Principal{ID: "cm-1", Role: privacy.RoleCaseManager, Party: "service",
		Secrecy: privacy.SecrecyAgreement}, []privacy.CaseID{"c-1", "c-2"}, nil)
	employer = access.NewPrincipal(privacy.Principal{ID: "hr-1", Role: privacy.RoleEmployerContact, Party: "employer-1"}, nil, nil)
)

func mkCase(t *testing.T, id privacy.CaseID, s privacy.SubjectID, k privacy.CaseKind, p privacy.Purpose) *privacy.Case {
	t.Helper()
	c, err := privacy.NewCase(id, s, k, p, contract, t0.AddDate(0, -1, 0))
	if err != nil {
		t.Fatalf("NewCase(%s): %v", id, err)
	}
	return &c
}

func (e *env) request(t *testing.T, p *access.Principal, c *privacy.Case, cat privacy.Category, at time.Time) access.Request {
	t.Helper()
	return access.Request{Principal: p, Case: c, Action: privacy.ActionRead, Category: cat, Purpose: c.Purpose, Time: at}
}

// check makes n decisions, alternating allowed and denied.
func (e *env) check(t *testing.T, n int) []access.Decision {
	t.Helper()
	c1 := mkCase(t, "c-1", "s-1", privacy.CaseAbsence, privacy.PurposeAbsenceGuidance)
	out := make([]access.Decision, 0, n)
	for i := range n {
		cat := privacy.CategoryAbsenceFacts
		if i%2 == 1 {
			cat = privacy.CategoryMedical // denied: O6
		}
		d, err := e.g.Check(e.ctx, e.request(t, caseManager, c1, cat, t0.Add(time.Duration(i)*time.Second)))
		if err != nil {
			t.Fatalf("Check: %v", err)
		}
		out = append(out, d)
	}
	return out
}

func events(t *testing.T, seq iter.Seq2[privacy.Event, error]) []privacy.Event {
	t.Helper()
	var out []privacy.Event
	for e, err := range seq {
		if err != nil {
			t.Fatalf("reading events: %v", err)
		}
		out = append(out, e)
	}
	return out
}

func testAppendChains(t *testing.T, e *env) {
	e.check(t, 5)
	evs := events(t, e.s.Events(e.ctx, 1))
	if len(evs) != 5 {
		t.Fatalf("Events yields %d events, want 5", len(evs))
	}
	var prev privacy.Hash
	for i, ev := range evs {
		if ev.Seq != uint64(i+1) {
			t.Errorf("event %d has Seq %d", i+1, ev.Seq)
		}
		if ev.Prev != prev {
			t.Errorf("event %d is not linked to event %d", ev.Seq, ev.Seq-1)
		}
		if ev.Hash != ev.ComputeHash() {
			t.Errorf("event %d: stored hash does not match its content", ev.Seq)
		}
		prev = ev.Hash
	}
	cp, err := e.g.Verify(e.ctx, nil)
	if err != nil {
		t.Fatalf("Verify = %v", err)
	}
	if cp["s-1"].Seq != 5 || cp["s-1"].Hash != evs[4].Hash {
		t.Errorf("Verify reached %d, want 5 with the last hash", cp["s-1"].Seq)
	}
	if _, err := e.g.Verify(e.ctx, cp); err != nil {
		t.Errorf("Verify(its own checkpoint) = %v", err)
	}
	// AppendEvents returns the events as stored, each in the chain of its
	// subject: s-1's goes on from event 5, the service's own starts at 1.
	stored, err := e.s.AppendEvents(e.ctx, privacy.Event{Time: t0, Principal: "cm-1", Role: privacy.RoleCaseManager,
		Subject: "s-1", Action: privacy.EventRead, Outcome: privacy.OutcomeAllowed, Rule: privacy.R7, Policy: "1.0.0"},
		privacy.Event{Time: t0, Principal: "cm-1", Role: privacy.RoleCaseManager,
			Action: privacy.EventSearch, Outcome: privacy.OutcomeAllowed, Rule: privacy.R7, Policy: "1.0.0"})
	if err != nil || len(stored) != 2 || stored[0].Seq != 6 || stored[0].Prev != evs[4].Hash ||
		stored[1].Seq != 1 || stored[1].Prev != (privacy.Hash{}) {
		t.Errorf("AppendEvents = %v, %v; want event 6 of s-1 chained to event 5, event 1 of the service's chain", stored, err)
	}
	if _, err := e.g.Verify(e.ctx, nil); err != nil {
		t.Errorf("Verify of two chains = %v", err)
	}
}

func testEveryDecisionAudited(t *testing.T, e *env) {
	ds := e.check(t, 6)
	evs := events(t, e.s.Events(e.ctx, 1))
	if len(evs) != len(ds) {
		t.Fatalf("%d decisions, %d events", len(ds), len(evs))
	}
	for i, d := range ds {
		want := privacy.OutcomeDenied
		if d.Allowed {
			want = privacy.OutcomeAllowed
		}
		if evs[i].Outcome != want || evs[i].Rule != d.Rule || evs[i].Policy != d.Policy {
			t.Errorf("event %d = %s by %s (%s), want %s by %s (%s)", i+1, evs[i].Outcome, evs[i].Rule, evs[i].Policy, want, d.Rule, d.Policy)
		}
	}
	if evs[0].Rule != privacy.R7 || evs[1].Rule != privacy.O6 {
		t.Errorf("rules %s, %s; want R7 then O6", evs[0].Rule, evs[1].Rule)
	}
}

func testEventFields(t *testing.T, e *env) {
	c := mkCase(t, "c-1", "s-1", privacy.CaseAbsence, privacy.PurposeAbsenceGuidance)
	// A first event, so that the one checked links to a hash.
	if _, err := e.g.Check(e.ctx, e.request(t, caseManager, c, privacy.CategoryNotes, t0.Add(-time.Minute))); err != nil {
		t.Fatal(err)
	}
	p := *caseManager
	p.AccessPoint, p.Client = "10.1.2.3", "hr-suite/4.2"
	r := e.request(t, &p, c, privacy.CategoryNotes, t0)
	r.Action, r.Object, r.Create = privacy.ActionWrite, "rec-7", true
	if _, err := e.g.Check(e.ctx, r); err != nil {
		t.Fatal(err)
	}
	evs := events(t, e.s.Events(e.ctx, 1))
	if len(evs) != 2 {
		t.Fatalf("%d events, want 2", len(evs))
	}
	want := privacy.Event{Time: t0, Principal: "cm-1", Role: privacy.RoleCaseManager, OnBehalfOf: "service",
		Purpose: privacy.PurposeAbsenceGuidance, Subject: "s-1", Case: "c-1", Category: privacy.CategoryNotes, Object: "rec-7",
		Action: privacy.EventCreate, Outcome: privacy.OutcomeAllowed, Rule: privacy.R7, Policy: "1.0.0",
		AccessPoint: "10.1.2.3", Client: "hr-suite/4.2"}
	want = want.Chain(2, evs[0].Hash)
	if unset := kitdiff.Unset(want); len(unset) > 0 {
		t.Fatalf("accesstest: the kit's event leaves %v unset: set them, so that the round trip checks them", unset)
	}
	if d := kitdiff.Diff(want, evs[1]); d != "" {
		t.Errorf("N9: the stored event mismatch (-want +got):\n%s", d)
	}
	subject := events(t, e.s.SubjectEvents(e.ctx, "s-1", 2))
	if d := kitdiff.Diff([]privacy.Event{want}, subject); d != "" {
		t.Errorf("N9: SubjectEvents mismatch (-want +got):\n%s", d)
	}
}

func testSubjectEvents(t *testing.T, e *env) {
	c1 := mkCase(t, "c-1", "s-1", privacy.CaseAbsence, privacy.PurposeAbsenceGuidance)
	c2 := mkCase(t, "c-2", "s-2", privacy.CaseAbsence, privacy.PurposeAbsenceGuidance)
	var want []privacy.Category
	for i, cat := range []privacy.Category{privacy.CategoryNotes, privacy.CategoryIdentity, privacy.CategoryMedical, privacy.CategoryContact} {
		c := c1
		if i%2 == 1 {
			c = c2
		} else {
			want = append(want, cat)
		}
		if _, err := e.g.Check(e.ctx, e.request(t, caseManager, c, cat, t0.Add(time.Duration(i)*time.Minute))); err != nil {
			t.Fatal(err)
		}
	}
	got := events(t, e.g.SubjectEvents(e.ctx, "s-1", 0))
	if len(got) != len(want) {
		t.Fatalf("SubjectEvents(s-1) = %d events, want %d", len(got), len(want))
	}
	for i, ev := range got {
		if ev.Subject != "s-1" || ev.Category != want[i] {
			t.Errorf("SubjectEvents(s-1)[%d] = %s %s, want s-1 %s", i, ev.Subject, ev.Category, want[i])
		}
		if i > 0 && ev.Seq <= got[i-1].Seq {
			t.Errorf("SubjectEvents out of order: %d after %d", ev.Seq, got[i-1].Seq)
		}
	}
	// Denied attempts are part of the answer too: the medical read was
	// refused.
	if got[1].Outcome != privacy.OutcomeDenied || got[1].Rule != privacy.O6 {
		t.Errorf("the refused medical read shows as %s by %s", got[1].Outcome, got[1].Rule)
	}
	// From a sequence number on: the later events only.
	if later := events(t, e.g.SubjectEvents(e.ctx, "s-1", got[1].Seq)); len(later) != len(got)-1 || later[0].Seq != got[1].Seq {
		t.Errorf("SubjectEvents(s-1, from %d) = %d events, want %d", got[1].Seq, len(later), len(got)-1)
	}
	if n := len(events(t, e.g.SubjectEvents(e.ctx, "s-unknown", 0))); n != 0 {
		t.Errorf("SubjectEvents(unknown) = %d events", n)
	}
	// Events appended later show up on the next call.
	if _, err := e.g.Check(e.ctx, e.request(t, caseManager, c1, privacy.CategoryNotes, t0.Add(time.Hour))); err != nil {
		t.Fatal(err)
	}
	if n := len(events(t, e.g.SubjectEvents(e.ctx, "s-1", 0))); n != len(want)+1 {
		t.Errorf("after one more, SubjectEvents(s-1) = %d events, want %d", n, len(want)+1)
	}
}

func testSearchAudited(t *testing.T, e *env) {
	abs := mkCase(t, "c-1", "s-1", privacy.CaseAbsence, privacy.PurposeAbsenceGuidance)
	cons := mkCase(t, "c-2", "s-2", privacy.CaseConsultation, privacy.PurposePrevention)
	got, err := e.g.List(e.ctx, access.ListRequest{Principal: employer, Time: t0}, []privacy.Case{*abs, *cons})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].ID != "c-1" {
		t.Errorf("List = %v, want c-1 only (O10)", got)
	}
	evs := events(t, e.s.Events(e.ctx, 1))
	if len(evs) != 3 {
		t.Fatalf("%d events, want a search and one per case", len(evs))
	}
	if evs[0].Action != privacy.EventSearch {
		t.Errorf("first event %s, want search", evs[0].Action)
	}
	if evs[1].Case != "c-1" || evs[1].Outcome != privacy.OutcomeAllowed {
		t.Errorf("c-1: %s by %s", evs[1].Outcome, evs[1].Rule)
	}
	if evs[2].Case != "c-2" || evs[2].Outcome != privacy.OutcomeDenied || evs[2].Rule != privacy.O10 {
		t.Errorf("c-2: %s by %s, want denied by O10", evs[2].Outcome, evs[2].Rule)
	}
}

func testEventsFrom(t *testing.T, e *env) {
	e.check(t, 5)
	evs := events(t, e.s.Events(e.ctx, 3))
	if len(evs) != 3 || evs[0].Seq != 3 {
		t.Fatalf("Events(3) = %d events from %d, want 3 from 3", len(evs), evs[0].Seq)
	}
	all := events(t, e.s.Events(e.ctx, 1))
	if zero := events(t, e.s.Events(e.ctx, 0)); len(zero) != len(all) {
		t.Errorf("Events(0) = %d events, Events(1) = %d; both mean from the first", len(zero), len(all))
	}
	// Verifying from a checkpoint checks only what follows it.
	if _, err := access.Verify(e.s.Events(e.ctx, 3), access.Checkpoint{Seq: 2, Hash: all[1].Hash}, access.Checkpoint{}); err != nil {
		t.Errorf("Verify from checkpoint 2 = %v", err)
	}
	if n := len(events(t, e.s.Events(e.ctx, 99))); n != 0 {
		t.Errorf("Events(99) = %d events", n)
	}
}

func testMalformedBatch(t *testing.T, e *env) {
	c1 := mkCase(t, "c-1", "s-1", privacy.CaseAbsence, privacy.PurposeAbsenceGuidance)
	good := e.request(t, caseManager, c1, privacy.CategoryNotes, t0)
	bad := good
	bad.Category = "gossip"
	if _, err := e.g.CheckAll(e.ctx, []access.Request{good, bad}); !errors.Is(err, privacy.ErrInvalid) {
		t.Errorf("CheckAll(good, bad) = %v, want ErrInvalid", err)
	}
	if n := len(events(t, e.s.Events(e.ctx, 1))); n != 0 {
		t.Errorf("a refused batch wrote %d events", n)
	}
}

func testAuditFailure(t *testing.T, e *env) {
	fi, ok := e.s.(privacytest.FaultInjector)
	if !ok {
		t.Skip("the adapter does not implement privacytest.FaultInjector")
	}
	c1 := mkCase(t, "c-1", "s-1", privacy.CaseAbsence, privacy.PurposeAbsenceGuidance)
	r := e.request(t, caseManager, c1, privacy.CategoryNotes, t0)
	fi.FailAfter(1)
	ds, err := e.g.CheckAll(e.ctx, []access.Request{r, r, r})
	if !errors.Is(err, privacy.ErrUnavailable) {
		t.Errorf("CheckAll with a failing store = %v, want ErrUnavailable", err)
	}
	for i, d := range ds {
		if d.Allowed {
			t.Errorf("decision %d allowed although it could not be audited", i)
		}
	}
	if n := len(events(t, e.s.Events(e.ctx, 1))); n != 0 {
		t.Errorf("a failed batch left %d of 3 events", n)
	}
	fi.FailAfter(-1)
	if d, err := e.g.Check(e.ctx, r); err != nil || !d.Allowed {
		t.Errorf("after disarming: %v, %v", d, err)
	}
	if _, err := e.g.Verify(e.ctx, nil); err != nil {
		t.Errorf("Verify after a failed batch = %v", err)
	}
}

// tamperer returns the store's Tamperer with five audited decisions in
// it, or skips.
func tamperer(t *testing.T, e *env) Tamperer {
	t.Helper()
	tm, ok := e.s.(Tamperer)
	if !ok {
		t.Skip("the store does not implement accesstest.Tamperer")
	}
	e.check(t, 5)
	if _, err := e.g.Verify(e.ctx, nil); err != nil {
		t.Fatalf("Verify before tampering = %v", err)
	}
	return tm
}

// wantBreak checks that Verify finds problem p at seq.
func (e *env) wantBreak(t *testing.T, want access.Heads, seq uint64, p access.Problem) {
	t.Helper()
	_, err := e.g.Verify(e.ctx, want)
	var ce *access.ChainError
	if !errors.Is(err, access.ErrTampered) || !errors.Is(err, privacy.ErrConflict) || !errors.As(err, &ce) || privacy.RuleOf(err) != privacy.G7 {
		t.Fatalf("Verify = %v, want a *ChainError matching ErrTampered by G7", err)
	}
	if ce.Seq != seq || ce.Problem != p {
		t.Errorf("Verify = %v, want event %d %s", ce, seq, p)
	}
}

func testTamperAltered(t *testing.T, e *env) {
	tm := tamperer(t, e)
	// The refused read of event 2 made to look allowed.
	if err := tm.TamperEvent(e.ctx, "s-1", 2, func(ev *privacy.Event) { ev.Outcome = privacy.OutcomeAllowed; ev.Rule = privacy.R7 }); err != nil {
		t.Fatal(err)
	}
	e.wantBreak(t, nil, 2, access.ProblemAltered)
	if err := tm.TamperEvent(e.ctx, "s-1", 99, func(*privacy.Event) {}); !errors.Is(err, privacy.ErrNotFound) {
		t.Errorf("TamperEvent(a number not stored) = %v, want ErrNotFound", err)
	}
}

func testTamperRehashed(t *testing.T, e *env) {
	tm := tamperer(t, e)
	// A careful forger recomputes the changed event's hash; the next
	// event's link gives it away.
	if err := tm.TamperEvent(e.ctx, "s-1", 2, func(ev *privacy.Event) { ev.Principal = "someone-else"; ev.Hash = ev.ComputeHash() }); err != nil {
		t.Fatal(err)
	}
	e.wantBreak(t, nil, 2, access.ProblemAltered)
}

func testTamperRemoved(t *testing.T, e *env) {
	tm := tamperer(t, e)
	if err := tm.DeleteEvent(e.ctx, "s-1", 2); err != nil {
		t.Fatal(err)
	}
	e.wantBreak(t, nil, 2, access.ProblemMissing)
	if err := tm.DeleteEvent(e.ctx, "s-1", 2); !errors.Is(err, privacy.ErrNotFound) {
		t.Errorf("DeleteEvent(a number not stored) = %v, want ErrNotFound", err)
	}
}

func testTamperInserted(t *testing.T, e *env) {
	tm := tamperer(t, e)
	all := events(t, e.s.Events(e.ctx, 1))
	// A forged event that fits the chain at its place: numbered 3, linked
	// to event 2, with a valid hash. To put it there the genuine events 3
	// to 5 move up by one: the genuine event 3, now numbered 4, no longer
	// matches its hash, which covers its number.
	forged := all[2]
	forged.Principal = "intruder"
	forged = forged.Chain(3, all[1].Hash)
	if err := tm.InsertEvent(e.ctx, "s-1", 2, forged); err != nil {
		t.Fatal(err)
	}
	got := events(t, e.s.Events(e.ctx, 1))
	// The trail comes in the order of appending; the chain's order is its
	// numbers'.
	slices.SortFunc(got, func(a, b privacy.Event) int { return cmp.Compare(a.Seq, b.Seq) })
	moved := all[2]
	moved.Seq = 4
	if len(got) != 6 || got[2].Principal != "intruder" || kitdiff.Diff(moved, got[3]) != "" {
		t.Fatalf("after InsertEvent(2) the trail is %+v; want the forged event at 3 and the genuine one at 4", got)
	}
	e.wantBreak(t, nil, 4, access.ProblemAltered)
	if err := tm.InsertEvent(e.ctx, "s-1", 99, forged); !errors.Is(err, privacy.ErrNotFound) {
		t.Errorf("InsertEvent(after a number not stored) = %v, want ErrNotFound", err)
	}
}

func testTamperReordered(t *testing.T, e *env) {
	tm := tamperer(t, e)
	// Swapped events each sit under a number their hash was not made
	// with.
	if err := tm.SwapEvents(e.ctx, "s-1", 2, 4); err != nil {
		t.Fatal(err)
	}
	e.wantBreak(t, nil, 2, access.ProblemAltered)
	if err := tm.SwapEvents(e.ctx, "s-1", 2, 99); !errors.Is(err, privacy.ErrNotFound) {
		t.Errorf("SwapEvents(a number not stored) = %v, want ErrNotFound", err)
	}
}

func testTamperTruncated(t *testing.T, e *env) {
	tm := tamperer(t, e)
	cp, err := e.g.Verify(e.ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	// Removing the last event leaves a valid chain: only a checkpoint
	// kept from before shows it.
	if err := tm.DeleteEvent(e.ctx, "s-1", 5); err != nil {
		t.Fatal(err)
	}
	if _, err := e.g.Verify(e.ctx, nil); err != nil {
		t.Errorf("Verify without a checkpoint = %v; a truncated chain is still a chain", err)
	}
	e.wantBreak(t, cp, 5, access.ProblemTruncated)
	// A new event 5 in its place chains well, but it is not the event 5
	// the checkpoint knew: the chain was rewritten from there.
	if _, err := e.s.AppendEvents(e.ctx, privacy.Event{Time: t0, Principal: "forger", Role: privacy.RoleCaseManager,
		Subject: "s-1", Action: privacy.EventRead, Outcome: privacy.OutcomeAllowed, Rule: privacy.R7, Policy: "1.0.0"}); err != nil {
		t.Fatal(err)
	}
	e.wantBreak(t, cp, 5, access.ProblemRewritten)
}

// subjects stores the subjects named when the store keeps subjects too (a
// privacy.Store): such a store refuses a group member that is not one of
// them (rule N12; see access.Store.AddGroup).
func (e *env) subjects(t *testing.T, ids ...privacy.SubjectID) {
	t.Helper()
	ps, ok := e.s.(privacy.Store)
	if !ok {
		return
	}
	for _, id := range ids {
		s, err := privacy.NewSubject(id, "employer-1", t0)
		if err != nil {
			t.Fatal(err)
		}
		if err := ps.CreateSubject(e.ctx, s, []privacy.Event{{Time: t0, Principal: "cm-1", Role: privacy.RoleCaseManager,
			Action: privacy.EventCreate, Outcome: privacy.OutcomeAllowed, Rule: privacy.O1, Policy: "1.0.0", Subject: id,
			Object: string(id)}}); err != nil {
			t.Fatalf("CreateSubject(%s): %v", id, err)
		}
	}
}

func testGroupHistory(t *testing.T, e *env) {
	e.subjects(t, "s-1", "s-2", "s-3", "s-4", "s-9")
	h, err := e.s.GroupHistory(e.ctx, "employer-1")
	if err != nil || h.Version != 0 || len(h.Groups) != 0 {
		t.Fatalf("GroupHistory(new) = %+v, %v; want the zero history", h, err)
	}
	g1 := []privacy.SubjectID{"s-1", "s-2", "s-3"}
	stored, err := e.s.AddGroup(e.ctx, "employer-1", 0, g1, privacy.Event{Time: t0, Principal: "hr-1", Role: privacy.RoleEmployerContact,
		Action: privacy.EventExecute, Outcome: privacy.OutcomeAllowed, Rule: privacy.N12, Policy: "1.0.0"})
	if err != nil || len(stored) != 1 || stored[0].Seq != 1 {
		t.Fatalf("AddGroup = %v, %v", stored, err)
	}
	// A stale version is refused and changes nothing.
	if _, err := e.s.AddGroup(e.ctx, "employer-1", 0, []privacy.SubjectID{"s-9"}); !errors.Is(err, privacy.ErrConflict) {
		t.Errorf("AddGroup(stale) = %v, want ErrConflict", err)
	}
	h, err = e.s.GroupHistory(e.ctx, "employer-1")
	if err != nil || h.Version == 0 || len(h.Groups) != 1 || len(h.Groups[0]) != 3 {
		t.Fatalf("GroupHistory = %+v, %v; want one group of 3 at a new version", h, err)
	}
	// Copies out: changing the answer changes nothing.
	h.Groups[0][0] = "s-x"
	h2, _ := e.s.GroupHistory(e.ctx, "employer-1")
	if h2.Groups[0][0] != "s-1" {
		t.Error("GroupHistory shares memory with the store")
	}
	// Copies in, too.
	g1[1] = "s-y"
	if h3, _ := e.s.GroupHistory(e.ctx, "employer-1"); h3.Groups[0][1] != "s-2" {
		t.Error("AddGroup kept the caller's slice")
	}
	// Employers are apart.
	if h, _ := e.s.GroupHistory(e.ctx, "employer-2"); h.Version != 0 {
		t.Errorf("employer-2 has version %d", h.Version)
	}
	if _, err := e.s.AddGroup(e.ctx, "employer-1", h2.Version, []privacy.SubjectID{"s-4"}); err != nil {
		t.Errorf("AddGroup(current version) = %v", err)
	}
}

func testAddGroupAtomic(t *testing.T, e *env) {
	fi, ok := e.s.(privacytest.FaultInjector)
	if !ok {
		t.Skip("the adapter does not implement privacytest.FaultInjector")
	}
	e.subjects(t, "s-1")
	before := len(events(t, e.s.Events(e.ctx, 1)))
	ev := privacy.Event{Time: t0, Principal: "hr-1", Role: privacy.RoleEmployerContact, Action: privacy.EventExecute,
		Outcome: privacy.OutcomeAllowed, Rule: privacy.N12, Policy: "1.0.0"}
	fi.FailAfter(1)
	if _, err := e.s.AddGroup(e.ctx, "employer-1", 0, []privacy.SubjectID{"s-1"}, ev, ev); !errors.Is(err, privacy.ErrUnavailable) {
		t.Errorf("AddGroup with a failing store = %v, want ErrUnavailable", err)
	}
	fi.FailAfter(-1)
	if h, _ := e.s.GroupHistory(e.ctx, "employer-1"); h.Version != 0 || len(h.Groups) != 0 {
		t.Errorf("a failed AddGroup left a group: %+v", h)
	}
	if n := len(events(t, e.s.Events(e.ctx, 1))); n != before {
		t.Errorf("a failed AddGroup left %d events", n-before)
	}
}

// Rule N12: a store that keeps subjects refuses a group naming one that is
// not among them — never stored, or deleted after the caller decided on the
// group — with ErrNotFound naming N12, and changes nothing: an erased
// subject's ID never enters a history after its erasure took it out.
func testAddGroupErasedMember(t *testing.T, e *env) {
	ps, ok := e.s.(privacy.Store)
	if !ok {
		t.Skip("the adapter is not also a privacy.Store: it knows no subjects")
	}
	e.subjects(t, "s-1", "s-2")
	ev := privacy.Event{Time: t0, Principal: "hr-1", Role: privacy.RoleEmployerContact, Action: privacy.EventExecute,
		Outcome: privacy.OutcomeAllowed, Rule: privacy.N12, Policy: "1.0.0"}
	if err := ps.DeleteSubject(e.ctx, "s-2", []privacy.Event{{Time: t0, Principal: "officer-1", Role: privacy.RolePrivacyOfficer,
		Action: privacy.EventDelete, Outcome: privacy.OutcomeAllowed, Rule: privacy.O13, Policy: "1.0.0", Subject: "s-2",
		Object: "s-2"}}); err != nil {
		t.Fatalf("DeleteSubject: %v", err)
	}
	before := len(events(t, e.s.Events(e.ctx, 1)))
	for _, members := range [][]privacy.SubjectID{{"s-1", "s-2"}, {"s-1", "s-never"}} {
		_, err := e.s.AddGroup(e.ctx, "employer-1", 0, members, ev)
		if !errors.Is(err, privacy.ErrNotFound) || privacy.RuleOf(err) != privacy.N12 {
			t.Errorf("AddGroup(%v) = %v, want ErrNotFound by N12", members, err)
		}
	}
	if h, err := e.s.GroupHistory(e.ctx, "employer-1"); err != nil || h.Version != 0 || len(h.Groups) != 0 {
		t.Errorf("a refused AddGroup left a group: %+v, %v", h, err)
	}
	if n := len(events(t, e.s.Events(e.ctx, 1))); n != before {
		t.Errorf("a refused AddGroup left %d events", n-before)
	}
	if _, err := e.s.AddGroup(e.ctx, "employer-1", 0, []privacy.SubjectID{"s-1"}, ev); err != nil {
		t.Errorf("AddGroup(s-1) = %v", err)
	}
}

func testGroupFigure(t *testing.T, e *env) {
	ps, ok := e.s.(privacy.Store)
	if !ok {
		t.Skip("the adapter is not also a privacy.Store: the group figure needs subjects and cases")
	}
	d, err := privacy.NewDossiers(ps, privacy.Strict())
	if err != nil {
		t.Fatal(err)
	}
	g, err := access.New(e.s, d, nil)
	if err != nil {
		t.Fatal(err)
	}
	// 40 employees of employer-1; the first 12 took a periodic exam.
	var members []privacy.SubjectID
	for i := range 40 {
		id := privacy.SubjectID(fmt.Sprintf("s-%02d", i))
		s, _ := privacy.NewSubject(id, "employer-1", t0.AddDate(-1, 0, 0))
		if err := d.CreateSubject(e.ctx, privacy.Act{By: caseManager.Principal, At: s.Created}, s); err != nil {
			t.Fatal(err)
		}
		members = append(members, id)
		if i < 12 {
			c, _ := privacy.NewCase(privacy.CaseID(fmt.Sprintf("exam-%02d", i)), id, privacy.CasePeriodicExam, privacy.PurposePrevention, contract, t0.AddDate(0, 0, -10))
			if err := d.OpenCase(e.ctx, privacy.Act{By: caseManager.Principal, At: c.Opened}, c); err != nil {
				t.Fatal(err)
			}
		}
	}
	r := access.GroupRequest{Principal: employer, Employer: "employer-1", Figure: access.FigurePeriodicExam,
		Members: members[:25], From: lastMonth, To: lastMonth.AddDate(0, 1, 0), Time: t0}
	fig, err := g.GroupFigure(e.ctx, r)
	if err != nil {
		t.Fatalf("GroupFigure(25 members) = %v", err)
	}
	if fig.Members != 25 || fig.Value != 0.48 || fig.Rule != privacy.N12 || fig.Suppressed {
		t.Errorf("GroupFigure = %+v, want 12 of 25 by N12", fig)
	}
	// Too small, and a difference attack: both refused by N12.
	small := r
	small.Members = members[:9]
	if _, err := g.GroupFigure(e.ctx, small); !errors.Is(err, privacy.ErrForbidden) || privacy.RuleOf(err) != privacy.N12 {
		t.Errorf("GroupFigure(9 members) = %v, want forbidden by N12", err)
	}
	diff := r
	diff.Members = members[:26]
	if _, err := g.GroupFigure(e.ctx, diff); !errors.Is(err, privacy.ErrForbidden) || privacy.RuleOf(err) != privacy.N12 {
		t.Errorf("GroupFigure(25 members plus one) = %v, want forbidden by N12", err)
	}
	// The same group again is fine.
	if _, err := g.GroupFigure(e.ctx, r); err != nil {
		t.Errorf("GroupFigure(the same group again) = %v", err)
	}
	// Rule O10: none of these ten took part; saying so would tell about
	// each of them. The answer is suppressed, and audited as a denial.
	none := r
	none.Members = members[25:35]
	fig, err = g.GroupFigure(e.ctx, none)
	if err != nil || !fig.Suppressed || fig.Value != 0 || fig.Rule != privacy.O10 {
		t.Errorf("GroupFigure(none took part) = %+v, %v; want suppressed by O10", fig, err)
	}
	// The figures' events, after those of setting up the case file.
	evs := events(t, e.s.Events(e.ctx, 1))
	evs = slices.DeleteFunc(evs, func(ev privacy.Event) bool { return ev.Object != string(access.FigurePeriodicExam) })
	if len(evs) != 5 || evs[1].Outcome != privacy.OutcomeDenied || evs[2].Rule != privacy.N12 ||
		evs[4].Outcome != privacy.OutcomeDenied || evs[4].Rule != privacy.O10 {
		t.Errorf("%d events; want every answer and refusal audited", len(evs))
	}
}

func testConcurrent(t *testing.T, e *env) {
	c1 := mkCase(t, "c-1", "s-1", privacy.CaseAbsence, privacy.PurposeAbsenceGuidance)
	const workers, each = 4, 25
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for i := range each {
				r := e.request(t, caseManager, c1, privacy.CategoryNotes, t0.Add(time.Duration(w*each+i)*time.Second))
				if _, err := e.g.Check(e.ctx, r); err != nil {
					t.Error(err)
					return
				}
			}
		})
		wg.Go(func() {
			for range each {
				for _, err := range e.g.SubjectEvents(e.ctx, "s-1", 0) {
					if err != nil {
						t.Error(err)
						return
					}
				}
			}
		})
	}
	wg.Wait()
	cp, err := e.g.Verify(e.ctx, nil)
	if err != nil || cp["s-1"].Seq != workers*each {
		t.Errorf("Verify after concurrent appends = %d, %v; want %d events, no break", cp["s-1"].Seq, err, workers*each)
	}
	if n := len(events(t, e.g.SubjectEvents(e.ctx, "s-1", 0))); n != workers*each {
		t.Errorf("SubjectEvents = %d, want %d", n, workers*each)
	}
}

// auditPruner is package retention's AuditPruner, which a store may
// implement (named here: the kit does not import retention).
type auditPruner interface {
	PruneAudit(ctx context.Context, before time.Time, e privacy.Event) (int, error)
}

// testChainHead: a store that reads one chain's head
// (access.ChainHeadStore) gives the head and the anchor that every head
// and every anchor give for that chain (rule G7), before and after
// pruning; a chain without events has the zero head; and the guard's
// SubjectChain is that head, the subject's events verifying against it.
func testChainHead(t *testing.T, e *env) {
	chs, ok := e.s.(access.ChainHeadStore)
	if !ok {
		t.Skip("the store reads no chain's head alone")
	}
	for i := range 3 {
		for _, s := range []privacy.SubjectID{"s-1", "s-2", ""} {
			ev := privacy.Event{Time: t0.Add(time.Duration(i) * time.Hour), Principal: "cm-1", Role: privacy.RoleCaseManager,
				Subject: s, Action: privacy.EventRead, Outcome: privacy.OutcomeAllowed, Rule: privacy.R7, Policy: "1.0.0"}
			if _, err := e.s.AppendEvents(e.ctx, ev); err != nil {
				t.Fatal(err)
			}
		}
	}
	check := func(when string) {
		t.Helper()
		heads, err := access.ChainOf(e.ctx, headsOnly{e.s}, "s-1")
		if err != nil {
			t.Fatalf("%s: every head: %v", when, err)
		}
		for _, s := range []privacy.SubjectID{"s-1", "s-2", "", "s-9"} {
			h, a, err := chs.ChainHead(e.ctx, s)
			if err != nil {
				t.Fatalf("%s: ChainHead(%q): %v", when, s, err)
			}
			all, err := access.ChainOf(e.ctx, headsOnly{e.s}, s)
			if err != nil {
				t.Fatal(err)
			}
			var want privacy.Anchor
			if all.Anchor != nil {
				want = *all.Anchor
			}
			if all.Anchor != nil && a.Seq == all.Head.Seq && h.Seq == 0 {
				h = all.Head // every event pruned: the head is the anchor's
			}
			if h != all.Head || a != want {
				t.Errorf("%s: ChainHead(%q) = %v, %+v; every head and anchor say %v, %+v", when, s, h, a, all.Head, want)
			}
		}
		c, err := e.g.SubjectChain(e.ctx, "s-1")
		if err != nil || c.Head != heads.Head {
			t.Fatalf("%s: SubjectChain = %+v, %v; want the head %v", when, c, err, heads.Head)
		}
		if _, err := access.VerifySubject(e.g.SubjectEvents(e.ctx, "s-1", 0), c, nil, access.Checkpoint{}); err != nil {
			t.Errorf("%s: the subject's events against SubjectChain: %v", when, err)
		}
	}
	check("before pruning")
	p, ok := e.s.(auditPruner)
	if !ok {
		return
	}
	sweep := privacy.Event{Time: t0.Add(24 * time.Hour), Principal: "sweeper", Role: privacy.RoleAdministrator,
		Action: privacy.EventDelete, Outcome: privacy.OutcomeAllowed, Rule: privacy.N9, Policy: "1.0.0"}
	if _, err := p.PruneAudit(e.ctx, t0.Add(90*time.Minute), sweep); err != nil {
		t.Fatal(err)
	}
	check("after pruning")
}

// headsOnly hides a store's ChainHead, so that access.ChainOf reads every
// head and anchor.
type headsOnly struct{ access.Store }

func (h headsOnly) AuditHeads(ctx context.Context) (access.Heads, error) {
	return h.Store.(access.HeadsStore).AuditHeads(ctx)
}

func (h headsOnly) AuditAnchors(ctx context.Context) (map[privacy.SubjectID]privacy.Anchor, error) {
	if a, ok := h.Store.(access.AnchoredStore); ok {
		return a.AuditAnchors(ctx)
	}
	return nil, nil
}

func (h headsOnly) AuditKey() []byte {
	if k, ok := h.Store.(access.KeyedStore); ok {
		return k.AuditKey()
	}
	return nil
}
