package statement

import (
	"bytes"
	"strings"
)

// markdown lays d out as CommonMark. Every piece of text is escaped, so that
// a policy's strings (a controller's name, a citation) can neither start
// markup nor carry raw HTML into a page that renders the Markdown.
func markdown(buf *bytes.Buffer, d *document) {
	buf.WriteString("# ")
	buf.WriteString(mdEscape(d.Title))
	buf.WriteString("\n\n")
	for _, b := range d.Lead {
		mdBlock(buf, b)
	}
	for i := range d.Sections {
		mdSection(buf, &d.Sections[i])
	}
}

func mdSection(buf *bytes.Buffer, s *section) {
	buf.WriteString(strings.Repeat("#", s.Level))
	buf.WriteByte(' ')
	buf.WriteString(mdEscape(s.Title))
	buf.WriteString("\n\n")
	for _, b := range s.Blocks {
		mdBlock(buf, b)
	}
	for i := range s.Subs {
		mdSection(buf, &s.Subs[i])
	}
}

func mdBlock(buf *bytes.Buffer, b block) {
	switch b.Kind {
	case kindPara:
		mdLine(buf, b.Text, b.Cite)
	case kindList:
		for _, it := range b.Items {
			buf.WriteString("- ")
			mdLine(buf, it.Text, it.Cite)
		}
	case kindTable:
		mdRow(buf, b.Head)
		buf.WriteByte('|')
		for range b.Head {
			buf.WriteString("---|")
		}
		buf.WriteByte('\n')
		for _, r := range b.Rows {
			mdRow(buf, r)
		}
	}
	buf.WriteByte('\n')
}

func mdLine(buf *bytes.Buffer, text, cite string) {
	buf.WriteString(mdEscape(text))
	if cite != "" {
		buf.WriteByte(' ')
		buf.WriteString(mdEscape(cite))
	}
	buf.WriteByte('\n')
}

func mdRow(buf *bytes.Buffer, cells []string) {
	buf.WriteByte('|')
	for _, c := range cells {
		buf.WriteByte(' ')
		buf.WriteString(mdEscape(c))
		buf.WriteString(" |")
	}
	buf.WriteByte('\n')
}

// mdEscape backslash-escapes the ASCII punctuation that can start Markdown
// markup or raw HTML anywhere in a line, and the marker of a list or
// heading at its start. Text is one line already and trimmed (see clean),
// so no other block can start from it.
func mdEscape(s string) string {
	const special = "\\`*_[]<>|&#!~"
	lead := listMarker(s)
	if lead < 0 && !strings.ContainsAny(s, special) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 8)
	for i := 0; i < len(s); i++ {
		if i == lead || strings.IndexByte(special, s[i]) >= 0 {
			b.WriteByte('\\')
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// listMarker returns the index of the character that would make s open a
// list or a setext heading at the start of a line ("- x", "+ x", "1. x",
// "2) x", "==="), or -1.
func listMarker(s string) int {
	if len(s) >= 2 && (s[0] == '-' || s[0] == '+' || s[0] == '=') && (s[1] == ' ' || s[1] == '-' || s[1] == '=') {
		return 0
	}
	i := 0
	for i < len(s) && i < 10 && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	if i > 0 && i < len(s) && (s[i] == '.' || s[i] == ')') && (i+1 == len(s) || s[i+1] == ' ') {
		return i
	}
	return -1
}
