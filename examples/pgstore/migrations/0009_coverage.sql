-- The coverage register (package consent, rule O11): which absence insurer
-- covers which employer, from when until when.

CREATE TABLE {schema}.consent_coverage (
	id          text COLLATE "C" PRIMARY KEY,
	insurer     text NOT NULL,
	employer    text COLLATE "C" NOT NULL,
	valid_from  timestamptz,
	valid_until timestamptz
);

-- An employer's coverage in order (EmployerCoverage, and Disclose, which
-- locks it before it decides an insurer's overview).
CREATE INDEX consent_coverage_employer ON {schema}.consent_coverage (employer, valid_from NULLS FIRST, id);

-- The disclosure log keeps the recipient's written request (rule O14) and
-- the coverage an insurer's overview rested on (O11). A constant default
-- adds the columns without rewriting a row.
ALTER TABLE {schema}.disclosures ADD COLUMN written_request text NOT NULL DEFAULT '';
ALTER TABLE {schema}.disclosures ADD COLUMN coverage_id text COLLATE "C" NOT NULL DEFAULT '';

-- The overviews that rest on a coverage, from a time on (EndCoverage's
-- check).
CREATE INDEX disclosures_coverage ON {schema}.disclosures (coverage_id, at NULLS FIRST, id) WHERE coverage_id <> '';
