package pgstore

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/dossierwacht/dossierwacht/consent"
	"github.com/dossierwacht/dossierwacht/privacy"
	"github.com/dossierwacht/dossierwacht/rights"
	"github.com/jackc/pgx/v5"
)

// TestKitIndexes checks with EXPLAIN that the hot queries of the consent
// and rights stores scan an index in its order and never sort: a subject's
// grants (read and locked by every disclosure), a subject's disclosures,
// the revocation's check, a subject's requests, the open requests, an
// employer's answered groups, an employer's coverage (read and locked by
// every overview) and the check of a coverage's end.
func TestKitIndexes(t *testing.T) {
	ctx := context.Background()
	s := OpenForTest(t, nil)
	for sub := range 50 {
		sid := privacy.SubjectID(fmt.Sprintf("s-%d", sub))
		for i := range 4 {
			g := consent.Grant{ID: consent.GrantID(fmt.Sprintf("g-%d-%d", sub, i)), Subject: sid,
				Recipient: consent.Recipient{Party: "employer-1"}, Categories: []privacy.Category{privacy.CategoryNotes},
				Given: t0.Add(time.Duration(i) * time.Minute)}
			if err := s.AddGrant(ctx, g, nil); err != nil {
				t.Fatal(err)
			}
			d := consent.Disclosure{ID: consent.DisclosureID(fmt.Sprintf("d-%d-%d", sub, i)), Subject: sid,
				At: t0.Add(time.Duration(i) * time.Hour), Grants: []consent.GrantID{g.ID},
				Coverage: consent.CoverageID(fmt.Sprintf("cov-%d", sub%10))}
			if err := s.Disclose(ctx, sid, "", func([]consent.Grant, []consent.Coverage) consent.Verdict { return consent.Verdict{Disclosure: &d} }); err != nil {
				t.Fatal(err)
			}
			status := rights.StatusAnswered
			if i == 0 {
				status = rights.StatusReceived
			}
			r := rights.Request{ID: rights.RequestID(fmt.Sprintf("req-%d-%d", sub, i)), Subject: sid, Received: t0,
				Status: status, History: []rights.Step{{Status: status, At: t0}}}
			if err := s.CreateRequest(ctx, r, []privacy.Event{{Time: t0, Principal: "cm-1", Subject: sid, Action: privacy.EventCreate}}); err != nil {
				t.Fatal(err)
			}
		}
	}
	// Rule N12: a group's members are subjects.
	sub, _ := privacy.NewSubject("s-1", "employer-1", t0)
	if err := s.CreateSubject(ctx, sub, []privacy.Event{{Time: t0, Principal: "cm-1", Subject: "s-1", Action: privacy.EventCreate}}); err != nil {
		t.Fatal(err)
	}
	for e := range 20 {
		for c := range 5 {
			cv := consent.Coverage{ID: consent.CoverageID(fmt.Sprintf("cov-%d-%d", e, c)), Insurer: "insurer-1",
				Employer: privacy.PartyID(fmt.Sprintf("employer-%d", e)), From: t0.Add(time.Duration(c) * time.Hour)}
			if err := s.AddCoverage(ctx, cv, nil); err != nil {
				t.Fatal(err)
			}
		}
		for v := range 5 {
			if _, err := s.AddGroup(ctx, privacy.PartyID(fmt.Sprintf("employer-%d", e)), uint64(v), []privacy.SubjectID{"s-1"}); err != nil {
				t.Fatal(err)
			}
		}
	}
	for _, table := range []string{"consent_grants", "disclosures", "requests", "access_groups", "consent_coverage"} {
		if _, err := s.pool.Exec(ctx, "ANALYZE "+pgx.Identifier{s.schema, table}.Sanitize()); err != nil {
			t.Fatal(err)
		}
	}
	for _, tc := range []struct {
		name, query, want string
		args              []any
	}{
		{"GrantByID", s.q.con.grant, "consent_grants_pkey", []any{"g-1-1"}},
		{"SubjectGrants", s.q.con.subjectGrants, "consent_grants_subject", []any{"s-1"}},
		{"LockSubjectGrants", s.q.con.lockSubjectGrants, "consent_grants_subject", []any{"s-1"}},
		{"SubjectDisclosures", s.q.con.subjectDisclosures, "disclosures_subject", []any{"s-1"}},
		{"RestsOnGrant", s.q.con.restsOnGrant, "disclosures_subject", []any{"s-1", ts(t0), "g-1-1"}},
		{"RequestByID", s.q.rts.get, "requests_pkey", []any{"req-1-1"}},
		{"SubjectRequests", s.q.rts.subject, "requests_subject", []any{"s-1"}},
		{"OpenRequests", s.q.rts.open, "requests_open", nil},
		{"GroupHistory", s.q.acc.groups, "access_groups_pkey", []any{"employer-1"}},
		{"GroupVersion", s.q.acc.groupVersion, "access_groups_pkey", []any{"employer-1"}},
		{"EmployerCoverage", s.q.con.employerCoverage, "consent_coverage_employer", []any{"employer-1"}},
		{"LockEmployerCoverage", s.q.con.lockEmployerCoverage, "consent_coverage_employer", []any{"employer-1"}},
		{"RestsOnCoverage", s.q.con.restsOnCoverage, "disclosures_coverage", []any{"cov-1", ts(t0)}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			text := explain(t, s, noScans, tc.query, tc.args...)
			if !strings.Contains(text, "Index") || !strings.Contains(text, tc.want) || strings.Contains(text, "Sort") ||
				strings.Contains(text, "Seq Scan") {
				t.Errorf("plan of %s:\n%s\nwant an index scan on %s and no sort", tc.name, text, tc.want)
			}
		})
	}
}

// TestDisclosureLog shows that the database itself refuses to
// change a logged disclosure, even to its owner (rules G1, G4: a
// revocation never rewrites what was disclosed), reported as
// privacy.ErrForbidden.
func TestDisclosureLog(t *testing.T) {
	t.Run("G4_never_changes", testDisclosureLogNeverChanges)
}

func testDisclosureLogNeverChanges(t *testing.T) {
	ctx := context.Background()
	s := OpenForTest(t, nil)
	d := consent.Disclosure{ID: "d-1", Subject: "s-1", At: t0, Grants: []consent.GrantID{"g-1"}}
	if err := s.Disclose(ctx, "s-1", "", func([]consent.Grant, []consent.Coverage) consent.Verdict { return consent.Verdict{Disclosure: &d} }); err != nil {
		t.Fatal(err)
	}
	err := s.write(ctx, "test", func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `UPDATE `+pgx.Identifier{s.schema, "disclosures"}.Sanitize()+` SET at = at + interval '1 hour', grants = '{}'`)
		return err
	})
	if !errors.Is(err, privacy.ErrForbidden) {
		t.Errorf("G4: UPDATE disclosures = %v, want ErrForbidden", err)
	}
	if log, err := s.SubjectDisclosures(ctx, "s-1"); err != nil || len(log) != 1 || !log[0].At.Equal(t0) || len(log[0].Grants) != 1 {
		t.Errorf("the disclosure changed: %+v, %v", log, err)
	}
}
