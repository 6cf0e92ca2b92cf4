package compliancetest

import (
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/dossierwacht/dossierwacht/export"
	"github.com/dossierwacht/dossierwacht/privacy"
	"github.com/dossierwacht/dossierwacht/privacy/calendar"
	"github.com/dossierwacht/dossierwacht/rights"
)

// Dutch law and the regulator's guidance (RULES.md, N1–N12). Legal bases
// are named by the IDs of the ready policies ("suwi-54-3c", "suwi-73-4",
// "bw-7-658a-5", "arbowet-14").

func dutchLawScenarios() []def {
	return []def{
		{privacy.N1, "employer_registers_only_sick_report_facts", n1SickReport},
		{privacy.N2, "physician_tells_the_employer_four_things", n2Physician},
		{privacy.N3, "insurer_never_beyond_the_maximum", n3Insurer},
		{privacy.N4, "health_data_needs_secrecy", n4Secrecy},
		{privacy.N5, "bsn_only_on_a_statute", n5BSN},
		{privacy.N6, "medical_needs_a_second_factor", n6MultiFactor},
		{privacy.N7, "medical_file_outlasts_the_absence_file", n7Medical},
		{privacy.N7, "statutory_minimums_never_shortened", n7Statutory},
		{privacy.N8, "medical_file_destroyed_within_three_months", n8Medical},
		{privacy.N9, "access_logged_with_who_what_and_why", n9Log},
		{privacy.N10, "statutory_disclosures_exactly_their_categories", n10Statute},
		{privacy.N11, "first_copy_free_medical_included", n11Free},
		{privacy.N12, "small_groups_suppressed", n12Groups},
	}
}

// Rule N1: at a sick report the employer registers only the facts the AP
// allows, not even with consent.
func n1SickReport(w *world) error {
	if err := w.openAbsence(); err != nil {
		return err
	}
	hr := employerContact()
	if err := w.write(hr, w.record(recSickReport, caseAbsence, privacy.CategoryAbsenceFacts, hr, fromEmployer, day(0).Add(time.Hour),
		"first-day", "2025-03-03", "reachable-at", "home", "work-accident", "no")); err != nil {
		return err
	}
	try := func(when string) error {
		for _, x := range []struct {
			what string
			r    privacy.Record
		}{
			{"an incapacity percentage it set itself", w.record(privacy.RecordID(fmt.Sprintf("rec-hr-degree-%s", when)), caseAbsence,
				privacy.CategoryAbsenceFacts, hr, fromEmployer, day(2), "incapacity-degree", "50")},
			{"a diagnosis", w.record(privacy.RecordID(fmt.Sprintf("rec-hr-medical-%s", when)), caseAbsence,
				privacy.CategoryMedical, hr, fromEmployer, day(2), "text", medicalText)},
			{"complaints", w.record(privacy.RecordID(fmt.Sprintf("rec-hr-statement-%s", when)), caseAbsence,
				privacy.CategoryStatements, hr, fromEmployer, day(2), "text", "complaints: back pain")},
			{"the reason for the sick report", w.record(privacy.RecordID(fmt.Sprintf("rec-hr-reason-%s", when)), caseAbsence,
				privacy.CategoryAbsenceReason, hr, fromEmployer, day(2), "text", reasonText)},
		} {
			if err := w.sys.Write(w.ctx, hr, x.r); err == nil {
				return w.fail("the employer registered %s at a sick report%s", x.what, when)
			}
		}
		return nil
	}
	if err := try(""); err != nil {
		return err
	}
	_ = w.sys.Consent(w.ctx, Consent{ID: "consent-employer", Subject: anna, Recipient: Recipient{Kind: privacy.PartyEmployer, Party: acme},
		Categories: []privacy.Category{privacy.CategoryAbsenceFacts, privacy.CategoryNotes}, Purpose: privacy.PurposeAbsenceGuidance,
		Case: caseAbsence, Written: true, Document: "doc-consent-employer", Given: day(1)})
	return try(", even with the employee's consent")
}

