package main

import (
	_ "embed"
	"net/http"

	"github.com/dossierwacht/dossierwacht/export"
)

// healthJSON is the body of GET /healthz.
type healthJSON struct {
	// Status is "ok".
	Status string `json:"status"`
	// Policy is the version of the policy the service enforces (O16).
	Policy string `json:"policy"`
}

// health serves GET /healthz: 200 with a small JSON body when the service
// is up and its store reachable (the front door's Ping asks a store that
// can say), a 503 problem when the store cannot be reached, within the
// request's deadline. It touches no personal data and needs no principal.
func (s *server) health(w http.ResponseWriter, r *http.Request) {
	if err := s.svc.Ping(r.Context()); err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, healthJSON{Status: "ok", Policy: s.policy})
}

// openAPIDoc is the OpenAPI 3.1 description of this API, embedded so that
// the service serves the description of exactly the build that runs.
//
//go:embed openapi.json
var openAPIDoc []byte

// exportSchema serves GET /schemas/export.json: the JSON Schema (draft
// 2020-12) of the subject's export, dossierwacht.export/v1, as package
// rights embeds it (rule G5: a documented, machine-readable form).
func (s *server) exportSchema(w http.ResponseWriter, _ *http.Request) {
	h := w.Header()
	h.Set("Content-Type", "application/schema+json")
	h.Set("Cache-Control", "no-cache")
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(export.JSONSchema())
}

// openAPI serves GET /openapi.json.
func (s *server) openAPI(w http.ResponseWriter, _ *http.Request) {
	h := w.Header()
	h.Set("Content-Type", "application/json; charset=utf-8")
	h.Set("Cache-Control", "no-cache")
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(openAPIDoc)
}
