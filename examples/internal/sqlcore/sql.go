package sqlcore

// The statements both dialects run alike but for the names of their
// tables and the form of their parameters, written once: the case file's
// tables in {schema}, the medical file's in {medical}, parameters as $1,
// $2, … A dialect renders each into its own SQL: pgstore puts its quoted
// schema names in, sqlitestore drops the schemas, calls the medical file's
// table medical_records and numbers its parameters ?1, ?2, … Where
// PostgreSQL locks the rows it reads, its statement is the one here with
// FOR UPDATE added; SQLite, whose writer runs alone, runs it as it is.
// What differs in SQL (lists as arrays or JSON, NULLS FIRST, the batch
// statements, PostgreSQL's functions) stays with each dialect.
const (
	SQLMigrationsVersion = `SELECT count(*), coalesce(max(version), 0) FROM {schema}.schema_migrations`
	SQLRecordMigration   = `INSERT INTO {schema}.schema_migrations (version, name) VALUES ($1, $2)`

	SQLCreateSubject = `INSERT INTO {schema}.subjects (` + SubjectColumns + `) VALUES ($1, $2, $3, $4)`
	SQLSubject       = `SELECT ` + SubjectColumns + ` FROM {schema}.subjects WHERE id = $1`
	SQLUpdateSubject = `UPDATE {schema}.subjects SET employer = $1, employment_ended = $2, created = $3 WHERE id = $4`
	SQLSubjectExists = `SELECT 1 FROM {schema}.subjects WHERE id = $1`

	SQLCreateCase = `INSERT INTO {schema}.cases (` + CaseColumns + `) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`
	SQLCase       = `SELECT ` + CaseColumns + ` FROM {schema}.cases WHERE id = $1`
	SQLUpdateCase = `UPDATE {schema}.cases SET kind = $1, purpose = $2, contract_id = $3, contract_party = $4,
	contract_party_kind = $5, contract_start = $6, contract_end = $7, opened = $8, closed = $9
	WHERE id = $10 AND subject_id = $11`
	SQLCaseExists  = `SELECT 1 FROM {schema}.cases WHERE id = $1`
	SQLCaseSubject = `SELECT subject_id FROM {schema}.cases WHERE id = $1`
	// SQLSubjectCaseExists (subject, case: 1): is the case the subject's?
	SQLSubjectCaseExists = `SELECT 1 FROM {schema}.cases WHERE subject_id = $1 AND id = $2`

	SQLLastEvent = `SELECT x.seq, x.hash FROM (SELECT e.seq, e.hash FROM {schema}.audit_events e WHERE e.subject = $1
		ORDER BY e.seq DESC LIMIT 1) x
		UNION ALL SELECT a.seq, a.hash FROM {schema}.audit_anchors a WHERE a.subject = $1
		AND NOT EXISTS (SELECT 1 FROM {schema}.audit_events e WHERE e.subject = $1)`
	SQLEvents      = `SELECT ` + EventColumns + `, {pos} FROM {schema}.audit_events WHERE {pos} > $1 ORDER BY {pos} LIMIT $2`
	SQLChainEvents = `SELECT ` + EventColumns + ` FROM {schema}.audit_events
		WHERE subject > $1 OR (subject = $1 AND seq > $2) ORDER BY subject, seq LIMIT $3`
	SQLAuditHeads = `SELECT e.subject, e.seq, e.hash FROM {schema}.audit_events e
		WHERE e.seq = (SELECT max(m.seq) FROM {schema}.audit_events m WHERE m.subject = e.subject)`
	SQLAuditAnchors = `SELECT subject, seq, hash, mac FROM {schema}.audit_anchors`
	SQLChainAnchor  = `SELECT seq, hash, mac FROM {schema}.audit_anchors WHERE subject = $1`
	// SQLPruneCuts: the last event of each chain's leading run of events
	// dated before $1, which stops at the chain's first event that is not
	// (rule N9): an event dated in the past after recent ones never takes
	// them with it.
	SQLPruneCuts = `SELECT e.subject, e.seq, e.hash FROM {schema}.audit_events e
		JOIN (SELECT m.subject, max(m.seq) AS seq FROM {schema}.audit_events m
			LEFT JOIN (SELECT n.subject, min(n.seq) AS seq FROM {schema}.audit_events n WHERE n.time >= $1 GROUP BY n.subject) f
				ON f.subject = m.subject
			WHERE m.time < $1 AND (f.seq IS NULL OR m.seq < f.seq)
			GROUP BY m.subject) c ON c.subject = e.subject AND c.seq = e.seq`
	SQLUpsertAnchor = `INSERT INTO {schema}.audit_anchors (subject, seq, hash, mac) VALUES ($1, $2, $3, $4)
		ON CONFLICT (subject) DO UPDATE SET seq = excluded.seq, hash = excluded.hash, mac = excluded.mac`
	SQLPruneEvents = `DELETE FROM {schema}.audit_events WHERE subject = $1 AND seq <= $2`
	// SQLPruneLegacy: the legacy chain's leading run of events dated
	// before $1, as SQLPruneCuts takes a chain's (rule N9); the table's
	// triggers let only its oldest events go (G7).
	SQLPruneLegacy = `DELETE FROM {schema}.audit_events_legacy WHERE seq <= (SELECT max(m.seq) FROM {schema}.audit_events_legacy m
		WHERE m.time < $1 AND m.seq < coalesce((SELECT min(f.seq) FROM {schema}.audit_events_legacy f WHERE f.time >= $1), 9223372036854775807))`
	SQLSubjectEvents = `SELECT ` + EventColumns + ` FROM {schema}.audit_events WHERE subject = $1 AND seq >= $2 ORDER BY seq LIMIT $3`

	SQLInsertHold    = `INSERT INTO {schema}.holds (` + HoldColumns + `) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, NULL, NULL, NULL)`
	SQLHold          = `SELECT ` + HoldColumns + ` FROM {schema}.holds WHERE id = $1`
	SQLHoldLifted    = `SELECT lifted IS NOT NULL FROM {schema}.holds WHERE id = $1`
	SQLLiftHold      = `UPDATE {schema}.holds SET lifted_by = $1, lifted = $2, lift_reason = $3 WHERE id = $4 AND lifted IS NULL`
	SQLSubjectHolds  = `SELECT case_id, records FROM {schema}.holds WHERE subject_id = $1 AND lifted IS NULL`
	SQLSubjectHeld   = `SELECT EXISTS (SELECT 1 FROM {schema}.holds WHERE subject_id = $1 AND lifted IS NULL)`
	SQLInsertErasure = `INSERT INTO {schema}.erasures (` + ErasureColumns + `) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`
	SQLProof         = `SELECT ` + ProofColumns + ` FROM {schema}.proofs WHERE record_id = $1`
	SQLProofs        = `SELECT ` + ProofColumns + ` FROM {schema}.proofs WHERE subject_id = $1 ORDER BY seq`

	SQLGrant          = `SELECT ` + GrantColumns + ` FROM {schema}.consent_grants WHERE id = $1`
	SQLRevokeGrant    = `UPDATE {schema}.consent_grants SET revoked = $1 WHERE id = $2 AND revoked IS NULL`
	SQLInsertCoverage = `INSERT INTO {schema}.consent_coverage (` + CoverageColumns + `) VALUES ($1, $2, $3, $4, $5)`
	SQLCoverage       = `SELECT ` + CoverageColumns + ` FROM {schema}.consent_coverage WHERE id = $1`
	SQLEndCoverage    = `UPDATE {schema}.consent_coverage SET valid_until = $1 WHERE id = $2`

	SQLRequest      = `SELECT ` + RequestColumns + ` FROM {schema}.requests WHERE id = $1`
	SQLRequestState = `SELECT subject_id, steps FROM {schema}.requests WHERE id = $1`

	SQLGroups       = `SELECT version, members FROM {schema}.access_groups WHERE employer = $1 ORDER BY version`
	SQLGroupVersion = `SELECT coalesce(max(version), 0) FROM {schema}.access_groups WHERE employer = $1`
)

