// Package rights answers the data subject's requests: an employee or
// client who asks what is held about them and for a copy (rules R11, O13,
// G1, G5), or asks for correction, erasure, restriction or their data in a
// portable form (O13, G3, G4, N8). It files each request with its
// deadline, counted to the day, moves it on step by step, decides
// rectification and erasure against what the law keeps, and writes the
// subject's export: everything held about them, streamed, in a documented
// JSON form and as a page in Dutch or English.
//
// # Getting started
//
// A [Desk] holds a small [Store] for requests (package
// [github.com/dossierwacht/dossierwacht/memstore] implements it)
// and reads the case file from [privacy.Dossiers], under its policy:
//
//	desk, err := rights.New(store, dossiers, &rights.Options{
//		Disclosures: log, Consents: grants, Audit: trail, Retention: schedules, // each optional
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
//     managers, physicians and the privacy officer. An erasure plan is
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
//     holds, from [RetentionFacts] or else the policy's statutory
//     periods); which recipients must be told (G4, from
//     [DisclosureSource]); and by when medical records are destroyed (N8:
//     three months from receipt). [Desk.Apply] carries a plan out: a
//     rectification through the case file, an erasure through package
//     retention ([Options].Erasures), which records the granted request
//     and deletes its records at once, each with a proof of deletion and
//     its audit event, the legal holds checked as each goes (R9, O13, G3);
//     [Desk.Answer] records its outcome.
//
// # Sources
//
// What other packages keep about the subject comes in through four small
// interfaces, each optional: [DisclosureSource] (the disclosure log),
// [ConsentSource] (grants and revocations), [AuditSource] (who accessed the
// data, as [privacy.Event]s; N9) and [RetentionFacts] (each record's
// retention and holds). They return this package's own types, which are
// the export's. A source left nil makes its part of the export "not
// available", said so in the export, never silently empty.
//
// # The export
//
// [Desk.Export] writes everything held about a subject to an [io.Writer]
// as it reads it: records come through the stores' iterators and are
// written one by one, so memory stays flat however many records there are
// (a subject with 100,000 records exports with the heap under 16 MiB; see
// BenchmarkExport100k). Medical records are included only through a
// physician's release ([ExportOptions].Release) unless the policy gives
// them to the subject directly; otherwise they are listed without content,
// marked [WithheldPendingRelease] (O13, O6). A release obeys the floors of
// a medical read: a case's medical records are released only if the access
// engine lets the physician read medical data of that case at the export's
// time — assigned, bound to medical secrecy, signed in with a second
// factor, under a contract in force (O6, G8, N6, R7, O4, O2); see
// [MedicalRelease]. A redaction hook
// ([ExportOptions].Redact) takes personal data of others out of records.
//
// Both forms come from one model, [Export]: JSON ([FormatJSON], for
// portability, G5) and HTML ([FormatHTML], a page in Dutch or English that
// escapes every value). [DecodeExport] reads the JSON form back into an
// [Export], strictly, and gives back exactly what was exported;
// [Export.Encode] writes it again byte for byte and [Export.WriteHTML]
// renders it.
//
// # The page
//
// The HTML form is one self-contained file for the subject: no script, no
// framework, nothing loaded (its content security policy allows only its
// own style sheet). It reads on a phone (on a screen narrower than 60rem
// every table row becomes a card, each value with its column's name), on
// a desktop, and on A4 paper (a print style sheet: table heads repeated,
// rows kept whole, nothing cut off at the margin); long values wrap rather
// than widen the page. A record's fields come in the order of its category in the
// taxonomy, with their names in the page's language. The access log (N9)
// is titled for what it holds (who accessed, changed or tried to access
// the data) and grouped: events with the same person, role, action, data,
// outcome and rule are one row with how often and the first and last time,
// rows in the order of their first event (the page holds at most 4096
// rows at a time, so its memory stays flat however long the log is). Every
// rule the page names links to a closing list that says in a sentence, in
// the page's language, what the rule is about. A part without entries says
// so in a sentence, never as an empty table.
//
// # JSON schema dossierwacht.export/v1
//
// One JSON object (UTF-8). Times are RFC 3339 in UTC; days (deadlines,
// "until") are "2006-01-02" in the Netherlands; periods are ISO 8601
// durations ("P2Y", "P4W"). IDs are 1 to 128 of A-Z a-z 0-9 . _ : -.
// Members marked "opt" are left out when empty; every other list is an
// array, [] when empty (exports written before this was so may hold null,
// which [DecodeExport] still reads). Rule IDs are those of the rule catalog
// (R1–R13, O1–O16, G1–G8, N1–N12). A reader must refuse a schema it does
// not know; unknown members are an error. [ExportSchema] returns this form
// as a JSON Schema (draft 2020-12) document, the fields each category
// allows in a record's "fields" included; every export validates against
// it. Texts of the policy (controller, processor, title, reasons) are in
// English, with their Dutch form in the member of the same name ending in
// _nl when the policy has one; the record's retention reason and the notes
// are the library's, in English.
//
//	schema             "dossierwacht.export/v1"
//	generated          when the export was made
//	request            opt: the request it answers
//	controller         the service responsible (the policy's controller), in English
//	controller_nl      opt: the same in Dutch
//	processor          opt: the processor hosting the system (O3), in English
//	processor_nl       opt: the same in Dutch
//	policy             {name, version, effective, title opt, title_nl opt}: the policy
//	                   version used (O16), its title in English and Dutch
//	subject            {id, employer opt, created, employment_ended opt}
//	medical            how medical records are included (O13, O6):
//	                   {direct opt: the policy gives them directly,
//	                    released_by opt: the physician who released them, rule: "O13"}
//	record_retention   {available, note opt}: whether records carry their retention
//	cases[]            the subject's cases, oldest first:
//	  id, kind, purpose, opened, closed opt
//	  contract         {id, party, party_kind, start, end opt} (O2)
//	  records[]        the case's records, the medical file last, each oldest first:
//	    id, category, medical opt (true for the medical file), author,
//	    source         {kind, party opt}: who supplied it (R2)
//	    purpose, created, updated, basis opt (the statute, for a BSN)
//	    fields opt     {field: value}: the content (absent when withheld)
//	    withheld opt   "pending-physician-release": a medical record not yet released
//	    released_by opt  the physician who released this medical record
//	    redacted opt   true: personal data of others was taken out
//	    retention opt  {rule, period opt, trigger opt, until opt, statutory opt,
//	                    hold opt, citation opt, reason opt}: from the retention facts
//	consents           {available, note opt, entries[]}: grants and revocations, each
//	                   {id, recipient opt, recipient_kind, case opt, categories[], purpose opt,
//	                    written opt, document opt, granted, expires opt, revoked opt, rule opt}
//	disclosures        {available, note opt, entries[]}: the disclosure log, each
//	                   {id, time, recipient, recipient_kind, case opt, categories[], records opt,
//	                    basis, grant opt, legal_basis opt, rule, by opt}
//	access_log         {available, note opt, entries[]}: who accessed the data (N9), each
//	                   {seq, time, principal, role, on_behalf_of opt, purpose opt, case opt,
//	                    category opt, object opt, action, outcome, rule, policy opt, access_point opt}
//	requests[]         the subject's requests, each {id, subject, kind, form, received,
//	                   document opt, records opt, written_rule opt, written opt, status,
//	                   due {date, rule, citation opt, extension opt}, policy,
//	                   history[] {step, status, at, by, reason, rule, policy, ground opt, due opt,
//	                              late opt, copy opt, fee_cents opt, document opt,
//	                              outcome opt {changed, erased, kept[] {record, case, category,
//	                              ground, rule, retention opt, until opt, citation opt, reason opt},
//	                              notify, medical_due opt}}}
//	facts              the facts of GDPR art. 15(1) (G1):
//	  purposes[]       {purpose, rule, case_kinds[], reason opt, reason_nl opt, cases}: (a),
//	                   with the number of the subject's cases that serve it
//	  categories[]     {category, health opt, records, withheld opt}: (b), the categories held
//	  recipients[]     {from: "policy"|"statute"|"log", kind, party opt, basis opt,
//	                   legal_basis opt, rule opt, citation opt, categories[], reason opt,
//	                   reason_nl opt, disclosed opt}: (c), who may receive data under the policy and its
//	                   legal bases, and who did receive it (the log)
//	  retention[]      {rule, categories opt, case_kinds opt, trigger, period, statutory opt,
//	                   citation opt, reason opt, reason_nl opt}: (d), the rules that set
//	                   the periods
//	  sources[]        {kind, party opt, records}: (g), where the records came from (R2)
//	  rights[]         {right, article, rules[]}: (e), rectification, erasure, restriction,
//	                   objection, portability, withdrawing consent, complaining
//	  complaint        {authority, website, procedure opt, rules[]}: (f), where to complain (O15)
//	  automated_decisions  false: (h), no automated decision-making
//	totals             {cases, records, medical, withheld, redacted, consents, disclosures,
//	                   access_events, requests}: counts a reader checks against the content
//
// The enumerations are the library's stored values: categories
// ([privacy.Category]) and the fields of each, case kinds, party kinds,
// roles, bases, triggers, event actions and outcomes from package privacy;
// request kinds, forms, statuses, steps, grounds and rights from this
// package. Purposes and legal bases are IDs the policy names. A test keeps
// the enumerations of [ExportSchema] equal to the library's.
//
// # Rules
//
// R8, R11, R12, O1, O6, O13, G1, G2, G3, G4, G5, G7, G8, N6, N8, N9 and N11
// are enforced here, each cited
// at the code that enforces it; see the table tests named after them.
// Package rightstest is the conformance kit for [Store] adapters.
package rights
