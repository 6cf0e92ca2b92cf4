package access_test

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/dossierwacht/dossierwacht/access"
	"github.com/dossierwacht/dossierwacht/privacy"
)

// casesErasingStore erases victim when the guard first reads a member's
// cases: the erasure that lands after the guard looked the members up
// (Subject) and before it read their cases (SubjectCases).
type casesErasingStore struct {
	*countingStore
	victim privacy.SubjectID
	done   bool
}

func (s *casesErasingStore) SubjectCases(ctx context.Context, id privacy.SubjectID) ([]privacy.Case, error) {
	if !s.done {
		s.done = true
		if err := s.DeleteSubject(ctx, s.victim, []privacy.Event{{Time: now, Principal: "officer-1", Role: privacy.RolePrivacyOfficer,
			Action: privacy.EventDelete, Outcome: privacy.OutcomeAllowed, Rule: privacy.O13, Subject: s.victim, Object: string(s.victim)}}); err != nil {
			return nil, err
		}
	}
	return s.countingStore.SubjectCases(ctx, id)
}

// TestAttack9 attacks the guard's answer to a member erased meanwhile
// (rule N12: "a member who is not the employer's subject — never, or no
// longer — is refused alike, audited as a denial").
func TestAttack9(t *testing.T) {
	members := []privacy.SubjectID{"s-1"}
	for i := range 9 {
		members = append(members, privacy.SubjectID(fmt.Sprint("s-1", i)))
	}
	req := func(ms []privacy.SubjectID) access.GroupRequest {
		return access.GroupRequest{Principal: employer, Employer: "employer-1", Figure: access.FigureAbsenceRate,
			Members: ms, From: lastMonth, To: lastMonth.AddDate(0, 1, 0), Time: now}
	}
	type answer struct {
		err     error
		denials int
	}
	ask := func(t *testing.T, g *access.Guard, c *countingStore, ms []privacy.SubjectID) answer {
		before := len(allEvents(t, c.Store))
		_, err := g.GroupFigure(context.Background(), req(ms))
		var a answer
		a.err = err
		for _, e := range allEvents(t, c.Store)[before:] {
			if e.Action == privacy.EventExecute && e.Outcome == privacy.OutcomeDenied && e.Rule == privacy.N12 {
				a.denials++
			}
		}
		return a
	}
	// Rule N12 (and G7: every decision audited): a member erased between
	// the guard's look-up of the members and its read of their cases. The
	// guard returns the store's raw SubjectCases error ("subject cases:
	// not found", no rule, no Path) and audits nothing, where a member
	// that never existed gets ErrNotFound by N12 on "members" with one
	// denial event. The two answers differ, and the refusal is unaudited.
	t.Run("MemberErasedBeforeCasesRefusedAsStrangerN12", func(t *testing.T) {
		_, c1 := countingWorld(t)
		g1, err := access.New(c1, dossiersOf(t, c1), nil)
		if err != nil {
			t.Fatal(err)
		}
		never := append(append([]privacy.SubjectID{}, members[:9]...), "s-never")
		want := ask(t, g1, c1, never)
		if !errors.Is(want.err, privacy.ErrNotFound) || privacy.RuleOf(want.err) != privacy.N12 || want.denials != 1 {
			t.Fatalf("never-existed member: %v, %d denials", want.err, want.denials)
		}

		_, c2 := countingWorld(t)
		store := &casesErasingStore{countingStore: c2, victim: "s-13"}
		g2, err := access.New(store, dossiersOf(t, store), nil)
		if err != nil {
			t.Fatal(err)
		}
		got := ask(t, g2, c2, members)
		if got.err == nil || got.err.Error() != want.err.Error() || privacy.RuleOf(got.err) != privacy.N12 || got.denials != 1 {
			t.Errorf("member erased before its cases were read: %v with %d N12 denials audited; want as a never-existed member: %v with %d",
				got.err, got.denials, want.err, want.denials)
		}
	})
}

func dossiersOf(t *testing.T, s privacy.Store) *privacy.Dossiers {
	t.Helper()
	d, err := privacy.NewDossiers(s, privacy.Strict())
	if err != nil {
		t.Fatal(err)
	}
	return d
}
