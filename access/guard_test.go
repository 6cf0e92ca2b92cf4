package access_test

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"maps"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/dossierwacht/dossierwacht/access"
	"github.com/dossierwacht/dossierwacht/memstore"
	"github.com/dossierwacht/dossierwacht/privacy"
)

func TestNew(t *testing.T) {
	store := memstore.New()
	if _, err := access.New(nil, nil, nil); !errors.Is(err, privacy.ErrInvalid) {
		t.Errorf("New(nil store) = %v, want ErrInvalid", err)
	}
	if _, err := access.New(store, nil, nil); !errors.Is(err, privacy.ErrInvalid) {
		t.Errorf("New(no dossiers, no policy) = %v, want ErrInvalid", err)
	}
	bad := privacy.Strict()
	bad.MinGroupSize = 1
	if _, err := access.New(store, nil, &access.Options{Policy: bad}); !errors.Is(err, privacy.ErrInvalid) || privacy.RuleOf(err) != privacy.N12 {
		t.Errorf("New(bad policy) = %v, want ErrInvalid by N12", err)
	}
	g, err := access.New(store, nil, &access.Options{Policy: privacy.RegulationO()})
	if err != nil {
		t.Fatal(err)
	}
	if name, _ := g.Engine().Policy(); name != "regulation-o" {
		t.Errorf("the guard decides under %s", name)
	}
	if _, err := g.View(context.Background(), access.ViewRequest{Principal: caseManager, Case: "c-abs", Time: now}); !errors.Is(err, privacy.ErrInvalid) {
		t.Errorf("View without dossiers = %v, want ErrInvalid", err)
	}
}

// guardWorld is a Guard on a memory store holding the fixture's absence
// and consultation cases with a record of every category each.
func guardWorld(t *testing.T) (*access.Guard, *memstore.Store) {
	t.Helper()
	ctx := context.Background()
	store := memstore.New()
	d, err := privacy.NewDossiers(store, privacy.Strict())
	if err != nil {
		t.Fatal(err)
	}
	s, _ := privacy.NewSubject("s-1", "employer-1", absenceCase.Opened.AddDate(-1, 0, 0))
	if err := d.CreateSubject(ctx, writer(s.Created), s); err != nil {
		t.Fatal(err)
	}
	for _, c := range []*privacy.Case{absenceCase, consultCase} {
		if err := d.OpenCase(ctx, writer(c.Opened), *c); err != nil {
			t.Fatal(err)
		}
		records, medical := caseRecords(c)
		for _, r := range records {
			if r.Category == privacy.CategoryNationalID {
				// Rule N5: the BSN only on arbowet-14, and only for the
				// purposes it names: not in a consultation-hour case.
				if l, _ := privacy.Strict().LegalBasis("arbowet-14"); !l.Covers(c.Purpose) {
					continue
				}
				r.Basis = "arbowet-14"
			}
			if err := d.AddRecord(ctx, writer(c.Opened), r); err != nil {
				t.Fatalf("AddRecord(%s): %v", r.Category, err)
			}
		}
		if err := d.AddRecords(ctx, doctorAct(c.Opened), medical...); err != nil {
			t.Fatal(err)
		}
	}
	g, err := access.New(store, d, nil)
	if err != nil {
		t.Fatal(err)
	}
	return g, store
}

func allEvents(t *testing.T, s *memstore.Store) []privacy.Event {
	t.Helper()
	var out []privacy.Event
	for e, err := range s.Events(context.Background(), 1) {
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, e)
	}
	return out
}

