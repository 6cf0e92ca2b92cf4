package dossierwacht_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/dossierwacht/dossierwacht"
	"github.com/dossierwacht/dossierwacht/access"
	"github.com/dossierwacht/dossierwacht/consent"
	"github.com/dossierwacht/dossierwacht/export"
	"github.com/dossierwacht/dossierwacht/memstore"
	"github.com/dossierwacht/dossierwacht/privacy"
)

// The property test of the front door (issue 12, Proof): for random
// actors — every role, assigned or not, bound to secrecy or not, signed in
// with one factor or two, acting for this employer or another — and random
// views, listings, disclosures and exports of a service that holds every
// kind of case and every category of data, no answer ever gives
//   - medical data to anyone but the physician assigned to the case, bound
//     to medical secrecy and signed in with a second factor (O6, G8, N6);
//   - the absence reason to anyone outside the service (O9);
//   - an insurer more than N3's maximum, or anything of an employer it does
//     not cover (N3, O11);
//   - the BSN to an outside party, or out of the service but on a statute
//     of N5 (N5);
//   - an employer any sign of a consultation-hour or periodic-examination
//     case its employee did not consent to it knowing of (O10), or any case
//     of another employer (O2);
//   - a subject another subject's data (R11, O13).

// propWorld is the service the property test plays against.
type propWorld struct {
	svc   *dossierwacht.Service
	now   time.Time
	cases map[privacy.CaseID]privacy.Case
}

var (
	propEmployers = []privacy.PartyID{"employer-a", "employer-b"}
	propSubjects  = []privacy.SubjectID{"s-a1", "s-a2", "s-b1"}
	propPurposes  = map[privacy.CaseKind]privacy.Purpose{
		privacy.CaseAbsence: privacy.PurposeAbsenceGuidance, privacy.CasePreventive: privacy.PurposePrevention,
		privacy.CaseReintegration: privacy.PurposeReintegration, privacy.CaseConsultation: privacy.PurposePrevention,
		privacy.CasePeriodicExam: privacy.PurposePrevention,
	}
)

func employerOf(s privacy.SubjectID) privacy.PartyID {
	if s == "s-b1" {
		return "employer-b"
	}
	return "employer-a"
}

func propCaseID(s privacy.SubjectID, k privacy.CaseKind) privacy.CaseID {
	return privacy.CaseID(fmt.Sprintf("%s-%s", s, k))
}

