package seal

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"iter"
	"reflect"
	"slices"
	"sync"
	"time"

	"github.com/dossierwacht/dossierwacht/access"
	"github.com/dossierwacht/dossierwacht/consent"
	"github.com/dossierwacht/dossierwacht/privacy"
	"github.com/dossierwacht/dossierwacht/retention"
	"github.com/dossierwacht/dossierwacht/rights"
)

// Backend is the store Wrap seals: the union of the packages' stores, the
// same method set as the front door's dossierwacht.Store (declared here so
// that this package need not import the front door, which imports it).
type Backend interface {
	privacy.Store
	access.Store
	consent.Store
	retention.Store
	rights.Store
}

// Vault is what sealing needs: where the subjects' keys are kept and the
// key-encryption key that wraps them.
type Vault struct {
	// Keys keeps the wrapped data keys, apart from the database.
	Keys Keys
	// KEK wraps new data keys and unwraps those it wrapped.
	KEK KEK
	// Previous are older KEKs, for data keys [Rotate] has not re-wrapped
	// yet; they unwrap and never wrap.
	Previous []KEK
	// SkipReap makes Wrap leave the key store and the Backend as they
	// are, for a look at a copy (a restored backup, the state a crash
	// left) that must not change it. A Store in service reaps.
	SkipReap bool
	// Clock is the time of the key store's housekeeping: when a key of a
	// subject being created was added, and whether [CreationGrace] has
	// passed since (see [Store.Reap]). Nil is time.Now. Processes sharing
	// a key store should have clocks that agree to well within the grace.
	Clock func() time.Time
}

// CreationGrace is how long [Store.Reap] leaves alone the key of a
// subject being created ([Entry.Creating]) whose row is not there: the
// time another process may take between adding the key and inserting the
// row (rules R9, N7: a Reap of one process never destroys the key of a
// subject another is registering). Past it the key is taken for that of a
// creation that failed, and destroyed like any key of a missing subject.
const CreationGrace = time.Hour

// Store is a [Backend] whose records' content is sealed per subject. It
// has the Backend's contract; in addition a read of content whose key was
// destroyed fails with [ErrErased], and a sealed value that was changed or
// moved with [ErrTampered] (in a listing it reads as [UnreadableText]).
// It is safe for concurrent use if its Backend
// and its Keys are.
//
// The unwrapped data keys are cached in the process. A process that
// destroys a key drops it from its own cache at once; another process
// sharing the key store keeps reading content with its cached key until
// the rows are gone (a moment later) — run erasures and reads of one
// database through one Store, or give every process its own key cache
// lifetime by re-wrapping (Wrap again).
type Store struct {
	Backend
	keys  Keys
	kek   KEK
	keks  map[string]KEK
	clock func() time.Time
	life  sync.Mutex // orders key creation, erasure and reaping
	mu    sync.RWMutex
	cache map[privacy.SubjectID]*dek
	// drops counts the drops from the cache: a key read from the key
	// store before a drop is not cached after it, so that a read racing
	// an erasure never puts the destroyed key back in the cache.
	drops uint64
}

var _ Backend = (*Store)(nil)

// Wrap returns b sealed with the keys of v, after reaping ([Store.Reap]):
// erasures a crash left half done are finished before anything is read.
func Wrap(ctx context.Context, b Backend, v Vault) (*Store, error) {
	const op = "seal: wrap"
	// A typed nil counts as nil: seal.OpenFileKeys or
	// seal.LocalKEKFromEnv failing returns a nil pointer, which in the
	// Vault is a non-nil interface (bad input: ErrInvalid, never a panic).
	if isNil(b) || isNil(v.Keys) || isNil(v.KEK) {
		return nil, &privacy.Error{Op: op, Kind: privacy.ErrInvalid, Msg: "nil store, keys or kek"}
	}
	s := &Store{Backend: b, keys: v.Keys, kek: v.KEK, keks: map[string]KEK{v.KEK.ID(): v.KEK},
		cache: map[privacy.SubjectID]*dek{}, clock: v.Clock}
	if s.clock == nil {
		s.clock = time.Now
	}
	for _, k := range v.Previous {
		if !isNil(k) {
			if _, ok := s.keks[k.ID()]; !ok {
				s.keks[k.ID()] = k
			}
		}
	}
	if !v.SkipReap {
		if _, err := s.Reap(ctx); err != nil {
			return nil, err
		}
	}
	return s, nil
}

