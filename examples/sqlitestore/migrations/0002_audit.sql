-- The hash-chained audit trail (rules G7, N9). seq numbers the events from
-- 1 without gaps; prev and hash chain them (privacy.Event.Chain).

CREATE TABLE audit_events (
	seq          INTEGER NOT NULL PRIMARY KEY,
	time         INTEGER,
	principal    TEXT NOT NULL,
	role         TEXT NOT NULL,
	on_behalf_of TEXT NOT NULL,
	purpose      TEXT NOT NULL,
	subject      TEXT NOT NULL,
	case_id      TEXT NOT NULL,
	category     TEXT NOT NULL,
	object       TEXT NOT NULL,
	action       TEXT NOT NULL,
	outcome      TEXT NOT NULL,
	rule         TEXT NOT NULL,
	policy       TEXT NOT NULL,
	access_point TEXT NOT NULL,
	client       TEXT NOT NULL,
	prev         BLOB NOT NULL,
	hash         BLOB NOT NULL
) STRICT;

-- Who accessed a subject's data (N9), in order.
CREATE INDEX audit_events_subject ON audit_events (subject, seq);

-- Rule G7: the trail is append-only.
CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
BEGIN
	SELECT RAISE(ABORT, 'audit events are append-only');
END;

CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
BEGIN
	SELECT RAISE(ABORT, 'audit events are append-only');
END;
