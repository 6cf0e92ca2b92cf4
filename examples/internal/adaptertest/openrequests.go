package adaptertest

import (
	"context"
	"errors"
	"testing"
	"time"

	dossierwacht "github.com/dossierwacht/dossierwacht"
	"github.com/dossierwacht/dossierwacht/privacy"
	"github.com/dossierwacht/dossierwacht/privacy/calendar"
	"github.com/dossierwacht/dossierwacht/retention"
	"github.com/dossierwacht/dossierwacht/rights"
)

// RunOpenRequestsThroughService plays, through the Service over s, an
// empty store, rules R11, O13,
// O12 (issue 14 §1): a request never closed is kept 2 years from the end
// of its deadline (the extended one), one closed 2 years from its closing;
// nothing goes earlier, an open request due goes, and one answered between
// its schedule and its erasure is not erased under the stale proof.
func RunOpenRequestsThroughService(t *testing.T, s dossierwacht.Store) {
	t.Helper()
	ctx := context.Background()
	ams := calendar.Amsterdam()
	now := time.Date(2026, 3, 27, 9, 0, 0, 0, time.UTC) // the last Friday of March: DST starts that Sunday
	svc, err := dossierwacht.Open(ctx, s, privacy.RegulationO(), &dossierwacht.Options{Clock: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	const anna, bakery, case1 = privacy.SubjectID("anna"), privacy.PartyID("bakery"), privacy.CaseID("case-1")
	staff := func(id privacy.PrincipalID, r privacy.Role) *dossierwacht.Actor {
		return dossierwacht.NewActor(privacy.Principal{ID: id, Role: r, Party: "arbo", Secrecy: privacy.SecrecyAgreement, MultiFactor: true},
			[]privacy.CaseID{case1}, nil)
	}
	carla, olga := staff("carla", privacy.RoleCaseManager), staff("olga", privacy.RolePrivacyOfficer)
	annaA := dossierwacht.NewActor(privacy.Principal{ID: "anna", Role: privacy.RoleSubject, Subject: anna}, nil, nil)
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(svc.RegisterSubject(ctx, carla, privacy.Subject{ID: anna, Employer: bakery}))
	file := func(id rights.RequestID) rights.Request {
		t.Helper()
		r, err := svc.FileRequest(ctx, annaA, rights.Filing{ID: id, Subject: anna, Kind: rights.KindAccess, Form: rights.FormWritten, Document: "letter"})
		must(err)
		return r
	}
	open := file("q-open")
	ext := file("q-ext")
	late := file("q-late")
	now = now.Add(time.Hour)
	ext, err = svc.ExtendRequest(ctx, olga, ext.ID, "the file is large")
	must(err)
	// q-late is answered a week after its deadline.
	now = open.Due.Date.AddDays(7).In(ams).Add(10 * time.Hour)
	late, err = svc.AnswerRequest(ctx, olga, late.ID, "sent the export", 0)
	must(err)
	// Due: 2 years from the end of the deadline (00:00 Amsterdam the day
	// after), from the answer for one answered.
	due := map[rights.RequestID]time.Time{
		open.ID: open.Due.Date.AddDays(1).In(ams).AddDate(2, 0, 0),
		ext.ID:  ext.Due.Date.AddDays(1).In(ams).AddDate(2, 0, 0),
		late.ID: late.Last().At.AddDate(2, 0, 0),
	}
	if !ext.Due.Date.After(open.Due.Date) {
		t.Fatalf("the extended deadline %s is not after %s", ext.Due.Date, open.Due.Date)
	}
	has := func(id rights.RequestID) bool {
		_, err := s.(rights.Store).Request(ctx, id)
		return err == nil
	}
	// A sweep a minute before each is due keeps it.
	for _, id := range []rights.RequestID{open.ID, late.ID, ext.ID} {
		if at := due[id].Add(-time.Minute); at.After(now) {
			now = at
		}
		_, err := svc.Sweep(ctx, olga)
		must(err)
		for other, d := range due {
			if now.Before(d) && !has(other) {
				t.Errorf("request %s, due %s, is gone at %s (rules R11, O13, O12)", other, d, now)
			}
		}
	}
	// A request filed now, still open when it is due, is answered
	// between its schedule and its erasure.
	stale := file("q-stale")
	now = stale.Due.Date.AddDays(2).In(ams).AddDate(2, 0, 0)
	plan, err := svc.PlanSweep(ctx, olga)
	must(err)
	var proof *retention.ObjectProof
	for _, o := range plan.Objects {
		if o.Kind == privacy.DataRequest && o.ID == string(stale.ID) && o.IsDue() {
			proof = &retention.ObjectProof{Kind: o.Kind, ID: o.ID, Subject: o.Subject, Ended: o.Ended, Due: o.Due, Deleted: now,
				Rule: o.Rule, Reason: o.Reason, Citation: o.Citation, Policy: svc.Policy().Version, By: olga.Principal.ID}
		}
	}
	if proof == nil {
		t.Fatalf("PlanSweep at %s does not schedule the open request %s, deadline %s, as due", now, stale.ID, stale.Due.Date)
	}
	_, err = svc.AnswerRequest(ctx, olga, stale.ID, "sent the export at last", 0)
	must(err)
	ev := privacy.Event{Time: now, Principal: olga.Principal.ID, Role: privacy.RolePrivacyOfficer, Action: privacy.EventDelete,
		Outcome: privacy.OutcomeAllowed, Rule: proof.Rule, Subject: anna, Object: proof.ID}
	os, _ := retention.AsObjectStore(s)
	if bs, ok := os.(retention.ObjectBatchStore); ok {
		errs, err := bs.EraseObjects(ctx, []retention.ObjectProof{*proof}, []privacy.Event{ev})
		must(err)
		if !errors.Is(errs[0], privacy.ErrConflict) {
			t.Errorf("EraseObjects of a request answered since its schedule: %v, want ErrConflict", errs[0])
		}
	}
	if err := os.EraseObject(ctx, *proof, ev); !errors.Is(err, privacy.ErrConflict) {
		t.Errorf("EraseObject of a request answered since its schedule: %v, want ErrConflict", err)
	}
	if !has(stale.ID) {
		t.Errorf("the request answered since its schedule was erased under a stale proof")
	}
	// Now the open ones are due and go, on this store too.
	_, err = svc.Sweep(ctx, olga)
	must(err)
	for _, id := range []rights.RequestID{open.ID, ext.ID, late.ID} {
		if has(id) {
			t.Errorf("request %s, due %s, is kept at %s", id, due[id], now)
		}
	}
	if !has(stale.ID) {
		t.Errorf("request %s, answered at %s, is gone at once", stale.ID, now)
	}
}
