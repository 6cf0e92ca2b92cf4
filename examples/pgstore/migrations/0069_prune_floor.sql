-- Rule N9 (issue 14 §3): the audit trail is kept at least 5 years from
-- each event (NEN 7513; Stcrt. 2019, 38007). The library prunes only
-- past its policy's audit retention, which Validate keeps at 5 years or
-- more; until now prune_chain and prune_legacy deleted whatever their
-- caller named, so the application's role, in the wrong hands, could
-- prune a subject's recent events (the forged anchor would be found by
-- verification, but the events would be gone). Both now refuse, with
-- SQLSTATE DWG09, to delete an event younger than the floor kept here by
-- the database's own clock: 5 years, less two days for clocks that
-- disagree. Only the owner writes the floor. clock_offset moves the
-- database's clock for the floor's sake only; it is zero in production,
-- and tests that sweep at dates to come set it (as the owner).
-- A CREATE OR REPLACE carries the whole body: 0067's prune_chain and
-- 0068's prune_legacy are restated with the one check added; their
-- grants stay.

CREATE TABLE {schema}.audit_prune_floor (
	one          boolean PRIMARY KEY DEFAULT true CHECK (one),
	period       interval NOT NULL CHECK (period >= interval '5 years'),
	clock_offset interval NOT NULL DEFAULT interval '0'
);
INSERT INTO {schema}.audit_prune_floor (period) VALUES (interval '5 years');

-- The latest time an event may have to be pruned now.
CREATE FUNCTION {schema}.audit_prune_before() RETURNS timestamptz
	LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
	SELECT now() + f.clock_offset - f.period + interval '2 days' FROM {schema}.audit_prune_floor f
$$;
REVOKE ALL ON FUNCTION {schema}.audit_prune_before() FROM PUBLIC;

CREATE OR REPLACE FUNCTION {schema}.prune_chain(chain text, upto bigint, h bytea, m bytea) RETURNS bigint
	LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	n bigint;
BEGIN
	PERFORM pg_advisory_xact_lock({auditlock32}, hashtext(chain));
	IF EXISTS (SELECT 1 FROM {schema}.audit_anchors a WHERE a.subject = chain AND a.seq >= upto) THEN
		RETURN 0;
	END IF;
	IF NOT EXISTS (SELECT 1 FROM {schema}.audit_events e WHERE e.subject = chain AND e.seq = upto AND e.hash = h)
		OR octet_length(m) IS DISTINCT FROM 32 THEN
		RAISE EXCEPTION 'prune_chain: event % of chain % is not there', upto, chain USING ERRCODE = 'DWG07';
	END IF;
	IF EXISTS (SELECT 1 FROM {schema}.audit_events e WHERE e.subject = chain AND e.seq <= upto
		AND e.time >= {schema}.audit_prune_before()) THEN
		RAISE EXCEPTION 'prune_chain: the events up to % are within the audit retention', upto USING ERRCODE = 'DWG09';
	END IF;
	INSERT INTO {schema}.audit_anchors (subject, seq, hash, mac) VALUES (chain, upto, h, m)
		ON CONFLICT (subject) DO UPDATE SET seq = excluded.seq, hash = excluded.hash, mac = excluded.mac;
	DELETE FROM {schema}.audit_events e WHERE e.subject = chain AND e.seq <= upto;
	GET DIAGNOSTICS n = ROW_COUNT;
	RETURN n;
END
$$;

CREATE OR REPLACE FUNCTION {schema}.prune_legacy(cut timestamptz) RETURNS bigint
	LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	n bigint;
BEGIN
	IF cut > {schema}.audit_prune_before() THEN
		RAISE EXCEPTION 'prune_legacy: the cut is within the audit retention' USING ERRCODE = 'DWG09';
	END IF;
	DELETE FROM {schema}.audit_events_legacy l WHERE l.seq <= (SELECT max(m.seq) FROM {schema}.audit_events_legacy m
		WHERE m.time < cut AND m.seq < coalesce((SELECT min(f.seq) FROM {schema}.audit_events_legacy f
			WHERE f.time >= cut), 9223372036854775807));
	GET DIAGNOSTICS n = ROW_COUNT;
	RETURN n;
END
$$;
