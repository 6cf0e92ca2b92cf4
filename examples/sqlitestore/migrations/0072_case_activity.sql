-- Rules R9, O12 (issue 14 §1): a case left open ends for retention at its
-- last activity (retention.CaseEnded): a case on which nothing has been
-- recorded for its period is no longer being worked on, and nothing is
-- kept with no date. The activity must outlive the records: a record
-- deleted early (its own period was short) would otherwise date the
-- case's last activity back, and the case would go early. So the case's
-- row keeps it: active, the last time a record of either file was
-- written or rectified, set by triggers on both files.
--
-- The backfill reads the records a sweep erased before this migration
-- too, from their proofs (the record's version: its last change), so that
-- a record swept early does not date back the case it was the last
-- activity of (rules R9, O12). The proofs are read on their subject's
-- index.

ALTER TABLE cases ADD COLUMN active INTEGER;

UPDATE cases SET active = (SELECT max(t) FROM (
	SELECT max(created, coalesce(updated, created)) AS t FROM records r WHERE r.case_id = cases.id
	UNION ALL SELECT max(created, coalesce(updated, created)) FROM medical_records m WHERE m.case_id = cases.id
	UNION ALL SELECT p.updated FROM proofs p WHERE p.subject_id = cases.subject_id AND p.case_id = cases.id));

CREATE TRIGGER records_case_activity AFTER INSERT ON records BEGIN
	UPDATE cases SET active = max(coalesce(active, NEW.created), NEW.created, coalesce(NEW.updated, NEW.created))
		WHERE id = NEW.case_id;
END;

CREATE TRIGGER records_case_activity_update AFTER UPDATE OF created, updated ON records BEGIN
	UPDATE cases SET active = max(coalesce(active, NEW.created), NEW.created, coalesce(NEW.updated, NEW.created))
		WHERE id = NEW.case_id;
END;

CREATE TRIGGER medical_records_case_activity AFTER INSERT ON medical_records BEGIN
	UPDATE cases SET active = max(coalesce(active, NEW.created), NEW.created, coalesce(NEW.updated, NEW.created))
		WHERE id = NEW.case_id;
END;

CREATE TRIGGER medical_records_case_activity_update AFTER UPDATE OF created, updated ON medical_records BEGIN
	UPDATE cases SET active = max(coalesce(active, NEW.created), NEW.created, coalesce(NEW.updated, NEW.created))
		WHERE id = NEW.case_id;
END;

-- A sweep's candidates: a subject with an open case whose last activity
-- is older than a cut-off, from the index alone.
CREATE INDEX cases_open ON cases (subject_id, active, opened) WHERE closed IS NULL;
