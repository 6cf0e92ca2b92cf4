package export_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"maps"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/dossierwacht/dossierwacht/export"
	"github.com/dossierwacht/dossierwacht/privacy"
	"github.com/dossierwacht/dossierwacht/rights"
)

// TestExportG1 checks that the export holds the data and the facts of GDPR
// art. 15(1): purposes, categories, recipients (policy, statute and log),
// retention, source (R2), rights, where to complain (O15).
func TestExportG1(t *testing.T) {
	w := newWorld(t, nil)
	w.File(t, rights.Filing{ID: "req-1", Kind: rights.KindAccess})
	e, _ := w.Export(t, &rights.ExportOptions{Request: "req-1"})
	f := e.Facts
	t.Run("G1_subject_cases_and_every_record", func(t *testing.T) {
		if e.Schema != export.Schema || e.Subject.ID != anna || e.Request != "req-1" || e.Policy.Version != "1.0.0" {
			t.Errorf("header = %+v", e)
		}
		if len(e.Cases) != 1 || len(e.Cases[0].Records) != 5 {
			t.Fatalf("cases = %+v", e.Cases)
		}
		rs := records(e)
		if rs["rec-identity"].Fields[privacy.FieldName] != "Anna de Vries" {
			t.Errorf("identity record = %+v", rs["rec-identity"])
		}
		if e.Totals.Records != 5 || e.Totals.Cases != 1 || e.Totals.Requests != 1 {
			t.Errorf("totals = %+v", e.Totals)
		}
	})
	t.Run("G1_purposes_from_the_policy", func(t *testing.T) {
		i := slices.IndexFunc(f.Purposes, func(p export.PurposeFact) bool { return p.Purpose == privacy.PurposeAbsenceGuidance })
		if i < 0 || f.Purposes[i].Cases != 1 || f.Purposes[i].Rule == "" {
			t.Errorf("purposes = %+v", f.Purposes)
		}
	})
	t.Run("G1_categories_held", func(t *testing.T) {
		var got []privacy.Category
		for _, c := range f.Categories {
			got = append(got, c.Category)
		}
		want := []privacy.Category{privacy.CategoryIdentity, privacy.CategoryEmployment, privacy.CategoryAbsenceFacts,
			privacy.CategoryMedical, privacy.CategoryNotes}
		if !slices.Equal(got, want) {
			t.Errorf("categories = %v, want %v", got, want)
		}
	})
	t.Run("G1_recipients_from_policy_statute_and_log", func(t *testing.T) {
		from := map[export.RecipientFrom]int{}
		var logged []privacy.PartyID
		for _, r := range f.Recipients {
			from[r.From]++
			if r.From == export.FromLog {
				logged = append(logged, r.Party)
			}
		}
		if from[export.FromPolicy] == 0 || from[export.FromStatute] == 0 {
			t.Errorf("recipients by origin = %v", from)
		}
		if !slices.Equal(logged, []privacy.PartyID{"employer-bakery", "insurer-verzekerd"}) {
			t.Errorf("recipients from the log = %v", logged)
		}
	})
	t.Run("G1_retention_rules_and_per_record", func(t *testing.T) {
		if len(f.Retention) != len(privacy.Strict().Retention) {
			t.Errorf("retention facts = %d, want the policy's %d", len(f.Retention), len(privacy.Strict().Retention))
		}
		r := records(e)["rec-wages"].Retention
		if r == nil || !r.Statutory || r.Period != privacy.Years(7) || r.Rule != privacy.R9 {
			t.Errorf("rec-wages retention = %+v", r)
		}
	})
	t.Run("R2_G1_source_of_each_record", func(t *testing.T) {
		if src := records(e)["rec-identity"].Source; src.Kind != privacy.PartyEmployer || src.Party != "employer-bakery" {
			t.Errorf("source = %+v", src)
		}
		if len(f.Sources) != 2 || f.Sources[0].Records+f.Sources[1].Records != 5 {
			t.Errorf("sources = %+v", f.Sources)
		}
	})
	t.Run("G1_O15_rights_and_complaint", func(t *testing.T) {
		var got []export.Right
		for _, r := range f.Rights {
			got = append(got, r.Right)
		}
		if !slices.Equal(got, export.Rights()) {
			t.Errorf("rights = %v", got)
		}
		if f.Complaint.Authority != "Autoriteit Persoonsgegevens" || f.Complaint.Procedure != "klachten@dienst.example" ||
			!slices.Contains(f.Complaint.Rules, privacy.O15) {
			t.Errorf("complaint = %+v", f.Complaint)
		}
	})
}

