// Package consenttest is the conformance kit for [consent.Store] adapters,
// in the spirit of testing/fstest.TestFS. An adapter runs it from its own
// test:
//
//	func TestConsentConformance(t *testing.T) {
//		consenttest.Run(t, func(t *testing.T) consent.Store { return mystore.New(t) })
//	}
//
// Every case runs on a fresh store in a named subtest, through the
// [consent.Registry] users work with, and says which rule it checks. It
// covers round trips and their order, copy semantics, typed errors for
// missing, duplicate and malformed input, revocation (R6, O14), the
// disclosure log (G1, G4) with its audit events, the consent question of
// O10, atomicity under injected faults, and the race the design names: a
// revocation and a disclosure of the same data issued concurrently, many
// times — no disclosure is ever logged with a time at or after the
// revocation.
//
// Adapters that cannot do something skip the cases that need it, by
// name: fault injection needs [privacytest.FaultInjector]; the audit
// checks need [AuditReader]; the record checks need the store to be a
// [privacy.Store] as well. Run the kit with -race.
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

	"github.com/dossierwacht/dossierwacht/consent"
	"github.com/dossierwacht/dossierwacht/internal/kitdiff"
	"github.com/dossierwacht/dossierwacht/privacy"
	"github.com/dossierwacht/dossierwacht/privacy/privacytest"
)

// AuditReader is implemented by adapters that keep the audit trail the
// consent store appends to and can read it back: the kit then checks that
// every decision, allowed or denied, left its event (G7) and that a failed
// operation left none.
type AuditReader interface {
	Events(ctx context.Context, from uint64) iter.Seq2[privacy.Event, error]
}

// Run runs the kit against stores made by newStore, one per subtest.
func Run(t *testing.T, newStore func(t *testing.T) consent.Store) {
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
	s   consent.Store
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
	{"RecordsChecked", testRecordsChecked},
	{"CanceledContext", testCanceled},
	{"AtomicFault", testAtomicFault},
	{"RevocationRacesDisclosure", testRevocationRace},
	{"Concurrent", testConcurrent},
}

// Fixed times and parties: the kit never reads the clock.
var (
	t0     = time.Date(2026, time.March, 2, 9, 0, 0, 0, time.UTC)
	staff  = privacy.Principal{ID: "cm-1", Role: privacy.RoleCaseManager, Party: "service", Secrecy: privacy.SecrecyAgreement}
	doctor = privacy.Principal{ID: "doc-1", Role: privacy.RolePhysician, Party: "service",
		Secrecy: privacy.SecrecyProfessional, MultiFactor: true}
	employer = consent.Recipient{Party: "employer-1", Kind: privacy.PartyEmployer}
	lawyer   = consent.Recipient{Party: "lawyer-1", Kind: privacy.PartyThirdParty}
	uwv      = consent.Recipient{Party: "uwv", Kind: privacy.PartyUWV}
)

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
	out, err := e.reg.AddGrant(e.ctx, staff, g)
	if err != nil {
		t.Fatalf("AddGrant(%s): %v", g.ID, err)
	}
	return out
}

func request(id consent.DisclosureID, subject privacy.SubjectID, to consent.Recipient, at time.Time, items ...consent.Item) consent.Request {
	return consent.Request{ID: id, By: staff, Recipient: to, Subject: subject, Case: "c-1", Items: items,
		Purpose: privacy.PurposeAbsenceGuidance, At: at}
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
	g.Case = "c-1"
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
	_, err := e.reg.AddGrant(e.ctx, staff, grant("g-1", "s-1", lawyer, privacy.CategoryNotes))
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
		_, err := e.reg.AddGrant(e.ctx, staff, tc.g)
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
		by privacy.Principal
		ok bool
	}{
		{privacy.Principal{ID: "s-1-portal", Role: privacy.RoleSubject, Subject: "s-1"}, true},
		{doctor, true},
		{privacy.Principal{ID: "s-2-portal", Role: privacy.RoleSubject, Subject: "s-2"}, false},
		{privacy.Principal{ID: "boss", Role: privacy.RoleEmployerContact, Party: "employer-1"}, false},
		{privacy.Principal{ID: "ins", Role: privacy.RoleInsurer, Party: "insurer-1"}, false},
		{privacy.Principal{ID: "adm", Role: privacy.RoleAdministrator}, false},
	} {
		id := consent.GrantID("g-" + string(tc.by.ID))
		_, err := e.reg.AddGrant(e.ctx, tc.by, grant(id, "s-1", employer, privacy.CategoryNotes))
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
	boss := privacy.Principal{ID: "boss", Role: privacy.RoleEmployerContact, Party: "employer-1"}
	_, err := e.reg.Revoke(e.ctx, boss, "g-doc-1", t0.Add(time.Hour))
	wantKind(t, "Revoke(by the employer)", err, privacy.ErrForbidden)
	if _, err := e.reg.Revoke(e.ctx, privacy.Principal{ID: "s-1-portal", Role: privacy.RoleSubject, Subject: "s-1"}, "g-doc-1", t0.Add(time.Hour)); err != nil {
		t.Errorf("Revoke(by the subject): %v", err)
	}
}

