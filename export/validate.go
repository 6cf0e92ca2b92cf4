package export

import (
	"errors"
	"fmt"
	"time"

	"github.com/dossierwacht/dossierwacht/privacy"
)

// The validators below are shared by the writer, which checks every entry
// before it writes it, and by Decode: so that whatever is exported
// decodes, and whatever decodes could have been exported.

const (
	vo            = "validate export"
	maxScope      = 10000 // records a request may name
	maxReasonLen  = 4096
	maxFeeCents   = 1_000_000
	minYear       = 1
	maxYear       = 9999
	op            = "export: "
	msgMalformed  = "want 1 to 128 of A-Z a-z 0-9 . _ : -"
	msgTimeBounds = "missing or outside years 1 to 9999"
)

func invalid(opName, path, msg string) error {
	return &privacy.Error{Op: op + opName, Kind: privacy.ErrInvalid, Path: path, Msg: msg}
}

func checkID(opName, path, id string) error {
	if !privacy.ValidID(id) {
		return invalid(opName, path, msgMalformed)
	}
	return nil
}

// validTime reports whether t is set and its UTC year is 1 to 9999, the
// years that encode as JSON.
func validTime(t time.Time) bool {
	if t.IsZero() {
		return false
	}
	y := t.UTC().Year()
	return y >= minYear && y <= maxYear
}

func checkTime(opName, path string, t time.Time) error {
	if !validTime(t) {
		return invalid(opName, path, msgTimeBounds)
	}
	return nil
}

func trunc(s string) string {
	if len(s) <= 32 {
		return s
	}
	return s[:32] + "…"
}

func vid(path, id string) error { return checkID(vo, path, id) }

func voptID(path, id string) error {
	if id == "" {
		return nil
	}
	return checkID(vo, path, id)
}

func vtime(path string, t time.Time) error { return checkTime(vo, path, t) }

func voptTime(path string, t time.Time) error {
	if t.IsZero() {
		return nil
	}
	return checkTime(vo, path, t)
}

func vrule(path string, r privacy.RuleID, required bool) error {
	if r == "" && !required {
		return nil
	}
	if !r.Known() {
		return invalid(vo, path, "unknown rule")
	}
	return nil
}

func vcategory(path string, c privacy.Category) error {
	if !c.Known() || c.Special() {
		return invalid(vo, path, "unknown category")
	}
	return nil
}

func vcategories(path string, cs []privacy.Category) error {
	for i, c := range cs {
		if err := vcategory(fmt.Sprintf("%s[%d]", path, i), c); err != nil {
			return err
		}
	}
	return nil
}

func vparty(path string, k privacy.PartyKind, required bool) error {
	if k == "" && !required {
		return nil
	}
	if !k.Known() {
		return invalid(vo, path, "unknown kind of party")
	}
	return nil
}

func vcaseKind(path string, k privacy.CaseKind) error {
	if !k.Known() {
		return invalid(vo, path, "unknown case kind")
	}
	return nil
}

func vbasis(path string, b privacy.BasisKind, required bool) error {
	switch b {
	case privacy.BasisConsent, privacy.BasisWrittenConsent, privacy.BasisStatute, privacy.BasisNone:
		return nil
	case "":
		if !required {
			return nil
		}
	}
	return invalid(vo, path, "unknown basis")
}

func vtrigger(path string, t privacy.Trigger) error {
	for _, k := range privacy.Triggers() {
		if t == k {
			return nil
		}
	}
	return invalid(vo, path, "unknown trigger")
}

func vperiod(path string, p privacy.Period) error {
	if p.Validate() != nil {
		return invalid(vo, path, "units must be between 0 and 10000")
	}
	return nil
}