// TestExportN9 checks that the export says who accessed the subject's data
// (N9), with role, on whose behalf, action and outcome, and never another
// subject's events.
func TestExportN9(t *testing.T) {
	w := newWorld(t, nil)
	e, raw := w.Export(t, nil)
	got := e.AccessLog
	// The reads: the case file's writes are in the log too (O1, N9).
	var reads []export.AccessEntry
	for _, a := range got.Entries {
		if a.Action == privacy.EventRead {
			reads = append(reads, a)
		}
	}
	t.Run("N9_who_accessed_the_data", func(t *testing.T) {
		if !got.Available || len(reads) != 3 {
			t.Fatalf("access log = %+v", got)
		}
		a := reads[0]
		if a.Principal != physician.ID || a.Role != privacy.RolePhysician || a.Action != privacy.EventRead ||
			a.Outcome != privacy.OutcomeAllowed || a.Object != "rec-medical" || a.Rule != privacy.O6 || a.Policy != "1.0.0" {
			t.Errorf("first entry = %+v", a)
		}
	})
	t.Run("N9_denied_access_on_behalf_of_the_employer", func(t *testing.T) {
		if b := reads[1]; b.OnBehalfOf != "employer-bakery" || b.Outcome != privacy.OutcomeDenied || b.Role != privacy.RoleEmployerContact {
			t.Errorf("second entry = %+v", b)
		}
	})
	t.Run("N9_the_exports_own_read_of_the_medical_file", func(t *testing.T) {
		if c := reads[2]; c.Principal != privacy.PrincipalID(anna) || c.Category != privacy.CategoryMedical || c.Rule != privacy.O6 ||
			!c.Time.Equal(t0.Add(48*time.Hour)) {
			t.Errorf("third entry = %+v, want the read of the medical file for Anna's export", c)
		}
	})
	t.Run("N9_never_another_subjects_events", func(t *testing.T) {
		if bytes.Contains(raw, []byte("someone-else")) {
			t.Errorf("the export holds another subject's event")
		}
	})
}

// TestExportNotAvailable: a source that is not connected is stated in the
// export, never passed off as empty.
func TestExportNotAvailable(t *testing.T) {
	w := newWorld(t, &worldOptions{NoSources: true})
	e, _ := w.Export(t, nil)
	for name, p := range map[string]export.Part{
		"consents":         {Available: e.Consents.Available, Note: e.Consents.Note},
		"disclosures":      {Available: e.Disclosures.Available, Note: e.Disclosures.Note},
		"access_log":       {Available: e.AccessLog.Available, Note: e.AccessLog.Note},
		"record_retention": e.RecordRetention,
	} {
		if p.Available || !strings.HasPrefix(p.Note, "not available") {
			t.Errorf("%s = %+v, want not available with a note", name, p)
		}
	}
	if r := records(e)["rec-wages"]; r.Retention != nil {
		t.Errorf("retention without retention facts: %+v", r.Retention)
	}
	for _, r := range e.Facts.Recipients {
		if r.From == export.FromLog {
			t.Errorf("recipient from a log that is not connected: %+v", r)
		}
	}
}

// TestExportRedaction: a hook takes personal data of others out of a
// record, and the record says so.
func TestExportRedaction(t *testing.T) {
	w := newWorld(t, nil)
	redact := func(r privacy.Record) privacy.Record {
		if v, ok := r.Fields[privacy.FieldText]; ok {
			r.Fields[privacy.FieldText] = strings.ReplaceAll(v, "Piet Jansen", "[colleague]")
		}
		return r
	}
	e, raw := w.Export(t, &rights.ExportOptions{Redact: redact})
	note := records(e)["rec-note"]
	if !note.Redacted || !strings.Contains(note.Fields[privacy.FieldText], "[colleague]") || bytes.Contains(raw, []byte("Piet Jansen")) {
		t.Errorf("redacted note = %+v", note)
	}
	if records(e)["rec-identity"].Redacted || e.Totals.Redacted != 1 {
		t.Errorf("a record the hook left alone is marked redacted; totals %+v", e.Totals)
	}
	t.Run("hook_adding_a_foreign_field_is_refused", func(t *testing.T) {
		bad := func(r privacy.Record) privacy.Record {
			r.Fields[privacy.FieldBSN] = "x"
			return r
		}
		_, err := w.Desk.Export(w.Ctx, subjectAct(anna, t0), discard{}, anna, &rights.ExportOptions{Redact: bad})
		wantKind(t, "Export(bad hook)", err, privacy.ErrInvalid)
	})
}

// TestExportG5RoundTrip: the JSON form reads back into exactly what was
// exported, and writes again byte for byte (G5).
func TestExportG5RoundTrip(t *testing.T) {
	for name, o := range map[string]*worldOptions{"G5_with_every_source": nil, "G5_without_sources": {NoSources: true}} {
		t.Run(name, func(t *testing.T) { testRoundTrip(t, o) })
	}
}

