package privacytest

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"maps"
	"sync"
	"testing"
	"time"

	"github.com/dossierwacht/dossierwacht/privacy"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// The cases of the audit of writes (O1, G7, N9) and of a closed case (R4).

// kitEvents returns the two audit events the kit hands a store's write
// directly, each naming what of the call it tells of.
func kitEvents(what string) []privacy.Event {
	out := make([]privacy.Event, 2)
	for i := range out {
		out[i] = privacy.Event{Time: now, Principal: staff.ID, Role: staff.Role, OnBehalfOf: staff.Party,
			Object: fmt.Sprintf("%s#%d", what, i+1), Action: privacy.EventExecute, Outcome: privacy.OutcomeAllowed,
			Rule: privacy.G7, Policy: "privacytest", AccessPoint: "10.0.0.9", Client: "privacytest"}
	}
	return out
}

// stored returns r as a store keeps it: of subject s-1, with the case's
// purpose, updated when created.
func stored(r privacy.Record) privacy.Record {
	r.Subject, r.Purpose, r.Updated = "s-1", privacy.PurposeAbsenceGuidance, r.Created
	return r
}

// trailReader is how the kit reads a store's audit trail: the method of
// access.Store it needs, declared here so that the kit, on the ground
// floor, does not import package access.
type trailReader interface {
	Events(ctx context.Context, from uint64) iter.Seq2[privacy.Event, error]
}

// trail returns the store's audit trail from sequence number from on; ok
// is false if the store cannot be read back (it is not an access.Store).
func (e *env) trail(t *testing.T, from uint64) (events []privacy.Event, ok bool) {
	t.Helper()
	as, ok := e.s.(trailReader)
	if !ok {
		return nil, false
	}
	for ev, err := range as.Events(e.ctx, from) {
		if err != nil {
			t.Fatalf("Events(%d): %v", from, err)
		}
		events = append(events, ev)
	}
	return events, true
}

// needTrail skips a case that reads the audit trail when the kit cannot.
func (e *env) needTrail(t *testing.T) {
	t.Helper()
	if _, ok := e.s.(trailReader); !ok {
		t.Skip("the adapter is not an access.Store: the kit cannot read its audit trail")
	}
}

// lastSeq is the number of events in the trail, 0 for none: the mark
// from which trail(t, mark+1) returns the events appended since.
func (e *env) lastSeq(t *testing.T) uint64 {
	t.Helper()
	es, _ := e.trail(t, 1)
	if len(es) == 0 {
		return 0
	}
	return uint64(len(es))
}

// verify checks the whole audit trail's chains (G7), one per subject:
// every event numbered one after the last of its chain, linked to its
// hash, its own hash its content's
// (privacy.Event.ComputeHash). access.Verify says the same in more words;
// the kit checks the links itself so as not to import package access.
func (e *env) verify(t *testing.T) {
	t.Helper()
	events, ok := e.trail(t, 1)
	if !ok {
		return
	}
	type head struct {
		seq  uint64
		hash privacy.Hash
	}
	heads := map[privacy.SubjectID]head{}
	for _, ev := range events {
		h := heads[ev.Subject]
		prev := h.hash
		switch {
		case ev.Seq != h.seq+1:
			t.Errorf("G7: the audit trail's event %d of chain %q follows event %d", ev.Seq, ev.Subject, h.seq)
			return
		case ev.Prev != prev:
			t.Errorf("G7: the audit trail's event %d does not link to the one before", ev.Seq)
			return
		case ev.ComputeHash() != ev.Hash:
			t.Errorf("G7: the audit trail's event %d does not match its hash", ev.Seq)
			return
		}
		heads[ev.Subject] = head{ev.Seq, ev.Hash}
	}
}

var ignoreChain = cmpopts.IgnoreFields(privacy.Event{}, "Seq", "Prev", "Hash")

// wantAppended checks that the events appended after the first after are
// exactly want, in order, each chained on in its subject's chain.
func (e *env) wantAppended(t *testing.T, what string, after uint64, want []privacy.Event) {
	t.Helper()
	got, ok := e.trail(t, after+1)
	if !ok {
		return
	}
	if d := cmp.Diff(want, got, ignoreChain, cmpopts.EquateEmpty()); d != "" {
		t.Errorf("G7: %s appended other events than its own (-want +got):\n%s", what, d)
		return
	}
	e.verify(t)
}

// snapshot is everything the store holds about some subjects, and its
// audit trail when the kit can read it.
type snapshot struct {
	Subjects map[privacy.SubjectID]privacy.Subject
	Cases    map[privacy.CaseID]privacy.Case
	Records  map[privacy.RecordID]privacy.Record
	Medical  map[privacy.RecordID]privacy.Record
	Events   []privacy.Event
}

