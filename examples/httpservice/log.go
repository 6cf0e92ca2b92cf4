package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"github.com/dossierwacht/dossierwacht/privacy"
)

// The request log carries no personal data (rules O1, G7: the audit trail
// is where who-saw-what is kept, under its own protection; an operator's
// log is not). Each request is one line with:
//
//	method    the HTTP method
//	route     the ServeMux pattern that served it ("GET /cases/{id}"),
//	          never the raw path, which holds case and subject IDs
//	status    the status sent
//	duration  how long it took
//	role      the caller's role, once authenticated ("" before)
//
// Never a principal, subject, case or record ID, a name, a query string or
// a body. Unexpected errors are logged by kind only (errorKind).

// reqInfo is what the handlers tell the request log: the caller's role,
// and whether the client went away before an answer.
type reqInfo struct {
	route string
	role  privacy.Role
	gone  bool
}

type infoKey struct{}

// infoOf returns the request's log information, or nil outside the
// request log.
func infoOf(r *http.Request) *reqInfo {
	info, _ := r.Context().Value(infoKey{}).(*reqInfo)
	return info
}

// statusClientGone is the status the request log records when the client
// went away before it was answered (nginx's 499); nothing is sent.
const statusClientGone = 499

// logRequests writes one log line per request.
func (s *server) logRequests(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		info := &reqInfo{}
		r = r.WithContext(context.WithValue(r.Context(), infoKey{}, info))
		sw := &statusWriter{ResponseWriter: w}
		next.ServeHTTP(sw, r)
		status := sw.status
		switch {
		case info.gone && status == 0:
			status = statusClientGone
		case status == 0:
			status = http.StatusOK // net/http sends 200 for a handler that wrote nothing
		}
		level := slog.LevelInfo
		switch {
		case status >= 500:
			level = slog.LevelError
			if status == http.StatusServiceUnavailable || status == http.StatusGatewayTimeout {
				level = slog.LevelWarn
			}
		}
		route := info.route
		if route == "" {
			route = "unmatched"
		}
		s.log.LogAttrs(r.Context(), level, "request",
			slog.String("method", r.Method),
			slog.String("route", route),
			slog.Int("status", status),
			slog.Duration("duration", time.Since(start)),
			slog.String("role", string(info.role)))
	})
}

// routed tells the request log the route that serves r: the pattern the
// mux matched, with its wildcards ("GET /cases/{id}"), never the path.
func routed(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if info := infoOf(r); info != nil {
			info.route = r.Pattern
		}
		h(w, r)
	}
}

// statusWriter records the status a handler sends.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the connection's writer
// (flushing a streamed export).
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// errorKind describes err for the log without its message, which may
// carry IDs or a driver's text: the operation and kind of each library
// error in its chain, and the Go type of anything else.
func errorKind(err error) string {
	var out string
	add := func(s string) {
		if out != "" {
			out += "; "
		}
		out += s
	}
	for depth := 0; err != nil && depth < 8; depth++ {
		var pe *privacy.Error
		switch {
		case errors.Is(err, context.DeadlineExceeded):
			add("deadline exceeded")
			return out
		case errors.Is(err, context.Canceled):
			add("cancelled")
			return out
		case errors.As(err, &pe):
			s := pe.Op
			if pe.Kind != nil {
				s += ": " + pe.Kind.Error()
			}
			if pe.Rule != "" {
				s += " [" + string(pe.Rule) + "]"
			}
			add(s)
			err = pe.Err
		default:
			add(fmt.Sprintf("%T", err))
			return out
		}
	}
	return out
}
