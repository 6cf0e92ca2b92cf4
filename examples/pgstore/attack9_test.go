package pgstore

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/dossierwacht/dossierwacht/internal/objectkit"
	"github.com/dossierwacht/dossierwacht/privacy"
	"github.com/dossierwacht/dossierwacht/retention"
)

// TestAttack9 attacks rule N12's group histories on PostgreSQL: AddGroup's
// member check (FOR KEY SHARE) against the erasure's forget_in_groups and
// lock_groups_of (migrations 0066, 0070), through the public API.
func TestAttack9(t *testing.T) {
	t.Run("AddGroupVersusForgetDeleteSubjectN12", func(t *testing.T) { attack9AddGroupVersusForget(t, false) })
	t.Run("AddGroupVersusForgetBatchN12", func(t *testing.T) { attack9AddGroupVersusForget(t, true) })
	t.Run("RolesAddGroupEraseLockGroupsOfN12", attack9RolesN12)
	t.Run("AddGroupVersusDeleteStressN12", attack9AddGroupVersusDeleteStress)
	t.Run("MembersErasedStressDeleteSubjectN12", func(t *testing.T) { attack9MembersErasedStress(t, false) })
	t.Run("MembersErasedStressBatchN12", func(t *testing.T) { attack9MembersErasedStress(t, true) })
}

// holdChain holds the audit chain lock of chain in a transaction of its
// own (the lock an append of an event of that chain waits for), until the
// returned release runs.
func holdChain(t *testing.T, a *a8, chain string) (release func()) {
	t.Helper()
	other, err := a.s.pool.Begin(a.ctx)
	a.must(t, "Begin", err)
	_, err = other.Exec(a.ctx, `SELECT pg_advisory_xact_lock($1::int4, hashtext($2))`, int32(a.s.auditLock), chain)
	a.must(t, "audit chain lock", err)
	done := false
	t.Cleanup(func() {
		if !done {
			_ = other.Rollback(a.ctx)
		}
	})
	return func() { done = true; a.must(t, "Commit", other.Commit(a.ctx)) }
}

func (a *a8) noMember(t *testing.T, employer privacy.PartyID, sub privacy.SubjectID) {
	t.Helper()
	h, err := a.s.GroupHistory(a.ctx, employer)
	a8mustNil(t, err)
	for _, g := range h.Groups {
		if slices.Contains(g, sub) {
			t.Errorf("rule N12: %s is in %s's group %v (history version %d)", sub, employer, g, h.Version)
		}
	}
}

// Rules N12, R9, O12: employer-1's history is one group {x, p} (version
// 1). The guard answers a figure about {p, q} (x not in it): AddGroup
// keeps p and q (FOR KEY SHARE), finds version 1 and inserts row 2 — and
// before it commits (its audit event waits for its chain), x is erased,
// by DeleteSubject or a sweep's batch. Nothing orders the two: x is not a
// member of the new group, so neither waits on a subject's row.
// forget_in_groups locks employer-1's committed rows (version 1 only; the
// uncommitted row 2 is not seen), computes the span 1..1 and moves
// version 1 to 2 — onto AddGroup's uncommitted row 2: the unique index
// makes it wait for AddGroup, and when AddGroup commits the UPDATE fails
// with a unique violation (23505). The erasure fails whole (ErrExists):
// DeleteSubject of x is refused for an unrelated employer figure, a batch
// loses every item with it. Expected: both succeed (the erasure orders
// itself after the group, or renumbers past it).
func attack9AddGroupVersusForget(t *testing.T, batch bool) {
	a := newA8(t, OpenForTest(t, nil))
	for _, s := range []privacy.SubjectID{"x1", "p1", "q1"} {
		a.subject(t, s, "employer-1")
	}
	a.subject(t, "y2", "employer-2")
	_, err := a.s.AddGroup(a.ctx, "employer-1", 0, []privacy.SubjectID{"p1", "x1"}, a.ev("", privacy.EventCreate))
	a.must(t, "AddGroup v1", err)

	release := holdChain(t, a, "zz-lock")
	added := make(chan error, 1)
	go func() {
		_, err := a.s.AddGroup(a.ctx, "employer-1", 1, []privacy.SubjectID{"p1", "q1"}, a.ev("zz-lock", privacy.EventCreate))
		added <- err
	}()
	waitLocked(t, a.s, 1) // AddGroup inserted row 2 and waits for its chain

	ctx, cancel := context.WithTimeout(a.ctx, 20*time.Second)
	defer cancel()
	erased := make(chan a8result, 1)
	ps := []retention.ObjectProof{a.proof(privacy.DataSubject, "x1", "x1", "", a.closed),
		a.proof(privacy.DataSubject, "y2", "y2", "", a.closed)}
	go func() {
		if batch {
			res, err := a.s.EraseObjects(ctx, ps, a8events(ps))
			erased <- a8result{res, err}
			return
		}
		erased <- a8result{err: a.s.DeleteSubject(ctx, "x1", []privacy.Event{a.ev("x1", privacy.EventDelete)})}
	}()
	waitLocked(t, a.s, 2) // the erasure waits too
	release()
	if err := <-added; err != nil {
		t.Logf("AddGroup {p1 q1}: %v", err)
	}
	r := <-erased
	what := "DeleteSubject(x1)"
	if batch {
		what = "EraseObjects [x1 (employer-1), y2 (employer-2)]"
	}
	if r.err != nil {
		t.Errorf("rule N12: %s beside AddGroup of employer-1 {p1 q1} (x1 not a member) failed whole: %v", what, r.err)
	}
	for i, e := range r.res {
		if e != nil {
			t.Errorf("%s item %d: %v", what, i, e)
		}
	}
	if r.err == nil {
		a.noMember(t, "employer-1", "x1")
	}
}

