package pgstore

import (
	"context"
	"fmt"
	"math/rand/v2"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/dossierwacht/dossierwacht/privacy"
)

// TestAppendQueueG7 checks the group commit of audit appends (rule G7,
// issue 14 §2) under concurrency: every call is flushed exactly once and
// learns its own outcome, no more statements are on their way at once
// than one, no statement carries more than maxBatchEvents events
// unless one call alone has more, and nothing waits forever (a call is
// told its outcome once, never twice: a second send would block its
// sender while it holds the queue's lock).
func TestAppendQueueG7(t *testing.T) {
	for round := range 20 {
		t.Run(fmt.Sprint(round), func(t *testing.T) {
			var q appendQueue
			var inFlight, most, flushes atomic.Int64
			seen := sync.Map{}
			flush := func(batch []*appendCall) {
				n := inFlight.Add(1)
				defer inFlight.Add(-1)
				for m := most.Load(); n > m && !most.CompareAndSwap(m, n); m = most.Load() {
				}
				flushes.Add(1)
				events := 0
				for _, c := range batch {
					events += len(c.events)
				}
				if events > maxBatchEvents && len(batch) > 1 {
					t.Errorf("a statement of %d calls carries %d events, more than %d", len(batch), events, maxBatchEvents)
				}
				time.Sleep(time.Duration(rand.IntN(200)) * time.Microsecond)
				for _, c := range batch {
					if _, dup := seen.LoadOrStore(c, true); dup {
						t.Error("a call flushed twice")
					}
					c.out = c.events
					if c.events[0].Object == "refused" {
						c.err = privacy.ErrConflict
					}
				}
			}
			const calls = 400
			var wg sync.WaitGroup
			done := make(chan struct{})
			for i := range calls {
				wg.Go(func() {
					n := 1 + rand.IntN(8)
					if i%97 == 0 {
						n = maxBatchEvents + 1 // alone more than a statement's share
					}
					events := make([]privacy.Event, n)
					if i%5 == 0 {
						events[0].Object = "refused"
					}
					c := &appendCall{ctx: context.Background(), events: events}
					q.do(c, flush)
					if len(c.out) != n {
						t.Errorf("call %d: %d events back, want %d", i, len(c.out), n)
					}
					if (i%5 == 0) != (c.err != nil) {
						t.Errorf("call %d: error %v, the outcome of another call", i, c.err)
					}
				})
			}
			go func() { wg.Wait(); close(done) }()
			select {
			case <-done:
			case <-time.After(30 * time.Second):
				t.Fatal("the queue is stuck: calls never told their outcome")
			}
			if most.Load() > 1 {
				t.Errorf("%d statements on their way at once, more than one", most.Load())
			}
			if running, pending := q.settled(t); running || pending != 0 {
				t.Errorf("queue left with the appender running (%v) and %d calls", running, pending)
			}
			t.Logf("%d calls in %d statements", calls, flushes.Load())
		})
	}
}

// waitPending waits until n calls wait in q.
func (q *appendQueue) waitPending(n int) {
	for {
		q.mu.Lock()
		waiting := len(q.pending)
		q.mu.Unlock()
		if waiting == n {
			return
		}
		time.Sleep(time.Millisecond)
	}
}

// settled waits until q's appender ends, for up to ten seconds, and
// returns whether it still runs and how many calls wait.
func (q *appendQueue) settled(t *testing.T) (running bool, pending int) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(time.Millisecond) {
		q.mu.Lock()
		running, pending = q.running, len(q.pending)
		q.mu.Unlock()
		if !running || time.Now().After(deadline) {
			return running, pending
		}
	}
}

