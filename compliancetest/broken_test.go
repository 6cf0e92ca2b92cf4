package compliancetest_test

import (
	"context"
	"errors"
	"maps"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/dossierwacht/dossierwacht/compliancetest"
	"github.com/dossierwacht/dossierwacht/consent"
	"github.com/dossierwacht/dossierwacht/export"
	"github.com/dossierwacht/dossierwacht/memstore"
	"github.com/dossierwacht/dossierwacht/privacy"
	"github.com/dossierwacht/dossierwacht/privacy/calendar"
	"github.com/dossierwacht/dossierwacht/retention"
	"github.com/dossierwacht/dossierwacht/rights"
)

// Deliberately broken systems: the library with one thing done wrong. The
// kit must catch each.

// showsReason shows the employer the reason for the sick report (breaks O9).
type showsReason struct{ compliancetest.System }

func (s showsReason) View(ctx context.Context, by compliancetest.Actor, c privacy.CaseID, purpose privacy.Purpose, at time.Time) ([]privacy.Record, error) {
	rs, err := s.System.View(ctx, by, c, purpose, at)
	if err != nil || by.Role != privacy.RoleEmployerContact {
		return rs, err
	}
	insider := compliancetest.Actor{Principal: privacy.Principal{ID: "insider", Role: privacy.RoleCaseManager,
		Party: "service-arbo", Secrecy: privacy.SecrecyAgreement}, Cases: []privacy.CaseID{c}}
	all, err := s.System.View(ctx, insider, c, purpose, at)
	if err != nil {
		return nil, err
	}
	for _, r := range all {
		if r.Category == privacy.CategoryAbsenceReason {
			rs = append(rs, r)
		}
	}
	return rs, nil
}

// listsEverything lists every case of the subject to whoever asks, the
// employer included (breaks O10).
type listsEverything struct{ compliancetest.System }

func (s listsEverything) Cases(ctx context.Context, by compliancetest.Actor, subject privacy.SubjectID, at time.Time) ([]privacy.CaseID, error) {
	self := compliancetest.Actor{Principal: privacy.Principal{ID: privacy.PrincipalID(subject), Role: privacy.RoleSubject, Subject: subject}}
	return s.System.Cases(ctx, self, subject, at)
}

// ignoresRevocation says yes to a revocation and does nothing (breaks R6
// and O14).
type ignoresRevocation struct{ compliancetest.System }

func (ignoresRevocation) Revoke(context.Context, privacy.SubjectID, string, time.Time) error {
	return nil
}

// ignoresHolds says yes to a legal hold and does not place it, so held
// records are deleted (breaks G3).
type ignoresHolds struct{ compliancetest.System }

func (ignoresHolds) Hold(context.Context, compliancetest.Hold) error { return nil }

// openBook shows everyone everything, as if each were the assigned
// physician (breaks every rule about who sees what).
type openBook struct{ compliancetest.System }

func (s openBook) View(ctx context.Context, by compliancetest.Actor, c privacy.CaseID, purpose privacy.Purpose, at time.Time) ([]privacy.Record, error) {
	all := compliancetest.Actor{Principal: privacy.Principal{ID: "anyone", Role: privacy.RolePhysician, Party: "service-arbo",
		Secrecy: privacy.SecrecyProfessional, MultiFactor: true}, Cases: []privacy.CaseID{c}}
	return s.System.View(ctx, all, c, purpose, at)
}

// writesAnything stores every record the case file accepts, whoever
// writes it (breaks the rules about who may write what).
type writesAnything struct {
	compliancetest.System
	dossiers *privacy.Dossiers
}

func (s writesAnything) Write(ctx context.Context, by compliancetest.Actor, r privacy.Record) error {
	return s.dossiers.AddRecord(ctx, privacy.Act{By: by.Principal, At: r.Created}, r)
}

// disclosesAnything lets every disclosure through and logs none (breaks
// every rule about what may leave the service).
type disclosesAnything struct{ compliancetest.System }

