package main

import (
	"context"
	"crypto/rand"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"github.com/dossierwacht/dossierwacht"
	"github.com/dossierwacht/dossierwacht/access"
	"github.com/dossierwacht/dossierwacht/examples/sqlitestore"
	"github.com/dossierwacht/dossierwacht/privacy"
)

// world is the walkthrough's service: one employer (a bakery) under
// contract, its absence insurer, five employees with a case of each kind,
// the service's staff, the strict policy, and everything — the case file,
// the medical file, the audit trail, the consent register, the requests,
// the holds and proofs — in one SQLite file behind one front door.
type world struct {
	p      *printer
	outDir string // where the SQLite file and the export go
	path   string // the SQLite file
	store  *sqlitestore.Store
	svc    *dossierwacht.Service
	// now is the Service's clock: the walkthrough moves it forward
	// between acts, and no verb takes a time of its own.
	now      time.Time
	contract privacy.Contract

	// checkpoint are the heads of the audit trail's chains the privacy
	// officer verified; the Service keeps them in checkpointFile too.
	checkpoint access.Heads

	// The actors, as the caller's own authentication vouches for them
	// (rule R12: the library never authenticates).
	anna, bert, ida, carla, dirk, sam, adam, olga *dossierwacht.Actor
}

const (
	bakery   privacy.PartyID = "employer-bakery"
	zeker    privacy.PartyID = "insurer-zeker"
	service  privacy.PartyID = "the-service"
	annaCase privacy.CaseID  = "case-anna-absence"
	bramCase privacy.CaseID  = "case-bram-consultation"
)

// The files in the output directory: the SQLite file; the key its audit
// chains are computed under, which the file does not hold (rule G7); the
// checkpoints of the chains' heads, kept outside the file. A service keeps
// the key in its secret store and the checkpoints where the database's
// writers cannot write; the walkthrough keeps them beside the file, for
// you to try the command with.
const (
	dbFile         = "dossiers.db"
	keyFile        = "audit.key"
	checkpointFile = "checkpoints.json"
)

// auditKey returns the key of the audit chains in dir: the one an earlier
// run made, so that runs tell the same story, else 32 new random bytes,
// kept 0600.
func auditKey(dir string) ([]byte, error) {
	path := filepath.Join(dir, keyFile)
	if key, err := os.ReadFile(path); err == nil && len(key) == 32 {
		return key, os.Chmod(path, 0o600)
	}
	key := make([]byte, 32)
	_, _ = rand.Read(key) // never fails (Go 1.24 and later)
	if err := os.WriteFile(path, key, 0o600); err != nil {
		return nil, err
	}
	return key, os.Chmod(path, 0o600)
}

func newWorld(ctx context.Context, p *printer, outDir string) (w *world, err error) {
	// The folder holds the case file and the subject's export: its owner's
	// only.
	if err := os.MkdirAll(outDir, 0o700); err != nil {
		return nil, err
	}
	if err := os.Chmod(outDir, 0o700); err != nil {
		return nil, err
	}
	w = &world{p: p, outDir: outDir, path: filepath.Join(outDir, dbFile),
		now: time.Date(2026, time.March, 2, 9, 0, 0, 0, time.UTC),
		contract: privacy.Contract{ID: "contract-bakery", Party: bakery, PartyKind: privacy.PartyEmployer,
			Start: time.Date(2025, time.January, 1, 0, 0, 0, 0, time.UTC)},
	}
	// A new run starts with a new file (and its WAL files), and new
	// checkpoints: the old ones are of the old file's chains.
	for _, name := range []string{w.path, w.path + "-wal", w.path + "-shm", filepath.Join(outDir, checkpointFile)} {
		if err := os.Remove(name); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return nil, err
		}
	}
	key, err := auditKey(outDir)
	if err != nil {
		return nil, err
	}
	if w.store, err = sqlitestore.Open(ctx, w.path, &sqlitestore.Options{AuditKey: key}); err != nil {
		return nil, err
	}
	w.svc, err = dossierwacht.Open(ctx, w.store, privacy.Strict(), &dossierwacht.Options{
		Clock:       func() time.Time { return w.now },
		Complaints:  "klachtenregeling: klachten@dienst.example",
		Checkpoints: access.NewFileCheckpoints(filepath.Join(outDir, checkpointFile)),
	})
	if err != nil {
		return nil, errors.Join(err, w.store.Close())
	}
	w.actors()

	w.section("The policy and the store")
	policy := w.svc.Policy()
	p.printf("policy %s version %s, in force from %s (rule O16)\n", policy.Name, policy.Version,
		policy.Effective.Format("2006-01-02"))
	abs, err := filepath.Abs(w.path)
	if err != nil {
		abs = w.path
	}
	p.printf("everything is kept in one SQLite file, the medical records in a table of their own (rule O6):\n")
	p.printf("  %s\n", abs)
	p.printf("every step below is a verb of the front door, dossierwacht.Service, taken by an actor:\n")
	p.printf("decided, written to the audit trail and timed by the Service's clock (rules O1, N9)\n")
	return w, nil
}

// actors makes the people of the walkthrough. Staff work for the service,
// bound to secrecy; the physician signed in with a second factor (N6).
func (w *world) actors() {
	staff := func(id privacy.PrincipalID, role privacy.Role, secrecy privacy.SecrecyBasis, mfa bool,
		cases ...privacy.CaseID) *dossierwacht.Actor {
		return dossierwacht.NewActor(privacy.Principal{ID: id, Role: role, Party: service, Secrecy: secrecy,
			MultiFactor: mfa}, cases, nil)
	}
	w.anna = dossierwacht.NewActor(privacy.Principal{ID: "employee-anna", Role: privacy.RoleSubject,
		Subject: "employee-anna"}, nil, nil)
	w.bert = dossierwacht.NewActor(privacy.Principal{ID: "employer-contact-bert", Role: privacy.RoleEmployerContact,
		Party: bakery}, nil, []privacy.PartyID{bakery})
	w.ida = dossierwacht.NewActor(privacy.Principal{ID: "insurer-ida", Role: privacy.RoleInsurer, Party: zeker},
		nil, []privacy.PartyID{bakery})
	w.carla = staff("case-manager-carla", privacy.RoleCaseManager, privacy.SecrecyAgreement, false, annaCase)
	w.dirk = staff("physician-dirk", privacy.RolePhysician, privacy.SecrecyProfessional, true, annaCase, bramCase)
	w.sam = staff("support-sam", privacy.RoleSupportStaff, privacy.SecrecyAgreement, false)
	w.adam = staff("administrator-adam", privacy.RoleAdministrator, privacy.SecrecyNone, true)
	w.olga = staff("privacy-officer-olga", privacy.RolePrivacyOfficer, privacy.SecrecyAgreement, true)
}

// at moves the Service's clock to t: the next verbs happen then.
func (w *world) at(t time.Time) { w.now = t }

// later moves the Service's clock forward by d.
func (w *world) later(d time.Duration) { w.now = w.now.Add(d) }

// section starts an act, with the Service's clock.
func (w *world) section(title string) {
	w.p.printf("\n== %s  %s\n", w.now.Format("2006-01-02 15:04"), title)
}

// close closes the store; the file stays, for a person to look at.
func (w *world) close() error { return w.store.Close() }
