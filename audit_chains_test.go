package dossierwacht_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/dossierwacht/dossierwacht"
	"github.com/dossierwacht/dossierwacht/access"
	"github.com/dossierwacht/dossierwacht/memstore"
	"github.com/dossierwacht/dossierwacht/privacy"
)

// TestVerifyAuditCheckpointsG7: the Service saves every chain's head to
// its Checkpoints as it verifies and when asked, and checks the trail
// against them: a chain cut short in the store, which the chain alone
// cannot show, fails the next verification although the caller passes no
// checkpoint of its own.
func TestVerifyAuditCheckpointsG7(t *testing.T) {
	ctx := context.Background()
	store := memstore.NewKeyed([]byte("the service's audit key"))
	cps := &access.MemoryCheckpoints{}
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	svc, err := dossierwacht.Open(ctx, store, privacy.Strict(), &dossierwacht.Options{Clock: func() time.Time { return now },
		Checkpoints: cps})
	if err != nil {
		t.Fatal(err)
	}
	olga := dossierwacht.NewActor(privacy.Principal{ID: "olga", Role: privacy.RolePrivacyOfficer, Party: "arbo",
		Secrecy: privacy.SecrecyAgreement, MultiFactor: true}, nil, nil)
	carla := dossierwacht.NewActor(privacy.Principal{ID: "carla", Role: privacy.RoleCaseManager, Party: "arbo",
		Secrecy: privacy.SecrecyAgreement}, nil, nil)
	must(t, svc.RegisterSubject(ctx, carla, privacy.Subject{ID: "anna", Employer: "bakery"}))
	must(t, svc.RegisterSubject(ctx, carla, privacy.Subject{ID: "bram", Employer: "bakery"}))
	if err := svc.Checkpoint(ctx); err != nil {
		t.Fatal(err)
	}
	kept, _ := cps.Load(ctx)
	if kept["anna"].Seq != 1 || kept["bram"].Seq != 1 {
		t.Errorf("Checkpoint kept %v, want the head of anna's and bram's chains", kept)
	}
	heads, err := svc.VerifyAudit(ctx, olga, nil)
	if err != nil {
		t.Fatal(err)
	}
	if heads["anna"].Seq != 1 {
		t.Errorf("VerifyAudit reached %v", heads)
	}
	// Someone removes bram's only event from the store.
	if err := store.DeleteEvent(ctx, "bram", 1); err != nil {
		t.Fatal(err)
	}
	_, err = svc.VerifyAudit(ctx, olga, nil)
	var ce *access.ChainError
	if !errors.Is(err, access.ErrTampered) || !errors.As(err, &ce) || ce.Chain != "bram" || ce.Problem != access.ProblemTruncated {
		t.Errorf("VerifyAudit after a chain was removed = %v, want bram's chain truncated", err)
	}
	// A checkpoint the caller kept counts too.
	fresh, err := dossierwacht.Open(ctx, store, privacy.Strict(), nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := fresh.VerifyAudit(ctx, olga, access.Heads{"bram": kept["bram"]}); !errors.Is(err, access.ErrTampered) {
		t.Errorf("VerifyAudit(the caller's checkpoint) = %v, want ErrTampered", err)
	}
}

// TestCheckpointVerifiesBeforeSavingG7: Checkpoint verifies the trail
// against the heads kept before it saves. The last event of a chain
// deleted in the store, and the next one appended under its number with a
// valid keyed link: Checkpoint (and a sweep, which runs it) fails with
// ErrTampered and leaves the kept head where it was, so VerifyAudit still
// finds the deletion.
func TestCheckpointVerifiesBeforeSavingG7(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		name       string
		checkpoint func(*dossierwacht.Service, *dossierwacht.Actor) error
	}{
		{"checkpoint", func(s *dossierwacht.Service, _ *dossierwacht.Actor) error { return s.Checkpoint(ctx) }},
		{"sweep", func(s *dossierwacht.Service, a *dossierwacht.Actor) error { _, err := s.Sweep(ctx, a); return err }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			store := memstore.NewKeyed([]byte("the service's audit key"))
			cps := &access.MemoryCheckpoints{}
			now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
			svc, err := dossierwacht.Open(ctx, store, privacy.Strict(), &dossierwacht.Options{Clock: func() time.Time { return now },
				Checkpoints: cps})
			must(t, err)
			olga := dossierwacht.NewActor(privacy.Principal{ID: "olga", Role: privacy.RolePrivacyOfficer, Party: "arbo",
				Secrecy: privacy.SecrecyAgreement, MultiFactor: true}, nil, nil)
			carla := dossierwacht.NewActor(privacy.Principal{ID: "carla", Role: privacy.RoleCaseManager, Party: "arbo",
				Secrecy: privacy.SecrecyAgreement}, nil, nil)
			must(t, svc.RegisterSubject(ctx, carla, privacy.Subject{ID: "anna", Employer: "bakery"}))
			must(t, svc.Checkpoint(ctx))
			kept, err := cps.Load(ctx)
			must(t, err)
			must(t, store.DeleteEvent(ctx, "anna", kept["anna"].Seq))
			// The next event of anna's chain takes the deleted one's number.
			// and one after it (past the kept head: no conflict of numbers).
			read := privacy.Event{Time: now, Principal: "carla", Role: privacy.RoleCaseManager,
				Action: privacy.EventRead, Outcome: privacy.OutcomeAllowed, Rule: privacy.O1, Subject: "anna", Object: "anna"}
			_, err = store.AppendEvents(ctx, read, read)
			must(t, err)
			heads, err := store.AuditHeads(ctx)
			must(t, err)
			if heads["anna"].Seq != kept["anna"].Seq+1 {
				t.Fatalf("anna's head %v, want the one after the kept number %v", heads["anna"], kept["anna"])
			}
			if err := tc.checkpoint(svc, olga); !errors.Is(err, access.ErrTampered) {
				t.Errorf("%s after a deleted event = %v, want ErrTampered", tc.name, err)
			}
			if now, _ := cps.Load(ctx); now["anna"] != kept["anna"] {
				t.Errorf("the kept head of anna moved to %v, was %v", now["anna"], kept["anna"])
			}
			if _, err := svc.VerifyAudit(ctx, olga, nil); !errors.Is(err, access.ErrTampered) {
				t.Errorf("VerifyAudit = %v, want ErrTampered", err)
			}
		})
	}
}
