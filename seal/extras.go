package seal

import (
	"context"
	"errors"
	"iter"
	"time"

	"github.com/dossierwacht/dossierwacht/access"
	"github.com/dossierwacht/dossierwacht/privacy"
	"github.com/dossierwacht/dossierwacht/retention"
)

// The optional extras of a Backend that the layers above look for with a
// type assertion, passed through so that sealing takes none away.

var _ retention.BatchStore = (*Store)(nil)

// EraseRecords implements retention.BatchStore: a sweep's deletions carry
// no content, so they go to the Backend as they are. A Backend without
// batch deletions gets one EraseRecord per item: each item is then atomic
// by itself (the record, its proof and its event), and a storage failure
// halfway leaves the items before it done — each with its proof, so that
// the sweep, run again, passes them by (ErrExists) — instead of none.
//
// After the deletions, a subject a deletion left without a subject row (a
// sweep that erases the subject with its last record) loses its key too:
// see [Store.EraseRecord].
func (s *Store) EraseRecords(ctx context.Context, proofs []retention.Proof, events []privacy.Event) ([]error, error) {
	if bs, ok := s.Backend.(retention.BatchStore); ok {
		results, err := bs.EraseRecords(ctx, proofs, events)
		if err == nil {
			err = s.afterErase(ctx, proofs, events, results)
		}
		return results, err
	}
	const op = "seal: erase records"
	if len(proofs) != len(events) {
		return nil, &privacy.Error{Op: op, Kind: privacy.ErrInvalid, Msg: "one event per proof"}
	}
	seen := make(map[privacy.RecordID]bool, len(proofs))
	for _, p := range proofs {
		if seen[p.Record] {
			return nil, &privacy.Error{Op: op, Kind: privacy.ErrInvalid, Msg: "record " + string(p.Record) + " named twice"}
		}
		seen[p.Record] = true
	}
	results := make([]error, len(proofs))
	for i := range proofs {
		results[i] = s.Backend.EraseRecord(ctx, proofs[i], events[i])
	}
	return results, s.afterErase(ctx, proofs, events, results)
}

// EraseRecord implements retention.Store: a sweep's deletion goes to the
// Backend as it is; if it left the subject without its row (a sweep that
// erases the subject with its last record), the subject's key is destroyed
// at once, so that no backup opens the subject's content from then on.
// (An erasure through DeleteSubject destroys the key before the rows; a
// sweep decides in the Backend's transaction, so the key follows it.)
func (s *Store) EraseRecord(ctx context.Context, p retention.Proof, e privacy.Event) error {
	if err := s.Backend.EraseRecord(ctx, p, e); err != nil {
		return err
	}
	return s.afterErase(ctx, []retention.Proof{p}, []privacy.Event{e}, []error{nil})
}

// afterErase destroys the key of every subject of the deleted items
// (results[i] nil) that no longer exists, leaving a finished tombstone
// with the deletion's event as the proof.
func (s *Store) afterErase(ctx context.Context, proofs []retention.Proof, events []privacy.Event, results []error) error {
	var checked map[privacy.SubjectID]bool
	for i, p := range proofs {
		if i >= len(results) || results[i] != nil || checked[p.Subject] {
			continue
		}
		if checked == nil {
			checked = map[privacy.SubjectID]bool{}
		}
		checked[p.Subject] = true
		if _, err := s.Backend.Subject(ctx, p.Subject); !errors.Is(err, privacy.ErrNotFound) {
			if err != nil {
				return err
			}
			continue
		}
		if err := s.forget(ctx, p.Subject, events[i]); err != nil {
			return err
		}
	}
	return nil
}

