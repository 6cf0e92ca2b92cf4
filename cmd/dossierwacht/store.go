package main

import (
	"context"
	"database/sql"
	"errors"
	"flag"
	"fmt"
	"io"
	"maps"
	"net/url"
	"os"
	"os/user"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/dossierwacht/dossierwacht"
	"github.com/dossierwacht/dossierwacht/access"
	"github.com/dossierwacht/dossierwacht/examples/pgstore"
	"github.com/dossierwacht/dossierwacht/examples/sqlitestore"
	"github.com/dossierwacht/dossierwacht/privacy"
)

// storeFlags say which store to open and as whom.
type storeFlags struct {
	sqlite, postgres, schema string
	policy, as               string
	auditKey, checkpoints    string
}

func (s *storeFlags) add(fs *flag.FlagSet) {
	fs.StringVar(&s.sqlite, "sqlite", "", "the SQLite `FILE` of the store (it must exist)")
	fs.StringVar(&s.postgres, "postgres", "", "the PostgreSQL `DSN` of the store; a password is better kept in PGPASSWORD or ~/.pgpass")
	fs.StringVar(&s.schema, "schema", pgstore.DefaultSchema, "the PostgreSQL `NAME` of the store")
	fs.StringVar(&s.policy, "policy", "", "the policy `FILE` (default: privacy.Strict, both regulations)")
	fs.StringVar(&s.as, "as", defaultActor(), "the privacy officer's `ID`, as the audit trail records it")
	fs.StringVar(&s.auditKey, "audit-key", "", "the `FILE` that holds the key the store's audit chains are computed under (its bytes; rule G7)")
	fs.StringVar(&s.checkpoints, "checkpoints", "", "the checkpoint `FILE` kept outside the store: the trail is checked against it, and it is updated (rule G7)")
}

// defaultActor is the user's login name, if it is a valid ID.
func defaultActor() string {
	if u, err := user.Current(); err == nil && privacy.ValidID(u.Username) {
		return u.Username
	}
	return "dossierwacht-cli"
}

// opened is a Service over a store, with the actor it acts as and a way
// to close the store.
type opened struct {
	svc   *dossierwacht.Service
	actor *dossierwacht.Actor
	close func() error
}

// open opens the store the flags name through the front door, acting as
// the privacy officer. It returns a non-zero exit status when it fails.
func (c *cli) open(ctx context.Context, cmd string, f *storeFlags) (*opened, int) {
	if (f.sqlite == "") == (f.postgres == "") {
		return nil, c.fail(cmd, "give the store: -sqlite FILE or -postgres DSN (one of them)")
	}
	if !privacy.ValidID(f.as) {
		return nil, c.fail(cmd, "-as: not a valid ID (letters, digits, '-', '_', '.', ':', '@')")
	}
	policy, code := c.policy(cmd, f.policy)
	if policy == nil {
		return nil, code
	}
	var (
		store dossierwacht.Store
		done  func() error
		key   []byte
	)
	if f.auditKey != "" {
		var err error
		if key, err = os.ReadFile(f.auditKey); err != nil || len(key) == 0 {
			return nil, c.fail(cmd, "-audit-key: cannot read the key: %s", errors.Join(err, errors.New("an empty key")))
		}
	}
	if f.sqlite != "" {
		if err := checkSQLite(ctx, f.sqlite); err != nil {
			return nil, c.fail(cmd, "%s: %s", f.sqlite, err)
		}
		s, err := sqlitestore.Open(ctx, f.sqlite, &sqlitestore.Options{AuditKey: key})
		if err != nil {
			return nil, c.fail(cmd, "%s: cannot open the store: %s", f.sqlite, err)
		}
		store, done = s, s.Close
	} else {
		// The command never changes the schema: a store that is not at
		// the adapter's version is refused.
		s, err := pgstore.Open(ctx, f.postgres, &pgstore.Options{Schema: f.schema, NoMigrate: true, AuditKey: key})
		if err != nil {
			return nil, c.fail(cmd, "cannot open the PostgreSQL store (schema %s): %s", f.schema, err)
		}
		store, done = s, func() error { s.Close(); return nil }
	}
	var opts dossierwacht.Options
	if f.checkpoints != "" {
		opts.Checkpoints = access.NewFileCheckpoints(f.checkpoints)
	}
	svc, err := dossierwacht.Open(ctx, store, policy, &opts)
	if err != nil {
		return nil, c.fail(cmd, "cannot open the service: %s", errors.Join(err, done()))
	}
	host, _ := os.Hostname()
	actor := dossierwacht.NewActor(privacy.Principal{ID: privacy.PrincipalID(f.as), Role: privacy.RolePrivacyOfficer}, nil, nil)
	actor.AccessPoint, actor.Client = host, "cmd/dossierwacht"
	return &opened{svc: svc, actor: actor, close: done}, exitOK
}