func (e *env) snapshot(t *testing.T, subjects ...privacy.SubjectID) snapshot {
	t.Helper()
	sn := snapshot{Subjects: map[privacy.SubjectID]privacy.Subject{}, Cases: map[privacy.CaseID]privacy.Case{},
		Records: map[privacy.RecordID]privacy.Record{}, Medical: map[privacy.RecordID]privacy.Record{}}
	for _, id := range subjects {
		s, err := e.s.Subject(e.ctx, id)
		if errors.Is(err, privacy.ErrNotFound) {
			continue
		}
		if err != nil {
			t.Fatalf("Subject(%s): %v", id, err)
		}
		sn.Subjects[id] = s
		cs, err := e.s.SubjectCases(e.ctx, id)
		if err != nil {
			t.Fatalf("SubjectCases(%s): %v", id, err)
		}
		for _, c := range cs {
			sn.Cases[c.ID] = c
			for file, m := range map[string]map[privacy.RecordID]privacy.Record{"ordinary": sn.Records, "medical": sn.Medical} {
				seq := e.s.CaseRecords(e.ctx, c.ID)
				if file == "medical" {
					seq = e.s.CaseMedicalRecords(e.ctx, c.ID)
				}
				rs, err := collect(t, seq)
				if err != nil {
					t.Fatalf("%s records of %s: %v", file, c.ID, err)
				}
				for _, r := range rs {
					m[r.ID] = r
				}
			}
		}
	}
	sn.Events, _ = e.trail(t, 1)
	return sn
}

func (e *env) wantUnchanged(t *testing.T, what string, before snapshot, subjects ...privacy.SubjectID) {
	t.Helper()
	if d := cmp.Diff(before, e.snapshot(t, subjects...), cmpopts.EquateEmpty()); d != "" {
		t.Errorf("%s changed the store (-before +after):\n%s", what, d)
	}
}

// wantRule checks that err has kind and names rule.
func wantRule(t *testing.T, what string, err, kind error, rule privacy.RuleID) {
	t.Helper()
	if !errors.Is(err, kind) || privacy.RuleOf(err) != rule {
		t.Errorf("%s: err = %v, want %v naming rule %s", what, err, kind, rule)
	}
}

func testClosedCaseTakesNoRecords(t *testing.T, e *env) {
	// Rule R4: the file is supplemented during the trajectory. A closed
	// case takes no records, back-dated ones included, medical or not.
	e.subject(t, "s-1")
	e.openCase(t, "c-1", "s-1", t0)
	e.add(t, note("r-1", "c-1", t0.Add(time.Minute)))
	closedAt := t0.Add(72 * time.Hour)
	if err := e.d.CloseCase(e.ctx, act(closedAt), "c-1"); err != nil {
		t.Fatalf("CloseCase: %v", err)
	}
	for _, tc := range []struct {
		what string
		a    privacy.Act
		r    privacy.Record
	}{
		{"a note dated before the closing, added after it", act(closedAt.Add(time.Hour)), note("r-back", "c-1", t0.Add(time.Hour))},
		{"a note whose act claims a time before the closing", act(t0.Add(2 * time.Hour)), note("r-early-act", "c-1", t0.Add(time.Hour))},
		{"a medical record dated before the closing", medAct(closedAt.Add(time.Hour)), medicalNote("m-back", "c-1", t0.Add(time.Hour))},
	} {
		before := e.snapshot(t, "s-1")
		err := e.d.AddRecord(e.ctx, tc.a, tc.r)
		wantRule(t, "R4: AddRecord("+tc.what+")", err, privacy.ErrConflict, privacy.R4)
		e.wantUnchanged(t, "R4: a refused AddRecord("+tc.what+")", before, "s-1")
	}
	// Rule O13: a closed case's records may still be rectified.
	r, err := e.d.Record(e.ctx, "r-1")
	if err != nil {
		t.Fatalf("Record(r-1): %v", err)
	}
	r.Fields[privacy.FieldText] = "rectified after the closing"
	if err := e.d.UpdateRecord(e.ctx, act(closedAt.Add(2*time.Hour)), r); err != nil {
		t.Errorf("O13: UpdateRecord of a closed case's record: %v", err)
	}
}

func testRecordTime(t *testing.T, e *env) {
	// Rule R4: a record's time lies in its case's life as far as it has
	// gone: not before the case opened, not after the act that adds it.
	e.subject(t, "s-1")
	e.openCase(t, "c-1", "s-1", t0)
	for _, tc := range []struct {
		what string
		a    privacy.Act
		r    privacy.Record
		kind error
	}{
		{"before the case opened", act(now), note("r-early", "c-1", t0.Add(-time.Hour)), privacy.ErrInvalid},
		{"after its act", act(now), note("r-ahead", "c-1", now.Add(time.Second)), privacy.ErrInvalid},
		{"medical, after its act", medAct(now), medicalNote("m-ahead", "c-1", now.Add(time.Hour)), privacy.ErrInvalid},
		{"when the case opened", act(now), note("r-opened", "c-1", t0), nil},
		{"at its act", act(now), note("r-at-act", "c-1", now), nil},
	} {
		before := e.snapshot(t, "s-1")
		err := e.d.AddRecord(e.ctx, tc.a, tc.r)
		if tc.kind == nil {
			if err != nil {
				t.Errorf("R4: AddRecord(%s): %v", tc.what, err)
			}
			continue
		}
		wantRule(t, "R4: AddRecord(a record dated "+tc.what+")", err, tc.kind, privacy.R4)
		e.wantUnchanged(t, "R4: a refused AddRecord("+tc.what+")", before, "s-1")
	}
}

