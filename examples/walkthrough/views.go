package main

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/dossierwacht/dossierwacht"
	"github.com/dossierwacht/dossierwacht/access"
	"github.com/dossierwacht/dossierwacht/privacy"
)

// A column of the table of views: an actor and its heading.
type column struct {
	head  string
	actor *dossierwacht.Actor
}

// showViews prints Anna's case as each role sees it: a row per field, a
// column per role, each cell naming the rule that shows or withholds it;
// then each role's own view, which shows exactly the cells marked shown.
func (w *world) showViews(ctx context.Context) error {
	w.section("The same case, as each role sees it")
	cols := []column{{"employer", w.bert}, {"insurer", w.ida}, {"case mgr", w.carla}, {"physician", w.dirk},
		{"support", w.sam}}
	w.p.printf("the columns are:")
	for i, c := range cols {
		sep := ","
		switch {
		case i == len(cols)-1:
			sep = "\n"
		case i == 1:
			sep = ",\n "
		}
		w.p.printf(" %s = %s%s", c.head, c.actor.ID, sep)
	}
	line := fmt.Sprintf("%-33s", "record field")
	for _, c := range cols {
		line += fmt.Sprintf(" %-11s", c.head)
	}
	w.p.printf("%s\n", strings.TrimRight(line, " "))
	// The assigned physician sees every field of this case; the table
	// asks, for each of them, what every role is told.
	full, err := w.svc.View(ctx, w.dirk, annaCase, privacy.PurposeAbsenceGuidance)
	if err != nil {
		return err
	}
	shown := make([]int, len(cols))
	for _, r := range full.Records {
		for _, f := range r.Fields {
			line := fmt.Sprintf("%-33s", string(r.ID)+" "+string(f.Field))
			for i, c := range cols {
				d, err := w.svc.Decide(ctx, c.actor, annaCase, privacy.ActionRead, r.Category, f.Field)
				if err != nil {
					return err
				}
				cell := "- (" + string(d.Rule) + ")"
				if d.Allowed {
					cell = "shown (" + string(d.Rule) + ")"
					shown[i]++
				}
				line += fmt.Sprintf(" %-11s", cell)
			}
			w.p.printf("%s\n", strings.TrimRight(line, " "))
		}
	}
	w.p.printf("shown (rule): in the role's view, by that rule; - (rule): withheld, by that rule\n")
	for i, c := range cols {
		v, err := w.svc.View(ctx, c.actor, annaCase, privacy.PurposeAbsenceGuidance)
		if err != nil {
			return err
		}
		if n := fieldsOf(v); n != shown[i] {
			return fmt.Errorf("the view of %s shows %d fields, the table %d", c.actor.ID, n, shown[i])
		}
		w.p.printf("view for %-21s %s, %s\n", c.actor.ID, plural(len(v.Records), "record"), plural(shown[i], "field"))
	}
	_, err = w.svc.View(ctx, w.adam, annaCase, privacy.PurposeAbsenceGuidance)
	if !errors.Is(err, privacy.ErrNotFound) {
		return fmt.Errorf("the administrator saw the case: %w", err)
	}
	w.p.printf("view for %-21s not found, as if the case did not exist: the administrator manages\n", w.adam.ID)
	w.p.printf("  accounts, never content (rule R12), and learns nothing of a case it may not see (rule O10)\n")
	return nil
}

func fieldsOf(v access.CaseView) int {
	n := 0
	for _, r := range v.Records {
		n += len(r.Fields)
	}
	return n
}

// listForEmployer shows that the employer does not even learn that Bram
// visited the consultation hour, or that Chris had a periodic examination.
func (w *world) listForEmployer(ctx context.Context) error {
	w.section("The employer's list of cases (rule O10)")
	var ids, hidden []string
	for _, c := range cases {
		listed, err := w.svc.Cases(ctx, w.bert, c.subject)
		if err != nil {
			return err
		}
		if len(listed) == 0 {
			hidden = append(hidden, string(c.id))
		}
		for _, l := range listed {
			ids = append(ids, string(l.ID))
		}
	}
	w.p.printf("employer-contact-bert knows of %d of %d cases:\n  %s\n", len(ids), len(cases), strings.Join(ids, ", "))
	w.p.printf("not listed: %s:\n  without the employee's consent the employer does not even learn they exist (rule O10)\n",
		strings.Join(hidden, ", "))
	return nil
}
