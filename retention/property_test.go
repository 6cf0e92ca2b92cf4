package retention_test

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/dossierwacht/dossierwacht/memstore"
	"github.com/dossierwacht/dossierwacht/privacy"
	"github.com/dossierwacht/dossierwacht/privacy/calendar"
	"github.com/dossierwacht/dossierwacht/retention"
)

var (
	epoch   = time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)
	sweeper = privacy.Principal{ID: "retention-job", Role: privacy.RolePrivacyOfficer}
	officer = privacy.Principal{ID: "officer-1", Role: privacy.RolePrivacyOfficer}
)

// randomPolicy is the strict policy with the opt-in statutory rules and a
// few random extra rules of every trigger, statutory or not.
func randomPolicy(rng *rand.Rand) *privacy.Policy {
	p := withRules(privacy.Strict(), privacy.ExposureExamRetention(), privacy.SelfInsurerRetention())
	cats := privacy.Categories()
	for range rng.IntN(4) {
		r := privacy.RetentionRule{Rule: privacy.O12, Categories: []privacy.Category{cats[rng.IntN(len(cats))]},
			Trigger: privacy.Triggers()[rng.IntN(4)], Period: privacy.Period{Years: rng.IntN(8), Months: rng.IntN(13), Days: 1 + rng.IntN(40)},
			Citation: "test", Reason: "random"}
		if rng.IntN(2) == 0 {
			r.Rule, r.Statutory = privacy.N7, true
		}
		p.Retention = append(p.Retention, r)
	}
	return p
}

// randTime returns an instant between 2020 and 2040, often near midnight
// in Amsterdam.
func randTime(rng *rand.Rand) time.Time {
	t := epoch.Add(time.Duration(rng.Int64N(int64(20 * 365 * 24 * time.Hour))))
	if rng.IntN(3) == 0 {
		d := calendar.DateIn(t, calendar.Amsterdam()).In(calendar.Amsterdam())
		t = d.Add(time.Duration(rng.IntN(3)-1) * time.Second)
	}
	return t.UTC().Truncate(time.Second)
}

func randomDossier(rng *rand.Rand, id int) *retention.Dossier {
	sid := privacy.SubjectID(fmt.Sprintf("s-%d", id))
	created := randTime(rng)
	sub := privacy.Subject{ID: sid, Employer: "employer-1", Created: created}
	if rng.IntN(2) == 0 {
		sub.EmploymentEnded = randTime(rng)
	}
	d := &retention.Dossier{Subject: sub}
	kinds, cats := privacy.CaseKinds(), privacy.Categories()
	for c := range 1 + rng.IntN(3) {
		cs := privacy.Case{ID: privacy.CaseID(fmt.Sprintf("%s-c%d", sid, c)), Subject: sid, Kind: kinds[rng.IntN(len(kinds))], Opened: created}
		if rng.IntN(3) > 0 {
			cs.Closed = randTime(rng)
		}
		cf := retention.CaseFile{Case: cs}
		for r := range 1 + rng.IntN(6) {
			cat := cats[rng.IntN(len(cats))]
			cr := randTime(rng)
			cf.Records = append(cf.Records, retention.Entry{ID: privacy.RecordID(fmt.Sprintf("%s-r%d", cs.ID, r)), Category: cat,
				Medical: cat.Medical(), Created: cr, Updated: cr.Add(time.Duration(rng.IntN(1000)) * time.Hour)})
		}
		d.Cases = append(d.Cases, cf)
	}
	if rng.IntN(4) == 0 {
		h := retention.Hold{ID: retention.HoldID(fmt.Sprintf("h-%d", id)), Subject: sid, Ground: retention.GroundLegalClaim,
			Reason: "x", PlacedBy: "officer-1", Placed: randTime(rng)}
		if rng.IntN(2) == 0 {
			h.Case = d.Cases[0].Case.ID
		}
		if rng.IntN(3) == 0 {
			h.Lifted, h.LiftedBy, h.LiftReason = h.Placed.Add(time.Duration(rng.IntN(5000))*time.Hour), "officer-1", "done"
		}
		d.Holds = append(d.Holds, h)
	}
	if rng.IntN(4) == 0 {
		rcv := randTime(rng)
		e := retention.Erasure{ID: retention.ErasureID(fmt.Sprintf("e-%d", id)), Subject: sid, Rule: privacy.O13,
			Received: rcv, Decided: rcv.Add(time.Duration(rng.IntN(500)) * time.Hour), DecidedBy: "officer-1"}
		if rng.IntN(2) == 0 {
			e.Case = d.Cases[len(d.Cases)-1].Case.ID
		}
		d.Erasures = append(d.Erasures, e)
	}
	return d
}

