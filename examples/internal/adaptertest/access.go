package adaptertest

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"

	"github.com/dossierwacht/dossierwacht/access"
	"github.com/dossierwacht/dossierwacht/privacy"
)

// RunAccess runs the cases of the access store that its kit leaves to the
// adapters: stores racing to record a group at one version of an
// employer's history, and input a database cannot keep.
func RunAccess(t *testing.T, newStore func(t *testing.T) access.Store) {
	t.Helper()
	for _, tc := range []struct {
		name string
		run  func(*testing.T, access.Store)
	}{
		{"N12_RacingAddGroupOneLands", testAddGroupRace},
		{"AccessBadInputTypedErrors", testAccessBadInput},
	} {
		t.Run(tc.name, func(t *testing.T) { tc.run(t, newStore(t)) })
	}
}

// testAddGroupRace: many AddGroup calls at the same version, many times;
// exactly one lands each time, with its event, and the rest fail with
// privacy.ErrConflict citing N12 (a group decided on a stale history is
// never recorded).
func testAddGroupRace(t *testing.T, s access.Store) {
	ctx := context.Background()
	const rounds, racers = 10, 6
	// Rule N12: a store that keeps subjects takes only subjects as
	// members; their creation's events are not the groups'.
	created := 0
	if ps, ok := s.(privacy.Store); ok {
		for round := range rounds {
			for i := range racers {
				id := privacy.SubjectID(fmt.Sprintf("s-%d-%d", round, i))
				sub, _ := privacy.NewSubject(id, "employer-1", t0)
				if err := ps.CreateSubject(ctx, sub, []privacy.Event{Event(i, id)}); err != nil {
					t.Fatal(err)
				}
				created++
			}
		}
	}
	for round := range rounds {
		var wg sync.WaitGroup
		errs := make([]error, racers)
		for i := range racers {
			wg.Go(func() {
				members := []privacy.SubjectID{privacy.SubjectID(fmt.Sprintf("s-%d-%d", round, i))}
				_, errs[i] = s.AddGroup(ctx, "employer-1", uint64(round), members, Event(i, "s-1"))
			})
		}
		wg.Wait()
		landed := 0
		for _, err := range errs {
			switch {
			case err == nil:
				landed++
			case !errors.Is(err, privacy.ErrConflict) || privacy.RuleOf(err) != privacy.N12:
				t.Fatalf("round %d: AddGroup = %v, want nil or ErrConflict by N12", round, err)
			}
		}
		h, err := s.GroupHistory(ctx, "employer-1")
		if err != nil || landed != 1 || h.Version != uint64(round+1) || len(h.Groups) != round+1 {
			t.Fatalf("round %d: %d landed; history at %d with %d groups (%v); want 1 and %d", round, landed, h.Version,
				len(h.Groups), err, round+1)
		}
	}
	n := 0
	for _, err := range s.Events(ctx, 1) {
		if err != nil {
			t.Fatal(err)
		}
		n++
	}
	if n-created != rounds {
		t.Errorf("%d audit events, want %d: one per recorded group", n-created, rounds)
	}
}

func testAccessBadInput(t *testing.T, s access.Store) {
	ctx := context.Background()
	for _, tc := range []struct {
		what     string
		employer privacy.PartyID
		members  []privacy.SubjectID
		event    privacy.Event
	}{
		{"malformed employer", "employer 1", nil, Event(1, "s-1")},
		{"malformed member", "employer-1", []privacy.SubjectID{"s'1"}, Event(1, "s-1")},
		{"NUL in its event", "employer-1", []privacy.SubjectID{"s-1"}, privacy.Event{Principal: "p\x00"}},
	} {
		if _, err := s.AddGroup(ctx, tc.employer, 0, tc.members, tc.event); !errors.Is(err, privacy.ErrInvalid) {
			t.Errorf("AddGroup(%s) = %v, want ErrInvalid", tc.what, err)
		}
	}
	if _, err := s.GroupHistory(ctx, ""); !errors.Is(err, privacy.ErrInvalid) {
		t.Errorf("GroupHistory(\"\") = %v, want ErrInvalid", err)
	}
	if h, err := s.GroupHistory(ctx, "employer-1"); err != nil || h.Version != 0 {
		t.Errorf("refused groups were recorded: %+v, %v", h, err)
	}
	for _, err := range s.SubjectEvents(ctx, "s 1", 1) {
		if !errors.Is(err, privacy.ErrInvalid) {
			t.Errorf("SubjectEvents(malformed) = %v, want ErrInvalid", err)
		}
	}
}
