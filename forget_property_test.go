package dossierwacht_test

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
	"github.com/dossierwacht/dossierwacht/retention"
	"github.com/dossierwacht/dossierwacht/rights"
)

// The property test of issue 14 §1: nothing about a person outlives its
// retention. For random subjects with random cases of every kind the
// policy opens (some never closed), records of every category, consents (revoked, expiring or
// open-ended), disclosures resting on them, answered requests, granted
// erasure requests and legal holds, under each ready policy:
//   - after a sweep at a time past every applicable period (R9, O12, N7,
//     the fiscal 7 years, the medical file's 20), the store holds nothing
//     about a subject — no master data, case, record, hold, erasure
//     request, consent, disclosure-log entry, request or place in a group
//     history (N12) — except what a
//     standing legal hold keeps (G3, GDPR art. 17(3)), and then each thing
//     kept names the hold and its rule; every deletion left one proof;
//   - after a sweep at a random time, nothing due is left and everything
//     kept names its rule (never "no rule") and, when a statute keeps it,
//     the statute.

type forgetWorld struct {
	ctx     context.Context
	store   *memstore.Store
	d       *privacy.Dossiers
	k       *retention.Keeper
	ids     []privacy.SubjectID
	records map[privacy.SubjectID][]privacy.RecordID
	objects map[privacy.SubjectID]int // grants, disclosures, requests, holds, erasures, cases and the subject
	held    map[privacy.SubjectID]bool
}

var forgetOfficer = privacy.Principal{ID: "officer-1", Role: privacy.RolePrivacyOfficer}

