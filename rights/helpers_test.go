package rights_test

import (
	"context"
	"errors"
	"iter"
	"testing"
	"time"

	"github.com/dossierwacht/dossierwacht/access"
	"github.com/dossierwacht/dossierwacht/memstore"
	"github.com/dossierwacht/dossierwacht/privacy"
	"github.com/dossierwacht/dossierwacht/privacy/calendar"
	"github.com/dossierwacht/dossierwacht/retention"
	"github.com/dossierwacht/dossierwacht/rights"
)

// Fixed times: tests never read the clock. t0 is Monday 2 March 2026,
// 10:00 in Amsterdam.
var (
	t0       = time.Date(2026, time.March, 2, 9, 0, 0, 0, time.UTC)
	contract = privacy.Contract{ID: "contract-bakery", Party: "employer-bakery", PartyKind: privacy.PartyEmployer,
		Start: time.Date(2025, time.January, 1, 0, 0, 0, 0, time.UTC)}
	physician = privacy.Principal{ID: "physician-dirk", Role: privacy.RolePhysician,
		Secrecy: privacy.SecrecyProfessional, MultiFactor: true}
	// officer is Olga, the privacy officer: she applies erasures.
	officer = privacy.Principal{ID: "privacy-officer-olga", Role: privacy.RolePrivacyOfficer}
)

// assigned is p assigned to Anna's case, as a release names its
// physician (R7, O4).
func assigned(p privacy.Principal) *access.Principal {
	return access.NewPrincipal(p, []privacy.CaseID{annaCase}, nil)
}

// officerAct is Olga acting at at.
func officerAct(at time.Time) privacy.Act { return privacy.Act{By: officer, At: at} }

const (
	anna     privacy.SubjectID   = "employee-anna"
	carla    privacy.PrincipalID = "case-manager-carla"
	annaCase privacy.CaseID      = "case-anna-absence"
)

// deskAct is Carla, the case manager who works the desk and writes the
// case file in these tests, acting at at.
func deskAct(at time.Time) privacy.Act {
	return privacy.Act{By: privacy.Principal{ID: carla, Role: privacy.RoleCaseManager, Secrecy: privacy.SecrecyAgreement}, At: at}
}

// as is the act of the principal by at at: the physician Dirk, the
// case manager Carla, or a case manager of another ID.
func as(by privacy.PrincipalID, at time.Time) privacy.Act {
	switch by {
	case physician.ID:
		return privacy.Act{By: physician, At: at}
	case carla:
		return deskAct(at)
	}
	return privacy.Act{By: privacy.Principal{ID: by, Role: privacy.RoleCaseManager, Secrecy: privacy.SecrecyAgreement}, At: at}
}

// world is a service with one subject, one absence case and a few records,
// on memstore, under the strict policy.
type world struct {
	ctx      context.Context
	store    *memstore.Store
	dossiers *privacy.Dossiers
	keeper   *retention.Retention
	desk     *rights.Desk
	sources  *sources
}

// sources are the test's stand-ins for the consent, access and retention
// packages.
type sources struct {
	disclosures []rights.Disclosure
	consents    []rights.Consent
	retention   map[privacy.RecordID]rights.Retention
	store       *memstore.Store
	fail        error
	// quiet are subjects whose events the audit source does not yield,
	// as for a subject whose trail was pruned: every write of the case
	// file is audited, so no other subject has an empty access log.
	quiet map[privacy.SubjectID]bool
}

func (s *sources) SubjectDisclosures(_ context.Context, subject privacy.SubjectID) iter.Seq2[rights.Disclosure, error] {
	return func(yield func(rights.Disclosure, error) bool) {
		if s.fail != nil {
			yield(rights.Disclosure{}, s.fail)
			return
		}
		for _, d := range s.disclosures {
			if !yield(d, nil) {
				return
			}
		}
	}
}

func (s *sources) SubjectConsents(_ context.Context, subject privacy.SubjectID) iter.Seq2[rights.Consent, error] {
	return func(yield func(rights.Consent, error) bool) {
		for _, c := range s.consents {
			if !yield(c, nil) {
				return
			}
		}
	}
}

// SubjectEvents reads the audit trail memstore keeps (privacy.Event) and
// keeps the subject's events, as the lead's glue to package access will.
func (s *sources) SubjectEvents(ctx context.Context, subject privacy.SubjectID) iter.Seq2[privacy.Event, error] {
	return func(yield func(privacy.Event, error) bool) {
		for e, err := range s.store.Events(ctx, 1) {
			if err != nil {
				yield(privacy.Event{}, err)
				return
			}
			if e.Subject == subject && !s.quiet[subject] && !yield(e, nil) {
				return
			}
		}
	}
}

