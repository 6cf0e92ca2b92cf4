package rights

import (
	"bufio"
	"cmp"
	"context"
	"io"
	"iter"
	"maps"
	"reflect"
	"slices"
	"time"

	"github.com/dossierwacht/dossierwacht/access"
	"github.com/dossierwacht/dossierwacht/privacy"
)

// Format is the form of an export.
type Format string

// The forms of the export, made from one model ([Export]).
const (
	// FormatJSON is the documented, versioned JSON form (schema
	// [Schema]): structured, machine-readable, for portability (G5).
	FormatJSON Format = "json"
	// FormatHTML is a page a person opens in a browser, in Dutch or in
	// English.
	FormatHTML Format = "html"
)

// Lang is the language of the HTML export and of notices.
type Lang string

// The languages.
const (
	Dutch   Lang = "nl"
	English Lang = "en"
)

// Known reports whether l is one of the languages.
func (l Lang) Known() bool { return l == Dutch || l == English }

// ExportOptions adjust an export. A nil *ExportOptions means the zero
// value: JSON, no request named, medical records as the policy allows, no
// redaction.
type ExportOptions struct {
	// Format is FormatJSON (the default) or FormatHTML.
	Format Format
	// Lang is the language of the HTML form; Dutch by default.
	Lang Lang
	// Request names the access, copy or portability request the export
	// answers; it must be the subject's and not refused.
	Request RequestID
	// Release is the physician's release of medical records (rules O13,
	// O6). Where the policy does not give the subject medical records
	// directly, they are in the export only through it; without it they
	// are listed without content, pending release.
	Release *MedicalRelease
	// Redact, if set, takes personal data of others out of a record (a
	// colleague named in a note). It gets a copy of each record whose
	// content goes into the export and returns it redacted; only the
	// returned Fields are used, and they must be fields of the record's
	// category. A record whose fields it changed is marked redacted.
	Redact func(privacy.Record) privacy.Record
}

// MedicalRelease is a physician's release of medical records to the
// subject (rule O13: "where the law allows"; rule O6: medical data only
// through the physician).
//
// A release obeys the floors of a medical read: the desk releases a
// case's medical records only if the access engine, on the desk's policy,
// lets the physician read medical data of that case at the export's time
// — a physician (O6), assigned to the case (O6, R7, O4), bound to medical
// secrecy (G8), signed in with a second factor (N6), under a contract in
// force (O2), for the case's purpose (R5). The records of a case it may
// not read stay listed without content, pending release; a release of no
// case at all is refused with the rule that failed.
type MedicalRelease struct {
	// Physician releases the records, with the cases it is assigned to
	// (R7, O4) and how it signed in (N6).
	Physician *access.Principal
	// Records limits the release to these medical records; empty
	// releases the whole medical file.
	Records []privacy.RecordID
}

