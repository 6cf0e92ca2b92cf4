package main

import (
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/dossierwacht/dossierwacht/export"
	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/stretchr/testify/require"
)

// TestExportMatchesSchema: the walkthrough's export.json validates against
// the published schema of the export (export.JSONSchema; rule G5) and
// holds no null.
func TestExportMatchesSchema(t *testing.T) {
	out := t.TempDir()
	require.NoError(t, run(context.Background(), io.Discard, out))
	raw, err := os.ReadFile(filepath.Join(out, "export.json"))
	require.NoError(t, err)

	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(export.JSONSchema()))
	require.NoError(t, err)
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	require.NoError(t, c.AddResource("export.schema.json", doc))
	sch, err := c.Compile("export.schema.json")
	require.NoError(t, err)
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(raw))
	require.NoError(t, err)
	if err := sch.Validate(inst); err != nil {
		t.Errorf("G5: the walkthrough's export does not validate against the schema: %#v", err)
	}
	require.NotContains(t, string(raw), "null", "G5: an empty list is [], never null")
}
