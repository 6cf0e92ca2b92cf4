// Package export is the document of everything held about one data
// subject: the answer to their access request (rules R11, O13, G1) and
// their data in a portable form (G5). One model, [Document], has two
// forms: a documented, versioned JSON form (schema [Schema], with its JSON
// Schema, [JSONSchema]) and a page in Dutch or English. A [Writer] streams
// it from the case file and the other packages' records; [Decode] reads
// the JSON form back, strictly; [Document.Encode] and [Document.WriteHTML]
// write it again.
//
// The package writes the document; it does not decide who may have it.
// Package rights does: its desk lets an export (the subject their own
// data, case managers and physicians), audits it, decides a physician's
// release of the medical records as a medical read, and hands the rest to
// a Writer as a [Job]. A user of the library exports through the desk, or
// through the front door (package dossierwacht), never through a Writer
// alone.
//
// # Sources
//
// What other packages keep about the subject comes in through four small
// interfaces, each optional ([Options]): [DisclosureSource] (the
// disclosure log), [ConsentSource] (grants and revocations),
// [AuditSource] (who accessed the data, as [privacy.Event]s; N9) and
// [RetentionFacts] (each record's retention and holds). They return this
// package's own types, which are the export's: the format does not change
// when another package's types do. A source left nil makes its part of
// the export "not available", said so in the export, never silently empty.
// An audit source that is a [ChainSource] also tells the head of the
// subject's own audit chain (rule G7): the export carries it, with the
// chain's events up to it, checked as they stream past, so that the
// subject can prove with [Document.VerifyAccessLog] that their trail was
// not cut, and keep the head to check a later export against.
// The glue to the library's own packages: [FromConsent] (package consent),
// [FromAudit] (an audit trail such as access.Guard's, a ChainSource) and
// [RetentionFromStore] (package retention). Package rights reads two of
// the sources too, to decide an erasure: what keeps a record (G3) and
// whom to tell of the change (G4).
//
// The subject's requests come with the job, in the export's own form
// ([RequestData]): package rights keeps them, reads them once to check the
// request an export answers, and hands the same list to the writer.
//
// # The export
//
// [Writer.Write] writes everything held about a subject to an [io.Writer]
// as it reads it: records come through the stores' iterators and are
// written one by one, so memory stays flat however many records there are
// (a subject with 100,000 records exports with the heap under 16 MiB; see
// BenchmarkExport100k). Medical records are shown with their content only
// where the job says so ([Medical]): where the policy gives them to the
// subject directly, or where a physician released them; otherwise they
// are listed without content, marked [WithheldPendingRelease] (O13, O6).
// A redaction hook ([Job].Redact) takes personal data of others out of
// records. Every entry is checked before it is written, by the same
// checks [Decode] makes, so that whatever is exported decodes.
//
// Both forms come from one model, [Document]: JSON ([FormatJSON], for
// portability, G5) and HTML ([FormatHTML], a page in Dutch or English that
// escapes every value). [Decode] reads the JSON form back into a
// [Document], strictly, and gives back exactly what was exported;
// [Document.Encode] writes it again byte for byte and
// [Document.WriteHTML] renders it.
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
// which [Decode] still reads). Rule IDs are those of the rule catalog
// (R1–R13, O1–O16, G1–G8, N1–N12). A reader must refuse a schema it does
// not know; unknown members are an error. [JSONSchema] returns this form
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
//	access_log         {available, note opt, chain opt, entries[]}: who accessed the data (N9),
//	                   the subject's own audit chain (G7), each entry
//	                   {seq, time, principal, role, on_behalf_of opt, purpose opt, case opt,
//	                    category opt, object opt, action, outcome, rule, policy opt, access_point opt,
//	                    client opt, prev opt, hash opt}: prev and hash link it into the chain
//	                   (prev absent for the chain's first event; both absent in exports
//	                   written before they were included)
//	  chain            opt: {seq, hash, keyed opt, anchor opt {seq, hash, mac}}: the chain's head
//	                   when the export was made, read before its events; the entries are the
//	                   chain from its start (after the anchor of a chain pruned after the audit
//	                   retention, N9) to the head. Document.VerifyAccessLog checks them
//	                   against it (access.VerifySubject); keyed links are checked without
//	                   the key by their numbers and links only
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
// request kinds, forms, statuses, steps and grounds from package rights;
// rights ([Right]) from this package. Purposes and legal bases are IDs the
// policy names. A test keeps the enumerations of [JSONSchema] equal to the
// library's, and those [RequestData.Validate] checks equal to the schema's.
//
// # Rules
//
// G1, G5, N9, O13 and O6 (the medical records withheld pending release)
// are enforced here, each cited at the code that enforces it; see the
// tests named after them. Package rights enforces who may export and the
// release's floors (R8, R11, R12, O6, G8, N6, G7).
package export
