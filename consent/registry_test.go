package consent_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/dossierwacht/dossierwacht/consent"
	"github.com/dossierwacht/dossierwacht/memstore"
	"github.com/dossierwacht/dossierwacht/privacy"
)

func newRegistry(t *testing.T, p *privacy.Policy) (*consent.Registry, *memstore.Store) {
	t.Helper()
	s := memstore.New()
	seedAnna(t, s, p)
	r, err := consent.New(s, p, nil)
	if err != nil {
		t.Fatalf("consent.New: %v", err)
	}
	return r, s
}

func TestNew(t *testing.T) {
	if _, err := consent.New(nil, privacy.Strict(), nil); !errors.Is(err, privacy.ErrInvalid) {
		t.Errorf("New(nil store) = %v, want ErrInvalid", err)
	}
	if _, err := consent.New(memstore.New(), nil, nil); !errors.Is(err, privacy.ErrInvalid) {
		t.Errorf("New(nil policy) = %v, want ErrInvalid", err)
	}
	p := privacy.Strict()
	// Rule O9: no policy lets the absence reason go.
	p.Disclosures[0].Categories = append(p.Disclosures[0].Categories, privacy.CategoryAbsenceReason)
	if _, err := consent.New(memstore.New(), p, nil); !errors.Is(err, privacy.ErrInvalid) || privacy.RuleOf(err) != privacy.O9 {
		t.Errorf("New(absence reason on consent) = %v, want ErrInvalid rule O9", err)
	}
	// The policy is copied: changing it later changes nothing.
	p = privacy.Strict()
	r, _ := newRegistry(t, p)
	p.Disclosures = nil
	if d := r.Engine().Decide(&consent.Request{ID: "d-1", By: physician, Recipient: bakery, Subject: anna, Case: annaAbs,
		Items: []consent.Item{workCap}, Purpose: privacy.PurposeAbsenceGuidance, At: t0}, facts()); !d.Allowed {
		t.Errorf("a change to the policy reached the registry: %v", d)
	}
}

func countEvents(t *testing.T, s *memstore.Store) int {
	t.Helper()
	n := 0
	for _, err := range s.Events(context.Background(), 1) {
		if err != nil {
			t.Fatal(err)
		}
		n++
	}
	return n
}

// TestDecideIsADryRun: Registry.Decide decides on the stored grants and
// records nothing, not even an audit event.
func TestDecideIsADryRun(t *testing.T) {
	ctx := context.Background()
	r, s := newRegistry(t, privacy.Strict())
	if _, err := r.AddGrant(ctx, annaHerself, written("g-1", bakery, privacy.CategoryNotes), t0); err != nil {
		t.Fatalf("AddGrant(by the subject): %v", err)
	}
	before := countEvents(t, s)
	d, err := r.Decide(ctx, request(caseManager, bakery, notes))
	if err != nil || !d.Allowed || d.Rule != privacy.O14 {
		t.Fatalf("Decide = %v, %v; want allowed by O14", d, err)
	}
	if log, _ := r.Disclosures(ctx, anna); len(log) != 0 || countEvents(t, s) != before {
		t.Errorf("Decide recorded something: log %v, %d new events", log, countEvents(t, s)-before)
	}
	if _, err := r.Decide(ctx, consent.Request{}); !errors.Is(err, privacy.ErrInvalid) {
		t.Errorf("Decide(empty) = %v, want ErrInvalid", err)
	}
	// The subject does not disclose through the service: default deny.
	d, err = r.Disclose(ctx, request(annaHerself, bakery, notes))
	if !errors.Is(err, privacy.ErrForbidden) || d.Rule != privacy.RuleDefaultDeny {
		t.Errorf("Disclose(by the subject) = %v, %v; want forbidden by default", d, err)
	}
}

