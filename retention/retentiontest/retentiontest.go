// Package retentiontest is the conformance kit for [retention.Store]
// adapters, in the spirit of testing/fstest.TestFS. An adapter runs it from
// its own test:
//
//	func TestRetentionConformance(t *testing.T) {
//		retentiontest.Run(t, func(t *testing.T) retention.Store { return mystore.New(t) })
//	}
//
// The store must also implement [privacy.Store]: the records a sweep
// deletes live there, and the kit creates them through [privacy.Dossiers].
// Every case runs on a fresh store in a named subtest, through the
// [retention.Keeper] users work with, and says which rule it checks:
// legal holds (G3), erasure requests (R9, O13, N8) refused where a statute
// keeps data (G3) and carried out at once with a proof per record, the
// privacy officer as the one role that places and lifts holds, decides
// erasures and sweeps (refusals audited as denials), sweeps (R9, O12, N7) that delete from the separate
// medical file too (O6), write one proof and one audit event per deletion,
// list the recipients to tell (G4), never delete a held record — not even
// one held while the sweep runs — and are idempotent; direct deletions
// through [privacy.Dossiers] (DeleteRecord, DeleteCase, DeleteSubject)
// refused while a hold covers what they would remove, even a hold placed
// while they run (G3); candidate paging; copy semantics; typed errors; and
// atomicity under an injected failure for adapters that implement
// [privacytest.FaultInjector]. Adapters that also implement [EventLog]
// have their audit events checked, those that implement
// [retention.BatchStore] their batch deletions, and those that implement
// [retention.ObjectStore] the sweep of every other kind of stored data
// (R9, O12, N7): subjects, cases, holds and erasure requests, each with
// its proof, never while a hold keeps it (G3), and the checks of
// EraseObject.
package retentiontest

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/dossierwacht/dossierwacht/internal/kitdiff"
	"github.com/dossierwacht/dossierwacht/privacy"
	"github.com/dossierwacht/dossierwacht/privacy/calendar"
	"github.com/dossierwacht/dossierwacht/privacy/privacytest"
	"github.com/dossierwacht/dossierwacht/retention"
)

// EventLog is implemented by adapters whose audit trail the kit can read,
// as the in-memory adapter's is. Without it the audit checks skip.
type EventLog interface {
	Events(ctx context.Context, from uint64) iter.Seq2[privacy.Event, error]
}

// Run runs the kit against stores made by newStore, one per subtest. The
// sweep cases run again under Workers/, several small batches deleted at
// once. A store that implements [retention.BatchStore] has its
// EraseRecords checked too, and the sweep cases run once more, under
// OneByOne/, through EraseRecord alone.
func Run(t *testing.T, newStore func(t *testing.T) retention.Store) {
	t.Helper()
	run := func(t *testing.T, name string, f func(*testing.T, *env), oneByOne bool, opts *retention.Options) {
		t.Run(name, func(t *testing.T) {
			s := newStore(t)
			ps, ok := s.(privacy.Store)
			if !ok {
				t.Fatal("the adapter must implement privacy.Store too: the records it deletes live there")
			}
			d, err := privacy.NewDossiers(ps, privacy.Strict())
			if err != nil {
				t.Fatalf("NewDossiers: %v", err)
			}
			rs := s
			if oneByOne {
				rs = single{s}
			}
			r, err := retention.New(rs, privacy.Strict(), opts)
			if err != nil {
				t.Fatalf("retention.New: %v", err)
			}
			workers := 1
			if opts != nil {
				workers = opts.Workers
			}
			f(t, &env{ctx: context.Background(), s: s, rs: rs, ps: ps, d: d, r: r, workers: workers})
		})
	}
	for _, tc := range cases {
		run(t, tc.name, tc.run, false, nil)
	}
	for _, tc := range objectCases {
		run(t, tc.name, tc.run, false, nil)
	}
	// The sweep cases again with batches of three records, three deleted
	// at once ([retention.Options].Workers): what each case asks holds
	// whatever the order the store sees the batches in.
	t.Run("Workers", func(t *testing.T) {
		for _, tc := range sweepCases {
			run(t, tc.name, tc.run, false, &retention.Options{BatchSize: 3, Workers: 3})
		}
	})
	probe := newStore(t)
	if _, ok := probe.(retention.BatchStore); !ok {
		return
	}
	t.Run("OneByOne", func(t *testing.T) {
		for _, tc := range sweepCases {
			run(t, tc.name, tc.run, true, nil)
		}
	})
}

// single hides a store's EraseRecords, so that a sweep deletes one record
// per EraseRecord.
type single struct{ retention.Store }

type env struct {
	ctx context.Context
	s   retention.Store
	rs  retention.Store // what e.r sweeps through: s, or s one by one
	ps  privacy.Store
	d   *privacy.Dossiers
	r   *retention.Keeper
	// workers is how many batches e.r deletes at once; the kit's own
	// keepers delete as many.
	workers int
}

type kitCase struct {
	name string
	run  func(*testing.T, *env)
}

var cases = []kitCase{
	{"G3_HoldRoundTrip", testHoldRoundTrip},
	{"G3_HoldErrors", testHoldErrors},
	{"DossierContents", testDossier},
	{"CandidatesPaging", testCandidates},
	{"O12_SweepDeletesWhatIsDue", testSweep},
	{"O6_MedicalRecordFromMedicalFile", testMedical},
	{"R9_ErasureRequest", testErasure},
	{"O13_EraseAtOnce", testEraseAtOnce},
	{"G3_OnlyThePrivacyOfficer", testOnlyOfficer},
	{"G3_StatuteKeepsDataFromErasure", testErasureRefused},
	{"G3_HeldRecordNeverErased", testHeldNeverErased},
	{"G3_HoldPlacedDuringSweep", testHoldDuringSweep},
	{"G3_DirectDeleteRefusedWhileHeld", testDirectDeleteHeld},
	{"G3_HoldRacesDirectDelete", testHoldRacesDirectDelete},
	{"G3_UpdateRefusedWhileHeld", testUpdateRefusedWhileHeld},
	{"G3_HoldRacesUpdate", testHoldRacesUpdate},
	{"G3_HoldNotPlacedBehindItsScope", testHoldNotBehind},
	{"EraseRecordChecks", testEraseRecordChecks},
	{"SweepIdempotent", testIdempotent},
	{"G4_RecipientsInProofs", testRecipients},
	{"CopySemantics", testCopySemantics},
	{"AtomicFault", testAtomicFault},
	{"Concurrent", testConcurrent},
	{"G3_BatchEraseRecordsChecks", testBatchChecks},
	{"BatchAtomicFault", testBatchAtomicFault},
}

// sweepCases run again through EraseRecord alone when the store has
// EraseRecords too.
var sweepCases = []kitCase{
	{"O12_SweepDeletesWhatIsDue", testSweep},
	{"O13_EraseAtOnce", testEraseAtOnce},
	{"G3_HeldRecordNeverErased", testHeldNeverErased},
	{"G3_HoldPlacedDuringSweep", testHoldDuringSweep},
	{"SweepIdempotent", testIdempotent},
	{"G4_RecipientsInProofs", testRecipients},
	{"Concurrent", testConcurrent},
}

// Fixed times: the kit never reads the clock. The case closes on 1 March
// 2025; O12's two years end on 1 March 2027, so its records are due from 2
// March 2027, 00:00 Amsterdam time (1 March 23:00 UTC).
var (
	t0       = time.Date(2025, 1, 10, 9, 0, 0, 0, time.UTC)
	closed   = time.Date(2025, 3, 1, 10, 0, 0, 0, time.UTC)
	justDue  = time.Date(2027, 3, 1, 23, 0, 0, 0, time.UTC)
	notDue   = justDue.Add(-time.Second)
	contract = privacy.Contract{ID: "contract-1", Party: "employer-1", PartyKind: privacy.PartyEmployer,
		Start: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)}
	// officer places holds and grants erasures, sweeper runs the sweeps:
	// both the privacy officer, the one role that may (G3, O13, O12).
	officer = privacy.Principal{ID: "officer-1", Role: privacy.RolePrivacyOfficer}
	// clerk is who writes the case file in the kit's stories.
	clerk   = privacy.Principal{ID: "cm-1", Role: privacy.RoleCaseManager, Party: "service-1", Secrecy: privacy.SecrecyAgreement}
	sweeper = privacy.Principal{ID: "retention-job", Role: privacy.RolePrivacyOfficer}
	// employer is an employer contact, who may do none of it.
	employer = privacy.Principal{ID: "employer-contact-1", Role: privacy.RoleEmployerContact, Party: "employer-1"}
)

// act is the clerk acting at at.
func act(at time.Time) privacy.Act { return privacy.Act{By: clerk, At: at, Client: "retentiontest"} }

func (e *env) subject(t *testing.T, id privacy.SubjectID) {
	t.Helper()
	s, err := privacy.NewSubject(id, "employer-1", t0)
	if err != nil {
		t.Fatalf("NewSubject(%q): %v", id, err)
	}
	if err := e.d.CreateSubject(e.ctx, act(t0), s); err != nil {
		t.Fatalf("CreateSubject(%q): %v", id, err)
	}
}

func (e *env) openCase(t *testing.T, id privacy.CaseID, subject privacy.SubjectID, opened time.Time) {
	t.Helper()
	c, err := privacy.NewCase(id, subject, privacy.CaseAbsence, privacy.PurposeAbsenceGuidance, contract, opened)
	if err != nil {
		t.Fatalf("NewCase(%q): %v", id, err)
	}
	if err := e.d.OpenCase(e.ctx, act(opened), c); err != nil {
		t.Fatalf("OpenCase(%q): %v", id, err)
	}
}

func rec(id privacy.RecordID, c privacy.CaseID, cat privacy.Category, at time.Time) privacy.Record {
	f := privacy.FieldText
	switch cat {
	case privacy.CategoryIdentity:
		f = privacy.FieldName
	case privacy.CategoryEmployment:
		f = privacy.FieldJob
	}
	return privacy.Record{ID: id, Case: c, Category: cat, Author: "cm-1", Source: privacy.Source{Kind: privacy.PartyService},
		Created: at, Fields: map[privacy.Field]string{f: "content of " + string(id)}}
}

func (e *env) add(t *testing.T, rs ...privacy.Record) {
	t.Helper()
	for _, r := range rs {
		if err := e.d.AddRecord(e.ctx, act(r.Created), r); err != nil {
			t.Fatalf("AddRecord(%s): %v", r.ID, err)
		}
	}
}

