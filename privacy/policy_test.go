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
	for _, tc := range []struct {
		name   string
		mutate func(*privacy.Policy)
		rule   privacy.RuleID
		path   string
	}{
		{"O6_case_manager_reads_medical", allow(privacy.O4, privacy.RoleCaseManager, med, nil, privacy.CondAssigned, privacy.CondSecrecy), privacy.O6, "access[14].roles[0]"},
		{"G8_employer_reads_medical", allow(privacy.O4, privacy.RoleEmployerContact, med, nil), privacy.O6, "access[14].roles[0]"},
		{"N6_physician_without_multi_factor", allow(privacy.O6, privacy.RolePhysician, med, nil, privacy.CondAssigned, privacy.CondProfessionalSecrecy), privacy.N6, "access[14].requires"},
		{"N4_health_data_without_secrecy", allow(privacy.O4, privacy.RoleCaseManager, []privacy.Category{privacy.CategoryStatements}, nil, privacy.CondAssigned), privacy.N4, "access[14].requires"},
		{"N3_insurer_beyond_the_list", allow(privacy.O11, privacy.RoleInsurer, []privacy.Category{privacy.CategoryWorkCapacity}, nil), privacy.N3, "access[14].roles[0]"},
		{"N3_insurer_all_identity_fields", allow(privacy.O11, privacy.RoleInsurer, []privacy.Category{privacy.CategoryIdentity}, nil), privacy.N3, "access[14].roles[0].fields"},
		{"R12_administrator_reads_content", allow(privacy.R12, privacy.RoleAdministrator, []privacy.Category{privacy.CategoryNotes}, nil), privacy.R12, "access[14].roles[0]"},
		{"R8_privacy_officer_reads_identity", allow(privacy.R8, privacy.RolePrivacyOfficer, []privacy.Category{privacy.CategoryIdentity}, nil), privacy.R8, "access[14].roles[0]"},
		{"R8_support_staff_reads_notes", allow(privacy.R8, privacy.RoleSupportStaff, []privacy.Category{privacy.CategoryNotes}, nil), privacy.R8, "access[14].roles[0]"},
		{"O10_employer_sees_consultations_without_consent", allow(privacy.O9, privacy.RoleEmployerContact, []privacy.Category{privacy.CategoryConsultation}, nil, privacy.CondCommissioner), privacy.O10, "access[14].roles[0]"},
		{"O10_employer_rule_for_every_case_kind", allow(privacy.O9, privacy.RoleEmployerContact, []privacy.Category{privacy.CategoryContact}, nil, privacy.CondCommissioner), privacy.O10, "access[14].roles[0]"},
		{"N9_audit_kept_one_year", func(p *privacy.Policy) { p.AuditRetention.Period = privacy.Years(1) }, privacy.N9, "audit_retention.period"},
		{"N12_groups_of_one", func(p *privacy.Policy) { p.MinGroupSize = 1 }, privacy.N12, "min_group_size"},
		{"G2_answer_in_two_months", func(p *privacy.Policy) { p.Requests.Answer[0].Period = privacy.Months(2) }, privacy.G2, "requests.answer[0].period"},
		{"G2_extension_of_a_year", func(p *privacy.Policy) { p.Requests.Extension.Period = privacy.Years(1) }, privacy.G2, "requests.extension.period"},
		{"N8_medical_erasure_in_a_year", func(p *privacy.Policy) { p.Requests.MedicalErasure.Period = privacy.Years(1) }, privacy.N8, "requests.medical_erasure.period"},
		{"N11_no_free_copy", func(p *privacy.Policy) { p.Requests.FreeCopies = 0 }, privacy.N11, "requests.free_copies"},
		{"O6_medical_on_plain_consent", func(p *privacy.Policy) {
			p.Disclosures = append(p.Disclosures, privacy.DisclosureRule{Rule: privacy.R6, Recipient: privacy.PartyThirdParty, Categories: med, Basis: privacy.BasisConsent})
		}, privacy.O6, "disclosures[6].basis"},
		{"N3_insurer_disclosure_beyond_the_list", func(p *privacy.Policy) {
			p.Disclosures = append(p.Disclosures, privacy.DisclosureRule{Rule: privacy.R6, Recipient: privacy.PartyInsurer,
				Categories: []privacy.Category{privacy.CategoryExpertReport}, Basis: privacy.BasisWrittenConsent})
		}, privacy.N3, "disclosures[6]"},
		{"N2_physician_tells_more_without_consent", func(p *privacy.Policy) {
			p.Disclosures = append(p.Disclosures, privacy.DisclosureRule{Rule: privacy.N2, Recipient: privacy.PartyEmployer,
				Categories: []privacy.Category{privacy.CategoryExpertReport}, Basis: privacy.BasisNone})
		}, privacy.N2, "disclosures[6]"},
		{"N7_statutory_period_without_citation", func(p *privacy.Policy) {
			p.Retention = append(p.Retention, privacy.RetentionRule{Rule: privacy.N7, Trigger: privacy.TriggerCaseClosed, Period: privacy.Years(7), Statutory: true})
		}, privacy.N7, "retention[6].citation"},
		{"contradiction_allow_and_deny", func(p *privacy.Policy) {
			p.Access = append(p.Access, privacy.AccessRule{Rule: privacy.R8, Effect: privacy.Deny, Roles: []privacy.Role{privacy.RoleSupportStaff},
				Actions: []privacy.Action{privacy.ActionRead}, Categories: []privacy.Category{privacy.CategoryContact},
				Requires: []privacy.Condition{privacy.CondContractInForce}})
		}, privacy.R8, "access[14]"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := privacy.Strict()
			tc.mutate(p)
			err := p.Validate()
			var pe *privacy.Error
			if !errors.As(err, &pe) || !errors.Is(err, privacy.ErrInvalid) || pe.Rule != tc.rule || pe.Path != tc.path {
				t.Errorf("Validate = %v, want ErrInvalid citing %s at %s", err, tc.rule, tc.path)
			}
		})
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
