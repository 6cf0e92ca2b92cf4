-- Proofs of the deletion of stored objects besides records (issue 14,
-- retention.ObjectStore): subjects, cases, legal holds, erasure requests,
-- consent grants, subject requests and disclosure-log entries, one per
-- kind and ID, kept after the object and its subject are gone (rules R9,
-- O12, N7, G3, G4). Identifiers, dates and rules only, never content.
CREATE TABLE object_proofs (
	seq          INTEGER NOT NULL PRIMARY KEY,
	kind         TEXT    NOT NULL,
	id           TEXT    NOT NULL,
	subject_id   TEXT    NOT NULL,
	case_id      TEXT    NOT NULL,
	ended        INTEGER,
	due          TEXT,
	deleted      INTEGER,
	rule         TEXT    NOT NULL,
	reason       TEXT    NOT NULL,
	citation     TEXT    NOT NULL,
	policy       TEXT    NOT NULL,
	by_principal TEXT    NOT NULL,
	UNIQUE (kind, id)
) STRICT;

-- A subject's proofs in order (ObjectProofs).
CREATE INDEX object_proofs_subject ON object_proofs (subject_id, seq);

-- A sweep also walks the subjects created before a time
-- (retention.Query.SubjectCreatedBefore): the walk in ID order reads the
-- end of employment and the creation from one index.
CREATE INDEX subjects_retention ON subjects (id, employment_ended, created);