// Validate reports whether e is a well-formed export of schema
// [Schema] whose totals match its content.
func (e *Document) Validate() error {
	if e.Schema != Schema {
		return invalid(vo, "schema", "want "+Schema)
	}
	if err := e.validateHeader(); err != nil {
		return err
	}
	var t Totals
	for i := range e.Cases {
		c := &e.Cases[i]
		path := fmt.Sprintf("cases[%d]", i)
		if err := c.validate(path); err != nil {
			return err
		}
		for j := range c.Records {
			r := &c.Records[j]
			if err := r.validate(fmt.Sprintf("%s.records[%d]", path, j)); err != nil {
				return err
			}
			t.count(r)
		}
	}
	t.Cases = len(e.Cases)
	for i := range e.Consents.Entries {
		if err := e.Consents.Entries[i].validate(fmt.Sprintf("consents.entries[%d]", i)); err != nil {
			return err
		}
	}
	for i := range e.Disclosures.Entries {
		if err := e.Disclosures.Entries[i].validate(fmt.Sprintf("disclosures.entries[%d]", i)); err != nil {
			return err
		}
	}
	for i := range e.AccessLog.Entries {
		if err := e.AccessLog.Entries[i].validate(fmt.Sprintf("access_log.entries[%d]", i)); err != nil {
			return err
		}
	}
	if c := e.AccessLog.Chain; c != nil {
		if !e.AccessLog.Available {
			return invalid(vo, "access_log.chain", "a head of a part that is not available")
		}
		if err := c.validate("access_log.chain"); err != nil {
			return err
		}
	}
	for _, p := range []struct {
		name      string
		available bool
		n         int
	}{{"consents", e.Consents.Available, len(e.Consents.Entries)}, {"disclosures", e.Disclosures.Available, len(e.Disclosures.Entries)},
		{"access_log", e.AccessLog.Available, len(e.AccessLog.Entries)}} {
		if !p.available && p.n > 0 {
			return invalid(vo, p.name, "entries in a part that is not available")
		}
	}
	for i := range e.Requests {
		if err := e.Requests[i].validateFor(e.Subject.ID, fmt.Sprintf("requests[%d]", i)); err != nil {
			return err
		}
	}
	if err := e.Facts.validate(); err != nil {
		return err
	}
	t.Consents, t.Disclosures, t.AccessEvents, t.Requests = len(e.Consents.Entries), len(e.Disclosures.Entries),
		len(e.AccessLog.Entries), len(e.Requests)
	if t != e.Totals {
		return invalid(vo, "totals", "do not match the content")
	}
	return nil
}

func (t *Totals) count(r *RecordData) {
	t.Records++
	if r.Medical {
		t.Medical++
	}
	if r.Withheld != "" {
		t.Withheld++
	}
	if r.Redacted {
		t.Redacted++
	}
}

func (e *Document) validateHeader() error {
	if err := vtime("generated", e.Generated); err != nil {
		return err
	}
	if err := voptID("request", e.Request); err != nil {
		return err
	}
	if err := vtime("policy.effective", e.Policy.Effective); err != nil {
		return err
	}
	if e.Policy.Version == "" {
		return invalid(vo, "policy.version", "missing")
	}
	s := e.Subject
	if err := vid("subject.id", string(s.ID)); err != nil {
		return err
	}
	if err := voptID("subject.employer", string(s.Employer)); err != nil {
		return err
	}
	if err := vtime("subject.created", s.Created); err != nil {
		return err
	}
	if err := voptTime("subject.employment_ended", s.EmploymentEnded); err != nil {
		return err
	}
	if err := vrule("medical.rule", e.Medical.Rule, true); err != nil {
		return err
	}
	return voptID("medical.released_by", string(e.Medical.ReleasedBy))
}

func (c *CaseData) validate(path string) error {
	if err := vid(path+".id", string(c.ID)); err != nil {
		return err
	}
	if err := vcaseKind(path+".kind", c.Kind); err != nil {
		return err
	}
	if err := vid(path+".purpose", string(c.Purpose)); err != nil {
		return err
	}
	k := c.Contract
	if err := vid(path+".contract.id", string(k.ID)); err != nil {
		return err
	}
	if err := vid(path+".contract.party", string(k.Party)); err != nil {
		return err
	}
	if err := vparty(path+".contract.party_kind", k.PartyKind, true); err != nil {
		return err
	}
	if err := vtime(path+".contract.start", k.Start); err != nil {
		return err
	}
	if err := voptTime(path+".contract.end", k.End); err != nil {
		return err
	}
	if err := vtime(path+".opened", c.Opened); err != nil {
		return err
	}
	return voptTime(path+".closed", c.Closed)
}

func (r *RecordData) validate(path string) error {
	if err := vid(path+".id", string(r.ID)); err != nil {
		return err
	}
	if err := vcategory(path+".category", r.Category); err != nil {
		return err
	}
	if r.Medical != r.Category.Medical() {
		return invalid(vo, path+".medical", "does not match the category")
	}
	if err := vid(path+".author", string(r.Author)); err != nil {
		return err
	}
	if err := vparty(path+".source.kind", r.Source.Kind, true); err != nil {
		return err
	}
	if err := voptID(path+".source.party", string(r.Source.Party)); err != nil {
		return err
	}
	if err := vid(path+".purpose", string(r.Purpose)); err != nil {
		return err
	}
	if err := vtime(path+".created", r.Created); err != nil {
		return err
	}
	if err := vtime(path+".updated", r.Updated); err != nil {
		return err
	}
	if err := voptID(path+".basis", string(r.Basis)); err != nil {
		return err
	}
	for f := range r.Fields {
		if !r.Category.HasField(f) {
			return invalid(vo, path+".fields", fmt.Sprintf("category %q has no field %q", r.Category, trunc(string(f))))
		}
	}
	switch r.Withheld {
	case "":
	case WithheldPendingRelease:
		if len(r.Fields) > 0 || r.ReleasedBy != "" || r.Redacted {
			return invalid(vo, path+".withheld", "a withheld record has no content")
		}
		if !r.Medical {
			return invalid(vo, path+".withheld", "only medical records await release")
		}
	default:
		return invalid(vo, path+".withheld", "unknown withholding")
	}
	if err := voptID(path+".released_by", string(r.ReleasedBy)); err != nil {
		return err
	}
	if r.ReleasedBy != "" && !r.Medical {
		return invalid(vo, path+".released_by", "only medical records are released")
	}
	if r.Retention != nil {
		return r.Retention.validate(path + ".retention")
	}
	return nil
}

