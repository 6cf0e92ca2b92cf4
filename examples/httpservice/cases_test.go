package main

import (
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/dossierwacht/dossierwacht/privacy"
)

// recordsByID indexes a view's records.
func recordsByID(v viewJSON) map[privacy.RecordID]recordJSON {
	m := map[privacy.RecordID]recordJSON{}
	for _, r := range v.Records {
		m[r.ID] = r
	}
	return m
}

func TestViewCase(t *testing.T) {
	type check func(t *testing.T, v viewJSON)
	// has wants the view to show exactly these records.
	has := func(ids ...privacy.RecordID) check {
		return func(t *testing.T, v viewJSON) {
			t.Helper()
			var got []privacy.RecordID
			for _, r := range v.Records {
				got = append(got, r.ID)
			}
			slices.Sort(got)
			slices.Sort(ids)
			if !slices.Equal(got, ids) {
				t.Errorf("records = %v, want %v", got, ids)
			}
		}
	}
	// onlyFields wants no field outside allowed in any record.
	onlyFields := func(allowed ...privacy.Field) check {
		return func(t *testing.T, v viewJSON) {
			t.Helper()
			for _, r := range v.Records {
				for f := range r.Fields {
					if !slices.Contains(allowed, f) {
						t.Errorf("record %s shows field %s, allowed only %v", r.ID, f, allowed)
					}
				}
			}
		}
	}
	rule := func(id privacy.RecordID, want privacy.RuleID) check {
		return func(t *testing.T, v viewJSON) {
			t.Helper()
			if got := recordsByID(v)[id].Rule; got != want {
				t.Errorf("record %s rule = %q, want %q", id, got, want)
			}
		}
	}
	field := func(id privacy.RecordID, f privacy.Field, want string) check {
		return func(t *testing.T, v viewJSON) {
			t.Helper()
			if got := recordsByID(v)[id].Fields[f]; got != want {
				t.Errorf("record %s field %s = %q, want %q", id, f, got, want)
			}
		}
	}
	anna := "/cases/case-anna-absence?purpose=absence-guidance"
	all := []privacy.RecordID{"rec-identity", "rec-sick-report", "rec-reason", "rec-capacity", "rec-plan-note"}
	tests := []struct {
		name, principal, path string
		status                int
		checks                []check
	}{
		{"O9_employer_sees_absence_facts_not_reason", "employer-contact-bert", anna, http.StatusOK, []check{
			has("rec-identity", "rec-sick-report", "rec-capacity"),
			rule("rec-sick-report", privacy.O9), field("rec-sick-report", privacy.FieldWorkAccident, "no"),
		}},
		{"N2_employer_sees_physicians_advice", "employer-contact-bert", anna, http.StatusOK, []check{
			rule("rec-capacity", privacy.N2), field("rec-capacity", privacy.FieldLimitations, "no lifting over 10 kg"),
		}},
		{"O11_insurer_sees_only_the_overview", "insurer-ida", anna, http.StatusOK, []check{
			has("rec-identity", "rec-sick-report"),
			onlyFields(privacy.FieldName, privacy.FieldFirstDay, privacy.FieldRecoveryDate, privacy.FieldIncapacityDegree),
			rule("rec-sick-report", privacy.O11),
		}},
		{"O6_N6_physician_with_second_factor_sees_medical_record", "physician-dirk", anna, http.StatusOK, []check{
			has(append(slices.Clone(all), "rec-medical")...),
			rule("rec-medical", privacy.O6), field("rec-medical", privacy.FieldText, "lumbar strain; physiotherapy advised"),
		}},
		{"N6_physician_without_second_factor_no_medical_record", "physician-femke", anna, http.StatusOK, []check{has(all...)}},
		{"N4_case_manager_bound_to_secrecy_sees_reason_not_medical", "case-manager-carla", anna, http.StatusOK, []check{
			has(all...), rule("rec-reason", privacy.N4),
		}},
		{"R8_support_staff_sees_identity_only", "support-sam", anna, http.StatusOK, []check{
			has("rec-identity"), rule("rec-identity", privacy.R8),
		}},
		{"O13_subject_sees_own_case_medical_through_physician", "employee-anna", "/cases/case-anna-absence", http.StatusOK, []check{
			has(all...), rule("rec-reason", privacy.O13),
		}},
		{"O10_consultation_case_is_404_for_employer", "employer-contact-bert", casePath(bramCase), http.StatusNotFound, nil},
		{"O10_periodic_exam_with_consent_is_shown_to_employer", "employer-contact-bert", casePath(chrisCase), http.StatusOK, []check{
			has("rec-exam"), rule("rec-exam", privacy.O10),
		}},
		{"O11_insurer_never_sees_consultation_case", "insurer-ida", casePath(chrisCase), http.StatusNotFound, nil},
		{"R7_unassigned_case_manager_gets_404", "case-manager-carla", casePath(bramCase), http.StatusNotFound, nil},
		{"R12_administrator_gets_404", "administrator-adam", anna, http.StatusNotFound, nil},
		{"R11_other_subject_gets_404", "employee-bram", "/cases/case-anna-absence", http.StatusNotFound, nil},
		{"R5_other_purpose_gets_404", "employer-contact-bert", "/cases/case-anna-absence?purpose=prevention", http.StatusNotFound, nil},
		{"unknown_case_gets_404", "employer-contact-bert", "/cases/case-nobody?purpose=absence-guidance", http.StatusNotFound, nil},
	}
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			f := b.new(t)
			// The 404 of a case that does not exist: every hidden case
			// must answer exactly like it (O10).
			missing := f.do(t, "GET", "/cases/case-nobody?purpose=absence-guidance", "employer-contact-bert", "")
			missingBody, _ := io.ReadAll(missing.Body)
			for _, tt := range tests {
				t.Run(tt.name, func(t *testing.T) {
					resp := f.do(t, "GET", tt.path, tt.principal, "")
					if resp.StatusCode != tt.status {
						t.Fatalf("GET %s as %s: status %d, want %d", tt.path, tt.principal, resp.StatusCode, tt.status)
					}
					if tt.status == http.StatusNotFound {
						body, _ := io.ReadAll(resp.Body)
						if string(body) != string(missingBody) {
							t.Errorf("hidden case answers %s, a missing one %s: they must not differ", body, missingBody)
						}
						return
					}
					var v viewJSON
					decode(t, resp, &v)
					if v.Policy == "" || v.Case.Rule == "" {
						t.Errorf("view without policy or rule: %+v", v.Case)
					}
					for _, c := range tt.checks {
						c(t, v)
					}
				})
			}
		})
	}
}