// isNil reports whether x is nil or an interface holding a nil pointer,
// map, slice, func or channel.
func isNil(x any) bool {
	if x == nil {
		return true
	}
	switch v := reflect.ValueOf(x); v.Kind() {
	case reflect.Pointer, reflect.Map, reflect.Slice, reflect.Func, reflect.Chan, reflect.Interface:
		return v.IsNil()
	}
	return false
}

// Unwrap returns the store s seals.
func (s *Store) Unwrap() Backend { return s.Backend }

// erased is the error of content under a destroyed key.
func erased(op string, subject privacy.SubjectID) error {
	return &privacy.Error{Op: "seal: " + op, Kind: ErrErased, Msg: "the key of subject " + string(subject) + " was destroyed"}
}

// key returns the subject's data key. With create, a subject without an
// entry (one registered before sealing was switched on) gets a new key;
// without, it fails with ErrErased (sealed content with no key to it is
// content of an erased subject). A tombstone always fails with ErrErased.
func (s *Store) key(ctx context.Context, op string, subject privacy.SubjectID, create bool) (*dek, error) {
	s.mu.RLock()
	k, drops := s.cache[subject], s.drops
	s.mu.RUnlock()
	if k != nil {
		return k, nil
	}
	e, err := s.keys.Get(ctx, subject)
	if errors.Is(err, privacy.ErrNotFound) && create {
		return s.create(ctx, op, subject, false)
	}
	if errors.Is(err, privacy.ErrNotFound) {
		return nil, erased(op, subject)
	}
	if err != nil {
		return nil, err
	}
	if e.Destroyed() {
		// A write of a subject whose key was destroyed: the rows of an
		// erasure not yet reaped, or of a restored copy. Only
		// CreateSubject gives an erased ID a new key.
		return nil, erased(op, subject)
	}
	return s.load(ctx, &e, drops)
}

// load unwraps e's key and caches it, unless a key was dropped from the
// cache since e was read (drops was s.drops before).
func (s *Store) load(ctx context.Context, e *Entry, drops uint64) (*dek, error) {
	kek, ok := s.keks[e.KEK]
	if !ok {
		return nil, &privacy.Error{Op: "seal: unwrap key", Kind: ErrNoKEK, Msg: "key of subject " + string(e.Subject) + " is under " + e.KEK}
	}
	var id keyID
	if b, err := hex.DecodeString(e.KeyID); err != nil || len(b) != keyIDLen {
		return nil, &privacy.Error{Op: "seal: unwrap key", Kind: ErrTampered, Msg: "malformed key ID"}
	} else {
		copy(id[:], b)
	}
	raw, err := kek.Unwrap(ctx, e.Wrapped, []byte(e.Subject))
	if err != nil {
		return nil, err
	}
	defer clear(raw)
	if len(raw) != dekLen {
		return nil, &privacy.Error{Op: "seal: unwrap key", Kind: ErrTampered, Msg: "data key of the wrong length"}
	}
	k, err := newDEK(id, raw)
	if err != nil {
		return nil, err
	}
	k.former = e.Former
	s.mu.Lock()
	if c := s.cache[e.Subject]; c != nil {
		k = c
	} else if s.drops == drops {
		s.cache[e.Subject] = k
	}
	s.mu.Unlock()
	return k, nil
}

