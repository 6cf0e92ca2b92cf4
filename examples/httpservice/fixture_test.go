package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"iter"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/dossierwacht/dossierwacht"
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
	h     http.Handler
	svc   *dossierwacht.Service
	store backend
	logs  *syncBuffer // the request log, as JSON lines
}

// backend is what the tests reach behind the front door: the store, with
// its fault injection and its audit trail.
type backend interface {
	dossierwacht.Store
	FailAfter(n int)
}

// backends are the ways the tests store the world: everything in memory,
// or in SQLite as main.go does.
var backends = []struct {
	name string
	new  func(t testing.TB) *fixture
}{
	{"memstore", newMemFixture},
	{"sqlite", newSQLiteFixture},
}

func newMemFixture(t testing.TB) *fixture {
	t.Helper()
	return newFixture(t, memstore.New(), nil)
}

func newSQLiteFixture(t testing.TB) *fixture {
	t.Helper()
	db, err := sqlitestore.Open(context.Background(), filepath.Join(t.TempDir(), "dossiers.db"), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return newFixture(t, db, nil)
}

// newFixture seeds the demo world in st and builds the handler over it;
// deps, if set, adjusts the handler's dependencies.
func newFixture(t testing.TB, st backend, deps func(*Deps)) *fixture {
	t.Helper()
	ctx := context.Background()
	var mu sync.Mutex
	now := seeded
	svc, err := dossierwacht.Open(ctx, st, privacy.Strict(), &dossierwacht.Options{Clock: func() time.Time {
		mu.Lock()
		defer mu.Unlock()
		return now
	}})
	if err != nil {
		t.Fatal(err)
	}
	principals := demoPrincipals()
	auth, err := NewDemoAuth(principals...)
	if err != nil {
		t.Fatal(err)
	}
	if err := seedWorld(ctx, svc, principals, seeded); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	now = later
	mu.Unlock()
	f := &fixture{svc: svc, store: st, logs: &syncBuffer{}}
	d := Deps{Service: svc, Auth: auth, Subjects: demoSubjects(),
		Logger: slog.New(slog.NewJSONHandler(f.logs, &slog.HandlerOptions{Level: slog.LevelDebug}))}
	if deps != nil {
		deps(&d)
	}
	if f.h, err = NewHandler(d); err != nil {
		t.Fatal(err)
	}
	return f
}

// syncBuffer is a buffer the handler's goroutines may log to at once.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
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

// events returns the audit trail.
func (f *fixture) events(t testing.TB) []privacy.Event {
	t.Helper()
	return collect(t, f.store.Events(t.Context(), 0))
}

func collect[T any](t testing.TB, seq iter.Seq2[T, error]) []T {
	t.Helper()
	var out []T
	for v, err := range seq {
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, v)
	}
	return out
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

// problemOf reads a problem body and checks its shape (RFC 9457): the
// media type, type, title, and a status equal to the response's.
func problemOf(t testing.TB, resp *http.Response) problem {
	t.Helper()
	if ct := resp.Header.Get("Content-Type"); ct != problemType {
		t.Fatalf("Content-Type = %q, want %s", ct, problemType)
	}
	var p problem
	if err := json.NewDecoder(resp.Body).Decode(&p); err != nil {
		t.Fatalf("decode problem: %v", err)
	}
	if p.Type == "" || p.Title == "" || p.Status != resp.StatusCode {
		t.Fatalf("problem %+v: want type, title and status %d", p, resp.StatusCode)
	}
	return p
}

// purposeOf is the purpose under which the tests view a case: the case's
// own, as the listing gives it.
var purposeOf = map[privacy.CaseID]privacy.Purpose{
	annaCase: privacy.PurposeAbsenceGuidance, bramCase: privacy.PurposePrevention, chrisCase: privacy.PurposePrevention,
	danaCase: privacy.PurposePrevention, evaCase: privacy.PurposeReintegration,
}

// casePath is the path of a case's view under its own purpose.
func casePath(id privacy.CaseID) string {
	p := purposeOf[id]
	if p == "" {
		p = privacy.PurposeAbsenceGuidance
	}
	return "/cases/" + string(id) + "?purpose=" + string(p)
}

func discardLogger() *slog.Logger { return slog.New(slog.DiscardHandler) }

// logger is a logger writing to the fixture's log buffer.
func (f *fixture) logger() *slog.Logger {
	return slog.New(slog.NewJSONHandler(f.logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
}
