package pgstore_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"os/exec"
	"strings"
	"testing"

	"github.com/dossierwacht/dossierwacht/examples/pgstore"
	"github.com/dossierwacht/dossierwacht/seal"
	"github.com/dossierwacht/dossierwacht/seal/sealtest"
)

// TestSealed runs the kit of sealed stores over the PostgreSQL store:
// every package's kit through seal.Wrap, and the sealing's own cases.
func TestSealed(t *testing.T) {
	sealtest.Run(t, func(t *testing.T) seal.Backend { return pgstore.OpenForTest(t, nil) })
}

// TestSealedBackup is the proof of issue 17 on PostgreSQL: a pg_dump of
// the store's schemas taken before an erasure, restored into a database
// of its own beside the live key store, opens nothing of the erased
// subject.
func TestSealedBackup(t *testing.T) {
	dsn := pgstore.DSNForTest(t)
	for _, tool := range []string{"pg_dump", "psql"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("SKIPPED: %s is not installed: %v", tool, err)
		}
	}
	schema := pgstore.SchemaForTest(t)
	sealtest.RunBackup(t, sealtest.Copier{
		New: func(t *testing.T) seal.Backend { return pgstore.OpenForTest(t, &pgstore.Options{Schema: schema}) },
		Backup: func(t *testing.T, _ seal.Backend) ([]byte, func(t *testing.T) seal.Backend) {
			dump, err := exec.Command("pg_dump", "--no-owner", "--no-privileges",
				"--schema="+schema, "--schema="+schema+"_medical", "--dbname="+dsn).Output()
			if err != nil {
				t.Fatalf("pg_dump: %v", errText(err))
			}
			return dump, func(t *testing.T) seal.Backend {
				// The restore: a database of its own, the dump
				// played into it, the store opened on it.
				b := make([]byte, 6)
				_, _ = rand.Read(b)
				db := "dwseal_" + hex.EncodeToString(b)
				psql(t, dsn, "", "CREATE DATABASE "+db)
				t.Cleanup(func() { psql(t, dsn, "", "DROP DATABASE IF EXISTS "+db+" WITH (FORCE)") })
				u, err := url.Parse(dsn)
				if err != nil {
					t.Fatal(err)
				}
				u.Path = "/" + db
				psql(t, u.String(), string(dump), "")
				s, err := pgstore.Open(context.Background(), u.String(), &pgstore.Options{Schema: schema, NoMigrate: true})
				if err != nil {
					t.Fatalf("Open the restored copy: %v", err)
				}
				t.Cleanup(s.Close)
				return s
			}
		},
	})
}

// psql runs a command, or a script on its standard input, against dsn.
func psql(t *testing.T, dsn, script, command string) {
	t.Helper()
	args := []string{"--no-psqlrc", "--quiet", "-v", "ON_ERROR_STOP=1", "--dbname=" + dsn}
	if command != "" {
		args = append(args, "-c", command)
	}
	cmd := exec.Command("psql", args...)
	if script != "" {
		cmd.Stdin = stringsReader(script)
	}
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("psql: %v: %s", err, out)
	}
}

func stringsReader(s string) *strings.Reader { return strings.NewReader(s) }

func errText(err error) string {
	if ee, ok := err.(*exec.ExitError); ok {
		return err.Error() + ": " + string(ee.Stderr)
	}
	return err.Error()
}
