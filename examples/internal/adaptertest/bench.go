package adaptertest

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/dossierwacht/dossierwacht/access"
	"github.com/dossierwacht/dossierwacht/consent"
	"github.com/dossierwacht/dossierwacht/privacy"
	"github.com/dossierwacht/dossierwacht/rights"
)

// BenchDisclose measures consent.Registry.Disclose on s: one subject with
// 50 grants, one allowed disclosure per iteration (read and lock the
// grants, decide, log, one audit event, commit).
func BenchDisclose(b *testing.B, s KitStore) {
	ctx := context.Background()
	reg, err := consent.New(s, privacy.Strict(), nil)
	if err != nil {
		b.Fatal(err)
	}
	staff := access.NewPrincipal(privacy.Principal{ID: "cm-1", Role: privacy.RoleCaseManager, Party: "service",
		Secrecy: privacy.SecrecyAgreement}, []privacy.CaseID{"c-1"}, nil)
	employer := consent.Recipient{Party: "employer-1", Kind: privacy.PartyEmployer}
	// The case the disclosures come from: they are decided with it.
	setup := []privacy.Event{Event(1, "s-1")}
	if err := s.CreateSubject(ctx, privacy.Subject{ID: "s-1", Employer: "employer-1", Created: t0.AddDate(-1, 0, 0)}, setup); err != nil {
		b.Fatal(err)
	}
	if err := s.CreateCase(ctx, privacy.Case{ID: "c-1", Subject: "s-1", Kind: privacy.CaseAbsence, Purpose: privacy.PurposeAbsenceGuidance,
		Contract: privacy.Contract{ID: "k-1", Party: "employer-1", PartyKind: privacy.PartyEmployer, Start: t0.AddDate(-1, 0, 0)},
		Opened:   t0}, setup); err != nil {
		b.Fatal(err)
	}
	for i := range 50 {
		g := consent.Grant{ID: consent.GrantID(fmt.Sprintf("g-%d", i)), Subject: "s-1",
			Recipient:  consent.Recipient{Party: privacy.PartyID(fmt.Sprintf("party-%d", i)), Kind: privacy.PartyThirdParty},
			Categories: []privacy.Category{privacy.CategoryNotes}, Purpose: privacy.PurposeAbsenceGuidance,
			Form: consent.FormWritten, Document: "doc-1", Given: t0}
		if i == 49 {
			g.Recipient = employer
		}
		if _, err := reg.AddGrant(ctx, staff, g, t0); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportAllocs()
	n := 0
	for b.Loop() {
		n++
		req := consent.Request{ID: consent.DisclosureID(fmt.Sprintf("d-%d", n)), By: staff, Recipient: employer,
			Subject: "s-1", Case: "c-1", Items: []consent.Item{{Category: privacy.CategoryNotes}},
			Purpose: privacy.PurposeAbsenceGuidance, At: t0.Add(time.Duration(n) * time.Second)}
		if _, err := reg.Disclose(ctx, req); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchUpdateRequest measures rights.Store.UpdateRequest on s: the
// compare-and-swap that moves a request on by one step, on a request whose
// history grows by one step per iteration.
func BenchUpdateRequest(b *testing.B, s KitStore) {
	ctx := context.Background()
	r := goodRequest()
	if err := s.CreateRequest(ctx, r, audit); err != nil {
		b.Fatal(err)
	}
	// A request never has thousands of steps; start again every 16.
	base := r.Clone()
	b.ReportAllocs()
	n := 0
	for b.Loop() {
		n++
		if len(r.History) == 16 {
			b.StopTimer()
			base.ID = rights.RequestID(fmt.Sprintf("req-%d", n))
			if err := s.CreateRequest(ctx, base, audit); err != nil {
				b.Fatal(err)
			}
			r = base.Clone()
			b.StartTimer()
		}
		r.History = append(r.History, rights.Step{Kind: rights.StepConfirmed, Status: rights.StatusReceived,
			At: t0, By: "cm-1", Reason: "confirmed in writing", Rule: privacy.R11, Policy: "strict/1"})
		if err := s.UpdateRequest(ctx, r, audit); err != nil {
			b.Fatal(err)
		}
	}
}
