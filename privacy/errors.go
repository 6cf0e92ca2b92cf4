package privacy

import (
	"errors"
	"strings"
)

// The error kinds. Every error this module returns matches exactly one of
// them with [errors.Is], through every layer: engines, stores and adapters.
// Callers branch on these, never on message text.
var (
	// ErrInvalid is returned for input that is malformed or incomplete:
	// an empty or oversized ID, an unknown category, a field that its
	// category does not have, a policy that contradicts itself.
	ErrInvalid = errors.New("invalid")

	// ErrNotFound is returned when a subject, case, record or other object
	// does not exist, and also where saying "forbidden" would reveal that
	// it exists (a denied caller learns no more than that).
	ErrNotFound = errors.New("not found")

	// ErrExists is returned when an object with the same ID already exists.
	ErrExists = errors.New("already exists")

	// ErrForbidden is returned when a rule refuses an operation. The
	// [*Error] that carries it names the rule.
	ErrForbidden = errors.New("forbidden")

	// ErrProhibitedCategory is returned when a record in a special category
	// of personal data (GDPR art. 9 other than health, or criminal data,
	// art. 10) is written. Rule O5. It also matches [ErrForbidden].
	ErrProhibitedCategory = &kindError{"prohibited category", ErrForbidden}

	// ErrConflict is returned when a write loses a race or contradicts the
	// state it meets (a case closed twice, a revoked grant revoked again).
	ErrConflict = errors.New("conflict")

	// ErrUnavailable is returned by stores when the storage itself failed
	// (connection lost, disk full). The operation did not take effect.
	ErrUnavailable = errors.New("storage unavailable")
)

// kindError is a kind that is also a narrower case of another kind.
type kindError struct {
	msg    string
	parent error
}

func (e *kindError) Error() string { return e.msg }
func (e *kindError) Unwrap() error { return e.parent }

// Error is the structured error of this module: the operation that failed,
// its kind (one of the Err… sentinels), the rule that decided it, where the
// bad value sits, and an optional underlying error. Messages never carry
// personal data: IDs, categories and rule IDs only.
type Error struct {
	Op   string // the operation, e.g. "add record", "decode policy"
	Kind error  // ErrInvalid, ErrNotFound, ErrForbidden, …
	Rule RuleID // the rule that decided, if one did
	Path string // where the bad value is, e.g. "visibility[2].categories[0]"
	Msg  string // a short, non-personal explanation
	Err  error  // the underlying error, if any
}

// Error formats the error as "privacy: op: [rule] path: msg: err".
func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString("privacy: ")
	b.WriteString(e.Op)
	if e.Rule != "" {
		b.WriteString(": rule ")
		b.WriteString(string(e.Rule))
	}
	if e.Path != "" {
		b.WriteString(": ")
		b.WriteString(e.Path)
	}
	if e.Msg != "" {
		b.WriteString(": ")
		b.WriteString(e.Msg)
	} else if e.Kind != nil {
		b.WriteString(": ")
		b.WriteString(e.Kind.Error())
	}
	if e.Err != nil {
		b.WriteString(": ")
		b.WriteString(e.Err.Error())
	}
	return b.String()
}

// Unwrap returns the kind and the underlying error, so that [errors.Is]
// matches both.
func (e *Error) Unwrap() []error {
	errs := make([]error, 0, 2)
	if e.Kind != nil {
		errs = append(errs, e.Kind)
	}
	if e.Err != nil {
		errs = append(errs, e.Err)
	}
	return errs
}

// RuleOf returns the rule named by the first [*Error] in err's chain, or ""
// if there is none.
func RuleOf(err error) RuleID {
	var e *Error
	if errors.As(err, &e) {
		return e.Rule
	}
	return ""
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}
