// Package testworld is the world the tests of package rights run in: a
// service with one subject, Anna, one absence case and a few records of
// hers on memstore, under the strict policy, with the desk over them and
// stand-ins for the sources it reads (the disclosure log, consents, the
// audit trail, retention). It is a fixture for the project's own tests, not
// a kit: it brings its own store.
package testworld

import (
	"bytes"
	"context"
	"errors"
	"iter"
	"testing"
	"time"

	"github.com/dossierwacht/dossierwacht/access"
	"github.com/dossierwacht/dossierwacht/export"
	"github.com/dossierwacht/dossierwacht/memstore"
	"github.com/dossierwacht/dossierwacht/privacy"
	"github.com/dossierwacht/dossierwacht/privacy/calendar"
	"github.com/dossierwacht/dossierwacht/retention"
	"github.com/dossierwacht/dossierwacht/rights"
)

// Fixed times and people: tests never read the clock.
var (
	// T0 is Monday 2 March 2026, 10:00 in Amsterdam.
	T0 = time.Date(2026, time.March, 2, 9, 0, 0, 0, time.UTC)
	// Contract is the bakery's contract that Anna's case falls under.
	Contract = privacy.Contract{ID: "contract-bakery", Party: "employer-bakery", PartyKind: privacy.PartyEmployer,
		Start: time.Date(2025, time.January, 1, 0, 0, 0, 0, time.UTC)}
	// Physician is Dirk, bound to medical secrecy, signed in with a
	// second factor.
	Physician = privacy.Principal{ID: "physician-dirk", Role: privacy.RolePhysician,
		Secrecy: privacy.SecrecyProfessional, MultiFactor: true}
	// Officer is Olga, the privacy officer: she applies erasures.
	Officer = privacy.Principal{ID: "privacy-officer-olga", Role: privacy.RolePrivacyOfficer}
)

// Assigned is p assigned to Anna's case, as a release names its
// physician (R7, O4).
func Assigned(p privacy.Principal) *access.Principal {
	return access.NewPrincipal(p, []privacy.CaseID{AnnaCase}, nil)
}

// OfficerAct is Olga acting at at.
func OfficerAct(at time.Time) privacy.Act { return privacy.Act{By: Officer, At: at} }

// Anna, her case, and Carla, the case manager who works the desk.
const (
	Anna     privacy.SubjectID   = "employee-anna"
	Carla    privacy.PrincipalID = "case-manager-carla"
	AnnaCase privacy.CaseID      = "case-anna-absence"
)

// DeskAct is Carla, the case manager who works the desk and writes the
// case file in these tests, acting at at.
func DeskAct(at time.Time) privacy.Act {
	return privacy.Act{By: privacy.Principal{ID: Carla, Role: privacy.RoleCaseManager, Secrecy: privacy.SecrecyAgreement}, At: at,
		Cases: []privacy.CaseID{AnnaCase}}
}

// SubjectAct is the subject s acting at at: the one who asks for her own
// export (R11, O13, G1).
func SubjectAct(s privacy.SubjectID, at time.Time) privacy.Act {
	return privacy.Act{By: privacy.Principal{ID: privacy.PrincipalID(s), Role: privacy.RoleSubject, Subject: s}, At: at}
}

// As is the act of the principal by at at: the physician Dirk, the
// case manager Carla, or a case manager of another ID.
func As(by privacy.PrincipalID, at time.Time) privacy.Act {
	switch by {
	case Physician.ID:
		return privacy.Act{By: Physician, At: at, Cases: []privacy.CaseID{AnnaCase}}
	case Carla:
		return DeskAct(at)
	}
	return privacy.Act{By: privacy.Principal{ID: by, Role: privacy.RoleCaseManager, Secrecy: privacy.SecrecyAgreement}, At: at}
}

// World is a service with one subject, one absence case and a few records,
// on memstore, under the strict policy.
type World struct {
	Ctx      context.Context
	Store    *memstore.Store
	Dossiers *privacy.Dossiers
	// Keeper is package retention's Retention over the same store, through
	// which the desk applies erasures.
	Keeper  *retention.Keeper
	Desk    *rights.Desk
	Sources *Sources
}

// Sources are the test's stand-ins for the consent, access and retention
// packages.
type Sources struct {
	Disclosures []export.Disclosure
	Consents    []export.Consent
	Retention   map[privacy.RecordID]export.Retention
	Store       *memstore.Store
	// Fail, if set, is the error the disclosure log yields.
	Fail error
	// Quiet are subjects whose events the audit source does not yield,
	// as for a subject whose trail was pruned: every write of the case
	// file is audited, so no other subject has an empty access log.
	Quiet map[privacy.SubjectID]bool
}

