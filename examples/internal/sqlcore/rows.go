package sqlcore

import (
	"github.com/dossierwacht/dossierwacht/access"
	"github.com/dossierwacht/dossierwacht/consent"
	"github.com/dossierwacht/dossierwacht/examples/internal/sqladapter"
	"github.com/dossierwacht/dossierwacht/privacy"
	"github.com/dossierwacht/dossierwacht/retention"
)

// The columns of the tables, in the order every statement of both
// dialects names them and the scanners below read them. A dialect's
// statements select these lists; a column added to a table is added here,
// to its scanner and to its staging, once.
const (
	SubjectColumns = `id, employer, employment_ended, created`
	CaseColumns    = `id, subject_id, kind, purpose, contract_id, contract_party, contract_party_kind,
	contract_start, contract_end, opened, closed`
	RecordColumns = `id, case_id, subject_id, category, author, source_kind, source_party, purpose, basis,
	created, updated, fields`
	EventColumns = `seq, time, principal, role, on_behalf_of, purpose, subject, case_id, category, object,
	action, outcome, rule, policy, access_point, client, prev, hash`
	HoldColumns    = `id, subject_id, case_id, records, ground, reason, placed_by, placed, lifted_by, lifted, lift_reason`
	ErasureColumns = `id, subject_id, case_id, records, rule, received, decided, decided_by`
	ProofColumns   = `record_id, medical, case_id, case_kind, subject_id, category, updated, due, deleted, rule, reason,
	citation, erasure, policy, by_principal, recipients`
	GrantColumns = `id, subject_id, recipient_party, recipient_kind, categories, purpose, case_id, form, document,
	given, valid_from, valid_until, revoked`
	DisclosureColumns = `id, subject_id, case_id, recipient_party, recipient_kind, items, purpose, at, by_principal,
	role, rule, basis, legal_basis, grants, notify_subject, policy, written_request, coverage_id`
	CoverageColumns = `id, insurer, employer, valid_from, valid_until`
	RequestColumns  = `id, subject_id, kind, form, received, document, records, written_rule, written, status,
	open, due, due_rule, due_citation, due_extension, policy, steps, history`
)

// EventColumnNames are the columns of [EventColumns], one by one (for
// PostgreSQL's COPY).
var EventColumnNames = []string{"seq", "time", "principal", "role", "on_behalf_of", "purpose", "subject", "case_id",
	"category", "object", "action", "outcome", "rule", "policy", "access_point", "client", "prev", "hash"}

// ProofColumnNames are the columns of [ProofColumns], one by one.
var ProofColumnNames = []string{"record_id", "medical", "case_id", "case_kind", "subject_id", "category", "updated",
	"due", "deleted", "rule", "reason", "citation", "erasure", "policy", "by_principal", "recipients"}

// RecordArgs appends to args the columns of r in the order of
// [RecordColumns], as parameters.
func RecordArgs(args []any, v Codec, r *privacy.Record) []any {
	return append(args, string(r.ID), string(r.Case), string(r.Subject), string(r.Category), string(r.Author),
		string(r.Source.Kind), string(r.Source.Party), string(r.Purpose), string(r.Basis), v.Time(r.Created),
		v.Time(r.Updated), sqladapter.EncodeFields(r.Fields))
}

// EventArgs appends to args the columns of the chained event e in the
// order of [EventColumns], as parameters.
func EventArgs(args []any, v Codec, e *privacy.Event) []any {
	return append(args, int64(e.Seq), v.Time(e.Time), string(e.Principal), string(e.Role), string(e.OnBehalfOf),
		string(e.Purpose), string(e.Subject), string(e.Case), string(e.Category), e.Object, string(e.Action),
		string(e.Outcome), string(e.Rule), e.Policy, e.AccessPoint, e.Client, e.Prev[:], e.Hash[:])
}

