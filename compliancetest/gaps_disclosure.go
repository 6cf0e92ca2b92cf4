package compliancetest

import (
	"errors"
	"fmt"
	"time"

	"github.com/dossierwacht/dossierwacht/privacy"
)

// The disclosure gate decides with the case and the discloser (issue 12,
// §1): a disclosure that each rule of its own would allow may still break
// a rule through the case it comes from (its commissioner, kind, purpose
// and contract), through the one who discloses (who may pass on only what
// they may read themselves), through the records it names (which are what
// they are, whatever the request calls them), or through the time it
// claims. Each scenario below plays one such path.

// gapDisclosureScenarios are the scenarios of the disclosure gate.
func gapDisclosureScenarios() []def {
	return []def{
		{privacy.N2, "advice_only_to_the_commissioning_employer", n2Commissioner},
		{privacy.N2, "advice_never_under_another_label", n2Label},
		{privacy.O10, "no_advice_from_a_consultation_or_periodic_exam_case", o10Advice},
		{privacy.O11, "overview_only_to_a_covering_insurer", o11Coverage},
		{privacy.R5, "nothing_leaves_for_another_purpose", r5Disclosure},
		{privacy.O2, "nothing_leaves_after_the_contract", o2Disclosure},
		{privacy.R7, "unassigned_staff_disclose_nothing", r7Disclosure},
		{privacy.R8, "support_staff_disclose_no_content", r8Disclosure},
		{privacy.O6, "unassigned_physician_never_discloses_the_medical_file", o6Unassigned},
		{privacy.O6, "medical_record_never_leaves_under_another_label", o6Label},
		{privacy.G8, "no_medical_disclosure_without_medical_secrecy", g8Disclosure},
		{privacy.N6, "no_medical_disclosure_without_a_second_factor", n6Disclosure},
		{privacy.N4, "no_health_data_disclosed_without_secrecy", n4Disclosure},
		{privacy.O14, "third_party_needs_its_written_request", o14Request},
		{privacy.R6, "no_disclosure_dated_before_a_revocation", r6Backdated},
	}
}

// toLawyer is the employee's lawyer, a third party.
var toLawyer = Recipient{Kind: privacy.PartyThirdParty, Party: lawyer}

// writtenConsent records Anna's written consent that to may receive cats
// for purpose, from all her cases, given at.
func (w *world) writtenConsent(id string, to Recipient, purpose privacy.Purpose, at time.Time, cats ...privacy.Category) error {
	return w.consent(Consent{ID: id, Subject: anna, Recipient: to, Categories: cats, Purpose: purpose,
		Written: true, Document: "doc-" + id, Given: at})
}

// disclose asks the system to disclose items of Anna's case c to to, by
// by, for c's purpose, at at; to a third party on its written request.
func (w *world) disclose(id string, by Actor, c privacy.CaseID, to Recipient, at time.Time, items ...Item) (Disclosed, error) {
	d := Disclosure{ID: id, By: by, Subject: anna, Case: c, Recipient: to, Items: items, Purpose: w.cases[c].Purpose, At: at}
	if to.Kind == privacy.PartyThirdParty {
		d.Request = "letter-" + id
	}
	return w.sys.Disclose(w.ctx, d)
}

// mustDisclose is disclose for a disclosure the rules allow.
func (w *world) mustDisclose(what, id string, by Actor, c privacy.CaseID, to Recipient, at time.Time, items ...Item) error {
	if _, err := w.disclose(id, by, c, to, at, items...); err != nil {
		return w.setup(what, err)
	}
	return nil
}

var (
	noteItem     = Item{Category: privacy.CategoryNotes, Record: recNote}
	medicalItem  = Item{Category: privacy.CategoryMedical, Record: recMedical}
	capacityItem = Item{Category: privacy.CategoryWorkCapacity, Record: recCapacity}
)

// Rule N2: the physician's advice goes, without consent, only to the
// employer that commissioned the case.
func n2Commissioner(w *world) error {
	if err := w.fileAbsence(); err != nil {
		return err
	}
	dr := physician(caseAbsence)
	if _, err := w.disclose("dis-advice-globex", dr, caseAbsence, Recipient{Kind: privacy.PartyEmployer, Party: globex}, day(7),
		capacityItem); err == nil {
		return w.fail("the physician's advice went without consent to %s, an employer that did not commission the case", globex)
	}
	return w.mustDisclose("the physician advises the employer that commissioned the case", "dis-advice-acme", dr, caseAbsence,
		Recipient{Kind: privacy.PartyEmployer, Party: acme}, day(7), capacityItem)
}

