-- Rule G7 (issue 14 §2): append_chained's set-wise check of a large batch
-- (migration 0064) looks up the head of a chain only for the chain's first
-- event of the batch, and checks the others against the event before
-- them, without joining the batch to its heads. The join of 0064 was
-- planned as a nested loop over every event and every chain (4,096 x 410
-- comparisons in a sweep's batch: 120 of the 145 ms the call took,
-- measured with auto_explain); the lookup per first event takes one
-- index probe per chain. What it checks and how it refuses is unchanged:
-- a first event that does not follow its chain's head is refused with
-- SQLSTATE DWG7S (the chain moved on), any other break with DWG07. A
-- CREATE OR REPLACE carries the whole body, so 0064's is restated here
-- with the one statement changed.

CREATE OR REPLACE FUNCTION {schema}.append_chained(seqs bigint[], times timestamptz[], principals text[], roles text[],
	on_behalf_ofs text[], purposes text[], subjects text[], case_ids text[], categories text[], objects text[],
	actions text[], outcomes text[], rules text[], policies text[], access_points text[], clients text[],
	prevs bytea[], hashes bytea[])
	RETURNS void LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	n integer := coalesce(cardinality(seqs), 0);
	moved bigint;
	broken bigint;
	chain text;
	ev record;
	last_seq bigint;
	last_hash bytea;
	first boolean;
