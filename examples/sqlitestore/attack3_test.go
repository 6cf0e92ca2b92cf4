package sqlitestore_test

// The third attack review on the SQLite adapter: each test FAILS on the
// code it was written against; the fixes are not part of this file.

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/dossierwacht/dossierwacht/examples/sqlitestore"
	"github.com/dossierwacht/dossierwacht/privacy"
)

// Rule N9 (audit events kept at least 5 years): PruneAudit cuts each
// chain at its last event older than the period (max(seq) WHERE time <
// before, sqlcore's SQLPruneCuts) and deletes every event numbered up to
// it: one back-dated event at the end of a chain — appended by a writer
// whose clock is wrong — takes this week's events with it.
func TestAttack3(t *testing.T) {
	t.Run("N9_prune_deletes_recent_events_behind_one_old_dated_event", attack3N9Prune)
}

func attack3N9Prune(t *testing.T) {
	ctx := context.Background()
	st, err := sqlitestore.Open(ctx, filepath.Join(t.TempDir(), "dw.db"), &sqlitestore.Options{AuditKey: []byte("0123456789abcdef0123456789abcdef")})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	ev := func(at time.Time) privacy.Event {
		return privacy.Event{Time: at, Principal: "carla", Role: privacy.RoleCaseManager, Subject: "anna", Object: "r-1",
			Action: privacy.EventRead, Outcome: privacy.OutcomeAllowed, Rule: privacy.O4, Policy: "strict@1"}
	}
	if _, err := st.AppendEvents(ctx, ev(now), ev(now.Add(time.Minute)), ev(now.AddDate(-6, 0, 0))); err != nil {
		t.Fatal(err)
	}
	n, err := st.PruneAudit(ctx, now.AddDate(-5, 0, 0), privacy.Event{Time: now, Principal: "olga", Role: privacy.RolePrivacyOfficer,
		Action: privacy.EventDelete, Outcome: privacy.OutcomeAllowed, Rule: privacy.N9, Object: "audit-trail"})
	if err != nil {
		t.Fatal(err)
	}
	var left []uint64
	for e, err := range st.SubjectEvents(ctx, "anna", 0) {
		if err != nil {
			t.Fatal(err)
		}
		left = append(left, e.Seq)
	}
	if len(left) < 2 {
		t.Errorf("pruning %d events before %s left anna's chain %v: the two events of today went with the one dated 6 years back",
			n, now.AddDate(-5, 0, 0).Format(time.DateOnly), left)
	}
}