func TestGuardView(t *testing.T) {
	ctx := context.Background()
	t.Run("O6_medical_file_opened_only_for_the_physician", func(t *testing.T) {
		g, store := guardWorld(t)
		setup := len(allEvents(t, store)) // the case file's own events
		v, err := g.View(ctx, access.ViewRequest{Principal: physician, Case: "c-abs", Purpose: absenceCase.Purpose, Time: now})
		if err != nil {
			t.Fatal(err)
		}
		if last := v.Records[len(v.Records)-1]; last.Category != privacy.CategoryMedical {
			t.Errorf("the physician's view ends with %s, want the medical record", last.Category)
		}
		evs := allEvents(t, store)[setup:]
		if len(evs) != 16 {
			t.Errorf("%d events, want one per record (15) and the case file's read of the medical file", len(evs))
		}
		if _, err := g.View(ctx, access.ViewRequest{Principal: caseManager, Case: "c-abs", Purpose: absenceCase.Purpose, Time: now}); err != nil {
			t.Fatal(err)
		}
		evs = allEvents(t, store)[setup+16:]
		last := evs[len(evs)-1]
		if last.Category != privacy.CategoryMedical || last.Object != "" || last.Outcome != privacy.OutcomeDenied || last.Rule != privacy.O6 {
			t.Errorf("the closed medical file is audited as %+v, want a denial by O6", last)
		}
	})
	t.Run("O10_hidden_case_not_found_and_audited", func(t *testing.T) {
		g, store := guardWorld(t)
		setup := len(allEvents(t, store))
		_, err := g.View(ctx, access.ViewRequest{Principal: employer, Case: "c-cons", Purpose: consultCase.Purpose, Time: now})
		if !errors.Is(err, privacy.ErrNotFound) || privacy.RuleOf(err) != "" {
			t.Errorf("View(employer, consultation) = %v, want a bare ErrNotFound", err)
		}
		_, missing := g.View(ctx, access.ViewRequest{Principal: employer, Case: "c-nope", Purpose: consultCase.Purpose, Time: now})
		if !errors.Is(missing, privacy.ErrNotFound) {
			t.Errorf("View(missing case) = %v, want ErrNotFound", missing)
		}
		evs := allEvents(t, store)[setup:]
		if len(evs) != 2 || evs[0].Outcome != privacy.OutcomeDenied || evs[0].Rule != privacy.O10 || evs[0].Case != "c-cons" ||
			evs[1].Outcome != privacy.OutcomeDenied || evs[1].Case != "c-nope" {
			t.Errorf("events %+v, want a denial by O10 and one of the missing case", evs)
		}
	})
	t.Run("O10_with_consent_the_employer_sees_the_fact_only", func(t *testing.T) {
		g, _ := guardWorld(t)
		v, err := g.View(ctx, access.ViewRequest{Principal: employer, Case: "c-cons", Purpose: consultCase.Purpose, Time: now, Consent: access.ConsentIf(true)})
		if err != nil {
			t.Fatal(err)
		}
		if len(v.Records) != 1 || v.Records[0].Category != privacy.CategoryConsultation || v.Rule != privacy.O10 {
			t.Errorf("view %v by %s, want the consultation fact by O10", visible(v), v.Rule)
		}
	})
	t.Run("malformed_requests", func(t *testing.T) {
		g, store := guardWorld(t)
		setup := len(allEvents(t, store))
		for _, r := range []access.ViewRequest{
			{Principal: employer, Case: "c abs", Purpose: absenceCase.Purpose, Time: now},
			{Principal: employer, Case: "c-abs", Purpose: absenceCase.Purpose},
			{Principal: nil, Case: "c-abs", Purpose: absenceCase.Purpose, Time: now},
			{Principal: employer, Case: "c-abs", Purpose: "a b", Time: now},
		} {
			if _, err := g.View(ctx, r); !errors.Is(err, privacy.ErrInvalid) {
				t.Errorf("View(%+v) = %v, want ErrInvalid", r, err)
			}
		}
		if n := len(allEvents(t, store)) - setup; n != 0 {
			t.Errorf("malformed requests wrote %d events", n)
		}
	})
	t.Run("R5_no_purpose_answered_as_a_hidden_case", func(t *testing.T) {
		g, store := guardWorld(t)
		setup := len(allEvents(t, store))
		_, err := g.View(ctx, access.ViewRequest{Principal: employer, Case: "c-abs", Time: now})
		_, missing := g.View(ctx, access.ViewRequest{Principal: employer, Case: "c-nope", Time: now})
		if !errors.Is(err, privacy.ErrNotFound) || err.Error() != missing.Error() {
			t.Errorf("View(no purpose) = %v, of a missing case %v; want the same ErrNotFound", err, missing)
		}
		if evs := allEvents(t, store)[setup:]; len(evs) != 2 || evs[0].Rule != privacy.R5 || evs[0].Outcome != privacy.OutcomeDenied {
			t.Errorf("events %+v, want a denial by R5 and one of the missing case", evs)
		}
	})
	t.Run("G7_audit_failure_no_view", func(t *testing.T) {
		g, store := guardWorld(t)
		store.FailAfter(0)
		v, err := g.View(ctx, access.ViewRequest{Principal: caseManager, Case: "c-abs", Purpose: absenceCase.Purpose, Time: now})
		if !errors.Is(err, privacy.ErrUnavailable) || privacy.RuleOf(err) != privacy.G7 || len(v.Records) != 0 {
			t.Errorf("View with a failing audit = %d records, %v; want nothing and ErrUnavailable by G7", len(v.Records), err)
		}
	})
}

