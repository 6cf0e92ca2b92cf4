package access

import (
	"iter"
	"slices"
	"strconv"

	"github.com/dossierwacht/dossierwacht/privacy"
)

// Checkpoint is a point of the audit chain: the sequence number and hash
// of one event. A verifier that keeps the last checkpoint it saw (or
// publishes it elsewhere) detects a later rewrite of the whole chain, or
// its truncation, which the chain alone cannot show.
type Checkpoint struct {
	Seq  uint64       `json:"seq"`
	Hash privacy.Hash `json:"hash"`
}

// Problem is what [Verify] found wrong with the audit chain.
type Problem string

// The problems.
const (
	// ProblemAltered: the event's content does not match its hash, or
	// the event before it was changed and re-hashed (the link breaks).
	ProblemAltered Problem = "altered"
	// ProblemMissing: an event was removed.
	ProblemMissing Problem = "missing"
	// ProblemInserted: an event was added between two others.
	ProblemInserted Problem = "inserted"
	// ProblemReordered: events were moved out of their order.
	ProblemReordered Problem = "reordered"
	// ProblemTruncated: the chain ends before a known checkpoint.
	ProblemTruncated Problem = "truncated"
	// ProblemRewritten: the event at a known checkpoint has another hash:
	// the chain was rewritten from there on.
	ProblemRewritten Problem = "rewritten"
	// ProblemForgedAnchor: the signed starting point of a pruned chain
	// does not carry the key's signature.
	ProblemForgedAnchor Problem = "anchor forged"
	// ProblemDamaged: a stored event cannot be read as an event (a hash
	// of the wrong length): damage to the storage, not a rewrite that
	// passes for the truth. Its error matches [ErrDamaged].
	ProblemDamaged Problem = "damaged"
)

// ChainError says where the audit chain is broken: the sequence number of
// the first event found wrong and what is wrong with it. Verify returns it
// wrapped in a [*privacy.Error] of kind [ErrTampered] and rule G7; get it
// with errors.As.
type ChainError struct {
	// Chain is the chain the break is in: its subject, "" for the
	// service's own chain.
	Chain   privacy.SubjectID
	Seq     uint64
	Problem Problem
	// Found is, for a sequence problem, the number found where Seq was
	// expected.
	Found uint64
}

// Error describes the break, e.g. "event 7 missing (found 8)".
func (e *ChainError) Error() string {
	s := "event "
	if e.Chain != "" {
		s = "chain " + string(e.Chain) + ": event "
	}
	s += strconv.FormatUint(e.Seq, 10) + " " + string(e.Problem)
	if e.Found != 0 {
		s += " (found " + strconv.FormatUint(e.Found, 10) + ")"
	}
	return s
}

// ErrTampered is the kind of error [Verify] returns for a broken audit
// chain (rule G7). It also matches [privacy.ErrConflict]: the stored log
// contradicts itself.
var ErrTampered error = &tamperedKind{}

type tamperedKind struct{}

func (*tamperedKind) Error() string { return "audit trail tampered with" }
func (*tamperedKind) Unwrap() error { return privacy.ErrConflict }

// ErrDamaged is the kind of error for an audit event the store cannot
// read as one (a hash cut short): damage, not tampering (rule G7). It also
// matches [privacy.ErrUnavailable].
var ErrDamaged error = &damagedKind{}

type damagedKind struct{}

func (*damagedKind) Error() string { return "audit trail damaged" }
func (*damagedKind) Unwrap() error { return privacy.ErrUnavailable }

// Damaged returns the error of an adapter that reads an event of chain
// numbered seq that is not whole: kind [ErrDamaged], rule G7, with a
// [*ChainError] of [ProblemDamaged].
func Damaged(op string, chain privacy.SubjectID, seq uint64) error {
	return &privacy.Error{Op: op, Kind: ErrDamaged, Rule: privacy.G7,
		Err: &ChainError{Chain: chain, Seq: seq, Problem: ProblemDamaged}}
}

// Verify walks an audit chain and checks every link (rules G7, N9): each
// event numbered one after the last, linked to the previous event's hash,
// its own hash matching its content. events must start right after from
// (the zero Checkpoint: at the first event). If want is set (a checkpoint
// kept from an earlier verification), the chain must reach it with the same
// hash. Verify returns the last checkpoint it reached.
//
// events are one chain with unkeyed links; [VerifyChains] verifies every
// chain of a trail, keyed, against checkpoints.
//
// A changed, removed, inserted or reordered event, a truncation before
// want, or a rewrite from want on fails with an error matching
// [ErrTampered] that holds a [*ChainError] naming the sequence number. An
// error from events itself is returned as it is.
func Verify(events iter.Seq2[privacy.Event, error], from, want Checkpoint) (Checkpoint, error) {
	c := newChain("", nil, from, want)
	for e, err := range events {
		if err != nil {
			return c.last, err
		}
		if err := c.step(e); err != nil {
			return c.last, err
		}
	}
	return c.last, c.end()
}

// Heads are checkpoints of every chain of the audit trail, by chain: the
// chain's subject, "" for the service's own chain.
type Heads map[privacy.SubjectID]Checkpoint

// VerifyOptions say what [VerifyChains] checks a trail against.
type VerifyOptions struct {
	// Key is the key the trail's links are computed under
	// ([privacy.Event.ChainKeyed]); nil for unkeyed links.
	Key []byte
	// Anchors are the signed starting points of pruned chains
	// ([privacy.Anchor]): such a chain starts right after its anchor.
	Anchors map[privacy.SubjectID]privacy.Anchor
	// Want are checkpoints kept outside the database ([Checkpoints]): each
	// chain must reach its checkpoint with the same hash, unless the
	// chain was pruned past it.
	Want Heads
}

