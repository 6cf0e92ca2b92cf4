package compliancetest

import (
	"errors"
	"slices"
	"time"

	"github.com/dossierwacht/dossierwacht/export"
	"github.com/dossierwacht/dossierwacht/privacy"
	"github.com/dossierwacht/dossierwacht/privacy/calendar"
	"github.com/dossierwacht/dossierwacht/rights"
)

// Regulation R: the reintegration service (RULES.md, R2–R12).

func regulationRScenarios() []def {
	return []def{
		{privacy.R2, "records_keep_the_commissioning_party_as_source", r2Source},
		{privacy.R3, "statements_and_capacity_apart_from_medical", r3Apart},
		{privacy.R4, "file_supplemented_with_author_and_time", r4Supplemented},
		{privacy.R5, "other_purposes_refused", r5Purpose},
		{privacy.R6, "no_third_party_without_consent", r6Consent},
		{privacy.R7, "content_only_for_assigned_staff", r7Assigned},
		{privacy.R8, "need_to_know_staff_see_no_content", r8NeedToKnow},
		{privacy.R9, "erasure_request_spares_statutory_data", r9Erasure},
		{privacy.R9, "reintegration_file_kept_two_years_after_closing", r9TwoYears},
		{privacy.R9, "nothing_outlives_its_retention", r9Nothing},
		{privacy.R11, "written_access_within_four_weeks_free", r11Access},
		{privacy.R11, "four_weeks_not_extended", r11NoExtension},
		{privacy.R12, "administrator_sees_no_content", r12Administrator},
	}
}

// contractUtrecht is the municipality's contract for reintegration
// trajectories.
func contractUtrecht() privacy.Contract {
	return privacy.Contract{ID: "contract-utrecht", Party: utrecht, PartyKind: privacy.PartyMunicipality,
		Start: time.Date(2024, time.January, 1, 0, 0, 0, 0, time.UTC)}
}

var fromMunicipality = privacy.Source{Kind: privacy.PartyMunicipality, Party: utrecht}

// openReintegration opens Bram's reintegration trajectory, commissioned by
// the municipality, at t0.
func (w *world) openReintegration() error {
	return w.open(privacy.Subject{ID: bram, Created: t0.AddDate(0, -1, 0)}, caseReintegration,
		privacy.CaseReintegration, privacy.PurposeReintegration, contractUtrecht(), t0)
}

// Rule R2: each record keeps the party that supplied it.
func r2Source(w *world) error {
	if err := w.openReintegration(); err != nil {
		return err
	}
	cm := caseManager(caseReintegration)
	ids := []privacy.RecordID{"rec-bram-identity", "rec-bram-benefits", "rec-bram-education"}
	for _, r := range []privacy.Record{
		w.record(ids[0], caseReintegration, privacy.CategoryIdentity, cm, fromMunicipality, day(0).Add(time.Hour),
			"name", "Bram Jansen", "date-of-birth", "1980-05-01", "nationality", "NL"),
		w.record(ids[1], caseReintegration, privacy.CategoryBenefits, cm, fromMunicipality, day(0).Add(2*time.Hour), "text", "social assistance since 2024"),
		w.record(ids[2], caseReintegration, privacy.CategoryEducation, cm, fromMunicipality, day(0).Add(3*time.Hour), "text", "MBO 4 logistics"),
	} {
		if err := w.write(cm, r); err != nil {
			return err
		}
	}
	e, err := w.export(bram, day(1))
	if err != nil {
		return err
	}
	recs := exported(e)
	for _, id := range ids {
		r, ok := recs[id]
		if !ok {
			return w.fail("record %s supplied by the municipality is missing from the subject's file", id)
		}
		if r.Source.Kind != privacy.PartyMunicipality || r.Source.Party != utrecht {
			return w.fail("record %s does not keep the municipality as its source (got %s %s)", id, r.Source.Kind, r.Source.Party)
		}
	}
	if !slices.ContainsFunc(e.Facts.Sources, func(s export.SourceFact) bool { return s.Party == utrecht && s.Records >= len(ids) }) {
		return w.fail("the subject is not told that the municipality supplied %d records", len(ids))
	}
	return nil
}

