// Package privacytest is the conformance kit for [privacy.Store] adapters,
// in the spirit of testing/fstest.TestFS. An adapter runs it from its own
// test:
//
//	func TestConformance(t *testing.T) {
//		privacytest.Run(t, func(t *testing.T) privacy.Store { return mystore.New(t) })
//	}
//
// Every case runs on a fresh store in a named subtest, through the
// [privacy.Dossiers] users work with, and says which rule it checks. It
// covers round trips, listings and their order, closing cases, rectification,
// the separate medical file (O6), deletion (after a delete nothing of the
// object is reachable through any method), typed errors for missing and
// duplicate IDs, copy semantics, concurrent use (run it with -race) and
// atomicity: a batch with a bad record stores nothing, and an adapter that
// implements [FaultInjector] shows that a write failing halfway, its audit
// events included, leaves nothing half-written. A closed case takes no
// records, not even back-dated ones, also when the closing races the
// addition, and a case closes no earlier than its records (R4).
//
// Every write is audited in its own atomic unit (O1, G7, N9): a write
// without events is refused, and a store that is also an access.Store
// has its audit trail read: each write appends exactly the events it was
// given, chained (as access.Verify checks it), and each write of [privacy.Dossiers]
// the events that say who did what to which object, when, why and from
// where.
package privacytest

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/dossierwacht/dossierwacht/internal/kitdiff"
	"github.com/dossierwacht/dossierwacht/privacy"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// FaultInjector is implemented by adapters that can make a write fail
// halfway through an operation. FailAfter(n) arms one failure: after n more
// row writes the next one fails with an error matching
// [privacy.ErrUnavailable], and the operation it belongs to must roll back
// whole. Adapters without it skip the fault-injection cases, by name.
type FaultInjector interface {
	FailAfter(n int)
}

// Run runs the kit against stores made by newStore, one per subtest.
func Run(t *testing.T, newStore func(t *testing.T) privacy.Store) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := newStore(t)
			d, err := privacy.NewDossiers(s, privacy.Strict())
			if err != nil {
				t.Fatalf("NewDossiers: %v", err)
			}
			tc.run(t, &env{ctx: context.Background(), s: s, d: d})
		})
	}
}

type env struct {
	ctx context.Context
	s   privacy.Store
	d   *privacy.Dossiers
}

var cases = []struct {
	name string
	run  func(*testing.T, *env)
}{
	{"SubjectRoundTrip", testSubjectRoundTrip},
	{"SubjectErrors", testSubjectErrors},
	{"CaseRoundTrip", testCaseRoundTrip},
	{"CaseErrors", testCaseErrors},
	{"SubjectCasesOrder", testSubjectCasesOrder},
	{"CloseCase", testCloseCase},
	{"RecordRoundTrip", testRecordRoundTrip},
	{"RecordErrors", testRecordErrors},
	{"CaseRecordsOrder", testCaseRecordsOrder},
	{"SubjectCaseRecordsSameAsByCase", testSubjectCaseRecords},
	{"CopySemantics", testCopySemantics},
	{"UpdateRecord", testUpdateRecord},
	{"O5_SpecialCategoryStoresNothing", testSpecialCategory},
	{"O6_MedicalFileApart", testMedicalApart},
	{"DeleteRecord", testDeleteRecord},
	{"DeleteCaseErasesEverything", testDeleteCase},
	{"DeleteSubjectErasesEverything", testDeleteSubject},
	{"AtomicBatch", testAtomicBatch},
	{"AtomicFault", testAtomicFault},
	{"Concurrent", testConcurrent},
	{"R4_ClosedCaseTakesNoRecords", testClosedCaseTakesNoRecords},
	{"R4_RecordTimeWithinTheCase", testRecordTime},
	{"R4_StoreRefusesClosedCase", testStoreRefusesClosedCase},
	{"R4_CloseRacesAddRecords", testCloseRacesAdd},
	{"R4_CloseNotBeforeItsRecords", testCloseNotBefore},
	{"G7_UnauditedWriteRefused", testUnauditedWrite},
	{"G7_StoreAppendsExactlyItsEvents", testStoreAppendsEvents},
	{"O1_EveryWriteAudited", testEveryWriteAudited},
	{"N9_MedicalReadAuditedFirst", testMedicalReadAudited},
	{"G7_FailedAuditLeavesNothing", testFailedAuditLeavesNothing},
}

// Fixed times: the kit never reads the clock. now is when most of the
// kit's acts happen, a day after t0.
var (
	t0       = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	now      = t0.Add(24 * time.Hour)
	contract = privacy.Contract{ID: "contract-1", Party: "employer-1", PartyKind: privacy.PartyEmployer,
		Start: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)}
)

// The principals the kit acts as: a case manager and a physician of the
// service. The case file does not decide who may act (package access
// does); it audits who did.
var (
	staff = privacy.Principal{ID: "cm-1", Role: privacy.RoleCaseManager, Party: "service-1",
		Secrecy: privacy.SecrecyAgreement}
	doctor = privacy.Principal{ID: "dr-1", Role: privacy.RolePhysician, Party: "service-1",
		Secrecy: privacy.SecrecyProfessional, MultiFactor: true}
)

// act is the case manager acting at at.
func act(at time.Time) privacy.Act {
	return privacy.Act{By: staff, At: at, AccessPoint: "10.0.0.7", Client: "privacytest"}
}

