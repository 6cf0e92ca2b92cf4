package pgstore_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/dossierwacht/dossierwacht/examples/internal/adaptertest"
	"github.com/dossierwacht/dossierwacht/examples/pgstore"
	"github.com/dossierwacht/dossierwacht/privacy"
	"github.com/dossierwacht/dossierwacht/retention"
)

// TestAttack6 attacks EraseObjects (retention.ObjectBatchStore): invalid
// items among valid ones, a subject before its case, group histories
// (N12), holds placed while a batch runs (G3), a fault mid-batch; and,
// on PostgreSQL only, the order in which a batch takes its locks.
func TestAttack6(t *testing.T) {
	t.Run("Kit", func(t *testing.T) {
		s := pgstore.OpenForTest(t, nil)
		adaptertest.RunAttack6(t, s, s.FailAfter)
	})
	t.Run("LockOrderN12", attack6LockOrder)
	t.Run("ConcurrentSweepsN12", attack6ConcurrentSweeps)
}

// attack6ConcurrentSweeps: two sweeps in batches of 4096, and a
// DeleteSubject of each subject beside them, over subjects all in one
// employer's group history (rule N12): none fails, and every subject goes.
func attack6ConcurrentSweeps(t *testing.T) {
	ctx := context.Background()
	s := pgstore.OpenForTest(t, nil)
	t0 := time.Date(2025, 1, 10, 9, 0, 0, 0, time.UTC)
	ended := time.Date(2025, 3, 1, 9, 0, 0, 0, time.UTC)
	officer := privacy.Principal{ID: "officer-1", Role: privacy.RolePrivacyOfficer}
	ev := func(sub privacy.SubjectID, a privacy.EventAction) privacy.Event {
		return privacy.Event{Time: t0, Principal: officer.ID, Role: officer.Role, Action: a, Outcome: privacy.OutcomeAllowed,
			Rule: privacy.O12, Subject: sub, Object: string(sub)}
	}
	var subs []privacy.SubjectID
	for i := range 120 {
		id := privacy.SubjectID(fmt.Sprintf("s-%03d", i))
		sub, _ := privacy.NewSubject(id, "employer-1", t0)
		sub.EmploymentEnded = ended
		if err := s.CreateSubject(ctx, sub, []privacy.Event{ev(id, privacy.EventCreate)}); err != nil {
			t.Fatal(err)
		}
		subs = append(subs, id)
	}
	if _, err := s.AddGroup(ctx, "employer-1", 0, subs, ev("", privacy.EventCreate)); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	errs := make(chan error, 3)
	for range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			k, err := retention.New(s, privacy.Strict(), &retention.Options{BatchSize: 4096})
			if err == nil {
				// Before the audit trail's 5 years (rule N9), so that
				// neither sweep prunes: this test is about the objects'
				// batches; the subjects are due after 2 years.
				_, err = k.Sweep(ctx, officer, ended.AddDate(3, 0, 0))
			}
			errs <- err
		}()
	}
	wg.Add(1)
	go func() {
		defer wg.Done()
		// From the last: against the sweeps' order.
		for i := len(subs) - 1; i >= 0; i-- {
			err := s.DeleteSubject(ctx, subs[i], []privacy.Event{ev(subs[i], privacy.EventDelete)})
			if err != nil && !errors.Is(err, privacy.ErrNotFound) {
				errs <- fmt.Errorf("DeleteSubject %s: %w", subs[i], err)
				return
			}
		}
		errs <- nil
	}()
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Errorf("rule N12: %v", err)
		}
	}
	for _, id := range subs {
		if _, err := s.Subject(ctx, id); !errors.Is(err, privacy.ErrNotFound) {
			t.Errorf("%s after the sweeps: %v", id, err)
		}
	}
}

