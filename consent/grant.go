package consent

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"slices"
	"time"

	"github.com/dossierwacht/dossierwacht/privacy"
)

// GrantID identifies a consent grant. Like every ID of the library it
// carries no personal data.
type GrantID string

// Form is how a grant was given. Values are stored; they are never renamed.
type Form string

// The forms of consent.
const (
	// FormExplicit is explicit consent that is not (known to be) signed:
	// given in a conversation and noted, or by a click in a portal. It
	// satisfies rule R6 ("uitdrukkelijke toestemming").
	FormExplicit Form = "explicit"
	// FormWritten is written consent: the subject signed a document, and
	// the grant carries its reference. Rules O14 and O6 ask for it
	// ("schriftelijke toestemming", "schriftelijke machtiging"). A written
	// grant satisfies R6 as well.
	FormWritten Form = "written"
)

// Known reports whether f is one of the forms.
func (f Form) Known() bool { return f == FormExplicit || f == FormWritten }

// Recipient is a party that receives data, or that a grant lets receive
// it. In a [Request] both fields are required: who exactly receives, and
// what kind of party that is. In a [Grant] at least one is set: a grant
// naming only Party covers that party; one naming only Kind covers every
// party of that kind; one naming both covers that party as that kind.
type Recipient struct {
	Party privacy.PartyID   `json:"party,omitempty"`
	Kind  privacy.PartyKind `json:"kind,omitempty"`
}

// String returns "kind:party", for logs and messages (IDs only).
func (r Recipient) String() string { return string(r.Kind) + ":" + string(r.Party) }

// Grant is a consent given by a subject: which recipient may receive which
// categories of their data, for which purpose, from which case (or all),
// from when until when, and in which form (rules R6, O14, O6, O10).
//
// A grant is never edited. It ends by its Until time or by a revocation:
// [Registry.Revoke] sets Revoked, which blocks every disclosure at or after
// that time and leaves the log of earlier disclosures as it was.
type Grant struct {
	ID      GrantID           `json:"id"`
	Subject privacy.SubjectID `json:"subject"`
	// Recipient is who may receive the data.
	Recipient Recipient `json:"recipient"`
	// Categories are the kinds of data the grant covers. A grant never
	// covers the BSN (N5), the absence reason (O9) or a special category
	// (O5); medical data needs the written form (O6).
	Categories []privacy.Category `json:"categories"`
	// Purpose is the purpose the data may be disclosed for (R5).
	Purpose privacy.Purpose `json:"purpose"`
	// Case limits the grant to one case; empty means all of the subject's
	// cases.
	Case privacy.CaseID `json:"case,omitempty"`
	// Form is how the consent was given; Document references the signed
	// document of a written grant (O14, O6) and may reference the note of
	// an explicit one.
	Form     Form   `json:"form"`
	Document string `json:"document,omitempty"`
	// Given is when the subject gave the grant (signed it); the grant is
	// recorded as of that time.
	Given time.Time `json:"given"`
	// From and Until bound the grant's validity: in force from From (Given
	// when zero) up to, not including, Until (zero: open-ended).
	From  time.Time `json:"from,omitzero"`
	Until time.Time `json:"until,omitzero"`
	// Revoked is when the subject withdrew the grant; zero while it
	// stands. Set only by [Registry.Revoke].
	Revoked time.Time `json:"revoked,omitzero"`
}

// InForce reports whether g stands at t: from From, before Until, and
// before it was revoked.
func (g *Grant) InForce(t time.Time) bool { return g.inForce(instantOf(t)) }

// inForce is InForce on a time taken apart once, for the decider's scan.
func (g *Grant) inForce(t instant) bool {
	return !t.before(instantOf(g.From)) && (g.Until.IsZero() || t.before(instantOf(g.Until))) &&
		(g.Revoked.IsZero() || t.before(instantOf(g.Revoked)))
}

// instant is a time as seconds and nanoseconds since the Unix epoch: two
// integers that compare exactly as the times do, and cheaply.
type instant struct {
	sec  int64
	nsec int32
}

func instantOf(t time.Time) instant { return instant{t.Unix(), int32(t.Nanosecond())} }

func (a instant) before(b instant) bool { return a.sec < b.sec || a.sec == b.sec && a.nsec < b.nsec }

// Written reports whether g is in the written form with a document
// reference (O14, O6).
func (g *Grant) Written() bool { return g.Form == FormWritten && g.Document != "" }

// Covers reports whether g names category c.
func (g *Grant) Covers(c privacy.Category) bool { return slices.Contains(g.Categories, c) }

// Clone returns a deep copy of g: stores copy grants in and out.
func (g Grant) Clone() Grant {
	g.Categories = slices.Clone(g.Categories)
	return g
}

// LogValue identifies the grant by ID, subject and form; never its
// document reference.
func (g Grant) LogValue() slog.Value {
	return slog.GroupValue(slog.String("id", string(g.ID)), slog.String("subject", string(g.Subject)),
		slog.String("form", string(g.Form)))
}

// normalize returns g with the times as stores keep them and From
// defaulted to Given.
func (g Grant) normalize() Grant {
	g = g.Clone()
	g.Given = privacy.Timestamp(g.Given)
	g.From = privacy.Timestamp(g.From)
	if g.From.IsZero() {
		g.From = g.Given
	}
	g.Until = privacy.Timestamp(g.Until)
	g.Revoked = privacy.Timestamp(g.Revoked)
	return g
}

