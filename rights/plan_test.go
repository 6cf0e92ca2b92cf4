package rights_test

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/dossierwacht/dossierwacht/export"
	"github.com/dossierwacht/dossierwacht/privacy"
	"github.com/dossierwacht/dossierwacht/retention"
	"github.com/dossierwacht/dossierwacht/rights"
)

func changed(p rights.Plan) []privacy.RecordID {
	var out []privacy.RecordID
	for _, c := range p.Changes {
		out = append(out, c.Record)
	}
	return out
}

func kept(p rights.Plan) map[privacy.RecordID]rights.Keep {
	out := map[privacy.RecordID]rights.Keep{}
	for _, k := range p.Keeps {
		out[k.Record] = k
	}
	return out
}

// TestPlanErasureG3N8G4 decides erasure requests: statutory retention and
// legal holds keep records (G3), medical records go within 3 months of the
// request (N8), recipients are told (G4).
func TestPlanErasureG3N8G4(t *testing.T) {
	t.Run("G3_statutory_retention_keeps_the_wage_record", func(t *testing.T) {
		w := newWorld(t, nil)
		w.File(t, rights.Filing{ID: "req-erase", Kind: rights.KindErasure})
		p, err := w.Desk.Plan(w.Ctx, deskAct(t0.Add(time.Hour)), "req-erase", nil)
		if err != nil {
			t.Fatalf("Plan: %v", err)
		}
		k, ok := kept(p)["rec-wages"]
		if !ok || k.Ground != rights.GroundStatutoryRetention || k.Rule != privacy.G3 || k.Retention != privacy.R9 ||
			!strings.Contains(k.Citation, "52(4)") {
			t.Errorf("rec-wages keep = %+v (kept %t)", k, ok)
		}
		want := []privacy.RecordID{"rec-identity", "rec-sick-report", "rec-note", "rec-medical"}
		if got := changed(p); !slices.Equal(got, want) {
			t.Errorf("erased = %v, want %v", got, want)
		}
		if !p.RetentionKnown || !p.DisclosuresKnown || p.Policy != "1.0.0" {
			t.Errorf("plan = %+v", p)
		}
	})
	t.Run("G3_legal_hold_keeps_a_record", func(t *testing.T) {
		w := newWorld(t, nil)
		w.Sources.Retention["rec-note"] = export.Retention{Rule: privacy.G3, Hold: true, Citation: "hold-2026-01", Reason: "a court case is pending"}
		w.File(t, rights.Filing{ID: "req-erase", Kind: rights.KindErasure, Records: []privacy.RecordID{"rec-note", "rec-identity"}})
		p, err := w.Desk.Plan(w.Ctx, deskAct(t0.Add(time.Hour)), "req-erase", nil)
		if err != nil {
			t.Fatal(err)
		}
		if k := kept(p)["rec-note"]; k.Ground != rights.GroundLegalClaims || k.Rule != privacy.G3 {
			t.Errorf("rec-note keep = %+v", k)
		}
		if got := changed(p); !slices.Equal(got, []privacy.RecordID{"rec-identity"}) {
			t.Errorf("erased = %v, want only rec-identity (the request's scope)", got)
		}
	})
	t.Run("G3_statutory_period_over_record_goes", func(t *testing.T) {
		w := newWorld(t, nil)
		w.Sources.Retention["rec-wages"] = export.Retention{Rule: privacy.R9, Period: privacy.Years(7), Statutory: true,
			Until: day(t, "2026-03-01")}
		w.File(t, rights.Filing{ID: "req-erase", Kind: rights.KindErasure, Records: []privacy.RecordID{"rec-wages"}})
		p, err := w.Desk.Plan(w.Ctx, deskAct(t0), "req-erase", nil)
		if err != nil || len(p.Keeps) != 0 || len(p.Changes) != 1 {
			t.Errorf("plan after the statutory period = %+v, %v", p, err)
		}
	})
	t.Run("G3_without_retention_facts_the_policy_statutes_decide", func(t *testing.T) {
		w := newWorld(t, &worldOptions{NoSources: true})
		w.File(t, rights.Filing{ID: "req-erase", Kind: rights.KindErasure})
		p, err := w.Desk.Plan(w.Ctx, deskAct(t0), "req-erase", nil)
		if err != nil {
			t.Fatal(err)
		}
		// Strict: wage data 7 years after the case closes (R9, AWR 52(4));
		// the case is open, so the period has not started.
		k, ok := kept(p)["rec-wages"]
		if !ok || k.Ground != rights.GroundStatutoryRetention || k.Retention != privacy.R9 || !k.Until.IsZero() {
			t.Errorf("rec-wages keep = %+v (kept %t)", k, ok)
		}
		if p.RetentionKnown || p.DisclosuresKnown || len(p.Notify) != 0 {
			t.Errorf("plan claims knowledge it has not: %+v", p)
		}
	})
	t.Run("N8_medical_erasure_due_within_three_months", func(t *testing.T) {
		w := newWorld(t, nil)
		w.File(t, rights.Filing{ID: "req-erase", Kind: rights.KindErasure, Records: []privacy.RecordID{"rec-medical"}})
		p, err := w.Desk.Plan(w.Ctx, deskAct(t0.Add(time.Hour)), "req-erase", nil)
		if err != nil {
			t.Fatal(err)
		}
		if p.MedicalDue != day(t, "2026-06-02") || len(p.Changes) != 1 || !p.Changes[0].Medical {
			t.Errorf("plan = %+v, want the medical record due 2026-06-02", p)
		}
		r, err := w.Desk.Answer(w.Ctx, as(physician.ID, t0.Add(2*time.Hour)), "req-erase", rights.Answer{Reason: "medical file destroyed", Plan: &p})
		if err != nil {
			t.Fatal(err)
		}
		if o := r.Last().Outcome; o == nil || o.MedicalDue != p.MedicalDue || !slices.Equal(o.Erased, []privacy.RecordID{"rec-medical"}) {
			t.Errorf("outcome = %+v", r.Last().Outcome)
		}
		n, _ := w.Desk.Notice(r, export.Dutch)
		if !containsRule(n.Rules, privacy.N8) || !strings.Contains(strings.Join(n.Lines, " "), "2 juni 2026") {
			t.Errorf("notice = %+v", n)
		}
	})
	t.Run("N8_no_medical_due_without_medical_records", func(t *testing.T) {
		w := newWorld(t, nil)
		w.File(t, rights.Filing{ID: "req-erase", Kind: rights.KindErasure, Records: []privacy.RecordID{"rec-note"}})
		p, err := w.Desk.Plan(w.Ctx, deskAct(t0), "req-erase", nil)
		if err != nil || !p.MedicalDue.IsZero() {
			t.Errorf("plan = %+v, %v", p, err)
		}
	})
	t.Run("G4_recipients_of_erased_records_are_told", func(t *testing.T) {
		w := newWorld(t, nil)
		w.File(t, rights.Filing{ID: "req-erase", Kind: rights.KindErasure, Records: []privacy.RecordID{"rec-sick-report", "rec-identity"}})
		p, err := w.Desk.Plan(w.Ctx, deskAct(t0), "req-erase", nil)
		if err != nil {
			t.Fatal(err)
		}
		// dis-1 named rec-sick-report; dis-2 took identity and absence
		// facts of the case.
		if len(p.Notify) != 2 {
			t.Fatalf("notify = %+v", p.Notify)
		}
		emp, ins := p.Notify[0], p.Notify[1]
		if emp.Recipient != "employer-bakery" || !slices.Equal(emp.Records, []privacy.RecordID{"rec-sick-report"}) || emp.Rule != privacy.G4 {
			t.Errorf("employer notice = %+v", emp)
		}
		if ins.Recipient != "insurer-verzekerd" || !slices.Equal(ins.Records, []privacy.RecordID{"rec-identity", "rec-sick-report"}) ||
			!slices.Equal(ins.Disclosures, []string{"dis-2"}) {
			t.Errorf("insurer notice = %+v", ins)
		}
	})
	t.Run("G4_no_recipient_for_records_never_disclosed", func(t *testing.T) {
		w := newWorld(t, nil)
		w.File(t, rights.Filing{ID: "req-erase", Kind: rights.KindErasure, Records: []privacy.RecordID{"rec-note"}})
		p, err := w.Desk.Plan(w.Ctx, deskAct(t0), "req-erase", nil)
		if err != nil || len(p.Notify) != 0 {
			t.Errorf("notify = %+v, %v", p.Notify, err)
		}
	})
	t.Run("G3_nothing_to_erase_is_a_refusal_not_an_answer", func(t *testing.T) {
		w := newWorld(t, nil)
		w.File(t, rights.Filing{ID: "req-erase", Kind: rights.KindErasure, Records: []privacy.RecordID{"rec-wages"}})
		p, err := w.Desk.Plan(w.Ctx, deskAct(t0), "req-erase", nil)
		if err != nil || len(p.Changes) != 0 {
			t.Fatalf("plan = %+v, %v", p, err)
		}
		_, err = w.Desk.Answer(w.Ctx, as(carla, t0), "req-erase", rights.Answer{Reason: "x", Plan: &p})
		wantKind(t, "Answer(empty plan)", err, privacy.ErrInvalid)
		wantRule(t, "Answer(empty plan)", err, privacy.G3)
		r, err := w.Desk.Refuse(w.Ctx, as(carla, t0), "req-erase", rights.Refusal{Ground: p.Keeps[0].Ground, Reason: p.Keeps[0].Citation})
		if err != nil || r.Last().Rule != privacy.G3 {
			t.Errorf("Refuse(G3) = %+v, %v", r.Last(), err)
		}
	})
	t.Run("G3_hold_placed_after_the_plan_stops_apply", func(t *testing.T) {
		w := newWorld(t, nil)
		w.File(t, rights.Filing{ID: "req-erase", Kind: rights.KindErasure, Records: []privacy.RecordID{"rec-identity", "rec-note"}})
		p, err := w.Desk.Plan(w.Ctx, deskAct(t0), "req-erase", nil)
		if err != nil || len(p.Changes) != 2 {
			t.Fatalf("Plan = %+v, %v; want both records erased", p, err)
		}
		// A hold for legal claims, placed between the plan and its
		// application.
		if _, err := w.Keeper.PlaceHold(w.Ctx, officer, retention.Hold{ID: "hold-2026-02", Subject: anna, Records: []privacy.RecordID{"rec-note"},
			Ground: retention.GroundLegalClaim, Reason: "a court case is pending"}, t0.Add(time.Hour)); err != nil { // not behind rec-note (G3)
			t.Fatal(err)
		}
		err = w.Desk.Apply(w.Ctx, officerAct(t0.Add(time.Hour)), p)
		if !errors.Is(err, privacy.ErrForbidden) || privacy.RuleOf(err) != privacy.G3 {
			t.Fatalf("Apply after a hold = %v, want ErrForbidden citing G3", err)
		}
		for _, id := range []privacy.RecordID{"rec-identity", "rec-note"} {
			if _, err := w.Dossiers.Record(w.Ctx, id); err != nil {
				t.Errorf("%s after a refused Apply: %v; want it kept (nothing changed)", id, err)
			}
		}
	})
}