// countingStore counts the round trips a Guard makes to its stores.
type countingStore struct {
	*memstore.Store
	calls int
}

func (s *countingStore) Case(ctx context.Context, id privacy.CaseID) (privacy.Case, error) {
	s.calls++
	return s.Store.Case(ctx, id)
}

func (s *countingStore) Subject(ctx context.Context, id privacy.SubjectID) (privacy.Subject, error) {
	s.calls++
	return s.Store.Subject(ctx, id)
}

func (s *countingStore) SubjectCases(ctx context.Context, id privacy.SubjectID) ([]privacy.Case, error) {
	s.calls++
	return s.Store.SubjectCases(ctx, id)
}

func (s *countingStore) CaseRecords(ctx context.Context, id privacy.CaseID) iter.Seq2[privacy.Record, error] {
	s.calls++
	return s.Store.CaseRecords(ctx, id)
}

func (s *countingStore) CaseMedicalRecords(ctx context.Context, id privacy.CaseID) iter.Seq2[privacy.Record, error] {
	s.calls++
	return s.Store.CaseMedicalRecords(ctx, id)
}

func (s *countingStore) AppendEvents(ctx context.Context, events ...privacy.Event) ([]privacy.Event, error) {
	s.calls++
	return s.Store.AppendEvents(ctx, events...)
}

func (s *countingStore) GroupHistory(ctx context.Context, employer privacy.PartyID) (access.GroupHistory, error) {
	s.calls++
	return s.Store.GroupHistory(ctx, employer)
}

func (s *countingStore) AddGroup(ctx context.Context, employer privacy.PartyID, version uint64, members []privacy.SubjectID, events ...privacy.Event) ([]privacy.Event, error) {
	s.calls++
	return s.Store.AddGroup(ctx, employer, version, members, events...)
}

