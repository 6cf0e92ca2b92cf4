package adaptertest

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/dossierwacht/dossierwacht/access"
	"github.com/dossierwacht/dossierwacht/consent"
	"github.com/dossierwacht/dossierwacht/privacy"
	"github.com/dossierwacht/dossierwacht/retention"
)

// Attack6Store is what RunAttack6 needs of an adapter: subjects and cases,
// group histories, holds, and the batch erasure of objects.
type Attack6Store interface {
	privacy.Store
	access.Store
	consent.Store
	retention.Store
	retention.ObjectBatchStore
}

// attack6 is the fixture of RunAttack6's checks.
type attack6 struct {
	ctx     context.Context
	s       Attack6Store
	t0      time.Time
	closed  time.Time
	officer privacy.Principal
}

func (a *attack6) ev(sub privacy.SubjectID, act privacy.EventAction) privacy.Event {
	return privacy.Event{Time: a.t0, Principal: a.officer.ID, Role: a.officer.Role, Action: act, Outcome: privacy.OutcomeAllowed,
		Rule: privacy.O12, Subject: sub, Object: string(sub)}
}

// dossier makes subject sub with one closed case c-<sub> without records
// and its employment ended: both due for erasure, the case first.
func (a *attack6) dossier(t *testing.T, sub privacy.SubjectID) {
	t.Helper()
	s, _ := privacy.NewSubject(sub, "employer-1", a.t0)
	if err := a.s.CreateSubject(a.ctx, s, []privacy.Event{a.ev(sub, privacy.EventCreate)}); err != nil {
		t.Fatal(err)
	}
	c := privacy.Case{ID: privacy.CaseID("c-" + sub), Subject: sub, Kind: privacy.CaseAbsence, Purpose: privacy.PurposeAbsenceGuidance,
		Contract: privacy.Contract{ID: "contract-1", Party: "employer-1", PartyKind: privacy.PartyEmployer, Start: a.t0.AddDate(-1, 0, 0)}, Opened: a.t0}
	if err := a.s.CreateCase(a.ctx, c, []privacy.Event{a.ev(sub, privacy.EventCreate)}); err != nil {
		t.Fatal(err)
	}
	c.Closed = a.closed
	if err := a.s.UpdateCase(a.ctx, c, []privacy.Event{a.ev(sub, privacy.EventUpdate)}); err != nil {
		t.Fatal(err)
	}
	s.EmploymentEnded = a.closed
	if err := a.s.UpdateSubject(a.ctx, s, []privacy.Event{a.ev(sub, privacy.EventUpdate)}); err != nil {
		t.Fatal(err)
	}
}

func (a *attack6) proof(k privacy.DataKind, id string, sub privacy.SubjectID, ended time.Time) retention.ObjectProof {
	return retention.ObjectProof{Kind: k, ID: id, Subject: sub, Ended: ended, Deleted: a.closed.AddDate(8, 0, 0), Rule: privacy.O12,
		Reason: retention.ReasonMaximum, Citation: "regulation O", Policy: "strict@1.0.0", By: a.officer.ID}
}

func (a *attack6) events(ps []retention.ObjectProof) []privacy.Event {
	out := make([]privacy.Event, len(ps))
	for i, p := range ps {
		out[i] = privacy.Event{Time: p.Deleted, Principal: a.officer.ID, Role: a.officer.Role, Action: privacy.EventDelete,
			Outcome: privacy.OutcomeAllowed, Rule: p.Rule, Subject: p.Subject, Object: string(p.Kind) + ":" + p.ID}
	}
	return out
}

// countEvents counts the whole trail.
func (a *attack6) countEvents(t *testing.T) int {
	t.Helper()
	n := 0
	for _, err := range a.s.Events(a.ctx, 0) {
		if err != nil {
			t.Fatal(err)
		}
		n++
	}
	return n
}

