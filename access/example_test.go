package access_test

import (
	"context"
	"fmt"
	"log"
	"strings"
	"time"

	"github.com/dossierwacht/dossierwacht/access"
	"github.com/dossierwacht/dossierwacht/memstore"
	"github.com/dossierwacht/dossierwacht/privacy"
)

// bakery opens one absence case with a record of each kind that matters
// here, in a memory store under the strict policy.
func bakery(ctx context.Context) (*memstore.Store, *privacy.Dossiers, time.Time) {
	now := time.Date(2026, time.March, 2, 9, 0, 0, 0, time.UTC)
	store := memstore.New()
	d, err := privacy.NewDossiers(store, privacy.Strict())
	if err != nil {
		log.Fatal(err)
	}
	s, _ := privacy.NewSubject("employee-anna", "employer-bakery", now)
	contract := privacy.Contract{ID: "contract-bakery", Party: "employer-bakery", PartyKind: privacy.PartyEmployer,
		Start: time.Date(2025, time.January, 1, 0, 0, 0, 0, time.UTC)}
	c, _ := privacy.NewCase("case-anna", s.ID, privacy.CaseAbsence, privacy.PurposeAbsenceGuidance, contract, now)
	// Who writes, when: the case file audits every write (rule G7).
	carla := privacy.Act{By: privacy.Principal{ID: "case-manager-carla", Role: privacy.RoleCaseManager,
		Secrecy: privacy.SecrecyAgreement}, At: now.Add(time.Hour), AccessPoint: "10.0.4.7"}
	doctor := privacy.Act{By: privacy.Principal{ID: "physician-dirk", Role: privacy.RolePhysician,
		Secrecy: privacy.SecrecyProfessional, MultiFactor: true}, At: now.Add(time.Hour), AccessPoint: "10.0.4.9"}
	if err := d.CreateSubject(ctx, carla, s); err != nil {
		log.Fatal(err)
	}
	if err := d.OpenCase(ctx, carla, c); err != nil {
		log.Fatal(err)
	}
	at := now
	rec := func(id privacy.RecordID, cat privacy.Category, fields map[privacy.Field]string) privacy.Record {
		at = at.Add(time.Minute)
		return privacy.Record{ID: id, Case: c.ID, Category: cat, Author: "case-manager-carla",
			Source: privacy.Source{Kind: privacy.PartyService}, Created: at, Fields: fields}
	}
	if err := d.AddRecords(ctx, carla,
		rec("rec-identity", privacy.CategoryIdentity, map[privacy.Field]string{privacy.FieldName: "Anna de Vries", privacy.FieldDateOfBirth: "1990-04-01"}),
		rec("rec-absence", privacy.CategoryAbsenceFacts, map[privacy.Field]string{privacy.FieldFirstDay: "2026-03-02",
			privacy.FieldIncapacityDegree: "100%", privacy.FieldWorkAccident: "no"}),
		rec("rec-reason", privacy.CategoryAbsenceReason, map[privacy.Field]string{privacy.FieldText: "back pain after lifting"}),
		rec("rec-capacity", privacy.CategoryWorkCapacity, map[privacy.Field]string{privacy.FieldLimitations: "no lifting",
			privacy.FieldExpectedDuration: "2 weeks"}),
	); err != nil {
		log.Fatal(err)
	}
	if err := d.AddRecord(ctx, doctor, rec("rec-medical", privacy.CategoryMedical, map[privacy.Field]string{privacy.FieldText: "lumbar strain"})); err != nil {
		log.Fatal(err)
	}
	return store, d, now
}

