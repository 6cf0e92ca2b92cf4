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
)

// ExampleOpen keeps a case file in one SQLite file: open it, hand it to
// privacy.NewDossiers, and work with the dossiers.
func ExampleOpen() {
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

	now := time.Date(2026, time.March, 2, 9, 0, 0, 0, time.UTC)
	// Who writes, when: every write is audited in its own transaction
	// (rules G7, N9).
	manager := privacy.Act{By: privacy.Principal{ID: "case-manager-1", Role: privacy.RoleCaseManager,
		Secrecy: privacy.SecrecyAgreement}, At: now.Add(time.Hour)}
	subject, _ := privacy.NewSubject("employee-1", "employer-1", now)
	if err := dossiers.CreateSubject(ctx, manager, subject); err != nil {
		log.Fatal(err)
	}
	contract := privacy.Contract{ID: "contract-1", Party: "employer-1", PartyKind: privacy.PartyEmployer, Start: now.AddDate(-1, 0, 0)}
	c, _ := privacy.NewCase("case-1", subject.ID, privacy.CaseAbsence, privacy.PurposeAbsenceGuidance, contract, now)
	if err := dossiers.OpenCase(ctx, manager, c); err != nil {
		log.Fatal(err)
	}
	err = dossiers.AddRecords(ctx, manager,
		privacy.Record{ID: "record-1", Case: c.ID, Category: privacy.CategoryAbsenceFacts, Author: "employer-contact-1",
			Source: privacy.Source{Kind: privacy.PartyEmployer, Party: "employer-1"}, Created: now,
			Fields: map[privacy.Field]string{privacy.FieldFirstDay: "2026-03-02"}},
		privacy.Record{ID: "record-2", Case: c.ID, Category: privacy.CategoryNotes, Author: "case-manager-1",
			Source: privacy.Source{Kind: privacy.PartyService}, Created: now.Add(time.Hour),
			Fields: map[privacy.Field]string{privacy.FieldText: "called the employee"}})
	if err != nil {
		log.Fatal(err)
	}
	for r, err := range dossiers.CaseRecords(ctx, c.ID) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(r.ID, r.Category, r.Created.Format(time.RFC3339))
	}

	// The audit trail is kept in the same file, hash-chained: the four
	// writes above are its first events.
	events, err := store.AppendEvents(ctx, privacy.Event{Time: now, Principal: "case-manager-1", Role: privacy.RoleCaseManager,
		Subject: subject.ID, Case: c.ID, Action: privacy.EventRead, Outcome: privacy.OutcomeAllowed, Rule: privacy.R7, Policy: "strict/1.0.0"})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("audit event", events[0].Seq, "chained:", events[0].Hash == events[0].ComputeHash())
	// Output:
	// record-1 absence-facts 2026-03-02T09:00:00Z
	// record-2 notes 2026-03-02T10:00:00Z
	// audit event 5 chained: true
}
