package privacy_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"strings"
	"time"

	"github.com/dossierwacht/dossierwacht/memstore"
	"github.com/dossierwacht/dossierwacht/privacy"
)

// A service keeps its case file under the strict policy. A sick report
// opens an absence case; a record in a forbidden category is refused and
// nothing is stored.
func ExampleNewDossiers() {
	ctx := context.Background()
	d, err := privacy.NewDossiers(memstore.New(), privacy.Strict())
	if err != nil {
		log.Fatal(err)
	}
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	contract := privacy.Contract{ID: "contract-1", Party: "employer-1", PartyKind: privacy.PartyEmployer,
		Start: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}

	// Who acts, when: every write is audited with it (rules G7, N9).
	manager := privacy.Act{By: privacy.Principal{ID: "case-manager-1", Role: privacy.RoleCaseManager,
		Secrecy: privacy.SecrecyAgreement}, At: now}
	employer := privacy.Act{By: privacy.Principal{ID: "employer-contact-1", Role: privacy.RoleEmployerContact,
		Party: "employer-1"}, At: now}

	s, err := privacy.NewSubject("employee-1", "employer-1", now)
	if err != nil {
		log.Fatal(err)
	}
	if err := d.CreateSubject(ctx, manager, s); err != nil {
		log.Fatal(err)
	}
	c, err := privacy.NewCase("case-1", s.ID, privacy.CaseAbsence, privacy.PurposeAbsenceGuidance, contract, now)
	if err != nil {
		log.Fatal(err)
	}
	if err := d.OpenCase(ctx, manager, c); err != nil {
		log.Fatal(err)
	}
	err = d.AddRecord(ctx, employer, privacy.Record{ID: "rec-1", Case: c.ID, Category: privacy.CategoryAbsenceFacts,
		Author: "employer-contact-1", Source: privacy.Source{Kind: privacy.PartyEmployer, Party: "employer-1"},
		Created: now, Fields: map[privacy.Field]string{privacy.FieldFirstDay: "2026-03-02"}})
	fmt.Println("sick report stored:", err == nil)

	err = d.AddRecord(ctx, manager, privacy.Record{ID: "rec-2", Case: c.ID, Category: privacy.CategoryReligion,
		Author: "case-manager-1", Source: privacy.Source{Kind: privacy.PartyService}, Created: now,
		Fields: map[privacy.Field]string{privacy.FieldText: "…"}})
	fmt.Println("refused:", errors.Is(err, privacy.ErrProhibitedCategory), "rule", privacy.RuleOf(err))
	// Output:
	// sick report stored: true
	// refused: true rule O5
}

// A policy is data: it decodes strictly, and a policy that would cross a
// statutory floor does not load.
func ExampleDecodePolicy() {
	var b strings.Builder
	p := privacy.Strict()
	// Give the employer the absence reason: rule O9 forbids it.
	p.Access = append(p.Access, privacy.AccessRule{Rule: privacy.O4, Effect: privacy.Allow,
		Roles: []privacy.Role{privacy.RoleEmployerContact}, Actions: []privacy.Action{privacy.ActionRead},
		Categories: []privacy.Category{privacy.CategoryAbsenceReason}})
	if err := p.Encode(&b); err == nil {
		_, err = privacy.DecodePolicy(strings.NewReader(b.String()))
		fmt.Println(err)
	}
	// Output:
	// privacy: validate policy: rule O9: access[14].roles[0]: the absence reason is for the service's own staff only
}

// A dated history answers which version of a policy was in force (rule
// O16).
func ExampleVersions_At() {
	v1 := privacy.RegulationO()
	v2 := privacy.RegulationO()
	v2.Version, v2.Effective = "2.0.0", time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)
	vs, err := privacy.NewVersions(v1, v2)
	if err != nil {
		log.Fatal(err)
	}
	for _, at := range []time.Time{time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC), time.Date(2027, 6, 1, 0, 0, 0, 0, time.UTC)} {
		p, err := vs.At(at)
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(at.Format("2006-01-02"), p.Version)
	}
	// Output:
	// 2026-06-01 1.0.0
	// 2027-06-01 2.0.0
}

// Each category knows its Dutch name, the rule that introduces it and
// whether it is health data.
func ExampleCategory_Info() {
	for _, c := range []privacy.Category{privacy.CategoryAbsenceReason, privacy.CategoryWorkCapacity, privacy.CategoryReligion} {
		info, _ := c.Info()
		fmt.Printf("%s: %q, rule %s, health %t, never processed %t\n", c, info.Dutch, info.Rule, info.Health, info.Special)
	}
	// Output:
	// absence-reason: "reden ziekmelding (alleen intern)", rule O9, health true, never processed false
	// work-capacity: "belastbaarheid (beperkingen en mogelijkheden)", rule R3, health false, never processed false
	// religion: "godsdienst", rule O5, health false, never processed true
}

// A duration of calendar time, as ISO 8601.
func ExampleParsePeriod() {
	p, err := privacy.ParsePeriod("P1Y6M")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(p.Years, p.Months, p)
	// Output: 1 6 P1Y6M
}