// Export writes everything held about a subject to w, as it stood at
// act.At, read as act (its reads of the medical file are audited by the
// case file, rules G7, N9):
// the subject, every case with its records (medical records through the
// physician's release, see [ExportOptions]), consent grants and
// revocations, the disclosure log, the audit trail of who accessed the
// data (N9), the subject's requests, and the facts of GDPR art. 15(1)
// (rule G1) derived from the policy, the records and the log. The JSON form
// (rule G5) is documented in the package documentation; the HTML form is a
// page for a person.
//
// The export streams: records are read through the stores' iterators and
// written as they come, so its memory does not grow with the number of
// records. It returns the totals of what it wrote. On an error, what was
// written is incomplete and must be discarded (a cut JSON export does not
// decode). It fails with [privacy.ErrNotFound] for an unknown subject,
// [privacy.ErrInvalid] for bad options or malformed entries from a source,
// [privacy.ErrForbidden] for an act by a role that does not export (see
// the package documentation, # Who acts) and for a release of no case at
// all, naming the rule that failed (see [MedicalRelease]: O6, G8, N6, O2,
// R5).
//
// The export is audited before it writes anything (rules O1, G7, N9): one
// execute event of act, and, with a release, one event per case of the
// physician's release, allowed or denied, with the rule that decided; if
// they cannot be written, nothing is (no event, no export). A refused
// release is audited the same way.
func (d *Desk) Export(ctx context.Context, act privacy.Act, w io.Writer, subject privacy.SubjectID, opts *ExportOptions) (Totals, error) {
	const o = "export"
	if opts == nil {
		opts = &ExportOptions{}
	}
	if err := act.Validate(); err != nil {
		return Totals{}, err
	}
	now := act.At
	if err := checkID(o, "subject", string(subject)); err != nil {
		return Totals{}, err
	}
	if err := checkTime(o, "act.at", now); err != nil {
		return Totals{}, err
	}
	if err := d.gate(ctx, o, act, exporters, subject, "export", privacy.EventExecute); err != nil {
		return Totals{}, err
	}
	format := cmp.Or(opts.Format, FormatJSON)
	lang := cmp.Or(opts.Lang, Dutch)
	if format != FormatJSON && format != FormatHTML {
		return Totals{}, invalid(o, "format", "want json or html")
	}
	if !lang.Known() {
		return Totals{}, invalid(o, "lang", "want nl or en")
	}
	release, err := checkRelease(opts.Release)
	if err != nil {
		return Totals{}, err
	}
	ctx = newRun(ctx) // the subject's holds read once for the whole export
	sub, err := d.dossiers.Subject(ctx, subject)
	if err != nil {
		return Totals{}, err
	}
	cases, err := d.dossiers.SubjectCases(ctx, subject)
	if err != nil {
		return Totals{}, err
	}
	reqs, err := d.store.SubjectRequests(ctx, subject)
	if err != nil {
		return Totals{}, err
	}
	if err := checkAnswers(opts.Request, reqs); err != nil {
		return Totals{}, err
	}
	direct := givesMedical(d.policy)
	var released map[privacy.CaseID]bool
	var releases []privacy.Event
	if opts.Release != nil && !direct {
		var refused error
		released, releases, refused = d.decideRelease(&act, opts.Release.Physician, sub.ID, cases)
		if refused != nil {
			// A refusal names its rule and is audited.
			if _, err := d.store.AppendEvents(ctx, releases...); err != nil {
				return Totals{}, auditFailed(o, err)
			}
			return Totals{}, refused
		}
	}

	// Rules O1, G7, N9: the export, and the release in it, are audited
	// before it writes anything; no event, no export.
	object := "export"
	if opts.Request != "" {
		object = objectOf(opts.Request)
	}
	events := append([]privacy.Event{d.event(&act, privacy.EventExecute, d.answerRule(KindAccess), subject, object)}, releases...)
	if _, err := d.store.AppendEvents(ctx, events...); err != nil {
		return Totals{}, auditFailed(o, err)
	}
	bw := bufio.NewWriterSize(w, 32<<10)
	var s sink
	if format == FormatHTML {
		s = newHTMLSink(bw, lang)
	} else {
		s = newJSONSink(bw)
	}
	// Rules R11, O13, G1: everything held, with the facts of art. 15.
	x := &exporter{d: d, ctx: ctx, act: act, now: privacy.Timestamp(now), sub: sub, sink: s, release: release, redact: opts.Redact,
		released: released, direct: direct, acc: newAccumulator()}
	if len(released) > 0 {
		x.physician = opts.Release.Physician.ID
	}
	if err := x.run(cases, reqs, opts.Request); err != nil {
		return Totals{}, err
	}
	if err := bw.Flush(); err != nil {
		return Totals{}, writeErr(err)
	}
	return x.totals, nil
}

func checkRelease(r *MedicalRelease) (map[privacy.RecordID]bool, error) {
	const o = "export"
	if r == nil {
		return nil, nil
	}
	p := r.Physician
	if p == nil {
		return nil, invalid(o, "release.physician", "missing")
	}
	if err := p.Validate(); err != nil {
		return nil, err
	}
	set := make(map[privacy.RecordID]bool, len(r.Records))
	for _, id := range r.Records {
		if err := checkID(o, "release.records", string(id)); err != nil {
			return nil, err
		}
		set[id] = true
	}
	return set, nil
}

