// Package tampertest is the table of the 21 ways of tampering with an
// audit trail from issue 14, run against a SQL adapter whose trail the
// test changes as someone with write access to the database would: the
// append-only triggers off, any statement allowed, and without the key
// the links are computed under (rule G7). Each case must be found by the
// verifier holding the key and the checkpoints of every chain's head kept
// outside the database, and named: tampering ([access.ErrTampered]) or
// damage ([access.ErrDamaged]). The table runs on a fresh trail and on
// one pruned after its retention ([privacy.Anchor]).
package tampertest

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/dossierwacht/dossierwacht/access"
	"github.com/dossierwacht/dossierwacht/privacy"
)

// Store is the adapter under test: an access.Store that prunes its trail.
type Store interface {
	access.Store
	PruneAudit(ctx context.Context, before time.Time, e privacy.Event) (int, error)
}

// DB is the attacker's hold on the database.
type DB interface {
	// Exec runs stmt with the trail's triggers off. Statements name the
	// table {schema}.audit_events (or audit_anchors) and take $1, $2, …
	Exec(ctx context.Context, stmt string, args ...any) error
	// Time encodes t as the adapter stores a time.
	Time(t time.Time) any
}

// chain is the subject whose chain the cases break; other chains are
// beside it.
const chain privacy.SubjectID = "s-1"

const total = 20 // events of the chain
const pruned = 4 // of them, before the retention's end when pruning

var t0 = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

// at is where a case acts: the chain's first and last event left, and one
// in the middle.
type at struct{ first, mid, last uint64 }

type tamperCase struct {
	name string
	// damage: the case is damage, not tampering.
	damage bool
	// pruned: the case needs a pruned chain.
	pruned bool
	// anyChain: the case breaks every chain; the verifier names the first.
	anyChain bool
	do       func(ctx context.Context, t *testing.T, db DB, s Store, a at) error
}

// event returns the stored event seq of the chain.
func event(ctx context.Context, t *testing.T, s Store, seq uint64) privacy.Event {
	t.Helper()
	for e, err := range s.SubjectEvents(ctx, chain, seq) {
		if err != nil {
			t.Fatal(err)
		}
		if e.Seq == seq {
			return e
		}
		break
	}
	t.Fatalf("no event %d", seq)
	return privacy.Event{}
}

const where = ` WHERE subject = 's-1' AND seq = $1`

// setLinks rewrites the links of the chain's events from seq on, as es
// says (their Prev and Hash).
func setLinks(ctx context.Context, db DB, es []privacy.Event) error {
	for _, e := range es {
		if err := db.Exec(ctx, `UPDATE {schema}.audit_events SET prev = $2, hash = $3`+where, int64(e.Seq), e.Prev[:], e.Hash[:]); err != nil {
			return err
		}
	}
	return nil
}

// rehash re-chains es after prev as an attacker can: with plain SHA-256,
// or any key but the right one.
func rehash(es []privacy.Event, prev privacy.Hash) []privacy.Event {
	out := make([]privacy.Event, len(es))
	for i, e := range es {
		out[i] = e.ChainKeyed(nil, e.Seq, prev)
		prev = out[i].Hash
	}
	return out
}

func from(ctx context.Context, t *testing.T, s Store, seq uint64) []privacy.Event {
	t.Helper()
	var out []privacy.Event
	for e, err := range s.SubjectEvents(ctx, chain, seq) {
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, e)
	}
	return out
}

func renumber(ctx context.Context, db DB, seq, to uint64) error {
	return db.Exec(ctx, `UPDATE {schema}.audit_events SET seq = $2`+where, int64(seq), int64(to))
}

