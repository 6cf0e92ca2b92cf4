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
