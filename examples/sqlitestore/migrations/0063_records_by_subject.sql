-- Issue 14 §2: every hot query filters by the subject. A case's records
-- are read by subject and case (WHERE subject_id = ? AND case_id = ?,
-- privacy.SubjectRecordStore); these indexes serve it in the order the
-- records are read.

CREATE INDEX records_subject_case ON records (subject_id, case_id, created, id);
CREATE INDEX medical_records_subject_case ON medical_records (subject_id, case_id, created, id);
