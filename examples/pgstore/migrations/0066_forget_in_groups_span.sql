-- Rules N12, R9, O12: forget_in_groups (migration 0062) renumbered a
-- changed history past its latest version by adding the latest to every
-- version, which doubled it with each erased member: after some 60
-- erasures of one employer's members the version ran out of bigint, and
-- from then on no member of its groups could be deleted or swept. The
-- versions of an employer's history are consecutive (AddGroup adds the
-- next, a renumbering shifts them all alike), so shifting them by their
-- span (latest - earliest + 1) puts every new number past the latest as
-- before — none collides on the way, a group decided on the old history is
-- still refused as stale — while the version grows by the number of
-- groups per erasure. CREATE OR REPLACE keeps the owner and the grants.

CREATE OR REPLACE FUNCTION {schema}.forget_in_groups(subject text, token text) RETURNS bigint
	LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	e text;
	top bigint;
	low bigint;
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
		SELECT max(version), min(version) INTO top, low FROM {schema}.access_groups WHERE employer = e;
		-- Every new number is past the latest: none collides on the way.
		UPDATE {schema}.access_groups SET version = version + (top - low + 1),
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