// TestRectificationO13 decides and applies a rectification (O13), telling
// the recipients (G4).
func TestRectificationO13(t *testing.T) {
	t.Run("O13_rectify_and_apply", func(t *testing.T) {
		w := newWorld(t, nil)
		w.File(t, rights.Filing{ID: "req-fix", Kind: rights.KindRectification})
		corr := rights.Corrections{"rec-identity": {privacy.FieldCity: "Amersfoort"}}
		p, err := w.Desk.Plan(w.Ctx, deskAct(t0), "req-fix", corr)
		if err != nil {
			t.Fatal(err)
		}
		if len(p.Changes) != 1 || p.Changes[0].Erase || p.Changes[0].Fields[privacy.FieldCity] != "Amersfoort" ||
			p.Changes[0].Fields[privacy.FieldName] != "Anna de Vries" || p.Changes[0].Rule != privacy.O13 {
			t.Errorf("changes = %+v", p.Changes)
		}
		if len(p.Notify) != 1 || p.Notify[0].Recipient != "insurer-verzekerd" {
			t.Errorf("G4 notify = %+v", p.Notify)
		}
		if err := w.Desk.Apply(w.Ctx, deskAct(t0.Add(time.Hour)), p); err != nil {
			t.Fatalf("Apply: %v", err)
		}
		r, _ := w.Dossiers.Record(w.Ctx, "rec-identity")
		if r.Fields[privacy.FieldCity] != "Amersfoort" || !r.Updated.Equal(t0.Add(time.Hour)) {
			t.Errorf("record after Apply = %+v", r)
		}
		// Apply runs again without harm.
		if err := w.Desk.Apply(w.Ctx, deskAct(t0.Add(2*time.Hour)), p); err != nil {
			t.Errorf("Apply again: %v", err)
		}
		req, err := w.Desk.Answer(w.Ctx, as(carla, t0.Add(3*time.Hour)), "req-fix", rights.Answer{Reason: "address corrected", Plan: &p})
		if err != nil || !slices.Equal(req.Last().Outcome.Changed, []privacy.RecordID{"rec-identity"}) ||
			!slices.Equal(req.Last().Outcome.Notify, []privacy.PartyID{"insurer-verzekerd"}) {
			t.Errorf("answer = %+v, %v", req.Last(), err)
		}
		if err := w.Desk.Apply(w.Ctx, deskAct(t0.Add(4*time.Hour)), p); !errors.Is(err, privacy.ErrConflict) {
			t.Errorf("Apply on an answered request = %v, want ErrConflict", err)
		}
	})
	t.Run("O13_erase_field_and_apply_erasure", func(t *testing.T) {
		w := newWorld(t, nil)
		w.File(t, rights.Filing{ID: "req-erase", Kind: rights.KindErasure, Records: []privacy.RecordID{"rec-note", "rec-medical"}})
		p, err := w.Desk.Plan(w.Ctx, deskAct(t0), "req-erase", nil)
		if err != nil {
			t.Fatal(err)
		}
		if err := w.Desk.Apply(w.Ctx, officerAct(t0.Add(time.Hour)), p); err != nil {
			t.Fatal(err)
		}
		if _, err := w.Dossiers.Record(w.Ctx, "rec-note"); !errors.Is(err, privacy.ErrNotFound) {
			t.Errorf("erased note still there: %v", err)
		}
		if _, err := w.Store.MedicalRecord(w.Ctx, "rec-medical"); !errors.Is(err, privacy.ErrNotFound) {
			t.Errorf("erased medical record still there: %v", err)
		}
	})
	bad := []struct {
		name  string
		kind  rights.Kind
		scope []privacy.RecordID
		corr  rights.Corrections
		err   error
	}{
		{"O13_no_corrections", rights.KindRectification, nil, nil, privacy.ErrInvalid},
		{"O13_field_of_another_category", rights.KindRectification, nil, rights.Corrections{"rec-identity": {privacy.FieldBSN: "1"}}, privacy.ErrInvalid},
		{"O13_removing_every_field", rights.KindRectification, nil, rights.Corrections{"rec-note": {privacy.FieldText: ""}}, privacy.ErrInvalid},
		{"O13_record_outside_the_scope", rights.KindRectification, []privacy.RecordID{"rec-note"}, rights.Corrections{"rec-identity": {privacy.FieldCity: "x"}}, privacy.ErrInvalid},
		{"O13_unknown_record", rights.KindRectification, nil, rights.Corrections{"rec-none": {privacy.FieldText: "x"}}, privacy.ErrNotFound},
		{"O13_erasure_takes_no_corrections", rights.KindErasure, nil, rights.Corrections{"rec-note": {privacy.FieldText: "x"}}, privacy.ErrInvalid},
		{"O13_access_is_not_planned", rights.KindAccess, nil, nil, privacy.ErrInvalid},
	}
	for _, tc := range bad {
		t.Run(tc.name, func(t *testing.T) {
			w := newWorld(t, nil)
			w.File(t, rights.Filing{ID: "req-1", Kind: tc.kind, Records: tc.scope})
			_, err := w.Desk.Plan(w.Ctx, deskAct(t0), "req-1", tc.corr)
			wantKind(t, "Plan", err, tc.err)
		})
	}
	t.Run("O13_another_subjects_record_is_not_found", func(t *testing.T) {
		w := newWorld(t, nil)
		s, _ := privacy.NewSubject("employee-bob", "employer-bakery", t0)
		if err := w.Dossiers.CreateSubject(w.Ctx, deskAct(t0), s); err != nil {
			t.Fatal(err)
		}
		c, _ := privacy.NewCase("case-bob", s.ID, privacy.CaseAbsence, privacy.PurposeAbsenceGuidance, contract, t0)
		if err := w.Dossiers.OpenCase(w.Ctx, deskAct(t0), c); err != nil {
			t.Fatal(err)
		}
		if err := w.Dossiers.AddRecord(w.Ctx, deskAct(t0), privacy.Record{ID: "rec-bob", Case: "case-bob", Category: privacy.CategoryNotes,
			Author: carla, Source: privacy.Source{Kind: privacy.PartyService}, Created: t0,
			Fields: map[privacy.Field]string{privacy.FieldText: "bob"}}); err != nil {
			t.Fatal(err)
		}
		w.File(t, rights.Filing{ID: "req-1", Kind: rights.KindErasure, Records: []privacy.RecordID{"rec-bob"}})
		_, err := w.Desk.Plan(w.Ctx, deskAct(t0), "req-1", nil)
		wantKind(t, "Plan(someone else's record)", err, privacy.ErrNotFound)
	})
	t.Run("O13_answer_needs_the_requests_plan", func(t *testing.T) {
		w := newWorld(t, nil)
		w.File(t, rights.Filing{ID: "req-1", Kind: rights.KindRectification})
		_, err := w.Desk.Answer(w.Ctx, as(carla, t0), "req-1", rights.Answer{Reason: "done"})
		wantKind(t, "Answer(no plan)", err, privacy.ErrInvalid)
		w.File(t, rights.Filing{ID: "req-2", Kind: rights.KindAccess})
		_, err = w.Desk.Answer(w.Ctx, as(carla, t0), "req-2", rights.Answer{Reason: "done", Plan: &rights.Plan{}})
		wantKind(t, "Answer(access with a plan)", err, privacy.ErrInvalid)
	})
}

