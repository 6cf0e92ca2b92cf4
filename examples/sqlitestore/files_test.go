package sqlitestore_test

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/dossierwacht/dossierwacht/examples/internal/adaptertest"
	"github.com/dossierwacht/dossierwacht/examples/sqlitestore"
	"github.com/dossierwacht/dossierwacht/privacy"
	"github.com/stretchr/testify/require"
)

// TestFiles: the file Open creates holds the medical file and the audit
// trail, so it and the WAL and shared-memory files SQLite makes beside it
// are readable and writable by their owner only (rules O6, R12: no other
// local user reads them). A file that exists keeps its mode.
func TestFiles(t *testing.T) {
	t.Run("O6_R12_new_file_and_its_WAL_owner_only", testFilesOwnerOnly)
	t.Run("existing_file_keeps_its_mode", testFileKeepsMode)
}

func testFilesOwnerOnly(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "dossiers.db")
	s, err := sqlitestore.Open(ctx, path, nil)
	require.NoError(t, err)
	defer s.Close()
	require.NoError(t, s.CreateSubject(ctx, privacy.Subject{ID: "s-1", Created: time.Unix(1, 0)}, []privacy.Event{adaptertest.Event(1, "s-1")}))
	_, err = s.AppendEvents(ctx, adaptertest.Event(2, "s-1"))
	require.NoError(t, err)
	for _, name := range []string{path, path + "-wal", path + "-shm"} {
		info, err := os.Stat(name)
		require.NoError(t, err, "the store's files after a write")
		if perm := info.Mode().Perm(); perm&0o077 != 0 || perm&0o600 != 0o600 {
			t.Errorf("O6, R12: %s has mode %v, want rw for its owner only (0600)", filepath.Base(name), perm)
		}
	}
}

func testFileKeepsMode(t *testing.T) {
	ctx := context.Background()
	shared := filepath.Join(t.TempDir(), "shared.db")
	require.NoError(t, os.WriteFile(shared, nil, 0o640))
	require.NoError(t, os.Chmod(shared, 0o640))
	s2, err := sqlitestore.Open(ctx, shared, nil)
	require.NoError(t, err)
	require.NoError(t, s2.Close())
	info, err := os.Stat(shared)
	require.NoError(t, err)
	require.Equal(t, fs.FileMode(0o640), info.Mode().Perm(), "Open changed the mode of an existing file")
}
