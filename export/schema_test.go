package export_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"maps"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/dossierwacht/dossierwacht/export"
	"github.com/dossierwacht/dossierwacht/privacy"
	"github.com/dossierwacht/dossierwacht/privacy/calendar"
	"github.com/dossierwacht/dossierwacht/rights"
	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/stretchr/testify/require"
)

// exportSchema compiles export.JSONSchema with format assertions on.
func exportSchema(t testing.TB) *jsonschema.Schema {
	t.Helper()
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(export.JSONSchema()))
	require.NoError(t, err, "the schema is not JSON")
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	const url = "https://github.com/dossierwacht/dossierwacht/export/export.schema.json"
	require.NoError(t, c.AddResource(url, doc))
	sch, err := c.Compile(url)
	require.NoError(t, err, "the schema does not compile")
	return sch
}

func validate(sch *jsonschema.Schema, raw []byte) error {
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(raw))
	if err != nil {
		return err
	}
	return sch.Validate(inst)
}

// fullWorld is a subject with every part of an export: records of both
// files with their retention, consents, disclosures, the access log, and
// requests filed, extended, confirmed in writing, refused and answered
// with an outcome.
func fullWorld(t *testing.T) *world {
	t.Helper()
	// Regulation O extends a request (G2); a policy that applies
	// regulation R does not (R11).
	w := newWorld(t, &worldOptions{Policy: privacy.RegulationO()})
	w.File(t, rights.Filing{ID: "req-access", Kind: rights.KindAccess})
	_, err := w.Desk.Extend(w.Ctx, as(carla, t0.Add(time.Hour)), "req-access", rights.Extension{Reason: "a second archive"})
	require.NoError(t, err)
	w.File(t, rights.Filing{ID: "req-copy", Kind: rights.KindCopy, Form: rights.FormOral})
	_, err = w.Desk.ConfirmWritten(w.Ctx, as(carla, t0.Add(time.Hour)), "req-copy", rights.Confirmation{Document: "letter-2"})
	require.NoError(t, err)
	w.File(t, rights.Filing{ID: "req-fix", Kind: rights.KindRectification, Records: []privacy.RecordID{"rec-note"}})
	_, err = w.Desk.Refuse(w.Ctx, as(carla, t0.Add(2*time.Hour)), "req-fix", rights.Refusal{Ground: rights.GroundUnfounded,
		Reason: "the note is correct"})
	require.NoError(t, err)
	w.File(t, rights.Filing{ID: "req-erase", Kind: rights.KindErasure, Records: []privacy.RecordID{"rec-note", "rec-wages"}})
	plan := rights.Plan{Request: "req-erase", Kind: rights.KindErasure, Subject: anna,
		Changes: []rights.Change{{Record: "rec-note", Case: annaCase, Category: privacy.CategoryNotes, Erase: true}},
		Keeps: []rights.Keep{{Record: "rec-wages", Case: annaCase, Category: privacy.CategoryEmployment,
			Ground: rights.GroundStatutoryRetention, Rule: privacy.G3, Retention: privacy.R9, Until: day(t, "2033-03-02"),
			Citation: "AWR 52(4)", Reason: "fiscal"}},
		Notify: []rights.Notify{{Recipient: "employer-bakery", RecipientKind: privacy.PartyEmployer, Disclosures: []string{"dis-1"}}}}
	_, err = w.Desk.Answer(w.Ctx, as(carla, t0.Add(3*time.Hour)), "req-erase", rights.Answer{Reason: "erased in part", Plan: &plan})
	require.NoError(t, err)
	return w
}

