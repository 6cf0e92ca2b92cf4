package dossierwacht_test

import (
	"os"
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
