package pgstore

import (
	"sync"
	"sync/atomic"

	"github.com/dossierwacht/dossierwacht/access"
)

// maxRememberedHeads is about how many chains' heads a store remembers.
// Beyond it, the head of a chain no append is waiting on is forgotten as
// its append ends: the next append to that chain reads it again.
const maxRememberedHeads = 1 << 16

// chainHeads remembers the head of each audit chain this store last
// appended to, so that an audited read appends its events in one round
// trip instead of two: chain them after the remembered head and send them
// to append_chained, which checks them against the chain's real head
// under its lock (rule G7). A head that is wrong — another process, or a
// write's own transaction, appended meanwhile — costs one refused
// statement (SQLSTATE DWG7S) and a read of the real head; it can never
// put a wrong event in the trail, because the database checks every link.
//
// Appends of this store to one chain take turns on its entry's mutex, so
// that they do not refuse each other's remembered heads; appends to
// different chains never wait on each other.
type chainHeads struct {
	mu sync.Mutex
	m  map[string]*chainHead
}

// chainHead is one chain's entry: its mutex, how many appends hold or
// wait for it, and the head remembered (if known). gen counts the
// transactions that appended to the chain on their own; a head
// remembered under an older gen is not used.
type chainHead struct {
	sync.Mutex
	refs    int
	known   bool
	head    access.Checkpoint
	headGen uint64
	gen     atomic.Uint64
}

// remembered is the head remembered, if it is still to be trusted; the
// caller holds e.
func (e *chainHead) remembered() (access.Checkpoint, bool) {
	if !e.known || e.headGen != e.gen.Load() {
		return access.Checkpoint{}, false
	}
	return e.head, true
}

// remember remembers head, read or written when gen was gen; the caller
// holds e.
func (e *chainHead) remember(head access.Checkpoint, gen uint64) {
	e.head, e.headGen, e.known = head, gen, true
}

// acquire takes the entries of chains, which are sorted and without
// duplicates, in that order: two appends never wait on each other
// crosswise.
func (h *chainHeads) acquire(chains []string) []*chainHead {
	es := make([]*chainHead, len(chains))
	h.mu.Lock()
	if h.m == nil {
		h.m = make(map[string]*chainHead)
	}
	for i, c := range chains {
		e := h.m[c]
		if e == nil {
			e = &chainHead{}
			h.m[c] = e
		}
		e.refs++
		es[i] = e
	}
	h.mu.Unlock()
	for _, e := range es {
		e.Lock()
	}
	return es
}

// release gives the entries of chains back; es are acquire's.
func (h *chainHeads) release(chains []string, es []*chainHead) {
	for _, e := range es {
		e.Unlock()
	}
	h.mu.Lock()
	for i, c := range chains {
		e := es[i]
		e.refs--
		if e.refs == 0 && len(h.m) > maxRememberedHeads {
			delete(h.m, c)
		}
	}
	h.mu.Unlock()
}

// forget forgets the heads of chains: a write's transaction appends to
// them, and the head it leaves is known only once it commits. It never
// waits: the transaction may hold a chain's lock in the database that an
// append holding the entry waits for.
func (h *chainHeads) forget(chains []string) {
	h.mu.Lock()
	for _, c := range chains {
		if e := h.m[c]; e != nil {
			e.gen.Add(1)
		}
	}
	h.mu.Unlock()
}