// decideRelease decides, for each of the subject's cases, whether the
// physician p may release its medical records at act.At: whether the
// access engine lets p read medical data of the case then (rules O6, G8,
// N6, R7, O4, O2, R5; see [MedicalRelease]). It returns the cases
// released and one audit event per case, allowed or denied with the rule
// that decided. If no case is released, refused is an error matching
// [privacy.ErrForbidden] that names the rule that failed on the first case
// the physician is assigned to, else on the first case (O6 for a principal
// that is no physician, when there is no case).
func (d *Desk) decideRelease(act *privacy.Act, p *access.Principal, subject privacy.SubjectID, cases []privacy.Case) (
	released map[privacy.CaseID]bool, events []privacy.Event, refused error) {
	at := privacy.Timestamp(act.At)
	released = map[privacy.CaseID]bool{}
	var first *access.Decision
	firstAssigned := false
	for i := range cases {
		c := &cases[i]
		// Rules O6, G8, N6 (and R7, O4, O2, R5): the release obeys the
		// floors of a medical read of the case, at the export's time.
		dec := d.engine.Decide(access.Request{Principal: p, Case: c, Action: privacy.ActionRead,
			Category: privacy.CategoryMedical, Purpose: c.Purpose, Time: at})
		e := privacy.Event{Time: at, Principal: p.ID, Role: p.Role, OnBehalfOf: p.Party, Purpose: c.Purpose,
			Subject: subject, Case: c.ID, Category: privacy.CategoryMedical, Object: "release", Action: privacy.EventExecute,
			Outcome: privacy.OutcomeAllowed, Rule: dec.Rule, Policy: d.policy.Version, AccessPoint: p.AccessPoint,
			Client: p.Client}
		if dec.Allowed {
			released[c.ID] = true
		} else {
			e.Outcome = privacy.OutcomeDenied
			// The refusal names the rule that failed on a case the
			// physician is assigned to, if one did: that it is not
			// assigned to the others says less.
			if first == nil || (p.Assigned(c.ID) && !firstAssigned) {
				first, firstAssigned = &dec, p.Assigned(c.ID)
			}
		}
		events = append(events, e)
	}
	if len(released) > 0 || (len(cases) == 0 && p.Role == privacy.RolePhysician) {
		return released, events, nil
	}
	rule, reason := privacy.O6, "only a physician releases medical records"
	if first != nil {
		rule, reason = first.Rule, first.Reason
	}
	if len(events) == 0 {
		events = append(events, privacy.Event{Time: at, Principal: p.ID, Role: p.Role, OnBehalfOf: p.Party,
			Subject: subject, Category: privacy.CategoryMedical, Object: "release", Action: privacy.EventExecute,
			Outcome: privacy.OutcomeDenied, Rule: rule, Policy: d.policy.Version, AccessPoint: p.AccessPoint, Client: p.Client})
	}
	return nil, events, &privacy.Error{Op: op + "export", Kind: privacy.ErrForbidden, Rule: rule, Path: "release.physician",
		Msg: "the physician may release the medical records of none of the subject's cases: " + reason}
}

func checkAnswers(id RequestID, reqs []Request) error {
	const o = "export"
	if id == "" {
		return nil
	}
	if err := checkID(o, "request", string(id)); err != nil {
		return err
	}
	i := slices.IndexFunc(reqs, func(r Request) bool { return r.ID == id })
	if i < 0 {
		return &privacy.Error{Op: op + o, Kind: privacy.ErrNotFound, Path: "request"}
	}
	switch r := reqs[i]; {
	case r.Kind != KindAccess && r.Kind != KindCopy && r.Kind != KindPortability:
		return invalid(o, "request", "an export answers an access, copy or portability request")
	case r.Status == StatusRefused:
		return &privacy.Error{Op: op + o, Kind: privacy.ErrConflict, Path: "request", Msg: "the request was refused"}
	}
	return nil
}

