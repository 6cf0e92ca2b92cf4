package access_test

import (
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/dossierwacht/dossierwacht/access"
	"github.com/dossierwacht/dossierwacht/privacy"
)

const (
	read  = privacy.ActionRead
	write = privacy.ActionWrite
)

func TestDecide(t *testing.T) {
	strict := engineFor(t, privacy.Strict())
	regO := engineFor(t, privacy.RegulationO())
	regR := engineFor(t, privacy.RegulationR())
	with := func(r access.Request, f func(*access.Request)) access.Request { f(&r); return r }
	consent := func(r *access.Request) { r.Consent = access.ConsentIf(true) }

	tests := []struct {
		name    string
		engine  *access.Engine
		req     access.Request
		allowed bool
		rule    privacy.RuleID
		partial bool
	}{
		// R7 and O4: content needs an assignment, not just a role.
		{"R7_assigned_case_manager_reads_absence_facts", strict, req(caseManager, absenceCase, read, privacy.CategoryAbsenceFacts, ""), true, privacy.R7, false},
		{"R7_assigned_case_manager_writes_notes", strict, req(caseManager, absenceCase, write, privacy.CategoryNotes, privacy.FieldText), true, privacy.R7, false},
		{"R7_unassigned_case_manager_denied", strict, req(caseManagerUnassigned, absenceCase, read, privacy.CategoryAbsenceFacts, ""), false, privacy.R7, false},
		{"R7_unassigned_case_manager_denied_health_content", strict, req(caseManagerUnassigned, absenceCase, read, privacy.CategoryStatements, ""), false, privacy.R7, false},
		{"R7_regulation_R_unassigned_denied", regR, req(caseManagerUnassigned, reintegCase, read, privacy.CategoryEducation, ""), false, privacy.R7, false},
		{"R7_regulation_R_assigned_reads_reintegration", regR, req(caseManager, reintegCase, read, privacy.CategoryEducation, ""), true, privacy.R7, false},
		{"O4_regulation_O_unassigned_case_manager_denied", regO, req(caseManagerUnassigned, absenceCase, read, privacy.CategoryAbsenceFacts, ""), false, privacy.O4, false},
		{"O4_regulation_O_assigned_case_manager_reads", regO, req(caseManager, absenceCase, read, privacy.CategoryAbsenceFacts, ""), true, privacy.O4, false},
		{"O4_physician_reads_whole_case", strict, req(physician, absenceCase, read, privacy.CategoryStatements, ""), true, privacy.O4, false},
		{"O4_unassigned_physician_denied_content", strict, req(physicianUnassigned, absenceCase, read, privacy.CategoryStatements, ""), false, privacy.O4, false},

		// R8: need-to-know staff see identity, contact and appointments.
		{"R8_support_staff_reads_contact", strict, req(supportStaff, absenceCase, read, privacy.CategoryContact, ""), true, privacy.R8, false},
		{"R8_support_staff_reads_appointments", strict, req(supportStaff, absenceCase, read, privacy.CategoryAppointment, privacy.FieldWhen), true, privacy.R8, false},
		{"R8_support_staff_never_case_content", strict, req(supportStaff, absenceCase, read, privacy.CategoryAbsenceFacts, ""), false, privacy.R8, false},
		{"R8_support_staff_never_notes", strict, req(supportStaff, absenceCase, read, privacy.CategoryNotes, ""), false, privacy.R8, false},

		// O6, G8, N6: medical data.
		{"O6_assigned_physician_reads_medical", strict, req(physician, absenceCase, read, privacy.CategoryMedical, ""), true, privacy.O6, false},
		{"O6_assigned_physician_writes_medical", strict, req(physician, absenceCase, write, privacy.CategoryMedical, ""), true, privacy.O6, false},
		{"O6_case_manager_never_medical", strict, req(caseManager, absenceCase, read, privacy.CategoryMedical, ""), false, privacy.O6, false},
		{"O6_employer_never_medical", strict, with(req(employer, absenceCase, read, privacy.CategoryMedical, ""), consent), false, privacy.O6, false},
		{"O6_insurer_never_medical", strict, req(insurer, absenceCase, read, privacy.CategoryMedical, ""), false, privacy.O6, false},
		{"O6_unassigned_physician_never_medical", strict, req(physicianUnassigned, absenceCase, read, privacy.CategoryMedical, ""), false, privacy.O6, false},
		{"O6_subject_medical_through_the_physician", strict, req(subject, absenceCase, read, privacy.CategoryMedical, ""), false, privacy.O6, false},
		{"G8_physician_without_professional_secrecy_never_medical", strict, req(physicianAgreement, absenceCase, read, privacy.CategoryMedical, ""), false, privacy.G8, false},
		{"G8_physician_without_professional_secrecy_no_health_content", strict, req(physicianAgreement, absenceCase, read, privacy.CategoryStatements, ""), false, privacy.G8, false},
		{"N6_physician_without_multi_factor_never_medical", strict, req(physicianNoMFA, absenceCase, read, privacy.CategoryMedical, ""), false, privacy.N6, false},
		{"N6_physician_without_multi_factor_reads_other_content", strict, req(physicianNoMFA, absenceCase, read, privacy.CategoryAbsenceFacts, ""), true, privacy.O4, false},

		// O9: the absence reason is internal.
		{"O9_employer_never_absence_reason", strict, with(req(employer, absenceCase, read, privacy.CategoryAbsenceReason, ""), consent), false, privacy.O9, false},
		{"O9_insurer_never_absence_reason", strict, req(insurer, absenceCase, read, privacy.CategoryAbsenceReason, ""), false, privacy.O9, false},
		{"O9_staff_reads_absence_reason", strict, req(caseManager, absenceCase, read, privacy.CategoryAbsenceReason, ""), true, privacy.N4, false},
		{"O9_employer_reads_absence_facts", strict, req(employer, absenceCase, read, privacy.CategoryAbsenceFacts, privacy.FieldFirstDay), true, privacy.O9, false},
		{"O9_employer_sees_part_of_identity", strict, req(employer, absenceCase, read, privacy.CategoryIdentity, ""), true, privacy.O9, true},
		{"O9_employer_never_date_of_birth", strict, req(employer, absenceCase, read, privacy.CategoryIdentity, privacy.FieldDateOfBirth), false, privacy.O9, false},

		// O10: consultation-hour and periodic-exam cases.
		{"O10_employer_never_sees_consultation", strict, req(employer, consultCase, read, privacy.CategoryConsultation, ""), false, privacy.O10, false},
		{"O10_employer_never_sees_periodic_exam", strict, req(employer, examCase, read, privacy.CategoryConsultation, ""), false, privacy.O10, false},
		{"O10_employer_never_sees_consultation_identity", strict, req(employer, consultCase, read, privacy.CategoryIdentity, ""), false, privacy.O10, false},
		{"O10_employer_with_consent_learns_of_consultation", strict, with(req(employer, consultCase, read, privacy.CategoryConsultation, ""), consent), true, privacy.O10, false},
		{"O10_employer_with_consent_learns_nothing_more", strict, with(req(employer, consultCase, read, privacy.CategoryIdentity, ""), consent), false, privacy.RuleDefaultDeny, false},
		{"O10_case_manager_sees_consultation", strict, req(caseManager, consultCase, read, privacy.CategoryConsultation, ""), true, privacy.N4, false},

		// O11 and N3: the insurer.
		{"O11_insurer_reads_overview_name", strict, req(insurer, absenceCase, read, privacy.CategoryIdentity, privacy.FieldName), true, privacy.O11, false},
		{"O11_insurer_reads_overview_degree", strict, req(insurer, absenceCase, read, privacy.CategoryAbsenceFacts, privacy.FieldIncapacityDegree), true, privacy.O11, false},
		{"O11_insurer_overview_is_partial", strict, req(insurer, absenceCase, read, privacy.CategoryAbsenceFacts, ""), true, privacy.O11, true},
		{"O11_insurer_never_address", strict, req(insurer, absenceCase, read, privacy.CategoryIdentity, privacy.FieldAddress), false, privacy.O11, false},
		{"O11_insurer_not_covering_denied", strict, req(insurerOther, absenceCase, read, privacy.CategoryAbsenceFacts, privacy.FieldFirstDay), false, privacy.O11, false},
		{"O11_insurer_never_consultation_case", strict, req(insurer, consultCase, read, privacy.CategoryIdentity, privacy.FieldName), false, privacy.RuleDefaultDeny, false},
		{"N3_insurer_never_beyond_maximum", strict, req(insurer, absenceCase, read, privacy.CategoryIdentity, privacy.FieldDateOfBirth), false, privacy.N3, false},
		{"N3_insurer_never_statements", strict, req(insurer, absenceCase, read, privacy.CategoryStatements, ""), false, privacy.N3, false},
		{"N3_insurer_never_writes", strict, req(insurer, absenceCase, write, privacy.CategoryAbsenceFacts, privacy.FieldFirstDay), false, privacy.N3, false},

		// R12: the administrator.
		{"R12_administrator_no_case_content", strict, req(administrator, absenceCase, read, privacy.CategoryIdentity, ""), false, privacy.R12, false},
		{"R8_privacy_officer_no_case_content", strict, req(officer, absenceCase, read, privacy.CategoryIdentity, ""), false, privacy.R8, false},
		{"R8_privacy_officer_never_medical", strict, req(officer, absenceCase, read, privacy.CategoryMedical, ""), false, privacy.R8, false},
		{"R12_administrator_never_medical", strict, req(administrator, absenceCase, read, privacy.CategoryMedical, ""), false, privacy.R12, false},

		// N1: the employer writes only the sick report's facts.
		{"N1_employer_writes_first_day", strict, req(employer, absenceCase, write, privacy.CategoryAbsenceFacts, privacy.FieldFirstDay), true, privacy.N1, false},
		{"N1_employer_writes_work_accident", strict, req(employer, absenceCase, write, privacy.CategoryAbsenceFacts, privacy.FieldWorkAccident), true, privacy.N1, false},
		{"N1_employer_never_writes_incapacity_degree", strict, req(employer, absenceCase, write, privacy.CategoryAbsenceFacts, privacy.FieldIncapacityDegree), false, privacy.N1, false},
		{"N1_consent_does_not_unlock", strict, with(req(employer, absenceCase, write, privacy.CategoryAbsenceFacts, privacy.FieldIncapacityDegree), consent), false, privacy.N1, false},
		{"N1_employer_never_writes_a_whole_absence_record", strict, req(employer, absenceCase, write, privacy.CategoryAbsenceFacts, ""), false, privacy.N1, false},
		{"N1_employer_never_writes_statements", strict, with(req(employer, absenceCase, write, privacy.CategoryStatements, ""), consent), false, privacy.N1, false},
		{"N1_employer_never_writes_work_capacity", strict, req(employer, absenceCase, write, privacy.CategoryWorkCapacity, privacy.FieldLimitations), false, privacy.N1, false},
		{"O8_employer_writes_master_data", strict, req(employer, absenceCase, write, privacy.CategoryContact, ""), true, privacy.O8, false},

		// N4: health data only under secrecy.
		{"N4_case_manager_without_secrecy_no_statements", strict, req(caseManagerNoSecrecy, absenceCase, read, privacy.CategoryStatements, ""), false, privacy.N4, false},
		{"N4_case_manager_without_secrecy_no_absence_reason", strict, req(caseManagerNoSecrecy, absenceCase, read, privacy.CategoryAbsenceReason, ""), false, privacy.N4, false},
		{"N4_case_manager_without_secrecy_reads_plain_content", strict, req(caseManagerNoSecrecy, absenceCase, read, privacy.CategoryAbsenceFacts, ""), true, privacy.R7, false},
		{"N5_employer_never_bsn", strict, req(employer, absenceCase, read, privacy.CategoryNationalID, ""), false, privacy.N5, false},

		// O2: a contract in force, and the commissioning party.
		{"O2_contract_ended", strict, req(caseManager, endedCase, read, privacy.CategoryAbsenceFacts, ""), false, privacy.O2, false},
		{"O2_physician_contract_ended_no_medical", strict, req(physician, endedCase, read, privacy.CategoryMedical, ""), false, privacy.O2, false},
		{"O2_before_the_contract", strict, with(req(caseManager, absenceCase, read, privacy.CategoryAbsenceFacts, ""), func(r *access.Request) { r.Time = contract.Start.Add(-time.Hour) }), false, privacy.O2, false},
		{"O2_employer_of_another_party", strict, req(employerOther, absenceCase, read, privacy.CategoryAbsenceFacts, privacy.FieldFirstDay), false, privacy.O2, false},
		{"O2_employer_acting_for_several_employers", strict, req(access.NewPrincipal(privacy.Principal{ID: "hr-9", Role: privacy.RoleEmployerContact, Party: "hr-firm"}, nil, []privacy.PartyID{"employer-1"}),
			absenceCase, read, privacy.CategoryAbsenceFacts, privacy.FieldFirstDay), true, privacy.O9, false},
		{"O2_case_without_contract", strict, req(caseManager, &privacy.Case{ID: "c-abs", Subject: "s-1", Kind: privacy.CaseAbsence, Purpose: privacy.PurposeAbsenceGuidance}, read, privacy.CategoryNotes, ""), false, privacy.O2, false},
		{"O2_subject_reads_own_after_contract", strict, req(subject, endedCase, read, privacy.CategoryAbsenceFacts, ""), true, privacy.O13, false},

		// R5: the purpose.
		{"R5_other_purpose_denied", strict, with(req(caseManager, absenceCase, read, privacy.CategoryAbsenceFacts, ""), func(r *access.Request) { r.Purpose = privacy.PurposePrevention }), false, privacy.R5, false},
		{"R5_no_purpose_denied", strict, with(req(caseManager, absenceCase, read, privacy.CategoryAbsenceFacts, ""), func(r *access.Request) { r.Purpose = "" }), false, privacy.R5, false},

		// O7: contractors.
		{"O7_contractor_without_agreement_refused", strict, req(contractorNoAgreement, absenceCase, read, privacy.CategoryAbsenceFacts, ""), false, privacy.O7, false},
		{"O7_contractor_with_agreement_allowed", strict, req(contractor, absenceCase, read, privacy.CategoryAbsenceFacts, ""), true, privacy.R7, false},

		// R11 and O13: the subject's own data.
		{"O13_subject_reads_own_data", strict, req(subject, absenceCase, read, privacy.CategoryAbsenceReason, ""), true, privacy.O13, false},
		{"O13_subject_exports_own_data", strict, req(subject, absenceCase, privacy.ActionExport, privacy.CategoryAbsenceFacts, ""), true, privacy.O13, false},
		{"O13_subject_never_others_data", strict, req(otherSubject, absenceCase, read, privacy.CategoryAbsenceFacts, ""), false, privacy.O13, false},
		{"R11_regulation_R_subject_reads_own_data", regR, req(access.NewPrincipal(privacy.Principal{ID: "p-s-3", Role: privacy.RoleSubject, Subject: "s-3"}, nil, nil), reintegCase, read, privacy.CategoryEducation, ""), true, privacy.R11, false},
		{"R11_regulation_R_subject_never_others_data", regR, req(otherSubject, reintegCase, read, privacy.CategoryEducation, ""), false, privacy.R11, false},

		// O5, O16 and default deny.
		{"O5_special_category_never", strict, req(caseManager, absenceCase, read, privacy.CategoryReligion, ""), false, privacy.O5, false},
		{"O16_before_the_policy_is_in_force", strict, with(req(caseManager, absenceCase, read, privacy.CategoryAbsenceFacts, ""), func(r *access.Request) { r.Time = time.Date(2017, 1, 1, 0, 0, 0, 0, time.UTC) }), false, privacy.O16, false},
		{"default_deny_employer_reads_expert_report", strict, req(employer, absenceCase, read, privacy.CategoryExpertReport, ""), false, privacy.RuleDefaultDeny, false},
		{"default_deny_case_manager_erases", strict, req(caseManager, absenceCase, privacy.ActionErase, privacy.CategoryNotes, ""), false, privacy.RuleDefaultDeny, false},
		{"default_deny_nil_principal", strict, req(nil, absenceCase, read, privacy.CategoryIdentity, ""), false, privacy.RuleDefaultDeny, false},
		{"default_deny_zero_request", strict, access.Request{}, false, privacy.RuleDefaultDeny, false},
		{"default_deny_unknown_field", strict, req(caseManager, absenceCase, read, privacy.CategoryIdentity, privacy.FieldBSN), false, privacy.RuleDefaultDeny, false},
		{"default_deny_unknown_action", strict, req(caseManager, absenceCase, "peek", privacy.CategoryIdentity, ""), false, privacy.RuleDefaultDeny, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d := tc.engine.Decide(tc.req)
			if d.Allowed != tc.allowed || d.Rule != tc.rule || d.Partial != tc.partial {
				t.Errorf("Decide(%s) = %v (partial %t), want allowed %t by %s (partial %t)",
					describe(tc.req), d, d.Partial, tc.allowed, tc.rule, tc.partial)
			}
			if d.Reason == "" || d.Policy != "1.0.0" {
				t.Errorf("Decide(%s) = %+v: want a reason and the policy version", describe(tc.req), d)
			}
		})
	}
}

