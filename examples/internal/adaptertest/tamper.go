package adaptertest

import (
	"context"
	"errors"
	"testing"

	"github.com/dossierwacht/dossierwacht/access"
	"github.com/dossierwacht/dossierwacht/privacy"
)

// TamperStore is an adapter's store with its audit trail's append-only
// triggers switched off for a test: what a forger with write access to
// the tables could do. Each method changes rows of the audit trail as
// they are stored; an adapter implements it in its internal tests only.
//
// A SQL trail is keyed and ordered by its sequence number, so an event
// cannot be put between two others, or two events swapped, without
// renumbering or rewriting rows: the accesstest kit's InsertEvent and
// SwapEvents have no faithful SQL form, and [RunTampering] plays those
// attacks as a forger of the tables would.
type TamperStore interface {
	access.Store
	// SetEvent overwrites the row numbered seq with e's content and
	// hashes, keeping its number.
	SetEvent(seq uint64, e privacy.Event) error
	// DeleteEvent deletes the row numbered seq.
	DeleteEvent(seq uint64) error
	// Renumber adds one to the number of every row numbered from on.
	Renumber(from uint64) error
	// PutEvent inserts e as a row numbered e.Seq.
	PutEvent(e privacy.Event) error
}

// RunTampering breaks the audit trail as a forger with write access to
// the tables would, and checks that access.Verify finds each break and
// says where (rule G7): the accesstest kit's tampering cases, played on
// the tables themselves.
func RunTampering(t *testing.T, newStore func(t *testing.T) TamperStore) {
	t.Helper()
	for _, tc := range []struct {
		name string
		run  func(*testing.T, *tamperEnv)
	}{
		{"G7_VerifyDetectsAlteredEvent", tamperAltered},
		{"G7_VerifyDetectsRehashedEvent", tamperRehashed},
		{"G7_VerifyDetectsRemovedEvent", tamperRemoved},
		{"G7_VerifyDetectsInsertedEvent", tamperInserted},
		{"G7_VerifyDetectsReorderedEvents", tamperReordered},
		{"G7_VerifyDetectsTruncation", tamperTruncated},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := newStore(t)
			e := &tamperEnv{ctx: context.Background(), s: s}
			for i := range 5 {
				if _, err := s.AppendEvents(e.ctx, Event(i, "s-1")); err != nil {
					t.Fatal(err)
				}
			}
			if _, err := e.verify(access.Checkpoint{}); err != nil {
				t.Fatalf("Verify before tampering = %v", err)
			}
			e.events = e.all(t)
			tc.run(t, e)
		})
	}
}

type tamperEnv struct {
	ctx    context.Context
	s      TamperStore
	events []privacy.Event // as appended, before tampering
}

func (e *tamperEnv) verify(want access.Checkpoint) (access.Checkpoint, error) {
	return access.Verify(e.s.Events(e.ctx, 1), access.Checkpoint{}, want)
}

func (e *tamperEnv) all(t *testing.T) []privacy.Event {
	t.Helper()
	var out []privacy.Event
	for ev, err := range e.s.Events(e.ctx, 1) {
		if err != nil {
			t.Fatalf("Events: %v", err)
		}
		out = append(out, ev)
	}
	return out
}

// wantBreak checks that Verify finds problem p at seq.
func (e *tamperEnv) wantBreak(t *testing.T, want access.Checkpoint, seq uint64, p access.Problem) {
	t.Helper()
	_, err := e.verify(want)
	var ce *access.ChainError
	if !errors.Is(err, access.ErrTampered) || !errors.As(err, &ce) || privacy.RuleOf(err) != privacy.G7 {
		t.Fatalf("Verify = %v, want a *ChainError matching ErrTampered by G7", err)
	}
	if ce.Seq != seq || ce.Problem != p {
		t.Errorf("Verify = %v, want event %d %s", ce, seq, p)
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func tamperAltered(t *testing.T, e *tamperEnv) {
	ev := e.events[2]
	ev.Outcome, ev.Rule = privacy.OutcomeDenied, privacy.O6
	must(t, e.s.SetEvent(3, ev))
	e.wantBreak(t, access.Checkpoint{}, 3, access.ProblemAltered)
}

func tamperRehashed(t *testing.T, e *tamperEnv) {
	// A careful forger recomputes the changed event's hash; the next
	// event's link gives it away.
	ev := e.events[1]
	ev.Principal = "someone-else"
	ev.Hash = ev.ComputeHash()
	must(t, e.s.SetEvent(2, ev))
	e.wantBreak(t, access.Checkpoint{}, 2, access.ProblemAltered)
}

func tamperRemoved(t *testing.T, e *tamperEnv) {
	must(t, e.s.DeleteEvent(2))
	e.wantBreak(t, access.Checkpoint{}, 2, access.ProblemMissing)
}

func tamperInserted(t *testing.T, e *tamperEnv) {
	// A forged event that fits the chain at its place: numbered 3, linked
	// to event 2, with a valid hash. To store it the forger moves the
	// genuine events 3 to 5 up by one; the genuine event 3, now numbered
	// 4, no longer matches its hash.
	forged := e.events[2]
	forged.Principal = "intruder"
	forged = forged.Chain(3, e.events[1].Hash)
	must(t, e.s.Renumber(3))
	must(t, e.s.PutEvent(forged))
	if got := e.all(t); len(got) != 6 || got[2].Principal != "intruder" {
		t.Fatalf("after the insertion the trail is %+v", got)
	}
	e.wantBreak(t, access.Checkpoint{}, 4, access.ProblemAltered)
}

func tamperReordered(t *testing.T, e *tamperEnv) {
	// Swapping two events swaps their rows' contents: each now sits under
	// a number its hash was not made with.
	must(t, e.s.SetEvent(2, e.events[3]))
	must(t, e.s.SetEvent(4, e.events[1]))
	e.wantBreak(t, access.Checkpoint{}, 2, access.ProblemAltered)
}

func tamperTruncated(t *testing.T, e *tamperEnv) {
	cp, err := e.verify(access.Checkpoint{})
	if err != nil {
		t.Fatal(err)
	}
	// Removing the last event leaves a valid chain: only a checkpoint
	// kept from before shows it.
	must(t, e.s.DeleteEvent(5))
	if _, err := e.verify(access.Checkpoint{}); err != nil {
		t.Errorf("Verify without a checkpoint = %v; a truncated chain is still a chain", err)
	}
	e.wantBreak(t, cp, 5, access.ProblemTruncated)
	// A new event 5 in its place chains well, but it is not the event 5
	// the checkpoint knew: the chain was rewritten from there.
	if _, err := e.s.AppendEvents(e.ctx, Event(9, "s-1")); err != nil {
		t.Fatal(err)
	}
	e.wantBreak(t, cp, 5, access.ProblemRewritten)
}
