// Package consenttest is the conformance kit for [consent.Store] adapters,
// in the spirit of testing/fstest.TestFS. An adapter runs it from its own
// test:
//
//	func TestConsentConformance(t *testing.T) {
//		consenttest.Run(t, func(t *testing.T) consenttest.Store { return mystore.New(t) })
//	}
//
// Every case runs on a fresh store in a named subtest, through the
// [consent.Registry] users work with, and says which rule it checks. It
// covers round trips and their order, copy semantics, typed errors for
// missing, duplicate and malformed input, revocation (R6, O14), the
// disclosure log (G1, G4) with its audit events, the consent question of
// O10, the coverage register (O11), the check of every named record and of
// the case, which no option turns off, atomicity under injected faults,
// and the races the design names: a revocation, or the end of a coverage,
// and a disclosure resting on it issued concurrently, many times — no
// disclosure is ever logged with a time at or after the revocation or the
// end.
//
// Adapters that cannot do something skip the cases that need it, by
// name: fault injection needs [privacytest.FaultInjector]; the audit
// checks need [AuditReader]. Run the kit with -race.
package consenttest

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/dossierwacht/dossierwacht/access"
	"github.com/dossierwacht/dossierwacht/consent"
	"github.com/dossierwacht/dossierwacht/internal/kitdiff"
	"github.com/dossierwacht/dossierwacht/privacy"
	"github.com/dossierwacht/dossierwacht/privacy/privacytest"
)

// Store is what the kit tests: a consent store, and the case file it
// reads the disclosed cases and records from, which the kit fills through
// [privacy.Store] before it discloses. Every adapter implements both on
// one type.
type Store interface {
	consent.Store
	privacy.Store
}

// AuditReader is implemented by adapters that keep the audit trail the
// consent store appends to and can read it back: the kit then checks that
// every decision, allowed or denied, left its event (G7) and that a failed
// operation left none.
type AuditReader interface {
	Events(ctx context.Context, from uint64) iter.Seq2[privacy.Event, error]
}

// Run runs the kit against stores made by newStore, one per subtest.
func Run(t *testing.T, newStore func(t *testing.T) Store) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := newStore(t)
			e := &env{ctx: context.Background(), s: s}
			e.reg = e.registry(t, privacy.Strict(), nil)
			tc.run(t, e)
		})
	}
}

type env struct {
	ctx context.Context
	s   Store
	reg *consent.Registry
}

var cases = []struct {
	name string
	run  func(*testing.T, *env)
}{
	{"GrantRoundTrip", testGrantRoundTrip},
	{"GrantsOrder", testGrantsOrder},
	{"GrantErrors", testGrantErrors},
	{"R6_RecordedBySubjectOrStaffOnly", testRecorder},
	{"CopySemantics", testCopySemantics},
	{"O14_AllowedDisclosureLogged", testAllowedLogged},
	{"R6_DeniedDisclosureRecordsOnlyItsEvent", testDeniedNotLogged},
	{"DisclosureErrors", testDisclosureErrors},
	{"DisclosuresOrder", testDisclosuresOrder},
	{"N2_SameTextToTheEmployeeLogged", testNotifySubjectLogged},
	{"N5_StatutoryBasisLogged", testStatuteLogged},
	{"R6_RevocationBlocksLaterDisclosures", testRevocation},
	{"R6_RevocationNeverRewritesTheLog", testRevocationConflict},
	{"RevokeErrors", testRevokeErrors},
	{"O10_Consents", testConsents},
	{"G1_Recipients", testRecipients},
	{"G4_Notify", testNotify},
	{"RecordsAlwaysChecked", testRecordsChecked},
	{"CaseAlwaysChecked", testCaseChecked},
	{"R6_GrantRecordedAfterItIsGiven", testGrantRecorded},
	{"R6_BackdatedDisclosureRefused", testBackdated},
	{"O14_WrittenRequestLogged", testWrittenRequest},
	{"O11_CoverageRoundTrip", testCoverageRoundTrip},
	{"O11_CoverageErrors", testCoverageErrors},
	{"O11_OverviewOnlyWithCoverage", testOverviewNeedsCoverage},
	{"O11_EndCoverage", testEndCoverage},
	{"CanceledContext", testCanceled},
	{"AtomicFault", testAtomicFault},
	{"RevocationRacesDisclosure", testRevocationRace},
	{"O11_EndOfCoverageRacesDisclosure", testCoverageRace},
	{"Concurrent", testConcurrent},
}

// Fixed times and parties: the kit never reads the clock.
var (
	t0 = time.Date(2026, time.March, 2, 9, 0, 0, 0, time.UTC)
	// staff and doctor are assigned to the case of every subject the kit
	// opens (see caseOf).
	staff = access.NewPrincipal(privacy.Principal{ID: "cm-1", Role: privacy.RoleCaseManager, Party: "service",
		Secrecy: privacy.SecrecyAgreement}, kitCases(), nil)
	doctor = access.NewPrincipal(privacy.Principal{ID: "doc-1", Role: privacy.RolePhysician, Party: "service",
		Secrecy: privacy.SecrecyProfessional, MultiFactor: true}, kitCases(), nil)
	employer = consent.Recipient{Party: "employer-1", Kind: privacy.PartyEmployer}
	lawyer   = consent.Recipient{Party: "lawyer-1", Kind: privacy.PartyThirdParty}
	uwv      = consent.Recipient{Party: "uwv", Kind: privacy.PartyUWV}
	insurer  = consent.Recipient{Party: "insurer-1", Kind: privacy.PartyInsurer}
)

// caseOf is the absence case the kit opens for subject s, commissioned by
// employer-1.
func caseOf(s privacy.SubjectID) privacy.CaseID { return privacy.CaseID("c-" + string(s)) }

// kitCases are the cases of the subjects the kit uses: s-0 to s-49.
func kitCases() []privacy.CaseID {
	var out []privacy.CaseID
	for i := range 50 {
		out = append(out, caseOf(privacy.SubjectID(fmt.Sprintf("s-%d", i))))
	}
	return out
}

// person is a principal that is not of the service's staff, or not
// assigned: it needs no cases.
func person(p privacy.Principal) *access.Principal { return access.NewPrincipal(p, nil, nil) }

// setupPolicy marks the audit events of the kit's own set-up, which the
// cases that count the registry's events leave out.
const setupPolicy = "consenttest-setup"

// setupEvents is the audit event the kit's own set-up writes hand the
// store (every write of a privacy.Store comes with its events).
func setupEvents(s privacy.SubjectID, object string, at time.Time) []privacy.Event {
	return []privacy.Event{{Time: at, Principal: staff.ID, Role: staff.Role, OnBehalfOf: staff.Party, Subject: s,
		Object: object, Action: privacy.EventCreate, Outcome: privacy.OutcomeAllowed, Rule: privacy.O1, Policy: setupPolicy}}
}

// open puts subject s in the store, employed by employer-1, with its
// absence case: commissioned by employer-1 under a contract from a year
// before t0, for absence guidance.
func (e *env) open(t *testing.T, subjects ...privacy.SubjectID) {
	t.Helper()
	for _, s := range subjects {
		if err := e.s.CreateSubject(e.ctx, privacy.Subject{ID: s, Employer: "employer-1", Created: t0.AddDate(-1, 0, 0)},
			setupEvents(s, string(s), t0.AddDate(-1, 0, 0))); err != nil {
			t.Fatalf("CreateSubject(%s): %v", s, err)
		}
		c := privacy.Case{ID: caseOf(s), Subject: s, Kind: privacy.CaseAbsence, Purpose: privacy.PurposeAbsenceGuidance,
			Contract: privacy.Contract{ID: "k-1", Party: "employer-1", PartyKind: privacy.PartyEmployer, Start: t0.AddDate(-1, 0, 0)},
			Opened:   t0.Add(-24 * time.Hour)}
		if err := e.s.CreateCase(e.ctx, c, setupEvents(s, string(c.ID), c.Opened)); err != nil {
			t.Fatalf("CreateCase(%s): %v", c.ID, err)
		}
	}
}

// record puts a record of category cat in the case of subject s (in the
// medical file for medical data).
func (e *env) record(t *testing.T, id privacy.RecordID, s privacy.SubjectID, cat privacy.Category) {
	t.Helper()
	info, _ := cat.Info()
	r := privacy.Record{ID: id, Case: caseOf(s), Subject: s, Category: cat, Author: staff.ID,
		Source: privacy.Source{Kind: privacy.PartyService}, Purpose: privacy.PurposeAbsenceGuidance,
		Created: t0.Add(-time.Hour), Updated: t0.Add(-time.Hour), Fields: map[privacy.Field]string{info.Fields[0]: "x"}}
	var err error
	if cat.Medical() {
		err = e.s.AddMedicalRecords(e.ctx, []privacy.Record{r}, setupEvents(s, string(id), r.Created))
	} else {
		err = e.s.AddRecords(e.ctx, []privacy.Record{r}, setupEvents(s, string(id), r.Created))
	}
	if err != nil {
		t.Fatalf("add record %s: %v", id, err)
	}
}

func (e *env) registry(t *testing.T, p *privacy.Policy, opts *consent.Options) *consent.Registry {
	t.Helper()
	r, err := consent.New(e.s, p, opts)
	if err != nil {
		t.Fatalf("consent.New: %v", err)
	}
	return r
}

func grant(id consent.GrantID, subject privacy.SubjectID, to consent.Recipient, cats ...privacy.Category) consent.Grant {
	return consent.Grant{ID: id, Subject: subject, Recipient: to, Categories: cats, Purpose: privacy.PurposeAbsenceGuidance,
		Form: consent.FormWritten, Document: "doc-" + string(id), Given: t0}
}

func (e *env) add(t *testing.T, g consent.Grant) consent.Grant {
	t.Helper()
	out, err := e.reg.AddGrant(e.ctx, staff, g, g.Given)
	if err != nil {
		t.Fatalf("AddGrant(%s): %v", g.ID, err)
	}
	return out
}

// request is a request by staff to disclose items of subject's case; to
// a third party or the employer it carries the party's written request
// (O14).
func request(id consent.DisclosureID, subject privacy.SubjectID, to consent.Recipient, at time.Time, items ...consent.Item) consent.Request {
	r := consent.Request{ID: id, By: staff, Recipient: to, Subject: subject, Case: caseOf(subject), Items: items,
		Purpose: privacy.PurposeAbsenceGuidance, At: at}
	if to.Kind == privacy.PartyThirdParty || to.Kind == privacy.PartyEmployer {
		r.WrittenRequest = "letter-" + string(id)
	}
	return r
}