// newPropWorld fills a service: each subject a case of each kind, each
// case a record of each category its kind may hold, written by the staff
// who may; s-a1 consented in writing to employer-a knowing of her
// consultation-hour visit; insurer-x covers employer-a.
func newPropWorld(t testing.TB) *propWorld {
	t.Helper()
	ctx := context.Background()
	w := &propWorld{now: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC), cases: map[privacy.CaseID]privacy.Case{}}
	var err error
	w.svc, err = dossierwacht.Open(ctx, memstore.New(), privacy.Strict(), &dossierwacht.Options{Clock: func() time.Time { return w.now }})
	if err != nil {
		t.Fatal(err)
	}
	var all []privacy.CaseID
	for _, s := range propSubjects {
		for _, k := range privacy.CaseKinds() {
			all = append(all, propCaseID(s, k))
		}
	}
	cm := dossierwacht.NewActor(privacy.Principal{ID: "cm", Role: privacy.RoleCaseManager, Party: "service",
		Secrecy: privacy.SecrecyAgreement}, all, nil)
	doc := dossierwacht.NewActor(privacy.Principal{ID: "doc", Role: privacy.RolePhysician, Party: "service",
		Secrecy: privacy.SecrecyProfessional, MultiFactor: true}, all, nil)
	for _, s := range propSubjects {
		must(t, w.svc.RegisterSubject(ctx, cm, privacy.Subject{ID: s, Employer: employerOf(s)}))
		for _, k := range privacy.CaseKinds() {
			c := privacy.Case{ID: propCaseID(s, k), Subject: s, Kind: k, Purpose: propPurposes[k],
				Contract: privacy.Contract{ID: privacy.ContractID("contract-" + employerOf(s)), Party: employerOf(s),
					PartyKind: privacy.PartyEmployer, Start: w.now.AddDate(-1, 0, 0)}}
			must(t, w.svc.OpenCase(ctx, cm, c))
			c.Opened = w.now
			w.cases[c.ID] = c
			for i, cat := range privacy.Categories() {
				info, _ := cat.Info()
				r := privacy.Record{ID: privacy.RecordID(fmt.Sprintf("%s-r%d", c.ID, i)), Case: c.ID, Subject: s, Category: cat,
					Source: privacy.Source{Kind: privacy.PartyService}, Fields: map[privacy.Field]string{}}
				for _, f := range info.Fields {
					r.Fields[f] = "v-" + string(f)
				}
				if cat == privacy.CategoryNationalID {
					r.Basis = "arbowet-14"
				}
				by := cm
				if cat.Medical() || cat == privacy.CategoryConsultation {
					by = doc
				}
				// Not every category fits every kind of case: what the
				// case file refuses is simply not there.
				_ = w.svc.AddRecords(ctx, by, r)
			}
		}
	}
	w.now = w.now.Add(time.Hour)
	anna := dossierwacht.NewActor(privacy.Principal{ID: "s-a1", Role: privacy.RoleSubject, Subject: "s-a1"}, nil, nil)
	_, err = w.svc.GrantConsent(ctx, anna, consent.Grant{ID: "g-visit", Subject: "s-a1",
		Recipient:  consent.Recipient{Party: "employer-a", Kind: privacy.PartyEmployer},
		Categories: []privacy.Category{privacy.CategoryConsultation}, Purpose: privacy.PurposePrevention,
		Case: propCaseID("s-a1", privacy.CaseConsultation), Form: consent.FormWritten, Document: "letter"})
	must(t, err)
	_, err = w.svc.RecordCoverage(ctx, cm, consent.Coverage{ID: "cov-x", Insurer: "insurer-x", Employer: "employer-a", From: w.now.AddDate(0, -1, 0)})
	must(t, err)
	return w
}

// consented reports whether the employer party may know of case c (O10).
func (w *propWorld) consented(c privacy.Case, party privacy.PartyID) bool {
	return c.ID == propCaseID("s-a1", privacy.CaseConsultation) && party == "employer-a"
}

// randomActor draws an actor of any role, with random facts.
func randomActor(r *rand.Rand, w *propWorld) *dossierwacht.Actor {
	roles := privacy.Roles()
	p := privacy.Principal{ID: privacy.PrincipalID(fmt.Sprintf("p-%d", r.IntN(1000))), Role: roles[r.IntN(len(roles))]}
	switch p.Role {
	case privacy.RoleEmployerContact:
		p.Party = propEmployers[r.IntN(2)]
	case privacy.RoleInsurer:
		p.Party = []privacy.PartyID{"insurer-x", "insurer-y"}[r.IntN(2)]
	case privacy.RoleSubject:
		p.Subject = propSubjects[r.IntN(len(propSubjects))]
		p.ID = privacy.PrincipalID(p.Subject)
	default:
		p.Party = "service"
	}
	p.Secrecy = []privacy.SecrecyBasis{privacy.SecrecyNone, privacy.SecrecyAgreement, privacy.SecrecyProfessional}[r.IntN(3)]
	p.MultiFactor = r.IntN(2) == 0
	var cases []privacy.CaseID
	for id := range w.cases {
		if r.IntN(3) == 0 {
			cases = append(cases, id)
		}
	}
	var employers []privacy.PartyID
	for _, e := range propEmployers {
		if r.IntN(2) == 0 {
			employers = append(employers, e)
		}
	}
	return dossierwacht.NewActor(p, cases, employers)
}

// mayReadMedical is the floor of a medical read (O6, G8, N6).
func mayReadMedical(a *dossierwacht.Actor, c privacy.CaseID) bool {
	return a.Role == privacy.RolePhysician && a.Assigned(c) && a.Secrecy == privacy.SecrecyProfessional && a.MultiFactor
}