// givesMedical reports whether the policy lets the subject export medical
// records directly: an allow rule for the subject's export of the medical
// category, and no deny rule. The ready policies do not: medical data goes
// to the subject through the physician (O13, O6).
func givesMedical(p *privacy.Policy) bool {
	allowed := false
	for _, a := range p.Access {
		if !slices.Contains(a.Roles, privacy.RoleSubject) || !slices.Contains(a.Actions, privacy.ActionExport) ||
			!slices.Contains(a.Categories, privacy.CategoryMedical) {
			continue
		}
		if a.Effect == privacy.Deny {
			return false
		}
		allowed = allowed || a.Effect == privacy.Allow
	}
	return allowed
}

func writeErr(err error) error {
	return &privacy.Error{Op: op + "export", Kind: privacy.ErrUnavailable, Msg: "write failed", Err: err}
}

// Notes of the parts that were not available.
const (
	noteNoRetention   = "not available: no retention facts were connected; facts.retention lists the rules that set the periods"
	noteNoConsents    = "not available: no consent register was connected"
	noteNoDisclosures = "not available: no disclosure log was connected; facts.recipients lists who may receive data under the policy"
	noteNoAudit       = "not available: no audit trail was connected"
)

// exporter streams one export from the stores into a sink.
type exporter struct {
	d         *Desk
	ctx       context.Context
	act       privacy.Act // who reads, for the medical file's audit
	now       time.Time
	sub       privacy.Subject
	sink      sink
	release   map[privacy.RecordID]bool // nil: no release
	released  map[privacy.CaseID]bool   // the cases whose medical records the physician may release
	physician privacy.PrincipalID
	redact    func(privacy.Record) privacy.Record
	direct    bool
	acc       *accumulator
	totals    Totals
}

func (x *exporter) run(cases []privacy.Case, reqs []Request, request RequestID) error {
	d := x.d
	h := &Export{Schema: Schema, Generated: x.now, Request: request,
		Controller: d.policy.Controller, ControllerNL: d.policy.ControllerNL,
		Processor: d.policy.Processor, ProcessorNL: d.policy.ProcessorNL,
		Policy: PolicyRef{Name: d.policy.Name, Version: d.policy.Version, Effective: d.policy.Effective,
			Title: d.policy.Title, TitleNL: d.policy.TitleNL},
		Subject: SubjectData{ID: x.sub.ID, Employer: x.sub.Employer, Created: x.sub.Created,
			EmploymentEnded: x.sub.EmploymentEnded},
		Medical:         MedicalAccess{Direct: x.direct, Rule: privacy.O13},
		RecordRetention: Part{Available: d.retention != nil},
	}
	if len(x.released) > 0 && !x.direct {
		h.Medical.ReleasedBy = x.physician
	}
	if d.retention == nil {
		h.RecordRetention.Note = noteNoRetention
	}
	normalize(reflect.ValueOf(h))
	if err := h.validateHeader(); err != nil {
		return err
	}
	if err := x.sink.begin(h); err != nil {
		return err
	}
	for _, c := range cases {
		if err := x.exportCase(c); err != nil {
			return err
		}
	}
	if err := x.sink.endCases(); err != nil {
		return err
	}
	if err := x.consents(); err != nil {
		return err
	}
	if err := x.disclosures(); err != nil {
		return err
	}
	if err := x.accessLog(); err != nil {
		return err
	}
	rs := make([]Request, len(reqs))
	for i, r := range reqs {
		r = r.Clone()
		normalize(reflect.ValueOf(&r))
		if err := r.validateFor(x.sub.ID, "requests"); err != nil {
			return err
		}
		rs[i] = r
	}
	x.totals.Requests = len(rs)
	if err := x.sink.requests(rs); err != nil {
		return err
	}
	f := x.facts(cases)
	normalize(reflect.ValueOf(f))
	if err := f.validate(); err != nil {
		return err
	}
	if err := x.sink.facts(f); err != nil {
		return err
	}
	t := x.totals
	return x.sink.end(&t)
}

