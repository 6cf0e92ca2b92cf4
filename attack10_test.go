package dossierwacht_test

// A tenth attack review through the public API, of the front door. Each
// subtest of TestAttack10 failed on the code it was written against; its
// name names the rule.

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/dossierwacht/dossierwacht"
	"github.com/dossierwacht/dossierwacht/access"
	"github.com/dossierwacht/dossierwacht/consent"
	"github.com/dossierwacht/dossierwacht/memstore"
	"github.com/dossierwacht/dossierwacht/privacy"
	"github.com/dossierwacht/dossierwacht/retention"
	"github.com/dossierwacht/dossierwacht/rights"
)

// call runs f and turns a panic into a test error.
func call(f func() error) (panicked any, err error) {
	defer func() {
		if r := recover(); r != nil {
			panicked = r
		}
	}()
	return nil, f()
}

func TestAttack10(t *testing.T) {
	// Rule O1 (bad input: a typed error, never a panic, nothing changed):
	// a nil context made every verb panic deep in the store (memstore's
	// ctx.Err()), some after an audit event was written. It fails with
	// privacy.ErrInvalid before anything is read or written.
	t.Run("NilContextTypedErrorO1", func(t *testing.T) {
		var nilCtx context.Context
		w := newWorld(t)
		all := map[string]func() error{
			"Ping":       func() error { return w.svc.Ping(nilCtx) },
			"Checkpoint": func() error { return w.svc.Checkpoint(nilCtx) },
		}
		for _, v := range verbs {
			for _, role := range []privacy.Role{privacy.RoleCaseManager, privacy.RoleEmployerContact, privacy.RolePrivacyOfficer, privacy.RoleSubject} {
				all[v.name+"/"+string(role)] = func() error { return v.do(nilCtx, w, w.actors[role]) }
			}
		}
		before := len(w.events(t))
		for name, f := range all {
			p, err := call(f)
			if p != nil || !errors.Is(err, privacy.ErrInvalid) {
				t.Errorf("%s(nil context): error %v, panic %v; want privacy.ErrInvalid", name, err, p)
			}
		}
		if n := len(w.events(t)) - before; n != 0 {
			t.Errorf("calls with a nil context wrote %d audit events", n)
		}
	})

	// Rule O1 (bad input: a typed error, never a panic): a Service that
	// Open did not build — a zero Service{} or a nil *Service — fails
	// every verb with privacy.ErrInvalid instead of panicking.
	t.Run("ZeroServiceTypedErrorO1", func(t *testing.T) {
		ctx := context.Background()
		for _, svc := range []*dossierwacht.Service{{}, nil} {
			w := newWorld(t)
			a := w.actors[privacy.RoleCaseManager]
			all := map[string]func() error{
				"Ping":       func() error { return svc.Ping(ctx) },
				"Checkpoint": func() error { return svc.Checkpoint(ctx) },
				"Statement":  func() error { return svc.Statement(&bytes.Buffer{}, nil) },
				"Register":   func() error { return svc.Register(&bytes.Buffer{}, nil) },
				"Policy": func() error {
					if svc.Policy() != nil {
						return errors.New("a policy from nowhere")
					}
					return privacy.ErrInvalid
				},
				"Cases":          func() error { _, err := svc.Cases(ctx, a, anna); return err },
				"ListCases":      func() error { _, err := svc.ListCases(ctx, a, dossierwacht.CaseQuery{}); return err },
				"Disclose":       func() error { _, err := svc.Disclose(ctx, a, consent.Request{}); return err },
				"RevokeConsent":  func() error { _, err := svc.RevokeConsent(ctx, a, "g-1"); return err },
				"RecordCoverage": func() error { _, err := svc.RecordCoverage(ctx, a, consent.Coverage{}); return err },
				"EndCoverage":    func() error { _, err := svc.EndCoverage(ctx, a, "cov-1"); return err },
				"ExtendRequest":  func() error { _, err := svc.ExtendRequest(ctx, a, "req-1", "x"); return err },
				"RefuseRequest":  func() error { _, err := svc.RefuseRequest(ctx, a, "req-1", "", "x"); return err },
				"ConfirmRequest": func() error { _, err := svc.ConfirmRequest(ctx, a, "req-1", "x"); return err },
				"Rectify":        func() error { _, err := svc.Rectify(ctx, a, "req-1", nil, "x"); return err },
				"Erase":          func() error { _, err := svc.Erase(ctx, a, "req-1", "x"); return err },
				"Restrict":       func() error { _, err := svc.Restrict(ctx, a, "req-1", "x"); return err },
				"LiftHold":       func() error { return svc.LiftHold(ctx, a, "hold-1", "x") },
				"RequestErasure": func() error { _, err := svc.RequestErasure(ctx, a, retention.Erasure{}); return err },
				"PlanSweep":      func() error { _, err := svc.PlanSweep(ctx, a); return err },
				"GroupFigure":    func() error { _, err := svc.GroupFigure(ctx, a, access.GroupRequest{}); return err },
				"ObjectProofs":   func() error { _, err := svc.ObjectProofs(ctx, a, anna); return err },
			}
			w.svc = svc
			for _, v := range verbs {
				all[v.name] = func() error { return v.do(ctx, w, a) }
			}
			for name, f := range all {
				p, err := call(f)
				if p != nil || !errors.Is(err, privacy.ErrInvalid) {
					t.Errorf("%T(%v).%s: error %v, panic %v; want privacy.ErrInvalid", svc, svc == nil, name, err, p)
				}
			}
		}
	})
}