// Rule N2: what leaves without consent is what the record is: the
// physician cannot send the medical file as "work capacity".
func n2Label(w *world) error {
	if err := w.fileAbsence(); err != nil {
		return err
	}
	if _, err := w.disclose("dis-advice-medical", physician(caseAbsence), caseAbsence, Recipient{Kind: privacy.PartyEmployer, Party: acme},
		day(7), Item{Category: privacy.CategoryWorkCapacity, Record: recMedical}); err == nil {
		return w.fail("the medical file went to the employer as the physician's advice on work capacity")
	}
	return nil
}

// Rule O10: nothing of a consultation-hour visit or periodic examination
// reaches the employer without the employee's approval, not even the
// physician's advice that N2 would otherwise allow.
func o10Advice(w *world) error {
	dr := physician(caseConsultation, "case-periodic-exam")
	hr := Recipient{Kind: privacy.PartyEmployer, Party: acme}
	cases := []struct {
		c    privacy.CaseID
		kind privacy.CaseKind
		what string
	}{
		{caseConsultation, privacy.CaseConsultation, "a consultation-hour visit"},
		{"case-periodic-exam", privacy.CasePeriodicExam, "a periodic examination"},
	}
	// Both cases and their advice first, the disclosures after: the
	// scenario's clock only moves forward, as a service's does.
	for _, x := range cases {
		if err := w.open(employee(anna), x.c, x.kind, privacy.PurposePrevention, contractAcme(), day(1)); err != nil {
			return err
		}
		rec := privacy.RecordID("rec-capacity-" + string(x.kind))
		if err := w.write(dr, w.record(rec, x.c, privacy.CategoryWorkCapacity, dr, fromService, day(1).Add(time.Hour),
			"limitations", "no night shifts")); err != nil {
			return err
		}
	}
	for _, x := range cases {
		rec := privacy.RecordID("rec-capacity-" + string(x.kind))
		if _, err := w.disclose("dis-advice-"+string(x.kind), dr, x.c, hr, day(2),
			Item{Category: privacy.CategoryWorkCapacity, Record: rec}); err == nil {
			return w.fail("the employer received the physician's advice from %s without the employee's approval", x.what)
		}
	}
	// With her written approval, the advice from the visit may go.
	if err := w.consent(Consent{ID: "consent-visit", Subject: anna, Recipient: hr, Categories: []privacy.Category{privacy.CategoryConsultation},
		Purpose: privacy.PurposePrevention, Case: caseConsultation, Written: true, Document: "doc-visit", Given: day(3)}); err != nil {
		return err
	}
	return w.mustDisclose("the physician advises the employer from a visit the employee approved it to learn of", "dis-advice-approved",
		dr, caseConsultation, hr, day(4), Item{Category: privacy.CategoryWorkCapacity, Record: "rec-capacity-consultation"})
}

// Rule O11: the overview of sick employees goes only to an absence
// insurer that covers the case's employer.
func o11Coverage(w *world) error {
	if err := w.fileAbsence(); err != nil {
		return err
	}
	cm := caseManager(caseAbsence)
	overview := []Item{{Category: privacy.CategoryIdentity, Record: recIdentity, Fields: []privacy.Field{privacy.FieldName}},
		{Category: privacy.CategoryAbsenceFacts, Record: recSickReport, Fields: []privacy.Field{privacy.FieldFirstDay}}}
	to := Recipient{Kind: privacy.PartyInsurer, Party: ivy}
	try := func(id string, at time.Time) error {
		_, err := w.disclose(id, cm, caseAbsence, to, at, overview...)
		return err
	}
	if err := try("dis-overview-1", day(2)); err == nil {
		return w.fail("the overview went to an absence insurer no coverage of the employer was recorded for")
	}
	if err := w.cover(ivy, globex); err != nil {
		return err
	}
	if err := w.cover("insurer-zeta", acme); err != nil {
		return err
	}
	if err := try("dis-overview-2", day(2)); err == nil {
		return w.fail("the overview went to an absence insurer that covers another employer, not the case's")
	}
	if err := w.cover(ivy, acme); err != nil {
		return err
	}
	if err := try("dis-overview-3", day(3)); err != nil {
		return w.setup("give the overview to the insurer that covers the case's employer", err)
	}
	return nil
}

// Rule R5: data leaves only for the purpose of the case it comes from,
// whatever the consent names.
func r5Disclosure(w *world) error {
	if err := w.fileAbsence(); err != nil {
		return err
	}
	if err := w.writtenConsent("consent-prevention", toLawyer, privacy.PurposePrevention, day(1), privacy.CategoryNotes); err != nil {
		return err
	}
	d := Disclosure{ID: "dis-prevention", By: caseManager(caseAbsence), Subject: anna, Case: caseAbsence, Recipient: toLawyer,
		Items: []Item{noteItem}, Purpose: privacy.PurposePrevention, Request: "letter-prevention", At: day(2)}
	if _, err := w.sys.Disclose(w.ctx, d); err == nil {
		return w.fail("a note of an absence-guidance case left the service for the purpose of prevention")
	}
	return nil
}

