-- Consent grants and the disclosure log (package consent: rules R6, O14,
-- O6, G1, G4). Lists are text arrays; a disclosure's items are a JSON
-- array of names (categories, record IDs, fields), never content.

CREATE TABLE {schema}.consent_grants (
	id              text COLLATE "C" PRIMARY KEY,
	subject_id      text COLLATE "C" NOT NULL,
	recipient_party text NOT NULL,
	recipient_kind  text NOT NULL,
	categories      text[] NOT NULL,
	purpose         text NOT NULL,
	case_id         text NOT NULL,
	form            text NOT NULL,
	document        text NOT NULL,
	given           timestamptz,
	valid_from      timestamptz,
	valid_until     timestamptz,
	revoked         timestamptz
);

-- A subject's grants in order (SubjectGrants, and Disclose, which locks
-- them before it decides).
CREATE INDEX consent_grants_subject ON {schema}.consent_grants (subject_id, given NULLS FIRST, id);

-- The disclosure log: written by Disclose only, never changed.
CREATE TABLE {schema}.disclosures (
	id              text COLLATE "C" PRIMARY KEY,
	subject_id      text COLLATE "C" NOT NULL,
	case_id         text NOT NULL,
	recipient_party text NOT NULL,
	recipient_kind  text NOT NULL,
	items           jsonb NOT NULL,
	purpose         text NOT NULL,
	at              timestamptz,
	by_principal    text NOT NULL,
	role            text NOT NULL,
	rule            text NOT NULL,
	basis           text NOT NULL,
	legal_basis     text NOT NULL,
	grants          text[] NOT NULL,
	notify_subject  boolean NOT NULL,
	policy          text NOT NULL
);

-- A subject's disclosures in order (SubjectDisclosures), and those at or
-- after a revocation's time (RevokeGrant's check).
CREATE INDEX disclosures_subject ON {schema}.disclosures (subject_id, at NULLS FIRST, id);

-- The log is never rewritten (rules G1, G4): a revocation leaves it as it
-- was. The audit trail's SQLSTATE tells the adapter.
CREATE FUNCTION {schema}.disclosures_never_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	RAISE EXCEPTION 'disclosures are never changed' USING ERRCODE = 'DWG07';
END
$$;

CREATE TRIGGER disclosures_no_update BEFORE UPDATE ON {schema}.disclosures
	FOR EACH ROW EXECUTE FUNCTION {schema}.disclosures_never_change();
