package rights_test

import (
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/dossierwacht/dossierwacht/export"
	"github.com/dossierwacht/dossierwacht/privacy"
	"github.com/dossierwacht/dossierwacht/privacy/calendar"
	"github.com/dossierwacht/dossierwacht/rights"
)

// at returns the instant h:m in Amsterdam on the given day.
func at(y int, m time.Month, d, h, min int) time.Time {
	return time.Date(y, m, d, h, min, 0, 0, calendar.Amsterdam())
}

// TestFileR11O13 checks filing: the deadline (R11, O13, G2) and the
// written form that the regulations ask (R11, O13).
func TestFileR11O13(t *testing.T) {
	t.Run("R11_written_request_with_its_deadline", func(t *testing.T) {
		w := newWorld(t, nil)
		r := w.File(t, rights.Filing{ID: "req-1", Kind: rights.KindAccess, Document: "letter-2026-03-02"})
		if r.Due.Date != day(t, "2026-03-30") || r.Due.Rule != privacy.R11 {
			t.Errorf("Due = %+v, want 2026-03-30 under R11", r.Due)
		}
		if r.AwaitsWritten() || r.Status != rights.StatusReceived || len(r.History) != 1 || r.Policy != "1.0.0" {
			t.Errorf("request = %+v", r)
		}
		got, err := w.Desk.Request(w.Ctx, "req-1")
		if err != nil || got.Due != r.Due || got.History[0].By != carla {
			t.Errorf("Request = %+v, %v", got, err)
		}
	})
	t.Run("O13_oral_request_is_recorded_and_awaits_written_confirmation", func(t *testing.T) {
		w := newWorld(t, &worldOptions{Policy: privacy.RegulationO()})
		r := w.File(t, rights.Filing{ID: "req-oral", Kind: rights.KindAccess, Form: rights.FormOral})
		if !r.AwaitsWritten() || r.WrittenRule != privacy.O13 {
			t.Fatalf("oral request: AwaitsWritten %t, rule %q; want true, O13", r.AwaitsWritten(), r.WrittenRule)
		}
		// The deadline runs from receipt all the same: 2 March + one month.
		if r.Due.Date != day(t, "2026-04-02") {
			t.Errorf("Due = %s, want 2026-04-02", r.Due.Date)
		}
		_, err := w.Desk.Answer(w.Ctx, as(carla, t0.Add(time.Hour)), r.ID, rights.Answer{Reason: "sent"})
		wantKind(t, "Answer(unconfirmed)", err, privacy.ErrForbidden)
		wantRule(t, "Answer(unconfirmed)", err, privacy.O13)
		c, err := w.Desk.ConfirmWritten(w.Ctx, as(carla, t0.Add(24*time.Hour)), r.ID, rights.Confirmation{Document: "letter-7"})
		if err != nil {
			t.Fatalf("ConfirmWritten: %v", err)
		}
		if c.AwaitsWritten() || c.Due != r.Due || c.Status != rights.StatusReceived || c.Last().Kind != rights.StepConfirmed {
			t.Errorf("after confirmation: %+v", c)
		}
		if _, err := w.Desk.ConfirmWritten(w.Ctx, as(carla, t0.Add(25*time.Hour)), r.ID, rights.Confirmation{}); !errors.Is(err, privacy.ErrConflict) {
			t.Errorf("ConfirmWritten twice = %v, want ErrConflict", err)
		}
		if _, err := w.Desk.Answer(w.Ctx, as(carla, t0.Add(48*time.Hour)), r.ID, rights.Answer{Reason: "sent"}); err != nil {
			t.Errorf("Answer(confirmed) = %v", err)
		}
	})
	t.Run("R11_oral_request_refused_when_never_confirmed", func(t *testing.T) {
		w := newWorld(t, &worldOptions{Policy: privacy.RegulationR()})
		r := w.File(t, rights.Filing{ID: "req-oral", Kind: rights.KindCopy, Form: rights.FormOral})
		got, err := w.Desk.Refuse(w.Ctx, as(carla, t0.Add(20*24*time.Hour)), r.ID, rights.Refusal{Ground: rights.GroundNotInWriting, Reason: "no written confirmation received"})
		if err != nil {
			t.Fatalf("Refuse: %v", err)
		}
		if s := got.Last(); s.Rule != privacy.R11 || s.Ground != rights.GroundNotInWriting || got.Status != rights.StatusRefused {
			t.Errorf("refusal step = %+v", s)
		}
	})
	t.Run("R11_written_request_is_not_refused_for_want_of_writing", func(t *testing.T) {
		w := newWorld(t, nil)
		r := w.File(t, rights.Filing{ID: "req-1", Kind: rights.KindAccess})
		_, err := w.Desk.Refuse(w.Ctx, as(carla, t0), r.ID, rights.Refusal{Ground: rights.GroundNotInWriting, Reason: "x"})
		wantKind(t, "Refuse(written, not-in-writing)", err, privacy.ErrInvalid)
	})
	t.Run("G2_policy_without_written_form_takes_oral_requests", func(t *testing.T) {
		p := privacy.Strict()
		p.Requests.WrittenBy = nil
		w := newWorld(t, &worldOptions{Policy: p})
		r := w.File(t, rights.Filing{ID: "req-oral", Kind: rights.KindAccess, Form: rights.FormOral})
		if r.AwaitsWritten() {
			t.Errorf("oral request under a policy without written form awaits confirmation")
		}
	})
	t.Run("G1_request_of_a_person_the_service_does_not_know", func(t *testing.T) {
		w := newWorld(t, nil)
		w.File(t, rights.Filing{ID: "req-stranger", Subject: "stranger-1", Kind: rights.KindAccess})
	})
}

