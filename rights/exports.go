package rights

import (
	"cmp"
	"context"
	"io"
	"slices"

	"github.com/dossierwacht/dossierwacht/access"
	"github.com/dossierwacht/dossierwacht/export"
	"github.com/dossierwacht/dossierwacht/privacy"
	"github.com/dossierwacht/dossierwacht/retention"
)

// The subject's export: the desk lets it (see [Desk], # Who acts), audits
// it, decides a physician's release of the medical records as a medical
// read, and hands the rest to package export, which writes the document.

// ExportOptions adjust an export. A nil *ExportOptions means the zero
// value: JSON, no request named, medical records as the policy allows, no
// redaction.
type ExportOptions struct {
	// Format is export.FormatJSON (the default) or export.FormatHTML.
	Format export.Format
	// Lang is the language of the HTML form; export.Dutch by default.
	Lang export.Lang
	// Request names the access, copy or portability request the export
	// answers; it must be the subject's and not refused.
	Request RequestID
	// Release is the physician's release of medical records (rules O13,
	// O6). Where the policy does not give the subject medical records
	// directly, they are in the export only through it; without it they
	// are listed without content, pending release.
	Release *MedicalRelease
	// Redact, if set, takes personal data of others out of a record (a
	// colleague named in a note). It gets a copy of each record whose
	// content goes into the export and returns it redacted; only the
	// returned Fields are used, and they must be fields of the record's
	// category. A record whose fields it changed is marked redacted.
	Redact func(privacy.Record) privacy.Record
}

// MedicalRelease is a physician's release of medical records to the
// subject (rule O13: "where the law allows"; rule O6: medical data only
// through the physician).
//
// A release obeys the floors of a medical read: the desk releases a
// case's medical records only if the access engine, on the desk's policy,
// lets the physician read medical data of that case at the export's time
// — a physician (O6), assigned to the case (O6, R7, O4), bound to medical
// secrecy (G8), signed in with a second factor (N6), under a contract in
// force (O2), for the case's purpose (R5). The records of a case it may
// not read stay listed without content, pending release; a release of no
// case at all is refused with the rule that failed.
type MedicalRelease struct {
	// Physician releases the records, with the cases it is assigned to
	// (R7, O4) and how it signed in (N6).
	Physician *access.Principal
	// Records limits the release to these medical records; empty
	// releases the whole medical file.
	Records []privacy.RecordID
}

// Export writes everything held about a subject to w, as it stood at
// act.At, read as act (its reads of the medical file are audited by the
// case file, rules G7, N9), through package export's [export.Writer]:
// the subject, every case with its records (medical records through the
// physician's release, see [ExportOptions]), consent grants and
// revocations, the disclosure log, the audit trail of who accessed the
// data (N9), the subject's requests, and the facts of GDPR art. 15(1)
// (rule G1) derived from the policy, the records and the log. The JSON form
// (rule G5) is documented in package export; the HTML form is a page for a
// person.
//
// The export streams: records are read through the stores' iterators and
// written as they come, so its memory does not grow with the number of
// records. It returns the totals of what it wrote. On an error, what was
// written is incomplete and must be discarded (a cut JSON export does not
// decode). It fails with [privacy.ErrNotFound] for an unknown subject,
// [privacy.ErrInvalid] for bad options or malformed entries from a source,
// [privacy.ErrForbidden] for an act by a role that does not export (see
// the package documentation, # Who acts) and for a release of no case at
// all, naming the rule that failed (see [MedicalRelease]: O6, G8, N6, O2,
// R5).
//
// The export is audited before it writes anything (rules O1, G7, N9): one
// execute event of act, and, with a release, one event per case of the
// physician's release, allowed or denied, with the rule that decided; if
// they cannot be written, nothing is (no event, no export). A refused
// release is audited the same way.
func (d *Desk) Export(ctx context.Context, act privacy.Act, w io.Writer, subject privacy.SubjectID, opts *ExportOptions) (export.Totals, error) {
	const o = "export"
	if opts == nil {
		opts = &ExportOptions{}
	}
	if err := act.Validate(); err != nil {
		return export.Totals{}, err
	}
	now := act.At
	if err := checkID(o, "subject", string(subject)); err != nil {
		return export.Totals{}, err
	}
	if err := checkTime(o, "act.at", now); err != nil {
		return export.Totals{}, err
	}
	if err := d.gate(ctx, o, act, exporters, subject, "export", privacy.EventExecute); err != nil {
		return export.Totals{}, err
	}
	format := cmp.Or(opts.Format, export.FormatJSON)
	lang := cmp.Or(opts.Lang, export.Dutch)
	if !format.Known() {
		return export.Totals{}, invalid(o, "format", "want json or html")
	}
	if !lang.Known() {
		return export.Totals{}, invalid(o, "lang", "want nl or en")
	}
	if err := checkRelease(opts.Release); err != nil {
		return export.Totals{}, err
	}
	sub, err := d.dossiers.Subject(ctx, subject)
	if err != nil {
		return export.Totals{}, err
	}
	cases, err := d.dossiers.SubjectCases(ctx, subject)
	if err != nil {
		return export.Totals{}, err
	}
	reqs, err := d.store.SubjectRequests(ctx, subject)
	if err != nil {
		return export.Totals{}, err
	}
	if err := checkAnswers(opts.Request, reqs); err != nil {
		return export.Totals{}, err
	}
	if err := d.mayExport(ctx, &act, subject, cases, opts.Release); err != nil {
		return export.Totals{}, err
	}
	direct := givesMedical(d.policy)
	var released map[privacy.CaseID]bool
	var releases []privacy.Event
	if opts.Release != nil && !direct {
		var refused error
		released, releases, refused = d.decideRelease(&act, opts.Release.Physician, sub.ID, cases)
		if refused != nil {
			// A refusal names its rule and is audited.
			if _, err := d.store.AppendEvents(ctx, releases...); err != nil {
				return export.Totals{}, auditFailed(o, err)
			}
			return export.Totals{}, refused
		}
	}

	// Rules O1, G7, N9: the export, and the release in it, are audited
	// before it writes anything; no event, no export.
	object := "export"
	if opts.Request != "" {
		object = objectOf(opts.Request)
	}
	events := append([]privacy.Event{d.event(&act, privacy.EventExecute, d.answerRule(KindAccess), subject, object)}, releases...)
	if _, err := d.store.AppendEvents(ctx, events...); err != nil {
		return export.Totals{}, auditFailed(o, err)
	}
	job := &export.Job{Act: act, Subject: sub, Cases: cases, Request: string(opts.Request), Format: format, Lang: lang,
		Medical: export.Medical{Direct: direct}, Redact: opts.Redact}
	for i := range reqs {
		job.Requests = append(job.Requests, reqs[i].data())
	}
	if len(released) > 0 {
		job.Medical.ReleasedBy, job.Medical.Records = opts.Release.Physician.ID, opts.Release.Records
		for _, c := range cases {
			if released[c.ID] {
				job.Medical.Cases = append(job.Medical.Cases, c.ID)
			}
		}
	}
	// Rules R11, O13, G1: everything held, with the facts of art. 15.
	return d.writer.Write(ctx, w, job)
}

