package sqlitestore

import "github.com/dossierwacht/dossierwacht/examples/internal/sqlcore"

// The statements of the store, values only as parameters (?). The file has
// one writer at a time, so where PostgreSQL locks a row before it reads
// (a subject's row before its holds are read, a case's before records are
// added), SQLite reads the row: nothing can change it until the write
// commits. Lists of IDs are JSON arrays, read with json_each.

const eventColumns = sqlcore.EventColumns

const (
	qSubjectCases = `SELECT ` + sqlcore.CaseColumns + ` FROM cases WHERE subject_id = ? ORDER BY opened, id`

	qLastEvent     = `SELECT seq, hash FROM audit_events ORDER BY seq DESC LIMIT 1`
	qEvents        = `SELECT ` + eventColumns + ` FROM audit_events WHERE seq >= ? ORDER BY seq LIMIT ?`
	qSubjectEvents = `SELECT ` + eventColumns + ` FROM audit_events WHERE subject = ? AND seq >= ? ORDER BY seq LIMIT ?`
	qInsertEvent   = `INSERT INTO audit_events (` + eventColumns + `)
	VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`

	qHold          = `SELECT ` + sqlcore.HoldColumns + ` FROM holds WHERE id = ?`
	qStandingHolds = `SELECT case_id, records FROM holds WHERE subject_id = ? AND lifted IS NULL`
	qSubjectHeld   = `SELECT EXISTS (SELECT 1 FROM holds WHERE subject_id = ? AND lifted IS NULL)`
	// qCaseHasRecord asks whether one of the records of a JSON array is
	// of a case, in either file, finding each by its key.
	qCaseHasRecord = `SELECT EXISTS (SELECT 1 FROM json_each(?2)
	WHERE EXISTS (SELECT 1 FROM records r WHERE r.id = json_each.value AND r.case_id = ?1)
		OR EXISTS (SELECT 1 FROM medical_records r WHERE r.id = json_each.value AND r.case_id = ?1))`
	qInsertProof = `INSERT INTO proofs (` + sqlcore.ProofColumns + `) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`
	qProof       = `SELECT ` + sqlcore.ProofColumns + ` FROM proofs WHERE record_id = ?`
	qProofs      = `SELECT ` + sqlcore.ProofColumns + ` FROM proofs WHERE subject_id = ? ORDER BY seq`
	qProofExists = `SELECT 1 FROM proofs WHERE record_id = ?`

	// qCandidates walks the subjects in ID order from an index that
	// carries the employment end, and asks each from an index whether a
	// case closed, a record was created or a request was decided before a
	// cut-off. A NULL cut-off (a criterion not set) matches nothing.
	qCandidates = `SELECT s.id FROM subjects s WHERE s.id > ?1 AND (
	s.employment_ended < ?2
	OR EXISTS (SELECT 1 FROM cases c WHERE c.subject_id = s.id AND c.closed < ?3)
	OR EXISTS (SELECT 1 FROM cases c JOIN records r ON r.case_id = c.id WHERE c.subject_id = s.id AND r.created < ?4)
	OR EXISTS (SELECT 1 FROM cases c JOIN medical_records r ON r.case_id = c.id WHERE c.subject_id = s.id AND r.created < ?4)
	OR EXISTS (SELECT 1 FROM erasures e WHERE e.subject_id = s.id AND e.decided < ?5))
ORDER BY s.id LIMIT ?6`

	// The dossiers of a page of subjects, whose IDs come as one JSON
	// array.
	qDossierSubjects = `SELECT ` + sqlcore.SubjectColumns + ` FROM subjects WHERE id IN (SELECT value FROM json_each(?))`
	qDossierCases    = `SELECT ` + sqlcore.CaseColumns + ` FROM cases WHERE subject_id IN (SELECT value FROM json_each(?))
	ORDER BY subject_id, opened, id`
	qDossierHolds = `SELECT ` + sqlcore.HoldColumns + ` FROM holds WHERE subject_id IN (SELECT value FROM json_each(?))
	ORDER BY subject_id, seq`
	qDossierErasures = `SELECT ` + sqlcore.ErasureColumns + ` FROM erasures WHERE subject_id IN (SELECT value FROM json_each(?))
	ORDER BY subject_id, seq`

	qGrant         = `SELECT ` + sqlcore.GrantColumns + ` FROM consent_grants WHERE id = ?`
	qSubjectGrants = `SELECT ` + sqlcore.GrantColumns + ` FROM consent_grants WHERE subject_id = ? ORDER BY given, id`
	// The first disclosure of the subject at or after a time that rests
	// on a grant: the index finds the subject's disclosures from that
	// time on, and only those are searched for the grant.
	qRestsOnGrant = `SELECT d.id FROM disclosures AS d WHERE d.subject_id = ? AND d.at >= ?
	AND EXISTS (SELECT 1 FROM json_each(d.grants) AS g WHERE g.value = ?) ORDER BY d.at, d.id LIMIT 1`
	qSubjectDisclosures = `SELECT ` + sqlcore.DisclosureColumns + ` FROM disclosures WHERE subject_id = ? ORDER BY at, id`
	qCoverage           = `SELECT ` + sqlcore.CoverageColumns + ` FROM consent_coverage WHERE id = ?`
	qEmployerCoverage   = `SELECT ` + sqlcore.CoverageColumns + ` FROM consent_coverage WHERE employer = ? ORDER BY valid_from, id`
	// The first disclosure at or after a time that rests on a coverage.
	qRestsOnCoverage = `SELECT id FROM disclosures WHERE coverage_id = ? AND coverage_id <> '' AND at >= ? ORDER BY at, id LIMIT 1`

	qGroups       = `SELECT version, members FROM access_groups WHERE employer = ? ORDER BY version`
	qGroupVersion = `SELECT coalesce(max(version), 0) FROM access_groups WHERE employer = ?`
)

