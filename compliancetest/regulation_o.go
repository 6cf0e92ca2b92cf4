package compliancetest

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/dossierwacht/dossierwacht/privacy"
	"github.com/dossierwacht/dossierwacht/privacy/calendar"
	"github.com/dossierwacht/dossierwacht/rights"
)

// Regulation O: the occupational health service (RULES.md, O1–O16).

func regulationOScenarios() []def {
	return []def{
		{privacy.O1, "every_operation_goes_through_the_policy", o1Policy},
		{privacy.O2, "no_processing_outside_the_contract", o2Contract},
		{privacy.O4, "roles_see_only_their_categories", o4Roles},
		{privacy.O5, "special_categories_refused_nothing_stored", o5Special},
		{privacy.O6, "medical_only_for_the_assigned_physician", o6Medical},
		{privacy.O6, "medical_disclosure_needs_written_consent", o6Disclosure},
		{privacy.O7, "contractor_needs_an_agreement", o7Contractor},
		{privacy.O8, "employment_end_starts_retention", o8EmploymentEnd},
		{privacy.O8, "master_data_from_the_employer", o8MasterData},
		{privacy.O9, "absence_reason_never_reaches_the_employer", o9Reason},
		{privacy.O10, "employer_never_lists_consultation", o10Consultation(privacy.CaseConsultation)},
		{privacy.O10, "employer_never_lists_periodic_exam", o10Consultation(privacy.CasePeriodicExam)},
		{privacy.O11, "insurer_sees_the_overview_only", o11Insurer},
		{privacy.O12, "absence_file_kept_no_longer_than_needed", o12Retention},
		{privacy.O13, "access_within_a_month_medical_through_physician", o13Access},
		{privacy.O13, "correction_and_erasure_decided_with_reasons", o13Decisions},
		{privacy.O14, "disclosure_needs_written_consent", o14Written},
		{privacy.O16, "decisions_record_the_policy_version", o16Version},
	}
}

// Rule O1: every read, write and disclosure goes through the policy: what
// no rule allows is refused.
func o1Policy(w *world) error {
	if err := w.fileAbsence(); err != nil {
		return err
	}
	ins := insurerContact(acme)
	if err := w.sys.Write(w.ctx, ins, w.record("rec-ins-note", caseAbsence, privacy.CategoryNotes, ins, privacy.Source{Kind: privacy.PartyInsurer, Party: ivy},
		day(1), "text", "by the insurer")); err == nil {
		return w.fail("an absence insurer wrote a note into a case")
	}
	desk := supportStaff()
	if err := w.sys.Write(w.ctx, desk, w.record("rec-desk-note", caseAbsence, privacy.CategoryNotes, desk, fromService,
		day(1), "text", "by support staff")); err == nil {
		return w.fail("support staff wrote case content")
	}
	if _, err := w.sys.Disclose(w.ctx, Disclosure{ID: "dis-by-employer", By: employerContact(), Subject: anna, Case: caseAbsence,
		Recipient: Recipient{Kind: privacy.PartyThirdParty, Party: lawyer}, Items: []Item{{Category: privacy.CategoryNotes, Record: recNote}},
		Purpose: privacy.PurposeAbsenceGuidance, Request: "letter-lex-1", At: day(1)}); err == nil {
		return w.fail("the employer passed a note of the case on to a third party")
	}
	rs, err := w.view(insurerContact(acme), caseAbsence, day(1))
	if err == nil && leaks(rs, noteText) {
		return w.fail("an absence insurer read a note of the case")
	}
	return nil
}

