package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strings"

	"github.com/dossierwacht/dossierwacht/access"
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
	// WrittenRequest references a third party's written request (rule
	// O14: a third party receives data on consent only on one).
	WrittenRequest string `json:"written_request,omitempty"`
}

// decisionJSON is the answer to POST /disclosures: 201 when allowed (and
// logged), 403 when denied. A denial carries "error" besides, as every
// error body does.
type decisionJSON struct {
	Allowed bool `json:"allowed"`
	// Decision is "allowed" or "denied".
	Decision string `json:"decision"`
	Error    string `json:"error,omitempty"`
	// Rule is the rule that decided; Reason says why.
	Rule   privacy.RuleID `json:"rule"`
	Reason string         `json:"reason"`
	// Basis is what an allowed disclosure rests on; LegalBasis the
	// statute, Grants the consent grants.
	Basis         privacy.BasisKind    `json:"basis,omitempty"`
	LegalBasis    privacy.LegalBasisID `json:"legal_basis,omitempty"`
	Grants        []consent.GrantID    `json:"grants,omitempty"`
	NotifySubject bool                 `json:"notify_subject,omitempty"`
	// Category is, for a denial, the category refused.
	Category privacy.Category `json:"category,omitempty"`
	// Disclosure is the ID of the logged disclosure.
	Disclosure consent.DisclosureID `json:"disclosure,omitempty"`
	Policy     string               `json:"policy"`
}

func decisionOut(d consent.Decision, id consent.DisclosureID) decisionJSON {
	out := decisionJSON{Allowed: d.Allowed, Decision: "denied", Rule: d.Rule, Reason: d.Reason, Policy: d.Policy}
	if d.Allowed {
		out.Decision, out.Basis, out.LegalBasis, out.Grants, out.NotifySubject, out.Disclosure =
			"allowed", d.Basis, d.LegalBasis, d.Grants(), d.NotifySubject, id
	} else {
		out.Error, out.Category = "disclosure denied", d.Category
	}
	return out
}

// disclose serves POST /disclosures: a disclosure of a subject's data to a
// party outside the service, decided by the consent package and, when
// allowed, logged in the same step (rules R6, O14, O6, O9, N2, N3, N5,
// N10, O11, G7).
//
// The discloser must be allowed to read every category it would disclose
// (rules O1, O4: a disclosure is a use of the data); that check goes
// through the Guard and is audited. A case the discloser may not know of is
// 404, as a missing one.
func (s *server) disclose(w http.ResponseWriter, r *http.Request, p *access.Principal) {
	const op = "httpservice: disclose"
	ctx := r.Context()
	if ct := r.Header.Get("Content-Type"); ct != "" {
		if mt, _, err := mime.ParseMediaType(ct); err != nil || mt != "application/json" {
			fail(w, http.StatusUnsupportedMediaType, "want application/json", "")
			return
		}
	}
	in, err := decodeDisclosure(http.MaxBytesReader(w, r.Body, maxBody))
	if err != nil {
		s.writeError(w, r, err, false)
		return
	}
	req := consent.Request{ID: in.ID, By: p, Recipient: in.Recipient, Subject: in.Subject, Case: in.Case,
		Items: in.Items, Purpose: in.Purpose, At: s.now(), Basis: in.Basis, WrittenRequest: in.WrittenRequest,
		AccessPoint: p.AccessPoint, Client: p.Client}
	if err := req.Validate(); err != nil {
		s.writeError(w, r, err, false)
		return
	}
	if in.Case == "" {
		s.writeError(w, r, &privacy.Error{Op: op, Kind: privacy.ErrInvalid, Path: "case", Msg: "a disclosure through this service names its case"}, false)
		return
	}

	// The discloser must know of the case and read what it discloses.
	c, err := s.d.Dossiers.Case(ctx, in.Case)
	if err != nil {
		s.writeError(w, r, err, true)
		return
	}
	if c.Subject != in.Subject {
		notFound(w) // as if the case did not exist: it is not this subject's
		return
	}
	consented := s.consented(ctx, p, c, c.Contract.Party, req.At)
	checks := make([]access.Request, len(in.Items))
	for i, it := range in.Items {
		checks[i] = access.Request{Principal: p, Case: &c, Action: privacy.ActionRead, Category: it.Category,
			Purpose: in.Purpose, Time: req.At, Consent: consented, Object: string(it.Record)}
	}
	ds, err := s.d.Guard.CheckAll(ctx, checks)
	if err != nil {
		s.writeError(w, r, err, true)
		return
	}
	if !s.engine.Visible(access.Request{Principal: p, Case: &c, Purpose: in.Purpose, Time: req.At, Consent: consented}).Allowed {
		notFound(w)
		return
	}
	for _, d := range ds {
		if !d.Allowed {
			fail(w, http.StatusForbidden, "the discloser may not read what it would disclose", d.Rule)
			return
		}
	}

	// A named record must be of this case, subject and category; any
	// other is "not found", so that record IDs of other cases cannot be
	// probed (the registry would call it malformed).
	for _, it := range in.Items {
		if it.Record == "" {
			continue
		}
		read := s.d.Dossiers.Record
		if it.Category.Medical() {
			read = s.d.Dossiers.MedicalRecord
		}
		rec, err := read(ctx, it.Record)
		if err != nil {
			s.writeError(w, r, err, true)
			return
		}
		if rec.Case != c.ID || rec.Subject != c.Subject || rec.Category != it.Category {
			notFound(w)
			return
		}
	}

	d, err := s.d.Consent.Disclose(ctx, req)
	switch {
	case err == nil && d.Allowed:
		writeJSON(w, http.StatusCreated, decisionOut(d, req.ID))
	case errors.Is(err, privacy.ErrForbidden) && !d.Allowed && d.Rule != "":
		writeJSON(w, http.StatusForbidden, decisionOut(d, req.ID))
	case err == nil:
		// Not allowed without an error: deny all the same (fail closed).
		writeJSON(w, http.StatusForbidden, decisionOut(d, req.ID))
	default:
		s.writeError(w, r, err, true)
	}
}