// checkSQLite checks, without writing, that path is an existing SQLite file
// of the adapter: opening the store would otherwise create the file, or
// add the store's tables to somebody else's database.
func checkSQLite(ctx context.Context, path string) error {
	info, err := os.Stat(path)
	if err != nil {
		return errors.New(ioProblem(err))
	}
	if !info.Mode().IsRegular() {
		return errors.New("not a file")
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return err
	}
	// The driver the SQLite adapter registers, on the file's URI, read
	// only.
	uri := url.URL{Scheme: "file", Path: filepath.ToSlash(abs), RawQuery: "mode=ro"}
	db, err := sql.Open("sqlite", uri.String())
	if err != nil {
		return err
	}
	defer db.Close()
	var n int
	err = db.QueryRowContext(ctx, `SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'`).Scan(&n)
	if err != nil || n == 0 {
		return errors.New("not a Dossierwacht SQLite store")
	}
	return nil
}

// parseCheckpoint reads a checkpoint written as SEQ:HASH, the sequence
// number and the 64 hex digits of the event's hash, as verify prints it.
func parseCheckpoint(s string) (access.Checkpoint, error) {
	seq, hash, ok := strings.Cut(s, ":")
	if !ok {
		return access.Checkpoint{}, errors.New("want SEQ:HASH")
	}
	n, err := strconv.ParseUint(seq, 10, 64)
	if err != nil || n == 0 {
		return access.Checkpoint{}, errors.New("want SEQ:HASH, SEQ a number from 1")
	}
	cp := access.Checkpoint{Seq: n}
	if err := cp.Hash.UnmarshalText([]byte(hash)); err != nil {
		return access.Checkpoint{}, errors.New("want SEQ:HASH, HASH 64 hex digits")
	}
	return cp, nil
}

// parseChainCheckpoint reads a checkpoint of one chain: [CHAIN=]SEQ:HASH,
// where CHAIN is the subject whose chain it is (none: the service's own).
func parseChainCheckpoint(s string) (privacy.SubjectID, access.Checkpoint, error) {
	chain, rest, ok := strings.Cut(s, "=")
	if !ok {
		chain, rest = "", s
	} else if !privacy.ValidID(chain) {
		return "", access.Checkpoint{}, errors.New("want [CHAIN=]SEQ:HASH, CHAIN a subject's ID")
	}
	cp, err := parseCheckpoint(rest)
	return privacy.SubjectID(chain), cp, err
}

