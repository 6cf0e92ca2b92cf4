package sqlcore

import (
	"context"

	"github.com/dossierwacht/dossierwacht/examples/internal/sqladapter"
	"github.com/dossierwacht/dossierwacht/privacy"
)

// Store is the body of a SQL adapter: the operations of every store of
// the library, over a dialect. It is a small value an adapter builds from
// its own fields for each call; the adapter's methods call its methods.
type Store struct {
	// Name is the adapter's package name, the prefix of every error's Op
	// ("sqlitestore: create subject").
	Name string
	// Q are the dialect's statements.
	Q *Queries
	// D is the rest of the dialect.
	D Dialect
	// Faults counts the rows written, for fault injection
	// (privacytest.FaultInjector).
	Faults *sqladapter.Faults
	// Key is the key the audit chains are computed under
	// (privacy.Event.ChainKeyed, rule G7); nil for unkeyed links.
	Key []byte
}

// Queries are the statements of a dialect, values only as parameters.
// Where the dialects differ only in placeholders and names the
// statements say the same; a statement that locks rows in PostgreSQL
// (FOR UPDATE, FOR SHARE, a SECURITY DEFINER function for a role that may
// not lock) reads the same rows in SQLite, whose writer runs alone. Each
// statement's parameters are named in its comment, in order.
type Queries struct {
	// CreateSubject (the columns of SubjectColumns); Subject (id: the
	// SubjectColumns); SubjectForUpdate as Subject, the row locked as
	// PlaceHold locks it (rule G3); UpdateSubject (employer, employment
	// ended, created, id); SubjectExists (id: 1).
	CreateSubject, Subject, SubjectForUpdate, UpdateSubject, SubjectExists string
	// LockSubject (id: 1) locks a subject's row: the writes that must not
	// cross a legal hold (rule G3) and PlaceHold itself take it.
	LockSubject string
	// LockSubjectCases (id) locks the subject's cases before they are
	// deleted; empty where nothing needs it.
	LockSubjectCases string
	// DeleteSubject are the statements that erase a subject, children
	// first, each with the subject's ID.
	DeleteSubject []string
	// ForgetSubject are the statements that erase, after DeleteSubject's,
	// the rest of the subject's data but its requests (rules R9, O12;
	// [SQLForgetSubject]), each with the subject's ID.
	ForgetSubject []string

	// CreateCase (the columns of CaseColumns); Case (id: the
	// CaseColumns); UpdateCase (kind, purpose, contract ID, party, party
	// kind, start, end, opened, closed, id, subject); CaseExists (id: 1);
	// CaseSubject (id: subject_id); LockCase (id: 1) locks the case's row,
	// which an addition of records locks shared (rule R4).
	CreateCase, Case, UpdateCase, CaseExists, CaseSubject, LockCase string
	// SubjectCaseExists (subject, case: 1) finds a case of the subject,
	// with the rights of either role (issue 14 §2).
	SubjectCaseExists string
	// LockCases (the IDs of cases: id, open) reads the cases of an
	// addition open or closed, locked shared (rule R4).
	LockCases string
	// CaseDatedAfter (id, time: bool) asks whether a record of the case,
	// in either file, was created or changed after the time (rule R4).
	CaseDatedAfter string
	// SubjectCases (subject: the CaseColumns) in the order of opening.
	SubjectCases string
	// DeleteCase are the statements that erase a case, children first,
	// each with the case's ID.
	DeleteCase []string

	// Ordinary and Medical are the statements of the two files of records
	// (rule O6).
	Ordinary, Medical File

	// LastEvent (subject: seq, hash) is the last event of the subject's
	// chain of the audit trail; Events (position, limit: the event
	// columns, position) pages the trail in the order of appending;
	// AuditHeads (: subject, seq, hash) the last event of every chain;
	// AuditAnchors (: subject, seq, hash, mac) the pruned chains' anchors;
	// SubjectEvents (subject, from, limit) pages a subject's chain in
	// EventColumns.
	LastEvent, Events, SubjectEvents, AuditHeads, AuditAnchors string
	// ChainHead (subject: seq, hash) is LastEvent without a lock, for a
	// read (the head an export hands over); ChainAnchor (subject: seq,
	// hash, mac) the chain's anchor, if pruned (access.ChainHeadStore).
	ChainHead, ChainAnchor string
	// PruneCuts (before: subject, seq, hash) is the last event of each
	// chain's leading run of events dated before (N9: never one after the
	// chain's first event that is not); UpsertAnchor (subject, seq, hash, mac) keeps a
	// chain's anchor; PruneEvents (subject, seq) deletes a chain's events
	// up to seq.
	PruneCuts, UpsertAnchor, PruneEvents string
	// PruneChain (subject, seq, hash, mac: count), if set, does what
	// UpsertAnchor and PruneEvents do, in one call.
	PruneChain string
	// PruneLegacy (before) deletes the leading run of events dated
	// before before of the one chain kept in audit_events_legacy since
	// migration 0060 (rule N9); PruneLegacyCall (before: count), if set,
	// does it in a call that returns the number deleted.
	PruneLegacy, PruneLegacyCall string
	// ChainEvents (subject, seq, limit) pages the trail chain by chain,
	// each in the order of its numbers, after (subject, seq).
	ChainEvents string

	// InsertHold (id, subject, case, records, ground, reason, placed by,
	// placed); Hold (id: the HoldColumns); HoldLifted (id: bool) locks
	// the hold's row where rows lock; LiftHold (by, at, reason, id).
	InsertHold, Hold, HoldLifted, LiftHold string
	// SubjectHolds (subject: case_id, records) are a subject's standing
	// holds; SubjectHeld (subject: bool) asks whether there is one;
	// CaseHasRecord (case, the IDs of records: bool) whether one of the
	// records is of the case, in either file (rule G3).
	SubjectHolds, SubjectHeld, CaseHasRecord string
	// InsertErasure (the columns of ErasureColumns).
	InsertErasure string
	// Proof (record: the ProofColumns); Proofs (subject), in the order
	// stored.
	Proof, Proofs string
	// Candidates (after, employment ended before, closed before, created
	// before, erased before, limit: subject IDs) is a page of a sweep's
	// candidates.
	Candidates string
	// The dossiers of a list of subjects (the IDs of subjects):
	// DossierSubjects (the SubjectColumns), DossierCases (the
	// CaseColumns, by subject in the order of opening), DossierHolds and
	// DossierErasures (by subject in the order stored); DossierEntries
	// (the IDs of cases: medical, case_id, id, category, created,
	// coalesce(updated, created)), one or more statements that list the
	// records of both files.
	DossierSubjects, DossierCases, DossierHolds, DossierErasures string
	DossierEntries                                               []string

	// InsertGrant (the columns of GrantColumns); Grant (id: the
	// GrantColumns); LockGrant as Grant, its row locked; SubjectGrants
	// (subject: the GrantColumns, in the order given) and
	// LockSubjectGrants as SubjectGrants, locked shared; RevokeGrant (at,
	// id); RestsOnGrant (subject, at, grant: disclosure ID) is the first
	// disclosure at or after a time that rests on the grant.
	InsertGrant, Grant, LockGrant, SubjectGrants, LockSubjectGrants, RevokeGrant, RestsOnGrant string
	// InsertDisclosure (the columns of DisclosureColumns);
	// SubjectDisclosures (subject: the DisclosureColumns, in time order).
	InsertDisclosure, SubjectDisclosures string
	// InsertCoverage (the columns of CoverageColumns); Coverage (id: the
	// CoverageColumns); LockCoverage as Coverage, locked;
	// EmployerCoverage (employer, in order of start) and
	// LockEmployerCoverage as EmployerCoverage, locked shared; EndCoverage
	// (until, id); RestsOnCoverage (coverage, at: disclosure ID).
	InsertCoverage, Coverage, LockCoverage, EmployerCoverage, LockEmployerCoverage, EndCoverage, RestsOnCoverage string

	// InsertRequest (the columns of RequestColumns); Request (id: the
	// RequestColumns); UpdateRequest (the RequestColumns from kind to
	// history, then id, subject and the steps the row must still have: the
	// compare-and-swap); RequestState (id: subject_id, steps);
	// SubjectRequests (subject: the RequestColumns, in order of receipt);
	// OpenRequests (: the open requests' RequestColumns, by due date).
	InsertRequest, Request, UpdateRequest, RequestState, SubjectRequests, OpenRequests string

	// Groups (employer: version, members) in order; GroupVersion
	// (employer: the latest version, 0 for none); InsertGroup (employer,
	// version, members).
	Groups, GroupVersion, InsertGroup string
	// GroupMembers (members: id) are the members that are stored
	// subjects, their rows locked against deletion (the dialect's) until
	// the group commits: rule N12, no erased subject's ID enters a history
	// after its erasure, whose forgetting it would miss.
	GroupMembers string
	// LockGroupHistory (employer) takes the lock, held to the commit, that
	// orders the writers of an employer's history, where a row not yet
	// committed cannot be locked (the dialect's; empty where a write
	// transaction locks the whole database): an AddGroup and an erasure
	// that renumbers the history (forgetInGroups) never both write it on
	// what they read before the other committed (rule N12).
	LockGroupHistory string
	// ForgetInGroups (subject, token), if set, replaces a subject whose
	// row is gone by the token in every group history, each changed
	// history under a new version (rules N12, R9, O12); else the core
	// does it with GroupsWith (subject: employer, version, members),
	// GroupLow (employer: version), ShiftGroups (shift, employer) and
	// SetGroupMembers (members, employer, version) ([SQLGroupsWith]).
	ForgetInGroups, GroupsWith, GroupLow, ShiftGroups, SetGroupMembers string

	// Objects are the statements of retention.ObjectStore ([SQLObjects]).
	Objects ObjectQueries
	// ObjectPages are the statements of retention.ObjectPageStore; empty
	// where the dialect reads a page one subject at a time.
	ObjectPages ObjectPageQueries
}

