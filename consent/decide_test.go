package consent_test

import (
	"slices"
	"testing"
	"time"

	"github.com/dossierwacht/dossierwacht/access"
	"github.com/dossierwacht/dossierwacht/consent"
	"github.com/dossierwacht/dossierwacht/privacy"
)

func decider(t testing.TB, p *privacy.Policy) *consent.Engine {
	t.Helper()
	d, err := consent.NewEngine(p)
	if err != nil {
		t.Fatalf("NewEngine(%s): %v", p.Name, err)
	}
	return d
}

type decideCase struct {
	name   string
	policy func() *privacy.Policy // nil: Strict
	req    consent.Request
	grants []consent.Grant
	// facts, if set, changes the facts of Anna's absence case (with
	// grants and the insurer covering the bakery) before the decision.
	facts func(*consent.Facts)
	// want
	allowed bool
	rule    privacy.RuleID
	basis   privacy.BasisKind // for allowed decisions
	grantsU []consent.GrantID // for allowed decisions
	notify  bool
	cover   consent.CoverageID // for allowed decisions
}

func revoked(g consent.Grant, at time.Time) consent.Grant     { g.Revoked = at; return g }
func until(g consent.Grant, at time.Time) consent.Grant       { g.Until = at; return g }
func from(g consent.Grant, at time.Time) consent.Grant        { g.From = at; return g }
func forCase(g consent.Grant, c privacy.CaseID) consent.Grant { g.Case = c; return g }
func forPurpose(g consent.Grant, p privacy.Purpose) consent.Grant {
	g.Purpose = p
	return g
}
func withPurpose(r consent.Request, p privacy.Purpose) consent.Request { r.Purpose = p; return r }
func withCase(r consent.Request, c privacy.CaseID) consent.Request     { r.Case = c; return r }
func at(r consent.Request, t time.Time) consent.Request                { r.At = t; return r }

// fromCase returns r from case c, for its purpose.
func fromCase(r consent.Request, c privacy.Case) consent.Request {
	r.Case, r.Purpose = c.ID, c.Purpose
	return r
}

// onCase returns a facts change to case c.
func onCase(c privacy.Case) func(*consent.Facts) { return func(f *consent.Facts) { f.Case = c } }

// covering returns a facts change to the coverage register cs.
func covering(cs ...consent.Coverage) func(*consent.Facts) {
	return func(f *consent.Facts) { f.Coverage = cs }
}

// principal returns p, changed by change, assigned to Anna's cases.
func principal(p *access.Principal, change func(*privacy.Principal)) *access.Principal {
	q := p.Principal
	change(&q)
	return assigned(q)
}

// unassigned returns p assigned to no case.
func unassigned(p *access.Principal) *access.Principal {
	return access.NewPrincipal(p.Principal, nil, nil)
}

var (
	notes       = item(privacy.CategoryNotes)
	workCap     = item(privacy.CategoryWorkCapacity)
	medical     = item(privacy.CategoryMedical)
	reason      = item(privacy.CategoryAbsenceReason)
	bsn         = item(privacy.CategoryNationalID)
	consult     = item(privacy.CategoryConsultation)
	identity    = item(privacy.CategoryIdentity)
	overviewID  = item(privacy.CategoryIdentity, privacy.FieldName)
	overviewAbs = item(privacy.CategoryAbsenceFacts, privacy.FieldFirstDay, privacy.FieldRecoveryDate, privacy.FieldIncapacityDegree)
	kindOnly    = consent.Recipient{Kind: privacy.PartyThirdParty}
	partyOnly   = consent.Recipient{Party: "employer-bakery"}
	hourLater   = t0.Add(time.Hour)
)

