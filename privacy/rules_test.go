package privacy_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/dossierwacht/dossierwacht/memstore"
	"github.com/dossierwacht/dossierwacht/privacy"
)

var (
	t0       = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	now      = t0.Add(24 * time.Hour)
	staff    = privacy.Principal{ID: "p-1", Role: privacy.RoleCaseManager, Party: "service-1", Secrecy: privacy.SecrecyAgreement}
	contract = privacy.Contract{ID: "contract-1", Party: "employer-1", PartyKind: privacy.PartyEmployer,
		Start: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC), End: time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)}
)

// act is the case manager acting at at.
func act(at time.Time) privacy.Act { return privacy.Act{By: staff, At: at} }

// fixture returns a case file under the strict policy with subject s-1 and
// an open absence case c-1.
func fixture(t *testing.T) (*privacy.Dossiers, context.Context) {
	t.Helper()
	ctx := context.Background()
	d, err := privacy.NewDossiers(memstore.New(), privacy.Strict())
	if err != nil {
		t.Fatal(err)
	}
	s, err := privacy.NewSubject("s-1", "employer-1", t0)
	if err != nil {
		t.Fatal(err)
	}
	if err := d.CreateSubject(ctx, act(t0), s); err != nil {
		t.Fatal(err)
	}
	c, err := privacy.NewCase("c-1", "s-1", privacy.CaseAbsence, privacy.PurposeAbsenceGuidance, contract, t0)
	if err != nil {
		t.Fatal(err)
	}
	if err := d.OpenCase(ctx, act(t0), c); err != nil {
		t.Fatal(err)
	}
	return d, ctx
}

func rec(id privacy.RecordID, cat privacy.Category, fields map[privacy.Field]string) privacy.Record {
	return privacy.Record{ID: id, Case: "c-1", Category: cat, Author: "p-1",
		Source: privacy.Source{Kind: privacy.PartyService}, Created: t0.Add(time.Hour), Fields: fields}
}

// checkErr fails unless err matches kind and names rule ("" for any).
func checkErr(t *testing.T, what string, err, kind error, rule privacy.RuleID) {
	t.Helper()
	if kind == nil {
		if err != nil {
			t.Errorf("%s = %v, want success", what, err)
		}
		return
	}
	if !errors.Is(err, kind) || (rule != "" && privacy.RuleOf(err) != rule) {
		t.Errorf("%s = %v, want %v citing rule %q", what, err, kind, rule)
	}
}

func TestRuleR2(t *testing.T) {
	// Rule R2: the data a commissioning party supplies has categories, and
	// each record keeps its source.
	for _, tc := range []struct {
		field privacy.Field
		cat   privacy.Category
	}{
		{privacy.FieldName, privacy.CategoryIdentity}, {privacy.FieldAddress, privacy.CategoryIdentity},
		{privacy.FieldCity, privacy.CategoryIdentity}, {privacy.FieldGender, privacy.CategoryIdentity},
		{privacy.FieldDateOfBirth, privacy.CategoryIdentity}, {privacy.FieldNationality, privacy.CategoryIdentity},
		{privacy.FieldBSN, privacy.CategoryNationalID}, {privacy.FieldPhone, privacy.CategoryContact},
		{privacy.FieldText, privacy.CategoryBenefits}, {privacy.FieldText, privacy.CategoryEducation},
	} {
		if !tc.cat.HasField(tc.field) {
			t.Errorf("R2: %s.HasField(%s) = false, want true", tc.cat, tc.field)
		}
	}
	d, ctx := fixture(t)
	r := rec("r-1", privacy.CategoryIdentity, map[privacy.Field]string{privacy.FieldName: "x"})
	r.Source = privacy.Source{}
	checkErr(t, "R2: AddRecord(no source)", d.AddRecord(ctx, act(now), r), privacy.ErrInvalid, privacy.R2)
	r.Source = privacy.Source{Kind: privacy.PartyMunicipality, Party: "municipality-utrecht"}
	checkErr(t, "R2: AddRecord(municipality source)", d.AddRecord(ctx, act(now), r), nil, "")
	got, err := d.Record(ctx, "r-1")
	if err != nil || got.Source != r.Source {
		t.Errorf("R2: Source = %+v, %v; want %+v", got.Source, err, r.Source)
	}
}

