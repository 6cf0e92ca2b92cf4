package access_test

import (
	"context"
	"errors"
	"iter"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/dossierwacht/dossierwacht/access"
	"github.com/dossierwacht/dossierwacht/privacy"
)

var key = []byte("a key the database does not hold")

// chained returns n events of each subject, interleaved, chained per
// subject under k.
func chained(k []byte, n int, subjects ...privacy.SubjectID) []privacy.Event {
	heads := map[privacy.SubjectID]access.Checkpoint{}
	var out []privacy.Event
	t0 := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	for i := range n {
		for _, s := range subjects {
			h := heads[s]
			e := privacy.Event{Time: t0.Add(time.Duration(i) * time.Second), Principal: "cm-1", Role: privacy.RoleCaseManager,
				Subject: s, Action: privacy.EventRead, Outcome: privacy.OutcomeAllowed, Rule: privacy.R7, Policy: "1.0.0"}
			e = e.ChainKeyed(k, h.Seq+1, h.Hash)
			heads[s] = access.Checkpoint{Seq: e.Seq, Hash: e.Hash}
			out = append(out, e)
		}
	}
	return out
}

func stream(es []privacy.Event) iter.Seq2[privacy.Event, error] {
	return func(yield func(privacy.Event, error) bool) {
		for _, e := range es {
			if !yield(e, nil) {
				return
			}
		}
	}
}

// wantChainBreak checks err is kind k with a ChainError of chain c, seq
// and problem p (rule G7).
func wantChainBreak(t *testing.T, err, k error, c privacy.SubjectID, seq uint64, p access.Problem) {
	t.Helper()
	var ce *access.ChainError
	if !errors.Is(err, k) || !errors.As(err, &ce) || privacy.RuleOf(err) != privacy.G7 {
		t.Fatalf("err = %v, want %v with a *ChainError by G7", err, k)
	}
	if ce.Chain != c || ce.Seq != seq || ce.Problem != p {
		t.Errorf("err = %v, want chain %q event %d %s", ce, c, seq, p)
	}
}

// TestVerifyChainsG7: chains interleave, each verifies on its own under
// the key, and every kind of break names its chain.
func TestVerifyChainsG7(t *testing.T) {
	es := chained(key, 5, "", "s-1", "s-2")
	heads, err := access.VerifyChains(stream(es), access.VerifyOptions{Key: key})
	if err != nil {
		t.Fatal(err)
	}
	if len(heads) != 3 || heads["s-1"].Seq != 5 || heads[""].Hash != es[12].Hash {
		t.Errorf("heads = %v", heads)
	}
	for _, tc := range []struct {
		name    string
		opts    access.VerifyOptions
		edit    func([]privacy.Event) []privacy.Event
		chain   privacy.SubjectID
		seq     uint64
		problem access.Problem
	}{
		{"wrong key", access.VerifyOptions{Key: []byte("another")}, nil, "", 1, access.ProblemAltered},
		{"no key for keyed links", access.VerifyOptions{}, nil, "", 1, access.ProblemAltered},
		{"rehashed without the key", access.VerifyOptions{Key: key}, func(es []privacy.Event) []privacy.Event {
			es[4].Principal = "x" // s-1's event 2
			es[4] = es[4].ChainKeyed(nil, es[4].Seq, es[4].Prev)
			return es
		}, "s-1", 2, access.ProblemAltered},
		{"a chain cut short", access.VerifyOptions{Key: key, Want: heads}, func(es []privacy.Event) []privacy.Event {
			return es[:len(es)-1] // s-2's last
		}, "s-2", 5, access.ProblemTruncated},
		{"a chain removed", access.VerifyOptions{Key: key, Want: heads}, func(es []privacy.Event) []privacy.Event {
			var out []privacy.Event
			for _, e := range es {
				if e.Subject != "s-1" {
					out = append(out, e)
				}
			}
			return out
		}, "s-1", 1, access.ProblemTruncated},
		{"a forged append", access.VerifyOptions{Key: key, Want: heads}, func(es []privacy.Event) []privacy.Event {
			last := es[len(es)-1]
			f := last
			f.Principal = "intruder"
			return append(es, f.ChainKeyed(nil, last.Seq+1, last.Hash))
		}, "s-2", 6, access.ProblemAltered},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := append([]privacy.Event(nil), es...)
			if tc.edit != nil {
				in = tc.edit(in)
			}
			_, err := access.VerifyChains(stream(in), tc.opts)
			wantChainBreak(t, err, access.ErrTampered, tc.chain, tc.seq, tc.problem)
		})
	}
	// A read error is passed on as it is: an adapter's damage.
	damaged := access.Damaged("read event", "s-1", 3)
	_, err = access.VerifyChains(func(yield func(privacy.Event, error) bool) { yield(privacy.Event{}, damaged) }, access.VerifyOptions{})
	wantChainBreak(t, err, access.ErrDamaged, "s-1", 3, access.ProblemDamaged)
	if errors.Is(err, access.ErrTampered) || !errors.Is(err, privacy.ErrUnavailable) {
		t.Errorf("damage = %v: not tampering, and unavailable", err)
	}
}