func (x *exporter) exportCase(c privacy.Case) error {
	cd := &CaseData{ID: c.ID, Kind: c.Kind, Purpose: c.Purpose, Opened: c.Opened, Closed: c.Closed,
		Contract: ContractData{ID: c.Contract.ID, Party: c.Contract.Party, PartyKind: c.Contract.PartyKind,
			Start: c.Contract.Start, End: c.Contract.End}}
	normalize(reflect.ValueOf(cd))
	if err := cd.validate("cases"); err != nil {
		return err
	}
	x.totals.Cases++
	x.acc.purposes[c.Purpose]++
	if err := x.sink.beginCase(cd); err != nil {
		return err
	}
	for _, seq := range [...]iter.Seq2[privacy.Record, error]{
		x.d.dossiers.CaseRecords(x.ctx, c.ID), x.d.dossiers.CaseMedicalRecords(x.ctx, x.act, c.ID)} {
		for r, err := range seq {
			if err != nil {
				return err
			}
			rd, err := x.record(c, r)
			if err != nil {
				return err
			}
			x.totals.count(&rd)
			x.acc.record(&rd)
			if err := x.sink.record(&rd); err != nil {
				return err
			}
		}
	}
	return x.sink.endCase()
}

func (x *exporter) record(c privacy.Case, r privacy.Record) (RecordData, error) {
	rd := RecordData{ID: r.ID, Category: r.Category, Medical: r.Category.Medical(), Author: r.Author,
		Source: SourceData{Kind: r.Source.Kind, Party: r.Source.Party}, Purpose: r.Purpose,
		Created: r.Created, Updated: r.Updated, Basis: r.Basis}
	switch {
	case rd.Medical && !x.direct && (x.release == nil || !x.released[c.ID] || (len(x.release) > 0 && !x.release[r.ID])):
		// Rules O13, O6, G8, N6: medical data reaches the subject through
		// a physician who may read it; until released it is listed, not
		// shown.
		rd.Withheld = WithheldPendingRelease
	default:
		if rd.Medical && !x.direct {
			rd.ReleasedBy = x.physician
		}
		rd.Fields = r.Fields
		if x.redact != nil {
			out := x.redact(r.Clone())
			if !maps.Equal(out.Fields, r.Fields) {
				rd.Fields, rd.Redacted = out.Fields, true
			}
		}
	}
	if x.d.retention != nil {
		ret, err := x.d.retention.RecordRetention(x.ctx, x.sub, c, r, x.now)
		if err != nil {
			return RecordData{}, err
		}
		rd.Retention = &ret
	}
	normalize(reflect.ValueOf(&rd))
	if err := rd.validate("record " + string(r.ID)); err != nil {
		return RecordData{}, err
	}
	return rd, nil
}

func (x *exporter) consents() error {
	if x.d.consents == nil {
		return x.emptyPart(partConsents, noteNoConsents)
	}
	if err := x.sink.beginPart(partConsents, Part{Available: true}); err != nil {
		return err
	}
	for c, err := range x.d.consents.SubjectConsents(x.ctx, x.sub.ID) {
		if err != nil {
			return err
		}
		c.Categories = slices.Clone(c.Categories)
		normalize(reflect.ValueOf(&c))
		if err := c.validate("consents.entries"); err != nil {
			return err
		}
		x.totals.Consents++
		if err := x.sink.consent(&c); err != nil {
			return err
		}
	}
	return x.sink.endPart(partConsents)
}

func (x *exporter) disclosures() error {
	if x.d.disclosures == nil {
		return x.emptyPart(partDisclosures, noteNoDisclosures)
	}
	if err := x.sink.beginPart(partDisclosures, Part{Available: true}); err != nil {
		return err
	}
	for dis, err := range x.d.disclosures.SubjectDisclosures(x.ctx, x.sub.ID) {
		if err != nil {
			return err
		}
		dis.Categories, dis.Records = slices.Clone(dis.Categories), slices.Clone(dis.Records)
		normalize(reflect.ValueOf(&dis))
		if err := dis.validate("disclosures.entries"); err != nil {
			return err
		}
		x.totals.Disclosures++
		x.acc.disclosure(&dis)
		if err := x.sink.disclosure(&dis); err != nil {
			return err
		}
	}
	return x.sink.endPart(partDisclosures)
}