// create makes, wraps and stores a new data key for subject. With
// replace (CreateSubject, under s.life), a finished tombstone gives way:
// the ID of an erased subject is used again.
func (s *Store) create(ctx context.Context, op string, subject privacy.SubjectID, replace bool) (*dek, error) {
	k, _, err := s.createEntry(ctx, op, subject, replace)
	return k, err
}

// createEntry is create, returning the entry of the key too. With
// replace, a new entry is marked Creating: its subject's row is to come.
func (s *Store) createEntry(ctx context.Context, op string, subject privacy.SubjectID, replace bool) (*dek, Entry, error) {
	if !replace {
		s.life.Lock()
		defer s.life.Unlock()
	}
	// Another caller may have made it while this one waited.
	s.mu.RLock()
	drops := s.drops
	s.mu.RUnlock()
	old, err := s.keys.Get(ctx, subject)
	if err != nil && !errors.Is(err, privacy.ErrNotFound) {
		return nil, Entry{}, err
	}
	tombstone := err == nil
	// Rule R9: with replace (CreateSubject, the subject missing), a live
	// key not marked Creating is that of a subject deleted past this
	// Store, whose key no Reap has destroyed yet: it is superseded, not
	// given to the new subject, so that a backup of the old one's content
	// does not open under the new one's key. (A key marked Creating is
	// that of a creation that failed: nothing was sealed under it.)
	supersede := tombstone && replace && !old.Destroyed() && !old.Creating
	if tombstone && !supersede && (!replace || !replaceable(&old)) {
		if old.Destroyed() {
			return nil, Entry{}, erased(op, subject)
		}
		k, err := s.load(ctx, &old, drops)
		return k, old, err
	}
	raw := make([]byte, dekLen)
	defer clear(raw)
	var id keyID
	if _, err := rand.Read(raw); err != nil {
		return nil, Entry{}, unavailable("seal: new key", err)
	}
	if _, err := rand.Read(id[:]); err != nil {
		return nil, Entry{}, unavailable("seal: new key", err)
	}
	w, err := s.kek.Wrap(ctx, raw, []byte(subject))
	if err != nil {
		return nil, Entry{}, err
	}
	e := Entry{Subject: subject, KeyID: hex.EncodeToString(id[:]), KEK: s.kek.ID(), Wrapped: w}
	if replace { // CreateSubject: the row is to come (R9, N7: see Reap)
		e.Creating, e.Created = true, s.clock()
	}
	if tombstone { // a finished tombstone, or a superseded key: the ID was used before
		e.Former = append(slices.Clone(old.Former), old.KeyID)
	}
	if supersede {
		s.drop(subject)
		if err := swap(ctx, s.keys, old, e); err != nil {
			return nil, Entry{}, err // changed meanwhile (ErrConflict): nothing done
		}
		s.drop(subject)
		s.mu.RLock()
		drops = s.drops
		s.mu.RUnlock()
		k, err := s.load(ctx, &e, drops)
		return k, e, err
	}
	if err := s.keys.Add(ctx, e); err != nil {
		if errors.Is(err, privacy.ErrExists) { // another process made it
			if e, err = s.keys.Get(ctx, subject); err != nil {
				return nil, Entry{}, err
			}
			if e.Destroyed() {
				return nil, Entry{}, erased(op, subject)
			}
			k, err := s.load(ctx, &e, drops)
			return k, e, err
		}
		return nil, Entry{}, err
	}
	k, err := s.load(ctx, &e, drops)
	return k, e, err
}