// openWith is a world as newWorld's, under policy p; ok is false when
// Open refuses p, with the error.
func openWith(t *testing.T, p *privacy.Policy) (*world, error) {
	t.Helper()
	w := &world{store: memstore.New(), now: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)}
	var err error
	w.svc, err = dossierwacht.Open(context.Background(), w.store, p, &dossierwacht.Options{Clock: func() time.Time { return w.now }})
	if err != nil {
		return nil, err
	}
	ref := newWorld(t)
	w.actors = ref.actors
	ctx := context.Background()
	carla := w.actors[privacy.RoleCaseManager]
	must(t, w.svc.RegisterSubject(ctx, carla, privacy.Subject{ID: anna, Employer: bakery}))
	must(t, w.svc.OpenCase(ctx, carla, privacy.Case{ID: case1, Subject: anna, Kind: privacy.CaseAbsence,
		Purpose: privacy.PurposeAbsenceGuidance, Contract: contract}))
	must(t, w.svc.AddRecords(ctx, carla, record("r-note", privacy.CategoryNotes, privacy.FieldText, "call on Friday")))
	return w, nil
}

func TestAttack10Policy(t *testing.T) {
	ctx := context.Background()

	// Rule N8 (Civil Code 7:455: a medical file is destroyed within 3
	// months of the patient's request): a policy without a medical
	// erasure period passed Validate, and under it the subject's granted
	// erasure of a medical file failed with ErrInvalid: the request could
	// never be carried out. Such a policy is refused at Open.
	t.Run("NoMedicalErasurePeriodN8", func(t *testing.T) {
		for _, p := range []*privacy.Policy{privacy.Strict(), privacy.RegulationO(), privacy.RegulationR()} {
			p.Requests.MedicalErasure = nil
			w, err := openWith(t, p)
			if err != nil {
				if !errors.Is(err, privacy.ErrInvalid) || privacy.RuleOf(err) != privacy.N8 {
					t.Errorf("%s: Open = %v, want privacy.ErrInvalid naming N8", p.Name, err)
				}
				continue
			}
			dirk := w.actors[privacy.RolePhysician]
			must(t, w.svc.AddRecords(ctx, dirk, record("r-med", privacy.CategoryMedical, privacy.FieldText, "diagnosis")))
			file(t, w, "req-erase", rights.KindErasure, "r-med")
			if _, err := w.svc.Erase(ctx, w.actors[privacy.RolePrivacyOfficer], "req-erase", "granted"); err != nil {
				t.Errorf("%s without a medical erasure period: the granted erasure of a medical file fails: %v", p.Name, err)
			}
		}
	})
}