func TestRuleR3(t *testing.T) {
	// Rule R3: the client's own statements and work-capacity limitations
	// are categories of their own, kept apart from medical detail: work
	// capacity has structured fields and no free text for a diagnosis.
	wc, _ := privacy.CategoryWorkCapacity.Info()
	if wc.Rule != privacy.R3 || wc.Health || slices.Contains(wc.Fields, privacy.FieldText) {
		t.Errorf("R3: work capacity = %+v; want rule R3, not health data, no free text", wc)
	}
	st, _ := privacy.CategoryStatements.Info()
	if st.Rule != privacy.R3 || !st.Health {
		t.Errorf("R3: statements = %+v; want rule R3 and health data", st)
	}
	d, ctx := fixture(t)
	checkErr(t, "R3: AddRecord(work capacity with a diagnosis text)",
		d.AddRecord(ctx, act(now), rec("r-1", privacy.CategoryWorkCapacity, map[privacy.Field]string{privacy.FieldText: "hernia"})), privacy.ErrInvalid, "")
	checkErr(t, "R3: AddRecord(work capacity limitations)",
		d.AddRecord(ctx, act(now), rec("r-2", privacy.CategoryWorkCapacity, map[privacy.Field]string{privacy.FieldLimitations: "no lifting over 10 kg"})), nil, "")
}

func TestRuleR5(t *testing.T) {
	d, ctx := fixture(t)
	for _, tc := range []struct {
		name    string
		kind    privacy.CaseKind
		purpose privacy.Purpose
		want    error
	}{
		{"R5_absence_for_absence_guidance", privacy.CaseAbsence, privacy.PurposeAbsenceGuidance, nil},
		{"R5_reintegration_for_reintegration", privacy.CaseReintegration, privacy.PurposeReintegration, nil},
		{"R5_consultation_for_prevention", privacy.CaseConsultation, privacy.PurposePrevention, nil},
		{"R5_consultation_for_reintegration_refused", privacy.CaseConsultation, privacy.PurposeReintegration, privacy.ErrForbidden},
		{"R5_unknown_purpose_refused", privacy.CaseAbsence, "marketing", privacy.ErrForbidden},
		{"R5_no_purpose_refused", privacy.CaseAbsence, "", privacy.ErrInvalid},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := privacy.Case{ID: privacy.CaseID("c-" + tc.name[:8] + string(tc.kind)), Subject: "s-1", Kind: tc.kind,
				Purpose: tc.purpose, Contract: contract, Opened: t0}
			checkErr(t, "OpenCase", d.OpenCase(ctx, act(t0), c), tc.want, privacy.R5)
		})
	}
	t.Run("R5_record_for_another_purpose_refused", func(t *testing.T) {
		r := rec("r-1", privacy.CategoryNotes, map[privacy.Field]string{privacy.FieldText: "x"})
		r.Purpose = privacy.PurposeReintegration
		checkErr(t, "AddRecord", d.AddRecord(ctx, act(now), r), privacy.ErrForbidden, privacy.R5)
	})
	t.Run("R5_record_takes_the_case_purpose", func(t *testing.T) {
		checkErr(t, "AddRecord", d.AddRecord(ctx, act(now), rec("r-2", privacy.CategoryNotes, map[privacy.Field]string{privacy.FieldText: "x"})), nil, "")
		got, _ := d.Record(ctx, "r-2")
		if got.Purpose != privacy.PurposeAbsenceGuidance {
			t.Errorf("Purpose = %q, want the case's", got.Purpose)
		}
	})
}