// forget destroys the live key of a subject whose rows are gone already.
func (s *Store) forget(ctx context.Context, id privacy.SubjectID, ev privacy.Event) error {
	s.life.Lock()
	defer s.life.Unlock()
	e, err := s.keys.Get(ctx, id)
	if errors.Is(err, privacy.ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	if e.Destroyed() {
		return nil
	}
	s.drop(id)
	tomb := Entry{Subject: id, KeyID: e.KeyID, Former: e.Former, Erased: ev.Time, Events: []privacy.Event{ev}}
	if err := s.keys.Put(ctx, tomb); err != nil {
		return err
	}
	s.drop(id)
	return nil
}

// Ping reports whether the Backend is reachable, if it can say (the front
// door's health check); otherwise it is taken to be.
func (s *Store) Ping(ctx context.Context) error {
	if p, ok := s.Backend.(interface{ Ping(context.Context) error }); ok {
		return p.Ping(ctx)
	}
	return nil
}

var _ retention.ObjectStore = (*Store)(nil)

// SweepsObjects reports whether the Backend removes stored data besides
// records ([retention.AsObjectStore] asks it): the Store passes those
// methods on, so it sweeps them exactly when the Backend does.
func (s *Store) SweepsObjects() bool {
	_, ok := retention.AsObjectStore(s.Backend)
	return ok
}

// errNoObjects is the answer of a Backend that keeps no other kind of data
// than records apart: a sweep then reports the kinds as not swept.
func errNoObjects(op string) error {
	return &privacy.Error{Op: op, Kind: privacy.ErrUnavailable, Msg: "the backend does not remove stored data besides records"}
}

// Objects implements retention.ObjectStore: the stored objects besides
// records carry no content (kinds, IDs, times), so they come from the
// Backend as they are.
func (s *Store) Objects(ctx context.Context, subject privacy.SubjectID) ([]retention.Object, error) {
	os, ok := retention.AsObjectStore(s.Backend)
	if !ok {
		return nil, errNoObjects("seal: objects")
	}
	return os.Objects(ctx, subject)
}

var _ retention.ObjectPageStore = (*Store)(nil)

// ObjectsOf implements retention.ObjectPageStore, so that a sweep of a
// sealed store reads its objects a page of subjects at a time when the
// Backend can (rules R9, O12): the Backend's ObjectsOf when it has one,
// else its Objects per subject, which is what the contract asks of
// ObjectsOf. The objects carry no content and pass as they are.
func (s *Store) ObjectsOf(ctx context.Context, subjects []privacy.SubjectID) (map[privacy.SubjectID][]retention.Object, error) {
	os, ok := retention.AsObjectStore(s.Backend)
	if !ok {
		return nil, errNoObjects("seal: objects of")
	}
	if ps, ok := os.(retention.ObjectPageStore); ok {
		return ps.ObjectsOf(ctx, subjects)
	}
	for _, id := range subjects {
		if !privacy.ValidID(string(id)) {
			// Nothing is read on a malformed ID, as the contract says.
			return nil, &privacy.Error{Op: "seal: objects of", Kind: privacy.ErrInvalid, Path: "subject", Msg: "malformed subject ID"}
		}
	}
	out := make(map[privacy.SubjectID][]retention.Object, len(subjects))
	for _, id := range subjects {
		objs, err := os.Objects(ctx, id)
		if err != nil {
			return nil, err
		}
		if len(objs) > 0 {
			out[id] = objs
		}
	}
	return out, nil
}

// EraseObject implements retention.ObjectStore: the deletion goes to the
// Backend as it is; when it removed the subject itself (rules R9, O12:
// the subject goes last, once nothing keeps them), the subject's key is
// destroyed at once, as after a sweep's last record ([Store.EraseRecord]),
// so that no backup opens the subject's content from then on. A crash
// between the two leaves a key whose subject is gone, which [Store.Reap]
// destroys. A sealed store takes a sweep's objects one at a time: it does
// not pass retention.ObjectBatchStore on, whose batch must fail whole, for
// a Backend without batches could not make a loop of its items atomic.
func (s *Store) EraseObject(ctx context.Context, p retention.ObjectProof, e privacy.Event) error {
	os, ok := retention.AsObjectStore(s.Backend)
	if !ok {
		return errNoObjects("seal: erase object")
	}
	if err := os.EraseObject(ctx, p, e); err != nil {
		return err
	}
	if p.Kind != privacy.DataSubject {
		return nil
	}
	if _, err := s.Backend.Subject(ctx, p.Subject); !errors.Is(err, privacy.ErrNotFound) {
		return err
	}
	return s.forget(ctx, p.Subject, e)
}

// ObjectProofs implements retention.ObjectStore; proofs hold no content.
func (s *Store) ObjectProofs(ctx context.Context, subject privacy.SubjectID) ([]retention.ObjectProof, error) {
	os, ok := retention.AsObjectStore(s.Backend)
	if !ok {
		return nil, errNoObjects("seal: object proofs")
	}
	return os.ObjectProofs(ctx, subject)
}

// The audit trail's optional extras pass through as they are: events hold
// no sealed content (see the package doc), and a wrapper that hid them
// would make the trail unverifiable (its key, its chains' order, its
// anchors: rule G7) and unprunable (N9).
var (
	_ access.ChainStore     = (*Store)(nil)
	_ access.KeyedStore     = (*Store)(nil)
	_ access.AnchoredStore  = (*Store)(nil)
	_ access.HeadsStore     = (*Store)(nil)
	_ retention.AuditPruner = (*Store)(nil)
)

// ChainEvents implements access.ChainStore: the Backend's chains, or its
// trail in order when it reads no chains apart.
func (s *Store) ChainEvents(ctx context.Context) iter.Seq2[privacy.Event, error] {
	if cs, ok := s.Backend.(access.ChainStore); ok {
		return cs.ChainEvents(ctx)
	}
	return s.Backend.Events(ctx, 1)
}

// AuditKey implements access.KeyedStore: the Backend's key, nil when its
// links are unkeyed.
func (s *Store) AuditKey() []byte {
	if k, ok := s.Backend.(access.KeyedStore); ok {
		return k.AuditKey()
	}
	return nil
}

// AuditAnchors implements access.AnchoredStore: the Backend's anchors,
// none when it never prunes.
func (s *Store) AuditAnchors(ctx context.Context) (map[privacy.SubjectID]privacy.Anchor, error) {
	if a, ok := s.Backend.(access.AnchoredStore); ok {
		return a.AuditAnchors(ctx)
	}
	return nil, nil
}

// ChainHead implements access.ChainHeadStore (rule G7): the Backend's,
// or its heads and anchors read whole when it reads no chain apart (see
// [access.ChainOf]).
func (s *Store) ChainHead(ctx context.Context, chain privacy.SubjectID) (access.Checkpoint, privacy.Anchor, error) {
	if c, ok := s.Backend.(access.ChainHeadStore); ok {
		return c.ChainHead(ctx, chain)
	}
	c, err := access.ChainOf(ctx, s.Backend, chain)
	if err != nil {
		return access.Checkpoint{}, privacy.Anchor{}, err
	}
	var a privacy.Anchor
	if c.Anchor != nil {
		a = *c.Anchor
	}
	return c.Head, a, nil
}

// AuditHeads implements access.HeadsStore (rule G7): the Backend's heads,
// which the front door saves as checkpoints outside the database; a Store
// that hid them would make a sealed service checkpoint nothing. A Backend
// that cannot read its heads gives none, as it does unsealed: they are not
// computed from the trail here, for heads read from an unverified trail
// would make a checkpoint of whatever the trail says.
func (s *Store) AuditHeads(ctx context.Context) (access.Heads, error) {
	if h, ok := s.Backend.(access.HeadsStore); ok {
		return h.AuditHeads(ctx)
	}
	return nil, nil
}

// PruneAudit implements retention.AuditPruner by the Backend's; a Backend
// that does not prune answers errors.ErrUnsupported, which a sweep reports
// as audit events not swept.
func (s *Store) PruneAudit(ctx context.Context, before time.Time, e privacy.Event) (int, error) {
	if p, ok := s.Backend.(retention.AuditPruner); ok {
		return p.PruneAudit(ctx, before, e)
	}
	return 0, &privacy.Error{Op: "seal: prune audit", Kind: privacy.ErrUnavailable, Err: errors.ErrUnsupported,
		Msg: "the backend does not prune its audit trail"}
}

var _ retention.OrphanStore = (*Store)(nil)

// Orphans implements retention.OrphanStore: the subjects without a row
// whose requests, grants or disclosure-log entries the Backend still holds
// (IDs only), so that a sealed store's sweeps reach them too (R9, O12). A
// Backend that cannot say has none to offer.
func (s *Store) Orphans(ctx context.Context, after privacy.SubjectID, limit int) ([]privacy.SubjectID, error) {
	if os, ok := retention.AsObjectStore(s.Backend); ok {
		if o, ok := os.(retention.OrphanStore); ok {
			return o.Orphans(ctx, after, limit)
		}
	}
	return nil, nil
}