// TestFileInvalid: bad input is a typed error and stores nothing.
func TestFileInvalid(t *testing.T) {
	w := newWorld(t, nil)
	ok := rights.Filing{ID: "req-x", Subject: anna, Kind: rights.KindErasure, Form: rights.FormWritten, Received: t0}
	tests := []struct {
		name string
		edit func(*rights.Filing, *privacy.Act)
		kind error
	}{
		{"bad_id", func(f *rights.Filing, _ *privacy.Act) { f.ID = "req x" }, privacy.ErrInvalid},
		{"empty_id", func(f *rights.Filing, _ *privacy.Act) { f.ID = "" }, privacy.ErrInvalid},
		{"bad_subject", func(f *rights.Filing, _ *privacy.Act) { f.Subject = "Anna de Vries" }, privacy.ErrInvalid},
		{"unknown_kind", func(f *rights.Filing, _ *privacy.Act) { f.Kind = "forget-me" }, privacy.ErrInvalid},
		{"unknown_form", func(f *rights.Filing, _ *privacy.Act) { f.Form = "pigeon" }, privacy.ErrInvalid},
		{"no_time", func(f *rights.Filing, _ *privacy.Act) { f.Received = time.Time{} }, privacy.ErrInvalid},
		{"year_10000", func(f *rights.Filing, _ *privacy.Act) { f.Received = time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC) }, privacy.ErrInvalid},
		{"no_recorder", func(_ *rights.Filing, a *privacy.Act) { a.By.ID = "" }, privacy.ErrInvalid},
		{"no_act_time", func(_ *rights.Filing, a *privacy.Act) { a.At = time.Time{} }, privacy.ErrInvalid},
		{"received_after_the_act", func(f *rights.Filing, a *privacy.Act) { f.Received = a.At.Add(time.Second) }, privacy.ErrInvalid},
		{"bad_document", func(f *rights.Filing, _ *privacy.Act) { f.Document = "a letter" }, privacy.ErrInvalid},
		{"records_on_an_access_request", func(f *rights.Filing, _ *privacy.Act) {
			f.Kind = rights.KindAccess
			f.Records = []privacy.RecordID{"rec-1"}
		}, privacy.ErrInvalid},
		{"record_named_twice", func(f *rights.Filing, _ *privacy.Act) { f.Records = []privacy.RecordID{"rec-1", "rec-1"} }, privacy.ErrInvalid},
		{"bad_record", func(f *rights.Filing, _ *privacy.Act) { f.Records = []privacy.RecordID{"rec 1"} }, privacy.ErrInvalid},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f, a := ok, deskAct(t0)
			tc.edit(&f, &a)
			_, err := w.Desk.File(w.Ctx, a, f)
			wantKind(t, "File", err, tc.kind)
			if privacy.ValidID(string(f.ID)) {
				if _, err := w.Desk.Request(w.Ctx, f.ID); !errors.Is(err, privacy.ErrNotFound) {
					t.Errorf("after a refused filing Request = %v, want ErrNotFound", err)
				}
			}
		})
	}
	t.Run("duplicate_id", func(t *testing.T) {
		w.File(t, rights.Filing{ID: "req-dup", Kind: rights.KindAccess})
		_, err := w.Desk.File(w.Ctx, as(carla, t0), rights.Filing{ID: "req-dup", Subject: anna, Kind: rights.KindCopy, Form: rights.FormWritten, Received: t0})
		wantKind(t, "File(duplicate)", err, privacy.ErrExists)
		r, _ := w.Desk.Request(w.Ctx, "req-dup")
		if r.Kind != rights.KindAccess {
			t.Errorf("duplicate filing changed the request: %+v", r)
		}
	})
}