// RunAttack6 attacks a store's EraseObjects (retention.ObjectBatchStore)
// on s, an empty store: invalid items among valid ones, a subject before
// its case, a subject in a group history (rule N12), holds placed while
// batches run (rule G3). fault, when not nil, arms a fault after n
// statements (privacytest.FaultInjector).
func RunAttack6(t *testing.T, s Attack6Store, fault func(n int)) {
	a := &attack6{ctx: context.Background(), s: s, t0: time.Date(2025, 1, 10, 9, 0, 0, 0, time.UTC),
		closed: time.Date(2025, 3, 1, 9, 0, 0, 0, time.UTC), officer: privacy.Principal{ID: "officer-1", Role: privacy.RolePrivacyOfficer}}
	t.Run("InvalidKindsN12", a.invalidKinds)
	t.Run("SubjectBeforeItsCaseO12", a.subjectBeforeCase)
	t.Run("GroupHistoryN12", a.groupHistory)
	t.Run("ConcurrentHoldsG3", a.concurrentHolds)
	t.Run("CaseHoldOverProofG3", a.caseHoldOverProof)
	t.Run("ManyErasuresN12", a.manyErasures)
	if fault != nil {
		t.Run("FaultMidBatchG7", func(t *testing.T) { a.faultMidBatch(t, fault) })
	}
}

// Any item that is not an object a sweep erases — an unknown kind, an
// audit event, a record, a group history — is refused as ErrInvalid
// before anything changes, however many valid items surround it. A
// subject's place in the group histories (privacy.DataGroups) goes with
// the subject, in the same step (rule N12); it is no object of its own.
func (a *attack6) invalidKinds(t *testing.T) {
	a.dossier(t, "s-inv")
	for _, k := range []privacy.DataKind{"no-such-kind", privacy.DataAudit, privacy.DataGroups, "record"} {
		before := a.countEvents(t)
		ps := []retention.ObjectProof{a.proof(privacy.DataCase, "c-s-inv", "s-inv", a.closed), a.proof(k, "x-1", "s-inv", a.closed)}
		res, err := a.s.EraseObjects(a.ctx, ps, a.events(ps))
		if !errors.Is(err, privacy.ErrInvalid) || res != nil {
			t.Errorf("kind %q among valid items: %v, %v; want ErrInvalid and no results", k, res, err)
		}
		if _, err := a.s.Case(a.ctx, "c-s-inv"); err != nil {
			t.Fatalf("kind %q: the valid case went with it: %v", k, err)
		}
		if n := a.countEvents(t); n != before {
			t.Errorf("kind %q: %d events, want %d", k, n, before)
		}
	}
	ps := []retention.ObjectProof{a.proof(privacy.DataCase, "c-s-inv", "s-inv", a.closed)}
	if _, err := a.s.EraseObjects(a.ctx, ps, nil); !errors.Is(err, privacy.ErrInvalid) {
		t.Errorf("no events for one proof: %v, want ErrInvalid", err)
	}
	if _, err := a.s.EraseObjects(a.ctx, ps, a.events(append(ps, ps...))); !errors.Is(err, privacy.ErrInvalid) {
		t.Errorf("two events for one proof: %v, want ErrInvalid", err)
	}
}

// A subject before its case is refused (it still has the case), the case
// erased, the subject after it erased.
func (a *attack6) subjectBeforeCase(t *testing.T) {
	a.dossier(t, "s-ord")
	ps := []retention.ObjectProof{a.proof(privacy.DataSubject, "s-ord", "s-ord", a.closed), a.proof(privacy.DataCase, "c-s-ord", "s-ord", a.closed),
		a.proof(privacy.DataSubject, "s-ord", "s-ord", a.closed), a.proof(privacy.DataCase, "c-s-ord", "s-ord", a.closed)}
	res, err := a.s.EraseObjects(a.ctx, ps, a.events(ps))
	if err != nil {
		t.Fatal(err)
	}
	want := []error{privacy.ErrConflict, nil, nil, privacy.ErrExists}
	for i := range want {
		if want[i] == nil && res[i] != nil || want[i] != nil && !errors.Is(res[i], want[i]) {
			t.Errorf("item %d (%s): %v, want %v", i, ps[i].Kind, res[i], want[i])
		}
	}
	if _, err := a.s.Subject(a.ctx, "s-ord"); !errors.Is(err, privacy.ErrNotFound) {
		t.Errorf("the subject after the batch: %v", err)
	}
}