BEGIN
	IF n = 0 OR coalesce(cardinality(times), 0) <> n OR coalesce(cardinality(principals), 0) <> n
		OR coalesce(cardinality(roles), 0) <> n OR coalesce(cardinality(on_behalf_ofs), 0) <> n
		OR coalesce(cardinality(purposes), 0) <> n OR coalesce(cardinality(subjects), 0) <> n
		OR coalesce(cardinality(case_ids), 0) <> n OR coalesce(cardinality(categories), 0) <> n
		OR coalesce(cardinality(objects), 0) <> n OR coalesce(cardinality(actions), 0) <> n
		OR coalesce(cardinality(outcomes), 0) <> n OR coalesce(cardinality(rules), 0) <> n
		OR coalesce(cardinality(policies), 0) <> n OR coalesce(cardinality(access_points), 0) <> n
		OR coalesce(cardinality(clients), 0) <> n OR coalesce(cardinality(prevs), 0) <> n
		OR coalesce(cardinality(hashes), 0) <> n THEN
		RAISE EXCEPTION 'append_chained: the columns differ in length' USING ERRCODE = '22023';
	END IF;
	IF n <= 64 THEN
		-- One pass over the events in the byte order of their chains' names
		-- (the order chains are locked in everywhere, so that two appends
		-- never wait on each other crosswise), each chain's events in their
		-- order: a chain's head is read once, as its run starts.
		FOR ev IN SELECT coalesce(t.subject, '') COLLATE "C" AS subject, t.seq, t.prev, t.hash
			FROM unnest(subjects, seqs, prevs, hashes) WITH ORDINALITY AS t(subject, seq, prev, hash, ord)
			ORDER BY 1, t.ord LOOP
			IF chain IS NULL OR ev.subject <> chain THEN
				chain := ev.subject;
				PERFORM pg_advisory_xact_lock({auditlock32}, hashtext(chain));
				SELECT x.seq, x.hash INTO last_seq, last_hash FROM (
					(SELECT e.seq, e.hash FROM {schema}.audit_events e WHERE e.subject = chain ORDER BY e.seq DESC LIMIT 1)
					UNION ALL
					SELECT a.seq, a.hash FROM {schema}.audit_anchors a WHERE a.subject = chain
				) x ORDER BY x.seq DESC LIMIT 1;
				IF NOT FOUND THEN
					last_seq := 0;
					last_hash := decode(repeat('00', 32), 'hex');
				END IF;
				first := true;
			END IF;
			IF ev.seq IS DISTINCT FROM last_seq + 1 OR ev.prev IS DISTINCT FROM last_hash THEN
				IF first THEN
					RAISE EXCEPTION 'append_chained: event % of chain % does not follow its head', ev.seq, chain
						USING ERRCODE = 'DWG7S';
				END IF;
				RAISE EXCEPTION 'append_chained: event % of chain % does not follow its chain', ev.seq, chain
					USING ERRCODE = 'DWG07';
			END IF;
			IF octet_length(ev.hash) IS DISTINCT FROM 32 THEN
				RAISE EXCEPTION 'append_chained: event % of chain % has no hash', ev.seq, chain
					USING ERRCODE = 'DWG07';
			END IF;
			first := false;
			last_seq := ev.seq;
			last_hash := ev.hash;
		END LOOP;
	ELSE
		-- A large batch (a sweep's): the same checks, set-wise.
		PERFORM pg_advisory_xact_lock({auditlock32}, hashtext(d.chain))
		FROM (SELECT DISTINCT coalesce(s, '') COLLATE "C" AS chain FROM unnest(subjects) AS s ORDER BY 1) d;
		WITH evs AS MATERIALIZED (
			SELECT coalesce(t.subject, '') AS chain, t.seq, t.prev, t.hash,
				lag(t.seq) OVER w AS before_seq, lag(t.hash) OVER w AS before_hash, row_number() OVER w AS nth
			FROM unnest(subjects, seqs, prevs, hashes) WITH ORDINALITY AS t(subject, seq, prev, hash, ord)
			WINDOW w AS (PARTITION BY coalesce(t.subject, '') ORDER BY t.ord)
		)
		SELECT (SELECT count(*) FROM evs LEFT JOIN LATERAL (
				SELECT x.seq, x.hash FROM (
					(SELECT e.seq, e.hash FROM {schema}.audit_events e WHERE e.subject = evs.chain ORDER BY e.seq DESC LIMIT 1)
					UNION ALL
					SELECT a.seq, a.hash FROM {schema}.audit_anchors a WHERE a.subject = evs.chain
				) x ORDER BY x.seq DESC LIMIT 1
			) h ON true
			WHERE evs.nth = 1 AND (evs.seq IS DISTINCT FROM coalesce(h.seq, 0) + 1
				OR evs.prev IS DISTINCT FROM coalesce(h.hash, decode(repeat('00', 32), 'hex')))),
			(SELECT count(*) FROM evs WHERE (evs.nth > 1 AND (evs.seq IS DISTINCT FROM evs.before_seq + 1
				OR evs.prev IS DISTINCT FROM evs.before_hash)) OR octet_length(evs.hash) IS DISTINCT FROM 32)
		INTO moved, broken;
		IF moved > 0 THEN
			RAISE EXCEPTION 'append_chained: % chain(s) of the batch moved on past the head it follows', moved
				USING ERRCODE = 'DWG7S';
		END IF;
		IF broken > 0 THEN
			RAISE EXCEPTION 'append_chained: % event(s) of the batch do not follow their chain', broken
				USING ERRCODE = 'DWG07';
		END IF;
	END IF;
	INSERT INTO {schema}.audit_events (seq, time, principal, role, on_behalf_of, purpose, subject, case_id, category,
		object, action, outcome, rule, policy, access_point, client, prev, hash)
	SELECT t.seq, t.time, coalesce(t.principal, ''), coalesce(t.role, ''), coalesce(t.on_behalf_of, ''),
		coalesce(t.purpose, ''), coalesce(t.subject, ''), coalesce(t.case_id, ''), coalesce(t.category, ''),
		coalesce(t.object, ''), coalesce(t.action, ''), coalesce(t.outcome, ''), coalesce(t.rule, ''),
		coalesce(t.policy, ''), coalesce(t.access_point, ''), coalesce(t.client, ''), t.prev, t.hash
	FROM unnest(seqs, times, principals, roles, on_behalf_ofs, purposes, subjects, case_ids, categories, objects,
		actions, outcomes, rules, policies, access_points, clients, prevs, hashes)
		WITH ORDINALITY AS t(seq, time, principal, role, on_behalf_of, purpose, subject, case_id, category, object,
			action, outcome, rule, policy, access_point, client, prev, hash, ord)
	ORDER BY t.ord;
END
$$;