func notes() consent.Item { return consent.Item{Category: privacy.CategoryNotes} }

func wantKind(t *testing.T, what string, err, kind error) {
	t.Helper()
	if !errors.Is(err, kind) {
		t.Errorf("%s: err = %v, want %v", what, err, kind)
	}
}

// events returns the audit trail, or nil and false if the adapter cannot
// read it back.
func (e *env) events(t *testing.T) ([]privacy.Event, bool) {
	t.Helper()
	ar, ok := e.s.(AuditReader)
	if !ok {
		return nil, false
	}
	var out []privacy.Event
	for ev, err := range ar.Events(e.ctx, 1) {
		if err != nil {
			t.Fatalf("Events: %v", err)
		}
		if ev.Policy == setupPolicy {
			continue // the kit's own set-up, not the registry's
		}
		out = append(out, ev)
	}
	return out, true
}

func (e *env) log(t *testing.T, subject privacy.SubjectID) []consent.Disclosure {
	t.Helper()
	d, err := e.reg.Disclosures(e.ctx, subject)
	if err != nil {
		t.Fatalf("Disclosures(%s): %v", subject, err)
	}
	return d
}

// wantSame reports a difference between the value a store gave back and
// the one it was given: the whole value, so that a field an adapter drops
// fails the kit.
func wantSame(t *testing.T, what string, want, got any) {
	t.Helper()
	if d := kitdiff.Diff(want, got); d != "" {
		t.Errorf("%s mismatch (-want +got):\n%s", what, d)
	}
}

// wantFull stops the kit when a round trip's input leaves a field unset: a
// field no adapter would be checked on.
func wantFull(t *testing.T, what string, v any, except ...string) {
	t.Helper()
	if unset := kitdiff.Unset(v, except...); len(unset) > 0 {
		t.Fatalf("consenttest: the kit's %s leaves %v unset: set them, so that the round trip checks them", what, unset)
	}
}

func grantIDs(gs []consent.Grant) []consent.GrantID {
	out := make([]consent.GrantID, len(gs))
	for i, g := range gs {
		out[i] = g.ID
	}
	return out
}

func disclosureIDs(ds []consent.Disclosure) []consent.DisclosureID {
	out := make([]consent.DisclosureID, len(ds))
	for i, d := range ds {
		out[i] = d.ID
	}
	return out
}

func testGrantRoundTrip(t *testing.T, e *env) {
	g := grant("g-1", "s-1", employer, privacy.CategoryNotes, privacy.CategoryWorkCapacity)
	g.Case = caseOf("s-1")
	g.From = t0.Add(time.Hour)
	g.Until = t0.Add(30 * 24 * time.Hour)
	want := e.add(t, g)
	wantSame(t, "AddGrant's grant", g, want)
	got, err := e.reg.Grant(e.ctx, "g-1")
	if err != nil {
		t.Fatalf("Grant: %v", err)
	}
	wantSame(t, "Grant", want, got)
	list, err := e.reg.Grants(e.ctx, "s-1")
	if err != nil {
		t.Fatalf("Grants: %v", err)
	}
	wantSame(t, "Grants", []consent.Grant{want}, list)
	// From defaults to Given.
	g2 := e.add(t, grant("g-2", "s-1", lawyer, privacy.CategoryNotes))
	if got, _ := e.reg.Grant(e.ctx, "g-2"); !got.From.Equal(t0) {
		t.Errorf("Grant(g-2).From = %v, want Given %v", got.From, t0)
	} else {
		wantSame(t, "Grant(g-2)", g2, got)
	}
	// A revoked grant comes back whole, with its revocation.
	revoked, err := e.reg.Revoke(e.ctx, staff, "g-1", t0.Add(2*time.Hour))
	if err != nil {
		t.Fatalf("Revoke: %v", err)
	}
	want.Revoked = t0.Add(2 * time.Hour)
	wantFull(t, "grant", want)
	wantSame(t, "Revoke's grant", want, revoked)
	got, _ = e.reg.Grant(e.ctx, "g-1")
	wantSame(t, "Grant after Revoke", want, got)
	// A subject without grants has none: not an error.
	if list, err := e.reg.Grants(e.ctx, "s-none"); err != nil || len(list) != 0 {
		t.Errorf("Grants(s-none) = %v, %v; want [], nil", list, err)
	}
	if evs, ok := e.events(t); ok {
		if len(evs) != 3 || evs[0].Action != privacy.EventCreate || evs[0].Object != "g-1" || evs[0].Subject != "s-1" ||
			evs[0].Rule != privacy.O14 || evs[0].Outcome != privacy.OutcomeAllowed || evs[0].Principal != staff.ID {
			t.Errorf("G7: events after two grants and a revocation = %+v", evs)
		}
	}
}

func testGrantsOrder(t *testing.T, e *env) {
	for _, g := range []consent.Grant{
		func() consent.Grant {
			g := grant("g-c", "s-1", employer, privacy.CategoryNotes)
			g.Given = t0.Add(2 * time.Hour)
			return g
		}(),
		grant("g-b", "s-1", employer, privacy.CategoryNotes),
		grant("g-a", "s-1", employer, privacy.CategoryNotes),
		grant("g-x", "s-2", employer, privacy.CategoryNotes),
	} {
		e.add(t, g)
	}
	list, err := e.reg.Grants(e.ctx, "s-1")
	if err != nil {
		t.Fatalf("Grants: %v", err)
	}
	if got := fmt.Sprint(grantIDs(list)); got != "[g-a g-b g-c]" {
		t.Errorf("Grants(s-1) = %s, want [g-a g-b g-c] (by Given, then ID; s-2's apart)", got)
	}
}

func testGrantErrors(t *testing.T, e *env) {
	e.add(t, grant("g-1", "s-1", employer, privacy.CategoryNotes))
	_, err := e.reg.AddGrant(e.ctx, staff, grant("g-1", "s-1", lawyer, privacy.CategoryNotes), t0)
	wantKind(t, "AddGrant(duplicate)", err, privacy.ErrExists)
	_, err = e.reg.Grant(e.ctx, "g-missing")
	wantKind(t, "Grant(missing)", err, privacy.ErrNotFound)
	_, err = e.reg.Grant(e.ctx, "bad id")
	wantKind(t, "Grant(malformed)", err, privacy.ErrInvalid)
	_, err = e.reg.Grants(e.ctx, "")
	wantKind(t, "Grants(empty subject)", err, privacy.ErrInvalid)

	for _, tc := range []struct {
		name string
		g    consent.Grant
		kind error
		rule privacy.RuleID
	}{
		{"O5_special_category", grant("g-2", "s-1", employer, privacy.CategoryReligion), privacy.ErrProhibitedCategory, privacy.O5},
		{"O9_absence_reason", grant("g-2", "s-1", employer, privacy.CategoryAbsenceReason), privacy.ErrInvalid, privacy.O9},
		{"N5_bsn", grant("g-2", "s-1", employer, privacy.CategoryNationalID), privacy.ErrInvalid, privacy.N5},
		{"O6_medical_not_written", func() consent.Grant {
			g := grant("g-2", "s-1", lawyer, privacy.CategoryMedical)
			g.Form, g.Document = consent.FormExplicit, ""
			return g
		}(), privacy.ErrInvalid, privacy.O6},
		{"O14_written_without_document", func() consent.Grant {
			g := grant("g-2", "s-1", lawyer, privacy.CategoryNotes)
			g.Document = ""
			return g
		}(), privacy.ErrInvalid, privacy.O14},
		{"no_recipient", grant("g-2", "s-1", consent.Recipient{}, privacy.CategoryNotes), privacy.ErrInvalid, privacy.R6},
		{"no_categories", grant("g-2", "s-1", employer), privacy.ErrInvalid, privacy.R6},
		{"already_revoked", func() consent.Grant {
			g := grant("g-2", "s-1", lawyer, privacy.CategoryNotes)
			g.Revoked = t0.Add(time.Hour)
			return g
		}(), privacy.ErrInvalid, ""},
		{"ends_before_it_starts", func() consent.Grant {
			g := grant("g-2", "s-1", lawyer, privacy.CategoryNotes)
			g.Until = t0
			return g
		}(), privacy.ErrInvalid, ""},
	} {
		_, err := e.reg.AddGrant(e.ctx, staff, tc.g, t0.Add(time.Hour))
		wantKind(t, "AddGrant("+tc.name+")", err, tc.kind)
		if privacy.RuleOf(err) != tc.rule {
			t.Errorf("AddGrant(%s): rule %q, want %q", tc.name, privacy.RuleOf(err), tc.rule)
		}
		if _, err := e.reg.Grant(e.ctx, "g-2"); !errors.Is(err, privacy.ErrNotFound) {
			t.Errorf("AddGrant(%s) failed but stored the grant: %v", tc.name, err)
		}
	}
	if evs, ok := e.events(t); ok && len(evs) != 1 {
		t.Errorf("refused grants left audit events: %d events, want 1", len(evs))
	}
}

func testRecorder(t *testing.T, e *env) {
	for _, tc := range []struct {
		by *access.Principal
		ok bool
	}{
		{person(privacy.Principal{ID: "s-1-portal", Role: privacy.RoleSubject, Subject: "s-1"}), true},
		{doctor, true},
		{person(privacy.Principal{ID: "s-2-portal", Role: privacy.RoleSubject, Subject: "s-2"}), false},
		{person(privacy.Principal{ID: "boss", Role: privacy.RoleEmployerContact, Party: "employer-1"}), false},
		{person(privacy.Principal{ID: "ins", Role: privacy.RoleInsurer, Party: "insurer-1"}), false},
		{person(privacy.Principal{ID: "adm", Role: privacy.RoleAdministrator}), false},
	} {
		id := consent.GrantID("g-" + string(tc.by.ID))
		_, err := e.reg.AddGrant(e.ctx, tc.by, grant(id, "s-1", employer, privacy.CategoryNotes), t0)
		if tc.ok != (err == nil) {
			t.Errorf("AddGrant(by %s) = %v, want ok=%t", tc.by.ID, err, tc.ok)
		}
		if !tc.ok {
			wantKind(t, "AddGrant(by "+string(tc.by.ID)+")", err, privacy.ErrForbidden)
			if r := privacy.RuleOf(err); r != privacy.O14 {
				t.Errorf("AddGrant(by %s): rule %q, want O14", tc.by.ID, r)
			}
		}
	}
	// The same holds for revoking.
	boss := person(privacy.Principal{ID: "boss", Role: privacy.RoleEmployerContact, Party: "employer-1"})
	_, err := e.reg.Revoke(e.ctx, boss, "g-doc-1", t0.Add(time.Hour))
	wantKind(t, "Revoke(by the employer)", err, privacy.ErrForbidden)
	if _, err := e.reg.Revoke(e.ctx, person(privacy.Principal{ID: "s-1-portal", Role: privacy.RoleSubject, Subject: "s-1"}), "g-doc-1", t0.Add(time.Hour)); err != nil {
		t.Errorf("Revoke(by the subject): %v", err)
	}
}

