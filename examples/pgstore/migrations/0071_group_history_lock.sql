-- Rule N12 (issue 14): AddGroup inserts an employer's next version while
-- an erasure renumbers the employer's history past its latest version
-- (forget_in_groups, migrations 0066, 0070). The row AddGroup had inserted
-- but not committed was not seen by the renumbering, which moved the
-- lowest version exactly onto it: the erasure failed whole on the primary
-- key, a sweep's batch with it (a DeleteSubject, a batch of subjects of
-- other employers too), whenever a group figure was being answered. Row
-- locks cannot order them: a row not yet committed is not there to lock.
-- So every writer of an employer's history now takes one advisory lock
-- per employer ({groupslock32}, hashtext(employer)) before it reads the
-- history: AddGroup (after locking its members' subjects), forget_in_groups
-- and lock_groups_of (after the subjects being erased were locked), each
-- in employer order. The one that comes second sees what the first
-- committed: AddGroup a renumbered history (stale: decided again), an
-- erasure AddGroup's row (renumbered with the rest). Subjects' rows are
-- always locked before an employer's, so no cycle. A CREATE OR REPLACE
-- carries the whole body: 0070's functions restated with the advisory
-- locks added; their grants stay.

CREATE OR REPLACE FUNCTION {schema}.lock_groups_of(subjects text[]) RETURNS bigint
	LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	e text;
	n bigint := 0;
BEGIN
	FOR e IN SELECT DISTINCT employer FROM {schema}.access_groups WHERE members && subjects ORDER BY employer LOOP
		PERFORM pg_advisory_xact_lock({groupslock32}, hashtext(e));
		PERFORM 1 FROM {schema}.access_groups WHERE employer = e ORDER BY version FOR UPDATE;
		n := n + 1;
	END LOOP;
	RETURN n;
END
$$;

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
		PERFORM pg_advisory_xact_lock({groupslock32}, hashtext(e));
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