func (disclosesAnything) Disclose(context.Context, compliancetest.Disclosure) (compliancetest.Disclosed, error) {
	return compliancetest.Disclosed{Rule: privacy.R6, Basis: privacy.BasisConsent, NotifySubject: true}, nil
}

// neverSweeps keeps everything for ever (breaks the retention rules).
type neverSweeps struct{ compliancetest.System }

func (neverSweeps) Sweep(context.Context, compliancetest.Actor, time.Time) error { return nil }

// fakesErasure answers a granted erasure request as done and deletes
// nothing (breaks R9, G3's "the rest goes", N8).
type fakesErasure struct {
	compliancetest.System
	kinds map[string]rights.Kind
}

func (s fakesErasure) File(ctx context.Context, r compliancetest.Request) (calendar.Date, error) {
	s.kinds[r.ID] = r.Kind
	return s.System.File(ctx, r)
}

func (s fakesErasure) Respond(ctx context.Context, r compliancetest.Response) (compliancetest.Outcome, error) {
	if s.kinds[r.Request] == rights.KindErasure && r.Verdict == compliancetest.Granted {
		return compliancetest.Outcome{}, nil
	}
	return s.System.Respond(ctx, r)
}

// forgetsTheTrail keeps no audit trail (breaks G7, N9, O16).
type forgetsTheTrail struct{ compliancetest.System }

func (forgetsTheTrail) AuditTrail(context.Context, privacy.SubjectID) ([]privacy.Event, error) {
	return nil, nil
}

// overwritesHeldRecords carries out a rectification that a legal hold
// refused, in a copy of its own that it shows from then on, as a system
// that versions held data instead of keeping it would (breaks G3).
type overwritesHeldRecords struct {
	compliancetest.System
	fixed map[privacy.RecordID]map[privacy.Field]string
}

func (s *overwritesHeldRecords) Respond(ctx context.Context, r compliancetest.Response) (compliancetest.Outcome, error) {
	out, err := s.System.Respond(ctx, r)
	if errors.Is(err, privacy.ErrForbidden) && privacy.RuleOf(err) == privacy.G3 && len(r.Corrections) > 0 {
		maps.Copy(s.fixed, r.Corrections)
		return compliancetest.Outcome{}, nil
	}
	return out, err
}

func (s *overwritesHeldRecords) View(ctx context.Context, by compliancetest.Actor, c privacy.CaseID, purpose privacy.Purpose, at time.Time) ([]privacy.Record, error) {
	rs, err := s.System.View(ctx, by, c, purpose, at)
	for i := range rs {
		maps.Copy(rs[i].Fields, s.fixed[rs[i].ID])
	}
	return rs, err
}

// backfillsClosedCases adds a record the case file refused because its
// case is closed by reopening the case behind the library's back, adding
// it and closing the case again (breaks R4).
type backfillsClosedCases struct {
	compliancetest.System
	store    *memstore.Store
	dossiers *privacy.Dossiers
}

func (s backfillsClosedCases) Write(ctx context.Context, by compliancetest.Actor, r privacy.Record) error {
	err := s.System.Write(ctx, by, r)
	if !errors.Is(err, privacy.ErrConflict) || privacy.RuleOf(err) != privacy.R4 {
		return err
	}
	c, err := s.store.Case(ctx, r.Case)
	if err != nil {
		return err
	}
	audit := []privacy.Event{{Time: r.Created, Principal: by.ID, Role: by.Role, Subject: c.Subject, Case: c.ID,
		Object: string(c.ID), Action: privacy.EventUpdate, Outcome: privacy.OutcomeAllowed, Rule: privacy.R4}}
	closed := c.Closed
	c.Closed = time.Time{}
	if err := s.store.UpdateCase(ctx, c, audit); err != nil {
		return err
	}
	if err := s.dossiers.AddRecord(ctx, privacy.Act{By: by.Principal, At: r.Created}, r); err != nil {
		return err
	}
	c.Closed = closed
	return s.store.UpdateCase(ctx, c, audit)
}

