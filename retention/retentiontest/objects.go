package retentiontest

import (
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/dossierwacht/dossierwacht/privacy"
	"github.com/dossierwacht/dossierwacht/privacy/privacytest"
	"github.com/dossierwacht/dossierwacht/retention"
)

// objectCases run when the store is a [retention.ObjectStore]: sweeps then
// remove every kind of stored data besides records, each by its own rule
// (rules R9, O12, N7, G3, G4).
var objectCases = []kitCase{
	{"R9_SweepRemovesEveryKind", testSweepEveryKind},
	{"N9_SweepPrunesTheAuditTrail", testSweepPrunesAudit},
	{"G3_HoldKeepsEveryKind", testHoldKeepsEveryKind},
	{"R9_StatuteKeepsCaseAndSubject", testStatuteKeepsCase},
	{"G3_EraseObjectChecks", testEraseObjectChecks},
	{"G3_EraseObjectsBatchChecks", testEraseObjectsBatchChecks},
	{"G3_ObjectOfHeldCaseKeptWhateverTheProof", testObjectOfHeldCase},
	{"ObjectAtomicFault", testObjectAtomicFault},
}

// longAfter is when every period of the objects world has run: the case
// closed and the employment ended on 1 March 2025; the fiscal 7 years
// (R9) end in March 2032.
var longAfter = closed.AddDate(8, 0, 0)

// objectsWorld: subject s-o whose employment ended when its absence case
// c-o closed, with a note n-o and employment data f-o (fiscal, 7 years);
// a lifted hold and a granted erasure request of n-o. It returns the kinds
// it holds. (Grants, disclosure-log entries and requests belong to the
// stores of packages consent and rights, above this kit: an adapter's own
// tests and the compliance kit's R9/nothing_outlives_its_retention check
// them.)
func (e *env) objectsWorld(t *testing.T, fiscal bool) []privacy.DataKind {
	t.Helper()
	e.subject(t, "s-o")
	e.openCase(t, "c-o", "s-o", t0)
	e.add(t, rec("n-o", "c-o", privacy.CategoryNotes, t0))
	if fiscal {
		e.add(t, rec("f-o", "c-o", privacy.CategoryEmployment, t0))
	}
	if err := e.d.CloseCase(e.ctx, act(closed), "c-o"); err != nil {
		t.Fatalf("CloseCase: %v", err)
	}
	if err := e.d.EndEmployment(e.ctx, act(closed), "s-o", closed); err != nil {
		t.Fatalf("EndEmployment: %v", err)
	}
	kinds := []privacy.DataKind{privacy.DataSubject, privacy.DataCase, privacy.DataHold, privacy.DataErasure}
	at := closed.Add(24 * time.Hour)
	if _, err := e.r.PlaceHold(e.ctx, officer, retention.Hold{ID: "h-o", Subject: "s-o", Case: "c-o", Ground: retention.GroundLegalClaim,
		Reason: "claim C/16/1", PlacedBy: officer.ID, Placed: at}, at); err != nil {
		t.Fatalf("PlaceHold: %v", err)
	}
	if err := e.r.LiftHold(e.ctx, officer, "h-o", "claim settled", at.Add(time.Hour)); err != nil {
		t.Fatalf("LiftHold: %v", err)
	}
	if _, err := e.r.RequestErasure(e.ctx, officer, retention.Erasure{ID: "e-o", Subject: "s-o", Records: []privacy.RecordID{"n-o"},
		Rule: privacy.O13, Received: at}, at.Add(2*time.Hour)); err != nil {
		t.Fatalf("RequestErasure: %v", err)
	}
	return kinds
}

func (e *env) objectStore(t *testing.T) retention.ObjectStore {
	t.Helper()
	os, ok := retention.AsObjectStore(e.s)
	if !ok {
		t.Skip("the store is not a retention.ObjectStore")
	}
	return os
}

