-- Proofs of the deletion of stored objects besides records (issue 14,
-- retention.ObjectStore): subjects, cases, legal holds, erasure requests,
-- consent grants, subject requests and disclosure-log entries, one per
-- kind and ID, kept after the object and its subject are gone (rules R9,
-- O12, N7, G3, G4). Identifiers, dates and rules only, never content.
CREATE TABLE {schema}.object_proofs (
	seq          bigint GENERATED ALWAYS AS IDENTITY,
	kind         text NOT NULL,
	id           text COLLATE "C" NOT NULL,
	subject_id   text COLLATE "C" NOT NULL,
	case_id      text COLLATE "C" NOT NULL,
	ended        timestamptz,
	due          text,
	deleted      timestamptz,
	rule         text NOT NULL,
	reason       text NOT NULL,
	citation     text NOT NULL,
	policy       text NOT NULL,
	by_principal text NOT NULL,
	PRIMARY KEY (kind, id)
);

-- A subject's proofs in order (ObjectProofs).
CREATE INDEX object_proofs_subject ON {schema}.object_proofs (subject_id, seq);
