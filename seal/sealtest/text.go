package sealtest

import (
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/dossierwacht/dossierwacht/privacy"
	"github.com/dossierwacht/dossierwacht/privacy/calendar"
	"github.com/dossierwacht/dossierwacht/retention"
	"github.com/dossierwacht/dossierwacht/rights"
	"github.com/dossierwacht/dossierwacht/seal"
	"github.com/google/go-cmp/cmp"
)

// all compares unexported fields too (a calendar date's, an outcome's).
var all = cmp.Exporter(func(reflect.Type) bool { return true })

// request is a request of p with a reason in its filing step.
func request(p *Person, id rights.RequestID, reason string) rights.Request {
	due, _ := calendar.NewDate(2026, 3, 30)
	return rights.Request{ID: id, Subject: p.ID, Kind: rights.KindErasure, Form: rights.FormWritten, Received: T0,
		Document: "letter-1", Written: T0, Status: rights.StatusReceived, Due: rights.Due{Date: due, Rule: privacy.R11},
		Policy: "sealtest", History: []rights.Step{{Kind: rights.StepFiled, Status: rights.StatusReceived, At: T0, By: "po-1",
			Reason: reason, Rule: privacy.R11, Policy: "sealtest", Due: due}}}
}

func testFreeText(t *testing.T, w *world) {
	// The free text that may hold personal content beside the records —
	// the reasons in a request's history, a hold's reasons — is sealed
	// with the subject's key; after the erasure it reads as
	// seal.ErasedText while the request and the hold, the accountability
	// of what was done, stay readable.
	const why = "Anna vraagt wissing wegens haar burn-out"
	q := request(w.anna, "q-anna", why)
	if err := w.s.CreateRequest(w.ctx, q, w.events(w.anna.ID, privacy.EventCreate)); err != nil {
		t.Fatalf("CreateRequest: %v", err)
	}
	next := q.Clone()
	next.Status = rights.StatusAnswered
	next.History = append(next.History, rights.Step{Kind: rights.StepAnswered, Status: rights.StatusAnswered,
		At: T0.Add(time.Hour), By: "po-1", Reason: "gewist na het gesprek met Anna", Rule: privacy.R9, Policy: "sealtest"})
	if err := w.s.UpdateRequest(w.ctx, next, w.events(w.anna.ID, privacy.EventUpdate)); err != nil {
		t.Fatalf("UpdateRequest: %v", err)
	}
	h := retention.Hold{ID: "h-anna", Subject: w.anna.ID, Ground: retention.GroundLegalClaim, Reason: "zaak van Anna, C/16/1",
		PlacedBy: "po-1", Placed: T0.Add(24 * time.Hour)}
	if err := w.s.PlaceHold(w.ctx, h, w.events(w.anna.ID, privacy.EventCreate)[0]); err != nil {
		t.Fatalf("PlaceHold: %v", err)
	}
	lifted := T0.Add(25 * time.Hour)
	if err := w.s.LiftHold(w.ctx, h.ID, "po-1", lifted, "Anna's zaak geschikt", w.events(w.anna.ID, privacy.EventUpdate)[0]); err != nil {
		t.Fatalf("LiftHold: %v", err)
	}
	h.LiftedBy, h.Lifted, h.LiftReason = "po-1", lifted, "Anna's zaak geschikt"

	// Read back whole through every path; sealed at rest.
	got, err := w.s.Request(w.ctx, q.ID)
	if err != nil || !cmp.Equal(got, next, all) {
		t.Errorf("Request = %v (-want +got):\n%s", err, cmp.Diff(next, got, all))
	}
	for _, list := range []func() ([]rights.Request, error){
		func() ([]rights.Request, error) { return w.s.SubjectRequests(w.ctx, w.anna.ID) },
	} {
		rs, err := list()
		if err != nil || len(rs) != 1 || !cmp.Equal(rs[0], next, all) {
			t.Errorf("SubjectRequests = %v, %v", rs, err)
		}
	}
	gotH, err := w.s.Hold(w.ctx, h.ID)
	if err != nil || !cmp.Equal(gotH, h, all) {
		t.Errorf("Hold = %v (-want +got):\n%s", err, cmp.Diff(h, gotH, all))
	}
	d, err := w.s.Dossier(w.ctx, w.anna.ID)
	if err != nil || len(d.Holds) != 1 || !cmp.Equal(d.Holds[0], h, all) {
		t.Errorf("Dossier's holds = %v, %v", d.Holds, err)
	}
	cs, err := w.s.Candidates(w.ctx, retention.Query{Limit: 10, CreatedBefore: T0.AddDate(1, 0, 0)})
	if err != nil {
		t.Fatalf("Candidates: %v", err)
	}
	for _, c := range cs {
		for _, ch := range c.Holds {
			if ch.Reason != h.Reason {
				t.Errorf("Candidates' hold reason %q", ch.Reason)
			}
		}
	}
	rawQ, _ := w.b.Request(w.ctx, q.ID)
	rawH, _ := w.b.Hold(w.ctx, h.ID)
	for _, v := range []string{rawQ.History[0].Reason, rawQ.History[1].Reason, rawH.Reason, rawH.LiftReason} {
		if !seal.IsSealed(v) || strings.Contains(v, "Anna") {
			t.Errorf("a free text at rest is not sealed: %q", v)
		}
	}
	// A reason moved to another step does not open.
	swapped := rawQ.Clone()
	swapped.History[0].Reason, swapped.History[1].Reason = rawQ.History[1].Reason, rawQ.History[0].Reason
	third := swapped.Clone()
	third.History = append(third.History, rights.Step{Kind: rights.StepAnswered, Status: rights.StatusAnswered,
		At: T0.Add(3 * time.Hour), By: "po-1", Reason: "x", Rule: privacy.R9, Policy: "sealtest"})
	if err := w.b.UpdateRequest(w.ctx, third, w.events(w.anna.ID, privacy.EventUpdate)); err != nil {
		t.Fatal(err)
	}
	if _, err := w.s.Request(w.ctx, q.ID); !errors.Is(err, seal.ErrTampered) {
		t.Errorf("a reason moved to another step: %v, want ErrTampered", err)
	}

	// A request of someone who is not a subject keeps its text as it is.
	stranger := &Person{ID: "s-stranger"}
	sq := request(stranger, "q-stranger", "iemand die ons niet kent")
	if err := w.s.CreateRequest(w.ctx, sq, w.events(stranger.ID, privacy.EventCreate)); err != nil {
		t.Fatalf("CreateRequest(stranger): %v", err)
	}
	if _, err := w.keys.Get(w.ctx, stranger.ID); !errors.Is(err, privacy.ErrNotFound) {
		t.Errorf("a request of a stranger made a key: %v", err)
	}

	// After Bob's erasure his request stays, its reason erased.
	bq := request(w.bob, "q-bob", "Bob wil alles gewist")
	if err := w.s.CreateRequest(w.ctx, bq, w.events(w.bob.ID, privacy.EventCreate)); err != nil {
		t.Fatal(err)
	}
	if err := w.s.DeleteSubject(w.ctx, w.bob.ID, w.events(w.bob.ID, privacy.EventDelete)); err != nil {
		t.Fatal(err)
	}
	gotB, err := w.s.Request(w.ctx, bq.ID)
	if err != nil || gotB.History[0].Reason != seal.ErasedText || gotB.History[0].Kind != rights.StepFiled {
		t.Errorf("Bob's request after his erasure: %+v, %v; want its reason %q", gotB.History, err, seal.ErasedText)
	}
	// The answer, written after the erasure, is kept as written.
	bn := gotB.Clone()
	bn.Status = rights.StatusAnswered
	bn.History = append(bn.History, rights.Step{Kind: rights.StepAnswered, Status: rights.StatusAnswered,
		At: T0.Add(time.Hour), By: "po-1", Reason: "alles gewist", Rule: privacy.R9, Policy: "sealtest"})
	if err := w.s.UpdateRequest(w.ctx, bn, w.events(w.bob.ID, privacy.EventUpdate)); err != nil {
		t.Fatalf("the answer after the erasure: %v", err)
	}
	if got, err := w.s.Request(w.ctx, bq.ID); err != nil || got.History[1].Reason != "alles gewist" {
		t.Errorf("the answer after the erasure reads %+v, %v", got.History, err)
	}
}

