package sqladapter

import (
	"encoding/json"
	"fmt"

	"github.com/dossierwacht/dossierwacht/privacy"
	"github.com/dossierwacht/dossierwacht/privacy/calendar"
	"github.com/dossierwacht/dossierwacht/retention"
)

func (c *check) optID(path, s string) {
	if s != "" {
		c.id(path, s)
	}
}

func (c *check) ids(path string, ids []privacy.RecordID) {
	for i, id := range ids {
		c.id(fmt.Sprintf("%s[%d]", path, i), string(id))
	}
}

// CheckHold checks what of h reaches SQL.
func CheckHold(op string, h retention.Hold) error {
	c := check{op: op}
	c.id("id", string(h.ID))
	c.id("subject", string(h.Subject))
	c.optID("case", string(h.Case))
	c.ids("records", h.Records)
	c.text("ground", string(h.Ground))
	c.text("reason", h.Reason)
	c.text("placed-by", string(h.PlacedBy))
	c.time("placed", h.Placed)
	c.text("lifted-by", string(h.LiftedBy))
	c.time("lifted", h.Lifted)
	c.text("lift-reason", h.LiftReason)
	return c.err
}

// CheckLift checks what of a hold's lifting reaches SQL.
func CheckLift(op string, id retention.HoldID, by privacy.PrincipalID, reason string) error {
	c := check{op: op}
	c.id("id", string(id))
	c.text("by", string(by))
	c.text("reason", reason)
	return c.err
}

// CheckErasure checks what of e reaches SQL.
func CheckErasure(op string, e retention.Erasure) error {
	c := check{op: op}
	c.id("id", string(e.ID))
	c.id("subject", string(e.Subject))
	c.optID("case", string(e.Case))
	c.ids("records", e.Records)
	c.text("rule", string(e.Rule))
	c.time("received", e.Received)
	c.time("decided", e.Decided)
	c.text("decided-by", string(e.DecidedBy))
	return c.err
}

// CheckProof checks what of p reaches SQL.
func CheckProof(op string, p retention.Proof) error {
	c := check{op: op}
	c.id("record", string(p.Record))
	c.id("case", string(p.Case))
	c.id("subject", string(p.Subject))
	for _, f := range []struct{ path, s string }{
		{"case-kind", string(p.CaseKind)}, {"category", string(p.Category)}, {"rule", string(p.Rule)},
		{"reason", string(p.Reason)}, {"citation", p.Citation}, {"erasure", string(p.Erasure)},
		{"policy", p.Policy}, {"by", string(p.By)},
	} {
		c.text(f.path, f.s)
	}
	c.time("updated", p.Updated)
	c.time("deleted", p.Deleted)
	for i, r := range p.Recipients {
		c.text(fmt.Sprintf("recipients[%d].kind", i), string(r.Kind))
		c.text(fmt.Sprintf("recipients[%d].party", i), string(r.Party))
	}
	return c.err
}

// CheckQuery checks what of q reaches SQL: a positive limit, a well-formed
// or empty After, times in range.
func CheckQuery(op string, q retention.Query) error {
	if q.Limit <= 0 {
		return &privacy.Error{Op: op, Kind: privacy.ErrInvalid, Path: "limit", Msg: "want a positive limit"}
	}
	c := check{op: op}
	c.optID("after", string(q.After))
	c.time("closed-before", q.ClosedBefore)
	c.time("employment-ended-before", q.EmploymentEndedBefore)
	c.time("created-before", q.CreatedBefore)
	c.time("erased-before", q.ErasedBefore)
	c.time("subject-created-before", q.SubjectCreatedBefore)
	return c.err
}

// EncodeIDs encodes a scope's record IDs as a JSON array; none is nil (the
// whole subject or case).
func EncodeIDs(ids []privacy.RecordID) []byte {
	if len(ids) == 0 {
		return nil
	}
	b, _ := json.Marshal(ids) // IDs are checked ASCII: cannot fail
	return b
}

// DecodeIDs decodes what EncodeIDs encoded. Damaged input is an error
// matching privacy.ErrUnavailable.
func DecodeIDs(b []byte) ([]privacy.RecordID, error) {
	if b == nil {
		return nil, nil
	}
	var ids []privacy.RecordID
	if err := json.Unmarshal(b, &ids); err != nil {
		return nil, &privacy.Error{Op: "decode ids", Kind: privacy.ErrUnavailable, Msg: "stored record IDs are damaged"}
	}
	return ids, nil
}

// EncodeRecipients encodes a proof's recipients as a JSON array; none is
// nil.
func EncodeRecipients(rs []retention.Recipient) []byte {
	if len(rs) == 0 {
		return nil
	}
	b, _ := json.Marshal(rs) // strings only: cannot fail
	return b
}

// DecodeRecipients decodes what EncodeRecipients encoded.
func DecodeRecipients(b []byte) ([]retention.Recipient, error) {
	if b == nil {
		return nil, nil
	}
	var rs []retention.Recipient
	if err := json.Unmarshal(b, &rs); err != nil {
		return nil, &privacy.Error{Op: "decode recipients", Kind: privacy.ErrUnavailable, Msg: "stored recipients are damaged"}
	}
	return rs, nil
}

// EncodeDate is how a proof's due day is kept: "YYYY-MM-DD", nil for the
// zero date.
func EncodeDate(d calendar.Date) any {
	if d.IsZero() {
		return nil
	}
	return d.String()
}

// DecodeDate reads what EncodeDate stored ("" for NULL).
func DecodeDate(s string) (calendar.Date, error) {
	if s == "" {
		return calendar.Date{}, nil
	}
	d, err := calendar.ParseDate(s)
	if err != nil {
		return calendar.Date{}, &privacy.Error{Op: "decode date", Kind: privacy.ErrUnavailable, Msg: "a stored date is damaged"}
	}
	return d, nil
}

// CaseHolds sorts out, for the deletion of case c, the standing holds hs
// of its subject (rule G3, see [retention.Hold.KeepsCase]): whole reports
// that one of them keeps the case as such; otherwise named are the records
// that holds of the whole subject name, which keep the case if one of them
// is c's.
func CaseHolds(hs []retention.Hold, c privacy.CaseID) (whole bool, named []privacy.RecordID) {
	for i := range hs {
		w, records := hs[i].KeepsCase(c)
		if w {
			return true, nil
		}
		named = append(named, records...)
	}
	return false, named
}

// CaseChangeHeld reports whether one of the standing holds hs of a case's
// subject keeps the whole of case old, which next would alter (rule G3;
// see [retention.Hold.HoldsCase] and [retention.AltersCase]).
func CaseChangeHeld(hs []retention.Hold, old, next privacy.Case) bool {
	if !retention.AltersCase(old, next) {
		return false
	}
	for i := range hs {
		if hs[i].HoldsCase(old.ID) {
			return true
		}
	}
	return false
}

// SubjectChangeHeld reports whether one of the standing holds hs of
// subject old keeps its whole data, which next would alter (rule G3; see
// [retention.Hold.HoldsSubject] and [retention.AltersSubject]).
func SubjectChangeHeld(hs []retention.Hold, old, next privacy.Subject) bool {
	if !retention.AltersSubject(old, next) {
		return false
	}
	for i := range hs {
		if hs[i].HoldsSubject() {
			return true
		}
	}
	return false
}

// Held is the refusal of a write that a standing legal hold forbids (rule
// G3): a direct deletion or a change of held data; msg says what the hold
// keeps.
func Held(op, msg string) error {
	return &privacy.Error{Op: op, Kind: privacy.ErrForbidden, Rule: privacy.G3, Msg: msg}
}