// Three principals look at the same absence case: the employer sees the
// absence facts and the physician's advice (O9, N2), the insurer only the
// overview (O11), the assigned physician everything, medical file included
// (O6). The absence reason never reaches an outside party (O9). Every
// look is audited, records withheld and the closed medical file included,
// and the employee can ask who looked (N9).
func Example() {
	ctx := context.Background()
	store, dossiers, now := bakery(ctx)
	guard, err := access.New(store, dossiers, nil)
	if err != nil {
		log.Fatal(err)
	}
	principals := []*access.Principal{
		access.NewPrincipal(privacy.Principal{ID: "hr-bert", Role: privacy.RoleEmployerContact, Party: "employer-bakery"}, nil, nil),
		access.NewPrincipal(privacy.Principal{ID: "insurer-ida", Role: privacy.RoleInsurer, Party: "insurer-zeker"},
			nil, []privacy.PartyID{"employer-bakery"}),
		access.NewPrincipal(privacy.Principal{ID: "physician-dirk", Role: privacy.RolePhysician, Party: "the-service",
			Secrecy: privacy.SecrecyProfessional, MultiFactor: true}, []privacy.CaseID{"case-anna"}, nil),
	}
	for _, p := range principals {
		v, err := guard.View(ctx, access.ViewRequest{Principal: p, Case: "case-anna", Purpose: privacy.PurposeAbsenceGuidance, Time: now})
		if err != nil {
			log.Fatal(err)
		}
		fmt.Printf("%s (%s):\n", p.ID, p.Role)
		for _, r := range v.Records {
			var fields []string
			for _, f := range r.Fields {
				fields = append(fields, fmt.Sprintf("%s=%s", f.Field, f.Value))
			}
			fmt.Printf("  %-14s %-3s %s\n", r.Category, r.Rule, strings.Join(fields, " "))
		}
	}
	n := map[privacy.Outcome]int{}
	for e, err := range guard.SubjectEvents(ctx, "employee-anna", 0) {
		if err != nil {
			log.Fatal(err)
		}
		if e.Action == privacy.EventRead { // not the case file's writes
			n[e.Outcome]++
		}
	}
	fmt.Printf("audit: %d reads allowed, %d withheld\n", n[privacy.OutcomeAllowed], n[privacy.OutcomeDenied])
	// Output:
	// hr-bert (employer-contact):
	//   identity       O9  name=Anna de Vries
	//   absence-facts  O9  first-day=2026-03-02 incapacity-degree=100% work-accident=no
	//   work-capacity  N2  limitations=no lifting expected-duration=2 weeks
	// insurer-ida (insurer):
	//   identity       O11 name=Anna de Vries
	//   absence-facts  O11 first-day=2026-03-02 incapacity-degree=100%
	// physician-dirk (physician):
	//   identity       O4  name=Anna de Vries date-of-birth=1990-04-01
	//   absence-facts  O4  first-day=2026-03-02 incapacity-degree=100% work-accident=no
	//   absence-reason O4  text=back pain after lifting
	//   work-capacity  O4  limitations=no lifting expected-duration=2 weeks
	//   medical        O6  text=lumbar strain
	// audit: 11 reads allowed, 5 withheld
}

// An employer asks about a consultation-hour visit: without the employee's
// consent the case does not even exist for it (O10).
func ExampleEngine_Decide() {
	e, err := access.NewEngine(privacy.Strict())
	if err != nil {
		log.Fatal(err)
	}
	now := time.Date(2026, time.March, 2, 9, 0, 0, 0, time.UTC)
	contract := privacy.Contract{ID: "contract-bakery", Party: "employer-bakery", PartyKind: privacy.PartyEmployer,
		Start: time.Date(2025, time.January, 1, 0, 0, 0, 0, time.UTC)}
	visit, _ := privacy.NewCase("case-visit", "employee-anna", privacy.CaseConsultation, privacy.PurposePrevention, contract, now)
	hr := access.NewPrincipal(privacy.Principal{ID: "hr-bert", Role: privacy.RoleEmployerContact, Party: "employer-bakery"}, nil, nil)
	r := access.Request{Principal: hr, Case: &visit, Action: privacy.ActionRead, Category: privacy.CategoryConsultation,
		Purpose: privacy.PurposePrevention, Time: now}
	fmt.Println(e.Decide(r))
	r.Consent = access.ConsentIf(true)
	fmt.Println(e.Decide(r).Allowed, e.Decide(r).Rule)
	// An employer never sets the degree of incapacity, consent or not (N1).
	absence, _ := privacy.NewCase("case-absence", "employee-anna", privacy.CaseAbsence, privacy.PurposeAbsenceGuidance, contract, now)
	w := access.Request{Principal: hr, Case: &absence, Action: privacy.ActionWrite, Category: privacy.CategoryAbsenceFacts,
		Field: privacy.FieldIncapacityDegree, Purpose: privacy.PurposeAbsenceGuidance, Time: now, Consent: access.ConsentIf(true)}
	fmt.Println(e.Decide(w))
	// Output:
	// denied by O10: the employer does not learn of a consultation-hour visit or periodic examination without the employee's approval
	// true O10
	// denied by N1: the employer writes only the sick report's facts, master data and notes, consent or not
}

