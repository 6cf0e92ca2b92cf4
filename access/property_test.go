package access_test

import (
	"context"
	"fmt"
	"math/rand/v2"
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
					r := access.Request{Principal: p, Case: &c, Purpose: c.Purpose, Time: now, Consent: w.consent[c.ID]}
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
					Purpose: c.Purpose, Time: now.AddDate(0, 0, rng.IntN(400)-200), Consent: rng.IntN(2) == 0}
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
				case p.Role == privacy.RoleEmployerContact && c.Kind.Confidential() && !r.Consent:
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
				Purpose: c.Purpose, Time: now, Consent: rng.IntN(2) == 0})
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
	if _, err := g.Verify(ctx, access.Checkpoint{}); err != nil {
		t.Fatal(err)
	}
}