// TestApplyTouchesOnlyTheSubject: a plan that names another subject's
// record changes nothing of it (O13).
func TestApplyTouchesOnlyTheSubject(t *testing.T) {
	w := newWorld(t, nil)
	s, _ := privacy.NewSubject("employee-bob", "employer-bakery", t0)
	if err := w.Dossiers.CreateSubject(w.Ctx, deskAct(t0), s); err != nil {
		t.Fatal(err)
	}
	c, _ := privacy.NewCase("case-bob", s.ID, privacy.CaseAbsence, privacy.PurposeAbsenceGuidance, contract, t0)
	if err := w.Dossiers.OpenCase(w.Ctx, deskAct(t0), c); err != nil {
		t.Fatal(err)
	}
	if err := w.Dossiers.AddRecord(w.Ctx, deskAct(t0), privacy.Record{ID: "rec-bob", Case: "case-bob", Category: privacy.CategoryNotes,
		Author: carla, Source: privacy.Source{Kind: privacy.PartyService}, Created: t0,
		Fields: map[privacy.Field]string{privacy.FieldText: "bob"}}); err != nil {
		t.Fatal(err)
	}
	w.File(t, rights.Filing{ID: "req-erase", Kind: rights.KindErasure, Records: []privacy.RecordID{"rec-note"}})
	p, err := w.Desk.Plan(w.Ctx, deskAct(t0), "req-erase", nil)
	if err != nil {
		t.Fatal(err)
	}
	p.Changes = append(p.Changes, rights.Change{Record: "rec-bob", Case: "case-bob", Category: privacy.CategoryNotes, Erase: true})
	if err := w.Desk.Apply(w.Ctx, officerAct(t0.Add(time.Hour)), p); err != nil {
		t.Fatal(err)
	}
	if _, err := w.Dossiers.Record(w.Ctx, "rec-bob"); err != nil {
		t.Errorf("Apply erased another subject's record: %v", err)
	}
	if _, err := w.Dossiers.Record(w.Ctx, "rec-note"); !errors.Is(err, privacy.ErrNotFound) {
		t.Errorf("Apply did not erase the subject's record: %v", err)
	}
}