// Rule N9: a sweep past the audit retention prunes the trail of a store
// that is a [retention.AuditPruner], says so in its report, and leaves no
// event older than the retention; the sweep's own events stay.
func testSweepPrunesAudit(t *testing.T, e *env) {
	if _, ok := e.s.(retention.AuditPruner); !ok {
		t.Skip("the store does not prune its audit trail")
	}
	e.objectsWorld(t, false)
	if evs, ok := e.events(t); !ok || len(evs) == 0 {
		t.Skip("the store does not list its audit trail")
	}
	rep, err := e.r.Sweep(e.ctx, sweeper, longAfter)
	if err != nil {
		t.Fatalf("Sweep: %v", err)
	}
	if rep.AuditPruned == 0 || slices.Contains(rep.Unswept, privacy.DataAudit) {
		t.Errorf("Sweep pruned %d audit events, Unswept %v; want events pruned (N9)", rep.AuditPruned, rep.Unswept)
	}
	before := e.r.Engine().AuditBefore(longAfter)
	evs, _ := e.events(t)
	for _, ev := range evs {
		if ev.Time.Before(before) {
			t.Errorf("audit event %d of %s (%s) kept past the audit retention, before %s (N9)", ev.Seq, ev.Subject, ev.Time, before)
		}
	}
	if len(evs) == 0 {
		t.Error("no audit event left of the sweep itself (N9)")
	}
}

// Rules R9, O12, N7, G4: past every period, a sweep removes every kind of
// stored data of the subject, each with one proof naming its rule and
// citation and one audit event; the subject goes last, and a second sweep
// finds nothing.
func testSweepEveryKind(t *testing.T, e *env) {
	os := e.objectStore(t)
	kinds := e.objectsWorld(t, true)
	rep, err := e.r.Sweep(e.ctx, sweeper, longAfter)
	if err != nil {
		t.Fatalf("Sweep: %v", err)
	}
	if rep.Erased != 2 {
		t.Errorf("Sweep erased %d records, want 2", rep.Erased)
	}
	for _, k := range kinds {
		if got := rep.Kind(k); got.Erased != 1 || got.Due != 1 {
			t.Errorf("%s: %+v, want 1 due and erased", k, got)
		}
	}
	if slices.ContainsFunc(rep.Unswept, func(k privacy.DataKind) bool { return k != privacy.DataAudit }) {
		t.Errorf("Unswept = %v, want at most audit events", rep.Unswept)
	}
	if _, err := e.ps.Subject(e.ctx, "s-o"); !errors.Is(err, privacy.ErrNotFound) {
		t.Errorf("Subject after the sweep: %v, want ErrNotFound", err)
	}
	if _, err := e.ps.Case(e.ctx, "c-o"); !errors.Is(err, privacy.ErrNotFound) {
		t.Errorf("Case after the sweep: %v, want ErrNotFound", err)
	}
	if _, err := e.s.Hold(e.ctx, "h-o"); !errors.Is(err, privacy.ErrNotFound) {
		t.Errorf("Hold after the sweep: %v, want ErrNotFound", err)
	}
	if objs, err := os.Objects(e.ctx, "s-o"); err != nil || len(objs) != 0 {
		t.Errorf("Objects after the sweep = %v, %v; want none", objs, err)
	}
	proofs, err := os.ObjectProofs(e.ctx, "s-o")
	if err != nil {
		t.Fatalf("ObjectProofs: %v", err)
	}
	var got []privacy.DataKind
	for _, p := range proofs {
		got = append(got, p.Kind)
		if p.Rule == "" || p.Citation == "" || p.Subject != "s-o" || !p.Deleted.Equal(longAfter) || p.By != sweeper.ID || p.Policy == "" || p.Due.IsZero() {
			t.Errorf("proof %+v: want its rule, citation, due day, time, sweeper and policy", p)
		}
	}
	if len(got) != len(kinds) || got[len(got)-1] != privacy.DataSubject {
		t.Errorf("proofs of %v, want one of each of %v, the subject last", got, kinds)
	}
	if evs, ok := e.events(t); ok {
		n := 0
		for _, ev := range evs {
			if ev.Action == privacy.EventDelete && ev.Subject == "s-o" && ev.Outcome == privacy.OutcomeAllowed && ev.Rule != "" {
				n++
			}
		}
		if want := 2 + len(kinds); n != want {
			t.Errorf("%d delete events of s-o, want %d (N9)", n, want)
		}
	}
	rep, err = e.r.Sweep(e.ctx, sweeper, longAfter)
	if err != nil || rep.Erased != 0 || rep.Kind(privacy.DataSubject).Erased != 0 {
		t.Errorf("second Sweep = %+v, %v; want nothing", rep, err)
	}
}