func (s *sources) RecordRetention(_ context.Context, _ privacy.Subject, _ privacy.Case, r privacy.Record, _ time.Time) (rights.Retention, error) {
	if ret, ok := s.retention[r.ID]; ok {
		return ret, nil
	}
	return rights.Retention{Rule: privacy.O12, Period: privacy.Years(2), Trigger: privacy.TriggerCaseClosed,
		Reason: "not longer than the contract needs"}, nil
}

// worldOptions choose what the world connects.
type worldOptions struct {
	policy    *privacy.Policy
	noSources bool // no disclosure log, consents, audit, retention
	holidays  calendar.Holidays
}

func newWorld(tb testing.TB, o *worldOptions) *world {
	tb.Helper()
	if o == nil {
		o = &worldOptions{}
	}
	policy := o.policy
	if policy == nil {
		policy = privacy.Strict()
	}
	ctx := context.Background()
	store := memstore.New()
	d, err := privacy.NewDossiers(store, policy)
	if err != nil {
		tb.Fatalf("NewDossiers: %v", err)
	}
	src := &sources{store: store}
	keeper, err := retention.New(store, policy, nil)
	if err != nil {
		tb.Fatalf("retention.New: %v", err)
	}
	opts := &rights.Options{Holidays: o.holidays, Complaints: "klachten@dienst.example", Erasures: keeper}
	if !o.noSources {
		opts.Disclosures, opts.Consents, opts.Audit, opts.Retention = src, src, src, src
	}
	desk, err := rights.New(store, d, opts)
	if err != nil {
		tb.Fatalf("rights.New: %v", err)
	}
	w := &world{ctx: ctx, store: store, dossiers: d, keeper: keeper, desk: desk, sources: src}
	w.populate(tb)
	return w
}

