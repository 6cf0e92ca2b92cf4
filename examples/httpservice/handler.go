package main

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/dossierwacht/dossierwacht/access"
	"github.com/dossierwacht/dossierwacht/access/rights"
	"github.com/dossierwacht/dossierwacht/consent"
	"github.com/dossierwacht/dossierwacht/privacy"
)

// Authenticator says who is calling. The library never authenticates (rule
// R12): the service does, and hands the library the principal it vouches
// for. [DemoAuth] is a STAND-IN; replace it with your own.
type Authenticator interface {
	// Authenticate returns the calling principal, a new value the handler
	// may change (it sets AccessPoint and Client), or an error if the
	// request names nobody the service knows.
	Authenticate(r *http.Request) (*access.Principal, error)
}

// AuditLog appends events to the audit trail: the part of access.Store the
// export endpoint writes to directly (rules G7, N9).
type AuditLog interface {
	AppendEvents(ctx context.Context, events ...privacy.Event) ([]privacy.Event, error)
}

// Deps are what the handler serves from. Every field but Logger is
// required.
type Deps struct {
	// Auth says who is calling (R12). STAND-IN in this example: DemoAuth.
	Auth Authenticator
	// Dossiers is the case file.
	Dossiers *privacy.Dossiers
	// Guard decides and audits every look at case data (R7, O4, O9, O10,
	// O11, O6, N6, G7).
	Guard *access.Guard
	// Audit is the store the Guard audits to; the export's events go
	// there too, so that there is one trail.
	Audit AuditLog
	// Consent decides and logs disclosures (R6, O14, O6, O9, N5, N10)
	// and answers rule O10's question for the employer.
	Consent *consent.Registry
	// Rights writes the subject's export (R11, O13, G1, G5).
	Rights *rights.Desk
	// Subjects is the service's own index of subjects, from which
	// GET /cases draws the cases it lists: the library keeps no listing
	// of all cases; the caller chooses the candidates and the Guard
	// filters them.
	Subjects []privacy.SubjectID
	// Now is the clock. The library never reads one: the service passes
	// the time of each request in.
	Now func() time.Time
	// Logger gets unexpected errors, with IDs only; nil discards.
	Logger *slog.Logger
}

// Client is the name the handler gives the library for the audit trail's
// "which application" (rule N9).
const Client = "dossierwacht-httpservice"

// maxBody is the largest request body accepted (POST /disclosures).
const maxBody = 64 << 10

// server holds the handler's state; it is immutable once built.
type server struct {
	d          Deps
	engine     *access.Engine
	policy     *privacy.Policy
	exportRule privacy.RuleID // the policy's rule for a subject's own export
	log        *slog.Logger
}

// NewHandler returns the HTTP API over the library:
//
//	GET  /cases                  the caller's cases (those it may know of)
//	GET  /cases/{id}             the case as the caller may see it
//	POST /disclosures            a disclosure, decided and logged
//	GET  /subjects/{id}/export   the subject's export (format, lang)
//	GET  /privacy                the privacy statement (lang)
//
// Every endpoint but /privacy needs a principal (R12). Errors are JSON
// bodies {"error": "…", "rule": "…"} with a 4xx status; a 500 says only
// "internal error".
func NewHandler(d Deps) (http.Handler, error) {
	const op = "httpservice: new handler"
	switch {
	case d.Auth == nil, d.Dossiers == nil, d.Guard == nil, d.Audit == nil, d.Consent == nil, d.Rights == nil, d.Now == nil:
		return nil, &privacy.Error{Op: op, Kind: privacy.ErrInvalid, Msg: "missing dependency"}
	}
	for i, id := range d.Subjects {
		if !privacy.ValidID(string(id)) {
			return nil, &privacy.Error{Op: op, Kind: privacy.ErrInvalid, Path: fmt.Sprintf("subjects[%d]", i), Msg: "malformed subject ID"}
		}
	}
	s := &server{d: d, engine: d.Guard.Engine(), policy: d.Dossiers.Policy(), log: d.Logger}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	s.exportRule = ownExportRule(s.policy)

	mux := http.NewServeMux()
	routes := []struct {
		method, path string
		h            http.HandlerFunc
	}{
		{"GET", "/privacy", s.privacyStatement},
		{"GET", "/cases", s.authed(s.listCases)},
		{"GET", "/cases/{id}", s.authed(s.viewCase)},
		{"POST", "/disclosures", s.authed(s.disclose)},
		{"GET", "/subjects/{id}/export", s.authed(s.export)},
	}
	for _, rt := range routes {
		mux.HandleFunc(rt.method+" "+rt.path, rt.h)
		allow := rt.method
		if rt.method == http.MethodGet {
			allow = "GET, HEAD"
		}
		// Any other method on the path: 405 with a JSON body (the mux's
		// own 405 is plain text).
		mux.HandleFunc(rt.path, func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Allow", allow)
			fail(w, http.StatusMethodNotAllowed, "method not allowed", "")
		})
	}
	mux.HandleFunc("/", func(w http.ResponseWriter, _ *http.Request) { notFound(w) })
	return s.recover(secure(mux)), nil
}

// ownExportRule is the rule under which the policy lets a subject export
// their own data (R11 or O13), or R11 if it names none.
func ownExportRule(p *privacy.Policy) privacy.RuleID {
	for _, a := range p.Access {
		if a.Effect != privacy.Allow {
			continue
		}
		var subject, export, own bool
		for _, r := range a.Roles {
			subject = subject || r == privacy.RoleSubject
		}
		for _, x := range a.Actions {
			export = export || x == privacy.ActionExport
		}
		for _, c := range a.Requires {
			own = own || c == privacy.CondOwnData
		}
		if subject && export && own {
			return a.Rule
		}
	}
	return privacy.R11
}

// authed runs h with the calling principal, or answers 401: every decision
// starts from an authenticated principal (rule R12).
func (s *server) authed(h func(http.ResponseWriter, *http.Request, *access.Principal)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		p, err := s.d.Auth.Authenticate(r)
		if err != nil || p == nil {
			w.Header().Set("WWW-Authenticate", `DemoPrincipal realm="dossierwacht"`)
			fail(w, http.StatusUnauthorized, "unknown principal", privacy.R12)
			return
		}
		// Where the request comes from, for the audit trail (N9): the
		// peer's address, never anything the client claims about itself.
		if host, _, err := net.SplitHostPort(r.RemoteAddr); err == nil {
			p.AccessPoint = host
		}
		p.Client = Client
		h(w, r, p)
	}
}

// secure sets the headers every response carries.
func secure(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'")
		next.ServeHTTP(w, r)
	})
}

// recover turns a panic into a logged 500 with a generic body, so that no
// stack trace reaches a client. The handlers are written not to panic;
// this is the last guard. http.ErrAbortHandler passes through.
func (s *server) recover(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				s.log.ErrorContext(r.Context(), "httpservice: panic", slog.String("path", r.URL.Path), slog.Any("panic", v))
				fail(w, http.StatusInternalServerError, msgInternal, "")
			}
		}()
		next.ServeHTTP(w, r)
	})
}

// now is the time of a request, as the store keeps times.
func (s *server) now() time.Time { return privacy.Timestamp(s.d.Now()) }
