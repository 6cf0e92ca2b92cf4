package compliancetest

import (
	"context"
	"time"

	"github.com/dossierwacht/dossierwacht/privacy"
	"github.com/dossierwacht/dossierwacht/privacy/calendar"
	"github.com/dossierwacht/dossierwacht/retention"
	"github.com/dossierwacht/dossierwacht/rights"
)

// System is the system under test: an HR, absence or reintegration system
// seen through the operations the rules speak about. A vendor implements it
// over its own system with a little glue per method; [NewLibrarySystem]
// implements it over this library.
//
// Every method takes the context first and the time of its act: the kit
// plays out years of a case file in a few milliseconds, so a system must
// never read the clock where a time is passed in.
//
// Errors are classified with the kinds of package privacy, as the library's
// own are: a refusal by a rule matches [privacy.ErrForbidden] (a special
// category, rule O5, [privacy.ErrProhibitedCategory], which matches it
// too); something a principal may not even know exists, or that does not
// exist, matches [privacy.ErrNotFound] (rule O10: an employer learns
// nothing of a consultation-hour case, not even that it exists); malformed
// input matches [privacy.ErrInvalid]. A scenario that expects a refusal
// accepts any error unless the rule is about the kind of the error; where
// it is, the scenario's documentation says so.
//
// A System starts empty: [Run] makes a new one for every scenario.
type System interface {
	// Open opens case c of subject s: it registers s first if the system
	// does not know s yet (otherwise s is ignored), then opens the case
	// with its kind, purpose (R5) and contract (O2) at c.Opened.
	Open(ctx context.Context, s privacy.Subject, c privacy.Case) error

	// Close closes case c at the time at. Most retention periods run from
	// the closing (R9, O12).
	Close(ctx context.Context, c privacy.CaseID, at time.Time) error

	// Write stores the new record r on behalf of by, who is r.Author, at
	// r.Created, or refuses it. r.Source says who supplied the data (R2);
	// r.Purpose is the case's. A refused record leaves nothing behind.
	Write(ctx context.Context, by Actor, r privacy.Record) error

	// View returns what by may see of case c for purpose at the time at:
	// the records, medical ones included, each with only the fields by may
	// see; records and fields it may not see are left out. A case that by
	// may not know of fails with an error matching privacy.ErrNotFound,
	// exactly as a case that does not exist.
	View(ctx context.Context, by Actor, c privacy.CaseID, purpose privacy.Purpose, at time.Time) ([]privacy.Record, error)

	// Cases lists the cases of subject s that by may know of at the time
	// at, in any order. Cases by may not know of are left out, not counted
	// and not hinted at.
	Cases(ctx context.Context, by Actor, s privacy.SubjectID, at time.Time) ([]privacy.CaseID, error)

	// Consent records a consent grant that its subject gave (R6, O14,
	// O10).
	Consent(ctx context.Context, g Consent) error

	// Revoke withdraws the grant id of subject s as of at: no disclosure
	// at or after at may rest on it.
	Revoke(ctx context.Context, s privacy.SubjectID, id string, at time.Time) error

	// Disclose decides a disclosure to a party outside the service and,
	// when it is allowed, carries it out and logs it. A refusal fails with
	// an error matching privacy.ErrForbidden; a case or record that does
	// not exist, or is not of the named subject, case and category, may
	// fail with privacy.ErrNotFound instead.
	Disclose(ctx context.Context, d Disclosure) (Disclosed, error)

	// Cover records that an absence insurer covers an employer's absence
	// risk: the insurer may then receive the overview of that employer's
	// sick employees (O11), and no other insurer may.
	Cover(ctx context.Context, c Coverage) error

	// File files a data subject's request and returns the last day on
	// which it may be answered (R11, O13, G2).
	File(ctx context.Context, r Request) (calendar.Date, error)

	// Respond grants, refuses or extends a filed request. Granting an
	// erasure request may delete at once or make the records due for the
	// next [System.Sweep]: the kit sweeps before it looks.
	Respond(ctx context.Context, r Response) (Outcome, error)

	// Export returns everything held about subject s at the time at, as
	// the data subject receives it: JSON of schema dossierwacht.export/v1
	// (see package export, [export.Decode]), for rules G1 and G5.
	Export(ctx context.Context, s privacy.SubjectID, at time.Time) ([]byte, error)

	// ExportReleased is Export with the medical file released to the
	// subject by the physician by (O13: medical data reaches the subject
	// through the physician). A case's medical records are released only
	// if by may read them at the time at — a physician assigned to the
	// case, bound to medical secrecy, signed in with a second factor (O6,
	// G8, N6); the others stay listed without content. A release of no
	// case at all may be refused with an error matching
	// privacy.ErrForbidden.
	ExportReleased(ctx context.Context, s privacy.SubjectID, by Actor, at time.Time) ([]byte, error)

	// Hold places a legal hold (G3), as h.By: nothing in its scope may be
	// deleted, by a sweep or an erasure, while it stands. Only the
	// service's privacy officer places one; anyone else is refused with an
	// error matching privacy.ErrForbidden.
	Hold(ctx context.Context, h Hold) error

	// Lift lifts the standing legal hold l.Hold, as l.By. Only the
	// privacy officer lifts one (a hold is not lifted by whoever wants
	// the data gone); anyone else is refused with an error matching
	// privacy.ErrForbidden and the hold stands.
	Lift(ctx context.Context, l Lift) error

	// Sweep deletes, run by by, every record whose retention has run out
	// at the time at, as a nightly job would (R9, O12, N7, N8). Only the
	// privacy officer runs one; anyone else is refused with an error
	// matching privacy.ErrForbidden and nothing is deleted.
	Sweep(ctx context.Context, by Actor, at time.Time) error

	// Proofs returns the proofs of deletion of subject s's records,
	// oldest first: one per record a sweep or a granted erasure deleted,
	// saying what kind of record went, when, by whom and under which rule
	// (R9, O12, O13, N8), never its content.
	Proofs(ctx context.Context, s privacy.SubjectID) ([]retention.Proof, error)

	// AuditTrail returns the audit events about subject s, oldest first:
	// who accessed, or tried to access, their data (G7, N9). Each event
	// carries the hash that chains it (privacy.Event.Chain).
	AuditTrail(ctx context.Context, s privacy.SubjectID) ([]privacy.Event, error)

	// GroupFigure answers by, an employer contact, the absence rate of a
	// group of employer's employees over [from, to) at the time at, a
	// share between 0 and 1, or refuses it (N12).
	GroupFigure(ctx context.Context, by Actor, employer privacy.PartyID, members []privacy.SubjectID, from, to, at time.Time) (float64, error)

	// Publish returns a document the service publishes, in Dutch or
	// English, Markdown, HTML or plain text, as package
	// privacy/statement renders it from the policy.
	Publish(ctx context.Context, d Document) ([]byte, error)
}