func (w *world) populate(tb testing.TB) {
	tb.Helper()
	s, err := privacy.NewSubject(anna, "employer-bakery", t0.Add(-24*time.Hour))
	if err != nil {
		tb.Fatal(err)
	}
	if err := w.dossiers.CreateSubject(w.ctx, deskAct(t0), s); err != nil {
		tb.Fatal(err)
	}
	c, err := privacy.NewCase(annaCase, anna, privacy.CaseAbsence, privacy.PurposeAbsenceGuidance, contract, t0)
	if err != nil {
		tb.Fatal(err)
	}
	if err := w.dossiers.OpenCase(w.ctx, deskAct(t0), c); err != nil {
		tb.Fatal(err)
	}
	fromEmployer := privacy.Source{Kind: privacy.PartyEmployer, Party: "employer-bakery"}
	recs := []privacy.Record{
		{ID: "rec-identity", Case: annaCase, Category: privacy.CategoryIdentity, Author: "employer-contact-bert",
			Source: fromEmployer, Created: t0, Fields: map[privacy.Field]string{privacy.FieldName: "Anna de Vries", privacy.FieldCity: "Utrecht"}},
		{ID: "rec-sick-report", Case: annaCase, Category: privacy.CategoryAbsenceFacts, Author: "employer-contact-bert",
			Source: fromEmployer, Created: t0, Fields: map[privacy.Field]string{privacy.FieldFirstDay: "2026-03-02", privacy.FieldExpectedDuration: "2 weken"}},
		{ID: "rec-wages", Case: annaCase, Category: privacy.CategoryEmployment, Author: "employer-contact-bert",
			Source: fromEmployer, Created: t0, Fields: map[privacy.Field]string{privacy.FieldJob: "bakker", privacy.FieldWages: "2800"}},
		{ID: "rec-note", Case: annaCase, Category: privacy.CategoryNotes, Author: carla,
			Source: privacy.Source{Kind: privacy.PartyService}, Created: t0.Add(time.Hour),
			Fields: map[privacy.Field]string{privacy.FieldText: "Gesprek met Anna; collega Piet Jansen was erbij. <script>alert(1)</script>"}},
	}
	if err := w.dossiers.AddRecords(w.ctx, deskAct(t0.Add(time.Hour)), recs...); err != nil {
		tb.Fatal(err)
	}
	med := privacy.Record{ID: "rec-medical", Case: annaCase, Category: privacy.CategoryMedical, Author: physician.ID,
		Source: privacy.Source{Kind: privacy.PartyService}, Created: t0.Add(2 * time.Hour),
		Fields: map[privacy.Field]string{privacy.FieldText: "lumbale overbelasting; fysiotherapie geadviseerd"}}
	if err := w.dossiers.AddRecord(w.ctx, privacy.Act{By: physician, At: med.Created}, med); err != nil {
		tb.Fatal(err)
	}
	w.sources.disclosures = []rights.Disclosure{
		{ID: "dis-1", Time: t0.Add(3 * time.Hour), Recipient: "employer-bakery", RecipientKind: privacy.PartyEmployer,
			Case: annaCase, Categories: []privacy.Category{privacy.CategoryAbsenceFacts}, Records: []privacy.RecordID{"rec-sick-report"},
			Basis: privacy.BasisNone, Rule: privacy.N2, By: physician.ID},
		{ID: "dis-2", Time: t0.Add(4 * time.Hour), Recipient: "insurer-verzekerd", RecipientKind: privacy.PartyInsurer,
			Case: annaCase, Categories: []privacy.Category{privacy.CategoryIdentity, privacy.CategoryAbsenceFacts},
			Basis: privacy.BasisNone, Rule: privacy.O11, By: carla},
	}
	w.sources.consents = []rights.Consent{
		{ID: "grant-1", Recipient: "reintegration-firm", RecipientKind: privacy.PartyReintegrationCompany,
			Categories: []privacy.Category{privacy.CategoryWorkCapacity}, Written: true, Document: "doc-consent-1",
			Granted: t0.Add(time.Hour), Revoked: t0.Add(48 * time.Hour), Rule: privacy.O14},
	}
	w.sources.retention = map[privacy.RecordID]rights.Retention{
		"rec-wages": {Rule: privacy.R9, Period: privacy.Years(7), Trigger: privacy.TriggerCaseClosed, Statutory: true,
			Citation: "Algemene wet inzake rijksbelastingen art. 52(4)", Reason: "fiscal retention duty"},
	}
	if _, err := w.store.AppendEvents(w.ctx,
		privacy.Event{Time: t0.Add(2 * time.Hour), Principal: physician.ID, Role: privacy.RolePhysician, Subject: anna,
			Case: annaCase, Category: privacy.CategoryMedical, Object: "rec-medical", Action: privacy.EventRead,
			Outcome: privacy.OutcomeAllowed, Rule: privacy.O6, Policy: "1.0.0"},
		privacy.Event{Time: t0.Add(3 * time.Hour), Principal: "employer-contact-bert", Role: privacy.RoleEmployerContact,
			OnBehalfOf: "employer-bakery", Subject: anna, Case: annaCase, Category: privacy.CategoryMedical,
			Action: privacy.EventRead, Outcome: privacy.OutcomeDenied, Rule: privacy.O6, Policy: "1.0.0"},
		privacy.Event{Time: t0.Add(3 * time.Hour), Principal: carla, Role: privacy.RoleCaseManager, Subject: "someone-else",
			Action: privacy.EventRead, Outcome: privacy.OutcomeAllowed, Rule: privacy.R7, Policy: "1.0.0"},
	); err != nil {
		tb.Fatal(err)
	}
}

// file files a request or fails the test.
func (w *world) file(tb testing.TB, f rights.Filing) rights.Request {
	tb.Helper()
	if f.Subject == "" {
		f.Subject = anna
	}
	if f.Form == "" {
		f.Form = rights.FormWritten
	}
	if f.Received.IsZero() {
		f.Received = t0
	}
	r, err := w.desk.File(w.ctx, deskAct(f.Received), f)
	if err != nil {
		tb.Fatalf("File(%s): %v", f.ID, err)
	}
	return r
}

func wantKind(tb testing.TB, what string, err, kind error) {
	tb.Helper()
	if !errors.Is(err, kind) {
		tb.Errorf("%s: err = %v, want %v", what, err, kind)
	}
}

func wantRule(tb testing.TB, what string, err error, rule privacy.RuleID) {
	tb.Helper()
	if got := privacy.RuleOf(err); got != rule {
		tb.Errorf("%s: rule = %q, want %q (err %v)", what, got, rule, err)
	}
}

func day(tb testing.TB, s string) calendar.Date {
	tb.Helper()
	d, err := calendar.ParseDate(s)
	if err != nil {
		tb.Fatalf("ParseDate(%q): %v", s, err)
	}
	return d
}

// subjectEvents is the number of audit events about subject in the
// world's trail: what the page's access log counts.
func (w *world) subjectEvents(tb testing.TB, subject privacy.SubjectID) int {
	tb.Helper()
	n := 0
	for _, err := range w.store.SubjectEvents(w.ctx, subject, 0) {
		if err != nil {
			tb.Fatal(err)
		}
		n++
	}
	return n
}
