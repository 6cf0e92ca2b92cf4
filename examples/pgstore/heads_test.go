package pgstore_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/dossierwacht/dossierwacht/access"
	"github.com/dossierwacht/dossierwacht/examples/pgstore"
	"github.com/dossierwacht/dossierwacht/privacy"
	"github.com/jackc/pgx/v5"
)

// TestRememberedHeadsG7 checks the one-round-trip append (issue 14 §2):
// a store remembers the heads it appended, and a head that moved on —
// another process appended to the chain, or a write's own transaction did
// — never forks or breaks a chain (rule G7): the append is chained again
// under the chain's lock and succeeds, and every chain verifies under the
// key with its events numbered without a gap.
func TestRememberedHeadsG7(t *testing.T) {
	ctx := context.Background()
	pool := pgstore.PoolForTest(t, pgx.QueryExecModeCacheStatement)
	key := []byte("the test's audit key")
	one := pgstore.NewForTest(t, pool, &pgstore.Options{AuditKey: key})
	// A second process on the same schema: its own memory of heads.
	two, err := pgstore.New(ctx, pool, &pgstore.Options{Schema: pgstore.SchemaOf(one), NoMigrate: true, AuditKey: key})
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	ev := func(subject string, n int) privacy.Event {
		return privacy.Event{Time: now.Add(time.Duration(n) * time.Millisecond), Principal: "cm-1", Role: privacy.RoleCaseManager,
			Subject: privacy.SubjectID(subject), Action: privacy.EventRead, Outcome: privacy.OutcomeAllowed, Rule: privacy.R7, Policy: "1"}
	}
	want := map[privacy.SubjectID]uint64{}
	appendTo := func(s *pgstore.Store, events ...privacy.Event) {
		t.Helper()
		out, err := s.AppendEvents(ctx, events...)
		if err != nil {
			t.Fatalf("append: %v", err)
		}
		for _, e := range out {
			want[e.Subject]++
			if e.Seq != want[e.Subject] {
				t.Fatalf("chain %q: event numbered %d, want %d", e.Subject, e.Seq, want[e.Subject])
			}
		}
	}
	appendTo(one, ev("s-1", 1)) // read under the lock, remembered
	appendTo(one, ev("s-1", 2)) // from memory
	appendTo(two, ev("s-1", 3)) // the other process moves the chain on
	appendTo(one, ev("s-1", 4)) // one's head of s-1 is stale: chained again
	appendTo(two, ev("s-1", 5))
	appendTo(one, ev("s-1", 4), ev("", 5))    // one's head of s-1 is stale: chained again
	appendTo(one, ev("s-1", 6), ev("s-2", 7)) // one chain known, one not
	// A write's transaction appends to s-3 behind the remembered head.
	appendTo(one, ev("s-3", 8))
	d, err := privacy.NewDossiers(one, privacy.Strict())
	if err != nil {
		t.Fatal(err)
	}
	sub, _ := privacy.NewSubject("s-3", "employer-1", now)
	act := privacy.Act{By: privacy.Principal{ID: "cm-1", Role: privacy.RoleCaseManager, Secrecy: privacy.SecrecyAgreement}, At: now}
	if err := d.CreateSubject(ctx, act, sub); err != nil {
		t.Fatal(err)
	}
	want["s-3"]++ // the creation's event
	appendTo(one, ev("s-3", 9))

	// Both processes, many clients each, on the same few chains.
	var wg sync.WaitGroup
	var mu sync.Mutex
	errs := 0
	for i := range 16 {
		s := one
		if i%2 == 1 {
			s = two
		}
		wg.Go(func() {
			for j := range 20 {
				mu.Lock()
				want[privacy.SubjectID(fmt.Sprintf("s-%d", j%3+1))]++
				mu.Unlock()
				if _, err := s.AppendEvents(ctx, ev(fmt.Sprintf("s-%d", j%3+1), 100+j)); err != nil {
					mu.Lock()
					errs++
					mu.Unlock()
					t.Errorf("concurrent append: %v", err)
					return
				}
			}
		})
	}
	wg.Wait()
	if errs > 0 {
		return
	}
	heads, err := access.VerifyChains(one.ChainEvents(ctx), access.VerifyOptions{Key: key})
	if err != nil {
		t.Fatalf("the chains do not verify: %v", err)
	}
	for chain, n := range want {
		if heads[chain].Seq != n {
			t.Errorf("chain %q ends at %d, want %d", chain, heads[chain].Seq, n)
		}
	}
}

