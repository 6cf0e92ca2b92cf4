package main

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// BenchmarkViewCase is one GET /cases/{id} as the employer through the
// whole handler: authentication stand-in, case read, consent question,
// Guard view with its audit events, JSON. On memstore.
func BenchmarkViewCase(b *testing.B) {
	f := newMemFixture(b)
	req := httptest.NewRequest("GET", "/cases/case-anna-absence", nil)
	req.Header.Set(DemoHeader, "hr-bert")
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
// decode, read checks through the Guard, decision and log. On memstore.
func BenchmarkDisclose(b *testing.B) {
	f := newMemFixture(b)
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
