package seal

import (
	"bytes"
	"context"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/dossierwacht/dossierwacht/privacy"
)

// Entry is what a [Keys] store keeps of one subject: its data key, wrapped
// by a KEK, or — once the key was destroyed — a tombstone that holds no
// key material, only the proof of the destruction.
type Entry struct {
	Subject privacy.SubjectID `json:"subject"`
	// KeyID names the data key in every value it sealed (16 hex digits).
	// A tombstone keeps it: the proof says which key was destroyed.
	KeyID string `json:"key_id"`
	// KEK is the ID of the key-encryption key that wrapped the data key.
	KEK string `json:"kek,omitempty"`
	// Wrapped is the data key, wrapped; empty in a tombstone.
	Wrapped []byte `json:"wrapped,omitempty"`
	// Former are the IDs of the subject's earlier keys, destroyed when an
	// earlier subject of this ID was erased: a value sealed under one of
	// them reads as erased, not as tampered with.
	Former []string `json:"former,omitempty"`

	// Erased is when the key was destroyed (the time of the erasure's
	// first audit event); zero while the key lives.
	Erased time.Time `json:"erased,omitzero"`
	// Pending reports a tombstone whose rows may not all be deleted yet:
	// the process stopped, or the deletion failed, between the key's
	// destruction and the rows'. [Store.Reap] finishes it.
	Pending bool `json:"pending,omitempty"`
	// Creating reports a live key made for a subject whose row may not
	// exist yet: [Store.CreateSubject] adds the key before the subject,
	// and marks it made once the subject exists. Created is when the key
	// was added (by the Store's clock). [Store.Reap] leaves such a key of
	// a missing subject alone for [CreationGrace] after Created — another
	// process may be about to insert the subject's row (rules R9, N7) —
	// and only then takes it for the key of a creation that failed.
	Creating bool      `json:"creating,omitempty"`
	Created  time.Time `json:"created,omitzero"`
	// Events are the audit events of the erasure, kept so that Reap
	// deletes the rows with the events the caller gave (rule G7). They
	// hold IDs and no content.
	Events []privacy.Event `json:"events,omitempty"`
}

// Destroyed reports whether e is a tombstone: its key is gone.
func (e *Entry) Destroyed() bool { return len(e.Wrapped) == 0 }

// Clone returns a deep copy of e.
func (e Entry) Clone() Entry {
	e.Wrapped = slices.Clone(e.Wrapped)
	e.Events = slices.Clone(e.Events)
	e.Former = slices.Clone(e.Former)
	return e
}

// Keys keeps the subjects' wrapped data keys, apart from the database so
// that no backup of the database ever holds them. [FileKeys] and
// [MemKeys] ship; a table in another database, a vault or a KMS-backed
// store implement the same methods. Methods are safe for concurrent use.
//
// Errors: a missing entry matches [privacy.ErrNotFound]; a failure of the
// storage [privacy.ErrUnavailable].
type Keys interface {
	// Get returns the subject's entry.
	Get(ctx context.Context, subject privacy.SubjectID) (Entry, error)
	// Add stores a new entry. It fails with [privacy.ErrExists] when the
	// subject has a live key or a pending tombstone; a finished tombstone
	// (an erased subject whose ID is used again) is replaced.
	Add(ctx context.Context, e Entry) error
	// Put stores e in place of the subject's entry, or as a new one,
	// atomically: a reader sees the old entry or the new, never a mix.
	Put(ctx context.Context, e Entry) error
	// Delete removes the subject's entry; a missing one is not an error.
	Delete(ctx context.Context, subject privacy.SubjectID) error
	// List returns every entry, ordered by subject.
	List(ctx context.Context) ([]Entry, error)
}

// Swapper is a [Keys] store that can compare and swap, so that [Rotate]
// never writes a re-wrapped key over an entry changed since it read it
// (an erasure's tombstone: rules R9, O13).
type Swapper interface {
	// Swap stores next in place of the subject's entry if that entry is
	// still old (the same key, wrapping and state); otherwise it fails
	// with [privacy.ErrConflict] and changes nothing.
	Swap(ctx context.Context, old, next Entry) error
}

var (
	_ Swapper = (*MemKeys)(nil)
	_ Swapper = (*FileKeys)(nil)
)

// same reports whether a and b are the same entry: the same key, wrapped
// the same way, in the same state.
func same(a, b *Entry) bool {
	return a.Subject == b.Subject && a.KeyID == b.KeyID && a.KEK == b.KEK && bytes.Equal(a.Wrapped, b.Wrapped) &&
		a.Pending == b.Pending && a.Erased.Equal(b.Erased) && slices.Equal(a.Former, b.Former) &&
		a.Creating == b.Creating && a.Created.Equal(b.Created)
}

