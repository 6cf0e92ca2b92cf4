package export

import (
	"context"
	"iter"
	"time"

	"github.com/dossierwacht/dossierwacht/privacy"
	"github.com/dossierwacht/dossierwacht/privacy/calendar"
)

// The sources. A [Writer] reads the subject's cases and records from
// [privacy.Dossiers]; what other packages keep about the subject it reads
// through these small interfaces, each optional ([Options]). A nil source
// leaves its part of the export empty, marked "not available", so that the
// answer never claims to be complete where it is not. Package rights
// reads two of them as well, to decide an erasure (RetentionFacts: what
// keeps a record, G3) and whom to tell of a change (DisclosureSource, G4).
//
// Every source returns this package's own types, which are also the
// export's: the export is a documented, versioned format (see the package
// documentation) that does not change when another package's internal
// types do. A source must be safe for concurrent use; its iterators may be
// called more than once, read as they go (the export never holds a whole
// list), and yield an error to stop with it. Entries are for the subject
// asked about only.

// DisclosureSource yields the disclosure log of a subject: what left the
// service, to whom, on which basis (rules R6, O14, N10). The export lists
// it (G1: recipients), and a granted rectification or erasure tells its
// recipients (G4).
type DisclosureSource interface {
	// SubjectDisclosures yields the subject's disclosures, oldest first.
	// A subject without disclosures yields nothing (not an error).
	SubjectDisclosures(ctx context.Context, subject privacy.SubjectID) iter.Seq2[Disclosure, error]
}

// Disclosure is one entry of the disclosure log.
type Disclosure struct {
	// ID identifies the entry in the log.
	ID string `json:"id"`
	// Time is when the data was disclosed.
	Time time.Time `json:"time"`
	// Recipient is the party that received it, and RecipientKind its
	// kind.
	Recipient     privacy.PartyID   `json:"recipient"`
	RecipientKind privacy.PartyKind `json:"recipient_kind"`
	// Case is the case the data came from, if one.
	Case privacy.CaseID `json:"case,omitempty"`
	// Categories are the categories disclosed.
	Categories []privacy.Category `json:"categories"`
	// Records are the records disclosed, if the log knows them; empty
	// means every record of Categories in Case (or in every case).
	Records []privacy.RecordID `json:"records,omitempty"`
	// Basis is what the disclosure rested on; Grant names the consent
	// grant, LegalBasis the statute.
	Basis      privacy.BasisKind    `json:"basis"`
	Grant      string               `json:"grant,omitempty"`
	LegalBasis privacy.LegalBasisID `json:"legal_basis,omitempty"`
	// Rule is the rule that allowed it (R6, O14, N2, N10, O11).
	Rule privacy.RuleID `json:"rule"`
	// By is who disclosed it.
	By privacy.PrincipalID `json:"by,omitempty"`
}

// ConsentSource yields a subject's consent grants, each with its
// revocation if it was revoked (rules R6, O10, O14).
type ConsentSource interface {
	// SubjectConsents yields the subject's grants, oldest first, revoked
	// ones included.
	SubjectConsents(ctx context.Context, subject privacy.SubjectID) iter.Seq2[Consent, error]
}

// Consent is one consent grant and, if it was revoked, its revocation.
type Consent struct {
	ID string `json:"id"`
	// Recipient is the party the subject consented to inform, and
	// RecipientKind its kind.
	Recipient     privacy.PartyID   `json:"recipient,omitempty"`
	RecipientKind privacy.PartyKind `json:"recipient_kind"`
	// Case limits the grant to one case; empty means every case.
	Case       privacy.CaseID     `json:"case,omitempty"`
	Categories []privacy.Category `json:"categories"`
	Purpose    privacy.Purpose    `json:"purpose,omitempty"`
	// Written reports a written grant (O14, O6); Document references the
	// signed document.
	Written  bool      `json:"written,omitempty"`
	Document string    `json:"document,omitempty"`
	Granted  time.Time `json:"granted"`
	// Expires is when the grant lapses; zero if it does not.
	Expires time.Time `json:"expires,omitzero"`
	// Revoked is when the subject revoked it; zero while it stands.
	Revoked time.Time `json:"revoked,omitzero"`
	// Rule is the rule the grant serves (R6, O10, O14).
	Rule privacy.RuleID `json:"rule,omitempty"`
}

// AuditSource yields the audit trail of access to a subject's data (rules
// G7, N9): a subject may ask who accessed their data, and the export lists
// it.
type AuditSource interface {
	// SubjectEvents yields the events whose Subject is subject, in
	// sequence order.
	SubjectEvents(ctx context.Context, subject privacy.SubjectID) iter.Seq2[privacy.Event, error]
}

// ChainSource is an [AuditSource] that also tells where the subject's
// audit chain stands (rule G7), as [FromAudit] of an access.Guard does.
// The export then carries the head, read before the events, and only the
// chain's events up to it, checked as they stream past to be that chain
// from its start to the head: an export never hands over a head its
// events do not reach.
type ChainSource interface {
	// SubjectChain returns the head of the subject's chain, nil if the
	// source cannot tell it.
	SubjectChain(ctx context.Context, subject privacy.SubjectID) (*ChainHead, error)
}

// RetentionFacts tells how long a record is kept and what keeps it (rules
// R9, O12, N7, G3). A granted erasure keeps what a statute or a legal hold
// keeps; the export shows each record's retention (G1).
type RetentionFacts interface {
	// RecordRetention returns the retention of record r of case c of
	// subject s, judged at now.
	RecordRetention(ctx context.Context, s privacy.Subject, c privacy.Case, r privacy.Record, now time.Time) (Retention, error)
}

// Retention is how long one record is kept, and why.
type Retention struct {
	// Rule is the rule that sets the period (R9, O12, N7), or the rule of
	// the hold.
	Rule privacy.RuleID `json:"rule"`
	// Period is the retention period and Trigger what it runs from.
	Period  privacy.Period  `json:"period,omitzero"`
	Trigger privacy.Trigger `json:"trigger,omitempty"`
	// Until is the last day the record is kept; after it, it may go. Zero
	// while the trigger has not happened (the case is open, the
	// employment lasts).
	Until calendar.Date `json:"until,omitzero"`
	// Statutory reports a period a statute imposes: a minimum that no
	// erasure request shortens (R9, N7, G3). Until is then the minimum's
	// last day, zero while its trigger has not happened. A legal hold for
	// a legal obligation (GDPR art. 17(3)(b)) is Statutory with no Until.
	Statutory bool `json:"statutory,omitempty"`
	// Hold reports a legal hold on the record for legal claims (G3, GDPR
	// art. 17(3)(e)), or, when Rule is [privacy.RuleRestriction], a
	// restriction of processing the subject asked for (GDPR art. 18(2)).
	Hold bool `json:"hold,omitempty"`
	// Citation is the statute or the hold's reference; Reason a short
	// explanation.
	Citation string `json:"citation,omitempty"`
	Reason   string `json:"reason,omitempty"`
}
