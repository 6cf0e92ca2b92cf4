package privacy_test

import (
	"bytes"
	"errors"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/dossierwacht/dossierwacht/privacy"
)

func TestReadyPolicies(t *testing.T) {
	for _, p := range []*privacy.Policy{privacy.RegulationR(), privacy.RegulationO(), privacy.Strict()} {
		t.Run(p.Name, func(t *testing.T) {
			if err := p.Validate(); err != nil {
				t.Fatalf("Validate: %v", err)
			}
			var buf bytes.Buffer
			if err := p.Encode(&buf); err != nil {
				t.Fatalf("Encode: %v", err)
			}
			got, err := privacy.DecodePolicy(&buf)
			if err != nil {
				t.Fatalf("DecodePolicy(Encode(p)): %v", err)
			}
			if !reflect.DeepEqual(got, p) {
				t.Errorf("DecodePolicy(Encode(p)) differs from p")
			}
			// Rule N7: statutory periods carry their citations.
			for i, r := range p.Retention {
				if r.Citation == "" || !r.Rule.Known() {
					t.Errorf("N7: retention[%d] = %+v lacks a citation or rule", i, r)
				}
			}
		})
	}
	// Rule N10: the statutory recipients are named with their statutes.
	strict := privacy.Strict()
	for _, tc := range []struct {
		id        privacy.LegalBasisID
		recipient privacy.PartyKind
		medical   bool
	}{
		{"suwi-54-3c", privacy.PartyUWV, true},
		{"bw-7-658a-5", privacy.PartyReintegrationCompany, false},
		{"procesgang-4-3", privacy.PartySubject, false},
	} {
		l, ok := strict.LegalBasis(tc.id)
		if !ok || l.Rule != privacy.N10 || l.Citation == "" || !slices.Contains(l.Recipients, tc.recipient) {
			t.Errorf("N10: LegalBasis(%s) = %+v, %v", tc.id, l, ok)
			continue
		}
		if got := slices.Contains(l.Categories, privacy.CategoryMedical); got != tc.medical {
			t.Errorf("N10: %s carries medical data = %v, want %v", tc.id, got, tc.medical)
		}
	}
	// R9 and R11 are stricter than O12/O13 where both apply; strict keeps both.
	if !slices.ContainsFunc(strict.Requests.Answer, func(d privacy.Deadline) bool { return d.Rule == privacy.R11 && d.Period == privacy.Weeks(4) }) ||
		!slices.ContainsFunc(strict.Requests.Answer, func(d privacy.Deadline) bool { return d.Rule == privacy.O13 && d.Period == privacy.Months(1) }) {
		t.Errorf("strict answer deadlines = %+v, want R11's 4 weeks and O13's month", strict.Requests.Answer)
	}
}

