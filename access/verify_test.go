package access_test

import (
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/dossierwacht/dossierwacht/access"
	"github.com/dossierwacht/dossierwacht/privacy"
)

// TestVerifyProblems: Verify names each kind of break in a stream of
// events, and where (rule G7). The accesstest kit breaks stored trails as
// a store keyed by sequence number allows; this test also feeds the
// streams such a store never yields (an event twice, events out of
// order), as a copy of a trail exported to a file could be.
func TestVerifyProblems(t *testing.T) {
	const n = 5
	chain := make([]privacy.Event, n)
	var prev privacy.Hash
	for k := range chain {
		chain[k] = privacy.Event{Time: now.Add(time.Duration(k) * time.Second), Principal: "cm-1", Role: privacy.RoleCaseManager,
			Subject: "s-1", Case: "c-abs", Action: privacy.EventRead, Outcome: privacy.OutcomeAllowed, Rule: privacy.R7,
			Policy: "1.0.0"}.Chain(uint64(k+1), prev)
		prev = chain[k].Hash
	}
	head := access.Checkpoint{Seq: n, Hash: prev}
	forged := chain[2]
	forged.Principal = "intruder"
	forged = forged.Chain(3, chain[1].Hash)
	for _, tc := range []struct {
		name   string
		events func([]privacy.Event) []privacy.Event
		want   access.Checkpoint
		seq    uint64
		found  uint64
		p      access.Problem
	}{
		{"G7_altered", func(es []privacy.Event) []privacy.Event { es[2].Outcome = privacy.OutcomeDenied; return es },
			access.Checkpoint{}, 3, 0, access.ProblemAltered},
		{"G7_altered_and_rehashed", func(es []privacy.Event) []privacy.Event {
			es[1].Principal = "someone-else"
			es[1].Hash = es[1].ComputeHash()
			return es
		}, access.Checkpoint{}, 2, 0, access.ProblemAltered},
		{"G7_missing", func(es []privacy.Event) []privacy.Event { return slices.Delete(es, 1, 2) },
			access.Checkpoint{}, 2, 3, access.ProblemMissing},
		{"G7_missing_last_before_the_checkpoint", func(es []privacy.Event) []privacy.Event { return slices.Delete(es, n-2, n-1) },
			head, n - 1, n, access.ProblemMissing},
		{"G7_inserted_with_its_number", func(es []privacy.Event) []privacy.Event { return slices.Insert(es, 2, forged) },
			access.Checkpoint{}, 3, 0, access.ProblemInserted},
		{"G7_inserted_an_earlier_number", func(es []privacy.Event) []privacy.Event { return slices.Insert(es, 3, es[0]) },
			access.Checkpoint{}, 4, 1, access.ProblemInserted},
		{"G7_reordered", func(es []privacy.Event) []privacy.Event { es[1], es[3] = es[3], es[1]; return es },
			access.Checkpoint{}, 2, 4, access.ProblemReordered},
		{"G7_truncated", func(es []privacy.Event) []privacy.Event { return es[:n-1] },
			head, n, 0, access.ProblemTruncated},
		{"G7_rewritten", func(es []privacy.Event) []privacy.Event {
			es[n-1].Principal = "forger"
			es[n-1] = es[n-1].Chain(n, es[n-2].Hash)
			return es
		}, head, n, 0, access.ProblemRewritten},
	} {
		t.Run(tc.name, func(t *testing.T) {
			es := tc.events(slices.Clone(chain))
			stream := func(yield func(privacy.Event, error) bool) {
				for _, e := range es {
					if !yield(e, nil) {
						return
					}
				}
			}
			_, err := access.Verify(stream, access.Checkpoint{}, tc.want)
			var ce *access.ChainError
			if !errors.As(err, &ce) || !errors.Is(err, access.ErrTampered) || privacy.RuleOf(err) != privacy.G7 {
				t.Fatalf("Verify = %v, want a *ChainError matching ErrTampered by G7", err)
			}
			if ce.Seq != tc.seq || ce.Problem != tc.p || ce.Found != tc.found {
				t.Errorf("Verify = %v, want event %d %s (found %d)", ce, tc.seq, tc.p, tc.found)
			}
		})
	}
}