// countingWorld is guardWorld on a countingStore.
func countingWorld(t testing.TB) (*access.Guard, *countingStore) {
	t.Helper()
	ctx := context.Background()
	store := &countingStore{Store: memstore.New()}
	d, err := privacy.NewDossiers(store, privacy.Strict())
	if err != nil {
		t.Fatal(err)
	}
	subjects := []privacy.SubjectID{"s-1", "s-9"}
	for i := range 9 {
		subjects = append(subjects, privacy.SubjectID(fmt.Sprint("s-1", i)))
	}
	for _, sub := range subjects {
		employer := privacy.PartyID("employer-1")
		if sub == "s-9" {
			employer = "employer-2"
		}
		s, _ := privacy.NewSubject(sub, employer, absenceCase.Opened.AddDate(-1, 0, 0))
		if err := d.CreateSubject(ctx, writer(s.Created), s); err != nil {
			t.Fatal(err)
		}
	}
	for _, c := range []*privacy.Case{absenceCase, consultCase} {
		if err := d.OpenCase(ctx, writer(c.Opened), *c); err != nil {
			t.Fatal(err)
		}
		records, _ := caseRecords(c)
		for _, r := range records {
			if r.Category != privacy.CategoryNationalID {
				act := writer(r.Created)
				if r.Category.Medical() || r.Category == privacy.CategoryConsultation {
					act = doctorAct(r.Created)
				}
				if err := d.AddRecord(ctx, act, r); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
	g, err := access.New(store, d, nil)
	if err != nil {
		t.Fatal(err)
	}
	return g, store
}

// TestHiddenAndMissingAlike checks that a case the principal may not know
// of and a case that does not exist cannot be told apart (rule O10: the
// employer does not even learn that a consultation-hour case exists): the
// same error, kind and text; the same number of audit events (N9: the
// failed access is logged either way); the same number of round trips to
// the stores, so that neither answers measurably faster.
func TestHiddenAndMissingAlike(t *testing.T) {
	ctx := context.Background()
	unassigned := caseManagerUnassigned
	for _, tc := range []struct {
		name string
		p    *access.Principal
		c    *privacy.Case
	}{
		{"O10_employer_and_a_consultation", employer, consultCase},
		{"O2_another_employer", employerOther, absenceCase},
		{"R7_unassigned_case_manager", unassigned, absenceCase},
		{"O13_another_subject", otherSubject, absenceCase},
		{"O11_insurer_not_covering", insurerOther, absenceCase},
		{"R12_administrator", administrator, absenceCase},
	} {
		t.Run(tc.name, func(t *testing.T) {
			g, store := countingWorld(t)
			view := func(id privacy.CaseID) (events, calls int, err error) {
				before, callsBefore := len(allEvents(t, store.Store)), store.calls
				_, err = g.View(ctx, access.ViewRequest{Principal: tc.p, Case: id, Purpose: tc.c.Purpose, Time: now})
				return len(allEvents(t, store.Store)) - before, store.calls - callsBefore, err
			}
			hiddenEvents, hiddenCalls, hidden := view(tc.c.ID)
			missingEvents, missingCalls, missing := view("c-missing")
			if hidden == nil || missing == nil || hidden.Error() != missing.Error() ||
				!errors.Is(hidden, privacy.ErrNotFound) || !errors.Is(missing, privacy.ErrNotFound) ||
				reflect.TypeOf(hidden) != reflect.TypeOf(missing) || privacy.RuleOf(hidden) != privacy.RuleOf(missing) {
				t.Errorf("hidden: %v; missing: %v; want the same ErrNotFound", hidden, missing)
			}
			if hiddenEvents != 1 || missingEvents != hiddenEvents {
				t.Errorf("hidden case: %d audit events, missing case: %d; want one each", hiddenEvents, missingEvents)
			}
			if hiddenCalls != missingCalls {
				t.Errorf("hidden case: %d store round trips, missing case: %d; want the same", hiddenCalls, missingCalls)
			}
		})
	}
	t.Run("N12_member_of_another_employer_and_no_member", func(t *testing.T) {
		g, store := countingWorld(t)
		ask := func(m privacy.SubjectID) (events, calls int, err error) {
			members := []privacy.SubjectID{m}
			for i := range 9 {
				members = append(members, privacy.SubjectID(fmt.Sprint("s-1", i)))
			}
			before, callsBefore := len(allEvents(t, store.Store)), store.calls
			_, err = g.GroupFigure(ctx, access.GroupRequest{Principal: employer, Employer: "employer-1", Figure: access.FigureAbsenceRate,
				Members: members, From: lastMonth, To: lastMonth.AddDate(0, 1, 0), Time: now})
			return len(allEvents(t, store.Store)) - before, store.calls - callsBefore, err
		}
		otherEvents, otherCalls, other := ask("s-9")
		missingEvents, missingCalls, missing := ask("s-0")
		if other == nil || missing == nil || other.Error() != missing.Error() || !errors.Is(other, privacy.ErrNotFound) ||
			!errors.Is(missing, privacy.ErrNotFound) {
			t.Errorf("another employer's employee: %v; no such subject: %v; want the same ErrNotFound", other, missing)
		}
		if otherEvents != 1 || missingEvents != otherEvents || otherCalls != missingCalls {
			t.Errorf("events %d and %d, round trips %d and %d; want one event each and the same round trips",
				otherEvents, missingEvents, otherCalls, missingCalls)
		}
	})
}

func TestGuardGroupFigure(t *testing.T) {
	ctx := context.Background()
	g, store := guardWorld(t)
	setup := len(allEvents(t, store))
	members := []privacy.SubjectID{"s-1"}
	base := access.GroupRequest{Principal: employer, Employer: "employer-1", Figure: access.FigureAbsenceRate,
		Members: members, From: lastMonth, To: lastMonth.AddDate(0, 1, 0), Time: now}
	for _, tc := range []struct {
		name string
		mod  func(*access.GroupRequest)
		kind error
		rule privacy.RuleID
	}{
		{"N12_unknown_figure", func(r *access.GroupRequest) { r.Figure = "happiness" }, privacy.ErrInvalid, privacy.N12},
		{"N12_empty_period", func(r *access.GroupRequest) { r.To = r.From }, privacy.ErrInvalid, privacy.N12},
		{"N12_malformed_member", func(r *access.GroupRequest) { r.Members = []privacy.SubjectID{"a b"} }, privacy.ErrInvalid, privacy.N12},
		{"default_deny_not_an_employer", func(r *access.GroupRequest) { r.Principal = caseManager }, privacy.ErrForbidden, privacy.RuleDefaultDeny},
		{"O2_another_employer", func(r *access.GroupRequest) { r.Principal = employerOther }, privacy.ErrForbidden, privacy.O2},
		{"O16_before_the_policy", func(r *access.GroupRequest) {
			r.From, r.To, r.Time = time.Date(2016, 12, 1, 0, 0, 0, 0, time.UTC), time.Date(2017, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2017, 1, 2, 0, 0, 0, 0, time.UTC)
		}, privacy.ErrForbidden, privacy.O16},
		{"N12_a_period_of_days_not_a_month", func(r *access.GroupRequest) { r.To = r.From.AddDate(0, 0, 10) }, privacy.ErrInvalid, privacy.N12},
		{"N12_a_month_not_from_its_first_day", func(r *access.GroupRequest) { r.From, r.To = r.From.AddDate(0, 0, 1), r.To.AddDate(0, 0, 1) }, privacy.ErrInvalid, privacy.N12},
		{"N12_two_months", func(r *access.GroupRequest) { r.From = r.From.AddDate(0, -1, 0) }, privacy.ErrInvalid, privacy.N12},
		{"N12_a_month_not_yet_ended", func(r *access.GroupRequest) { r.From, r.To = r.To, r.To.AddDate(0, 1, 0) }, privacy.ErrInvalid, privacy.N12},
		{"N12_group_of_one_suppressed", func(r *access.GroupRequest) {}, privacy.ErrForbidden, privacy.N12},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := base
			tc.mod(&r)
			if _, err := g.GroupFigure(ctx, r); !errors.Is(err, tc.kind) || privacy.RuleOf(err) != tc.rule {
				t.Errorf("GroupFigure = %v, want %v by %q", err, tc.kind, tc.rule)
			}
		})
	}
	for _, e := range allEvents(t, store)[setup:] {
		if e.Outcome != privacy.OutcomeDenied || e.Subject != "" {
			t.Errorf("a refused group figure is audited as %s about %q", e.Outcome, e.Subject)
		}
	}
}

// TestGroupFigureSuppressed checks that a periodic-examination figure
// never tells the employer about each member (all or none took part, rule
// O10) or about fewer members than the minimum (rule N12): it is answered
// suppressed, carries no value, and says so with one rule (O10) and one
// reason whatever it hides — a reason for "none" apart from one for "a
// few" would tell whether anyone of the group took part; an absence rate
// of all or none is answered (the employer knows its sick reports).
func TestGroupFigureSuppressed(t *testing.T) {
	why := map[string]bool{}
	ctx := context.Background()
	from := time.Date(2026, time.February, 1, 0, 0, 0, 0, time.UTC)
	to := from.AddDate(0, 1, 0)
	for _, tc := range []struct {
		name       string
		figure     access.Figure
		members    int
		counted    int // members with a periodic exam (or absence case) in the period
		suppressed bool
		rule       privacy.RuleID
		value      float64
	}{
		{"O10_all_took_part", access.FigurePeriodicExam, 10, 10, true, privacy.O10, 0},
		{"O10_none_took_part", access.FigurePeriodicExam, 10, 0, true, privacy.O10, 0},
		{"O10_all_of_a_large_group_took_part", access.FigurePeriodicExam, 40, 40, true, privacy.O10, 0},
		{"N12_O10_one_took_part", access.FigurePeriodicExam, 10, 1, true, privacy.O10, 0},
		{"N12_O10_few_took_part", access.FigurePeriodicExam, 25, 3, true, privacy.O10, 0},
		{"N12_O10_few_did_not_take_part", access.FigurePeriodicExam, 25, 22, true, privacy.O10, 0},
		{"N12_O10_half_of_ten", access.FigurePeriodicExam, 10, 5, true, privacy.O10, 0},
		{"N12_both_cells_at_the_minimum", access.FigurePeriodicExam, 20, 10, false, privacy.N12, 0.5},
		{"N12_absence_rate_of_none_answered", access.FigureAbsenceRate, 10, 0, false, privacy.N12, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			store := memstore.New()
			d, _ := privacy.NewDossiers(store, privacy.Strict())
			g, _ := access.New(store, d, nil)
			var members []privacy.SubjectID
			for i := range tc.members {
				s, _ := privacy.NewSubject(privacy.SubjectID(fmt.Sprint("m-", i)), "employer-1", from.AddDate(-1, 0, 0))
				if err := d.CreateSubject(ctx, writer(s.Created), s); err != nil {
					t.Fatal(err)
				}
				members = append(members, s.ID)
				if i < tc.counted {
					c, _ := privacy.NewCase(privacy.CaseID(fmt.Sprint("exam-", i)), s.ID, privacy.CasePeriodicExam, privacy.PurposePrevention, contract, from.AddDate(0, 0, 3))
					if err := d.OpenCase(ctx, doctorAct(c.Opened), c); err != nil {
						t.Fatal(err)
					}
				}
			}
			fig, err := g.GroupFigure(ctx, access.GroupRequest{Principal: employer, Employer: "employer-1", Figure: tc.figure,
				Members: members, From: from, To: to, Time: now})
			if err != nil {
				t.Fatalf("GroupFigure = %v", err)
			}
			if fig.Suppressed != tc.suppressed || fig.Rule != tc.rule || fig.Value != tc.value || (fig.Reason == "") != !tc.suppressed {
				t.Errorf("GroupFigure(%d of %d) = %+v, want suppressed %t by %s, value %v", tc.counted, tc.members, fig, tc.suppressed, tc.rule, tc.value)
			}
			if fig.Suppressed {
				if why[fig.Reason] = true; len(why) > 1 {
					t.Errorf("O10, N12: suppressed figures give different reasons, telling what they hide: %q", slices.Sorted(maps.Keys(why)))
				}
			}
			evs := allEvents(t, store)
			last := evs[len(evs)-1]
			if (last.Outcome == privacy.OutcomeDenied) != tc.suppressed || last.Rule != tc.rule {
				t.Errorf("audited as %s by %s, want denied %t by %s", last.Outcome, last.Rule, tc.suppressed, tc.rule)
			}
		})
	}
}

