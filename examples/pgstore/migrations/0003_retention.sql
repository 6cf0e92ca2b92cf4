-- Package retention's data: legal holds (rule G3), granted erasure
-- requests (R9, O13, N8) and proofs of deletion, each kept in the order
-- stored (seq). A scope's record IDs are an array, NULL for all. Proofs
-- hold IDs, categories, dates and rule IDs only, never a record's content,
-- and outlive the records, cases and subjects they prove deleted: no
-- foreign keys. A proof's recipients are a JSON array (G4).

CREATE TABLE {schema}.holds (
	seq         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	id          text COLLATE "C" NOT NULL UNIQUE,
	subject_id  text COLLATE "C" NOT NULL,
	case_id     text COLLATE "C",
	records     text[],
	ground      text NOT NULL,
	reason      text NOT NULL,
	placed_by   text NOT NULL,
	placed      timestamptz,
	lifted_by   text,
	lifted      timestamptz,
	lift_reason text
);

-- A subject's holds in order (Dossier; the hold check of EraseRecords).
CREATE INDEX holds_subject ON {schema}.holds (subject_id, seq);

CREATE TABLE {schema}.erasures (
	seq        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	id         text COLLATE "C" NOT NULL UNIQUE,
	subject_id text COLLATE "C" NOT NULL,
	case_id    text COLLATE "C",
	records    text[],
	rule       text NOT NULL,
	received   timestamptz,
	decided    timestamptz,
	decided_by text NOT NULL
);

-- A subject's requests in order (Dossier), and by decision time
-- (Candidates).
CREATE INDEX erasures_subject ON {schema}.erasures (subject_id, seq);
CREATE INDEX erasures_decided ON {schema}.erasures (subject_id, decided);

-- One index fewer to write per deletion: seq orders, record_id keys.
CREATE TABLE {schema}.proofs (
	seq          bigint GENERATED ALWAYS AS IDENTITY,
	record_id    text COLLATE "C" PRIMARY KEY,
	medical      boolean NOT NULL,
	case_id      text COLLATE "C" NOT NULL,
	case_kind    text NOT NULL,
	subject_id   text COLLATE "C" NOT NULL,
	category     text NOT NULL,
	updated      timestamptz,
	due          text,
	deleted      timestamptz,
	rule         text NOT NULL,
	reason       text NOT NULL,
	citation     text NOT NULL,
	erasure      text NOT NULL,
	policy       text NOT NULL,
	by_principal text NOT NULL,
	recipients   text
);

-- A subject's proofs in order (Proofs).
CREATE INDEX proofs_subject ON {schema}.proofs (subject_id, seq);

-- Candidates walks the subjects in ID order on an index that carries the
-- employment end, and asks each, from an index, whether a case of it
-- closed, a record of it was created (records_case) or an erasure request
-- of it was decided before a cut-off.
CREATE INDEX subjects_employment_ended ON {schema}.subjects (id) INCLUDE (employment_ended);
CREATE INDEX cases_closed ON {schema}.cases (subject_id, closed) WHERE closed IS NOT NULL;