// Rule R3: statements and work-capacity limitations are kept, apart from
// medical detail.
func r3Apart(w *world) error {
	if err := w.fileAbsence(); err != nil {
		return err
	}
	cm := caseManager(caseAbsence)
	diag := w.record("rec-capacity-diagnosis", caseAbsence, privacy.CategoryWorkCapacity, cm, fromService, day(1),
		"limitations", "no lifting", "text", medicalText)
	if err := w.sys.Write(w.ctx, cm, diag); err == nil {
		return w.fail("a work-capacity record was stored with a diagnosis in it")
	}
	e, err := w.export(anna, day(1))
	if err != nil {
		return err
	}
	recs := exported(e)
	for _, id := range []privacy.RecordID{recStatement, recCapacity} {
		r, ok := recs[id]
		if !ok {
			return w.fail("record %s (%s) is not kept", id, w.categoryOf(id))
		}
		if r.Medical {
			return w.fail("record %s (%s) is kept in the medical file instead of the case", id, r.Category)
		}
	}
	if r, ok := recs[recMedical]; !ok || !r.Medical {
		return w.fail("the medical record is not kept apart in the medical file")
	}
	if _, ok := recs["rec-capacity-diagnosis"]; ok {
		return w.fail("a refused work-capacity record with a diagnosis was kept")
	}
	rs, err := w.mustView(cm, caseAbsence, day(1))
	if err != nil {
		return err
	}
	if _, ok := find(rs, recCapacity); !ok {
		return w.fail("the assigned case manager cannot see the work-capacity limitations")
	}
	if _, ok := find(rs, recMedical); ok || leaks(rs, medicalText) {
		return w.fail("the case manager sees medical detail beside the work-capacity limitations")
	}
	return nil
}

func (w *world) categoryOf(id privacy.RecordID) privacy.Category {
	switch id {
	case recStatement:
		return privacy.CategoryStatements
	case recCapacity:
		return privacy.CategoryWorkCapacity
	}
	return ""
}

// Rule R4: records are appended over the case's life, each with author,
// time and category; not after the case closed.
func r4Supplemented(w *world) error {
	if err := w.openAbsence(); err != nil {
		return err
	}
	cm, dr := caseManager(caseAbsence), physician(caseAbsence)
	first := w.record("rec-note-1", caseAbsence, privacy.CategoryNotes, cm, fromService, day(1), "text", "first interview")
	second := w.record("rec-capacity-2", caseAbsence, privacy.CategoryWorkCapacity, dr, fromService, day(8), "limitations", "half days")
	if err := w.write(cm, first); err != nil {
		return err
	}
	if err := w.write(dr, second); err != nil {
		return err
	}
	if err := w.sys.Close(w.ctx, caseAbsence, day(20)); err != nil {
		return w.setup("close the case", err)
	}
	late := w.record("rec-note-late", caseAbsence, privacy.CategoryNotes, cm, fromService, day(21), "text", "after closing")
	lateErr := w.sys.Write(w.ctx, cm, late)
	e, err := w.export(anna, day(21))
	if err != nil {
		return err
	}
	recs := exported(e)
	for _, want := range []privacy.Record{first, second} {
		got, ok := recs[want.ID]
		switch {
		case !ok:
			return w.fail("record %s added during the case is not in the file", want.ID)
		case got.Author != want.Author || !got.Created.Equal(want.Created) || got.Category != want.Category:
			return w.fail("record %s does not keep its author, time and category (got %s, %s, %s; want %s, %s, %s)",
				want.ID, got.Author, got.Created.Format(time.RFC3339), got.Category, want.Author, want.Created.Format(time.RFC3339), want.Category)
		}
	}
	if _, ok := recs[late.ID]; ok || lateErr == nil {
		return w.fail("a record was added to the case after it closed")
	}
	return nil
}

// Rule R5: a case and its records serve one purpose; another is refused.
func r5Purpose(w *world) error {
	wrong := privacy.Case{ID: caseConsultation, Subject: anna, Kind: privacy.CaseConsultation,
		Purpose: privacy.PurposeReintegration, Contract: contractAcme(), Opened: t0}
	if err := w.sys.Open(w.ctx, employee(anna), wrong); err == nil {
		return w.fail("a consultation-hour case was opened for reintegration, a purpose the policy has not for it")
	}
	if err := w.openAbsence(); err != nil {
		return err
	}
	cm := caseManager(caseAbsence)
	note := w.record(recNote, caseAbsence, privacy.CategoryNotes, cm, fromService, day(1), "text", noteText)
	if err := w.write(cm, note); err != nil {
		return err
	}
	other := w.record("rec-note-prevention", caseAbsence, privacy.CategoryNotes, cm, fromService, day(1), "text", "for prevention")
	other.Purpose = privacy.PurposePrevention
	if err := w.sys.Write(w.ctx, cm, other); err == nil {
		return w.fail("a record was written to an absence-guidance case for the purpose of prevention")
	}
	rs, err := w.sys.View(w.ctx, cm, caseAbsence, privacy.PurposePrevention, day(2))
	if err == nil && leaks(rs, noteText) {
		return w.fail("the case was read for the purpose of prevention, not its own purpose")
	}
	return nil
}