// verify: dossierwacht verify STORE [-checkpoint [CHAIN=]SEQ:HASH]...
func verify(ctx context.Context, c *cli, args []string) (code int) {
	fs := c.flags("verify")
	var f storeFlags
	f.add(fs)
	want := access.Heads{}
	var given []privacy.SubjectID
	fs.Func("checkpoint", "a checkpoint `[CHAIN=]SEQ:HASH` kept from an earlier run, of the service's chain or a subject's (repeat for more): the trail must reach it unchanged",
		func(v string) error {
			chain, cp, err := parseChainCheckpoint(v)
			if err != nil {
				return err
			}
			want[chain] = cp
			given = append(given, chain)
			return nil
		})
	if _, code, ok := c.parse(fs, args, 0); !ok {
		return code
	}
	o, code := c.open(ctx, "verify", &f)
	if o == nil {
		return code
	}
	defer func() {
		if err := o.close(); err != nil && code == exitOK {
			code = c.fail("verify", "cannot close the store: %s", err)
		}
	}()
	got, err := o.svc.VerifyAudit(ctx, o.actor, want)
	var ce *access.ChainError
	switch {
	case errors.Is(err, access.ErrTampered) && errors.As(err, &ce):
		// The chain is a subject's ID: personal data stays off standard
		// error.
		fmt.Fprintf(c.stderr, "dossierwacht verify: the audit trail was changed: event %d %s (rule G7)\n", ce.Seq, ce.Problem)
		return exitFailed
	case errors.Is(err, access.ErrDamaged) && errors.As(err, &ce):
		fmt.Fprintf(c.stderr, "dossierwacht verify: the audit trail is damaged: event %d %s (rule G7)\n", ce.Seq, ce.Problem)
		return exitFailed
	case errors.Is(err, access.ErrTampered):
		fmt.Fprintf(c.stderr, "dossierwacht verify: the audit trail was changed (rule G7)\n")
		return exitFailed
	case err != nil:
		return c.fail("verify", "cannot verify: %s", err)
	}
	return c.write("verify", func(w io.Writer) error {
		n := 0
		for _, cp := range got {
			n += int(cp.Seq)
		}
		_, err := fmt.Fprintf(w, "audit trail intact: %s verified in %s, each chained to the one before (rule G7)\n",
			plural(n, "event"), plural(len(got), "chain"))
		for _, chain := range given {
			if err == nil {
				_, err = fmt.Fprintf(w, "it reaches the checkpoint given, %s%d, unchanged\n", chainPrefix(chain), want[chain].Seq)
			}
		}
		// Rule G7: the head of every chain, to keep outside the store.
		for _, chain := range slices.Sorted(maps.Keys(got)) {
			if err == nil {
				_, err = fmt.Fprintf(w, "checkpoint %s%d:%s\n", chainPrefix(chain), got[chain].Seq, got[chain].Hash)
			}
		}
		return err
	})
}

// chainPrefix is how a checkpoint names its chain: "CHAIN=", nothing for
// the service's own.
func chainPrefix(chain privacy.SubjectID) string {
	if chain == "" {
		return ""
	}
	return string(chain) + "="
}

// sweep: dossierwacht sweep -dry-run STORE.
func sweep(ctx context.Context, c *cli, args []string) (code int) {
	fs := c.flags("sweep")
	var f storeFlags
	f.add(fs)
	dry := fs.Bool("dry-run", false, "required: list what a sweep would delete now, and delete nothing")
	if _, code, ok := c.parse(fs, args, 0); !ok {
		return code
	}
	if !*dry {
		return c.fail("sweep", "this command only plans a sweep: add -dry-run (the deletion runs in the service, by Service.Sweep)")
	}
	o, code := c.open(ctx, "sweep", &f)
	if o == nil {
		return code
	}
	defer func() {
		if err := o.close(); err != nil && code == exitOK {
			code = c.fail("sweep", "cannot close the store: %s", err)
		}
	}()
	plan, err := o.svc.PlanSweep(ctx, o.actor)
	if err != nil {
		return c.fail("sweep", "cannot plan the sweep: %s", err)
	}
	p := o.svc.Policy()
	return c.write("sweep", func(w io.Writer) error {
		for _, s := range plan.Records {
			if _, err := fmt.Fprintf(w, "%s\n", s); err != nil {
				return err
			}
		}
		// Rules R9, O12: the rest of what a sweep would remove.
		for _, s := range plan.Objects {
			if _, err := fmt.Fprintf(w, "%s\n", s); err != nil {
				return err
			}
		}
		what := plural(len(plan.Records), "record")
		if len(plan.Objects) > 0 {
			what += " and " + plural(len(plan.Objects), "other stored object")
		}
		_, err := fmt.Fprintf(w, "dry run under %s@%s: a sweep now would delete %s; nothing was deleted\n", p.Name, p.Version, what)
		return err
	})
}

// write runs out on the command's standard output.
func (c *cli) write(cmd string, out func(io.Writer) error) int {
	if err := out(c.stdout); err != nil {
		return c.fail(cmd, "cannot write: %s", ioProblem(err))
	}
	return exitOK
}

// plural is n and noun, with an s unless n is 1.
func plural(n int, noun string) string {
	if n == 1 {
		return fmt.Sprintf("%d %s", n, noun)
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
