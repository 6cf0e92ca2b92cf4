// Package privacy is the vocabulary of Dossierwacht and its case file: the
// kinds of personal data an occupational-health, absence or reintegration
// service holds, who handles them, why, and under which rules — and
// [Dossiers], the case file that refuses to store what those rules forbid.
//
// # Starting out
//
// A service picks a [Policy] — [Strict] (both regulations; the default),
// [RegulationO] or [RegulationR] — and a [Store] (the in-memory
// [github.com/dossierwacht/dossierwacht/memstore] for tests and
// examples, SQLite or PostgreSQL from examples/sqlitestore and examples/pgstore in production):
//
//	d, err := privacy.NewDossiers(memstore.New(), privacy.Strict())
//
// It registers a [Subject], opens a [Case] under a [Contract] for a
// [Purpose], and adds [Record] values to it. Every write is checked: a
// record in a special category (religion, race, political opinions, …) is
// refused with [ErrProhibitedCategory] and nothing is stored (rule O5);
// a case needs a contract in force (O2) and a purpose the policy allows
// (R5); a BSN record needs a statutory basis (N5); medical records go to a
// separate file (O6). A closed case takes no records (R4).
//
// Every write names its [Act] — who acts, when, why and from where — and
// is audited in the store's own transaction, one event per object, with
// the NEN 7513 fields (rules O1, G7, N9); so is every read of the medical
// file, before it returns anything. An event that cannot be written fails
// the write. Data under a legal hold stays as it was (G3).
//
// Who may read or write what is decided by package access; what may leave
// the service by package consent; how long it is kept by package retention.
// They all decide from the same [Policy].
//
// # Categories
//
// The taxonomy is closed. [Categories] lists the ones a service may
// process, [SpecialCategories] the ones it never does. Each [Category]
// knows its Dutch name, the rule that introduces it, whether it is health
// data, and the [Field] values its records may hold ([Category.Info]).
// Where a rule names what may be shared, it names fields:
// [SickReportFields] (N1), [PhysicianToEmployerFields] (N2),
// [InsurerMaximum] (N3) and [InsurerOverview] (O11).
//
// [Category.Fideslang] and [Field.Fideslang] give the keys of the fideslang
// taxonomy (Fides, the IAB Tech Lab Privacy Taxonomy; CC BY 4.0, © Ethyca,
// Inc. and IAB Tech Lab) that describe a category or field, for exchanging
// registers with other tools. No key fits nationality, education,
// appointments, trade union membership or whether a third party is liable;
// those map to none.
//
// # Policies
//
// A [Policy] is data: purposes, access rules per role and category with
// their conditions, disclosure rules and legal bases, retention rules,
// request deadlines, the minimum group size for figures. It has a version
// and an effective date (O16); [Versions] holds a dated history. Policies
// encode to JSON with [Policy.Encode] and decode strictly with
// [DecodePolicy]: unknown fields, unknown names, and rules that would cross a
// statutory floor — medical data for anyone but a physician (O6), the
// absence reason for an outsider (O9), more than N3 for an insurer, the BSN
// on consent (N5) — are errors that name the path of the bad value. The
// texts a person reads are in English and Dutch ([Text]; see [Policy]).
// No policy drops the conditions that say who a principal is to a case (the
// subject's own data, R11 and O13; the employer's own cases, O2; the
// insurer's covered employers, O11; the assignment, R7 and O4), lets the
// employer read health data (N4), discloses anything without consent but
// N2's advice and O11's overview (R6, O14), names a statute beyond those
// the library knows ([StatutoryBases], N5, N10), or drops or shortens a
// statutory retention period (R9, N7); [Policy.Validate] lists them all.
//
// Where the regulations differ, [Strict] takes the stricter rule: content
// needs an assignment (R7 over O4), consent to a disclosure is written
// (O14 over R6), and a subject's request is answered within four weeks,
// not extended (R11 over O13's month and over the GDPR's two further
// months, G2: regulation R allows no extension). A policy that implements
// regulation R allows no extension at all; [RegulationO] extends its month
// by two.
//
// # Errors
//
// Every error matches one kind with [errors.Is]: [ErrInvalid],
// [ErrNotFound], [ErrExists], [ErrForbidden] (with [ErrProhibitedCategory]
// as a narrower case), [ErrConflict], [ErrUnavailable]. The [*Error] that
// carries it names the operation and, where one decided, the rule
// ([RuleOf]). Errors, String methods and log values never carry personal
// data: subjects, cases and records are identified by ID only, and records
// implement [log/slog.LogValuer] without their content.
//
// # Storage
//
// [Store] is the small interface an adapter implements, with the medical
// file as its own method set ([MedicalStore]). Its contract — copies in and
// out, typed errors, atomic operations, every write with its audit events
// in one atomic unit, complete erasure, no record added to a closed case,
// held data unchanged — is checked by the kit in
// [github.com/dossierwacht/dossierwacht/privacy/privacytest].
package privacy