// Rule R6: no data to third parties without explicit consent or a
// statute; a revocation ends the consent.
func r6Consent(w *world) error {
	if err := w.fileAbsence(); err != nil {
		return err
	}
	cm := caseManager(caseAbsence)
	disclose := func(id string, at time.Time) (Disclosed, error) {
		return w.sys.Disclose(w.ctx, Disclosure{ID: id, By: cm, Subject: anna, Case: caseAbsence,
			Recipient: Recipient{Kind: privacy.PartyThirdParty, Party: lawyer},
			Items:     []Item{{Category: privacy.CategoryNotes, Record: recNote}},
			Purpose:   privacy.PurposeAbsenceGuidance, Request: "letter-lex-" + id, At: at})
	}
	if _, err := disclose("dis-1", day(1)); err == nil {
		return w.fail("a note went to a third party without the employee's consent")
	}
	if err := w.consent(Consent{ID: "consent-lawyer", Subject: anna, Recipient: Recipient{Kind: privacy.PartyThirdParty, Party: lawyer},
		Categories: []privacy.Category{privacy.CategoryNotes}, Purpose: privacy.PurposeAbsenceGuidance, Case: caseAbsence,
		Written: true, Document: "doc-consent-2025-17", Given: day(2)}); err != nil {
		return err
	}
	if _, err := disclose("dis-2", day(3)); err != nil {
		return w.setup("disclose a note on written consent", err)
	}
	e, err := w.export(anna, day(3))
	if err != nil {
		return err
	}
	if !slices.ContainsFunc(e.Disclosures.Entries, func(d export.Disclosure) bool { return d.Recipient == lawyer }) {
		return w.fail("a disclosure to a third party was not logged")
	}
	if err := w.sys.Revoke(w.ctx, anna, "consent-lawyer", day(4)); err != nil {
		return w.setup("revoke the consent", err)
	}
	if _, err := disclose("dis-3", day(5)); err == nil {
		return w.fail("a note went to a third party after the employee revoked her consent")
	}
	return nil
}

// Rule R7: content only for the labour expert or case manager assigned to
// the client, not for the role as such.
func r7Assigned(w *world) error {
	if err := w.fileAbsence(); err != nil {
		return err
	}
	rs, err := w.view(caseManager(), caseAbsence, day(1))
	if !hidden(rs, err) && (leaks(rs, noteText) || leaks(rs, statementText)) {
		return w.fail("a case manager who is not assigned to the case sees its content")
	}
	rs, err = w.mustView(caseManager(caseAbsence), caseAbsence, day(1))
	if err != nil {
		return err
	}
	if !leaks(rs, noteText) {
		return w.fail("the assigned case manager cannot see the case's notes")
	}
	return nil
}

// Rule R8: other staff see identity and scheduling data, never case
// content.
func r8NeedToKnow(w *world) error {
	if err := w.fileAbsence(); err != nil {
		return err
	}
	rs, err := w.view(supportStaff(), caseAbsence, day(1))
	if err != nil {
		return w.setup("support staff view the case's appointments", err)
	}
	allowed := []privacy.Category{privacy.CategoryIdentity, privacy.CategoryContact, privacy.CategoryAppointment}
	for _, c := range categories(rs) {
		if !slices.Contains(allowed, c) {
			return w.fail("support staff see %s data, case content their work does not need", c)
		}
	}
	if _, ok := find(rs, recAppointment); !ok {
		return w.fail("support staff cannot see the appointment they need to schedule")
	}
	return nil
}

