package export

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

// The forms of the export, made from one model ([Document]).
const (
	// FormatJSON is the documented, versioned JSON form (schema
	// [Schema]): structured, machine-readable, for portability (G5).
	FormatJSON Format = "json"
	// FormatHTML is a page a person opens in a browser, in Dutch or in
	// English.
	FormatHTML Format = "html"
)

// Known reports whether f is one of the forms.
func (f Format) Known() bool { return f == FormatJSON || f == FormatHTML }

// Lang is the language of the HTML export, and of the notices of package
// rights.
type Lang string

// The languages.
const (
	Dutch   Lang = "nl"
	English Lang = "en"
)

// Known reports whether l is one of the languages.
func (l Lang) Known() bool { return l == Dutch || l == English }

// Options configure a [Writer]. A nil *Options means the zero value: no
// sources.
type Options struct {
	// Disclosures, Consents, Audit and Retention are the other packages'
	// records of the subject (see the interfaces). Each may be nil: its
	// part of the export is then marked "not available".
	Disclosures DisclosureSource
	Consents    ConsentSource
	Audit       AuditSource
	Retention   RetentionFacts
	// Complaints describes the service's own complaints procedure (rules
	// R10, O15), e.g. an address or a URL; the export names it beside the
	// Autoriteit Persoonsgegevens.
	Complaints string
}

// A Writer writes the exports of subjects: the case file, read from
// [privacy.Dossiers] under the dossiers' policy, and what the sources keep
// (see [Options]), with the facts of GDPR art. 15(1) (rule G1) derived from
// the policy, the records and the log.
//
// A Writer decides nothing about who may have an export, nor which
// medical records it shows with their content: that is its caller's, who
// hands it a [Job]. Package rights is that caller: its desk's Export lets
// the act, audits it and decides a physician's release before it writes
// through a Writer.
//
// A Writer is safe for concurrent use if the dossiers' store and the
// sources are.
type Writer struct {
	dossiers *privacy.Dossiers
	policy   *privacy.Policy
	opts     Options
}

// NewWriter returns a writer that reads the case file from dossiers,
// under the dossiers' policy, and the rest from the sources of opts.
func NewWriter(dossiers *privacy.Dossiers, opts *Options) (*Writer, error) {
	if dossiers == nil {
		return nil, invalid("new writer", "dossiers", "nil dossiers")
	}
	w := &Writer{dossiers: dossiers, policy: dossiers.Policy()}
	if opts != nil {
		w.opts = *opts
	}
	return w, nil
}

// Job is one export: of whom, read by whom and when, with which medical
// records, in which form.
type Job struct {
	// Act is who reads, and when: the export is everything held as it
	// stood at Act.At, and its reads of the medical file are audited by
	// the case file as Act's (rules G7, N9).
	Act privacy.Act
	// Subject and Cases are the subject and their cases, as the dossiers
	// hold them.
	Subject privacy.Subject
	Cases   []privacy.Case
	// Requests are the subject's requests, oldest first (package rights
	// keeps them); Request is the ID of the one the export answers, if
	// one.
	Requests []RequestData
	Request  string
	// Format is FormatJSON (the default) or FormatHTML; Lang the language
	// of the HTML form, Dutch by default.
	Format Format
	Lang   Lang
	// Medical says which medical records are shown with their content.
	Medical Medical
	// Redact, if set, takes personal data of others out of a record (a
	// colleague named in a note). It gets a copy of each record whose
	// content goes into the export and returns it redacted; only the
	// returned Fields are used, and they must be fields of the record's
	// category. A record whose fields it changed is marked redacted.
	Redact func(privacy.Record) privacy.Record
}

// Medical says which of the subject's medical records an export shows
// with their content (rules O13, O6): all of them where the policy gives
// them to the subject directly (Direct); else those of the cases a
// physician released (ReleasedBy, Cases), all of the cases' medical
// records or only Records; the others are listed without content, marked
// [WithheldPendingRelease]. Whether the physician may release them is
// decided before the export, as a medical read (package rights asks the
// access engine); the writer shows what the job says.
type Medical struct {
	Direct     bool
	ReleasedBy privacy.PrincipalID
	Cases      []privacy.CaseID
	Records    []privacy.RecordID
}

