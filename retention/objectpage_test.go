package retention_test

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"sync/atomic"
	"testing"
	"time"

	"github.com/dossierwacht/dossierwacht/consent"
	"github.com/dossierwacht/dossierwacht/internal/kitdiff"
	"github.com/dossierwacht/dossierwacht/memstore"
	"github.com/dossierwacht/dossierwacht/privacy"
	"github.com/dossierwacht/dossierwacht/retention"
	"github.com/dossierwacht/dossierwacht/rights"
)

// objectPager is a memstore that counts its calls of Objects and
// ObjectsOf, and can make ObjectsOf fail or panic.
type objectPager struct {
	*memstore.Store
	objects, pages atomic.Int32
	fail           error
	panics         bool
}

func (s *objectPager) Objects(ctx context.Context, subject privacy.SubjectID) ([]retention.Object, error) {
	s.objects.Add(1)
	return s.Store.Objects(ctx, subject)
}

func (s *objectPager) ObjectsOf(ctx context.Context, subjects []privacy.SubjectID) (map[privacy.SubjectID][]retention.Object, error) {
	s.pages.Add(1)
	if s.panics {
		panic("injected panic")
	}
	if s.fail != nil {
		return nil, s.fail
	}
	return s.Store.ObjectsOf(ctx, subjects)
}

// perSubjectStore is a memstore that reads objects one subject at a time:
// its field ObjectsOf hides the method memstore.Store would promote, so it
// is no retention.ObjectPageStore.
type perSubjectStore struct {
	*memstore.Store
	ObjectsOf struct{}
}

var (
	_ retention.ObjectPageStore = (*objectPager)(nil)
	_ retention.OrphanStore     = perSubjectStore{}
)

// objectsWorld is newWorld with grants and requests: a revoked grant and
// an answered request of some subjects, and the answered requests of
// people never registered (retention.OrphanStore).
func objectsWorld(tb testing.TB, seed uint64) *world {
	tb.Helper()
	rng := rand.New(rand.NewPCG(seed, 11))
	w := newWorld(tb, rng, 40, privacy.Strict())
	ev := func(sub privacy.SubjectID) []privacy.Event {
		return []privacy.Event{{Time: epoch, Principal: officer.ID, Role: officer.Role, Action: privacy.EventCreate,
			Outcome: privacy.OutcomeAllowed, Rule: privacy.O13, Subject: sub, Object: string(sub)}}
	}
	request := func(id rights.RequestID, sub privacy.SubjectID, at time.Time) {
		r := rights.Request{ID: id, Subject: sub, Kind: rights.KindAccess, Form: rights.FormWritten, Received: at,
			Status: rights.StatusAnswered, History: []rights.Step{{Kind: rights.StepFiled, Status: rights.StatusReceived, At: at},
				{Kind: rights.StepAnswered, Status: rights.StatusAnswered, At: at.Add(time.Hour)}}}
		if err := w.store.CreateRequest(w.ctx, r, ev(sub)); err != nil {
			tb.Fatal(err)
		}
	}
	for i, sid := range w.ids {
		at := epoch.Add(time.Duration(rng.IntN(4*365*24)) * time.Hour)
		if i%3 == 0 {
			g := consent.Grant{ID: consent.GrantID(fmt.Sprintf("g-%d", i)), Subject: sid,
				Recipient: consent.Recipient{Kind: privacy.PartyThirdParty, Party: "lawyer-1"}, Categories: []privacy.Category{privacy.CategoryNotes},
				Purpose: privacy.PurposeAbsenceGuidance, Form: consent.FormWritten, Document: "doc-1", Given: at, From: at}
			if err := w.store.AddGrant(w.ctx, g, ev(sid)); err != nil {
				tb.Fatal(err)
			}
			if _, err := w.store.RevokeGrant(w.ctx, g.ID, at.Add(time.Hour), ev(sid)); err != nil {
				tb.Fatal(err)
			}
		}
		if i%4 == 0 {
			request(rights.RequestID(fmt.Sprintf("q-%d", i)), sid, at)
		}
	}
	for i := range 12 {
		request(rights.RequestID(fmt.Sprintf("q-stranger-%d", i)), privacy.SubjectID(fmt.Sprintf("stranger-%02d", i)),
			epoch.Add(time.Duration(i*97)*24*time.Hour))
	}
	return w
}