func TestRuleO2(t *testing.T) {
	d, ctx := fixture(t)
	for _, tc := range []struct {
		name   string
		mutate func(*privacy.Case)
		kind   error
	}{
		{"O2_opened_before_contract", func(c *privacy.Case) { c.Opened = contract.Start.Add(-time.Hour) }, privacy.ErrForbidden},
		{"O2_opened_after_contract", func(c *privacy.Case) { c.Opened = contract.End }, privacy.ErrForbidden},
		{"O2_no_contract", func(c *privacy.Case) { c.Contract = privacy.Contract{} }, privacy.ErrInvalid},
		{"O2_insurer_cannot_commission", func(c *privacy.Case) { c.Contract.PartyKind = privacy.PartyInsurer }, privacy.ErrInvalid},
		{"O2_empty_term", func(c *privacy.Case) { c.Contract.End = c.Contract.Start }, privacy.ErrInvalid},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := privacy.Case{ID: "c-2", Subject: "s-1", Kind: privacy.CaseAbsence, Purpose: privacy.PurposeAbsenceGuidance,
				Contract: contract, Opened: t0}
			tc.mutate(&c)
			checkErr(t, "OpenCase", d.OpenCase(ctx, act(t0), c), tc.kind, privacy.O2)
			if _, err := d.Case(ctx, "c-2"); !errors.Is(err, privacy.ErrNotFound) {
				t.Errorf("a refused case was stored: %v", err)
			}
		})
	}
	t.Run("O2_record_after_contract_ends", func(t *testing.T) {
		r := rec("r-1", privacy.CategoryNotes, map[privacy.Field]string{privacy.FieldText: "x"})
		r.Created = contract.End.Add(time.Hour)
		checkErr(t, "AddRecord", d.AddRecord(ctx, act(r.Created), r), privacy.ErrForbidden, privacy.O2)
	})
	t.Run("O2_contract_covers", func(t *testing.T) {
		for _, tc := range []struct {
			at   time.Time
			want bool
		}{{contract.Start, true}, {contract.End.Add(-time.Nanosecond), true}, {contract.End, false}, {contract.Start.Add(-time.Nanosecond), false}} {
			if got := contract.Covers(tc.at); got != tc.want {
				t.Errorf("Covers(%v) = %v, want %v", tc.at, got, tc.want)
			}
		}
	})
}

func TestRuleO5(t *testing.T) {
	d, ctx := fixture(t)
	specials := privacy.SpecialCategories()
	for _, want := range []privacy.Category{privacy.CategoryReligion, privacy.CategoryBelief, privacy.CategoryRaceEthnicity,
		privacy.CategoryPoliticalOpinion, privacy.CategorySexualOrientation, privacy.CategoryTradeUnion,
		privacy.CategoryGenetic, privacy.CategoryBiometric, privacy.CategoryCriminal} {
		if !slices.Contains(specials, want) {
			t.Errorf("O5: SpecialCategories lacks %s", want)
		}
		if slices.Contains(privacy.Categories(), want) {
			t.Errorf("O5: Categories includes the special category %s", want)
		}
	}
	for _, cat := range specials {
		t.Run("O5_"+string(cat), func(t *testing.T) {
			r := rec(privacy.RecordID("r-"+string(cat)), cat, map[privacy.Field]string{privacy.FieldText: "secret"})
			err := d.AddRecord(ctx, act(now), r)
			checkErr(t, "AddRecord", err, privacy.ErrProhibitedCategory, privacy.O5)
			if err != nil && strings.Contains(err.Error(), "secret") {
				t.Errorf("the error carries the record's content: %v", err)
			}
			if _, err := d.Record(ctx, r.ID); !errors.Is(err, privacy.ErrNotFound) {
				t.Errorf("the refused record was stored: %v", err)
			}
		})
	}
	t.Run("O5_policy_cannot_name_a_special_category", func(t *testing.T) {
		p := privacy.Strict()
		p.Access[0].Categories = append(p.Access[0].Categories, privacy.CategoryReligion)
		checkErr(t, "Validate", p.Validate(), privacy.ErrInvalid, privacy.O5)
	})
}

