// Command dossierwacht is Dossierwacht for people who do not write Go: the
// privacy officer, the auditor, the person on call. It checks a policy
// file, shows what changes between two versions of a policy, renders the
// privacy statement and the register of processing activities, verifies
// the audit trail of a store, and plans a retention sweep without deleting
// anything.
//
// Usage:
//
//	dossierwacht validate POLICY.json
//	dossierwacht diff [-lang nl|en] [-format markdown|html] OLD.json NEW.json
//	dossierwacht statement [-policy FILE] [-lang nl|en] [-format markdown|html]
//	dossierwacht register [-policy FILE] [-lang nl|en] [-format markdown|html]
//	dossierwacht verify STORE [-checkpoint SEQ:HASH] [-policy FILE] [-as ID]
//	dossierwacht sweep -dry-run STORE [-policy FILE] [-as ID]
//
// where STORE is -sqlite FILE (an existing SQLite file of the adapter
// examples/sqlitestore) or -postgres DSN [-schema NAME] (a PostgreSQL
// database of examples/pgstore). Without -policy, the policy is
// privacy.Strict, both regulations at once. Documents go to standard
// output, in Dutch Markdown unless -lang and -format say otherwise.
//
// verify and sweep open the store through the front door,
// dossierwacht.Service, acting as the privacy officer named by -as (by
// default the user's login name): the verification and the dry run are
// written to the audit trail like every other operation (rules O1, N9).
// verify prints the checkpoint it reached as SEQ:HASH; keep it somewhere
// else and give it to the next run with -checkpoint, so that a rewrite of
// the whole trail, or its truncation, is caught too (rule G7). sweep only
// plans: it lists what a sweep would delete now, with the rule and reason
// of each record (rules R9, O12, N7, G3), and deletes nothing; the deletion
// itself runs in the service, by Service.Sweep.
//
// Exit status: 0 when all is well, 1 when the check failed (an invalid
// policy, a tampered audit trail), 2 for a usage error or an error reading
// or writing a file or a database. Messages go to standard error and carry
// no personal data: IDs, rule IDs and paths only.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
)

// The exit statuses.
const (
	exitOK     = 0 // all is well
	exitFailed = 1 // the check failed: an invalid policy, a tampered trail
	exitUsage  = 2 // a usage error, or an error reading or writing
)

// A command is one subcommand: its name, its arguments as the usage shows
// them, a line about it, and what runs it.
type command struct {
	name, args, about string
	run               func(ctx context.Context, c *cli, args []string) int
}

// commands are the subcommands, in the order the usage lists them. They
// are set by init: their functions look their usage up here.
var commands []command

func init() {
	commands = []command{
		{"validate", "POLICY.json", "check a policy file; the path and rule of the first problem", validate},
		{"diff", "[-lang nl|en] [-format markdown|html] OLD.json NEW.json",
			"what changes from one policy version to the next (rule O16)", diff},
		{"statement", "[-policy FILE] [-lang nl|en] [-format markdown|html]",
			"the privacy statement (rules R1, R10, R13, O3, O15, O16)", statementCmd},
		{"register", "[-policy FILE] [-lang nl|en] [-format markdown|html]",
			"the register of processing activities (rule G6)", register},
		{"verify", "(-sqlite FILE | -postgres DSN [-schema NAME]) [-checkpoint SEQ:HASH] [-policy FILE] [-as ID]",
			"verify the audit trail and print the checkpoint reached (rule G7)", verify},
		{"sweep", "-dry-run (-sqlite FILE | -postgres DSN [-schema NAME]) [-policy FILE] [-as ID]",
			"list what a retention sweep would delete now; delete nothing (rules R9, O12)", sweep},
	}
}

// cli is one run of the command: where it writes.
type cli struct {
	stdout, stderr io.Writer
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// run runs the command line args and returns the exit status.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	c := &cli{stdout: stdout, stderr: stderr}
	if len(args) == 0 {
		c.usage(stderr)
		return exitUsage
	}
	name := args[0]
	if name == "help" || name == "-h" || name == "-help" || name == "--help" {
		c.usage(stdout)
		return exitOK
	}
	for _, cmd := range commands {
		if cmd.name == name {
			return cmd.run(ctx, c, args[1:])
		}
	}
	fmt.Fprintf(stderr, "dossierwacht: unknown command %q\n\n", name)
	c.usage(stderr)
	return exitUsage
}

func (c *cli) usage(w io.Writer) {
	fmt.Fprintf(w, "Usage: dossierwacht COMMAND [flags] [arguments]\n\nCommands:\n")
	for _, cmd := range commands {
		fmt.Fprintf(w, "  %-10s %s\n", cmd.name, cmd.about)
	}
	fmt.Fprintf(w, "\nRun 'dossierwacht COMMAND -h' for its flags. Exit status: 0 all is well, 1 the check\n")
	fmt.Fprintf(w, "failed (an invalid policy, a tampered audit trail), 2 usage or I/O error.\n")
}

// flags returns the flag set of command name, writing its usage to the
// command's standard error.
func (c *cli) flags(name string) *flag.FlagSet {
	fs := flag.NewFlagSet("dossierwacht "+name, flag.ContinueOnError)
	fs.SetOutput(c.stderr)
	for _, cmd := range commands {
		if cmd.name == name {
			fs.Usage = func() {
				fmt.Fprintf(c.stderr, "Usage: dossierwacht %s %s\n\n%s.\n", name, cmd.args, strings.ToUpper(cmd.about[:1])+cmd.about[1:])
				if hasFlags(fs) {
					fmt.Fprintf(c.stderr, "\nFlags:\n")
					fs.PrintDefaults()
				}
			}
		}
	}
	return fs
}

func hasFlags(fs *flag.FlagSet) bool {
	n := 0
	fs.VisitAll(func(*flag.Flag) { n++ })
	return n > 0
}

// parse parses args with fs, flags and arguments in any order, and
// returns the arguments; want is how many it takes. It returns a non-zero
// exit status when the run ends here: help asked for (0), or a usage
// error (2).
func (c *cli) parse(fs *flag.FlagSet, args []string, want int) ([]string, int, bool) {
	var positional []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, exitOK, false
			}
			return nil, exitUsage, false
		}
		if fs.NArg() == 0 {
			break
		}
		positional = append(positional, fs.Arg(0))
		args = fs.Args()[1:]
	}
	if len(positional) != want {
		fmt.Fprintf(c.stderr, "%s: want %d argument(s), got %d\n", fs.Name(), want, len(positional))
		fs.Usage()
		return nil, exitUsage, false
	}
	return positional, exitOK, true
}

// fail reports a usage or I/O error of command name and returns its exit
// status.
func (c *cli) fail(name string, format string, args ...any) int {
	fmt.Fprintf(c.stderr, "dossierwacht %s: %s\n", name, fmt.Sprintf(format, args...))
	return exitUsage
}
