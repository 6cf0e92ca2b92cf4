package export

import (
	"context"
	"sync"
	"time"

	"github.com/dossierwacht/dossierwacht/privacy"
	"github.com/dossierwacht/dossierwacht/retention"
)

// RetentionFromStore returns the [RetentionFacts] of package retention: each
// record's schedule under rules, with the legal holds and erasure requests
// kept in store (rules R9, O12, N7, G3). Within one pass over a subject's
// records ([OnePass]: an export, an erasure plan of package rights) the
// subject's holds and requests are read once, not per record, so an export
// of a large file stays streamed; every pass reads them anew, so a hold
// counts from the moment it is placed (G3). Called outside a pass,
// RecordRetention reads them on every call.
func RetentionFromStore(store retention.Store, rules *retention.Engine) RetentionFacts {
	return &retentionFacts{store: store, rules: rules}
}

type retentionFacts struct {
	store retention.Store
	rules *retention.Engine
}

// passKey marks a context as one pass; its value is a *passFacts.
type passKey struct{}

// passFacts are the holds and erasure requests of the subject a pass
// reads. A pass reads one subject, but the cache checks the subject all
// the same.
type passFacts struct {
	mu       sync.Mutex
	subject  privacy.SubjectID
	holds    []retention.Hold
	erasures []retention.Erasure
	active   map[privacy.CaseID]time.Time
}

// OnePass returns ctx marked as one pass over a subject's records: within
// it, the [RetentionFacts] of [RetentionFromStore] read the subject's legal
// holds and erasure requests once, not for every record. A [Writer] makes
// each export one pass; package rights makes each erasure plan one. A
// cache that outlived its pass would hide a hold placed after it (rule
// G3), so each pass reads them anew.
func OnePass(ctx context.Context) context.Context {
	return context.WithValue(ctx, passKey{}, &passFacts{})
}

// context returns the holds and erasure requests of subject id, and the
// last activity of each of its cases ([retention.CaseFile.LastActivity]:
// an open case ends for retention then, its records' periods with it,
// rules R9, O12): once per pass, or read afresh outside a pass.
func (f *retentionFacts) context(ctx context.Context, id privacy.SubjectID) ([]retention.Hold, []retention.Erasure, map[privacy.CaseID]time.Time, error) {
	run, _ := ctx.Value(passKey{}).(*passFacts)
	if run != nil {
		run.mu.Lock()
		defer run.mu.Unlock()
		if run.subject == id {
			return run.holds, run.erasures, run.active, nil
		}
	}
	d, err := f.store.Dossier(ctx, id)
	if err != nil {
		return nil, nil, nil, err
	}
	active := make(map[privacy.CaseID]time.Time, len(d.Cases))
	for i := range d.Cases {
		active[d.Cases[i].Case.ID] = d.Cases[i].LastActivity()
	}
	if run != nil {
		run.subject, run.holds, run.erasures, run.active = id, d.Holds, d.Erasures, active
	}
	return d.Holds, d.Erasures, active, nil
}

// RecordRetention implements [RetentionFacts].
func (f *retentionFacts) RecordRetention(ctx context.Context, s privacy.Subject, c privacy.Case, r privacy.Record, now time.Time) (Retention, error) {
	holds, erasures, active, err := f.context(ctx, s.ID)
	if err != nil {
		return Retention{}, err
	}
	d := retention.Dossier{Subject: s, Holds: holds, Erasures: erasures,
		Cases: []retention.CaseFile{{Case: c, Records: []retention.Entry{retention.EntryOf(r)}, Active: active[c.ID]}}}
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
		// Rule G3: a hold for legal claims (art. 17(3)(e)); or a
		// restriction of processing (art. 18(2)), whose rule the
		// schedule names.
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