func testStoreRefusesClosedCase(t *testing.T, e *env) {
	// Rule R4, in the store itself: a write that read the case open
	// before it was closed reaches the store after the closing. The store
	// reads the case's state in the insert's atomic unit and refuses.
	e.subject(t, "s-1")
	e.openCase(t, "c-1", "s-1", t0)
	if err := e.d.CloseCase(e.ctx, act(t0.Add(72*time.Hour)), "c-1"); err != nil {
		t.Fatalf("CloseCase: %v", err)
	}
	before := e.snapshot(t, "s-1")
	err := e.s.AddRecords(e.ctx, []privacy.Record{stored(note("r-x", "c-1", t0.Add(time.Hour)))}, kitEvents("add records"))
	wantRule(t, "R4: Store.AddRecords(closed case)", err, privacy.ErrConflict, privacy.R4)
	err = e.s.AddMedicalRecords(e.ctx, []privacy.Record{stored(medicalNote("m-x", "c-1", t0.Add(time.Hour)))}, kitEvents("add medical records"))
	wantRule(t, "R4: Store.AddMedicalRecords(closed case)", err, privacy.ErrConflict, privacy.R4)
	e.wantUnchanged(t, "R4: refused additions to a closed case", before, "s-1")
}

func testCloseNotBefore(t *testing.T, e *env) {
	// Rule R4: a case closes after what it holds. A closing dated before a
	// record of either file was created, or rectified, is refused and
	// changes nothing; it must claim a later time.
	e.subject(t, "s-1")
	e.openCase(t, "c-1", "s-1", t0)
	e.openCase(t, "c-2", "s-1", t0)
	if err := e.d.AddRecord(e.ctx, act(t0.Add(2*time.Hour)), note("r-1", "c-1", t0.Add(2*time.Hour))); err != nil {
		t.Fatalf("AddRecord: %v", err)
	}
	if err := e.d.AddRecord(e.ctx, medAct(t0.Add(3*time.Hour)), medicalNote("m-1", "c-1", t0.Add(3*time.Hour))); err != nil {
		t.Fatalf("AddRecord(medical): %v", err)
	}
	if err := e.d.AddRecord(e.ctx, act(t0), note("r-2", "c-2", t0)); err != nil {
		t.Fatalf("AddRecord: %v", err)
	}
	r, _ := e.d.Record(e.ctx, "r-2")
	r.Fields[privacy.FieldText] = "rectified"
	if err := e.d.UpdateRecord(e.ctx, act(t0.Add(5*time.Hour)), r); err != nil {
		t.Fatalf("UpdateRecord: %v", err)
	}
	for _, tc := range []struct {
		what string
		c    privacy.CaseID
		at   time.Time
	}{
		{"before its note", "c-1", t0.Add(time.Hour)},
		{"before its medical record", "c-1", t0.Add(150 * time.Minute)},
		{"before its record's rectification", "c-2", t0.Add(4 * time.Hour)},
	} {
		before := e.snapshot(t, "s-1")
		err := e.d.CloseCase(e.ctx, act(tc.at), tc.c)
		wantRule(t, "R4: CloseCase("+tc.what+")", err, privacy.ErrConflict, privacy.R4)
		e.wantUnchanged(t, "R4: a refused CloseCase("+tc.what+")", before, "s-1")
	}
	for c, at := range map[privacy.CaseID]time.Time{"c-1": t0.Add(3 * time.Hour), "c-2": t0.Add(5 * time.Hour)} {
		if err := e.d.CloseCase(e.ctx, act(at), c); err != nil {
			t.Errorf("CloseCase(%s) at its latest record's time: %v", c, err)
		}
	}
}