// Rule G3: a standing hold of the subject keeps every kind of stored data
// of it, whatever its period.
func testHoldKeepsEveryKind(t *testing.T, e *env) {
	os := e.objectStore(t)
	kinds := e.objectsWorld(t, false)
	at := closed.AddDate(0, 1, 0)
	if _, err := e.r.PlaceHold(e.ctx, officer, retention.Hold{ID: "h-all", Subject: "s-o", Ground: retention.GroundLegalObligation,
		Reason: "order AP-1", PlacedBy: officer.ID, Placed: at}, at); err != nil {
		t.Fatalf("PlaceHold: %v", err)
	}
	rep, err := e.r.Sweep(e.ctx, sweeper, longAfter)
	if err != nil {
		t.Fatalf("Sweep: %v", err)
	}
	for _, k := range kinds {
		if got := rep.Kind(k); got.Erased != 0 || got.Held == 0 {
			t.Errorf("%s: %+v, want held, nothing erased", k, got)
		}
	}
	if _, err := e.ps.Subject(e.ctx, "s-o"); err != nil {
		t.Errorf("Subject under a hold: %v", err)
	}
	if proofs, err := os.ObjectProofs(e.ctx, "s-o"); err != nil || len(proofs) != 0 {
		t.Errorf("ObjectProofs under a hold = %v, %v; want none", proofs, err)
	}
}

// Rule R9: the fiscal 7 years keep the wage record, and with it its case
// and its subject; the schedules name the statute.
func testStatuteKeepsCase(t *testing.T, e *env) {
	e.objectStore(t)
	e.objectsWorld(t, true)
	at := closed.AddDate(5, 0, 0)
	rep, err := e.r.Sweep(e.ctx, sweeper, at)
	if err != nil {
		t.Fatalf("Sweep: %v", err)
	}
	for _, k := range []privacy.DataKind{privacy.DataCase, privacy.DataSubject} {
		if got := rep.Kind(k); got.Erased != 0 || got.Examined != 1 {
			t.Errorf("%s: %+v, want examined and kept", k, got)
		}
	}
	d, err := e.s.Dossier(e.ctx, "s-o")
	if err != nil {
		t.Fatalf("Dossier: %v", err)
	}
	recs := e.r.Engine().Schedule(nil, &d, at)
	for _, s := range e.r.Engine().ScheduleObjects(nil, &d, nil, recs, at) {
		if (s.Kind == privacy.DataCase || s.Kind == privacy.DataSubject) &&
			(s.IsDue() || s.Reason != retention.ReasonStatute || s.Rule != privacy.R9 || s.Citation == "") {
			t.Errorf("%s, want kept by the statute of rule R9 with its citation", s)
		}
	}
}

