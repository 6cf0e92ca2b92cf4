package privacy_test

// The third attack review: a policy Validate accepts that keeps data far
// beyond the catalog's maxima. Each subtest FAILS on the code it was
// written against; the fix is not part of this file.

import (
	"testing"

	"github.com/dossierwacht/dossierwacht/privacy"
)

func TestAttack3Policy(t *testing.T) {
	// Rules R9, N7 (and O12: not kept longer than needed): regulation R
	// keeps data "until 2 years after the reintegration trajectory is
	// closed", N7 the reintegration file "at most 2 years after the
	// reintegration ends"; only statutory data is kept longer. Validate
	// checks statutory minimums but no maximum: a policy that keeps the
	// reintegration file (not statutory) 10000 years — forever — passes.
	t.Run("R9_N7_reintegration_file_kept_forever", func(t *testing.T) {
		p := privacy.Strict()
		changed := 0
		for i := range p.Retention {
			r := &p.Retention[i]
			if !r.Statutory && r.Trigger == privacy.TriggerCaseClosed {
				r.Period = privacy.Years(10000)
				changed++
			}
		}
		if changed == 0 {
			t.Fatal("no non-statutory rule running from a case's closing in the strict policy")
		}
		if err := p.Validate(); err == nil {
			t.Errorf("Validate accepts non-statutory retention of 10000 years after the case closes (%d rules)", changed)
		}
	})

	// Rules O12, R9 for the other kinds of stored data (issue 14 §1):
	// Data rules are checked for a citation and a reason, never for a
	// length: a policy that keeps the subjects' grants, requests, holds,
	// erasure requests, cases and master data 10000 years passes.
	t.Run("O12_data_kinds_kept_forever", func(t *testing.T) {
		p := privacy.Strict()
		for i := range p.Data {
			p.Data[i].Period = privacy.Years(10000)
		}
		if err := p.Validate(); err == nil {
			t.Errorf("Validate accepts keeping every kind of stored data 10000 years")
		}
	})
}