func testCloseRacesAdd(t *testing.T, e *env) {
	// Rule R4 under a race: case c-i is closed while record r-i is added
	// to it. Either the record comes first, and its audit event before the
	// closing's, or the closing does and the record is refused; never a
	// record added after the closing.
	const n = 16
	e.subject(t, "s-1")
	for i := range n {
		e.openCase(t, privacy.CaseID(fmt.Sprintf("c-%d", i)), "s-1", t0)
	}
	addErrs, closeErrs := make([]error, n), make([]error, n)
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i := range n {
		cid, rid := privacy.CaseID(fmt.Sprintf("c-%d", i)), privacy.RecordID(fmt.Sprintf("r-%d", i))
		r := note(rid, cid, t0.Add(time.Hour))
		if i%2 == 1 {
			r = medicalNote(rid, cid, t0.Add(time.Hour))
		}
		wg.Add(2)
		go func() {
			defer wg.Done()
			<-start
			a := act(t0.Add(2 * time.Hour))
			if r.Category.Medical() {
				a = medAct(t0.Add(2 * time.Hour))
			}
			addErrs[i] = e.d.AddRecord(e.ctx, a, r)
		}()
		go func() {
			defer wg.Done()
			<-start
			closeErrs[i] = e.d.CloseCase(e.ctx, act(t0.Add(90*time.Minute)), cid)
		}()
	}
	close(start)
	wg.Wait()
	events, haveTrail := e.trail(t, 1)
	seqOf := func(action privacy.EventAction, object string) uint64 {
		for _, ev := range events {
			if ev.Action == action && ev.Object == object {
				return ev.Seq
			}
		}
		return 0
	}
	for i := range n {
		cid, rid := privacy.CaseID(fmt.Sprintf("c-%d", i)), privacy.RecordID(fmt.Sprintf("r-%d", i))
		if closeErrs[i] != nil {
			t.Errorf("CloseCase(%s): %v", cid, closeErrs[i])
			continue
		}
		rs, err := collect(t, e.s.CaseRecords(e.ctx, cid))
		if err != nil {
			t.Fatalf("CaseRecords(%s): %v", cid, err)
		}
		med, err := collect(t, e.s.CaseMedicalRecords(e.ctx, cid))
		if err != nil {
			t.Fatalf("CaseMedicalRecords(%s): %v", cid, err)
		}
		stored := len(rs) + len(med)
		switch err := addErrs[i]; {
		case err == nil && stored != 1:
			t.Errorf("R4: AddRecord(%s) succeeded, case %s holds %d records", rid, cid, stored)
		case err != nil && stored != 0:
			t.Errorf("R4: AddRecord(%s) failed (%v), case %s holds %d records", rid, err, cid, stored)
		case err != nil:
			wantRule(t, fmt.Sprintf("R4: AddRecord(%s) racing CloseCase", rid), err, privacy.ErrConflict, privacy.R4)
		case haveTrail:
			added, closed := seqOf(privacy.EventCreate, string(rid)), seqOf(privacy.EventUpdate, string(cid))
			if added == 0 || closed == 0 || added > closed {
				t.Errorf("R4: record %s was added (event %d) after case %s closed (event %d)", rid, added, cid, closed)
			}
		}
	}
}

func testUnauditedWrite(t *testing.T, e *env) {
	// Rules O1, G7: no write without its audit events. Each write method
	// of the store refuses one that comes without, and changes nothing.
	e.subject(t, "s-1")
	c := e.openCase(t, "c-1", "s-1", t0)
	e.add(t, note("r-1", "c-1", t0))
	e.add(t, medicalNote("m-1", "c-1", t0))
	s2, _ := privacy.NewSubject("s-2", "employer-1", t0)
	ended, _ := e.s.Subject(e.ctx, "s-1")
	ended.EmploymentEnded = now
	c2 := c
	c2.ID = "c-2"
	closedCase := c
	closedCase.Closed = now
	r1, m1 := stored(note("r-1", "c-1", t0)), stored(medicalNote("m-1", "c-1", t0))
	r1.Fields = map[privacy.Field]string{privacy.FieldText: "changed unaudited"}
	r1.Updated = now
	m1.Fields = map[privacy.Field]string{privacy.FieldText: "changed unaudited"}
	m1.Updated = now
	before := e.snapshot(t, "s-1", "s-2")
	for _, events := range [][]privacy.Event{nil, {}} {
		for _, w := range []struct {
			name string
			err  error
		}{
			{"CreateSubject", e.s.CreateSubject(e.ctx, s2, events)},
			{"UpdateSubject", e.s.UpdateSubject(e.ctx, ended, events)},
			{"CreateCase", e.s.CreateCase(e.ctx, c2, events)},
			{"UpdateCase", e.s.UpdateCase(e.ctx, closedCase, events)},
			{"AddRecords", e.s.AddRecords(e.ctx, []privacy.Record{stored(note("r-2", "c-1", t0))}, events)},
			{"UpdateRecord", e.s.UpdateRecord(e.ctx, r1, events)},
			{"AddMedicalRecords", e.s.AddMedicalRecords(e.ctx, []privacy.Record{stored(medicalNote("m-2", "c-1", t0))}, events)},
			{"UpdateMedicalRecord", e.s.UpdateMedicalRecord(e.ctx, m1, events)},
			{"DeleteRecord", e.s.DeleteRecord(e.ctx, "r-1", events)},
			{"DeleteMedicalRecord", e.s.DeleteMedicalRecord(e.ctx, "m-1", events)},
			{"DeleteCase", e.s.DeleteCase(e.ctx, "c-1", events)},
			{"DeleteSubject", e.s.DeleteSubject(e.ctx, "s-1", events)},
		} {
			wantKind(t, fmt.Sprintf("G7: %s(%d events)", w.name, len(events)), w.err, privacy.ErrInvalid)
		}
	}
	e.wantUnchanged(t, "G7: unaudited writes", before, "s-1", "s-2")
}