// TestPolicyFloors checks that no policy can be loaded that crosses a
// statutory floor, and that the error names the rule and the path.
func TestPolicyFloors(t *testing.T) {
	allow := func(rule privacy.RuleID, role privacy.Role, cats []privacy.Category, fields []privacy.Field, conds ...privacy.Condition) func(*privacy.Policy) {
		return func(p *privacy.Policy) {
			p.Access = append(p.Access, privacy.AccessRule{Rule: rule, Effect: privacy.Allow, Roles: []privacy.Role{role},
				Actions: []privacy.Action{privacy.ActionRead}, Categories: cats, Fields: fields, Requires: conds})
		}
	}
	med := []privacy.Category{privacy.CategoryMedical}
	// drop removes condition cond from access rule i.
	drop := func(i int, cond privacy.Condition) func(*privacy.Policy) {
		return func(p *privacy.Policy) {
			p.Access[i].Requires = slices.DeleteFunc(p.Access[i].Requires, func(c privacy.Condition) bool { return c == cond })
		}
	}
	disclose := func(d privacy.DisclosureRule) func(*privacy.Policy) {
		return func(p *privacy.Policy) { p.Disclosures = append(p.Disclosures, d) }
	}
	basis := func(l privacy.LegalBasis) func(*privacy.Policy) {
		return func(p *privacy.Policy) { p.LegalBases = append(p.LegalBases, l) }
	}
	regO, regR := privacy.RegulationO, privacy.RegulationR
	for _, tc := range []struct {
		name   string
		base   func() *privacy.Policy // nil: Strict
		mutate func(*privacy.Policy)
		rule   privacy.RuleID
		path   string
	}{
		{"O6_case_manager_reads_medical", nil, allow(privacy.O4, privacy.RoleCaseManager, med, nil, privacy.CondAssigned, privacy.CondSecrecy), privacy.O6, "access[14].roles[0]"},
		{"G8_employer_reads_medical", nil, allow(privacy.O4, privacy.RoleEmployerContact, med, nil), privacy.O6, "access[14].roles[0]"},
		{"N6_physician_without_multi_factor", nil, allow(privacy.O6, privacy.RolePhysician, med, nil, privacy.CondAssigned, privacy.CondProfessionalSecrecy), privacy.N6, "access[14].requires"},
		{"N4_health_data_without_secrecy", nil, allow(privacy.O4, privacy.RoleCaseManager, []privacy.Category{privacy.CategoryStatements}, nil, privacy.CondAssigned), privacy.N4, "access[14].requires"},
		{"N3_insurer_beyond_the_list", nil, allow(privacy.O11, privacy.RoleInsurer, []privacy.Category{privacy.CategoryWorkCapacity}, nil), privacy.N3, "access[14].roles[0]"},
		{"N3_insurer_all_identity_fields", nil, allow(privacy.O11, privacy.RoleInsurer, []privacy.Category{privacy.CategoryIdentity}, nil), privacy.N3, "access[14].roles[0].fields"},
		{"R12_administrator_reads_content", nil, allow(privacy.R12, privacy.RoleAdministrator, []privacy.Category{privacy.CategoryNotes}, nil), privacy.R12, "access[14].roles[0]"},
		{"R8_privacy_officer_reads_identity", nil, allow(privacy.R8, privacy.RolePrivacyOfficer, []privacy.Category{privacy.CategoryIdentity}, nil), privacy.R8, "access[14].roles[0]"},
		{"R8_support_staff_reads_notes", nil, allow(privacy.R8, privacy.RoleSupportStaff, []privacy.Category{privacy.CategoryNotes}, nil), privacy.R8, "access[14].roles[0]"},
		{"O10_employer_sees_consultations_without_consent", nil, allow(privacy.O9, privacy.RoleEmployerContact, []privacy.Category{privacy.CategoryConsultation}, nil, privacy.CondCommissioner), privacy.O10, "access[14].roles[0]"},
		{"O10_employer_rule_for_every_case_kind", nil, allow(privacy.O9, privacy.RoleEmployerContact, []privacy.Category{privacy.CategoryContact}, nil, privacy.CondCommissioner), privacy.O10, "access[14].roles[0]"},
		{"N9_audit_kept_one_year", nil, func(p *privacy.Policy) { p.AuditRetention.Period = privacy.Years(1) }, privacy.N9, "audit_retention.period"},
		{"N12_groups_of_one", nil, func(p *privacy.Policy) { p.MinGroupSize = 1 }, privacy.N12, "min_group_size"},
		{"G2_answer_in_two_months", regO, func(p *privacy.Policy) { p.Requests.Answer[0].Period = privacy.Months(2) }, privacy.G2, "requests.answer[0].period"},
		{"G2_extension_of_a_year", regO, func(p *privacy.Policy) { p.Requests.Extension.Period = privacy.Years(1) }, privacy.G2, "requests.extension.period"},
		{"N8_medical_erasure_in_a_year", nil, func(p *privacy.Policy) { p.Requests.MedicalErasure.Period = privacy.Years(1) }, privacy.N8, "requests.medical_erasure.period"},
		{"N11_no_free_copy", nil, func(p *privacy.Policy) { p.Requests.FreeCopies = 0 }, privacy.N11, "requests.free_copies"},
		// Rules O11, O10: the insurer's rule reaches no consultation-hour
		// visit, periodic examination or preventive case; under
		// regulation O it reads the overview only.
		{"O11_insurer_rule_for_every_case_kind", nil, allow(privacy.O11, privacy.RoleInsurer, []privacy.Category{privacy.CategoryIdentity},
			[]privacy.Field{privacy.FieldName}, privacy.CondCovers), privacy.O11, "access[14].case_kinds"},
		{"O11_insurer_reads_wages_under_regulation_O", nil, func(p *privacy.Policy) {
			p.Access = append(p.Access, privacy.AccessRule{Rule: privacy.O11, Effect: privacy.Allow, Roles: []privacy.Role{privacy.RoleInsurer},
				Actions: []privacy.Action{privacy.ActionRead}, Categories: []privacy.Category{privacy.CategoryEmployment},
				Fields: []privacy.Field{privacy.FieldWages}, CaseKinds: []privacy.CaseKind{privacy.CaseAbsence},
				Requires: []privacy.Condition{privacy.CondCovers, privacy.CondContractInForce}, Reason: "wages"})
		}, privacy.O11, "access[14].roles[0]"},
		// Rule O14: under regulation O a transfer rests on written consent.
		{"O14_plain_consent_under_regulation_O", nil, func(p *privacy.Policy) {
			p.Disclosures = append(p.Disclosures, privacy.DisclosureRule{Rule: privacy.R6, Recipient: privacy.PartyThirdParty,
				Categories: []privacy.Category{privacy.CategoryNotes}, Basis: privacy.BasisConsent, Reason: "unsigned"})
		}, privacy.O14, "disclosures[6].basis"},
		// Rule N5: a statute that names its purposes is never widened by
		// a basis that drops them.
		{"N5_statute_purposes_dropped", nil, func(p *privacy.Policy) {
			for i := range p.LegalBases {
				if p.LegalBases[i].ID == "arbowet-14" {
					p.LegalBases[i].Purposes = nil
				}
			}
		}, privacy.N5, "legal_bases[4]"},
		{"O6_medical_on_plain_consent", nil, func(p *privacy.Policy) {
			p.Disclosures = append(p.Disclosures, privacy.DisclosureRule{Rule: privacy.R6, Recipient: privacy.PartyThirdParty, Categories: med, Basis: privacy.BasisConsent})
		}, privacy.O6, "disclosures[6].basis"},
		{"N3_insurer_disclosure_beyond_the_list", nil, func(p *privacy.Policy) {
			p.Disclosures = append(p.Disclosures, privacy.DisclosureRule{Rule: privacy.R6, Recipient: privacy.PartyInsurer,
				Categories: []privacy.Category{privacy.CategoryExpertReport}, Basis: privacy.BasisWrittenConsent})
		}, privacy.N3, "disclosures[6]"},
		{"N2_physician_tells_more_without_consent", nil, func(p *privacy.Policy) {
			p.Disclosures = append(p.Disclosures, privacy.DisclosureRule{Rule: privacy.N2, Recipient: privacy.PartyEmployer,
				Categories: []privacy.Category{privacy.CategoryExpertReport}, Basis: privacy.BasisNone})
		}, privacy.N2, "disclosures[6]"},
		{"N7_statutory_period_without_citation", nil, func(p *privacy.Policy) {
			p.Retention = append(p.Retention, privacy.RetentionRule{Rule: privacy.N7, Trigger: privacy.TriggerCaseClosed, Period: privacy.Years(7), Statutory: true})
		}, privacy.N7, "retention[6].citation"},
		{"contradiction_allow_and_deny", nil, func(p *privacy.Policy) {
			p.Access = append(p.Access, privacy.AccessRule{Rule: privacy.R8, Effect: privacy.Deny, Roles: []privacy.Role{privacy.RoleSupportStaff},
				Actions: []privacy.Action{privacy.ActionRead}, Categories: []privacy.Category{privacy.CategoryContact},
				Requires: []privacy.Condition{privacy.CondContractInForce}})
		}, privacy.R8, "access[14]"},

		// Who the principal is to the case: no allow rule drops it.
		{"O13_subject_rule_without_own_data", nil, drop(13, privacy.CondOwnData), privacy.O13, "access[13].requires"},
		{"R11_subject_rule_without_own_data", regR, drop(5, privacy.CondOwnData), privacy.R11, "access[5].requires"},
		{"R11_new_subject_rule_without_own_data", regR, allow(privacy.R2, privacy.RoleSubject, []privacy.Category{privacy.CategoryNationalID}, nil), privacy.R11, "access[6].requires"},
		{"O2_employer_rule_without_commissioner", nil, drop(9, privacy.CondCommissioner), privacy.O2, "access[9].requires"},
		{"O2_employer_write_rule_without_commissioner", nil, drop(7, privacy.CondCommissioner), privacy.O2, "access[7].requires"},
		{"O11_insurer_rule_without_covers", nil, drop(12, privacy.CondCovers), privacy.O11, "access[12].requires"},
		{"R7_case_manager_rule_without_assigned", nil, drop(0, privacy.CondAssigned), privacy.R7, "access[0].requires"},
		{"R7_case_manager_health_rule_without_assigned", nil, drop(1, privacy.CondAssigned), privacy.R7, "access[1].requires"},
		{"O4_regulation_O_case_manager_rule_without_assigned", regO, drop(0, privacy.CondAssigned), privacy.O4, "access[0].requires"},
		{"O4_physician_rule_without_assigned", nil, drop(4, privacy.CondAssigned), privacy.O4, "access[4].requires"},
		{"N4_employer_reads_statements", nil, allow(privacy.O9, privacy.RoleEmployerContact, []privacy.Category{privacy.CategoryStatements}, nil,
			privacy.CondCommissioner, privacy.CondConsent), privacy.N4, "access[14].roles[0]"},

		// Disclosures without consent: only N2's advice and O11's overview.
		{"O14_statements_to_third_party_without_consent", nil, disclose(privacy.DisclosureRule{Rule: privacy.O14, Recipient: privacy.PartyThirdParty,
			Categories: []privacy.Category{privacy.CategoryStatements}, Basis: privacy.BasisNone}), privacy.O14, "disclosures[6].basis"},
		{"R6_notes_to_municipality_without_consent", regR, disclose(privacy.DisclosureRule{Rule: privacy.R6, Recipient: privacy.PartyMunicipality,
			Categories: []privacy.Category{privacy.CategoryNotes}, Basis: privacy.BasisNone}), privacy.R6, "disclosures[4].basis"},
		{"N2_advice_without_consent_not_from_the_physician", nil, disclose(privacy.DisclosureRule{Rule: privacy.N2, Recipient: privacy.PartyEmployer,
			Categories: []privacy.Category{privacy.CategoryWorkCapacity}, Fields: privacy.PhysicianToEmployerFields(), Basis: privacy.BasisNone}), privacy.N2, "disclosures[6].from"},
		{"O11_insurer_without_consent_beyond_the_overview", nil, disclose(privacy.DisclosureRule{Rule: privacy.O11, Recipient: privacy.PartyInsurer,
			Categories: []privacy.Category{privacy.CategoryIdentity}, Fields: []privacy.Field{privacy.FieldName, privacy.FieldAddress}, Basis: privacy.BasisNone}), privacy.O11, "disclosures[6].fields"},
		{"N4_statements_to_employer_on_written_consent", nil, disclose(privacy.DisclosureRule{Rule: privacy.O14, Recipient: privacy.PartyEmployer,
			Categories: []privacy.Category{privacy.CategoryStatements}, Basis: privacy.BasisWrittenConsent}), privacy.N4, "disclosures[6].categories"},
		{"N4_medical_to_employer_on_written_consent", nil, disclose(privacy.DisclosureRule{Rule: privacy.O6, Recipient: privacy.PartyEmployer,
			Categories: med, Basis: privacy.BasisWrittenConsent}), privacy.N4, "disclosures[6].categories"},

		// Legal bases: the statutes the library knows are the ceiling.
		{"N10_invented_statute_sends_medical_data_to_the_employer", nil, basis(privacy.LegalBasis{ID: "wet-x", Rule: privacy.N10,
			Citation: "Wet verzuimverbetering art. 1", Recipients: []privacy.PartyKind{privacy.PartyEmployer}, Categories: med}), privacy.N10, "legal_bases[5]"},
		{"N5_invented_statute_sends_the_bsn_to_a_third_party", nil, basis(privacy.LegalBasis{ID: "wet-y", Rule: privacy.N5,
			Citation: "Wet gegevensdeling art. 2", Recipients: []privacy.PartyKind{privacy.PartyThirdParty}, Categories: []privacy.Category{privacy.CategoryNationalID}}), privacy.N5, "legal_bases[5]"},
		{"N5_known_statute_widened_to_a_third_party", nil, basis(privacy.LegalBasis{ID: "suwi-73-4-wide", Rule: privacy.N5,
			Citation: "Wet SUWI art. 73(4)", Recipients: []privacy.PartyKind{privacy.PartyUWV, privacy.PartyThirdParty}, Categories: []privacy.Category{privacy.CategoryNationalID}}), privacy.N5, "legal_bases[5]"},
		{"N10_known_statute_widened_with_medical_data", nil, func(p *privacy.Policy) {
			p.LegalBases[2].Categories = append(p.LegalBases[2].Categories, privacy.CategoryMedical)
		}, privacy.N10, "legal_bases[2]"},
		{"N10_bsn_statute_under_another_rule", nil, func(p *privacy.Policy) { p.LegalBases[1].Rule = privacy.N10 }, privacy.N10, "legal_bases[1]"},
		{"N5_legal_basis_under_a_consent_rule", nil, basis(privacy.LegalBasis{ID: "o14-x", Rule: privacy.O14,
			Citation: "Wet SUWI art. 73(4)", Recipients: []privacy.PartyKind{privacy.PartyUWV}, Categories: []privacy.Category{privacy.CategoryNationalID}}), privacy.N5, "legal_bases[5]"},

		// Retention: statutory minimums are never dropped or shortened.
		{"R9_fiscal_rule_dropped", nil, func(p *privacy.Policy) { p.Retention = slices.Delete(p.Retention, 4, 5) }, privacy.R9, "retention"},
		{"R9_fiscal_rule_shortened", nil, func(p *privacy.Policy) { p.Retention[4].Period = privacy.Years(2) }, privacy.R9, "retention[4].period"},
		{"R9_fiscal_rule_narrowed_to_absence_cases", nil, func(p *privacy.Policy) { p.Retention[4].CaseKinds = []privacy.CaseKind{privacy.CaseAbsence} }, privacy.R9, "retention"},
		{"R9_fiscal_rule_without_benefits", regR, func(p *privacy.Policy) { p.Retention[1].Categories = []privacy.Category{privacy.CategoryEmployment} }, privacy.R9, "retention"},
		{"N7_fiscal_rule_not_statutory", regO, func(p *privacy.Policy) { p.Retention[4].Statutory = false }, privacy.N7, "retention[4].statutory"},
		{"N7_fiscal_rule_from_record_creation", regO, func(p *privacy.Policy) { p.Retention[4].Trigger = privacy.TriggerRecordCreated }, privacy.N7, "retention[4].trigger"},
		{"N7_fiscal_rule_from_the_closing_day", regO, func(p *privacy.Policy) { p.Retention[4].FromYearEnd = false }, privacy.N7, "retention[4].from_year_end"},
		{"N7_exposure_examinations_ten_years", nil, func(p *privacy.Policy) {
			r := privacy.ExposureExamRetention()
			r.Period = privacy.Years(10)
			p.Retention = append(p.Retention, r)
		}, privacy.N7, "retention[6].period"},
		{"N7_self_insurer_three_years", regO, func(p *privacy.Policy) {
			r := privacy.SelfInsurerRetention()
			r.Period = privacy.Months(36)
			p.Retention = append(p.Retention, r)
		}, privacy.N7, "retention[6].period"},

		// R9, O12, N9: every kind of stored personal data has a retention
		// rule; "kept with no rule" is impossible.
		{"R9_absence_cases_without_a_rule", regR, func(p *privacy.Policy) {
			p.Retention[0].CaseKinds = []privacy.CaseKind{privacy.CaseReintegration}
		}, privacy.R9, "retention"},
		{"R9_medical_records_without_a_rule", regR, func(p *privacy.Policy) {
			p.Retention[0].Categories = slices.DeleteFunc(privacy.Categories(), func(c privacy.Category) bool { return c.Medical() })
		}, privacy.R9, "retention"},
		{"O12_consultation_cases_without_a_rule", regO, func(p *privacy.Policy) {
			p.Retention[3].CaseKinds = []privacy.CaseKind{privacy.CasePreventive, privacy.CasePeriodicExam}
		}, privacy.O12, "retention"},
		{"O12_medical_file_without_a_rule", regO, func(p *privacy.Policy) { p.Retention = p.Retention[:len(p.Retention)-1] }, privacy.O12, "retention"},
		{"R9_subjects_without_a_rule", nil, func(p *privacy.Policy) { p.Data = p.Data[1:] }, privacy.R9, "data"},
		{"O12_disclosure_log_without_a_rule", regO, func(p *privacy.Policy) { p.Data = p.Data[:len(p.Data)-1] }, privacy.O12, "data"},
		{"O12_no_data_rules_at_all", regO, func(p *privacy.Policy) { p.Data = nil }, privacy.O12, "data"},
		{"R9_two_rules_for_grants", nil, func(p *privacy.Policy) { p.Data = append(p.Data, p.Data[4]) }, privacy.R9, "data[8].kind"},
		// N12: the group histories (the groups an employer was answered
		// about) are personal data with a rule of their own.
		{"N12_group_histories_without_a_rule", nil, func(p *privacy.Policy) {
			p.Data = slices.DeleteFunc(p.Data, func(r privacy.DataRule) bool { return r.Kind == privacy.DataGroups })
		}, privacy.R9, "data"},
		{"N12_group_histories_without_a_rule_under_regulation_O", regO, func(p *privacy.Policy) {
			p.Data = slices.DeleteFunc(p.Data, func(r privacy.DataRule) bool { return r.Kind == privacy.DataGroups })
		}, privacy.O12, "data"},
		{"R9_unknown_data_kind", nil, func(p *privacy.Policy) { p.Data[0].Kind = "diary" }, privacy.R9, "data[0].kind"},
		{"R9_audit_events_as_a_data_rule", nil, func(p *privacy.Policy) { p.Data[0].Kind = privacy.DataAudit }, privacy.R9, "data[0].kind"},
		{"R9_data_rule_without_citation", nil, func(p *privacy.Policy) { p.Data[1].Citation = "" }, privacy.R9, "data[1].citation"},

		// R9, O12, N7: nothing is kept for ever; a period beyond the
		// catalog's longest (20 years without a statute, 40 with one)
		// fails at the rule's period.
		{"R9_reintegration_file_kept_forever", nil, func(p *privacy.Policy) { p.Retention[0].Period = privacy.Years(10000) }, privacy.R9, "retention[0].period"},
		{"R9_medical_file_kept_twenty_years_and_a_day", nil, func(p *privacy.Policy) {
			p.Retention[5].Period = privacy.Period{Years: 20, Days: 1}
		}, privacy.R9, "retention[5].period"},
		{"O12_absence_file_kept_twenty_one_years", regO, func(p *privacy.Policy) { p.Retention[0].Period = privacy.Years(21) }, privacy.O12, "retention[0].period"},
		{"N7_statutory_rule_kept_forever", regO, func(p *privacy.Policy) { p.Retention[4].Period = privacy.Years(10000) }, privacy.N7, "retention[4].period"},
		{"R9_statutory_rule_of_an_unknown_statute_kept_forever", nil, func(p *privacy.Policy) {
			p.Retention = append(p.Retention, privacy.RetentionRule{Rule: privacy.R9, Trigger: privacy.TriggerCaseClosed,
				Period: privacy.Months(41 * 12), Statutory: true, Citation: "some act art. 1"})
		}, privacy.R9, "retention[6].period"},
		{"R9_grants_kept_forever", nil, func(p *privacy.Policy) { p.Data[4].Period = privacy.Years(10000) }, privacy.R9, "data[4].period"},
		{"O12_requests_kept_twenty_one_years", regO, func(p *privacy.Policy) { p.Data[5].Period = privacy.Years(21) }, privacy.O12, "data[5].period"},
		{"R9_statutory_data_rule_kept_forever", nil, func(p *privacy.Policy) {
			p.Data[0].Statutory, p.Data[0].Period = true, privacy.Years(10000)
		}, privacy.R9, "data[0].period"},
		{"N9_audit_retention_without_citation", nil, func(p *privacy.Policy) { p.AuditRetention.Citation = "" }, privacy.N9, "audit_retention.citation"},

		// R11: regulation R answers within four weeks, unextended.
		{"R11_regulation_R_answers_in_a_month", regR, func(p *privacy.Policy) { p.Requests.Answer[0].Period = privacy.Months(1) }, privacy.R11, "requests.answer"},
		{"R11_strict_without_the_four_weeks", nil, func(p *privacy.Policy) { p.Requests.Answer = p.Requests.Answer[1:] }, privacy.R11, "requests.answer"},
		{"R11_strict_extended_by_two_months", nil, func(p *privacy.Policy) {
			p.Requests.Extension = &privacy.Deadline{Rule: privacy.G2, Period: privacy.Months(2), Citation: "GDPR art. 12(3)"}
		}, privacy.R11, "requests.extension"},
		{"R11_regulation_R_extended_by_two_months", regR, func(p *privacy.Policy) {
			p.Requests.Extension = &privacy.Deadline{Rule: privacy.G2, Period: privacy.Months(2), Citation: "GDPR art. 12(3)"}
		}, privacy.R11, "requests.extension"},
		{"unknown_regulation", nil, func(p *privacy.Policy) { p.Regulations = []string{"O", "X"} }, "", "regulations[1]"},
		{"no_regulation", nil, func(p *privacy.Policy) { p.Regulations = nil }, "", "regulations"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := privacy.Strict()
			if tc.base != nil {
				p = tc.base()
			}
			tc.mutate(p)
			err := p.Validate()
			var pe *privacy.Error
			if !errors.As(err, &pe) || !errors.Is(err, privacy.ErrInvalid) || pe.Rule != tc.rule || pe.Path != tc.path {
				t.Errorf("Validate = %v, want ErrInvalid citing %s at %s", err, tc.rule, tc.path)
			}
		})
	}
}

