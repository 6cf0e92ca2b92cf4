package kitdiff

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/dossierwacht/dossierwacht/privacy/calendar"
)

type sample struct {
	Name   string
	At     time.Time
	Day    calendar.Date
	List   []string
	Fields map[string]string
	Flag   bool
}

func TestDiff(t *testing.T) {
	day, _ := calendar.NewDate(2026, time.March, 2)
	at := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	want := sample{Name: "a", At: at, Day: day}
	// The same instant in another zone, and nil against empty: equal.
	same := sample{Name: "a", At: at.In(time.FixedZone("CET", 3600)), Day: day, List: []string{}, Fields: map[string]string{}}
	if d := Diff(want, same); d != "" {
		t.Errorf("Diff(equal values) = %s", d)
	}
	lost := want
	lost.Day = calendar.Date{}
	if d := Diff(want, lost); !strings.Contains(d, "Day") {
		t.Errorf("Diff(a lost date) = %q, want it to name Day", d)
	}
	moved := want
	moved.At = at.Add(time.Microsecond)
	if d := Diff(want, moved); !strings.Contains(d, "At") {
		t.Errorf("Diff(a moved time) = %q, want it to name At", d)
	}
}

func TestUnset(t *testing.T) {
	got := Unset(sample{Name: "a", List: []string{"x"}}, "Flag")
	if want := []string{"At", "Day", "Fields"}; !slices.Equal(got, want) {
		t.Errorf("Unset = %v, want %v", got, want)
	}
	// Unexported fields are no adapter's business.
	type withHidden struct {
		Name   string
		hidden int
	}
	v := withHidden{Name: "a"}
	if got := Unset(v); len(got) != 0 || v.hidden != 0 {
		t.Errorf("Unset(unexported zero) = %v, want none", got)
	}
}