// TestNotify is rule G4's table: whom to tell of a rectification or
// erasure.
func TestNotify(t *testing.T) {
	ctx := context.Background()
	r, _ := newRegistry(t, privacy.Strict())
	for _, g := range []consent.Grant{
		written("g-1", bakery, privacy.CategoryNotes, privacy.CategoryIdentity),
		written("g-2", lawyer, privacy.CategoryNotes),
	} {
		if _, err := r.AddGrant(ctx, caseManager, g, t0); err != nil {
			t.Fatal(err)
		}
	}
	at := t0.Add(time.Hour)
	for _, req := range []consent.Request{
		{ID: "d-note-1", Recipient: bakery, Items: []consent.Item{{Category: privacy.CategoryNotes, Record: "r-0"}},
			WrittenRequest: "letter-16"},
		{ID: "d-notes", Recipient: lawyer, Items: []consent.Item{notes}, WrittenRequest: "letter-17"},
		{ID: "d-name", Recipient: bakery, Items: []consent.Item{{Category: privacy.CategoryIdentity, Fields: []privacy.Field{privacy.FieldName}}},
			WrittenRequest: "letter-18"},
		{ID: "d-uwv", Recipient: uwv, Basis: "suwi-54-3c", Items: []consent.Item{{Category: privacy.CategoryNotes, Record: "r-4"}}},
	} {
		req.By, req.Subject, req.Case, req.Purpose, req.At = caseManager, anna, annaAbs, privacy.PurposeAbsenceGuidance, at
		if _, err := r.Disclose(ctx, req); err != nil {
			t.Fatalf("Disclose(%s): %v", req.ID, err)
		}
	}
	for _, tc := range []struct {
		name    string
		changed []consent.Item
		want    string
	}{
		{"G4_rectified_record_told_to_who_got_it_or_its_category", []consent.Item{{Category: privacy.CategoryNotes, Record: "r-0"}},
			"[employer:employer-bakery [d-note-1] third-party:lawyer-jansen [d-notes]]"},
		{"G4_statutory_recipient_told_too", []consent.Item{{Category: privacy.CategoryNotes, Record: "r-4"}},
			"[third-party:lawyer-jansen [d-notes] uwv:uwv [d-uwv]]"},
		{"G4_erased_category_told_to_every_recipient_of_it", []consent.Item{{Category: privacy.CategoryNotes}},
			"[employer:employer-bakery [d-note-1] third-party:lawyer-jansen [d-notes] uwv:uwv [d-uwv]]"},
		{"G4_changed_field_that_was_disclosed", []consent.Item{{Category: privacy.CategoryIdentity, Fields: []privacy.Field{privacy.FieldName, privacy.FieldCity}}},
			"[employer:employer-bakery [d-name]]"},
		{"G4_changed_field_that_was_never_disclosed", []consent.Item{{Category: privacy.CategoryIdentity, Fields: []privacy.Field{privacy.FieldCity}}},
			"[]"},
		{"G4_nobody_received_the_category", []consent.Item{{Category: privacy.CategoryMedical}}, "[]"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := r.Notify(ctx, anna, tc.changed...)
			if err != nil {
				t.Fatalf("Notify: %v", err)
			}
			s := "["
			for i, n := range got {
				if i > 0 {
					s += " "
				}
				s += fmt.Sprintf("%s %v", n.Recipient, n.Disclosures)
			}
			if s += "]"; s != tc.want {
				t.Errorf("Notify(%v) = %s, want %s", tc.changed, s, tc.want)
			}
		})
	}
}

// TestConsents is rule O10's table: the access engine's question whether
// the employer may learn of a consultation-hour visit or a periodic
// examination.
func TestConsents(t *testing.T) {
	visit := privacy.CaseID("case-anna-visit")
	approval := forCase(forPurpose(written("g-1", bakery, privacy.CategoryConsultation), privacy.PurposePrevention), visit)
	q := consent.Query{Subject: anna, Recipient: bakery, Category: privacy.CategoryConsultation, Case: visit, At: t0.Add(time.Hour)}
	with := func(f func(*consent.Query)) consent.Query { q := q; f(&q); return q }
	for _, tc := range []struct {
		name   string
		policy func() *privacy.Policy
		grants []consent.Grant
		q      consent.Query
		want   bool
	}{
		{"O10_no_approval", privacy.Strict, nil, q, false},
		{"O10_written_approval", privacy.Strict, []consent.Grant{approval}, q, true},
		{"O10_approval_for_all_cases", privacy.Strict, []consent.Grant{forCase(approval, "")}, q, true},
		{"O10_approval_of_another_case", privacy.Strict, []consent.Grant{forCase(approval, "case-anna-exam")}, q, false},
		{"O10_approval_to_another_employer", privacy.Strict, []consent.Grant{approval}, with(func(q *consent.Query) { q.Recipient = otherEmployer }), false},
		{"O10_explicit_is_not_written", privacy.Strict, []consent.Grant{explicit("g-1", bakery, privacy.CategoryConsultation)}, q, false},
		{"O10_revoked_approval", privacy.Strict, []consent.Grant{revoked(approval, t0.Add(time.Hour))}, q, false},
		{"O10_purpose_asked_and_given", privacy.Strict, []consent.Grant{approval}, with(func(q *consent.Query) { q.Purpose = privacy.PurposePrevention }), true},
		{"O10_purpose_asked_not_given", privacy.Strict, []consent.Grant{approval}, with(func(q *consent.Query) { q.Purpose = privacy.PurposeReintegration }), false},
		{"O10_regulation_R_has_no_such_consent", privacy.RegulationR, []consent.Grant{approval}, q, false},
		{"R6_explicit_consent_under_regulation_R", privacy.RegulationR, []consent.Grant{explicit("g-1", bakery, privacy.CategoryNotes)},
			with(func(q *consent.Query) { q.Category = privacy.CategoryNotes }), true},
		{"O9_never_the_absence_reason", privacy.Strict, []consent.Grant{written("g-1", bakery, privacy.CategoryAbsenceReason)},
			with(func(q *consent.Query) { q.Category = privacy.CategoryAbsenceReason }), false},
		{"N5_never_the_bsn", privacy.Strict, []consent.Grant{written("g-1", bakery, privacy.CategoryNationalID)},
			with(func(q *consent.Query) { q.Category = privacy.CategoryNationalID }), false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := decider(t, tc.policy()).Consents(tc.q, tc.grants); got != tc.want {
				t.Errorf("Consents(%s) = %t, want %t", tc.name, got, tc.want)
			}
		})
	}
}

