-- Consent grants and the disclosure log (package consent: rules R6, O14,
-- O6, G1, G4). Times are microseconds since 1970-01-01 UTC; NULL is the
-- zero time. Lists (categories, grant IDs) and a disclosure's items are
-- JSON arrays of names: IDs, categories and fields, never content.

CREATE TABLE consent_grants (
	id              TEXT NOT NULL PRIMARY KEY,
	subject_id      TEXT NOT NULL,
	recipient_party TEXT NOT NULL,
	recipient_kind  TEXT NOT NULL,
	categories      TEXT NOT NULL,
	purpose         TEXT NOT NULL,
	case_id         TEXT NOT NULL,
	form            TEXT NOT NULL,
	document        TEXT NOT NULL,
	given           INTEGER,
	valid_from      INTEGER,
	valid_until     INTEGER,
	revoked         INTEGER
) STRICT;

-- A subject's grants in order (SubjectGrants, and Disclose, which reads
-- them before it decides).
CREATE INDEX consent_grants_subject ON consent_grants (subject_id, given, id);

-- The disclosure log: written by Disclose only, never changed.
CREATE TABLE disclosures (
	id              TEXT NOT NULL PRIMARY KEY,
	subject_id      TEXT NOT NULL,
	case_id         TEXT NOT NULL,
	recipient_party TEXT NOT NULL,
	recipient_kind  TEXT NOT NULL,
	items           TEXT NOT NULL,
	purpose         TEXT NOT NULL,
	at              INTEGER,
	by_principal    TEXT NOT NULL,
	role            TEXT NOT NULL,
	rule            TEXT NOT NULL,
	basis           TEXT NOT NULL,
	legal_basis     TEXT NOT NULL,
	grants          TEXT NOT NULL,
	notify_subject  INTEGER NOT NULL CHECK (notify_subject IN (0, 1)),
	policy          TEXT NOT NULL
) STRICT;

-- A subject's disclosures in order (SubjectDisclosures), and those at or
-- after a revocation's time (RevokeGrant's check).
CREATE INDEX disclosures_subject ON disclosures (subject_id, at, id);

-- The log is never rewritten (rules G1, G4): a revocation leaves it as it
-- was.
CREATE TRIGGER disclosures_no_update BEFORE UPDATE ON disclosures
BEGIN
	SELECT RAISE(ABORT, 'disclosures are never changed');
END;