func testCopySemantics(t *testing.T, e *env) {
	g := grant("g-1", "s-1", employer, privacy.CategoryNotes, privacy.CategoryIdentity)
	if _, err := e.reg.AddGrant(e.ctx, staff, g); err != nil {
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
	e.add(t, grant("g-1", "s-1", employer, privacy.CategoryNotes))
	at := t0.Add(time.Hour)
	req := request("d-1", "s-1", employer, at, consent.Item{Category: privacy.CategoryNotes, Record: "r-1",
		Fields: []privacy.Field{privacy.FieldText}})
	req.AccessPoint, req.Client = "10.0.0.7", "portal-1"
	d, err := e.reg.Disclose(e.ctx, req)
	if err != nil || !d.Allowed || d.Rule != privacy.O14 || d.Basis != privacy.BasisWrittenConsent {
		t.Fatalf("O14: Disclose = %v, %v; want allowed by O14 on written consent", d, err)
	}
	want := consent.Disclosure{ID: "d-1", Subject: "s-1", Case: "c-1", Recipient: employer, Items: req.Items,
		Purpose: privacy.PurposeAbsenceGuidance, At: at, By: staff.ID, Role: staff.Role, Rule: privacy.O14,
		Basis: privacy.BasisWrittenConsent, Grants: []consent.GrantID{"g-1"}, Policy: d.Policy}
	// LegalBasis and NotifySubject: see N5_StatutoryBasisLogged and
	// N2_SameTextToTheEmployeeLogged.
	wantFull(t, "disclosure", want, "LegalBasis", "NotifySubject")
	wantSame(t, "O14: the logged disclosure", []consent.Disclosure{want}, e.log(t, "s-1"))
	if evs, ok := e.events(t); ok {
		last := evs[len(evs)-1]
		if len(evs) != 2 || last.Action != privacy.EventExecute || last.Outcome != privacy.OutcomeAllowed ||
			last.Rule != privacy.O14 || last.Object != "r-1" || last.Category != privacy.CategoryNotes ||
			last.Subject != "s-1" || last.Case != "c-1" || !last.Time.Equal(at) || last.AccessPoint != "10.0.0.7" ||
			last.Client != "portal-1" || last.Policy != d.Policy {
			t.Errorf("G7: the disclosure's event = %+v", last)
		}
	}
}

func testDeniedNotLogged(t *testing.T, e *env) {
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
			r.By.Role = "boss"
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
	req := request("d-1", "s-1", employer, t0, consent.Item{Category: privacy.CategoryWorkCapacity})
	req.By = doctor
	d, err := e.reg.Disclose(e.ctx, req)
	if err != nil || d.Rule != privacy.N2 || !d.NotifySubject || d.Basis != privacy.BasisNone {
		t.Fatalf("N2: Disclose = %v, %v; want allowed by N2, notify", d, err)
	}
	want := consent.Disclosure{ID: "d-1", Subject: "s-1", Case: "c-1", Recipient: employer, Items: req.Items,
		Purpose: privacy.PurposeAbsenceGuidance, At: t0, By: doctor.ID, Role: doctor.Role, Rule: privacy.N2,
		Basis: privacy.BasisNone, NotifySubject: true, Policy: d.Policy}
	wantSame(t, "N2: the logged disclosure, the subject told", []consent.Disclosure{want}, e.log(t, "s-1"))
}

func testStatuteLogged(t *testing.T, e *env) {
	req := request("d-1", "s-1", uwv, t0, consent.Item{Category: privacy.CategoryNationalID})
	req.Basis = "suwi-73-4"
	d, err := e.reg.Disclose(e.ctx, req)
	if err != nil || d.Rule != privacy.N5 || d.Basis != privacy.BasisStatute || d.LegalBasis != "suwi-73-4" {
		t.Fatalf("N5: Disclose(BSN to UWV on suwi-73-4) = %v, %v", d, err)
	}
	want := consent.Disclosure{ID: "d-1", Subject: "s-1", Case: "c-1", Recipient: uwv, Items: req.Items,
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

func testRecordsChecked(t *testing.T, e *env) {
	ps, ok := e.s.(privacy.Store)
	if !ok {
		t.Skip("the adapter is not a privacy.Store: records cannot be set up")
	}
	dossiers, err := privacy.NewDossiers(ps, privacy.Strict())
	if err != nil {
		t.Fatal(err)
	}
	contract := privacy.Contract{ID: "k-1", Party: "employer-1", PartyKind: privacy.PartyEmployer, Start: t0.Add(-24 * time.Hour)}
	sub, _ := privacy.NewSubject("s-1", "employer-1", t0)
	c, _ := privacy.NewCase("c-1", "s-1", privacy.CaseAbsence, privacy.PurposeAbsenceGuidance, contract, t0)
	act := privacy.Act{By: staff, At: t0}
	if err := dossiers.CreateSubject(e.ctx, act, sub); err != nil {
		t.Fatal(err)
	}
	if err := dossiers.OpenCase(e.ctx, act, c); err != nil {
		t.Fatal(err)
	}
	rec := privacy.Record{ID: "r-1", Case: "c-1", Category: privacy.CategoryNotes, Author: "cm-1",
		Source: privacy.Source{Kind: privacy.PartyService}, Created: t0, Fields: map[privacy.Field]string{privacy.FieldText: "x"}}
	if err := dossiers.AddRecord(e.ctx, act, rec); err != nil {
		t.Fatal(err)
	}
	reg := e.registry(t, privacy.Strict(), &consent.Options{Records: ps})
	if _, err := reg.AddGrant(e.ctx, staff, grant("g-1", "s-1", employer, privacy.CategoryNotes, privacy.CategoryIdentity)); err != nil {
		t.Fatal(err)
	}
	_, err = reg.Disclose(e.ctx, request("d-1", "s-1", employer, t0, consent.Item{Category: privacy.CategoryNotes, Record: "r-9"}))
	wantKind(t, "Disclose(missing record)", err, privacy.ErrNotFound)
	_, err = reg.Disclose(e.ctx, request("d-1", "s-1", employer, t0, consent.Item{Category: privacy.CategoryIdentity, Record: "r-1"}))
	wantKind(t, "Disclose(record of another category)", err, privacy.ErrInvalid)
	if _, err := reg.Disclose(e.ctx, request("d-1", "s-1", employer, t0, consent.Item{Category: privacy.CategoryNotes, Record: "r-1"})); err != nil {
		t.Errorf("Disclose(the record): %v", err)
	}
}

func testCanceled(t *testing.T, e *env) {
	e.add(t, grant("g-1", "s-1", employer, privacy.CategoryNotes))
	ctx, cancel := context.WithCancel(e.ctx)
	cancel()
	if _, err := e.reg.AddGrant(ctx, staff, grant("g-2", "s-1", employer, privacy.CategoryNotes)); err == nil {
		t.Error("AddGrant(canceled) succeeded")
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
}

func testAtomicFault(t *testing.T, e *env) {
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
		_, err := e.reg.AddGrant(e.ctx, staff, grant("g-2", "s-1", lawyer, privacy.CategoryNotes))
		wantKind(t, fmt.Sprintf("AddGrant(fault after %d rows)", n), err, privacy.ErrUnavailable)
		if _, err := e.reg.Grant(e.ctx, "g-2"); !errors.Is(err, privacy.ErrNotFound) {
			t.Errorf("AddGrant failing after %d rows stored the grant", n)
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

	// Disarmed, the same operations go through.
	fi.FailAfter(-1)
	if _, err := e.reg.Disclose(e.ctx, three); err != nil {
		t.Errorf("Disclose after disarming: %v", err)
	}
	if _, err := e.reg.Revoke(e.ctx, staff, "g-1", t0.Add(2*time.Hour)); err != nil {
		t.Errorf("Revoke after disarming: %v", err)
	}
	if _, ok := e.s.(AuditReader); ok {
		if n := count(); n != base+4 {
			t.Errorf("after disarming: %d new events, want 4 (three items, one revocation)", n-base)
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
			if i+1 < 5 && err != nil {
				t.Fatalf("round %d: disclosure %d before the revocation's time was refused: %v", round, i, err)
			}
		}
	}
}

func testConcurrent(t *testing.T, e *env) {
	const workers, perWorker = 8, 20
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
				if _, err := e.reg.AddGrant(e.ctx, staff, g); err != nil {
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
