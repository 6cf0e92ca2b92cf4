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

// TestBadInput: bad input gets a 4xx with a JSON error body, never a 500
// or a stack trace; where a rule decided, the body names it.
func TestBadInput(t *testing.T) {
	big := `{"id":"d-big","recipient":{"party":"uwv","kind":"uwv"},"subject":"employee-anna","case":"case-anna-absence",` +
		`"items":[{"category":"absence-facts"}],"purpose":"` + strings.Repeat("a", maxBody) + `"}`
	tests := []struct {
		name, method, path, principal, body string
		contentType                         string
		status                              int
		rule                                privacy.RuleID
	}{
		{"malformed_json", "POST", "/disclosures", "case-manager-carla", `{"id":`, "", 400, ""},
		{"not_json", "POST", "/disclosures", "case-manager-carla", `hello`, "", 400, ""},
		{"json_array", "POST", "/disclosures", "case-manager-carla", `[1,2]`, "", 400, ""},
		{"json_null", "POST", "/disclosures", "case-manager-carla", `null`, "", 400, ""},
		{"empty_body", "POST", "/disclosures", "case-manager-carla", ``, "", 400, ""},
		{"empty_object", "POST", "/disclosures", "case-manager-carla", `{}`, "", 400, ""},
		{"unknown_field", "POST", "/disclosures", "case-manager-carla", strings.Replace(validDisclosure, `"id"`, `"by":"physician-dirk","id"`, 1), "", 400, ""},
		{"unknown_field_nested", "POST", "/disclosures", "case-manager-carla", strings.Replace(validDisclosure, `"kind":"uwv"`, `"kind":"uwv","x":1`, 1), "", 400, ""},
		{"client_sets_time", "POST", "/disclosures", "case-manager-carla", strings.Replace(validDisclosure, `"id"`, `"at":"2020-01-01T00:00:00Z","id"`, 1), "", 400, ""},
		{"wrong_type", "POST", "/disclosures", "case-manager-carla", strings.Replace(validDisclosure, `"d-ok"`, `5`, 1), "", 400, ""},
		{"trailing_data", "POST", "/disclosures", "case-manager-carla", validDisclosure + `{}`, "", 400, ""},
		{"trailing_garbage", "POST", "/disclosures", "case-manager-carla", validDisclosure + `x`, "", 400, ""},
		{"malformed_id", "POST", "/disclosures", "case-manager-carla", strings.Replace(validDisclosure, `"d-ok"`, `"d ok/1"`, 1), "", 400, ""},
		{"unknown_category", "POST", "/disclosures", "case-manager-carla", strings.Replace(validDisclosure, `"absence-facts"`, `"horoscope"`, 1), "", 400, ""},
		{"no_case", "POST", "/disclosures", "case-manager-carla", strings.Replace(validDisclosure, `"case":"case-anna-absence",`, ``, 1), "", 400, ""},
		{"O5_special_category", "POST", "/disclosures", "case-manager-carla", strings.Replace(validDisclosure, `"absence-facts"`, `"religion"`, 1), "", 403, privacy.O5},
		{"oversized_body", "POST", "/disclosures", "case-manager-carla", big, "", 413, ""},
		{"wrong_content_type", "POST", "/disclosures", "case-manager-carla", validDisclosure, "text/plain", 415, ""},
		{"unknown_subject", "POST", "/disclosures", "case-manager-carla", strings.Replace(validDisclosure, `"employee-anna"`, `"employee-nobody"`, 1), "", 404, ""},
		{"unknown_case", "POST", "/disclosures", "case-manager-carla", strings.Replace(validDisclosure, `"case-anna-absence"`, `"case-nobody"`, 1), "", 404, ""},
		{"default-deny_unknown_legal_basis", "POST", "/disclosures", "case-manager-carla", strings.Replace(validDisclosure, `"suwi-54-3c"`, `"no-such-law"`, 1), "", 403, privacy.RuleDefaultDeny},

		{"wrong_method_delete_case", "DELETE", "/cases/case-anna-absence", "hr-bert", "", "", 405, ""},
		{"wrong_method_post_cases", "POST", "/cases", "hr-bert", "", "", 405, ""},
		{"wrong_method_get_disclosures", "GET", "/disclosures", "case-manager-carla", "", "", 405, ""},
		{"wrong_method_put_disclosures", "PUT", "/disclosures", "case-manager-carla", validDisclosure, "", 405, ""},
		{"wrong_method_post_export", "POST", "/subjects/employee-anna/export", "employee-anna", "", "", 405, ""},
		{"wrong_method_post_privacy", "POST", "/privacy", "", "", "", 405, ""},

		{"R12_missing_principal_case", "GET", "/cases/case-anna-absence", "", "", "", 401, privacy.R12},
		{"R12_missing_principal_list", "GET", "/cases", "", "", "", 401, privacy.R12},
		{"R12_missing_principal_disclose", "POST", "/disclosures", "", validDisclosure, "", 401, privacy.R12},
		{"R12_missing_principal_export", "GET", "/subjects/employee-anna/export", "", "", "", 401, privacy.R12},
		{"R12_unknown_principal", "GET", "/cases", "mallory", "", "", 401, privacy.R12},

		{"unknown_case_id", "GET", "/cases/case-nobody", "hr-bert", "", "", 404, ""},
		{"malformed_case_id", "GET", "/cases/case%20anna", "hr-bert", "", "", 400, ""},
		{"overlong_case_id", "GET", "/cases/" + strings.Repeat("c", 200), "hr-bert", "", "", 400, ""},
		{"R5_malformed_purpose", "GET", "/cases/case-anna-absence?purpose=a%20b", "hr-bert", "", "", 400, privacy.R5},
		{"R5_malformed_purpose_list", "GET", "/cases?purpose=%00", "hr-bert", "", "", 400, privacy.R5},
		{"unknown_path", "GET", "/nothing-here", "hr-bert", "", "", 404, ""},
		{"unknown_subpath", "GET", "/cases/case-anna-absence/records", "hr-bert", "", "", 404, ""},

		{"O13_export_of_someone_else", "GET", "/subjects/employee-anna/export", "employee-bob", "", "", 404, ""},
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
					if resp.StatusCode == http.StatusInternalServerError {
						t.Fatalf("%s %s: 500: %s", tt.method, tt.path, w.Body)
					}
					if resp.StatusCode != tt.status {
						t.Errorf("%s %s: status %d, want %d: %s", tt.method, tt.path, resp.StatusCode, tt.status, w.Body)
					}
					if resp.StatusCode < 400 {
						return
					}
					e := errorOf(t, resp)
					if e.Rule != tt.rule {
						t.Errorf("rule = %q, want %q (body %+v)", e.Rule, tt.rule, e)
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
		hide int // the status where existence must stay hidden
	}{
		{privacy.ErrInvalid, 400, 400},
		{privacy.ErrNotFound, 404, 404},
		{privacy.ErrForbidden, 403, 404},
		{privacy.ErrProhibitedCategory, 403, 404},
		{privacy.ErrConflict, 409, 409},
		{privacy.ErrExists, 409, 409},
		{privacy.ErrUnavailable, 503, 503},
		{access.ErrTampered, 409, 409},
		{&http.MaxBytesError{Limit: 1}, 413, 413},
	}
	for _, k := range kinds {
		for _, err := range []error{
			k.kind,
			&privacy.Error{Op: "x", Kind: k.kind, Rule: privacy.O9},
			fmt.Errorf("wrapped: %w", &privacy.Error{Op: "x", Kind: k.kind}),
			errors.Join(errors.New("other"), &privacy.Error{Op: "x", Kind: k.kind}),
		} {
			if got := statusOf(err, false); got != k.want {
				t.Errorf("statusOf(%v, false) = %d, want %d", err, got, k.want)
			}
			if got := statusOf(err, true); got != k.hide {
				t.Errorf("statusOf(%v, true) = %d, want %d", err, got, k.hide)
			}
		}
	}
	if got := statusOf(errors.New("boom"), false); got != 500 {
		t.Errorf("statusOf(foreign error) = %d, want 500", got)
	}
}

// TestInternalErrorBody: a 500 says "internal error" and nothing else, in
// JSON.
func TestInternalErrorBody(t *testing.T) {
	f := newMemFixture(t)
	s := &server{log: f.deps.Logger}
	s.log = discardLogger()
	w := httptest.NewRecorder()
	s.writeError(w, httptest.NewRequest("GET", "/", nil), errors.New("secret detail: employee-anna"), false)
	resp := w.Result()
	if resp.StatusCode != 500 {
		t.Fatalf("status %d", resp.StatusCode)
	}
	if e := errorOf(t, resp); e.Error != msgInternal || e.Rule != "" {
		t.Errorf("500 body = %+v", e)
	}
}

// TestPanicIs500: a panicking handler gives a generic JSON 500, not a
// stack trace.
func TestPanicIs500(t *testing.T) {
	s := &server{log: discardLogger()}
	h := s.recover(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { panic("boom") }))
	w := httptest.NewRecorder()
	h.ServeHTTP(w, httptest.NewRequest("GET", "/", nil))
	if w.Code != 500 || strings.Contains(w.Body.String(), "boom") {
		t.Errorf("panic answered %d %s", w.Code, w.Body)
	}
}

