package seal_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

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

// TestBadInputNilVault: a nil key store or KEK, typed nil included (the
// nil pointer of a failed seal.OpenFileKeys or seal.LocalKEKFromEnv), is
// refused with ErrInvalid and never panics.
func TestBadInputNilVault(t *testing.T) {
	ctx := context.Background()
	kek := sealtest.KEK(t)
	var noKEK *seal.LocalKEK
	var noFile *seal.FileKeys
	var noMem *seal.MemKeys
	for _, c := range []struct {
		name string
		b    seal.Backend
		v    seal.Vault
	}{
		{"nil backend", nil, seal.Vault{Keys: seal.NewMemKeys(), KEK: kek}},
		{"typed nil backend", (*memstore.Store)(nil), seal.Vault{Keys: seal.NewMemKeys(), KEK: kek}},
		{"nil keys", memstore.New(), seal.Vault{KEK: kek}},
		{"typed nil file keys", memstore.New(), seal.Vault{Keys: noFile, KEK: kek}},
		{"typed nil mem keys", memstore.New(), seal.Vault{Keys: noMem, KEK: kek}},
		{"nil kek", memstore.New(), seal.Vault{Keys: seal.NewMemKeys()}},
		{"typed nil kek", memstore.New(), seal.Vault{Keys: seal.NewMemKeys(), KEK: noKEK}},
	} {
		t.Run(c.name, func(t *testing.T) {
			defer func() {
				if r := recover(); r != nil {
					t.Errorf("Wrap panics: %v", r)
				}
			}()
			if _, err := seal.Wrap(ctx, c.b, c.v); !errors.Is(err, privacy.ErrInvalid) {
				t.Errorf("Wrap = %v, want ErrInvalid", err)
			}
			if _, err := seal.Rotate(ctx, c.v.Keys, c.v.KEK, kek); !strings.HasSuffix(c.name, "backend") {
				if !errors.Is(err, privacy.ErrInvalid) {
					t.Errorf("Rotate = %v, want ErrInvalid", err)
				}
			}
		})
	}
	// A typed nil among the previous KEKs is passed over.
	if _, err := seal.Wrap(ctx, memstore.New(), seal.Vault{Keys: seal.NewMemKeys(), KEK: kek, Previous: []seal.KEK{noKEK}}); err != nil {
		t.Errorf("Wrap with a nil previous KEK: %v", err)
	}
	// The methods of nil values refuse.
	if noKEK.ID() != "" {
		t.Errorf("nil LocalKEK has ID %q", noKEK.ID())
	}
	if _, err := noKEK.Wrap(ctx, make([]byte, 32), nil); !errors.Is(err, privacy.ErrInvalid) {
		t.Errorf("nil LocalKEK Wrap = %v", err)
	}
	if _, err := noKEK.Unwrap(ctx, make([]byte, 64), nil); !errors.Is(err, privacy.ErrInvalid) {
		t.Errorf("nil LocalKEK Unwrap = %v", err)
	}
	for _, k := range []seal.Keys{noFile, noMem} {
		e := seal.Entry{Subject: "s-1"}
		for name, err := range map[string]error{
			"Add": k.Add(ctx, e), "Put": k.Put(ctx, e), "Delete": k.Delete(ctx, "s-1"),
			"Get":  func() error { _, err := k.Get(ctx, "s-1"); return err }(),
			"List": func() error { _, err := k.List(ctx); return err }(),
		} {
			if !errors.Is(err, privacy.ErrInvalid) {
				t.Errorf("%T(nil).%s = %v, want ErrInvalid", k, name, err)
			}
		}
	}
	// A zero MemKeys is an empty one.
	var zero seal.MemKeys
	if err := zero.Add(ctx, seal.Entry{Subject: "s-1", Wrapped: []byte{1}}); err != nil {
		t.Errorf("zero MemKeys Add: %v", err)
	}
}

// eraseOnGet is a key store that, the first time an entry is read, lets
// an erasure run right after the read: between Rotate's read of an entry
// and its write.
type eraseOnGet struct {
	seal.Swapper
	seal.Keys
	erase func()
}

func (k *eraseOnGet) Get(ctx context.Context, s privacy.SubjectID) (seal.Entry, error) {
	e, err := k.Keys.Get(ctx, s)
	if f := k.erase; f != nil {
		k.erase = nil
		f()
	}
	return e, err
}

