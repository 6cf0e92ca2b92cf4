package dossierwacht_test

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/dossierwacht/dossierwacht"
	"github.com/dossierwacht/dossierwacht/access"
	"github.com/dossierwacht/dossierwacht/consent"
	"github.com/dossierwacht/dossierwacht/export"
	"github.com/dossierwacht/dossierwacht/memstore"
	"github.com/dossierwacht/dossierwacht/privacy"
	"github.com/dossierwacht/dossierwacht/retention"
	"github.com/dossierwacht/dossierwacht/rights"
)

// The regressions of an attack review of the restriction of processing
// (GDPR art. 18, gdpr-18) and of the desk's own checks: each test failed
// before its fix.

// deskOf is a rights.Desk over w's store, as an expert builds one.
func deskOf(t *testing.T, w *world) *rights.Desk {
	t.Helper()
	pol := privacy.Strict()
	dossiers, err := privacy.NewDossiers(w.store, pol)
	must(t, err)
	keeper, err := retention.New(w.store, pol, nil)
	must(t, err)
	d, err := rights.New(w.store, dossiers, &rights.Options{Erasures: keeper,
		Retention: export.RetentionFromStore(w.store, keeper.Engine())})
	must(t, err)
	return d
}

// actOf is a's act at at, with its cases.
func actOf(a *dossierwacht.Actor, at time.Time) privacy.Act {
	act := privacy.Act{By: a.Principal, At: at}
	for c := range a.Cases {
		act.Cases = append(act.Cases, c)
	}
	return act
}

func file(t *testing.T, w *world, id rights.RequestID, k rights.Kind, recs ...privacy.RecordID) {
	t.Helper()
	_, err := w.svc.FileRequest(context.Background(), w.actors[privacy.RoleSubject],
		rights.Filing{ID: id, Subject: anna, Kind: k, Form: rights.FormWritten, Records: recs})
	must(t, err)
}

// GDPR art. 18(2): only the subject exports restricted data; the physician
// who releases the medical file is refused, at the front door and at the
// desk.
func TestRestrictionExport(t *testing.T) {
	ctx, w := context.Background(), newWorld(t)
	dirk := w.actors[privacy.RolePhysician]
	restrict(t, w, "req-restrict")
	w.now = w.now.Add(time.Hour)
	var buf bytes.Buffer
	_, err := w.svc.Export(ctx, dirk, anna, &buf, &dossierwacht.ExportOptions{ReleasedBy: dirk})
	wantRestricted(t, w, "Export(physician)", err)
	if strings.Contains(buf.String(), "call on Friday") {
		t.Error("the physician exported restricted data")
	}
	_, err = deskOf(t, w).Export(ctx, actOf(dirk, w.now), &buf, anna,
		&rights.ExportOptions{Release: &rights.MedicalRelease{Physician: dirk}})
	wantRestricted(t, w, "Desk.Export(physician)", err)
	buf.Reset()
	if _, err := w.svc.Export(ctx, w.actors[privacy.RoleSubject], anna, &buf, nil); err != nil || !strings.Contains(buf.String(), "call on Friday") {
		t.Errorf("the subject's own export: %v", err)
	}
}

// Rule O13: a forged erasure plan erases nothing the request does not name.
func TestForgedErasurePlanOutsideScope(t *testing.T) {
	ctx, w := context.Background(), newWorld(t)
	olga := w.actors[privacy.RolePrivacyOfficer]
	must(t, w.svc.AddRecords(ctx, w.actors[privacy.RoleCaseManager], record("r-other", privacy.CategoryNotes, privacy.FieldText, "keep")))
	w.now = w.now.Add(time.Hour)
	file(t, w, "req-erase", rights.KindErasure, "r-note")
	d := deskOf(t, w)
	plan, err := d.Plan(ctx, actOf(olga, w.now), "req-erase", nil)
	must(t, err)
	plan.Changes = append(plan.Changes, rights.Change{Record: "r-other", Case: case1, Category: privacy.CategoryNotes, Erase: true})
	if err := d.Apply(ctx, actOf(olga, w.now), plan); !errors.Is(err, privacy.ErrInvalid) {
		t.Errorf("Apply(forged) = %v, want ErrInvalid", err)
	}
	for _, id := range []privacy.RecordID{"r-other", "r-note"} {
		if _, err := w.store.Record(ctx, id); err != nil {
			t.Errorf("%s after a refused plan: %v", id, err)
		}
	}
}

