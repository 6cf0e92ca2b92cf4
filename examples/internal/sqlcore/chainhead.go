package sqlcore

import (
	"context"

	"github.com/dossierwacht/dossierwacht/access"
	"github.com/dossierwacht/dossierwacht/examples/internal/sqladapter"
	"github.com/dossierwacht/dossierwacht/privacy"
)

// ChainHead returns the head of one chain (its last event, or its anchor
// when every event was pruned) and its anchor if it was pruned
// (access.ChainHeadStore, rule G7): what a subject's export hands over,
// read from the chain's own rows, by subject (issue 14 §2), not from every
// chain's. A read: it locks nothing. A stored hash or MAC of the wrong
// length is an error matching access.ErrDamaged.
func (s Store) ChainHead(ctx context.Context, chain privacy.SubjectID) (access.Checkpoint, privacy.Anchor, error) {
	op := s.op("chain head")
	if chain != "" {
		if err := sqladapter.CheckID(op, "chain", string(chain)); err != nil {
			return access.Checkpoint{}, privacy.Anchor{}, err
		}
	}
	db := s.D.Reader(ctx, false)
	var h access.Checkpoint
	var seq int64
	var hash, mac []byte
	switch err := db.QueryRow(ctx, s.Q.ChainHead, string(chain)).Scan(&seq, &hash); {
	case noRows(err):
	case err != nil:
		return access.Checkpoint{}, privacy.Anchor{}, s.fail(op, err)
	case len(hash) != len(h.Hash):
		return access.Checkpoint{}, privacy.Anchor{}, access.Damaged(op, chain, uint64(seq))
	default:
		h.Seq = uint64(seq)
		copy(h.Hash[:], hash)
	}
	var a privacy.Anchor
	switch err := db.QueryRow(ctx, s.Q.ChainAnchor, string(chain)).Scan(&seq, &hash, &mac); {
	case noRows(err):
	case err != nil:
		return access.Checkpoint{}, privacy.Anchor{}, s.fail(op, err)
	case len(hash) != len(a.Hash) || len(mac) != len(a.MAC):
		return access.Checkpoint{}, privacy.Anchor{}, access.Damaged(op, chain, uint64(seq))
	default:
		a.Subject, a.Seq = chain, uint64(seq)
		copy(a.Hash[:], hash)
		copy(a.MAC[:], mac)
	}
	return h, a, nil
}