func (r *Retention) validate(path string) error {
	if err := vrule(path+".rule", r.Rule, true); err != nil {
		return err
	}
	if err := vperiod(path+".period", r.Period); err != nil {
		return err
	}
	if r.Trigger != "" {
		if err := vtrigger(path+".trigger", r.Trigger); err != nil {
			return err
		}
	}
	return nil
}

func (c *Consent) validate(path string) error {
	if err := vid(path+".id", c.ID); err != nil {
		return err
	}
	if err := voptID(path+".recipient", string(c.Recipient)); err != nil {
		return err
	}
	// A grant naming only its recipient party leaves the kind empty.
	if err := vparty(path+".recipient_kind", c.RecipientKind, c.Recipient == ""); err != nil {
		return err
	}
	if err := voptID(path+".case", string(c.Case)); err != nil {
		return err
	}
	if err := vcategories(path+".categories", c.Categories); err != nil {
		return err
	}
	if err := voptID(path+".purpose", string(c.Purpose)); err != nil {
		return err
	}
	if err := voptID(path+".document", c.Document); err != nil {
		return err
	}
	if err := vtime(path+".granted", c.Granted); err != nil {
		return err
	}
	if err := voptTime(path+".expires", c.Expires); err != nil {
		return err
	}
	if err := voptTime(path+".revoked", c.Revoked); err != nil {
		return err
	}
	return vrule(path+".rule", c.Rule, false)
}

func (d *Disclosure) validate(path string) error {
	if err := vid(path+".id", d.ID); err != nil {
		return err
	}
	if err := vtime(path+".time", d.Time); err != nil {
		return err
	}
	if err := vid(path+".recipient", string(d.Recipient)); err != nil {
		return err
	}
	if err := vparty(path+".recipient_kind", d.RecipientKind, true); err != nil {
		return err
	}
	if err := voptID(path+".case", string(d.Case)); err != nil {
		return err
	}
	if err := vcategories(path+".categories", d.Categories); err != nil {
		return err
	}
	for i, id := range d.Records {
		if err := vid(fmt.Sprintf("%s.records[%d]", path, i), string(id)); err != nil {
			return err
		}
	}
	if err := vbasis(path+".basis", d.Basis, true); err != nil {
		return err
	}
	if err := voptID(path+".grant", d.Grant); err != nil {
		return err
	}
	if err := voptID(path+".legal_basis", string(d.LegalBasis)); err != nil {
		return err
	}
	if err := vrule(path+".rule", d.Rule, true); err != nil {
		return err
	}
	return voptID(path+".by", string(d.By))
}

// validate checks the head of a chain: an anchor, if any, not after the
// head (rule G7). Whether the entries reach the head is for
// [Document.VerifyAccessLog] to say, naming what is wrong.
func (c *ChainHead) validate(path string) error {
	if a := c.Anchor; a != nil {
		if a.Seq == 0 {
			return invalid(vo, path+".anchor.seq", "want a number from 1")
		}
		if a.Seq > c.Seq {
			return invalid(vo, path+".anchor.seq", "after the head")
		}
	}
	return nil
}

// clone returns a copy of c that shares nothing with it.
func (c *ChainHead) clone() *ChainHead {
	out := *c
	if c.Anchor != nil {
		a := *c.Anchor
		out.Anchor = &a
	}
	return &out
}

