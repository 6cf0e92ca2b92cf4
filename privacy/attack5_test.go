package privacy_test

import (
	"crypto/sha256"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/dossierwacht/dossierwacht/privacy"
)

// TestAttack5 attacks the pooled HMAC states of ComputeHashKeyed (rule
// G7): keys of every length around SHA-256's block size, a key slice
// reused with other contents, events larger than the kept buffer, and
// more keys than are kept, from many goroutines at once.
func TestAttack5(t *testing.T) {
	t.Run("KeysAndBuffersG7", func(t *testing.T) {
		at := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
		var keys [][]byte
		for _, n := range []int{1, 31, 32, 63, 64, 65, 127, 128, 129, 300} {
			keys = append(keys, []byte(strings.Repeat(string(rune('a'+n%26)), n)))
		}
		event := func(i int) privacy.Event {
			e := privacy.Event{Seq: uint64(i), Time: at, Principal: privacy.PrincipalID(fmt.Sprintf("p-%d", i)), Subject: "s-1"}
			if i%3 == 0 {
				e.Object = strings.Repeat("x", 5000+i) // larger than the kept buffer
			}
			return e
		}
		const events = 30
		want := make([][]privacy.Hash, len(keys))
		for k, key := range keys {
			for i := range events {
				want[k] = append(want[k], event(i).ComputeHashKeyed(key))
			}
		}
		// HMAC hashes a key longer than the block first: the two keys
		// must give one hash, through different pools.
		long := keys[len(keys)-1]
		sum := sha256.Sum256(long)
		if got := event(1).ComputeHashKeyed(sum[:]); got != want[len(keys)-1][1] {
			t.Errorf("a key longer than the block and its hash differ: %x, %x", got, want[len(keys)-1][1])
		}
		// One slice, other contents: the state is the contents'.
		buf := append([]byte(nil), keys[0]...)
		h1 := event(2).ComputeHashKeyed(buf)
		buf[0] ^= 1
		if h2 := event(2).ComputeHashKeyed(buf); h1 == h2 || h1 != want[0][2] {
			t.Errorf("a key slice changed in place: %x then %x", h1, h2)
		}
		if event(2).ComputeHashKeyed(nil) != event(2).ComputeHashKeyed([]byte{}) || event(2).ComputeHashKeyed(nil) != event(2).ComputeHash() {
			t.Error("nil and empty keys differ")
		}
		var wg sync.WaitGroup
		for g := range 12 {
			wg.Go(func() {
				for r := range 300 {
					k, i := (g*3+r)%len(keys), (g*5+r)%events
					key := append([]byte(nil), keys[k]...)
					if got := event(i).ComputeHashKeyed(key); got != want[k][i] {
						t.Errorf("key %d, event %d: %x, want %x", len(keys[k]), i, got, want[k][i])
						return
					}
				}
			})
		}
		wg.Wait()
	})
}