// TestAppendChainedRefusesAMovedHeadG7 checks what the one-round-trip
// append counts on (migration 0061): append_chained refuses an event that
// does not follow its chain's head with its own SQLSTATE, which the store
// reads as a chain that moved on (privacy.ErrConflict, rule G7), and
// appends nothing of the batch.
func TestAppendChainedRefusesAMovedHeadG7(t *testing.T) {
	ctx := context.Background()
	pool := pgstore.PoolForTest(t, pgx.QueryExecModeCacheStatement)
	s := pgstore.NewForTest(t, pool, nil)
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	e := privacy.Event{Time: now, Principal: "cm-1", Role: privacy.RoleCaseManager, Subject: "s-1",
		Action: privacy.EventRead, Outcome: privacy.OutcomeAllowed, Rule: privacy.R7, Policy: "1"}
	if _, err := s.AppendEvents(ctx, e); err != nil {
		t.Fatal(err)
	}
	stale := e.Chain(1, privacy.Hash{}) // number 1 again, after the zero hash
	_, err := pool.Exec(ctx, `SELECT `+pgx.Identifier{pgstore.SchemaOf(s)}.Sanitize()+`.append_chained($1::bigint[], $2::timestamptz[],
		$3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[], $11::text[], $12::text[],
		$13::text[], $14::text[], $15::text[], $16::text[], $17::bytea[], $18::bytea[])`, pgstore.AppendArgsForTest(stale)...)
	if err == nil || !pgstore.ChainMovedForTest(err) {
		t.Fatalf("append after a moved head: %v, want SQLSTATE DWG7S", err)
	}
	if !errors.Is(pgstore.FailForTest(err), privacy.ErrConflict) {
		t.Errorf("the store reads it as %v, want ErrConflict", pgstore.FailForTest(err))
	}
	n := 0
	for _, err := range s.ChainEvents(ctx) {
		if err != nil {
			t.Fatal(err)
		}
		n++
	}
	if n != 1 {
		t.Errorf("%d events in the trail, want 1: the refused one appended", n)
	}
}

