package main

import (
	"bytes"
	"net/http"

	"github.com/dossierwacht/dossierwacht/privacy"
	"github.com/dossierwacht/dossierwacht/privacy/statement"
)

// privacyStatement serves GET /privacy?lang=nl|en: the privacy statement
// rendered from the policy the service enforces, so that the published text
// and the enforced rules cannot drift apart (rules R1, R10, R13, O3, O15,
// O16). It is public: it is about the service, not about anyone's data.
func (s *server) privacyStatement(w http.ResponseWriter, r *http.Request) {
	lang := statement.Dutch
	switch q := r.URL.Query().Get("lang"); q {
	case "", "nl":
	case "en":
		lang = statement.English
	default:
		s.writeError(w, r, &privacy.Error{Op: "httpservice: privacy statement", Kind: privacy.ErrInvalid, Path: "lang", Msg: "want nl or en"})
		return
	}
	// Rendered into memory first (the statement is a few kilobytes), so
	// that a failure is a clean problem response rather than half a page.
	var buf bytes.Buffer
	if err := s.svc.Statement(&buf, &statement.Options{Language: lang, Format: statement.HTML}); err != nil {
		s.writeError(w, r, err)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Content-Language", string(lang))
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(buf.Bytes())
}