// logsNoWrites keeps the audit trail of reads and decisions but leaves out
// the case file's own writes (breaks O1 and N9).
type logsNoWrites struct{ compliancetest.System }

func (s logsNoWrites) AuditTrail(ctx context.Context, subject privacy.SubjectID) ([]privacy.Event, error) {
	evs, err := s.System.AuditTrail(ctx, subject)
	return slices.DeleteFunc(evs, func(e privacy.Event) bool {
		return e.Action == privacy.EventCreate || e.Action == privacy.EventUpdate || e.Action == privacy.EventDelete
	}), err
}

// withoutTheCase decides every disclosure as if it came from a plain case
// of the data's purpose, commissioned by the recipient (or, for an
// insurer, by an employer the insurer covers), under a contract in force:
// the gate that never looks at the case it discloses from (breaks N2,
// O10, O11, R5, O2).
type withoutTheCase struct{ compliancetest.System }

func (s withoutTheCase) Disclose(ctx context.Context, d compliancetest.Disclosure) (compliancetest.Disclosed, error) {
	shadow := privacy.CaseID("shadow-" + d.ID)
	party := privacy.PartyID("employer-shadow")
	if d.Recipient.Kind == privacy.PartyEmployer {
		party = d.Recipient.Party
	}
	kind := privacy.CaseAbsence
	if d.Purpose == privacy.PurposePrevention {
		kind = privacy.CasePreventive
	}
	c := privacy.Case{ID: shadow, Subject: d.Subject, Kind: kind, Purpose: d.Purpose, Opened: d.At.Add(-time.Hour),
		Contract: privacy.Contract{ID: "contract-shadow", Party: party, PartyKind: privacy.PartyEmployer, Start: d.At.AddDate(-1, 0, 0)}}
	if err := s.System.Open(ctx, privacy.Subject{ID: d.Subject, Created: d.At.AddDate(-1, 0, 0)}, c); err != nil {
		return compliancetest.Disclosed{}, err
	}
	if d.Recipient.Kind == privacy.PartyInsurer {
		if err := s.System.Cover(ctx, compliancetest.Coverage{ID: "cover-" + d.ID, Insurer: d.Recipient.Party, Employer: party,
			From: d.At.AddDate(-1, 0, 0), By: "shadow"}); err != nil {
			return compliancetest.Disclosed{}, err
		}
	}
	d.Case = shadow
	d.By.Cases = append(slices.Clone(d.By.Cases), shadow)
	items := slices.Clone(d.Items)
	for i := range items {
		items[i].Record = "" // the records are of the real case
	}
	d.Items = items
	return s.System.Disclose(ctx, d)
}

// withoutTheDiscloser discloses as the assigned physician, whoever asks:
// the gate that never looks at what the discloser may read itself (breaks
// R7, R8, O6, G8, N4, N6).
type withoutTheDiscloser struct{ compliancetest.System }

func (s withoutTheDiscloser) Disclose(ctx context.Context, d compliancetest.Disclosure) (compliancetest.Disclosed, error) {
	if d.By.Role.Staff() {
		d.By = compliancetest.Actor{Principal: privacy.Principal{ID: d.By.ID, Role: privacy.RolePhysician, Party: d.By.Party,
			Secrecy: privacy.SecrecyProfessional, MultiFactor: true}, Cases: []privacy.CaseID{d.Case}}
	}
	return s.System.Disclose(ctx, d)
}

// trustsTheLabel discloses each item under the category the request gives
// it, without looking up the record it names (breaks O6 and N2: the
// medical file leaves labelled as something else).
type trustsTheLabel struct{ compliancetest.System }

func (s trustsTheLabel) Disclose(ctx context.Context, d compliancetest.Disclosure) (compliancetest.Disclosed, error) {
	items := slices.Clone(d.Items)
	for i := range items {
		items[i].Record = ""
	}
	d.Items = items
	return s.System.Disclose(ctx, d)
}

