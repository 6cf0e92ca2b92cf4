package main

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"testing"

	"github.com/dossierwacht/dossierwacht/memstore"
	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/stretchr/testify/require"
)

// TestExportSchemaServed: the service serves the export's JSON Schema
// (rule G5: a documented, machine-readable form), and the export it
// serves validates against it.
func TestExportSchemaServed(t *testing.T) {
	f := newFixture(t, memstore.New(), nil)
	resp := f.do(t, "GET", "/schemas/export.json", "", "")
	require.Equal(t, http.StatusOK, resp.StatusCode)
	require.Equal(t, "application/schema+json", resp.Header.Get("Content-Type"))
	doc, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	schemaDoc, err := jsonschema.UnmarshalJSON(bytes.NewReader(doc))
	require.NoError(t, err)
	c := jsonschema.NewCompiler()
	require.NoError(t, c.AddResource("export.schema.json", schemaDoc))
	sch, err := c.Compile("export.schema.json")
	require.NoError(t, err)

	resp = f.do(t, "GET", "/subjects/employee-anna/export?format=json", "employee-anna", "")
	require.Equal(t, http.StatusOK, resp.StatusCode)
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(body))
	require.NoError(t, err)
	if err := sch.Validate(inst); err != nil {
		t.Errorf("G5: the served export does not validate against the served schema: %v", err)
	}
	// A broken one is refused: the schema is not empty.
	var broken map[string]any
	require.NoError(t, json.Unmarshal(body, &broken))
	delete(broken, "subject")
	b, _ := json.Marshal(broken)
	inst, err = jsonschema.UnmarshalJSON(bytes.NewReader(b))
	require.NoError(t, err)
	if sch.Validate(inst) == nil {
		t.Error("G5: an export without its subject validated against the served schema")
	}
}
