package pgstore_test

import (
	"context"
	"errors"
	"io"
	"net"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/dossierwacht/dossierwacht/access"
	"github.com/dossierwacht/dossierwacht/examples/pgstore"
	"github.com/dossierwacht/dossierwacht/privacy"
	"github.com/jackc/pgx/v5"
)

// slowProxy forwards TCP connections to the PostgreSQL server and holds
// back what the server answers by delay: a slow network, on which a
// context can end after the server did the work and before its answer
// arrives.
type slowProxy struct {
	ln    net.Listener
	delay atomic.Int64
}

func newSlowProxy(t *testing.T, target string) *slowProxy {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &slowProxy{ln: ln}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go p.serve(c, target)
		}
	}()
	return p
}

func (p *slowProxy) serve(c net.Conn, target string) {
	s, err := net.Dial("tcp", target)
	if err != nil {
		c.Close()
		return
	}
	go func() { io.Copy(s, c); s.Close() }()
	buf := make([]byte, 64<<10)
	for {
		n, err := s.Read(buf)
		if n > 0 {
			if d := time.Duration(p.delay.Load()); d > 0 {
				time.Sleep(d)
			}
			if _, werr := c.Write(buf[:n]); werr != nil {
				break
			}
		}
		if err != nil {
			break
		}
	}
	c.Close()
	s.Close()
}

// TestAttack4 attacks the changes of issue 14 through the public API.
func TestAttack4(t *testing.T) {
	// Rule G7, N9 (issue 14 §2, group commit): a leader whose context
	// ends after the server appended its batch, before the answer
	// arrives, must not make the store append the other calls' events a
	// second time; every call's result must be true: an error only for
	// events not stored, success for events stored exactly once.
	t.Run("CancelledLeaderAfterTheServerAppendedG7", func(t *testing.T) {
		ctx := context.Background()
		direct, slow, proxy, key := slowStores(t)
		// Warm up: the heads remembered, connections open.
		var wg sync.WaitGroup
		for i := range 4 {
			wg.Go(func() {
				if _, err := slow.AppendEvents(ctx, attack4Event("s-1", "warm"), attack4Event("s-2", "warm")); err != nil {
					t.Errorf("warm-up %d: %v", i, err)
				}
			})
		}
		wg.Wait()
		if _, err := slow.AppendEvents(ctx, attack4Event("s-1", "warm"), attack4Event("s-2", "warm")); err != nil {
			t.Fatal(err)
		}
		const d = 300 * time.Millisecond
		proxy.delay.Store(int64(d))
		results := map[string]error{}
		asked := map[string][]string{}
		var mu sync.Mutex
		call := func(ctx context.Context, object string, subjects ...string) {
			var events []privacy.Event
			for _, s := range subjects {
				events = append(events, attack4Event(s, object))
			}
			_, err := slow.AppendEvents(ctx, events...)
			mu.Lock()
			results[object], asked[object] = err, subjects
			mu.Unlock()
		}
		wg.Go(func() { call(ctx, "first", "s-1") }) // on its way while the others queue
		time.Sleep(d / 10)
		lctx, cancel := context.WithTimeout(ctx, d+d/2) // ends with the batch's answer on its way
		defer cancel()
		wg.Go(func() { call(lctx, "leader", "s-1") })
		time.Sleep(d / 10)
		wg.Go(func() { call(ctx, "follower-1", "s-1", "s-2") })
		wg.Go(func() { call(ctx, "follower-2", "s-2") })
		wg.Wait()
		proxy.delay.Store(0)

		if _, err := access.VerifyChains(direct.ChainEvents(ctx), access.VerifyOptions{Key: key}); err != nil {
			t.Fatalf("the chains do not verify: %v", err)
		}
		stored := map[string]int{}
		for e, err := range direct.ChainEvents(ctx) {
			if err != nil {
				t.Fatal(err)
			}
			stored[e.Object+"@"+string(e.Subject)]++
		}
		for object, err := range results {
			for key, n := range stored {
				if !strings.HasPrefix(key, object+"@") {
					continue
				}
				switch {
				case err != nil:
					t.Errorf("call %q failed (%v), yet its event %s is stored %d times", object, err, key, n)
				case n != 1:
					t.Errorf("call %q succeeded, its event %s stored %d times, want once", object, key, n)
				}
			}
		}
		for object, err := range results {
			for _, s := range asked[object] {
				if err == nil && stored[object+"@"+s] == 0 {
					t.Errorf("call %q succeeded, its event for %s is not stored", object, s)
				}
			}
		}
		t.Logf("results: %v", results)
	})

	// Context first on I/O (rules G7, N9, issue 14 §2): a call waiting
	// in the queue behind a statement on its way, whose context ends,
	// returns then with its context's error and appends nothing; it does
	// not wait for the statement before it, nor is it appended after it
	// gave up.
	t.Run("QueuedCallLeavesWhenItsContextEndsG7", func(t *testing.T) {
		ctx := context.Background()
		direct, slow, proxy, _ := slowStores(t)
		if _, err := slow.AppendEvents(ctx, attack4Event("s-1", "warm")); err != nil {
			t.Fatal(err)
		}
		const d = time.Second
		proxy.delay.Store(int64(d))
		var wg sync.WaitGroup
		wg.Go(func() {
			if _, err := slow.AppendEvents(ctx, attack4Event("s-1", "first")); err != nil {
				t.Errorf("the call on its way: %v", err)
			}
		})
		time.Sleep(d / 10)
		qctx, cancel := context.WithTimeout(ctx, d/10)
		defer cancel()
		start := time.Now()
		_, qerr := slow.AppendEvents(qctx, attack4Event("s-1", "queued"))
		took := time.Since(start)
		wg.Wait()
		proxy.delay.Store(0)
		if !errors.Is(qerr, context.DeadlineExceeded) || took > d/2 {
			t.Errorf("a queued call whose context ended after %v returned after %v with %v; want its context's error then", d/10, took, qerr)
		}
		for e, err := range direct.ChainEvents(ctx) {
			if err != nil {
				t.Fatal(err)
			}
			if e.Object == "queued" && qerr != nil {
				t.Errorf("the queued call failed (%v), yet its event is stored", qerr)
			}
		}
	})

	// Bad input (rule G7's append; BRIEF: a typed error matching
	// privacy.ErrInvalid, nothing changed): an event whose subject is no
	// subject ID, too long for the chain's index, was sent to the server
	// and refused there as if the storage were unavailable — an error a
	// caller retries — instead of refused as malformed.
	t.Run("EventSubjectNotAnIDRefusedAsInvalidG7", func(t *testing.T) {
		ctx := context.Background()
		s := pgstore.OpenForTest(t, nil)
		now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
		e := privacy.Event{Time: now, Principal: "cm-1", Role: privacy.RoleCaseManager,
			Subject: privacy.SubjectID(strings.Repeat("s", 3000)), Action: privacy.EventRead, Outcome: privacy.OutcomeAllowed,
			Rule: privacy.R7, Policy: "1"}
		if _, err := s.AppendEvents(ctx, e); !errors.Is(err, privacy.ErrInvalid) {
			t.Errorf("an event of subject %.10q…: %v; want ErrInvalid", e.Subject, err)
		}
		for e, err := range s.ChainEvents(ctx) {
			if err != nil {
				t.Fatal(err)
			}
			t.Errorf("event %d of chain %.10q stored", e.Seq, e.Subject)
		}
	})
}

