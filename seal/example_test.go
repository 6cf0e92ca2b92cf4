package seal_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"time"

	"github.com/dossierwacht/dossierwacht/memstore"
	"github.com/dossierwacht/dossierwacht/privacy"
	"github.com/dossierwacht/dossierwacht/seal"
)

// A subject's content sealed, read, and erased by destroying its key: the
// copy of a sealed value taken before the erasure (as a backup holds it)
// opens no more.
func Example() {
	ctx := context.Background()
	at := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	kek, err := seal.ParseLocalKEK("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f")
	if err != nil {
		log.Fatal(err)
	}
	mem := memstore.New()
	keys := seal.NewMemKeys() // in production: seal.OpenFileKeys, apart from the database
	store, err := seal.Wrap(ctx, mem, seal.Vault{Keys: keys, KEK: kek})
	if err != nil {
		log.Fatal(err)
	}
	policy := privacy.Strict()
	files, err := privacy.NewDossiers(store, policy)
	if err != nil {
		log.Fatal(err)
	}
	act := privacy.Act{By: privacy.Principal{ID: "carla", Role: privacy.RoleCaseManager, Party: "arbo", Secrecy: privacy.SecrecyAgreement}, At: at}
	must := func(err error) {
		if err != nil {
			log.Fatal(err)
		}
	}
	anna, _ := privacy.NewSubject("anna", "bakery", at)
	must(files.CreateSubject(ctx, act, anna))
	c, _ := privacy.NewCase("case-1", "anna", privacy.CaseAbsence, privacy.PurposeAbsenceGuidance,
		privacy.Contract{ID: "k-1", Party: "bakery", PartyKind: privacy.PartyEmployer, Start: at.AddDate(-1, 0, 0)}, at)
	must(files.OpenCase(ctx, act, c))
	must(files.AddRecord(ctx, act, privacy.Record{ID: "r-1", Case: "case-1", Subject: "anna", Author: "carla",
		Category: privacy.CategoryNotes, Source: privacy.Source{Kind: privacy.PartyService}, Created: at,
		Fields: map[privacy.Field]string{privacy.FieldText: "call Friday"}}))

	r, err := store.Record(ctx, "r-1")
	must(err)
	fmt.Println("read:", r.Fields[privacy.FieldText])
	backup, err := mem.Record(ctx, "r-1") // what a backup holds
	must(err)
	fmt.Println("at rest sealed:", seal.IsSealed(backup.Fields[privacy.FieldText]))

	must(files.DeleteSubject(ctx, act, "anna"))
	proof, err := store.Erasure(ctx, "anna")
	must(err)
	fmt.Println("key destroyed at:", proof.Erased.Format(time.DateOnly), "pending:", proof.Pending)

	// The backup restored beside the live key store: its rows are there,
	// their content opens no more.
	restored := memstore.New()
	ev := []privacy.Event{{Time: at, Principal: "restore", Role: privacy.RoleAdministrator,
		Action: privacy.EventCreate, Outcome: privacy.OutcomeAllowed, Rule: privacy.G7, Policy: policy.Version}}
	must(restored.CreateSubject(ctx, anna, ev))
	must(restored.CreateCase(ctx, c, ev))
	must(restored.AddRecords(ctx, []privacy.Record{backup}, ev))
	look, err := seal.Wrap(ctx, restored, seal.Vault{Keys: keys, KEK: kek, SkipReap: true})
	must(err)
	_, err = look.Record(ctx, "r-1")
	fmt.Println("the backup's record:", errors.Is(err, seal.ErrErased), errors.Is(err, privacy.ErrNotFound))
	// Output:
	// read: call Friday
	// at rest sealed: true
	// key destroyed at: 2026-03-02 pending: false
	// the backup's record: true true
}
