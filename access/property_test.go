package access_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/dossierwacht/dossierwacht/access"
	"github.com/dossierwacht/dossierwacht/memstore"
	"github.com/dossierwacht/dossierwacht/privacy"
)

// world is a random population: cases of a few employers and
// municipalities, principals of every role with random facts, records of
// every category.
type world struct {
	cases      []privacy.Case
	principals []*access.Principal
	records    map[privacy.CaseID][2][]privacy.Record // ordinary, medical
	consent    map[privacy.CaseID]bool
}

var (
	parties  = []privacy.PartyID{"employer-1", "employer-2", "employer-3", "city-1"}
	purposes = []privacy.Purpose{privacy.PurposeAbsenceGuidance, privacy.PurposePrevention, privacy.PurposeReintegration}
)

func pick[T any](rng *rand.Rand, xs []T) T { return xs[rng.IntN(len(xs))] }

func randomWorld(rng *rand.Rand) *world {
	w := &world{records: map[privacy.CaseID][2][]privacy.Record{}, consent: map[privacy.CaseID]bool{}}
	for i := range 12 {
		party := pick(rng, parties)
		kind := privacy.PartyEmployer
		if party == "city-1" {
			kind = privacy.PartyMunicipality
		}
		start := now.AddDate(-2+rng.IntN(3), 0, 0)
		c := privacy.Contract{ID: privacy.ContractID("k-" + string(party)), Party: party, PartyKind: kind, Start: start}
		if rng.IntN(4) == 0 {
			c.End = start.AddDate(1, 0, 0)
		}
		cs, err := privacy.NewCase(privacy.CaseID(fmt.Sprintf("c-%02d", i)), privacy.SubjectID(fmt.Sprintf("s-%d", rng.IntN(5))),
			pick(rng, privacy.CaseKinds()), pick(rng, purposes), c, start.Add(time.Hour))
		if err != nil {
			panic(err)
		}
		w.cases = append(w.cases, cs)
		w.consent[cs.ID] = rng.IntN(3) == 0
		var files [2][]privacy.Record
		for j := range 1 + rng.IntN(20) {
			cat := pick(rng, privacy.Categories())
			info, _ := cat.Info()
			fields := map[privacy.Field]string{}
			for _, f := range info.Fields {
				if rng.IntN(2) == 0 || len(fields) == 0 {
					fields[f] = "v"
				}
			}
			r := record(privacy.RecordID(fmt.Sprintf("%s-r%02d", cs.ID, j)), &cs, cat, fields)
			if cat.Medical() {
				files[1] = append(files[1], r)
			} else {
				files[0] = append(files[0], r)
			}
		}
		w.records[cs.ID] = files
	}
	for i := range 30 {
		p := privacy.Principal{ID: privacy.PrincipalID(fmt.Sprintf("p-%02d", i)), Role: pick(rng, privacy.Roles()),
			Party:       pick(rng, append(slices.Clone(parties), "service", "insurer-1")),
			Secrecy:     pick(rng, []privacy.SecrecyBasis{privacy.SecrecyNone, privacy.SecrecyAgreement, privacy.SecrecyProfessional}),
			MultiFactor: rng.IntN(2) == 0, Contractor: rng.IntN(5) == 0, Subject: privacy.SubjectID(fmt.Sprintf("s-%d", rng.IntN(5)))}
		if p.Contractor && rng.IntN(2) == 0 {
			p.Agreement = "agreement-1"
		}
		var cases []privacy.CaseID
		for _, c := range w.cases {
			if rng.IntN(2) == 0 {
				cases = append(cases, c.ID)
			}
		}
		var employers []privacy.PartyID
		for _, party := range parties {
			if rng.IntN(2) == 0 {
				employers = append(employers, party)
			}
		}
		w.principals = append(w.principals, access.NewPrincipal(p, cases, employers))
	}
	return w
}

// authorisedPhysician reports whether p may ever see c's medical file.
func authorisedPhysician(p *access.Principal, c privacy.Case) bool {
	return p.Role == privacy.RolePhysician && p.Secrecy == privacy.SecrecyProfessional && p.MultiFactor &&
		p.Assigned(c.ID) && (!p.Contractor || p.Agreement != "")
}

func policies() []*privacy.Policy {
	return []*privacy.Policy{privacy.Strict(), privacy.RegulationO(), privacy.RegulationR()}
}