// A case manager who is not assigned to the case is refused, and the
// refusal names the rule behind the missing assignment (R7).
func ExampleGuard_Check() {
	ctx := context.Background()
	store, dossiers, now := bakery(ctx)
	guard, err := access.New(store, dossiers, nil)
	if err != nil {
		log.Fatal(err)
	}
	c, err := dossiers.Case(ctx, "case-anna")
	if err != nil {
		log.Fatal(err)
	}
	carla := access.NewPrincipal(privacy.Principal{ID: "case-manager-carla", Role: privacy.RoleCaseManager, Party: "the-service",
		Secrecy: privacy.SecrecyAgreement}, []privacy.CaseID{"case-anna"}, nil)
	carla.AccessPoint, carla.Client = "10.0.4.7", "hr-suite"
	kees := access.NewPrincipal(privacy.Principal{ID: "case-manager-kees", Role: privacy.RoleCaseManager, Party: "the-service",
		Secrecy: privacy.SecrecyAgreement}, nil, nil)
	for _, p := range []*access.Principal{carla, kees} {
		d, err := guard.Check(ctx, access.Request{Principal: p, Case: &c, Action: privacy.ActionRead,
			Category: privacy.CategoryAbsenceReason, Object: "rec-reason", Purpose: c.Purpose, Time: now})
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(p.ID, d.Allowed, d.Rule)
	}
	for e, err := range guard.SubjectEvents(ctx, "employee-anna", 0) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(e.Seq, e.Principal, e.Role, e.Action, e.Object, e.Outcome, e.Rule, e.AccessPoint)
	}
	// Output:
	// case-manager-carla true N4
	// case-manager-kees false R7
	// 1 case-manager-carla case-manager create employee-anna allowed O8 10.0.4.7
	// 2 case-manager-carla case-manager create case-anna allowed O2 10.0.4.7
	// 3 case-manager-carla case-manager create rec-identity allowed R4 10.0.4.7
	// 4 case-manager-carla case-manager create rec-absence allowed R4 10.0.4.7
	// 5 case-manager-carla case-manager create rec-reason allowed R4 10.0.4.7
	// 6 case-manager-carla case-manager create rec-capacity allowed R4 10.0.4.7
	// 7 physician-dirk physician create rec-medical allowed O6 10.0.4.9
	// 8 case-manager-carla case-manager read rec-reason allowed N4 10.0.4.7
	// 9 case-manager-kees case-manager read rec-reason denied R7
}

// Someone edits the audit trail behind the library's back; Verify says
// which event and how.
func ExampleVerify() {
	ctx := context.Background()
	store, dossiers, now := bakery(ctx)
	guard, err := access.New(store, dossiers, nil)
	if err != nil {
		log.Fatal(err)
	}
	hr := access.NewPrincipal(privacy.Principal{ID: "hr-bert", Role: privacy.RoleEmployerContact, Party: "employer-bakery"}, nil, nil)
	if _, err := guard.View(ctx, access.ViewRequest{Principal: hr, Case: "case-anna", Purpose: privacy.PurposeAbsenceGuidance, Time: now}); err != nil {
		log.Fatal(err)
	}
	// Every subject's events form a chain of their own.
	head, err := guard.Verify(ctx, nil)
	fmt.Println(head["employee-anna"].Seq, err)
	// The refused read of the absence reason, the view's third event after
	// the case file's seven writes, is made to look allowed.
	if err := store.TamperEvent(ctx, "employee-anna", 10, func(e *privacy.Event) { e.Outcome = privacy.OutcomeAllowed }); err != nil {
		log.Fatal(err)
	}
	_, err = guard.Verify(ctx, head)
	fmt.Println(err)
	// Output:
	// 12 <nil>
	// privacy: access: verify audit trail: rule G7: audit trail tampered with: chain employee-anna: event 10 altered
}

