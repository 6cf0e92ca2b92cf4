package main

import (
	"net/http"

	"github.com/dossierwacht/dossierwacht"
	"github.com/dossierwacht/dossierwacht/export"
	"github.com/dossierwacht/dossierwacht/privacy"
)

// exportTrailer is the HTTP trailer that says whether an export was written
// in full: the export streams, so a failure halfway cannot change the
// status any more. A client keeps an export only with "true".
const exportTrailer = "X-Export-Complete"

// export serves GET /subjects/{id}/export?format=json|html&lang=nl|en: the
// subject's export (rules R11, O13, G1, G5, N9), streamed, through the
// front door's Export.
//
// Who may have it:
//   - the subject themselves; medical records are listed without content,
//     pending the physician's release (O13, O6);
//   - the physician the policy lets export the medical file of every case
//     of the subject (assigned, professional secrecy, a second factor: O6,
//     G8, N6): the export then carries that physician's release of the
//     medical records (O13: medical data through the physician), for
//     handing to the subject.
//
// Anyone else gets 404, the same answer as for a subject that does not
// exist. Every attempt, allowed or refused, is audited (G7, N9).
func (s *server) export(w http.ResponseWriter, r *http.Request, a *dossierwacht.Actor) {
	const op = "httpservice: export"
	id := r.PathValue("id")
	if !privacy.ValidID(id) {
		s.writeError(w, r, &privacy.Error{Op: op, Kind: privacy.ErrInvalid, Path: "id", Msg: "malformed subject ID"})
		return
	}
	opts := &dossierwacht.ExportOptions{Format: export.FormatJSON, Lang: export.Dutch}
	q := r.URL.Query()
	switch q.Get("format") {
	case "", "json":
	case "html":
		opts.Format = export.FormatHTML
	default:
		s.writeError(w, r, &privacy.Error{Op: op, Kind: privacy.ErrInvalid, Path: "format", Msg: "want json or html"})
		return
	}
	switch q.Get("lang") {
	case "", "nl":
	case "en":
		opts.Lang = export.English
	default:
		s.writeError(w, r, &privacy.Error{Op: op, Kind: privacy.ErrInvalid, Path: "lang", Msg: "want nl or en"})
		return
	}
	if a.Role == privacy.RolePhysician {
		// Rule O13: the physician has the export as the one who
		// releases the medical file to the subject.
		opts.ReleasedBy = a
	}

	lw := &lazyWriter{w: w, start: func() {
		h := w.Header()
		ext := ".json"
		if opts.Format == export.FormatHTML {
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
	_, err := s.svc.Export(r.Context(), a, privacy.SubjectID(id), lw, opts)
	switch {
	case err != nil && !lw.started:
		// Nothing written yet: an ordinary problem response.
		s.writeError(w, r, err)
	case err != nil:
		// Halfway: the status is sent; the trailer tells the client to
		// discard what it got.
		s.log.WarnContext(r.Context(), "httpservice: export failed halfway", "error", errorKind(err))
		w.Header().Set(exportTrailer, "false")
	default:
		if !lw.started {
			lw.start()
		}
		w.Header().Set(exportTrailer, "true")
	}
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
