package access

import (
	"log/slog"
	"time"

	"github.com/dossierwacht/dossierwacht/privacy"
)

// FieldValue is one visible field of a record.
type FieldValue struct {
	Field privacy.Field
	Value string
}

// RecordView is a record as a principal may see it: only the fields it may
// read, in the taxonomy's order. Denied fields are absent, not blanked.
type RecordView struct {
	ID       privacy.RecordID
	Category privacy.Category
	Author   privacy.PrincipalID
	Source   privacy.Source
	Created  time.Time
	Updated  time.Time
	Fields   []FieldValue
	// Rule is the rule that lets the principal see the record.
	Rule privacy.RuleID
}

// Field returns the value of field f and whether it is visible.
func (r RecordView) Field(f privacy.Field) (string, bool) {
	for _, fv := range r.Fields {
		if fv.Field == f {
			return fv.Value, true
		}
	}
	return "", false
}

// LogValue identifies the record by ID and category; its content is never
// logged.
func (r RecordView) LogValue() slog.Value {
	return slog.GroupValue(slog.String("id", string(r.ID)), slog.String("category", string(r.Category)))
}

// CaseView is a case as a principal may see it: the case itself, which
// the principal may know of, and the records (medical ones last) and fields
// it may read. Records it may not read are absent.
type CaseView struct {
	Case privacy.Case
	// Rule is the rule that lets the principal know of the case.
	Rule    privacy.RuleID
	Records []RecordView
	// Policy is the version of the policy that decided.
	Policy string

	// The memory behind Records and the records' fields, reused by
	// ViewTo; what lies beyond their lengths is always zeroed.
	recs   []RecordView
	fields []FieldValue
}

// View returns the redacted view of r.Case for r.Principal: only the
// records (from the ordinary file, then the medical file, O6) and fields it
// may read under r.Purpose at r.Time; r.Action, r.Category and r.Field are
// ignored. A case the principal may not know of fails with an error
// matching [privacy.ErrNotFound], whatever the reason (rule O10: the
// employer does not even learn that it exists); [Engine.Visible] says why.
// A record of another case fails with [privacy.ErrInvalid]. The view
// shares no memory with records.
//
// View is pure; the medical records are not even looked at unless the
// principal may read medical data, so a caller may pass nil for them after
// asking [Engine.Decide] (as [Guard.View] does).
func (e *Engine) View(r Request, records, medical []privacy.Record) (CaseView, error) {
	var v CaseView
	var decided [numCats]Decision
	if err := e.view(&v, r, records, medical, &decided); err != nil {
		return CaseView{}, err
	}
	return v, nil
}

// ViewTo is [Engine.View] writing into v, reusing the memory of the view
// v held before: a server that renders many views keeps a CaseView per
// worker and, once it has grown, allocates nothing, so that views cost no
// garbage collection. Whatever v held before is overwritten or zeroed, its
// records and their fields included, so that nothing of an earlier view
// (the physician's) stays reachable through v when it is reused for
// another principal (the employer); on error v is empty.
func (e *Engine) ViewTo(v *CaseView, r Request, records, medical []privacy.Record) error {
	if v == nil || e == nil {
		return &privacy.Error{Op: "access: view", Kind: privacy.ErrInvalid, Msg: "no view to write into, or no engine"}
	}
	var decided [numCats]Decision
	return e.view(v, r, records, medical, &decided)
}

// view is ViewTo, leaving the decision on each category met in decided.
func (e *Engine) view(v *CaseView, r Request, records, medical []privacy.Record, decided *[numCats]Decision) (err error) {
	const op = "access: view"
	recs, buf := v.recs[:0], v.fields[:0]
	*v = CaseView{}
	defer func() {
		// Whatever the earlier view held beyond what this one uses is
		// zeroed, and kept for the next view; on error, all of it.
		if err != nil {
			*v = CaseView{}
			recs, buf = recs[:0], buf[:0]
		}
		clear(recs[len(recs):cap(recs)])
		clear(buf[len(buf):cap(buf)])
		v.recs, v.fields = recs[:0], buf[:0]
	}()
	r.Action, r.Category, r.Field = privacy.ActionRead, privacy.CategoryIdentity, ""
	vis, f := e.visible(&r)
	if !vis.Allowed {
		return &privacy.Error{Op: op, Kind: privacy.ErrNotFound}
	}
	ri := r.Principal.Role.Index()
	// One decision per category, not per record.
	var masks [numCats]uint16
	var n, nfields int
	for _, file := range [2][]privacy.Record{records, medical} {
		for i := range file {
			rec := &file[i]
			if rec.Case != r.Case.ID {
				return &privacy.Error{Op: op, Kind: privacy.ErrInvalid, Path: "records", Msg: "a record of another case"}
			}
			ci := rec.Category.Index()
			if ci < 0 {
				if rec.Category.Special() {
					continue // never processed (O5), never shown
				}
				return &privacy.Error{Op: op, Kind: privacy.ErrInvalid, Path: "records", Msg: "unknown category"}
			}
			if decided[ci].Rule == "" {
				masks[ci] = e.decideCategory(&r, &e.cells[cellIndex(ri, readIndex, ci)], ri, 0, f, &decided[ci])
			}
			if masks[ci] != 0 && !restricted(&r, rec.ID) { // only stored while restricted (GDPR art. 18)
				n++
				nfields += len(rec.Fields)
			}
		}
	}
	*v = CaseView{Case: *r.Case, Rule: vis.Rule, Policy: e.version}
	if n == 0 {
		return nil
	}
	// Two allocations at most, none when the memory of an earlier view
	// is large enough. Memory too small is zeroed before it is dropped.
	if cap(recs) < n {
		clear(recs[:cap(recs)])
		recs = make([]RecordView, 0, n)
	}
	if cap(buf) < nfields {
		clear(buf[:cap(buf)])
		buf = make([]FieldValue, 0, nfields)
	}
	for _, file := range [2][]privacy.Record{records, medical} {
		for i := range file {
			rec := &file[i]
			ci := rec.Category.Index()
			if ci < 0 || masks[ci] == 0 || restricted(&r, rec.ID) {
				continue
			}
			start := len(buf)
			mask, left := masks[ci], len(rec.Fields)
			for p, f := range catFields[ci] {
				if left == 0 {
					break // every field the record holds is placed
				}
				if val, ok := rec.Fields[f]; ok {
					left--
					if mask&(1<<p) != 0 {
						buf = append(buf, FieldValue{f, val})
					}
				}
			}
			if len(buf) == start {
				continue // nothing of it is visible
			}
			recs = append(recs, RecordView{ID: rec.ID, Category: rec.Category, Author: rec.Author,
				Source: rec.Source, Created: rec.Created, Updated: rec.Updated,
				Fields: buf[start:len(buf):len(buf)], Rule: decided[ci].Rule})
		}
	}
	v.Records = recs
	return nil
}

