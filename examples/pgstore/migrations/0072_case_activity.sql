-- Rules R9, O12 (issue 14 §1): a case left open ends for retention at its
-- last activity (retention.CaseEnded): a case on which nothing has been
-- recorded for its period is no longer being worked on, and nothing is
-- kept with no date. The activity must outlive the records: a record
-- deleted early (its own period was short) would otherwise date the
-- case's last activity back, and the case would go early. So the case's
-- row keeps it: active, the last time a record of either file was
-- written or rectified, set by triggers on both files whoever writes them
-- (the physicians' role too: the function runs as the schema's owner and
-- sets no more than the one column).
--
-- An addition to either file locked its cases' rows FOR SHARE (lock_cases,
-- rule R4); the trigger's UPDATE of the same row would then upgrade a
-- shared lock, and two additions to one case would deadlock. lock_cases
-- now takes FOR NO KEY UPDATE: additions to one case go one after the
-- other, and closing a case still waits for them (or they for it).

ALTER TABLE {schema}.cases ADD COLUMN active timestamptz;

-- The backfill reads the records a sweep erased before this migration
-- too, from their proofs (the record's version: its last change), so that
-- a record swept early does not date back the case it was the last
-- activity of (rules R9, O12).
UPDATE {schema}.cases c SET active = a.t
	FROM (SELECT r.case_id, max(greatest(r.created, r.updated)) AS t
		FROM (SELECT case_id, created, updated FROM {schema}.records
			UNION ALL SELECT case_id, created, updated FROM {medical}.records
			UNION ALL SELECT case_id, updated, updated FROM {schema}.proofs) r
		GROUP BY r.case_id) a
	WHERE a.case_id = c.id;

CREATE FUNCTION {schema}.case_touch() RETURNS trigger
	LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
	UPDATE {schema}.cases SET active = greatest(active, NEW.created, NEW.updated) WHERE id = NEW.case_id;
	RETURN NULL;
END
$$;

REVOKE ALL ON FUNCTION {schema}.case_touch() FROM PUBLIC;

CREATE TRIGGER records_case_activity AFTER INSERT OR UPDATE OF created, updated ON {schema}.records
	FOR EACH ROW EXECUTE FUNCTION {schema}.case_touch();

CREATE TRIGGER records_case_activity AFTER INSERT OR UPDATE OF created, updated ON {medical}.records
	FOR EACH ROW EXECUTE FUNCTION {schema}.case_touch();

CREATE OR REPLACE FUNCTION {schema}.lock_cases(ids text[]) RETURNS TABLE (case_id text, open boolean)
	LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
	SELECT c.id, c.closed IS NULL FROM {schema}.cases c WHERE c.id = ANY (ids) ORDER BY c.id FOR NO KEY UPDATE
$$;

-- A sweep's candidates: a subject with an open case whose last activity
-- is older than a cut-off, from the index alone.
CREATE INDEX cases_open ON {schema}.cases (subject_id, active, opened) WHERE closed IS NULL;