// Rule N2: without consent the physician tells the employer only the four
// items, and the employee gets the same text at the same time.
func n2Physician(w *world) error {
	if err := w.fileAbsence(); err != nil {
		return err
	}
	dr := physician(caseAbsence)
	to := Recipient{Kind: privacy.PartyEmployer, Party: acme}
	out, err := w.sys.Disclose(w.ctx, Disclosure{ID: "dis-advice", By: dr, Subject: anna, Case: caseAbsence, Recipient: to,
		Items: []Item{{Category: privacy.CategoryWorkCapacity, Record: recCapacity}}, Purpose: privacy.PurposeAbsenceGuidance, At: day(7)})
	if err != nil {
		return w.setup("the physician tells the employer the work-capacity limitations", err)
	}
	if !out.NotifySubject {
		return w.fail("the physician's advice to the employer did not go to the employee at the same time")
	}
	for _, x := range []struct {
		what string
		item Item
	}{
		{"the employee's statements", Item{Category: privacy.CategoryStatements, Record: recStatement}},
		{"an expert report", Item{Category: privacy.CategoryExpertReport, Record: recReport}},
		{"the medical file", Item{Category: privacy.CategoryMedical, Record: recMedical}},
	} {
		if _, err := w.sys.Disclose(w.ctx, Disclosure{ID: "dis-" + string(x.item.Record), By: dr, Subject: anna, Case: caseAbsence,
			Recipient: to, Items: []Item{x.item}, Purpose: privacy.PurposeAbsenceGuidance, At: day(7)}); err == nil {
			return w.fail("the physician told the employer %s without the employee's consent", x.what)
		}
	}
	rs, err := w.view(employerContact(), caseAbsence, day(8))
	if err != nil {
		return w.setup("the employer views the absence case", err)
	}
	allowed := privacy.PhysicianToEmployerFields()
	for _, r := range rs {
		if r.Category != privacy.CategoryWorkCapacity {
			continue
		}
		for f := range r.Fields {
			if !slices.Contains(allowed, f) {
				return w.fail("the employer sees the %s of the physician's assessment", f)
			}
		}
	}
	return nil
}

// Rule N3: an absence insurer never receives more than the AP's list,
// whatever the consent.
func n3Insurer(w *world) error {
	if err := w.fileAbsence(); err != nil {
		return err
	}
	to := Recipient{Kind: privacy.PartyInsurer, Party: ivy}
	_ = w.sys.Consent(w.ctx, Consent{ID: "consent-insurer", Subject: anna, Recipient: to,
		Categories: []privacy.Category{privacy.CategoryExpertReport, privacy.CategoryNotes, privacy.CategoryWorkCapacity},
		Purpose:    privacy.PurposeAbsenceGuidance, Case: caseAbsence, Written: true, Document: "doc-consent-insurer", Given: day(1)})
	cm := caseManager(caseAbsence)
	for _, x := range []struct {
		what string
		item Item
	}{
		{"an expert report", Item{Category: privacy.CategoryExpertReport, Record: recReport}},
		{"a copy of the notes", Item{Category: privacy.CategoryNotes, Record: recNote}},
		{"the work-capacity assessment", Item{Category: privacy.CategoryWorkCapacity, Record: recCapacity}},
		{"the employee's phone number", Item{Category: privacy.CategoryContact, Record: recContact}},
	} {
		if _, err := w.sys.Disclose(w.ctx, Disclosure{ID: "dis-" + string(x.item.Record), By: cm, Subject: anna, Case: caseAbsence,
			Recipient: to, Items: []Item{x.item}, Purpose: privacy.PurposeAbsenceGuidance, At: day(2)}); err == nil {
			return w.fail("the absence insurer received %s, beyond what it may ever receive", x.what)
		}
	}
	// Rule O11: the insurer covers acme.
	if err := w.cover(ivy, acme); err != nil {
		return err
	}
	if _, err := w.sys.Disclose(w.ctx, Disclosure{ID: "dis-overview", By: cm, Subject: anna, Case: caseAbsence, Recipient: to,
		Items: []Item{{Category: privacy.CategoryIdentity, Record: recIdentity, Fields: []privacy.Field{privacy.FieldName}},
			{Category: privacy.CategoryAbsenceFacts, Record: recSickReport, Fields: []privacy.Field{privacy.FieldFirstDay}}},
		Purpose: privacy.PurposeAbsenceGuidance, At: day(2)}); err != nil {
		return w.setup("give the absence insurer the overview of a sick employee", err)
	}
	return nil
}