// EventText returns the 14 text columns of e, principal to client in the
// order of [EventColumns].
func EventText(e *privacy.Event) [14]string {
	return [14]string{string(e.Principal), string(e.Role), string(e.OnBehalfOf), string(e.Purpose),
		string(e.Subject), string(e.Case), string(e.Category), e.Object, string(e.Action), string(e.Outcome),
		string(e.Rule), e.Policy, e.AccessPoint, e.Client}
}

// ProofArgs appends to args the columns of p in the order of
// [ProofColumns], as parameters.
func ProofArgs(args []any, v Codec, p *retention.Proof) []any {
	return append(args, string(p.Record), p.Medical, string(p.Case), string(p.CaseKind), string(p.Subject),
		string(p.Category), v.Time(p.Updated), sqladapter.EncodeDate(p.Due), v.Time(p.Deleted), string(p.Rule),
		string(p.Reason), p.Citation, string(p.Erasure), p.Policy, string(p.By),
		v.JSON(sqladapter.EncodeRecipients(p.Recipients)))
}

func scanSubject(v Codec, row Row) (privacy.Subject, error) {
	var sub privacy.Subject
	err := row.Scan(&sub.ID, &sub.Employer, v.ScanTime(&sub.EmploymentEnded), v.ScanTime(&sub.Created))
	return sub, err
}

func scanCase(v Codec, row Row) (privacy.Case, error) {
	var c privacy.Case
	err := row.Scan(caseDests(v, &c)...)
	return c, err
}

// caseDests are the destinations of the CaseColumns in c.
func caseDests(v Codec, c *privacy.Case) []any {
	return []any{&c.ID, &c.Subject, &c.Kind, &c.Purpose, &c.Contract.ID, &c.Contract.Party, &c.Contract.PartyKind,
		v.ScanTime(&c.Contract.Start), v.ScanTime(&c.Contract.End), v.ScanTime(&c.Opened), v.ScanTime(&c.Closed)}
}

// scanCaseFile reads the CaseColumns and the case's kept activity
// (active, migration 0072) into a case file without its records.
func scanCaseFile(v Codec, row Row) (retention.CaseFile, error) {
	var cf retention.CaseFile
	err := row.Scan(append(caseDests(v, &cf.Case), v.ScanTime(&cf.Active))...)
	return cf, err
}

func scanRecord(v Codec, row Row) (privacy.Record, error) {
	var r privacy.Record
	var fields []byte
	if err := row.Scan(&r.ID, &r.Case, &r.Subject, &r.Category, &r.Author, &r.Source.Kind, &r.Source.Party,
		&r.Purpose, &r.Basis, v.ScanTime(&r.Created), v.ScanTime(&r.Updated), &fields); err != nil {
		return privacy.Record{}, err
	}
	var err error
	r.Fields, err = sqladapter.DecodeFields(fields)
	return r, err
}

// ScanEvent reads a row of [EventColumns]. A stored hash of the wrong
// length is an error matching privacy.ErrUnavailable.
func ScanEvent(v Codec, row Row) (privacy.Event, error) {
	var e privacy.Event
	var seq int64
	var prev, hash []byte
	if err := row.Scan(&seq, v.ScanTime(&e.Time), &e.Principal, &e.Role, &e.OnBehalfOf, &e.Purpose, &e.Subject,
		&e.Case, &e.Category, &e.Object, &e.Action, &e.Outcome, &e.Rule, &e.Policy, &e.AccessPoint, &e.Client,
		&prev, &hash); err != nil {
		return privacy.Event{}, err
	}
	if len(prev) != len(e.Prev) || len(hash) != len(e.Hash) {
		// Rule G7: damage, not tampering: a hash cut short or grown is
		// no event at all.
		return privacy.Event{}, access.Damaged("read event", e.Subject, uint64(seq))
	}
	e.Seq = uint64(seq)
	copy(e.Prev[:], prev)
	copy(e.Hash[:], hash)
	return e, nil
}

