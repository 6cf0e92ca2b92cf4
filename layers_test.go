package dossierwacht_test

import (
	"bufio"
	"bytes"
	"maps"
	"os/exec"
	"slices"
	"strings"
	"testing"
)

const module = "github.com/dossierwacht/dossierwacht"

// floors is the house, from the ground up. Every package of the module
// stands in one room on one floor; a package may import packages of its
// own room and of the floors below, never of a floor above (an arrow up)
// nor of another room on its own floor (an arrow sideways: rooms beside
// each other do not lean on each other; one that needs the other goes a
// floor up). Test files are exempt: a _test package may import anything.
//
//   - 0, privacy: the vocabulary every other package speaks — policies,
//     the case file and its Store — with its calendar, the processing
//     statement and the Store kit privacytest; and internal/words, the
//     vocabulary's names in Dutch and English. It imports nothing above.
//   - 1, access: who sees what, the audit trail; accesstest.
//   - 2, consent and retention, beside each other: both decide on top of
//     the vocabulary and may ask access (consent for the discloser's own
//     access check); consenttest, retentiontest.
//   - 3, export: the document of everything held about a subject (its
//     JSON form and schema, its page), written from the case file and the
//     sources it reads from consent, retention and the audit trail.
//   - 4, rights: a data subject's requests, which read the same sources
//     to decide an erasure and answer an access request with the export;
//     rightstest.
//   - 4½, seal: content sealed per subject, a wrapper of the union of
//     the stores below; the front door switches it on (Options.Vault),
//     so it stands under the front door and imports none of the adapters.
//   - 5, memstore and the front door (the root package), beside each other:
//     memstore implements the store of every package below it, so it
//     stands above them all; the front door wires the engines over any
//     store and must not pull in the in-memory one.
//   - 6, the SQL adapters (examples/sqlitestore, examples/pgstore and what
//     they share under examples/internal): like memstore, they implement
//     every store, over a database.
//   - 7, the top: compliancetest (the compliance kit, with the library as
//     reference system), the walkthrough, the HTTP service, the command
//     and internal/testworld (the world the tests of rights run in, on
//     memstore), which may use everything below, the adapters included.
//
// A room is a list of patterns: a path relative to the module ("." is the
// root package), or a prefix ending in "/..." for a path and everything
// under it; the longest pattern that matches a package places it. A
// package the floors do not place fails the test: a new package gets its
// place here on purpose.
var floors = [][]room{
	{{"privacy", []string{"privacy/...", "internal/kitdiff", "internal/words"}}},
	{{"access", []string{"access", "access/accesstest/..."}}},
	{
		{"consent", []string{"consent/..."}},
		{"retention", []string{"retention/..."}},
	},
	{{"export", []string{"export/..."}}},
	{{"rights", []string{"rights/..."}}},
	{{"seal", []string{"seal/..."}}},
	{
		{"memstore", []string{"memstore/..."}},
		{"front door", []string{"."}},
	},
	{{"adapters", []string{"examples/sqlitestore/...", "examples/pgstore/...", "examples/internal/..."}}},
	{
		{"compliancetest", []string{"compliancetest/..."}},
		{"walkthrough", []string{"examples/walkthrough/..."}},
		{"httpservice", []string{"examples/httpservice/..."}},
		{"commands", []string{"cmd/..."}},
		{"test world", []string{"internal/testworld"}},
		{"object kit", []string{"internal/objectkit"}},
	},
}

// A room is a named group of packages on one floor that may import each
// other.
type room struct {
	name     string
	patterns []string
}

// place is where a package stands.
type place struct {
	floor int
	room  string
	match int // length of the matching pattern, for the longest match
}

// placeOf returns where the package at path (relative to the module, "."
// for the root) stands, or false when no room holds it.
func placeOf(path string) (place, bool) {
	best, found := place{}, false
	for f, rooms := range floors {
		for _, r := range rooms {
			for _, p := range r.patterns {
				if !matches(p, path) || (found && len(p) <= best.match) {
					continue
				}
				best, found = place{floor: f, room: r.name, match: len(p)}, true
			}
		}
	}
	return best, found
}

func matches(pattern, path string) bool {
	if prefix, ok := strings.CutSuffix(pattern, "/..."); ok {
		return path == prefix || strings.HasPrefix(path, prefix+"/")
	}
	return path == pattern
}

