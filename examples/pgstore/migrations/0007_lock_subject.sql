-- Rule G3: a direct deletion (DeleteRecord, DeleteMedicalRecord,
-- DeleteCase, DeleteSubject) locks its subject's row FOR UPDATE, as
-- PlaceHold does before it inserts a hold, and then reads the subject's
-- standing holds: a hold placed at the same time either waits for the
-- deletion or is seen by it. The physicians' role deletes medical records
-- but may neither read nor change subjects (rule O6; see Grants), and
-- FOR UPDATE needs the right to update. This function takes the lock for
-- it, as the schema's owner, and tells only whether the subject exists.
-- Only the roles granted EXECUTE may call it.

CREATE FUNCTION {schema}.lock_subject(subject text) RETURNS boolean
	LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
	PERFORM 1 FROM {schema}.subjects WHERE id = subject FOR UPDATE;
	RETURN FOUND;
END
$$;

REVOKE ALL ON FUNCTION {schema}.lock_subject(text) FROM PUBLIC;
