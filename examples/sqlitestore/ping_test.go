package sqlitestore_test

import (
	"context"
	"errors"
	"path/filepath"
	"testing"

	"github.com/dossierwacht/dossierwacht/examples/sqlitestore"
	"github.com/dossierwacht/dossierwacht/privacy"
)

// TestPing: the store answers the front door's health check, and says
// privacy.ErrUnavailable once it cannot be reached.
func TestPing(t *testing.T) {
	ctx := context.Background()
	s, err := sqlitestore.Open(ctx, filepath.Join(t.TempDir(), "dossiers.db"), nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Ping(ctx); err != nil {
		t.Fatalf("Ping: %v", err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if err := s.Ping(ctx); !errors.Is(err, privacy.ErrUnavailable) {
		t.Errorf("Ping of a closed store = %v, want ErrUnavailable", err)
	}
}
