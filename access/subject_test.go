package access_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/dossierwacht/dossierwacht/access"
	"github.com/dossierwacht/dossierwacht/memstore"
	"github.com/dossierwacht/dossierwacht/privacy"
)

// TestVerifySubjectG7N9R11G1: a subject's chain, as their export hands it
// over (rules R11, G1: the subject's copy of who accessed their data, N9),
// verifies against its head, with the key and, for a keyed chain, by its
// numbers and links alone without it; a list cut short, cut in the
// middle, reordered, extended, mixed with another chain's event or edited
// fails with the problem named (rule G7).
func TestVerifySubjectG7N9R11G1(t *testing.T) {
	es := chained(key, 6, "s-1")
	head := access.Checkpoint{Seq: 6, Hash: es[5].Hash}
	c := access.SubjectChain{Subject: "s-1", Head: head, Keyed: true}
	for _, k := range [][]byte{key, nil} {
		got, err := access.VerifySubject(stream(es), c, k, access.Checkpoint{})
		if err != nil || got != head {
			t.Fatalf("key %q: VerifySubject = %v, %v; want the head %v", k, got, err, head)
		}
	}
	// An unkeyed chain is checked event by event without a key.
	plain := chained(nil, 3, "s-1")
	pc := access.SubjectChain{Subject: "s-1", Head: access.Checkpoint{Seq: 3, Hash: plain[2].Hash}}
	if _, err := access.VerifySubject(stream(plain), pc, nil, access.Checkpoint{}); err != nil {
		t.Fatalf("unkeyed chain: %v", err)
	}
	edited := slices.Clone(plain)
	edited[1].Principal = "someone-else"
	_, err := access.VerifySubject(stream(edited), pc, nil, access.Checkpoint{})
	wantChainBreak(t, err, access.ErrTampered, "s-1", 2, access.ProblemAltered)

	other := chained(key, 1, "s-2")[0]
	beyond := chained(key, 7, "s-1")[6]
	for _, tc := range []struct {
		name    string
		key     []byte
		edit    func([]privacy.Event) []privacy.Event
		want    access.Checkpoint
		seq     uint64
		problem access.Problem
	}{
		{"G7_last_event_cut", nil, func(e []privacy.Event) []privacy.Event { return e[:5] }, access.Checkpoint{}, 6, access.ProblemTruncated},
		{"G7_last_three_cut", key, func(e []privacy.Event) []privacy.Event { return e[:3] }, access.Checkpoint{}, 4, access.ProblemTruncated},
		{"G7_every_event_cut", nil, func(e []privacy.Event) []privacy.Event { return nil }, access.Checkpoint{}, 1, access.ProblemTruncated},
		{"G7_middle_event_cut", nil, func(e []privacy.Event) []privacy.Event { return slices.Delete(e, 2, 3) }, access.Checkpoint{}, 3, access.ProblemMissing},
		{"G7_first_event_cut", nil, func(e []privacy.Event) []privacy.Event { return e[1:] }, access.Checkpoint{}, 1, access.ProblemMissing},
		{"G7_two_swapped", nil, func(e []privacy.Event) []privacy.Event { e[2], e[3] = e[3], e[2]; return e }, access.Checkpoint{}, 3, access.ProblemReordered},
		{"G7_another_chains_event", nil, func(e []privacy.Event) []privacy.Event { return slices.Insert(e, 2, other) }, access.Checkpoint{}, 3, access.ProblemInserted},
		{"G7_event_after_the_head", nil, func(e []privacy.Event) []privacy.Event { return append(e, beyond) }, access.Checkpoint{}, 7, access.ProblemInserted},
		{"G7_content_edited_found_with_the_key", key, func(e []privacy.Event) []privacy.Event { e[3].Purpose = "other"; return e }, access.Checkpoint{}, 4, access.ProblemAltered},
		{"G7_event_rehashed_breaks_the_next_link", nil, func(e []privacy.Event) []privacy.Event {
			e[3].Object = "r-9"
			e[3].Hash = e[3].ComputeHashKeyed([]byte("a guessed key"))
			return e
		}, access.Checkpoint{}, 4, access.ProblemAltered},
		{"G7_last_event_rehashed", nil, func(e []privacy.Event) []privacy.Event {
			e[5].Object = "r-9"
			e[5].Hash = e[5].ComputeHashKeyed([]byte("a guessed key"))
			return e
		}, access.Checkpoint{}, 6, access.ProblemRewritten},
		{"G7_kept_head_of_an_earlier_export_rewritten", nil, nil, access.Checkpoint{Seq: 3, Hash: es[4].Hash}, 3, access.ProblemRewritten},
	} {
		t.Run(tc.name, func(t *testing.T) {
			list := slices.Clone(es)
			if tc.edit != nil {
				list = tc.edit(list)
			}
			_, err := access.VerifySubject(stream(list), c, tc.key, tc.want)
			wantChainBreak(t, err, access.ErrTampered, "s-1", tc.seq, tc.problem)
		})
	}
	t.Run("G7_kept_head_of_an_earlier_export_passes", func(t *testing.T) {
		if _, err := access.VerifySubject(stream(es), c, nil, access.Checkpoint{Seq: 3, Hash: es[2].Hash}); err != nil {
			t.Fatal(err)
		}
	})
}