// Rule N12: a subject erased in a batch leaves the group histories, and
// a second subject of the same employer in the same batch too.
func (a *attack6) groupHistory(t *testing.T) {
	subs := []privacy.SubjectID{"s-g1", "s-g2", "s-g3"}
	for _, sub := range subs {
		a.dossier(t, sub)
	}
	if _, err := a.s.AddGroup(a.ctx, "employer-g", 0, subs, a.ev("", privacy.EventCreate)); err != nil {
		t.Fatal(err)
	}
	var ps []retention.ObjectProof
	for _, sub := range subs[:2] {
		ps = append(ps, a.proof(privacy.DataCase, "c-"+string(sub), sub, a.closed), a.proof(privacy.DataSubject, string(sub), sub, a.closed))
	}
	res, err := a.s.EraseObjects(a.ctx, ps, a.events(ps))
	if err != nil {
		t.Fatal(err)
	}
	for i, e := range res {
		if e != nil {
			t.Errorf("item %d: %v", i, e)
		}
	}
	h, err := a.s.GroupHistory(a.ctx, "employer-g")
	if err != nil {
		t.Fatal(err)
	}
	for _, g := range h.Groups {
		if slices.Contains(g, "s-g1") || slices.Contains(g, "s-g2") || !slices.Contains(g, "s-g3") || len(g) != 3 {
			t.Errorf("rule N12: group %v after erasing s-g1 and s-g2", g)
		}
	}
}

// Rule G3: holds placed while batches erase the cases of the same
// subjects. A hold whose PlaceHold returned before the batch began keeps
// its case; for any other, either the case is kept or the hold was
// refused or placed after the erasure — never an erased case beside a
// hold that the batch should have seen. Checked by: every case erased
// has no hold whose placement committed before the batch's lock; we can
// only see the end state, so each case of a subject whose hold was placed
// must be either kept, or erased with the hold placed on a subject that
// still exists (the case's erasure does not remove the subject).
func (a *attack6) concurrentHolds(t *testing.T) {
	const n = 40
	var subs []privacy.SubjectID
	for i := range n {
		sub := privacy.SubjectID(fmt.Sprintf("s-h%02d", i))
		a.dossier(t, sub)
		subs = append(subs, sub)
	}
	// Holds of the even subjects before the batch: those cases must stay.
	for i := 0; i < n; i += 2 {
		h := retention.Hold{ID: retention.HoldID("h-" + subs[i]), Subject: subs[i], Ground: retention.GroundLegalClaim, Reason: "claim",
			PlacedBy: a.officer.ID, Placed: a.closed}
		if err := a.s.PlaceHold(a.ctx, h, a.ev(subs[i], privacy.EventCreate)); err != nil {
			t.Fatal(err)
		}
	}
	var ps []retention.ObjectProof
	for _, sub := range subs {
		ps = append(ps, a.proof(privacy.DataCase, "c-"+string(sub), sub, a.closed))
	}
	done := make(chan error, 1)
	go func() {
		// Holds of the odd subjects while the batch runs.
		for i := 1; i < n; i += 2 {
			h := retention.Hold{ID: retention.HoldID("h-" + subs[i]), Subject: subs[i], Ground: retention.GroundLegalClaim, Reason: "claim",
				PlacedBy: a.officer.ID, Placed: a.closed}
			if err := a.s.PlaceHold(a.ctx, h, a.ev(subs[i], privacy.EventCreate)); err != nil {
				done <- err
				return
			}
		}
		done <- nil
	}()
	res, err := a.s.EraseObjects(a.ctx, ps, a.events(ps))
	if err != nil {
		t.Fatal(err)
	}
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	for i := 0; i < n; i += 2 {
		var pe *privacy.Error
		if !errors.Is(res[i], privacy.ErrForbidden) || !errors.As(res[i], &pe) || pe.Rule != privacy.G3 {
			t.Errorf("rule G3: case of %s, held before the batch: %v, want ErrForbidden naming G3", subs[i], res[i])
		}
		if _, err := a.s.Case(a.ctx, privacy.CaseID("c-"+subs[i])); err != nil {
			t.Errorf("rule G3: case of %s, held before the batch, is gone: %v", subs[i], err)
		}
	}
	for i := 1; i < n; i += 2 {
		_, err := a.s.Case(a.ctx, privacy.CaseID("c-"+subs[i]))
		if (res[i] == nil) != errors.Is(err, privacy.ErrNotFound) {
			t.Errorf("case of %s: result %v but Case says %v", subs[i], res[i], err)
		}
	}
}

