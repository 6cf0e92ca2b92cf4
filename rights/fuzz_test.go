package rights_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/dossierwacht/dossierwacht/memstore"
	"github.com/dossierwacht/dossierwacht/privacy"
	"github.com/dossierwacht/dossierwacht/privacy/calendar"
	"github.com/dossierwacht/dossierwacht/rights"
)

// typed reports whether err is one of the library's error kinds.
func typed(err error) bool {
	for _, k := range []error{privacy.ErrInvalid, privacy.ErrNotFound, privacy.ErrExists, privacy.ErrForbidden,
		privacy.ErrConflict, privacy.ErrUnavailable} {
		if errors.Is(err, k) {
			return true
		}
	}
	return false
}

func freshDesk(tb testing.TB) (*rights.Desk, *memstore.Store) {
	tb.Helper()
	s := memstore.New()
	d, err := privacy.NewDossiers(s, privacy.Strict())
	if err != nil {
		tb.Fatal(err)
	}
	desk, err := rights.New(s, d, nil)
	if err != nil {
		tb.Fatal(err)
	}
	return desk, s
}

// FuzzFile: any filing is either stored whole and valid, or refused with
// a typed error and nothing stored.
func FuzzFile(f *testing.F) {
	f.Add("req-1", "employee-anna", "access", "written", t0.Unix(), "case-manager-carla", "letter-1", "")
	f.Add("req-2", "employee-anna", "erasure", "oral", t0.Unix(), "case-manager-carla", "", "rec-1,rec-2")
	f.Add("", "x y", "forget", "pigeon", int64(-1<<40), "", "a b", "rec-1,rec-1")
	f.Add("req-3", "s", "rectification", "written", int64(253402300799), "p", "", "r")
	f.Fuzz(func(t *testing.T, id, subject, kind, form string, sec int64, by, doc, recs string) {
		desk, _ := freshDesk(t)
		var records []privacy.RecordID
		if recs != "" {
			for _, r := range strings.Split(recs, ",") {
				records = append(records, privacy.RecordID(r))
			}
		}
		fl := rights.Filing{ID: rights.RequestID(id), Subject: privacy.SubjectID(subject), Kind: rights.Kind(kind),
			Form: rights.Form(form), Received: time.Unix(sec, 0), Document: doc, Records: records}
		r, err := desk.File(context.Background(), as(privacy.PrincipalID(by), time.Unix(sec, 0)), fl)
		if err != nil {
			if !typed(err) {
				t.Fatalf("File: untyped error %v", err)
			}
			if privacy.ValidID(id) {
				if _, err := desk.Request(context.Background(), rights.RequestID(id)); !errors.Is(err, privacy.ErrNotFound) {
					t.Fatalf("a refused filing was stored: %v", err)
				}
			}
			return
		}
		if err := r.Validate(); err != nil {
			t.Fatalf("filed request does not validate: %v", err)
		}
		got, err := desk.Request(context.Background(), r.ID)
		if err != nil || got.Due != r.Due || len(got.History) != 1 {
			t.Fatalf("Request = %+v, %v", got, err)
		}
		if got.Due.Date.Before(calendar.DateIn(r.Received, calendar.Amsterdam())) {
			t.Fatalf("deadline %s before receipt %v", got.Due.Date, r.Received)
		}
	})
}

