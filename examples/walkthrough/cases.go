package main

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/dossierwacht/dossierwacht/access"
	"github.com/dossierwacht/dossierwacht/privacy"
)

// openCases registers the bakery's employees and opens a case of each kind;
// Anna's absence case gets its records, the medical one in the separate
// file.
func (w *world) openCases(ctx context.Context) error {
	w.p.section("Five employees, a case of each kind (rules O2, R5)")
	for _, c := range []struct {
		subject privacy.SubjectID
		id      privacy.CaseID
		kind    privacy.CaseKind
		purpose privacy.Purpose
	}{
		{"employee-anna", annaCase, privacy.CaseAbsence, privacy.PurposeAbsenceGuidance},
		{"employee-bram", "case-bram-consultation", privacy.CaseConsultation, privacy.PurposePrevention},
		{"employee-chris", "case-chris-periodic-exam", privacy.CasePeriodicExam, privacy.PurposePrevention},
		{"employee-dana", "case-dana-preventive", privacy.CasePreventive, privacy.PurposePrevention},
		{"employee-eva", "case-eva-reintegration", privacy.CaseReintegration, privacy.PurposeReintegration},
	} {
		s, err := privacy.NewSubject(c.subject, bakery, w.now)
		if err != nil {
			return err
		}
		if err := w.dossiers.CreateSubject(ctx, act(w.carla, w.now), s); err != nil {
			return err
		}
		cs, err := privacy.NewCase(c.id, c.subject, c.kind, c.purpose, w.contract, w.now)
		if err != nil {
			return err
		}
		if err := w.dossiers.OpenCase(ctx, act(w.carla, w.now), cs); err != nil {
			return err
		}
		w.p.printf("  %-15s %-25s %-14s purpose %-17s contract %s\n", c.subject, c.id, c.kind, c.purpose, w.contract.ID)
	}
	_, err := privacy.NewCase("case-anna-marketing", "employee-anna", privacy.CaseAbsence, "marketing", w.contract, w.now)
	if err == nil {
		err = w.dossiers.OpenCase(ctx, act(w.carla, w.now), privacy.Case{ID: "case-anna-marketing", Subject: "employee-anna", Kind: privacy.CaseAbsence,
			Purpose: "marketing", Contract: w.contract, Opened: w.now})
	}
	w.p.printf("a case for marketing is refused: %v\n", err)

	w.p.section("Anna reports sick: the employer registers only what rule N1 allows")
	sick := map[privacy.Field]string{privacy.FieldFirstDay: "2026-03-02", privacy.FieldExpectedDuration: "2 weeks",
		privacy.FieldWorkAccident: "no", privacy.FieldReachableAt: "home address, 06-12345678"}
	c, err := w.dossiers.Case(ctx, annaCase)
	if err != nil {
		return err
	}
	for f := range sick {
		if err := w.mayWrite(ctx, w.bert, &c, privacy.CategoryAbsenceFacts, f); err != nil {
			return err
		}
	}
	w.p.printf("employer-contact-bert writes %d sick-report facts: allowed (rule N1)\n", len(sick))
	d, err := w.guard.Check(ctx, access.Request{Principal: w.bert, Case: &c, Action: privacy.ActionWrite,
		Category: privacy.CategoryAbsenceFacts, Field: privacy.FieldIncapacityDegree, Purpose: c.Purpose, Time: w.now})
	if err != nil {
		return err
	}
	w.p.printf("employer-contact-bert writes an incapacity percentage of its own: %s\n", d)
	records := []privacy.Record{
		{ID: "rec-identity", Case: annaCase, Category: privacy.CategoryIdentity, Author: w.bert.ID,
			Source: privacy.Source{Kind: privacy.PartyEmployer, Party: bakery}, Created: w.now,
			Fields: map[privacy.Field]string{privacy.FieldName: "Anna de Vries", privacy.FieldCity: "Utrecht"}},
		{ID: "rec-sick-report", Case: annaCase, Category: privacy.CategoryAbsenceFacts, Author: w.bert.ID,
			Source: privacy.Source{Kind: privacy.PartyEmployer, Party: bakery}, Created: w.now, Fields: sick},
		{ID: "rec-reason", Case: annaCase, Category: privacy.CategoryAbsenceReason, Author: w.carla.ID,
			Source: privacy.Source{Kind: privacy.PartySubject}, Created: w.now.Add(time.Hour),
			Fields: map[privacy.Field]string{privacy.FieldText: "back pain after lifting flour sacks"}},
		{ID: "rec-capacity", Case: annaCase, Category: privacy.CategoryWorkCapacity, Author: w.dirk.ID,
			Source: privacy.Source{Kind: privacy.PartyService}, Created: w.now.Add(2 * time.Hour),
			Fields: map[privacy.Field]string{privacy.FieldLimitations: "no lifting over 10 kg", privacy.FieldCapacities: "counter work",
				privacy.FieldExpectedDuration: "4 weeks", privacy.FieldIncapacityDegree: "50%"}},
	}
	if err := w.dossiers.AddRecords(ctx, act(w.carla, w.now.Add(2*time.Hour)), records...); err != nil {
		return err
	}
	for _, r := range records {
		w.p.printf("recorded %-15s category %-14s source %-8s (rules R2, R4)\n", r.ID, r.Category, r.Source.Kind)
	}
	medical := privacy.Record{ID: "rec-medical", Case: annaCase, Category: privacy.CategoryMedical, Author: w.dirk.ID,
		Source: privacy.Source{Kind: privacy.PartyService}, Created: w.now.Add(2 * time.Hour),
		Fields: map[privacy.Field]string{privacy.FieldText: "lumbar strain; physiotherapy advised"}}
	if err := w.dossiers.AddRecord(ctx, act(w.dirk, medical.Created), medical); err != nil {
		return err
	}
	w.p.printf("recorded %-15s in the separate medical file (rule O6)\n", medical.ID)
	visit := privacy.Record{ID: "rec-visit", Case: "case-bram-consultation", Category: privacy.CategoryConsultation, Author: w.dirk.ID,
		Source: privacy.Source{Kind: privacy.PartySubject}, Created: w.now,
		Fields: map[privacy.Field]string{privacy.FieldConsultationKind: "spreekuur", privacy.FieldDate: "2026-03-02"}}
	if err := w.dossiers.AddRecord(ctx, act(w.dirk, visit.Created), visit); err != nil {
		return err
	}
	w.p.printf("recorded %-15s Bram's visit to the consultation hour (rule O10)\n", visit.ID)
	return nil
}