var decideCases = []decideCase{
	// R6: no third parties without explicit consent or a statute.
	{name: "R6_employer_without_consent_denied", policy: privacy.RegulationR,
		req: request(caseManager, bakery, notes), rule: privacy.R6},
	{name: "R6_employer_with_explicit_consent_allowed", policy: privacy.RegulationR,
		req: request(caseManager, bakery, notes), grants: []consent.Grant{explicit("g-1", bakery, privacy.CategoryNotes)},
		allowed: true, rule: privacy.R6, basis: privacy.BasisConsent, grantsU: []consent.GrantID{"g-1"}},
	{name: "R6_written_consent_is_explicit_too", policy: privacy.RegulationR,
		req: request(caseManager, bakery, notes), grants: []consent.Grant{written("g-1", bakery, privacy.CategoryNotes)},
		allowed: true, rule: privacy.R6, basis: privacy.BasisConsent, grantsU: []consent.GrantID{"g-1"}},
	{name: "R6_municipality_with_explicit_consent_allowed", policy: privacy.RegulationR,
		req:     request(caseManager, consent.Recipient{Party: "gemeente-utrecht", Kind: privacy.PartyMunicipality}, item(privacy.CategoryEducation)),
		grants:  []consent.Grant{explicit("g-1", consent.Recipient{Kind: privacy.PartyMunicipality}, privacy.CategoryEducation)},
		allowed: true, rule: privacy.R6, basis: privacy.BasisConsent, grantsU: []consent.GrantID{"g-1"}},
	{name: "R6_grant_for_another_party_denied", policy: privacy.RegulationR,
		req: request(caseManager, bakery, notes), grants: []consent.Grant{explicit("g-1", otherEmployer, privacy.CategoryNotes)},
		rule: privacy.R6},
	{name: "R6_grant_naming_party_only_covers_it", policy: privacy.RegulationR,
		req: request(caseManager, bakery, notes), grants: []consent.Grant{explicit("g-1", partyOnly, privacy.CategoryNotes)},
		allowed: true, rule: privacy.R6, basis: privacy.BasisConsent, grantsU: []consent.GrantID{"g-1"}},
	{name: "R6_grant_naming_kind_covers_every_party_of_it", policy: privacy.RegulationR,
		req: request(caseManager, lawyer, notes), grants: []consent.Grant{explicit("g-1", kindOnly, privacy.CategoryNotes)},
		allowed: true, rule: privacy.R6, basis: privacy.BasisConsent, grantsU: []consent.GrantID{"g-1"}},
	{name: "R6_grant_naming_kind_does_not_cover_other_kinds", policy: privacy.RegulationR,
		req: request(caseManager, bakery, notes), grants: []consent.Grant{explicit("g-1", kindOnly, privacy.CategoryNotes)},
		rule: privacy.R6},
	{name: "R6_grant_for_another_purpose_denied", policy: privacy.RegulationR,
		req:    request(caseManager, bakery, notes),
		grants: []consent.Grant{forPurpose(explicit("g-1", bakery, privacy.CategoryNotes), privacy.PurposeReintegration)},
		rule:   privacy.R6},
	{name: "R6_grant_for_another_case_denied", policy: privacy.RegulationR,
		req:    request(caseManager, bakery, notes),
		grants: []consent.Grant{forCase(explicit("g-1", bakery, privacy.CategoryNotes), "case-anna-other")},
		rule:   privacy.R6},
	{name: "R6_grant_for_this_case_allowed", policy: privacy.RegulationR,
		req:     request(caseManager, bakery, notes),
		grants:  []consent.Grant{forCase(explicit("g-1", bakery, privacy.CategoryNotes), annaAbs)},
		allowed: true, rule: privacy.R6, basis: privacy.BasisConsent, grantsU: []consent.GrantID{"g-1"}},
	{name: "R6_grant_not_naming_the_category_denied", policy: privacy.RegulationR,
		req: request(caseManager, bakery, notes), grants: []consent.Grant{explicit("g-1", bakery, privacy.CategoryContact)},
		rule: privacy.R6},
	{name: "R6_every_item_needs_a_grant", policy: privacy.RegulationR,
		req: request(caseManager, bakery, notes, identity), grants: []consent.Grant{explicit("g-1", bakery, privacy.CategoryNotes)},
		rule: privacy.R6},
	{name: "R6_two_grants_cover_two_items", policy: privacy.RegulationR,
		req: request(caseManager, bakery, notes, identity),
		grants: []consent.Grant{explicit("g-1", bakery, privacy.CategoryNotes), explicit("g-2", bakery, privacy.CategoryIdentity),
			explicit("g-3", bakery, privacy.CategoryNotes)},
		allowed: true, rule: privacy.R6, basis: privacy.BasisConsent, grantsU: []consent.GrantID{"g-1", "g-2"}},
	{name: "R6_expired_grant_denied", policy: privacy.RegulationR,
		req: request(caseManager, bakery, notes), grants: []consent.Grant{until(explicit("g-1", bakery, privacy.CategoryNotes), hourLater)},
		rule: privacy.R6},
	{name: "R6_grant_not_yet_in_force_denied", policy: privacy.RegulationR,
		req:    request(caseManager, bakery, notes),
		grants: []consent.Grant{from(explicit("g-1", bakery, privacy.CategoryNotes), hourLater.Add(time.Second))},
		rule:   privacy.R6},
	{name: "R6_revoked_grant_denied_from_the_revocation_on", policy: privacy.RegulationR,
		req: request(caseManager, bakery, notes), grants: []consent.Grant{revoked(explicit("g-1", bakery, privacy.CategoryNotes), hourLater)},
		rule: privacy.R6},
	{name: "R6_disclosure_dated_before_a_recorded_revocation_denied",
		req:    request(caseManager, bakery, notes),
		grants: []consent.Grant{revoked(written("g-1", bakery, privacy.CategoryNotes), hourLater.Add(time.Microsecond))},
		rule:   privacy.R6},
	{name: "R6_disclosure_dated_before_a_recorded_revocation_denied_under_regulation_R", policy: privacy.RegulationR,
		req:    request(caseManager, bakery, notes),
		grants: []consent.Grant{revoked(explicit("g-1", bakery, privacy.CategoryNotes), hourLater.Add(time.Microsecond))},
		rule:   privacy.R6},
	{name: "R6_backdated_disclosure_denied_whatever_it_rests_on",
		req: request(physician, bakery, workCap),
		grants: []consent.Grant{revoked(written("g-1", lawyer, privacy.CategoryNotes), hourLater.Add(time.Hour)),
			written("g-2", bakery, privacy.CategoryWorkCapacity)},
		rule: privacy.R6},
	{name: "R6_backdated_statutory_disclosure_denied",
		req:    onStatute(request(caseManager, uwv, identity), "suwi-54-3c"),
		grants: []consent.Grant{revoked(written("g-1", lawyer, privacy.CategoryNotes), hourLater.Add(time.Hour))},
		rule:   privacy.R6},
	{name: "R6_revocation_of_another_subject_ignored",
		req: request(physician, bakery, workCap),
		grants: []consent.Grant{func() consent.Grant {
			g := revoked(written("g-1", lawyer, privacy.CategoryNotes), hourLater.Add(time.Hour))
			g.Subject = "employee-bob"
			return g
		}()},
		allowed: true, rule: privacy.N2, basis: privacy.BasisNone, notify: true},
	{name: "R6_disclosure_after_a_recorded_revocation_allowed_on_another_basis",
		req:     at(request(physician, bakery, workCap), hourLater.Add(2*time.Hour)),
		grants:  []consent.Grant{revoked(written("g-1", lawyer, privacy.CategoryNotes), hourLater.Add(time.Hour))},
		allowed: true, rule: privacy.N2, basis: privacy.BasisNone, notify: true},
	{name: "R6_grant_of_another_subject_ignored", policy: privacy.RegulationR,
		req: request(caseManager, bakery, notes), grants: []consent.Grant{func() consent.Grant {
			g := explicit("g-1", bakery, privacy.CategoryNotes)
			g.Subject = "employee-bob"
			return g
		}()},
		rule: privacy.R6},
	{name: "R6_statute_needs_no_consent", policy: privacy.RegulationR,
		req:     onStatute(request(caseManager, uwv, identity, workCap), "suwi-54-3c"),
		allowed: true, rule: privacy.N10, basis: privacy.BasisStatute},
	{name: "R6_unknown_statute_denied", policy: privacy.RegulationR,
		req: onStatute(request(caseManager, uwv, identity), "wet-onbekend"), rule: privacy.RuleDefaultDeny},
	{name: "R6_court_without_rule_denied_by_default", policy: privacy.RegulationR,
		req: request(caseManager, court, notes), grants: []consent.Grant{explicit("g-1", court, privacy.CategoryNotes)},
		rule: privacy.RuleDefaultDeny},

	// O14: to third parties only with written consent, unless a statute.
	{name: "O14_explicit_consent_is_not_written_denied",
		req: request(caseManager, bakery, notes), grants: []consent.Grant{explicit("g-1", bakery, privacy.CategoryNotes)},
		rule: privacy.O14},
	{name: "O14_written_consent_allowed",
		req: request(caseManager, bakery, notes), grants: []consent.Grant{written("g-1", bakery, privacy.CategoryNotes)},
		allowed: true, rule: privacy.O14, basis: privacy.BasisWrittenConsent, grantsU: []consent.GrantID{"g-1"}},
	{name: "O14_third_party_written_consent_allowed",
		req: request(caseManager, lawyer, notes, identity), grants: []consent.Grant{written("g-1", lawyer, privacy.CategoryNotes, privacy.CategoryIdentity)},
		allowed: true, rule: privacy.O14, basis: privacy.BasisWrittenConsent, grantsU: []consent.GrantID{"g-1"}},
	{name: "O14_written_grant_without_document_denied",
		req: request(caseManager, bakery, notes), grants: []consent.Grant{func() consent.Grant {
			g := written("g-1", bakery, privacy.CategoryNotes)
			g.Document = ""
			return g
		}()},
		rule: privacy.O14},
	{name: "O14_without_consent_denied",
		req: request(caseManager, lawyer, notes), rule: privacy.O14},
	{name: "O14_third_party_without_its_written_request_denied",
		req: func() consent.Request {
			r := request(caseManager, lawyer, notes)
			r.WrittenRequest = ""
			return r
		}(),
		grants: []consent.Grant{written("g-1", lawyer, privacy.CategoryNotes)},
		rule:   privacy.O14},
	{name: "O14_medical_to_a_third_party_without_its_written_request_denied",
		req: func() consent.Request {
			r := request(physician, lawyer, medical)
			r.WrittenRequest = ""
			return r
		}(),
		grants: []consent.Grant{written("g-1", lawyer, privacy.CategoryMedical)},
		rule:   privacy.O14},
	// O14, and the ready policies' own words: "to the employer beyond the
	// statutory minimum only on written request and written consent".
	{name: "O14_employer_without_its_written_request_denied",
		req:    noWrittenRequest(request(caseManager, bakery, notes)),
		grants: []consent.Grant{written("g-1", bakery, privacy.CategoryNotes)},
		rule:   privacy.O14},
	{name: "O14_employer_beyond_N2_without_its_written_request_denied",
		req:    noWrittenRequest(request(physician, bakery, workCap, notes)),
		grants: []consent.Grant{written("g-1", bakery, privacy.CategoryNotes)},
		rule:   privacy.O14},
	{name: "O14_O10_employer_approval_of_a_consultation_without_its_written_request_denied",
		req: noWrittenRequest(fromCase(request(physician, bakery, consult), annaVisitCase)),
		grants: []consent.Grant{forCase(forPurpose(written("g-1", bakery, privacy.CategoryConsultation),
			privacy.PurposePrevention), annaVisit)},
		facts: onCase(annaVisitCase), rule: privacy.O14},
	{name: "O14_N2_statutory_advice_to_the_employer_needs_no_written_request",
		req:     noWrittenRequest(request(physician, bakery, workCap)),
		allowed: true, rule: privacy.N2, basis: privacy.BasisNone, notify: true},
	{name: "O14_O11_insurer_overview_needs_no_written_request",
		req:     noWrittenRequest(request(caseManager, insurer, overviewID, overviewAbs)),
		allowed: true, rule: privacy.O11, basis: privacy.BasisNone, cover: insurerCoversBakery.ID},
	{name: "O14_regulation_R_employer_asks_no_written_request", policy: privacy.RegulationR,
		req:     noWrittenRequest(request(caseManager, bakery, notes)),
		grants:  []consent.Grant{explicit("g-1", bakery, privacy.CategoryNotes)},
		allowed: true, rule: privacy.R6, basis: privacy.BasisConsent, grantsU: []consent.GrantID{"g-1"}},
	{name: "O14_statute_needs_no_written_request",
		req:     onStatute(request(caseManager, reintegrator, identity), "bw-7-658a-5"),
		allowed: true, rule: privacy.N10, basis: privacy.BasisStatute},
	{name: "O14_regulation_R_asks_no_written_request", policy: privacy.RegulationR,
		req: func() consent.Request {
			r := request(caseManager, lawyer, notes)
			r.WrittenRequest = ""
			return r
		}(),
		grants:  []consent.Grant{explicit("g-1", lawyer, privacy.CategoryNotes)},
		allowed: true, rule: privacy.R6, basis: privacy.BasisConsent, grantsU: []consent.GrantID{"g-1"}},
	{name: "O14_regulation_O_written_consent_allowed", policy: privacy.RegulationO,
		req: request(caseManager, bakery, notes), grants: []consent.Grant{written("g-1", bakery, privacy.CategoryNotes)},
		allowed: true, rule: privacy.O14, basis: privacy.BasisWrittenConsent, grantsU: []consent.GrantID{"g-1"}},

	// O6: medical data only with written consent naming it, and only from
	// a physician.
	{name: "O6_written_grant_naming_medical_allowed",
		req: request(physician, lawyer, medical), grants: []consent.Grant{written("g-1", lawyer, privacy.CategoryMedical)},
		allowed: true, rule: privacy.O6, basis: privacy.BasisWrittenConsent, grantsU: []consent.GrantID{"g-1"}},
	{name: "O6_written_grant_not_naming_medical_denied",
		req: request(physician, lawyer, medical), grants: []consent.Grant{written("g-1", lawyer, privacy.CategoryNotes)},
		rule: privacy.O6},
	{name: "O6_explicit_grant_naming_medical_denied",
		req: request(physician, lawyer, medical), grants: []consent.Grant{explicit("g-1", lawyer, privacy.CategoryMedical)},
		rule: privacy.O6},
	{name: "O6_case_manager_never_discloses_medical",
		req: request(caseManager, lawyer, medical), grants: []consent.Grant{written("g-1", lawyer, privacy.CategoryMedical)},
		rule: privacy.O6},
	{name: "O6_medical_to_employer_denied_even_with_written_grant",
		req: request(physician, bakery, medical), grants: []consent.Grant{written("g-1", bakery, privacy.CategoryMedical)},
		rule: privacy.O6},
	{name: "O6_regulation_R_has_no_medical_disclosure", policy: privacy.RegulationR,
		req: request(physician, lawyer, medical), grants: []consent.Grant{written("g-1", lawyer, privacy.CategoryMedical)},
		rule: privacy.O6},
	{name: "O6_medical_to_uwv_on_statute_allowed",
		req:     onStatute(request(physician, uwv, medical), "suwi-54-3c"),
		allowed: true, rule: privacy.N10, basis: privacy.BasisStatute},
	{name: "O6_medical_on_statute_still_only_from_a_physician",
		req: onStatute(request(caseManager, uwv, medical), "suwi-54-3c"), rule: privacy.O6},

	// O9: the absence reason never leaves.
	{name: "O9_absence_reason_never_on_consent",
		req: request(caseManager, bakery, reason), grants: []consent.Grant{written("g-1", bakery, privacy.CategoryAbsenceReason)},
		rule: privacy.O9},
	{name: "O9_absence_reason_never_on_statute",
		req: onStatute(request(physician, uwv, reason), "suwi-54-3c"), rule: privacy.O9},
	{name: "O9_absence_reason_never_to_the_insurer",
		req: request(caseManager, insurer, reason), rule: privacy.O9},
	{name: "O9_absence_reason_never_by_regulation_R", policy: privacy.RegulationR,
		req: request(caseManager, lawyer, notes, reason), grants: []consent.Grant{explicit("g-1", lawyer, privacy.CategoryNotes, privacy.CategoryAbsenceReason)},
		rule: privacy.O9},

	// O10: the employer learns of consultation-hour visits only with
	// approval.
	{name: "O10_consultation_to_employer_without_grant_denied",
		req: request(physician, bakery, consult), rule: privacy.O10},
	{name: "O10_consultation_to_employer_with_written_grant_allowed",
		req: request(physician, bakery, consult), grants: []consent.Grant{written("g-1", bakery, privacy.CategoryConsultation)},
		allowed: true, rule: privacy.O10, basis: privacy.BasisWrittenConsent, grantsU: []consent.GrantID{"g-1"}},
	{name: "O10_explicit_grant_is_not_approval_in_writing",
		req: request(physician, bakery, consult), grants: []consent.Grant{explicit("g-1", bakery, privacy.CategoryConsultation)},
		rule: privacy.O10},
	{name: "O10_grant_for_notes_does_not_reveal_consultations",
		req: request(physician, bakery, consult), grants: []consent.Grant{written("g-1", bakery, privacy.CategoryNotes)},
		rule: privacy.O10},
	{name: "O10_N2_advice_from_a_consultation_case_denied",
		req: fromCase(request(physician, bakery, workCap), annaVisitCase), facts: onCase(annaVisitCase), rule: privacy.O10},
	{name: "O10_N2_advice_from_a_periodic_exam_denied",
		req: fromCase(request(physician, bakery, workCap), annaExamCase), facts: onCase(annaExamCase), rule: privacy.O10},
	{name: "O10_nothing_of_a_consultation_case_on_a_grant_for_its_content",
		req:    fromCase(request(caseManager, bakery, notes), annaVisitCase),
		grants: []consent.Grant{forPurpose(written("g-1", bakery, privacy.CategoryNotes), privacy.PurposePrevention)},
		facts:  onCase(annaVisitCase), rule: privacy.O10},
	{name: "O10_N2_advice_from_a_consultation_case_with_written_approval_allowed",
		req: fromCase(request(physician, bakery, workCap), annaVisitCase),
		grants: []consent.Grant{forCase(forPurpose(written("g-1", bakery, privacy.CategoryConsultation),
			privacy.PurposePrevention), annaVisit)},
		facts:   onCase(annaVisitCase),
		allowed: true, rule: privacy.N2, basis: privacy.BasisNone, notify: true},
	{name: "O10_approval_for_another_case_does_not_count",
		req: fromCase(request(physician, bakery, workCap), annaVisitCase),
		grants: []consent.Grant{forCase(forPurpose(written("g-1", bakery, privacy.CategoryConsultation),
			privacy.PurposePrevention), annaExam)},
		facts: onCase(annaVisitCase), rule: privacy.O10},
	{name: "O10_consultation_case_to_a_third_party_is_not_the_employer",
		req:     fromCase(request(physician, lawyer, notes), annaVisitCase),
		grants:  []consent.Grant{forPurpose(written("g-1", lawyer, privacy.CategoryNotes), privacy.PurposePrevention)},
		facts:   onCase(annaVisitCase),
		allowed: true, rule: privacy.O14, basis: privacy.BasisWrittenConsent, grantsU: []consent.GrantID{"g-1"}},
	{name: "O10_regulation_R_never_tells_the_employer", policy: privacy.RegulationR,
		req: request(physician, bakery, consult), grants: []consent.Grant{written("g-1", bakery, privacy.CategoryConsultation)},
		rule: privacy.O10},

	// O11: the insurer's overview needs no consent, and is no more.
	{name: "O11_insurer_overview_without_consent_allowed",
		req:     request(caseManager, insurer, overviewID, overviewAbs),
		allowed: true, rule: privacy.O11, basis: privacy.BasisNone, cover: insurerCoversBakery.ID},
	{name: "O11_no_overview_of_a_consultation_hour_visit",
		req:   fromCase(request(caseManager, insurer, overviewID, overviewAbs), annaVisitCase),
		facts: onCase(annaVisitCase), rule: privacy.O11},
	{name: "O11_no_overview_of_a_periodic_examination",
		req:   fromCase(request(caseManager, insurer, overviewID, overviewAbs), annaExamCase),
		facts: onCase(annaExamCase), rule: privacy.O11},
	{name: "O10_no_statute_carries_a_consultation_hour_visit_out",
		req:   fromCase(onStatute(request(physician, uwv, notes), "suwi-54-3c"), annaVisitCase),
		facts: onCase(annaVisitCase), rule: privacy.N10},
	{name: "N10_the_employee_text_to_another_subject_denied",
		req:  onStatute(request(caseManager, consent.Recipient{Party: "employee-bob", Kind: privacy.PartySubject}, notes), "procesgang-4-3"),
		rule: privacy.N10},
	{name: "N10_the_employee_text_to_the_employee_allowed",
		req:     onStatute(request(caseManager, consent.Recipient{Party: privacy.PartyID(anna), Kind: privacy.PartySubject}, notes), "procesgang-4-3"),
		allowed: true, rule: privacy.N10, basis: privacy.BasisStatute},
	{name: "O11_no_coverage_recorded_denied",
		req: request(caseManager, insurer, overviewID, overviewAbs), facts: covering(), rule: privacy.O11},
	{name: "O11_insurer_not_covering_the_case_employer_denied",
		req: request(caseManager, insurer, overviewID, overviewAbs),
		facts: covering(consent.Coverage{ID: "cover-butcher", Insurer: "insurer-verzuim", Employer: "employer-butcher",
			From: t0.AddDate(-1, 0, 0)}),
		rule: privacy.O11},
	{name: "O11_another_insurer_covering_the_employer_denied",
		req: request(caseManager, insurer, overviewID, overviewAbs),
		facts: covering(consent.Coverage{ID: "cover-other", Insurer: "insurer-other", Employer: "employer-bakery",
			From: t0.AddDate(-1, 0, 0)}),
		rule: privacy.O11},
	{name: "O11_coverage_ended_denied",
		req: request(caseManager, insurer, overviewID, overviewAbs),
		facts: covering(consent.Coverage{ID: "cover-ended", Insurer: "insurer-verzuim", Employer: "employer-bakery",
			From: t0.AddDate(-1, 0, 0), Until: t0}),
		rule: privacy.O11},
	{name: "O11_coverage_not_yet_started_denied",
		req: request(caseManager, insurer, overviewID, overviewAbs),
		facts: covering(consent.Coverage{ID: "cover-later", Insurer: "insurer-verzuim", Employer: "employer-bakery",
			From: t0.AddDate(0, 1, 0)}),
		rule: privacy.O11},
	{name: "O11_case_of_a_municipality_has_no_employer_to_cover",
		req: request(caseManager, insurer, overviewID, overviewAbs),
		facts: func(f *consent.Facts) {
			f.Case.Contract = privacy.Contract{ID: "contract-utrecht", Party: "employer-bakery", PartyKind: privacy.PartyMunicipality,
				Start: t0.AddDate(-1, 0, 0)}
		},
		rule: privacy.O11},
	{name: "O11_insurer_address_beyond_overview_denied",
		req: request(caseManager, insurer, item(privacy.CategoryIdentity, privacy.FieldName, privacy.FieldAddress)), rule: privacy.O11},
	{name: "O11_insurer_build_up_beyond_overview_denied",
		req: request(caseManager, insurer, item(privacy.CategoryAbsenceFacts, privacy.FieldBuildUp)), rule: privacy.O11},
	{name: "O11_insurer_wages_beyond_overview_denied_even_with_grant",
		req: request(caseManager, insurer, item(privacy.CategoryEmployment, privacy.FieldWages)), grants: []consent.Grant{written("g-1", insurer, privacy.CategoryEmployment)},
		rule: privacy.RuleDefaultDeny},

	// N2: without consent the physician tells the employer four things,
	// and the employee the same.
	{name: "N2_physician_advice_without_consent_allowed_and_told_to_the_employee",
		req:     request(physician, bakery, workCap),
		allowed: true, rule: privacy.N2, basis: privacy.BasisNone, notify: true},
	{name: "N2_some_of_the_four_items_allowed",
		req:     request(physician, bakery, item(privacy.CategoryWorkCapacity, privacy.FieldLimitations, privacy.FieldAdjustments)),
		allowed: true, rule: privacy.N2, basis: privacy.BasisNone, notify: true},
	{name: "N2_preferred_over_a_grant",
		req: request(physician, bakery, workCap), grants: []consent.Grant{written("g-1", bakery, privacy.CategoryWorkCapacity)},
		allowed: true, rule: privacy.N2, basis: privacy.BasisNone, notify: true},
	{name: "N2_only_the_physician_speaks_without_consent",
		req: request(caseManager, bakery, workCap), rule: privacy.O14},
	{name: "N2_physician_beyond_the_four_items_needs_written_consent",
		req: request(physician, bakery, workCap, notes), rule: privacy.O14},
	{name: "N2_physician_beyond_with_written_consent_allowed",
		req: request(physician, bakery, workCap, notes), grants: []consent.Grant{written("g-1", bakery, privacy.CategoryNotes)},
		allowed: true, rule: privacy.O14, basis: privacy.BasisWrittenConsent, grantsU: []consent.GrantID{"g-1"}, notify: true},
	{name: "N2_not_the_commissioner",
		req: request(physician, otherEmployer, workCap), rule: privacy.N2},
	{name: "N2_not_the_commissioner_on_its_written_consent_allowed",
		req: request(physician, otherEmployer, workCap), grants: []consent.Grant{written("g-1", otherEmployer, privacy.CategoryWorkCapacity)},
		allowed: true, rule: privacy.O14, basis: privacy.BasisWrittenConsent, grantsU: []consent.GrantID{"g-1"}},
	{name: "N2_case_of_a_municipality_has_no_employer_to_advise",
		req: request(physician, bakery, workCap),
		facts: func(f *consent.Facts) {
			f.Case.Contract = privacy.Contract{ID: "contract-utrecht", Party: "municipality-utrecht", PartyKind: privacy.PartyMunicipality,
				Start: t0.AddDate(-1, 0, 0)}
		},
		rule: privacy.N2},
	{name: "N2_physician_never_tells_the_employer_statements",
		req: request(physician, bakery, item(privacy.CategoryStatements)), rule: privacy.RuleDefaultDeny},

	// N3: the most an insurer may receive, consent or not.
	{name: "N3_insurer_within_the_list_with_consent_allowed", policy: privacy.RegulationR,
		req: request(caseManager, insurer, item(privacy.CategoryIdentity, privacy.FieldName, privacy.FieldAddress),
			item(privacy.CategoryEmployment, privacy.FieldWages), item(privacy.CategoryAbsenceFacts, privacy.FieldFirstDay, privacy.FieldBuildUp)),
		grants:  []consent.Grant{explicit("g-1", insurer, privacy.CategoryIdentity, privacy.CategoryEmployment, privacy.CategoryAbsenceFacts)},
		allowed: true, rule: privacy.N3, basis: privacy.BasisConsent, grantsU: []consent.GrantID{"g-1"}},
	{name: "N3_insurer_within_the_list_without_consent_denied", policy: privacy.RegulationR,
		req: request(caseManager, insurer, item(privacy.CategoryEmployment, privacy.FieldWages)), rule: privacy.N3},
	{name: "N3_insurer_never_gets_work_capacity_even_with_consent", policy: privacy.RegulationR,
		req: request(caseManager, insurer, workCap), grants: []consent.Grant{explicit("g-1", insurer, privacy.CategoryWorkCapacity)},
		rule: privacy.N3},
	{name: "N3_insurer_never_gets_expert_reports", policy: privacy.RegulationR,
		req: request(caseManager, insurer, item(privacy.CategoryExpertReport)), grants: []consent.Grant{explicit("g-1", insurer, privacy.CategoryExpertReport)},
		rule: privacy.N3},
	{name: "N3_insurer_never_gets_the_gender", policy: privacy.RegulationR,
		req: request(caseManager, insurer, item(privacy.CategoryIdentity, privacy.FieldGender)), grants: []consent.Grant{explicit("g-1", insurer, privacy.CategoryIdentity)},
		rule: privacy.N3},
	{name: "N3_insurer_never_gets_the_whole_identity_category", policy: privacy.RegulationR,
		req: request(caseManager, insurer, identity), grants: []consent.Grant{explicit("g-1", insurer, privacy.CategoryIdentity)},
		rule: privacy.N3},
	{name: "N3_insurer_never_gets_medical_data",
		req: request(physician, insurer, medical), grants: []consent.Grant{written("g-1", insurer, privacy.CategoryMedical)},
		rule: privacy.N3},
	{name: "N3_insurer_never_gets_sick_report_details_even_on_overview",
		req: request(caseManager, insurer, item(privacy.CategoryAbsenceFacts, privacy.FieldWorkAccident)), rule: privacy.N3},

	// N5: the BSN only on a statute.
	{name: "N5_bsn_never_on_consent",
		req: request(caseManager, reintegrator, bsn), grants: []consent.Grant{written("g-1", reintegrator, privacy.CategoryNationalID)},
		rule: privacy.N5},
	{name: "N5_bsn_never_on_consent_under_regulation_R", policy: privacy.RegulationR,
		req: request(caseManager, bakery, bsn), grants: []consent.Grant{explicit("g-1", bakery, privacy.CategoryNationalID)},
		rule: privacy.N5},
	{name: "N5_bsn_to_uwv_on_suwi_73_4_allowed",
		req:     onStatute(request(caseManager, uwv, bsn), "suwi-73-4"),
		allowed: true, rule: privacy.N5, basis: privacy.BasisStatute},
	{name: "N5_bsn_to_reintegration_company_on_bw_7_658a_allowed",
		req:     onStatute(request(caseManager, reintegrator, bsn, identity), "bw-7-658a-5"),
		allowed: true, rule: privacy.N10, basis: privacy.BasisStatute},
	{name: "N5_bsn_on_a_statute_that_does_not_cover_it_denied",
		req: onStatute(request(caseManager, uwv, bsn), "suwi-54-3c"), rule: privacy.N10},
	{name: "N5_bsn_to_the_employer_on_arbowet_14_denied",
		req: onStatute(request(caseManager, bakery, bsn), "arbowet-14"), rule: privacy.N5},

	// N10: statutory recipients get exactly what their statute allows.
	{name: "N10_uwv_gets_medical_and_work_capacity_on_suwi_54_3c",
		req:     onStatute(request(physician, uwv, medical, workCap, item(privacy.CategoryExpertReport)), "suwi-54-3c"),
		allowed: true, rule: privacy.N10, basis: privacy.BasisStatute},
	{name: "N10_uwv_statute_does_not_reach_the_reintegration_company",
		req: onStatute(request(caseManager, reintegrator, identity), "suwi-54-3c"), rule: privacy.N10},
	{name: "N10_reintegration_company_gets_no_medical_data",
		req: onStatute(request(physician, reintegrator, medical), "bw-7-658a-5"), rule: privacy.N10},
	{name: "N10_reintegration_company_gets_no_expert_report",
		req: onStatute(request(caseManager, reintegrator, item(privacy.CategoryExpertReport)), "bw-7-658a-5"), rule: privacy.N10},
	{name: "N10_plan_of_action_to_the_employee_allowed",
		req:     onStatute(request(caseManager, annaParty, notes, workCap), "procesgang-4-3"),
		allowed: true, rule: privacy.N10, basis: privacy.BasisStatute},
	{name: "N10_plan_of_action_statute_does_not_reach_the_employer",
		req: onStatute(request(caseManager, bakery, notes), "procesgang-4-3"), rule: privacy.N10},
	{name: "N10_statute_does_not_reach_the_insurer",
		req: onStatute(request(caseManager, insurer, overviewID), "suwi-54-3c"), rule: privacy.N10},

	// Who discloses, for what: R12, R5, default deny.
	{name: "R12_administrator_never_discloses",
		req: request(admin, bakery, notes), grants: []consent.Grant{written("g-1", bakery, privacy.CategoryNotes)},
		rule: privacy.R12},
	{name: "default_deny_only_staff_disclose",
		req: request(employerBert, lawyer, notes), grants: []consent.Grant{written("g-1", lawyer, privacy.CategoryNotes)},
		rule: privacy.RuleDefaultDeny},
	{name: "R5_purpose_outside_the_policy_denied",
		req:    withPurpose(request(caseManager, bakery, notes), "marketing"),
		grants: []consent.Grant{forPurpose(written("g-1", bakery, privacy.CategoryNotes), "marketing")},
		rule:   privacy.R5},
	{name: "default_deny_malformed_request",
		req: consent.Request{}, rule: privacy.RuleDefaultDeny},
	{name: "default_deny_request_without_a_case",
		req: withCase(request(caseManager, bakery, notes), ""), grants: []consent.Grant{written("g-1", bakery, privacy.CategoryNotes)},
		rule: privacy.RuleDefaultDeny},
	{name: "default_deny_facts_of_another_case",
		req: withCase(request(caseManager, bakery, notes), "case-anna-other"), grants: []consent.Grant{written("g-1", bakery, privacy.CategoryNotes)},
		rule: privacy.RuleDefaultDeny},
	{name: "default_deny_facts_of_another_subject",
		req: request(caseManager, bakery, notes), grants: []consent.Grant{written("g-1", bakery, privacy.CategoryNotes)},
		facts: func(f *consent.Facts) { f.Case.Subject = "employee-bob" }, rule: privacy.RuleDefaultDeny},

	// R5, O2: the case's purpose and contract decide.
	{name: "R5_notes_of_an_absence_case_for_prevention_denied",
		req:    withPurpose(request(caseManager, lawyer, notes), privacy.PurposePrevention),
		grants: []consent.Grant{forPurpose(written("g-1", lawyer, privacy.CategoryNotes), privacy.PurposePrevention)},
		rule:   privacy.R5},
	{name: "R5_advice_for_another_purpose_denied",
		req: withPurpose(request(physician, bakery, workCap), privacy.PurposeReintegration), rule: privacy.R5},
	{name: "O2_a_year_after_the_contract_ended_denied",
		req:    at(request(caseManager, lawyer, notes), t0.AddDate(1, 0, 0)),
		grants: []consent.Grant{written("g-1", lawyer, privacy.CategoryNotes)},
		facts:  func(f *consent.Facts) { f.Case.Contract.End = t0.Add(-time.Hour) },
		rule:   privacy.O2},
	{name: "O2_advice_after_the_contract_ended_denied",
		req: request(physician, bakery, workCap), facts: func(f *consent.Facts) { f.Case.Contract.End = t0 }, rule: privacy.O2},
	{name: "O2_before_the_contract_started_denied",
		req: at(request(physician, bakery, workCap), t0.AddDate(-2, 0, 0)), rule: privacy.O2},

	// The discloser passes on only what it may read itself: R7, O4, R8,
	// O6, G8, N4, N6, O7.
	{name: "R7_unassigned_case_manager_denied",
		req: request(unassigned(caseManager), lawyer, notes), grants: []consent.Grant{written("g-1", lawyer, privacy.CategoryNotes)},
		rule: privacy.R7},
	{name: "O4_unassigned_case_manager_denied_under_regulation_O", policy: privacy.RegulationO,
		req: request(unassigned(caseManager), lawyer, notes), grants: []consent.Grant{written("g-1", lawyer, privacy.CategoryNotes)},
		rule: privacy.O4},
	{name: "R7_unassigned_case_manager_no_overview_for_the_insurer",
		req: request(unassigned(caseManager), insurer, overviewID, overviewAbs), rule: privacy.R7},
	{name: "R8_support_staff_never_disclose_notes",
		req: request(supportSam, lawyer, notes), grants: []consent.Grant{written("g-1", lawyer, privacy.CategoryNotes)},
		rule: privacy.R8},
	{name: "R8_support_staff_never_disclose_the_overview",
		req: request(supportSam, insurer, overviewID, overviewAbs), rule: privacy.R8},
	{name: "O6_unassigned_physician_never_discloses_the_medical_file",
		req: request(unassigned(principal(physician, func(p *privacy.Principal) { p.Secrecy, p.MultiFactor = privacy.SecrecyNone, false })),
			lawyer, medical),
		grants: []consent.Grant{written("g-1", lawyer, privacy.CategoryMedical)},
		rule:   privacy.O6},
	{name: "O6_unassigned_physician_denied",
		req: request(unassigned(physician), lawyer, medical), grants: []consent.Grant{written("g-1", lawyer, privacy.CategoryMedical)},
		rule: privacy.O6},
	{name: "O4_unassigned_physician_gives_no_advice",
		req: request(unassigned(physician), bakery, workCap), rule: privacy.O4},
	{name: "O6_unassigned_physician_on_a_statute_denied",
		req: onStatute(request(unassigned(physician), uwv, medical), "suwi-54-3c"), rule: privacy.O6},
	{name: "G8_physician_without_medical_secrecy_denied",
		req:    request(principal(physician, func(p *privacy.Principal) { p.Secrecy = privacy.SecrecyAgreement }), lawyer, medical),
		grants: []consent.Grant{written("g-1", lawyer, privacy.CategoryMedical)},
		rule:   privacy.G8},
	{name: "G8_physician_without_medical_secrecy_gives_no_advice",
		req:  request(principal(physician, func(p *privacy.Principal) { p.Secrecy = privacy.SecrecyAgreement }), bakery, workCap),
		rule: privacy.G8},
	{name: "N6_physician_without_a_second_factor_denied",
		req:    request(principal(physician, func(p *privacy.Principal) { p.MultiFactor = false }), lawyer, medical),
		grants: []consent.Grant{written("g-1", lawyer, privacy.CategoryMedical)},
		rule:   privacy.N6},
	{name: "N6_physician_without_a_second_factor_on_a_statute_denied",
		req:  onStatute(request(principal(physician, func(p *privacy.Principal) { p.MultiFactor = false }), uwv, medical), "suwi-54-3c"),
		rule: privacy.N6},
	{name: "N4_case_manager_without_secrecy_never_discloses_health_data",
		req:    request(principal(caseManager, func(p *privacy.Principal) { p.Secrecy = privacy.SecrecyNone }), bakery, consult),
		grants: []consent.Grant{written("g-1", bakery, privacy.CategoryConsultation)},
		rule:   privacy.N4},
	{name: "O7_contractor_without_agreement_denied",
		req:  request(principal(physician, func(p *privacy.Principal) { p.Contractor = true }), bakery, workCap),
		rule: privacy.O7},
	{name: "O7_contractor_with_agreement_allowed",
		req:     request(principal(physician, func(p *privacy.Principal) { p.Contractor, p.Agreement = true, "agreement-7" }), bakery, workCap),
		allowed: true, rule: privacy.N2, basis: privacy.BasisNone, notify: true},
}