// TestViewProperties checks, over random worlds, under every ready
// policy: no view for anyone but an assigned, authorised physician holds a
// medical record (O6, G8, N6); no view for an outside party holds the
// absence reason (O9); an insurer view holds nothing beyond the O11
// overview (O11, N3); an employer listing never shows a consultation or
// periodic-exam case without consent (O10); and the view agrees with
// Decide, field by field.
func TestViewProperties(t *testing.T) {
	overview := privacy.InsurerOverview()
	for _, pol := range policies() {
		e := engineFor(t, pol)
		rng := rand.New(rand.NewPCG(2026, uint64(len(pol.Name))))
		for round := range 40 {
			w := randomWorld(rng)
			for _, p := range w.principals {
				listed := e.List(access.ListRequest{Principal: p, Time: now, Consent: access.ConsentFunc(func(c privacy.Case, party privacy.PartyID) bool {
					return w.consent[c.ID]
				})}, w.cases)
				for _, c := range listed {
					if p.Role == privacy.RoleEmployerContact && c.Kind.Confidential() && !w.consent[c.ID] {
						t.Fatalf("%s round %d: O10: employer %s lists %s case %s without consent", pol.Name, round, p.ID, c.Kind, c.ID)
					}
				}
				for _, c := range w.cases {
					r := access.Request{Principal: p, Case: &c, Purpose: c.Purpose, Time: now, Consent: access.ConsentIf(w.consent[c.ID])}
					if rng.IntN(8) == 0 {
						r.Purpose = pick(rng, purposes)
					}
					files := w.records[c.ID]
					v, err := e.View(r, files[0], files[1])
					if err != nil {
						if slices.ContainsFunc(listed, func(l privacy.Case) bool { return l.ID == c.ID }) && r.Purpose == c.Purpose {
							t.Fatalf("%s: %s lists %s but cannot view it: %v", pol.Name, p.ID, c.ID, err)
						}
						continue
					}
					for _, rv := range v.Records {
						if rv.Category == privacy.CategoryMedical && !authorisedPhysician(p, c) {
							t.Fatalf("%s round %d: O6: %s (%s) sees medical record %s", pol.Name, round, p.ID, p.Role, rv.ID)
						}
						if rv.Category == privacy.CategoryAbsenceReason && (p.Role == privacy.RoleEmployerContact || p.Role == privacy.RoleInsurer) {
							t.Fatalf("%s round %d: O9: %s (%s) sees the absence reason", pol.Name, round, p.ID, p.Role)
						}
						if p.Role == privacy.RoleAdministrator {
							t.Fatalf("%s: R12: the administrator sees %s", pol.Name, rv.ID)
						}
						for _, f := range rv.Fields {
							if p.Role == privacy.RoleInsurer && !slices.Contains(overview[rv.Category], f.Field) {
								t.Fatalf("%s round %d: O11: insurer %s sees %s.%s", pol.Name, round, p.ID, rv.Category, f.Field)
							}
							fr := r
							fr.Action, fr.Category, fr.Field = privacy.ActionRead, rv.Category, f.Field
							if d := e.Decide(fr); !d.Allowed {
								t.Fatalf("%s: the view shows %s.%s that Decide denies: %v", pol.Name, rv.Category, f.Field, d)
							}
						}
					}
					// And nothing Decide allows is missing.
					shown := map[privacy.RecordID]int{}
					for _, rv := range v.Records {
						shown[rv.ID] = len(rv.Fields)
					}
					for _, rec := range slices.Concat(files[0], files[1]) {
						n := 0
						for f := range rec.Fields {
							fr := r
							fr.Action, fr.Category, fr.Field = privacy.ActionRead, rec.Category, f
							if e.Decide(fr).Allowed {
								n++
							}
						}
						if shown[rec.ID] != n {
							t.Fatalf("%s: record %s: the view shows %d fields, Decide allows %d", pol.Name, rec.ID, shown[rec.ID], n)
						}
					}
				}
			}
		}
	}
}

