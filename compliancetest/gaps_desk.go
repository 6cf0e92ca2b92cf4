package compliancetest

import (
	"bytes"
	"time"

	"github.com/dossierwacht/dossierwacht/export"
	"github.com/dossierwacht/dossierwacht/privacy"
	"github.com/dossierwacht/dossierwacht/retention"
	"github.com/dossierwacht/dossierwacht/rights"
)

// The gaps at the rights desk and around retention: who may keep data from
// erasure or destroy it (G3), whether an erasure the desk grants leaves a
// proof of each deletion (G3, R9, O13), whether a physician's release of
// the medical file obeys the floors of a medical read (N6).

func deskGapScenarios() []def {
	return []def{
		{privacy.G3, "employer_cannot_place_or_lift_a_hold", g3EmployerHolds},
		{privacy.G3, "employer_cannot_run_a_sweep", g3EmployerSweeps},
		{privacy.O13, "desk_erasure_leaves_a_proof_per_record", o13ErasureProofs},
		{privacy.N6, "physician_without_second_factor_releases_nothing", n6Release},
	}
}

// dueNote is when the note of the closed absence case (closed on day 30)
// is past its two years (O12) in any reading of the period.
func dueNote() time.Time { return day(30).AddDate(2, 0, 2) }

// Rule G3: a legal hold keeps data for a legal obligation or a claim. The
// employer, a party to the dispute, places none and lifts none: only the
// service's privacy officer does, and the hold the officer placed still
// keeps the record after the employer tried to lift it.
func g3EmployerHolds(w *world) error {
	if err := w.closedAbsence(); err != nil {
		return err
	}
	hr := employerContact()
	if err := w.sys.Hold(w.ctx, Hold{ID: "hold-employer", Subject: anna, Case: caseAbsence, Ground: retention.GroundLegalClaim,
		Reason: "dismissal dispute", By: hr, At: day(60)}); err == nil {
		return w.fail("an employer contact placed a legal hold on the employee's data")
	}
	if err := w.sys.Hold(w.ctx, Hold{ID: "hold-court", Subject: anna, Case: caseAbsence, Records: []privacy.RecordID{recNote},
		Ground: retention.GroundLegalClaim, Reason: "court case C/16/789", By: privacyOfficer(), At: day(61)}); err != nil {
		return w.setup("the privacy officer places a legal hold", err)
	}
	if err := w.sys.Lift(w.ctx, Lift{Hold: "hold-court", Reason: "we want it gone", By: hr, At: day(62)}); err == nil {
		return w.fail("an employer contact lifted a legal hold")
	}
	if err := w.sweep(dueNote()); err != nil {
		return err
	}
	h, err := w.held(anna, dueNote(), recNote)
	if err != nil {
		return err
	}
	if !h[recNote] {
		return w.fail("a record under a legal hold was deleted after an employer contact tried to lift the hold")
	}
	return nil
}

// Rule G3 (with O12): what is kept and what goes is not for whoever wants
// data gone. An employer contact runs no retention sweep: the refused
// sweep deletes nothing, and the privacy officer's own sweep later does.
func g3EmployerSweeps(w *world) error {
	if err := w.closedAbsence(); err != nil {
		return err
	}
	if err := w.sys.Sweep(w.ctx, employerContact(), dueNote()); err == nil {
		return w.fail("an employer contact ran a retention sweep")
	}
	h, err := w.held(anna, dueNote(), recNote)
	if err != nil {
		return err
	}
	if !h[recNote] {
		return w.fail("an employer contact's sweep deleted the employee's records")
	}
	if err := w.sweep(dueNote()); err != nil {
		return err
	}
	if h, err = w.held(anna, dueNote(), recNote); err != nil {
		return err
	}
	if h[recNote] {
		return w.setup("the privacy officer's sweep deletes the records due", nil)
	}
	return nil
}

