package pgstore_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/dossierwacht/dossierwacht/examples/pgstore"
	"github.com/dossierwacht/dossierwacht/privacy"
)

// TestAttack5 attacks append_chained's set-wise check of large batches
// (migration 0065, rule G7) against the loop of small ones: each break
// goes into a batch of 20 events (the loop) and of 200 (set-wise), and
// both must answer with one SQLSTATE: a pruned chain followed from its
// anchor, NULL subjects (the chain ""), a duplicate event, a first event
// from before the anchor.
func TestAttack5(t *testing.T) {
	t.Run("SetWiseAsLoopG7", func(t *testing.T) {
		ctx := context.Background()
		pool := pgstore.PoolForTest(t, pgx.QueryExecModeCacheDescribe)
		key := []byte("the test's audit key")
		s := pgstore.NewForTest(t, pool, &pgstore.Options{AuditKey: key})
		schema := pgx.Identifier{pgstore.SchemaOf(s)}.Sanitize()
		now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
		call := `SELECT ` + schema + `.append_chained($1::bigint[], $2::timestamptz[],
		$3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[], $11::text[], $12::text[],
		$13::text[], $14::text[], $15::text[], $16::text[], $17::bytea[], $18::bytea[])`
		// Chain s-a: three events, pruned up to its last, so that its
		// head is its anchor alone. Chain s-b: one event, not pruned.
		heads := map[privacy.SubjectID]privacy.Event{}
		for _, sub := range []privacy.SubjectID{"s-a", "s-a", "s-a", "s-b"} {
			evs, err := s.AppendEvents(ctx, privacy.Event{Time: now, Principal: "p", Subject: sub, Action: privacy.EventRead})
			if err != nil {
				t.Fatal(err)
			}
			heads[sub] = evs[0]
		}
		a := heads["s-a"]
		if _, err := pool.Exec(ctx, `SELECT `+schema+`.prune_chain($1, $2, $3, $4)`, "s-a", int64(a.Seq), a.Hash[:], make([]byte, 32)); err != nil {
			t.Fatal(err)
		}
		var left int
		if err := pool.QueryRow(ctx, `SELECT count(*) FROM `+schema+`.audit_events WHERE subject = 's-a'`).Scan(&left); err != nil || left != 0 {
			t.Fatalf("s-a after pruning: %d events, %v", left, err)
		}
		chains := []privacy.SubjectID{"s-a", "s-b", "", "s-c"}
		batch := func(n int) []privacy.Event {
			h := map[privacy.SubjectID]privacy.Event{}
			for k, v := range heads {
				h[k] = v
			}
			var out []privacy.Event
			for i := range n {
				sub := chains[i%len(chains)]
				e := privacy.Event{Time: now.Add(time.Duration(i) * time.Millisecond), Principal: "p", Subject: sub,
					Action: privacy.EventRead}.ChainKeyed(key, h[sub].Seq+1, h[sub].Hash)
				h[sub] = e
				out = append(out, e)
			}
			return out
		}
		// nullSubjects gives the events of chain "" a NULL subject, every
		// other one.
		nullSubjects := func(args []any, evs []privacy.Event) {
			subs := make([]*string, len(evs))
			k := 0
			for i := range evs {
				v := string(evs[i].Subject)
				if v == "" {
					k++
					if k%2 == 1 {
						continue
					}
				}
				subs[i] = &v
			}
			args[6] = subs
		}
		run := func(args []any) string {
			tx, err := pool.Begin(ctx)
			if err != nil {
				t.Fatal(err)
			}
			defer tx.Rollback(ctx)
			_, err = tx.Exec(ctx, call, args...)
			var pe *pgconn.PgError
			switch {
			case err == nil:
				return "ok"
			case errors.As(err, &pe):
				return pe.Code
			}
			t.Fatal(err)
			return ""
		}
		for _, c := range []struct {
			name string
			want string
			edit func(evs []privacy.Event) []any
		}{
			{"as chained", "ok", nil},
			{"NULL subjects in chain empty", "ok", func(evs []privacy.Event) []any {
				args := pgstore.AppendArgsForTest(evs...)
				nullSubjects(args, evs)
				return args
			}},
			{"anchored chain from its start", "DWG7S", func(evs []privacy.Event) []any {
				evs[0] = evs[0].ChainKeyed(key, 1, privacy.Hash{})
				return pgstore.AppendArgsForTest(evs...)
			}},
			{"anchored chain from a pruned event", "DWG7S", func(evs []privacy.Event) []any {
				evs[0] = evs[0].ChainKeyed(key, a.Seq, a.Prev)
				return pgstore.AppendArgsForTest(evs...)
			}},
			{"anchored chain, right number, wrong link", "DWG7S", func(evs []privacy.Event) []any {
				evs[0] = evs[0].ChainKeyed(key, a.Seq+1, privacy.Hash{9})
				return pgstore.AppendArgsForTest(evs...)
			}},
			{"first event repeated", "DWG07", func(evs []privacy.Event) []any {
				evs = append(evs[:1:1], evs...)
				return pgstore.AppendArgsForTest(evs...)
			}},
			{"NULL-subject event broken", "DWG07", func(evs []privacy.Event) []any {
				evs[len(chains)*3+2].Prev = privacy.Hash{7}
				args := pgstore.AppendArgsForTest(evs...)
				nullSubjects(args, evs)
				return args
			}},
			{"NULL number first", "DWG7S", func(evs []privacy.Event) []any {
				args := pgstore.AppendArgsForTest(evs...)
				seqs := make([]*int64, len(evs))
				for i := range evs {
					v := int64(evs[i].Seq)
					seqs[i] = &v
				}
				seqs[1] = nil
				args[0] = seqs
				return args
			}},
			{"NULL hash inside", "DWG07", func(evs []privacy.Event) []any {
				args := pgstore.AppendArgsForTest(evs...)
				args[17].([][]byte)[len(chains)*2] = nil
				return args
			}},
			{"prevs one short", "22023", func(evs []privacy.Event) []any {
				args := pgstore.AppendArgsForTest(evs...)
				args[16] = args[16].([][]byte)[1:]
				return args
			}},
		} {
			for _, n := range []int{20, 200} {
				evs := batch(n)
				var args []any
				if c.edit == nil {
					args = pgstore.AppendArgsForTest(evs...)
				} else {
					args = c.edit(evs)
				}
				if got := run(args); got != c.want {
					t.Errorf("%s, %d events: %s, want %s", c.name, n, got, c.want)
				}
			}
		}
	})
}
