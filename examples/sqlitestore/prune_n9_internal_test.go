package sqlitestore

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/dossierwacht/dossierwacht/examples/internal/tampertest"
)

// TestPruneAuditN9LeadingRunOnly: PruneAudit (sqlcore's SQLPruneCuts)
// takes only each chain's leading run of events older than the cut (rule
// N9).
func TestPruneAuditN9LeadingRunOnly(t *testing.T) {
	tampertest.RunPruneLeadingRun(t, func(t *testing.T, key []byte) (tampertest.Store, tampertest.DB) {
		s, err := Open(context.Background(), filepath.Join(t.TempDir(), "t.db"), &Options{AuditKey: key})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		return s, nil
	})
}

// legacyDB is the file's hold on audit_events_legacy for
// tampertest.RunPruneLegacy: plain statements, the triggers in place.
type legacyDB struct{ s *Store }

func (d legacyDB) InsertLegacy(ctx context.Context, seq uint64, t time.Time) error {
	return d.s.write(ctx, "sqlitestore: legacy", func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO audit_events_legacy (`+eventColumns+`)
	VALUES (?, ?, 'cm-1', 'case-manager', '', 'reintegration', 's-1', 'c-1', 'notes', 'r-1', 'read', 'allowed', 'R7', '1.0.0', '', '', ?, ?)`,
			int64(seq), micros(t), make([]byte, 32), make([]byte, 32))
		return err
	})
}

func (d legacyDB) DeleteLegacy(ctx context.Context, seq uint64) error {
	return d.s.write(ctx, "sqlitestore: legacy", func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM audit_events_legacy WHERE seq = ?`, int64(seq))
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n != 1 {
			return fmt.Errorf("deleted %d rows (%v), want 1", n, err)
		}
		return nil
	})
}

func (d legacyDB) LegacySeqs(ctx context.Context) ([]uint64, error) {
	rows, err := d.s.w.QueryContext(ctx, `SELECT seq FROM audit_events_legacy ORDER BY seq`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []uint64
	for rows.Next() {
		var seq uint64
		if err := rows.Scan(&seq); err != nil {
			return nil, err
		}
		out = append(out, seq)
	}
	return out, rows.Err()
}

// TestPruneAuditN9Legacy: PruneAudit also deletes the events of the one
// chain before migration 0060 (audit_events_legacy) past the audit
// retention, and counts them (rule N9); the table's triggers still refuse
// deleting any but its oldest event (G7).
func TestPruneAuditN9Legacy(t *testing.T) {
	tampertest.RunPruneLegacy(t, func(t *testing.T, key []byte) (tampertest.Store, tampertest.Legacy) {
		s, err := Open(context.Background(), filepath.Join(t.TempDir(), "t.db"), &Options{AuditKey: key})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		return s, legacyDB{s}
	})
}