func testStoreAppendsEvents(t *testing.T, e *env) {
	// Rules G7, N9: every write appends exactly the events it was given,
	// numbered on and chained into the one audit trail, in its atomic
	// unit.
	e.needTrail(t)
	ctx := e.ctx
	s1, _ := privacy.NewSubject("s-1", "employer-1", t0)
	c1, _ := privacy.NewCase("c-1", "s-1", privacy.CaseAbsence, privacy.PurposeAbsenceGuidance, contract, t0)
	c2 := c1
	c2.ID = "c-2"
	r1, r2, m1 := stored(note("r-1", "c-1", t0)), stored(note("r-2", "c-1", t0)), stored(medicalNote("m-1", "c-1", t0))
	fix := func(r privacy.Record) privacy.Record {
		r = r.Clone()
		r.Fields[privacy.FieldText] = "rectified"
		r.Updated = now
		return r
	}
	ended := s1
	ended.EmploymentEnded = now
	closedCase := c1
	closedCase.Closed = now
	for _, w := range []struct {
		name string
		do   func([]privacy.Event) error
	}{
		{"CreateSubject", func(ev []privacy.Event) error { return e.s.CreateSubject(ctx, s1, ev) }},
		{"UpdateSubject", func(ev []privacy.Event) error { return e.s.UpdateSubject(ctx, ended, ev) }},
		{"CreateCase", func(ev []privacy.Event) error { return e.s.CreateCase(ctx, c1, ev) }},
		{"CreateCase(c-2)", func(ev []privacy.Event) error { return e.s.CreateCase(ctx, c2, ev) }},
		{"AddRecords", func(ev []privacy.Event) error { return e.s.AddRecords(ctx, []privacy.Record{r1, r2}, ev) }},
		{"AddMedicalRecords", func(ev []privacy.Event) error { return e.s.AddMedicalRecords(ctx, []privacy.Record{m1}, ev) }},
		{"UpdateRecord", func(ev []privacy.Event) error { return e.s.UpdateRecord(ctx, fix(r1), ev) }},
		{"UpdateMedicalRecord", func(ev []privacy.Event) error { return e.s.UpdateMedicalRecord(ctx, fix(m1), ev) }},
		{"DeleteRecord", func(ev []privacy.Event) error { return e.s.DeleteRecord(ctx, "r-2", ev) }},
		{"DeleteMedicalRecord", func(ev []privacy.Event) error { return e.s.DeleteMedicalRecord(ctx, "m-1", ev) }},
		{"UpdateCase", func(ev []privacy.Event) error { return e.s.UpdateCase(ctx, closedCase, ev) }},
		{"DeleteCase", func(ev []privacy.Event) error { return e.s.DeleteCase(ctx, "c-2", ev) }},
		{"DeleteSubject", func(ev []privacy.Event) error { return e.s.DeleteSubject(ctx, "s-1", ev) }},
	} {
		after := e.lastSeq(t)
		events := kitEvents(w.name)
		if err := w.do(events); err != nil {
			t.Fatalf("%s: %v", w.name, err)
		}
		e.wantAppended(t, w.name, after, events)
	}
	e.verify(t)
}

// expect is the event the kit expects of a write of the case file, made
// as a under the Strict policy.
func expect(a privacy.Act, action privacy.EventAction, rule privacy.RuleID, s privacy.SubjectID, c privacy.CaseID,
	cat privacy.Category, object string, purpose privacy.Purpose) privacy.Event {
	if a.Purpose != "" {
		purpose = a.Purpose
	}
	return privacy.Event{Time: a.At, Principal: a.By.ID, Role: a.By.Role, OnBehalfOf: a.By.Party, Purpose: purpose,
		Subject: s, Case: c, Category: cat, Object: object, Action: action, Outcome: privacy.OutcomeAllowed, Rule: rule,
		Policy: privacy.Strict().Version, AccessPoint: a.AccessPoint, Client: a.Client}
}

