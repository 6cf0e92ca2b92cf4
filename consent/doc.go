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
// Record the subject's consent with [Registry.AddGrant], withdraw it with
// [Registry.Revoke], and send every disclosure through
// [Registry.Disclose]: it reads the subject's grants, decides and logs the
// disclosure in one atomic step of the store, with an audit event whether
// it was allowed or not. [Registry.Disclosures] and [Registry.Recipients]
// answer who received what (G1); [Registry.Notify] says whom to tell of a
// rectification or an erasure (G4).
//
// # Decisions
//
// A [Decision] names the rule that decided and the basis an allowed
// disclosure rests on; the zero Decision is a denial. The [Decider] makes
// them: a pure function of the policy, the [Request] and the subject's
// [Grant]s, with no I/O and no clock. Some rules hold whatever the policy
// or the grants say: the absence reason never leaves (O9); the BSN leaves
// only on a statute (N5); an absence insurer never gets more than the
// AP's list (N3); only a physician discloses medical data, and only on
// written consent or a statute (O6). [Decider.Consents] answers the
// access engine's question for O10: did the subject let the employer
// learn of a consultation-hour visit?
//
// # Revocation
//
// A revocation takes effect at its time: no disclosure at or after it may
// rest on the grant. Because [Store.Disclose] reads the grants and writes
// the log under the same lock or transaction as [Store.RevokeGrant], a
// revocation racing a disclosure never leaves a disclosure logged after
// the revocation took effect; and a revocation never rewrites the log of
// what was disclosed before it.
//
// # Testing
//
// Package consenttest is the conformance kit for [Store] adapters.
package consent