// The 21 cases of issue 14, and the anchor's forgery for a pruned chain.
var cases = []tamperCase{
	{name: "01_one_byte_of_a_principal", do: func(ctx context.Context, _ *testing.T, db DB, _ Store, a at) error {
		return db.Exec(ctx, `UPDATE {schema}.audit_events SET principal = 'cm-2'`+where, int64(a.mid))
	}},
	{name: "02_a_denial_turned_allowed", do: func(ctx context.Context, _ *testing.T, db DB, _ Store, a at) error {
		// Even numbers are denials.
		return db.Exec(ctx, `UPDATE {schema}.audit_events SET outcome = 'allowed', rule = 'R7'`+where, int64(a.mid))
	}},
	{name: "03_the_time_moved_1us", do: func(ctx context.Context, t *testing.T, db DB, s Store, a at) error {
		e := event(ctx, t, s, a.mid)
		return db.Exec(ctx, `UPDATE {schema}.audit_events SET time = $2`+where, int64(a.mid), db.Time(e.Time.Add(time.Microsecond)))
	}},
	{name: "04_the_time_NULL", do: func(ctx context.Context, _ *testing.T, db DB, _ Store, a at) error {
		return db.Exec(ctx, `UPDATE {schema}.audit_events SET time = NULL`+where, int64(a.mid))
	}},
	{name: "05_one_bit_of_a_hash", do: func(ctx context.Context, t *testing.T, db DB, s Store, a at) error {
		e := event(ctx, t, s, a.mid)
		e.Hash[7] ^= 0x10
		return db.Exec(ctx, `UPDATE {schema}.audit_events SET hash = $2`+where, int64(a.mid), e.Hash[:])
	}},
	{name: "06_a_zeroed_previous_link", do: func(ctx context.Context, _ *testing.T, db DB, _ Store, a at) error {
		return db.Exec(ctx, `UPDATE {schema}.audit_events SET prev = $2`+where, int64(a.mid), make([]byte, 32))
	}},
	{name: "07_a_hash_cut_to_31_bytes", damage: true, do: func(ctx context.Context, t *testing.T, db DB, s Store, a at) error {
		e := event(ctx, t, s, a.mid)
		return db.Exec(ctx, `UPDATE {schema}.audit_events SET hash = $2`+where, int64(a.mid), e.Hash[:31])
	}},
	{name: "08_a_middle_row_deleted", do: func(ctx context.Context, _ *testing.T, db DB, _ Store, a at) error {
		return db.Exec(ctx, `DELETE FROM {schema}.audit_events`+where, int64(a.mid))
	}},
	{name: "09_the_first_row_deleted", do: func(ctx context.Context, _ *testing.T, db DB, _ Store, a at) error {
		return db.Exec(ctx, `DELETE FROM {schema}.audit_events`+where, int64(a.first))
	}},
	{name: "10_the_last_row_deleted", do: func(ctx context.Context, _ *testing.T, db DB, _ Store, a at) error {
		return db.Exec(ctx, `DELETE FROM {schema}.audit_events`+where, int64(a.last))
	}},
	{name: "11_the_last_ten_deleted", do: func(ctx context.Context, _ *testing.T, db DB, _ Store, a at) error {
		return db.Exec(ctx, `DELETE FROM {schema}.audit_events WHERE subject = 's-1' AND seq > $1`, int64(a.last-10))
	}},
	{name: "12_every_row_deleted", anyChain: true, do: func(ctx context.Context, _ *testing.T, db DB, _ Store, _ at) error {
		return db.Exec(ctx, `DELETE FROM {schema}.audit_events`)
	}},
	{name: "13_two_adjacent_rows_swapped", do: func(ctx context.Context, _ *testing.T, db DB, _ Store, a at) error {
		return swap(ctx, db, a.mid, a.mid+1)
	}},
	{name: "14_two_distant_rows_swapped", do: func(ctx context.Context, _ *testing.T, db DB, _ Store, a at) error {
		return swap(ctx, db, a.first+1, a.last-1)
	}},
	{name: "15_a_middle_row_renumbered_n+1", do: func(ctx context.Context, _ *testing.T, db DB, _ Store, a at) error {
		return renumber(ctx, db, a.mid, a.last+1)
	}},
	{name: "16_the_last_row_renumbered_0", do: func(ctx context.Context, _ *testing.T, db DB, _ Store, a at) error {
		return renumber(ctx, db, a.last, 0)
	}},
	{name: "17_the_last_event_replayed_as_n+1", do: func(ctx context.Context, _ *testing.T, db DB, _ Store, a at) error {
		return db.Exec(ctx, `INSERT INTO {schema}.audit_events (`+columns+`) SELECT $2, `+rest+
			` FROM {schema}.audit_events`+where, int64(a.last), int64(a.last+1))
	}},
	{name: "18_a_middle_event_edited_and_rehashed_to_the_end", do: func(ctx context.Context, t *testing.T, db DB, s Store, a at) error {
		es := from(ctx, t, s, a.mid)
		es[0].Principal = "someone-else"
		if err := db.Exec(ctx, `UPDATE {schema}.audit_events SET principal = 'someone-else'`+where, int64(a.mid)); err != nil {
			return err
		}
		return setLinks(ctx, db, rehash(es, es[0].Prev))
	}},
	{name: "19_a_middle_event_removed_the_rest_renumbered_and_rehashed", do: func(ctx context.Context, t *testing.T, db DB, s Store, a at) error {
		es := from(ctx, t, s, a.mid)
		if err := db.Exec(ctx, `DELETE FROM {schema}.audit_events`+where, int64(a.mid)); err != nil {
			return err
		}
		rest := es[1:]
		for i := range rest {
			if err := renumber(ctx, db, rest[i].Seq, rest[i].Seq-1); err != nil {
				return err
			}
			rest[i].Seq--
		}
		return setLinks(ctx, db, rehash(rest, es[0].Prev))
	}},
	{name: "20_a_forged_event_appended_with_a_valid_link", do: func(ctx context.Context, t *testing.T, db DB, s Store, a at) error {
		last := event(ctx, t, s, a.last)
		f := last
		f.Principal, f.Outcome, f.Time = "intruder", privacy.OutcomeAllowed, last.Time.Add(time.Second)
		f = f.ChainKeyed(nil, a.last+1, last.Hash)
		return db.Exec(ctx, `INSERT INTO {schema}.audit_events (`+columns+`) SELECT $2, $3, 'intruder', role, on_behalf_of,
			purpose, subject, case_id, category, object, action, 'allowed', rule, policy, access_point, client, $4, $5
			FROM {schema}.audit_events`+where, int64(a.last), int64(f.Seq), db.Time(f.Time), f.Prev[:], f.Hash[:])
	}},
	{name: "21_two_events_reordered_and_rehashed", do: func(ctx context.Context, t *testing.T, db DB, s Store, a at) error {
		es := from(ctx, t, s, a.mid)
		if err := swap(ctx, db, a.mid, a.mid+1); err != nil {
			return err
		}
		es[0], es[1] = es[1], es[0]
		es[0].Seq, es[1].Seq = a.mid, a.mid+1
		return setLinks(ctx, db, rehash(es, es[1].Prev))
	}},
	{name: "22_the_anchor_moved_on", pruned: true, do: func(ctx context.Context, t *testing.T, db DB, s Store, a at) error {
		// Hide the first events left: delete them and move the anchor
		// past them, which the attacker cannot sign.
		e := event(ctx, t, s, a.first+1)
		if err := db.Exec(ctx, `DELETE FROM {schema}.audit_events WHERE subject = 's-1' AND seq <= $1`, int64(e.Seq)); err != nil {
			return err
		}
		return db.Exec(ctx, `UPDATE {schema}.audit_anchors SET seq = $1, hash = $2 WHERE subject = 's-1'`, int64(e.Seq), e.Hash[:])
	}},
}

