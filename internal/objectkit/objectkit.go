// Package objectkit is the kit of what a store does across packages
// consent, rights, access and retention: that a store that reads the
// objects of a page of subjects at once (retention.ObjectPageStore)
// returns exactly what it returns one subject at a time (rules R9, O12),
// and that no erased subject's ID stays in a group history while groups
// are answered (rule N12, [RunGroupsVersusErasure]). It stands above
// packages consent and rights, whose grants, disclosure-log entries and
// requests it stores first: the retention kit (retention/retentiontest)
// stands beside consent and below rights, and may import neither.
package objectkit

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/dossierwacht/dossierwacht/consent"
	"github.com/dossierwacht/dossierwacht/internal/kitdiff"
	"github.com/dossierwacht/dossierwacht/privacy"
	"github.com/dossierwacht/dossierwacht/privacy/calendar"
	"github.com/dossierwacht/dossierwacht/retention"
	"github.com/dossierwacht/dossierwacht/rights"
)

// t0 is when the kit's world begins: Monday 6 January 2025, 09:00 UTC.
var t0 = time.Date(2025, 1, 6, 9, 0, 0, 0, time.UTC)

var (
	contract = privacy.Contract{ID: "contract-1", Party: "employer-1", PartyKind: privacy.PartyEmployer,
		Start: t0.AddDate(-1, 0, 0)}
	officer = privacy.Principal{ID: "officer-1", Role: privacy.RolePrivacyOfficer}
	clerk   = privacy.Principal{ID: "cm-1", Role: privacy.RoleCaseManager, Party: "service-1", Secrecy: privacy.SecrecyAgreement}
)

// env is the kit's store, and the dossiers over it that make subjects,
// cases and records.
type env struct {
	ctx context.Context
	s   retention.Store
	d   *privacy.Dossiers
}

func newEnv(t *testing.T, s retention.Store) *env {
	t.Helper()
	ps, ok := s.(privacy.Store)
	if !ok {
		t.Fatal("the store must implement privacy.Store too: the objects' subjects live there")
	}
	d, err := privacy.NewDossiers(ps, privacy.Strict())
	if err != nil {
		t.Fatalf("NewDossiers: %v", err)
	}
	return &env{ctx: context.Background(), s: s, d: d}
}

func act(at time.Time) privacy.Act { return privacy.Act{By: clerk, At: at, Client: "objectkit"} }

func (e *env) subject(t *testing.T, id privacy.SubjectID) {
	t.Helper()
	s, err := privacy.NewSubject(id, "employer-1", t0)
	if err != nil {
		t.Fatalf("NewSubject(%q): %v", id, err)
	}
	if err := e.d.CreateSubject(e.ctx, act(t0), s); err != nil {
		t.Fatalf("CreateSubject(%q): %v", id, err)
	}
}

func (e *env) openCase(t *testing.T, id privacy.CaseID, subject privacy.SubjectID, opened time.Time) {
	t.Helper()
	c, err := privacy.NewCase(id, subject, privacy.CaseAbsence, privacy.PurposeAbsenceGuidance, contract, opened)
	if err != nil {
		t.Fatalf("NewCase(%q): %v", id, err)
	}
	if err := e.d.OpenCase(e.ctx, act(opened), c); err != nil {
		t.Fatalf("OpenCase(%q): %v", id, err)
	}
}

// note adds a note to case c, written at t0.
func (e *env) note(t *testing.T, id privacy.RecordID, c privacy.CaseID) {
	t.Helper()
	r := privacy.Record{ID: id, Case: c, Category: privacy.CategoryNotes, Author: clerk.ID,
		Source: privacy.Source{Kind: privacy.PartyService}, Created: t0,
		Fields: map[privacy.Field]string{privacy.FieldText: "a note"}}
	if err := e.d.AddRecord(e.ctx, act(t0), r); err != nil {
		t.Fatalf("AddRecord(%s): %v", id, err)
	}
}