func TestNewHandlerNeedsDeps(t *testing.T) {
	if _, err := NewHandler(Deps{}); !errors.Is(err, privacy.ErrInvalid) {
		t.Errorf("NewHandler(Deps{}) = %v, want ErrInvalid", err)
	}
	f := newMemFixture(t)
	d := f.deps
	d.Subjects = []privacy.SubjectID{"bad id"}
	if _, err := NewHandler(d); !errors.Is(err, privacy.ErrInvalid) {
		t.Errorf("NewHandler(malformed subject) = %v, want ErrInvalid", err)
	}
}

// TestStorageFailure: when the audit trail cannot be written, nothing is
// shown (G7: no audit, no access) and the answer is a 503, never a 500.
func TestStorageFailure(t *testing.T) {
	for _, rq := range []struct{ name, method, path, principal, body string }{
		{"G7_view", "GET", "/cases/case-anna-absence", "hr-bert", ""},
		{"G7_listing", "GET", "/cases", "hr-bert", ""},
		{"G7_export", "GET", "/subjects/employee-anna/export", "employee-anna", ""},
		{"G7_disclosure", "POST", "/disclosures", "case-manager-carla", validDisclosure},
	} {
		t.Run(rq.name, func(t *testing.T) {
			f := newMemFixture(t)
			f.mem.FailAfter(0)
			resp := f.do(t, rq.method, rq.path, rq.principal, rq.body)
			if resp.StatusCode != http.StatusServiceUnavailable {
				t.Fatalf("status %d, want 503", resp.StatusCode)
			}
			if e := errorOf(t, resp); e.Error != "storage unavailable" {
				t.Errorf("503 body = %+v", e)
			}
		})
	}
}