// Rule N4: health data only for people bound to secrecy.
func n4Secrecy(w *world) error {
	if err := w.fileAbsence(); err != nil {
		return err
	}
	cm := caseManager(caseAbsence)
	cm.Secrecy = privacy.SecrecyNone
	rs, err := w.mustView(cm, caseAbsence, day(1))
	if err != nil {
		return err
	}
	for _, c := range []privacy.Category{privacy.CategoryAbsenceReason, privacy.CategoryStatements, privacy.CategoryMedical} {
		if slices.Contains(categories(rs), c) {
			return w.fail("a case manager bound to no secrecy sees %s data, which concerns health", c)
		}
	}
	if leaks(rs, reasonText) || leaks(rs, statementText) || leaks(rs, medicalText) {
		return w.fail("a case manager bound to no secrecy sees data concerning health")
	}
	if !leaks(rs, noteText) {
		return w.fail("the assigned case manager cannot see the case's notes")
	}
	return nil
}

// Rule N5: the BSN is used only on a statute; consent never covers it.
func n5BSN(w *world) error {
	if err := w.openAbsence(); err != nil {
		return err
	}
	cm := caseManager(caseAbsence)
	bsn := w.record("rec-bsn-nobasis", caseAbsence, privacy.CategoryNationalID, cm, fromEmployer, day(1), "bsn", "123456782")
	if err := w.sys.Write(w.ctx, cm, bsn); err == nil {
		return w.fail("a BSN was recorded without the statute that allows it")
	}
	bsn.ID, bsn.Basis = "rec-bsn", "arbowet-14"
	// Recording it on a statute is allowed; a system that records the BSN
	// nowhere passes too.
	_ = w.sys.Write(w.ctx, cm, bsn)
	to := Recipient{Kind: privacy.PartyThirdParty, Party: lawyer}
	_ = w.sys.Consent(w.ctx, Consent{ID: "consent-bsn", Subject: anna, Recipient: to,
		Categories: []privacy.Category{privacy.CategoryNationalID, privacy.CategoryNotes}, Purpose: privacy.PurposeAbsenceGuidance,
		Case: caseAbsence, Written: true, Document: "doc-consent-bsn", Given: day(2)})
	if _, err := w.sys.Disclose(w.ctx, Disclosure{ID: "dis-bsn-consent", By: cm, Subject: anna, Case: caseAbsence, Recipient: to,
		Items: []Item{{Category: privacy.CategoryNationalID}}, Purpose: privacy.PurposeAbsenceGuidance, Request: "letter-lex-bsn",
		At: day(3)}); err == nil {
		return w.fail("the BSN was disclosed on the employee's consent, which cannot make its use lawful")
	}
	if _, err := w.sys.Disclose(w.ctx, Disclosure{ID: "dis-bsn-uwv", By: cm, Subject: anna, Case: caseAbsence,
		Recipient: Recipient{Kind: privacy.PartyUWV, Party: uwv}, Items: []Item{{Category: privacy.CategoryNationalID}},
		Purpose: privacy.PurposeAbsenceGuidance, Basis: "suwi-73-4", At: day(3)}); err != nil {
		return w.setup("disclose the BSN to UWV under SUWI art. 73(4)", err)
	}
	return nil
}

