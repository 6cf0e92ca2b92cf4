package sqladapter

import (
	"sync"

	"github.com/dossierwacht/dossierwacht/privacy"
)

// Faults counts row writes for fault injection (privacytest.FaultInjector).
// The zero value is disarmed. It is safe for concurrent use.
type Faults struct {
	mu    sync.Mutex
	armed bool
	left  int64
}

// Arm makes the write after n more row writes fail, once; a negative n
// disarms.
func (f *Faults) Arm(n int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.armed, f.left = n >= 0, int64(n)
}

// Wrote accounts for rows written by one statement of operation op, inside
// its transaction. When the armed failure falls among them it returns an
// error matching privacy.ErrUnavailable: the caller returns it, and the
// transaction, statement included, rolls back.
func (f *Faults) Wrote(op string, rows int64) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if !f.armed || rows <= 0 {
		return nil
	}
	if rows > f.left {
		f.armed = false
		return &privacy.Error{Op: op, Kind: privacy.ErrUnavailable, Msg: "injected failure"}
	}
	f.left -= rows
	return nil
}
