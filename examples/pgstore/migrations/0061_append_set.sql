-- Rule G7 (issue 14 §2): append_chained checks each chain once, not each
-- event. It walks the batch chain by chain, in the byte order of the
-- chains' names, locking each chain as its run starts (so two appends
-- never wait on each other crosswise) and reading its head once; checks
-- that the chain's events follow it and each other, number by number and
-- link by link; and inserts the whole batch with one statement, in the
-- order given (the trail's order of appending). What it checks is what
-- it checked before; only the work is less.
--
-- An event that does not follow its chain's head is refused with
-- SQLSTATE DWG7S (the chain moved on: an adapter that appended from a head
-- it remembered reads the head again and chains anew); every other refusal
-- stays DWG07.

CREATE OR REPLACE FUNCTION {schema}.append_chained(seqs bigint[], times timestamptz[], principals text[], roles text[],
	on_behalf_ofs text[], purposes text[], subjects text[], case_ids text[], categories text[], objects text[],
	actions text[], outcomes text[], rules text[], policies text[], access_points text[], clients text[],
	prevs bytea[], hashes bytea[])
	RETURNS void LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	n integer := coalesce(cardinality(seqs), 0);
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
