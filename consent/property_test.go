package consent_test

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/dossierwacht/dossierwacht/access"
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
		{Party: "gemeente-utrecht", Kind: privacy.PartyMunicipality}, {Party: "insurer-other", Kind: privacy.PartyInsurer}}
	// genPrincipals are the disclosers: the right ones often, and every
	// kind of wrong one (unassigned, without secrecy or a second factor,
	// a contractor without its agreement, staff without content, outside
	// parties).
	genPrincipals = []*access.Principal{physician, caseManager, caseManager, physician, admin, employerBert,
		supportSam, unassigned(physician), unassigned(caseManager),
		principal(physician, func(p *privacy.Principal) { p.MultiFactor = false }),
		principal(physician, func(p *privacy.Principal) { p.Secrecy = privacy.SecrecyAgreement }),
		principal(caseManager, func(p *privacy.Principal) { p.Secrecy = privacy.SecrecyNone }),
		principal(physician, func(p *privacy.Principal) { p.Contractor = true }),
		access.NewPrincipal(privacy.Principal{ID: "insurer-iris", Role: privacy.RoleInsurer, Party: "insurer-verzuim"}, nil,
			[]privacy.PartyID{"employer-bakery"})}
	genBases    = []privacy.LegalBasisID{"suwi-54-3c", "suwi-73-4", "bw-7-658a-5", "procesgang-4-3", "arbowet-14", "wet-onbekend"}
	genPurposes = []privacy.Purpose{privacy.PurposeAbsenceGuidance, privacy.PurposeAbsenceGuidance, privacy.PurposeReintegration, privacy.PurposePrevention}
	genCases    = []privacy.CaseID{annaAbs, annaAbs, annaVisit, annaExam, ""}
	// genFactsCases are the cases a decision may be made on: Anna's
	// absence case (often), her consultation-hour visit and periodic
	// exam, the absence case after its contract ended, and one
	// commissioned by a municipality.
	genFactsCases = []privacy.Case{annaCase, annaCase, annaCase, annaVisitCase, annaExamCase,
		func() privacy.Case { c := annaCase; c.Contract.End = t0.Add(6 * 24 * time.Hour); return c }(),
		func() privacy.Case {
			c := annaCase
			c.Contract = privacy.Contract{ID: "contract-utrecht", Party: "gemeente-utrecht", PartyKind: privacy.PartyMunicipality,
				Start: t0.AddDate(-1, 0, 0)}
			return c
		}()}
	genCoverage = [][]consent.Coverage{nil, {insurerCoversBakery}, {insurerCoversBakery},
		{{ID: "cover-butcher", Insurer: "insurer-verzuim", Employer: "employer-butcher", From: t0.AddDate(-1, 0, 0)}},
		{{ID: "cover-short", Insurer: "insurer-verzuim", Employer: "employer-bakery", From: t0, Until: t0.Add(72 * time.Hour)}}}
)

// seeded names the record of each category that seedAnna stores.
var seeded = map[privacy.Category]privacy.RecordID{privacy.CategoryNotes: "r-0", privacy.CategoryIdentity: "r-1",
	privacy.CategoryWorkCapacity: "r-2", privacy.CategoryExpertReport: "r-3", privacy.CategoryMedical: "m-1"}

