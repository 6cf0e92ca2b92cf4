-- What package access keeps beside the audit trail: the groups an
-- employer was answered a group figure about (rule N12), one row per
-- answered group, numbered per employer from 1 without gaps; members are
-- the group's subject IDs, sorted.

CREATE TABLE {schema}.access_groups (
	employer text COLLATE "C" NOT NULL,
	version  bigint NOT NULL CHECK (version > 0),
	members  text[] NOT NULL,
	PRIMARY KEY (employer, version)
);