// CreateSubject implements privacy.Store: the subject gets its data key
// before it exists, so that a subject of an erased ID (a finished
// tombstone) is told apart from the erased one come back in a restored
// copy, which Reap erases again. Until the subject's row exists the key is
// marked Creating, with the time it was added, and a Reap — of this
// process or another sharing the key store — leaves it alone for
// [CreationGrace] (rules R9, N7); the mark is taken off once the row is
// there. A crash between the two leaves a key without a subject, which
// Reap destroys once the grace has passed.
func (s *Store) CreateSubject(ctx context.Context, sub privacy.Subject, events []privacy.Event) error {
	if len(events) == 0 || !privacy.ValidID(string(sub.ID)) {
		return s.Backend.CreateSubject(ctx, sub, events) // refused there (G7, ErrInvalid)
	}
	s.life.Lock()
	defer s.life.Unlock()
	if _, err := s.Backend.Subject(ctx, sub.ID); err == nil {
		return s.Backend.CreateSubject(ctx, sub, events) // ErrExists, audited as the Backend does
	} else if !errors.Is(err, privacy.ErrNotFound) {
		return err
	}
	old, oerr := s.keys.Get(ctx, sub.ID)
	if oerr != nil && !errors.Is(oerr, privacy.ErrNotFound) {
		return oerr
	}
	_, e, err := s.createEntry(ctx, "create subject", sub.ID, true)
	if err != nil {
		return err
	}
	if now := s.clock(); !e.Creating || now.Sub(e.Created) > CreationGrace/2 {
		// A live key of a missing subject, left by a creation that
		// failed: marked again, so that no Reap takes it away while the
		// row is inserted. A conflict (it changed meanwhile) changes
		// nothing here.
		m := e.Clone()
		m.Creating, m.Created = true, now
		if err := swap(ctx, s.keys, e, m); err != nil {
			return err
		}
		e = m
	}
	err = s.Backend.CreateSubject(ctx, sub, events)
	if err == nil {
		// The row exists: the mark goes. Should this write fail, or the
		// entry have changed, the subject is created all the same; Reap
		// takes the mark off a key whose subject exists.
		done := e.Clone()
		done.Creating = false
		_ = swap(ctx, s.keys, e, done)
		return nil
	}
	// Refused: the key store goes back to what it was, unless the
	// subject exists after all (the failure came after the commit).
	if _, serr := s.Backend.Subject(ctx, sub.ID); !errors.Is(serr, privacy.ErrNotFound) {
		return err
	}
	s.drop(sub.ID)
	var perr error
	if oerr == nil {
		perr = s.keys.Put(ctx, old)
	} else {
		perr = s.keys.Delete(ctx, sub.ID)
	}
	if perr != nil {
		return errors.Join(err, perr)
	}
	return err
}

// drop removes the subject's key from the cache.
func (s *Store) drop(subject privacy.SubjectID) {
	s.mu.Lock()
	s.drops++
	delete(s.cache, subject)
	s.mu.Unlock()
}

// sealRecords returns copies of rs with their fields sealed.
func (s *Store) sealRecords(ctx context.Context, op string, rs []privacy.Record, medical bool) ([]privacy.Record, error) {
	out := make([]privacy.Record, len(rs))
	for i := range rs {
		r, err := s.sealRecord(ctx, op, rs[i], medical)
		if err != nil {
			return nil, err
		}
		out[i] = r
	}
	return out, nil
}

func (s *Store) sealRecord(ctx context.Context, op string, r privacy.Record, medical bool) (privacy.Record, error) {
	if len(r.Fields) == 0 || !privacy.ValidID(string(r.Subject)) {
		// Nothing to seal, or a record the Backend refuses anyway
		// (ErrInvalid): no key is made for a malformed subject ID.
		return r.Clone(), nil
	}
	k, err := s.key(ctx, op, r.Subject, true)
	if err != nil {
		return privacy.Record{}, err
	}
	fields := make(map[privacy.Field]string, len(r.Fields))
	for f, v := range r.Fields {
		sv, err := k.seal(recordPlace(&r, medical, f), v)
		if err != nil {
			return privacy.Record{}, unavailable("seal: "+op, err)
		}
		fields[f] = sv
	}
	r.Fields = fields
	return r, nil
}