func TestRuleO7(t *testing.T) {
	for _, tc := range []struct {
		name string
		p    privacy.Principal
		kind error
	}{
		{"O7_employee", privacy.Principal{ID: "cm-1", Role: privacy.RoleCaseManager}, nil},
		{"O7_contractor_with_agreement", privacy.Principal{ID: "doc-1", Role: privacy.RolePhysician, Contractor: true, Agreement: "agr-2024-17"}, nil},
		{"O7_contractor_without_agreement", privacy.Principal{ID: "doc-2", Role: privacy.RolePhysician, Contractor: true}, privacy.ErrForbidden},
	} {
		t.Run(tc.name, func(t *testing.T) { checkErr(t, "Validate", tc.p.Validate(), tc.kind, privacy.O7) })
	}
}

func TestRuleO8(t *testing.T) {
	// Rule O8: name, address, postcode, city, date of birth, contact
	// details, job, nature and duration of employment.
	for cat, fields := range map[privacy.Category][]privacy.Field{
		privacy.CategoryIdentity:   {privacy.FieldName, privacy.FieldAddress, privacy.FieldPostcode, privacy.FieldCity, privacy.FieldDateOfBirth},
		privacy.CategoryContact:    {privacy.FieldPhone, privacy.FieldEmail},
		privacy.CategoryEmployment: {privacy.FieldJob, privacy.FieldEmploymentKind, privacy.FieldEmploymentStart, privacy.FieldEmploymentEnd},
	} {
		for _, f := range fields {
			if !cat.HasField(f) {
				t.Errorf("O8: %s lacks field %s", cat, f)
			}
		}
	}
	d, ctx := fixture(t)
	end := t0.Add(30 * 24 * time.Hour)
	checkErr(t, "O8: EndEmployment", d.EndEmployment(ctx, act(end), "s-1", end), nil, "")
	s, _ := d.Subject(ctx, "s-1")
	if !s.EmploymentEnded.Equal(end) {
		t.Errorf("O8: EmploymentEnded = %v, want %v", s.EmploymentEnded, end)
	}
	checkErr(t, "O8: EndEmployment(before registration)", d.EndEmployment(ctx, act(now), "s-1", t0.Add(-time.Hour)), privacy.ErrInvalid, privacy.O8)
}

func TestRuleO9(t *testing.T) {
	reason, _ := privacy.CategoryAbsenceReason.Info()
	if reason.Rule != privacy.O9 || !reason.Health {
		t.Errorf("O9: absence reason = %+v, want rule O9 and health data", reason)
	}
	for _, f := range []privacy.Field{privacy.FieldFirstDay, privacy.FieldIncapacityDegree, privacy.FieldRecoveryDate} {
		if !privacy.CategoryAbsenceFacts.HasField(f) {
			t.Errorf("O9: absence facts lack %s", f)
		}
	}
	for _, tc := range []struct {
		name   string
		mutate func(*privacy.Policy)
	}{
		{"O9_employer_may_not_read_the_reason", func(p *privacy.Policy) {
			p.Access = append(p.Access, privacy.AccessRule{Rule: privacy.O9, Effect: privacy.Allow, Roles: []privacy.Role{privacy.RoleEmployerContact},
				Actions: []privacy.Action{privacy.ActionRead}, Categories: []privacy.Category{privacy.CategoryAbsenceReason}})
		}},
		{"O9_insurer_may_not_read_the_reason", func(p *privacy.Policy) {
			p.Access = append(p.Access, privacy.AccessRule{Rule: privacy.O9, Effect: privacy.Allow, Roles: []privacy.Role{privacy.RoleInsurer},
				Actions: []privacy.Action{privacy.ActionRead}, Categories: []privacy.Category{privacy.CategoryAbsenceReason}})
		}},
		{"O9_reason_never_disclosed_on_consent", func(p *privacy.Policy) {
			p.Disclosures = append(p.Disclosures, privacy.DisclosureRule{Rule: privacy.R6, Recipient: privacy.PartyEmployer,
				Categories: []privacy.Category{privacy.CategoryAbsenceReason}, Basis: privacy.BasisWrittenConsent})
		}},
		{"O9_reason_never_on_a_statute", func(p *privacy.Policy) {
			p.LegalBases[0].Categories = append(p.LegalBases[0].Categories, privacy.CategoryAbsenceReason)
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := privacy.Strict()
			tc.mutate(p)
			checkErr(t, "Validate", p.Validate(), privacy.ErrInvalid, privacy.O9)
		})
	}
}

