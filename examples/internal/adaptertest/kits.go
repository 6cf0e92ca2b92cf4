package adaptertest

import (
	"context"
	"errors"
	"iter"
	"testing"
	"time"

	"github.com/dossierwacht/dossierwacht/consent"
	"github.com/dossierwacht/dossierwacht/internal/kitdiff"
	"github.com/dossierwacht/dossierwacht/privacy"
	"github.com/dossierwacht/dossierwacht/privacy/calendar"
	"github.com/dossierwacht/dossierwacht/rights"
)

// KitStore is what an adapter offers to the consent and rights stores
// beyond their kits: both stores on the same audit trail, and the case
// file a disclosure is decided with.
type KitStore interface {
	consent.Store
	rights.Store
	privacy.Store
	Events(ctx context.Context, from uint64) iter.Seq2[privacy.Event, error]
}

// RunKits runs the cases of the consent and rights stores that their kits
// leave to the adapters, alike for both: input a database cannot keep is
// refused with privacy.ErrInvalid and changes nothing, and what goes in
// comes back exactly.
func RunKits(t *testing.T, newStore func(t *testing.T) KitStore) {
	t.Helper()
	for _, tc := range []struct {
		name string
		run  func(*testing.T, KitStore)
	}{
		{"ConsentBadInputTypedErrors", testConsentBadInput},
		{"ConsentRoundTripExact", testConsentExact},
		{"RightsBadInputTypedErrors", testRightsBadInput},
		{"RightsRoundTripExact", testRightsExact},
	} {
		t.Run(tc.name, func(t *testing.T) { tc.run(t, newStore(t)) })
	}
}

func goodGrant() consent.Grant {
	return consent.Grant{ID: "g-1", Subject: "s-1", Recipient: consent.Recipient{Party: "lawyer-1", Kind: privacy.PartyThirdParty},
		Categories: []privacy.Category{privacy.CategoryNotes}, Purpose: privacy.PurposeAbsenceGuidance,
		Form: consent.FormWritten, Document: "doc-1", Given: t0, From: t0}
}

func countEvents(t *testing.T, s KitStore) int {
	t.Helper()
	n := 0
	for _, err := range s.Events(context.Background(), 1) {
		if err != nil {
			t.Fatalf("Events: %v", err)
		}
		n++
	}
	return n
}

