package access_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/dossierwacht/dossierwacht/access"
	"github.com/dossierwacht/dossierwacht/memstore"
	"github.com/dossierwacht/dossierwacht/privacy"
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
			var d access.Decision
			for b.Loop() {
				d = e.Decide(r)
			}
			if sink = d; !d.Allowed {
				b.Fatal(d)
			}
		})
	}
}

// BenchmarkDecideRoles measures a decision on every role path: for each
// role its common allow and its common denials, on the same case, under
// the strict policy (the target: at most 50 ns and no allocation each).
func BenchmarkDecideRoles(b *testing.B) {
	e := engineFor(b, privacy.Strict())
	for _, tc := range []struct {
		name    string
		r       access.Request
		allowed bool
	}{
		{"case-manager/absence-facts", req(caseManager, absenceCase, read, privacy.CategoryAbsenceFacts, ""), true},
		{"case-manager/statements", req(caseManager, absenceCase, read, privacy.CategoryStatements, ""), true},
		{"case-manager/write-notes", req(caseManager, absenceCase, write, privacy.CategoryNotes, privacy.FieldText), true},
		{"case-manager/unassigned-denied", req(caseManagerUnassigned, absenceCase, read, privacy.CategoryNotes, ""), false},
		{"support-staff/contact", req(supportStaff, absenceCase, read, privacy.CategoryContact, ""), true},
		{"support-staff/notes-denied", req(supportStaff, absenceCase, read, privacy.CategoryNotes, ""), false},
		{"physician/medical", req(physician, absenceCase, read, privacy.CategoryMedical, ""), true},
		{"physician/statements", req(physician, absenceCase, read, privacy.CategoryStatements, ""), true},
		{"physician/unassigned-medical-denied", req(physicianUnassigned, absenceCase, read, privacy.CategoryMedical, ""), false},
		{"employer/absence-facts", req(employer, absenceCase, read, privacy.CategoryAbsenceFacts, ""), true},
		{"employer/write-first-day", req(employer, absenceCase, write, privacy.CategoryAbsenceFacts, privacy.FieldFirstDay), true},
		{"employer/consultation-denied", req(employer, consultCase, read, privacy.CategoryConsultation, ""), false},
		{"employer/other-employer-denied", req(employerOther, absenceCase, read, privacy.CategoryAbsenceFacts, ""), false},
		{"employer/statements-denied", req(employer, absenceCase, read, privacy.CategoryStatements, ""), false},
		{"insurer/overview", req(insurer, absenceCase, read, privacy.CategoryAbsenceFacts, privacy.FieldIncapacityDegree), true},
		{"insurer/not-covering-denied", req(insurerOther, absenceCase, read, privacy.CategoryAbsenceFacts, privacy.FieldIncapacityDegree), false},
		{"administrator/denied", req(administrator, absenceCase, read, privacy.CategoryIdentity, ""), false},
		{"subject/own-data", req(subject, absenceCase, read, privacy.CategoryAbsenceFacts, ""), true},
		{"subject/other-subject-denied", req(otherSubject, absenceCase, read, privacy.CategoryAbsenceFacts, ""), false},
		{"privacy-officer/denied", req(officer, absenceCase, read, privacy.CategoryIdentity, ""), false},
	} {
		b.Run(tc.name, func(b *testing.B) {
			b.ReportAllocs()
			var d access.Decision
			for b.Loop() {
				d = e.Decide(tc.r)
			}
			if sink = d; d.Allowed != tc.allowed {
				b.Fatalf("Decide(%s) = %v", describe(tc.r), d)
			}
		})
	}
}

// caseFile is a typical case file of 100 records: mostly notes,
// statements and appointments, some absence facts and advice, a few master
// data records, ten medical ones.
func caseFile(c *privacy.Case) (records, medical []privacy.Record) {
	mix := []struct {
		cat    privacy.Category
		n      int
		fields []privacy.Field
	}{
		{privacy.CategoryIdentity, 2, []privacy.Field{privacy.FieldName, privacy.FieldAddress, privacy.FieldCity}},
		{privacy.CategoryContact, 2, []privacy.Field{privacy.FieldPhone, privacy.FieldEmail}},
		{privacy.CategoryEmployment, 2, []privacy.Field{privacy.FieldJob, privacy.FieldEmploymentStart}},
		{privacy.CategoryAbsenceFacts, 10, []privacy.Field{privacy.FieldFirstDay, privacy.FieldIncapacityDegree, privacy.FieldExpectedDuration}},
		{privacy.CategoryAbsenceReason, 3, []privacy.Field{privacy.FieldText}},
		{privacy.CategoryStatements, 15, []privacy.Field{privacy.FieldText}},
		{privacy.CategoryWorkCapacity, 5, []privacy.Field{privacy.FieldLimitations, privacy.FieldCapacities}},
		{privacy.CategoryExpertReport, 5, []privacy.Field{privacy.FieldText}},
		{privacy.CategoryNotes, 30, []privacy.Field{privacy.FieldText}},
		{privacy.CategoryAppointment, 15, []privacy.Field{privacy.FieldWhen, privacy.FieldWhere, privacy.FieldWith}},
		{privacy.CategoryConsultation, 1, []privacy.Field{privacy.FieldConsultationKind, privacy.FieldDate}},
		{privacy.CategoryMedical, 10, []privacy.Field{privacy.FieldText}},
	}
	for _, m := range mix {
		for i := range m.n {
			fields := map[privacy.Field]string{}
			for _, f := range m.fields {
				fields[f] = "some value of " + string(f)
			}
			r := record(privacy.RecordID(fmt.Sprintf("%s-%s-%02d", c.ID, m.cat, i)), c, m.cat, fields)
			if m.cat.Medical() {
				medical = append(medical, r)
			} else {
				records = append(records, r)
			}
		}
	}
	return records, medical
}

