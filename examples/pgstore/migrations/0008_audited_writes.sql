-- Rules O1, G7, N9: every write and every read of the medical file is
-- audited in its own transaction. The physicians' role (see Grants) may not
-- insert into the audit trail: it appends through this function, which
-- runs as the schema's owner with a fixed search_path, takes the trail's
-- advisory lock ({auditlock}, the key the adapter's own appends take), and
-- numbers, links and hashes each event itself, exactly as
-- privacy.Event.Chain does: SHA-256 over the sequence number, the previous
-- hash, the time in microseconds since 1970 (year 1 for a NULL time), and
-- each text field, length-prefixed, all integers big-endian. A caller can
-- append events, never rewrite, renumber or mislink one. It returns each
-- event's number, link and hash; the adapter checks them against its own.

CREATE FUNCTION {schema}.append_events(times timestamptz[], principals text[], roles text[], on_behalf_ofs text[],
	purposes text[], subjects text[], case_ids text[], categories text[], objects text[], actions text[], outcomes text[],
	rules text[], policies text[], access_points text[], clients text[])
	RETURNS TABLE (out_seq bigint, out_prev bytea, out_hash bytea)
	LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	n integer := coalesce(cardinality(times), 0);
	last_seq bigint;
	last_hash bytea;
	seqs bigint[] := '{}';
	prevs bytea[] := '{}';
	hashes bytea[] := '{}';
	buf bytea;
BEGIN
	IF n = 0 OR coalesce(cardinality(principals), 0) <> n OR coalesce(cardinality(roles), 0) <> n
		OR coalesce(cardinality(on_behalf_ofs), 0) <> n OR coalesce(cardinality(purposes), 0) <> n
		OR coalesce(cardinality(subjects), 0) <> n OR coalesce(cardinality(case_ids), 0) <> n
		OR coalesce(cardinality(categories), 0) <> n OR coalesce(cardinality(objects), 0) <> n
		OR coalesce(cardinality(actions), 0) <> n OR coalesce(cardinality(outcomes), 0) <> n
		OR coalesce(cardinality(rules), 0) <> n OR coalesce(cardinality(policies), 0) <> n
		OR coalesce(cardinality(access_points), 0) <> n OR coalesce(cardinality(clients), 0) <> n THEN
		RAISE EXCEPTION 'append_events: the columns differ in length' USING ERRCODE = '22023';
	END IF;
	PERFORM pg_advisory_xact_lock({auditlock});
	SELECT e.seq, e.hash INTO last_seq, last_hash FROM {schema}.audit_events e ORDER BY e.seq DESC LIMIT 1;
	IF NOT FOUND THEN
		last_seq := 0;
		last_hash := decode(repeat('00', 32), 'hex');
	END IF;
	FOR i IN 1..n LOOP
		last_seq := last_seq + 1;
		buf := int8send(last_seq) || last_hash || int8send(CASE WHEN times[i] IS NULL THEN -62135596800000000
			ELSE (extract(epoch FROM times[i]) * 1000000)::bigint END);
		-- Each text field as its UTF-8 bytes, length-prefixed.
		buf := buf
			|| int8send(octet_length(convert_to(coalesce(principals[i], ''), 'UTF8'))::bigint) || convert_to(coalesce(principals[i], ''), 'UTF8')
			|| int8send(octet_length(convert_to(coalesce(roles[i], ''), 'UTF8'))::bigint) || convert_to(coalesce(roles[i], ''), 'UTF8')
			|| int8send(octet_length(convert_to(coalesce(on_behalf_ofs[i], ''), 'UTF8'))::bigint) || convert_to(coalesce(on_behalf_ofs[i], ''), 'UTF8')
			|| int8send(octet_length(convert_to(coalesce(purposes[i], ''), 'UTF8'))::bigint) || convert_to(coalesce(purposes[i], ''), 'UTF8')
			|| int8send(octet_length(convert_to(coalesce(subjects[i], ''), 'UTF8'))::bigint) || convert_to(coalesce(subjects[i], ''), 'UTF8')
			|| int8send(octet_length(convert_to(coalesce(case_ids[i], ''), 'UTF8'))::bigint) || convert_to(coalesce(case_ids[i], ''), 'UTF8')
			|| int8send(octet_length(convert_to(coalesce(categories[i], ''), 'UTF8'))::bigint) || convert_to(coalesce(categories[i], ''), 'UTF8')
			|| int8send(octet_length(convert_to(coalesce(objects[i], ''), 'UTF8'))::bigint) || convert_to(coalesce(objects[i], ''), 'UTF8')
			|| int8send(octet_length(convert_to(coalesce(actions[i], ''), 'UTF8'))::bigint) || convert_to(coalesce(actions[i], ''), 'UTF8')
			|| int8send(octet_length(convert_to(coalesce(outcomes[i], ''), 'UTF8'))::bigint) || convert_to(coalesce(outcomes[i], ''), 'UTF8')
			|| int8send(octet_length(convert_to(coalesce(rules[i], ''), 'UTF8'))::bigint) || convert_to(coalesce(rules[i], ''), 'UTF8')
			|| int8send(octet_length(convert_to(coalesce(policies[i], ''), 'UTF8'))::bigint) || convert_to(coalesce(policies[i], ''), 'UTF8')
			|| int8send(octet_length(convert_to(coalesce(access_points[i], ''), 'UTF8'))::bigint) || convert_to(coalesce(access_points[i], ''), 'UTF8')
			|| int8send(octet_length(convert_to(coalesce(clients[i], ''), 'UTF8'))::bigint) || convert_to(coalesce(clients[i], ''), 'UTF8');
		seqs := seqs || last_seq;
		prevs := prevs || last_hash;
		last_hash := sha256(buf);
		hashes := hashes || last_hash;
	END LOOP;
	-- One statement for the whole batch.
	INSERT INTO {schema}.audit_events (seq, time, principal, role, on_behalf_of, purpose, subject, case_id, category,
		object, action, outcome, rule, policy, access_point, client, prev, hash)
	SELECT s, t, coalesce(p, ''), coalesce(r, ''), coalesce(o, ''), coalesce(pu, ''), coalesce(su, ''), coalesce(c, ''),
		coalesce(ca, ''), coalesce(ob, ''), coalesce(a, ''), coalesce(ou, ''), coalesce(ru, ''), coalesce(po, ''),
		coalesce(ap, ''), coalesce(cl, ''), pr, h
	FROM unnest(seqs, times, principals, roles, on_behalf_ofs, purposes, subjects, case_ids, categories, objects,
		actions, outcomes, rules, policies, access_points, clients, prevs, hashes)
		AS x (s, t, p, r, o, pu, su, c, ca, ob, a, ou, ru, po, ap, cl, pr, h);
	RETURN QUERY SELECT * FROM unnest(seqs, prevs, hashes);
END
$$;

REVOKE ALL ON FUNCTION {schema}.append_events(timestamptz[], text[], text[], text[], text[], text[], text[], text[],
	text[], text[], text[], text[], text[], text[], text[]) FROM PUBLIC;

-- Rule R4: a closed case takes no records. An addition to either file
-- locks its cases' rows FOR SHARE and reads whether they are open; closing
-- a case (UPDATE) waits for it, or it for the closing, which it then sees.
-- The physicians' role may read no more of a case than its ID and may not
-- lock a row: this function does both for it, as the schema's owner, and
-- tells only which of the cases exist and are open.

CREATE FUNCTION {schema}.lock_cases(ids text[]) RETURNS TABLE (case_id text, open boolean)
	LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
	SELECT c.id, c.closed IS NULL FROM {schema}.cases c WHERE c.id = ANY (ids) ORDER BY c.id FOR SHARE
$$;

REVOKE ALL ON FUNCTION {schema}.lock_cases(text[]) FROM PUBLIC;

-- Rule R4: a case closes after what it holds. Closing it (the
-- application's role) asks whether a record of either file was created or
-- changed after the closing; the function answers that and no more, for
-- the medical file, which the role may not read.

CREATE FUNCTION {schema}.case_dated_after(c text, t timestamptz) RETURNS boolean
	LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
	SELECT EXISTS (SELECT 1 FROM {schema}.records r WHERE r.case_id = c AND greatest(r.created, r.updated) > t)
		OR EXISTS (SELECT 1 FROM {medical}.records r WHERE r.case_id = c AND greatest(r.created, r.updated) > t)
$$;

REVOKE ALL ON FUNCTION {schema}.case_dated_after(text, timestamptz) FROM PUBLIC;
