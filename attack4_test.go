package dossierwacht_test

// A fourth attack review through the public API, of issue 14's append
// path, the subject export's chain head, records read by subject and
// forgetting. Each subtest of TestAttack4 reproduced one break and failed
// on the code it was written against; its name names the rule. (The
// PostgreSQL append path's subtest is TestAttack4 in examples/pgstore.)

import (
	"bytes"
	"context"
	"errors"
	"iter"
	"testing"
	"time"

	"github.com/dossierwacht/dossierwacht"
	"github.com/dossierwacht/dossierwacht/access"
	"github.com/dossierwacht/dossierwacht/memstore"
	"github.com/dossierwacht/dossierwacht/privacy"
	"github.com/dossierwacht/dossierwacht/seal"
)

func TestAttack4(t *testing.T) {
	// Rule G7 (R11, G1): an auditor who holds the chain's key checks
	// with it, whatever the export says of its links. An export that
	// claims unkeyed links, its events edited and rehashed without the
	// key, must not pass VerifySubject given the key.
	t.Run("KeyedChainPassedOffAsUnkeyedG7", func(t *testing.T) {
		key := []byte("the store's audit key, not in the database")
		now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
		var events []privacy.Event
		var prev privacy.Hash
		for i := range 3 {
			e := privacy.Event{Time: now.Add(time.Duration(i) * time.Minute), Principal: "cm-1", Role: privacy.RoleCaseManager,
				Subject: "s-1", Action: privacy.EventRead, Outcome: privacy.OutcomeAllowed, Rule: privacy.R7, Policy: "1"}
			e = e.ChainKeyed(key, uint64(i+1), prev)
			prev = e.Hash
			events = append(events, e)
		}
		seq := func(es []privacy.Event) func(func(privacy.Event, error) bool) {
			return func(yield func(privacy.Event, error) bool) {
				for _, e := range es {
					if !yield(e, nil) {
						return
					}
				}
			}
		}
		genuine := access.SubjectChain{Subject: "s-1", Head: access.Checkpoint{Seq: 3, Hash: prev}, Keyed: true}
		if _, err := access.VerifySubject(seq(events), genuine, key, access.Checkpoint{}); err != nil {
			t.Fatalf("the genuine chain: %v", err)
		}
		// The forger edits who read, and rehashes without the key.
		forged := make([]privacy.Event, len(events))
		prev = privacy.Hash{}
		for i, e := range events {
			if i == 1 {
				e.Principal = "nobody"
			}
			forged[i] = e.Chain(e.Seq, prev)
			prev = forged[i].Hash
		}
		c := access.SubjectChain{Subject: "s-1", Head: access.Checkpoint{Seq: 3, Hash: prev}, Keyed: false}
		if _, err := access.VerifySubject(seq(forged), c, key, access.Checkpoint{}); !errors.Is(err, access.ErrTampered) {
			t.Errorf("an edited chain rehashed without the key, passed off as unkeyed, verified with the key: %v, want ErrTampered", err)
		}
	})

	// Rules R7, O4 (issue 14 §2): a store's read by subject and case
	// gives nothing of a case that is not the subject's. Asked with no
	// subject (an integrator's unset variable), the reference store gave
	// every record of the case; the SQL stores refuse it as malformed.
	t.Run("SubjectRecordsWithNoSubjectR7", func(t *testing.T) {
		store := memstore.New()
		openWorld(t, store, dossierwacht.Options{})
		ctx := context.Background()
		for name, read := range map[string]func() iter.Seq2[privacy.Record, error]{
			"SubjectCaseRecords":        func() iter.Seq2[privacy.Record, error] { return store.SubjectCaseRecords(ctx, "", case1) },
			"SubjectCaseMedicalRecords": func() iter.Seq2[privacy.Record, error] { return store.SubjectCaseMedicalRecords(ctx, "", case1) },
		} {
			n, failed := 0, error(nil)
			for _, err := range read() {
				if err != nil {
					failed = err
					break
				}
				n++
			}
			if n > 0 || !errors.Is(failed, privacy.ErrInvalid) {
				t.Errorf("%s with no subject: %d records, %v; want none and ErrInvalid", name, n, failed)
			}
		}
	})

	// Rules G7, N9 (NEN 7513: who saw what of whom): a physician's read of
	// a subject's medical file, asked by subject and case, is logged in
	// that subject's chain even when the file is empty, so that the
	// subject's export shows it.
	t.Run("EmptyMedicalFileReadLoggedForTheSubjectN9", func(t *testing.T) {
		ctx := context.Background()
		store := memstore.New()
		d, err := privacy.NewDossiers(store, privacy.Strict())
		if err != nil {
			t.Fatal(err)
		}
		now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
		manager := privacy.Act{By: privacy.Principal{ID: "cm-1", Role: privacy.RoleCaseManager, Secrecy: privacy.SecrecyAgreement}, At: now}
		doctor := privacy.Act{By: privacy.Principal{ID: "doc-1", Role: privacy.RolePhysician, Secrecy: privacy.SecrecyProfessional},
			At: now.Add(time.Hour)}
		sub, _ := privacy.NewSubject("s-1", "employer-1", now)
		if err := d.CreateSubject(ctx, manager, sub); err != nil {
			t.Fatal(err)
		}
		contract := privacy.Contract{ID: "k-1", Party: "employer-1", PartyKind: privacy.PartyEmployer, Start: now.AddDate(-1, 0, 0)}
		c, err := privacy.NewCase("c-1", "s-1", privacy.CaseAbsence, privacy.PurposeAbsenceGuidance, contract, now)
		if err != nil {
			t.Fatal(err)
		}
		if err := d.OpenCase(ctx, manager, c); err != nil {
			t.Fatal(err)
		}
		for _, err := range d.SubjectCaseMedicalRecords(ctx, doctor, "s-1", "c-1") {
			if err != nil {
				t.Fatal(err)
			}
		}
		found := false
		for e, err := range store.SubjectEvents(ctx, "s-1", 1) {
			if err != nil {
				t.Fatal(err)
			}
			if e.Principal == "doc-1" && e.Category == privacy.CategoryMedical && e.Action == privacy.EventRead {
				found = true
			}
		}
		if !found {
			t.Errorf("the physician's read of s-1's (empty) medical file is not in s-1's chain")
		}
	})

	// Rule O10 (hidden and missing alike): read by subject and case from
	// a store without its own filtered read, a case of another subject
	// and a case that does not exist give the same error.
	t.Run("HiddenAndMissingCaseAlikeBySubjectO10", func(t *testing.T) {
		ctx := context.Background()
		store := memstore.New()
		openWorld(t, store, dossierwacht.Options{})
		d, err := privacy.NewDossiers(struct{ privacy.Store }{store}, privacy.Strict())
		if err != nil {
			t.Fatal(err)
		}
		read := func(subject privacy.SubjectID, id privacy.CaseID) error {
			for _, err := range d.SubjectCaseRecords(ctx, subject, id) {
				if err != nil {
					return err
				}
			}
			return nil
		}
		hidden, missing := read("someone-else", case1), read("someone-else", "no-such-case")
		if !errors.Is(hidden, privacy.ErrNotFound) || !errors.Is(missing, privacy.ErrNotFound) || hidden.Error() != missing.Error() {
			t.Errorf("a case of another subject: %v; a missing case: %v; want the same not-found error", hidden, missing)
		}
		// The sealed store over such a backend, alike.
		sealed, err := seal.Wrap(ctx, struct{ seal.Backend }{store}, *vault(t))
		if err != nil {
			t.Fatal(err)
		}
		sealedRead := func(id privacy.CaseID) error {
			for _, err := range sealed.SubjectCaseRecords(ctx, "someone-else", id) {
				if err != nil {
					return err
				}
			}
			return nil
		}
		hidden, missing = sealedRead(case1), sealedRead("no-such-case")
		if !errors.Is(hidden, privacy.ErrNotFound) || !errors.Is(missing, privacy.ErrNotFound) || hidden.Error() != missing.Error() {
			t.Errorf("sealed: a case of another subject: %v; a missing case: %v; want the same not-found error", hidden, missing)
		}
	})

	// Rule G7 (issue 14 §3: tampering found without trusting the
	// database; R11, G1): the service holds the chain's key, so its
	// export does not hand the subject an event edited in the database,
	// which the subject, without the key, could not tell from the real
	// one.
	t.Run("ExportRefusesAnEventEditedInTheStoreG7", func(t *testing.T) {
		ctx := context.Background()
		store := memstore.NewKeyed(attack3Key)
		w := openWorld(t, store, dossierwacht.Options{})
		carla, self := w.actors[privacy.RoleCaseManager], w.actors[privacy.RoleSubject]
		w.now = w.now.Add(time.Hour)
		_, err := w.svc.View(ctx, carla, case1, privacy.PurposeAbsenceGuidance)
		must(t, err)
		head, _, err := store.ChainHead(ctx, anna)
		must(t, err)
		// Who looked is changed in the database, the link left alone.
		must(t, store.TamperEvent(ctx, anna, head.Seq, func(e *privacy.Event) { e.Principal = "someone-else" }))
		var buf bytes.Buffer
		if _, err := w.svc.Export(ctx, self, anna, &buf, nil); !errors.Is(err, access.ErrTampered) {
			t.Errorf("export of a chain with an edited event: %v; want ErrTampered", err)
		}
	})
}