// TestExportSchema: the JSON Schema published for the export
// (export.JSONSchema) accepts what the library writes and refuses what
// it would never write (rule G5: a documented, machine-readable form).
func TestExportSchema(t *testing.T) {
	sch := exportSchema(t)
	released := &rights.ExportOptions{Request: "req-access", Release: &rights.MedicalRelease{Physician: assigned(physician)}}
	for _, tc := range []struct {
		name string
		raw  func(t *testing.T) []byte
	}{
		{"G5_every_part_medical_released", func(t *testing.T) []byte { _, raw := fullWorld(t).Export(t, released); return raw }},
		{"G5_medical_withheld", func(t *testing.T) []byte { _, raw := fullWorld(t).Export(t, nil); return raw }},
		{"G5_no_sources_empty_lists", func(t *testing.T) []byte {
			_, raw := newWorld(t, &worldOptions{NoSources: true}).Export(t, nil)
			return raw
		}},
		{"G5_subject_without_records", func(t *testing.T) []byte {
			w := newWorld(t, nil)
			bob, err := privacy.NewSubject("employee-bob", "employer-bakery", t0)
			require.NoError(t, err)
			require.NoError(t, w.Dossiers.CreateSubject(w.Ctx, deskAct(t0), bob))
			var buf bytes.Buffer
			_, err = w.Desk.Export(w.Ctx, subjectAct(bob.ID, t0.Add(time.Hour)), &buf, bob.ID, nil)
			require.NoError(t, err)
			e, err := export.Decode(bytes.NewReader(buf.Bytes()))
			require.NoError(t, err)
			var again bytes.Buffer
			require.NoError(t, e.Encode(&again))
			require.Equal(t, buf.String(), again.String(), "Encode(Decode(export)) differs from the export")
			return buf.Bytes()
		}},
		{"G5_encoded_after_decoding", func(t *testing.T) []byte {
			e, _ := newWorld(t, &worldOptions{NoSources: true}).Export(t, nil)
			var buf bytes.Buffer
			require.NoError(t, e.Encode(&buf))
			return buf.Bytes()
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			raw := tc.raw(t)
			if err := validate(sch, raw); err != nil {
				t.Errorf("G5: the export does not validate against the schema: %#v\n%s", err, raw)
			}
			// One encoding for empty lists: [], never null.
			if bytes.Contains(raw, []byte("null")) {
				t.Errorf("G5: the export holds null:\n%s", raw)
			}
		})
	}

	_, good := fullWorld(t).Export(t, released)
	_, withheld := fullWorld(t).Export(t, nil)
	require.NoError(t, validate(sch, good))
	record := func(m map[string]any, i int) map[string]any {
		return m["cases"].([]any)[0].(map[string]any)["records"].([]any)[i].(map[string]any)
	}
	byCategory := func(m map[string]any, cat string) map[string]any {
		for _, r := range m["cases"].([]any)[0].(map[string]any)["records"].([]any) {
			if r.(map[string]any)["category"] == cat {
				return r.(map[string]any)
			}
		}
		t.Fatalf("no %s record in the export", cat)
		return nil
	}
	for _, tc := range []struct {
		name   string
		from   []byte
		change func(m map[string]any)
	}{
		{"missing_required_member", good, func(m map[string]any) { delete(m, "totals") }},
		{"missing_required_member_of_a_record", good, func(m map[string]any) { delete(record(m, 0), "author") }},
		{"missing_entries_of_a_part", good, func(m map[string]any) { delete(m["consents"].(map[string]any), "entries") }},
		{"unknown_member", good, func(m map[string]any) { m["colour"] = "red" }},
		{"unknown_member_of_a_record", good, func(m map[string]any) { record(m, 0)["colour"] = "red" }},
		{"other_schema", good, func(m map[string]any) { m["schema"] = "dossierwacht.export/v2" }},
		{"wrong_enum_value_case_kind", good, func(m map[string]any) { m["cases"].([]any)[0].(map[string]any)["kind"] = "holiday" }},
		{"wrong_enum_value_rule", good, func(m map[string]any) { m["medical"].(map[string]any)["rule"] = "O99" }},
		{"wrong_enum_value_role", good, func(m map[string]any) {
			m["access_log"].(map[string]any)["entries"].([]any)[0].(map[string]any)["role"] = "boss"
		}},
		{"unknown_category", good, func(m map[string]any) { byCategory(m, "notes")["category"] = "gossip" }},
		{"special_category_in_a_record", good, func(m map[string]any) { byCategory(m, "notes")["category"] = "religion" }},
		{"a_field_its_category_does_not_have", good, func(m map[string]any) {
			byCategory(m, "identity")["fields"].(map[string]any)["bsn"] = "123456782"
		}},
		{"medical_flag_on_a_non_medical_record", good, func(m map[string]any) { byCategory(m, "notes")["medical"] = true }},
		{"medical_record_without_its_flag", good, func(m map[string]any) { delete(byCategory(m, "medical"), "medical") }},
		{"withheld_with_content", withheld, func(m map[string]any) {
			byCategory(m, "medical")["fields"] = map[string]any{"text": "x"}
		}},
		{"null_list_of_entries", good, func(m map[string]any) { m["disclosures"].(map[string]any)["entries"] = nil }},
		{"null_list_of_cases", good, func(m map[string]any) { m["cases"] = nil }},
		{"null_list_of_categories", good, func(m map[string]any) {
			m["consents"].(map[string]any)["entries"].([]any)[0].(map[string]any)["categories"] = nil
		}},
		{"null_list_of_facts", good, func(m map[string]any) { m["facts"].(map[string]any)["rights"] = nil }},
		{"malformed_id", good, func(m map[string]any) { record(m, 0)["id"] = "rec identity" }},
		{"time_not_in_utc", good, func(m map[string]any) { m["generated"] = "2026-03-04T10:00:00+01:00" }},
		{"not_a_time", good, func(m map[string]any) { m["generated"] = "yesterday" }},
		{"not_a_period", good, func(m map[string]any) {
			m["facts"].(map[string]any)["retention"].([]any)[0].(map[string]any)["period"] = "two years"
		}},
		{"negative_total", good, func(m map[string]any) { m["totals"].(map[string]any)["records"] = -1 }},
		{"chain_without_its_hash", good, func(m map[string]any) { delete(m["access_log"].(map[string]any)["chain"].(map[string]any), "hash") }},
		{"chain_hash_not_hex", good, func(m map[string]any) {
			m["access_log"].(map[string]any)["chain"].(map[string]any)["hash"] = "G7"
		}},
		{"access_entry_hash_cut_short", good, func(m map[string]any) {
			e := m["access_log"].(map[string]any)["entries"].([]any)[0].(map[string]any)
			e["hash"] = e["hash"].(string)[:62]
		}},
		{"unknown_member_of_the_chain", good, func(m map[string]any) {
			m["access_log"].(map[string]any)["chain"].(map[string]any)["colour"] = "red"
		}},
		{"request_without_history", good, func(m map[string]any) { m["requests"].([]any)[0].(map[string]any)["history"] = []any{} }},
	} {
		t.Run("G5_refuses_"+tc.name, func(t *testing.T) {
			var m map[string]any
			require.NoError(t, json.Unmarshal(tc.from, &m))
			tc.change(m)
			raw, err := json.Marshal(m)
			require.NoError(t, err)
			if validate(sch, raw) == nil {
				t.Errorf("G5: the schema accepts an export with %s", strings.ReplaceAll(tc.name, "_", " "))
			}
		})
	}
}