// accessLog writes who accessed the subject's data (rule N9: a client may
// ask who accessed their data).
func (x *exporter) accessLog() error {
	if x.d.audit == nil {
		return x.emptyPart(partAccess, noteNoAudit)
	}
	if err := x.sink.beginPart(partAccess, Part{Available: true}); err != nil {
		return err
	}
	for e, err := range x.d.audit.SubjectEvents(x.ctx, x.sub.ID) {
		if err != nil {
			return err
		}
		if e.Subject != x.sub.ID {
			continue // never someone else's events
		}
		// Rule N9: who, in which role, on whose behalf, what, when, from
		// where, with which outcome.
		a := AccessEntry{Seq: e.Seq, Time: e.Time, Principal: e.Principal, Role: e.Role, OnBehalfOf: e.OnBehalfOf,
			Purpose: e.Purpose, Case: e.Case, Category: e.Category, Object: e.Object, Action: e.Action,
			Outcome: e.Outcome, Rule: e.Rule, Policy: e.Policy, AccessPoint: e.AccessPoint}
		normalize(reflect.ValueOf(&a))
		if err := a.validate("access_log.entries"); err != nil {
			return err
		}
		x.totals.AccessEvents++
		if err := x.sink.access(&a); err != nil {
			return err
		}
	}
	return x.sink.endPart(partAccess)
}

func (x *exporter) emptyPart(k partKind, note string) error {
	if err := x.sink.beginPart(k, Part{Note: note}); err != nil {
		return err
	}
	return x.sink.endPart(k)
}

// accumulator gathers, while records and disclosures stream past, the few
// facts that G1 derives from them: small maps, whatever the number of
// records.
type accumulator struct {
	purposes   map[privacy.Purpose]int
	categories map[privacy.Category]*CategoryFact
	sources    map[SourceData]int
	recipients map[recipientKey]*RecipientFact
}

type recipientKey struct {
	party privacy.PartyID
	kind  privacy.PartyKind
}

func newAccumulator() *accumulator {
	return &accumulator{purposes: map[privacy.Purpose]int{}, categories: map[privacy.Category]*CategoryFact{},
		sources: map[SourceData]int{}, recipients: map[recipientKey]*RecipientFact{}}
}

func (a *accumulator) record(r *RecordData) {
	c := a.categories[r.Category]
	if c == nil {
		c = &CategoryFact{Category: r.Category, Health: r.Category.Health()}
		a.categories[r.Category] = c
	}
	c.Records++
	if r.Withheld != "" {
		c.Withheld++
	}
	a.sources[r.Source]++
}

func (a *accumulator) disclosure(d *Disclosure) {
	k := recipientKey{d.Recipient, d.RecipientKind}
	f := a.recipients[k]
	if f == nil {
		f = &RecipientFact{From: FromLog, Kind: d.RecipientKind, Party: d.Recipient}
		a.recipients[k] = f
	}
	f.Disclosed++
	for _, c := range d.Categories {
		if !slices.Contains(f.Categories, c) {
			f.Categories = append(f.Categories, c)
		}
	}
}

