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

// TestChainKeyedNoAllocsG7 holds chaining an event under a kept key to
// no allocation (issue 14 §2: a sweep chains an event per record it
// erases, an audited view one per record it shows). Before, the
// encoding's buffer and the sum escaped: two allocations per event.
func TestChainKeyedNoAllocsG7(t *testing.T) {
	if raceOn {
		t.Skip("the race detector drops pooled states: allocations are counted without it")
	}
	e := privacy.Event{Time: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC), Principal: "retention-job",
		Subject: "s-000001", Case: "c-000001", Object: "r-000001", Action: privacy.EventDelete}
	key := []byte("the test's audit key")
	var h privacy.Hash
	if n := testing.AllocsPerRun(100, func() { h = e.ChainKeyed(key, 2, h).Hash }); n != 0 {
		t.Errorf("ChainKeyed: %v allocations per event, want 0", n)
	}
}

// BenchmarkChainKeyed chains an event under a key, as a sweep does per
// record.
func BenchmarkChainKeyed(b *testing.B) {
	e := privacy.Event{Time: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC), Principal: "retention-job",
		Subject: "s-000001", Case: "c-000001", Object: "r-000001", Action: privacy.EventDelete}
	key := []byte("the benchmark's audit key")
	var h privacy.Hash
	b.ReportAllocs()
	for range b.N {
		h = e.ChainKeyed(key, 2, h).Hash
	}
}
