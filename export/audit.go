package export

import (
	"context"
	"errors"
	"iter"

	"github.com/dossierwacht/dossierwacht/access"
	"github.com/dossierwacht/dossierwacht/privacy"
)

// EventTrail is an audit trail that reads a subject's events from a
// sequence number on, as access.Guard and access.Store do.
type EventTrail interface {
	SubjectEvents(ctx context.Context, subject privacy.SubjectID, from uint64) iter.Seq2[privacy.Event, error]
}

// ChainTrail is an [EventTrail] that also tells where a subject's chain
// stands, as access.Guard does ([access.Guard.SubjectChain]).
type ChainTrail interface {
	SubjectChain(ctx context.Context, subject privacy.SubjectID) (access.SubjectChain, error)
}

// FromAudit returns the [AuditSource] of an audit trail: every event about
// the subject, from the first on (rule N9: a client may ask who accessed
// their data). The source is a [ChainSource] too: for a [ChainTrail] or
// an access.Store that tells its heads, the export carries the head of
// the subject's chain (rule G7).
func FromAudit(trail EventTrail) AuditSource { return auditSource{trail} }

type auditSource struct{ trail EventTrail }

func (a auditSource) SubjectEvents(ctx context.Context, subject privacy.SubjectID) iter.Seq2[privacy.Event, error] {
	return a.trail.SubjectEvents(ctx, subject, 1)
}

// SubjectChain implements [ChainSource]: nil when the trail cannot tell
// its heads.
func (a auditSource) SubjectChain(ctx context.Context, subject privacy.SubjectID) (*ChainHead, error) {
	var c access.SubjectChain
	var err error
	switch t := a.trail.(type) {
	case ChainTrail:
		c, err = t.SubjectChain(ctx, subject)
	case access.Store:
		c, err = access.ChainOf(ctx, t, subject)
	default:
		return nil, nil
	}
	if errors.Is(err, errors.ErrUnsupported) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	h := &ChainHead{Seq: c.Head.Seq, Hash: c.Head.Hash, Keyed: c.Keyed}
	if c.Anchor != nil {
		h.Anchor = &ChainAnchor{Seq: c.Anchor.Seq, Hash: c.Anchor.Hash, MAC: c.Anchor.MAC}
	}
	return h, nil
}

// SubjectVerifier is a [ChainTrail] that checks a subject's chain under
// the store's key without handing the key out, as access.Guard does
// ([access.Guard.VerifySubject]).
type SubjectVerifier interface {
	VerifySubject(events iter.Seq2[privacy.Event, error], c access.SubjectChain, want access.Checkpoint) (access.Checkpoint, error)
}

// verifySubject checks events against c before they are written (rule
// G7): under the trail's key where it has one — a [SubjectVerifier], or
// an access.Store with its key ([access.KeyedStore]) — so that an event
// edited in the database is refused, not handed to a subject who cannot
// check its content without the key; else by its links, and the content
// of unkeyed links.
func (a auditSource) verifySubject(events iter.Seq2[privacy.Event, error], c access.SubjectChain) (access.Checkpoint, error) {
	switch t := a.trail.(type) {
	case SubjectVerifier:
		return t.VerifySubject(events, c, access.Checkpoint{})
	case access.KeyedStore:
		return access.VerifySubject(events, c, t.AuditKey(), access.Checkpoint{})
	}
	return access.VerifySubject(events, c, nil, access.Checkpoint{})
}

// subjectChain is h as package access checks it, for the chain of
// subject.
func (h *ChainHead) subjectChain(subject privacy.SubjectID) access.SubjectChain {
	c := access.SubjectChain{Subject: subject, Head: access.Checkpoint{Seq: h.Seq, Hash: h.Hash}, Keyed: h.Keyed}
	if a := h.Anchor; a != nil {
		c.Anchor = &privacy.Anchor{Subject: subject, Seq: a.Seq, Hash: a.Hash, MAC: a.MAC}
	}
	return c
}

// event is the audit event a of subject's chain, as it was hashed.
func (a *AccessEntry) event(subject privacy.SubjectID) privacy.Event {
	return privacy.Event{Seq: a.Seq, Time: a.Time, Principal: a.Principal, Role: a.Role, OnBehalfOf: a.OnBehalfOf,
		Purpose: a.Purpose, Subject: subject, Case: a.Case, Category: a.Category, Object: a.Object, Action: a.Action,
		Outcome: a.Outcome, Rule: a.Rule, Policy: a.Policy, AccessPoint: a.AccessPoint, Client: a.Client,
		Prev: a.Prev, Hash: a.Hash}
}

// VerifyAccessLog checks the export's access log against the head of the
// subject's chain it carries (rules G7, N9; the subject's copy of who
// accessed their data, R11, G1): the entries must be the whole chain, in
// order, from its start to the head, each linked to the one before. A
// list cut short or in the middle, reordered, with an entry added, or
// with one edited fails with an error matching [access.ErrTampered] that
// holds an [*access.ChainError] naming the entry; see
// [access.VerifySubject] for what key (the chain's key, which an auditor
// may hold and the subject does not) and want (a head kept from an
// earlier export, zero for none) add. An export without a head fails with
// [privacy.ErrInvalid]. It returns the head reached.
func (e *Document) VerifyAccessLog(key []byte, want access.Checkpoint) (access.Checkpoint, error) {
	if e.AccessLog.Chain == nil {
		return access.Checkpoint{}, invalid("verify access log", "access_log.chain", "the export carries no head of the chain")
	}
	entries := e.AccessLog.Entries
	events := func(yield func(privacy.Event, error) bool) {
		for i := range entries {
			if !yield(entries[i].event(e.Subject.ID), nil) {
				return
			}
		}
	}
	return access.VerifySubject(events, e.AccessLog.Chain.subjectChain(e.Subject.ID), key, want)
}
