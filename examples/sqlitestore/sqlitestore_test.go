package sqlitestore_test

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/dossierwacht/dossierwacht/examples/internal/adaptertest"
	"github.com/dossierwacht/dossierwacht/examples/sqlitestore"
	"github.com/dossierwacht/dossierwacht/privacy"
	"github.com/dossierwacht/dossierwacht/privacy/privacytest"
)

func open(t testing.TB) *sqlitestore.Store {
	t.Helper()
	s, err := sqlitestore.Open(context.Background(), filepath.Join(t.TempDir(), "dossiers.db"), nil)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() {
		if err := s.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	return s
}

var _ privacytest.FaultInjector = (*sqlitestore.Store)(nil)

func TestConformance(t *testing.T) {
	privacytest.Run(t, func(t *testing.T) privacy.Store { return open(t) })
}

// audit is the audit event of a write the tests make on the store
// directly: privacy.Store takes none without (rules O1, G7).
var audit = []privacy.Event{adaptertest.Event(0, "s-1")}

func TestAdapter(t *testing.T) {
	adaptertest.Run(t, func(t *testing.T) adaptertest.Store { return open(t) })
}

// TestReopen shows that the file keeps everything and that opening it
// again migrates nothing.
func TestReopen(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "dossiers.db")
	s, err := sqlitestore.Open(ctx, path, nil)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	if err := s.CreateSubject(ctx, privacy.Subject{ID: "s-1", Created: time.Unix(1, 1000)}, audit); err != nil {
		t.Fatalf("CreateSubject: %v", err)
	}
	if _, err := s.AppendEvents(ctx, adaptertest.Event(1, "s-1")); err != nil {
		t.Fatalf("AppendEvents: %v", err)
	}
	if err := s.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	for range 2 {
		s, err = sqlitestore.Open(ctx, path, nil)
		if err != nil {
			t.Fatalf("Open again: %v", err)
		}
		sub, err := s.Subject(ctx, "s-1")
		if err != nil || !sub.Created.Equal(time.Unix(1, 1000)) {
			t.Errorf("after reopening: Subject = %+v, %v", sub, err)
		}
		got, err := s.AppendEvents(ctx, adaptertest.Event(2, "s-1"))
		if err != nil || got[0].Seq < 2 {
			t.Errorf("after reopening: AppendEvents = %+v, %v; want the chain continued", got, err)
		}
		if err := s.Close(); err != nil {
			t.Fatalf("Close: %v", err)
		}
	}
}

func TestOpenErrors(t *testing.T) {
	ctx := context.Background()
	if _, err := sqlitestore.Open(ctx, "", nil); !errors.Is(err, privacy.ErrInvalid) {
		t.Errorf("Open(\"\") = %v, want ErrInvalid", err)
	}
	dir := t.TempDir()
	if _, err := sqlitestore.Open(ctx, filepath.Join(dir, "missing", "dir", "x.db"), nil); !errors.Is(err, privacy.ErrUnavailable) {
		t.Errorf("Open(in a missing directory) = %v, want ErrUnavailable", err)
	}
	// A path with characters that mean something in a URI.
	s, err := sqlitestore.Open(ctx, filepath.Join(dir, "a?b#c%d e.db"), nil)
	if err != nil {
		t.Fatalf("Open(odd name): %v", err)
	}
	s.Close()
}

