package main

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/dossierwacht/dossierwacht"
	"github.com/dossierwacht/dossierwacht/consent"
	"github.com/dossierwacht/dossierwacht/privacy"
)

// The five employees and their cases, one of each kind.
var cases = []struct {
	subject privacy.SubjectID
	id      privacy.CaseID
	kind    privacy.CaseKind
	purpose privacy.Purpose
}{
	{"employee-anna", annaCase, privacy.CaseAbsence, privacy.PurposeAbsenceGuidance},
	{"employee-bram", bramCase, privacy.CaseConsultation, privacy.PurposePrevention},
	{"employee-chris", "case-chris-periodic-exam", privacy.CasePeriodicExam, privacy.PurposePrevention},
	{"employee-dana", "case-dana-preventive", privacy.CasePreventive, privacy.PurposePrevention},
	{"employee-eva", "case-eva-reintegration", privacy.CaseReintegration, privacy.PurposeReintegration},
}

// openCases has the employer register its five employees and the case
// manager open a case of each kind; a case for a purpose the policy does
// not know is refused.
func (w *world) openCases(ctx context.Context) error {
	w.section("Five employees, a case of each kind (rules O8, O2, R5)")
	for _, c := range cases {
		// Rule O8: the employer supplies the master data.
		if err := w.svc.RegisterSubject(ctx, w.bert, privacy.Subject{ID: c.subject, Employer: bakery}); err != nil {
			return err
		}
		if err := w.svc.OpenCase(ctx, w.carla, w.newCase(c.id, c.subject, c.kind, c.purpose)); err != nil {
			return err
		}
		w.p.printf("  %-14s %-24s %-13s for %-16s under %s\n", c.subject, c.id, c.kind, c.purpose, w.contract.ID)
	}
	w.p.printf("employer-contact-bert registered the employees (rule O8); case-manager-carla opened the cases\n")
	w.p.printf("under the bakery's contract (rule O2), each for the purpose of its kind (rule R5)\n")
	// Rule O11: the coverage register, not the insurer's word, says whose
	// sick employees an insurer sees.
	if _, err := w.svc.RecordCoverage(ctx, w.carla, consent.Coverage{ID: "coverage-zeker-bakery", Insurer: zeker,
		Employer: bakery, From: w.contract.Start}); err != nil {
		return err
	}
	w.p.printf("the coverage register records that %s covers the bakery's absence risk (rule O11)\n", zeker)
	err := w.svc.OpenCase(ctx, w.carla, w.newCase("case-anna-marketing", "employee-anna", privacy.CaseAbsence, "marketing"))
	if !errors.Is(err, privacy.ErrInvalid) && !errors.Is(err, privacy.ErrForbidden) {
		return fmt.Errorf("a case for marketing was not refused: %w", err)
	}
	w.p.printf("a case for marketing is refused by\n  %s\n", why(err))
	return nil
}

func (w *world) newCase(id privacy.CaseID, subject privacy.SubjectID, kind privacy.CaseKind, purpose privacy.Purpose) privacy.Case {
	return privacy.Case{ID: id, Subject: subject, Kind: kind, Purpose: purpose, Contract: w.contract}
}

// record is a record of Anna's case; the Service sets its author (the
// actor), its purpose (the case's) and its times (the clock).
func record(id privacy.RecordID, cat privacy.Category, source privacy.PartyKind, fields map[privacy.Field]string) privacy.Record {
	r := privacy.Record{ID: id, Case: annaCase, Subject: "employee-anna", Category: cat,
		Source: privacy.Source{Kind: source}, Fields: fields}
	if source == privacy.PartyEmployer {
		r.Source.Party = bakery
	}
	return r
}

