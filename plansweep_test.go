package dossierwacht_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/dossierwacht/dossierwacht"
	"github.com/dossierwacht/dossierwacht/consent"
	"github.com/dossierwacht/dossierwacht/memstore"
	"github.com/dossierwacht/dossierwacht/privacy"
)

// TestPlanSweepListsEveryKind: a sweep's dry run lists what a sweep would
// remove of every kind of stored data — the records, and the case, the
// consent and the subject once their own periods have run (rules R9,
// O12), and from when audit events would be pruned (N9) — the same as
// the sweep then removes; it deletes nothing, and only the privacy
// officer runs it.
func TestPlanSweepListsEveryKind(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t)
	carla, anna_, olga := w.actors[privacy.RoleCaseManager], w.actors[privacy.RoleSubject], w.actors[privacy.RolePrivacyOfficer]
	_, err := w.svc.GrantConsent(ctx, anna_, consent.Grant{ID: "g-1", Subject: anna, Recipient: consent.Recipient{Party: bakery, Kind: privacy.PartyEmployer},
		Categories: []privacy.Category{privacy.CategoryNotes}, Purpose: privacy.PurposeAbsenceGuidance, Form: consent.FormWritten, Document: "letter-1"})
	must(t, err)
	must(t, w.svc.CloseCase(ctx, carla, case1))
	must(t, w.svc.EndEmployment(ctx, carla, anna, w.now))
	w.now = w.now.AddDate(30, 0, 0)

	if _, err := w.svc.PlanSweep(ctx, carla); !errors.Is(err, privacy.ErrForbidden) {
		t.Errorf("PlanSweep by the case manager = %v, want ErrForbidden", err)
	}
	plan, err := w.svc.PlanSweep(ctx, olga)
	must(t, err)
	if len(plan.Records) != 2 {
		t.Errorf("plan: %d records, want both", len(plan.Records))
	}
	want := map[privacy.DataKind]string{privacy.DataCase: string(case1), privacy.DataGrant: "g-1", privacy.DataSubject: string(anna)}
	for _, s := range plan.Objects {
		if !s.IsDue() {
			t.Errorf("plan lists %v, which is not due", s)
		}
		if want[s.Kind] == s.ID {
			delete(want, s.Kind)
		}
	}
	if len(want) != 0 {
		t.Errorf("rules R9, O12: the plan leaves out %v (objects: %v)", want, plan.Objects)
	}
	if plan.AuditBefore.IsZero() {
		t.Errorf("rule N9: the plan does not say from when audit events would be pruned")
	}
	if _, err := w.store.Subject(ctx, anna); err != nil {
		t.Errorf("the dry run deleted the subject: %v", err)
	}
	rep, err := w.svc.Sweep(ctx, olga)
	must(t, err)
	n := 0
	for _, k := range rep.Objects {
		n += k.Erased
	}
	if rep.Erased != len(plan.Records) || n != len(plan.Objects) {
		t.Errorf("the sweep erased %d records and %d objects, the plan listed %d and %d", rep.Erased, n, len(plan.Records), len(plan.Objects))
	}
}

// TestSweepWorkersOptionO12: Options.SweepWorkers reaches the sweep
// (retention.Options.Workers): with batches of one record, two deleted at
// once, the sweep erases both records, each with its proof (rule O12); a
// negative number is refused when the service opens.
func TestSweepWorkersOptionO12(t *testing.T) {
	ctx := context.Background()
	if _, err := dossierwacht.Open(ctx, memstore.New(), privacy.Strict(), &dossierwacht.Options{SweepWorkers: -1}); !errors.Is(err, privacy.ErrInvalid) {
		t.Errorf("Open with SweepWorkers -1 = %v, want ErrInvalid", err)
	}
	w := newWorld(t)
	var err error
	w.svc, err = dossierwacht.Open(ctx, w.store, privacy.Strict(), &dossierwacht.Options{Clock: func() time.Time { return w.now },
		SweepBatch: 1, SweepWorkers: 2})
	must(t, err)
	carla, olga := w.actors[privacy.RoleCaseManager], w.actors[privacy.RolePrivacyOfficer]
	must(t, w.svc.CloseCase(ctx, carla, case1))
	w.now = w.now.AddDate(30, 0, 0)
	rep, err := w.svc.Sweep(ctx, olga)
	must(t, err)
	if rep.Erased != 2 {
		t.Errorf("the sweep erased %d records, want 2 (report %+v)", rep.Erased, rep)
	}
	for _, id := range []privacy.RecordID{"r-facts", "r-note"} {
		if _, err := w.store.Proof(ctx, id); err != nil {
			t.Errorf("no proof of %s: %v", id, err)
		}
	}
}
