package main

import (
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/dossierwacht/dossierwacht/consent"
	"github.com/dossierwacht/dossierwacht/privacy"
)

// disclosure builds a request body.
func disclosure(id, recipientParty, recipientKind, subject, cas, items, purpose, basis string) string {
	b := fmt.Sprintf(`{"id":%q,"recipient":{"party":%q,"kind":%q},"subject":%q,"case":%q,"items":%s,"purpose":%q`,
		id, recipientParty, recipientKind, subject, cas, items, purpose)
	if basis != "" {
		b += fmt.Sprintf(`,"basis":%q`, basis)
	}
	if recipientKind == "third-party" || recipientKind == "employer" {
		// Rule O14: on the third party's or the employer's written request.
		b += fmt.Sprintf(`,"written_request":"letter-%s"`, id)
	}
	return b + "}"
}

func TestDisclose(t *testing.T) {
	const (
		sick = "case-anna-absence"
		ag   = "absence-guidance"
		an   = "employee-anna"
	)
	tests := []struct {
		name, principal, body string
		status                int
		rule                  privacy.RuleID
		basis                 privacy.BasisKind
		grants                []consent.GrantID
		records               []privacy.RecordID // handed over
	}{
		{"N2_physician_advice_to_employer", "physician-dirk",
			disclosure("d-n2", "employer-bakery", "employer", an, sick, `[{"category":"work-capacity","fields":["limitations","capacities"]}]`, ag, ""),
			http.StatusCreated, privacy.N2, privacy.BasisNone, nil, []privacy.RecordID{"rec-capacity"}},
		{"O14_written_consent_to_employer", "case-manager-carla",
			disclosure("d-o14", "employer-bakery", "employer", an, sick, `[{"category":"notes","record":"rec-plan-note"}]`, ag, ""),
			http.StatusCreated, privacy.O14, privacy.BasisWrittenConsent, []consent.GrantID{"grant-anna-bakery"}, []privacy.RecordID{"rec-plan-note"}},
		{"N10_statute_to_uwv", "case-manager-carla",
			disclosure("d-n10", "uwv", "uwv", an, sick, `[{"category":"absence-facts"}]`, ag, "suwi-54-3c"),
			http.StatusCreated, privacy.N10, privacy.BasisStatute, nil, []privacy.RecordID{"rec-sick-report"}},
		{"O6_N10_physician_medical_to_uwv_on_statute", "physician-dirk",
			disclosure("d-o6", "uwv", "uwv", an, sick, `[{"category":"medical","record":"rec-medical"}]`, ag, "suwi-54-3c"),
			http.StatusCreated, privacy.N10, privacy.BasisStatute, nil, []privacy.RecordID{"rec-medical"}},
		{"O9_absence_reason_never_leaves", "case-manager-carla",
			disclosure("d-o9", "employer-bakery", "employer", an, sick, `[{"category":"absence-reason"}]`, ag, ""),
			http.StatusForbidden, privacy.O9, "", nil, nil},
		{"O14_no_consent_for_other_third_party", "case-manager-carla",
			disclosure("d-o14-deny", "someone-else", "third-party", an, sick, `[{"category":"work-capacity"}]`, ag, ""),
			http.StatusForbidden, privacy.O14, "", nil, nil},
		{"N5_bsn_never_on_consent", "case-manager-carla",
			disclosure("d-n5", "someone-else", "third-party", an, sick, `[{"category":"national-id"}]`, ag, ""),
			http.StatusForbidden, privacy.N5, "", nil, nil},
		{"N6_physician_without_second_factor_may_not_disclose_medical", "physician-femke",
			disclosure("d-n6", "uwv", "uwv", an, sick, `[{"category":"medical"}]`, ag, "suwi-54-3c"),
			http.StatusForbidden, privacy.N6, "", nil, nil},
		{"default-deny_employer_contact_does_not_disclose_what_it_may_not_read", "employer-contact-bert",
			disclosure("d-bert", "someone-else", "third-party", an, sick, `[{"category":"notes"}]`, ag, ""),
			http.StatusForbidden, privacy.RuleDefaultDeny, "", nil, nil},
		{"R8_support_staff_does_not_disclose_case_content", "support-sam",
			disclosure("d-sam", "uwv", "uwv", an, sick, `[{"category":"absence-facts"}]`, ag, "suwi-54-3c"),
			http.StatusForbidden, privacy.R8, "", nil, nil},
		// An outside party never discloses, whatever the case: the answer
		// is the same for a hidden case and a missing one (O10).
		{"O10_employer_never_discloses_a_hidden_case", "employer-contact-bert",
			disclosure("d-o10", "someone-else", "third-party", "employee-bram", "case-bram-consultation", `[{"category":"consultation"}]`, "prevention", ""),
			http.StatusForbidden, privacy.RuleDefaultDeny, "", nil, nil},
		{"O10_employer_never_discloses_a_missing_case", "employer-contact-bert",
			disclosure("d-o10b", "someone-else", "third-party", "employee-bram", "case-bram-none", `[{"category":"consultation"}]`, "prevention", ""),
			http.StatusForbidden, privacy.RuleDefaultDeny, "", nil, nil},
		{"R7_unassigned_case_manager_gets_404", "case-manager-carla",
			disclosure("d-r7", "uwv", "uwv", "employee-bram", "case-bram-consultation", `[{"category":"consultation"}]`, "prevention", "suwi-54-3c"),
			http.StatusNotFound, "", "", nil, nil},
		{"unknown_case_is_404", "case-manager-carla",
			disclosure("d-unknown", "uwv", "uwv", an, "case-nobody", `[{"category":"absence-facts"}]`, ag, "suwi-54-3c"),
			http.StatusNotFound, "", "", nil, nil},
		{"case_of_another_subject_is_404", "physician-dirk",
			disclosure("d-other", "uwv", "uwv", an, "case-bram-consultation", `[{"category":"consultation"}]`, "prevention", "suwi-54-3c"),
			http.StatusNotFound, "", "", nil, nil},
		{"unknown_record_is_404", "case-manager-carla",
			disclosure("d-rec", "uwv", "uwv", an, sick, `[{"category":"absence-facts","record":"rec-nobody"}]`, ag, "suwi-54-3c"),
			http.StatusNotFound, "", "", nil, nil},
		{"record_of_another_case_is_404", "physician-dirk",
			disclosure("d-rec-other", "uwv", "uwv", an, sick, `[{"category":"consultation","record":"rec-visit"}]`, ag, "suwi-54-3c"),
			http.StatusNotFound, "", "", nil, nil},
	}
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			f := b.new(t)
			missing, _ := io.ReadAll(f.do(t, "GET", "/nothing-here", "", "").Body)
			for _, tt := range tests {
				t.Run(tt.name, func(t *testing.T) {
					resp := f.do(t, "POST", "/disclosures", tt.principal, tt.body)
					if resp.StatusCode != tt.status {
						body, _ := io.ReadAll(resp.Body)
						t.Fatalf("status %d, want %d: %s", resp.StatusCode, tt.status, body)
					}
					switch tt.status {
					case http.StatusNotFound:
						body, _ := io.ReadAll(resp.Body)
						if string(body) != string(missing) {
							t.Errorf("404 body %s, want the bare not found %s", body, missing)
						}
						return
					case http.StatusForbidden:
						p := problemOf(t, resp)
						if p.Type != typeRefused || p.Rule != tt.rule || p.Detail == "" {
							t.Errorf("refusal = %+v, want type %s with rule %s and a detail", p, typeRefused, tt.rule)
						}
						return
					}
					var d decisionJSON
					decode(t, resp, &d)
					if !d.Allowed || d.Decision != "allowed" || d.Rule != tt.rule || d.Basis != tt.basis || !slices.Equal(d.Grants, tt.grants) {
						t.Errorf("decision = %+v, want allowed by %s on %s with grants %v", d, tt.rule, tt.basis, tt.grants)
					}
					if d.Reason == "" || d.Policy == "" {
						t.Errorf("decision without reason or policy: %+v", d)
					}
					var got []privacy.RecordID
					for _, r := range d.Records {
						got = append(got, r.ID)
					}
					if !slices.Equal(got, tt.records) {
						t.Errorf("handed over %v, want %v", got, tt.records)
					}
				})
			}
			t.Run("N2_only_the_fields_decided_are_handed_over", func(t *testing.T) {
				resp := f.do(t, "POST", "/disclosures", "physician-dirk",
					disclosure("d-n2-fields", "employer-bakery", "employer", an, sick, `[{"category":"work-capacity","fields":["limitations"]}]`, ag, ""))
				var d decisionJSON
				decode(t, resp, &d)
				if !d.NotifySubject {
					t.Errorf("decision = %+v, want notify_subject (N2)", d)
				}
				if len(d.Records) != 1 || len(d.Records[0].Fields) != 1 || d.Records[0].Fields[privacy.FieldLimitations] == "" {
					t.Errorf("handed over %+v, want only the limitations", d.Records)
				}
			})
			t.Run("reused_ID_is_409_alike_for_own_and_others", func(t *testing.T) {
				body := disclosure("d-twice", "uwv", "uwv", an, sick, `[{"category":"absence-facts"}]`, ag, "suwi-54-3c")
				if resp := f.do(t, "POST", "/disclosures", "case-manager-carla", body); resp.StatusCode != http.StatusCreated {
					t.Fatalf("first: status %d", resp.StatusCode)
				}
				var answers []string
				for _, who := range []string{"case-manager-carla", "physician-dirk"} {
					resp := f.do(t, "POST", "/disclosures", who, body)
					if resp.StatusCode != http.StatusConflict {
						t.Fatalf("reuse by %s: status %d, want 409", who, resp.StatusCode)
					}
					p := problemOf(t, resp)
					if p.Type != typeDisclosureIDUsed || p.Rule != "" {
						t.Errorf("reuse by %s = %+v", who, p)
					}
					b := fmt.Sprintf("%+v", p)
					for _, leak := range []string{"case-manager-carla", "carla", "sqlite", "UNIQUE", "memstore", "exists", "someone"} {
						if strings.Contains(b, leak) {
							t.Errorf("409 tells %q: %s", leak, b)
						}
					}
					answers = append(answers, b)
				}
				if answers[0] != answers[1] {
					t.Errorf("the 409 differs for the caller's own earlier disclosure (%s) and someone else's (%s)", answers[0], answers[1])
				}
			})
			t.Run("G1_logged_disclosures_are_in_the_log", func(t *testing.T) {
				log, err := f.store.SubjectDisclosures(t.Context(), anna)
				if err != nil {
					t.Fatal(err)
				}
				var ids []consent.DisclosureID
				for _, d := range log {
					ids = append(ids, d.ID)
				}
				for _, want := range []consent.DisclosureID{"d-n2", "d-o14", "d-n10", "d-o6"} {
					if !slices.Contains(ids, want) {
						t.Errorf("log %v lacks %s", ids, want)
					}
				}
				for _, never := range []consent.DisclosureID{"d-o9", "d-o14-deny", "d-n5", "d-n6", "d-bert", "d-sam"} {
					if slices.Contains(ids, never) {
						t.Errorf("log %v holds denied %s", ids, never)
					}
				}
			})
		})
	}
}
