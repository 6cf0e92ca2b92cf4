package access

import (
	"context"
	"encoding/json"
	"errors"
	"io/fs"
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
// h keep their heads. Load returns every head kept (an empty Heads before
// the first Save).
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
type FileCheckpoints struct {
	Path string
	mu   sync.Mutex
}

// NewFileCheckpoints returns the checkpoints kept in the file at path.
func NewFileCheckpoints(path string) *FileCheckpoints { return &FileCheckpoints{Path: path} }

// checkpointFile is the file's form.
type checkpointFile struct {
	Chains Heads `json:"chains"`
}

// Load reads the heads; a file that does not exist holds none. A file
// that is not the JSON Save writes fails with privacy.ErrInvalid.
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
	return nil
}