// FuzzSteps: extending, confirming, answering and refusing with any input
// either lands a valid step or fails with a typed error, changing nothing.
func FuzzSteps(f *testing.F) {
	f.Add("access", "oral", uint8(0), int64(3600), "case-manager-carla", "reason", "unfounded", "doc-1", int64(0))
	f.Add("erasure", "written", uint8(3), int64(-3600), "", "", "legal-claims", "a b", int64(-5))
	f.Add("copy", "written", uint8(2), int64(86400*40), "p", "r", "", "", int64(500))
	f.Fuzz(func(t *testing.T, kind, form string, which uint8, offset int64, by, reason, ground, doc string, fee int64) {
		desk, _ := freshDesk(t)
		ctx := context.Background()
		r, err := desk.File(ctx, as(carla, t0), rights.Filing{ID: "req-1", Subject: anna, Kind: rights.Kind(kind), Form: rights.Form(form), Received: t0})
		if err != nil {
			return
		}
		when := t0.Add(time.Duration(offset) * time.Second)
		var got rights.Request
		switch which % 4 {
		case 0:
			got, err = desk.Extend(ctx, as(privacy.PrincipalID(by), when), r.ID, rights.Extension{Reason: reason})
		case 1:
			got, err = desk.ConfirmWritten(ctx, as(privacy.PrincipalID(by), when), r.ID, rights.Confirmation{Document: doc})
		case 2:
			got, err = desk.Answer(ctx, as(privacy.PrincipalID(by), when), r.ID, rights.Answer{Reason: reason, FeeCents: fee})
		case 3:
			got, err = desk.Refuse(ctx, as(privacy.PrincipalID(by), when), r.ID, rights.Refusal{Ground: rights.Ground(ground), Reason: reason})
		}
		stored, _ := desk.Request(ctx, r.ID)
		if err != nil {
			if !typed(err) {
				t.Fatalf("untyped error %v", err)
			}
			if len(stored.History) != 1 {
				t.Fatalf("a refused step was stored")
			}
			return
		}
		if err := got.Validate(); err != nil || len(stored.History) != 2 {
			t.Fatalf("step landed invalid (%v) or not at all (%d steps)", err, len(stored.History))
		}
	})
}

// FuzzDeadline: any receipt and period gives a working day not before the
// day of receipt, or a typed error; never a panic.
func FuzzDeadline(f *testing.F) {
	f.Add(t0.UnixNano(), 0, 1, 0, 0)
	f.Add(int64(0), 0, 0, 4, 0)
	f.Add(int64(-1<<62), 10000, 10000, 10000, 10000)
	f.Fuzz(func(t *testing.T, nanos int64, y, m, w, d int) {
		rules := privacy.RequestRules{Answer: []privacy.Deadline{{Rule: privacy.G2, Period: privacy.Period{Years: y, Months: m, Weeks: w, Days: d}}}}
		received := time.Unix(0, nanos)
		due, err := rights.Deadline(rules, received, nil)
		if err != nil {
			if !typed(err) {
				t.Fatalf("untyped error %v", err)
			}
			return
		}
		if !calendar.IsWorkingDay(due.Date, calendar.Dutch(nil)) || due.Date.Before(calendar.DateIn(received, calendar.Amsterdam())) {
			t.Fatalf("Deadline(%v, %+v) = %s", received, rules.Answer[0].Period, due.Date)
		}
	})
}

// FuzzPlan: any correction is refused with a typed error or gives a plan
// whose records are still valid (O13).
func FuzzPlan(f *testing.F) {
	f.Add("rec-identity", "city", "Amersfoort")
	f.Add("rec-note", "text", "")
	f.Add("rec-none", "bsn", "1")
	f.Add("rec medical", "", "x")
	f.Fuzz(func(t *testing.T, rec, field, value string) {
		w := newWorld(t, &worldOptions{NoSources: true})
		w.File(t, rights.Filing{ID: "req-fix", Kind: rights.KindRectification})
		p, err := w.Desk.Plan(w.Ctx, deskAct(t0), "req-fix", rights.Corrections{privacy.RecordID(rec): {privacy.Field(field): value}})
		if err != nil {
			if !typed(err) {
				t.Fatalf("untyped error %v", err)
			}
			return
		}
		for _, c := range p.Changes {
			r := privacy.Record{ID: c.Record, Case: c.Case, Subject: anna, Category: c.Category, Author: carla,
				Source: privacy.Source{Kind: privacy.PartyService}, Created: t0, Fields: c.Fields}
			if err := r.Validate(); err != nil {
				t.Fatalf("planned change does not validate: %v", err)
			}
		}
	})
}