// TestDecodeReadsNullLists: exports written before lists were always []
// had null for an empty list; Decode still reads them.
func TestDecodeReadsNullLists(t *testing.T) {
	_, raw := newWorld(t, &worldOptions{NoSources: true}).Export(t, nil)
	old := bytes.ReplaceAll(raw, []byte(`"entries":[]`), []byte(`"entries":null`))
	require.NotEqual(t, raw, old, "the export has no empty entries")
	_, err := export.Decode(bytes.NewReader(old))
	require.NoError(t, err)
}

// TestExportSchemaEnums keeps the schema's enumerations equal to the
// library's: the values of each enumerated type, the rule catalog, and the
// fields each category allows. Types without a list of their values are
// read from the source, every constant declared with the type.
func TestExportSchemaEnums(t *testing.T) {
	var schema struct {
		Defs map[string]struct {
			Enum       []string                   `json:"enum"`
			Properties map[string]json.RawMessage `json:"properties"`
		} `json:"$defs"`
	}
	require.NoError(t, json.Unmarshal(export.JSONSchema(), &schema))
	strs := func(n int, at func(int) string) []string {
		out := make([]string, n)
		for i := range out {
			out[i] = at(i)
		}
		return out
	}
	cats := privacy.Categories()
	special := privacy.SpecialCategories()
	rules := privacy.Rules()
	kinds, grounds, rightList := rights.Kinds(), rights.Grounds(), export.Rights()
	consts := sourceConstants(t, "../privacy", ".", "../rights")
	want := map[string][]string{
		"category":       strs(len(cats), func(i int) string { return string(cats[i]) }),
		"loggedCategory": append(strs(len(cats), func(i int) string { return string(cats[i]) }), strs(len(special), func(i int) string { return string(special[i]) })...),
		"caseKind":       strs(len(privacy.CaseKinds()), func(i int) string { return string(privacy.CaseKinds()[i]) }),
		"partyKind":      strs(len(privacy.PartyKinds()), func(i int) string { return string(privacy.PartyKinds()[i]) }),
		"role":           strs(len(privacy.Roles()), func(i int) string { return string(privacy.Roles()[i]) }),
		"trigger":        strs(len(privacy.Triggers()), func(i int) string { return string(privacy.Triggers()[i]) }),
		"rule":           strs(len(rules), func(i int) string { return string(rules[i].ID) }),
		"requestKind":    strs(len(kinds), func(i int) string { return string(kinds[i]) }),
		"ground":         strs(len(grounds), func(i int) string { return string(grounds[i]) }),
		"right":          strs(len(rightList), func(i int) string { return string(rightList[i]) }),
		"basis":          consts["BasisKind"],
		"action":         consts["EventAction"],
		"outcome":        consts["Outcome"],
		"form":           consts["Form"],
		"status":         consts["Status"],
		"step":           consts["StepKind"],
		"recipientFrom":  consts["RecipientFrom"],
		"withholding":    consts["Withholding"],
	}
	for _, c := range cats {
		info, _ := c.Info()
		want["fields-"+string(c)] = strs(len(info.Fields), func(i int) string { return string(info.Fields[i]) })
	}
	for name, w := range want {
		def, ok := schema.Defs[name]
		if !ok {
			t.Errorf("the schema has no $defs/%s; add it: %s", name, jsonList(w))
			continue
		}
		got := def.Enum
		if strings.HasPrefix(name, "fields-") {
			got = slices.Collect(maps.Keys(def.Properties))
		}
		if !sameSet(got, w) {
			t.Errorf("$defs/%s = %s, want the library's %s", name, jsonList(got), jsonList(w))
		}
	}
	for name := range schema.Defs {
		if strings.HasPrefix(name, "fields-") && want[name] == nil {
			t.Errorf("$defs/%s: no such category", name)
		}
	}
	// Every category's fields apply to its records.
	var full map[string]any
	require.NoError(t, json.Unmarshal(export.JSONSchema(), &full))
	allOf, _ := json.Marshal(full["$defs"].(map[string]any)["record"].(map[string]any)["allOf"])
	for _, c := range cats {
		rule := fmt.Sprintf(`{"if":{"properties":{"category":{"const":%q}}},"then":{"properties":{"fields":{"$ref":"#/$defs/fields-%s"}}}}`, c, c)
		if !bytes.Contains(allOf, []byte(rule)) {
			t.Errorf("$defs/record does not apply $defs/fields-%s to records of category %s", c, c)
		}
	}
}

