package statement_test

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/dossierwacht/dossierwacht/privacy"
	"github.com/dossierwacht/dossierwacht/privacy/statement"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// golden compares got with testdata/name, or rewrites it under -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the rendered document (run go test -update and review the diff):\n%s", path, firstDiff(string(want), string(got)))
	}
}

// firstDiff shows the first line where want and got differ.
func firstDiff(want, got string) string {
	wl, gl := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := 0; i < len(wl) || i < len(gl); i++ {
		var w, g string
		if i < len(wl) {
			w = wl[i]
		}
		if i < len(gl) {
			g = gl[i]
		}
		if w != g {
			return "line " + strconv.Itoa(i+1) + ":\n  want: " + w + "\n  got:  " + g
		}
	}
	return "(no line differs)"
}

func render(t testing.TB, p *privacy.Policy, opts *statement.Options) string {
	t.Helper()
	var buf bytes.Buffer
	if err := statement.Render(&buf, p, opts); err != nil {
		t.Fatalf("Render(%s, %+v) = %v", p.Name, opts, err)
	}
	return buf.String()
}

func ready() []*privacy.Policy {
	return []*privacy.Policy{privacy.RegulationR(), privacy.RegulationO(), privacy.Strict()}
}

// TestGolden checks the rendered documents of the ready policies against
// the reviewed copies in testdata/: the Dutch statements (R1, R10, R13,
// O3, O15, O16), the English ones, one HTML page, the registers (G6) and a
// diff (O16).
func TestGolden(t *testing.T) {
	dutch := &statement.Options{Language: statement.Dutch, Format: statement.Markdown}
	english := &statement.Options{Language: statement.English, Format: statement.Markdown}
	for _, p := range ready() {
		t.Run(p.Name+".nl.md", func(t *testing.T) {
			golden(t, "statement-"+p.Name+".nl.md", []byte(render(t, p, dutch)))
		})
		t.Run(p.Name+".en.md", func(t *testing.T) {
			golden(t, "statement-"+p.Name+".en.md", []byte(render(t, p, english)))
		})
	}
	t.Run("strict.nl.html", func(t *testing.T) {
		golden(t, "statement-strict.nl.html", []byte(render(t, privacy.Strict(), &statement.Options{Format: statement.HTML})))
	})
	for _, o := range []*statement.Options{dutch, english} {
		t.Run("G6_register."+string(o.Language)+".md", func(t *testing.T) {
			var buf bytes.Buffer
			if err := statement.RenderRegister(&buf, privacy.Strict(), o); err != nil {
				t.Fatal(err)
			}
			golden(t, "register-strict."+string(o.Language)+".md", buf.Bytes())
		})
		t.Run("O16_diff."+string(o.Language)+".md", func(t *testing.T) {
			var buf bytes.Buffer
			if err := statement.RenderDiff(&buf, privacy.Strict(), nextVersion(), o); err != nil {
				t.Fatal(err)
			}
			golden(t, "diff-strict."+string(o.Language)+".md", buf.Bytes())
		})
	}
}
