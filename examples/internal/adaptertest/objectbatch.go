package adaptertest

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/dossierwacht/dossierwacht/consent"
	"github.com/dossierwacht/dossierwacht/privacy"
	"github.com/dossierwacht/dossierwacht/privacy/calendar"
	"github.com/dossierwacht/dossierwacht/retention"
	"github.com/dossierwacht/dossierwacht/rights"
	"github.com/google/go-cmp/cmp"
)

// ObjectBatchStore is what RunObjectBatchProperty needs of an adapter:
// Attack6Store, and requests.
type ObjectBatchStore interface {
	Attack6Store
	CreateRequest(ctx context.Context, r rights.Request, events []privacy.Event) error
}

// RunObjectBatchProperty checks the contract of
// retention.ObjectBatchStore as a property: for random worlds of subjects,
// cases with and without records, standing and lifted holds of a subject,
// a case or a record, erasure requests, grants, disclosure-log entries and
// requests, and a random batch of proofs over them — in a sweep's order or
// shuffled, some twice, some of objects already erased, some naming the
// wrong end, subject or object — EraseObjects on one store gives each item
// the outcome EraseObject gives it on a second store seeded alike, item by
// item in order, and leaves the two stores holding the same (rules R9,
// O12, G3, N7). newStores returns two empty stores; on a store with a
// set-based batch path, the second should check items one by one, so that
// the two paths are held against each other.
func RunObjectBatchProperty(t *testing.T, newStores func(t *testing.T) (batch, single ObjectBatchStore), rounds int) {
	seen := map[string]int{}
	defer func() {
		// The worlds must reach every outcome, or the property says
		// little (unless no round ran: a store that skips, say).
		for _, k := range []string{"erased", "exists", "not found", "conflict", "G3"} {
			if len(seen) > 0 && seen[k] == 0 && !t.Failed() {
				t.Errorf("no item of %d rounds was %s: the worlds are too tame (%v)", rounds, k, seen)
			}
		}
	}()
	for round := range rounds {
		seed := uint64(round)*7919 + 17
		t.Run(fmt.Sprintf("seed-%d", seed), func(t *testing.T) {
			ctx := context.Background()
			a, b := newStores(t)
			wa := seedObjectWorld(t, ctx, a, seed)
			wb := seedObjectWorld(t, ctx, b, seed)
			if diff := cmp.Diff(wa.proofs, wb.proofs, equateDates); diff != "" {
				t.Fatalf("the two worlds differ (-a +b):\n%s", diff)
			}
			ps := wa.batch(rand.New(rand.NewPCG(seed, 2)))
			events := make([]privacy.Event, len(ps))
			for i, p := range ps {
				events[i] = objectEvent(p)
			}
			got, err := a.EraseObjects(ctx, ps, events)
			if err != nil {
				t.Fatalf("EraseObjects: %v", err)
			}
			for i, p := range ps {
				want := b.EraseObject(ctx, p, events[i])
				seen[outcomeKind(want)]++
				if outcome(got[i]) != outcome(want) {
					t.Errorf("item %d (%s %s of %s, ended %v): batch %s, one by one %s", i, p.Kind, p.ID, p.Subject,
						p.Ended.Format(time.RFC3339), outcome(got[i]), outcome(want))
				}
			}
			if diff := cmp.Diff(wa.state(t, ctx, a), wb.state(t, ctx, b), equateDates); diff != "" {
				t.Errorf("the stores differ after the batch (-batch +one by one):\n%s", diff)
			}
		})
	}
}

// outcomeKind sorts an item's result for RunObjectBatchProperty's tally.
func outcomeKind(err error) string {
	var pe *privacy.Error
	switch {
	case err == nil:
		return "erased"
	case errors.As(err, &pe) && pe.Rule == privacy.G3:
		return "G3"
	case errors.Is(err, privacy.ErrExists):
		return "exists"
	case errors.Is(err, privacy.ErrNotFound):
		return "not found"
	case errors.Is(err, privacy.ErrConflict):
		return "conflict"
	}
	return "other"
}

// equateDates compares calendar dates by value.
var equateDates = cmp.Comparer(func(a, b calendar.Date) bool { return a == b })

