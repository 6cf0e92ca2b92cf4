package main

import (
	"fmt"
	"net/http"
	"slices"
	"testing"

	"github.com/dossierwacht/dossierwacht/consent"
	"github.com/dossierwacht/dossierwacht/privacy"
)

// disclosure builds a request body.
func disclosure(id, recipientParty, recipientKind, cas, items, purpose, basis string) string {
	b := fmt.Sprintf(`{"id":%q,"recipient":{"party":%q,"kind":%q},"subject":"employee-anna","case":%q,"items":%s,"purpose":%q`,
		id, recipientParty, recipientKind, cas, items, purpose)
	if basis != "" {
		b += fmt.Sprintf(`,"basis":%q`, basis)
	}
	if recipientKind == "third-party" {
		// Rule O14: on the third party's written request.
		b += fmt.Sprintf(`,"written_request":"letter-%s"`, id)
	}
	return b + "}"
}

func TestDisclose(t *testing.T) {
	const (
		sick = "case-anna-absence"
		ag   = "absence-guidance"
	)
	tests := []struct {
		name, principal, body string
		status                int
		rule                  privacy.RuleID
		basis                 privacy.BasisKind
		grants                []consent.GrantID
	}{
		{"N2_physician_advice_to_employer", "physician-dirk",
			disclosure("d-n2", "employer-bakery", "employer", sick, `[{"category":"work-capacity","fields":["limitations","capacities"]}]`, ag, ""),
			http.StatusCreated, privacy.N2, privacy.BasisNone, nil},
		{"O14_written_consent_to_coach", "case-manager-carla",
			disclosure("d-o14", "coach-ravi", "third-party", sick, `[{"category":"work-capacity","record":"rec-anna-capacity"}]`, ag, ""),
			http.StatusCreated, privacy.O14, privacy.BasisWrittenConsent, []consent.GrantID{"grant-anna-coach"}},
		{"N10_statute_to_uwv", "case-manager-carla",
			disclosure("d-n10", "uwv", "uwv", sick, `[{"category":"absence-facts"}]`, ag, "suwi-54-3c"),
			http.StatusCreated, privacy.N10, privacy.BasisStatute, nil},
		{"O6_N10_physician_medical_to_uwv_on_statute", "physician-dirk",
			disclosure("d-o6", "uwv", "uwv", sick, `[{"category":"medical","record":"rec-anna-medical"}]`, ag, "suwi-54-3c"),
			http.StatusCreated, privacy.N10, privacy.BasisStatute, nil},
		{"O9_absence_reason_never_leaves", "case-manager-carla",
			disclosure("d-o9", "employer-bakery", "employer", sick, `[{"category":"absence-reason"}]`, ag, ""),
			http.StatusForbidden, privacy.O9, "", nil},
		{"O14_no_consent_for_other_third_party", "case-manager-carla",
			disclosure("d-o14-deny", "someone-else", "third-party", sick, `[{"category":"work-capacity"}]`, ag, ""),
			http.StatusForbidden, privacy.O14, "", nil},
		{"N5_bsn_never_on_consent", "case-manager-carla",
			disclosure("d-n5", "coach-ravi", "third-party", sick, `[{"category":"national-id"}]`, ag, ""),
			http.StatusForbidden, privacy.N5, "", nil},
		{"N6_physician_without_second_factor_may_not_read_medical", "physician-eva",
			disclosure("d-n6", "uwv", "uwv", sick, `[{"category":"medical"}]`, ag, "suwi-54-3c"),
			http.StatusForbidden, privacy.N6, "", nil},
		{"default-deny_employer_contact_does_not_disclose", "hr-bert",
			disclosure("d-r12", "someone-else", "third-party", sick, `[{"category":"identity"}]`, ag, ""),
			http.StatusForbidden, privacy.RuleDefaultDeny, "", nil},
		{"O10_hidden_case_is_404", "hr-bert",
			disclosure("d-o10", "someone-else", "third-party", "case-anna-visit", `[{"category":"consultation"}]`, "prevention", ""),
			http.StatusNotFound, "", "", nil},
		{"R7_unassigned_case_manager_gets_404", "case-manager-carla",
			disclosure("d-r7", "uwv", "uwv", "case-anna-visit", `[{"category":"consultation"}]`, "prevention", "suwi-54-3c"),
			http.StatusNotFound, "", "", nil},
		{"unknown_case_is_404", "case-manager-carla",
			disclosure("d-unknown", "uwv", "uwv", "case-nobody", `[{"category":"absence-facts"}]`, ag, "suwi-54-3c"),
			http.StatusNotFound, "", "", nil},
		{"case_of_another_subject_is_404", "case-manager-carla",
			disclosure("d-other", "uwv", "uwv", "case-bob-absence", `[{"category":"absence-facts"}]`, ag, "suwi-54-3c"),
			http.StatusNotFound, "", "", nil},
		{"unknown_record_is_404", "case-manager-carla",
			disclosure("d-rec", "uwv", "uwv", sick, `[{"category":"absence-facts","record":"rec-nobody"}]`, ag, "suwi-54-3c"),
			http.StatusNotFound, "", "", nil},
		{"record_of_another_case_is_404", "case-manager-carla",
			disclosure("d-rec-other", "uwv", "uwv", sick, `[{"category":"absence-facts","record":"rec-bob-sick-report"}]`, ag, "suwi-54-3c"),
			http.StatusNotFound, "", "", nil},
	}
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			f := b.new(t)
			for _, tt := range tests {
				t.Run(tt.name, func(t *testing.T) {
					resp := f.do(t, "POST", "/disclosures", tt.principal, tt.body)
					if resp.StatusCode != tt.status {
						t.Fatalf("status %d, want %d (%v)", resp.StatusCode, tt.status, errorOrDecision(t, resp))
					}
					switch tt.status {
					case http.StatusNotFound:
						if e := errorOf(t, resp); e.Error != msgNotFound || e.Rule != "" {
							t.Errorf("404 body = %+v, want the bare not found", e)
						}
						return
					case http.StatusForbidden:
						var d decisionJSON
						decode(t, resp, &d)
						if d.Error == "" || d.Rule != tt.rule || d.Allowed {
							t.Errorf("denial = %+v, want error and rule %s", d, tt.rule)
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
				})
			}
			t.Run("N2_notify_subject", func(t *testing.T) {
				resp := f.do(t, "POST", "/disclosures", "physician-dirk",
					disclosure("d-n2-notify", "employer-bakery", "employer", sick, `[{"category":"work-capacity","fields":["limitations"]}]`, ag, ""))
				var d decisionJSON
				decode(t, resp, &d)
				if !d.NotifySubject {
					t.Errorf("decision = %+v, want notify_subject (N2)", d)
				}
			})
			t.Run("retried_ID_is_409", func(t *testing.T) {
				body := disclosure("d-twice", "uwv", "uwv", sick, `[{"category":"absence-facts"}]`, ag, "suwi-54-3c")
				if resp := f.do(t, "POST", "/disclosures", "case-manager-carla", body); resp.StatusCode != http.StatusCreated {
					t.Fatalf("first: status %d", resp.StatusCode)
				}
				resp := f.do(t, "POST", "/disclosures", "case-manager-carla", body)
				if resp.StatusCode != http.StatusConflict {
					t.Fatalf("retry: status %d, want 409", resp.StatusCode)
				}
				errorOf(t, resp)
			})
			t.Run("G1_logged_disclosures_are_in_the_log", func(t *testing.T) {
				log, err := f.deps.Consent.Disclosures(t.Context(), "employee-anna")
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
				for _, never := range []consent.DisclosureID{"d-o9", "d-o14-deny", "d-n5", "d-n6", "d-r12"} {
					if slices.Contains(ids, never) {
						t.Errorf("log %v holds denied %s", ids, never)
					}
				}
			})
		})
	}
}

func errorOrDecision(t testing.TB, resp *http.Response) any {
	var m map[string]any
	decode(t, resp, &m)
	return m
}