func TestDecisionZeroValueDenies(t *testing.T) {
	var d access.Decision
	if d.Allowed {
		t.Fatal("the zero Decision allows")
	}
	if got := d.String(); got != "denied by default-deny: " {
		t.Errorf("Decision{}.String() = %q", got)
	}
}

func TestNewEngine(t *testing.T) {
	if _, err := access.NewEngine(nil); !errors.Is(err, privacy.ErrInvalid) {
		t.Errorf("NewEngine(nil) = %v, want ErrInvalid", err)
	}
	bad := privacy.Strict()
	bad.Access = append(bad.Access, privacy.AccessRule{Rule: privacy.O4, Effect: privacy.Allow, Roles: []privacy.Role{privacy.RoleEmployerContact},
		Actions: []privacy.Action{read}, Categories: []privacy.Category{privacy.CategoryMedical}, Reason: "x"})
	if _, err := access.NewEngine(bad); !errors.Is(err, privacy.ErrInvalid) || privacy.RuleOf(err) != privacy.O6 {
		t.Errorf("NewEngine(employer reads medical) = %v, want ErrInvalid by O6", err)
	}
	// The engine copies the policy: changing it afterwards changes nothing.
	p := privacy.Strict()
	e := engineFor(t, p)
	p.Access = nil
	if d := e.Decide(req(caseManager, absenceCase, read, privacy.CategoryNotes, "")); !d.Allowed {
		t.Errorf("after changing the policy: %v", d)
	}
	if name, version := e.Policy(); name != "strict" || version != "1.0.0" {
		t.Errorf("Policy() = %s %s", name, version)
	}
}

