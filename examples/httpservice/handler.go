package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/dossierwacht/dossierwacht"
	"github.com/dossierwacht/dossierwacht/privacy"
)

// Authenticator says who is calling. The library never authenticates (rule
// R12): the service does, and hands the library the actor it vouches for.
// [DemoAuth] is a STAND-IN; replace it with your own.
type Authenticator interface {
	// Authenticate returns the calling actor, a new value the handler may
	// change (it sets AccessPoint and Client), or an error if the request
	// names nobody the service knows.
	Authenticate(r *http.Request) (*dossierwacht.Actor, error)
}

// Deps are what the handler serves from.
type Deps struct {
	// Service is the library's front door: every endpoint is one of its
	// verbs, taken by the authenticated actor, decided, audited and timed
	// by it. Required.
	Service *dossierwacht.Service
	// Auth says who is calling (R12). STAND-IN in this example: DemoAuth.
	// Required.
	Auth Authenticator
	// Subjects is the service's own index of subjects, from which
	// GET /cases draws the cases it lists: the library keeps no listing
	// of all cases; the service chooses the candidates and the front door
	// filters them.
	Subjects []privacy.SubjectID
	// Logger gets the request log (method, route, status, duration, the
	// caller's role: never an ID, a name or a body) and unexpected
	// errors, by kind only; nil discards.
	Logger *slog.Logger
	// Timeout is the deadline of every request; when it passes, the
	// store call in flight is cancelled and the answer is a 504 problem
	// (an export already streaming ends with its trailer saying it is
	// incomplete). Choose it to fit the largest export. Zero means
	// [DefaultTimeout].
	Timeout time.Duration
}

// DefaultTimeout is the deadline of a request when [Deps].Timeout is zero.
const DefaultTimeout = 10 * time.Second

// Client is the name the handler gives the library for the audit trail's
// "which application" (rule N9).
const Client = "dossierwacht-httpservice"

// maxBody is the largest request body accepted (POST /disclosures).
const maxBody = 64 << 10

// server holds the handler's state; it is immutable once built.
type server struct {
	svc      *dossierwacht.Service
	auth     Authenticator
	subjects []privacy.SubjectID
	policy   string // the version of the policy the service enforces
	log      *slog.Logger
	timeout  time.Duration
}

// route is one endpoint: a method and a path pattern of net/http's
// ServeMux, and its handler.
type route struct {
	method, path string
	h            http.HandlerFunc
}

// routes are the service's endpoints. The OpenAPI description
// (openapi.json) describes exactly these; TestOpenAPIMatchesRoutes keeps
// the two in step.
func (s *server) routes() []route {
	return []route{
		{"GET", "/healthz", s.health},
		{"GET", "/openapi.json", s.openAPI},
		{"GET", "/schemas/export.json", s.exportSchema},
		{"GET", "/privacy", s.privacyStatement},
		{"GET", "/cases", s.authed(s.listCases)},
		{"GET", "/cases/{id}", s.authed(s.viewCase)},
		{"POST", "/disclosures", s.authed(s.disclose)},
		{"GET", "/subjects/{id}/export", s.authed(s.export)},
	}
}

// NewHandler returns the HTTP API over the library's front door:
//
//	GET  /healthz                the service is up and its store reachable
//	GET  /openapi.json           the OpenAPI 3.1 description of this API
//	GET  /schemas/export.json    the JSON Schema of the export (G5)
//	GET  /privacy                the privacy statement (lang)
//	GET  /cases                  the caller's cases (those it may know of)
//	GET  /cases/{id}             the case as the caller may see it (purpose)
//	POST /disclosures            a disclosure, decided and logged
//	GET  /subjects/{id}/export   the subject's export (format, lang)
//
// Every endpoint under /cases, /disclosures and /subjects needs a
// principal (R12). Errors are RFC 9457 problem details
// (application/problem+json) with a 4xx status, naming the rule that
// decided; a 404 is the same for a missing object and a hidden one, and
// names no rule; a 500 says only "internal error".
func NewHandler(d Deps) (http.Handler, error) {
	s, err := newServer(d)
	if err != nil {
		return nil, err
	}
	return s.handler(s.mux()), nil
}

