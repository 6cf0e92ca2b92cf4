package adaptertest

import (
	"context"
	"testing"
	"time"

	"github.com/dossierwacht/dossierwacht/consent"
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
