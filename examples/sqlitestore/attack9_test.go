package sqlitestore_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/dossierwacht/dossierwacht/privacy"
)

// TestAttack9 is the SQLite side of pgstore's TestAttack9 (rule N12):
// group figures answered while their members are erased.
func TestAttack9(t *testing.T) {
	t.Run("AddGroupRacesDeleteSubjectN12", func(t *testing.T) {
		ctx := context.Background()
		s := open(t)
		t0 := time.Date(2025, 1, 10, 9, 0, 0, 0, time.UTC)
		ev := func(sub privacy.SubjectID, a privacy.EventAction) privacy.Event {
			return privacy.Event{Time: t0, Principal: "officer-1", Role: privacy.RolePrivacyOfficer, Action: a,
				Outcome: privacy.OutcomeAllowed, Rule: privacy.N12, Subject: sub, Object: string(sub)}
		}
		const n = 20
		var xs []privacy.SubjectID
		for i := range n + 1 {
			x := privacy.SubjectID(fmt.Sprintf("x%02d", i))
			xs = append(xs, x)
			sub, _ := privacy.NewSubject(x, "employer-1", t0)
			if err := s.CreateSubject(ctx, sub, []privacy.Event{ev(x, privacy.EventCreate)}); err != nil {
				t.Fatal(err)
			}
		}
		stop := make(chan struct{})
		var wg sync.WaitGroup
		for w := range 4 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := 0; ; i++ {
					select {
					case <-stop:
						return
					default:
					}
					h, err := s.GroupHistory(ctx, "employer-1")
					if err != nil {
						t.Errorf("GroupHistory: %v", err)
						return
					}
					m := []privacy.SubjectID{xs[n], xs[(i*7+w)%n]}
					slices.Sort(m)
					_, err = s.AddGroup(ctx, "employer-1", h.Version, m, ev("", privacy.EventCreate))
					if err != nil && !errors.Is(err, privacy.ErrConflict) && !(errors.Is(err, privacy.ErrNotFound) && privacy.RuleOf(err) == privacy.N12) {
						t.Errorf("AddGroup: %v", err)
						return
					}
				}
			}()
		}
		var deleted []privacy.SubjectID
		for _, x := range xs[:n] {
			time.Sleep(2 * time.Millisecond)
			if err := s.DeleteSubject(ctx, x, []privacy.Event{ev(x, privacy.EventDelete)}); err != nil {
				t.Errorf("DeleteSubject(%s): %v", x, err)
				continue
			}
			deleted = append(deleted, x)
		}
		close(stop)
		wg.Wait()
		h, err := s.GroupHistory(ctx, "employer-1")
		if err != nil {
			t.Fatal(err)
		}
		for _, g := range h.Groups {
			for _, x := range deleted {
				if slices.Contains(g, x) {
					t.Errorf("rule N12: erased %s is in group %v", x, g)
				}
			}
		}
		t.Logf("%d groups, version %d", len(h.Groups), h.Version)
	})
}