// Rule O2: processing only under a contract in force.
func o2Contract(w *world) error {
	ended := privacy.Contract{ID: "contract-ended", Party: acme, PartyKind: privacy.PartyEmployer,
		Start: time.Date(2020, time.January, 1, 0, 0, 0, 0, time.UTC), End: time.Date(2024, time.January, 1, 0, 0, 0, 0, time.UTC)}
	if err := w.sys.Open(w.ctx, employee(anna), privacy.Case{ID: "case-no-contract", Subject: anna, Kind: privacy.CaseAbsence,
		Purpose: privacy.PurposeAbsenceGuidance, Contract: ended, Opened: t0}); err == nil {
		return w.fail("a case was opened under a contract that ended a year before")
	}
	ending := contractAcme()
	ending.ID, ending.End = "contract-ending", day(30)
	if err := w.open(employee(anna), caseAbsence, privacy.CaseAbsence, privacy.PurposeAbsenceGuidance, ending, t0); err != nil {
		return err
	}
	cm := caseManager(caseAbsence)
	if err := w.write(cm, w.record(recNote, caseAbsence, privacy.CategoryNotes, cm, fromService, day(10), "text", noteText)); err != nil {
		return err
	}
	late := w.record("rec-note-late", caseAbsence, privacy.CategoryNotes, cm, fromService, day(31), "text", "after the contract")
	if err := w.sys.Write(w.ctx, cm, late); err == nil {
		return w.fail("a record was written after the employer's contract ended")
	}
	rs, err := w.view(cm, caseAbsence, day(31))
	if err == nil && leaks(rs, noteText) {
		return w.fail("case content was read after the employer's contract ended")
	}
	return nil
}

// Rule O4: staff and outside parties see only the categories their
// function needs.
func o4Roles(w *world) error {
	if err := w.fileAbsence(); err != nil {
		return err
	}
	// Rule O11: the register records that ivy covers acme.
	if err := w.cover(ivy, acme); err != nil {
		return err
	}
	for _, x := range []struct {
		who     string
		by      Actor
		allowed []privacy.Category
		needs   privacy.RecordID
	}{
		{"the employer", employerContact(), []privacy.Category{privacy.CategoryIdentity, privacy.CategoryContact,
			privacy.CategoryEmployment, privacy.CategoryAbsenceFacts, privacy.CategoryWorkCapacity}, recSickReport},
		{"the absence insurer", insurerContact(acme), []privacy.Category{privacy.CategoryIdentity, privacy.CategoryAbsenceFacts}, recSickReport},
		{"support staff", supportStaff(), []privacy.Category{privacy.CategoryIdentity, privacy.CategoryContact, privacy.CategoryAppointment}, recAppointment},
		{"the assigned case manager", caseManager(caseAbsence), []privacy.Category{privacy.CategoryIdentity, privacy.CategoryContact,
			privacy.CategoryEmployment, privacy.CategoryAbsenceFacts, privacy.CategoryAbsenceReason, privacy.CategoryStatements,
			privacy.CategoryWorkCapacity, privacy.CategoryExpertReport, privacy.CategoryNotes, privacy.CategoryAppointment}, recNote},
	} {
		rs, err := w.view(x.by, caseAbsence, day(1))
		if err != nil {
			return w.setup(x.who+" views the case", err)
		}
		for _, c := range categories(rs) {
			if !slices.Contains(x.allowed, c) {
				return w.fail("%s sees %s data, which its function does not need", x.who, c)
			}
		}
		if _, ok := find(rs, x.needs); !ok {
			return w.fail("%s cannot see record %s, which its function needs", x.who, x.needs)
		}
	}
	return nil
}

// Rule O5: special categories are refused on write with a clear error, and
// nothing is stored.
func o5Special(w *world) error {
	if err := w.openAbsence(); err != nil {
		return err
	}
	cm := caseManager(caseAbsence)
	for i, c := range privacy.SpecialCategories() {
		r := w.record(privacy.RecordID(fmt.Sprintf("rec-special-%d", i)), caseAbsence, c, cm, fromSubject, day(1), "text", "special")
		err := w.sys.Write(w.ctx, cm, r)
		switch {
		case err == nil:
			return w.fail("a record of special category %s was stored", c)
		case !errors.Is(err, privacy.ErrForbidden):
			return w.failErr(err, "writing a record of special category %s did not fail with a refusal (privacy.ErrForbidden)", c)
		}
	}
	e, err := w.export(anna, day(1))
	if err != nil {
		return err
	}
	for _, r := range exported(e) {
		if r.Category.Special() {
			return w.fail("record %s of special category %s is held", r.ID, r.Category)
		}
	}
	return nil
}