// TestFloorsHoldWithoutPolicy checks the statutory floors against a policy
// whose checks were bypassed: a Policy value built by hand that validation
// would refuse cannot be compiled, so the engine's own floors are tested
// here with a policy that allows as much as validation lets through.
func TestFloorsHoldWithoutPolicy(t *testing.T) {
	p := privacy.Strict()
	// An insurer rule as wide as N3 allows (regulation O's narrower
	// overview, O11, set aside by dropping O from the policy), and an
	// employer rule that writes every N1-permitted category.
	p.Regulations = []string{"R"}
	p.Access = append(p.Access, privacy.AccessRule{Rule: privacy.N3, Effect: privacy.Allow, Roles: []privacy.Role{privacy.RoleInsurer},
		Actions: []privacy.Action{read}, Categories: []privacy.Category{privacy.CategoryIdentity, privacy.CategoryEmployment, privacy.CategoryAbsenceFacts},
		Fields:    []privacy.Field{privacy.FieldName, privacy.FieldAddress, privacy.FieldWages, privacy.FieldFirstDay},
		CaseKinds: []privacy.CaseKind{privacy.CaseAbsence}, Requires: []privacy.Condition{privacy.CondCovers}, Reason: "wide"})
	e := engineFor(t, p)
	for _, tc := range []struct {
		name    string
		r       access.Request
		allowed bool
		rule    privacy.RuleID
	}{
		{"N3_wider_policy_allows_address", req(insurer, absenceCase, read, privacy.CategoryIdentity, privacy.FieldAddress), true, privacy.N3},
		{"N3_never_date_of_birth_whatever_the_policy", req(insurer, absenceCase, read, privacy.CategoryIdentity, privacy.FieldDateOfBirth), false, privacy.N3},
		{"N3_identity_partial", req(insurer, absenceCase, read, privacy.CategoryIdentity, ""), true, privacy.O11},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if d := e.Decide(tc.r); d.Allowed != tc.allowed || d.Rule != tc.rule {
				t.Errorf("Decide(%s) = %v, want allowed %t by %s", describe(tc.r), d, tc.allowed, tc.rule)
			}
		})
	}
	floorsWithoutConditions(t)
}

