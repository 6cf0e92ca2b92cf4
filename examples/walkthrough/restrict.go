package main

import (
	"context"
	"slices"
	"time"

	"github.com/dossierwacht/dossierwacht/access"
	"github.com/dossierwacht/dossierwacht/privacy"
	"github.com/dossierwacht/dossierwacht/rights"
)

// restrictProcessing: Anna contests the accuracy of the absence reason and
// asks that its processing be restricted while it is checked (GDPR art.
// 18(1)(a)). The privacy officer grants it; while it stands the record is
// only stored — Anna sees it, the case manager does not, and no one
// changes it; the officer lifts it once Anna has been told (art. 18(3)).
func (w *world) restrictProcessing(ctx context.Context) error {
	w.later(time.Hour)
	w.section("Anna contests a record: its processing is restricted (GDPR art. 18)")
	req, err := w.svc.FileRequest(ctx, w.anna, rights.Filing{ID: "req-anna-restrict", Subject: "employee-anna",
		Kind: rights.KindRestriction, Form: rights.FormWritten, Document: "letter-anna-restrict",
		Records: []privacy.RecordID{"rec-reason"}})
	if err != nil {
		return err
	}
	hold, err := w.svc.Restrict(ctx, w.olga, req.ID, "accuracy contested; processing restricted while it is checked")
	if err != nil {
		return err
	}
	w.p.printf("Anna files %s for %v;\n  olga grants it: restriction %s (rule %s)\n", req.ID, req.Records,
		hold.ID, privacy.RuleRestriction)

	w.later(time.Hour)
	shows := func(a *access.Principal, purpose privacy.Purpose) (bool, error) {
		v, err := w.svc.View(ctx, a, annaCase, purpose)
		if err != nil {
			return false, err
		}
		return slices.ContainsFunc(v.Records, func(r access.RecordView) bool { return r.ID == "rec-reason" }), nil
	}
	for _, who := range []struct {
		name    string
		a       *access.Principal
		purpose privacy.Purpose
	}{{"Anna", w.anna, ""}, {"carla", w.carla, privacy.PurposeAbsenceGuidance}} {
		shown, err := shows(who.a, who.purpose)
		if err != nil {
			return err
		}
		w.p.printf("  %-7s view shows rec-reason: %t\n", who.name+"'s", shown)
	}
	err = w.svc.UpdateRecord(ctx, w.carla, record("rec-reason", privacy.CategoryAbsenceReason, privacy.PartySubject,
		map[privacy.Field]string{privacy.FieldText: "back pain"}))
	w.p.printf("  carla's correction of rec-reason meanwhile: refused by\n  %s\n", why(err))

	w.later(24 * time.Hour)
	if err := w.svc.LiftHold(ctx, w.olga, hold.ID, "the record was checked with Anna and told her before lifting"); err != nil {
		return err
	}
	shown, err := shows(w.carla, privacy.PurposeAbsenceGuidance)
	if err != nil {
		return err
	}
	w.p.printf("olga lifts %s after telling Anna (GDPR art. 18(3));\n  carla's view shows rec-reason: %t\n",
		hold.ID, shown)
	return nil
}
