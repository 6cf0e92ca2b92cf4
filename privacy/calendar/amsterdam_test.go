package calendar

import (
	"testing"
	"time"
)

func TestAmsterdam(t *testing.T) {
	loc := Amsterdam()
	if loc == nil || loc != Amsterdam() {
		t.Fatalf("Amsterdam() = %v, want the same non-nil location every time", loc)
	}
	if loc.String() != "Europe/Amsterdam" {
		t.Errorf("Amsterdam().String() = %q", loc)
	}
}

// TestAmsterdamRule checks the fallback zone by itself: summer time from the
// last Sunday of March to the last Sunday of October, at 01:00 UTC.
func TestAmsterdamRule(t *testing.T) {
	loc := amsterdamRule()
	tests := []struct {
		utc  time.Time
		name string
		off  int
	}{
		{time.Date(2026, 1, 15, 12, 0, 0, 0, time.UTC), "CET", 3600},
		{time.Date(2026, 3, 29, 0, 59, 59, 0, time.UTC), "CET", 3600},
		{time.Date(2026, 3, 29, 1, 0, 0, 0, time.UTC), "CEST", 7200},
		{time.Date(2026, 10, 25, 0, 59, 59, 0, time.UTC), "CEST", 7200},
		{time.Date(2026, 10, 25, 1, 0, 0, 0, time.UTC), "CET", 3600},
		{time.Date(2025, 3, 30, 1, 0, 0, 0, time.UTC), "CEST", 7200},
		{time.Date(2025, 3, 30, 0, 59, 0, 0, time.UTC), "CET", 3600},
		{time.Date(2027, 10, 31, 1, 0, 0, 0, time.UTC), "CET", 3600},
		{time.Date(2027, 10, 31, 0, 59, 0, 0, time.UTC), "CEST", 7200},
		{time.Date(2100, 7, 1, 0, 0, 0, 0, time.UTC), "CEST", 7200},
	}
	for _, tt := range tests {
		name, off := tt.utc.In(loc).Zone()
		if name != tt.name || off != tt.off {
			t.Errorf("%v in the fallback zone: %s %d, want %s %d", tt.utc, name, off, tt.name, tt.off)
		}
	}
	if got := DateIn(time.Date(2026, 3, 31, 23, 30, 0, 0, time.UTC), loc); got != (Date{2026, 4, 1}) {
		t.Errorf("DateIn(2026-03-31T23:30Z, fallback) = %v, want 2026-04-01", got)
	}
}

// TestAmsterdamRuleMatchesTZData compares the fallback zone with the time
// zone database hour by hour from 1996, when the current rule began.
func TestAmsterdamRuleMatchesTZData(t *testing.T) {
	db, err := time.LoadLocation("Europe/Amsterdam")
	if err != nil {
		t.Skipf("no time zone database to compare with: %v", err)
	}
	rule := amsterdamRule()
	end := time.Date(2040, 1, 1, 0, 0, 0, 0, time.UTC)
	for tm := time.Date(1996, 1, 1, 0, 0, 0, 0, time.UTC); tm.Before(end); tm = tm.Add(time.Hour) {
		n1, o1 := tm.In(db).Zone()
		n2, o2 := tm.In(rule).Zone()
		if n1 != n2 || o1 != o2 {
			t.Fatalf("%v: database says %s %d, fallback %s %d", tm, n1, o1, n2, o2)
		}
	}
}
