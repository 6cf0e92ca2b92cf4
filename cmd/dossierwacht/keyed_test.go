package main

import (
	"context"
	"database/sql"
	"net/url"
	"os"
	"path/filepath"
	"testing"

	"github.com/dossierwacht/dossierwacht/examples/sqlitestore"
)

// TestVerifyKeyedCheckpoints: verify with the key the trail's links are
// computed under and a checkpoint file kept outside the store (rule G7):
// intact it passes and updates the file; without the key every link fails;
// a chain's last event deleted — which the chain alone cannot show — fails
// against the file.
func TestVerifyKeyedCheckpoints(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "dossiers.db")
	keyFile := filepath.Join(dir, "audit.key")
	cps := filepath.Join(dir, "checkpoints.json")
	key := []byte("the service's audit key, not in the file")
	if err := os.WriteFile(keyFile, key, 0o600); err != nil {
		t.Fatal(err)
	}
	store, err := sqlitestore.Open(context.Background(), path, &sqlitestore.Options{AuditKey: key})
	if err != nil {
		t.Fatal(err)
	}
	fill(t, store)
	if err := store.Close(); err != nil {
		t.Fatal(err)
	}
	verify := func(extra ...string) result {
		return runCLI(t, append([]string{"verify", "-as", "officer-olga", "-sqlite", path}, extra...)...)
	}
	verify("-audit-key", keyFile, "-checkpoints", cps).want(t, exitOK, []string{"audit trail intact: "}, nil)
	if b, err := os.ReadFile(cps); err != nil || len(b) == 0 {
		t.Fatalf("the checkpoint file: %v", err)
	}
	verify().want(t, exitFailed, nil, []string{"the audit trail was changed", "altered"})
	verify("-audit-key", filepath.Join(dir, "missing.key")).want(t, exitUsage, nil, []string{"-audit-key"})
	// Someone deletes the last event of a subject's chain.
	db, err := sql.Open("sqlite", (&url.URL{Scheme: "file", Path: filepath.ToSlash(path)}).String())
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec(`DROP TRIGGER audit_chain_no_delete`); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`DELETE FROM audit_events WHERE subject = 'employee-anna' AND seq = (SELECT max(seq) FROM audit_events WHERE subject = 'employee-anna')`); err != nil {
		t.Fatal(err)
	}
	verify("-audit-key", keyFile).want(t, exitOK, nil, nil)
	verify("-audit-key", keyFile, "-checkpoints", cps).want(t, exitFailed, nil, []string{"the audit trail was changed", "truncated"})
}
