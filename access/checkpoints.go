package access

import (
	"context"
	"encoding/json"
	"errors"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"sync"

	"github.com/dossierwacht/dossierwacht/privacy"
)

// Checkpoints keep the heads of the audit trail's chains outside the
// database (rule G7): a chain cut short, removed or rewritten shows
// against the head kept here, which whoever can write the database
// cannot reach. [dossierwacht.Service] saves heads as it runs and checks
// the trail against them.
//
// Save keeps, for each chain in h, the later of the head it holds and the
// one given, so that saves that race never move a head back; chains not in
// h keep their heads. A head given with the number of the head kept but
// another hash is a chain rewritten from there on: Save refuses it with
// [ErrTampered] (rule G7) and keeps every head as it was, never replacing
// the kept head silently. Load returns every head kept (an empty Heads
// before the first Save).
type Checkpoints interface {
	Save(ctx context.Context, h Heads) error
	Load(ctx context.Context) (Heads, error)
}

// MemoryCheckpoints are [Checkpoints] kept in memory: for tests, and for a
// process that hands them elsewhere itself. Safe for concurrent use.
type MemoryCheckpoints struct {
	mu    sync.Mutex
	heads Heads
}

// Save merges h into the heads kept.
func (m *MemoryCheckpoints) Save(ctx context.Context, h Heads) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if err := check(m.heads, h); err != nil {
		return err
	}
	if m.heads == nil {
		m.heads = Heads{}
	}
	merge(m.heads, h)
	return nil
}

// Load returns a copy of the heads kept.
func (m *MemoryCheckpoints) Load(ctx context.Context) (Heads, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	out := make(Heads, len(m.heads))
	merge(out, m.heads)
	return out, nil
}

// check refuses src if a head of it has the number of the head dst keeps
// for its chain but another hash (rule G7): the chain was rewritten from
// that event on, and keeping either head would hide it.
func check(dst, src Heads) error {
	for _, id := range sortedChains(src, Heads(nil)) {
		if cur, ok := dst[id]; ok && src[id].Seq == cur.Seq && src[id].Hash != cur.Hash {
			return &privacy.Error{Op: "access: save checkpoints", Kind: ErrTampered, Rule: privacy.G7,
				Msg: "a head with the number of the kept one and another hash",
				Err: &ChainError{Chain: id, Seq: cur.Seq, Problem: ProblemRewritten}}
		}
	}
	return nil
}

// merge keeps, per chain, the later head of dst's and src's; check has
// passed.
func merge(dst, src Heads) {
	for id, cp := range src {
		if cur, ok := dst[id]; !ok || cp.Seq >= cur.Seq {
			dst[id] = cp
		}
	}
}

// FileCheckpoints are [Checkpoints] kept in a file, as JSON: keep the file
// where the database's writers cannot write (another disk, another
// machine's share, a write-once store). Every Save writes a temporary
// file beside it and renames it over the file, so that a crash leaves
// either the old heads or the new, never half of them. The file is
// created with mode 0600. Safe for concurrent use within one process.
//
// Trust on first use (rule G7): a FileCheckpoints that has not yet read or
// written its file takes a missing file for a first run — no heads yet —
// and its first Save creates it. From then on it remembers, in memory, the
// heads it read and wrote: a file that has vanished since (deleted, a
// volume not mounted) or moved back (an older copy put in its place: a
// head behind the one remembered, or the same number with another hash)
// fails Load and Save with [ErrTampered] and is never rewritten with the
// heads of a chain cut short. What a new process reads first it trusts;
// a program that has checkpointed before should check at its start that
// the file is there.
type FileCheckpoints struct {
	Path string
	mu   sync.Mutex
	// seen are the heads last read from or written to the file by this
	// value; nil until it has seen the file.
	seen Heads
}

// NewFileCheckpoints returns the checkpoints kept in the file at path.
func NewFileCheckpoints(path string) *FileCheckpoints { return &FileCheckpoints{Path: path} }

// checkpointFile is the file's form.
type checkpointFile struct {
	Chains Heads `json:"chains"`
}

// Load reads the heads; a file that does not exist holds none, the first
// time (see [FileCheckpoints]). A file that is not the JSON Save writes
// fails with privacy.ErrInvalid; a file vanished or moved back since this
// value last saw it fails with [ErrTampered].
func (f *FileCheckpoints) Load(ctx context.Context) (Heads, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.load()
}

func (f *FileCheckpoints) load() (Heads, error) {
	const op = "access: load checkpoints"
	b, err := os.ReadFile(f.Path)
	if errors.Is(err, fs.ErrNotExist) {
		if f.seen != nil {
			// G7: the file this value read or wrote is gone; taking that
			// for "no heads yet" would pass a chain cut short.
			return nil, &privacy.Error{Op: op, Kind: ErrTampered, Rule: privacy.G7,
				Msg: "checkpoint file " + f.Path + " vanished after it was read or written", Err: err}
		}
		return Heads{}, nil
	}
	if err != nil {
		return nil, &privacy.Error{Op: op, Kind: privacy.ErrUnavailable, Err: err}
	}
	var cf checkpointFile
	if err := json.Unmarshal(b, &cf); err != nil {
		return nil, &privacy.Error{Op: op, Kind: privacy.ErrInvalid, Msg: "not a checkpoint file", Err: err}
	}
	if cf.Chains == nil {
		cf.Chains = Heads{}
	}
	// G7: a head behind the one this value saw is an older file put back.
	for _, id := range sortedChains(f.seen, Heads(nil)) {
		was := f.seen[id]
		if cur, ok := cf.Chains[id]; !ok || cur.Seq < was.Seq || cur.Seq == was.Seq && cur.Hash != was.Hash {
			return nil, &privacy.Error{Op: op, Kind: ErrTampered, Rule: privacy.G7,
				Msg: "checkpoint file " + f.Path + " moved back since it was read or written",
				Err: &ChainError{Chain: id, Seq: was.Seq, Problem: ProblemRewritten}}
		}
	}
	f.seen = maps.Clone(cf.Chains)
	return cf.Chains, nil
}

// Save merges h into the file's heads and writes them atomically.
func (f *FileCheckpoints) Save(ctx context.Context, h Heads) error {
	const op = "access: save checkpoints"
	if err := ctx.Err(); err != nil {
		return err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	heads, err := f.load()
	if err != nil {
		return err
	}
	if err := check(heads, h); err != nil {
		return err
	}
	merge(heads, h)
	b, err := json.Marshal(checkpointFile{Chains: heads})
	if err != nil {
		return &privacy.Error{Op: op, Kind: privacy.ErrInvalid, Err: err}
	}
	tmp, err := os.CreateTemp(filepath.Dir(f.Path), "."+filepath.Base(f.Path)+".*")
	if err != nil {
		return &privacy.Error{Op: op, Kind: privacy.ErrUnavailable, Err: err}
	}
	_, err = tmp.Write(b)
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), f.Path)
	}
	if err != nil {
		os.Remove(tmp.Name())
		return &privacy.Error{Op: op, Kind: privacy.ErrUnavailable, Err: err}
	}
	f.seen = heads
	return nil
}