// The checks of EraseObject: a missing object, a case that still has
// records, a subject that still has data, a changed object, a held one, a
// second proof.
func testEraseObjectChecks(t *testing.T, e *env) {
	os := e.objectStore(t)
	e.objectsWorld(t, false)
	ev := func(obj string) privacy.Event {
		return privacy.Event{Time: longAfter, Principal: sweeper.ID, Role: sweeper.Role, Action: privacy.EventDelete,
			Outcome: privacy.OutcomeAllowed, Rule: privacy.O12, Subject: "s-o", Object: obj}
	}
	proof := func(k privacy.DataKind, id string, ended time.Time) retention.ObjectProof {
		return retention.ObjectProof{Kind: k, ID: id, Subject: "s-o", Ended: ended, Deleted: longAfter, Rule: privacy.O12,
			Reason: retention.ReasonMaximum, Citation: "regulation O", Policy: "strict@1.0.0", By: sweeper.ID}
	}
	h, err := e.s.Hold(e.ctx, "h-o")
	if err != nil {
		t.Fatal(err)
	}
	for _, x := range []struct {
		what string
		p    retention.ObjectProof
		kind error
	}{
		{"a missing case", proof(privacy.DataCase, "c-none", closed), privacy.ErrNotFound},
		{"a case of another subject", func() retention.ObjectProof { p := proof(privacy.DataCase, "c-o", closed); p.Subject = "s-x"; return p }(), privacy.ErrNotFound},
		{"a case that still has records", proof(privacy.DataCase, "c-o", closed), privacy.ErrConflict},
		{"a subject that still has data", proof(privacy.DataSubject, "s-o", closed), privacy.ErrConflict},
		{"a hold lifted at another time", proof(privacy.DataHold, "h-o", h.Lifted.Add(time.Second)), privacy.ErrConflict},
	} {
		wantKind(t, x.what, os.EraseObject(e.ctx, x.p, ev(x.p.ID)), x.kind)
	}
	if _, err := e.ps.Case(e.ctx, "c-o"); err != nil {
		t.Errorf("the case is gone after refused deletions: %v", err)
	}
	if err := os.EraseObject(e.ctx, proof(privacy.DataHold, "h-o", h.Lifted), ev("hold:h-o")); err != nil {
		t.Fatalf("EraseObject(lifted hold): %v", err)
	}
	wantKind(t, "a second deletion", os.EraseObject(e.ctx, proof(privacy.DataHold, "h-o", h.Lifted), ev("hold:h-o")), privacy.ErrExists)
	// Rule G3: a standing hold keeps itself and what it covers.
	if _, err := e.r.PlaceHold(e.ctx, officer, retention.Hold{ID: "h-s", Subject: "s-o", Ground: retention.GroundLegalClaim,
		Reason: "claim C/16/2", PlacedBy: officer.ID, Placed: longAfter}, longAfter); err != nil {
		t.Fatalf("PlaceHold: %v", err)
	}
	x, err := e.s.Dossier(e.ctx, "s-o")
	if err != nil {
		t.Fatal(err)
	}
	var erasure retention.Erasure
	for _, er := range x.Erasures {
		erasure = er
	}
	wantHeld(t, "EraseObject(standing hold)", os.EraseObject(e.ctx, proof(privacy.DataHold, "h-s", time.Time{}), ev("hold:h-s")))
	wantHeld(t, "EraseObject(erasure request of a held subject)",
		os.EraseObject(e.ctx, proof(privacy.DataErasure, string(erasure.ID), erasure.Decided), ev("erasure:"+string(erasure.ID))))
	if p, err := os.ObjectProofs(e.ctx, "s-o"); err != nil || len(p) != 1 {
		t.Errorf("ObjectProofs = %v, %v; want the lifted hold's only", p, err)
	}
}

// testEraseObjectsBatchChecks gives a store that erases objects a batch
// at a time ([retention.ObjectBatchStore]) the refusals of
// testEraseObjectChecks in one batch, with one erasable item among them
// and that item again after it: one result per item, each the refusal
// EraseObject gives, the second try seeing the first's deletion
// (ErrExists); one proof and one audit event, the erased item's (rules
// R9, O12, G3, G7).
func testEraseObjectsBatchChecks(t *testing.T, e *env) {
	os := e.objectStore(t)
	bs, ok := os.(retention.ObjectBatchStore)
	if !ok {
		t.Skip("the store erases objects one at a time")
	}
	e.objectsWorld(t, false)
	h, err := e.s.Hold(e.ctx, "h-o")
	if err != nil {
		t.Fatal(err)
	}
	proof := func(k privacy.DataKind, id string, subject privacy.SubjectID, ended time.Time) retention.ObjectProof {
		return retention.ObjectProof{Kind: k, ID: id, Subject: subject, Ended: ended, Deleted: longAfter, Rule: privacy.O12,
			Reason: retention.ReasonMaximum, Citation: "regulation O", Policy: "strict@1.0.0", By: sweeper.ID}
	}
	items := []struct {
		what string
		p    retention.ObjectProof
		kind error // nil: erased
	}{
		{"a missing case", proof(privacy.DataCase, "c-none", "s-o", closed), privacy.ErrNotFound},
		{"a case of another subject", proof(privacy.DataCase, "c-o", "s-x", closed), privacy.ErrNotFound},
		{"a case that still has records", proof(privacy.DataCase, "c-o", "s-o", closed), privacy.ErrConflict},
		{"a hold lifted at another time", proof(privacy.DataHold, "h-o", "s-o", h.Lifted.Add(time.Second)), privacy.ErrConflict},
		{"the lifted hold", proof(privacy.DataHold, "h-o", "s-o", h.Lifted), nil},
		{"the lifted hold again", proof(privacy.DataHold, "h-o", "s-o", h.Lifted), privacy.ErrExists},
		{"a subject that still has data", proof(privacy.DataSubject, "s-o", "s-o", closed), privacy.ErrConflict},
	}
	proofs, events := make([]retention.ObjectProof, len(items)), make([]privacy.Event, len(items))
	for i, x := range items {
		proofs[i] = x.p
		events[i] = privacy.Event{Time: longAfter, Principal: sweeper.ID, Role: sweeper.Role, Action: privacy.EventDelete,
			Outcome: privacy.OutcomeAllowed, Rule: privacy.O12, Subject: x.p.Subject, Object: fmt.Sprintf("%s:%s#%d", x.p.Kind, x.p.ID, i)}
	}
	before, logged := e.events(t)
	results, err := bs.EraseObjects(e.ctx, proofs, events)
	if err != nil || len(results) != len(items) {
		t.Fatalf("EraseObjects = %v, %v; want a result per item", results, err)
	}
	for i, x := range items {
		if x.kind == nil {
			if results[i] != nil {
				t.Errorf("%s: %v, want erased", x.what, results[i])
			}
			continue
		}
		wantKind(t, x.what, results[i], x.kind)
	}
	if _, err := e.ps.Case(e.ctx, "c-o"); err != nil {
		t.Errorf("the case is gone after its refused deletion: %v", err)
	}
	if ps, err := os.ObjectProofs(e.ctx, "s-o"); err != nil || len(ps) != 1 || ps[0].ID != "h-o" {
		t.Errorf("ObjectProofs = %v, %v; want the lifted hold's only", ps, err)
	}
	if after, ok := e.events(t); logged && ok {
		var got []string
		for _, ev := range after[len(before):] {
			got = append(got, ev.Object)
		}
		if want := events[4].Object; len(got) != 1 || got[0] != want {
			t.Errorf("EraseObjects appended events %v, want the erased item's only (%s)", got, want)
		}
	}
}