// medAct is the physician acting at at.
func medAct(at time.Time) privacy.Act {
	return privacy.Act{By: doctor, At: at, Purpose: privacy.PurposeAbsenceGuidance, AccessPoint: "10.0.0.8", Client: "privacytest"}
}

func (e *env) subject(t *testing.T, id privacy.SubjectID) privacy.Subject {
	t.Helper()
	s, err := privacy.NewSubject(id, "employer-1", t0)
	if err != nil {
		t.Fatalf("NewSubject(%q): %v", id, err)
	}
	if err := e.d.CreateSubject(e.ctx, act(t0), s); err != nil {
		t.Fatalf("CreateSubject(%q): %v", id, err)
	}
	return s
}

func (e *env) openCase(t *testing.T, id privacy.CaseID, subject privacy.SubjectID, opened time.Time) privacy.Case {
	t.Helper()
	c, err := privacy.NewCase(id, subject, privacy.CaseAbsence, privacy.PurposeAbsenceGuidance, contract, opened)
	if err != nil {
		t.Fatalf("NewCase(%q): %v", id, err)
	}
	if err := e.d.OpenCase(e.ctx, act(opened), c); err != nil {
		t.Fatalf("OpenCase(%q): %v", id, err)
	}
	return c
}

func record(id privacy.RecordID, c privacy.CaseID, cat privacy.Category, at time.Time, fields map[privacy.Field]string) privacy.Record {
	return privacy.Record{ID: id, Case: c, Category: cat, Author: "cm-1",
		Source: privacy.Source{Kind: privacy.PartyService}, Created: at, Fields: fields}
}

func note(id privacy.RecordID, c privacy.CaseID, at time.Time) privacy.Record {
	return record(id, c, privacy.CategoryNotes, at, map[privacy.Field]string{privacy.FieldText: "note " + string(id)})
}

func medicalNote(id privacy.RecordID, c privacy.CaseID, at time.Time) privacy.Record {
	return record(id, c, privacy.CategoryMedical, at, map[privacy.Field]string{privacy.FieldText: "finding " + string(id)})
}

// add adds records as the case manager, medical ones as the physician, at
// now.
func (e *env) add(t *testing.T, rs ...privacy.Record) {
	t.Helper()
	a := act(now)
	if len(rs) > 0 && rs[0].Category.Medical() {
		a = medAct(now)
	}
	if err := e.d.AddRecords(e.ctx, a, rs...); err != nil {
		t.Fatalf("AddRecords: %v", err)
	}
}

func wantKind(t *testing.T, what string, err, kind error) {
	t.Helper()
	if !errors.Is(err, kind) {
		t.Errorf("%s: err = %v, want %v", what, err, kind)
	}
}

func collect(t *testing.T, seq func(func(privacy.Record, error) bool)) ([]privacy.Record, error) {
	t.Helper()
	var out []privacy.Record
	for r, err := range seq {
		if err != nil {
			return out, err
		}
		out = append(out, r)
	}
	return out, nil
}

