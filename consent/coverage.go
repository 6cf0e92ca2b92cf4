package consent

import (
	"log/slog"
	"time"

	"github.com/dossierwacht/dossierwacht/privacy"
)

// CoverageID identifies an entry of the coverage register. Like every ID
// of the library it carries no personal data.
type CoverageID string

// Coverage is an entry of the coverage register: the absence insurer
// Insurer covers the absence risk of the employer Employer from From up
// to, not including, Until (zero: open-ended). Rule O11 lets an absence
// insurer have the overview of sick employees only of the employers it
// covers: [Registry.Disclose] gives it the overview of a case only when
// the register holds a coverage of the case's commissioning employer in
// force at the disclosure's time, and logs which one.
//
// Coverage is recorded with [Registry.AddCoverage] and ended with
// [Registry.EndCoverage], each with an audit event; it is never edited
// otherwise.
type Coverage struct {
	ID       CoverageID      `json:"id"`
	Insurer  privacy.PartyID `json:"insurer"`
	Employer privacy.PartyID `json:"employer"`
	From     time.Time       `json:"from"`
	Until    time.Time       `json:"until,omitzero"`
}

// InForce reports whether c stands at t: from From, before Until.
func (c *Coverage) InForce(t time.Time) bool { return c.inForce(instantOf(t)) }

func (c *Coverage) inForce(t instant) bool {
	return !t.before(instantOf(c.From)) && (c.Until.IsZero() || t.before(instantOf(c.Until)))
}

// LogValue identifies the coverage by ID, insurer and employer: parties,
// not people.
func (c Coverage) LogValue() slog.Value {
	return slog.GroupValue(slog.String("id", string(c.ID)), slog.String("insurer", string(c.Insurer)),
		slog.String("employer", string(c.Employer)))
}

func (c Coverage) normalize() Coverage {
	c.From = privacy.Timestamp(c.From)
	c.Until = privacy.Timestamp(c.Until)
	return c
}

// Validate reports whether c is well formed: IDs, a start, and an end
// (if any) after the start. It fails with an [*privacy.Error] matching
// [privacy.ErrInvalid] that names the path of the first bad value.
func (c *Coverage) Validate() error {
	const op = "consent: validate coverage"
	bad := func(path, msg string) error {
		return &privacy.Error{Op: op, Kind: privacy.ErrInvalid, Rule: privacy.O11, Path: path, Msg: msg}
	}
	for _, f := range []struct{ path, id string }{
		{"id", string(c.ID)}, {"insurer", string(c.Insurer)}, {"employer", string(c.Employer)},
	} {
		if !privacy.ValidID(f.id) {
			return bad(f.path, idRule)
		}
	}
	if c.From.IsZero() {
		return bad("from", "missing")
	}
	if !c.Until.IsZero() && !c.Until.After(c.From) {
		return bad("until", "the coverage ends before it starts")
	}
	return nil
}

// coverageFor returns the first coverage in cs that lets insurer have
// the overview of employer's employees at t, or nil.
func coverageFor(cs []Coverage, insurer, employer privacy.PartyID, t instant) *Coverage {
	for i := range cs {
		c := &cs[i]
		if c.Insurer == insurer && c.Employer == employer && c.inForce(t) {
			return c
		}
	}
	return nil
}
