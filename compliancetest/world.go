package compliancetest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/dossierwacht/dossierwacht/export"
	"github.com/dossierwacht/dossierwacht/privacy"
)

// The world every scenario plays in: one occupational-health and
// reintegration service, an employer that commissions it, its employee
// Anna, the service's staff, an absence insurer. Times start on Monday 3
// March 2025; IDs are the same in every scenario, so that a failing one is
// easy to replay.

// t0 is when the story starts: Monday 3 March 2025, 09:00 UTC.
var t0 = time.Date(2025, time.March, 3, 9, 0, 0, 0, time.UTC)

// day returns t0 plus n days.
func day(n int) time.Time { return t0.AddDate(0, 0, n) }

// The parties.
const (
	acme         privacy.PartyID = "employer-acme"   // the employer that commissions the service
	globex       privacy.PartyID = "employer-globex" // another employer
	ivy          privacy.PartyID = "insurer-ivy"     // acme's absence insurer
	utrecht      privacy.PartyID = "municipality-utrecht"
	lawyer       privacy.PartyID = "third-party-lex" // a third party: the employee's lawyer
	uwv          privacy.PartyID = "uwv"
	reintegrator privacy.PartyID = "reintegration-company-rex"
	service      privacy.PartyID = "service-arbo" // the service itself
)

// The subjects.
const (
	anna privacy.SubjectID = "employee-anna" // acme's employee
	bram privacy.SubjectID = "client-bram"   // a client the municipality sends
)

// The cases.
const (
	caseAbsence       privacy.CaseID = "case-absence"
	caseConsultation  privacy.CaseID = "case-consultation"
	caseReintegration privacy.CaseID = "case-reintegration"
)

// The records of Anna's absence case (see world.fileAbsence).
const (
	recIdentity    privacy.RecordID = "rec-identity"
	recContact     privacy.RecordID = "rec-contact"
	recWages       privacy.RecordID = "rec-wages"
	recSickReport  privacy.RecordID = "rec-sick-report"
	recDegree      privacy.RecordID = "rec-degree"
	recReason      privacy.RecordID = "rec-reason"
	recStatement   privacy.RecordID = "rec-statement"
	recCapacity    privacy.RecordID = "rec-capacity"
	recReport      privacy.RecordID = "rec-report"
	recNote        privacy.RecordID = "rec-note"
	recAppointment privacy.RecordID = "rec-appointment"
	recMedical     privacy.RecordID = "rec-medical"
)

// Content that must not leak, recognisable wherever it turns up.
const (
	reasonText    = "reason: burn-out after a reorganisation"
	medicalText   = "diagnosis: lumbar disc herniation L4-L5"
	statementText = "statement: cannot sit longer than an hour"
	noteText      = "note: phased return discussed with the team lead"
)

// contractAcme is acme's contract with the service: from 1 January 2024,
// open-ended.
func contractAcme() privacy.Contract {
	return privacy.Contract{ID: "contract-acme", Party: acme, PartyKind: privacy.PartyEmployer,
		Start: time.Date(2024, time.January, 1, 0, 0, 0, 0, time.UTC)}
}

// The people. Each takes the cases it is assigned to.

func caseManager(cases ...privacy.CaseID) Actor {
	return Actor{Principal: privacy.Principal{ID: "cm-carla", Role: privacy.RoleCaseManager, Party: service,
		Secrecy: privacy.SecrecyAgreement}, Cases: cases}
}

func physician(cases ...privacy.CaseID) Actor {
	return Actor{Principal: privacy.Principal{ID: "dr-piet", Role: privacy.RolePhysician, Party: service,
		Secrecy: privacy.SecrecyProfessional, MultiFactor: true}, Cases: cases}
}

func employerContact() Actor {
	return Actor{Principal: privacy.Principal{ID: "hr-henk", Role: privacy.RoleEmployerContact, Party: acme}}
}

func insurerContact(covers ...privacy.PartyID) Actor {
	return Actor{Principal: privacy.Principal{ID: "ins-iris", Role: privacy.RoleInsurer, Party: ivy}, Employers: covers}
}

