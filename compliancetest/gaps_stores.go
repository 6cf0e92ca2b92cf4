package compliancetest

import (
	"slices"
	"time"

	"github.com/dossierwacht/dossierwacht/privacy"
	"github.com/dossierwacht/dossierwacht/retention"
	"github.com/dossierwacht/dossierwacht/rights"
)

// The gaps between the stores and the engines: data under a legal hold
// that a rectification could overwrite (G3), records back-dated into a
// closed case (R4), writes that left no audit event (O1, N9).

func storeGapScenarios() []def {
	return []def{
		{privacy.G3, "held_record_is_not_overwritten", g3HeldNotOverwritten},
		{privacy.R4, "closed_case_takes_no_backdated_record", r4ClosedCase},
		{privacy.O1, "every_write_leaves_an_audit_event", o1WritesAudited},
		{privacy.N9, "writes_logged_with_who_what_and_when", n9WritesLogged},
	}
}

// Rule G3: data under a legal hold stays as it was for the claim (GDPR
// art. 17(3)(e)). A granted rectification of a held record is refused, and
// the record reads as before.
func g3HeldNotOverwritten(w *world) error {
	if err := w.fileAbsence(); err != nil {
		return err
	}
	if err := w.sys.Hold(w.ctx, Hold{ID: "hold-claim", Subject: anna, Case: caseAbsence, Records: []privacy.RecordID{recNote},
		Ground: retention.GroundLegalClaim, Reason: "court case C/16/456", By: privacyOfficer(), At: day(1)}); err != nil {
		return w.setup("place a legal hold", err)
	}
	if err := w.file(Request{ID: "req-correct", Subject: anna, Kind: rights.KindRectification, Written: true, Received: day(2),
		Records: []privacy.RecordID{recNote}, By: "cm-carla"}); err != nil {
		return err
	}
	_, err := w.sys.Respond(w.ctx, Response{Request: "req-correct", Verdict: Granted, At: day(3), By: "cm-carla",
		Reason: "the employee asks to reword the note", Corrections: map[privacy.RecordID]map[privacy.Field]string{
			recNote: {privacy.FieldText: "note: nothing was discussed"}}})
	if err == nil {
		return w.fail("a rectification of a record under a legal hold was carried out")
	}
	rs, err := w.mustView(caseManager(caseAbsence), caseAbsence, day(4))
	if err != nil {
		return err
	}
	note, ok := find(rs, recNote)
	if !ok || note.Fields[privacy.FieldText] != noteText {
		return w.fail("a record under a legal hold was overwritten: it reads %q", note.Fields[privacy.FieldText])
	}
	return nil
}

// Rule R4: the file is supplemented during the trajectory. Once the case
// is closed it takes no records, not even ones dated before the closing.
func r4ClosedCase(w *world) error {
	if err := w.openAbsence(); err != nil {
		return err
	}
	cm := caseManager(caseAbsence)
	if err := w.write(cm, w.record(recNote, caseAbsence, privacy.CategoryNotes, cm, fromService, day(1), "text", noteText)); err != nil {
		return err
	}
	if err := w.sys.Close(w.ctx, caseAbsence, day(10)); err != nil {
		return w.setup("close the case", err)
	}
	late := w.record(recReport, caseAbsence, privacy.CategoryExpertReport, cm, fromService, day(5), "text", "report: written afterwards")
	if err := w.sys.Write(w.ctx, cm, late); err == nil {
		return w.fail("a record dated before the closing was added to the case after it closed")
	}
	rs, err := w.mustView(cm, caseAbsence, day(11))
	if err != nil {
		return err
	}
	if _, ok := find(rs, recReport); ok {
		return w.fail("a refused back-dated record is in the closed case")
	}
	return nil
}

// writeStory opens Anna's absence case, writes a note, rectifies it on
// her request and closes the case: the writes whose audit the O1 and N9
// scenarios look for.
func (w *world) writeStory() error {
	if err := w.openAbsence(); err != nil {
		return err
	}
	cm := caseManager(caseAbsence)
	if err := w.write(cm, w.record(recNote, caseAbsence, privacy.CategoryNotes, cm, fromService, day(1), "text", noteText)); err != nil {
		return err
	}
	if err := w.file(Request{ID: "req-correct", Subject: anna, Kind: rights.KindRectification, Written: true, Received: day(2),
		Records: []privacy.RecordID{recNote}, By: "cm-carla"}); err != nil {
		return err
	}
	if _, err := w.sys.Respond(w.ctx, Response{Request: "req-correct", Verdict: Granted, At: day(3), By: "cm-carla",
		Reason: "the note misquoted the employee", Corrections: map[privacy.RecordID]map[privacy.Field]string{
			recNote: {privacy.FieldText: "note: phased return agreed with the employee"}}}); err != nil {
		return w.setup("grant a rectification", err)
	}
	if err := w.sys.Close(w.ctx, caseAbsence, day(10)); err != nil {
		return w.setup("close the case", err)
	}
	return nil
}

// writeEvents are what the audit trail must hold of writeStory: the
// case's opening and closing, the note's creation and rectification.
var writeEvents = []struct {
	what   string
	action privacy.EventAction
	object string
	at     time.Time
}{
	{"the opening of the case", privacy.EventCreate, string(caseAbsence), t0},
	{"the writing of the note", privacy.EventCreate, string(recNote), day(1)},
	{"the rectification of the note", privacy.EventUpdate, string(recNote), day(3)},
	{"the closing of the case", privacy.EventUpdate, string(caseAbsence), day(10)},
}

// Rule O1: the regulation applies to every processing; every write goes
// through the policy and leaves its audit event, allowed.
func o1WritesAudited(w *world) error {
	if err := w.writeStory(); err != nil {
		return err
	}
	evs, err := w.sys.AuditTrail(w.ctx, anna)
	if err != nil {
		return w.setup("read the audit trail", err)
	}
	for _, x := range writeEvents {
		if !slices.ContainsFunc(evs, func(e privacy.Event) bool {
			return e.Action == x.action && e.Object == x.object && e.Outcome == privacy.OutcomeAllowed
		}) {
			return w.fail("%s left no audit event", x.what)
		}
	}
	return nil
}

// Rule N9: a write is logged like a read, with who (principal and role),
// what (object and action), of whom, when, under which rule and policy
// version.
func n9WritesLogged(w *world) error {
	if err := w.writeStory(); err != nil {
		return err
	}
	evs, err := w.sys.AuditTrail(w.ctx, anna)
	if err != nil {
		return w.setup("read the audit trail", err)
	}
	for _, x := range writeEvents {
		i := slices.IndexFunc(evs, func(e privacy.Event) bool {
			return e.Action == x.action && e.Object == x.object && e.Time.Equal(x.at)
		})
		if i < 0 {
			return w.fail("%s is not logged with its time", x.what)
		}
		e := evs[i]
		switch {
		case e.Principal == "" || !e.Role.Known():
			return w.fail("%s is logged without who did it", x.what)
		case e.Subject != anna:
			return w.fail("%s is logged without whose data it was", x.what)
		case e.Rule == "" || e.Policy == "":
			return w.fail("%s is logged without its rule and policy version", x.what)
		case e.Hash != e.ComputeHash():
			return w.fail("%s is logged without the hash of its content", x.what)
		}
	}
	return nil
}
