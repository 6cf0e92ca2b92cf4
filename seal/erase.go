package seal

import (
	"context"
	"errors"

	"github.com/dossierwacht/dossierwacht/privacy"
)

// DeleteSubject implements privacy.Store: the erasure that reaches every
// copy (GDPR art. 17; rules R9, O12, O13). It destroys the subject's key
// first — its entry becomes a pending tombstone, holding the events of the
// erasure and no key material — and then deletes the rows. From the first
// step on, nothing of the subject's content is readable: not here, not in
// a backup of the database taken before. Once the rows are gone the
// tombstone is marked done; it stays as the proof that the key was
// destroyed ([Store.Erasure]).
//
// What the Backend refuses changes nothing: a missing subject
// (ErrNotFound), a write without events (ErrInvalid, rule G7), a subject a
// standing hold keeps (ErrForbidden, rule G3) are refused before the key
// is touched, and a deletion that fails after it puts the key back, so
// that the store is as it was. Only a crash between the two steps leaves
// the tombstone pending: the rows stay, unreadable, until [Store.Reap]
// deletes them.
func (s *Store) DeleteSubject(ctx context.Context, id privacy.SubjectID, events []privacy.Event) error {
	if len(events) == 0 || !privacy.ValidID(string(id)) {
		return s.Backend.DeleteSubject(ctx, id, events) // refused there (G7, ErrInvalid)
	}
	s.life.Lock()
	defer s.life.Unlock()
	return s.erase(ctx, id, events, nil)
}

// erase is DeleteSubject under s.life. pending is the tombstone Reap
// finishes, nil for a new erasure.
func (s *Store) erase(ctx context.Context, id privacy.SubjectID, events []privacy.Event, pending *Entry) error {
	if pending == nil {
		// Rule G3: a subject a standing hold keeps is not erased; ask
		// the Backend before the key is touched, so that its refusal
		// (or ErrNotFound) leaves the key as it was.
		d, err := s.Backend.Dossier(ctx, id)
		if err != nil {
			return err
		}
		for i := range d.Holds {
			if d.Holds[i].Lifted.IsZero() {
				return s.Backend.DeleteSubject(ctx, id, events)
			}
		}
	}
	old, err := s.keys.Get(ctx, id)
	switch {
	case errors.Is(err, privacy.ErrNotFound):
		// No key: nothing of the subject was ever sealed.
		return s.Backend.DeleteSubject(ctx, id, events)
	case err != nil:
		return err
	}
	tomb := Entry{Subject: id, KeyID: old.KeyID, Former: old.Former, Pending: true, Events: events}
	if len(events) > 0 {
		tomb.Erased = events[0].Time
	}
	if pending != nil {
		tomb = pending.Clone()
	}
	// The key goes first: from here on the content is unreadable.
	s.drop(id)
	if err := s.keys.Put(ctx, tomb); err != nil {
		return err
	}
	s.drop(id)
	err = s.Backend.DeleteSubject(ctx, id, tomb.Events)
	if err != nil {
		if _, serr := s.Backend.Subject(ctx, id); serr == nil && pending == nil && !old.Destroyed() {
			// The rows stand: put the key back, the store is as it
			// was. (Were they gone, the failure came after the
			// commit: the erasure stands and the tombstone is done.)
			if perr := s.keys.Put(ctx, old); perr != nil {
				return errors.Join(err, perr)
			}
			return err
		} else if !errors.Is(serr, privacy.ErrNotFound) {
			return err
		}
	}
	tomb.Pending = false
	if perr := s.keys.Put(ctx, tomb); perr != nil && err == nil {
		return perr
	}
	return err
}

// Erasure returns the proof that the subject's key was destroyed: its
// tombstone, with when and which key. A subject whose key lives, or that
// never had one, fails with ErrNotFound.
func (s *Store) Erasure(ctx context.Context, id privacy.SubjectID) (Entry, error) {
	e, err := s.keys.Get(ctx, id)
	if err != nil {
		return Entry{}, err
	}
	if !e.Destroyed() {
		return Entry{}, &privacy.Error{Op: "seal: erasure", Kind: privacy.ErrNotFound, Msg: "the subject's key lives"}
	}
	return e, nil
}

// Reaped is what [Store.Reap] did.
type Reaped struct {
	// Finished are the subjects whose pending erasure it completed.
	Finished []privacy.SubjectID
	// Restored are erased subjects found again in the Backend — a copy
	// from before their erasure was restored — whose rows it deleted
	// again, with the erasure's own events.
	Restored []privacy.SubjectID
	// Orphans are the subjects that no longer exist whose live key it
	// destroyed (an erasure by another path, a creation that failed):
	// the tombstone keeps the last delete event of the subject's trail.
	Orphans []privacy.SubjectID
	// Held are erasures Reap could not apply: a standing hold now keeps
	// the subject (rule G3), or no audit event of the erasure is known to
	// apply it again with (rule G7). Their content stays unreadable and
	// their rows stay until the hold is lifted and Reap runs again, or
	// someone erases them.
	Held []privacy.SubjectID
	// Creating are subjects being created whose key it left alone: the
	// row is not there yet, and [CreationGrace] has not passed since the
	// key was added (rules R9, N7).
	Creating []privacy.SubjectID
}

