package main

import (
	"context"
	"errors"
	"net/http"
	"time"

	"github.com/dossierwacht/dossierwacht/access"
	"github.com/dossierwacht/dossierwacht/access/rights"
	"github.com/dossierwacht/dossierwacht/privacy"
)

// actOf is the act of principal p at at for purpose (empty: the purpose of
// the case acted on), as the case file audits it (rules G7, N9).
func actOf(p *access.Principal, at time.Time, purpose privacy.Purpose) privacy.Act {
	return privacy.Act{By: p.Principal, At: at, Purpose: purpose, AccessPoint: p.AccessPoint, Client: p.Client}
}

// exportTrailer is the HTTP trailer that says whether an export was written
// in full: the export streams, so a failure halfway cannot change the
// status any more. A client keeps an export only with "true".
const exportTrailer = "X-Export-Complete"

// export serves GET /subjects/{id}/export?format=json|html&lang=nl|en: the
// subject's export (rules R11, O13, G1, G5, N9), streamed.
//
// Who may have it:
//   - the subject themselves (the policy's own-data rule: O13 under the
//     strict policy, R11 under regulation R); medical records are listed
//     without content, pending the physician's release (O13, O6);
//   - a physician the access engine lets export the medical file of one of
//     the subject's cases (assigned, professional secrecy, a second factor:
//     O6, G8, N6): the export then carries that physician's release of
//     those cases' medical records (O13: medical data through the
//     physician), for handing to the subject.
//
// Anyone else gets 404, the same answer as for a subject that does not
// exist. Every attempt, allowed or refused, is audited (G7, N9).
func (s *server) export(w http.ResponseWriter, r *http.Request, p *access.Principal) {
	const op = "httpservice: export"
	ctx := r.Context()
	id := r.PathValue("id")
	if !privacy.ValidID(id) {
		s.writeError(w, r, &privacy.Error{Op: op, Kind: privacy.ErrInvalid, Path: "id", Msg: "malformed subject ID"}, false)
		return
	}
	subject := privacy.SubjectID(id)
	opts := &rights.ExportOptions{Format: rights.FormatJSON, Lang: rights.Dutch}
	q := r.URL.Query()
	switch q.Get("format") {
	case "", "json":
	case "html":
		opts.Format = rights.FormatHTML
	default:
		s.writeError(w, r, &privacy.Error{Op: op, Kind: privacy.ErrInvalid, Path: "format", Msg: "want json or html"}, false)
		return
	}
	switch q.Get("lang") {
	case "", "nl":
	case "en":
		opts.Lang = rights.English
	default:
		s.writeError(w, r, &privacy.Error{Op: op, Kind: privacy.ErrInvalid, Path: "lang", Msg: "want nl or en"}, false)
		return
	}

	now := s.now()
	rule, release, ok, err := s.mayExport(ctx, p, subject, now)
	if err != nil {
		s.writeError(w, r, err, true)
		return
	}
	// No audit, no access (G7): the decision is written before a byte of
	// the export is.
	outcome := privacy.OutcomeDenied
	if ok {
		outcome = privacy.OutcomeAllowed
	}
	if err := s.audit(ctx, p, subject, now, outcome, rule); err != nil {
		s.writeError(w, r, err, true)
		return
	}
	if !ok {
		notFound(w)
		return
	}
	opts.Release = release

	lw := &lazyWriter{w: w, start: func() {
		h := w.Header()
		ext := ".json"
		if opts.Format == rights.FormatHTML {
			ext = ".html"
			h.Set("Content-Type", "text/html; charset=utf-8")
			h.Set("Content-Language", string(opts.Lang))
		} else {
			h.Set("Content-Type", "application/json; charset=utf-8")
		}
		// IDs are A-Z a-z 0-9 . _ : - only: safe in a quoted file name.
		h.Set("Content-Disposition", `attachment; filename="export-`+id+ext+`"`)
		h.Set("Cache-Control", "no-store")
		h.Set("Trailer", exportTrailer)
		w.WriteHeader(http.StatusOK)
	}}
	_, err = s.d.Rights.Export(ctx, actOf(p, now, ""), lw, subject, opts)
	switch {
	case err != nil && !lw.started:
		// Nothing written yet: an ordinary error response.
		s.writeError(w, r, err, true)
	case err != nil:
		// Halfway: the status is sent; the trailer tells the client to
		// discard what it got.
		s.log.WarnContext(ctx, "httpservice: export failed halfway", "subject", string(subject), "err", err)
		w.Header().Set(exportTrailer, "false")
	default:
		if !lw.started {
			lw.start()
		}
		w.Header().Set(exportTrailer, "true")
	}
}

