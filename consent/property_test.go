package consent_test

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/dossierwacht/dossierwacht/consent"
	"github.com/dossierwacht/dossierwacht/memstore"
	"github.com/dossierwacht/dossierwacht/privacy"
)

// gen draws random but plausible grants and requests from a seeded
// source, so that a failure replays.
type gen struct{ r *rand.Rand }

func newGen(seed uint64) *gen { return &gen{rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))} }

var (
	genRecipients = []consent.Recipient{bakery, otherEmployer, insurer, uwv, reintegrator, lawyer, court, annaParty,
		{Party: "gemeente-utrecht", Kind: privacy.PartyMunicipality}}
	genPrincipals = []privacy.Principal{physician, caseManager, caseManager, physician, admin, employerBert}
	genBases      = []privacy.LegalBasisID{"suwi-54-3c", "suwi-73-4", "bw-7-658a-5", "procesgang-4-3", "arbowet-14", "wet-onbekend"}
	genPurposes   = []privacy.Purpose{privacy.PurposeAbsenceGuidance, privacy.PurposeAbsenceGuidance, privacy.PurposeReintegration, privacy.PurposePrevention}
	genCases      = []privacy.CaseID{annaAbs, annaAbs, "case-anna-visit", ""}
)

func pick[T any](g *gen, xs []T) T { return xs[g.r.IntN(len(xs))] }

// at returns a time within ten days of t0, to the minute.
func (g *gen) at() time.Time { return t0.Add(time.Duration(g.r.IntN(10*24*60)) * time.Minute) }

func (g *gen) categories(max int) []privacy.Category {
	all := privacy.Categories()
	n := 1 + g.r.IntN(max)
	var out []privacy.Category
	for range n {
		c := pick(g, all)
		if !slices.Contains(out, c) {
			out = append(out, c)
		}
	}
	return out
}

// grant returns a grant that may break the rules Validate enforces (raw
// input, as a faulty adapter might hand the decider) unless valid is set.
func (g *gen) grant(id int, valid bool) consent.Grant {
	to := pick(g, genRecipients)
	switch g.r.IntN(4) {
	case 0:
		to.Party = ""
	case 1:
		to.Kind = ""
	}
	gr := consent.Grant{ID: consent.GrantID(fmt.Sprintf("g-%d", id)), Subject: anna, Recipient: to,
		Categories: g.categories(4), Purpose: pick(g, genPurposes), Case: pick(g, genCases),
		Form: consent.FormWritten, Document: fmt.Sprintf("doc-%d", id), Given: g.at()}
	if g.r.IntN(3) == 0 {
		gr.Form, gr.Document = consent.FormExplicit, ""
	}
	if g.r.IntN(3) == 0 {
		gr.Until = gr.Given.Add(time.Duration(1+g.r.IntN(5*24*60)) * time.Minute)
	}
	if !valid {
		if g.r.IntN(4) == 0 {
			gr.Revoked = gr.Given.Add(time.Duration(g.r.IntN(5*24*60)) * time.Minute)
		}
		if g.r.IntN(6) == 0 {
			gr.Document = "" // a written grant without its document
		}
		gr.From = gr.Given
		return gr
	}
	gr.Categories = slices.DeleteFunc(gr.Categories, func(c privacy.Category) bool {
		return c == privacy.CategoryAbsenceReason || c == privacy.CategoryNationalID ||
			(c == privacy.CategoryMedical && gr.Form != consent.FormWritten)
	})
	if len(gr.Categories) == 0 {
		gr.Categories = []privacy.Category{privacy.CategoryNotes}
	}
	if gr.Recipient.Kind == privacy.PartyService || gr.Recipient.Kind == privacy.PartySubject {
		gr.Recipient.Kind = privacy.PartyThirdParty
	}
	return gr
}

func (g *gen) request(id int) consent.Request {
	var items []consent.Item
	for _, c := range g.categories(3) {
		it := consent.Item{Category: c}
		if info, _ := c.Info(); g.r.IntN(2) == 0 && len(info.Fields) > 1 {
			it.Fields = []privacy.Field{pick(g, info.Fields)}
		}
		if g.r.IntN(4) == 0 {
			it.Record = privacy.RecordID(fmt.Sprintf("r-%d", g.r.IntN(5)))
		}
		items = append(items, it)
	}
	r := consent.Request{ID: consent.DisclosureID(fmt.Sprintf("d-%d", id)), By: pick(g, genPrincipals),
		Recipient: pick(g, genRecipients), Subject: anna, Case: pick(g, genCases), Items: items,
		Purpose: pick(g, genPurposes), At: g.at()}
	if g.r.IntN(4) == 0 {
		r.Basis = pick(g, genBases)
	}
	return r
}

