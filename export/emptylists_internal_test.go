package export

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/dossierwacht/dossierwacht/privacy"
)

// TestEmptyLists: the JSON form writes an empty list as [], and leaves out
// what it leaves out when empty, without changing the value it writes.
func TestEmptyLists(t *testing.T) {
	f := &Facts{
		Purposes: []PurposeFact{{Purpose: "absence-guidance", Rule: privacy.R5}},
		Rights:   []RightFact{{Right: RightAccess, Article: "GDPR art. 15", Rules: []privacy.RuleID{privacy.G1}}},
	}
	b, err := json.Marshal(emptyLists(reflect.ValueOf(f)).Interface())
	if err != nil {
		t.Fatal(err)
	}
	got := string(b)
	for _, want := range []string{`"case_kinds":[]`, `"categories":[]`, `"recipients":[]`, `"sources":[]`, `"rules":[]`,
		`"rules":["G1"]`} {
		if !strings.Contains(got, want) {
			t.Errorf("JSON %s lacks %s", got, want)
		}
	}
	if strings.Contains(got, "null") {
		t.Errorf("JSON %s holds null", got)
	}
	// Left out when empty, as before: a retention fact's categories.
	b, _ = json.Marshal(emptyLists(reflect.ValueOf(RetentionFact{Rule: privacy.R9})).Interface())
	if strings.Contains(string(b), "categories") {
		t.Errorf("JSON %s names a list that is left out when empty", b)
	}
	// The value written is not changed.
	if f.Purposes[0].CaseKinds != nil || f.Categories != nil || f.Complaint.Rules != nil {
		t.Errorf("emptyLists changed its argument: %+v", f)
	}
}
