package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/dossierwacht/dossierwacht/privacy"
	"github.com/dossierwacht/dossierwacht/privacy/statement"
)

// maxPolicy bounds a policy file: a policy is a few kilobytes.
const maxPolicy = 4 << 20

// readPolicy reads and decodes the policy file at path. A file that cannot
// be read fails with exit status 2; a policy that does not decode or
// validate, with 1 and the path and rule of its first problem.
func (c *cli) readPolicy(cmd, path string) (*privacy.Policy, int) {
	f, err := os.Open(path)
	if err != nil {
		return nil, c.fail(cmd, "%s: cannot read the policy: %s", path, ioProblem(err))
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxPolicy+1))
	if err != nil {
		return nil, c.fail(cmd, "%s: cannot read the policy: %s", path, ioProblem(err))
	}
	if len(data) > maxPolicy {
		fmt.Fprintf(c.stderr, "%s: invalid: larger than %d bytes\n", path, maxPolicy)
		return nil, exitFailed
	}
	p, err := privacy.DecodePolicy(bytes.NewReader(data))
	if err != nil {
		fmt.Fprintf(c.stderr, "%s: invalid: %s\n", path, problem(err))
		return nil, exitFailed
	}
	return p, exitOK
}

// problem is a policy's problem as a person reads it: where in the file,
// the rule, and what is wrong, without the Go operations that carried it.
func problem(err error) string {
	var pe *privacy.Error
	if !errors.As(err, &pe) {
		return "the policy does not decode"
	}
	s := ""
	if pe.Path != "" {
		s = "at " + pe.Path + ": "
	}
	if r := privacy.RuleOf(err); r != "" {
		s += "rule " + string(r) + ": "
	}
	msg := pe.Msg
	for e := pe.Err; msg == "" && e != nil; {
		var inner *privacy.Error
		if !errors.As(e, &inner) {
			break
		}
		msg, e = inner.Msg, inner.Err
	}
	if msg == "" {
		msg = "not a valid policy"
	}
	return s + msg
}

// ioProblem is a file error without the Go operation: "no such file or
// directory", "permission denied".
func ioProblem(err error) string {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}

// validate: dossierwacht validate POLICY.json.
func validate(_ context.Context, c *cli, args []string) int {
	fs := c.flags("validate")
	files, code, ok := c.parse(fs, args, 1)
	if !ok {
		return code
	}
	p, code := c.readPolicy("validate", files[0])
	if p == nil {
		return code
	}
	if _, err := fmt.Fprintf(c.stdout, "%s: valid: policy %s version %s, in force from %s (rule O16)\n",
		files[0], p.Name, p.Version, p.Effective.Format("2006-01-02")); err != nil {
		return c.fail("validate", "cannot write: %s", ioProblem(err))
	}
	return exitOK
}

// docFlags are the flags of the documents: language and format.
type docFlags struct {
	lang, format string
}

func (d *docFlags) add(fs *flag.FlagSet) {
	fs.StringVar(&d.lang, "lang", "nl", "the language: nl (Dutch) or en (English)")
	fs.StringVar(&d.format, "format", "markdown", "the format: markdown or html (a standalone page)")
}

// options are the statement options the flags say, or an error.
func (d *docFlags) options() (*statement.Options, error) {
	o := &statement.Options{Language: statement.Language(d.lang), Format: statement.Format(d.format)}
	if o.Language != statement.Dutch && o.Language != statement.English {
		return nil, fmt.Errorf("-lang %q: want nl or en", d.lang)
	}
	if o.Format != statement.Markdown && o.Format != statement.HTML {
		return nil, fmt.Errorf("-format %q: want markdown or html", d.format)
	}
	return o, nil
}

// diff: dossierwacht diff OLD.json NEW.json.
func diff(_ context.Context, c *cli, args []string) int {
	fs := c.flags("diff")
	var d docFlags
	d.add(fs)
	files, code, ok := c.parse(fs, args, 2)
	if !ok {
		return code
	}
	opts, err := d.options()
	if err != nil {
		return c.fail("diff", "%s", err)
	}
	from, code := c.readPolicy("diff", files[0])
	if from == nil {
		return code
	}
	to, code := c.readPolicy("diff", files[1])
	if to == nil {
		return code
	}
	if err := statement.RenderDiff(c.stdout, from, to, opts); err != nil {
		return c.fail("diff", "cannot write: %s", problem(err))
	}
	return exitOK
}

// statementCmd: dossierwacht statement [-policy FILE].
func statementCmd(_ context.Context, c *cli, args []string) int {
	return c.document("statement", args, statement.Render)
}

// register: dossierwacht register [-policy FILE].
func register(_ context.Context, c *cli, args []string) int {
	return c.document("register", args, statement.RenderRegister)
}

// document renders the policy -policy names (privacy.Strict by default)
// with render.
func (c *cli) document(name string, args []string, render func(io.Writer, *privacy.Policy, *statement.Options) error) int {
	fs := c.flags(name)
	var d docFlags
	d.add(fs)
	policyFile := fs.String("policy", "", "the policy file (default: privacy.Strict, both regulations)")
	if _, code, ok := c.parse(fs, args, 0); !ok {
		return code
	}
	opts, err := d.options()
	if err != nil {
		return c.fail(name, "%s", err)
	}
	p, code := c.policy(name, *policyFile)
	if p == nil {
		return code
	}
	if err := render(c.stdout, p, opts); err != nil {
		return c.fail(name, "cannot write: %s", problem(err))
	}
	return exitOK
}

// policy is the policy file path names, or privacy.Strict without one.
func (c *cli) policy(cmd, path string) (*privacy.Policy, int) {
	if path == "" {
		return privacy.Strict(), exitOK
	}
	return c.readPolicy(cmd, path)
}