// TestPolicyFloorsAllow checks that the floors leave room for what the
// statutes allow: a narrower legal basis, a more precise citation within a
// known statute, a statutory period longer than the minimum, an optional
// statutory rule at its statutory length.
func TestPolicyFloorsAllow(t *testing.T) {
	for _, tc := range []struct {
		name   string
		mutate func(*privacy.Policy)
	}{
		{"N10_narrower_statute", func(p *privacy.Policy) {
			p.LegalBases[0].Categories = []privacy.Category{privacy.CategoryAbsenceFacts}
		}},
		{"N10_more_precise_provision_within_a_known_statute", func(p *privacy.Policy) {
			p.LegalBases = append(p.LegalBases, privacy.LegalBasis{ID: "wia-25", Rule: privacy.N10, Citation: "Wet WIA art. 25",
				Recipients: []privacy.PartyKind{privacy.PartyUWV}, Categories: []privacy.Category{privacy.CategoryWorkCapacity},
				Purposes: []privacy.Purpose{privacy.PurposeAbsenceGuidance}})
		}},
		{"N5_statutes_dropped", func(p *privacy.Policy) { p.LegalBases = nil }},
		{"R9_fiscal_rule_longer", func(p *privacy.Policy) { p.Retention[4].Period = privacy.Months(96) }},
		{"R9_fiscal_rule_split_per_category", func(p *privacy.Policy) {
			r := p.Retention[4]
			r.Categories = []privacy.Category{privacy.CategoryBenefits}
			p.Retention[4].Categories = []privacy.Category{privacy.CategoryEmployment}
			p.Retention = append(p.Retention, r)
		}},
		{"N7_exposure_examinations_forty_years", func(p *privacy.Policy) { p.Retention = append(p.Retention, privacy.ExposureExamRetention()) }},
		{"N7_self_insurer_five_years", func(p *privacy.Policy) { p.Retention = append(p.Retention, privacy.SelfInsurerRetention()) }},
		{"R9_reintegration_three_years", func(p *privacy.Policy) { p.Retention[0].Period = privacy.Years(3) }},
		{"N7_medical_file_twenty_years_in_months", func(p *privacy.Policy) { p.Retention[5].Period = privacy.Months(240) }},
		{"N7_statutory_rule_forty_years", func(p *privacy.Policy) { p.Retention[4].Period = privacy.Years(40) }},
		{"R9_grants_twenty_years", func(p *privacy.Policy) { p.Data[4].Period = privacy.Years(20) }},
		{"R11_answer_in_twenty_days", func(p *privacy.Policy) { p.Requests.Answer[0].Period = privacy.Days(20) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := privacy.Strict()
			tc.mutate(p)
			if err := p.Validate(); err != nil {
				t.Errorf("Validate = %v, want nil", err)
			}
		})
	}
	if got := privacy.StatutoryBases(); !reflect.DeepEqual(got, privacy.Strict().LegalBases) {
		t.Errorf("StatutoryBases() = %+v, want the ready policies' legal bases", got)
	}
}