func (a *AccessEntry) validate(path string) error {
	if err := vtime(path+".time", a.Time); err != nil {
		return err
	}
	if err := vid(path+".principal", string(a.Principal)); err != nil {
		return err
	}
	if !a.Role.Known() {
		return invalid(vo, path+".role", "unknown role")
	}
	for _, f := range []struct{ p, id string }{{".on_behalf_of", string(a.OnBehalfOf)}, {".purpose", string(a.Purpose)},
		{".case", string(a.Case)}} {
		if err := voptID(path+f.p, f.id); err != nil {
			return err
		}
	}
	// An access-log entry may name a special category: a refused attempt
	// to write one (rule O5) is audited, and the subject may see it (N9).
	if a.Category != "" && !a.Category.Known() {
		return invalid(vo, path+".category", "unknown category")
	}
	switch a.Action {
	case privacy.EventCreate, privacy.EventRead, privacy.EventUpdate, privacy.EventDelete, privacy.EventExecute,
		privacy.EventSearch, privacy.EventEmergency:
	default:
		return invalid(vo, path+".action", "unknown action")
	}
	switch a.Outcome {
	case privacy.OutcomeAllowed, privacy.OutcomeDenied, privacy.OutcomeFailed:
	default:
		return invalid(vo, path+".outcome", "unknown outcome")
	}
	if a.Rule != privacy.RuleDefaultDeny {
		return vrule(path+".rule", a.Rule, true)
	}
	return nil
}

// validateFor checks a request of the export of subject's data.
func (r *RequestData) validateFor(subject privacy.SubjectID, path string) error {
	if err := r.Validate(); err != nil {
		var e *privacy.Error
		if errors.As(err, &e) {
			c := *e
			c.Op, c.Path = op+vo, path+"."+e.Path
			return &c
		}
		return err
	}
	if r.Subject != subject {
		return invalid(vo, path+".subject", "not the export's subject")
	}
	return nil
}

func (f *Facts) validate() error {
	for i, p := range f.Purposes {
		path := fmt.Sprintf("facts.purposes[%d]", i)
		if err := vid(path+".purpose", string(p.Purpose)); err != nil {
			return err
		}
		if err := vrule(path+".rule", p.Rule, true); err != nil {
			return err
		}
		for j, k := range p.CaseKinds {
			if err := vcaseKind(fmt.Sprintf("%s.case_kinds[%d]", path, j), k); err != nil {
				return err
			}
		}
		if p.Cases < 0 {
			return invalid(vo, path+".cases", "negative")
		}
	}
	for i, c := range f.Categories {
		path := fmt.Sprintf("facts.categories[%d]", i)
		if err := vcategory(path+".category", c.Category); err != nil {
			return err
		}
		if c.Records < 0 || c.Withheld < 0 || c.Withheld > c.Records {
			return invalid(vo, path, "counts out of range")
		}
	}
	for i, r := range f.Recipients {
		path := fmt.Sprintf("facts.recipients[%d]", i)
		switch r.From {
		case FromPolicy, FromStatute, FromLog:
		default:
			return invalid(vo, path+".from", "unknown origin")
		}
		if err := vparty(path+".kind", r.Kind, true); err != nil {
			return err
		}
		if err := voptID(path+".party", string(r.Party)); err != nil {
			return err
		}
		if err := vbasis(path+".basis", r.Basis, false); err != nil {
			return err
		}
		if err := voptID(path+".legal_basis", string(r.LegalBasis)); err != nil {
			return err
		}
		if err := vrule(path+".rule", r.Rule, r.From != FromLog); err != nil {
			return err
		}
		if err := vcategories(path+".categories", r.Categories); err != nil {
			return err
		}
		if r.Disclosed < 0 {
			return invalid(vo, path+".disclosed", "negative")
		}
	}
	for i, r := range f.Retention {
		path := fmt.Sprintf("facts.retention[%d]", i)
		if err := vrule(path+".rule", r.Rule, true); err != nil {
			return err
		}
		if err := vcategories(path+".categories", r.Categories); err != nil {
			return err
		}
		for j, k := range r.CaseKinds {
			if err := vcaseKind(fmt.Sprintf("%s.case_kinds[%d]", path, j), k); err != nil {
				return err
			}
		}
		if err := vtrigger(path+".trigger", r.Trigger); err != nil {
			return err
		}
		if err := vperiod(path+".period", r.Period); err != nil {
			return err
		}
	}
	for i, s := range f.Sources {
		path := fmt.Sprintf("facts.sources[%d]", i)
		if err := vparty(path+".kind", s.Kind, true); err != nil {
			return err
		}
		if err := voptID(path+".party", string(s.Party)); err != nil {
			return err
		}
		if s.Records < 0 {
			return invalid(vo, path+".records", "negative")
		}
	}
	for i, r := range f.Rights {
		path := fmt.Sprintf("facts.rights[%d]", i)
		if !r.Right.Known() {
			return invalid(vo, path+".right", "unknown right")
		}
		for j, id := range r.Rules {
			if err := vrule(fmt.Sprintf("%s.rules[%d]", path, j), id, true); err != nil {
				return err
			}
		}
	}
	for j, id := range f.Complaint.Rules {
		if err := vrule(fmt.Sprintf("facts.complaint.rules[%d]", j), id, true); err != nil {
			return err
		}
	}
	return nil
}
