package sqlitestore

import (
	"context"
	"database/sql"
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dossierwacht/dossierwacht/consent"
	"github.com/dossierwacht/dossierwacht/privacy"
)

// TestKitIndexes checks with EXPLAIN QUERY PLAN that the hot queries of
// the consent and rights stores search an index and never sort: a
// subject's grants (read by every disclosure), a subject's disclosures, the
// revocation's check, a subject's requests, the open requests, an
// employer's answered groups, an employer's coverage and the check of a
// coverage's end.
func TestKitIndexes(t *testing.T) {
	ctx := context.Background()
	s, err := Open(ctx, filepath.Join(t.TempDir(), "x.db"), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for _, tc := range []struct {
		name, query, want string
		args              []any
	}{
		{"GrantByID", qGrant, "USING INDEX sqlite_autoindex_consent_grants_1 (id=?)", []any{"g-1"}},
		{"SubjectGrants", qSubjectGrants, "USING INDEX consent_grants_subject (subject_id=?)", []any{"s-1"}},
		{"SubjectDisclosures", qSubjectDisclosures, "USING INDEX disclosures_subject (subject_id=?)", []any{"s-1"}},
		{"RestsOnGrant", qRestsOnGrant, "USING INDEX disclosures_subject (subject_id=? AND at>?)", []any{"s-1", 1, "g-1"}},
		{"RequestByID", qRequest, "USING INDEX sqlite_autoindex_requests_1 (id=?)", []any{"req-1"}},
		{"SubjectRequests", qSubjectRequests, "USING INDEX requests_subject (subject_id=?)", []any{"s-1"}},
		{"OpenRequests", qOpenRequests, "USING INDEX requests_open", nil},
		{"GroupHistory", qGroups, "USING PRIMARY KEY (employer=?)", []any{"employer-1"}},
		{"GroupVersion", qGroupVersion, "USING PRIMARY KEY (employer=?)", []any{"employer-1"}},
		{"EmployerCoverage", qEmployerCoverage, "USING INDEX consent_coverage_employer (employer=?)", []any{"employer-1"}},
		{"RestsOnCoverage", qRestsOnCoverage, "USING COVERING INDEX disclosures_coverage (coverage_id=? AND at>?)", []any{"cov-1", 1}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rows, err := s.r.QueryContext(ctx, "EXPLAIN QUERY PLAN "+tc.query, tc.args...)
			if err != nil {
				t.Fatal(err)
			}
			defer rows.Close()
			var plan strings.Builder
			for rows.Next() {
				var id, parent, notused int
				var detail string
				if err := rows.Scan(&id, &parent, &notused, &detail); err != nil {
					t.Fatal(err)
				}
				plan.WriteString(detail + "\n")
			}
			if !strings.Contains(plan.String(), tc.want) || strings.Contains(plan.String(), "TEMP B-TREE") {
				t.Errorf("plan of %s:\n%swant %q and no sort", tc.name, plan.String(), tc.want)
			}
		})
	}
}

// TestDisclosureLog shows that the file itself refuses to
// change a logged disclosure (rules G1, G4: a revocation never rewrites
// what was disclosed), reported as privacy.ErrForbidden.
func TestDisclosureLog(t *testing.T) {
	t.Run("G4_never_changes", testDisclosureLogNeverChanges)
}

func testDisclosureLogNeverChanges(t *testing.T) {
	ctx := context.Background()
	s, err := Open(ctx, filepath.Join(t.TempDir(), "x.db"), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	d := consent.Disclosure{ID: "d-1", Subject: "s-1", At: t0, Grants: []consent.GrantID{"g-1"}}
	if err := s.Disclose(ctx, "s-1", "", func([]consent.Grant, []consent.Coverage) consent.Verdict { return consent.Verdict{Disclosure: &d} }); err != nil {
		t.Fatal(err)
	}
	err = s.write(ctx, "test", func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `UPDATE disclosures SET at = at + 1000000, grants = '[]'`)
		return err
	})
	if !errors.Is(err, privacy.ErrForbidden) {
		t.Errorf("G4: UPDATE disclosures = %v, want ErrForbidden", err)
	}
	if log, err := s.SubjectDisclosures(ctx, "s-1"); err != nil || len(log) != 1 || !log[0].At.Equal(t0) || len(log[0].Grants) != 1 {
		t.Errorf("the disclosure changed: %+v, %v", log, err)
	}
}
