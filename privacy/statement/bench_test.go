package statement_test

import (
	"io"
	"testing"

	"github.com/dossierwacht/dossierwacht/privacy"
	"github.com/dossierwacht/dossierwacht/privacy/statement"
)

// BenchmarkRenderStatement renders the Dutch Markdown statement of the
// strict policy (validation included).
func BenchmarkRenderStatement(b *testing.B) {
	p := privacy.Strict()
	b.ReportAllocs()
	for b.Loop() {
		if err := statement.Render(io.Discard, p, nil); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkRenderStatementHTML(b *testing.B) {
	p := privacy.Strict()
	opts := &statement.Options{Format: statement.HTML}
	b.ReportAllocs()
	for b.Loop() {
		if err := statement.Render(io.Discard, p, opts); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkRenderRegister(b *testing.B) {
	p := privacy.Strict()
	b.ReportAllocs()
	for b.Loop() {
		if err := statement.RenderRegister(io.Discard, p, nil); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkDiff(b *testing.B) {
	from, to := privacy.Strict(), nextVersion()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := statement.Diff(from, to); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkValidate is the share of the above that is the policy's own
// validation.
func BenchmarkValidate(b *testing.B) {
	p := privacy.Strict()
	b.ReportAllocs()
	for b.Loop() {
		if err := p.Validate(); err != nil {
			b.Fatal(err)
		}
	}
}