// A fault at any statement of a batch leaves the store as it was: no
// object gone, no proof, no event.
func (a *attack6) faultMidBatch(t *testing.T, fault func(n int)) {
	subs := []privacy.SubjectID{"s-f1", "s-f2", "s-f3"}
	for _, sub := range subs {
		a.dossier(t, sub)
	}
	if _, err := a.s.AddGroup(a.ctx, "employer-f", 0, subs, a.ev("", privacy.EventCreate)); err != nil {
		t.Fatal(err)
	}
	var ps []retention.ObjectProof
	for _, sub := range subs {
		ps = append(ps, a.proof(privacy.DataCase, "c-"+string(sub), sub, a.closed), a.proof(privacy.DataSubject, string(sub), sub, a.closed))
	}
	hist, err := a.s.GroupHistory(a.ctx, "employer-f")
	if err != nil {
		t.Fatal(err)
	}
	for k := 0; k < 200; k++ {
		before := a.countEvents(t)
		fault(k)
		res, err := a.s.EraseObjects(a.ctx, ps, a.events(ps))
		fault(-1)
		if err == nil {
			if k == 0 {
				t.Fatalf("no fault at statement 0: %v", res)
			}
			return // past the last statement
		}
		for _, sub := range subs {
			if _, err := a.s.Subject(a.ctx, sub); err != nil {
				t.Fatalf("fault at %d: subject %s: %v", k, sub, err)
			}
			if _, err := a.s.Case(a.ctx, privacy.CaseID("c-"+sub)); err != nil {
				t.Fatalf("fault at %d: case of %s: %v", k, sub, err)
			}
			if got, err := a.s.ObjectProofs(a.ctx, sub); err != nil || len(got) != 0 {
				t.Fatalf("fault at %d: proofs of %s: %v, %v", k, sub, got, err)
			}
		}
		if n := a.countEvents(t); n != before {
			t.Fatalf("fault at %d: %d events, want %d", k, n, before)
		}
		if h, err := a.s.GroupHistory(a.ctx, "employer-f"); err != nil || h.Version != hist.Version {
			t.Fatalf("fault at %d: group history %+v, %v; want version %d", k, h, err, hist.Version)
		}
	}
	t.Fatal("the batch failed at every statement")
}

// Rule G3: a hold of a case keeps the objects of that case. The store
// checks it against the case the object has, not the one the proof
// names: a proof that leaves the case out, or names another, does not
// erase a grant of a held case.
func (a *attack6) caseHoldOverProof(t *testing.T) {
	a.dossier(t, "s-gc")
	g := consent.Grant{ID: "g-gc", Subject: "s-gc", Recipient: consent.Recipient{Kind: privacy.PartyThirdParty, Party: "lawyer-1"},
		Categories: []privacy.Category{privacy.CategoryNotes}, Purpose: privacy.PurposeAbsenceGuidance, Case: "c-s-gc",
		Form: consent.FormWritten, Document: "doc-1", Given: a.t0}
	if err := a.s.AddGrant(a.ctx, g, []privacy.Event{a.ev("s-gc", privacy.EventCreate)}); err != nil {
		t.Fatal(err)
	}
	revoked := a.t0.Add(time.Hour)
	if _, err := a.s.RevokeGrant(a.ctx, "g-gc", revoked, []privacy.Event{a.ev("s-gc", privacy.EventUpdate)}); err != nil {
		t.Fatal(err)
	}
	h := retention.Hold{ID: "h-gc", Subject: "s-gc", Case: "c-s-gc", Ground: retention.GroundLegalClaim, Reason: "claim",
		PlacedBy: a.officer.ID, Placed: a.closed}
	if err := a.s.PlaceHold(a.ctx, h, a.ev("s-gc", privacy.EventCreate)); err != nil {
		t.Fatal(err)
	}
	for _, c := range []privacy.CaseID{"", "c-other", "c-s-gc"} {
		p := a.proof(privacy.DataGrant, "g-gc", "s-gc", revoked)
		p.Case = c
		ps := []retention.ObjectProof{p}
		res, err := a.s.EraseObjects(a.ctx, ps, a.events(ps))
		if err != nil {
			t.Fatal(err)
		}
		var pe *privacy.Error
		if res[0] == nil || !errors.As(res[0], &pe) || (pe.Rule != privacy.G3 && !errors.Is(res[0], privacy.ErrConflict)) {
			t.Errorf("rule G3: a grant of held case c-s-gc, proof naming case %q: %v, want kept", c, res[0])
		}
		if _, err := a.s.Grant(a.ctx, "g-gc"); err != nil {
			t.Fatalf("rule G3: the grant of a held case is gone (proof naming case %q): %v", c, err)
		}
	}
}