// TestDecideProperties checks, over random requests: a decision is the
// same on the same input; a denial names a rule and the policy version;
// a special category is always refused; the floors hold whatever the
// request (O6, O9, R12, N1, N3, O7).
func TestDecideProperties(t *testing.T) {
	for _, pol := range policies() {
		e := engineFor(t, pol)
		rng := rand.New(rand.NewPCG(7, uint64(len(pol.Name))))
		for range 20 {
			w := randomWorld(rng)
			for range 2000 {
				p, c := pick(rng, w.principals), pick(rng, w.cases)
				cat := pick(rng, privacy.Categories())
				info, _ := cat.Info()
				r := access.Request{Principal: p, Case: &c, Action: pick(rng, privacy.Actions()), Category: cat,
					Purpose: c.Purpose, Time: now.AddDate(0, 0, rng.IntN(400)-200), Consent: access.ConsentIf(rng.IntN(2) == 0)}
				if rng.IntN(2) == 0 {
					r.Field = pick(rng, info.Fields)
				}
				d := e.Decide(r)
				if d != e.Decide(r) {
					t.Fatal("Decide is not deterministic")
				}
				if d.Rule == "" || d.Reason == "" || d.Policy != pol.Version {
					t.Fatalf("Decide(%s) = %+v: a decision names its rule, reason and version", describe(r), d)
				}
				if !d.Allowed {
					continue
				}
				switch {
				case cat == privacy.CategoryMedical && !authorisedPhysician(p, c):
					t.Fatalf("%s: O6: Decide(%s) = %v", pol.Name, describe(r), d)
				case cat == privacy.CategoryAbsenceReason && (p.Role == privacy.RoleEmployerContact || p.Role == privacy.RoleInsurer):
					t.Fatalf("%s: O9: Decide(%s) = %v", pol.Name, describe(r), d)
				case p.Role == privacy.RoleAdministrator:
					t.Fatalf("%s: R12: Decide(%s) = %v", pol.Name, describe(r), d)
				case p.Contractor && p.Agreement == "":
					t.Fatalf("%s: O7: Decide(%s) = %v", pol.Name, describe(r), d)
				case !c.Contract.Covers(r.Time) && p.Role != privacy.RoleSubject:
					t.Fatalf("%s: O2: Decide(%s) = %v", pol.Name, describe(r), d)
				case p.Role == privacy.RoleEmployerContact && r.Action == privacy.ActionWrite && cat == privacy.CategoryAbsenceFacts &&
					(r.Field == "" || !slices.Contains(privacy.SickReportFields(), r.Field)):
					t.Fatalf("%s: N1: Decide(%s) = %v", pol.Name, describe(r), d)
				case p.Role == privacy.RoleInsurer && (r.Action != privacy.ActionRead ||
					(r.Field != "" && !slices.Contains(privacy.InsurerMaximum()[cat], r.Field))):
					t.Fatalf("%s: N3: Decide(%s) = %v", pol.Name, describe(r), d)
				case p.Role == privacy.RoleEmployerContact && c.Kind.Confidential() && r.Consent == nil:
					t.Fatalf("%s: O10: Decide(%s) = %v", pol.Name, describe(r), d)
				}
			}
		}
	}
}

// TestEveryDecisionAudited runs random requests, views and listings
// through a Guard on the memory store and checks that the audit trail
// holds one event per decision, with its outcome and rule, and verifies.
func TestEveryDecisionAudited(t *testing.T) {
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(9, 9))
	store := memstore.New()
	g, err := access.New(store, nil, &access.Options{Policy: privacy.Strict()})
	if err != nil {
		t.Fatal(err)
	}
	e := g.Engine()
	var want []access.Decision
	for range 10 {
		w := randomWorld(rng)
		var batch []access.Request
		for range 300 {
			p, c := pick(rng, w.principals), pick(rng, w.cases)
			cat := pick(rng, privacy.Categories())
			if rng.IntN(50) == 0 {
				cat = privacy.CategoryReligion // denied and audited (O5)
			}
			batch = append(batch, access.Request{Principal: p, Case: &c, Action: pick(rng, privacy.Actions()), Category: cat,
				Purpose: c.Purpose, Time: now, Consent: access.ConsentIf(rng.IntN(2) == 0)})
		}
		ds, err := g.CheckAll(ctx, batch)
		if err != nil {
			t.Fatal(err)
		}
		for i := range batch {
			if ds[i] != e.Decide(batch[i]) {
				t.Fatalf("CheckAll and Decide disagree on %s", describe(batch[i]))
			}
		}
		want = append(want, ds...)
		p := pick(rng, w.principals)
		listed, err := g.List(ctx, access.ListRequest{Principal: p, Time: now}, w.cases)
		if err != nil {
			t.Fatal(err)
		}
		want = append(want, access.Decision{Allowed: true, Rule: privacy.N9, Policy: "1.0.0"})
		for _, c := range w.cases {
			d := e.Visible(access.Request{Principal: p, Case: &c, Purpose: c.Purpose, Time: now})
			want = append(want, d)
			if d.Allowed != slices.ContainsFunc(listed, func(l privacy.Case) bool { return l.ID == c.ID }) {
				t.Fatalf("List and Visible disagree on %s", c.ID)
			}
		}
	}
	var got []privacy.Event
	for ev, err := range store.Events(ctx, 1) {
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, ev)
	}
	if len(got) != len(want) {
		t.Fatalf("%d decisions, %d audit events", len(want), len(got))
	}
	for i, d := range want {
		if (got[i].Outcome == privacy.OutcomeAllowed) != d.Allowed || got[i].Rule != d.Rule {
			t.Fatalf("event %d = %s by %s, decision %v", i+1, got[i].Outcome, got[i].Rule, d)
		}
	}
	if _, err := g.Verify(ctx, nil); err != nil {
		t.Fatal(err)
	}
}