// TestR9O13RotateNeverResurrects: an erasure that comes between Rotate's
// list and its write of a subject's key (rules R9, O13) stands: the
// tombstone is not overwritten by the re-wrapped key, whether the key
// store compares and swaps or not, and whether the erasure came before
// Rotate's read of the entry or after it.
func TestR9O13RotateNeverResurrects(t *testing.T) {
	ctx := context.Background()
	kek2, err := seal.ParseLocalKEK("fedcba9876543210fedcba9876543210fedcba9876543210fedcba9876543210")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name string
		keys func(*testing.T) (seal.Keys, func(erase func()))
	}{
		{"mem, erased after the read (swap)", func(*testing.T) (seal.Keys, func(func())) {
			m := seal.NewMemKeys()
			k := &eraseOnGet{Swapper: m, Keys: m}
			return k, func(f func()) { k.erase = f }
		}},
		{"file, erased after the read (swap)", func(t *testing.T) (seal.Keys, func(func())) {
			f, err := seal.OpenFileKeys(t.TempDir())
			if err != nil {
				t.Fatal(err)
			}
			k := &eraseOnGet{Swapper: f, Keys: f}
			return k, func(e func()) { k.erase = e }
		}},
		{"mem, erased after the list (read again)", func(*testing.T) (seal.Keys, func(func())) {
			k := &eraseOnList{Keys: seal.NewMemKeys()}
			return k, func(f func()) { k.erase = f }
		}},
	} {
		t.Run(c.name, func(t *testing.T) {
			keys, arm := c.keys(t)
			mem := memstore.New()
			s := sealtest.Wrap(t, mem, keys)
			for _, id := range []privacy.SubjectID{"s-1", "s-2"} {
				if err := s.CreateSubject(ctx, privacy.Subject{ID: id}, sealtest.Events(1, id, privacy.EventCreate)); err != nil {
					t.Fatal(err)
				}
			}
			arm(func() {
				if err := s.DeleteSubject(ctx, "s-1", sealtest.Events(2, "s-1", privacy.EventDelete)); err != nil {
					t.Errorf("DeleteSubject: %v", err)
				}
			})
			n, err := seal.Rotate(ctx, keys, sealtest.KEK(t), kek2)
			if err != nil {
				t.Fatalf("Rotate: %v", err)
			}
			if n != 1 {
				t.Errorf("Rotate re-wrapped %d keys, want 1 (s-2's)", n)
			}
			if _, err := s.Erasure(ctx, "s-1"); err != nil {
				t.Errorf("s-1's erasure has no tombstone after the rotation: %v", err)
			}
			if e, err := keys.Get(ctx, "s-2"); err != nil || e.KEK != kek2.ID() {
				t.Errorf("s-2's key = %+v, %v; want under %s", e, err, kek2.ID())
			}
		})
	}
}

// eraseOnList is a key store that lets an erasure run right after its
// first listing.
type eraseOnList struct {
	seal.Keys
	erase func()
}

func (k *eraseOnList) List(ctx context.Context) ([]seal.Entry, error) {
	es, err := k.Keys.List(ctx)
	if f := k.erase; f != nil {
		k.erase = nil
		f()
	}
	return es, err
}

// reapOnAdd is a key store that, the first time a key is added, lets a
// second process start on the same Backend and key store (Wrap reaps).
type reapOnAdd struct {
	seal.Keys
	start func()
}

func (k *reapOnAdd) Add(ctx context.Context, e seal.Entry) error {
	if err := k.Keys.Add(ctx, e); err != nil {
		return err
	}
	if f := k.start; f != nil {
		k.start = nil
		f()
	}
	return nil
}

// reapOnCreate is a Backend that lets a second process reap right before
// it creates a subject.
type reapOnCreate struct {
	seal.Backend
	start func()
}

func (b *reapOnCreate) CreateSubject(ctx context.Context, sub privacy.Subject, events []privacy.Event) error {
	if f := b.start; f != nil {
		b.start = nil
		f()
	}
	return b.Backend.CreateSubject(ctx, sub, events)
}

