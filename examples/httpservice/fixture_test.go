package main

import (
	"context"
	"encoding/json"
	"io"
	"iter"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/dossierwacht/dossierwacht/examples/sqlitestore"
	"github.com/dossierwacht/dossierwacht/memstore"
	"github.com/dossierwacht/dossierwacht/privacy"
)

// seeded is when the demo world is seeded in tests; requests come a day
// later.
var (
	seeded = time.Date(2026, time.March, 2, 9, 0, 0, 0, time.UTC)
	later  = seeded.Add(24 * time.Hour)
)

// fixture is a handler over the seeded demo world.
type fixture struct {
	h    http.Handler
	deps Deps
	mem  backend
}

// backends are the ways the tests store the world: everything in memory,
// or the case file in SQLite as main.go does.
var backends = []struct {
	name string
	new  func(t testing.TB) *fixture
}{
	{"memstore", newMemFixture},
	{"sqlite", newSQLiteFixture},
}

func newMemFixture(t testing.TB) *fixture {
	t.Helper()
	mem := memstore.New()
	return newFixture(t, Stores{Dossiers: mem, Access: mem, Consent: mem, Rights: mem, Retention: mem}, mem)
}

func newSQLiteFixture(t testing.TB) *fixture {
	t.Helper()
	db, err := sqlitestore.Open(context.Background(), filepath.Join(t.TempDir(), "dossiers.db"), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return newFixture(t, sqliteStores(db), db)
}

// backend is what the tests reach behind the handler: the store that keeps
// the audit trail, and its fault injection.
type backend interface {
	FailAfter(n int)
	Events(ctx context.Context, from uint64) iter.Seq2[privacy.Event, error]
	SubjectEvents(ctx context.Context, subject privacy.SubjectID, from uint64) iter.Seq2[privacy.Event, error]
}

func newFixture(t testing.TB, st Stores, mem backend) *fixture {
	t.Helper()
	auth, err := NewDemoAuth(demoPrincipals()...)
	if err != nil {
		t.Fatal(err)
	}
	deps, err := buildDeps(st, privacy.Strict(), auth, func() time.Time { return later })
	if err != nil {
		t.Fatal(err)
	}
	if err := seedWorld(context.Background(), deps, seeded); err != nil {
		t.Fatal(err)
	}
	h, err := NewHandler(deps)
	if err != nil {
		t.Fatal(err)
	}
	return &fixture{h: h, deps: deps, mem: mem}
}

// do sends a request as principal ("" sends none) and returns the
// response.
func (f *fixture) do(t testing.TB, method, path, principal, body string) *http.Response {
	t.Helper()
	var r io.Reader
	if body != "" {
		r = strings.NewReader(body)
	}
	req := httptest.NewRequest(method, path, r)
	if principal != "" {
		req.Header.Set(DemoHeader, principal)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	w := httptest.NewRecorder()
	f.h.ServeHTTP(w, req)
	return w.Result()
}

// decode reads a JSON body into v, failing the test if it is not JSON.
func decode(t testing.TB, resp *http.Response, v any) {
	t.Helper()
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Fatalf("Content-Type = %q, want application/json", ct)
	}
	dec := json.NewDecoder(resp.Body)
	if err := dec.Decode(v); err != nil {
		t.Fatalf("decode body: %v", err)
	}
}

// errorOf reads an error body and checks its shape.
func errorOf(t testing.TB, resp *http.Response) errorBody {
	t.Helper()
	var b errorBody
	decode(t, resp, &b)
	if b.Error == "" {
		t.Fatalf("error body without \"error\"")
	}
	return b
}

func discardLogger() *slog.Logger { return slog.New(slog.DiscardHandler) }
