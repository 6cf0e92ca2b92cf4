package sqlitestore

import (
	"context"
	"time"

	"github.com/dossierwacht/dossierwacht/privacy"
	"github.com/dossierwacht/dossierwacht/retention"
)

// The store of package retention: legal holds, granted erasure requests,
// proofs of deletion, the candidate dossiers of a sweep and the deletion
// of a record with its proof and audit event (migration 0003). Every write
// runs in one IMMEDIATE transaction on the one writer connection, so the
// checks of EraseRecord (a proof exists, the record changed, a hold
// stands) and its deletion see the same file: no hold can be placed in
// between (rule G3). So do the direct deletions of privacy.Store
// (DeleteRecord, DeleteMedicalRecord, DeleteCase, DeleteSubject): each
// reads the standing holds in its own transaction and refuses to delete
// what one covers.

var (
	_ retention.Store      = (*Store)(nil)
	_ retention.BatchStore = (*Store)(nil)
)

// PlaceHold implements [retention.Store].
func (s *Store) PlaceHold(ctx context.Context, h retention.Hold, e privacy.Event) error {
	return s.core().PlaceHold(ctx, h, e)
}

// LiftHold implements [retention.Store].
func (s *Store) LiftHold(ctx context.Context, id retention.HoldID, by privacy.PrincipalID, at time.Time, reason string, e privacy.Event) error {
	return s.core().LiftHold(ctx, id, by, at, reason, e)
}

// Hold implements [retention.Store].
func (s *Store) Hold(ctx context.Context, id retention.HoldID) (retention.Hold, error) {
	return s.core().Hold(ctx, id)
}

// AddErasure implements [retention.Store].
func (s *Store) AddErasure(ctx context.Context, r retention.Erasure, e privacy.Event) error {
	return s.core().AddErasure(ctx, r, e)
}

// Dossier implements [retention.Store]. It reads one snapshot of the file.
func (s *Store) Dossier(ctx context.Context, id privacy.SubjectID) (retention.Dossier, error) {
	return s.core().Dossier(ctx, id)
}

// Candidates implements [retention.Store]. It answers exactly (no subject
// that does not match), from indexes: see qCandidates and the test
// TestRetentionIndexes. A page costs one walk of the subjects' index from
// q.After to the last candidate, and five queries for the dossiers, all on
// one snapshot.
func (s *Store) Candidates(ctx context.Context, q retention.Query) ([]retention.Dossier, error) {
	return s.core().Candidates(ctx, q)
}

// EraseRecord implements [retention.Store]: the checks, the deletion, the
// proof and the audit event in one write transaction.
func (s *Store) EraseRecord(ctx context.Context, p retention.Proof, e privacy.Event) error {
	return s.core().EraseRecord(ctx, p, e)
}

// EraseRecords implements [retention.BatchStore]: every item checked as
// EraseRecord checks it, and the deletions, proofs and audit events of
// those that pass, in one write transaction.
func (s *Store) EraseRecords(ctx context.Context, proofs []retention.Proof, events []privacy.Event) ([]error, error) {
	return s.core().EraseRecords(ctx, proofs, events)
}

// Proof implements [retention.Store].
func (s *Store) Proof(ctx context.Context, id privacy.RecordID) (retention.Proof, error) {
	return s.core().Proof(ctx, id)
}

// Proofs implements [retention.Store].
func (s *Store) Proofs(ctx context.Context, subject privacy.SubjectID) ([]retention.Proof, error) {
	return s.core().Proofs(ctx, subject)
}

// The other kinds of stored data (issue 14): subjects, cases, holds,
// erasure requests, grants, requests and disclosure-log entries, each
// removed by a sweep when its rule says, with its proof and audit event in
// one transaction that locks the subject's row first, as PlaceHold does,
// so that no hold comes between the checks and the deletion (rule G3).
var _ retention.ObjectStore = (*Store)(nil)

// Orphans implements [retention.OrphanStore]: the subjects without a row
// that still have a request, a grant or a disclosure-log entry, for
// sweeps to reach (rules R9, O12).
func (s *Store) Orphans(ctx context.Context, after privacy.SubjectID, limit int) ([]privacy.SubjectID, error) {
	return s.core().Orphans(ctx, after, limit)
}

// Objects implements [retention.ObjectStore].
func (s *Store) Objects(ctx context.Context, subject privacy.SubjectID) ([]retention.Object, error) {
	return s.core().Objects(ctx, subject)
}

var _ retention.ObjectPageStore = (*Store)(nil)

// ObjectsOf implements [retention.ObjectPageStore] with Objects per
// subject: SQLite's reads are local, with no round trip to save, and its
// dialect has no parameter that holds a list.
func (s *Store) ObjectsOf(ctx context.Context, subjects []privacy.SubjectID) (map[privacy.SubjectID][]retention.Object, error) {
	return s.core().ObjectsOf(ctx, subjects)
}

// EraseObject implements [retention.ObjectStore].
func (s *Store) EraseObject(ctx context.Context, p retention.ObjectProof, e privacy.Event) error {
	return s.core().EraseObject(ctx, p, e)
}

// EraseObjects implements [retention.ObjectBatchStore]: a sweep's due
// objects a batch to a transaction, each item checked and erased in
// order, as EraseObject does it alone (rules R9, O12, G3), the audit
// events of the erased ones appended at the end. One transaction per
// object cost a sweep of cases and subjects a commit and an append each.
func (s *Store) EraseObjects(ctx context.Context, proofs []retention.ObjectProof, events []privacy.Event) ([]error, error) {
	return s.core().EraseObjects(ctx, proofs, events)
}

var _ retention.ObjectBatchStore = (*Store)(nil)

// ObjectProofs implements [retention.ObjectStore].
func (s *Store) ObjectProofs(ctx context.Context, subject privacy.SubjectID) ([]retention.ObjectProof, error) {
	return s.core().ObjectProofs(ctx, subject)
}
