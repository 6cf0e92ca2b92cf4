package main

import (
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
	"time"

	"github.com/dossierwacht/dossierwacht"
	"github.com/dossierwacht/dossierwacht/consent"
	"github.com/dossierwacht/dossierwacht/privacy"
)

// disclosureIn is the body of POST /disclosures. Who discloses is the
// authenticated principal, never a field of the body; when is the
// service's clock, never the client's.
type disclosureIn struct {
	// ID names the request, so that a retry is recognised (409) rather
	// than logged twice.
	ID        consent.DisclosureID `json:"id"`
	Recipient consent.Recipient    `json:"recipient"`
	Subject   privacy.SubjectID    `json:"subject"`
	// Case is the case the data comes from; required here.
	Case    privacy.CaseID       `json:"case"`
	Items   []consent.Item       `json:"items"`
	Purpose privacy.Purpose      `json:"purpose"`
	Basis   privacy.LegalBasisID `json:"basis,omitempty"`
	// WrittenRequest references the recipient's written request (rule
	// O14): a transfer on consent to a third party or the employer needs
	// one.
	WrittenRequest string `json:"written_request,omitempty"`
}

// decisionJSON is the answer to an allowed POST /disclosures (201): the
// decision, and exactly what the recipient is to receive.
type decisionJSON struct {
	Allowed bool `json:"allowed"`
	// Decision is "allowed".
	Decision string `json:"decision"`
	// Rule is the rule that decided; Reason says why.
	Rule   privacy.RuleID `json:"rule"`
	Reason string         `json:"reason"`
	// Basis is what the disclosure rests on; LegalBasis the statute,
	// Grants the consent grants.
	Basis         privacy.BasisKind    `json:"basis,omitempty"`
	LegalBasis    privacy.LegalBasisID `json:"legal_basis,omitempty"`
	Grants        []consent.GrantID    `json:"grants,omitempty"`
	NotifySubject bool                 `json:"notify_subject,omitempty"`
	// Disclosure is the ID of the logged disclosure.
	Disclosure consent.DisclosureID `json:"disclosure"`
	// Records are what the recipient receives: the records and fields
	// decided, no more.
	Records []disclosedJSON `json:"records"`
	Policy  string          `json:"policy"`
}

// disclosedJSON is one record handed over.
type disclosedJSON struct {
	ID       privacy.RecordID         `json:"id"`
	Category privacy.Category         `json:"category"`
	Created  time.Time                `json:"created"`
	Fields   map[privacy.Field]string `json:"fields"`
}

func decisionOut(d dossierwacht.Disclosed, id consent.DisclosureID) decisionJSON {
	out := decisionJSON{Allowed: true, Decision: "allowed", Rule: d.Rule, Reason: d.Reason, Basis: d.Basis,
		LegalBasis: d.LegalBasis, Grants: d.Grants(), NotifySubject: d.NotifySubject, Disclosure: id,
		Records: make([]disclosedJSON, 0, len(d.Records)), Policy: d.Policy}
	for _, r := range d.Records {
		fields := make(map[privacy.Field]string, len(r.Fields))
		for _, f := range r.Fields {
			fields[f.Field] = f.Value
		}
		out.Records = append(out.Records, disclosedJSON{ID: r.ID, Category: r.Category, Created: r.Created, Fields: fields})
	}
	return out
}

// disclose serves POST /disclosures: a disclosure of a subject's data to a
// party outside the service, through the front door's Disclose (rules R6,
// O14, O6, N2, N3, N5, N10, O11, G7): the discloser must know of the case
// and may disclose only what it may read itself (O1, O4); the decision
// and, when allowed, the log entry are written in one step.
//
// Answers: 201 with the decision and what the recipient receives; 403 a
// problem naming the rule that refused (and the category refused); 404
// for a case or record that is missing, hidden or not the subject's, all
// alike; 409 for a disclosure ID used before, by whomever, with nothing
// more said about it.
func (s *server) disclose(w http.ResponseWriter, r *http.Request, a *dossierwacht.Actor) {
	const op = "httpservice: disclose"
	if ct := r.Header.Get("Content-Type"); ct != "" {
		if mt, _, err := mime.ParseMediaType(ct); err != nil || mt != "application/json" {
			s.problem(w, r, problem{Status: http.StatusUnsupportedMediaType, Detail: "send application/json"})
			return
		}
	}
	in, err := decodeDisclosure(http.MaxBytesReader(w, r.Body, maxBody))
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	if in.Case == "" {
		s.writeError(w, r, &privacy.Error{Op: op, Kind: privacy.ErrInvalid, Path: "case", Msg: "a disclosure through this service names its case"})
		return
	}
	req := consent.Request{ID: in.ID, Recipient: in.Recipient, Subject: in.Subject, Case: in.Case,
		Items: in.Items, Purpose: in.Purpose, Basis: in.Basis, WrittenRequest: in.WrittenRequest}
	d, err := s.svc.Disclose(r.Context(), a, req)
	switch {
	case err == nil && d.Allowed:
		writeJSON(w, http.StatusCreated, decisionOut(d, req.ID))
	case errors.Is(err, privacy.ErrExists):
		// The same answer whether the earlier disclosure was the
		// caller's or someone else's, and nothing about it.
		s.problem(w, r, problem{Type: typeDisclosureIDUsed, Status: http.StatusConflict,
			Detail: "a disclosure with this ID was requested before; a new disclosure takes a new ID"})
	case err == nil, errors.Is(err, privacy.ErrForbidden) && d.Rule != "" && !d.Allowed:
		// Refused by the consent register (or, failing closed, not
		// allowed without an error).
		s.problem(w, r, problem{Type: typeRefused, Status: http.StatusForbidden, Detail: d.Reason, Rule: d.Rule,
			Category: d.Category, Policy: d.Policy})
	default:
		s.writeError(w, r, err)
	}
}

// decodeDisclosure reads one JSON object, strictly: unknown fields, wrong
// types, trailing data and more than maxBody bytes are refused. The errors
// name where, never echo what (privacy.JSONError).
func decodeDisclosure(body io.Reader) (disclosureIn, error) {
	const op = "httpservice: decode disclosure"
	var in disclosureIn
	dec := json.NewDecoder(body)
	dec.DisallowUnknownFields()
	err := dec.Decode(&in)
	if err == nil {
		if _, err = dec.Token(); err == io.EOF {
			return in, nil
		}
		if err == nil {
			return disclosureIn{}, &privacy.Error{Op: op, Kind: privacy.ErrInvalid, Msg: "trailing data after the object"}
		}
	}
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &tooBig):
		return disclosureIn{}, err
	case errors.Is(err, io.EOF):
		return disclosureIn{}, &privacy.Error{Op: op, Kind: privacy.ErrInvalid, Msg: "empty body"}
	}
	return disclosureIn{}, privacy.JSONError(op, err)
}
