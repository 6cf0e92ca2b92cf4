// Command walkthrough shows Dossierwacht at work on one employer and its
// employees: every step prints what happened and the rule behind it. It is
// the README's main job:
//
//	go -C examples run ./walkthrough
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"os"
)

func main() {
	if err := run(context.Background(), os.Stdout); err != nil {
		log.Fatal(err)
	}
}

// run plays the walkthrough, writing to w.
func run(ctx context.Context, w io.Writer) (err error) {
	p := &printer{w: w}
	wt, err := newWorld(ctx, p)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, wt.close()) }()
	for _, step := range []func(context.Context) error{
		wt.openCase,
		wt.refuseSpecialCategory,
		wt.printCase,
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