// asksNoWrittenRequest takes every third party's request as made in
// writing (breaks O14).
type asksNoWrittenRequest struct{ compliancetest.System }

func (s asksNoWrittenRequest) Disclose(ctx context.Context, d compliancetest.Disclosure) (compliancetest.Disclosed, error) {
	if d.Request == "" {
		d.Request = "assumed"
	}
	return s.System.Disclose(ctx, d)
}

// reachesBehindRevocations records a revocation only once a disclosure
// dated at or after it comes along, so that one dated before it still
// rests on the withdrawn consent (breaks R6).
type reachesBehindRevocations struct {
	compliancetest.System
	pending []revocation
}

type revocation struct {
	subject privacy.SubjectID
	id      string
	at      time.Time
}

func (s *reachesBehindRevocations) Revoke(_ context.Context, subject privacy.SubjectID, id string, at time.Time) error {
	s.pending = append(s.pending, revocation{subject, id, at})
	return nil
}

func (s *reachesBehindRevocations) Disclose(ctx context.Context, d compliancetest.Disclosure) (compliancetest.Disclosed, error) {
	later := s.pending[:0]
	for _, r := range s.pending {
		if r.at.After(d.At) {
			later = append(later, r)
			continue
		}
		if err := s.System.Revoke(ctx, r.subject, r.id, r.at); err != nil {
			return compliancetest.Disclosed{}, err
		}
	}
	s.pending = later
	return s.System.Disclose(ctx, d)
}

// officer is the privacy officer the broken systems below act as,
// whoever asks.
var officer = compliancetest.Actor{Principal: privacy.Principal{ID: "dpo-any", Role: privacy.RolePrivacyOfficer}}

// letsAnyoneHold places and lifts legal holds for whoever asks, as if each
// were the privacy officer (breaks G3: the employer lifts the hold that
// keeps what it wants gone).
type letsAnyoneHold struct{ compliancetest.System }

func (s letsAnyoneHold) Hold(ctx context.Context, h compliancetest.Hold) error {
	h.By = officer
	return s.System.Hold(ctx, h)
}

func (s letsAnyoneHold) Lift(ctx context.Context, l compliancetest.Lift) error {
	l.By = officer
	return s.System.Lift(ctx, l)
}

// letsAnyoneSweep runs a retention sweep for whoever asks (breaks G3 and
// O12: the employer decides what is destroyed).
type letsAnyoneSweep struct{ compliancetest.System }

func (s letsAnyoneSweep) Sweep(ctx context.Context, _ compliancetest.Actor, at time.Time) error {
	return s.System.Sweep(ctx, officer, at)
}

// erasesWithoutProof carries out a granted erasure as the desk did before
// issue 12: it decides it with the desk, then deletes the records straight
// from the case file, leaving no proof of deletion (breaks O13, R9 and G3's
// proof of what went).
type erasesWithoutProof struct {
	compliancetest.System
	store    *memstore.Store
	dossiers *privacy.Dossiers
	desk     *rights.Desk
}

func (s erasesWithoutProof) Respond(ctx context.Context, r compliancetest.Response) (compliancetest.Outcome, error) {
	req, err := s.store.Request(ctx, rights.RequestID(r.Request))
	if err != nil || r.Verdict != compliancetest.Granted || req.Kind != rights.KindErasure {
		return s.System.Respond(ctx, r)
	}
	cm := privacy.Act{By: privacy.Principal{ID: r.By, Role: privacy.RoleCaseManager}, At: r.At}
	plan, err := s.desk.Plan(ctx, cm, req.ID, nil)
	if err != nil || len(plan.Changes) == 0 {
		return s.System.Respond(ctx, r)
	}
	out := compliancetest.Outcome{MedicalDue: plan.MedicalDue}
	for _, n := range plan.Notify {
		out.Notify = append(out.Notify, compliancetest.Recipient{Kind: n.RecipientKind, Party: n.Recipient})
	}
	for _, c := range plan.Changes {
		if err := s.dossiers.DeleteRecord(ctx, privacy.Act{By: officer.Principal, At: r.At}, c.Record); err != nil {
			return out, err
		}
		out.Erased = append(out.Erased, c.Record)
	}
	for _, k := range plan.Keeps {
		out.Kept = append(out.Kept, compliancetest.Kept{Record: k.Record, Ground: k.Ground, Rule: k.Rule})
	}
	_, err = s.desk.Answer(ctx, cm, req.ID, rights.Answer{Reason: r.Reason, Plan: &plan})
	return out, err
}