func scanHold(v Codec, row Row) (retention.Hold, error) {
	var h retention.Hold
	var c, liftedBy, liftReason *string
	var records []string
	if err := row.Scan(&h.ID, &h.Subject, &c, v.ScanList(&records), &h.Ground, &h.Reason, &h.PlacedBy,
		v.ScanTime(&h.Placed), &liftedBy, v.ScanTime(&h.Lifted), &liftReason); err != nil {
		return retention.Hold{}, err
	}
	h.Case, h.LiftedBy, h.LiftReason = privacy.CaseID(deref(c)), privacy.PrincipalID(deref(liftedBy)), deref(liftReason)
	h.Records = sqladapter.Named[privacy.RecordID](records)
	return h, nil
}

func scanErasure(v Codec, row Row) (retention.Erasure, error) {
	var e retention.Erasure
	var c *string
	var records []string
	if err := row.Scan(&e.ID, &e.Subject, &c, v.ScanList(&records), &e.Rule, v.ScanTime(&e.Received),
		v.ScanTime(&e.Decided), &e.DecidedBy); err != nil {
		return retention.Erasure{}, err
	}
	e.Case, e.Records = privacy.CaseID(deref(c)), sqladapter.Named[privacy.RecordID](records)
	return e, nil
}

func scanProof(v Codec, row Row) (retention.Proof, error) {
	var p retention.Proof
	var due *string
	var recipients []byte
	if err := row.Scan(&p.Record, &p.Medical, &p.Case, &p.CaseKind, &p.Subject, &p.Category, v.ScanTime(&p.Updated),
		&due, v.ScanTime(&p.Deleted), &p.Rule, &p.Reason, &p.Citation, &p.Erasure, &p.Policy, &p.By,
		v.ScanJSON(&recipients)); err != nil {
		return retention.Proof{}, err
	}
	var err error
	if p.Due, err = sqladapter.DecodeDate(deref(due)); err != nil {
		return retention.Proof{}, err
	}
	if recipients != nil {
		if p.Recipients, err = sqladapter.DecodeRecipients(recipients); err != nil {
			return retention.Proof{}, err
		}
	}
	return p, nil
}

func scanGrant(v Codec, row Row) (consent.Grant, error) {
	var g consent.Grant
	var cats []string
	if err := row.Scan(&g.ID, &g.Subject, &g.Recipient.Party, &g.Recipient.Kind, v.ScanList(&cats), &g.Purpose, &g.Case,
		&g.Form, &g.Document, v.ScanTime(&g.Given), v.ScanTime(&g.From), v.ScanTime(&g.Until), v.ScanTime(&g.Revoked)); err != nil {
		return consent.Grant{}, err
	}
	g.Categories = sqladapter.Named[privacy.Category](cats)
	return g, nil
}

func scanDisclosure(v Codec, row Row) (consent.Disclosure, error) {
	var d consent.Disclosure
	var items string
	var grants []string
	if err := row.Scan(&d.ID, &d.Subject, &d.Case, &d.Recipient.Party, &d.Recipient.Kind, &items, &d.Purpose,
		v.ScanTime(&d.At), &d.By, &d.Role, &d.Rule, &d.Basis, &d.LegalBasis, v.ScanList(&grants), &d.NotifySubject,
		&d.Policy, &d.WrittenRequest, &d.Coverage); err != nil {
		return consent.Disclosure{}, err
	}
	d.Grants = sqladapter.Named[consent.GrantID](grants)
	var err error
	d.Items, err = sqladapter.DecodeItems([]byte(items))
	return d, err
}

func scanCoverage(v Codec, row Row) (consent.Coverage, error) {
	var c consent.Coverage
	err := row.Scan(&c.ID, &c.Insurer, &c.Employer, v.ScanTime(&c.From), v.ScanTime(&c.Until))
	return c, err
}

// deref is *s, "" for NULL.
func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// optional is an optional ID as a parameter: NULL when empty.
func optional(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}