// casePurpose is the purpose of each of Anna's cases.
var casePurpose = map[privacy.CaseID]privacy.Purpose{annaAbs: annaCase.Purpose, annaVisit: annaVisitCase.Purpose,
	annaExam: annaExamCase.Purpose}

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
	if p, ok := casePurpose[gr.Case]; ok && g.r.IntN(4) > 0 {
		gr.Purpose = p // mostly the purpose of the case it names
	}
	if g.r.IntN(3) == 0 {
		gr.Form, gr.Document = consent.FormExplicit, ""
	}
	if g.r.IntN(3) == 0 {
		gr.Until = gr.Given.Add(time.Duration(1+g.r.IntN(5*24*60)) * time.Minute)
	}
	if !valid {
		if g.r.IntN(20) == 0 {
			gr.Revoked = gr.Given.Add(time.Duration(g.r.IntN(2*24*60)) * time.Minute)
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

// grantAt is a valid grant given at at (its term moved with it).
func (g *gen) grantAt(id int, at time.Time) consent.Grant {
	gr := g.grant(id, true)
	shift := at.Sub(gr.Given)
	gr.Given = at
	if !gr.Until.IsZero() {
		gr.Until = gr.Until.Add(shift)
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
		Recipient: pick(g, genRecipients), Subject: anna, Case: annaAbs, Items: items,
		Purpose: pick(g, genPurposes), At: g.at()}
	if g.r.IntN(4) == 0 {
		r.Basis = pick(g, genBases)
	}
	if g.r.IntN(3) > 0 {
		r.WrittenRequest = fmt.Sprintf("letter-%d", id)
	}
	return r
}

// facts draws the facts a request is decided on: a case (whose ID and
// purpose the request takes, mostly), the grants and a coverage register.
func (g *gen) facts(req *consent.Request, grants []consent.Grant) *consent.Facts {
	f := &consent.Facts{Case: pick(g, genFactsCases), Grants: grants, Coverage: pick(g, genCoverage)}
	if g.r.IntN(8) > 0 {
		// Mostly the request's own case, when there is one like it.
		for range 4 {
			if f.Case.ID == req.Case {
				break
			}
			f.Case = pick(g, genFactsCases)
		}
		req.Case = f.Case.ID
	}
	if g.r.IntN(2) == 0 {
		req.Purpose = f.Case.Purpose
	}
	return f
}

// requestNear returns, two times in three, a request shaped after one of the
// grants (its recipient, purpose, case, a category, a time in its term),
// so that allowed decisions are common enough to test; otherwise a free
// draw.
func (g *gen) requestNear(id int, grants []consent.Grant) consent.Request {
	r := g.request(id)
	if len(grants) == 0 || g.r.IntN(3) == 0 {
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
	switch {
	case gr.Case != "":
		r.Case = gr.Case
	case gr.Purpose == privacy.PurposePrevention:
		r.Case = pick(g, []privacy.CaseID{annaVisit, annaExam})
	}
	r.Items = []consent.Item{{Category: pick(g, gr.Categories)}}
	if g.r.IntN(2) == 0 {
		c := pick(g, gr.Categories)
		rec, ok := seeded[c]
		if !ok {
			rec = "r-9"
		}
		r.Items = append(r.Items, consent.Item{Category: c, Record: rec})
	}
	r.At = gr.From.Add(time.Duration(g.r.IntN(3*24*60)) * time.Minute)
	if g.r.IntN(3) > 0 {
		r.Basis = ""
		r.By = pick(g, []*access.Principal{physician, caseManager})
	}
	return r
}

// checkFloors fails if an allowed decision breaks a rule no policy,
// grant or statute can set aside: the floors of the disclosure rules
// (O9, N5, N3, O6, N10, R12), the discloser's own access (R7, O4, R8, O6,
// G8, N4, N6, O7: checked against an access engine of the same policy),
// and the case (R5, O2, O10, N2, O11, O14's written request).
func checkFloors(t *testing.T, p *privacy.Policy, req *consent.Request, f *consent.Facts, d consent.Decision) {
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
	c := &f.Case
	if c.ID != req.Case || c.Subject != req.Subject {
		t.Fatalf("allowed on the facts of case %s of %s for a request of case %s of %s", c.ID, c.Subject, req.Case, req.Subject)
	}
	if req.Purpose != c.Purpose {
		t.Fatalf("R5: allowed for purpose %s from a case of purpose %s", req.Purpose, c.Purpose)
	}
	if !c.Contract.Covers(req.At) {
		t.Fatalf("O2: allowed at %v outside the contract %v–%v", req.At, c.Contract.Start, c.Contract.End)
	}
	for _, g := range f.Grants {
		if g.Subject == req.Subject && !g.Revoked.IsZero() && req.At.Before(g.Revoked) {
			t.Fatalf("R6: allowed at %v, before the recorded revocation of %s at %v", req.At, g.ID, g.Revoked)
		}
	}
	byID := map[consent.GrantID]consent.Grant{}
	for _, g := range f.Grants {
		byID[g.ID] = g
	}
	if req.Recipient.Kind == privacy.PartyEmployer && c.Kind.Confidential() &&
		!slices.ContainsFunc(f.Grants, func(g consent.Grant) bool {
			return g.Subject == req.Subject && g.Written() && g.Covers(privacy.CategoryConsultation) && g.InForce(req.At) &&
				(g.Recipient.Kind == "" || g.Recipient.Kind == privacy.PartyEmployer) &&
				(g.Recipient.Party == "" || g.Recipient.Party == req.Recipient.Party) &&
				(g.Case == "" || g.Case == c.ID) && g.Purpose == req.Purpose
		}) {
		t.Fatalf("O10: the employer received data of a %s case without the employee's written approval: %v", c.Kind, d)
	}
	if d.Basis == privacy.BasisNone {
		switch req.Recipient.Kind {
		case privacy.PartyEmployer:
			if c.Contract.PartyKind != privacy.PartyEmployer || req.Recipient.Party != c.Contract.Party {
				t.Fatalf("N2: the advice went to %s, not the case's commissioner %s", req.Recipient.Party, c.Contract.Party)
			}
		case privacy.PartyInsurer:
			if !slices.ContainsFunc(f.Coverage, func(cv consent.Coverage) bool {
				return cv.ID == d.Coverage && cv.Insurer == req.Recipient.Party && cv.Employer == c.Contract.Party &&
					c.Contract.PartyKind == privacy.PartyEmployer && cv.InForce(req.At)
			}) {
				t.Fatalf("O11: the overview went to %s, which the register does not show covering %s (coverage %q)",
					req.Recipient.Party, c.Contract.Party, d.Coverage)
			}
		default:
			t.Fatalf("R6: %s received data without consent or a statute", req.Recipient)
		}
	}
	if req.Recipient.Kind == privacy.PartyThirdParty && d.Basis != privacy.BasisStatute && req.WrittenRequest == "" &&
		slices.Contains(p.Regulations, "O") {
		t.Fatalf("O14: a third party received data on consent without its written request")
	}
	engine := engineFor(t, p)
	for _, it := range req.Items {
		switch {
		case it.Category == privacy.CategoryAbsenceReason:
			t.Fatalf("O9: allowed the absence reason to %s: %v", req.Recipient, d)
		case it.Category == privacy.CategoryNationalID:
			l, ok := p.LegalBasis(d.LegalBasis)
			if d.Basis != privacy.BasisStatute || !ok || !slices.Contains(l.Categories, privacy.CategoryNationalID) {
				t.Fatalf("N5: allowed the BSN on %s %q", d.Basis, d.LegalBasis)
			}
		case it.Category == privacy.CategoryMedical:
			if req.By.Role != privacy.RolePhysician || !req.By.Assigned(c.ID) || req.By.Secrecy != privacy.SecrecyProfessional ||
				!req.By.MultiFactor {
				t.Fatalf("O6, G8, N6: allowed medical data from %s (assigned %t, secrecy %q, second factor %t)",
					req.By.Role, req.By.Assigned(c.ID), req.By.Secrecy, req.By.MultiFactor)
			}
			if k := req.Recipient.Kind; k != privacy.PartyThirdParty && k != privacy.PartyUWV {
				t.Fatalf("O6: allowed medical data to %s", req.Recipient)
			}
		}
		// The discloser may read what it discloses.
		ar := access.Request{Principal: req.By, Case: c, Action: privacy.ActionRead, Category: it.Category,
			Purpose: req.Purpose, Time: req.At}
		if len(it.Fields) == 0 {
			if ad := engine.Decide(ar); !ad.Allowed || ad.Partial {
				t.Fatalf("%s: a %s disclosed %s, which it may not read whole: %v", ad.Rule, req.By.Role, it.Category, ad)
			}
		}
		for _, fl := range it.Fields {
			ar.Field = fl
			if ad := engine.Decide(ar); !ad.Allowed {
				t.Fatalf("%s: a %s disclosed %s.%s, which it may not read: %v", ad.Rule, req.By.Role, it.Category, fl, ad)
			}
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

// engines holds the access engines checkFloors asks, one per policy
// name: compiling a policy for every decision would dominate the tests.
var engines sync.Map

func engineFor(t *testing.T, p *privacy.Policy) *access.Engine {
	t.Helper()
	if e, ok := engines.Load(p.Name); ok {
		return e.(*access.Engine)
	}
	e, err := access.NewEngine(p)
	if err != nil {
		t.Fatal(err)
	}
	engines.Store(p.Name, e)
	return e
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
		for i := range 12000 {
			var grants []consent.Grant
			for j := range g.r.IntN(12) {
				grants = append(grants, g.grant(j, false))
			}
			req := g.requestNear(i, grants)
			f := g.facts(&req, grants)
			dec := d.Decide(&req, f)
			checkFloors(t, p, &req, f, dec)
			if dec.Allowed {
				allowed++
			}
		}
		// Most draws break one rule or another (the case, the discloser,
		// the coverage, the grants): a hundred allowed ones still walk
		// every kind of allowance.
		if allowed < 100 {
			t.Errorf("%s: only %d of 12000 random requests allowed: the generator explores too little", p.Name, allowed)
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
	for i := range 12000 {
		var grants []consent.Grant
		for j := range 1 + g.r.IntN(8) {
			gr := g.grant(j, false)
			if g.r.IntN(2) == 0 {
				gr.Categories = append(gr.Categories, privacy.CategoryMedical)
			}
			grants = append(grants, gr)
		}
		req := g.requestNear(i, grants)
		if g.r.IntN(3) > 0 {
			req.By = physician
		}
		req.Items = []consent.Item{{Category: privacy.CategoryMedical}}
		if req.Basis != "" && g.r.IntN(2) == 0 {
			req.Basis = ""
		}
		f := g.facts(&req, grants)
		dec := d.Decide(&req, f)
		checkFloors(t, p, &req, f, dec)
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
		seedAnna(t, store, p)
		// The case file's own writes are audited too; count from after them.
		seeded := 0
		for _, err := range store.Events(ctx, 1) {
			if err != nil {
				t.Fatal(err)
			}
			seeded++
		}
		reg, err := consent.New(store, p, nil)
		if err != nil {
			t.Fatal(err)
		}
		g := newGen(7 + uint64(len(p.Name)))
		for j := range 30 {
			gr := g.grantAt(j, t0.Add(time.Duration(g.r.IntN(5*24*60))*time.Minute))
			if _, err := reg.AddGrant(ctx, caseManager, gr, gr.Given); err != nil {
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
		for i := range 6000 {
			// The service's clock: two minutes a step, eight days in all.
			now := t0.Add(time.Duration(i) * 2 * time.Minute)
			if i%200 == 199 {
				id := consent.GrantID(fmt.Sprintf("g-%d", g.r.IntN(30)))
				_, err := reg.Revoke(ctx, caseManager, id, now)
				if err != nil && !errors.Is(err, privacy.ErrConflict) && !errors.Is(err, privacy.ErrInvalid) {
					t.Fatalf("Revoke: %v", err)
				}
				if err == nil {
					wantEvents++
				}
			}
			req := g.requestNear(i, grants)
			// Now, or up to two hours back: a back-dated request meets a
			// revocation recorded since (R6).
			req.At = now.Add(-time.Duration(g.r.IntN(120)) * time.Minute)
			if p, ok := casePurpose[req.Case]; ok && g.r.IntN(3) > 0 {
				req.Purpose = p // mostly for the case's own purpose (R5)
			}
			dec, err := reg.Disclose(ctx, req)
			switch {
			case err == nil:
				wantEvents += len(req.Items)
			case errors.Is(err, privacy.ErrForbidden):
				wantEvents++
			case errors.Is(err, privacy.ErrNotFound) && hiddenCase(err):
				wantEvents++ // no such case, or a hidden one: one denied event
				continue
			case errors.Is(err, privacy.ErrInvalid), errors.Is(err, privacy.ErrNotFound):
				continue // a malformed draw, or one naming no such record: nothing decided, nothing recorded
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
		// Most draws break a rule (the case, the discloser, the grants):
		// forty allowed ones still walk every kind of allowance.
		if allowed < 40 || allowed == len(decided) {
			t.Errorf("%s: %d of %d allowed: the generator explores too little", p.Name, allowed, len(decided))
		}
		n := 0
		for _, err := range store.Events(ctx, 1) {
			if err != nil {
				t.Fatal(err)
			}
			n++
		}
		if n-seeded != wantEvents {
			t.Errorf("G7: %d audit events, want %d", n-seeded, wantEvents)
		}
	}
}

// hiddenCase reports whether err answers a request whose case does not
// exist or is hidden from the discloser.
func hiddenCase(err error) bool {
	var e *privacy.Error
	return errors.As(err, &e) && e.Path == "case"
}

// TestPropertyNoDisclosureAfterRevocation: random grants, revocations and
// disclosures in random time order; afterwards no logged disclosure rests
// on a grant that was not in force at its time — in particular none at or
// after the grant's revocation.
func TestPropertyNoDisclosureAfterRevocation(t *testing.T) {
	ctx := context.Background()
	store := memstore.New()
	seedAnna(t, store, privacy.RegulationR())
	reg, err := consent.New(store, privacy.RegulationR(), nil)
	if err != nil {
		t.Fatal(err)
	}
	g := newGen(11)
	nGrants, revocations := 0, 0
	refusedBackdated := 0
	for i := range 3000 {
		// The service's clock: four minutes a step; grants are recorded
		// when given (up to an hour after), revocations as they come in,
		// and disclosures dated now or up to an hour and a half back.
		now := t0.Add(time.Duration(i) * 4 * time.Minute)
		back := func(max int) time.Time { return now.Add(-time.Duration(g.r.IntN(max)) * time.Minute) }
		switch g.r.IntN(10) {
		case 0:
			gr := g.grantAt(nGrants, back(60))
			if _, err := reg.AddGrant(ctx, caseManager, gr, now); err != nil {
				t.Fatalf("AddGrant: %v", err)
			}
			nGrants++
		case 1:
			if nGrants == 0 {
				continue
			}
			id := consent.GrantID(fmt.Sprintf("g-%d", g.r.IntN(nGrants)))
			if _, err := reg.Revoke(ctx, caseManager, id, now); err == nil {
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
			req.At = back(90)
			if _, err := reg.Disclose(ctx, req); privacy.RuleOf(err) == privacy.R6 {
				refusedBackdated++
			}
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
	if revocations < 10 || resting < 10 || refusedBackdated < 10 {
		t.Errorf("%d revocations, %d disclosures on revoked grants, %d refused by R6: the property was barely exercised",
			revocations, resting, refusedBackdated)
	}
}
