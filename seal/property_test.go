package seal_test

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/dossierwacht/dossierwacht/memstore"
	"github.com/dossierwacht/dossierwacht/privacy"
	"github.com/dossierwacht/dossierwacht/seal"
	"github.com/dossierwacht/dossierwacht/seal/sealtest"
)

// crashKeys is a key store that dies (every call fails) after the Put
// that at chooses: a process that stops halfway through an erasure.
type crashKeys struct {
	seal.Keys
	at   func(seal.Entry) bool
	dead bool
}

var errDead = &privacy.Error{Op: "crash", Kind: privacy.ErrUnavailable}

func (k *crashKeys) Put(ctx context.Context, e seal.Entry) error {
	if k.dead {
		return errDead
	}
	if k.at(e) {
		k.dead = true
		if e.Pending { // the tombstone lands, then the process dies
			return k.Keys.Put(ctx, e)
		}
		return errDead // the process dies before the tombstone is done
	}
	return k.Keys.Put(ctx, e)
}

func (k *crashKeys) Get(ctx context.Context, s privacy.SubjectID) (seal.Entry, error) {
	if k.dead {
		return seal.Entry{}, errDead
	}
	return k.Keys.Get(ctx, s)
}

// deadBackend is the Backend of the process that died: it deletes nothing
// once its keys are dead.
type deadBackend struct {
	seal.Backend
	k *crashKeys
}

func (b deadBackend) DeleteSubject(ctx context.Context, id privacy.SubjectID, ev []privacy.Event) error {
	if b.k.dead {
		return errDead
	}
	return b.Backend.DeleteSubject(ctx, id, ev)
}

func (b deadBackend) Subject(ctx context.Context, id privacy.SubjectID) (privacy.Subject, error) {
	if b.k.dead {
		return privacy.Subject{}, errDead
	}
	return b.Backend.Subject(ctx, id)
}

// backup is a sealed value as a copy of the database holds it, and when
// it was taken.
type backup struct {
	raw   privacy.Record
	clear string
	step  int
}

// TestPropertyErasureReachesEveryCopy: for random sequences of subjects
// created (IDs used again included), records written, erasures, crashes
// before and after the rows' deletion, and deletions behind the Store's
// back, after every step and a reap:
//   - every subject that exists reads back whole;
//   - a copy of a value taken before its subject's erasure opens to
//     nothing (ErrErased), one of a subject not erased since opens whole;
//   - the key store holds no pending tombstone and no live key of a
//     subject that does not exist.
func TestPropertyErasureReachesEveryCopy(t *testing.T) {
	for seed := range uint64(40) {
		t.Run(fmt.Sprint(seed), func(t *testing.T) { propertyRun(t, seed) })
	}
}

