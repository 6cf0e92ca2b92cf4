package export_test

import (
	"context"
	"fmt"
	"iter"
	"runtime"
	"runtime/metrics"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/dossierwacht/dossierwacht/export"
	"github.com/dossierwacht/dossierwacht/memstore"
	"github.com/dossierwacht/dossierwacht/privacy"
	"github.com/dossierwacht/dossierwacht/rights"
)

// genStore is a privacy.Store whose one subject has one case with n
// records, made as they are read: it holds none of them, so the heap an
// export uses is the export's own. Only the methods an export calls are
// implemented.
type genStore struct {
	privacy.Store // nil: the other methods are not called
	n, medical    int
	c             privacy.Case
	s             privacy.Subject
}

func newGenStore(n int) *genStore {
	s, _ := privacy.NewSubject(anna, "employer-bakery", t0)
	c, _ := privacy.NewCase(annaCase, anna, privacy.CaseAbsence, privacy.PurposeAbsenceGuidance, contract, t0)
	return &genStore{n: n, medical: n / 100, s: s, c: c}
}

// AppendEvents takes the audit events of the export's reads of the
// medical file and keeps none.
func (g *genStore) AppendEvents(_ context.Context, events ...privacy.Event) ([]privacy.Event, error) {
	return events, nil
}

func (g *genStore) Subject(context.Context, privacy.SubjectID) (privacy.Subject, error) {
	return g.s, nil
}

// Case answers the case file's check, for a store that does not filter a
// case's records by the subject, that the case is the subject's.
func (g *genStore) Case(context.Context, privacy.CaseID) (privacy.Case, error) { return g.c, nil }

func (g *genStore) SubjectCases(context.Context, privacy.SubjectID) ([]privacy.Case, error) {
	return []privacy.Case{g.c}, nil
}

func genRecord(i int, medical bool) privacy.Record {
	r := privacy.Record{ID: privacy.RecordID(fmt.Sprintf("rec-%06d", i)), Case: annaCase, Subject: anna, Author: carla,
		Source: privacy.Source{Kind: privacy.PartyService}, Purpose: privacy.PurposeAbsenceGuidance,
		Created: t0.Add(time.Duration(i) * time.Second), Updated: t0.Add(time.Duration(i) * time.Second)}
	switch {
	case medical:
		r.Category = privacy.CategoryMedical
		r.Fields = map[privacy.Field]string{privacy.FieldText: "consult: complaints of the lower back, physiotherapy advised, review in two weeks"}
	case i%3 == 0:
		r.Category = privacy.CategoryAbsenceFacts
		r.Fields = map[privacy.Field]string{privacy.FieldFirstDay: "2026-03-02", privacy.FieldExpectedDuration: "2 weeks",
			privacy.FieldIncapacityDegree: "50%"}
	default:
		r.Category = privacy.CategoryNotes
		r.Fields = map[privacy.Field]string{privacy.FieldText: fmt.Sprintf("conversation %d: talked about the build-up of hours; "+
			"colleague present; next appointment in a week. The employee prefers mornings.", i)}
	}
	return r
}

func (g *genStore) CaseRecords(ctx context.Context, _ privacy.CaseID) iter.Seq2[privacy.Record, error] {
	return func(yield func(privacy.Record, error) bool) {
		for i := range g.n - g.medical {
			if !yield(genRecord(i, false), nil) {
				return
			}
		}
	}
}

func (g *genStore) CaseMedicalRecords(ctx context.Context, _ privacy.CaseID) iter.Seq2[privacy.Record, error] {
	return func(yield func(privacy.Record, error) bool) {
		for i := range g.medical {
			if !yield(genRecord(g.n+i, true), nil) {
				return
			}
		}
	}
}

// heapSampler samples the heap while work runs: the bytes of heap objects
// (live and not yet collected) and the live heap that each GC found, and
// reports the peaks.
type heapSampler struct {
	peak, peakLive atomic.Uint64
	stop           chan struct{}
	wg             sync.WaitGroup
}

// heapNow returns the bytes in heap objects and the live heap as of the
// last GC.
func heapNow() (objects, live uint64) {
	s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}, {Name: "/gc/heap/live:bytes"}}
	metrics.Read(s)
	return s[0].Value.Uint64(), s[1].Value.Uint64()
}

func (h *heapSampler) sample() {
	v, l := heapNow()
	if v > h.peak.Load() {
		h.peak.Store(v)
	}
	if l > h.peakLive.Load() {
		h.peakLive.Store(l)
	}
}

func startHeapSampler() *heapSampler {
	h := &heapSampler{stop: make(chan struct{})}
	h.sample()
	h.wg.Go(func() {
		t := time.NewTicker(100 * time.Microsecond)
		defer t.Stop()
		for {
			select {
			case <-h.stop:
				return
			case <-t.C:
				h.sample()
			}
		}
	})
	return h
}