// File are the statements of one compartment of records: the ordinary
// file or the medical file (rule O6), each a table of its own.
type File struct {
	// What is "record" or "medical record", for the ops of errors.
	What string
	// Insert is the dialect's statement of [Dialect.InsertRecords]; Get
	// (id: the RecordColumns); Update (subject, category, author, source
	// kind, source party, purpose, basis, created, updated, fields, id,
	// case); CaseOf (id: case_id); First (case, limit) and After (case,
	// created, id, limit) page through a case's records in RecordColumns.
	Insert, Get, Update, CaseOf, First, After string
	// SubjectFirst (subject, case, limit) and SubjectAfter (subject, case,
	// created, id, limit) page through them by subject and case (issue
	// 14 §2).
	SubjectFirst, SubjectAfter string
	// Owner (id: case_id, subject_id) finds a record's case and subject;
	// LockSubject (subject: 1) locks the subject's row with the rights of
	// the file's role; Delete (id, case, subject) deletes a record only if
	// it is still of the case and subject Owner found (rule G3).
	Owner, LockSubject, Delete string
}

// op is the Op of the errors of operation what.
func (s Store) op(what string) string { return s.Name + ": " + what }

// Exec runs one statement of a write inside tx and accounts for the rows
// it wrote (the dialect's steps run theirs through it too).
func (s Store) Exec(ctx context.Context, tx Conn, op, query string, args ...any) (int64, error) {
	n, err := tx.Exec(ctx, query, args...)
	if err != nil {
		return 0, err
	}
	return n, s.Faults.Wrote(op, n)
}

// checkWrite returns the first of err and the check of a write's audit
// events (rules O1, G7: no write goes unaudited).
func checkWrite(op string, err error, events []privacy.Event) error {
	if err != nil {
		return err
	}
	return sqladapter.CheckWriteEvents(op, events)
}

// CheckEvents checks the audit events an operation appends.
func CheckEvents(op string, events []privacy.Event) error {
	for _, e := range events {
		if err := sqladapter.CheckEvent(op, e); err != nil {
			return err
		}
	}
	return nil
}

// appendEvents appends events inside tx, if there are any, and returns
// them as stored.
func (s Store) appendEvents(ctx context.Context, tx Conn, op string, events []privacy.Event) ([]privacy.Event, error) {
	if len(events) == 0 {
		return []privacy.Event{}, nil
	}
	return s.D.AppendEvents(ctx, tx, op, events, false)
}

// write runs fn in a write transaction of the dialect's.
func (s Store) write(ctx context.Context, op string, fn func(tx Conn) error) error {
	return s.D.Write(ctx, op, fn)
}

// fail translates err into the library's error model.
func (s Store) fail(op string, err error) error { return s.D.Fail(op, err, nil) }
