package pgstore

import (
	"context"
	"fmt"
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/dossierwacht/dossierwacht/privacy"
)

// TestAppendQueueG7 checks the group commit of audit appends (rule G7,
// issue 14 §2) under concurrency: every call is flushed exactly once and
// learns its own outcome, no more statements are on their way at once
// than maxLeaders, no statement carries more than maxBatchEvents events
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
			if most.Load() > maxLeaders {
				t.Errorf("%d statements on their way at once, more than %d", most.Load(), maxLeaders)
			}
			if q.leaders != 0 || len(q.pending) != 0 {
				t.Errorf("queue left with %d leaders and %d calls", q.leaders, len(q.pending))
			}
			t.Logf("%d calls in %d statements", calls, flushes.Load())
		})
	}
}

// AppendArgsForTest are append_chained's arguments for events.
func AppendArgsForTest(events ...privacy.Event) []any { return appendArgs(events) }

// ChainMovedForTest tells whether err is append_chained's refusal of a
// moved head.
func ChainMovedForTest(err error) bool { return chainMoved(err) }

// FailForTest is err as the store returns it.
func FailForTest(err error) error { return fail("pgstore: test", err, nil) }
