package main

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"time"

	"github.com/dossierwacht/dossierwacht/access"
	"github.com/dossierwacht/dossierwacht/access/rights"
	"github.com/dossierwacht/dossierwacht/consent"
	"github.com/dossierwacht/dossierwacht/examples/sqlitestore"
	"github.com/dossierwacht/dossierwacht/privacy"
	"github.com/dossierwacht/dossierwacht/retention"
)

// world is the walkthrough's service: one employer (a bakery) under
// contract, its absence insurer, five employees with a case of each kind,
// the service's staff, the strict policy, and everything — the case file,
// the medical file, the audit trail, the consent register, the requests,
// the holds and proofs — in one SQLite file (the embedded default).
type world struct {
	p        *printer
	dir      string // the SQLite file's temporary directory
	outDir   string // where the export goes
	store    *sqlitestore.Store
	dossiers *privacy.Dossiers
	policy   *privacy.Policy
	now      time.Time // the walkthrough's clock: passed in, never read
	contract privacy.Contract

	audit    access.Store
	guard    *access.Guard
	registry *consent.Registry
	desk     *rights.Desk
	keeper   *retention.Retention

	// The principals, as the caller's own authentication vouches for them
	// (rule R12: the library never authenticates).
	bert, ida, carla, dirk, sam, adam *access.Principal
}

const (
	bakery   privacy.PartyID = "employer-bakery"
	zeker    privacy.PartyID = "insurer-zeker"
	service  privacy.PartyID = "the-service"
	annaCase privacy.CaseID  = "case-anna-absence"
)

func newWorld(ctx context.Context, p *printer, outDir string) (w *world, err error) {
	dir, err := os.MkdirTemp("", "dossierwacht-walkthrough-")
	if err != nil {
		return nil, err
	}
	store, err := sqlitestore.Open(ctx, filepath.Join(dir, "dossiers.db"), nil)
	if err != nil {
		return nil, errors.Join(err, os.RemoveAll(dir))
	}
	w = &world{p: p, dir: dir, outDir: outDir, store: store, policy: privacy.Strict(),
		now: time.Date(2026, time.March, 2, 9, 0, 0, 0, time.UTC),
		contract: privacy.Contract{ID: "contract-bakery", Party: bakery, PartyKind: privacy.PartyEmployer,
			Start: time.Date(2025, time.January, 1, 0, 0, 0, 0, time.UTC)},
	}
	defer func() {
		if err != nil {
			err = errors.Join(err, w.close())
		}
	}()
	if w.dossiers, err = privacy.NewDossiers(store, w.policy); err != nil {
		return nil, err
	}
	w.audit = store
	if w.guard, err = access.New(w.audit, w.dossiers, nil); err != nil {
		return nil, err
	}
	if w.registry, err = consent.New(store, w.policy, nil); err != nil {
		return nil, err
	}
	if w.keeper, err = retention.New(store, w.policy, &retention.Options{Recipients: recipients{w.registry, w.dossiers}}); err != nil {
		return nil, err
	}
	rules, err := retention.NewRules(w.policy)
	if err != nil {
		return nil, err
	}
	if w.desk, err = rights.New(store, w.dossiers, &rights.Options{
		Complaints:  "klachtenregeling: klachten@dienst.example",
		Disclosures: rights.FromConsent(w.registry),
		Consents:    rights.FromConsent(w.registry),
		Audit:       rights.FromAudit(w.guard),
		Retention:   rights.RetentionFromStore(store, rules),
	}); err != nil {
		return nil, err
	}
	w.principals()

	p.section("The policy and the store")
	p.printf("policy %s version %s, in force from %s (rule O16)\n", w.policy.Name, w.policy.Version, w.policy.Effective.Format("2006-01-02"))
	p.printf("everything kept in one SQLite file, %s; medical records in a table of their own (rule O6)\n", filepath.Base(store.Path()))
	return w, nil
}

func (w *world) principals() {
	staff := func(id privacy.PrincipalID, role privacy.Role, secrecy privacy.SecrecyBasis, mfa bool, cases ...privacy.CaseID) *access.Principal {
		return access.NewPrincipal(privacy.Principal{ID: id, Role: role, Party: service, Secrecy: secrecy, MultiFactor: mfa}, cases, nil)
	}
	w.bert = access.NewPrincipal(privacy.Principal{ID: "employer-contact-bert", Role: privacy.RoleEmployerContact, Party: bakery}, nil, []privacy.PartyID{bakery})
	w.ida = access.NewPrincipal(privacy.Principal{ID: "insurer-ida", Role: privacy.RoleInsurer, Party: zeker}, nil, []privacy.PartyID{bakery})
	w.carla = staff("case-manager-carla", privacy.RoleCaseManager, privacy.SecrecyAgreement, false, annaCase)
	w.dirk = staff("physician-dirk", privacy.RolePhysician, privacy.SecrecyProfessional, true, annaCase)
	w.sam = staff("support-sam", privacy.RoleSupportStaff, privacy.SecrecyAgreement, false)
	w.adam = staff("administrator-adam", privacy.RoleAdministrator, privacy.SecrecyNone, true)
}

// close closes the store and removes its directory.
func (w *world) close() error {
	return errors.Join(w.store.Close(), os.RemoveAll(w.dir))
}

// recipients tells a retention sweep whom the disclosure log says must hear
// of an erasure (rule G4): for each record, the parties a logged disclosure
// gave it to.
type recipients struct {
	reg      *consent.Registry
	dossiers *privacy.Dossiers
}

func (r recipients) Recipients(ctx context.Context, records []privacy.RecordID) (map[privacy.RecordID][]retention.Recipient, error) {
	out := map[privacy.RecordID][]retention.Recipient{}
	for _, id := range records {
		rec, err := r.dossiers.Record(ctx, id)
		if errors.Is(err, privacy.ErrNotFound) {
			rec, err = r.dossiers.MedicalRecord(ctx, id)
		}
		if err != nil {
			return nil, err
		}
		notices, err := r.reg.Notify(ctx, rec.Subject, consent.Item{Category: rec.Category, Record: id})
		if err != nil {
			return nil, err
		}
		for _, n := range notices {
			out[id] = append(out[id], retention.Recipient{Party: n.Recipient.Party, Kind: n.Recipient.Kind})
		}
	}
	return out, nil
}
