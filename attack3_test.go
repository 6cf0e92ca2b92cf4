package dossierwacht_test

// A third attack review through the public API, on sealed content (issue
// 17), the audit trail's chains and checkpoints (issue 14 §2–3) and the
// retention of every kind of data (issue 14 §1). Each subtest of
// TestAttack3 reproduces one break and FAILS on the code it was written
// against; its name names the rule. The fixes are not part of this file.

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/dossierwacht/dossierwacht"
	"github.com/dossierwacht/dossierwacht/access"
	"github.com/dossierwacht/dossierwacht/consent"
	"github.com/dossierwacht/dossierwacht/memstore"
	"github.com/dossierwacht/dossierwacht/privacy"
	"github.com/dossierwacht/dossierwacht/rights"
	"github.com/dossierwacht/dossierwacht/seal"
)

var attack3Key = []byte("0123456789abcdef0123456789abcdef")

// openWorld is newWorld over the given store and options (the clock is
// the world's).
func openWorld(t testing.TB, store *memstore.Store, opts dossierwacht.Options) *world {
	t.Helper()
	w := &world{store: store, now: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)}
	opts.Clock = func() time.Time { return w.now }
	var err error
	w.svc, err = dossierwacht.Open(context.Background(), w.store, privacy.Strict(), &opts)
	if err != nil {
		t.Fatal(err)
	}
	staff := func(id privacy.PrincipalID, r privacy.Role, s privacy.SecrecyBasis) *dossierwacht.Actor {
		return dossierwacht.NewActor(privacy.Principal{ID: id, Role: r, Party: "arbo", Secrecy: s, MultiFactor: true}, []privacy.CaseID{case1}, nil)
	}
	w.actors = map[privacy.Role]*dossierwacht.Actor{
		privacy.RoleCaseManager:     staff("carla", privacy.RoleCaseManager, privacy.SecrecyAgreement),
		privacy.RolePhysician:       staff("dirk", privacy.RolePhysician, privacy.SecrecyProfessional),
		privacy.RoleAdministrator:   staff("adam", privacy.RoleAdministrator, privacy.SecrecyNone),
		privacy.RolePrivacyOfficer:  staff("olga", privacy.RolePrivacyOfficer, privacy.SecrecyAgreement),
		privacy.RoleEmployerContact: dossierwacht.NewActor(privacy.Principal{ID: "bert", Role: privacy.RoleEmployerContact, Party: bakery}, nil, nil),
		privacy.RoleSubject:         dossierwacht.NewActor(privacy.Principal{ID: "anna", Role: privacy.RoleSubject, Subject: anna}, nil, nil),
	}
	ctx := context.Background()
	carla := w.actors[privacy.RoleCaseManager]
	must(t, w.svc.RegisterSubject(ctx, carla, privacy.Subject{ID: anna, Employer: bakery}))
	must(t, w.svc.OpenCase(ctx, carla, privacy.Case{ID: case1, Subject: anna, Kind: privacy.CaseAbsence,
		Purpose: privacy.PurposeAbsenceGuidance, Contract: contract}))
	must(t, w.svc.AddRecords(ctx, carla, record("r-facts", privacy.CategoryAbsenceFacts, privacy.FieldFirstDay, "2026-03-02"),
		record("r-note", privacy.CategoryNotes, privacy.FieldText, "call on Friday")))
	_, err = w.svc.RecordCoverage(ctx, carla, consent.Coverage{ID: "cov-1", Insurer: "insurer", Employer: bakery, From: w.now.AddDate(-1, 0, 0)})
	must(t, err)
	return w
}

func vault(t testing.TB) *seal.Vault {
	t.Helper()
	kek, err := seal.NewLocalKEK(attack3Key)
	must(t, err)
	return &seal.Vault{Keys: seal.NewMemKeys(), KEK: kek}
}

// lastSeq is the number of the last event of chain in the store's trail.
func lastSeq(t testing.TB, s *memstore.Store, chain privacy.SubjectID) uint64 {
	t.Helper()
	h, err := s.AuditHeads(context.Background())
	must(t, err)
	return h[chain].Seq
}