// objectEnv is newEnv for a kit of retention.ObjectStore: it skips a store
// that is not one.
func objectEnv(t *testing.T, s retention.Store) (*env, retention.ObjectStore) {
	t.Helper()
	e := newEnv(t, s)
	os, ok := retention.AsObjectStore(s)
	if !ok {
		t.Skip("the store is not a retention.ObjectStore")
	}
	return e, os
}

// caseOf opens case id of kind for subject (made first) at t0, for the
// purpose the ready policies give the kind.
func (e *env) caseOf(t *testing.T, id privacy.CaseID, subject privacy.SubjectID, kind privacy.CaseKind) {
	t.Helper()
	e.subject(t, subject)
	purpose := privacy.PurposeAbsenceGuidance
	if kind != privacy.CaseAbsence {
		purpose = privacy.PurposePrevention
	}
	c, err := privacy.NewCase(id, subject, kind, purpose, contract, t0)
	if err != nil {
		t.Fatal(err)
	}
	if err := e.d.OpenCase(e.ctx, act(t0), c); err != nil {
		t.Fatalf("OpenCase(%s): %v", id, err)
	}
}

// record adds a record of category cat to case c, written at at, its one
// field f set.
func (e *env) record(t *testing.T, id privacy.RecordID, c privacy.CaseID, cat privacy.Category, f privacy.Field, at time.Time) privacy.Record {
	t.Helper()
	r := privacy.Record{ID: id, Case: c, Category: cat, Author: clerk.ID,
		Source: privacy.Source{Kind: privacy.PartyService}, Created: at, Fields: map[privacy.Field]string{f: "x"}}
	if err := e.d.AddRecord(e.ctx, act(at), r); err != nil {
		t.Fatalf("AddRecord(%s): %v", id, err)
	}
	return r
}

