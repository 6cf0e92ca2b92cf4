package rights

import (
	"context"
	"sync"
	"time"

	"github.com/dossierwacht/dossierwacht/privacy"
	"github.com/dossierwacht/dossierwacht/retention"
)

// RetentionFromStore returns the [RetentionFacts] of package retention: each
// record's schedule under rules, with the legal holds and erasure requests
// kept in store (rules R9, O12, N7, G3). Holds and requests are read once
// per subject, not per record, so an export of a large file stays streamed.
func RetentionFromStore(store retention.Store, rules *retention.Rules) RetentionFacts {
	return &retentionFacts{store: store, rules: rules}
}

type retentionFacts struct {
	store retention.Store
	rules *retention.Rules

	mu       sync.Mutex
	subject  privacy.SubjectID
	holds    []retention.Hold
	erasures []retention.Erasure
}

// context returns the holds and erasure requests of subject id.
func (f *retentionFacts) context(ctx context.Context, id privacy.SubjectID) ([]retention.Hold, []retention.Erasure, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.subject == id {
		return f.holds, f.erasures, nil
	}
	d, err := f.store.Dossier(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	f.subject, f.holds, f.erasures = id, d.Holds, d.Erasures
	return f.holds, f.erasures, nil
}

// RecordRetention implements [RetentionFacts].
func (f *retentionFacts) RecordRetention(ctx context.Context, s privacy.Subject, c privacy.Case, r privacy.Record, now time.Time) (Retention, error) {
	holds, erasures, err := f.context(ctx, s.ID)
	if err != nil {
		return Retention{}, err
	}
	d := retention.Dossier{Subject: s, Holds: holds, Erasures: erasures,
		Cases: []retention.CaseFile{{Case: c, Records: []retention.Entry{retention.EntryOf(r)}}}}
	x, err := f.rules.Explain(&d, r.ID, now)
	if err != nil {
		return Retention{}, err
	}
	sch := x.Schedule
	out := Retention{Rule: sch.Rule, Reason: x.Why, Citation: f.rules.Citation(&sch)}
	if rule, ok := f.rules.Rule(sch.Index); ok {
		out.Period, out.Trigger, out.Statutory = rule.Period, rule.Trigger, rule.Statutory
	}
	switch {
	case sch.Reason == retention.ReasonHold && sch.Ground == retention.GroundLegalObligation:
		// A hold for a legal obligation (GDPR art. 17(3)(b)) keeps the
		// record as a statute would, with no last day.
		out.Statutory = true
	case sch.Reason == retention.ReasonHold:
		// Rule G3: a hold for legal claims (art. 17(3)(e)).
		out.Hold = true
		if !sch.Due.IsZero() {
			out.Until = sch.Due.AddDays(-1)
		}
	case sch.Reason == retention.ReasonStatute && !sch.Floor.IsZero():
		out.Statutory = true
		out.Until = sch.Floor.AddDays(-1)
	case !sch.Due.IsZero():
		// Due is the first day the record may go; Until the last day kept.
		out.Until = sch.Due.AddDays(-1)
	}
	return out, nil
}
