package consent_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/dossierwacht/dossierwacht/consent"
	"github.com/dossierwacht/dossierwacht/memstore"
	"github.com/dossierwacht/dossierwacht/privacy"
)

const grantJSON = `{"id":"g-1","subject":"employee-anna","recipient":{"party":"employer-bakery","kind":"employer"},
"categories":["notes","work-capacity"],"purpose":"absence-guidance","case":"case-anna-absence",
"form":"written","document":"doc-2026-0042","given":"2026-03-02T09:00:00Z","until":"2026-09-02T00:00:00Z"}`

const requestJSON = `{"id":"d-1","recipient":{"party":"employer-bakery","kind":"employer"},"subject":"employee-anna",
"case":"case-anna-absence","items":[{"category":"notes"},{"category":"work-capacity","fields":["limitations"]}],
"purpose":"absence-guidance","at":"2026-03-03T10:00:00Z"}`

const thirdPartyJSON = `{"id":"d-2","recipient":{"party":"lawyer-jansen","kind":"third-party"},"subject":"employee-anna",
"case":"case-anna-absence","items":[{"category":"notes","record":"r-1"}],"purpose":"absence-guidance",
"at":"2026-03-03T10:00:00Z","written_request":"letter-2026-17"}`

// wantTyped fails unless err is an *privacy.Error of exactly one kind.
func wantTyped(t *testing.T, what string, err error) {
	t.Helper()
	var e *privacy.Error
	if !errors.As(err, &e) || e.Kind == nil {
		t.Fatalf("%s: untyped error %v", what, err)
	}
	if !errors.Is(err, privacy.ErrInvalid) && !errors.Is(err, privacy.ErrForbidden) {
		t.Fatalf("%s: error %v is neither invalid nor forbidden", what, err)
	}
}

// FuzzDecodeGrant: any input decodes to a valid grant or fails with a
// typed error, never panics; a decoded grant survives a round trip and
// never covers what consent cannot (O5, O9, N5; medical only written, O6).
func FuzzDecodeGrant(f *testing.F) {
	f.Add([]byte(grantJSON))
	f.Add([]byte(`{"id":"g-1","subject":"s","recipient":{"kind":"third-party"},"categories":["medical"],"purpose":"p","form":"explicit","given":"2026-03-02T09:00:00Z"}`))
	f.Add([]byte(`{"id":"g-1","subject":"s","recipient":{"kind":"employer"},"categories":["national-id"],"purpose":"p","form":"written","document":"d","given":"2026-03-02T09:00:00Z"}`))
	f.Add([]byte(`{"id":"g-1"} trailing`))
	f.Add([]byte(`{"id":"g-1","extra":1}`))
	f.Add([]byte(`[]`))
	f.Fuzz(func(t *testing.T, data []byte) {
		g, err := consent.DecodeGrant(bytes.NewReader(data))
		if err != nil {
			wantTyped(t, "DecodeGrant", err)
			if strings.Contains(err.Error(), "\n") {
				t.Fatalf("DecodeGrant error spans lines: %q", err)
			}
			return
		}
		if err := g.Validate(); err != nil {
			t.Fatalf("DecodeGrant returned an invalid grant: %v", err)
		}
		for _, c := range g.Categories {
			if c.Special() || c == privacy.CategoryAbsenceReason || c == privacy.CategoryNationalID ||
				(c == privacy.CategoryMedical && !g.Written()) {
				t.Fatalf("a decoded grant covers %s in form %s", c, g.Form)
			}
		}
		if !g.Revoked.IsZero() {
			t.Fatal("a decoded grant is revoked")
		}
		out, err := json.Marshal(g)
		if err != nil {
			t.Fatalf("Marshal: %v", err)
		}
		g2, err := consent.DecodeGrant(bytes.NewReader(out))
		if err != nil {
			t.Fatalf("round trip of %s: %v", out, err)
		}
		if g2.ID != g.ID || !slices.Equal(g2.Categories, g.Categories) || !g2.Given.Equal(g.Given) || !g2.From.Equal(g.From) ||
			!g2.Until.Equal(g.Until) || g2.Recipient != g.Recipient || g2.Form != g.Form || g2.Document != g.Document {
			t.Fatalf("round trip changed the grant: %+v != %+v", g2, g)
		}
	})
}

