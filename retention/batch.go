package retention

import (
	"context"

	"github.com/dossierwacht/dossierwacht/privacy"
)

// BatchStore is a [Store] that can also delete many records in one atomic
// step. It is optional, as fs.ReadFileFS is beside fs.FS: [Keeper.Sweep]
// uses it when its store implements it, and falls back to one
// [Store.EraseRecord] per record when not. A database adapter implements it
// to pay for one transaction, one round of statements and one commit per
// batch instead of per record: a sweep of a million records is then a
// few thousand transactions, not a million.
//
// EraseRecords does what EraseRecord does for each proofs[i] with its
// audit event events[i], every check included, under one lock or
// transaction, with these differences:
//
//   - it returns one result per item: results[i] is nil when record
//     proofs[i].Record was deleted with its proof and event, or the error
//     EraseRecord would have returned for it (ErrExists, ErrNotFound,
//     ErrConflict, or ErrForbidden naming rule G3); a refused item changes
//     nothing and does not stop the others;
//   - the audit events of the deleted items are appended in the order of
//     the items, the others' not at all;
//   - err is for the batch as a whole: proofs and events of different
//     lengths, a record named twice ([privacy.ErrInvalid]), or a storage
//     failure ([privacy.ErrUnavailable]). When err is not nil, nothing has
//     changed and results is nil.
//
// An empty batch changes nothing and returns no results.
type BatchStore interface {
	Store
	EraseRecords(ctx context.Context, proofs []Proof, events []privacy.Event) (results []error, err error)
}
