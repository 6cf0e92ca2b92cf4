package main

import (
	"encoding/json"
	"net/http"
	"time"

	"github.com/dossierwacht/dossierwacht"
	"github.com/dossierwacht/dossierwacht/privacy"
)

// caseJSON is a case as the API shows it.
type caseJSON struct {
	ID      privacy.CaseID    `json:"id"`
	Subject privacy.SubjectID `json:"subject"`
	Kind    privacy.CaseKind  `json:"kind"`
	Purpose privacy.Purpose   `json:"purpose"`
	// Commissioner is the party that commissioned the case (O2).
	Commissioner privacy.PartyID `json:"commissioner"`
	Opened       time.Time       `json:"opened"`
	Closed       time.Time       `json:"closed,omitzero"`
	// Rule is the rule that lets the caller know of the case.
	Rule privacy.RuleID `json:"rule"`
}

func caseOut(c privacy.Case, rule privacy.RuleID) caseJSON {
	return caseJSON{ID: c.ID, Subject: c.Subject, Kind: c.Kind, Purpose: c.Purpose, Commissioner: c.Contract.Party,
		Opened: c.Opened, Closed: c.Closed, Rule: rule}
}

// sourceJSON says who supplied a record (R2).
type sourceJSON struct {
	Kind  privacy.PartyKind `json:"kind"`
	Party privacy.PartyID   `json:"party,omitempty"`
}

// recordJSON is a record as the caller may see it: only its visible fields.
type recordJSON struct {
	ID       privacy.RecordID         `json:"id"`
	Category privacy.Category         `json:"category"`
	Author   privacy.PrincipalID      `json:"author"`
	Source   sourceJSON               `json:"source"`
	Created  time.Time                `json:"created"`
	Updated  time.Time                `json:"updated"`
	Fields   map[privacy.Field]string `json:"fields"`
	// Rule is the rule that lets the caller see the record.
	Rule privacy.RuleID `json:"rule"`
}

// viewJSON is the body of GET /cases/{id}.
type viewJSON struct {
	Case    caseJSON     `json:"case"`
	Records []recordJSON `json:"records"`
	// Policy is the version of the policy that decided (O16).
	Policy string `json:"policy"`
}

// listJSON is the body of GET /cases.
type listJSON struct {
	Cases  []caseJSON `json:"cases"`
	Policy string     `json:"policy"`
}

// purposeParam reads the ?purpose= parameter (rule R5).
func purposeParam(r *http.Request, op string) (privacy.Purpose, error) {
	p := r.URL.Query().Get("purpose")
	if p != "" && !privacy.ValidID(p) {
		return "", &privacy.Error{Op: op, Kind: privacy.ErrInvalid, Rule: privacy.R5, Path: "purpose", Msg: "malformed purpose"}
	}
	return privacy.Purpose(p), nil
}

// viewCase serves GET /cases/{id}?purpose=…: the case as the caller may
// see it, redacted by the access engine (rules R7, R8, O4, O6, O9, O10,
// O11, N2, N3, N4, N6), every record shown or withheld audited (G7, N9):
// the front door's View.
//
// ?purpose= says why the caller asks (rule R5) and must be the case's own
// purpose: every caller but the subject states it (the listing gives each
// case's purpose), and another purpose hides the case. A case the caller
// may not know of is 404, exactly as a case that does not exist (rule O10:
// the employer does not even learn that a consultation-hour visit exists).
func (s *server) viewCase(w http.ResponseWriter, r *http.Request, a *dossierwacht.Actor) {
	const op = "httpservice: view case"
	id := r.PathValue("id")
	if !privacy.ValidID(id) {
		s.writeError(w, r, &privacy.Error{Op: op, Kind: privacy.ErrInvalid, Path: "id", Msg: "malformed case ID"})
		return
	}
	purpose, err := purposeParam(r, op)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	v, err := s.svc.View(r.Context(), a, privacy.CaseID(id), purpose)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	out := viewJSON{Case: caseOut(v.Case, v.Rule), Records: make([]recordJSON, 0, len(v.Records)), Policy: v.Policy}
	for _, rv := range v.Records {
		fields := make(map[privacy.Field]string, len(rv.Fields))
		for _, f := range rv.Fields {
			fields[f.Field] = f.Value
		}
		out.Records = append(out.Records, recordJSON{ID: rv.ID, Category: rv.Category, Author: rv.Author,
			Source: sourceJSON{Kind: rv.Source.Kind, Party: rv.Source.Party}, Created: rv.Created, Updated: rv.Updated,
			Fields: fields, Rule: rv.Rule})
	}
	writeJSON(w, http.StatusOK, out)
}

// listCases serves GET /cases?purpose=…: the cases the caller may know of,
// from the service's index of subjects (rule O10: a hidden case is absent,
// not counted, not hinted at), each with the rule that lets the caller
// know of it. The search and every case shown or left out are audited
// (G7, N9): the front door's ListCases.
func (s *server) listCases(w http.ResponseWriter, r *http.Request, a *dossierwacht.Actor) {
	purpose, err := purposeParam(r, "httpservice: list cases")
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	listed, err := s.svc.ListCases(r.Context(), a, dossierwacht.CaseQuery{Subjects: s.subjects, Purpose: purpose})
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	out := listJSON{Cases: make([]caseJSON, 0, len(listed)), Policy: s.policy}
	for _, c := range listed {
		out.Cases = append(out.Cases, caseOut(c.Case, c.Rule))
	}
	writeJSON(w, http.StatusOK, out)
}

// writeJSON writes v as the JSON body of a response with status.
func writeJSON(w http.ResponseWriter, status int, v any) {
	h := w.Header()
	h.Set("Content-Type", "application/json; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(true)
	_ = enc.Encode(v) // the client went away; nothing left to tell it
}