func testConsentBadInput(t *testing.T, s KitStore) {
	ctx := context.Background()
	for _, tc := range []struct {
		what string
		edit func(*consent.Grant)
	}{
		{"malformed id", func(g *consent.Grant) { g.ID = "g 1; DROP TABLE consent_grants" }},
		{"malformed subject", func(g *consent.Grant) { g.Subject = "s'1" }},
		{"NUL in document", func(g *consent.Grant) { g.Document = "doc\x00" }},
		{"invalid UTF-8 in a category", func(g *consent.Grant) { g.Categories = []privacy.Category{"\xff"} }},
		{"year 10000", func(g *consent.Grant) { g.Until = time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC) }},
	} {
		g := goodGrant()
		tc.edit(&g)
		if err := s.AddGrant(ctx, g, []privacy.Event{Event(1, "s-1")}); !errors.Is(err, privacy.ErrInvalid) {
			t.Errorf("AddGrant(%s) = %v, want ErrInvalid", tc.what, err)
		}
	}
	if err := s.AddGrant(ctx, goodGrant(), []privacy.Event{{Principal: "p\x00", Time: t0}}); !errors.Is(err, privacy.ErrInvalid) {
		t.Errorf("AddGrant(NUL in its event) = %v, want ErrInvalid", err)
	}
	if gs, err := s.SubjectGrants(ctx, "s-1"); err != nil || len(gs) != 0 {
		t.Errorf("refused grants were stored: %v, %v", gs, err)
	}
	if err := s.AddGrant(ctx, goodGrant(), nil); err != nil {
		t.Fatalf("AddGrant: %v", err)
	}
	if _, err := s.RevokeGrant(ctx, "g-1", time.Time{}, nil); !errors.Is(err, privacy.ErrInvalid) {
		t.Errorf("RevokeGrant(no time) = %v, want ErrInvalid", err)
	}
	if _, err := s.RevokeGrant(ctx, "g-1", time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC), nil); !errors.Is(err, privacy.ErrInvalid) {
		t.Errorf("RevokeGrant(year 10000) = %v, want ErrInvalid", err)
	}
	for _, subject := range []privacy.SubjectID{"", "s 1"} {
		if _, err := s.SubjectGrants(ctx, subject); !errors.Is(err, privacy.ErrInvalid) {
			t.Errorf("SubjectGrants(%q) = %v, want ErrInvalid", subject, err)
		}
		if _, err := s.SubjectDisclosures(ctx, subject); !errors.Is(err, privacy.ErrInvalid) {
			t.Errorf("SubjectDisclosures(%q) = %v, want ErrInvalid", subject, err)
		}
	}
	goodCover := consent.Coverage{ID: "cov-1", Insurer: "insurer-1", Employer: "employer-1", From: t0}
	for _, tc := range []struct {
		what string
		edit func(*consent.Coverage)
	}{
		{"malformed id", func(c *consent.Coverage) { c.ID = "cov 1'" }},
		{"NUL in the insurer", func(c *consent.Coverage) { c.Insurer = "i\x00" }},
		{"invalid UTF-8 in the employer", func(c *consent.Coverage) { c.Employer = "\xff" }},
		{"year 10000", func(c *consent.Coverage) { c.Until = time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC) }},
	} {
		c := goodCover
		tc.edit(&c)
		if err := s.AddCoverage(ctx, c, []privacy.Event{Event(1, "")}); !errors.Is(err, privacy.ErrInvalid) {
			t.Errorf("AddCoverage(%s) = %v, want ErrInvalid", tc.what, err)
		}
	}
	if _, err := s.EmployerCoverage(ctx, "e 1"); !errors.Is(err, privacy.ErrInvalid) {
		t.Errorf("EmployerCoverage(malformed) = %v, want ErrInvalid", err)
	}
	if cs, err := s.EmployerCoverage(ctx, "employer-1"); err != nil || len(cs) != 0 {
		t.Errorf("refused coverage was stored: %v, %v", cs, err)
	}
	if err := s.AddCoverage(ctx, goodCover, nil); err != nil {
		t.Fatalf("AddCoverage: %v", err)
	}
	if _, err := s.EndCoverage(ctx, "cov-1", time.Time{}, nil); !errors.Is(err, privacy.ErrInvalid) {
		t.Errorf("EndCoverage(no time) = %v, want ErrInvalid", err)
	}
	if _, err := s.EndCoverage(ctx, "cov-1", time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC), nil); !errors.Is(err, privacy.ErrInvalid) {
		t.Errorf("EndCoverage(year 10000) = %v, want ErrInvalid", err)
	}
	if err := s.Disclose(ctx, "s-1", "e 1", func([]consent.Grant, []consent.Coverage) consent.Verdict {
		return consent.Verdict{}
	}); !errors.Is(err, privacy.ErrInvalid) {
		t.Errorf("Disclose(malformed employer) = %v, want ErrInvalid", err)
	}
	before := countEvents(t, s)
	good := consent.Disclosure{ID: "d-1", Subject: "s-1", Recipient: goodGrant().Recipient,
		Items: []consent.Item{{Category: privacy.CategoryNotes}}, At: t0, Grants: []consent.GrantID{"g-1"}}
	for _, tc := range []struct {
		what string
		edit func(*consent.Disclosure)
	}{
		{"another subject", func(d *consent.Disclosure) { d.Subject = "s-2" }},
		{"malformed id", func(d *consent.Disclosure) { d.ID = "d 1" }},
		{"NUL in a field", func(d *consent.Disclosure) { d.Items[0].Fields = []privacy.Field{"x\x00"} }},
		{"invalid UTF-8 in a grant", func(d *consent.Disclosure) { d.Grants = []consent.GrantID{"\xff"} }},
		{"year 10000", func(d *consent.Disclosure) { d.At = time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC) }},
	} {
		d := good
		d.Items = []consent.Item{{Category: privacy.CategoryNotes}}
		tc.edit(&d)
		err := s.Disclose(ctx, "s-1", "", func([]consent.Grant, []consent.Coverage) consent.Verdict {
			return consent.Verdict{Disclosure: &d, Events: []privacy.Event{Event(2, "s-1")}}
		})
		if !errors.Is(err, privacy.ErrInvalid) {
			t.Errorf("Disclose(%s) = %v, want ErrInvalid", tc.what, err)
		}
	}
	if err := s.Disclose(ctx, "s-1", "", func([]consent.Grant, []consent.Coverage) consent.Verdict {
		return consent.Verdict{Events: []privacy.Event{{Principal: "p\x00", Time: t0}}}
	}); !errors.Is(err, privacy.ErrInvalid) {
		t.Errorf("Disclose(NUL in an event) = %v, want ErrInvalid", err)
	}
	if log, err := s.SubjectDisclosures(ctx, "s-1"); err != nil || len(log) != 0 {
		t.Errorf("refused disclosures were logged: %v, %v", log, err)
	}
	if n := countEvents(t, s); n != before {
		t.Errorf("refused disclosures left %d audit events", n-before)
	}
}

