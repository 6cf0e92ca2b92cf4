package retention_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/dossierwacht/dossierwacht/memstore"
	"github.com/dossierwacht/dossierwacht/privacy"
	"github.com/dossierwacht/dossierwacht/retention"
)

// trail returns the store's audit events after sequence number after.
func trail(t *testing.T, store *memstore.Store, after uint64) []privacy.Event {
	t.Helper()
	var out []privacy.Event
	for e, err := range store.Events(context.Background(), after+1) {
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, e)
	}
	return out
}

func lastSeq(t *testing.T, store *memstore.Store) uint64 {
	t.Helper()
	es := trail(t, store, 0)
	if len(es) == 0 {
		return 0
	}
	return es[len(es)-1].Seq
}

// TestRoleGate: only the privacy officer places and lifts holds (G3),
// grants and carries out erasures (O13) and runs sweeps and their dry
// runs (O12). Anyone else, an employer contact included, is refused with
// the rule, the refusal audited as a denial, and nothing changes.
func TestRoleGate(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2026, time.March, 2, 6, 0, 0, 0, time.UTC) // the note is due (O12)
	officer := privacy.Principal{ID: "privacy-officer", Role: privacy.RolePrivacyOfficer}
	others := []privacy.Principal{
		{ID: "employer-contact-1", Role: privacy.RoleEmployerContact, Party: "employer-1"},
		{ID: "cm-1", Role: privacy.RoleCaseManager, Secrecy: privacy.SecrecyAgreement},
		{ID: "doc-1", Role: privacy.RolePhysician, Secrecy: privacy.SecrecyProfessional, MultiFactor: true},
		{ID: "admin-1", Role: privacy.RoleAdministrator},
		{ID: "insurer-1", Role: privacy.RoleInsurer, Party: "insurer-1"},
		{ID: "support-1", Role: privacy.RoleSupportStaff, Secrecy: privacy.SecrecyAgreement},
		{ID: "employee-1", Role: privacy.RoleSubject, Subject: "employee-1"},
	}
	hold := retention.Hold{ID: "hold-1", Subject: "employee-1", Case: "case-1", Ground: retention.GroundLegalClaim,
		Reason: "court case C/16/2026/17"}
	erasure := retention.Erasure{ID: "erasure-1", Subject: "employee-1", Records: []privacy.RecordID{"rec-note"},
		Rule: privacy.O13, Received: now.Add(-time.Hour)}
	// setup prepares what the step needs, as the officer.
	steps := []struct {
		name   string
		rule   privacy.RuleID
		action privacy.EventAction
		setup  func(*retention.Keeper) error
		do     func(*retention.Keeper, privacy.Principal) error
	}{
		{"G3_place_hold", privacy.G3, privacy.EventCreate, nil,
			func(r *retention.Keeper, by privacy.Principal) error {
				_, err := r.PlaceHold(ctx, by, hold, now)
				return err
			}},
		{"G3_lift_hold", privacy.G3, privacy.EventUpdate,
			func(r *retention.Keeper) error {
				_, err := r.PlaceHold(ctx, officer, hold, now.Add(-time.Hour))
				return err
			},
			func(r *retention.Keeper, by privacy.Principal) error {
				return r.LiftHold(ctx, by, "hold-1", "judgment final", now)
			}},
		{"O13_request_erasure", privacy.O13, privacy.EventExecute, nil,
			func(r *retention.Keeper, by privacy.Principal) error {
				_, err := r.RequestErasure(ctx, by, erasure, now)
				return err
			}},
		{"O13_erase", privacy.O13, privacy.EventDelete,
			func(r *retention.Keeper) error {
				_, err := r.RequestErasure(ctx, officer, erasure, now.Add(-time.Minute))
				return err
			},
			func(r *retention.Keeper, by privacy.Principal) error {
				_, err := r.Erase(ctx, by, "employee-1", "erasure-1", now)
				return err
			}},
		{"O12_sweep", privacy.O12, privacy.EventExecute, nil,
			func(r *retention.Keeper, by privacy.Principal) error {
				_, err := r.Sweep(ctx, by, now)
				return err
			}},
		{"O12_plan", privacy.O12, privacy.EventSearch, nil,
			func(r *retention.Keeper, by privacy.Principal) error {
				n := 0
				for s, err := range r.Plan(ctx, by, now) {
					if err != nil {
						return err
					}
					if s.IsDue() {
						n++
					}
				}
				if n == 0 {
					return errors.New("the plan yielded nothing due")
				}
				return nil
			}},
	}
	for _, st := range steps {
		for _, by := range others {
			t.Run(st.name+"/"+string(by.Role), func(t *testing.T) {
				store, _ := exampleWorld(ctx)
				r, err := retention.New(store, privacy.Strict(), nil)
				if err != nil {
					t.Fatal(err)
				}
				if st.setup != nil {
					if err := st.setup(r); err != nil {
						t.Fatalf("setup: %v", err)
					}
				}
				before := lastSeq(t, store)
				d0, err := store.Dossier(ctx, "employee-1")
				if err != nil {
					t.Fatal(err)
				}
				err = st.do(r, by)
				if !errors.Is(err, privacy.ErrForbidden) || privacy.RuleOf(err) != st.rule {
					t.Fatalf("%s by %s = %v, want ErrForbidden naming %s", st.name, by.Role, err, st.rule)
				}
				evs := trail(t, store, before)
				if len(evs) != 1 {
					t.Fatalf("the refusal left %d audit events, want 1 denial: %+v", len(evs), evs)
				}
				if e := evs[0]; e.Outcome != privacy.OutcomeDenied || e.Principal != by.ID || e.Role != by.Role ||
					e.Rule != st.rule || e.Action != st.action || !e.Time.Equal(now) || e.Policy == "" {
					t.Errorf("denial event = %+v", e)
				}
				d1, err := store.Dossier(ctx, "employee-1")
				if err != nil {
					t.Fatal(err)
				}
				if len(d1.Holds) != len(d0.Holds) || len(d1.Erasures) != len(d0.Erasures) || d1.Records() != d0.Records() ||
					(len(d1.Holds) > 0 && !d1.Holds[0].Lifted.IsZero()) {
					t.Errorf("a refused %s changed the dossier", st.name)
				}
				if ps, _ := store.Proofs(ctx, "employee-1"); len(ps) != 0 {
					t.Errorf("a refused %s left %d proofs", st.name, len(ps))
				}
			})
		}
		t.Run(st.name+"/privacy-officer", func(t *testing.T) {
			store, _ := exampleWorld(ctx)
			r, err := retention.New(store, privacy.Strict(), nil)
			if err != nil {
				t.Fatal(err)
			}
			if st.setup != nil {
				if err := st.setup(r); err != nil {
					t.Fatalf("setup: %v", err)
				}
			}
			if err := st.do(r, officer); err != nil {
				t.Errorf("%s by the privacy officer: %v", st.name, err)
			}
		})
	}
}

