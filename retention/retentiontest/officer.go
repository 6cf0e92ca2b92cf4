package retentiontest

import (
	"errors"
	"testing"
	"time"

	"github.com/dossierwacht/dossierwacht/privacy"
	"github.com/dossierwacht/dossierwacht/retention"
)

// The cases of who decides (G3, O13, O12) and of an erasure carried out at
// once (R9, O13, G3).

// lastSeq is the number of events in the trail, 0 for none or when the
// kit cannot read the trail: a mark for after.
func (e *env) lastSeq(t *testing.T) uint64 {
	t.Helper()
	evs, _ := e.events(t)
	return uint64(len(evs))
}

// after returns the events appended after the first seq (a mark of
// lastSeq): the trail yields events in the order they were appended.
func (e *env) after(t *testing.T, seq uint64) ([]privacy.Event, bool) {
	t.Helper()
	evs, ok := e.events(t)
	if !ok {
		return nil, false
	}
	return evs[min(int(seq), len(evs)):], true
}

func testOnlyOfficer(t *testing.T, e *env) {
	// Rules G3, O13, O12: only the privacy officer places and lifts holds,
	// grants and carries out erasures and runs sweeps. An employer contact
	// is refused, each refusal is audited as a denial through the store's
	// AppendEvents, and nothing changes.
	e.world(t)
	if _, err := e.r.PlaceHold(e.ctx, officer, retention.Hold{ID: "h-1", Subject: "s-1", Records: []privacy.RecordID{"n-1"},
		Ground: retention.GroundLegalClaim, Reason: "court case C/16/2027/1"}, notDue); err != nil {
		t.Fatalf("PlaceHold(officer): %v", err)
	}
	if _, err := e.r.RequestErasure(e.ctx, officer, retention.Erasure{ID: "e-1", Subject: "s-1", Records: []privacy.RecordID{"n-2"},
		Rule: privacy.O13, Received: notDue.Add(-time.Hour)}, notDue); err != nil {
		t.Fatalf("RequestErasure(officer): %v", err)
	}
	before := e.lastSeq(t)
	for _, st := range []struct {
		name   string
		rule   privacy.RuleID
		action privacy.EventAction
		do     func() error
	}{
		{"PlaceHold", privacy.G3, privacy.EventCreate, func() error {
			_, err := e.r.PlaceHold(e.ctx, employer, retention.Hold{ID: "h-2", Subject: "s-1", Ground: retention.GroundLegalClaim,
				Reason: "dispute"}, justDue)
			return err
		}},
		{"LiftHold", privacy.G3, privacy.EventUpdate, func() error {
			return e.r.LiftHold(e.ctx, employer, "h-1", "we want it gone", justDue)
		}},
		{"RequestErasure", privacy.O13, privacy.EventExecute, func() error {
			_, err := e.r.RequestErasure(e.ctx, employer, retention.Erasure{ID: "e-2", Subject: "s-1", Rule: privacy.O13,
				Received: justDue.Add(-time.Hour)}, justDue)
			return err
		}},
		{"Erase", privacy.O13, privacy.EventDelete, func() error {
			_, err := e.r.Erase(e.ctx, employer, "s-1", "e-1", justDue)
			return err
		}},
		{"Sweep", privacy.O12, privacy.EventExecute, func() error {
			_, err := e.r.Sweep(e.ctx, employer, justDue)
			return err
		}},
		{"Plan", privacy.O12, privacy.EventSearch, func() error {
			for _, err := range e.r.Plan(e.ctx, employer, justDue) {
				if err != nil {
					return err
				}
			}
			return nil
		}},
	} {
		seq := e.lastSeq(t)
		err := st.do()
		if !errors.Is(err, privacy.ErrForbidden) || privacy.RuleOf(err) != st.rule {
			t.Errorf("%s by an employer contact = %v, want ErrForbidden naming %s", st.name, err, st.rule)
			continue
		}
		if evs, ok := e.after(t, seq); ok {
			if len(evs) != 1 || evs[0].Outcome != privacy.OutcomeDenied || evs[0].Principal != employer.ID ||
				evs[0].Role != employer.Role || evs[0].Rule != st.rule || evs[0].Action != st.action || !evs[0].Time.Equal(justDue) {
				t.Errorf("%s by an employer contact left events %+v, want one denial under %s (G7, N9)", st.name, evs, st.rule)
			}
		}
	}
	// Nothing changed: the hold stands, the records are there, no proof.
	h, err := e.r.Hold(e.ctx, "h-1")
	if err != nil || !h.Lifted.IsZero() {
		t.Errorf("Hold(h-1) = %+v, %v; want it standing", h, err)
	}
	if _, err := e.r.Hold(e.ctx, "h-2"); !errors.Is(err, privacy.ErrNotFound) {
		t.Errorf("a refused hold was placed: %v", err)
	}
	e.wantPresent(t, "n-1", "n-2", "f-1", "m-1")
	if ps, err := e.r.Proofs(e.ctx, "s-1"); err != nil || len(ps) != 0 {
		t.Errorf("Proofs after refusals = %v, %v; want none", ps, err)
	}
	if evs, ok := e.after(t, before); ok {
		for _, ev := range evs {
			if ev.Outcome != privacy.OutcomeDenied {
				t.Errorf("a refusal left an event that is no denial: %+v", ev)
			}
		}
	}
}

