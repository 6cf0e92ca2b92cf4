-- Rules N9, G7: the events of the one audit chain of the versions before
-- migration 0060, kept in audit_events_legacy, carry personal data
-- (principal, subject, case, object) like any other audit event, and are
-- kept the audit retention and no longer. Migration 0060 left them
-- append-only for ever, and its comment says access.Verify still checks
-- them: it does not, and no code read the table since. Now PruneAudit
-- (the retention sweep) deletes the table's leading run of events dated
-- before the audit retention's end through prune_legacy below, in the
-- transaction that prunes the chains, and counts them with the chains'
-- events. The legacy chain is not verified; its events go unverified, as
-- they stayed.
--
-- The table stays append-only otherwise, even to its owner: no UPDATE,
-- no TRUNCATE (0002's trigger, which stays), and a DELETE only of its
-- oldest events (after a statement, no event older than one it deleted
-- is left: pruning from the front), never one in the middle. Run
-- pgstore.Grants again: the application's role, which calls prune_chain,
-- calls prune_legacy too.

-- 0002's row trigger, which refused every DELETE, refuses UPDATE only.
DROP TRIGGER audit_events_no_change ON {schema}.audit_events_legacy;

CREATE TRIGGER audit_legacy_no_update BEFORE UPDATE ON {schema}.audit_events_legacy
	FOR EACH ROW EXECUTE FUNCTION {schema}.audit_events_append_only();

-- Checked once per statement over the rows it deleted, whatever order it
-- deleted them in.
CREATE FUNCTION {schema}.audit_legacy_front_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF EXISTS (SELECT 1 FROM {schema}.audit_events_legacy l WHERE l.seq < (SELECT max(g.seq) FROM gone g)) THEN
		RAISE EXCEPTION 'audit events are append-only' USING ERRCODE = 'DWG07';
	END IF;
	RETURN NULL;
END
$$;

CREATE TRIGGER audit_legacy_front_only AFTER DELETE ON {schema}.audit_events_legacy
	REFERENCING OLD TABLE AS gone FOR EACH STATEMENT EXECUTE FUNCTION {schema}.audit_legacy_front_only();

-- Rule N9: the legacy events past the audit retention, the leading run
-- of those dated before cut (as a chain's, migration 0060's prune_chain),
-- and nothing else. No role deletes from the trail but through here and
-- prune_chain.
CREATE FUNCTION {schema}.prune_legacy(cut timestamptz) RETURNS bigint
	LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	n bigint;
BEGIN
	DELETE FROM {schema}.audit_events_legacy l WHERE l.seq <= (SELECT max(m.seq) FROM {schema}.audit_events_legacy m
		WHERE m.time < cut AND m.seq < coalesce((SELECT min(f.seq) FROM {schema}.audit_events_legacy f
			WHERE f.time >= cut), 9223372036854775807));
	GET DIAGNOSTICS n = ROW_COUNT;
	RETURN n;
END
$$;

REVOKE ALL ON FUNCTION {schema}.prune_legacy(timestamptz) FROM PUBLIC;
