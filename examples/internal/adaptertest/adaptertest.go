// Package adaptertest checks what the SQL adapters promise beyond the
// privacytest kit, alike for both: the hash-chained audit trail (numbered
// without gaps, chained, never forked by concurrent appends, atomic under an
// injected failure, read from any point and by subject), times that
// round-trip to the microsecond, typed errors for input a database cannot
// keep, and a cancelled context. Each adapter runs it from its own test.
package adaptertest

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"sync"
	"testing"
	"time"

	"github.com/dossierwacht/dossierwacht/privacy"
)

// Store is what an adapter offers: the case file, the audit trail and
// fault injection.
type Store interface {
	privacy.Store
	AppendEvents(ctx context.Context, events ...privacy.Event) ([]privacy.Event, error)
	Events(ctx context.Context, from uint64) iter.Seq2[privacy.Event, error]
	SubjectEvents(ctx context.Context, id privacy.SubjectID, from uint64) iter.Seq2[privacy.Event, error]
	FailAfter(n int)
}

// Run runs every case against stores made by newStore, one per subtest.
func Run(t *testing.T, newStore func(t *testing.T) Store) {
	t.Helper()
	for _, tc := range []struct {
		name string
		run  func(*testing.T, Store)
	}{
		{"G7_AuditChain", testAuditChain},
		{"G7_AuditConcurrentAppendsNeverFork", testAuditConcurrent},
		{"G7_AuditAtomicFault", testAuditFault},
		{"N9_AuditEventsFrom", testEventsFrom},
		{"N9_SubjectEvents", testSubjectEvents},
		{"TimesMicrosecond", testTimes},
		{"BadInputTypedErrors", testBadInput},
		{"CancelledContext", testCancelled},
		{"UpdateCaseKeepsSubject", testUpdateCaseKeepsSubject},
	} {
		t.Run(tc.name, func(t *testing.T) { tc.run(t, newStore(t)) })
	}
}

var t0 = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

