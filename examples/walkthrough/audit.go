package main

import (
	"context"
	"errors"

	"github.com/dossierwacht/dossierwacht/access"
	"github.com/dossierwacht/dossierwacht/privacy"
)

// verifyAudit verifies the audit trail, then shows that a changed event is
// caught, and where.
func (w *world) verifyAudit(ctx context.Context) error {
	w.p.section("The audit trail: verified, then tampered with and caught (rules G7, N9)")
	head, err := w.guard.Verify(ctx, access.Checkpoint{})
	if err != nil {
		return err
	}
	w.p.printf("%d events, hash-chained; chain verified up to event %d\n", head.Seq, head.Seq)
	n := 0
	for e, err := range w.guard.SubjectEvents(ctx, "employee-anna", 1) {
		if err != nil {
			return err
		}
		if n < 3 || e.Outcome == privacy.OutcomeDenied && e.Role == privacy.RoleEmployerContact && e.Category == privacy.CategoryAbsenceReason {
			w.p.printf("  event %d: %s %s (%s) %s %s of %s: %s by rule %s\n", e.Seq, e.Time.Format("2006-01-02 15:04"),
				e.Principal, e.Role, e.Action, e.Category, e.Case, e.Outcome, e.Rule)
		}
		n++
	}
	w.p.printf("Anna's data was touched in %d events: she may ask who (rule N9)\n", n)

	// The store's triggers refuse any change to the trail, so play someone
	// who got past them: read the trail, edit one event (a refusal becomes
	// an allowed read), and verify the edited copy.
	var events []privacy.Event
	for e, err := range w.audit.Events(ctx, 1) {
		if err != nil {
			return err
		}
		events = append(events, e)
	}
	victim := len(events) / 2
	events[victim].Outcome = privacy.OutcomeAllowed
	_, err = access.Verify(func(yield func(privacy.Event, error) bool) {
		for _, e := range events {
			if !yield(e, nil) {
				return
			}
		}
	}, access.Checkpoint{}, head)
	var ce *access.ChainError
	if !errors.As(err, &ce) {
		return errors.Join(errors.New("walkthrough: tampering was not caught"), err)
	}
	w.p.printf("event %d edited behind the store's back: caught: %v (rule %s)\n", events[victim].Seq, ce, privacy.RuleOf(err))
	return nil
}
