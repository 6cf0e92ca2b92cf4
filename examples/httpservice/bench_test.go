package main

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/dossierwacht/dossierwacht/memstore"
)

// BenchmarkViewCase is one GET /cases/{id} as the employer through the
// whole handler: request log, deadline, authentication stand-in, the front
// door's View (case read, consent question, redacted view with its audit
// events), JSON. On memstore.
func BenchmarkViewCase(b *testing.B) {
	f := newFixture(b, memstore.New(), func(d *Deps) { d.Logger = discardLogger() })
	req := httptest.NewRequest("GET", casePath(annaCase), nil)
	req.Header.Set(DemoHeader, "employer-contact-bert")
	b.ReportAllocs()
	for b.Loop() {
		w := httptest.NewRecorder()
		f.h.ServeHTTP(w, req)
		if w.Code != http.StatusOK {
			b.Fatalf("status %d", w.Code)
		}
	}
}

// BenchmarkDisclose is one allowed POST /disclosures (N10, on a statute):
// decode, the front door's Disclose (the case and read checks, decision
// and log, the records handed over), JSON. On memstore.
func BenchmarkDisclose(b *testing.B) {
	f := newFixture(b, memstore.New(), func(d *Deps) { d.Logger = discardLogger() })
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		i++
		body := strings.Replace(validDisclosure, `"d-ok"`, fmt.Sprintf(`"d-%d"`, i), 1)
		req := httptest.NewRequest("POST", "/disclosures", strings.NewReader(body))
		req.Header.Set(DemoHeader, "case-manager-carla")
		req.Header.Set("Content-Type", "application/json")
		w := httptest.NewRecorder()
		f.h.ServeHTTP(w, req)
		if w.Code != http.StatusCreated {
			b.Fatalf("status %d: %s", w.Code, w.Body)
		}
	}
}
