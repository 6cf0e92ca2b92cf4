// Command httpservice is a small HTTP API over Dossierwacht, with the
// standard library's net/http and nothing else: each caller sees only what
// its role may see of a case, disclosures are decided and logged, a subject
// downloads their export, and the privacy statement is a page.
//
//	go run ./examples/httpservice   # serves on 127.0.0.1:8080
//	curl -H 'X-Demo-Principal: hr-bert' localhost:8080/cases/case-anna-absence
//	curl -H 'X-Demo-Principal: physician-dirk' --json '{"id":"d-1",
//	  "recipient":{"party":"employer-bakery","kind":"employer"},"subject":"employee-anna",
//	  "case":"case-anna-absence","items":[{"category":"work-capacity","fields":["limitations"]}],
//	  "purpose":"absence-guidance"}' localhost:8080/disclosures
//
// POST bodies are JSON (Content-Type application/json, at most 64 KiB,
// unknown fields refused); who discloses is the caller, and when is the
// server's clock, never the body.
//
// Endpoints:
//
//	GET  /cases                          the caller's cases (those it may know of; O10)
//	GET  /cases/{id}?purpose=            the case as the caller may see it (R7, O4, O6, O9, O11, N6)
//	POST /disclosures                    a disclosure, decided and logged (R6, O14, O6, O9, N5, N10)
//	GET  /subjects/{id}/export?format=json|html&lang=nl|en
//	                                     the subject's export (R11, O13, G1, G5, N9)
//	GET  /privacy?lang=nl|en             the privacy statement (R1)
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
	"syscall"
	"time"

	"github.com/dossierwacht/dossierwacht/examples/sqlitestore"
	"github.com/dossierwacht/dossierwacht/privacy"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:8080", "address to listen on")
	flag.Parse()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, *addr, os.Stdout, nil); err != nil {
		log.Fatal(err)
	}
}

// run serves on addr until ctx ends. ready, if set, gets the address it
// listens on.
func run(ctx context.Context, addr string, out io.Writer, ready func(net.Addr)) (err error) {
	logger := slog.New(slog.NewTextHandler(os.Stderr, nil))
	dir, err := os.MkdirTemp("", "dossierwacht-http-")
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, os.RemoveAll(dir)) }()
	db, err := sqlitestore.Open(ctx, filepath.Join(dir, "dossiers.db"), nil)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, db.Close()) }()

	stores := sqliteStores(db)
	auth, err := NewDemoAuth(demoPrincipals()...)
	if err != nil {
		return err
	}
	deps, err := buildDeps(stores, privacy.Strict(), auth, time.Now)
	if err != nil {
		return err
	}
	deps.Logger = logger
	// The demo world as it stood two weeks ago.
	if err := seedWorld(ctx, deps, time.Now().AddDate(0, 0, -14)); err != nil {
		return err
	}
	h, err := NewHandler(deps)
	if err != nil {
		return err
	}

	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	srv := &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       10 * time.Second,
		WriteTimeout:      60 * time.Second, // an export streams
		IdleTimeout:       60 * time.Second,
		MaxHeaderBytes:    16 << 10,
		ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
	}
	fmt.Fprintf(out, "dossierwacht httpservice on http://%s (policy %s %s)\n", ln.Addr(), deps.Dossiers.Policy().Name, deps.Dossiers.Policy().Version)
	fmt.Fprintf(out, "everything kept in SQLite: %s\n", db.Path())
	fmt.Fprintf(out, "STAND-IN authentication: send %s: <id>, one of %v\n", DemoHeader, auth.IDs())
	fmt.Fprintf(out, "try: curl -H '%s: hr-bert' http://%s/cases/%s\n", DemoHeader, ln.Addr(), annaSick)
	if ready != nil {
		ready(ln.Addr())
	}

	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
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

// sqliteStores keeps everything in db: the case file with its medical file,
// the audit trail, the consent register, the subjects' requests and the
// retention facts.
func sqliteStores(db *sqlitestore.Store) Stores {
	return Stores{Dossiers: db, Access: db, Consent: db, Rights: db, Retention: db}
}