// TestRoleGateAuditFails: a refusal that cannot be audited fails closed,
// as unavailable under G7, and still changes nothing.
func TestRoleGateAuditFails(t *testing.T) {
	ctx := context.Background()
	store, _ := exampleWorld(ctx)
	r, err := retention.New(store, privacy.Strict(), nil)
	if err != nil {
		t.Fatal(err)
	}
	employer := privacy.Principal{ID: "employer-contact-1", Role: privacy.RoleEmployerContact, Party: "employer-1"}
	store.FailAfter(0)
	_, err = r.Sweep(ctx, employer, time.Date(2026, time.March, 2, 6, 0, 0, 0, time.UTC))
	store.FailAfter(-1)
	if !errors.Is(err, privacy.ErrUnavailable) || privacy.RuleOf(err) != privacy.G7 {
		t.Errorf("Sweep(employer, audit fails) = %v, want ErrUnavailable naming G7", err)
	}
}

// TestRoleGateRegulationR: under a policy of regulation R alone an
// erasure is refused under R9.
func TestRoleGateRegulationR(t *testing.T) {
	ctx := context.Background()
	store, _ := exampleWorld(ctx)
	r, err := retention.New(store, privacy.RegulationR(), nil)
	if err != nil {
		t.Fatal(err)
	}
	cm := privacy.Principal{ID: "cm-1", Role: privacy.RoleCaseManager, Secrecy: privacy.SecrecyAgreement}
	_, err = r.RequestErasure(ctx, cm, retention.Erasure{ID: "erasure-1", Subject: "employee-1", Rule: privacy.R9,
		Received: time.Date(2025, 1, 6, 9, 0, 0, 0, time.UTC)}, time.Date(2025, 1, 7, 9, 0, 0, 0, time.UTC))
	if !errors.Is(err, privacy.ErrForbidden) || privacy.RuleOf(err) != privacy.R9 {
		t.Errorf("RequestErasure(case manager, regulation R) = %v, want ErrForbidden naming R9", err)
	}
}

