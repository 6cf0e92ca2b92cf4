package pgstore

import (
	"context"
	"testing"
	"time"

	"github.com/dossierwacht/dossierwacht/access"
	"github.com/dossierwacht/dossierwacht/access/accesstest"
	"github.com/dossierwacht/dossierwacht/examples/internal/tampertest"
	"github.com/dossierwacht/dossierwacht/privacy"
	"github.com/jackc/pgx/v5"
)

// tamperStore lets the accesstest kit break the audit trail on purpose, as
// the tables' owner could: each method switches the trail's append-only
// triggers off, changes its rows and switches them on again, in one
// transaction. Tests only: the Store itself has no way to change its
// trail, and no role it grants may.
type tamperStore struct{ *Store }

var _ accesstest.Tamperer = tamperStore{}

// TamperableForTest wraps s for the accesstest kit's tampering cases (rule
// G7): an access.Store that also implements accesstest.Tamperer.
func TamperableForTest(s *Store) access.Store { return tamperStore{s} }

// tamper runs change with the trail's triggers off, in one transaction.
// Its statements name the table as {schema}.audit_events.
func (s tamperStore) tamper(ctx context.Context, change func(exec func(stmt string, args ...any) (int64, error), tx pgx.Tx) error) error {
	table := pgx.Identifier{s.schema, "audit_events"}.Sanitize()
	anchors := pgx.Identifier{s.schema, "audit_anchors"}.Sanitize()
	return s.write(ctx, "pgstore: tamper", func(tx pgx.Tx) error {
		for _, t := range []string{table, anchors} {
			if _, err := tx.Exec(ctx, `ALTER TABLE `+t+` DISABLE TRIGGER USER`); err != nil {
				return err
			}
		}
		exec := func(stmt string, args ...any) (int64, error) {
			tag, err := tx.Exec(ctx, s.replacer().Replace(stmt), args...)
			return tag.RowsAffected(), err
		}
		if err := change(exec, tx); err != nil {
			return err
		}
		for _, t := range []string{table, anchors} {
			if _, err := tx.Exec(ctx, `ALTER TABLE `+t+` ENABLE TRIGGER USER`); err != nil {
				return err
			}
		}
		return nil
	})
}

// event reads the event numbered seq; pgx.ErrNoRows (privacy.ErrNotFound)
// when there is none.
func (s tamperStore) event(ctx context.Context, tx pgx.Tx, chain privacy.SubjectID, seq uint64) (privacy.Event, error) {
	return scanEvent(tx.QueryRow(ctx, s.replacer().Replace(`SELECT `+eventColumns+` FROM {schema}.audit_events WHERE subject = $1 AND seq = $2`), string(chain), int64(seq)))
}

// setEvent overwrites the row numbered seq with e's content and hashes.
func setEvent(exec func(string, ...any) (int64, error), chain privacy.SubjectID, seq uint64, e privacy.Event) error {
	_, err := exec(`UPDATE {schema}.audit_events SET time = $1, principal = $2, role = $3, on_behalf_of = $4, purpose = $5,
	subject = $6, case_id = $7, category = $8, object = $9, action = $10, outcome = $11, rule = $12, policy = $13,
	access_point = $14, client = $15, prev = $16, hash = $17 WHERE subject = $19 AND seq = $18`, ts(e.Time), string(e.Principal),
		string(e.Role), string(e.OnBehalfOf), string(e.Purpose), string(e.Subject), string(e.Case), string(e.Category),
		e.Object, string(e.Action), string(e.Outcome), string(e.Rule), e.Policy, e.AccessPoint, e.Client, e.Prev[:], e.Hash[:],
		int64(seq), string(chain))
	return err
}

func (s tamperStore) TamperEvent(ctx context.Context, chain privacy.SubjectID, seq uint64, change func(*privacy.Event)) error {
	return s.tamper(ctx, func(exec func(string, ...any) (int64, error), tx pgx.Tx) error {
		e, err := s.event(ctx, tx, chain, seq)
		if err != nil {
			return err
		}
		change(&e)
		return setEvent(exec, chain, seq, e)
	})
}