func applies(r privacy.RetentionRule, c privacy.Category, k privacy.CaseKind) bool {
	in := func(n int, f func(int) bool) bool {
		for i := range n {
			if f(i) {
				return true
			}
		}
		return n == 0
	}
	return in(len(r.Categories), func(i int) bool { return r.Categories[i] == c }) &&
		in(len(r.CaseKinds), func(i int) bool { return r.CaseKinds[i] == k })
}

// TestPropertyStatutoryMinimum checks, on random dossiers and policies,
// that no record is ever scheduled before a statutory minimum (N7, G3):
// not by a policy maximum, not by an erasure request. It checks the
// calendar's answer and, independently, elapsed time: a period of Y years,
// M months and D days lasts at least 365Y + 28M + D days.
func TestPropertyStatutoryMinimum(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 9))
	ams := calendar.Amsterdam()
	for iter := range 300 {
		p := randomPolicy(rng)
		rules := rulesOf(t, p)
		d := randomDossier(rng, iter)
		now := randTime(rng)
		today := calendar.DateIn(now, ams)
		k := 0
		for _, cf := range d.Cases {
			for _, e := range cf.Records {
				s := rules.Schedule(nil, &retention.Dossier{Subject: d.Subject, Holds: d.Holds, Erasures: d.Erasures,
					Cases: []retention.CaseFile{{Case: cf.Case, Records: []retention.Entry{e}}}}, now)[0]
				k++
				if s.IsDue() && s.Due.After(today) {
					t.Fatalf("%v: due before its date", s)
				}
				for _, r := range p.Retention {
					if !r.Statutory || !applies(r, e.Category, cf.Case.Kind) {
						continue
					}
					var trig time.Time
					switch r.Trigger {
					case privacy.TriggerCaseClosed:
						trig = cf.Case.Closed
						if cf.Case.IsOpen() {
							// Rules R9, O12: an open case ends at its
							// last activity, here its one record's; an
							// absence case the employer commissioned
							// at the end of the employment if earlier.
							trig = cf.Case.Opened
							for _, t := range []time.Time{e.Created, e.Updated} {
								if t.After(trig) {
									trig = t
								}
							}
							if end := d.Subject.EmploymentEnded; cf.Case.Kind == privacy.CaseAbsence &&
								!cf.Case.Contract.WithoutEmployment() && !end.IsZero() && end.Before(trig) {
								trig = end
							}
						}
					case privacy.TriggerEmploymentEnded:
						trig = d.Subject.EmploymentEnded
					case privacy.TriggerRecordCreated:
						trig = e.Created
					case privacy.TriggerRecordUpdated:
						trig = e.Updated
					}
					if trig.IsZero() || trig.After(now) {
						if s.Status != retention.StatusKept || !s.Due.IsZero() && s.Reason != retention.ReasonHold {
							t.Fatalf("N7: %v scheduled while statutory %s %s has not started", s, r.Rule, r.Period)
						}
						continue
					}
					if s.Due.IsZero() {
						continue // kept without a date: fine
					}
					floor := calendar.Add(calendar.DateIn(trig, ams), r.Period).AddDays(1)
					if s.Due.Before(floor) {
						t.Fatalf("N7: %v due before the statutory floor %s of %s %s", s, floor, r.Rule, r.Period)
					}
					minDays := r.Period.Years*365 + r.Period.Months*28 + r.Period.Weeks*7 + r.Period.Days
					if elapsed := s.Due.In(ams).Sub(trig); elapsed < time.Duration(minDays)*24*time.Hour-time.Hour {
						t.Fatalf("N7: %v due %v after its trigger, less than %d days", s, elapsed, minDays)
					}
				}
			}
		}
		// Scheduling a whole dossier gives what scheduling each record
		// alone gives.
		if got := len(rules.Schedule(nil, d, now)); got != k {
			t.Fatalf("Schedule(dossier) gave %d schedules, want %d", got, k)
		}
	}
}

// TestPropertyHoldNeverDue checks that a schedule under a standing hold
// is never due (G3).
func TestPropertyHoldNeverDue(t *testing.T) {
	rng := rand.New(rand.NewPCG(2, 9))
	for iter := range 500 {
		rules := rulesOf(t, randomPolicy(rng))
		d := randomDossier(rng, iter)
		now := randTime(rng)
		for _, s := range rules.Schedule(nil, d, now) {
			for _, h := range d.Holds {
				if h.ActiveAt(now) && h.Covers(s.Case, s.Record) && (s.IsDue() || s.Rule != privacy.G3) {
					t.Fatalf("G3: %v under standing hold %s", s, h.ID)
				}
			}
		}
	}
}