// Event returns a test event about subject at t0+i seconds.
func Event(i int, subject privacy.SubjectID) privacy.Event {
	return privacy.Event{Time: t0.Add(time.Duration(i) * time.Second), Principal: "cm-1", Role: privacy.RoleCaseManager,
		Subject: subject, Case: "c-1", Category: privacy.CategoryNotes, Object: fmt.Sprintf("r-%d", i),
		Action: privacy.EventRead, Outcome: privacy.OutcomeAllowed, Rule: privacy.R7, Policy: "strict/1.0.0",
		AccessPoint: "api", Client: "10.0.0.1"}
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

// verify checks that es is the whole trail, one chain per subject (rule
// G7): each chain numbered from 1 without gaps, each event hashed over its
// content and linked to the one before in its chain.
func verify(t *testing.T, es []privacy.Event) {
	t.Helper()
	type head struct {
		seq  uint64
		hash privacy.Hash
	}
	heads := map[privacy.SubjectID]head{}
	for _, e := range es {
		h := heads[e.Subject]
		if e.Seq != h.seq+1 {
			t.Fatalf("G7: event %d of chain %s follows event %d", e.Seq, e.Subject, h.seq)
		}
		if e.Prev != h.hash {
			t.Fatalf("G7: event %d of chain %s does not link to event %d: the chain forked", e.Seq, e.Subject, h.seq)
		}
		if e.ComputeHash() != e.Hash {
			t.Fatalf("G7: event %d's hash does not match its content", e.Seq)
		}
		heads[e.Subject] = head{e.Seq, e.Hash}
	}
}

func testAuditChain(t *testing.T, s Store) {
	ctx := context.Background()
	in := []privacy.Event{Event(1, "s-1"), Event(2, "s-2"), Event(3, "s-1")}
	in[1].Time = t0.Add(1500 * time.Nanosecond) // kept to the microsecond
	got, err := s.AppendEvents(ctx, in...)
	if err != nil {
		t.Fatalf("AppendEvents: %v", err)
	}
	more, err := s.AppendEvents(ctx, Event(4, "s-3"))
	if err != nil {
		t.Fatalf("AppendEvents: %v", err)
	}
	got = append(got, more...)
	stored := events(t, s.Events(ctx, 0))
	if len(stored) != 4 {
		t.Fatalf("Events(0) = %d events, want 4", len(stored))
	}
	verify(t, stored)
	for i := range stored {
		if stored[i] != got[i] {
			t.Errorf("Events()[%d] = %+v, want what AppendEvents returned, %+v", i, stored[i], got[i])
		}
	}
	if want := privacy.Timestamp(in[1].Time); !stored[1].Time.Equal(want) || stored[1].Time.Location() != time.UTC {
		t.Errorf("event time = %v, want %v in UTC", stored[1].Time, want)
	}
	if none, err := s.AppendEvents(ctx); err != nil || len(none) != 0 {
		t.Errorf("AppendEvents() = %v, %v; want nothing", none, err)
	}
}

func testAuditConcurrent(t *testing.T, s Store) {
	ctx := context.Background()
	const workers, perWorker = 8, 10
	var wg sync.WaitGroup
	errs := make(chan error, workers*perWorker)
	for w := range workers {
		wg.Go(func() {
			for i := range perWorker {
				if _, err := s.AppendEvents(ctx, Event(w*100+i, "s-1"), Event(w*100+i, "s-2")); err != nil {
					errs <- err
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Errorf("concurrent AppendEvents: %v", err)
	}
	stored := events(t, s.Events(ctx, 1))
	if len(stored) != 2*workers*perWorker {
		t.Fatalf("G7: %d events stored, want %d", len(stored), 2*workers*perWorker)
	}
	verify(t, stored)
}

func testAuditFault(t *testing.T, s Store) {
	ctx := context.Background()
	if _, err := s.AppendEvents(ctx, Event(1, "s-1")); err != nil {
		t.Fatalf("AppendEvents: %v", err)
	}
	s.FailAfter(2)
	_, err := s.AppendEvents(ctx, Event(2, "s-1"), Event(3, "s-1"), Event(4, "s-1"))
	if !errors.Is(err, privacy.ErrUnavailable) {
		t.Errorf("AppendEvents(fault after 2 rows) = %v, want ErrUnavailable", err)
	}
	if got := events(t, s.Events(ctx, 1)); len(got) != 1 {
		t.Errorf("G7: a failed append left %d events, want 1", len(got))
	}
	s.FailAfter(-1)
	if _, err := s.AppendEvents(ctx, Event(2, "s-1")); err != nil {
		t.Fatalf("AppendEvents after disarming: %v", err)
	}
	verify(t, events(t, s.Events(ctx, 1)))
}

func testEventsFrom(t *testing.T, s Store) {
	ctx := context.Background()
	// More than one page of the adapters' readers.
	const n = 600
	batch := make([]privacy.Event, n)
	for i := range batch {
		batch[i] = Event(i, "s-1")
	}
	if _, err := s.AppendEvents(ctx, batch...); err != nil {
		t.Fatalf("AppendEvents: %v", err)
	}
	all := events(t, s.Events(ctx, 0))
	if len(all) != n {
		t.Fatalf("Events(0) = %d events, want %d", len(all), n)
	}
	verify(t, all)
	from := events(t, s.Events(ctx, 300))
	if len(from) != n-299 || from[0].Seq != 300 {
		t.Errorf("Events(300) = %d events from %d, want %d from 300", len(from), from[0].Seq, n-299)
	}
	if got := events(t, s.Events(ctx, n+1)); len(got) != 0 {
		t.Errorf("Events(past the end) = %d events", len(got))
	}
	for range s.Events(ctx, 1) {
		break // stopping early is allowed
	}
}

func testSubjectEvents(t *testing.T, s Store) {
	ctx := context.Background()
	var in []privacy.Event
	for i := range 300 {
		in = append(in, Event(i, privacy.SubjectID(fmt.Sprintf("s-%d", i%3))))
	}
	if _, err := s.AppendEvents(ctx, in...); err != nil {
		t.Fatalf("AppendEvents: %v", err)
	}
	got := events(t, s.SubjectEvents(ctx, "s-1", 0))
	if len(got) != 100 {
		t.Fatalf("N9: SubjectEvents(s-1) = %d events, want 100", len(got))
	}
	for i, e := range got {
		if e.Subject != "s-1" || (i > 0 && e.Seq <= got[i-1].Seq) {
			t.Fatalf("N9: SubjectEvents(s-1)[%d] = seq %d subject %s", i, e.Seq, e.Subject)
		}
	}
	if later := events(t, s.SubjectEvents(ctx, "s-1", got[50].Seq)); len(later) != 50 {
		t.Errorf("N9: SubjectEvents(s-1, from %d) = %d events, want 50", got[50].Seq, len(later))
	}
	if none := events(t, s.SubjectEvents(ctx, "nobody", 0)); len(none) != 0 {
		t.Errorf("SubjectEvents(nobody) = %d events", len(none))
	}
	for _, err := range s.SubjectEvents(ctx, "bad id", 0) {
		if !errors.Is(err, privacy.ErrInvalid) {
			t.Errorf("SubjectEvents(malformed) = %v, want ErrInvalid", err)
		}
	}
}

// audit is the audit event of a write the kit makes on the store directly:
// privacy.Store takes none without (rules O1, G7).
var audit = []privacy.Event{{Time: t0, Principal: "adaptertest", Role: privacy.RoleCaseManager,
	Action: privacy.EventCreate, Outcome: privacy.OutcomeAllowed, Rule: privacy.R4}}

func setup(t *testing.T, s Store) {
	t.Helper()
	ctx := context.Background()
	if err := s.CreateSubject(ctx, privacy.Subject{ID: "s-1", Created: t0}, audit); err != nil {
		t.Fatalf("CreateSubject: %v", err)
	}
	c := privacy.Case{ID: "c-1", Subject: "s-1", Kind: privacy.CaseAbsence, Purpose: privacy.PurposeAbsenceGuidance,
		Contract: privacy.Contract{ID: "k-1", Party: "e-1", PartyKind: privacy.PartyEmployer, Start: t0}, Opened: t0}
	if err := s.CreateCase(ctx, c, audit); err != nil {
		t.Fatalf("CreateCase: %v", err)
	}
}

func testTimes(t *testing.T, s Store) {
	ctx := context.Background()
	setup(t, s)
	at := time.Date(2026, 3, 2, 9, 0, 0, 123456000, time.FixedZone("CET", 3600))
	for i, tm := range []time.Time{at, at.Add(time.Microsecond), time.Date(1, 1, 1, 0, 0, 0, 1000, time.UTC),
		time.Date(9999, 12, 31, 23, 59, 59, 999999000, time.UTC), time.Date(1969, 12, 31, 23, 59, 59, 999999000, time.UTC)} {
		id := privacy.RecordID(fmt.Sprintf("r-%d", i))
		r := privacy.Record{ID: id, Case: "c-1", Subject: "s-1", Category: privacy.CategoryNotes, Author: "cm-1",
			Source: privacy.Source{Kind: privacy.PartyService}, Created: privacy.Timestamp(tm), Updated: privacy.Timestamp(tm),
			Fields: map[privacy.Field]string{privacy.FieldText: "x"}}
		if err := s.AddRecords(ctx, []privacy.Record{r}, audit); err != nil {
			t.Fatalf("AddRecords(%v): %v", tm, err)
		}
		got, err := s.Record(ctx, id)
		if err != nil {
			t.Fatalf("Record: %v", err)
		}
		if !got.Created.Equal(r.Created) || !got.Updated.Equal(r.Updated) || got.Created.Location() != time.UTC {
			t.Errorf("times of %v came back as %v, %v; want %v in UTC", tm, got.Created, got.Updated, r.Created)
		}
	}
	// A subject's end of employment stays zero until it is set.
	sub, err := s.Subject(ctx, "s-1")
	if err != nil || !sub.EmploymentEnded.IsZero() || !sub.Created.Equal(t0) {
		t.Errorf("Subject = %+v, %v", sub, err)
	}
	c, err := s.Case(ctx, "c-1")
	if err != nil || !c.Closed.IsZero() || !c.Contract.End.IsZero() || !c.Opened.Equal(t0) {
		t.Errorf("Case = %+v, %v", c, err)
	}
}

func testBadInput(t *testing.T, s Store) {
	ctx := context.Background()
	setup(t, s)
	good := privacy.Record{ID: "r-1", Case: "c-1", Subject: "s-1", Category: privacy.CategoryNotes, Author: "cm-1",
		Source: privacy.Source{Kind: privacy.PartyService}, Created: t0, Fields: map[privacy.Field]string{privacy.FieldText: "x"}}
	for _, tc := range []struct {
		what string
		edit func(*privacy.Record)
	}{
		{"malformed id", func(r *privacy.Record) { r.ID = "r 1; DROP TABLE records" }},
		{"empty id", func(r *privacy.Record) { r.ID = "" }},
		{"malformed case", func(r *privacy.Record) { r.Case = "c'1" }},
		{"NUL in author", func(r *privacy.Record) { r.Author = "cm\x00" }},
		{"invalid UTF-8 in category", func(r *privacy.Record) { r.Category = "\xff" }},
		{"year 10000", func(r *privacy.Record) { r.Created = time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC) }},
		{"no creation time", func(r *privacy.Record) { r.Created = time.Time{} }},
	} {
		r := good
		tc.edit(&r)
		if err := s.AddRecords(ctx, []privacy.Record{good, r}, audit); !errors.Is(err, privacy.ErrInvalid) {
			t.Errorf("AddRecords(%s) = %v, want ErrInvalid", tc.what, err)
		}
		if _, err := s.Record(ctx, "r-1"); !errors.Is(err, privacy.ErrNotFound) {
			t.Errorf("AddRecords(%s) stored the good record of its batch: %v", tc.what, err)
		}
	}
	if _, err := s.Subject(ctx, "x' OR '1'='1"); !errors.Is(err, privacy.ErrInvalid) {
		t.Errorf("Subject(malformed) = %v, want ErrInvalid", err)
	}
	if _, err := s.AppendEvents(ctx, privacy.Event{Principal: "p\x00", Time: t0}); !errors.Is(err, privacy.ErrInvalid) {
		t.Errorf("AppendEvents(NUL) = %v, want ErrInvalid", err)
	}
	// Any bytes in a field round-trip.
	r := good
	r.Fields = map[privacy.Field]string{privacy.FieldText: "\x00\xff\xfe 'quoted' \"double\" \\ ; --", "": ""}
	if err := s.AddRecords(ctx, []privacy.Record{r}, audit); err != nil {
		t.Fatalf("AddRecords(binary fields): %v", err)
	}
	got, err := s.Record(ctx, "r-1")
	if err != nil || len(got.Fields) != 2 || got.Fields[privacy.FieldText] != r.Fields[privacy.FieldText] {
		t.Errorf("binary fields came back as %q, %v", got.Fields, err)
	}
}

func testCancelled(t *testing.T, s Store) {
	setup(t, s)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := s.Subject(ctx, "s-1"); !errors.Is(err, privacy.ErrUnavailable) {
		t.Errorf("Subject(cancelled) = %v, want ErrUnavailable", err)
	}
	if err := s.CreateSubject(ctx, privacy.Subject{ID: "s-2", Created: t0}, audit); !errors.Is(err, privacy.ErrUnavailable) {
		t.Errorf("CreateSubject(cancelled) = %v, want ErrUnavailable", err)
	}
	for _, err := range s.CaseRecords(ctx, "c-1") {
		if !errors.Is(err, privacy.ErrUnavailable) {
			t.Errorf("CaseRecords(cancelled) = %v, want ErrUnavailable", err)
		}
	}
	if _, err := s.Subject(context.Background(), "s-2"); !errors.Is(err, privacy.ErrNotFound) {
		t.Errorf("a cancelled CreateSubject stored the subject: %v", err)
	}
}

func testUpdateCaseKeepsSubject(t *testing.T, s Store) {
	ctx := context.Background()
	setup(t, s)
	if err := s.CreateSubject(ctx, privacy.Subject{ID: "s-2", Created: t0}, audit); err != nil {
		t.Fatalf("CreateSubject: %v", err)
	}
	c, _ := s.Case(ctx, "c-1")
	c.Subject = "s-2"
	if err := s.UpdateCase(ctx, c, audit); !errors.Is(err, privacy.ErrInvalid) {
		t.Errorf("UpdateCase(other subject) = %v, want ErrInvalid", err)
	}
	if got, _ := s.Case(ctx, "c-1"); got.Subject != "s-1" {
		t.Errorf("a refused UpdateCase moved the case to %s", got.Subject)
	}
}
