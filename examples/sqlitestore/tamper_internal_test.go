package sqlitestore

import (
	"context"
	"database/sql"
	"path/filepath"
	"testing"
	"time"

	"github.com/dossierwacht/dossierwacht/access"
	"github.com/dossierwacht/dossierwacht/access/accesstest"
	"github.com/dossierwacht/dossierwacht/examples/internal/tampertest"
	"github.com/dossierwacht/dossierwacht/privacy"
)

// tamperStore lets the accesstest kit break the audit trail on purpose, as
// someone with write access to the file could: each method drops the
// trail's append-only triggers, changes its rows and puts the triggers
// back, in one transaction. Tests only: the Store itself has no way to
// change its trail.
type tamperStore struct{ *Store }

var _ accesstest.Tamperer = tamperStore{}

// TamperableForTest wraps s for the accesstest kit's tampering cases (rule
// G7): an access.Store that also implements accesstest.Tamperer.
func TamperableForTest(s *Store) access.Store { return tamperStore{s} }

// tamper runs change with the trail's triggers dropped, in one
// transaction.
func (s tamperStore) tamper(ctx context.Context, change func(tx *sql.Tx) error) error {
	return s.write(ctx, "sqlitestore: tamper", func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, `SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name IN ('audit_events', 'audit_anchors')`)
		if err != nil {
			return err
		}
		triggers := map[string]string{}
		for rows.Next() {
			var name, text string
			if err := rows.Scan(&name, &text); err != nil {
				rows.Close()
				return err
			}
			triggers[name] = text
		}
		if err := rows.Close(); err != nil {
			return err
		}
		if len(triggers) != 4 {
			return &privacy.Error{Op: "sqlitestore: tamper", Kind: privacy.ErrUnavailable, Msg: "the trail's triggers are not in place"}
		}
		for name := range triggers {
			if _, err := tx.ExecContext(ctx, `DROP TRIGGER `+name); err != nil {
				return err
			}
		}
		if err := change(tx); err != nil {
			return err
		}
		for _, text := range triggers {
			if _, err := tx.ExecContext(ctx, text); err != nil {
				return err
			}
		}
		return nil
	})
}

// event reads the event numbered seq; sql.ErrNoRows (privacy.ErrNotFound)
// when there is none.
func event(ctx context.Context, tx *sql.Tx, chain privacy.SubjectID, seq uint64) (privacy.Event, error) {
	return scanEvent(tx.QueryRowContext(ctx, `SELECT `+eventColumns+` FROM audit_events WHERE subject = ? AND seq = ?`, string(chain), int64(seq)))
}

// setEvent overwrites the row numbered seq with e's content and hashes.
func setEvent(ctx context.Context, tx *sql.Tx, chain privacy.SubjectID, seq uint64, e privacy.Event) error {
	_, err := tx.ExecContext(ctx, `UPDATE audit_events SET time = ?, principal = ?, role = ?, on_behalf_of = ?, purpose = ?,
	subject = ?, case_id = ?, category = ?, object = ?, action = ?, outcome = ?, rule = ?, policy = ?, access_point = ?,
	client = ?, prev = ?, hash = ? WHERE subject = ? AND seq = ?`, micros(e.Time), e.Principal, e.Role, e.OnBehalfOf, e.Purpose, e.Subject,
		e.Case, e.Category, e.Object, e.Action, e.Outcome, e.Rule, e.Policy, e.AccessPoint, e.Client, e.Prev[:], e.Hash[:],
		string(chain), int64(seq))
	return err
}

func (s tamperStore) TamperEvent(ctx context.Context, chain privacy.SubjectID, seq uint64, change func(*privacy.Event)) error {
	return s.tamper(ctx, func(tx *sql.Tx) error {
		e, err := event(ctx, tx, chain, seq)
		if err != nil {
			return err
		}
		change(&e)
		return setEvent(ctx, tx, chain, seq, e)
	})
}

func (s tamperStore) DeleteEvent(ctx context.Context, chain privacy.SubjectID, seq uint64) error {
	return s.tamper(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM audit_events WHERE subject = ? AND seq = ?`, string(chain), int64(seq))
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			return sql.ErrNoRows
		}
		return nil
	})
}

func (s tamperStore) InsertEvent(ctx context.Context, chain privacy.SubjectID, after uint64, e privacy.Event) error {
	return s.tamper(ctx, func(tx *sql.Tx) error {
		if after != 0 {
			if _, err := event(ctx, tx, chain, after); err != nil {
				return err
			}
		}
		// Up by one through negative numbers, so that no two rows share a
		// number on the way.
		if _, err := tx.ExecContext(ctx, `UPDATE audit_events SET seq = -(seq + 1) WHERE subject = ? AND seq > ?`, string(chain), int64(after)); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE audit_events SET seq = -seq WHERE subject = ? AND seq < 0`, string(chain)); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO audit_events (`+eventColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			int64(after+1), micros(e.Time), e.Principal, e.Role, e.OnBehalfOf, e.Purpose, e.Subject, e.Case, e.Category, e.Object,
			e.Action, e.Outcome, e.Rule, e.Policy, e.AccessPoint, e.Client, e.Prev[:], e.Hash[:])
		return err
	})
}

func (s tamperStore) SwapEvents(ctx context.Context, chain privacy.SubjectID, a, b uint64) error {
	return s.tamper(ctx, func(tx *sql.Tx) error {
		ea, err := event(ctx, tx, chain, a)
		if err != nil {
			return err
		}
		eb, err := event(ctx, tx, chain, b)
		if err != nil {
			return err
		}
		if err := setEvent(ctx, tx, chain, a, eb); err != nil {
			return err
		}
		return setEvent(ctx, tx, chain, b, ea)
	})
}

// tamperDB is the attacker's hold on the file for package tampertest: every
// statement with the trail's triggers dropped, as someone with the file
// would.
type tamperDB struct{ s tamperStore }

func (d tamperDB) Exec(ctx context.Context, stmt string, args ...any) error {
	return d.s.tamper(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, inFile(stmt), args...)
		return err
	})
}

func (tamperDB) Time(t time.Time) any { return micros(t) }

// TestTamper21 runs the 21 ways of tampering with the trail of issue 14
// (rule G7), on a fresh trail and a pruned one: each is found with the key
// and the checkpoints, and named.
func TestTamper21(t *testing.T) {
	tampertest.Run(t, func(t *testing.T, key []byte) (tampertest.Store, tampertest.DB) {
		s, err := Open(context.Background(), filepath.Join(t.TempDir(), "t.db"), &Options{AuditKey: key})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		return s, tamperDB{tamperStore{s}}
	})
}

// TestTamperUnkeyed: without the key, the checkpoints alone miss the
// forged append (issue 14) — what the key is for.
func TestTamperUnkeyed(t *testing.T) {
	tampertest.RunUnkeyed(t, func(t *testing.T, key []byte) (tampertest.Store, tampertest.DB) {
		s, err := Open(context.Background(), filepath.Join(t.TempDir(), "t.db"), &Options{AuditKey: key})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		return s, tamperDB{tamperStore{s}}
	})
}