// outcome is what an item's result says: its kind, rule and message, not
// its operation's name.
func outcome(err error) string {
	if err == nil {
		return "erased"
	}
	var pe *privacy.Error
	if !errors.As(err, &pe) {
		return "failed: " + err.Error()
	}
	return fmt.Sprintf("%v/%s/%q", pe.Kind, pe.Rule, pe.Msg)
}

func objectEvent(p retention.ObjectProof) privacy.Event {
	return privacy.Event{Time: p.Deleted, Principal: "officer-1", Role: privacy.RolePrivacyOfficer, Action: privacy.EventDelete,
		Outcome: privacy.OutcomeAllowed, Rule: p.Rule, Subject: p.Subject, Case: p.Case, Object: string(p.Kind) + ":" + p.ID}
}

// objectWorld is what seedObjectWorld made: a right proof per object, in a
// sweep's order per subject, and what to compare afterwards.
type objectWorld struct {
	proofs   []retention.ObjectProof
	subjects []privacy.SubjectID
	cases    []privacy.CaseID
	holds    []retention.HoldID
	grants   []consent.GrantID
}

// seedObjectWorld fills s with a world drawn from seed, the same for the
// same seed whatever the store.
func seedObjectWorld(t *testing.T, ctx context.Context, s ObjectBatchStore, seed uint64) *objectWorld {
	t.Helper()
	r := rand.New(rand.NewPCG(seed, 1))
	t0 := time.Date(2020, 1, 6, 9, 0, 0, 0, time.UTC)
	closed := t0.AddDate(0, 3, 0)
	deleted := t0.AddDate(10, 0, 0)
	w := &objectWorld{}
	ev := func(sub privacy.SubjectID, act privacy.EventAction) []privacy.Event {
		return []privacy.Event{{Time: t0, Principal: "officer-1", Role: privacy.RolePrivacyOfficer, Action: act,
			Outcome: privacy.OutcomeAllowed, Rule: privacy.O12, Subject: sub, Object: string(sub)}}
	}
	must := func(what string, err error) {
		t.Helper()
		if err != nil {
			t.Fatalf("seed %d: %s: %v", seed, what, err)
		}
	}
	proof := func(k privacy.DataKind, id string, sub privacy.SubjectID, c privacy.CaseID, ended time.Time) retention.ObjectProof {
		return retention.ObjectProof{Kind: k, ID: id, Subject: sub, Case: c, Ended: ended, Deleted: deleted, Rule: privacy.O12,
			Reason: retention.ReasonMaximum, Citation: "regulation O", Policy: "strict@1.0.0", By: "officer-1"}
	}
	for i := range 2 + r.IntN(3) {
		sub := privacy.SubjectID(fmt.Sprintf("s-%d", i))
		w.subjects = append(w.subjects, sub)
		subject, _ := privacy.NewSubject(sub, "employer-1", t0)
		must("CreateSubject", s.CreateSubject(ctx, subject, ev(sub, privacy.EventCreate)))
		var own []retention.ObjectProof
		var cases []privacy.CaseID
		var records []privacy.RecordID
		var caseProofs []retention.ObjectProof
		for j := range r.IntN(3) {
			cid := privacy.CaseID(fmt.Sprintf("c-%d-%d", i, j))
			cases = append(cases, cid)
			w.cases = append(w.cases, cid)
			c := privacy.Case{ID: cid, Subject: sub, Kind: privacy.CaseAbsence, Purpose: privacy.PurposeAbsenceGuidance,
				Contract: privacy.Contract{ID: "contract-1", Party: "employer-1", PartyKind: privacy.PartyEmployer,
					Start: t0.AddDate(-1, 0, 0)}, Opened: t0}
			must("CreateCase", s.CreateCase(ctx, c, ev(sub, privacy.EventCreate)))
			if r.IntN(3) == 0 {
				// N7: a case outlives its records.
				rid := privacy.RecordID(fmt.Sprintf("r-%d-%d", i, j))
				records = append(records, rid)
				rec := privacy.Record{ID: rid, Case: cid, Subject: sub, Category: privacy.CategoryNotes, Author: "cm-1",
					Source: privacy.Source{Kind: privacy.PartyService}, Created: t0,
					Fields: map[privacy.Field]string{privacy.FieldText: "note"}}
				must("AddRecords", s.AddRecords(ctx, []privacy.Record{rec}, ev(sub, privacy.EventCreate)))
			}
			c.Closed = closed
			must("UpdateCase", s.UpdateCase(ctx, c, ev(sub, privacy.EventUpdate)))
			caseProofs = append(caseProofs, proof(privacy.DataCase, string(cid), sub, "", closed))
		}
		pick := func() privacy.CaseID {
			if len(cases) == 0 || r.IntN(3) == 0 {
				return ""
			}
			return cases[r.IntN(len(cases))]
		}
		for k := range r.IntN(3) {
			hid := retention.HoldID(fmt.Sprintf("h-%d-%d", i, k))
			w.holds = append(w.holds, hid)
			h := retention.Hold{ID: hid, Subject: sub, Case: pick(), Ground: retention.GroundLegalClaim, Reason: "claim",
				PlacedBy: "officer-1", Placed: closed}
			if len(records) > 0 && r.IntN(3) == 0 {
				// G3: a hold of a record keeps its case.
				h.Case, h.Records = "", []privacy.RecordID{records[r.IntN(len(records))]}
			}
			must("PlaceHold", s.PlaceHold(ctx, h, ev(sub, privacy.EventCreate)[0]))
			var lifted time.Time
			if r.IntN(3) > 0 {
				lifted = closed.Add(time.Hour)
				must("LiftHold", s.LiftHold(ctx, hid, "officer-1", lifted, "settled", ev(sub, privacy.EventUpdate)[0]))
			}
			own = append(own, proof(privacy.DataHold, string(hid), sub, h.Case, lifted))
		}
		if r.IntN(2) == 0 {
			e := retention.Erasure{ID: retention.ErasureID(fmt.Sprintf("e-%d", i)), Subject: sub, Case: pick(), Rule: privacy.O13,
				Received: closed}
			if r.IntN(2) == 0 {
				e.Decided, e.DecidedBy = closed.Add(2*time.Hour), "officer-1"
			}
			must("AddErasure", s.AddErasure(ctx, e, ev(sub, privacy.EventCreate)[0]))
			own = append(own, proof(privacy.DataErasure, string(e.ID), sub, e.Case, e.Decided))
		}
		for k := range r.IntN(3) {
			gid := consent.GrantID(fmt.Sprintf("g-%d-%d", i, k))
			w.grants = append(w.grants, gid)
			g := consent.Grant{ID: gid, Subject: sub, Recipient: consent.Recipient{Kind: privacy.PartyThirdParty, Party: "lawyer-1"},
				Categories: []privacy.Category{privacy.CategoryNotes}, Purpose: privacy.PurposeAbsenceGuidance, Case: pick(),
				Form: consent.FormWritten, Document: "doc-1", Given: t0}
			must("AddGrant", s.AddGrant(ctx, g, ev(sub, privacy.EventCreate)))
			var ended time.Time
			if r.IntN(3) > 0 {
				ended = closed.Add(3 * time.Hour)
				_, err := s.RevokeGrant(ctx, gid, ended, ev(sub, privacy.EventUpdate))
				must("RevokeGrant", err)
			}
			own = append(own, proof(privacy.DataGrant, string(gid), sub, g.Case, ended))
		}
		if r.IntN(2) == 0 {
			at := closed.Add(4 * time.Hour)
			d := consent.Disclosure{ID: consent.DisclosureID(fmt.Sprintf("d-%d", i)), Subject: sub, Case: pick(), At: at,
				Recipient: consent.Recipient{Kind: privacy.PartyThirdParty, Party: "lawyer-1"}}
			must("Disclose", s.Disclose(ctx, sub, "", func([]consent.Grant, []consent.Coverage) consent.Verdict {
				return consent.Verdict{Disclosure: &d}
			}))
			own = append(own, proof(privacy.DataDisclosure, string(d.ID), sub, d.Case, at))
		}
		if r.IntN(2) == 0 {
			status, at := rights.StatusReceived, closed
			if r.IntN(2) == 0 {
				status, at = rights.StatusAnswered, closed.Add(5*time.Hour)
			}
			req := rights.Request{ID: rights.RequestID(fmt.Sprintf("q-%d", i)), Subject: sub, Received: closed, Status: status,
				History: []rights.Step{{Status: status, At: at}}}
			must("CreateRequest", s.CreateRequest(ctx, req, ev(sub, privacy.EventCreate)))
			var ended time.Time
			if status.Final() {
				ended = at
			}
			own = append(own, proof(privacy.DataRequest, string(req.ID), sub, "", ended))
		}
		ended := time.Time{}
		if r.IntN(3) > 0 {
			ended = closed
			subject.EmploymentEnded = closed
			must("UpdateSubject", s.UpdateSubject(ctx, subject, ev(sub, privacy.EventUpdate)))
		}
		// A sweep's order: the subject's objects, its cases, the subject.
		own = append(append(own, caseProofs...), proof(privacy.DataSubject, string(sub), sub, "", ended))
		w.proofs = append(w.proofs, own...)
	}
	// Some objects already erased: their proofs exist (ErrExists).
	for _, p := range w.proofs {
		if p.Kind != privacy.DataSubject && p.Kind != privacy.DataCase && r.IntN(6) == 0 {
			_ = s.EraseObject(ctx, p, objectEvent(p))
		}
	}
	return w
}

