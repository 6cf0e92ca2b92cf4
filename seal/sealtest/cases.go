package sealtest

import (
	"context"
	"crypto/rand"
	"errors"
	"slices"
	"sync/atomic"
	"testing"
	"time"

	"github.com/dossierwacht/dossierwacht/privacy"
	"github.com/dossierwacht/dossierwacht/retention"
	"github.com/dossierwacht/dossierwacht/seal"
)

func testSealedAtRest(t *testing.T, w *world) {
	// What reaches the Backend is sealed; IDs, categories, dates and
	// field names stay as they were; reads give back what was written.
	for _, p := range w.people {
		wantWhole(t, w.s, p)
		wantRawSealed(t, w.b, p)
	}
	r := w.anna.Records[1].Clone()
	r.Fields[privacy.FieldText] = "Anna: rugklachten verminderd"
	r.Updated = r.Updated.Add(time.Hour)
	if err := w.s.UpdateRecord(w.ctx, r, w.events(w.anna.ID, privacy.EventUpdate)); err != nil {
		t.Fatalf("UpdateRecord: %v", err)
	}
	w.anna.Records[1] = r
	m := w.anna.Medical[0].Clone()
	m.Fields[privacy.FieldText] = "Hernia hersteld"
	m.Updated = m.Updated.Add(time.Hour)
	if err := w.s.UpdateMedicalRecord(w.ctx, m, w.events(w.anna.ID, privacy.EventUpdate)); err != nil {
		t.Fatalf("UpdateMedicalRecord: %v", err)
	}
	w.anna.Medical[0], w.anna.MF = m, m.Fields[privacy.FieldText]
	wantWhole(t, w.s, w.anna)
	wantRawSealed(t, w.b, w.anna)
	// A value written before sealing was switched on reads as it is.
	raw, _ := w.b.Record(w.ctx, w.bob.Records[0].ID)
	raw.Fields[privacy.FieldCity] = "Zwolle"
	if err := w.b.UpdateRecord(w.ctx, raw, w.events(w.bob.ID, privacy.EventUpdate)); err != nil {
		t.Fatal(err)
	}
	if got, err := w.s.Record(w.ctx, raw.ID); err != nil || got.Fields[privacy.FieldCity] != "Zwolle" ||
		got.Fields[privacy.FieldName] != w.bob.Name {
		t.Errorf("a record with an unsealed value: %v, %v", got.Fields, err)
	}
	wantTrail(t, w.s)
}