// isKit reports whether the package at path is a test kit: its last
// element ends in "test" (privacytest, rightstest, compliancetest, …).
func isKit(path string) bool {
	return strings.HasSuffix(path[strings.LastIndex(path, "/")+1:], "test")
}

// imports returns, for every package of the module, the packages of the
// module its non-test files import, by paths relative to the module.
func imports(t *testing.T) map[string][]string {
	t.Helper()
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Fatalf("the go command is needed to read the import graph: %v", err)
	}
	cmd := exec.Command(goTool, "list", "-f", "{{.ImportPath}}{{range .Imports}} {{.}}{{end}}", "./...")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, stderr.Bytes())
	}
	rel := func(p string) (string, bool) {
		if p == module {
			return ".", true
		}
		r, ok := strings.CutPrefix(p, module+"/")
		return r, ok
	}
	graph := map[string][]string{}
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) == 0 {
			continue
		}
		from, ok := rel(fields[0])
		if !ok {
			t.Fatalf("go list named %s, outside the module", fields[0])
		}
		graph[from] = []string{}
		for _, imp := range fields[1:] {
			if to, ok := rel(imp); ok {
				graph[from] = append(graph[from], to)
			}
		}
	}
	if len(graph) == 0 {
		t.Fatal("go list found no packages")
	}
	return graph
}

// TestLayers keeps the arrows of the import graph pointing down: no
// package imports one on a floor above it or in another room on its own
// floor; a kit (xxxtest) imports neither memstore nor anything above its
// own room (it tests a store, it does not bring one); and below the top
// floor only kits import kits.
func TestLayers(t *testing.T) {
	graph := imports(t)
	for _, want := range []string{".", "privacy", "access", "consent", "retention", "export", "rights", "memstore"} {
		if _, ok := graph[want]; !ok {
			t.Errorf("go list did not list %q: is the test run from the module root?", want)
		}
	}
	top := len(floors) - 1
	for _, from := range slices.Sorted(maps.Keys(graph)) {
		tos := graph[from]
		pf, ok := placeOf(from)
		if !ok {
			t.Errorf("package %q stands on no floor: give it a room in floors (layers_test.go)", from)
			continue
		}
		for _, to := range tos {
			pt, ok := placeOf(to)
			switch {
			case !ok:
				continue // reported as its own package
			case pt.floor > pf.floor:
				t.Errorf("arrow up: %q (floor %d, %s) imports %q (floor %d, %s)", from, pf.floor, pf.room, to, pt.floor, pt.room)
			case pt.floor == pf.floor && pt.room != pf.room:
				t.Errorf("arrow sideways: %q (%s) imports %q (%s), beside it on floor %d", from, pf.room, to, pt.room, pf.floor)
			case isKit(from) && pt.room == "memstore":
				t.Errorf("kit %q imports memstore: a kit tests the store it is given and brings none", from)
			case isKit(to) && !isKit(from) && pf.floor < top:
				t.Errorf("%q imports the kit %q: below the top floor only kits and tests import kits", from, to)
			}
		}
	}
}

// TestLayersPlaces checks the placing itself on paths that exist and some
// that may come, so that a pattern cannot silently stop matching.
func TestLayersPlaces(t *testing.T) {
	for path, want := range map[string]string{
		".":                         "front door",
		"privacy":                   "privacy",
		"privacy/calendar":          "privacy",
		"privacy/statement":         "privacy",
		"privacy/privacytest":       "privacy",
		"access":                    "access",
		"access/accesstest":         "access",
		"internal/words":            "privacy",
		"export":                    "export",
		"rights":                    "rights",
		"rights/rightstest":         "rights",
		"consent/consenttest":       "consent",
		"retention/retentiontest":   "retention",
		"memstore":                  "memstore",
		"compliancetest":            "compliancetest",
		"examples/internal/sqlcore": "adapters",
		"examples/sqlitestore":      "adapters",
		"examples/walkthrough":      "walkthrough",
		"cmd/dossierwacht":          "commands",
		"internal/testworld":        "test world",
	} {
		p, ok := placeOf(path)
		if !ok || p.room != want {
			t.Errorf("placeOf(%q) = %+v, %v; want room %q", path, p, ok, want)
		}
	}
	for _, path := range []string{"accessx", "privacyx/y", "exports", "access/other", "access/rights"} {
		if p, ok := placeOf(path); ok {
			t.Errorf("placeOf(%q) = %+v, want no place", path, p)
		}
	}
}
