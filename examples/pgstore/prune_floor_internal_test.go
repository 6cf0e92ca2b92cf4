package pgstore

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/dossierwacht/dossierwacht/privacy"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// TestPruneFloorN9 checks migration 0069 (rule N9: the trail is kept at
// least 5 years): by the database's own clock, prune_chain and
// prune_legacy refuse to delete an event younger than 5 years, whoever
// calls them and with whatever cut; the store's PruneAudit fails then as
// forbidden under N9 and changes nothing; events past the 5 years are
// pruned as before.
func TestPruneFloorN9(t *testing.T) {
	ctx := context.Background()
	pool := PoolForTest(t, pgx.QueryExecModeExec)
	s := NewForTest(t, pool, &Options{AuditKey: []byte("the floor's key")})
	// The database's clock as it is: production's.
	if _, err := pool.Exec(ctx, s.replacer().Replace(`UPDATE {schema}.audit_prune_floor SET clock_offset = interval '0'`)); err != nil {
		t.Fatal(err)
	}
	now := time.Now().UTC().Truncate(time.Microsecond)
	ev := func(subject string, at time.Time) privacy.Event {
		return privacy.Event{Time: at, Principal: "cm-1", Role: privacy.RoleCaseManager, Subject: privacy.SubjectID(subject),
			Action: privacy.EventRead, Outcome: privacy.OutcomeAllowed, Rule: privacy.R7, Policy: "1"}
	}
	old := now.AddDate(-6, 0, 0)
	if _, err := s.AppendEvents(ctx, ev("s-old", old), ev("s-old", old.Add(time.Hour))); err != nil {
		t.Fatal(err)
	}
	recent, err := s.AppendEvents(ctx, ev("s-new", now.AddDate(-1, 0, 0)), ev("s-new", now.AddDate(0, 0, -1)))
	if err != nil {
		t.Fatal(err)
	}
	count := func() int {
		var n int
		if err := pool.QueryRow(ctx, s.replacer().Replace(`SELECT count(*) FROM {schema}.audit_events`)).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	before := count()
	pruning := privacy.Event{Time: now, Principal: "officer-1", Role: privacy.RolePrivacyOfficer, Action: privacy.EventDelete,
		Outcome: privacy.OutcomeAllowed, Rule: privacy.N9, Policy: "1"}

	t.Run("N9_PruneAudit_within_the_retention_refused", func(t *testing.T) {
		_, err := s.PruneAudit(ctx, now.Add(time.Hour), pruning)
		if !errors.Is(err, privacy.ErrForbidden) || privacy.RuleOf(err) != privacy.N9 {
			t.Errorf("PruneAudit(a cut after recent events) = %v, want forbidden under N9", err)
		}
		if n := count(); n != before {
			t.Errorf("%d events after the refused pruning, want %d: nothing changed", n, before)
		}
	})
	t.Run("N9_prune_chain_called_directly_refused", func(t *testing.T) {
		last := recent[len(recent)-1]
		_, err := pool.Exec(ctx, s.replacer().Replace(`SELECT {schema}.prune_chain($1, $2, $3, $4)`),
			"s-new", int64(last.Seq), last.Hash[:], make([]byte, 32))
		var pe *pgconn.PgError
		if !errors.As(err, &pe) || pe.Code != codePruneFloor {
			t.Errorf("prune_chain(an event of yesterday) = %v, want SQLSTATE %s", err, codePruneFloor)
		}
		_, err = pool.Exec(ctx, s.replacer().Replace(`SELECT {schema}.prune_legacy($1)`), now)
		if !errors.As(err, &pe) || pe.Code != codePruneFloor {
			t.Errorf("prune_legacy(now) = %v, want SQLSTATE %s", err, codePruneFloor)
		}
		if n := count(); n != before {
			t.Errorf("%d events after the refused calls, want %d", n, before)
		}
	})
	t.Run("N9_past_the_retention_pruned", func(t *testing.T) {
		n, err := s.PruneAudit(ctx, now.AddDate(-5, 0, -3), pruning)
		if err != nil || n != 2 {
			t.Errorf("PruneAudit(5 years ago) = %d, %v; want the 2 old events pruned", n, err)
		}
	})
	t.Run("N9_floor_not_lowered", func(t *testing.T) {
		_, err := pool.Exec(ctx, s.replacer().Replace(`UPDATE {schema}.audit_prune_floor SET period = interval '1 year'`))
		var pe *pgconn.PgError
		if !errors.As(err, &pe) || pe.Code != "23514" {
			t.Errorf("lowering the floor to a year = %v, want the check refusing it", err)
		}
	})
}