func (s *Sources) SubjectDisclosures(_ context.Context, subject privacy.SubjectID) iter.Seq2[export.Disclosure, error] {
	return func(yield func(export.Disclosure, error) bool) {
		if s.Fail != nil {
			yield(export.Disclosure{}, s.Fail)
			return
		}
		for _, d := range s.Disclosures {
			if !yield(d, nil) {
				return
			}
		}
	}
}

func (s *Sources) SubjectConsents(_ context.Context, subject privacy.SubjectID) iter.Seq2[export.Consent, error] {
	return func(yield func(export.Consent, error) bool) {
		for _, c := range s.Consents {
			if !yield(c, nil) {
				return
			}
		}
	}
}

// SubjectEvents reads the audit trail memstore keeps (privacy.Event) and
// keeps the subject's events, as the lead's glue to package access will.
func (s *Sources) SubjectEvents(ctx context.Context, subject privacy.SubjectID) iter.Seq2[privacy.Event, error] {
	return func(yield func(privacy.Event, error) bool) {
		for e, err := range s.Store.Events(ctx, 1) {
			if err != nil {
				yield(privacy.Event{}, err)
				return
			}
			if e.Subject == subject && !s.Quiet[subject] && !yield(e, nil) {
				return
			}
		}
	}
}

// SubjectChain tells the head of the subject's chain, as export.FromAudit
// of the store does (rule G7); none for a quiet subject.
func (s *Sources) SubjectChain(ctx context.Context, subject privacy.SubjectID) (*export.ChainHead, error) {
	if s.Quiet[subject] {
		return nil, nil
	}
	return export.FromAudit(s.Store).(export.ChainSource).SubjectChain(ctx, subject)
}

func (s *Sources) RecordRetention(_ context.Context, _ privacy.Subject, _ privacy.Case, r privacy.Record, _ time.Time) (export.Retention, error) {
	if ret, ok := s.Retention[r.ID]; ok {
		return ret, nil
	}
	return export.Retention{Rule: privacy.O12, Period: privacy.Years(2), Trigger: privacy.TriggerCaseClosed,
		Reason: "not longer than the contract needs"}, nil
}

// Options choose what the world connects.
type Options struct {
	Policy    *privacy.Policy // privacy.Strict() when nil
	NoSources bool            // no disclosure log, consents, audit, retention
	Holidays  calendar.Holidays
}

// New returns a new world, populated, or fails the test.
func New(tb testing.TB, o *Options) *World {
	tb.Helper()
	if o == nil {
		o = &Options{}
	}
	policy := o.Policy
	if policy == nil {
		policy = privacy.Strict()
	}
	ctx := context.Background()
	store := memstore.New()
	d, err := privacy.NewDossiers(store, policy)
	if err != nil {
		tb.Fatalf("NewDossiers: %v", err)
	}
	src := &Sources{Store: store}
	keeper, err := retention.New(store, policy, nil)
	if err != nil {
		tb.Fatalf("retention.New: %v", err)
	}
	opts := &rights.Options{Holidays: o.Holidays, Complaints: "klachten@dienst.example", Erasures: keeper}
	if !o.NoSources {
		opts.Disclosures, opts.Consents, opts.Audit, opts.Retention = src, src, src, src
	}
	desk, err := rights.New(store, d, opts)
	if err != nil {
		tb.Fatalf("rights.New: %v", err)
	}
	w := &World{Ctx: ctx, Store: store, Dossiers: d, Keeper: keeper, Desk: desk, Sources: src}
	w.populate(tb)
	return w
}