// TestVerifyChainsAnchorG7: a pruned chain verifies from its signed
// anchor; an anchor without the key's signature is tampering.
func TestVerifyChainsAnchorG7(t *testing.T) {
	es := chained(key, 6, "s-1")
	heads, err := access.VerifyChains(stream(es), access.VerifyOptions{Key: key})
	if err != nil {
		t.Fatal(err)
	}
	anchor := privacy.Anchor{Subject: "s-1", Seq: 3, Hash: es[2].Hash}.Sign(key)
	anchors := map[privacy.SubjectID]privacy.Anchor{"s-1": anchor}
	early := access.Heads{"s-1": {Seq: 2, Hash: es[1].Hash}}
	for name, want := range map[string]access.Heads{"none": nil, "the head": heads, "pruned past": early,
		"at the anchor": {"s-1": {Seq: 3, Hash: es[2].Hash}}} {
		if _, err := access.VerifyChains(stream(es[3:]), access.VerifyOptions{Key: key, Anchors: anchors, Want: want}); err != nil {
			t.Errorf("%s: pruned chain = %v", name, err)
		}
	}
	_, err = access.VerifyChains(stream(es[3:]), access.VerifyOptions{Key: key, Anchors: anchors,
		Want: access.Heads{"s-1": {Seq: 3, Hash: es[1].Hash}}})
	wantChainBreak(t, err, access.ErrTampered, "s-1", 3, access.ProblemRewritten)
	forged := privacy.Anchor{Subject: "s-1", Seq: 4, Hash: es[3].Hash}.Sign([]byte("not the key"))
	_, err = access.VerifyChains(stream(es[4:]), access.VerifyOptions{Key: key, Anchors: map[privacy.SubjectID]privacy.Anchor{"s-1": forged}})
	wantChainBreak(t, err, access.ErrTampered, "s-1", 4, access.ProblemForgedAnchor)
	// Pruned events left in place, or the first kept one removed.
	_, err = access.VerifyChains(stream(es[2:]), access.VerifyOptions{Key: key, Anchors: anchors})
	wantChainBreak(t, err, access.ErrTampered, "s-1", 3, access.ProblemInserted)
	_, err = access.VerifyChains(stream(es[4:]), access.VerifyOptions{Key: key, Anchors: anchors})
	wantChainBreak(t, err, access.ErrTampered, "s-1", 4, access.ProblemMissing)
}

