package sealtest

import (
	"bytes"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"github.com/dossierwacht/dossierwacht/privacy"
	"github.com/dossierwacht/dossierwacht/seal"
)

// Copier is how the proof copies an adapter's database as a backup does.
type Copier struct {
	// New returns a fresh, empty Backend: the live database.
	New func(t *testing.T) seal.Backend
	// Backup copies b as a backup would (a copy of the file, a dump)
	// and returns the copy's bytes, which the proof searches for content
	// in the clear, and a function that restores the copy as a new
	// Backend beside the live one.
	Backup func(t *testing.T, b seal.Backend) (raw []byte, restore func(t *testing.T) seal.Backend)
}

// RunBackup is the proof that an erasure reaches the backups taken before
// it (issue 17; GDPR art. 17 and art. 5(1)(e); rules R9, O12, O13). A
// backup is taken, Anna erased, the backup restored beside the live key
// store (a [seal.FileKeys]): nothing of Anna's content opens (ErrErased,
// by every read path), Bob reads back whole, the audit trails of the live
// database and of the restored copy verify, and the backup's bytes hold
// no one's content in the clear.
func RunBackup(t *testing.T, c Copier) {
	keys, err := seal.OpenFileKeys(filepath.Join(t.TempDir(), "keys"))
	if err != nil {
		t.Fatal(err)
	}
	live := c.New(t)
	ps := people()
	anna, bob := ps[0], ps[1]
	s := Wrap(t, live, keys)
	populate(t, s, ps)

	raw, restore := c.Backup(t, live)
	if len(raw) == 0 {
		t.Fatal("the backup is empty")
	}
	for _, p := range ps {
		for _, v := range []string{p.Name, p.Note, p.MF} {
			if bytes.Contains(raw, []byte(v)) {
				t.Errorf("the backup holds %q in the clear", v)
			}
		}
	}
	// The backup holds what it should: the IDs in the clear.
	if !bytes.Contains(raw, []byte(anna.Records[0].ID)) {
		t.Errorf("the backup does not hold %s: not a copy of the database?", anna.Records[0].ID)
	}

	if err := s.DeleteSubject(t.Context(), anna.ID, Events(100, anna.ID, privacy.EventDelete)); err != nil {
		t.Fatalf("DeleteSubject: %v", err)
	}
	if proof, err := s.Erasure(t.Context(), anna.ID); err != nil || proof.Pending || len(proof.Wrapped) != 0 {
		t.Fatalf("the proof of the key's destruction: %+v, %v", proof, err)
	}
	wantGone(t, s, anna)
	wantWhole(t, s, bob)
	wantTrail(t, s)

	// The restore, beside the live key store. First a look that changes
	// nothing: the copy holds Anna's rows, and none of them opens.
	rb := restore(t)
	if _, err := rb.Subject(t.Context(), anna.ID); err != nil {
		t.Fatalf("the restored copy lacks the erased subject (not a copy from before?): %v", err)
	}
	look, err := seal.Wrap(t.Context(), rb, seal.Vault{Keys: keys, KEK: KEK(t), SkipReap: true})
	if err != nil {
		t.Fatal(err)
	}
	wantErased(t, look, anna)
	wantRawSealed(t, rb, anna)
	wantWhole(t, look, bob)
	wantTrail(t, look)
	// Nor does the copy take new content of the erased subject: only
	// CreateSubject gives an erased ID a new key.
	r := anna.Records[1].Clone()
	r.Updated = r.Updated.Add(time.Second)
	if err := look.UpdateRecord(t.Context(), r, Events(101, anna.ID, privacy.EventUpdate)); !errors.Is(err, seal.ErrErased) {
		t.Errorf("UpdateRecord of the erased subject in the copy: %v, want ErrErased", err)
	}
	// Put in service, the copy is reaped: the erasure is applied again,
	// with its own events, and the trail still verifies.
	rs := Wrap(t, rb, keys)
	got, err := rs.Reap(t.Context())
	if err != nil || len(got.Restored)+len(got.Finished)+len(got.Orphans)+len(got.Held) != 0 {
		t.Errorf("a second Reap of the restored copy = %+v, %v; want nothing left", got, err)
	}
	wantGone(t, rs, anna)
	wantWhole(t, rs, bob)
	wantTrail(t, rs)
	wantKeys(t, keys, []privacy.SubjectID{bob.ID}, []privacy.SubjectID{anna.ID})
}
