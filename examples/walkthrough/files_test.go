package main

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
)

var exportFiles = []string{"export.json", "export.nl.html", "export.en.html"}

// TestExportFilesOwnerOnly: the export folder the walkthrough makes is its
// owner's only (0700), and so are the files in it (0600), also where an
// earlier run left them readable by every local user.
func TestExportFilesOwnerOnly(t *testing.T) {
	ctx := context.Background()
	t.Run("new_folder", func(t *testing.T) {
		out := filepath.Join(t.TempDir(), "walkthrough-output")
		require.NoError(t, run(ctx, io.Discard, out))
		info, err := os.Stat(out)
		require.NoError(t, err)
		if perm := info.Mode().Perm(); perm&0o077 != 0 {
			t.Errorf("the export folder has mode %v, want 0700", perm)
		}
		wantOwnerOnly(t, out)
	})
	t.Run("files_of_an_earlier_run", func(t *testing.T) {
		out := t.TempDir()
		for _, name := range exportFiles {
			path := filepath.Join(out, name)
			require.NoError(t, os.WriteFile(path, []byte("old"), 0o644))
			require.NoError(t, os.Chmod(path, 0o644)) // whatever the umask
		}
		require.NoError(t, run(ctx, io.Discard, out))
		wantOwnerOnly(t, out)
	})
}

func wantOwnerOnly(t *testing.T, dir string) {
	t.Helper()
	for _, name := range exportFiles {
		info, err := os.Stat(filepath.Join(dir, name))
		require.NoError(t, err)
		if perm := info.Mode().Perm(); perm != 0o600 {
			t.Errorf("%s has mode %v, want 0600", name, perm)
		}
	}
}