func testCopySemantics(t *testing.T, e *env) {
	e.open(t, "s-1")
	g := grant("g-1", "s-1", employer, privacy.CategoryNotes, privacy.CategoryIdentity)
	if _, err := e.reg.AddGrant(e.ctx, staff, g, t0); err != nil {
		t.Fatal(err)
	}
	g.Categories[0] = privacy.CategoryContact // the caller's slice
	got, _ := e.reg.Grant(e.ctx, "g-1")
	if got.Categories[0] != privacy.CategoryNotes {
		t.Fatalf("AddGrant kept the caller's slice: %v", got.Categories)
	}
	got.Categories[0] = privacy.CategoryContact // a returned slice
	list, _ := e.reg.Grants(e.ctx, "s-1")
	if list[0].Categories[0] != privacy.CategoryNotes {
		t.Errorf("Grant returned the store's slice: %v", list[0].Categories)
	}
	req := request("d-1", "s-1", employer, t0.Add(time.Hour), consent.Item{Category: privacy.CategoryIdentity, Fields: []privacy.Field{privacy.FieldName}})
	if _, err := e.reg.Disclose(e.ctx, req); err != nil {
		t.Fatalf("Disclose: %v", err)
	}
	req.Items[0].Fields[0] = privacy.FieldCity
	log := e.log(t, "s-1")
	if log[0].Items[0].Fields[0] != privacy.FieldName {
		t.Fatalf("Disclose kept the caller's slice: %v", log[0].Items)
	}
	log[0].Items[0].Fields[0] = privacy.FieldCity
	log[0].Grants[0] = "g-other"
	again := e.log(t, "s-1")
	if again[0].Items[0].Fields[0] != privacy.FieldName || again[0].Grants[0] != "g-1" {
		t.Errorf("Disclosures returned the store's slices: %+v", again[0])
	}
}

func testAllowedLogged(t *testing.T, e *env) {
	e.open(t, "s-1")
	e.record(t, "r-1", "s-1", privacy.CategoryNotes)
	e.add(t, grant("g-1", "s-1", employer, privacy.CategoryNotes))
	at := t0.Add(time.Hour)
	req := request("d-1", "s-1", employer, at, consent.Item{Category: privacy.CategoryNotes, Record: "r-1",
		Fields: []privacy.Field{privacy.FieldText}})
	req.AccessPoint, req.Client = "10.0.0.7", "portal-1"
	d, err := e.reg.Disclose(e.ctx, req)
	if err != nil || !d.Allowed || d.Rule != privacy.O14 || d.Basis != privacy.BasisWrittenConsent {
		t.Fatalf("O14: Disclose = %v, %v; want allowed by O14 on written consent", d, err)
	}
	want := consent.Disclosure{ID: "d-1", Subject: "s-1", Case: caseOf("s-1"), Recipient: employer, Items: req.Items,
		Purpose: privacy.PurposeAbsenceGuidance, At: at, By: staff.ID, Role: staff.Role, WrittenRequest: req.WrittenRequest,
		Rule: privacy.O14, Basis: privacy.BasisWrittenConsent, Grants: []consent.GrantID{"g-1"}, Policy: d.Policy}
	// LegalBasis and NotifySubject: see N5_StatutoryBasisLogged and
	// N2_SameTextToTheEmployeeLogged; Coverage: see the O11 cases.
	wantFull(t, "disclosure", want, "LegalBasis", "NotifySubject", "Coverage")
	wantSame(t, "O14: the logged disclosure", []consent.Disclosure{want}, e.log(t, "s-1"))
	if evs, ok := e.events(t); ok {
		last := evs[len(evs)-1]
		if len(evs) != 2 || last.Action != privacy.EventExecute || last.Outcome != privacy.OutcomeAllowed ||
			last.Rule != privacy.O14 || last.Object != "r-1" || last.Category != privacy.CategoryNotes ||
			last.Subject != "s-1" || last.Case != caseOf("s-1") || !last.Time.Equal(at) || last.AccessPoint != "10.0.0.7" ||
			last.Client != "portal-1" || last.Policy != d.Policy {
			t.Errorf("G7: the disclosure's event = %+v", last)
		}
	}
}

func testDeniedNotLogged(t *testing.T, e *env) {
	e.open(t, "s-1")
	e.reg = e.registry(t, privacy.RegulationR(), nil)
	d, err := e.reg.Disclose(e.ctx, request("d-1", "s-1", employer, t0, notes()))
	wantKind(t, "R6: Disclose(no consent)", err, privacy.ErrForbidden)
	if d.Allowed || d.Rule != privacy.R6 || privacy.RuleOf(err) != privacy.R6 {
		t.Errorf("R6: Disclose(no consent) = %v, %v; want denied by R6", d, err)
	}
	if log := e.log(t, "s-1"); len(log) != 0 {
		t.Errorf("a denied disclosure was logged: %+v", log)
	}
	if evs, ok := e.events(t); ok {
		if len(evs) != 1 || evs[0].Outcome != privacy.OutcomeDenied || evs[0].Rule != privacy.R6 ||
			evs[0].Object != "d-1" || evs[0].Action != privacy.EventExecute {
			t.Errorf("G7: a denied disclosure's events = %+v, want one denied event", evs)
		}
	}
}

func testDisclosureErrors(t *testing.T, e *env) {
	e.open(t, "s-1")
	e.add(t, grant("g-1", "s-1", employer, privacy.CategoryNotes))
	if _, err := e.reg.Disclose(e.ctx, request("d-1", "s-1", employer, t0, notes())); err != nil {
		t.Fatalf("Disclose: %v", err)
	}
	n := 0
	if evs, ok := e.events(t); ok {
		n = len(evs)
	}
	_, err := e.reg.Disclose(e.ctx, request("d-1", "s-1", employer, t0.Add(time.Hour), notes()))
	wantKind(t, "Disclose(duplicate ID)", err, privacy.ErrExists)
	for _, tc := range []struct {
		name string
		req  consent.Request
		kind error
	}{
		{"no items", request("d-2", "s-1", employer, t0), privacy.ErrInvalid},
		{"special category", request("d-2", "s-1", employer, t0, consent.Item{Category: privacy.CategoryReligion}), privacy.ErrProhibitedCategory},
		{"foreign field", request("d-2", "s-1", employer, t0, consent.Item{Category: privacy.CategoryNotes, Fields: []privacy.Field{privacy.FieldBSN}}), privacy.ErrInvalid},
		{"no time", request("d-2", "s-1", employer, time.Time{}, notes()), privacy.ErrInvalid},
		{"no recipient party", request("d-2", "s-1", consent.Recipient{Kind: privacy.PartyEmployer}, t0, notes()), privacy.ErrInvalid},
		{"bad principal", func() consent.Request {
			r := request("d-2", "s-1", employer, t0, notes())
			r.By = person(privacy.Principal{ID: "cm-1", Role: "boss"})
			return r
		}(), privacy.ErrInvalid},
		{"no principal", func() consent.Request {
			r := request("d-2", "s-1", employer, t0, notes())
			r.By = nil
			return r
		}(), privacy.ErrInvalid},
		{"no case", func() consent.Request {
			r := request("d-2", "s-1", employer, t0, notes())
			r.Case = ""
			return r
		}(), privacy.ErrInvalid},
	} {
		_, err := e.reg.Disclose(e.ctx, tc.req)
		wantKind(t, "Disclose("+tc.name+")", err, tc.kind)
	}
	if log := e.log(t, "s-1"); len(log) != 1 {
		t.Errorf("failed disclosures changed the log: %d entries, want 1", len(log))
	}
	if evs, ok := e.events(t); ok && len(evs) != n {
		t.Errorf("failed disclosures left %d audit events, want none", len(evs)-n)
	}
	_, err = e.reg.Disclosures(e.ctx, "bad id")
	wantKind(t, "Disclosures(malformed)", err, privacy.ErrInvalid)
	if log, err := e.reg.Disclosures(e.ctx, "s-none"); err != nil || len(log) != 0 {
		t.Errorf("Disclosures(s-none) = %v, %v; want [], nil", log, err)
	}
}

func testDisclosuresOrder(t *testing.T, e *env) {
	e.open(t, "s-1", "s-2")
	e.add(t, grant("g-1", "s-1", employer, privacy.CategoryNotes))
	e.add(t, grant("g-2", "s-2", employer, privacy.CategoryNotes))
	for _, r := range []consent.Request{
		request("d-c", "s-1", employer, t0.Add(3*time.Hour), notes()),
		request("d-b", "s-1", employer, t0.Add(time.Hour), notes()),
		request("d-a", "s-1", employer, t0.Add(time.Hour), notes()),
		request("d-x", "s-2", employer, t0, notes()),
	} {
		if _, err := e.reg.Disclose(e.ctx, r); err != nil {
			t.Fatalf("Disclose(%s): %v", r.ID, err)
		}
	}
	if got := fmt.Sprint(disclosureIDs(e.log(t, "s-1"))); got != "[d-a d-b d-c]" {
		t.Errorf("Disclosures(s-1) = %s, want [d-a d-b d-c] (by time, then ID)", got)
	}
}

