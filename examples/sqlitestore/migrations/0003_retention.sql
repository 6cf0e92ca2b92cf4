-- Package retention's data: legal holds (rule G3), granted erasure
-- requests (R9, O13, N8) and proofs of deletion, each kept in the order
-- stored (seq). A scope's record IDs are a JSON array, NULL for all. Proofs
-- hold IDs, categories, dates and rule IDs only, never a record's content,
-- and outlive the records, cases and subjects they prove deleted: no
-- foreign keys.

CREATE TABLE holds (
	seq         INTEGER NOT NULL PRIMARY KEY,
	id          TEXT    NOT NULL UNIQUE,
	subject_id  TEXT    NOT NULL,
	case_id     TEXT,
	records     BLOB,
	ground      TEXT    NOT NULL,
	reason      TEXT    NOT NULL,
	placed_by   TEXT    NOT NULL,
	placed      INTEGER,
	lifted_by   TEXT,
	lifted      INTEGER,
	lift_reason TEXT
) STRICT;

-- A subject's holds in order (Dossier; the hold check of EraseRecord).
CREATE INDEX holds_subject ON holds (subject_id, seq);

CREATE TABLE erasures (
	seq        INTEGER NOT NULL PRIMARY KEY,
	id         TEXT    NOT NULL UNIQUE,
	subject_id TEXT    NOT NULL,
	case_id    TEXT,
	records    BLOB,
	rule       TEXT    NOT NULL,
	received   INTEGER,
	decided    INTEGER,
	decided_by TEXT    NOT NULL
) STRICT;

-- A subject's requests in order (Dossier), and by decision time
-- (Candidates).
CREATE INDEX erasures_subject ON erasures (subject_id, seq);
CREATE INDEX erasures_decided ON erasures (subject_id, decided);

CREATE TABLE proofs (
	seq          INTEGER NOT NULL PRIMARY KEY,
	record_id    TEXT    NOT NULL UNIQUE,
	medical      INTEGER NOT NULL,
	case_id      TEXT    NOT NULL,
	case_kind    TEXT    NOT NULL,
	subject_id   TEXT    NOT NULL,
	category     TEXT    NOT NULL,
	updated      INTEGER,
	due          TEXT,
	deleted      INTEGER,
	rule         TEXT    NOT NULL,
	reason       TEXT    NOT NULL,
	citation     TEXT    NOT NULL,
	erasure      TEXT    NOT NULL,
	policy       TEXT    NOT NULL,
	by_principal TEXT    NOT NULL,
	recipients   BLOB
) STRICT;

-- A subject's proofs in order (Proofs).
CREATE INDEX proofs_subject ON proofs (subject_id, seq);

-- Candidates walks the subjects in ID order and asks each, from an index,
-- whether its employment ended, a case of it closed, a record of it was
-- created or an erasure request of it was decided before a cut-off.
CREATE INDEX subjects_employment_ended ON subjects (id, employment_ended);
CREATE INDEX cases_closed ON cases (subject_id, closed) WHERE closed IS NOT NULL;
