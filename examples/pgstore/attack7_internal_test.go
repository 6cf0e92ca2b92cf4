package pgstore

import (
	"context"
	"errors"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/dossierwacht/dossierwacht/access"
	"github.com/dossierwacht/dossierwacht/privacy"
)

// TestAttack7 attacks the group commit's appender (appendQueue.run,
// commit 96ddeab): the goroutine of the queue's own that sends the
// statements, and raises a statement's panic or runtime.Goexit in each
// call it carried.
func TestAttack7(t *testing.T) {
	t.Run("OneCallsPanicCostsNoOtherCallG7", func(t *testing.T) { attack7OneCallsEnd(t, "panic") })
	t.Run("OneCallsGoexitKeepsToldOutcomesG7", func(t *testing.T) { attack7OneCallsEnd(t, "goexit") })
	t.Run("PanicNilRaisedAsPanicG7", attack7PanicNil)
	t.Run("UnsettledErrorNamesNoSubjectO10", attack7UnsettledNamesNoSubject)
}

// attack7UnsettledNamesNoSubject: an append whose answer was lost and
// whose events are not to be found in a chain that moved on past them
// fails unsettled, and its error, which every call of a shared statement
// receives, names no subject: it may be another caller's (rule O10).
func attack7UnsettledNamesNoSubject(t *testing.T) {
	s, _, key := attack7Store(t)
	ctx := context.Background()
	const subject = "subject-of-another-caller"
	stored, err := s.AppendEvents(ctx, attack7Event(subject, "a"), attack7Event(subject, "b"), attack7Event(subject, "c"))
	if err != nil {
		t.Fatal(err)
	}
	// Events 2 and 5 of the chain as a lost statement would have sent
	// them: the head (3) is past the first, and the last is not there.
	lost := []privacy.Event{attack7Event(subject, "x").ChainKeyed(key, 2, stored[0].Hash),
		attack7Event(subject, "y").ChainKeyed(key, 5, stored[2].Hash)}
	// A backend PID no backend has: the statement's backend is gone.
	err = s.settle(ctx, 1, lost, context.Canceled)
	if !errors.Is(err, errUnsettled) {
		t.Fatalf("settle: %v, want the outcome unknown", err)
	}
	if strings.Contains(err.Error(), subject) {
		t.Errorf("the unsettled append's error names a subject: %v", err)
	}
	if err := FailForTest(err); strings.Contains(err.Error(), subject) {
		t.Errorf("the store's error names a subject: %v", err)
	}
}

// attack7Mark marks a call's context for attack7Tracer.
type attack7Mark struct{}

// attack7Tracer is a pool's tracer (a user's, given to [New] with the
// pool) that holds the acquires made in a context marked "hold" until
// release is closed, and panics in those marked "panic".
type attack7Tracer struct {
	held, release chan struct{}
	once          sync.Once
}

func (tr *attack7Tracer) TraceQueryStart(ctx context.Context, _ *pgx.Conn, _ pgx.TraceQueryStartData) context.Context {
	return ctx
}

func (tr *attack7Tracer) TraceQueryEnd(context.Context, *pgx.Conn, pgx.TraceQueryEndData) {}

func (tr *attack7Tracer) TraceAcquireStart(ctx context.Context, _ *pgxpool.Pool, _ pgxpool.TraceAcquireStartData) context.Context {
	switch ctx.Value(attack7Mark{}) {
	case "hold":
		tr.once.Do(func() { close(tr.held) })
		<-tr.release
	case "panic":
		panic("attack7: the tracer broke on this call's acquire")
	case "goexit":
		runtime.Goexit() // t.FailNow in a test's tracer
	}
	return ctx
}

func (tr *attack7Tracer) TraceAcquireEnd(context.Context, *pgxpool.Pool, pgxpool.TraceAcquireEndData) {
}

// attack7Store is a store in a fresh schema on a pool of its own, traced
// by the tracer returned, and the store's audit key.
func attack7Store(t *testing.T) (*Store, *attack7Tracer, []byte) {
	t.Helper()
	cfg, err := pgxpool.ParseConfig(DSNForTest(t))
	if err != nil {
		t.Fatal(err)
	}
	tr := &attack7Tracer{held: make(chan struct{}), release: make(chan struct{})}
	cfg.ConnConfig.Tracer = tr
	pool, err := pgxpool.NewWithConfig(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(pool.Close)
	key := []byte("attack7 key")
	return NewForTest(t, pool, &Options{AuditKey: key}), tr, key
}

// attack7Event is a read of object in subject's chain.
func attack7Event(subject, object string) privacy.Event {
	return privacy.Event{Time: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC), Principal: "cm-1", Role: privacy.RoleCaseManager,
		Subject: privacy.SubjectID(subject), Object: object, Action: privacy.EventRead, Outcome: privacy.OutcomeAllowed,
		Rule: privacy.R7, Policy: "1"}
}

// attack7Outcome is what one AppendEvents call came to.
type attack7Outcome struct {
	err      error
	panicked any
	ended    bool // returned or panicked; false: runtime.Goexit
}

// attack7Call calls s.AppendEvents in a goroutine of its own and sends
// its outcome.
func attack7Call(s *Store, ctx context.Context, events ...privacy.Event) <-chan attack7Outcome {
	ch := make(chan attack7Outcome, 1)
	go func() {
		var o attack7Outcome
		defer func() { ch <- o }()
		func() {
			defer func() { o.panicked = recover() }()
			_, o.err = s.AppendEvents(ctx, events...)
		}()
		o.ended = true
	}()
	return ch
}

