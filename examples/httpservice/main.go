// Command httpservice is a small HTTP API over Dossierwacht's front door,
// with the standard library's net/http and nothing else: each caller sees
// only what its role may see of a case, disclosures are decided and
// logged, a subject downloads their export, and the privacy statement is a
// page. Every endpoint is one verb of dossierwacht.Service, taken by the
// authenticated caller.
//
//	go run ./examples/httpservice   # serves on 127.0.0.1:8080
//	curl localhost:8080/healthz
//	curl -H 'X-Demo-Principal: employer-contact-bert' \
//	  'localhost:8080/cases/case-anna-absence?purpose=absence-guidance'
//	curl -H 'X-Demo-Principal: physician-dirk' --json '{"id":"d-1",
//	  "recipient":{"party":"employer-bakery","kind":"employer"},"subject":"employee-anna",
//	  "case":"case-anna-absence","items":[{"category":"work-capacity","fields":["limitations"]}],
//	  "purpose":"absence-guidance"}' localhost:8080/disclosures
//
// POST bodies are JSON (Content-Type application/json, at most 64 KiB,
// unknown fields refused); who discloses is the caller, and when is the
// server's clock, never the body.
//
// Endpoints (openapi.json describes them, served at GET /openapi.json):
//
//	GET  /healthz                        the service is up and its store reachable
//	GET  /openapi.json                   the OpenAPI 3.1 description of this API
//	GET  /schemas/export.json            the JSON Schema of the export (G5)
//	GET  /privacy?lang=nl|en             the privacy statement (R1)
//	GET  /cases?purpose=                 the caller's cases (those it may know of; O10)
//	GET  /cases/{id}?purpose=            the case as the caller may see it (R5, R7, O4, O6, O9, O11, N6)
//	POST /disclosures                    a disclosure, decided and logged (R6, O14, O6, O9, N5, N10)
//	GET  /subjects/{id}/export?format=json|html&lang=nl|en
//	                                     the subject's export (R11, O13, G1, G5, N9)
//
// Errors are RFC 9457 problem details (application/problem+json) naming
// the rule that decided. Every request has a deadline (-timeout); the log
// on standard error has one line per request, without personal data.
//
// Who is calling comes from the header X-Demo-Principal, looked up in a
// fixed table of demo principals (demoauth.go). That is a STAND-IN: replace
// it with your own authentication; the library never authenticates (rule
// R12).
//
// Everything is kept in SQLite (examples/sqlitestore) — the case file,
// the medical file, the audit trail, the consent register, the subjects'
// requests and the retention facts — in a temporary directory removed on
// exit.
package main

import (
	"context"
	"crypto/rand"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/dossierwacht/dossierwacht"
	"github.com/dossierwacht/dossierwacht/access"
	"github.com/dossierwacht/dossierwacht/examples/sqlitestore"
	"github.com/dossierwacht/dossierwacht/privacy"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:8080", "address to listen on")
	timeout := flag.Duration("timeout", DefaultTimeout, "deadline of each request")
	flag.Parse()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	logger := slog.New(slog.NewTextHandler(os.Stderr, nil))
	if err := run(ctx, config{addr: *addr, timeout: *timeout, out: os.Stdout, log: logger}); err != nil {
		log.Fatal(err)
	}
}

// config is how run serves.
type config struct {
	addr    string
	timeout time.Duration
	out     io.Writer    // the start-up banner
	log     *slog.Logger // the request log
	// ready, if set, gets the address it listens on.
	ready func(net.Addr)
}

// clock is the service's clock: the system clock moved by an offset, so
// that the demo world can be seeded as it stood two weeks ago.
type clock struct {
	base   func() time.Time
	offset atomic.Int64 // nanoseconds
}

func (c *clock) now() time.Time { return c.base().Add(time.Duration(c.offset.Load())) }

// run serves until ctx ends.
func run(ctx context.Context, cfg config) (err error) {
	dir, err := os.MkdirTemp("", "dossierwacht-http-")
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, os.RemoveAll(dir)) }()
	// Rule G7: the audit chains' links are computed under a key the file
	// does not hold (here a new one per run; a service keeps it in its
	// secret store), and the chains' heads are kept outside the file (here
	// beside it; a service keeps them where the database's writers cannot
	// write).
	key := make([]byte, 32)
	_, _ = rand.Read(key) // never fails (Go 1.24 and later)
	db, err := sqlitestore.Open(ctx, filepath.Join(dir, "dossiers.db"), &sqlitestore.Options{AuditKey: key})
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, db.Close()) }()

	clk := &clock{base: time.Now}
	svc, err := dossierwacht.Open(ctx, db, privacy.Strict(), &dossierwacht.Options{Clock: clk.now,
		Complaints:  "the service's complaints procedure, see /privacy",
		Checkpoints: access.NewFileCheckpoints(filepath.Join(dir, "checkpoints.json"))})
	if err != nil {
		return err
	}
	principals := demoPrincipals()
	auth, err := NewDemoAuth(principals...)
	if err != nil {
		return err
	}
	// The demo world as it stood two weeks ago.
	clk.offset.Store(int64(-14 * 24 * time.Hour))
	if err := seedWorld(ctx, svc, principals, clk.now()); err != nil {
		return err
	}
	clk.offset.Store(0)
	h, err := NewHandler(Deps{Service: svc, Auth: auth, Subjects: demoSubjects(), Logger: cfg.log, Timeout: cfg.timeout})
	if err != nil {
		return err
	}

	ln, err := net.Listen("tcp", cfg.addr)
	if err != nil {
		return err
	}
	srv := &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       10 * time.Second,
		WriteTimeout:      cfg.timeout + 5*time.Second, // the request's own deadline comes first
		IdleTimeout:       60 * time.Second,
		MaxHeaderBytes:    16 << 10,
	}
	if cfg.log != nil {
		srv.ErrorLog = slog.NewLogLogger(cfg.log.Handler(), slog.LevelWarn)
	}
	policy := svc.Policy()
	fmt.Fprintf(cfg.out, "dossierwacht httpservice on http://%s (policy %s %s)\n", ln.Addr(), policy.Name, policy.Version)
	fmt.Fprintf(cfg.out, "everything kept in SQLite: %s\n", db.Path())
	fmt.Fprintf(cfg.out, "STAND-IN authentication: send %s: <id>, one of %v\n", DemoHeader, auth.IDs())
	fmt.Fprintf(cfg.out, "try: curl -H '%s: %s' 'http://%s/cases/%s?purpose=%s'\n", DemoHeader, bert, ln.Addr(), annaCase, privacy.PurposeAbsenceGuidance)
	if cfg.ready != nil {
		cfg.ready(ln.Addr())
	}

	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	// The chains' heads are saved every half minute and at the end, so
	// that what the service appended is covered soon (rule G7).
	tick := time.NewTicker(30 * time.Second)
	defer tick.Stop()
	defer func() { err = errors.Join(err, svc.Checkpoint(context.WithoutCancel(ctx))) }()
	for running := true; running; {
		select {
		case err := <-errc:
			return err
		case <-tick.C:
			if err := svc.Checkpoint(ctx); err != nil && cfg.log != nil {
				cfg.log.Warn("checkpoint of the audit trail failed", "err", err)
			}
		case <-ctx.Done():
			running = false
		}
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdown); err != nil {
		return err
	}
	if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