// TestDecide runs the rule table: each case names the rule it checks and
// the rule the decision must carry.
func TestDecide(t *testing.T) {
	deciders := map[string]*consent.Engine{}
	for _, tc := range decideCases {
		t.Run(tc.name, func(t *testing.T) {
			pf := tc.policy
			if pf == nil {
				pf = privacy.Strict
			}
			p := pf()
			d, ok := deciders[p.Name]
			if !ok {
				d = decider(t, p)
				deciders[p.Name] = d
			}
			f := facts(tc.grants...)
			if tc.facts != nil {
				tc.facts(f)
			}
			got := d.Decide(&tc.req, f)
			if got.Allowed != tc.allowed || got.Rule != tc.rule {
				t.Fatalf("Decide(%s) = %v, want allowed=%t rule %s", tc.name, got, tc.allowed, tc.rule)
			}
			if got.Policy != p.Version {
				t.Errorf("O16: Decide(%s).Policy = %q, want %q", tc.name, got.Policy, p.Version)
			}
			if got.Reason == "" {
				t.Errorf("Decide(%s).Reason is empty", tc.name)
			}
			if !tc.allowed {
				if got.Basis != "" || got.Grants() != nil || got.NotifySubject {
					t.Errorf("Decide(%s) denied with %+v: a denial carries no basis, grants or notice", tc.name, got)
				}
				return
			}
			if got.Coverage != tc.cover {
				t.Errorf("O11: Decide(%s).Coverage = %q, want %q", tc.name, got.Coverage, tc.cover)
			}
			if got.Basis != tc.basis || !slices.Equal(got.Grants(), tc.grantsU) || got.NotifySubject != tc.notify {
				t.Errorf("Decide(%s) = basis %s grants %v notify %t, want %s %v %t",
					tc.name, got.Basis, got.Grants(), got.NotifySubject, tc.basis, tc.grantsU, tc.notify)
			}
			if (got.Basis == privacy.BasisStatute) != (got.LegalBasis == tc.req.Basis && tc.req.Basis != "") {
				t.Errorf("Decide(%s).LegalBasis = %q, want %q", tc.name, got.LegalBasis, tc.req.Basis)
			}
		})
	}
}

