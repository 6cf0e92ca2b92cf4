-- Subjects, cases and records; the medical file in a schema of its own
-- (rule O6), so that a database role can be limited to it. {schema} and
-- {medical} are the adapter's quoted schema names. IDs compare byte by byte
-- (COLLATE "C"), as the other adapters order them. A record's fields are
-- one opaque value (see sqladapter.EncodeFields).

CREATE SCHEMA IF NOT EXISTS {medical};

CREATE TABLE {schema}.subjects (
	id               text COLLATE "C" PRIMARY KEY,
	employer         text NOT NULL,
	employment_ended timestamptz,
	created          timestamptz
);

CREATE TABLE {schema}.cases (
	id                  text COLLATE "C" PRIMARY KEY,
	subject_id          text COLLATE "C" NOT NULL REFERENCES {schema}.subjects (id),
	kind                text NOT NULL,
	purpose             text NOT NULL,
	contract_id         text NOT NULL,
	contract_party      text NOT NULL,
	contract_party_kind text NOT NULL,
	contract_start      timestamptz,
	contract_end        timestamptz,
	opened              timestamptz,
	closed              timestamptz
);

-- A subject's cases in order (SubjectCases, DeleteSubject).
CREATE INDEX cases_subject ON {schema}.cases (subject_id, opened NULLS FIRST, id);

CREATE TABLE {schema}.records (
	id           text COLLATE "C" PRIMARY KEY,
	case_id      text COLLATE "C" NOT NULL REFERENCES {schema}.cases (id),
	subject_id   text COLLATE "C" NOT NULL,
	category     text NOT NULL,
	author       text NOT NULL,
	source_kind  text NOT NULL,
	source_party text NOT NULL,
	purpose      text NOT NULL,
	basis        text NOT NULL,
	created      timestamptz NOT NULL,
	updated      timestamptz,
	fields       bytea NOT NULL
);

-- A case's records in order (CaseRecords, DeleteCase).
CREATE INDEX records_case ON {schema}.records (case_id, created, id);

-- Rule O6: the medical file, apart.
CREATE TABLE {medical}.records (
	id           text COLLATE "C" PRIMARY KEY,
	case_id      text COLLATE "C" NOT NULL REFERENCES {schema}.cases (id),
	subject_id   text COLLATE "C" NOT NULL,
	category     text NOT NULL,
	author       text NOT NULL,
	source_kind  text NOT NULL,
	source_party text NOT NULL,
	purpose      text NOT NULL,
	basis        text NOT NULL,
	created      timestamptz NOT NULL,
	updated      timestamptz,
	fields       bytea NOT NULL
);

CREATE INDEX records_case ON {medical}.records (case_id, created, id);
