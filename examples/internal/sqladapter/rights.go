package sqladapter

import (
	"encoding/json"

	"github.com/dossierwacht/dossierwacht/privacy"
	"github.com/dossierwacht/dossierwacht/privacy/calendar"
	"github.com/dossierwacht/dossierwacht/rights"
)

// CheckRequest checks what of r reaches SQL: its ID and subject are well
// formed, every text of it and of its history is text either database
// keeps, its times lie in years 1 to 9999 and its dates have a text form.
// Whether the request and its history make sense is rights.Request.Validate's
// question, asked by the desk before the store is.
func CheckRequest(op string, r rights.Request) error {
	c := check{op: op}
	c.id("id", string(r.ID))
	c.id("subject", string(r.Subject))
	c.text("kind", string(r.Kind))
	c.text("form", string(r.Form))
	c.time("received", r.Received)
	c.text("document", r.Document)
	for _, id := range r.Records {
		c.text("records", string(id))
	}
	c.text("written-rule", string(r.WrittenRule))
	c.time("written", r.Written)
	c.text("status", string(r.Status))
	c.date("due.date", r.Due.Date)
	c.text("due.rule", string(r.Due.Rule))
	c.text("due.citation", r.Due.Citation)
	c.text("due.extension", string(r.Due.Extension))
	c.text("policy", r.Policy)
	for _, s := range r.History {
		c.text("history.step", string(s.Kind))
		c.text("history.status", string(s.Status))
		c.time("history.at", s.At)
		c.text("history.by", string(s.By))
		c.text("history.reason", s.Reason)
		c.text("history.rule", string(s.Rule))
		c.text("history.policy", s.Policy)
		c.text("history.ground", string(s.Ground))
		c.date("history.due", s.Due)
		c.text("history.document", s.Document)
		if o := s.Outcome; o != nil {
			for _, ids := range [][]privacy.RecordID{o.Changed, o.Erased} {
				for _, id := range ids {
					c.text("history.outcome", string(id))
				}
			}
			for _, k := range o.Kept {
				for _, t := range []string{string(k.Record), string(k.Case), string(k.Category), string(k.Ground),
					string(k.Rule), string(k.Retention), k.Citation, k.Reason} {
					c.text("history.outcome.kept", t)
				}
				c.date("history.outcome.kept.until", k.Until)
			}
			for _, p := range o.Notify {
				c.text("history.outcome.notify", string(p))
			}
			c.date("history.outcome.medical-due", o.MedicalDue)
		}
	}
	return c.err
}

func (c *check) date(path string, d calendar.Date) {
	if c.err == nil && !d.IsZero() && (d.Year() < 1 || d.Year() > 9999) {
		c.err = &privacy.Error{Op: c.op, Kind: privacy.ErrInvalid, Path: path, Msg: "date out of range"}
	}
}

// EncodeHistory encodes a request's history as a JSON array, the form both
// adapters keep it in: steps hold IDs, times, rules and staff's reasons,
// never record content. Times keep their nanoseconds; [CheckRequest] has
// made sure every text is valid UTF-8, so the history round-trips exactly.
func EncodeHistory(op string, h []rights.Step) ([]byte, error) {
	if h == nil {
		h = []rights.Step{}
	}
	return encode(op, "history", h)
}

// DecodeHistory decodes what [EncodeHistory] encoded, times in UTC; an
// empty history decodes as nil. Malformed input is an error matching
// privacy.ErrUnavailable: the stored data is damaged.
func DecodeHistory(b []byte) ([]rights.Step, error) {
	var h []rights.Step
	if err := json.Unmarshal(b, &h); err != nil {
		return nil, &privacy.Error{Op: "decode history", Kind: privacy.ErrUnavailable, Msg: "a stored history is damaged"}
	}
	if len(h) == 0 {
		return nil, nil
	}
	for i := range h {
		h[i].At = h[i].At.UTC()
	}
	return h, nil
}

// DateText is how both adapters keep a date they do not compute with: its
// text form YYYY-MM-DD, which sorts as the dates do, or NULL for the zero
// date. [CheckRequest] has made sure it has one.
func DateText(d calendar.Date) any {
	if d.IsZero() {
		return nil
	}
	return d.String()
}

// ParseDateText reads what [DateText] stored ("" for NULL). A value that
// does not parse is an error matching privacy.ErrUnavailable.
func ParseDateText(s string) (calendar.Date, error) {
	if s == "" {
		return calendar.Date{}, nil
	}
	d, err := calendar.ParseDate(s)
	if err != nil {
		return calendar.Date{}, &privacy.Error{Op: "decode date", Kind: privacy.ErrUnavailable, Msg: "a stored date is damaged"}
	}
	return d, nil
}