// batch draws a batch over w's proofs: in a sweep's order or shuffled,
// with some items twice, some ends moved, some subjects or IDs wrong.
func (w *objectWorld) batch(r *rand.Rand) []retention.ObjectProof {
	ps := slices.Clone(w.proofs)
	for i := range ps {
		switch r.IntN(12) {
		case 0:
			ps[i].Ended = ps[i].Ended.Add(time.Second) // changed since scheduled
		case 1:
			ps[i].Subject = w.subjects[r.IntN(len(w.subjects))] // perhaps another's
		case 2:
			ps[i].ID += "-none" // no such object
		}
	}
	if r.IntN(4) == 0 && len(ps) > 1 {
		ps = append(ps, ps[r.IntN(len(ps))]) // one item twice
	}
	if r.IntN(3) == 0 {
		r.Shuffle(len(ps), func(i, j int) { ps[i], ps[j] = ps[j], ps[i] })
	}
	return ps
}

// objectState is what a store holds of w's world, for comparison.
type objectState struct {
	Subjects map[privacy.SubjectID]string
	Cases    map[privacy.CaseID]string
	Holds    map[retention.HoldID]string
	Grants   map[consent.GrantID]string
	Objects  map[privacy.SubjectID][]retention.Object
	Proofs   map[privacy.SubjectID][]retention.ObjectProof
	Events   int
}