// Rule O2: nothing leaves after the contract under which the case was
// commissioned ended.
func o2Disclosure(w *world) error {
	end := day(30)
	contract := privacy.Contract{ID: "contract-acme-short", Party: acme, PartyKind: privacy.PartyEmployer,
		Start: time.Date(2024, time.January, 1, 0, 0, 0, 0, time.UTC), End: end}
	if err := w.open(employee(anna), caseAbsence, privacy.CaseAbsence, privacy.PurposeAbsenceGuidance, contract, t0); err != nil {
		return err
	}
	cm := caseManager(caseAbsence)
	if err := w.write(cm, w.record(recNote, caseAbsence, privacy.CategoryNotes, cm, fromService, day(1), "text", noteText)); err != nil {
		return err
	}
	if err := w.writtenConsent("consent-lawyer", toLawyer, privacy.PurposeAbsenceGuidance, day(2), privacy.CategoryNotes); err != nil {
		return err
	}
	if err := w.mustDisclose("disclose a note on written consent while the contract stands", "dis-during", cm, caseAbsence, toLawyer,
		day(3), noteItem); err != nil {
		return err
	}
	if _, err := w.disclose("dis-after", cm, caseAbsence, toLawyer, end.AddDate(1, 0, 0), noteItem); err == nil {
		return w.fail("a note left the service a year after the contract of its case ended")
	}
	return nil
}

// noteToLawyer files Anna's absence case, records her written consent that
// her lawyer may have its notes, and asks by to disclose the note.
func (w *world) noteToLawyer(by Actor) error {
	if err := w.fileAbsence(); err != nil {
		return err
	}
	if err := w.writtenConsent("consent-lawyer", toLawyer, privacy.PurposeAbsenceGuidance, day(1), privacy.CategoryNotes); err != nil {
		return err
	}
	_, err := w.disclose("dis-note", by, caseAbsence, toLawyer, day(2), noteItem)
	return err
}

// Rule R7: only the staff assigned to the case pass on its content.
func r7Disclosure(w *world) error {
	if err := w.refused(w.noteToLawyer(caseManager()), "a case manager not assigned to the case passed a note of it on to a third party"); err != nil {
		return err
	}
	return w.mustDisclose("the assigned case manager discloses the note on written consent", "dis-note-assigned",
		caseManager(caseAbsence), caseAbsence, toLawyer, day(2), noteItem)
}

// Rule R8: need-to-know staff pass on no case content.
func r8Disclosure(w *world) error {
	return w.refused(w.noteToLawyer(supportStaff()), "support staff passed a note of the case on to a third party")
}

// medicalToLawyer files Anna's absence case, records her written
// authorisation that her lawyer may have the medical file, and asks by to
// disclose it.
func (w *world) medicalToLawyer(by Actor) error {
	if err := w.fileAbsence(); err != nil {
		return err
	}
	if err := w.writtenConsent("consent-medical", toLawyer, privacy.PurposeAbsenceGuidance, day(1), privacy.CategoryMedical); err != nil {
		return err
	}
	_, err := w.disclose("dis-medical", by, caseAbsence, toLawyer, day(2), medicalItem)
	return err
}

// refused judges the outcome of a disclosure the rules forbid: no error
// means the system let it through, the violation msg; a setup failure
// stays one; any other error is the refusal the rule asks for.
func (w *world) refused(err error, msg string, args ...any) error {
	var v *Violation
	switch {
	case err == nil:
		return w.fail(msg, args...)
	case errors.As(err, &v):
		return err
	}
	return nil
}

// Rule O6: only the physician assigned to the case discloses its medical
// file, even on a written authorisation.
func o6Unassigned(w *world) error {
	dr := physician()
	dr.Secrecy, dr.MultiFactor = privacy.SecrecyNone, false
	if err := w.refused(w.medicalToLawyer(dr), "a physician not assigned to the case, bound to no secrecy and signed in with one factor "+
		"passed its medical file on"); err != nil {
		return err
	}
	return w.mustDisclose("the assigned physician discloses the medical file on written authorisation", "dis-medical-assigned",
		physician(caseAbsence), caseAbsence, toLawyer, day(2), medicalItem)
}