func TestAttack3(t *testing.T) {
	ctx := context.Background()

	// Rule G7: checkpoints kept outside the database are to find a chain
	// cut short or rewritten. Service.Checkpoint (which the program runs
	// every minute, and every sweep runs) saves the store's current heads
	// without checking them against the heads it kept: the event a
	// snooper wants gone is deleted in the database, the service appends
	// the chain's next event under the same number (keyed: the link is
	// valid), Checkpoint moves the kept head to the new event, and
	// VerifyAudit passes — the deletion is never found.
	t.Run("G7_checkpoint_launders_a_deleted_event", func(t *testing.T) {
		cps := &access.MemoryCheckpoints{}
		w := openWorld(t, memstore.NewKeyed(attack3Key), dossierwacht.Options{Checkpoints: cps})
		carla, olga := w.actors[privacy.RoleCaseManager], w.actors[privacy.RolePrivacyOfficer]
		_, err := w.svc.View(ctx, carla, case1, privacy.PurposeAbsenceGuidance) // the read to hide
		must(t, err)
		must(t, w.svc.Checkpoint(ctx))
		seq := lastSeq(t, w.store, anna)
		kept, err := cps.Load(ctx)
		must(t, err)
		if kept[anna].Seq != seq {
			t.Fatalf("checkpoint of anna's chain at %d, want %d", kept[anna].Seq, seq)
		}
		// Someone with write access to the database removes the read.
		must(t, w.store.DeleteEvent(ctx, anna, seq))
		// The service goes on: the next read of anna's case, a checkpoint.
		w.now = w.now.Add(time.Minute)
		_, err = w.svc.View(ctx, carla, case1, privacy.PurposeAbsenceGuidance)
		must(t, err)
		// Checkpoint finding the deletion is the fix; anything else fails.
		if err := w.svc.Checkpoint(ctx); err != nil && !errors.Is(err, access.ErrTampered) {
			t.Fatal(err)
		}
		if _, err := w.svc.VerifyAudit(ctx, olga, nil); err == nil {
			t.Errorf("VerifyAudit passes after event %d of anna's chain was deleted and Checkpoint saved the new head over the kept one", seq)
		}
	})

	// Rule G7: the checkpoint file is kept where the database's writers
	// cannot write, but a file that is gone (deleted, a volume not
	// mounted, a path changed in the configuration) reads as "no heads
	// yet": VerifyAudit then passes a chain cut short, and saves the cut
	// chain's heads as the new truth — in the very process that saved
	// the longer heads a moment before.
	t.Run("G7_a_vanished_checkpoint_file_passes_a_truncated_chain", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "heads.json")
		cps := access.NewFileCheckpoints(path)
		w := openWorld(t, memstore.NewKeyed(attack3Key), dossierwacht.Options{Checkpoints: cps})
		carla, olga := w.actors[privacy.RoleCaseManager], w.actors[privacy.RolePrivacyOfficer]
		_, err := w.svc.View(ctx, carla, case1, privacy.PurposeAbsenceGuidance)
		must(t, err)
		must(t, w.svc.Checkpoint(ctx))
		seq := lastSeq(t, w.store, anna)
		must(t, w.store.DeleteEvent(ctx, anna, seq)) // the read is cut off the chain
		must(t, os.Remove(path))                     // and the checkpoint file is gone
		if _, err := w.svc.VerifyAudit(ctx, olga, nil); err == nil {
			t.Errorf("VerifyAudit passes anna's chain cut short at %d after the checkpoint file this service wrote vanished", seq-1)
		}
	})

	// Rule G7 with sealing: a sealed store (Options.Vault) does not pass
	// on the Backend's AuditHeads (access.HeadsStore), so Service.Checkpoint
	// silently saves nothing: a service that switches sealing on loses the
	// checkpoints it is told to keep, and a chain cut short between two
	// verifications is never found.
	t.Run("G7_sealed_store_never_checkpoints", func(t *testing.T) {
		cps := &access.MemoryCheckpoints{}
		w := openWorld(t, memstore.NewKeyed(attack3Key), dossierwacht.Options{Checkpoints: cps, Vault: vault(t)})
		must(t, w.svc.Checkpoint(ctx))
		kept, err := cps.Load(ctx)
		must(t, err)
		if len(kept) == 0 {
			t.Errorf("Checkpoint of a sealed service kept no head (unsealed it keeps every chain's)")
		}
	})
}