// TestVerifySubjectPrunedG7N9: a chain pruned after the audit retention
// (N9) verifies from its signed anchor; a forged anchor is found with the
// key (rule G7), and the chain still proves nothing was cut after it
// without the key.
func TestVerifySubjectPrunedG7N9(t *testing.T) {
	es := chained(key, 6, "s-1")
	a := privacy.Anchor{Subject: "s-1", Seq: 2, Hash: es[1].Hash}.Sign(key)
	c := access.SubjectChain{Subject: "s-1", Head: access.Checkpoint{Seq: 6, Hash: es[5].Hash}, Anchor: &a, Keyed: true}
	for _, k := range [][]byte{key, nil} {
		if _, err := access.VerifySubject(stream(es[2:]), c, k, access.Checkpoint{}); err != nil {
			t.Fatalf("key %q: %v", k, err)
		}
	}
	// A head kept before the pruning, of an event pruned since, passes.
	if _, err := access.VerifySubject(stream(es[2:]), c, key, access.Checkpoint{Seq: 1, Hash: es[0].Hash}); err != nil {
		t.Fatalf("a kept head pruned since: %v", err)
	}
	_, err := access.VerifySubject(stream(es[3:]), c, nil, access.Checkpoint{})
	wantChainBreak(t, err, access.ErrTampered, "s-1", 3, access.ProblemMissing)
	forged := privacy.Anchor{Subject: "s-1", Seq: 3, Hash: es[2].Hash}.Sign([]byte("not the key"))
	fc := c
	fc.Anchor = &forged
	_, err = access.VerifySubject(stream(es[3:]), fc, key, access.Checkpoint{})
	wantChainBreak(t, err, access.ErrTampered, "s-1", 3, access.ProblemForgedAnchor)
}

