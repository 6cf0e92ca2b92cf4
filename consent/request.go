package consent

import (
	"errors"
	"fmt"
	"io"
	"log/slog"
	"slices"
	"time"

	"github.com/dossierwacht/dossierwacht/access"
	"github.com/dossierwacht/dossierwacht/privacy"
)

// DisclosureID identifies a disclosure: the caller names each request, as
// it names records, so that a retried request is recognised
// ([privacy.ErrExists]) rather than logged twice.
type DisclosureID string

// Item is one piece of what a request discloses: a category of the
// subject's data, optionally one record of it, optionally only some of its
// fields. No Fields means every field of the category.
type Item struct {
	Category privacy.Category `json:"category"`
	Record   privacy.RecordID `json:"record,omitempty"`
	Fields   []privacy.Field  `json:"fields,omitempty"`
}

// Request asks to disclose data of one subject, from one of the
// subject's cases, to one recipient: who discloses, to whom, what, for
// which purpose, when, and optionally on which statute of the policy
// ([privacy.LegalBasis]). [Registry.Disclose] decides it and logs it;
// [Engine.Decide] only decides.
type Request struct {
	ID DisclosureID `json:"id"`
	// By is the principal who discloses, with its assignments: someone of
	// the service's own staff, who may disclose only what the access
	// engine lets it read of the case at that moment (rules R7, O4, R8,
	// O6, G8, N4, N6). An HTTP service takes it from authentication, never
	// from the body, so it does not decode from JSON. Required.
	By        *access.Principal `json:"-"`
	Recipient Recipient         `json:"recipient"`
	Subject   privacy.SubjectID `json:"subject"`
	// Case is the case the data comes from. Required: every disclosure
	// comes from one case, and is decided with it (its kind, commissioner,
	// purpose and contract term: rules O10, N2, O11, R5, O2). Data of
	// several cases goes in one request per case. A grant for one case
	// covers only requests that name it.
	Case    privacy.CaseID  `json:"case"`
	Items   []Item          `json:"items"`
	Purpose privacy.Purpose `json:"purpose"`
	At      time.Time       `json:"at"`
	// Basis names the statute the disclosure rests on, if it rests on one
	// (R6, O14, N5, N10); empty means consent or a rule that needs none.
	Basis privacy.LegalBasisID `json:"basis,omitempty"`
	// WrittenRequest references the recipient's written request for the
	// data (a letter, a form, an e-mail kept on file). Rule O14: a third
	// party, and the employer beyond the statutory minimum, receive data
	// on consent only on their written request as well as the subject's
	// written consent (what needs no consent, N2's advice and O11's
	// overview, needs no request); the reference is kept in the
	// disclosure log.
	WrittenRequest string `json:"written_request,omitempty"`
	// AccessPoint and Client say where the request came from, for the
	// audit trail (N9); optional. Left empty, the principal's are used.
	AccessPoint string `json:"access_point,omitempty"`
	Client      string `json:"client,omitempty"`
}

// LogValue identifies the request by ID, subject and recipient.
func (r Request) LogValue() slog.Value {
	return slog.GroupValue(slog.String("id", string(r.ID)), slog.String("subject", string(r.Subject)),
		slog.String("recipient", r.Recipient.String()))
}

// maxItems bounds a request: one item per category and record is plenty.
const maxItems = 256

// Validate reports whether r is well formed: IDs, a valid principal, a
// recipient with party and known kind, a case, one to 256 items of known,
// not special categories (O5) with fields their category has and no item
// twice, a purpose, a time. Whether the policy allows it is
// [Engine.Decide]'s question, not this one's. A well-formed principal
// that is forbidden as such (a contractor without its agreement, rule O7)
// fails with [privacy.ErrForbidden], after every other check passed;
// [Registry.Disclose] decides and audits such a request as a denial.
func (r *Request) Validate() error {
	forbidden := r.By.Validate()
	if err := forbidden; err != nil && !errors.Is(err, privacy.ErrForbidden) {
		var e *privacy.Error
		if errors.As(err, &e) {
			c := *e
			if c.Path == "" {
				c.Path = "by"
			} else {
				c.Path = "by." + c.Path
			}
			return &c
		}
		return err
	}
	if err := r.validateBody("consent: validate request"); err != nil {
		return err
	}
	return forbidden
}