// checkRecords checks what a received of case c against the floors.
func checkRecords(t *testing.T, w *propWorld, what string, a *dossierwacht.Actor, c privacy.Case, recs []access.RecordView) {
	t.Helper()
	outside := !a.Role.Staff() && a.Role != privacy.RoleSubject
	insurerMax := privacy.InsurerMaximum()
	for _, r := range recs {
		switch {
		case r.Category == privacy.CategoryMedical && !mayReadMedical(a, c.ID):
			t.Errorf("O6, G8, N6: %s gave %s (%s, %s, mfa %t) the medical record %s", what, a.ID, a.Role, a.Secrecy, a.MultiFactor, r.ID)
		case r.Category == privacy.CategoryAbsenceReason && outside:
			t.Errorf("O9: %s gave %s (%s) the absence reason", what, a.ID, a.Role)
		case r.Category == privacy.CategoryNationalID && outside:
			t.Errorf("N5: %s gave %s (%s) the BSN", what, a.ID, a.Role)
		}
		if a.Role == privacy.RoleInsurer {
			for _, f := range r.Fields {
				if !slices.Contains(insurerMax[r.Category], f.Field) {
					t.Errorf("N3: %s gave insurer %s the field %s of %s", what, a.ID, f.Field, r.Category)
				}
			}
		}
	}
	switch a.Role {
	case privacy.RoleSubject:
		if c.Subject != a.Subject {
			t.Errorf("R11, O13: %s gave subject %s the case %s of %s", what, a.Subject, c.ID, c.Subject)
		}
	case privacy.RoleEmployerContact:
		if !a.ActsFor(c.Contract.Party) {
			t.Errorf("O2: %s gave %s of %s the case %s of %s", what, a.ID, a.Party, c.ID, c.Contract.Party)
		}
		if c.Kind.Confidential() && !w.consented(c, c.Contract.Party) {
			t.Errorf("O10: %s told employer %s of the %s case %s", what, a.Party, c.Kind, c.ID)
		}
	case privacy.RoleInsurer:
		// The coverage register, not the actor, says whom an insurer
		// covers: insurer-x covers employer-a, nobody else anyone.
		if a.Party != "insurer-x" || c.Contract.Party != "employer-a" {
			t.Errorf("O11: %s gave insurer %s the case %s of %s, an employer it does not cover", what, a.Party, c.ID, c.Contract.Party)
		}
	}
}

