package privacy_test

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/dossierwacht/dossierwacht/privacy"
)

// TestChainKeyedReusedStatesG7 checks that the HMAC states kept for
// reuse (rule G7, issue 14 §2) never carry one hash into another: under
// many keys at once (more than are kept), from many goroutines, every
// event's hash is the one computed alone, and differs between keys.
func TestChainKeyedReusedStatesG7(t *testing.T) {
	at := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	const keys, events = 12, 50
	want := make([][]privacy.Hash, keys)
	for k := range keys {
		want[k] = make([]privacy.Hash, events)
		for i := range events {
			e := privacy.Event{Time: at, Principal: privacy.PrincipalID(fmt.Sprintf("p-%d", i)), Subject: "s-1"}
			want[k][i] = e.ComputeHashKeyed([]byte(fmt.Sprintf("key %d", k)))
		}
	}
	if want[0][0] == want[1][0] {
		t.Fatal("two keys give one hash")
	}
	var wg sync.WaitGroup
	for g := range 16 {
		wg.Go(func() {
			for r := range 200 {
				k, i := (g+r)%keys, (g*7+r)%events
				e := privacy.Event{Time: at, Principal: privacy.PrincipalID(fmt.Sprintf("p-%d", i)), Subject: "s-1"}
				if got := e.ComputeHashKeyed([]byte(fmt.Sprintf("key %d", k))); got != want[k][i] {
					t.Errorf("key %d, event %d: hash %x, want %x", k, i, got, want[k][i])
					return
				}
			}
		})
	}
	wg.Wait()
}