// Actor is an authenticated principal with what decisions need to know
// about it beyond [privacy.Principal]: the cases it is assigned to (R7, O4)
// and the employers it acts for or, as an insurer, covers (O2, O11). The
// kit vouches for it as a sign-in would (R12); a system maps it onto its
// own sessions and assignment tables.
type Actor struct {
	privacy.Principal
	// Cases are the cases the principal is assigned to.
	Cases []privacy.CaseID
	// Employers are the employers an employer contact acts for besides its
	// Party, or the employers an insurer covers.
	Employers []privacy.PartyID
}

// Recipient is a party outside the service: its kind and its ID.
type Recipient struct {
	Kind  privacy.PartyKind
	Party privacy.PartyID
}

// Consent is a consent grant a subject gave: which recipient may receive
// which categories of their data, for which purpose, from which case (or
// all), and whether it was given in writing (O14, O6) with the reference
// of the signed document.
type Consent struct {
	ID         string
	Subject    privacy.SubjectID
	Recipient  Recipient
	Categories []privacy.Category
	Purpose    privacy.Purpose
	// Case limits the grant to one case; empty means all the subject's
	// cases.
	Case privacy.CaseID
	// Written reports a signed document; Document references it.
	Written  bool
	Document string
	// Given is when the subject gave it; it stands from then on.
	Given time.Time
}

// Item is one piece of a disclosure: a category, optionally one record of
// it, optionally some of its fields (none: every field).
type Item struct {
	Category privacy.Category
	Record   privacy.RecordID
	Fields   []privacy.Field
}