// Rule O6: medical data only for the assigned physician, kept apart.
func o6Medical(w *world) error {
	if err := w.fileAbsence(); err != nil {
		return err
	}
	rs, err := w.mustView(physician(caseAbsence), caseAbsence, day(1))
	if err != nil {
		return err
	}
	if !leaks(rs, medicalText) {
		return w.fail("the assigned physician cannot read the medical file")
	}
	for _, x := range []struct {
		who string
		by  Actor
	}{
		{"a physician not assigned to the case", physician()},
		{"the assigned case manager", caseManager(caseAbsence)},
		{"the employer", employerContact()},
		{"support staff", supportStaff()},
	} {
		rs, err := w.view(x.by, caseAbsence, day(1))
		if err == nil && leaks(rs, medicalText) {
			return w.fail("%s reads medical data", x.who)
		}
	}
	return nil
}

// Rule O6: medical data goes to a third party only on the employee's
// written authorisation, and only from the physician.
func o6Disclosure(w *world) error {
	if err := w.fileAbsence(); err != nil {
		return err
	}
	to := Recipient{Kind: privacy.PartyThirdParty, Party: lawyer}
	disclose := func(id string, by Actor, at time.Time) error {
		_, err := w.sys.Disclose(w.ctx, Disclosure{ID: id, By: by, Subject: anna, Case: caseAbsence, Recipient: to,
			Items: []Item{{Category: privacy.CategoryMedical, Record: recMedical}}, Purpose: privacy.PurposeAbsenceGuidance,
			Request: "letter-lex-" + id, At: at})
		return err
	}
	if err := disclose("dis-med-1", physician(caseAbsence), day(1)); err == nil {
		return w.fail("medical data went to a third party without the employee's written authorisation")
	}
	// Explicit consent that is not in writing: refused when recorded, or
	// at the latest when it is relied on.
	_ = w.sys.Consent(w.ctx, Consent{ID: "consent-med-oral", Subject: anna, Recipient: to,
		Categories: []privacy.Category{privacy.CategoryMedical}, Purpose: privacy.PurposeAbsenceGuidance, Case: caseAbsence, Given: day(2)})
	if err := disclose("dis-med-2", physician(caseAbsence), day(3)); err == nil {
		return w.fail("medical data went to a third party on consent that was not in writing")
	}
	if err := w.consent(Consent{ID: "consent-med", Subject: anna, Recipient: to, Categories: []privacy.Category{privacy.CategoryMedical},
		Purpose: privacy.PurposeAbsenceGuidance, Case: caseAbsence, Written: true, Document: "doc-authorisation-2025-3", Given: day(4)}); err != nil {
		return err
	}
	if err := disclose("dis-med-3", caseManager(caseAbsence), day(5)); err == nil {
		return w.fail("the case manager, not a physician, passed medical data on")
	}
	if err := disclose("dis-med-4", physician(caseAbsence), day(5)); err != nil {
		return w.setup("the physician discloses medical data on written authorisation", err)
	}
	return nil
}

// Rule O7: someone working for the service without being employed by it
// needs the agreement that binds them.
func o7Contractor(w *world) error {
	if err := w.fileAbsence(); err != nil {
		return err
	}
	dr := physician(caseAbsence)
	dr.Contractor = true
	rs, err := w.view(dr, caseAbsence, day(1))
	if !hidden(rs, err) {
		return w.fail("a contracted physician without an agreement sees %d records", len(rs))
	}
	if err := w.sys.Write(w.ctx, dr, w.record("rec-contractor", caseAbsence, privacy.CategoryMedical, dr, fromService, day(1), "text", "by a contractor")); err == nil {
		return w.fail("a contracted physician without an agreement wrote to the medical file")
	}
	dr.Agreement = "agreement-2025-7"
	rs, err = w.mustView(dr, caseAbsence, day(1))
	if err != nil {
		return err
	}
	if !leaks(rs, medicalText) {
		return w.fail("a contracted physician bound by an agreement cannot read the medical file")
	}
	return nil
}

