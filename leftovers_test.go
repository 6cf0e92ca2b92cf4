package dossierwacht_test

import (
	"context"
	"testing"
	"time"

	"github.com/dossierwacht/dossierwacht/consent"
	"github.com/dossierwacht/dossierwacht/privacy"
	"github.com/dossierwacht/dossierwacht/rights"
)

// Rules O12, N7 (issue 14 §1: nothing about a person outlives its
// retention): an absence case the employer sent, never closed, of an
// employee whose employment ended. N7 keeps the absence administration 2
// years after the employment ends, and its records go then; but the case
// row (that the person had an absence case, opened when, under which
// contract) waited for a closing that never comes, and with it the
// subject's master data: 30 years on both were kept, their schedules
// "pending" under O12 with no statute and no hold. Now an absence case
// left open ends, for retention, with the employment
// (retention.CaseEnded); any case left open ends at its last activity
// (TestSweepRemovesAbandonedOpenCaseR9O12).
func TestSweepRemovesOpenCaseAfterEmploymentEndO12(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t)
	carla, olga := w.actors[privacy.RoleCaseManager], w.actors[privacy.RolePrivacyOfficer]
	must(t, w.svc.EndEmployment(ctx, carla, anna, w.now))
	w.now = w.now.AddDate(30, 0, 0)
	_, err := w.svc.Sweep(ctx, olga)
	must(t, err)
	if _, err := w.store.Record(ctx, "r-note"); err == nil {
		t.Fatalf("r-note outlives N7's 2 years after the employment ended")
	}
	if c, err := w.store.Case(ctx, case1); err == nil {
		t.Errorf("30 years after the employment ended, with every record of it gone, the absence case %s (opened %s) is kept",
			c.ID, c.Opened.Format(time.DateOnly))
	}
	if _, err := w.store.Subject(ctx, anna); err == nil {
		t.Errorf("30 years after the employment ended, anna's master data is kept")
	}
}

// Rules R9, O12 (issue 14 §1): a case left open, its subject still
// employed, was kept for as long as it stayed open, and its subject with
// it: a case forgotten by its case manager kept the absence reason and
// the master data for ever. Now a case left open ends, for retention, at
// its last activity (retention.CaseEnded): each record written moves that
// on, and 2 years and a day after the last one the case, its records and
// its subject go.
func TestSweepRemovesAbandonedOpenCaseR9O12(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t)
	carla, olga := w.actors[privacy.RoleCaseManager], w.actors[privacy.RolePrivacyOfficer]
	// A year on, a note: the case is worked on (2 March 2027).
	w.now = w.now.AddDate(1, 0, 0)
	must(t, w.svc.AddRecords(ctx, carla, record("r-later", privacy.CategoryNotes, privacy.FieldText, "still off work")))
	for _, step := range []struct {
		at   time.Time
		gone bool
	}{
		// 2 years and a day after the first records: the note moved the
		// case's end on; nothing goes.
		{time.Date(2028, 3, 3, 12, 0, 0, 0, time.UTC), false},
		// The last day of the 2 years after the note.
		{time.Date(2029, 3, 2, 12, 0, 0, 0, time.UTC), false},
		// The day after: the case, every record of it and anna go.
		{time.Date(2029, 3, 3, 12, 0, 0, 0, time.UTC), true},
	} {
		w.now = step.at
		_, err := w.svc.Sweep(ctx, olga)
		must(t, err)
		for _, id := range []privacy.RecordID{"r-facts", "r-note", "r-later"} {
			if _, err := w.store.Record(ctx, id); (err != nil) != step.gone {
				t.Errorf("sweep at %v: record %s gone %v, want %v", step.at, id, err != nil, step.gone)
			}
		}
		if _, err := w.store.Case(ctx, case1); (err != nil) != step.gone {
			t.Errorf("sweep at %v: the open case gone %v, want %v", step.at, err != nil, step.gone)
		}
		if _, err := w.store.Subject(ctx, anna); (err != nil) != step.gone {
			t.Errorf("sweep at %v: anna gone %v, want %v", step.at, err != nil, step.gone)
		}
	}
}

