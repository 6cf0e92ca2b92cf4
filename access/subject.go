package access

import (
	"context"
	"errors"
	"iter"

	"github.com/dossierwacht/dossierwacht/privacy"
)

// SubjectChain is where one subject's audit chain stood at a moment: its
// head (the last event, or the anchor when every event was pruned) and,
// when it was pruned after the audit retention, its signed starting point
// (rules G7, N9). The subject's export hands it over with the chain's
// events (rules R11, G1: the subject's own copy of who accessed their
// data), so that the subject, or an auditor for them, can check with
// [VerifySubject] that the events they got are the whole chain up to its
// head, and later that a newer export still carries the head they kept.
type SubjectChain struct {
	Subject privacy.SubjectID
	Head    Checkpoint
	// Anchor is the chain's signed starting point ([privacy.Anchor]) if
	// it was pruned; nil if it starts at its first event.
	Anchor *privacy.Anchor
	// Keyed reports links computed under a key the database does not hold
	// ([privacy.Event.ChainKeyed]); without that key a verifier checks the
	// numbering and the links, not each event's content.
	Keyed bool
}

// ChainHeadStore is a [Store] that reads one chain's head and anchor
// without reading every chain (rule G7); a zero anchor (Seq 0) means the
// chain was never pruned, a zero head an empty chain. [Guard.SubjectChain]
// reads it when the store has it, else every head ([HeadsStore]) and
// every anchor ([AnchoredStore]).
type ChainHeadStore interface {
	ChainHead(ctx context.Context, chain privacy.SubjectID) (Checkpoint, privacy.Anchor, error)
}

// SubjectChain returns where the subject's audit chain stands (rules G7,
// N9): its head, its anchor if it was pruned, and whether its links are
// keyed. A store that cannot tell its heads gives an error matching
// [privacy.ErrUnavailable] and errors.ErrUnsupported: the trail cannot say
// where the chain ends, and an export then carries no head rather than
// one made up from the events it read.
func (g *Guard) SubjectChain(ctx context.Context, subject privacy.SubjectID) (SubjectChain, error) {
	const op = "access: subject chain"
	if g == nil {
		return SubjectChain{}, errNoGuard(op)
	}
	if !privacy.ValidID(string(subject)) {
		return SubjectChain{}, &privacy.Error{Op: op, Kind: privacy.ErrInvalid, Path: "subject", Msg: "malformed subject ID"}
	}
	return ChainOf(ctx, g.store, subject)
}

// ChainOf returns where the chain of subject stands in store; see
// [Guard.SubjectChain].
func ChainOf(ctx context.Context, store Store, subject privacy.SubjectID) (SubjectChain, error) {
	const op = "access: subject chain"
	c := SubjectChain{Subject: subject}
	if k, ok := store.(KeyedStore); ok {
		c.Keyed = len(k.AuditKey()) > 0
	}
	var anchor privacy.Anchor
	switch s := store.(type) {
	case ChainHeadStore:
		h, a, err := s.ChainHead(ctx, subject)
		if err != nil {
			return SubjectChain{}, err
		}
		c.Head, anchor = h, a
	default:
		hs, ok := store.(HeadsStore)
		if !ok {
			return SubjectChain{}, &privacy.Error{Op: op, Kind: privacy.ErrUnavailable, Rule: privacy.G7,
				Msg: "the store does not tell its chains' heads", Err: errors.ErrUnsupported}
		}
		heads, err := hs.AuditHeads(ctx)
		if err != nil {
			return SubjectChain{}, err
		}
		c.Head = heads[subject]
		if as, ok := store.(AnchoredStore); ok {
			anchors, err := as.AuditAnchors(ctx)
			if err != nil {
				return SubjectChain{}, err
			}
			anchor = anchors[subject]
		}
	}
	if anchor.Seq != 0 {
		anchor.Subject = subject
		c.Anchor = &anchor
		if anchor.Seq > c.Head.Seq {
			// Every event was pruned: the chain ends at its anchor.
			c.Head = Checkpoint{Seq: anchor.Seq, Hash: anchor.Hash}
		}
	}
	return c, nil
}