// sourceConstants returns, per type name, the string constants declared
// with that type in the non-test Go files of the directories.
func sourceConstants(t *testing.T, dirs ...string) map[string][]string {
	t.Helper()
	out := map[string][]string{}
	fset := token.NewFileSet()
	for _, dir := range dirs {
		files, err := filepath.Glob(filepath.Join(dir, "*.go"))
		require.NoError(t, err)
		for _, name := range files {
			if strings.HasSuffix(name, "_test.go") {
				continue
			}
			f, err := parser.ParseFile(fset, name, nil, 0)
			require.NoError(t, err)
			for _, d := range f.Decls {
				g, ok := d.(*ast.GenDecl)
				if !ok || g.Tok != token.CONST {
					continue
				}
				for _, s := range g.Specs {
					v := s.(*ast.ValueSpec)
					typ, ok := v.Type.(*ast.Ident)
					if !ok {
						continue
					}
					for _, val := range v.Values {
						if lit, ok := val.(*ast.BasicLit); ok && lit.Kind == token.STRING {
							s, err := strconv.Unquote(lit.Value)
							require.NoError(t, err)
							out[typ.Name] = append(out[typ.Name], s)
						}
					}
				}
			}
		}
	}
	return out
}

func sameSet(a, b []string) bool {
	a, b = slices.Clone(a), slices.Clone(b)
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(a, b)
}

