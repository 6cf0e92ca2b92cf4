package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestWalkthrough runs the walkthrough and checks that every step happened
// through the front door and names its rule, that the output reads well
// (100 columns, no Go error chains, the counts explained, the database's
// path, a summary), and that the files were written.
func TestWalkthrough(t *testing.T) {
	out := t.TempDir()
	var buf bytes.Buffer
	if err := run(context.Background(), &buf, out); err != nil {
		t.Fatalf("run: %v\n%s", err, buf.String())
	}
	got := buf.String()
	for _, want := range []string{
		// the policy and the store (O16, O6), and where it lives
		"policy strict version 1.0.0, in force from 2018-05-25 (rule O16)",
		"the medical records in a table of their own (rule O6):\n  " + filepath.Join(out, "dossiers.db") + "\n",
		"timed by the Service's clock (rules O1, N9)",
		// every case kind, and purpose limitation (O8, O2, R5)
		"== 2026-03-02 09:00  Five employees, a case of each kind",
		"employee-bram  case-bram-consultation   consultation  for prevention",
		"employee-eva   case-eva-reintegration   reintegration for reintegration",
		"employer-contact-bert registered the employees (rule O8)",
		"a case for marketing is refused by\n  rule R5: the policy does not process for this purpose",
		// the sick report (N1), the records (R2, R4, O6, O10)
		"4 sick-report facts: allowed (rule N1)",
		"an incapacity percentage of its own: refused by\n  rule N1: the employer writes only",
		"recorded rec-reason      absence-reason by case-manager-carla    source subject  (rules R2, R4)",
		"recorded rec-medical     by physician-dirk, in the separate medical file (rule O6)",
		"recorded rec-visit       Bram's visit to the consultation hour, by physician-dirk (rule O10)",
		// a forbidden category (O5)
		"a record about religion: refused by\n  rule O5: category \"religion\" is never processed",
		"stored afterwards: nothing; carla's view of the case holds 4 records (rule O5)",
		// what each role sees (O9, O11, N2, N3, R7, O4, N4, O6, R8, R12)
		"rec-reason text                   - (O9)      - (O9)      shown (N4)  shown (O4)  - (R8)",
		"rec-medical text                  - (O6)      - (O6)      - (O6)      shown (O6)  - (O6)",
		"rec-capacity limitations          shown (N2)  - (N3)",
		"rec-identity city                 shown (O9)  - (O11)",
		"view for employer-contact-bert 3 records, 10 fields",
		"view for support-sam           1 record, 2 fields",
		"view for administrator-adam    not found, as if the case did not exist",
		"never content (rule R12)",
		// the employer's listing (O10)
		"employer-contact-bert knows of 3 of 5 cases:\n  case-anna-absence, case-dana-preventive, case-eva-reintegration",
		"not listed: case-bram-consultation, case-chris-periodic-exam:",
		// a disclosure refused, consented, allowed, revoked (O14, R6, G1, G4)
		"without consent: refused by\n  rule O14: needs the subject's written consent",
		"carla records grant-anna-bakery: Anna's written consent for [notes] to employer-bakery",
		"allowed by O14 (written-consent) on [grant-anna-bakery]",
		// a restriction of processing (GDPR art. 18): only Anna sees it, no one changes it, lifted after she is told
		"olga grants it: restriction restriction-req-anna-restrict (rule gdpr-18)",
		"Anna's  view shows rec-reason: true",
		"carla's view shows rec-reason: false",
		"carla's correction of rec-reason meanwhile: refused by\n  rule gdpr-18",
		"after telling Anna (GDPR art. 18(3));\n  carla's view shows rec-reason: true",
		"what goes: rec-plan-note text \"gradual return from week 3, mornings only\"",
		"employee-anna withdraws grant-anna-bakery",
		"after the withdrawal: refused by\n  rule O14",
		"her export's disclosure log: disclosure-anna-2, [rec-plan-note] to employer-bakery",
		// a subject access request with its deadline, exported (R11, G2, O13, G5, N9, N11)
		"carla files req-anna-access (access, written) on 2026-03-05: answer due 2026-04-02\n  (rule R11",
		"wrote export.json    1 case, 6 records (1 medical, 1 withheld), 1 disclosure,",
		"until the physician releases it\n  (rule O13)",
		"access events: the audit trail's entries about Anna's data so far",
		"the JSON follows schema dossierwacht.export/v1 (rule G5)",
		"fee 0 cents (rule N11: the first copy is free),\n  late: false",
		// closed, time moved on, swept with proof (O12, N7, G3, G4)
		"== 2026-03-16 09:00  Two years after the case closes",
		"Anna's employment ended on 2026-06-30 (rules O8, N7)",
		"2028-03-17: the clock moves on two years and a day",
		"privacy-officer-olga's dry run: 6 records would go",
		// 7 examined: a sweep now looks at every subject, for the stored
		// data besides records (issue 14), so it schedules the record of
		// an employee whose case has not closed too.
		"the sweep under strict@1.0.0: 7 examined, 6 deleted, 0 held by a legal hold (rule G3)",
		// Issue 14: the rest of what is stored, each kind by its rule. The
		// disclosure of the erased note goes with it (G4), the consent it
		// rested on and the answered requests two years on; the case stays
		// with its medical record (N7), and with it Anna. The other four
		// cases, open with nothing recorded for two years, end at their
		// last activity and go, their subjects with them (R9, O12).
		"  disclosure:  1 examined, 1 deleted, 0 held\n  grant:       1 examined, 1 deleted, 0 held",
		"  case:        5 examined, 4 deleted, 0 held\n  subject:     5 examined, 4 deleted, 0 held",
		"  the 4 other cases: left open with nothing recorded in them for two years,\n" +
			"    they ended at their last activity, and went with their employees (rules R9, O12)",
		"proof: rec-reason      absence-reason of case-anna-absence deleted 2028-03-17, rule O12",
		"tell employer-bakery of the erasure of [rec-plan-note]: it received them (rule G4)",
		"still kept, as her export says: rec-medical (medical) until 2046-06-30, rule N7:\n" +
			"    20 years after the employment ended",
		"the same sweep again deletes 0: sweeps are idempotent",
		// the audit trail, verified and tampered with (G7, N9)
		"employer-contact-bert read absence-reason: denied by rule O9",
		"case-manager-carla execute notes: denied by rule O14",
		"in 6 chains, one per subject",
		"intact (rule G7)",
		"now reads allowed",
		"altered (rule G7)",
		// the summary, and how to look at the file without Go
		"== What this showed\n- one front door",
		"go run ./cmd/dossierwacht verify -sqlite " + filepath.Join(out, "dossiers.db"),
	} {
		if !strings.Contains(got, want) {
			t.Errorf("walkthrough output lacks %q", want)
		}
	}
	// The output reads well: 100 columns (the temporary directory's path
	// aside, which is the reader's own), no Go error chains.
	chain := regexp.MustCompile(`\b[a-z]+: [a-z][a-z ]*: |\b(privacy|dossierwacht|access|retention|rights|sqlitestore): `)
	for i, line := range strings.Split(strings.ReplaceAll(got, out, "OUT"), "\n") {
		if n := len([]rune(line)); n > 100 {
			t.Errorf("line %d is %d columns wide: %q", i+1, n, line)
		}
		if m := chain.FindString(line); m != "" {
			t.Errorf("line %d carries a Go error chain (%q): %q", i+1, m, line)
		}
	}
	// The summary's command names the key and the checkpoints the
	// Service kept outside the file (rule G7), and with them the command
	// finds the edit too.
	if !strings.Contains(got, "-audit-key "+filepath.Join(out, "audit.key")+" -checkpoints "+filepath.Join(out, "checkpoints.json")) {
		t.Errorf("the summary's command does not name the key and the checkpoints")
	}
	if t.Failed() {
		t.Logf("output:\n%s", got)
	}
	// The files: the SQLite file, a JSON export that names its schema,
	// and pages in both languages.
	if _, err := os.Stat(filepath.Join(out, "dossiers.db")); err != nil {
		t.Errorf("the SQLite file: %v", err)
	}
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

// TestWalkthroughRunsTwice: a second run in the same directory starts
// from a new file and tells the same story.
func TestWalkthroughRunsTwice(t *testing.T) {
	out := t.TempDir()
	var first, second bytes.Buffer
	if err := run(context.Background(), &first, out); err != nil {
		t.Fatal(err)
	}
	if err := run(context.Background(), &second, out); err != nil {
		t.Fatalf("second run: %v", err)
	}
	if first.String() != second.String() {
		t.Errorf("the second run told another story")
	}
}