// attack6LockOrder: a batch that erases subject s-a takes the group rows
// of its employer (forget_in_groups, rule N12) and then wants the row of
// subject s-b; a writer that, as DeleteSubject does, holds s-b's row and
// then wants the same group rows closes a cycle. One transaction of the
// two is killed as a deadlock. One transaction per object could not: it
// never held a group row while it waited for a subject. The batch must
// not be the one to fail.
func attack6LockOrder(t *testing.T) {
	ctx := context.Background()
	pool := pgstore.PoolForTest(t, pgx.QueryExecModeCacheDescribe)
	s := pgstore.NewForTest(t, pool, nil)
	schema := pgx.Identifier{pgstore.SchemaOf(s)}.Sanitize()
	t0 := time.Date(2025, 1, 10, 9, 0, 0, 0, time.UTC)
	ended := time.Date(2025, 3, 1, 9, 0, 0, 0, time.UTC)
	ev := func(sub privacy.SubjectID, a privacy.EventAction) privacy.Event {
		return privacy.Event{Time: t0, Principal: "officer-1", Role: privacy.RolePrivacyOfficer, Action: a, Outcome: privacy.OutcomeAllowed,
			Rule: privacy.O12, Subject: sub, Object: string(sub)}
	}
	subs := []privacy.SubjectID{"s-a", "s-b", "s-c"}
	for _, id := range subs {
		sub, _ := privacy.NewSubject(id, "employer-1", t0)
		if err := s.CreateSubject(ctx, sub, []privacy.Event{ev(id, privacy.EventCreate)}); err != nil {
			t.Fatal(err)
		}
		sub.EmploymentEnded = ended
		if err := s.UpdateSubject(ctx, sub, []privacy.Event{ev(id, privacy.EventUpdate)}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.AddGroup(ctx, "employer-1", 0, subs, ev("", privacy.EventCreate)); err != nil {
		t.Fatal(err)
	}

	// The other writer holds s-b's row.
	other, err := pool.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = other.Rollback(ctx) }()
	if _, err := other.Exec(ctx, `SELECT 1 FROM `+schema+`.subjects WHERE id = 's-b' FOR UPDATE`); err != nil {
		t.Fatal(err)
	}

	var ps []retention.ObjectProof
	var es []privacy.Event
	for _, id := range subs[:2] {
		ps = append(ps, retention.ObjectProof{Kind: privacy.DataSubject, ID: string(id), Subject: id, Ended: ended, Deleted: ended.AddDate(3, 0, 0),
			Rule: privacy.O12, Reason: retention.ReasonMaximum, Citation: "regulation O", Policy: "strict@1.0.0", By: "officer-1"})
		es = append(es, ev(id, privacy.EventDelete))
	}
	type result struct {
		res []error
		err error
	}
	done := make(chan result, 1)
	go func() {
		res, err := s.EraseObjects(ctx, ps, es)
		done <- result{res, err}
	}()
	// Wait until the batch waits for s-b's row.
	deadline := time.Now().Add(10 * time.Second)
	for {
		var n int
		if err := pool.QueryRow(ctx, `SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'
			AND datname = current_database() AND position($1 in query) > 0`, pgstore.SchemaOf(s)).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n > 0 {
			break
		}
		select {
		case r := <-done:
			t.Fatalf("the batch did not wait for s-b: %v, %v", r.res, r.err)
		default:
		}
		if time.Now().After(deadline) {
			t.Fatal("the batch never waited")
		}
		time.Sleep(10 * time.Millisecond)
	}
	// Now the other writer wants the group rows, as DeleteSubject's
	// forget_in_groups does.
	octx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	_, oerr := other.Exec(octx, `SELECT 1 FROM `+schema+`.access_groups WHERE employer = 'employer-1' FOR UPDATE`)
	if oerr == nil {
		oerr = other.Commit(ctx)
	} else {
		_ = other.Rollback(ctx)
	}
	r := <-done
	if r.err != nil {
		t.Fatalf("rule N12: the batch failed on the lock order (the other writer: %v): %v", oerr, r.err)
	}
	for i, e := range r.res {
		if e != nil {
			t.Errorf("item %d: %v", i, e)
		}
	}
	if errors.Is(oerr, context.DeadlineExceeded) {
		t.Errorf("the other writer waited out its timeout")
	}
}