// Rule O8: the employer supplies master data, kept with its source.
func o8MasterData(w *world) error {
	if err := w.openAbsence(); err != nil {
		return err
	}
	hr := employerContact()
	ids := []privacy.RecordID{recIdentity, recWages}
	if err := w.write(hr, w.record(recIdentity, caseAbsence, privacy.CategoryIdentity, hr, fromEmployer, day(0).Add(time.Hour),
		"name", "Anna de Vries", "postcode", "3581 AB", "date-of-birth", "1990-02-14")); err != nil {
		return err
	}
	if err := w.write(hr, w.record(recWages, caseAbsence, privacy.CategoryEmployment, hr, fromEmployer, day(0).Add(2*time.Hour),
		"job", "planner", "employment-kind", "permanent", "employment-start", "2019-09-01")); err != nil {
		return err
	}
	e, err := w.export(anna, day(1))
	if err != nil {
		return err
	}
	recs := exported(e)
	for _, id := range ids {
		r, ok := recs[id]
		if !ok {
			return w.fail("master data record %s from the employer is not kept", id)
		}
		if r.Source.Kind != privacy.PartyEmployer || r.Source.Party != acme {
			return w.fail("master data record %s does not keep the employer as its source", id)
		}
	}
	return nil
}

// Rule O8 (with N7): the end of employment starts the retention of the
// absence file.
func o8EmploymentEnd(w *world) error {
	ended := day(-30) // 31 January 2025
	s := employee(anna)
	s.EmploymentEnded = ended
	if err := w.open(s, caseAbsence, privacy.CaseAbsence, privacy.PurposeAbsenceGuidance, contractAcme(), t0); err != nil {
		return err
	}
	cm := caseManager(caseAbsence)
	if err := w.write(cm, w.record(recNote, caseAbsence, privacy.CategoryNotes, cm, fromService, day(1), "text", noteText)); err != nil {
		return err
	}
	before := ended.AddDate(2, 0, -1)
	if err := w.sweep(before); err != nil {
		return err
	}
	h, err := w.held(anna, before, recNote)
	if err != nil {
		return err
	}
	if !h[recNote] {
		return w.fail("the absence file was deleted before 2 years after the employment ended")
	}
	after := ended.AddDate(2, 0, 2)
	if err := w.sweep(after); err != nil {
		return err
	}
	if h, err = w.held(anna, after, recNote); err != nil {
		return err
	}
	if h[recNote] {
		return w.fail("the absence file was kept longer than 2 years after the employment ended")
	}
	return nil
}

// Rule O9: the absence reason is for internal use only.
func o9Reason(w *world) error {
	if err := w.fileAbsence(); err != nil {
		return err
	}
	for _, x := range []struct {
		who string
		by  Actor
	}{{"the employer", employerContact()}, {"the absence insurer", insurerContact(acme)}} {
		rs, err := w.view(x.by, caseAbsence, day(1))
		if err == nil && (slices.Contains(categories(rs), privacy.CategoryAbsenceReason) || leaks(rs, reasonText)) {
			return w.fail("%s was shown the reason for the sick report", x.who)
		}
	}
	// Consent cannot open it up: the grant is refused when recorded, or
	// the disclosure when it relies on it.
	_ = w.sys.Consent(w.ctx, Consent{ID: "consent-reason", Subject: anna, Recipient: Recipient{Kind: privacy.PartyEmployer, Party: acme},
		Categories: []privacy.Category{privacy.CategoryAbsenceReason}, Purpose: privacy.PurposeAbsenceGuidance, Case: caseAbsence,
		Written: true, Document: "doc-consent-reason", Given: day(2)})
	if _, err := w.sys.Disclose(w.ctx, Disclosure{ID: "dis-reason", By: caseManager(caseAbsence), Subject: anna, Case: caseAbsence,
		Recipient: Recipient{Kind: privacy.PartyEmployer, Party: acme}, Items: []Item{{Category: privacy.CategoryAbsenceReason, Record: recReason}},
		Purpose: privacy.PurposeAbsenceGuidance, At: day(3)}); err == nil {
		return w.fail("the reason for the sick report was passed on to the employer")
	}
	return nil
}