// facts derives the facts of GDPR art. 15(1) (rule G1) from the policy and
// what streamed past.
func (x *exporter) facts(cases []privacy.Case) *Facts {
	p := x.d.policy
	f := &Facts{}
	// Rule G1: the facts of GDPR art. 15(1).
	// Art. 15(1)(a): purposes (R5, O2).
	for _, pr := range p.Purposes {
		f.Purposes = append(f.Purposes, PurposeFact{Purpose: pr.Purpose, Rule: pr.Rule,
			CaseKinds: slices.Clone(pr.CaseKinds), Reason: pr.Reason, ReasonNL: pr.ReasonNL, Cases: x.acc.purposes[pr.Purpose]})
	}
	// Art. 15(1)(b): the categories held, in taxonomy order.
	for _, c := range privacy.Categories() {
		if cf := x.acc.categories[c]; cf != nil {
			f.Categories = append(f.Categories, *cf)
		}
	}
	// Art. 15(1)(c): recipients, from the policy's disclosure rules and
	// legal bases, and from the log.
	for _, dr := range p.Disclosures {
		f.Recipients = append(f.Recipients, RecipientFact{From: FromPolicy, Kind: dr.Recipient, Basis: dr.Basis,
			Rule: dr.Rule, Categories: slices.Clone(dr.Categories), Reason: dr.Reason, ReasonNL: dr.ReasonNL})
	}
	for _, lb := range p.LegalBases {
		for _, k := range lb.Recipients {
			f.Recipients = append(f.Recipients, RecipientFact{From: FromStatute, Kind: k, Basis: privacy.BasisStatute,
				LegalBasis: lb.ID, Rule: lb.Rule, Citation: lb.Citation, Categories: slices.Clone(lb.Categories),
				Reason: lb.Reason, ReasonNL: lb.ReasonNL})
		}
	}
	logged := slices.SortedFunc(maps.Values(x.acc.recipients), func(a, b *RecipientFact) int {
		return cmp.Or(cmp.Compare(a.Kind, b.Kind), cmp.Compare(a.Party, b.Party))
	})
	for _, r := range logged {
		r.Categories = taxonomyOrder(r.Categories)
		f.Recipients = append(f.Recipients, *r)
	}
	// Art. 15(1)(d): retention, the rules that set the periods (R9, O12,
	// N7).
	for _, rr := range p.Retention {
		f.Retention = append(f.Retention, RetentionFact{Rule: rr.Rule, Categories: slices.Clone(rr.Categories),
			CaseKinds: slices.Clone(rr.CaseKinds), Trigger: rr.Trigger, Period: rr.Period, Statutory: rr.Statutory,
			Citation: rr.Citation, Reason: rr.Reason, ReasonNL: rr.ReasonNL})
	}
	// Art. 15(1)(g): the sources (R2).
	srcs := slices.SortedFunc(maps.Keys(x.acc.sources), func(a, b SourceData) int {
		return cmp.Or(cmp.Compare(a.Kind, b.Kind), cmp.Compare(a.Party, b.Party))
	})
	for _, s := range srcs {
		f.Sources = append(f.Sources, SourceFact{Kind: s.Kind, Party: s.Party, Records: x.acc.sources[s]})
	}
	// Art. 15(1)(e), (f): rights and where to complain (O15).
	f.Rights = rightsFacts(p)
	f.Complaint = Complaint{Authority: "Autoriteit Persoonsgegevens", Website: "https://autoriteitpersoonsgegevens.nl",
		Procedure: x.d.complaints, Rules: []privacy.RuleID{privacy.O15, privacy.R10, privacy.G2}}
	return f
}

func taxonomyOrder(cs []privacy.Category) []privacy.Category {
	var out []privacy.Category
	for _, c := range privacy.Categories() {
		if slices.Contains(cs, c) {
			out = append(out, c)
		}
	}
	return out
}

func rightsFacts(p *privacy.Policy) []RightFact {
	access := []privacy.RuleID{privacy.G1}
	access = append(access, p.Requests.WrittenBy...)
	return []RightFact{
		{RightAccess, "GDPR art. 15", append(access, privacy.N11)},
		{RightRectification, "GDPR art. 16", []privacy.RuleID{privacy.O13, privacy.G4}},
		{RightErasure, "GDPR art. 17", []privacy.RuleID{privacy.O13, privacy.R9, privacy.N8, privacy.G3, privacy.G4}},
		{RightRestriction, "GDPR art. 18", []privacy.RuleID{privacy.G2}},
		{RightPortability, "GDPR art. 20", []privacy.RuleID{privacy.G5}},
		{RightObjection, "GDPR art. 21", []privacy.RuleID{privacy.G2}},
		{RightWithdrawConsent, "GDPR art. 7(3)", []privacy.RuleID{privacy.R6, privacy.O14}},
		{RightComplain, "GDPR art. 77", []privacy.RuleID{privacy.O15, privacy.R10}},
	}
}