// world stores random subjects, cases and records in a memstore, with
// holds and erasure requests through Keeper.
type world struct {
	ctx   context.Context
	store *memstore.Store
	d     *privacy.Dossiers
	r     *retention.Keeper
	ids   []privacy.SubjectID
}

func newWorld(tb testing.TB, rng *rand.Rand, subjects int, p *privacy.Policy) *world {
	tb.Helper()
	ctx := context.Background()
	store := memstore.New()
	d, err := privacy.NewDossiers(store, p)
	if err != nil {
		tb.Fatal(err)
	}
	r, err := retention.New(store, p, &retention.Options{BatchSize: 7, PageSize: 5})
	if err != nil {
		tb.Fatal(err)
	}
	w := &world{ctx: ctx, store: store, d: d, r: r}
	contract := privacy.Contract{ID: "k-1", Party: "employer-1", PartyKind: privacy.PartyEmployer, Start: epoch}
	kinds := []privacy.CaseKind{privacy.CaseAbsence, privacy.CaseReintegration, privacy.CasePreventive}
	cats := []privacy.Category{privacy.CategoryNotes, privacy.CategoryEmployment, privacy.CategoryMedical, privacy.CategoryAbsenceFacts}
	for i := range subjects {
		sid := privacy.SubjectID(fmt.Sprintf("s-%04d", i))
		w.ids = append(w.ids, sid)
		opened := epoch.Add(time.Duration(rng.IntN(3*365*24)) * time.Hour)
		act := privacy.Act{By: privacy.Principal{ID: "cm-1", Role: privacy.RoleCaseManager}, At: opened}
		if err := d.CreateSubject(ctx, act, privacy.Subject{ID: sid, Employer: "employer-1", Created: opened}); err != nil {
			tb.Fatal(err)
		}
		for c := range 1 + rng.IntN(2) {
			cid := privacy.CaseID(fmt.Sprintf("%s-c%d", sid, c))
			cs, _ := privacy.NewCase(cid, sid, kinds[rng.IntN(len(kinds))], privacy.PurposeAbsenceGuidance, contract, opened)
			if err := d.OpenCase(ctx, act, cs); err != nil {
				tb.Fatal(err)
			}
			for k := range 1 + rng.IntN(4) {
				cat := cats[rng.IntN(len(cats))]
				f := privacy.FieldText
				if cat == privacy.CategoryEmployment {
					f = privacy.FieldJob
				} else if cat == privacy.CategoryAbsenceFacts {
					f = privacy.FieldFirstDay
				}
				rec := privacy.Record{ID: privacy.RecordID(fmt.Sprintf("%s-r%d", cid, k)), Case: cid, Category: cat, Author: "cm-1",
					Source: privacy.Source{Kind: privacy.PartyService}, Created: opened.Add(time.Hour), Fields: map[privacy.Field]string{f: "x"}}
				if err := d.AddRecord(ctx, privacy.Act{By: act.By, At: rec.Created}, rec); err != nil {
					tb.Fatal(err)
				}
			}
			if rng.IntN(4) > 0 {
				closing := privacy.Act{By: act.By, At: opened.Add(time.Duration(1+rng.IntN(2*365*24)) * time.Hour)}
				if err := d.CloseCase(ctx, closing, cid); err != nil {
					tb.Fatal(err)
				}
			}
		}
		if rng.IntN(3) == 0 {
			ended := opened.Add(time.Duration(rng.IntN(3*365*24)) * time.Hour)
			if err := d.EndEmployment(ctx, privacy.Act{By: act.By, At: ended}, sid, ended); err != nil {
				tb.Fatal(err)
			}
		}
	}
	return w
}

// holdsAndErasures places random holds and grants random erasure requests
// at now.
func (w *world) holdsAndErasures(tb testing.TB, rng *rand.Rand, now time.Time) {
	tb.Helper()
	for i, sid := range w.ids {
		switch rng.IntN(6) {
		case 0:
			h := retention.Hold{ID: retention.HoldID(fmt.Sprintf("h-%d", i)), Subject: sid, Ground: retention.GroundLegalClaim, Reason: "claim"}
			if rng.IntN(2) == 0 {
				h.Case = privacy.CaseID(string(sid) + "-c0")
			}
			if _, err := w.r.PlaceHold(w.ctx, officer, h, now); err != nil {
				tb.Fatal(err)
			}
		case 1:
			e := retention.Erasure{ID: retention.ErasureID(fmt.Sprintf("e-%d", i)), Subject: sid, Rule: privacy.R9, Received: now.Add(-time.Hour)}
			if _, err := w.r.RequestErasure(w.ctx, officer, e, now); err != nil {
				tb.Fatal(err)
			}
		}
	}
}