// FuzzRecordRoundTrip sends arbitrary IDs, text and field content to the
// store: a record the store accepts comes back exactly; one it refuses is
// refused with privacy.ErrInvalid, and nothing is stored.
func FuzzRecordRoundTrip(f *testing.F) {
	f.Add("r-1", "c-1", "cm-1", "text", "hello", int64(1772442000000000))
	f.Add("r 1", "c-1", "cm-1", "text", "'; DROP TABLE records; --", int64(0))
	f.Add("r-2", "c'1", "\x00", "\xff", "\x00\xff", int64(-62135596800000000))
	f.Add("r:3.x_y", "c-1", "ünïcødé", "", "", int64(253402300799999999))
	f.Add("", "", "", "", "", int64(1))
	s := open(f)
	ctx := context.Background()
	t0 := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	if err := s.CreateSubject(ctx, privacy.Subject{ID: "s-1", Created: t0}, audit); err != nil {
		f.Fatal(err)
	}
	if err := s.CreateCase(ctx, privacy.Case{ID: "c-1", Subject: "s-1", Opened: t0}, audit); err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, id, caseID, author, field, value string, created int64) {
		r := privacy.Record{ID: privacy.RecordID(id), Case: privacy.CaseID(caseID), Subject: "s-1",
			Category: privacy.CategoryNotes, Author: privacy.PrincipalID(author), Source: privacy.Source{Kind: privacy.PartyService},
			Created: time.UnixMicro(created).UTC(), Fields: map[privacy.Field]string{privacy.Field(field): value}}
		err := s.AddRecords(ctx, []privacy.Record{r}, audit)
		valid := privacy.ValidID(id) && privacy.ValidID(caseID) && validText(author) &&
			r.Created.Year() >= 1 && r.Created.Year() <= 9999 && !r.Created.IsZero()
		switch {
		case !valid:
			if !errors.Is(err, privacy.ErrInvalid) {
				t.Fatalf("AddRecords(%+v) = %v, want ErrInvalid", r, err)
			}
		case caseID != "c-1":
			if !errors.Is(err, privacy.ErrNotFound) {
				t.Fatalf("AddRecords(missing case %q) = %v, want ErrNotFound", caseID, err)
			}
		case err != nil:
			t.Fatalf("AddRecords(%+v) = %v", r, err)
		}
		if err != nil {
			if privacy.ValidID(id) {
				if _, err := s.Record(ctx, r.ID); !errors.Is(err, privacy.ErrNotFound) {
					t.Fatalf("a refused record was stored: %v", err)
				}
			}
			return
		}
		got, err := s.Record(ctx, r.ID)
		if err != nil {
			t.Fatalf("Record(%q): %v", id, err)
		}
		if got.ID != r.ID || got.Case != r.Case || got.Author != r.Author || !got.Created.Equal(r.Created) ||
			!maps.Equal(got.Fields, r.Fields) {
			t.Fatalf("round trip: got %+v, want %+v", got, r)
		}
		n := 0
		for rec, err := range s.CaseRecords(ctx, r.Case) {
			if err != nil {
				t.Fatalf("CaseRecords: %v", err)
			}
			if rec.ID == r.ID {
				n++
			}
		}
		if n != 1 {
			t.Fatalf("CaseRecords lists %q %d times", id, n)
		}
		if err := s.DeleteRecord(ctx, r.ID, audit); err != nil {
			t.Fatalf("DeleteRecord: %v", err)
		}
	})
}

func validText(s string) bool {
	return len(s) <= 4096 && !strings.Contains(s, "\x00") && utf8.ValidString(s)
}

func benchStore(b *testing.B) *sqlitestore.Store {
	b.Helper()
	s := open(b)
	ctx := context.Background()
	t0 := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	if err := s.CreateSubject(ctx, privacy.Subject{ID: "s-1", Created: t0}, audit); err != nil {
		b.Fatal(err)
	}
	if err := s.CreateCase(ctx, privacy.Case{ID: "c-1", Subject: "s-1", Opened: t0}, audit); err != nil {
		b.Fatal(err)
	}
	return s
}

// BenchmarkAddRecords adds batches of 100 records to one case.
func BenchmarkAddRecords(b *testing.B) {
	const batch = 100
	s := benchStore(b)
	ctx := context.Background()
	t0 := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	rs := make([]privacy.Record, batch)
	evs := make([]privacy.Event, batch) // one audit event per record, as privacy.Dossiers writes them
	b.ReportAllocs()
	n := 0
	for b.Loop() {
		for i := range rs {
			n++
			rs[i] = privacy.Record{ID: privacy.RecordID(fmt.Sprintf("r-%d", n)), Case: "c-1", Subject: "s-1",
				Category: privacy.CategoryNotes, Author: "cm-1", Source: privacy.Source{Kind: privacy.PartyService},
				Created: t0.Add(time.Duration(n) * time.Second), Fields: map[privacy.Field]string{privacy.FieldText: "a note of a few words"}}
			evs[i] = adaptertest.Event(n, "s-1")
		}
		if err := s.AddRecords(ctx, rs, evs); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "records/s")
}

// BenchmarkAuditAppendBatch appends batches of 100 hash-chained events.
func BenchmarkAuditAppendBatch(b *testing.B) {
	const batch = 100
	s := open(b)
	ctx := context.Background()
	es := make([]privacy.Event, batch)
	for i := range es {
		es[i] = adaptertest.Event(i, "s-1")
	}
	b.ReportAllocs()
	n := 0
	for b.Loop() {
		if _, err := s.AppendEvents(ctx, es...); err != nil {
			b.Fatal(err)
		}
		n += batch
	}
	b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "events/s")
}