func testTampered(t *testing.T, w *world) {
	// A sealed value changed, or moved to another subject, record or
	// field, fails with ErrTampered (and ErrInvalid): the AAD binds it to
	// its place. The store is not changed by the read. In a listing it
	// reads as seal.UnreadableText.
	rawAnna, _ := w.b.Record(w.ctx, w.anna.Records[0].ID)
	rawNote, _ := w.b.Record(w.ctx, w.anna.Records[1].ID)
	rawBob, _ := w.b.Record(w.ctx, w.bob.Records[0].ID)
	flip := func(v string) string {
		b := []byte(v)
		i := len(b) / 2
		if b[i] == 'A' {
			b[i] = 'B'
		} else {
			b[i] = 'A'
		}
		return string(b)
	}
	for _, tc := range []struct {
		name  string
		id    privacy.RecordID
		field privacy.Field
		value string
	}{
		{"another subject's value", w.bob.Records[0].ID, privacy.FieldName, rawAnna.Fields[privacy.FieldName]},
		{"another record's value", w.anna.Records[0].ID, privacy.FieldName, rawNote.Fields[privacy.FieldText]},
		{"another field's value", w.anna.Records[0].ID, privacy.FieldName, rawAnna.Fields[privacy.FieldCity]},
		{"a changed byte", w.bob.Records[0].ID, privacy.FieldName, flip(rawBob.Fields[privacy.FieldName])},
		{"truncated", w.bob.Records[0].ID, privacy.FieldName, rawBob.Fields[privacy.FieldName][:20]},
		{"not base64", w.bob.Records[0].ID, privacy.FieldName, "dwseal1.!!!!"},
		{"empty", w.bob.Records[0].ID, privacy.FieldName, "dwseal1."},
	} {
		raw, err := w.b.Record(w.ctx, tc.id)
		if err != nil {
			t.Fatal(err)
		}
		orig := raw.Fields[tc.field]
		raw.Fields[tc.field] = tc.value
		if err := w.b.UpdateRecord(w.ctx, raw, w.events(raw.Subject, privacy.EventUpdate)); err != nil {
			t.Fatal(err)
		}
		_, err = w.s.Record(w.ctx, tc.id)
		if !errors.Is(err, seal.ErrTampered) || !errors.Is(err, privacy.ErrInvalid) {
			t.Errorf("%s: Record = %v, want ErrTampered", tc.name, err)
		}
		// Rules O4, O10, G1: in a listing the value reads as
		// seal.UnreadableText; the listing neither fails (a reader who
		// may not see the record would learn of it, and lose what they
		// may see) nor drops the record (an export says what it lacks).
		rs, err := collect(w.s.CaseRecords(w.ctx, raw.Case))
		found := false
		for _, r := range rs {
			if r.ID == tc.id {
				found = true
				if got := r.Fields[tc.field]; got != seal.UnreadableText {
					t.Errorf("%s: CaseRecords has %s = %q, want %q", tc.name, tc.field, got, seal.UnreadableText)
				}
			}
		}
		if err != nil || !found {
			t.Errorf("%s: CaseRecords = %d records (the tampered one among them: %v), %v; want every record", tc.name, len(rs), found, err)
		}
		raw.Fields[tc.field] = orig
		if err := w.b.UpdateRecord(w.ctx, raw, w.events(raw.Subject, privacy.EventUpdate)); err != nil {
			t.Fatal(err)
		}
	}
	// A value of the medical file moved to the other file does not open.
	rawM, _ := w.b.MedicalRecord(w.ctx, w.anna.Medical[0].ID)
	rawNote.Fields[privacy.FieldText] = rawM.Fields[privacy.FieldText]
	if err := w.b.UpdateRecord(w.ctx, rawNote, w.events(w.anna.ID, privacy.EventUpdate)); err != nil {
		t.Fatal(err)
	}
	if _, err := w.s.Record(w.ctx, rawNote.ID); !errors.Is(err, seal.ErrTampered) {
		t.Errorf("a medical value in the other file: %v, want ErrTampered", err)
	}
}

func testHeld(t *testing.T, w *world) {
	// Rule G3: a subject a standing hold keeps is not erased; its key is
	// not touched and its content reads back whole.
	h := retention.Hold{ID: "h-1", Subject: w.anna.ID, Ground: retention.GroundLegalClaim, Reason: "C/16/123",
		PlacedBy: "po-1", Placed: T0.Add(24 * time.Hour)}
	if err := w.s.PlaceHold(w.ctx, h, w.events(w.anna.ID, privacy.EventCreate)[0]); err != nil {
		t.Fatalf("PlaceHold: %v", err)
	}
	err := w.s.DeleteSubject(w.ctx, w.anna.ID, w.events(w.anna.ID, privacy.EventDelete))
	if !errors.Is(err, privacy.ErrForbidden) || privacy.RuleOf(err) != privacy.G3 {
		t.Fatalf("G3: DeleteSubject of a held subject = %v, want ErrForbidden naming G3", err)
	}
	if e, err := w.keys.Get(w.ctx, w.anna.ID); err != nil || e.Destroyed() {
		t.Errorf("G3: the held subject's key: %+v, %v", e, err)
	}
	fresh := reopen(t, w)
	wantWhole(t, fresh, w.anna)
}

// reopen returns a new Store over the world's Backend and keys, with no
// cached key: what another process, or a restart, reads.
func reopen(t *testing.T, w *world) *seal.Store {
	t.Helper()
	return Wrap(t, w.b, w.keys)
}

