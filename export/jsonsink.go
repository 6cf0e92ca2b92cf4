package export

import (
	"bufio"
	"encoding/json"
	"reflect"
	"strings"
	"time"

	"github.com/dossierwacht/dossierwacht/privacy"
)

// jsonSink writes the JSON form (rule G5: portability in a structured,
// commonly used, machine-readable form): one object whose members come in a fixed
// order, each case's records and each part's entries one per line, so that
// the same export always gives the same bytes.
type jsonSink struct {
	w     *bufio.Writer
	first bool // no element written yet in the open array
	cases bool // a case was written
}

func newJSONSink(w *bufio.Writer) *jsonSink { return &jsonSink{w: w} }

// header is the export's first members, in order.
type header struct {
	Schema          string        `json:"schema"`
	Generated       time.Time     `json:"generated"`
	Request         string        `json:"request,omitempty"`
	Controller      string        `json:"controller"`
	ControllerNL    string        `json:"controller_nl,omitempty"`
	Processor       string        `json:"processor,omitempty"`
	ProcessorNL     string        `json:"processor_nl,omitempty"`
	Policy          PolicyRef     `json:"policy"`
	Subject         SubjectData   `json:"subject"`
	Medical         MedicalAccess `json:"medical"`
	RecordRetention Part          `json:"record_retention"`
}

// caseHead is a case without its records.
type caseHead struct {
	ID       privacy.CaseID   `json:"id"`
	Kind     privacy.CaseKind `json:"kind"`
	Purpose  privacy.Purpose  `json:"purpose"`
	Contract ContractData     `json:"contract"`
	Opened   time.Time        `json:"opened"`
	Closed   time.Time        `json:"closed,omitzero"`
}

func (s *jsonSink) raw(b string) error {
	if _, err := s.w.WriteString(b); err != nil {
		return writeErr(err)
	}
	return nil
}

// open writes v's JSON without its closing brace, so that members can
// follow.
func (s *jsonSink) open(v any) error {
	b, err := json.Marshal(emptyLists(reflect.ValueOf(v)).Interface())
	if err != nil {
		return invalid("export", "", "cannot encode: "+err.Error())
	}
	if _, err := s.w.Write(b[:len(b)-1]); err != nil {
		return writeErr(err)
	}
	return nil
}

// value writes v's JSON, its empty lists as [] (see emptyLists).
func (s *jsonSink) value(v any) error { return s.write(emptyLists(reflect.ValueOf(v)).Interface()) }

// write writes v's JSON as json.Marshal gives it.
func (s *jsonSink) write(v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return invalid("export", "", "cannot encode: "+err.Error())
	}
	if _, err := s.w.Write(b); err != nil {
		return writeErr(err)
	}
	return nil
}

// next starts the next element of the open array, on its own line.
func (s *jsonSink) next() error {
	sep := ",\n"
	if s.first {
		sep, s.first = "\n", false
	}
	return s.raw(sep)
}

// elem writes one element of the open array, on its own line.
func (s *jsonSink) elem(v any) error {
	if err := s.next(); err != nil {
		return err
	}
	return s.value(v)
}

func (s *jsonSink) begin(h *Document) error {
	hd := header{Schema: h.Schema, Generated: h.Generated, Request: h.Request, Controller: h.Controller, ControllerNL: h.ControllerNL,
		Processor: h.Processor, ProcessorNL: h.ProcessorNL, Policy: h.Policy, Subject: h.Subject, Medical: h.Medical,
		RecordRetention: h.RecordRetention}
	if err := s.open(hd); err != nil {
		return err
	}
	return s.raw(`,"cases":[`)
}

func (s *jsonSink) beginCase(c *CaseData) error {
	sep := ",\n"
	if !s.cases {
		sep, s.cases = "\n", true
	}
	if err := s.raw(sep); err != nil {
		return err
	}
	hd := caseHead{ID: c.ID, Kind: c.Kind, Purpose: c.Purpose, Contract: c.Contract, Opened: c.Opened, Closed: c.Closed}
	if err := s.open(hd); err != nil {
		return err
	}
	s.first = true
	return s.raw(`,"records":[`)
}

// record writes r as it is: a record has no list that its JSON form does
// not leave out when empty, so emptyLists would find nothing, at a cost per
// record.
func (s *jsonSink) record(r *RecordData) error {
	if err := s.next(); err != nil {
		return err
	}
	return s.write(r)
}
func (s *jsonSink) endCase() error  { return s.raw("]}") }
func (s *jsonSink) endCases() error { return s.raw("]") }