// requestNear returns, half the time, a request shaped after one of the
// grants (its recipient, purpose, case, a category, a time in its term),
// so that allowed decisions are common enough to test; otherwise a free
// draw.
func (g *gen) requestNear(id int, grants []consent.Grant) consent.Request {
	r := g.request(id)
	if len(grants) == 0 || g.r.IntN(2) == 0 {
		return r
	}
	gr := pick(g, grants)
	if gr.Recipient.Kind != "" {
		r.Recipient.Kind = gr.Recipient.Kind
	}
	if gr.Recipient.Party != "" {
		r.Recipient.Party = gr.Recipient.Party
	}
	r.Purpose = gr.Purpose
	if gr.Case != "" {
		r.Case = gr.Case
	}
	r.Items = []consent.Item{{Category: pick(g, gr.Categories)}}
	if g.r.IntN(2) == 0 {
		r.Items = append(r.Items, consent.Item{Category: pick(g, gr.Categories), Record: "r-9"})
	}
	r.At = gr.From.Add(time.Duration(g.r.IntN(3*24*60)) * time.Minute)
	if g.r.IntN(3) > 0 {
		r.Basis = ""
		r.By = pick(g, []privacy.Principal{physician, caseManager})
	}
	return r
}

// checkFloors fails if an allowed decision breaks a rule no policy,
// grant or statute can set aside.
func checkFloors(t *testing.T, p *privacy.Policy, req *consent.Request, grants []consent.Grant, d consent.Decision) {
	t.Helper()
	if !d.Allowed {
		if d.Rule == "" || !d.Rule.Known() {
			t.Fatalf("denied with unknown rule %q: %+v", d.Rule, req)
		}
		return
	}
	if !d.Rule.Known() || d.Policy != p.Version {
		t.Fatalf("allowed with rule %q policy %q", d.Rule, d.Policy)
	}
	if !req.By.Role.Staff() || req.By.Role == privacy.RoleAdministrator {
		t.Fatalf("R12: allowed a disclosure by %s", req.By.Role)
	}
	byID := map[consent.GrantID]consent.Grant{}
	for _, g := range grants {
		byID[g.ID] = g
	}
	for _, it := range req.Items {
		switch {
		case it.Category == privacy.CategoryAbsenceReason:
			t.Fatalf("O9: allowed the absence reason to %s: %v", req.Recipient, d)
		case it.Category == privacy.CategoryNationalID && d.Basis != privacy.BasisStatute:
			t.Fatalf("N5: allowed the BSN on %s", d.Basis)
		case it.Category == privacy.CategoryMedical && req.By.Role != privacy.RolePhysician:
			t.Fatalf("O6: allowed medical data from a %s", req.By.Role)
		}
		if req.Recipient.Kind == privacy.PartyInsurer {
			max := privacy.InsurerMaximum()[it.Category]
			fields := it.Fields
			if len(fields) == 0 {
				info, _ := it.Category.Info()
				fields = info.Fields
			}
			for _, f := range fields {
				if !slices.Contains(max, f) {
					t.Fatalf("N3: allowed %s.%s to an insurer", it.Category, f)
				}
			}
		}
		if d.Basis == privacy.BasisStatute {
			l, ok := p.LegalBasis(d.LegalBasis)
			if !ok || !slices.Contains(l.Categories, it.Category) || !slices.Contains(l.Recipients, req.Recipient.Kind) {
				t.Fatalf("N10: statute %s does not cover %s to %s", d.LegalBasis, it.Category, req.Recipient.Kind)
			}
			continue
		}
		if it.Category != privacy.CategoryMedical {
			continue
		}
		// Rule O6: a written grant in force that names medical data.
		if !slices.ContainsFunc(d.Grants(), func(id consent.GrantID) bool {
			g := byID[id]
			return g.Written() && g.Covers(privacy.CategoryMedical) && g.InForce(req.At) &&
				(g.Recipient.Kind == "" || g.Recipient.Kind == req.Recipient.Kind) &&
				(g.Recipient.Party == "" || g.Recipient.Party == req.Recipient.Party) &&
				g.Purpose == req.Purpose && (g.Case == "" || g.Case == req.Case)
		}) {
			t.Fatalf("O6: medical data to %s without a written grant naming it: %v on %v", req.Recipient, d, d.Grants())
		}
	}
	for _, id := range d.Grants() {
		if g := byID[id]; !g.InForce(req.At) {
			t.Fatalf("allowed on grant %s, not in force at %v (revoked %v)", id, req.At, g.Revoked)
		}
	}
}

