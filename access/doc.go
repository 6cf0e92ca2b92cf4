// Package access decides who may see and do what of which case, shows each
// principal the redacted view it may see, and writes every decision to a
// tamper-evident audit trail.
//
// # Getting started
//
// Real code works with a [Guard]: build it from a [Store] (the in-memory
// adapter is memstore.New()) and the [privacy.Dossiers] it reads cases
// from, then ask it on every screen and API response:
//
//	guard, err := access.New(store, dossiers, nil)
//	view, err := guard.View(ctx, access.ViewRequest{Principal: p, Case: "case-1", Purpose: privacy.PurposeAbsenceGuidance, Time: now})
//	d, err := guard.Check(ctx, access.Request{Principal: p, Case: &c, Action: privacy.ActionWrite, ...})
//
// The Guard decides with an [Engine] and audits: one [privacy.Event] per
// decision, allowed or denied, and per search (rules G7, N9). If the event
// cannot be written, the answer is a denial.
//
// # Principals
//
// The library never authenticates (rule R12). The caller vouches for a
// [privacy.Principal] (role, party, secrecy basis, multi-factor sign-in,
// contractor agreement) and wraps it in a [Principal] with what the
// decisions need beyond it: the cases it is assigned to (R7, O4), the
// employers it acts for or covers (O2, O11), and where the request comes
// from, for the audit trail (N9). These are sets: one decision is a few
// map lookups, whatever their size. The caller loads them from its own
// tables, typically once per session; the engine keeps no index of its own
// and so stays a pure function that needs no lock.
//
// # Decisions
//
// [NewEngine] compiles a policy's access rules into lookup tables.
// [Engine.Decide] answers a typed [Request] with a [Decision]: allowed or
// not (the zero value denies), the rule that decided, a reason and the
// policy version. A deny rule beats an allow rule; when an allow rule
// matches but one of its conditions fails, the denial names the rule behind
// that condition (not assigned: R7 or O4; no secrecy: N4; no medical
// secrecy: G8; no second factor: N6; not the commissioner or no contract:
// O2; no consent: O10; not covering: O11; not one's own data: R11 or
// O13); anything else not allowed is [privacy.RuleDefaultDeny].
//
// Beside the policy, the engine holds the statutory floors in code, so
// that no policy, however loaded, lifts them: medical data only for the
// assigned physician under medical secrecy with a second factor (O6, G8,
// N6); the absence reason never for anyone outside the service (O9); an
// insurer never beyond the statutory maximum (N3); the administrator no
// case content (R12); an employer writes only the sick report's facts,
// master data and notes, consent or not (N1); health data only for staff
// bound to secrecy (N4); need-to-know staff only identity, contact and appointments
// (R8); the BSN never for outside parties (N5); no contractor without its
// agreement (O7); the request's purpose must be the case's (R5); nothing
// outside the contract's term (O2), except the subject's own access, which
// outlives it (R11, O13); consultation-hour and periodic-exam cases
// invisible to the employer without consent (O10), and consultation facts
// too; and who the principal is to the case: the subject reads only their
// own data (R11, O13), an employer contact only the cases of the party it
// acts for (O2), an insurer only the employers it covers (O11), a case
// manager or physician content only when assigned to the case (R7, O4),
// and an employer no health data, the subject's statements included (N4).
// [privacy.Policy.Validate] refuses a policy that tries to lift any of
// these; the engine holds them even for one that got past it.
//
// Consent is an input (rule O10), one way for every request: a
// [ConsentChecker] that answers, per case, whether the subject let the
// case's employer learn of it ([Request.Consent], [ViewRequest.Consent],
// [ListRequest.Consent]; nil is no consent; [ConsentIf] for a caller that
// asked about one case itself). It is asked only where it matters, so a
// decision stays allocation-free. The consent register (package consent)
// supplies it; the front door never takes it from its caller.
//
// # Views and listings
//
// [Engine.View] returns a [CaseView]: only the records and fields the
// principal may read, denied content absent rather than blanked.
// [Engine.List] returns only the cases whose existence the principal may
// know; a hidden case is "not found", never "forbidden".
//
// # Group figures
//
// An employer may see anonymised figures about a group of employees (rule
// N12): [Guard.GroupFigure]. Groups smaller than the policy's minimum are
// suppressed, and [CheckGroup] refuses any group that, together with the
// groups answered before, would single out fewer people than that — the
// difference attack included. A figure about periodic examinations
// ([Figure.Confidential]) is answered suppressed, with no value, when all
// or none of the group took part (rule O10: that tells the employer about
// each member) or when fewer than the minimum did, or did not (rule N12).
//
// # Audit trail
//
// Events go to an append-only log in the [Store], one hash chain per
// subject (events about no subject in the service's own chain), so that
// chains append without a common lock and a subject's chain can be
// verified, pruned and handed over on its own. A store that holds a key
// ([KeyedStore]) computes the links under it (HMAC-SHA256,
// [privacy.Event.ChainKeyed]): whoever can write the database but does not
// hold the key cannot compute a valid link. [Guard.Verify] and
// [VerifyChains] walk every chain, from the signed starting point of a
// pruned one ([privacy.Anchor]), and name the first changed, removed,
// inserted or reordered event with a [*ChainError] of kind [ErrTampered],
// or a stored event that is not whole with [ErrDamaged]; given the heads
// kept outside the database ([Checkpoints]: [FileCheckpoints],
// [MemoryCheckpoints]), they also find a chain cut short, removed or
// rewritten. [Verify] checks one unkeyed chain. [Guard.SubjectEvents]
// tells a subject who accessed their data (N9).
//
// # Testing
//
// Package access/accesstest is the conformance kit for Store adapters.
package access