func testRoundTrip(t *testing.T, o *worldOptions) {
	// Regulation O, whose deadline extends (R11: regulation R's does not),
	// so that the export holds an extension step.
	opts := worldOptions{Policy: privacy.RegulationO()}
	if o != nil {
		opts.NoSources = o.NoSources
	}
	o = &opts
	{
		// Twin worlds: an export is audited (N9), so a second export of
		// one world would tell of the first.
		twin := func() *world {
			w := newWorld(t, o)
			w.File(t, rights.Filing{ID: "req-1", Kind: rights.KindPortability})
			if _, err := w.Desk.Extend(w.Ctx, as(carla, t0.Add(time.Hour)), "req-1", rights.Extension{Reason: "busy"}); err != nil {
				t.Fatal(err)
			}
			return w
		}
		w, w2 := twin(), twin()
		e, raw := w.Export(t, &rights.ExportOptions{Release: &rights.MedicalRelease{Physician: assigned(physician)}})
		var again bytes.Buffer
		if err := e.Encode(&again); err != nil {
			t.Fatalf("Encode: %v", err)
		}
		if !bytes.Equal(raw, again.Bytes()) {
			t.Errorf("G5: Encode(Decode(export)) differs from the export:\n%s\n---\n%s", raw, again.Bytes())
		}
		if !json.Valid(raw) {
			t.Errorf("G5: the export is not valid JSON")
		}
		// The HTML of the decoded export equals the HTML written directly.
		var direct, decoded bytes.Buffer
		if _, err := w2.Desk.Export(w2.Ctx, subjectAct(anna, t0.Add(48*time.Hour)), &direct, anna,
			&rights.ExportOptions{Format: export.FormatHTML, Lang: export.English, Release: &rights.MedicalRelease{Physician: assigned(physician)}}); err != nil {
			t.Fatal(err)
		}
		if err := e.WriteHTML(&decoded, export.English); err != nil {
			t.Fatal(err)
		}
		if direct.String() != decoded.String() {
			t.Errorf("WriteHTML(Decode(json)) differs from the HTML export")
		}
	}
}

// TestDecodeStrict: decoding refuses anything but a complete, valid
// export of the known schema, with ErrInvalid.
func TestDecodeStrict(t *testing.T) {
	w := newWorld(t, nil)
	_, raw := w.Export(t, nil)
	good := string(raw)
	tests := []struct {
		name string
		in   string
	}{
		{"empty", ""},
		{"not_json", "hello"},
		{"array", "[]"},
		{"unknown_field_top", strings.Replace(good, `"schema":`, `"extra":1,"schema":`, 1)},
		{"unknown_field_record", strings.Replace(good, `"id":"rec-identity",`, `"id":"rec-identity","colour":"red",`, 1)},
		{"other_schema", strings.Replace(good, export.Schema, "dossierwacht.export/v2", 1)},
		{"cut_short", good[:len(good)/2]},
		{"trailing_data", good + "{}"},
		{"unknown_category", strings.Replace(good, `"category":"notes"`, `"category":"gossip"`, 1)},
		{"special_category", strings.Replace(good, `"category":"notes"`, `"category":"religion"`, 1)},
		{"field_of_another_category", strings.Replace(good, `"fields":{"text":"Gesprek`, `"fields":{"bsn":"1","text":"Gesprek`, 1)},
		{"totals_do_not_match", strings.Replace(good, `"records":5,`, `"records":4,`, 1)},
		{"renamed_record_still_decodes", strings.Replace(good, `{"id":"rec-wages"`, `{"id":"rec-wages2"`, 1) + ""},
		{"malformed_id", strings.Replace(good, `"id":"rec-identity"`, `"id":"rec identity"`, 1)},
		{"bad_time", strings.Replace(good, `"generated":"2026-03-04T09:00:00Z"`, `"generated":"yesterday"`, 1)},
		{"unknown_rule", strings.Replace(good, `"medical":{"rule":"O13"}`, `"medical":{"rule":"O99"}`, 1)},
		{"withheld_with_content", strings.Replace(good, `"withheld":"pending-physician-release"`, `"withheld":"pending-physician-release","fields":{"text":"x"}`, 1)},
		{"wrong_type", strings.Replace(good, `"records":5,`, `"records":"five",`, 1)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if tc.in == good {
				t.Fatalf("the test case did not change the export")
			}
			_, err := export.Decode(strings.NewReader(tc.in))
			if tc.name == "renamed_record_still_decodes" {
				// Renaming a record keeps a valid export: the counterpart
				// check that the strict cases are not over-strict.
				if err != nil {
					t.Errorf("Decode(renamed record) = %v", err)
				}
				return
			}
			if !errors.Is(err, privacy.ErrInvalid) {
				t.Errorf("Decode(%s) = %v, want ErrInvalid", tc.name, err)
			}
			if err != nil && strings.Contains(err.Error(), "Anna") {
				t.Errorf("error carries personal data: %v", err)
			}
		})
	}
}

