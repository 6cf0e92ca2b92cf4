package compliancetest_test

import (
	"errors"
	"regexp"
	"strings"
	"testing"

	"github.com/dossierwacht/dossierwacht/compliancetest"
	"github.com/dossierwacht/dossierwacht/privacy"
)

// TestEveryRuleHasAScenario checks that every rule of the catalog, text
// rules included, has at least one scenario, and that every scenario names
// a rule of the catalog once, by a unique, well-formed name.
func TestEveryRuleHasAScenario(t *testing.T) {
	per := map[privacy.RuleID]int{}
	seen := map[string]bool{}
	name := regexp.MustCompile(`^[a-z0-9]+(_[a-z0-9]+)*$`)
	for _, s := range compliancetest.Scenarios() {
		if r, ok := s.Rule.Describe(); !ok || r.ID == privacy.RuleDefaultDeny {
			t.Errorf("scenario %s names no rule of the catalog", s)
		}
		if !name.MatchString(s.Name) {
			t.Errorf("scenario %s: name %q is not lower case words joined by underscores", s, s.Name)
		}
		if seen[s.String()] {
			t.Errorf("scenario %s appears twice", s)
		}
		if s.Check == nil {
			t.Errorf("scenario %s has no check", s)
		}
		seen[s.String()] = true
		per[s.Rule]++
	}
	for _, r := range privacy.Rules() {
		if per[r.ID] == 0 {
			kind := "rule"
			if r.Text {
				kind = "text rule"
			}
			t.Errorf("%s %s (%s) has no scenario", kind, r.ID, r.Title)
		}
	}
}

// TestScenariosOrdered checks that Scenarios follows the catalog's order
// and returns a new slice on every call.
func TestScenariosOrdered(t *testing.T) {
	order := map[privacy.RuleID]int{}
	for i, r := range privacy.Rules() {
		order[r.ID] = i
	}
	a := compliancetest.Scenarios()
	for i := 1; i < len(a); i++ {
		p, q := a[i-1], a[i]
		if order[p.Rule] > order[q.Rule] || (p.Rule == q.Rule && p.Name >= q.Name) {
			t.Errorf("Scenarios()[%d] = %s after %s", i, q, p)
		}
	}
	a[0].Name = "changed"
	if b := compliancetest.Scenarios(); b[0].Name == "changed" {
		t.Error("Scenarios() shares its slice between calls")
	}
}

func TestViolationError(t *testing.T) {
	cause := &privacy.Error{Op: "view", Kind: privacy.ErrForbidden, Rule: privacy.O10}
	for _, tc := range []struct {
		v    *compliancetest.Violation
		want string
	}{
		{&compliancetest.Violation{Rule: privacy.O10, Scenario: "x", Msg: "the employer learned of a consultation-hour visit without the employee's consent"},
			"O10: the employer learned of a consultation-hour visit without the employee's consent"},
		{&compliancetest.Violation{Rule: privacy.G5, Scenario: "y", Msg: "the export is not valid", Err: cause},
			"G5: the export is not valid: " + cause.Error()},
	} {
		if got := tc.v.Error(); got != tc.want {
			t.Errorf("Error() = %q, want %q", got, tc.want)
		}
	}
	v := &compliancetest.Violation{Rule: privacy.G5, Msg: "m", Err: cause}
	if !errors.Is(v, privacy.ErrForbidden) {
		t.Error("a Violation does not unwrap to its cause")
	}
}

// TestNilSystem checks that a scenario against no system fails with a
// violation rather than a panic.
func TestNilSystem(t *testing.T) {
	for _, s := range compliancetest.Scenarios()[:3] {
		err := s.Check(t.Context(), nil)
		var v *compliancetest.Violation
		if !errors.As(err, &v) || v.Rule != s.Rule || !strings.HasPrefix(err.Error(), string(s.Rule)+": ") {
			t.Errorf("%s.Check(nil) = %v, want a violation of %s", s, err, s.Rule)
		}
	}
}

// TestNilLibrarySystem checks that a library system that failed to build
// (the one-liner ignores the error) fails each scenario plainly.
func TestNilLibrarySystem(t *testing.T) {
	var sys *compliancetest.LibrarySystem
	s := compliancetest.Scenarios()[0]
	if err := s.Check(t.Context(), sys); err == nil || !strings.Contains(err.Error(), "no system to check") {
		t.Errorf("Check(nil *LibrarySystem) = %v, want a violation saying there is no system", err)
	}
}