const columns = `seq, time, principal, role, on_behalf_of, purpose, subject, case_id, category, object, action, outcome,
	rule, policy, access_point, client, prev, hash`

const rest = `time, principal, role, on_behalf_of, purpose, subject, case_id, category, object, action, outcome,
	rule, policy, access_point, client, prev, hash`

// swap swaps the rows numbered a and b: each keeps its content and hashes
// under the other's number.
func swap(ctx context.Context, db DB, a, b uint64) error {
	const parked = -1
	for _, step := range [][2]int64{{int64(a), parked}, {int64(b), int64(a)}, {parked, int64(b)}} {
		if err := db.Exec(ctx, `UPDATE {schema}.audit_events SET seq = $2`+where, step[0], step[1]); err != nil {
			return err
		}
	}
	return nil
}

// Run runs every case on a fresh trail and on a pruned one: open returns
// a new store whose links are computed under key, and the attacker's
// hold on its database.
func Run(t *testing.T, open func(t *testing.T, key []byte) (Store, DB)) {
	for _, prune := range []bool{false, true} {
		for _, tc := range cases {
			if tc.pruned && !prune {
				continue
			}
			name := tc.name
			if prune {
				name = "pruned/" + name
			}
			t.Run("G7_"+name, func(t *testing.T) {
				ctx := context.Background()
				key := []byte("the key the database does not hold")
				s, db := open(t, key)
				g, err := access.New(s, nil, &access.Options{Policy: privacy.Strict()})
				if err != nil {
					t.Fatal(err)
				}
				a := fill(ctx, t, s, prune)
				// The checkpoints the service kept outside the database.
				heads, err := g.Verify(ctx, nil)
				if err != nil {
					t.Fatalf("Verify before tampering: %v", err)
				}
				if got := heads[chain]; got.Seq != a.last {
					t.Fatalf("chain %s reached %d, want %d", chain, got.Seq, a.last)
				}
				if err := tc.do(ctx, t, db, s, a); err != nil {
					t.Fatalf("tampering: %v", err)
				}
				_, err = g.Verify(ctx, heads)
				var ce *access.ChainError
				kind, other := access.ErrTampered, access.ErrDamaged
				if tc.damage {
					kind, other = other, kind
				}
				if !errors.Is(err, kind) || errors.Is(err, other) || !errors.As(err, &ce) || privacy.RuleOf(err) != privacy.G7 {
					t.Fatalf("Verify = %v, want a *ChainError of kind %v by G7", err, kind)
				}
				if ce.Chain != chain && !tc.anyChain {
					t.Errorf("Verify names chain %q, want %q", ce.Chain, chain)
				}
			})
		}
	}
}