// Disclosure asks to give data of one subject, from one of the subject's
// cases, to a recipient outside the service: who discloses, what, for
// which purpose, when, and optionally on which statute of the policy (a
// legal basis ID of the ready policies, such as "suwi-54-3c").
type Disclosure struct {
	ID        string
	By        Actor
	Subject   privacy.SubjectID
	Case      privacy.CaseID
	Recipient Recipient
	Items     []Item
	Purpose   privacy.Purpose
	Basis     privacy.LegalBasisID
	// Request references the recipient's written request, if it made one
	// (O14: a third party, or the employer beyond the statutory minimum,
	// receives data on consent only on its written request).
	Request string
	At      time.Time
}

// Coverage says that an absence insurer covers an employer's absence risk
// from From until Until (zero: open-ended), as recorded by By (O11).
type Coverage struct {
	ID       string
	Insurer  privacy.PartyID
	Employer privacy.PartyID
	From     time.Time
	Until    time.Time
	By       privacy.PrincipalID
}

// Disclosed is an allowed disclosure: the rule that allowed it, the basis it
// rests on, and whether the subject received the same text at the same time
// (N2).
type Disclosed struct {
	Rule          privacy.RuleID
	Basis         privacy.BasisKind
	NotifySubject bool
}

// Request is a data subject's request as it reaches the service.
type Request struct {
	ID      string
	Subject privacy.SubjectID
	Kind    rights.Kind
	// Written reports a letter, e-mail or web form (R11, O13).
	Written  bool
	Received time.Time
	// Records limits a rectification or erasure to these records; empty
	// means every record of the subject.
	Records []privacy.RecordID
	// By is who records the request.
	By privacy.PrincipalID
}

// Verdict is what a response does to a request.
type Verdict string

// The verdicts.
const (
	// Granted answers the request: access, a copy, portability, or the
	// rectification or erasure it asks for, as far as the law allows.
	Granted Verdict = "granted"
	// Refused refuses it on a ground, with reasons (O13, G2, G3).
	Refused Verdict = "refused"
	// Extended extends its deadline, with reasons (G2).
	Extended Verdict = "extended"
)

// Response is the service's response to a request.
type Response struct {
	Request string
	Verdict Verdict
	At      time.Time
	By      privacy.PrincipalID
	// Reason says why, for the subject; a refusal or an extension without
	// one is itself refused (G2).
	Reason string
	// Ground is the ground of a refusal.
	Ground rights.Ground
	// FeeCents is a fee for a copy, in euro cents (N11).
	FeeCents int64
	// Corrections are the new values of a granted rectification.
	Corrections map[privacy.RecordID]map[privacy.Field]string
}

// Outcome is what a response did.
type Outcome struct {
	// Due is the deadline after an extension.
	Due calendar.Date
	// Erased are the records a granted erasure deletes.
	Erased []privacy.RecordID
	// Kept are the records it leaves, and why (G3).
	Kept []Kept
	// Notify are the recipients to tell of a rectification or erasure
	// (G4).
	Notify []Recipient
	// MedicalDue is the last day by which the erased medical records are
	// destroyed (N8); zero when none are.
	MedicalDue calendar.Date
}

// Kept is a record an erasure leaves: the ground and the rule that keep it
// (G3).
type Kept struct {
	Record privacy.RecordID
	Ground rights.Ground
	Rule   privacy.RuleID
}

// Hold is a legal hold on data of a subject, one of their cases, or some
// of their records (G3).
type Hold struct {
	ID      string
	Subject privacy.SubjectID
	Case    privacy.CaseID
	Records []privacy.RecordID
	Ground  retention.Ground
	// Reason is a reference without personal data, such as a docket
	// number.
	Reason string
	// By is who places it, At when.
	By Actor
	At time.Time
}

// Lift is the lifting of a legal hold: which, why, by whom, when.
type Lift struct {
	Hold string
	// Reason is why, without personal data ("judgment final").
	Reason string
	By     Actor
	At     time.Time
}

// Document is a document the service publishes.
type Document string

// The documents.
const (
	// Statement is the privacy statement for data subjects (R1, R10, R13,
	// O3, O15).
	Statement Document = "statement"
	// Register is the record of processing activities (G6, GDPR art. 30).
	Register Document = "register"
)