// RunObjectsOf checks s, an empty store, for rules R9, O12: a store that
// reads the objects of a page of subjects at once
// ([retention.ObjectPageStore]) returns for each exactly what Objects
// returns for it — the same objects in the same order, which a sweep
// schedules the same — for subjects with grants, disclosure-log entries
// and requests (when the store keeps them: it is a consent.Store and a
// rights.Store), for the requests of a subject never registered
// ([retention.OrphanStore]), for a subject with nothing and for an unknown
// one; a malformed ID refuses the whole page with ErrInvalid, when Objects
// refuses it too. The lifted holds and erasure requests of a subject
// whose row is gone need a store's back door to make: the adapters' own
// tests check those (adaptertest.RunLegacyOrphans).
func RunObjectsOf(t *testing.T, s retention.Store) {
	t.Helper()
	e := newEnv(t, s)
	os, ok := retention.AsObjectStore(s)
	if !ok {
		t.Skip("the store is not a retention.ObjectStore")
	}
	ps, ok := os.(retention.ObjectPageStore)
	if !ok {
		t.Skip("the store reads objects one subject at a time (not a retention.ObjectPageStore)")
	}
	subjects := []privacy.SubjectID{"s-p1", "s-p2", "s-p3", "s-p4"}
	for i, id := range subjects {
		e.subject(t, id)
		e.openCase(t, privacy.CaseID(fmt.Sprintf("c-p%d", i+1)), id, t0)
	}
	e.note(t, "n-p1", "c-p1")
	e.note(t, "n-p2", "c-p2")
	ev := func(sub privacy.SubjectID) []privacy.Event {
		return []privacy.Event{{Time: t0, Principal: officer.ID, Role: officer.Role, Action: privacy.EventCreate,
			Outcome: privacy.OutcomeAllowed, Rule: privacy.O13, Subject: sub, Object: string(sub)}}
	}
	if cs, ok := e.s.(consent.Store); ok {
		// Grants given at one time come back by ID, after one with no
		// time given; one revoked, one run out, one lasting.
		for _, g := range []struct {
			id      consent.GrantID
			sub     privacy.SubjectID
			c       privacy.CaseID
			given   time.Time
			until   time.Time
			revoked bool
		}{
			{"g-p1b", "s-p1", "c-p1", t0, time.Time{}, true},
			{"g-p1a", "s-p1", "", t0, t0.AddDate(1, 0, 0), false},
			{"g-p1c", "s-p1", "c-p1", t0.Add(-time.Hour), time.Time{}, false},
			{"g-p2", "s-p2", "", t0.Add(time.Hour), time.Time{}, false},
			{"g-p2z", "s-p2", "c-p2", time.Time{}, time.Time{}, false},
		} {
			gr := consent.Grant{ID: g.id, Subject: g.sub, Case: g.c, Recipient: consent.Recipient{Kind: privacy.PartyThirdParty, Party: "lawyer-1"},
				Categories: []privacy.Category{privacy.CategoryNotes}, Purpose: privacy.PurposeAbsenceGuidance, Form: consent.FormWritten,
				Document: "doc-1", Given: g.given, From: t0, Until: g.until}
			if err := cs.AddGrant(e.ctx, gr, ev(g.sub)); err != nil {
				t.Fatalf("AddGrant(%s): %v", g.id, err)
			}
			if g.revoked {
				if _, err := cs.RevokeGrant(e.ctx, g.id, t0.Add(2*time.Hour), ev(g.sub)); err != nil {
					t.Fatalf("RevokeGrant(%s): %v", g.id, err)
				}
			}
		}
		// Disclosures made at one time come back by ID; records, whole
		// categories (G4) and the grants they rest on.
		for _, d := range []consent.Disclosure{
			{ID: "d-p1b", Subject: "s-p1", Case: "c-p1", At: t0.Add(3 * time.Hour), Grants: []consent.GrantID{"g-p1a", "g-p1c"},
				Items: []consent.Item{{Record: "n-p1", Category: privacy.CategoryNotes}, {Category: privacy.CategoryIdentity}}},
			{ID: "d-p1a", Subject: "s-p1", Case: "c-p1", At: t0.Add(3 * time.Hour), Items: []consent.Item{{Category: privacy.CategoryNotes}}},
			{ID: "d-p1c", Subject: "s-p1", At: t0.Add(time.Hour), Items: []consent.Item{{Record: "n-p1", Category: privacy.CategoryNotes}}},
			{ID: "d-p2", Subject: "s-p2", Case: "c-p2", At: t0.Add(time.Hour), Grants: []consent.GrantID{"g-p2"},
				Items: []consent.Item{{Record: "n-p2", Category: privacy.CategoryNotes}}},
		} {
			d.Recipient = consent.Recipient{Kind: privacy.PartyThirdParty, Party: "lawyer-1"}
			d.Purpose, d.By, d.Role, d.Rule, d.Basis, d.Policy = privacy.PurposeAbsenceGuidance, clerk.ID, clerk.Role, privacy.R6,
				privacy.BasisConsent, "kit@1"
			if err := cs.Disclose(e.ctx, d.Subject, "", func([]consent.Grant, []consent.Coverage) consent.Verdict {
				return consent.Verdict{Disclosure: &d, Events: ev(d.Subject)}
			}); err != nil {
				t.Fatalf("Disclose(%s): %v", d.ID, err)
			}
		}
	}
	if rs, ok := e.s.(rights.Store); ok {
		// Requests received at one time come back by ID; an open one, an
		// answered one, and those of someone never registered.
		for _, q := range []struct {
			id       rights.RequestID
			sub      privacy.SubjectID
			received time.Time
			answered bool
		}{
			{"q-p1b", "s-p1", t0, true},
			{"q-p1a", "s-p1", t0, false},
			{"q-p1c", "s-p1", t0.Add(-time.Hour), true},
			{"q-p3", "s-p3", t0, false},
			{"q-stranger-b", "stranger-p", t0, true},
			{"q-stranger-a", "stranger-p", t0.Add(time.Hour), false},
		} {
			r := rights.Request{ID: q.id, Subject: q.sub, Kind: rights.KindAccess, Form: rights.FormWritten, Received: q.received,
				Status: rights.StatusReceived, History: []rights.Step{{Kind: rights.StepFiled, Status: rights.StatusReceived, At: q.received}}}
			if q.answered {
				r.Status = rights.StatusAnswered
				r.History = append(r.History, rights.Step{Kind: rights.StepAnswered, Status: rights.StatusAnswered, At: q.received.Add(time.Hour)})
			}
			if err := rs.CreateRequest(e.ctx, r, ev(q.sub)); err != nil {
				t.Fatalf("CreateRequest(%s): %v", q.id, err)
			}
		}
	}
	page := append(slices.Clone(subjects), "stranger-p", "nobody", "s-p1")
	want := map[privacy.SubjectID][]retention.Object{}
	for _, id := range page {
		objs, err := os.Objects(e.ctx, id)
		if err != nil {
			t.Fatalf("Objects(%s): %v", id, err)
		}
		want[id] = objs
	}
	got, err := ps.ObjectsOf(e.ctx, page)
	if err != nil {
		t.Fatalf("ObjectsOf(%v): %v", page, err)
	}
	for id := range got {
		if !slices.Contains(page, id) {
			t.Errorf("ObjectsOf(%v) has subject %s, not asked for", page, id)
		}
	}
	gotAll := map[privacy.SubjectID][]retention.Object{}
	for _, id := range page {
		gotAll[id] = got[id]
	}
	if d := kitdiff.Diff(want, gotAll); d != "" {
		t.Errorf("ObjectsOf differs from Objects per subject (-Objects +ObjectsOf):\n%s", d)
	}
	if _, ok := e.s.(consent.Store); ok && len(want["s-p1"]) < 6 {
		t.Errorf("Objects(s-p1) = %v, want its grants, disclosures and requests", want["s-p1"])
	}
	if got, err := ps.ObjectsOf(e.ctx, nil); err != nil || len(got) != 0 {
		t.Errorf("ObjectsOf(none) = %v, %v; want nothing, no error", got, err)
	}
	if _, err := os.Objects(e.ctx, "s 1"); errors.Is(err, privacy.ErrInvalid) {
		if got, err := ps.ObjectsOf(e.ctx, []privacy.SubjectID{"s-p1", "s 1"}); !errors.Is(err, privacy.ErrInvalid) {
			t.Errorf("ObjectsOf(malformed ID) = %v, %v; want ErrInvalid, as Objects", got, err)
		}
	}
}