// TestPropertyFloors: whatever the grants (valid or not) and the request,
// no decision breaks O6 (medical data only from a physician, on a written
// grant naming it), O9, N3, N5, N10 or R12, under every ready policy.
func TestPropertyFloors(t *testing.T) {
	for _, pf := range []func() *privacy.Policy{privacy.Strict, privacy.RegulationO, privacy.RegulationR} {
		p := pf()
		d := decider(t, p)
		g := newGen(uint64(len(p.Name)))
		allowed := 0
		for i := range 6000 {
			var grants []consent.Grant
			for j := range g.r.IntN(12) {
				grants = append(grants, g.grant(j, false))
			}
			req := g.requestNear(i, grants)
			dec := d.Decide(&req, grants)
			checkFloors(t, p, &req, grants, dec)
			if dec.Allowed {
				allowed++
			}
		}
		if allowed < 150 {
			t.Errorf("%s: only %d of 6000 random requests allowed: the generator explores too little", p.Name, allowed)
		}
	}
}

// TestPropertyMedicalNeedsWrittenGrant draws requests for medical data
// alone and checks rule O6 on every allowed one.
func TestPropertyMedicalNeedsWrittenGrant(t *testing.T) {
	p := privacy.Strict()
	d := decider(t, p)
	g := newGen(6)
	allowed := 0
	for i := range 6000 {
		var grants []consent.Grant
		for j := range 1 + g.r.IntN(8) {
			gr := g.grant(j, false)
			if g.r.IntN(2) == 0 {
				gr.Categories = append(gr.Categories, privacy.CategoryMedical)
			}
			grants = append(grants, gr)
		}
		req := g.requestNear(i, grants)
		req.By = physician
		req.Items = []consent.Item{{Category: privacy.CategoryMedical}}
		if req.Basis != "" && g.r.IntN(2) == 0 {
			req.Basis = ""
		}
		dec := d.Decide(&req, grants)
		checkFloors(t, p, &req, grants, dec)
		if dec.Allowed {
			allowed++
		}
	}
	if allowed < 30 {
		t.Errorf("only %d medical disclosures allowed: the property was barely exercised", allowed)
	}
}