// attack4Key is the audit key of slowStores' stores.
var attack4Key = []byte("attack4 key")

// slowStores opens two stores on one fresh schema under one key: direct,
// and slow, whose answers from the server pass through proxy (which can
// delay them), and returns them with the key.
func slowStores(t *testing.T) (direct, slow *pgstore.Store, proxy *slowProxy, key []byte) {
	t.Helper()
	ctx := context.Background()
	dsn := pgstore.DSNForTest(t)
	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatal(err)
	}
	proxy = newSlowProxy(t, u.Host)
	pu := *u
	pu.Host = proxy.ln.Addr().String()
	schema := pgstore.SchemaForTest(t)
	direct, err = pgstore.Open(ctx, dsn, &pgstore.Options{Schema: schema, AuditKey: attack4Key})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(direct.Close)
	pgstore.DropSchemas(t, pgstore.PoolForTest(t, pgx.QueryExecModeCacheStatement), schema)
	slow, err = pgstore.Open(ctx, pu.String(), &pgstore.Options{Schema: schema, NoMigrate: true, AuditKey: attack4Key})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(slow.Close)
	return direct, slow, proxy, attack4Key
}

// attack4Event is a read of object in subject's chain.
func attack4Event(subject, object string) privacy.Event {
	return privacy.Event{Time: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC), Principal: "cm-1", Role: privacy.RoleCaseManager,
		Subject: privacy.SubjectID(subject), Object: object, Action: privacy.EventRead, Outcome: privacy.OutcomeAllowed,
		Rule: privacy.R7, Policy: "1"}
}
