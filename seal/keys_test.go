package seal_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/dossierwacht/dossierwacht/memstore"
	"github.com/dossierwacht/dossierwacht/privacy"
	"github.com/dossierwacht/dossierwacht/seal"
	"github.com/dossierwacht/dossierwacht/seal/sealtest"
	"github.com/google/go-cmp/cmp"
)

// TestKeys is the contract of a Keys store, for both that ship.
func TestKeys(t *testing.T) {
	for _, k := range []struct {
		name string
		new  func(t *testing.T) seal.Keys
	}{
		{"mem", func(*testing.T) seal.Keys { return seal.NewMemKeys() }},
		{"file", func(t *testing.T) seal.Keys {
			k, err := seal.OpenFileKeys(filepath.Join(t.TempDir(), "keys"))
			if err != nil {
				t.Fatal(err)
			}
			return k
		}},
	} {
		t.Run(k.name, func(t *testing.T) {
			ctx := context.Background()
			keys := k.new(t)
			live := seal.Entry{Subject: "s-1", KeyID: "0102030405060708", KEK: "local:x", Wrapped: []byte{1, 2, 3}}
			if _, err := keys.Get(ctx, "s-1"); !errors.Is(err, privacy.ErrNotFound) {
				t.Errorf("Get(missing) = %v, want ErrNotFound", err)
			}
			if err := keys.Add(ctx, live); err != nil {
				t.Fatal(err)
			}
			if err := keys.Add(ctx, live); !errors.Is(err, privacy.ErrExists) {
				t.Errorf("Add(live again) = %v, want ErrExists", err)
			}
			got, err := keys.Get(ctx, "s-1")
			if err != nil || !cmp.Equal(got, live) {
				t.Errorf("Get = %+v, %v; want %+v", got, err, live)
			}
			got.Wrapped[0] = 9 // copies out
			pending := seal.Entry{Subject: "s-1", KeyID: live.KeyID, Pending: true, Erased: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC),
				Events: sealtest.Events(1, "s-1", privacy.EventDelete)}
			if err := keys.Put(ctx, pending); err != nil {
				t.Fatal(err)
			}
			if err := keys.Add(ctx, live); !errors.Is(err, privacy.ErrExists) {
				t.Errorf("Add(over a pending tombstone) = %v, want ErrExists", err)
			}
			done := pending.Clone()
			done.Pending = false
			if err := keys.Put(ctx, done); err != nil {
				t.Fatal(err)
			}
			if got, err := keys.Get(ctx, "s-1"); err != nil || !got.Destroyed() || !cmp.Equal(got, done) {
				t.Errorf("Get(tombstone) = %+v, %v", got, err)
			}
			if err := keys.Add(ctx, live); err != nil {
				t.Errorf("Add(over a finished tombstone) = %v", err)
			}
			if err := keys.Add(ctx, seal.Entry{Subject: "..", KeyID: "00", Wrapped: []byte{1}}); err != nil {
				t.Errorf("Add(subject ..) = %v", err)
			}
			es, err := keys.List(ctx)
			if err != nil || len(es) != 2 || es[0].Subject != ".." || es[1].Subject != "s-1" {
				t.Errorf("List = %+v, %v", es, err)
			}
			if err := keys.Delete(ctx, "s-1"); err != nil {
				t.Fatal(err)
			}
			if err := keys.Delete(ctx, "s-1"); err != nil {
				t.Errorf("Delete(missing) = %v", err)
			}
			if _, err := keys.Get(ctx, "s-1"); !errors.Is(err, privacy.ErrNotFound) {
				t.Errorf("Get(deleted) = %v", err)
			}
		})
	}
}

