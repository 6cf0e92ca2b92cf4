package sqlitestore

import (
	"context"
	"database/sql"
	"path/filepath"
	"testing"

	"github.com/dossierwacht/dossierwacht/examples/internal/adaptertest"
	"github.com/dossierwacht/dossierwacht/privacy"
)

// tamperStore breaks the audit trail on purpose: each method drops the
// trail's append-only triggers, changes its rows and puts the triggers
// back, in one transaction. Tests only.
type tamperStore struct{ *Store }

func (s tamperStore) tamper(stmt string, args ...any) error {
	ctx := context.Background()
	return s.write(ctx, "tamper", func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, `SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'audit_events'`)
		if err != nil {
			return err
		}
		triggers := map[string]string{}
		for rows.Next() {
			var name, text string
			if err := rows.Scan(&name, &text); err != nil {
				return err
			}
			triggers[name] = text
		}
		rows.Close()
		if len(triggers) != 2 {
			return &privacy.Error{Op: "tamper", Kind: privacy.ErrUnavailable, Msg: "the trail's triggers are not in place"}
		}
		for name := range triggers {
			if _, err := tx.ExecContext(ctx, `DROP TRIGGER `+name); err != nil {
				return err
			}
		}
		res, err := tx.ExecContext(ctx, stmt, args...)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			return &privacy.Error{Op: "tamper", Kind: privacy.ErrNotFound}
		}
		for _, text := range triggers {
			if _, err := tx.ExecContext(ctx, text); err != nil {
				return err
			}
		}
		return nil
	})
}

func (s tamperStore) SetEvent(seq uint64, e privacy.Event) error {
	return s.tamper(`UPDATE audit_events SET time = ?, principal = ?, role = ?, on_behalf_of = ?, purpose = ?, subject = ?,
	case_id = ?, category = ?, object = ?, action = ?, outcome = ?, rule = ?, policy = ?, access_point = ?, client = ?,
	prev = ?, hash = ? WHERE seq = ?`, micros(e.Time), e.Principal, e.Role, e.OnBehalfOf, e.Purpose, e.Subject, e.Case,
		e.Category, e.Object, e.Action, e.Outcome, e.Rule, e.Policy, e.AccessPoint, e.Client, e.Prev[:], e.Hash[:], int64(seq))
}

func (s tamperStore) DeleteEvent(seq uint64) error {
	return s.tamper(`DELETE FROM audit_events WHERE seq = ?`, int64(seq))
}

func (s tamperStore) Renumber(from uint64) error {
	// Through negative numbers, so that no two rows share one on the way.
	if err := s.tamper(`UPDATE audit_events SET seq = -(seq + 1) WHERE seq >= ?`, int64(from)); err != nil {
		return err
	}
	return s.tamper(`UPDATE audit_events SET seq = -seq WHERE seq < 0`)
}

func (s tamperStore) PutEvent(e privacy.Event) error {
	return s.tamper(`INSERT INTO audit_events (`+eventColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		int64(e.Seq), micros(e.Time), e.Principal, e.Role, e.OnBehalfOf, e.Purpose, e.Subject, e.Case, e.Category, e.Object,
		e.Action, e.Outcome, e.Rule, e.Policy, e.AccessPoint, e.Client, e.Prev[:], e.Hash[:])
}

// TestAuditTampering: access.Verify finds every break a forger with write
// access to the file can make in the audit trail (rule G7). The accesstest
// kit's own tampering cases skip on this adapter: its trail cannot be
// tampered with through the store (append-only triggers), and an SQL trail
// keyed by sequence number has no faithful form of their insertion and
// swap; these are the same attacks on the tables.
func TestAuditTampering(t *testing.T) {
	adaptertest.RunTampering(t, func(t *testing.T) adaptertest.TamperStore {
		s, err := Open(context.Background(), filepath.Join(t.TempDir(), "x.db"), nil)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		return tamperStore{s}
	})
}
