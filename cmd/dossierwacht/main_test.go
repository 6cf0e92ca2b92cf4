package main

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/dossierwacht/dossierwacht"
	"github.com/dossierwacht/dossierwacht/examples/sqlitestore"
	"github.com/dossierwacht/dossierwacht/privacy"
)

// bin is the command, built once for the tests that run it.
var bin string

func TestMain(m *testing.M) {
	if os.Getenv(envDSN) == "" && os.Getenv(envRequire) != "1" {
		fmt.Fprintf(os.Stderr, "\n*** cmd/dossierwacht: %s is not set: the PostgreSQL tests SKIP. %s ***\n\n", envDSN, howToRun)
	}
	dir, err := os.MkdirTemp("", "dossierwacht-cmd-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	bin = filepath.Join(dir, "dossierwacht")
	build := exec.Command("go", "build", "-o", bin, ".")
	build.Stderr = os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "building the command:", err)
		os.RemoveAll(dir)
		os.Exit(2)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// result is one run of the command.
type result struct {
	stdout, stderr string
	code           int
}

// runCLI runs the command with args.
func runCLI(t *testing.T, args ...string) result {
	t.Helper()
	cmd := exec.Command(bin, args...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	var exit *exec.ExitError
	code := 0
	switch {
	case errors.As(err, &exit):
		code = exit.ExitCode()
	case err != nil:
		t.Fatalf("running %v: %v", args, err)
	}
	r := result{stdout: stdout.String(), stderr: stderr.String(), code: code}
	// Messages carry no personal data: no subject, no record content.
	for _, personal := range []string{"employee-anna", "back pain", "lumbar"} {
		if strings.Contains(r.stderr, personal) {
			t.Errorf("%v: standard error names %q: %s", args, personal, r.stderr)
		}
	}
	return r
}

// want checks the exit status of r and that its output holds the texts.
func (r result) want(t *testing.T, code int, stdout, stderr []string) {
	t.Helper()
	if r.code != code {
		t.Errorf("exit status %d, want %d\nstdout: %s\nstderr: %s", r.code, code, r.stdout, r.stderr)
	}
	for _, s := range stdout {
		if !strings.Contains(r.stdout, s) {
			t.Errorf("standard output lacks %q:\n%s", s, r.stdout)
		}
	}
	for _, s := range stderr {
		if !strings.Contains(r.stderr, s) {
			t.Errorf("standard error lacks %q:\n%s", s, r.stderr)
		}
	}
}

// writePolicy writes p, changed by edit (on its JSON form), to a file.
func writePolicy(t *testing.T, name string, p *privacy.Policy, edit func(map[string]any)) string {
	t.Helper()
	var buf bytes.Buffer
	if err := p.Encode(&buf); err != nil {
		t.Fatal(err)
	}
	if edit != nil {
		var m map[string]any
		if err := json.Unmarshal(buf.Bytes(), &m); err != nil {
			t.Fatal(err)
		}
		edit(m)
		buf.Reset()
		if err := json.NewEncoder(&buf).Encode(m); err != nil {
			t.Fatal(err)
		}
	}
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestUsage: no command, an unknown one or a bad flag is a usage error
// (2); help is not.
func TestUsage(t *testing.T) {
	runCLI(t).want(t, exitUsage, nil, []string{"Usage: dossierwacht COMMAND", "verify", "sweep"})
	runCLI(t, "frobnicate").want(t, exitUsage, nil, []string{`unknown command "frobnicate"`})
	runCLI(t, "help").want(t, exitOK, []string{"validate", "diff", "statement", "register", "verify", "sweep"}, nil)
	runCLI(t, "verify", "-h").want(t, exitOK, nil, []string{"-checkpoint [CHAIN=]SEQ:HASH", "-sqlite FILE", "-postgres DSN", "-audit-key FILE", "-checkpoints FILE"})
	runCLI(t, "validate", "-nope", "x.json").want(t, exitUsage, nil, []string{"flag provided but not defined: -nope"})
	runCLI(t, "validate").want(t, exitUsage, nil, []string{"want 1 argument(s), got 0"})
	runCLI(t, "diff", "a.json").want(t, exitUsage, nil, []string{"want 2 argument(s), got 1"})
}

// TestValidate: a valid policy passes; an invalid one fails with 1, the
// path and the rule of its first problem; a file that cannot be read is an
// I/O error (rule O16: the policy's version is named).
func TestValidate(t *testing.T) {
	good := writePolicy(t, "strict.json", privacy.Strict(), nil)
	runCLI(t, "validate", good).want(t, exitOK, []string{good + ": valid: policy strict version 1.0.0, in force from 2018-05-25"}, nil)

	// Rule O9: the employer never sees the absence reason.
	bad := writePolicy(t, "bad.json", privacy.Strict(), func(m map[string]any) {
		m["access"] = append(m["access"].([]any), map[string]any{"rule": "O9", "effect": "allow",
			"roles": []string{"employer-contact"}, "actions": []string{"read"}, "categories": []string{"absence-reason"},
			"reason": "the employer would like to know"})
	})
	r := runCLI(t, "validate", bad)
	r.want(t, exitFailed, nil, []string{bad + ": invalid: at access[", "rule O9: "})
	if strings.Contains(r.stderr, "privacy:") {
		t.Errorf("the problem is told as a Go error chain: %s", r.stderr)
	}
	unknown := writePolicy(t, "unknown.json", privacy.Strict(), func(m map[string]any) { m["surprise"] = true })
	runCLI(t, "validate", unknown).want(t, exitFailed, nil, []string{unknown + ": invalid:"})
	truncated := filepath.Join(t.TempDir(), "truncated.json")
	if err := os.WriteFile(truncated, []byte(`{"name": "strict",`), 0o600); err != nil {
		t.Fatal(err)
	}
	runCLI(t, "validate", truncated).want(t, exitFailed, nil, []string{truncated + ": invalid:"})
	missing := filepath.Join(t.TempDir(), "missing.json")
	runCLI(t, "validate", missing).want(t, exitUsage, nil, []string{missing + ": cannot read the policy: no such file or directory"})
}

// TestDiff: the changes from one version of a policy to the next, each
// with its rule, in either language and format (rule O16).
func TestDiff(t *testing.T) {
	old := writePolicy(t, "old.json", privacy.Strict(), nil)
	next := writePolicy(t, "new.json", privacy.Strict(), func(m map[string]any) {
		m["version"], m["effective"] = "1.1.0", "2027-01-01T00:00:00Z"
		m["retention"].([]any)[0].(map[string]any)["period"] = "P3Y"
	})
	runCLI(t, "diff", old, next).want(t, exitOK, []string{"1.0.0", "1.1.0", "Vanaf 1 januari 2027", "van 2 jaar naar 3 jaar", "(R9)"}, nil)
	runCLI(t, "diff", "-lang", "en", "-format", "html", old, next).want(t, exitOK,
		[]string{"<!DOCTYPE html>", `<html lang="en">`, "From 1 January 2027", "from 2 years to 3 years"}, nil)
	// Flags after the arguments work too.
	runCLI(t, "diff", old, next, "-lang", "en").want(t, exitOK, []string{"From 1 January 2027"}, nil)
	runCLI(t, "diff", "-lang", "de", old, next).want(t, exitUsage, nil, []string{`-lang "de": want nl or en`})
	bad := writePolicy(t, "bad.json", privacy.Strict(), func(m map[string]any) { m["version"] = "" })
	runCLI(t, "diff", old, bad).want(t, exitFailed, nil, []string{bad + ": invalid:"})
}

// TestDocuments: the privacy statement and the register, in Dutch and
// English, Markdown and HTML, of the strict policy or a policy file.
func TestDocuments(t *testing.T) {
	for _, c := range []struct {
		args []string
		want []string
	}{
		{[]string{"statement"}, []string{"# Privacyverklaring", "(O16)"}},
		{[]string{"statement", "-lang", "en"}, []string{"# Privacy statement", "Version 1.0.0, in force from 25 May 2018"}},
		{[]string{"statement", "-format", "html"}, []string{"<!DOCTYPE html>", `<html lang="nl">`}},
		{[]string{"register", "-lang", "en"}, []string{"# Record of processing activities", "(G6, O16)"}},
		{[]string{"register", "-lang", "en", "-format", "html"}, []string{"<!DOCTYPE html>", `<html lang="en">`}},
		{[]string{"register", "-policy", writePolicy(t, "p.json", privacy.RegulationO(), nil)}, []string{"#"}},
	} {
		t.Run(strings.Join(c.args, " "), func(t *testing.T) {
			runCLI(t, c.args...).want(t, exitOK, c.want, nil)
		})
	}
	runCLI(t, "statement", "-format", "pdf").want(t, exitUsage, nil, []string{`-format "pdf": want markdown or html`})
	runCLI(t, "register", "-policy", filepath.Join(t.TempDir(), "none.json")).want(t, exitUsage, nil, []string{"cannot read the policy"})
}

// The store the tests fill: Anna's absence case of 2020, closed two months
// later, with records of the case file and the medical file.
var (
	since    = time.Date(2020, time.March, 2, 9, 0, 0, 0, time.UTC)
	contract = privacy.Contract{ID: "contract-bakery", Party: "employer-bakery", PartyKind: privacy.PartyEmployer,
		Start: time.Date(2019, time.January, 1, 0, 0, 0, 0, time.UTC)}
)

// fill writes a small service's history to store through the front door,
// in 2020, and returns the number of records written.
func fill(t *testing.T, store dossierwacht.Store) int {
	t.Helper()
	ctx := context.Background()
	now := since
	svc, err := dossierwacht.Open(ctx, store, privacy.Strict(), &dossierwacht.Options{Clock: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	carla := dossierwacht.NewActor(privacy.Principal{ID: "case-manager-carla", Role: privacy.RoleCaseManager, Party: "service",
		Secrecy: privacy.SecrecyAgreement}, []privacy.CaseID{"case-anna"}, nil)
	dirk := dossierwacht.NewActor(privacy.Principal{ID: "physician-dirk", Role: privacy.RolePhysician, Party: "service",
		Secrecy: privacy.SecrecyProfessional, MultiFactor: true}, []privacy.CaseID{"case-anna"}, nil)
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	rec := func(id privacy.RecordID, c privacy.Category, f privacy.Field, v string) privacy.Record {
		return privacy.Record{ID: id, Case: "case-anna", Subject: "employee-anna", Category: c,
			Source: privacy.Source{Kind: privacy.PartyService}, Fields: map[privacy.Field]string{f: v}}
	}
	must(svc.RegisterSubject(ctx, carla, privacy.Subject{ID: "employee-anna", Employer: "employer-bakery"}))
	must(svc.OpenCase(ctx, carla, privacy.Case{ID: "case-anna", Subject: "employee-anna", Kind: privacy.CaseAbsence,
		Purpose: privacy.PurposeAbsenceGuidance, Contract: contract}))
	must(svc.AddRecords(ctx, carla, rec("rec-facts", privacy.CategoryAbsenceFacts, privacy.FieldFirstDay, "2020-03-02"),
		rec("rec-reason", privacy.CategoryAbsenceReason, privacy.FieldText, "back pain")))
	must(svc.AddRecords(ctx, dirk, rec("rec-medical", privacy.CategoryMedical, privacy.FieldText, "lumbar strain")))
	// Views are audited, every record shown or withheld (N9): the trail
	// has events whatever the store audits of the writes.
	for _, a := range []*dossierwacht.Actor{carla, dirk} {
		_, err := svc.View(ctx, a, "case-anna", privacy.PurposeAbsenceGuidance)
		must(err)
	}
	now = now.AddDate(0, 2, 0)
	must(svc.CloseCase(ctx, carla, "case-anna"))
	return 3
}

// sqliteStore returns the path of a SQLite store filled by fill.
func sqliteStore(t *testing.T) string {
	t.Helper()
	// A name a URI would misread, unless escaped.
	path := filepath.Join(t.TempDir(), "case files?#1", "dossiers.db")
	if err := os.Mkdir(filepath.Dir(path), 0o700); err != nil {
		t.Fatal(err)
	}
	store, err := sqlitestore.Open(context.Background(), path, nil)
	if err != nil {
		t.Fatal(err)
	}
	fill(t, store)
	if err := store.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}

var checkpointLine = regexp.MustCompile(`(?m)^checkpoint ((?:[^=\s]+=)?\d+:[0-9a-f]{64})$`)

// verifyStore runs the verify cases against the store the flags name;
// tamper, if not nil, changes event seq behind the store's back.
func verifyStore(t *testing.T, store []string, tamper func(t *testing.T, seq uint64)) {
	verify := func(extra ...string) result {
		return runCLI(t, append(append([]string{"verify", "-as", "officer-olga"}, store...), extra...)...)
	}
	r := verify()
	r.want(t, exitOK, []string{"audit trail intact: ", "events verified", "(rule G7)"}, nil)
	m := checkpointLine.FindStringSubmatch(r.stdout)
	if m == nil {
		t.Fatalf("verify printed no checkpoint SEQ:HASH:\n%s", r.stdout)
	}
	cp := m[1]
	// The checkpoint kept from the last run is reached unchanged; the
	// verification itself is in the trail, so the next checkpoint is
	// further on.
	r = verify("-checkpoint", cp)
	r.want(t, exitOK, []string{"it reaches the checkpoint given, " + strings.Split(cp, ":")[0] + ", unchanged"}, nil)
	if m := checkpointLine.FindStringSubmatch(r.stdout); m == nil || m[1] == cp {
		t.Errorf("the second verification reached %v, the same as the first (%s): the first was not audited (N9)", m, cp)
	}
	// A checkpoint the trail does not reach with that hash: a rewrite of
	// the whole trail, or a truncation (rule G7).
	seq := strings.Split(cp, ":")[0]
	verify("-checkpoint", seq+":"+strings.Repeat("0", 64)).want(t, exitFailed, nil, []string{"the audit trail was changed", "(rule G7)"})
	verify("-checkpoint", "99999:"+strings.Split(cp, ":")[1]).want(t, exitFailed, nil, []string{"the audit trail was changed"})
	for _, malformed := range []string{"12", "x:y", "0:" + strings.Repeat("0", 64), "3:abc"} {
		verify("-checkpoint", malformed).want(t, exitUsage, nil, []string{"-checkpoint: want SEQ:HASH"})
	}
	verify("-as", "not an id").want(t, exitUsage, nil, []string{"-as: not a valid ID"})
	if tamper == nil {
		return
	}
	tamper(t, 3)
	verify().want(t, exitFailed, nil, []string{"dossierwacht verify: the audit trail was changed: ", "event 3 altered (rule G7)"})
	verify("-checkpoint", cp).want(t, exitFailed, nil, []string{"event 3 altered"})
}

// sweepStore runs the dry-run cases against the store the flags name:
// the case closed in 2020, so its ordinary records are due; the medical
// one is kept; nothing is deleted.
func sweepStore(t *testing.T, store []string) {
	sweep := func(extra ...string) result {
		return runCLI(t, append(append([]string{"sweep", "-as", "officer-olga"}, store...), extra...)...)
	}
	r := sweep("-dry-run")
	r.want(t, exitOK, []string{"rec-facts (absence-facts, case case-anna): due", "rec-reason (absence-reason, case case-anna): due",
		"rule O12", "dry run under strict@1.0.0: a sweep now would delete 2 records; nothing was deleted"}, nil)
	if strings.Contains(r.stdout, "rec-medical") {
		t.Errorf("N7: the medical record would go:\n%s", r.stdout)
	}
	// Nothing was deleted: the same plan again.
	if again := sweep("-dry-run"); again.stdout != r.stdout {
		t.Errorf("the second dry run differs: something was deleted\nfirst:\n%s\nsecond:\n%s", r.stdout, again.stdout)
	}
	sweep().want(t, exitUsage, nil, []string{"this command only plans a sweep: add -dry-run"})
}

// TestSQLite: verify and the sweep's dry run against a SQLite file the
// test made, and the files the command will not open.
func TestSQLite(t *testing.T) {
	path := sqliteStore(t)
	store := []string{"-sqlite", path}
	t.Run("G7_verify_catches_a_changed_event", func(t *testing.T) {
		verifyStore(t, store, func(t *testing.T, seq uint64) {
			// As an attacker with write access to the file would.
			db, err := sql.Open("sqlite", (&url.URL{Scheme: "file", Path: filepath.ToSlash(path)}).String())
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			if _, err := db.Exec(`DROP TRIGGER audit_chain_no_update`); err != nil {
				t.Fatal(err)
			}
			if _, err := db.Exec(`UPDATE audit_events SET outcome = CASE outcome WHEN 'allowed' THEN 'denied' ELSE 'allowed' END WHERE seq = ?`, int64(seq)); err != nil {
				t.Fatal(err)
			}
		})
	})
	t.Run("R9_O12_sweep_dry_run_deletes_nothing", func(t *testing.T) { sweepStore(t, []string{"-sqlite", sqliteStore(t)}) })
	t.Run("N9_the_command_is_audited", func(t *testing.T) {
		path := sqliteStore(t)
		runCLI(t, "verify", "-sqlite", path, "-as", "officer-olga").want(t, exitOK, nil, nil)
		runCLI(t, "sweep", "-dry-run", "-sqlite", path, "-as", "officer-olga").want(t, exitOK, nil, nil)
		s, err := sqlitestore.Open(context.Background(), path, nil)
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		var last []privacy.Event
		for e, err := range s.Events(context.Background(), 0) {
			if err != nil {
				t.Fatal(err)
			}
			last = append(last, e)
		}
		last = last[len(last)-2:]
		for _, e := range last {
			if e.Principal != "officer-olga" || e.Role != privacy.RolePrivacyOfficer || e.Client != "cmd/dossierwacht" {
				t.Errorf("N9: the command's step was audited as %+v", e)
			}
		}
	})
	t.Run("not_a_store", func(t *testing.T) {
		missing := filepath.Join(t.TempDir(), "missing.db")
		runCLI(t, "verify", "-sqlite", missing).want(t, exitUsage, nil, []string{"no such file or directory"})
		if _, err := os.Stat(missing); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("verify created %s: %v", missing, err)
		}
		empty := filepath.Join(t.TempDir(), "empty.db")
		if err := os.WriteFile(empty, nil, 0o600); err != nil {
			t.Fatal(err)
		}
		runCLI(t, "sweep", "-dry-run", "-sqlite", empty).want(t, exitUsage, nil, []string{"not a Dossierwacht SQLite store"})
		if info, err := os.Stat(empty); err != nil || info.Size() != 0 {
			t.Errorf("the command wrote to a file that is not its store: %v", err)
		}
		runCLI(t, "verify").want(t, exitUsage, nil, []string{"give the store: -sqlite FILE or -postgres DSN"})
		runCLI(t, "verify", "-sqlite", path, "-postgres", "postgres://x").want(t, exitUsage, nil, []string{"(one of them)"})
	})
}
