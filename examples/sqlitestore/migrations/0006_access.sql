-- What package access keeps beside the audit trail: the groups an
-- employer was answered a group figure about (rule N12), one row per
-- answered group, numbered per employer from 1 without gaps. members is a
-- JSON array of subject IDs, sorted.

CREATE TABLE access_groups (
	employer TEXT    NOT NULL,
	version  INTEGER NOT NULL CHECK (version > 0),
	members  TEXT    NOT NULL,
	PRIMARY KEY (employer, version)
) STRICT, WITHOUT ROWID;