func propertyRun(t *testing.T, seed uint64) {
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(seed, 17))
	mem := memstore.New()
	keys := seal.NewMemKeys()
	s := sealtest.Wrap(t, mem, keys)
	at := sealtest.T0
	ev := func(subject privacy.SubjectID, a privacy.EventAction) []privacy.Event {
		at = at.Add(time.Minute)
		return []privacy.Event{{Time: at, Principal: "po-1", Role: privacy.RolePrivacyOfficer, Subject: subject,
			Action: a, Outcome: privacy.OutcomeAllowed, Rule: privacy.O13, Policy: "property"}}
	}
	contract := privacy.Contract{ID: "k-1", Party: "employer-1", PartyKind: privacy.PartyEmployer, Start: sealtest.T0.AddDate(-1, 0, 0)}
	live := map[privacy.SubjectID]map[privacy.RecordID]string{} // the model: what each existing subject holds
	erasedAt := map[privacy.SubjectID]int{}                     // the step of the subject's last erasure
	var backups []backup
	n := 0
	for step := 1; step <= 40; step++ {
		sub := privacy.SubjectID(fmt.Sprintf("s-%d", rng.IntN(4)))
		_, exists := live[sub]
		switch op := rng.IntN(10); {
		case op < 2 && !exists: // a new subject (an ID used again too)
			sj, _ := privacy.NewSubject(sub, "employer-1", sealtest.T0)
			if err := s.CreateSubject(ctx, sj, ev(sub, privacy.EventCreate)); err != nil {
				t.Fatalf("step %d: CreateSubject(%s): %v", step, sub, err)
			}
			c, _ := privacy.NewCase(privacy.CaseID("c-"+string(sub)), sub, privacy.CaseAbsence, privacy.PurposeAbsenceGuidance, contract, sealtest.T0)
			if err := s.CreateCase(ctx, c, ev(sub, privacy.EventCreate)); err != nil {
				t.Fatalf("step %d: CreateCase: %v", step, err)
			}
			live[sub] = map[privacy.RecordID]string{}
		case op < 6 && exists: // a record, and a backup of it
			n++
			id := privacy.RecordID(fmt.Sprintf("r-%d", n))
			text := fmt.Sprintf("note %d of %s", n, sub)
			r := privacy.Record{ID: id, Case: privacy.CaseID("c-" + string(sub)), Subject: sub, Category: privacy.CategoryNotes,
				Author: "cm-1", Source: privacy.Source{Kind: privacy.PartyService}, Purpose: privacy.PurposeAbsenceGuidance,
				Created: sealtest.T0, Updated: sealtest.T0, Fields: map[privacy.Field]string{privacy.FieldText: text}}
			if err := s.AddRecords(ctx, []privacy.Record{r}, ev(sub, privacy.EventCreate)); err != nil {
				t.Fatalf("step %d: AddRecords: %v", step, err)
			}
			live[sub][id] = text
			raw, err := mem.Record(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			backups = append(backups, backup{raw: raw, clear: text, step: step})
		case op < 8 && exists: // an erasure, clean or crashing
			switch rng.IntN(3) {
			case 0:
				if err := s.DeleteSubject(ctx, sub, ev(sub, privacy.EventDelete)); err != nil {
					t.Fatalf("step %d: DeleteSubject: %v", step, err)
				}
			default: // the process dies before or after the rows' deletion
				before := rng.IntN(2) == 0
				ck := &crashKeys{Keys: keys, at: func(e seal.Entry) bool {
					return e.Destroyed() && (e.Pending == before)
				}}
				cs, err := seal.Wrap(ctx, deadBackend{mem, ck}, seal.Vault{Keys: ck, KEK: sealtest.KEK(t), SkipReap: true})
				if err != nil {
					t.Fatal(err)
				}
				if err := cs.DeleteSubject(ctx, sub, ev(sub, privacy.EventDelete)); err == nil {
					t.Fatalf("step %d: a crashing erasure went through", step)
				}
				s = sealtest.Wrap(t, mem, keys) // the restart reaps
			}
			delete(live, sub)
			erasedAt[sub] = step
		case op < 9 && exists: // deleted behind the Store's back, then reaped
			if err := mem.DeleteSubject(ctx, sub, ev(sub, privacy.EventDelete)); err != nil {
				t.Fatalf("step %d: raw DeleteSubject: %v", step, err)
			}
			delete(live, sub)
			erasedAt[sub] = step
		}
		if _, err := s.Reap(ctx); err != nil {
			t.Fatalf("step %d: Reap: %v", step, err)
		}
		propertyCheck(t, step, s, mem, keys, live, erasedAt, backups)
		if t.Failed() {
			return
		}
	}
}

func propertyCheck(t *testing.T, step int, s *seal.Store, mem *memstore.Store, keys seal.Keys,
	live map[privacy.SubjectID]map[privacy.RecordID]string, erasedAt map[privacy.SubjectID]int, backups []backup) {
	ctx := context.Background()
	for sub, recs := range live {
		for id, text := range recs {
			r, err := s.Record(ctx, id)
			if err != nil || r.Fields[privacy.FieldText] != text {
				t.Errorf("step %d: %s's %s reads %v, %v; want %q", step, sub, id, r.Fields, err, text)
			}
		}
	}
	es, err := keys.List(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range es {
		if e.Pending {
			t.Errorf("step %d: %s's tombstone is pending after a reap", step, e.Subject)
		}
		if _, ok := live[e.Subject]; !ok && !e.Destroyed() {
			t.Errorf("step %d: %s does not exist, its key lives", step, e.Subject)
		}
	}
	// Every backup restored into a copy of its own, beside the live keys.
	for _, b := range backups {
		cp := memstore.New()
		sj, _ := privacy.NewSubject(b.raw.Subject, "employer-1", sealtest.T0)
		c, _ := privacy.NewCase(b.raw.Case, b.raw.Subject, privacy.CaseAbsence, privacy.PurposeAbsenceGuidance,
			privacy.Contract{ID: "k-1", Party: "employer-1", PartyKind: privacy.PartyEmployer, Start: sealtest.T0.AddDate(-1, 0, 0)}, sealtest.T0)
		e := sealtest.Events(0, b.raw.Subject, privacy.EventCreate)
		if err := errors.Join(cp.CreateSubject(ctx, sj, e), cp.CreateCase(ctx, c, e), cp.AddRecords(ctx, []privacy.Record{b.raw}, e)); err != nil {
			t.Fatal(err)
		}
		look, err := seal.Wrap(ctx, cp, seal.Vault{Keys: keys, KEK: sealtest.KEK(t), SkipReap: true})
		if err != nil {
			t.Fatal(err)
		}
		r, err := look.Record(ctx, b.raw.ID)
		if erasedAt[b.raw.Subject] > b.step {
			if !errors.Is(err, seal.ErrErased) {
				t.Errorf("step %d: a backup of %s from before its erasure opens: %v, %v", step, b.raw.ID, r.Fields, err)
			}
		} else if err != nil || r.Fields[privacy.FieldText] != b.clear {
			t.Errorf("step %d: a backup of %s of a subject not erased since: %v, %v", step, b.raw.ID, r.Fields, err)
		}
	}
}
