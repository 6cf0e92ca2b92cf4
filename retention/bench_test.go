package retention_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/dossierwacht/dossierwacht/memstore"
	"github.com/dossierwacht/dossierwacht/privacy"
	"github.com/dossierwacht/dossierwacht/retention"
)

// benchDossier is one employee with cases of every ordinary kind, closed,
// employment ended, and n records per case across the categories.
func benchDossier(cases, n int) *retention.Dossier {
	kinds := []privacy.CaseKind{privacy.CaseAbsence, privacy.CaseReintegration, privacy.CasePreventive, privacy.CaseConsultation}
	cats := privacy.Categories()
	at := time.Date(2022, 5, 3, 10, 0, 0, 0, time.UTC)
	d := &retention.Dossier{Subject: privacy.Subject{ID: "s-1", Employer: "employer-1", Created: at,
		EmploymentEnded: at.Add(400 * 24 * time.Hour)}}
	for c := range cases {
		cs := privacy.Case{ID: privacy.CaseID(fmt.Sprintf("c-%d", c)), Subject: "s-1", Kind: kinds[c%len(kinds)],
			Opened: at, Closed: at.Add(time.Duration(c) * 24 * time.Hour)}
		cf := retention.CaseFile{Case: cs}
		for i := range n {
			cat := cats[i%len(cats)]
			cf.Records = append(cf.Records, retention.Entry{ID: privacy.RecordID(fmt.Sprintf("r-%d-%d", c, i)), Category: cat,
				Medical: cat.Medical(), Created: at, Updated: at})
		}
		d.Cases = append(d.Cases, cf)
	}
	return d
}

// BenchmarkSchedule computes the schedules of a dossier of 10 cases of 100
// records each under the strict policy. Target: at least 5 million records
// per second on one core.
func BenchmarkSchedule(b *testing.B) {
	rules := rulesOf(b, privacy.Strict())
	d := benchDossier(10, 100)
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	dst := make([]retention.Schedule, 0, d.Records())
	b.ReportAllocs()
	start := time.Now()
	records := 0
	for b.Loop() {
		dst = rules.Schedule(dst[:0], d, now)
		records += len(dst)
	}
	b.ReportMetric(float64(records)/time.Since(start).Seconds(), "records/s")
}

// BenchmarkScheduleWithHoldsAndErasures is BenchmarkSchedule with a
// standing case hold and an erasure request on the dossier.
func BenchmarkScheduleWithHoldsAndErasures(b *testing.B) {
	rules := rulesOf(b, privacy.Strict())
	d := benchDossier(10, 100)
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	d.Holds = []retention.Hold{{ID: "h-1", Subject: "s-1", Case: "c-3", Ground: retention.GroundLegalClaim, Placed: now.Add(-time.Hour)}}
	d.Erasures = []retention.Erasure{{ID: "e-1", Subject: "s-1", Case: "c-5", Rule: privacy.O13, Received: now.Add(-48 * time.Hour), Decided: now.Add(-time.Hour)}}
	dst := make([]retention.Schedule, 0, d.Records())
	b.ReportAllocs()
	start := time.Now()
	records := 0
	for b.Loop() {
		dst = rules.Schedule(dst[:0], d, now)
		records += len(dst)
	}
	b.ReportMetric(float64(records)/time.Since(start).Seconds(), "records/s")
}

// BenchmarkScheduleOneRecord schedules a dossier of one record: the cost
// of a single schedule with all its per-call work.
func BenchmarkScheduleOneRecord(b *testing.B) {
	rules := rulesOf(b, privacy.Strict())
	d := benchDossier(1, 1)
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	dst := make([]retention.Schedule, 0, 1)
	b.ReportAllocs()
	start := time.Now()
	records := 0
	for b.Loop() {
		dst = rules.Schedule(dst[:0], d, now)
		records += len(dst)
	}
	b.ReportMetric(float64(records)/time.Since(start).Seconds(), "records/s")
}

// BenchmarkSweep1M sweeps one million due records (10,000 employees with
// 100 records each) out of a memstore: each with its proof and audit
// event. The store is filled outside the timer. Skipped under -short.
func BenchmarkSweep1M(b *testing.B) {
	if testing.Short() {
		b.Skip("fills a store with a million records")
	}
	const subjects, perCase = 10000, 100
	ctx := context.Background()
	contract := privacy.Contract{ID: "k-1", Party: "employer-1", PartyKind: privacy.PartyEmployer, Start: epoch}
	opened := epoch.Add(24 * time.Hour)
	now := epoch.Add(5 * 365 * 24 * time.Hour)
	// The audit event of each setup write (rule G7: none goes without).
	setup := []privacy.Event{{Time: opened, Principal: "bench", Role: privacy.RoleCaseManager, Action: privacy.EventCreate,
		Outcome: privacy.OutcomeAllowed, Rule: privacy.R4}}
	b.ReportAllocs()
	var erased int
	var elapsed time.Duration
	for range b.N {
		b.StopTimer()
		store := memstore.New()
		for s := range subjects {
			sid := privacy.SubjectID(fmt.Sprintf("s-%05d", s))
			cid := privacy.CaseID(fmt.Sprintf("c-%05d", s))
			must(store.CreateSubject(ctx, privacy.Subject{ID: sid, Employer: "employer-1", Created: opened}, setup))
			c := privacy.Case{ID: cid, Subject: sid, Kind: privacy.CaseAbsence, Purpose: privacy.PurposeAbsenceGuidance,
				Contract: contract, Opened: opened}
			must(store.CreateCase(ctx, c, setup))
			rs := make([]privacy.Record, perCase)
			for i := range rs {
				rs[i] = privacy.Record{ID: privacy.RecordID(fmt.Sprintf("r-%05d-%03d", s, i)), Case: cid, Subject: sid,
					Category: privacy.CategoryNotes, Author: "cm-1", Source: privacy.Source{Kind: privacy.PartyService},
					Purpose: privacy.PurposeAbsenceGuidance, Created: opened, Updated: opened, Fields: map[privacy.Field]string{privacy.FieldText: "x"}}
			}
			must(store.AddRecords(ctx, rs, setup))
			c.Closed = opened.Add(30 * 24 * time.Hour)
			must(store.UpdateCase(ctx, c, setup))
		}
		r, err := retention.New(store, privacy.Strict(), &retention.Options{BatchSize: 1000, PageSize: 1000})
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		start := time.Now()
		rep, err := r.Sweep(ctx, sweeper, now)
		elapsed += time.Since(start)
		if err != nil {
			b.Fatal(err)
		}
		if rep.Erased != subjects*perCase {
			b.Fatalf("erased %d, want %d", rep.Erased, subjects*perCase)
		}
		erased += rep.Erased
	}
	b.ReportMetric(float64(erased)/elapsed.Seconds(), "records/s")
}