// loosePolicy is Strict with the conditions that say who a principal is
// to the case dropped, and the employer let read the subject's statements
// and consultation facts without consent: a policy Validate refuses
// (privacy.TestPolicyFloors), compiled here past the check to show that the
// engine holds these floors itself.
func loosePolicy() *privacy.Policy {
	p := privacy.Strict()
	for i := range p.Access {
		a := &p.Access[i]
		a.Requires = slices.DeleteFunc(a.Requires, func(c privacy.Condition) bool {
			return c == privacy.CondOwnData || c == privacy.CondCommissioner || c == privacy.CondCovers ||
				c == privacy.CondAssigned || c == privacy.CondConsent
		})
	}
	p.Access = append(p.Access,
		privacy.AccessRule{Rule: privacy.O9, Effect: privacy.Allow, Roles: []privacy.Role{privacy.RoleEmployerContact},
			Actions: []privacy.Action{read}, Categories: []privacy.Category{privacy.CategoryStatements, privacy.CategoryConsultation}, Reason: "loose"},
		privacy.AccessRule{Rule: privacy.O11, Effect: privacy.Allow, Roles: []privacy.Role{privacy.RoleInsurer},
			Actions: []privacy.Action{read}, Categories: []privacy.Category{privacy.CategoryIdentity}, Fields: []privacy.Field{privacy.FieldName}, Reason: "loose"})
	return p
}

