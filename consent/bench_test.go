package consent_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/dossierwacht/dossierwacht/consent"
	"github.com/dossierwacht/dossierwacht/privacy"
)

// fiftyGrants returns 50 grants of Anna's, as a long-standing file holds
// them: to other employers, third parties and insurers, for other
// purposes and cases, expired, revoked; the one that covers the
// benchmark's request is the last.
func fiftyGrants() []consent.Grant {
	recipients := []consent.Recipient{otherEmployer, lawyer, insurer, bakery, {Kind: privacy.PartyThirdParty}}
	cats := [][]privacy.Category{
		{privacy.CategoryNotes}, {privacy.CategoryIdentity, privacy.CategoryContact},
		{privacy.CategoryWorkCapacity, privacy.CategoryExpertReport}, {privacy.CategoryEducation},
	}
	var gs []consent.Grant
	for i := range 49 {
		g := written(consent.GrantID(fmt.Sprintf("g-%02d", i)), recipients[i%len(recipients)], cats[i%len(cats)]...)
		switch i % 4 {
		case 0:
			g.Until = t0.Add(-time.Hour + time.Duration(i)*time.Minute).Add(30 * time.Minute)
			g.Given = t0.Add(-48 * time.Hour)
		case 1:
			g.Revoked = t0.Add(time.Duration(i) * time.Minute)
		case 2:
			g.Purpose = privacy.PurposeReintegration
		case 3:
			g.Case = "case-anna-other"
		}
		g.From = g.Given
		gs = append(gs, g)
	}
	last := written("g-49", bakery, privacy.CategoryNotes, privacy.CategoryExpertReport)
	last.From = last.Given
	return append(gs, last)
}

// BenchmarkDecide50Grants is one disclosure decision for a subject holding
// 50 grants: notes and an expert report of her absence case to her
// employer, on written consent (O14), the covering grant being the last
// one; the case (purpose, contract, kind) and the discloser's access to
// both categories (R7, N4, …) are decided with it.
func BenchmarkDecide50Grants(b *testing.B) {
	d := decider(b, privacy.Strict())
	f := facts(fiftyGrants()...)
	req := request(caseManager, bakery, notes, item(privacy.CategoryExpertReport))
	req.At = t0.Add(100 * time.Hour)
	if got := d.Decide(&req, f); !got.Allowed || got.Grants()[0] != "g-49" {
		b.Fatalf("Decide = %v %v, want allowed on g-49", got, got.Grants())
	}
	b.ReportAllocs()
	for b.Loop() {
		d.Decide(&req, f)
	}
}

// BenchmarkDecide50GrantsDenied is the same request when no grant covers
// it: every grant is looked at, for each item's rule.
func BenchmarkDecide50GrantsDenied(b *testing.B) {
	d := decider(b, privacy.Strict())
	f := facts(fiftyGrants()[:49]...)
	req := request(caseManager, bakery, notes, item(privacy.CategoryExpertReport))
	req.At = t0.Add(100 * time.Hour)
	if got := d.Decide(&req, f); got.Allowed {
		b.Fatalf("Decide = %v, want denied", got)
	}
	b.ReportAllocs()
	for b.Loop() {
		d.Decide(&req, f)
	}
}

// BenchmarkConsents50Grants is the access engine's O10 question for a
// subject holding 50 grants.
func BenchmarkConsents50Grants(b *testing.B) {
	d := decider(b, privacy.Strict())
	grants := fiftyGrants()
	q := consent.Query{Subject: anna, Recipient: bakery, Category: privacy.CategoryConsultation, Case: annaAbs, At: t0.Add(100 * time.Hour)}
	b.ReportAllocs()
	for b.Loop() {
		d.Consents(q, grants)
	}
}
