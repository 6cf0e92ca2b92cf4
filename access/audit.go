package access

import (
	"iter"
	"strconv"

	"github.com/dossierwacht/dossierwacht/privacy"
)

// Checkpoint is a point of the audit chain: the sequence number and hash
// of one event. A verifier that keeps the last checkpoint it saw (or
// publishes it elsewhere) detects a later rewrite of the whole chain, or
// its truncation, which the chain alone cannot show.
type Checkpoint struct {
	Seq  uint64
	Hash privacy.Hash
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
)

// ChainError says where the audit chain is broken: the sequence number of
// the first event found wrong and what is wrong with it. Verify returns it
// wrapped in a [*privacy.Error] of kind [ErrTampered] and rule G7; get it
// with errors.As.
type ChainError struct {
	Seq     uint64
	Problem Problem
	// Found is, for a sequence problem, the number found where Seq was
	// expected.
	Found uint64
}

// Error describes the break, e.g. "event 7 missing (found 8)".
func (e *ChainError) Error() string {
	s := "event " + strconv.FormatUint(e.Seq, 10) + " " + string(e.Problem)
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

// Verify walks an audit chain and checks every link (rules G7, N9): each
// event numbered one after the last, linked to the previous event's hash,
// its own hash matching its content. events must start right after from
// (the zero Checkpoint: at the first event). If want is set (a checkpoint
// kept from an earlier verification), the chain must reach it with the same
// hash. Verify returns the last checkpoint it reached.
//
// A changed, removed, inserted or reordered event, a truncation before
// want, or a rewrite from want on fails with an error matching
// [ErrTampered] that holds a [*ChainError] naming the sequence number. An
// error from events itself is returned as it is.
func Verify(events iter.Seq2[privacy.Event, error], from, want Checkpoint) (Checkpoint, error) {
	last := from
	expect := from.Seq + 1
	var gapAt, gapFound uint64 // a number higher than expected, pending a look at the next event
	for e, err := range events {
		if err != nil {
			return last, err
		}
		if gapAt != 0 {
			// An earlier number after a later one: moved, not removed.
			if e.Seq < gapFound {
				return last, tampered(gapAt, ProblemReordered, gapFound)
			}
			return last, tampered(gapAt, ProblemMissing, gapFound)
		}
		switch {
		case e.Seq > expect:
			gapAt, gapFound = expect, e.Seq
			continue
		case e.Seq < expect:
			if e.Seq != 0 && e.Seq+1 == expect {
				return last, tampered(e.Seq, ProblemInserted, 0)
			}
			return last, tampered(expect, ProblemInserted, e.Seq)
		case e.ComputeHash() != e.Hash:
			return last, tampered(e.Seq, ProblemAltered, 0)
		case e.Prev != last.Hash:
			// The event is intact but its predecessor is not the one it
			// was chained to: that one was changed and re-hashed.
			if e.Seq == 1 {
				return last, tampered(e.Seq, ProblemAltered, 0)
			}
			return last, tampered(e.Seq-1, ProblemAltered, 0)
		}
		if want.Seq != 0 && e.Seq == want.Seq && e.Hash != want.Hash {
			return last, tampered(e.Seq, ProblemRewritten, 0)
		}
		last = Checkpoint{Seq: e.Seq, Hash: e.Hash}
		expect++
	}
	if gapAt != 0 {
		return last, tampered(gapAt, ProblemMissing, gapFound)
	}
	if want.Seq > last.Seq {
		return last, tampered(last.Seq+1, ProblemTruncated, 0)
	}
	return last, nil
}

func tampered(seq uint64, p Problem, found uint64) error {
	return &privacy.Error{Op: "access: verify audit trail", Kind: ErrTampered, Rule: privacy.G7,
		Err: &ChainError{Seq: seq, Problem: p, Found: found}}
}