func TestDecodePolicyStrict(t *testing.T) {
	var buf bytes.Buffer
	if err := privacy.Strict().Encode(&buf); err != nil {
		t.Fatal(err)
	}
	good := buf.String()
	for _, tc := range []struct {
		name, json, path, msg string
	}{
		{"unknown_field", strings.Replace(good, `"name": "strict",`, `"name": "strict", "colour": "red",`, 1), "", "unknown field"},
		{"unknown_category", strings.Replace(good, `"national-id"`, `"shoe-size"`, 1), "access[2].categories[0]", "unknown category"},
		{"unknown_role", strings.Replace(good, `"support-staff"`, `"janitor"`, 1), "access[5].roles[0]", "unknown role"},
		{"unknown_rule", strings.Replace(good, `"rule": "R8"`, `"rule": "X99"`, 1), "access[5].rule", "unknown rule"},
		{"unknown_condition", strings.Replace(good, `"assigned"`, `"friendly"`, 1), "access[0].requires[0]", "unknown condition"},
		{"bad_period", strings.Replace(good, `"P4W"`, `"4 weeks"`, 1), "", "ISO 8601"},
		{"wrong_type", strings.Replace(good, `"min_group_size": 10`, `"min_group_size": "ten"`, 1), "min_group_size", "wrong type"},
		{"trailing_data", good + `{}`, "", "trailing data"},
		{"truncated", good[:len(good)/2], "", "JSON"},
		{"empty", "", "", "JSON"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := privacy.DecodePolicy(strings.NewReader(tc.json))
			var pe *privacy.Error
			if !errors.As(err, &pe) || !errors.Is(err, privacy.ErrInvalid) {
				t.Fatalf("DecodePolicy = %v, want an ErrInvalid *privacy.Error", err)
			}
			if pe.Path != tc.path || !strings.Contains(err.Error(), tc.msg) {
				t.Errorf("DecodePolicy = %v (path %q), want path %q and %q", err, pe.Path, tc.path, tc.msg)
			}
		})
	}
}