// RunOpenRequestEnds checks s, an empty store that keeps requests (a
// rights.Store and a retention.ObjectStore), for rules R11, O13, O12
// (issue 14 §1: a request never answered is not kept for ever): a
// request's retention period runs from its final step once it is closed,
// and, while it is open, from the end of the last day of its deadline
// (00:00 Europe/Amsterdam the next day), the extended deadline once it was
// extended — in Objects and, where the store reads pages, in ObjectsOf
// alike, for a registered subject and for one never registered.
func RunOpenRequestEnds(t *testing.T, s retention.Store) {
	t.Helper()
	e := newEnv(t, s)
	rs, ok := e.s.(rights.Store)
	if !ok {
		t.Skip("the store keeps no requests (not a rights.Store)")
	}
	os, ok := retention.AsObjectStore(s)
	if !ok {
		t.Skip("the store is not a retention.ObjectStore")
	}
	e.subject(t, "s-q")
	ams := time.FixedZone("CET", 3600) // Amsterdam in winter: the kit's days are in January and February
	day := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, ams) }
	date := func(y int, m time.Month, d int) calendar.Date {
		dt, err := calendar.NewDate(y, m, d)
		if err != nil {
			t.Fatal(err)
		}
		return dt
	}
	filed := func(due calendar.Date) rights.Step {
		return rights.Step{Kind: rights.StepFiled, Status: rights.StatusReceived, At: t0, By: officer.ID, Due: due}
	}
	answeredAt := t0.Add(50 * time.Hour)
	for _, q := range []struct {
		id    rights.RequestID
		sub   privacy.SubjectID
		steps []rights.Step
		want  time.Time
	}{
		// Filed on Monday 6 January 2025, due Thursday 6 February: kept
		// from the end of that day.
		{"q-open", "s-q", []rights.Step{filed(date(2025, 2, 6))}, day(2025, 2, 7)},
		// Extended by two months (G2): from the end of the new deadline.
		{"q-extended", "s-q", []rights.Step{filed(date(2025, 2, 6)),
			{Kind: rights.StepExtended, Status: rights.StatusExtended, At: t0.Add(time.Hour), By: officer.ID, Due: date(2025, 4, 7)}},
			time.Date(2025, 4, 8, 0, 0, 0, 0, time.FixedZone("CEST", 7200))},
		// Answered: from the answer, whatever its deadline.
		{"q-answered", "s-q", []rights.Step{filed(date(2025, 2, 6)),
			{Kind: rights.StepAnswered, Status: rights.StatusAnswered, At: answeredAt, By: officer.ID}}, answeredAt},
		// Of someone never registered, open.
		{"q-stranger", "stranger-q", []rights.Step{filed(date(2025, 2, 6))}, day(2025, 2, 7)},
	} {
		last := q.steps[len(q.steps)-1]
		r := rights.Request{ID: q.id, Subject: q.sub, Kind: rights.KindAccess, Form: rights.FormWritten, Received: t0,
			Status: last.Status, Due: rights.Due{Date: q.steps[0].Due, Rule: privacy.O13}, History: q.steps}
		for _, st := range q.steps {
			if !st.Due.IsZero() {
				r.Due.Date = st.Due
			}
		}
		ev := []privacy.Event{{Time: t0, Principal: officer.ID, Role: officer.Role, Action: privacy.EventCreate,
			Outcome: privacy.OutcomeAllowed, Rule: privacy.O13, Subject: q.sub, Object: string(q.id)}}
		if err := rs.CreateRequest(e.ctx, r, ev); err != nil {
			t.Fatalf("CreateRequest(%s): %v", q.id, err)
		}
		if got := r.Ended(); !got.Equal(q.want) {
			t.Errorf("rights.Request.Ended of %s = %v, want %v", q.id, got, q.want)
		}
		check := func(how string, objs []retention.Object) {
			t.Helper()
			for _, o := range objs {
				if o.Kind == privacy.DataRequest && o.ID == string(q.id) {
					if !o.Ended.Equal(q.want) {
						t.Errorf("%s: request %s ends %v for retention, want %v (rules R11, O13, O12)", how, q.id, o.Ended, q.want)
					}
					return
				}
			}
			t.Errorf("%s: request %s of %s missing", how, q.id, q.sub)
		}
		objs, err := os.Objects(e.ctx, q.sub)
		if err != nil {
			t.Fatalf("Objects(%s): %v", q.sub, err)
		}
		check("Objects", objs)
		if ps, ok := os.(retention.ObjectPageStore); ok {
			page, err := ps.ObjectsOf(e.ctx, []privacy.SubjectID{q.sub})
			if err != nil {
				t.Fatalf("ObjectsOf(%s): %v", q.sub, err)
			}
			check("ObjectsOf", page[q.sub])
		}
	}
}