func testConsentExact(t *testing.T, s KitStore) {
	ctx := context.Background()
	g := goodGrant()
	g.Document = "ünïcødé 'quoted' \"double\" \\ ; --"
	g.Given = time.Date(1, 1, 1, 0, 0, 0, 1000, time.UTC)
	g.From = time.Date(2026, 3, 2, 9, 0, 0, 123456000, time.UTC)
	g.Until = time.Date(9999, 12, 31, 23, 59, 59, 999999000, time.UTC)
	g.Categories = []privacy.Category{privacy.CategoryNotes, privacy.CategoryIdentity, privacy.CategoryMedical}
	if err := s.AddGrant(ctx, g, nil); err != nil {
		t.Fatalf("AddGrant: %v", err)
	}
	got, err := s.Grant(ctx, "g-1")
	if err != nil {
		t.Fatalf("Grant: %v", err)
	}
	if d := kitdiff.Diff(g, got); d != "" {
		t.Errorf("Grant mismatch (-want +got):\n%s", d)
	}
	d := consent.Disclosure{ID: "d-1", Subject: "s-1", Case: "c-1", Recipient: g.Recipient, Purpose: g.Purpose,
		Items: []consent.Item{{Category: privacy.CategoryNotes, Record: "r-1", Fields: []privacy.Field{privacy.FieldText}},
			{Category: privacy.CategoryIdentity}},
		At: t0.Add(time.Microsecond), By: "cm-1", Role: privacy.RoleCaseManager, Rule: privacy.O14,
		Basis: privacy.BasisWrittenConsent, LegalBasis: "x", Grants: []consent.GrantID{"g-1"}, NotifySubject: true, Policy: "strict/1",
		WrittenRequest: "brief 'quoted' ü", Coverage: "cov-1"}
	if err := s.Disclose(ctx, "s-1", "", func([]consent.Grant, []consent.Coverage) consent.Verdict { return consent.Verdict{Disclosure: &d} }); err != nil {
		t.Fatalf("Disclose: %v", err)
	}
	log, err := s.SubjectDisclosures(ctx, "s-1")
	if err != nil || len(log) != 1 {
		t.Fatalf("SubjectDisclosures = %v, %v", log, err)
	}
	if diff := kitdiff.Diff(d, log[0]); diff != "" {
		t.Errorf("SubjectDisclosures mismatch (-want +got):\n%s", diff)
	}
	// No fields means every field of the category: it stays no fields.
	if len(log[0].Items) == 2 && log[0].Items[1].Fields != nil {
		t.Errorf("an item without fields came back with %#v", log[0].Items[1].Fields)
	}
	c := consent.Coverage{ID: "cov-1", Insurer: "insurer ü", Employer: "employer-1",
		From: time.Date(1, 1, 1, 0, 0, 0, 1000, time.UTC), Until: time.Date(9999, 12, 31, 23, 59, 59, 999999000, time.UTC)}
	if err := s.AddCoverage(ctx, c, nil); err != nil {
		t.Fatalf("AddCoverage: %v", err)
	}
	if got, err := s.Coverage(ctx, "cov-1"); err != nil || got.Insurer != c.Insurer || got.Employer != c.Employer ||
		!got.From.Equal(c.From) || !got.Until.Equal(c.Until) {
		t.Errorf("Coverage = %+v, %v; want %+v", got, err, c)
	}
}

func goodRequest() rights.Request {
	due, _ := calendar.NewDate(2026, time.March, 30)
	return rights.Request{ID: "req-1", Subject: "s-1", Kind: rights.KindAccess, Form: rights.FormWritten, Received: t0,
		Status: rights.StatusReceived, Due: rights.Due{Date: due, Rule: privacy.R11}, Policy: "strict/1",
		History: []rights.Step{{Kind: rights.StepFiled, Status: rights.StatusReceived, At: t0, By: "cm-1", Due: due}}}
}

