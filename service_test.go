package dossierwacht_test

import (
	"context"
	"errors"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/dossierwacht/dossierwacht"
	"github.com/dossierwacht/dossierwacht/memstore"
	"github.com/dossierwacht/dossierwacht/privacy"
)

// pingStore is a store that can say whether it is reachable.
type pingStore struct {
	*memstore.Store
	down *atomic.Bool
}

func (p pingStore) Ping(ctx context.Context) error {
	if p.down.Load() {
		return errors.New("connection refused")
	}
	return nil
}

// TestPing: a health check asks a store that can say whether it is
// reachable, and writes nothing to the audit trail.
func TestPing(t *testing.T) {
	ctx := context.Background()
	down := new(atomic.Bool)
	st := pingStore{memstore.New(), down}
	svc, err := dossierwacht.Open(ctx, st, privacy.Strict(), nil)
	must(t, err)
	must(t, svc.Ping(ctx))
	down.Store(true)
	if err := svc.Ping(ctx); !errors.Is(err, privacy.ErrUnavailable) {
		t.Errorf("Ping of an unreachable store = %v, want ErrUnavailable", err)
	}
	if _, err := dossierwacht.Open(ctx, st, privacy.Strict(), nil); !errors.Is(err, privacy.ErrUnavailable) {
		t.Errorf("Open on an unreachable store = %v, want ErrUnavailable", err)
	}
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	down.Store(false)
	if err := svc.Ping(cancelled); !errors.Is(err, context.Canceled) {
		t.Errorf("Ping with a cancelled context = %v", err)
	}
	plain, err := dossierwacht.Open(ctx, memstore.New(), privacy.Strict(), nil)
	must(t, err)
	must(t, plain.Ping(ctx))
	n := 0
	for _, err := range st.Events(ctx, 0) {
		must(t, err)
		n++
	}
	if n != 0 {
		t.Errorf("Ping wrote %d audit events", n)
	}
}

// TestNewID: IDs from NewID are well formed, keep their prefix and do not
// repeat (rule O10: an ID no one can guess cannot be probed).
func TestNewID(t *testing.T) {
	seen := map[string]bool{}
	for range 1000 {
		id := dossierwacht.NewID("case")
		if !privacy.ValidID(id) || !strings.HasPrefix(id, "case-") || len(id) != len("case-")+32 {
			t.Fatalf("NewID(case) = %q", id)
		}
		if seen[id] {
			t.Fatalf("NewID repeated %q", id)
		}
		seen[id] = true
	}
	if id := dossierwacht.NewID(""); !privacy.ValidID(id) || len(id) != 32 {
		t.Errorf("NewID() = %q", id)
	}
}
