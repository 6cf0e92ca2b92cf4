package compliancetest_test

import (
	"testing"

	"github.com/dossierwacht/dossierwacht/compliancetest"
)

// BenchmarkKit plays every scenario once against the library on memstore,
// each on a fresh system: the cost of one run of the whole kit.
func BenchmarkKit(b *testing.B) {
	b.ReportAllocs()
	scenarios := compliancetest.Scenarios()
	for b.Loop() {
		for _, s := range scenarios {
			if err := s.Check(b.Context(), newLibrary(b)); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ReportMetric(float64(len(scenarios)), "scenarios/op")
}