// FuzzDecodeRequest: any input decodes to a valid request or fails with a
// typed error, never panics; a decoded request, from a physician, is
// decided on the facts of Anna's cases without panic, and an allowed
// decision keeps the floors; the written request (O14) survives a round
// trip.
func FuzzDecodeRequest(f *testing.F) {
	f.Add([]byte(requestJSON))
	f.Add([]byte(thirdPartyJSON))
	f.Add([]byte(`{"id":"d-1","recipient":{"party":"l","kind":"third-party"},"subject":"s","case":"c","items":[{"category":"notes"}],"purpose":"p","at":"2026-03-03T10:00:00Z","written_request":"bad ref"}`))
	f.Add([]byte(`{"id":"d-1","recipient":{"party":"uwv","kind":"uwv"},"subject":"s","items":[{"category":"national-id"}],"purpose":"absence-guidance","at":"2026-03-03T10:00:00Z","basis":"suwi-73-4"}`))
	f.Add([]byte(`{"id":"d-1","recipient":{"party":"i","kind":"insurer"},"subject":"s","items":[{"category":"absence-facts","fields":["first-day","incapacity-degree"]}],"purpose":"absence-guidance","at":"2026-03-03T10:00:00Z"}`))
	f.Add([]byte(`{"items":[{"category":"religion"}]}`))
	f.Add([]byte(`{"by":{"ID":"x"}}`))
	p := privacy.Strict()
	d := decider(f, p)
	grants := []consent.Grant{written("g-1", bakery, privacy.CategoryNotes, privacy.CategoryMedical), explicit("g-2", insurer, privacy.CategoryIdentity)}
	f.Fuzz(func(t *testing.T, data []byte) {
		req, err := consent.DecodeRequest(bytes.NewReader(data))
		if err != nil {
			wantTyped(t, "DecodeRequest", err)
			return
		}
		if req.By != nil {
			t.Fatal("DecodeRequest took the principal from the body")
		}
		out, err := json.Marshal(req)
		if err != nil {
			t.Fatalf("Marshal: %v", err)
		}
		again, err := consent.DecodeRequest(bytes.NewReader(out))
		if err != nil || again.WrittenRequest != req.WrittenRequest || again.Case != req.Case || !again.At.Equal(req.At) {
			t.Fatalf("round trip of %s: %+v, %v", out, again, err)
		}
		req.By = physician
		if err := req.Validate(); err != nil {
			t.Fatalf("DecodeRequest returned an invalid request: %v", err)
		}
		for _, c := range []privacy.Case{annaCase, annaVisitCase, annaExamCase} {
			f := &consent.Facts{Case: c, Grants: grants, Coverage: []consent.Coverage{insurerCoversBakery}}
			checkFloors(t, p, &req, f, d.Decide(&req, f))
		}
	})
}