// Write writes the export of job j to w, as it reads it: the subject,
// every case with its records, consent grants and revocations, the
// disclosure log, the audit trail of who accessed the data (N9), the
// subject's requests, and the facts of GDPR art. 15(1) (rule G1) derived
// from the policy, the records and the log. The JSON form (rule G5) is
// documented in the package documentation; the HTML form is a page for a
// person.
//
// The export streams: records are read through the stores' iterators and
// written as they come, so its memory does not grow with the number of
// records. Write returns the totals of what it wrote. On an error, what
// was written is incomplete and must be discarded (a cut JSON export does
// not decode). It fails with [privacy.ErrInvalid] for a malformed job or
// malformed entries from a source, and with [privacy.ErrUnavailable] when
// w fails.
func (wr *Writer) Write(ctx context.Context, w io.Writer, j *Job) (Totals, error) {
	const o = "write export"
	if j == nil {
		return Totals{}, invalid(o, "job", "nil job")
	}
	if err := checkTime(o, "act.at", j.Act.At); err != nil {
		return Totals{}, err
	}
	format := cmp.Or(j.Format, FormatJSON)
	lang := cmp.Or(j.Lang, Dutch)
	if !format.Known() {
		return Totals{}, invalid(o, "format", "want json or html")
	}
	if !lang.Known() {
		return Totals{}, invalid(o, "lang", "want nl or en")
	}
	m := j.Medical
	var release map[privacy.RecordID]bool // nil: no release
	var released map[privacy.CaseID]bool
	if m.ReleasedBy != "" {
		if err := checkID(o, "medical.released_by", string(m.ReleasedBy)); err != nil {
			return Totals{}, err
		}
		release = make(map[privacy.RecordID]bool, len(m.Records))
		for _, id := range m.Records {
			if err := checkID(o, "medical.records", string(id)); err != nil {
				return Totals{}, err
			}
			release[id] = true
		}
		released = make(map[privacy.CaseID]bool, len(m.Cases))
		for _, id := range m.Cases {
			if err := checkID(o, "medical.cases", string(id)); err != nil {
				return Totals{}, err
			}
			released[id] = true
		}
	}
	ctx = OnePass(ctx) // the subject's holds read once for the whole export
	bw := bufio.NewWriterSize(w, 32<<10)
	var s sink
	if format == FormatHTML {
		s = newHTMLSink(bw, lang)
	} else {
		s = newJSONSink(bw)
	}
	// Rules R11, O13, G1: everything held, with the facts of art. 15.
	x := &exporter{w: wr, ctx: ctx, act: j.Act, now: privacy.Timestamp(j.Act.At), sub: j.Subject, sink: s,
		release: release, released: released, physician: m.ReleasedBy, redact: j.Redact, direct: m.Direct,
		acc: newAccumulator()}
	if err := x.run(j.Cases, j.Requests, j.Request); err != nil {
		return Totals{}, err
	}
	if err := bw.Flush(); err != nil {
		return Totals{}, writeErr(err)
	}
	return x.totals, nil
}

func writeErr(err error) error {
	return &privacy.Error{Op: op + "write export", Kind: privacy.ErrUnavailable, Msg: "write failed", Err: err}
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
	w         *Writer
	ctx       context.Context
	act       privacy.Act // who reads, for the medical file's audit
	now       time.Time
	sub       privacy.Subject
	sink      sink
	release   map[privacy.RecordID]bool // nil: no release
	released  map[privacy.CaseID]bool   // the cases whose medical records the physician released
	physician privacy.PrincipalID
	redact    func(privacy.Record) privacy.Record
	direct    bool
	acc       *accumulator
	totals    Totals
}

