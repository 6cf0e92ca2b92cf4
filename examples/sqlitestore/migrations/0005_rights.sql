-- The data subjects' requests (package rights: rules R11, O13, G2,
-- G3, N11). Times are microseconds since 1970-01-01 UTC, NULL the zero
-- time; dates are their text YYYY-MM-DD, which sorts as the dates do, NULL
-- the zero date. The history is a JSON array of steps (IDs, times, rules
-- and staff's reasons, never record content); steps counts them, for the
-- compare-and-swap of UpdateRequest.

CREATE TABLE requests (
	id            TEXT    NOT NULL PRIMARY KEY,
	subject_id    TEXT    NOT NULL,
	kind          TEXT    NOT NULL,
	form          TEXT    NOT NULL,
	received      INTEGER,
	document      TEXT    NOT NULL,
	records       TEXT    NOT NULL,
	written_rule  TEXT    NOT NULL,
	written       INTEGER,
	status        TEXT    NOT NULL,
	open          INTEGER NOT NULL CHECK (open IN (0, 1)),
	due           TEXT,
	due_rule      TEXT    NOT NULL,
	due_citation  TEXT    NOT NULL,
	due_extension TEXT    NOT NULL,
	policy        TEXT    NOT NULL,
	steps         INTEGER NOT NULL,
	history       TEXT    NOT NULL
) STRICT;

-- A subject's requests in order (SubjectRequests).
CREATE INDEX requests_subject ON requests (subject_id, received, id);

-- The open requests by deadline (OpenRequests): only those neither
-- answered nor refused are in the index, so it stays small however many
-- requests were ever answered.
CREATE INDEX requests_open ON requests (due, id) WHERE open = 1;
