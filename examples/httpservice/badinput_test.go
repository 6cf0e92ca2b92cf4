package main

import (
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/dossierwacht/dossierwacht/access"
	"github.com/dossierwacht/dossierwacht/privacy"
)

const validDisclosure = `{"id":"d-ok","recipient":{"party":"uwv","kind":"uwv"},"subject":"employee-anna","case":"case-anna-absence",` +
	`"items":[{"category":"absence-facts"}],"purpose":"absence-guidance","basis":"suwi-54-3c"}`

// TestBadInput: bad input gets a 4xx problem (RFC 9457), never a 500 or a
// stack trace; where a rule decided, the problem names it, and a 404
// names none.
func TestBadInput(t *testing.T) {
	big := `{"id":"d-big","recipient":{"party":"uwv","kind":"uwv"},"subject":"employee-anna","case":"case-anna-absence",` +
		`"items":[{"category":"absence-facts"}],"purpose":"` + strings.Repeat("a", maxBody) + `"}`
	const (
		carla = "case-manager-carla"
		bert  = "employer-contact-bert"
	)
	tests := []struct {
		name, method, path, principal, body string
		contentType                         string
		status                              int
		rule                                privacy.RuleID
	}{
		{"malformed_json", "POST", "/disclosures", carla, `{"id":`, "", 400, ""},
		{"not_json", "POST", "/disclosures", carla, `hello`, "", 400, ""},
		{"json_array", "POST", "/disclosures", carla, `[1,2]`, "", 400, ""},
		{"json_null", "POST", "/disclosures", carla, `null`, "", 400, ""},
		{"empty_body", "POST", "/disclosures", carla, ``, "", 400, ""},
		{"empty_object", "POST", "/disclosures", carla, `{}`, "", 400, ""},
		{"unknown_field", "POST", "/disclosures", carla, strings.Replace(validDisclosure, `"id"`, `"by":"physician-dirk","id"`, 1), "", 400, ""},
		{"unknown_field_nested", "POST", "/disclosures", carla, strings.Replace(validDisclosure, `"kind":"uwv"`, `"kind":"uwv","x":1`, 1), "", 400, ""},
		{"client_sets_time", "POST", "/disclosures", carla, strings.Replace(validDisclosure, `"id"`, `"at":"2020-01-01T00:00:00Z","id"`, 1), "", 400, ""},
		{"wrong_type", "POST", "/disclosures", carla, strings.Replace(validDisclosure, `"d-ok"`, `5`, 1), "", 400, ""},
		{"trailing_data", "POST", "/disclosures", carla, validDisclosure + `{}`, "", 400, ""},
		{"trailing_garbage", "POST", "/disclosures", carla, validDisclosure + `x`, "", 400, ""},
		{"malformed_id", "POST", "/disclosures", carla, strings.Replace(validDisclosure, `"d-ok"`, `"d ok/1"`, 1), "", 400, ""},
		{"unknown_category", "POST", "/disclosures", carla, strings.Replace(validDisclosure, `"absence-facts"`, `"horoscope"`, 1), "", 400, ""},
		{"no_case", "POST", "/disclosures", carla, strings.Replace(validDisclosure, `"case":"case-anna-absence",`, ``, 1), "", 400, ""},
		{"R5_no_purpose", "POST", "/disclosures", carla, strings.Replace(validDisclosure, `"purpose":"absence-guidance",`, ``, 1), "", 400, privacy.R5},
		{"O5_special_category", "POST", "/disclosures", carla, strings.Replace(validDisclosure, `"absence-facts"`, `"religion"`, 1), "", 403, privacy.O5},
		{"oversized_body", "POST", "/disclosures", carla, big, "", 413, ""},
		{"wrong_content_type", "POST", "/disclosures", carla, validDisclosure, "text/plain", 415, ""},
		{"unknown_subject", "POST", "/disclosures", carla, strings.Replace(validDisclosure, `"employee-anna"`, `"employee-nobody"`, 1), "", 404, ""},
		{"unknown_case", "POST", "/disclosures", carla, strings.Replace(validDisclosure, `"case-anna-absence"`, `"case-nobody"`, 1), "", 404, ""},
		{"default-deny_unknown_legal_basis", "POST", "/disclosures", carla, strings.Replace(validDisclosure, `"suwi-54-3c"`, `"no-such-law"`, 1), "", 403, privacy.RuleDefaultDeny},

		{"wrong_method_delete_case", "DELETE", "/cases/case-anna-absence", bert, "", "", 405, ""},
		{"wrong_method_post_cases", "POST", "/cases", bert, "", "", 405, ""},
		{"wrong_method_get_disclosures", "GET", "/disclosures", carla, "", "", 405, ""},
		{"wrong_method_put_disclosures", "PUT", "/disclosures", carla, validDisclosure, "", 405, ""},
		{"wrong_method_post_export", "POST", "/subjects/employee-anna/export", "employee-anna", "", "", 405, ""},
		{"wrong_method_post_privacy", "POST", "/privacy", "", "", "", 405, ""},
		{"wrong_method_post_healthz", "POST", "/healthz", "", "", "", 405, ""},
		{"wrong_method_put_openapi", "PUT", "/openapi.json", "", "", "", 405, ""},

		{"R12_missing_principal_case", "GET", casePath(annaCase), "", "", "", 401, privacy.R12},
		{"R12_missing_principal_list", "GET", "/cases", "", "", "", 401, privacy.R12},
		{"R12_missing_principal_disclose", "POST", "/disclosures", "", validDisclosure, "", 401, privacy.R12},
		{"R12_missing_principal_export", "GET", "/subjects/employee-anna/export", "", "", "", 401, privacy.R12},
		{"R12_unknown_principal", "GET", "/cases", "mallory", "", "", 401, privacy.R12},

		{"unknown_case_id", "GET", "/cases/case-nobody?purpose=absence-guidance", bert, "", "", 404, ""},
		{"malformed_case_id", "GET", "/cases/case%20anna?purpose=absence-guidance", bert, "", "", 400, ""},
		{"overlong_case_id", "GET", "/cases/" + strings.Repeat("c", 200) + "?purpose=absence-guidance", bert, "", "", 400, ""},
		{"R5_no_purpose", "GET", "/cases/case-anna-absence", bert, "", "", 400, privacy.R5},
		{"R5_malformed_purpose", "GET", "/cases/case-anna-absence?purpose=a%20b", bert, "", "", 400, privacy.R5},
		{"R5_malformed_purpose_list", "GET", "/cases?purpose=%00", bert, "", "", 400, privacy.R5},
		{"unknown_path", "GET", "/nothing-here", bert, "", "", 404, ""},
		{"unknown_subpath", "GET", "/cases/case-anna-absence/records", bert, "", "", 404, ""},

		{"O13_export_of_someone_else", "GET", "/subjects/employee-anna/export", "employee-bram", "", "", 404, ""},
		{"export_unknown_subject", "GET", "/subjects/employee-nobody/export", "employee-anna", "", "", 404, ""},
		{"export_malformed_subject", "GET", "/subjects/a%2Fb/export", "employee-anna", "", "", 400, ""},
		{"export_unknown_format", "GET", "/subjects/employee-anna/export?format=xml", "employee-anna", "", "", 400, ""},
		{"export_unknown_lang", "GET", "/subjects/employee-anna/export?lang=de", "employee-anna", "", "", 400, ""},
		{"privacy_unknown_lang", "GET", "/privacy?lang=de", "", "", "", 400, ""},
	}
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			f := b.new(t)
			for _, tt := range tests {
				t.Run(tt.name, func(t *testing.T) {
					req := httptest.NewRequest(tt.method, tt.path, strings.NewReader(tt.body))
					if tt.principal != "" {
						req.Header.Set(DemoHeader, tt.principal)
					}
					if tt.contentType != "" {
						req.Header.Set("Content-Type", tt.contentType)
					}
					w := httptest.NewRecorder()
					f.h.ServeHTTP(w, req)
					resp := w.Result()
					if resp.StatusCode >= 500 {
						t.Fatalf("%s %s: %d: %s", tt.method, tt.path, resp.StatusCode, w.Body)
					}
					if resp.StatusCode != tt.status {
						t.Errorf("%s %s: status %d, want %d: %s", tt.method, tt.path, resp.StatusCode, tt.status, w.Body)
					}
					if resp.StatusCode < 400 {
						return
					}
					p := problemOf(t, resp)
					if p.Rule != tt.rule {
						t.Errorf("rule = %q, want %q (problem %+v)", p.Rule, tt.rule, p)
					}
					if resp.StatusCode == http.StatusMethodNotAllowed && resp.Header.Get("Allow") == "" {
						t.Error("405 without Allow")
					}
					if strings.Contains(w.Body.String(), "goroutine") {
						t.Error("a stack trace reached the client")
					}
				})
			}
		})
	}
}