// VerifySubject checks that events are the whole of one subject's chain
// c, in order, from its start (its anchor, or its first event) to its
// head (rules G7, N9): the check a subject, or an auditor for them, makes
// of the access log in their export (rules R11, G1). Every event must be
// of c.Subject, numbered one after the last and linked to the previous
// event's hash; the last must be the head. A list cut short, cut in the
// middle, reordered, with an event added or with one edited and re-hashed
// fails with an error matching [ErrTampered] holding a [*ChainError].
//
// key is the key of a keyed chain (c.Keyed). With it, or for an unkeyed
// chain, each event's hash is checked against its content and the
// anchor's signature against the key too. A key given is always used,
// even when c says the links are not keyed: c comes with the events, and
// a chain the verifier knows to be keyed must not pass rehashed without
// the key. Without it, a keyed chain is
// checked by its numbering and links alone: that proves nothing was cut,
// added or moved, not that an event's content is the one hashed.
//
// want is a head the verifier kept from an earlier export (the zero
// Checkpoint: none): the chain must pass it with the same hash, unless it
// was pruned past it since. VerifySubject returns the head it reached.
func VerifySubject(events iter.Seq2[privacy.Event, error], c SubjectChain, key []byte, want Checkpoint) (Checkpoint, error) {
	// Rule G7: a verifier that holds a key checks with it, whatever c
	// says of its links: c comes with the events, and an export that
	// claims unkeyed links would otherwise pass events edited and
	// rehashed without the key.
	k := key
	if !c.Keyed && len(key) > 0 {
		c.Keyed = true
	}
	var from Checkpoint
	if a := c.Anchor; a != nil {
		if a.Subject != c.Subject || (!c.Keyed || len(k) > 0) && !a.Valid(k) {
			return Checkpoint{}, tampered(c.Subject, a.Seq, ProblemForgedAnchor, 0)
		}
		from = Checkpoint{Seq: a.Seq, Hash: a.Hash}
	}
	ch := newChain(c.Subject, k, from, want)
	ch.linksOnly = c.Keyed && len(k) == 0
	for e, err := range events {
		if err != nil {
			return ch.last, err
		}
		if e.Subject != c.Subject {
			// Another chain's event in this one's place.
			return ch.last, tampered(c.Subject, ch.expect, ProblemInserted, e.Seq)
		}
		if e.Seq > c.Head.Seq && ch.gapAt == 0 && e.Seq == ch.expect {
			// An event after the head: the list is not the chain the
			// head ends.
			return ch.last, tampered(c.Subject, e.Seq, ProblemInserted, 0)
		}
		if err := ch.step(e); err != nil {
			return ch.last, err
		}
	}
	if err := ch.end(); err != nil {
		return ch.last, err
	}
	switch {
	case ch.last.Seq < c.Head.Seq:
		return ch.last, tampered(c.Subject, ch.last.Seq+1, ProblemTruncated, 0)
	case ch.last != c.Head:
		return ch.last, tampered(c.Subject, c.Head.Seq, ProblemRewritten, 0)
	}
	return ch.last, nil
}

// VerifySubject checks events against the subject's chain c as
// [VerifySubject] does, under the key of the guard's store if it has one
// ([KeyedStore]) — without handing the key out: what an export checks
// before it hands the chain to the subject, who cannot check its content
// without the key (rule G7; issue 14 §3: tampering found without trusting
// the database).
func (g *Guard) VerifySubject(events iter.Seq2[privacy.Event, error], c SubjectChain, want Checkpoint) (Checkpoint, error) {
	if g == nil {
		return Checkpoint{}, errNoGuard("access: verify subject")
	}
	var key []byte
	if k, ok := g.store.(KeyedStore); ok {
		key = k.AuditKey()
	}
	return VerifySubject(events, c, key, want)
}