// releasesWithoutSecondFactor lets a physician release the medical file
// as if it had signed in with a second factor (breaks N6).
type releasesWithoutSecondFactor struct{ compliancetest.System }

func (s releasesWithoutSecondFactor) ExportReleased(ctx context.Context, subject privacy.SubjectID, by compliancetest.Actor, at time.Time) ([]byte, error) {
	by.MultiFactor = true
	return s.System.ExportReleased(ctx, subject, by, at)
}

// sweepsRecordsOnly sweeps the records alone, as sweeps did before issue
// 14: the client's master data, cases, consent, disclosure log and
// requests are kept forever (R9).
type sweepsRecordsOnly struct {
	compliancetest.System
	m *memstore.Store
}

// recordsOnly hides the store's ObjectStore methods from a sweep.
type recordsOnly struct{ retention.Store }

func (b sweepsRecordsOnly) Sweep(ctx context.Context, by compliancetest.Actor, at time.Time) error {
	k, err := retention.New(recordsOnly{b.m}, privacy.Strict(), nil)
	if err != nil {
		return err
	}
	_, err = k.Sweep(ctx, by.Principal, at)
	return err
}

// panics panics on every call.
type panics struct{ compliancetest.System }

func (panics) Open(context.Context, privacy.Subject, privacy.Case) error { panic("boom") }

// gateScenarios are the scenarios of the disclosure gate (issue 12, §1).
var gateScenarios = []string{
	"N2/advice_only_to_the_commissioning_employer", "N2/advice_never_under_another_label",
	"O10/no_advice_from_a_consultation_or_periodic_exam_case", "O11/overview_only_to_a_covering_insurer",
	"R5/nothing_leaves_for_another_purpose", "O2/nothing_leaves_after_the_contract", "R7/unassigned_staff_disclose_nothing",
	"R8/support_staff_disclose_no_content", "O6/unassigned_physician_never_discloses_the_medical_file",
	"O6/medical_record_never_leaves_under_another_label", "G8/no_medical_disclosure_without_medical_secrecy",
	"N6/no_medical_disclosure_without_a_second_factor", "N4/no_health_data_disclosed_without_secrecy",
	"O14/third_party_needs_its_written_request", "R6/no_disclosure_dated_before_a_revocation",
}