func newForgetWorld(t *testing.T, rng *rand.Rand, p *privacy.Policy, n int, holds bool) *forgetWorld {
	t.Helper()
	ctx := context.Background()
	store := memstore.New()
	d, err := privacy.NewDossiers(store, p)
	if err != nil {
		t.Fatal(err)
	}
	// One to three batches deleted at once: the property holds however
	// many (retention.Options.Workers).
	k, err := retention.New(store, p, &retention.Options{BatchSize: 5, PageSize: 3, Workers: 1 + rng.IntN(3)})
	if err != nil {
		t.Fatal(err)
	}
	w := &forgetWorld{ctx: ctx, store: store, d: d, k: k, records: map[privacy.SubjectID][]privacy.RecordID{},
		objects: map[privacy.SubjectID]int{}, held: map[privacy.SubjectID]bool{}}
	epoch := time.Date(2020, 1, 6, 9, 0, 0, 0, time.UTC)
	contract := privacy.Contract{ID: "k-1", Party: "employer-1", PartyKind: privacy.PartyEmployer, Start: epoch.AddDate(-1, 0, 0)}
	clerk := privacy.Principal{ID: "cm-1", Role: privacy.RoleCaseManager, Party: "service-1", Secrecy: privacy.SecrecyAgreement}
	hour := func(n int) time.Duration { return time.Duration(n) * time.Hour }
	for i := range n {
		sid := privacy.SubjectID(fmt.Sprintf("s-%03d", i))
		w.ids = append(w.ids, sid)
		created := epoch.Add(hour(rng.IntN(365 * 24)))
		if err := d.CreateSubject(ctx, privacy.Act{By: clerk, At: created}, privacy.Subject{ID: sid, Employer: "employer-1", Created: created}); err != nil {
			t.Fatal(err)
		}
		w.objects[sid]++
		last := created
		var recs []privacy.RecordID
		// Rules N7, O8: a client a municipality or the UWV sent has no
		// employment of theirs to end; no end is ever recorded.
		contract := contract
		withoutEmployment := rng.IntN(3) == 0
		if withoutEmployment {
			contract = privacy.Contract{ID: "k-2", Party: "municipality-1", PartyKind: privacy.PartyMunicipality, Start: epoch.AddDate(-1, 0, 0)}
			if rng.IntN(2) == 0 {
				contract = privacy.Contract{ID: "k-3", Party: "uwv", PartyKind: privacy.PartyUWV, Start: epoch.AddDate(-1, 0, 0)}
			}
		}
		for c := range 1 + rng.IntN(3) {
			pr := p.Purposes[rng.IntN(len(p.Purposes))]
			kind := pr.CaseKinds[rng.IntN(len(pr.CaseKinds))]
			cid := privacy.CaseID(fmt.Sprintf("%s-c%d", sid, c))
			opened := created.Add(hour(1 + rng.IntN(24*90)))
			cs, err := privacy.NewCase(cid, sid, kind, pr.Purpose, contract, opened)
			if err != nil {
				t.Fatal(err)
			}
			if err := d.OpenCase(ctx, privacy.Act{By: clerk, At: opened}, cs); err != nil {
				t.Fatal(err)
			}
			w.objects[sid]++
			for r := range 1 + rng.IntN(5) {
				cats := privacy.Categories()
				cat := cats[rng.IntN(len(cats))]
				if cat == privacy.CategoryNationalID {
					cat = privacy.CategoryNotes // the BSN needs a statute of its own (N5)
				}
				info, _ := cat.Info()
				at := opened.Add(hour(1 + r))
				rec := privacy.Record{ID: privacy.RecordID(fmt.Sprintf("%s-r%d", cid, r)), Case: cid, Category: cat, Author: clerk.ID,
					Source: privacy.Source{Kind: privacy.PartyService}, Created: at, Fields: map[privacy.Field]string{info.Fields[0]: "x"}}
				if err := d.AddRecord(ctx, privacy.Act{By: clerk, At: at}, rec); err != nil {
					t.Fatalf("AddRecord(%s, %s in %s): %v", rec.ID, cat, kind, err)
				}
				recs = append(recs, rec.ID)
			}
			// Rules R9, O12: a case left open, never closed, ends at its
			// last activity (retention.CaseEnded): the property holds for
			// it too.
			if rng.IntN(4) == 0 {
				if at := opened.Add(hour(5)); at.After(last) {
					last = at
				}
				continue
			}
			closedAt := opened.Add(hour(24 + rng.IntN(2*365*24)))
			if err := d.CloseCase(ctx, privacy.Act{By: clerk, At: closedAt}, cid); err != nil {
				t.Fatal(err)
			}
			if closedAt.After(last) {
				last = closedAt
			}
		}
		w.records[sid] = recs
		if !withoutEmployment {
			ended := last.Add(hour(rng.IntN(365 * 24)))
			if err := d.EndEmployment(ctx, privacy.Act{By: clerk, At: ended}, sid, ended); err != nil {
				t.Fatal(err)
			}
		}
		ev := []privacy.Event{{Time: last, Principal: clerk.ID, Role: clerk.Role, Action: privacy.EventCreate,
			Outcome: privacy.OutcomeAllowed, Rule: privacy.O14, Subject: sid}}
		to := consent.Recipient{Kind: privacy.PartyThirdParty, Party: "lawyer-1"}
		for g := range rng.IntN(3) {
			gr := consent.Grant{ID: consent.GrantID(fmt.Sprintf("%s-g%d", sid, g)), Subject: sid, Recipient: to,
				Categories: privacy.Categories(), Purpose: p.Purposes[0].Purpose, Form: consent.FormWritten, Document: "doc", Given: created}
			switch rng.IntN(3) {
			case 0:
				gr.Revoked = last.Add(-hour(1))
			case 1:
				gr.Until = last.Add(hour(24))
			}
			if err := store.AddGrant(ctx, gr, ev); err != nil {
				t.Fatal(err)
			}
			w.objects[sid]++
			dis := consent.Disclosure{ID: consent.DisclosureID(fmt.Sprintf("%s-d%d", sid, g)), Subject: sid, Recipient: to,
				Items:   []consent.Item{{Category: privacy.CategoryNotes, Record: recs[rng.IntN(len(recs))]}},
				Purpose: gr.Purpose, At: created.Add(hour(2)), By: clerk.ID, Role: clerk.Role, Rule: privacy.O14,
				Basis: privacy.BasisWrittenConsent, Grants: []consent.GrantID{gr.ID}, Policy: p.Name}
			if err := store.Disclose(ctx, sid, "", func([]consent.Grant, []consent.Coverage) consent.Verdict {
				return consent.Verdict{Disclosure: &dis, Events: ev}
			}); err != nil {
				t.Fatal(err)
			}
			w.objects[sid]++
		}
		for q := range rng.IntN(3) {
			at := created.Add(hour(24 * (1 + q)))
			req := rights.Request{ID: rights.RequestID(fmt.Sprintf("%s-q%d", sid, q)), Subject: sid, Kind: rights.KindAccess,
				Form: rights.FormWritten, Received: at, Status: rights.StatusAnswered, History: []rights.Step{
					{Kind: rights.StepFiled, Status: rights.StatusReceived, At: at},
					{Kind: rights.StepAnswered, Status: rights.StatusAnswered, At: at.Add(hour(24))}}}
			if err := store.CreateRequest(ctx, req, ev); err != nil {
				t.Fatal(err)
			}
			w.objects[sid]++
		}
		switch rng.IntN(5) {
		case 0:
			at := last.Add(hour(2))
			e := retention.Erasure{ID: retention.ErasureID(string(sid) + "-e"), Subject: sid, Rule: privacy.O13, Received: at.Add(-hour(1))}
			if _, err := k.RequestErasure(ctx, forgetOfficer, e, at); err != nil {
				t.Fatal(err)
			}
			w.objects[sid]++
		case 1:
			at := last.Add(hour(3))
			h := retention.Hold{ID: retention.HoldID(string(sid) + "-h"), Subject: sid, Ground: retention.GroundLegalClaim, Reason: "claim"}
			if _, err := k.PlaceHold(ctx, forgetOfficer, h, at); err != nil {
				t.Fatal(err)
			}
			w.objects[sid]++
			if !holds || rng.IntN(2) == 0 {
				if err := k.LiftHold(ctx, forgetOfficer, h.ID, "settled", at.Add(hour(1))); err != nil {
					t.Fatal(err)
				}
			} else {
				w.held[sid] = true
			}
		}
	}
	// Rule N12: the employer was answered group figures about some of
	// them; the groups name them (privacy.DataGroups).
	for v := range uint64(3) {
		var members []privacy.SubjectID
		for _, sid := range w.ids {
			if rng.IntN(2) == 0 {
				members = append(members, sid)
			}
		}
		slices.Sort(members)
		if _, err := store.AddGroup(ctx, "employer-1", v, members, privacy.Event{Time: epoch, Principal: "officer-1",
			Role: privacy.RolePrivacyOfficer, Action: privacy.EventRead, Outcome: privacy.OutcomeAllowed, Rule: privacy.N12}); err != nil {
			t.Fatal(err)
		}
	}
	return w
}

