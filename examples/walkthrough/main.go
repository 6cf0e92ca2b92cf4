// Command walkthrough shows Dossierwacht at work on one employer and its
// employees: every step prints what happened and the rule behind it, so
// that a person can understand the library from its output alone. It is the
// README's main job:
//
//	go run ./examples/walkthrough
//
// It is a thin layer over the front door, [dossierwacht.Service]: every step
// is a verb of the Service with the actor who takes it, decided, audited and
// timed by the Service. The walkthrough owns the Service's clock and moves
// it forward between acts; that is how "two years later" happens.
//
// Everything is kept in one SQLite file, the embedded default, in the
// directory named by -out (default walkthrough-output): dossiers.db, with
// the subject's export beside it (export.json, export.nl.html,
// export.en.html). A new run starts that file afresh; the export files are
// overwritten. The output fits 100 columns.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/dossierwacht/dossierwacht/privacy"
)

func main() {
	out := flag.String("out", "walkthrough-output", "directory for the SQLite file and the subject's export")
	flag.Parse()
	if err := run(context.Background(), os.Stdout, *out); err != nil {
		fmt.Fprintln(os.Stderr, "walkthrough:", err)
		os.Exit(1)
	}
}

// run plays the walkthrough, writing to w and the files to outDir.
func run(ctx context.Context, w io.Writer, outDir string) (err error) {
	p := &printer{w: w}
	wt, err := newWorld(ctx, p, outDir)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, wt.close()) }()
	for _, step := range []func(context.Context) error{
		wt.openCases,
		wt.sickReport,
		wt.refuseForbidden,
		wt.showViews,
		wt.listForEmployer,
		wt.discloseToEmployer,
		wt.subjectAccess,
		wt.restrictProcessing,
		wt.sweepRetention,
		wt.verifyAudit,
		wt.summary,
	} {
		if err := step(ctx); err != nil {
			return err
		}
	}
	return p.err
}

// printer writes the walkthrough's lines and keeps the first write error.
type printer struct {
	w   io.Writer
	err error
}

func (p *printer) printf(format string, args ...any) {
	if p.err == nil {
		_, p.err = fmt.Fprintf(p.w, format, args...)
	}
}

// why is a refusal as a person reads it: the rule and the sentence behind
// it, without the chain of Go operations that carried it. A refusal that
// names no rule (not found, where knowing would tell too much) says so.
func why(err error) string {
	rule := privacy.RuleOf(err)
	msg := ""
	for e := err; e != nil && msg == ""; {
		var pe *privacy.Error
		if !errors.As(e, &pe) {
			break
		}
		msg, e = pe.Msg, pe.Err
	}
	switch {
	case errors.Is(err, privacy.ErrNotFound):
		return "not found"
	case rule != "" && msg != "":
		return "rule " + string(rule) + ": " + msg
	case rule != "":
		return "rule " + string(rule)
	}
	return strings.TrimPrefix(msg, "privacy: ")
}

// plural is n and noun, with an s unless n is 1.
func plural(n int, noun string) string {
	if n == 1 {
		return fmt.Sprintf("%d %s", n, noun)
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