// Rule O13 (with R9 and G3): a granted erasure is carried out with a
// proof of each deletion — what kind of record went, when, under which
// rule — and a record under a legal hold stays, without a proof.
func o13ErasureProofs(w *world) error {
	if err := w.closedAbsence(); err != nil {
		return err
	}
	if err := w.sys.Hold(w.ctx, Hold{ID: "hold-court", Subject: anna, Case: caseAbsence, Records: []privacy.RecordID{recReport},
		Ground: retention.GroundLegalClaim, Reason: "court case C/16/789", By: privacyOfficer(), At: day(40)}); err != nil {
		return w.setup("the privacy officer places a legal hold", err)
	}
	if err := w.file(Request{ID: "req-erase", Subject: anna, Kind: rights.KindErasure, Written: true, Received: day(41),
		Records: []privacy.RecordID{recNote, recReport}, By: "cm-carla"}); err != nil {
		return err
	}
	out, err := w.sys.Respond(w.ctx, Response{Request: "req-erase", Verdict: Granted, At: day(42), By: "cm-carla",
		Reason: "the employee asks to erase the note"})
	if err != nil && !keptByLaw(out, err, recReport) {
		return w.setup("grant an erasure request", err)
	}
	if err == nil && !keptByLaw(out, nil, recReport) {
		return w.fail("an erasure request on held data was granted without the legal hold keeping it")
	}
	// Whether the system deletes at once or at its next sweep, the kit
	// looks after one.
	if err := w.sweep(day(43)); err != nil {
		return err
	}
	h, err := w.held(anna, day(43), recNote, recReport)
	if err != nil {
		return err
	}
	if h[recNote] {
		return w.fail("a granted erasure left the note in place")
	}
	if !h[recReport] {
		return w.fail("a granted erasure deleted a record under a legal hold")
	}
	proofs, err := w.sys.Proofs(w.ctx, anna)
	if err != nil {
		return w.setup("read the proofs of deletion", err)
	}
	var note []retention.Proof
	for _, p := range proofs {
		switch p.Record {
		case recNote:
			note = append(note, p)
		case recReport:
			return w.fail("a record under a legal hold has a proof of deletion")
		}
	}
	if len(note) != 1 {
		return w.fail("the erased note left %d proofs of deletion, want exactly one", len(note))
	}
	p := note[0]
	switch {
	case p.Subject != anna || p.Case != caseAbsence || p.Category != privacy.CategoryNotes:
		return w.fail("the proof of deletion does not say what kind of record of whom went")
	case p.Deleted.IsZero() || p.By == "":
		return w.fail("the proof of deletion does not say when and by whom")
	case p.Rule != privacy.O13 && p.Rule != privacy.R9:
		return w.fail("the proof of deletion names rule %q, not the erasure request's (R9 or O13)", p.Rule)
	case bytes.Contains([]byte(p.String()), []byte(noteText)):
		return w.fail("the proof of deletion holds the deleted content")
	}
	return nil
}

// Rule N6 (with O13 and O6): medical data needs a second factor, also when
// a physician releases the medical file into the subject's export. A
// physician assigned to the case but signed in with one factor releases
// nothing: the medical record stays without content; the same physician
// with a second factor releases it.
func n6Release(w *world) error {
	if err := w.fileAbsence(); err != nil {
		return err
	}
	oneFactor := physician(caseAbsence)
	oneFactor.MultiFactor = false
	b, err := w.sys.ExportReleased(w.ctx, anna, oneFactor, day(5))
	if err == nil {
		e, derr := export.Decode(bytes.NewReader(b))
		if derr != nil {
			return w.failErr(derr, "the export of subject %s is not a valid export of schema %s", anna, export.Schema)
		}
		if r, ok := exported(e)[recMedical]; ok && len(r.Fields) > 0 {
			return w.fail("a physician signed in with one factor released the medical file into the subject's export")
		}
		if e.Medical.ReleasedBy != "" {
			return w.fail("the export names a physician signed in with one factor as the one who released the medical file")
		}
	}
	if bytes.Contains(b, []byte(medicalText)) {
		return w.fail("a physician signed in with one factor released the medical file into the subject's export")
	}
	// The control: with a second factor the release goes through.
	b, err = w.sys.ExportReleased(w.ctx, anna, physician(caseAbsence), day(5))
	if err != nil {
		return w.setup("the assigned physician, signed in with two factors, releases the medical file", err)
	}
	if !bytes.Contains(b, []byte(medicalText)) {
		return w.setup("the assigned physician, signed in with two factors, releases the medical file", nil)
	}
	return nil
}