// Rules N12, R9: every erasure of a subject in an employer's group history
// gives the history a new version. A version that doubled with each one
// ran out of range after some 60 subjects of one employer, and from then
// on no subject in its groups could be erased or deleted.
func (a *attack6) manyErasures(t *testing.T) {
	const n = 100
	var subs []privacy.SubjectID
	for i := range n {
		id := privacy.SubjectID(fmt.Sprintf("s-m%03d", i))
		sub, _ := privacy.NewSubject(id, "employer-m", a.t0)
		sub.EmploymentEnded = a.closed
		if err := a.s.CreateSubject(a.ctx, sub, []privacy.Event{a.ev(id, privacy.EventCreate)}); err != nil {
			t.Fatal(err)
		}
		subs = append(subs, id)
	}
	// Two groups, so that the history has more than one version.
	if _, err := a.s.AddGroup(a.ctx, "employer-m", 0, subs[:n/2], a.ev("", privacy.EventCreate)); err != nil {
		t.Fatal(err)
	}
	if _, err := a.s.AddGroup(a.ctx, "employer-m", 1, subs, a.ev("", privacy.EventCreate)); err != nil {
		t.Fatal(err)
	}
	for i, id := range subs {
		ps := []retention.ObjectProof{a.proof(privacy.DataSubject, string(id), id, a.closed)}
		var err error
		if i%2 == 0 {
			var res []error
			if res, err = a.s.EraseObjects(a.ctx, ps, a.events(ps)); err == nil {
				err = res[0]
			}
		} else {
			err = a.s.DeleteSubject(a.ctx, id, []privacy.Event{a.ev(id, privacy.EventDelete)})
		}
		if err != nil {
			t.Fatalf("rules N12, R9: subject %d of the employer's groups: %v", i, err)
		}
	}
	h, err := a.s.GroupHistory(a.ctx, "employer-m")
	if err != nil {
		t.Fatal(err)
	}
	if len(h.Groups) != 2 || len(h.Groups[0]) != n/2 || len(h.Groups[1]) != n {
		t.Errorf("the history after the erasures: %d groups", len(h.Groups))
	}
	for _, g := range h.Groups {
		for _, m := range g {
			if slices.Contains(subs, m) {
				t.Errorf("rule N12: erased %s still in a group", m)
			}
		}
	}
	// An erased subject never enters the history again, even in a group
	// decided before its erasure (rule N12)...
	if _, err := a.s.AddGroup(a.ctx, "employer-m", h.Version, subs[:1], a.ev("", privacy.EventCreate)); !errors.Is(err, privacy.ErrNotFound) ||
		privacy.RuleOf(err) != privacy.N12 {
		t.Errorf("AddGroup naming erased %s = %v, want ErrNotFound by N12", subs[0], err)
	}
	// ...and the history goes on: a group on its latest version is taken.
	sub, _ := privacy.NewSubject("s-m-new", "employer-m", a.t0)
	if err := a.s.CreateSubject(a.ctx, sub, []privacy.Event{a.ev("s-m-new", privacy.EventCreate)}); err != nil {
		t.Fatal(err)
	}
	if _, err := a.s.AddGroup(a.ctx, "employer-m", h.Version, []privacy.SubjectID{"s-m-new"}, a.ev("", privacy.EventCreate)); err != nil {
		t.Errorf("AddGroup on the history after the erasures: %v", err)
	}
}