// TestAbsenceRate checks the absence-rate figure against a hand count.
func TestAbsenceRate(t *testing.T) {
	ctx := context.Background()
	store := memstore.New()
	d, _ := privacy.NewDossiers(store, privacy.Strict())
	g, _ := access.New(store, d, nil)
	from := time.Date(2026, time.February, 1, 0, 0, 0, 0, time.UTC)
	to := from.AddDate(0, 1, 0) // 28 days
	var members []privacy.SubjectID
	for i := range 10 {
		s, _ := privacy.NewSubject(privacy.SubjectID(fmt.Sprint("m-", i)), "employer-1", from.AddDate(-1, 0, 0))
		if err := d.CreateSubject(ctx, writer(s.Created), s); err != nil {
			t.Fatal(err)
		}
		members = append(members, s.ID)
	}
	open := func(id privacy.CaseID, s privacy.SubjectID, a, b time.Time) {
		c, _ := privacy.NewCase(id, s, privacy.CaseAbsence, privacy.PurposeAbsenceGuidance, contract, a)
		if err := d.OpenCase(ctx, writer(a), c); err != nil {
			t.Fatal(err)
		}
		if !b.IsZero() {
			if err := d.CloseCase(ctx, writer(b), id); err != nil {
				t.Fatal(err)
			}
		}
	}
	// m-0: 4 days inside; m-1: from before the period to 2 days in, and an
	// overlapping case counted once; m-2: still absent from day 8 (20 days).
	open("a-0", "m-0", from.AddDate(0, 0, 3), from.AddDate(0, 0, 7))
	open("a-1", "m-1", from.AddDate(0, 0, -5), from.AddDate(0, 0, 2))
	open("a-1b", "m-1", from.AddDate(0, 0, 1), from.AddDate(0, 0, 2))
	open("a-2", "m-2", from.AddDate(0, 0, 8), time.Time{})
	fig, err := g.GroupFigure(ctx, access.GroupRequest{Principal: employer, Employer: "employer-1", Figure: access.FigureAbsenceRate,
		Members: members, From: from, To: to, Time: now})
	if err != nil {
		t.Fatal(err)
	}
	if want := 26.0 / 280; fig.Value < want-1e-9 || fig.Value > want+1e-9 {
		t.Errorf("absence rate = %v, want %v (26 days of 10 people over 28 days)", fig.Value, want)
	}
}