// TestCheckpointsG7: both keepers merge heads and never move one back; the
// file is written whole, its owner's only, and read back.
func TestCheckpointsG7(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	path := filepath.Join(dir, "checkpoints.json")
	h1 := privacy.Hash{1}
	for name, cps := range map[string]access.Checkpoints{"memory": &access.MemoryCheckpoints{}, "file": access.NewFileCheckpoints(path)} {
		t.Run(name, func(t *testing.T) {
			if got, err := cps.Load(ctx); err != nil || len(got) != 0 {
				t.Fatalf("Load of nothing = %v, %v", got, err)
			}
			if err := cps.Save(ctx, access.Heads{"": {Seq: 5, Hash: h1}, "s-1": {Seq: 2}}); err != nil {
				t.Fatal(err)
			}
			if err := cps.Save(ctx, access.Heads{"": {Seq: 3}, "s-2": {Seq: 1}}); err != nil {
				t.Fatal(err)
			}
			got, err := cps.Load(ctx)
			if err != nil || len(got) != 3 || got[""] != (access.Checkpoint{Seq: 5, Hash: h1}) || got["s-2"].Seq != 1 {
				t.Errorf("Load = %v, %v; want the later head of each chain", got, err)
			}
			// Saves that race keep the latest of each.
			var wg sync.WaitGroup
			for i := range 8 {
				wg.Go(func() {
					if err := cps.Save(ctx, access.Heads{"s-1": {Seq: uint64(10 + i)}}); err != nil {
						t.Error(err)
					}
				})
			}
			wg.Wait()
			if got, _ := cps.Load(ctx); got["s-1"].Seq != 17 {
				t.Errorf("after racing saves s-1 is at %d, want 17", got["s-1"].Seq)
			}
		})
	}
	info, err := os.Stat(path)
	if err != nil || info.Mode().Perm() != 0o600 {
		t.Errorf("the checkpoint file: %v, %v; want mode 0600", info, err)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("%d files beside the checkpoints: a temporary file was left", len(entries)-1)
	}
	if err := os.WriteFile(path, []byte("{not json"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := access.NewFileCheckpoints(path).Load(ctx); !errors.Is(err, privacy.ErrInvalid) {
		t.Errorf("Load(damaged file) = %v, want ErrInvalid", err)
	}
	if err := access.NewFileCheckpoints(path).Save(ctx, access.Heads{"": {Seq: 1}}); !errors.Is(err, privacy.ErrInvalid) {
		t.Errorf("Save over a damaged file = %v, want ErrInvalid (it must not lose the heads kept)", err)
	}
}

// FuzzFileCheckpoints: whatever the file holds, Load reads it or refuses
// it with ErrInvalid, never panics, and what it reads saves and reads back
// the same.
func FuzzFileCheckpoints(f *testing.F) {
	f.Add([]byte(`{"chains":{"":{"seq":3,"hash":"` + privacy.Hash{}.String() + `"}}}`))
	f.Add([]byte(`{"chains":null}`))
	f.Add([]byte(`[]`))
	f.Fuzz(func(t *testing.T, b []byte) {
		ctx := context.Background()
		path := filepath.Join(t.TempDir(), "c.json")
		if err := os.WriteFile(path, b, 0o600); err != nil {
			t.Fatal(err)
		}
		got, err := access.NewFileCheckpoints(path).Load(ctx)
		if err != nil {
			if !errors.Is(err, privacy.ErrInvalid) {
				t.Fatalf("Load = %v, want ErrInvalid", err)
			}
			return
		}
		other := filepath.Join(t.TempDir(), "d.json")
		if err := access.NewFileCheckpoints(other).Save(ctx, got); err != nil {
			t.Fatal(err)
		}
		back, err := access.NewFileCheckpoints(other).Load(ctx)
		if err != nil || len(back) != len(got) {
			t.Fatalf("read back %v, %v; want %v", back, err, got)
		}
		for id, cp := range got {
			if back[id] != cp {
				t.Errorf("chain %q: %v, want %v", id, back[id], cp)
			}
		}
	})
}

// TestCheckpointsG7RefuseRewrittenHead: a head saved with the number of the
// kept head but another hash is a chain rewritten from that event on (an
// event deleted and the next one appended under its number): both keepers
// refuse it with ErrTampered naming the chain and keep every head as it
// was, never replacing the kept one.
func TestCheckpointsG7RefuseRewrittenHead(t *testing.T) {
	ctx := context.Background()
	kept := access.Heads{"": {Seq: 4, Hash: privacy.Hash{4}}, "s-1": {Seq: 7, Hash: privacy.Hash{7}}}
	for _, tc := range []struct {
		name string
		cps  access.Checkpoints
	}{
		{"memory", &access.MemoryCheckpoints{}},
		{"file", access.NewFileCheckpoints(filepath.Join(t.TempDir(), "c.json"))},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if err := tc.cps.Save(ctx, kept); err != nil {
				t.Fatal(err)
			}
			err := tc.cps.Save(ctx, access.Heads{"": {Seq: 5, Hash: privacy.Hash{5}}, "s-1": {Seq: 7, Hash: privacy.Hash{8}}})
			wantChainBreak(t, err, access.ErrTampered, "s-1", 7, access.ProblemRewritten)
			got, err := tc.cps.Load(ctx)
			if err != nil || len(got) != 2 || got[""] != kept[""] || got["s-1"] != kept["s-1"] {
				t.Errorf("after the refused save Load = %v, %v; want %v unchanged", got, err, kept)
			}
			// The same head again, or a later one, is no conflict.
			if err := tc.cps.Save(ctx, access.Heads{"s-1": {Seq: 7, Hash: privacy.Hash{7}}}); err != nil {
				t.Errorf("saving the kept head again: %v", err)
			}
			if err := tc.cps.Save(ctx, access.Heads{"s-1": {Seq: 8, Hash: privacy.Hash{8}}}); err != nil {
				t.Errorf("saving a later head: %v", err)
			}
		})
	}
}