// TestApplyErasureThroughRetention: an erasure plan is applied through
// package retention, by the privacy officer: the granted request is
// recorded and carried out at once, one proof and one audit event per
// erased record; a held record is refused (G3), and so is the erasure
// by anyone else (O13) or without package retention.
func TestApplyErasureThroughRetention(t *testing.T) {
	plan := func(t *testing.T, w *world, records ...privacy.RecordID) rights.Plan {
		t.Helper()
		w.File(t, rights.Filing{ID: "req-erase", Kind: rights.KindErasure, Records: records})
		p, err := w.Desk.Plan(w.Ctx, deskAct(t0), "req-erase", nil)
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	t.Run("O13_one_proof_per_erased_record", func(t *testing.T) {
		w := newWorld(t, nil)
		p := plan(t, w, "rec-note", "rec-identity", "rec-medical")
		seq := w.LastSeq(t)
		at := t0.Add(time.Hour)
		if err := w.Desk.Apply(w.Ctx, officerAct(at), p); err != nil {
			t.Fatalf("Apply: %v", err)
		}
		proofs, err := w.Keeper.Proofs(w.Ctx, anna)
		if err != nil {
			t.Fatal(err)
		}
		var got []privacy.RecordID
		for _, pr := range proofs {
			got = append(got, pr.Record)
			if pr.Erasure != "req-erase" || pr.By != officer.ID || !pr.Deleted.Equal(at) || pr.Reason != retention.ReasonErasure {
				t.Errorf("proof = %+v, want the erasure req-erase by the officer at %v", pr, at)
			}
		}
		slices.Sort(got)
		if want := []privacy.RecordID{"rec-identity", "rec-medical", "rec-note"}; !slices.Equal(got, want) {
			t.Errorf("proofs of %v, want one per erased record %v", got, want)
		}
		deletes := 0
		for _, e := range w.Events(t, seq) {
			if e.Action == privacy.EventDelete && e.Outcome == privacy.OutcomeAllowed && e.Principal == officer.ID {
				deletes++
			}
		}
		if deletes != 3 {
			t.Errorf("%d delete events, want one per erased record (N9)", deletes)
		}
		if _, err := w.Store.MedicalRecord(w.Ctx, "rec-medical"); !errors.Is(err, privacy.ErrNotFound) {
			t.Errorf("erased medical record still there: %v", err)
		}
		// Run again: nothing erased twice.
		if err := w.Desk.Apply(w.Ctx, officerAct(at.Add(time.Minute)), p); err != nil {
			t.Errorf("Apply again: %v", err)
		}
		if again, _ := w.Keeper.Proofs(w.Ctx, anna); len(again) != 3 {
			t.Errorf("%d proofs after applying twice, want 3", len(again))
		}
	})
	t.Run("G3_held_record_refused_nothing_erased", func(t *testing.T) {
		w := newWorld(t, &worldOptions{NoSources: true}) // the plan does not know the hold
		if _, err := w.Keeper.PlaceHold(w.Ctx, officer, retention.Hold{ID: "hold-1", Subject: anna, Records: []privacy.RecordID{"rec-note"},
			Ground: retention.GroundLegalClaim, Reason: "court case C/16/1"}, t0.Add(time.Hour)); err != nil { // not behind rec-note (G3)
			t.Fatal(err)
		}
		p := plan(t, w, "rec-note", "rec-identity")
		err := w.Desk.Apply(w.Ctx, officerAct(t0.Add(time.Hour)), p)
		wantKind(t, "Apply(held)", err, privacy.ErrForbidden)
		wantRule(t, "Apply(held)", err, privacy.G3)
		for _, id := range []privacy.RecordID{"rec-note", "rec-identity"} {
			if _, err := w.Dossiers.Record(w.Ctx, id); err != nil {
				t.Errorf("%s after a refused Apply: %v; want it kept", id, err)
			}
		}
		if ps, _ := w.Keeper.Proofs(w.Ctx, anna); len(ps) != 0 {
			t.Errorf("a refused erasure left %d proofs", len(ps))
		}
	})
	t.Run("G3_statute_keeps_a_record_the_others_go", func(t *testing.T) {
		w := newWorld(t, nil)
		p := plan(t, w, "rec-note", "rec-wages")
		// A plan that, against the law, erases the wages too (R9: 7
		// years from the closing, which has not come).
		p.Changes = append(p.Changes, rights.Change{Record: "rec-wages", Case: annaCase, Category: privacy.CategoryEmployment, Erase: true})
		err := w.Desk.Apply(w.Ctx, officerAct(t0.Add(time.Hour)), p)
		wantKind(t, "Apply(statutory record)", err, privacy.ErrForbidden)
		wantRule(t, "Apply(statutory record)", err, privacy.G3)
		if _, err := w.Dossiers.Record(w.Ctx, "rec-wages"); err != nil {
			t.Errorf("statutory record erased: %v", err)
		}
		if _, err := w.Keeper.Proofs(w.Ctx, anna); err != nil {
			t.Fatal(err)
		}
		if pr, err := w.Store.Proof(w.Ctx, "rec-note"); err != nil || pr.Erasure != "req-erase" {
			t.Errorf("Proof(rec-note) = %+v, %v; want it erased with its proof", pr, err)
		}
	})
	t.Run("O13_a_forged_plan_erases_nothing_outside_the_request", func(t *testing.T) {
		w := newWorld(t, nil)
		p := plan(t, w, "rec-note")
		p.Changes = append(p.Changes, rights.Change{Record: "rec-identity", Case: annaCase, Category: privacy.CategoryIdentity, Erase: true})
		err := w.Desk.Apply(w.Ctx, officerAct(t0.Add(time.Hour)), p)
		wantKind(t, "Apply(forged)", err, privacy.ErrInvalid)
		for _, id := range []privacy.RecordID{"rec-note", "rec-identity"} {
			if _, err := w.Dossiers.Record(w.Ctx, id); err != nil {
				t.Errorf("%s after a refused Apply: %v; want it kept", id, err)
			}
		}
	})
	t.Run("O13_only_the_privacy_officer_applies_an_erasure", func(t *testing.T) {
		w := newWorld(t, nil)
		p := plan(t, w, "rec-note")
		seq := w.LastSeq(t)
		a := deskAct(t0.Add(time.Hour))
		err := w.Desk.Apply(w.Ctx, a, p)
		wantKind(t, "Apply(case manager)", err, privacy.ErrForbidden)
		wantRule(t, "Apply(case manager)", err, privacy.O13)
		if evs := w.Events(t, seq); len(evs) != 1 || evs[0].Outcome != privacy.OutcomeDenied || evs[0].Principal != carla {
			t.Errorf("the refusal logged %+v, want one denial", evs)
		}
		if _, err := w.Dossiers.Record(w.Ctx, "rec-note"); err != nil {
			t.Errorf("a refused erasure deleted the record: %v", err)
		}
	})
	t.Run("O13_no_erasure_without_retention", func(t *testing.T) {
		w := newWorld(t, nil)
		desk, err := rights.New(w.Store, w.Dossiers, nil)
		if err != nil {
			t.Fatal(err)
		}
		w.Desk = desk
		p := plan(t, w, "rec-note")
		err = w.Desk.Apply(w.Ctx, officerAct(t0.Add(time.Hour)), p)
		wantKind(t, "Apply(no retention)", err, privacy.ErrInvalid)
		if _, err := w.Dossiers.Record(w.Ctx, "rec-note"); err != nil {
			t.Errorf("an erasure without retention deleted the record: %v", err)
		}
	})
}

// TestO10PlanHidesAnotherSubjectsRecord: a rectification or erasure that
// names a record of another subject — in the case file or the medical
// file — answers as one naming a record that does not exist: the same
// kind, the same text, as many audit events (O10, O13, R7), so that a
// decider learns no record IDs of other subjects.
func TestO10PlanHidesAnotherSubjectsRecord(t *testing.T) {
	setup := func(t *testing.T) *world {
		w := newWorld(t, nil)
		s, _ := privacy.NewSubject("employee-bob", "employer-bakery", t0)
		if err := w.Dossiers.CreateSubject(w.Ctx, deskAct(t0), s); err != nil {
			t.Fatal(err)
		}
		c, _ := privacy.NewCase("case-bob", s.ID, privacy.CaseAbsence, privacy.PurposeAbsenceGuidance, contract, t0)
		if err := w.Dossiers.OpenCase(w.Ctx, deskAct(t0), c); err != nil {
			t.Fatal(err)
		}
		if err := w.Dossiers.AddRecord(w.Ctx, deskAct(t0), privacy.Record{ID: "rec-bob", Case: "case-bob", Category: privacy.CategoryNotes,
			Author: carla, Source: privacy.Source{Kind: privacy.PartyService}, Created: t0,
			Fields: map[privacy.Field]string{privacy.FieldText: "bob"}}); err != nil {
			t.Fatal(err)
		}
		if err := w.Dossiers.AddRecord(w.Ctx, privacy.Act{By: physician, At: t0}, privacy.Record{ID: "rec-bob-medical",
			Case: "case-bob", Category: privacy.CategoryMedical, Author: physician.ID, Source: privacy.Source{Kind: privacy.PartyService},
			Created: t0, Fields: map[privacy.Field]string{privacy.FieldText: "bob's back"}}); err != nil {
			t.Fatal(err)
		}
		return w
	}
	for _, kind := range []rights.Kind{rights.KindRectification, rights.KindErasure} {
		plan := func(t *testing.T, id privacy.RecordID) (int, error) {
			w := setup(t)
			f := rights.Filing{ID: "req-1", Kind: kind}
			var corr rights.Corrections
			if kind == rights.KindErasure {
				f.Records = []privacy.RecordID{id}
			} else {
				corr = rights.Corrections{id: {privacy.FieldText: "x"}}
			}
			w.File(t, f)
			seq := w.LastSeq(t)
			_, err := w.Desk.Plan(w.Ctx, deskAct(t0.Add(time.Hour)), "req-1", corr)
			return len(w.Events(t, seq)), err
		}
		for _, id := range []privacy.RecordID{"rec-bob", "rec-bob-medical"} {
			t.Run("O10_"+string(kind)+"_"+string(id), func(t *testing.T) {
				nMissing, missing := plan(t, "rec-none")
				wantKind(t, "Plan(a missing record)", missing, privacy.ErrNotFound)
				nOther, other := plan(t, id)
				if other == nil || other.Error() != missing.Error() || nOther != nMissing {
					t.Errorf("another subject's record: %v (+%d events); a missing one: %v (+%d events)", other, nOther, missing, nMissing)
				}
			})
		}
	}
}
