// Package sqlitestore is the embedded default adapter: one SQLite file, no
// server, through the pure-Go driver modernc.org/sqlite (no cgo). A
// [Store] implements privacy.Store with its separate medical file
// (privacy.MedicalStore) and the hash-chained audit trail, and passes the
// conformance kit privacytest in full, fault injection included. The same
// store keeps the consent register and disclosure log (consent.Store, kit
// consenttest) and the subjects' requests (rights.Store, kit rightstest),
// so that consent.New and rights.New take it as they take the in-memory
// store.
//
// Start with [Open] on a file path and hand the store to
// privacy.NewDossiers:
//
//	store, err := sqlitestore.Open(ctx, "dossiers.db", nil)
//	if err != nil { … }
//	defer store.Close()
//	dossiers, err := privacy.NewDossiers(store, privacy.Strict())
//
// # The file
//
// The file belongs to the store: Open creates it, sets it to WAL mode,
// turns foreign keys on for every connection, and runs the schema's
// migrations. Tables: subjects, cases, records, medical_records (rule O6:
// the medical file is a table of its own), audit_events, holds, erasures,
// proofs, consent_grants, disclosures, requests, access_groups and
// schema_migrations. Lists of names (a grant's categories, a disclosure's
// grants and items, a request's records and history, a group's members)
// are JSON arrays: IDs, categories, rules and staff's reasons, never
// record content. Times are kept as microseconds since 1970 UTC
// (NULL is the zero time), so they come back exactly as privacy.Timestamp
// left them; dates as their text YYYY-MM-DD.
// A record's fields are one opaque value that round-trips any bytes; the
// other text columns take UTF-8 without NUL bytes, IDs as privacy.ValidID
// says, times in the years 1 to 9999; anything else fails with
// privacy.ErrInvalid before a statement runs. Values reach SQL only as
// parameters.
//
// # Retention
//
// The store is also a retention.Store and a retention.BatchStore (file
// retention.go, migration 0003): legal holds, granted erasure requests and
// proofs of deletion in tables of their own, and sweeps that delete a
// batch of records with their proofs and audit events in one write
// transaction, after checking each for a proof, a change and a standing
// hold (rule G3); the direct deletions of privacy.Store (DeleteRecord,
// DeleteCase, DeleteSubject) read the standing holds in their own write
// transaction too, and refuse to delete what one covers. A sweep's
// candidates come from indexes, one walk of the subjects in ID order (see
// [Store.Candidates]); it passes the kit retentiontest in full, and a
// sweep killed halfway (SIGKILL) finishes on the next run with one proof
// per deletion (TestSweepCrash).
//
// # Concurrency
//
// SQLite lets one transaction write at a time. The store writes through one
// connection, so its own writers queue in the process instead of failing
// with SQLITE_BUSY; its write transactions begin IMMEDIATE, and a write
// that meets another process's lock waits up to [Options].BusyTimeout.
// Reads run in parallel on up to [Options].MaxReaders connections and never
// wait for the writer (WAL). Listings ([Store.CaseRecords],
// [Store.Events]) read a page at a time and hold no connection while the
// caller works.
//
// # Consent and requests
//
// [Store.Disclose] reads the subject's grants, calls the registry's
// decision and logs its verdict in one write transaction; the file has one
// writer at a time, so a revocation ([Store.RevokeGrant]) runs wholly
// before or wholly after it, and no disclosure is ever logged at or after
// the time a revocation of its grant took effect. The disclosure log is
// never changed (a trigger refuses an UPDATE). [Store.UpdateRequest] is a
// compare-and-swap on the length of the request's history, in one UPDATE.
//
// # Errors
//
// Every error is a *privacy.Error: a unique violation is privacy.ErrExists,
// a missing row or a foreign key that points nowhere is privacy.ErrNotFound,
// a write to the append-only audit trail other than an append is
// privacy.ErrForbidden (rule G7), anything the database or the disk did is
// privacy.ErrUnavailable. The driver's error is kept as Err, for logs; its
// text names tables and constraints, never values.
//
// # The audit trail
//
// The trail is one hash chain per subject (events about no subject in the
// service's own chain), keyed by (subject, seq) (migration 0060; the one
// chain of earlier versions stays in audit_events_legacy). Give
// [Options].AuditKey, a key kept out of the file: the links are then
// HMAC-SHA256 under it, and whoever holds the file but not the key cannot
// rewrite, extend or re-chain the trail unnoticed (rule G7). The store reads
// every chain's head ([Store.AuditHeads]) for checkpoints kept outside the
// file, and prunes each chain after the audit retention keeping a signed
// anchor ([Store.PruneAudit], rule N9); its triggers let only events at or
// before their chain's anchor go. The one chain of earlier versions, in
// audit_events_legacy, is not verified (migration 0060's comment says
// access.Verify checks it: it does not); since migration 0068 PruneAudit
// deletes its leading run of events past the audit retention in the same
// transaction and counts them with the chains' (N9), and its triggers let
// only its oldest events go.
//
// # Migrations
//
// The schema is the files of migrations/, NNNN_name.sql, applied in order
// by Open in one transaction and recorded in schema_migrations; a second
// Open applies nothing. Numbers ascend and may leave gaps. A file whose
// schema is newer than the adapter is refused with privacy.ErrConflict.
//
// # The body and the dialect
//
// What the store does is written once for both SQL adapters, in the
// internal package sqlcore: the checks of every value, the steps of every
// operation in one transaction with its audit events, the chaining of the
// trail, the checks of holds and closed cases, a sweep's refusals, the
// error kinds and the scanning of rows. This package is its SQLite
// dialect: the statements (queries.go), the one writer and the reader
// connections, times as microseconds and lists as JSON, SQLite's
// constraint codes, and the steps that write a row at a time (a batch of
// records or events through one prepared statement, a sweep item by
// item). Each method of [Store] calls the body with them.
//
// Adding a store is two new places: migrations/NNNN_name.sql with its
// tables and indexes and its statements in queries.go, and its operations
// in sqlcore, written once for both adapters, which run inside the
// dialect's write transaction and append their audit events there;
// statements that write go through the body's Exec, which counts rows for
// [Store.FailAfter].
package sqlitestore