// mayExport decides whether p may have subject's export, under which rule,
// and with which physician's release. A refusal is (rule, nil, false, nil).
func (s *server) mayExport(ctx context.Context, p *access.Principal, subject privacy.SubjectID, now time.Time) (privacy.RuleID, *rights.MedicalRelease, bool, error) {
	switch p.Role {
	case privacy.RoleSubject:
		// Rule R11 / O13: the subject inspects and copies their own data.
		return s.exportRule, nil, p.Subject == subject, nil
	case privacy.RolePhysician:
		return s.physicianRelease(ctx, p, subject, now)
	}
	// Rule R11 / O13: the export is the subject's; nobody else's role
	// gives it.
	return s.exportRule, nil, false, nil
}

// physicianRelease lets a physician have the export with its release of
// the medical records of the subject's cases that the access engine lets it
// export (rules O6, G8, N6, O13). Each check goes through the Guard, so it
// is audited.
func (s *server) physicianRelease(ctx context.Context, p *access.Principal, subject privacy.SubjectID, now time.Time) (privacy.RuleID, *rights.MedicalRelease, bool, error) {
	cases, err := s.d.Dossiers.SubjectCases(ctx, subject)
	if errors.Is(err, privacy.ErrNotFound) {
		return s.exportRule, nil, false, nil
	}
	if err != nil {
		return "", nil, false, err
	}
	var reqs []access.Request
	for i := range cases {
		if p.Assigned(cases[i].ID) {
			reqs = append(reqs, access.Request{Principal: p, Case: &cases[i], Action: privacy.ActionExport,
				Category: privacy.CategoryMedical, Purpose: cases[i].Purpose, Time: now, Object: "export"})
		}
	}
	if len(reqs) == 0 {
		return s.exportRule, nil, false, nil
	}
	ds, err := s.d.Guard.CheckAll(ctx, reqs)
	if err != nil {
		return "", nil, false, err
	}
	rule := ds[0].Rule
	var records []privacy.RecordID
	allowed := false
	for i, d := range ds {
		if !d.Allowed {
			continue
		}
		allowed, rule = true, d.Rule
		for rec, err := range s.d.Dossiers.CaseMedicalRecords(ctx, actOf(p, now, reqs[i].Purpose), reqs[i].Case.ID) {
			if err != nil {
				return "", nil, false, err
			}
			records = append(records, rec.ID)
		}
	}
	if !allowed {
		return rule, nil, false, nil
	}
	if len(records) == 0 {
		// An empty release would release the whole medical file; there
		// is nothing of these cases to release.
		return rule, nil, true, nil
	}
	return rule, &rights.MedicalRelease{Physician: p, Records: records}, true, nil
}

// audit writes one event for an export decision (rules G7, N9).
func (s *server) audit(ctx context.Context, p *access.Principal, subject privacy.SubjectID, now time.Time, outcome privacy.Outcome, rule privacy.RuleID) error {
	_, err := s.d.Audit.AppendEvents(ctx, privacy.Event{
		Time: now, Principal: p.ID, Role: p.Role, OnBehalfOf: p.Party, Subject: subject,
		Object: "export", Action: privacy.EventExecute, Outcome: outcome, Rule: rule,
		Policy: s.policy.Version, AccessPoint: p.AccessPoint, Client: p.Client,
	})
	return err
}

// lazyWriter sends the response header on the first write, so that an
// export that fails before writing anything still gets an error status.
type lazyWriter struct {
	w       http.ResponseWriter
	start   func()
	started bool
}

func (l *lazyWriter) Write(b []byte) (int, error) {
	if !l.started {
		l.started = true
		l.start()
	}
	return l.w.Write(b)
}
