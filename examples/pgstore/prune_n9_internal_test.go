package pgstore

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/dossierwacht/dossierwacht/examples/internal/tampertest"
	"github.com/jackc/pgx/v5"
)

// TestPruneAuditN9LeadingRunOnly: PruneAudit (sqlcore's SQLPruneCuts)
// takes only each chain's leading run of events older than the cut (rule
// N9).
func TestPruneAuditN9LeadingRunOnly(t *testing.T) {
	pool := PoolForTest(t, pgx.QueryExecModeExec)
	tampertest.RunPruneLeadingRun(t, func(t *testing.T, key []byte) (tampertest.Store, tampertest.DB) {
		return NewForTest(t, pool, &Options{Schema: SchemaForTest(t), AuditKey: key}), nil
	})
}

// legacyDB is the owner's hold on audit_events_legacy for
// tampertest.RunPruneLegacy: plain statements, the triggers in place.
type legacyDB struct{ s *Store }

func (d legacyDB) InsertLegacy(ctx context.Context, seq uint64, t time.Time) error {
	return d.s.write(ctx, "pgstore: legacy", func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, d.s.replacer().Replace(`INSERT INTO {schema}.audit_events_legacy (`+eventColumns+`)
	VALUES ($1, $2, 'cm-1', 'case-manager', '', 'reintegration', 's-1', 'c-1', 'notes', 'r-1', 'read', 'allowed', 'R7', '1.0.0', '', '', $3, $4)`),
			int64(seq), t, make([]byte, 32), make([]byte, 32))
		return err
	})
}

func (d legacyDB) DeleteLegacy(ctx context.Context, seq uint64) error {
	return d.s.write(ctx, "pgstore: legacy", func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, d.s.replacer().Replace(`DELETE FROM {schema}.audit_events_legacy WHERE seq = $1`), int64(seq))
		if err != nil {
			return err
		}
		if n := tag.RowsAffected(); n != 1 {
			return fmt.Errorf("deleted %d rows, want 1", n)
		}
		return nil
	})
}

func (d legacyDB) LegacySeqs(ctx context.Context) ([]uint64, error) {
	rows, err := d.s.pool.Query(ctx, d.s.replacer().Replace(`SELECT seq FROM {schema}.audit_events_legacy ORDER BY seq`))
	if err != nil {
		return nil, err
	}
	seqs, err := pgx.CollectRows(rows, pgx.RowTo[int64])
	var out []uint64
	for _, seq := range seqs {
		out = append(out, uint64(seq))
	}
	return out, err
}

// TestPruneAuditN9Legacy: PruneAudit also deletes the events of the one
// chain before migration 0060 (audit_events_legacy) past the audit
// retention, through the function prune_legacy, and counts them (rule
// N9); the table's triggers still refuse deleting any but its oldest
// events, even to its owner (G7).
func TestPruneAuditN9Legacy(t *testing.T) {
	pool := PoolForTest(t, pgx.QueryExecModeExec)
	tampertest.RunPruneLegacy(t, func(t *testing.T, key []byte) (tampertest.Store, tampertest.Legacy) {
		s := NewForTest(t, pool, &Options{Schema: SchemaForTest(t), AuditKey: key})
		return s, legacyDB{s}
	})
}