// eraseOnList is a key store that, the first time it is listed, lets an
// erasure run right after the listing: the moment between Rotate's list
// and its writes.
type eraseOnList struct {
	seal.Keys
	erase func()
}

func (k *eraseOnList) List(ctx context.Context) ([]seal.Entry, error) {
	es, err := k.Keys.List(ctx)
	if k.erase != nil {
		f := k.erase
		k.erase = nil
		f()
	}
	return es, err
}

// damage replaces the stored value of field f of record id, as storage
// damage or a change in the database would.
func damage(t testing.TB, w *world, id privacy.RecordID, f privacy.Field, v string) {
	t.Helper()
	raw, err := w.store.Record(context.Background(), id)
	must(t, err)
	raw.Fields[f] = v
	must(t, w.store.UpdateRecord(context.Background(), raw, []privacy.Event{{Time: w.now, Principal: "dba", Role: privacy.RoleAdministrator,
		Action: privacy.EventUpdate, Outcome: privacy.OutcomeAllowed, Rule: privacy.G7, Subject: raw.Subject, Object: string(id)}}))
}

// reapOnAdd is a key store that, the first time a key is added, lets
// another process start on the same database and key store (seal.Wrap
// reaps at every start), as happens when a second instance of the service
// starts, or restarts, while the first registers a subject.
type reapOnAdd struct {
	seal.Keys
	start func()
	done  bool
}

func (k *reapOnAdd) Add(ctx context.Context, e seal.Entry) error {
	if err := k.Keys.Add(ctx, e); err != nil {
		return err
	}
	if !k.done {
		k.done = true
		k.start()
	}
	return nil
}

