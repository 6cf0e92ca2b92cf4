package main

import (
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/dossierwacht/dossierwacht/export"
	"github.com/dossierwacht/dossierwacht/privacy"
)

// readExport checks an export response and decodes its JSON form.
func readExport(t *testing.T, resp *http.Response) *export.Document {
	t.Helper()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("status %d, want 200", resp.StatusCode)
	}
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Fatalf("Content-Type = %q", ct)
	}
	if cd := resp.Header.Get("Content-Disposition"); !strings.HasPrefix(cd, "attachment;") {
		t.Errorf("Content-Disposition = %q, want an attachment", cd)
	}
	x, err := export.Decode(resp.Body)
	if err != nil {
		t.Fatalf("Decode: %v", err)
	}
	if got := resp.Trailer.Get(exportTrailer); got != "true" {
		t.Errorf("trailer %s = %q, want true", exportTrailer, got)
	}
	return x
}

// medicalRecord finds the medical record in an export.
func medicalRecord(t *testing.T, x *export.Document) export.RecordData {
	t.Helper()
	for _, c := range x.Cases {
		for _, r := range c.Records {
			if r.ID == "rec-medical" {
				return r
			}
		}
	}
	t.Fatal("export lacks the medical record")
	return export.RecordData{}
}

func TestExport(t *testing.T) {
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			f := b.new(t)
			t.Run("R11_O13_G5_subject_exports_own_data", func(t *testing.T) {
				x := readExport(t, f.do(t, "GET", "/subjects/employee-anna/export", "employee-anna", ""))
				if x.Subject.ID != "employee-anna" || len(x.Cases) != 1 {
					t.Errorf("export of %s with %d cases, want employee-anna with 1", x.Subject.ID, len(x.Cases))
				}
				// Rule O13, O6: medical data only through the physician.
				if m := medicalRecord(t, x); m.Fields != nil || m.Withheld != export.WithheldPendingRelease {
					t.Errorf("medical record in the subject's own export: fields %v, withheld %q; want withheld pending release", m.Fields, m.Withheld)
				}
			})
			t.Run("G1_records_carry_their_retention", func(t *testing.T) {
				x := readExport(t, f.do(t, "GET", "/subjects/employee-anna/export", "employee-anna", ""))
				if !x.RecordRetention.Available || x.Cases[0].Records[0].Retention == nil {
					t.Errorf("record retention %+v: want each record's retention", x.RecordRetention)
				}
			})
			t.Run("N9_export_says_who_accessed", func(t *testing.T) {
				f.do(t, "GET", casePath(annaCase), "employer-contact-bert", "").Body.Close()
				x := readExport(t, f.do(t, "GET", "/subjects/employee-anna/export?format=json", "employee-anna", ""))
				if !x.AccessLog.Available {
					t.Fatal("access log not available")
				}
				seen := false
				for _, e := range x.AccessLog.Entries {
					seen = seen || e.Principal == "employer-contact-bert"
				}
				if !seen {
					t.Errorf("access log of %d entries does not show employer-contact-bert's look", len(x.AccessLog.Entries))
				}
			})
			t.Run("G1_export_lists_consents_and_disclosures", func(t *testing.T) {
				x := readExport(t, f.do(t, "GET", "/subjects/employee-anna/export", "employee-anna", ""))
				if !x.Consents.Available || len(x.Consents.Entries) != 1 || !x.Disclosures.Available {
					t.Errorf("consents %+v, disclosures available %t", x.Consents, x.Disclosures.Available)
				}
			})
			t.Run("O13_O6_physician_export_carries_release", func(t *testing.T) {
				x := readExport(t, f.do(t, "GET", "/subjects/employee-anna/export", "physician-dirk", ""))
				m := medicalRecord(t, x)
				if m.Fields[privacy.FieldText] != "lumbar strain; physiotherapy advised" || m.ReleasedBy != "physician-dirk" {
					t.Errorf("medical record = %+v, want its content released by physician-dirk", m)
				}
			})
			t.Run("R11_G5_html_in_english", func(t *testing.T) {
				resp := f.do(t, "GET", "/subjects/employee-anna/export?format=html&lang=en", "employee-anna", "")
				if resp.StatusCode != http.StatusOK {
					t.Fatalf("status %d", resp.StatusCode)
				}
				if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/html") {
					t.Errorf("Content-Type = %q", ct)
				}
				if cl := resp.Header.Get("Content-Language"); cl != "en" {
					t.Errorf("Content-Language = %q", cl)
				}
				body, _ := io.ReadAll(resp.Body)
				if !strings.Contains(string(body), "<html") || strings.Contains(string(body), "<script") {
					t.Errorf("not an HTML page, or one with a script")
				}
			})
			// Someone else's export answers as a subject that does not
			// exist: 404, nothing more.
			missing := f.do(t, "GET", "/subjects/employee-nobody/export", "employee-anna", "")
			missingBody, _ := io.ReadAll(missing.Body)
			for _, tt := range []struct{ name, principal, subject string }{
				{"O13_other_subject_gets_404", "employee-bram", "employee-anna"},
				{"O13_employer_gets_404", "employer-contact-bert", "employee-anna"},
				{"O13_insurer_gets_404", "insurer-ida", "employee-anna"},
				{"R7_case_manager_gets_404", "case-manager-carla", "employee-anna"},
				{"R12_administrator_gets_404", "administrator-adam", "employee-anna"},
				{"N6_physician_without_second_factor_gets_404", "physician-femke", "employee-anna"},
				{"O6_unassigned_physician_gets_404", "physician-dirk", "employee-dana"},
				{"unknown_subject_gets_404", "physician-dirk", "employee-nobody"},
			} {
				t.Run(tt.name, func(t *testing.T) {
					resp := f.do(t, "GET", "/subjects/"+tt.subject+"/export", tt.principal, "")
					if resp.StatusCode != http.StatusNotFound {
						t.Fatalf("status %d, want 404", resp.StatusCode)
					}
					body, _ := io.ReadAll(resp.Body)
					if string(body) != string(missingBody) {
						t.Errorf("refusal answers %s, a missing subject %s", body, missingBody)
					}
				})
			}
		})
	}
}