func (w *World) populate(tb testing.TB) {
	tb.Helper()
	s, err := privacy.NewSubject(Anna, "employer-bakery", T0.Add(-24*time.Hour))
	if err != nil {
		tb.Fatal(err)
	}
	if err := w.Dossiers.CreateSubject(w.Ctx, DeskAct(T0), s); err != nil {
		tb.Fatal(err)
	}
	c, err := privacy.NewCase(AnnaCase, Anna, privacy.CaseAbsence, privacy.PurposeAbsenceGuidance, Contract, T0)
	if err != nil {
		tb.Fatal(err)
	}
	if err := w.Dossiers.OpenCase(w.Ctx, DeskAct(T0), c); err != nil {
		tb.Fatal(err)
	}
	fromEmployer := privacy.Source{Kind: privacy.PartyEmployer, Party: "employer-bakery"}
	recs := []privacy.Record{
		{ID: "rec-identity", Case: AnnaCase, Category: privacy.CategoryIdentity, Author: "employer-contact-bert",
			Source: fromEmployer, Created: T0, Fields: map[privacy.Field]string{privacy.FieldName: "Anna de Vries", privacy.FieldCity: "Utrecht"}},
		{ID: "rec-sick-report", Case: AnnaCase, Category: privacy.CategoryAbsenceFacts, Author: "employer-contact-bert",
			Source: fromEmployer, Created: T0, Fields: map[privacy.Field]string{privacy.FieldFirstDay: "2026-03-02", privacy.FieldExpectedDuration: "2 weken"}},
		{ID: "rec-wages", Case: AnnaCase, Category: privacy.CategoryEmployment, Author: "employer-contact-bert",
			Source: fromEmployer, Created: T0, Fields: map[privacy.Field]string{privacy.FieldJob: "bakker", privacy.FieldWages: "2800"}},
		{ID: "rec-note", Case: AnnaCase, Category: privacy.CategoryNotes, Author: Carla,
			Source: privacy.Source{Kind: privacy.PartyService}, Created: T0.Add(time.Hour),
			Fields: map[privacy.Field]string{privacy.FieldText: "Gesprek met Anna; collega Piet Jansen was erbij. <script>alert(1)</script>"}},
	}
	if err := w.Dossiers.AddRecords(w.Ctx, DeskAct(T0.Add(time.Hour)), recs...); err != nil {
		tb.Fatal(err)
	}
	med := privacy.Record{ID: "rec-medical", Case: AnnaCase, Category: privacy.CategoryMedical, Author: Physician.ID,
		Source: privacy.Source{Kind: privacy.PartyService}, Created: T0.Add(2 * time.Hour),
		Fields: map[privacy.Field]string{privacy.FieldText: "lumbale overbelasting; fysiotherapie geadviseerd"}}
	if err := w.Dossiers.AddRecord(w.Ctx, privacy.Act{By: Physician, At: med.Created}, med); err != nil {
		tb.Fatal(err)
	}
	w.Sources.Disclosures = []export.Disclosure{
		{ID: "dis-1", Time: T0.Add(3 * time.Hour), Recipient: "employer-bakery", RecipientKind: privacy.PartyEmployer,
			Case: AnnaCase, Categories: []privacy.Category{privacy.CategoryAbsenceFacts}, Records: []privacy.RecordID{"rec-sick-report"},
			Basis: privacy.BasisNone, Rule: privacy.N2, By: Physician.ID},
		{ID: "dis-2", Time: T0.Add(4 * time.Hour), Recipient: "insurer-verzekerd", RecipientKind: privacy.PartyInsurer,
			Case: AnnaCase, Categories: []privacy.Category{privacy.CategoryIdentity, privacy.CategoryAbsenceFacts},
			Basis: privacy.BasisNone, Rule: privacy.O11, By: Carla},
	}
	w.Sources.Consents = []export.Consent{
		{ID: "grant-1", Recipient: "reintegration-firm", RecipientKind: privacy.PartyReintegrationCompany,
			Categories: []privacy.Category{privacy.CategoryWorkCapacity}, Written: true, Document: "doc-consent-1",
			Granted: T0.Add(time.Hour), Revoked: T0.Add(48 * time.Hour), Rule: privacy.O14},
	}
	w.Sources.Retention = map[privacy.RecordID]export.Retention{
		"rec-wages": {Rule: privacy.R9, Period: privacy.Years(7), Trigger: privacy.TriggerCaseClosed, Statutory: true,
			Citation: "Algemene wet inzake rijksbelastingen art. 52(4)", Reason: "fiscal retention duty"},
	}
	if _, err := w.Store.AppendEvents(w.Ctx,
		privacy.Event{Time: T0.Add(2 * time.Hour), Principal: Physician.ID, Role: privacy.RolePhysician, Subject: Anna,
			Case: AnnaCase, Category: privacy.CategoryMedical, Object: "rec-medical", Action: privacy.EventRead,
			Outcome: privacy.OutcomeAllowed, Rule: privacy.O6, Policy: "1.0.0"},
		privacy.Event{Time: T0.Add(3 * time.Hour), Principal: "employer-contact-bert", Role: privacy.RoleEmployerContact,
			OnBehalfOf: "employer-bakery", Subject: Anna, Case: AnnaCase, Category: privacy.CategoryMedical,
			Action: privacy.EventRead, Outcome: privacy.OutcomeDenied, Rule: privacy.O6, Policy: "1.0.0"},
		privacy.Event{Time: T0.Add(3 * time.Hour), Principal: Carla, Role: privacy.RoleCaseManager, Subject: "someone-else",
			Action: privacy.EventRead, Outcome: privacy.OutcomeAllowed, Rule: privacy.R7, Policy: "1.0.0"},
	); err != nil {
		tb.Fatal(err)
	}
}

// File files a request as the desk (Carla) at its receipt, for Anna and
// in writing unless f says otherwise, or fails the test.
func (w *World) File(tb testing.TB, f rights.Filing) rights.Request {
	tb.Helper()
	if f.Subject == "" {
		f.Subject = Anna
	}
	if f.Form == "" {
		f.Form = rights.FormWritten
	}
	if f.Received.IsZero() {
		f.Received = T0
	}
	r, err := w.Desk.File(w.Ctx, DeskAct(f.Received), f)
	if err != nil {
		tb.Fatalf("File(%s): %v", f.ID, err)
	}
	return r
}