// Rules G3, O13 and GDPR art. 18(2): a rectification whose records a hold
// keeps is refused before anything is written, naming the hold's rule and
// audited; at the desk and at the front door.
func TestRectificationOfHeldRecordsWritesNothing(t *testing.T) {
	ctx := context.Background()
	t.Run("GDPR18_desk_with_a_restricted_record", func(t *testing.T) {
		w := newWorld(t)
		carla := w.actors[privacy.RoleCaseManager]
		restrict(t, w, "req-restrict", "r-note")
		w.now = w.now.Add(time.Hour)
		file(t, w, "req-rect", rights.KindRectification)
		d := deskOf(t, w)
		plan, err := d.Plan(ctx, actOf(carla, w.now), "req-rect", rights.Corrections{
			"r-facts": {privacy.FieldFirstDay: "2026-03-01"}, "r-note": {privacy.FieldText: "x"}})
		must(t, err)
		err = d.Apply(ctx, actOf(carla, w.now), plan)
		wantRestricted(t, w, "Apply", err)
		if r, _ := w.store.Record(ctx, "r-facts"); r.Fields[privacy.FieldFirstDay] == "2026-03-01" {
			t.Error("r-facts was written before the refusal")
		}
	})
	t.Run("G3_front_door_with_a_legal_hold", func(t *testing.T) {
		w := newWorld(t)
		_, err := w.svc.PlaceHold(ctx, w.actors[privacy.RolePrivacyOfficer], retention.Hold{ID: "h-1", Subject: anna,
			Records: []privacy.RecordID{"r-note"}, Ground: retention.GroundLegalClaim, Reason: "court case C/16/1"})
		must(t, err)
		w.now = w.now.Add(time.Hour)
		file(t, w, "req-rect", rights.KindRectification)
		_, err = w.svc.Rectify(ctx, w.actors[privacy.RoleCaseManager], "req-rect", rights.Corrections{
			"r-facts": {privacy.FieldFirstDay: "2026-03-01"}, "r-note": {privacy.FieldText: "x"}}, "corrected")
		if !errors.Is(err, privacy.ErrForbidden) || privacy.RuleOf(err) != privacy.G3 {
			t.Errorf("Rectify = %v, want forbidden by G3", err)
		}
		if r, _ := w.store.Record(ctx, "r-facts"); r.Fields[privacy.FieldFirstDay] == "2026-03-01" {
			t.Error("r-facts was written before the refusal")
		}
	})
}

// GDPR art. 12(4), 18(2): an erasure refused because a restriction keeps
// the data says so, not "legal claims".
func TestEraseUnderRestrictionNamesIt(t *testing.T) {
	ctx, w := context.Background(), newWorld(t)
	restrict(t, w, "req-restrict")
	w.now = w.now.Add(time.Hour)
	file(t, w, "req-erase", rights.KindErasure, "r-note")
	plan, err := w.svc.Erase(ctx, w.actors[privacy.RolePrivacyOfficer], "req-erase", "granted")
	if privacy.RuleOf(err) != privacy.RuleRestriction || len(plan.Keeps) != 1 || plan.Keeps[0].Ground != rights.GroundRestricted ||
		plan.Keeps[0].Rule != privacy.RuleRestriction {
		t.Errorf("Erase = %v; keeps %+v", err, plan.Keeps)
	}
}

// holdReads counts the reads of the hold register.
type holdReads struct {
	*memstore.Store
	n atomic.Int64
}

func (s *holdReads) Dossier(ctx context.Context, id privacy.SubjectID) (retention.Dossier, error) {
	s.n.Add(1)
	return s.Store.Dossier(ctx, id)
}

// Rule O10: a disclosure about a hidden case does the same work as one
// about a missing case.
func TestDiscloseHiddenVsMissingWork(t *testing.T) {
	ctx, store := context.Background(), &holdReads{Store: memstore.New()}
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	svc, err := dossierwacht.Open(ctx, store, privacy.Strict(), &dossierwacht.Options{Clock: func() time.Time { return now }})
	must(t, err)
	carla := dossierwacht.NewActor(privacy.Principal{ID: "carla", Role: privacy.RoleCaseManager, Party: "arbo",
		Secrecy: privacy.SecrecyAgreement}, []privacy.CaseID{"case-visit"}, nil)
	must(t, svc.RegisterSubject(ctx, carla, privacy.Subject{ID: anna, Employer: bakery}))
	must(t, svc.OpenCase(ctx, carla, privacy.Case{ID: "case-visit", Subject: anna, Kind: privacy.CaseConsultation,
		Purpose: privacy.PurposePrevention, Contract: contract}))
	bert := dossierwacht.NewActor(privacy.Principal{ID: "bert", Role: privacy.RoleEmployerContact, Party: bakery}, nil, nil)
	run := func(id privacy.CaseID) (int64, error) {
		before := store.n.Load()
		_, err := svc.Disclose(ctx, bert, consent.Request{ID: consent.DisclosureID("d-" + string(id)), Subject: anna, Case: id,
			Recipient: consent.Recipient{Party: "x", Kind: privacy.PartyThirdParty}, Purpose: privacy.PurposePrevention,
			Items: []consent.Item{{Category: privacy.CategoryConsultation}}})
		return store.n.Load() - before, err
	}
	hn, he := run("case-visit")
	mn, me := run("case-none")
	if he == nil || me == nil || he.Error() != me.Error() || hn != mn {
		t.Errorf("hidden: %v, %d hold reads; missing: %v, %d", he, hn, me, mn)
	}
}

