package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestWalkthrough runs the walkthrough and checks that every step happened
// and names its rule, and that the export files were written.
func TestWalkthrough(t *testing.T) {
	out := t.TempDir()
	var buf bytes.Buffer
	if err := run(context.Background(), &buf, out); err != nil {
		t.Fatalf("run: %v\n%s", err, buf.String())
	}
	got := buf.String()
	for _, want := range []string{
		// the policy and the store (O16, O6)
		"policy strict version 1.0.0, in force from 2018-05-25 (rule O16)",
		"medical records in a table of their own (rule O6)",
		// every case kind, and purpose limitation (O2, R5)
		"employee-bram   case-bram-consultation    consultation",
		"employee-eva    case-eva-reintegration    reintegration",
		"a case for marketing is refused: privacy: open case: rule R5",
		// the sick report (N1)
		"employer-contact-bert writes 4 sick-report facts: allowed (rule N1)",
		"employer-contact-bert writes an incapacity percentage of its own: denied by N1",
		"recorded rec-medical     in the separate medical file (rule O6)",
		// a forbidden category (O5)
		"refused: privacy: validate record: rule O5",
		"stored afterwards: false (rule O5)",
		// what each role sees (O9, O11, N2, N3, R7, O4, N4, O6, R8, R12)
		"rec-reason text                    - (O9)            - (O9)            shown (N4)        shown (O4)        - (R8)            - (R12)",
		"rec-medical text                   - (O6)            - (O6)            - (O6)            shown (O6)        - (O6)            - (R12)",
		"rec-capacity limitations           shown (N2)        - (N3)",
		"rec-identity city                  shown (O9)        - (O11)",
		"view for administrator-adam     0 records",
		// the employer's listing (O10)
		"employer-contact-bert knows of 3 of 5 cases: case-anna-absence, case-dana-preventive, case-eva-reintegration",
		// a disclosure refused, consented, allowed, revoked (O14, R6, G1)
		"rec-plan-note to employer-bakery without consent: denied by O14",
		"recorded grant-anna-bakery: written consent",
		"rec-plan-note to employer-bakery with consent: allowed by O14 (written-consent) on [grant-anna-bakery]",
		"rec-plan-note to employer-bakery after revocation: denied by O14",
		"disclosure log: disclosure-anna-2, rec-plan-note to employer-bakery",
		// a subject access request with its deadline, exported (R11, G2, O13, G5, N11)
		"filed req-anna-access (access, written) on 2026-03-05: answer due 2026-04-02 (rule R11",
		"1 medical withheld until the physician releases them (rule O13)",
		"JSON schema dossierwacht.export/v1, rule G5",
		"fee 0 cents (rule N11: the first copy is free), late false",
		// closed, time moved on, swept with proof (O12, N7, G4)
		"sweep on 2028-03-17 under strict@1.0.0: 6 records examined, 5 deleted, 0 held",
		"proof: deleted rec-reason (absence-reason) of case case-anna-absence on 2028-03-17, rule O12",
		"tell employer-bakery of the erasure of [rec-plan-note] (rule G4)",
		"still kept: rec-medical (medical, case case-anna-absence): scheduled from 2046-07-01 (maximum), rule N7",
		"the same sweep again deletes 0: sweeps are idempotent",
		// the audit trail, verified and tampered with (G7, N9)
		"hash-chained; chain verified up to event",
		"she may ask who (rule N9)",
		"altered (rule G7)",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("walkthrough output lacks %q", want)
		}
	}
	if t.Failed() {
		t.Logf("output:\n%s", got)
	}
	// The export files: a JSON export that names its schema, and pages in
	// both languages.
	data, err := os.ReadFile(filepath.Join(out, "export.json"))
	if err != nil {
		t.Fatal(err)
	}
	var head struct{ Schema string }
	if err := json.Unmarshal(data, &head); err != nil || head.Schema != "dossierwacht.export/v1" {
		t.Errorf("export.json: schema %q, %v", head.Schema, err)
	}
	for _, page := range []string{"export.nl.html", "export.en.html"} {
		b, err := os.ReadFile(filepath.Join(out, page))
		if err != nil || !bytes.Contains(b, []byte("employee-anna")) {
			t.Errorf("%s: %v, or it does not name the subject", page, err)
		}
	}
}
