package pgstore

import (
	"context"

	"github.com/dossierwacht/dossierwacht/access"
	"github.com/dossierwacht/dossierwacht/privacy"
)

var _ access.ChainHeadStore = (*Store)(nil)

// ChainHead implements [access.ChainHeadStore] (rule G7): the head and the
// anchor of one chain, read from that chain's rows alone (issue 14 §2),
// for the head a subject's export hands over.
func (s *Store) ChainHead(ctx context.Context, chain privacy.SubjectID) (access.Checkpoint, privacy.Anchor, error) {
	return s.core().ChainHead(ctx, chain)
}