// mutatePolicy changes p at random in one of the ways a policy author, or
// an attacker who gets to write the policy, might: a condition dropped or
// added, a role, category, field, case kind or action added or removed, a
// rule added, removed or turned around.
func mutatePolicy(rng *rand.Rand, p *privacy.Policy) {
	if len(p.Access) == 0 || rng.IntN(8) == 0 {
		p.Access = append(p.Access, privacy.AccessRule{Rule: pick(rng, privacy.Rules()).ID, Effect: privacy.Allow,
			Roles: []privacy.Role{pick(rng, privacy.Roles())}, Actions: []privacy.Action{pick(rng, privacy.Actions())},
			Categories: []privacy.Category{pick(rng, privacy.Categories())}, Reason: "mutated"})
		return
	}
	i := rng.IntN(len(p.Access))
	a := &p.Access[i]
	drop := func(n int) int { return rng.IntN(n) }
	switch rng.IntN(12) {
	case 0:
		if len(a.Requires) > 0 {
			j := drop(len(a.Requires))
			a.Requires = slices.Delete(a.Requires, j, j+1)
		}
	case 1:
		a.Requires = append(a.Requires, pick(rng, privacy.Conditions()))
	case 2:
		a.Roles = append(a.Roles, pick(rng, privacy.Roles()))
	case 3:
		if len(a.Roles) > 1 {
			j := drop(len(a.Roles))
			a.Roles = slices.Delete(a.Roles, j, j+1)
		} else {
			a.Roles = []privacy.Role{pick(rng, privacy.Roles())}
		}
	case 4:
		a.Categories = append(a.Categories, pick(rng, privacy.Categories()))
	case 5:
		if len(a.Categories) > 1 {
			j := drop(len(a.Categories))
			a.Categories = slices.Delete(a.Categories, j, j+1)
		}
	case 6:
		if len(a.Fields) > 0 {
			a.Fields = nil // every field of its categories
		} else {
			cat := pick(rng, a.Categories)
			info, _ := cat.Info()
			a.Fields = []privacy.Field{pick(rng, info.Fields)}
		}
	case 7:
		if len(a.CaseKinds) > 0 {
			a.CaseKinds = nil // every kind of case
		} else {
			a.CaseKinds = []privacy.CaseKind{pick(rng, privacy.CaseKinds())}
		}
	case 8:
		a.Actions = append(a.Actions, pick(rng, privacy.Actions()))
	case 9:
		p.Access = slices.Delete(p.Access, i, i+1)
	case 10:
		if a.Effect == privacy.Allow {
			a.Effect = privacy.Deny
		} else {
			a.Effect = privacy.Allow
		}
	case 11:
		b := *a
		b.Roles = []privacy.Role{pick(rng, privacy.Roles())}
		b.Requires = slices.Clone(a.Requires)
		p.Access = append(p.Access, b)
	}
}