// An employer sees the periodic-examination participation of a
// department, but not of a group that differs from it by one person, nor
// of a small group (N12); and of a team that all took part, that they did
// is withheld (O10: it would tell about each of them).
func ExampleGuard_GroupFigure() {
	ctx := context.Background()
	store, dossiers, now := bakery(ctx)
	guard, err := access.New(store, dossiers, nil)
	if err != nil {
		log.Fatal(err)
	}
	contract := privacy.Contract{ID: "contract-bakery", Party: "employer-bakery", PartyKind: privacy.PartyEmployer,
		Start: time.Date(2025, time.January, 1, 0, 0, 0, 0, time.UTC)}
	var staff []privacy.SubjectID
	for i := range 31 {
		s, _ := privacy.NewSubject(privacy.SubjectID(fmt.Sprintf("baker-%02d", i)), "employer-bakery", now.AddDate(-1, 0, 0))
		registrar := privacy.Act{By: privacy.Principal{ID: "case-manager-carla", Role: privacy.RoleCaseManager,
			Secrecy: privacy.SecrecyAgreement}, At: now}
		if err := dossiers.CreateSubject(ctx, registrar, s); err != nil {
			log.Fatal(err)
		}
		staff = append(staff, s.ID)
		if i%2 == 0 && i < 20 || i >= 21 {
			c, _ := privacy.NewCase(privacy.CaseID(fmt.Sprintf("exam-%02d", i)), s.ID, privacy.CasePeriodicExam, privacy.PurposePrevention, contract, now.AddDate(0, 0, -7))
			if err := dossiers.OpenCase(ctx, registrar, c); err != nil {
				log.Fatal(err)
			}
		}
	}
	hr := access.NewPrincipal(privacy.Principal{ID: "hr-bert", Role: privacy.RoleEmployerContact, Party: "employer-bakery"}, nil, nil)
	ask := func(members []privacy.SubjectID) {
		february := time.Date(2026, time.February, 1, 0, 0, 0, 0, time.UTC) // the month before now (N12)
		f, err := guard.GroupFigure(ctx, access.GroupRequest{Principal: hr, Employer: "employer-bakery", Figure: access.FigurePeriodicExam,
			Members: members, From: february, To: february.AddDate(0, 1, 0), Time: now})
		switch {
		case err != nil:
			fmt.Println(err)
		case f.Suppressed:
			fmt.Printf("%d members: suppressed (rule %s): %s\n", f.Members, f.Rule, f.Reason)
		default:
			fmt.Printf("%d members: %.0f%% took part (rule %s)\n", f.Members, 100*f.Value, f.Rule)
		}
	}
	ask(staff[:20])
	ask(staff[:21])
	ask(staff[:5])
	ask(staff[21:31])
	// Output:
	// 20 members: 50% took part (rule N12)
	// privacy: access: group figure: rule N12: with earlier answered groups it would single out fewer than the policy's minimum
	// privacy: access: group figure: rule N12: the group is smaller than the policy's minimum
	// 10 members: suppressed (rule O10): all, none or fewer than the policy's minimum of the group are counted, or left out: the figure would tell about its members
}

// An employer's list of cases leaves out the consultation-hour visit: it
// is not even counted (O10), unless the employee consented.
func ExampleEngine_List() {
	e, err := access.NewEngine(privacy.Strict())
	if err != nil {
		log.Fatal(err)
	}
	now := time.Date(2026, time.March, 2, 9, 0, 0, 0, time.UTC)
	contract := privacy.Contract{ID: "contract-bakery", Party: "employer-bakery", PartyKind: privacy.PartyEmployer,
		Start: time.Date(2025, time.January, 1, 0, 0, 0, 0, time.UTC)}
	absence, _ := privacy.NewCase("case-absence", "employee-anna", privacy.CaseAbsence, privacy.PurposeAbsenceGuidance, contract, now)
	visit, _ := privacy.NewCase("case-visit", "employee-anna", privacy.CaseConsultation, privacy.PurposePrevention, contract, now)
	exam, _ := privacy.NewCase("case-exam", "employee-bram", privacy.CasePeriodicExam, privacy.PurposePrevention, contract, now)
	hr := access.NewPrincipal(privacy.Principal{ID: "hr-bert", Role: privacy.RoleEmployerContact, Party: "employer-bakery"}, nil, nil)
	cases := []privacy.Case{absence, visit, exam}

	list := e.List(access.ListRequest{Principal: hr, Time: now}, cases)
	fmt.Println(len(list), list[0].ID)
	// Bram agreed that the employer may know of his examination.
	consent := access.ConsentFunc(func(c privacy.Case, party privacy.PartyID) bool { return c.Subject == "employee-bram" })
	for _, c := range e.List(access.ListRequest{Principal: hr, Time: now, Consent: consent}, cases) {
		fmt.Println(c.ID, c.Kind)
	}
	// Output:
	// 1 case-absence
	// case-absence absence
	// case-exam periodic-exam
}
