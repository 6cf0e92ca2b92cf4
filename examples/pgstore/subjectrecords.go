package pgstore

import (
	"context"
	"iter"

	"github.com/dossierwacht/dossierwacht/privacy"
)

var _ privacy.SubjectRecordStore = (*Store)(nil)

// SubjectCaseRecords implements [privacy.SubjectRecordStore]: the records
// of [Store.CaseRecords], read by subject and case (issue 14 §2: a hot
// query that a schema distributed by subject routes to the subject's
// shard), on the index records_subject_case of migration 0063. A case
// that is not the subject's is not found.
func (s *Store) SubjectCaseRecords(ctx context.Context, subject privacy.SubjectID, id privacy.CaseID) iter.Seq2[privacy.Record, error] {
	return s.core().SubjectCaseRecords(ctx, &s.q.core.Ordinary, subject, id)
}

// SubjectCaseMedicalRecords implements [privacy.SubjectRecordStore], as
// [Store.SubjectCaseRecords] does, for the physicians' role too (it asks
// whether the case is the subject's through migration 0063's function).
func (s *Store) SubjectCaseMedicalRecords(ctx context.Context, subject privacy.SubjectID, id privacy.CaseID) iter.Seq2[privacy.Record, error] {
	return s.core().SubjectCaseRecords(ctx, &s.q.core.Medical, subject, id)
}