// TestSweepObjectPages_R9_O12 checks rules R9 and O12 for a store that
// reads the objects of a page of subjects at once (ObjectPageStore): a
// sweep's plan and report are exactly those of the same store read one
// subject at a time, and it asks for every page's objects in one call —
// the candidates' pages and the pages of subjects without a row — and
// never per subject.
func TestSweepObjectPages_R9_O12(t *testing.T) {
	now := epoch.AddDate(10, 0, 0)
	opts := &retention.Options{BatchSize: 7, PageSize: 5}
	paged, single := objectsWorld(t, 7), objectsWorld(t, 7)
	ps := &objectPager{Store: paged.store}
	rp, err := retention.New(ps, privacy.Strict(), opts)
	if err != nil {
		t.Fatal(err)
	}
	rs, err := retention.New(perSubjectStore{Store: single.store}, privacy.Strict(), opts)
	if err != nil {
		t.Fatal(err)
	}
	for _, at := range []time.Time{epoch.AddDate(3, 0, 0), now} {
		planP, err := rp.PlanSweep(paged.ctx, sweeper, at)
		if err != nil {
			t.Fatalf("PlanSweep(%v), pages: %v", at, err)
		}
		planS, err := rs.PlanSweep(single.ctx, sweeper, at)
		if err != nil {
			t.Fatalf("PlanSweep(%v), per subject: %v", at, err)
		}
		if d := kitdiff.Diff(planS, planP); d != "" {
			t.Errorf("PlanSweep(%v) with ObjectsOf differs from Objects per subject (-per subject +pages):\n%s", at, d)
		}
		if len(planP.Objects) == 0 {
			t.Errorf("PlanSweep(%v) plans no object; the test sweeps nothing", at)
		}
		repP, errP := rp.Sweep(paged.ctx, sweeper, at)
		repS, errS := rs.Sweep(single.ctx, sweeper, at)
		if errP != nil || errS != nil {
			t.Fatalf("Sweep(%v) = %v with pages, %v per subject", at, errP, errS)
		}
		if d := kitdiff.Diff(repS, repP); d != "" {
			t.Errorf("Sweep(%v) with ObjectsOf differs from Objects per subject (-per subject +pages):\n%s", at, d)
		}
		if repP.Kind(privacy.DataRequest).Erased == 0 {
			t.Errorf("Sweep(%v) erased no request: %+v", at, repP.Objects)
		}
	}
	if n := ps.objects.Load(); n != 0 {
		t.Errorf("the sweeps called Objects %d times; want ObjectsOf only", n)
	}
	// 40 subjects and 12 strangers in pages of 5: at most 8 + 3 + a last
	// empty page each of candidates and orphans per sweep or plan.
	if n := ps.pages.Load(); n == 0 || n > 4*13 {
		t.Errorf("the sweeps called ObjectsOf %d times; want one per page", n)
	}
}

// TestSweepObjectPagesFail_R9_O12 checks that a failure of ObjectsOf stops
// a sweep and its plan with that failure, and that its panic goes on in
// the caller's goroutine, as a failure or panic of Objects would (rules
// R9, O12: nothing is counted swept that was not read).
func TestSweepObjectPagesFail_R9_O12(t *testing.T) {
	now := epoch.AddDate(10, 0, 0)
	errObjects := errors.New("injected objects failure")
	w := objectsWorld(t, 7)
	ps := &objectPager{Store: w.store, fail: errObjects}
	r, err := retention.New(ps, privacy.Strict(), &retention.Options{BatchSize: 7, PageSize: 5})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := r.PlanSweep(w.ctx, sweeper, now); !errors.Is(err, errObjects) {
		t.Errorf("PlanSweep = %v, want %v", err, errObjects)
	}
	rep, err := r.Sweep(w.ctx, sweeper, now)
	if !errors.Is(err, errObjects) {
		t.Errorf("Sweep = %v, want %v", err, errObjects)
	}
	for _, k := range rep.Objects {
		if k.Erased != 0 {
			t.Errorf("Sweep erased %d of %s after ObjectsOf failed", k.Erased, k.Kind)
		}
	}
	ps.fail, ps.panics = nil, true
	func() {
		defer func() {
			if v := recover(); v != "injected panic" {
				t.Errorf("Sweep recovered %v, want the panic of ObjectsOf", v)
			}
		}()
		r.Sweep(w.ctx, sweeper, now)
	}()
}
