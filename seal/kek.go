package seal

import (
	"context"
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"os"
	"strings"

	"github.com/dossierwacht/dossierwacht/privacy"
)

// KEK is a key-encryption key: it wraps and unwraps subjects' data keys.
// The database never holds it. [LocalKEK] keeps it in the process (from an
// environment variable or a file); a cloud KMS implements the same three
// methods, its Wrap and Unwrap being calls to the KMS.
type KEK interface {
	// ID names the key, stored beside every data key it wraps, so that
	// a Store finds the KEK of a data key, and [Rotate] those still
	// wrapped by an old one. It is not secret.
	ID() string
	// Wrap encrypts a data key, bound to aad (the subject's ID): a
	// wrapped key copied to another subject does not unwrap.
	Wrap(ctx context.Context, key, aad []byte) ([]byte, error)
	// Unwrap decrypts what Wrap returned for the same aad.
	Unwrap(ctx context.Context, wrapped, aad []byte) ([]byte, error)
}

// LocalKEK is a KEK held in the process: AES-256-GCM under a 32-byte key.
type LocalKEK struct {
	id   string
	aead cipher.AEAD
}

// NewLocalKEK returns the KEK of a 32-byte key. Its ID is derived from the
// key (a SHA-256 prefix), so that the same key always has the same ID and
// the ID reveals nothing of it.
func NewLocalKEK(key []byte) (*LocalKEK, error) {
	if len(key) != 32 {
		return nil, &privacy.Error{Op: "seal: new local kek", Kind: privacy.ErrInvalid, Msg: "want a 32-byte key"}
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, &privacy.Error{Op: "seal: new local kek", Kind: privacy.ErrInvalid, Err: err}
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, &privacy.Error{Op: "seal: new local kek", Kind: privacy.ErrInvalid, Err: err}
	}
	sum := sha256.Sum256(append([]byte("dossierwacht/seal/kek-id\x00"), key...))
	return &LocalKEK{id: "local:" + hex.EncodeToString(sum[:8]), aead: aead}, nil
}

// ParseLocalKEK returns the KEK of a key written as 64 hex digits or as
// base64 (standard or URL alphabet, padded or not) of 32 bytes; spaces and
// line ends around it are ignored.
func ParseLocalKEK(text string) (*LocalKEK, error) {
	text = strings.TrimSpace(text)
	if b, err := hex.DecodeString(text); err == nil && len(b) == 32 {
		return NewLocalKEK(b)
	}
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.RawStdEncoding, base64.URLEncoding, base64.RawURLEncoding} {
		if b, err := enc.DecodeString(text); err == nil && len(b) == 32 {
			return NewLocalKEK(b)
		}
	}
	return nil, &privacy.Error{Op: "seal: parse local kek", Kind: privacy.ErrInvalid,
		Msg: "want 32 bytes as 64 hex digits or base64"}
}

// LocalKEKFromEnv returns the KEK whose key the environment variable name
// holds (see [ParseLocalKEK]).
func LocalKEKFromEnv(name string) (*LocalKEK, error) {
	v, ok := os.LookupEnv(name)
	if !ok {
		return nil, &privacy.Error{Op: "seal: kek from env", Kind: privacy.ErrInvalid, Msg: "variable " + name + " not set"}
	}
	return ParseLocalKEK(v)
}

// LocalKEKFromFile returns the KEK whose key the file at path holds (see
// [ParseLocalKEK]). Keep the file apart from the database and its
// backups.
func LocalKEKFromFile(path string) (*LocalKEK, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, &privacy.Error{Op: "seal: kek from file", Kind: privacy.ErrUnavailable, Err: err}
	}
	return ParseLocalKEK(string(b))
}

// errNoKEK is the error of a method called on a nil *LocalKEK, as when the
// error of [LocalKEKFromEnv] was not looked at: refused, never a panic.
func errNoKEK(op string) error {
	return &privacy.Error{Op: op, Kind: privacy.ErrInvalid, Msg: "nil kek"}
}

// ID implements KEK; a nil LocalKEK has the empty ID.
func (k *LocalKEK) ID() string {
	if k == nil {
		return ""
	}
	return k.id
}

// Wrap implements KEK: nonce || ciphertext || tag.
func (k *LocalKEK) Wrap(_ context.Context, key, aad []byte) ([]byte, error) {
	if k == nil {
		return nil, errNoKEK("seal: wrap")
	}
	out := make([]byte, nonceLen, nonceLen+len(key)+tagLen)
	if _, err := rand.Read(out); err != nil {
		return nil, err
	}
	return k.aead.Seal(out, out[:nonceLen], key, aad), nil
}

// Unwrap implements KEK.
func (k *LocalKEK) Unwrap(_ context.Context, wrapped, aad []byte) ([]byte, error) {
	if k == nil {
		return nil, errNoKEK("seal: unwrap")
	}
	if len(wrapped) < nonceLen+tagLen {
		return nil, &privacy.Error{Op: "seal: unwrap", Kind: ErrTampered, Msg: "wrapped key too short"}
	}
	key, err := k.aead.Open(nil, wrapped[:nonceLen], wrapped[nonceLen:], aad)
	if err != nil {
		return nil, &privacy.Error{Op: "seal: unwrap", Kind: ErrTampered, Msg: "wrapped key does not open"}
	}
	return key, nil
}

// Rotate re-wraps every live data key in keys that from wrapped under to,
// without touching the sealed content: the data keys stay the same, only
// their wrapping changes. It returns how many it re-wrapped. It can be
// run again after a failure: a key already under to is left alone. Give
// the Store both KEKs (Vault.Previous) while it runs, so that it reads
// keys under either.
//
// Rules R9, O13: Rotate may run while Stores erase subjects, and never
// writes a key over the tombstone of an erasure that came after its list.
// It reads each entry again right before it writes it and leaves it alone
// unless it is the live key under from it listed; with a key store that
// can compare and swap ([Swapper]: [MemKeys], and [FileKeys] within a
// process) the write itself replaces only that entry, and an entry that
// changed in between is left for the next run. Without one, an erasure
// written in the instant between the read and the write is lost from the
// key store: the erased subject's rows are gone, so the next [Store.Reap]
// (every Wrap) destroys the key again.
func Rotate(ctx context.Context, keys Keys, from, to KEK) (int, error) {
	const op = "seal: rotate"
	if isNil(keys) || isNil(from) || isNil(to) {
		return 0, &privacy.Error{Op: op, Kind: privacy.ErrInvalid, Msg: "nil keys or kek"}
	}
	entries, err := keys.List(ctx)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, listed := range entries {
		if listed.Destroyed() || listed.KEK != from.ID() {
			continue
		}
		// Read again: the list may be old (an erasure since).
		e, err := keys.Get(ctx, listed.Subject)
		if errors.Is(err, privacy.ErrNotFound) {
			continue
		}
		if err != nil {
			return n, err
		}
		if e.Destroyed() || e.KEK != from.ID() || e.KeyID != listed.KeyID {
			continue // erased, rotated or replaced since the list
		}
		aad := []byte(e.Subject)
		key, err := from.Unwrap(ctx, e.Wrapped, aad)
		if err != nil {
			return n, err
		}
		w, err := to.Wrap(ctx, key, aad)
		clear(key)
		if err != nil {
			return n, err
		}
		next := e.Clone()
		next.Wrapped, next.KEK = w, to.ID()
		err = swap(ctx, keys, e, next)
		if errors.Is(err, privacy.ErrConflict) {
			continue // changed since the read: left for the next run
		}
		if err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}
