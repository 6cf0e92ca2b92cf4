package pgstore

import (
	"strings"

	"github.com/dossierwacht/dossierwacht/privacy"
	"github.com/jackc/pgx/v5"
)

// appendChainedArgs are the argument types of the function append_chained
// (migration 0060): the number, time, 14 text fields, link and hash of
// each event, as arrays.
const appendChainedArgs = "bigint[], timestamptz[], text[], text[], text[], text[], text[], text[], text[], text[], text[], text[], text[], text[], text[], text[], bytea[], bytea[]"

// Grants returns the GRANT statements that limit two database roles to
// their part of the store in schema (its medical file in schema+"_medical";
// empty means [DefaultSchema]), for a database owner to run after the
// migrations:
//
//   - app, the application's role: the case file and the audit trail
//     (append and read only: rule G7), legal holds and erasure requests,
//     and proofs of deletion (insert and read only), never the medical
//     file;
//   - medical, the physicians' side (rule O6): the medical file, and of
//     the case file only the case IDs its records hang on. It reads none
//     of the audit trail, and appends to it only through the function
//     append_chained (migration 0060; 0061, 0064, 0065), which checks
//     that each event is the next of its subject's chain and linked to
//     its head (the store numbers, links and hashes the events, under a
//     key the database does not hold), and reads a chain's head only
//     through chain_head_locked: every write to the medical file and
//     every read of it is audited in its own transaction (rules O1, G7,
//     N9), and the role can neither insert a row of its own making nor
//     break a chain. The function append_events of migration 0008 only
//     refuses since 0060.
//
// Both roles change and delete records, and a change or deletion of held
// data is refused (rule G3): each reads the scopes of the standing legal
// holds (the medical role only the columns that say what a hold covers,
// never its ground or reason) and locks the subject's row as a hold's
// placing does; the medical role, which may not touch subjects, through
// the function lock_subject. Both add records only to open cases (rule
// R4), locking the cases' rows through the function lock_cases.
//
// Both record and revoke consent grants (they read, insert and revoke
// grants: UPDATE; Disclose also locks the grants it reads, which needs it)
// and read and append to the disclosure log, never change it. The
// application's role keeps the coverage register (rule O11: read, insert,
// end). A disclosure is decided with its case and the records it names,
// read from the store (package consent), so the registry that discloses
// runs as a role that reads the case file and, for medical data (a
// physician discloses it on written consent, O6), the medical file: GRANT
// app, medical TO discloser, as for the eraser below.
// The application's role also files and moves on subjects' requests, and
// records the groups an employer was answered a figure about (rule N12).
//
// Neither may change the schema: run migrations as the owner (or open with
// [Options].NoMigrate). Deleting a case or a subject erases its medical
// records too, so the role that erases (a retention sweep, an erasure
// request) is given both: GRANT app, medical TO eraser. So is the role
// that runs retention sweeps, and that computes schedules
// (retention.Store's Dossier and Candidates list the entries of both
// files, never their content); a sweep also removes the other kinds of
// stored data, for which [EraserGrants] gives the eraser its own rights.
func Grants(schema, app, medical string) ([]string, error) {
	if schema == "" {
		schema = DefaultSchema
	}
	if !validSchema(schema) {
		return nil, &privacy.Error{Op: "pgstore: grants", Kind: privacy.ErrInvalid, Path: "schema", Msg: "malformed schema name"}
	}
	if app == "" || medical == "" {
		return nil, &privacy.Error{Op: "pgstore: grants", Kind: privacy.ErrInvalid, Path: "role", Msg: "missing"}
	}
	r := strings.NewReplacer("{schema}", pgx.Identifier{schema}.Sanitize(),
		"{medical}", pgx.Identifier{schema + "_medical"}.Sanitize(),
		"{app}", pgx.Identifier{app}.Sanitize(), "{medrole}", pgx.Identifier{medical}.Sanitize())
	var out []string
	for _, g := range []string{
		`GRANT USAGE ON SCHEMA {schema} TO {app}`,
		`GRANT SELECT ON {schema}.schema_migrations TO {app}`,
		`GRANT SELECT, INSERT, UPDATE, DELETE ON {schema}.subjects, {schema}.cases, {schema}.records TO {app}`,
		// Rules G7, E of issue 14: no role writes the trail but through
		// the functions that check each event's number and link.
		`GRANT SELECT ON {schema}.audit_events, {schema}.audit_anchors TO {app}`,
		`GRANT EXECUTE ON FUNCTION {schema}.append_chained(` + appendChainedArgs + `) TO {app}, {medrole}`,
		`GRANT EXECUTE ON FUNCTION {schema}.chain_head_locked(text) TO {app}, {medrole}`,
		`GRANT EXECUTE ON FUNCTION {schema}.prune_chain(text, bigint, bytea, bytea) TO {app}`,
		// Rule N9: the legacy chain (migration 0068) prunes as the chains do.
		`GRANT EXECUTE ON FUNCTION {schema}.prune_legacy(timestamptz) TO {app}`,
		`GRANT EXECUTE ON FUNCTION {schema}.lock_cases(text[]) TO {app}, {medrole}`,
		`GRANT EXECUTE ON FUNCTION {schema}.case_dated_after(text, timestamptz) TO {app}`,
		`GRANT SELECT, INSERT, UPDATE ON {schema}.holds, {schema}.erasures TO {app}`,
		`GRANT SELECT, INSERT ON {schema}.proofs TO {app}`,
		`GRANT SELECT ON {schema}.object_proofs TO {app}`,
		`GRANT SELECT, INSERT, UPDATE ON {schema}.consent_grants, {schema}.requests TO {app}`,
		`GRANT SELECT, INSERT ON {schema}.disclosures TO {app}`,
		`GRANT SELECT, INSERT ON {schema}.access_groups TO {app}`,
		`GRANT SELECT, INSERT, UPDATE ON {schema}.consent_coverage TO {app}`,

		`GRANT USAGE ON SCHEMA {schema}, {medical} TO {medrole}`,
		`GRANT SELECT ON {schema}.schema_migrations TO {medrole}`,
		`GRANT SELECT (id) ON {schema}.cases TO {medrole}`,
		`GRANT SELECT, INSERT, UPDATE, DELETE ON {medical}.records TO {medrole}`,
		`GRANT SELECT (subject_id, case_id, records, lifted) ON {schema}.holds TO {medrole}`,
		`GRANT EXECUTE ON FUNCTION {schema}.lock_subject(text) TO {medrole}`,
		// Issue 14 §2: whether a case is the subject's, asked by both
		// roles' reads of a case's records by subject (migration 0063).
		`GRANT EXECUTE ON FUNCTION {schema}.case_of_subject(text, text) TO {app}, {medrole}`,
		`GRANT SELECT, INSERT, UPDATE ON {schema}.consent_grants TO {medrole}`,
		`GRANT SELECT, INSERT ON {schema}.disclosures TO {medrole}`,
	} {
		out = append(out, r.Replace(g))
	}
	return out, nil
}

