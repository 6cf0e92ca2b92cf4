package sqlitestore_test

import (
	"context"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"time"

	"github.com/dossierwacht/dossierwacht/examples/sqlitestore"
	"github.com/dossierwacht/dossierwacht/privacy"
	"github.com/dossierwacht/dossierwacht/retention"
)

// ExampleStore_EraseRecords runs a retention sweep on the SQLite store: the
// store is a retention.BatchStore, so each batch of due records is deleted
// with its proofs and audit events in one transaction, and a legal hold
// keeps what it covers (rule G3).
func ExampleStore_EraseRecords() {
	ctx := context.Background()
	dir, err := os.MkdirTemp("", "dossiers")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	store, err := sqlitestore.Open(ctx, filepath.Join(dir, "dossiers.db"), nil)
	if err != nil {
		log.Fatal(err)
	}
	defer store.Close()
	dossiers, err := privacy.NewDossiers(store, privacy.Strict())
	if err != nil {
		log.Fatal(err)
	}
	ret, err := retention.New(store, privacy.Strict(), &retention.Options{BatchSize: 4096})
	if err != nil {
		log.Fatal(err)
	}

	opened := time.Date(2024, time.March, 4, 9, 0, 0, 0, time.UTC)
	contract := privacy.Contract{ID: "contract-1", Party: "employer-1", PartyKind: privacy.PartyEmployer, Start: opened.AddDate(-1, 0, 0)}
	for _, id := range []string{"employee-1", "employee-2"} {
		subject, _ := privacy.NewSubject(privacy.SubjectID(id), "employer-1", opened)
		c, _ := privacy.NewCase(privacy.CaseID("case-"+id), subject.ID, privacy.CaseAbsence, privacy.PurposeAbsenceGuidance, contract, opened)
		manager := privacy.Act{By: privacy.Principal{ID: "case-manager-1", Role: privacy.RoleCaseManager,
			Secrecy: privacy.SecrecyAgreement}, At: opened}
		if err := dossiers.CreateSubject(ctx, manager, subject); err != nil {
			log.Fatal(err)
		}
		if err := dossiers.OpenCase(ctx, manager, c); err != nil {
			log.Fatal(err)
		}
		if err := dossiers.AddRecord(ctx, manager, privacy.Record{ID: privacy.RecordID("note-" + id), Case: c.ID, Category: privacy.CategoryNotes,
			Author: "case-manager-1", Source: privacy.Source{Kind: privacy.PartyService}, Created: opened,
			Fields: map[privacy.Field]string{privacy.FieldText: "called the employee"}}); err != nil {
			log.Fatal(err)
		}
		manager.At = opened.AddDate(0, 2, 0)
		if err := dossiers.CloseCase(ctx, manager, c.ID); err != nil {
			log.Fatal(err)
		}
	}
	officer := privacy.Principal{ID: "officer-1", Role: privacy.RolePrivacyOfficer}
	now := time.Date(2026, time.June, 1, 9, 0, 0, 0, time.UTC) // more than two years after closing (O12)
	if _, err := ret.PlaceHold(ctx, officer, retention.Hold{ID: "hold-1", Subject: "employee-2", Ground: retention.GroundLegalClaim,
		Reason: "court case C/16/2026/1"}, now); err != nil {
		log.Fatal(err)
	}
	rep, err := ret.Sweep(ctx, privacy.Principal{ID: "retention-job", Role: privacy.RolePrivacyOfficer}, now)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("erased", rep.Erased, "held", rep.Held)
	proofs, err := ret.Proofs(ctx, "employee-1")
	if err != nil {
		log.Fatal(err)
	}
	for _, p := range proofs {
		fmt.Println(p)
	}
	// Output:
	// erased 1 held 1
	// deleted note-employee-1 (notes) of case case-employee-1 on 2026-06-01, rule O12 (maximum)
}
