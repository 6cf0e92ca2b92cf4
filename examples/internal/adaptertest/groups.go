package adaptertest

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/dossierwacht/dossierwacht/access"
	"github.com/dossierwacht/dossierwacht/privacy"
	"github.com/dossierwacht/dossierwacht/retention"
)

// GroupStore is what RunGroupHistories needs of an adapter: subjects,
// group histories and the retention of both.
type GroupStore interface {
	privacy.Store
	access.Store
	retention.ObjectStore
	retention.Store
}

// RunGroupHistories checks rules N12, R9 and O12 on s, an empty store: a
// subject's ID does not outlive it in the group histories (the groups an
// employer was answered a group figure about, privacy.DataGroups). When
// DeleteSubject removes the subject, or a sweep erases it, its ID is
// replaced in every group by one random token — the same in each group,
// so that the cells of rule N12 stay as they were and no later group can
// single the person out — and each changed history gets a new version, so
// that a group decided on the old one is refused as stale.
func RunGroupHistories(t *testing.T, s GroupStore) {
	t.Helper()
	ctx := context.Background()
	t0 := time.Date(2025, 1, 10, 9, 0, 0, 0, time.UTC)
	officer := privacy.Principal{ID: "officer-1", Role: privacy.RolePrivacyOfficer}
	ev := func(sub privacy.SubjectID) privacy.Event {
		return privacy.Event{Time: t0, Principal: officer.ID, Role: officer.Role, Action: privacy.EventCreate, Outcome: privacy.OutcomeAllowed,
			Rule: privacy.N12, Subject: sub, Object: string(sub)}
	}
	ids := []privacy.SubjectID{"s-1", "s-2", "s-3", "s-4"}
	for _, id := range ids {
		sub, _ := privacy.NewSubject(id, "employer-1", t0)
		if err := s.CreateSubject(ctx, sub, []privacy.Event{ev(id)}); err != nil {
			t.Fatal(err)
		}
	}
	// s-1 and s-2 in both groups of employer-1, s-1 in employer-2's too.
	for _, g := range []struct {
		employer privacy.PartyID
		version  uint64
		members  []privacy.SubjectID
	}{{"employer-1", 0, ids[:3]}, {"employer-1", 1, ids}, {"employer-2", 0, []privacy.SubjectID{"s-1", "s-3", "s-4"}}} {
		if _, err := s.AddGroup(ctx, g.employer, g.version, g.members, ev("")); err != nil {
			t.Fatal(err)
		}
	}
	history := func(employer privacy.PartyID) access.GroupHistory {
		t.Helper()
		h, err := s.GroupHistory(ctx, employer)
		if err != nil {
			t.Fatal(err)
		}
		return h
	}
	before := history("employer-1")
	before2 := history("employer-2")

	if err := s.DeleteSubject(ctx, "s-1", []privacy.Event{ev("s-1")}); err != nil {
		t.Fatal(err)
	}
	var token privacy.SubjectID
	for _, h := range []access.GroupHistory{history("employer-1"), history("employer-2")} {
		for _, g := range h.Groups {
			if slices.Contains(g, "s-1") {
				t.Errorf("rules N12, O12: the group %v keeps the deleted subject s-1", g)
			}
			if !slices.IsSorted(g) {
				t.Errorf("group %v is not sorted", g)
			}
			for _, m := range g {
				if !slices.Contains(ids, m) {
					if token == "" {
						token = m
					}
					if m != token || !strings.HasPrefix(string(m), "erased-") {
						t.Errorf("group %v: %q is not the one token of s-1", g, m)
					}
				}
			}
		}
	}
	after := history("employer-1")
	if len(after.Groups) != 2 || len(after.Groups[0]) != 3 || len(after.Groups[1]) != 4 || after.Version == before.Version {
		t.Errorf("employer-1's history after DeleteSubject = %+v, want both groups, whole, under a new version (was %d)", after, before.Version)
	}
	// Rule N12: a group decided on the old history is refused as stale.
	if _, err := s.AddGroup(ctx, "employer-2", before2.Version, []privacy.SubjectID{"s-2", "s-3", "s-4"}, ev("")); err == nil {
		t.Errorf("AddGroup on the history from before DeleteSubject went through")
	}
	if _, err := s.AddGroup(ctx, "employer-1", after.Version, []privacy.SubjectID{"s-2", "s-3", "s-4"}, ev("")); err != nil {
		t.Errorf("AddGroup on the new history: %v", err)
	}
	if h := history("employer-1"); len(h.Groups) != 3 || !slices.Equal(h.Groups[2], []privacy.SubjectID{"s-2", "s-3", "s-4"}) {
		t.Errorf("employer-1's history = %+v, want the new group last", h)
	}

	// A sweep that erases the subjects takes their IDs out too.
	k, err := retention.New(s, privacy.Strict(), nil)
	if err != nil {
		t.Fatal(err)
	}
	rep, err := k.Sweep(ctx, officer, t0.AddDate(3, 0, 0))
	if err != nil {
		t.Fatal(err)
	}
	if got := rep.Kind(privacy.DataSubject); got.Erased != 3 {
		t.Fatalf("subjects: %+v, want 3 erased", got)
	}
	for _, e := range []privacy.PartyID{"employer-1", "employer-2"} {
		for _, g := range history(e).Groups {
			for _, m := range g {
				if slices.Contains(ids, m) {
					t.Errorf("rules N12, R9: %s's group %v keeps the erased subject %s", e, g, m)
				}
			}
		}
	}
	if h := history("employer-1"); len(h.Groups) != 3 || len(h.Groups[1]) != 4 {
		t.Errorf("employer-1's history after the sweep = %+v, want its groups whole", h)
	}
}