func TestBrokenSystems(t *testing.T) {
	type wrapper func(*memstore.Store, compliancetest.System) compliancetest.System
	for _, tc := range []struct {
		name string
		wrap wrapper
		// breaks are the scenarios that must fail, each with a message
		// that names its rule; others may fail besides, because they
		// exercise the same broken step. Any other failure is an error:
		// the scenarios of other rules still pass.
		breaks, others []string
	}{
		{"shows_the_absence_reason_to_the_employer",
			func(_ *memstore.Store, s compliancetest.System) compliancetest.System { return showsReason{s} },
			[]string{"O9/absence_reason_never_reaches_the_employer"},
			[]string{"O4/roles_see_only_their_categories"}},
		{"lists_consultation_cases_to_the_employer",
			func(_ *memstore.Store, s compliancetest.System) compliancetest.System { return listsEverything{s} },
			[]string{"O10/employer_never_lists_consultation", "O10/employer_never_lists_periodic_exam"}, nil},
		{"ignores_revocation",
			func(_ *memstore.Store, s compliancetest.System) compliancetest.System { return ignoresRevocation{s} },
			[]string{"R6/no_third_party_without_consent", "O14/disclosure_needs_written_consent"},
			[]string{"R6/no_disclosure_dated_before_a_revocation"}},
		{"deletes_held_records",
			func(_ *memstore.Store, s compliancetest.System) compliancetest.System { return ignoresHolds{s} },
			[]string{"G3/legal_hold_blocks_deletion", "G3/held_record_is_not_overwritten",
				"G3/employer_cannot_place_or_lift_a_hold", "O13/desk_erasure_leaves_a_proof_per_record"}, nil},
		{"lets_anyone_hold_and_lift",
			func(_ *memstore.Store, s compliancetest.System) compliancetest.System { return letsAnyoneHold{s} },
			[]string{"G3/employer_cannot_place_or_lift_a_hold"}, nil},
		{"keeps_all_but_records_forever",
			func(m *memstore.Store, s compliancetest.System) compliancetest.System { return sweepsRecordsOnly{s, m} },
			[]string{"R9/nothing_outlives_its_retention"}, nil},
		{"lets_anyone_sweep",
			func(_ *memstore.Store, s compliancetest.System) compliancetest.System { return letsAnyoneSweep{s} },
			[]string{"G3/employer_cannot_run_a_sweep"}, nil},
		{"erases_without_proof",
			func(m *memstore.Store, s compliancetest.System) compliancetest.System {
				d, err := privacy.NewDossiers(m, privacy.Strict())
				if err != nil {
					t.Fatal(err)
				}
				rules, err := retention.NewEngine(privacy.Strict())
				if err != nil {
					t.Fatal(err)
				}
				reg, err := consent.New(m, privacy.Strict(), nil)
				if err != nil {
					t.Fatal(err)
				}
				desk, err := rights.New(m, d, &rights.Options{Retention: export.RetentionFromStore(m, rules),
					Disclosures: export.FromConsent(reg)})
				if err != nil {
					t.Fatal(err)
				}
				return erasesWithoutProof{s, m, d, desk}
			},
			[]string{"O13/desk_erasure_leaves_a_proof_per_record"}, nil},
		{"releases_without_a_second_factor",
			func(_ *memstore.Store, s compliancetest.System) compliancetest.System {
				return releasesWithoutSecondFactor{s}
			},
			[]string{"N6/physician_without_second_factor_releases_nothing"}, nil},
		{"overwrites_held_records",
			func(_ *memstore.Store, s compliancetest.System) compliancetest.System {
				return &overwritesHeldRecords{s, map[privacy.RecordID]map[privacy.Field]string{}}
			},
			[]string{"G3/held_record_is_not_overwritten"}, nil},
		{"backfills_closed_cases",
			func(m *memstore.Store, s compliancetest.System) compliancetest.System {
				d, err := privacy.NewDossiers(m, privacy.Strict())
				if err != nil {
					t.Fatal(err)
				}
				return backfillsClosedCases{s, m, d}
			},
			[]string{"R4/closed_case_takes_no_backdated_record", "R4/file_supplemented_with_author_and_time"}, nil},
		{"logs_no_writes",
			func(_ *memstore.Store, s compliancetest.System) compliancetest.System { return logsNoWrites{s} },
			[]string{"O1/every_write_leaves_an_audit_event", "N9/writes_logged_with_who_what_and_when"}, nil},
		{"shows_everyone_everything",
			func(_ *memstore.Store, s compliancetest.System) compliancetest.System { return openBook{s} },
			[]string{"R3/statements_and_capacity_apart_from_medical", "R7/content_only_for_assigned_staff",
				"R8/need_to_know_staff_see_no_content", "R12/administrator_sees_no_content",
				"O1/every_operation_goes_through_the_policy", "O4/roles_see_only_their_categories",
				"O6/medical_only_for_the_assigned_physician", "O7/contractor_needs_an_agreement",
				"O9/absence_reason_never_reaches_the_employer", "O10/employer_never_lists_consultation",
				"O10/employer_never_lists_periodic_exam", "O11/insurer_sees_the_overview_only",
				"G7/every_access_logged_tamper_evident", "G8/health_data_only_under_medical_secrecy",
				"N4/health_data_needs_secrecy", "N6/medical_needs_a_second_factor"},
			[]string{"N9/access_logged_with_who_what_and_why"}},
		{"lets_anyone_write",
			func(m *memstore.Store, s compliancetest.System) compliancetest.System {
				d, err := privacy.NewDossiers(m, privacy.Strict())
				if err != nil {
					t.Fatal(err)
				}
				return writesAnything{s, d}
			},
			// O7 holds all the same: the case file refuses an act by a
			// contractor without its agreement.
			[]string{"R12/administrator_sees_no_content", "O1/every_operation_goes_through_the_policy",
				"N1/employer_registers_only_sick_report_facts"}, nil},
		{"discloses_anything",
			func(_ *memstore.Store, s compliancetest.System) compliancetest.System { return disclosesAnything{s} },
			[]string{"R6/no_third_party_without_consent", "O1/every_operation_goes_through_the_policy",
				"O6/medical_disclosure_needs_written_consent", "O9/absence_reason_never_reaches_the_employer",
				"O14/disclosure_needs_written_consent", "G1/export_holds_the_facts_of_article_15",
				"G4/recipients_told_of_erasure", "N2/physician_tells_the_employer_four_things",
				"N3/insurer_never_beyond_the_maximum", "N5/bsn_only_on_a_statute",
				"N10/statutory_disclosures_exactly_their_categories"},
			// Every scenario of the disclosure gate: it gates nothing.
			gateScenarios},
		{"never_sweeps",
			func(_ *memstore.Store, s compliancetest.System) compliancetest.System { return neverSweeps{s} },
			// A granted erasure deletes at once, through retention, with a
			// proof per record: it needs no sweep (see erases_nothing).
			[]string{"R9/reintegration_file_kept_two_years_after_closing",
				"O8/employment_end_starts_retention", "O12/absence_file_kept_no_longer_than_needed",
				"G3/legal_hold_blocks_deletion", "G3/employer_cannot_run_a_sweep",
				"N7/medical_file_outlasts_the_absence_file", "N7/statutory_minimums_never_shortened",
				"R9/nothing_outlives_its_retention"}, nil},
		{"erases_nothing",
			func(_ *memstore.Store, s compliancetest.System) compliancetest.System {
				return fakesErasure{s, map[string]rights.Kind{}}
			},
			[]string{"R9/erasure_request_spares_statutory_data", "G3/statutory_retention_blocks_erasure",
				"N8/medical_file_destroyed_within_three_months"},
			// Its empty answer tells no recipient and refuses no held data.
			[]string{"G4/recipients_told_of_erasure", "G3/legal_hold_blocks_deletion", "O13/desk_erasure_leaves_a_proof_per_record"}},
		{"decides_a_disclosure_without_its_case",
			func(_ *memstore.Store, s compliancetest.System) compliancetest.System { return withoutTheCase{s} },
			[]string{"N2/advice_only_to_the_commissioning_employer", "O10/no_advice_from_a_consultation_or_periodic_exam_case",
				"O11/overview_only_to_a_covering_insurer", "R5/nothing_leaves_for_another_purpose",
				"O2/nothing_leaves_after_the_contract"},
			// The consents of these scenarios name the real case, and the
			// records are of it: the shadow case gets neither.
			[]string{"R6/no_third_party_without_consent", "O14/disclosure_needs_written_consent", "G1/export_holds_the_facts_of_article_15",
				"G4/recipients_told_of_erasure", "O6/medical_disclosure_needs_written_consent",
				"R7/unassigned_staff_disclose_nothing", "O6/medical_record_never_leaves_under_another_label",
				"N2/advice_never_under_another_label", "R9/nothing_outlives_its_retention"}},
		{"decides_a_disclosure_without_the_discloser",
			func(_ *memstore.Store, s compliancetest.System) compliancetest.System { return withoutTheDiscloser{s} },
			[]string{"R7/unassigned_staff_disclose_nothing", "R8/support_staff_disclose_no_content",
				"O6/unassigned_physician_never_discloses_the_medical_file", "G8/no_medical_disclosure_without_medical_secrecy",
				"N4/no_health_data_disclosed_without_secrecy", "N6/no_medical_disclosure_without_a_second_factor"},
			// The physician it discloses as reads no BSN, and discloses
			// medical data the case manager may not.
			[]string{"N5/bsn_only_on_a_statute", "O6/medical_disclosure_needs_written_consent"}},
		{"trusts_the_category_label",
			func(_ *memstore.Store, s compliancetest.System) compliancetest.System { return trustsTheLabel{s} },
			[]string{"O6/medical_record_never_leaves_under_another_label", "N2/advice_never_under_another_label"}, nil},
		{"asks_no_written_request",
			func(_ *memstore.Store, s compliancetest.System) compliancetest.System { return asksNoWrittenRequest{s} },
			[]string{"O14/third_party_needs_its_written_request"}, nil},
		{"reaches_behind_a_revocation",
			func(_ *memstore.Store, s compliancetest.System) compliancetest.System {
				return &reachesBehindRevocations{System: s}
			},
			[]string{"R6/no_disclosure_dated_before_a_revocation"}, nil},
		{"keeps_no_audit_trail",
			func(_ *memstore.Store, s compliancetest.System) compliancetest.System { return forgetsTheTrail{s} },
			[]string{"O16/decisions_record_the_policy_version", "G7/every_access_logged_tamper_evident",
				"N9/access_logged_with_who_what_and_why", "O1/every_write_leaves_an_audit_event",
				"N9/writes_logged_with_who_what_and_when"}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			failed := map[string]error{}
			for _, s := range compliancetest.Scenarios() {
				m := memstore.New()
				sys, err := compliancetest.NewLibrarySystem(m, privacy.Strict())
				if err != nil {
					t.Fatal(err)
				}
				if err := s.Check(t.Context(), tc.wrap(m, sys)); err != nil {
					failed[s.String()] = err
				}
			}
			for _, name := range tc.breaks {
				err, ok := failed[name]
				rule := name[:strings.IndexByte(name, '/')]
				switch {
				case !ok:
					t.Errorf("scenario %s passed against the broken system", name)
				case !strings.HasPrefix(err.Error(), rule+": "):
					t.Errorf("scenario %s failed with %q, which does not name rule %s", name, err, rule)
				default:
					t.Logf("%v", err)
				}
			}
			for name, err := range failed {
				if !slices.Contains(tc.breaks, name) && !slices.Contains(tc.others, name) {
					t.Errorf("scenario %s failed as well: %v", name, err)
				}
			}
		})
	}
}

// TestCorrectSystemPassesEach plays each scenario once more directly, as
// the broken-system test does, against the unbroken library.
func TestCorrectSystemPassesEach(t *testing.T) {
	for _, s := range compliancetest.Scenarios() {
		if err := s.Check(t.Context(), newLibrary(t)); err != nil {
			t.Errorf("%s: %v", s, err)
		}
	}
}

// TestPanickingSystem checks that a system that panics fails the scenario
// with a violation instead of crashing the test binary.
func TestPanickingSystem(t *testing.T) {
	s := compliancetest.Scenarios()
	i := slices.IndexFunc(s, func(s compliancetest.Scenario) bool { return s.Rule == privacy.O5 })
	err := s[i].Check(t.Context(), panics{newLibrary(t)})
	if err == nil || !strings.HasPrefix(err.Error(), "O5: ") || !strings.Contains(err.Error(), "panicked") {
		t.Errorf("Check(panicking system) = %v, want an O5 violation saying the system panicked", err)
	}
}