// sickReport has Anna's employer report her sick with only what rule N1
// allows, then the case manager and the physician add their records, the
// medical one in the separate file.
func (w *world) sickReport(ctx context.Context) error {
	w.section("Anna reports sick: the employer registers only what rule N1 allows")
	sick := record("rec-sick-report", privacy.CategoryAbsenceFacts, privacy.PartyEmployer, map[privacy.Field]string{
		privacy.FieldFirstDay: "2026-03-02", privacy.FieldExpectedDuration: "2 weeks",
		privacy.FieldWorkAccident: "no", privacy.FieldReachableAt: "home address, 06-12345678"})
	identity := record("rec-identity", privacy.CategoryIdentity, privacy.PartyEmployer, map[privacy.Field]string{
		privacy.FieldName: "Anna de Vries", privacy.FieldCity: "Utrecht"})
	if err := w.svc.AddRecords(ctx, w.bert, identity, sick); err != nil {
		return err
	}
	w.p.printf("employer-contact-bert writes her name and city, and %d sick-report facts: allowed (rule N1)\n",
		len(sick.Fields))
	own := record("rec-employer-estimate", privacy.CategoryAbsenceFacts, privacy.PartyEmployer,
		map[privacy.Field]string{privacy.FieldIncapacityDegree: "100%"})
	err := w.svc.AddRecords(ctx, w.bert, own)
	if !errors.Is(err, privacy.ErrForbidden) {
		return fmt.Errorf("the employer's own incapacity percentage was not refused: %w", err)
	}
	w.p.printf("employer-contact-bert writes an incapacity percentage of its own: refused by\n  %s\n", why(err))

	w.later(time.Hour)
	reason := record("rec-reason", privacy.CategoryAbsenceReason, privacy.PartySubject, map[privacy.Field]string{
		privacy.FieldText: "back pain after lifting flour sacks"})
	if err := w.svc.AddRecords(ctx, w.carla, reason); err != nil {
		return err
	}
	w.later(time.Hour)
	capacity := record("rec-capacity", privacy.CategoryWorkCapacity, privacy.PartyService, map[privacy.Field]string{
		privacy.FieldLimitations: "no lifting over 10 kg", privacy.FieldCapacities: "counter work",
		privacy.FieldExpectedDuration: "4 weeks", privacy.FieldIncapacityDegree: "50%"})
	medical := record("rec-medical", privacy.CategoryMedical, privacy.PartyService, map[privacy.Field]string{
		privacy.FieldText: "lumbar strain; physiotherapy advised"})
	// The medical file is kept apart (rule O6): its record is a write of
	// its own.
	if err := w.svc.AddRecords(ctx, w.dirk, capacity); err != nil {
		return err
	}
	if err := w.svc.AddRecords(ctx, w.dirk, medical); err != nil {
		return err
	}
	for _, r := range []struct {
		rec privacy.Record
		by  *dossierwacht.Actor
	}{{identity, w.bert}, {sick, w.bert}, {reason, w.carla}, {capacity, w.dirk}} {
		w.p.printf("recorded %-15s %-14s by %-21s source %-8s (rules R2, R4)\n",
			r.rec.ID, r.rec.Category, r.by.ID, r.rec.Source.Kind)
	}
	w.p.printf("recorded %-15s by physician-dirk, in the separate medical file (rule O6)\n", medical.ID)
	visit := privacy.Record{ID: "rec-visit", Case: bramCase, Subject: "employee-bram", Category: privacy.CategoryConsultation,
		Source: privacy.Source{Kind: privacy.PartySubject},
		Fields: map[privacy.Field]string{privacy.FieldConsultationKind: "spreekuur", privacy.FieldDate: "2026-03-02"}}
	if err := w.svc.AddRecords(ctx, w.dirk, visit); err != nil {
		return err
	}
	w.p.printf("recorded %-15s Bram's visit to the consultation hour, by physician-dirk (rule O10)\n", visit.ID)
	return nil
}

// refuseForbidden tries to write a record in a special category: it is
// refused, and nothing is stored.
func (w *world) refuseForbidden(ctx context.Context) error {
	w.later(time.Hour)
	w.section("A record in a forbidden category is refused (rule O5)")
	r := record("rec-religion", privacy.CategoryReligion, privacy.PartyService, map[privacy.Field]string{privacy.FieldText: "…"})
	err := w.svc.AddRecords(ctx, w.carla, r)
	if !errors.Is(err, privacy.ErrProhibitedCategory) {
		return fmt.Errorf("a special category was not refused: %w", err)
	}
	w.p.printf("case-manager-carla writes a record about religion: refused by\n  %s\n", why(err))
	v, err := w.svc.View(ctx, w.carla, annaCase, privacy.PurposeAbsenceGuidance)
	if err != nil {
		return err
	}
	for _, rec := range v.Records {
		if rec.ID == r.ID {
			return errors.New("the refused record was stored")
		}
	}
	w.p.printf("stored afterwards: nothing; carla's view of the case holds %s (rule O5)\n",
		plural(len(v.Records), "record"))
	return nil
}
