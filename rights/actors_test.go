package rights_test

import (
	"bytes"
	"errors"
	"testing"
	"time"

	"github.com/dossierwacht/dossierwacht/privacy"
	"github.com/dossierwacht/dossierwacht/rights"
)

// TestWhoActs: the subject files their own requests, staff file what they
// receive; case managers, physicians and the privacy officer decide; the
// subject, case managers and physicians export. Anyone else is refused
// with the rule that refuses it, before anything is read, and the refusal
// is audited as a denial (R8, R11, R12, O13).
func TestWhoActs(t *testing.T) {
	employer := privacy.Principal{ID: "employer-contact-bert", Role: privacy.RoleEmployerContact, Party: "employer-bakery"}
	insurer := privacy.Principal{ID: "insurer-ida", Role: privacy.RoleInsurer, Party: "insurer-verzekerd"}
	admin := privacy.Principal{ID: "admin-adam", Role: privacy.RoleAdministrator}
	support := privacy.Principal{ID: "support-sam", Role: privacy.RoleSupportStaff, Secrecy: privacy.SecrecyAgreement}
	officer := privacy.Principal{ID: "officer-olga", Role: privacy.RolePrivacyOfficer}
	self := privacy.Principal{ID: "employee-anna", Role: privacy.RoleSubject, Subject: anna}
	other := privacy.Principal{ID: "employee-bob", Role: privacy.RoleSubject, Subject: "employee-bob"}
	filing := rights.Filing{ID: "req-new", Subject: anna, Kind: rights.KindAccess, Form: rights.FormWritten, Received: t0}
	steps := map[string]func(w *world, a privacy.Act) error{
		"File": func(w *world, a privacy.Act) error {
			_, err := w.Desk.File(w.Ctx, a, filing)
			return err
		},
		"Answer": func(w *world, a privacy.Act) error {
			_, err := w.Desk.Answer(w.Ctx, a, "req-1", rights.Answer{Reason: "sent"})
			return err
		},
		"Extend": func(w *world, a privacy.Act) error {
			_, err := w.Desk.Extend(w.Ctx, a, "req-1", rights.Extension{Reason: "archive"})
			return err
		},
		"Refuse": func(w *world, a privacy.Act) error {
			_, err := w.Desk.Refuse(w.Ctx, a, "req-1", rights.Refusal{Ground: rights.GroundUnfounded, Reason: "no"})
			return err
		},
		"Plan": func(w *world, a privacy.Act) error {
			_, err := w.Desk.Plan(w.Ctx, a, "req-fix", rights.Corrections{"rec-note": {privacy.FieldText: "x"}})
			return err
		},
		"Export": func(w *world, a privacy.Act) error {
			var b bytes.Buffer
			_, err := w.Desk.Export(w.Ctx, a, &b, anna, nil)
			if err != nil && b.Len() > 0 {
				return errors.New("a refused export wrote data")
			}
			return err
		},
	}
	tests := []struct {
		name string
		step string
		by   privacy.Principal
		rule privacy.RuleID // empty: allowed
	}{
		{"R11_the_subject_files_her_own", "File", self, ""},
		{"R11_a_subject_files_for_another", "File", other, privacy.R11},
		{"R11_the_employer_files", "File", employer, privacy.R11},
		{"R11_the_insurer_files", "File", insurer, privacy.R11},
		{"R12_the_administrator_files", "File", admin, privacy.R12},
		{"R8_support_staff_file_what_they_receive", "File", support, ""},
		{"O13_the_privacy_officer_files", "File", officer, ""},
		{"R11_the_employer_answers", "Answer", employer, privacy.R11},
		{"R11_the_subject_answers_her_own", "Answer", self, privacy.R11},
		{"R8_support_staff_answer", "Answer", support, privacy.R8},
		{"R12_the_administrator_extends", "Extend", admin, privacy.R12},
		{"R11_the_insurer_refuses", "Refuse", insurer, privacy.R11},
		{"O13_the_privacy_officer_refuses", "Refuse", officer, ""},
		{"O13_the_physician_answers", "Answer", physician, ""},
		{"R11_the_employer_plans", "Plan", employer, privacy.R11},
		{"R8_support_staff_plan", "Plan", support, privacy.R8},
		{"R11_the_subject_exports_her_own", "Export", self, ""},
		{"R11_a_subject_exports_another", "Export", other, privacy.R11},
		{"R11_the_employer_exports", "Export", employer, privacy.R11},
		{"R12_the_administrator_exports", "Export", admin, privacy.R12},
		{"R8_the_privacy_officer_exports", "Export", officer, privacy.R8},
		{"R8_support_staff_export", "Export", support, privacy.R8},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			w := newWorld(t, nil)
			w.File(t, rights.Filing{ID: "req-1", Kind: rights.KindAccess})
			w.File(t, rights.Filing{ID: "req-fix", Kind: rights.KindRectification})
			before, _ := w.Desk.Request(w.Ctx, "req-1")
			seq := w.LastSeq(t)
			// Staff act assigned to Anna's case: they decide her requests (R7, O4).
			a := privacy.Act{By: tc.by, At: t0.Add(time.Hour), AccessPoint: "10.1.2.3", Client: "desk-ui",
				Cases: []privacy.CaseID{annaCase}}
			err := steps[tc.step](w, a)
			if tc.rule == "" {
				if err != nil {
					t.Fatalf("%s by %s: %v", tc.step, tc.by.Role, err)
				}
				return
			}
			wantKind(t, tc.step, err, privacy.ErrForbidden)
			wantRule(t, tc.step, err, tc.rule)
			evs := w.Events(t, seq)
			if len(evs) != 1 {
				t.Fatalf("the refusal left %d events, want 1 denial: %+v", len(evs), evs)
			}
			if e := evs[0]; e.Outcome != privacy.OutcomeDenied || e.Principal != tc.by.ID || e.Role != tc.by.Role ||
				e.Rule != tc.rule || !e.Time.Equal(a.At) || e.AccessPoint != a.AccessPoint || e.Client != a.Client {
				t.Errorf("denial = %+v", e)
			}
			if _, err := w.Desk.Request(w.Ctx, "req-new"); !errors.Is(err, privacy.ErrNotFound) {
				t.Errorf("a refused filing was stored")
			}
			if after, _ := w.Desk.Request(w.Ctx, "req-1"); len(after.History) != len(before.History) {
				t.Errorf("a refused step was stored")
			}
		})
	}
}