// Rule N6: medical data needs more than one factor; the administrator never
// reads it.
func n6MultiFactor(w *world) error {
	if err := w.fileAbsence(); err != nil {
		return err
	}
	dr := physician(caseAbsence)
	dr.MultiFactor = false
	rs, err := w.view(dr, caseAbsence, day(1))
	if err == nil && leaks(rs, medicalText) {
		return w.fail("the physician read the medical file after signing in with one factor")
	}
	admin := administrator()
	admin.Cases = []privacy.CaseID{caseAbsence}
	rs, err = w.view(admin, caseAbsence, day(1))
	if err == nil && leaks(rs, medicalText) {
		return w.fail("the application administrator read the medical file")
	}
	return nil
}

// Rule N7: the company doctor's medical file is kept for its own period,
// not the absence file's.
func n7Medical(w *world) error {
	ended := day(-30)
	s := employee(anna)
	s.EmploymentEnded = ended
	if err := w.open(s, caseAbsence, privacy.CaseAbsence, privacy.PurposeAbsenceGuidance, contractAcme(), t0); err != nil {
		return err
	}
	cm, dr := caseManager(caseAbsence), physician(caseAbsence)
	if err := w.write(cm, w.record(recNote, caseAbsence, privacy.CategoryNotes, cm, fromService, day(1), "text", noteText)); err != nil {
		return err
	}
	if err := w.write(dr, w.record(recMedical, caseAbsence, privacy.CategoryMedical, dr, fromService, day(1), "text", medicalText)); err != nil {
		return err
	}
	after := ended.AddDate(2, 0, 2)
	if err := w.sweep(after); err != nil {
		return err
	}
	h, err := w.held(anna, after, recNote, recMedical)
	if err != nil {
		return err
	}
	if h[recNote] {
		return w.fail("the absence file was kept longer than 2 years after the employment ended")
	}
	if !h[recMedical] {
		return w.fail("the medical file was deleted with the absence file, 2 years after the employment ended")
	}
	return nil
}

// Rule N7: statutory retention periods are minimums that nothing shortens.
func n7Statutory(w *world) error {
	if err := w.closedAbsence(); err != nil {
		return err
	}
	if err := w.file(Request{ID: "req-erase", Subject: anna, Kind: rights.KindErasure, Written: true, Received: day(40),
		Records: []privacy.RecordID{recWages}, By: "cm-carla"}); err != nil {
		return err
	}
	out, err := w.sys.Respond(w.ctx, Response{Request: "req-erase", Verdict: Granted, At: day(41), By: "cm-carla", Reason: "erasure requested"})
	if err == nil && slices.Contains(out.Erased, recWages) {
		return w.fail("an erasure request shortened the 7-year fiscal retention of wage data")
	}
	closed := day(30)
	// AWR art. 52(4): seven years from the end of the year the case closed
	// (the year the data was entered, at the latest), kept to the last
	// day of the seventh year and gone the day after.
	lastDay := time.Date(closed.Year()+7, time.December, 31, 12, 0, 0, 0, time.UTC)
	for _, x := range []struct {
		at   time.Time
		held bool
	}{{closed.AddDate(2, 0, 2), true}, {closed.AddDate(7, 0, 2), true}, {lastDay, true}, {lastDay.AddDate(0, 0, 1), false}} {
		if err := w.sweep(x.at); err != nil {
			return err
		}
		h, err := w.held(anna, x.at, recWages)
		if err != nil {
			return err
		}
		switch {
		case x.held && !h[recWages]:
			return w.fail("wage data was deleted on %s, before the 7-year fiscal retention period ended", x.at.Format(time.DateOnly))
		case !x.held && h[recWages]:
			return w.fail("wage data was kept on %s, after its 7-year retention period", x.at.Format(time.DateOnly))
		}
	}
	return nil
}