// swap stores next in place of old if the entry is still old: by the key
// store's compare-and-swap when it has one ([Swapper]), otherwise by a
// read, a comparison and a write (a writer of another process may come
// between the last two). An entry that changed fails with
// privacy.ErrConflict.
func swap(ctx context.Context, keys Keys, old, next Entry) error {
	if sw, ok := keys.(Swapper); ok {
		return sw.Swap(ctx, old, next)
	}
	cur, err := keys.Get(ctx, old.Subject)
	if errors.Is(err, privacy.ErrNotFound) {
		return errSwapConflict()
	}
	if err != nil {
		return err
	}
	if !same(&cur, &old) || next.Subject != old.Subject {
		return errSwapConflict()
	}
	return keys.Put(ctx, next)
}

func errSwapConflict() error {
	return &privacy.Error{Op: "seal: swap key", Kind: privacy.ErrConflict, Msg: "the entry changed since it was read"}
}

// replaceable reports whether Add may put a new entry in old's place.
func replaceable(old *Entry) bool { return old.Destroyed() && !old.Pending }

// MemKeys is a Keys store in memory, for tests and for a process whose
// data lives no longer than it does.
type MemKeys struct {
	mu sync.Mutex
	m  map[privacy.SubjectID]Entry
}

// NewMemKeys returns an empty in-memory Keys store.
func NewMemKeys() *MemKeys { return &MemKeys{m: map[privacy.SubjectID]Entry{}} }

