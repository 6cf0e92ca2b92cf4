package sqlitestore_test

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"testing"

	"github.com/dossierwacht/dossierwacht/examples/sqlitestore"
	"github.com/dossierwacht/dossierwacht/seal"
	"github.com/dossierwacht/dossierwacht/seal/sealtest"
)

// TestSealed runs the kit of sealed stores over the SQLite store: every
// package's kit through seal.Wrap, and the sealing's own cases.
func TestSealed(t *testing.T) {
	sealtest.Run(t, func(t *testing.T) seal.Backend { return open(t) })
}

// TestSealedBackup is the proof of issue 17 on SQLite: a copy of the file
// (and of its write-ahead log) taken before an erasure, restored beside
// the live key store, opens nothing of the erased subject.
func TestSealedBackup(t *testing.T) {
	dir := t.TempDir()
	live := filepath.Join(dir, "live.db")
	sealtest.RunBackup(t, sealtest.Copier{
		New: func(t *testing.T) seal.Backend { return openAt(t, live) },
		Backup: func(t *testing.T, _ seal.Backend) ([]byte, func(t *testing.T) seal.Backend) {
			// A file copy of the database at rest, as a file backup
			// takes it: the main file and the log SQLite replays.
			backup := filepath.Join(dir, "backup.db")
			var raw []byte
			for _, ext := range []string{"", "-wal"} {
				b, err := os.ReadFile(live + ext)
				if errors.Is(err, fs.ErrNotExist) {
					continue
				}
				if err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(backup+ext, b, 0o600); err != nil {
					t.Fatal(err)
				}
				raw = append(raw, b...)
			}
			return raw, func(t *testing.T) seal.Backend { return openAt(t, backup) }
		},
	})
}

func openAt(t *testing.T, path string) *sqlitestore.Store {
	t.Helper()
	s, err := sqlitestore.Open(context.Background(), path, nil)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() {
		if err := s.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	return s
}