// TestSubjectChainG7: the guard tells where a subject's chain stands in
// the store (its head, its anchor once pruned, whether it is keyed), the
// same whether the store reads one chain's head (memstore) or only every
// head and anchor; a malformed subject fails with ErrInvalid.
func TestSubjectChainG7(t *testing.T) {
	ctx := context.Background()
	store := memstore.NewKeyed(key)
	t0 := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	for i := range 4 {
		ev := privacy.Event{Time: t0.Add(time.Duration(i) * time.Hour), Principal: "cm-1", Role: privacy.RoleCaseManager,
			Subject: "s-1", Action: privacy.EventRead, Outcome: privacy.OutcomeAllowed, Rule: privacy.R7, Policy: "1.0.0"}
		if _, err := store.AppendEvents(ctx, ev); err != nil {
			t.Fatal(err)
		}
	}
	g, err := access.New(store, nil, &access.Options{Policy: privacy.Strict()})
	if err != nil {
		t.Fatal(err)
	}
	heads, err := store.AuditHeads(ctx)
	if err != nil {
		t.Fatal(err)
	}
	c, err := g.SubjectChain(ctx, "s-1")
	if err != nil || c.Head != heads["s-1"] || c.Head.Seq != 4 || !c.Keyed || c.Anchor != nil {
		t.Fatalf("SubjectChain = %+v, %v; want the head %v, keyed, no anchor", c, err, heads["s-1"])
	}
	sweep := privacy.Event{Time: t0.Add(48 * time.Hour), Principal: "sweeper", Role: privacy.RoleAdministrator,
		Action: privacy.EventDelete, Outcome: privacy.OutcomeAllowed, Rule: privacy.N9, Policy: "1.0.0"}
	if _, err := store.PruneAudit(ctx, t0.Add(150*time.Minute), sweep); err != nil {
		t.Fatal(err)
	}
	c, err = g.SubjectChain(ctx, "s-1")
	if err != nil || c.Anchor == nil || c.Anchor.Seq != 3 || c.Head.Seq != 4 {
		t.Fatalf("after pruning: %+v, %v; want the anchor at 3, the head at 4", c, err)
	}
	// A store that reads only every head and anchor tells the same.
	slow, err := access.ChainOf(ctx, headsOnly{store}, "s-1")
	if err != nil || slow.Head != c.Head || *slow.Anchor != *c.Anchor || !slow.Keyed {
		t.Fatalf("ChainOf over every head = %+v, %v; want %+v", slow, err, c)
	}
	var events []privacy.Event
	for e, err := range g.SubjectEvents(ctx, "s-1", 0) {
		if err != nil {
			t.Fatal(err)
		}
		events = append(events, e)
	}
	if _, err := access.VerifySubject(stream(events), c, key, access.Checkpoint{}); err != nil {
		t.Fatalf("the store's own chain: %v", err)
	}
	if _, err := g.SubjectChain(ctx, "no such id"); !errors.Is(err, privacy.ErrInvalid) {
		t.Errorf("malformed subject: %v, want ErrInvalid", err)
	}
	// A store that tells no heads: unavailable, never a head made up.
	if _, err := access.ChainOf(ctx, bare{store}, "s-1"); !errors.Is(err, privacy.ErrUnavailable) || !errors.Is(err, errors.ErrUnsupported) {
		t.Errorf("a store without heads: %v, want ErrUnavailable and ErrUnsupported", err)
	}
}

// headsOnly is a store that reads every head and anchor but no chain's
// alone.
type headsOnly struct{ *memstore.Store }

func (h headsOnly) ChainHead() {} // hides memstore's

// bare is a store that tells neither heads nor anchors.
type bare struct{ access.Store }

// ExampleVerifySubject: a subject checks the access log of their export
// against the head of their chain it carries (rules G7, N9, R11, G1):
// the whole chain passes; the same list with its last event cut does not.
func ExampleVerifySubject() {
	ctx := context.Background()
	store := memstore.NewKeyed([]byte("the service's audit key"))
	t0 := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	for i, who := range []privacy.PrincipalID{"case-manager-carla", "physician-dirk", "employer-contact-bert"} {
		ev := privacy.Event{Time: t0.Add(time.Duration(i) * time.Hour), Principal: who, Role: privacy.RoleCaseManager,
			Subject: "employee-anna", Action: privacy.EventRead, Outcome: privacy.OutcomeAllowed, Rule: privacy.R7, Policy: "1.0.0"}
		if _, err := store.AppendEvents(ctx, ev); err != nil {
			panic(err)
		}
	}
	// What the export hands over: the chain's head and its events.
	chain, _ := access.ChainOf(ctx, store, "employee-anna")
	var events []privacy.Event
	for e, err := range store.SubjectEvents(ctx, "employee-anna", 1) {
		if err != nil {
			panic(err)
		}
		events = append(events, e)
	}
	// The subject has no key: the numbers and links are checked.
	head, err := access.VerifySubject(stream(events), chain, nil, access.Checkpoint{})
	fmt.Println("whole chain:", head.Seq, err)
	_, err = access.VerifySubject(stream(events[:2]), chain, nil, access.Checkpoint{})
	fmt.Println("last event cut:", errors.Is(err, access.ErrTampered), err)
	// Output:
	// whole chain: 3 <nil>
	// last event cut: true privacy: access: verify audit trail: rule G7: audit trail tampered with: chain employee-anna: event 3 truncated
}
