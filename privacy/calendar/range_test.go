package calendar

import "testing"

// TestRangeConstants checks the hard-coded ends of the representable range.
func TestRangeConstants(t *testing.T) {
	if got := daysFromCivil(1, 1, 1); got != minDays {
		t.Errorf("daysFromCivil(1, 1, 1) = %d, want minDays %d", got, minDays)
	}
	if got := daysFromCivil(maxYear, 12, 31); got != maxDays {
		t.Errorf("daysFromCivil(maxYear, 12, 31) = %d, want maxDays %d", got, maxDays)
	}
	if d := fromDays(maxDays); d != (Date{maxYear, 12, 31}) {
		t.Errorf("fromDays(maxDays) = %+v", d)
	}
	if d := fromDays(minDays); d != (Date{1, 1, 1}) {
		t.Errorf("fromDays(minDays) = %+v", d)
	}
}
