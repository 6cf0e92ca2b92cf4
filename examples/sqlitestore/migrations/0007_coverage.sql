-- The coverage register (package consent, rule O11): which absence insurer
-- covers which employer, from when until when. Times are microseconds
-- since 1970-01-01 UTC; NULL is the zero time.

CREATE TABLE consent_coverage (
	id          TEXT NOT NULL PRIMARY KEY,
	insurer     TEXT NOT NULL,
	employer    TEXT NOT NULL,
	valid_from  INTEGER,
	valid_until INTEGER
) STRICT;

-- An employer's coverage in order (EmployerCoverage, and Disclose, which
-- reads it before it decides an insurer's overview).
CREATE INDEX consent_coverage_employer ON consent_coverage (employer, valid_from, id);

-- The disclosure log keeps the recipient's written request (rule O14) and
-- the coverage an insurer's overview rested on (O11).
ALTER TABLE disclosures ADD COLUMN written_request TEXT NOT NULL DEFAULT '';
ALTER TABLE disclosures ADD COLUMN coverage_id TEXT NOT NULL DEFAULT '';

-- The overviews that rest on a coverage, from a time on (EndCoverage's
-- check).
CREATE INDEX disclosures_coverage ON disclosures (coverage_id, at, id) WHERE coverage_id <> '';