// RunOpenCaseEnds checks s, an empty store, for rules R9, O12, N7 (issue
// 14 §1: nothing about a person outlives its retention): a case left open
// ends, for retention, at its last activity, and an absence case at the
// end of the employment if that came first (retention.CaseEnded). Each
// case, its records and, nothing else left, its subject go 2 years and a
// day later, each with a proof, and not a second earlier:
//
//   - s-abs: an absence case still open when the employment ended, with a
//     note written after that: it ends with the employment (N7);
//   - s-prev: a preventive case left open, its last note 3 months after
//     the employment ended: it ends with that note;
//   - s-act: a consultation case still open, its subject still employed,
//     with a note and, a year later, an appointment kept a month: the
//     appointment's erasure does not date the case's last activity back
//     (the store keeps it, retention.CaseFile.Active), so the case and its
//     note stay 2 years after the appointment, not after the note.
func RunOpenCaseEnds(t *testing.T, s retention.Store) {
	t.Helper()
	e, os := objectEnv(t, s)
	ended := t0.AddDate(0, 1, 0) // Thursday 6 February 2025, 09:00 UTC
	e.caseOf(t, "c-abs", "s-abs", privacy.CaseAbsence)
	e.record(t, "n-abs", "c-abs", privacy.CategoryNotes, privacy.FieldText, t0)
	e.caseOf(t, "c-prev", "s-prev", privacy.CasePreventive)
	e.record(t, "n-prev", "c-prev", privacy.CategoryNotes, privacy.FieldText, t0)
	e.caseOf(t, "c-act", "s-act", privacy.CaseConsultation)
	e.record(t, "n-act", "c-act", privacy.CategoryNotes, privacy.FieldText, t0)
	for _, sub := range []privacy.SubjectID{"s-abs", "s-prev"} {
		if err := e.d.EndEmployment(e.ctx, act(ended), sub, ended); err != nil {
			t.Fatalf("EndEmployment(%s): %v", sub, err)
		}
	}
	e.record(t, "n-abs-2", "c-abs", privacy.CategoryNotes, privacy.FieldText, ended.AddDate(0, 0, 14))
	e.record(t, "n-prev-2", "c-prev", privacy.CategoryNotes, privacy.FieldText, t0.AddDate(0, 4, 0))
	e.record(t, "a-act", "c-act", privacy.CategoryAppointment, privacy.FieldWhen, t0.AddDate(1, 0, 0))
	// Strict, with appointments kept a month from their making (the
	// earliest maximum wins).
	p := privacy.Strict()
	p.Retention = append(p.Retention, privacy.RetentionRule{Rule: privacy.O12, Categories: []privacy.Category{privacy.CategoryAppointment},
		Trigger: privacy.TriggerRecordCreated, Period: privacy.Months(1), Citation: "Privacyreglement arbodienst",
		Reason: "appointments: a month"})
	k, err := retention.New(s, p, nil)
	if err != nil {
		t.Fatal(err)
	}
	cet := time.FixedZone("CET", 3600)
	cest := time.FixedZone("CEST", 2*3600)
	// Due from 00:00 Amsterdam, 2 years and a day after each case ended.
	due := map[privacy.SubjectID]time.Time{
		"s-abs":  time.Date(2027, 2, 7, 0, 0, 0, 0, cet),  // the employment's end, 6 February 2025
		"s-prev": time.Date(2027, 5, 7, 0, 0, 0, 0, cest), // its last note, 6 May 2025
		"s-act":  time.Date(2028, 1, 7, 0, 0, 0, 0, cet),  // its appointment, 6 January 2026
	}
	var sweeps []time.Time
	for _, d := range due {
		sweeps = append(sweeps, d.Add(-time.Second), d)
	}
	// The appointment goes a month after its making; at 2 years and a day
	// after the consultation case's note, the case is still worked on.
	sweeps = append(sweeps, time.Date(2026, 3, 1, 0, 0, 0, 0, cet), time.Date(2027, 1, 7, 0, 0, 0, 0, cet))
	slices.SortFunc(sweeps, time.Time.Compare)
	for _, at := range sweeps {
		if _, err := k.Sweep(e.ctx, officer, at); err != nil {
			t.Fatalf("Sweep at %v: %v", at, err)
		}
		for sub, d := range due {
			proofs, err := os.ObjectProofs(e.ctx, sub)
			if err != nil {
				t.Fatal(err)
			}
			gone := map[privacy.DataKind]bool{}
			for _, p := range proofs {
				gone[p.Kind] = true
			}
			records, err := s.Proofs(e.ctx, sub)
			if err != nil {
				t.Fatal(err)
			}
			notes := 0
			for _, p := range records {
				if p.Category == privacy.CategoryNotes {
					notes++
				}
			}
			want := !at.Before(d)
			if gone[privacy.DataCase] != want || gone[privacy.DataSubject] != want || (notes > 0) != want {
				t.Errorf("sweep at %v: %s's open case erased %v, its subject %v, its notes %d; want erased %v from %v (rules R9, O12, N7)",
					at, sub, gone[privacy.DataCase], gone[privacy.DataSubject], notes, want, d)
			}
		}
		if at.Equal(time.Date(2026, 3, 1, 0, 0, 0, 0, cet)) {
			if ps, err := s.Proofs(e.ctx, "s-act"); err != nil || len(ps) != 1 || ps[0].Record != "a-act" {
				t.Errorf("sweep at %v: proofs of s-act %v, %v; want the appointment's alone", at, ps, err)
			}
		}
	}
}

