package main

import (
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"

	"github.com/dossierwacht/dossierwacht/privacy"
)

// errorBody is every error response: a short message without personal data
// and, where a rule decided, its ID.
type errorBody struct {
	Error string         `json:"error"`
	Rule  privacy.RuleID `json:"rule,omitempty"`
}

// Messages of the responses that must say nothing more.
const (
	msgNotFound = "not found"
	msgInternal = "internal error"
)

// statusOf maps an error of the library to an HTTP status by its kind
// (errors.Is, never the message): ErrInvalid 400, ErrNotFound 404,
// ErrForbidden 403, ErrConflict and ErrExists 409, ErrUnavailable 503.
// Anything else is 500. hide turns ErrForbidden into 404 where a refusal
// would reveal that the object exists (STYLE.md 6).
func statusOf(err error, hide bool) int {
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &tooBig):
		return http.StatusRequestEntityTooLarge
	case errors.Is(err, privacy.ErrInvalid):
		return http.StatusBadRequest
	case errors.Is(err, privacy.ErrNotFound):
		return http.StatusNotFound
	case errors.Is(err, privacy.ErrForbidden):
		if hide {
			return http.StatusNotFound
		}
		return http.StatusForbidden
	case errors.Is(err, privacy.ErrConflict), errors.Is(err, privacy.ErrExists):
		return http.StatusConflict
	case errors.Is(err, privacy.ErrUnavailable):
		return http.StatusServiceUnavailable
	}
	return http.StatusInternalServerError
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

// writeError answers err. The body carries the error's message (the
// library's messages hold IDs and rule IDs only, never personal data) and
// its rule, except:
//   - a 404 says only "not found" and names no rule, so that a missing
//     object and a hidden one answer alike (rule O10, STYLE.md 6); the
//     audit trail has the rule that hid it;
//   - a 503 says only "storage unavailable" and a 500 only "internal
//     error": what failed goes to the log, not to the client.
func (s *server) writeError(w http.ResponseWriter, r *http.Request, err error, hide bool) {
	if r.Context().Err() != nil && errors.Is(err, r.Context().Err()) {
		return // the client went away: nobody to answer
	}
	status := statusOf(err, hide)
	body := errorBody{Error: err.Error(), Rule: privacy.RuleOf(err)}
	switch status {
	case http.StatusNotFound:
		body = errorBody{Error: msgNotFound}
	case http.StatusRequestEntityTooLarge:
		body = errorBody{Error: "request body too large"}
	case http.StatusServiceUnavailable:
		s.log.WarnContext(r.Context(), "httpservice: storage unavailable", slog.String("path", r.URL.Path), slog.Any("err", err))
		body = errorBody{Error: "storage unavailable"}
	case http.StatusInternalServerError:
		s.log.ErrorContext(r.Context(), "httpservice: unexpected error", slog.String("path", r.URL.Path), slog.Any("err", err))
		body = errorBody{Error: msgInternal}
	}
	writeJSON(w, status, body)
}

// fail answers a refusal the handler decided itself, with its rule.
func fail(w http.ResponseWriter, status int, msg string, rule privacy.RuleID) {
	writeJSON(w, status, errorBody{Error: msg, Rule: rule})
}

// notFound is the answer to anything missing or hidden: the same body
// whatever the reason.
func notFound(w http.ResponseWriter) {
	writeJSON(w, http.StatusNotFound, errorBody{Error: msgNotFound})
}