// Rule N12, without any lock held by the test: one goroutine answers
// group figures of employer-1 about {p1, q1} as the guard does (reading
// the version, retrying on ErrConflict), another deletes employer-1's
// former members x00..x29 one by one, each in an earlier group. Every
// DeleteSubject should succeed; the PK collision of
// AddGroupVersusForget... makes some fail with ErrExists.
func attack9AddGroupVersusDeleteStress(t *testing.T) {
	a := newA8(t, OpenForTest(t, nil))
	const n = 30
	a.subject(t, "p1", "employer-1")
	a.subject(t, "q1", "employer-1")
	var xs []privacy.SubjectID
	for i := range n {
		x := privacy.SubjectID(fmt.Sprintf("x%02d", i))
		xs = append(xs, x)
		a.subject(t, x, "employer-1")
		h, err := a.s.GroupHistory(a.ctx, "employer-1")
		a8mustNil(t, err)
		_, err = a.s.AddGroup(a.ctx, "employer-1", h.Version, []privacy.SubjectID{"p1", x}, a.ev("", privacy.EventCreate))
		a.must(t, "AddGroup", err)
	}
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			select {
			case <-stop:
				return
			default:
			}
			h, err := a.s.GroupHistory(a.ctx, "employer-1")
			if err != nil {
				t.Errorf("GroupHistory: %v", err)
				return
			}
			_, err = a.s.AddGroup(a.ctx, "employer-1", h.Version, []privacy.SubjectID{"p1", "q1"}, a.ev("", privacy.EventCreate))
			if err != nil && !errors.Is(err, privacy.ErrConflict) {
				t.Errorf("AddGroup: %v", err)
				return
			}
		}
	}()
	failed := 0
	var deleted []privacy.SubjectID
	for _, x := range xs {
		if err := a.s.DeleteSubject(a.ctx, x, []privacy.Event{a.ev(x, privacy.EventDelete)}); err != nil {
			failed++
			t.Logf("DeleteSubject(%s): %v", x, err)
			continue
		}
		deleted = append(deleted, x)
	}
	close(stop)
	wg.Wait()
	if failed > 0 {
		t.Errorf("rule N12: %d of %d DeleteSubject beside a stream of unrelated group figures failed whole", failed, n)
	}
	for _, x := range deleted {
		a.noMember(t, "employer-1", x)
	}
}

// Rule N12: four goroutines answer figures about {x20, x_i} (x_i among
// those being erased) as the guard does, while x00..x19 are erased, by
// DeleteSubject or by batches of two. No erased ID may be in the history
// afterwards; every erasure should succeed.
func attack9MembersErasedStress(t *testing.T, batch bool) {
	a := newA8(t, OpenForTest(t, nil))
	const n = 20
	var xs []privacy.SubjectID
	for i := range n + 1 {
		x := privacy.SubjectID(fmt.Sprintf("x%02d", i))
		xs = append(xs, x)
		a.subject(t, x, "employer-1")
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
				h, err := a.s.GroupHistory(a.ctx, "employer-1")
				if err != nil {
					t.Errorf("GroupHistory: %v", err)
					return
				}
				m := []privacy.SubjectID{xs[(i*7+w)%n], xs[n]}
				_, err = a.s.AddGroup(a.ctx, "employer-1", h.Version, m, a.ev("", privacy.EventCreate))
				if err != nil && !errors.Is(err, privacy.ErrConflict) && !(errors.Is(err, privacy.ErrNotFound) && privacy.RuleOf(err) == privacy.N12) {
					t.Errorf("AddGroup: %v", err)
					return
				}
			}
		}()
	}
	failed := 0
	var deleted []privacy.SubjectID
	step := 1
	if batch {
		step = 2
	}
	for i := 0; i < n; i += step {
		time.Sleep(3 * time.Millisecond)
		subs := xs[i : i+step]
		var err error
		if batch {
			var ps []retention.ObjectProof
			for _, x := range subs {
				ps = append(ps, a.proof(privacy.DataSubject, string(x), x, "", a.closed))
			}
			var res []error
			res, err = a.s.EraseObjects(a.ctx, ps, a8events(ps))
			for j, e := range res {
				if e != nil {
					t.Errorf("EraseObjects %s: %v", subs[j], e)
				}
			}
		} else {
			err = a.s.DeleteSubject(a.ctx, subs[0], []privacy.Event{a.ev(subs[0], privacy.EventDelete)})
		}
		if err != nil {
			failed++
			t.Logf("erase %v: %v", subs, err)
			continue
		}
		deleted = append(deleted, subs...)
	}
	close(stop)
	wg.Wait()
	if failed > 0 {
		t.Errorf("rule N12: %d of %d erasures beside group figures about their subjects failed whole", failed, n/step)
	}
	for _, x := range deleted {
		a.noMember(t, "employer-1", x)
	}
}

// TestGroupsVersusErasureN12 runs the kit every store runs (rule N12):
// group figures answered while their members are erased, by DeleteSubject
// and by EraseObject: no erased ID in a history, no erasure failing.
func TestGroupsVersusErasureN12(t *testing.T) {
	objectkit.RunGroupsVersusErasure(t, func(t *testing.T) objectkit.GroupStore { return OpenForTest(t, nil) })
}
