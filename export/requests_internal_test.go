package export

import (
	"encoding/json"
	"slices"
	"testing"
)

// TestRequestVocabulary keeps the request vocabulary the export validates
// equal to its JSON Schema's enumerations, which TestExportSchemaEnums
// keeps equal to package rights' values: the export knows every kind,
// form, status, step and ground the desk records, and no other (rules
// R11, O13, G2, G5).
func TestRequestVocabulary(t *testing.T) {
	var schema struct {
		Defs map[string]struct {
			Enum []string `json:"enum"`
		} `json:"$defs"`
	}
	if err := json.Unmarshal(exportSchema, &schema); err != nil {
		t.Fatal(err)
	}
	for def, list := range map[string][]string{"requestKind": requestKinds, "form": requestForms,
		"status": requestStatuses, "step": stepKinds, "ground": grounds} {
		got, want := slices.Sorted(slices.Values(list)), slices.Sorted(slices.Values(schema.Defs[def].Enum))
		if len(want) == 0 || !slices.Equal(got, want) {
			t.Errorf("the export validates %s as %q, its schema's $defs/%s is %q", def, got, def, want)
		}
	}
	for _, k := range scopedKinds {
		if !slices.Contains(requestKinds, k) {
			t.Errorf("scoped kind %q is no kind", k)
		}
	}
}