// UnreadableText is what a sealed value that does not open reads as in a
// listing — a case's records, the requests of a subject, the holds of a
// dossier or of a sweep's candidates: changed, damaged or moved in the
// database (what a read of that one record or request fails on with
// [ErrTampered]). One such value does not fail the listing (rules O4,
// O10: a reader is not refused what they may see, nor told of what they
// may not, because of a record hidden from them; O12: a sweep is not
// stopped by a reason it need not read), and the record is not dropped
// from it either: whoever may see the field, an export included (G1),
// reads that it could not be opened.
const UnreadableText = "[unreadable]"

// openRecord opens r's fields in place (r is the Backend's copy). With
// lenient (a listing), a field that fails authentication (ErrTampered)
// reads as UnreadableText and the others are opened; otherwise it fails
// the read.
func (s *Store) openRecord(ctx context.Context, op string, r *privacy.Record, medical, lenient bool) error {
	var k *dek
	for f, v := range r.Fields {
		if !IsSealed(v) {
			continue // stored before sealing was switched on
		}
		pt, err := s.openField(ctx, op, r, medical, f, v, &k)
		if lenient && errors.Is(err, ErrTampered) {
			pt, err = UnreadableText, nil
		}
		if err != nil {
			return err
		}
		r.Fields[f] = pt
	}
	return nil
}

// openField opens the value v of field f of r; *k caches the subject's key.
func (s *Store) openField(ctx context.Context, op string, r *privacy.Record, medical bool, f privacy.Field, v string, k **dek) (string, error) {
	sv, err := decode(v)
	if err != nil {
		return "", err
	}
	if *k == nil {
		if *k, err = s.key(ctx, op, r.Subject, false); err != nil {
			return "", err
		}
	}
	if sv.key != (*k).id {
		if slices.Contains((*k).former, hex.EncodeToString(sv.key[:])) {
			// Sealed under the key of an earlier subject of this ID,
			// destroyed when it was erased.
			return "", erased(op, r.Subject)
		}
		// Another subject's value, moved here.
		return "", &privacy.Error{Op: "seal: " + op, Kind: ErrTampered, Path: "fields." + truncate(string(f), 32),
			Msg: "the value was sealed for another subject"}
	}
	return (*k).open(recordPlace(r, medical, f), sv)
}

// AddRecords implements privacy.Store: the fields are sealed before they
// reach the Backend.
func (s *Store) AddRecords(ctx context.Context, rs []privacy.Record, events []privacy.Event) error {
	sealed, err := s.sealRecords(ctx, "add records", rs, false)
	if err != nil {
		return err
	}
	return s.Backend.AddRecords(ctx, sealed, events)
}

// AddMedicalRecords implements privacy.MedicalStore, sealing as AddRecords.
func (s *Store) AddMedicalRecords(ctx context.Context, rs []privacy.Record, events []privacy.Event) error {
	sealed, err := s.sealRecords(ctx, "add medical records", rs, true)
	if err != nil {
		return err
	}
	return s.Backend.AddMedicalRecords(ctx, sealed, events)
}

// UpdateRecord implements privacy.Store, sealing the new fields.
func (s *Store) UpdateRecord(ctx context.Context, r privacy.Record, events []privacy.Event) error {
	sr, err := s.sealRecord(ctx, "update record", r, false)
	if err != nil {
		return err
	}
	return s.Backend.UpdateRecord(ctx, sr, events)
}

// UpdateMedicalRecord implements privacy.MedicalStore, sealing the new
// fields.
func (s *Store) UpdateMedicalRecord(ctx context.Context, r privacy.Record, events []privacy.Event) error {
	sr, err := s.sealRecord(ctx, "update medical record", r, true)
	if err != nil {
		return err
	}
	return s.Backend.UpdateMedicalRecord(ctx, sr, events)
}

// Record implements privacy.Store: the fields come back opened.
func (s *Store) Record(ctx context.Context, id privacy.RecordID) (privacy.Record, error) {
	r, err := s.Backend.Record(ctx, id)
	if err != nil {
		return privacy.Record{}, err
	}
	if err := s.openRecord(ctx, "read record", &r, false, false); err != nil {
		return privacy.Record{}, err
	}
	return r, nil
}

