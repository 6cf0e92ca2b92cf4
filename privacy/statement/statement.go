package statement

import (
	"bytes"
	"io"

	"github.com/dossierwacht/dossierwacht/privacy"
)

// Language is the language a document is written in. Values are stable.
type Language string

// The languages.
const (
	Dutch   Language = "nl"
	English Language = "en"
)

// Format is how a document is laid out. Values are stable.
type Format string

// The formats.
const (
	// Markdown is CommonMark text; every string from the policy is
	// escaped, so that it neither starts markup nor carries raw HTML.
	Markdown Format = "markdown"
	// HTML is a complete, standalone HTML page (html/template, every
	// string escaped for its context).
	HTML Format = "html"
)

// Options say how to render. A nil *Options means Dutch Markdown with rule
// IDs.
type Options struct {
	// Language is Dutch or English; empty means Dutch.
	Language Language
	// Format is Markdown or HTML; empty means Markdown.
	Format Format
	// OmitRules leaves out the rule IDs that each paragraph otherwise
	// carries, discreetly, at its end ("(R9)"), for testers to trace it.
	OmitRules bool
}

type settings struct {
	l      lang
	format Format
	omit   bool
}

func (o *Options) settings(op string) (settings, error) {
	s := settings{l: nl, format: Markdown}
	if o == nil {
		return s, nil
	}
	switch o.Language {
	case Dutch, "":
	case English:
		s.l = en
	default:
		return s, &privacy.Error{Op: op, Kind: privacy.ErrInvalid, Path: "language", Msg: "want nl or en"}
	}
	switch o.Format {
	case Markdown, "":
	case HTML:
		s.format = HTML
	default:
		return s, &privacy.Error{Op: op, Kind: privacy.ErrInvalid, Path: "format", Msg: "want markdown or html"}
	}
	s.omit = o.OmitRules
	return s, nil
}

// check validates the policy a document is made from: a statement is only
// ever rendered from a policy the engines would accept, so that what it
// says is what they enforce.
func check(op string, p *privacy.Policy) error {
	if p == nil {
		return &privacy.Error{Op: op, Kind: privacy.ErrInvalid, Msg: "nil policy"}
	}
	if err := p.Validate(); err != nil {
		return &privacy.Error{Op: op, Kind: privacy.ErrInvalid, Rule: privacy.RuleOf(err), Msg: "policy does not validate", Err: err}
	}
	return nil
}

// Render writes the privacy statement of p to w: what is processed, why,
// who sees it, who receives it on which basis, how long it is kept, the
// subject's rights, where to complain, the controller and processor, and
// the policy's version and effective date (rules R1, R10, R13, O3, O15,
// O16, and the content of every other rule of the policy). Every sentence
// is made from p, so the statement changes when p does.
//
// Render fails with an error matching [privacy.ErrInvalid] when p is nil or
// does not validate, or when opts names an unknown language or format, and
// then writes nothing. A failing w gives an error matching
// [privacy.ErrUnavailable]. The document is built in memory and written
// with one Write call.
func Render(w io.Writer, p *privacy.Policy, opts *Options) error {
	const op = "render statement"
	if w == nil {
		return &privacy.Error{Op: op, Kind: privacy.ErrInvalid, Msg: "nil writer"}
	}
	s, err := opts.settings(op)
	if err != nil {
		return err
	}
	if err := check(op, p); err != nil {
		return err
	}
	d := buildStatement(p, s)
	return write(op, w, &d, s)
}

// RenderRegister writes the record of processing activities of p (rule
// G6, GDPR art. 30(1)): the controller, the purposes, the categories of
// data subjects and of personal data, the categories of recipients,
// transfers outside the EEA, the retention periods and a general
// description of the security measures. Errors as for [Render].
func RenderRegister(w io.Writer, p *privacy.Policy, opts *Options) error {
	const op = "render register"
	if w == nil {
		return &privacy.Error{Op: op, Kind: privacy.ErrInvalid, Msg: "nil writer"}
	}
	s, err := opts.settings(op)
	if err != nil {
		return err
	}
	if err := check(op, p); err != nil {
		return err
	}
	d := buildRegister(p, s)
	return write(op, w, &d, s)
}

func write(op string, w io.Writer, d *document, s settings) error {
	var buf bytes.Buffer
	buf.Grow(32 << 10)
	if s.format == HTML {
		if err := htmlPage(&buf, d); err != nil {
			return &privacy.Error{Op: op, Kind: privacy.ErrInvalid, Msg: "html template failed", Err: err}
		}
	} else {
		markdown(&buf, d)
	}
	if _, err := w.Write(buf.Bytes()); err != nil {
		return &privacy.Error{Op: op, Kind: privacy.ErrUnavailable, Msg: "write failed", Err: err}
	}
	return nil
}