// TestPropertyLogIsTheAllowedDecisions: through the registry and a real
// store, every allowed disclosure is in the log exactly as decided, every
// denied one is not, and each left its audit events (G7).
func TestPropertyLogIsTheAllowedDecisions(t *testing.T) {
	ctx := context.Background()
	for _, pf := range []func() *privacy.Policy{privacy.Strict, privacy.RegulationR} {
		p := pf()
		store := memstore.New()
		reg, err := consent.New(store, p, nil)
		if err != nil {
			t.Fatal(err)
		}
		g := newGen(7 + uint64(len(p.Name)))
		for j := range 30 {
			if _, err := reg.AddGrant(ctx, caseManager, g.grant(j, true)); err != nil {
				t.Fatalf("AddGrant: %v", err)
			}
		}
		grants, err := reg.Grants(ctx, anna)
		if err != nil {
			t.Fatal(err)
		}
		decided := map[consent.DisclosureID]consent.Decision{}
		requests := map[consent.DisclosureID]consent.Request{}
		wantEvents := 30
		for i := range 3000 {
			if i%100 == 99 {
				id := consent.GrantID(fmt.Sprintf("g-%d", g.r.IntN(30)))
				_, err := reg.Revoke(ctx, caseManager, id, g.at())
				if err != nil && !errors.Is(err, privacy.ErrConflict) && !errors.Is(err, privacy.ErrInvalid) {
					t.Fatalf("Revoke: %v", err)
				}
				if err == nil {
					wantEvents++
				}
			}
			req := g.requestNear(i, grants)
			dec, err := reg.Disclose(ctx, req)
			switch {
			case err == nil:
				wantEvents += len(req.Items)
			case errors.Is(err, privacy.ErrForbidden):
				wantEvents++
			case errors.Is(err, privacy.ErrInvalid):
				continue // a malformed draw: nothing decided, nothing recorded
			default:
				t.Fatalf("Disclose: %v", err)
			}
			if dec.Allowed != (err == nil) {
				t.Fatalf("Disclose = %v, %v: the decision and the error disagree", dec, err)
			}
			decided[req.ID], requests[req.ID] = dec, req
		}
		log, err := reg.Disclosures(ctx, anna)
		if err != nil {
			t.Fatal(err)
		}
		inLog := map[consent.DisclosureID]consent.Disclosure{}
		for _, d := range log {
			inLog[d.ID] = d
		}
		allowed := 0
		for id, dec := range decided {
			d, logged := inLog[id]
			if dec.Allowed != logged {
				t.Fatalf("%s: allowed=%t but logged=%t (%v)", id, dec.Allowed, logged, dec)
			}
			if !logged {
				continue
			}
			allowed++
			req := requests[id]
			if d.Rule != dec.Rule || d.Basis != dec.Basis || d.LegalBasis != dec.LegalBasis ||
				!slices.Equal(d.Grants, dec.Grants()) || d.NotifySubject != dec.NotifySubject ||
				d.Recipient != req.Recipient || !d.At.Equal(req.At) || len(d.Items) != len(req.Items) || d.By != req.By.ID {
				t.Fatalf("%s: logged %+v, decided %v for %+v", id, d, dec, req)
			}
		}
		if len(inLog) != allowed {
			t.Fatalf("the log holds %d disclosures, %d were allowed", len(inLog), allowed)
		}
		if allowed < 300 || allowed == len(decided) {
			t.Errorf("%s: %d of %d allowed: the generator explores too little", p.Name, allowed, len(decided))
		}
		n := 0
		for _, err := range store.Events(ctx, 1) {
			if err != nil {
				t.Fatal(err)
			}
			n++
		}
		if n != wantEvents {
			t.Errorf("G7: %d audit events, want %d", n, wantEvents)
		}
	}
}

// TestPropertyNoDisclosureAfterRevocation: random grants, revocations and
// disclosures in random time order; afterwards no logged disclosure rests
// on a grant that was not in force at its time — in particular none at or
// after the grant's revocation.
func TestPropertyNoDisclosureAfterRevocation(t *testing.T) {
	ctx := context.Background()
	store := memstore.New()
	reg, err := consent.New(store, privacy.RegulationR(), nil)
	if err != nil {
		t.Fatal(err)
	}
	g := newGen(11)
	nGrants, revocations := 0, 0
	for i := range 3000 {
		switch g.r.IntN(10) {
		case 0:
			if _, err := reg.AddGrant(ctx, caseManager, g.grant(nGrants, true)); err != nil {
				t.Fatalf("AddGrant: %v", err)
			}
			nGrants++
		case 1, 2:
			if nGrants == 0 {
				continue
			}
			id := consent.GrantID(fmt.Sprintf("g-%d", g.r.IntN(nGrants)))
			if _, err := reg.Revoke(ctx, caseManager, id, g.at()); err == nil {
				revocations++
			}
		default:
			grants, err := reg.Grants(ctx, anna)
			if err != nil {
				t.Fatal(err)
			}
			req := g.requestNear(i, grants)
			req.By = caseManager
			req.Basis = ""
			_, _ = reg.Disclose(ctx, req)
		}
	}
	grants, err := reg.Grants(ctx, anna)
	if err != nil {
		t.Fatal(err)
	}
	byID := map[consent.GrantID]consent.Grant{}
	for _, gr := range grants {
		byID[gr.ID] = gr
	}
	log, err := reg.Disclosures(ctx, anna)
	if err != nil {
		t.Fatal(err)
	}
	resting := 0
	for _, d := range log {
		for _, id := range d.Grants {
			gr := byID[id]
			if !gr.Revoked.IsZero() {
				resting++
				if !d.At.Before(gr.Revoked) {
					t.Fatalf("disclosure %s at %v rests on grant %s revoked at %v", d.ID, d.At, id, gr.Revoked)
				}
			}
			if !gr.InForce(d.At) && gr.Revoked.IsZero() {
				t.Fatalf("disclosure %s at %v rests on grant %s not in force then", d.ID, d.At, id)
			}
		}
	}
	if revocations < 10 || resting < 10 {
		t.Errorf("%d revocations, %d disclosures on revoked grants: the property was barely exercised", revocations, resting)
	}
}