// Reap brings the key store and the Backend into line, so that no crash
// leaves readable content or an orphan behind: it deletes, with the
// erasure's own events, the rows of every subject whose key was destroyed
// (a tombstone left pending by a crash, or an erased subject a restored
// backup brought back), and destroys the key of every subject that no
// longer exists (its tombstone keeps the last delete event of the
// subject's trail) — except the key of a subject being created
// ([Entry.Creating]) less than [CreationGrace] ago, whose row another
// process may be about to insert (rules R9, N7). Wrap runs it; run it after erasing subjects by another path than
// this Store (a sweep of the Backend, a DBA's delete) and periodically.
// It asks the Backend once per entry of the key store.
func (s *Store) Reap(ctx context.Context) (Reaped, error) {
	s.life.Lock()
	defer s.life.Unlock()
	var out Reaped
	entries, err := s.keys.List(ctx)
	if err != nil {
		return out, err
	}
	for i := range entries {
		e := &entries[i]
		_, err := s.Backend.Subject(ctx, e.Subject)
		gone := errors.Is(err, privacy.ErrNotFound)
		if err != nil && !gone {
			return out, err
		}
		switch {
		case e.Destroyed() && !e.Pending && gone:
			// Erased, and gone: as it should be.
		case e.Destroyed() && !e.Pending && len(e.Events) == 0:
			// Erased, yet here, and no audit event of the erasure to
			// apply it again with (G7): left, its content unreadable.
			out.Held = append(out.Held, e.Subject)
		case e.Destroyed() && !e.Pending:
			// Erased, yet here: a copy from before the erasure was
			// restored. The erasure is applied again, with its own
			// events.
			err := s.erase(ctx, e.Subject, nil, e)
			if errors.Is(err, privacy.ErrForbidden) {
				out.Held = append(out.Held, e.Subject)
				continue
			}
			if err != nil {
				return out, err
			}
			out.Restored = append(out.Restored, e.Subject)
		case e.Pending && gone:
			e.Pending = false
			if err := s.keys.Put(ctx, *e); err != nil {
				return out, err
			}
			out.Finished = append(out.Finished, e.Subject)
		case e.Pending:
			err := s.erase(ctx, e.Subject, nil, e)
			if errors.Is(err, privacy.ErrForbidden) {
				out.Held = append(out.Held, e.Subject)
				continue
			}
			if err != nil {
				return out, err
			}
			out.Finished = append(out.Finished, e.Subject)
		case e.Creating && !gone:
			// Created: the mark a crash (or a failed write) left on the
			// key goes.
			done := e.Clone()
			done.Creating = false
			if err := swap(ctx, s.keys, *e, done); err != nil && !errors.Is(err, privacy.ErrConflict) {
				return out, err
			}
		case e.Creating && s.clock().Sub(e.Created) < CreationGrace:
			// Rules R9, N7: the key of a subject another process is
			// registering; its row is to come. Left alone.
			out.Creating = append(out.Creating, e.Subject)
		case gone:
			// The key of a subject deleted by another path: destroyed,
			// its tombstone keeping the key's ID (so that a value under
			// it reads as erased, should the ID be used again) and the
			// audit event of the deletion, found in the trail.
			tomb := Entry{Subject: e.Subject, KeyID: e.KeyID, Former: e.Former}
			last, err := s.lastDeletion(ctx, e.Subject)
			if err != nil {
				return out, err
			}
			if last != nil {
				tomb.Erased, tomb.Events = last.Time, []privacy.Event{*last}
			}
			// By compare-and-swap: a key marked again since the list (a
			// creation retried) is left alone.
			s.drop(e.Subject)
			err = swap(ctx, s.keys, *e, tomb)
			s.drop(e.Subject)
			if errors.Is(err, privacy.ErrConflict) {
				continue
			}
			if err != nil {
				return out, err
			}
			out.Orphans = append(out.Orphans, e.Subject)
		}
	}
	return out, nil
}

// lastDeletion returns the last audit event of the subject's trail that
// deleted something, nil if there is none.
func (s *Store) lastDeletion(ctx context.Context, id privacy.SubjectID) (*privacy.Event, error) {
	var last *privacy.Event
	for ev, err := range s.Backend.SubjectEvents(ctx, id, 0) {
		if err != nil {
			return nil, err
		}
		if ev.Action == privacy.EventDelete {
			ev := ev
			last = &ev
		}
	}
	return last, nil
}