// EraserGrants returns the GRANT statements, beside [Grants], for the role
// that runs retention sweeps, eraser (already given app and medical): a
// sweep removes every kind of stored data when its rule says (issue 14;
// rules R9, O12, N7, G3, G4), so the eraser deletes legal holds, erasure
// requests, consent grants, subject requests and disclosure-log entries,
// and writes the proofs of those deletions (object_proofs: read and insert
// only), and takes erased subjects out of the group histories (migration
// 0062's function; rule N12). Neither the application's role nor the physicians' gets these:
// they never delete a hold, and never rewrite the disclosure log.
func EraserGrants(schema, eraser string) ([]string, error) {
	if schema == "" {
		schema = DefaultSchema
	}
	if !validSchema(schema) {
		return nil, &privacy.Error{Op: "pgstore: eraser grants", Kind: privacy.ErrInvalid, Path: "schema", Msg: "malformed schema name"}
	}
	if eraser == "" {
		return nil, &privacy.Error{Op: "pgstore: eraser grants", Kind: privacy.ErrInvalid, Path: "role", Msg: "missing"}
	}
	r := strings.NewReplacer("{schema}", pgx.Identifier{schema}.Sanitize(), "{eraser}", pgx.Identifier{eraser}.Sanitize())
	var out []string
	for _, g := range []string{
		`GRANT DELETE ON {schema}.holds, {schema}.erasures, {schema}.consent_grants, {schema}.requests, {schema}.disclosures TO {eraser}`,
		`GRANT SELECT, INSERT ON {schema}.object_proofs TO {eraser}`,
		// Rules N12, R9, O12: an erased subject's ID leaves the group
		// histories through migration 0062's function only.
		`GRANT EXECUTE ON FUNCTION {schema}.forget_in_groups(text, text) TO {eraser}`,
		// Rule N12: a batch locks its subjects' employers' group rows in
		// one order before it forgets anyone (migration 0070).
		`GRANT EXECUTE ON FUNCTION {schema}.lock_groups_of(text[]) TO {eraser}`,
	} {
		out = append(out, r.Replace(g))
	}
	return out, nil
}
