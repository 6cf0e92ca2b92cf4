// Package consent decides and records every disclosure of a subject's data
// to a party outside the service: on the subject's consent (explicit for
// rule R6, written for O14 and for medical data, O6), on a statute the
// policy names (N5, N10), or on a rule that needs neither (the physician's
// advice to the employer, N2; the insurer's overview, O11) — and refuses
// everything else.
//
// # Getting started
//
// Build a [Registry] on a [Store] (the in-memory one is
// github.com/dossierwacht/dossierwacht/memstore) and a policy:
//
//	reg, err := consent.New(memstore.New(), privacy.Strict(), nil)
//
// The Store keeps the case file as well (its Case, Record and
// MedicalRecord are those of privacy.Store): every disclosure comes from
// one case, which the registry reads from it, and every record a request
// names is read and checked too.
//
// Record the subject's consent with [Registry.AddGrant], withdraw it with
// [Registry.Revoke], record which absence insurer covers which employer
// with [Registry.AddCoverage] (rule O11), and send every disclosure
// through [Registry.Disclose], as the [access.Principal] who discloses,
// with its assignments: it reads the subject's grants (and, for an
// insurer, the coverage register), decides and logs the disclosure in one
// atomic step of the store, with an audit event whether it was allowed or
// not. [Registry.Disclosures] and [Registry.Recipients] answer who
// received what (G1); [Registry.Notify] says whom to tell of a
// rectification or an erasure (G4).
//
// # Decisions
//
// A [Decision] names the rule that decided and the basis an allowed
// disclosure rests on; the zero Decision is a denial. The [Engine] makes
// them: a pure function of the policy, the [Request] and the [Facts] of the
// store (the case, the subject's [Grant]s, the [Coverage] register), with
// no I/O and no clock. Some rules hold whatever the policy or the grants
// say: the absence reason never leaves (O9); the BSN leaves only on a
// statute (N5); an absence insurer never gets more than the AP's list
// (N3); only a physician discloses medical data, and only on written
// consent or a statute (O6).
//
// A disclosure is decided with its case and its discloser. The discloser
// passes on only what the access engine, compiled from the same policy,
// lets it read of the case at that moment, for that purpose: each named
// field, or the whole category (R7, O4, R8, O6, G8, N4, N6, O7). The case
// decides too: its purpose (R5) and contract term (O2); the physician's
// advice without consent goes only to the employer that commissioned it
// (N2); the overview only to an insurer the coverage register shows
// covering the case's employer (O11); nothing of a consultation-hour or
// periodic-exam case reaches an employer without the subject's written
// approval (O10). A third party, and the employer beyond the statutory
// minimum, receive data on consent only on their written request (O14). [Engine.Consents] answers the access engine's
// question for O10: did the subject let the employer learn of a
// consultation-hour visit?
//
// # Revocation
//
// A revocation takes effect at its time: no disclosure at or after it may
// rest on the grant, and once it is recorded no disclosure of the subject
// dated before it is allowed either (R6: nobody reaches behind it).
// Because [Store.Disclose] reads the grants and writes the log under the
// same lock or transaction as [Store.RevokeGrant], a revocation racing a
// disclosure never leaves a disclosure logged after the revocation took
// effect; and a revocation never rewrites the log of what was disclosed
// before it. The end of a coverage ([Registry.EndCoverage]) works alike.
//
// # Testing
//
// Package consenttest is the conformance kit for [Store] adapters.
package consent