func testNotifySubjectLogged(t *testing.T, e *env) {
	e.open(t, "s-1")
	req := request("d-1", "s-1", employer, t0, consent.Item{Category: privacy.CategoryWorkCapacity})
	// Rules N2, O14: the statutory advice needs no consent, and so no
	// written request of the employer.
	req.By, req.WrittenRequest = doctor, ""
	d, err := e.reg.Disclose(e.ctx, req)
	if err != nil || d.Rule != privacy.N2 || !d.NotifySubject || d.Basis != privacy.BasisNone {
		t.Fatalf("N2: Disclose = %v, %v; want allowed by N2, notify", d, err)
	}
	want := consent.Disclosure{ID: "d-1", Subject: "s-1", Case: caseOf("s-1"), Recipient: employer, Items: req.Items,
		Purpose: privacy.PurposeAbsenceGuidance, At: t0, By: doctor.ID, Role: doctor.Role, Rule: privacy.N2,
		Basis: privacy.BasisNone, NotifySubject: true, Policy: d.Policy}
	wantSame(t, "N2: the logged disclosure, the subject told", []consent.Disclosure{want}, e.log(t, "s-1"))
}

func testStatuteLogged(t *testing.T, e *env) {
	e.open(t, "s-1")
	req := request("d-1", "s-1", uwv, t0, consent.Item{Category: privacy.CategoryNationalID})
	req.Basis = "suwi-73-4"
	d, err := e.reg.Disclose(e.ctx, req)
	if err != nil || d.Rule != privacy.N5 || d.Basis != privacy.BasisStatute || d.LegalBasis != "suwi-73-4" {
		t.Fatalf("N5: Disclose(BSN to UWV on suwi-73-4) = %v, %v", d, err)
	}
	want := consent.Disclosure{ID: "d-1", Subject: "s-1", Case: caseOf("s-1"), Recipient: uwv, Items: req.Items,
		Purpose: privacy.PurposeAbsenceGuidance, At: t0, By: staff.ID, Role: staff.Role, Rule: privacy.N5,
		Basis: privacy.BasisStatute, LegalBasis: "suwi-73-4", Policy: d.Policy}
	wantSame(t, "N5: the logged disclosure, with its legal basis", []consent.Disclosure{want}, e.log(t, "s-1"))
	// Rule N5: never on consent, not even a written grant.
	req.ID, req.Basis, req.Recipient = "d-2", "", employer
	_, err = e.reg.Disclose(e.ctx, req)
	if !errors.Is(err, privacy.ErrForbidden) || privacy.RuleOf(err) != privacy.N5 {
		t.Errorf("N5: Disclose(BSN on no statute) = %v, want forbidden by N5", err)
	}
}

func testRevocation(t *testing.T, e *env) {
	e.open(t, "s-1")
	e.add(t, grant("g-1", "s-1", employer, privacy.CategoryNotes))
	before, err := e.reg.Disclose(e.ctx, request("d-1", "s-1", employer, t0.Add(time.Hour), notes()))
	if err != nil || !before.Allowed {
		t.Fatalf("Disclose before revocation: %v, %v", before, err)
	}
	revokedAt := t0.Add(2 * time.Hour)
	g, err := e.reg.Revoke(e.ctx, staff, "g-1", revokedAt)
	if err != nil || !g.Revoked.Equal(revokedAt) {
		t.Fatalf("Revoke = %+v, %v", g, err)
	}
	if got, _ := e.reg.Grant(e.ctx, "g-1"); !got.Revoked.Equal(revokedAt) {
		t.Errorf("Grant after Revoke: Revoked = %v, want %v", got.Revoked, revokedAt)
	}
	for _, at := range []time.Time{revokedAt, revokedAt.Add(time.Hour)} {
		d, err := e.reg.Disclose(e.ctx, request(consent.DisclosureID("d-after-"+at.Format("150405")), "s-1", employer, at, notes()))
		wantKind(t, "R6: Disclose after revocation", err, privacy.ErrForbidden)
		if d.Allowed || d.Rule != privacy.O14 {
			t.Errorf("Disclose at %v after revocation at %v = %v, want denied by O14", at, revokedAt, d)
		}
	}
	log := e.log(t, "s-1")
	if len(log) != 1 || log[0].ID != "d-1" || !log[0].At.Equal(t0.Add(time.Hour)) {
		t.Errorf("log after revocation = %+v, want d-1 alone, unchanged", log)
	}
	if evs, ok := e.events(t); ok {
		rev := evs[2]
		if len(evs) != 5 || rev.Action != privacy.EventUpdate || rev.Object != "g-1" || !rev.Time.Equal(revokedAt) {
			t.Errorf("G7: events = %+v, want grant, disclosure, revocation, two denials", evs)
		}
	}
}

func testRevocationConflict(t *testing.T, e *env) {
	e.open(t, "s-1")
	e.add(t, grant("g-1", "s-1", employer, privacy.CategoryNotes))
	if _, err := e.reg.Disclose(e.ctx, request("d-1", "s-1", employer, t0.Add(2*time.Hour), notes())); err != nil {
		t.Fatal(err)
	}
	// A revocation as of a time before a disclosure that rests on the
	// grant would make the log say the disclosure came after it.
	for _, at := range []time.Time{t0.Add(time.Hour), t0.Add(2 * time.Hour)} {
		_, err := e.reg.Revoke(e.ctx, staff, "g-1", at)
		wantKind(t, "Revoke(before a disclosure resting on it)", err, privacy.ErrConflict)
	}
	if g, _ := e.reg.Grant(e.ctx, "g-1"); !g.Revoked.IsZero() {
		t.Errorf("a refused revocation took effect: %v", g.Revoked)
	}
	if _, err := e.reg.Revoke(e.ctx, staff, "g-1", t0.Add(2*time.Hour+time.Microsecond)); err != nil {
		t.Errorf("Revoke(after the last disclosure): %v", err)
	}
	if log := e.log(t, "s-1"); len(log) != 1 || !log[0].At.Equal(t0.Add(2*time.Hour)) || log[0].Grants[0] != "g-1" {
		t.Errorf("the revocation changed the log: %+v", log)
	}
}

func testRevokeErrors(t *testing.T, e *env) {
	e.add(t, grant("g-1", "s-1", employer, privacy.CategoryNotes))
	_, err := e.reg.Revoke(e.ctx, staff, "g-missing", t0)
	wantKind(t, "Revoke(missing)", err, privacy.ErrNotFound)
	_, err = e.reg.Revoke(e.ctx, staff, "bad id", t0)
	wantKind(t, "Revoke(malformed)", err, privacy.ErrInvalid)
	_, err = e.reg.Revoke(e.ctx, staff, "g-1", t0.Add(-time.Hour))
	wantKind(t, "Revoke(before given)", err, privacy.ErrInvalid)
	_, err = e.reg.Revoke(e.ctx, staff, "g-1", time.Time{})
	wantKind(t, "Revoke(no time)", err, privacy.ErrInvalid)
	if _, err := e.reg.Revoke(e.ctx, staff, "g-1", t0.Add(time.Hour)); err != nil {
		t.Fatalf("Revoke: %v", err)
	}
	_, err = e.reg.Revoke(e.ctx, staff, "g-1", t0.Add(2*time.Hour))
	wantKind(t, "Revoke(twice)", err, privacy.ErrConflict)
	if g, _ := e.reg.Grant(e.ctx, "g-1"); !g.Revoked.Equal(t0.Add(time.Hour)) {
		t.Errorf("a second revocation moved the first: %v", g.Revoked)
	}
	// The store itself refuses a second revocation too.
	_, err = e.s.RevokeGrant(e.ctx, "g-1", t0.Add(3*time.Hour), nil)
	wantKind(t, "Store.RevokeGrant(twice)", err, privacy.ErrConflict)
	_, err = e.s.RevokeGrant(e.ctx, "g-missing", t0, nil)
	wantKind(t, "Store.RevokeGrant(missing)", err, privacy.ErrNotFound)
}

func testConsents(t *testing.T, e *env) {
	q := consent.Query{Subject: "s-1", Recipient: employer, Category: privacy.CategoryConsultation, Case: "c-visit", At: t0.Add(time.Hour)}
	ask := func(what string, q consent.Query, want bool) {
		t.Helper()
		got, err := e.reg.Consents(e.ctx, q)
		if err != nil || got != want {
			t.Errorf("O10: Consents(%s) = %t, %v; want %t", what, got, err, want)
		}
	}
	ask("no grant", q, false)
	explicitOnly := grant("g-explicit", "s-1", employer, privacy.CategoryConsultation)
	explicitOnly.Form, explicitOnly.Document = consent.FormExplicit, ""
	e.add(t, explicitOnly)
	ask("explicit grant only: O10 asks for writing", q, false)
	g := grant("g-1", "s-1", employer, privacy.CategoryConsultation)
	g.Purpose = privacy.PurposePrevention
	g.Case = "c-visit"
	e.add(t, g)
	ask("written grant", q, true)
	ask("written grant, its purpose", func() consent.Query { q := q; q.Purpose = privacy.PurposePrevention; return q }(), true)
	ask("written grant, another purpose", func() consent.Query { q := q; q.Purpose = privacy.PurposeAbsenceGuidance; return q }(), false)
	ask("another case", func() consent.Query { q := q; q.Case = "c-other"; return q }(), false)
	ask("another employer", func() consent.Query {
		q := q
		q.Recipient = consent.Recipient{Party: "employer-2", Kind: privacy.PartyEmployer}
		return q
	}(), false)
	ask("before the grant", func() consent.Query { q := q; q.At = t0.Add(-time.Hour); return q }(), false)
	ask("N5: never the BSN", func() consent.Query { q := q; q.Category = privacy.CategoryNationalID; return q }(), false)
	if _, err := e.reg.Revoke(e.ctx, staff, "g-1", t0.Add(2*time.Hour)); err != nil {
		t.Fatal(err)
	}
	ask("before the revocation", q, true)
	ask("after the revocation", func() consent.Query { q := q; q.At = t0.Add(2 * time.Hour); return q }(), false)
	_, err := e.reg.Consents(e.ctx, consent.Query{})
	wantKind(t, "Consents(empty)", err, privacy.ErrInvalid)
}