// state is every record's schedule at now, by ID.
func (w *world) state(tb testing.TB, now time.Time) map[privacy.RecordID]retention.Schedule {
	tb.Helper()
	out := map[privacy.RecordID]retention.Schedule{}
	for _, sid := range w.ids {
		ss, err := w.r.Schedules(w.ctx, sid, now)
		if errors.Is(err, privacy.ErrNotFound) {
			// Rules R9, O12: the sweep removed the subject once nothing
			// of it was kept; its records count as gone.
			continue
		}
		if err != nil {
			tb.Fatal(err)
		}
		for _, s := range ss {
			out[s.Record] = s
		}
	}
	return out
}

// TestPropertySweep checks on random worlds that after a sweep nothing due
// remains, nothing that was not due is gone, no held record is gone (G3),
// and every deleted record has exactly one proof and one delete event.
func TestPropertySweep(t *testing.T) {
	for seed := range uint64(6) {
		t.Run(fmt.Sprint("seed", seed), func(t *testing.T) {
			rng := rand.New(rand.NewPCG(seed, 3))
			w := newWorld(t, rng, 60, withRules(privacy.Strict(), privacy.SelfInsurerRetention()))
			now := epoch.Add(time.Duration(3*365*24+rng.IntN(6*365*24)) * time.Hour)
			w.holdsAndErasures(t, rng, now.Add(-48*time.Hour))
			before := w.state(t, now)
			var planned int
			for s, err := range w.r.Plan(w.ctx, sweeper, now) {
				if err != nil || !s.IsDue() {
					t.Fatalf("Plan yielded %v, %v", s, err)
				}
				planned++
			}
			rep, err := w.r.Sweep(w.ctx, sweeper, now)
			if err != nil {
				t.Fatalf("Sweep: %v", err)
			}
			after := w.state(t, now)
			due := 0
			for id, s := range before {
				_, still := after[id]
				switch {
				case s.IsDue() && still:
					t.Errorf("%v was due and is still there", s)
				case !s.IsDue() && !still:
					t.Errorf("%v was not due and is gone", s)
				case s.Reason == retention.ReasonHold && !still:
					t.Errorf("G3: held %v is gone", s)
				}
				if s.IsDue() {
					due++
				}
			}
			for _, s := range after {
				if s.IsDue() {
					t.Errorf("after the sweep %v is still due", s)
				}
			}
			t.Logf("%d records, %d due, report %+v", len(before), due, rep)
			if rep.Erased != due || planned != due {
				t.Errorf("Sweep erased %d and Plan listed %d, want %d (report %+v)", rep.Erased, planned, due, rep)
			}
			w.checkProofs(t, before)
		})
	}
}

// proofCount is how many proofs of deletion the world's subjects have.
func (w *world) proofCount(tb testing.TB) int {
	tb.Helper()
	n := 0
	for _, sid := range w.ids {
		ps, err := w.r.Proofs(w.ctx, sid)
		if err != nil {
			tb.Fatal(err)
		}
		n += len(ps)
	}
	return n
}

// checkProofs checks that every record of before that is gone has exactly
// one proof and one delete event, and every record still there has none.
func (w *world) checkProofs(tb testing.TB, before map[privacy.RecordID]retention.Schedule) {
	tb.Helper()
	proofs := map[privacy.RecordID]int{}
	for _, sid := range w.ids {
		ps, err := w.r.Proofs(w.ctx, sid)
		if err != nil {
			tb.Fatal(err)
		}
		for _, p := range ps {
			proofs[p.Record]++
		}
	}
	events := map[string]int{}
	for ev, err := range w.store.Events(w.ctx, 1) {
		if err != nil {
			tb.Fatal(err)
		}
		if ev.Action == privacy.EventDelete {
			events[ev.Object]++
		}
	}
	for id, s := range before {
		_, err := w.d.Record(w.ctx, id)
		if errors.Is(err, privacy.ErrNotFound) {
			_, err = w.store.MedicalRecord(w.ctx, id)
		}
		gone := errors.Is(err, privacy.ErrNotFound)
		want := 0
		if gone {
			want = 1
		}
		if proofs[id] != want || events[string(id)] != want {
			tb.Errorf("%v: gone %t, %d proofs and %d delete events, want %d", s, gone, proofs[id], events[string(id)], want)
		}
	}
}

