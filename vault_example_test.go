package dossierwacht_test

import (
	"context"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"time"

	"github.com/dossierwacht/dossierwacht"
	"github.com/dossierwacht/dossierwacht/memstore"
	"github.com/dossierwacht/dossierwacht/privacy"
	"github.com/dossierwacht/dossierwacht/seal"
)

// Sealing switched on: the Service reads and writes as ever, while the
// store holds every record's content sealed with a key of its subject,
// kept apart in a key store (here a directory; the key-encryption key
// from an environment variable). Erasing the subject destroys the key, so
// that no backup of the store opens her content again.
func ExampleOptions_vault() {
	ctx, now := context.Background(), time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	dir, err := os.MkdirTemp("", "keys")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	keys, err := seal.OpenFileKeys(filepath.Join(dir, "keys"))
	if err != nil {
		log.Fatal(err)
	}
	os.Setenv("DOSSIERWACHT_KEK", "q3t4ZJ0y0n0mb6Xc3m9kYQ2oVh2J8m8lTqv6b8yN1aE=") // in production: from a secret store
	kek, err := seal.LocalKEKFromEnv("DOSSIERWACHT_KEK")
	if err != nil {
		log.Fatal(err)
	}
	mem := memstore.New()
	svc, err := dossierwacht.Open(ctx, mem, privacy.Strict(), &dossierwacht.Options{
		Clock: func() time.Time { return now },
		Vault: &seal.Vault{Keys: keys, KEK: kek},
	})
	if err != nil {
		log.Fatal(err)
	}
	carla := dossierwacht.NewActor(privacy.Principal{ID: "carla", Role: privacy.RoleCaseManager, Party: "arbo",
		Secrecy: privacy.SecrecyAgreement}, []privacy.CaseID{"case-1"}, nil)
	bert := dossierwacht.NewActor(privacy.Principal{ID: "bert", Role: privacy.RoleEmployerContact, Party: "bakery"}, nil, nil)
	must := func(err error) {
		if err != nil {
			log.Fatal(err)
		}
	}
	must(svc.RegisterSubject(ctx, bert, privacy.Subject{ID: "anna", Employer: "bakery"}))
	must(svc.OpenCase(ctx, carla, privacy.Case{ID: "case-1", Subject: "anna", Kind: privacy.CaseAbsence, Purpose: privacy.PurposeAbsenceGuidance,
		Contract: privacy.Contract{ID: "contract-1", Party: "bakery", PartyKind: privacy.PartyEmployer, Start: now.AddDate(-1, 0, 0)}}))
	must(svc.AddRecords(ctx, carla, privacy.Record{ID: "r-1", Case: "case-1", Subject: "anna", Category: privacy.CategoryNotes,
		Source: privacy.Source{Kind: privacy.PartyService}, Fields: map[privacy.Field]string{privacy.FieldText: "call Friday"}}))

	v, err := svc.View(ctx, carla, "case-1", privacy.PurposeAbsenceGuidance)
	must(err)
	fmt.Println("carla reads:", v.Records[0].Fields[0].Value)
	raw, err := mem.Record(ctx, "r-1")
	must(err)
	fmt.Println("the store holds it sealed:", seal.IsSealed(raw.Fields[privacy.FieldText]))
	// Output:
	// carla reads: call Friday
	// the store holds it sealed: true
}