// TestGrantValidate names the rules that make a grant invalid.
func TestGrantValidate(t *testing.T) {
	for _, tc := range []struct {
		name string
		g    consent.Grant
		kind error
		rule privacy.RuleID
	}{
		{"valid_written", written("g-1", bakery, privacy.CategoryNotes, privacy.CategoryMedical), nil, ""},
		{"valid_explicit", explicit("g-1", kindOnly, privacy.CategoryNotes), nil, ""},
		{"O5_special_category", written("g-1", bakery, privacy.CategorySexualOrientation), privacy.ErrProhibitedCategory, privacy.O5},
		{"O9_absence_reason", written("g-1", bakery, privacy.CategoryAbsenceReason), privacy.ErrInvalid, privacy.O9},
		{"N5_bsn", written("g-1", uwv, privacy.CategoryNationalID), privacy.ErrInvalid, privacy.N5},
		{"O6_medical_needs_writing", explicit("g-1", lawyer, privacy.CategoryMedical), privacy.ErrInvalid, privacy.O6},
		{"O14_written_needs_its_document", func() consent.Grant { g := written("g-1", lawyer, privacy.CategoryNotes); g.Document = ""; return g }(), privacy.ErrInvalid, privacy.O14},
		{"R6_needs_a_recipient", written("g-1", consent.Recipient{}, privacy.CategoryNotes), privacy.ErrInvalid, privacy.R6},
		{"R6_does_not_reach_back", from(written("g-1", bakery, privacy.CategoryNotes), t0.Add(-time.Hour)), privacy.ErrInvalid, privacy.R6},
		{"R5_needs_a_purpose", forPurpose(written("g-1", bakery, privacy.CategoryNotes), ""), privacy.ErrInvalid, privacy.R5},
		{"not_to_the_service_itself", written("g-1", consent.Recipient{Kind: privacy.PartyService}, privacy.CategoryNotes), privacy.ErrInvalid, ""},
		{"unknown_category", written("g-1", bakery, "hobbies"), privacy.ErrInvalid, ""},
		{"category_twice", written("g-1", bakery, privacy.CategoryNotes, privacy.CategoryNotes), privacy.ErrInvalid, ""},
		{"unknown_form", func() consent.Grant { g := written("g-1", bakery, privacy.CategoryNotes); g.Form = "oral"; return g }(), privacy.ErrInvalid, ""},
		{"ends_before_it_starts", until(written("g-1", bakery, privacy.CategoryNotes), t0), privacy.ErrInvalid, ""},
		{"malformed_id", written("g 1", bakery, privacy.CategoryNotes), privacy.ErrInvalid, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.g.Validate()
			if tc.kind == nil {
				if err != nil {
					t.Fatalf("Validate() = %v, want nil", err)
				}
				return
			}
			if !errors.Is(err, tc.kind) || privacy.RuleOf(err) != tc.rule {
				t.Errorf("Validate() = %v (rule %q), want %v rule %q", err, privacy.RuleOf(err), tc.kind, tc.rule)
			}
		})
	}
}