// Rule N8: a medical file is destroyed within 3 months of the employee's
// request.
func n8Medical(w *world) error {
	if err := w.fileAbsence(); err != nil {
		return err
	}
	received := day(1)
	if err := w.file(Request{ID: "req-erase-medical", Subject: anna, Kind: rights.KindErasure, Written: true, Received: received,
		Records: []privacy.RecordID{recMedical}, By: "dr-piet"}); err != nil {
		return err
	}
	out, err := w.sys.Respond(w.ctx, Response{Request: "req-erase-medical", Verdict: Granted, At: day(8), By: "dr-piet",
		Reason: "the employee asked to destroy her medical file"})
	if err != nil {
		return w.setup("grant a request to destroy the medical file", err)
	}
	limit := calendar.DeadlineAt(received, privacy.Months(3), calendar.Dutch(nil))
	if out.MedicalDue.IsZero() || out.MedicalDue.After(limit) {
		return w.fail("the medical file is to be destroyed by %v, not within 3 months of the request (%v)", out.MedicalDue, limit)
	}
	end := out.MedicalDue.In(calendar.Amsterdam()).Add(23 * time.Hour)
	if err := w.sweep(end); err != nil {
		return err
	}
	h, err := w.held(anna, end, recMedical)
	if err != nil {
		return err
	}
	if h[recMedical] {
		return w.fail("the medical file was still there on %v, its destruction deadline", out.MedicalDue)
	}
	return nil
}

// Rule N9: every access is logged with who, in which role, for what, of
// whom, when and with what outcome; the log outlives the data's five-year
// minimum; the subject may ask who accessed their data.
func n9Log(w *world) error {
	if err := w.fileAbsence(); err != nil {
		return err
	}
	when := day(1)
	if _, err := w.mustView(caseManager(caseAbsence), caseAbsence, when); err != nil {
		return err
	}
	check := func(at string) error {
		evs, err := w.sys.AuditTrail(w.ctx, anna)
		if err != nil {
			return w.setup("read the audit trail", err)
		}
		for _, e := range evs {
			if e.Principal == "cm-carla" && e.Action == privacy.EventRead && e.Time.Equal(when) {
				switch {
				case e.Role != privacy.RoleCaseManager:
					return w.fail("the audit event of a read does not record the reader's role")
				case e.Subject != anna || e.Case != caseAbsence:
					return w.fail("the audit event of a read does not record whose data and which case")
				case e.Purpose != privacy.PurposeAbsenceGuidance:
					return w.fail("the audit event of a read does not record its purpose")
				case e.Outcome != privacy.OutcomeAllowed || e.Rule == "" || e.Policy == "":
					return w.fail("the audit event of a read does not record its outcome, rule and policy version")
				}
				return nil
			}
		}
		return w.fail("the case manager's read on %s is not in the audit trail %s", when.Format(time.DateOnly), at)
	}
	if err := check("right after it"); err != nil {
		return err
	}
	e, err := w.export(anna, day(2))
	if err != nil {
		return err
	}
	if !slices.ContainsFunc(e.AccessLog.Entries, func(a export.AccessEntry) bool { return a.Principal == "cm-carla" }) {
		return w.fail("the employee's export does not say who accessed her data")
	}
	later := when.AddDate(3, 0, 0)
	if err := w.sweep(later); err != nil {
		return err
	}
	return check("three years later")
}

