package pgstore

import (
	"context"
	"testing"

	"github.com/dossierwacht/dossierwacht/examples/internal/adaptertest"
	"github.com/dossierwacht/dossierwacht/privacy"
	"github.com/jackc/pgx/v5"
)

// tamperStore breaks the audit trail on purpose: each method switches the
// trail's append-only triggers off, changes its rows and switches them on
// again, in one transaction, as the tables' owner. Tests only.
type tamperStore struct{ *Store }

func (s tamperStore) tamper(stmt string, args ...any) error {
	ctx := context.Background()
	table := pgx.Identifier{s.schema, "audit_events"}.Sanitize()
	return s.write(ctx, "tamper", func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `ALTER TABLE `+table+` DISABLE TRIGGER USER`); err != nil {
			return err
		}
		tag, err := tx.Exec(ctx, s.replacer().Replace(stmt), args...)
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 {
			return &privacy.Error{Op: "tamper", Kind: privacy.ErrNotFound}
		}
		_, err = tx.Exec(ctx, `ALTER TABLE `+table+` ENABLE TRIGGER USER`)
		return err
	})
}

func (s tamperStore) SetEvent(seq uint64, e privacy.Event) error {
	return s.tamper(`UPDATE {schema}.audit_events SET time = $1, principal = $2, role = $3, on_behalf_of = $4, purpose = $5,
	subject = $6, case_id = $7, category = $8, object = $9, action = $10, outcome = $11, rule = $12, policy = $13,
	access_point = $14, client = $15, prev = $16, hash = $17 WHERE seq = $18`, ts(e.Time), string(e.Principal),
		string(e.Role), string(e.OnBehalfOf), string(e.Purpose), string(e.Subject), string(e.Case), string(e.Category),
		e.Object, string(e.Action), string(e.Outcome), string(e.Rule), e.Policy, e.AccessPoint, e.Client, e.Prev[:], e.Hash[:],
		int64(seq))
}

func (s tamperStore) DeleteEvent(seq uint64) error {
	return s.tamper(`DELETE FROM {schema}.audit_events WHERE seq = $1`, int64(seq))
}

func (s tamperStore) Renumber(from uint64) error {
	// Through negative numbers, so that no two rows share one on the way.
	if err := s.tamper(`UPDATE {schema}.audit_events SET seq = -(seq + 1) WHERE seq >= $1`, int64(from)); err != nil {
		return err
	}
	return s.tamper(`UPDATE {schema}.audit_events SET seq = -seq WHERE seq < 0`)
}

func (s tamperStore) PutEvent(e privacy.Event) error {
	return s.tamper(`INSERT INTO {schema}.audit_events (`+eventColumns+`) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9,
	$10, $11, $12, $13, $14, $15, $16, $17, $18)`, int64(e.Seq), ts(e.Time), string(e.Principal), string(e.Role),
		string(e.OnBehalfOf), string(e.Purpose), string(e.Subject), string(e.Case), string(e.Category), e.Object,
		string(e.Action), string(e.Outcome), string(e.Rule), e.Policy, e.AccessPoint, e.Client, e.Prev[:], e.Hash[:])
}

// TestAuditTampering: access.Verify finds every break a forger with write
// access to the tables can make in the audit trail (rule G7). The
// accesstest kit's own tampering cases skip on this adapter: its trail
// cannot be tampered with through the store (append-only triggers, and no
// role is granted UPDATE or DELETE), and an SQL trail keyed by sequence
// number has no faithful form of their insertion and swap; these are the
// same attacks on the tables.
func TestAuditTampering(t *testing.T) {
	adaptertest.RunTampering(t, func(t *testing.T) adaptertest.TamperStore { return tamperStore{OpenForTest(t, nil)} })
}
