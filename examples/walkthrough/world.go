package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/dossierwacht/dossierwacht/examples/sqlitestore"
	"github.com/dossierwacht/dossierwacht/privacy"
)

// world is the walkthrough's service: one employer under contract, a few
// employees, the strict policy, the case file in a SQLite file (the
// embedded default) in a temporary directory that close removes.
type world struct {
	p        *printer
	dir      string
	store    *sqlitestore.Store
	dossiers *privacy.Dossiers
	policy   *privacy.Policy
	now      time.Time // the walkthrough's clock: passed in, never read
	contract privacy.Contract
}

func newWorld(ctx context.Context, p *printer) (*world, error) {
	dir, err := os.MkdirTemp("", "dossierwacht-walkthrough-")
	if err != nil {
		return nil, err
	}
	store, err := sqlitestore.Open(ctx, filepath.Join(dir, "dossiers.db"), nil)
	if err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	policy := privacy.Strict()
	d, err := privacy.NewDossiers(store, policy)
	if err != nil {
		store.Close()
		os.RemoveAll(dir)
		return nil, err
	}
	w := &world{
		p: p, dir: dir, store: store, dossiers: d, policy: policy,
		now: time.Date(2026, time.March, 2, 9, 0, 0, 0, time.UTC),
		contract: privacy.Contract{ID: "contract-bakery", Party: "employer-bakery", PartyKind: privacy.PartyEmployer,
			Start: time.Date(2025, time.January, 1, 0, 0, 0, 0, time.UTC)},
	}
	p.section("Policy")
	p.printf("policy %s version %s, in force from %s (rule O16)\n", policy.Name, policy.Version, policy.Effective.Format("2006-01-02"))
	p.printf("case file kept in SQLite, one file: %s (medical records in a table of their own, rule O6)\n", filepath.Base(store.Path()))
	return w, nil
}

// close closes the store and removes its directory.
func (w *world) close() error {
	return errors.Join(w.store.Close(), os.RemoveAll(w.dir))
}

func (w *world) openCase(ctx context.Context) error {
	w.p.section("A sick report opens an absence case")
	s, err := privacy.NewSubject("employee-anna", "employer-bakery", w.now)
	if err != nil {
		return err
	}
	if err := w.dossiers.CreateSubject(ctx, s); err != nil {
		return err
	}
	c, err := privacy.NewCase("case-anna-absence", s.ID, privacy.CaseAbsence, privacy.PurposeAbsenceGuidance, w.contract, w.now)
	if err != nil {
		return err
	}
	if err := w.dossiers.OpenCase(ctx, c); err != nil {
		return err
	}
	w.p.printf("opened %s for %s under %s, purpose %s (rules O2, R5)\n", c.ID, s.ID, c.Contract.ID, c.Purpose)
	records := []privacy.Record{
		{ID: "rec-identity", Case: c.ID, Category: privacy.CategoryIdentity, Author: "employer-contact-bert",
			Source: privacy.Source{Kind: privacy.PartyEmployer, Party: "employer-bakery"}, Created: w.now,
			Fields: map[privacy.Field]string{privacy.FieldName: "Anna de Vries", privacy.FieldCity: "Utrecht"}},
		{ID: "rec-sick-report", Case: c.ID, Category: privacy.CategoryAbsenceFacts, Author: "employer-contact-bert",
			Source: privacy.Source{Kind: privacy.PartyEmployer, Party: "employer-bakery"}, Created: w.now,
			Fields: map[privacy.Field]string{privacy.FieldFirstDay: "2026-03-02", privacy.FieldExpectedDuration: "2 weeks",
				privacy.FieldWorkAccident: "no"}},
		{ID: "rec-reason", Case: c.ID, Category: privacy.CategoryAbsenceReason, Author: "case-manager-carla",
			Source: privacy.Source{Kind: privacy.PartySubject}, Created: w.now.Add(time.Hour),
			Fields: map[privacy.Field]string{privacy.FieldText: "back pain after lifting"}},
	}
	if err := w.dossiers.AddRecords(ctx, records...); err != nil {
		return err
	}
	for _, r := range records {
		w.p.printf("recorded %s: category %s, source %s (rules R2, R4, O9)\n", r.ID, r.Category, r.Source.Kind)
	}
	medical := privacy.Record{ID: "rec-medical", Case: c.ID, Category: privacy.CategoryMedical, Author: "physician-dirk",
		Source: privacy.Source{Kind: privacy.PartyService}, Created: w.now.Add(2 * time.Hour),
		Fields: map[privacy.Field]string{privacy.FieldText: "lumbar strain; physiotherapy advised"}}
	if err := w.dossiers.AddRecord(ctx, medical); err != nil {
		return err
	}
	w.p.printf("recorded %s in the separate medical file (rule O6)\n", medical.ID)
	return nil
}

func (w *world) refuseSpecialCategory(ctx context.Context) error {
	w.p.section("A record in a forbidden category is refused")
	r := privacy.Record{ID: "rec-religion", Case: "case-anna-absence", Category: privacy.CategoryReligion,
		Author: "case-manager-carla", Source: privacy.Source{Kind: privacy.PartyService}, Created: w.now.Add(3 * time.Hour),
		Fields: map[privacy.Field]string{privacy.FieldText: "…"}}
	err := w.dossiers.AddRecord(ctx, r)
	if !errors.Is(err, privacy.ErrProhibitedCategory) {
		return fmt.Errorf("walkthrough: a special category was not refused: %v", err)
	}
	_, lookErr := w.dossiers.Record(ctx, r.ID)
	w.p.printf("refused: %v\n", err)
	w.p.printf("stored afterwards: %t (rule %s)\n", !errors.Is(lookErr, privacy.ErrNotFound), privacy.RuleOf(err))
	return nil
}

func (w *world) printCase(ctx context.Context) error {
	w.p.section("The case as stored")
	c, err := w.dossiers.Case(ctx, "case-anna-absence")
	if err != nil {
		return err
	}
	w.p.printf("case %s: kind %s, opened %s, open %t\n", c.ID, c.Kind, c.Opened.Format("2006-01-02"), c.IsOpen())
	for r, err := range w.dossiers.CaseRecords(ctx, c.ID) {
		if err != nil {
			return err
		}
		w.p.printf("  %-16s %-15s %v\n", r.ID, r.Category, r.Fields)
	}
	for r, err := range w.dossiers.CaseMedicalRecords(ctx, c.ID) {
		if err != nil {
			return err
		}
		w.p.printf("  %-16s %-15s (medical file, physicians only: rule O6)\n", r.ID, r.Category)
	}
	return nil
}
