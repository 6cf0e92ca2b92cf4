// Package seal keeps the personal content of a store sealed, per subject,
// so that erasing a subject reaches every copy of the database: backups,
// dumps, replicas and archived logs included (GDPR art. 17 and art.
// 5(1)(e); rules G3, R9, O12).
//
// [Wrap] puts a [Store] in front of any adapter's store (memstore,
// sqlitestore, pgstore). It encrypts, with AES-256-GCM and a data key of
// the record's subject, the values of every record's Fields — of the
// medical file too — before they reach the adapter, and decrypts them on
// the way back. The data keys (DEKs) live in a [Keys] store that is not the
// database, wrapped by a key-encryption key ([KEK]) that the database never
// sees either. Erasing a subject destroys its key first: from that moment
// nothing of its content is readable anywhere, not in a restored backup
// beside the live key store either. A read of such content fails with an
// error matching [ErrErased] (and [privacy.ErrNotFound]).
//
// # What is sealed and what stays clear
//
// Sealed: the value of every field of every record, medical or not
// (privacy.Record.Fields): names, addresses, the BSN, statements, notes,
// work-capacity assessments, the medical file; and the free text that may
// hold personal content beside them: the reasons in the history of a
// subject's request (rights.Step.Reason) and a hold's reasons
// (retention.Hold.Reason, LiftReason). After the subject's erasure the
// request and the hold stay readable — they are the accountability of
// what was done, the erasure included — and their texts read as
// [ErasedText]. A text of someone who is not a subject of the service, or
// written after the subject's erasure (the answer to the erasure
// request), has no key to be sealed with and is kept as written.
//
// In the clear, because queries, locks, audits and the retention clock
// need them, and because none of them is content about the person:
//   - IDs of subjects, cases, records, principals, parties, contracts,
//     grants, holds, requests (privacy.ValidID: opaque, never a name or a
//     BSN; the front door's NewID makes them random);
//   - categories and field names (the shape of a record, not its
//     content: access decides on them, O4, R8, O6);
//   - case kinds, purposes, sources, legal bases, policy versions, the
//     kinds, statuses, rules and grounds of requests and holds;
//   - dates: opened, closed, created, updated, employment ended (the
//     retention clock runs on them, R9, O12, N7);
//   - the audit trail: events hold IDs, roles, actions, rules and times,
//     never content (privacy.Event), so the hash chain is computed over
//     clear data and stays verifiable after an erasure;
//   - document references of grants, disclosures and requests (a
//     document's ID, by their contracts never its content), the proofs of
//     deletion (IDs, rules, dates).
//
// # Keys
//
// Each subject gets a random 256-bit data key at its first sealed write.
// The [Keys] store keeps it wrapped by the [KEK], with the KEK's ID, and
// apart from the database: [FileKeys] (a directory, one file per
// subject, written atomically) and [MemKeys] ship; any other store (a
// vault, a KMS-backed table) implements the five methods. [LocalKEK] takes
// its key from an environment variable or a file; a cloud KMS implements
// [KEK] in its place. [Rotate] re-wraps every data key under a new KEK
// without touching the sealed content, and never over the tombstone of an
// erasure that runs meanwhile (by compare-and-swap on a [Swapper]).
//
// A subject's key is added before its row ([Store.CreateSubject]) and
// marked [Entry.Creating] until the row exists: a [Store.Reap] of any
// process leaves it alone for [CreationGrace].
//
// A sealed value that does not open fails the read of its own record,
// request or hold with [ErrTampered]; in a listing it reads as
// [UnreadableText], so that it neither fails nor silently shortens it.
//
// # Erasure
//
// [Store.DeleteSubject] replaces the subject's key with a tombstone (no key
// material: when, under which key ID, the events of the erasure) before it
// deletes the rows. A crash between the two leaves content that nobody can
// read; [Store.Reap], run by Wrap and after every erasure, finishes what a
// tombstone left pending and destroys keys whose subject is gone. A failed
// (not crashed) deletion puts the key back, so that the store is as it was.
// The tombstone is the proof that the key was destroyed ([Store.Erasure]).
//
// Backups of the key store itself must be kept short (a key store backup
// older than an erasure brings the key back); see README, "Sealed
// content".
package seal