func (w *objectWorld) state(t *testing.T, ctx context.Context, s ObjectBatchStore) objectState {
	t.Helper()
	found := func(err error) string {
		switch {
		case err == nil:
			return "present"
		case errors.Is(err, privacy.ErrNotFound):
			return "gone"
		}
		t.Fatal(err)
		return ""
	}
	st := objectState{Subjects: map[privacy.SubjectID]string{}, Cases: map[privacy.CaseID]string{}, Holds: map[retention.HoldID]string{},
		Grants: map[consent.GrantID]string{}, Objects: map[privacy.SubjectID][]retention.Object{},
		Proofs: map[privacy.SubjectID][]retention.ObjectProof{}}
	for _, sub := range w.subjects {
		_, err := s.Subject(ctx, sub)
		st.Subjects[sub] = found(err)
		if st.Objects[sub], err = s.Objects(ctx, sub); err != nil {
			t.Fatal(err)
		}
		if st.Proofs[sub], err = s.ObjectProofs(ctx, sub); err != nil {
			t.Fatal(err)
		}
	}
	for _, c := range w.cases {
		_, err := s.Case(ctx, c)
		st.Cases[c] = found(err)
	}
	for _, h := range w.holds {
		_, err := s.Hold(ctx, h)
		st.Holds[h] = found(err)
	}
	for _, g := range w.grants {
		_, err := s.Grant(ctx, g)
		st.Grants[g] = found(err)
	}
	for _, err := range s.Events(ctx, 0) {
		if err != nil {
			t.Fatal(err)
		}
		st.Events++
	}
	return st
}
