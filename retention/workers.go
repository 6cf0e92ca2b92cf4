package retention

import (
	"context"
	"runtime"
	"slices"
	"sync"
	"time"

	"github.com/dossierwacht/dossierwacht/privacy"
)

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
	// counted is what the batches handed over did, added to rep by wait:
	// the sweep's goroutine counts in rep meanwhile.
	counted  Report
	sem      chan struct{}
	wg       sync.WaitGroup
	mu       sync.Mutex
	err      error
	panicked bool
	// goexit says the batch that did not answer ended its goroutine
	// with runtime.Goexit rather than a panic.
	goexit bool
	value  any
	// done holds the notices of each batch handed over, by its number.
	done []map[Recipient][]privacy.RecordID
}

func (r *Keeper) newBatchEraser(ctx context.Context, by privacy.Principal, now time.Time, rep *Report,
	notices map[Recipient][]privacy.RecordID) *batchEraser {
	e := &batchEraser{r: r, ctx: ctx, by: by, now: now, rep: rep, notices: notices}
	if r.workers > 1 {
		e.sem = make(chan struct{}, r.workers)
	}
	return e
}

// erase deletes batch, or hands it to a worker; the caller may reuse
// batch when erase returns. It returns the first failure of any batch so
// far.
func (e *batchEraser) erase(batch []dueItem) error {
	if len(batch) == 0 {
		return e.failed()
	}
	if e.sem == nil {
		return e.r.erase(e.ctx, e.by, e.now, batch, e.rep, e.notices)
	}
	select {
	case e.sem <- struct{}{}:
	case <-e.ctx.Done():
		e.fail(&privacy.Error{Op: "retention: sweep", Kind: privacy.ErrUnavailable, Err: e.ctx.Err()})
		return e.failed()
	}
	if err := e.failed(); err != nil {
		<-e.sem
		return err
	}
	// Rule G4: the recipients are looked up here, in the sweep's
	// goroutine, one batch after another in the order they are handed
	// over, as with one worker: a Recipients written for that (the
	// interface asks for no more) is never called concurrently nor sees
	// the batches out of order. The deletions still overlap.
	sent, err := e.r.recipientsOf(e.ctx, batch)
	if err != nil {
		<-e.sem
		e.fail(err)
		return e.failed()
	}
	own := slices.Clone(batch)
	e.mu.Lock()
	k := len(e.done)
	e.done = append(e.done, nil)
	e.mu.Unlock()
	e.wg.Add(1)
	go func() {
		defer e.wg.Done()
		defer func() { <-e.sem }()
		answered := false
		defer func() {
			v := recover()
			if v == nil && answered {
				return
			}
			// Rules O12, G4: a batch that did not answer panicked, or
			// its goroutine was ended by runtime.Goexit (recover then
			// gives nil; as t.FailNow in a test's store does). Either
			// goes on in the sweep's goroutine, as with one worker:
			// a batch ended that way is never taken for one that
			// deleted nothing, with its notices lost.
			e.mu.Lock()
			if !e.panicked {
				e.panicked, e.value, e.goexit = true, v, v == nil
			}
			e.mu.Unlock()
			e.fail(&privacy.Error{Op: "retention: sweep", Kind: privacy.ErrUnavailable, Msg: "a batch panicked"})
		}()
		var rep Report
		notices := map[Recipient][]privacy.RecordID{}
		err := e.r.eraseSent(e.ctx, e.by, e.now, own, sent, &rep, notices)
		e.mu.Lock()
		e.counted.Erased += rep.Erased
		e.counted.Held += rep.Held
		e.counted.Done += rep.Done
		e.counted.Vanished += rep.Vanished
		e.counted.Changed += rep.Changed
		e.done[k] = notices
		e.mu.Unlock()
		if err != nil {
			e.fail(err)
		}
		answered = true
	}()
	return nil
}

// wait waits for every batch handed over, merges their notices in order
// and returns the first failure. A panic of a batch is raised again here,
// in the sweep's goroutine.
func (e *batchEraser) wait() error {
	if e.sem == nil {
		return nil
	}
	e.wg.Wait()
	if e.panicked {
		if e.goexit {
			runtime.Goexit()
		}
		panic(e.value)
	}
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
	return e.err
}

// settle waits for every batch handed over, without merging or raising
// anything: Sweep defers it, for the way out of a panic of its own
// goroutine, which skips wait (rule O12: no call to the store outlives
// Sweep).
func (e *batchEraser) settle() {
	if e.sem != nil {
		e.wg.Wait()
	}
}

func (e *batchEraser) fail(err error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.err == nil {
		e.err = err
	}
}

func (e *batchEraser) failed() error {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.err
}
