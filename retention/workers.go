package retention

import (
	"context"
	"runtime"
	"slices"
	"sync"
	"time"

	"github.com/dossierwacht/dossierwacht/privacy"
)

// workers runs a sweep's units of work, up to [Options.Workers] at once,
// each in a goroutine of its own (rule O12). After a failure no unit is
// started; those under way finish. A unit that panics, or whose goroutine
// is ended by runtime.Goexit, has that raised again in the sweep's
// goroutine by wait, and no unit outlives wait or settle: no call to the
// store outlives Sweep. A nil *workers or one worker runs nothing: the
// caller then does each unit itself, in its own goroutine, as sweeps
// always did.
type workers struct {
	ctx      context.Context
	sem      chan struct{}
	wg       sync.WaitGroup
	mu       sync.Mutex
	err      error
	panicked bool
	// goexit says the unit that did not answer ended its goroutine with
	// runtime.Goexit rather than a panic.
	goexit bool
	value  any
}

// newWorkers returns the workers of a sweep; nil with one worker.
func newWorkers(ctx context.Context, n int) *workers {
	if n <= 1 {
		return nil
	}
	return &workers{ctx: ctx, sem: make(chan struct{}, n)}
}

// acquire waits for a free worker, which the caller hands to start or
// gives back with release. It returns the first failure so far, or the
// cancellation of ctx, holding no worker then.
func (w *workers) acquire() error {
	select {
	case w.sem <- struct{}{}:
	case <-w.ctx.Done():
		w.fail(&privacy.Error{Op: "retention: sweep", Kind: privacy.ErrUnavailable, Err: w.ctx.Err()})
		return w.failed()
	}
	if err := w.failed(); err != nil {
		w.release()
		return err
	}
	return nil
}

func (w *workers) release() { <-w.sem }

// start runs unit in a goroutine on the worker acquired; an error it
// returns stops the sweep.
func (w *workers) start(unit func() error) {
	w.wg.Add(1)
	go func() {
		defer w.wg.Done()
		defer w.release()
		answered := false
		defer func() {
			v := recover()
			if v == nil && answered {
				return
			}
			// Rules O12, G4: a unit that did not answer panicked, or its
			// goroutine was ended by runtime.Goexit (recover then gives
			// nil; as t.FailNow in a test's store does). Either goes on
			// in the sweep's goroutine, as with one worker: a unit ended
			// that way is never taken for one that deleted nothing.
			w.mu.Lock()
			if !w.panicked {
				w.panicked, w.value, w.goexit = true, v, v == nil
			}
			w.mu.Unlock()
			w.fail(&privacy.Error{Op: "retention: sweep", Kind: privacy.ErrUnavailable, Msg: "a batch panicked"})
		}()
		if err := unit(); err != nil {
			w.fail(err)
		}
		answered = true
	}()
}

// wait waits for every unit started and returns the first failure. A
// panic of a unit is raised again here, in the sweep's goroutine.
func (w *workers) wait() error {
	w.wg.Wait()
	if w.panicked {
		if w.goexit {
			runtime.Goexit()
		}
		panic(w.value)
	}
	return w.failed()
}

// settle waits for every unit started, without raising anything: Sweep
// defers it, for the way out of a panic of its own goroutine, which skips
// wait (rule O12: no call to the store outlives Sweep).
func (w *workers) settle() {
	if w != nil {
		w.wg.Wait()
	}
}

func (w *workers) fail(err error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.err == nil {
		w.err = err
	}
}

func (w *workers) failed() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.err
}

// batchEraser deletes a sweep's batches of due records, up to
// [Options.Workers] at once. With one worker it deletes each batch as it
// is handed over, in the caller's goroutine, as sweeps always did.
//
// With more, each batch goes to a goroutine of its own, at most workers
// at a time: every batch is still one atomic step of the store, with its
// holds checked under the store's lock (rule G3), so batches that share a
// subject queue on it in the store. The outcome is the one of the same
// batches in order: counts are sums, and the notices (rule G4) are merged
// in the order the batches were handed over. After a failure no batch is
// started; those under way finish, and what they did is counted, so the
// report says what the store committed.
type batchEraser struct {
	r       *Keeper
	ctx     context.Context
	by      privacy.Principal
	now     time.Time
	rep     *Report
	notices map[Recipient][]privacy.RecordID
	w       *workers
	// mu guards counted and done, written by the workers.
	mu sync.Mutex
	// counted is what the batches handed over did, added to rep by wait:
	// the sweep's goroutine counts in rep meanwhile.
	counted Report
	// done holds the notices of each batch handed over, by its number.
	done []map[Recipient][]privacy.RecordID
}

func (r *Keeper) newBatchEraser(ctx context.Context, w *workers, by privacy.Principal, now time.Time, rep *Report,
	notices map[Recipient][]privacy.RecordID) *batchEraser {
	return &batchEraser{r: r, ctx: ctx, by: by, now: now, rep: rep, notices: notices, w: w}
}

// erase deletes batch, or hands it to a worker; the caller may reuse
// batch when erase returns. It returns the first failure of any batch so
// far.
func (e *batchEraser) erase(batch []dueItem) error {
	if e.w == nil {
		return e.r.erase(e.ctx, e.by, e.now, batch, e.rep, e.notices)
	}
	if len(batch) == 0 {
		return e.w.failed()
	}
	if err := e.w.acquire(); err != nil {
		return err
	}
	// Rule G4: the recipients are looked up here, in the sweep's
	// goroutine, one batch after another in the order they are handed
	// over, as with one worker: a Recipients written for that (the
	// interface asks for no more) is never called concurrently nor sees
	// the batches out of order. The deletions still overlap.
	sent, err := e.r.recipientsOf(e.ctx, batch)
	if err != nil {
		e.w.release()
		e.w.fail(err)
		return e.w.failed()
	}
	own := slices.Clone(batch)
	e.mu.Lock()
	k := len(e.done)
	e.done = append(e.done, nil)
	e.mu.Unlock()
	e.w.start(func() error {
		var rep Report
		notices := map[Recipient][]privacy.RecordID{}
		err := e.r.eraseSent(e.ctx, e.by, e.now, own, sent, &rep, notices)
		e.mu.Lock()
		defer e.mu.Unlock()
		e.counted.Erased += rep.Erased
		e.counted.Held += rep.Held
		e.counted.Done += rep.Done
		e.counted.Vanished += rep.Vanished
		e.counted.Changed += rep.Changed
		e.done[k] = notices
		return err
	})
	return nil
}

// wait waits for every batch handed over, merges their counts and notices
// in order and returns the first failure. A panic of a batch is raised
// again here, in the sweep's goroutine.
func (e *batchEraser) wait() error {
	if e.w == nil {
		return nil
	}
	err := e.w.wait()
	e.rep.Erased += e.counted.Erased
	e.rep.Held += e.counted.Held
	e.rep.Done += e.counted.Done
	e.rep.Vanished += e.counted.Vanished
	e.rep.Changed += e.counted.Changed
	for _, m := range e.done {
		for rc, ids := range m {
			e.notices[rc] = append(e.notices[rc], ids...)
		}
	}
	return err
}