// Rule R9: a reintegration file is kept until 2 years after the trajectory
// closed; data for a statutory duty 7 years.
func r9TwoYears(w *world) error {
	if err := w.openReintegration(); err != nil {
		return err
	}
	cm := caseManager(caseReintegration)
	note := w.record("rec-bram-note", caseReintegration, privacy.CategoryNotes, cm, fromService, day(1), "text", noteText)
	benefits := w.record("rec-bram-benefits", caseReintegration, privacy.CategoryBenefits, cm, fromMunicipality, day(1).Add(time.Hour), "text", "benefit data")
	for _, r := range []privacy.Record{note, benefits} {
		if err := w.write(cm, r); err != nil {
			return err
		}
	}
	closed := day(30)
	if err := w.sys.Close(w.ctx, caseReintegration, closed); err != nil {
		return w.setup("close the trajectory", err)
	}
	before := closed.AddDate(2, 0, -1)
	if err := w.sweep(before); err != nil {
		return err
	}
	h, err := w.held(bram, before, note.ID, benefits.ID)
	if err != nil {
		return err
	}
	if !h[note.ID] {
		return w.fail("the reintegration file was deleted before 2 years after the trajectory closed")
	}
	after := closed.AddDate(2, 0, 2)
	if err := w.sweep(after); err != nil {
		return err
	}
	if h, err = w.held(bram, after, note.ID, benefits.ID); err != nil {
		return err
	}
	if h[note.ID] {
		return w.fail("the reintegration file was kept longer than 2 years after the trajectory closed")
	}
	if !h[benefits.ID] {
		return w.fail("benefit data under the 7-year statutory retention duty was deleted after 2 years")
	}
	return nil
}

// Rule R9 (issue 14): every kind of stored data has a retention rule and a
// sweep removes all of it. Past every period — the trajectory's 2 years,
// the fiscal 7 years of the benefit data, the consent's and the request's
// own — nothing of the client is left: not the records, the case, the
// consent, the disclosure-log entry, the request, nor the client's master
// data, so that there is nothing to export.
func r9Nothing(w *world) error {
	if err := w.openReintegration(); err != nil {
		return err
	}
	cm := caseManager(caseReintegration)
	note := w.record("rec-bram-note", caseReintegration, privacy.CategoryNotes, cm, fromService, day(1), "text", noteText)
	benefits := w.record("rec-bram-benefits", caseReintegration, privacy.CategoryBenefits, cm, fromMunicipality, day(1).Add(time.Hour), "text", "benefit data")
	for _, r := range []privacy.Record{note, benefits} {
		if err := w.write(cm, r); err != nil {
			return err
		}
	}
	to := Recipient{Kind: privacy.PartyThirdParty, Party: lawyer}
	if err := w.consent(Consent{ID: "consent-bram", Subject: bram, Recipient: to, Categories: []privacy.Category{privacy.CategoryNotes},
		Purpose: privacy.PurposeReintegration, Case: caseReintegration, Written: true, Document: "doc-consent-bram", Given: day(2)}); err != nil {
		return err
	}
	if _, err := w.sys.Disclose(w.ctx, Disclosure{ID: "dis-bram", By: cm, Subject: bram, Case: caseReintegration, Recipient: to,
		Items: []Item{{Category: privacy.CategoryNotes, Record: note.ID}}, Purpose: privacy.PurposeReintegration,
		Request: "letter-lex-bram", At: day(3)}); err != nil {
		return w.setup("disclose a note on written consent", err)
	}
	if err := w.sys.Revoke(w.ctx, bram, "consent-bram", day(4)); err != nil {
		return w.setup("revoke the consent", err)
	}
	if err := w.file(Request{ID: "req-bram", Subject: bram, Kind: rights.KindAccess, Written: true, Received: day(5), By: "cm-carla"}); err != nil {
		return err
	}
	if _, err := w.sys.Respond(w.ctx, Response{Request: "req-bram", Verdict: Granted, At: day(6), By: "cm-carla", Reason: "access given"}); err != nil {
		return w.setup("answer the access request", err)
	}
	closed := day(30)
	if err := w.sys.Close(w.ctx, caseReintegration, closed); err != nil {
		return w.setup("close the trajectory", err)
	}
	after := closed.AddDate(8, 0, 0)
	if err := w.sweep(after); err != nil {
		return err
	}
	if _, err := w.sys.Export(w.ctx, bram, after); !errors.Is(err, privacy.ErrNotFound) {
		return w.fail("8 years after the trajectory closed, past every retention period, the client's data is still kept (export: %v)", err)
	}
	if ps, err := w.sys.Proofs(w.ctx, bram); err != nil || len(ps) < 2 {
		return w.fail("the deleted records left %d proofs of deletion (%v), want one each", len(ps), err)
	}
	return nil
}