// Validate reports whether g is well formed, with an [*privacy.Error]
// naming the path of the first bad value and, where a rule makes it
// wrong, the rule:
//   - IDs well formed; a recipient with a party or a known kind, not the
//     service itself or the subject;
//   - one to all categories, known and without repeats; never a special
//     category (O5, [privacy.ErrProhibitedCategory]), the absence reason
//     (O9) or the BSN (N5: consent cannot make its use lawful);
//   - a purpose (R5), a known form; a written grant references its
//     document (O14); medical data only in a written grant (O6);
//   - Given set; From, if set, not before Given (consent does not reach
//     back); Until, if set, after From.
func (g *Grant) Validate() error {
	const op = "consent: validate grant"
	bad := func(rule privacy.RuleID, path, msg string) error {
		return &privacy.Error{Op: op, Kind: privacy.ErrInvalid, Rule: rule, Path: path, Msg: msg}
	}
	for _, f := range []struct{ path, id string }{{"id", string(g.ID)}, {"subject", string(g.Subject)}} {
		if !privacy.ValidID(f.id) {
			return bad("", f.path, idRule)
		}
	}
	if g.Recipient.Party == "" && g.Recipient.Kind == "" {
		return bad(privacy.R6, "recipient", "a grant names a recipient party or kind")
	}
	if g.Recipient.Party != "" && !privacy.ValidID(string(g.Recipient.Party)) {
		return bad("", "recipient.party", idRule)
	}
	switch k := g.Recipient.Kind; {
	case k == "":
	case !k.Known():
		return bad("", "recipient.kind", fmt.Sprintf("unknown party kind %q", short(string(k))))
	case k == privacy.PartyService || k == privacy.PartySubject:
		return bad("", "recipient.kind", "consent is for parties outside the service")
	}
	if len(g.Categories) == 0 {
		return bad(privacy.R6, "categories", "a grant names the categories it covers")
	}
	for i, c := range g.Categories {
		path := fmt.Sprintf("categories[%d]", i)
		switch {
		case c.Special():
			// Rule O5: special categories are never processed, so never
			// disclosed.
			return &privacy.Error{Op: op, Kind: privacy.ErrProhibitedCategory, Rule: privacy.O5, Path: path,
				Msg: fmt.Sprintf("category %q is never processed", c)}
		case !c.Known():
			return bad("", path, fmt.Sprintf("unknown category %q", short(string(c))))
		case c == privacy.CategoryAbsenceReason:
			// Rule O9: the absence reason is for internal use only.
			return bad(privacy.O9, path, "the absence reason never leaves the service")
		case c == privacy.CategoryNationalID:
			// Rule N5: the BSN leaves only on a statute; consent cannot
			// make other use lawful.
			return bad(privacy.N5, path, "consent never covers the BSN")
		case slices.Contains(g.Categories[:i], c):
			return bad("", path, fmt.Sprintf("category %q named twice", c))
		}
	}
	if !privacy.ValidID(string(g.Purpose)) {
		return bad(privacy.R5, "purpose", "a grant names its purpose")
	}
	if g.Case != "" && !privacy.ValidID(string(g.Case)) {
		return bad("", "case", idRule)
	}
	switch g.Form {
	case FormWritten:
		if !privacy.ValidID(g.Document) {
			// Rule O14: written consent references its signed document.
			return bad(privacy.O14, "document", "a written grant references its signed document ("+idRule+")")
		}
	case FormExplicit:
		if g.Document != "" && !privacy.ValidID(g.Document) {
			return bad("", "document", idRule)
		}
		if g.Covers(privacy.CategoryMedical) {
			// Rule O6: medical data is shared only with written
			// authorisation.
			return bad(privacy.O6, "form", "medical data needs written consent")
		}
	default:
		return bad("", "form", fmt.Sprintf("unknown form %q: want explicit or written", short(string(g.Form))))
	}
	if g.Given.IsZero() {
		return bad("", "given", "missing")
	}
	from := g.From
	if from.IsZero() {
		from = g.Given
	}
	if from.Before(g.Given) {
		// Consent does not reach back to before it was given.
		return bad(privacy.R6, "from", "a grant is not in force before it was given")
	}
	if !g.Until.IsZero() && !g.Until.After(from) {
		return bad("", "until", "the grant ends before it starts")
	}
	return nil
}

const idRule = "want 1 to 128 of A-Z a-z 0-9 . _ : -"

func short(s string) string {
	if len(s) <= 32 {
		return s
	}
	return s[:32] + "…"
}

// maxJSON bounds what the decoders read: a grant or a request is small.
const maxJSON = 64 << 10

// DecodeGrant reads one grant in JSON, as an HTTP service receives it, and
// validates it (see [Grant.Validate]). Decoding is strict: an unknown
// field, a wrong type, trailing data or more than 64 KiB fail with an
// [*privacy.Error] that matches [privacy.ErrInvalid]. A decoded grant
// carries no revocation: that is [Registry.Revoke]'s alone.
func DecodeGrant(r io.Reader) (Grant, error) {
	const op = "consent: decode grant"
	var g Grant
	if err := decodeStrict(op, r, &g); err != nil {
		return Grant{}, err
	}
	if !g.Revoked.IsZero() {
		return Grant{}, &privacy.Error{Op: op, Kind: privacy.ErrInvalid, Path: "revoked", Msg: "a new grant is not revoked"}
	}
	g = g.normalize()
	if err := g.Validate(); err != nil {
		return Grant{}, err
	}
	return g, nil
}

func decodeStrict(op string, r io.Reader, v any) error {
	data, err := io.ReadAll(io.LimitReader(r, maxJSON+1))
	if err != nil {
		return &privacy.Error{Op: op, Kind: privacy.ErrInvalid, Msg: "read failed", Err: err}
	}
	if len(data) > maxJSON {
		return &privacy.Error{Op: op, Kind: privacy.ErrInvalid, Msg: "larger than 64 KiB"}
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return privacy.JSONError(op, err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return &privacy.Error{Op: op, Kind: privacy.ErrInvalid, Msg: "trailing data"}
	}
	return nil
}