func testEveryWriteAudited(t *testing.T, e *env) {
	// Rules O1, G7, N9: every write of the case file, BSN and medical
	// records included, leaves one audit event per object it creates,
	// changes or deletes: who, in which role, for whom, why, what of whom,
	// when, from where, under which rule and policy version.
	e.needTrail(t)
	const pur = privacy.PurposeAbsenceGuidance
	at := func(h int) time.Time { return now.Add(time.Duration(h) * time.Hour) }
	s1, _ := privacy.NewSubject("s-1", "employer-1", t0)
	c1, _ := privacy.NewCase("c-1", "s-1", privacy.CaseAbsence, pur, contract, t0)
	c2 := c1
	c2.ID = "c-2"
	r1, r2, r3 := note("r-1", "c-1", t0), note("r-2", "c-1", t0.Add(time.Minute)), note("r-3", "c-2", t0)
	bsn := record("r-bsn", "c-1", privacy.CategoryNationalID, t0.Add(2*time.Minute), map[privacy.Field]string{privacy.FieldBSN: "999990019"})
	bsn.Basis = "arbowet-14"
	m1 := medicalNote("m-1", "c-1", t0)
	fixed := func(id privacy.RecordID, medical bool) privacy.Record {
		get := e.s.Record
		if medical {
			get = e.s.MedicalRecord
		}
		r, err := get(e.ctx, id)
		if err != nil {
			t.Fatalf("read %s: %v", id, err)
		}
		r.Fields[privacy.FieldText] = "rectified"
		return r
	}
	ev := func(a privacy.Act, action privacy.EventAction, rule privacy.RuleID, c privacy.CaseID, cat privacy.Category, object string) privacy.Event {
		p := pur
		if c == "" {
			p = ""
		}
		return expect(a, action, rule, "s-1", c, cat, object, p)
	}
	for _, w := range []struct {
		name string
		a    privacy.Act
		do   func(privacy.Act) error
		want func(privacy.Act) []privacy.Event
	}{
		{"CreateSubject", act(t0), func(a privacy.Act) error { return e.d.CreateSubject(e.ctx, a, s1) },
			func(a privacy.Act) []privacy.Event {
				return []privacy.Event{ev(a, privacy.EventCreate, privacy.O8, "", "", "s-1")}
			}},
		{"OpenCase", act(t0), func(a privacy.Act) error { return e.d.OpenCase(e.ctx, a, c1) },
			func(a privacy.Act) []privacy.Event {
				return []privacy.Event{ev(a, privacy.EventCreate, privacy.O2, "c-1", "", "c-1")}
			}},
		{"AddRecords", act(at(0)), func(a privacy.Act) error { return e.d.AddRecords(e.ctx, a, r1, r2) },
			func(a privacy.Act) []privacy.Event {
				return []privacy.Event{ev(a, privacy.EventCreate, privacy.R4, "c-1", privacy.CategoryNotes, "r-1"),
					ev(a, privacy.EventCreate, privacy.R4, "c-1", privacy.CategoryNotes, "r-2")}
			}},
		{"AddRecord(BSN)", act(at(0)), func(a privacy.Act) error { return e.d.AddRecord(e.ctx, a, bsn) },
			func(a privacy.Act) []privacy.Event {
				return []privacy.Event{ev(a, privacy.EventCreate, privacy.N5, "c-1", privacy.CategoryNationalID, "r-bsn")}
			}},
		{"AddRecord(medical)", medAct(at(0)), func(a privacy.Act) error { return e.d.AddRecord(e.ctx, a, m1) },
			func(a privacy.Act) []privacy.Event {
				return []privacy.Event{ev(a, privacy.EventCreate, privacy.O6, "c-1", privacy.CategoryMedical, "m-1")}
			}},
		{"UpdateRecord", act(at(1)), func(a privacy.Act) error { return e.d.UpdateRecord(e.ctx, a, fixed("r-1", false)) },
			func(a privacy.Act) []privacy.Event {
				return []privacy.Event{ev(a, privacy.EventUpdate, privacy.O13, "c-1", privacy.CategoryNotes, "r-1")}
			}},
		{"UpdateRecord(medical)", medAct(at(1)), func(a privacy.Act) error { return e.d.UpdateRecord(e.ctx, a, fixed("m-1", true)) },
			func(a privacy.Act) []privacy.Event {
				return []privacy.Event{ev(a, privacy.EventUpdate, privacy.O13, "c-1", privacy.CategoryMedical, "m-1")}
			}},
		{"EndEmployment", act(at(2)), func(a privacy.Act) error { return e.d.EndEmployment(e.ctx, a, "s-1", at(2)) },
			func(a privacy.Act) []privacy.Event {
				return []privacy.Event{ev(a, privacy.EventUpdate, privacy.O8, "", "", "s-1")}
			}},
		{"DeleteRecord", act(at(3)), func(a privacy.Act) error { return e.d.DeleteRecord(e.ctx, a, "r-2") },
			func(a privacy.Act) []privacy.Event {
				return []privacy.Event{ev(a, privacy.EventDelete, privacy.O13, "c-1", privacy.CategoryNotes, "r-2")}
			}},
		{"DeleteMedicalRecord", medAct(at(3)), func(a privacy.Act) error { return e.d.DeleteMedicalRecord(e.ctx, a, "m-1") },
			func(a privacy.Act) []privacy.Event {
				return []privacy.Event{ev(a, privacy.EventDelete, privacy.O13, "c-1", privacy.CategoryMedical, "m-1")}
			}},
		{"OpenCase(c-2)", act(at(3)), func(a privacy.Act) error { return e.d.OpenCase(e.ctx, a, c2) },
			func(a privacy.Act) []privacy.Event {
				return []privacy.Event{ev(a, privacy.EventCreate, privacy.O2, "c-2", "", "c-2")}
			}},
		{"AddRecord(c-2)", act(at(3)), func(a privacy.Act) error { return e.d.AddRecord(e.ctx, a, r3) },
			func(a privacy.Act) []privacy.Event {
				return []privacy.Event{ev(a, privacy.EventCreate, privacy.R4, "c-2", privacy.CategoryNotes, "r-3")}
			}},
		{"DeleteCase", act(at(4)), func(a privacy.Act) error { return e.d.DeleteCase(e.ctx, a, "c-2") },
			func(a privacy.Act) []privacy.Event {
				return []privacy.Event{ev(a, privacy.EventDelete, privacy.O13, "c-2", privacy.CategoryNotes, "r-3"),
					ev(a, privacy.EventDelete, privacy.O13, "c-2", "", "c-2")}
			}},
		{"CloseCase", act(at(5)), func(a privacy.Act) error { return e.d.CloseCase(e.ctx, a, "c-1") },
			func(a privacy.Act) []privacy.Event {
				return []privacy.Event{ev(a, privacy.EventUpdate, privacy.R9, "c-1", "", "c-1")}
			}},
		{"DeleteSubject", act(at(6)), func(a privacy.Act) error { return e.d.DeleteSubject(e.ctx, a, "s-1") },
			func(a privacy.Act) []privacy.Event {
				return []privacy.Event{ev(a, privacy.EventDelete, privacy.O13, "c-1", privacy.CategoryNotes, "r-1"),
					ev(a, privacy.EventDelete, privacy.O13, "c-1", privacy.CategoryNationalID, "r-bsn"),
					ev(a, privacy.EventDelete, privacy.O13, "c-1", "", "c-1"),
					ev(a, privacy.EventDelete, privacy.O13, "", "", "s-1")}
			}},
	} {
		after := e.lastSeq(t)
		if err := w.do(w.a); err != nil {
			t.Fatalf("%s: %v", w.name, err)
		}
		e.wantAppended(t, w.name, after, w.want(w.a))
	}
	e.verify(t)
}

