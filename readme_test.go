package dossierwacht_test

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestReadmeCommands keeps the README's two set-up commands true: there are
// exactly two, and .ci/run runs both of them as written.
func TestReadmeCommands(t *testing.T) {
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	ci, err := os.ReadFile(".ci/run")
	if err != nil {
		t.Fatal(err)
	}
	setup := regexp.MustCompile("(?s)## Set-up.*?```sh\n(.*?)```").FindSubmatch(readme)
	if setup == nil {
		t.Fatal("README has no Set-up section with a sh block")
	}
	var commands []string
	for _, line := range strings.Split(string(setup[1]), "\n") {
		if line = strings.TrimSpace(line); line != "" && !strings.HasPrefix(line, "#") {
			commands = append(commands, line)
		}
	}
	if len(commands) != 2 {
		t.Fatalf("README set-up has %d commands, want exactly 2: %q", len(commands), commands)
	}
	for _, c := range commands {
		if !strings.Contains(string(ci), c) {
			t.Errorf(".ci/run does not run the README command %q", c)
		}
	}
}

// TestReadmeRuleTableNamesRealTests keeps the README's rule table true:
// every test, fuzz target, benchmark or example it names as
// `package.Name` exists in that package, and every kit case it names as
// `kit` `Case` stands in that kit. A renamed or moved test fails here
// instead of leaving the table pointing at nothing.
func TestReadmeRuleTableNamesRealTests(t *testing.T) {
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	dirs := map[string]string{
		"dossierwacht": ".", "privacy": "privacy", "calendar": "privacy/calendar", "statement": "privacy/statement",
		"access": "access", "consent": "consent", "retention": "retention", "rights": "rights", "export": "export",
		"memstore": "memstore", "compliancetest": "compliancetest", "cmd/dossierwacht": "cmd/dossierwacht",
		"sqlitestore": "examples/sqlitestore", "pgstore": "examples/pgstore", "walkthrough": "examples/walkthrough",
		"httpservice": "examples/httpservice", "sqlcore": "examples/internal/sqlcore", "seal": "seal",
		"privacytest": "privacy/privacytest", "accesstest": "access/accesstest", "consenttest": "consent/consenttest",
		"retentiontest": "retention/retentiontest", "rightstest": "rights/rightstest", "sealtest": "seal/sealtest",
	}
	sources := map[string]string{}
	source := func(dir string) string {
		if s, ok := sources[dir]; ok {
			return s
		}
		files, _ := filepath.Glob(filepath.Join(dir, "*.go"))
		var b strings.Builder
		for _, f := range files {
			data, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			b.Write(data)
		}
		sources[dir] = b.String()
		return sources[dir]
	}
	named := regexp.MustCompile("`((?:cmd/)?[a-z]+)\\.((?:Test|Fuzz|Benchmark|Example)\\w*)")
	kitCase := regexp.MustCompile("`([a-z]+test)` `(\\w+)`")
	rows := 0
	for _, line := range strings.Split(string(readme), "\n") {
		if !strings.HasPrefix(line, "| ") || strings.Count(line, " | ") < 2 {
			continue
		}
		rows++
		for _, m := range named.FindAllStringSubmatch(line, -1) {
			dir, ok := dirs[m[1]]
			if !ok {
				continue
			}
			if !strings.Contains(source(dir), "func "+m[2]+"(") {
				t.Errorf("README names %s.%s, which %s does not have", m[1], m[2], dir)
			}
		}
		for _, m := range kitCase.FindAllStringSubmatch(line, -1) {
			if dir, ok := dirs[m[1]]; ok && !strings.Contains(source(dir), m[2]) {
				t.Errorf("README names the kit case %s %s, which %s does not have", m[1], m[2], dir)
			}
		}
	}
	// A name with no package, or with a brace of packages before it
	// (`{sqlitestore,pgstore}.TestX`), is looked for in every Go file of
	// the module: the table may name a test without its package only if
	// one exists.
	var all strings.Builder
	if err := filepath.WalkDir(".", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (strings.HasPrefix(d.Name(), ".") && path != "." || d.Name() == "testdata") {
			return filepath.SkipDir
		}
		if !d.IsDir() && strings.HasSuffix(path, ".go") {
			data, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			all.Write(data)
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	everywhere := all.String()
	bare := regexp.MustCompile("`(?:\\{[a-z,/]+\\}\\.)?((?:Test|Fuzz|Benchmark)[A-Za-z0-9_]*)")
	for _, line := range strings.Split(string(readme), "\n") {
		if !strings.HasPrefix(line, "| ") || strings.Count(line, " | ") < 2 {
			continue
		}
		for _, m := range bare.FindAllStringSubmatch(line, -1) {
			if !strings.Contains(everywhere, "func "+m[1]+"(") {
				t.Errorf("README names %s, which no Go file of the module has", m[1])
			}
		}
	}
	if rows < 49 {
		t.Errorf("README's tables have %d rows, fewer than the catalog's 49 rules", rows)
	}
}