// TestStepsAudited: every step of the desk writes one event with the NEN
// 7513 fields of its act, with the step (O1, G7, N9); the export and a
// plan's application write theirs before anything else; when the event
// cannot be written, the step is not taken.
func TestStepsAudited(t *testing.T) {
	// Regulation O extends a request (G2); regulation R does not (R11).
	w := newWorld(t, &worldOptions{Policy: privacy.RegulationO()})
	a := deskAct(t0.Add(time.Hour))
	a.Purpose, a.AccessPoint, a.Client = privacy.PurposeAbsenceGuidance, "10.1.2.3", "desk-ui"
	check := func(t *testing.T, what string, seq uint64, action privacy.EventAction, rule privacy.RuleID, object string) {
		t.Helper()
		evs := w.Events(t, seq)
		if len(evs) == 0 {
			t.Fatalf("G7: %s left no audit event", what)
		}
		e := evs[0]
		if e.Action != action || e.Outcome != privacy.OutcomeAllowed || e.Rule != rule || e.Object != object ||
			e.Subject != anna || e.Principal != carla || e.Role != privacy.RoleCaseManager || !e.Time.Equal(a.At) ||
			e.Purpose != a.Purpose || e.AccessPoint != a.AccessPoint || e.Client != a.Client || e.Policy != w.Desk.Policy().Version {
			t.Errorf("G7: %s logged %+v", what, e)
		}
	}
	t.Run("G7_filing", func(t *testing.T) {
		seq := w.LastSeq(t)
		if _, err := w.Desk.File(w.Ctx, a, rights.Filing{ID: "req-1", Subject: anna, Kind: rights.KindAccess,
			Form: rights.FormOral, Received: t0}); err != nil {
			t.Fatal(err)
		}
		check(t, "the filing", seq, privacy.EventCreate, privacy.O13, "request:req-1")
		if r, _ := w.Desk.Request(w.Ctx, "req-1"); !r.History[0].At.Equal(a.At) || r.History[0].By != carla || !r.Received.Equal(t0) {
			t.Errorf("the filing step = %+v, received %v; want it dated and signed by the act", r.History[0], r.Received)
		}
	})
	t.Run("G7_confirmation", func(t *testing.T) {
		seq := w.LastSeq(t)
		if _, err := w.Desk.ConfirmWritten(w.Ctx, a, "req-1", rights.Confirmation{Document: "letter-1"}); err != nil {
			t.Fatal(err)
		}
		check(t, "the confirmation", seq, privacy.EventUpdate, privacy.O13, "request:req-1")
	})
	t.Run("G7_extension", func(t *testing.T) {
		seq := w.LastSeq(t)
		if _, err := w.Desk.Extend(w.Ctx, a, "req-1", rights.Extension{Reason: "archive"}); err != nil {
			t.Fatal(err)
		}
		check(t, "the extension", seq, privacy.EventUpdate, privacy.G2, "request:req-1")
	})
	t.Run("G7_export_first", func(t *testing.T) {
		seq := w.LastSeq(t)
		// Anna herself takes the export that answers her request: the
		// desk's case manager may not export (no policy rule lets her).
		self := subjectAct(anna, a.At)
		self.Purpose, self.AccessPoint, self.Client = a.Purpose, a.AccessPoint, a.Client
		if _, err := w.Desk.Export(w.Ctx, self, discard{}, anna, &rights.ExportOptions{Request: "req-1"}); err != nil {
			t.Fatal(err)
		}
		e := w.Events(t, seq)[0]
		if e.Action != privacy.EventExecute || e.Outcome != privacy.OutcomeAllowed || e.Rule != privacy.O13 ||
			e.Object != "request:req-1" || e.Principal != privacy.PrincipalID(anna) || e.Role != privacy.RoleSubject ||
			!e.Time.Equal(a.At) || e.AccessPoint != a.AccessPoint || e.Client != a.Client {
			t.Errorf("G7: the export logged %+v", e)
		}
	})
	t.Run("G7_answer", func(t *testing.T) {
		seq := w.LastSeq(t)
		if _, err := w.Desk.Answer(w.Ctx, a, "req-1", rights.Answer{Reason: "sent"}); err != nil {
			t.Fatal(err)
		}
		check(t, "the answer", seq, privacy.EventUpdate, privacy.O13, "request:req-1")
	})
	t.Run("G7_refusal", func(t *testing.T) {
		w.File(t, rights.Filing{ID: "req-2", Kind: rights.KindErasure})
		seq := w.LastSeq(t)
		if _, err := w.Desk.Refuse(w.Ctx, a, "req-2", rights.Refusal{Ground: rights.GroundUnfounded, Reason: "no"}); err != nil {
			t.Fatal(err)
		}
		check(t, "the refusal", seq, privacy.EventUpdate, privacy.O13, "request:req-2")
	})
	t.Run("G7_application_first", func(t *testing.T) {
		w.File(t, rights.Filing{ID: "req-fix", Kind: rights.KindRectification})
		p, err := w.Desk.Plan(w.Ctx, a, "req-fix", rights.Corrections{"rec-identity": {privacy.FieldCity: "Amersfoort"}})
		if err != nil {
			t.Fatal(err)
		}
		seq := w.LastSeq(t)
		a := a
		a.At = a.At.Add(time.Minute)
		if err := w.Desk.Apply(w.Ctx, a, p); err != nil {
			t.Fatal(err)
		}
		evs := w.Events(t, seq)
		if len(evs) != 2 || evs[0].Action != privacy.EventExecute || evs[0].Rule != privacy.O13 || evs[0].Object != "request:req-fix" ||
			evs[1].Action != privacy.EventUpdate || evs[1].Object != "rec-identity" {
			t.Errorf("G7: the application logged %+v, want its execute event, then the rectification's", evs)
		}
	})
	t.Run("G7_no_event_no_step", func(t *testing.T) {
		w.File(t, rights.Filing{ID: "req-3", Kind: rights.KindAccess})
		before, _ := w.Desk.Request(w.Ctx, "req-3")
		seq := w.LastSeq(t)
		w.Store.FailAfter(1) // the request's row is written, its event is not
		_, err := w.Desk.Answer(w.Ctx, a, "req-3", rights.Answer{Reason: "sent"})
		w.Store.FailAfter(-1)
		wantKind(t, "Answer(event fails)", err, privacy.ErrUnavailable)
		if after, _ := w.Desk.Request(w.Ctx, "req-3"); len(after.History) != len(before.History) || w.LastSeq(t) != seq {
			t.Errorf("G7: an answer whose event failed was stored")
		}
		var b bytes.Buffer
		w.Store.FailAfter(0)
		_, err = w.Desk.Export(w.Ctx, a, &b, anna, nil)
		w.Store.FailAfter(-1)
		wantKind(t, "Export(event fails)", err, privacy.ErrUnavailable)
		wantRule(t, "Export(event fails)", err, privacy.G7)
		if b.Len() != 0 {
			t.Errorf("G7: an export whose event failed wrote %d bytes", b.Len())
		}
	})
}