// partKind names the streamed parts after the cases.
type partKind int

const (
	partConsents partKind = iota
	partDisclosures
	partAccess
)

// sink receives an export in order, piece by piece: [Desk.Export] feeds it
// from the stores, [Export.Encode] and [Export.WriteHTML] from a value.
// Both forms are written by the same sinks, so the two paths give the same
// bytes.
type sink interface {
	begin(h *Export) error // header: schema … record_retention
	beginCase(c *CaseData) error
	record(r *RecordData) error
	endCase() error
	endCases() error
	beginPart(k partKind, p Part) error
	consent(c *Consent) error
	disclosure(d *Disclosure) error
	access(a *AccessEntry) error
	endPart(k partKind) error
	requests(rs []Request) error
	facts(f *Facts) error
	end(t *Totals) error
}

// walk feeds an in-memory export to a sink.
func walk(e *Export, s sink) error {
	if err := s.begin(e); err != nil {
		return err
	}
	for i := range e.Cases {
		c := &e.Cases[i]
		if err := s.beginCase(c); err != nil {
			return err
		}
		for j := range c.Records {
			if err := s.record(&c.Records[j]); err != nil {
				return err
			}
		}
		if err := s.endCase(); err != nil {
			return err
		}
	}
	if err := s.endCases(); err != nil {
		return err
	}
	parts := []struct {
		k    partKind
		p    Part
		n    int
		each func(i int) error
	}{
		{partConsents, Part{e.Consents.Available, e.Consents.Note}, len(e.Consents.Entries),
			func(i int) error { return s.consent(&e.Consents.Entries[i]) }},
		{partDisclosures, Part{e.Disclosures.Available, e.Disclosures.Note}, len(e.Disclosures.Entries),
			func(i int) error { return s.disclosure(&e.Disclosures.Entries[i]) }},
		{partAccess, Part{e.AccessLog.Available, e.AccessLog.Note}, len(e.AccessLog.Entries),
			func(i int) error { return s.access(&e.AccessLog.Entries[i]) }},
	}
	for _, p := range parts {
		if err := s.beginPart(p.k, p.p); err != nil {
			return err
		}
		for i := range p.n {
			if err := p.each(i); err != nil {
				return err
			}
		}
		if err := s.endPart(p.k); err != nil {
			return err
		}
	}
	if err := s.requests(e.Requests); err != nil {
		return err
	}
	if err := s.facts(&e.Facts); err != nil {
		return err
	}
	return s.end(&e.Totals)
}

// Encode writes e in its JSON form. An export that [DecodeExport] read is
// written byte for byte as [Desk.Export] wrote it; times are written in
// their own zone (DecodeExport gives them in UTC). It fails with
// [privacy.ErrInvalid] if e does not validate.
func (e *Export) Encode(w io.Writer) error {
	return e.write(w, func(bw *bufio.Writer) sink { return newJSONSink(bw) })
}

// WriteHTML writes e as a page in the language lang, as [Desk.Export]
// writes its HTML form. It fails with [privacy.ErrInvalid] if e does not
// validate or lang is not known.
func (e *Export) WriteHTML(w io.Writer, lang Lang) error {
	if !lang.Known() {
		return invalid("write html", "lang", "want nl or en")
	}
	return e.write(w, func(bw *bufio.Writer) sink { return newHTMLSink(bw, lang) })
}

func (e *Export) write(w io.Writer, mk func(*bufio.Writer) sink) error {
	if err := e.Validate(); err != nil {
		return err
	}
	bw := bufio.NewWriterSize(w, 32<<10)
	if err := walk(e, mk(bw)); err != nil {
		return err
	}
	if err := bw.Flush(); err != nil {
		return writeErr(err)
	}
	return nil
}