var partNames = [...]string{partConsents: "consents", partDisclosures: "disclosures", partAccess: "access_log"}

// accessHead is the access log without its entries: its head comes
// before them (read before the events, G7).
type accessHead struct {
	Available bool       `json:"available"`
	Note      string     `json:"note,omitempty"`
	Chain     *ChainHead `json:"chain,omitempty"`
}

func (s *jsonSink) beginPart(k partKind, p Part, chain *ChainHead) error {
	if err := s.raw(`,"` + partNames[k] + `":`); err != nil {
		return err
	}
	var v any = p
	if k == partAccess {
		v = accessHead{Available: p.Available, Note: p.Note, Chain: chain}
	}
	if err := s.open(v); err != nil {
		return err
	}
	s.first = true
	return s.raw(`,"entries":[`)
}

func (s *jsonSink) consent(c *Consent) error       { return s.elem(c) }
func (s *jsonSink) disclosure(d *Disclosure) error { return s.elem(d) }
func (s *jsonSink) access(a *AccessEntry) error    { return s.elem(a) }
func (s *jsonSink) endPart(partKind) error         { return s.raw("]}") }

func (s *jsonSink) requests(rs []RequestData) error {
	if err := s.raw(`,"requests":[`); err != nil {
		return err
	}
	s.first = true
	for i := range rs {
		if err := s.elem(&rs[i]); err != nil {
			return err
		}
	}
	return s.raw("]")
}

func (s *jsonSink) facts(f *Facts) error {
	if err := s.raw(",\n" + `"facts":`); err != nil {
		return err
	}
	return s.value(f)
}

func (s *jsonSink) end(t *Totals) error {
	if err := s.raw(",\n" + `"totals":`); err != nil {
		return err
	}
	if err := s.value(t); err != nil {
		return err
	}
	return s.raw("}\n")
}

// emptyLists returns v, or a copy of it, in which every nil slice that the
// JSON form does not leave out (no omitempty) is empty: the export writes
// an empty list as [], never as null (the schema, JSONSchema, requires
// arrays). What changes is copied; v itself is left as it is.
func emptyLists(v reflect.Value) reflect.Value {
	out, _ := withEmptyLists(v)
	return out
}

func withEmptyLists(v reflect.Value) (reflect.Value, bool) {
	switch v.Kind() {
	case reflect.Pointer:
		if v.IsNil() {
			return v, false
		}
		e, changed := withEmptyLists(v.Elem())
		if !changed {
			return v, false
		}
		p := reflect.New(e.Type())
		p.Elem().Set(e)
		return p, true
	case reflect.Interface:
		if v.IsNil() {
			return v, false
		}
		return withEmptyLists(v.Elem())
	case reflect.Struct:
		if v.Type() == timeType {
			return v, false
		}
		var out reflect.Value
		for i := range v.NumField() {
			f := v.Type().Field(i)
			if !f.IsExported() {
				continue
			}
			fv, changed := withEmptyLists(v.Field(i))
			if fv.Kind() == reflect.Slice && fv.IsNil() && !omitted(f) {
				fv, changed = reflect.MakeSlice(fv.Type(), 0, 0), true
			}
			if changed {
				if !out.IsValid() {
					out = reflect.New(v.Type()).Elem()
					out.Set(v)
				}
				out.Field(i).Set(fv)
			}
		}
		if out.IsValid() {
			return out, true
		}
		return v, false
	case reflect.Slice:
		var out reflect.Value
		for i := range v.Len() {
			e, changed := withEmptyLists(v.Index(i))
			if changed {
				if !out.IsValid() {
					out = reflect.MakeSlice(v.Type(), v.Len(), v.Len())
					reflect.Copy(out, v)
				}
				out.Index(i).Set(e)
			}
		}
		if out.IsValid() {
			return out, true
		}
		return v, false
	}
	return v, false
}

// omitted reports whether the JSON form leaves the field out when empty.
func omitted(f reflect.StructField) bool {
	name, opts, _ := strings.Cut(f.Tag.Get("json"), ",")
	if name == "-" && opts == "" {
		return true
	}
	for o := range strings.SplitSeq(opts, ",") {
		if o == "omitempty" || o == "omitzero" {
			return true
		}
	}
	return false
}