func TestPropertyFrontDoorNeverLeaks(t *testing.T) {
	w := newPropWorld(t)
	ctx := context.Background()
	r := rand.New(rand.NewPCG(12, 2026))
	ids := make([]privacy.CaseID, 0, len(w.cases))
	for id := range w.cases {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	var views, lists, disclosures, exports int
	for i := range 4000 {
		w.now = w.now.Add(time.Minute)
		a := randomActor(r, w)
		c := w.cases[ids[r.IntN(len(ids))]]
		switch r.IntN(4) {
		case 0:
			purpose := c.Purpose
			if r.IntN(5) == 0 {
				purpose = privacy.PurposeReintegration
			}
			v, err := w.svc.View(ctx, a, c.ID, purpose)
			if err != nil {
				continue
			}
			views++
			checkRecords(t, w, "a view", a, c, v.Records)
		case 1:
			list, err := w.svc.Cases(ctx, a, c.Subject)
			if err != nil {
				continue
			}
			lists++
			for _, lc := range list {
				checkRecords(t, w, "a listing", a, lc, nil)
			}
		case 2:
			cats := privacy.Categories()
			it := consent.Item{Category: cats[r.IntN(len(cats))]}
			kinds := []privacy.PartyKind{privacy.PartyEmployer, privacy.PartyInsurer, privacy.PartyUWV, privacy.PartyThirdParty,
				privacy.PartyReintegrationCompany}
			rk := kinds[r.IntN(len(kinds))]
			party := map[privacy.PartyKind]privacy.PartyID{privacy.PartyEmployer: propEmployers[r.IntN(2)],
				privacy.PartyInsurer: "insurer-x", privacy.PartyUWV: "uwv", privacy.PartyThirdParty: "lawyer",
				privacy.PartyReintegrationCompany: "rex"}[rk]
			req := consent.Request{ID: consent.DisclosureID(fmt.Sprintf("d-%d", i)), Subject: c.Subject, Case: c.ID,
				Recipient: consent.Recipient{Party: party, Kind: rk}, Items: []consent.Item{it}, Purpose: c.Purpose,
				WrittenRequest: "letter"}
			if r.IntN(3) == 0 {
				req.Basis = []privacy.LegalBasisID{"suwi-54-3c", "bw-7-658a-5", "arbowet-14"}[r.IntN(3)]
			}
			if r.IntN(2) == 0 {
				// Half the draws from staff who may read the case, to the
				// recipients the rules know (N10, N2, O11): so that many
				// are allowed, and what is allowed is checked.
				role, secrecy := privacy.RoleCaseManager, privacy.SecrecyAgreement
				if r.IntN(2) == 0 {
					role, secrecy = privacy.RolePhysician, privacy.SecrecyProfessional
				}
				a = dossierwacht.NewActor(privacy.Principal{ID: "staff", Role: role, Party: "service", Secrecy: secrecy,
					MultiFactor: r.IntN(4) > 0}, []privacy.CaseID{c.ID}, nil)
				switch r.IntN(3) {
				case 0:
					req.Recipient, req.Basis = consent.Recipient{Party: "uwv", Kind: privacy.PartyUWV}, "suwi-54-3c"
				case 1:
					req.Recipient, req.Basis = consent.Recipient{Party: c.Contract.Party, Kind: privacy.PartyEmployer}, ""
					req.Items = []consent.Item{{Category: privacy.CategoryWorkCapacity}}
				default:
					req.Recipient, req.Basis = consent.Recipient{Party: "insurer-x", Kind: privacy.PartyInsurer}, ""
					req.Items = []consent.Item{{Category: privacy.CategoryAbsenceFacts}}
				}
				rk, party = req.Recipient.Kind, req.Recipient.Party
			}
			d, err := w.svc.Disclose(ctx, a, req)
			if err != nil || !d.Allowed {
				continue
			}
			disclosures++
			// The recipient's view: what it receives is held to the
			// floors of an outside party, the discloser's to those of a
			// read.
			checkRecords(t, w, "a disclosure (discloser)", a, c, d.Records)
			for _, rec := range d.Records {
				switch {
				case rec.Category == privacy.CategoryAbsenceReason:
					t.Errorf("O9: the absence reason left the service to %s", rk)
				case rec.Category == privacy.CategoryNationalID && req.Basis == "":
					t.Errorf("N5: the BSN left on consent to %s", rk)
				case rec.Category == privacy.CategoryMedical && a.Role != privacy.RolePhysician:
					t.Errorf("O6: a %s disclosed medical data", a.Role)
				}
				if rk == privacy.PartyInsurer {
					for _, f := range rec.Fields {
						if !slices.Contains(privacy.InsurerMaximum()[rec.Category], f.Field) {
							t.Errorf("N3: the insurer received the field %s of %s", f.Field, rec.Category)
						}
					}
				}
			}
			if rk == privacy.PartyEmployer && c.Kind.Confidential() && !w.consented(c, party) {
				t.Errorf("O10: employer %s was told of the %s case %s", party, c.Kind, c.ID)
			}
		case 3:
			var buf bytes.Buffer
			_, err := w.svc.Export(ctx, a, c.Subject, &buf, nil)
			if err != nil {
				if !errors.Is(err, privacy.ErrNotFound) && !errors.Is(err, privacy.ErrForbidden) && !errors.Is(err, privacy.ErrInvalid) {
					t.Errorf("Export by %s: %v", a.Role, err)
				}
				continue
			}
			exports++
			if a.Role != privacy.RoleSubject || a.Subject != c.Subject {
				t.Errorf("R11, O13: %s (%s) received the export of %s", a.ID, a.Role, c.Subject)
			}
			x, err := export.Decode(&buf)
			if err != nil {
				t.Fatalf("the export does not decode: %v", err)
			}
			for _, xc := range x.Cases {
				for _, rec := range xc.Records {
					if rec.Category == privacy.CategoryMedical && len(rec.Fields) > 0 {
						t.Errorf("O6, O13: the export gave the subject medical content without a physician's release")
					}
				}
			}
		}
	}
	// The draws must reach every kind of answer, or the property says
	// nothing.
	if views < 100 || lists < 100 || disclosures < 10 || exports < 10 {
		t.Errorf("the draws allowed too little to test: %d views, %d listings, %d disclosures, %d exports", views, lists, disclosures, exports)
	}
	t.Logf("allowed: %d views, %d listings, %d disclosures, %d exports", views, lists, disclosures, exports)
}