func (s tamperStore) DeleteEvent(ctx context.Context, chain privacy.SubjectID, seq uint64) error {
	return s.tamper(ctx, func(exec func(string, ...any) (int64, error), _ pgx.Tx) error {
		n, err := exec(`DELETE FROM {schema}.audit_events WHERE subject = $1 AND seq = $2`, string(chain), int64(seq))
		if err == nil && n == 0 {
			err = pgx.ErrNoRows
		}
		return err
	})
}

func (s tamperStore) InsertEvent(ctx context.Context, chain privacy.SubjectID, after uint64, e privacy.Event) error {
	return s.tamper(ctx, func(exec func(string, ...any) (int64, error), tx pgx.Tx) error {
		if after != 0 {
			if _, err := s.event(ctx, tx, chain, after); err != nil {
				return err
			}
		}
		// Up by one through negative numbers, so that no two rows share a
		// number on the way.
		if _, err := exec(`UPDATE {schema}.audit_events SET seq = -(seq + 1) WHERE subject = $1 AND seq > $2`, string(chain), int64(after)); err != nil {
			return err
		}
		if _, err := exec(`UPDATE {schema}.audit_events SET seq = -seq WHERE subject = $1 AND seq < 0`, string(chain)); err != nil {
			return err
		}
		_, err := exec(`INSERT INTO {schema}.audit_events (`+eventColumns+`) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9,
	$10, $11, $12, $13, $14, $15, $16, $17, $18)`, int64(after+1), ts(e.Time), string(e.Principal), string(e.Role),
			string(e.OnBehalfOf), string(e.Purpose), string(e.Subject), string(e.Case), string(e.Category), e.Object,
			string(e.Action), string(e.Outcome), string(e.Rule), e.Policy, e.AccessPoint, e.Client, e.Prev[:], e.Hash[:])
		return err
	})
}

func (s tamperStore) SwapEvents(ctx context.Context, chain privacy.SubjectID, a, b uint64) error {
	return s.tamper(ctx, func(exec func(string, ...any) (int64, error), tx pgx.Tx) error {
		ea, err := s.event(ctx, tx, chain, a)
		if err != nil {
			return err
		}
		eb, err := s.event(ctx, tx, chain, b)
		if err != nil {
			return err
		}
		if err := setEvent(exec, chain, a, eb); err != nil {
			return err
		}
		return setEvent(exec, chain, b, ea)
	})
}

// tamperDB is the attacker's hold on the database for package tampertest:
// every statement with the trail's triggers off, as the tables' owner
// could.
type tamperDB struct{ s tamperStore }

func (d tamperDB) Exec(ctx context.Context, stmt string, args ...any) error {
	return d.s.tamper(ctx, func(exec func(string, ...any) (int64, error), _ pgx.Tx) error {
		_, err := exec(stmt, args...)
		return err
	})
}

func (tamperDB) Time(t time.Time) any { return ts(t) }

// TestTamper21 runs the 21 ways of tampering with the trail of issue 14
// (rule G7), on a fresh trail and a pruned one: each is found with the key
// and the checkpoints, and named.
func TestTamper21(t *testing.T) {
	pool := PoolForTest(t, pgx.QueryExecModeExec)
	tampertest.Run(t, func(t *testing.T, key []byte) (tampertest.Store, tampertest.DB) {
		s := NewForTest(t, pool, &Options{Schema: SchemaForTest(t), AuditKey: key})
		return s, tamperDB{tamperStore{s}}
	})
}

// TestTamperUnkeyed: without the key, the checkpoints alone miss the
// forged append (issue 14) — what the key is for.
func TestTamperUnkeyed(t *testing.T) {
	pool := PoolForTest(t, pgx.QueryExecModeExec)
	tampertest.RunUnkeyed(t, func(t *testing.T, key []byte) (tampertest.Store, tampertest.DB) {
		s := NewForTest(t, pool, &Options{Schema: SchemaForTest(t), AuditKey: key})
		return s, tamperDB{tamperStore{s}}
	})
}