func (h *heapSampler) done() (peak, peakLive uint64) {
	close(h.stop)
	h.wg.Wait()
	h.sample()
	return h.peak.Load(), h.peakLive.Load()
}

const heapBound = 16 << 20

func genDesk(tb testing.TB, n int) *rights.Desk {
	tb.Helper()
	d, err := privacy.NewDossiers(newGenStore(n), privacy.Strict())
	if err != nil {
		tb.Fatal(err)
	}
	desk, err := rights.New(memstore.New(), d, nil)
	if err != nil {
		tb.Fatal(err)
	}
	return desk
}

// countWriter counts what it is given and keeps nothing.
type countWriter struct{ n int64 }

func (c *countWriter) Write(p []byte) (int, error) { c.n += int64(len(p)); return len(p), nil }

// exportPeak exports 100,000 records and returns the peak heap during the
// export, the peak live heap, and the bytes written.
func exportPeak(tb testing.TB, desk *rights.Desk, opts *rights.ExportOptions) (peak, peakLive uint64, written int64) {
	tb.Helper()
	runtime.GC()
	var w countWriter
	h := startHeapSampler()
	tot, err := desk.Export(context.Background(), subjectAct(anna, t0), &w, anna, opts)
	peak, peakLive = h.done()
	if err != nil {
		tb.Fatalf("Export: %v", err)
	}
	if tot.Records != 100_000 {
		tb.Fatalf("exported %d records, want 100000", tot.Records)
	}
	return peak, peakLive, w.n
}

// TestExportHeap100k checks the design's bound: a subject with 100,000
// records is exported, in either form, with the heap under 16 MiB.
func TestExportHeap100k(t *testing.T) {
	if testing.Short() {
		t.Skip("exports 100,000 records twice; skipped under -short")
	}
	desk := genDesk(t, 100_000)
	for _, opts := range []*rights.ExportOptions{{Format: export.FormatJSON}, {Format: export.FormatHTML, Lang: export.English}} {
		peak, _, n := exportPeak(t, desk, opts)
		t.Logf("%s: %d bytes written, peak heap %.1f MiB", opts.Format, n, float64(peak)/(1<<20))
		if peak > heapBound {
			t.Errorf("%s export of 100,000 records: peak heap %.1f MiB, want under 16 MiB", opts.Format, float64(peak)/(1<<20))
		}
	}
}

// BenchmarkExport100k exports a subject with 100,000 records (1% medical,
// listed pending release) to a writer that keeps nothing, and reports the
// peak heap during the export. The records are made as they are read, so
// the heap is the export's own. The memstore case holds all 100,000
// records in the store itself; it reports how much the live heap grew
// during the export (the GC lets garbage grow with the store's size, so
// the whole heap says nothing there).
func BenchmarkExport100k(b *testing.B) {
	desk := genDesk(b, 100_000)
	for _, f := range []export.Format{export.FormatJSON, export.FormatHTML} {
		b.Run(string(f), func(b *testing.B) {
			b.ReportAllocs()
			var peak uint64
			var n int64
			for b.Loop() {
				p, _, w := exportPeak(b, desk, &rights.ExportOptions{Format: f})
				peak, n = max(peak, p), w
			}
			b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MiB")
			b.ReportMetric(float64(n)/(1<<20), "output-MiB")
		})
	}
	b.Run("memstore-json", func(b *testing.B) {
		b.ReportAllocs()
		store := memstore.New()
		d, err := privacy.NewDossiers(store, privacy.Strict())
		if err != nil {
			b.Fatal(err)
		}
		ctx := context.Background()
		g := newGenStore(0)
		if err := d.CreateSubject(ctx, deskAct(t0), g.s); err != nil {
			b.Fatal(err)
		}
		if err := d.OpenCase(ctx, deskAct(t0), g.c); err != nil {
			b.Fatal(err)
		}
		batch := make([]privacy.Record, 0, 1000)
		for i := range 100_000 {
			batch = append(batch, genRecord(i, false))
			if len(batch) == cap(batch) {
				if err := d.AddRecords(ctx, deskAct(t0.Add(48*time.Hour)), batch...); err != nil {
					b.Fatal(err)
				}
				batch = batch[:0]
			}
		}
		desk, err := rights.New(store, d, nil)
		if err != nil {
			b.Fatal(err)
		}
		var growth uint64
		for b.Loop() {
			runtime.GC()
			_, base := heapNow()
			_, live, _ := exportPeak(b, desk, nil)
			growth = max(growth, live-min(live, base))
		}
		b.ReportMetric(float64(growth)/(1<<20), "live-heap-growth-MiB")
	})
}
