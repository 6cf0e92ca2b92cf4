package pgstore

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/dossierwacht/dossierwacht/consent"
	"github.com/dossierwacht/dossierwacht/examples/internal/sqlcore"
	"github.com/dossierwacht/dossierwacht/privacy"
	"github.com/dossierwacht/dossierwacht/retention"
)

// TestAttack8 attacks the set-based EraseObjects of PostgreSQL
// (sqlcore.Store.eraseObjectSet, objectSetQueries) through the public API,
// holding it against the row-at-a-time path (a second store without the
// set-based statements) where the two should agree.
func TestAttack8(t *testing.T) {
	t.Run("RecordIDInBothFilesHoldG3", attack8CrossFileRecordHold)
	t.Run("RecordIDInBothFilesHoldMedicalFirstG3", attack8CrossFileRecordHoldMedical)
	t.Run("CrossEmployerGroupsTwoBatchesDeadlockN12", func(t *testing.T) { attack8CrossEmployerBatches(t, OpenForTest(t, nil)) })
	t.Run("CrossEmployerGroupsDeleteSubjectDeadlockN12", func(t *testing.T) { attack8CrossEmployerDeleteSubject(t, OpenForTest(t, nil)) })
	// The same on the row-at-a-time path: is the cause the set path's?
	t.Run("CrossEmployerGroupsTwoBatchesDeadlockRowPathN12", func(t *testing.T) { attack8CrossEmployerBatches(t, rowPath(t)) })
	t.Run("CrossEmployerGroupsDeleteSubjectDeadlockRowPathN12", func(t *testing.T) { attack8CrossEmployerDeleteSubject(t, rowPath(t)) })
	t.Run("FaultEveryStepAllOrNothingG7", attack8FaultEveryStep)
	t.Run("HandWorldSetVsRowR9O12G3N7", attack8HandWorld)
	t.Run("ProofsAndEventsAccountingO12", attack8Accounting)
	t.Run("OpenCaseAddRecordsRaceN7", func(t *testing.T) { attack8OpenCaseRace(t, OpenForTest(t, nil)) })
	t.Run("OpenCaseAddRecordsRaceRowPathN7", func(t *testing.T) { attack8OpenCaseRace(t, rowPath(t)) })
	t.Run("ConcurrentBatchesSameSubjectsO12", attack8SameSubjects)
	t.Run("ExecModesN12O12", attack8ExecModes)
	t.Run("GroupAddedDuringErasureN12", attack8GroupDuringErasure)
	t.Run("GrantRevokedDuringErasureO12", func(t *testing.T) { attack8GrantRevoked(t, OpenForTest(t, nil)) })
	t.Run("GrantRevokedDuringErasureRowPathO12", func(t *testing.T) { attack8GrantRevoked(t, rowPath(t)) })
}

type a8 struct {
	ctx    context.Context
	s      *Store
	t0     time.Time
	closed time.Time
}

func newA8(t *testing.T, s *Store) *a8 {
	return &a8{ctx: context.Background(), s: s, t0: time.Date(2025, 1, 10, 9, 0, 0, 0, time.UTC),
		closed: time.Date(2025, 3, 1, 9, 0, 0, 0, time.UTC)}
}

// rowPath returns a store that checks every item on its own.
func rowPath(t *testing.T) *Store {
	s := OpenForTest(t, nil)
	s.q.core.Objects.Set = sqlcore.ObjectSetQueries{}
	return s
}

func (a *a8) ev(sub privacy.SubjectID, act privacy.EventAction) privacy.Event {
	return privacy.Event{Time: a.t0, Principal: "officer-1", Role: privacy.RolePrivacyOfficer, Action: act, Outcome: privacy.OutcomeAllowed,
		Rule: privacy.O12, Subject: sub, Object: string(sub)}
}