func jsonList(s []string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// TestExportSchemaMembers keeps the schema's members in step with the Go
// types of the export: every member the JSON form can hold is a property
// of its object in the schema, and every member it always writes (no
// omitempty or omitzero) is required there.
func TestExportSchemaMembers(t *testing.T) {
	var schema map[string]any
	require.NoError(t, json.Unmarshal(export.JSONSchema(), &schema))
	defs := schema["$defs"].(map[string]any)
	resolve := func(node map[string]any) map[string]any {
		for {
			r, ok := node["$ref"].(string)
			if !ok {
				return node
			}
			node = defs[strings.TrimPrefix(r, "#/$defs/")].(map[string]any)
		}
	}
	leaf := map[reflect.Type]bool{reflect.TypeFor[time.Time](): true, reflect.TypeFor[calendar.Date](): true,
		reflect.TypeFor[privacy.Period](): true}
	seen := map[reflect.Type]bool{}
	var walk func(path string, typ reflect.Type, node map[string]any)
	walk = func(path string, typ reflect.Type, node map[string]any) {
		node = resolve(node)
		switch {
		case leaf[typ]:
			return
		case typ.Kind() == reflect.Pointer:
			walk(path, typ.Elem(), node)
		case typ.Kind() == reflect.Slice:
			items, ok := node["items"].(map[string]any)
			if !ok {
				t.Errorf("schema of %s: not an array with items", path)
				return
			}
			walk(path+"[]", typ.Elem(), items)
		case typ.Kind() == reflect.Struct:
			if seen[typ] {
				return
			}
			seen[typ] = true
			props, _ := node["properties"].(map[string]any)
			required := map[string]bool{}
			list, _ := node["required"].([]any)
			for _, r := range list {
				required[r.(string)] = true
			}
			for i := range typ.NumField() {
				f := typ.Field(i)
				name, opts, _ := strings.Cut(f.Tag.Get("json"), ",")
				if !f.IsExported() || name == "-" {
					continue
				}
				if name == "" {
					name = f.Name
				}
				p, ok := props[name].(map[string]any)
				if !ok {
					t.Errorf("schema of %s: no member %q (%s.%s)", path, name, typ.Name(), f.Name)
					continue
				}
				optional := strings.Contains(opts, "omitempty") || strings.Contains(opts, "omitzero")
				if !optional && !required[name] {
					t.Errorf("schema of %s: %q is always written but not required", path, name)
				}
				walk(path+"."+name, f.Type, p)
			}
		}
	}
	walk("export", reflect.TypeFor[export.Document](), schema)
}
