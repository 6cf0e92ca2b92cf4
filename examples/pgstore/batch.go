package pgstore

import (
	"context"
	"runtime"
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
// The statements are sent by one goroutine of the queue's own, the
// appender, which runs while calls wait and ends when none do. As one
// statement returns, the appender tells its calls and sends the next,
// with no goroutine to wake first: with a caller that led the next
// statement instead, that caller had to be woken and get a core first,
// on the critical path of every audited read (views/plain 0.62–0.65
// with a leading caller, 0.63–0.71 with the appender:
// BenchmarkAuditedViews, 16 clients, 2 cores, test binaries taking turns
// in one session). Two appenders measured no better, whether or not
// their statements shared chains: each statement carried fewer calls.
//
// Each call stays all or none: a shared statement that fails is tried
// again call by call, so that one call's refused events never cost
// another call its append, and each call learns its own outcome.
type appendQueue struct {
	mu      sync.Mutex
	pending []*appendCall
	running bool // the appender is running
}

// One statement of a store's appends is on its way at a time: while it
// is, the calls that arrive wait and go together in the next. Measured
// with BenchmarkAuditedViews (16 clients, 2 cores, calls leading their
// statements), more on their way at once cost the server more statements
// for the same events than they save in waiting: views/plain 0.61–0.68
// with one, 0.57–0.61 with two, 0.53 with four, 0.38–0.43 with sixteen
// (a loaded machine); on a quieter one 0.51–0.55 with one, 0.45–0.50 with
// two, 0.46–0.48 with three, 0.38 with sixteen.

// appendCall is one AppendEvents call waiting in the queue.
type appendCall struct {
	ctx    context.Context
	events []privacy.Event
	out    []privacy.Event
	err    error
	// done is closed when the call is done: out and err set, or its
	// statement panicked (raised, with the value panicked: nil too,
	// under GODEBUG=panicnil=1) or called runtime.Goexit (exited).
	done     chan struct{}
	panicked any
	raised   bool
	exited   bool
}

// told reports whether c has its outcome: out or err set (a call's out
// is never nil once appended: it has at least one event), or a panic.
func (c *appendCall) told() bool { return c.out != nil || c.err != nil || c.raised }

// alone runs fn, which sets c's out and err, as c's own statement: a
// panic in it is c's alone (raised in c's goroutine, not in the other
// calls of c's batch, which flush goes on with). A runtime.Goexit cannot
// be stopped: it ends the batch's statement (see flushed).
func (c *appendCall) alone(fn func()) {
	ok := false
	func() {
		defer func() {
			if !ok {
				c.panicked = recover()
			}
		}()
		fn()
		ok = true
	}()
	// Reached after fn returned, or panicked and was recovered: a
	// Goexit never gets here.
	c.raised = !ok
}

// do appends c's events through flush, with the calls queued with it, and
// returns when they are appended or refused. flush is given at least one
// call and sets every call's out and err. A panic in flush is raised again
// in each call of its statement not told its outcome yet, as is a
// runtime.Goexit: those calls share the statement's fate, whichever
// goroutine ran it; a call told its outcome before keeps it (rule G7: a
// call whose events are stored is told so).
//
// A call leaves the queue once: taken into a statement (done closed when
// the statement is done), or by its context ending before that.
func (q *appendQueue) do(c *appendCall, flush func([]*appendCall)) {
	c.done = make(chan struct{})
	q.mu.Lock()
	q.pending = append(q.pending, c)
	if !q.running {
		q.running = true
		go q.run(flush)
	}
	q.mu.Unlock()
	select {
	case <-c.done:
	case <-c.ctx.Done():
		// Context first on I/O (rule G7's append is on the path of
		// every read): a call that gave up while waiting leaves the
		// queue, appending nothing, unless the appender took it
		// meanwhile; then it waits for its outcome as the others do.
		q.mu.Lock()
		if i := slices.Index(q.pending, c); i >= 0 {
			q.pending = slices.Delete(q.pending, i, i+1)
			q.mu.Unlock()
			c.err = c.ctx.Err()
			return
		}
		q.mu.Unlock()
		<-c.done
	}
	switch {
	case c.raised:
		panic(c.panicked)
	case c.exited:
		runtime.Goexit()
	}
}

// run is the appender: it sends the waiting calls' statements, one at a
// time, until no call waits.
func (q *appendQueue) run(flush func([]*appendCall)) {
	idle := false
	defer func() {
		if idle {
			return
		}
		// A statement panicked or called runtime.Goexit, which its
		// calls now raise: a new appender takes the calls that still
		// wait, so that none waits forever.
		q.mu.Lock()
		if len(q.pending) > 0 {
			go q.run(flush)
		} else {
			q.running = false
		}
		q.mu.Unlock()
	}()
	for {
		q.mu.Lock()
		if len(q.pending) == 0 {
			q.running, idle = false, true
			q.mu.Unlock()
			return
		}
		batch := q.take()
		q.mu.Unlock()
		if !flushed(batch, flush) {
			return
		}
	}
}

// flushed runs flush for batch and then closes each call's done. It
// reports whether flush returned; if it panicked or called
// runtime.Goexit, each call not told its outcome yet is told so (a call
// told before keeps its outcome: its events may be stored), and the
// appender's goroutine ends (with a Goexit it is ending already; a panic
// is not raised in it, only in the calls, so that it cannot end the
// program). A panic is told from a Goexit by whether flushed goes on
// after it, not by the value recovered, which is nil for panic(nil)
// under GODEBUG=panicnil=1.
func flushed(batch []*appendCall, flush func([]*appendCall)) (ok bool) {
	var v any
	raised := false
	defer func() {
		if !ok {
			for _, c := range batch {
				if !c.told() {
					c.panicked, c.raised, c.exited = v, raised, !raised
				}
			}
		}
		for _, c := range batch {
			close(c.done)
		}
	}()
	func() {
		defer func() {
			if !ok {
				v = recover()
			}
		}()
		flush(batch)
		ok = true
	}()
	raised = !ok // a Goexit never gets here
	return ok
}

// take is the next statement's calls: the first call waiting, and the
// calls waiting after it that fit with it in maxBatchEvents events, taken
// off the queue. q.pending is not empty.
func (q *appendQueue) take() []*appendCall {
	c := q.pending[0]
	q.pending = q.pending[1:]
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