// GDPR art. 18: a hold with the restriction's ID that was lifted is not a
// granted restriction.
func TestRestrictOnLiftedHold(t *testing.T) {
	ctx, w := context.Background(), newWorld(t)
	olga := w.actors[privacy.RolePrivacyOfficer]
	file(t, w, "req-r", rights.KindRestriction)
	_, err := w.svc.PlaceHold(ctx, olga, retention.Hold{ID: "restriction-req-r", Subject: anna, Ground: retention.GroundRestriction, Reason: "early"})
	must(t, err)
	w.now = w.now.Add(time.Minute)
	must(t, w.svc.LiftHold(ctx, olga, "restriction-req-r", "oops"))
	if _, err := w.svc.Restrict(ctx, olga, "req-r", "granted"); !errors.Is(err, privacy.ErrConflict) {
		t.Errorf("Restrict over a lifted hold = %v, want ErrConflict", err)
	}
}

// Rule N12 with GDPR art. 18(2): a restricted case is not counted in a
// group figure.
func TestGroupFigureLeavesRestrictedCasesOut(t *testing.T) {
	ctx, w := context.Background(), newWorld(t)
	members := []privacy.SubjectID{anna}
	for _, id := range []privacy.SubjectID{"e1", "e2", "e3", "e4", "e5", "e6", "e7", "e8", "e9"} {
		must(t, w.svc.RegisterSubject(ctx, w.actors[privacy.RoleCaseManager], privacy.Subject{ID: id, Employer: bakery}))
		members = append(members, id)
	}
	restrict(t, w, "req-restrict")
	w.now = time.Date(2026, 4, 2, 9, 0, 0, 0, time.UTC)
	from := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	f, err := w.svc.GroupFigure(ctx, w.actors[privacy.RoleEmployerContact], access.GroupRequest{Employer: bakery,
		Figure: access.FigureAbsenceRate, Members: members, From: from, To: from.AddDate(0, 1, 0)})
	must(t, err)
	if f.Value != 0 {
		t.Errorf("figure %.3f computed from anna's restricted absence", f.Value)
	}
}

// GDPR art. 18(2): nothing is added to or changed in data restricted as a
// whole, and its case is listed to no one but the subject.
func TestRestrictionOfCasesAndSubject(t *testing.T) {
	ctx, w := context.Background(), newWorld(t)
	carla := w.actors[privacy.RoleCaseManager]
	restrict(t, w, "req-restrict")
	w.now = w.now.Add(time.Hour)
	err := w.svc.OpenCase(ctx, carla, privacy.Case{ID: "case-2", Subject: anna, Kind: privacy.CaseAbsence,
		Purpose: privacy.PurposeAbsenceGuidance, Contract: contract})
	wantRestricted(t, w, "OpenCase", err)
	err = w.svc.EndEmployment(ctx, carla, anna, w.now.Add(-time.Minute))
	wantRestricted(t, w, "EndEmployment", err)
	cs, err := w.svc.Cases(ctx, carla, anna)
	must(t, err)
	if len(cs) != 0 {
		t.Errorf("Cases shows %d restricted case(s) to the case manager", len(cs))
	}
	denied := false
	for _, e := range w.events(t) {
		denied = denied || e.Case == case1 && e.Outcome == privacy.OutcomeDenied && e.Rule == privacy.RuleRestriction
	}
	if !denied {
		t.Error("the listing's leaving out of the restricted case is not audited under gdpr-18")
	}
	own, err := w.svc.Cases(ctx, w.actors[privacy.RoleSubject], anna)
	must(t, err)
	if len(own) != 1 {
		t.Errorf("the subject lists %d of her cases, want 1", len(own))
	}
}
