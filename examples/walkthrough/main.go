// Command walkthrough shows Dossierwacht at work on one employer and its
// employees: every step prints what happened and the rule behind it, so
// that a person can understand the library from its output alone. It is the
// README's main job:
//
//	go run ./examples/walkthrough
//
// The case file is kept in SQLite, the embedded default, in a temporary
// directory removed at the end; the subject's export is written to the
// directory named by -out (default walkthrough-output) and kept.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"os"
)

func main() {
	out := flag.String("out", "walkthrough-output", "directory for the subject's export files")
	flag.Parse()
	if err := run(context.Background(), os.Stdout, *out); err != nil {
		log.Fatal(err)
	}
}

// run plays the walkthrough, writing to w and the export files to outDir.
func run(ctx context.Context, w io.Writer, outDir string) (err error) {
	p := &printer{w: w}
	wt, err := newWorld(ctx, p, outDir)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, wt.close()) }()
	for _, step := range []func(context.Context) error{
		wt.openCases,
		wt.refuseForbidden,
		wt.showViews,
		wt.listForEmployer,
		wt.discloseToEmployer,
		wt.subjectAccess,
		wt.sweepRetention,
		wt.verifyAudit,
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

func (p *printer) section(title string) { p.printf("\n== %s\n", title) }