// TestTransitions: the status moves received → (extended) → answered or
// refused; every other move fails with ErrConflict and changes nothing.
func TestTransitions(t *testing.T) {
	answer := func(w *world, id rights.RequestID, h int) error {
		_, err := w.Desk.Answer(w.Ctx, as(carla, t0.Add(time.Duration(h)*time.Hour)), id, rights.Answer{Reason: "export sent"})
		return err
	}
	refuse := func(w *world, id rights.RequestID, h int) error {
		_, err := w.Desk.Refuse(w.Ctx, as(carla, t0.Add(time.Duration(h)*time.Hour)), id, rights.Refusal{Ground: rights.GroundDisproportionate, Reason: "the fifth identical request this month"})
		return err
	}
	extend := func(w *world, id rights.RequestID, h int) error {
		_, err := w.Desk.Extend(w.Ctx, as(carla, t0.Add(time.Duration(h)*time.Hour)), id, rights.Extension{Reason: "archive to search"})
		return err
	}
	confirm := func(w *world, id rights.RequestID, h int) error {
		_, err := w.Desk.ConfirmWritten(w.Ctx, as(carla, t0.Add(time.Duration(h)*time.Hour)), id, rights.Confirmation{})
		return err
	}
	type move func(*world, rights.RequestID, int) error
	tests := []struct {
		name  string
		moves []move
		last  move
		kind  error
	}{
		{"answered_is_final_for_answer", []move{answer}, answer, privacy.ErrConflict},
		{"answered_is_final_for_refuse", []move{answer}, refuse, privacy.ErrConflict},
		{"refused_is_final_for_answer", []move{refuse}, answer, privacy.ErrConflict},
		{"G2_extended_once", []move{extend}, extend, privacy.ErrConflict},
		{"G2_no_extension_after_answer", []move{answer}, extend, privacy.ErrConflict},
		{"written_request_needs_no_confirmation", nil, confirm, privacy.ErrConflict},
		{"extended_then_answered", []move{extend}, answer, nil},
		{"extended_then_refused", []move{extend}, refuse, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			// Regulation O: a policy with regulation R extends nothing (R11).
			w := newWorld(t, &worldOptions{Policy: privacy.RegulationO()})
			w.File(t, rights.Filing{ID: "req-1", Kind: rights.KindAccess})
			for i, m := range tc.moves {
				if err := m(w, "req-1", i+1); err != nil {
					t.Fatalf("move %d: %v", i, err)
				}
			}
			before, _ := w.Desk.Request(w.Ctx, "req-1")
			err := tc.last(w, "req-1", 10)
			if tc.kind == nil {
				if err != nil {
					t.Fatalf("last move: %v", err)
				}
				return
			}
			wantKind(t, "last move", err, tc.kind)
			after, _ := w.Desk.Request(w.Ctx, "req-1")
			if len(after.History) != len(before.History) || after.Status != before.Status {
				t.Errorf("a refused move changed the request: %d → %d steps", len(before.History), len(after.History))
			}
		})
	}
	t.Run("step_before_the_last_one", func(t *testing.T) {
		w := newWorld(t, nil)
		w.File(t, rights.Filing{ID: "req-1", Kind: rights.KindAccess})
		_, err := w.Desk.Answer(w.Ctx, as(carla, t0.Add(-time.Hour)), "req-1", rights.Answer{Reason: "x"})
		wantKind(t, "Answer(before filing)", err, privacy.ErrInvalid)
	})
	t.Run("unknown_request", func(t *testing.T) {
		w := newWorld(t, nil)
		_, err := w.Desk.Answer(w.Ctx, as(carla, t0), "req-none", rights.Answer{Reason: "x"})
		wantKind(t, "Answer(unknown)", err, privacy.ErrNotFound)
	})
	t.Run("racing_decisions_one_lands", func(t *testing.T) {
		w := newWorld(t, nil)
		w.File(t, rights.Filing{ID: "req-1", Kind: rights.KindAccess})
		var wg sync.WaitGroup
		errs := make([]error, 16)
		for i := range errs {
			wg.Go(func() {
				if i%2 == 0 {
					errs[i] = answer(w, "req-1", 1)
				} else {
					errs[i] = refuse(w, "req-1", 1)
				}
			})
		}
		wg.Wait()
		won := 0
		for _, err := range errs {
			switch {
			case err == nil:
				won++
			case !errors.Is(err, privacy.ErrConflict):
				t.Errorf("racing decision: %v, want nil or ErrConflict", err)
			}
		}
		r, _ := w.Desk.Request(w.Ctx, "req-1")
		if won != 1 || len(r.History) != 2 {
			t.Errorf("%d decisions landed, history %d steps; want 1 and 2", won, len(r.History))
		}
	})
}