// TestR9N7ReapSparesSubjectBeingCreated: the Reap of another process,
// run between CreateSubject's key and its row, leaves the new subject's
// key alone (rules R9, N7); the key of a creation that failed is
// destroyed once CreationGrace has passed, not before; the mark of a key
// whose subject exists is taken off.
func TestR9N7ReapSparesSubjectBeingCreated(t *testing.T) {
	ctx := context.Background()
	for name, newKeys := range map[string]func(t *testing.T) seal.Keys{
		"mem": func(*testing.T) seal.Keys { return seal.NewMemKeys() },
		"file": func(t *testing.T) seal.Keys {
			k, err := seal.OpenFileKeys(t.TempDir())
			if err != nil {
				t.Fatal(err)
			}
			return k
		},
	} {
		t.Run("another process reaps during a creation, "+name, func(t *testing.T) {
			mem, inner := memstore.New(), newKeys(t)
			keys := &reapOnAdd{Keys: inner}
			var reaped seal.Reaped
			keys.start = func() {
				other, err := seal.Wrap(ctx, mem, seal.Vault{Keys: inner, KEK: sealtest.KEK(t), SkipReap: true})
				if err != nil {
					t.Fatal(err)
				}
				if reaped, err = other.Reap(ctx); err != nil {
					t.Errorf("Reap: %v", err)
				}
			}
			s := sealtest.Wrap(t, mem, keys)
			if err := s.CreateSubject(ctx, privacy.Subject{ID: "s-1"}, sealtest.Events(1, "s-1", privacy.EventCreate)); err != nil {
				t.Fatal(err)
			}
			if len(reaped.Orphans) != 0 || len(reaped.Creating) != 1 {
				t.Errorf("the other process's Reap = %+v, want s-1 left as being created", reaped)
			}
			e, err := inner.Get(ctx, "s-1")
			if err != nil || e.Destroyed() || e.Creating {
				t.Errorf("s-1's key after its creation = %+v, %v; want live, not marked", e, err)
			}
		})
	}
	t.Run("a failed creation's key, before and after the grace", func(t *testing.T) {
		t0 := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
		now := t0
		mem, keys := memstore.New(), seal.NewMemKeys()
		if err := keys.Add(ctx, seal.Entry{Subject: "s-1", KeyID: "0102030405060708", KEK: sealtest.KEK(t).ID(),
			Wrapped: []byte{1, 2, 3}, Creating: true, Created: t0}); err != nil {
			t.Fatal(err)
		}
		s, err := seal.Wrap(ctx, mem, seal.Vault{Keys: keys, KEK: sealtest.KEK(t), SkipReap: true, Clock: func() time.Time { return now }})
		if err != nil {
			t.Fatal(err)
		}
		now = t0.Add(seal.CreationGrace - time.Minute)
		if r, err := s.Reap(ctx); err != nil || len(r.Orphans) != 0 || len(r.Creating) != 1 {
			t.Errorf("Reap within the grace = %+v, %v; want the key left", r, err)
		}
		now = t0.Add(seal.CreationGrace + time.Minute)
		if r, err := s.Reap(ctx); err != nil || len(r.Orphans) != 1 {
			t.Errorf("Reap past the grace = %+v, %v; want the key destroyed", r, err)
		}
		if e, err := keys.Get(ctx, "s-1"); err != nil || !e.Destroyed() {
			t.Errorf("s-1's key past the grace = %+v, %v; want a tombstone", e, err)
		}
	})
	t.Run("a deleted subject's key is not given to a new subject of its ID", func(t *testing.T) {
		mem, keys := memstore.New(), seal.NewMemKeys()
		// A live key of a missing subject, unmarked: the subject was
		// deleted past the Store, and no Reap has run since.
		s := sealtest.Wrap(t, mem, keys)
		if err := s.CreateSubject(ctx, privacy.Subject{ID: "s-1"}, sealtest.Events(1, "s-1", privacy.EventCreate)); err != nil {
			t.Fatal(err)
		}
		if err := mem.DeleteSubject(ctx, "s-1", sealtest.Events(2, "s-1", privacy.EventDelete)); err != nil {
			t.Fatal(err)
		}
		old, err := keys.Get(ctx, "s-1")
		if err != nil || old.Destroyed() || old.Creating {
			t.Fatalf("s-1's key = %+v, %v; want live, unmarked", old, err)
		}
		var reaped seal.Reaped
		b := &reapOnCreate{Backend: mem, start: func() {
			other, err := seal.Wrap(ctx, mem, seal.Vault{Keys: keys, KEK: sealtest.KEK(t), SkipReap: true})
			if err != nil {
				t.Fatal(err)
			}
			if reaped, err = other.Reap(ctx); err != nil {
				t.Errorf("Reap: %v", err)
			}
		}}
		s, err = seal.Wrap(ctx, b, seal.Vault{Keys: keys, KEK: sealtest.KEK(t), SkipReap: true})
		if err != nil {
			t.Fatal(err)
		}
		if err := s.CreateSubject(ctx, privacy.Subject{ID: "s-1"}, sealtest.Events(3, "s-1", privacy.EventCreate)); err != nil {
			t.Fatal(err)
		}
		if len(reaped.Orphans) != 0 || len(reaped.Creating) != 1 {
			t.Errorf("the other process's Reap = %+v, want s-1's new key left", reaped)
		}
		e, err := keys.Get(ctx, "s-1")
		if err != nil || e.Destroyed() || e.Creating {
			t.Errorf("s-1's key = %+v, %v; want live, not marked", e, err)
		}
		if e.KeyID == old.KeyID || !slices.Contains(e.Former, old.KeyID) {
			t.Errorf("the new s-1 has key %s (former %v); want a new key, the deleted subject's %s among the former", e.KeyID, e.Former, old.KeyID)
		}
	})
	t.Run("the mark of a created subject's key goes", func(t *testing.T) {
		mem, keys := memstore.New(), seal.NewMemKeys()
		s := sealtest.Wrap(t, mem, keys)
		if err := s.CreateSubject(ctx, privacy.Subject{ID: "s-1"}, sealtest.Events(1, "s-1", privacy.EventCreate)); err != nil {
			t.Fatal(err)
		}
		e, err := keys.Get(ctx, "s-1")
		if err != nil {
			t.Fatal(err)
		}
		e.Creating = true // as a crash before the mark was taken off leaves it
		if err := keys.Put(ctx, e); err != nil {
			t.Fatal(err)
		}
		if r, err := s.Reap(ctx); err != nil || len(r.Orphans)+len(r.Creating) != 0 {
			t.Errorf("Reap = %+v, %v", r, err)
		}
		if e, err := keys.Get(ctx, "s-1"); err != nil || e.Destroyed() || e.Creating {
			t.Errorf("s-1's key = %+v, %v; want live, not marked", e, err)
		}
	})
}
