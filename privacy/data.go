package privacy

import (
	"fmt"
	"slices"
)

// DataKind is a kind of stored personal data other than a case's records:
// the subject's master data, the case rows, legal holds, erasure requests,
// consent grants, subject requests, disclosure-log entries, the group
// histories and audit events. Every kind has a retention rule in every policy (rules R9, O12,
// N7, N9): nothing about a person is kept without one. Values are stored
// in proofs of deletion; they are never renamed.
type DataKind string

// The kinds of stored data besides records. Each says, for retention, when
// the object has ended (the day its period runs from) and what it
// outlives: an object is never removed before the data it is about.
const (
	// DataSubject is the subject's master data. Its period runs from the
	// closing of the last case, or from the end of employment when that
	// is recorded and later (from the subject's creation when it has
	// neither); it outlives everything else of the subject.
	DataSubject DataKind = "subject"
	// DataCase is a case row. Its period runs from the case's closing; it
	// outlives the case's records.
	DataCase DataKind = "case"
	// DataHold is a legal hold. A standing hold is kept with what it
	// keeps (G3); a lifted one from its lifting.
	DataHold DataKind = "hold"
	// DataErasure is a granted erasure request, from its decision; it
	// outlives the records in its scope.
	DataErasure DataKind = "erasure"
	// DataGrant is a consent grant, from its revocation or expiry, or
	// with the subject when it has no end or ends later; it outlives the disclosures that rest on it, so
	// that the consent can be shown (GDPR art. 7(1)).
	DataGrant DataKind = "grant"
	// DataRequest is a subject request (access, rectification, erasure,
	// restriction), from its closing, or, never closed, from the end of its
	// deadline: an unanswered request is not kept for ever.
	DataRequest DataKind = "request"
	// DataDisclosure is a disclosure-log entry, from the disclosure; it
	// outlives the records it names, whose recipients are to be told of
	// their erasure (G4), and no longer: once they are gone, no one can
	// need to be told.
	DataDisclosure DataKind = "disclosure"
	// DataGroups is a subject's place in the group histories: the groups
	// of people an employer was answered an anonymised group figure
	// about, kept so that no later figure can single a person out by
	// difference with the earlier ones (N12). It lasts while the
	// subject's master data does: when the subject is removed, its ID is
	// replaced in every group by a random token that names no one (the
	// same in each group, so the protection of N12 stays whole). Its
	// rule's period is empty: it is the subject's.
	DataGroups DataKind = "group-history"
	// DataAudit is an audit event; its rule is the policy's
	// AuditRetention (N9), from the event's time.
	DataAudit DataKind = "audit-event"
)

// DataKinds returns every kind of stored data besides records, in the
// order a sweep removes them (the subject last).
func DataKinds() []DataKind {
	return []DataKind{DataAudit, DataDisclosure, DataGrant, DataRequest, DataErasure, DataHold, DataCase, DataGroups, DataSubject}
}

// Known reports whether k is one of the kinds.
func (k DataKind) Known() bool { return slices.Contains(DataKinds(), k) }

// DataRule says how long stored data of one kind other than records is
// kept and why (R9, O12, N7, G3, G4). The period runs from the day the
// object ended (see [DataKind]) and never ends before the data the object
// outlives is gone. Statutory marks a period a statute imposes, with its
// Citation: "kept while a statute requires".
type DataRule struct {
	Rule      RuleID   `json:"rule"`
	Kind      DataKind `json:"kind"`
	Period    Period   `json:"period"`
	Statutory bool     `json:"statutory,omitempty"`
	Citation  string   `json:"citation"`
	Reason    string   `json:"reason"`
	// ReasonNL is Reason in Dutch (see [Policy], # Texts).
	ReasonNL string `json:"reason_nl,omitempty"`
}

// ReasonText returns the rule's reason in Dutch and English.
func (r DataRule) ReasonText() Text { return Text{NL: r.ReasonNL, EN: r.Reason} }

// DataRule returns the policy's rule for stored data of kind k; for
// [DataAudit] it is made from AuditRetention (N9).
func (p *Policy) DataRule(k DataKind) (DataRule, bool) {
	if k == DataAudit {
		a := p.AuditRetention
		return DataRule{Rule: a.Rule, Kind: DataAudit, Period: a.Period, Statutory: true, Citation: a.Citation,
			Reason:   "audit events are kept at least 5 years",
			ReasonNL: "auditgebeurtenissen worden ten minste 5 jaar bewaard"}, a.Rule != ""
	}
	for _, r := range p.Data {
		if r.Kind == k {
			return r, true
		}
	}
	return DataRule{}, false
}

// retentionGaps is rules R9, O12, N7, N9: every kind of stored personal
// data has a retention rule. Every category of every kind of case is
// covered by a retention rule — every kind, not only those the policy's
// purposes open, since cases opened under an earlier version stay in the
// store — and every other kind of stored data by exactly one data rule
// with its citation; audit events by AuditRetention, with its citation.
// "Kept with no rule" is impossible: a rule may keep data while a statute
// requires, and then says which.
func (c *policyChecker) retentionGaps(p *Policy) {
	rule := p.citing(R9, O12)
	for _, k := range CaseKinds() {
		for _, cat := range Categories() {
			if !slices.ContainsFunc(p.Retention, func(r RetentionRule) bool { return r.covers(cat, k) }) {
				c.fail(rule, "retention", "no retention rule covers %s in %s cases", cat, k)
				return
			}
		}
	}
	seen := map[DataKind]bool{}
	for i, r := range p.Data {
		path := fmt.Sprintf("data[%d]", i)
		c.rule(path+".rule", r.Rule)
		switch {
		case !r.Kind.Known() || r.Kind == DataAudit:
			c.fail(rule, path+".kind", "unknown kind %q: audit events are kept under audit_retention", truncate(string(r.Kind), 32))
		case seen[r.Kind]:
			c.fail(rule, path+".kind", "a second rule for %s", r.Kind)
		}
		seen[r.Kind] = true
		c.period(path+".period", r.Period, false)
		c.retentionCeiling(path+".period", p, r.Period, r.Statutory)
		if r.Citation == "" {
			c.fail(r.Rule, path+".citation", "a retention rule cites its source")
		}
		if r.Reason == "" {
			c.fail(r.Rule, path+".reason", "missing")
		}
	}
	for _, k := range DataKinds() {
		if k != DataAudit && !seen[k] {
			c.fail(rule, "data", "no retention rule for %s", k)
			return
		}
	}
	if p.AuditRetention.Citation == "" {
		c.fail(N9, "audit_retention.citation", "the audit retention cites its source")
	}
}