// otherInsurer is an absence insurer that claims to cover the employers
// covers, where the service's coverage register names it for none.
func otherInsurer(covers ...privacy.PartyID) Actor {
	return Actor{Principal: privacy.Principal{ID: "ins-olaf", Role: privacy.RoleInsurer, Party: "insurer-olaf"}, Employers: covers}
}

func supportStaff() Actor {
	return Actor{Principal: privacy.Principal{ID: "desk-sam", Role: privacy.RoleSupportStaff, Party: service,
		Secrecy: privacy.SecrecyAgreement}}
}

func administrator() Actor {
	return Actor{Principal: privacy.Principal{ID: "admin-ada", Role: privacy.RoleAdministrator, Party: service,
		Secrecy: privacy.SecrecyProfessional, MultiFactor: true}}
}

// privacyOfficer is the service's privacy officer: places and lifts legal
// holds, runs sweeps, sees no case content (G3, O12, R8).
func privacyOfficer() Actor {
	return Actor{Principal: privacy.Principal{ID: "dpo-olga", Role: privacy.RolePrivacyOfficer, Party: service}}
}

// world is one scenario's view of the system under test.
type world struct {
	ctx   context.Context
	sys   System
	rule  privacy.RuleID
	name  string
	cases map[privacy.CaseID]privacy.Case
}

// fail returns the scenario's violation: a sentence saying what the system
// did that the rule forbids, or failed to do that it demands.
func (w *world) fail(format string, args ...any) error {
	return &Violation{Rule: w.rule, Scenario: w.name, Msg: fmt.Sprintf(format, args...)}
}

// failErr is fail with the error behind it.
func (w *world) failErr(err error, format string, args ...any) error {
	return &Violation{Rule: w.rule, Scenario: w.name, Msg: fmt.Sprintf(format, args...), Err: err}
}

// setup reports that a step the rules allow failed, so the scenario could
// not show that its rule holds.
func (w *world) setup(what string, err error) error {
	return &Violation{Rule: w.rule, Scenario: w.name, Msg: "the system refused a step the rules allow (" + what + ")", Err: err}
}

// open opens case id of subject s, registering s as acme's employee
// created a year before t0 unless the subject is given.
func (w *world) open(s privacy.Subject, id privacy.CaseID, kind privacy.CaseKind, purpose privacy.Purpose,
	contract privacy.Contract, opened time.Time) error {
	c := privacy.Case{ID: id, Subject: s.ID, Kind: kind, Purpose: purpose, Contract: contract, Opened: opened}
	if err := w.sys.Open(w.ctx, s, c); err != nil {
		return w.setup(fmt.Sprintf("open %s case %s", kind, id), err)
	}
	if w.cases == nil {
		w.cases = map[privacy.CaseID]privacy.Case{}
	}
	w.cases[id] = c
	return nil
}

// employee returns acme's employee s, registered a year before t0.
func employee(s privacy.SubjectID) privacy.Subject {
	return privacy.Subject{ID: s, Employer: acme, Created: t0.AddDate(-1, 0, 0)}
}

// openAbsence opens Anna's absence case at t0.
func (w *world) openAbsence() error {
	return w.open(employee(anna), caseAbsence, privacy.CaseAbsence, privacy.PurposeAbsenceGuidance, contractAcme(), t0)
}

// record builds a record of an opened case; the purpose and subject are
// the case's.
func (w *world) record(id privacy.RecordID, c privacy.CaseID, cat privacy.Category, by Actor, src privacy.Source,
	at time.Time, kv ...string) privacy.Record {
	fields := map[privacy.Field]string{}
	for i := 0; i+1 < len(kv); i += 2 {
		fields[privacy.Field(kv[i])] = kv[i+1]
	}
	cs := w.cases[c]
	return privacy.Record{ID: id, Case: c, Subject: cs.Subject, Category: cat, Author: by.ID, Source: src,
		Purpose: cs.Purpose, Created: at, Updated: at, Fields: fields}
}