// Rules R11, O13, O12 (issue 14 §1): a subject request is kept "2 years
// after it is closed; an open request is kept". A request never answered
// — the subject's erasure carried out meanwhile, or a request of someone
// the service never registered — stays open for ever, and keeps with it
// the subject's master data: 30 years past its deadline both were kept,
// "pending" under R11 with no statute and no hold. Now a request never
// closed is kept 2 years from the end of its deadline
// (rights.Request.Ended), as a closed one is from its closing.
func TestSweepRemovesStaleOpenRequestR11(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t)
	olga, annaA := w.actors[privacy.RolePrivacyOfficer], w.actors[privacy.RoleSubject]
	_, err := w.svc.FileRequest(ctx, annaA, rights.Filing{ID: "req-copy", Subject: anna, Kind: rights.KindCopy, Form: rights.FormWritten,
		Document: "letter-1"})
	must(t, err)
	_, err = w.svc.FileRequest(ctx, annaA, rights.Filing{ID: "req-erase", Subject: anna, Kind: rights.KindErasure, Form: rights.FormWritten})
	must(t, err)
	w.now = w.now.Add(time.Hour)
	_, err = w.svc.Erase(ctx, olga, "req-erase", "granted")
	must(t, err)
	closeEndAndSweepDecadesOn(t, w)
	if r, err := w.store.Request(ctx, "req-copy"); err == nil {
		t.Errorf("the copy request (%q), open 30 years past its deadline %s, is kept", r.Document, r.Due)
	}
	if _, err := w.store.Subject(ctx, anna); err == nil {
		t.Errorf("30 years after her erasure and the end of her employment, anna's master data is kept (an open request keeps it)")
	}
}

// Rules R6, O14, O12 (issue 14 §1): a consent grant is kept 2 years
// after it ends, "an open-ended one with its subject" — and the subject
// outlives everything of it. A grant whose end lies beyond the subject's
// data (valid for a century) kept itself, and with it the subject's
// master data, until then: 30 years after the case closed and the
// employment ended, with every record gone, both were kept.
func TestSweepRemovesFarEndedGrantO12(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t)
	_, err := w.svc.GrantConsent(ctx, w.actors[privacy.RoleSubject], consent.Grant{ID: "g-century", Subject: anna, Case: case1,
		Recipient: consent.Recipient{Party: "lawyer", Kind: privacy.PartyThirdParty}, Purpose: privacy.PurposeAbsenceGuidance,
		Categories: []privacy.Category{privacy.CategoryNotes}, Form: consent.FormWritten, Document: "signed.pdf",
		Until: w.now.AddDate(100, 0, 0)})
	must(t, err)
	closeEndAndSweepDecadesOn(t, w)
	if _, err := w.store.Record(ctx, "r-note"); err == nil {
		t.Fatalf("r-note outlives its period")
	}
	if g, err := w.store.Grant(ctx, "g-century"); err == nil {
		t.Errorf("grant %s (to %s, until %s) is kept 30 years after everything it could cover is gone", g.ID, g.Recipient.Party,
			g.Until.Format(time.DateOnly))
	}
	if _, err := w.store.Subject(ctx, anna); err == nil {
		t.Errorf("anna's master data is kept 30 years after her case closed and her employment ended (a grant keeps it)")
	}
}

// closeEndAndSweepDecadesOn closes case1, ends anna's employment, and
// sweeps 30 years later, past every period but a standing hold's.
func closeEndAndSweepDecadesOn(t *testing.T, w *world) {
	t.Helper()
	ctx := context.Background()
	carla, olga := w.actors[privacy.RoleCaseManager], w.actors[privacy.RolePrivacyOfficer]
	must(t, w.svc.CloseCase(ctx, carla, case1))
	must(t, w.svc.EndEmployment(ctx, carla, anna, w.now))
	w.now = w.now.AddDate(30, 0, 0)
	_, err := w.svc.Sweep(ctx, olga)
	must(t, err)
}