// TestR7DecidersSeeOnlyTheirSubjectsRequests: a case manager or physician
// decides and reads only the requests of subjects in one of whose cases it
// is assigned (R7, O4); another subject's request answers as a missing one
// does — the same kind, the same text, one denied audit event each — and
// is left as it was. The privacy officer decides all.
func TestR7DecidersSeeOnlyTheirSubjectsRequests(t *testing.T) {
	const bob privacy.SubjectID = "employee-bob"
	const bobCase privacy.CaseID = "case-bob-absence"
	zed := privacy.Principal{ID: "case-manager-zed", Role: privacy.RoleCaseManager, Secrecy: privacy.SecrecyAgreement}
	steps := map[string]func(w *world, a privacy.Act, id rights.RequestID) error{
		"Confirm": func(w *world, a privacy.Act, id rights.RequestID) error {
			_, err := w.Desk.ConfirmWritten(w.Ctx, a, id, rights.Confirmation{})
			return err
		},
		"Extend": func(w *world, a privacy.Act, id rights.RequestID) error {
			_, err := w.Desk.Extend(w.Ctx, a, id, rights.Extension{Reason: "archive"})
			return err
		},
		"Refuse": func(w *world, a privacy.Act, id rights.RequestID) error {
			_, err := w.Desk.Refuse(w.Ctx, a, id, rights.Refusal{Ground: rights.GroundUnfounded, Reason: "no"})
			return err
		},
		"Answer": func(w *world, a privacy.Act, id rights.RequestID) error {
			_, err := w.Desk.Answer(w.Ctx, a, id, rights.Answer{Reason: "sent"})
			return err
		},
		"Plan": func(w *world, a privacy.Act, id rights.RequestID) error {
			_, err := w.Desk.Plan(w.Ctx, a, id, nil)
			return err
		},
		"Apply": func(w *world, a privacy.Act, id rights.RequestID) error {
			return w.Desk.Apply(w.Ctx, a, rights.Plan{Request: id, Kind: rights.KindRectification, Subject: anna})
		},
	}
	tests := []struct {
		name string
		by   privacy.Principal
		// cases are the cases by is assigned to; bob's request is hidden
		// from it unless one is bob's.
		cases  []privacy.CaseID
		hidden bool
	}{
		{"R7_unassigned_case_manager", zed, nil, true},
		{"R7_case_manager_of_another_subject", privacy.Principal{ID: carla, Role: privacy.RoleCaseManager,
			Secrecy: privacy.SecrecyAgreement}, []privacy.CaseID{annaCase}, true},
		{"R7_physician_of_another_subject", physician, []privacy.CaseID{annaCase}, true},
		{"R7_case_manager_assigned_to_the_subject", zed, []privacy.CaseID{bobCase}, false},
		{"O13_the_privacy_officer_decides_all", officer, nil, false},
	}
	for _, tc := range tests {
		for name, step := range steps {
			t.Run(tc.name+"/"+name, func(t *testing.T) {
				w := newWorld(t, &worldOptions{Policy: privacy.RegulationO()})
				s, err := privacy.NewSubject(bob, "employer-bakery", t0.Add(-24*time.Hour))
				if err != nil {
					t.Fatal(err)
				}
				if err := w.Dossiers.CreateSubject(w.Ctx, deskAct(t0), s); err != nil {
					t.Fatal(err)
				}
				c, err := privacy.NewCase(bobCase, bob, privacy.CaseAbsence, privacy.PurposeAbsenceGuidance, contract, t0)
				if err != nil {
					t.Fatal(err)
				}
				if err := w.Dossiers.OpenCase(w.Ctx, deskAct(t0), c); err != nil {
					t.Fatal(err)
				}
				w.File(t, rights.Filing{ID: "req-bob", Subject: bob, Kind: rights.KindRectification, Form: rights.FormOral})
				a := privacy.Act{By: tc.by, At: t0.Add(time.Hour), Cases: tc.cases}
				seq := w.LastSeq(t)
				missing := step(w, a, "req-none")
				nMissing := len(w.Events(t, seq))
				wantKind(t, "a missing request", missing, privacy.ErrNotFound)
				seq = w.LastSeq(t)
				before, _ := w.Desk.Request(w.Ctx, "req-bob")
				err = step(w, a, "req-bob")
				evs := w.Events(t, seq)
				if !tc.hidden {
					if errors.Is(err, privacy.ErrNotFound) {
						t.Fatalf("%s of bob's request by %s: %v", name, tc.by.Role, err)
					}
					return
				}
				if err == nil || err.Error() != missing.Error() {
					t.Errorf("bob's request answers %v; a missing one %v", err, missing)
				}
				if len(evs) != nMissing || len(evs) != 1 || evs[0].Outcome != privacy.OutcomeDenied {
					t.Errorf("bob's request left %d events %+v; a missing one %d, want 1 denial each", len(evs), evs, nMissing)
				}
				if after, _ := w.Desk.Request(w.Ctx, "req-bob"); len(after.History) != len(before.History) {
					t.Errorf("a hidden request was changed: %+v", after.History)
				}
			})
		}
	}
}