// sweepFirst is a store whose PlaceHold lets another verb (a sweep, a
// change) run to its end before the hold reaches the store: the
// interleaving of a hold and a verb that run at once, with the hold's
// time taken first.
type sweepFirst struct {
	*memstore.Store
	sweep func()
}

func (s *sweepFirst) PlaceHold(ctx context.Context, h retention.Hold, e privacy.Event) error {
	if f := s.sweep; f != nil {
		s.sweep = nil
		f()
	}
	return s.Store.PlaceHold(ctx, h, e)
}

func TestAttack10Race(t *testing.T) {
	ctx := context.Background()

	// Rule G3 (no record in a hold's scope is deleted while it stands):
	// a hold placed while a sweep runs took its time first, the sweep
	// deleted the subject's due record after it, and then the hold was
	// stored: the trail showed a proof of deletion dated after a standing
	// hold over the record was placed — a deletion under a legal hold on
	// the record's own evidence. The store refuses a hold placed behind a
	// deletion in its scope (ErrConflict, as R4 and R6 are kept), and the
	// officer places it again.
	t.Run("HoldPlacedBehindASweepsDeletionG3", func(t *testing.T) {
		store := &sweepFirst{Store: memstore.New()}
		w := openWorld(t, store.Store, dossierwacht.Options{})
		var err error
		w.svc, err = dossierwacht.Open(ctx, store, privacy.Strict(), &dossierwacht.Options{Clock: func() time.Time { return w.now }})
		must(t, err)
		olga := w.actors[privacy.RolePrivacyOfficer]
		_, err = w.svc.RequestErasure(ctx, olga, retention.Erasure{ID: "e-1", Subject: anna, Rule: privacy.O13, Records: []privacy.RecordID{"r-note"},
			Received: w.now.Add(-time.Hour), Decided: w.now})
		must(t, err)
		w.now = w.now.Add(time.Hour)
		store.sweep = func() {
			w.now = w.now.Add(time.Minute) // the sweep starts after the hold took its time
			if _, err := w.svc.Sweep(ctx, olga); err != nil {
				t.Errorf("sweep: %v", err)
			}
		}
		hold, err := w.svc.PlaceHold(ctx, olga, retention.Hold{ID: "hold-1", Subject: anna, Ground: retention.GroundLegalClaim, Reason: "case C/16/1"})
		if err != nil {
			if !errors.Is(err, privacy.ErrConflict) {
				t.Fatalf("PlaceHold = %v, want placed or privacy.ErrConflict", err)
			}
			// Placed again, it is dated after the deletion.
			w.now = w.now.Add(time.Minute)
			hold, err = w.svc.PlaceHold(ctx, olga, retention.Hold{ID: "hold-1", Subject: anna, Ground: retention.GroundLegalClaim, Reason: "case C/16/1"})
			must(t, err)
		}
		proofs, err := w.svc.Proofs(ctx, olga, anna)
		must(t, err)
		if len(proofs) == 0 {
			t.Fatal("the sweep deleted nothing: the test does not test")
		}
		for _, p := range proofs {
			if hold.Covers(p.Case, p.Record) && p.Deleted.After(hold.Placed) {
				t.Errorf("G3: record %s deleted at %v under hold %s placed at %v", p.Record, p.Deleted, hold.ID, hold.Placed)
			}
		}
	})

	// Rule G3 (held data stays as it was) and GDPR art. 18(2) (restricted
	// data is only stored): a hold placed while a record of its scope is
	// changed took its time first, the change was stored after that time,
	// and then the hold: the record's own dates show it changed under a
	// standing hold. The store refuses a hold placed behind a change in
	// its scope, as behind a deletion.
	t.Run("HoldPlacedBehindAChangeG3", func(t *testing.T) {
		store := &sweepFirst{Store: memstore.New()}
		w := openWorld(t, store.Store, dossierwacht.Options{})
		var err error
		w.svc, err = dossierwacht.Open(ctx, store, privacy.Strict(), &dossierwacht.Options{Clock: func() time.Time { return w.now }})
		must(t, err)
		olga, carla := w.actors[privacy.RolePrivacyOfficer], w.actors[privacy.RoleCaseManager]
		w.now = w.now.Add(time.Hour)
		store.sweep = func() {
			w.now = w.now.Add(time.Minute)
			must(t, w.svc.UpdateRecord(ctx, carla, record("r-note", privacy.CategoryNotes, privacy.FieldText, "call on Monday")))
		}
		hold, err := w.svc.PlaceHold(ctx, olga, retention.Hold{ID: "hold-1", Subject: anna, Ground: retention.GroundLegalClaim, Reason: "case C/16/1"})
		if err != nil {
			if !errors.Is(err, privacy.ErrConflict) {
				t.Fatalf("PlaceHold = %v, want placed or privacy.ErrConflict", err)
			}
			return
		}
		for r, err := range store.CaseRecords(ctx, case1) {
			must(t, err)
			if hold.Covers(r.Case, r.ID) && (r.Updated.After(hold.Placed) || r.Created.After(hold.Placed)) {
				t.Errorf("G3: record %s changed at %v under hold %s placed at %v", r.ID, r.Updated, hold.ID, hold.Placed)
			}
		}
	})
}

