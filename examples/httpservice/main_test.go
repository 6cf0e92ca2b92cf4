package main

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"
)

// TestRun starts the command on a free port with its SQLite store, asks
// it for its health and for a case as the employer, and stops it.
func TestRun(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	addrc := make(chan net.Addr, 1)
	errc := make(chan error, 1)
	var out strings.Builder
	var logs syncBuffer
	go func() {
		errc <- run(ctx, config{addr: "127.0.0.1:0", timeout: DefaultTimeout, out: &out,
			log: slog.New(slog.NewTextHandler(&logs, nil)), ready: func(a net.Addr) { addrc <- a }})
	}()
	var addr net.Addr
	select {
	case addr = <-addrc:
	case err := <-errc:
		t.Fatalf("run: %v", err)
	case <-time.After(30 * time.Second):
		t.Fatal("run did not start")
	}
	get := func(path, who string) (int, string) {
		req, _ := http.NewRequestWithContext(ctx, "GET", "http://"+addr.String()+path, nil)
		if who != "" {
			req.Header.Set(DemoHeader, who)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(body)
	}
	if code, body := get("/healthz", ""); code != http.StatusOK || !strings.Contains(body, `"status":"ok"`) {
		t.Errorf("GET /healthz: %d %s", code, body)
	}
	code, body := get("/cases/case-anna-absence?purpose=absence-guidance", "employer-contact-bert")
	if code != http.StatusOK || !strings.Contains(body, "rec-sick-report") || strings.Contains(body, "rec-reason") {
		t.Errorf("GET /cases/case-anna-absence as employer-contact-bert: %d %s", code, body)
	}
	cancel()
	if err := <-errc; err != nil {
		t.Errorf("run: %v", err)
	}
	if !strings.Contains(out.String(), "STAND-IN") {
		t.Errorf("start-up banner does not warn of the stand-in authentication:\n%s", out.String())
	}
	if !strings.Contains(logs.String(), `route="GET /cases/{id}"`) {
		t.Errorf("the request log lacks the view's route:\n%s", logs.String())
	}
	if bytes.Contains([]byte(logs.String()), []byte("case-anna-absence")) {
		t.Errorf("the request log holds a case ID:\n%s", logs.String())
	}
}