// testObjectOfHeldCase: rule G3, a standing hold of a case keeps the
// case's objects — here a granted erasure request of the case and a
// lifted hold of it — whatever case the proof names: the store checks the
// case the object has, not only the one it is told. (A proof naming no
// case, or another, once erased the object of a held case.)
func testObjectOfHeldCase(t *testing.T, e *env) {
	os := e.objectStore(t)
	e.objectsWorld(t, false)
	at := closed.Add(24 * time.Hour)
	if _, err := e.r.RequestErasure(e.ctx, officer, retention.Erasure{ID: "e-c", Subject: "s-o", Case: "c-o", Rule: privacy.O13,
		Received: at}, at.Add(3*time.Hour)); err != nil {
		t.Fatalf("RequestErasure: %v", err)
	}
	if _, err := e.r.PlaceHold(e.ctx, officer, retention.Hold{ID: "h-c", Subject: "s-o", Case: "c-o", Ground: retention.GroundLegalClaim,
		Reason: "claim C/16/3", PlacedBy: officer.ID, Placed: longAfter}, longAfter); err != nil {
		t.Fatalf("PlaceHold: %v", err)
	}
	d, err := e.s.Dossier(e.ctx, "s-o")
	if err != nil {
		t.Fatal(err)
	}
	var erasure retention.Erasure
	for _, x := range d.Erasures {
		if x.ID == "e-c" {
			erasure = x
		}
	}
	lifted, err := e.s.Hold(e.ctx, "h-o")
	if err != nil {
		t.Fatal(err)
	}
	for _, named := range []privacy.CaseID{"", "c-other"} {
		for _, p := range []retention.ObjectProof{
			{Kind: privacy.DataErasure, ID: "e-c", Ended: erasure.Decided},
			{Kind: privacy.DataHold, ID: "h-o", Ended: lifted.Lifted},
		} {
			p.Subject, p.Case, p.Deleted, p.Rule, p.Reason = "s-o", named, longAfter, privacy.O12, retention.ReasonMaximum
			p.Citation, p.Policy, p.By = "regulation O", "strict@1.0.0", sweeper.ID
			err := os.EraseObject(e.ctx, p, privacy.Event{Time: longAfter, Principal: sweeper.ID, Role: sweeper.Role,
				Action: privacy.EventDelete, Outcome: privacy.OutcomeAllowed, Rule: privacy.O12, Subject: "s-o", Object: string(p.Kind) + ":" + p.ID})
			wantHeld(t, fmt.Sprintf("EraseObject(%s %s of held case c-o, proof naming case %q)", p.Kind, p.ID, named), err)
		}
	}
	if _, err := e.s.Hold(e.ctx, "h-o"); err != nil {
		t.Errorf("the lifted hold of the held case is gone: %v", err)
	}
	if d, err := e.s.Dossier(e.ctx, "s-o"); err != nil || !slices.ContainsFunc(d.Erasures, func(x retention.Erasure) bool { return x.ID == "e-c" }) {
		t.Errorf("the erasure request of the held case is gone (%v)", err)
	}
}

