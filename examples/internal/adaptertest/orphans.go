package adaptertest

import (
	"context"
	"testing"
	"time"

	"github.com/dossierwacht/dossierwacht/consent"
	"github.com/dossierwacht/dossierwacht/internal/kitdiff"
	"github.com/dossierwacht/dossierwacht/privacy"
	"github.com/dossierwacht/dossierwacht/retention"
	"github.com/dossierwacht/dossierwacht/rights"
)

// OrphanStore is what RunOrphans needs of an adapter: the stores of
// subjects, grants, requests and retention, and the subjects without a row
// whose objects it still holds.
type OrphanStore interface {
	privacy.Store
	consent.Store
	rights.Store
	retention.OrphanStore
	retention.Store
}

// RunOrphans checks rules R9 and O12 on s, an empty store: nothing is
// kept for ever because its subject is gone or was never registered. A
// request of a stranger, and the answered request of a subject
// DeleteSubject removed, belong to no dossier; Orphans lists their
// subjects and a sweep removes them once their periods have run, each with
// its proof. The subject's revoked consent went with it
// (RunDeleteSubject).
func RunOrphans(t *testing.T, s OrphanStore) {
	t.Helper()
	ctx := context.Background()
	t0 := time.Date(2025, 1, 10, 9, 0, 0, 0, time.UTC)
	officer := privacy.Principal{ID: "officer-1", Role: privacy.RolePrivacyOfficer}
	ev := func(sub privacy.SubjectID, a privacy.EventAction) []privacy.Event {
		return []privacy.Event{{Time: t0, Principal: officer.ID, Role: officer.Role, Action: a, Outcome: privacy.OutcomeAllowed,
			Rule: privacy.O13, Subject: sub, Object: string(sub)}}
	}
	sub, _ := privacy.NewSubject("s-1", "employer-1", t0)
	if err := s.CreateSubject(ctx, sub, ev("s-1", privacy.EventCreate)); err != nil {
		t.Fatal(err)
	}
	if err := s.AddGrant(ctx, consent.Grant{ID: "g-1", Subject: "s-1", Recipient: consent.Recipient{Kind: privacy.PartyThirdParty, Party: "lawyer-1"},
		Categories: []privacy.Category{privacy.CategoryNotes}, Purpose: privacy.PurposeAbsenceGuidance, Form: consent.FormWritten,
		Document: "doc-1", Given: t0}, ev("s-1", privacy.EventCreate)); err != nil {
		t.Fatal(err)
	}
	if _, err := s.RevokeGrant(ctx, "g-1", t0.Add(time.Hour), ev("s-1", privacy.EventUpdate)); err != nil {
		t.Fatal(err)
	}
	for _, x := range []struct {
		id  rights.RequestID
		sub privacy.SubjectID
	}{{"q-1", "s-1"}, {"q-stranger", "stranger"}} {
		r := rights.Request{ID: x.id, Subject: x.sub, Kind: rights.KindAccess, Form: rights.FormWritten, Received: t0, Status: rights.StatusAnswered,
			History: []rights.Step{{Kind: rights.StepFiled, Status: rights.StatusReceived, At: t0},
				{Kind: rights.StepAnswered, Status: rights.StatusAnswered, At: t0.Add(time.Hour)}}}
		if err := s.CreateRequest(ctx, r, ev(x.sub, privacy.EventCreate)); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.DeleteSubject(ctx, "s-1", ev("s-1", privacy.EventDelete)); err != nil {
		t.Fatal(err)
	}
	if ids, err := s.Orphans(ctx, "", 10); err != nil || len(ids) != 2 || ids[0] != "s-1" || ids[1] != "stranger" {
		t.Errorf("Orphans = %v, %v; want [s-1 stranger]", ids, err)
	}
	if ids, err := s.Orphans(ctx, "s-1", 10); err != nil || len(ids) != 1 {
		t.Errorf("Orphans after s-1 = %v, %v; want [stranger]", ids, err)
	}
	k, err := retention.New(s, privacy.Strict(), nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := k.Sweep(ctx, officer, t0.AddDate(1, 0, 0)); err != nil {
		t.Fatal(err)
	}
	if ids, _ := s.Orphans(ctx, "", 10); len(ids) != 2 {
		t.Errorf("within their 2 years the orphans are %v, want both kept", ids)
	}
	rep, err := k.Sweep(ctx, officer, t0.AddDate(3, 0, 0))
	if err != nil {
		t.Fatal(err)
	}
	if got := rep.Kind(privacy.DataRequest); got.Erased != 2 {
		t.Errorf("requests: %+v, want 2 erased", got)
	}
	if got := rep.Kind(privacy.DataGrant); got.Examined != 0 {
		t.Errorf("grants: %+v, want none left: DeleteSubject removed it", got)
	}
	if ids, err := s.Orphans(ctx, "", 10); err != nil || len(ids) != 0 {
		t.Errorf("after 3 years the orphans are %v, %v; want none", ids, err)
	}
	if ps, _ := s.ObjectProofs(ctx, "stranger"); len(ps) != 1 {
		t.Errorf("proofs of the stranger's request: %v, want 1", ps)
	}
}

// RunLegacyOrphans checks rules R9 and O12 on s, an empty store, for the
// lifted legal holds and granted erasure requests of a subject whose row
// is gone while they stayed — as DeleteSubject left them before it removed
// them too (RunDeleteSubject). No dossier names them: Orphans lists their
// subject, Objects returns them, and a sweep removes each once its own
// period has run, with its proof. dropRow deletes the subject's row only,
// outside the store's API.
func RunLegacyOrphans(t *testing.T, s OrphanStore, dropRow func(ctx context.Context, id privacy.SubjectID) error) {
	t.Helper()
	ctx := context.Background()
	t0 := time.Date(2025, 1, 10, 9, 0, 0, 0, time.UTC)
	officer := privacy.Principal{ID: "officer-1", Role: privacy.RolePrivacyOfficer}
	ev := privacy.Event{Time: t0, Principal: officer.ID, Role: officer.Role, Action: privacy.EventCreate, Outcome: privacy.OutcomeAllowed,
		Rule: privacy.O13, Subject: "s-1", Object: "s-1"}
	sub, _ := privacy.NewSubject("s-1", "employer-1", t0)
	if err := s.CreateSubject(ctx, sub, []privacy.Event{ev}); err != nil {
		t.Fatal(err)
	}
	hold := retention.Hold{ID: "h-1", Subject: "s-1", Ground: retention.GroundLegalClaim, Reason: "claim 1", PlacedBy: officer.ID, Placed: t0}
	if err := s.PlaceHold(ctx, hold, ev); err != nil {
		t.Fatal(err)
	}
	if err := s.LiftHold(ctx, hold.ID, officer.ID, t0.Add(time.Hour), "settled", ev); err != nil {
		t.Fatal(err)
	}
	if err := s.AddErasure(ctx, retention.Erasure{ID: "x-1", Subject: "s-1", Rule: privacy.O13, Received: t0, Decided: t0.Add(time.Hour),
		DecidedBy: officer.ID}, ev); err != nil {
		t.Fatal(err)
	}
	if err := dropRow(ctx, "s-1"); err != nil {
		t.Fatal(err)
	}
	if ids, err := s.Orphans(ctx, "", 10); err != nil || len(ids) != 1 || ids[0] != "s-1" {
		t.Errorf("Orphans = %v, %v; want [s-1]: its hold and erasure request are left", ids, err)
	}
	objs, err := s.Objects(ctx, "s-1")
	if err != nil {
		t.Fatal(err)
	}
	kinds := map[privacy.DataKind]int{}
	for _, o := range objs {
		kinds[o.Kind]++
		if !o.Ended.Equal(t0.Add(time.Hour)) {
			t.Errorf("Objects: %s %s ended %v, want its lifting or decision", o.Kind, o.ID, o.Ended)
		}
	}
	if kinds[privacy.DataHold] != 1 || kinds[privacy.DataErasure] != 1 {
		t.Errorf("Objects(s-1) = %v, want its hold and its erasure request", objs)
	}
	k, err := retention.New(s, privacy.Strict(), nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := k.Sweep(ctx, officer, t0.AddDate(1, 0, 0)); err != nil {
		t.Fatal(err)
	}
	if ids, _ := s.Orphans(ctx, "", 10); len(ids) != 1 {
		t.Errorf("within their 2 years the orphans are %v, want s-1 kept", ids)
	}
	rep, err := k.Sweep(ctx, officer, t0.AddDate(3, 0, 0))
	if err != nil {
		t.Fatal(err)
	}
	for _, kind := range []privacy.DataKind{privacy.DataHold, privacy.DataErasure} {
		if got := rep.Kind(kind); got.Erased != 1 {
			t.Errorf("%s: %+v, want 1 erased", kind, got)
		}
	}
	if ids, err := s.Orphans(ctx, "", 10); err != nil || len(ids) != 0 {
		t.Errorf("after 3 years the orphans are %v, %v; want none", ids, err)
	}
	ps, _ := s.ObjectProofs(ctx, "s-1")
	if len(ps) != 2 {
		t.Errorf("proofs of s-1's hold and erasure request: %v, want 2", ps)
	}
	for _, p := range ps {
		if p.Rule == "" || p.Citation == "" {
			t.Errorf("proof %v names no rule or citation", p)
		}
	}
}

// RunLegacyOrphansPage checks rules R9 and O12 on s, an empty store, for
// retention.ObjectPageStore: ObjectsOf returns for a page of subjects
// exactly what Objects returns for each — here the lifted holds and
// erasure requests (each two, made out of ID order) of a subject whose row
// is gone, which only Objects of such a subject lists, next to a subject
// with a row, its hold and its requests, and an unknown subject. dropRow
// deletes a subject's row only, outside the store's API.
func RunLegacyOrphansPage(t *testing.T, s interface {
	OrphanStore
	retention.ObjectPageStore
}, dropRow func(ctx context.Context, id privacy.SubjectID) error) {
	t.Helper()
	ctx := context.Background()
	t0 := time.Date(2025, 1, 10, 9, 0, 0, 0, time.UTC)
	officer := privacy.Principal{ID: "officer-1", Role: privacy.RolePrivacyOfficer}
	ev := func(sub privacy.SubjectID) privacy.Event {
		return privacy.Event{Time: t0, Principal: officer.ID, Role: officer.Role, Action: privacy.EventCreate, Outcome: privacy.OutcomeAllowed,
			Rule: privacy.O13, Subject: sub, Object: string(sub)}
	}
	for _, id := range []privacy.SubjectID{"s-1", "s-2"} {
		sub, _ := privacy.NewSubject(id, "employer-1", t0)
		if err := s.CreateSubject(ctx, sub, []privacy.Event{ev(id)}); err != nil {
			t.Fatal(err)
		}
	}
	for _, h := range []struct {
		id   retention.HoldID
		sub  privacy.SubjectID
		lift bool
	}{{"h-b", "s-1", true}, {"h-a", "s-1", true}, {"h-c", "s-2", false}} {
		hold := retention.Hold{ID: h.id, Subject: h.sub, Ground: retention.GroundLegalClaim, Reason: "claim 1", PlacedBy: officer.ID, Placed: t0}
		if err := s.PlaceHold(ctx, hold, ev(h.sub)); err != nil {
			t.Fatal(err)
		}
		if h.lift {
			if err := s.LiftHold(ctx, hold.ID, officer.ID, t0.Add(time.Hour), "settled", ev(h.sub)); err != nil {
				t.Fatal(err)
			}
		}
	}
	for _, x := range []retention.ErasureID{"x-b", "x-a"} {
		if err := s.AddErasure(ctx, retention.Erasure{ID: x, Subject: "s-1", Rule: privacy.O13, Received: t0, Decided: t0.Add(time.Hour),
			DecidedBy: officer.ID}, ev("s-1")); err != nil {
			t.Fatal(err)
		}
	}
	for _, q := range []rights.RequestID{"q-b", "q-a"} {
		r := rights.Request{ID: q, Subject: "s-2", Kind: rights.KindAccess, Form: rights.FormWritten, Received: t0, Status: rights.StatusReceived,
			History: []rights.Step{{Kind: rights.StepFiled, Status: rights.StatusReceived, At: t0}}}
		if err := s.CreateRequest(ctx, r, []privacy.Event{ev("s-2")}); err != nil {
			t.Fatal(err)
		}
	}
	if err := dropRow(ctx, "s-1"); err != nil {
		t.Fatal(err)
	}
	page := []privacy.SubjectID{"s-2", "nobody", "s-1"}
	want := map[privacy.SubjectID][]retention.Object{}
	for _, id := range page {
		objs, err := s.Objects(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if len(objs) > 0 {
			want[id] = objs
		}
	}
	if len(want["s-1"]) != 4 || len(want["s-2"]) != 2 {
		t.Fatalf("Objects = %v; want s-1's two holds and two erasure requests, s-2's two requests", want)
	}
	got, err := s.ObjectsOf(ctx, page)
	if err != nil {
		t.Fatal(err)
	}
	for id, objs := range got {
		if len(objs) == 0 {
			delete(got, id)
		}
	}
	if d := kitdiff.Diff(want, got); d != "" {
		t.Errorf("ObjectsOf(%v) differs from Objects per subject (-Objects +ObjectsOf):\n%s", page, d)
	}
}