// TestPropertyValidatedPoliciesKeepTheFloors is issue 12's proof for the
// access engine: for random policies that Validate accepts (the ready
// policies mutated) and random principals and cases, no view or listing
// ever gives medical data to anyone but an authorised physician (O6, G8,
// N6), the absence reason to anyone outside the service (O9), an insurer
// more than N3 or any case of an employer it does not cover (O11), the
// BSN to an outside party (N5), health data to an employer (N4), an
// employer any sign of a consultation-hour or periodic-exam case without
// consent (O10) or of another employer's case (O2), a subject another
// subject's data (R11, O13), an unassigned case manager or physician any
// content (R7, O4), the administrator or privacy officer anything (R12,
// R8).
func TestPropertyValidatedPoliciesKeepTheFloors(t *testing.T) {
	rng := rand.New(rand.NewPCG(12, 2026))
	accepted, mutated, tried := 0, 0, 0
	for accepted < 120 {
		tried++
		if tried > 200000 {
			t.Fatalf("only %d of %d mutated policies validate", accepted, tried)
		}
		p := pick(rng, policies()).Clone()
		n := 1 + rng.IntN(4)
		for range n {
			mutatePolicy(rng, p)
		}
		if p.Validate() != nil {
			continue
		}
		accepted++
		if !reflect.DeepEqual(p.Access, privacyPolicyNamed(p.Name).Access) {
			mutated++
		}
		e := engineFor(t, p)
		w := randomWorld(rng)
		consented := access.ConsentFunc(func(c privacy.Case, party privacy.PartyID) bool { return w.consent[c.ID] })
		for _, pr := range w.principals {
			listed := e.List(access.ListRequest{Principal: pr, Time: now, Consent: consented}, w.cases)
			for _, c := range listed {
				if why := hidden(pr, c, w.consent[c.ID]); why != "" {
					t.Fatalf("policy %d (%s, %d mutations): %s lists case %s: %s", accepted, p.Name, n, pr.ID, c.ID, why)
				}
			}
			for _, c := range w.cases {
				files := w.records[c.ID]
				v, err := e.View(access.Request{Principal: pr, Case: &c, Purpose: c.Purpose, Time: now, Consent: access.ConsentIf(w.consent[c.ID])}, files[0], files[1])
				if err != nil {
					continue
				}
				if why := hidden(pr, c, w.consent[c.ID]); why != "" {
					t.Fatalf("policy %d (%s, %d mutations): %s views case %s: %s", accepted, p.Name, n, pr.ID, c.ID, why)
				}
				for _, rv := range v.Records {
					if why := withheld(pr, c, rv, w.consent[c.ID]); why != "" {
						t.Fatalf("policy %d (%s, %d mutations): %s sees %s of case %s: %s", accepted, p.Name, n, pr.ID, rv.ID, c.ID, why)
					}
				}
			}
		}
	}
	if mutated < accepted/3 {
		t.Fatalf("only %d of %d accepted policies differ from the ready ones", mutated, accepted)
	}
	t.Logf("%d policies accepted of %d tried, %d of them mutated", accepted, tried, mutated)
}

func privacyPolicyNamed(name string) *privacy.Policy {
	for _, p := range policies() {
		if p.Name == name {
			return p
		}
	}
	return nil
}

// hidden says why principal p may not know of case c at all, or "".
func hidden(p *access.Principal, c privacy.Case, consent bool) string {
	switch p.Role {
	case privacy.RoleAdministrator:
		return "R12: the administrator sees no case"
	case privacy.RolePrivacyOfficer:
		return "R8: the privacy officer sees no case"
	case privacy.RoleSubject:
		if p.Subject != c.Subject {
			return "R11/O13: another subject's case"
		}
	case privacy.RoleEmployerContact:
		if c.Kind.Confidential() && !consent {
			return "O10: a consultation-hour or periodic-exam case without consent"
		}
		if !p.ActsFor(c.Contract.Party) {
			return "O2: another employer's case"
		}
	case privacy.RoleInsurer:
		if c.Contract.PartyKind != privacy.PartyEmployer || !p.Covers(c.Contract.Party) {
			return "O11: an employer the insurer does not cover"
		}
	case privacy.RoleCaseManager, privacy.RolePhysician:
		if !p.Assigned(c.ID) {
			return "R7/O4: not assigned to the case"
		}
	}
	if p.Contractor && p.Agreement == "" {
		return "O7: a contractor without its agreement"
	}
	return ""
}

// withheld says why p may not see record rv of case c, or "".
func withheld(p *access.Principal, c privacy.Case, rv access.RecordView, consent bool) string {
	outside := p.Role == privacy.RoleEmployerContact || p.Role == privacy.RoleInsurer
	switch {
	case rv.Category == privacy.CategoryMedical && !authorisedPhysician(p, c):
		return "O6: medical data for someone not an authorised physician"
	case rv.Category == privacy.CategoryAbsenceReason && outside:
		return "O9: the absence reason outside the service"
	case rv.Category == privacy.CategoryNationalID && outside:
		return "N5: the BSN for an outside party"
	case p.Role == privacy.RoleEmployerContact && rv.Category.Health() && rv.Category != privacy.CategoryConsultation:
		return "N4: health data for the employer"
	case p.Role == privacy.RoleEmployerContact && rv.Category == privacy.CategoryConsultation && !consent:
		return "O10: a consultation fact without consent"
	case rv.Category.Health() && p.Role.Staff() && p.Secrecy == privacy.SecrecyNone:
		return "N4: health data for staff not bound to secrecy"
	}
	if p.Role == privacy.RoleInsurer {
		max := privacy.InsurerMaximum()
		for _, f := range rv.Fields {
			if !slices.Contains(max[rv.Category], f.Field) {
				return "N3: " + string(rv.Category) + "." + string(f.Field) + " beyond the insurer maximum"
			}
		}
	}
	return ""
}