func TestRuleO16(t *testing.T) {
	v1 := privacy.RegulationO()
	v2 := privacy.RegulationO()
	v2.Version = "2.0.0"
	v2.Effective = time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)
	vs, err := privacy.NewVersions(v2, v1)
	if err != nil {
		t.Fatalf("NewVersions: %v", err)
	}
	for _, tc := range []struct {
		at   time.Time
		want string
		kind error
	}{
		{time.Date(2018, 5, 24, 23, 59, 0, 0, time.UTC), "", privacy.ErrNotFound},
		{time.Date(2018, 5, 25, 0, 0, 0, 0, time.UTC), "1.0.0", nil},
		{time.Date(2026, 12, 31, 23, 59, 0, 0, time.UTC), "1.0.0", nil},
		{time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC), "2.0.0", nil},
		{time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC), "2.0.0", nil},
	} {
		p, err := vs.At(tc.at)
		if tc.kind != nil {
			checkErr(t, "O16: At("+tc.at.String()+")", err, tc.kind, privacy.O16)
			continue
		}
		if err != nil || p.Version != tc.want {
			t.Errorf("O16: At(%v) = %v, %v; want version %s", tc.at, p, err, tc.want)
		}
	}
	dup := privacy.RegulationO()
	_, err = privacy.NewVersions(v1, dup)
	checkErr(t, "O16: NewVersions(same date twice)", err, privacy.ErrInvalid, privacy.O16)
	undated := privacy.RegulationO()
	undated.Effective = time.Time{}
	checkErr(t, "O16: Validate(undated)", undated.Validate(), privacy.ErrInvalid, privacy.O16)
	unversioned := privacy.RegulationO()
	unversioned.Version = ""
	checkErr(t, "O16: Validate(unversioned)", unversioned.Validate(), privacy.ErrInvalid, privacy.O16)
}

func TestRuleN1(t *testing.T) {
	got := privacy.SickReportFields()
	for _, f := range []privacy.Field{privacy.FieldReachableAt, privacy.FieldExpectedDuration, privacy.FieldOngoingWork,
		privacy.FieldSafetyNet, privacy.FieldWorkAccident, privacy.FieldRecourse} {
		if !slices.Contains(got, f) {
			t.Errorf("N1: SickReportFields lacks %s", f)
		}
	}
	for _, f := range []privacy.Field{privacy.FieldIncapacityDegree, privacy.FieldText, privacy.FieldLimitations} {
		if slices.Contains(got, f) {
			t.Errorf("N1: SickReportFields includes %s: the employer may not register it", f)
		}
	}
	for _, tc := range []struct {
		name   string
		fields []privacy.Field
		cats   []privacy.Category
	}{
		{"N1_employer_may_not_write_an_incapacity_percentage", []privacy.Field{privacy.FieldIncapacityDegree}, []privacy.Category{privacy.CategoryAbsenceFacts}},
		{"N1_employer_may_not_write_all_absence_facts", nil, []privacy.Category{privacy.CategoryAbsenceFacts}},
		{"N1_employer_may_not_write_statements", nil, []privacy.Category{privacy.CategoryStatements}},
		{"N1_employer_may_not_write_work_capacity", nil, []privacy.Category{privacy.CategoryWorkCapacity}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := privacy.Strict()
			p.Access = append(p.Access, privacy.AccessRule{Rule: privacy.N1, Effect: privacy.Allow,
				Roles: []privacy.Role{privacy.RoleEmployerContact}, Actions: []privacy.Action{privacy.ActionWrite},
				Categories: tc.cats, Fields: tc.fields, CaseKinds: []privacy.CaseKind{privacy.CaseAbsence},
				Requires: []privacy.Condition{privacy.CondCommissioner}})
			err := p.Validate()
			if !errors.Is(err, privacy.ErrInvalid) || (privacy.RuleOf(err) != privacy.N1 && privacy.RuleOf(err) != privacy.N4) {
				t.Errorf("Validate = %v, want ErrInvalid citing N1 (or N4 for health data)", err)
			}
		})
	}
}