// Rule O10: the employer does not learn of a consultation-hour visit or a
// periodic examination, not even that it exists, without the employee's
// approval.
func o10Consultation(kind privacy.CaseKind) func(w *world) error {
	what := map[privacy.CaseKind]string{privacy.CaseConsultation: "a consultation-hour visit",
		privacy.CasePeriodicExam: "a periodic examination"}[kind]
	return func(w *world) error {
		if err := w.fileAbsence(); err != nil {
			return err
		}
		if err := w.open(employee(anna), caseConsultation, kind, privacy.PurposePrevention, contractAcme(), day(1)); err != nil {
			return err
		}
		dr := physician(caseAbsence, caseConsultation)
		if err := w.write(dr, w.record("rec-visit", caseConsultation, privacy.CategoryConsultation, dr, fromService, day(1).Add(time.Hour),
			"consultation-kind", string(kind), "date", "2025-03-04")); err != nil {
			return err
		}
		hr := employerContact()
		listed, err := w.sys.Cases(w.ctx, hr, anna, day(2))
		if err != nil {
			return w.setup("the employer lists its employee's cases", err)
		}
		if slices.Contains(listed, caseConsultation) {
			return w.fail("the employer learned of %s without the employee's consent", what)
		}
		if !slices.Contains(listed, caseAbsence) {
			return w.fail("the employer cannot list its employee's absence case")
		}
		rs, err := w.view(hr, caseConsultation, day(2))
		if err == nil {
			return w.fail("the employer opened %s without the employee's consent (%d records)", what, len(rs))
		}
		if !errors.Is(err, privacy.ErrNotFound) {
			return w.failErr(err, "the employer's refused view of %s reveals that it exists: it does not fail as a missing case would (privacy.ErrNotFound)", what)
		}
		return nil
	}
}

// Rule O11: an absence insurer gets only the overview: who is sick, the
// degree of incapacity, the absence period; for the employers it covers.
func o11Insurer(w *world) error {
	if err := w.fileAbsence(); err != nil {
		return err
	}
	// The coverage register says the insurer covers acme (not globex).
	if err := w.cover(ivy, acme); err != nil {
		return err
	}
	overview := privacy.InsurerOverview()
	rs, err := w.view(insurerContact(acme), caseAbsence, day(1))
	if err != nil {
		return w.setup("the insurer of the employer views the absence case", err)
	}
	seen := map[privacy.Field]bool{}
	for _, r := range rs {
		for f := range r.Fields {
			if !slices.Contains(overview[r.Category], f) {
				return w.fail("the absence insurer sees the %s of %s data, beyond the overview of sick employees", f, r.Category)
			}
			seen[f] = true
		}
	}
	for _, f := range []privacy.Field{privacy.FieldName, privacy.FieldFirstDay, privacy.FieldIncapacityDegree} {
		if !seen[f] {
			return w.fail("the absence insurer does not get the %s its overview holds", f)
		}
	}
	// An insurer the coverage register does not name for acme sees
	// nothing of acme's employees, whatever it claims to cover.
	rs, err = w.view(otherInsurer(acme), caseAbsence, day(1))
	if !hidden(rs, err) {
		return w.fail("an absence insurer sees an employee of an employer it does not cover")
	}
	return nil
}

