-- Rule G7 (issue 14): one audit chain per subject (events about no subject
-- in the service's own chain, ''), numbered from 1 per chain, so that
-- appends lock only their chain ({auditlock} with the chain's hash) and
-- never serialise the service; a subject's chain verifies, prunes and is
-- handed over on its own. Links are computed by the adapter under a key
-- the database does not hold (privacy.Event.ChainKeyed): the database
-- checks numbering and links, never the hash.
--
-- Migration: the events of the one global chain stay in
-- audit_events_legacy, append-only as before (access.Verify checks them
-- as one unkeyed chain); the chains start empty.

ALTER TABLE {schema}.audit_events RENAME TO audit_events_legacy;
ALTER INDEX {schema}.audit_events_subject RENAME TO audit_events_legacy_subject;

CREATE TABLE {schema}.audit_events (
	seq          bigint NOT NULL,
	time         timestamptz,
	principal    text NOT NULL,
	role         text NOT NULL,
	on_behalf_of text NOT NULL,
	purpose      text NOT NULL,
	-- Every table with personal data carries the subject's ID and its hot
	-- queries filter by it: the trail can be distributed by subject.
	subject      text COLLATE "C" NOT NULL,
	case_id      text NOT NULL,
	category     text NOT NULL,
	object       text NOT NULL,
	action       text NOT NULL,
	outcome      text NOT NULL,
	rule         text NOT NULL,
	policy       text NOT NULL,
	access_point text NOT NULL,
	client       text NOT NULL,
	prev         bytea NOT NULL,
	hash         bytea NOT NULL,
	-- The order of appending, for reading the whole trail in pages.
	pos          bigint GENERATED ALWAYS AS IDENTITY,
	PRIMARY KEY (subject, seq)
);

CREATE INDEX audit_events_pos ON {schema}.audit_events (pos);

-- The signed starting point of each pruned chain (privacy.Anchor).
CREATE TABLE {schema}.audit_anchors (
	subject text COLLATE "C" PRIMARY KEY,
	seq     bigint NOT NULL CHECK (seq > 0),
	hash    bytea NOT NULL,
	mac     bytea NOT NULL
);

-- Rule G7: append-only; only events at or before their chain's anchor may
-- go (pruning after the audit retention, N9); an anchor only moves on.
CREATE FUNCTION {schema}.audit_chain_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF TG_OP = 'DELETE' AND EXISTS (SELECT 1 FROM {schema}.audit_anchors a
		WHERE a.subject = OLD.subject AND OLD.seq <= a.seq) THEN
		RETURN OLD;
	END IF;
	RAISE EXCEPTION 'audit events are append-only' USING ERRCODE = 'DWG07';
END
$$;

CREATE TRIGGER audit_chain_no_change BEFORE UPDATE OR DELETE ON {schema}.audit_events
	FOR EACH ROW EXECUTE FUNCTION {schema}.audit_chain_guard();

CREATE TRIGGER audit_chain_no_truncate BEFORE TRUNCATE ON {schema}.audit_events
	FOR EACH STATEMENT EXECUTE FUNCTION {schema}.audit_events_append_only();

CREATE FUNCTION {schema}.audit_anchor_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF TG_OP = 'UPDATE' AND NEW.subject = OLD.subject AND NEW.seq >= OLD.seq THEN
		RETURN NEW;
	END IF;
	RAISE EXCEPTION 'an audit anchor only moves on' USING ERRCODE = 'DWG07';
END
$$;

CREATE TRIGGER audit_anchors_forward BEFORE UPDATE OR DELETE ON {schema}.audit_anchors
	FOR EACH ROW EXECUTE FUNCTION {schema}.audit_anchor_guard();

-- The one way every role appends (E): it locks each chain, and appends an
-- event only as the next of its chain, linked to the chain's last hash (or
-- its anchor's). The hash itself is the adapter's, under a key the
-- database does not hold.
CREATE FUNCTION {schema}.append_chained(seqs bigint[], times timestamptz[], principals text[], roles text[],
	on_behalf_ofs text[], purposes text[], subjects text[], case_ids text[], categories text[], objects text[],
	actions text[], outcomes text[], rules text[], policies text[], access_points text[], clients text[],
	prevs bytea[], hashes bytea[])
	RETURNS void LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	n integer := coalesce(cardinality(seqs), 0);
	last_seq bigint;
	last_hash bytea;
BEGIN
	IF n = 0 OR coalesce(cardinality(times), 0) <> n OR coalesce(cardinality(subjects), 0) <> n
		OR coalesce(cardinality(prevs), 0) <> n OR coalesce(cardinality(hashes), 0) <> n THEN
		RAISE EXCEPTION 'append_chained: the columns differ in length' USING ERRCODE = '22023';
	END IF;
	FOR i IN 1..n LOOP
		PERFORM pg_advisory_xact_lock({auditlock32}, hashtext(coalesce(subjects[i], '')));
		SELECT x.seq, x.hash INTO last_seq, last_hash FROM (
			SELECT e.seq, e.hash FROM {schema}.audit_events e WHERE e.subject = coalesce(subjects[i], '')
			UNION ALL
			SELECT a.seq, a.hash FROM {schema}.audit_anchors a WHERE a.subject = coalesce(subjects[i], '')
		) x ORDER BY x.seq DESC LIMIT 1;
		IF NOT FOUND THEN
			last_seq := 0;
			last_hash := decode(repeat('00', 32), 'hex');
		END IF;
		IF seqs[i] IS DISTINCT FROM last_seq + 1 OR prevs[i] IS DISTINCT FROM last_hash
			OR octet_length(hashes[i]) IS DISTINCT FROM 32 THEN
			RAISE EXCEPTION 'append_chained: event % of chain % does not follow its chain', seqs[i], subjects[i]
				USING ERRCODE = 'DWG07';
		END IF;
		INSERT INTO {schema}.audit_events (seq, time, principal, role, on_behalf_of, purpose, subject, case_id, category,
			object, action, outcome, rule, policy, access_point, client, prev, hash)
		VALUES (seqs[i], times[i], coalesce(principals[i], ''), coalesce(roles[i], ''), coalesce(on_behalf_ofs[i], ''),
			coalesce(purposes[i], ''), coalesce(subjects[i], ''), coalesce(case_ids[i], ''), coalesce(categories[i], ''),
			coalesce(objects[i], ''), coalesce(actions[i], ''), coalesce(outcomes[i], ''), coalesce(rules[i], ''),
			coalesce(policies[i], ''), coalesce(access_points[i], ''), coalesce(clients[i], ''), prevs[i], hashes[i]);
	END LOOP;
END
$$;

REVOKE ALL ON FUNCTION {schema}.append_chained(bigint[], timestamptz[], text[], text[], text[], text[], text[], text[],
	text[], text[], text[], text[], text[], text[], text[], text[], bytea[], bytea[]) FROM PUBLIC;

-- Rules N9, G7: pruning after the audit retention. The chain's events up
-- to seq go, and its anchor moves to seq, where the event with that hash
-- must be. The MAC is the adapter's (under the key the database does not
-- hold); a role that forges one is caught by the verifier. No role
-- deletes from the trail but through here.
CREATE FUNCTION {schema}.prune_chain(chain text, upto bigint, h bytea, m bytea) RETURNS bigint
	LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	n bigint;
BEGIN
	PERFORM pg_advisory_xact_lock({auditlock32}, hashtext(chain));
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

REVOKE ALL ON FUNCTION {schema}.prune_chain(text, bigint, bytea, bytea) FROM PUBLIC;

-- The function of migration 0008 appended to the one global chain; roles
-- granted it before keep no way in through it.
CREATE OR REPLACE FUNCTION {schema}.append_events(times timestamptz[], principals text[], roles text[], on_behalf_ofs text[],
	purposes text[], subjects text[], case_ids text[], categories text[], objects text[], actions text[], outcomes text[],
	rules text[], policies text[], access_points text[], clients text[])
	RETURNS TABLE (out_seq bigint, out_prev bytea, out_hash bytea)
	LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
	RAISE EXCEPTION 'append_events: replaced by append_chained (migration 0060)' USING ERRCODE = 'DWG07';
END
$$;

-- A chain's head (its last event, or its anchor when every event was
-- pruned), its chain locked until the transaction ends: what an append
-- reads first, in one round trip, also for a role that may not read the
-- trail (the physicians' role reads none of it: E, only what it needs).
-- PL/pgSQL, so that the plan of its query is kept for the session.
CREATE FUNCTION {schema}.chain_head_locked(chain text) RETURNS TABLE (seq bigint, hash bytea)
	LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
	PERFORM pg_advisory_xact_lock({auditlock32}, hashtext(chain));
	RETURN QUERY SELECT x.seq, x.hash FROM (SELECT e.seq, e.hash FROM {schema}.audit_events e WHERE e.subject = chain
		ORDER BY e.seq DESC LIMIT 1) x
	UNION ALL
	SELECT a.seq, a.hash FROM {schema}.audit_anchors a WHERE a.subject = chain
		AND NOT EXISTS (SELECT 1 FROM {schema}.audit_events e WHERE e.subject = chain);
END
$$;

REVOKE ALL ON FUNCTION {schema}.chain_head_locked(text) FROM PUBLIC;