// TestExtendG2: an extension is notified with reasons within the first
// period, and refused after it; a policy that applies regulation R extends
// nothing (R11 wins over G2).
func TestExtendG2(t *testing.T) {
	o := privacy.RegulationO
	tests := []struct {
		name   string
		policy *privacy.Policy
		at     time.Time
		reason string
		kind   error
		rule   privacy.RuleID
		due    string
	}{
		{"G2_extension_within_the_first_period", o(), at(2026, 3, 20, 10, 0), "a second archive must be searched", nil, "", "2026-06-02"},
		{"G2_extension_on_the_last_day", o(), at(2026, 4, 2, 23, 59), "a second archive must be searched", nil, "", "2026-06-02"},
		{"G2_extension_after_the_first_period_is_refused", o(), at(2026, 4, 3, 0, 1), "too late", privacy.ErrForbidden, privacy.G2, ""},
		{"G2_extension_needs_reasons", o(), at(2026, 3, 20, 10, 0), "", privacy.ErrInvalid, privacy.G2, ""},
		{"G2_policy_without_extension", noExtension(), at(2026, 3, 20, 10, 0), "busy", privacy.ErrForbidden, privacy.G2, ""},
		{"R11_strict_four_weeks_not_extended", privacy.Strict(), at(2026, 3, 20, 10, 0), "a second archive must be searched", privacy.ErrForbidden, privacy.R11, ""},
		{"R11_regulation_R_four_weeks_not_extended", privacy.RegulationR(), at(2026, 3, 20, 10, 0), "a second archive must be searched", privacy.ErrForbidden, privacy.R11, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			w := newWorld(t, &worldOptions{Policy: tc.policy})
			w.File(t, rights.Filing{ID: "req-1", Kind: rights.KindAccess})
			r, err := w.Desk.Extend(w.Ctx, as(carla, tc.at), "req-1", rights.Extension{Reason: tc.reason})
			if tc.kind != nil {
				wantKind(t, "Extend", err, tc.kind)
				wantRule(t, "Extend", err, tc.rule)
				if after, _ := w.Desk.Request(w.Ctx, "req-1"); after.Status != rights.StatusReceived || len(after.History) != 1 {
					t.Errorf("a refused extension changed the request: %+v", after)
				}
				return
			}
			if err != nil {
				t.Fatalf("Extend: %v", err)
			}
			if r.Status != rights.StatusExtended || r.Due.Date.String() != tc.due || r.Due.Extension != privacy.G2 ||
				r.Last().Reason != tc.reason || r.Last().Due != r.Due.Date || r.Last().Rule != privacy.G2 {
				t.Errorf("extended request = %+v", r)
			}
			n, err := w.Desk.Notice(r, export.English)
			if err != nil {
				t.Fatal(err)
			}
			text := strings.Join(n.Lines, "\n")
			if !strings.Contains(text, tc.reason) || !containsRule(n.Rules, privacy.G2) {
				t.Errorf("extension notice lacks the reasons or rule G2:\n%s", text)
			}
			// An answer after the extended deadline is late.
			late, err := w.Desk.Answer(w.Ctx, as(carla, at(2026, 6, 10, 10, 0)), "req-1", rights.Answer{Reason: "sent"})
			if err != nil || !late.Last().Late {
				t.Errorf("answer after the extended deadline: late %t, err %v", late.Last().Late, err)
			}
		})
	}
}