// TestCheckForbiddenIsAudited: a well-formed request that is forbidden as
// such is decided, denied and audited, not refused as malformed.
func TestCheckForbiddenIsAudited(t *testing.T) {
	ctx := context.Background()
	store := memstore.New()
	g, err := access.New(store, nil, &access.Options{Policy: privacy.Strict()})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		r    access.Request
		rule privacy.RuleID
	}{
		{"O7_contractor_without_agreement_audited", req(contractorNoAgreement, absenceCase, read, privacy.CategoryNotes, ""), privacy.O7},
		{"O5_special_category_audited", req(caseManager, absenceCase, read, privacy.CategoryReligion, ""), privacy.O5},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d, err := g.Check(ctx, tc.r)
			if err != nil || d.Allowed || d.Rule != tc.rule {
				t.Errorf("Check(%s) = %v, %v; want denied by %s", describe(tc.r), d, err, tc.rule)
			}
			bad := tc.r
			bad.Object = "not an id"
			if _, err := g.Check(ctx, bad); !errors.Is(err, privacy.ErrInvalid) {
				t.Errorf("Check(forbidden and malformed) = %v, want ErrInvalid", err)
			}
		})
	}
	evs := allEvents(t, store)
	if len(evs) != 2 || evs[0].Rule != privacy.O7 || evs[1].Rule != privacy.O5 {
		t.Errorf("events %v, want the two denials", evs)
	}
}