// TestFileCheckpointsG7VanishedOrMovedBack: once a FileCheckpoints has read
// or written its file, a file deleted or put back to older heads is not
// "no heads yet": Load and Save fail with ErrTampered and write nothing. A
// new value trusts what it finds first (trust on first use).
func TestFileCheckpointsG7VanishedOrMovedBack(t *testing.T) {
	ctx := context.Background()
	older := access.Heads{"s-1": {Seq: 3, Hash: privacy.Hash{3}}}
	newer := access.Heads{"s-1": {Seq: 9, Hash: privacy.Hash{9}}}
	write := func(t *testing.T, path string, h access.Heads) {
		t.Helper()
		if err := access.NewFileCheckpoints(path).Save(ctx, h); err != nil {
			t.Fatal(err)
		}
	}
	for _, tc := range []struct {
		name  string
		first func(*access.FileCheckpoints) error // how the value first sees the file
		harm  func(t *testing.T, path string)
	}{
		{"saved_then_deleted", func(f *access.FileCheckpoints) error { return f.Save(ctx, newer) },
			func(t *testing.T, path string) { must(t, os.Remove(path)) }},
		{"loaded_then_deleted", func(f *access.FileCheckpoints) error { write(t, f.Path, newer); _, err := f.Load(ctx); return err },
			func(t *testing.T, path string) { must(t, os.Remove(path)) }},
		{"saved_then_older_copy_put_back", func(f *access.FileCheckpoints) error { return f.Save(ctx, newer) },
			func(t *testing.T, path string) { must(t, os.Remove(path)); write(t, path, older) }},
		{"saved_then_other_hash_put_back", func(f *access.FileCheckpoints) error { return f.Save(ctx, newer) },
			func(t *testing.T, path string) {
				must(t, os.Remove(path))
				write(t, path, access.Heads{"s-1": {Seq: 9, Hash: privacy.Hash{1}}})
			}},
		{"saved_then_chain_dropped", func(f *access.FileCheckpoints) error { return f.Save(ctx, newer) },
			func(t *testing.T, path string) {
				must(t, os.Remove(path))
				write(t, path, access.Heads{"s-2": {Seq: 1}})
			}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "c.json")
			f := access.NewFileCheckpoints(path)
			must(t, tc.first(f))
			tc.harm(t, path)
			before, _ := os.ReadFile(path)
			if got, err := f.Load(ctx); !errors.Is(err, access.ErrTampered) {
				t.Errorf("Load = %v, %v; want ErrTampered", got, err)
			}
			if err := f.Save(ctx, older); !errors.Is(err, access.ErrTampered) {
				t.Errorf("Save = %v; want ErrTampered", err)
			}
			if after, _ := os.ReadFile(path); string(after) != string(before) {
				t.Errorf("the refused Save rewrote the file: %s, was %s", after, before)
			}
			// A new value (a new process) trusts what it finds.
			if _, err := access.NewFileCheckpoints(path).Load(ctx); err != nil {
				t.Errorf("a new value's first Load = %v, want the file's heads (trust on first use)", err)
			}
		})
	}
	// Another value of the same file moving a head on is no rollback.
	path := filepath.Join(t.TempDir(), "c.json")
	f := access.NewFileCheckpoints(path)
	must(t, f.Save(ctx, older))
	write(t, path, newer)
	if got, err := f.Load(ctx); err != nil || got["s-1"] != newer["s-1"] {
		t.Errorf("Load after another writer moved on = %v, %v; want %v", got, err, newer)
	}
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
