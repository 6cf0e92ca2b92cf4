-- Rule G7 (issue 14): one audit chain per subject (events about no subject
-- in the service's own chain, ''), numbered from 1 per chain, so that
-- chains append without a common lock and a subject's chain can be
-- verified, pruned and handed over on its own. The links are computed
-- under a key the database does not hold (privacy.Event.ChainKeyed).
--
-- Migration: the events of the one global chain before this migration stay
-- in audit_events_legacy, append-only as before, and verify as one chain
-- (access.Verify, unkeyed); the chains start empty in audit_events. Verify
-- the legacy chain and keep its head before migrating.

ALTER TABLE audit_events RENAME TO audit_events_legacy;

CREATE TABLE audit_events (
	seq          INTEGER NOT NULL,
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
	hash         BLOB NOT NULL,
	-- Every table with personal data carries the subject's ID and its hot
	-- queries filter by it (design: distribution by subject).
	PRIMARY KEY (subject, seq)
) STRICT;

-- The signed starting point of each pruned chain (privacy.Anchor): the
-- last event pruned, its hash, and the MAC under the key.
CREATE TABLE audit_anchors (
	subject TEXT    NOT NULL PRIMARY KEY,
	seq     INTEGER NOT NULL CHECK (seq > 0),
	hash    BLOB    NOT NULL,
	mac     BLOB    NOT NULL
) STRICT;

-- Rule G7: the trail is append-only; only events at or before their
-- chain's anchor may go (pruning after the audit retention, N9), and an
-- anchor only moves on.
CREATE TRIGGER audit_chain_no_update BEFORE UPDATE ON audit_events
BEGIN
	SELECT RAISE(ABORT, 'audit events are append-only');
END;

CREATE TRIGGER audit_chain_no_delete BEFORE DELETE ON audit_events
	WHEN NOT EXISTS (SELECT 1 FROM audit_anchors a WHERE a.subject = OLD.subject AND OLD.seq <= a.seq)
BEGIN
	SELECT RAISE(ABORT, 'audit events are append-only');
END;

CREATE TRIGGER audit_anchors_forward BEFORE UPDATE ON audit_anchors
	WHEN NEW.subject <> OLD.subject OR NEW.seq < OLD.seq
BEGIN
	SELECT RAISE(ABORT, 'an audit anchor only moves on');
END;

CREATE TRIGGER audit_anchors_no_delete BEFORE DELETE ON audit_anchors
BEGIN
	SELECT RAISE(ABORT, 'audit anchors stay');
END;