// Rule R9: an erasure request brings deletion forward, except for data a
// statute keeps.
func r9Erasure(w *world) error {
	if err := w.openReintegration(); err != nil {
		return err
	}
	cm := caseManager(caseReintegration)
	note := w.record("rec-bram-note", caseReintegration, privacy.CategoryNotes, cm, fromService, day(1), "text", noteText)
	benefits := w.record("rec-bram-benefits", caseReintegration, privacy.CategoryBenefits, cm, fromMunicipality, day(1).Add(time.Hour), "text", "benefit data")
	for _, r := range []privacy.Record{note, benefits} {
		if err := w.write(cm, r); err != nil {
			return err
		}
	}
	if err := w.file(Request{ID: "req-erase", Subject: bram, Kind: rights.KindErasure, Written: true, Received: day(5),
		Records: []privacy.RecordID{note.ID, benefits.ID}, By: cm.ID}); err != nil {
		return err
	}
	out, err := w.sys.Respond(w.ctx, Response{Request: "req-erase", Verdict: Granted, At: day(6), By: cm.ID,
		Reason: "the client asked for erasure"})
	if err != nil {
		return w.setup("grant the erasure request", err)
	}
	if slices.Contains(out.Erased, benefits.ID) {
		return w.fail("an erasure request erased benefit data a statute keeps")
	}
	if err := w.sweep(day(6)); err != nil {
		return err
	}
	h, err := w.held(bram, day(6), note.ID, benefits.ID)
	if err != nil {
		return err
	}
	if h[note.ID] {
		return w.fail("a granted erasure request did not bring the deletion of the note forward")
	}
	if !h[benefits.ID] {
		return w.fail("an erasure request deleted benefit data under a statutory retention duty")
	}
	return nil
}

// Rule R11: a written access request is answered within 4 weeks, free of
// charge, with everything held.
func r11Access(w *world) error {
	if err := w.fileAbsence(); err != nil {
		return err
	}
	received := t0.Add(time.Hour) // Monday 3 March 2025
	due, err := w.sys.File(w.ctx, Request{ID: "req-access", Subject: anna, Kind: rights.KindAccess, Written: true,
		Received: received, By: "cm-carla"})
	if err != nil {
		return w.setup("file a written access request", err)
	}
	limit := calendar.DeadlineAt(received, privacy.Weeks(4), calendar.Dutch(nil))
	if due.IsZero() || due.After(limit) {
		return w.fail("a written access request received on 3 March 2025 is due on %v, later than 4 weeks (%v)", due, limit)
	}
	if _, err := w.sys.Respond(w.ctx, Response{Request: "req-access", Verdict: Granted, At: day(7), By: "cm-carla",
		Reason: "export sent", FeeCents: 1000}); err == nil {
		return w.fail("a fee was charged for answering an access request")
	}
	if _, err := w.sys.Respond(w.ctx, Response{Request: "req-access", Verdict: Granted, At: day(7), By: "cm-carla",
		Reason: "export sent"}); err != nil {
		return w.setup("answer the access request free of charge", err)
	}
	e, err := w.export(anna, day(7))
	if err != nil {
		return err
	}
	recs := exported(e)
	for _, id := range []privacy.RecordID{recIdentity, recContact, recWages, recSickReport, recDegree, recReason,
		recStatement, recCapacity, recReport, recNote, recAppointment, recMedical} {
		if _, ok := recs[id]; !ok {
			return w.fail("the answer to an access request leaves out record %s", id)
		}
	}
	return nil
}

// Rule R11: the four weeks are unconditional. The GDPR lets a controller
// extend its month by two (G2); regulation R does not, and where the
// regulations differ the stricter rule holds: a request is not extended,
// not even within the first period and with reasons.
func r11NoExtension(w *world) error {
	if err := w.openAbsence(); err != nil {
		return err
	}
	received := t0.Add(time.Hour)
	due, err := w.sys.File(w.ctx, Request{ID: "req-access", Subject: anna, Kind: rights.KindAccess, Written: true,
		Received: received, By: "cm-carla"})
	if err != nil {
		return w.setup("file a written access request", err)
	}
	out, err := w.sys.Respond(w.ctx, Response{Request: "req-access", Verdict: Extended, At: day(3), By: "cm-carla",
		Reason: "the file spans three cases and needs the physician's release"})
	if err == nil {
		return w.fail("a written access request due on %v was extended to %v: regulation R's four weeks are not extended", due, out.Due)
	}
	return nil
}

// Rule R12: the application administrator manages accounts and sees no
// case content.
func r12Administrator(w *world) error {
	if err := w.fileAbsence(); err != nil {
		return err
	}
	admin := administrator()
	rs, err := w.view(admin, caseAbsence, day(1))
	if !hidden(rs, err) {
		return w.fail("the application administrator sees %d records of a case", len(rs))
	}
	note := w.record("rec-admin-note", caseAbsence, privacy.CategoryNotes, admin, fromService, day(1), "text", "by the administrator")
	if err := w.sys.Write(w.ctx, admin, note); err == nil {
		return w.fail("the application administrator wrote case content")
	}
	return nil
}
