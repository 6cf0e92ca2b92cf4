package rights_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/dossierwacht/dossierwacht/privacy"
	"github.com/dossierwacht/dossierwacht/rights"
)

// BenchmarkDeadline computes one answer deadline under the strict policy
// with the Dutch holidays.
func BenchmarkDeadline(b *testing.B) {
	b.ReportAllocs()
	rules := privacy.Strict().Requests
	for b.Loop() {
		if _, err := rights.Deadline(rules, t0, nil); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkFile files one request on memstore.
func BenchmarkFile(b *testing.B) {
	b.ReportAllocs()
	desk, _ := freshDesk(b)
	ctx := context.Background()
	i := 0
	for b.Loop() {
		i++
		if _, err := desk.File(ctx, as(carla, t0), rights.Filing{ID: rights.RequestID(fmt.Sprintf("req-%d", i)), Subject: anna,
			Kind: rights.KindAccess, Form: rights.FormWritten, Received: t0}); err != nil {
			b.Fatal(err)
		}
	}
}