func TestPropertyNothingOutlivesItsRetention(t *testing.T) {
	for _, p := range []*privacy.Policy{privacy.RegulationR(), privacy.RegulationO(), privacy.Strict()} {
		for seed := range uint64(4) {
			t.Run(fmt.Sprintf("%s/seed%d", p.Name, seed), func(t *testing.T) {
				rng := rand.New(rand.NewPCG(seed, 14))
				w := newForgetWorld(t, rng, p, 12, true)
				// Past every period: the medical file's 20 years after the
				// employment ends, which ended within about 4 years.
				end := time.Date(2050, 1, 1, 0, 0, 0, 0, time.UTC)
				rep, err := w.k.Sweep(w.ctx, forgetOfficer, end)
				if err != nil {
					t.Fatal(err)
				}
				// memstore prunes the audit trail (N9) behind each chain's
				// signed anchor: every kind is swept.
				if len(rep.Unswept) != 0 || rep.AuditPruned == 0 {
					t.Errorf("Unswept = %v, audit events pruned %d; want every kind swept, audit events pruned (N9)", rep.Unswept, rep.AuditPruned)
				}
				for _, sid := range w.ids {
					w.check(t, sid, end)
				}
			})
		}
	}
}

// check is the property after a sweep at end, past every period.
func (w *forgetWorld) check(t *testing.T, sid privacy.SubjectID, end time.Time) {
	t.Helper()
	grants, _ := w.store.SubjectGrants(w.ctx, sid)
	disclosures, _ := w.store.SubjectDisclosures(w.ctx, sid)
	requests, _ := w.store.SubjectRequests(w.ctx, sid)
	if !w.held[sid] {
		if _, err := w.store.Subject(w.ctx, sid); !errors.Is(err, privacy.ErrNotFound) {
			t.Errorf("%s: the subject is kept past every period (%v)", sid, err)
		}
		if len(grants)+len(disclosures)+len(requests) > 0 {
			t.Errorf("%s: %d grants, %d disclosures, %d requests kept past every period", sid, len(grants), len(disclosures), len(requests))
		}
		// Rule N12: nor its place in the group histories.
		h, err := w.store.GroupHistory(w.ctx, "employer-1")
		if err != nil {
			t.Fatal(err)
		}
		for _, g := range h.Groups {
			if slices.Contains(g, sid) {
				t.Errorf("%s: a group history keeps it past every period: %v", sid, g)
			}
		}
		for _, id := range w.records[sid] {
			_, e1 := w.store.Record(w.ctx, id)
			_, e2 := w.store.MedicalRecord(w.ctx, id)
			if e1 == nil || e2 == nil {
				t.Errorf("%s: record %s kept past every period", sid, id)
			}
		}
		// Rule N9: of the subject's own audit chain, nothing older than
		// the audit retention is left: what remains is the sweep's own
		// record of its deletions, or younger.
		kept := end.AddDate(-5, 0, 0)
		events := 0
		for e, err := range w.store.SubjectEvents(w.ctx, sid, 0) {
			if err != nil {
				t.Fatal(err)
			}
			if e.Time.Before(kept) {
				t.Errorf("%s: audit event %d of %s kept past the audit retention (N9)", sid, e.Seq, e.Time.Format(time.DateOnly))
			}
			events++
		}
		if events == 0 {
			t.Errorf("%s: no audit event left of the sweep that deleted it (O12, N9)", sid)
		}
		proofs, _ := w.store.Proofs(w.ctx, sid)
		objProofs, _ := w.store.ObjectProofs(w.ctx, sid)
		if len(proofs) != len(w.records[sid]) || len(objProofs) != w.objects[sid] {
			t.Errorf("%s: %d record proofs and %d object proofs, want %d and %d: one per deletion",
				sid, len(proofs), len(objProofs), len(w.records[sid]), w.objects[sid])
		}
		for _, p := range objProofs {
			if p.Rule == "" || p.Citation == "" {
				t.Errorf("%s: proof %v names no rule or citation", sid, p)
			}
		}
		return
	}
	// Rule G3: a standing hold keeps the subject's data, and says so.
	ss, err := w.k.Schedules(w.ctx, sid, end)
	if err != nil {
		t.Fatalf("%s: %v", sid, err)
	}
	os, err := w.k.ObjectSchedules(w.ctx, sid, end)
	if err != nil {
		t.Fatalf("%s: %v", sid, err)
	}
	for _, s := range ss {
		if s.Reason != retention.ReasonHold || s.Rule != privacy.G3 || s.Hold == "" {
			t.Errorf("%s: %s kept past every period, not by its hold", sid, s)
		}
	}
	for _, s := range os {
		if s.Reason != retention.ReasonHold || s.Rule != privacy.G3 || s.Hold == "" || s.Citation == "" {
			t.Errorf("%s: %s kept past every period, not by its hold", sid, s)
		}
	}
}

