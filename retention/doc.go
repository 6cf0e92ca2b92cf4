// Package retention says, for every record of the case file, when it must
// be deleted and why, and deletes it when the time comes — with a proof of
// each deletion, and without losing anything a statute or a legal hold
// requires to stay (rules R9, O12, G3, G4, N7, N8, N9).
//
// # Getting started
//
// Make a [Keeper] from a store and the policy the case file is kept
// under, then run a [Keeper.Sweep] from a nightly job:
//
//	store := memstore.New() // implements privacy.Store and retention.Store
//	ret, err := retention.New(store, privacy.Strict(), nil)
//	…
//	officer := privacy.Principal{ID: "officer-1", Role: privacy.RolePrivacyOfficer}
//	report, err := ret.Sweep(ctx, officer, time.Now())
//
// [Keeper.Plan] is the same sweep as a dry run; [Keeper.Schedules]
// and [Keeper.Explain] show one subject's schedules and why;
// [Keeper.PlaceHold] and [Keeper.LiftHold] manage legal holds;
// [Keeper.RequestErasure] grants a subject's erasure request and says
// which records go and which stay; [Keeper.Erase] deletes them at once,
// each with its proof.
//
// # Who decides
//
// Only the service's privacy officer ([privacy.RolePrivacyOfficer], the
// privacy officer or data protection officer of GDPR art. 37–39) places
// and lifts legal holds, grants and carries out erasure requests, and
// runs sweeps and their dry runs. Every other principal — an employer
// contact, an insurer, the application administrator, and the case
// managers and physicians who work the file — is refused with an error
// matching [privacy.ErrForbidden], before anything is looked up, and the
// refusal is written to the audit trail as a denial (rules G7, N9). The
// refusal names its rule: G3 for a hold placed or lifted
// ([Keeper.PlaceHold], [Keeper.LiftHold]), O13 for an erasure
// granted or carried out ([Keeper.RequestErasure], [Keeper.Erase];
// R9 under a policy of regulation R alone), O12 for a sweep and its plan
// ([Keeper.Sweep], [Keeper.Plan]).
//
// Why the officer and nobody else: a hold keeps data for a legal
// obligation or a claim (G3), so it must not be lifted by whoever wants the
// data gone — the employer in a dispute, the staff member whose note is at
// issue — nor placed by whoever wants to keep what should go; the officer
// answers for both sides and to the supervisory authority. The erasure
// decision (R9, O13) and the sweep (O12) work on identifiers, categories
// and dates, never on content, so the role that decides them needs none:
// the officer sees no case content (package access refuses it, R8), and
// the staff who do see content do not decide what is destroyed.
//
// # Schedules
//
// A [Schedule] is a pure function of a record, its case, its subject, the
// policy's retention rules, the holds and erasure requests, and the time:
// [Engine.Schedule] does no I/O and reads no clock. Periods are counted on
// the calendar by package calendar, with EU Regulation 1182/71's month-end
// clamping (29 February 2024 plus two years ends on 28 February 2026), on
// days in Europe/Amsterdam: a record is due from 00:00 Amsterdam time on
// the day after its period ends. [Engine] documents how rules combine:
// statutory periods are minimums and the longest one holds; other periods
// are maximums and the earliest one holds; an erasure request brings the
// date forward but never before a statutory minimum; a legal hold keeps
// everything in its scope.
//
// # Sweeps
//
// A sweep pages through the subjects that may have records due
// ([Store.Candidates], answerable from indexes on closing, employment-end,
// creation and decision times), computes their schedules and deletes what
// is due through [Store.EraseRecord]: the record (from the separate medical
// file for medical records), its [Proof] and an audit event land together,
// and the store checks holds under the same lock, so a record held during
// a sweep is not deleted. A sweep is idempotent and resumable: after an
// interruption, run it again; a record with a proof is done.
//
// A store that also implements [BatchStore] gets each batch of due
// records whole ([BatchStore.EraseRecords]), with the same checks per
// record, in one atomic step: a database adapter pays one transaction per
// batch instead of one per record. [Options].BatchSize sets the batch; a
// few thousand suits a database (the SQL adapters' benchmarks use 4096).
// [Options].Workers lets a sweep delete several batches at once, each
// still one atomic step with its own checks: the Go side of one batch
// (its schedule, proofs, chained events and their encoding) then overlaps
// the database's work on another. When nothing else changes the store
// meanwhile, the report is the one the same batches give one after the
// other; the recipients are looked up one batch after another, in order.
//
// With [Options.Recipients], a sweep asks the disclosure log (package
// consent) who received the records it deletes and lists them in its
// [Report] and in each proof, so that they can be told (rule G4).
//
// # Every other kind of stored data
//
// Records are not all a service keeps about a person: the subject's master
// data, the case rows, legal holds, erasure requests, consent grants,
// subject requests and disclosure-log entries are personal data too, and
// every policy has a retention rule for each ([privacy.DataRule],
// [privacy.DataKind]; rules R9, O12, N7, G3, G4). When the store is an
// [ObjectStore], a sweep removes them when due, after the records, each
// through [ObjectStore.EraseObject] with an [ObjectProof] and an audit
// event, the holds and what the object outlives checked in the same
// step: an object is never removed before the data it is about
// ([Engine.ScheduleObjects]), so the subject goes last. [Report].Objects
// counts each kind; [Keeper.ObjectSchedules] says, for a subject, what is
// kept and by which rule.
//
// # Audit events
//
// Audit events have their own retention (N9: at least five years);
// [Engine.AuditDue] gives the day an event may go and [Engine.AuditBefore]
// the cut-off of a sweep. Pruning a hash-chained log needs a checkpoint
// that the log itself must write, so a sweep leaves it to a store that
// implements [AuditPruner]; otherwise its report lists audit events as
// Unswept.
//
// # What is not deleted here
//
// A store that is not an [ObjectStore] has its records swept only; its
// report lists every other kind as Unswept, and the rows of a case and a
// subject stay until the caller deletes them through
// [privacy.Dossiers.DeleteCase] and [privacy.Dossiers.DeleteSubject].
// Those direct deletions, and [privacy.Dossiers.DeleteRecord], honour the
// holds too (rule G3): the store refuses to delete anything a standing
// hold covers, under the lock a hold's placing takes (see [Store]).
//
// # Testing
//
// Package retentiontest is the conformance kit for [Store] adapters; the
// in-memory adapter in memstore passes it.
package retention
