package privacy

import (
	"errors"
	"log/slog"
	"time"
)

// Act says who acts, when, why and from where: the facts an audit event
// needs beyond what was done (rules G7, N9, NEN 7513). Every write of
// [Dossiers], and every read of its medical file, takes one and writes
// them into the audit trail with the operation.
//
// An Act names an authenticated principal that the caller vouches for
// (rule R12); it grants nothing. Whether By may do what it asks is decided
// by package access and the front door before the call.
type Act struct {
	// By is the principal who acts.
	By Principal
	// At is when the act happens; [Dossiers] takes it as the time of what
	// it writes (a case closes at At).
	At time.Time
	// Purpose is what the act is for (R5). Empty means the purpose of the
	// case acted on; set, it must be that purpose.
	Purpose Purpose
	// AccessPoint and Client say where the act comes from (a network
	// address, a workstation) and which application made it: at most 256
	// printable ASCII bytes each, no personal data (N9).
	AccessPoint, Client string
	// Cases are the cases By is assigned to (rules R7, O4), for the
	// decisions an act takes on case content (a rectification, an export
	// by staff): without them By is assigned to none. The front door
	// fills them from its actor.
	Cases []CaseID
}

// maxOriginLen bounds an act's access point and client.
const maxOriginLen = 256

// Validate reports whether a is well formed: a valid principal (a
// contractor without its agreement fails with [ErrForbidden], rule O7), a
// time, a well-formed purpose if one is set, an access point and a client
// of at most 256 printable ASCII bytes.
func (a Act) Validate() error {
	const op = "validate act"
	if err := a.By.Validate(); err != nil {
		var e *Error
		if errors.As(err, &e) {
			c := *e
			c.Op, c.Path = op, "by."+c.Path
			return &c
		}
		return err
	}
	if a.At.IsZero() {
		return &Error{Op: op, Kind: ErrInvalid, Rule: N9, Path: "at", Msg: "missing"}
	}
	if a.Purpose != "" && !ValidID(string(a.Purpose)) {
		return &Error{Op: op, Kind: ErrInvalid, Rule: R5, Path: "purpose", Msg: "malformed purpose"}
	}
	for _, f := range [...]struct{ path, v string }{{"access-point", a.AccessPoint}, {"client", a.Client}} {
		if !printable(f.v, maxOriginLen) {
			return &Error{Op: op, Kind: ErrInvalid, Rule: N9, Path: f.path, Msg: "want at most 256 printable ASCII bytes"}
		}
	}
	return nil
}

// printable reports whether s is at most max bytes of printable ASCII.
func printable(s string, max int) bool {
	if len(s) > max {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < 0x20 || s[i] > 0x7e {
			return false
		}
	}
	return true
}

// LogValue identifies the act by its principal and time.
func (a Act) LogValue() slog.Value {
	return slog.GroupValue(slog.Any("by", a.By), slog.Time("at", a.At))
}
