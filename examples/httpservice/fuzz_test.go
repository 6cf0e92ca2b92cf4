package main

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

// checkResponse fails unless the response is a non-5xx and, for an
// error, a problem (RFC 9457) whose status is the response's; a 404 names
// no rule.
func checkResponse(t *testing.T, w *httptest.ResponseRecorder, what string) {
	t.Helper()
	if w.Code >= 500 {
		t.Fatalf("%s: status %d: %s", what, w.Code, w.Body)
	}
	if w.Code < 400 {
		return
	}
	if ct := w.Header().Get("Content-Type"); ct != problemType {
		t.Fatalf("%s: status %d with Content-Type %q", what, w.Code, ct)
	}
	var p problem
	if err := json.Unmarshal(w.Body.Bytes(), &p); err != nil || p.Type == "" || p.Title == "" || p.Status != w.Code {
		t.Fatalf("%s: status %d, body %q is not a problem", what, w.Code, w.Body)
	}
	if w.Code == http.StatusNotFound && p.Rule != "" {
		t.Fatalf("%s: a 404 names rule %s", what, p.Rule)
	}
}

// FuzzDisclosures posts arbitrary bodies to POST /disclosures, as the
// staff roles that may disclose: never a 500, never a panic, every error
// a JSON body.
func FuzzDisclosures(f *testing.F) {
	f.Add([]byte(validDisclosure), uint8(0))
	f.Add([]byte(strings.Replace(validDisclosure, `"absence-facts"`, `"medical","record":"rec-medical"`, 1)), uint8(1))
	f.Add([]byte(strings.Replace(validDisclosure, `"absence-facts"`, `"absence-reason"`, 1)), uint8(2))
	f.Add([]byte(strings.Replace(validDisclosure, `"absence-facts"`, `"religion"`, 1)), uint8(0))
	f.Add([]byte(disclosure("d-f", "employer-bakery", "employer", "employee-anna", "case-anna-absence", `[{"category":"notes","record":"rec-plan-note"}]`, "absence-guidance", "")), uint8(0))
	f.Add([]byte(disclosure("d-g", "uwv", "uwv", "employee-anna", "case-bram-consultation", `[{"category":"consultation","record":"rec-visit"}]`, "prevention", "suwi-54-3c")), uint8(1))
	f.Add([]byte(`{"id":"x","items":[{"category":"identity","fields":["name","name"]}]}`), uint8(3))
	f.Add([]byte(`{"id":`), uint8(0))
	f.Add([]byte(`[]`), uint8(0))
	f.Add([]byte(`{"id":"a"}{"id":"b"}`), uint8(0))
	f.Add([]byte("\xff\xfe"), uint8(0))
	fx := newMemFixture(f)
	principals := []string{"case-manager-carla", "physician-dirk", "physician-femke", "employer-contact-bert", "administrator-adam", "employee-anna", "support-sam"}
	f.Fuzz(func(t *testing.T, body []byte, who uint8) {
		req := httptest.NewRequest("POST", "/disclosures", strings.NewReader(string(body)))
		req.Header.Set(DemoHeader, principals[int(who)%len(principals)])
		req.Header.Set("Content-Type", "application/json")
		w := httptest.NewRecorder()
		fx.h.ServeHTTP(w, req)
		checkResponse(t, w, "POST /disclosures")
		if w.Code == http.StatusCreated {
			var d decisionJSON
			if err := json.Unmarshal(w.Body.Bytes(), &d); err != nil || !d.Allowed || d.Rule == "" {
				t.Fatalf("201 with body %q", w.Body)
			}
		}
	})
}

// FuzzPaths sends arbitrary IDs and query values to the GET endpoints:
// never a 500, never a panic, every error a JSON body.
func FuzzPaths(f *testing.F) {
	for _, s := range []string{"case-anna-absence", "case-bram-consultation", "employee-anna", "", "..", "%00", "a/b", "ä", strings.Repeat("x", 300)} {
		f.Add(s, "absence-guidance")
	}
	f.Add("case-anna-absence", "prevention")
	f.Add("case-bram-consultation", "")
	f.Add("employee-anna", "html")
	fx := newMemFixture(f)
	f.Fuzz(func(t *testing.T, id, param string) {
		q := url.QueryEscape(param)
		for _, p := range []string{
			"/cases/" + url.PathEscape(id) + "?purpose=" + q,
			"/cases?purpose=" + q,
			"/subjects/" + url.PathEscape(id) + "/export?format=" + q + "&lang=" + q,
			"/subjects/" + url.PathEscape(id) + "/export",
			"/privacy?lang=" + q,
			"/healthz?x=" + q,
		} {
			for _, who := range []string{"employer-contact-bert", "employee-anna", "physician-dirk"} {
				req, err := http.NewRequest("GET", "http://example.test"+p, nil)
				if err != nil {
					continue // not a URL a client could send
				}
				req.Header.Set(DemoHeader, who)
				w := httptest.NewRecorder()
				fx.h.ServeHTTP(w, req)
				checkResponse(t, w, "GET "+p)
			}
		}
	})
}