// FuzzGrantValidate: grants built field by field from arbitrary strings
// validate or fail typed, never panic; and a valid grant never unlocks
// the absence reason, the BSN or more than N3 to an insurer.
func FuzzGrantValidate(f *testing.F) {
	f.Add("g-1", "employee-anna", "employer-bakery", "employer", "notes", "medical", "absence-guidance", "", "written", "doc-1", int64(0), int64(3600), int64(0))
	f.Add("g-1", "s", "", "insurer", "identity", "absence-reason", "p", "c", "explicit", "", int64(0), int64(-1), int64(10))
	f.Add("", "", "", "", "", "", "", "", "", "", int64(0), int64(0), int64(0))
	p := privacy.Strict()
	d := decider(f, p)
	f.Fuzz(func(t *testing.T, id, subject, party, kind, cat1, cat2, purpose, cse, form, doc string, given, from, until int64) {
		g := consent.Grant{ID: consent.GrantID(id), Subject: privacy.SubjectID(subject),
			Recipient:  consent.Recipient{Party: privacy.PartyID(party), Kind: privacy.PartyKind(kind)},
			Categories: []privacy.Category{privacy.Category(cat1), privacy.Category(cat2)},
			Purpose:    privacy.Purpose(purpose), Case: privacy.CaseID(cse), Form: consent.Form(form), Document: doc,
			Given: t0.Add(time.Duration(given) * time.Second)}
		if from != 0 {
			g.From = t0.Add(time.Duration(from) * time.Second)
		}
		if until != 0 {
			g.Until = t0.Add(time.Duration(until) * time.Second)
		}
		if err := g.Validate(); err != nil {
			var e *privacy.Error
			if !errors.As(err, &e) || !errors.Is(err, privacy.ErrInvalid) && !errors.Is(err, privacy.ErrProhibitedCategory) {
				t.Fatalf("Validate: untyped error %v", err)
			}
			return
		}
		if g.From.IsZero() {
			g.From = g.Given
		}
		for _, c := range []privacy.Category{privacy.Category(cat1), privacy.Category(cat2), privacy.CategoryAbsenceReason, privacy.CategoryNationalID} {
			for _, to := range []consent.Recipient{{Party: privacy.PartyID(party), Kind: privacy.PartyKind(kind)}, bakery, insurer, lawyer} {
				if to.Party == "" || !to.Kind.Known() {
					continue
				}
				cse := g.Case
				if cse == "" {
					cse = annaAbs
				}
				req := consent.Request{ID: "d-1", By: physician, Recipient: to, Subject: g.Subject, Case: cse,
					Items: []consent.Item{{Category: c}}, Purpose: g.Purpose, At: g.From, WrittenRequest: "letter-1"}
				fc := annaCase
				fc.ID, fc.Subject, fc.Purpose = cse, g.Subject, g.Purpose
				f := &consent.Facts{Case: fc, Grants: []consent.Grant{g}, Coverage: []consent.Coverage{insurerCoversBakery}}
				checkFloors(t, p, &req, f, d.Decide(&req, f))
			}
		}
	})
}

// FuzzCoverageValidate: coverage built field by field from arbitrary
// strings validates or fails with a typed error, never panics; a valid one
// is recorded by the registry and comes back as it went in, and one the
// registry refuses leaves nothing behind (O11).
func FuzzCoverageValidate(f *testing.F) {
	f.Add("cover-1", "insurer-verzuim", "employer-bakery", int64(0), int64(3600))
	f.Add("", "insurer", "employer", int64(-1), int64(0))
	f.Add("c 1", "i\x00", "\xff", int64(10), int64(5))
	f.Fuzz(func(t *testing.T, id, insurer, employer string, from, until int64) {
		c := consent.Coverage{ID: consent.CoverageID(id), Insurer: privacy.PartyID(insurer), Employer: privacy.PartyID(employer),
			From: t0.Add(time.Duration(from) * time.Second)}
		if until != 0 {
			c.Until = t0.Add(time.Duration(until) * time.Second)
		}
		err := c.Validate()
		if err != nil {
			var e *privacy.Error
			if !errors.As(err, &e) || !errors.Is(err, privacy.ErrInvalid) {
				t.Fatalf("Validate: untyped error %v", err)
			}
		}
		reg, err2 := consent.New(memstore.New(), privacy.Strict(), nil)
		if err2 != nil {
			t.Fatal(err2)
		}
		got, addErr := reg.AddCoverage(context.Background(), caseManager, c, t0)
		if (err == nil) != (addErr == nil) {
			t.Fatalf("Validate = %v but AddCoverage = %v", err, addErr)
		}
		if addErr != nil {
			if _, err := reg.Coverage(context.Background(), c.ID); err == nil {
				t.Fatal("a refused coverage was stored")
			}
			return
		}
		back, err := reg.Coverage(context.Background(), c.ID)
		if err != nil || back != got || !back.InForce(back.From) {
			t.Fatalf("Coverage = %+v, %v; want %+v, in force from its start", back, err, got)
		}
	})
}
