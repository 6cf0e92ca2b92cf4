-- The data subjects' requests (package rights: rules R11, O13, G2,
-- G3, N11). Dates are their text YYYY-MM-DD, which sorts as the dates do
-- (COLLATE "C"), NULL the zero date. The history is a JSON array of steps
-- (IDs, times, rules and staff's reasons, never record content); steps
-- counts them, for the compare-and-swap of UpdateRequest.

CREATE TABLE {schema}.requests (
	id            text COLLATE "C" PRIMARY KEY,
	subject_id    text COLLATE "C" NOT NULL,
	kind          text NOT NULL,
	form          text NOT NULL,
	received      timestamptz,
	document      text NOT NULL,
	records       text[] NOT NULL,
	written_rule  text NOT NULL,
	written       timestamptz,
	status        text NOT NULL,
	open          boolean NOT NULL,
	due           text COLLATE "C",
	due_rule      text NOT NULL,
	due_citation  text NOT NULL,
	due_extension text NOT NULL,
	policy        text NOT NULL,
	steps         integer NOT NULL,
	history       jsonb NOT NULL
);

-- A subject's requests in order (SubjectRequests).
CREATE INDEX requests_subject ON {schema}.requests (subject_id, received NULLS FIRST, id);

-- The open requests by deadline (OpenRequests): only those neither
-- answered nor refused are in the index, so it stays small however many
-- requests were ever answered.
CREATE INDEX requests_open ON {schema}.requests (due NULLS FIRST, id) WHERE open;