// At a random time, a sweep leaves nothing due, and everything kept names
// its rule — a statute's with its citation when a statute keeps it.
func TestPropertySweepLeavesNothingDueOrUnexplained(t *testing.T) {
	for _, p := range []*privacy.Policy{privacy.RegulationR(), privacy.RegulationO(), privacy.Strict()} {
		for seed := range uint64(4) {
			t.Run(fmt.Sprintf("%s/seed%d", p.Name, seed), func(t *testing.T) {
				rng := rand.New(rand.NewPCG(seed, 15))
				w := newForgetWorld(t, rng, p, 12, true)
				now := time.Date(2023, 1, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(rng.IntN(12*365*24)) * time.Hour)
				if _, err := w.k.Sweep(w.ctx, forgetOfficer, now); err != nil {
					t.Fatal(err)
				}
				for _, sid := range w.ids {
					ss, err := w.k.Schedules(w.ctx, sid, now)
					if errors.Is(err, privacy.ErrNotFound) {
						continue
					}
					if err != nil {
						t.Fatal(err)
					}
					os, err := w.k.ObjectSchedules(w.ctx, sid, now)
					if err != nil {
						t.Fatal(err)
					}
					for _, s := range ss {
						if s.IsDue() || s.Reason == retention.ReasonNoRule || s.Rule == "" ||
							(s.Reason == retention.ReasonStatute && w.k.Engine().Citation(&s) == "") {
							t.Errorf("%s: %s left by the sweep", sid, s)
						}
					}
					for _, s := range os {
						if s.IsDue() || s.Rule == "" || s.Citation == "" && s.Reason != retention.ReasonHold {
							t.Errorf("%s: %s left by the sweep", sid, s)
						}
					}
				}
			})
		}
	}
}