func testRecipients(t *testing.T, e *env) {
	e.open(t, "s-1")
	e.add(t, grant("g-1", "s-1", employer, privacy.CategoryNotes, privacy.CategoryIdentity))
	e.add(t, grant("g-2", "s-1", lawyer, privacy.CategoryNotes))
	for _, r := range []consent.Request{
		request("d-1", "s-1", employer, t0.Add(1*time.Hour), notes()),
		request("d-2", "s-1", lawyer, t0.Add(2*time.Hour), notes()),
		request("d-3", "s-1", employer, t0.Add(3*time.Hour), consent.Item{Category: privacy.CategoryIdentity}),
	} {
		if _, err := e.reg.Disclose(e.ctx, r); err != nil {
			t.Fatalf("Disclose(%s): %v", r.ID, err)
		}
	}
	got, err := e.reg.Recipients(e.ctx, "s-1")
	if err != nil {
		t.Fatalf("Recipients: %v", err)
	}
	want := []consent.Received{
		{Recipient: employer, Categories: []privacy.Category{privacy.CategoryIdentity, privacy.CategoryNotes},
			First: t0.Add(time.Hour), Last: t0.Add(3 * time.Hour), Count: 2},
		{Recipient: lawyer, Categories: []privacy.Category{privacy.CategoryNotes},
			First: t0.Add(2 * time.Hour), Last: t0.Add(2 * time.Hour), Count: 1},
	}
	wantSame(t, "G1: Recipients", want, got)
}

func testNotify(t *testing.T, e *env) {
	e.open(t, "s-1")
	e.record(t, "r-1", "s-1", privacy.CategoryNotes)
	e.record(t, "r-2", "s-1", privacy.CategoryNotes)
	e.add(t, grant("g-1", "s-1", employer, privacy.CategoryNotes, privacy.CategoryIdentity))
	e.add(t, grant("g-2", "s-1", lawyer, privacy.CategoryNotes, privacy.CategoryIdentity))
	for _, r := range []consent.Request{
		request("d-1", "s-1", employer, t0.Add(1*time.Hour), consent.Item{Category: privacy.CategoryNotes, Record: "r-1"}),
		request("d-2", "s-1", lawyer, t0.Add(2*time.Hour), notes()),
		request("d-3", "s-1", employer, t0.Add(3*time.Hour), consent.Item{Category: privacy.CategoryIdentity, Fields: []privacy.Field{privacy.FieldName}}),
		request("d-4", "s-1", lawyer, t0.Add(4*time.Hour), consent.Item{Category: privacy.CategoryNotes, Record: "r-2"}),
	} {
		if _, err := e.reg.Disclose(e.ctx, r); err != nil {
			t.Fatalf("Disclose(%s): %v", r.ID, err)
		}
	}
	for _, tc := range []struct {
		name    string
		changed []consent.Item
		want    string
	}{
		{"record r-1", []consent.Item{{Category: privacy.CategoryNotes, Record: "r-1"}},
			"[{employer:employer-1 [d-1]} {third-party:lawyer-1 [d-2]}]"},
		{"record r-2", []consent.Item{{Category: privacy.CategoryNotes, Record: "r-2"}},
			"[{third-party:lawyer-1 [d-2 d-4]}]"},
		{"all notes", []consent.Item{{Category: privacy.CategoryNotes}},
			"[{employer:employer-1 [d-1]} {third-party:lawyer-1 [d-2 d-4]}]"},
		{"the name", []consent.Item{{Category: privacy.CategoryIdentity, Fields: []privacy.Field{privacy.FieldName}}},
			"[{employer:employer-1 [d-3]}]"},
		{"the city, never disclosed", []consent.Item{{Category: privacy.CategoryIdentity, Fields: []privacy.Field{privacy.FieldCity}}},
			"[]"},
		{"contact, never disclosed", []consent.Item{{Category: privacy.CategoryContact}}, "[]"},
	} {
		got, err := e.reg.Notify(e.ctx, "s-1", tc.changed...)
		if err != nil {
			t.Errorf("G4: Notify(%s): %v", tc.name, err)
			continue
		}
		if s := noticeString(got); s != tc.want {
			t.Errorf("G4: Notify(%s) = %s, want %s", tc.name, s, tc.want)
		}
	}
	_, err := e.reg.Notify(e.ctx, "s-1")
	wantKind(t, "Notify(nothing)", err, privacy.ErrInvalid)
	_, err = e.reg.Notify(e.ctx, "s-1", consent.Item{Category: "nonsense"})
	wantKind(t, "Notify(unknown category)", err, privacy.ErrInvalid)
}

func noticeString(ns []consent.Notice) string {
	s := "["
	for i, n := range ns {
		if i > 0 {
			s += " "
		}
		s += fmt.Sprintf("{%s %v}", n.Recipient, n.Disclosures)
	}
	return s + "]"
}

// testRecordsChecked: every record a request names is read from the
// store and must be of the item's category, the subject and the case —
// whatever the options. A missing record and one that does not match
// fail alike, with the same error, and leave nothing behind.
func testRecordsChecked(t *testing.T, e *env) {
	e.open(t, "s-1", "s-2")
	e.record(t, "r-notes", "s-1", privacy.CategoryNotes)
	e.record(t, "r-identity", "s-1", privacy.CategoryIdentity)
	e.record(t, "r-other", "s-2", privacy.CategoryNotes)
	e.record(t, "m-1", "s-1", privacy.CategoryMedical)
	e.add(t, grant("g-1", "s-1", employer, privacy.CategoryNotes, privacy.CategoryIdentity))
	m := grant("g-2", "s-1", lawyer, privacy.CategoryMedical, privacy.CategoryNotes)
	e.add(t, m)
	events := func() int {
		evs, _ := e.events(t)
		return len(evs)
	}
	before := events()
	missing := func() error {
		_, err := e.reg.Disclose(e.ctx, request("d-1", "s-1", employer, t0.Add(time.Hour), consent.Item{Category: privacy.CategoryNotes, Record: "r-none"}))
		return err
	}()
	wantKind(t, "Disclose(missing record)", missing, privacy.ErrNotFound)
	for _, tc := range []struct {
		name string
		req  consent.Request
	}{
		{"a record of another category", request("d-1", "s-1", employer, t0.Add(time.Hour),
			consent.Item{Category: privacy.CategoryNotes, Record: "r-identity"})},
		{"a record of another subject", request("d-1", "s-1", employer, t0.Add(time.Hour),
			consent.Item{Category: privacy.CategoryNotes, Record: "r-other"})},
		{"a medical record named as notes", request("d-1", "s-1", employer, t0.Add(time.Hour),
			consent.Item{Category: privacy.CategoryNotes, Record: "m-1"})},
		{"notes named as medical", func() consent.Request {
			r := request("d-1", "s-1", lawyer, t0.Add(time.Hour), consent.Item{Category: privacy.CategoryMedical, Record: "r-notes"})
			r.By = doctor
			return r
		}()},
	} {
		_, err := e.reg.Disclose(e.ctx, tc.req)
		wantKind(t, "Disclose("+tc.name+")", err, privacy.ErrNotFound)
		if err != nil && err.Error() != missing.Error() {
			t.Errorf("Disclose(%s) = %q, want the error of a missing record, %q", tc.name, err, missing)
		}
	}
	if log := e.log(t, "s-1"); len(log) != 0 {
		t.Errorf("refused disclosures were logged: %+v", log)
	}
	if n := events(); n != before {
		t.Errorf("refused disclosures left %d audit events", n-before)
	}
	if _, err := e.reg.Disclose(e.ctx, request("d-1", "s-1", employer, t0.Add(time.Hour),
		consent.Item{Category: privacy.CategoryNotes, Record: "r-notes"})); err != nil {
		t.Errorf("Disclose(the record): %v", err)
	}
	r := request("d-2", "s-1", lawyer, t0.Add(time.Hour), consent.Item{Category: privacy.CategoryMedical, Record: "m-1"})
	r.By = doctor
	if _, err := e.reg.Disclose(e.ctx, r); err != nil {
		t.Errorf("O6: Disclose(the medical record on written consent): %v", err)
	}
	// The dry run checks the same.
	_, err := e.reg.Decide(e.ctx, request("d-3", "s-1", employer, t0.Add(time.Hour), consent.Item{Category: privacy.CategoryNotes, Record: "m-1"}))
	wantKind(t, "Decide(a medical record named as notes)", err, privacy.ErrNotFound)
}

// testCaseChecked: the case a request names is read from the store and
// must be the subject's and one the discloser may know of; a missing
// case, another subject's and a hidden one fail alike, each leaving one
// denied audit event (the same work, G7). An outside party's request is
// denied without the store being read: it cannot tell a case that exists
// from one that does not (O10).
func testCaseChecked(t *testing.T, e *env) {
	e.open(t, "s-1", "s-2")
	e.add(t, grant("g-1", "s-1", employer, privacy.CategoryNotes))
	events := func() int {
		evs, _ := e.events(t)
		return len(evs)
	}
	_, audited := e.s.(AuditReader)
	r := request("d-1", "s-1", employer, t0.Add(time.Hour), notes())
	r.Case = "c-none"
	before := events()
	_, missing := e.reg.Disclose(e.ctx, r)
	wantKind(t, "Disclose(missing case)", missing, privacy.ErrNotFound)
	for _, tc := range []struct {
		name string
		edit func(*consent.Request)
	}{
		{"another subject's case", func(r *consent.Request) { r.Case = caseOf("s-2") }},
		{"a case the discloser is not assigned to", func(r *consent.Request) {
			r.By = person(staff.Principal)
		}},
	} {
		r := request("d-1", "s-1", employer, t0.Add(time.Hour), notes())
		tc.edit(&r)
		_, err := e.reg.Disclose(e.ctx, r)
		wantKind(t, "Disclose("+tc.name+")", err, privacy.ErrNotFound)
		if err != nil && missing != nil && err.Error() != missing.Error() {
			t.Errorf("Disclose(%s) = %q, want the error of a missing case, %q", tc.name, err, missing)
		}
	}
	if n := events() - before; audited && n != 3 {
		t.Errorf("G7: three refused disclosures left %d audit events, want one each", n)
	}
	// An outside party is denied, whether the case exists or not, alike.
	boss := person(privacy.Principal{ID: "boss", Role: privacy.RoleEmployerContact, Party: "employer-1"})
	var errs []string
	for _, c := range []privacy.CaseID{caseOf("s-1"), "c-none"} {
		r := request(consent.DisclosureID("d-boss-"+string(c)), "s-1", lawyer, t0.Add(time.Hour), notes())
		r.By, r.Case = boss, c
		d, err := e.reg.Disclose(e.ctx, r)
		if !errors.Is(err, privacy.ErrForbidden) || d.Allowed {
			t.Errorf("Disclose(by the employer, case %s) = %v, %v; want forbidden", c, d, err)
		}
		if err != nil {
			errs = append(errs, err.Error())
		}
	}
	if len(errs) == 2 && errs[0] != errs[1] {
		t.Errorf("O10: the employer told a case that exists from one that does not: %q, %q", errs[0], errs[1])
	}
	if log := e.log(t, "s-1"); len(log) != 0 {
		t.Errorf("refused disclosures were logged: %+v", log)
	}
}