// TestViewStatesItsPurpose: every caller but the subject states why it
// asks (rule R5); without a purpose the answer is the same 400 for a case
// that exists, a hidden one and a missing one.
func TestViewStatesItsPurpose(t *testing.T) {
	f := newMemFixture(t)
	var first string
	for _, id := range []privacy.CaseID{annaCase, bramCase, "case-nobody"} {
		resp := f.do(t, "GET", "/cases/"+string(id), "employer-contact-bert", "")
		body, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != http.StatusBadRequest || !strings.Contains(string(body), `"rule":"R5"`) {
			t.Errorf("GET /cases/%s without a purpose: %d %s, want 400 naming R5", id, resp.StatusCode, body)
		}
		if first == "" {
			first = string(body)
		} else if string(body) != first {
			t.Errorf("GET /cases/%s without a purpose answers %s, another case %s", id, body, first)
		}
	}
}

func TestListCases(t *testing.T) {
	tests := []struct {
		name, principal, query string
		want                   []privacy.CaseID
	}{
		{"O10_employer_lists_no_consultation_without_consent", "employer-contact-bert", "", []privacy.CaseID{annaCase, chrisCase, danaCase, evaCase}},
		{"O10_employer_prevention_purpose", "employer-contact-bert", "?purpose=prevention", []privacy.CaseID{chrisCase, danaCase}},
		{"O11_insurer_lists_absence_cases", "insurer-ida", "", []privacy.CaseID{annaCase}},
		{"R7_case_manager_lists_assigned_cases", "case-manager-carla", "", []privacy.CaseID{annaCase}},
		{"O4_physician_lists_assigned_cases", "physician-dirk", "", []privacy.CaseID{annaCase, bramCase, chrisCase}},
		{"R8_support_staff_lists_every_case_without_content", "support-sam", "", []privacy.CaseID{annaCase, bramCase, chrisCase, danaCase, evaCase}},
		{"O13_subject_lists_own_cases", "employee-anna", "", []privacy.CaseID{annaCase}},
		{"R12_administrator_lists_nothing", "administrator-adam", "", []privacy.CaseID{}},
	}
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			f := b.new(t)
			for _, tt := range tests {
				t.Run(tt.name, func(t *testing.T) {
					resp := f.do(t, "GET", "/cases"+tt.query, tt.principal, "")
					if resp.StatusCode != http.StatusOK {
						t.Fatalf("status %d", resp.StatusCode)
					}
					var l listJSON
					decode(t, resp, &l)
					got := []privacy.CaseID{}
					for _, c := range l.Cases {
						got = append(got, c.ID)
						if c.Rule == "" {
							t.Errorf("case %s listed without a rule", c.ID)
						}
					}
					slices.Sort(got)
					if !slices.Equal(got, tt.want) {
						t.Errorf("GET /cases%s as %s = %v, want %v", tt.query, tt.principal, got, tt.want)
					}
				})
			}
		})
	}
}