// world: subject s-1 with closed absence case c-1 holding notes n-1 and
// n-2, employment data f-1 (fiscal, 7 years) and medical m-1 (20 years
// after employment ends, which has not), and the extra records of c-1
// given (rule R4: a case takes its records before it closes).
func (e *env) world(t *testing.T, extra ...privacy.Record) {
	t.Helper()
	e.subject(t, "s-1")
	e.openCase(t, "c-1", "s-1", t0)
	e.add(t, rec("n-1", "c-1", privacy.CategoryNotes, t0), rec("n-2", "c-1", privacy.CategoryNotes, t0.Add(time.Hour)),
		rec("f-1", "c-1", privacy.CategoryEmployment, t0), rec("m-1", "c-1", privacy.CategoryMedical, t0))
	e.add(t, extra...)
	if err := e.d.CloseCase(e.ctx, act(closed), "c-1"); err != nil {
		t.Fatalf("CloseCase: %v", err)
	}
}

func wantKind(t *testing.T, what string, err, kind error) {
	t.Helper()
	if !errors.Is(err, kind) {
		t.Errorf("%s: err = %v, want %v", what, err, kind)
	}
}

// wantSame reports a difference between the value a store gave back and
// the one it was given: the whole value, so that a field an adapter drops
// fails the kit.
func wantSame(t *testing.T, what string, want, got any) {
	t.Helper()
	if d := kitdiff.Diff(want, got); d != "" {
		t.Errorf("%s mismatch (-want +got):\n%s", what, d)
	}
}

// wantFull stops the kit when a round trip's input leaves a field unset: a
// field no adapter would be checked on.
func wantFull(t *testing.T, what string, v any, except ...string) {
	t.Helper()
	if unset := kitdiff.Unset(v, except...); len(unset) > 0 {
		t.Fatalf("retentiontest: the kit's %s leaves %v unset: set them, so that the round trip checks them", what, unset)
	}
}

func (e *env) exists(id privacy.RecordID) bool {
	if _, err := e.ps.Record(e.ctx, id); err == nil {
		return true
	}
	_, err := e.ps.MedicalRecord(e.ctx, id)
	return err == nil
}

func (e *env) wantPresent(t *testing.T, ids ...privacy.RecordID) {
	t.Helper()
	for _, id := range ids {
		if !e.exists(id) {
			t.Errorf("record %s is gone, want it kept", id)
		}
	}
}

func (e *env) wantErased(t *testing.T, ids ...privacy.RecordID) {
	t.Helper()
	for _, id := range ids {
		if e.exists(id) {
			t.Errorf("record %s is still there, want it erased", id)
		}
		if _, err := e.r.Explain(e.ctx, "s-1", id, justDue); !errors.Is(err, privacy.ErrNotFound) {
			t.Errorf("record %s is still in the dossier (%v)", id, err)
		}
		if _, err := e.s.Proof(e.ctx, id); err != nil {
			t.Errorf("Proof(%s): %v, want a proof of its deletion", id, err)
		}
	}
}

func (e *env) events(t *testing.T) ([]privacy.Event, bool) {
	t.Helper()
	log, ok := e.s.(EventLog)
	if !ok {
		return nil, false
	}
	var out []privacy.Event
	for ev, err := range log.Events(e.ctx, 1) {
		if err != nil {
			t.Fatalf("Events: %v", err)
		}
		out = append(out, ev)
	}
	return out, true
}

func testHoldRoundTrip(t *testing.T, e *env) {
	e.world(t)
	placed := justDue.Add(-time.Hour)
	h, err := e.r.PlaceHold(e.ctx, officer, retention.Hold{ID: "h-1", Subject: "s-1", Case: "c-1", Records: []privacy.RecordID{"n-1"},
		Ground: retention.GroundLegalClaim, Reason: "court case C/16/2027/1"}, placed)
	if err != nil {
		t.Fatalf("PlaceHold: %v", err)
	}
	got, err := e.r.Hold(e.ctx, "h-1")
	if err != nil {
		t.Fatalf("Hold: %v", err)
	}
	want := retention.Hold{ID: "h-1", Subject: "s-1", Case: "c-1", Records: []privacy.RecordID{"n-1"},
		Ground: retention.GroundLegalClaim, Reason: "court case C/16/2027/1", PlacedBy: officer.ID, Placed: placed}
	wantSame(t, "PlaceHold's hold", want, h)
	wantSame(t, "Hold", want, got)
	// Rule G3: the held record stays; the rest of the case goes.
	if _, err := e.r.Sweep(e.ctx, sweeper, justDue); err != nil {
		t.Fatalf("Sweep: %v", err)
	}
	e.wantPresent(t, "n-1")
	e.wantErased(t, "n-2")
	lifted := justDue.Add(time.Hour)
	if err := e.r.LiftHold(e.ctx, officer, "h-1", "claim settled", lifted); err != nil {
		t.Fatalf("LiftHold: %v", err)
	}
	got, _ = e.r.Hold(e.ctx, "h-1")
	want.LiftedBy, want.Lifted, want.LiftReason = officer.ID, lifted, "claim settled"
	wantFull(t, "hold", want)
	wantSame(t, "lifted Hold", want, got)
	wantKind(t, "LiftHold(twice)", e.r.LiftHold(e.ctx, officer, "h-1", "again", lifted), privacy.ErrConflict)
	rep, err := e.r.Sweep(e.ctx, sweeper, lifted)
	if err != nil {
		t.Fatalf("Sweep after lifting: %v", err)
	}
	if rep.Erased != 1 {
		t.Errorf("Sweep after lifting erased %d, want 1 (n-1)", rep.Erased)
	}
	e.wantErased(t, "n-1")
	if evs, ok := e.events(t); ok {
		var place, lift int
		for _, ev := range evs {
			if ev.Object == "hold:h-1" && ev.Rule == privacy.G3 && ev.Principal == officer.ID {
				switch ev.Action {
				case privacy.EventCreate:
					place++
				case privacy.EventUpdate:
					lift++
				}
			}
		}
		if place != 1 || lift != 1 {
			t.Errorf("audit: %d hold placements and %d liftings logged, want 1 and 1 (N9)", place, lift)
		}
	}
}

func testHoldErrors(t *testing.T, e *env) {
	e.world(t)
	good := retention.Hold{ID: "h-1", Subject: "s-1", Ground: retention.GroundLegalObligation, Reason: "AP order 2027-1"}
	if _, err := e.r.PlaceHold(e.ctx, officer, good, notDue); err != nil {
		t.Fatalf("PlaceHold: %v", err)
	}
	_, err := e.r.PlaceHold(e.ctx, officer, good, notDue)
	wantKind(t, "PlaceHold(duplicate)", err, privacy.ErrExists)
	for _, tc := range []struct {
		what string
		h    retention.Hold
		kind error
	}{
		{"missing subject", retention.Hold{ID: "h-2", Subject: "nobody", Ground: retention.GroundLegalClaim, Reason: "x"}, privacy.ErrNotFound},
		{"case of another subject", retention.Hold{ID: "h-2", Subject: "s-1", Case: "c-9", Ground: retention.GroundLegalClaim, Reason: "x"}, privacy.ErrNotFound},
		{"missing record", retention.Hold{ID: "h-2", Subject: "s-1", Records: []privacy.RecordID{"zz"}, Ground: retention.GroundLegalClaim, Reason: "x"}, privacy.ErrNotFound},
		{"no ground", retention.Hold{ID: "h-2", Subject: "s-1", Reason: "x"}, privacy.ErrInvalid},
		{"no reason", retention.Hold{ID: "h-2", Subject: "s-1", Ground: retention.GroundLegalClaim}, privacy.ErrInvalid},
		{"bad ID", retention.Hold{ID: "h 2", Subject: "s-1", Ground: retention.GroundLegalClaim, Reason: "x"}, privacy.ErrInvalid},
	} {
		_, err := e.r.PlaceHold(e.ctx, officer, tc.h, notDue)
		wantKind(t, "PlaceHold("+tc.what+")", err, tc.kind)
		if _, err := e.r.Hold(e.ctx, tc.h.ID); tc.h.ID == "h-2" && !errors.Is(err, privacy.ErrNotFound) {
			t.Errorf("a refused hold (%s) was stored", tc.what)
		}
	}
	wantKind(t, "LiftHold(missing)", e.r.LiftHold(e.ctx, officer, "h-9", "x", notDue), privacy.ErrNotFound)
	_, err = e.r.Hold(e.ctx, "h-9")
	wantKind(t, "Hold(missing)", err, privacy.ErrNotFound)
	_, err = e.r.PlaceHold(e.ctx, privacy.Principal{}, retention.Hold{ID: "h-3", Subject: "s-1", Ground: retention.GroundLegalClaim, Reason: "x"}, notDue)
	wantKind(t, "PlaceHold(no principal)", err, privacy.ErrInvalid)
}