func testEraseAtOnce(t *testing.T, e *env) {
	// Rules R9, O13, G3: a granted erasure carried out at once deletes the
	// request's due records, each through the sweep's atomic unit with
	// its proof and audit event; a held record and a statutory one stay.
	e.world(t)
	received := closed.Add(48 * time.Hour)
	decided := received.Add(time.Hour)
	if _, err := e.r.PlaceHold(e.ctx, officer, retention.Hold{ID: "h-1", Subject: "s-1", Records: []privacy.RecordID{"n-2"},
		Ground: retention.GroundLegalClaim, Reason: "objection procedure 7"}, received); err != nil {
		t.Fatal(err)
	}
	if _, err := e.r.RequestErasure(e.ctx, officer, retention.Erasure{ID: "e-1", Subject: "s-1", Case: "c-1",
		Records: []privacy.RecordID{"n-1", "n-2", "f-1"}, Rule: privacy.O13, Received: received}, decided); err != nil {
		t.Fatalf("RequestErasure: %v", err)
	}
	before := e.lastSeq(t)
	at := decided.Add(time.Minute)
	rep, err := e.r.Erase(e.ctx, officer, "s-1", "e-1", at)
	if err != nil {
		t.Fatalf("Erase: %v", err)
	}
	if rep.Examined != 3 || rep.Due != 1 || rep.Erased != 1 || rep.Held != 1 {
		t.Errorf("Erase report = %+v, want 3 in scope, 1 due and erased, 1 held (G3)", rep)
	}
	e.wantErased(t, "n-1")
	e.wantPresent(t, "n-2", "f-1", "m-1")
	p, err := e.s.Proof(e.ctx, "n-1")
	if err != nil || p.Erasure != "e-1" || p.Reason != retention.ReasonErasure || p.Rule != privacy.O13 || p.By != officer.ID ||
		!p.Deleted.Equal(at) {
		t.Errorf("Proof(n-1) = %+v, %v; want one by request e-1 under O13, by the officer", p, err)
	}
	if evs, ok := e.after(t, before); ok {
		if len(evs) != 1 || evs[0].Action != privacy.EventDelete || evs[0].Object != "n-1" || evs[0].Rule != privacy.O13 ||
			evs[0].Outcome != privacy.OutcomeAllowed {
			t.Errorf("Erase left events %+v, want one delete of n-1 under O13 (N9)", evs)
		}
	}
	again, err := e.r.Erase(e.ctx, officer, "s-1", "e-1", at.Add(time.Minute))
	if err != nil || again.Erased != 0 {
		t.Errorf("Erase again = %+v, %v; want nothing erased twice", again, err)
	}
	if ps, _ := e.r.Proofs(e.ctx, "s-1"); len(ps) != 1 {
		t.Errorf("%d proofs after erasing twice, want 1", len(ps))
	}
	_, err = e.r.Erase(e.ctx, officer, "s-1", "e-9", at)
	wantKind(t, "Erase(unknown request)", err, privacy.ErrNotFound)
}