func (x *exporter) run(cases []privacy.Case, reqs []RequestData, request string) error {
	p := x.w.policy
	h := &Document{Schema: Schema, Generated: x.now, Request: request,
		Controller: p.Controller, ControllerNL: p.ControllerNL,
		Processor: p.Processor, ProcessorNL: p.ProcessorNL,
		Policy: PolicyRef{Name: p.Name, Version: p.Version, Effective: p.Effective,
			Title: p.Title, TitleNL: p.TitleNL},
		Subject: SubjectData{ID: x.sub.ID, Employer: x.sub.Employer, Created: x.sub.Created,
			EmploymentEnded: x.sub.EmploymentEnded},
		Medical:         MedicalAccess{Direct: x.direct, Rule: privacy.O13},
		RecordRetention: Part{Available: x.w.opts.Retention != nil},
	}
	if x.physician != "" && !x.direct {
		h.Medical.ReleasedBy = x.physician
	}
	if x.w.opts.Retention == nil {
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
	rs := make([]RequestData, len(reqs))
	for i, r := range reqs {
		r = r.clone()
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
		x.w.dossiers.SubjectCaseRecords(x.ctx, c.Subject, c.ID), x.w.dossiers.SubjectCaseMedicalRecords(x.ctx, x.act, c.Subject, c.ID)} {
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
	if x.w.opts.Retention != nil {
		ret, err := x.w.opts.Retention.RecordRetention(x.ctx, x.sub, c, r, x.now)
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
	if x.w.opts.Consents == nil {
		return x.emptyPart(partConsents, noteNoConsents)
	}
	if err := x.sink.beginPart(partConsents, Part{Available: true}, nil); err != nil {
		return err
	}
	for c, err := range x.w.opts.Consents.SubjectConsents(x.ctx, x.sub.ID) {
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
	if x.w.opts.Disclosures == nil {
		return x.emptyPart(partDisclosures, noteNoDisclosures)
	}
	if err := x.sink.beginPart(partDisclosures, Part{Available: true}, nil); err != nil {
		return err
	}
	for dis, err := range x.w.opts.Disclosures.SubjectDisclosures(x.ctx, x.sub.ID) {
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
// ask who accessed their data): the subject's own audit chain (rule G7),
// with its head when the source tells it.
func (x *exporter) accessLog() error {
	if x.w.opts.Audit == nil {
		return x.emptyPart(partAccess, noteNoAudit)
	}
	var head *ChainHead
	if cs, ok := x.w.opts.Audit.(ChainSource); ok {
		// The head is read before the events: events appended while the
		// export runs come after it and are left for the next export.
		var err error
		if head, err = cs.SubjectChain(x.ctx, x.sub.ID); err != nil {
			return err
		}
		if head != nil {
			head = head.clone()
			if err := head.validate("access_log.chain"); err != nil {
				return err
			}
		}
	}
	if err := x.sink.beginPart(partAccess, Part{Available: true}, head); err != nil {
		return err
	}
	write := func(e privacy.Event) error {
		// Rule N9: who, in which role, on whose behalf, what, when, from
		// where, with which outcome; rule G7: with its links.
		a := AccessEntry{Seq: e.Seq, Time: e.Time, Principal: e.Principal, Role: e.Role, OnBehalfOf: e.OnBehalfOf,
			Purpose: e.Purpose, Case: e.Case, Category: e.Category, Object: e.Object, Action: e.Action,
			Outcome: e.Outcome, Rule: e.Rule, Policy: e.Policy, AccessPoint: e.AccessPoint, Client: e.Client,
			Prev: e.Prev, Hash: e.Hash}
		normalize(reflect.ValueOf(&a))
		if err := a.validate("access_log.entries"); err != nil {
			return err
		}
		x.totals.AccessEvents++
		return x.sink.access(&a)
	}
	src := x.w.opts.Audit.SubjectEvents(x.ctx, x.sub.ID)
	if head == nil {
		for e, err := range src {
			if err != nil {
				return err
			}
			if e.Subject != x.sub.ID {
				continue // never someone else's events
			}
			if err := write(e); err != nil {
				return err
			}
		}
		return x.sink.endPart(partAccess)
	}
	// Rule G7: the events written are the subject's chain, in order, from
	// its start to the head, each checked (numbering and links; the
	// content too where the links are not keyed) before it is written.
	var failed error
	events := func(yield func(privacy.Event, error) bool) {
		for e, err := range src {
			if err != nil {
				yield(privacy.Event{}, err)
				return
			}
			if e.Subject == x.sub.ID && e.Seq > head.Seq {
				return // appended after the head was read
			}
			if !yield(e, nil) {
				return
			}
			if failed = write(e); failed != nil {
				return
			}
		}
	}
	// Rule G7: under the trail's key where the source has it, so that an
	// event edited in the database is not handed out.
	verify := func(events iter.Seq2[privacy.Event, error], c access.SubjectChain) (access.Checkpoint, error) {
		return access.VerifySubject(events, c, nil, access.Checkpoint{})
	}
	if v, ok := x.w.opts.Audit.(interface {
		verifySubject(iter.Seq2[privacy.Event, error], access.SubjectChain) (access.Checkpoint, error)
	}); ok {
		verify = v.verifySubject
	}
	_, err := verify(events, head.subjectChain(x.sub.ID))
	if failed != nil {
		return failed
	}
	if err != nil {
		return err
	}
	return x.sink.endPart(partAccess)
}

func (x *exporter) emptyPart(k partKind, note string) error {
	if err := x.sink.beginPart(k, Part{Note: note}, nil); err != nil {
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
	p := x.w.policy
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
			CaseKinds: slices.Clone(rr.CaseKinds), Trigger: rr.Trigger, Period: rr.Period, FromYearEnd: rr.FromYearEnd, Statutory: rr.Statutory,
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
		Procedure: x.w.opts.Complaints, Rules: []privacy.RuleID{privacy.O15, privacy.R10, privacy.G2}}
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

// sink receives an export in order, piece by piece: [Writer.Write] feeds
// it from the stores, [Document.Encode] and [Document.WriteHTML] from a
// value.
// Both forms are written by the same sinks, so the two paths give the same
// bytes.
type sink interface {
	begin(h *Document) error // header: schema … record_retention
	beginCase(c *CaseData) error
	record(r *RecordData) error
	endCase() error
	endCases() error
	beginPart(k partKind, p Part, chain *ChainHead) error // chain: the access log's head, if any
	consent(c *Consent) error
	disclosure(d *Disclosure) error
	access(a *AccessEntry) error
	endPart(k partKind) error
	requests(rs []RequestData) error
	facts(f *Facts) error
	end(t *Totals) error
}

// walk feeds an in-memory export to a sink.
func walk(e *Document, s sink) error {
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
		k     partKind
		p     Part
		chain *ChainHead
		n     int
		each  func(i int) error
	}{
		{partConsents, Part{e.Consents.Available, e.Consents.Note}, nil, len(e.Consents.Entries),
			func(i int) error { return s.consent(&e.Consents.Entries[i]) }},
		{partDisclosures, Part{e.Disclosures.Available, e.Disclosures.Note}, nil, len(e.Disclosures.Entries),
			func(i int) error { return s.disclosure(&e.Disclosures.Entries[i]) }},
		{partAccess, Part{e.AccessLog.Available, e.AccessLog.Note}, e.AccessLog.Chain, len(e.AccessLog.Entries),
			func(i int) error { return s.access(&e.AccessLog.Entries[i]) }},
	}
	for _, p := range parts {
		if err := s.beginPart(p.k, p.p, p.chain); err != nil {
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

// Encode writes e in its JSON form. An export that [Decode] read is
// written byte for byte as the [Writer] wrote it; times are written in
// their own zone (Decode gives them in UTC). It fails with
// [privacy.ErrInvalid] if e does not validate.
func (e *Document) Encode(w io.Writer) error {
	return e.write(w, func(bw *bufio.Writer) sink { return newJSONSink(bw) })
}

// WriteHTML writes e as a page in the language lang, as the [Writer]
// writes its HTML form. It fails with [privacy.ErrInvalid] if e does not
// validate or lang is not known.
func (e *Document) WriteHTML(w io.Writer, lang Lang) error {
	if !lang.Known() {
		return invalid("write html", "lang", "want nl or en")
	}
	return e.write(w, func(bw *bufio.Writer) sink { return newHTMLSink(bw, lang) })
}

func (e *Document) write(w io.Writer, mk func(*bufio.Writer) sink) error {
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
