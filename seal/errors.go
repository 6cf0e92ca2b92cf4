package seal

import "github.com/dossierwacht/dossierwacht/privacy"

// kind is an error kind of this package that is a narrower case of one of
// package privacy's, so that a caller branching on the privacy kinds needs
// nothing new.
type kind struct {
	msg    string
	parent error
}

func (e *kind) Error() string { return e.msg }
func (e *kind) Unwrap() error { return e.parent }

var (
	// ErrErased is the kind of a read of sealed content whose key was
	// destroyed: the subject was erased (GDPR art. 17). It also matches
	// [privacy.ErrNotFound]: after an erasure nothing of the subject is
	// reachable, which is what the store contract says of a deleted
	// object.
	ErrErased error = &kind{"erased", privacy.ErrNotFound}

	// ErrTampered is the kind of a sealed value that fails its
	// authentication: changed, truncated, or moved to another subject,
	// record or field than it was sealed for. It also matches
	// [privacy.ErrInvalid].
	ErrTampered error = &kind{"sealed value fails authentication", privacy.ErrInvalid}

	// ErrNoKEK is the kind of a data key wrapped by a key-encryption key
	// the Store was not given. It also matches [privacy.ErrUnavailable]:
	// the content is there, the configuration lacks the key to it.
	ErrNoKEK error = &kind{"key-encryption key not configured", privacy.ErrUnavailable}
)
