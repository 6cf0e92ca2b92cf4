package main

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/dossierwacht/dossierwacht/memstore"
	"github.com/dossierwacht/dossierwacht/privacy"
)

// pingStore is memstore with a Ping that can be made to fail, as a
// database that went away.
type pingStore struct {
	*memstore.Store
	down *atomic.Bool
}

func (p pingStore) Ping(ctx context.Context) error {
	if p.down.Load() {
		return errors.New("dial tcp 10.0.0.7:5432: connection refused")
	}
	return nil
}

// TestHealth: GET /healthz answers 200 with a small JSON body while the
// store is reachable, and a 503 problem, saying nothing of why, when it is
// not; it needs no principal.
func TestHealth(t *testing.T) {
	down := new(atomic.Bool)
	f := newFixture(t, pingStore{memstore.New(), down}, nil)
	resp := f.do(t, "GET", "/healthz", "", "")
	var h healthJSON
	decode(t, resp, &h)
	if resp.StatusCode != http.StatusOK || h.Status != "ok" || h.Policy == "" {
		t.Errorf("GET /healthz = %d %+v", resp.StatusCode, h)
	}
	down.Store(true)
	resp = f.do(t, "GET", "/healthz", "", "")
	if resp.StatusCode != http.StatusServiceUnavailable {
		t.Fatalf("GET /healthz with the store down = %d, want 503", resp.StatusCode)
	}
	if p := problemOf(t, resp); p.Type != typeUnavailable || strings.Contains(p.Detail, "10.0.0.7") {
		t.Errorf("problem = %+v", p)
	}
	if strings.Contains(f.logs.String(), "10.0.0.7") {
		t.Errorf("the log holds the driver's text: %s", f.logs)
	}
}

// slowStore is memstore whose case reads wait until their context ends,
// as a database stuck behind a lock.
type slowStore struct {
	*memstore.Store
	slow *atomic.Bool
}

func (s slowStore) Case(ctx context.Context, id privacy.CaseID) (privacy.Case, error) {
	if s.slow.Load() {
		<-ctx.Done()
		return privacy.Case{}, &privacy.Error{Op: "slowstore: case", Kind: privacy.ErrUnavailable, Err: ctx.Err()}
	}
	return s.Store.Case(ctx, id)
}

// TestDeadline: a request whose store call outlasts the request's deadline
// is cut off at the deadline with a 504 problem, and the request log says
// so; a request whose client went away is not answered.
func TestDeadline(t *testing.T) {
	slow := new(atomic.Bool)
	f := newFixture(t, slowStore{memstore.New(), slow}, func(d *Deps) { d.Timeout = 50 * time.Millisecond })
	slow.Store(true)
	start := time.Now()
	resp := f.do(t, "GET", casePath(annaCase), "employer-contact-bert", "")
	if took := time.Since(start); took > 5*time.Second {
		t.Errorf("the request took %v: not cut off", took)
	}
	if resp.StatusCode != http.StatusGatewayTimeout {
		t.Fatalf("status %d, want 504", resp.StatusCode)
	}
	if p := problemOf(t, resp); p.Type != typeTimeout || p.Rule != "" {
		t.Errorf("problem = %+v", p)
	}
	if !strings.Contains(f.logs.String(), `"status":504`) {
		t.Errorf("the request log lacks the 504: %s", f.logs)
	}

	// The client goes away: nobody is answered, and the log says 499.
	ctx, cancel := context.WithCancel(context.Background())
	req := httptest.NewRequestWithContext(ctx, "GET", casePath(annaCase), nil)
	req.Header.Set(DemoHeader, "employer-contact-bert")
	w := httptest.NewRecorder()
	cancel()
	f.h.ServeHTTP(w, req)
	if w.Body.Len() != 0 {
		t.Errorf("a request whose client went away was answered: %d %s", w.Code, w.Body)
	}
	if !strings.Contains(f.logs.String(), `"status":499`) {
		t.Errorf("the request log lacks the 499: %s", f.logs)
	}

	slow.Store(false)
	if resp := f.do(t, "GET", casePath(annaCase), "employer-contact-bert", ""); resp.StatusCode != http.StatusOK {
		t.Errorf("after the store recovered: %d", resp.StatusCode)
	}
}

