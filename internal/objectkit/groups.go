package objectkit

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/dossierwacht/dossierwacht/access"
	"github.com/dossierwacht/dossierwacht/privacy"
	"github.com/dossierwacht/dossierwacht/retention"
)

// GroupStore is what RunGroupsVersusErasure needs of a store: subjects,
// group histories and the erasure of objects.
type GroupStore interface {
	privacy.Store
	access.Store
	retention.ObjectStore
}

// RunGroupsVersusErasure checks rule N12 under concurrency: group figures
// answered, as the guard answers them (read the history, add a group on
// its version), while their members are erased one by one — by
// DeleteSubject, and by a sweep's EraseObject of the subject — leave no
// erased subject's ID in the employer's history. AddGroup may refuse a
// stale history (ErrConflict) or a member that is gone (ErrNotFound, N12);
// no erasure may fail. newStore returns an empty store.
func RunGroupsVersusErasure(t *testing.T, newStore func(t *testing.T) GroupStore) {
	for _, batch := range []bool{false, true} {
		t.Run(fmt.Sprint("AddGroupRacesErasureN12/batch=", batch), func(t *testing.T) {
			ctx := context.Background()
			s := newStore(t)
			t0 := time.Date(2025, 1, 10, 9, 0, 0, 0, time.UTC)
			closed := t0.AddDate(0, 2, 0)
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
				sub.EmploymentEnded = closed
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
						m := []privacy.SubjectID{xs[(i*7+w)%n], xs[n]}
						_, err = s.AddGroup(ctx, "employer-1", h.Version, m, ev("", privacy.EventCreate))
						if err != nil && !errors.Is(err, privacy.ErrConflict) && !(errors.Is(err, privacy.ErrNotFound) && privacy.RuleOf(err) == privacy.N12) {
							t.Errorf("AddGroup: %v", err)
							return
						}
					}
				}()
			}
			for _, x := range xs[:n] {
				time.Sleep(time.Millisecond)
				if batch {
					p := retention.ObjectProof{Kind: privacy.DataSubject, ID: string(x), Subject: x, Ended: closed, Deleted: closed.AddDate(8, 0, 0),
						Rule: privacy.O12, Reason: retention.ReasonMaximum, Citation: "regulation O", Policy: "strict@1.0.0", By: "officer-1"}
					e := ev(x, privacy.EventDelete)
					e.Time = p.Deleted
					if err := s.EraseObject(ctx, p, e); err != nil {
						t.Errorf("EraseObject(%s): %v", x, err)
					}
				} else if err := s.DeleteSubject(ctx, x, []privacy.Event{ev(x, privacy.EventDelete)}); err != nil {
					t.Errorf("DeleteSubject(%s): %v", x, err)
				}
			}
			close(stop)
			wg.Wait()
			h, err := s.GroupHistory(ctx, "employer-1")
			if err != nil {
				t.Fatal(err)
			}
			for _, g := range h.Groups {
				for _, x := range xs[:n] {
					if slices.Contains(g, x) {
						t.Errorf("rule N12: erased %s is in group %v", x, g)
					}
				}
			}
		})
	}
}