// TestAudited checks that every request that touches case data leaves
// events in the audit trail (G7, N9), refusals included.
func TestAudited(t *testing.T) {
	requests := []struct {
		name, method, path, principal, body string
	}{
		{"G7_view", "GET", casePath(annaCase), "employer-contact-bert", ""},
		{"G7_hidden_view", "GET", casePath(bramCase), "employer-contact-bert", ""},
		{"G7_missing_view", "GET", "/cases/case-nobody?purpose=prevention", "employer-contact-bert", ""},
		{"G7_listing", "GET", "/cases", "insurer-ida", ""},
		{"G7_export", "GET", "/subjects/employee-anna/export", "employee-anna", ""},
		{"G7_refused_export", "GET", "/subjects/employee-anna/export", "employer-contact-bert", ""},
		{"G7_disclosure", "POST", "/disclosures", "case-manager-carla", validDisclosure},
		{"G7_refused_disclosure", "POST", "/disclosures", "case-manager-carla", strings.Replace(validDisclosure, `"absence-facts"`, `"absence-reason"`, 1)},
	}
	f := newMemFixture(t)
	for _, rq := range requests {
		t.Run(rq.name, func(t *testing.T) {
			before := len(f.events(t))
			resp := f.do(t, rq.method, rq.path, rq.principal, rq.body)
			resp.Body.Close()
			if after := len(f.events(t)); after <= before {
				t.Errorf("%s %s as %s: status %d, audit trail %d → %d events: not audited", rq.method, rq.path, rq.principal, resp.StatusCode, before, after)
			}
		})
	}
}

// TestListAndViewAgree: for every principal, a case is in its listing
// exactly when its view answers 200, and every other case, existing or
// not, answers the same 404 (O10: not even existence leaks).
func TestListAndViewAgree(t *testing.T) {
	f := newMemFixture(t)
	all := []privacy.CaseID{annaCase, bramCase, chrisCase, danaCase, evaCase, "case-nobody"}
	auth, _ := NewDemoAuth(demoPrincipals()...)
	for _, p := range auth.IDs() {
		t.Run(string(p), func(t *testing.T) {
			var l listJSON
			decode(t, f.do(t, "GET", "/cases", string(p), ""), &l)
			listed := map[privacy.CaseID]bool{}
			for _, c := range l.Cases {
				listed[c.ID] = true
			}
			missing, _ := io.ReadAll(f.do(t, "GET", "/cases/case-nobody?purpose=prevention", string(p), "").Body)
			for _, id := range all {
				resp := f.do(t, "GET", casePath(id), string(p), "")
				body, _ := io.ReadAll(resp.Body)
				switch {
				case listed[id] && resp.StatusCode != http.StatusOK:
					t.Errorf("%s listed but its view is %d", id, resp.StatusCode)
				case !listed[id] && (resp.StatusCode != http.StatusNotFound || string(body) != string(missing)):
					t.Errorf("%s not listed but its view is %d %s", id, resp.StatusCode, body)
				}
			}
		})
	}
}

// TestConcurrent runs the endpoints in parallel (under -race): no 5xx,
// and every disclosure ID logged once.
func TestConcurrent(t *testing.T) {
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			f := b.new(t)
			const workers = 8
			errs := make(chan string, workers*32)
			done := make(chan struct{})
			for w := range workers {
				go func() {
					defer func() { done <- struct{}{} }()
					for i := range 4 {
						for _, rq := range []struct{ method, path, who, body string }{
							{"GET", "/cases", "employer-contact-bert", ""},
							{"GET", casePath(annaCase), "physician-dirk", ""},
							{"GET", "/subjects/employee-anna/export", "employee-anna", ""},
							{"GET", "/healthz", "", ""},
							{"POST", "/disclosures", "case-manager-carla", strings.Replace(validDisclosure, `"d-ok"`, fmt.Sprintf(`"d-%d-%d"`, w, i), 1)},
							{"POST", "/disclosures", "case-manager-carla", strings.Replace(validDisclosure, `"d-ok"`, `"d-same"`, 1)},
						} {
							resp := f.do(t, rq.method, rq.path, rq.who, rq.body)
							io.Copy(io.Discard, resp.Body)
							if resp.StatusCode >= 500 || (resp.StatusCode >= 400 && resp.StatusCode != http.StatusConflict) {
								errs <- fmt.Sprintf("%s %s as %s: %d", rq.method, rq.path, rq.who, resp.StatusCode)
							}
						}
					}
				}()
			}
			for range workers {
				<-done
			}
			close(errs)
			for e := range errs {
				t.Error(e)
			}
			log, err := f.store.SubjectDisclosures(t.Context(), anna)
			if err != nil {
				t.Fatal(err)
			}
			if n := len(log); n != workers*4+1 {
				t.Errorf("%d disclosures logged, want %d (each ID once)", n, workers*4+1)
			}
		})
	}
}