func TestDecisionZeroValueDenies(t *testing.T) {
	var d consent.Decision
	if d.Allowed {
		t.Fatal("the zero Decision allows")
	}
}

func TestDecisionString(t *testing.T) {
	for _, tc := range []struct {
		d    consent.Decision
		want string
	}{
		{consent.Decision{Allowed: true, Rule: privacy.O14, Basis: privacy.BasisWrittenConsent}, "allowed by O14 (written-consent)"},
		{consent.Decision{Allowed: true, Rule: privacy.N5, Basis: privacy.BasisStatute, LegalBasis: "suwi-73-4"}, "allowed by N5 (statute suwi-73-4)"},
		{consent.Decision{Rule: privacy.O9, Category: privacy.CategoryAbsenceReason, Reason: "internal"}, "denied by O9 (absence-reason): internal"},
	} {
		if got := tc.d.String(); got != tc.want {
			t.Errorf("String() = %q, want %q", got, tc.want)
		}
	}
}

func TestNewDeciderRefusesBadPolicy(t *testing.T) {
	if _, err := consent.NewEngine(nil); !errorsIs(err, privacy.ErrInvalid) {
		t.Errorf("NewEngine(nil) = %v, want ErrInvalid", err)
	}
	p := privacy.Strict()
	// Rule N5: no policy may let the BSN go on consent.
	p.Disclosures = append(p.Disclosures, privacy.DisclosureRule{Rule: privacy.O14, Recipient: privacy.PartyEmployer,
		Categories: []privacy.Category{privacy.CategoryNationalID}, Basis: privacy.BasisWrittenConsent, Reason: "x"})
	if _, err := consent.NewEngine(p); !errorsIs(err, privacy.ErrInvalid) || privacy.RuleOf(err) != privacy.N5 {
		t.Errorf("NewEngine(BSN on consent) = %v, want ErrInvalid rule N5", err)
	}
}

