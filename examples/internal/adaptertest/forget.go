package adaptertest

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/dossierwacht/dossierwacht/consent"
	"github.com/dossierwacht/dossierwacht/privacy"
	"github.com/dossierwacht/dossierwacht/privacy/privacytest"
	"github.com/dossierwacht/dossierwacht/retention"
)

// ForgetStore is what RunDeleteSubject needs of an adapter: the stores of
// subjects, grants and disclosures, retention and its objects, and fault
// injection.
type ForgetStore interface {
	privacy.Store
	consent.Store
	retention.ObjectStore
	retention.Store
	privacytest.FaultInjector
}

// RunDeleteSubject checks rules R9 and O12 on s, an empty store:
// DeleteSubject removes, with the subject, its consent grants, its
// disclosure-log entries, its lifted legal holds and its erasure requests
// in the same transaction, so that none is left behind for a later sweep
// to find (or never to find: nothing names a subject without a row), and
// a failure halfway leaves everything. Its requests stay: an open one is
// still to be answered (retention.OrphanStore reaches them).
func RunDeleteSubject(t *testing.T, s ForgetStore) {
	t.Helper()
	ctx := context.Background()
	t0 := time.Date(2025, 1, 10, 9, 0, 0, 0, time.UTC)
	officer := privacy.Principal{ID: "officer-1", Role: privacy.RolePrivacyOfficer}
	ev := func(sub privacy.SubjectID, a privacy.EventAction) []privacy.Event {
		return []privacy.Event{{Time: t0, Principal: officer.ID, Role: officer.Role, Action: a, Outcome: privacy.OutcomeAllowed,
			Rule: privacy.O13, Subject: sub, Object: string(sub)}}
	}
	for _, id := range []privacy.SubjectID{"s-1", "s-2"} {
		sub, _ := privacy.NewSubject(id, "employer-1", t0)
		if err := s.CreateSubject(ctx, sub, ev(id, privacy.EventCreate)); err != nil {
			t.Fatal(err)
		}
		g := consent.Grant{ID: consent.GrantID("g-" + id), Subject: id,
			Recipient:  consent.Recipient{Kind: privacy.PartyThirdParty, Party: "lawyer-1"},
			Categories: []privacy.Category{privacy.CategoryNotes}, Purpose: privacy.PurposeAbsenceGuidance,
			Form: consent.FormWritten, Document: "doc-1", Given: t0}
		if err := s.AddGrant(ctx, g, ev(id, privacy.EventCreate)); err != nil {
			t.Fatal(err)
		}
		d := consent.Disclosure{ID: consent.DisclosureID("d-" + id), Subject: id, At: t0.Add(time.Minute),
			Recipient: g.Recipient, Grants: []consent.GrantID{g.ID}, Policy: "strict@1"}
		if err := s.Disclose(ctx, id, "", func([]consent.Grant, []consent.Coverage) consent.Verdict {
			return consent.Verdict{Disclosure: &d, Events: ev(id, privacy.EventCreate)}
		}); err != nil {
			t.Fatal(err)
		}
		hold := retention.Hold{ID: retention.HoldID("h-" + id), Subject: id, Ground: retention.GroundLegalClaim,
			Reason: "claim 1", PlacedBy: officer.ID, Placed: t0}
		if err := s.PlaceHold(ctx, hold, ev(id, privacy.EventCreate)[0]); err != nil {
			t.Fatal(err)
		}
		if err := s.LiftHold(ctx, hold.ID, officer.ID, t0.Add(time.Hour), "settled", ev(id, privacy.EventUpdate)[0]); err != nil {
			t.Fatal(err)
		}
		x := retention.Erasure{ID: retention.ErasureID("x-" + id), Subject: id, Rule: privacy.O13, Received: t0,
			Decided: t0.Add(time.Hour), DecidedBy: officer.ID}
		if err := s.AddErasure(ctx, x, ev(id, privacy.EventCreate)[0]); err != nil {
			t.Fatal(err)
		}
	}
	// left reports what is left of the subject's grants, disclosure-log
	// entries, holds and erasure requests.
	left := func(id privacy.SubjectID) (objs []retention.Object, holds, erasures int) {
		t.Helper()
		objs, err := s.Objects(ctx, id)
		if err != nil {
			t.Fatalf("Objects(%s): %v", id, err)
		}
		for _, h := range []retention.HoldID{retention.HoldID("h-" + id)} {
			if _, err := s.Hold(ctx, h); err == nil {
				holds++
			} else if !errors.Is(err, privacy.ErrNotFound) {
				t.Fatalf("Hold(%s): %v", h, err)
			}
		}
		if d, err := s.Dossier(ctx, id); err == nil {
			erasures = len(d.Erasures)
		}
		return objs, holds, erasures
	}

	// A failure after the subject's row is gone, among the rest of its
	// data, leaves everything as it was.
	s.FailAfter(1)
	if err := s.DeleteSubject(ctx, "s-1", ev("s-1", privacy.EventDelete)); !errors.Is(err, privacy.ErrUnavailable) {
		t.Fatalf("DeleteSubject(fault after 1 row) = %v, want ErrUnavailable", err)
	}
	s.FailAfter(-1)
	if _, err := s.Subject(ctx, "s-1"); err != nil {
		t.Errorf("a failed DeleteSubject removed the subject: %v", err)
	}
	if objs, holds, erasures := left("s-1"); len(objs) != 2 || holds != 1 || erasures != 1 {
		t.Errorf("a failed DeleteSubject left %v, %d holds, %d erasure requests; want the grant, the disclosure, 1 and 1",
			objs, holds, erasures)
	}

	if err := s.DeleteSubject(ctx, "s-1", ev("s-1", privacy.EventDelete)); err != nil {
		t.Fatalf("DeleteSubject: %v", err)
	}
	if objs, holds, _ := left("s-1"); len(objs) != 0 || holds != 0 {
		t.Errorf("rules R9, O12: DeleteSubject left %v and %d holds of s-1, want nothing", objs, holds)
	}
	if _, err := s.Grant(ctx, "g-s-1"); !errors.Is(err, privacy.ErrNotFound) {
		t.Errorf("Grant(g-s-1) after DeleteSubject = %v, want ErrNotFound", err)
	}
	if ds, err := s.SubjectDisclosures(ctx, "s-1"); err != nil || len(ds) != 0 {
		t.Errorf("SubjectDisclosures(s-1) after DeleteSubject = %v, %v; want none", ds, err)
	}
	if os, ok := s.(retention.OrphanStore); ok {
		if ids, err := os.Orphans(ctx, "", 10); err != nil || len(ids) != 0 {
			t.Errorf("Orphans after DeleteSubject = %v, %v; want none: nothing of s-1 is left", ids, err)
		}
	}
	// The other subject keeps everything.
	if objs, holds, erasures := left("s-2"); len(objs) != 2 || holds != 1 || erasures != 1 {
		t.Errorf("DeleteSubject(s-1) touched s-2: %v, %d holds, %d erasure requests", objs, holds, erasures)
	}
}
