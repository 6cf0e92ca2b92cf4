package main

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"

	"github.com/dossierwacht/dossierwacht/privacy"
)

// Errors are RFC 9457 problem details: a JSON object of media type
// application/problem+json with type, title, status and detail, and the
// extension member rule naming the rule that decided. A problem never
// carries personal data, a driver's text or anything about another
// caller's objects: the detail is the library's short, non-personal
// message or a fixed text. A 404 is the same bytes for a missing object
// and a hidden one, and names no rule (rule O10, STYLE.md 6); the audit
// trail has the rule that hid it.

// The problem types of this API (RFC 9457 §3.1.1). They are tag URIs
// (RFC 4151): names, not addresses; openapi.json lists them. A problem
// with no more meaning than its status is "about:blank".
const (
	problemBase = "tag:dossierwacht.github.io,2026:problem:"
	// typeInvalid: the request is malformed; rule, if set, is the rule
	// the request breaks (R5: no purpose stated).
	typeInvalid = problemBase + "invalid-request"
	// typeUnauthenticated: no principal the service knows (R12).
	typeUnauthenticated = problemBase + "unauthenticated"
	// typeRefused: a rule refused the request; rule names it.
	typeRefused = problemBase + "refused"
	// typeDisclosureIDUsed: the disclosure ID is in the log already.
	typeDisclosureIDUsed = problemBase + "disclosure-id-used"
	// typeConflict: the request conflicts with the state of the store.
	typeConflict = problemBase + "conflict"
	// typeUnavailable: the store cannot be reached; try again later.
	typeUnavailable = problemBase + "unavailable"
	// typeTimeout: the request's deadline passed before it was done.
	typeTimeout = problemBase + "timeout"
)

// titles are the short, fixed summaries of the problem types.
var titles = map[string]string{
	typeInvalid:          "Invalid request",
	typeUnauthenticated:  "Unauthenticated",
	typeRefused:          "Refused by a rule",
	typeDisclosureIDUsed: "Disclosure ID already used",
	typeConflict:         "Conflict",
	typeUnavailable:      "Storage unavailable",
	typeTimeout:          "Request timed out",
}

// problem is the body of every error response.
type problem struct {
	Type   string         `json:"type"`
	Title  string         `json:"title"`
	Status int            `json:"status"`
	Detail string         `json:"detail,omitempty"`
	Rule   privacy.RuleID `json:"rule,omitempty"`

	// Extension members of a refused disclosure (POST /disclosures).
	// Category is the category refused; Policy the version of the
	// policy that decided (O16).
	Category privacy.Category `json:"category,omitempty"`
	Policy   string           `json:"policy,omitempty"`
}

// problemType is the media type of a problem (RFC 9457 §3).
const problemType = "application/problem+json"

// problem writes p, filling in its title.
func (s *server) problem(w http.ResponseWriter, _ *http.Request, p problem) {
	if p.Type == "" {
		p.Type = "about:blank"
	}
	if p.Title == "" {
		p.Title = titles[p.Type]
		if p.Type == "about:blank" {
			p.Title = http.StatusText(p.Status)
		}
	}
	h := w.Header()
	h.Set("Content-Type", problemType)
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(p.Status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(true)
	_ = enc.Encode(p) // the client went away; nothing left to tell it
}

// notFound is the answer to anything missing or hidden: the same bytes
// whatever the reason, with no rule.
func (s *server) notFound(w http.ResponseWriter, r *http.Request) {
	s.problem(w, r, problem{Status: http.StatusNotFound})
}

// statusOf maps an error of the library to an HTTP status by its kind
// (errors.Is, never the message): ErrInvalid 400, ErrNotFound 404,
// ErrForbidden 403, ErrConflict and ErrExists 409, ErrUnavailable 503, a
// body over the limit 413. Anything else is 500.
func statusOf(err error) int {
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &tooBig):
		return http.StatusRequestEntityTooLarge
	case errors.Is(err, privacy.ErrInvalid):
		return http.StatusBadRequest
	case errors.Is(err, privacy.ErrNotFound):
		return http.StatusNotFound
	case errors.Is(err, privacy.ErrForbidden):
		return http.StatusForbidden
	case errors.Is(err, privacy.ErrConflict), errors.Is(err, privacy.ErrExists):
		return http.StatusConflict
	case errors.Is(err, privacy.ErrUnavailable):
		return http.StatusServiceUnavailable
	}
	return http.StatusInternalServerError
}

// writeError answers err as a problem. When the request's deadline has
// passed the answer is a 504 whatever the error; when the client went
// away there is nobody to answer. A 503 or 500 tells the client nothing
// of what failed; the log gets the error's kind (errorKind), never its
// message.
func (s *server) writeError(w http.ResponseWriter, r *http.Request, err error) {
	if ctx := r.Context(); ctx.Err() != nil {
		if context.Cause(ctx) == errTimeout {
			s.log.WarnContext(ctx, "httpservice: request deadline passed", slog.String("error", errorKind(err)))
			s.problem(w, r, problem{Type: typeTimeout, Status: http.StatusGatewayTimeout,
				Detail: "the request took longer than the service allows"})
			return
		}
		if info := infoOf(r); info != nil {
			info.gone = true
		}
		return
	}
	switch status := statusOf(err); status {
	case http.StatusBadRequest:
		s.problem(w, r, problem{Type: typeInvalid, Status: status, Detail: describe(err), Rule: privacy.RuleOf(err)})
	case http.StatusForbidden:
		s.problem(w, r, problem{Type: typeRefused, Status: status, Detail: describe(err), Rule: privacy.RuleOf(err)})
	case http.StatusNotFound:
		s.notFound(w, r)
	case http.StatusConflict:
		s.problem(w, r, problem{Type: typeConflict, Status: status,
			Detail: "the request conflicts with what the service holds", Rule: privacy.RuleOf(err)})
	case http.StatusRequestEntityTooLarge:
		s.problem(w, r, problem{Status: status, Detail: "the request body is larger than 64 KiB"})
	case http.StatusServiceUnavailable:
		s.log.WarnContext(r.Context(), "httpservice: storage unavailable", slog.String("error", errorKind(err)))
		w.Header().Set("Retry-After", "5")
		s.problem(w, r, problem{Type: typeUnavailable, Status: status, Detail: "the service cannot reach its store; try again later"})
	default:
		s.log.ErrorContext(r.Context(), "httpservice: unexpected error", slog.String("error", errorKind(err)))
		s.problem(w, r, problem{Status: http.StatusInternalServerError, Detail: "internal error"})
	}
}

// describe is the detail of a problem about err: where and what, from the
// library's structured error, whose messages hold no personal data
// (privacy.Error). Anything else is described by its kind only.
func describe(err error) string {
	for e := err; e != nil; {
		var pe *privacy.Error
		if !errors.As(e, &pe) {
			break
		}
		if pe.Msg != "" {
			if pe.Path != "" {
				return pe.Path + ": " + pe.Msg
			}
			return pe.Msg
		}
		e = pe.Err
	}
	switch {
	case errors.Is(err, privacy.ErrForbidden):
		return "refused"
	case errors.Is(err, privacy.ErrInvalid):
		return "the request is malformed"
	}
	return ""
}