// SQLDeleteSubject are the statements that erase a subject, children
// first, each with the subject's ID.
func SQLDeleteSubject() []string {
	return []string{
		`DELETE FROM {medical}.records WHERE case_id IN (SELECT id FROM {schema}.cases WHERE subject_id = $1)`,
		`DELETE FROM {schema}.records WHERE case_id IN (SELECT id FROM {schema}.cases WHERE subject_id = $1)`,
		`DELETE FROM {schema}.cases WHERE subject_id = $1`,
		`DELETE FROM {schema}.subjects WHERE id = $1`,
	}
}

// SQLForgetSubject are the statements that erase, after the subject's
// row, the rest of its data but its requests, each with the subject's ID:
// its disclosure-log entries, consent grants, lifted legal holds and
// erasure requests (rules R9, O12: with no subject row nothing names them,
// and they would be kept for ever). A standing hold keeps the subject, so
// none is left when these run. Requests stay: an open one (the erasure
// request itself) is still to be answered, and retention.OrphanStore
// reaches them.
func SQLForgetSubject() []string {
	return []string{
		`DELETE FROM {schema}.disclosures WHERE subject_id = $1`,
		`DELETE FROM {schema}.consent_grants WHERE subject_id = $1`,
		`DELETE FROM {schema}.holds WHERE subject_id = $1 AND lifted IS NOT NULL`,
		`DELETE FROM {schema}.erasures WHERE subject_id = $1`,
	}
}

