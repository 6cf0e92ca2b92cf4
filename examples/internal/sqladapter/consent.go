package sqladapter

import (
	"encoding/json"

	"github.com/dossierwacht/dossierwacht/consent"
	"github.com/dossierwacht/dossierwacht/privacy"
)

// CheckGrant checks what of g reaches SQL: its ID and subject are well
// formed, its text columns and categories are text either database keeps,
// its times lie in years 1 to 9999. Whether the grant is valid consent is
// consent.Grant.Validate's question, asked before the store is.
func CheckGrant(op string, g consent.Grant) error {
	c := check{op: op}
	c.id("id", string(g.ID))
	c.id("subject", string(g.Subject))
	c.text("recipient.party", string(g.Recipient.Party))
	c.text("recipient.kind", string(g.Recipient.Kind))
	for _, cat := range g.Categories {
		c.text("categories", string(cat))
	}
	c.text("purpose", string(g.Purpose))
	c.text("case", string(g.Case))
	c.text("form", string(g.Form))
	c.text("document", g.Document)
	c.time("given", g.Given)
	c.time("from", g.From)
	c.time("until", g.Until)
	c.time("revoked", g.Revoked)
	return c.err
}

// CheckDisclosure checks what of d reaches SQL, as [CheckGrant] does for a
// grant; its items are kept as one JSON value ([EncodeItems]).
func CheckDisclosure(op string, d consent.Disclosure) error {
	c := check{op: op}
	c.id("id", string(d.ID))
	c.id("subject", string(d.Subject))
	c.text("case", string(d.Case))
	c.text("recipient.party", string(d.Recipient.Party))
	c.text("recipient.kind", string(d.Recipient.Kind))
	for _, it := range d.Items {
		c.text("items.category", string(it.Category))
		c.text("items.record", string(it.Record))
		for _, f := range it.Fields {
			c.text("items.fields", string(f))
		}
	}
	c.text("purpose", string(d.Purpose))
	c.time("at", d.At)
	c.text("by", string(d.By))
	c.text("role", string(d.Role))
	c.text("rule", string(d.Rule))
	c.text("basis", string(d.Basis))
	c.text("legal-basis", string(d.LegalBasis))
	for _, g := range d.Grants {
		c.text("grants", string(g))
	}
	c.text("policy", d.Policy)
	c.text("written-request", d.WrittenRequest)
	c.text("coverage", string(d.Coverage))
	return c.err
}

// CheckCoverage checks what of cv reaches SQL, as [CheckGrant] does for a
// grant. Whether the coverage is valid is consent.Coverage.Validate's
// question, asked before the store is.
func CheckCoverage(op string, cv consent.Coverage) error {
	c := check{op: op}
	c.id("id", string(cv.ID))
	c.text("insurer", string(cv.Insurer))
	c.text("employer", string(cv.Employer))
	c.time("from", cv.From)
	c.time("until", cv.Until)
	return c.err
}

// EncodeItems encodes a disclosure's items as a JSON array, the form both
// adapters keep them in ([] for none). Items hold category, record and
// field names only, never content; [CheckDisclosure] has made sure they
// are valid UTF-8, so they round-trip exactly.
func EncodeItems(op string, items []consent.Item) ([]byte, error) {
	if items == nil {
		items = []consent.Item{}
	}
	return encode(op, "items", items)
}

// encode encodes v as JSON; what does not encode is privacy.ErrInvalid.
func encode(op, path string, v any) ([]byte, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, &privacy.Error{Op: op, Kind: privacy.ErrInvalid, Path: path, Msg: "does not encode"}
	}
	return b, nil
}

// DecodeItems decodes what [EncodeItems] encoded; none decode as nil.
// Malformed input is an error matching privacy.ErrUnavailable: the stored
// data is damaged.
func DecodeItems(b []byte) ([]consent.Item, error) {
	var items []consent.Item
	if err := json.Unmarshal(b, &items); err != nil {
		return nil, &privacy.Error{Op: "decode items", Kind: privacy.ErrUnavailable, Msg: "stored items are damaged"}
	}
	if len(items) == 0 {
		return nil, nil
	}
	return items, nil
}

// EncodeStrings encodes a list of names (categories, grant or record IDs)
// as a JSON array, [] for none: the form SQLite keeps lists in.
func EncodeStrings[S ~string](list []S) string {
	if len(list) == 0 {
		return "[]"
	}
	// A list of strings always encodes; [CheckText] has made sure that
	// each is valid UTF-8, so that it round-trips.
	b, _ := json.Marshal(list)
	return string(b)
}

// DecodeStrings decodes what [EncodeStrings] encoded; none decode as nil.
// Malformed input is an error matching privacy.ErrUnavailable.
func DecodeStrings[S ~string](s string) ([]S, error) {
	var list []S
	if err := json.Unmarshal([]byte(s), &list); err != nil {
		return nil, &privacy.Error{Op: "decode list", Kind: privacy.ErrUnavailable, Msg: "a stored list is damaged"}
	}
	if len(list) == 0 {
		return nil, nil
	}
	return list, nil
}

// Strings converts a list of names to []string, for a PostgreSQL text[]
// parameter ({} for none).
func Strings[S ~string](list []S) []string {
	out := make([]string, len(list))
	for i, s := range list {
		out[i] = string(s)
	}
	return out
}

// Named converts what [Strings] made back; none is nil.
func Named[S ~string](list []string) []S {
	if len(list) == 0 {
		return nil
	}
	out := make([]S, len(list))
	for i, s := range list {
		out[i] = S(s)
	}
	return out
}
