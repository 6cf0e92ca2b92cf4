package access_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/dossierwacht/dossierwacht/access"
	"github.com/dossierwacht/dossierwacht/privacy"
	"github.com/dossierwacht/dossierwacht/privacy/memstore"
)

// assigned returns a case manager assigned to n cases, c-abs among them.
func assigned(n int) *access.Principal {
	ids := make([]privacy.CaseID, 0, n)
	for i := range n - 1 {
		ids = append(ids, privacy.CaseID(fmt.Sprintf("case-%06d", i)))
	}
	ids = append(ids, absenceCase.ID)
	return access.NewPrincipal(privacy.Principal{ID: "cm-bench", Role: privacy.RoleCaseManager, Party: "service",
		Secrecy: privacy.SecrecyAgreement}, ids, nil)
}

var sink access.Decision

// BenchmarkDecide measures one decision: an assigned case manager reading
// absence facts (the common allow), and the same principal assigned to 10
// and to 100,000 cases, to show that the cost does not grow with them.
func BenchmarkDecide(b *testing.B) {
	e := engineFor(b, privacy.Strict())
	for _, n := range []int{10, 100_000} {
		b.Run(fmt.Sprintf("assignments=%d", n), func(b *testing.B) {
			r := req(assigned(n), absenceCase, read, privacy.CategoryAbsenceFacts, privacy.FieldFirstDay)
			b.ReportAllocs()
			for b.Loop() {
				sink = e.Decide(r)
			}
			if !sink.Allowed {
				b.Fatal(sink)
			}
		})
	}
}

// BenchmarkDecideRoles measures a decision for each kind of principal on
// the same case.
func BenchmarkDecideRoles(b *testing.B) {
	e := engineFor(b, privacy.Strict())
	for _, tc := range []struct {
		name string
		r    access.Request
	}{
		{"physician-medical", req(physician, absenceCase, read, privacy.CategoryMedical, "")},
		{"employer-absence-facts", req(employer, absenceCase, read, privacy.CategoryAbsenceFacts, "")},
		{"employer-consultation-denied", req(employer, consultCase, read, privacy.CategoryConsultation, "")},
		{"insurer-overview", req(insurer, absenceCase, read, privacy.CategoryAbsenceFacts, privacy.FieldIncapacityDegree)},
		{"unassigned-denied", req(caseManagerUnassigned, absenceCase, read, privacy.CategoryNotes, "")},
	} {
		b.Run(tc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				sink = e.Decide(tc.r)
			}
		})
	}
}

var viewSink access.CaseView

// BenchmarkView100Records measures the redacted view of a case with 100
// records (of every category, all fields filled) for an assigned case
// manager, who sees most of them, and an employer, who sees a few fields.
func BenchmarkView100Records(b *testing.B) {
	e := engineFor(b, privacy.Strict())
	var records, medical []privacy.Record
	for len(records)+len(medical) < 100 {
		rs, ms := caseRecords(absenceCase)
		for i := range rs {
			rs[i].ID = privacy.RecordID(fmt.Sprintf("%s-%03d", rs[i].ID, len(records)+i))
		}
		records = append(records, rs...)
		if len(records)+len(medical) < 100 {
			medical = append(medical, ms...)
		}
	}
	records = records[:100-len(medical)]
	for _, tc := range []struct {
		name string
		p    *access.Principal
	}{{"case-manager", caseManager}, {"employer", employer}, {"physician", physician}} {
		b.Run(tc.name, func(b *testing.B) {
			r := req(tc.p, absenceCase, read, "", "")
			b.ReportAllocs()
			for b.Loop() {
				v, err := e.View(r, records, medical)
				if err != nil {
					b.Fatal(err)
				}
				viewSink = v
			}
		})
	}
}

// BenchmarkAuditAppend measures appending hash-chained audit events to the
// in-memory store, in batches of 1, 100 and 1000 events (one lock and one
// call per batch; one SHA-256 per event), and reports events per second.
func BenchmarkAuditAppend(b *testing.B) {
	ctx := context.Background()
	ev := privacy.Event{Time: now, Principal: "cm-1", Role: privacy.RoleCaseManager, OnBehalfOf: "service",
		Purpose: privacy.PurposeAbsenceGuidance, Subject: "s-1", Case: "c-abs", Category: privacy.CategoryAbsenceFacts,
		Object: "c-abs-r06", Action: privacy.EventRead, Outcome: privacy.OutcomeAllowed, Rule: privacy.R7, Policy: "1.0.0",
		AccessPoint: "10.1.2.3", Client: "hr-app"}
	for _, batch := range []int{1, 100, 1000} {
		b.Run(fmt.Sprintf("batch=%d", batch), func(b *testing.B) {
			s := memstore.New()
			events := make([]privacy.Event, batch)
			for i := range events {
				events[i] = ev
				events[i].Time = now.Add(time.Duration(i) * time.Microsecond)
			}
			b.ReportAllocs()
			n := 0
			for b.Loop() {
				if _, err := s.AppendEvents(ctx, events...); err != nil {
					b.Fatal(err)
				}
				n += batch
			}
			b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "events/s")
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(n), "ns/event")
		})
	}
}