// write writes a record the rules allow; a refusal is a setup failure.
func (w *world) write(by Actor, r privacy.Record) error {
	if err := w.sys.Write(w.ctx, by, r); err != nil {
		return w.setup(fmt.Sprintf("%s writes %s record %s", by.Role, r.Category, r.ID), err)
	}
	return nil
}

var (
	fromService  = privacy.Source{Kind: privacy.PartyService}
	fromEmployer = privacy.Source{Kind: privacy.PartyEmployer, Party: acme}
	fromSubject  = privacy.Source{Kind: privacy.PartySubject}
)

// fileAbsence opens Anna's absence case and fills it as a sick report and
// the first weeks of guidance would: master data and the sick report from
// the employer (O8, N1), the reason and her statements taken by the case
// manager (O9, R3), the physician's assessment of her work capacity and
// the medical file (N2, O6), a report, a note and an appointment.
func (w *world) fileAbsence() error {
	if err := w.openAbsence(); err != nil {
		return err
	}
	cm, dr, hr, desk := caseManager(caseAbsence), physician(caseAbsence), employerContact(), supportStaff()
	m := func(n int) time.Time { return t0.Add(time.Duration(n) * time.Minute) }
	for _, x := range []struct {
		by Actor
		r  privacy.Record
	}{
		{hr, w.record(recIdentity, caseAbsence, privacy.CategoryIdentity, hr, fromEmployer, m(1),
			"name", "Anna de Vries", "address", "Lindenlaan 12", "postcode", "3581 AB", "city", "Utrecht")},
		{hr, w.record(recContact, caseAbsence, privacy.CategoryContact, hr, fromEmployer, m(2),
			"phone", "+31 30 123 4567", "email", "anna@example.org")},
		{hr, w.record(recWages, caseAbsence, privacy.CategoryEmployment, hr, fromEmployer, m(3),
			"job", "planner", "wages", "3400")},
		{hr, w.record(recSickReport, caseAbsence, privacy.CategoryAbsenceFacts, hr, fromEmployer, m(4),
			"first-day", "2025-03-03", "reachable-at", "home", "expected-duration", "6 weeks")},
		{cm, w.record(recDegree, caseAbsence, privacy.CategoryAbsenceFacts, cm, fromService, m(5),
			"incapacity-degree", "100", "build-up", "week 4: 2 hours a day")},
		{cm, w.record(recReason, caseAbsence, privacy.CategoryAbsenceReason, cm, fromSubject, m(6), "text", reasonText)},
		{cm, w.record(recStatement, caseAbsence, privacy.CategoryStatements, cm, fromSubject, m(7), "text", statementText)},
		{dr, w.record(recCapacity, caseAbsence, privacy.CategoryWorkCapacity, dr, fromService, m(8),
			"limitations", "no lifting over 5 kg", "capacities", "desk work", "adjustments", "standing desk")},
		{cm, w.record(recReport, caseAbsence, privacy.CategoryExpertReport, cm, fromService, m(9), "text", "report: workplace assessment")},
		{cm, w.record(recNote, caseAbsence, privacy.CategoryNotes, cm, fromService, m(10), "text", noteText)},
		{desk, w.record(recAppointment, caseAbsence, privacy.CategoryAppointment, desk, fromService, m(11),
			"when", "2025-03-10 10:00", "where", "Utrecht office", "with", "dr-piet")},
		{dr, w.record(recMedical, caseAbsence, privacy.CategoryMedical, dr, fromService, m(12), "text", medicalText)},
	} {
		if err := w.write(x.by, x.r); err != nil {
			return err
		}
	}
	return nil
}

// view asks what by sees of case c, for the case's purpose, at.
func (w *world) view(by Actor, c privacy.CaseID, at time.Time) ([]privacy.Record, error) {
	return w.sys.View(w.ctx, by, c, w.cases[c].Purpose, at)
}