func newServer(d Deps) (*server, error) {
	const op = "httpservice: new handler"
	if d.Service == nil || d.Auth == nil {
		return nil, &privacy.Error{Op: op, Kind: privacy.ErrInvalid, Msg: "missing dependency"}
	}
	for i, id := range d.Subjects {
		if !privacy.ValidID(string(id)) {
			return nil, &privacy.Error{Op: op, Kind: privacy.ErrInvalid, Path: fmt.Sprintf("subjects[%d]", i), Msg: "malformed subject ID"}
		}
	}
	if d.Timeout < 0 {
		return nil, &privacy.Error{Op: op, Kind: privacy.ErrInvalid, Path: "timeout", Msg: "negative"}
	}
	s := &server{svc: d.Service, auth: d.Auth, subjects: d.Subjects, policy: d.Service.Policy().Version,
		log: d.Logger, timeout: d.Timeout}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	if s.timeout == 0 {
		s.timeout = DefaultTimeout
	}
	return s, nil
}

// mux routes the endpoints. Any other method on a known path is a 405
// problem with Allow; any other path a 404 problem.
func (s *server) mux() *http.ServeMux {
	mux := http.NewServeMux()
	for _, rt := range s.routes() {
		mux.HandleFunc(rt.method+" "+rt.path, routed(rt.h))
		allow := rt.method
		if rt.method == http.MethodGet {
			allow = "GET, HEAD"
		}
		// The mux's own 405 is plain text: answer a problem instead.
		mux.HandleFunc(rt.path, routed(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Allow", allow)
			s.problem(w, r, problem{Type: "about:blank", Status: http.StatusMethodNotAllowed})
		}))
	}
	mux.HandleFunc("/", routed(func(w http.ResponseWriter, r *http.Request) { s.notFound(w, r) }))
	return mux
}

// handler wraps the mux: the request log outermost, then the last guard
// against panics, the security headers and the deadline.
func (s *server) handler(mux http.Handler) http.Handler {
	return s.logRequests(s.recover(secure(s.deadline(mux))))
}

// authed runs h with the calling actor, or answers 401: every decision
// starts from an authenticated principal (rule R12).
func (s *server) authed(h func(http.ResponseWriter, *http.Request, *dossierwacht.Actor)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		a, err := s.auth.Authenticate(r)
		if err != nil || a == nil {
			w.Header().Set("WWW-Authenticate", `DemoPrincipal realm="dossierwacht"`)
			s.problem(w, r, problem{Type: typeUnauthenticated, Status: http.StatusUnauthorized,
				Detail: "the request names no principal the service knows", Rule: privacy.R12})
			return
		}
		// Where the request comes from, for the audit trail (N9): the
		// peer's address, never anything the client claims about itself.
		if host, _, err := net.SplitHostPort(r.RemoteAddr); err == nil && privacy.ValidID(host) {
			a.AccessPoint = host
		}
		a.Client = Client
		if info := infoOf(r); info != nil {
			info.role = a.Role
		}
		h(w, r, a)
	}
}

// errTimeout is the cause of a request's context when its deadline
// passed, as against the client going away.
var errTimeout = errors.New("httpservice: request deadline passed")

// deadline gives every request its deadline (Deps.Timeout): the store
// calls under it are cancelled when it passes, and the answer is a 504
// problem.
func (s *server) deadline(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeoutCause(r.Context(), s.timeout, errTimeout)
		defer cancel()
		next.ServeHTTP(w, r.WithContext(ctx))
	})
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

// recover turns a panic into a logged 500 problem, so that no stack trace
// reaches a client. The handlers are written not to panic; this is the
// last guard. http.ErrAbortHandler passes through.
func (s *server) recover(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				// The panic value may hold anything: log its type only.
				s.log.ErrorContext(r.Context(), "httpservice: panic", slog.String("panic", fmt.Sprintf("%T", v)))
				s.problem(w, r, problem{Type: "about:blank", Status: http.StatusInternalServerError})
			}
		}()
		next.ServeHTTP(w, r)
	})
}