// floorsWithoutConditions checks the floors on who the principal is to
// the case against loosePolicy, whose checks were bypassed: the subject reads only their own data (R11, O13), an employer
// only the cases it commissioned (O2), an insurer only the employers it
// covers (O11), case managers and physicians content only when assigned
// (R7, O4), the employer no health data (N4) and consultation facts only
// with consent (O10).
func floorsWithoutConditions(t *testing.T) {
	loose := loosePolicy()
	if err := loose.Validate(); err == nil {
		t.Fatal("the loose policy validates: the test shows nothing")
	}
	e := access.NewEngineUnchecked(loose)
	consent := func(r access.Request) access.Request { r.Consent = access.ConsentIf(true); return r }
	cityInsurer := access.NewPrincipal(privacy.Principal{ID: "ins-3", Role: privacy.RoleInsurer, Party: "insurer-3"}, nil, []privacy.PartyID{"city-1"})
	for _, tc := range []struct {
		name    string
		r       access.Request
		allowed bool
		rule    privacy.RuleID
	}{
		{"O13_subject_reads_own_data", req(subject, absenceCase, read, privacy.CategoryAbsenceFacts, ""), true, privacy.O13},
		{"O13_subject_never_another_subjects_data", req(otherSubject, absenceCase, read, privacy.CategoryAbsenceFacts, ""), false, privacy.O13},
		{"O13_subject_never_another_subjects_bsn", req(otherSubject, absenceCase, read, privacy.CategoryNationalID, ""), false, privacy.O13},
		{"O13_subject_never_another_subjects_absence_reason", req(otherSubject, absenceCase, read, privacy.CategoryAbsenceReason, ""), false, privacy.O13},
		{"O13_subject_without_subject_id_reads_nothing", req(access.NewPrincipal(privacy.Principal{ID: "p-x", Role: privacy.RoleSubject}, nil, nil),
			&privacy.Case{ID: "c-x", Kind: privacy.CaseAbsence, Purpose: privacy.PurposeAbsenceGuidance, Contract: contract}, read, privacy.CategoryAbsenceFacts, ""), false, privacy.O13},
		{"O2_employer_reads_its_own_case", req(employer, absenceCase, read, privacy.CategoryAbsenceFacts, privacy.FieldFirstDay), true, privacy.O9},
		{"O2_employer_never_another_employers_case", req(employerOther, absenceCase, read, privacy.CategoryAbsenceFacts, privacy.FieldFirstDay), false, privacy.O2},
		{"O2_employer_never_writes_another_employers_case", req(employerOther, absenceCase, write, privacy.CategoryAbsenceFacts, privacy.FieldFirstDay), false, privacy.O2},
		{"O2_employer_never_a_municipality_case", req(employer, reintegCase, read, privacy.CategoryIdentity, privacy.FieldName), false, privacy.O2},
		{"O11_insurer_reads_a_covered_employer", req(insurer, absenceCase, read, privacy.CategoryAbsenceFacts, privacy.FieldFirstDay), true, privacy.O11},
		{"O11_insurer_never_an_employer_it_does_not_cover", req(insurerOther, absenceCase, read, privacy.CategoryAbsenceFacts, privacy.FieldFirstDay), false, privacy.O11},
		{"O11_insurer_never_a_municipality_case", req(cityInsurer, reintegCase, read, privacy.CategoryIdentity, privacy.FieldName), false, privacy.O11},
		{"R7_assigned_case_manager_reads_notes", req(caseManager, absenceCase, read, privacy.CategoryNotes, ""), true, privacy.R7},
		{"R7_unassigned_case_manager_never_notes", req(caseManagerUnassigned, absenceCase, read, privacy.CategoryNotes, ""), false, privacy.R7},
		{"R7_unassigned_case_manager_never_the_bsn", req(caseManagerUnassigned, absenceCase, read, privacy.CategoryNationalID, ""), false, privacy.R7},
		{"R7_unassigned_case_manager_never_writes", req(caseManagerUnassigned, absenceCase, write, privacy.CategoryNotes, ""), false, privacy.R7},
		{"O4_unassigned_physician_never_statements", req(physicianUnassigned, absenceCase, read, privacy.CategoryStatements, ""), false, privacy.O4},
		{"O6_unassigned_physician_never_medical", req(physicianUnassigned, absenceCase, read, privacy.CategoryMedical, ""), false, privacy.O6},
		{"N4_employer_never_statements", consent(req(employer, absenceCase, read, privacy.CategoryStatements, "")), false, privacy.N4},
		{"O10_employer_consultation_facts_only_with_consent", req(employer, absenceCase, read, privacy.CategoryConsultation, ""), false, privacy.O10},
		{"O10_employer_consultation_facts_with_consent", consent(req(employer, absenceCase, read, privacy.CategoryConsultation, "")), true, privacy.O9},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if d := e.Decide(tc.r); d.Allowed != tc.allowed || d.Rule != tc.rule {
				t.Errorf("Decide(%s) = %v, want allowed %t by %s", describe(tc.r), d, tc.allowed, tc.rule)
			}
			if tc.allowed {
				return
			}
			// Nothing of a case hidden by a floor on who the principal is
			// shows in a view or a listing.
			if tc.rule == privacy.N4 || tc.rule == privacy.O10 || tc.rule == privacy.O6 {
				return
			}
			r := tc.r
			if r.Action != read {
				return
			}
			if d := e.Visible(r); d.Allowed {
				t.Errorf("Visible(%s) = %v, want hidden", describe(r), d)
			}
			if got := e.List(access.ListRequest{Principal: r.Principal, Time: now}, []privacy.Case{*r.Case}); len(got) != 0 {
				t.Errorf("List(%s) = %d cases, want none", describe(r), len(got))
			}
		})
	}
}