// mayWrite asks the guard whether p may write field f, and fails the
// walkthrough if not.
func (w *world) mayWrite(ctx context.Context, p *access.Principal, c *privacy.Case, cat privacy.Category, f privacy.Field) error {
	d, err := w.guard.Check(ctx, access.Request{Principal: p, Case: c, Action: privacy.ActionWrite, Category: cat,
		Field: f, Purpose: c.Purpose, Time: w.now, Create: true})
	if err != nil {
		return err
	}
	if !d.Allowed {
		return fmt.Errorf("walkthrough: %s may not write %s: %s", p.ID, f, d)
	}
	return nil
}

// refuseForbidden tries to write a record in a special category.
func (w *world) refuseForbidden(ctx context.Context) error {
	w.p.section("A record in a forbidden category is refused (rule O5)")
	r := privacy.Record{ID: "rec-religion", Case: annaCase, Category: privacy.CategoryReligion,
		Author: w.carla.ID, Source: privacy.Source{Kind: privacy.PartyService}, Created: w.now.Add(3 * time.Hour),
		Fields: map[privacy.Field]string{privacy.FieldText: "…"}}
	err := w.dossiers.AddRecord(ctx, act(w.carla, r.Created), r)
	if !errors.Is(err, privacy.ErrProhibitedCategory) {
		return fmt.Errorf("walkthrough: a special category was not refused: %v", err)
	}
	_, lookErr := w.dossiers.Record(ctx, r.ID)
	w.p.printf("refused: %v\n", err)
	w.p.printf("stored afterwards: %t (rule %s)\n", !errors.Is(lookErr, privacy.ErrNotFound), privacy.RuleOf(err))
	return nil
}