func checkRelease(r *MedicalRelease) error {
	const o = "export"
	if r == nil {
		return nil
	}
	p := r.Physician
	if p == nil {
		return invalid(o, "release.physician", "missing")
	}
	if err := p.Validate(); err != nil {
		return err
	}
	for _, id := range r.Records {
		if err := checkID(o, "release.records", string(id)); err != nil {
			return err
		}
	}
	return nil
}

// decideRelease decides, for each of the subject's cases, whether the
// physician p may release its medical records at act.At: whether the
// access engine lets p read medical data of the case then (rules O6, G8,
// N6, R7, O4, O2, R5; see [MedicalRelease]). It returns the cases
// released and one audit event per case, allowed or denied with the rule
// that decided. If no case is released, refused is an error matching
// [privacy.ErrForbidden] that names the rule that failed on the first case
// the physician is assigned to, else on the first case (O6 for a principal
// that is no physician, when there is no case).
func (d *Desk) decideRelease(act *privacy.Act, p *access.Principal, subject privacy.SubjectID, cases []privacy.Case) (
	released map[privacy.CaseID]bool, events []privacy.Event, refused error) {
	at := privacy.Timestamp(act.At)
	released = map[privacy.CaseID]bool{}
	var first *access.Decision
	firstAssigned := false
	for i := range cases {
		c := &cases[i]
		// Rules O6, G8, N6 (and R7, O4, O2, R5): the release obeys the
		// floors of a medical read of the case, at the export's time.
		dec := d.engine.Decide(access.Request{Principal: p, Case: c, Action: privacy.ActionRead,
			Category: privacy.CategoryMedical, Purpose: c.Purpose, Time: at})
		e := privacy.Event{Time: at, Principal: p.ID, Role: p.Role, OnBehalfOf: p.Party, Purpose: c.Purpose,
			Subject: subject, Case: c.ID, Category: privacy.CategoryMedical, Object: "release", Action: privacy.EventExecute,
			Outcome: privacy.OutcomeAllowed, Rule: dec.Rule, Policy: d.policy.Version, AccessPoint: p.AccessPoint,
			Client: p.Client}
		if dec.Allowed {
			released[c.ID] = true
		} else {
			e.Outcome = privacy.OutcomeDenied
			// The refusal names the rule that failed on a case the
			// physician is assigned to, if one did: that it is not
			// assigned to the others says less.
			if first == nil || (p.Assigned(c.ID) && !firstAssigned) {
				first, firstAssigned = &dec, p.Assigned(c.ID)
			}
		}
		events = append(events, e)
	}
	if len(released) > 0 || (len(cases) == 0 && p.Role == privacy.RolePhysician) {
		return released, events, nil
	}
	rule, reason := privacy.O6, "only a physician releases medical records"
	if first != nil {
		rule, reason = first.Rule, first.Reason
	}
	if len(events) == 0 {
		events = append(events, privacy.Event{Time: at, Principal: p.ID, Role: p.Role, OnBehalfOf: p.Party,
			Subject: subject, Category: privacy.CategoryMedical, Object: "release", Action: privacy.EventExecute,
			Outcome: privacy.OutcomeDenied, Rule: rule, Policy: d.policy.Version, AccessPoint: p.AccessPoint, Client: p.Client})
	}
	return nil, events, &privacy.Error{Op: op + "export", Kind: privacy.ErrForbidden, Rule: rule, Path: "release.physician",
		Msg: "the physician may release the medical records of none of the subject's cases: " + reason}
}

