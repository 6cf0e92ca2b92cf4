package consent_test

import (
	"testing"

	"github.com/dossierwacht/dossierwacht/consent"
	"github.com/dossierwacht/dossierwacht/privacy"
)

// TestDecideN5BasisPurposes: a legal basis that names purposes allows its
// disclosures for those purposes only. The BSN reaches the company doctor
// for the guidance of a sick employee and the reintegration
// (Arbeidsomstandighedenwet art. 14(1)(b), Regeling procesgang art. 2(1)),
// not for prevention (rule N5).
func TestDecideN5BasisPurposes(t *testing.T) {
	d := decider(t, privacy.Strict())
	doctor := consent.Recipient{Party: "service-arbo", Kind: privacy.PartyService}
	for _, tc := range []struct {
		name    string
		kind    privacy.CaseKind
		purpose privacy.Purpose
		allowed bool
	}{
		{"N5_bsn_to_the_company_doctor_for_absence_guidance_allowed", privacy.CaseAbsence, privacy.PurposeAbsenceGuidance, true},
		{"N5_bsn_to_the_company_doctor_for_reintegration_allowed", privacy.CaseReintegration, privacy.PurposeReintegration, true},
		{"N5_bsn_to_the_company_doctor_for_prevention_denied", privacy.CasePreventive, privacy.PurposePrevention, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			req := onStatute(request(caseManager, doctor, bsn), "arbowet-14")
			req.Purpose = tc.purpose
			// The disclosure comes from a case of that purpose (R5).
			f := facts()
			f.Case.Kind, f.Case.Purpose = tc.kind, tc.purpose
			got := d.Decide(&req, f)
			if got.Allowed != tc.allowed || got.Rule != privacy.N5 {
				t.Fatalf("Decide(%s) = %v, want allowed=%t rule N5", tc.name, got, tc.allowed)
			}
			if !got.Allowed && (got.Basis != "" || got.Reason == "") {
				t.Errorf("Decide(%s) denied with basis %q reason %q", tc.name, got.Basis, got.Reason)
			}
		})
	}
}