func testDossier(t *testing.T, e *env) {
	e.world(t)
	e.openCase(t, "c-0", "s-1", t0.Add(-time.Hour)) // opened first
	ended := closed.Add(24 * time.Hour)
	if err := e.d.EndEmployment(e.ctx, act(ended), "s-1", ended); err != nil {
		t.Fatalf("EndEmployment: %v", err)
	}
	hold, err := e.r.PlaceHold(e.ctx, officer, retention.Hold{ID: "h-1", Subject: "s-1", Case: "c-1",
		Records: []privacy.RecordID{"f-1"}, Ground: retention.GroundLegalClaim, Reason: "court case C/16/2027/1"}, notDue)
	if err != nil {
		t.Fatalf("PlaceHold: %v", err)
	}
	lifted := notDue.Add(time.Minute)
	if err := e.r.LiftHold(e.ctx, officer, "h-1", "claim settled", lifted); err != nil {
		t.Fatalf("LiftHold: %v", err)
	}
	hold.LiftedBy, hold.Lifted, hold.LiftReason = officer.ID, lifted, "claim settled"
	dec, err := e.r.RequestErasure(e.ctx, officer, retention.Erasure{ID: "e-1", Subject: "s-1", Case: "c-1",
		Records: []privacy.RecordID{"n-2"}, Rule: privacy.R9, Received: notDue.Add(-time.Hour)}, notDue)
	if err != nil {
		t.Fatalf("RequestErasure: %v", err)
	}
	wantFull(t, "erasure", dec.Request)
	wantFull(t, "hold", hold)
	d, err := e.s.Dossier(e.ctx, "s-1")
	if err != nil {
		t.Fatalf("Dossier: %v", err)
	}
	if d.Subject.ID != "s-1" || len(d.Cases) != 2 || d.Cases[0].Case.ID != "c-0" || d.Cases[1].Case.ID != "c-1" {
		t.Fatalf("Dossier cases = %+v, want c-0 then c-1", d.Cases)
	}
	var got []string
	for _, en := range d.Cases[1].Records {
		got = append(got, fmt.Sprintf("%s:%s:%t", en.ID, en.Category, en.Medical))
		if !en.Created.Equal(en.Updated) || en.Created.IsZero() {
			t.Errorf("entry %s: created %v, updated %v", en.ID, en.Created, en.Updated)
		}
	}
	if want := []string{"f-1:employment:false", "m-1:medical:true", "n-1:notes:false", "n-2:notes:false"}; !slices.Equal(got, want) {
		t.Errorf("Dossier entries = %v, want %v (creation time, then ID; both files)", got, want)
	}
	// The whole dossier, as it went in.
	subject, _ := privacy.NewSubject("s-1", "employer-1", t0)
	subject.EmploymentEnded = ended
	c0, _ := privacy.NewCase("c-0", "s-1", privacy.CaseAbsence, privacy.PurposeAbsenceGuidance, contract, t0.Add(-time.Hour))
	c1, _ := privacy.NewCase("c-1", "s-1", privacy.CaseAbsence, privacy.PurposeAbsenceGuidance, contract, t0)
	c1.Closed = closed
	entry := func(id privacy.RecordID, cat privacy.Category, at time.Time) retention.Entry {
		return retention.Entry{ID: id, Category: cat, Medical: cat == privacy.CategoryMedical, Created: at, Updated: at}
	}
	want := retention.Dossier{Subject: subject,
		Cases: []retention.CaseFile{{Case: c0}, {Case: c1, Records: []retention.Entry{
			entry("f-1", privacy.CategoryEmployment, t0), entry("m-1", privacy.CategoryMedical, t0),
			entry("n-1", privacy.CategoryNotes, t0), entry("n-2", privacy.CategoryNotes, t0.Add(time.Hour))},
			// Rules R9, O12: the store keeps the case's last record
			// write (CaseFile.Active), which its records' deletion
			// does not move back.
			Active: t0.Add(time.Hour)}},
		Holds: []retention.Hold{hold}, Erasures: []retention.Erasure{dec.Request}}
	wantFull(t, "dossier", want)
	wantSame(t, "Dossier", want, d)
	_, err = e.s.Dossier(e.ctx, "nobody")
	wantKind(t, "Dossier(missing)", err, privacy.ErrNotFound)
}