// TestExportHTMLEscapes: record content never becomes markup, in either
// language.
func TestExportHTMLEscapes(t *testing.T) {
	w := newWorld(t, nil)
	for _, lang := range []export.Lang{export.Dutch, export.English} {
		var buf bytes.Buffer
		if _, err := w.Desk.Export(w.Ctx, subjectAct(anna, t0), &buf, anna, &rights.ExportOptions{Format: export.FormatHTML, Lang: lang}); err != nil {
			t.Fatal(err)
		}
		page := buf.String()
		if strings.Contains(page, "<script>") || !strings.Contains(page, "&lt;script&gt;") {
			t.Errorf("%s: the note's markup is not escaped", lang)
		}
		if !strings.Contains(page, `<html lang="`+string(lang)+`">`) {
			t.Errorf("%s: page language not set", lang)
		}
	}
}

// TestExportCopies: the export never shares the stores' records, and a
// hook that changes its copy changes nothing stored.
func TestExportCopies(t *testing.T) {
	w := newWorld(t, nil)
	hook := func(r privacy.Record) privacy.Record {
		maps.DeleteFunc(r.Fields, func(privacy.Field, string) bool { return true })
		return r
	}
	if _, err := w.Desk.Export(w.Ctx, subjectAct(anna, t0), discard{}, anna, &rights.ExportOptions{Redact: hook}); err != nil {
		t.Fatal(err)
	}
	r, err := w.Dossiers.Record(w.Ctx, "rec-identity")
	if err != nil || r.Fields[privacy.FieldName] != "Anna de Vries" {
		t.Errorf("a redaction hook changed the store: %+v, %v", r, err)
	}
}

// TestExportRefusedSpecialCategory: a refused attempt to write a special
// category is audited (O5) and the subject's export shows it (N9) rather
// than failing on it.
func TestExportRefusedSpecialCategory(t *testing.T) {
	w := newWorld(t, nil)
	if _, err := w.Store.AppendEvents(w.Ctx, privacy.Event{Time: t0.Add(4 * time.Hour), Principal: carla,
		Role: privacy.RoleCaseManager, Subject: anna, Case: annaCase, Category: privacy.CategoryReligion,
		Action: privacy.EventCreate, Outcome: privacy.OutcomeDenied, Rule: privacy.O5, Policy: "1.0.0"}); err != nil {
		t.Fatal(err)
	}
	e, _ := w.Export(t, nil)
	var found bool
	for _, a := range e.AccessLog.Entries {
		found = found || (a.Category == privacy.CategoryReligion && a.Rule == privacy.O5 && a.Outcome == privacy.OutcomeDenied)
	}
	if !found {
		t.Errorf("O5, N9: the refused special-category write is not in the access log: %+v", e.AccessLog.Entries)
	}
}

// TestExportHTMLStepsInTheReadersLanguage: the steps the desk takes
// itself (filing, written confirmation) read in the page's language; the
// English reasons stored with them stay out of the page (rules R11, O13:
// a request not in writing is marked so, in words the subject reads).
func TestExportHTMLStepsInTheReadersLanguage(t *testing.T) {
	w := newWorld(t, nil)
	w.File(t, rights.Filing{ID: "req-oral", Kind: rights.KindAccess, Form: rights.FormOral})
	if _, err := w.Desk.ConfirmWritten(w.Ctx, as(carla, t0.Add(time.Hour)), "req-oral", rights.Confirmation{}); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		lang             export.Lang
		filed, confirmed string
		notWritten       string
	}{
		{export.Dutch, "ontvangen", "schriftelijk bevestigd", "niet schriftelijk; beantwoord na schriftelijke bevestiging"},
		{export.English, "received", "confirmed in writing", "not in writing; answered once confirmed in writing"},
	} {
		var buf bytes.Buffer
		if _, err := w.Desk.Export(w.Ctx, subjectAct(anna, t0.Add(2*time.Hour)), &buf, anna, &rights.ExportOptions{Format: export.FormatHTML, Lang: tc.lang}); err != nil {
			t.Fatal(err)
		}
		page := buf.String()
		for _, want := range []string{tc.filed, tc.confirmed, tc.notWritten} {
			if !strings.Contains(page, want) {
				t.Errorf("%s page lacks %q", tc.lang, want)
			}
		}
		for _, stored := range []string{"request received", "answered once confirmed in writing (rule"} {
			if strings.Contains(page, stored) {
				t.Errorf("%s page shows the desk's stored English reason %q", tc.lang, stored)
			}
		}
	}
}