// TestStatusOf: every kind of library error maps to its 4xx or 503; none
// reaches 500. Only an error outside the library's model is a 500.
func TestStatusOf(t *testing.T) {
	kinds := []struct {
		kind error
		want int
	}{
		{privacy.ErrInvalid, 400},
		{privacy.ErrNotFound, 404},
		{privacy.ErrForbidden, 403},
		{privacy.ErrProhibitedCategory, 403},
		{privacy.ErrConflict, 409},
		{privacy.ErrExists, 409},
		{privacy.ErrUnavailable, 503},
		{access.ErrTampered, 409},
		{&http.MaxBytesError{Limit: 1}, 413},
	}
	for _, k := range kinds {
		for _, err := range []error{
			k.kind,
			&privacy.Error{Op: "x", Kind: k.kind, Rule: privacy.O9},
			fmt.Errorf("wrapped: %w", &privacy.Error{Op: "x", Kind: k.kind}),
			errors.Join(errors.New("other"), &privacy.Error{Op: "x", Kind: k.kind}),
		} {
			if got := statusOf(err); got != k.want {
				t.Errorf("statusOf(%v) = %d, want %d", err, got, k.want)
			}
		}
	}
	if got := statusOf(errors.New("boom")); got != 500 {
		t.Errorf("statusOf(foreign error) = %d, want 500", got)
	}
}