var viewSink access.CaseView

// BenchmarkView100Records measures the redacted view of a typical case
// file of 100 records for principals that see much of it (the assigned
// case manager and physician) and little (the employer, the insurer); and,
// as a worst case, 100 records with every field of their category filled.
// Each also with ViewTo reusing one CaseView ("reuse/…").
func BenchmarkView100Records(b *testing.B) {
	e := engineFor(b, privacy.Strict())
	records, medical := caseFile(absenceCase)
	if len(records)+len(medical) != 100 {
		b.Fatalf("%d records", len(records)+len(medical))
	}
	var full, fullMedical []privacy.Record
	for len(full)+len(fullMedical) < 100 {
		rs, ms := caseRecords(absenceCase)
		for i := range rs {
			rs[i].ID = privacy.RecordID(fmt.Sprintf("%s-%03d", rs[i].ID, len(full)+i))
		}
		full = append(full, rs...)
		fullMedical = append(fullMedical, ms...)
	}
	full = full[:100-len(fullMedical)]
	for _, tc := range []struct {
		name             string
		p                *access.Principal
		records, medical []privacy.Record
	}{
		{"case-manager", caseManager, records, medical},
		{"physician", physician, records, medical},
		{"employer", employer, records, medical},
		{"insurer", insurer, records, medical},
		{"every-field/physician", physician, full, fullMedical},
	} {
		b.Run(tc.name, func(b *testing.B) {
			r := req(tc.p, absenceCase, read, "", "")
			b.ReportAllocs()
			for b.Loop() {
				v, err := e.View(r, tc.records, tc.medical)
				if err != nil {
					b.Fatal(err)
				}
				viewSink = v
			}
		})
		// ViewTo reuses one CaseView: no allocation, no garbage collection.
		b.Run("reuse/"+tc.name, func(b *testing.B) {
			r := req(tc.p, absenceCase, read, "", "")
			var v access.CaseView
			b.ReportAllocs()
			for b.Loop() {
				if err := e.ViewTo(&v, r, tc.records, tc.medical); err != nil {
					b.Fatal(err)
				}
			}
			viewSink = v
		})
	}
}

// BenchmarkAuditAppend measures appending hash-chained audit events to the
// in-memory store, in batches of 1, 100 and 1000 events (one lock and one
// call per batch; one SHA-256 per event), and reports events per second.
// The trail grows with the run, as a real one does, up to a million
// events.
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
				if n%(1<<20) < batch {
					// Keep memory bounded on long runs: a fresh trail
					// every million events or so.
					b.StopTimer()
					s = memstore.New()
					b.StartTimer()
				}
			}
			b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "events/s")
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(n), "ns/event")
		})
	}
}

// BenchmarkViewHiddenOrMissing measures Guard.View on the memory store
// for a case the employer may not know of (a consultation-hour visit,
// O10) and for a case that does not exist: both audit the failed access
// and make the same round trips, so that their times match.
func BenchmarkViewHiddenOrMissing(b *testing.B) {
	ctx := context.Background()
	for _, tc := range []struct {
		name string
		id   privacy.CaseID
	}{{"hidden", consultCase.ID}, {"missing", "c-missing"}} {
		b.Run(tc.name, func(b *testing.B) {
			g, _ := countingWorld(b)
			r := access.ViewRequest{Principal: employer, Case: tc.id, Purpose: consultCase.Purpose, Time: now}
			b.ReportAllocs()
			for b.Loop() {
				if _, err := g.View(ctx, r); !errors.Is(err, privacy.ErrNotFound) {
					b.Fatal(err)
				}
			}
		})
	}
}