// TestErase: a granted erasure carried out at once deletes exactly the
// request's due records, each with one proof and one delete event, keeps
// what a statute or a hold keeps (G3), and is idempotent.
func TestErase(t *testing.T) {
	ctx := context.Background()
	store, _ := exampleWorld(ctx)
	r, err := retention.New(store, privacy.Strict(), nil)
	if err != nil {
		t.Fatal(err)
	}
	officer := privacy.Principal{ID: "privacy-officer", Role: privacy.RolePrivacyOfficer}
	received := time.Date(2025, time.January, 6, 9, 0, 0, 0, time.UTC)
	decided := received.Add(48 * time.Hour)
	// The hold keeps the medical finding (G3); the job data a statute
	// keeps (R9, 7 years).
	if _, err := r.PlaceHold(ctx, officer, retention.Hold{ID: "hold-1", Subject: "employee-1", Case: "case-1",
		Records: []privacy.RecordID{"rec-medical"}, Ground: retention.GroundLegalClaim, Reason: "court case C/16/1"}, received); err != nil {
		t.Fatal(err)
	}
	if _, err := r.RequestErasure(ctx, officer, retention.Erasure{ID: "erasure-1", Subject: "employee-1",
		Rule: privacy.O13, Received: received}, decided); err != nil {
		t.Fatal(err)
	}
	before := lastSeq(t, store)
	rep, err := r.Erase(ctx, officer, "employee-1", "erasure-1", decided.Add(time.Minute))
	if err != nil {
		t.Fatalf("Erase: %v", err)
	}
	if rep.Examined != 3 || rep.Due != 1 || rep.Erased != 1 || rep.Held != 1 {
		t.Errorf("report = %+v, want 3 examined, 1 due and erased, 1 held", rep)
	}
	ps, err := r.Proofs(ctx, "employee-1")
	if err != nil {
		t.Fatal(err)
	}
	if len(ps) != 1 || ps[0].Record != "rec-note" || ps[0].Erasure != "erasure-1" || ps[0].By != officer.ID || ps[0].Rule != privacy.O13 {
		t.Errorf("proofs = %+v, want one for rec-note under erasure-1", ps)
	}
	evs := trail(t, store, before)
	if len(evs) != 1 || evs[0].Action != privacy.EventDelete || evs[0].Object != "rec-note" || evs[0].Outcome != privacy.OutcomeAllowed {
		t.Errorf("events = %+v, want one delete of rec-note", evs)
	}
	again, err := r.Erase(ctx, officer, "employee-1", "erasure-1", decided.Add(time.Hour))
	if err != nil || again.Erased != 0 {
		t.Errorf("Erase again = %+v, %v; want nothing erased twice", again, err)
	}
	if _, err := r.Erase(ctx, officer, "employee-1", "erasure-none", decided); !errors.Is(err, privacy.ErrNotFound) {
		t.Errorf("Erase(unknown request) = %v, want ErrNotFound", err)
	}
	if _, err := r.Erase(ctx, officer, "employee-1", "erasure-1", received); !errors.Is(err, privacy.ErrInvalid) {
		t.Errorf("Erase(before the grant) = %v, want ErrInvalid", err)
	}
}