// waitPending waits until n calls wait in s's queue.
func (s *Store) waitPending(t *testing.T, n int) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(time.Millisecond) {
		s.appends.mu.Lock()
		got := len(s.appends.pending)
		s.appends.mu.Unlock()
		if got == n {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d calls wait in the queue, want %d", got, n)
		}
	}
}

// Rule G7 (each call all or none, and told the truth: an error only for
// events not stored, success for events stored): a shared statement that
// fails is tried again call by call, each on its own. When one call's own
// try panics (here a user's pool tracer, on that call's context), the
// panic is that call's: the calls tried before it were appended and must
// be told so, and the calls after it must still be tried. The appender
// raised the panic in every call of the statement instead: a call whose
// events are stored was told it panicked, and a call never tried lost its
// append to another call's panic. A runtime.Goexit (how "goexit"), which
// cannot be stopped, may end the calls not tried yet, but a call appended
// before it must still be told so.
func attack7OneCallsEnd(t *testing.T, how string) {
	ctx := context.Background()
	s, tr, key := attack7Store(t)
	// The head of s-hold remembered: the held call's statement passes
	// the injected failure's counter before it acquires its connection.
	if _, err := s.AppendEvents(ctx, attack7Event("s-hold", "warm")); err != nil {
		t.Fatal(err)
	}
	held := attack7Call(s, context.WithValue(ctx, attack7Mark{}, "hold"), attack7Event("s-hold", "held"))
	select {
	case <-tr.held:
	case <-time.After(10 * time.Second):
		t.Fatal("the held statement never started")
	}
	// Three calls wait behind it, to share the next statement: b, c
	// (whose own acquire panics) and d.
	b := attack7Call(s, ctx, attack7Event("s-b", "b"))
	s.waitPending(t, 1)
	c := attack7Call(s, context.WithValue(ctx, attack7Mark{}, how), attack7Event("s-c", "c"))
	s.waitPending(t, 2)
	d := attack7Call(s, ctx, attack7Event("s-d", "d"))
	s.waitPending(t, 3)
	s.FailAfter(0) // the shared statement fails: each call is tried on its own
	close(tr.release)

	outcomes := map[string]attack7Outcome{"held": <-held, "b": <-b, "c": <-c, "d": <-d}
	if running, pending := s.appends.settled(t); running || pending != 0 {
		t.Errorf("queue left with the appender running (%v) and %d calls", running, pending)
	}
	if _, err := access.VerifyChains(s.ChainEvents(ctx), access.VerifyOptions{Key: key}); err != nil {
		t.Fatalf("the chains do not verify: %v", err)
	}
	stored := map[string]int{}
	for e, err := range s.ChainEvents(ctx) {
		if err != nil {
			t.Fatal(err)
		}
		stored[e.Object]++
	}
	for name, o := range outcomes {
		appended := o.ended && o.panicked == nil && o.err == nil
		switch {
		case appended && stored[name] != 1:
			t.Errorf("call %s succeeded, its event stored %d times", name, stored[name])
		case !appended && stored[name] != 0:
			t.Errorf("call %s told it failed (err %v, panic %v, Goexit %v), yet its event is stored", name, o.err, o.panicked, !o.ended)
		}
	}
	if o := outcomes["c"]; how == "panic" && o.panicked == nil || how == "goexit" && o.ended {
		t.Errorf("the call whose own try ended abruptly (%s): %+v, want that raised", how, o)
	}
	names := []string{"held", "b", "d"}
	if how == "goexit" {
		names = names[:2] // d, not tried yet, may share c's Goexit
	}
	for _, name := range names {
		if o := outcomes[name]; o.panicked != nil || o.err != nil || !o.ended {
			t.Errorf("call %s: err %v, panic %v, Goexit %v; want appended (another call's try ended abruptly)", name, o.err, o.panicked, !o.ended)
		}
	}
}

// Rule G7 (a statement's panic raised in its calls, never turned into
// something else): the appender told a panic from a runtime.Goexit by
// the value recovered, nil for a Goexit. Under GODEBUG=panicnil=1 (a
// program's //go:debug setting), panic(nil) recovers as nil too: the
// calls of a statement that panicked called runtime.Goexit instead,
// ending their goroutines silently (an HTTP handler's connection dropped
// without the panic its server would log and answer).
func attack7PanicNil(t *testing.T) {
	t.Setenv("GODEBUG", "panicnil=1")
	var q appendQueue
	flush := func(batch []*appendCall) { panic(nil) }
	type outcome struct{ returned, ended bool }
	ch := make(chan outcome, 1)
	go func() {
		var o outcome
		defer func() { ch <- o }()
		func() {
			defer func() { recover() }()
			q.do(&appendCall{ctx: context.Background(), events: []privacy.Event{{Object: "x"}}}, flush)
			o.returned = true
		}()
		o.ended = true // returned, or panicked and recovered: not Goexit
	}()
	select {
	case o := <-ch:
		if o.returned || !o.ended {
			t.Errorf("a statement that panicked with nil: the call returned %v, ended by runtime.Goexit %v; want the panic raised", o.returned, !o.ended)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the call never ended")
	}
	if running, pending := q.settled(t); running || pending != 0 {
		t.Errorf("queue left with the appender running (%v) and %d calls", running, pending)
	}
}