func noExtension() *privacy.Policy {
	p := privacy.RegulationO()
	p.Requests.Extension = nil
	return p
}

func containsRule(rs []privacy.RuleID, id privacy.RuleID) bool {
	for _, r := range rs {
		if r == id {
			return true
		}
	}
	return false
}

// TestRefuseO13G3 checks the grounds each kind of request may be refused
// on (O13, G3, G2), and that a refusal states its reasons and the right to
// complain (G2, O15).
func TestRefuseO13G3(t *testing.T) {
	tests := []struct {
		name   string
		kind   rights.Kind
		ground rights.Ground
		reason string
		err    error
		rule   privacy.RuleID
	}{
		{"O13_rectification_unfounded", rights.KindRectification, rights.GroundUnfounded, "the address is right", nil, privacy.O13},
		{"O13_rectification_disproportionate", rights.KindRectification, rights.GroundDisproportionate, "x", nil, privacy.O13},
		{"O13_rectification_contrary_to_law", rights.KindRectification, rights.GroundContraryToLaw, "x", nil, privacy.O13},
		{"O13_rectification_against_the_purpose", rights.KindRectification, rights.GroundAgainstPurpose, "x", nil, privacy.O13},
		{"O13_rectification_not_on_statutory_retention", rights.KindRectification, rights.GroundStatutoryRetention, "x", privacy.ErrInvalid, privacy.O13},
		{"O13_erasure_against_the_purpose", rights.KindErasure, rights.GroundAgainstPurpose, "the trajectory is running", nil, privacy.O13},
		{"G3_erasure_statutory_retention", rights.KindErasure, rights.GroundStatutoryRetention, "wage data: 7 years (AWR 52(4))", nil, privacy.G3},
		{"G3_erasure_legal_claims", rights.KindErasure, rights.GroundLegalClaims, "a court case is pending", nil, privacy.G3},
		{"G2_access_disproportionate", rights.KindAccess, rights.GroundDisproportionate, "the fifth request this month", nil, privacy.G2},
		{"G2_access_not_contrary_to_law", rights.KindAccess, rights.GroundContraryToLaw, "x", privacy.ErrInvalid, privacy.O13},
		{"G2_portability_unfounded", rights.KindPortability, rights.GroundUnfounded, "x", nil, privacy.G2},
		{"G2_restriction_not_on_legal_claims", rights.KindRestriction, rights.GroundLegalClaims, "x", privacy.ErrInvalid, privacy.O13},
		{"G2_refusal_states_its_reasons", rights.KindErasure, rights.GroundLegalClaims, "", privacy.ErrInvalid, privacy.G2},
		{"unknown_ground", rights.KindErasure, "because", "x", privacy.ErrInvalid, privacy.O13},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			w := newWorld(t, nil)
			w.File(t, rights.Filing{ID: "req-1", Kind: tc.kind})
			r, err := w.Desk.Refuse(w.Ctx, as(carla, t0.Add(time.Hour)), "req-1", rights.Refusal{Ground: tc.ground, Reason: tc.reason})
			if tc.err != nil {
				wantKind(t, "Refuse", err, tc.err)
				wantRule(t, "Refuse", err, tc.rule)
				return
			}
			if err != nil {
				t.Fatalf("Refuse: %v", err)
			}
			s := r.Last()
			if r.Status != rights.StatusRefused || s.Rule != tc.rule || s.Ground != tc.ground || s.Reason != tc.reason || s.Policy != "1.0.0" || s.By != carla {
				t.Errorf("refusal = %+v", s)
			}
			for _, lang := range []export.Lang{export.Dutch, export.English} {
				n, err := w.Desk.Notice(r, lang)
				if err != nil {
					t.Fatal(err)
				}
				text := strings.Join(n.Lines, "\n")
				for _, want := range []string{tc.reason, "Autoriteit Persoonsgegevens", "klachten@dienst.example", string(tc.rule)} {
					if !strings.Contains(text, want) {
						t.Errorf("%s refusal notice lacks %q:\n%s", lang, want, text)
					}
				}
				if !containsRule(n.Rules, privacy.G2) || !containsRule(n.Rules, privacy.O15) {
					t.Errorf("%s refusal notice rules = %v, want G2 and O15", lang, n.Rules)
				}
			}
		})
	}
}

