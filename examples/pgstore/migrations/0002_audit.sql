-- The hash-chained audit trail (rules G7, N9). seq numbers the events from
-- 1 without gaps; prev and hash chain them (privacy.Event.Chain).

CREATE TABLE {schema}.audit_events (
	seq          bigint PRIMARY KEY,
	time         timestamptz,
	principal    text NOT NULL,
	role         text NOT NULL,
	on_behalf_of text NOT NULL,
	purpose      text NOT NULL,
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
	hash         bytea NOT NULL
);

-- Who accessed a subject's data (N9), in order.
CREATE INDEX audit_events_subject ON {schema}.audit_events (subject, seq);

-- Rule G7: the trail is append-only. SQLSTATE DWG07 tells the adapter.
CREATE FUNCTION {schema}.audit_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	RAISE EXCEPTION 'audit events are append-only' USING ERRCODE = 'DWG07';
END
$$;

CREATE TRIGGER audit_events_no_change BEFORE UPDATE OR DELETE ON {schema}.audit_events
	FOR EACH ROW EXECUTE FUNCTION {schema}.audit_events_append_only();

CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON {schema}.audit_events
	FOR EACH STATEMENT EXECUTE FUNCTION {schema}.audit_events_append_only();