// TestRequestLog: one log line per request with method, route pattern,
// status, duration and role, and no personal data: no principal, subject,
// case or record ID, no name, no query and no body (rules O1, G7: who saw
// what is the audit trail's, not the operator's log).
func TestRequestLog(t *testing.T) {
	f := newMemFixture(t)
	requests := []struct{ method, path, who, body string }{
		{"GET", "/healthz", "", ""},
		{"GET", "/openapi.json", "", ""},
		{"GET", "/privacy?lang=en", "", ""},
		{"GET", "/cases", "employer-contact-bert", ""},
		{"GET", casePath(annaCase), "physician-dirk", ""},
		{"GET", casePath(bramCase), "employer-contact-bert", ""},
		{"GET", "/cases/case-anna-absence", "employer-contact-bert", ""},
		{"GET", "/subjects/employee-anna/export?format=html", "employee-anna", ""},
		{"GET", "/subjects/employee-anna/export", "physician-dirk", ""},
		{"GET", "/subjects/employee-anna/export", "employee-bram", ""},
		{"POST", "/disclosures", "case-manager-carla", validDisclosure},
		{"POST", "/disclosures", "case-manager-carla", validDisclosure},
		{"POST", "/disclosures", "case-manager-carla", strings.Replace(validDisclosure, `"absence-facts"`, `"absence-reason"`, 1)},
		{"POST", "/disclosures", "case-manager-carla", `{"id":"Anna de Vries"`},
		{"DELETE", "/cases/case-anna-absence", "employer-contact-bert", ""},
		{"GET", "/employee-anna/secret", "mallory", ""},
		{"GET", "/cases", "mallory", ""},
	}
	for _, rq := range requests {
		f.do(t, rq.method, rq.path, rq.who, rq.body).Body.Close()
	}
	type line struct {
		Msg      string `json:"msg"`
		Method   string `json:"method"`
		Route    string `json:"route"`
		Status   int    `json:"status"`
		Duration *int64 `json:"duration"`
		Role     string `json:"role"`
	}
	var lines []line
	for _, l := range strings.Split(strings.TrimSpace(f.logs.String()), "\n") {
		var v line
		if err := json.Unmarshal([]byte(l), &v); err != nil {
			t.Fatalf("log line %q: %v", l, err)
		}
		if v.Msg == "request" {
			lines = append(lines, v)
		}
	}
	if len(lines) != len(requests) {
		t.Fatalf("%d request log lines for %d requests:\n%s", len(lines), len(requests), f.logs)
	}
	wantRoutes := []string{"GET /healthz", "GET /openapi.json", "GET /privacy", "GET /cases", "GET /cases/{id}", "GET /cases/{id}",
		"GET /cases/{id}", "GET /subjects/{id}/export", "GET /subjects/{id}/export", "GET /subjects/{id}/export", "POST /disclosures",
		"POST /disclosures", "POST /disclosures", "POST /disclosures", "/cases/{id}", "/", "GET /cases"}
	wantStatus := []int{200, 200, 200, 200, 200, 404, 400, 200, 200, 404, 201, 409, 403, 400, 405, 404, 401}
	for i, l := range lines {
		if l.Method != requests[i].method || l.Route != wantRoutes[i] || l.Status != wantStatus[i] || l.Duration == nil {
			t.Errorf("log line %d = %+v, want %s %s %d with a duration", i, l, requests[i].method, wantRoutes[i], wantStatus[i])
		}
	}
	if lines[4].Role != string(privacy.RolePhysician) || lines[0].Role != "" || lines[16].Role != "" {
		t.Errorf("roles logged %q, %q, %q: want physician, none, none", lines[4].Role, lines[0].Role, lines[16].Role)
	}
	// Nothing that names a person or their data: every ID of the demo
	// world, every name and value it holds, and the bodies sent.
	personal := regexp.MustCompile(`employee-|case-(anna|bram|chris|dana|eva|nobody)|rec-|grant-|d-ok|bert|carla|dirk|femke|ida|adam|sam|mallory|Anna|Vries|Utrecht|lumbar|flour|suwi|uwv|secret`)
	if m := personal.FindAllString(f.logs.String(), -1); len(m) > 0 {
		t.Errorf("the request log holds personal data %q:\n%s", slices.Compact(m), f.logs)
	}
}