// TestGuardViewAuditsWhatWasShown: a record of a readable category none of
// whose fields the principal may see is audited as withheld.
func TestGuardViewAuditsWhatWasShown(t *testing.T) {
	ctx := context.Background()
	store := memstore.New()
	d, _ := privacy.NewDossiers(store, privacy.Strict())
	s, _ := privacy.NewSubject("s-1", "employer-1", absenceCase.Opened)
	if err := d.CreateSubject(ctx, writer(s.Created), s); err != nil {
		t.Fatal(err)
	}
	if err := d.OpenCase(ctx, writer(absenceCase.Opened), *absenceCase); err != nil {
		t.Fatal(err)
	}
	if err := d.AddRecords(ctx, writer(absenceCase.Opened),
		record("r-name", absenceCase, privacy.CategoryIdentity, map[privacy.Field]string{privacy.FieldName: "A"}),
		record("r-dob", absenceCase, privacy.CategoryIdentity, map[privacy.Field]string{privacy.FieldDateOfBirth: "1990-01-01"}),
	); err != nil {
		t.Fatal(err)
	}
	g, _ := access.New(store, d, nil)
	setup := len(allEvents(t, store))
	v, err := g.View(ctx, access.ViewRequest{Principal: employer, Case: "c-abs", Purpose: absenceCase.Purpose, Time: now})
	if err != nil || len(v.Records) != 1 || v.Records[0].ID != "r-name" {
		t.Fatalf("View = %v, %v; want r-name only", visible(v), err)
	}
	got := map[string]string{}
	for _, e := range allEvents(t, store)[setup:] {
		got[string(e.Category)+"/"+e.Object] = string(e.Outcome) + " " + string(e.Rule)
	}
	want := map[string]string{"identity/r-name": "allowed O9", "identity/r-dob": "denied O9", "medical/": "denied O6"}
	if !maps.Equal(got, want) {
		t.Errorf("events %v, want %v", got, want)
	}
}