func ids(rs []privacy.Record) []privacy.RecordID {
	out := make([]privacy.RecordID, len(rs))
	for i, r := range rs {
		out[i] = r.ID
	}
	return out
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
// field no adapter would be checked on. A field added to the type is
// checked from the day it is added.
func wantFull(t *testing.T, what string, v any, except ...string) {
	t.Helper()
	if unset := kitdiff.Unset(v, except...); len(unset) > 0 {
		t.Fatalf("privacytest: the kit's %s leaves %v unset: set them, so that the round trip checks them", what, unset)
	}
}

// diff compares whole values: a field an adapter drops or changes shows.
// Times compare with time.Time.Equal.
func diff(want, got any) string { return cmp.Diff(want, got, cmpopts.EquateEmpty()) }

func testSubjectRoundTrip(t *testing.T, e *env) {
	want := e.subject(t, "s-1")
	got, err := e.d.Subject(e.ctx, "s-1")
	if err != nil {
		t.Fatalf("Subject: %v", err)
	}
	wantSame(t, "Subject", want, got)
	// Rule O8: the end of employment is recorded; retention runs from it.
	end := t0.Add(48 * time.Hour)
	if err := e.d.EndEmployment(e.ctx, act(end), "s-1", end); err != nil {
		t.Fatalf("EndEmployment: %v", err)
	}
	want.EmploymentEnded = end
	wantFull(t, "subject", want)
	got, _ = e.d.Subject(e.ctx, "s-1")
	want.EmploymentEnded = end
	if d := diff(want, got); d != "" {
		t.Errorf("O8: Subject(s-1) after EndEmployment mismatch (-want +got):\n%s", d)
	}
	wantSame(t, "Subject after EndEmployment", want, got)
}

func testSubjectErrors(t *testing.T, e *env) {
	e.subject(t, "s-1")
	s, _ := privacy.NewSubject("s-1", "", t0)
	wantKind(t, "CreateSubject(duplicate)", e.d.CreateSubject(e.ctx, act(now), s), privacy.ErrExists)
	_, err := e.d.Subject(e.ctx, "nobody")
	wantKind(t, "Subject(missing)", err, privacy.ErrNotFound)
	_, err = e.d.SubjectCases(e.ctx, "nobody")
	wantKind(t, "SubjectCases(missing)", err, privacy.ErrNotFound)
	wantKind(t, "UpdateSubject(missing)", e.s.UpdateSubject(e.ctx, privacy.Subject{ID: "nobody", Created: t0}, kitEvents("nobody")), privacy.ErrNotFound)
	wantKind(t, "DeleteSubject(missing)", e.d.DeleteSubject(e.ctx, act(now), "nobody"), privacy.ErrNotFound)
	_, err = e.d.Subject(e.ctx, "bad id with spaces")
	wantKind(t, "Subject(malformed)", err, privacy.ErrInvalid)
}

func testCaseRoundTrip(t *testing.T, e *env) {
	e.subject(t, "s-1")
	c, err := privacy.NewCase("c-1", "s-1", privacy.CaseReintegration, privacy.PurposeReintegration, contract, t0)
	if err != nil {
		t.Fatalf("NewCase: %v", err)
	}
	c.Contract.End = t0.AddDate(2, 0, 0)
	if err := e.d.OpenCase(e.ctx, act(t0), c); err != nil {
		t.Fatalf("OpenCase: %v", err)
	}
	got, err := e.d.Case(e.ctx, "c-1")
	if err != nil {
		t.Fatalf("Case: %v", err)
	}
	wantSame(t, "Case", c, got)
	closed := t0.Add(30 * 24 * time.Hour)
	if err := e.d.CloseCase(e.ctx, act(closed), "c-1"); err != nil {
		t.Fatalf("CloseCase: %v", err)
	}
	c.Closed = closed
	wantFull(t, "case", c)
	wantFull(t, "contract", c.Contract)
	got, _ = e.d.Case(e.ctx, "c-1")
	wantSame(t, "Case after CloseCase", c, got)
	cs, err := e.d.SubjectCases(e.ctx, "s-1")
	if err != nil {
		t.Fatalf("SubjectCases: %v", err)
	}
	wantSame(t, "SubjectCases", []privacy.Case{c}, cs)
}

func testCaseErrors(t *testing.T, e *env) {
	e.subject(t, "s-1")
	e.openCase(t, "c-1", "s-1", t0)
	c, _ := privacy.NewCase("c-1", "s-1", privacy.CaseAbsence, privacy.PurposeAbsenceGuidance, contract, t0)
	wantKind(t, "OpenCase(duplicate)", e.d.OpenCase(e.ctx, act(now), c), privacy.ErrExists)
	c.ID, c.Subject = "c-2", "nobody"
	wantKind(t, "OpenCase(missing subject)", e.d.OpenCase(e.ctx, act(now), c), privacy.ErrNotFound)
	_, err := e.d.Case(e.ctx, "c-9")
	wantKind(t, "Case(missing)", err, privacy.ErrNotFound)
	wantKind(t, "UpdateCase(missing)", e.s.UpdateCase(e.ctx, privacy.Case{ID: "c-9", Subject: "s-1"}, kitEvents("c-9")), privacy.ErrNotFound)
	wantKind(t, "DeleteCase(missing)", e.d.DeleteCase(e.ctx, act(now), "c-9"), privacy.ErrNotFound)
	wantKind(t, "CloseCase(missing)", e.d.CloseCase(e.ctx, act(now), "c-9"), privacy.ErrNotFound)
}

func testSubjectCasesOrder(t *testing.T, e *env) {
	e.subject(t, "s-1")
	e.subject(t, "s-2")
	// Opened out of order; SubjectCases returns them oldest first, then by ID.
	e.openCase(t, "c-3", "s-1", t0.Add(2*time.Hour))
	e.openCase(t, "c-2", "s-1", t0)
	e.openCase(t, "c-1", "s-1", t0)
	e.openCase(t, "c-4", "s-2", t0)
	got, err := e.d.SubjectCases(e.ctx, "s-1")
	if err != nil {
		t.Fatalf("SubjectCases: %v", err)
	}
	var gotIDs []privacy.CaseID
	for _, c := range got {
		gotIDs = append(gotIDs, c.ID)
	}
	if fmt.Sprint(gotIDs) != "[c-1 c-2 c-3]" {
		t.Errorf("SubjectCases(s-1) = %v, want [c-1 c-2 c-3]", gotIDs)
	}
	got, _ = e.d.SubjectCases(e.ctx, "s-2")
	if len(got) != 1 || got[0].ID != "c-4" {
		t.Errorf("SubjectCases(s-2) = %v, want [c-4]", got)
	}
}

func testCloseCase(t *testing.T, e *env) {
	e.subject(t, "s-1")
	e.openCase(t, "c-1", "s-1", t0)
	at := t0.Add(72 * time.Hour)
	wantKind(t, "CloseCase(before it opened)", e.d.CloseCase(e.ctx, act(t0.Add(-time.Hour)), "c-1"), privacy.ErrInvalid)
	if err := e.d.CloseCase(e.ctx, act(at), "c-1"); err != nil {
		t.Fatalf("CloseCase: %v", err)
	}
	c, _ := e.d.Case(e.ctx, "c-1")
	if c.IsOpen() || !c.Closed.Equal(at) {
		t.Errorf("after CloseCase: Closed = %v, want act.At %v", c.Closed, at)
	}
	wantKind(t, "CloseCase(closed)", e.d.CloseCase(e.ctx, act(at), "c-1"), privacy.ErrConflict)
	// Rule R4: no supplements after closing.
	err := e.d.AddRecord(e.ctx, act(at.Add(time.Hour)), note("r-late", "c-1", at.Add(time.Hour)))
	wantKind(t, "R4: AddRecord(after close)", err, privacy.ErrConflict)
	if _, err := e.d.Record(e.ctx, "r-late"); !errors.Is(err, privacy.ErrNotFound) {
		t.Errorf("R4: a refused record was stored: %v", err)
	}
}

func testRecordRoundTrip(t *testing.T, e *env) {
	e.subject(t, "s-1")
	e.openCase(t, "c-1", "s-1", t0)
	in := record("r-1", "c-1", privacy.CategoryAbsenceFacts, t0.Add(time.Minute), map[privacy.Field]string{
		privacy.FieldFirstDay: "2026-03-02", privacy.FieldExpectedDuration: "2 weeks"})
	in.Source = privacy.Source{Kind: privacy.PartyEmployer, Party: "employer-1"}
	in.Basis = "suwi-54-3c"
	e.add(t, in)
	got, err := e.d.Record(e.ctx, "r-1")
	if err != nil {
		t.Fatalf("Record: %v", err)
	}
	want := in
	want.Subject, want.Purpose, want.Updated = "s-1", privacy.PurposeAbsenceGuidance, in.Created
	wantFull(t, "record", want)
	wantFull(t, "record's source", want.Source)
	wantSame(t, "Record", want, got)
	if rs, err := collect(t, e.d.CaseRecords(e.ctx, "c-1")); err != nil {
		t.Errorf("CaseRecords: %v", err)
	} else {
		wantSame(t, "CaseRecords", []privacy.Record{want}, rs)
	}
	// A BSN record on a statute (N5) too.
	bsn := record("r-bsn", "c-1", privacy.CategoryNationalID, t0.Add(90*time.Second), map[privacy.Field]string{privacy.FieldBSN: "999990019"})
	bsn.Basis = "arbowet-14"
	e.add(t, bsn)
	bsn.Subject, bsn.Purpose, bsn.Updated = "s-1", privacy.PurposeAbsenceGuidance, bsn.Created
	if got, err := e.d.Record(e.ctx, "r-bsn"); err != nil {
		t.Errorf("Record(r-bsn): %v", err)
	} else {
		wantSame(t, "Record(r-bsn)", bsn, got)
	}
	// The medical file keeps its records as whole.
	med := medicalNote("m-1", "c-1", t0.Add(2*time.Minute))
	med.Source = privacy.Source{Kind: privacy.PartyEmployer, Party: "employer-1"}
	med.Basis = "suwi-54-3c"
	e.add(t, med)
	med.Subject, med.Purpose, med.Updated = "s-1", privacy.PurposeAbsenceGuidance, med.Created
	gotMed, err := e.d.MedicalRecord(e.ctx, medAct(now), "m-1")
	if err != nil {
		t.Fatalf("MedicalRecord: %v", err)
	}
	wantSame(t, "MedicalRecord", med, gotMed)
	if rs, err := collect(t, e.d.CaseMedicalRecords(e.ctx, medAct(now), "c-1")); err != nil {
		t.Errorf("CaseMedicalRecords: %v", err)
	} else {
		wantSame(t, "CaseMedicalRecords", []privacy.Record{med}, rs)
	}
	// Rule R2: the source of a record is kept.
	if got.Source != in.Source {
		t.Errorf("R2: Source = %+v, want %+v", got.Source, in.Source)
	}
}

func testRecordErrors(t *testing.T, e *env) {
	e.subject(t, "s-1")
	e.openCase(t, "c-1", "s-1", t0)
	e.add(t, note("r-1", "c-1", t0))
	wantKind(t, "AddRecord(duplicate)", e.d.AddRecord(e.ctx, act(now), note("r-1", "c-1", t0)), privacy.ErrExists)
	wantKind(t, "AddRecord(missing case)", e.d.AddRecord(e.ctx, act(now), note("r-2", "c-9", t0)), privacy.ErrNotFound)
	_, err := e.d.Record(e.ctx, "r-9")
	wantKind(t, "Record(missing)", err, privacy.ErrNotFound)
	wantKind(t, "DeleteRecord(missing)", e.d.DeleteRecord(e.ctx, act(now), "r-9"), privacy.ErrNotFound)
	_, err = collect(t, e.d.CaseRecords(e.ctx, "c-9"))
	wantKind(t, "CaseRecords(missing case)", err, privacy.ErrNotFound)
	wantKind(t, "UpdateRecord(missing)", e.s.UpdateRecord(e.ctx, note("r-9", "c-1", t0), kitEvents("r-9")), privacy.ErrNotFound)
	// A malformed act is refused before anything is stored.
	bad := act(now)
	bad.AccessPoint = "tab\there"
	wantKind(t, "AddRecord(malformed act)", e.d.AddRecord(e.ctx, bad, note("r-3", "c-1", t0)), privacy.ErrInvalid)
	wantKind(t, "AddRecord(act without a time)", e.d.AddRecord(e.ctx, act(time.Time{}), note("r-3", "c-1", t0)), privacy.ErrInvalid)
	e.assertGone(t, "r-3")
}

func testCaseRecordsOrder(t *testing.T, e *env) {
	e.subject(t, "s-1")
	e.openCase(t, "c-1", "s-1", t0)
	e.openCase(t, "c-2", "s-1", t0)
	e.add(t, note("r-c", "c-1", t0.Add(2*time.Minute)), note("r-b", "c-1", t0.Add(time.Minute)), note("r-a", "c-1", t0.Add(time.Minute)))
	e.add(t, note("r-other", "c-2", t0))
	got, err := collect(t, e.d.CaseRecords(e.ctx, "c-1"))
	if err != nil {
		t.Fatalf("CaseRecords: %v", err)
	}
	if fmt.Sprint(ids(got)) != "[r-a r-b r-c]" {
		t.Errorf("CaseRecords(c-1) = %v, want [r-a r-b r-c]", ids(got))
	}
	// Stopping early is allowed and releases the store.
	for range e.d.CaseRecords(e.ctx, "c-1") {
		break
	}
	e.add(t, note("r-d", "c-1", t0.Add(3*time.Minute)))
}

func testCopySemantics(t *testing.T, e *env) {
	e.subject(t, "s-1")
	e.openCase(t, "c-1", "s-1", t0)
	in := note("r-1", "c-1", t0)
	e.add(t, in)
	in.Fields[privacy.FieldText] = "changed by the caller after the write"
	got, _ := e.d.Record(e.ctx, "r-1")
	if got.Fields[privacy.FieldText] != "note r-1" {
		t.Errorf("the store shares the caller's map: %q", got.Fields[privacy.FieldText])
	}
	got.Fields[privacy.FieldText] = "changed by the caller after the read"
	again, _ := e.d.Record(e.ctx, "r-1")
	if again.Fields[privacy.FieldText] != "note r-1" {
		t.Errorf("the store hands out its own map: %q", again.Fields[privacy.FieldText])
	}
}

func testUpdateRecord(t *testing.T, e *env) {
	e.subject(t, "s-1")
	e.openCase(t, "c-1", "s-1", t0)
	e.add(t, note("r-1", "c-1", t0))
	r, _ := e.d.Record(e.ctx, "r-1")
	r.Fields[privacy.FieldText] = "rectified"
	// Rule O13: the rectification is dated by its act.
	r.Updated = now.Add(time.Hour)
	if err := e.d.UpdateRecord(e.ctx, act(r.Updated), r); err != nil {
		t.Fatalf("UpdateRecord: %v", err)
	}
	got, _ := e.d.Record(e.ctx, "r-1")
	wantSame(t, "Record after UpdateRecord", r, got)
	wantKind(t, "UpdateRecord(not later)", e.d.UpdateRecord(e.ctx, act(r.Updated), r), privacy.ErrInvalid)
	moved := r
	moved.Case = "c-2"
	wantKind(t, "UpdateRecord(other case)", e.d.UpdateRecord(e.ctx, act(now.Add(2*time.Hour)), moved), privacy.ErrInvalid)
}

func testSpecialCategory(t *testing.T, e *env) {
	e.subject(t, "s-1")
	e.openCase(t, "c-1", "s-1", t0)
	for i, cat := range privacy.SpecialCategories() {
		id := privacy.RecordID(fmt.Sprintf("r-%d", i))
		r := record(id, "c-1", cat, t0, map[privacy.Field]string{privacy.FieldText: "x"})
		err := e.d.AddRecord(e.ctx, act(now), r)
		if !errors.Is(err, privacy.ErrProhibitedCategory) || !errors.Is(err, privacy.ErrForbidden) || privacy.RuleOf(err) != privacy.O5 {
			t.Errorf("O5: AddRecord(%s) = %v, want ErrProhibitedCategory citing O5", cat, err)
		}
		if _, err := e.d.Record(e.ctx, id); !errors.Is(err, privacy.ErrNotFound) {
			t.Errorf("O5: a %s record was stored", cat)
		}
	}
	got, _ := collect(t, e.d.CaseRecords(e.ctx, "c-1"))
	if len(got) != 0 {
		t.Errorf("O5: case holds %d records after refused writes", len(got))
	}
}

func testMedicalApart(t *testing.T, e *env) {
	e.subject(t, "s-1")
	e.openCase(t, "c-1", "s-1", t0)
	e.add(t, note("r-1", "c-1", t0))
	e.add(t, medicalNote("m-1", "c-1", t0))
	// Rule O6: medical records are kept apart from the rest of the case.
	if _, err := e.d.Record(e.ctx, "m-1"); !errors.Is(err, privacy.ErrNotFound) {
		t.Errorf("O6: Record(m-1) = %v, want ErrNotFound: medical records are not in the ordinary file", err)
	}
	if _, err := e.d.MedicalRecord(e.ctx, medAct(now), "r-1"); !errors.Is(err, privacy.ErrNotFound) {
		t.Errorf("O6: MedicalRecord(r-1) = %v, want ErrNotFound", err)
	}
	got, _ := collect(t, e.d.CaseRecords(e.ctx, "c-1"))
	if fmt.Sprint(ids(got)) != "[r-1]" {
		t.Errorf("O6: CaseRecords = %v, want [r-1]", ids(got))
	}
	med, _ := collect(t, e.d.CaseMedicalRecords(e.ctx, medAct(now), "c-1"))
	if fmt.Sprint(ids(med)) != "[m-1]" {
		t.Errorf("O6: CaseMedicalRecords = %v, want [m-1]", ids(med))
	}
	m, err := e.d.MedicalRecord(e.ctx, medAct(now), "m-1")
	if err != nil || m.Fields[privacy.FieldText] != "finding m-1" {
		t.Errorf("O6: MedicalRecord(m-1) = %+v, %v", m, err)
	}
	err = e.d.AddRecords(e.ctx, act(now), note("r-2", "c-1", t0), medicalNote("m-2", "c-1", t0))
	wantKind(t, "O6: AddRecords(mixed batch)", err, privacy.ErrInvalid)
}

func testDeleteRecord(t *testing.T, e *env) {
	e.subject(t, "s-1")
	e.openCase(t, "c-1", "s-1", t0)
	e.add(t, note("r-1", "c-1", t0), note("r-2", "c-1", t0))
	e.add(t, medicalNote("m-1", "c-1", t0))
	if err := e.d.DeleteRecord(e.ctx, act(now), "r-1"); err != nil {
		t.Fatalf("DeleteRecord(r-1): %v", err)
	}
	if err := e.d.DeleteRecord(e.ctx, act(now), "m-1"); err != nil {
		t.Fatalf("DeleteRecord(m-1): %v", err)
	}
	// O6: the medical file's own deletion reaches only the medical file.
	e.add(t, medicalNote("m-2", "c-1", t0))
	wantKind(t, "O6: DeleteMedicalRecord(an ordinary record)", e.d.DeleteMedicalRecord(e.ctx, medAct(now), "r-2"), privacy.ErrNotFound)
	if err := e.d.DeleteMedicalRecord(e.ctx, medAct(now), "m-2"); err != nil {
		t.Fatalf("DeleteMedicalRecord(m-2): %v", err)
	}
	e.assertGone(t, "r-1", "m-1", "m-2")
	got, _ := collect(t, e.d.CaseRecords(e.ctx, "c-1"))
	if fmt.Sprint(ids(got)) != "[r-2]" {
		t.Errorf("CaseRecords after delete = %v, want [r-2]", ids(got))
	}
	// The ID is free again: a deleted record leaves no trace that blocks it.
	e.add(t, note("r-1", "c-1", t0))
}

// assertGone checks that nothing of the records is reachable through any
// method: erasure completeness.
func (e *env) assertGone(t *testing.T, rids ...privacy.RecordID) {
	t.Helper()
	for _, id := range rids {
		if _, err := e.s.Record(e.ctx, id); !errors.Is(err, privacy.ErrNotFound) {
			t.Errorf("Record(%s) after delete: %v, want ErrNotFound", id, err)
		}
		if _, err := e.s.MedicalRecord(e.ctx, id); !errors.Is(err, privacy.ErrNotFound) {
			t.Errorf("MedicalRecord(%s) after delete: %v, want ErrNotFound", id, err)
		}
	}
}

func (e *env) assertCaseGone(t *testing.T, id privacy.CaseID) {
	t.Helper()
	if _, err := e.s.Case(e.ctx, id); !errors.Is(err, privacy.ErrNotFound) {
		t.Errorf("Case(%s) after delete: %v, want ErrNotFound", id, err)
	}
	if rs, err := collect(t, e.s.CaseRecords(e.ctx, id)); len(rs) != 0 || !errors.Is(err, privacy.ErrNotFound) {
		t.Errorf("CaseRecords(%s) after delete: %d records, %v; want none and ErrNotFound", id, len(rs), err)
	}
	if rs, err := collect(t, e.s.CaseMedicalRecords(e.ctx, id)); len(rs) != 0 || !errors.Is(err, privacy.ErrNotFound) {
		t.Errorf("CaseMedicalRecords(%s) after delete: %d records, %v; want none and ErrNotFound", id, len(rs), err)
	}
}

func testDeleteCase(t *testing.T, e *env) {
	e.subject(t, "s-1")
	e.openCase(t, "c-1", "s-1", t0)
	e.openCase(t, "c-2", "s-1", t0)
	e.add(t, note("r-1", "c-1", t0), note("r-2", "c-1", t0))
	e.add(t, medicalNote("m-1", "c-1", t0))
	e.add(t, note("r-3", "c-2", t0))
	if err := e.d.DeleteCase(e.ctx, act(now), "c-1"); err != nil {
		t.Fatalf("DeleteCase: %v", err)
	}
	e.assertCaseGone(t, "c-1")
	e.assertGone(t, "r-1", "r-2", "m-1")
	cs, _ := e.d.SubjectCases(e.ctx, "s-1")
	if len(cs) != 1 || cs[0].ID != "c-2" {
		t.Errorf("SubjectCases after DeleteCase = %v, want [c-2]", cs)
	}
	if _, err := e.d.Record(e.ctx, "r-3"); err != nil {
		t.Errorf("DeleteCase(c-1) removed a record of c-2: %v", err)
	}
}

func testDeleteSubject(t *testing.T, e *env) {
	e.subject(t, "s-1")
	e.subject(t, "s-2")
	e.openCase(t, "c-1", "s-1", t0)
	e.openCase(t, "c-2", "s-1", t0)
	e.openCase(t, "c-3", "s-2", t0)
	e.add(t, note("r-1", "c-1", t0), note("r-2", "c-2", t0))
	e.add(t, medicalNote("m-1", "c-2", t0))
	e.add(t, note("r-3", "c-3", t0))
	if err := e.d.DeleteSubject(e.ctx, act(now), "s-1"); err != nil {
		t.Fatalf("DeleteSubject: %v", err)
	}
	if _, err := e.s.Subject(e.ctx, "s-1"); !errors.Is(err, privacy.ErrNotFound) {
		t.Errorf("Subject after delete: %v", err)
	}
	if _, err := e.s.SubjectCases(e.ctx, "s-1"); !errors.Is(err, privacy.ErrNotFound) {
		t.Errorf("SubjectCases after delete: %v", err)
	}
	e.assertCaseGone(t, "c-1")
	e.assertCaseGone(t, "c-2")
	e.assertGone(t, "r-1", "r-2", "m-1")
	if _, err := e.d.Record(e.ctx, "r-3"); err != nil {
		t.Errorf("DeleteSubject(s-1) removed a record of s-2: %v", err)
	}
}

func testAtomicBatch(t *testing.T, e *env) {
	e.subject(t, "s-1")
	e.openCase(t, "c-1", "s-1", t0)
	e.add(t, note("r-exists", "c-1", t0))
	for _, tc := range []struct {
		what string
		bad  privacy.Record
		kind error
	}{
		{"duplicate in the middle", note("r-exists", "c-1", t0), privacy.ErrExists},
		{"missing case in the middle", note("r-x", "c-9", t0), privacy.ErrNotFound},
		{"special category in the middle", record("r-y", "c-1", privacy.CategoryReligion, t0, map[privacy.Field]string{privacy.FieldText: "x"}), privacy.ErrProhibitedCategory},
		{"duplicate within the batch", note("r-a", "c-1", t0), privacy.ErrExists},
	} {
		err := e.d.AddRecords(e.ctx, act(now), note("r-a", "c-1", t0), tc.bad, note("r-b", "c-1", t0))
		wantKind(t, "AddRecords("+tc.what+")", err, tc.kind)
		e.assertGone(t, "r-a", "r-b")
	}
	got, _ := collect(t, e.d.CaseRecords(e.ctx, "c-1"))
	if fmt.Sprint(ids(got)) != "[r-exists]" {
		t.Errorf("after failed batches: CaseRecords = %v, want [r-exists]", ids(got))
	}
}

func testAtomicFault(t *testing.T, e *env) {
	fi, ok := e.s.(FaultInjector)
	if !ok {
		t.Skip("the adapter does not implement privacytest.FaultInjector")
	}
	e.subject(t, "s-1")
	e.openCase(t, "c-1", "s-1", t0)
	e.add(t, note("r-1", "c-1", t0), note("r-2", "c-1", t0))
	e.add(t, medicalNote("m-1", "c-1", t0))

	fi.FailAfter(2)
	err := e.d.AddRecords(e.ctx, act(now), note("r-3", "c-1", t0), note("r-4", "c-1", t0), note("r-5", "c-1", t0), note("r-6", "c-1", t0))
	wantKind(t, "AddRecords(fault after 2 rows)", err, privacy.ErrUnavailable)
	e.assertGone(t, "r-3", "r-4", "r-5", "r-6")

	fi.FailAfter(2)
	wantKind(t, "DeleteCase(fault after 2 rows)", e.d.DeleteCase(e.ctx, act(now), "c-1"), privacy.ErrUnavailable)
	for _, id := range []privacy.RecordID{"r-1", "r-2"} {
		if _, err := e.d.Record(e.ctx, id); err != nil {
			t.Errorf("a failed DeleteCase removed %s: %v", id, err)
		}
	}
	if _, err := e.s.MedicalRecord(e.ctx, "m-1"); err != nil {
		t.Errorf("a failed DeleteCase removed m-1: %v", err)
	}
	if _, err := e.d.Case(e.ctx, "c-1"); err != nil {
		t.Errorf("a failed DeleteCase removed the case: %v", err)
	}

	fi.FailAfter(1)
	wantKind(t, "DeleteSubject(fault after 1 row)", e.d.DeleteSubject(e.ctx, act(now), "s-1"), privacy.ErrUnavailable)
	if _, err := e.d.Subject(e.ctx, "s-1"); err != nil {
		t.Errorf("a failed DeleteSubject removed the subject: %v", err)
	}
	if got, _ := collect(t, e.d.CaseRecords(e.ctx, "c-1")); len(got) != 2 {
		t.Errorf("a failed DeleteSubject left %d of 2 records", len(got))
	}

	// Disarmed, the same operations go through.
	fi.FailAfter(-1)
	if err := e.d.DeleteSubject(e.ctx, act(now), "s-1"); err != nil {
		t.Fatalf("DeleteSubject after disarming: %v", err)
	}
	e.assertGone(t, "r-1", "r-2", "m-1")
}

func testConcurrent(t *testing.T, e *env) {
	const workers, perWorker = 8, 25
	e.subject(t, "s-1")
	for w := range workers {
		e.openCase(t, privacy.CaseID(fmt.Sprintf("c-%d", w)), "s-1", t0)
	}
	var wg sync.WaitGroup
	errs := make(chan error, workers*perWorker*3)
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			cid := privacy.CaseID(fmt.Sprintf("c-%d", w))
			for i := range perWorker {
				rid := privacy.RecordID(fmt.Sprintf("r-%d-%d", w, i))
				if err := e.d.AddRecord(e.ctx, act(now), note(rid, cid, t0.Add(time.Duration(i)*time.Second))); err != nil {
					errs <- err
				}
				if _, err := e.d.Record(e.ctx, rid); err != nil {
					errs <- err
				}
				if _, err := collect(t, e.d.CaseRecords(e.ctx, cid)); err != nil {
					errs <- err
				}
				if i%5 == 0 {
					if err := e.d.DeleteRecord(e.ctx, act(now), rid); err != nil {
						errs <- err
					}
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Errorf("concurrent use: %v", err)
	}
	for w := range workers {
		got, err := collect(t, e.d.CaseRecords(e.ctx, privacy.CaseID(fmt.Sprintf("c-%d", w))))
		if err != nil || len(got) != perWorker-perWorker/5 {
			t.Errorf("case c-%d holds %d records (%v), want %d", w, len(got), err, perWorker-perWorker/5)
		}
	}
}

// testSubjectCaseRecords: a case's records read by subject and case
// (issue 14 §2: the hot query filters by the subject, through the store's
// privacy.SubjectRecordStore when it has one) are exactly those read by
// case alone, in the same order, over more than one page, in both files;
// a case of another subject, or none, is not found, an empty case of the
// subject yields nothing, a malformed subject is refused.
func testSubjectCaseRecords(t *testing.T, e *env) {
	e.subject(t, "s-1")
	e.subject(t, "s-2")
	e.openCase(t, "c-1", "s-1", t0)
	e.openCase(t, "c-2", "s-1", t0)
	e.openCase(t, "c-3", "s-2", t0)
	e.openCase(t, "c-empty", "s-1", t0)
	var many []privacy.Record
	for i := range 300 {
		many = append(many, note(privacy.RecordID(fmt.Sprintf("r-%03d", i)), "c-1", t0.Add(time.Duration(i%7)*time.Second)))
	}
	e.add(t, many...)
	e.add(t, note("r-c2", "c-2", t0), note("r-c3", "c-3", t0))
	e.add(t, medicalNote("m-1", "c-1", t0.Add(time.Minute)), medicalNote("m-2", "c-1", t0), medicalNote("m-3", "c-3", t0))
	ss, filtered := e.s.(privacy.SubjectRecordStore)
	t.Logf("the store filters a case's records by subject: %v", filtered)
	for _, c := range []struct {
		subject privacy.SubjectID
		id      privacy.CaseID
	}{{"s-1", "c-1"}, {"s-1", "c-2"}, {"s-2", "c-3"}, {"s-1", "c-empty"}} {
		want, err := collect(t, e.d.CaseRecords(e.ctx, c.id))
		if err != nil {
			t.Fatalf("CaseRecords(%s): %v", c.id, err)
		}
		got, err := collect(t, e.d.SubjectCaseRecords(e.ctx, c.subject, c.id))
		if err != nil {
			t.Fatalf("SubjectCaseRecords(%s, %s): %v", c.subject, c.id, err)
		}
		wantSame(t, "SubjectCaseRecords("+string(c.id)+")", want, got)
		wantMed, err := collect(t, e.d.CaseMedicalRecords(e.ctx, medAct(now), c.id))
		if err != nil {
			t.Fatalf("CaseMedicalRecords(%s): %v", c.id, err)
		}
		gotMed, err := collect(t, e.d.SubjectCaseMedicalRecords(e.ctx, medAct(now), c.subject, c.id))
		if err != nil {
			t.Fatalf("SubjectCaseMedicalRecords(%s, %s): %v", c.subject, c.id, err)
		}
		wantSame(t, "SubjectCaseMedicalRecords("+string(c.id)+")", wantMed, gotMed)
		if filtered {
			// The store's own path, not only the case file's.
			if got, err := collect(t, ss.SubjectCaseRecords(e.ctx, c.subject, c.id)); err != nil {
				t.Errorf("store SubjectCaseRecords(%s): %v", c.id, err)
			} else {
				wantSame(t, "store SubjectCaseRecords("+string(c.id)+")", want, got)
			}
			if got, err := collect(t, ss.SubjectCaseMedicalRecords(e.ctx, c.subject, c.id)); err != nil {
				t.Errorf("store SubjectCaseMedicalRecords(%s): %v", c.id, err)
			} else {
				wantSame(t, "store SubjectCaseMedicalRecords("+string(c.id)+")", wantMed, got)
			}
		}
	}
	if n, err := collect(t, e.d.SubjectCaseRecords(e.ctx, "s-1", "c-1")); err != nil || len(n) != 300 {
		t.Errorf("SubjectCaseRecords(c-1) gave %d records, %v; want 300", len(n), err)
	}
	for _, c := range []struct {
		subject privacy.SubjectID
		id      privacy.CaseID
	}{{"s-2", "c-1"}, {"s-1", "c-3"}, {"s-2", "c-empty"}, {"s-1", "c-9"}, {"s-9", "c-1"}} {
		rs, err := collect(t, e.d.SubjectCaseRecords(e.ctx, c.subject, c.id))
		if len(rs) != 0 {
			t.Errorf("SubjectCaseRecords(%s, %s) yields %d records of another subject's case", c.subject, c.id, len(rs))
		}
		wantKind(t, "SubjectCaseRecords("+string(c.subject)+", "+string(c.id)+")", err, privacy.ErrNotFound)
		rs, err = collect(t, e.d.SubjectCaseMedicalRecords(e.ctx, medAct(now), c.subject, c.id))
		if len(rs) != 0 {
			t.Errorf("SubjectCaseMedicalRecords(%s, %s) yields %d records of another subject's case", c.subject, c.id, len(rs))
		}
		wantKind(t, "SubjectCaseMedicalRecords("+string(c.subject)+", "+string(c.id)+")", err, privacy.ErrNotFound)
	}
	_, err := collect(t, e.d.SubjectCaseRecords(e.ctx, "s 1", "c-1"))
	wantKind(t, "SubjectCaseRecords(malformed subject)", err, privacy.ErrInvalid)
}