// TestAppendQueueStatementEndsAbruptlyG7 checks that the calls of a
// statement that panics or calls runtime.Goexit share its fate, each
// raising it in its own goroutine, and that the calls waiting behind it
// are still appended (rule G7: no call waits forever, none is appended
// without being told), while the program goes on: the appender's own
// goroutine does not crash it.
func TestAppendQueueStatementEndsAbruptlyG7(t *testing.T) {
	for _, how := range []string{"panic", "goexit"} {
		t.Run(how, func(t *testing.T) {
			var q appendQueue
			inside, release := make(chan struct{}), make(chan struct{})
			flush := func(batch []*appendCall) {
				if batch[0].events[0].Object == "first" {
					close(inside)
					<-release // the others queue up behind it
				}
				for _, c := range batch {
					if c.events[0].Object == "bad" {
						if how == "panic" {
							panic("the statement broke")
						}
						runtime.Goexit()
					}
				}
				for _, c := range batch {
					c.out = c.events
				}
			}
			call := func(object string) *appendCall {
				return &appendCall{ctx: context.Background(), events: []privacy.Event{{Object: object}}}
			}
			type outcome struct {
				panicked any
				exited   bool
				appended bool
			}
			run := func(c *appendCall) <-chan outcome {
				ch := make(chan outcome, 1)
				go func() {
					var o outcome
					exited := true
					defer func() {
						o.panicked = recover()
						o.exited = exited && o.panicked == nil
						ch <- o
					}()
					q.do(c, flush)
					o.appended = len(c.out) == 1 && c.err == nil
					exited = false
				}()
				return ch
			}
			first := run(call("first"))
			<-inside // the first statement is on its way
			bad, good := call("bad"), call("good")
			badDone, goodDone := run(bad), run(good)
			q.waitPending(2)
			close(release)
			if o := <-first; !o.appended {
				t.Fatalf("the first call: %+v, want appended", o)
			}
			// bad and good share the second statement, which ends
			// abruptly: both raise it.
			for name, ch := range map[string]<-chan outcome{"bad": badDone, "good": goodDone} {
				o := <-ch
				switch {
				case how == "panic" && o.panicked != "the statement broke":
					t.Errorf("%s call: %+v, want the statement's panic raised", name, o)
				case how == "goexit" && !o.exited:
					t.Errorf("%s call: %+v, want runtime.Goexit raised", name, o)
				}
			}
			// A call after them is appended: the queue goes on.
			if o := <-run(call("after")); !o.appended {
				t.Errorf("a call after the abrupt statement: %+v, want appended", o)
			}
			if running, pending := q.settled(t); running || pending != 0 {
				t.Errorf("queue left with the appender running (%v) and %d calls", running, pending)
			}
		})
	}
}

// TestAppendQueueWaitingCallsOutliveAbruptStatementG7 checks that calls
// that wait while a statement panics are appended by a new appender, not
// left waiting (rule G7).
func TestAppendQueueWaitingCallsOutliveAbruptStatementG7(t *testing.T) {
	var q appendQueue
	inside, release := make(chan struct{}), make(chan struct{})
	flush := func(batch []*appendCall) {
		if batch[0].events[0].Object == "bad" {
			close(inside)
			<-release
			panic("the statement broke")
		}
		for _, c := range batch {
			c.out = c.events
		}
	}
	badDone := make(chan any, 1)
	go func() {
		defer func() { badDone <- recover() }()
		q.do(&appendCall{ctx: context.Background(), events: []privacy.Event{{Object: "bad"}}}, flush)
	}()
	<-inside
	waiting := &appendCall{ctx: context.Background(), events: []privacy.Event{{Object: "good"}}}
	waited := make(chan struct{})
	go func() { q.do(waiting, flush); close(waited) }()
	q.waitPending(1)
	close(release)
	if v := <-badDone; v != "the statement broke" {
		t.Errorf("the panicking call raised %v", v)
	}
	select {
	case <-waited:
	case <-time.After(10 * time.Second):
		t.Fatal("a call that waited behind a panicking statement waits forever")
	}
	if len(waiting.out) != 1 || waiting.err != nil {
		t.Errorf("the waiting call: out %v, err %v; want appended", waiting.out, waiting.err)
	}
}

// AppendArgsForTest are append_chained's arguments for events.
func AppendArgsForTest(events ...privacy.Event) []any { return appendArgs(events) }

// ChainMovedForTest tells whether err is append_chained's refusal of a
// moved head.
func ChainMovedForTest(err error) bool { return chainMoved(err) }

// FailForTest is err as the store returns it.
func FailForTest(err error) error { return fail("pgstore: test", err, nil) }