// testGrantRecorded: a grant is recorded at a time not before it was
// given, and its audit event carries that time (R6).
func testGrantRecorded(t *testing.T, e *env) {
	g := grant("g-1", "s-1", employer, privacy.CategoryNotes)
	_, err := e.reg.AddGrant(e.ctx, staff, g, t0.Add(-time.Minute))
	wantKind(t, "R6: AddGrant(recorded before it was given)", err, privacy.ErrInvalid)
	if privacy.RuleOf(err) != privacy.R6 {
		t.Errorf("AddGrant(recorded before it was given): rule %q, want R6", privacy.RuleOf(err))
	}
	_, err = e.reg.AddGrant(e.ctx, staff, g, time.Time{})
	wantKind(t, "AddGrant(no time of recording)", err, privacy.ErrInvalid)
	if _, err := e.reg.Grant(e.ctx, "g-1"); !errors.Is(err, privacy.ErrNotFound) {
		t.Errorf("a refused grant was stored: %v", err)
	}
	recorded := t0.Add(2 * time.Hour)
	if _, err := e.reg.AddGrant(e.ctx, staff, g, recorded); err != nil {
		t.Fatalf("AddGrant: %v", err)
	}
	if evs, ok := e.events(t); ok && (len(evs) != 1 || !evs[0].Time.Equal(recorded)) {
		t.Errorf("G7: the grant's event = %+v, want one at the time of recording %v", evs, recorded)
	}
}

// testBackdated: once a revocation is recorded, a disclosure dated before
// it is refused by rule R6, whatever it would rest on, and the log stays
// as it was.
func testBackdated(t *testing.T, e *env) {
	e.open(t, "s-1")
	e.add(t, grant("g-1", "s-1", employer, privacy.CategoryNotes))
	e.add(t, grant("g-2", "s-1", lawyer, privacy.CategoryNotes))
	if _, err := e.reg.Revoke(e.ctx, staff, "g-1", t0.Add(3*time.Hour)); err != nil {
		t.Fatal(err)
	}
	for _, r := range []consent.Request{
		request("d-1", "s-1", employer, t0.Add(time.Hour), notes()),
		request("d-2", "s-1", lawyer, t0.Add(2*time.Hour), notes()),
		func() consent.Request {
			r := request("d-3", "s-1", employer, t0.Add(time.Hour), consent.Item{Category: privacy.CategoryWorkCapacity})
			r.By = doctor
			return r
		}(),
	} {
		d, err := e.reg.Disclose(e.ctx, r)
		if !errors.Is(err, privacy.ErrForbidden) || d.Rule != privacy.R6 || privacy.RuleOf(err) != privacy.R6 {
			t.Errorf("R6: Disclose(%s dated before a recorded revocation) = %v, %v; want denied by R6", r.ID, d, err)
		}
	}
	if _, err := e.reg.Disclose(e.ctx, request("d-4", "s-1", lawyer, t0.Add(4*time.Hour), notes())); err != nil {
		t.Errorf("Disclose(after the revocation, on another grant): %v", err)
	}
	if log := e.log(t, "s-1"); len(log) != 1 || log[0].ID != "d-4" {
		t.Errorf("log = %+v, want d-4 alone", log)
	}
}

// testWrittenRequest: a third party, and the employer, receive data on
// consent only on their written request, whose reference the log keeps
// (O14).
func testWrittenRequest(t *testing.T, e *env) {
	e.open(t, "s-1")
	e.add(t, grant("g-1", "s-1", lawyer, privacy.CategoryNotes))
	r := request("d-1", "s-1", lawyer, t0.Add(time.Hour), notes())
	r.WrittenRequest = ""
	d, err := e.reg.Disclose(e.ctx, r)
	if !errors.Is(err, privacy.ErrForbidden) || d.Rule != privacy.O14 {
		t.Errorf("O14: Disclose(no written request) = %v, %v; want denied by O14", d, err)
	}
	r.ID, r.WrittenRequest = "d-2", "letter-2026-17"
	if _, err := e.reg.Disclose(e.ctx, r); err != nil {
		t.Fatalf("O14: Disclose(on a written request): %v", err)
	}
	r.ID, r.WrittenRequest = "d-3", "not a reference"
	_, err = e.reg.Disclose(e.ctx, r)
	wantKind(t, "Disclose(malformed written request)", err, privacy.ErrInvalid)
	if log := e.log(t, "s-1"); len(log) != 1 || log[0].WrittenRequest != "letter-2026-17" {
		t.Errorf("O14: log = %+v, want d-2 with its written request", log)
	}
	// So does the employer, beyond the statutory minimum (the ready
	// policies' O14 rule for the employer says so).
	e.add(t, grant("g-2", "s-1", employer, privacy.CategoryNotes))
	r = request("d-4", "s-1", employer, t0.Add(2*time.Hour), notes())
	r.WrittenRequest = ""
	if d, err := e.reg.Disclose(e.ctx, r); !errors.Is(err, privacy.ErrForbidden) || d.Rule != privacy.O14 {
		t.Errorf("O14: Disclose(to the employer, no written request) = %v, %v; want denied by O14", d, err)
	}
	if log := e.log(t, "s-1"); len(log) != 1 {
		t.Errorf("O14: a refused disclosure to the employer was logged: %+v", log)
	}
}

// cover is a coverage of employer-1 by insurer-1 from a month before t0.
func cover(id consent.CoverageID) consent.Coverage {
	return consent.Coverage{ID: id, Insurer: insurer.Party, Employer: "employer-1", From: t0.AddDate(0, -1, 0)}
}

func (e *env) addCoverage(t *testing.T, c consent.Coverage) consent.Coverage {
	t.Helper()
	out, err := e.reg.AddCoverage(e.ctx, staff, c, t0.Add(-time.Hour))
	if err != nil {
		t.Fatalf("AddCoverage(%s): %v", c.ID, err)
	}
	return out
}

// overview is the insurer's overview of O11 of subject's case at at.
func overview(id consent.DisclosureID, subject privacy.SubjectID, at time.Time) consent.Request {
	return request(id, subject, insurer, at,
		consent.Item{Category: privacy.CategoryIdentity, Fields: []privacy.Field{privacy.FieldName}},
		consent.Item{Category: privacy.CategoryAbsenceFacts, Fields: []privacy.Field{privacy.FieldFirstDay, privacy.FieldIncapacityDegree}})
}

func testCoverageRoundTrip(t *testing.T, e *env) {
	c := cover("cov-1")
	c.Until = t0.AddDate(1, 0, 0)
	want := e.addCoverage(t, c)
	got, err := e.reg.Coverage(e.ctx, "cov-1")
	if err != nil || got != want || !got.From.Equal(c.From) || !got.Until.Equal(c.Until) {
		t.Errorf("Coverage = %+v, %v; want %+v", got, err, want)
	}
	later := cover("cov-0")
	later.From = t0
	e.addCoverage(t, later)
	other := cover("cov-2")
	other.Employer = "employer-2"
	e.addCoverage(t, other)
	list, err := e.reg.EmployerCoverage(e.ctx, "employer-1")
	if err != nil || len(list) != 2 || list[0].ID != "cov-1" || list[1].ID != "cov-0" {
		t.Errorf("EmployerCoverage(employer-1) = %+v, %v; want [cov-1 cov-0] (by start, employer-2's apart)", list, err)
	}
	if list, err := e.reg.EmployerCoverage(e.ctx, "employer-none"); err != nil || len(list) != 0 {
		t.Errorf("EmployerCoverage(employer-none) = %v, %v; want [], nil", list, err)
	}
	if evs, ok := e.events(t); ok {
		if len(evs) != 3 || evs[0].Action != privacy.EventCreate || evs[0].Object != "cov-1" || evs[0].Rule != privacy.O11 ||
			evs[0].Principal != staff.ID || !evs[0].Time.Equal(t0.Add(-time.Hour)) {
			t.Errorf("G7: events after three coverages = %+v", evs)
		}
	}
}

func testCoverageErrors(t *testing.T, e *env) {
	e.addCoverage(t, cover("cov-1"))
	_, err := e.reg.AddCoverage(e.ctx, staff, cover("cov-1"), t0)
	wantKind(t, "AddCoverage(duplicate)", err, privacy.ErrExists)
	_, err = e.reg.Coverage(e.ctx, "cov-missing")
	wantKind(t, "Coverage(missing)", err, privacy.ErrNotFound)
	_, err = e.reg.Coverage(e.ctx, "bad id")
	wantKind(t, "Coverage(malformed)", err, privacy.ErrInvalid)
	_, err = e.reg.EmployerCoverage(e.ctx, "")
	wantKind(t, "EmployerCoverage(empty)", err, privacy.ErrInvalid)
	for _, tc := range []struct {
		name string
		c    consent.Coverage
	}{
		{"no_insurer", func() consent.Coverage { c := cover("cov-2"); c.Insurer = ""; return c }()},
		{"no_employer", func() consent.Coverage { c := cover("cov-2"); c.Employer = "bad id"; return c }()},
		{"no_start", func() consent.Coverage { c := cover("cov-2"); c.From = time.Time{}; return c }()},
		{"ends_before_it_starts", func() consent.Coverage { c := cover("cov-2"); c.Until = c.From; return c }()},
	} {
		_, err := e.reg.AddCoverage(e.ctx, staff, tc.c, t0)
		wantKind(t, "AddCoverage("+tc.name+")", err, privacy.ErrInvalid)
	}
	for _, by := range []*access.Principal{
		person(privacy.Principal{ID: "boss", Role: privacy.RoleEmployerContact, Party: "employer-1"}),
		person(privacy.Principal{ID: "ins", Role: privacy.RoleInsurer, Party: "insurer-1"}),
		person(privacy.Principal{ID: "adm", Role: privacy.RoleAdministrator}),
		person(privacy.Principal{ID: "s-1-portal", Role: privacy.RoleSubject, Subject: "s-1"}),
	} {
		_, err := e.reg.AddCoverage(e.ctx, by, cover("cov-2"), t0)
		wantKind(t, "AddCoverage(by "+string(by.Role)+")", err, privacy.ErrForbidden)
		if privacy.RuleOf(err) != privacy.O11 {
			t.Errorf("AddCoverage(by %s): rule %q, want O11", by.Role, privacy.RuleOf(err))
		}
		_, err = e.reg.EndCoverage(e.ctx, by, "cov-1", t0)
		wantKind(t, "EndCoverage(by "+string(by.Role)+")", err, privacy.ErrForbidden)
	}
	if _, err := e.reg.Coverage(e.ctx, "cov-2"); !errors.Is(err, privacy.ErrNotFound) {
		t.Errorf("a refused coverage was stored: %v", err)
	}
	_, err = e.reg.EndCoverage(e.ctx, staff, "cov-missing", t0)
	wantKind(t, "EndCoverage(missing)", err, privacy.ErrNotFound)
	_, err = e.reg.EndCoverage(e.ctx, staff, "cov-1", t0.AddDate(0, -2, 0))
	wantKind(t, "EndCoverage(before its start)", err, privacy.ErrInvalid)
	if evs, ok := e.events(t); ok && len(evs) != 1 {
		t.Errorf("refused operations left audit events: %d events, want 1", len(evs))
	}
}

