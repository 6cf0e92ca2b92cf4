// Package pgstore is the PostgreSQL adapter, for users who outgrow one
// machine: a [Store] implements privacy.Store with its separate medical
// file (privacy.MedicalStore) and the hash-chained audit trail, and passes
// the conformance kit privacytest in full, fault injection included.
// The same store keeps the consent register and disclosure log
// (consent.Store, kit consenttest) and the subjects' requests
// (rights.Store, kit rightstest).
//
// Start with [Open] on a DSN and hand the store to privacy.NewDossiers:
//
//	store, err := pgstore.Open(ctx, "postgres://app@db.internal/cases", nil)
//	if err != nil { … }
//	defer store.Close()
//	dossiers, err := privacy.NewDossiers(store, privacy.Strict())
//
// or build the pool yourself (TLS, pool size, tracing) and call [New].
//
// # Driver
//
// The adapter talks to PostgreSQL through pgx's own pool (pgxpool), not
// through database/sql with pgx's stdlib wrapper: Go slices bind directly as
// PostgreSQL arrays, so a whole AddRecords or audit append is one statement
// whose columns travel as arrays; server errors arrive as *pgconn.PgError
// with their SQLSTATE; the query mode that poolers need is a setting of the
// pool; and there is one pool, not database/sql's pool around pgx's
// connections. The price is that a caller who builds the pool hands [New] a
// *pgxpool.Pool, not a *sql.DB.
//
// # Schemas and roles
//
// The case file and the audit trail live in one schema ([Options].Schema,
// default [DefaultSchema]); the medical file lives in a schema of its own,
// Schema+"_medical" (rule O6), so that a database role can be limited to
// it. Tables: subjects, cases, records, audit_events, holds, erasures,
// proofs, consent_grants, disclosures, requests, access_groups,
// consent_coverage, audit_anchors, audit_events_legacy (the one chain
// before migration 0060, not verified; since migration 0068 pruned with
// the chains after the audit retention, see below) and schema_migrations in the first; records in the second. [Grants] returns
// the statements that give an application role the case file and the
// audit trail but never the medical file, and a medical role the medical file and of the case file
// only the case IDs; for the default schema and roles app and physician:
//
//	GRANT USAGE ON SCHEMA "dossierwacht" TO "app";
//	GRANT SELECT ON "dossierwacht".schema_migrations TO "app";
//	GRANT SELECT, INSERT, UPDATE, DELETE ON "dossierwacht".subjects, "dossierwacht".cases, "dossierwacht".records TO "app";
//	GRANT SELECT ON "dossierwacht".audit_events, "dossierwacht".audit_anchors TO "app";
//	GRANT EXECUTE ON FUNCTION "dossierwacht".append_chained(bigint[], timestamptz[], text[], text[], text[], text[], text[], text[], text[], text[], text[], text[], text[], text[], text[], text[], bytea[], bytea[]) TO "app", "physician";
//	GRANT EXECUTE ON FUNCTION "dossierwacht".chain_head_locked(text) TO "app", "physician";
//	GRANT EXECUTE ON FUNCTION "dossierwacht".prune_chain(text, bigint, bytea, bytea) TO "app";
//	GRANT EXECUTE ON FUNCTION "dossierwacht".prune_legacy(timestamptz) TO "app";
//	GRANT EXECUTE ON FUNCTION "dossierwacht".lock_cases(text[]) TO "app", "physician";
//	GRANT EXECUTE ON FUNCTION "dossierwacht".case_dated_after(text, timestamptz) TO "app";
//	GRANT SELECT, INSERT, UPDATE ON "dossierwacht".holds, "dossierwacht".erasures TO "app";
//	GRANT SELECT, INSERT ON "dossierwacht".proofs TO "app";
//	GRANT SELECT, INSERT, UPDATE ON "dossierwacht".consent_grants, "dossierwacht".requests TO "app";
//	GRANT SELECT, INSERT ON "dossierwacht".disclosures TO "app";
//	GRANT SELECT, INSERT ON "dossierwacht".access_groups TO "app";
//	GRANT SELECT, INSERT, UPDATE ON "dossierwacht".consent_coverage TO "app";
//	GRANT USAGE ON SCHEMA "dossierwacht", "dossierwacht_medical" TO "physician";
//	GRANT SELECT ON "dossierwacht".schema_migrations TO "physician";
//	GRANT SELECT (id) ON "dossierwacht".cases TO "physician";
//	GRANT SELECT, INSERT, UPDATE, DELETE ON "dossierwacht_medical".records TO "physician";
//	GRANT SELECT (subject_id, case_id, records, lifted) ON "dossierwacht".holds TO "physician";
//	GRANT EXECUTE ON FUNCTION "dossierwacht".lock_subject(text) TO "physician";
//	GRANT EXECUTE ON FUNCTION "dossierwacht".case_of_subject(text, text) TO "app", "physician";
//	GRANT SELECT, INSERT, UPDATE ON "dossierwacht".consent_grants TO "physician";
//	GRANT SELECT, INSERT ON "dossierwacht".disclosures TO "physician";
//
// Each role opens its own store (a pool logged in as that role); a call
// beyond its grants fails with privacy.ErrForbidden and changes nothing.
// A deployment whose roles were granted before migration 0007 runs
// [Grants] again after upgrading: a direct deletion now reads the standing
// holds' scopes and locks the subject's row (rule G3), which the medical
// role does through the function lock_subject; until then its deletions
// fail with privacy.ErrForbidden. A role of your own that deletes records
// needs SELECT on holds' subject_id, case_id, records and lifted. So does
// one granted before migration 0008: every write of privacy.Store now
// appends its audit events (rules O1, G7, N9), through the function
// append_events, and adds records only to open cases (rule R4), through
// lock_cases; revoke the physicians' role's INSERT on audit_events, which
// it no longer needs (REVOKE INSERT ON "dossierwacht".audit_events FROM
// "physician"). Since migration 0060 every role appends through
// append_chained, which checks that each event is the next of its chain
// and linked to its head (the hash is the adapter's, under a key the
// database does not hold), reads a chain's head through
// chain_head_locked, and prunes through prune_chain: run [Grants] again
// and revoke what roles were granted on the trail before (REVOKE INSERT ON
// "dossierwacht".audit_events FROM "app"; REVOKE SELECT ON
// "dossierwacht".audit_events FROM "physician"). Migration 0061 makes
// append_chained check each chain of a batch once (its head read once,
// the batch's events of it checked against it and each other) and insert
// the batch with one statement; an event that does not follow its
// chain's head is refused with SQLSTATE DWG7S. The store appends an
// audited read's events in one round trip, chained after the heads it
// remembers from its own last appends, and concurrent calls share their
// statements (group commit), one on its way at a time, sent by a
// goroutine of the store's own while calls wait (a panic in a statement
// is raised in each call it carried not told its outcome yet, not in
// that goroutine); a head that moved on (another process
// appended) is read again under the chain's lock. Migration 0064 checks
// a batch of more than 64 events (a sweep's) set-wise, with the same
// refusals; migration 0065 looks a head up only for each chain's first
// event of such a batch (0064's join of every event to every head cost
// most of a sweep's time). Migration 0066 shifts an employer's group
// histories by their span when a member is erased (rule N12; the version
// doubled before, out of range after some 60 members); migration 0067
// lets prune_chain find a chain already pruned past its cut by a run at
// the same time (rule N9) instead of refusing it. Migration 0069 makes
// prune_chain and prune_legacy refuse (SQLSTATE DWG09, privacy.ErrForbidden
// under N9) to delete an event younger than 5 years by the database's own
// clock, whatever cut their caller names: a role in the wrong hands cannot
// prune recent events (the floor, audit_prune_floor, is the owner's; its
// clock_offset is for tests that sweep at dates to come, zero otherwise). No grant changes.
// Migration 0060's comment says access.Verify still checks
// audit_events_legacy: it does not, and until migration 0068 its events
// were kept for ever. Since migration 0068 [Store.PruneAudit] deletes its
// leading run of events past the audit retention, in the transaction that
// prunes the chains and counted with them (rule N9), through the function
// prune_legacy; the table refuses UPDATE, TRUNCATE and the DELETE of any
// but its oldest events, even to its owner: run [Grants] again.
// Since migration 0062 the
// erasing role takes a deleted or erased subject out of the group
// histories through forget_in_groups (rule N12), and DeleteSubject removes
// the subject's grants, disclosure-log entries, lifted holds and erasure
// requests with it (rules R9, O12): run [EraserGrants] again.
// The physicians' side deletes a medical record with
// privacy.Dossiers.DeleteMedicalRecord: DeleteRecord asks the case file
// first, which its role may not read. Erasing a case or a subject removes its medical records too, so the role
// that erases is granted both roles. The audit trail is append-only: no
// role gets UPDATE or DELETE on it, and its triggers refuse those and
// TRUNCATE even to its owner (rule G7).
//
// # Retention
//
// The store is also a retention.Store and a retention.BatchStore (file
// retention.go, migration 0003): legal holds, granted erasure requests and
// proofs of deletion in the case file's schema, and sweeps that delete a
// whole batch of records in one transaction of set-wise statements, with
// a proof and a hash-chained audit event per record. [Store.EraseRecords]
// says what it locks so that a hold placed during a sweep is respected
// (rule G3): the rows of the batch's subjects, which [Store.PlaceHold]
// locks too. The direct deletions of privacy.Store take the same lock of
// the subject's row before they read its standing holds, and refuse to
// delete what one covers (see [Store.DeleteRecord]; the physicians' role
// locks through the function lock_subject of migration 0007).
// [Store.Candidates] walks the subjects in ID order and asks each from
// indexes (TestRetentionIndexes checks the plan). A sweep killed halfway
// (SIGKILL) finishes on the next run with exactly one proof per deletion
// (TestSweepCrash); BenchmarkSweep1M measures a sweep of a million records
// beside a hand-written DELETE.
//
// # Poolers, managed servers, replicas
//
// The store keeps no session state: every name is schema-qualified (no
// search_path), every lock is transaction-scoped (pg_advisory_xact_lock),
// and [Open] sends statements with pgx.QueryExecModeCacheDescribe unless
// the DSN names a default_query_exec_mode: each statement is parsed with
// the unnamed prepared statement in the same round trip that runs it (the
// parameter types a connection learned are kept on the client), so no
// server-side prepared statement outlives its round trip. It therefore works on a single server, behind
// PgBouncer or another pooler in transaction mode, and on managed
// PostgreSQL, where it needs no superuser and no extension. A pool given to
// [New] keeps its own mode: on a direct connection the default
// (cache_statement) is fastest; behind a transaction-mode pooler set
// QueryExecModeCacheDescribe (binary parameters), QueryExecModeExec or
// QueryExecModeSimpleProtocol.
//
// [Options].Replica adds a pool on a read replica. Only listing reads whose
// context is marked with [WithReplica] go there; see WithReplica for which
// reads may lag and why the others never do.
//
// # Consent and requests
//
// [Store.Disclose] is one read-committed transaction: it reads the
// subject's grants with SELECT … FOR SHARE, calls the registry's decision
// and logs its verdict with its audit events. [Store.RevokeGrant] locks the
// grant's row FOR UPDATE before it checks that no logged disclosure at or
// after the revocation's time rests on the grant. Disclosures of one
// subject therefore run side by side, but a revocation waits for those
// that read its grant, and they for it: no disclosure is logged at or
// after the time a revocation of its grant took effect. Row locks are
// transaction-scoped, so this holds behind a pooler too. Every transaction
// takes its row locks before the audit trail's advisory lock, so the two
// never deadlock. The disclosure log is never changed: a trigger refuses
// an UPDATE (privacy.ErrForbidden). [Store.UpdateRequest] is a
// compare-and-swap on the length of the request's history, in one UPDATE.
// A grant's categories, a disclosure's grants and a request's records are
// text arrays; a disclosure's items and a request's history are jsonb, of
// IDs, categories, rules and staff's reasons, never record content; dates
// are text YYYY-MM-DD.
//
// # Values and errors
//
// Times are timestamptz, kept to the microsecond as privacy.Timestamp
// leaves them, NULL for the zero time. IDs are text COLLATE "C", ordered
// byte by byte as the other adapters order them. A record's fields are one
// bytea value that round-trips any bytes; the other text columns take
// UTF-8 without NUL bytes, IDs as privacy.ValidID says, times in the years
// 1 to 9999; anything else fails with privacy.ErrInvalid before a
// statement runs. Values reach SQL only as parameters; the only names put
// into SQL text are the schema names, validated and quoted.
//
// Every error is a *privacy.Error: a unique violation is privacy.ErrExists,
// a missing row or a foreign key that points nowhere privacy.ErrNotFound, a
// privilege the role lacks privacy.ErrForbidden, a change to the audit
// trail privacy.ErrForbidden citing G7, a lost serialisation race
// privacy.ErrConflict, a lost connection, a timeout or a cancelled context
// privacy.ErrUnavailable. The server's error is kept as Err with its
// SQLSTATE but without its detail, which can quote row values.
//
// # Migrations
//
// The schema is the files of migrations/, NNNN_name.sql with {schema} and
// {medical} standing for the quoted schema names. [Store.Migrate] (run by
// Open and New unless [Options].NoMigrate) applies those the database
// lacks, in one transaction under an advisory lock, and records them in
// schema_migrations; a second run applies nothing, and a store that finds
// the schema current needs no right to change it. A schema newer than the
// adapter is refused with privacy.ErrConflict.
//
// # The body and the dialect
//
// What the store does is written once for both SQL adapters, in the
// internal package sqlcore: the checks of every value, the steps of every
// operation in one transaction with its audit events, the chaining of the
// trail, the checks of holds and closed cases, a sweep's refusals, the
// error kinds and the scanning of rows. This package is its PostgreSQL
// dialect: the statements (queries.go; the locks, arrays and functions
// above), the transactions (READ COMMITTED, REPEATABLE READ for a
// snapshot, the replica), timestamptz and text[] values, the SQLSTATE
// codes, and the steps that send a batch at once (records as column
// arrays, events through append_chained, proofs with COPY, a sweep's deletions per
// file). Each method of [Store] calls the body with them.
//
// Adding a store is new files: migrations/NNNN_name.sql with its tables
// and indexes, its statements in queries.go, and its operations in
// sqlcore, written once for both adapters, which run inside the dialect's
// write transaction and append their audit events there; statements that
// write go through the body's Exec, which counts rows for
// [Store.FailAfter]. If the new tables belong to the medical side, put
// them in {medical} and extend [Grants].
//
// # Tests
//
// The tests run against the server named by DOSSIERWACHT_POSTGRES_DSN, each
// in schemas of its own that it drops at the end:
//
//	DOSSIERWACHT_POSTGRES_DSN='postgres://postgres@127.0.0.1:5432/test?sslmode=disable' go test ./examples/pgstore
//
// Without the variable they skip and say so on standard error, once per go
// test command, with -v or without; with DOSSIERWACHT_REQUIRE_POSTGRES=1 (as
// in CI) they fail instead.
package pgstore