// mustView is view for a principal the rules let see the case.
func (w *world) mustView(by Actor, c privacy.CaseID, at time.Time) ([]privacy.Record, error) {
	rs, err := w.view(by, c, at)
	if err != nil {
		return nil, w.setup(fmt.Sprintf("%s views case %s", by.Role, c), err)
	}
	return rs, nil
}

// export reads the subject's export at at.
func (w *world) export(s privacy.SubjectID, at time.Time) (*export.Document, error) {
	b, err := w.sys.Export(w.ctx, s, at)
	if err != nil {
		return nil, w.setup("export the data of subject "+string(s), err)
	}
	e, err := export.Decode(bytes.NewReader(b))
	if err != nil {
		return nil, w.failErr(err, "the export of subject %s is not a valid export of schema %s", s, export.Schema)
	}
	return e, nil
}

// exported indexes the records of an export by ID.
func exported(e *export.Document) map[privacy.RecordID]export.RecordData {
	m := map[privacy.RecordID]export.RecordData{}
	for _, c := range e.Cases {
		for _, r := range c.Records {
			m[r.ID] = r
		}
	}
	return m
}

// held reports which of ids the export of s at at still holds.
func (w *world) held(s privacy.SubjectID, at time.Time, ids ...privacy.RecordID) (map[privacy.RecordID]bool, error) {
	if _, err := w.sys.Export(w.ctx, s, at); errors.Is(err, privacy.ErrNotFound) {
		// Rules R9, O12: a sweep removed the subject once nothing of it
		// was kept; none of its records is held.
		return map[privacy.RecordID]bool{}, nil
	}
	e, err := w.export(s, at)
	if err != nil {
		return nil, err
	}
	m := exported(e)
	out := map[privacy.RecordID]bool{}
	for _, id := range ids {
		_, out[id] = m[id]
	}
	return out, nil
}

// sweep runs a retention sweep at at.
func (w *world) sweep(at time.Time) error {
	if err := w.sys.Sweep(w.ctx, privacyOfficer(), at); err != nil {
		return w.setup("run a retention sweep at "+at.Format(time.DateOnly), err)
	}
	return nil
}

// find returns the record id among rs.
func find(rs []privacy.Record, id privacy.RecordID) (privacy.Record, bool) {
	i := slices.IndexFunc(rs, func(r privacy.Record) bool { return r.ID == id })
	if i < 0 {
		return privacy.Record{}, false
	}
	return rs[i], true
}

// categories returns the categories among rs.
func categories(rs []privacy.Record) []privacy.Category {
	var out []privacy.Category
	for _, r := range rs {
		if !slices.Contains(out, r.Category) {
			out = append(out, r.Category)
		}
	}
	return out
}

// leaks reports whether any field of rs holds text.
func leaks(rs []privacy.Record, text string) bool {
	for _, r := range rs {
		for _, v := range r.Fields {
			if v == text {
				return true
			}
		}
	}
	return false
}

// hidden reports whether a view attempt showed nothing: an error, or no
// records.
func hidden(rs []privacy.Record, err error) bool { return err != nil || len(rs) == 0 }

// consent records a grant the rules allow.
func (w *world) consent(g Consent) error {
	if err := w.sys.Consent(w.ctx, g); err != nil {
		return w.setup("record consent "+g.ID, err)
	}
	return nil
}

// cover records that insurer covers employer's absence risk from a year
// before t0 (O11), as the rules allow.
func (w *world) cover(insurer, employer privacy.PartyID) error {
	c := Coverage{ID: "cover-" + string(insurer) + "-" + string(employer), Insurer: insurer, Employer: employer,
		From: t0.AddDate(-1, 0, 0), By: "cm-carla"}
	if err := w.sys.Cover(w.ctx, c); err != nil {
		return w.setup("record that "+string(insurer)+" covers "+string(employer), err)
	}
	return nil
}

// file files a request the rules allow.
func (w *world) file(r Request) error {
	if _, err := w.sys.File(w.ctx, r); err != nil {
		return w.setup(fmt.Sprintf("file %s request %s", r.Kind, r.ID), err)
	}
	return nil
}
