package sqlitestore

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
)

// TestKitIndexes checks with EXPLAIN QUERY PLAN that the hot queries of
// the consent and rights stores search an index and never sort: a
// subject's grants (read by every disclosure), a subject's disclosures, the
// revocation's check, a subject's requests, the open requests, and an employer's answered
// groups.
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
