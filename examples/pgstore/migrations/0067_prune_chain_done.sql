-- Rules N9, G7: two pruning runs at once (two sweeps past the audit
-- retention) each read the chains' cuts before they take the chains'
-- locks. The one that comes second found a chain already pruned up to its
-- cut by the first, and prune_chain refused it as a trail without the
-- event (SQLSTATE DWG07), which stopped that sweep. A chain whose anchor
-- is at or past the cut has nothing left to prune there: prune_chain now
-- returns 0 for it, under the chain's lock, and leaves the anchor where
-- it is (an anchor only moves on). Any other missing event is refused as
-- before. A CREATE OR REPLACE carries the whole body: migration 0060's is
-- restated with the one check added; its grants stay.

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
	INSERT INTO {schema}.audit_anchors (subject, seq, hash, mac) VALUES (chain, upto, h, m)
		ON CONFLICT (subject) DO UPDATE SET seq = excluded.seq, hash = excluded.hash, mac = excluded.mac;
	DELETE FROM {schema}.audit_events e WHERE e.subject = chain AND e.seq <= upto;
	GET DIAGNOSTICS n = ROW_COUNT;
	RETURN n;
END
$$;