// TestFeeN11: the first copy is free, medical records included; only
// further copies may carry a fee (GDPR art. 15(3)).
func TestFeeN11(t *testing.T) {
	w := newWorld(t, nil)
	w.File(t, rights.Filing{ID: "req-1", Kind: rights.KindCopy})
	t.Run("N11_first_copy_free_medical_records_included", func(t *testing.T) {
		// The copy includes the medical file, released by the physician.
		if _, err := w.Desk.Export(w.Ctx, subjectAct(anna, t0.Add(time.Hour)), discard{}, anna, &rights.ExportOptions{Request: "req-1", Release: &rights.MedicalRelease{Physician: assigned(physician)}}); err != nil {
			t.Fatal(err)
		}
		f, err := w.Desk.Fee(w.Ctx, "req-1")
		if err != nil || !f.Free || f.Copy != 1 || f.Rule != privacy.N11 {
			t.Errorf("Fee(first copy) = %+v, %v; want free copy 1 under N11", f, err)
		}
		_, err = w.Desk.Answer(w.Ctx, as(carla, t0.Add(time.Hour)), "req-1", rights.Answer{Reason: "copy sent", FeeCents: 500})
		wantKind(t, "Answer(fee on the first copy)", err, privacy.ErrForbidden)
		wantRule(t, "Answer(fee on the first copy)", err, privacy.N11)
		r, err := w.Desk.Answer(w.Ctx, as(carla, t0.Add(time.Hour)), "req-1", rights.Answer{Reason: "copy sent"})
		if err != nil || r.Last().Copy != 1 || r.Last().FeeCents != 0 {
			t.Fatalf("Answer(first copy) = %+v, %v", r.Last(), err)
		}
		n, _ := w.Desk.Notice(r, export.English)
		if !strings.Contains(strings.Join(n.Lines, " "), "free of charge") {
			t.Errorf("notice of the first copy does not say it is free: %v", n.Lines)
		}
	})
	t.Run("N11_further_copy_may_carry_a_fee", func(t *testing.T) {
		w.File(t, rights.Filing{ID: "req-2", Kind: rights.KindAccess, Received: t0.Add(24 * time.Hour)})
		f, err := w.Desk.Fee(w.Ctx, "req-2")
		if err != nil || f.Free || f.Copy != 2 {
			t.Errorf("Fee(second copy) = %+v, %v; want copy 2, not free", f, err)
		}
		r, err := w.Desk.Answer(w.Ctx, as(carla, t0.Add(25*time.Hour)), "req-2", rights.Answer{Reason: "copy sent", FeeCents: 750})
		if err != nil || r.Last().Copy != 2 || r.Last().FeeCents != 750 {
			t.Fatalf("Answer(second copy) = %+v, %v", r.Last(), err)
		}
		n, _ := w.Desk.Notice(r, export.Dutch)
		if !strings.Contains(strings.Join(n.Lines, " "), "€ 7,50") {
			t.Errorf("notice of the second copy does not name the fee: %v", n.Lines)
		}
	})
	t.Run("N11_no_fee_on_other_requests", func(t *testing.T) {
		w.File(t, rights.Filing{ID: "req-3", Kind: rights.KindRestriction, Received: t0.Add(24 * time.Hour)})
		_, err := w.Desk.Answer(w.Ctx, as(carla, t0.Add(25*time.Hour)), "req-3", rights.Answer{Reason: "restricted", FeeCents: 100})
		wantKind(t, "Answer(fee on a restriction)", err, privacy.ErrForbidden)
		_, err = w.Desk.Answer(w.Ctx, as(carla, t0.Add(25*time.Hour)), "req-3", rights.Answer{Reason: "restricted", FeeCents: -1})
		wantKind(t, "Answer(negative fee)", err, privacy.ErrInvalid)
	})
}