// ConsentChecker tells whether the subject of a case consented to a party
// learning of it (rule O10). The consent package, or the caller's own
// records, implement it; [Engine.List] asks it for every case it lists.
// Implementations must be safe for concurrent use and should answer from
// memory: a listing asks once per case.
type ConsentChecker interface {
	Consented(c privacy.Case, party privacy.PartyID) bool
}

// ConsentIf returns a [ConsentChecker] that answers consented for every
// case: for a caller that asked the consent register about one case
// itself. ConsentIf(false) is nil, no consent. It allocates nothing.
func ConsentIf(consented bool) ConsentChecker {
	if consented {
		return consentYes
	}
	return nil
}

// consentYes consents to everything; see [ConsentIf].
var consentYes ConsentChecker = ConsentFunc(func(privacy.Case, privacy.PartyID) bool { return true })

// ConsentFunc adapts a function to a [ConsentChecker].
type ConsentFunc func(c privacy.Case, party privacy.PartyID) bool

// Consented calls f.
func (f ConsentFunc) Consented(c privacy.Case, party privacy.PartyID) bool { return f(c, party) }

// RestrictionChecker tells whether a granted restriction of processing
// (GDPR art. 18, [privacy.RuleRestriction]) stands on record of case c,
// or, when record is empty, on the case as a whole. While one stands, the
// data is only stored: [Engine.Decide] denies everything but the
// subject's own read and export of it, and [Engine.View] leaves its
// records out of every view but the subject's. The front door answers it
// from the register of holds (package retention's restriction holds);
// nil means none stands. Implementations must be safe for concurrent use
// and answer from memory: a view asks once per record.
type RestrictionChecker interface {
	Restricted(c *privacy.Case, record privacy.RecordID) bool
}

// restricted reports whether r's restriction keeps record (the whole
// case when empty) from r's principal: anyone but the subject, for
// anything, and the subject for anything but reading and exporting it.
func restricted(r *Request, record privacy.RecordID) bool {
	if r.Restriction == nil {
		return false
	}
	p := r.Principal
	if p.Role == privacy.RoleSubject && p.Subject == r.Case.Subject &&
		(r.Action == privacy.ActionRead || r.Action == privacy.ActionExport) {
		return false
	}
	return r.Restriction.Restricted(r.Case, record)
}

// ListRequest asks which of some cases a principal may know of.
type ListRequest struct {
	Principal *Principal
	// Purpose, if set, lists only cases of that purpose (rule R5); empty,
	// each case is judged under its own purpose.
	Purpose privacy.Purpose
	// Time is when the listing is made. Required.
	Time time.Time
	// Consent answers rule O10's question for each case; nil means that
	// no subject consented.
	Consent ConsentChecker
	// Restriction answers whether a restriction of processing stands on
	// a case as a whole (GDPR art. 18): such a case is listed only to its
	// subject, and left out for anyone else with
	// [privacy.RuleRestriction]. nil means none stands.
	Restriction RestrictionChecker
}

// List returns, in their order, the cases the principal may know of:
// those [Engine.Visible] allows. The others are absent, not counted, not
// hinted at (rule O10: an employer never sees a consultation-hour or
// periodic-examination case without the subject's consent).
func (e *Engine) List(r ListRequest, cases []privacy.Case) []privacy.Case {
	out := make([]privacy.Case, 0, len(cases))
	for i := range cases {
		if e.listDecision(&r, &cases[i]).Allowed {
			out = append(out, cases[i])
		}
	}
	return out
}

// listDecision decides whether a listing shows c.
func (e *Engine) listDecision(r *ListRequest, c *privacy.Case) Decision {
	req := Request{Principal: r.Principal, Case: c, Action: privacy.ActionRead, Purpose: r.Purpose, Time: r.Time,
		Consent: r.Consent, Restriction: r.Restriction}
	if req.Purpose == "" {
		req.Purpose = c.Purpose
	}
	d := e.Visible(req)
	if d.Allowed && restricted(&req, "") {
		e.deny(&d, privacy.RuleRestriction, reasonRestricted)
	}
	return d
}