// decodeDisclosure reads one JSON object, strictly: unknown fields, wrong
// types, trailing data and more than maxBody bytes are refused. The errors
// name where, never echo what.
func decodeDisclosure(body io.Reader) (disclosureIn, error) {
	const op = "httpservice: decode disclosure"
	var in disclosureIn
	dec := json.NewDecoder(body)
	dec.DisallowUnknownFields()
	err := dec.Decode(&in)
	if err == nil {
		if dec.More() {
			return disclosureIn{}, &privacy.Error{Op: op, Kind: privacy.ErrInvalid, Msg: "trailing data after the object"}
		}
		if _, terr := dec.Token(); terr != io.EOF {
			var tooBig *http.MaxBytesError
			if errors.As(terr, &tooBig) {
				return disclosureIn{}, terr
			}
			return disclosureIn{}, &privacy.Error{Op: op, Kind: privacy.ErrInvalid, Msg: "trailing data after the object"}
		}
		return in, nil
	}
	var (
		tooBig  *http.MaxBytesError
		syntax  *json.SyntaxError
		typeErr *json.UnmarshalTypeError
	)
	switch {
	case errors.As(err, &tooBig):
		return disclosureIn{}, err
	case errors.Is(err, io.EOF):
		return disclosureIn{}, &privacy.Error{Op: op, Kind: privacy.ErrInvalid, Msg: "empty body"}
	case errors.Is(err, io.ErrUnexpectedEOF):
		return disclosureIn{}, &privacy.Error{Op: op, Kind: privacy.ErrInvalid, Msg: "truncated JSON"}
	case errors.As(err, &syntax):
		return disclosureIn{}, &privacy.Error{Op: op, Kind: privacy.ErrInvalid, Msg: fmt.Sprintf("malformed JSON at byte %d", syntax.Offset)}
	case errors.As(err, &typeErr):
		return disclosureIn{}, &privacy.Error{Op: op, Kind: privacy.ErrInvalid, Path: typeErr.Field, Msg: "wrong type"}
	}
	if strings.HasPrefix(err.Error(), "json: unknown field ") {
		// encoding/json tells an unknown field only by its message.
		return disclosureIn{}, &privacy.Error{Op: op, Kind: privacy.ErrInvalid, Msg: "unknown field"}
	}
	return disclosureIn{}, &privacy.Error{Op: op, Kind: privacy.ErrInvalid, Msg: "malformed body: unknown field or bad value"}
}