// Rule O12: kept no longer than the contract needs; statutory periods
// respected.
func o12Retention(w *world) error {
	if err := w.openAbsence(); err != nil {
		return err
	}
	cm, hr := caseManager(caseAbsence), employerContact()
	if err := w.write(cm, w.record(recNote, caseAbsence, privacy.CategoryNotes, cm, fromService, day(1), "text", noteText)); err != nil {
		return err
	}
	if err := w.write(hr, w.record(recWages, caseAbsence, privacy.CategoryEmployment, hr, fromEmployer, day(1), "wages", "3400")); err != nil {
		return err
	}
	closed := day(30)
	if err := w.sys.Close(w.ctx, caseAbsence, closed); err != nil {
		return w.setup("close the absence case", err)
	}
	before := closed.AddDate(2, 0, -1)
	if err := w.sweep(before); err != nil {
		return err
	}
	h, err := w.held(anna, before, recNote)
	if err != nil {
		return err
	}
	if !h[recNote] {
		return w.fail("the absence file was deleted before 2 years after the case closed")
	}
	after := closed.AddDate(2, 0, 2)
	if err := w.sweep(after); err != nil {
		return err
	}
	if h, err = w.held(anna, after, recNote, recWages); err != nil {
		return err
	}
	if h[recNote] {
		return w.fail("the absence file was kept longer than 2 years after the case closed")
	}
	if !h[recWages] {
		return w.fail("wage data under the 7-year fiscal retention duty was deleted after 2 years")
	}
	return nil
}

// Rule O13: access within one month; medical data through the physician.
func o13Access(w *world) error {
	if err := w.fileAbsence(); err != nil {
		return err
	}
	received := t0.Add(time.Hour)
	due, err := w.sys.File(w.ctx, Request{ID: "req-access", Subject: anna, Kind: rights.KindAccess, Written: true,
		Received: received, By: "cm-carla"})
	if err != nil {
		return w.setup("file a written access request", err)
	}
	limit := calendar.DeadlineAt(received, privacy.Months(1), calendar.Dutch(nil))
	if due.IsZero() || due.After(limit) {
		return w.fail("a written access request received on 3 March 2025 is due on %v, later than one month (%v)", due, limit)
	}
	e, err := w.export(anna, day(1))
	if err != nil {
		return err
	}
	med, ok := exported(e)[recMedical]
	if !ok {
		return w.fail("the answer to an access request does not show that a medical file exists")
	}
	if !e.Medical.Direct && e.Medical.ReleasedBy == "" && med.Fields[privacy.FieldText] == medicalText {
		return w.fail("medical data was handed out without the physician releasing it")
	}
	return nil
}

// Rule O13: correction and deletion on a written, reasoned request, with a
// recorded decision and its reason.
func o13Decisions(w *world) error {
	if err := w.fileAbsence(); err != nil {
		return err
	}
	if err := w.file(Request{ID: "req-correct", Subject: anna, Kind: rights.KindRectification, Written: true, Received: day(1),
		Records: []privacy.RecordID{recNote}, By: "cm-carla"}); err != nil {
		return err
	}
	corrected := "note: phased return agreed with the employee"
	if _, err := w.sys.Respond(w.ctx, Response{Request: "req-correct", Verdict: Granted, At: day(2), By: "cm-carla",
		Reason: "the note misquoted the employee", Corrections: map[privacy.RecordID]map[privacy.Field]string{recNote: {privacy.FieldText: corrected}}}); err != nil {
		return w.setup("grant a rectification", err)
	}
	if err := w.file(Request{ID: "req-erase", Subject: anna, Kind: rights.KindErasure, Written: true, Received: day(1),
		Records: []privacy.RecordID{recReport}, By: "cm-carla"}); err != nil {
		return err
	}
	if _, err := w.sys.Respond(w.ctx, Response{Request: "req-erase", Verdict: Refused, At: day(2), By: "cm-carla",
		Ground: rights.GroundAgainstPurpose}); err == nil {
		return w.fail("an erasure request was refused without a reason")
	}
	reason := "the report is needed for the ongoing guidance"
	if _, err := w.sys.Respond(w.ctx, Response{Request: "req-erase", Verdict: Refused, At: day(3), By: "cm-carla",
		Ground: rights.GroundAgainstPurpose, Reason: reason}); err != nil {
		return w.setup("refuse an erasure request with its reason", err)
	}
	e, err := w.export(anna, day(3))
	if err != nil {
		return err
	}
	if got := exported(e)[recNote].Fields[privacy.FieldText]; got != corrected {
		return w.fail("a granted correction did not change the record")
	}
	for _, r := range e.Requests {
		if r.ID != "req-erase" {
			continue
		}
		last := r.Last()
		if last.Status != string(rights.StatusRefused) || last.Reason != reason || last.Ground != string(rights.GroundAgainstPurpose) {
			return w.fail("the refusal of an erasure request is not recorded with its ground and reason")
		}
		return nil
	}
	return w.fail("the subject's requests are not in the answer to an access request")
}