func (a *a8) must(t *testing.T, what string, err error) {
	t.Helper()
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

// subject makes sub of employer, its employment ended at a.closed.
func (a *a8) subject(t *testing.T, sub privacy.SubjectID, employer privacy.PartyID) {
	t.Helper()
	s, _ := privacy.NewSubject(sub, employer, a.t0)
	a.must(t, "CreateSubject", a.s.CreateSubject(a.ctx, s, []privacy.Event{a.ev(sub, privacy.EventCreate)}))
	s.EmploymentEnded = a.closed
	a.must(t, "UpdateSubject", a.s.UpdateSubject(a.ctx, s, []privacy.Event{a.ev(sub, privacy.EventUpdate)}))
}

func (a *a8) record(id privacy.RecordID, c privacy.CaseID, sub privacy.SubjectID, cat privacy.Category) privacy.Record {
	return privacy.Record{ID: id, Case: c, Subject: sub, Category: cat, Author: "cm-1",
		Source: privacy.Source{Kind: privacy.PartyService}, Created: a.t0, Fields: map[privacy.Field]string{privacy.FieldText: "note"}}
}

// kase makes case c of sub with the ordinary and medical records named,
// closed at a.closed unless open.
func (a *a8) kase(t *testing.T, sub privacy.SubjectID, c privacy.CaseID, ordinary, medical []privacy.RecordID, open bool) {
	t.Helper()
	cs := privacy.Case{ID: c, Subject: sub, Kind: privacy.CaseAbsence, Purpose: privacy.PurposeAbsenceGuidance,
		Contract: privacy.Contract{ID: "contract-1", Party: "employer-1", PartyKind: privacy.PartyEmployer, Start: a.t0.AddDate(-1, 0, 0)}, Opened: a.t0}
	a.must(t, "CreateCase", a.s.CreateCase(a.ctx, cs, []privacy.Event{a.ev(sub, privacy.EventCreate)}))
	for _, r := range ordinary {
		a.must(t, "AddRecords", a.s.AddRecords(a.ctx, []privacy.Record{a.record(r, c, sub, privacy.CategoryNotes)}, []privacy.Event{a.ev(sub, privacy.EventCreate)}))
	}
	for _, r := range medical {
		a.must(t, "AddMedicalRecords", a.s.AddMedicalRecords(a.ctx, []privacy.Record{a.record(r, c, sub, privacy.CategoryMedical)},
			[]privacy.Event{a.ev(sub, privacy.EventCreate)}))
	}
	if !open {
		cs.Closed = a.closed
		a.must(t, "UpdateCase", a.s.UpdateCase(a.ctx, cs, []privacy.Event{a.ev(sub, privacy.EventUpdate)}))
	}
}

func (a *a8) hold(t *testing.T, id retention.HoldID, sub privacy.SubjectID, c privacy.CaseID, records []privacy.RecordID, lift bool) {
	t.Helper()
	h := retention.Hold{ID: id, Subject: sub, Case: c, Records: records, Ground: retention.GroundLegalClaim, Reason: "claim",
		PlacedBy: "officer-1", Placed: a.closed}
	a.must(t, "PlaceHold", a.s.PlaceHold(a.ctx, h, a.ev(sub, privacy.EventCreate)))
	if lift {
		a.must(t, "LiftHold", a.s.LiftHold(a.ctx, id, "officer-1", a.closed.Add(time.Hour), "settled", a.ev(sub, privacy.EventUpdate)))
	}
}

func (a *a8) proof(k privacy.DataKind, id string, sub privacy.SubjectID, c privacy.CaseID, ended time.Time) retention.ObjectProof {
	return retention.ObjectProof{Kind: k, ID: id, Subject: sub, Case: c, Ended: ended, Deleted: a.closed.AddDate(8, 0, 0), Rule: privacy.O12,
		Reason: retention.ReasonMaximum, Citation: "regulation O", Policy: "strict@1.0.0", By: "officer-1"}
}

func a8events(ps []retention.ObjectProof) []privacy.Event {
	out := make([]privacy.Event, len(ps))
	for i, p := range ps {
		out[i] = privacy.Event{Time: p.Deleted, Principal: "officer-1", Role: privacy.RolePrivacyOfficer, Action: privacy.EventDelete,
			Outcome: privacy.OutcomeAllowed, Rule: p.Rule, Subject: p.Subject, Case: p.Case, Object: string(p.Kind) + ":" + p.ID}
	}
	return out
}

// a8outcome is what an item's result says: kind, rule, message.
func a8outcome(err error) string {
	if err == nil {
		return "erased"
	}
	var pe *privacy.Error
	if !errors.As(err, &pe) {
		return "untyped: " + err.Error()
	}
	return fmt.Sprintf("%v/%s/%q", pe.Kind, pe.Rule, pe.Msg)
}

func (a *a8) countEvents(t *testing.T) int {
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

// crossFileWorld: subject s-x with case c-1 (closed) holding ordinary
// record r-dup, and case c-2 (closed) holding medical record r-dup — the
// same record ID in the other file (each file's primary key is its own).
// A standing hold of s-x names record r-dup (no case). Erasing c-1 is
// refused by rule G3 item by item: the hold names a record of c-1.
func crossFileWorld(t *testing.T, a *a8, ordinaryCase, medicalCase privacy.CaseID) {
	a.subject(t, "s-x", "employer-1")
	if ordinaryCase == "c-1" {
		a.kase(t, "s-x", "c-1", []privacy.RecordID{"r-dup"}, nil, false)
		a.kase(t, "s-x", "c-2", nil, []privacy.RecordID{"r-dup"}, false)
	} else {
		a.kase(t, "s-x", "c-2", []privacy.RecordID{"r-dup"}, nil, false)
		a.kase(t, "s-x", "c-1", nil, []privacy.RecordID{"r-dup"}, false)
	}
	a.hold(t, "h-rec", "s-x", "", []privacy.RecordID{"r-dup"}, false)
}

// Rule G3: a standing hold of record r-dup keeps its case c-1 (ordinary
// file). The same ID r-dup is also a medical record of case c-2. The
// set path maps each named record to ONE case (recordCase, a map keyed by
// record ID filled from RecordCases, ordinary UNION ALL medical): the
// medical row, read last, overwrites c-1 with c-2, so c-1 is not seen as
// held and the item is refused as a conflict (records left) instead of
// ErrForbidden/G3, which the row-at-a-time path (CaseHasRecord, both files)
// gives.
func attack8CrossFileRecordHold(t *testing.T) {
	crossFileRecordHold(t, "c-1")
}

// The same with the ordinary record in c-2 and the medical one in c-1:
// here the medical row wins the map, and the set path agrees.
func attack8CrossFileRecordHoldMedical(t *testing.T) {
	crossFileRecordHold(t, "c-2")
}

func crossFileRecordHold(t *testing.T, ordinaryCase privacy.CaseID) {
	set, row := newA8(t, OpenForTest(t, nil)), newA8(t, rowPath(t))
	for _, a := range []*a8{set, row} {
		crossFileWorld(t, a, ordinaryCase, "")
	}
	for _, batch := range [][]retention.ObjectProof{
		{set.proof(privacy.DataCase, "c-1", "s-x", "", set.closed)},
		{set.proof(privacy.DataCase, "c-1", "s-x", "", set.closed), set.proof(privacy.DataSubject, "s-x", "s-x", "", set.closed)},
	} {
		got, err := set.s.EraseObjects(set.ctx, batch, a8events(batch))
		if err != nil {
			t.Fatal(err)
		}
		want, err := row.s.EraseObjects(row.ctx, batch, a8events(batch))
		if err != nil {
			t.Fatal(err)
		}
		for i := range batch {
			if a8outcome(got[i]) != a8outcome(want[i]) {
				t.Errorf("batch of %d, item %d (%s %s): set-based %s, item by item %s", len(batch), i, batch[i].Kind, batch[i].ID,
					a8outcome(got[i]), a8outcome(want[i]))
			}
			if batch[i].Kind == privacy.DataCase {
				var pe *privacy.Error
				if !errors.As(got[i], &pe) || pe.Rule != privacy.G3 {
					t.Errorf("rule G3: case c-1 with a record a standing hold names: %s, want ErrForbidden naming G3", a8outcome(got[i]))
				}
			}
		}
	}
	// Single EraseObject goes through the set path with one item too.
	p := set.proof(privacy.DataCase, "c-1", "s-x", "", set.closed)
	e := set.s.EraseObject(set.ctx, p, a8events([]retention.ObjectProof{p})[0])
	var pe *privacy.Error
	if !errors.As(e, &pe) || pe.Rule != privacy.G3 {
		t.Errorf("rule G3: EraseObject of c-1: %s, want ErrForbidden naming G3", a8outcome(e))
	}
}

// crossEmployer: subjects a1, d1 in employer-2's group history, b1, c1 in
// employer-1's (plus, when both, c1 in employer-2's too). Each subject is
// due: no case, employment ended.
func crossEmployer(t *testing.T, a *a8, both bool) {
	for _, sub := range []privacy.SubjectID{"a1", "b1", "c1", "d1"} {
		a.subject(t, sub, "employer-1")
	}
	_, err := a.s.AddGroup(a.ctx, "employer-1", 0, []privacy.SubjectID{"b1", "c1"}, a.ev("", privacy.EventCreate))
	a.must(t, "AddGroup employer-1", err)
	e2 := []privacy.SubjectID{"a1", "d1"}
	if both {
		e2 = append(e2, "c1")
	}
	_, err = a.s.AddGroup(a.ctx, "employer-2", 0, e2, a.ev("", privacy.EventCreate))
	a.must(t, "AddGroup employer-2", err)
}

// waitLocked waits until n of the schema's statements wait for a lock.
func waitLocked(t *testing.T, s *Store, n int) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		var k int
		if err := s.pool.QueryRow(context.Background(), `SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'
			AND datname = current_database() AND position($1 in query) > 0`, s.schema).Scan(&k); err != nil {
			t.Fatal(err)
		}
		if k >= n {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("only %d statements wait, want %d", k, n)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

type a8result struct {
	res []error
	err error
}

// Rules N12, O12: two batches on disjoint subjects, each in ID order as a
// sweep sends them: X = [a1 (employer-2), b1 (employer-1)], Y = [c1
// (employer-1), d1 (employer-2)]. lockObjectSubjects orders the subject
// rows, but forget_in_groups takes each erased subject's employers' group
// rows subject by subject in the batch's order (the Forget statement
// unnests the erased subjects in item order): X holds employer-2's rows
// and wants employer-1's, Y holds employer-1's and wants employer-2's.
// PostgreSQL kills one as a deadlock: a whole batch fails (ErrConflict,
// 40P01). A third transaction holding employer-1's rows for a moment
// makes the interleaving certain; without it, the race is the same.
func attack8CrossEmployerBatches(t *testing.T, s *Store) {
	a := newA8(t, s)
	crossEmployer(t, a, false)
	batch := func(subs ...privacy.SubjectID) []retention.ObjectProof {
		var ps []retention.ObjectProof
		for _, s := range subs {
			ps = append(ps, a.proof(privacy.DataSubject, string(s), s, "", a.closed))
		}
		return ps
	}
	x, y := batch("a1", "b1"), batch("c1", "d1")
	other, err := a.s.pool.Begin(a.ctx)
	a.must(t, "Begin", err)
	defer func() { _ = other.Rollback(a.ctx) }()
	_, err = other.Exec(a.ctx, `SELECT 1 FROM `+pgx.Identifier{a.s.schema}.Sanitize()+`.access_groups WHERE employer = 'employer-1' FOR UPDATE`)
	a.must(t, "lock employer-1's groups", err)
	dy, dx := make(chan a8result, 1), make(chan a8result, 1)
	go func() { res, err := a.s.EraseObjects(a.ctx, y, a8events(y)); dy <- a8result{res, err} }()
	waitLocked(t, a.s, 1) // Y waits for employer-1 (c1)
	go func() { res, err := a.s.EraseObjects(a.ctx, x, a8events(x)); dx <- a8result{res, err} }()
	waitLocked(t, a.s, 2) // X holds employer-2 (a1), waits for employer-1 (b1)
	a.must(t, "Commit", other.Commit(a.ctx))
	rx, ry := <-dx, <-dy
	for name, r := range map[string]a8result{"X [a1 b1]": rx, "Y [c1 d1]": ry} {
		if r.err != nil {
			t.Errorf("rule N12: batch %s on disjoint subjects failed whole: %v", name, r.err)
			continue
		}
		for i, e := range r.res {
			if e != nil {
				t.Errorf("batch %s item %d: %v", name, i, e)
			}
		}
	}
}

// Rule N12: the same cycle with DeleteSubject of c1, a member of both
// employers' histories: forget_in_groups takes c1's employers in their
// order (employer-1, then employer-2) while batch X = [a1, b1] takes
// employer-2 (a1), then employer-1 (b1).
func attack8CrossEmployerDeleteSubject(t *testing.T, s *Store) {
	a := newA8(t, s)
	crossEmployer(t, a, true)
	x := []retention.ObjectProof{a.proof(privacy.DataSubject, "a1", "a1", "", a.closed), a.proof(privacy.DataSubject, "b1", "b1", "", a.closed)}
	other, err := a.s.pool.Begin(a.ctx)
	a.must(t, "Begin", err)
	defer func() { _ = other.Rollback(a.ctx) }()
	_, err = other.Exec(a.ctx, `SELECT 1 FROM `+pgx.Identifier{a.s.schema}.Sanitize()+`.access_groups WHERE employer = 'employer-1' FOR UPDATE`)
	a.must(t, "lock employer-1's groups", err)
	dd, dx := make(chan error, 1), make(chan a8result, 1)
	go func() { dd <- a.s.DeleteSubject(a.ctx, "c1", []privacy.Event{a.ev("c1", privacy.EventDelete)}) }()
	waitLocked(t, a.s, 1)
	go func() { res, err := a.s.EraseObjects(a.ctx, x, a8events(x)); dx <- a8result{res, err} }()
	waitLocked(t, a.s, 2)
	a.must(t, "Commit", other.Commit(a.ctx))
	rx, derr := <-dx, <-dd
	if rx.err != nil {
		t.Errorf("rule N12: batch [a1 b1] failed whole beside DeleteSubject(c1): %v", rx.err)
	} else {
		for i, e := range rx.res {
			if e != nil {
				t.Errorf("batch item %d: %v", i, e)
			}
		}
	}
	if derr != nil {
		t.Errorf("DeleteSubject(c1) beside the batch: %v", derr)
	}
}

// a8snapshot is what a store holds, for all-or-nothing checks.
type a8snapshot struct {
	Subjects map[privacy.SubjectID]bool
	Cases    map[privacy.CaseID]bool
	Objects  map[privacy.SubjectID][]retention.Object
	Proofs   map[privacy.SubjectID][]retention.ObjectProof
	Groups   map[privacy.PartyID][][]privacy.SubjectID
	Events   int
}

func (a *a8) snapshot(t *testing.T, subs []privacy.SubjectID, cases []privacy.CaseID, employers []privacy.PartyID) a8snapshot {
	t.Helper()
	sn := a8snapshot{Subjects: map[privacy.SubjectID]bool{}, Cases: map[privacy.CaseID]bool{}, Objects: map[privacy.SubjectID][]retention.Object{},
		Proofs: map[privacy.SubjectID][]retention.ObjectProof{}, Groups: map[privacy.PartyID][][]privacy.SubjectID{}}
	for _, s := range subs {
		_, err := a.s.Subject(a.ctx, s)
		sn.Subjects[s] = err == nil
		if sn.Objects[s], err = a.s.Objects(a.ctx, s); err != nil {
			t.Fatal(err)
		}
		if sn.Proofs[s], err = a.s.ObjectProofs(a.ctx, s); err != nil {
			t.Fatal(err)
		}
	}
	for _, c := range cases {
		_, err := a.s.Case(a.ctx, c)
		sn.Cases[c] = err == nil
	}
	for _, e := range employers {
		h, err := a.s.GroupHistory(a.ctx, e)
		if err != nil {
			t.Fatal(err)
		}
		sn.Groups[e] = h.Groups
	}
	sn.Events = a.countEvents(t)
	return sn
}

// mixedWorld: three subjects of one employer's history, each with a
// closed empty case, a revoked grant, a lifted hold, and a due subject.
func (a *a8) mixedWorld(t *testing.T) ([]retention.ObjectProof, []privacy.SubjectID, []privacy.CaseID) {
	var ps []retention.ObjectProof
	subs := []privacy.SubjectID{"m1", "m2", "m3"}
	var cases []privacy.CaseID
	for _, sub := range subs {
		a.subject(t, sub, "employer-1")
		c := privacy.CaseID("c-" + sub)
		cases = append(cases, c)
		a.kase(t, sub, c, nil, nil, false)
		a.hold(t, retention.HoldID("h-"+sub), sub, c, nil, true)
		gid := consent.GrantID("g-" + sub)
		g := consent.Grant{ID: gid, Subject: sub, Recipient: consent.Recipient{Kind: privacy.PartyThirdParty, Party: "lawyer-1"},
			Categories: []privacy.Category{privacy.CategoryNotes}, Purpose: privacy.PurposeAbsenceGuidance, Case: c,
			Form: consent.FormWritten, Document: "doc-1", Given: a.t0}
		a.must(t, "AddGrant", a.s.AddGrant(a.ctx, g, []privacy.Event{a.ev(sub, privacy.EventCreate)}))
		revoked := a.closed.Add(3 * time.Hour)
		_, err := a.s.RevokeGrant(a.ctx, gid, revoked, []privacy.Event{a.ev(sub, privacy.EventUpdate)})
		a.must(t, "RevokeGrant", err)
		ps = append(ps, a.proof(privacy.DataGrant, string(gid), sub, c, revoked),
			a.proof(privacy.DataHold, "h-"+string(sub), sub, c, a.closed.Add(time.Hour)),
			a.proof(privacy.DataCase, string(c), sub, "", a.closed),
			a.proof(privacy.DataSubject, string(sub), sub, "", a.closed))
	}
	_, err := a.s.AddGroup(a.ctx, "employer-1", 0, subs, a.ev("", privacy.EventCreate))
	a.must(t, "AddGroup", err)
	return ps, subs, cases
}

// Rule G7 (all or nothing): a fault armed after every number of writes
// of a batch that erases grants, holds, cases, subjects and their group
// places: either the batch fails with a typed error and the store is as
// before, or it succeeds whole.
func attack8FaultEveryStep(t *testing.T) {
	DSNForTest(t) // skips without a server, before the check below
	succeeded := false
	defer func() {
		if !succeeded && !t.Failed() {
			t.Errorf("no fault count let the batch through: the sweep of faults stops short of its end")
		}
	}()
	for n := 0; n < 45; n++ {
		t.Run(fmt.Sprintf("after-%d", n), func(t *testing.T) {
			a := newA8(t, OpenForTest(t, nil))
			ps, subs, cases := a.mixedWorld(t)
			before := a.snapshot(t, subs, cases, []privacy.PartyID{"employer-1"})
			a.s.FailAfter(n)
			res, err := a.s.EraseObjects(a.ctx, ps, a8events(ps))
			a.s.FailAfter(-1)
			after := a.snapshot(t, subs, cases, []privacy.PartyID{"employer-1"})
			if err != nil {
				var pe *privacy.Error
				if !errors.As(err, &pe) {
					t.Errorf("fault after %d: untyped error %v", n, err)
				}
				if fmt.Sprint(before) != fmt.Sprint(after) {
					t.Errorf("fault after %d: a failed batch changed the store:\nbefore %v\nafter  %v", n, before, after)
				}
				return
			}
			succeeded = true
			for i, e := range res {
				if e != nil {
					t.Errorf("item %d (%s %s): %v", i, ps[i].Kind, ps[i].ID, e)
				}
			}
			if after.Events != before.Events+len(ps) {
				t.Errorf("events %d, want %d", after.Events, before.Events+len(ps))
			}
		})
	}
}

// handWorld seeds a world aimed at the facts the set path reads at once:
// holds naming records in the medical file, lifted holds of a held case,
// a case held through a record of another case's hold, a subject whose
// only data left is a refused item, and an object of another subject.
func (a *a8) handWorld(t *testing.T) []retention.ObjectProof {
	// h1: case c-h1a with a medical record held by a record hold; case
	// c-h1b empty; lifted hold of c-h1b; standing hold of case c-h1c.
	a.subject(t, "h1", "employer-1")
	a.kase(t, "h1", "c-h1a", nil, []privacy.RecordID{"r-h1a"}, false)
	a.kase(t, "h1", "c-h1b", nil, nil, false)
	a.kase(t, "h1", "c-h1c", nil, nil, false)
	a.hold(t, "h-h1-rec", "h1", "", []privacy.RecordID{"r-h1a"}, false)
	a.hold(t, "h-h1-b", "h1", "c-h1b", nil, true)
	a.hold(t, "h-h1-c", "h1", "c-h1c", nil, false)
	a.hold(t, "h-h1-c-old", "h1", "c-h1c", nil, true)
	// h2: everything goes but one grant whose end the proof gets wrong.
	a.subject(t, "h2", "employer-1")
	a.kase(t, "h2", "c-h2", nil, nil, false)
	g := consent.Grant{ID: "g-h2", Subject: "h2", Recipient: consent.Recipient{Kind: privacy.PartyThirdParty, Party: "lawyer-1"},
		Categories: []privacy.Category{privacy.CategoryNotes}, Purpose: privacy.PurposeAbsenceGuidance, Case: "c-h2",
		Form: consent.FormWritten, Document: "doc-1", Given: a.t0}
	a.must(t, "AddGrant", a.s.AddGrant(a.ctx, g, []privacy.Event{a.ev("h2", privacy.EventCreate)}))
	_, err := a.s.RevokeGrant(a.ctx, "g-h2", a.closed, []privacy.Event{a.ev("h2", privacy.EventUpdate)})
	a.must(t, "RevokeGrant", err)
	// h3: a whole-subject lifted hold and the subject due.
	a.subject(t, "h3", "employer-1")
	a.hold(t, "h-h3", "h3", "", nil, true)
	// h4: case with an ordinary record a hold of h1 names (another subject).
	a.subject(t, "h4", "employer-1")
	a.kase(t, "h4", "c-h4", []privacy.RecordID{"r-h4"}, nil, false)
	_, err = a.s.AddGroup(a.ctx, "employer-1", 0, []privacy.SubjectID{"h1", "h2", "h3", "h4"}, a.ev("", privacy.EventCreate))
	a.must(t, "AddGroup", err)
	lifted := a.closed.Add(time.Hour)
	return []retention.ObjectProof{
		a.proof(privacy.DataHold, "h-h1-b", "h1", "c-h1b", lifted),
		a.proof(privacy.DataHold, "h-h1-c-old", "h1", "", lifted), // case left out of the proof: still held
		a.proof(privacy.DataHold, "h-h1-rec", "h1", "", time.Time{}),
		a.proof(privacy.DataCase, "c-h1a", "h1", "", a.closed),
		a.proof(privacy.DataCase, "c-h1b", "h1", "", a.closed),
		a.proof(privacy.DataCase, "c-h1c", "h1", "", a.closed),
		a.proof(privacy.DataSubject, "h1", "h1", "", a.closed),
		a.proof(privacy.DataGrant, "g-h2", "h2", "c-h2", a.closed.Add(time.Microsecond)), // wrong end
		a.proof(privacy.DataCase, "c-h2", "h2", "", a.closed),
		a.proof(privacy.DataSubject, "h2", "h2", "", a.closed),
		a.proof(privacy.DataHold, "h-h3", "h3", "", lifted),
		a.proof(privacy.DataCase, "c-h4", "h3", "", a.closed), // another subject's case
		a.proof(privacy.DataSubject, "h3", "h3", "", a.closed),
		a.proof(privacy.DataCase, "c-h4", "h4", "", a.closed), // has records
		a.proof(privacy.DataSubject, "h4", "h4", "", a.closed),
	}
}

// Rules R9, O12, G3, N7: a hand-made world of the corners the set path
// reads at once, in a sweep's order: each item as the row-at-a-time path
// gives it, the same state after, and what must stay stays.
func attack8HandWorld(t *testing.T) {
	set, row := newA8(t, OpenForTest(t, nil)), newA8(t, rowPath(t))
	ps := set.handWorld(t)
	_ = row.handWorld(t)
	got, err := set.s.EraseObjects(set.ctx, ps, a8events(ps))
	if err != nil {
		t.Fatal(err)
	}
	want, err := row.s.EraseObjects(row.ctx, ps, a8events(ps))
	if err != nil {
		t.Fatal(err)
	}
	for i := range ps {
		if a8outcome(got[i]) != a8outcome(want[i]) {
			t.Errorf("item %d (%s %s of %s): set-based %s, item by item %s", i, ps[i].Kind, ps[i].ID, ps[i].Subject, a8outcome(got[i]), a8outcome(want[i]))
		}
	}
	subs := []privacy.SubjectID{"h1", "h2", "h3", "h4"}
	cases := []privacy.CaseID{"c-h1a", "c-h1b", "c-h1c", "c-h2", "c-h4"}
	ss, rs := set.snapshot(t, subs, cases, nil), row.snapshot(t, subs, cases, nil)
	ss.Events, rs.Events = ss.Events-set.countEvents(t), rs.Events-row.countEvents(t)
	if fmt.Sprint(ss) != fmt.Sprint(rs) {
		t.Errorf("after the batch:\nset %v\nrow %v", ss, rs)
	}
	for c, stays := range map[privacy.CaseID]bool{"c-h1a": true, "c-h1b": false, "c-h1c": true, "c-h2": false, "c-h4": true} {
		if ss.Cases[c] != stays {
			t.Errorf("case %s present %v, want %v", c, ss.Cases[c], stays)
		}
	}
	for s, stays := range map[privacy.SubjectID]bool{"h1": true, "h2": true, "h3": false, "h4": true} {
		if ss.Subjects[s] != stays {
			t.Errorf("subject %s present %v, want %v", s, ss.Subjects[s], stays)
		}
	}
	h, err := set.s.GroupHistory(set.ctx, "employer-1")
	a8mustNil(t, err)
	for _, g := range h.Groups {
		if slices.Contains(g, "h3") || len(g) != 4 {
			t.Errorf("rule N12: group %v after erasing h3", g)
		}
	}
}

func a8mustNil(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// Rule O12: ObjectProofs holds the erased items' proofs in the batch's
// order with every field as given, and the trail one event per erased
// item, none for a refused one.
func attack8Accounting(t *testing.T) {
	a := newA8(t, OpenForTest(t, nil))
	ps, subs, cases := a.mixedWorld(t)
	// Refused items among them: a subject before its case (out of order:
	// item by item), then in order with wrong ends.
	ps[2].Ended = ps[2].Ended.Add(time.Second) // case c-m1 changed: refused, so m1 stays
	before := a.countEvents(t)
	res, err := a.s.EraseObjects(a.ctx, ps, a8events(ps))
	a8mustNil(t, err)
	erased := 0
	var wantProofs = map[privacy.SubjectID][]retention.ObjectProof{}
	for i, e := range res {
		if e == nil {
			erased++
			wantProofs[ps[i].Subject] = append(wantProofs[ps[i].Subject], ps[i])
		}
	}
	if !errors.Is(res[2], privacy.ErrConflict) || !errors.Is(res[3], privacy.ErrConflict) {
		t.Errorf("case with a wrong end and its subject: %v, %v; want conflicts", res[2], res[3])
	}
	if n := a.countEvents(t); n != before+erased {
		t.Errorf("events %d, want %d (one per erased item)", n-before, erased)
	}
	for _, sub := range subs {
		got, err := a.s.ObjectProofs(a.ctx, sub)
		a8mustNil(t, err)
		if len(got) != len(wantProofs[sub]) {
			t.Errorf("%s: %d proofs, want %d", sub, len(got), len(wantProofs[sub]))
			continue
		}
		for i := range got {
			w := wantProofs[sub][i]
			g := got[i]
			if g.Kind != w.Kind || g.ID != w.ID || g.Subject != w.Subject || g.Case != w.Case || !g.Ended.Equal(w.Ended) ||
				g.Due != w.Due || !g.Deleted.Equal(w.Deleted) || g.Rule != w.Rule || g.Reason != w.Reason || g.Citation != w.Citation ||
				g.Policy != w.Policy || g.By != w.By {
				t.Errorf("%s proof %d: %+v, want %+v", sub, i, g, w)
			}
		}
	}
	_ = cases
}

// Rule N7: an open case (ended, as the proof says, at its last activity:
// its opening, nothing recorded in it; rules R9, O12, retention.CaseEnded)
// erased while AddRecords adds a record to it, dated its opening so that
// the case's end does not move and the store's check of the records left
// is what decides. Either the record goes in first and the
// item is refused (the case still has records) or the case goes first
// and AddRecords finds no case; the batch must not fail whole (nor leave a
// record without its case).
func attack8OpenCaseRace(t *testing.T, s *Store) {
	a := newA8(t, s)
	a.subject(t, "o1", "employer-1")
	failed := 0
	const rounds = 40
	for i := range rounds {
		c := privacy.CaseID(fmt.Sprintf("c-o-%d", i))
		a.kase(t, "o1", c, nil, nil, true)
		ps := []retention.ObjectProof{a.proof(privacy.DataCase, string(c), "o1", "", a.t0)}
		var wg sync.WaitGroup
		var berr error
		var res []error
		var aerr error
		wg.Add(2)
		go func() {
			defer wg.Done()
			res, berr = a.s.EraseObjects(a.ctx, ps, a8events(ps))
		}()
		go func() {
			defer wg.Done()
			aerr = a.s.AddRecords(a.ctx, []privacy.Record{a.record(privacy.RecordID(fmt.Sprintf("r-o-%d", i)), c, "o1", privacy.CategoryNotes)},
				[]privacy.Event{a.ev("o1", privacy.EventCreate)})
		}()
		wg.Wait()
		if berr != nil {
			failed++
			t.Logf("round %d: the batch failed whole: %v (AddRecords: %v)", i, berr, aerr)
			continue
		}
		_, cerr := a.s.Case(a.ctx, c)
		if res[0] == nil && aerr == nil {
			t.Errorf("round %d: case erased and a record added to it", i)
		}
		if res[0] == nil && cerr == nil {
			t.Errorf("round %d: erased, yet the case is there", i)
		}
	}
	if failed > 0 {
		t.Errorf("rule N7: %d of %d batches failed whole beside AddRecords on the case", failed, rounds)
	}
}

// Rule O12: two batches erasing the same subjects' objects at once, in
// opposite item orders: no deadlock, no whole-batch failure, each object
// erased once, one proof each.
func attack8SameSubjects(t *testing.T) {
	a := newA8(t, OpenForTest(t, nil))
	ps, subs, _ := a.mixedWorld(t)
	rev := slices.Clone(ps)
	// Reverse by subject, keeping each subject's order.
	slices.Reverse(rev)
	for i := 0; i < len(rev); i += 4 {
		slices.Reverse(rev[i : i+4])
	}
	var wg sync.WaitGroup
	out := make([]a8result, 2)
	for k, b := range [][]retention.ObjectProof{ps, rev} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			res, err := a.s.EraseObjects(a.ctx, b, a8events(b))
			out[k] = a8result{res, err}
		}()
	}
	wg.Wait()
	erased := map[string]int{}
	for k, r := range out {
		if r.err != nil {
			t.Fatalf("batch %d failed whole: %v", k, r.err)
		}
		b := [][]retention.ObjectProof{ps, rev}[k]
		for i, e := range r.res {
			if e == nil {
				erased[string(b[i].Kind)+":"+b[i].ID]++
			}
		}
	}
	for _, p := range ps {
		if erased[string(p.Kind)+":"+p.ID] != 1 {
			t.Errorf("%s %s erased %d times", p.Kind, p.ID, erased[string(p.Kind)+":"+p.ID])
		}
	}
	for _, sub := range subs {
		got, err := a.s.ObjectProofs(a.ctx, sub)
		a8mustNil(t, err)
		if len(got) != 4 {
			t.Errorf("%s: %d proofs, want 4", sub, len(got))
		}
	}
}

// Rules O12, N12: the set-based statements (arrays of IDs, NULL::timestamptz
// columns, COPY of the proofs, forget_in_groups over unnest) under every
// query mode of pgx, the simple protocol of a transaction pooler included.
func attack8ExecModes(t *testing.T) {
	for _, mode := range []pgx.QueryExecMode{pgx.QueryExecModeSimpleProtocol, pgx.QueryExecModeExec, pgx.QueryExecModeDescribeExec,
		pgx.QueryExecModeCacheDescribe, pgx.QueryExecModeCacheStatement} {
		t.Run(mode.String(), func(t *testing.T) {
			a := newA8(t, NewForTest(t, PoolForTest(t, mode), nil))
			ps, subs, _ := a.mixedWorld(t)
			res, err := a.s.EraseObjects(a.ctx, ps, a8events(ps))
			if err != nil {
				t.Fatal(err)
			}
			for i, e := range res {
				if e != nil {
					t.Errorf("item %d (%s %s): %v", i, ps[i].Kind, ps[i].ID, e)
				}
			}
			h, err := a.s.GroupHistory(a.ctx, "employer-1")
			a8mustNil(t, err)
			for _, g := range h.Groups {
				for _, sub := range subs {
					if slices.Contains(g, sub) {
						t.Errorf("rule N12: %s still in group %v", sub, g)
					}
				}
			}
		})
	}
}

// Rule N12: a group decided while subject g1 existed (the guard read the
// subjects, then AddGroup) commits while a batch erases g1. AddGroup does
// not lock its members' rows, and forget_in_groups only sees the group
// rows committed when it runs: the group row AddGroup inserted but had
// not committed yet is not renumbered nor rewritten, and when it commits
// g1's ID is in the employer's history after g1's erasure, for ever (no
// later forget runs for g1). A third transaction holds the audit chain
// lock AddGroup's event waits for (append_chained), which makes the
// interleaving certain.
func attack8GroupDuringErasure(t *testing.T) {
	a := newA8(t, OpenForTest(t, nil))
	a.subject(t, "g1", "employer-1")
	a.subject(t, "g2", "employer-1")
	other, err := a.s.pool.Begin(a.ctx)
	a.must(t, "Begin", err)
	defer func() { _ = other.Rollback(a.ctx) }()
	_, err = other.Exec(a.ctx, `SELECT pg_advisory_xact_lock($1::int4, hashtext('zz-lock'))`, int32(a.s.auditLock))
	a.must(t, "audit chain lock", err)
	done := make(chan error, 1)
	go func() {
		ev := a.ev("zz-lock", privacy.EventCreate)
		_, err := a.s.AddGroup(a.ctx, "employer-1", 0, []privacy.SubjectID{"g1", "g2"}, ev)
		done <- err
	}()
	waitLocked(t, a.s, 1) // AddGroup inserted its row and waits for the chain
	ps := []retention.ObjectProof{a.proof(privacy.DataSubject, "g1", "g1", "", a.closed)}
	ectx, cancel := context.WithTimeout(a.ctx, 20*time.Second)
	defer cancel()
	// The erasure runs beside AddGroup; since AddGroup keeps its members'
	// rows (FOR KEY SHARE), it waits for AddGroup, which waits for the
	// chain: let the chain go once the erasure waits too.
	type result struct {
		res []error
		err error
	}
	erased := make(chan result, 1)
	go func() {
		res, err := a.s.EraseObjects(ectx, ps, a8events(ps))
		erased <- result{res, err}
	}()
	waitLocked(t, a.s, 2)
	a.must(t, "Commit", other.Commit(a.ctx))
	if gerr := <-done; gerr != nil {
		t.Logf("AddGroup: %v", gerr)
	}
	r := <-erased
	res, err := r.res, r.err
	if err != nil {
		t.Fatalf("EraseObjects: %v", err)
	}
	if res[0] != nil {
		t.Fatalf("g1: %v", res[0])
	}
	if _, err := a.s.Subject(a.ctx, "g1"); !errors.Is(err, privacy.ErrNotFound) {
		t.Fatalf("g1 after its erasure: %v", err)
	}
	h, err := a.s.GroupHistory(a.ctx, "employer-1")
	a8mustNil(t, err)
	for _, g := range h.Groups {
		if slices.Contains(g, "g1") {
			t.Errorf("rule N12: erased subject g1 is in employer-1's group %v after its erasure (history version %d)", g, h.Version)
		}
	}
}

// Rule O12 (contract: "its end is not p.Ended (it changed since it was
// scheduled) ... ErrConflict", checked in the erasure's transaction): a
// grant in force with no end (Ended zero, as a sweep schedules a lasting
// grant) is erased while RevokeGrant revokes it. RevokeGrant locks the
// grant's row only, not the subject's, so the batch's subject lock does
// not order them: the batch reads the grant's committed version (no
// end), decides it may go, and its DELETE (by ID, no guard on the end
// read) waits for RevokeGrant's row lock and then deletes the revoked
// version. The grant is gone under a proof whose Ended is zero, its end
// having changed; the item should be refused as changed (or RevokeGrant
// should find no grant). A third transaction holding the audit chain lock
// RevokeGrant's event waits for makes the interleaving certain.
func attack8GrantRevoked(t *testing.T, s *Store) {
	a := newA8(t, s)
	a.subject(t, "r1", "employer-1")
	g := consent.Grant{ID: "g-r1", Subject: "r1", Recipient: consent.Recipient{Kind: privacy.PartyThirdParty, Party: "lawyer-1"},
		Categories: []privacy.Category{privacy.CategoryNotes}, Purpose: privacy.PurposeAbsenceGuidance,
		Form: consent.FormWritten, Document: "doc-1", Given: a.t0}
	a.must(t, "AddGrant", a.s.AddGrant(a.ctx, g, []privacy.Event{a.ev("r1", privacy.EventCreate)}))
	other, err := a.s.pool.Begin(a.ctx)
	a.must(t, "Begin", err)
	defer func() { _ = other.Rollback(a.ctx) }()
	_, err = other.Exec(a.ctx, `SELECT pg_advisory_xact_lock($1::int4, hashtext('zz-lock'))`, int32(a.s.auditLock))
	a.must(t, "audit chain lock", err)
	revoked := a.closed.Add(24 * time.Hour)
	done := make(chan error, 1)
	go func() {
		_, err := a.s.RevokeGrant(a.ctx, "g-r1", revoked, []privacy.Event{a.ev("zz-lock", privacy.EventUpdate)})
		done <- err
	}()
	waitLocked(t, a.s, 1) // RevokeGrant updated the row and waits for the chain
	ps := []retention.ObjectProof{a.proof(privacy.DataGrant, "g-r1", "r1", "", time.Time{})}
	type out struct {
		res []error
		err error
	}
	bd := make(chan out, 1)
	go func() { res, err := a.s.EraseObjects(a.ctx, ps, a8events(ps)); bd <- out{res, err} }()
	waitLocked(t, a.s, 2) // the batch's DELETE waits for the grant's row
	a.must(t, "Commit", other.Commit(a.ctx))
	rerr := <-done
	b := <-bd
	if b.err != nil {
		t.Fatalf("EraseObjects: %v", b.err)
	}
	_, gerr := a.s.Grant(a.ctx, "g-r1")
	t.Logf("RevokeGrant: %v; item: %s; grant after: %v", rerr, a8outcome(b.res[0]), gerr)
	if rerr == nil && b.res[0] == nil {
		proofs, err := a.s.ObjectProofs(a.ctx, "r1")
		a8mustNil(t, err)
		t.Errorf("rule O12: grant g-r1 revoked at %s (RevokeGrant returned nil) was erased under a proof with Ended %v, as if unchanged (proofs %v)",
			revoked.Format(time.RFC3339), ps[0].Ended, proofs)
	}
}