// RunOpenCaseRectified checks s, an empty store, for rules R9, O12 with the
// medical file and a rectification: a consultation case left open, a note
// of t0 and a medical record of a month later, rectified five months after
// that and then deleted from the medical file. The rectification is the
// case's last activity (retention.CaseFile.LastActivity): the store keeps
// it past the record's deletion, whichever file held it, so that the case
// and its note go 2 years and a day after the rectification, each with a
// proof, and not a second earlier — not 2 years after the note (the
// activity dated back), nor after the medical record's making (a
// rectification not kept).
func RunOpenCaseRectified(t *testing.T, s retention.Store) {
	t.Helper()
	e, os := objectEnv(t, s)
	e.caseOf(t, "c-rect", "s-rect", privacy.CaseConsultation)
	e.note(t, "n-rect", "c-rect")
	made, rectified := t0.AddDate(0, 1, 0), t0.AddDate(0, 6, 0)
	m := e.record(t, "m-rect", "c-rect", privacy.CategoryMedical, privacy.FieldText, made)
	m.Subject, m.Purpose, m.Fields = "s-rect", privacy.PurposePrevention, map[privacy.Field]string{privacy.FieldText: "y"}
	if err := e.d.UpdateRecord(e.ctx, act(rectified), m); err != nil {
		t.Fatalf("UpdateRecord(medical): %v", err)
	}
	if err := e.d.DeleteRecord(e.ctx, act(rectified.AddDate(0, 1, 0)), "m-rect"); err != nil {
		t.Fatalf("DeleteRecord(medical): %v", err)
	}
	k, err := retention.New(s, privacy.Strict(), nil)
	if err != nil {
		t.Fatal(err)
	}
	// 2 years and a day after the rectification of 6 July 2025, from
	// 00:00 Amsterdam.
	due := time.Date(2027, 7, 7, 0, 0, 0, 0, time.FixedZone("CEST", 2*3600))
	for _, at := range []time.Time{
		time.Date(2027, 1, 7, 0, 0, 0, 0, time.FixedZone("CET", 3600)), // 2 years and a day after the note
		time.Date(2027, 2, 7, 0, 0, 0, 0, time.FixedZone("CET", 3600)), // after the medical record's making
		due.Add(-time.Second), due,
	} {
		if _, err := k.Sweep(e.ctx, officer, at); err != nil {
			t.Fatalf("Sweep at %v: %v", at, err)
		}
		proofs, err := os.ObjectProofs(e.ctx, "s-rect")
		if err != nil {
			t.Fatal(err)
		}
		caseGone := slices.ContainsFunc(proofs, func(p retention.ObjectProof) bool { return p.Kind == privacy.DataCase })
		_, noteErr := s.(privacy.Store).Record(e.ctx, "n-rect")
		want := !at.Before(due)
		if caseGone != want || errors.Is(noteErr, privacy.ErrNotFound) != want {
			t.Errorf("sweep at %v: the open case erased %v, its note's read %v; want erased %v from %v, 2 years after the rectification (rules R9, O12)",
				at, caseGone, noteErr, want, due)
		}
	}
}