func testCandidates(t *testing.T, e *env) {
	// s-a: case closed long ago; s-b: open case; s-c: employment ended;
	// s-d: erasure granted; s-e: closed recently.
	for _, id := range []privacy.SubjectID{"s-a", "s-b", "s-c", "s-d", "s-e"} {
		e.subject(t, id)
		e.openCase(t, privacy.CaseID("c-"+id), id, t0)
		e.add(t, rec(privacy.RecordID("n-"+id), privacy.CaseID("c-"+id), privacy.CategoryNotes, t0))
	}
	if err := e.d.CloseCase(e.ctx, act(closed), "c-s-a"); err != nil {
		t.Fatal(err)
	}
	if err := e.d.CloseCase(e.ctx, act(justDue.Add(-24*time.Hour)), "c-s-e"); err != nil {
		t.Fatal(err)
	}
	if err := e.d.EndEmployment(e.ctx, act(closed), "s-c", closed); err != nil {
		t.Fatal(err)
	}
	if _, err := e.r.RequestErasure(e.ctx, officer, retention.Erasure{ID: "e-1", Subject: "s-d", Rule: privacy.O13, Received: t0}, t0.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	q := retention.Query{ClosedBefore: closed.Add(time.Second), EmploymentEndedBefore: closed.Add(time.Second),
		ErasedBefore: t0.Add(2 * time.Hour), Limit: 2}
	var seen []privacy.SubjectID
	for {
		page, err := e.s.Candidates(e.ctx, q)
		if err != nil {
			t.Fatalf("Candidates: %v", err)
		}
		if len(page) > q.Limit {
			t.Fatalf("Candidates returned %d dossiers, limit %d", len(page), q.Limit)
		}
		for _, d := range page {
			if d.Subject.ID <= q.After {
				t.Errorf("Candidates(after %q) returned %q", q.After, d.Subject.ID)
			}
			if len(seen) > 0 && d.Subject.ID <= seen[len(seen)-1] {
				t.Errorf("Candidates out of order: %q after %q", d.Subject.ID, seen[len(seen)-1])
			}
			seen = append(seen, d.Subject.ID)
			if d.Records() == 0 {
				t.Errorf("candidate %s has no entries", d.Subject.ID)
			}
		}
		if len(page) < q.Limit {
			break
		}
		q.After = page[len(page)-1].Subject.ID
	}
	for _, want := range []privacy.SubjectID{"s-a", "s-c", "s-d"} {
		if !slices.Contains(seen, want) {
			t.Errorf("Candidates missed %s (got %v)", want, seen)
		}
	}
	_, err := e.s.Candidates(e.ctx, retention.Query{Limit: 0})
	if err == nil {
		// A zero limit may be refused or answered empty; never unbounded.
		page, _ := e.s.Candidates(e.ctx, retention.Query{Limit: 0, ClosedBefore: justDue})
		if len(page) != 0 {
			t.Errorf("Candidates(limit 0) returned %d dossiers", len(page))
		}
	}
}

func testSweep(t *testing.T, e *env) {
	e.world(t)
	plan := func(now time.Time) []privacy.RecordID {
		var out []privacy.RecordID
		for s, err := range e.r.Plan(e.ctx, sweeper, now) {
			if err != nil {
				t.Fatalf("Plan: %v", err)
			}
			out = append(out, s.Record)
		}
		slices.Sort(out)
		return out
	}
	if got := plan(notDue); len(got) != 0 {
		t.Errorf("Plan a second before 2 March 2027 (Amsterdam) = %v, want nothing (O12)", got)
	}
	rep, err := e.r.Sweep(e.ctx, sweeper, notDue)
	if err != nil || rep.Erased != 0 {
		t.Errorf("Sweep before due = %+v, %v; want nothing erased", rep, err)
	}
	if got, want := plan(justDue), []privacy.RecordID{"n-1", "n-2"}; !slices.Equal(got, want) {
		t.Errorf("Plan at 2 March 2027 00:00 Amsterdam = %v, want %v (O12)", got, want)
	}
	e.wantPresent(t, "n-1", "n-2") // a plan deletes nothing
	rep, err = e.r.Sweep(e.ctx, sweeper, justDue)
	if err != nil {
		t.Fatalf("Sweep: %v", err)
	}
	if rep.Erased != 2 || rep.Due != 2 || rep.Examined != 4 || rep.Policy == "" {
		t.Errorf("Sweep report = %+v, want 4 examined, 2 due, 2 erased", rep)
	}
	e.wantErased(t, "n-1", "n-2")
	// Rules R9 (fiscal, 7 years) and N7 (medical, 20 years after
	// employment ends) keep the rest.
	e.wantPresent(t, "f-1", "m-1")
	proofs, err := e.r.Proofs(e.ctx, "s-1")
	if err != nil || len(proofs) != 2 {
		t.Fatalf("Proofs = %v, %v; want 2", proofs, err)
	}
	for _, p := range proofs {
		if p.Rule != privacy.O12 || p.Reason != retention.ReasonMaximum || p.Case != "c-1" || p.CaseKind != privacy.CaseAbsence ||
			p.Category != privacy.CategoryNotes || p.Subject != "s-1" || !p.Deleted.Equal(justDue) || p.By != sweeper.ID ||
			p.Due.String() != "2027-03-02" || p.Policy == "" || p.Citation == "" {
			t.Errorf("proof = %+v, want rule O12 of case c-1, due 2027-03-02, by %s", p, sweeper.ID)
		}
	}
	if evs, ok := e.events(t); ok {
		n := 0
		for _, ev := range evs {
			if ev.Action == privacy.EventDelete {
				n++
				if ev.Outcome != privacy.OutcomeAllowed || ev.Rule != privacy.O12 || ev.Subject != "s-1" || ev.Case != "c-1" ||
					ev.Principal != sweeper.ID || ev.Policy == "" || (ev.Object != "n-1" && ev.Object != "n-2") {
					t.Errorf("delete event = %+v, want allowed, rule O12, object n-1 or n-2", ev)
				}
			}
		}
		if n != 2 {
			t.Errorf("%d delete events, want 2 (N9)", n)
		}
	}
}

func testMedical(t *testing.T, e *env) {
	e.world(t)
	// Employment ended 31 January 2025: N7's 20 years end 31 January 2045.
	ended := time.Date(2025, 1, 31, 12, 0, 0, 0, time.UTC)
	if err := e.d.EndEmployment(e.ctx, act(ended), "s-1", ended); err != nil {
		t.Fatal(err)
	}
	ss, err := e.r.Schedules(e.ctx, "s-1", justDue)
	if err != nil {
		t.Fatalf("Schedules: %v", err)
	}
	for _, s := range ss {
		if s.Record == "m-1" && (s.Rule != privacy.N7 || s.Due.String() != "2045-02-01" || !s.Medical) {
			t.Errorf("m-1 schedule = %v, want N7, due 2045-02-01, medical", s)
		}
	}
	at := time.Date(2045, 1, 31, 23, 0, 0, 0, time.UTC) // 1 February 2045, 00:00 Amsterdam
	if _, err := e.r.Sweep(e.ctx, sweeper, at); err != nil {
		t.Fatalf("Sweep: %v", err)
	}
	// Rule O6: the medical record is deleted from the medical file.
	if _, err := e.ps.MedicalRecord(e.ctx, "m-1"); !errors.Is(err, privacy.ErrNotFound) {
		t.Errorf("MedicalRecord(m-1) after its due date: %v, want ErrNotFound", err)
	}
	p, err := e.s.Proof(e.ctx, "m-1")
	if err != nil || !p.Medical || p.Category != privacy.CategoryMedical || p.Rule != privacy.N7 {
		t.Errorf("Proof(m-1) = %+v, %v; want a medical proof by N7", p, err)
	}
}

func testErasure(t *testing.T, e *env) {
	e.world(t)
	received := time.Date(2025, 6, 2, 9, 0, 0, 0, time.UTC)
	decided := received.Add(72 * time.Hour)
	dec, err := e.r.RequestErasure(e.ctx, officer, retention.Erasure{ID: "e-1", Subject: "s-1", Rule: privacy.R9, Received: received}, decided)
	if err != nil {
		t.Fatalf("RequestErasure: %v", err)
	}
	var erase, keep []privacy.RecordID
	for _, s := range dec.Erase {
		erase = append(erase, s.Record)
	}
	for _, s := range dec.Keep {
		keep = append(keep, s.Record)
		if !s.Refused() {
			t.Errorf("kept %v not marked refused (G3)", s)
		}
	}
	slices.Sort(erase)
	if !slices.Equal(erase, []privacy.RecordID{"m-1", "n-1", "n-2"}) || !slices.Equal(keep, []privacy.RecordID{"f-1"}) {
		t.Errorf("decision: erase %v, keep %v; want erase [m-1 n-1 n-2], keep [f-1] (R9, G3)", erase, keep)
	}
	// Rule N8: the medical record within 3 months of 2 June 2025: 2
	// September 2025 (a Tuesday).
	if dec.Deadline.String() != "2025-09-02" {
		t.Errorf("decision deadline = %s, want 2025-09-02 (N8)", dec.Deadline)
	}
	rep, err := e.r.Sweep(e.ctx, sweeper, decided)
	if err != nil || rep.Erased != 3 {
		t.Fatalf("Sweep after erasure = %+v, %v; want 3 erased", rep, err)
	}
	e.wantErased(t, "n-1", "n-2", "m-1")
	e.wantPresent(t, "f-1")
	p, _ := e.s.Proof(e.ctx, "m-1")
	if p.Rule != privacy.N8 || p.Erasure != "e-1" || p.Reason != retention.ReasonErasure {
		t.Errorf("Proof(m-1) = %+v, want rule N8 by request e-1", p)
	}
	p, _ = e.s.Proof(e.ctx, "n-1")
	if p.Rule != privacy.R9 || p.Erasure != "e-1" {
		t.Errorf("Proof(n-1) = %+v, want rule R9 by request e-1", p)
	}
	_, err = e.r.RequestErasure(e.ctx, officer, retention.Erasure{ID: "e-1", Subject: "s-1", Rule: privacy.R9, Received: received}, decided)
	wantKind(t, "RequestErasure(duplicate)", err, privacy.ErrExists)
	_, err = e.r.RequestErasure(e.ctx, officer, retention.Erasure{ID: "e-2", Subject: "nobody", Rule: privacy.R9, Received: received}, decided)
	wantKind(t, "RequestErasure(missing subject)", err, privacy.ErrNotFound)
	_, err = e.r.RequestErasure(e.ctx, officer, retention.Erasure{ID: "e-3", Subject: "s-1", Rule: privacy.G3, Received: received}, decided)
	wantKind(t, "RequestErasure(wrong rule)", err, privacy.ErrInvalid)
	_, err = e.r.RequestErasure(e.ctx, officer, retention.Erasure{ID: "e-4", Subject: "s-1", Rule: privacy.O13, Received: decided.Add(time.Hour)}, decided)
	wantKind(t, "RequestErasure(received after decided)", err, privacy.ErrInvalid)
}

func testErasureRefused(t *testing.T, e *env) {
	e.world(t)
	if _, err := e.r.PlaceHold(e.ctx, officer, retention.Hold{ID: "h-1", Subject: "s-1", Records: []privacy.RecordID{"n-2"},
		Ground: retention.GroundLegalClaim, Reason: "objection procedure 7"}, closed.Add(24*time.Hour)); err != nil {
		t.Fatal(err)
	}
	dec, err := e.r.RequestErasure(e.ctx, officer, retention.Erasure{ID: "e-1", Subject: "s-1", Case: "c-1", Rule: privacy.O13,
		Received: closed.Add(48 * time.Hour)}, closed.Add(72*time.Hour))
	if err != nil {
		t.Fatalf("RequestErasure: %v", err)
	}
	why := map[privacy.RecordID]retention.Schedule{}
	for _, s := range dec.Keep {
		why[s.Record] = s
	}
	// G3: the fiscal duty (R9, statutory) keeps f-1 until 7 years after
	// the end of the year the case closed (AWR art. 52(4)), due from 1
	// January 2033; the hold keeps n-2.
	if s := why["f-1"]; s.Reason != retention.ReasonStatute || s.Rule != privacy.R9 || s.Due.String() != "2033-01-01" {
		t.Errorf("f-1 kept as %v, want statute R9, due from 2033-01-01", s)
	}
	if s := why["n-2"]; s.Reason != retention.ReasonHold || s.Rule != privacy.G3 || s.Hold != "h-1" || s.Ground != retention.GroundLegalClaim {
		t.Errorf("n-2 kept as %v, want hold h-1 (G3, legal claim)", s)
	}
	if len(dec.Erase) != 2 {
		t.Errorf("decision erases %d records, want 2 (n-1, m-1)", len(dec.Erase))
	}
}

func testHeldNeverErased(t *testing.T, e *env) {
	e.world(t)
	for i, h := range []retention.Hold{
		{ID: "h-s", Subject: "s-1"},
		{ID: "h-c", Subject: "s-1", Case: "c-1"},
		{ID: "h-r", Subject: "s-1", Records: []privacy.RecordID{"n-1"}},
	} {
		h.Ground, h.Reason = retention.GroundLegalObligation, "order "+string(h.ID)
		if _, err := e.r.PlaceHold(e.ctx, officer, h, notDue); err != nil {
			t.Fatalf("PlaceHold(%s): %v", h.ID, err)
		}
		p := e.proofFor(t, "n-1")
		err := e.s.EraseRecord(e.ctx, p, privacy.Event{Time: justDue, Principal: sweeper.ID, Role: sweeper.Role,
			Action: privacy.EventDelete, Outcome: privacy.OutcomeAllowed, Rule: privacy.O12, Object: "n-1"})
		if !errors.Is(err, privacy.ErrForbidden) || privacy.RuleOf(err) != privacy.G3 {
			t.Errorf("EraseRecord under hold %s: %v, want ErrForbidden by G3", h.ID, err)
		}
		e.wantPresent(t, "n-1")
		if _, err := e.s.Proof(e.ctx, "n-1"); !errors.Is(err, privacy.ErrNotFound) {
			t.Errorf("a refused deletion left a proof: %v", err)
		}
		rep, err := e.r.Sweep(e.ctx, sweeper, justDue)
		if err != nil {
			t.Fatalf("Sweep: %v", err)
		}
		e.wantPresent(t, "n-1")
		if i == 0 && (rep.Erased != 0 || rep.Held != 2) {
			t.Errorf("Sweep under a subject hold = %+v, want 0 erased, 2 held", rep)
		}
		if err := e.r.LiftHold(e.ctx, officer, h.ID, "released", notDue); err != nil {
			t.Fatalf("LiftHold(%s): %v", h.ID, err)
		}
	}
}

// testHoldNotBehind: a hold is not placed behind a deletion or a change
// in its scope (rule G3, as a case is not closed behind its records, R4):
// a hold and a sweep or a change that run at once, the hold's time taken
// first and the other stored first, would otherwise leave a proof of
// deletion or a record dated under the standing hold. The store refuses
// it with ErrConflict and stores nothing; placed again at a later time,
// it stands.
func testHoldNotBehind(t *testing.T, e *env) {
	e.world(t)
	ev := privacy.Event{Time: justDue, Principal: sweeper.ID, Role: sweeper.Role,
		Action: privacy.EventDelete, Outcome: privacy.OutcomeAllowed, Rule: privacy.O12, Object: "n-1"}
	if err := e.s.EraseRecord(e.ctx, e.proofFor(t, "n-1"), ev); err != nil {
		t.Fatalf("EraseRecord: %v", err)
	}
	h := retention.Hold{ID: "h-behind", Subject: "s-1", Case: "c-1", Ground: retention.GroundLegalClaim, Reason: "claim"}
	_, err := e.r.PlaceHold(e.ctx, officer, h, notDue)
	if !errors.Is(err, privacy.ErrConflict) || privacy.RuleOf(err) != privacy.G3 {
		t.Errorf("PlaceHold behind a deletion in its scope: %v, want ErrConflict by G3", err)
	}
	if _, err := e.s.Hold(e.ctx, h.ID); !errors.Is(err, privacy.ErrNotFound) {
		t.Errorf("a refused hold was stored: %v", err)
	}
	// A hold of another case is not behind that deletion.
	e.openCase(t, "c-2", "s-1", t0)
	e.add(t, rec("n-3", "c-2", privacy.CategoryNotes, t0))
	r := rec("n-3", "c-2", privacy.CategoryNotes, t0)
	r.Subject, r.Purpose, r.Fields[privacy.FieldText] = "s-1", privacy.PurposeAbsenceGuidance, "rectified"
	if err := e.d.UpdateRecord(e.ctx, act(justDue), r); err != nil {
		t.Fatalf("UpdateRecord: %v", err)
	}
	h2 := retention.Hold{ID: "h-c2", Subject: "s-1", Case: "c-2", Ground: retention.GroundLegalClaim, Reason: "claim"}
	_, err = e.r.PlaceHold(e.ctx, officer, h2, notDue)
	if !errors.Is(err, privacy.ErrConflict) || privacy.RuleOf(err) != privacy.G3 {
		t.Errorf("PlaceHold behind a change in its scope: %v, want ErrConflict by G3", err)
	}
	for _, h := range []retention.Hold{h, h2} {
		if _, err := e.r.PlaceHold(e.ctx, officer, h, justDue.Add(time.Second)); err != nil {
			t.Errorf("PlaceHold(%s) after the deletion and the change: %v", h.ID, err)
		}
	}
}

// proofFor builds the proof a sweep at justDue would write for record id.
func (e *env) proofFor(t *testing.T, id privacy.RecordID) retention.Proof {
	t.Helper()
	d, err := e.s.Dossier(e.ctx, "s-1")
	if err != nil {
		t.Fatalf("Dossier: %v", err)
	}
	for _, cf := range d.Cases {
		for _, en := range cf.Records {
			if en.ID == id {
				return retention.Proof{Record: id, Medical: en.Medical, Case: cf.Case.ID, CaseKind: cf.Case.Kind, Subject: "s-1",
					Category: en.Category, Updated: en.Updated, Deleted: justDue, Rule: privacy.O12, Reason: retention.ReasonMaximum,
					Policy: "test", By: sweeper.ID}
			}
		}
	}
	t.Fatalf("record %s not in the dossier", id)
	return retention.Proof{}
}

func testHoldDuringSweep(t *testing.T, e *env) {
	// A hold placed between the schedule and the deletion: the store's
	// check under its lock keeps the record (G3).
	e.world(t)
	var r *retention.Keeper
	placed := false
	hook := retention.RecipientsFunc(func(ctx context.Context, _ []retention.Schedule) (map[privacy.RecordID][]retention.Recipient, error) {
		if !placed {
			placed = true
			if _, err := r.PlaceHold(ctx, officer, retention.Hold{ID: "h-late", Subject: "s-1", Case: "c-1",
				Ground: retention.GroundLegalClaim, Reason: "claim filed during the sweep"}, justDue); err != nil {
				return nil, err
			}
		}
		return nil, nil
	})
	r, err := retention.New(e.rs, privacy.Strict(), &retention.Options{Recipients: hook, Workers: e.workers})
	if err != nil {
		t.Fatal(err)
	}
	rep, err := r.Sweep(e.ctx, sweeper, justDue)
	if err != nil {
		t.Fatalf("Sweep: %v", err)
	}
	if rep.Due != 2 || rep.Erased != 0 || rep.Held != 2 {
		t.Errorf("Sweep with a hold placed mid-sweep = %+v, want 2 due, 0 erased, 2 held", rep)
	}
	e.wantPresent(t, "n-1", "n-2")
}

// heldDossier creates subject p with case p-ca (notes p-n1 and p-n2,
// medical p-m1) and case p-cb (note p-n3, medical p-m2), and returns what
// it created: the cases and the records by case.
func (e *env) heldDossier(t *testing.T, p string) map[privacy.CaseID][]privacy.RecordID {
	t.Helper()
	sid := privacy.SubjectID(p)
	e.subject(t, sid)
	files := map[privacy.CaseID][]privacy.RecordID{}
	for _, c := range []struct {
		id      string
		notes   []string
		medical string
	}{{"ca", []string{"n1", "n2"}, "m1"}, {"cb", []string{"n3"}, "m2"}} {
		cid := privacy.CaseID(p + "-" + c.id)
		e.openCase(t, cid, sid, t0)
		for _, n := range c.notes {
			e.add(t, rec(privacy.RecordID(p+"-"+n), cid, privacy.CategoryNotes, t0))
			files[cid] = append(files[cid], privacy.RecordID(p+"-"+n))
		}
		e.add(t, rec(privacy.RecordID(p+"-"+c.medical), cid, privacy.CategoryMedical, t0))
		files[cid] = append(files[cid], privacy.RecordID(p+"-"+c.medical))
	}
	return files
}

// directDelete runs one direct deletion through privacy.Dossiers, as a
// user would: "r:x" deletes record p-x from whichever file holds it, "c:x"
// case p-x, "s:" subject p.
func (e *env) directDelete(p, what string) error {
	kind, id, _ := strings.Cut(what, ":")
	switch kind {
	case "r":
		return e.d.DeleteRecord(e.ctx, act(notDue), privacy.RecordID(p+"-"+id))
	case "c":
		return e.d.DeleteCase(e.ctx, act(notDue), privacy.CaseID(p+"-"+id))
	default:
		return e.d.DeleteSubject(e.ctx, act(notDue), privacy.SubjectID(p))
	}
}

func wantHeld(t *testing.T, what string, err error) {
	t.Helper()
	if !errors.Is(err, privacy.ErrForbidden) || privacy.RuleOf(err) != privacy.G3 {
		t.Errorf("%s: err = %v, want ErrForbidden by rule G3", what, err)
	}
}

func testDirectDeleteHeld(t *testing.T, e *env) {
	// Rule G3: a held record is never deleted, not even by going around
	// package retention. A standing hold of another subject changes
	// nothing for these.
	e.subject(t, "other")
	if _, err := e.r.PlaceHold(e.ctx, officer, retention.Hold{ID: "h-other", Subject: "other",
		Ground: retention.GroundLegalObligation, Reason: "order 1"}, notDue); err != nil {
		t.Fatalf("PlaceHold(h-other): %v", err)
	}
	for _, tc := range []struct {
		p       string // the subject, and the prefix of its cases' and records' IDs
		c       string // the hold's case, if any
		records []string
		// refused are the deletions the hold refuses; allowed are
		// deletions of data it does not cover, run after them.
		refused, allowed []string
	}{
		{p: "subject", refused: []string{"r:n1", "r:m1", "r:n3", "r:m2", "c:ca", "c:cb", "s:"}},
		{p: "case", c: "ca", refused: []string{"r:n1", "r:m1", "c:ca", "s:"}, allowed: []string{"r:n3", "r:m2", "c:cb"}},
		{p: "record", records: []string{"n1"}, refused: []string{"r:n1", "c:ca", "s:"}, allowed: []string{"r:n2", "r:m1", "c:cb"}},
		{p: "medical", c: "ca", records: []string{"m1"}, refused: []string{"r:m1", "c:ca", "s:"},
			allowed: []string{"r:n1", "r:n2", "r:n3"}},
	} {
		t.Run(tc.p, func(t *testing.T) { e.directDeleteHeld(t, tc.p, tc.c, tc.records, tc.refused, tc.allowed) })
	}
	if _, err := e.ps.Subject(e.ctx, "other"); err != nil {
		t.Errorf("Subject(other): %v", err)
	}
}

// rectify rectifies record id as the clerk at at, giving it content
// (empty content is what overwriting held data would look like).
func (e *env) rectify(id privacy.RecordID, content string, at time.Time) error {
	r, err := e.ps.Record(e.ctx, id)
	if errors.Is(err, privacy.ErrNotFound) {
		r, err = e.ps.MedicalRecord(e.ctx, id)
	}
	if err != nil {
		return err
	}
	for f := range r.Fields {
		r.Fields[f] = content
	}
	return e.d.UpdateRecord(e.ctx, act(at), r)
}

// content returns the text of record id, from either file.
func (e *env) content(t *testing.T, id privacy.RecordID) string {
	t.Helper()
	r, err := e.ps.Record(e.ctx, id)
	if errors.Is(err, privacy.ErrNotFound) {
		r, err = e.ps.MedicalRecord(e.ctx, id)
	}
	if err != nil {
		t.Fatalf("read %s: %v", id, err)
	}
	for _, v := range r.Fields {
		return v
	}
	return ""
}

func testUpdateRefusedWhileHeld(t *testing.T, e *env) {
	// Rule G3: held data stays as it was. A record a standing hold covers
	// is not rectified, medical ones included, not even to empty content;
	// a case or subject whose whole data a hold keeps does not change,
	// except by the facts that add to it and alter nothing (closing, the
	// end of employment). Refused, not versioned: GDPR art. 17(3)(e) keeps
	// the data as it stood for the claim. Lifted, the hold lets all pass.
	e.subject(t, "s-1")
	e.openCase(t, "c-1", "s-1", t0)
	e.openCase(t, "c-2", "s-1", t0)
	e.add(t, rec("n-1", "c-1", privacy.CategoryNotes, t0), rec("n-2", "c-1", privacy.CategoryNotes, t0),
		rec("m-1", "c-1", privacy.CategoryMedical, t0), rec("n-3", "c-2", privacy.CategoryNotes, t0))
	clock := t0
	next := func() time.Time { clock = clock.Add(time.Hour); return clock }
	place := func(h retention.Hold) {
		t.Helper()
		h.Subject, h.Ground, h.Reason = "s-1", retention.GroundLegalClaim, "claim "+string(h.ID)
		if _, err := e.r.PlaceHold(e.ctx, officer, h, notDue); err != nil {
			t.Fatalf("PlaceHold(%s): %v", h.ID, err)
		}
	}
	lift := func(id retention.HoldID) {
		t.Helper()
		if err := e.r.LiftHold(e.ctx, officer, id, "released", notDue); err != nil {
			t.Fatalf("LiftHold(%s): %v", id, err)
		}
	}
	refused := func(what string, err error, ids ...privacy.RecordID) {
		t.Helper()
		wantHeld(t, what, err)
		for _, id := range ids {
			if got := e.content(t, id); got != "content of "+string(id) {
				t.Errorf("%s: record %s holds %q after the refusal", what, id, got)
			}
		}
	}
	allowed := func(what string, err error) {
		t.Helper()
		if err != nil {
			t.Errorf("%s, which no standing hold keeps: %v", what, err)
		}
	}

	// A hold of records.
	place(retention.Hold{ID: "h-records", Records: []privacy.RecordID{"n-1", "m-1"}})
	refused("rectify held n-1 to empty content", e.rectify("n-1", "", next()), "n-1")
	refused("rectify held medical m-1", e.rectify("m-1", "rewritten", next()), "m-1")
	r, _ := e.ps.Record(e.ctx, "n-1")
	r.Fields = map[privacy.Field]string{privacy.FieldText: ""}
	r.Updated = next()
	refused("Store.UpdateRecord of held n-1", e.ps.UpdateRecord(e.ctx, r, []privacy.Event{sweepEvent("n-1")}), "n-1")
	m, _ := e.ps.MedicalRecord(e.ctx, "m-1")
	m.Fields = map[privacy.Field]string{privacy.FieldText: ""}
	m.Updated = next()
	refused("Store.UpdateMedicalRecord of held m-1", e.ps.UpdateMedicalRecord(e.ctx, m, []privacy.Event{sweepEvent("m-1")}), "m-1")
	allowed("rectify n-2", e.rectify("n-2", "rectified", next()))
	lift("h-records")
	allowed("rectify n-1 after the hold was lifted", e.rectify("n-1", "rectified", next()))

	// A hold of case c-1.
	place(retention.Hold{ID: "h-case", Case: "c-1"})
	refused("rectify n-2 of held case c-1", e.rectify("n-2", "", next()))
	refused("rectify medical m-1 of held case c-1", e.rectify("m-1", "", next()), "m-1")
	allowed("rectify n-3 of case c-2", e.rectify("n-3", "rectified", next()))
	c, _ := e.ps.Case(e.ctx, "c-1")
	changed := c
	changed.Purpose = privacy.PurposePrevention
	wantHeld(t, "Store.UpdateCase changing held case c-1", e.ps.UpdateCase(e.ctx, changed, []privacy.Event{sweepEvent("c-1")}))
	allowed("close held case c-1", e.d.CloseCase(e.ctx, act(next()), "c-1"))
	c, _ = e.ps.Case(e.ctx, "c-1")
	reopened := c
	reopened.Closed = time.Time{}
	wantHeld(t, "Store.UpdateCase reopening held case c-1", e.ps.UpdateCase(e.ctx, reopened, []privacy.Event{sweepEvent("c-1")}))
	if got, _ := e.ps.Case(e.ctx, "c-1"); got.IsOpen() || got.Purpose != c.Purpose {
		t.Errorf("held case c-1 changed: %+v", got)
	}
	lift("h-case")

	// A hold of the subject's whole data.
	place(retention.Hold{ID: "h-subject"})
	refused("rectify n-3 of a held subject", e.rectify("n-3", "", next()))
	sub, _ := e.ps.Subject(e.ctx, "s-1")
	other := sub
	other.Employer = "employer-2"
	wantHeld(t, "Store.UpdateSubject changing a held subject", e.ps.UpdateSubject(e.ctx, other, []privacy.Event{sweepEvent("s-1")}))
	ended := next()
	allowed("record the end of employment of a held subject", e.d.EndEmployment(e.ctx, act(ended), "s-1", ended))
	wantHeld(t, "change the end of employment of a held subject", e.d.EndEmployment(e.ctx, act(next()), "s-1", clock))
	if got, _ := e.ps.Subject(e.ctx, "s-1"); got.Employer != sub.Employer || !got.EmploymentEnded.Equal(ended) {
		t.Errorf("held subject s-1 changed: %+v", got)
	}
	lift("h-subject")
	allowed("rectify n-3 after the hold was lifted", e.rectify("n-3", "rectified", next()))
}

func testHoldRacesUpdate(t *testing.T, e *env) {
	// Rule G3 under a race: a hold of record r-i is placed while r-i is
	// rectified (a medical record for odd i). Either the rectification
	// comes first, its audit event before the hold's, or the hold does and
	// the rectification is refused, the record as it was; never a change
	// of a record a hold already kept.
	const n = 16
	e.subject(t, "s-1")
	e.openCase(t, "c-1", "s-1", t0)
	for i := range n {
		cat := privacy.CategoryNotes
		if i%2 == 1 {
			cat = privacy.CategoryMedical
		}
		e.add(t, rec(privacy.RecordID(fmt.Sprintf("r-%d", i)), "c-1", cat, t0))
	}
	holdErrs, updErrs := make([]error, n), make([]error, n)
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i := range n {
		id := privacy.RecordID(fmt.Sprintf("r-%d", i))
		h := retention.Hold{ID: retention.HoldID(fmt.Sprintf("h-%d", i)), Subject: "s-1", Records: []privacy.RecordID{id},
			Ground: retention.GroundLegalClaim, Reason: "claim filed during the rectification"}
		wg.Add(2)
		go func() {
			defer wg.Done()
			<-start
			_, holdErrs[i] = e.r.PlaceHold(e.ctx, officer, h, notDue)
		}()
		go func() {
			defer wg.Done()
			<-start
			updErrs[i] = e.rectify(id, "", t0.Add(time.Hour))
		}()
	}
	close(start)
	wg.Wait()
	events, haveLog := e.events(t)
	seqOf := func(action privacy.EventAction, object string) uint64 {
		for _, ev := range events {
			if ev.Action == action && ev.Object == object {
				return ev.Seq
			}
		}
		return 0
	}
	for i := range n {
		id := privacy.RecordID(fmt.Sprintf("r-%d", i))
		if holdErrs[i] != nil {
			t.Errorf("PlaceHold(h-%d): %v", i, holdErrs[i])
			continue
		}
		got := e.content(t, id)
		switch err := updErrs[i]; {
		case err != nil:
			wantHeld(t, fmt.Sprintf("rectification of %s racing its hold", id), err)
			if got != "content of "+string(id) {
				t.Errorf("the refused rectification of %s changed it to %q", id, got)
			}
		case got != "":
			t.Errorf("the rectification of %s succeeded but it holds %q", id, got)
		case haveLog:
			upd, held := seqOf(privacy.EventUpdate, string(id)), seqOf(privacy.EventCreate, fmt.Sprintf("hold:h-%d", i))
			if upd == 0 || held == 0 || upd > held {
				t.Errorf("G3: record %s was rectified (event %d) after hold h-%d was placed (event %d)", id, upd, i, held)
			}
		}
	}
}

// directDeleteHeld places a hold on subject p's dossier (heldDossier) of
// case c (if set) and records (if set), checks that it refuses each
// deletion of refused and changes nothing, runs those of allowed, and
// lifts the hold: then the deletions it refused go through.
func (e *env) directDeleteHeld(t *testing.T, p, c string, records, refused, allowed []string) {
	files := e.heldDossier(t, p)
	h := retention.Hold{ID: retention.HoldID("h-" + p), Subject: privacy.SubjectID(p),
		Ground: retention.GroundLegalClaim, Reason: "claim " + p}
	if c != "" {
		h.Case = privacy.CaseID(p + "-" + c)
	}
	for _, r := range records {
		h.Records = append(h.Records, privacy.RecordID(p+"-"+r))
	}
	if _, err := e.r.PlaceHold(e.ctx, officer, h, notDue); err != nil {
		t.Fatalf("PlaceHold(%s): %v", h.ID, err)
	}
	for _, what := range refused {
		wantHeld(t, fmt.Sprintf("delete %s under hold %s", what, h.ID), e.directDelete(p, what))
	}
	// Nothing changed: the subject, its cases and every record.
	if _, err := e.ps.Subject(e.ctx, h.Subject); err != nil {
		t.Errorf("Subject(%s) after refused deletions: %v", h.Subject, err)
	}
	for cid, ids := range files {
		if _, err := e.ps.Case(e.ctx, cid); err != nil {
			t.Errorf("Case(%s) after refused deletions: %v", cid, err)
		}
		e.wantPresent(t, ids...)
	}
	if t.Failed() {
		return // what follows would only repeat it
	}
	for _, what := range allowed {
		if err := e.directDelete(p, what); err != nil {
			t.Errorf("delete %s, which hold %s does not cover: %v", what, h.ID, err)
		}
	}
	// G3: after the hold is lifted, the same deletions go through.
	if err := e.r.LiftHold(e.ctx, officer, h.ID, "released", notDue); err != nil {
		t.Fatalf("LiftHold(%s): %v", h.ID, err)
	}
	for _, what := range refused {
		if err := e.directDelete(p, what); err != nil {
			t.Errorf("delete %s after hold %s was lifted: %v", what, h.ID, err)
		}
	}
	if _, err := e.ps.Subject(e.ctx, h.Subject); !errors.Is(err, privacy.ErrNotFound) {
		t.Errorf("Subject(%s) after its deletion: %v, want ErrNotFound", h.Subject, err)
	}
	for _, ids := range files {
		for _, id := range ids {
			if e.exists(id) {
				t.Errorf("record %s is still there after its subject was deleted", id)
			}
		}
	}
}

func testHoldRacesDirectDelete(t *testing.T, e *env) {
	// Rule G3 under a race: a hold placed while a direct deletion runs.
	// Subject s-i has case c-i with a note and a medical record. By i mod
	// 3, a hold of the whole subject races DeleteSubject, a hold of the
	// whole subject races DeleteCase, or a hold of the case races
	// DeleteCase. Either the deletion comes first (the hold finds no
	// subject, or its case gone) or the hold does (the deletion is
	// refused); never a standing hold whose data is gone.
	const n = 18
	for i := range n {
		sid, cid := privacy.SubjectID(fmt.Sprintf("s-%d", i)), privacy.CaseID(fmt.Sprintf("c-%d", i))
		e.subject(t, sid)
		e.openCase(t, cid, sid, t0)
		e.add(t, rec(privacy.RecordID(fmt.Sprintf("n-%d", i)), cid, privacy.CategoryNotes, t0),
			rec(privacy.RecordID(fmt.Sprintf("m-%d", i)), cid, privacy.CategoryMedical, t0))
	}
	holdErrs, delErrs := make([]error, n), make([]error, n)
	// seen: the case still existed after the hold was placed.
	seen := make([]bool, n)
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i := range n {
		sid, cid := privacy.SubjectID(fmt.Sprintf("s-%d", i)), privacy.CaseID(fmt.Sprintf("c-%d", i))
		h := retention.Hold{ID: retention.HoldID(fmt.Sprintf("h-%d", i)), Subject: sid,
			Ground: retention.GroundLegalClaim, Reason: "claim filed during the deletion"}
		if i%3 == 2 {
			h.Case = cid
		}
		wg.Add(2)
		go func() {
			defer wg.Done()
			<-start
			if _, holdErrs[i] = e.r.PlaceHold(e.ctx, officer, h, notDue); holdErrs[i] == nil {
				_, err := e.ps.Case(e.ctx, cid)
				seen[i] = err == nil
			}
		}()
		go func() {
			defer wg.Done()
			<-start
			if i%3 == 0 {
				delErrs[i] = e.d.DeleteSubject(e.ctx, act(notDue), sid)
			} else {
				delErrs[i] = e.d.DeleteCase(e.ctx, act(notDue), cid)
			}
		}()
	}
	close(start)
	wg.Wait()
	for i := range n {
		holdErr, delErr := holdErrs[i], delErrs[i]
		cid := privacy.CaseID(fmt.Sprintf("c-%d", i))
		if holdErr != nil && !errors.Is(holdErr, privacy.ErrNotFound) {
			t.Errorf("PlaceHold(h-%d): %v", i, holdErr)
		}
		if delErr != nil {
			wantHeld(t, fmt.Sprintf("deletion %d", i), delErr)
		}
		_, caseErr := e.ps.Case(e.ctx, cid)
		switch {
		case delErr == nil && caseErr == nil:
			t.Errorf("deletion %d succeeded but case %s is still there", i, cid)
		case delErr != nil && caseErr != nil:
			t.Errorf("deletion %d was refused but case %s is gone: %v", i, cid, caseErr)
		case delErr != nil && holdErr != nil:
			t.Errorf("deletion %d was refused without a hold (PlaceHold: %v)", i, holdErr)
		case delErr == nil && holdErr == nil && (i%3 == 0 || seen[i]):
			t.Errorf("hold h-%d stands but the data it was placed on is gone (G3)", i)
		}
		if delErr != nil {
			e.wantPresent(t, privacy.RecordID(fmt.Sprintf("n-%d", i)), privacy.RecordID(fmt.Sprintf("m-%d", i)))
		}
	}
}

func testEraseRecordChecks(t *testing.T, e *env) {
	e.world(t)
	ev := privacy.Event{Time: justDue, Principal: sweeper.ID, Role: sweeper.Role, Action: privacy.EventDelete,
		Outcome: privacy.OutcomeAllowed, Rule: privacy.O12}
	p := e.proofFor(t, "n-1")
	bad := p
	bad.Updated = p.Updated.Add(time.Second)
	wantKind(t, "EraseRecord(other version)", e.s.EraseRecord(e.ctx, bad, ev), privacy.ErrConflict)
	bad = p
	bad.Case = "c-9"
	wantKind(t, "EraseRecord(other case)", e.s.EraseRecord(e.ctx, bad, ev), privacy.ErrConflict)
	bad = p
	bad.Medical = true
	wantKind(t, "EraseRecord(wrong file)", e.s.EraseRecord(e.ctx, bad, ev), privacy.ErrNotFound)
	bad = p
	bad.Record = "zz"
	wantKind(t, "EraseRecord(missing)", e.s.EraseRecord(e.ctx, bad, ev), privacy.ErrNotFound)
	e.wantPresent(t, "n-1")
	// Every field of the proof comes back as it went in.
	p.Citation, p.Recipients = "Besluit SUWI art. 2.4", []retention.Recipient{{Kind: privacy.PartyUWV}, {Kind: privacy.PartyInsurer, Party: "insurer-1"}}
	p.Due, _ = calendar.NewDate(2027, time.March, 2)
	p.Erasure, p.Reason, p.Rule = "e-1", retention.ReasonErasure, privacy.R9
	wantFull(t, "proof", p, "Medical")
	if err := e.s.EraseRecord(e.ctx, p, ev); err != nil {
		t.Fatalf("EraseRecord: %v", err)
	}
	if got, err := e.s.Proof(e.ctx, "n-1"); err != nil {
		t.Errorf("Proof: %v", err)
	} else {
		wantSame(t, "Proof", p, got)
	}
	if got, err := e.s.Proofs(e.ctx, "s-1"); err != nil {
		t.Errorf("Proofs: %v", err)
	} else {
		wantSame(t, "Proofs", []retention.Proof{p}, got)
	}
	wantKind(t, "EraseRecord(twice)", e.s.EraseRecord(e.ctx, p, ev), privacy.ErrExists)
	_, err := e.s.Proof(e.ctx, "zz")
	wantKind(t, "Proof(missing)", err, privacy.ErrNotFound)
	if ps, err := e.s.Proofs(e.ctx, "nobody"); err != nil || len(ps) != 0 {
		t.Errorf("Proofs(nobody) = %v, %v; want none", ps, err)
	}
}

func testIdempotent(t *testing.T, e *env) {
	e.world(t)
	if _, err := e.r.Sweep(e.ctx, sweeper, justDue); err != nil {
		t.Fatal(err)
	}
	rep, err := e.r.Sweep(e.ctx, sweeper, justDue)
	if err != nil || rep.Erased != 0 || rep.Due != 0 {
		t.Errorf("second Sweep = %+v, %v; want nothing due or erased", rep, err)
	}
	proofs, _ := e.r.Proofs(e.ctx, "s-1")
	if len(proofs) != 2 {
		t.Errorf("%d proofs after two sweeps, want 2", len(proofs))
	}
}

func testRecipients(t *testing.T, e *env) {
	e.world(t)
	insurer := retention.Recipient{Kind: privacy.PartyInsurer, Party: "insurer-1"}
	uwv := retention.Recipient{Kind: privacy.PartyUWV}
	log := retention.RecipientsFunc(func(context.Context, []retention.Schedule) (map[privacy.RecordID][]retention.Recipient, error) {
		return map[privacy.RecordID][]retention.Recipient{"n-1": {insurer, uwv}, "n-2": {uwv}, "f-1": {uwv}}, nil
	})
	// A batch a record: with workers, the notices of batches deleted at
	// once are merged in the order the batches were handed over.
	r, err := retention.New(e.rs, privacy.Strict(), &retention.Options{Recipients: log, BatchSize: 1, Workers: e.workers})
	if err != nil {
		t.Fatal(err)
	}
	rep, err := r.Sweep(e.ctx, sweeper, justDue)
	if err != nil {
		t.Fatalf("Sweep: %v", err)
	}
	// Rule G4: each recipient of an erased record is listed, with exactly
	// the erased records it received (f-1 stays, so it is not listed).
	want := fmt.Sprint([]retention.Notice{{Recipient: insurer, Records: []privacy.RecordID{"n-1"}},
		{Recipient: uwv, Records: []privacy.RecordID{"n-1", "n-2"}}})
	if got := fmt.Sprint(rep.Notices); got != want {
		t.Errorf("Notices = %s, want %s", got, want)
	}
	p, _ := e.s.Proof(e.ctx, "n-1")
	if !slices.Equal(p.Recipients, []retention.Recipient{insurer, uwv}) {
		t.Errorf("Proof(n-1).Recipients = %v, want [insurer uwv]", p.Recipients)
	}
	// A failing disclosure log stops the sweep before anything is deleted:
	// n-3 of another subject's case, closed when c-1 closed, is due.
	e.subject(t, "s-2")
	e.openCase(t, "c-3", "s-2", t0)
	e.add(t, rec("n-3", "c-3", privacy.CategoryNotes, closed.Add(-time.Hour)))
	if err := e.d.CloseCase(e.ctx, act(closed), "c-3"); err != nil {
		t.Fatalf("CloseCase(c-3): %v", err)
	}
	failing := retention.RecipientsFunc(func(context.Context, []retention.Schedule) (map[privacy.RecordID][]retention.Recipient, error) {
		return nil, errors.New("log down")
	})
	r2, _ := retention.New(e.rs, privacy.Strict(), &retention.Options{Recipients: failing})
	_, err = r2.Sweep(e.ctx, sweeper, justDue)
	if err == nil || privacy.RuleOf(err) != privacy.G4 {
		t.Errorf("Sweep with a failing log: %v, want an error naming G4", err)
	}
	e.wantPresent(t, "n-3")
}

func testCopySemantics(t *testing.T, e *env) {
	e.world(t)
	if _, err := e.r.PlaceHold(e.ctx, officer, retention.Hold{ID: "h-1", Subject: "s-1", Records: []privacy.RecordID{"f-1"},
		Ground: retention.GroundLegalClaim, Reason: "x"}, notDue); err != nil {
		t.Fatal(err)
	}
	h, _ := e.r.Hold(e.ctx, "h-1")
	h.Records[0] = "n-1"
	h2, _ := e.r.Hold(e.ctx, "h-1")
	if h2.Records[0] != "f-1" {
		t.Error("changing a returned hold changed the store")
	}
	d, _ := e.s.Dossier(e.ctx, "s-1")
	d.Holds[0].Records[0] = "n-1"
	d.Cases[0].Records[0].ID = "zz"
	d2, _ := e.s.Dossier(e.ctx, "s-1")
	if d2.Holds[0].Records[0] != "f-1" || d2.Cases[0].Records[0].ID == "zz" {
		t.Error("changing a returned dossier changed the store")
	}
	p := e.proofFor(t, "n-1")
	p.Recipients = []retention.Recipient{{Kind: privacy.PartyUWV}}
	if err := e.s.EraseRecord(e.ctx, p, privacy.Event{Time: justDue, Principal: sweeper.ID, Role: sweeper.Role,
		Action: privacy.EventDelete, Outcome: privacy.OutcomeAllowed, Rule: privacy.O12}); err != nil {
		t.Fatal(err)
	}
	p.Recipients[0].Kind = privacy.PartyInsurer
	got, _ := e.s.Proof(e.ctx, "n-1")
	got.Recipients[0].Kind = privacy.PartyCourt
	again, _ := e.s.Proof(e.ctx, "n-1")
	if again.Recipients[0].Kind != privacy.PartyUWV {
		t.Error("changing a proof given or returned changed the store")
	}
}

func testAtomicFault(t *testing.T, e *env) {
	fi, ok := e.s.(privacytest.FaultInjector)
	if !ok {
		t.Skip("the adapter does not implement privacytest.FaultInjector")
	}
	e.world(t)
	before, _ := e.events(t)
	ev := privacy.Event{Time: justDue, Principal: sweeper.ID, Role: sweeper.Role, Action: privacy.EventDelete,
		Outcome: privacy.OutcomeAllowed, Rule: privacy.O12, Object: "n-1"}
	for n := range 3 {
		fi.FailAfter(n)
		wantKind(t, fmt.Sprintf("EraseRecord(fault after %d rows)", n), e.s.EraseRecord(e.ctx, e.proofFor(t, "n-1"), ev), privacy.ErrUnavailable)
		e.wantPresent(t, "n-1")
		if _, err := e.s.Proof(e.ctx, "n-1"); !errors.Is(err, privacy.ErrNotFound) {
			t.Errorf("a failed EraseRecord left a proof (fault after %d rows)", n)
		}
		fi.FailAfter(-1)
	}
	// A hold is one row and one audit event.
	for n := range 2 {
		fi.FailAfter(n)
		_, err := e.r.PlaceHold(e.ctx, officer, retention.Hold{ID: "h-1", Subject: "s-1", Ground: retention.GroundLegalClaim, Reason: "x"}, notDue)
		wantKind(t, fmt.Sprintf("PlaceHold(fault after %d rows)", n), err, privacy.ErrUnavailable)
		if _, err := e.r.Hold(e.ctx, "h-1"); !errors.Is(err, privacy.ErrNotFound) {
			t.Errorf("a failed PlaceHold left the hold (fault after %d rows)", n)
		}
		fi.FailAfter(-1)
	}
	if after, ok := e.events(t); ok && len(after) != len(before) {
		t.Errorf("failed operations appended %d audit events", len(after)-len(before))
	}
	if err := e.s.EraseRecord(e.ctx, e.proofFor(t, "n-1"), ev); err != nil {
		t.Fatalf("EraseRecord after disarming: %v", err)
	}
	e.wantErased(t, "n-1")
}

func testConcurrent(t *testing.T, e *env) {
	const cases, perCase = 6, 20
	e.subject(t, "s-1")
	for c := range cases {
		cid := privacy.CaseID(fmt.Sprintf("c-%d", c))
		e.openCase(t, cid, "s-1", t0)
		for i := range perCase {
			e.add(t, rec(privacy.RecordID(fmt.Sprintf("r-%d-%d", c, i)), cid, privacy.CategoryNotes, t0))
		}
		if err := e.d.CloseCase(e.ctx, act(closed), cid); err != nil {
			t.Fatal(err)
		}
	}
	// An open case keeps the subject (rules R9, O12: a sweep removes a
	// subject only once nothing of it is kept), so that the hold below
	// always finds it.
	e.openCase(t, "c-open", "s-1", t0)
	// Two sweeps race each other and a hold on case c-0.
	var wg sync.WaitGroup
	errs := make(chan error, 3)
	for range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := e.r.Sweep(e.ctx, sweeper, justDue); err != nil {
				errs <- err
			}
		}()
	}
	wg.Add(1)
	var unplaced error
	go func() {
		defer wg.Done()
		if _, err := e.r.PlaceHold(e.ctx, officer, retention.Hold{ID: "h-1", Subject: "s-1", Case: "c-0",
			Ground: retention.GroundLegalClaim, Reason: "x"}, justDue); err != nil {
			// A sweep that removes every kind of stored data may have
			// removed case c-0 (or the subject) before the hold came:
			// then there is nothing left to hold, and the hold is not
			// found.
			if errors.Is(err, privacy.ErrNotFound) {
				unplaced = err
				return
			}
			errs <- err
		}
	}()
	wg.Wait()
	close(errs)
	if unplaced != nil {
		if _, err := e.d.Case(e.ctx, "c-0"); !errors.Is(err, privacy.ErrNotFound) {
			t.Errorf("PlaceHold = %v, though case c-0 is still there (%v)", unplaced, err)
		}
	}
	for err := range errs {
		t.Errorf("concurrent use: %v", err)
	}
	if _, err := e.r.Sweep(e.ctx, sweeper, justDue); err != nil {
		t.Fatal(err)
	}
	proofs, err := e.r.Proofs(e.ctx, "s-1")
	if err != nil {
		t.Fatal(err)
	}
	seen := map[privacy.RecordID]int{}
	for _, p := range proofs {
		seen[p.Record]++
	}
	for c := range cases {
		for i := range perCase {
			id := privacy.RecordID(fmt.Sprintf("r-%d-%d", c, i))
			switch {
			case seen[id] > 1:
				t.Errorf("record %s has %d proofs, want 1", id, seen[id])
			case seen[id] == 1 && e.exists(id):
				t.Errorf("record %s has a proof but exists", id)
			case seen[id] == 0 && (c != 0 || unplaced != nil || !e.exists(id)):
				t.Errorf("record %s: no proof, exists %t; only held records of c-0 may stay", id, e.exists(id))
			}
		}
	}
	// Rule G3: no record of c-0 was deleted after the hold was placed.
	if evs, ok := e.events(t); ok && unplaced == nil {
		holdSeq := uint64(0)
		for _, ev := range evs {
			if ev.Object == "hold:h-1" {
				holdSeq = ev.Seq
			}
		}
		for _, ev := range evs {
			if ev.Action == privacy.EventDelete && ev.Case == "c-0" && ev.Seq > holdSeq {
				t.Errorf("record %s of held case c-0 deleted after the hold (event %d > %d)", ev.Object, ev.Seq, holdSeq)
			}
		}
	}
}

