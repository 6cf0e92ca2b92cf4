// Package rights answers the data subject's requests: an employee or
// client who asks what is held about them and for a copy (rules R11, O13,
// G1, G5), or asks for correction, erasure, restriction or their data in a
// portable form (O13, G3, G4, N8). It files each request with its
// deadline, counted to the day, moves it on step by step, decides
// rectification and erasure against what the law keeps, tells the subject
// of each step ([Notice]), and answers an access request with the
// subject's export, which it lets, audits and hands to package export to
// write: everything held about them, streamed, in a documented JSON form
// and as a page in Dutch or English.
//
// # Getting started
//
// A [Desk] holds a small [Store] for requests (package
// [github.com/dossierwacht/dossierwacht/memstore] implements it)
// and reads the case file from [privacy.Dossiers], under its policy:
//
//	log := export.FromConsent(registry) // package export reads the other packages' records
//	desk, err := rights.New(store, dossiers, &rights.Options{
//		Disclosures: log, Consents: log, Audit: export.FromAudit(guard), // each optional
//		Retention: export.RetentionFromStore(store, rules), Erasures: keeper,
//	})
//	carla := privacy.Act{By: caseManager, At: now} // who acts, when, from where
//	req, err := desk.File(ctx, carla, rights.Filing{ID: "req-1", Subject: "employee-anna",
//		Kind: rights.KindAccess, Form: rights.FormWritten, Received: now})
//	fmt.Println(req.Due.Date)                                   // 2026-03-30: R11's 4 weeks
//	_, err = desk.Export(ctx, carla, w, "employee-anna", nil)    // the JSON export
//	_, err = desk.Answer(ctx, carla, "req-1", rights.Answer{Reason: "export sent"})
//
// A Desk never reads the clock; every method that acts takes a
// [privacy.Act]: who acts, when, why and from where.
//
// # Who acts
//
// Every step is taken by the principal of its act, and the desk decides
// by role who may take it (rules R8, R11, R12, O13):
//
//   - File: the subject files their own requests; the service's staff —
//     case managers, physicians, support staff and the privacy officer —
//     file what they receive.
//   - ConfirmWritten, Extend, Refuse, Answer, Plan and Apply: case
//     managers, physicians and the privacy officer. A case manager or
//     physician decides only the requests of subjects in one of whose
//     cases it is assigned ([privacy.Act].Cases; rules R7, O4); another
//     subject's request answers as a missing one does — an error matching
//     [privacy.ErrNotFound], the same text, one denied audit event — so
//     that request IDs tell neither which exist nor whose they are. The
//     privacy officer decides all. An erasure plan is
//     applied through package retention, whose erasures only the privacy
//     officer carries out (see [Desk.Apply]).
//   - Export: the subject their own data, case managers and physicians.
//     It holds case content, which the privacy officer and support staff
//     do not see (R8).
//
// Anyone else — an employer contact, an insurer, the application
// administrator, a subject acting on another's data — is refused with an
// error matching [privacy.ErrForbidden] before anything is read, naming
// the rule: R8 for staff whose task needs no case content, R12 for the
// administrator, and otherwise the subject's own right (R11 or O13, as the
// policy's written-request rule says). Who acts vouches nothing more (rule
// R12: the caller authenticates).
//
// # Audit
//
// Every step writes one audit event with the NEN 7513 fields of its act
// (who, in which role, for whom, why, from where, when, what, of whom,
// with which outcome, under which rule and policy version; rules O1, G7,
// N9), in the same atomic unit as the step, through the [Store]: the
// filing (create), written confirmation, extension, refusal and answer
// (update), a plan's application (execute, before it changes anything;
// the changes it makes are audited by the case file and package retention
// in their own units) and the export (execute, before it writes
// anything). A refused step is audited as a denial. An event that cannot
// be written fails the step, with [privacy.ErrUnavailable] and rule G7:
// no event, no step.
//
// # Requests and their deadlines
//
// A request has a [Kind] (access, copy, rectification, erasure,
// restriction, portability), a [Form] (written or oral) and a [Status]
// that moves received → (extended) → answered or refused; every step
// records its time, who decided, the reason, the rule and the policy
// version (O16). Illegal moves fail with [privacy.ErrConflict].
//
//   - Deadline ([Deadline]): the earliest of the policy's answer periods
//     (Requests.Answer: R11's 4 weeks, O13's and G2's one month), counted
//     by EU Regulation 1182/71 with [calendar.DeadlineAt]: the day of
//     receipt in the Netherlands is not counted, a month ends on the same
//     date or the month's last day, a period ending on a Saturday, Sunday
//     or holiday ends on the next working day. Holidays are pluggable
//     ([Options].Holidays), Dutch by default, Good Friday included (a
//     request received on 3 March 2026 is due on Tuesday 7 April). The request is late after
//     the end of the due day.
//   - Written form (R11, O13): a request in another form is recorded,
//     marked [Request.AwaitsWritten], and its deadline runs from receipt;
//     it is answered only after [Desk.ConfirmWritten], and may be refused
//     with [GroundNotInWriting] if no confirmation comes.
//   - Extension (G2): [Desk.Extend] adds the policy's Extension (two
//     months) to the answer period, from the end of the first period
//     before any move to a working day, or from receipt where that is
//     earlier ([ExtendedDeadline], [calendar.ExtendedDeadlineAt]: received
//     31 January 2026, due 28 April); it is the notice with reasons, and
//     is refused with [privacy.ErrForbidden] once the first period has
//     passed. Under a policy that applies regulation R
//     ([privacy.RegulationR], [privacy.Strict]) nothing is extended: R11's
//     four weeks are unconditional, and where the regulations and the GDPR
//     differ the stricter rule wins (R11).
//   - Refusal (O13, G3, G2): [Desk.Refuse] needs a [Ground] the kind
//     allows and reasons; the subject's [Notice] names the reasons and the
//     right to complain to the Autoriteit Persoonsgegevens (G2, O15).
//   - Fees (N11): the first copy is free, medical records included; only
//     further copies may carry a fee (GDPR art. 15(3)); see [Desk.Fee].
//   - Rectification and erasure: [Desk.Plan] decides which records change
//     or go and which stay, and why (G3: statutory retention, legal
//     holds, from [export.RetentionFacts] or else the policy's statutory
//     periods); which recipients must be told (G4, from
//     [export.DisclosureSource]); and by when medical records are destroyed (N8:
//     three months from receipt). [Desk.Apply] carries a plan out: a
//     rectification through the case file, an erasure through package
//     retention ([Options].Erasures), which records the granted request
//     and deletes its records at once, each with a proof of deletion and
//     its audit event, the legal holds checked as each goes (R9, O13, G3);
//     [Desk.Answer] records its outcome.
//
// # Sources
//
// What other packages keep about the subject the desk reads through the
// small interfaces of package export, each optional ([Options]): the
// disclosure log ([export.DisclosureSource]), grants and revocations
// ([export.ConsentSource]), the audit trail ([export.AuditSource]) and
// each record's retention and holds ([export.RetentionFacts]). The export
// shows all four; an erasure plan reads the retention facts (what keeps a
// record, G3) and the disclosure log (whom to tell, G4).
//
// # The export
//
// [Desk.Export] answers an access, copy or portability request, or
// stands alone: it lets the act (see # Who acts), checks the request it
// answers, decides a physician's release, audits the export and then has
// package export write it ([export.Writer]): everything held about the
// subject, streamed, in the JSON form ([export.FormatJSON], G5) or as a
// page ([export.FormatHTML]). Medical records are included only through
// a physician's release ([ExportOptions].Release) unless the policy gives
// them to the subject directly; otherwise they are listed without content,
// marked pending release (O13, O6). A release obeys the floors of a
// medical read: a case's medical records are released only if the access
// engine lets the physician read medical data of that case at the export's
// time — assigned, bound to medical secrecy, signed in with a second
// factor, under a contract in force (O6, G8, N6, R7, O4, O2); see
// [MedicalRelease]. A redaction hook ([ExportOptions].Redact) takes
// personal data of others out of records. Package export documents the
// JSON form, reads it back ([export.Decode]) and publishes its JSON
// Schema ([export.JSONSchema]).
//
// The subject's requests are in their export, in the export's own form
// ([export.RequestData]); [Request.Validate] checks a request as the
// export does, so that every request a store keeps can be exported.
//
// # Rules
//
// R8, R11, R12, O1, O6, O13, G2, G3, G4, G7, G8, N6, N8, N9 and N11 are
// enforced here, each cited at the code that enforces it; see the table
// tests named after them. G1, G5 and N9's access log are the export's
// (package export). Package rightstest is the conformance kit for [Store]
// adapters.
package rights
