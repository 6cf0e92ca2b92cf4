package seal_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/dossierwacht/dossierwacht/consent"
	"github.com/dossierwacht/dossierwacht/memstore"
	"github.com/dossierwacht/dossierwacht/privacy"
	"github.com/dossierwacht/dossierwacht/retention"
	"github.com/dossierwacht/dossierwacht/rights"
	"github.com/dossierwacht/dossierwacht/seal"
	"github.com/dossierwacht/dossierwacht/seal/sealtest"
	"github.com/google/go-cmp/cmp"
)

// pagelessBackend is a Backend that reads objects one subject at a time:
// a memstore's ObjectStore without its ObjectsOf.
type pagelessBackend struct {
	seal.Backend
	mem *memstore.Store
}

func (b pagelessBackend) Objects(ctx context.Context, subject privacy.SubjectID) ([]retention.Object, error) {
	return b.mem.Objects(ctx, subject)
}

func (b pagelessBackend) EraseObject(ctx context.Context, p retention.ObjectProof, e privacy.Event) error {
	return b.mem.EraseObject(ctx, p, e)
}

func (b pagelessBackend) ObjectProofs(ctx context.Context, subject privacy.SubjectID) ([]retention.ObjectProof, error) {
	return b.mem.ObjectProofs(ctx, subject)
}

// TestObjectsOfPassesThrough_R9_O12: a sealed store reads a sweep's page
// of objects as its Backend does (rules R9, O12) — through the Backend's
// ObjectsOf when it has one, else its Objects per subject — and either
// way returns what Objects returns per subject; a malformed ID is
// refused with ErrInvalid, and a Backend without objects says so.
func TestObjectsOfPassesThrough_R9_O12(t *testing.T) {
	ctx := context.Background()
	t0 := time.Date(2025, 1, 10, 9, 0, 0, 0, time.UTC)
	mem := memstore.NewKeyed([]byte("0123456789abcdef0123456789abcdef"))
	if err := mem.CreateSubject(ctx, privacy.Subject{ID: "s-1", Employer: "employer-1", Created: t0}, sealtest.Events(1, "s-1", privacy.EventCreate)); err != nil {
		t.Fatal(err)
	}
	for _, id := range []consent.GrantID{"g-b", "g-a"} {
		g := consent.Grant{ID: id, Subject: "s-1", Recipient: consent.Recipient{Kind: privacy.PartyThirdParty, Party: "lawyer-1"},
			Categories: []privacy.Category{privacy.CategoryNotes}, Purpose: privacy.PurposeAbsenceGuidance, Form: consent.FormWritten,
			Document: "doc-1", Given: t0, From: t0}
		if err := mem.AddGrant(ctx, g, sealtest.Events(1, "s-1", privacy.EventCreate)); err != nil {
			t.Fatal(err)
		}
	}
	for _, sub := range []privacy.SubjectID{"s-1", "stranger"} {
		r := rights.Request{ID: rights.RequestID("q-" + string(sub)), Subject: sub, Kind: rights.KindAccess, Form: rights.FormWritten,
			Received: t0, Status: rights.StatusReceived, History: []rights.Step{{Kind: rights.StepFiled, Status: rights.StatusReceived, At: t0}}}
		if err := mem.CreateRequest(ctx, r, sealtest.Events(1, sub, privacy.EventCreate)); err != nil {
			t.Fatal(err)
		}
	}
	page := []privacy.SubjectID{"s-1", "stranger", "nobody"}
	want := map[privacy.SubjectID][]retention.Object{}
	for _, id := range page {
		objs, err := mem.Objects(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if len(objs) > 0 {
			want[id] = objs
		}
	}
	if len(want["s-1"]) != 3 || len(want["stranger"]) != 1 {
		t.Fatalf("Objects = %v; want s-1's grants and request, the stranger's request", want)
	}
	// The memstore's ObjectsOf, as its Objects, takes any ID; the loop
	// over Objects checks them, as the SQL stores' ObjectsOf does.
	for _, tc := range []struct {
		name          string
		backend       seal.Backend
		checksSubject bool
	}{{"paged_backend", mem, false}, {"pageless_backend", pagelessBackend{mem, mem}, true}} {
		t.Run(tc.name, func(t *testing.T) {
			s := sealtest.Wrap(t, tc.backend, seal.NewMemKeys())
			got, err := s.ObjectsOf(ctx, page)
			if err != nil {
				t.Fatal(err)
			}
			if d := cmp.Diff(want, got); d != "" {
				t.Errorf("ObjectsOf(%v) differs from the Backend's Objects (-want +got):\n%s", page, d)
			}
			if got, err := s.ObjectsOf(ctx, []privacy.SubjectID{"s-1", "s 1"}); tc.checksSubject && !errors.Is(err, privacy.ErrInvalid) {
				t.Errorf("ObjectsOf(malformed ID) = %v, %v; want ErrInvalid", got, err)
			}
		})
	}
	s := sealtest.Wrap(t, headless{mem}, seal.NewMemKeys())
	if _, ok := retention.AsObjectStore(s); ok {
		t.Fatal("a sealed store over a Backend without objects is an ObjectStore")
	}
	if got, err := s.ObjectsOf(ctx, page); err == nil {
		t.Errorf("ObjectsOf over a Backend without objects = %v, want an error", got)
	}
}