// deleteSubject and deleteCase are the statements that erase a subject or
// a case, children first; each takes the ID.
var (
	deleteSubject = []string{
		`DELETE FROM medical_records WHERE case_id IN (SELECT id FROM cases WHERE subject_id = ?)`,
		`DELETE FROM records WHERE case_id IN (SELECT id FROM cases WHERE subject_id = ?)`,
		`DELETE FROM cases WHERE subject_id = ?`,
		`DELETE FROM subjects WHERE id = ?`,
	}
	deleteCase = []string{
		`DELETE FROM medical_records WHERE case_id = ?`,
		`DELETE FROM records WHERE case_id = ?`,
		`DELETE FROM cases WHERE id = ?`,
	}
)

// file is one compartment of records: the ordinary file or the medical
// file (rule O6), each a table of its own. Its statements are built once
// from the table's name.
type file struct {
	what, insert, get, update, caseOf, owner, first, after, delete string
}

func newFile(what, table string) file {
	return file{
		what:   what,
		insert: `INSERT INTO ` + table + ` (` + sqlcore.RecordColumns + `) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		get:    `SELECT ` + sqlcore.RecordColumns + ` FROM ` + table + ` WHERE id = ?`,
		update: `UPDATE ` + table + ` SET subject_id = ?, category = ?, author = ?, source_kind = ?, source_party = ?,
	purpose = ?, basis = ?, created = ?, updated = ?, fields = ? WHERE id = ? AND case_id = ?`,
		caseOf: `SELECT case_id FROM ` + table + ` WHERE id = ?`,
		owner:  `SELECT case_id, subject_id FROM ` + table + ` WHERE id = ?`,
		first:  `SELECT ` + sqlcore.RecordColumns + ` FROM ` + table + ` WHERE case_id = ? ORDER BY created, id LIMIT ?`,
		after: `SELECT ` + sqlcore.RecordColumns + ` FROM ` + table + ` WHERE case_id = ? AND (created, id) > (?, ?)
	ORDER BY created, id LIMIT ?`,
		delete: `DELETE FROM ` + table + ` WHERE id = ? AND case_id = ? AND subject_id = ?`,
	}
}

// core is f as the core takes it.
func (f file) core() sqlcore.File {
	return sqlcore.File{What: f.what, Insert: f.insert, Get: f.get, Update: f.update, CaseOf: f.caseOf,
		First: f.first, After: f.after, Owner: f.owner, LockSubject: qSubjectExists, Delete: f.delete}
}

// entryQueries are the statements that list and check the records of one
// file for a sweep: its entries (medical, case, ID, category, created,
// version) by case, and one record's case, subject and version.
type entryQueries struct {
	entries, check string
}

func newEntryQueries(table, medical string) entryQueries {
	return entryQueries{
		entries: `SELECT ` + medical + `, case_id, id, category, created, coalesce(updated, created) FROM ` + table +
			` WHERE case_id IN (SELECT value FROM json_each(?))`,
		check: `SELECT case_id, subject_id, coalesce(updated, created) FROM ` + table + ` WHERE id = ?`,
	}
}

const (
	qSubjectExists = `SELECT 1 FROM subjects WHERE id = ?`
	qCase          = `SELECT ` + sqlcore.CaseColumns + ` FROM cases WHERE id = ?`
	qCaseExists    = `SELECT 1 FROM cases WHERE id = ?`
	qSubject       = `SELECT ` + sqlcore.SubjectColumns + ` FROM subjects WHERE id = ?`
	qHoldLifted    = `SELECT lifted IS NOT NULL FROM holds WHERE id = ?`
)

var (
	ordinaryFile    = newFile("record", "records")
	medicalFile     = newFile("medical record", "medical_records")
	ordinaryEntries = newEntryQueries("records", "0")
	medicalEntries  = newEntryQueries("medical_records", "1")

	queries = sqlcore.Queries{
		CreateSubject:    `INSERT INTO subjects (` + sqlcore.SubjectColumns + `) VALUES (?, ?, ?, ?)`,
		Subject:          qSubject,
		SubjectForUpdate: qSubject,
		UpdateSubject:    `UPDATE subjects SET employer = ?, employment_ended = ?, created = ? WHERE id = ?`,
		SubjectExists:    qSubjectExists,
		LockSubject:      qSubjectExists,
		DeleteSubject:    deleteSubject,

		CreateCase: `INSERT INTO cases (` + sqlcore.CaseColumns + `) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		Case:       qCase,
		UpdateCase: `UPDATE cases SET kind = ?, purpose = ?, contract_id = ?, contract_party = ?,
	contract_party_kind = ?, contract_start = ?, contract_end = ?, opened = ?, closed = ? WHERE id = ? AND subject_id = ?`,
		CaseExists:  qCaseExists,
		CaseSubject: `SELECT subject_id FROM cases WHERE id = ?`,
		LockCase:    qCaseExists,
		LockCases:   `SELECT id, closed IS NULL FROM cases WHERE id IN (SELECT value FROM json_each(?))`,
		// Does a record of the case, in either file, date from after a
		// closing: was it created or changed later?
		CaseDatedAfter: `SELECT coalesce(max(t) > ?2, 0) FROM (
	SELECT max(created, coalesce(updated, created)) AS t FROM records WHERE case_id = ?1
	UNION ALL
	SELECT max(created, coalesce(updated, created)) FROM medical_records WHERE case_id = ?1)`,
		SubjectCases: qSubjectCases,
		DeleteCase:   deleteCase,

		Ordinary: ordinaryFile.core(),
		Medical:  medicalFile.core(),

		LastEvent:     qLastEvent,
		Events:        qEvents,
		SubjectEvents: qSubjectEvents,

		InsertHold:    `INSERT INTO holds (` + sqlcore.HoldColumns + `) VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL, NULL, NULL)`,
		Hold:          qHold,
		HoldLifted:    qHoldLifted,
		LiftHold:      `UPDATE holds SET lifted_by = ?, lifted = ?, lift_reason = ? WHERE id = ? AND lifted IS NULL`,
		SubjectHolds:  qStandingHolds,
		SubjectHeld:   qSubjectHeld,
		CaseHasRecord: qCaseHasRecord,
		InsertErasure: `INSERT INTO erasures (` + sqlcore.ErasureColumns + `) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
		Proof:         qProof,
		Proofs:        qProofs,

		Candidates:      qCandidates,
		DossierSubjects: qDossierSubjects,
		DossierCases:    qDossierCases,
		DossierHolds:    qDossierHolds,
		DossierErasures: qDossierErasures,
		DossierEntries:  []string{ordinaryEntries.entries, medicalEntries.entries},

		InsertGrant:        `INSERT INTO consent_grants (` + sqlcore.GrantColumns + `) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		Grant:              qGrant,
		LockGrant:          qGrant,
		SubjectGrants:      qSubjectGrants,
		LockSubjectGrants:  qSubjectGrants,
		RevokeGrant:        `UPDATE consent_grants SET revoked = ? WHERE id = ? AND revoked IS NULL`,
		RestsOnGrant:       qRestsOnGrant,
		InsertDisclosure:   `INSERT INTO disclosures (` + sqlcore.DisclosureColumns + `) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		SubjectDisclosures: qSubjectDisclosures,

		InsertCoverage:       `INSERT INTO consent_coverage (` + sqlcore.CoverageColumns + `) VALUES (?, ?, ?, ?, ?)`,
		Coverage:             qCoverage,
		LockCoverage:         qCoverage,
		EmployerCoverage:     qEmployerCoverage,
		LockEmployerCoverage: qEmployerCoverage,
		EndCoverage:          `UPDATE consent_coverage SET valid_until = ? WHERE id = ?`,
		RestsOnCoverage:      qRestsOnCoverage,

		Groups:       qGroups,
		GroupVersion: qGroupVersion,
		InsertGroup:  `INSERT INTO access_groups (employer, version, members) VALUES (?, ?, ?)`,
	}
)
