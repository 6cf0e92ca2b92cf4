package memstore_test

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/dossierwacht/dossierwacht/consent"
	"github.com/dossierwacht/dossierwacht/memstore"
	"github.com/dossierwacht/dossierwacht/privacy"
	"github.com/dossierwacht/dossierwacht/retention"
	"github.com/dossierwacht/dossierwacht/rights"
)

// Rules G4, R6/O14, R11/O13: a disclosure-log entry is kept while a record
// it names is kept (here the wage record, under the fiscal 7 years of R9),
// and with it the consent it rests on; once the record is gone no one can
// need to be told of its erasure, and the entry, the consent and the
// answered request go, each with its proof, and then the subject.
func TestSweepGrantsDisclosuresRequests(t *testing.T) {
	ctx := context.Background()
	s := memstore.New()
	t0 := time.Date(2025, 1, 10, 9, 0, 0, 0, time.UTC)
	closed := time.Date(2025, 3, 1, 10, 0, 0, 0, time.UTC)
	clerk := privacy.Principal{ID: "cm-1", Role: privacy.RoleCaseManager, Party: "service-1", Secrecy: privacy.SecrecyAgreement}
	officer := privacy.Principal{ID: "officer-1", Role: privacy.RolePrivacyOfficer}
	act := func(at time.Time) privacy.Act { return privacy.Act{By: clerk, At: at, Client: "test"} }
	d, err := privacy.NewDossiers(s, privacy.Strict())
	if err != nil {
		t.Fatal(err)
	}
	sub, _ := privacy.NewSubject("s-1", "employer-1", t0)
	if err := d.CreateSubject(ctx, act(t0), sub); err != nil {
		t.Fatal(err)
	}
	contract := privacy.Contract{ID: "k-1", Party: "employer-1", PartyKind: privacy.PartyEmployer, Start: t0.AddDate(-1, 0, 0)}
	c, _ := privacy.NewCase("c-1", "s-1", privacy.CaseAbsence, privacy.PurposeAbsenceGuidance, contract, t0)
	if err := d.OpenCase(ctx, act(t0), c); err != nil {
		t.Fatal(err)
	}
	for _, r := range []privacy.Record{
		{ID: "n-1", Case: "c-1", Category: privacy.CategoryNotes, Fields: map[privacy.Field]string{privacy.FieldText: "note"}},
		{ID: "f-1", Case: "c-1", Category: privacy.CategoryEmployment, Fields: map[privacy.Field]string{privacy.FieldJob: "planner"}},
	} {
		r.Author, r.Source, r.Created = "cm-1", privacy.Source{Kind: privacy.PartyService}, t0
		if err := d.AddRecord(ctx, act(t0), r); err != nil {
			t.Fatal(err)
		}
	}
	if err := d.CloseCase(ctx, act(closed), "c-1"); err != nil {
		t.Fatal(err)
	}
	if err := d.EndEmployment(ctx, act(closed), "s-1", closed); err != nil {
		t.Fatal(err)
	}
	ev := []privacy.Event{{Time: t0, Principal: clerk.ID, Role: clerk.Role, Action: privacy.EventCreate, Outcome: privacy.OutcomeAllowed,
		Rule: privacy.O14, Subject: "s-1"}}
	to := consent.Recipient{Kind: privacy.PartyThirdParty, Party: "lawyer-1"}
	for _, g := range []consent.Grant{
		{ID: "g-note", Subject: "s-1", Recipient: to, Categories: []privacy.Category{privacy.CategoryNotes}, Case: "c-1",
			Purpose: privacy.PurposeAbsenceGuidance, Form: consent.FormWritten, Document: "doc-1", Given: t0},
		{ID: "g-wage", Subject: "s-1", Recipient: to, Categories: []privacy.Category{privacy.CategoryEmployment}, Case: "c-1",
			Purpose: privacy.PurposeAbsenceGuidance, Form: consent.FormWritten, Document: "doc-2", Given: t0, Until: closed},
	} {
		if err := s.AddGrant(ctx, g, ev); err != nil {
			t.Fatal(err)
		}
	}
	for _, x := range []struct {
		id    consent.DisclosureID
		rec   privacy.RecordID
		grant consent.GrantID
	}{{"d-note", "n-1", "g-note"}, {"d-wage", "f-1", "g-wage"}} {
		dis := consent.Disclosure{ID: x.id, Subject: "s-1", Case: "c-1", Recipient: to, Items: []consent.Item{{Category: privacy.CategoryNotes, Record: x.rec}},
			Purpose: privacy.PurposeAbsenceGuidance, At: t0.Add(time.Hour), By: clerk.ID, Role: clerk.Role, Rule: privacy.O14,
			Basis: privacy.BasisWrittenConsent, Grants: []consent.GrantID{x.grant}, Policy: "strict@1.0.0"}
		if err := s.Disclose(ctx, "s-1", "", func([]consent.Grant, []consent.Coverage) consent.Verdict {
			return consent.Verdict{Disclosure: &dis, Events: ev}
		}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.RevokeGrant(ctx, "g-note", t0.Add(2*time.Hour), ev); err != nil {
		t.Fatal(err)
	}
	req := rights.Request{ID: "q-1", Subject: "s-1", Kind: rights.KindAccess, Form: rights.FormWritten, Received: t0, Status: rights.StatusAnswered,
		History: []rights.Step{{Kind: rights.StepFiled, Status: rights.StatusReceived, At: t0}, {Kind: rights.StepAnswered, Status: rights.StatusAnswered, At: t0.Add(time.Hour)}}}
	if err := s.CreateRequest(ctx, req, ev); err != nil {
		t.Fatal(err)
	}
	open := rights.Request{ID: "q-2", Subject: "s-1", Kind: rights.KindAccess, Form: rights.FormWritten, Received: t0, Status: rights.StatusReceived,
		History: []rights.Step{{Kind: rights.StepFiled, Status: rights.StatusReceived, At: t0}}}
	if err := s.CreateRequest(ctx, open, ev); err != nil {
		t.Fatal(err)
	}
	k, err := retention.New(s, privacy.Strict(), nil)
	if err != nil {
		t.Fatal(err)
	}
	// Three years on: the note is gone, the wage record kept by the
	// fiscal statute, and with it what concerns it.
	rep, err := k.Sweep(ctx, officer, closed.AddDate(3, 0, 0))
	if err != nil {
		t.Fatal(err)
	}
	gone := map[string]bool{}
	proofs, _ := s.ObjectProofs(ctx, "s-1")
	for _, p := range proofs {
		gone[p.ID] = true
	}
	for id, want := range map[string]bool{"d-note": true, "g-note": true, "q-1": true, "d-wage": false, "g-wage": false, "q-2": false, "c-1": false, "s-1": false} {
		if gone[id] != want {
			t.Errorf("after 3 years: %s gone = %t, want %t (report %+v)", id, gone[id], want, rep.Objects)
		}
	}
	os, err := k.ObjectSchedules(ctx, "s-1", closed.AddDate(3, 0, 0))
	if err != nil {
		t.Fatal(err)
	}
	for _, sc := range os {
		switch sc.ID {
		case "d-wage", "g-wage", "c-1":
			if sc.IsDue() || sc.Reason != retention.ReasonStatute || sc.Rule != privacy.R9 {
				t.Errorf("%s, want kept by the fiscal statute (R9)", sc)
			}
		case "q-2":
			if sc.IsDue() || sc.Reason != retention.ReasonPending {
				t.Errorf("%s, want the open request kept", sc)
			}
		}
	}
	// Rule R11/O13: an open request keeps its subject; answered, it goes
	// two years later.
	open.Status = rights.StatusAnswered
	open.History = append(open.History, rights.Step{Kind: rights.StepAnswered, Status: rights.StatusAnswered, At: closed.AddDate(3, 0, 0)})
	if err := s.UpdateRequest(ctx, open, ev); err != nil {
		t.Fatal(err)
	}
	if _, err := k.Sweep(ctx, officer, closed.AddDate(8, 0, 0)); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Subject(ctx, "s-1"); err == nil {
		t.Error("the subject is kept after 8 years, want it gone")
	}
	proofs, _ = s.ObjectProofs(ctx, "s-1")
	if len(proofs) != 8 || proofs[len(proofs)-1].Kind != privacy.DataSubject {
		t.Errorf("%d object proofs, want 8, the subject's last: %v", len(proofs), proofs)
	}
}

// Rules R9, O12: nothing is kept for ever because its subject is gone or
// was never registered. DeleteSubject removes the subject's grants and
// disclosure-log entries with it and keeps its requests (an open one is
// still answered); Orphans lists the subjects without a row that still
// have objects, and a sweep removes their requests when their period has
// run: a stranger's request and a deleted subject's alike.
func TestOrphanObjects(t *testing.T) {
	ctx := context.Background()
	s := memstore.New()
	t0 := time.Date(2025, 1, 10, 9, 0, 0, 0, time.UTC)
	officer := privacy.Principal{ID: "officer-1", Role: privacy.RolePrivacyOfficer}
	ev := func(sub privacy.SubjectID, a privacy.EventAction) []privacy.Event {
		return []privacy.Event{{Time: t0, Principal: officer.ID, Role: officer.Role, Action: a, Outcome: privacy.OutcomeAllowed,
			Rule: privacy.O13, Subject: sub}}
	}
	sub, _ := privacy.NewSubject("s-1", "employer-1", t0)
	if err := s.CreateSubject(ctx, sub, ev("s-1", privacy.EventCreate)); err != nil {
		t.Fatal(err)
	}
	to := consent.Recipient{Kind: privacy.PartyThirdParty, Party: "lawyer-1"}
	if err := s.AddGrant(ctx, consent.Grant{ID: "g-1", Subject: "s-1", Recipient: to, Categories: []privacy.Category{privacy.CategoryNotes},
		Purpose: privacy.PurposeAbsenceGuidance, Form: consent.FormWritten, Document: "doc-1", Given: t0}, ev("s-1", privacy.EventCreate)); err != nil {
		t.Fatal(err)
	}
	answered := func(id rights.RequestID, subject privacy.SubjectID) rights.Request {
		return rights.Request{ID: id, Subject: subject, Kind: rights.KindAccess, Form: rights.FormWritten, Received: t0, Status: rights.StatusAnswered,
			History: []rights.Step{{Kind: rights.StepFiled, Status: rights.StatusReceived, At: t0},
				{Kind: rights.StepAnswered, Status: rights.StatusAnswered, At: t0.Add(time.Hour)}}}
	}
	for _, r := range []rights.Request{answered("q-1", "s-1"), answered("q-stranger", "stranger")} {
		if err := s.CreateRequest(ctx, r, ev(r.Subject, privacy.EventCreate)); err != nil {
			t.Fatal(err)
		}
	}
	if ids, err := s.Orphans(ctx, "", 10); err != nil || len(ids) != 1 || ids[0] != "stranger" {
		t.Errorf("Orphans = %v, %v; want [stranger]", ids, err)
	}
	if err := s.DeleteSubject(ctx, "s-1", ev("s-1", privacy.EventDelete)); err != nil {
		t.Fatal(err)
	}
	if gs, err := s.SubjectGrants(ctx, "s-1"); err != nil || len(gs) != 0 {
		t.Errorf("grants after DeleteSubject = %v, %v; want none", gs, err)
	}
	if rs, err := s.SubjectRequests(ctx, "s-1"); err != nil || len(rs) != 1 {
		t.Errorf("requests after DeleteSubject = %v, %v; want the request kept to be answered", rs, err)
	}
	for _, tc := range []struct {
		after privacy.SubjectID
		limit int
		want  []privacy.SubjectID
	}{{"", 10, []privacy.SubjectID{"s-1", "stranger"}}, {"", 1, []privacy.SubjectID{"s-1"}}, {"s-1", 10, []privacy.SubjectID{"stranger"}}} {
		if ids, err := s.Orphans(ctx, tc.after, tc.limit); err != nil || !slices.Equal(ids, tc.want) {
			t.Errorf("Orphans(%q, %d) = %v, %v; want %v", tc.after, tc.limit, ids, err, tc.want)
		}
	}
	if _, err := s.Orphans(ctx, "", 0); !errors.Is(err, privacy.ErrInvalid) {
		t.Errorf("Orphans with no limit = %v, want ErrInvalid", err)
	}
	k, err := retention.New(s, privacy.Strict(), &retention.Options{PageSize: 1})
	if err != nil {
		t.Fatal(err)
	}
	// Within the requests' 2 years: kept.
	if _, err := k.Sweep(ctx, officer, t0.AddDate(1, 0, 0)); err != nil {
		t.Fatal(err)
	}
	if ids, _ := s.Orphans(ctx, "", 10); len(ids) != 2 {
		t.Errorf("after a year the orphans are %v, want both kept", ids)
	}
	rep, err := k.Sweep(ctx, officer, t0.AddDate(3, 0, 0))
	if err != nil {
		t.Fatal(err)
	}
	if got := rep.Kind(privacy.DataRequest); got.Erased != 2 {
		t.Errorf("requests after 3 years: %+v, want 2 erased", got)
	}
	if ids, _ := s.Orphans(ctx, "", 10); len(ids) != 0 {
		t.Errorf("after 3 years the orphans are %v, want none", ids)
	}
	if ps, _ := s.ObjectProofs(ctx, "stranger"); len(ps) != 1 || ps[0].Rule == "" {
		t.Errorf("proofs of the stranger's request = %v, want one with its rule", ps)
	}
}

// Rules O12, R9 (and N12): an erased subject's ID leaves every employer's
// group history, replaced by one token in every group, so that the cells
// of N12 stay as they were; the history's version changes.
func TestGroupHistoryForgetsErasedSubject(t *testing.T) {
	ctx := context.Background()
	s := memstore.New()
	t0 := time.Date(2025, 1, 10, 9, 0, 0, 0, time.UTC)
	ev := func(sub privacy.SubjectID, a privacy.EventAction) []privacy.Event {
		return []privacy.Event{{Time: t0, Principal: "officer-1", Role: privacy.RolePrivacyOfficer, Action: a, Outcome: privacy.OutcomeAllowed,
			Rule: privacy.O13, Subject: sub}}
	}
	for _, id := range []privacy.SubjectID{"s-0", "s-1", "s-2"} {
		sub, _ := privacy.NewSubject(id, "employer-1", t0)
		if err := s.CreateSubject(ctx, sub, ev(id, privacy.EventCreate)); err != nil {
			t.Fatal(err)
		}
	}
	for v, g := range [][]privacy.SubjectID{{"s-0", "s-1"}, {"s-0", "s-1", "s-2"}, {"s-1", "s-2"}} {
		if _, err := s.AddGroup(ctx, "employer-1", uint64(v), g); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.DeleteSubject(ctx, "s-0", ev("s-0", privacy.EventDelete)); err != nil {
		t.Fatal(err)
	}
	h, err := s.GroupHistory(ctx, "employer-1")
	if err != nil {
		t.Fatal(err)
	}
	if h.Version != 4 {
		t.Errorf("version %d after the erasure, want 4", h.Version)
	}
	var tokens []privacy.SubjectID
	for _, g := range h.Groups {
		if slices.Contains(g, "s-0") {
			t.Errorf("group %v names the erased s-0", g)
		}
		if !slices.IsSorted(g) {
			t.Errorf("group %v not sorted", g)
		}
		for _, m := range g {
			if m != "s-1" && m != "s-2" {
				tokens = append(tokens, m)
			}
		}
	}
	if len(tokens) != 2 || tokens[0] != tokens[1] {
		t.Errorf("the erased subject's places hold %v, want one token twice", tokens)
	}
}
