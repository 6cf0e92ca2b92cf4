package pgstore

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// skipNotice is what a run without DOSSIERWACHT_POSTGRES_DSN tells.
const skipNotice = "\n*** examples/pgstore: " + envDSN + " is not set: the PostgreSQL tests SKIP; " + howToRun + " ***\n\n"

// noticeSkip says on standard error that the PostgreSQL tests skip. go
// test shows a passing package's output only with -v, so without it the
// notice goes to the standard error of the go command that runs this
// binary (its parent, on Linux), once per go command however many packages
// it tests, and to the binary's own standard error where that cannot be
// done.
func noticeSkip() {
	if testing.Verbose() {
		fmt.Fprint(os.Stderr, skipNotice)
		return
	}
	w, key, ok := parentStderr()
	if !ok {
		fmt.Fprint(os.Stderr, skipNotice)
		return
	}
	defer w.Close()
	if _, err := noticeOnce(filepath.Join(os.TempDir(), "dossierwacht-test-notices"), key, w, skipNotice); err != nil {
		fmt.Fprint(os.Stderr, skipNotice)
	}
}

// parentStderr opens the standard error of this process's parent, for
// appending, and returns a key that names the parent: its process ID and
// its start time, so that a later process with the same ID is another.
func parentStderr() (io.WriteCloser, string, bool) {
	ppid := os.Getppid()
	stat, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", ppid))
	if err != nil {
		return nil, "", false
	}
	// The fields after the command, which is in parentheses and may hold
	// anything: the start time is the 22nd field of the line, the 20th
	// after the command.
	i := strings.LastIndexByte(string(stat), ')')
	if i < 0 {
		return nil, "", false
	}
	fields := strings.Fields(string(stat[i+1:]))
	if len(fields) < 20 {
		return nil, "", false
	}
	f, err := os.OpenFile(fmt.Sprintf("/proc/%d/fd/2", ppid), os.O_WRONLY|os.O_APPEND, 0)
	if err != nil {
		return nil, "", false
	}
	return f, strconv.Itoa(ppid) + "-" + fields[19], true
}

// noticeOnce writes msg to w unless a notice with this key was written
// before: the first to create the marker file key in dir (O_EXCL) writes.
// It removes markers older than a day, left by earlier runs.
func noticeOnce(dir, key string, w io.Writer, msg string) (bool, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return false, err
	}
	f, err := os.OpenFile(filepath.Join(dir, key), os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, fs.ErrExist) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	f.Close()
	if old, err := os.ReadDir(dir); err == nil {
		for _, e := range old {
			if info, err := e.Info(); err == nil && time.Since(info.ModTime()) > 24*time.Hour {
				os.Remove(filepath.Join(dir, e.Name()))
			}
		}
	}
	_, err = io.WriteString(w, msg)
	return err == nil, err
}

// TestNoticeOnce: of the packages a go command tests, the first to notice
// tells; the rest keep quiet.
func TestNoticeOnce(t *testing.T) {
	dir := t.TempDir()
	var out strings.Builder
	for range 3 {
		if _, err := noticeOnce(dir, "123-456", &out, "skip\n"); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := noticeOnce(dir, "124-456", &out, "skip\n"); err != nil {
		t.Fatal(err)
	}
	if out.String() != "skip\nskip\n" {
		t.Errorf("notices written: %q, want one per key", out.String())
	}
	stale := filepath.Join(dir, "1-1")
	if err := os.WriteFile(stale, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	old := time.Now().Add(-48 * time.Hour)
	if err := os.Chtimes(stale, old, old); err != nil {
		t.Fatal(err)
	}
	if _, err := noticeOnce(dir, "125-456", &out, "skip\n"); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(stale); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("a marker two days old is still there: %v", err)
	}
}