// sweepEvent is the audit event of a deletion by the kit's sweeper.
func sweepEvent(id privacy.RecordID) privacy.Event {
	return privacy.Event{Time: justDue, Principal: sweeper.ID, Role: sweeper.Role, Action: privacy.EventDelete,
		Outcome: privacy.OutcomeAllowed, Rule: privacy.O12, Subject: "s-1", Case: "c-1", Object: string(id)}
}

func testBatchChecks(t *testing.T, e *env) {
	bs, ok := e.s.(retention.BatchStore)
	if !ok {
		t.Skip("the adapter does not implement retention.BatchStore")
	}
	e.world(t, rec("n-3", "c-1", privacy.CategoryNotes, t0), rec("n-4", "c-1", privacy.CategoryNotes, t0))
	// Rule G3: a hold on n-2 keeps it, whatever the batch says.
	if _, err := e.r.PlaceHold(e.ctx, officer, retention.Hold{ID: "h-1", Subject: "s-1", Records: []privacy.RecordID{"n-2"},
		Ground: retention.GroundLegalClaim, Reason: "x"}, notDue); err != nil {
		t.Fatal(err)
	}
	n1, n2, n3, n4, m1 := e.proofFor(t, "n-1"), e.proofFor(t, "n-2"), e.proofFor(t, "n-3"), e.proofFor(t, "n-4"), e.proofFor(t, "m-1")
	if err := e.s.EraseRecord(e.ctx, n4, sweepEvent("n-4")); err != nil {
		t.Fatalf("EraseRecord(n-4): %v", err)
	}
	missing := n1
	missing.Record = "zz"
	changed := n3
	changed.Updated = n3.Updated.Add(time.Second)
	before, _ := e.events(t)

	// Empty: nothing happens.
	if res, err := bs.EraseRecords(e.ctx, nil, nil); err != nil || len(res) != 0 {
		t.Errorf("EraseRecords(empty) = %v, %v; want no results", res, err)
	}
	// Malformed batches change nothing.
	_, err := bs.EraseRecords(e.ctx, []retention.Proof{n1, n1}, []privacy.Event{sweepEvent("n-1"), sweepEvent("n-1")})
	wantKind(t, "EraseRecords(a record twice)", err, privacy.ErrInvalid)
	_, err = bs.EraseRecords(e.ctx, []retention.Proof{n1}, nil)
	wantKind(t, "EraseRecords(no events)", err, privacy.ErrInvalid)
	e.wantPresent(t, "n-1")

	batch := []retention.Proof{n4, n1, missing, n2, changed, m1}
	evs := make([]privacy.Event, len(batch))
	for i, p := range batch {
		evs[i] = sweepEvent(p.Record)
	}
	res, err := bs.EraseRecords(e.ctx, batch, evs)
	if err != nil {
		t.Fatalf("EraseRecords: %v", err)
	}
	if len(res) != len(batch) {
		t.Fatalf("EraseRecords returned %d results for %d items", len(res), len(batch))
	}
	for i, want := range []error{privacy.ErrExists, nil, privacy.ErrNotFound, privacy.ErrForbidden, privacy.ErrConflict, nil} {
		switch {
		case want == nil && res[i] != nil:
			t.Errorf("EraseRecords item %d (%s): %v, want it erased", i, batch[i].Record, res[i])
		case want != nil && !errors.Is(res[i], want):
			t.Errorf("EraseRecords item %d (%s): %v, want %v", i, batch[i].Record, res[i], want)
		}
	}
	if privacy.RuleOf(res[3]) != privacy.G3 {
		t.Errorf("EraseRecords of held n-2: %v, want rule G3", res[3])
	}
	e.wantErased(t, "n-1", "m-1")
	e.wantPresent(t, "n-2", "n-3")
	if _, err := e.ps.MedicalRecord(e.ctx, "m-1"); !errors.Is(err, privacy.ErrNotFound) {
		t.Errorf("O6: medical m-1 after EraseRecords: %v, want ErrNotFound", err)
	}
	for _, id := range []privacy.RecordID{"n-2", "n-3"} {
		if _, err := e.s.Proof(e.ctx, id); !errors.Is(err, privacy.ErrNotFound) {
			t.Errorf("a refused item (%s) left a proof: %v", id, err)
		}
	}
	if after, ok := e.events(t); ok {
		var got []string
		for _, ev := range after[len(before):] {
			got = append(got, ev.Object)
		}
		if !slices.Equal(got, []string{"n-1", "m-1"}) {
			t.Errorf("EraseRecords appended events for %v, want [n-1 m-1] in item order (N9)", got)
		}
	}
	proofs, _ := e.s.Proofs(e.ctx, "s-1")
	var order []privacy.RecordID
	for _, p := range proofs {
		order = append(order, p.Record)
	}
	if !slices.Equal(order, []privacy.RecordID{"n-4", "n-1", "m-1"}) {
		t.Errorf("Proofs = %v, want [n-4 n-1 m-1] in the order stored", order)
	}
}

