package pgstore

import (
	"context"
	"slices"
	"sync"

	"github.com/dossierwacht/dossierwacht/privacy"
)

// maxBatchEvents caps how many events one append statement carries.
const maxBatchEvents = 1024

// appendQueue lets concurrent AppendEvents calls of one store share their
// statements (group commit): while one statement is on its way, the calls
// that arrive queue up, and the next statement carries all of them, each
// event still in its own subject's chain (rule G7). Under load one commit
// then serves many audited reads, so that throughput grows with the
// clients instead of with the commits the server can make (issue 14 §2).
//
// Each call stays all or none: a shared statement that fails is tried
// again call by call, so that one call's refused events never cost
// another call its append, and each call learns its own outcome.
type appendQueue struct {
	mu      sync.Mutex
	pending []*appendCall
	leaders int // calls appending, each with the calls it took
}

// maxLeaders is how many statements of one store's appends may be on
// their way at once. One: while it is, the calls that arrive wait and go
// together in the next. Measured with BenchmarkAuditedViews (16 clients,
// 2 cores), more on their way at once cost the server more statements for
// the same events than they save in waiting: views/plain 0.61–0.68 with
// one, 0.57–0.61 with two, 0.53 with four, 0.38–0.43 with sixteen (a
// loaded machine); on a quieter one 0.51–0.55 with one, 0.45–0.50 with
// two, 0.46–0.48 with three, 0.38 with sixteen.
const maxLeaders = 1

// appendCall is one AppendEvents call waiting in the queue.
type appendCall struct {
	ctx    context.Context
	events []privacy.Event
	out    []privacy.Event
	err    error
	// wake says, once, what to do: true to lead the next statement,
	// false when the call is done (out and err set).
	wake chan bool
}

// do appends c's events through flush, with the calls queued with it, and
// returns when they are appended or refused. flush is given at least one
// call and sets every call's out and err.
//
// Every call's wake is sent to exactly once: a call leaves pending either
// taken into a leader's batch (told false when the batch is done) or
// chosen to lead the next one (told true), never both.
func (q *appendQueue) do(c *appendCall, flush func([]*appendCall)) {
	c.wake = make(chan bool, 1)
	q.mu.Lock()
	if q.leaders >= maxLeaders {
		q.pending = append(q.pending, c)
		q.mu.Unlock()
		var lead bool
		select {
		case lead = <-c.wake:
		case <-c.ctx.Done():
			// Context first on I/O (rule G7's append is on the path
			// of every read): a call that gave up while waiting leaves
			// the queue, appending nothing, unless a leader took it
			// meanwhile; then it waits for its word as the others do.
			q.mu.Lock()
			if i := slices.Index(q.pending, c); i >= 0 {
				q.pending = slices.Delete(q.pending, i, i+1)
				q.mu.Unlock()
				c.err = c.ctx.Err()
				return
			}
			q.mu.Unlock()
			lead = <-c.wake
		}
		if !lead {
			return
		}
		// Chosen to lead: the leader before handed its place on.
		q.mu.Lock()
	} else {
		q.leaders++
	}
	batch := q.take(c)
	q.mu.Unlock()
	flush(batch)
	q.mu.Lock()
	if len(q.pending) > 0 {
		next := q.pending[0]
		q.pending = q.pending[1:]
		next.wake <- true
	} else {
		q.leaders--
	}
	q.mu.Unlock()
	for _, w := range batch[1:] {
		w.wake <- false
	}
}

// take is the batch of leader c: c, and the calls waiting in the queue
// that fit with it in maxBatchEvents events, taken off the queue.
func (q *appendQueue) take(c *appendCall) []*appendCall {
	n, events := 0, len(c.events)
	for n < len(q.pending) && events+len(q.pending[n].events) <= maxBatchEvents {
		events += len(q.pending[n].events)
		n++
	}
	batch := make([]*appendCall, 0, n+1)
	batch = append(batch, c)
	batch = append(batch, q.pending[:n]...)
	q.pending = append(q.pending[:0:0], q.pending[n:]...)
	return batch
}