func testRightsBadInput(t *testing.T, s KitStore) {
	ctx := context.Background()
	late, _ := calendar.NewDate(9999, time.December, 31)
	for _, tc := range []struct {
		what string
		edit func(*rights.Request)
	}{
		{"malformed id", func(r *rights.Request) { r.ID = "req 1" }},
		{"malformed subject", func(r *rights.Request) { r.Subject = "" }},
		{"NUL in a reason", func(r *rights.Request) { r.History[0].Reason = "a\x00b" }},
		{"invalid UTF-8 in a citation", func(r *rights.Request) { r.Due.Citation = "\xff" }},
		{"year 10000", func(r *rights.Request) { r.Received = time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC) }},
		{"a due date past year 9999", func(r *rights.Request) { r.Due.Date = late.AddDays(1) }},
		{"a kept record's date past year 9999", func(r *rights.Request) {
			r.History[0].Outcome = &rights.Outcome{Kept: []rights.Keep{{Record: "r-1", Until: late.AddDays(1)}}}
		}},
	} {
		r := goodRequest()
		r.History = append([]rights.Step(nil), r.History...)
		tc.edit(&r)
		if err := s.CreateRequest(ctx, r, audit); !errors.Is(err, privacy.ErrInvalid) {
			t.Errorf("CreateRequest(%s) = %v, want ErrInvalid", tc.what, err)
		}
	}
	if rs, err := s.OpenRequests(ctx); err != nil || len(rs) != 0 {
		t.Errorf("refused requests were stored: %v, %v", rs, err)
	}
	r := goodRequest()
	if err := s.CreateRequest(ctx, r, audit); err != nil {
		t.Fatalf("CreateRequest: %v", err)
	}
	next := r.Clone()
	next.History = append(next.History, rights.Step{Kind: rights.StepAnswered, Status: rights.StatusAnswered, At: t0, By: "cm-1"})
	next.Status = rights.StatusAnswered
	moved := next.Clone()
	moved.Subject = "s-2"
	if err := s.UpdateRequest(ctx, moved, audit); !errors.Is(err, privacy.ErrInvalid) {
		t.Errorf("UpdateRequest(another subject) = %v, want ErrInvalid", err)
	}
	bad := next.Clone()
	bad.History[1].Reason = "\x00"
	if err := s.UpdateRequest(ctx, bad, audit); !errors.Is(err, privacy.ErrInvalid) {
		t.Errorf("UpdateRequest(NUL in a reason) = %v, want ErrInvalid", err)
	}
	if got, err := s.Request(ctx, "req-1"); err != nil || len(got.History) != 1 {
		t.Errorf("refused updates changed the request: %+v, %v", got, err)
	}
	if _, err := s.Request(ctx, "req 1"); !errors.Is(err, privacy.ErrInvalid) {
		t.Errorf("Request(malformed) = %v, want ErrInvalid", err)
	}
	if _, err := s.SubjectRequests(ctx, "s'1"); !errors.Is(err, privacy.ErrInvalid) {
		t.Errorf("SubjectRequests(malformed) = %v, want ErrInvalid", err)
	}
}

func testRightsExact(t *testing.T, s KitStore) {
	ctx := context.Background()
	r := goodRequest()
	r.Kind, r.Records = rights.KindErasure, []privacy.RecordID{"r-b", "r-a"}
	r.Received = time.Date(1, 1, 1, 0, 0, 0, 1000, time.UTC)
	r.Written = time.Date(9999, 12, 31, 23, 59, 59, 999999000, time.UTC)
	r.WrittenRule, r.Document = privacy.O13, "letter-1"
	r.Due.Citation, r.Due.Extension = "AVG art. 12(3) — één maand", privacy.G2
	r.History[0].Reason = "ünïcødé 'quoted' \"double\" \\ ; --\n<script>"
	r.History[0].At = time.Date(2026, 3, 2, 9, 0, 0, 123456789, time.FixedZone("CET", 3600))
	kept, _ := calendar.NewDate(1, time.January, 1)
	r.History[0].Outcome = &rights.Outcome{Changed: []privacy.RecordID{"r-1"}, Erased: []privacy.RecordID{"r-2"},
		Kept: []rights.Keep{{Record: "r-3", Case: "c-1", Category: privacy.CategoryEmployment, Ground: rights.GroundLegalClaims,
			Rule: privacy.G3, Retention: privacy.R9, Until: kept, Citation: "BW 7:454", Reason: "hold"}},
		Notify: []privacy.PartyID{"uwv"}, MedicalDue: kept}
	r.History[0].Copy, r.History[0].FeeCents, r.History[0].Late = 2, 1500, true
	if err := s.CreateRequest(ctx, r, audit); err != nil {
		t.Fatalf("CreateRequest: %v", err)
	}
	got, err := s.Request(ctx, "req-1")
	if err != nil {
		t.Fatalf("Request: %v", err)
	}
	if d := kitdiff.Diff(r, got); d != "" {
		t.Errorf("Request mismatch (-want +got):\n%s", d)
	}
}