// Rule O14: transfer to third parties only with written consent; a
// revocation ends it.
func o14Written(w *world) error {
	if err := w.fileAbsence(); err != nil {
		return err
	}
	to := Recipient{Kind: privacy.PartyThirdParty, Party: lawyer}
	disclose := func(id string, at time.Time) (Disclosed, error) {
		return w.sys.Disclose(w.ctx, Disclosure{ID: id, By: caseManager(caseAbsence), Subject: anna, Case: caseAbsence,
			Recipient: to, Items: []Item{{Category: privacy.CategoryExpertReport, Record: recReport}},
			Purpose: privacy.PurposeAbsenceGuidance, Request: "letter-lex-" + id, At: at})
	}
	// Consent that is not in writing: refused when recorded, or at the
	// latest when it is relied on.
	_ = w.sys.Consent(w.ctx, Consent{ID: "consent-oral", Subject: anna, Recipient: to, Categories: []privacy.Category{privacy.CategoryExpertReport},
		Purpose: privacy.PurposeAbsenceGuidance, Case: caseAbsence, Given: day(1)})
	if _, err := disclose("dis-1", day(2)); err == nil {
		return w.fail("a report went to a third party on consent that was not in writing")
	}
	if err := w.consent(Consent{ID: "consent-written", Subject: anna, Recipient: to, Categories: []privacy.Category{privacy.CategoryExpertReport},
		Purpose: privacy.PurposeAbsenceGuidance, Case: caseAbsence, Written: true, Document: "doc-consent-2025-21", Given: day(3)}); err != nil {
		return err
	}
	if _, err := disclose("dis-2", day(4)); err != nil {
		return w.setup("disclose a report on written consent", err)
	}
	if err := w.sys.Revoke(w.ctx, anna, "consent-written", day(5)); err != nil {
		return w.setup("revoke the written consent", err)
	}
	if _, err := disclose("dis-3", day(6)); err == nil {
		return w.fail("a report went to a third party after the employee revoked her written consent")
	}
	return nil
}

// Rule O16: policies are versioned and dated; every decision records the
// version it used.
func o16Version(w *world) error {
	if err := w.fileAbsence(); err != nil {
		return err
	}
	if _, err := w.view(caseManager(caseAbsence), caseAbsence, day(1)); err != nil {
		return w.setup("the case manager views the case", err)
	}
	if err := w.file(Request{ID: "req-access", Subject: anna, Kind: rights.KindAccess, Written: true, Received: day(1), By: "cm-carla"}); err != nil {
		return err
	}
	e, err := w.export(anna, day(2))
	if err != nil {
		return err
	}
	version := e.Policy.Version
	if version == "" || e.Policy.Effective.IsZero() {
		return w.fail("the answer to an access request does not name the version and effective date of the policy")
	}
	for _, r := range e.Requests {
		if r.Policy != version {
			return w.fail("request %s does not record the policy version %s it was decided under", r.ID, version)
		}
	}
	evs, err := w.sys.AuditTrail(w.ctx, anna)
	if err != nil {
		return w.setup("read the audit trail", err)
	}
	if len(evs) == 0 {
		return w.fail("no decision about the subject's data was recorded")
	}
	for _, ev := range evs {
		if !strings.Contains(ev.Policy, version) {
			return w.fail("audit event %d does not record the policy version %s that decided it", ev.Seq, version)
		}
	}
	return nil
}