// Rule N10: statutory disclosures need no consent, and each allows exactly
// its recipients and categories.
func n10Statute(w *world) error {
	if err := w.fileAbsence(); err != nil {
		return err
	}
	cm, dr := caseManager(caseAbsence), physician(caseAbsence)
	out, err := w.sys.Disclose(w.ctx, Disclosure{ID: "dis-uwv", By: cm, Subject: anna, Case: caseAbsence,
		Recipient: Recipient{Kind: privacy.PartyUWV, Party: uwv},
		Items:     []Item{{Category: privacy.CategoryAbsenceFacts, Record: recSickReport}, {Category: privacy.CategoryWorkCapacity, Record: recCapacity}},
		Purpose:   privacy.PurposeAbsenceGuidance, Basis: "suwi-54-3c", At: day(2)})
	if err != nil {
		return w.setup("disclose the absence facts to UWV under SUWI art. 54(3)(c)", err)
	}
	if out.Basis != privacy.BasisStatute {
		return w.fail("a disclosure under SUWI art. 54(3)(c) does not rest on the statute (basis %q)", out.Basis)
	}
	for _, x := range []struct {
		what string
		by   Actor
		item Item
	}{
		{"medical data", dr, Item{Category: privacy.CategoryMedical, Record: recMedical}},
		{"a note", cm, Item{Category: privacy.CategoryNotes, Record: recNote}},
	} {
		if _, err := w.sys.Disclose(w.ctx, Disclosure{ID: "dis-rex-" + string(x.item.Record), By: x.by, Subject: anna, Case: caseAbsence,
			Recipient: Recipient{Kind: privacy.PartyReintegrationCompany, Party: reintegrator}, Items: []Item{x.item},
			Purpose: privacy.PurposeAbsenceGuidance, Basis: "bw-7-658a-5", At: day(3)}); err == nil {
			return w.fail("%s went to a reintegration company under Civil Code 7:658a(5), which does not cover it", x.what)
		}
	}
	return nil
}

// Rule N11: the first copy is free, a medical record included.
func n11Free(w *world) error {
	if err := w.fileAbsence(); err != nil {
		return err
	}
	if err := w.file(Request{ID: "req-copy", Subject: anna, Kind: rights.KindCopy, Written: true, Received: day(1), By: "cm-carla"}); err != nil {
		return err
	}
	if _, err := w.sys.Respond(w.ctx, Response{Request: "req-copy", Verdict: Granted, At: day(5), By: "cm-carla",
		Reason: "copy sent", FeeCents: 1500}); err == nil {
		return w.fail("a fee was charged for the first copy of a file with a medical record")
	}
	if _, err := w.sys.Respond(w.ctx, Response{Request: "req-copy", Verdict: Granted, At: day(5), By: "cm-carla", Reason: "copy sent"}); err != nil {
		return w.setup("send the first copy free of charge", err)
	}
	return nil
}

// Rule N12: the employer gets group figures only for groups too large to
// single anyone out.
func n12Groups(w *world) error {
	var members []privacy.SubjectID
	for i := 1; i <= 12; i++ {
		s := privacy.SubjectID(fmt.Sprintf("employee-%02d", i))
		members = append(members, s)
		c := privacy.CaseID(fmt.Sprintf("case-%02d", i))
		if err := w.open(employee(s), c, privacy.CaseAbsence, privacy.PurposeAbsenceGuidance, contractAcme(), t0); err != nil {
			return err
		}
		if i%3 == 0 {
			if err := w.sys.Close(w.ctx, c, day(i)); err != nil {
				return w.setup("close an absence case", err)
			}
		}
	}
	hr := employerContact()
	// A figure is of one calendar month that has ended (N12): March.
	from := time.Date(t0.Year(), t0.Month(), 1, 0, 0, 0, 0, time.UTC)
	to := from.AddDate(0, 1, 0)
	if _, err := w.sys.GroupFigure(w.ctx, hr, acme, members[:3], from, to, day(31)); err == nil {
		return w.fail("the employer got the absence rate of a group of 3 employees")
	} else if !errors.Is(err, privacy.ErrForbidden) {
		return w.failErr(err, "a too small group was not refused as such")
	}
	v, err := w.sys.GroupFigure(w.ctx, hr, acme, members, from, to, day(31))
	if err != nil {
		return w.setup("the employer asks the absence rate of 12 employees", err)
	}
	if v < 0 || v > 1 {
		return w.fail("an absence rate of %v is not a share", v)
	}
	if _, err := w.sys.GroupFigure(w.ctx, hr, acme, members[:11], from, to, day(31)); err == nil {
		return w.fail("the employer got the figures of 12 and of 11 of those employees, which single out the twelfth")
	}
	return nil
}
