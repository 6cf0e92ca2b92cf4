package dossierwacht_test

import (
	"context"
	"errors"
	"iter"
	"sync/atomic"
	"testing"
	"time"

	"github.com/dossierwacht/dossierwacht"
	"github.com/dossierwacht/dossierwacht/consent"
	"github.com/dossierwacht/dossierwacht/memstore"
	"github.com/dossierwacht/dossierwacht/privacy"
	"github.com/dossierwacht/dossierwacht/retention"
)

// countingStore counts the store's reads and writes on the paths a view,
// a decision and a listing take, so that a test can see that a hidden case
// and a missing one cost the same work.
type countingStore struct {
	*memstore.Store
	calls atomic.Int64
}

func (s *countingStore) Case(ctx context.Context, id privacy.CaseID) (privacy.Case, error) {
	s.calls.Add(1)
	return s.Store.Case(ctx, id)
}

func (s *countingStore) SubjectGrants(ctx context.Context, id privacy.SubjectID) ([]consent.Grant, error) {
	s.calls.Add(1)
	return s.Store.SubjectGrants(ctx, id)
}

func (s *countingStore) EmployerCoverage(ctx context.Context, e privacy.PartyID) ([]consent.Coverage, error) {
	s.calls.Add(1)
	return s.Store.EmployerCoverage(ctx, e)
}

func (s *countingStore) CaseRecords(ctx context.Context, id privacy.CaseID) iter.Seq2[privacy.Record, error] {
	s.calls.Add(1)
	return s.Store.CaseRecords(ctx, id)
}

func (s *countingStore) Dossier(ctx context.Context, id privacy.SubjectID) (retention.Dossier, error) {
	s.calls.Add(1)
	return s.Store.Dossier(ctx, id)
}

func (s *countingStore) SubjectCases(ctx context.Context, id privacy.SubjectID) ([]privacy.Case, error) {
	s.calls.Add(1)
	return s.Store.SubjectCases(ctx, id)
}

func (s *countingStore) AppendEvents(ctx context.Context, es ...privacy.Event) ([]privacy.Event, error) {
	s.calls.Add(1)
	return s.Store.AppendEvents(ctx, es...)
}

// TestHiddenAndMissingCostAlike: an employer asking after anna's
// consultation-hour visit, which it may not know of, and after a case
// that does not exist, gets the same error and costs the store the same
// reads and writes, on every verb that looks a case up (rule O10; N9: both
// are audited). An insurer likewise, for a case of an employer the
// coverage register says it does not cover (O11).
func TestHiddenAndMissingCostAlike(t *testing.T) {
	ctx := context.Background()
	store := &countingStore{Store: memstore.New()}
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	svc, err := dossierwacht.Open(ctx, store, privacy.Strict(), &dossierwacht.Options{Clock: func() time.Time { return now }})
	must(t, err)
	carla := dossierwacht.NewActor(privacy.Principal{ID: "carla", Role: privacy.RoleCaseManager, Party: "arbo",
		Secrecy: privacy.SecrecyAgreement}, []privacy.CaseID{"case-visit", "case-other"}, nil)
	must(t, svc.RegisterSubject(ctx, carla, privacy.Subject{ID: anna, Employer: bakery}))
	must(t, svc.OpenCase(ctx, carla, privacy.Case{ID: "case-visit", Subject: anna, Kind: privacy.CaseConsultation,
		Purpose: privacy.PurposePrevention, Contract: contract}))
	other := contract
	other.ID, other.Party = "contract-other", "butcher"
	must(t, svc.OpenCase(ctx, carla, privacy.Case{ID: "case-other", Subject: anna, Kind: privacy.CaseAbsence,
		Purpose: privacy.PurposeAbsenceGuidance, Contract: other}))
	bert := dossierwacht.NewActor(privacy.Principal{ID: "bert", Role: privacy.RoleEmployerContact, Party: bakery}, nil, nil)
	// The insurer claims the butcher; the register holds no such coverage.
	ida := dossierwacht.NewActor(privacy.Principal{ID: "ida", Role: privacy.RoleInsurer, Party: "insurer"}, nil, []privacy.PartyID{"butcher"})
	for _, tc := range []struct {
		name   string
		a      *dossierwacht.Actor
		hidden privacy.CaseID
		do     func(a *dossierwacht.Actor, id privacy.CaseID) error
	}{
		{"O10_view", bert, "case-visit", func(a *dossierwacht.Actor, id privacy.CaseID) error {
			_, err := svc.View(ctx, a, id, privacy.PurposePrevention)
			return err
		}},
		{"O10_decide", bert, "case-visit", func(a *dossierwacht.Actor, id privacy.CaseID) error {
			_, err := svc.Decide(ctx, a, id, privacy.ActionRead, privacy.CategoryConsultation, "")
			return err
		}},
		{"O10_close", bert, "case-visit", func(a *dossierwacht.Actor, id privacy.CaseID) error {
			return svc.CloseCase(ctx, a, id)
		}},
		{"O11_view_of_an_employer_not_covered", ida, "case-other", func(a *dossierwacht.Actor, id privacy.CaseID) error {
			_, err := svc.View(ctx, a, id, privacy.PurposeAbsenceGuidance)
			return err
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			run := func(id privacy.CaseID) (int64, error) {
				before := store.calls.Load()
				err := tc.do(tc.a, id)
				return store.calls.Load() - before, err
			}
			hiddenCalls, hiddenErr := run(tc.hidden)
			missingCalls, missingErr := run("case-none")
			if !errors.Is(hiddenErr, privacy.ErrNotFound) || hiddenErr.Error() != missingErr.Error() {
				t.Errorf("hidden: %v; missing: %v; want the same not found", hiddenErr, missingErr)
			}
			if hiddenCalls != missingCalls {
				t.Errorf("a hidden case costs %d store calls, a missing one %d: the work tells them apart", hiddenCalls, missingCalls)
			}
		})
	}
}

// TestInsurerCoverageFromTheRegister: an insurer sees the overview of the
// employers the coverage register says it covers now — not those it
// claims, and not after the coverage ended (rule O11).
func TestInsurerCoverageFromTheRegister(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t)
	carla := w.actors[privacy.RoleCaseManager]
	ida := w.actors[privacy.RoleInsurer]
	if _, err := w.svc.View(ctx, ida, case1, privacy.PurposeAbsenceGuidance); err != nil {
		t.Fatalf("O11: the covering insurer's view: %v", err)
	}
	rogue := dossierwacht.NewActor(privacy.Principal{ID: "rita", Role: privacy.RoleInsurer, Party: "rogue-insurer"}, nil, []privacy.PartyID{bakery})
	if _, err := w.svc.View(ctx, rogue, case1, privacy.PurposeAbsenceGuidance); !errors.Is(err, privacy.ErrNotFound) {
		t.Errorf("O11: an insurer the register does not name sees the case: %v", err)
	}
	_, err := w.svc.EndCoverage(ctx, carla, "cov-1")
	must(t, err)
	w.now = w.now.Add(time.Hour)
	if _, err := w.svc.View(ctx, ida, case1, privacy.PurposeAbsenceGuidance); !errors.Is(err, privacy.ErrNotFound) {
		t.Errorf("O11: the insurer still sees the case after its coverage ended: %v", err)
	}
	if cs, err := w.svc.Cases(ctx, ida, anna); err != nil || len(cs) != 0 {
		t.Errorf("O11: the insurer lists %v, %v after its coverage ended", cs, err)
	}
}
