-- Issue 14 §2: every hot query filters by the subject. A case's records
-- are read by subject and case (WHERE subject_id = $1 AND case_id = $2,
-- privacy.SubjectRecordStore), so that a schema distributed by subject
-- (Citus, or another PostgreSQL-compatible engine sharding on subject_id)
-- answers the read from the subject's shard alone. These indexes serve it
-- in the order the records are read.

CREATE INDEX records_subject_case ON {schema}.records (subject_id, case_id, created, id);
CREATE INDEX records_subject_case ON {medical}.records (subject_id, case_id, created, id);

-- Whether a case is the subject's: what tells an empty case of the
-- subject from one that is not theirs. The physicians' role reads no more
-- of a case than its ID (rule O6); it learns here only the answer to a
-- question it asks with the subject and the case it names.
CREATE FUNCTION {schema}.case_of_subject(subject text, case_id text) RETURNS boolean
	LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
	SELECT EXISTS (SELECT 1 FROM {schema}.cases c WHERE c.subject_id = subject AND c.id = case_id)
$$;

REVOKE ALL ON FUNCTION {schema}.case_of_subject(text, text) FROM PUBLIC;