func TestFileKeysBadFiles(t *testing.T) {
	// A key file that is not what it should be fails with ErrTampered,
	// never with a key of another subject.
	ctx := context.Background()
	dir := filepath.Join(t.TempDir(), "keys")
	keys, err := seal.OpenFileKeys(dir)
	if err != nil {
		t.Fatal(err)
	}
	if err := keys.Add(ctx, seal.Entry{Subject: "s-1", KeyID: "01", Wrapped: []byte{1}}); err != nil {
		t.Fatal(err)
	}
	files, _ := filepath.Glob(filepath.Join(dir, "*.key"))
	if len(files) != 1 {
		t.Fatalf("files %v", files)
	}
	// s-1's file copied under s-2's name.
	b, _ := os.ReadFile(files[0])
	if err := os.WriteFile(filepath.Join(dir, "732d32.key"), b, 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := keys.Get(ctx, "s-2"); !errors.Is(err, seal.ErrTampered) {
		t.Errorf("Get(a file of another subject) = %v, want ErrTampered", err)
	}
	if err := os.WriteFile(files[0], []byte("{not json"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := keys.Get(ctx, "s-1"); !errors.Is(err, seal.ErrTampered) {
		t.Errorf("Get(malformed) = %v, want ErrTampered", err)
	}
	if _, err := keys.List(ctx); !errors.Is(err, seal.ErrTampered) {
		t.Errorf("List(malformed) = %v, want ErrTampered", err)
	}
	if fi, err := os.Stat(dir); err != nil || fi.Mode().Perm() != 0o700 {
		t.Errorf("the key directory's mode: %v, %v", fi.Mode(), err)
	}
}

func TestKEKBadInput(t *testing.T) {
	ctx := context.Background()
	t.Setenv("SEAL_TEST_KEK", "too short")
	for _, tc := range []struct {
		name string
		err  error
		kind error
	}{
		{"NewLocalKEK(16 bytes)", second(seal.NewLocalKEK(make([]byte, 16))), privacy.ErrInvalid},
		{"ParseLocalKEK(garbage)", second(seal.ParseLocalKEK("not a key")), privacy.ErrInvalid},
		{"ParseLocalKEK(31 bytes hex)", second(seal.ParseLocalKEK("00010203040506070809000102030405060708090001020304050607080900")), privacy.ErrInvalid},
		{"LocalKEKFromEnv(unset)", second(seal.LocalKEKFromEnv("SEAL_TEST_KEK_UNSET")), privacy.ErrInvalid},
		{"LocalKEKFromEnv(bad)", second(seal.LocalKEKFromEnv("SEAL_TEST_KEK")), privacy.ErrInvalid},
		{"LocalKEKFromFile(missing)", second(seal.LocalKEKFromFile(filepath.Join(t.TempDir(), "none"))), privacy.ErrUnavailable},
		{"Wrap(nil keys)", second(seal.Wrap(ctx, memstore.New(), seal.Vault{KEK: sealtest.KEK(t)})), privacy.ErrInvalid},
		{"Wrap(nil kek)", second(seal.Wrap(ctx, memstore.New(), seal.Vault{Keys: seal.NewMemKeys()})), privacy.ErrInvalid},
		{"Wrap(nil store)", second(seal.Wrap(ctx, nil, seal.Vault{Keys: seal.NewMemKeys(), KEK: sealtest.KEK(t)})), privacy.ErrInvalid},
		{"Rotate(nil)", second(seal.Rotate(ctx, nil, nil, nil)), privacy.ErrInvalid},
	} {
		if !errors.Is(tc.err, tc.kind) {
			t.Errorf("%s = %v, want %v", tc.name, tc.err, tc.kind)
		}
	}
	k := sealtest.KEK(t)
	w, err := k.Wrap(ctx, make([]byte, 32), []byte("s-1"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := k.Unwrap(ctx, w, []byte("s-2")); !errors.Is(err, seal.ErrTampered) {
		t.Errorf("Unwrap for another subject = %v, want ErrTampered", err)
	}
	if _, err := k.Unwrap(ctx, w[:10], []byte("s-1")); !errors.Is(err, seal.ErrTampered) {
		t.Errorf("Unwrap(short) = %v, want ErrTampered", err)
	}
	for _, text := range []string{"AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=", "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8",
		" 000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f\n"} {
		k2, err := seal.ParseLocalKEK(text)
		if err != nil || k2.ID() != k.ID() {
			t.Errorf("ParseLocalKEK(%q) = %v, %v; want the kit's KEK", text, k2, err)
		}
	}
	path := filepath.Join(t.TempDir(), "kek")
	if err := os.WriteFile(path, []byte("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if k3, err := seal.LocalKEKFromFile(path); err != nil || k3.ID() != k.ID() {
		t.Errorf("LocalKEKFromFile = %v, %v", k3, err)
	}
}

func second[T any](_ T, err error) error { return err }