// TestOpenAndOverdue lists the requests to answer, the most urgent first,
// and the late ones (R11, G2).
func TestOpenAndOverdue(t *testing.T) {
	w := newWorld(t, nil)
	w.File(t, rights.Filing{ID: "req-late", Kind: rights.KindAccess, Received: at(2026, 1, 5, 10, 0)})
	w.File(t, rights.Filing{ID: "req-soon", Kind: rights.KindAccess, Received: at(2026, 3, 1, 10, 0)})
	w.File(t, rights.Filing{ID: "req-done", Kind: rights.KindAccess, Received: at(2026, 1, 6, 10, 0)})
	if _, err := w.Desk.Answer(w.Ctx, as(carla, at(2026, 1, 7, 10, 0)), "req-done", rights.Answer{Reason: "sent"}); err != nil {
		t.Fatal(err)
	}
	open, err := w.Desk.OpenRequests(w.Ctx)
	if err != nil || len(open) != 2 || open[0].ID != "req-late" || open[1].ID != "req-soon" {
		t.Errorf("OpenRequests = %v, %v", ids(open), err)
	}
	late, err := w.Desk.Overdue(w.Ctx, at(2026, 3, 2, 10, 0))
	if err != nil || len(late) != 1 || late[0].ID != "req-late" {
		t.Errorf("Overdue = %v, %v", ids(late), err)
	}
	rs, err := w.Desk.SubjectRequests(w.Ctx, anna)
	if err != nil || len(rs) != 3 || rs[0].ID != "req-late" {
		t.Errorf("SubjectRequests = %v, %v", ids(rs), err)
	}
}

func ids(rs []rights.Request) []rights.RequestID {
	out := make([]rights.RequestID, len(rs))
	for i, r := range rs {
		out[i] = r.ID
	}
	return out
}

type discard struct{}

func (discard) Write(p []byte) (int, error) { return len(p), nil }