// SQLDeleteCase are the statements that erase a case, children first,
// each with the case's ID.
func SQLDeleteCase() []string {
	return []string{
		`DELETE FROM {medical}.records WHERE case_id = $1`,
		`DELETE FROM {schema}.records WHERE case_id = $1`,
		`DELETE FROM {schema}.cases WHERE id = $1`,
	}
}

// SQLFile returns the statements of the file of records in table
// ("{schema}.records" or "{medical}.records"), but for Insert and
// LockSubject, which are the dialect's.
func SQLFile(what, table string) File {
	return File{
		What: what,
		Get:  `SELECT ` + RecordColumns + ` FROM ` + table + ` WHERE id = $1`,
		Update: `UPDATE ` + table + ` SET subject_id = $1, category = $2, author = $3, source_kind = $4, source_party = $5,
	purpose = $6, basis = $7, created = $8, updated = $9, fields = $10 WHERE id = $11 AND case_id = $12`,
		CaseOf: `SELECT case_id FROM ` + table + ` WHERE id = $1`,
		First:  `SELECT ` + RecordColumns + ` FROM ` + table + ` WHERE case_id = $1 ORDER BY created, id LIMIT $2`,
		After: `SELECT ` + RecordColumns + ` FROM ` + table + ` WHERE case_id = $1 AND (created, id) > ($2, $3)
	ORDER BY created, id LIMIT $4`,
		// Issue 14 §2: a case's records read by subject and case, on the
		// index of migration 0063 (subject_id, case_id, created, id).
		SubjectFirst: `SELECT ` + RecordColumns + ` FROM ` + table + ` WHERE subject_id = $1 AND case_id = $2
	ORDER BY created, id LIMIT $3`,
		SubjectAfter: `SELECT ` + RecordColumns + ` FROM ` + table + ` WHERE subject_id = $1 AND case_id = $2
	AND (created, id) > ($3, $4) ORDER BY created, id LIMIT $5`,
		Owner:  `SELECT case_id, subject_id FROM ` + table + ` WHERE id = $1`,
		Delete: `DELETE FROM ` + table + ` WHERE id = $1 AND case_id = $2 AND subject_id = $3`,
	}
}

// Render returns f with render applied to each of its statements: a
// dialect's names and parameters put into the statements of [SQLFile].
func (f File) Render(render func(string) string) File {
	for _, p := range []*string{&f.Insert, &f.Get, &f.Update, &f.CaseOf, &f.First, &f.After, &f.SubjectFirst, &f.SubjectAfter,
		&f.Owner, &f.LockSubject, &f.Delete} {
		*p = render(*p)
	}
	return f
}
