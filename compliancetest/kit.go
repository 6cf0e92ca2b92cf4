package compliancetest

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"

	"github.com/dossierwacht/dossierwacht/privacy"
)

// Scenario is one check of one rule: a short story played against a
// fresh, empty [System] that fails when the system breaks the rule.
type Scenario struct {
	// Rule is the rule the scenario checks.
	Rule privacy.RuleID
	// Name says what it checks, in lower case with underscores, unique
	// within the rule.
	Name string
	// Check plays the scenario against sys, which must be new and empty.
	// It returns nil when the system obeys the rule, and otherwise a
	// [*Violation] whose message is a sentence that names the rule, such
	// as "O10: the employer learned of a consultation-hour visit without
	// the employee's consent".
	Check func(ctx context.Context, sys System) error
}

// String returns "<rule>/<name>", the name of the scenario's subtest.
func (s Scenario) String() string { return string(s.Rule) + "/" + s.Name }

// Violation is the failure of a scenario: the rule it checks, the
// scenario, what went wrong, in a sentence, and the error behind it, if
// any. Setup failures (the system could not open a case the rules allow)
// are violations too: the scenario could not show that the rule holds.
type Violation struct {
	Rule     privacy.RuleID
	Scenario string
	Msg      string
	Err      error
}

// Error returns "<rule>: <msg>", followed by ": <err>" when there is one.
func (v *Violation) Error() string {
	s := string(v.Rule) + ": " + v.Msg
	if v.Err != nil {
		s += ": " + v.Err.Error()
	}
	return s
}

// Unwrap returns the error behind the violation.
func (v *Violation) Unwrap() error { return v.Err }

// Scenarios returns every scenario of the kit, ordered by the rule's place
// in [privacy.Rules], then by name. Every rule of the catalog has at least
// one; a rule marked as text is checked against the published privacy
// statement. The slice is new on every call.
func Scenarios() []Scenario {
	order := map[privacy.RuleID]int{}
	for i, r := range privacy.Rules() {
		order[r.ID] = i
	}
	var out []Scenario
	for _, d := range scenarioDefs() {
		out = append(out, d.scenario())
	}
	slices.SortStableFunc(out, func(a, b Scenario) int {
		return cmp.Or(cmp.Compare(order[a.Rule], order[b.Rule]), cmp.Compare(a.Name, b.Name))
	})
	return out
}

// Run plays every scenario against a system made by newSystem, a new one
// per scenario, each in a subtest named "<rule>/<name>" (for instance
// "O10/employer_never_lists_consultation"), so that
//
//	go test -run 'TestCompliance/O10/'
//
// runs one rule. A failing scenario reports its [Violation], a sentence
// that names the rule.
func Run(t *testing.T, newSystem func(t *testing.T) System) {
	t.Helper()
	for _, s := range Scenarios() {
		t.Run(s.String(), func(t *testing.T) {
			sys := newSystem(t)
			if sys == nil {
				t.Fatal("newSystem returned nil")
			}
			if err := s.Check(t.Context(), sys); err != nil {
				t.Error(err)
			}
		})
	}
}

// def is a scenario as the kit writes it: a body that plays the story in a
// world and returns a failure made with world.fail or world.setup.
type def struct {
	rule privacy.RuleID
	name string
	body func(w *world) error
}

func (d def) scenario() Scenario {
	return Scenario{Rule: d.rule, Name: d.name, Check: func(ctx context.Context, sys System) (err error) {
		if l, ok := sys.(*LibrarySystem); sys == nil || (ok && l == nil) {
			return &Violation{Rule: d.rule, Scenario: d.name, Msg: "no system to check"}
		}
		defer func() {
			// A panicking system fails the scenario rather than the
			// whole test binary.
			if p := recover(); p != nil {
				err = &Violation{Rule: d.rule, Scenario: d.name, Msg: fmt.Sprintf("the system panicked: %v", p)}
			}
		}()
		w := &world{ctx: ctx, sys: sys, rule: d.rule, name: d.name}
		if err := d.body(w); err != nil {
			var v *Violation
			if errors.As(err, &v) {
				return v
			}
			return &Violation{Rule: d.rule, Scenario: d.name, Msg: "the scenario failed", Err: err}
		}
		return nil
	}}
}

// scenarioDefs gathers the scenarios of every family of rules.
func scenarioDefs() []def {
	return slices.Concat(documentScenarios(), regulationRScenarios(), regulationOScenarios(),
		gdprScenarios(), dutchLawScenarios(), storeGapScenarios(), gapDisclosureScenarios(), deskGapScenarios())
}
