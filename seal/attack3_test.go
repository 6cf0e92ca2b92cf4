package seal_test

import (
	"context"
	"testing"

	"github.com/dossierwacht/dossierwacht/access"
	"github.com/dossierwacht/dossierwacht/memstore"
	"github.com/dossierwacht/dossierwacht/privacy"
	"github.com/dossierwacht/dossierwacht/seal"
	"github.com/dossierwacht/dossierwacht/seal/sealtest"
	"github.com/google/go-cmp/cmp"
)

// headless is a Backend that reads no heads of its chains.
type headless struct{ seal.Backend }

// TestG7AuditHeadsPassThrough: a sealed store gives the Backend's chain
// heads (rule G7), so that a sealed service saves checkpoints; a Backend
// without them gives none, as it does unsealed.
func TestG7AuditHeadsPassThrough(t *testing.T) {
	ctx := context.Background()
	mem := memstore.NewKeyed([]byte("0123456789abcdef0123456789abcdef"))
	s := sealtest.Wrap(t, mem, seal.NewMemKeys())
	if err := s.CreateSubject(ctx, privacy.Subject{ID: "s-1"}, sealtest.Events(1, "s-1", privacy.EventCreate)); err != nil {
		t.Fatal(err)
	}
	want, err := mem.AuditHeads(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var hs access.HeadsStore = s
	got, err := hs.AuditHeads(ctx)
	if err != nil || len(got) == 0 || !cmp.Equal(got, want) {
		t.Errorf("AuditHeads = %v, %v; want the Backend's %v", got, err, want)
	}
	h := sealtest.Wrap(t, headless{mem}, seal.NewMemKeys())
	if got, err := h.AuditHeads(ctx); err != nil || len(got) != 0 {
		t.Errorf("AuditHeads of a headless Backend = %v, %v; want none", got, err)
	}
}
