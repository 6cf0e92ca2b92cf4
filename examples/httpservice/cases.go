package main

import (
	"context"
	"errors"
	"net/http"
	"time"

	"github.com/dossierwacht/dossierwacht/access"
	"github.com/dossierwacht/dossierwacht/consent"
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

// purposeParam reads the optional ?purpose= parameter (rule R5).
func purposeParam(r *http.Request, op string) (privacy.Purpose, error) {
	p := r.URL.Query().Get("purpose")
	if p != "" && !privacy.ValidID(p) {
		return "", &privacy.Error{Op: op, Kind: privacy.ErrInvalid, Rule: privacy.R5, Path: "purpose", Msg: "malformed purpose"}
	}
	return privacy.Purpose(p), nil
}

// viewCase serves GET /cases/{id}?purpose=…: the case as the caller may see
// it, redacted by the access engine (rules R7, R8, O4, O6, O9, O10, O11,
// N2, N3, N4, N6), every record shown or withheld audited (G7, N9).
//
// ?purpose= says why the caller asks (rule R5): a purpose other than the
// case's own hides the case; left out, the caller asks for the case's own.
// A case the caller may not know of is 404, exactly as a case that does not
// exist (rule O10: the employer does not even learn that a consultation-hour
// visit exists).
func (s *server) viewCase(w http.ResponseWriter, r *http.Request, p *access.Principal) {
	const op = "httpservice: view case"
	ctx := r.Context()
	id := r.PathValue("id")
	if !privacy.ValidID(id) {
		s.writeError(w, r, &privacy.Error{Op: op, Kind: privacy.ErrInvalid, Path: "id", Msg: "malformed case ID"}, false)
		return
	}
	purpose, err := purposeParam(r, op)
	if err != nil {
		s.writeError(w, r, err, false)
		return
	}
	now := s.now()
	consented := false
	// The service reads the case to learn its subject and purpose; none
	// of it reaches the caller unless the Guard allows.
	c, err := s.d.Dossiers.Case(ctx, privacy.CaseID(id))
	switch {
	case err == nil:
		if purpose == "" {
			purpose = c.Purpose
		}
		consented = s.consented(ctx, p, c, c.Contract.Party, now)
	case !errors.Is(err, privacy.ErrNotFound):
		s.writeError(w, r, err, true)
		return
	}
	// A missing case goes to the Guard too: it answers "not found" for
	// it just as for a hidden one.
	v, err := s.d.Guard.View(ctx, access.ViewRequest{Principal: p, Case: privacy.CaseID(id), Purpose: purpose, Time: now, Consent: consented})
	if err != nil {
		s.writeError(w, r, err, true)
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
// not counted, not hinted at). The search and every case shown or left out
// are audited (G7, N9).
func (s *server) listCases(w http.ResponseWriter, r *http.Request, p *access.Principal) {
	const op = "httpservice: list cases"
	ctx := r.Context()
	purpose, err := purposeParam(r, op)
	if err != nil {
		s.writeError(w, r, err, false)
		return
	}
	now := s.now()
	var candidates []privacy.Case
	for _, sub := range s.d.Subjects {
		cs, err := s.d.Dossiers.SubjectCases(ctx, sub)
		if errors.Is(err, privacy.ErrNotFound) {
			continue // erased since the index was built
		}
		if err != nil {
			s.writeError(w, r, err, true)
			return
		}
		candidates = append(candidates, cs...)
	}
	// Rule O10: the consent question is asked per case, failing closed.
	consentOf := access.ConsentFunc(func(c privacy.Case, party privacy.PartyID) bool {
		return s.consented(ctx, p, c, party, now)
	})
	shown, err := s.d.Guard.List(ctx, access.ListRequest{Principal: p, Purpose: purpose, Time: now, Consent: consentOf}, candidates)
	if err != nil {
		s.writeError(w, r, err, true)
		return
	}
	out := listJSON{Cases: make([]caseJSON, 0, len(shown)), Policy: s.policy.Version}
	for i := range shown {
		c := &shown[i]
		pur := purpose
		if pur == "" {
			pur = c.Purpose
		}
		// The rule that lets the caller know of the case (a pure
		// decision; the listing above audited it).
		d := s.engine.Visible(access.Request{Principal: p, Case: c, Purpose: pur, Time: now,
			Consent: consentOf.Consented(*c, c.Contract.Party)})
		out.Cases = append(out.Cases, caseOut(*c, d.Rule))
	}
	writeJSON(w, http.StatusOK, out)
}

// consented answers rule O10's question: did the subject of c consent to
// party, for which p acts, learning of it? Only an employer contact asks;
// an error of the registry counts as no (decisions fail closed).
func (s *server) consented(ctx context.Context, p *access.Principal, c privacy.Case, party privacy.PartyID, now time.Time) bool {
	if p.Role != privacy.RoleEmployerContact || !c.Kind.Confidential() || !p.ActsFor(party) {
		return false
	}
	ok, err := s.d.Consent.Consents(ctx, consent.Query{Subject: c.Subject,
		Recipient: consent.Recipient{Party: party, Kind: privacy.PartyEmployer},
		Category:  privacy.CategoryConsultation, Case: c.ID, At: now})
	if err != nil {
		s.log.WarnContext(ctx, "httpservice: consent lookup failed", "case", string(c.ID), "err", err)
		return false
	}
	return ok
}