func testMedicalReadAudited(t *testing.T, e *env) {
	// Rules N9, G7, O6: a read of the medical file is audited before it
	// returns anything; no event, no data.
	e.needTrail(t)
	e.subject(t, "s-1")
	e.openCase(t, "c-1", "s-1", t0)
	e.add(t, medicalNote("m-1", "c-1", t0))
	a := medAct(now)
	const pur = privacy.PurposeAbsenceGuidance
	after := e.lastSeq(t)
	if _, err := e.d.MedicalRecord(e.ctx, a, "m-1"); err != nil {
		t.Fatalf("MedicalRecord(m-1): %v", err)
	}
	e.wantAppended(t, "MedicalRecord(m-1)", after,
		[]privacy.Event{expect(a, privacy.EventRead, privacy.O6, "s-1", "c-1", privacy.CategoryMedical, "m-1", pur)})
	after = e.lastSeq(t)
	if rs, err := collect(t, e.d.CaseMedicalRecords(e.ctx, a, "c-1")); err != nil || len(rs) != 1 {
		t.Fatalf("CaseMedicalRecords(c-1) = %d records, %v; want 1", len(rs), err)
	}
	e.wantAppended(t, "CaseMedicalRecords(c-1)", after,
		[]privacy.Event{expect(a, privacy.EventRead, privacy.O6, "s-1", "c-1", privacy.CategoryMedical, "", pur)})
	// A missing record: the attempt is audited too.
	after = e.lastSeq(t)
	_, err := e.d.MedicalRecord(e.ctx, a, "m-9")
	wantKind(t, "MedicalRecord(missing)", err, privacy.ErrNotFound)
	failed := expect(a, privacy.EventRead, privacy.O6, "", "", privacy.CategoryMedical, "m-9", pur)
	failed.Outcome = privacy.OutcomeFailed
	e.wantAppended(t, "MedicalRecord(missing)", after, []privacy.Event{failed})
	// Rule R5: a read for another purpose is refused, and audited.
	other := a
	other.Purpose = privacy.PurposePrevention
	after = e.lastSeq(t)
	r, err := e.d.MedicalRecord(e.ctx, other, "m-1")
	wantRule(t, "R5: MedicalRecord(another purpose)", err, privacy.ErrForbidden, privacy.R5)
	if r.Fields != nil {
		t.Errorf("R5: a refused read returned content")
	}
	denied := expect(other, privacy.EventRead, privacy.R5, "s-1", "c-1", privacy.CategoryMedical, "m-1", "")
	denied.Outcome = privacy.OutcomeDenied
	e.wantAppended(t, "MedicalRecord(another purpose)", after, []privacy.Event{denied})

	fi, ok := e.s.(FaultInjector)
	if !ok {
		return
	}
	// No event, no data.
	before := e.snapshot(t, "s-1")
	fi.FailAfter(0)
	r, err = e.d.MedicalRecord(e.ctx, a, "m-1")
	fi.FailAfter(-1)
	wantRule(t, "G7: MedicalRecord(audit fails)", err, privacy.ErrUnavailable, privacy.G7)
	if r.Fields != nil {
		t.Errorf("G7: MedicalRecord returned content although its read was not audited")
	}
	fi.FailAfter(0)
	rs, err := collect(t, e.d.CaseMedicalRecords(e.ctx, a, "c-1"))
	fi.FailAfter(-1)
	wantRule(t, "G7: CaseMedicalRecords(audit fails)", err, privacy.ErrUnavailable, privacy.G7)
	if len(rs) != 0 {
		t.Errorf("G7: CaseMedicalRecords yielded %d records although its read was not audited", len(rs))
	}
	e.wantUnchanged(t, "G7: unaudited reads", before, "s-1")
}