func testOverviewNeedsCoverage(t *testing.T, e *env) {
	e.open(t, "s-1")
	d, err := e.reg.Disclose(e.ctx, overview("d-1", "s-1", t0.Add(time.Hour)))
	if !errors.Is(err, privacy.ErrForbidden) || d.Rule != privacy.O11 {
		t.Errorf("O11: Disclose(no coverage recorded) = %v, %v; want denied by O11", d, err)
	}
	other := cover("cov-other")
	other.Insurer = "insurer-2"
	e.addCoverage(t, other)
	if d, err := e.reg.Disclose(e.ctx, overview("d-2", "s-1", t0.Add(time.Hour))); err == nil || d.Rule != privacy.O11 {
		t.Errorf("O11: Disclose(another insurer covers the employer) = %v, %v; want denied by O11", d, err)
	}
	e.addCoverage(t, cover("cov-1"))
	d, err = e.reg.Disclose(e.ctx, overview("d-3", "s-1", t0.Add(time.Hour)))
	if err != nil || d.Rule != privacy.O11 || d.Coverage != "cov-1" {
		t.Fatalf("O11: Disclose(covered) = %v (coverage %q), %v; want allowed by O11 on cov-1", d, d.Coverage, err)
	}
	if log := e.log(t, "s-1"); len(log) != 1 || log[0].Coverage != "cov-1" || log[0].Rule != privacy.O11 {
		t.Errorf("O11: log = %+v, want d-3 resting on cov-1", log)
	}
	// The dry run reads the register too.
	if d, err := e.reg.Decide(e.ctx, overview("d-4", "s-1", t0.Add(2*time.Hour))); err != nil || !d.Allowed {
		t.Errorf("Decide(covered) = %v, %v", d, err)
	}
}

func testEndCoverage(t *testing.T, e *env) {
	e.open(t, "s-1")
	e.addCoverage(t, cover("cov-1"))
	if _, err := e.reg.Disclose(e.ctx, overview("d-1", "s-1", t0.Add(2*time.Hour))); err != nil {
		t.Fatal(err)
	}
	// Ending it before a disclosure that rests on it would make the log
	// say the disclosure came after it.
	for _, at := range []time.Time{t0.Add(time.Hour), t0.Add(2 * time.Hour)} {
		_, err := e.reg.EndCoverage(e.ctx, staff, "cov-1", at)
		wantKind(t, "EndCoverage(before a disclosure resting on it)", err, privacy.ErrConflict)
	}
	if c, _ := e.reg.Coverage(e.ctx, "cov-1"); !c.Until.IsZero() {
		t.Errorf("a refused end took effect: %v", c.Until)
	}
	end := t0.Add(3 * time.Hour)
	c, err := e.reg.EndCoverage(e.ctx, staff, "cov-1", end)
	if err != nil || !c.Until.Equal(end) {
		t.Fatalf("EndCoverage = %+v, %v", c, err)
	}
	if got, _ := e.reg.Coverage(e.ctx, "cov-1"); !got.Until.Equal(end) {
		t.Errorf("Coverage after EndCoverage: Until = %v, want %v", got.Until, end)
	}
	for _, at := range []time.Time{end, end.Add(time.Hour)} {
		d, err := e.reg.Disclose(e.ctx, overview(consent.DisclosureID("d-after-"+at.Format("150405")), "s-1", at))
		if !errors.Is(err, privacy.ErrForbidden) || d.Rule != privacy.O11 {
			t.Errorf("O11: Disclose at %v after the coverage ended at %v = %v, %v; want denied by O11", at, end, d, err)
		}
	}
	_, err = e.reg.EndCoverage(e.ctx, staff, "cov-1", end.Add(time.Hour))
	wantKind(t, "EndCoverage(ended already)", err, privacy.ErrConflict)
	// The store itself refuses an end at or after the end it has.
	_, err = e.s.EndCoverage(e.ctx, "cov-1", end.Add(time.Hour), nil)
	wantKind(t, "Store.EndCoverage(ended already)", err, privacy.ErrConflict)
	_, err = e.s.EndCoverage(e.ctx, "cov-missing", end, nil)
	wantKind(t, "Store.EndCoverage(missing)", err, privacy.ErrNotFound)
	if log := e.log(t, "s-1"); len(log) != 1 || log[0].ID != "d-1" {
		t.Errorf("log after the end = %+v, want d-1 alone, unchanged", log)
	}
	if evs, ok := e.events(t); ok {
		if len(evs) != 6 || evs[3].Action != privacy.EventUpdate || evs[3].Object != "cov-1" || !evs[3].Time.Equal(end) {
			t.Errorf("G7: events = %+v, want coverage, disclosure (two items), end, two denials", evs)
		}
	}
}

func testCanceled(t *testing.T, e *env) {
	e.open(t, "s-1")
	e.add(t, grant("g-1", "s-1", employer, privacy.CategoryNotes))
	ctx, cancel := context.WithCancel(e.ctx)
	cancel()
	if _, err := e.reg.AddGrant(ctx, staff, grant("g-2", "s-1", employer, privacy.CategoryNotes), t0); err == nil {
		t.Error("AddGrant(canceled) succeeded")
	}
	if _, err := e.reg.AddCoverage(ctx, staff, cover("cov-1"), t0); err == nil {
		t.Error("AddCoverage(canceled) succeeded")
	}
	if _, err := e.reg.Disclose(ctx, request("d-1", "s-1", employer, t0, notes())); err == nil || errors.Is(err, privacy.ErrForbidden) {
		t.Errorf("Disclose(canceled) = %v, want a storage error", err)
	}
	if _, err := e.reg.Revoke(ctx, staff, "g-1", t0.Add(time.Hour)); err == nil {
		t.Error("Revoke(canceled) succeeded")
	}
	if _, err := e.reg.Grant(e.ctx, "g-2"); !errors.Is(err, privacy.ErrNotFound) {
		t.Errorf("a canceled AddGrant stored the grant: %v", err)
	}
	if g, _ := e.reg.Grant(e.ctx, "g-1"); !g.Revoked.IsZero() {
		t.Error("a canceled Revoke took effect")
	}
	if log := e.log(t, "s-1"); len(log) != 0 {
		t.Errorf("a canceled Disclose was logged: %+v", log)
	}
	if _, err := e.reg.Coverage(e.ctx, "cov-1"); !errors.Is(err, privacy.ErrNotFound) {
		t.Errorf("a canceled AddCoverage stored the coverage: %v", err)
	}
}

func testAtomicFault(t *testing.T, e *env) {
	e.open(t, "s-1")
	e.record(t, "r-1", "s-1", privacy.CategoryNotes)
	fi, ok := e.s.(privacytest.FaultInjector)
	if !ok {
		t.Skip("the adapter does not implement privacytest.FaultInjector")
	}
	e.add(t, grant("g-1", "s-1", employer, privacy.CategoryNotes, privacy.CategoryIdentity))
	count := func() int {
		evs, _ := e.events(t)
		return len(evs)
	}
	base := count()

	// AddGrant: the grant row, then its event.
	for n := range 2 {
		fi.FailAfter(n)
		_, err := e.reg.AddGrant(e.ctx, staff, grant("g-2", "s-1", lawyer, privacy.CategoryNotes), t0)
		wantKind(t, fmt.Sprintf("AddGrant(fault after %d rows)", n), err, privacy.ErrUnavailable)
		if _, err := e.reg.Grant(e.ctx, "g-2"); !errors.Is(err, privacy.ErrNotFound) {
			t.Errorf("AddGrant failing after %d rows stored the grant", n)
		}
	}
	// AddCoverage: the coverage row, then its event.
	for n := range 2 {
		fi.FailAfter(n)
		_, err := e.reg.AddCoverage(e.ctx, staff, cover("cov-1"), t0)
		wantKind(t, fmt.Sprintf("AddCoverage(fault after %d rows)", n), err, privacy.ErrUnavailable)
		if _, err := e.reg.Coverage(e.ctx, "cov-1"); !errors.Is(err, privacy.ErrNotFound) {
			t.Errorf("AddCoverage failing after %d rows stored the coverage", n)
		}
	}
	// Disclose with three items: the log row, then three events.
	three := request("d-1", "s-1", employer, t0.Add(time.Hour), notes(),
		consent.Item{Category: privacy.CategoryIdentity, Fields: []privacy.Field{privacy.FieldName}},
		consent.Item{Category: privacy.CategoryNotes, Record: "r-1"})
	for n := range 4 {
		fi.FailAfter(n)
		_, err := e.reg.Disclose(e.ctx, three)
		wantKind(t, fmt.Sprintf("Disclose(fault after %d rows)", n), err, privacy.ErrUnavailable)
		if log := e.log(t, "s-1"); len(log) != 0 {
			t.Errorf("Disclose failing after %d rows logged %+v", n, log)
		}
	}
	// A denied disclosure: only its event, which fails.
	fi.FailAfter(0)
	_, err := e.reg.Disclose(e.ctx, request("d-2", "s-1", lawyer, t0.Add(time.Hour), notes()))
	wantKind(t, "Disclose(denied, fault on its event)", err, privacy.ErrUnavailable)
	// Revoke: the grant row, then its event.
	for n := range 2 {
		fi.FailAfter(n)
		_, err := e.reg.Revoke(e.ctx, staff, "g-1", t0.Add(2*time.Hour))
		wantKind(t, fmt.Sprintf("Revoke(fault after %d rows)", n), err, privacy.ErrUnavailable)
		if g, _ := e.reg.Grant(e.ctx, "g-1"); !g.Revoked.IsZero() {
			t.Errorf("Revoke failing after %d rows took effect", n)
		}
	}
	if n := count(); n != base {
		t.Errorf("failed operations left %d audit events", n-base)
	}

	// Disarmed, the same operations go through; then EndCoverage: the
	// coverage row, then its event.
	fi.FailAfter(-1)
	if _, err := e.reg.Disclose(e.ctx, three); err != nil {
		t.Errorf("Disclose after disarming: %v", err)
	}
	if _, err := e.reg.Revoke(e.ctx, staff, "g-1", t0.Add(2*time.Hour)); err != nil {
		t.Errorf("Revoke after disarming: %v", err)
	}
	e.addCoverage(t, cover("cov-1"))
	for n := range 2 {
		fi.FailAfter(n)
		_, err := e.reg.EndCoverage(e.ctx, staff, "cov-1", t0.Add(3*time.Hour))
		wantKind(t, fmt.Sprintf("EndCoverage(fault after %d rows)", n), err, privacy.ErrUnavailable)
		if c, _ := e.reg.Coverage(e.ctx, "cov-1"); !c.Until.IsZero() {
			t.Errorf("EndCoverage failing after %d rows took effect", n)
		}
	}
	fi.FailAfter(-1)
	if _, err := e.reg.EndCoverage(e.ctx, staff, "cov-1", t0.Add(3*time.Hour)); err != nil {
		t.Errorf("EndCoverage after disarming: %v", err)
	}
	if _, ok := e.s.(AuditReader); ok {
		if n := count(); n != base+6 {
			t.Errorf("after disarming: %d new events, want 6 (three items, one revocation, a coverage and its end)", n-base)
		}
	}
}