// Rule O6: the medical file never leaves as something else: a record is
// what the case file holds, not what a request calls it.
func o6Label(w *world) error {
	if err := w.fileAbsence(); err != nil {
		return err
	}
	hr := Recipient{Kind: privacy.PartyEmployer, Party: acme}
	if err := w.consent(Consent{ID: "consent-notes", Subject: anna, Recipient: hr, Categories: []privacy.Category{privacy.CategoryNotes},
		Purpose: privacy.PurposeAbsenceGuidance, Written: true, Document: "doc-notes", Given: day(1)}); err != nil {
		return err
	}
	for _, by := range []Actor{caseManager(caseAbsence), physician(caseAbsence)} {
		_, err := w.disclose(fmt.Sprintf("dis-label-%s", by.Role), by, caseAbsence, hr, day(2),
			Item{Category: privacy.CategoryNotes, Record: recMedical})
		if err := w.refused(err, "the medical file went to the employer labelled as notes, disclosed by the %s", by.Role); err != nil {
			return err
		}
	}
	return nil
}

// Rule G8: medical data leaves only from those bound to medical secrecy.
func g8Disclosure(w *world) error {
	dr := physician(caseAbsence)
	dr.Secrecy = privacy.SecrecyAgreement
	return w.refused(w.medicalToLawyer(dr), "a physician bound only by a confidentiality agreement passed the medical file on")
}

// Rule N6: medical data leaves only from a physician signed in with more
// than one factor.
func n6Disclosure(w *world) error {
	dr := physician(caseAbsence)
	dr.MultiFactor = false
	return w.refused(w.medicalToLawyer(dr), "a physician signed in with one factor passed the medical file on")
}

// Rule N4: data concerning health leaves only from people bound to
// secrecy.
func n4Disclosure(w *world) error {
	if err := w.fileAbsence(); err != nil {
		return err
	}
	dr := physician(caseAbsence)
	if err := w.write(dr, w.record("rec-consultation", caseAbsence, privacy.CategoryConsultation, dr, fromService, day(1),
		string(privacy.FieldConsultationKind), "consultation hour", string(privacy.FieldDate), "2025-03-04")); err != nil {
		return err
	}
	hr := Recipient{Kind: privacy.PartyEmployer, Party: acme}
	if err := w.consent(Consent{ID: "consent-consultation", Subject: anna, Recipient: hr,
		Categories: []privacy.Category{privacy.CategoryConsultation}, Purpose: privacy.PurposeAbsenceGuidance,
		Written: true, Document: "doc-consultation", Given: day(2)}); err != nil {
		return err
	}
	item := Item{Category: privacy.CategoryConsultation, Record: "rec-consultation"}
	cm := caseManager(caseAbsence)
	cm.Secrecy = privacy.SecrecyNone
	_, err := w.disclose("dis-consultation-nosecrecy", cm, caseAbsence, hr, day(3), item)
	if err := w.refused(err, "a case manager bound to no secrecy passed data concerning health on"); err != nil {
		return err
	}
	return w.mustDisclose("a case manager bound to secrecy discloses it on written consent", "dis-consultation", caseManager(caseAbsence),
		caseAbsence, hr, day(3), item)
}

// Rule O14: a third party receives data on consent only on its written
// request, besides the employee's written consent.
func o14Request(w *world) error {
	if err := w.fileAbsence(); err != nil {
		return err
	}
	if err := w.writtenConsent("consent-lawyer", toLawyer, privacy.PurposeAbsenceGuidance, day(1), privacy.CategoryNotes); err != nil {
		return err
	}
	d := Disclosure{ID: "dis-unasked", By: caseManager(caseAbsence), Subject: anna, Case: caseAbsence, Recipient: toLawyer,
		Items: []Item{noteItem}, Purpose: privacy.PurposeAbsenceGuidance, At: day(2)}
	if _, err := w.sys.Disclose(w.ctx, d); err == nil {
		return w.fail("a note went to a third party that made no written request for it")
	}
	return w.mustDisclose("disclose the note on the lawyer's written request", "dis-asked", caseManager(caseAbsence), caseAbsence,
		toLawyer, day(2), noteItem)
}

// Rule R6: once a revocation is recorded, nothing can be disclosed as of
// an earlier time: the consent it withdrew cannot be reached behind.
func r6Backdated(w *world) error {
	if err := w.fileAbsence(); err != nil {
		return err
	}
	if err := w.writtenConsent("consent-lawyer", toLawyer, privacy.PurposeAbsenceGuidance, day(1), privacy.CategoryNotes); err != nil {
		return err
	}
	cm := caseManager(caseAbsence)
	if err := w.mustDisclose("disclose a note on written consent", "dis-before", cm, caseAbsence, toLawyer, day(2), noteItem); err != nil {
		return err
	}
	if err := w.sys.Revoke(w.ctx, anna, "consent-lawyer", day(5)); err != nil {
		return w.setup("revoke the consent", err)
	}
	if _, err := w.disclose("dis-backdated", cm, caseAbsence, toLawyer, day(3), noteItem); err == nil {
		return w.fail("after the employee revoked her consent, a note went to a third party as of a time before the revocation")
	}
	return nil
}