// TestInternalErrorBody: a 500 is a problem that says "internal error" and
// nothing of the error, and the log gets the error's kind, not its text.
func TestInternalErrorBody(t *testing.T) {
	f := newMemFixture(t)
	s := &server{log: discardLogger()}
	s.log = f.logger()
	w := httptest.NewRecorder()
	s.writeError(w, httptest.NewRequest("GET", "/", nil), fmt.Errorf("driver: duplicate key employee-anna: %w", errors.New("secret")))
	resp := w.Result()
	if resp.StatusCode != 500 {
		t.Fatalf("status %d", resp.StatusCode)
	}
	if p := problemOf(t, resp); p.Detail != "internal error" || p.Rule != "" || p.Type != "about:blank" {
		t.Errorf("500 problem = %+v", p)
	}
	if strings.Contains(w.Body.String(), "employee-anna") || strings.Contains(f.logs.String(), "employee-anna") || strings.Contains(f.logs.String(), "secret") {
		t.Errorf("the error's text reached the client or the log: %s / %s", w.Body, f.logs)
	}
}

// TestPanicIs500: a panicking handler gives a generic 500 problem, not a
// stack trace.
func TestPanicIs500(t *testing.T) {
	s := &server{log: discardLogger()}
	h := s.recover(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { panic("boom employee-anna") }))
	w := httptest.NewRecorder()
	h.ServeHTTP(w, httptest.NewRequest("GET", "/", nil))
	if w.Code != 500 || strings.Contains(w.Body.String(), "boom") || w.Header().Get("Content-Type") != problemType {
		t.Errorf("panic answered %d %s", w.Code, w.Body)
	}
}

func TestNewHandlerNeedsDeps(t *testing.T) {
	if _, err := NewHandler(Deps{}); !errors.Is(err, privacy.ErrInvalid) {
		t.Errorf("NewHandler(Deps{}) = %v, want ErrInvalid", err)
	}
	f := newMemFixture(t)
	auth, _ := NewDemoAuth(demoPrincipals()...)
	for _, d := range []Deps{
		{Service: f.svc, Auth: auth, Subjects: []privacy.SubjectID{"bad id"}},
		{Service: f.svc, Auth: auth, Timeout: -1},
		{Service: f.svc},
	} {
		if _, err := NewHandler(d); !errors.Is(err, privacy.ErrInvalid) {
			t.Errorf("NewHandler(%+v) = %v, want ErrInvalid", d, err)
		}
	}
}

// TestStorageFailure: when the audit trail cannot be written, nothing is
// shown (G7: no audit, no access) and the answer is a 503 problem, never a
// 500, that says nothing of what failed.
func TestStorageFailure(t *testing.T) {
	for _, rq := range []struct{ name, method, path, principal, body string }{
		{"G7_view", "GET", casePath(annaCase), "employer-contact-bert", ""},
		{"G7_listing", "GET", "/cases", "employer-contact-bert", ""},
		{"G7_export", "GET", "/subjects/employee-anna/export", "employee-anna", ""},
		{"G7_disclosure", "POST", "/disclosures", "case-manager-carla", validDisclosure},
	} {
		t.Run(rq.name, func(t *testing.T) {
			f := newMemFixture(t)
			f.store.FailAfter(0)
			resp := f.do(t, rq.method, rq.path, rq.principal, rq.body)
			if resp.StatusCode != http.StatusServiceUnavailable {
				t.Fatalf("status %d, want 503", resp.StatusCode)
			}
			if p := problemOf(t, resp); p.Type != typeUnavailable || resp.Header.Get("Retry-After") == "" {
				t.Errorf("503 problem = %+v, Retry-After %q", p, resp.Header.Get("Retry-After"))
			}
		})
	}
}