func FuzzDecodePolicy(f *testing.F) {
	for _, p := range []*privacy.Policy{privacy.RegulationR(), privacy.RegulationO(), privacy.Strict()} {
		var buf bytes.Buffer
		if err := p.Encode(&buf); err != nil {
			f.Fatal(err)
		}
		f.Add(buf.Bytes())
	}
	f.Add([]byte(`{"name":"x"}`))
	f.Add([]byte(`{"access":[{"rule":"O6","effect":"allow","roles":["employer-contact"],"actions":["read"],"categories":["medical"]}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := privacy.DecodePolicy(bytes.NewReader(data))
		if err != nil {
			if !errors.Is(err, privacy.ErrInvalid) {
				t.Fatalf("DecodePolicy error %v is not ErrInvalid", err)
			}
			return
		}
		// A decoded policy validates, encodes, and decodes to itself.
		if err := p.Validate(); err != nil {
			t.Fatalf("decoded policy does not validate: %v", err)
		}
		var buf bytes.Buffer
		if err := p.Encode(&buf); err != nil {
			t.Fatalf("Encode: %v", err)
		}
		q, err := privacy.DecodePolicy(&buf)
		if err != nil {
			t.Fatalf("DecodePolicy(Encode(p)): %v", err)
		}
		if !reflect.DeepEqual(p, q) {
			t.Fatalf("round trip changed the policy")
		}
	})
}

func TestPeriod(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want privacy.Period
		ok   bool
	}{
		{"P2Y", privacy.Years(2), true},
		{"P1M", privacy.Months(1), true},
		{"P4W", privacy.Weeks(4), true},
		{"P1Y6M", privacy.Period{Years: 1, Months: 6}, true},
		{"P3M10D", privacy.Period{Months: 3, Days: 10}, true},
		{"P0D", privacy.Period{}, true},
		{"P6M1Y", privacy.Period{}, false},
		{"P1Y1Y", privacy.Period{}, false},
		{"PT1H", privacy.Period{}, false},
		{"P-1Y", privacy.Period{}, false},
		{"P1.5Y", privacy.Period{}, false},
		{"P99999Y", privacy.Period{}, false},
		{"2Y", privacy.Period{}, false},
		{"P", privacy.Period{}, false},
		{"", privacy.Period{}, false},
	} {
		got, err := privacy.ParsePeriod(tc.in)
		if tc.ok != (err == nil) || got != tc.want {
			t.Errorf("ParsePeriod(%q) = %v, %v; want %v, ok %v", tc.in, got, err, tc.want, tc.ok)
		}
		if err != nil && !errors.Is(err, privacy.ErrInvalid) {
			t.Errorf("ParsePeriod(%q) error %v is not ErrInvalid", tc.in, err)
		}
	}
}

func FuzzParsePeriod(f *testing.F) {
	for _, s := range []string{"P2Y", "P1Y6M", "P4W", "P3M10D", "PT1H", "P", "P0D"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		p, err := privacy.ParsePeriod(s)
		if err != nil {
			if !errors.Is(err, privacy.ErrInvalid) {
				t.Fatalf("ParsePeriod(%q) error %v is not ErrInvalid", s, err)
			}
			return
		}
		if err := p.Validate(); err != nil {
			t.Fatalf("ParsePeriod(%q) = %v, which does not validate: %v", s, p, err)
		}
		q, err := privacy.ParsePeriod(p.String())
		if err != nil || q != p {
			t.Fatalf("round trip of %q: %v → %q → %v, %v", s, p, p.String(), q, err)
		}
	})
}

func TestCategoryTaxonomy(t *testing.T) {
	for _, c := range append(privacy.Categories(), privacy.SpecialCategories()...) {
		info, ok := c.Info()
		if !ok || info.Dutch == "" || !info.Rule.Known() {
			t.Errorf("%s: Info = %+v, %v; want a Dutch name and a known rule", c, info, ok)
		}
		if !info.Special && len(info.Fields) == 0 {
			t.Errorf("%s has no fields", c)
		}
	}
	if _, ok := privacy.Category("shoe-size").Info(); ok {
		t.Error(`Info("shoe-size") found a category`)
	}
	// Every rule ID the taxonomy and the policies cite is in the catalog.
	if n := len(privacy.Rules()); n != 13+16+8+12 {
		t.Errorf("Rules() has %d rules, want 49", n)
	}
}

func TestErrorModel(t *testing.T) {
	err := &privacy.Error{Op: "add records", Kind: privacy.ErrForbidden, Rule: privacy.O6, Msg: "x"}
	if !errors.Is(err, privacy.ErrForbidden) || errors.Is(err, privacy.ErrInvalid) {
		t.Errorf("errors.Is mismatched for %v", err)
	}
	if !errors.Is(privacy.ErrProhibitedCategory, privacy.ErrForbidden) {
		t.Error("ErrProhibitedCategory does not match ErrForbidden")
	}
	if got := err.Error(); got != "privacy: add records: rule O6: x" {
		t.Errorf("Error() = %q", got)
	}
	wrapped := &privacy.Error{Op: "x", Kind: privacy.ErrUnavailable, Err: errors.New("connection reset")}
	if !errors.Is(wrapped, privacy.ErrUnavailable) || privacy.RuleOf(wrapped) != "" {
		t.Errorf("wrapped error: %v", wrapped)
	}
}
