package main

import (
	"context"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"
)

// TestRun starts the command on a free port with its SQLite store, asks
// it for a case as the employer and stops it.
func TestRun(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	addrc := make(chan net.Addr, 1)
	errc := make(chan error, 1)
	var out strings.Builder
	go func() { errc <- run(ctx, "127.0.0.1:0", &out, func(a net.Addr) { addrc <- a }) }()
	var addr net.Addr
	select {
	case addr = <-addrc:
	case err := <-errc:
		t.Fatalf("run: %v", err)
	case <-time.After(30 * time.Second):
		t.Fatal("run did not start")
	}
	req, _ := http.NewRequestWithContext(ctx, "GET", "http://"+addr.String()+"/cases/case-anna-absence", nil)
	req.Header.Set(DemoHeader, "hr-bert")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), "rec-anna-sick-report") || strings.Contains(string(body), "rec-anna-reason") {
		t.Errorf("GET /cases/case-anna-absence as hr-bert: %d %s", resp.StatusCode, body)
	}
	cancel()
	if err := <-errc; err != nil {
		t.Errorf("run: %v", err)
	}
	if !strings.Contains(out.String(), "STAND-IN") {
		t.Errorf("start-up banner does not warn of the stand-in authentication:\n%s", out.String())
	}
}
