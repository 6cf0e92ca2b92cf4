-- Rule N12 (issue 14): an erased subject's ID leaves every employer's
-- group history (forget_in_groups, migrations 0062, 0066), which locks the
-- rows of each employer it touches. A batch of a sweep erases several
-- subjects, each of its own employers: took one after the other, two
-- batches — or a batch and DeleteSubject — locked the same employers'
-- rows in opposite orders (subject a of employer 2 then b of employer 1
-- beside c of employer 1 then d of employer 2), and one was killed as a
-- deadlock, its whole batch with it. lock_groups_of locks, before a batch
-- forgets anyone, the rows of every employer any of its subjects is in,
-- by employer and version: every later lock of theirs in the batch is
-- already held. forget_in_groups now locks an employer's rows in the same
-- order (it took them in whatever order the scan found them, which after
-- a renumbering is not the versions'): a CREATE OR REPLACE carries the
-- whole body of 0066's, with that ORDER BY added; its grants stay.

CREATE FUNCTION {schema}.lock_groups_of(subjects text[]) RETURNS bigint
	LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
	SELECT count(*) FROM (
		SELECT 1 FROM {schema}.access_groups
		WHERE employer IN (SELECT employer FROM {schema}.access_groups WHERE members && subjects)
		ORDER BY employer, version
		FOR UPDATE
	) l
$$;

REVOKE ALL ON FUNCTION {schema}.lock_groups_of(text[]) FROM PUBLIC;

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
		PERFORM 1 FROM {schema}.access_groups WHERE employer = e ORDER BY version FOR UPDATE;
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
