package retention

import (
	"context"
	"time"

	"github.com/dossierwacht/dossierwacht/privacy"
)

// SweepPlan is what a sweep at a time would remove, of every kind of
// stored data (rules R9, O12, N9): the records, the other stored objects,
// and from when audit events would be pruned. It is a dry run's answer:
// nothing is deleted.
type SweepPlan struct {
	// Policy is the name and version of the policy the plan is under.
	Policy string
	// Records are the schedules of the records a sweep would delete, as
	// [Keeper.Plan] yields them.
	Records []Schedule
	// Objects are the schedules of the other stored objects a sweep
	// would delete — disclosure-log entries, grants, requests, erasure
	// requests, holds, cases, subjects, those of subjects without a row
	// included ([OrphanStore]) — in the order a sweep removes them
	// ([Engine.ScheduleObjects]). A subject's place in the group
	// histories goes with the subject ([privacy.DataGroups]).
	Objects []ObjectSchedule
	// AuditBefore is the instant before which a sweep would prune audit
	// events (N9; [Engine.AuditBefore]); zero when the store is not an
	// [AuditPruner] (a wrapper whose store beneath does not prune says so
	// only when the sweep runs).
	AuditBefore time.Time
	// Unswept are the kinds of stored data the store does not let a
	// sweep remove, as [Report].Unswept.
	Unswept []privacy.DataKind
}

// PlanSweep is a sweep's dry run of every kind of stored data: what
// [Keeper.Sweep] at now would remove, each with its rule and reason — the
// records [Keeper.Plan] yields, the other stored objects a sweep
// schedules as it does ([Engine.ScheduleObjects], the objects of subjects
// without a row included), and the instant before which it would prune
// audit events. It deletes nothing. Only the privacy officer plans a
// sweep: anyone else is refused with [privacy.ErrForbidden] and rule O12,
// audited as a denial, and nothing is read.
func (r *Keeper) PlanSweep(ctx context.Context, by privacy.Principal, now time.Time) (SweepPlan, error) {
	const op = "retention: plan sweep"
	plan := SweepPlan{Policy: r.rules.version}
	if err := checkPrincipal(op, by); err != nil {
		return plan, err
	}
	if err := checkNow(op, now); err != nil {
		return plan, err
	}
	// Rule O12: what is due is the sweep's question.
	if err := r.gate(ctx, op, by, now, privacy.EventSearch, privacy.O12, "", "sweep-plan", "plans a sweep"); err != nil {
		return plan, err
	}
	now = privacy.Timestamp(now)
	os, sweepObjects := AsObjectStore(r.store)
	var buf []Schedule
	var objSched []ObjectSchedule
	var objects objectReader
	if sweepObjects {
		objects = newObjectReader(os)
	}
	err := r.candidates(ctx, now, func(page []Dossier) error {
		var loaded map[privacy.SubjectID][]Object
		if sweepObjects {
			// Rules R9, O12: one read of the page's objects when the
			// store reads pages (ObjectPageStore), as a sweep's.
			var err error
			if loaded, err = objects.load(ctx, subjectsOf(page)); err != nil {
				return err
			}
		}
		for i := range page {
			d := &page[i]
			buf = r.rules.Schedule(buf[:0], d, now)
			for _, s := range buf {
				if s.IsDue() {
					plan.Records = append(plan.Records, s)
				}
			}
			if !sweepObjects {
				continue
			}
			objs, err := objects.of(ctx, loaded, d.Subject.ID)
			if err != nil {
				return err
			}
			objSched = r.rules.ScheduleObjects(objSched[:0], d, objs, buf, now)
			for _, s := range objSched {
				if s.IsDue() {
					plan.Objects = append(plan.Objects, s)
				}
			}
		}
		return nil
	})
	if err != nil {
		return plan, err
	}
	if sweepObjects {
		// Rules R9, O12: the objects of subjects without a row, as the
		// sweep finds them.
		if plan.Objects, err = r.orphanObjects(ctx, os, now, plan.Objects, map[privacy.DataKind]*KindTally{}); err != nil {
			return plan, err
		}
	} else {
		for _, k := range privacy.DataKinds() {
			if k != privacy.DataAudit && k != privacy.DataGroups {
				plan.Unswept = append(plan.Unswept, k)
			}
		}
	}
	// Rule N9: audit events past their period, when the store prunes.
	if _, ok := r.store.(AuditPruner); ok {
		plan.AuditBefore = r.rules.AuditBefore(now)
	} else {
		plan.Unswept = append(plan.Unswept, privacy.DataAudit)
	}
	return plan, nil
}