// wantKeys checks the key store: the subjects with a live key, those with
// a finished tombstone, and no pending one.
func wantKeys(t *testing.T, keys seal.Keys, live, erased []privacy.SubjectID) {
	t.Helper()
	es, err := keys.List(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var gotLive, gotErased []privacy.SubjectID
	for _, e := range es {
		switch {
		case e.Pending:
			t.Errorf("the tombstone of %s is still pending", e.Subject)
		case e.Destroyed():
			gotErased = append(gotErased, e.Subject)
		default:
			gotLive = append(gotLive, e.Subject)
		}
	}
	if !slices.Equal(gotLive, live) || !slices.Equal(gotErased, erased) {
		t.Errorf("keys: live %v, erased %v; want live %v, erased %v", gotLive, gotErased, live, erased)
	}
}

func testErase(t *testing.T, w *world) {
	// Rules R9, O12, O13 (GDPR art. 17): the erasure destroys the key,
	// deletes the rows, and keeps the proof of the key's destruction.
	before, _ := w.keys.Get(w.ctx, w.anna.ID)
	if err := w.s.DeleteSubject(w.ctx, w.anna.ID, w.events(w.anna.ID, privacy.EventDelete)); err != nil {
		t.Fatalf("DeleteSubject: %v", err)
	}
	proof, err := w.s.Erasure(w.ctx, w.anna.ID)
	if err != nil || proof.Pending || proof.KeyID != before.KeyID || len(proof.Wrapped) != 0 ||
		!proof.Erased.Equal(T0.Add(11*time.Minute)) {
		t.Errorf("the proof of the key's destruction: %+v, %v", proof, err)
	}
	if _, err := w.s.Erasure(w.ctx, w.bob.ID); !errors.Is(err, privacy.ErrNotFound) {
		t.Errorf("Erasure of a subject whose key lives: %v, want ErrNotFound", err)
	}
	wantGone(t, w.s, w.anna)
	wantWhole(t, w.s, w.bob)
	wantKeys(t, w.keys, []privacy.SubjectID{w.bob.ID}, []privacy.SubjectID{w.anna.ID})
	wantTrail(t, w.s)
	// Nothing the Backend refuses touches the key.
	for _, tc := range []struct {
		name string
		id   privacy.SubjectID
		ev   []privacy.Event
		kind error
	}{
		{"missing", "s-nobody", w.events("s-nobody", privacy.EventDelete), privacy.ErrNotFound},
		{"no events (G7)", w.bob.ID, nil, privacy.ErrInvalid},
		{"malformed ID", "../etc", w.events("s-x", privacy.EventDelete), nil}, // ErrInvalid or ErrNotFound, as the Backend says
	} {
		if err := w.s.DeleteSubject(w.ctx, tc.id, tc.ev); err == nil || tc.kind != nil && !errors.Is(err, tc.kind) {
			t.Errorf("DeleteSubject(%s) = %v, want %v", tc.name, err, tc.kind)
		}
	}
	wantKeys(t, w.keys, []privacy.SubjectID{w.bob.ID}, []privacy.SubjectID{w.anna.ID})
	wantWhole(t, reopen(t, w), w.bob)
}

// failing is a Backend whose subject deletions fail without deleting
// anything (a lost connection, a full disk).
type failing struct{ seal.Backend }

func (failing) DeleteSubject(context.Context, privacy.SubjectID, []privacy.Event) error {
	return &privacy.Error{Op: "delete subject", Kind: privacy.ErrUnavailable, Msg: "injected"}
}

func testFailedDeletion(t *testing.T, w *world) {
	// A deletion that fails after the key's destruction puts the key
	// back: the store is as it was (the store contract: a failed method
	// changes nothing).
	s := Wrap(t, failing{w.b}, w.keys)
	err := s.DeleteSubject(w.ctx, w.anna.ID, w.events(w.anna.ID, privacy.EventDelete))
	if !errors.Is(err, privacy.ErrUnavailable) {
		t.Fatalf("DeleteSubject on a failing Backend = %v, want ErrUnavailable", err)
	}
	wantKeys(t, w.keys, []privacy.SubjectID{w.anna.ID, w.bob.ID}, nil)
	wantWhole(t, s, w.anna)
	wantWhole(t, reopen(t, w), w.anna)
}

// crash is a key store and Backend that stop, as a process that dies
// does, at a chosen step of an erasure: every call after it fails.
type crash struct {
	seal.Keys
	b     seal.Backend
	at    func(e seal.Entry) bool // the Put after which the process dies
	dead  atomic.Bool
	after bool // the Put that dies is stored (true) or lost (false)
}

var errCrashed = &privacy.Error{Op: "crash", Kind: privacy.ErrUnavailable, Msg: "the process died"}

func (c *crash) Put(ctx context.Context, e seal.Entry) error {
	if c.dead.Load() {
		return errCrashed
	}
	if c.at(e) {
		c.dead.Store(true)
		if !c.after {
			return errCrashed
		}
	}
	return c.Keys.Put(ctx, e)
}

func (c *crash) Get(ctx context.Context, s privacy.SubjectID) (seal.Entry, error) {
	if c.dead.Load() {
		return seal.Entry{}, errCrashed
	}
	return c.Keys.Get(ctx, s)
}

// backend is the crashing process's Backend.
type crashBackend struct {
	seal.Backend
	c *crash
}

func (b crashBackend) DeleteSubject(ctx context.Context, id privacy.SubjectID, ev []privacy.Event) error {
	if b.c.dead.Load() {
		return errCrashed
	}
	return b.Backend.DeleteSubject(ctx, id, ev)
}

func (b crashBackend) Subject(ctx context.Context, id privacy.SubjectID) (privacy.Subject, error) {
	if b.c.dead.Load() {
		return privacy.Subject{}, errCrashed
	}
	return b.Backend.Subject(ctx, id)
}

func testCrashBeforeRows(t *testing.T, w *world) {
	// Fault injection: the process dies after the key's destruction and
	// before the rows' deletion. Nothing of the subject is readable from
	// that moment; the next Wrap (a restart) deletes the rows; nothing
	// pending or orphaned is left.
	c := &crash{Keys: w.keys, after: true, at: func(e seal.Entry) bool { return e.Pending }}
	c.b = crashBackend{w.b, c}
	s := Wrap(t, c.b.(crashBackend), c)
	if err := s.DeleteSubject(w.ctx, w.anna.ID, w.events(w.anna.ID, privacy.EventDelete)); err == nil {
		t.Fatal("DeleteSubject went through a crash")
	}
	e, err := w.keys.Get(w.ctx, w.anna.ID)
	if err != nil || !e.Destroyed() || !e.Pending {
		t.Fatalf("after the crash the key store holds %+v, %v; want a pending tombstone", e, err)
	}
	if _, err := w.b.Subject(w.ctx, w.anna.ID); err != nil {
		t.Fatalf("the crash came before the rows' deletion, yet: %v", err)
	}
	// What the crash left: rows without a key. A look that changes
	// nothing reads none of them.
	look, err := seal.Wrap(w.ctx, w.b, seal.Vault{Keys: w.keys, KEK: KEK(t), SkipReap: true})
	if err != nil {
		t.Fatal(err)
	}
	wantErased(t, look, w.anna)
	wantRawSealed(t, w.b, w.anna)
	// The restart reaps.
	s2, err := seal.Wrap(w.ctx, w.b, seal.Vault{Keys: w.keys, KEK: KEK(t), SkipReap: true})
	if err != nil {
		t.Fatal(err)
	}
	got, err := s2.Reap(w.ctx)
	if err != nil || !slices.Equal(got.Finished, []privacy.SubjectID{w.anna.ID}) || len(got.Orphans)+len(got.Held) != 0 {
		t.Errorf("Reap after the crash = %+v, %v; want anna finished", got, err)
	}
	wantGone(t, s2, w.anna)
	wantWhole(t, s2, w.bob)
	wantKeys(t, w.keys, []privacy.SubjectID{w.bob.ID}, []privacy.SubjectID{w.anna.ID})
	wantTrail(t, s2)
	// The erasure's own events were appended by the reaper.
	var found bool
	for ev, err := range w.b.SubjectEvents(w.ctx, w.anna.ID, 1) {
		if err != nil {
			t.Fatal(err)
		}
		found = found || ev.Action == privacy.EventDelete
	}
	if !found {
		t.Error("the reaped erasure left no delete event")
	}
	if got, err := s2.Reap(w.ctx); err != nil || len(got.Finished)+len(got.Orphans)+len(got.Held) != 0 {
		t.Errorf("a second Reap = %+v, %v; want nothing left", got, err)
	}
}

func testCrashAfterRows(t *testing.T, w *world) {
	// Fault injection: the process dies after the rows' deletion and
	// before the tombstone is marked done. The restart finds the subject
	// gone and finishes the tombstone.
	c := &crash{Keys: w.keys, at: func(e seal.Entry) bool { return e.Destroyed() && !e.Pending }}
	c.b = crashBackend{w.b, c}
	s := Wrap(t, c.b.(crashBackend), c)
	if err := s.DeleteSubject(w.ctx, w.anna.ID, w.events(w.anna.ID, privacy.EventDelete)); err == nil {
		t.Fatal("DeleteSubject went through a crash")
	}
	if e, err := w.keys.Get(w.ctx, w.anna.ID); err != nil || !e.Pending {
		t.Fatalf("after the crash: %+v, %v; want a pending tombstone", e, err)
	}
	wantGone(t, w.b, w.anna)
	s2 := reopen(t, w) // Wrap reaps
	wantKeys(t, w.keys, []privacy.SubjectID{w.bob.ID}, []privacy.SubjectID{w.anna.ID})
	wantWhole(t, s2, w.bob)
	wantTrail(t, s2)
}

func testOrphan(t *testing.T, w *world) {
	// A subject deleted by another path than the Store (a sweep of the
	// Backend, a DBA's delete) leaves a key without a subject: Reap
	// destroys it, so that no copy of the database opens with it, keeping
	// the deletion's audit event (from the trail) in the tombstone.
	del := w.events(w.bob.ID, privacy.EventDelete)
	if err := w.b.DeleteSubject(w.ctx, w.bob.ID, del); err != nil {
		t.Fatal(err)
	}
	got, err := w.s.Reap(w.ctx)
	if err != nil || !slices.Equal(got.Orphans, []privacy.SubjectID{w.bob.ID}) || len(got.Finished) != 0 {
		t.Errorf("Reap = %+v, %v; want bob's key an orphan", got, err)
	}
	proof, err := w.s.Erasure(w.ctx, w.bob.ID)
	if err != nil || len(proof.Wrapped) != 0 || len(proof.Events) != 1 || proof.Events[0].Object != del[0].Object ||
		!proof.Erased.Equal(del[0].Time) {
		t.Errorf("the orphan key's tombstone: %+v, %v; want the deletion's event", proof, err)
	}
	wantKeys(t, w.keys, []privacy.SubjectID{w.anna.ID}, []privacy.SubjectID{w.bob.ID})
	wantWhole(t, w.s, w.anna)
	if got, err := w.s.Reap(w.ctx); err != nil || len(got.Orphans)+len(got.Restored)+len(got.Held)+len(got.Finished) != 0 {
		t.Errorf("a second Reap = %+v, %v", got, err)
	}
}

func testRotate(t *testing.T, w *world) {
	// The KEK rotates without re-encrypting content: the data keys are
	// re-wrapped, the sealed values stay byte for byte.
	var k [32]byte
	_, _ = rand.Read(k[:])
	k2, err := seal.NewLocalKEK(k[:])
	if err != nil {
		t.Fatal(err)
	}
	rawBefore, _ := w.b.Record(w.ctx, w.anna.Records[0].ID)
	n, err := seal.Rotate(w.ctx, w.keys, KEK(t), k2)
	if err != nil || n != 2 {
		t.Fatalf("Rotate = %d, %v; want 2", n, err)
	}
	if n, err := seal.Rotate(w.ctx, w.keys, KEK(t), k2); err != nil || n != 0 {
		t.Errorf("Rotate again = %d, %v; want 0", n, err)
	}
	rawAfter, _ := w.b.Record(w.ctx, w.anna.Records[0].ID)
	if rawAfter.Fields[privacy.FieldName] != rawBefore.Fields[privacy.FieldName] {
		t.Error("rotation re-encrypted content")
	}
	s2, err := seal.Wrap(w.ctx, w.b, seal.Vault{Keys: w.keys, KEK: k2})
	if err != nil {
		t.Fatal(err)
	}
	wantWhole(t, s2, w.anna)
	wantWhole(t, s2, w.bob)
	old := reopen(t, w) // under the old KEK only
	if _, err := old.Record(w.ctx, w.anna.Records[0].ID); !errors.Is(err, seal.ErrNoKEK) || !errors.Is(err, privacy.ErrUnavailable) {
		t.Errorf("a Store without the new KEK: %v, want ErrNoKEK", err)
	}
	both, err := seal.Wrap(w.ctx, w.b, seal.Vault{Keys: w.keys, KEK: KEK(t), Previous: []seal.KEK{k2}})
	if err != nil {
		t.Fatal(err)
	}
	wantWhole(t, both, w.bob)
}

func testIDUsedAgain(t *testing.T, w *world) {
	// A subject erased and its ID used again gets a new key; a value of
	// the earlier subject (from a backup) reads as erased, not as the new
	// subject's.
	rawOld, _ := w.b.Record(w.ctx, w.anna.Records[1].ID)
	if err := w.s.DeleteSubject(w.ctx, w.anna.ID, w.events(w.anna.ID, privacy.EventDelete)); err != nil {
		t.Fatal(err)
	}
	again := people()[:1]
	again[0].Name, again[0].Note, again[0].MF = "Anna Bakker", "Een andere Anna", "Niets bijzonders"
	populate(t, w.s, again)
	wantWhole(t, w.s, again[0])
	wantWhole(t, reopen(t, w), again[0])
	raw, _ := w.b.Record(w.ctx, again[0].Records[1].ID)
	raw.Fields[privacy.FieldText] = rawOld.Fields[privacy.FieldText]
	if err := w.b.UpdateRecord(w.ctx, raw, w.events(w.anna.ID, privacy.EventUpdate)); err != nil {
		t.Fatal(err)
	}
	if _, err := w.s.Record(w.ctx, raw.ID); !errors.Is(err, seal.ErrErased) {
		t.Errorf("a value of the erased earlier subject: %v, want ErrErased", err)
	}
}

// sweeper is a Backend whose sweep erases the subject with its record, as
// a sweep of a subject's last data may.
type sweeper struct{ seal.Backend }

func (s sweeper) EraseRecord(ctx context.Context, p retention.Proof, e privacy.Event) error {
	return s.Backend.DeleteSubject(ctx, p.Subject, []privacy.Event{e})
}

func testSweepErasesSubject(t *testing.T, w *world) {
	// Rules R9, O12: a sweep that leaves a subject without its row
	// destroys the subject's key at once, with the sweep's event as the
	// proof; a backup taken before opens nothing of it.
	s := Wrap(t, sweeper{w.b}, w.keys)
	ev := w.events(w.anna.ID, privacy.EventDelete)[0]
	p := retention.Proof{Record: w.anna.Records[0].ID, Case: w.anna.Case, Subject: w.anna.ID, Category: privacy.CategoryIdentity,
		Updated: w.anna.Records[0].Updated, Deleted: ev.Time, Rule: privacy.O12}
	if err := s.EraseRecord(w.ctx, p, ev); err != nil {
		t.Fatalf("EraseRecord: %v", err)
	}
	proof, err := s.Erasure(w.ctx, w.anna.ID)
	if err != nil || proof.Pending || !proof.Erased.Equal(ev.Time) {
		t.Errorf("the proof of the key's destruction after a sweep: %+v, %v", proof, err)
	}
	wantKeys(t, w.keys, []privacy.SubjectID{w.bob.ID}, []privacy.SubjectID{w.anna.ID})
	// A sweep that leaves the subject keeps the key.
	ev2 := w.events(w.bob.ID, privacy.EventDelete)[0]
	p2 := retention.Proof{Record: w.bob.Records[1].ID, Case: w.bob.Case, Subject: w.bob.ID, Category: privacy.CategoryNotes,
		Updated: w.bob.Records[1].Updated, Deleted: ev2.Time, Rule: privacy.O12}
	if err := w.s.EraseRecord(w.ctx, p2, ev2); err != nil {
		t.Fatalf("EraseRecord: %v", err)
	}
	wantKeys(t, w.keys, []privacy.SubjectID{w.bob.ID}, []privacy.SubjectID{w.anna.ID})
	if _, err := w.s.Record(w.ctx, w.bob.Records[0].ID); err != nil {
		t.Errorf("bob's other record after a sweep of one: %v", err)
	}
}

// slowGet is a key store whose first Get of a subject reads the entry and
// then waits for a signal before it returns it: a reader that read the key
// just before an erasure destroyed it.
type slowGet struct {
	seal.Keys
	subject privacy.SubjectID
	read    chan struct{} // closed when the first Get has read
	release chan struct{} // the first Get returns when closed
	once    atomic.Bool
}

func (k *slowGet) Get(ctx context.Context, s privacy.SubjectID) (seal.Entry, error) {
	e, err := k.Keys.Get(ctx, s)
	if s == k.subject && k.once.CompareAndSwap(false, true) {
		close(k.read)
		<-k.release
	}
	return e, err
}

func testReadRacingErasure(t *testing.T, w *world) {
	// A read that fetched the key just before the erasure destroyed it
	// does not put it back in the Store's cache: after a crash between
	// the key's destruction and the rows', the same Store reads nothing
	// of the subject either.
	slow := &slowGet{Keys: w.keys, subject: w.anna.ID, read: make(chan struct{}), release: make(chan struct{})}
	c := &crash{Keys: slow, after: true, at: func(e seal.Entry) bool { return e.Pending }}
	c.b = crashBackend{w.b, c}
	s := Wrap(t, c.b.(crashBackend), c)
	done := make(chan error)
	go func() {
		_, err := s.Record(w.ctx, w.anna.Records[0].ID)
		done <- err
	}()
	<-slow.read
	if err := s.DeleteSubject(w.ctx, w.anna.ID, w.events(w.anna.ID, privacy.EventDelete)); err == nil {
		t.Fatal("DeleteSubject went through a crash")
	}
	close(slow.release)
	if err := <-done; err != nil {
		t.Logf("the racing read: %v", err) // it read before the erasure: either outcome is its own
	}
	if r, err := s.Record(w.ctx, w.anna.Records[0].ID); err == nil {
		t.Errorf("after the erasure's crash the Store still reads %v: the destroyed key came back to its cache", r.Fields)
	}
}

// refusing is a Backend that refuses every new subject.
type refusing struct{ seal.Backend }

func (refusing) CreateSubject(context.Context, privacy.Subject, []privacy.Event) error {
	return &privacy.Error{Op: "create subject", Kind: privacy.ErrUnavailable, Msg: "injected"}
}

func testCreateRefused(t *testing.T, w *world) {
	// A subject the Backend refuses leaves the key store as it was: no
	// key for a new ID, the tombstone of an erased one.
	for _, p := range w.people {
		if e, err := w.keys.Get(w.ctx, p.ID); err != nil || len(e.Former) != 0 || e.Destroyed() {
			t.Errorf("the key of new subject %s: %+v, %v; want a live key with no former ones", p.ID, e, err)
		}
	}
	s := Wrap(t, refusing{w.b}, w.keys)
	sub, _ := privacy.NewSubject("s-carl", "employer-1", T0)
	if err := s.CreateSubject(w.ctx, sub, w.events(sub.ID, privacy.EventCreate)); !errors.Is(err, privacy.ErrUnavailable) {
		t.Fatalf("CreateSubject on a refusing Backend = %v", err)
	}
	if _, err := w.keys.Get(w.ctx, sub.ID); !errors.Is(err, privacy.ErrNotFound) {
		t.Errorf("a refused subject left a key: %v", err)
	}
	if err := w.s.DeleteSubject(w.ctx, w.anna.ID, w.events(w.anna.ID, privacy.EventDelete)); err != nil {
		t.Fatal(err)
	}
	before, _ := w.keys.Get(w.ctx, w.anna.ID)
	again, _ := privacy.NewSubject(w.anna.ID, "employer-1", T0)
	if err := s.CreateSubject(w.ctx, again, w.events(w.anna.ID, privacy.EventCreate)); !errors.Is(err, privacy.ErrUnavailable) {
		t.Fatalf("CreateSubject on a refusing Backend = %v", err)
	}
	if after, err := w.keys.Get(w.ctx, w.anna.ID); err != nil || !after.Destroyed() || after.KeyID != before.KeyID {
		t.Errorf("a refused subject of an erased ID: the tombstone is now %+v, %v", after, err)
	}
}

func testObjectSweepRemovesSubject(t *testing.T, w *world) {
	// Rules R9, O12: a sweep of the stored data besides records removes
	// the subject last, once nothing else of them is left; the sealed
	// store destroys the subject's key with it, the sweep's event in the
	// tombstone. A sweep of another kind of data leaves the key.
	s := w.s
	if !s.SweepsObjects() {
		t.Skip("the Backend does not sweep stored data besides records (retention.ObjectStore)")
	}
	if err := w.b.DeleteCase(w.ctx, w.bob.Case, w.events(w.bob.ID, privacy.EventDelete)); err != nil {
		t.Fatal(err)
	}
	ev := w.events(w.bob.ID, privacy.EventDelete)[0]
	p := retention.ObjectProof{Kind: privacy.DataSubject, ID: string(w.bob.ID), Subject: w.bob.ID, Deleted: ev.Time,
		Rule: privacy.O12, Policy: "sealtest", By: "po-1"}
	if err := s.EraseObject(w.ctx, p, ev); err != nil {
		t.Fatalf("EraseObject(subject): %v", err)
	}
	proof, err := s.Erasure(w.ctx, w.bob.ID)
	if err != nil || proof.Pending || !proof.Erased.Equal(ev.Time) {
		t.Errorf("the proof of the key's destruction after the subject's sweep: %+v, %v", proof, err)
	}
	wantKeys(t, w.keys, []privacy.SubjectID{w.anna.ID}, []privacy.SubjectID{w.bob.ID})
	wantWhole(t, s, w.anna)
}