// TestDecideWholeCategoryNeedsAWholeRead: a discloser that may read only
// some fields of a category (here support staff limited to the name, R8)
// discloses those fields and never the whole category.
func TestDecideWholeCategoryNeedsAWholeRead(t *testing.T) {
	p := privacy.Strict()
	for i, r := range p.Access {
		if r.Rule == privacy.R8 && slices.Contains(r.Roles, privacy.RoleSupportStaff) {
			p.Access[i].Categories = []privacy.Category{privacy.CategoryIdentity}
			p.Access[i].Fields = []privacy.Field{privacy.FieldName}
		}
	}
	d := decider(t, p)
	grants := []consent.Grant{written("g-1", bakery, privacy.CategoryIdentity)}
	for _, tc := range []struct {
		name    string
		item    consent.Item
		allowed bool
	}{
		{"R8_the_field_it_reads_allowed", item(privacy.CategoryIdentity, privacy.FieldName), true},
		{"R8_a_field_it_does_not_read_denied", item(privacy.CategoryIdentity, privacy.FieldName, privacy.FieldAddress), false},
		{"R8_the_whole_category_denied", identity, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			req := request(supportSam, bakery, tc.item)
			got := d.Decide(&req, facts(grants...))
			if got.Allowed != tc.allowed {
				t.Fatalf("Decide(%s) = %v, want allowed=%t", tc.name, got, tc.allowed)
			}
			if !got.Allowed && got.Rule == "" {
				t.Errorf("Decide(%s) denied without a rule", tc.name)
			}
		})
	}
}
