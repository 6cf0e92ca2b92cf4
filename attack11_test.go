package dossierwacht_test

import (
	"context"
	"errors"
	"testing"
	"time"

	dossierwacht "github.com/dossierwacht/dossierwacht"
	"github.com/dossierwacht/dossierwacht/privacy"
	"github.com/dossierwacht/dossierwacht/retention"
	"github.com/dossierwacht/dossierwacht/rights"
)

// Rules N7, R9, O12 (statutory minimums are never shortened): the sweep's
// clock guard (O12) refuses a sweep while the clock reads behind the
// Service's time, but the other verbs that delete decide on that same
// time. After one clock reading in 2099, an erasure an hour after the case
// closed deletes the wage data the fiscal seven years (AWR art. 52(4))
// keep, as if 2099 had come.
func TestAttack11EraseOnGlitchedClockN7(t *testing.T) {
	ctx := context.Background()
	for _, how := range []string{"Erase", "RequestErasure"} {
		t.Run(how, func(t *testing.T) {
			for _, glitch := range []bool{false, true} {
				w := newWorld(t)
				carla, olga := w.actors[privacy.RoleCaseManager], w.actors[privacy.RolePrivacyOfficer]
				must(t, w.svc.AddRecords(ctx, carla, record("r-job", privacy.CategoryEmployment, privacy.FieldJob, "baker")))
				must(t, w.svc.CloseCase(ctx, carla, case1))
				real := w.now
				if glitch {
					w.now = time.Date(2099, 1, 1, 0, 0, 0, 0, time.UTC) // one bad reading
					if _, err := w.svc.View(ctx, carla, case1, privacy.PurposeAbsenceGuidance); err != nil && !errors.Is(err, privacy.ErrForbidden) {
						t.Fatal(err)
					}
				}
				w.now = real.Add(time.Hour) // the clock is right again
				var err error
				switch how {
				case "Erase":
					_, err = w.svc.FileRequest(ctx, w.actors[privacy.RoleSubject], rights.Filing{ID: "req-erase", Subject: anna,
						Kind: rights.KindErasure, Form: rights.FormWritten, Document: "letter-1"})
					must(t, err)
					_, err = w.svc.Erase(ctx, olga, "req-erase", "granted")
				case "RequestErasure":
					_, err = w.svc.RequestErasure(ctx, olga, retention.Erasure{ID: "er-1", Subject: anna, Rule: privacy.R9, Received: w.now})
				}
				t.Logf("glitch=%v: %s: %v", glitch, how, err)
				if glitch {
					// The sweep is refused (O12); the statutory record must stay.
					if _, err := w.svc.Sweep(ctx, olga); !errors.Is(err, privacy.ErrConflict) {
						t.Errorf("sweep on a glitched clock: %v, want ErrConflict (O12)", err)
					}
				}
				if _, err := w.store.Record(ctx, "r-job"); err != nil {
					t.Errorf("glitch=%v: the wage record, kept 7 years from the end of 2026 by AWR art. 52(4), is gone an hour after its case closed: %v",
						glitch, err)
				}
			}
		})
	}
}

// Rules G3, O12 (PlanSweep is the sweep's dry run): the clock guard's
// way out of a clock that jumped ahead is "a restarted Service that reads
// a clock that is right", but what the first Service wrote meanwhile is
// dated on the jumped time. A legal hold placed then has Placed in 2099:
// the stores still refuse to delete what it holds (they read every
// unlifted hold as standing), but the engine (Hold.ActiveAt) does not see
// it stand, so PlanSweep lists the held records as due, without their
// hold, while Sweep deletes none of them (Held: 2).
func TestAttack11HoldPlacedOnGlitchedClockG3(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t)
	carla, olga := w.actors[privacy.RoleCaseManager], w.actors[privacy.RolePrivacyOfficer]
	must(t, w.svc.CloseCase(ctx, carla, case1))
	must(t, w.svc.EndEmployment(ctx, carla, anna, w.now))
	real := w.now
	w.now = time.Date(2099, 1, 1, 0, 0, 0, 0, time.UTC) // one bad reading
	_, _ = w.svc.View(ctx, carla, case1, privacy.PurposeAbsenceGuidance)
	w.now = real.Add(time.Hour) // the clock is right again
	h, err := w.svc.PlaceHold(ctx, olga, retention.Hold{ID: "hold-1", Subject: anna, Case: case1, Ground: retention.GroundLegalClaim,
		Reason: "docket-1"})
	if err != nil {
		t.Fatalf("PlaceHold: %v", err)
	}
	// The sweep is refused until the clock catches up; the operator
	// restarts the Service, as the refusal says.
	svc, err := dossierwacht.Open(ctx, w.store, privacy.Strict(), &dossierwacht.Options{Clock: func() time.Time { return w.now }})
	must(t, err)
	w.now = real.AddDate(10, 0, 0) // the records' periods have run; the hold stands
	plan, err := svc.PlanSweep(ctx, olga)
	must(t, err)
	rep, err := svc.Sweep(ctx, olga)
	must(t, err)
	if _, err := w.store.Record(ctx, "r-note"); err != nil {
		t.Errorf("r-note, under legal hold %s, is deleted: %v", h.ID, err)
	}
	for _, s := range plan.Records {
		if s.Hold == "" {
			t.Errorf("PlanSweep lists %s as deleted (%s), under standing hold %s (placed %s by the Service's time); Sweep erased %d, held %d",
				s.Record, s.Reason, h.ID, h.Placed.Format(time.RFC3339), rep.Erased, rep.Held)
		}
	}
}

// Rules R11, O13 (a request is answered), O12: an open request is kept 2
// years from the end of its deadline, and its deadline runs from its
// receipt; a written request received long ago and filed only now (a
// letter found in a backlog; the subject need not be known) is due at
// once. The very next sweep erases the open request the desk filed
// minutes before, never answered: the answer in progress is lost.
func TestAttack11BackdatedOpenRequestR11(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t)
	olga := w.actors[privacy.RolePrivacyOfficer]
	r, err := w.svc.FileRequest(ctx, olga, rights.Filing{ID: "req-old", Subject: "stranger", Kind: rights.KindAccess,
		Form: rights.FormWritten, Document: "letter-old", Received: w.now.AddDate(-3, 0, 0)})
	must(t, err)
	w.now = w.now.Add(time.Hour)
	_, err = w.svc.Sweep(ctx, olga)
	must(t, err)
	if _, err := w.store.Request(ctx, r.ID); err != nil {
		t.Errorf("request %s, filed an hour ago and open (deadline %s), is erased by the next sweep: %v", r.ID, r.Due.Date, err)
	}
}
