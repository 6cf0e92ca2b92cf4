package compliancetest_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/dossierwacht/dossierwacht/compliancetest"
	"github.com/dossierwacht/dossierwacht/privacy"
)

// Deliberately broken systems: the library with one thing done wrong. The
// kit must catch each.

// showsReason shows the employer the reason for the sick report (breaks O9).
type showsReason struct{ compliancetest.System }

func (s showsReason) View(ctx context.Context, by compliancetest.Actor, c privacy.CaseID, purpose privacy.Purpose, at time.Time) ([]privacy.Record, error) {
	rs, err := s.System.View(ctx, by, c, purpose, at)
	if err != nil || by.Role != privacy.RoleEmployerContact {
		return rs, err
	}
	insider := compliancetest.Actor{Principal: privacy.Principal{ID: "insider", Role: privacy.RoleCaseManager,
		Party: "service-arbo", Secrecy: privacy.SecrecyAgreement}, Cases: []privacy.CaseID{c}}
	all, err := s.System.View(ctx, insider, c, purpose, at)
	if err != nil {
		return nil, err
	}
	for _, r := range all {
		if r.Category == privacy.CategoryAbsenceReason {
			rs = append(rs, r)
		}
	}
	return rs, nil
}

// listsEverything lists every case of the subject to whoever asks, the
// employer included (breaks O10).
type listsEverything struct{ compliancetest.System }

func (s listsEverything) Cases(ctx context.Context, by compliancetest.Actor, subject privacy.SubjectID, at time.Time) ([]privacy.CaseID, error) {
	self := compliancetest.Actor{Principal: privacy.Principal{ID: privacy.PrincipalID(subject), Role: privacy.RoleSubject, Subject: subject}}
	return s.System.Cases(ctx, self, subject, at)
}

// ignoresRevocation says yes to a revocation and does nothing (breaks R6
// and O14).
type ignoresRevocation struct{ compliancetest.System }

func (ignoresRevocation) Revoke(context.Context, privacy.SubjectID, string, time.Time) error {
	return nil
}

// ignoresHolds says yes to a legal hold and does not place it, so held
// records are deleted (breaks G3).
type ignoresHolds struct{ compliancetest.System }

func (ignoresHolds) Hold(context.Context, compliancetest.Hold) error { return nil }

// panics panics on every call.
type panics struct{ compliancetest.System }

func (panics) Open(context.Context, privacy.Subject, privacy.Case) error { panic("boom") }

func TestBrokenSystems(t *testing.T) {
	for _, tc := range []struct {
		name string
		wrap func(compliancetest.System) compliancetest.System
		// breaks are the scenarios that must fail, each with a message
		// that names its rule; others are the scenarios that may fail
		// besides, because they exercise the same broken step.
		breaks, others []string
	}{
		{"shows_the_absence_reason_to_the_employer", func(s compliancetest.System) compliancetest.System { return showsReason{s} },
			[]string{"O9/absence_reason_never_reaches_the_employer"},
			[]string{"O4/roles_see_only_their_categories", "O6/medical_only_for_the_assigned_physician"}},
		{"lists_consultation_cases_to_the_employer", func(s compliancetest.System) compliancetest.System { return listsEverything{s} },
			[]string{"O10/employer_never_lists_consultation", "O10/employer_never_lists_periodic_exam"}, nil},
		{"ignores_revocation", func(s compliancetest.System) compliancetest.System { return ignoresRevocation{s} },
			[]string{"R6/no_third_party_without_consent", "O14/disclosure_needs_written_consent"}, nil},
		{"deletes_held_records", func(s compliancetest.System) compliancetest.System { return ignoresHolds{s} },
			[]string{"G3/legal_hold_blocks_deletion"}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			failed := map[string]error{}
			for _, s := range compliancetest.Scenarios() {
				if err := s.Check(t.Context(), tc.wrap(newLibrary(t))); err != nil {
					failed[s.String()] = err
				}
			}
			for _, name := range tc.breaks {
				err, ok := failed[name]
				rule := name[:strings.IndexByte(name, '/')]
				switch {
				case !ok:
					t.Errorf("scenario %s passed against the broken system", name)
				case !strings.HasPrefix(err.Error(), rule+": "):
					t.Errorf("scenario %s failed with %q, which does not name rule %s", name, err, rule)
				default:
					t.Logf("%s: %v", name, err)
				}
			}
			for name, err := range failed {
				if !slices.Contains(tc.breaks, name) && !slices.Contains(tc.others, name) {
					t.Errorf("scenario %s failed as well: %v", name, err)
				}
			}
		})
	}
}

// TestCorrectSystemPassesEach plays each scenario once more directly, as
// the broken-system test does, against the unbroken library.
func TestCorrectSystemPassesEach(t *testing.T) {
	for _, s := range compliancetest.Scenarios() {
		if err := s.Check(t.Context(), newLibrary(t)); err != nil {
			t.Errorf("%s: %v", s, err)
		}
	}
}

// TestPanickingSystem checks that a system that panics fails the scenario
// with a violation instead of crashing the test binary.
func TestPanickingSystem(t *testing.T) {
	s := compliancetest.Scenarios()
	i := slices.IndexFunc(s, func(s compliancetest.Scenario) bool { return s.Rule == privacy.O5 })
	err := s[i].Check(t.Context(), panics{newLibrary(t)})
	if err == nil || !strings.HasPrefix(err.Error(), "O5: ") || !strings.Contains(err.Error(), "panicked") {
		t.Errorf("Check(panicking system) = %v, want an O5 violation saying the system panicked", err)
	}
}
