package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
)

// TestWalkthrough runs the walkthrough and checks that every step happened
// and names its rule.
func TestWalkthrough(t *testing.T) {
	var out bytes.Buffer
	if err := run(context.Background(), &out); err != nil {
		t.Fatalf("run: %v\n%s", err, out.String())
	}
	for _, want := range []string{
		"policy strict version 1.0.0, in force from 2018-05-25 (rule O16)",
		"opened case-anna-absence for employee-anna under contract-bakery, purpose absence-guidance (rules O2, R5)",
		"recorded rec-medical in the separate medical file (rule O6)",
		"refused: privacy: validate record: rule O5",
		"stored afterwards: false (rule O5)",
		"rec-medical      medical         (medical file, physicians only: rule O6)",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("walkthrough output lacks %q\n%s", want, out.String())
		}
	}
}
