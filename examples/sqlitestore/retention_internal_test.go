package sqlitestore

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
)

// TestRetentionIndexes checks with EXPLAIN QUERY PLAN that indexes answer
// the retention store's queries and nothing sorts: Candidates walks the
// subjects on subjects_employment_ended and asks each from cases_closed
// (closing date), records_case and medical_records_case (creation time)
// and erasures_decided (decision time); EraseRecords finds its rows by key;
// a direct deletion reads the subject's holds from holds_subject and finds
// the records they name by key (rule G3).
func TestRetentionIndexes(t *testing.T) {
	ctx := context.Background()
	s, err := Open(ctx, filepath.Join(t.TempDir(), "x.db"), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	list := `["s-1","s-2"]`
	for _, tc := range []struct {
		name, query string
		want        []string
		args        []any
	}{
		{"Candidates", qCandidates, []string{"subjects_retention (id>?)", "cases_closed (subject_id=? AND closed<?)", "cases_open (subject_id=?)",
			"records_case (case_id=? AND created<?)", "medical_records_case (case_id=? AND created<?)",
			"erasures_decided (subject_id=? AND decided<?)"}, []any{"s-1", 1, 1, 1, 1, 10, 1}},
		{"DossierSubjects", qDossierSubjects, []string{"subjects"}, []any{list}},
		{"DossierCases", qDossierCases, []string{"cases_subject (subject_id=?)"}, []any{list}},
		{"DossierEntries", ordinaryEntries.entries, []string{"records_case (case_id=?)"}, []any{list}},
		{"DossierMedicalEntries", medicalEntries.entries, []string{"medical_records_case (case_id=?)"}, []any{list}},
		{"DossierHolds", qDossierHolds, []string{"holds_subject (subject_id=?)"}, []any{list}},
		{"DossierErasures", qDossierErasures, []string{"erasures_subject (subject_id=?)"}, []any{list}},
		{"EraseProofExists", qProofExists, []string{"sqlite_autoindex_proofs_1 (record_id=?)"}, []any{"r-1"}},
		{"EraseCheck", ordinaryEntries.check, []string{"sqlite_autoindex_records_1 (id=?)"}, []any{"r-1"}},
		{"EraseCheckMedical", medicalEntries.check, []string{"sqlite_autoindex_medical_records_1 (id=?)"}, []any{"r-1"}},
		{"EraseStandingHolds", qStandingHolds, []string{"holds_subject (subject_id=?)"}, []any{"s-1"}},
		{"DeleteSubjectHeld", qSubjectHeld, []string{"holds_subject (subject_id=?)"}, []any{"s-1"}},
		{"DeleteCaseHasHeldRecord", qCaseHasRecord, []string{"sqlite_autoindex_records_1 (id=?)",
			"sqlite_autoindex_medical_records_1 (id=?)"}, []any{"c-1", `["r-1","r-2"]`}},
		{"Proofs", qProofs, []string{"proofs_subject (subject_id=?)"}, []any{"s-1"}},
		{"Proof", qProof, []string{"sqlite_autoindex_proofs_1 (record_id=?)"}, []any{"r-1"}},
		{"Hold", qHold, []string{"sqlite_autoindex_holds_1 (id=?)"}, []any{"h-1"}},
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
			text := plan.String()
			bad := strings.Contains(text, "TEMP B-TREE")
			for _, line := range strings.Split(text, "\n") {
				// A scan of a whole table is allowed only over json_each,
				// the page's list of IDs (or the constant row of a
				// SELECT EXISTS).
				if strings.HasPrefix(strings.TrimSpace(line), "SCAN ") && !strings.Contains(line, "json_each") &&
					!strings.Contains(line, "CONSTANT ROW") {
					bad = true
				}
			}
			for _, w := range tc.want {
				bad = bad || !strings.Contains(text, w)
			}
			if bad {
				t.Errorf("plan of %s:\n%swant %v, no table scan and no sort", tc.name, text, tc.want)
			} else if testing.Verbose() {
				t.Logf("plan of %s:\n%s", tc.name, text)
			}
		})
	}
}
