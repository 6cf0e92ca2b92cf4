package memstore

import (
	"strings"
	"testing"
	"time"

	"github.com/dossierwacht/dossierwacht/privacy"
)

func sampleEvent(s string, t time.Time) privacy.Event {
	return privacy.Event{Time: t, Principal: privacy.PrincipalID(s), Role: privacy.RoleCaseManager, OnBehalfOf: "service",
		Purpose: privacy.PurposeAbsenceGuidance, Subject: privacy.SubjectID("s-" + s), Case: "c-1", Category: privacy.CategoryNotes,
		Object: s, Action: privacy.EventRead, Outcome: privacy.OutcomeAllowed, Rule: privacy.R7, Policy: "1.0.0",
		AccessPoint: "10.0.0.1", Client: s}
}

// TestAuditLogRoundTrip checks that the encoded trail gives back every
// event exactly as it went in: empty and long strings, the zero time,
// events larger than a chunk, across chunk boundaries.
func TestAuditLogRoundTrip(t *testing.T) {
	var l auditLog
	t0 := time.Date(2026, 3, 2, 9, 0, 0, 123456000, time.UTC)
	in := []privacy.Event{
		{},
		sampleEvent("", time.Time{}),
		sampleEvent("ünïcode ✓", t0),
		sampleEvent(strings.Repeat("x", auditChunk+10), t0.AddDate(-30, 0, 0)),
	}
	for i := range 3000 {
		in = append(in, sampleEvent(strings.Repeat("y", i), t0.Add(time.Duration(i)*time.Second)))
	}
	var prev privacy.Hash
	for i := range in {
		in[i] = in[i].Chain(uint64(i+1), prev)
		prev = in[i].Hash
		l.push(in[i])
	}
	last := l.heads[in[len(in)-1].Subject].hash
	if l.len() != len(in) || last != prev {
		t.Fatalf("len %d, want %d; last hash differs: %t", l.len(), len(in), last != prev)
	}
	for i, want := range in {
		got := l.at(i)
		if got != want {
			t.Fatalf("event %d: got %+v, want %+v", i, got.Seq, want.Seq)
		}
		if got.ComputeHash() != got.Hash {
			t.Fatalf("event %d no longer matches its hash", i)
		}
		if l.subjectAt(i) != want.Subject {
			t.Fatalf("subjectAt(%d) = %q, want %q", i, l.subjectAt(i), want.Subject)
		}
	}
}

// FuzzAuditLogRoundTrip encodes arbitrary events and decodes them back.
func FuzzAuditLogRoundTrip(f *testing.F) {
	f.Add("cm-1", "s-1", "", int64(1772442000000000), uint64(1))
	f.Add("\x00\xff", strings.Repeat("z", 300), "a\nb", int64(-62135596800000000), uint64(0))
	f.Fuzz(func(t *testing.T, a, b, c string, micros int64, seq uint64) {
		var l auditLog
		e := privacy.Event{Seq: seq, Time: time.UnixMicro(micros).UTC(), Principal: privacy.PrincipalID(a), Subject: privacy.SubjectID(b),
			Object: c, AccessPoint: a + b, Client: c + a, Policy: b}
		e.Hash = e.ComputeHash()
		l.push(sampleEvent(a, time.Time{}))
		l.push(e)
		if got := l.at(1); got != e {
			t.Fatalf("round trip: got %+v, want %+v", got, e)
		}
		if l.subjectAt(1) != e.Subject || l.at(0).Principal != privacy.PrincipalID(a) {
			t.Fatal("neighbouring events mixed up")
		}
	})
}