func (r *Request) validateBody(op string) error {
	bad := func(rule privacy.RuleID, path, msg string) error {
		return &privacy.Error{Op: op, Kind: privacy.ErrInvalid, Rule: rule, Path: path, Msg: msg}
	}
	for _, f := range []struct{ path, id string }{
		{"id", string(r.ID)}, {"subject", string(r.Subject)}, {"recipient.party", string(r.Recipient.Party)},
	} {
		if !privacy.ValidID(f.id) {
			return bad("", f.path, idRule)
		}
	}
	if !r.Recipient.Kind.Known() {
		return bad("", "recipient.kind", fmt.Sprintf("unknown party kind %q", short(string(r.Recipient.Kind))))
	}
	if !privacy.ValidID(string(r.Case)) {
		return bad("", "case", "a disclosure names the case its data comes from ("+idRule+")")
	}
	if len(r.Items) == 0 {
		return bad("", "items", "nothing to disclose")
	}
	if len(r.Items) > maxItems {
		return bad("", "items", "more than 256 items")
	}
	for i, it := range r.Items {
		if err := it.validate(op, fmt.Sprintf("items[%d]", i)); err != nil {
			return err
		}
		for _, prev := range r.Items[:i] {
			if prev.Category == it.Category && prev.Record == it.Record {
				return bad("", fmt.Sprintf("items[%d]", i), "item named twice")
			}
		}
	}
	if !privacy.ValidID(string(r.Purpose)) {
		return bad(privacy.R5, "purpose", "a disclosure names its purpose")
	}
	if r.At.IsZero() {
		return bad("", "at", "missing")
	}
	if r.Basis != "" && !privacy.ValidID(string(r.Basis)) {
		return bad("", "basis", idRule)
	}
	if r.WrittenRequest != "" && !privacy.ValidID(r.WrittenRequest) {
		return bad(privacy.O14, "written_request", idRule)
	}
	if r.AccessPoint != "" && !privacy.ValidID(r.AccessPoint) {
		return bad("", "access_point", idRule)
	}
	if r.Client != "" && !privacy.ValidID(r.Client) {
		return bad("", "client", idRule)
	}
	return nil
}

// validate checks one item at path.
func (it *Item) validate(op, path string) error {
	bad := func(path, msg string) error {
		return &privacy.Error{Op: op, Kind: privacy.ErrInvalid, Path: path, Msg: msg}
	}
	switch c := it.Category; {
	case c.Special():
		// Rule O5: never processed, so never disclosed.
		return &privacy.Error{Op: op, Kind: privacy.ErrProhibitedCategory, Rule: privacy.O5, Path: path + ".category",
			Msg: fmt.Sprintf("category %q is never processed", c)}
	case !c.Known():
		return bad(path+".category", fmt.Sprintf("unknown category %q", short(string(c))))
	}
	if it.Record != "" && !privacy.ValidID(string(it.Record)) {
		return bad(path+".record", idRule)
	}
	for j, f := range it.Fields {
		fpath := fmt.Sprintf("%s.fields[%d]", path, j)
		if !it.Category.HasField(f) {
			return bad(fpath, fmt.Sprintf("category %q has no field %q", it.Category, short(string(f))))
		}
		if slices.Contains(it.Fields[:j], f) {
			return bad(fpath, fmt.Sprintf("field %q named twice", f))
		}
	}
	return nil
}

func (r Request) normalize() Request {
	r.At = privacy.Timestamp(r.At)
	r.Items = slices.Clone(r.Items)
	for i := range r.Items {
		r.Items[i].Fields = slices.Clone(r.Items[i].Fields)
	}
	return r
}

// DecodeRequest reads a disclosure request in JSON, as an HTTP service
// receives it, and validates everything but the principal, which the
// service sets from authentication before it calls [Registry.Disclose].
// Decoding is strict: an unknown field, a wrong type, trailing data or more
// than 64 KiB fail with an [*privacy.Error] that matches
// [privacy.ErrInvalid].
func DecodeRequest(r io.Reader) (Request, error) {
	const op = "consent: decode request"
	var req Request
	if err := decodeStrict(op, r, &req); err != nil {
		return Request{}, err
	}
	req = req.normalize()
	if err := req.validateBody(op); err != nil {
		return Request{}, err
	}
	return req, nil
}