func TestAttack3Seal(t *testing.T) {
	ctx := context.Background()

	// Rules R9, N7 (nothing deleted before its period) with sealing:
	// CreateSubject adds the subject's key before the subject's row, and
	// Reap, which every Wrap (every Open of a Service) runs, deletes "the
	// key of a subject that no longer exists" — including one whose row
	// another process is about to insert. A second instance started in
	// that moment destroys the new subject's key; the first goes on
	// sealing her records with the key it cached, and after a restart her
	// whole file reads as erased: content lost years before its period.
	t.Run("R9_N7_reap_of_another_process_destroys_a_new_subjects_key", func(t *testing.T) {
		mem := memstore.NewKeyed(attack3Key)
		v := vault(t)
		keys := &reapOnAdd{Keys: v.Keys}
		keys.start = func() {
			if _, err := seal.Wrap(ctx, mem, seal.Vault{Keys: v.Keys, KEK: v.KEK}); err != nil {
				t.Errorf("second instance: %v", err)
			}
		}
		w := openWorld(t, mem, dossierwacht.Options{Vault: &seal.Vault{Keys: keys, KEK: v.KEK}})
		carla := w.actors[privacy.RoleCaseManager]
		if _, err := w.svc.View(ctx, carla, case1, privacy.PurposeAbsenceGuidance); err != nil {
			t.Fatalf("the first instance reads: %v", err)
		}
		// A restart of the service.
		again, err := dossierwacht.Open(ctx, mem, privacy.Strict(), &dossierwacht.Options{Clock: func() time.Time { return w.now },
			Vault: &seal.Vault{Keys: v.Keys, KEK: v.KEK}})
		must(t, err)
		if _, err := again.View(ctx, carla, case1, privacy.PurposeAbsenceGuidance); err != nil {
			t.Errorf("after a restart anna's case no longer opens (%v): her key was reaped while she was registered", err)
		}
		st, err := seal.Wrap(ctx, mem, seal.Vault{Keys: v.Keys, KEK: v.KEK, SkipReap: true})
		must(t, err)
		if _, err := st.Record(ctx, "r-note"); err != nil {
			t.Errorf("anna's note reads %v", err)
		}
	})

	// Rules O4, O10 with sealing: a reader sees only what their role
	// needs, and nothing hints at what they may not see. The case view
	// opens every record's content before it filters by role, so one
	// value that does not open in a record the employer may not see (a
	// note) fails the employer's whole view with a sealing error: he
	// loses the absence facts he is owed, and learns that the case holds
	// something hidden from him. Unsealed, the same store shows him his
	// records.
	t.Run("O4_O10_a_hidden_records_damage_fails_the_employers_view", func(t *testing.T) {
		w := openWorld(t, memstore.NewKeyed(attack3Key), dossierwacht.Options{Vault: vault(t)})
		damage(t, w, "r-note", privacy.FieldText, "dwseal1.AAAA")
		v, err := w.svc.View(ctx, w.actors[privacy.RoleEmployerContact], case1, privacy.PurposeAbsenceGuidance)
		if err != nil || len(v.Records) != 1 {
			t.Errorf("the employer's view of the absence facts fails on a note he may not see: %d records, %v", len(v.Records), err)
		}
	})

	// Issue 17, GDPR art. 17: an erasure destroys the subject's key, so
	// that no backup opens her content again. seal.Rotate, run "while the
	// Store runs" (README), lists the entries, then re-wraps and Puts each
	// live one — outside the Store's ordering of erasures. An erasure
	// between the list and the Put is undone: the re-wrapped key is
	// written over the tombstone, the erased subject's key lives again,
	// every backup opens her content, and the proof of the destruction
	// (Store.Erasure) is gone.
	t.Run("R9_O13_rotate_resurrects_an_erased_subjects_key", func(t *testing.T) {
		mem := memstore.NewKeyed(attack3Key)
		v := vault(t)
		keys := &eraseOnList{Keys: v.Keys}
		w := openWorld(t, mem, dossierwacht.Options{Vault: &seal.Vault{Keys: keys, KEK: v.KEK}})
		st, err := seal.Wrap(ctx, mem, seal.Vault{Keys: keys, KEK: v.KEK, SkipReap: true})
		must(t, err)
		backup, err := mem.Record(ctx, "r-note") // the note as a backup holds it, sealed
		must(t, err)
		keys.erase = func() {
			must(t, st.DeleteSubject(ctx, anna, []privacy.Event{{Time: w.now, Principal: "olga", Role: privacy.RolePrivacyOfficer,
				Action: privacy.EventDelete, Outcome: privacy.OutcomeAllowed, Rule: privacy.O13, Subject: anna, Object: string(anna)}}))
		}
		kek2, err := seal.NewLocalKEK([]byte("fedcba9876543210fedcba9876543210"))
		must(t, err)
		if _, err := seal.Rotate(ctx, keys, v.KEK, kek2); err != nil {
			t.Logf("rotate: %v", err)
		}
		if _, err := st.Erasure(ctx, anna); err != nil {
			t.Errorf("after the rotation anna's erasure has no tombstone: %v", err)
		}
		if e, err := keys.Get(ctx, anna); err == nil && !e.Destroyed() {
			t.Errorf("anna's key lives again after her erasure (under %s): her backed-up note %.20s… opens again", e.KEK, backup.Fields[privacy.FieldText])
		}
	})

	// Bad input gives a typed error and never panics (the project's
	// standard). The README's own set-up ignores the errors of
	// seal.OpenFileKeys and seal.LocalKEKFromEnv; when the variable is not
	// set (or the directory cannot be made) they return a nil pointer,
	// which in the Vault is a non-nil interface: Open panics instead of
	// refusing the Vault.
	t.Run("bad_input_nil_key_store_or_kek_in_the_vault_panics", func(t *testing.T) {
		kek, err := seal.NewLocalKEK(attack3Key)
		must(t, err)
		var noKEK *seal.LocalKEK  // seal.LocalKEKFromEnv of an unset variable
		var noKeys *seal.FileKeys // seal.OpenFileKeys of a directory it cannot make
		for name, v := range map[string]*seal.Vault{
			"nil_kek":  {Keys: seal.NewMemKeys(), KEK: noKEK},
			"nil_keys": {Keys: noKeys, KEK: kek},
		} {
			t.Run(name, func(t *testing.T) {
				defer func() {
					if r := recover(); r != nil {
						t.Errorf("Open panics: %v", r)
					}
				}()
				_, err := dossierwacht.Open(ctx, memstore.New(), privacy.Strict(), &dossierwacht.Options{Vault: v})
				if !errors.Is(err, privacy.ErrInvalid) {
					t.Errorf("Open with a nil %s = %v, want ErrInvalid", name, err)
				}
			})
		}
	})
}

// annaEvents returns anna's chain as the store keeps it.
func annaEvents(t testing.TB, s *memstore.Store) []privacy.Event {
	t.Helper()
	var out []privacy.Event
	for e, err := range s.SubjectEvents(context.Background(), anna, 0) {
		must(t, err)
		out = append(out, e)
	}
	return out
}

