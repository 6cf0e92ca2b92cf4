package statement

import (
	"strings"
	"unicode"

	"github.com/dossierwacht/dossierwacht/privacy"
)

// document is what every renderer draws: a title, lead paragraphs and
// sections of paragraphs, lists and tables. Builders fill it from a policy;
// renderers only lay it out, so that Markdown and HTML say the same thing.
type document struct {
	Lang     string // "nl" or "en", for the HTML lang attribute
	Title    string
	Lead     []block
	Sections []section
}

type section struct {
	Level  int // 2 or 3
	Title  string
	Blocks []block
	Subs   []section
}

type blockKind int

const (
	kindPara blockKind = iota
	kindList
	kindTable
)

type block struct {
	Kind  blockKind
	Text  string // paragraph text
	Cite  string // "(R9, G3)", or "" when rules are omitted or none apply
	Items []item
	Head  []string
	Rows  [][]string
}

type item struct {
	Text string
	Cite string
}

// IsPara, IsList and IsTable let the HTML template switch on a block's kind.
func (b block) IsPara() bool  { return b.Kind == kindPara }
func (b block) IsList() bool  { return b.Kind == kindList }
func (b block) IsTable() bool { return b.Kind == kindTable }

// citer formats rule IDs for a paragraph, or nothing when the caller asked
// to omit them.
type citer struct {
	omit bool
	regs []string // the regulations of the policy ("R", "O")
}

// ids formats rules as "(R9, G3)", without duplicates, in the order given.
func (c citer) ids(ids ...privacy.RuleID) string {
	if c.omit {
		return ""
	}
	var b strings.Builder
	seen := make(map[privacy.RuleID]bool, len(ids))
	for _, id := range ids {
		if id == "" || seen[id] {
			continue
		}
		seen[id] = true
		if b.Len() == 0 {
			b.WriteByte('(')
		} else {
			b.WriteString(", ")
		}
		b.WriteString(clean(string(id)))
	}
	if b.Len() == 0 {
		return ""
	}
	b.WriteByte(')')
	return b.String()
}

// reg formats rules like ids, but drops rules of regulation R or O when the
// policy does not implement that regulation: a text rule of one regulation
// (R10's complaints procedure, O15's) is cited only in its own statement.
func (c citer) reg(ids ...privacy.RuleID) string {
	keep := ids[:0:0]
	for _, id := range ids {
		r, ok := id.Describe()
		switch {
		case ok && r.Source == "regulation R" && !contains(c.regs, "R"):
		case ok && r.Source == "regulation O" && !contains(c.regs, "O"):
		default:
			keep = append(keep, id)
		}
	}
	return c.ids(keep...)
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func para(text, cite string) block { return block{Kind: kindPara, Text: text, Cite: cite} }

func list(items ...item) block { return block{Kind: kindList, Items: items} }

// clean makes a string that came from a policy safe to lay out: valid
// UTF-8, no control characters (a newline in a controller's name must not
// start a Markdown heading), no leading or trailing space, at most 500
// bytes.
func clean(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	if strings.IndexFunc(s, func(r rune) bool { return unicode.IsControl(r) || r == '\u2028' || r == '\u2029' }) >= 0 {
		s = strings.Map(func(r rune) rune {
			if unicode.IsControl(r) || r == '\u2028' || r == '\u2029' {
				return ' '
			}
			return r
		}, s)
	}
	s = strings.TrimSpace(s)
	const max = 500
	if len(s) > max {
		cut := max
		for cut > 0 && !utf8RuneStart(s[cut]) {
			cut--
		}
		s = s[:cut] + "…"
	}
	return s
}

func utf8RuneStart(b byte) bool { return b&0xC0 != 0x80 }
