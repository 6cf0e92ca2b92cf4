-- Subjects, cases and records, with the medical file apart (rule O6).
-- Times are microseconds since 1970-01-01 UTC; NULL is the zero time.
-- A record's fields are one opaque value (see sqladapter.EncodeFields).

CREATE TABLE subjects (
	id               TEXT    NOT NULL PRIMARY KEY,
	employer         TEXT    NOT NULL,
	employment_ended INTEGER,
	created          INTEGER
) STRICT;

CREATE TABLE cases (
	id                  TEXT NOT NULL PRIMARY KEY,
	subject_id          TEXT NOT NULL REFERENCES subjects (id),
	kind                TEXT NOT NULL,
	purpose             TEXT NOT NULL,
	contract_id         TEXT NOT NULL,
	contract_party      TEXT NOT NULL,
	contract_party_kind TEXT NOT NULL,
	contract_start      INTEGER,
	contract_end        INTEGER,
	opened              INTEGER,
	closed              INTEGER
) STRICT;

-- A subject's cases in order (SubjectCases, DeleteSubject).
CREATE INDEX cases_subject ON cases (subject_id, opened, id);

CREATE TABLE records (
	id           TEXT NOT NULL PRIMARY KEY,
	case_id      TEXT NOT NULL REFERENCES cases (id),
	subject_id   TEXT NOT NULL,
	category     TEXT NOT NULL,
	author       TEXT NOT NULL,
	source_kind  TEXT NOT NULL,
	source_party TEXT NOT NULL,
	purpose      TEXT NOT NULL,
	basis        TEXT NOT NULL,
	created      INTEGER NOT NULL,
	updated      INTEGER,
	fields       BLOB NOT NULL
) STRICT;

-- A case's records in order (CaseRecords, DeleteCase).
CREATE INDEX records_case ON records (case_id, created, id);

-- Rule O6: the medical file is a table of its own.
CREATE TABLE medical_records (
	id           TEXT NOT NULL PRIMARY KEY,
	case_id      TEXT NOT NULL REFERENCES cases (id),
	subject_id   TEXT NOT NULL,
	category     TEXT NOT NULL,
	author       TEXT NOT NULL,
	source_kind  TEXT NOT NULL,
	source_party TEXT NOT NULL,
	purpose      TEXT NOT NULL,
	basis        TEXT NOT NULL,
	created      INTEGER NOT NULL,
	updated      INTEGER,
	fields       BLOB NOT NULL
) STRICT;

CREATE INDEX medical_records_case ON medical_records (case_id, created, id);
