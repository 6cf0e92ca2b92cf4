// Package statement renders a [privacy.Policy] as documents for people: the
// privacy statement a data subject reads, the record of processing
// activities a supervisor asks for (GDPR art. 30), and the differences
// between two versions of a policy. Every sentence is made from the policy
// itself, so the published text and the enforced rules cannot drift apart:
// change a retention period in the policy and the statement changes with
// it.
//
// # Starting out
//
// Render the statement of a ready policy as Dutch Markdown (the default):
//
//	err := statement.Render(w, privacy.Strict(), nil)
//
// or as a standalone English HTML page:
//
//	err := statement.Render(w, p, &statement.Options{Language: statement.English, Format: statement.HTML})
//
// [RenderRegister] writes the register of processing activities (rule G6);
// [Diff] lists what changes from one version of a policy to the next, each
// change with its rule and a sentence in Dutch and English (rule O16), and
// [RenderDiff] writes that list for people.
//
// # What the statement says
//
// The statement covers the rules the catalog marks as text — R1 (what is
// processed, why, what happens to it, the subject's rights), R10 and O15
// (the complaints procedure and the Autoriteit Persoonsgegevens), R13 (the
// GDPR and the supervisor), O3 (the processor) and O16 (version and
// effective date) — and writes out every other rule of the policy: the
// categories processed and the special categories never processed (O5);
// the purposes (R5, O2); per role, what it may see or do, under which
// conditions, and the health data it never sees (R7, R8, O4, O6, O9, O10,
// O11, R12, N1, N2, N3, N4, N6); what leaves the service on consent or
// without it, and the legal bases (R6, O14, N5, N10); the retention
// periods with their sources (R9, O12, N7, N9); the deadlines and rights
// (R11, O13, G1–G5, N8, N11). Each paragraph ends, discreetly, with the
// rule IDs it rests on ("(R9)"), so that a tester can trace it; set
// [Options].OmitRules to leave them out.
//
// It also says what GDPR art. 13 and 14 ask beyond the regulations: the
// controller's contact details and the data protection officer
// ([privacy.Policy].Contact and DPO), the legal basis of each purpose
// ([privacy.PurposeRule].Basis), that consent may be withdrawn at any time
// (where anything rests on consent), that no automated decision-making
// takes place, and where the data not obtained from the subject comes
// from (the commissioning party, the employer, the experts involved; no
// public sources).
//
// # Languages
//
// A document is written in one language throughout: the sentences of this
// package exist in Dutch and English, and the policy's own texts (title,
// controller, processor, contact, data protection officer, legal bases)
// are taken in the document's language ([privacy.Text.In]; a policy
// without the Dutch form shows its English one). Citations of Dutch
// statutes and regulations ("BW 7:454(3)", "Wet SUWI art. 54(3)(c)") are
// names and read the same in both.
//
// # Safety
//
// The functions validate the policy first and render only a policy the
// engines would accept. Strings from the policy (controller, processor,
// title, citations, contact details, legal bases) are cleaned of control
// characters and escaped: in Markdown with backslashes, so that they can
// start no markup and carry no raw HTML; in HTML by html/template. Errors match [privacy.ErrInvalid]
// (nil or invalid policy, unknown language or format, nil writer) or
// [privacy.ErrUnavailable] (the writer failed). A document is built in
// memory and written with one Write call, so an invalid request writes
// nothing. The package holds no mutable state and is safe for concurrent
// use.
package statement
