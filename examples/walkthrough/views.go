package main

import (
	"context"
	"fmt"
	"strings"

	"github.com/dossierwacht/dossierwacht/access"
	"github.com/dossierwacht/dossierwacht/privacy"
)

// showViews prints Anna's case as each role sees it: a row per field, a
// column per role, each cell naming the rule that shows or withholds it.
func (w *world) showViews(ctx context.Context) error {
	w.p.section("The same case, as each role sees it")
	who := []*access.Principal{w.bert, w.ida, w.carla, w.dirk, w.sam, w.adam}
	line := fmt.Sprintf("%-34s", "record field")
	for _, p := range who {
		line += fmt.Sprintf(" %-17s", p.Role)
	}
	w.p.printf("%s\n", strings.TrimRight(line, " "))
	// The assigned physician sees every field of this case; the table
	// asks, for each of them, what every role is told.
	full, err := w.guard.View(ctx, access.ViewRequest{Principal: w.dirk, Case: annaCase, Purpose: privacy.PurposeAbsenceGuidance, Time: w.now})
	if err != nil {
		return err
	}
	c := full.Case
	shown := make([]int, len(who))
	for _, r := range full.Records {
		for _, f := range r.Fields {
			line := fmt.Sprintf("%-34s", string(r.ID)+" "+string(f.Field))
			for i, p := range who {
				d, err := w.guard.Check(ctx, access.Request{Principal: p, Case: &c, Action: privacy.ActionRead,
					Category: r.Category, Field: f.Field, Object: string(r.ID), Purpose: c.Purpose, Time: w.now})
				if err != nil {
					return err
				}
				cell := "- (" + string(d.Rule) + ")"
				if d.Allowed {
					cell = "shown (" + string(d.Rule) + ")"
					shown[i]++
				}
				line += fmt.Sprintf(" %-17s", cell)
			}
			w.p.printf("%s\n", strings.TrimRight(line, " "))
		}
	}
	for i, p := range who {
		v, err := w.guard.View(ctx, access.ViewRequest{Principal: p, Case: annaCase, Purpose: privacy.PurposeAbsenceGuidance, Time: w.now})
		w.p.printf("view for %-22s %d records", p.ID, len(v.Records))
		if err != nil {
			w.p.printf(": %v", err)
		}
		w.p.printf(" (%d fields shown)\n", shown[i])
	}
	return nil
}

// listForEmployer shows that the employer does not even learn that Bram
// visited the consultation hour, or that Chris had a periodic examination.
func (w *world) listForEmployer(ctx context.Context) error {
	w.p.section("The employer's list of cases (rule O10)")
	var cases []privacy.Case
	for _, s := range []privacy.SubjectID{"employee-anna", "employee-bram", "employee-chris", "employee-dana", "employee-eva"} {
		cs, err := w.dossiers.SubjectCases(ctx, s)
		if err != nil {
			return err
		}
		cases = append(cases, cs...)
	}
	listed, err := w.guard.List(ctx, access.ListRequest{Principal: w.bert, Time: w.now, Consent: w.consentChecker(ctx)}, cases)
	if err != nil {
		return err
	}
	var ids []string
	for _, c := range listed {
		ids = append(ids, string(c.ID))
	}
	w.p.printf("employer-contact-bert knows of %d of %d cases: %s\n", len(listed), len(cases), strings.Join(ids, ", "))
	w.p.printf("not listed: case-bram-consultation, case-chris-periodic-exam: no consent, not even their existence (rule O10)\n")
	return nil
}
