// Package dossierwacht makes the case data of occupational-health,
// absence-management and reintegration services privacy-compliant by
// construction. Two Dutch privacy regulations — of a reintegration service
// (regulation R) and of an occupational health service (regulation O) — and
// the GDPR and Dutch law behind them are executable rules here, each with an
// ID (R1–R13, O1–O16, G1–G8, N1–N12) that every decision, error and audit
// event names.
//
// # The front door
//
// A [Service] is the one value a program needs: built by [Open] from a
// [Store] (the in-memory [github.com/dossierwacht/dossierwacht/memstore],
// SQLite in examples/sqlitestore, PostgreSQL in examples/pgstore) and a
// policy ([privacy.Strict] applies both regulations), it runs every
// operation of the library — subjects and cases, records, views and
// listings, consent and disclosures, subject requests and exports, legal
// holds, erasures and sweeps, group figures, audit verification, the
// privacy statement and register.
//
//	svc, err := dossierwacht.Open(ctx, memstore.New(), privacy.Strict(), nil)
//	err = svc.AddRecords(ctx, carla, record)       // carla is an *Actor
//	view, err := svc.View(ctx, bert, "case-1", privacy.PurposeAbsenceGuidance)
//	d, err := svc.Disclose(ctx, carla, request)     // decided with the case and carla's own access
//	report, err := svc.Sweep(ctx, officer)         // proofs of deletion, recipients to tell
//
// Every verb takes the [Actor] who acts and decides with the whole picture:
// the actor's role, assignments, coverage and sign-in facts; the case; the
// consent register (rule O10's consent comes from the register, never from
// the caller); the legal holds and the subject's restrictions of processing
// (GDPR art. 18: while one stands the data is only stored, refusals name
// [privacy.RuleRestriction]). Every verb writes its audit event (O1, G7,
// N9), and a refusal is an error whose rule [privacy.RuleOf] names. The
// Service reads the time from its own clock ([Options].Clock), so no
// operation can be back-dated. It never hands out its Store.
//
// # Packages for experts
//
// The engines below the front door stay for those who build their own, as
// database/sql/driver stays beside database/sql. Their pure deciders take
// every fact as an argument and read no clock; a caller that uses them
// directly takes on what the Service otherwise does for it (the actor's
// assignments, the consent register, the clock, the audit of each step).
//
// From the ground up: a package imports only packages listed before it
// (TestLayers, in layers_test.go beside this file, keeps it so). Each
// package with a store has a conformance kit beside it, named <pkg>test, that any adapter
// runs from its own test.
//
//   - privacy: the vocabulary — data categories, roles, parties, subjects,
//     cases, records, purposes, legal bases, audit events — and versioned
//     policies, with the two regulations and their strict union ready to
//     use; the case file (Dossiers) and its Store contract.
//     privacy/privacytest is the kit for Store adapters.
//   - privacy/calendar: exact calendar arithmetic for deadlines and
//     retention (EU Regulation 1182/71, Dutch public holidays).
//   - privacy/statement: the policy as documents — the privacy statement,
//     the register of processing activities (G6), the difference between
//     two versions (O16).
//   - access: who sees which category of which case; redacted views; the
//     tamper-evident audit trail; group figures. Kit: access/accesstest.
//   - consent: written consent, revocation, disclosures on consent or a
//     statute, the disclosure log. Kit: consent/consenttest.
//   - retention: retention periods, legal holds, erasure, sweeps with proof
//     of deletion. Kit: retention/retentiontest.
//   - export: the document of everything held about a subject — its
//     versioned JSON form with a JSON Schema, read back strictly, and a
//     page in Dutch or English — streamed from the case file and the
//     records of consent, retention and the audit trail.
//   - rights: the data subject's requests with their deadlines,
//     refusals and fees, rectification and erasure plans, notices, and the
//     export that answers an access request, let, audited and released
//     here, written by package export. Kit: rights/rightstest.
//   - seal: the content of records (and the reasons of requests and
//     holds) sealed per subject, with keys kept apart from the database,
//     so that erasing a subject destroys its key and the erasure reaches
//     every backup ([Options].Vault switches it on). Kit: seal/sealtest.
//   - memstore: the in-memory reference adapter; it implements the store
//     of every package listed before it and passes every kit. No kit
//     imports it: a kit tests the store it is given.
//   - dossierwacht (this package): the front door, beside memstore and
//     above every engine; it imports no adapter.
//   - compliancetest: the compliance kit, one scenario or more per rule
//     against a small System interface, with this library as reference
//     system.
//   - examples: the SQLite (the embedded default) and PostgreSQL adapters,
//     the walkthrough, an HTTP service.
//   - cmd/dossierwacht: the command for people who do not write Go —
//     validate and compare policies, render the statement and register,
//     verify an audit trail, plan a sweep — through this package.
//
// # The life of a case
//
// An employee falls ill. The employer reports it (ziekmelding) and may
// register only the facts rule N1 allows; the service opens an absence
// case under the employer's contract (O2) for the purpose of absence
// guidance (R5). The assigned case manager (R7) and company doctor (O6)
// add records; medical findings go to the separate medical file, readable
// only by the assigned physician signed in with more than one factor (N6).
// The employer sees the absence facts and the physician's advice on
// limitations and capacities (N2) — never the reason (O9); the absence
// insurer sees the overview (O11). Anything that leaves the service rests
// on the employee's written consent (O14) or a statute (N10), and is
// logged. The employee may ask what is held and get it within the deadline
// (R11, O13, G2). When the case closes, retention clocks start (R9, O12,
// N7); a sweep deletes what is due, keeps what a statute or a legal hold
// requires (G3), and writes a proof of each deletion.
//
// # Glossary
//
// Go identifiers are English; these are the Dutch terms they stand for.
//
//	absence case          verzuimdossier
//	sick report           ziekmelding
//	absence reason        reden ziekmelding (alleen voor intern gebruik)
//	absence facts         verzuimgegevens: eerste ziektedag, mate van arbeidsongeschiktheid, hersteldatum
//	incapacity degree     mate van arbeidsongeschiktheid (percentage)
//	safety net            vangnetregeling (Ziektewet)
//	recourse              regres (aansprakelijke derde)
//	work accident         arbeidsongeval
//	physician             bedrijfsarts
//	insurance physician   verzekeringsarts (UWV)
//	labour expert         arbeidsdeskundige
//	case manager          casemanager, consulent
//	support staff         overige medewerkers (need-to-know)
//	administrator         applicatiebeheerder
//	employer contact      werkgever, leidinggevende, HR-contactpersoon
//	commissioning party   opdrachtgever (werkgever, gemeente, UWV)
//	absence insurer       verzuimverzekeraar
//	self-insurer          eigenrisicodrager (Ziektewet)
//	reintegration company re-integratiebedrijf
//	reintegration         re-integratie, re-integratietraject
//	preventive case       preventief dossier
//	consultation hour     (arbeidsomstandigheden)spreekuur
//	periodic examination  periodiek arbeidsgezondheidskundig onderzoek (PAGO/PMO)
//	plan of action        plan van aanpak
//	work capacity         belastbaarheid: functionele beperkingen en mogelijkheden
//	subject               betrokkene, werknemer, cliënt
//	consent (written)     toestemming; schriftelijke machtiging
//	disclosure            verstrekking aan derden
//	access request        inzageverzoek; copy: afschrift
//	rectification         correctie; erasure: verwijdering, vernietiging
//	retention period      bewaartermijn
//	statutory duty        wettelijke bewaarplicht
//	legal hold            bewaarplicht wegens (rechts)geschil
//	proof of deletion     bewijs van vernietiging
//	audit trail           logging (NEN 7513)
//	secrecy basis         geheimhoudingsplicht: beroepsgeheim of geheimhoudingsovereenkomst
//	national ID number    burgerservicenummer (BSN), voorheen sofinummer
//	UWV                   Uitvoeringsinstituut Werknemersverzekeringen
//	AP                    Autoriteit Persoonsgegevens (the Dutch supervisory authority)
//	GDPR                  AVG (Algemene verordening gegevensbescherming); UAVG: its Dutch implementation act
//	contract              overeenkomst (met de opdrachtgever)
//	processor             verwerker
package dossierwacht