// TestNilGuardDenies: a Guard whose New failed (the error not looked at)
// denies every call with ErrInvalid and never panics; so do a nil policy's
// Validate and ViewTo without a view.
func TestNilGuardDenies(t *testing.T) {
	ctx := context.Background()
	g, err := access.New(memstore.New(), nil, nil)
	if err == nil || g != nil {
		t.Fatalf("New without a policy = %v, %v; want an error and no guard", g, err)
	}
	if _, err := g.View(ctx, access.ViewRequest{Case: "c-1"}); !errors.Is(err, privacy.ErrInvalid) {
		t.Errorf("nil Guard.View = %v, want ErrInvalid", err)
	}
	if _, err := g.Check(ctx, access.Request{}); !errors.Is(err, privacy.ErrInvalid) {
		t.Errorf("nil Guard.Check = %v, want ErrInvalid", err)
	}
	if _, err := g.List(ctx, access.ListRequest{}, nil); !errors.Is(err, privacy.ErrInvalid) {
		t.Errorf("nil Guard.List = %v, want ErrInvalid", err)
	}
	if _, err := g.GroupFigure(ctx, access.GroupRequest{}); !errors.Is(err, privacy.ErrInvalid) {
		t.Errorf("nil Guard.GroupFigure = %v, want ErrInvalid", err)
	}
	if _, err := g.Verify(ctx, nil); !errors.Is(err, privacy.ErrInvalid) {
		t.Errorf("nil Guard.Verify = %v, want ErrInvalid", err)
	}
	for _, err := range g.SubjectEvents(ctx, "s-1", 0) {
		if !errors.Is(err, privacy.ErrInvalid) {
			t.Errorf("nil Guard.SubjectEvents = %v, want ErrInvalid", err)
		}
	}
	var p *privacy.Policy
	if err := p.Validate(); !errors.Is(err, privacy.ErrInvalid) {
		t.Errorf("nil Policy.Validate = %v, want ErrInvalid", err)
	}
	e, err := access.NewEngine(privacy.Strict())
	if err != nil {
		t.Fatal(err)
	}
	if err := e.ViewTo(nil, access.Request{}, nil, nil); !errors.Is(err, privacy.ErrInvalid) {
		t.Errorf("ViewTo(nil) = %v, want ErrInvalid", err)
	}
}

// erasingStore erases a subject just before the group is stored: the
// erasure that lands between the guard's look at the members and AddGroup.
type erasingStore struct {
	*countingStore
	victim privacy.SubjectID
}

func (s *erasingStore) AddGroup(ctx context.Context, employer privacy.PartyID, version uint64, members []privacy.SubjectID, events ...privacy.Event) ([]privacy.Event, error) {
	if err := s.DeleteSubject(ctx, s.victim, []privacy.Event{{Time: now, Principal: "officer-1", Role: privacy.RolePrivacyOfficer,
		Action: privacy.EventDelete, Outcome: privacy.OutcomeAllowed, Rule: privacy.O13, Subject: s.victim, Object: string(s.victim)}}); err != nil {
		return nil, err
	}
	return s.countingStore.AddGroup(ctx, employer, version, members, events...)
}

// TestGroupFigureMemberErasedMeanwhileN12 checks that a member erased
// after the guard looked the members up, before the group is stored,
// ends the figure as a stranger among the members does: the store refuses
// the group (an erased subject's ID never enters a history after its
// erasure took it out, rule N12), no figure is given, the refusal is
// audited as a denial, and the history stays as it was.
func TestGroupFigureMemberErasedMeanwhileN12(t *testing.T) {
	ctx := context.Background()
	_, counting := countingWorld(t)
	store := &erasingStore{countingStore: counting, victim: "s-13"}
	d, err := privacy.NewDossiers(store, privacy.Strict())
	if err != nil {
		t.Fatal(err)
	}
	g, err := access.New(store, d, nil)
	if err != nil {
		t.Fatal(err)
	}
	members := []privacy.SubjectID{"s-1"}
	for i := range 9 {
		members = append(members, privacy.SubjectID(fmt.Sprint("s-1", i)))
	}
	before := len(allEvents(t, counting.Store))
	fig, err := g.GroupFigure(ctx, access.GroupRequest{Principal: employer, Employer: "employer-1", Figure: access.FigureAbsenceRate,
		Members: members, From: lastMonth, To: lastMonth.AddDate(0, 1, 0), Time: now})
	if !errors.Is(err, privacy.ErrNotFound) || privacy.RuleOf(err) != privacy.N12 {
		t.Fatalf("GroupFigure = %+v, %v; want ErrNotFound by N12", fig, err)
	}
	if h, err := store.GroupHistory(ctx, "employer-1"); err != nil || h.Version != 0 {
		t.Errorf("GroupHistory = %+v, %v; want none", h, err)
	}
	evs := allEvents(t, counting.Store)[before:]
	var denied int
	for _, e := range evs {
		if e.Action == privacy.EventExecute {
			if e.Outcome != privacy.OutcomeDenied || e.Rule != privacy.N12 {
				t.Errorf("the refused figure is audited as %s by %s", e.Outcome, e.Rule)
			}
			denied++
		}
	}
	if denied != 1 {
		t.Errorf("%d figure events, want 1 denial: %+v", denied, evs)
	}
}