// TestExportRefusalAudited: a refused export is in the audit trail with
// the rule that refused it (G7, N9).
func TestExportRefusalAudited(t *testing.T) {
	f := newMemFixture(t)
	f.do(t, "GET", "/subjects/employee-anna/export", "employer-contact-bert", "").Body.Close()
	for _, e := range collect(t, f.store.SubjectEvents(t.Context(), anna, 0)) {
		if e.Principal == bert && e.Action == privacy.EventExecute {
			if e.Outcome != privacy.OutcomeDenied || e.Rule == "" {
				t.Errorf("export event = %s %s, want denied with a rule", e.Outcome, e.Rule)
			}
			return
		}
	}
	t.Error("G7: the refused export is not in the audit trail")
}

func TestPrivacyStatement(t *testing.T) {
	f := newMemFixture(t)
	for _, tt := range []struct{ name, query, lang, want string }{
		{"R1_dutch_by_default", "", "nl", "Autoriteit Persoonsgegevens"},
		{"R1_dutch", "?lang=nl", "nl", "Autoriteit Persoonsgegevens"},
		{"R1_english", "?lang=en", "en", "Autoriteit Persoonsgegevens"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			resp := f.do(t, "GET", "/privacy"+tt.query, "", "")
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("status %d", resp.StatusCode)
			}
			if ct := resp.Header.Get("Content-Type"); ct != "text/html; charset=utf-8" {
				t.Errorf("Content-Type = %q", ct)
			}
			if cl := resp.Header.Get("Content-Language"); cl != tt.lang {
				t.Errorf("Content-Language = %q, want %q", cl, tt.lang)
			}
			body, _ := io.ReadAll(resp.Body)
			if !strings.Contains(string(body), tt.want) {
				t.Errorf("statement lacks %q", tt.want)
			}
		})
	}
}