func TestAttack3Retention(t *testing.T) {
	ctx := context.Background()

	// Rule N9: audit events are kept at least 5 years. Pruning cuts each
	// chain at its LAST event older than the period and deletes every
	// event numbered up to it, whatever their times: one event dated in
	// the past after recent ones (a second instance whose clock is wrong,
	// a restart after the clock was set back — the Service's guard
	// against a clock going back lives only in one process) makes the
	// next sweep delete this week's events of the chain with it.
	t.Run("N9_prune_deletes_recent_events_behind_one_old_dated_event", func(t *testing.T) {
		w := openWorld(t, memstore.NewKeyed(attack3Key), dossierwacht.Options{})
		carla, olga := w.actors[privacy.RoleCaseManager], w.actors[privacy.RolePrivacyOfficer]
		_, err := w.svc.View(ctx, carla, case1, privacy.PurposeAbsenceGuidance)
		must(t, err)
		recent := annaEvents(t, w.store)
		// A second instance of the service whose clock reads 6 years back.
		skewed := w.now.AddDate(-6, 0, 0)
		other, err := dossierwacht.Open(ctx, w.store, privacy.Strict(), &dossierwacht.Options{Clock: func() time.Time { return skewed }})
		must(t, err)
		_, _ = other.View(ctx, carla, case1, privacy.PurposeAbsenceGuidance) // allowed or refused: either way an event of anna
		if n := len(annaEvents(t, w.store)); n != len(recent)+1 {
			t.Fatalf("the skewed instance wrote %d events, want 1", n-len(recent))
		}
		w.now = w.now.Add(time.Hour)
		_, err = w.svc.Sweep(ctx, olga)
		must(t, err)
		left := map[uint64]bool{}
		for _, e := range annaEvents(t, w.store) {
			left[e.Seq] = true
		}
		for _, e := range recent {
			if !left[e.Seq] {
				t.Errorf("event %d of anna's chain (%s %s at %s, an hour old) was pruned: N9 keeps it 5 years", e.Seq, e.Action, e.Object, e.Time.Format(time.DateTime))
			}
		}
	})

	// Rule G4: a disclosure-log entry is kept "while a record it names is
	// kept, so that its recipient can be told of the erasure" (the
	// policy's own reason). A disclosure of a whole category of the case
	// (an item without a record ID, which Disclose hands over as every
	// record of that category) names no record in its retention object, so
	// the entry falls under its own period alone — zero in the ready
	// policies — and the next sweep deletes it while the disclosed note is
	// kept. When the note is erased later, nobody is told.
	t.Run("G4_category_disclosure_swept_while_its_records_are_kept", func(t *testing.T) {
		w := openWorld(t, memstore.NewKeyed(attack3Key), dossierwacht.Options{})
		carla, olga := w.actors[privacy.RoleCaseManager], w.actors[privacy.RolePrivacyOfficer]
		lawyer := consent.Recipient{Party: "lawyer", Kind: privacy.PartyThirdParty}
		_, err := w.svc.GrantConsent(ctx, w.actors[privacy.RoleSubject], consent.Grant{ID: "g-1", Subject: anna, Case: case1,
			Recipient: lawyer, Purpose: privacy.PurposeAbsenceGuidance, Categories: []privacy.Category{privacy.CategoryNotes},
			Form: consent.FormWritten, Document: "signed.pdf"})
		must(t, err)
		d, err := w.svc.Disclose(ctx, carla, consent.Request{ID: "d-1", Subject: anna, Case: case1, Recipient: lawyer,
			Purpose: privacy.PurposeAbsenceGuidance, Items: []consent.Item{{Category: privacy.CategoryNotes}}, WrittenRequest: "letter-1"})
		must(t, err)
		if !d.Allowed || len(d.Records) == 0 {
			t.Fatalf("the disclosure of the notes was not made: %+v", d)
		}
		w.now = w.now.AddDate(0, 0, 3)
		_, err = w.svc.Sweep(ctx, olga)
		must(t, err)
		if _, err := w.store.Record(ctx, "r-note"); err != nil {
			t.Fatalf("the note itself was swept: %v", err)
		}
		log, err := w.store.SubjectDisclosures(ctx, anna)
		must(t, err)
		if len(log) == 0 {
			proofs, _ := w.svc.ObjectProofs(ctx, olga, anna)
			t.Errorf("the disclosure of anna's notes to the lawyer was swept from the log while the note is kept (proofs: %v)", proofs)
		}
	})

	// Rules O12, R9 with sealing: a sweep looks up the recipients of the
	// records it deletes (G4) by reading each record through the store —
	// content and all. Through a sealed store one value that does not open
	// (storage damage, a value changed in the database, a key lost)
	// fails the lookup, and with it the whole sweep: every due record of
	// every subject is kept past its period, sweep after sweep. Deleting a
	// record needs none of its content; the unsealed store has no such
	// failure.
	t.Run("O12_one_unopenable_value_stops_every_sweep", func(t *testing.T) {
		mem := memstore.NewKeyed(attack3Key)
		w := openWorld(t, mem, dossierwacht.Options{Vault: vault(t)})
		carla, olga := w.actors[privacy.RoleCaseManager], w.actors[privacy.RolePrivacyOfficer]
		must(t, w.svc.CloseCase(ctx, carla, case1))
		must(t, w.svc.EndEmployment(ctx, carla, anna, w.now))
		// Damage to one sealed value in the database.
		raw, err := mem.Record(ctx, "r-note")
		must(t, err)
		raw.Fields[privacy.FieldText] = "dwseal1.AAAA"
		must(t, mem.UpdateRecord(ctx, raw, []privacy.Event{{Time: w.now, Principal: "dba", Role: privacy.RoleAdministrator,
			Action: privacy.EventUpdate, Outcome: privacy.OutcomeAllowed, Rule: privacy.G7, Subject: anna, Object: "r-note"}}))
		w.now = w.now.AddDate(8, 0, 0)
		plan, err := w.svc.PlanSweep(ctx, olga)
		must(t, err)
		due := 0
		for _, s := range plan.Records {
			if s.IsDue() {
				due++
			}
		}
		if due == 0 {
			t.Fatalf("nothing due after 8 years: %v", plan)
		}
		if _, err := w.svc.Sweep(ctx, olga); err != nil {
			t.Errorf("the sweep fails on one value it need not read (%v)", err)
		}
		if _, err := mem.Record(ctx, "r-facts"); err == nil {
			t.Errorf("r-facts, due, outlives its period")
		}
	})

	// Rules O12, R9 for every kind of stored data (issue 14 §1): the group
	// history of an employer (which subjects were in the groups it was
	// answered figures about, rule N12) is personal data — a subject ID
	// tied to an employer and to the groups counted — yet no data rule
	// covers it (privacy.DataKinds has no kind for it), no sweep removes
	// it, and an erased subject stays in it for ever.
	t.Run("O12_group_history_keeps_an_erased_subject_for_ever", func(t *testing.T) {
		w := openWorld(t, memstore.NewKeyed(attack3Key), dossierwacht.Options{})
		carla, olga := w.actors[privacy.RoleCaseManager], w.actors[privacy.RolePrivacyOfficer]
		var members []privacy.SubjectID
		for i := range 10 {
			id := privacy.SubjectID(fmt.Sprintf("emp-%d", i))
			members = append(members, id)
			must(t, w.svc.RegisterSubject(ctx, carla, privacy.Subject{ID: id, Employer: bakery}))
		}
		w.now = time.Date(2026, 4, 2, 9, 0, 0, 0, time.UTC)
		_, err := w.svc.GroupFigure(ctx, w.actors[privacy.RoleEmployerContact], access.GroupRequest{Employer: bakery,
			Figure: access.FigurePeriodicExam, Members: members,
			From: time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC), To: time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC)})
		must(t, err)
		// emp-0 is erased, and years pass with sweeps.
		must(t, w.store.DeleteSubject(ctx, "emp-0", []privacy.Event{{Time: w.now, Principal: "olga", Role: privacy.RolePrivacyOfficer,
			Action: privacy.EventDelete, Outcome: privacy.OutcomeAllowed, Rule: privacy.O13, Subject: "emp-0", Object: "emp-0"}}))
		w.now = w.now.AddDate(10, 0, 0)
		_, err = w.svc.Sweep(ctx, olga)
		must(t, err)
		h, err := w.store.GroupHistory(ctx, bakery)
		must(t, err)
		for _, g := range h.Groups {
			if slices.Contains(g, "emp-0") {
				t.Errorf("10 years after her erasure the bakery's group history still names emp-0 (%d groups)", len(h.Groups))
				break
			}
		}
	})

	// Rules O12, R9 for requests (issue 14 §1; the ready policies keep a
	// request 2 years after it is closed): a request of someone the
	// service does not know (filed by staff; the desk allows it, and the
	// sealed store keeps its texts in the clear for that reason) is in
	// no subject's dossier, so no sweep ever looks at it: answered and
	// closed, it is kept for ever, with the person's ID and the reasons.
	t.Run("O12_request_of_an_unknown_person_never_swept", func(t *testing.T) {
		w := openWorld(t, memstore.NewKeyed(attack3Key), dossierwacht.Options{})
		carla, olga := w.actors[privacy.RoleCaseManager], w.actors[privacy.RolePrivacyOfficer]
		_, err := w.svc.FileRequest(ctx, carla, rights.Filing{ID: "req-stranger", Subject: "stranger", Kind: rights.KindAccess,
			Form: rights.FormWritten, Received: w.now})
		if err != nil {
			t.Skipf("the desk refuses a request of an unknown person: %v", err)
		}
		w.now = w.now.Add(time.Hour)
		_, err = w.svc.RefuseRequest(ctx, olga, "req-stranger", rights.GroundUnfounded, "not a client of the service")
		must(t, err)
		w.now = w.now.AddDate(10, 0, 0)
		_, err = w.svc.Sweep(ctx, olga)
		must(t, err)
		if _, err := w.store.Request(ctx, "req-stranger"); err == nil {
			t.Errorf("a request closed 10 years ago is kept: its 2 years ran out 8 years ago")
		}
	})

	// Rules O12, R9 (issue 14 §1) after a subject's erasure by the store's
	// own verb (privacy.Store.DeleteSubject — the path the README names for
	// erasing a subject, which the sealed store turns into the key's
	// destruction): the subject's cases and records go, her consents,
	// requests and disclosure-log entries stay, and with no subject left
	// no sweep ever reaches them: they are kept for ever.
	t.Run("O12_a_deleted_subjects_grants_and_requests_never_swept", func(t *testing.T) {
		w := openWorld(t, memstore.NewKeyed(attack3Key), dossierwacht.Options{})
		olga, annaA := w.actors[privacy.RolePrivacyOfficer], w.actors[privacy.RoleSubject]
		g, err := w.svc.GrantConsent(ctx, annaA, consent.Grant{ID: "g-1", Subject: anna, Case: case1,
			Recipient: consent.Recipient{Party: "lawyer", Kind: privacy.PartyThirdParty}, Purpose: privacy.PurposeAbsenceGuidance,
			Categories: []privacy.Category{privacy.CategoryNotes}, Form: consent.FormWritten, Document: "signed.pdf"})
		must(t, err)
		_, err = w.svc.FileRequest(ctx, annaA, rights.Filing{ID: "req-1", Subject: anna, Kind: rights.KindAccess, Form: rights.FormWritten})
		must(t, err)
		w.now = w.now.Add(time.Hour)
		_, err = w.svc.RevokeConsent(ctx, annaA, g.ID)
		must(t, err)
		_, err = w.svc.RefuseRequest(ctx, olga, "req-1", rights.GroundUnfounded, "no")
		must(t, err)
		must(t, w.store.DeleteSubject(ctx, anna, []privacy.Event{{Time: w.now, Principal: "olga", Role: privacy.RolePrivacyOfficer,
			Action: privacy.EventDelete, Outcome: privacy.OutcomeAllowed, Rule: privacy.O13, Subject: anna, Object: string(anna)}}))
		w.now = w.now.AddDate(10, 0, 0)
		_, err = w.svc.Sweep(ctx, olga)
		must(t, err)
		if gs, _ := w.store.SubjectGrants(ctx, anna); len(gs) > 0 {
			t.Errorf("10 years after anna's erasure her revoked consent is kept (%d grants)", len(gs))
		}
		if rs, _ := w.store.SubjectRequests(ctx, anna); len(rs) > 0 {
			t.Errorf("10 years after anna's erasure her closed request is kept (%d requests)", len(rs))
		}
	})
}