// WantKind fails the test unless err matches kind.
func WantKind(tb testing.TB, what string, err, kind error) {
	tb.Helper()
	if !errors.Is(err, kind) {
		tb.Errorf("%s: err = %v, want %v", what, err, kind)
	}
}

// WantRule fails the test unless err names rule.
func WantRule(tb testing.TB, what string, err error, rule privacy.RuleID) {
	tb.Helper()
	if got := privacy.RuleOf(err); got != rule {
		tb.Errorf("%s: rule = %q, want %q (err %v)", what, got, rule, err)
	}
}

// Day parses a day or fails the test.
func Day(tb testing.TB, s string) calendar.Date {
	tb.Helper()
	d, err := calendar.ParseDate(s)
	if err != nil {
		tb.Fatalf("ParseDate(%q): %v", s, err)
	}
	return d
}

// SubjectEvents is the number of audit events about subject in the
// world's trail: what the page's access log counts.
func (w *World) SubjectEvents(tb testing.TB, subject privacy.SubjectID) int {
	tb.Helper()
	n := 0
	for _, err := range w.Store.SubjectEvents(w.Ctx, subject, 0) {
		if err != nil {
			tb.Fatal(err)
		}
		n++
	}
	return n
}

// Events returns the audit events after sequence number after.
func (w *World) Events(tb testing.TB, after uint64) []privacy.Event {
	tb.Helper()
	var out []privacy.Event
	for e, err := range w.Store.Events(w.Ctx, after+1) {
		if err != nil {
			tb.Fatal(err)
		}
		out = append(out, e)
	}
	return out
}

// LastSeq is the number of events in the trail, 0 for none: a mark for
// Events and WantDenied (the trail yields events in the order they were
// appended; sequence numbers are per subject's chain).
func (w *World) LastSeq(tb testing.TB) uint64 {
	tb.Helper()
	return uint64(len(w.Events(tb, 0)))
}

// WantDenied fails the test unless an audit event after sequence number
// after records a denial under rule.
func (w *World) WantDenied(tb testing.TB, after uint64, rule privacy.RuleID) {
	tb.Helper()
	for _, e := range w.Events(tb, after) {
		if e.Outcome == privacy.OutcomeDenied && e.Rule == rule {
			return
		}
	}
	tb.Errorf("no audited denial under rule %s after event %d", rule, after)
}

// Field is field f of record id as stored now, the medical file's
// included, or fails the test.
func (w *World) Field(tb testing.TB, id privacy.RecordID, f privacy.Field) string {
	tb.Helper()
	r, err := w.Dossiers.Record(w.Ctx, id)
	if errors.Is(err, privacy.ErrNotFound) {
		r, err = w.Store.MedicalRecord(w.Ctx, id)
	}
	if err != nil {
		tb.Fatalf("record %s: %v", id, err)
	}
	return r.Fields[f]
}

// Export writes Anna's export as Anna herself two days after T0 and
// decodes it, or fails the test.
func (w *World) Export(tb testing.TB, opts *rights.ExportOptions) (*export.Document, []byte) {
	tb.Helper()
	var buf bytes.Buffer
	tot, err := w.Desk.Export(w.Ctx, SubjectAct(Anna, T0.Add(48*time.Hour)), &buf, Anna, opts)
	if err != nil {
		tb.Fatalf("Export: %v", err)
	}
	e, err := export.Decode(bytes.NewReader(buf.Bytes()))
	if err != nil {
		tb.Fatalf("Decode: %v\n%s", err, buf.Bytes())
	}
	if e.Totals != tot {
		tb.Errorf("Export returned totals %+v, the export says %+v", tot, e.Totals)
	}
	return e, buf.Bytes()
}

// Page writes subject's export as a page in lang, as the desk (Carla) two
// days after T0, or fails the test.
func (w *World) Page(tb testing.TB, subject privacy.SubjectID, lang export.Lang) string {
	tb.Helper()
	var buf bytes.Buffer
	if _, err := w.Desk.Export(w.Ctx, SubjectAct(subject, T0.Add(48*time.Hour)), &buf, subject, &rights.ExportOptions{Format: export.FormatHTML, Lang: lang}); err != nil {
		tb.Fatalf("Export: %v", err)
	}
	return buf.String()
}

// Records are the records of an export, by ID.
func Records(e *export.Document) map[privacy.RecordID]export.RecordData {
	out := map[privacy.RecordID]export.RecordData{}
	for _, c := range e.Cases {
		for _, r := range c.Records {
			out[r.ID] = r
		}
	}
	return out
}