// TestOpenAPIMatchesRoutes: GET /openapi.json serves the embedded OpenAPI
// 3.1 description; every route of the mux is in it with its method, every
// path and method in it is routed to that route, and every $ref in it
// resolves.
func TestOpenAPIMatchesRoutes(t *testing.T) {
	f := newMemFixture(t)
	resp := f.do(t, "GET", "/openapi.json", "", "")
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") {
		t.Fatalf("GET /openapi.json = %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	var doc struct {
		OpenAPI string                                `json:"openapi"`
		Info    struct{ Title, Version string }       `json:"info"`
		Paths   map[string]map[string]json.RawMessage `json:"paths"`
	}
	if err := json.Unmarshal(body, &doc); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(doc.OpenAPI, "3.1.") || doc.Info.Title == "" || doc.Info.Version == "" {
		t.Errorf("openapi %q, info %+v: want an OpenAPI 3.1 document", doc.OpenAPI, doc.Info)
	}
	s, err := newServer(Deps{Service: f.svc, Auth: &DemoAuth{}})
	if err != nil {
		t.Fatal(err)
	}
	mux := s.mux()
	routed := map[string]bool{}
	for _, rt := range s.routes() {
		routed[rt.method+" "+rt.path] = true
	}
	documented := map[string]bool{}
	methods := []string{"get", "put", "post", "delete", "patch", "head", "options", "trace"}
	for path, item := range doc.Paths {
		for key, op := range item {
			if !slices.Contains(methods, key) {
				continue
			}
			route := strings.ToUpper(key) + " " + path
			documented[route] = true
			var o struct {
				OperationID string                     `json:"operationId"`
				Responses   map[string]json.RawMessage `json:"responses"`
			}
			if err := json.Unmarshal(op, &o); err != nil || o.OperationID == "" || len(o.Responses) == 0 {
				t.Errorf("%s: operation without operationId or responses", route)
			}
			// The mux routes the documented path (its parameters
			// filled in) to exactly this route.
			concrete := regexp.MustCompile(`\{[^}]+\}`).ReplaceAllString(path, "x")
			_, pattern := mux.Handler(httptest.NewRequest(strings.ToUpper(key), concrete, nil))
			if pattern != route {
				t.Errorf("%s: the mux routes %s %s to %q", route, strings.ToUpper(key), concrete, pattern)
			}
		}
	}
	for r := range routed {
		if !documented[r] {
			t.Errorf("route %s is not in openapi.json", r)
		}
	}
	for r := range documented {
		if !routed[r] {
			t.Errorf("openapi.json describes %s, which is not routed", r)
		}
	}
	// Every $ref points into the document.
	var all any
	if err := json.Unmarshal(body, &all); err != nil {
		t.Fatal(err)
	}
	var walk func(v any)
	walk = func(v any) {
		switch v := v.(type) {
		case map[string]any:
			for k, x := range v {
				if ref, ok := x.(string); ok && k == "$ref" {
					if resolve(all, ref) == nil {
						t.Errorf("$ref %s does not resolve", ref)
					}
				}
				walk(x)
			}
		case []any:
			for _, x := range v {
				walk(x)
			}
		}
	}
	walk(all)
}

// resolve follows a local JSON pointer ("#/components/schemas/X") in doc.
func resolve(doc any, ref string) any {
	if !strings.HasPrefix(ref, "#/") {
		return nil
	}
	v := doc
	for _, part := range strings.Split(ref[2:], "/") {
		m, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		if v, ok = m[strings.NewReplacer("~1", "/", "~0", "~").Replace(part)]; !ok {
			return nil
		}
	}
	return v
}