// MedicalRecord implements privacy.MedicalStore, opening as Record.
func (s *Store) MedicalRecord(ctx context.Context, id privacy.RecordID) (privacy.Record, error) {
	r, err := s.Backend.MedicalRecord(ctx, id)
	if err != nil {
		return privacy.Record{}, err
	}
	if err := s.openRecord(ctx, "read medical record", &r, true, false); err != nil {
		return privacy.Record{}, err
	}
	return r, nil
}

// CaseRecords implements privacy.Store, opening each record as it comes;
// a value that does not open reads as [UnreadableText] (rules O4, O10).
func (s *Store) CaseRecords(ctx context.Context, id privacy.CaseID) iter.Seq2[privacy.Record, error] {
	return s.openAll(ctx, "read case records", s.Backend.CaseRecords(ctx, id), false)
}

// CaseMedicalRecords implements privacy.MedicalStore, opening each record
// as it comes.
func (s *Store) CaseMedicalRecords(ctx context.Context, id privacy.CaseID) iter.Seq2[privacy.Record, error] {
	return s.openAll(ctx, "read case medical records", s.Backend.CaseMedicalRecords(ctx, id), true)
}

// SubjectCaseRecords implements privacy.SubjectRecordStore (issue 14 §2):
// the Backend's read filtered by the subject, opened as CaseRecords
// opens; a Backend without one reads the case first, so that a case of
// another subject is not found alike.
func (s *Store) SubjectCaseRecords(ctx context.Context, subject privacy.SubjectID, id privacy.CaseID) iter.Seq2[privacy.Record, error] {
	return s.openAll(ctx, "read case records", s.subjectRecords(ctx, subject, id, false), false)
}

// SubjectCaseMedicalRecords implements privacy.SubjectRecordStore, as
// SubjectCaseRecords does.
func (s *Store) SubjectCaseMedicalRecords(ctx context.Context, subject privacy.SubjectID, id privacy.CaseID) iter.Seq2[privacy.Record, error] {
	return s.openAll(ctx, "read case medical records", s.subjectRecords(ctx, subject, id, true), true)
}

func (s *Store) subjectRecords(ctx context.Context, subject privacy.SubjectID, id privacy.CaseID, medical bool) iter.Seq2[privacy.Record, error] {
	if ss, ok := s.Backend.(privacy.SubjectRecordStore); ok {
		if medical {
			return ss.SubjectCaseMedicalRecords(ctx, subject, id)
		}
		return ss.SubjectCaseRecords(ctx, subject, id)
	}
	return func(yield func(privacy.Record, error) bool) {
		c, err := s.Backend.Case(ctx, id)
		switch {
		case err != nil && !errors.Is(err, privacy.ErrNotFound):
			yield(privacy.Record{}, err)
			return
		case err != nil || c.Subject != subject:
			// Rule O10: a missing case and another subject's case give
			// the same error.
			yield(privacy.Record{}, &privacy.Error{Op: "seal: case records", Kind: privacy.ErrNotFound, Path: "id"})
			return
		}
		seq := s.Backend.CaseRecords(ctx, id)
		if medical {
			seq = s.Backend.CaseMedicalRecords(ctx, id)
		}
		for r, err := range seq {
			if !yield(r, err) || err != nil {
				return
			}
		}
	}
}

func (s *Store) openAll(ctx context.Context, op string, seq iter.Seq2[privacy.Record, error], medical bool) iter.Seq2[privacy.Record, error] {
	return func(yield func(privacy.Record, error) bool) {
		for r, err := range seq {
			if err == nil {
				if err = s.openRecord(ctx, op, &r, medical, true); err != nil {
					r = privacy.Record{}
				}
			}
			if !yield(r, err) || err != nil {
				return
			}
		}
	}
}
