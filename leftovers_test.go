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
// (retention.CaseEnded). A preventive, consultation-hour or periodic-exam
// case left open is still kept while it is open: it may outlive the
// employment, and only its closing ends it (README, "What is kept").
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