// RunUnkeyed shows what the key adds (issue 14): on a trail with unkeyed
// links, checked against the same checkpoints, every case but the forged
// append is still found; the forged append, linked and hashed as the
// store would, passes. It runs on a fresh trail.
func RunUnkeyed(t *testing.T, open func(t *testing.T, key []byte) (Store, DB)) {
	for _, tc := range cases {
		if tc.pruned {
			continue
		}
		t.Run("G7_unkeyed_"+tc.name, func(t *testing.T) {
			ctx := context.Background()
			s, db := open(t, nil)
			g, err := access.New(s, nil, &access.Options{Policy: privacy.Strict()})
			if err != nil {
				t.Fatal(err)
			}
			a := fill(ctx, t, s, false)
			heads, err := g.Verify(ctx, nil)
			if err != nil {
				t.Fatal(err)
			}
			if err := tc.do(ctx, t, db, s, a); err != nil {
				t.Fatalf("tampering: %v", err)
			}
			_, err = g.Verify(ctx, heads)
			if forged := tc.name == "20_a_forged_event_appended_with_a_valid_link"; forged != (err == nil) {
				t.Errorf("Verify without a key = %v; only the forged append should pass", err)
			}
		})
	}
}

// fill appends the chain's events, one a second, every other one a
// denial, and events of two other chains between them; if prune, it
// prunes the first events of every chain.
func fill(ctx context.Context, t *testing.T, s Store, prune bool) at {
	t.Helper()
	for i := range total {
		e := privacy.Event{Time: t0.Add(time.Duration(i) * time.Second), Principal: "cm-1", Role: privacy.RoleCaseManager,
			OnBehalfOf: "service", Purpose: privacy.PurposeAbsenceGuidance, Subject: chain, Case: "c-1",
			Category: privacy.CategoryAbsenceFacts, Action: privacy.EventRead, Outcome: privacy.OutcomeAllowed,
			Rule: privacy.R7, Policy: "1.0.0", Object: fmt.Sprintf("r-%d", i)}
		if i%2 == 1 {
			e.Category, e.Outcome, e.Rule = privacy.CategoryMedical, privacy.OutcomeDenied, privacy.O6
		}
		other := e
		other.Subject = "s-2"
		service := e
		service.Subject, service.Case, service.Action = "", "", privacy.EventSearch
		if _, err := s.AppendEvents(ctx, e, other, service); err != nil {
			t.Fatal(err)
		}
	}
	if !prune {
		return at{first: 1, mid: total / 2, last: total}
	}
	sweep := privacy.Event{Time: t0.Add(time.Hour), Principal: "officer-1", Role: privacy.RolePrivacyOfficer,
		Object: "audit-trail", Action: privacy.EventDelete, Outcome: privacy.OutcomeAllowed, Rule: privacy.N9, Policy: "1.0.0"}
	n, err := s.PruneAudit(ctx, t0.Add(pruned*time.Second), sweep)
	if err != nil || n != 3*pruned {
		t.Fatalf("PruneAudit = %d, %v; want %d events of three chains", n, err, 3*pruned)
	}
	return at{first: pruned + 1, mid: total / 2, last: total}
}
