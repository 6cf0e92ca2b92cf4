-- Rules N12, R9, O12 (issue 14): a subject's ID does not outlive it in the
-- group histories (access_groups, privacy.DataGroups). When DeleteSubject
-- or a sweep removes the subject, its ID is replaced in every group by one
-- random token: the same token in each group keeps the cells of rule N12
-- as they were, so that no later group can single the person out by
-- difference with the figures answered before; each changed history is
-- renumbered past its latest version, so that a group decided on the old
-- one is refused as stale (AddGroup). The roles may only add groups
-- (Grants): this function changes them, as the schema's owner, and only
-- for a subject whose row is gone, to a token of the adapter's form.
-- Only the roles granted EXECUTE may call it (EraserGrants).

CREATE FUNCTION {schema}.forget_in_groups(subject text, token text) RETURNS bigint
	LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	e text;
	top bigint;
	n bigint := 0;
BEGIN
	IF EXISTS (SELECT 1 FROM {schema}.subjects WHERE id = subject) THEN
		RAISE EXCEPTION 'forget_in_groups: the subject still exists' USING ERRCODE = '23503';
	END IF;
	IF token !~ '^erased-[0-9a-f]{32}$' THEN
		RAISE EXCEPTION 'forget_in_groups: malformed token' USING ERRCODE = '22023';
	END IF;
	FOR e IN SELECT DISTINCT employer FROM {schema}.access_groups WHERE subject = ANY (members) ORDER BY employer LOOP
		PERFORM 1 FROM {schema}.access_groups WHERE employer = e FOR UPDATE;
		SELECT max(version) INTO top FROM {schema}.access_groups WHERE employer = e;
		-- Every new number is past the latest: none collides on the way.
		UPDATE {schema}.access_groups SET version = version + top,
			members = CASE WHEN subject = ANY (members)
				THEN ARRAY(SELECT m FROM unnest(array_replace(members, subject, token)) AS m ORDER BY m COLLATE "C")
				ELSE members END
			WHERE employer = e;
		n := n + 1;
	END LOOP;
	RETURN n;
END
$$;

REVOKE ALL ON FUNCTION {schema}.forget_in_groups(text, text) FROM PUBLIC;