func checkAnswers(id RequestID, reqs []Request) error {
	const o = "export"
	if id == "" {
		return nil
	}
	if err := checkID(o, "request", string(id)); err != nil {
		return err
	}
	i := slices.IndexFunc(reqs, func(r Request) bool { return r.ID == id })
	if i < 0 {
		return &privacy.Error{Op: op + o, Kind: privacy.ErrNotFound, Path: "request"}
	}
	switch r := reqs[i]; {
	case r.Kind != KindAccess && r.Kind != KindCopy && r.Kind != KindPortability:
		return invalid(o, "request", "an export answers an access, copy or portability request")
	case r.Status == StatusRefused:
		return &privacy.Error{Op: op + o, Kind: privacy.ErrConflict, Path: "request", Msg: "the request was refused"}
	}
	return nil
}

// givesMedical reports whether the policy lets the subject export medical
// records directly: an allow rule for the subject's export of the medical
// category, and no deny rule. The ready policies do not: medical data goes
// to the subject through the physician (O13, O6).
func givesMedical(p *privacy.Policy) bool {
	allowed := false
	for _, a := range p.Access {
		if !slices.Contains(a.Roles, privacy.RoleSubject) || !slices.Contains(a.Actions, privacy.ActionExport) ||
			!slices.Contains(a.Categories, privacy.CategoryMedical) {
			continue
		}
		if a.Effect == privacy.Deny {
			return false
		}
		allowed = allowed || a.Effect == privacy.Allow
	}
	return allowed
}

// mayExport decides whether the principal of act may have the whole export
// of subject, as the front door decides it: the subject its own (R11,
// O13); the physician who releases the medical file where it may export
// the medical file of every case of the subject (O13, O6); anyone else
// where the access engine lets it export every case whole (R7, O4, N4,
// R8, O9, N5, O10). A refusal is audited and names its rule.
func (d *Desk) mayExport(ctx context.Context, act *privacy.Act, subject privacy.SubjectID, cases []privacy.Case, rel *MedicalRelease) error {
	p := act.By
	if p.Role == privacy.RoleSubject && p.Subject == subject {
		return nil
	}
	category := privacy.CategoryIdentity
	if rel != nil && rel.Physician != nil && rel.Physician.ID == p.ID && p.Role == privacy.RolePhysician {
		category = privacy.CategoryMedical
	}
	who := actor(act)
	dec := access.Decision{Rule: privacy.RuleDefaultDeny, Reason: "the subject has no case"}
	for i := range cases {
		dec = d.engine.Decide(access.Request{Principal: who, Case: &cases[i], Action: privacy.ActionExport,
			Category: category, Purpose: cases[i].Purpose, Time: act.At})
		if !dec.Allowed {
			break
		}
	}
	if dec.Allowed && d.erasures != nil {
		// GDPR art. 18(2): while a restriction of processing stands on
		// the subject's data, only the subject exports it.
		sched, err := d.erasures.Schedules(ctx, subject, act.At)
		if err != nil {
			return err
		}
		for _, s := range sched {
			if s.Reason == retention.ReasonHold && s.Ground == retention.GroundRestriction {
				dec = access.Decision{Rule: privacy.RuleRestriction, Reason: "a restriction of processing stands"}
				break
			}
		}
	}
	if dec.Allowed {
		return nil
	}
	e := d.event(act, privacy.EventExecute, dec.Rule, subject, "export")
	e.Outcome = privacy.OutcomeDenied
	if _, err := d.store.AppendEvents(ctx, e); err != nil {
		return auditFailed("export", err)
	}
	return &privacy.Error{Op: op + "export", Kind: privacy.ErrForbidden, Rule: dec.Rule,
		Msg: "may not export the subject's file: " + dec.Reason}
}