func testBatchAtomicFault(t *testing.T, e *env) {
	bs, ok := e.s.(retention.BatchStore)
	if !ok {
		t.Skip("the adapter does not implement retention.BatchStore")
	}
	fi, ok := e.s.(privacytest.FaultInjector)
	if !ok {
		t.Skip("the adapter does not implement privacytest.FaultInjector")
	}
	e.world(t)
	before, _ := e.events(t)
	batch := []retention.Proof{e.proofFor(t, "n-1"), e.proofFor(t, "n-2"), e.proofFor(t, "m-1")}
	evs := []privacy.Event{sweepEvent("n-1"), sweepEvent("n-2"), sweepEvent("m-1")}
	// Three deletions, three proofs, three events: a fault at any of the
	// nine row writes takes the whole batch back.
	for n := range 9 {
		fi.FailAfter(n)
		res, err := bs.EraseRecords(e.ctx, batch, evs)
		fi.FailAfter(-1)
		wantKind(t, fmt.Sprintf("EraseRecords(fault after %d rows)", n), err, privacy.ErrUnavailable)
		if res != nil {
			t.Errorf("EraseRecords(fault after %d rows) returned results %v with its error", n, res)
		}
		e.wantPresent(t, "n-1", "n-2", "m-1")
		for _, p := range batch {
			if _, err := e.s.Proof(e.ctx, p.Record); !errors.Is(err, privacy.ErrNotFound) {
				t.Errorf("a failed EraseRecords left a proof of %s (fault after %d rows)", p.Record, n)
			}
		}
	}
	if after, ok := e.events(t); ok && len(after) != len(before) {
		t.Errorf("failed batches appended %d audit events", len(after)-len(before))
	}
	res, err := bs.EraseRecords(e.ctx, batch, evs)
	if err != nil || len(res) != 3 || res[0] != nil || res[1] != nil || res[2] != nil {
		t.Fatalf("EraseRecords after disarming = %v, %v", res, err)
	}
	e.wantErased(t, "n-1", "n-2", "m-1")
}