func TestAttack10Clock(t *testing.T) {
	ctx := context.Background()

	// Rules N7, R9, O12 (statutory minimums are never shortened): the
	// Service's time never goes back, so one reading of a clock that
	// jumped forward (a faulty time server, a host clock set to 2099 for
	// a moment) dates every later operation at that time: the next
	// nightly sweep runs in 2099 and deletes, irreversibly and with
	// proofs, every record whose retention ends before then.
	t.Run("OneClockGlitchSweepsEverythingN7", func(t *testing.T) {
		w := newWorld(t)
		olga := w.actors[privacy.RolePrivacyOfficer]
		must(t, w.svc.CloseCase(ctx, w.actors[privacy.RoleCaseManager], case1))
		real := w.now
		w.now = time.Date(2099, 1, 1, 0, 0, 0, 0, time.UTC) // one bad reading
		if _, err := w.svc.View(ctx, w.actors[privacy.RoleCaseManager], case1, privacy.PurposeAbsenceGuidance); err != nil {
			t.Fatal(err)
		}
		w.now = real.Add(time.Hour) // the clock is right again
		before := len(w.events(t))
		rep, err := w.svc.Sweep(ctx, olga)
		if rep.Erased > 0 {
			t.Fatalf("after one clock reading in 2099 a sweep an hour after closing deleted %d records", rep.Erased)
		}
		if !errors.Is(err, privacy.ErrConflict) || privacy.RuleOf(err) != privacy.O12 {
			t.Fatalf("sweep on a time the clock does not confirm: %v, want ErrConflict under O12", err)
		}
		if _, err := w.store.Record(ctx, "r-note"); err != nil {
			t.Errorf("r-note is gone: %v", err)
		}
		evs := w.events(t)
		if len(evs) != before+1 || evs[len(evs)-1].Outcome != privacy.OutcomeDenied || evs[len(evs)-1].Rule != privacy.O12 {
			t.Errorf("the refused sweep is not audited as one denial under O12: %d events after %d", len(evs), before)
		}
		// A clock within the slack of ordinary corrections sweeps.
		w.now = time.Date(2099, 1, 1, 0, 0, 0, 0, time.UTC).Add(-30 * time.Second)
		if _, err := w.svc.Sweep(ctx, olga); err != nil {
			t.Errorf("a sweep with the clock 30 s behind the Service's time: %v", err)
		}
	})
}