func TestRequestValidate(t *testing.T) {
	ok := req(caseManager, absenceCase, read, privacy.CategoryNotes, privacy.FieldText)
	if err := ok.Validate(); err != nil {
		t.Fatalf("Validate(%s) = %v", describe(ok), err)
	}
	mutate := func(f func(*access.Request)) access.Request { r := ok; f(&r); return r }
	for _, tc := range []struct {
		name string
		r    access.Request
		kind error
		rule privacy.RuleID
	}{
		{"no_principal", mutate(func(r *access.Request) { r.Principal = nil }), privacy.ErrInvalid, ""},
		{"no_case", mutate(func(r *access.Request) { r.Case = nil }), privacy.ErrInvalid, ""},
		{"O5_special_category", mutate(func(r *access.Request) { r.Category, r.Field = privacy.CategoryReligion, "" }), privacy.ErrProhibitedCategory, privacy.O5},
		{"unknown_category", mutate(func(r *access.Request) { r.Category = "gossip" }), privacy.ErrInvalid, ""},
		{"field_of_another_category", mutate(func(r *access.Request) { r.Field = privacy.FieldBSN }), privacy.ErrInvalid, ""},
		{"unknown_action", mutate(func(r *access.Request) { r.Action = "peek" }), privacy.ErrInvalid, ""},
		{"R5_no_purpose", mutate(func(r *access.Request) { r.Purpose = "" }), privacy.ErrInvalid, privacy.R5},
		{"no_time", mutate(func(r *access.Request) { r.Time = time.Time{} }), privacy.ErrInvalid, ""},
		{"bad_object", mutate(func(r *access.Request) { r.Object = "a b" }), privacy.ErrInvalid, ""},
		{"O7_contractor_without_agreement", mutate(func(r *access.Request) { r.Principal = contractorNoAgreement }), privacy.ErrForbidden, privacy.O7},
		{"N9_access_point_not_printable", mutate(func(r *access.Request) {
			p := *caseManager
			p.AccessPoint = "10.0.0.1\n"
			r.Principal = &p
		}), privacy.ErrInvalid, privacy.N9},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.r.Validate()
			if !errors.Is(err, tc.kind) || privacy.RuleOf(err) != tc.rule {
				t.Errorf("Validate(%s) = %v, want %v by %q", describe(tc.r), err, tc.kind, tc.rule)
			}
		})
	}
}
