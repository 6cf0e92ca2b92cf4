package dossierwacht_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/dossierwacht/dossierwacht"
	"github.com/dossierwacht/dossierwacht/memstore"
	"github.com/dossierwacht/dossierwacht/privacy"
	"github.com/dossierwacht/dossierwacht/seal"
)

// TestVaultSweepReachesBackups: through the front door with sealing on,
// the sweep past every retention period removes the subject last and
// destroys its key (R9, O12; GDPR art. 5(1)(e)), so that a copy of the
// store taken while the case ran opens nothing of her any more.
func TestVaultSweepReachesBackups(t *testing.T) {
	ctx, now := context.Background(), time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	kek, err := seal.ParseLocalKEK("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f")
	if err != nil {
		t.Fatal(err)
	}
	keys, mem := seal.NewMemKeys(), memstore.New()
	svc, err := dossierwacht.Open(ctx, mem, privacy.Strict(), &dossierwacht.Options{
		Clock: func() time.Time { return now }, Vault: &seal.Vault{Keys: keys, KEK: kek}})
	if err != nil {
		t.Fatal(err)
	}
	staff := func(id privacy.PrincipalID, r privacy.Role) *dossierwacht.Actor {
		return dossierwacht.NewActor(privacy.Principal{ID: id, Role: r, Party: "arbo", Secrecy: privacy.SecrecyAgreement}, []privacy.CaseID{"case-1"}, nil)
	}
	carla, dpo := staff("carla", privacy.RoleCaseManager), staff("dpo", privacy.RolePrivacyOfficer)
	bert := dossierwacht.NewActor(privacy.Principal{ID: "bert", Role: privacy.RoleEmployerContact, Party: "bakery"}, nil, nil)
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(svc.RegisterSubject(ctx, bert, privacy.Subject{ID: "anna", Employer: "bakery"}))
	must(svc.OpenCase(ctx, carla, privacy.Case{ID: "case-1", Subject: "anna", Kind: privacy.CaseAbsence, Purpose: privacy.PurposeAbsenceGuidance,
		Contract: privacy.Contract{ID: "contract-1", Party: "bakery", PartyKind: privacy.PartyEmployer, Start: now.AddDate(-1, 0, 0)}}))
	must(svc.AddRecords(ctx, carla, privacy.Record{ID: "r-1", Case: "case-1", Subject: "anna", Category: privacy.CategoryNotes,
		Source: privacy.Source{Kind: privacy.PartyService}, Fields: map[privacy.Field]string{privacy.FieldText: "call Friday"}}))
	backup, err := mem.Record(ctx, "r-1") // what a backup taken now holds
	must(err)
	if !seal.IsSealed(backup.Fields[privacy.FieldText]) {
		t.Fatalf("the store holds %q", backup.Fields[privacy.FieldText])
	}
	must(svc.CloseCase(ctx, carla, "case-1"))
	must(svc.EndEmployment(ctx, bert, "anna", now))
	now = now.AddDate(30, 0, 0)
	if _, err := svc.Sweep(ctx, dpo); err != nil {
		t.Fatalf("Sweep: %v", err)
	}
	if _, err := mem.Subject(ctx, "anna"); !errors.Is(err, privacy.ErrNotFound) {
		t.Fatalf("30 years on, the sweep left the subject: %v", err)
	}
	e, err := keys.Get(ctx, "anna")
	if err != nil || !e.Destroyed() || e.Pending {
		t.Fatalf("R9, O12: the swept subject's key: %+v, %v; want destroyed", e, err)
	}
	// The backup restored beside the live keys opens nothing of her.
	cp := memstore.New()
	ev := []privacy.Event{{Time: now, Principal: "restore", Role: privacy.RoleAdministrator, Action: privacy.EventCreate,
		Outcome: privacy.OutcomeAllowed, Rule: privacy.G7, Policy: "test"}}
	sub, _ := privacy.NewSubject("anna", "bakery", now)
	c, _ := privacy.NewCase("case-1", "anna", privacy.CaseAbsence, privacy.PurposeAbsenceGuidance,
		privacy.Contract{ID: "contract-1", Party: "bakery", PartyKind: privacy.PartyEmployer, Start: now.AddDate(-1, 0, 0)}, now)
	must(errors.Join(cp.CreateSubject(ctx, sub, ev), cp.CreateCase(ctx, c, ev), cp.AddRecords(ctx, []privacy.Record{backup}, ev)))
	look, err := seal.Wrap(ctx, cp, seal.Vault{Keys: keys, KEK: kek, SkipReap: true})
	must(err)
	if _, err := look.Record(ctx, "r-1"); !errors.Is(err, seal.ErrErased) {
		t.Errorf("the backup's record after the sweep: %v, want ErrErased", err)
	}
}