// TestAppendChainedLargeBatchG7 checks append_chained's set-wise path for
// batches of more than 64 events (a sweep's, migration 0064) as the small
// path is checked: a batch that follows its chains' heads is appended
// whole; one whose chain moved on is refused with DWG7S, one with a
// broken link inside with DWG07 (rule G7), and a refused batch appends
// nothing.
func TestAppendChainedLargeBatchG7(t *testing.T) {
	ctx := context.Background()
	pool := pgstore.PoolForTest(t, pgx.QueryExecModeCacheDescribe)
	key := []byte("the test's audit key")
	s := pgstore.NewForTest(t, pool, &pgstore.Options{AuditKey: key})
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	call := `SELECT ` + pgx.Identifier{pgstore.SchemaOf(s)}.Sanitize() + `.append_chained($1::bigint[], $2::timestamptz[],
		$3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[], $11::text[], $12::text[],
		$13::text[], $14::text[], $15::text[], $16::text[], $17::bytea[], $18::bytea[])`
	// A batch of 300 events over 30 chains, interleaved, chained after
	// heads (from an append before it).
	first, err := s.AppendEvents(ctx, privacy.Event{Time: now, Principal: "p", Subject: "s-0", Action: privacy.EventRead})
	if err != nil {
		t.Fatal(err)
	}
	batch := func() []privacy.Event {
		heads := map[privacy.SubjectID]privacy.Event{"s-0": first[0]}
		var out []privacy.Event
		for i := range 300 {
			sub := privacy.SubjectID(fmt.Sprintf("s-%d", i%30))
			h := heads[sub]
			e := privacy.Event{Time: now.Add(time.Duration(i) * time.Millisecond), Principal: "p", Subject: sub,
				Action: privacy.EventRead}.ChainKeyed(key, h.Seq+1, h.Hash)
			heads[sub] = e
			out = append(out, e)
		}
		return out
	}
	count := func() int {
		n := 0
		for _, err := range s.ChainEvents(ctx) {
			if err != nil {
				t.Fatal(err)
			}
			n++
		}
		return n
	}
	moved := batch()
	moved[0] = moved[0].ChainKeyed(key, 1, privacy.Hash{}) // s-0 again from its start
	_, err = pool.Exec(ctx, call, pgstore.AppendArgsForTest(moved...)...)
	if !pgstore.ChainMovedForTest(err) {
		t.Errorf("a batch whose chain moved on: %v, want SQLSTATE DWG7S", err)
	}
	broken := batch()
	broken[150].Prev = privacy.Hash{1} // a link inside the batch
	_, err = pool.Exec(ctx, call, pgstore.AppendArgsForTest(broken...)...)
	if err == nil || pgstore.ChainMovedForTest(err) || !errors.Is(pgstore.FailForTest(err), privacy.ErrForbidden) {
		t.Errorf("a batch with a broken link: %v, want SQLSTATE DWG07 (ErrForbidden)", err)
	}
	// More refusals of the set-wise check (migration 0065 looks up a head
	// only for a chain's first event of the batch): a new chain's first
	// event numbered 2 follows no head; a hash cut short, a number
	// repeated or skipped inside a chain breaks it.
	for _, c := range []struct {
		name  string
		moved bool
		edit  func(args []any)
	}{
		{"new chain starting at 2", true, func(args []any) {
			evs := batch()
			evs[299] = privacy.Event{Time: now, Principal: "p", Subject: "s-new", Action: privacy.EventRead}.
				ChainKeyed(key, 2, privacy.Hash{})
			copy(args, pgstore.AppendArgsForTest(evs...))
		}},
		{"last hash of a chain cut short", false, func(args []any) { args[17].([][]byte)[299] = args[17].([][]byte)[299][:31] }},
		{"number repeated", false, func(args []any) { args[0].([]int64)[100] = args[0].([]int64)[70] }},
		{"number skipped", false, func(args []any) { args[0].([]int64)[299]++ }},
	} {
		args := pgstore.AppendArgsForTest(batch()...)
		c.edit(args)
		_, err := pool.Exec(ctx, call, args...)
		if c.moved && !pgstore.ChainMovedForTest(err) {
			t.Errorf("%s: %v, want SQLSTATE DWG7S", c.name, err)
		}
		if !c.moved && (err == nil || pgstore.ChainMovedForTest(err) || !errors.Is(pgstore.FailForTest(err), privacy.ErrForbidden)) {
			t.Errorf("%s: %v, want SQLSTATE DWG07 (ErrForbidden)", c.name, err)
		}
	}
	if n := count(); n != 1 {
		t.Fatalf("%d events after refused batches, want 1", n)
	}
	if _, err := pool.Exec(ctx, call, pgstore.AppendArgsForTest(batch()...)...); err != nil {
		t.Fatalf("a batch that follows its heads: %v", err)
	}
	if n := count(); n != 301 {
		t.Errorf("%d events, want 301", n)
	}
	if _, err := access.VerifyChains(s.ChainEvents(ctx), access.VerifyOptions{Key: key}); err != nil {
		t.Errorf("the chains do not verify: %v", err)
	}
}