func testUnreadableInListings(t *testing.T, w *world) {
	// Rules O4, O10, O12, G1: a sealed text that does not open (damage, a
	// change in the database) fails the read of its own request or hold
	// with seal.ErrTampered, and reads as seal.UnreadableText in a
	// listing — a subject's requests, a dossier, a sweep's candidates —
	// so that one bad value neither stops a sweep nor fails a listing,
	// and no listing drops what it could not open.
	const bad = "dwseal1.AAAA"
	h := retention.Hold{ID: "h-bad", Subject: w.anna.ID, Ground: retention.GroundLegalClaim, Reason: "zaak van Anna",
		PlacedBy: "po-1", Placed: T0.Add(24 * time.Hour)}
	if err := w.s.PlaceHold(w.ctx, h, w.events(w.anna.ID, privacy.EventCreate)[0]); err != nil {
		t.Fatalf("PlaceHold: %v", err)
	}
	// Written past the sealing, as a change in the database would.
	if err := w.b.LiftHold(w.ctx, h.ID, "po-1", T0.Add(25*time.Hour), bad, w.events(w.anna.ID, privacy.EventUpdate)[0]); err != nil {
		t.Fatalf("LiftHold: %v", err)
	}
	if err := w.b.CreateRequest(w.ctx, request(w.anna, "q-bad", bad), w.events(w.anna.ID, privacy.EventCreate)); err != nil {
		t.Fatalf("CreateRequest: %v", err)
	}
	if _, err := w.s.Hold(w.ctx, h.ID); !errors.Is(err, seal.ErrTampered) {
		t.Errorf("Hold = %v, want ErrTampered", err)
	}
	if _, err := w.s.Request(w.ctx, "q-bad"); !errors.Is(err, seal.ErrTampered) {
		t.Errorf("Request = %v, want ErrTampered", err)
	}
	wantHold := func(where string, hs []retention.Hold) {
		t.Helper()
		for _, got := range hs {
			if got.ID == h.ID {
				if got.Reason != h.Reason || got.LiftReason != seal.UnreadableText {
					t.Errorf("%s: hold reasons %q, %q; want %q, %q", where, got.Reason, got.LiftReason, h.Reason, seal.UnreadableText)
				}
				return
			}
		}
		t.Errorf("%s: the hold is missing", where)
	}
	d, err := w.s.Dossier(w.ctx, w.anna.ID)
	if err != nil {
		t.Fatalf("Dossier: %v", err)
	}
	wantHold("Dossier", d.Holds)
	ds, err := w.s.Candidates(w.ctx, retention.Query{CreatedBefore: T0.AddDate(50, 0, 0), Limit: 1000})
	if err != nil {
		t.Fatalf("Candidates: %v", err)
	}
	found := false
	for i := range ds {
		if ds[i].Subject.ID == w.anna.ID {
			found = true
			wantHold("Candidates", ds[i].Holds)
		}
	}
	if !found {
		t.Errorf("Candidates: anna missing")
	}
	rs, err := w.s.SubjectRequests(w.ctx, w.anna.ID)
	if err != nil {
		t.Fatalf("SubjectRequests: %v", err)
	}
	found = false
	for _, r := range rs {
		if r.ID == "q-bad" {
			found = true
			if r.History[0].Reason != seal.UnreadableText {
				t.Errorf("SubjectRequests: reason %q, want %q", r.History[0].Reason, seal.UnreadableText)
			}
		}
	}
	if !found {
		t.Errorf("SubjectRequests: the request is missing")
	}
}