// Atomicity: an EraseObject that fails halfway leaves the object, writes
// no proof and no audit event; a batch of EraseObjects that fails in its
// second item leaves the first as it was too.
func testObjectAtomicFault(t *testing.T, e *env) {
	os := e.objectStore(t)
	fi, ok := e.s.(privacytest.FaultInjector)
	if !ok {
		t.Skip("the adapter does not implement privacytest.FaultInjector")
	}
	e.objectsWorld(t, false)
	d, err := e.s.Dossier(e.ctx, "s-o")
	if err != nil {
		t.Fatal(err)
	}
	h, x := d.Holds[0], d.Erasures[0]
	ev := func(obj string) privacy.Event {
		return privacy.Event{Time: longAfter, Principal: sweeper.ID, Role: sweeper.Role, Action: privacy.EventDelete,
			Outcome: privacy.OutcomeAllowed, Rule: privacy.G3, Subject: "s-o", Object: obj}
	}
	holdProof := retention.ObjectProof{Kind: privacy.DataHold, ID: string(h.ID), Subject: "s-o", Case: h.Case, Ended: h.Lifted,
		Deleted: longAfter, Rule: privacy.G3, Reason: retention.ReasonMaximum, Citation: "AVG art. 5(2)", Policy: "strict@1.0.0", By: sweeper.ID}
	erasureProof := retention.ObjectProof{Kind: privacy.DataErasure, ID: string(x.ID), Subject: "s-o", Ended: x.Decided,
		Deleted: longAfter, Rule: privacy.O13, Reason: retention.ReasonMaximum, Citation: "AVG art. 17(1)", Policy: "strict@1.0.0", By: sweeper.ID}
	before, _ := e.events(t)
	unchanged := func(what string) {
		t.Helper()
		if _, err := e.s.Hold(e.ctx, h.ID); err != nil {
			t.Errorf("%s: the hold is gone: %v", what, err)
		}
		if d, err := e.s.Dossier(e.ctx, "s-o"); err != nil || len(d.Erasures) != 1 {
			t.Errorf("%s: the erasure request is gone (%v)", what, err)
		}
		if ps, err := os.ObjectProofs(e.ctx, "s-o"); err != nil || len(ps) != 0 {
			t.Errorf("%s: proofs %v, %v; want none", what, ps, err)
		}
	}
	for n := range 3 {
		fi.FailAfter(n)
		what := fmt.Sprintf("EraseObject(fault after %d rows)", n)
		wantKind(t, what, os.EraseObject(e.ctx, holdProof, ev("hold:"+string(h.ID))), privacy.ErrUnavailable)
		fi.FailAfter(-1)
		unchanged(what)
	}
	if bs, ok := os.(retention.ObjectBatchStore); ok {
		// The first item is a deletion and a proof: the third row fails.
		fi.FailAfter(2)
		_, err := bs.EraseObjects(e.ctx, []retention.ObjectProof{erasureProof, holdProof},
			[]privacy.Event{ev("erasure:" + string(x.ID)), ev("hold:" + string(h.ID))})
		fi.FailAfter(-1)
		wantKind(t, "EraseObjects(fault in the second item)", err, privacy.ErrUnavailable)
		unchanged("EraseObjects(fault in the second item)")
	}
	if after, ok := e.events(t); ok && len(after) != len(before) {
		t.Errorf("failed erasures appended %d audit events", len(after)-len(before))
	}
	if err := os.EraseObject(e.ctx, holdProof, ev("hold:"+string(h.ID))); err != nil {
		t.Fatalf("EraseObject after disarming: %v", err)
	}
}