func TestRuleN5(t *testing.T) {
	d, ctx := fixture(t)
	bsn := func(id privacy.RecordID, basis privacy.LegalBasisID) privacy.Record {
		r := rec(id, privacy.CategoryNationalID, map[privacy.Field]string{privacy.FieldBSN: "999990019"})
		r.Basis = basis
		return r
	}
	for _, tc := range []struct {
		name  string
		basis privacy.LegalBasisID
		kind  error
	}{
		{"N5_no_basis_refused", "", privacy.ErrForbidden},
		{"N5_basis_not_covering_the_BSN_refused", "procesgang-4-3", privacy.ErrForbidden},
		{"N5_unknown_basis_refused", "consent", privacy.ErrForbidden},
		{"N5_working_conditions_act_allows", "arbowet-14", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := d.AddRecord(ctx, act(now), bsn(privacy.RecordID("r-"+string(tc.basis)+"x"), tc.basis))
			checkErr(t, "AddRecord", err, tc.kind, privacy.N5)
			if err != nil && strings.Contains(err.Error(), "999990019") {
				t.Errorf("N5: the error carries the BSN: %v", err)
			}
		})
	}
	t.Run("N5_working_conditions_act_only_for_absence_guidance_and_reintegration", func(t *testing.T) {
		// Arbeidsomstandighedenwet art. 14(1)(b) with Regeling procesgang
		// art. 2(1): the BSN goes to the company doctor for the guidance
		// of a sick employee and the reintegration, not for prevention.
		c, err := privacy.NewCase("c-prev", "s-1", privacy.CasePreventive, privacy.PurposePrevention, contract, t0)
		if err != nil {
			t.Fatal(err)
		}
		if err := d.OpenCase(ctx, act(t0), c); err != nil {
			t.Fatal(err)
		}
		r := bsn("r-prev-bsn", "arbowet-14")
		r.Case = "c-prev"
		err = d.AddRecord(ctx, act(now), r)
		checkErr(t, "AddRecord(BSN for prevention)", err, privacy.ErrForbidden, privacy.N5)
		if _, gerr := d.Record(ctx, "r-prev-bsn"); !errors.Is(gerr, privacy.ErrNotFound) {
			t.Errorf("the refused BSN record was stored: %v", gerr)
		}
		if l, _ := privacy.Strict().LegalBasis("arbowet-14"); l.Covers(privacy.PurposePrevention) || !l.Covers(privacy.PurposeReintegration) {
			t.Errorf("arbowet-14 covers %v, want absence guidance and reintegration only", l.Purposes)
		}
	})
	t.Run("N5_consent_never_covers_the_BSN", func(t *testing.T) {
		p := privacy.Strict()
		p.Disclosures = append(p.Disclosures, privacy.DisclosureRule{Rule: privacy.O14, Recipient: privacy.PartyThirdParty,
			Categories: []privacy.Category{privacy.CategoryNationalID}, Basis: privacy.BasisWrittenConsent})
		checkErr(t, "Validate", p.Validate(), privacy.ErrInvalid, privacy.N5)
	})
	t.Run("N5_outside_parties_never_read_the_BSN", func(t *testing.T) {
		p := privacy.Strict()
		p.Access = append(p.Access, privacy.AccessRule{Rule: privacy.O4, Effect: privacy.Allow, Roles: []privacy.Role{privacy.RoleEmployerContact},
			Actions: []privacy.Action{privacy.ActionRead}, Categories: []privacy.Category{privacy.CategoryNationalID}})
		checkErr(t, "Validate", p.Validate(), privacy.ErrInvalid, privacy.N5)
	})
}