// testRevocationRace issues a revocation and disclosures of the same data
// concurrently, many times. Whatever the interleaving, no disclosure may
// be logged at or after the time a revocation took effect, and a
// revocation is refused only when a disclosure at or after its time came
// first.
func testRevocationRace(t *testing.T, e *env) {
	const rounds, disclosures = 40, 8
	revokeAt := t0.Add(5 * time.Second)
	for round := range rounds {
		subject := privacy.SubjectID(fmt.Sprintf("s-%d", round))
		e.open(t, subject)
		gid := consent.GrantID(fmt.Sprintf("g-%d", round))
		e.add(t, grant(gid, subject, employer, privacy.CategoryNotes))
		var wg sync.WaitGroup
		var revokeErr error
		errs := make([]error, disclosures)
		start := make(chan struct{})
		wg.Add(1 + disclosures)
		go func() {
			defer wg.Done()
			<-start
			_, revokeErr = e.reg.Revoke(e.ctx, staff, gid, revokeAt)
		}()
		for i := range disclosures {
			go func() {
				defer wg.Done()
				<-start
				at := t0.Add(time.Duration(i+1) * time.Second) // half before, half at or after the revocation
				id := consent.DisclosureID(fmt.Sprintf("d-%d-%d", round, i))
				_, errs[i] = e.reg.Disclose(e.ctx, request(id, subject, employer, at, notes()))
			}()
		}
		close(start)
		wg.Wait()

		g, err := e.reg.Grant(e.ctx, gid)
		if err != nil {
			t.Fatal(err)
		}
		log := e.log(t, subject)
		lateLogged := slices.ContainsFunc(log, func(d consent.Disclosure) bool { return !d.At.Before(revokeAt) })
		switch {
		case revokeErr == nil:
			if !g.Revoked.Equal(revokeAt) {
				t.Fatalf("round %d: Revoked = %v, want %v", round, g.Revoked, revokeAt)
			}
			for _, d := range log {
				if !d.At.Before(g.Revoked) {
					t.Fatalf("round %d: disclosure %s logged at %v, at or after the revocation at %v", round, d.ID, d.At, g.Revoked)
				}
			}
		case errors.Is(revokeErr, privacy.ErrConflict):
			if !lateLogged {
				t.Fatalf("round %d: Revoke refused (%v) though no disclosure at or after its time was logged", round, revokeErr)
			}
		default:
			t.Fatalf("round %d: Revoke: %v", round, revokeErr)
		}
		for i, err := range errs {
			logged := slices.ContainsFunc(log, func(d consent.Disclosure) bool { return d.ID == consent.DisclosureID(fmt.Sprintf("d-%d-%d", round, i)) })
			if (err == nil) != logged {
				t.Fatalf("round %d: disclosure %d returned %v but logged=%t", round, i, err, logged)
			}
			if err != nil && !errors.Is(err, privacy.ErrForbidden) {
				t.Fatalf("round %d: disclosure %d: %v", round, i, err)
			}
			// Before the revocation's time a disclosure is allowed, unless
			// the revocation was recorded first: then it reaches behind
			// it and is refused by rule R6.
			if i+1 < 5 && err != nil && (revokeErr != nil || privacy.RuleOf(err) != privacy.R6) {
				t.Fatalf("round %d: disclosure %d before the revocation's time was refused: %v", round, i, err)
			}
		}
	}
}

// testCoverageRace ends a coverage while overviews resting on it are
// disclosed, many times: no overview is ever logged at or after the end,
// and an end is refused only when an overview at or after it came first.
func testCoverageRace(t *testing.T, e *env) {
	const rounds, disclosures = 20, 6
	endAt := t0.Add(4 * time.Second)
	for round := range rounds {
		subject := privacy.SubjectID(fmt.Sprintf("s-%d", round))
		e.open(t, subject)
		// Each round its own employer, so that each has its own coverage.
		cid := consent.CoverageID(fmt.Sprintf("cov-%d", round))
		c := cover(cid)
		if err := e.s.UpdateCase(e.ctx, func() privacy.Case {
			cs, _ := e.s.Case(e.ctx, caseOf(subject))
			cs.Contract.Party = privacy.PartyID(fmt.Sprintf("employer-r%d", round))
			return cs
		}(), setupEvents(subject, string(caseOf(subject)), t0)); err != nil {
			t.Fatal(err)
		}
		c.Employer = privacy.PartyID(fmt.Sprintf("employer-r%d", round))
		e.addCoverage(t, c)
		var wg sync.WaitGroup
		var endErr error
		errs := make([]error, disclosures)
		start := make(chan struct{})
		wg.Add(1 + disclosures)
		go func() {
			defer wg.Done()
			<-start
			_, endErr = e.reg.EndCoverage(e.ctx, staff, cid, endAt)
		}()
		for i := range disclosures {
			go func() {
				defer wg.Done()
				<-start
				at := t0.Add(time.Duration(i+1) * time.Second) // before, at and after the end
				_, errs[i] = e.reg.Disclose(e.ctx, overview(consent.DisclosureID(fmt.Sprintf("d-%d-%d", round, i)), subject, at))
			}()
		}
		close(start)
		wg.Wait()
		log := e.log(t, subject)
		switch {
		case endErr == nil:
			for _, d := range log {
				if !d.At.Before(endAt) {
					t.Fatalf("round %d: overview %s logged at %v, at or after the coverage ended at %v", round, d.ID, d.At, endAt)
				}
			}
		case errors.Is(endErr, privacy.ErrConflict):
			if !slices.ContainsFunc(log, func(d consent.Disclosure) bool { return !d.At.Before(endAt) }) {
				t.Fatalf("round %d: EndCoverage refused (%v) though no overview at or after it was logged", round, endErr)
			}
		default:
			t.Fatalf("round %d: EndCoverage: %v", round, endErr)
		}
		for i, err := range errs {
			logged := slices.ContainsFunc(log, func(d consent.Disclosure) bool { return d.ID == consent.DisclosureID(fmt.Sprintf("d-%d-%d", round, i)) })
			if (err == nil) != logged {
				t.Fatalf("round %d: overview %d returned %v but logged=%t", round, i, err, logged)
			}
			if err != nil && !errors.Is(err, privacy.ErrForbidden) {
				t.Fatalf("round %d: overview %d: %v", round, i, err)
			}
			if i+1 < 4 && err != nil {
				t.Fatalf("round %d: overview %d before the end was refused: %v", round, i, err)
			}
		}
	}
}

func testConcurrent(t *testing.T, e *env) {
	const workers, perWorker = 8, 20
	for w := range workers {
		e.open(t, privacy.SubjectID(fmt.Sprintf("s-%d", w)))
	}
	var wg sync.WaitGroup
	errs := make(chan error, workers*perWorker*4)
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			subject := privacy.SubjectID(fmt.Sprintf("s-%d", w))
			for i := range perWorker {
				gid := consent.GrantID(fmt.Sprintf("g-%d-%d", w, i))
				at := t0.Add(time.Duration(i) * time.Minute)
				g := grant(gid, subject, employer, privacy.CategoryNotes)
				g.Given = at
				if _, err := e.reg.AddGrant(e.ctx, staff, g, at); err != nil {
					errs <- err
				}
				if _, err := e.reg.Disclose(e.ctx, request(consent.DisclosureID(fmt.Sprintf("d-%d-%d", w, i)), subject, employer, at, notes())); err != nil {
					errs <- err
				}
				if _, err := e.reg.Grants(e.ctx, subject); err != nil {
					errs <- err
				}
				if i%4 == 0 {
					if _, err := e.reg.Revoke(e.ctx, staff, gid, at.Add(time.Second)); err != nil {
						errs <- err
					}
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Errorf("concurrent use: %v", err)
	}
	for w := range workers {
		subject := privacy.SubjectID(fmt.Sprintf("s-%d", w))
		if log := e.log(t, subject); len(log) != perWorker {
			t.Errorf("%s: %d disclosures logged, want %d", subject, len(log), perWorker)
		}
		if gs, _ := e.reg.Grants(e.ctx, subject); len(gs) != perWorker {
			t.Errorf("%s: %d grants, want %d", subject, len(gs), perWorker)
		}
	}
}