// oneByOne hides a store's [retention.BatchStore] method, so that a
// sweep deletes one record per [retention.Store.EraseRecord].
type oneByOne struct{ retention.Store }

// TestSweepKilledHalfway kills a sweep after some deletions (the store
// fails the next write) and shows that a second run finishes the job
// exactly: every due record gone, each with one proof, nothing else gone.
// It runs the sweep one record at a time and in batches
// ([retention.BatchStore]), where the failure takes its whole batch back.
func TestSweepKilledHalfway(t *testing.T) {
	for _, batched := range []bool{false, true} {
		for _, kill := range []int{0, 1, 5, 17} {
			name := fmt.Sprint("one_by_one/after", kill)
			if batched {
				name = fmt.Sprint("batched/after", kill)
			}
			t.Run(name, func(t *testing.T) {
				rng := rand.New(rand.NewPCG(42, uint64(kill)))
				w := newWorld(t, rng, 80, privacy.Strict())
				if !batched {
					r, err := retention.New(oneByOne{w.store}, privacy.Strict(), &retention.Options{BatchSize: 7, PageSize: 5})
					if err != nil {
						t.Fatal(err)
					}
					w.r = r
				}
				now := epoch.Add(8 * 365 * 24 * time.Hour)
				before := w.state(t, now)
				due := 0
				for _, s := range before {
					if s.IsDue() {
						due++
					}
				}
				if due <= kill {
					t.Fatalf("only %d records due; the test needs more than %d", due, kill)
				}
				// Each deletion writes three rows: the deletion, the proof,
				// the audit event. Fail in the middle of deletion kill+1.
				w.store.FailAfter(3*kill + 1)
				rep, err := w.r.Sweep(w.ctx, sweeper, now)
				if !errors.Is(err, privacy.ErrUnavailable) {
					t.Fatalf("killed Sweep: err = %v, want ErrUnavailable", err)
				}
				killed := rep.Erased
				if !batched && killed != kill || batched && killed > kill {
					t.Errorf("killed Sweep erased %d, want %d (at most, batched)", rep.Erased, kill)
				}
				w.checkProofs(t, before)
				rep, err = w.r.Sweep(w.ctx, sweeper, now)
				if err != nil {
					t.Fatalf("second Sweep: %v", err)
				}
				if rep.Erased != due-killed {
					t.Errorf("second Sweep erased %d, want %d", rep.Erased, due-killed)
				}
				after := w.state(t, now)
				for id, s := range before {
					if _, still := after[id]; still == s.IsDue() {
						t.Errorf("%v: still there = %t after two sweeps", s, still)
					}
				}
				w.checkProofs(t, before)
			})
		}
	}
}

// TestSweepErrors checks bad input: typed errors, nothing deleted.
func TestSweepErrors(t *testing.T) {
	store := memstore.New()
	r, err := retention.New(store, privacy.Strict(), nil)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if _, err := r.Sweep(ctx, privacy.Principal{}, epoch); !errors.Is(err, privacy.ErrInvalid) {
		t.Errorf("Sweep(no principal) = %v, want ErrInvalid", err)
	}
	if _, err := r.Sweep(ctx, sweeper, time.Time{}); !errors.Is(err, privacy.ErrInvalid) {
		t.Errorf("Sweep(zero time) = %v, want ErrInvalid", err)
	}
	if _, err := retention.New(nil, privacy.Strict(), nil); !errors.Is(err, privacy.ErrInvalid) {
		t.Errorf("New(nil store) = %v, want ErrInvalid", err)
	}
	if _, err := retention.New(store, privacy.Strict(), &retention.Options{BatchSize: -1}); !errors.Is(err, privacy.ErrInvalid) {
		t.Errorf("New(negative batch) = %v, want ErrInvalid", err)
	}
	if _, err := r.Schedules(ctx, "no body", epoch); !errors.Is(err, privacy.ErrInvalid) {
		t.Errorf("Schedules(malformed) = %v, want ErrInvalid", err)
	}
	if _, err := r.Schedules(ctx, "nobody", epoch); !errors.Is(err, privacy.ErrNotFound) {
		t.Errorf("Schedules(missing) = %v, want ErrNotFound", err)
	}
	for _, err := range r.Plan(ctx, sweeper, time.Time{}) {
		if !errors.Is(err, privacy.ErrInvalid) {
			t.Errorf("Plan(zero time) = %v, want ErrInvalid", err)
		}
	}
	ctxDone, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := r.Sweep(ctxDone, sweeper, epoch); !errors.Is(err, privacy.ErrUnavailable) {
		t.Errorf("Sweep(cancelled) = %v, want ErrUnavailable", err)
	}
}