func testFailedAuditLeavesNothing(t *testing.T, e *env) {
	// Rules G7, O1: a write whose audit events cannot be written is not
	// done. Each write of the case file is failed at every row it writes,
	// its events included, until it goes through: each failure leaves
	// the store and its trail as they were.
	fi, ok := e.s.(FaultInjector)
	if !ok {
		t.Skip("the adapter does not implement privacytest.FaultInjector")
	}
	s1, _ := privacy.NewSubject("s-1", "employer-1", t0)
	c1, _ := privacy.NewCase("c-1", "s-1", privacy.CaseAbsence, privacy.PurposeAbsenceGuidance, contract, t0)
	c2 := c1
	c2.ID = "c-2"
	fixed := func(r privacy.Record) privacy.Record {
		r = stored(r)
		r.Fields = maps.Clone(r.Fields)
		r.Fields[privacy.FieldText] = "rectified"
		return r
	}
	at := func(h int) time.Time { return now.Add(time.Duration(h) * time.Hour) }
	for _, w := range []struct {
		name string
		do   func() error
	}{
		{"CreateSubject", func() error { return e.d.CreateSubject(e.ctx, act(t0), s1) }},
		{"OpenCase", func() error { return e.d.OpenCase(e.ctx, act(t0), c1) }},
		{"AddRecords", func() error {
			return e.d.AddRecords(e.ctx, act(now), note("r-1", "c-1", t0), note("r-2", "c-1", t0))
		}},
		{"AddRecord(medical)", func() error { return e.d.AddRecord(e.ctx, medAct(now), medicalNote("m-1", "c-1", t0)) }},
		{"UpdateRecord", func() error { return e.d.UpdateRecord(e.ctx, act(at(1)), fixed(note("r-1", "c-1", t0))) }},
		{"UpdateRecord(medical)", func() error {
			return e.d.UpdateRecord(e.ctx, medAct(at(1)), fixed(medicalNote("m-1", "c-1", t0)))
		}},
		{"EndEmployment", func() error { return e.d.EndEmployment(e.ctx, act(at(2)), "s-1", at(2)) }},
		{"DeleteRecord", func() error { return e.d.DeleteRecord(e.ctx, act(at(3)), "r-2") }},
		{"OpenCase(c-2)", func() error { return e.d.OpenCase(e.ctx, act(t0), c2) }},
		{"AddRecord(c-2)", func() error { return e.d.AddRecord(e.ctx, act(now), note("r-3", "c-2", t0)) }},
		{"DeleteCase", func() error { return e.d.DeleteCase(e.ctx, act(at(3)), "c-2") }},
		{"CloseCase", func() error { return e.d.CloseCase(e.ctx, act(at(4)), "c-1") }},
		{"DeleteMedicalRecord", func() error { return e.d.DeleteMedicalRecord(e.ctx, medAct(at(4)), "m-1") }},
		{"DeleteSubject", func() error { return e.d.DeleteSubject(e.ctx, act(at(5)), "s-1") }},
	} {
		failures := 0
		for k := 0; ; k++ {
			if k > 100 {
				t.Fatalf("%s still fails after %d injected failures", w.name, k)
			}
			before := e.snapshot(t, "s-1")
			fi.FailAfter(k)
			err := w.do()
			fi.FailAfter(-1)
			if err == nil {
				break
			}
			failures++
			if !errors.Is(err, privacy.ErrUnavailable) {
				t.Fatalf("%s failing after %d rows: %v, want ErrUnavailable", w.name, k, err)
			}
			e.wantUnchanged(t, fmt.Sprintf("G7: %s failing after %d rows", w.name, k), before, "s-1")
		}
		if failures == 0 {
			t.Errorf("%s never failed: its writes are not counted by FailAfter", w.name)
		}
	}
	e.verify(t)
}