func TestAttack10Disclose(t *testing.T) {
	ctx := context.Background()

	// Rules R6, O6, O9, N10: the recipient's kind is the caller's word.
	// A disclosure to the employer that commissioned the case, declared
	// as the UWV, went out on the SUWI statute — the medical file
	// included — where the same employer, declared as what the case's
	// contract says it is, receives only the physician's advice (N2).
	// The commissioning party of the case is refused under any other
	// kind.
	t.Run("EmployerDeclaredAsUWVR6", func(t *testing.T) {
		w := newWorld(t)
		dirk := w.actors[privacy.RolePhysician]
		must(t, w.svc.AddRecords(ctx, dirk, record("r-med", privacy.CategoryMedical, privacy.FieldText, "diagnosis")))
		for _, kind := range []privacy.PartyKind{privacy.PartyUWV, privacy.PartyThirdParty, privacy.PartyReintegrationCompany} {
			req := toUWV(consent.DisclosureID("d-"+string(kind)), case1, consent.Item{Category: privacy.CategoryMedical},
				consent.Item{Category: privacy.CategoryNotes})
			req.Recipient = consent.Recipient{Party: bakery, Kind: kind}
			d, err := w.svc.Disclose(ctx, dirk, req)
			if err == nil || len(d.Records) > 0 {
				t.Errorf("the case's employer declared as %s receives %d records (%v)", kind, len(d.Records), err)
			}
		}
	})
}

func TestAttack10Hidden(t *testing.T) {
	ctx := context.Background()

	// Rule O10 (hidden and missing alike): the bakery's contact reports
	// the end of employment of zoe, known to the service only from her
	// consultation-hour visit, with a date before the service registered
	// her, or while her processing is restricted: the answer was an error
	// naming O8 (or the restriction), where the same report about a person
	// the service does not know is accepted. The employer learned that zoe
	// saw the company doctor. Both are now answered alike, and the trail
	// says what happened (N9).
	t.Run("EndOfEmploymentRefusalRevealsAConsultationO10", func(t *testing.T) {
		w := newWorld(t)
		zoeFromConsultation(t, w)
		registered := w.now
		w.now = w.now.Add(time.Hour)
		bert := w.actors[privacy.RoleEmployerContact]
		before := len(w.events(t))
		known := w.svc.EndEmployment(ctx, bert, "zoe", registered.Add(-24*time.Hour))
		unknown := w.svc.EndEmployment(ctx, bert, "yara", registered.Add(-24*time.Hour))
		if fmt.Sprint(known) != fmt.Sprint(unknown) {
			t.Errorf("end of employment before registration: of zoe (known only from a consultation) %v; of an unknown person %v", known, unknown)
		}
		if n := len(w.events(t)) - before; n != 2 {
			t.Errorf("N9: the two reports wrote %d audit events, want 2", n)
		}
		if sub, err := w.store.Subject(ctx, "zoe"); err != nil || !sub.EmploymentEnded.IsZero() {
			t.Errorf("zoe's employment recorded as ended: %v, %v", sub.EmploymentEnded, err)
		}
	})

	// Rule O10 (not from the work done): an employer listing the cases of
	// zoe, known only from her consultation-hour visit, got the same empty
	// answer as for a person the service does not know, but a registered
	// subject cost the store the reads of her restrictions and her consent
	// grants, and an unknown one did not: the time of the answer told the
	// employer that the service knows zoe. Both now cost the same reads.
	t.Run("ListingCostTellsARegisteredSubjectO10", func(t *testing.T) {
		store := &countingStore{Store: memstore.New()}
		w := openWorld(t, store.Store, dossierwacht.Options{})
		var err error
		w.svc, err = dossierwacht.Open(ctx, store, privacy.Strict(), &dossierwacht.Options{Clock: func() time.Time { return w.now }})
		must(t, err)
		zoeFromConsultation(t, w)
		bert := w.actors[privacy.RoleEmployerContact]
		list := func(s privacy.SubjectID) (int64, []dossierwacht.ListedCase, error) {
			before := store.calls.Load()
			l, err := w.svc.ListCases(ctx, bert, dossierwacht.CaseQuery{Subjects: []privacy.SubjectID{s}})
			return store.calls.Load() - before, l, err
		}
		kn, kl, kerr := list("zoe")
		un, ul, uerr := list("yara")
		if len(kl) != 0 || len(ul) != 0 || kerr != nil || uerr != nil {
			t.Fatalf("listings: zoe %v %v, yara %v %v", kl, kerr, ul, uerr)
		}
		if kn != un {
			t.Errorf("listing zoe (known only from a consultation) costs %d reads, an unknown person %d", kn, un)
		}
	})
}