// Get implements Keys.
func (k *MemKeys) Get(_ context.Context, s privacy.SubjectID) (Entry, error) {
	if k == nil {
		return Entry{}, errNoKeys("seal: get key")
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	e, ok := k.m[s]
	if !ok {
		return Entry{}, &privacy.Error{Op: "seal: get key", Kind: privacy.ErrNotFound}
	}
	return e.Clone(), nil
}

// Add implements Keys.
func (k *MemKeys) Add(_ context.Context, e Entry) error {
	if k == nil {
		return errNoKeys("seal: add key")
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.m == nil { // a zero MemKeys is empty
		k.m = map[privacy.SubjectID]Entry{}
	}
	if old, ok := k.m[e.Subject]; ok && !replaceable(&old) {
		return &privacy.Error{Op: "seal: add key", Kind: privacy.ErrExists}
	}
	k.m[e.Subject] = e.Clone()
	return nil
}

// Put implements Keys.
func (k *MemKeys) Put(_ context.Context, e Entry) error {
	if k == nil {
		return errNoKeys("seal: put key")
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.m == nil { // a zero MemKeys is empty
		k.m = map[privacy.SubjectID]Entry{}
	}
	k.m[e.Subject] = e.Clone()
	return nil
}

// Swap implements Swapper.
func (k *MemKeys) Swap(_ context.Context, old, next Entry) error {
	if k == nil {
		return errNoKeys("seal: swap key")
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	if cur, ok := k.m[old.Subject]; !ok || !same(&cur, &old) || next.Subject != old.Subject {
		return errSwapConflict()
	}
	k.m[next.Subject] = next.Clone()
	return nil
}

// Delete implements Keys.
func (k *MemKeys) Delete(_ context.Context, s privacy.SubjectID) error {
	if k == nil {
		return errNoKeys("seal: delete key")
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	delete(k.m, s)
	return nil
}

// List implements Keys.
func (k *MemKeys) List(context.Context) ([]Entry, error) {
	if k == nil {
		return nil, errNoKeys("seal: list keys")
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	out := make([]Entry, 0, len(k.m))
	for _, e := range k.m {
		out = append(out, e.Clone())
	}
	slices.SortFunc(out, func(a, b Entry) int { return strings.Compare(string(a.Subject), string(b.Subject)) })
	return out, nil
}

// FileKeys is a Keys store in a directory: one file per subject, named by
// the hex of its ID, written atomically (a temporary file, synced, renamed
// over the old one, the directory synced), so that a crash leaves the old
// entry or the new. Keep the directory on another volume than the
// database, out of the database's backups, readable by the service alone.
// Several processes may share it: Add creates a file with a hard link,
// which fails if another process created it first.
type FileKeys struct {
	dir string
	mu  sync.Mutex // serialises the writes within the process (Add and Swap read and decide)
}

// OpenFileKeys returns the Keys store in dir, creating the directory
// (mode 0700) if it does not exist.
func OpenFileKeys(dir string) (*FileKeys, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, unavailable("seal: open file keys", err)
	}
	return &FileKeys{dir: dir}, nil
}

const keyExt = ".key"

// errNoKeys is the error of a method called on a nil *FileKeys or
// *MemKeys, as when the error of [OpenFileKeys] was not looked at:
// refused, never a panic.
func errNoKeys(op string) error {
	return &privacy.Error{Op: op, Kind: privacy.ErrInvalid, Msg: "nil key store"}
}

func (k *FileKeys) path(s privacy.SubjectID) string {
	return filepath.Join(k.dir, hex.EncodeToString([]byte(s))+keyExt)
}

func unavailable(op string, err error) error {
	return &privacy.Error{Op: op, Kind: privacy.ErrUnavailable, Err: err}
}

func (k *FileKeys) read(path string) (Entry, error) {
	const op = "seal: get key"
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return Entry{}, &privacy.Error{Op: op, Kind: privacy.ErrNotFound}
	}
	if err != nil {
		return Entry{}, unavailable(op, err)
	}
	var e Entry
	if err := json.Unmarshal(b, &e); err != nil {
		return Entry{}, &privacy.Error{Op: op, Kind: ErrTampered, Msg: "malformed key file", Err: err}
	}
	return e, nil
}

// Get implements Keys.
func (k *FileKeys) Get(_ context.Context, s privacy.SubjectID) (Entry, error) {
	if k == nil {
		return Entry{}, errNoKeys("seal: get key")
	}
	e, err := k.read(k.path(s))
	if err == nil && e.Subject != s {
		return Entry{}, &privacy.Error{Op: "seal: get key", Kind: ErrTampered, Msg: "key file of another subject"}
	}
	return e, err
}

// temp writes e to a synced temporary file in the directory.
func (k *FileKeys) temp(e Entry) (string, error) {
	b, err := json.Marshal(e)
	if err != nil {
		return "", err
	}
	f, err := os.CreateTemp(k.dir, ".tmp-*")
	if err != nil {
		return "", err
	}
	name := f.Name()
	if _, err = f.Write(b); err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		_ = os.Remove(name)
		return "", err
	}
	return name, nil
}

// syncDir makes a rename, link or removal in the directory durable.
func (k *FileKeys) syncDir() error {
	d, err := os.Open(k.dir)
	if err != nil {
		return err
	}
	err = d.Sync()
	if cerr := d.Close(); err == nil {
		err = cerr
	}
	return err
}

// Add implements Keys.
func (k *FileKeys) Add(_ context.Context, e Entry) error {
	if k == nil {
		return errNoKeys("seal: add key")
	}
	const op = "seal: add key"
	k.mu.Lock()
	defer k.mu.Unlock()
	tmp, err := k.temp(e)
	if err != nil {
		return unavailable(op, err)
	}
	defer os.Remove(tmp)
	path := k.path(e.Subject)
	if err := os.Link(tmp, path); err != nil {
		if !errors.Is(err, fs.ErrExist) {
			return unavailable(op, err)
		}
		old, rerr := k.read(path)
		if rerr != nil {
			return rerr
		}
		if !replaceable(&old) {
			return &privacy.Error{Op: op, Kind: privacy.ErrExists}
		}
		if err := os.Rename(tmp, path); err != nil {
			return unavailable(op, err)
		}
	}
	if err := k.syncDir(); err != nil {
		return unavailable(op, err)
	}
	return nil
}

// Put implements Keys.
func (k *FileKeys) Put(_ context.Context, e Entry) error {
	if k == nil {
		return errNoKeys("seal: put key")
	}
	const op = "seal: put key"
	k.mu.Lock()
	defer k.mu.Unlock()
	tmp, err := k.temp(e)
	if err != nil {
		return unavailable(op, err)
	}
	if err := os.Rename(tmp, k.path(e.Subject)); err != nil {
		_ = os.Remove(tmp)
		return unavailable(op, err)
	}
	if err := k.syncDir(); err != nil {
		return unavailable(op, err)
	}
	return nil
}

// Swap implements Swapper: atomic against the writes of this FileKeys
// (within the process); a process sharing the directory writes past it.
func (k *FileKeys) Swap(_ context.Context, old, next Entry) error {
	const op = "seal: swap key"
	if k == nil {
		return errNoKeys(op)
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	cur, err := k.read(k.path(old.Subject))
	if errors.Is(err, privacy.ErrNotFound) || (err == nil && (!same(&cur, &old) || next.Subject != old.Subject)) {
		return errSwapConflict()
	}
	if err != nil {
		return err
	}
	tmp, err := k.temp(next)
	if err != nil {
		return unavailable(op, err)
	}
	if err := os.Rename(tmp, k.path(next.Subject)); err != nil {
		_ = os.Remove(tmp)
		return unavailable(op, err)
	}
	if err := k.syncDir(); err != nil {
		return unavailable(op, err)
	}
	return nil
}

// Delete implements Keys.
func (k *FileKeys) Delete(_ context.Context, s privacy.SubjectID) error {
	if k == nil {
		return errNoKeys("seal: delete key")
	}
	const op = "seal: delete key"
	k.mu.Lock()
	defer k.mu.Unlock()
	if err := os.Remove(k.path(s)); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return unavailable(op, err)
	}
	if err := k.syncDir(); err != nil {
		return unavailable(op, err)
	}
	return nil
}

// List implements Keys.
func (k *FileKeys) List(context.Context) ([]Entry, error) {
	if k == nil {
		return nil, errNoKeys("seal: list keys")
	}
	const op = "seal: list keys"
	des, err := os.ReadDir(k.dir)
	if err != nil {
		return nil, unavailable(op, err)
	}
	var out []Entry
	for _, de := range des {
		name := de.Name()
		if !strings.HasSuffix(name, keyExt) || strings.HasPrefix(name, ".") {
			continue
		}
		e, err := k.read(filepath.Join(k.dir, name))
		if errors.Is(err, privacy.ErrNotFound) {
			continue // deleted while we listed
		}
		if err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	slices.SortFunc(out, func(a, b Entry) int { return strings.Compare(string(a.Subject), string(b.Subject)) })
	return out, nil
}