// VerifyChains checks every chain of an audit trail (rules G7, N9):
// events may come chain by chain or interleaved, each chain in order.
// Each chain starts at its anchor, if o has one (a forged anchor is
// tampering), else at its first event; each link is checked under o.Key;
// each chain of o.Want must be reached with the same hash. With the key
// held outside the database and checkpoints kept outside it, nobody who
// can only write the database can rewrite, extend, cut short or remove a
// chain unnoticed.
//
// It returns the heads it reached. A break fails with an error matching
// [ErrTampered] holding a [*ChainError] that names the chain, the event
// and the problem; an event the store could not read fails as the store
// said (an adapter reports a hash cut short as [ErrDamaged]).
func VerifyChains(events iter.Seq2[privacy.Event, error], o VerifyOptions) (Heads, error) {
	chains := map[privacy.SubjectID]*chain{}
	get := func(id privacy.SubjectID) (*chain, error) {
		if c := chains[id]; c != nil {
			return c, nil
		}
		var from Checkpoint
		if a, ok := o.Anchors[id]; ok {
			if a.Subject != id || !a.Valid(o.Key) {
				return nil, tampered(id, a.Seq, ProblemForgedAnchor, 0)
			}
			from = Checkpoint{Seq: a.Seq, Hash: a.Hash}
		}
		c := newChain(id, o.Key, from, o.Want[id])
		chains[id] = c
		return c, nil
	}
	heads := func() Heads {
		h := make(Heads, len(chains))
		for id, c := range chains {
			h[id] = c.last
		}
		return h
	}
	for e, err := range events {
		if err != nil {
			return heads(), err
		}
		c, err := get(e.Subject)
		if err != nil {
			return heads(), err
		}
		if err := c.step(e); err != nil {
			return heads(), err
		}
	}
	// Chains known only from anchors or checkpoints: every event of them
	// may have been removed.
	for _, id := range sortedChains(o.Anchors, o.Want) {
		if _, err := get(id); err != nil {
			return heads(), err
		}
	}
	for _, id := range sortedChains[*chain, Checkpoint](chains, nil) {
		if err := chains[id].end(); err != nil {
			return heads(), err
		}
	}
	return heads(), nil
}

func sortedChains[V, W any](a map[privacy.SubjectID]V, b map[privacy.SubjectID]W) []privacy.SubjectID {
	ids := make([]privacy.SubjectID, 0, len(a)+len(b))
	for id := range a {
		ids = append(ids, id)
	}
	for id := range b {
		if _, ok := a[id]; !ok {
			ids = append(ids, id)
		}
	}
	slices.Sort(ids)
	return ids
}

// chain is the state of verifying one chain.
type chain struct {
	id               privacy.SubjectID
	key              []byte
	from, last, want Checkpoint
	expect           uint64
	gapAt, gapFound  uint64 // a number higher than expected, pending a look at the next event
	// linksOnly checks numbers and links, not each event's hash against
	// its content: a keyed chain read without its key (VerifySubject).
	linksOnly bool
}

func newChain(id privacy.SubjectID, key []byte, from, want Checkpoint) *chain {
	return &chain{id: id, key: key, from: from, last: from, want: want, expect: from.Seq + 1}
}

func (c *chain) step(e privacy.Event) error {
	if c.gapAt != 0 {
		// An earlier number after a later one: moved, not removed.
		if e.Seq < c.gapFound {
			return tampered(c.id, c.gapAt, ProblemReordered, c.gapFound)
		}
		return tampered(c.id, c.gapAt, ProblemMissing, c.gapFound)
	}
	switch {
	case e.Seq > c.expect:
		c.gapAt, c.gapFound = c.expect, e.Seq
		return nil
	case e.Seq < c.expect:
		if e.Seq != 0 && e.Seq+1 == c.expect {
			return tampered(c.id, e.Seq, ProblemInserted, 0)
		}
		return tampered(c.id, c.expect, ProblemInserted, e.Seq)
	case !c.linksOnly && e.ComputeHashKeyed(c.key) != e.Hash:
		return tampered(c.id, e.Seq, ProblemAltered, 0)
	case e.Prev != c.last.Hash:
		// The event is intact but its predecessor is not the one it
		// was chained to: that one was changed and re-hashed.
		if e.Seq == c.from.Seq+1 {
			return tampered(c.id, e.Seq, ProblemAltered, 0)
		}
		return tampered(c.id, e.Seq-1, ProblemAltered, 0)
	case c.want.Seq != 0 && e.Seq == c.want.Seq && e.Hash != c.want.Hash:
		return tampered(c.id, e.Seq, ProblemRewritten, 0)
	}
	c.last = Checkpoint{Seq: e.Seq, Hash: e.Hash}
	c.expect++
	return nil
}

// end checks the chain, read to its end, against its checkpoint.
func (c *chain) end() error {
	want := c.want
	if c.gapAt != 0 {
		return tampered(c.id, c.gapAt, ProblemMissing, c.gapFound)
	}
	switch {
	case want.Seq == 0, want.Seq < c.from.Seq:
		// No checkpoint, or one of events pruned since.
	case want.Seq > c.last.Seq:
		return tampered(c.id, c.last.Seq+1, ProblemTruncated, 0)
	case want.Seq == c.from.Seq && want.Hash != c.from.Hash:
		return tampered(c.id, want.Seq, ProblemRewritten, 0)
	}
	return nil
}

func tampered(chain privacy.SubjectID, seq uint64, p Problem, found uint64) error {
	return &privacy.Error{Op: "access: verify audit trail", Kind: ErrTampered, Rule: privacy.G7,
		Err: &ChainError{Chain: chain, Seq: seq, Problem: p, Found: found}}
}
