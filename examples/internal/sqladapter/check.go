package sqladapter

import (
	"strings"
	"time"
	"unicode/utf8"

	"github.com/dossierwacht/dossierwacht/privacy"
)

// maxText bounds a text column: no identifier, category or policy version
// comes near it.
const maxText = 4096

// CheckID reports an error matching privacy.ErrInvalid unless id is a
// well-formed identifier ([privacy.ValidID]).
func CheckID(op, path, id string) error {
	if !privacy.ValidID(id) {
		return &privacy.Error{Op: op, Kind: privacy.ErrInvalid, Path: path, Msg: "malformed id"}
	}
	return nil
}

// CheckText reports an error matching privacy.ErrInvalid unless s can be
// kept in a text column of either database: valid UTF-8, no NUL byte, at
// most 4096 bytes.
func CheckText(op, path, s string) error {
	if len(s) > maxText || !utf8.ValidString(s) || strings.IndexByte(s, 0) >= 0 {
		return &privacy.Error{Op: op, Kind: privacy.ErrInvalid, Path: path, Msg: "want UTF-8 text without NUL, at most 4096 bytes"}
	}
	return nil
}

// CheckTime reports an error matching privacy.ErrInvalid unless t is zero or
// lies in the years 1 to 9999, which both databases keep to the
// microsecond.
func CheckTime(op, path string, t time.Time) error {
	if t.IsZero() {
		return nil
	}
	if y := t.UTC().Year(); y < 1 || y > 9999 {
		return &privacy.Error{Op: op, Kind: privacy.ErrInvalid, Path: path, Msg: "time out of range"}
	}
	return nil
}

type check struct {
	op  string
	err error
}

func (c *check) id(path, s string) {
	if c.err == nil {
		c.err = CheckID(c.op, path, s)
	}
}

func (c *check) text(path, s string) {
	if c.err == nil {
		c.err = CheckText(c.op, path, s)
	}
}

func (c *check) time(path string, t time.Time) {
	if c.err == nil {
		c.err = CheckTime(c.op, path, t)
	}
}

// CheckSubject checks what of s reaches SQL.
func CheckSubject(op string, s privacy.Subject) error {
	c := check{op: op}
	c.id("id", string(s.ID))
	c.text("employer", string(s.Employer))
	c.time("employment-ended", s.EmploymentEnded)
	c.time("created", s.Created)
	return c.err
}

// CheckCase checks what of cs reaches SQL.
func CheckCase(op string, cs privacy.Case) error {
	c := check{op: op}
	c.id("id", string(cs.ID))
	c.id("subject", string(cs.Subject))
	c.text("kind", string(cs.Kind))
	c.text("purpose", string(cs.Purpose))
	c.text("contract.id", string(cs.Contract.ID))
	c.text("contract.party", string(cs.Contract.Party))
	c.text("contract.party-kind", string(cs.Contract.PartyKind))
	c.time("contract.start", cs.Contract.Start)
	c.time("contract.end", cs.Contract.End)
	c.time("opened", cs.Opened)
	c.time("closed", cs.Closed)
	return c.err
}

// CheckRecord checks what of r reaches SQL; its creation time is required. Its fields are encoded whole
// ([EncodeFields]) and need no check.
func CheckRecord(op string, r privacy.Record) error {
	c := check{op: op}
	c.id("id", string(r.ID))
	c.id("case", string(r.Case))
	c.text("subject", string(r.Subject))
	c.text("category", string(r.Category))
	c.text("author", string(r.Author))
	c.text("source.kind", string(r.Source.Kind))
	c.text("source.party", string(r.Source.Party))
	c.text("purpose", string(r.Purpose))
	c.text("basis", string(r.Basis))
	c.time("created", r.Created)
	c.time("updated", r.Updated)
	if c.err == nil && r.Created.IsZero() {
		// Records are ordered and paged by creation time: it is required.
		c.err = &privacy.Error{Op: op, Kind: privacy.ErrInvalid, Path: "created", Msg: "missing"}
	}
	return c.err
}

// CheckEvent checks what of e reaches SQL.
func CheckEvent(op string, e privacy.Event) error {
	c := check{op: op}
	c.time("time", e.Time)
	// Rule G7: an event's subject names its chain: a subject ID, or
	// none (the service's own chain). Anything else would start a chain
	// of its own, or be refused by the server as if it were unavailable.
	if e.Subject != "" {
		c.id("subject", string(e.Subject))
	}
	for _, f := range []struct{ path, s string }{
		{"principal", string(e.Principal)}, {"role", string(e.Role)}, {"on-behalf-of", string(e.OnBehalfOf)},
		{"purpose", string(e.Purpose)}, {"subject", string(e.Subject)}, {"case", string(e.Case)},
		{"category", string(e.Category)}, {"object", e.Object}, {"action", string(e.Action)},
		{"outcome", string(e.Outcome)}, {"rule", string(e.Rule)}, {"policy", e.Policy},
		{"access-point", e.AccessPoint}, {"client", e.Client},
	} {
		c.text(f.path, f.s)
	}
	return c.err
}

// CheckWriteEvents checks the audit events of a write of privacy.Store: at
// least one (rules O1, G7: no write goes unaudited, else
// privacy.ErrInvalid naming G7), each of them fit for SQL.
func CheckWriteEvents(op string, events []privacy.Event) error {
	if len(events) == 0 {
		return &privacy.Error{Op: op, Kind: privacy.ErrInvalid, Rule: privacy.G7, Msg: "a write needs its audit events"}
	}
	for _, e := range events {
		if err := CheckEvent(op, e); err != nil {
			return err
		}
	}
	return nil
}

// ClosedBefore is the refusal of a closing dated before a record of the
// case was created or changed (rule R4: a case closes after what it
// holds).
func ClosedBefore(op string) error {
	return &privacy.Error{Op: op, Kind: privacy.ErrConflict, Rule: privacy.R4, Msg: "the case holds records dated after the closing"}
}

// Closed is the refusal of an addition to a closed case (rule R4).
func Closed(op string) error {
	return &privacy.Error{Op: op, Kind: privacy.ErrConflict, Rule: privacy.R4, Msg: "the case is closed"}
}
